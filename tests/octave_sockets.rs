//! Generic sockets and polling from GNU Octave against pyzmq peers: REQ/REP both ways, a
//! PUSH/PULL pipeline, ROUTER/DEALER, an XPUB/XSUB forwarder, a poll over three sockets, bad
//! input and stale ids (`host-glue/matlab/tests/octave_sockets.py` with `check_sockets.m`).
//! Octave, its development files, python3, pyzmq and numpy are required.

mod common;

#[test]
fn octave_generic_sockets_against_pyzmq() {
    common::octave::scenario_of("octave_sockets.py", "sockets");
}
