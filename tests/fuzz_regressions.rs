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

#[path = "../fuzz/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 5] = [
    ("phase_a", harness::phase_a),
    ("builders", harness::builders),
    ("logging_template", harness::logging_template),
    ("frames", harness::frames),
    ("handler_wire", harness::handler_wire),
];

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
