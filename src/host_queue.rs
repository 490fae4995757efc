//! The host queue: everything that waits for the host's thread. Validated remote calls (queued
//! by the handler thread, run by `zeromq_handler_process`) and lines of output (delivered at
//! once on the host's thread, queued when produced elsewhere). A host learns that something
//! waits through `zeromq_handler_wait` (a condition variable), `zeromq_handler_fd` (a
//! descriptor its event loop watches) or its wake-up function.

use crate::protocol::Call;
use crate::socket::waker::{RawFd, Waker};
use once_cell::sync::OnceCell;
use parking_lot::{Condvar, Mutex};
use std::cell::Cell;
use std::collections::VecDeque;
use std::sync::Arc;
use std::thread::ThreadId;
use std::time::Duration;

/// How many calls may wait in the queue; beyond that requests are answered with
/// `REQ_OUT_OF_MEMORY` at once instead of being queued.
pub const MAX_QUEUED_CALLS: usize = 100_000;

/// How many lines of output from other threads are kept until the host takes them; more are
/// dropped (a host that never processes must not grow without bound).
pub const MAX_QUEUED_LINES: usize = 10_000;

/// The host's output function.
pub type OutputFn = Box<dyn Fn(&str) + Send + Sync>;
type SharedOutputFn = Arc<dyn Fn(&str) + Send + Sync>;
/// The host's wake-up function.
pub type WakeupFn = Arc<dyn Fn() + Send + Sync>;

struct Output {
    /// The host's function and the thread it was installed on (the host's thread).
    sink: Option<(SharedOutputFn, ThreadId)>,
    lines: VecDeque<String>,
}

/// Calls and output waiting for the host's thread.
pub struct HostQueue {
    output: Mutex<Output>,
    calls: Mutex<VecDeque<Call>>,
    queued: Condvar,
    /// `zeromq_handler_fd`: readable while calls or output wait (created on first request).
    ready: OnceCell<Option<Waker>>,
    /// Called when calls were queued, so a host idling in its own event loop (Octave's prompt)
    /// runs them at once instead of at its next timer tick.
    wakeup: Mutex<Option<WakeupFn>>,
}

impl Default for HostQueue {
    fn default() -> Self {
        HostQueue {
            output: Mutex::new(Output {
                sink: None,
                lines: VecDeque::new(),
            }),
            calls: Mutex::new(VecDeque::new()),
            queued: Condvar::new(),
            ready: OnceCell::new(),
            wakeup: Mutex::new(None),
        }
    }
}

thread_local! {
    static PROCESSING: Cell<bool> = const { Cell::new(false) };
    static DELIVERING: Cell<bool> = const { Cell::new(false) };
}

/// Whether the calling thread is running queued calls: a remote call is in progress on it.
pub fn processing_here() -> bool {
    PROCESSING.with(|c| c.get())
}

/// Marks the calling thread as running queued calls while it lives.
pub struct Processing(());

impl Processing {
    /// `None` when the thread is running queued calls already (a nested process runs none).
    pub fn begin() -> Option<Processing> {
        if PROCESSING.with(|p| p.replace(true)) {
            None
        } else {
            Some(Processing(()))
        }
    }
}

impl Drop for Processing {
    fn drop(&mut self) {
        PROCESSING.with(|p| p.set(false));
    }
}

impl HostQueue {
    // ---------------------------------------------------------------- calls

    /// Queue calls with one wake-up of the host; returns those that did not fit.
    pub fn push_calls(&self, calls: Vec<Call>) -> Vec<Call> {
        let mut q = self.calls.lock();
        let room = MAX_QUEUED_CALLS.saturating_sub(q.len());
        let mut calls = calls.into_iter();
        q.extend(calls.by_ref().take(room));
        // Under the queue's lock: whoever sees the calls queued also finds the descriptor
        // readable.
        self.signal_ready();
        drop(q);
        self.queued.notify_all();
        let wakeup = self.wakeup.lock().clone();
        if let Some(f) = wakeup {
            f();
        }
        calls.collect()
    }

    /// Take every queued call. The ready descriptor is reset first: whatever is queued from
    /// then on makes it readable again.
    pub fn take_calls(&self) -> VecDeque<Call> {
        if let Some(Some(w)) = self.ready.get() {
            w.drain();
        }
        std::mem::take(&mut *self.calls.lock())
    }

    /// Drop every queued call (`zeromq_stop`), and wake threads blocked in
    /// [`HostQueue::wait`]: what they waited for is gone, and a wait without a timeout must
    /// not outlive a stop or a shutdown.
    pub fn clear_calls(&self) {
        self.calls.lock().clear();
        self.queued.notify_all();
    }

    /// Number of queued calls.
    pub fn queued(&self) -> usize {
        self.calls.lock().len()
    }

    /// Block until a call is queued, [`HostQueue::notify`] is called or `timeout_ms` passes
    /// (-1: no limit).
    pub fn wait(&self, timeout_ms: i32) {
        let mut q = self.calls.lock();
        if !q.is_empty() || timeout_ms == 0 {
            return;
        }
        if timeout_ms < 0 {
            self.queued.wait(&mut q);
        } else {
            self.queued
                .wait_for(&mut q, Duration::from_millis(timeout_ms as u64));
        }
    }

    /// Wake threads blocked in [`HostQueue::wait`] and make the ready descriptor readable, so
    /// the host looks at the queue and its output again.
    pub fn notify(&self) {
        let _q = self.calls.lock();
        self.queued.notify_all();
        self.signal_ready();
    }

    /// Install (or remove) the host's wake-up function, called on the thread that queued
    /// calls.
    pub fn set_wakeup(&self, f: Option<WakeupFn>) {
        *self.wakeup.lock() = f;
    }

    /// The descriptor a host's event loop watches: readable while calls or output wait.
    /// `None` where the system has no such descriptor.
    pub fn ready_fd(&self) -> Option<RawFd> {
        let mut created = false;
        let w = self.ready.get_or_init(|| {
            created = true;
            Waker::new()
        });
        let w = w.as_ref()?;
        // What was queued before the descriptor existed signalled nothing: look now. What is
        // queued from here on signals the descriptor itself.
        if created && (self.queued() > 0 || !self.output.lock().lines.is_empty()) {
            w.set();
        }
        Some(w.fd())
    }

    fn signal_ready(&self) {
        if let Some(Some(w)) = self.ready.get() {
            w.set();
        }
    }

    // ---------------------------------------------------------------- output

    /// Install (or remove) the host's output function; output produced on the calling thread
    /// is delivered at once, output from other threads is queued until
    /// [`HostQueue::flush_output`].
    pub fn set_output(&self, sink: Option<OutputFn>) {
        let mut out = self.output.lock();
        out.sink = sink.map(|f| (Arc::from(f), std::thread::current().id()));
    }

    /// A line of output: delivered now on the host's thread, queued otherwise.
    pub fn output(&self, text: &str) {
        if text.is_empty() {
            return;
        }
        let mut out = self.output.lock();
        match &out.sink {
            Some((_, tid)) if *tid == std::thread::current().id() => {
                out.lines.push_back(text.to_string());
                drop(out);
                self.flush_output();
            }
            _ => {
                if out.lines.len() < MAX_QUEUED_LINES {
                    out.lines.push_back(text.to_string());
                }
                drop(out);
                // A host sleeping in zeromq_handler_wait wakes up to deliver it.
                self.notify();
            }
        }
    }

    /// Hand queued lines to the host's function in order, outside the output lock: that
    /// function may call back into the library (and produce output) without deadlocking.
    /// Lines produced during a delivery on the same thread are queued and delivered by the
    /// same loop. Called on the host's thread.
    pub fn flush_output(&self) {
        struct Reset;
        impl Drop for Reset {
            fn drop(&mut self) {
                DELIVERING.with(|d| d.set(false));
            }
        }
        if DELIVERING.with(|d| d.replace(true)) {
            return;
        }
        let _reset = Reset;
        loop {
            let (sink, pending) = {
                let mut out = self.output.lock();
                if out.lines.is_empty() {
                    return;
                }
                let pending: Vec<String> = out.lines.drain(..).collect();
                (out.sink.as_ref().map(|(f, _)| Arc::clone(f)), pending)
            };
            if let Some(f) = sink {
                for p in pending {
                    f(&p);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn call(name: &str) -> Call {
        Call::new(name, Vec::new())
    }

    fn collector(q: &HostQueue) -> Arc<Mutex<Vec<String>>> {
        let got = Arc::new(Mutex::new(Vec::new()));
        let g = Arc::clone(&got);
        q.set_output(Some(Box::new(move |s: &str| g.lock().push(s.to_string()))));
        got
    }

    #[test]
    fn output_on_the_host_thread_is_delivered_at_once() {
        let q = HostQueue::default();
        let got = collector(&q);
        q.output("one");
        q.output("");
        assert_eq!(*got.lock(), vec!["one".to_string()]);
    }

    #[test]
    fn output_of_other_threads_waits_for_the_host() {
        let q = Arc::new(HostQueue::default());
        let got = collector(&q);
        let q2 = Arc::clone(&q);
        std::thread::spawn(move || q2.output("from a thread"))
            .join()
            .unwrap();
        assert!(got.lock().is_empty());
        // The ready descriptor was created readable; the wait returns at once after output
        // because notify woke it (nothing blocks here: timeout 0).
        q.flush_output();
        assert_eq!(*got.lock(), vec!["from a thread".to_string()]);
    }

    #[test]
    fn output_produced_while_delivering_is_delivered_too() {
        let q = Arc::new(HostQueue::default());
        let got = Arc::new(Mutex::new(Vec::new()));
        let (g, q2) = (Arc::clone(&got), Arc::downgrade(&q));
        q.set_output(Some(Box::new(move |s: &str| {
            g.lock().push(s.to_string());
            if s == "first" {
                // Re-entrant: the host's function calls into the library.
                if let Some(q) = q2.upgrade() {
                    q.output("second");
                }
            }
        })));
        q.output("first");
        assert_eq!(*got.lock(), vec!["first".to_string(), "second".to_string()]);
    }

    fn readable(fd: RawFd) -> bool {
        let mut items = [zmq::PollItem::from_fd(fd, zmq::POLLIN)];
        zmq::poll(&mut items, 0).unwrap() == 1
    }

    #[test]
    fn the_ready_descriptor_is_readable_only_while_something_waits() {
        let idle = HostQueue::default();
        if let Some(fd) = idle.ready_fd() {
            assert!(!readable(fd), "nothing waits");
        }
        // Queued before the descriptor existed: readable as soon as it is asked for.
        let busy = HostQueue::default();
        assert!(busy.push_calls(vec![call("early")]).is_empty());
        if let Some(fd) = busy.ready_fd() {
            assert!(readable(fd));
            busy.take_calls();
            assert!(!readable(fd));
        }
    }

    #[test]
    fn calls_queue_wake_and_overflow() {
        let q = Arc::new(HostQueue::default());
        let woken = Arc::new(AtomicUsize::new(0));
        let w = Arc::clone(&woken);
        q.set_wakeup(Some(Arc::new(move || {
            w.fetch_add(1, Ordering::SeqCst);
        })));
        let fd = q.ready_fd();
        let waiter = {
            let q = Arc::clone(&q);
            std::thread::spawn(move || {
                q.wait(10_000);
                q.queued()
            })
        };
        std::thread::sleep(Duration::from_millis(20));
        assert!(q.push_calls(vec![call("a"), call("b")]).is_empty());
        assert_eq!(waiter.join().unwrap(), 2);
        assert_eq!(woken.load(Ordering::SeqCst), 1);
        if let Some(fd) = fd {
            let mut items = [zmq::PollItem::from_fd(fd, zmq::POLLIN)];
            assert_eq!(zmq::poll(&mut items, 0).unwrap(), 1);
        }
        let taken = q.take_calls();
        assert_eq!(taken.len(), 2);
        assert_eq!(taken[0].name(), "a");
        if let Some(fd) = fd {
            let mut items = [zmq::PollItem::from_fd(fd, zmq::POLLIN)];
            assert_eq!(
                zmq::poll(&mut items, 0).unwrap(),
                0,
                "drained by take_calls"
            );
        }
        assert_eq!(q.queued(), 0);
        q.push_calls(vec![call("c")]);
        q.clear_calls();
        assert_eq!(q.queued(), 0);
        // A bounded wait with nothing queued returns after its timeout.
        let t = std::time::Instant::now();
        q.wait(30);
        assert!(t.elapsed() >= Duration::from_millis(25));
    }

    #[test]
    fn processing_marks_the_thread_once() {
        assert!(!processing_here());
        let p = Processing::begin().unwrap();
        assert!(processing_here());
        assert!(Processing::begin().is_none());
        drop(p);
        assert!(!processing_here());
    }
}
