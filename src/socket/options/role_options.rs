//! The options the host set on each of the four role sockets (`zeromq_role_set_option`): kept
//! across `zeromq_stop`, applied to every new socket of the role, and at once to an open one.
//!
//! A new socket gets the options in the order they were last set, so it ends in the state the
//! open socket reached: libzmq's options are not independent (a CURVE key turns CURVE on,
//! `CURVE_SERVER` 0 turns it off again), and replaying them in their first order would let an
//! earlier key undo a later `CURVE_SERVER` 0.

use super::{by_number, set, Kind, SockOption, SOCKET_OPTIONS};
use crate::error::{Error, Result};
use crate::security::keys::parse_option_key;
use crate::socket::context::Socket;
use parking_lot::Mutex;

/// libzmq's `ZMQ_CURVE_SERVER`.
pub const CURVE_SERVER: i32 = 47;

/// The CURVE key options (a key: 32 bytes, or 40 characters of Z85 text).
const KEYS: [i32; 3] = [48, 49, 50];

/// The option `number`, if a host may set it on a role socket.
pub fn role_option(number: i32) -> Result<&'static SockOption> {
    match by_number(number) {
        Ok(o) if o.role => Ok(o),
        _ => Err(Error::invalid_arg(format!(
            "Socket option {number} is not supported; supported: {}.",
            SOCKET_OPTIONS
                .iter()
                .filter(|o| o.role)
                .map(|o| format!("{} {}", o.name, o.number))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

impl SockOption {
    /// A role option's value, checked, as `zmq_setsockopt` takes it (a CURVE key as its 32
    /// bytes: a bad key is `Code::InvalidKey` now, not an error at the next socket).
    pub fn role_value(&self, raw: &[u8]) -> Result<Vec<u8>> {
        let size = |n: usize| {
            if raw.len() == n {
                Ok(raw.to_vec())
            } else {
                Err(Error::invalid_arg(format!(
                    "Socket option {} takes {n} bytes, not {}.",
                    self.name,
                    raw.len()
                )))
            }
        };
        match self.kind {
            Kind::Int => size(4),
            Kind::Int64 => size(8),
            Kind::Bytes if KEYS.contains(&self.number) => {
                Ok(parse_option_key(raw, &self.name.to_lowercase())?.to_vec())
            }
            Kind::Bytes if raw.len() > 255 => Err(Error::invalid_arg(format!(
                "Socket option {} takes at most 255 bytes, not {}.",
                self.name,
                raw.len()
            ))),
            Kind::Bytes => Ok(raw.to_vec()),
        }
    }

    /// Set the option on a socket its caller holds (locked, so no other thread uses it).
    pub fn apply(&self, sock: &Socket, value: &[u8]) -> Result<()> {
        // SAFETY: `sock` is a live socket; the caller holds it, so no other thread uses it
        // during the call.
        unsafe { set(sock.raw(), self.number, value) }.map_err(|mut e| {
            e.detail = format!("{} (option {} {})", e.detail, self.name, self.number);
            e
        })
    }
}

type Setting = (&'static SockOption, Vec<u8>);

/// The options set on each of the four role sockets, in the order they were last set.
#[derive(Default)]
pub struct RoleOptions {
    roles: [Mutex<Vec<Setting>>; 4],
}

impl RoleOptions {
    /// Remember an option for a role; an earlier value of the same option is dropped and the
    /// new one applied after the others.
    pub fn set(&self, role: usize, option: &'static SockOption, value: Vec<u8>) {
        let mut list = self.roles[role].lock();
        list.retain(|(o, _)| o.number != option.number);
        list.push((option, value));
    }

    /// Apply every remembered option of a role to its (new) socket.
    pub fn apply_all(&self, role: usize, sock: &Socket) -> Result<()> {
        let list = self.roles[role].lock().clone();
        list.iter().try_for_each(|(o, v)| o.apply(sock, v))
    }

    /// The value of an option set on a role, if any.
    pub fn get(&self, role: usize, number: i32) -> Option<Vec<u8>> {
        let list = self.roles[role].lock();
        list.iter()
            .find(|(o, _)| o.number == number)
            .map(|(_, v)| v.clone())
    }

    /// Whether the role's sockets are CURVE servers.
    pub fn curve_server(&self, role: usize) -> bool {
        self.get(role, CURVE_SERVER)
            .and_then(|v| <[u8; 4]>::try_from(v).ok())
            .is_some_and(|v| i32::from_ne_bytes(v) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;
    use crate::socket::context::Context;

    #[test]
    fn role_options_are_a_checked_subset_of_the_table() {
        assert!(role_option(17).is_ok());
        // SUBSCRIBE would bypass the subscriber's filter list; ROUTER_RAW the server's layout.
        for n in [6, 41, 9999] {
            let e = role_option(n).unwrap_err();
            assert_eq!(e.code, Code::InvalidArg);
            assert!(e.detail.contains("LINGER 17"), "{}", e.detail);
        }
        let linger = role_option(17).unwrap();
        assert_eq!(
            linger.role_value(&5i32.to_ne_bytes()).unwrap(),
            5i32.to_ne_bytes()
        );
        assert!(linger.role_value(&[1, 2]).is_err());
        let key = role_option(50).unwrap();
        assert_eq!(key.role_value(b"short").unwrap_err().code, Code::InvalidArg);
        assert_eq!(key.role_value(&[7u8; 32]).unwrap(), [7u8; 32]);
        let id = role_option(5).unwrap();
        assert!(id.role_value(&[b'x'; 256]).is_err());
    }

    #[test]
    fn options_are_replayed_in_the_order_last_set() {
        let ctx = Context::new();
        let s = ctx.socket(zmq::ROUTER).unwrap();
        let o = RoleOptions::default();
        let hwm = role_option(23).unwrap();
        let linger = role_option(17).unwrap();
        o.set(1, hwm, 7i32.to_ne_bytes().to_vec());
        o.set(1, linger, 3i32.to_ne_bytes().to_vec());
        o.set(1, hwm, 9i32.to_ne_bytes().to_vec());
        assert_eq!(
            o.roles[1]
                .lock()
                .iter()
                .map(|(o, _)| o.number)
                .collect::<Vec<_>>(),
            [17, 23]
        );
        o.apply_all(1, &s).unwrap();
        assert_eq!(s.get_sndhwm().unwrap(), 9);
        assert_eq!(s.get_linger().unwrap(), 3);
        assert_eq!(o.get(1, 23), Some(9i32.to_ne_bytes().to_vec()));
        assert!(!o.curve_server(1));
        o.set(
            1,
            role_option(CURVE_SERVER).unwrap(),
            1i32.to_ne_bytes().to_vec(),
        );
        assert!(o.curve_server(1));
    }
}
