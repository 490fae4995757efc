//! Row 9: generic sockets. A PUSH -> PULL pair of the library's generic sockets
//! (`zeromq_socket_send` / `zeromq_socket_recv`, whole messages, blocking) against the same
//! pair of raw libzmq sockets in the same process, over loopback TCP. Blocks of messages
//! alternate between the two pairs and are timed by the CPU time of the sending and the
//! receiving thread; the figure is each pair's fastest block (the one least disturbed by
//! anything else on the machine) over several sessions of new pairs, the note gives the
//! medians.

use crate::host::{median, thread_cpu};
use crate::support::{check, take_frames};
use crate::table::Row;
use crate::Sizes;
use std::ffi::c_char;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use zeromq_xop::ffi::generic::*;
use zeromq_xop::ffi::message::zeromq_message_free;
use zeromq_xop::ffi::socket::zeromq_frame;

/// Sends one message, blocking until it is queued.
type SendFn = Box<dyn FnMut(&[u8]) -> Result<(), String>>;

/// One PUSH -> PULL pair with a thread counting what the PULL receives.
struct Pair {
    send: SendFn,
    received: Arc<AtomicU64>,
    counter: Arc<Counter>,
    stop: Arc<AtomicBool>,
    close: Box<dyn FnMut()>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Pair {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        (self.close)();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// What the receiving thread reports: how many messages it has, and its CPU time (seconds, as
/// f64 bits) when it reached the count the sender waits for.
#[derive(Default)]
struct Counter {
    target: AtomicU64,
    cpu_at_target: AtomicU64,
}

impl Counter {
    /// Count one message (called by the receiving thread).
    fn count(&self, received: &AtomicU64) {
        let n = received.fetch_add(1, Ordering::Relaxed) + 1;
        if n == self.target.load(Ordering::Acquire) {
            self.cpu_at_target
                .store(thread_cpu().to_bits(), Ordering::Release);
        }
    }

    fn cpu(&self) -> f64 {
        f64::from_bits(self.cpu_at_target.load(Ordering::Acquire))
    }
}

fn lib_socket(kind: i32) -> Result<u64, String> {
    let mut id = 0;
    // SAFETY: a valid out pointer.
    check("zeromq_socket_new", unsafe {
        zeromq_socket_new(kind, &mut id)
    })?;
    Ok(id)
}

/// The library's pair: generic sockets of the global library state.
fn ours() -> Result<Pair, String> {
    let push = lib_socket(ZEROMQ_PUSH)?;
    let pull = lib_socket(ZEROMQ_PULL)?;
    let any = "tcp://127.0.0.1:*";
    // SAFETY: valid buffers and out pointers.
    let ep = unsafe {
        check(
            "zeromq_socket_bind",
            zeromq_socket_bind(pull, any.as_ptr() as *const c_char, any.len()),
        )?;
        let mut msg = std::ptr::null_mut();
        check(
            "zeromq_socket_endpoints",
            zeromq_socket_endpoints(pull, &mut msg),
        )?;
        take_frames(msg).pop().ok_or("no endpoint")?
    };
    // SAFETY: valid buffer.
    check("zeromq_socket_connect", unsafe {
        zeromq_socket_connect(push, ep.as_ptr() as *const c_char, ep.len())
    })?;
    let received = Arc::new(AtomicU64::new(0));
    let counter = Arc::new(Counter::default());
    let stop = Arc::new(AtomicBool::new(false));
    let (r, c, st) = (received.clone(), counter.clone(), stop.clone());
    let thread = std::thread::spawn(move || {
        while !st.load(Ordering::Relaxed) {
            let mut msg = std::ptr::null_mut();
            // SAFETY: a valid out pointer; the message is freed here. A closed socket ends
            // the loop.
            if unsafe { zeromq_socket_recv(pull, -1, &mut msg) } != 0 {
                return;
            }
            // SAFETY: `msg` is NULL or the message just received, freed once.
            unsafe { zeromq_message_free(msg) };
            c.count(&r);
        }
    });
    Ok(Pair {
        send: Box::new(move |payload: &[u8]| {
            let f = zeromq_frame {
                data: payload.as_ptr().cast(),
                len: payload.len(),
            };
            // SAFETY: one valid frame.
            check("zeromq_socket_send", unsafe {
                zeromq_socket_send(push, &f, 1, -1)
            })
        }),
        received,
        counter,
        stop,
        close: Box::new(move || {
            zeromq_socket_close(push);
            zeromq_socket_close(pull);
        }),
        thread: Some(thread),
    })
}

/// The raw libzmq pair, with its own context.
fn raw() -> Result<Pair, String> {
    let e = |x: zmq::Error| x.to_string();
    let ctx = zmq::Context::new();
    let push = ctx.socket(zmq::PUSH).map_err(e)?;
    let pull = ctx.socket(zmq::PULL).map_err(e)?;
    push.set_linger(0).map_err(e)?;
    pull.set_rcvtimeo(50).map_err(e)?;
    pull.bind("tcp://127.0.0.1:*").map_err(e)?;
    let ep = pull
        .get_last_endpoint()
        .ok()
        .and_then(|r| r.ok())
        .ok_or("no raw endpoint")?;
    push.connect(&ep).map_err(e)?;
    let received = Arc::new(AtomicU64::new(0));
    let counter = Arc::new(Counter::default());
    let stop = Arc::new(AtomicBool::new(false));
    let (r, c, st) = (received.clone(), counter.clone(), stop.clone());
    let thread = std::thread::spawn(move || {
        let mut m = zmq::Message::new();
        while !st.load(Ordering::Relaxed) {
            if pull.recv(&mut m, 0).is_ok() {
                while m.get_more() && pull.recv(&mut m, 0).is_ok() {}
                c.count(&r);
            }
        }
    });
    Ok(Pair {
        send: Box::new(move |payload: &[u8]| push.send(payload, 0).map_err(|x| x.to_string())),
        received,
        counter,
        stop,
        close: Box::new(move || {
            let _ = &ctx;
        }),
        thread: Some(thread),
    })
}

impl Pair {
    /// Messages per CPU second of one block: the sending thread's CPU time for the sends plus
    /// the receiving thread's for the receives (the machine's load does not count, libzmq's
    /// I/O threads are the same for both pairs).
    fn block(&mut self, payload: &[u8], count: usize) -> Result<f64, String> {
        let before = self.received.load(Ordering::Relaxed);
        let want = before + count as u64;
        let receiver_before = self.counter.cpu();
        self.counter.target.store(want, Ordering::Release);
        let start = Instant::now();
        let sender = thread_cpu();
        for _ in 0..count {
            (self.send)(payload)?;
        }
        let sender = thread_cpu() - sender;
        let deadline = start + Duration::from_secs(60);
        while self.received.load(Ordering::Acquire) < want || self.counter.cpu() == receiver_before
        {
            if Instant::now() > deadline {
                return Err("the PULL did not receive every message within 60 s".into());
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let receiver = self.counter.cpu() - receiver_before;
        Ok(count as f64 / (sender + receiver))
    }
}

/// Independent sessions of a full run: each with new pairs (new sockets and threads, a new
/// context for raw libzmq), so that the state one pair happens to start in (where its threads
/// run, what the allocator holds) does not decide the ratio.
const SESSIONS: usize = 5;

/// The rates of one payload size: per session, the blocks of each pair (0 ours, 1 raw).
type Rates = Vec<[Vec<f64>; 2]>;

fn fastest(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NAN, f64::max)
}

/// Rows 9a..9d.
pub(crate) fn rows(sizes: Sizes) -> Result<Vec<Row>, String> {
    eprintln!("row 9: generic sockets ...");
    let cases = [
        (64usize, sizes.gen_small, ["9a", "9b"], "64 B"),
        (1 << 20, sizes.gen_large, ["9c", "9d"], "1 MiB"),
    ];
    let payloads: Vec<Vec<u8>> = cases
        .iter()
        .map(|(size, ..)| (0..*size).map(|i| (i % 251) as u8).collect())
        .collect();
    let sessions = if sizes.quick { 1 } else { SESSIONS };
    let mut rates: Vec<Rates> = vec![Vec::new(); cases.len()];
    for _ in 0..sessions {
        let mut pairs = [ours()?, raw()?];
        for (case, (_, (blocks, count), ..)) in cases.iter().enumerate() {
            let mut r = [Vec::new(), Vec::new()];
            // Blocks alternate between the pairs (which one goes first alternating too); the
            // first round warms up.
            for round in 0..blocks + 1 {
                for which in [round % 2, 1 - round % 2] {
                    let rate = pairs[which].block(&payloads[case], *count)?;
                    if round > 0 {
                        r[which].push(rate);
                    }
                }
            }
            rates[case].push(r);
        }
    }
    let mut rows = Vec::new();
    for ((size, (blocks, count), ids, label), rates) in cases.into_iter().zip(rates) {
        let all = |which: usize| -> Vec<f64> {
            rates
                .iter()
                .flat_map(|s| s[which].iter().copied())
                .collect()
        };
        let (o, r) = (fastest(&all(0)), fastest(&all(1)));
        let per_session: Vec<String> = rates
            .iter()
            .map(|s| format!("{:.2}", fastest(&s[0]) / fastest(&s[1])))
            .collect();
        let note = format!(
            "medians {:.0} vs {:.0} msgs/s (ratio {:.2}); fastest-block ratio per session: {}",
            median(&all(0)),
            median(&all(1)),
            median(&all(0)) / median(&all(1)),
            per_session.join(", ")
        );
        let what = format!(
            "zeromq_socket_send -> zeromq_socket_recv (PUSH -> PULL, {label}, whole messages, blocking), per CPU second of sender + receiver (fastest of {sessions} x {blocks} blocks of {count}, alternating) vs raw zmq PUSH -> PULL, same process"
        );
        rows.extend(Row::throughput_pair(
            ids,
            [
                what,
                format!("{label} generic send/receive, payload bytes vs raw zmq"),
            ],
            (o, r, size),
            0.95,
            note,
        ));
    }
    Ok(rows)
}
