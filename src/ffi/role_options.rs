//! Options of the role sockets (`zeromq_role_set_option`) and the `ZEROMQ_OPT_*` numbers, which
//! are libzmq's.

use super::{bytes, call, manager};
use crate::error::Error;
use crate::manager::Role;
use std::ffi::c_void;

/// `ZMQ_ROUTING_ID`: bytes.
pub const ZEROMQ_OPT_ROUTING_ID: i32 = 5;
/// `ZMQ_SNDBUF`: int32.
pub const ZEROMQ_OPT_SNDBUF: i32 = 11;
/// `ZMQ_RCVBUF`: int32.
pub const ZEROMQ_OPT_RCVBUF: i32 = 12;
/// `ZMQ_LINGER`: int32, milliseconds.
pub const ZEROMQ_OPT_LINGER: i32 = 17;
/// `ZMQ_RECONNECT_IVL`: int32, milliseconds.
pub const ZEROMQ_OPT_RECONNECT_IVL: i32 = 18;
/// `ZMQ_BACKLOG`: int32.
pub const ZEROMQ_OPT_BACKLOG: i32 = 19;
/// `ZMQ_RECONNECT_IVL_MAX`: int32, milliseconds.
pub const ZEROMQ_OPT_RECONNECT_IVL_MAX: i32 = 21;
/// `ZMQ_MAXMSGSIZE`: int64, bytes (-1: no limit).
pub const ZEROMQ_OPT_MAXMSGSIZE: i32 = 22;
/// `ZMQ_SNDHWM`: int32, messages.
pub const ZEROMQ_OPT_SNDHWM: i32 = 23;
/// `ZMQ_RCVHWM`: int32, messages.
pub const ZEROMQ_OPT_RCVHWM: i32 = 24;
/// `ZMQ_RCVTIMEO`: int32, milliseconds.
pub const ZEROMQ_OPT_RCVTIMEO: i32 = 27;
/// `ZMQ_SNDTIMEO`: int32, milliseconds.
pub const ZEROMQ_OPT_SNDTIMEO: i32 = 28;
/// `ZMQ_TCP_KEEPALIVE`: int32 (-1 system default, 0 off, 1 on).
pub const ZEROMQ_OPT_TCP_KEEPALIVE: i32 = 34;
/// `ZMQ_TCP_KEEPALIVE_CNT`: int32.
pub const ZEROMQ_OPT_TCP_KEEPALIVE_CNT: i32 = 35;
/// `ZMQ_TCP_KEEPALIVE_IDLE`: int32, seconds.
pub const ZEROMQ_OPT_TCP_KEEPALIVE_IDLE: i32 = 36;
/// `ZMQ_TCP_KEEPALIVE_INTVL`: int32, seconds.
pub const ZEROMQ_OPT_TCP_KEEPALIVE_INTVL: i32 = 37;
/// `ZMQ_IMMEDIATE`: int32 (0/1).
pub const ZEROMQ_OPT_IMMEDIATE: i32 = 39;
/// `ZMQ_IPV6`: int32 (0/1).
pub const ZEROMQ_OPT_IPV6: i32 = 42;
/// `ZMQ_CURVE_SERVER`: int32 (0/1); the socket also needs its secret key.
pub const ZEROMQ_OPT_CURVE_SERVER: i32 = 47;
/// `ZMQ_CURVE_PUBLICKEY`: 40 characters of Z85 or 32 bytes.
pub const ZEROMQ_OPT_CURVE_PUBLICKEY: i32 = 48;
/// `ZMQ_CURVE_SECRETKEY`: 40 characters of Z85 or 32 bytes.
pub const ZEROMQ_OPT_CURVE_SECRETKEY: i32 = 49;
/// `ZMQ_CURVE_SERVERKEY`: the server's public key, 40 characters of Z85 or 32 bytes.
pub const ZEROMQ_OPT_CURVE_SERVERKEY: i32 = 50;
/// `ZMQ_ZAP_DOMAIN`: bytes.
pub const ZEROMQ_OPT_ZAP_DOMAIN: i32 = 55;
/// `ZMQ_HANDSHAKE_IVL`: int32, milliseconds.
pub const ZEROMQ_OPT_HANDSHAKE_IVL: i32 = 66;
/// `ZMQ_HEARTBEAT_IVL`: int32, milliseconds.
pub const ZEROMQ_OPT_HEARTBEAT_IVL: i32 = 75;
/// `ZMQ_HEARTBEAT_TTL`: int32, milliseconds.
pub const ZEROMQ_OPT_HEARTBEAT_TTL: i32 = 76;
/// `ZMQ_HEARTBEAT_TIMEOUT`: int32, milliseconds.
pub const ZEROMQ_OPT_HEARTBEAT_TIMEOUT: i32 = 77;
/// `ZMQ_CONNECT_TIMEOUT`: int32, milliseconds.
pub const ZEROMQ_OPT_CONNECT_TIMEOUT: i32 = 79;

/// Set a libzmq option (`ZEROMQ_OPT_*`) on a role socket (`ZEROMQ_ROLE_*`): `value`/`len` as
/// `zmq_setsockopt` takes them (int options are int32_t, MAXMSGSIZE int64_t, keys 40
/// characters of Z85 or 32 bytes, the rest bytes). The option is kept across `zeromq_stop`,
/// applied whenever the role socket is created, and at once when it exists (binds and
/// connections made before keep their security settings).
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for an unknown role or option or a value of the wrong size,
/// `ZEROMQ_ERR_INVALID_KEY` for a bad CURVE key.
#[no_mangle]
pub unsafe extern "C" fn zeromq_role_set_option(
    role: i32,
    option: i32,
    value: *const c_void,
    len: usize,
) -> i32 {
    call(|| {
        let role = Role::from_i32(role)
            .ok_or_else(|| Error::invalid_arg(format!("Unknown role {role}.")))?;
        manager().set_role_option(role, option, bytes(value, len, "value")?)
    })
}
