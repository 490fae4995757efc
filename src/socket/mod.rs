//! Generic sockets: any libzmq socket type, any number of them, with options and whole
//! multipart messages sent and received with timeouts.
//!
//! A [`GenericSocket`] is shared (`Arc`) between the registry and the threads using it. Each
//! operation takes the socket's lock only for a non-blocking attempt; a thread that has to
//! wait sleeps in `zmq_poll` on the socket's notification descriptor and on the socket's
//! [`Waker`], without any lock. Closing takes the libzmq socket away under the lock and sets
//! the waker, so a thread blocked on the socket returns promptly with `ZEROMQ_ERR_CLOSED`.

pub mod context;
pub mod frames;
pub mod options;
pub mod poll;
pub mod registry;
mod reopen;
pub mod waker;

use crate::error::{Code, Error, Result};
use context::{Context, Socket};
use frames::recv_multipart_into;
pub use frames::{recv_multipart, Frames};
use once_cell::sync::OnceCell;
use parking_lot::Mutex;
use std::time::{Duration, Instant};
use waker::{RawFd, Waker};

/// The longest a waiting thread sleeps before it looks at its socket again. The notification
/// descriptor is edge-triggered: another thread using the same socket may consume its signal,
/// so a waiter never trusts it for longer than this.
pub const WAIT_SLICE_MS: i64 = 100;

/// The libzmq socket type names, by number (ZMQ_PAIR 0 .. ZMQ_STREAM 11).
pub const TYPE_NAMES: [&str; 12] = [
    "PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "PUSH", "XPUB", "XSUB",
    "STREAM",
];

/// The name of socket type `kind`, `None` for an unknown type.
pub fn type_name(kind: i32) -> Option<&'static str> {
    usize::try_from(kind)
        .ok()
        .and_then(|k| TYPE_NAMES.get(k).copied())
}

struct Inner {
    /// `None` once closed.
    sock: Option<Socket>,
    /// Binds (resolved) and connects, in order.
    endpoints: Vec<String>,
}

/// One socket of any libzmq type.
pub struct GenericSocket {
    kind: i32,
    inner: Mutex<Inner>,
    /// Created (under the lock) by the first thread that has to wait; set by `close`.
    waker: OnceCell<Option<Waker>>,
}

/// What a non-blocking attempt found.
enum Attempt<T> {
    Done(T),
    /// The socket became ready meanwhile: try again at once.
    Again,
    /// Try again once the socket's descriptor or the waker signals.
    Wait(RawFd, Option<RawFd>),
    /// The deadline has passed.
    Expired,
}

/// When a wait with `timeout_ms` ends (-1: never).
fn deadline(timeout_ms: i32) -> Option<Instant> {
    (timeout_ms >= 0).then(|| Instant::now() + Duration::from_millis(timeout_ms as u64))
}

/// How long to sleep now: `None` when the deadline has passed.
pub(crate) fn slice(deadline: Option<Instant>) -> Option<i64> {
    match deadline {
        None => Some(WAIT_SLICE_MS),
        Some(d) => {
            let now = Instant::now();
            if now >= d {
                None
            } else {
                Some(((d - now).as_micros().div_ceil(1000) as i64).min(WAIT_SLICE_MS))
            }
        }
    }
}

fn endpoint_str(ep: &[u8]) -> Result<&str> {
    let s = std::str::from_utf8(ep)
        .map_err(|_| Error::invalid_arg("The endpoint is not valid UTF-8."))?;
    if s.is_empty() || s.contains('\0') {
        return Err(Error::invalid_arg(
            "The endpoint is empty or contains a NUL; expected e.g. \"tcp://127.0.0.1:5555\".",
        ));
    }
    Ok(s)
}

/// A generic socket's linger until the host sets `ZEROMQ_OPT_LINGER`: how long output that is
/// still queued when the socket is closed may take to go out.
pub const DEFAULT_LINGER_MS: i32 = 1000;

impl GenericSocket {
    /// A socket of libzmq type `kind` (0..11) in `ctx`.
    pub fn new(ctx: &Context, kind: i32) -> Result<GenericSocket> {
        if type_name(kind).is_none() {
            return Err(Error::invalid_arg(format!(
                "Unknown socket type {kind}: expected ZEROMQ_PAIR (0) .. ZEROMQ_STREAM (11)."
            )));
        }
        let sock = ctx
            .socket_raw(kind)
            .map_err(|e| Error::zmq("zmq_socket", e))?;
        // libzmq keeps undeliverable output of a closed socket forever (linger -1), and then
        // zmq_ctx_term, so zeromq_shutdown and the host's exit, would wait forever: a bounded
        // default instead. The host may set ZEROMQ_OPT_LINGER to anything, -1 included.
        sock.set_linger(DEFAULT_LINGER_MS)
            .map_err(|e| Error::zmq("zmq_setsockopt(ZMQ_LINGER)", e))?;
        Ok(GenericSocket {
            kind,
            inner: Mutex::new(Inner {
                sock: Some(sock),
                endpoints: Vec::new(),
            }),
            waker: OnceCell::new(),
        })
    }

    /// The libzmq socket type.
    pub fn kind(&self) -> i32 {
        self.kind
    }

    fn closed_error() -> Error {
        Error::new(Code::Closed, "The socket was closed.")
    }

    /// Run `f` on the open socket under its lock.
    fn with<T>(&self, f: impl FnOnce(&Socket, &mut Vec<String>) -> Result<T>) -> Result<T> {
        let mut inner = self.inner.lock();
        let Inner { sock, endpoints } = &mut *inner;
        match sock {
            Some(s) => f(s, endpoints),
            None => Err(Self::closed_error()),
        }
    }

    /// The descriptors to sleep on, read under the socket's lock (the waker is created there,
    /// so `close` either sees it or the waiter sees the socket closed).
    fn wait_fds(&self, s: &Socket) -> Result<(RawFd, Option<RawFd>)> {
        let fd = s
            .get_fd()
            .map_err(|e| Error::zmq("zmq_getsockopt(ZMQ_FD)", e))?;
        let waker = self.waker.get_or_init(Waker::new).as_ref().map(Waker::fd);
        Ok((fd as RawFd, waker))
    }

    /// The waker's descriptor (created if needed) and the socket's notification descriptor
    /// and pending events, for a poller.
    pub fn poll_state(&self) -> Result<(zmq::PollEvents, RawFd, Option<RawFd>)> {
        self.with(|s, _| {
            let events = s
                .get_events()
                .map_err(|e| Error::zmq("zmq_getsockopt(ZMQ_EVENTS)", e))?;
            let (fd, waker) = self.wait_fds(s)?;
            Ok((events, fd, waker))
        })
    }

    /// Repeat a non-blocking attempt until it is done, the deadline passes (`Ok(None)`) or the
    /// socket is closed. `look` (a send's `POLLOUT`): the attempt may leave libzmq's pending
    /// commands unprocessed, so the socket's events are read before sleeping (a non-blocking
    /// receive processes them itself).
    fn retry<T>(
        &self,
        timeout_ms: i32,
        look: Option<zmq::PollEvents>,
        mut attempt: impl FnMut(&Socket) -> Result<Option<T>>,
    ) -> Result<Option<T>> {
        let deadline = deadline(timeout_ms);
        let mut looked = false;
        loop {
            let step = self.with(|s, _| match attempt(s)? {
                Some(v) => Ok(Attempt::Done(v)),
                // A non-blocking send looks at the socket's pending commands at most about
                // once a millisecond; reading ZMQ_EVENTS processes them all and resets the
                // notification descriptor, so the descriptor is worth sleeping on only when
                // the socket is still not ready afterwards. Once per wake-up: a PUB reports
                // POLLOUT even when its queue is full.
                None if !looked
                    && look.is_some_and(|ready| {
                        s.get_events().is_ok_and(|ev| ev.intersects(ready))
                    }) =>
                {
                    Ok(Attempt::Again)
                }
                None if deadline.is_some_and(|d| Instant::now() >= d) => Ok(Attempt::Expired),
                None => {
                    let (fd, waker) = self.wait_fds(s)?;
                    Ok(Attempt::Wait(fd, waker))
                }
            })?;
            let (fd, waker) = match step {
                Attempt::Done(v) => return Ok(Some(v)),
                Attempt::Expired => return Ok(None),
                Attempt::Again => {
                    looked = true;
                    continue;
                }
                Attempt::Wait(fd, waker) => (fd, waker),
            };
            looked = false;
            let Some(ms) = slice(deadline) else {
                return Ok(None);
            };
            let mut items = [
                zmq::PollItem::from_fd(fd, zmq::POLLIN),
                zmq::PollItem::from_fd(waker.unwrap_or(fd), zmq::POLLIN),
            ];
            let n = if waker.is_some() { 2 } else { 1 };
            let _ = zmq::poll(&mut items[..n], ms);
        }
    }

    /// Send one whole message (`frames` not empty). `timeout_ms` -1 waits until it can be
    /// queued, 0 fails at once, > 0 waits at most that long; not queued: `Code::Timeout`.
    pub fn send(&self, frames: &[&[u8]], timeout_ms: i32) -> Result<()> {
        if frames.is_empty() {
            return Err(Error::invalid_arg(
                "A message needs at least one frame (count >= 1).",
            ));
        }
        let sent = self.retry(timeout_ms, Some(zmq::POLLOUT), |s| try_send(s, frames))?;
        sent.ok_or_else(|| {
            Error::new(
                Code::Timeout,
                format!(
                    "The {} socket could not queue the message within {} ms: no peer is \
                     connected or its queue is full (ZEROMQ_OPT_SNDHWM).",
                    type_name(self.kind).unwrap_or("?"),
                    timeout_ms.max(0)
                ),
            )
        })
    }

    /// Receive one whole message, waiting as `send` does; `None` when nothing arrived.
    pub fn recv(&self, timeout_ms: i32) -> Result<Option<Frames>> {
        let mut frames = Frames::new();
        Ok(self.recv_into(timeout_ms, &mut frames)?.then_some(frames))
    }

    /// Receive one whole message into `frames` (empty), waiting as `send` does; false when
    /// nothing arrived. The caller's list is reused, so a receive loop need not allocate one
    /// per message.
    pub fn recv_into(&self, timeout_ms: i32, frames: &mut Frames) -> Result<bool> {
        let got = self.retry(timeout_ms, None, |s| {
            Ok(recv_multipart_into(s, frames)?.then_some(()))
        })?;
        Ok(got.is_some())
    }

    /// Bind; returns the resolved endpoint (a `tcp://127.0.0.1:*` bind reports its port).
    pub fn bind(&self, endpoint: &[u8]) -> Result<String> {
        let ep = endpoint_str(endpoint)?;
        self.with(|s, eps| {
            s.bind(ep).map_err(|e| with_endpoint("zmq_bind", e, ep))?;
            let last = match s.get_last_endpoint() {
                Ok(Ok(l)) if !l.is_empty() => l,
                _ => ep.to_string(),
            };
            eps.push(last.clone());
            Ok(last)
        })
    }

    /// Connect.
    pub fn connect(&self, endpoint: &[u8]) -> Result<()> {
        let ep = endpoint_str(endpoint)?;
        self.with(|s, eps| {
            s.connect(ep)
                .map_err(|e| with_endpoint("zmq_connect", e, ep))?;
            eps.push(ep.to_string());
            Ok(())
        })
    }

    /// Unbind an endpoint as bound or as resolved.
    pub fn unbind(&self, endpoint: &[u8]) -> Result<()> {
        self.detach(endpoint, "zmq_unbind", |s, ep| s.unbind(ep))
    }

    /// Disconnect from an endpoint.
    pub fn disconnect(&self, endpoint: &[u8]) -> Result<()> {
        self.detach(endpoint, "zmq_disconnect", |s, ep| s.disconnect(ep))
    }

    fn detach(
        &self,
        endpoint: &[u8],
        call: &str,
        f: impl FnOnce(&Socket, &str) -> zmq::Result<()>,
    ) -> Result<()> {
        let ep = endpoint_str(endpoint)?;
        self.with(|s, eps| {
            f(s, ep).map_err(|e| with_endpoint(call, e, ep))?;
            if let Some(i) = eps.iter().position(|e| e == ep) {
                eps.remove(i);
            }
            Ok(())
        })
    }

    /// The endpoints bound (resolved) and connected, in order.
    pub fn endpoints(&self) -> Result<Vec<String>> {
        self.with(|_, eps| Ok(eps.clone()))
    }

    /// Set an option (`value` as `zmq_setsockopt` takes it).
    pub fn set_option(&self, option: i32, value: &[u8]) -> Result<()> {
        // SAFETY: the socket is open and locked.
        self.with(|s, _| unsafe { options::set(s.raw(), option, value) })
    }

    /// Read an option's value bytes.
    pub fn get_option(&self, option: i32) -> Result<Vec<u8>> {
        // SAFETY: the socket is open and locked.
        self.with(|s, _| unsafe { options::get(s.raw(), option) })
    }

    /// Close: pending output is kept for the socket's LINGER time; threads waiting on the
    /// socket return with `Code::Closed`. Closing twice is `Code::Closed`.
    pub fn close(&self) -> Result<()> {
        let sock = {
            let mut inner = self.inner.lock();
            inner.endpoints.clear();
            inner.sock.take()
        };
        if let Some(Some(w)) = self.waker.get() {
            w.set();
        }
        match sock {
            Some(_) => Ok(()),
            None => Err(Self::closed_error()),
        }
    }

    /// Close without keeping pending output (library shutdown: the context must terminate).
    pub fn close_now(&self) {
        let _ = self.with(|s, _| {
            let _ = s.set_linger(0);
            Ok(())
        });
        let _ = self.close();
    }

    /// Whether it was closed.
    pub fn is_closed(&self) -> bool {
        self.inner.lock().sock.is_none()
    }
}

fn with_endpoint(call: &str, err: zmq::Error, ep: &str) -> Error {
    let mut e = Error::zmq(call, err);
    e.detail = format!("{} (endpoint \"{ep}\")", e.detail);
    e
}

/// Queue a whole message without blocking: `None` when the first frame could not be queued
/// (libzmq then queues none of it; once the first frame is taken, the rest always is).
fn try_send(s: &Socket, frames: &[&[u8]]) -> Result<Option<()>> {
    let last = frames.len() - 1;
    for (i, f) in frames.iter().enumerate() {
        let flags = zmq::DONTWAIT | if i < last { zmq::SNDMORE } else { 0 };
        match s.send(*f, flags) {
            Ok(()) => {}
            Err(zmq::Error::EAGAIN) if i == 0 => return Ok(None),
            Err(e) => {
                let mut err = Error::zmq("zmq_send", e);
                if e == zmq::Error::EHOSTUNREACH {
                    err.detail
                        .push_str(" (no peer with that routing id is connected)");
                }
                err.detail = format!("{}, frame {} of {}", err.detail, i + 1, frames.len());
                return Err(err);
            }
        }
    }
    Ok(Some(()))
}

#[cfg(test)]
mod tests;
