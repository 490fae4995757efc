//! The message handler: a thread that receives requests on the server socket, validates them
//! (Phase A) and queues them in the host queue; the host runs the queued calls on its own
//! thread with [`Handler::process`], through its dispatcher, and the replies go back to their
//! senders.
//!
//! The thread sleeps in `zmq_poll` on the server socket's notification descriptor and on an
//! in-process wake-up socket, so it uses no CPU while idle and holds the server socket's lock
//! only for the moment it takes the waiting messages off it. Receiving ([`Handler::receive`])
//! and validating ([`Handler::validate`]) are separate steps, usable by any thread.

use crate::binary_reply::{
    encode, reply_text, send_reply_frames, send_reply_frames_on, split_router_request,
};
use crate::error::{req, Code, Error, Result};
use crate::host_queue::Processing;
use crate::json::Json;
use crate::logging::{Direction, Entry};
use crate::protocol::{parse_request_frames, parse_request_keeping, Call, Reply};
use crate::role::Role;
use crate::roles::{mark_handler_thread, on_handler_thread, send_frames, Roles};
use crate::services::Services;
use crate::socket::waker::RawFd;
use crate::socket::{recv_multipart, Frames};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

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
}

/// The handler: its thread and the host's dispatcher, over the server role socket and the
/// host queue.
pub struct Handler {
    svc: Arc<Services>,
    roles: Arc<Roles>,
    running: Mutex<Running>,
    dispatcher: Mutex<Option<Arc<dyn Dispatch>>>,
    serial: AtomicU64,
}

/// Most requests taken off the server socket under one lock.
const RECV_BATCH: usize = 64;

/// What one look at the server socket found.
pub enum Received {
    /// Requests (up to a batch).
    Messages(Vec<Frames>),
    /// Nothing: the socket's notification descriptor signals what arrives from now on.
    Idle(RawFd),
    /// The socket failed.
    Failed(Error),
}

impl Handler {
    /// A handler (not running) for the server socket of `roles`.
    pub fn new(roles: Arc<Roles>) -> Handler {
        Handler {
            svc: Arc::clone(roles.services()),
            roles,
            running: Mutex::new(Running::default()),
            dispatcher: Mutex::new(None),
            serial: AtomicU64::new(0),
        }
    }

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

    /// Start the handler thread (SPEC 2.17).
    pub fn start(self: &Arc<Self>) -> Result<()> {
        let mut r = self.running.lock();
        if r.thread.is_some() {
            return Err(Error::new(
                Code::HandlerAlreadyRunning,
                "The message handler is already running.",
            ));
        }
        if !self.roles.server_bound() {
            return Err(Error::new(
                Code::HandlerNoConnection,
                "The message handler needs a bound server: call zeromq_server_bind first.",
            ));
        }
        let n = self.serial.fetch_add(1, Ordering::Relaxed);
        let addr = format!("inproc://zeromq-xop-wake-{:p}-{}", Arc::as_ptr(self), n);
        let zerr = |c: &'static str| move |e| Error::zmq(c, e);
        let ctx = self.svc.context();
        let pull = ctx.socket(zmq::PULL).map_err(zerr("zmq_socket"))?;
        pull.set_linger(0).map_err(zerr("zmq_setsockopt"))?;
        pull.bind(&addr).map_err(zerr("zmq_bind"))?;
        let push = ctx.socket(zmq::PUSH).map_err(zerr("zmq_socket"))?;
        push.set_linger(0).map_err(zerr("zmq_setsockopt"))?;
        // No limit: a wake keeps at most one message outstanding, and one refused because
        // the queue looked full would be a lost wake-up.
        push.set_sndhwm(0).map_err(zerr("zmq_setsockopt"))?;
        push.connect(&addr).map_err(zerr("zmq_connect"))?;
        let stop = Arc::new(AtomicBool::new(false));
        let (h, stop2) = (Arc::clone(self), Arc::clone(&stop));
        self.roles.watch.install(push);
        let t = std::thread::Builder::new()
            .name("zeromq-xop handler".into())
            .spawn(move || {
                mark_handler_thread();
                h.receive_loop(&pull, &stop2);
            })
            .map_err(|e| {
                self.roles.watch.remove();
                Error::new(
                    Code::Internal,
                    format!("Could not start the handler thread: {e}"),
                )
            })?;
        *r = Running {
            thread: Some(t),
            stop,
        };
        Ok(())
    }

    /// Stop the handler thread and wait for it (a no-op when it is not running). On the
    /// handler thread itself (a host's wake-up function that stops the library) the thread
    /// is told to end and not waited for: it ends once the wake-up function returns.
    pub fn stop(&self) {
        let thread = {
            let mut r = self.running.lock();
            r.stop.store(true, Ordering::SeqCst);
            self.roles.watch.remove();
            r.thread.take()
        };
        if let Some(t) = thread {
            if t.thread().id() != std::thread::current().id() {
                let _ = t.join();
            }
        }
    }

    /// Take the requests waiting on the server socket (up to a batch). When there are none on
    /// the handler thread, it is marked idle under the socket's lock: a receive that finds
    /// nothing has processed the socket's pending commands, so the descriptor signals whatever
    /// arrives later, and other threads that use the socket from then on wake the handler if
    /// they consume that signal. Any thread may receive (the host's, for instance).
    pub fn receive(&self) -> Received {
        let step = self.roles.with_socket(Role::Server, |s, _| {
            let mut batch = Vec::new();
            loop {
                match recv_multipart(s) {
                    Ok(Some(frames)) => {
                        batch.push(frames);
                        if batch.len() == RECV_BATCH {
                            return Ok(Received::Messages(batch));
                        }
                    }
                    Ok(None) | Err(_) if !batch.is_empty() => return Ok(Received::Messages(batch)),
                    Ok(None) => {
                        return Ok(match s.get_fd() {
                            Ok(fd) => {
                                if on_handler_thread() {
                                    self.roles.watch.set_idle(true);
                                }
                                Received::Idle(fd as RawFd)
                            }
                            Err(e) => Received::Failed(Error::zmq("zmq_getsockopt(ZMQ_FD)", e)),
                        })
                    }
                    Err(e) => return Ok(Received::Failed(e)),
                }
            }
        });
        step.unwrap_or_else(Received::Failed)
    }

    fn receive_loop(&self, wake: &zmq::Socket, stop: &AtomicBool) {
        let mut failures = 0u32;
        while !stop.load(Ordering::SeqCst) {
            let fd = match self.receive() {
                Received::Messages(batch) => {
                    failures = 0;
                    self.queue_valid(batch);
                    continue;
                }
                Received::Idle(fd) => Some(fd),
                Received::Failed(e) => {
                    failures += 1;
                    self.svc.emergency(&format!(
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
            let timeout = match fd {
                Some(_) => -1,
                None => 10 * i64::from(failures.min(100)),
            };
            let _ = zmq::poll(&mut items, timeout);
            self.roles.watch.set_idle(false);
            // Empty the wake-up socket only when it has something (each look costs a call).
            if items[0].is_readable() {
                let mut msg = zmq::Message::new();
                while wake.recv(&mut msg, zmq::DONTWAIT).is_ok() {}
                self.roles.watch.woken();
            }
        }
    }

    /// Validate a batch of requests: rejected ones are answered at once, valid ones queued
    /// together (those the queue has no room for are answered `REQ_OUT_OF_MEMORY`).
    pub fn queue_valid(&self, batch: Vec<Frames>) {
        let calls: Vec<Call> = batch.into_iter().filter_map(|f| self.validate(f)).collect();
        if calls.is_empty() {
            return;
        }
        for call in self.svc.host.push_calls(calls) {
            let mut r = Reply::new(call.message_id.clone());
            r.error(req::OUT_OF_MEMORY, None);
            self.send_reply(&call.identity, &r.to_json());
        }
    }

    /// Phase A of one request as the server socket received it: a valid call is returned for
    /// queueing, a rejected one (too large, malformed, invalid) is answered here.
    pub fn validate(&self, frames: Frames) -> Option<Call> {
        if self.roles.answer_oversized(&frames) {
            return None;
        }
        let request = match split_router_request(frames) {
            Ok(r) => r,
            Err(e) => {
                self.svc.emergency(&format!(
                    "The message handler dropped a message: {}",
                    e.detail
                ));
                return None;
            }
        };
        let identity = request.identity;
        let payload = &request.payload;
        let buffers: Vec<&[u8]> = request.buffers.iter().map(|b| &b[..]).collect();
        let logging = self.svc.logging();
        match parse_request_frames(payload, &buffers, logging) {
            Ok(mut call) => {
                // The parsed document is only needed for the log; it is dropped here rather
                // than on the host's thread.
                if let Some(doc) = call.document.take() {
                    if logging {
                        self.svc.log.log(
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
                if logging {
                    let entry = match &rejected.document {
                        Some(doc) => Entry::Json(doc),
                        None => Entry::Str(payload),
                    };
                    self.svc
                        .log
                        .log(entry, Some(Direction::Incoming), Some(&identity));
                }
                self.send_reply(&identity, &rejected.reply());
                None
            }
        }
    }

    fn send_reply(&self, identity: &[u8], reply: &Json) {
        self.roles.send_reply_text(identity, &reply.to_pretty());
    }

    /// Whether a remote call may reach the dispatcher; a refused one is logged.
    fn call_allowed(&self, call: &Call) -> bool {
        if self.svc.security.call_allowed(call.name().as_bytes()) {
            return true;
        }
        let doc = Json::obj([
            ("refused function", Json::Str(call.name().to_string())),
            ("reason", Json::Str("not in the allowed functions".into())),
        ]);
        self.svc.log_entry(
            Entry::Json(&doc),
            Some(Direction::Incoming),
            Some(&call.identity),
        );
        self.svc.debug(&format!(
            "refused a call of \"{}\": not in the allowed functions",
            call.name()
        ));
        false
    }

    /// Run one call through the dispatcher and return the reply document.
    pub fn run_call(&self, call: &Call) -> Json {
        let mut reply = Reply::new(call.message_id.clone());
        match self.dispatcher() {
            None => reply.error(req::NON_EXISTING_FUNCTION, None),
            Some(_) if !self.call_allowed(call) => reply.error(req::NON_EXISTING_FUNCTION, None),
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
        self.svc.log_entry(
            Entry::Json(&json),
            Some(Direction::Outgoing),
            Some(&call.identity),
        );
        json
    }

    /// Run every queued call on this thread, send the replies and flush queued output. Returns
    /// the number of calls run. A nested call (from inside a dispatch) runs nothing.
    pub fn process(&self) -> u32 {
        let Some(processing) = Processing::begin() else {
            self.svc.flush_output();
            return 0;
        };
        let batch = self.svc.host.take_calls();
        let n = batch.len() as u32;
        if n > 0 && self.svc.logging() {
            self.svc.log.log(
                Entry::Str(format!("IDLE event messages: #{n}").as_bytes()),
                None,
                None,
            );
        }
        for call in batch {
            let json = self.run_call(&call);
            // The call stopped everything (zeromq_stop): it is answered through the closed
            // server socket, which goes once the reply is out; the rest of the batch was
            // dropped with the queue.
            let retired = self.roles.take_retired();
            let sent = if call.binary {
                let frames = encode(json, true, call.message_id.as_deref());
                match &retired {
                    Some(server) => send_reply_frames_on(server, &call.identity, frames),
                    None => send_reply_frames(&self.roles, &call.identity, frames),
                }
            } else {
                let text = reply_text(&json, call.message_id.as_deref());
                drop(json);
                match &retired {
                    Some(server) => send_frames(server, &[&call.identity, b"", &text], "server"),
                    None => {
                        self.roles.send_reply_text(&call.identity, &text);
                        Ok(())
                    }
                }
            };
            if let Err(e) = sent {
                self.roles.report_send_failure(&call.identity, &e);
            }
            if retired.is_some() {
                break;
            }
        }
        drop(processing);
        self.svc.flush_output();
        n
    }

    /// Block until a call is queued or `timeout_ms` passes (-1: no limit).
    pub fn wait(&self, timeout_ms: i32) {
        self.svc.host.wait(timeout_ms);
    }

    /// Number of queued calls.
    pub fn queued(&self) -> usize {
        self.svc.host.queued()
    }

    /// Install (or remove) the host's wake-up function, called on the handler thread each
    /// time calls were queued.
    pub fn set_wakeup(&self, f: Option<crate::host_queue::WakeupFn>) {
        self.svc.host.set_wakeup(f);
    }

    /// `zeromq_handler_fd`: readable while calls or output wait (see
    /// [`crate::host_queue::HostQueue::ready_fd`]).
    pub fn ready_fd(&self) -> Option<RawFd> {
        self.svc.host.ready_fd()
    }

    /// Run a request synchronously on this thread, without sockets
    /// (`zeromq_test_callfunction`).
    pub fn test_callfunction(&self, payload: &[u8]) -> Json {
        self.test_call(payload).0
    }

    /// [`Handler::test_callfunction`] as the frames a client would receive (more than one for
    /// a binary reply with numeric waves).
    pub fn test_callfunction_frames(&self, payload: &[u8]) -> Vec<Vec<u8>> {
        let (json, binary) = self.test_call(payload);
        encode(json, binary, None)
    }

    /// The reply document, and whether the request asked for a binary reply.
    fn test_call(&self, payload: &[u8]) -> (Json, bool) {
        match parse_request_keeping(payload, self.svc.logging()) {
            Ok(call) => {
                if let Some(doc) = &call.document {
                    self.svc
                        .log_entry(Entry::Json(doc), Some(Direction::Incoming), None);
                }
                (self.run_call(&call), call.binary)
            }
            Err(rejected) => {
                let entry = match &rejected.document {
                    Some(doc) => Entry::Json(doc),
                    None => Entry::Str(payload),
                };
                self.svc.log_entry(entry, Some(Direction::Incoming), None);
                (rejected.reply(), false)
            }
        }
    }
}

#[cfg(test)]
mod tests;
