//! The MATLAB/Octave MEX gateway (`host-glue/matlab`), tested in a real GNU Octave.
//!
//! The first test to run builds the static library (`cargo test` builds only the rlib) with
//! the profile of this test run, compiles `zeromq_mex.mex` with `host-glue/matlab/build.sh`
//! into `target/<profile>/octave-mex/`, and then each test runs one scenario of
//! `host-glue/matlab/tests/octave_tests.py` (one at a time, each bounded by a timeout).
//!
//! Octave with its development files, python3, pyzmq and numpy are required: when one is
//! missing the tests fail and say what to install (see `host-glue/matlab/DEPENDENCIES.txt`).
//! `PYTHON` chooses the Python interpreter, `OCTAVE` the octave executable.

mod common;

use common::octave::{glue_dir, mex_dir, octave, python, run};
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

/// Longest time one scenario may take before it is killed and failed.
const SCENARIO_TIMEOUT: Duration = Duration::from_secs(600);

/// Runs one scenario of octave_tests.py; scenarios run one at a time.
fn scenario(name: &str) {
    static SERIAL: Mutex<()> = Mutex::new(());
    let dir = mex_dir();
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut driver = Command::new(python());
    driver
        .arg(glue_dir().join("tests").join("octave_tests.py"))
        .arg("--octave")
        .arg(octave())
        .arg("--mex-dir")
        .arg(&dir)
        .arg(name);
    if let Err(e) = run(driver, &format!("octave_tests.py {name}"), SCENARIO_TIMEOUT) {
        panic!("Octave scenario `{name}`: {e} (its checks are printed above)");
    }
}

/// Error identifiers for bad input, the no-busy-wait flag, the local test entry points.
#[test]
fn octave_error_identifiers() {
    scenario("errors");
}

/// One Octave session as client and server at once.
#[test]
fn octave_client_and_server_in_one_session() {
    scenario("selfcall");
}

/// Octave serves remote calls to a pyzmq client: scalars, strings, a 3-D int16 array,
/// multiple outputs, errors.
#[test]
fn octave_serves_remote_calls() {
    scenario("server");
}

/// An Octave subscriber receives text, numeric frames and ScanImage int16 frames from Python.
#[test]
fn octave_subscriber_receives_frames() {
    scenario("subscriber");
}

/// Octave at its prompt: the idle hook serves calls, Ctrl-C ends receives and running calls.
#[test]
fn octave_prompt_idle_driver_and_ctrl_c() {
    scenario("interactive");
}
