//! The handler thread's claim on the server socket. The handler sleeps in `zmq_poll` on the
//! socket's notification descriptor, which is edge-triggered: another thread that uses the
//! socket meanwhile may consume the signal of input that the handler then never sees. Such a
//! thread looks here whether the handler sleeps with input waiting and, if so, wakes it
//! through an in-process socket.

use crate::socket::context::Socket;
use parking_lot::Mutex;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};

thread_local! {
    static ON_HANDLER_THREAD: Cell<bool> = const { Cell::new(false) };
}

/// Mark the calling thread as a handler thread (for its whole life).
pub fn mark_handler_thread() {
    ON_HANDLER_THREAD.with(|c| c.set(true));
}

/// Whether the calling thread is a handler thread.
pub fn on_handler_thread() -> bool {
    ON_HANDLER_THREAD.with(|c| c.get())
}

/// Whether the handler sleeps on the server socket, and how to wake it.
#[derive(Default)]
pub struct ServerWatch {
    /// The handler thread sleeps (or is about to) on the server socket's notification
    /// descriptor; set under the server socket's lock.
    idle: AtomicBool,
    /// A wake-up message is on its way to the handler thread.
    wake_pending: AtomicBool,
    /// The sending end of the handler's wake-up socket pair, while a handler runs.
    wake: Mutex<Option<Socket>>,
}

impl ServerWatch {
    /// A handler starts: `push` reaches its wake-up socket.
    pub fn install(&self, push: Socket) {
        // Reset before the thread runs: it sets `idle` as soon as it finds nothing to receive.
        self.idle.store(false, Ordering::SeqCst);
        self.wake_pending.store(false, Ordering::SeqCst);
        *self.wake.lock() = Some(push);
    }

    /// The handler stops: wake it a last time (it then sees its stop flag) and forget it.
    pub fn remove(&self) {
        if let Some(w) = self.wake.lock().take() {
            let _ = w.send(&b""[..], zmq::DONTWAIT);
        }
    }

    /// The handler is about to sleep (`true`, under the server socket's lock) or woke up.
    pub fn set_idle(&self, idle: bool) {
        self.idle.store(idle, Ordering::SeqCst);
    }

    /// The handler emptied its wake-up socket.
    pub fn woken(&self) {
        self.wake_pending.store(false, Ordering::SeqCst);
    }

    /// Under the server socket's lock after another thread used it: whether the handler must
    /// be woken. It matters only when the handler sleeps and input is waiting; a busy handler
    /// receives again before it sleeps, so then nothing is looked at (no system call).
    pub fn must_wake(&self, server: &zmq::Socket) -> bool {
        !on_handler_thread()
            && self.idle.load(Ordering::SeqCst)
            && server.get_events().is_ok_and(|ev| ev.contains(zmq::POLLIN))
    }

    /// Wake the handler thread so it looks at the server socket again. At most one wake-up
    /// message is outstanding.
    pub fn wake(&self) {
        if on_handler_thread() || self.wake_pending.swap(true, Ordering::SeqCst) {
            return;
        }
        let sent = match &*self.wake.lock() {
            Some(w) => w.send(&b""[..], zmq::DONTWAIT).is_ok(),
            None => false,
        };
        if !sent {
            self.wake_pending.store(false, Ordering::SeqCst);
        }
    }
}
