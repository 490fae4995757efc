//! The socket manager: one socket per role (client DEALER, server ROUTER, publisher PUB,
//! subscriber SUB), each behind its own lock, plus settings, the subscriber's filter list, the
//! heartbeat publisher, the output queue and the message handler.

use crate::error::{Code, Error, Result};
use crate::handler::Handler;
use crate::logging::{Direction, Entry, Logger};
use crate::role_options::RoleOptions;
use crate::security::Security;
use crate::socket::context::{Context, Socket};
use parking_lot::{Condvar, Mutex};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::{JoinHandle, ThreadId};
use std::time::{Duration, Instant};

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

/// The topic heartbeats are published on.
pub const HEARTBEAT_TOPIC: &[u8] = b"heartbeat";
/// Time between heartbeats.
pub const HEARTBEAT_PERIOD: Duration = Duration::from_secs(5);
/// The server's default inbound message size limit in bytes.
pub const DEFAULT_MAX_MESSAGE_SIZE: i64 = 1024;

/// The four socket roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// DEALER, connects.
    Client = 0,
    /// ROUTER, binds.
    Server = 1,
    /// PUB, binds.
    Publisher = 2,
    /// SUB, connects.
    Subscriber = 3,
}

impl Role {
    /// The role for a `ZEROMQ_ROLE_*` number.
    pub fn from_i32(v: i32) -> Option<Role> {
        Some(match v {
            0 => Role::Client,
            1 => Role::Server,
            2 => Role::Publisher,
            3 => Role::Subscriber,
            _ => return None,
        })
    }

    fn binds(self) -> bool {
        matches!(self, Role::Server | Role::Publisher)
    }

    fn name(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Server => "server",
            Role::Publisher => "publisher",
            Role::Subscriber => "subscriber",
        }
    }
}

/// Process-wide settings; each is an atomic, read without locks.
pub struct Settings {
    /// Debug output.
    pub debug: AtomicBool,
    /// Busy-wait receive (the default); off means receives return at once.
    pub busy_wait: AtomicBool,
    /// Message logging.
    pub logging: AtomicBool,
    /// IPv6 on sockets.
    pub ipv6: AtomicBool,
}

/// One role's socket and what it is bound or connected to.
#[derive(Default)]
pub struct Slot {
    socket: Option<Socket>,
    endpoints: Vec<String>,
    filters: Vec<Vec<u8>>,
}

type OutputFn = Box<dyn Fn(&str) + Send + Sync>;
type SharedOutputFn = Arc<dyn Fn(&str) + Send + Sync>;

struct Output {
    sink: Option<(SharedOutputFn, ThreadId)>,
    queue: VecDeque<String>,
}

#[derive(Default)]
struct HeartbeatState {
    active: bool,
    stop: bool,
    thread: Option<JoinHandle<()>>,
}

/// The heartbeat thread's state, shared with the thread (which holds only a weak reference to
/// the manager, so a manager can be dropped while its heartbeat thread sleeps).
#[derive(Default)]
struct Heartbeat {
    state: Mutex<HeartbeatState>,
    cv: Condvar,
}

/// The socket manager. The C ABI uses one global instance; tests build their own.
pub struct Manager {
    ctx: Context,
    slots: [Mutex<Slot>; 4],
    /// Process-wide settings.
    pub settings: Settings,
    max_message_size: AtomicI64,
    /// The message log.
    pub log: Logger,
    output: Mutex<Output>,
    heartbeat: Arc<Heartbeat>,
    released: Mutex<Vec<(String, Instant)>>,
    /// The message handler (thread, queue, dispatcher).
    pub handler: Handler,
    client_serial: AtomicU64,
    /// Options the host set on the role sockets.
    pub role_options: RoleOptions,
    /// Rules, the ZAP handler and the allowed remote calls.
    pub security: Security,
}

/// The descriptor type libzmq reports for `ZMQ_FD`.
#[cfg(unix)]
pub type PollFd = std::os::raw::c_int;
/// The descriptor type libzmq reports for `ZMQ_FD`.
#[cfg(windows)]
pub type PollFd = u64;

/// A received message: its frames.
pub type Frames = Vec<zmq::Message>;

impl Manager {
    /// A manager with its own libzmq context and default settings.
    pub fn new() -> Arc<Manager> {
        Manager::with_logger(Logger::default())
    }

    /// A manager logging to the given logger.
    pub fn with_logger(log: Logger) -> Arc<Manager> {
        Arc::new(Manager {
            ctx: Context::new(),
            slots: Default::default(),
            settings: Settings {
                debug: AtomicBool::new(false),
                busy_wait: AtomicBool::new(true),
                logging: AtomicBool::new(false),
                ipv6: AtomicBool::new(false),
            },
            max_message_size: AtomicI64::new(DEFAULT_MAX_MESSAGE_SIZE),
            log,
            output: Mutex::new(Output {
                sink: None,
                queue: VecDeque::new(),
            }),
            heartbeat: Arc::new(Heartbeat::default()),
            released: Mutex::new(Vec::new()),
            handler: Handler::default(),
            client_serial: AtomicU64::new(0),
            role_options: RoleOptions::default(),
            security: Security::default(),
        })
    }

    /// The libzmq context.
    pub fn context(&self) -> &Context {
        &self.ctx
    }

    // ---------------------------------------------------------------- settings

    /// Apply `zeromq_set` flags (SPEC 3).
    pub fn set_flags(&self, flags: i32) -> Result<()> {
        if flags <= 0 {
            return Err(Error::new(
                Code::UnknownSetFlag,
                format!("zeromq_set: The flag value {flags} must be positive."),
            ));
        }
        let s = &self.settings;
        let mut known = 0;
        if flags & SET_FLAGS_DEFAULT != 0 {
            known += 1;
            s.debug.store(false, Ordering::SeqCst);
            s.busy_wait.store(true, Ordering::SeqCst);
            s.logging.store(false, Ordering::SeqCst);
            self.set_ipv6(false)?;
        }
        if flags & SET_FLAGS_DEBUG != 0 {
            known += 1;
            s.debug.store(true, Ordering::SeqCst);
            self.debug(&format!(
                "libzmq version {}.{}.{}, zeromq-xop {}",
                zmq::version().0,
                zmq::version().1,
                zmq::version().2,
                env!("CARGO_PKG_VERSION")
            ));
        }
        if flags & SET_FLAGS_IPV6 != 0 {
            known += 1;
            self.set_ipv6(true)?;
        }
        if flags & SET_FLAGS_NOBUSYWAITRECV != 0 {
            known += 1;
            s.busy_wait.store(false, Ordering::SeqCst);
        }
        if flags & SET_FLAGS_LOGGING != 0 {
            known += 1;
            s.logging.store(true, Ordering::SeqCst);
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
        let s = &self.settings;
        let mut f = 0;
        if s.debug.load(Ordering::SeqCst) {
            f |= SET_FLAGS_DEBUG;
        }
        if s.ipv6.load(Ordering::SeqCst) {
            f |= SET_FLAGS_IPV6;
        }
        if !s.busy_wait.load(Ordering::SeqCst) {
            f |= SET_FLAGS_NOBUSYWAITRECV;
        }
        if s.logging.load(Ordering::SeqCst) {
            f |= SET_FLAGS_LOGGING;
        }
        if f == 0 {
            SET_FLAGS_DEFAULT
        } else {
            f
        }
    }

    fn set_ipv6(&self, on: bool) -> Result<()> {
        self.settings.ipv6.store(on, Ordering::SeqCst);
        for slot in &self.slots {
            if let Some(sock) = &slot.lock().socket {
                sock.set_ipv6(on)
                    .map_err(|e| Error::zmq("zmq_setsockopt(ZMQ_IPV6)", e))?;
            }
        }
        Ok(())
    }

    /// Whether message logging is on.
    pub fn logging(&self) -> bool {
        self.settings.logging.load(Ordering::Relaxed)
    }

    /// Log an entry if logging is on.
    pub fn log_entry(&self, entry: Entry<'_>, dir: Option<Direction>, identity: Option<&[u8]>) {
        if self.logging() {
            self.log.log(entry, dir, identity);
        }
    }

    /// Set the server's inbound message size limit (-1: none). libzmq fixes a bind's limit when
    /// the bind is made, so it applies to binds made afterwards.
    pub fn set_max_message_size(&self, bytes: i64) -> Result<()> {
        if bytes < -1 {
            return Err(Error::invalid_arg(format!(
                "The maximum message size must be -1 (no limit) or >= 0, not {bytes}."
            )));
        }
        self.max_message_size.store(bytes, Ordering::SeqCst);
        if let Some(sock) = &self.slots[Role::Server as usize].lock().socket {
            sock.set_maxmsgsize(bytes)
                .map_err(|e| Error::zmq("zmq_setsockopt(ZMQ_MAXMSGSIZE)", e))?;
        }
        Ok(())
    }

    /// The server's inbound message size limit.
    pub fn max_message_size(&self) -> i64 {
        self.max_message_size.load(Ordering::SeqCst)
    }

    // ---------------------------------------------------------------- output

    /// Install (or remove) the host's output function; output produced on the calling thread
    /// is delivered at once, output from other threads is queued until [`Manager::flush_output`].
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
                out.queue.push_back(text.to_string());
                drop(out);
                self.deliver();
            }
            _ => {
                if out.queue.len() < 10_000 {
                    out.queue.push_back(text.to_string());
                }
                drop(out);
                // A host sleeping in zeromq_handler_wait wakes up to deliver it.
                self.handler.notify();
            }
        }
    }

    /// Deliver queued output in order (called on the host's thread).
    pub fn flush_output(&self) {
        self.deliver();
    }

    /// Hand queued lines to the host's function, outside the output lock: that function may
    /// call back into the library (and produce output) without deadlocking. Lines produced
    /// during a delivery on the same thread are queued and delivered by the same loop.
    fn deliver(&self) {
        thread_local! {
            static DELIVERING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        }
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
                if out.queue.is_empty() {
                    return;
                }
                let pending: Vec<String> = out.queue.drain(..).collect();
                (out.sink.as_ref().map(|(f, _)| Arc::clone(f)), pending)
            };
            if let Some(f) = sink {
                for p in pending {
                    f(&p);
                }
            }
        }
    }

    /// A debug line (only when the debug flag is on).
    pub fn debug(&self, text: &str) {
        if self.settings.debug.load(Ordering::Relaxed) {
            self.output(&format!("Debug: {text}"));
        }
    }

    /// An emergency line (always).
    pub fn emergency(&self, text: &str) {
        self.output(&format!("Emergency: {text}"));
    }

    // ---------------------------------------------------------------- sockets

    fn create_socket(&self, role: Role) -> Result<Socket> {
        let kind = match role {
            Role::Client => zmq::DEALER,
            Role::Server => zmq::ROUTER,
            Role::Publisher => zmq::PUB,
            Role::Subscriber => zmq::SUB,
        };
        let e = |call: &'static str| move |err| Error::zmq(call, err);
        let s = self.ctx.socket(kind).map_err(e("zmq_socket"))?;
        s.set_linger(0).map_err(e("zmq_setsockopt(ZMQ_LINGER)"))?;
        s.set_sndtimeo(0)
            .map_err(e("zmq_setsockopt(ZMQ_SNDTIMEO)"))?;
        s.set_rcvtimeo(0)
            .map_err(e("zmq_setsockopt(ZMQ_RCVTIMEO)"))?;
        match role {
            Role::Client => {
                let n = self.client_serial.fetch_add(1, Ordering::Relaxed);
                let id = format!("zeromq xop: dealer {}-{}", std::process::id(), n);
                s.set_identity(id.as_bytes())
                    .map_err(e("zmq_setsockopt(ZMQ_ROUTING_ID)"))?;
            }
            Role::Server => {
                s.set_identity(b"zeromq xop: router")
                    .map_err(e("zmq_setsockopt(ZMQ_ROUTING_ID)"))?;
                s.set_router_mandatory(true)
                    .map_err(e("zmq_setsockopt(ZMQ_ROUTER_MANDATORY)"))?;
                s.set_maxmsgsize(self.max_message_size())
                    .map_err(e("zmq_setsockopt(ZMQ_MAXMSGSIZE)"))?;
            }
            _ => {}
        }
        if self.settings.ipv6.load(Ordering::SeqCst) {
            s.set_ipv6(true).map_err(e("zmq_setsockopt(ZMQ_IPV6)"))?;
        }
        self.prepare_role_socket(role, &s)?;
        Ok(s)
    }

    /// Run `f` with the role's socket (created on first use) under its lock.
    pub fn with_socket<T>(
        &self,
        role: Role,
        f: impl FnOnce(&zmq::Socket, &mut Slot) -> Result<T>,
    ) -> Result<T> {
        let mut slot = self.slots[role as usize].lock();
        if slot.socket.is_none() {
            slot.socket = Some(self.create_socket(role)?);
        }
        let sock = slot.socket.take().expect("socket");
        let r = f(&sock, &mut slot);
        // The handler sleeps on the socket's notification descriptor, which an operation on
        // another thread may have consumed: wake it when input is waiting (see
        // `Handler::must_wake`; decided under the socket's lock).
        let wake = role == Role::Server && self.handler.must_wake(&sock);
        slot.socket = Some(sock);
        drop(slot);
        // Outside the socket's lock: `handler::start` holds the handler's lock while it looks
        // at this socket's endpoints, so waking under the socket's lock could deadlock.
        if wake {
            self.handler.wake();
        }
        r
    }

    /// Run `f` with the role's socket only if it exists.
    pub fn with_existing<T>(&self, role: Role, f: impl FnOnce(&Socket) -> T) -> Option<T> {
        self.slots[role as usize].lock().socket.as_ref().map(f)
    }

    /// Bind (server, publisher) or connect (client, subscriber); the resolved endpoint is
    /// recorded.
    pub fn attach(self: &Arc<Self>, role: Role, endpoint: &[u8]) -> Result<String> {
        let ep = endpoint_str(endpoint)?;
        let resolved = self.with_socket(role, |sock, slot| {
            let r = if role.binds() {
                self.bind_retrying(sock, ep)
            } else {
                sock.connect(ep)
            };
            r.map_err(|err| {
                let mut e = Error::zmq(
                    if role.binds() {
                        "zmq_bind"
                    } else {
                        "zmq_connect"
                    },
                    err,
                );
                e.detail = format!("{} ({} endpoint \"{}\")", e.detail, role.name(), ep);
                e
            })?;
            let last = match sock.get_last_endpoint() {
                Ok(Ok(s)) if !s.is_empty() => s,
                _ => ep.to_string(),
            };
            slot.endpoints.push(last.clone());
            Ok(last)
        })?;
        if role.binds() {
            self.warn_if_exposed(role, &resolved);
        }
        self.debug(&format!(
            "{} {} {}",
            role.name(),
            if role.binds() {
                "bound to"
            } else {
                "connected to"
            },
            resolved
        ));
        if role == Role::Publisher {
            self.start_heartbeat();
            self.heartbeat_activate();
        }
        Ok(resolved)
    }

    /// Bind, retrying briefly when the address is still held by a socket this manager just
    /// closed (libzmq releases listeners asynchronously).
    fn bind_retrying(&self, sock: &zmq::Socket, ep: &str) -> std::result::Result<(), zmq::Error> {
        let deadline = Instant::now() + Duration::from_millis(1000);
        loop {
            match sock.bind(ep) {
                Err(zmq::Error::EADDRINUSE)
                    if Instant::now() < deadline && self.recently_released(ep) =>
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
                r => return r,
            }
        }
    }

    fn recently_released(&self, ep: &str) -> bool {
        let mut rel = self.released.lock();
        rel.retain(|(_, t)| t.elapsed() < Duration::from_secs(2));
        rel.iter().any(|(e, _)| e == ep)
    }

    /// The endpoints a role is bound or connected to.
    pub fn endpoints(&self, role: Role) -> Vec<String> {
        self.slots[role as usize].lock().endpoints.clone()
    }

    /// Whether the server has at least one bind.
    pub fn server_bound(&self) -> bool {
        !self.slots[Role::Server as usize]
            .lock()
            .endpoints
            .is_empty()
    }

    /// Close every socket, dropping binds, connections and filters; stop the handler and drop
    /// its queued calls (SPEC 9.1 and 15.6). Settings survive.
    pub fn stop(&self) {
        self.handler.stop();
        self.handler.clear_queue();
        self.heartbeat_deactivate();
        for role in [
            Role::Client,
            Role::Subscriber,
            Role::Publisher,
            Role::Server,
        ] {
            let mut slot = self.slots[role as usize].lock();
            if let Some(sock) = slot.socket.take() {
                for f in slot.filters.drain(..) {
                    let _ = sock.set_unsubscribe(&f);
                }
                for ep in slot.endpoints.drain(..) {
                    if role.binds() {
                        let _ = sock.unbind(&ep);
                        // Only recent releases matter; older ones are dropped here so the
                        // list stays small however often the host stops and binds.
                        let mut rel = self.released.lock();
                        rel.retain(|(_, t)| t.elapsed() < Duration::from_secs(2));
                        rel.push((ep, Instant::now()));
                    } else {
                        let _ = sock.disconnect(&ep);
                    }
                }
                drop(sock);
            }
            slot.endpoints.clear();
            slot.filters.clear();
        }
    }

    // ---------------------------------------------------------------- sending

    /// Client: send `[empty, payload]`.
    pub fn client_send(&self, payload: &[u8]) -> Result<()> {
        self.log_entry(Entry::Str(payload), Some(Direction::Outgoing), None);
        self.with_socket(Role::Client, |s, _| {
            send_frames(s, &[b"", payload], "client")
        })
    }

    /// Server: send `[identity, empty, payload]`.
    pub fn server_send(&self, identity: &[u8], payload: &[u8]) -> Result<()> {
        self.log_entry(
            Entry::Str(payload),
            Some(Direction::Outgoing),
            Some(identity),
        );
        if identity.is_empty() {
            return Err(Error::invalid_arg(
                "zeromq_server_send: the identity is empty.",
            ));
        }
        self.with_socket(Role::Server, |s, _| {
            send_frames(s, &[identity, b"", payload], "server")
        })
    }

    /// Publisher: send `[filter, payload]`.
    pub fn pub_send(&self, filter: &[u8], payload: &[u8]) -> Result<()> {
        if self.logging() {
            let mut text = filter.to_vec();
            text.push(b':');
            text.extend_from_slice(payload);
            self.log
                .log(Entry::Str(&text), Some(Direction::Outgoing), None);
        }
        // The socket is used in place (not through `with_socket`): publishing is the hot path
        // of a host streaming data, and this is the whole of the library's cost on top of
        // libzmq's.
        let mut slot = self.slots[Role::Publisher as usize].lock();
        if slot.socket.is_none() {
            slot.socket = Some(self.create_socket(Role::Publisher)?);
        }
        let s = slot.socket.as_ref().expect("socket");
        send_frames(s, &[filter, payload], "publisher")
    }

    /// Publisher: send two or more frames, the first being the filter.
    pub fn pub_send_multi(&self, frames: &[&[u8]]) -> Result<()> {
        if frames.len() < 2 {
            return Err(Error::new(
                Code::InvalidArg,
                format!(
                    "zeromq_pub_send_multi needs at least 2 frames (filter and payload), got {}.",
                    frames.len()
                ),
            ));
        }
        if self.logging() {
            let mut text = frames[0].to_vec();
            text.push(b':');
            text.extend_from_slice(frames[1]);
            text.extend_from_slice(b" + [...]");
            self.log
                .log(Entry::Str(&text), Some(Direction::Outgoing), None);
        }
        self.with_socket(Role::Publisher, |s, _| send_frames(s, frames, "publisher"))
    }

    // ---------------------------------------------------------------- receiving

    /// Receive one whole message from a role's socket, waiting at most `timeout_ms`
    /// (-1 forever, 0 not at all). `None` when nothing arrived.
    pub fn recv(&self, role: Role, timeout_ms: i32) -> Result<Option<Frames>> {
        let deadline = if timeout_ms < 0 {
            None
        } else {
            Some(Instant::now() + Duration::from_millis(timeout_ms as u64))
        };
        loop {
            let (msg, fd) = self.with_socket(role, |s, _| match recv_multipart(s)? {
                Some(m) => Ok((Some(m), None)),
                None => Ok((
                    None,
                    Some(
                        s.get_fd()
                            .map_err(|e| Error::zmq("zmq_getsockopt(ZMQ_FD)", e))?,
                    ),
                )),
            })?;
            if msg.is_some() {
                return Ok(msg);
            }
            // Sleep on the socket's notification descriptor without holding its lock; wake up
            // at least every 100 ms to notice a socket closed by another thread.
            let wait = match deadline {
                None => 100,
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return Ok(None);
                    }
                    (d - now).as_millis().clamp(1, 100) as i64
                }
            };
            let fd = fd.expect("fd");
            let mut items = [zmq::PollItem::from_fd(fd, zmq::POLLIN)];
            let _ = zmq::poll(&mut items, wait);
        }
    }

    /// Client receive: `[delimiter, payload]`, returns the payload.
    pub fn client_recv(&self, timeout_ms: i32) -> Result<Option<Frames>> {
        let Some(frames) = self.recv(Role::Client, timeout_ms)? else {
            return Ok(None);
        };
        if frames.len() != 2 {
            return Err(layout_error(
                "client",
                &frames,
                "2 frames [delimiter, payload]",
            ));
        }
        self.log_entry(Entry::Str(&frames[1]), Some(Direction::Incoming), None);
        Ok(Some(frames.into_iter().skip(1).collect()))
    }

    /// Server receive: `[identity, empty, payload]`, returns `[identity, payload]`.
    pub fn server_recv(&self, timeout_ms: i32) -> Result<Option<Frames>> {
        let Some(frames) = self.recv(Role::Server, timeout_ms)? else {
            return Ok(None);
        };
        let frames = check_router_frames(frames)?;
        self.log_entry(
            Entry::Str(&frames[1]),
            Some(Direction::Incoming),
            Some(&frames[0]),
        );
        Ok(Some(frames))
    }

    /// Subscriber receive of exactly `[filter, payload]`.
    pub fn sub_recv(&self, timeout_ms: i32) -> Result<Option<Frames>> {
        let Some(frames) = self.recv(Role::Subscriber, timeout_ms)? else {
            return Ok(None);
        };
        if frames.len() != 2 {
            return Err(layout_error(
                "subscriber",
                &frames,
                "2 frames [filter, payload]",
            ));
        }
        if self.logging() {
            let mut text = frames[0].to_vec();
            text.push(b':');
            text.extend_from_slice(&frames[1]);
            self.log
                .log(Entry::Str(&text), Some(Direction::Incoming), None);
        }
        Ok(Some(frames))
    }

    /// Subscriber receive of two or more frames.
    pub fn sub_recv_multi(&self, timeout_ms: i32) -> Result<Option<Frames>> {
        let Some(frames) = self.recv(Role::Subscriber, timeout_ms)? else {
            return Ok(None);
        };
        if frames.len() < 2 {
            return Err(layout_error(
                "subscriber",
                &frames,
                "at least 2 frames [filter, payload, ...]",
            ));
        }
        if self.logging() {
            let mut text = frames[0].to_vec();
            text.push(b':');
            text.extend_from_slice(&frames[1]);
            text.extend_from_slice(b" + [...]");
            self.log
                .log(Entry::Str(&text), Some(Direction::Incoming), None);
        }
        Ok(Some(frames))
    }

    // ---------------------------------------------------------------- filters

    /// Subscribe to a filter (byte-exact; empty means everything).
    pub fn sub_add_filter(&self, filter: &[u8]) -> Result<()> {
        self.with_socket(Role::Subscriber, |s, slot| {
            if slot.filters.iter().any(|f| f == filter) {
                return Err(Error::new(
                    Code::MessageFilterDuplicated,
                    format!(
                        "The filter \"{}\" exists already.",
                        String::from_utf8_lossy(filter)
                    ),
                ));
            }
            s.set_subscribe(filter)
                .map_err(|e| Error::zmq("zmq_setsockopt(ZMQ_SUBSCRIBE)", e))?;
            slot.filters.push(filter.to_vec());
            Ok(())
        })
    }

    /// Unsubscribe a filter; the empty filter removes every filter.
    pub fn sub_remove_filter(&self, filter: &[u8]) -> Result<()> {
        self.with_socket(Role::Subscriber, |s, slot| {
            if filter.is_empty() {
                for f in slot.filters.drain(..) {
                    s.set_unsubscribe(&f)
                        .map_err(|e| Error::zmq("zmq_setsockopt(ZMQ_UNSUBSCRIBE)", e))?;
                }
                return Ok(());
            }
            let Some(pos) = slot.filters.iter().position(|f| f == filter) else {
                return Err(Error::new(
                    Code::MessageFilterMissing,
                    format!(
                        "The filter \"{}\" does not exist.",
                        String::from_utf8_lossy(filter)
                    ),
                ));
            };
            s.set_unsubscribe(filter)
                .map_err(|e| Error::zmq("zmq_setsockopt(ZMQ_UNSUBSCRIBE)", e))?;
            slot.filters.remove(pos);
            Ok(())
        })
    }

    /// The current filter list.
    pub fn filters(&self) -> Vec<Vec<u8>> {
        self.slots[Role::Subscriber as usize].lock().filters.clone()
    }

    // ---------------------------------------------------------------- heartbeat

    fn heartbeat_activate(&self) {
        let mut hb = self.heartbeat.state.lock();
        hb.active = true;
        hb.stop = false;
        self.heartbeat.cv.notify_all();
    }

    fn heartbeat_deactivate(&self) {
        let mut hb = self.heartbeat.state.lock();
        hb.active = false;
        self.heartbeat.cv.notify_all();
    }

    /// Start the heartbeat thread if it is not running. It sleeps until the publisher has a
    /// bind, then publishes `["heartbeat", ""]` at once and every 5 s.
    pub fn start_heartbeat(self: &Arc<Manager>) {
        let mut hb = self.heartbeat.state.lock();
        if hb.thread.is_some() {
            return;
        }
        hb.stop = false;
        let weak = Arc::downgrade(self);
        let shared = Arc::clone(&self.heartbeat);
        let t = std::thread::Builder::new()
            .name("zeromq-xop heartbeat".into())
            .spawn(move || heartbeat_loop(&shared, weak));
        match t {
            Ok(t) => hb.thread = Some(t),
            Err(e) => {
                drop(hb);
                self.emergency(&format!("Could not start the heartbeat thread: {e}"));
            }
        }
    }

    /// Stop the heartbeat thread promptly and wait for it.
    pub fn stop_heartbeat(&self) {
        let t = {
            let mut hb = self.heartbeat.state.lock();
            hb.stop = true;
            self.heartbeat.cv.notify_all();
            hb.thread.take()
        };
        if let Some(t) = t {
            if t.thread().id() != std::thread::current().id() {
                let _ = t.join();
            }
        }
    }

    /// Stop everything: handler, heartbeat, sockets (host shutdown).
    pub fn shutdown(&self) {
        self.stop();
        self.stop_heartbeat();
        self.security.stop_zap();
    }
}

fn heartbeat_loop(hb: &Heartbeat, weak: std::sync::Weak<Manager>) {
    let mut state = hb.state.lock();
    loop {
        if state.stop {
            return;
        }
        if !state.active {
            // Nothing to do until a publisher binds: sleep without a timeout.
            hb.cv.wait(&mut state);
            continue;
        }
        drop(state);
        let Some(m) = weak.upgrade() else { return };
        if m.endpoints(Role::Publisher).is_empty() {
            m.heartbeat_deactivate();
        } else if let Err(e) = m.with_socket(Role::Publisher, |s, _| {
            send_frames(s, &[HEARTBEAT_TOPIC, b""], "publisher")
        }) {
            m.emergency(&format!("Could not send the heartbeat: {}", e.detail));
        }
        drop(m);
        state = hb.state.lock();
        if !state.stop && state.active {
            hb.cv.wait_for(&mut state, HEARTBEAT_PERIOD);
        }
    }
}

impl Drop for Manager {
    fn drop(&mut self) {
        self.handler.stop();
        let mut hb = self.heartbeat.state.lock();
        hb.stop = true;
        self.heartbeat.cv.notify_all();
    }
}

fn endpoint_str(ep: &[u8]) -> Result<&str> {
    let s = std::str::from_utf8(ep)
        .map_err(|_| Error::invalid_arg("The endpoint is not valid UTF-8."))?;
    if s.contains('\0') {
        return Err(Error::invalid_arg("The endpoint contains a NUL character."));
    }
    if s.is_empty() {
        return Err(Error::invalid_arg(
            "The endpoint is empty; expected e.g. \"tcp://127.0.0.1:5555\".",
        ));
    }
    Ok(s)
}

/// Send frames with MORE on all but the last, without blocking.
pub fn send_frames(s: &zmq::Socket, frames: &[&[u8]], role: &str) -> Result<()> {
    let last = frames.len() - 1;
    for (i, f) in frames.iter().enumerate() {
        let flags = zmq::DONTWAIT | if i < last { zmq::SNDMORE } else { 0 };
        if let Err(err) = s.send(*f, flags) {
            return Err(send_error(err, role, i, frames.len()));
        }
    }
    Ok(())
}

/// The error of a failed send, with what it means (kept out of the sending loop).
#[cold]
#[inline(never)]
fn send_error(err: zmq::Error, role: &str, i: usize, count: usize) -> Error {
    let mut e = Error::zmq("zmq_send", err);
    let hint = match err {
        zmq::Error::EAGAIN => {
            " (the message could not be queued: no peer connected, or its queue is full)"
        }
        zmq::Error::EHOSTUNREACH => " (no peer with that identity is connected)",
        _ => "",
    };
    e.detail = format!(
        "{}{} on the {} socket, frame {} of {}",
        e.detail,
        hint,
        role,
        i + 1,
        count
    );
    e
}

/// Receive all frames of one message without blocking; `None` when nothing is pending.
pub fn recv_multipart(s: &zmq::Socket) -> Result<Option<Frames>> {
    let mut first = zmq::Message::new();
    match s.recv(&mut first, zmq::DONTWAIT) {
        Ok(()) => {}
        Err(zmq::Error::EAGAIN) => return Ok(None),
        Err(e) => return Err(Error::zmq("zmq_msg_recv", e)),
    }
    let mut frames = vec![first];
    while frames.last().expect("frame").get_more() {
        let mut m = zmq::Message::new();
        s.recv(&mut m, 0)
            .map_err(|e| Error::zmq("zmq_msg_recv", e))?;
        frames.push(m);
    }
    Ok(Some(frames))
}

/// Check `[identity, empty, payload]` and return `[identity, payload]`.
pub fn check_router_frames(frames: Frames) -> Result<Frames> {
    if frames.len() != 3 || !frames[1].is_empty() {
        return Err(layout_error(
            "server",
            &frames,
            "3 frames [identity, empty delimiter, payload]",
        ));
    }
    let mut it = frames.into_iter();
    let id = it.next().expect("identity");
    let _ = it.next();
    let payload = it.next().expect("payload");
    Ok(vec![id, payload])
}

fn layout_error(role: &str, frames: &Frames, expected: &str) -> Error {
    let sizes: Vec<String> = frames.iter().map(|f| f.len().to_string()).collect();
    Error::new(
        Code::InvalidMessageFormat,
        format!(
            "The {} socket received {} frame(s) of sizes [{}] where {} were expected.",
            role,
            frames.len(),
            sizes.join(", "),
            expected
        ),
    )
}
