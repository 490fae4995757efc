//! What both programs built on the library (`zeromq-xop` and `zeromq-xop-bench`) need to call
//! its C functions from Rust: statuses as results with the detail text, and owned messages as
//! frames.

use zeromq_xop::ffi::library::zeromq_last_error;

/// The calling thread's last library error text.
pub fn last_error() -> String {
    let mut buf = vec![0u8; 1024];
    let mut len = 0usize;
    // SAFETY: the buffer has the capacity given.
    unsafe { zeromq_last_error(buf.as_mut_ptr() as *mut _, buf.len(), &mut len) };
    buf.truncate(len.min(buf.len() - 1));
    String::from_utf8_lossy(&buf).into_owned()
}

/// Turn a status into a result with the library's error text.
pub fn check(what: &str, status: i32) -> Result<(), String> {
    if status == 0 {
        Ok(())
    } else {
        Err(format!(
            "{what} failed with error {status}: {}",
            last_error()
        ))
    }
}

/// Frames of an owned library message, copied out, and the message freed.
pub fn take_frames(msg: *mut zeromq_xop::ffi::message::zeromq_message) -> Vec<Vec<u8>> {
    use zeromq_xop::ffi::message::*;
    let mut frames = Vec::new();
    // SAFETY: msg came from the library and is freed exactly once here.
    unsafe {
        for i in 0..zeromq_message_frame_count(msg) {
            let mut p = std::ptr::null();
            let mut n = 0usize;
            if zeromq_message_frame(msg, i, &mut p, &mut n) == 0 {
                frames.push(if n == 0 {
                    Vec::new()
                } else {
                    std::slice::from_raw_parts(p, n).to_vec()
                });
            }
        }
        zeromq_message_free(msg);
    }
    frames
}
