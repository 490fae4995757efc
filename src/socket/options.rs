//! The socket options the library passes to libzmq: one table of name, libzmq number, value
//! type and access, shared by the C constants (`ZEROMQ_OPT_<NAME>`), the by-name lookup of the
//! MATLAB functions, the checks of `zeromq_socket_set_option` / `zeromq_socket_get_option`, and
//! the options a host may set on the role sockets (`zeromq_role_set_option`, `role_options.rs`).

use super::context::last_zmq_error;
use crate::error::{Code, Error, Result};
use std::ffi::c_void;

mod role_options;
pub use role_options::{role_option, RoleOptions, CURVE_SERVER};

/// How an option's value is passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A C `int` (`int32_t`), 4 bytes.
    Int,
    /// A 64-bit integer (`int64_t` / `uint64_t`), 8 bytes.
    Int64,
    /// Bytes (identities, keys, endpoints, topics).
    Bytes,
}

/// One socket option.
#[derive(Clone, Copy, Debug)]
pub struct SockOption {
    /// Its name without the `ZMQ_` prefix, as libzmq spells it.
    pub name: &'static str,
    /// libzmq's number.
    pub number: i32,
    /// The value type.
    pub kind: Kind,
    /// `zmq_setsockopt` accepts it.
    pub settable: bool,
    /// `zmq_getsockopt` reports it.
    pub gettable: bool,
    /// A host may set it on the role sockets (options that would change the role functions'
    /// frame layouts or the subscriber's filter list are left out).
    pub role: bool,
}

const fn has(access: &[u8], c: u8) -> bool {
    let mut i = 0;
    while i < access.len() {
        if access[i] == c {
            return true;
        }
        i += 1;
    }
    false
}

const fn opt(name: &'static str, number: i32, kind: Kind, access: &str) -> SockOption {
    let a = access.as_bytes();
    SockOption {
        name,
        number,
        kind,
        settable: has(a, b's'),
        gettable: has(a, b'g'),
        role: has(a, b'r'),
    }
}

use Kind::{Bytes, Int, Int64};

/// Every option the library supports (libzmq 4.3 numbers). Access: "s" settable, "g" gettable,
/// "r" settable on the role sockets too.
pub const SOCKET_OPTIONS: &[SockOption] = &[
    opt("AFFINITY", 4, Int64, "sg"),
    opt("ROUTING_ID", 5, Bytes, "sgr"),
    opt("SUBSCRIBE", 6, Bytes, "s"),
    opt("UNSUBSCRIBE", 7, Bytes, "s"),
    opt("RATE", 8, Int, "sg"),
    opt("RECOVERY_IVL", 9, Int, "sg"),
    opt("SNDBUF", 11, Int, "sgr"),
    opt("RCVBUF", 12, Int, "sgr"),
    opt("RCVMORE", 13, Int, "g"),
    opt("EVENTS", 15, Int, "g"),
    opt("TYPE", 16, Int, "g"),
    opt("LINGER", 17, Int, "sgr"),
    opt("RECONNECT_IVL", 18, Int, "sgr"),
    opt("BACKLOG", 19, Int, "sgr"),
    opt("RECONNECT_IVL_MAX", 21, Int, "sgr"),
    opt("MAXMSGSIZE", 22, Int64, "sgr"),
    opt("SNDHWM", 23, Int, "sgr"),
    opt("RCVHWM", 24, Int, "sgr"),
    opt("MULTICAST_HOPS", 25, Int, "sg"),
    opt("RCVTIMEO", 27, Int, "sgr"),
    opt("SNDTIMEO", 28, Int, "sgr"),
    opt("LAST_ENDPOINT", 32, Bytes, "g"),
    opt("ROUTER_MANDATORY", 33, Int, "s"),
    opt("TCP_KEEPALIVE", 34, Int, "sgr"),
    opt("TCP_KEEPALIVE_CNT", 35, Int, "sgr"),
    opt("TCP_KEEPALIVE_IDLE", 36, Int, "sgr"),
    opt("TCP_KEEPALIVE_INTVL", 37, Int, "sgr"),
    opt("IMMEDIATE", 39, Int, "sgr"),
    opt("XPUB_VERBOSE", 40, Int, "s"),
    opt("ROUTER_RAW", 41, Int, "s"),
    opt("IPV6", 42, Int, "sgr"),
    opt("MECHANISM", 43, Int, "g"),
    opt("PLAIN_SERVER", 44, Int, "sg"),
    opt("PLAIN_USERNAME", 45, Bytes, "sg"),
    opt("PLAIN_PASSWORD", 46, Bytes, "sg"),
    opt("CURVE_SERVER", 47, Int, "sgr"),
    opt("CURVE_PUBLICKEY", 48, Bytes, "sgr"),
    opt("CURVE_SECRETKEY", 49, Bytes, "sgr"),
    opt("CURVE_SERVERKEY", 50, Bytes, "sgr"),
    opt("PROBE_ROUTER", 51, Int, "s"),
    opt("REQ_CORRELATE", 52, Int, "s"),
    opt("REQ_RELAXED", 53, Int, "s"),
    opt("CONFLATE", 54, Int, "s"),
    opt("ZAP_DOMAIN", 55, Bytes, "sgr"),
    opt("ROUTER_HANDOVER", 56, Int, "s"),
    opt("TOS", 57, Int, "sg"),
    opt("CONNECT_ROUTING_ID", 61, Bytes, "s"),
    opt("HANDSHAKE_IVL", 66, Int, "sgr"),
    opt("SOCKS_PROXY", 68, Bytes, "sg"),
    opt("XPUB_NODROP", 69, Int, "s"),
    opt("XPUB_MANUAL", 71, Int, "s"),
    opt("XPUB_WELCOME_MSG", 72, Bytes, "s"),
    opt("STREAM_NOTIFY", 73, Int, "s"),
    opt("INVERT_MATCHING", 74, Int, "sg"),
    opt("HEARTBEAT_IVL", 75, Int, "sr"),
    opt("HEARTBEAT_TTL", 76, Int, "sr"),
    opt("HEARTBEAT_TIMEOUT", 77, Int, "sr"),
    opt("XPUB_VERBOSER", 78, Int, "s"),
    opt("CONNECT_TIMEOUT", 79, Int, "sgr"),
    opt("TCP_MAXRT", 80, Int, "sg"),
    opt("THREAD_SAFE", 81, Int, "g"),
    opt("MULTICAST_MAXTPDU", 84, Int, "sg"),
    opt("BINDTODEVICE", 92, Bytes, "sg"),
];

/// The option with libzmq number `number`.
pub fn by_number(number: i32) -> Result<&'static SockOption> {
    SOCKET_OPTIONS
        .iter()
        .find(|o| o.number == number)
        .ok_or_else(|| {
            Error::new(
                Code::InvalidArg,
                format!(
                    "Unknown socket option {number}: use a ZEROMQ_OPT_* constant (libzmq's \
                     number)."
                ),
            )
        })
}

/// The option called `name` (with or without the `ZMQ_` prefix, any case; `IDENTITY` is the
/// old name of `ROUTING_ID`).
pub fn by_name(name: &str) -> Result<&'static SockOption> {
    let n = name.trim().to_ascii_uppercase();
    let n = n.strip_prefix("ZMQ_").unwrap_or(&n);
    let n = if n == "IDENTITY" { "ROUTING_ID" } else { n };
    SOCKET_OPTIONS.iter().find(|o| o.name == n).ok_or_else(|| {
        Error::new(
            Code::InvalidArg,
            format!("Unknown socket option \"{name}\"."),
        )
    })
}

/// Longest value read back (CURVE keys as Z85 text are 41, endpoints may be long paths).
const MAX_BYTES: usize = 4096;

/// `zmq_setsockopt` with the size the option's type requires.
///
/// # Safety
/// `sock` is a live libzmq socket used by no other thread during the call.
pub unsafe fn set(sock: *mut c_void, number: i32, value: &[u8]) -> Result<()> {
    let o = by_number(number)?;
    if !o.settable {
        return Err(Error::invalid_arg(format!(
            "The socket option {} ({number}) can only be read.",
            o.name
        )));
    }
    check_size(o, value.len())?;
    let ptr = if value.is_empty() {
        std::ptr::null()
    } else {
        value.as_ptr().cast()
    };
    // SAFETY: `sock` is a live socket no other thread uses (the contract); `ptr` is NULL with
    // length 0 or points to `value.len()` readable bytes borrowed for the call.
    if unsafe { zmq_sys::zmq_setsockopt(sock, number, ptr, value.len()) } == -1 {
        return Err(Error::zmq(
            &format!("zmq_setsockopt(ZMQ_{})", o.name),
            last_zmq_error(),
        ));
    }
    Ok(())
}

/// `zmq_getsockopt`: the value's bytes (native-endian integers for the integer types; string
/// options as libzmq gives them, with their terminating NUL).
///
/// # Safety
/// `sock` is a live libzmq socket used by no other thread during the call.
pub unsafe fn get(sock: *mut c_void, number: i32) -> Result<Vec<u8>> {
    let o = by_number(number)?;
    if !o.gettable {
        return Err(Error::invalid_arg(format!(
            "The socket option {} ({number}) can only be set.",
            o.name
        )));
    }
    let mut buf = vec![
        0u8;
        match o.kind {
            Int => 4,
            Int64 => 8,
            Bytes => MAX_BYTES,
        }
    ];
    let mut len = buf.len();
    // SAFETY: `sock` is a live socket no other thread uses (the contract); `buf` is writable
    // for `len` bytes and `len` is a valid in/out length.
    if unsafe { zmq_sys::zmq_getsockopt(sock, number, buf.as_mut_ptr().cast(), &mut len) } == -1 {
        return Err(Error::zmq(
            &format!("zmq_getsockopt(ZMQ_{})", o.name),
            last_zmq_error(),
        ));
    }
    buf.truncate(len);
    Ok(buf)
}

/// The value size check: integers must have exactly their size.
pub fn check_size(o: &SockOption, len: usize) -> Result<()> {
    let want = match o.kind {
        Int => 4,
        Int64 => 8,
        Bytes => return Ok(()),
    };
    if len != want {
        return Err(Error::invalid_arg(format!(
            "The socket option {} ({}) takes a {}-byte integer, not {len} bytes.",
            o.name, o.number, want
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use zmq_sys as z;

    #[test]
    fn the_table_has_libzmqs_numbers_and_unique_names() {
        let want = [
            ("AFFINITY", z::ZMQ_AFFINITY),
            ("ROUTING_ID", z::ZMQ_ROUTING_ID),
            ("SUBSCRIBE", z::ZMQ_SUBSCRIBE),
            ("UNSUBSCRIBE", z::ZMQ_UNSUBSCRIBE),
            ("RATE", z::ZMQ_RATE),
            ("RECOVERY_IVL", z::ZMQ_RECOVERY_IVL),
            ("SNDBUF", z::ZMQ_SNDBUF),
            ("RCVBUF", z::ZMQ_RCVBUF),
            ("RCVMORE", z::ZMQ_RCVMORE),
            ("EVENTS", z::ZMQ_EVENTS),
            ("TYPE", z::ZMQ_TYPE),
            ("LINGER", z::ZMQ_LINGER),
            ("RECONNECT_IVL", z::ZMQ_RECONNECT_IVL),
            ("BACKLOG", z::ZMQ_BACKLOG),
            ("RECONNECT_IVL_MAX", z::ZMQ_RECONNECT_IVL_MAX),
            ("MAXMSGSIZE", z::ZMQ_MAXMSGSIZE),
            ("SNDHWM", z::ZMQ_SNDHWM),
            ("RCVHWM", z::ZMQ_RCVHWM),
            ("MULTICAST_HOPS", z::ZMQ_MULTICAST_HOPS),
            ("RCVTIMEO", z::ZMQ_RCVTIMEO),
            ("SNDTIMEO", z::ZMQ_SNDTIMEO),
            ("LAST_ENDPOINT", z::ZMQ_LAST_ENDPOINT),
            ("ROUTER_MANDATORY", z::ZMQ_ROUTER_MANDATORY),
            ("TCP_KEEPALIVE", z::ZMQ_TCP_KEEPALIVE),
            ("TCP_KEEPALIVE_CNT", z::ZMQ_TCP_KEEPALIVE_CNT),
            ("TCP_KEEPALIVE_IDLE", z::ZMQ_TCP_KEEPALIVE_IDLE),
            ("TCP_KEEPALIVE_INTVL", z::ZMQ_TCP_KEEPALIVE_INTVL),
            ("IMMEDIATE", z::ZMQ_IMMEDIATE),
            ("XPUB_VERBOSE", z::ZMQ_XPUB_VERBOSE),
            ("ROUTER_RAW", z::ZMQ_ROUTER_RAW),
            ("IPV6", z::ZMQ_IPV6),
            ("MECHANISM", z::ZMQ_MECHANISM),
            ("PLAIN_SERVER", z::ZMQ_PLAIN_SERVER),
            ("PLAIN_USERNAME", z::ZMQ_PLAIN_USERNAME),
            ("PLAIN_PASSWORD", z::ZMQ_PLAIN_PASSWORD),
            ("CURVE_SERVER", z::ZMQ_CURVE_SERVER),
            ("CURVE_PUBLICKEY", z::ZMQ_CURVE_PUBLICKEY),
            ("CURVE_SECRETKEY", z::ZMQ_CURVE_SECRETKEY),
            ("CURVE_SERVERKEY", z::ZMQ_CURVE_SERVERKEY),
            ("PROBE_ROUTER", z::ZMQ_PROBE_ROUTER),
            ("REQ_CORRELATE", z::ZMQ_REQ_CORRELATE),
            ("REQ_RELAXED", z::ZMQ_REQ_RELAXED),
            ("CONFLATE", z::ZMQ_CONFLATE),
            ("ZAP_DOMAIN", z::ZMQ_ZAP_DOMAIN),
            ("ROUTER_HANDOVER", z::ZMQ_ROUTER_HANDOVER),
            ("TOS", z::ZMQ_TOS),
            ("CONNECT_ROUTING_ID", z::ZMQ_CONNECT_ROUTING_ID),
            ("HANDSHAKE_IVL", z::ZMQ_HANDSHAKE_IVL),
            ("SOCKS_PROXY", z::ZMQ_SOCKS_PROXY),
            ("XPUB_NODROP", z::ZMQ_XPUB_NODROP),
            ("XPUB_MANUAL", z::ZMQ_XPUB_MANUAL),
            ("XPUB_WELCOME_MSG", z::ZMQ_XPUB_WELCOME_MSG),
            ("STREAM_NOTIFY", z::ZMQ_STREAM_NOTIFY),
            ("INVERT_MATCHING", z::ZMQ_INVERT_MATCHING),
            ("HEARTBEAT_IVL", z::ZMQ_HEARTBEAT_IVL),
            ("HEARTBEAT_TTL", z::ZMQ_HEARTBEAT_TTL),
            ("HEARTBEAT_TIMEOUT", z::ZMQ_HEARTBEAT_TIMEOUT),
            ("XPUB_VERBOSER", z::ZMQ_XPUB_VERBOSER),
            ("CONNECT_TIMEOUT", z::ZMQ_CONNECT_TIMEOUT),
            ("TCP_MAXRT", z::ZMQ_TCP_MAXRT),
            ("THREAD_SAFE", z::ZMQ_THREAD_SAFE),
            ("MULTICAST_MAXTPDU", z::ZMQ_MULTICAST_MAXTPDU),
            ("BINDTODEVICE", z::ZMQ_BINDTODEVICE),
        ];
        assert_eq!(want.len(), SOCKET_OPTIONS.len());
        for (name, number) in want {
            let o = by_name(name).unwrap();
            assert_eq!(o.number, number as i32, "{name}");
            assert_eq!(by_number(o.number).unwrap().name, name);
        }
        assert_eq!(by_name("zmq_identity").unwrap().number, 5);
        assert_eq!(by_name("linger").unwrap().kind, Int);
        assert_eq!(by_name("NOPE").unwrap_err().code, Code::InvalidArg);
        assert_eq!(by_number(1000).unwrap_err().code, Code::InvalidArg);
    }

    #[test]
    fn set_and_get_check_type_size_and_access() {
        let ctx = zmq::Context::new();
        let mut s = ctx.socket(zmq::SUB).unwrap();
        let p = s.as_mut_ptr();
        // SAFETY: `p` is the live socket `s`, used by this thread only.
        unsafe {
            set(p, 17, &250i32.to_ne_bytes()).unwrap();
            assert_eq!(get(p, 17).unwrap(), 250i32.to_ne_bytes());
            let e = set(p, 17, &250i64.to_ne_bytes()).unwrap_err();
            assert!(e.detail.contains("4-byte"), "{}", e.detail);
            set(p, 22, &(-1i64).to_ne_bytes()).unwrap();
            assert_eq!(get(p, 22).unwrap(), (-1i64).to_ne_bytes());
            set(p, 6, b"").unwrap();
            set(p, 6, b"topic").unwrap();
            assert_eq!(set(p, 16, &[0; 4]).unwrap_err().code, Code::InvalidArg);
            assert_eq!(get(p, 6).unwrap_err().code, Code::InvalidArg);
            assert_eq!(get(p, 16).unwrap(), (zmq_sys::ZMQ_SUB as i32).to_ne_bytes());
            s.bind("tcp://127.0.0.1:*").unwrap();
            let ep = get(p, 32).unwrap();
            assert!(ep.starts_with(b"tcp://127.0.0.1:") && ep.ends_with(b"\0"));
        }
    }
}
