//! Row 6: resident memory of a host process after 100,000 calls against after 1,000.

use crate::host::*;
use crate::support::check;
use crate::table::*;
use crate::{Sizes, WINDOW};
use std::process::Command;
use std::time::{Duration, Instant};
use zeromq_xop::ffi::handler::*;

/// A host process for the memory row (`bench --child memory-ours` or `memory-raw`): it
/// prints its server endpoint, then its resident memory for every line read on stdin.
pub(crate) struct MemoryHost {
    child: std::process::Child,
    lines: std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
    endpoint: String,
}

impl MemoryHost {
    fn start(which: &str) -> Result<MemoryHost, String> {
        use std::io::BufRead;
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut child = Command::new(exe)
            .args(["--child", which])
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
pub(crate) fn memory_of(which: &str, sizes: Sizes) -> Result<[f64; 3], String> {
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

pub(crate) fn memory(sizes: Sizes) -> Result<Row, String> {
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

/// Resident set size of this process in KiB.
pub(crate) fn rss_kib() -> f64 {
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
pub(crate) fn child_memory(which: &str) -> Result<(), String> {
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
