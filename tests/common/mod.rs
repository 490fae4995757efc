//! Helpers shared by the test binaries that drive the C functions.
#![allow(dead_code)]

pub mod host_loop;
pub mod octave;
pub mod serving;

use std::ffi::c_char;
use std::ptr::{null, null_mut};
use std::sync::{mpsc, Mutex, MutexGuard};
use std::time::Duration;
use zeromq_xop::ffi::handler::zeromq_test_callfunction;
use zeromq_xop::ffi::library::zeromq_last_error;
use zeromq_xop::ffi::message::{
    zeromq_message, zeromq_message_frame, zeromq_message_frame_count, zeromq_message_free,
};
use zeromq_xop::ffi::socket::zeromq_endpoints;
use zeromq_xop::ffi::wave::{zeromq_wave, zeromq_wave_new};

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

/// A Rust string as the `(pointer, length)` pair the C functions take.
pub fn text_arg(s: &str) -> (*const c_char, usize) {
    (s.as_ptr() as *const c_char, s.len())
}

/// The last endpoint `role` is bound or connected to (`zeromq_endpoints`), e.g. the port an
/// ephemeral `tcp://127.0.0.1:*` bind got.
pub fn bound_endpoint(role: i32) -> String {
    let mut m = null_mut();
    // SAFETY: `m` is a valid out pointer; the message is freed after copying its frames.
    assert_eq!(unsafe { zeromq_endpoints(role, &mut m) }, 0);
    let f = frames_of(m);
    // SAFETY: `m` came from zeromq_endpoints and is freed once.
    unsafe { zeromq_message_free(m) };
    String::from_utf8(f.last().expect("an endpoint").clone()).unwrap()
}

/// The reply text of `zeromq_test_callfunction(json)` (the call must be accepted).
pub fn test_call(json: &str) -> String {
    let mut m = null_mut();
    let (p, l) = text_arg(json);
    // SAFETY: `p`/`l` describe a live string and `m` is a valid out pointer.
    assert_eq!(unsafe { zeromq_test_callfunction(p, l, &mut m) }, 0);
    let r = String::from_utf8(frames_of(m).remove(0)).unwrap();
    // SAFETY: `m` came from zeromq_test_callfunction and is freed once.
    unsafe { zeromq_message_free(m) };
    r
}

/// A new wave of type `wtype` and dimensions `dims` (must succeed).
pub fn new_wave(wtype: i32, dims: &[u64]) -> *mut zeromq_wave {
    let mut w = null_mut();
    // SAFETY: `dims` is a live slice of `dims.len()` sizes and `w` a valid out pointer.
    let rc = unsafe { zeromq_wave_new(wtype, dims.as_ptr(), dims.len(), &mut w) };
    assert_eq!(
        rc,
        0,
        "zeromq_wave_new({wtype:#x}, {dims:?}): {}",
        last_error()
    );
    assert!(!w.is_null());
    w
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
