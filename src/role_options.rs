//! Socket options by libzmq number: one table of names, numbers, value kinds and setters, and
//! the options the host set on each role socket (kept across `zeromq_stop`, applied when the
//! role socket is created and at once to an existing one).

use crate::error::{Error, Result};
use crate::security::keys::{parse_option_key, Key};
use parking_lot::Mutex;

/// libzmq's `ZMQ_CURVE_SERVER`.
pub const CURVE_SERVER: i32 = 47;

/// How an option's value is passed (as `zmq_setsockopt` takes it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `int32_t`.
    Int,
    /// `int64_t`.
    Int64,
    /// Bytes (up to 255).
    Bytes,
    /// A CURVE key: 32 bytes, or 40 characters of Z85 text (a trailing NUL allowed).
    Key,
}

/// A parsed option value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// An `int32_t` option.
    Int(i32),
    /// An `int64_t` option.
    Int64(i64),
    /// A byte-string option.
    Bytes(Vec<u8>),
    /// A CURVE key.
    Key(Key),
}

/// One supported option.
pub struct Spec {
    /// libzmq's name without `ZMQ_`.
    pub name: &'static str,
    /// libzmq's number.
    pub number: i32,
    /// How the value is passed.
    pub kind: Kind,
    set: fn(&zmq::Socket, &Value) -> zmq::Result<()>,
}

fn int(v: &Value) -> i32 {
    match v {
        Value::Int(i) => *i,
        _ => 0,
    }
}

fn bytes(v: &Value) -> &[u8] {
    match v {
        Value::Bytes(b) => b,
        Value::Key(k) => k,
        _ => &[],
    }
}

macro_rules! spec {
    ($name:literal, $number:literal, $kind:ident, $set:expr) => {
        Spec {
            name: $name,
            number: $number,
            kind: Kind::$kind,
            set: $set,
        }
    };
}

/// The supported options, by number.
pub static OPTIONS: &[Spec] = &[
    spec!("ROUTING_ID", 5, Bytes, |s, v| s.set_identity(bytes(v))),
    spec!("SNDBUF", 11, Int, |s, v| s.set_sndbuf(int(v))),
    spec!("RCVBUF", 12, Int, |s, v| s.set_rcvbuf(int(v))),
    spec!("LINGER", 17, Int, |s, v| s.set_linger(int(v))),
    spec!("RECONNECT_IVL", 18, Int, |s, v| s.set_reconnect_ivl(int(v))),
    spec!("BACKLOG", 19, Int, |s, v| s.set_backlog(int(v))),
    spec!("RECONNECT_IVL_MAX", 21, Int, |s, v| s
        .set_reconnect_ivl_max(int(v))),
    spec!("MAXMSGSIZE", 22, Int64, |s, v| s.set_maxmsgsize(match v {
        Value::Int64(n) => *n,
        _ => -1,
    })),
    spec!("SNDHWM", 23, Int, |s, v| s.set_sndhwm(int(v))),
    spec!("RCVHWM", 24, Int, |s, v| s.set_rcvhwm(int(v))),
    spec!("RCVTIMEO", 27, Int, |s, v| s.set_rcvtimeo(int(v))),
    spec!("SNDTIMEO", 28, Int, |s, v| s.set_sndtimeo(int(v))),
    spec!("TCP_KEEPALIVE", 34, Int, |s, v| s.set_tcp_keepalive(int(v))),
    spec!("TCP_KEEPALIVE_CNT", 35, Int, |s, v| s
        .set_tcp_keepalive_cnt(int(v))),
    spec!("TCP_KEEPALIVE_IDLE", 36, Int, |s, v| s
        .set_tcp_keepalive_idle(int(v))),
    spec!("TCP_KEEPALIVE_INTVL", 37, Int, |s, v| s
        .set_tcp_keepalive_intvl(int(v))),
    spec!("IMMEDIATE", 39, Int, |s, v| s.set_immediate(int(v) != 0)),
    spec!("IPV6", 42, Int, |s, v| s.set_ipv6(int(v) != 0)),
    spec!("CURVE_SERVER", 47, Int, |s, v| s
        .set_curve_server(int(v) != 0)),
    spec!("CURVE_PUBLICKEY", 48, Key, |s, v| s
        .set_curve_publickey(bytes(v))),
    spec!("CURVE_SECRETKEY", 49, Key, |s, v| s
        .set_curve_secretkey(bytes(v))),
    spec!("CURVE_SERVERKEY", 50, Key, |s, v| s
        .set_curve_serverkey(bytes(v))),
    spec!("ZAP_DOMAIN", 55, Bytes, |s, v| s
        .set_zap_domain(&String::from_utf8_lossy(bytes(v)))),
    spec!("HANDSHAKE_IVL", 66, Int, |s, v| s.set_handshake_ivl(int(v))),
    spec!("HEARTBEAT_IVL", 75, Int, |s, v| s.set_heartbeat_ivl(int(v))),
    spec!("HEARTBEAT_TTL", 76, Int, |s, v| s.set_heartbeat_ttl(int(v))),
    spec!("HEARTBEAT_TIMEOUT", 77, Int, |s, v| s
        .set_heartbeat_timeout(int(v))),
    spec!("CONNECT_TIMEOUT", 79, Int, |s, v| s
        .set_connect_timeout(int(v))),
];

/// The option with libzmq's number `number`.
pub fn spec(number: i32) -> Result<&'static Spec> {
    OPTIONS.iter().find(|s| s.number == number).ok_or_else(|| {
        Error::invalid_arg(format!(
            "Socket option {number} is not supported; supported: {}.",
            OPTIONS
                .iter()
                .map(|s| format!("{} {}", s.name, s.number))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

impl Spec {
    /// The value from the bytes `zmq_setsockopt` would take.
    pub fn parse(&self, raw: &[u8]) -> Result<Value> {
        let size = |n: usize| {
            if raw.len() == n {
                Ok(())
            } else {
                Err(Error::invalid_arg(format!(
                    "Socket option {} takes {n} bytes, not {}.",
                    self.name,
                    raw.len()
                )))
            }
        };
        Ok(match self.kind {
            Kind::Int => {
                size(4)?;
                Value::Int(i32::from_ne_bytes(raw.try_into().expect("4 bytes")))
            }
            Kind::Int64 => {
                size(8)?;
                Value::Int64(i64::from_ne_bytes(raw.try_into().expect("8 bytes")))
            }
            Kind::Bytes if raw.len() > 255 => {
                return Err(Error::invalid_arg(format!(
                    "Socket option {} takes at most 255 bytes, not {}.",
                    self.name,
                    raw.len()
                )))
            }
            Kind::Bytes => Value::Bytes(raw.to_vec()),
            Kind::Key => Value::Key(parse_option_key(raw, &self.name.to_lowercase())?),
        })
    }

    /// Set the option on a socket.
    pub fn apply(&self, sock: &zmq::Socket, value: &Value) -> Result<()> {
        (self.set)(sock, value).map_err(|e| {
            let mut x = Error::zmq("zmq_setsockopt", e);
            x.detail = format!("{} (option {} {})", x.detail, self.name, self.number);
            x
        })
    }
}

/// The options set on each of the four role sockets, in the order they were set.
#[derive(Default)]
pub struct RoleOptions {
    roles: [Mutex<Vec<(&'static Spec, Value)>>; 4],
}

impl RoleOptions {
    /// Remember an option for a role (replacing an earlier value of the same option).
    pub fn set(&self, role: usize, spec: &'static Spec, value: Value) {
        let mut list = self.roles[role].lock();
        match list.iter_mut().find(|(s, _)| s.number == spec.number) {
            Some(entry) => entry.1 = value,
            None => list.push((spec, value)),
        }
    }

    /// Apply every remembered option of a role to its (new) socket.
    pub fn apply_all(&self, role: usize, sock: &zmq::Socket) -> Result<()> {
        let list = self.roles[role].lock().clone();
        list.iter().try_for_each(|(spec, v)| spec.apply(sock, v))
    }

    /// The value of an option set on a role, if any.
    pub fn get(&self, role: usize, number: i32) -> Option<Value> {
        let list = self.roles[role].lock();
        list.iter()
            .find(|(s, _)| s.number == number)
            .map(|(_, v)| v.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_and_parses() {
        assert!(OPTIONS.windows(2).all(|w| w[0].number < w[1].number));
        let linger = spec(17).unwrap();
        assert_eq!(linger.parse(&5i32.to_ne_bytes()).unwrap(), Value::Int(5));
        assert!(linger.parse(&[1, 2]).is_err());
        assert!(spec(9999).is_err());
        let key = spec(50).unwrap();
        assert_eq!(
            key.parse(b"short").unwrap_err().code,
            crate::error::Code::InvalidArg
        );
        assert!(key.parse(&[0u8; 32]).is_ok());
    }

    #[test]
    fn options_apply_to_a_socket() {
        let ctx = zmq::Context::new();
        let s = ctx.socket(zmq::ROUTER).unwrap();
        let o = RoleOptions::default();
        o.set(1, spec(23).unwrap(), Value::Int(7));
        o.set(1, spec(23).unwrap(), Value::Int(9));
        o.apply_all(1, &s).unwrap();
        assert_eq!(s.get_sndhwm().unwrap(), 9);
        assert_eq!(o.get(1, 23), Some(Value::Int(9)));
    }
}
