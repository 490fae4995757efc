//! The message handler: a thread that receives requests on the server socket, validates them
//! (Phase A) and queues them; the host runs the queued calls on its own thread with
//! [`Handler::process`], through its dispatcher, and the replies go back to their senders.
//!
//! The thread sleeps in `zmq_poll` on the server socket's notification descriptor and on an
//! in-process wake-up socket, so it uses no CPU while idle and holds the server socket's lock
//! only for the moment it takes one message off it.

use crate::error::{req, Code, Error, Result};
use crate::json::Json;
use crate::logging::{Direction, Entry};
use crate::manager::{check_router_frames, recv_multipart, send_frames, Manager, Role};
use crate::protocol::{parse_request, Call, Reply};
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
    wake: Option<zmq::Socket>,
}

/// The handler's state: its thread, the queue of validated calls and the dispatcher.
#[derive(Default)]
pub struct Handler {
    running: Mutex<Running>,
    queue: Mutex<VecDeque<Call>>,
    queued: Condvar,
    dispatcher: Mutex<Option<Arc<dyn Dispatch>>>,
    serial: AtomicU64,
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

    /// Wake the handler thread so it looks at the server socket again.
    pub fn wake(&self) {
        if on_handler_thread() {
            return;
        }
        if let Some(w) = &self.running.lock().wake {
            let _ = w.send(&b""[..], zmq::DONTWAIT);
        }
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

    fn push(&self, call: Box<Call>) -> std::result::Result<(), Box<Call>> {
        let mut q = self.queue.lock();
        if q.len() >= MAX_QUEUED_CALLS {
            return Err(call);
        }
        q.push_back(*call);
        drop(q);
        self.queued.notify_all();
        Ok(())
    }

    /// Notify threads blocked in [`Handler::wait`] (used when the host wants them to look at
    /// the queue or output again).
    pub fn notify(&self) {
        let _q = self.queue.lock();
        self.queued.notify_all();
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
    push.set_sndhwm(4).map_err(zerr("zmq_setsockopt"))?;
    push.connect(&addr).map_err(zerr("zmq_connect"))?;
    let stop = Arc::new(AtomicBool::new(false));
    let (m2, stop2) = (Arc::clone(m), Arc::clone(&stop));
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

enum Step {
    Message(crate::manager::Frames),
    Idle(crate::manager::PollFd),
    Failed(Error),
}

fn receive_loop(m: &Arc<Manager>, wake: &zmq::Socket, stop: &AtomicBool) {
    let mut failures = 0u32;
    while !stop.load(Ordering::SeqCst) {
        let step = m.with_socket(Role::Server, |s, _| {
            Ok(match recv_multipart(s) {
                Ok(Some(frames)) => Step::Message(frames),
                Ok(None) => match s.get_fd() {
                    Ok(fd) => Step::Idle(fd),
                    Err(e) => Step::Failed(Error::zmq("zmq_getsockopt(ZMQ_FD)", e)),
                },
                Err(e) => Step::Failed(e),
            })
        });
        let fd = match step {
            Ok(Step::Message(frames)) => {
                failures = 0;
                handle_message(m, frames);
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
        let mut msg = zmq::Message::new();
        while wake.recv(&mut msg, zmq::DONTWAIT).is_ok() {}
    }
}

fn handle_message(m: &Arc<Manager>, frames: crate::manager::Frames) {
    let frames = match check_router_frames(frames) {
        Ok(f) => f,
        Err(e) => {
            m.emergency(&format!(
                "The message handler dropped a message: {}",
                e.detail
            ));
            return;
        }
    };
    let identity = frames[0].to_vec();
    let payload = &frames[1];
    match parse_request(payload) {
        Ok(mut call) => {
            if m.logging() {
                if let Some(doc) = &call.document {
                    m.log
                        .log(Entry::Json(doc), Some(Direction::Incoming), Some(&identity));
                }
            }
            call.identity = identity;
            if let Err(call) = m.handler.push(Box::new(call)) {
                let mut r = Reply::new(call.message_id.clone());
                r.error(req::OUT_OF_MEMORY, None);
                send_reply(m, &call.identity, &r.to_json());
            }
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
        }
    }
}

fn send_reply(m: &Manager, identity: &[u8], reply: &Json) {
    let text = reply.to_pretty();
    let r = m.with_socket(Role::Server, |s, _| {
        send_frames(s, &[identity, b"", &text], "server")
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
    let json = reply.to_json();
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
        send_reply(m, &call.identity, &json);
    }
    PROCESSING.with(|p| p.set(false));
    m.flush_output();
    n
}

/// Run a request synchronously on this thread, without sockets (zeromq_test_callfunction).
pub fn test_callfunction(m: &Manager, payload: &[u8]) -> Json {
    match parse_request(payload) {
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
