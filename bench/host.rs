//! The measured host: the library's server through the C ABI, a host thread, a raw libzmq
//! echo server as the baseline, the clients, and the statistics used by every row.

use crate::support::{check, take_frames};
use crate::{ADD_REQUEST, WINDOW};
use std::ffi::{c_char, c_void};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;
use zeromq_xop::ffi::handler::*;
use zeromq_xop::ffi::reply::*;
use zeromq_xop::ffi::socket::*;
use zeromq_xop::ffi::wave::*;

/// Wave data the dispatcher returns for `wave_fp64` / `wave_i16`.
pub(crate) static WAVE_FP64: Mutex<Vec<f64>> = Mutex::new(Vec::new());
pub(crate) static WAVE_I16: Mutex<Vec<i16>> = Mutex::new(Vec::new());

/// The bench host's functions: `add(a, b)`, `wave_fp64()`, `wave_i16()`.
///
/// # Safety
///
/// `call` and `reply` are the library's arguments to a dispatcher.
pub(crate) unsafe extern "C" fn bench_dispatch(
    _user: *mut c_void,
    call: *const zeromq_call,
    reply: *mut zeromq_reply,
) {
    // SAFETY: `call` and `reply` are the dispatcher's live arguments; every other pointer
    // passed is a live local, the name the library lent for the call, or a locked buffer.
    unsafe {
        let mut p: *const c_char = std::ptr::null();
        let mut n = 0usize;
        if zeromq_call_name(call, &mut p, &mut n) != 0 {
            zeromq_reply_error(reply, ZEROMQ_REQ_NON_EXISTING_FUNCTION, std::ptr::null(), 0);
            return;
        }
        let name = std::slice::from_raw_parts(p as *const u8, n);
        match name {
            b"add" => {
                let (mut a, mut b) = (0.0, 0.0);
                if zeromq_call_param_count(call) != 2
                    || zeromq_call_param_double(call, 0, &mut a) != 0
                    || zeromq_call_param_double(call, 1, &mut b) != 0
                {
                    zeromq_reply_error(reply, ZEROMQ_REQ_INVALID_PARAM_FORMAT, std::ptr::null(), 0);
                    return;
                }
                zeromq_reply_variable(reply, a + b);
            }
            b"wave_fp64" => {
                let data = WAVE_FP64.lock().unwrap_or_else(|e| e.into_inner());
                reply_wave(reply, ZEROMQ_NT_FP64, &data);
            }
            b"wave_i16" => {
                let data = WAVE_I16.lock().unwrap_or_else(|e| e.into_inner());
                reply_wave(reply, ZEROMQ_NT_I16, &data);
            }
            _ => {
                zeromq_reply_error(reply, ZEROMQ_REQ_NON_EXISTING_FUNCTION, std::ptr::null(), 0);
            }
        }
    }
}

/// Reply with a new one-dimensional numeric wave of type `wtype` holding `data` (its element
/// type must match `wtype`).
///
/// # Safety
///
/// `reply` is the dispatcher's reply.
pub(crate) unsafe fn reply_wave<T: Copy>(reply: *mut zeromq_reply, wtype: i32, data: &[T]) {
    // SAFETY: `reply` is the dispatcher's reply (the contract); `data`, `dims` and `w` are
    // live, `w` the wave made here.
    unsafe {
        let dims = [data.len() as u64];
        let mut w = std::ptr::null_mut();
        if zeromq_wave_new(wtype, dims.as_ptr(), 1, &mut w) != 0
            || zeromq_wave_set_data(w, data.as_ptr() as *const c_void, size_of_val(data)) != 0
        {
            zeromq_wave_free(w);
            zeromq_reply_error(reply, ZEROMQ_REQ_INVALID_PARAM_FORMAT, std::ptr::null(), 0);
            return;
        }
        zeromq_reply_wave(reply, w);
    }
}

/// The host thread: sleeps in `zeromq_handler_wait` and runs queued calls.
pub(crate) struct HostThread {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl HostThread {
    pub(crate) fn start(wait_ms: i32) -> HostThread {
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        let thread = std::thread::Builder::new()
            .name("bench host".into())
            .spawn(move || {
                while !s.load(Ordering::Relaxed) {
                    let mut n = 0u32;
                    // SAFETY: plain calls on the host's thread.
                    unsafe {
                        zeromq_handler_wait(wait_ms);
                        zeromq_handler_process(&mut n);
                    }
                }
            })
            .expect("host thread");
        HostThread {
            stop,
            thread: Some(thread),
        }
    }
}

impl HostThread {
    fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for HostThread {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The library's output (emergency lines, e.g. a reply that could not be sent) goes to
/// stderr: a benchmark with such lines has measured a failure.
///
/// # Safety
///
/// `text` points to `len` readable bytes (the library's output callback contract).
pub(crate) unsafe extern "C" fn print_output(_user: *mut c_void, text: *const c_char, len: usize) {
    // SAFETY: the library passes `len` readable bytes at `text` for the call.
    let t = unsafe { std::slice::from_raw_parts(text as *const u8, len) };
    eprintln!("library output: {}", String::from_utf8_lossy(t));
}

/// A unique ipc endpoint in /tmp.
pub(crate) fn ipc_endpoint(tag: &str) -> String {
    static SERIAL: AtomicU64 = AtomicU64::new(0);
    format!(
        "ipc:///tmp/zeromq-xop-bench-{}-{}-{}.ipc",
        std::process::id(),
        tag,
        SERIAL.fetch_add(1, Ordering::Relaxed)
    )
}

pub(crate) fn ipc_path(endpoint: &str) -> Option<&str> {
    endpoint.strip_prefix("ipc://")
}

/// Bind the library's server (tcp and ipc), start the handler and a host thread; returns
/// the resolved endpoints (tcp first).
pub(crate) fn start_library_server(
    with_ipc: bool,
    wait_ms: i32,
) -> Result<(Vec<String>, HostThread), String> {
    // SAFETY: plain calls into the library with valid pointers.
    unsafe {
        check(
            "zeromq_set_output",
            zeromq_xop::ffi::library::zeromq_set_output(Some(print_output), std::ptr::null_mut()),
        )?;
        check(
            "zeromq_set_dispatcher",
            zeromq_set_dispatcher(Some(bench_dispatch), std::ptr::null_mut()),
        )?;
        let mut eps = vec!["tcp://127.0.0.1:*".to_string()];
        if with_ipc {
            eps.push(ipc_endpoint("ours"));
        }
        for ep in &eps {
            check(
                "zeromq_server_bind",
                zeromq_server_bind(ep.as_ptr() as *const c_char, ep.len()),
            )?;
        }
        let mut msg = std::ptr::null_mut();
        check(
            "zeromq_endpoints",
            zeromq_endpoints(ZEROMQ_ROLE_SERVER, &mut msg),
        )?;
        let resolved: Vec<String> = take_frames(msg)
            .into_iter()
            .map(|f| String::from_utf8_lossy(&f).into_owned())
            .collect();
        check("zeromq_handler_start", zeromq_handler_start())?;
        Ok((resolved, HostThread::start(wait_ms)))
    }
}

/// A raw libzmq ROUTER that answers every `[identity, "", request]` with
/// `[identity, "", reply]`, on its own thread and context.
pub(crate) struct RawEcho {
    pub(crate) endpoints: Vec<String>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl RawEcho {
    pub(crate) fn start(reply: Vec<u8>) -> Result<RawEcho, String> {
        let ctx = zmq::Context::new();
        let s = ctx
            .socket(zmq::ROUTER)
            .map_err(|e| format!("zmq_socket: {e}"))?;
        s.set_linger(0).map_err(|e| e.to_string())?;
        s.set_rcvtimeo(100).map_err(|e| e.to_string())?;
        let mut endpoints = Vec::new();
        for ep in ["tcp://127.0.0.1:*".to_string(), ipc_endpoint("raw")] {
            s.bind(&ep).map_err(|e| format!("zmq_bind({ep}): {e}"))?;
            endpoints.push(
                s.get_last_endpoint()
                    .ok()
                    .and_then(|r| r.ok())
                    .unwrap_or(ep),
            );
        }
        let stop = Arc::new(AtomicBool::new(false));
        let st = stop.clone();
        let thread = std::thread::Builder::new()
            .name("raw echo".into())
            .spawn(move || {
                let _ctx = ctx;
                let mut id = zmq::Message::new();
                let mut part = zmq::Message::new();
                while !st.load(Ordering::Relaxed) {
                    if s.recv(&mut id, 0).is_err() {
                        continue;
                    }
                    let mut frames = 1;
                    let mut more = id.get_more();
                    while more {
                        if s.recv(&mut part, 0).is_err() {
                            break;
                        }
                        frames += 1;
                        more = part.get_more();
                    }
                    if frames == 3 {
                        let _ = s.send(&id[..], zmq::SNDMORE);
                        let _ = s.send(&b""[..], zmq::SNDMORE);
                        let _ = s.send(&reply[..], 0);
                    }
                }
            })
            .map_err(|e| e.to_string())?;
        Ok(RawEcho {
            endpoints,
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for RawEcho {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        for ep in &self.endpoints {
            if let Some(p) = ipc_path(ep) {
                let _ = std::fs::remove_file(p);
            }
        }
    }
}

/// The servers [`Setup::clients`] talk to, in order.
pub(crate) const CLIENT_NAMES: [&str; 4] = [
    "zeromq-xop over tcp",
    "zeromq-xop over ipc",
    "raw echo over tcp",
    "raw echo over ipc",
];

/// The client side of the round-trip rows: DEALER sockets (one context, like a remote client
/// process) to the library's server and to the raw echo, over tcp and ipc.
pub(crate) struct Setup {
    host: HostThread,
    ours: Vec<String>,
    /// Kept running until the setup is dropped.
    _echo: RawEcho,
    _ctx: zmq::Context,
    /// [ours tcp, ours ipc, raw tcp, raw ipc]
    pub(crate) clients: Vec<zmq::Socket>,
    reply: Vec<u8>,
}

impl Setup {
    pub(crate) fn start() -> Result<Setup, String> {
        let (ours, host) = start_library_server(true, 200)?;
        let reply = call_once_ffi()?;
        let echo = RawEcho::start(reply.clone())?;
        let ctx = zmq::Context::new();
        let mut clients = Vec::new();
        for ep in ours.iter().chain(echo.endpoints.iter()) {
            let s = ctx.socket(zmq::DEALER).map_err(|e| e.to_string())?;
            s.set_linger(0).map_err(|e| e.to_string())?;
            s.set_rcvtimeo(10_000).map_err(|e| e.to_string())?;
            s.connect(ep)
                .map_err(|e| format!("zmq_connect({ep}): {e}"))?;
            clients.push(s);
        }
        Ok(Setup {
            host,
            ours,
            _echo: echo,
            _ctx: ctx,
            clients,
            reply,
        })
    }

    /// Every client gets the same reply bytes for the same request.
    pub(crate) fn check_reply(&self) -> Result<(), String> {
        for (i, c) in self.clients.iter().enumerate() {
            let got = call(c, ADD_REQUEST)?;
            if got != self.reply {
                return Err(format!(
                    "client {i} got a different reply: {}",
                    String::from_utf8_lossy(&got)
                ));
            }
        }
        let doc: serde_json::Value =
            serde_json::from_slice(&self.reply).map_err(|e| e.to_string())?;
        if doc["result"]["value"] != 3 {
            return Err(format!("add(1, 2) answered {doc}"));
        }
        Ok(())
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        self.clients.clear();
        self.host.stop();
        zeromq_stop();
        for ep in &self.ours {
            if let Some(p) = ipc_path(ep) {
                let _ = std::fs::remove_file(p);
            }
        }
    }
}

/// The reply the library gives to the round-trip request (through `zeromq_test_callfunction`).
pub(crate) fn call_once_ffi() -> Result<Vec<u8>, String> {
    let mut msg = std::ptr::null_mut();
    // SAFETY: valid request bytes and out pointer.
    check("zeromq_test_callfunction", unsafe {
        zeromq_test_callfunction(
            ADD_REQUEST.as_ptr() as *const c_char,
            ADD_REQUEST.len(),
            &mut msg,
        )
    })?;
    take_frames(msg)
        .pop()
        .ok_or_else(|| "empty reply".to_string())
}

pub(crate) fn send_request(s: &zmq::Socket, req: &[u8]) -> Result<(), String> {
    s.send(&b""[..], zmq::SNDMORE)
        .map_err(|e| format!("send: {e}"))?;
    s.send(req, 0).map_err(|e| format!("send: {e}"))
}

/// Receive one reply `[empty, payload]` into `m` (the payload).
pub(crate) fn recv_reply(s: &zmq::Socket, m: &mut zmq::Message) -> Result<(), String> {
    s.recv(m, 0)
        .map_err(|e| format!("no reply within 10 s ({e})"))?;
    while m.get_more() {
        s.recv(m, 0).map_err(|e| format!("recv: {e}"))?;
    }
    Ok(())
}

pub(crate) fn call(s: &zmq::Socket, req: &[u8]) -> Result<Vec<u8>, String> {
    send_request(s, req)?;
    let mut m = zmq::Message::new();
    recv_reply(s, &mut m)?;
    Ok(m.to_vec())
}

/// Sequential calls, each latency in microseconds appended to `out`.
pub(crate) fn latencies(s: &zmq::Socket, n: usize, out: &mut Vec<f64>) -> Result<(), String> {
    let mut m = zmq::Message::new();
    for _ in 0..n {
        let t = Instant::now();
        send_request(s, ADD_REQUEST)?;
        recv_reply(s, &mut m)?;
        out.push(t.elapsed().as_secs_f64() * 1e6);
    }
    Ok(())
}

/// `total` calls with `WINDOW` in flight; calls per second.
pub(crate) fn pipeline(s: &zmq::Socket, total: usize) -> Result<f64, String> {
    let mut m = zmq::Message::new();
    let t = Instant::now();
    let mut sent = 0;
    while sent < WINDOW.min(total) {
        send_request(s, ADD_REQUEST)?;
        sent += 1;
    }
    for _ in 0..total {
        recv_reply(s, &mut m)?;
        if sent < total {
            send_request(s, ADD_REQUEST)?;
            sent += 1;
        }
    }
    Ok(total as f64 / t.elapsed().as_secs_f64())
}

/// CPU time of the calling thread in seconds: unlike the wall clock it does not count time
/// the thread waited for a core (the benchmarks may share the machine).
pub(crate) fn thread_cpu() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the struct.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 * p) as usize).min(sorted.len() - 1);
    sorted[i]
}

pub(crate) fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    percentile(&s, 0.5)
}
