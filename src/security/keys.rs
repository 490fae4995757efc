//! CURVE keys: generation, the public key of a secret key, and Z85 text checked strictly (a bad
//! key is an error with its reason, never a socket that silently fails every handshake).

use crate::error::{Code, Error, Result};

/// A CURVE key in binary form.
pub type Key = [u8; 32];

/// The length of a key as Z85 text.
pub const Z85_LEN: usize = 40;

/// A new key pair as Z85 text: (public, secret).
pub fn keypair() -> Result<(String, String)> {
    let pair = zmq::CurveKeyPair::new().map_err(|e| Error::zmq("zmq_curve_keypair", e))?;
    Ok((z85(&pair.public_key), z85(&pair.secret_key)))
}

/// The public key that belongs to a secret key (both Z85 text).
pub fn public_of(secret: &[u8]) -> Result<String> {
    let secret = parse_z85(secret, "secret key")?;
    let mut public = [0 as std::os::raw::c_char; Z85_LEN + 1];
    let mut text = [0 as std::os::raw::c_char; Z85_LEN + 1];
    let z = z85(&secret);
    for (t, b) in text.iter_mut().zip(z.bytes()) {
        *t = b as std::os::raw::c_char;
    }
    // SAFETY: both buffers hold 41 characters, the input is NUL-terminated Z85 text.
    let rc = unsafe { zmq_curve_public(public.as_mut_ptr(), text.as_ptr()) };
    if rc != 0 {
        return Err(Error::zmq(
            "zmq_curve_public",
            zmq::Error::from_raw(zmq_errno()),
        ));
    }
    Ok(public[..Z85_LEN].iter().map(|&c| c as u8 as char).collect())
}

extern "C" {
    // Part of libzmq's API (linked statically); zmq-sys 0.12 does not re-export it.
    fn zmq_curve_public(
        z85_public_key: *mut std::os::raw::c_char,
        z85_secret_key: *const std::os::raw::c_char,
    ) -> std::os::raw::c_int;
}

fn zmq_errno() -> i32 {
    // SAFETY: reads libzmq's thread-local errno.
    unsafe { zmq_sys::zmq_errno() }
}

/// Key bytes as Z85 text.
pub fn z85(key: &Key) -> String {
    zmq::z85_encode(key).expect("32 bytes encode")
}

/// A key given as 40 characters of Z85 text (a trailing NUL is accepted, as libzmq does).
pub fn parse_z85(text: &[u8], what: &str) -> Result<Key> {
    let text = text.strip_suffix(b"\0").unwrap_or(text);
    let bad = |why: String| {
        Error::new(
            Code::InvalidKey,
            format!("The {what} is not a CURVE key: {why}."),
        )
    };
    if text.len() != Z85_LEN {
        // A length that does not fit is INVALID_ARG, as everywhere in the interface.
        return Err(Error::invalid_arg(format!(
            "The {what} is not a CURVE key: it has {} characters where Z85 text has {Z85_LEN}.",
            text.len()
        )));
    }
    let mut key = [0u8; 32];
    for (group, out) in text.chunks(5).zip(key.chunks_mut(4)) {
        let mut value: u64 = 0;
        for &c in group {
            let Some(digit) = Z85_ALPHABET.iter().position(|&a| a == c) else {
                return Err(bad(format!(
                    "\"{}\" holds characters outside the Z85 alphabet",
                    String::from_utf8_lossy(text).escape_default()
                )));
            };
            value = value * 85 + digit as u64;
        }
        let value = u32::try_from(value)
            .map_err(|_| bad("a group of 5 characters exceeds 32 bits".into()))?;
        out.copy_from_slice(&value.to_be_bytes());
    }
    Ok(key)
}

/// The 85 characters of Z85 (ZeroMQ RFC 32), digit value = position.
const Z85_ALPHABET: &[u8; 85] =
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/// A key as a socket option takes it: 32 bytes, or 40 characters of Z85 text (+ NUL).
pub fn parse_option_key(value: &[u8], what: &str) -> Result<Key> {
    match value.len() {
        32 => Ok(value.try_into().expect("32 bytes")),
        _ => parse_z85(value, what),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keypair_round_trips_and_public_matches() {
        let (public, secret) = keypair().unwrap();
        assert_eq!(public.len(), 40);
        assert_eq!(public_of(secret.as_bytes()).unwrap(), public);
        assert_eq!(z85(&parse_z85(public.as_bytes(), "k").unwrap()), public);
    }

    #[test]
    fn bad_keys_are_refused_with_reasons() {
        let e = parse_z85(b"short", "server key").unwrap_err();
        assert_eq!(e.code, Code::InvalidArg);
        assert!(e.detail.contains("5 characters"), "{}", e.detail);
        let e = parse_z85(&[b'~'; 40], "k").unwrap_err();
        assert_eq!(e.code, Code::InvalidKey);
        assert!(e.detail.contains("Z85 alphabet"), "{}", e.detail);
        assert!(parse_z85(&[b'"'; 40], "k").is_err());
        assert!(parse_option_key(&[7u8; 32], "k").is_ok());
        assert!(public_of(b"not a key").is_err());
        let e = parse_z85(&[b'#'; 40], "k").unwrap_err();
        assert!(e.detail.contains("32 bits"), "{}", e.detail);
    }
}
