//! Row 8 of `zeromq-xop-bench`: a 1,000,000-point NT_FP64 wave between a Python client (the
//! `zeromq_xop` package in `python/`) and a host (the demo, in a child process), end to end:
//! returned by a call and decoded to numpy, and sent as a parameter, in binary mode and in JSON
//! mode, against a raw pyzmq REQ/REP transfer of the same 8 MB measured in the same run
//! (`bench/python_arrays.py`).

use crate::table::{Goal, Row};
use std::process::{Command, Stdio};

const SCRIPT: &str = include_str!("python_arrays.py");

/// Stops the demo host when the row is done (or fails).
struct Host(std::process::Child);

impl Drop for Host {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port_pair() -> Result<u16, String> {
    for _ in 0..50 {
        let a = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let p = a.local_addr().map_err(|e| e.to_string())?.port();
        if p < 65000 && std::net::TcpListener::bind(("127.0.0.1", p + 1)).is_ok() {
            return Ok(p);
        }
    }
    Err("no free port pair".into())
}

/// Run the Python measurement: seconds by name.
fn measure(quick: bool) -> Result<serde_json::Value, String> {
    let port = free_port_pair()?;
    let endpoint = format!("tcp://127.0.0.1:{port}");
    // The demo host is the `zeromq-xop` program, built beside this one.
    let exe = std::env::current_exe()
        .map_err(|e| e.to_string())?
        .with_file_name(format!("zeromq-xop{}", std::env::consts::EXE_SUFFIX));
    let mut child = Command::new(exe)
        .args(["demo", &endpoint, "--exit-after", "600"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the demo host: {e}"))?;
    // Ready once it has printed its first line (after binding).
    let mut first = String::new();
    if let Some(out) = child.stdout.as_mut() {
        use std::io::BufRead;
        let _ = std::io::BufReader::new(out).read_line(&mut first);
    }
    let _host = Host(child);
    let script = std::env::temp_dir().join(format!("zeromq-xop-bench-{}.py", std::process::id()));
    std::fs::write(&script, SCRIPT).map_err(|e| e.to_string())?;
    let (size, reps) = if quick { ("100", "3") } else { ("1000", "21") };
    let python_path = concat!(env!("CARGO_MANIFEST_DIR"), "/python");
    let out = Command::new(std::env::var("PYTHON").unwrap_or_else(|_| "python3".into()))
        .arg(&script)
        .args([&endpoint, size, size, reps])
        .env("PYTHONPATH", python_path)
        .output()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    let _ = std::fs::remove_file(&script);
    if !out.status.success() {
        return Err(format!(
            "the Python client failed (python3 with pyzmq and numpy needed): {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.lines().last().unwrap_or("")).map_err(|e| e.to_string())
}

/// The rows: megabytes per second for each direction, binary vs raw and binary vs JSON.
pub(super) fn rows(quick: bool) -> Vec<Row> {
    let v = match measure(quick) {
        Ok(v) => v,
        Err(e) => {
            return vec![Row {
                id: "8",
                what: "1M-point NT_FP64 wave, Python client end to end".into(),
                unit: "MB/s",
                ours: f64::NAN,
                base: None,
                goal: Goal::None,
                goal_text: "-".into(),
                note: e,
            }]
        }
    };
    let secs = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    let mb = v["bytes"].as_f64().unwrap_or(f64::NAN) / 1e6;
    let rate = |k: &str| mb / secs(k);
    let points = if quick { "10,000" } else { "1,000,000" };
    let row = |id, what: String, ours, base, goal, goal_text: &str, note: String| Row {
        id,
        what,
        unit: "MB/s",
        ours,
        base: Some(base),
        goal,
        goal_text: goal_text.into(),
        note,
    };
    let times = |a: &str, b: &str| {
        format!(
            "{:.1} ms vs {:.1} ms per call",
            secs(a) * 1e3,
            secs(b) * 1e3
        )
    };
    vec![
        row(
            "8a",
            format!("{points}-point NT_FP64 wave returned to a Python client (numpy), binary mode vs raw pyzmq REQ/REP of the same bytes"),
            rate("reply_binary"),
            rate("reply_raw"),
            Goal::AtLeast(0.7),
            "ratio ≥ 0.70",
            times("reply_binary", "reply_raw"),
        ),
        row(
            "8b",
            "the same, binary mode vs JSON mode (the reply format before binary frames)".into(),
            rate("reply_binary"),
            rate("reply_json"),
            Goal::AtLeast(30.0),
            "ratio ≥ 30",
            times("reply_binary", "reply_json"),
        ),
        row(
            "8c",
            format!("{points}-point NT_FP64 numpy array sent as a parameter, binary frame vs raw pyzmq REQ/REP"),
            rate("param_binary"),
            rate("param_raw"),
            Goal::AtLeast(0.7),
            "ratio ≥ 0.70",
            times("param_binary", "param_raw"),
        ),
        row(
            "8d",
            "the same, binary frame vs the array as JSON text".into(),
            rate("param_binary"),
            rate("param_json"),
            Goal::AtLeast(30.0),
            "ratio ≥ 30",
            times("param_binary", "param_json"),
        ),
    ]
}
