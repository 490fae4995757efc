//! The message handler: a thread that receives requests on the server socket, validates them
//! (Phase A) and queues them; the host runs the queued calls on its own thread with
//! [`Handler::process`], through its dispatcher, and the replies go back to their senders.
//!
//! The thread sleeps in `zmq_poll` on the server socket's notification descriptor and on an
//! in-process wake-up socket, so it uses no CPU while idle and holds the server socket's lock
//! only for the moment it takes the waiting messages off it.

use crate::error::{req, Code, Error, Result};
use crate::json::Json;
use crate::logging::{Direction, Entry};
use crate::manager::{check_router_frames, recv_multipart, send_frames, Manager, Role};
use crate::protocol::{parse_request_keeping, Call, Reply};
use parking_lot::{Condvar, Mutex};
use std::cell::Cell;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// How many calls may wait in the queue; beyond that requests are answered with
/// `REQ_OUT_OF_MEMORY` at once instead of being queued.
pub const MAX_QUEUED_CALLS: usize = 100_000;

/// The host's function dispatcher: runs one call and fills in the reply.
pub trait Dispatch: Send + Sync {
    /// Run `call`; push results onto `reply` or set an error.
    fn dispatch(&self, call: &Call, reply: &mut Reply);
}

impl<F: Fn(&Call, &mut Reply) + Send + Sync> Dispatch for F {
    fn dispatch(&self, call: &Call, reply: &mut Reply) {
        self(call, reply)
    }
}

#[derive(Default)]
struct Running {
    thread: Option<JoinHandle<()>>,
    stop: Arc<AtomicBool>,
    wake: Option<crate::socket::context::Socket>,
}

/// The handler's state: its thread, the queue of validated calls and the dispatcher.
#[derive(Default)]
pub struct Handler {
    running: Mutex<Running>,
    queue: Mutex<VecDeque<Call>>,
    queued: Condvar,
    dispatcher: Mutex<Option<Arc<dyn Dispatch>>>,
    serial: AtomicU64,
    /// The handler thread sleeps (or is about to) on the server socket's notification
    /// descriptor; set under the server socket's lock.
    idle: AtomicBool,
    /// A wake-up message is on its way to the handler thread.
    wake_pending: AtomicBool,
    /// `zeromq_handler_fd`: readable while calls or output wait (created on first request).
    ready: once_cell::sync::OnceCell<Option<crate::socket::waker::Waker>>,
}

thread_local! {
    static ON_HANDLER_THREAD: Cell<bool> = const { Cell::new(false) };
    static PROCESSING: Cell<bool> = const { Cell::new(false) };
}

/// Whether the calling thread is a handler thread.
pub fn on_handler_thread() -> bool {
    ON_HANDLER_THREAD.with(|c| c.get())
}

impl Handler {
    /// Install the dispatcher (`None`: every call answers "unknown function").
    pub fn set_dispatcher(&self, d: Option<Arc<dyn Dispatch>>) {
        *self.dispatcher.lock() = d;
    }

    fn dispatcher(&self) -> Option<Arc<dyn Dispatch>> {
        self.dispatcher.lock().clone()
    }

    /// Whether the handler thread runs.
    pub fn is_running(&self) -> bool {
        self.running.lock().thread.is_some()
    }

    /// Wake the handler thread so it looks at the server socket again. At most one wake-up
    /// message is outstanding.
    pub fn wake(&self) {
        if on_handler_thread() || self.wake_pending.swap(true, Ordering::SeqCst) {
            return;
        }
        let sent = match &self.running.lock().wake {
            Some(w) => w.send(&b""[..], zmq::DONTWAIT).is_ok(),
            None => false,
        };
        if !sent {
            self.wake_pending.store(false, Ordering::SeqCst);
        }
    }

    /// For the socket manager, under the server socket's lock after another thread used that
    /// socket: whether the handler must be woken. That operation may have reset the
    /// notification descriptor the handler sleeps on; it matters only when the handler
    /// sleeps and input is waiting. A busy handler receives again before it sleeps, so then
    /// nothing is looked at (no system call).
    pub fn must_wake(&self, server: &zmq::Socket) -> bool {
        !on_handler_thread()
            && self.idle.load(Ordering::SeqCst)
            && server.get_events().is_ok_and(|ev| ev.contains(zmq::POLLIN))
    }

    /// Stop the handler thread and wait for it (a no-op when it is not running).
    pub fn stop(&self) {
        let thread = {
            let mut r = self.running.lock();
            r.stop.store(true, Ordering::SeqCst);
            if let Some(w) = &r.wake {
                let _ = w.send(&b""[..], zmq::DONTWAIT);
            }
            r.wake = None;
            r.thread.take()
        };
        if let Some(t) = thread {
            let _ = t.join();
        }
    }

    /// Drop every queued call.
    pub fn clear_queue(&self) {
        self.queue.lock().clear();
    }

    /// Number of queued calls.
    pub fn queued(&self) -> usize {
        self.queue.lock().len()
    }

    /// Block until a call is queued or `timeout_ms` passes (-1: no limit).
    pub fn wait(&self, timeout_ms: i32) {
        let mut q = self.queue.lock();
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

    /// Queue calls with one wake-up of the host; returns those that did not fit.
    fn push_all(&self, calls: Vec<Call>) -> Vec<Call> {
        let mut q = self.queue.lock();
        let room = MAX_QUEUED_CALLS.saturating_sub(q.len());
        let mut calls = calls.into_iter();
        q.extend(calls.by_ref().take(room));
        drop(q);
        self.queued.notify_all();
        self.signal_ready();
        calls.collect()
    }

    /// Notify threads blocked in [`Handler::wait`] (used when the host wants them to look at
    /// the queue or output again).
    pub fn notify(&self) {
        let _q = self.queue.lock();
        self.queued.notify_all();
        self.signal_ready();
    }

    /// The descriptor a host's event loop watches: readable while calls or output wait for
    /// [`process`]. Readable at first, so nothing that waited before is missed. `None` where
    /// the system has no such descriptor.
    pub fn ready_fd(&self) -> Option<crate::socket::waker::RawFd> {
        let mut created = false;
        let w = self.ready.get_or_init(|| {
            created = true;
            crate::socket::waker::Waker::new()
        });
        let w = w.as_ref()?;
        if created {
            w.set();
        }
        Some(w.fd())
    }

    fn signal_ready(&self) {
        if let Some(Some(w)) = self.ready.get() {
            w.set();
        }
    }
}

/// Start the handler thread (SPEC 2.17).
pub fn start(m: &Arc<Manager>) -> Result<()> {
    let mut r = m.handler.running.lock();
    if r.thread.is_some() {
        return Err(Error::new(
            Code::HandlerAlreadyRunning,
            "The message handler is already running.",
        ));
    }
    if !m.server_bound() {
        return Err(Error::new(
            Code::HandlerNoConnection,
            "The message handler needs a bound server: call zeromq_server_bind first.",
        ));
    }
    let n = m.handler.serial.fetch_add(1, Ordering::Relaxed);
    let addr = format!("inproc://zeromq-xop-wake-{:p}-{}", Arc::as_ptr(m), n);
    let zerr = |c: &'static str| move |e| Error::zmq(c, e);
    let pull = m.context().socket(zmq::PULL).map_err(zerr("zmq_socket"))?;
    pull.set_linger(0).map_err(zerr("zmq_setsockopt"))?;
    pull.bind(&addr).map_err(zerr("zmq_bind"))?;
    let push = m.context().socket(zmq::PUSH).map_err(zerr("zmq_socket"))?;
    push.set_linger(0).map_err(zerr("zmq_setsockopt"))?;
    // No limit: `wake` keeps at most one message outstanding, and one refused because the
    // queue looked full would be a lost wake-up.
    push.set_sndhwm(0).map_err(zerr("zmq_setsockopt"))?;
    push.connect(&addr).map_err(zerr("zmq_connect"))?;
    let stop = Arc::new(AtomicBool::new(false));
    let (m2, stop2) = (Arc::clone(m), Arc::clone(&stop));
    // Reset before the thread runs: it sets `idle` as soon as it finds nothing to receive.
    m.handler.idle.store(false, Ordering::SeqCst);
    m.handler.wake_pending.store(false, Ordering::SeqCst);
    let t = std::thread::Builder::new()
        .name("zeromq-xop handler".into())
        .spawn(move || {
            ON_HANDLER_THREAD.with(|c| c.set(true));
            receive_loop(&m2, &pull, &stop2);
        })
        .map_err(|e| {
            Error::new(
                Code::Internal,
                format!("Could not start the handler thread: {e}"),
            )
        })?;
    *r = Running {
        thread: Some(t),
        stop,
        wake: Some(push),
    };
    Ok(())
}

/// Most requests taken off the server socket under one lock.
const RECV_BATCH: usize = 64;

enum Step {
    Messages(Vec<crate::manager::Frames>),
    Idle(crate::manager::PollFd),
    Failed(Error),
}

fn receive_loop(m: &Arc<Manager>, wake: &zmq::Socket, stop: &AtomicBool) {
    let mut failures = 0u32;
    while !stop.load(Ordering::SeqCst) {
        // Take what is waiting (up to a batch). A receive that finds nothing has processed
        // the socket's pending commands, so the notification descriptor signals whatever
        // arrives later; `idle` (set under the socket's lock) tells other threads that use
        // the socket from now on to wake this thread if they reset that descriptor.
        let step = m.with_socket(Role::Server, |s, _| {
            let mut batch = Vec::new();
            loop {
                match recv_multipart(s) {
                    Ok(Some(frames)) => {
                        batch.push(frames);
                        if batch.len() == RECV_BATCH {
                            return Ok(Step::Messages(batch));
                        }
                    }
                    Ok(None) | Err(_) if !batch.is_empty() => return Ok(Step::Messages(batch)),
                    Ok(None) => {
                        return Ok(match s.get_fd() {
                            Ok(fd) => {
                                m.handler.idle.store(true, Ordering::SeqCst);
                                Step::Idle(fd)
                            }
                            Err(e) => Step::Failed(Error::zmq("zmq_getsockopt(ZMQ_FD)", e)),
                        })
                    }
                    Err(e) => return Ok(Step::Failed(e)),
                }
            }
        });
        let fd = match step {
            Ok(Step::Messages(batch)) => {
                failures = 0;
                handle_messages(m, batch);
                continue;
            }
            Ok(Step::Idle(fd)) => Some(fd),
            Ok(Step::Failed(e)) | Err(e) => {
                failures += 1;
                m.emergency(&format!(
                    "The message handler could not receive: {}",
                    e.detail
                ));
                None
            }
        };
        let mut items = vec![wake.as_poll_item(zmq::POLLIN)];
        if let Some(fd) = fd {
            items.push(zmq::PollItem::from_fd(fd, zmq::POLLIN));
        }
        // After a failure, back off instead of spinning.
        let timeout = if fd.is_none() {
            10 * i64::from(failures.min(100))
        } else {
            -1
        };
        let _ = zmq::poll(&mut items, timeout);
        m.handler.idle.store(false, Ordering::SeqCst);
        // Empty the wake-up socket only when it has something (each look costs a system call).
        if items[0].is_readable() {
            let mut msg = zmq::Message::new();
            while wake.recv(&mut msg, zmq::DONTWAIT).is_ok() {}
            m.handler.wake_pending.store(false, Ordering::SeqCst);
        }
    }
}

/// Validate a batch of requests: rejected ones are answered at once, valid ones queued
/// together.
fn handle_messages(m: &Arc<Manager>, batch: Vec<crate::manager::Frames>) {
    let calls: Vec<Call> = batch
        .into_iter()
        .filter_map(|f| handle_message(m, f))
        .collect();
    if calls.is_empty() {
        return;
    }
    for call in m.handler.push_all(calls) {
        let mut r = Reply::new(call.message_id.clone());
        r.error(req::OUT_OF_MEMORY, None);
        send_reply(m, &call.identity, &r.to_json());
    }
}

/// Validate one request: a valid call is returned for queueing, a rejected one answered.
fn handle_message(m: &Arc<Manager>, frames: crate::manager::Frames) -> Option<Call> {
    let frames = match check_router_frames(frames) {
        Ok(f) => f,
        Err(e) => {
            m.emergency(&format!(
                "The message handler dropped a message: {}",
                e.detail
            ));
            return None;
        }
    };
    let identity = frames[0].to_vec();
    let payload = &frames[1];
    match parse_request_keeping(payload, m.logging()) {
        Ok(mut call) => {
            // The parsed document is only needed for the log; it is dropped here rather than
            // on the host's thread.
            if let Some(doc) = call.document.take() {
                if m.logging() {
                    m.log.log(
                        Entry::Json(&doc),
                        Some(Direction::Incoming),
                        Some(&identity),
                    );
                }
            }
            call.identity = identity;
            Some(call)
        }
        Err(rejected) => {
            if m.logging() {
                match &rejected.document {
                    Some(doc) => {
                        m.log
                            .log(Entry::Json(doc), Some(Direction::Incoming), Some(&identity))
                    }
                    None => m.log.log(
                        Entry::Str(payload),
                        Some(Direction::Incoming),
                        Some(&identity),
                    ),
                }
            }
            send_reply(m, &identity, &rejected.reply());
            None
        }
    }
}

/// The text of a reply; when its memory cannot be had (an absurdly large wave) the caller
/// gets `REQ_OUT_OF_MEMORY` instead, and the host keeps running.
pub fn reply_text(reply: &Json, message_id: Option<&str>) -> Vec<u8> {
    reply.try_pretty().unwrap_or_else(|| {
        let mut r = Reply::new(message_id.map(str::to_string));
        r.error_with_message(
            req::OUT_OF_MEMORY,
            "Request cancelled due to Out Of Memory condition: the reply is too large.",
        );
        r.to_json().to_pretty()
    })
}

fn send_reply(m: &Manager, identity: &[u8], reply: &Json) {
    send_reply_text(m, identity, &reply.to_pretty());
}

fn send_reply_text(m: &Manager, identity: &[u8], text: &[u8]) {
    let r = m.with_socket(Role::Server, |s, _| {
        send_frames(s, &[identity, b"", text], "server")
    });
    if let Err(e) = r {
        m.emergency(&format!(
            "Could not send the reply to \"{}\": {}",
            String::from_utf8_lossy(identity),
            e.detail
        ));
    }
}

/// Run one call through the dispatcher and return the reply document.
pub fn run_call(m: &Manager, call: &Call) -> Json {
    let mut reply = Reply::new(call.message_id.clone());
    match m.handler.dispatcher() {
        None => reply.error(req::NON_EXISTING_FUNCTION, None),
        Some(_) if !m.call_allowed(call) => reply.error(req::NON_EXISTING_FUNCTION, None),
        Some(d) => {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                d.dispatch(call, &mut reply)
            }));
            if r.is_err() {
                reply = Reply::new(call.message_id.clone());
                reply.error_with_message(
                    Code::Unhandled as i32,
                    "The dispatcher failed unexpectedly.",
                );
            }
        }
    }
    let json = reply.into_json();
    m.log_entry(
        Entry::Json(&json),
        Some(Direction::Outgoing),
        Some(&call.identity),
    );
    json
}

/// Run every queued call on this thread, send the replies and flush queued output. Returns
/// the number of calls run. A nested call (from inside a dispatch) runs nothing.
pub fn process(m: &Manager) -> u32 {
    if PROCESSING.with(|p| p.replace(true)) {
        m.flush_output();
        return 0;
    }
    // Before the queue is taken: whatever is queued from now on makes it readable again.
    if let Some(Some(w)) = m.handler.ready.get() {
        w.drain();
    }
    let batch: VecDeque<Call> = std::mem::take(&mut *m.handler.queue.lock());
    let n = batch.len() as u32;
    if n > 0 && m.logging() {
        m.log.log(
            Entry::Str(format!("IDLE event messages: #{n}").as_bytes()),
            None,
            None,
        );
    }
    for call in batch {
        let json = run_call(m, &call);
        let text = reply_text(&json, call.message_id.as_deref());
        drop(json);
        send_reply_text(m, &call.identity, &text);
    }
    PROCESSING.with(|p| p.set(false));
    m.flush_output();
    n
}

/// Run a request synchronously on this thread, without sockets (zeromq_test_callfunction).
pub fn test_callfunction(m: &Manager, payload: &[u8]) -> Json {
    match parse_request_keeping(payload, m.logging()) {
        Ok(call) => {
            if let Some(doc) = &call.document {
                m.log_entry(Entry::Json(doc), Some(Direction::Incoming), None);
            }
            run_call(m, &call)
        }
        Err(rejected) => {
            match &rejected.document {
                Some(doc) => m.log_entry(Entry::Json(doc), Some(Direction::Incoming), None),
                None => m.log_entry(Entry::Str(payload), Some(Direction::Incoming), None),
            }
            rejected.reply()
        }
    }
}
