//! `zeromq-xop-bench --quick` runs every benchmark row with reduced sizes and prints the table
//! with numbers in every row. Speed goals are what the benchmark measures, not what this test
//! checks: the quick sizes are too small for meaningful figures and the machine may be busy.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Every row the table must have.
const ROWS: [&str; 25] = [
    "1a", "1b", "1c", "1d", "2a", "2b", "3a", "3b", "3c", "3d", "4a", "4b", "5", "6", "7a", "7b",
    "7c", "8a", "8b", "8c", "8d", "9a", "9b", "9c", "9d",
];

/// Whether the nlohmann-json baseline can be built here (g++ and the header).
fn nlohmann_available() -> bool {
    let gxx = Command::new("g++")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    gxx && std::path::Path::new("/usr/include/nlohmann/json.hpp").exists()
}

fn number(cell: &str) -> Option<f64> {
    cell.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

#[test]
fn quick_bench_prints_every_row_with_numbers() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zeromq-xop-bench"))
        .args(["--quick"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start zeromq-xop-bench --quick");
    // Read stdout on a thread so that a full pipe cannot stall the child.
    let mut out = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let mut err = child.stderr.take().expect("stderr");
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    // The quick run takes a few seconds (plus compiling the C++ baseline once); allow for a
    // busy machine.
    let deadline = Instant::now() + Duration::from_secs(180);
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("zeromq-xop-bench --quick did not finish within 180 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stdout = reader.join().expect("stdout reader");
    let stderr = err_reader.join().expect("stderr reader");
    assert!(
        status.success(),
        "bench failed: {status}\n{stdout}\n{stderr}"
    );

    let nlohmann = nlohmann_available();
    for id in ROWS {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("| {id} |")))
            .unwrap_or_else(|| panic!("row {id} missing from:\n{stdout}"));
        // | row | measurement | unit | zeromq-xop | baseline | ratio | goal | status |
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        assert_eq!(
            cells.len(),
            10,
            "row {id} has the wrong number of columns: {line}"
        );
        assert!(
            number(cells[4]).is_some(),
            "row {id}: our figure is not a number: {line}"
        );
        let baseline_optional = id.starts_with('4') && !nlohmann;
        if baseline_optional && cells[5] == "baseline unavailable" {
            assert_eq!(
                cells[6], "-",
                "row {id}: a ratio without a baseline: {line}"
            );
        } else {
            assert!(
                number(cells[5]).is_some(),
                "row {id}: the baseline is not a number: {line}"
            );
            assert!(
                number(cells[6]).is_some(),
                "row {id}: the ratio is not a number: {line}"
            );
        }
        assert!(
            ["met", "missed", "info"].contains(&cells[8]),
            "row {id}: unexpected status: {line}"
        );
    }
    assert!(
        !stderr.contains("library output"),
        "the library reported a problem during the benchmark:\n{stderr}"
    );
}
