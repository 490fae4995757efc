//! Security: CURVE keys and certificate files, authentication rules (enforced by the library's
//! ZAP handler on every binding socket), and the list of functions remote clients may call.

use super::{bytes, call, manager};
use crate::error::{Code, Error, Result};
use crate::security::certs;
use crate::security::keys::{self, Z85_LEN};
use std::ffi::c_char;
use std::path::PathBuf;

/// Write 40 characters of Z85 text and a NUL to `out` (41 bytes).
unsafe fn write_z85(out: *mut c_char, text: &str) {
    debug_assert_eq!(text.len(), Z85_LEN);
    std::ptr::copy_nonoverlapping(text.as_ptr() as *const c_char, out, Z85_LEN);
    *out.add(Z85_LEN) = 0;
}

fn required(out: *mut c_char, what: &str) -> Result<()> {
    if out.is_null() {
        return Err(Error::invalid_arg(format!(
            "{what} is NULL; it must point to 41 bytes."
        )));
    }
    Ok(())
}

/// A path given as `(ptr, len)` UTF-8 bytes.
unsafe fn path_arg(ptr: *const c_char, len: usize, what: &str) -> Result<PathBuf> {
    let b = bytes(ptr, len, what)?;
    match std::str::from_utf8(b) {
        Ok(s) if !s.is_empty() && !s.contains('\0') => Ok(PathBuf::from(s)),
        _ => Err(Error::invalid_arg(format!(
            "The {what} must be non-empty UTF-8 text without NUL."
        ))),
    }
}

/// A new CURVE key pair as Z85 text: 40 characters and a NUL into each 41-byte buffer.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for a NULL buffer (nothing is written then).
#[no_mangle]
pub unsafe extern "C" fn zeromq_curve_keypair(
    public_key: *mut c_char,
    secret_key: *mut c_char,
) -> i32 {
    call(|| {
        required(public_key, "public_key")?;
        required(secret_key, "secret_key")?;
        let (public, secret) = keys::keypair()?;
        write_z85(public_key, &public);
        write_z85(secret_key, &secret);
        Ok(())
    })
}

/// The public key of a secret key (40 characters of Z85 text; a trailing NUL is accepted),
/// written as Z85 text and a NUL into `public_key` (41 bytes).
///
/// Returns `ZEROMQ_ERR_INVALID_KEY` when the secret key is not Z85 text of 40 characters.
#[no_mangle]
pub unsafe extern "C" fn zeromq_curve_public(
    secret_key: *const c_char,
    len: usize,
    public_key: *mut c_char,
) -> i32 {
    call(|| {
        required(public_key, "public_key")?;
        let public = keys::public_of(bytes(secret_key, len, "secret_key")?)?;
        write_z85(public_key, &public);
        Ok(())
    })
}

/// Make a new key pair and write the certificate files `DIR/NAME.key` (public) and
/// `DIR/NAME.key_secret` (both keys) in the format of pyzmq's
/// `zmq.auth.create_certificates(DIR, NAME)`. The keys are also written to `public_key` and
/// `secret_key` (41 bytes each; either may be NULL).
///
/// Returns `ZEROMQ_ERR_INVALID_CERTIFICATE` when a file cannot be written.
#[no_mangle]
pub unsafe extern "C" fn zeromq_curve_cert_create(
    dir: *const c_char,
    dir_len: usize,
    name: *const c_char,
    name_len: usize,
    public_key: *mut c_char,
    secret_key: *mut c_char,
) -> i32 {
    call(|| {
        let dir = path_arg(dir, dir_len, "certificate folder")?;
        let name = path_arg(name, name_len, "certificate name")?;
        let (_, _, public, secret) = certs::create(&dir, &name.to_string_lossy())?;
        if !public_key.is_null() {
            write_z85(public_key, &keys::z85(&public));
        }
        if !secret_key.is_null() {
            write_z85(secret_key, &keys::z85(&secret));
        }
        Ok(())
    })
}

/// Write one certificate file at `path`: a public certificate when `secret_key` is NULL with
/// length 0, a secret one (readable by its owner only) otherwise. Keys are Z85 text; the secret
/// key must belong to the public key.
///
/// Returns `ZEROMQ_ERR_INVALID_KEY` for a bad key, `ZEROMQ_ERR_INVALID_CERTIFICATE` when the
/// file cannot be written.
#[no_mangle]
pub unsafe extern "C" fn zeromq_curve_cert_write(
    path: *const c_char,
    len: usize,
    public_key: *const c_char,
    public_len: usize,
    secret_key: *const c_char,
    secret_len: usize,
) -> i32 {
    call(|| {
        let path = path_arg(path, len, "certificate path")?;
        let public_text = bytes(public_key, public_len, "public_key")?;
        let public = keys::parse_z85(public_text, "public key")?;
        let secret_text = bytes(secret_key, secret_len, "secret_key")?;
        let secret = if secret_text.is_empty() {
            None
        } else {
            if keys::public_of(secret_text)?.as_bytes()
                != public_text.strip_suffix(b"\0").unwrap_or(public_text)
            {
                return Err(Error::new(
                    Code::InvalidKey,
                    "The secret key does not belong to the public key.",
                ));
            }
            Some(keys::parse_z85(secret_text, "secret key")?)
        };
        certs::write(&path, &public, secret.as_ref())
    })
}

/// Read a certificate file (pyzmq's or this library's, public or secret): its public key into
/// `public_key` (41 bytes), its secret key into `secret_key` (41 bytes, may be NULL; an empty
/// string when the file has none), and into `*has_secret` (may be NULL) 1 or 0.
///
/// Returns `ZEROMQ_ERR_INVALID_CERTIFICATE` for a missing or unreadable file or one without a
/// valid public key.
#[no_mangle]
pub unsafe extern "C" fn zeromq_curve_cert_read(
    path: *const c_char,
    len: usize,
    public_key: *mut c_char,
    secret_key: *mut c_char,
    has_secret: *mut i32,
) -> i32 {
    call(|| {
        required(public_key, "public_key")?;
        let path = path_arg(path, len, "certificate path")?;
        let cert = certs::read(&path)?;
        write_z85(public_key, &keys::z85(&cert.public));
        if !secret_key.is_null() {
            match &cert.secret {
                Some(k) => write_z85(secret_key, &keys::z85(k)),
                None => *secret_key = 0,
            }
        }
        if let Some(h) = has_secret.as_mut() {
            *h = i32::from(cert.secret.is_some());
        }
        Ok(())
    })
}

/// Allow connections from an IP address or CIDR block ("192.168.1.7", "10.0.0.0/8", "::1",
/// "fe80::/10"); once any address is allowed, all others are refused. Applies to every binding
/// socket with a ZAP domain (the server and publisher roles have one) and to every CURVE
/// handshake, for connections made from now on. The first rule starts the ZAP handler.
///
/// Returns `ZEROMQ_ERR_INVALID_ADDRESS` for text that is neither.
#[no_mangle]
pub unsafe extern "C" fn zeromq_auth_allow(address: *const c_char, len: usize) -> i32 {
    call(|| manager().auth_allow(bytes(address, len, "address")?))
}

/// Refuse connections from an IP address or CIDR block (a denial wins over an allowed block).
///
/// Returns `ZEROMQ_ERR_INVALID_ADDRESS` for text that is neither.
#[no_mangle]
pub unsafe extern "C" fn zeromq_auth_deny(address: *const c_char, len: usize) -> i32 {
    call(|| manager().auth_deny(bytes(address, len, "address")?))
}

/// Allow a CURVE client's public key (Z85 text); once any key is listed, CURVE clients with
/// other keys are refused. Without a list, any client that completes CURVE is accepted.
///
/// Returns `ZEROMQ_ERR_INVALID_KEY` for a key that is not 40 characters of Z85.
#[no_mangle]
pub unsafe extern "C" fn zeromq_auth_allow_key(public_key: *const c_char, len: usize) -> i32 {
    call(|| manager().auth_allow_key(bytes(public_key, len, "public_key")?))
}

/// Allow the public keys of every `*.key` certificate file in a folder (as pyzmq's
/// `load_certificates`); `*count` (may be NULL) gets their number.
///
/// Returns `ZEROMQ_ERR_INVALID_CERTIFICATE` when the folder cannot be read, holds no `*.key`
/// file, or one of them has no valid public key (then none is added).
#[no_mangle]
pub unsafe extern "C" fn zeromq_auth_allow_keys_from(
    folder: *const c_char,
    len: usize,
    count: *mut usize,
) -> i32 {
    call(|| {
        let n = manager().auth_allow_keys_from(&path_arg(folder, len, "folder")?)?;
        if let Some(c) = count.as_mut() {
            *c = n;
        }
        Ok(())
    })
}

/// Remove every address and key rule; the ZAP handler stops and connections are no longer
/// checked (the default).
#[no_mangle]
pub extern "C" fn zeromq_auth_reset() -> i32 {
    call(|| {
        manager().auth_reset();
        Ok(())
    })
}

/// Let remote clients call the host function `name`. Once any name is listed, only listed
/// functions reach the dispatcher; calls of others are answered as an unknown function
/// (`ZEROMQ_REQ_NON_EXISTING_FUNCTION`, 101) and logged.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for an empty name.
#[no_mangle]
pub unsafe extern "C" fn zeromq_handler_allow(name: *const c_char, len: usize) -> i32 {
    call(|| {
        let name = bytes(name, len, "name")?;
        if name.is_empty() {
            return Err(Error::invalid_arg("The function name is empty."));
        }
        manager().security.allow_call(name);
        Ok(())
    })
}

/// Empty the list of allowed functions: remote clients may call every function again.
#[no_mangle]
pub extern "C" fn zeromq_handler_allow_reset() -> i32 {
    call(|| {
        manager().security.reset_calls();
        Ok(())
    })
}
