//! Security: CURVE keys and certificate files, authentication rules (enforced by the library's
//! ZAP handler on every binding socket), and the list of functions remote clients may call.

use super::{bytes, call, manager};
use crate::error::{Code, Error, Result};
use crate::security::certs;
use crate::security::keys::{self, Z85_LEN};
use std::ffi::c_char;
use std::path::PathBuf;

/// Write 40 characters of Z85 text and a NUL to `out` (41 bytes).
///
/// # Safety
///
/// `out` is non-NULL and valid for writing 41 bytes that do not overlap `text`; `text` is 40
/// bytes long.
unsafe fn write_z85(out: *mut c_char, text: &str) {
    debug_assert_eq!(text.len(), Z85_LEN);
    // SAFETY: `text` has 40 readable bytes, `out` 41 writable ones apart from `text` (the
    // contract).
    unsafe { std::ptr::copy_nonoverlapping(text.as_ptr() as *const c_char, out, Z85_LEN) };
    // SAFETY: byte 40 is the last of the 41 writable bytes at `out` (the contract).
    unsafe { *out.add(Z85_LEN) = 0 };
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
///
/// # Safety
///
/// `ptr` is NULL or points to `len` readable bytes.
unsafe fn path_arg(ptr: *const c_char, len: usize, what: &str) -> Result<PathBuf> {
    // SAFETY: `ptr` is NULL or points to `len` readable bytes (the contract).
    let b = unsafe { bytes(ptr, len, what) }?;
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
///
/// # Safety
///
/// `public_key` and `secret_key` must each be NULL or valid for writing 41 bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_curve_keypair(
    public_key: *mut c_char,
    secret_key: *mut c_char,
) -> i32 {
    call(|| {
        required(public_key, "public_key")?;
        required(secret_key, "secret_key")?;
        let (public, secret) = keys::keypair()?;
        // SAFETY: both buffers are non-NULL (checked above) and hold 41 writable bytes (the
        // function's contract).
        unsafe { write_z85(public_key, &public) };
        // SAFETY: as above.
        unsafe { write_z85(secret_key, &secret) };
        Ok(())
    })
}

/// The public key of a secret key (40 characters of Z85 text; a trailing NUL is accepted),
/// written as Z85 text and a NUL into `public_key` (41 bytes).
///
/// Returns `ZEROMQ_ERR_INVALID_KEY` when the secret key is not Z85 text of 40 characters.
///
/// # Safety
///
/// `secret_key` must be NULL or point to `len` readable bytes; `public_key` must be NULL or
/// valid for writing 41 bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_curve_public(
    secret_key: *const c_char,
    len: usize,
    public_key: *mut c_char,
) -> i32 {
    call(|| {
        required(public_key, "public_key")?;
        // SAFETY: `secret_key` is NULL or points to `len` readable bytes (the contract).
        let public = keys::public_of(unsafe { bytes(secret_key, len, "secret_key") }?)?;
        // SAFETY: `public_key` is non-NULL (checked above) and holds 41 writable bytes (the
        // function's contract).
        unsafe { write_z85(public_key, &public) };
        Ok(())
    })
}

/// Make a new key pair and write the certificate files `DIR/NAME.key` (public) and
/// `DIR/NAME.key_secret` (both keys) in the format of pyzmq's
/// `zmq.auth.create_certificates(DIR, NAME)`. The keys are also written to `public_key` and
/// `secret_key` (41 bytes each; either may be NULL).
///
/// Returns `ZEROMQ_ERR_INVALID_CERTIFICATE` when a file cannot be written.
///
/// # Safety
///
/// `dir` and `name` must be NULL or point to `dir_len` / `name_len` readable bytes;
/// `public_key` and `secret_key` must each be NULL or valid for writing 41 bytes.
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
        // SAFETY: `dir` is NULL or points to `dir_len` readable bytes (the contract).
        let dir = unsafe { path_arg(dir, dir_len, "certificate folder") }?;
        // SAFETY: `name` is NULL or points to `name_len` readable bytes (the contract).
        let name = unsafe { path_arg(name, name_len, "certificate name") }?;
        let (_, _, public, secret) = certs::create(&dir, &name.to_string_lossy())?;
        if !public_key.is_null() {
            // SAFETY: non-NULL (checked), so 41 writable bytes (the function's contract).
            unsafe { write_z85(public_key, &keys::z85(&public)) };
        }
        if !secret_key.is_null() {
            // SAFETY: non-NULL (checked), so 41 writable bytes (the function's contract).
            unsafe { write_z85(secret_key, &keys::z85(&secret)) };
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
///
/// # Safety
///
/// Each `(pointer, length)` pair must be NULL or point to that many readable bytes.
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
        // SAFETY: `path` is NULL or points to `len` readable bytes (the contract).
        let path = unsafe { path_arg(path, len, "certificate path") }?;
        // SAFETY: `public_key` is NULL or points to `public_len` readable bytes (the contract).
        let public_text = unsafe { bytes(public_key, public_len, "public_key") }?;
        let public = keys::parse_z85(public_text, "public key")?;
        // SAFETY: `secret_key` is NULL or points to `secret_len` readable bytes (the contract).
        let secret_text = unsafe { bytes(secret_key, secret_len, "secret_key") }?;
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
///
/// # Safety
///
/// `path` must be NULL or point to `len` readable bytes; `public_key` and `secret_key` must
/// each be NULL or valid for writing 41 bytes; `has_secret` NULL or valid for writing.
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
        // SAFETY: `path` is NULL or points to `len` readable bytes (the contract).
        let path = unsafe { path_arg(path, len, "certificate path") }?;
        let cert = certs::read(&path)?;
        // SAFETY: `public_key` is non-NULL (checked above), so 41 writable bytes (the contract).
        unsafe { write_z85(public_key, &keys::z85(&cert.public)) };
        if !secret_key.is_null() {
            match &cert.secret {
                // SAFETY: non-NULL (checked), so 41 writable bytes (the function's contract).
                Some(k) => unsafe { write_z85(secret_key, &keys::z85(k)) },
                // SAFETY: as above; its first byte is writable.
                None => unsafe { *secret_key = 0 },
            }
        }
        // SAFETY: `has_secret` is NULL or valid for writing (the function's contract).
        if let Some(h) = unsafe { has_secret.as_mut() } {
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
///
/// # Safety
///
/// `address` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_auth_allow(address: *const c_char, len: usize) -> i32 {
    // SAFETY: `address` is NULL or points to `len` readable bytes (the function's contract).
    call(|| manager().auth_allow(unsafe { bytes(address, len, "address") }?))
}

/// Refuse connections from an IP address or CIDR block (a denial wins over an allowed block).
///
/// Returns `ZEROMQ_ERR_INVALID_ADDRESS` for text that is neither.
///
/// # Safety
///
/// `address` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_auth_deny(address: *const c_char, len: usize) -> i32 {
    // SAFETY: `address` is NULL or points to `len` readable bytes (the function's contract).
    call(|| manager().auth_deny(unsafe { bytes(address, len, "address") }?))
}

/// Allow a CURVE client's public key (Z85 text); once any key is listed, CURVE clients with
/// other keys are refused. Without a list, any client that completes CURVE is accepted.
///
/// Returns `ZEROMQ_ERR_INVALID_KEY` for a key that is not 40 characters of Z85.
///
/// # Safety
///
/// `public_key` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_auth_allow_key(public_key: *const c_char, len: usize) -> i32 {
    // SAFETY: `public_key` is NULL or points to `len` readable bytes (the function's contract).
    call(|| manager().auth_allow_key(unsafe { bytes(public_key, len, "public_key") }?))
}

/// Allow the public keys of every `*.key` certificate file in a folder (as pyzmq's
/// `load_certificates`); `*count` (may be NULL) gets their number.
///
/// Returns `ZEROMQ_ERR_INVALID_CERTIFICATE` when the folder cannot be read, holds no `*.key`
/// file, or one of them has no valid public key (then none is added).
///
/// # Safety
///
/// `folder` must be NULL or point to `len` readable bytes; `count` must be NULL or valid for
/// writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_auth_allow_keys_from(
    folder: *const c_char,
    len: usize,
    count: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: `folder` is NULL or points to `len` readable bytes (the function's contract).
        let n = manager().auth_allow_keys_from(&unsafe { path_arg(folder, len, "folder") }?)?;
        // SAFETY: `count` is NULL or valid for writing (the function's contract).
        if let Some(c) = unsafe { count.as_mut() } {
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
///
/// # Safety
///
/// `name` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_handler_allow(name: *const c_char, len: usize) -> i32 {
    call(|| {
        // SAFETY: `name` is NULL or points to `len` readable bytes (the function's contract).
        let name = unsafe { bytes(name, len, "name") }?;
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
