//! The demo host's security options, applied through the C ABI as a C host would:
//!
//! - `--curve CERT`: CURVE on the server and the publisher with the keys of a secret certificate
//!   file (pyzmq's `NAME.key_secret`).
//! - `--allow-keys DIR`: only CURVE clients whose public certificates (`*.key`) are in DIR.
//! - `--allow ADDRS`, `--deny ADDRS`: comma-separated IP addresses or CIDR blocks.
//! - `--allow-functions NAMES`: comma-separated functions remote clients may call.

use super::check;
use std::ffi::{c_char, c_void};
use zeromq_xop::ffi::options::*;
use zeromq_xop::ffi::role_options::*;
use zeromq_xop::ffi::security::*;
use zeromq_xop::ffi::socket::{ZEROMQ_ROLE_PUBLISHER, ZEROMQ_ROLE_SERVER};

/// The option names this module takes.
pub const OPTIONS: [&str; 5] = [
    "--curve",
    "--allow-keys",
    "--allow",
    "--deny",
    "--allow-functions",
];

fn text(s: &str) -> (*const c_char, usize) {
    (s.as_ptr() as *const c_char, s.len())
}

/// Apply the security options before the sockets bind.
pub fn apply(opts: &[(String, String)]) -> Result<(), String> {
    for (name, value) in opts {
        let items = value.split(',').map(str::trim).filter(|s| !s.is_empty());
        // SAFETY: plain calls into the library with valid pointers and lengths.
        unsafe {
            match name.as_str() {
                "--curve" => curve_server(value)?,
                "--allow-keys" => {
                    let (p, n) = text(value);
                    let mut count = 0usize;
                    check(
                        "zeromq_auth_allow_keys_from",
                        zeromq_auth_allow_keys_from(p, n, &mut count),
                    )?;
                    println!("allowing {count} client key(s) from {value}");
                }
                "--allow" => {
                    for a in items {
                        let (p, n) = text(a);
                        check("zeromq_auth_allow", zeromq_auth_allow(p, n))?;
                    }
                }
                "--deny" => {
                    for a in items {
                        let (p, n) = text(a);
                        check("zeromq_auth_deny", zeromq_auth_deny(p, n))?;
                    }
                }
                "--allow-functions" => {
                    for f in items {
                        let (p, n) = text(f);
                        check("zeromq_handler_allow", zeromq_handler_allow(p, n))?;
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

unsafe fn curve_server(cert: &str) -> Result<(), String> {
    let mut public = [0 as c_char; 41];
    let mut secret = [0 as c_char; 41];
    let mut has_secret = 0i32;
    let (p, n) = text(cert);
    // SAFETY: `(p, n)` is the live text `cert`; both key buffers hold 41 writable bytes.
    let rc = unsafe {
        zeromq_curve_cert_read(
            p,
            n,
            public.as_mut_ptr(),
            secret.as_mut_ptr(),
            &mut has_secret,
        )
    };
    check("zeromq_curve_cert_read", rc)?;
    if has_secret == 0 {
        return Err(format!("{cert} holds no secret key (use NAME.key_secret)"));
    }
    let on = 1i32;
    for role in [ZEROMQ_ROLE_SERVER, ZEROMQ_ROLE_PUBLISHER] {
        // SAFETY: `on` is a live `int32_t`: 4 readable bytes.
        let rc = unsafe {
            zeromq_role_set_option(
                role,
                ZEROMQ_OPT_CURVE_SERVER,
                &on as *const i32 as *const c_void,
                4,
            )
        };
        check("zeromq_role_set_option(CURVE_SERVER)", rc)?;
        // SAFETY: `secret` holds 41 readable bytes, the first 40 the key.
        let rc = unsafe {
            zeromq_role_set_option(
                role,
                ZEROMQ_OPT_CURVE_SECRETKEY,
                secret.as_ptr() as *const c_void,
                40,
            )
        };
        check("zeromq_role_set_option(CURVE_SECRETKEY)", rc)?;
    }
    let public: String = public[..40].iter().map(|&c| c as u8 as char).collect();
    println!("CURVE on; server public key {public}");
    Ok(())
}
