//! `zeromq-xop bench`: measurements of the library against baselines measured in the same run
//! (see docs/BENCHMARKS.md).
//!
//! ```text
//! zeromq-xop bench [--quick] [--only ROWS]
//! ```
//!
//! Every row of the printed table has the library's figure, a baseline measured in the same
//! run, their ratio and the goal:
//!
//! 1. CallFunction round trip (tcp and ipc loopback, p50 and p99): a DEALER client calls a
//!    trivial function that a host thread runs (`zeromq_handler_wait` +
//!    `zeromq_handler_process`); baseline: a raw libzmq ROUTER echo thread answering the same
//!    request bytes with the same reply bytes. The four cases are interleaved round by round.
//! 2. The same with 64 calls in flight, calls per second.
//! 3. `zeromq_pub_send` (64 B and 1 MiB payloads) vs a raw PUB socket of the same process, each
//!    with one subscriber draining it over tcp loopback; short alternating blocks, timed by
//!    the sending thread's CPU time.
//! 4. A 1,000,000-point NT_FP64 and NT_I16 wave returned by a call, to the reply JSON
//!    (`zeromq_test_callfunction`), vs nlohmann-json building and dumping the same document
//!    (bench/nlohmann_dump.cpp, compiled with g++ -O2 at run time); the values of both
//!    documents are compared.
//! 5. CPU used by an idle process with a running handler and a bound publisher, vs a receive
//!    loop with a 1 ms timeout (how the reference's handler waits).
//! 6. Resident memory of a host process after 100,000 calls vs after 1,000.
//!
//! Rows 5 and 6 measure child processes (`bench --child ...`) so that nothing else is
//! counted. `--quick` runs every row with reduced sizes (for tests); its figures are not
//! representative. `--only 1,4` runs some rows.

mod generic;

use super::{check, take_frames};
use std::ffi::{c_char, c_void};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use zeromq_xop::ffi::handler::*;
use zeromq_xop::ffi::message::*;
use zeromq_xop::ffi::reply::*;
use zeromq_xop::ffi::socket::*;
use zeromq_xop::ffi::wave::*;

/// The request of the round-trip rows: a trivial function with two numbers.
const ADD_REQUEST: &[u8] = br#"{"version": 1, "CallFunction": {"name": "add", "params": [1, 2]}}"#;

/// Calls in flight in the pipelined rows.
const WINDOW: usize = 64;

/// The publisher rows' topic.
const TOPIC: &[u8] = b"bench";

/// The nlohmann-json baseline program, compiled at run time.
const NLOHMANN_SOURCE: &str = include_str!("../../bench/nlohmann_dump.cpp");

/// Sizes of one run.
#[derive(Clone, Copy)]
struct Sizes {
    quick: bool,
    rt_rounds: usize,
    rt_calls: usize,
    rt_warmup: usize,
    pipe_rounds: usize,
    pipe_calls: usize,
    /// (blocks, messages per block) for 64 B and 1 MiB payloads.
    pub_small: (usize, usize),
    pub_large: (usize, usize),
    /// (blocks, messages per block) of the generic sockets' 64 B and 1 MiB rows.
    gen_small: (usize, usize),
    gen_large: (usize, usize),
    wave_points: usize,
    wave_iterations: usize,
    idle_seconds: f64,
    mem_first: usize,
    mem_total: usize,
}

impl Sizes {
    fn full() -> Sizes {
        Sizes {
            quick: false,
            rt_rounds: 20,
            rt_calls: 1000,
            rt_warmup: 2000,
            pipe_rounds: 10,
            pipe_calls: 20_000,
            pub_small: (200, 400),
            pub_large: (100, 10),
            gen_small: (20, 20_000),
            gen_large: (20, 50),
            wave_points: 1_000_000,
            wave_iterations: 21,
            idle_seconds: 10.0,
            mem_first: 1_000,
            mem_total: 100_000,
        }
    }

    fn quick() -> Sizes {
        Sizes {
            quick: true,
            rt_rounds: 2,
            rt_calls: 200,
            rt_warmup: 100,
            pipe_rounds: 2,
            pipe_calls: 2_000,
            pub_small: (4, 200),
            pub_large: (4, 4),
            gen_small: (4, 2_000),
            gen_large: (4, 5),
            wave_points: 100_000,
            wave_iterations: 3,
            idle_seconds: 1.0,
            mem_first: 1_000,
            mem_total: 10_000,
        }
    }
}

// ------------------------------------------------------------------------------------------
// The result table

/// How a row's ratio is judged.
#[derive(Clone, Copy)]
enum Goal {
    /// Informational (no goal).
    None,
    /// ratio <= x
    AtMost(f64),
    /// ratio >= x
    AtLeast(f64),
    /// our figure < x (an absolute limit)
    Below(f64),
    /// our figure <= baseline + x (no growth, with a tolerance)
    NoGrowth(f64),
}

struct Row {
    id: &'static str,
    what: String,
    unit: &'static str,
    ours: f64,
    base: Option<f64>,
    goal: Goal,
    goal_text: String,
    note: String,
}

impl Row {
    fn ratio(&self) -> Option<f64> {
        let b = self.base?;
        if b == 0.0 {
            return if self.ours == 0.0 { Some(1.0) } else { None };
        }
        Some(self.ours / b)
    }

    fn status(&self) -> &'static str {
        let ok = match (self.goal, self.ratio()) {
            (Goal::None, _) => return "info",
            (Goal::Below(x), _) => self.ours < x,
            (Goal::NoGrowth(tol), _) => match self.base {
                Some(b) => self.ours <= b + tol,
                None => return "n/a",
            },
            (_, None) => return "n/a",
            (Goal::AtMost(x), Some(r)) => r <= x,
            (Goal::AtLeast(x), Some(r)) => r >= x,
        };
        if ok {
            "met"
        } else {
            "missed"
        }
    }
}

/// A number with about four significant digits, no separators (parseable).
fn num(v: f64) -> String {
    let a = v.abs();
    if a >= 1000.0 || a == 0.0 {
        format!("{v:.0}")
    } else if a >= 100.0 {
        format!("{v:.1}")
    } else if a >= 10.0 {
        format!("{v:.2}")
    } else if a >= 1.0 {
        format!("{v:.3}")
    } else {
        format!("{v:.4}")
    }
}

fn print_table(rows: &[Row]) {
    println!("| row | measurement | unit | zeromq-xop | baseline | ratio | goal | status |");
    println!("|-----|-------------|------|-----------:|---------:|------:|------|--------|");
    for r in rows {
        let base = r
            .base
            .map_or_else(|| "baseline unavailable".to_string(), num);
        let ratio = r.ratio().map_or_else(
            || "-".to_string(),
            |x| {
                if x < 0.1 {
                    format!("{x:.4}")
                } else {
                    format!("{x:.2}")
                }
            },
        );
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            r.id,
            r.what,
            r.unit,
            num(r.ours),
            base,
            ratio,
            r.goal_text,
            r.status()
        );
    }
    let notes: Vec<&Row> = rows.iter().filter(|r| !r.note.is_empty()).collect();
    if !notes.is_empty() {
        println!();
        for r in notes {
            println!("- {}: {}", r.id, r.note);
        }
    }
}

// ------------------------------------------------------------------------------------------
// Entry point

/// Run the benchmarks.
pub fn run(args: &[String]) -> i32 {
    if args.first().map(String::as_str) == Some("--child") {
        return child(&args[1..]);
    }
    let mut sizes = Sizes::full();
    let mut only: Option<Vec<u32>> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--quick" => sizes = Sizes::quick(),
            "--only" => {
                let Some(v) = it.next() else {
                    eprintln!("zeromq-xop bench: --only needs a value, e.g. --only 1,4");
                    return 2;
                };
                match v
                    .split(',')
                    .map(|s| s.trim().parse::<u32>())
                    .collect::<Result<Vec<_>, _>>()
                {
                    Ok(list) => only = Some(list),
                    Err(_) => {
                        eprintln!(
                            "zeromq-xop bench: --only takes row numbers 1..7, e.g. --only 1,4"
                        );
                        return 2;
                    }
                }
            }
            _ => {
                eprintln!("usage: zeromq-xop bench [--quick] [--only ROWS]");
                return 2;
            }
        }
    }
    let want = |n: u32| only.as_ref().is_none_or(|l| l.contains(&n));
    match bench(sizes, &want) {
        Ok(rows) => {
            print_table(&rows);
            0
        }
        Err(e) => {
            eprintln!("zeromq-xop bench: {e}");
            1
        }
    }
}

fn bench(sizes: Sizes, want: &dyn Fn(u32) -> bool) -> Result<Vec<Row>, String> {
    print_header(sizes);
    // The C++ baseline compiles while the first rows run in quick mode; a full run compiles
    // first so that the compiler does not disturb the measurements.
    let join = |c: JoinHandle<Result<PathBuf, String>>| {
        c.join()
            .unwrap_or_else(|_| Err("the compiler thread failed".into()))
    };
    let mut compiler = want(4).then(|| std::thread::spawn(build_nlohmann));
    let mut nlohmann = None;
    if !sizes.quick {
        nlohmann = compiler.take().map(join);
    }

    // Rows 5 and 6 run in child processes after the others, so that they measure a process
    // with nothing else in it while nothing else runs.
    let mut rows = Vec::new();
    let setup = Setup::start()?;
    if want(1) || want(2) || want(6) {
        setup.check_reply()?;
    }
    if want(1) {
        rows.extend(round_trips(&setup, sizes)?);
    }
    if want(2) {
        rows.extend(pipelined(&setup, sizes)?);
    }
    if want(3) {
        rows.extend(publisher(sizes)?);
    }
    if want(7) {
        rows.extend(generic::rows(sizes)?);
    }
    if want(4) {
        let nl = nlohmann
            .take()
            .or_else(|| compiler.take().map(join))
            .unwrap_or_else(|| Err("not built".into()));
        rows.extend(waves(sizes, nl)?);
    }
    drop(setup);
    if want(5) {
        rows.push(idle(sizes)?);
    }
    if want(6) {
        rows.push(memory(sizes)?);
    }
    Ok(rows)
}

fn print_header(sizes: Sizes) {
    let (a, b, c) = zmq::version();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load = load
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    println!(
        "zeromq-xop {} bench{}: libzmq {a}.{b}.{c}, {cpu}, {cores} cores, load average {load}",
        env!("CARGO_PKG_VERSION"),
        if sizes.quick {
            " --quick (reduced sizes, figures not representative)"
        } else {
            ""
        }
    );
    println!();
}

// ------------------------------------------------------------------------------------------
// The host: the library's server through the C ABI, a host thread, and a raw echo server

/// Wave data the dispatcher returns for `wave_fp64` / `wave_i16`.
static WAVE_FP64: Mutex<Vec<f64>> = Mutex::new(Vec::new());
static WAVE_I16: Mutex<Vec<i16>> = Mutex::new(Vec::new());

/// The bench host's functions: `add(a, b)`, `wave_fp64()`, `wave_i16()`.
unsafe extern "C" fn bench_dispatch(
    _user: *mut c_void,
    call: *const zeromq_call,
    reply: *mut zeromq_reply,
) {
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
            reply_wave(
                reply,
                ZEROMQ_NT_FP64,
                data.len(),
                data.as_ptr() as *const c_void,
                data.len() * 8,
            );
        }
        b"wave_i16" => {
            let data = WAVE_I16.lock().unwrap_or_else(|e| e.into_inner());
            reply_wave(
                reply,
                ZEROMQ_NT_I16,
                data.len(),
                data.as_ptr() as *const c_void,
                data.len() * 2,
            );
        }
        _ => {
            zeromq_reply_error(reply, ZEROMQ_REQ_NON_EXISTING_FUNCTION, std::ptr::null(), 0);
        }
    }
}

unsafe fn reply_wave(
    reply: *mut zeromq_reply,
    wtype: i32,
    points: usize,
    data: *const c_void,
    bytes: usize,
) {
    let dims = [points as u64];
    let mut w = std::ptr::null_mut();
    if zeromq_wave_new(wtype, dims.as_ptr(), 1, &mut w) != 0
        || zeromq_wave_set_data(w, data, bytes) != 0
    {
        zeromq_wave_free(w);
        zeromq_reply_error(reply, ZEROMQ_REQ_INVALID_PARAM_FORMAT, std::ptr::null(), 0);
        return;
    }
    zeromq_reply_wave(reply, w);
}

/// The host thread: sleeps in `zeromq_handler_wait` and runs queued calls.
struct HostThread {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl HostThread {
    fn start(wait_ms: i32) -> HostThread {
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
unsafe extern "C" fn print_output(_user: *mut c_void, text: *const c_char, len: usize) {
    let t = std::slice::from_raw_parts(text as *const u8, len);
    eprintln!("library output: {}", String::from_utf8_lossy(t));
}

/// A unique ipc endpoint in /tmp.
fn ipc_endpoint(tag: &str) -> String {
    static SERIAL: AtomicU64 = AtomicU64::new(0);
    format!(
        "ipc:///tmp/zeromq-xop-bench-{}-{}-{}.ipc",
        std::process::id(),
        tag,
        SERIAL.fetch_add(1, Ordering::Relaxed)
    )
}

fn ipc_path(endpoint: &str) -> Option<&str> {
    endpoint.strip_prefix("ipc://")
}

/// Bind the library's server (tcp and ipc), start the handler and a host thread; returns
/// the resolved endpoints (tcp first).
fn start_library_server(with_ipc: bool, wait_ms: i32) -> Result<(Vec<String>, HostThread), String> {
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
struct RawEcho {
    endpoints: Vec<String>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl RawEcho {
    fn start(reply: Vec<u8>) -> Result<RawEcho, String> {
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
const CLIENT_NAMES: [&str; 4] = [
    "zeromq-xop over tcp",
    "zeromq-xop over ipc",
    "raw echo over tcp",
    "raw echo over ipc",
];

/// The client side of the round-trip rows: DEALER sockets (one context, like a remote client
/// process) to the library's server and to the raw echo, over tcp and ipc.
struct Setup {
    host: HostThread,
    ours: Vec<String>,
    /// Kept running until the setup is dropped.
    _echo: RawEcho,
    _ctx: zmq::Context,
    /// [ours tcp, ours ipc, raw tcp, raw ipc]
    clients: Vec<zmq::Socket>,
    reply: Vec<u8>,
}

impl Setup {
    fn start() -> Result<Setup, String> {
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
    fn check_reply(&self) -> Result<(), String> {
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
fn call_once_ffi() -> Result<Vec<u8>, String> {
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

fn send_request(s: &zmq::Socket, req: &[u8]) -> Result<(), String> {
    s.send(&b""[..], zmq::SNDMORE)
        .map_err(|e| format!("send: {e}"))?;
    s.send(req, 0).map_err(|e| format!("send: {e}"))
}

/// Receive one reply `[empty, payload]` into `m` (the payload).
fn recv_reply(s: &zmq::Socket, m: &mut zmq::Message) -> Result<(), String> {
    s.recv(m, 0)
        .map_err(|e| format!("no reply within 10 s ({e})"))?;
    while m.get_more() {
        s.recv(m, 0).map_err(|e| format!("recv: {e}"))?;
    }
    Ok(())
}

fn call(s: &zmq::Socket, req: &[u8]) -> Result<Vec<u8>, String> {
    send_request(s, req)?;
    let mut m = zmq::Message::new();
    recv_reply(s, &mut m)?;
    Ok(m.to_vec())
}

/// Sequential calls, each latency in microseconds appended to `out`.
fn latencies(s: &zmq::Socket, n: usize, out: &mut Vec<f64>) -> Result<(), String> {
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
fn pipeline(s: &zmq::Socket, total: usize) -> Result<f64, String> {
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
fn thread_cpu() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the struct.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 * p) as usize).min(sorted.len() - 1);
    sorted[i]
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    percentile(&s, 0.5)
}

// ------------------------------------------------------------------------------------------
// Rows 1 and 2: round trips

fn round_trips(setup: &Setup, sizes: Sizes) -> Result<Vec<Row>, String> {
    eprintln!("row 1: round trips ...");
    let mut lat: Vec<Vec<f64>> = vec![Vec::new(); 4];
    let mut scratch = Vec::new();
    for (i, c) in setup.clients.iter().enumerate() {
        latencies(c, sizes.rt_warmup, &mut scratch)
            .map_err(|e| format!("{} (warm-up): {e}", CLIENT_NAMES[i]))?;
    }
    // Interleave the four cases round by round so that a disturbance hits all of them alike.
    for _ in 0..sizes.rt_rounds {
        for (i, c) in setup.clients.iter().enumerate() {
            latencies(c, sizes.rt_calls, &mut lat[i])
                .map_err(|e| format!("{}: {e}", CLIENT_NAMES[i]))?;
        }
    }
    for l in &mut lat {
        l.sort_by(|a, b| a.total_cmp(b));
    }
    let n = lat[0].len();
    let mut rows = Vec::new();
    for (t, name, ours, raw) in [(0, "tcp", 0, 2), (1, "ipc", 1, 3)] {
        let ids = if t == 0 { ["1a", "1b"] } else { ["1c", "1d"] };
        rows.push(Row {
            id: ids[0],
            what: format!("CallFunction round trip, {name} loopback, p50 ({n} calls) vs raw DEALER/ROUTER echo"),
            unit: "µs",
            ours: percentile(&lat[ours], 0.5),
            base: Some(percentile(&lat[raw], 0.5)),
            goal: Goal::AtMost(1.3),
            goal_text: "ratio ≤ 1.30".into(),
            note: String::new(),
        });
        rows.push(Row {
            id: ids[1],
            what: format!("CallFunction round trip, {name} loopback, p99 vs raw echo"),
            unit: "µs",
            ours: percentile(&lat[ours], 0.99),
            base: Some(percentile(&lat[raw], 0.99)),
            goal: Goal::None,
            goal_text: "-".into(),
            note: String::new(),
        });
    }
    Ok(rows)
}

fn pipelined(setup: &Setup, sizes: Sizes) -> Result<Vec<Row>, String> {
    eprintln!("row 2: pipelined calls ...");
    for (i, c) in setup.clients.iter().enumerate() {
        pipeline(c, sizes.pipe_calls / 4)
            .map_err(|e| format!("{} (warm-up): {e}", CLIENT_NAMES[i]))?;
    }
    let mut rates: Vec<Vec<f64>> = vec![Vec::new(); 4];
    for _ in 0..sizes.pipe_rounds {
        for (i, c) in setup.clients.iter().enumerate() {
            rates[i].push(
                pipeline(c, sizes.pipe_calls).map_err(|e| format!("{}: {e}", CLIENT_NAMES[i]))?,
            );
        }
    }
    let mut rows = Vec::new();
    for (id, name, ours, raw) in [("2a", "tcp", 0, 2), ("2b", "ipc", 1, 3)] {
        rows.push(Row {
            id,
            what: format!(
                "Pipelined calls, {WINDOW} in flight, {name} (median of {} runs of {}) vs raw echo",
                sizes.pipe_rounds, sizes.pipe_calls
            ),
            unit: "calls/s",
            ours: median(&rates[ours]),
            base: Some(median(&rates[raw])),
            goal: Goal::AtLeast(0.5),
            goal_text: "ratio ≥ 0.50".into(),
            note: String::new(),
        });
    }
    Ok(rows)
}

// ------------------------------------------------------------------------------------------
// Row 3: publisher

/// A subscriber draining everything on its own thread and context.
struct Drain {
    received: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drain {
    fn start(endpoint: &str) -> Result<Drain, String> {
        let ctx = zmq::Context::new();
        let s = ctx.socket(zmq::SUB).map_err(|e| e.to_string())?;
        s.set_linger(0).map_err(|e| e.to_string())?;
        s.set_rcvtimeo(50).map_err(|e| e.to_string())?;
        s.set_subscribe(TOPIC).map_err(|e| e.to_string())?;
        s.connect(endpoint)
            .map_err(|e| format!("zmq_connect({endpoint}): {e}"))?;
        let received = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (r, st) = (received.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let _ctx = ctx;
            let mut m = zmq::Message::new();
            while !st.load(Ordering::Relaxed) {
                if s.recv(&mut m, 0).is_ok() && !m.get_more() {
                    r.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
        Ok(Drain {
            received,
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Drain {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drain {
    /// Wait until `count` messages have arrived in all.
    fn wait_for(&self, count: u64) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.received.load(Ordering::Relaxed) < count {
            if Instant::now() > deadline {
                return Err(format!(
                    "the subscriber received {} of {count} messages within 10 s",
                    self.received.load(Ordering::Relaxed)
                ));
            }
            std::thread::yield_now();
        }
        Ok(())
    }
}

/// Send until the subscriber has seen a message (subscriptions travel asynchronously).
fn wait_subscribed(
    send: &mut dyn FnMut() -> Result<(), String>,
    drain: &Drain,
) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while drain.received.load(Ordering::Relaxed) == 0 {
        if Instant::now() > deadline {
            return Err("the subscriber received nothing within 10 s".into());
        }
        send()?;
        std::thread::sleep(Duration::from_millis(5));
    }
    Ok(())
}

fn publisher(sizes: Sizes) -> Result<Vec<Row>, String> {
    eprintln!("row 3: publisher ...");
    // The library's publisher (global manager).
    let ep = "tcp://127.0.0.1:*";
    // SAFETY: plain calls with valid pointers.
    let ours_ep = unsafe {
        check(
            "zeromq_pub_bind",
            zeromq_pub_bind(ep.as_ptr() as *const c_char, ep.len()),
        )?;
        let mut msg = std::ptr::null_mut();
        check(
            "zeromq_endpoints",
            zeromq_endpoints(ZEROMQ_ROLE_PUBLISHER, &mut msg),
        )?;
        take_frames(msg)
            .pop()
            .map(|f| String::from_utf8_lossy(&f).into_owned())
            .ok_or("no publisher endpoint")?
    };
    // A raw PUB socket of this process, with the library's socket options.
    let ctx = zmq::Context::new();
    let raw = ctx.socket(zmq::PUB).map_err(|e| e.to_string())?;
    raw.set_linger(0).map_err(|e| e.to_string())?;
    raw.set_sndtimeo(0).map_err(|e| e.to_string())?;
    raw.bind(ep).map_err(|e| e.to_string())?;
    let raw_ep = raw
        .get_last_endpoint()
        .ok()
        .and_then(|r| r.ok())
        .ok_or("no raw endpoint")?;

    let ours_drain = Drain::start(&ours_ep)?;
    let raw_drain = Drain::start(&raw_ep)?;
    let ours_send = |payload: &[u8]| -> Result<(), String> {
        // SAFETY: valid buffers.
        let rc = unsafe {
            zeromq_pub_send(
                TOPIC.as_ptr() as *const c_char,
                TOPIC.len(),
                payload.as_ptr() as *const c_char,
                payload.len(),
            )
        };
        check("zeromq_pub_send", rc)
    };
    let raw_send = |payload: &[u8]| -> Result<(), String> {
        raw.send(TOPIC, zmq::SNDMORE | zmq::DONTWAIT)
            .map_err(|e| e.to_string())?;
        raw.send(payload, zmq::DONTWAIT).map_err(|e| e.to_string())
    };
    wait_subscribed(&mut || ours_send(b"probe"), &ours_drain)?;
    wait_subscribed(&mut || raw_send(b"probe"), &raw_drain)?;

    let mut rows = Vec::new();
    for (size, (blocks, count), ids, label) in [
        (64usize, sizes.pub_small, ["3a", "3b"], "64 B"),
        (1 << 20, sizes.pub_large, ["3c", "3d"], "1 MiB"),
    ] {
        let payload: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
        let mut ours_rates = Vec::new();
        let mut raw_rates = Vec::new();
        // Blocks smaller than the socket's queue limit (1000 messages), each starting with
        // the subscriber caught up: every message is delivered, none dropped, under the same
        // conditions for both (a publisher that overruns its subscriber drops messages, and
        // then the cost per message depends on how full the queue happens to be). libzmq's
        // sender learns what the receiver has taken only when it processes its commands, at
        // most once a millisecond while sending, hence the pause before each block. The
        // blocks alternate, the first one of each pair alternating too, and are timed by the
        // sender's CPU time: the subscribers and libzmq's I/O threads share the cores with
        // the sender, and wall time would mostly measure who got a core when.
        for round in 0..blocks + 1 {
            for which in [round % 2, 1 - round % 2] {
                let drain = if which == 0 { &ours_drain } else { &raw_drain };
                std::thread::sleep(Duration::from_millis(2));
                let before = drain.received.load(Ordering::Relaxed);
                let t = thread_cpu();
                for _ in 0..count {
                    if which == 0 {
                        ours_send(&payload)?;
                    } else {
                        raw_send(&payload)?;
                    }
                }
                let rate = count as f64 / (thread_cpu() - t);
                drain.wait_for(before + count as u64)?;
                // The first round warms up.
                if round == 0 {
                    continue;
                }
                if which == 0 {
                    ours_rates.push(rate);
                } else {
                    raw_rates.push(rate);
                }
            }
        }
        let (o, r) = (median(&ours_rates), median(&raw_rates));
        let mb = size as f64 / 1e6;
        rows.push(Row {
            id: ids[0],
            what: format!(
                "zeromq_pub_send, {label} payload, per CPU second of the sender (median of {blocks} blocks of {count}, all delivered) vs raw zmq PUB, same process",
            ),
            unit: "msgs/s",
            ours: o,
            base: Some(r),
            goal: Goal::AtLeast(0.9),
            goal_text: "ratio ≥ 0.90".into(),
            note: String::new(),
        });
        rows.push(Row {
            id: ids[1],
            what: format!("zeromq_pub_send, {label} payload, payload bytes vs raw zmq PUB"),
            unit: "MB/s",
            ours: o * mb,
            base: Some(r * mb),
            goal: Goal::AtLeast(0.9),
            goal_text: "ratio ≥ 0.90".into(),
            note: String::new(),
        });
    }
    drop(ours_drain);
    drop(raw_drain);
    Ok(rows)
}

// ------------------------------------------------------------------------------------------
// Row 4: wave serialization

/// Compile bench/nlohmann_dump.cpp (cached in the temporary directory by source hash).
fn build_nlohmann() -> Result<PathBuf, String> {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    NLOHMANN_SOURCE.hash(&mut h);
    let dir = std::env::temp_dir().join(format!("zeromq-xop-bench-nlohmann-{:016x}", h.finish()));
    let exe = dir.join("nlohmann_dump");
    if exe.exists() {
        return Ok(exe);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let src = dir.join("nlohmann_dump.cpp");
    std::fs::write(&src, NLOHMANN_SOURCE).map_err(|e| e.to_string())?;
    let tmp = dir.join(format!("nlohmann_dump.{}.tmp", std::process::id()));
    let out = Command::new("g++")
        .args(["-O2", "-std=c++17", "-o"])
        .arg(&tmp)
        .arg(&src)
        .output()
        .map_err(|e| format!("g++ not available ({e})"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err
            .lines()
            .find(|l| l.contains("error"))
            .unwrap_or("compilation failed");
        return Err(format!("g++ failed: {}", first.trim()));
    }
    std::fs::rename(&tmp, &exe).map_err(|e| e.to_string())?;
    Ok(exe)
}

/// The nlohmann figures: median total (build + dump) and dump-only times in seconds.
struct NlohmannRun {
    total: f64,
    dump: f64,
}

fn run_nlohmann(
    exe: &Path,
    kind: &str,
    data: &Path,
    iterations: usize,
    out: &Path,
) -> Result<NlohmannRun, String> {
    let o = Command::new(exe)
        .arg(kind)
        .arg(data)
        .arg(iterations.to_string())
        .arg(out)
        .output()
        .map_err(|e| format!("{}: {e}", exe.display()))?;
    if !o.status.success() {
        return Err(format!(
            "nlohmann_dump failed: {}",
            String::from_utf8_lossy(&o.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&o.stdout);
    let words: Vec<&str> = text.split_whitespace().collect();
    let field = |name: &str| -> Result<f64, String> {
        words
            .iter()
            .position(|w| *w == name)
            .and_then(|i| words.get(i + 1))
            .and_then(|v| v.parse::<f64>().ok())
            .map(|ns| ns * 1e-9)
            .ok_or_else(|| format!("unexpected nlohmann_dump output: {text}"))
    };
    Ok(NlohmannRun {
        total: field("total_ns")?,
        dump: field("dump_ns")?,
    })
}

/// `v` rounded to 15 significant digits (the precision of the reply's numbers), so that both
/// programs write the same values.
fn round15(v: f64) -> f64 {
    zeromq_xop::json::g15(v).parse().unwrap_or(v)
}

/// The reply to `request` through `zeromq_test_callfunction`, and the time it took.
fn reply_of(request: &[u8]) -> Result<Vec<u8>, String> {
    let mut msg = std::ptr::null_mut();
    // SAFETY: valid request and out pointer; the message is freed by take_frames.
    let rc = unsafe {
        zeromq_test_callfunction(request.as_ptr() as *const c_char, request.len(), &mut msg)
    };
    check("zeromq_test_callfunction", rc)?;
    Ok(take_frames(msg).pop().unwrap_or_default())
}

/// The thread CPU time the reply takes (the message is freed after the clock stops).
fn time_reply(request: &[u8]) -> Result<f64, String> {
    let mut msg = std::ptr::null_mut();
    let t = thread_cpu();
    // SAFETY: as above.
    let rc = unsafe {
        zeromq_test_callfunction(request.as_ptr() as *const c_char, request.len(), &mut msg)
    };
    let dt = thread_cpu() - t;
    // SAFETY: the message came from the library.
    unsafe { zeromq_message_free(msg) };
    check("zeromq_test_callfunction", rc)?;
    Ok(dt)
}

/// Whether two JSON documents hold the same values (numbers compared as doubles).
fn same_values(
    a: &serde_json::Value,
    b: &serde_json::Value,
    path: &mut String,
) -> Result<(), String> {
    use serde_json::Value as V;
    match (a, b) {
        (V::Number(x), V::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            if x == y || (x - y).abs() <= 1e-14 * x.abs().max(y.abs()) {
                Ok(())
            } else {
                Err(format!("{path}: {x} vs {y}"))
            }
        }
        (V::Array(x), V::Array(y)) => {
            if x.len() != y.len() {
                return Err(format!("{path}: {} vs {} elements", x.len(), y.len()));
            }
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                let n = path.len();
                path.push_str(&format!("[{i}]"));
                same_values(p, q, path)?;
                path.truncate(n);
            }
            Ok(())
        }
        (V::Object(x), V::Object(y)) => {
            if x.len() != y.len() || x.keys().zip(y.keys()).any(|(p, q)| p != q) {
                return Err(format!(
                    "{path}: keys {:?} vs {:?}",
                    x.keys().collect::<Vec<_>>(),
                    y.keys().collect::<Vec<_>>()
                ));
            }
            for (k, v) in x {
                let n = path.len();
                path.push('.');
                path.push_str(k);
                same_values(v, &y[k], path)?;
                path.truncate(n);
            }
            Ok(())
        }
        _ if a == b => Ok(()),
        _ => Err(format!("{path}: {a} vs {b}")),
    }
}

fn waves(sizes: Sizes, nlohmann: Result<PathBuf, String>) -> Result<Vec<Row>, String> {
    eprintln!("row 4: wave serialization ...");
    let n = sizes.wave_points;
    let dir = std::env::temp_dir().join(format!("zeromq-xop-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let fp64: Vec<f64> = (0..n)
        .map(|i| round15((i as f64 * 0.001).sin() * 1000.0))
        .collect();
    let i16s: Vec<i16> = (0..n)
        .map(|i| ((i % 65536) as i32 - 32768) as i16)
        .collect();
    let fp64_file = dir.join("fp64.bin");
    let i16_file = dir.join("i16.bin");
    std::fs::write(
        &fp64_file,
        fp64.iter()
            .flat_map(|v| v.to_ne_bytes())
            .collect::<Vec<u8>>(),
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(
        &i16_file,
        i16s.iter()
            .flat_map(|v| v.to_ne_bytes())
            .collect::<Vec<u8>>(),
    )
    .map_err(|e| e.to_string())?;
    drop((fp64, i16s));

    let mut rows = Vec::new();
    for (id, kind, typ, file) in [
        ("4a", "fp64", "NT_FP64", &fp64_file),
        ("4b", "i16", "NT_I16", &i16_file),
    ] {
        // Both sides run in a fresh process of their own: how fast large buffers come from
        // the allocator depends on what the process allocated before.
        let ours_out = dir.join(format!("ours-{kind}.json"));
        let child = run_child(&[
            "wave".into(),
            kind.into(),
            file.display().to_string(),
            sizes.wave_iterations.to_string(),
            ours_out.display().to_string(),
        ])?;
        let ours_ns = value(&child_values(child)?, "total_ns")?;
        let ours = n as f64 / (ours_ns * 1e-9);
        let text = std::fs::read(&ours_out).map_err(|e| e.to_string())?;
        let ours_doc: serde_json::Value = serde_json::from_slice(&text)
            .map_err(|e| format!("our {typ} reply is not JSON: {e}"))?;
        if ours_doc["result"]["value"]["type"] != typ
            || ours_doc["result"]["value"]["data"]["raw"]
                .as_array()
                .map(Vec::len)
                != Some(n)
        {
            return Err(format!(
                "unexpected {typ} reply: {}",
                String::from_utf8_lossy(&text[..text.len().min(300)])
            ));
        }

        let mut note = format!("reply {} bytes", text.len());
        let base = match &nlohmann {
            Err(e) => {
                note.push_str(&format!("; nlohmann baseline unavailable: {e}"));
                None
            }
            Ok(exe) => {
                let out = dir.join(format!("nlohmann-{kind}.json"));
                match run_nlohmann(exe, kind, file, sizes.wave_iterations, &out) {
                    Err(e) => {
                        note.push_str(&format!("; nlohmann baseline unavailable: {e}"));
                        None
                    }
                    Ok(r) => {
                        let theirs = std::fs::read(&out).map_err(|e| e.to_string())?;
                        let their_doc: serde_json::Value = serde_json::from_slice(&theirs)
                            .map_err(|e| format!("nlohmann output: {e}"))?;
                        same_values(&ours_doc, &their_doc, &mut String::from("$")).map_err(
                            |e| format!("our {typ} reply and nlohmann's document differ at {e}"),
                        )?;
                        note.push_str(&format!(
                            ", same values as nlohmann's {} bytes; nlohmann dump(4) alone {} points/s (build + dump counted)",
                            theirs.len(),
                            num(n as f64 / r.dump)
                        ));
                        Some(n as f64 / r.total)
                    }
                }
            }
        };
        rows.push(Row {
            id,
            what: format!(
                "{n}-point {typ} wave to the reply JSON, per CPU second (median of {}) vs nlohmann-json building and dumping the same document",
                sizes.wave_iterations
            ),
            unit: "points/s",
            ours,
            base,
            goal: Goal::AtLeast(3.0),
            goal_text: "ratio ≥ 3.00".into(),
            note,
        });
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(rows)
}

/// Our side of the wave row: the points from `file` returned by a call, the reply made
/// `iterations` times after a warm-up whose text goes to `out`; prints the median thread CPU
/// time in nanoseconds.
fn child_wave(kind: &str, file: &str, iterations: &str, out: &str) -> Result<(), String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
    if kind == "fp64" {
        *WAVE_FP64.lock().unwrap_or_else(|e| e.into_inner()) = bytes
            .chunks_exact(8)
            .map(|c| f64::from_ne_bytes(c.try_into().expect("8 bytes")))
            .collect();
    } else {
        *WAVE_I16.lock().unwrap_or_else(|e| e.into_inner()) = bytes
            .chunks_exact(2)
            .map(|c| i16::from_ne_bytes(c.try_into().expect("2 bytes")))
            .collect();
    }
    drop(bytes);
    // SAFETY: plain call.
    check("zeromq_set_dispatcher", unsafe {
        zeromq_set_dispatcher(Some(bench_dispatch), std::ptr::null_mut())
    })?;
    let request = format!(r#"{{"version": 1, "CallFunction": {{"name": "wave_{kind}"}}}}"#);
    std::fs::write(out, reply_of(request.as_bytes())?).map_err(|e| e.to_string())?;
    let iterations: usize = iterations.parse().unwrap_or(1).max(1);
    let mut times = Vec::new();
    for _ in 0..iterations {
        times.push(time_reply(request.as_bytes())?);
    }
    println!("total_ns {}", median(&times) * 1e9);
    Ok(())
}

// ------------------------------------------------------------------------------------------
// Rows 5 and 6: child processes

/// Run `bench --child ARGS...` and return the numbers it prints as `name value` pairs.
fn run_child(args: &[String]) -> Result<std::process::Child, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    Command::new(exe)
        .arg("bench")
        .arg("--child")
        .args(args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the child process: {e}"))
}

fn child_values(c: std::process::Child) -> Result<Vec<(String, f64)>, String> {
    let o = c.wait_with_output().map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&o.stdout);
    if !o.status.success() {
        return Err(format!("child process failed: {text}"));
    }
    let w: Vec<&str> = text.split_whitespace().collect();
    Ok(w.chunks(2)
        .filter_map(|p| Some((p.first()?.to_string(), p.get(1)?.parse().ok()?)))
        .collect())
}

fn value(v: &[(String, f64)], name: &str) -> Result<f64, String> {
    v.iter()
        .find(|(n, _)| n == name)
        .map(|(_, x)| *x)
        .ok_or_else(|| format!("child did not report {name}"))
}

fn idle(sizes: Sizes) -> Result<Row, String> {
    eprintln!("row 5: idle CPU ({} s) ...", sizes.idle_seconds);
    let secs = sizes.idle_seconds.to_string();
    // Both measure their own process's CPU time, so they may run side by side.
    let ours = run_child(&["idle-ours".into(), secs.clone()])?;
    let base = run_child(&["idle-poll".into(), secs])?;
    let ours = value(&child_values(ours)?, "cpu_percent")?;
    let base = value(&child_values(base)?, "cpu_percent")?;
    Ok(Row {
        id: "5",
        what: format!(
            "Idle CPU over {} s: handler running, publisher bound, no traffic, vs receive loop with 1 ms timeout",
            sizes.idle_seconds
        ),
        unit: "% of a core",
        ours,
        base: Some(base),
        goal: Goal::Below(1.0),
        goal_text: "< 1 % of a core".into(),
        note: String::new(),
    })
}

/// A host process for the memory row (`bench --child memory-ours` or `memory-raw`): it
/// prints its server endpoint, then its resident memory for every line read on stdin.
struct MemoryHost {
    child: std::process::Child,
    lines: std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
    endpoint: String,
}

impl MemoryHost {
    fn start(which: &str) -> Result<MemoryHost, String> {
        use std::io::BufRead;
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut child = Command::new(exe)
            .args(["bench", "--child", which])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the child process: {e}"))?;
        let out = child.stdout.take().ok_or("no stdout")?;
        let mut lines = std::io::BufReader::new(out).lines();
        let endpoint = lines
            .next()
            .and_then(|l| l.ok())
            .ok_or("the memory host did not start")?;
        Ok(MemoryHost {
            child,
            lines,
            endpoint,
        })
    }

    fn rss(&mut self) -> Result<f64, String> {
        use std::io::Write;
        let stdin = self.child.stdin.as_mut().ok_or("no stdin")?;
        writeln!(stdin).map_err(|e| e.to_string())?;
        stdin.flush().map_err(|e| e.to_string())?;
        let line = self.lines.next().and_then(|l| l.ok()).unwrap_or_default();
        line.trim()
            .parse()
            .map_err(|_| format!("unexpected answer from the memory host: {line}"))
    }
}

impl Drop for MemoryHost {
    fn drop(&mut self) {
        // End of input tells the host to clean up and leave; it is killed only if it does
        // not within a few seconds.
        drop(self.child.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Resident memory of a host process after `first`, `total` and `2 * total` calls from a
/// client in this process (64 in flight over tcp).
fn memory_of(which: &str, sizes: Sizes) -> Result<[f64; 3], String> {
    let mut host = MemoryHost::start(which)?;
    let ctx = zmq::Context::new();
    let c = ctx.socket(zmq::DEALER).map_err(|e| e.to_string())?;
    c.set_linger(0).map_err(|e| e.to_string())?;
    c.set_rcvtimeo(10_000).map_err(|e| e.to_string())?;
    c.connect(&host.endpoint).map_err(|e| e.to_string())?;
    let mut rss = [0.0; 3];
    let mut done = 0;
    for (i, upto) in [sizes.mem_first, sizes.mem_total, 2 * sizes.mem_total]
        .into_iter()
        .enumerate()
    {
        pipeline(&c, upto - done)?;
        done = upto;
        std::thread::sleep(Duration::from_millis(200));
        rss[i] = host.rss()?;
    }
    Ok(rss)
}

fn memory(sizes: Sizes) -> Result<Row, String> {
    eprintln!("row 6: memory ...");
    let ours = memory_of("memory-ours", sizes)?;
    let raw = memory_of("memory-raw", sizes)?;
    Ok(Row {
        id: "6",
        what: format!(
            "Resident memory of the host process after {} calls vs after {} ({WINDOW} in flight, tcp)",
            sizes.mem_total, sizes.mem_first
        ),
        unit: "KiB",
        ours: ours[1],
        base: Some(ours[0]),
        // Less than any leak: one leaked allocation per call (16 bytes at least) would add
        // more than 1.5 MiB over these calls.
        goal: Goal::NoGrowth(512.0),
        goal_text: "no growth (≤ +512 KiB)".into(),
        note: format!(
            "after {} calls {} KiB; a raw libzmq echo host measured the same way: {} / {} / {} KiB \
             after {} / {} / {} calls (libzmq's receive buffers and the allocator settle during \
             the first calls; a leak would grow with every call)",
            2 * sizes.mem_total,
            num(ours[2]),
            num(raw[0]),
            num(raw[1]),
            num(raw[2]),
            sizes.mem_first,
            sizes.mem_total,
            2 * sizes.mem_total
        ),
    })
}

/// The child processes: print `name value` pairs on stdout.
fn child(args: &[String]) -> i32 {
    let r = match args.first().map(String::as_str) {
        Some("idle-ours") => child_idle_ours(args.get(1)),
        Some("idle-poll") => child_idle_poll(args.get(1)),
        Some("wave") if args.len() == 5 => child_wave(&args[1], &args[2], &args[3], &args[4]),
        Some("memory-ours") => child_memory("ours"),
        Some("memory-raw") => child_memory("raw"),
        _ => Err("unknown child".into()),
    };
    match r {
        Ok(()) => 0,
        Err(e) => {
            println!("error {e}");
            1
        }
    }
}

/// User + system CPU time of this process, seconds.
fn process_cpu() -> f64 {
    // SAFETY: getrusage writes into the struct.
    let ru = unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut ru);
        ru
    };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

fn measure_idle(secs: f64) -> f64 {
    std::thread::sleep(Duration::from_millis(500));
    let c0 = process_cpu();
    let t0 = Instant::now();
    std::thread::sleep(Duration::from_secs_f64(secs));
    let c1 = process_cpu();
    100.0 * (c1 - c0) / t0.elapsed().as_secs_f64()
}

fn child_idle_ours(secs: Option<&String>) -> Result<(), String> {
    let secs: f64 = secs.and_then(|s| s.parse().ok()).unwrap_or(10.0);
    // The host thread sleeps in zeromq_handler_wait without a timeout, as an idle host does.
    let (_eps, _host) = start_library_server(false, -1)?;
    let ep = "tcp://127.0.0.1:*";
    // SAFETY: valid pointer.
    check("zeromq_pub_bind", unsafe {
        zeromq_pub_bind(ep.as_ptr() as *const c_char, ep.len())
    })?;
    println!("cpu_percent {}", measure_idle(secs));
    // Leave without joining the host thread (it waits for a call that never comes).
    std::process::exit(0);
}

fn child_idle_poll(secs: Option<&String>) -> Result<(), String> {
    let secs: f64 = secs.and_then(|s| s.parse().ok()).unwrap_or(10.0);
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::ROUTER).map_err(|e| e.to_string())?;
    s.set_linger(0).map_err(|e| e.to_string())?;
    s.set_rcvtimeo(1).map_err(|e| e.to_string())?;
    s.bind("tcp://127.0.0.1:*").map_err(|e| e.to_string())?;
    let stop = Arc::new(AtomicBool::new(false));
    let st = stop.clone();
    let t = std::thread::spawn(move || {
        let mut m = zmq::Message::new();
        while !st.load(Ordering::Relaxed) {
            let _ = s.recv(&mut m, 0);
        }
    });
    println!("cpu_percent {}", measure_idle(secs));
    stop.store(true, Ordering::Relaxed);
    let _ = t.join();
    Ok(())
}

/// Resident set size of this process in KiB.
fn rss_kib() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as f64;
    pages * page / 1024.0
}

/// The memory row's host: serves until stdin closes, answering each line with its RSS.
fn child_memory(which: &str) -> Result<(), String> {
    use std::io::{BufRead, Write};
    let (endpoint, _host, echo) = if which == "ours" {
        let (eps, host) = start_library_server(false, 200)?;
        (eps[0].clone(), Some(host), None)
    } else {
        // SAFETY: plain call.
        check("zeromq_set_dispatcher", unsafe {
            zeromq_set_dispatcher(Some(bench_dispatch), std::ptr::null_mut())
        })?;
        let echo = RawEcho::start(call_once_ffi()?)?;
        (echo.endpoints[0].clone(), None, Some(echo))
    };
    let mut out = std::io::stdout();
    writeln!(out, "{endpoint}").map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())?;
    for line in std::io::stdin().lock().lines() {
        if line.is_err() {
            break;
        }
        writeln!(out, "{}", rss_kib()).map_err(|e| e.to_string())?;
        out.flush().map_err(|e| e.to_string())?;
    }
    // The raw echo removes its ipc file when dropped.
    drop(echo);
    std::process::exit(0);
}
