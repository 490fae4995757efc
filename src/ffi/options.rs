//! `ZEROMQ_OPT_<NAME>`: the socket options, with libzmq's numbers, for
//! `zeromq_socket_set_option` / `zeromq_socket_get_option`, and `ZEROMQ_CTX_<NAME>` for the
//! context options. The table behind them is `crate::socket::options` (value types and access);
//! a unit test checks that every constant here matches it.

/// ZMQ_AFFINITY: int64_t, set and read.
pub const ZEROMQ_OPT_AFFINITY: i32 = 4;
/// ZMQ_ROUTING_ID: bytes, set and read.
pub const ZEROMQ_OPT_ROUTING_ID: i32 = 5;
/// ZMQ_SUBSCRIBE: bytes, set only.
pub const ZEROMQ_OPT_SUBSCRIBE: i32 = 6;
/// ZMQ_UNSUBSCRIBE: bytes, set only.
pub const ZEROMQ_OPT_UNSUBSCRIBE: i32 = 7;
/// ZMQ_RATE: int32_t, set and read.
pub const ZEROMQ_OPT_RATE: i32 = 8;
/// ZMQ_RECOVERY_IVL: int32_t, set and read.
pub const ZEROMQ_OPT_RECOVERY_IVL: i32 = 9;
/// ZMQ_SNDBUF: int32_t, set and read.
pub const ZEROMQ_OPT_SNDBUF: i32 = 11;
/// ZMQ_RCVBUF: int32_t, set and read.
pub const ZEROMQ_OPT_RCVBUF: i32 = 12;
/// ZMQ_RCVMORE: int32_t, read only.
pub const ZEROMQ_OPT_RCVMORE: i32 = 13;
/// ZMQ_EVENTS: int32_t, read only.
pub const ZEROMQ_OPT_EVENTS: i32 = 15;
/// ZMQ_TYPE: int32_t, read only.
pub const ZEROMQ_OPT_TYPE: i32 = 16;
/// ZMQ_LINGER: int32_t, set and read.
pub const ZEROMQ_OPT_LINGER: i32 = 17;
/// ZMQ_RECONNECT_IVL: int32_t, set and read.
pub const ZEROMQ_OPT_RECONNECT_IVL: i32 = 18;
/// ZMQ_BACKLOG: int32_t, set and read.
pub const ZEROMQ_OPT_BACKLOG: i32 = 19;
/// ZMQ_RECONNECT_IVL_MAX: int32_t, set and read.
pub const ZEROMQ_OPT_RECONNECT_IVL_MAX: i32 = 21;
/// ZMQ_MAXMSGSIZE: int64_t, set and read.
pub const ZEROMQ_OPT_MAXMSGSIZE: i32 = 22;
/// ZMQ_SNDHWM: int32_t, set and read.
pub const ZEROMQ_OPT_SNDHWM: i32 = 23;
/// ZMQ_RCVHWM: int32_t, set and read.
pub const ZEROMQ_OPT_RCVHWM: i32 = 24;
/// ZMQ_MULTICAST_HOPS: int32_t, set and read.
pub const ZEROMQ_OPT_MULTICAST_HOPS: i32 = 25;
/// ZMQ_RCVTIMEO: int32_t, set and read.
pub const ZEROMQ_OPT_RCVTIMEO: i32 = 27;
/// ZMQ_SNDTIMEO: int32_t, set and read.
pub const ZEROMQ_OPT_SNDTIMEO: i32 = 28;
/// ZMQ_LAST_ENDPOINT: bytes, read only.
pub const ZEROMQ_OPT_LAST_ENDPOINT: i32 = 32;
/// ZMQ_ROUTER_MANDATORY: int32_t, set only.
pub const ZEROMQ_OPT_ROUTER_MANDATORY: i32 = 33;
/// ZMQ_TCP_KEEPALIVE: int32_t, set and read.
pub const ZEROMQ_OPT_TCP_KEEPALIVE: i32 = 34;
/// ZMQ_TCP_KEEPALIVE_CNT: int32_t, set and read.
pub const ZEROMQ_OPT_TCP_KEEPALIVE_CNT: i32 = 35;
/// ZMQ_TCP_KEEPALIVE_IDLE: int32_t, set and read.
pub const ZEROMQ_OPT_TCP_KEEPALIVE_IDLE: i32 = 36;
/// ZMQ_TCP_KEEPALIVE_INTVL: int32_t, set and read.
pub const ZEROMQ_OPT_TCP_KEEPALIVE_INTVL: i32 = 37;
/// ZMQ_IMMEDIATE: int32_t, set and read.
pub const ZEROMQ_OPT_IMMEDIATE: i32 = 39;
/// ZMQ_XPUB_VERBOSE: int32_t, set only.
pub const ZEROMQ_OPT_XPUB_VERBOSE: i32 = 40;
/// ZMQ_ROUTER_RAW: int32_t, set only.
pub const ZEROMQ_OPT_ROUTER_RAW: i32 = 41;
/// ZMQ_IPV6: int32_t, set and read.
pub const ZEROMQ_OPT_IPV6: i32 = 42;
/// ZMQ_MECHANISM: int32_t, read only.
pub const ZEROMQ_OPT_MECHANISM: i32 = 43;
/// ZMQ_PLAIN_SERVER: int32_t, set and read.
pub const ZEROMQ_OPT_PLAIN_SERVER: i32 = 44;
/// ZMQ_PLAIN_USERNAME: bytes, set and read.
pub const ZEROMQ_OPT_PLAIN_USERNAME: i32 = 45;
/// ZMQ_PLAIN_PASSWORD: bytes, set and read.
pub const ZEROMQ_OPT_PLAIN_PASSWORD: i32 = 46;
/// ZMQ_CURVE_SERVER: int32_t, set and read.
pub const ZEROMQ_OPT_CURVE_SERVER: i32 = 47;
/// ZMQ_CURVE_PUBLICKEY: bytes, set and read.
pub const ZEROMQ_OPT_CURVE_PUBLICKEY: i32 = 48;
/// ZMQ_CURVE_SECRETKEY: bytes, set and read.
pub const ZEROMQ_OPT_CURVE_SECRETKEY: i32 = 49;
/// ZMQ_CURVE_SERVERKEY: bytes, set and read.
pub const ZEROMQ_OPT_CURVE_SERVERKEY: i32 = 50;
/// ZMQ_PROBE_ROUTER: int32_t, set only.
pub const ZEROMQ_OPT_PROBE_ROUTER: i32 = 51;
/// ZMQ_REQ_CORRELATE: int32_t, set only.
pub const ZEROMQ_OPT_REQ_CORRELATE: i32 = 52;
/// ZMQ_REQ_RELAXED: int32_t, set only.
pub const ZEROMQ_OPT_REQ_RELAXED: i32 = 53;
/// ZMQ_CONFLATE: int32_t, set only.
pub const ZEROMQ_OPT_CONFLATE: i32 = 54;
/// ZMQ_ZAP_DOMAIN: bytes, set and read.
pub const ZEROMQ_OPT_ZAP_DOMAIN: i32 = 55;
/// ZMQ_ROUTER_HANDOVER: int32_t, set only.
pub const ZEROMQ_OPT_ROUTER_HANDOVER: i32 = 56;
/// ZMQ_TOS: int32_t, set and read.
pub const ZEROMQ_OPT_TOS: i32 = 57;
/// ZMQ_CONNECT_ROUTING_ID: bytes, set only.
pub const ZEROMQ_OPT_CONNECT_ROUTING_ID: i32 = 61;
/// ZMQ_HANDSHAKE_IVL: int32_t, set and read.
pub const ZEROMQ_OPT_HANDSHAKE_IVL: i32 = 66;
/// ZMQ_SOCKS_PROXY: bytes, set and read.
pub const ZEROMQ_OPT_SOCKS_PROXY: i32 = 68;
/// ZMQ_XPUB_NODROP: int32_t, set only.
pub const ZEROMQ_OPT_XPUB_NODROP: i32 = 69;
/// ZMQ_XPUB_MANUAL: int32_t, set only.
pub const ZEROMQ_OPT_XPUB_MANUAL: i32 = 71;
/// ZMQ_XPUB_WELCOME_MSG: bytes, set only.
pub const ZEROMQ_OPT_XPUB_WELCOME_MSG: i32 = 72;
/// ZMQ_STREAM_NOTIFY: int32_t, set only.
pub const ZEROMQ_OPT_STREAM_NOTIFY: i32 = 73;
/// ZMQ_INVERT_MATCHING: int32_t, set and read.
pub const ZEROMQ_OPT_INVERT_MATCHING: i32 = 74;
/// ZMQ_HEARTBEAT_IVL: int32_t, set only.
pub const ZEROMQ_OPT_HEARTBEAT_IVL: i32 = 75;
/// ZMQ_HEARTBEAT_TTL: int32_t, set only.
pub const ZEROMQ_OPT_HEARTBEAT_TTL: i32 = 76;
/// ZMQ_HEARTBEAT_TIMEOUT: int32_t, set only.
pub const ZEROMQ_OPT_HEARTBEAT_TIMEOUT: i32 = 77;
/// ZMQ_XPUB_VERBOSER: int32_t, set only.
pub const ZEROMQ_OPT_XPUB_VERBOSER: i32 = 78;
/// ZMQ_CONNECT_TIMEOUT: int32_t, set and read.
pub const ZEROMQ_OPT_CONNECT_TIMEOUT: i32 = 79;
/// ZMQ_TCP_MAXRT: int32_t, set and read.
pub const ZEROMQ_OPT_TCP_MAXRT: i32 = 80;
/// ZMQ_THREAD_SAFE: int32_t, read only.
pub const ZEROMQ_OPT_THREAD_SAFE: i32 = 81;
/// ZMQ_MULTICAST_MAXTPDU: int32_t, set and read.
pub const ZEROMQ_OPT_MULTICAST_MAXTPDU: i32 = 84;
/// ZMQ_BINDTODEVICE: bytes, set and read.
pub const ZEROMQ_OPT_BINDTODEVICE: i32 = 92;
/// Context option ZMQ_IO_THREADS: int32_t, set and read, before the first socket exists.
pub const ZEROMQ_CTX_IO_THREADS: i32 = 1;
/// Context option ZMQ_MAX_SOCKETS: int32_t, set and read, before the first socket exists.
pub const ZEROMQ_CTX_MAX_SOCKETS: i32 = 2;
/// Context option ZMQ_SOCKET_LIMIT: int32_t, read only.
pub const ZEROMQ_CTX_SOCKET_LIMIT: i32 = 3;
/// Context option ZMQ_THREAD_PRIORITY: int32_t, set only, before the first socket exists.
pub const ZEROMQ_CTX_THREAD_PRIORITY: i32 = 3;
/// Context option ZMQ_THREAD_SCHED_POLICY: int32_t, set only, before the first socket exists.
pub const ZEROMQ_CTX_THREAD_SCHED_POLICY: i32 = 4;
/// Context option ZMQ_MAX_MSGSZ: int32_t, set and read.
pub const ZEROMQ_CTX_MAX_MSGSZ: i32 = 5;
/// Context option ZMQ_MSG_T_SIZE: int32_t, read only.
pub const ZEROMQ_CTX_MSG_T_SIZE: i32 = 6;
/// Context option ZMQ_THREAD_AFFINITY_CPU_ADD: int32_t, set only, before the first socket exists.
pub const ZEROMQ_CTX_THREAD_AFFINITY_CPU_ADD: i32 = 7;
/// Context option ZMQ_THREAD_AFFINITY_CPU_REMOVE: int32_t, set only, before the first socket exists.
pub const ZEROMQ_CTX_THREAD_AFFINITY_CPU_REMOVE: i32 = 8;
/// Context option ZMQ_THREAD_NAME_PREFIX: int32_t, set only, before the first socket exists.
pub const ZEROMQ_CTX_THREAD_NAME_PREFIX: i32 = 9;
/// Context option ZMQ_IPV6: int32_t, set and read.
pub const ZEROMQ_CTX_IPV6: i32 = 42;
/// Context option ZMQ_BLOCKY: int32_t, set and read.
pub const ZEROMQ_CTX_BLOCKY: i32 = 70;

#[cfg(test)]
mod tests {
    use crate::socket::{context::CONTEXT_OPTIONS, options};

    /// Every constant in this file names an option of the tables with the same number, and
    /// every option of the tables has its constant.
    #[test]
    fn constants_match_the_tables() {
        let text = include_str!("options.rs");
        let (mut sock, mut ctx) = (0, 0);
        for line in text.lines() {
            let Some(rest) = line.strip_prefix("pub const ZEROMQ_") else {
                continue;
            };
            let (name, number) = rest.split_once(": i32 = ").unwrap();
            let number: i32 = number.trim_end_matches(';').parse().unwrap();
            if let Some(n) = name.strip_prefix("OPT_") {
                assert_eq!(options::by_name(n).unwrap().number, number, "{n}");
                sock += 1;
            } else {
                let n = name.strip_prefix("CTX_").unwrap();
                let o = crate::socket::context::option_by_name(n).unwrap();
                assert_eq!(o.number, number, "{n}");
                ctx += 1;
            }
        }
        assert_eq!(sock, options::SOCKET_OPTIONS.len());
        assert_eq!(ctx, CONTEXT_OPTIONS.len() + 1);
    }
}
