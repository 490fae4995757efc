//! The libzmq context every socket of the library lives in (role sockets, generic sockets and
//! the handler's wake-up pair), with access to libzmq's context options. Like the `zmq`
//! crate's context, each socket keeps the context alive, so the context terminates
//! (`zmq_ctx_term`) when the last handle and the last socket are gone.

use crate::error::{Code, Error, Result};
use std::ffi::c_void;
use std::ops::Deref;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

struct RawContext {
    ctx: *mut c_void,
    /// A socket was created: options read when the first socket starts the I/O threads can no
    /// longer change.
    started: AtomicBool,
}

// SAFETY: a libzmq context is thread-safe.
unsafe impl Send for RawContext {}
// SAFETY: as above: libzmq's context functions may be called from several threads at once.
unsafe impl Sync for RawContext {}

impl Drop for RawContext {
    fn drop(&mut self) {
        // SAFETY: the pointer came from zmq_ctx_new and no socket of it is left (each holds a
        // reference to this value).
        while unsafe { zmq_sys::zmq_ctx_term(self.ctx) } == -1
            // SAFETY: `zmq_errno` only reads this thread's errno.
            && zmq::Error::from_raw(unsafe { zmq_sys::zmq_errno() }) == zmq::Error::EINTR
        {}
    }
}

/// A handle to a libzmq context; clones share it.
#[derive(Clone)]
pub struct Context {
    raw: Arc<RawContext>,
}

impl Default for Context {
    fn default() -> Self {
        Context::new()
    }
}

/// Every socket of the process gets a distinct serial number (never reused), so an id handed
/// out for one socket can never name a later one.
static SOCKET_SERIAL: AtomicU64 = AtomicU64::new(1);

impl Context {
    /// A new libzmq context.
    pub fn new() -> Context {
        // SAFETY: plain constructor.
        let ctx = unsafe { zmq_sys::zmq_ctx_new() };
        assert!(!ctx.is_null(), "zmq_ctx_new failed");
        Context {
            raw: Arc::new(RawContext {
                ctx,
                started: AtomicBool::new(false),
            }),
        }
    }

    /// A socket of libzmq type `kind` in this context.
    pub fn socket(&self, kind: zmq::SocketType) -> zmq::Result<Socket> {
        use zmq::SocketType as T;
        let n = match kind {
            T::PAIR => zmq_sys::ZMQ_PAIR,
            T::PUB => zmq_sys::ZMQ_PUB,
            T::SUB => zmq_sys::ZMQ_SUB,
            T::REQ => zmq_sys::ZMQ_REQ,
            T::REP => zmq_sys::ZMQ_REP,
            T::DEALER => zmq_sys::ZMQ_DEALER,
            T::ROUTER => zmq_sys::ZMQ_ROUTER,
            T::PULL => zmq_sys::ZMQ_PULL,
            T::PUSH => zmq_sys::ZMQ_PUSH,
            T::XPUB => zmq_sys::ZMQ_XPUB,
            T::XSUB => zmq_sys::ZMQ_XSUB,
            T::STREAM => zmq_sys::ZMQ_STREAM,
        };
        self.socket_raw(n as i32)
    }

    /// A socket of the libzmq type number `kind`.
    pub fn socket_raw(&self, kind: i32) -> zmq::Result<Socket> {
        self.raw.started.store(true, Ordering::SeqCst);
        // SAFETY: a live context; libzmq checks the type.
        let raw = unsafe { zmq_sys::zmq_socket(self.raw.ctx, kind) };
        if raw.is_null() {
            return Err(last_zmq_error());
        }
        Ok(Socket {
            // SAFETY: a fresh socket, owned from now on by this value only.
            inner: unsafe { zmq::Socket::from_raw(raw) },
            raw,
            serial: SOCKET_SERIAL.fetch_add(1, Ordering::Relaxed),
            _ctx: self.clone(),
        })
    }

    /// Whether a socket was ever created in this context.
    pub fn started(&self) -> bool {
        self.raw.started.load(Ordering::SeqCst)
    }

    /// `zmq_ctx_set`. The options libzmq reads only when the first socket is created are
    /// refused once that happened, instead of being ignored silently.
    pub fn set_option(&self, option: i32, value: i32) -> Result<()> {
        let opt = ctx_option(option)?;
        if !opt.settable {
            return Err(Error::invalid_arg(format!(
                "The context option {} ({option}) can only be read.",
                opt.name
            )));
        }
        if opt.before_first_socket && self.started() {
            return Err(Error::invalid_arg(format!(
                "The context option {} ({option}) must be set before the first socket is \
                 created (after zeromq_shutdown, before any other call makes a socket).",
                opt.name
            )));
        }
        // SAFETY: a live context.
        if unsafe { zmq_sys::zmq_ctx_set(self.raw.ctx, option, value) } == -1 {
            return Err(Error::zmq(
                &format!("zmq_ctx_set({}, {value})", opt.name),
                last_zmq_error(),
            ));
        }
        Ok(())
    }

    /// `zmq_ctx_get`.
    pub fn get_option(&self, option: i32) -> Result<i32> {
        let opt = ctx_option(option)?;
        if !opt.gettable {
            return Err(Error::invalid_arg(format!(
                "The context option {} ({option}) can only be set.",
                opt.name
            )));
        }
        // SAFETY: a live context.
        let v = unsafe { zmq_sys::zmq_ctx_get(self.raw.ctx, option) };
        if v == -1 {
            return Err(Error::zmq(
                &format!("zmq_ctx_get({})", opt.name),
                last_zmq_error(),
            ));
        }
        Ok(v)
    }
}

/// The calling thread's libzmq errno as an error.
pub fn last_zmq_error() -> zmq::Error {
    // SAFETY: reads a thread-local.
    zmq::Error::from_raw(unsafe { zmq_sys::zmq_errno() })
}

/// A libzmq context option the library passes through.
#[derive(Clone, Copy, Debug)]
pub struct CtxOption {
    /// Its name without the `ZMQ_` prefix.
    pub name: &'static str,
    /// libzmq's number.
    pub number: i32,
    /// `zmq_ctx_set` accepts it.
    pub settable: bool,
    /// `zmq_ctx_get` reports it.
    pub gettable: bool,
    /// libzmq reads it only when the first socket is created.
    pub before_first_socket: bool,
}

const fn ctx(name: &'static str, number: i32, set: bool, get: bool, first: bool) -> CtxOption {
    CtxOption {
        name,
        number,
        settable: set,
        gettable: get,
        before_first_socket: first,
    }
}

/// The context options (libzmq 4.3's numbers; 3 is SOCKET_LIMIT to read and THREAD_PRIORITY
/// to set).
pub const CONTEXT_OPTIONS: &[CtxOption] = &[
    ctx("IO_THREADS", 1, true, true, true),
    ctx("MAX_SOCKETS", 2, true, true, true),
    ctx("SOCKET_LIMIT/THREAD_PRIORITY", 3, true, true, true),
    ctx("THREAD_SCHED_POLICY", 4, true, false, true),
    ctx("MAX_MSGSZ", 5, true, true, false),
    ctx("MSG_T_SIZE", 6, false, true, false),
    ctx("THREAD_AFFINITY_CPU_ADD", 7, true, false, true),
    ctx("THREAD_AFFINITY_CPU_REMOVE", 8, true, false, true),
    ctx("THREAD_NAME_PREFIX", 9, true, false, true),
    ctx("IPV6", 42, true, true, false),
    ctx("BLOCKY", 70, true, true, false),
];

fn ctx_option(option: i32) -> Result<CtxOption> {
    CONTEXT_OPTIONS
        .iter()
        .copied()
        .find(|o| o.number == option)
        .ok_or_else(|| {
            Error::new(
                Code::InvalidArg,
                format!(
                    "Unknown context option {option}: expected one of {}.",
                    CONTEXT_OPTIONS
                        .iter()
                        .map(|o| format!("{} ({})", o.name, o.number))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })
}

/// The context option called `name` (with or without `ZMQ_`, any case; SOCKET_LIMIT and
/// THREAD_PRIORITY share a number).
pub fn option_by_name(name: &str) -> Result<CtxOption> {
    let n = name.trim().to_ascii_uppercase();
    let n = n.strip_prefix("ZMQ_").unwrap_or(&n);
    CONTEXT_OPTIONS
        .iter()
        .copied()
        .find(|o| o.name.split('/').any(|p| p == n))
        .ok_or_else(|| {
            Error::new(
                Code::InvalidArg,
                format!("Unknown context option \"{name}\"."),
            )
        })
}

/// A libzmq socket of a [`Context`]; it keeps the context alive and dereferences to the
/// `zmq` crate's socket for the typed calls.
pub struct Socket {
    // Declared first: closed before the context reference below is released.
    inner: zmq::Socket,
    raw: *mut c_void,
    serial: u64,
    _ctx: Context,
}

// SAFETY: like zmq::Socket, used by one thread at a time (callers lock it).
unsafe impl Send for Socket {}

impl Deref for Socket {
    type Target = zmq::Socket;
    fn deref(&self) -> &zmq::Socket {
        &self.inner
    }
}

impl Socket {
    /// libzmq's socket pointer, for the untyped option calls.
    pub fn raw(&self) -> *mut c_void {
        self.raw
    }

    /// This socket's serial number, unique in the process.
    pub fn serial(&self) -> u64 {
        self.serial
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_before_and_after_the_first_socket() {
        let c = Context::new();
        c.set_option(2, 4096).unwrap();
        assert_eq!(c.get_option(2).unwrap(), 4096);
        c.set_option(1, 2).unwrap();
        assert_eq!(c.get_option(1).unwrap(), 2);
        assert_eq!(c.set_option(12345, 1).unwrap_err().code, Code::InvalidArg);
        assert_eq!(c.get_option(4).unwrap_err().code, Code::InvalidArg);
        let s = c.socket(zmq::PAIR).unwrap();
        let e = c.set_option(2, 100).unwrap_err();
        assert!(e.detail.contains("before the first socket"), "{}", e.detail);
        c.set_option(70, 0).unwrap();
        assert_eq!(c.get_option(70).unwrap(), 0);
        assert!(s.serial() > 0);
        let t = c.socket_raw(zmq_sys::ZMQ_PUSH as i32).unwrap();
        assert_ne!(s.serial(), t.serial());
        assert!(c.socket_raw(99).is_err());
        // Sockets outlive the handle: the context terminates after them.
        drop(c);
        t.bind("inproc://ctx-test").unwrap();
    }

    #[test]
    fn numbers_are_libzmqs() {
        use zmq_sys as z;
        for (n, want) in [
            (1, z::ZMQ_IO_THREADS),
            (2, z::ZMQ_MAX_SOCKETS),
            (3, z::ZMQ_SOCKET_LIMIT),
            (4, z::ZMQ_THREAD_SCHED_POLICY),
            (5, z::ZMQ_MAX_MSGSZ),
            (6, z::ZMQ_MSG_T_SIZE),
            (7, z::ZMQ_THREAD_AFFINITY_CPU_ADD),
            (8, z::ZMQ_THREAD_AFFINITY_CPU_REMOVE),
            (9, z::ZMQ_THREAD_NAME_PREFIX),
            (42, z::ZMQ_IPV6),
            (70, z::ZMQ_BLOCKY),
        ] {
            assert_eq!(n, want as i32);
            assert!(ctx_option(n).is_ok());
        }
        assert_eq!(option_by_name("zmq_max_sockets").unwrap().number, 2);
        assert_eq!(option_by_name("THREAD_PRIORITY").unwrap().number, 3);
        assert_eq!(option_by_name("nope").unwrap_err().code, Code::InvalidArg);
    }
}
