//! The MATLAB/Octave MEX gateway (`host-glue/matlab`), tested in a real GNU Octave.
//!
//! The first test to run builds the static library (`cargo test` builds only the rlib) with
//! the profile of this test run, compiles `zeromq_mex.mex` with `host-glue/matlab/build.sh`
//! into `target/<profile>/octave-mex/`, and then each test runs one scenario of
//! `host-glue/matlab/tests/octave_tests.py` (one at a time, each bounded by a timeout; the
//! scenarios live in the `octave_*.py` modules next to it).
//!
//! Octave with its development files, python3, pyzmq and numpy are required: when one is
//! missing the tests fail and say what to install (see `host-glue/matlab/DEPENDENCIES.txt`).
//! `PYTHON` chooses the Python interpreter, `OCTAVE` the octave executable.

mod common;

fn scenario(name: &str) {
    common::octave::scenario_of("octave_tests.py", name);
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

/// Keys, certificate files, CURVE between the session's sockets, rules and the allow list.
#[test]
fn octave_security_functions() {
    scenario("security");
}

/// Octave locked down (CURVE with pyzmq certificates, allowed keys, allowed functions) serves
/// an allowed pyzmq client and refuses the others.
#[test]
fn octave_serves_only_allowed_clients_and_functions() {
    scenario("secure_server");
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

/// Arrays of every class as parameters of remote calls, from the Python client.
#[test]
fn octave_receives_arrays_as_parameters() {
    scenario("waveparams");
}
