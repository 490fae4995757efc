//! The Python client package's own test suite (`python/tests`, pytest) against the demo host
//! built by this crate: `python3 -m pytest python/tests`. Needs python3 with pyzmq, numpy and
//! pytest (`scripts/install-deps.sh`).

use std::process::Command;

#[test]
fn python_client_pytest_suite_passes() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("timeout")
        .args([
            "300",
            "python3",
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
        ])
        .arg(format!("{root}/python/tests"))
        .env("ZEROMQ_XOP_BIN", env!("CARGO_BIN_EXE_zeromq-xop"))
        .current_dir(root)
        .output()
        .expect("run python3 -m pytest");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "the Python client's tests failed:\n{stdout}\n{stderr}"
    );
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(
        summary.contains(" passed") && !summary.contains("failed"),
        "{summary}"
    );
}
