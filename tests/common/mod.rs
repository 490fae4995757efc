//! Helpers shared by the test binaries that drive the C functions.
#![allow(dead_code)]

pub mod host_loop;
pub mod octave;

use std::ffi::c_char;
use std::ptr::null;
use std::sync::{mpsc, Mutex, MutexGuard};
use std::time::Duration;
use zeromq_xop::ffi::library::zeromq_last_error;
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

/// Serialize the tests of one binary that share the library's process-wide state, and point
/// its JSONL log at a folder of this test run (`tag` names it).
pub fn serial(tag: &str) -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    let g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    std::env::set_var(
        "ZEROMQ_XOP_LOG_DIR",
        std::env::temp_dir().join(format!("zeromq-xop-{tag}-{}", std::process::id())),
    );
    g
}

/// The calling thread's last library error text.
pub fn last_error() -> String {
    let mut buf = [0 as c_char; 1024];
    let mut len = 0usize;
    // SAFETY: the buffer has the capacity given; the library NUL-terminates within it.
    unsafe { zeromq_last_error(buf.as_mut_ptr(), buf.len(), &mut len) };
    let n = len.min(buf.len() - 1);
    // SAFETY: the first n bytes of buf were written by the library.
    String::from_utf8_lossy(unsafe { std::slice::from_raw_parts(buf.as_ptr() as *const u8, n) })
        .into_owned()
}

/// Resident memory of this process in KiB (Linux).
pub fn rss_kib() -> u64 {
    let s = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = s
        .split_whitespace()
        .nth(1)
        .and_then(|x| x.parse().ok())
        .unwrap_or(0);
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(1) as u64;
    pages * page / 1024
}

/// Runs `host-glue/<glue>/generate.py --check`: fails when a file generated from the glue's
/// interface description is out of date.
pub fn assert_generated_in_sync(glue: &str) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = root.join("host-glue").join(glue).join("generate.py");
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let output = std::process::Command::new(&python)
        .arg(&script)
        .arg("--check")
        .current_dir(root)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python} (set PYTHON to a Python 3): {e}"));
    assert!(
        output.status.success(),
        "generate.py --check failed ({}); run `python3 host-glue/{glue}/generate.py`:\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
