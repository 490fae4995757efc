//! Process-wide settings: the `zeromq_set` flags and the server's message size limit. Each is an
//! atomic, read without locks on every message.

use crate::error::{Code, Error, Result};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

/// `zeromq_set` flag: reset debug, busy-wait receive, logging and IPv6 to their defaults.
pub const SET_FLAGS_DEFAULT: i32 = 1;
/// `zeromq_set` flag: debug output on.
pub const SET_FLAGS_DEBUG: i32 = 2;
/// `zeromq_set` flag: IPv6 on.
pub const SET_FLAGS_IPV6: i32 = 4;
/// `zeromq_set` flag: receive functions return at once when nothing is pending.
pub const SET_FLAGS_NOBUSYWAITRECV: i32 = 8;
/// `zeromq_set` flag: message logging on.
pub const SET_FLAGS_LOGGING: i32 = 16;

/// The server's default inbound message size limit in bytes.
pub const DEFAULT_MAX_MESSAGE_SIZE: i64 = 1024;

/// The smallest size libzmq lets through on the server socket: requests between the
/// library's limit and this size are received and answered with an error reply (a client
/// learns that its request was too large); only larger ones make libzmq drop the connection
/// (they would otherwise have to be held in memory).
pub const TRANSPORT_LIMIT_FLOOR: i64 = 64 << 20;

/// The libzmq `ZMQ_MAXMSGSIZE` for a library limit (-1: none).
pub fn transport_limit(limit: i64) -> i64 {
    if limit < 0 {
        -1
    } else {
        limit.max(TRANSPORT_LIMIT_FLOOR)
    }
}

/// Process-wide settings.
pub struct Settings {
    /// Debug output.
    pub debug: AtomicBool,
    /// Busy-wait receive (the default); off means receives return at once.
    pub busy_wait: AtomicBool,
    /// Message logging.
    pub logging: AtomicBool,
    /// IPv6 on sockets.
    pub ipv6: AtomicBool,
    /// The server's inbound message size limit (-1: none).
    max_message_size: AtomicI64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            debug: AtomicBool::new(false),
            busy_wait: AtomicBool::new(true),
            logging: AtomicBool::new(false),
            ipv6: AtomicBool::new(false),
            max_message_size: AtomicI64::new(DEFAULT_MAX_MESSAGE_SIZE),
        }
    }
}

impl Settings {
    /// Apply `zeromq_set` flags (SPEC 3). The IPv6 setting also concerns sockets that exist
    /// already: `apply_ipv6` is called with each new value (the owner of those sockets applies
    /// it), and its failure is the call's.
    pub fn set_flags(&self, flags: i32, apply_ipv6: impl Fn(bool) -> Result<()>) -> Result<()> {
        if flags <= 0 {
            return Err(Error::new(
                Code::UnknownSetFlag,
                format!("zeromq_set: The flag value {flags} must be positive."),
            ));
        }
        let mut known = 0;
        let set_ipv6 = |on: bool| {
            self.ipv6.store(on, Ordering::SeqCst);
            apply_ipv6(on)
        };
        if flags & SET_FLAGS_DEFAULT != 0 {
            known += 1;
            self.debug.store(false, Ordering::SeqCst);
            self.busy_wait.store(true, Ordering::SeqCst);
            self.logging.store(false, Ordering::SeqCst);
            set_ipv6(false)?;
        }
        if flags & SET_FLAGS_DEBUG != 0 {
            known += 1;
            self.debug.store(true, Ordering::SeqCst);
        }
        if flags & SET_FLAGS_IPV6 != 0 {
            known += 1;
            set_ipv6(true)?;
        }
        if flags & SET_FLAGS_NOBUSYWAITRECV != 0 {
            known += 1;
            self.busy_wait.store(false, Ordering::SeqCst);
        }
        if flags & SET_FLAGS_LOGGING != 0 {
            known += 1;
            self.logging.store(true, Ordering::SeqCst);
        }
        if known == 0 {
            return Err(Error::new(
                Code::UnknownSetFlag,
                format!("zeromq_set: The flag {flags} is unknown."),
            ));
        }
        Ok(())
    }

    /// The current settings as `zeromq_set` bits; `SET_FLAGS_DEFAULT` alone when all are at
    /// their defaults.
    pub fn flags(&self) -> i32 {
        let mut f = 0;
        if self.debug.load(Ordering::SeqCst) {
            f |= SET_FLAGS_DEBUG;
        }
        if self.ipv6.load(Ordering::SeqCst) {
            f |= SET_FLAGS_IPV6;
        }
        if !self.busy_wait.load(Ordering::SeqCst) {
            f |= SET_FLAGS_NOBUSYWAITRECV;
        }
        if self.logging.load(Ordering::SeqCst) {
            f |= SET_FLAGS_LOGGING;
        }
        if f == 0 {
            SET_FLAGS_DEFAULT
        } else {
            f
        }
    }

    /// Whether message logging is on.
    pub fn logging(&self) -> bool {
        self.logging.load(Ordering::Relaxed)
    }

    /// Whether debug output is on.
    pub fn debug(&self) -> bool {
        self.debug.load(Ordering::Relaxed)
    }

    /// Whether new sockets use IPv6.
    pub fn ipv6(&self) -> bool {
        self.ipv6.load(Ordering::SeqCst)
    }

    /// The server's inbound message size limit (-1: none).
    pub fn max_message_size(&self) -> i64 {
        self.max_message_size.load(Ordering::SeqCst)
    }

    /// Record a new limit (checked by the caller: the server socket may refuse it).
    pub(crate) fn store_max_message_size(&self, bytes: i64) {
        self.max_message_size.store(bytes, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[test]
    fn flags_round_trip_and_reset() {
        let s = Settings::default();
        let seen = RefCell::new(Vec::new());
        let apply = |on| {
            seen.borrow_mut().push(on);
            Ok(())
        };
        assert_eq!(s.flags(), SET_FLAGS_DEFAULT);
        s.set_flags(SET_FLAGS_DEBUG | SET_FLAGS_IPV6 | SET_FLAGS_LOGGING, apply)
            .unwrap();
        assert_eq!(
            s.flags(),
            SET_FLAGS_DEBUG | SET_FLAGS_IPV6 | SET_FLAGS_LOGGING
        );
        assert!(s.logging() && s.debug() && s.ipv6());
        s.set_flags(SET_FLAGS_NOBUSYWAITRECV, apply).unwrap();
        assert!(!s.busy_wait.load(Ordering::SeqCst));
        s.set_flags(SET_FLAGS_DEFAULT, apply).unwrap();
        assert_eq!(s.flags(), SET_FLAGS_DEFAULT);
        assert_eq!(*seen.borrow(), vec![true, false]);
    }

    #[test]
    fn bad_flags_are_refused_and_ipv6_failures_reported() {
        let s = Settings::default();
        let ok = |_| Ok(());
        assert_eq!(s.set_flags(0, ok).unwrap_err().code, Code::UnknownSetFlag);
        assert_eq!(s.set_flags(-4, ok).unwrap_err().code, Code::UnknownSetFlag);
        assert_eq!(s.set_flags(32, ok).unwrap_err().code, Code::UnknownSetFlag);
        let failing = |_| Err(Error::invalid_arg("no"));
        assert!(s.set_flags(SET_FLAGS_IPV6, failing).is_err());
    }

    #[test]
    fn transport_limit_has_a_floor() {
        assert_eq!(transport_limit(-1), -1);
        assert_eq!(transport_limit(0), TRANSPORT_LIMIT_FLOOR);
        assert_eq!(transport_limit(1 << 30), 1 << 30);
        let s = Settings::default();
        assert_eq!(s.max_message_size(), DEFAULT_MAX_MESSAGE_SIZE);
        s.store_max_message_size(-1);
        assert_eq!(s.max_message_size(), -1);
    }
}
