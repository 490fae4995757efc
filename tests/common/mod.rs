//! Helpers shared by the test binaries that drive the C functions.
#![allow(dead_code)]

pub mod octave;

use std::ptr::null;
use std::sync::mpsc;
use std::time::Duration;
use zeromq_xop::ffi::message::{zeromq_message, zeromq_message_frame, zeromq_message_frame_count};

/// Run `f` on its own thread; fail when it does not finish within `limit` (a deadlock or a
/// hang), so a test never hangs the suite.
pub fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        let _ = tx.send(r);
    });
    match rx.recv_timeout(limit) {
        Ok(Ok(v)) => v,
        Ok(Err(p)) => std::panic::resume_unwind(p),
        Err(_) => panic!("{what}: did not finish within {limit:?} (deadlock or hang)"),
    }
}

/// The frames of a library message, copied (the message is not freed).
pub fn frames_of(msg: *mut zeromq_message) -> Vec<Vec<u8>> {
    let n = unsafe { zeromq_message_frame_count(msg) };
    (0..n)
        .map(|i| {
            let (mut d, mut l) = (null(), 0usize);
            assert_eq!(unsafe { zeromq_message_frame(msg, i, &mut d, &mut l) }, 0);
            if l == 0 {
                Vec::new()
            } else {
                unsafe { std::slice::from_raw_parts(d, l) }.to_vec()
            }
        })
        .collect()
}
