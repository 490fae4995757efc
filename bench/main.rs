//! `zeromq-xop-bench`: measurements of the library against baselines measured in the same run
//! (see docs/BENCHMARKS.md).
//!
//! ```text
//! zeromq-xop-bench [--quick] [--only ROWS]
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
//! 7. What CURVE costs: the round trip and publishing (64 B, 1 MiB) with CURVE vs the same
//!    without (`curve.rs`).
//! 8. A 1,000,000-point NT_FP64 wave to and from a Python client end to end, binary mode vs
//!    raw pyzmq and vs JSON mode (`arrays.rs`; needs python3 with pyzmq and numpy).
//! 9. Generic sockets: PUSH -> PULL at 64 B and 1 MiB vs raw libzmq (`generic.rs`).
//!
//! Rows 5 and 6 measure child processes (`zeromq-xop-bench --child ...`) so that nothing else is
//! counted. `--quick` runs every row with reduced sizes (for tests); its figures are not
//! representative. `--only 1,4` runs some rows.

#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]

mod arrays;
mod calls;
mod child_process;
mod curve;
mod generic;
mod host;
mod idle;
mod memory;
mod publisher;
#[path = "../src/cli/support.rs"]
mod support;
mod table;
mod waves;

use calls::{pipelined, round_trips};
use host::Setup;
use idle::{child_idle_ours, child_idle_poll, idle};
use memory::{child_memory, memory};
use publisher::publisher;
use std::path::PathBuf;
use std::thread::JoinHandle;
use table::{print_table, Goal, Row};
use waves::child_wave;
use waves::{build_nlohmann, waves};

/// The request of the round-trip rows: a trivial function with two numbers.
pub(crate) const ADD_REQUEST: &[u8] =
    br#"{"version": 1, "CallFunction": {"name": "add", "params": [1, 2]}}"#;

/// Calls in flight in the pipelined rows.
pub(crate) const WINDOW: usize = 64;

/// The publisher rows' topic.
pub(crate) const TOPIC: &[u8] = b"bench";

/// The nlohmann-json baseline program, compiled at run time.
pub(crate) const NLOHMANN_SOURCE: &str = include_str!("nlohmann_dump.cpp");

/// Sizes of one run.
#[derive(Clone, Copy)]
pub(crate) struct Sizes {
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
    /// The sizes of a full run, or of a quick one (`--quick`: every row, reduced sizes).
    fn new(quick: bool) -> Sizes {
        // Each size as (full run, quick run).
        fn pick<T>(quick: bool, (full, reduced): (T, T)) -> T {
            if quick {
                reduced
            } else {
                full
            }
        }
        let q = quick;
        Sizes {
            quick,
            rt_rounds: pick(q, (20, 2)),
            rt_calls: pick(q, (1000, 200)),
            rt_warmup: pick(q, (2000, 100)),
            pipe_rounds: pick(q, (10, 2)),
            pipe_calls: pick(q, (20_000, 2_000)),
            pub_small: pick(q, ((200, 400), (4, 200))),
            pub_large: pick(q, ((100, 10), (4, 4))),
            gen_small: pick(q, ((20, 20_000), (4, 2_000))),
            gen_large: pick(q, ((20, 50), (4, 5))),
            wave_points: pick(q, (1_000_000, 100_000)),
            wave_iterations: pick(q, (21, 3)),
            idle_seconds: pick(q, (10.0, 1.0)),
            mem_first: 1_000,
            mem_total: pick(q, (100_000, 10_000)),
        }
    }
}

/// Run the benchmarks.
pub(crate) fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(run(&args));
}

/// Run the benchmarks with the command line's arguments; the process exit code.
pub(crate) fn run(args: &[String]) -> i32 {
    if args.first().map(String::as_str) == Some("--child") {
        return child(&args[1..]);
    }
    let mut sizes = Sizes::new(false);
    let mut only: Option<Vec<u32>> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--quick" => sizes = Sizes::new(true),
            "--only" => {
                let Some(v) = it.next() else {
                    eprintln!("zeromq-xop-bench: --only needs a value, e.g. --only 1,4");
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
                            "zeromq-xop-bench: --only takes row numbers 1..9, e.g. --only 1,4"
                        );
                        return 2;
                    }
                }
            }
            _ => {
                eprintln!("usage: zeromq-xop-bench [--quick] [--only ROWS]");
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
            eprintln!("zeromq-xop-bench: {e}");
            1
        }
    }
}

pub(crate) fn bench(sizes: Sizes, want: &dyn Fn(u32) -> bool) -> Result<Vec<Row>, String> {
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
    if want(7) {
        rows.extend(curve::costs(sizes.quick)?.into_iter().map(|c| Row {
            id: c.id,
            what: c.what,
            unit: c.unit,
            ours: c.curve,
            base: Some(c.plain),
            goal: Goal::None,
            goal_text: "cost of CURVE".into(),
            note: String::new(),
        }));
    }
    if want(8) {
        rows.extend(arrays::rows(sizes.quick));
    }
    if want(9) {
        rows.extend(generic::rows(sizes)?);
    }
    Ok(rows)
}

pub(crate) fn print_header(sizes: Sizes) {
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

/// The child processes: print `name value` pairs on stdout.
pub(crate) fn child(args: &[String]) -> i32 {
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
