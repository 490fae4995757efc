//! `zeromq_poll`: wait until any of several sockets (generic or role, by id) or OS descriptors
//! is ready. A socket's readiness is read under its own lock (libzmq sockets are not
//! thread-safe, so the poller never hands a socket to `zmq_poll` itself); the thread then
//! sleeps in `zmq_poll` on the sockets' notification descriptors, their wakers and the plain
//! descriptors, without holding any lock.

use super::registry::Entry;
use super::waker::RawFd;
use super::{deadline, slice, GenericSocket};
use crate::error::{Error, Result};
use crate::role::Role;
use std::sync::Arc;

/// Input pending.
pub const POLLIN: i16 = 1;
/// A message can be queued.
pub const POLLOUT: i16 = 2;
/// An error condition (plain descriptors only).
pub const POLLERR: i16 = 4;

/// One thing to poll.
pub enum Target {
    /// A generic socket.
    Socket(Arc<GenericSocket>),
    /// A role socket with the serial number its id was given for.
    Role(Role, u64),
    /// An OS descriptor.
    Fd(RawFd),
}

impl From<Entry> for Target {
    fn from(e: Entry) -> Target {
        match e {
            Entry::Socket(s) => Target::Socket(s),
            Entry::Role(r, serial) => Target::Role(r, serial),
        }
    }
}

fn at(index: usize, mut e: Error) -> Error {
    e.detail = format!("Poll item {index}: {}", e.detail);
    e
}

/// Wait until an item is ready or `timeout_ms` passes (-1: no limit, 0: look once). Returns
/// each item's `revents` (0 for all after a timeout). `role_state` gives a role socket's events
/// and notification descriptor (the role sockets are a layer above this one).
pub fn poll(
    items: &[(Target, i16)],
    timeout_ms: i32,
    role_state: impl Fn(Role, u64) -> Result<(zmq::PollEvents, RawFd)>,
) -> Result<Vec<i16>> {
    let deadline = deadline(timeout_ms);
    loop {
        let mut revents = vec![0i16; items.len()];
        let mut ready = false;
        let mut os = Vec::with_capacity(items.len() + 1);
        let mut plain = Vec::new();
        for (i, (target, wanted)) in items.iter().enumerate() {
            let socket_events = |ev: zmq::PollEvents| ev.bits() & wanted & (POLLIN | POLLOUT);
            match target {
                Target::Socket(s) => {
                    let (ev, fd, waker) = s.poll_state().map_err(|e| at(i, e))?;
                    revents[i] = socket_events(ev);
                    os.push(zmq::PollItem::from_fd(fd, zmq::POLLIN));
                    if let Some(w) = waker {
                        os.push(zmq::PollItem::from_fd(w, zmq::POLLIN));
                    }
                }
                Target::Role(role, serial) => {
                    let (ev, fd) = role_state(*role, *serial).map_err(|e| at(i, e))?;
                    revents[i] = socket_events(ev);
                    os.push(zmq::PollItem::from_fd(fd, zmq::POLLIN));
                }
                Target::Fd(fd) => {
                    let ev = zmq::PollEvents::from_bits_truncate(*wanted);
                    plain.push((os.len(), i));
                    os.push(zmq::PollItem::from_fd(*fd, ev));
                }
            }
            ready |= revents[i] != 0;
        }
        let wait = if ready { Some(0) } else { slice(deadline) };
        match zmq::poll(&mut os, wait.unwrap_or(0)) {
            Ok(_) | Err(zmq::Error::EINTR) => {}
            Err(e) => return Err(Error::zmq("zmq_poll", e)),
        }
        for (k, i) in plain {
            revents[i] = os[k].get_revents().bits() & (items[i].1 | POLLERR);
            ready |= revents[i] != 0;
        }
        if ready || wait.is_none() {
            return Ok(revents);
        }
    }
}
