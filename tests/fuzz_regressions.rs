//! Replays the fuzz corpus with the stable toolchain, so the regular `cargo test` covers it:
//! every committed seed (`fuzz/corpus/<target>/`) and every input that once made a target fail
//! (`fuzz/regressions/<target>/`) goes through the same harness functions the libFuzzer
//! targets call. Then a short, deterministic mutation run per target (a few seconds each,
//! fixed seed) tries inputs derived from the seeds.
//!
//! The long coverage-guided runs use cargo-fuzz: `scripts/hardening-fuzz.sh`.
//!
//! Environment: `ZEROMQ_XOP_FUZZ_SECONDS` sets the mutation run's time per target (default 2;
//! 0 skips it).

use zeromq_xop_fuzz_harness as harness;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

type Target = fn(&[u8]);

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Run one input, turning a panic into a message naming the file.
fn run(name: &str, f: Target, path: &Path, data: &[u8]) -> Result<(), String> {
    std::panic::catch_unwind(|| f(data)).map_err(|e| {
        let what = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        format!("{name}: {} ({} bytes): {what}", path.display(), data.len())
    })
}

fn replay(name: &str, f: Target) {
    let mut failures = Vec::new();
    let mut count = 0;
    for sub in ["corpus", "regressions"] {
        for path in inputs(&root().join(sub).join(name)) {
            let data = std::fs::read(&path).unwrap();
            count += 1;
            if let Err(e) = run(name, f, &path, &data) {
                failures.push(e);
            }
        }
    }
    assert!(
        count > 0,
        "no seeds for {name}: fuzz/corpus/{name}/ must not be empty"
    );
    assert!(
        failures.is_empty(),
        "{} of {count} inputs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("{name}: {count} committed inputs replayed");
}

#[test]
fn replay_phase_a() {
    replay("phase_a", harness::phase_a);
}

#[test]
fn replay_builders() {
    replay("builders", harness::builders);
}

#[test]
fn replay_logging_template() {
    replay("logging_template", harness::logging_template);
}

#[test]
fn replay_frames() {
    replay("frames", harness::frames);
}

#[test]
fn replay_handler_wire() {
    replay("handler_wire", harness::handler_wire);
}

#[test]
fn replay_security_parsing() {
    replay("security_parsing", harness::security_parsing);
}

/// A small deterministic mutator: flips, inserts, deletes, splices and interesting bytes.
struct Mutator {
    state: u64,
}

impl Mutator {
    fn next(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn mutate(&mut self, base: &[u8], other: &[u8]) -> Vec<u8> {
        const TOKENS: [&[u8]; 14] = [
            b"{",
            b"}",
            b"[",
            b"]",
            b"\"",
            b",",
            b":",
            b"null",
            b"1e308",
            b"-0",
            b"\\u0000",
            b"\"version\":1",
            b"\"CallFunction\":{\"name\":\"f\",\"params\":[",
            b"\xff\xfe",
        ];
        let mut v = base.to_vec();
        for _ in 0..1 + self.below(4) {
            let at = self.below(v.len() + 1);
            match self.below(7) {
                0 if !v.is_empty() => {
                    let i = self.below(v.len());
                    v[i] ^= 1 << self.below(8);
                }
                1 if !v.is_empty() => {
                    let i = self.below(v.len());
                    v[i] = [0, 0xff, 0x7f, 0x80, b'0', b'9'][self.below(6)];
                }
                2 => {
                    let t = TOKENS[self.below(TOKENS.len())];
                    v.splice(at..at, t.iter().copied());
                }
                3 if !v.is_empty() => {
                    let n = self.below(8).min(v.len() - at.min(v.len()));
                    v.drain(at.min(v.len())..at.min(v.len()) + n);
                }
                4 if !other.is_empty() => {
                    let s = self.below(other.len());
                    let n = self.below(other.len() - s + 1);
                    v.splice(at..at, other[s..s + n].iter().copied());
                }
                5 => {
                    let b = self.next() as u8;
                    v.insert(at, b);
                }
                _ => v.truncate(at),
            }
        }
        v.truncate(4096);
        v
    }
}

fn mutation_run(name: &str, f: Target) {
    let seconds: u64 = std::env::var("ZEROMQ_XOP_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2);
    if seconds == 0 {
        return;
    }
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    for sub in ["corpus", "regressions"] {
        for p in inputs(&root().join(sub).join(name)) {
            seeds.push(std::fs::read(p).unwrap());
        }
    }
    seeds.push(Vec::new());
    let mut m = Mutator {
        state: 0x5eed_0000_0000_0001 ^ name.len() as u64,
    };
    let end = Instant::now() + Duration::from_secs(seconds);
    let mut execs = 0u64;
    while Instant::now() < end {
        let a = m.below(seeds.len());
        let b = m.below(seeds.len());
        let input = m.mutate(&seeds[a], &seeds[b]);
        if let Err(e) = run(name, f, Path::new("<mutated>"), &input) {
            panic!(
                "{e}\ninput (hex): {}",
                input.iter().map(|b| format!("{b:02x}")).collect::<String>()
            );
        }
        execs += 1;
    }
    println!("{name}: {execs} mutated inputs in {seconds} s, no failure");
}

#[test]
fn mutation_phase_a() {
    mutation_run("phase_a", harness::phase_a);
}

#[test]
fn mutation_builders() {
    mutation_run("builders", harness::builders);
}

#[test]
fn mutation_logging_template() {
    mutation_run("logging_template", harness::logging_template);
}

#[test]
fn mutation_frames() {
    mutation_run("frames", harness::frames);
}

#[test]
fn mutation_handler_wire() {
    mutation_run("handler_wire", harness::handler_wire);
}

#[test]
fn mutation_security_parsing() {
    mutation_run("security_parsing", harness::security_parsing);
}

// ---------------------------------------------------------------------------------------------
// Findings about absurdly large host-built waves (inputs in fuzz/known-issues/). Each runs the
// case in a child process with a time limit, so a regression (an abort or an endless
// serialization) fails the test instead of taking the test binary down.

/// Run this test binary's test `name` in a child process with `ZEROMQ_XOP_CHILD` set; `Err`
/// when it crashes, fails or runs longer than `limit`.
fn in_child(name: &str, limit: Duration) -> Result<(), String> {
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", name, "--nocapture", "--test-threads=1"])
        .env("ZEROMQ_XOP_CHILD", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let end = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return if status.success() {
                Ok(())
            } else {
                Err(format!("child {status}"))
            };
        }
        if Instant::now() > end {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("still running after {limit:?}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn is_child() -> bool {
    std::env::var_os("ZEROMQ_XOP_CHILD").is_some()
}

/// A huge wave is refused with an error on every path that serializes it: the C function,
/// and the reply path, which answers REQ_OUT_OF_MEMORY (8) instead of ending the process.
fn huge_wave_is_refused(w: zeromq_xop::wave::Wave) {
    use zeromq_xop::json::Json;
    assert!(zeromq_xop::wave::try_serialize_pretty(Some(&w)).is_none());
    let mut reply = zeromq_xop::protocol::Reply::new(Some("big".into()));
    reply.push(zeromq_xop::protocol::Value::Wave(Some(Box::new(w))));
    let text = zeromq_xop::binary_reply::reply_text(&reply.to_json(), Some("big"));
    let v: serde_json::Value = serde_json::from_slice(&text).unwrap();
    assert_eq!(v["errorCode"]["value"], 8);
    assert_eq!(v["messageID"], "big");
    assert!(Json::Wave(None).try_pretty().is_some());
}

/// A never-filled wave described as 2^40 points: serializing it once allocated a zero buffer
/// of the full data size and aborted the process (SIGABRT).
#[test]
fn huge_unfilled_wave_is_an_error_not_an_abort() {
    use zeromq_xop::ffi::wave::*;
    use zeromq_xop::wave::{Wave, NT_FP64};
    if is_child() {
        huge_wave_is_refused(Wave::new(NT_FP64, &[1 << 40]).unwrap());
        let dims = [1u64 << 40];
        let mut w = std::ptr::null_mut();
        let mut out = std::ptr::null_mut();
        unsafe {
            assert_eq!(zeromq_wave_new(ZEROMQ_NT_FP64, dims.as_ptr(), 1, &mut w), 0);
            assert_eq!(zeromq_wave_serialize(w, &mut out), 10005);
            assert!(out.is_null());
            zeromq_wave_free(w);
        }
        return;
    }
    in_child(
        "huge_unfilled_wave_is_an_error_not_an_abort",
        Duration::from_secs(60),
    )
    .unwrap();
}

/// A zero-point wave with one huge dimension ([0, 2^60]) and one index label: its
/// `dimension.label.each` output would have 2^60 entries; it once grew until the process died.
#[test]
fn zero_point_wave_with_a_huge_labelled_dimension_is_an_error() {
    use zeromq_xop::wave::{Wave, NT_FP64};
    if is_child() {
        let mut w = Wave::new(NT_FP64, &[0, 1 << 60]).unwrap();
        w.set_dim_label(1, 5, b"x").unwrap();
        huge_wave_is_refused(w);
        return;
    }
    in_child(
        "zero_point_wave_with_a_huge_labelled_dimension_is_an_error",
        Duration::from_secs(30),
    )
    .unwrap();
}
