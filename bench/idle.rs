//! Row 5: CPU used by an idle process with a running handler and a bound publisher, against a
//! receive loop with a 1 ms timeout (how the reference's handler waits).

use crate::child_process::*;
use crate::host::*;
use crate::support::check;
use crate::table::*;
use crate::Sizes;
use std::ffi::c_char;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use zeromq_xop::ffi::socket::*;

pub(crate) fn idle(sizes: Sizes) -> Result<Row, String> {
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

/// User + system CPU time of this process, seconds.
pub(crate) fn process_cpu() -> f64 {
    // SAFETY: getrusage writes into the struct.
    let ru = unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut ru);
        ru
    };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

pub(crate) fn measure_idle(secs: f64) -> f64 {
    std::thread::sleep(Duration::from_millis(500));
    let c0 = process_cpu();
    let t0 = Instant::now();
    std::thread::sleep(Duration::from_secs_f64(secs));
    let c1 = process_cpu();
    100.0 * (c1 - c0) / t0.elapsed().as_secs_f64()
}

pub(crate) fn child_idle_ours(secs: Option<&String>) -> Result<(), String> {
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

pub(crate) fn child_idle_poll(secs: Option<&String>) -> Result<(), String> {
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
