//! Row 4: a wave returned by a call, to the reply JSON, against nlohmann-json.

use crate::child_process::*;
use crate::host::*;
use crate::support::{check, take_frames};
use crate::table::*;
use crate::{Sizes, NLOHMANN_SOURCE};
use std::ffi::c_char;
use std::path::{Path, PathBuf};
use std::process::Command;
use zeromq_xop::ffi::handler::*;
use zeromq_xop::ffi::message::*;

/// Compile bench/nlohmann_dump.cpp (cached in the temporary directory by source hash).
pub(crate) fn build_nlohmann() -> Result<PathBuf, String> {
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
pub(crate) struct NlohmannRun {
    total: f64,
    dump: f64,
}

pub(crate) fn run_nlohmann(
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
pub(crate) fn round15(v: f64) -> f64 {
    zeromq_xop::numbers::g15(v).parse().unwrap_or(v)
}

/// The reply to `request` through `zeromq_test_callfunction`, and the time it took.
pub(crate) fn reply_of(request: &[u8]) -> Result<Vec<u8>, String> {
    let mut msg = std::ptr::null_mut();
    // SAFETY: valid request and out pointer; the message is freed by take_frames.
    let rc = unsafe {
        zeromq_test_callfunction(request.as_ptr() as *const c_char, request.len(), &mut msg)
    };
    check("zeromq_test_callfunction", rc)?;
    Ok(take_frames(msg).pop().unwrap_or_default())
}

/// The thread CPU time the reply takes (the message is freed after the clock stops).
pub(crate) fn time_reply(request: &[u8]) -> Result<f64, String> {
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
pub(crate) fn same_values(
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

pub(crate) fn waves(sizes: Sizes, nlohmann: Result<PathBuf, String>) -> Result<Vec<Row>, String> {
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
pub(crate) fn child_wave(
    kind: &str,
    file: &str,
    iterations: &str,
    out: &str,
) -> Result<(), String> {
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
