//! Row 3: the publisher against a raw PUB socket of the same process.

use crate::host::*;
use crate::support::{check, take_frames};
use crate::table::*;
use crate::{Sizes, TOPIC};
use std::ffi::c_char;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use zeromq_xop::ffi::socket::*;

/// A subscriber draining everything on its own thread and context.
pub(crate) struct Drain {
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
pub(crate) fn wait_subscribed(
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

pub(crate) fn publisher(sizes: Sizes) -> Result<Vec<Row>, String> {
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
        // The small message is where the library's own cost shows: it is held to 0.95x raw.
        let goal = if size <= 64 { 0.95 } else { 0.9 };
        rows.extend(Row::throughput_pair(
            ids,
            [
                format!(
                    "zeromq_pub_send, {label} payload, per CPU second of the sender (median of {blocks} blocks of {count}, all delivered) vs raw zmq PUB, same process",
                ),
                format!("zeromq_pub_send, {label} payload, payload bytes vs raw zmq PUB"),
            ],
            (o, r, size),
            goal,
            String::new(),
        ));
    }
    drop(ours_drain);
    drop(raw_drain);
    Ok(rows)
}
