//! Errors, output and library facts.

use super::{boundary, boundary_value, call, manager};
use crate::error::last_error;
use std::ffi::{c_char, c_void};

/// Copy the calling thread's last failure text (libzmq's errno text, the endpoint, which frame
/// was wrong, ...) into `buf` (capacity `cap` bytes), NUL-terminated and truncated to fit;
/// `*len` (if not NULL) gets the full length without the NUL. `buf` may be NULL when `cap` is
/// 0, to ask for the length. The text stays until the next failure on this thread.
///
/// Returns 0, or `ZEROMQ_ERR_INVALID_ARG` when `buf` is NULL with `cap` > 0.
///
/// Thread safety: may be called from any thread; each thread has its own text.
///
/// # Safety
///
/// `buf` must be NULL or point to `cap` writable bytes; `len` must be NULL or valid for writing
/// one `size_t`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_last_error(buf: *mut c_char, cap: usize, len: *mut usize) -> i32 {
    boundary(|| {
        let text = last_error();
        if buf.is_null() && cap > 0 {
            return crate::ffi::socket::ZEROMQ_ERR_INVALID_ARG;
        }
        // SAFETY: `len` is NULL or the caller's writable `usize` (the function's contract).
        if let Some(l) = unsafe { len.as_mut() } {
            *l = text.len();
        }
        if cap > 0 {
            let n = text.len().min(cap - 1);
            // SAFETY: `buf` is non-NULL here (checked above) and the caller gives `cap`
            // writable bytes there; `n + 1 <= cap`, and the library's own text cannot overlap
            // the caller's buffer.
            unsafe {
                std::ptr::copy_nonoverlapping(text.as_ptr(), buf as *mut u8, n);
                *buf.add(n) = 0;
            }
        }
        0
    })
}

/// Copy the text of any status code (`ZEROMQ_ERR_*`, 0) or REQ code (`ZEROMQ_REQ_*`, as it
/// appears in a reply's `msg`) into `buf` (capacity `cap` bytes), NUL-terminated and
/// truncated to fit; `*len` (if not NULL) gets the full length without the NUL. Hosts print
/// these texts instead of keeping tables of their own. `buf` may be NULL when `cap` is 0.
///
/// Returns 0, or `ZEROMQ_ERR_INVALID_ARG` for a number that is no code (nothing is written)
/// or `buf` NULL with `cap` > 0.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `buf` must be NULL or point to `cap` writable bytes; `len` must be NULL or valid for writing
/// one `size_t`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_error_text(
    code: i32,
    buf: *mut c_char,
    cap: usize,
    len: *mut usize,
) -> i32 {
    call(|| {
        let text = crate::error::code_text(code)
            .ok_or_else(|| crate::error::Error::invalid_arg(format!("{code} is not a code.")))?;
        if buf.is_null() && cap > 0 {
            return Err(crate::error::Error::invalid_arg("buf is NULL but cap > 0."));
        }
        // SAFETY: `len` is NULL or the caller's writable `usize` (the function's contract).
        if let Some(l) = unsafe { len.as_mut() } {
            *l = text.len();
        }
        if cap > 0 {
            let n = text.len().min(cap - 1);
            // SAFETY: `buf` is non-NULL here (checked above) and the caller gives `cap`
            // writable bytes there; `n + 1 <= cap`, and the library's own text cannot overlap
            // the caller's buffer.
            unsafe {
                std::ptr::copy_nonoverlapping(text.as_ptr(), buf as *mut u8, n);
                *buf.add(n) = 0;
            }
        }
        Ok(())
    })
}

/// Receives the library's debug and emergency lines (`len` bytes of UTF-8 text at `text`,
/// valid during the call, no trailing newline).
pub type zeromq_output_fn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, text: *const c_char, len: usize)>;

/// Install the function that prints the library's output (debug lines when
/// `ZEROMQ_SET_FLAGS_DEBUG` is on, emergency lines always). The calling thread becomes the
/// host's thread: output produced on it is delivered at once; output produced on other
/// threads (the handler, the heartbeat) is queued and delivered, in order, by
/// `zeromq_handler_process` on the host's thread. NULL removes the function (output is then
/// discarded).
///
/// Thread safety: call it from the host's main thread.
///
/// # Safety
///
/// `f`, when not NULL, must be safe to call with `user_data` on the host's thread for as long
/// as it stays installed.
#[no_mangle]
pub unsafe extern "C" fn zeromq_set_output(f: zeromq_output_fn, user_data: *mut c_void) -> i32 {
    call(|| {
        let ud = user_data as usize;
        manager().set_output(f.map(|f| {
            Box::new(move |text: &str| {
                // SAFETY: the host registered `f` with this user data.
                unsafe {
                    f(
                        ud as *mut c_void,
                        text.as_ptr() as *const c_char,
                        text.len(),
                    )
                }
            }) as Box<dyn Fn(&str) + Send + Sync>
        }));
        Ok(())
    })
}

/// The version of the libzmq linked into the library. NULL pointers are skipped.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `major`, `minor` and `patch` must each be NULL or valid for writing one `int32_t`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_libzmq_version(major: *mut i32, minor: *mut i32, patch: *mut i32) {
    boundary_value((), || {
        let (a, b, c) = zmq::version();
        for (p, v) in [(major, a), (minor, b), (patch, c)] {
            // SAFETY: each pointer is NULL or the caller's writable `i32` (the function's
            // contract).
            if let Some(p) = unsafe { p.as_mut() } {
                *p = v;
            }
        }
    })
}

/// This library's version, a static NUL-terminated string such as `"0.1.0"`. Do not free it.
///
/// Thread safety: may be called from any thread.
#[no_mangle]
pub extern "C" fn zeromq_library_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr() as *const c_char
}

/// 1 when the linked libzmq supports a capability (`len` bytes: "ipc", "pgm", "tipc", "norm",
/// "curve", "gssapi", "draft"), else 0 (also for NULL or unknown names).
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `capability` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_has(capability: *const c_char, len: usize) -> i32 {
    boundary_value(0, || {
        // SAFETY: `capability` is NULL or points to `len` readable bytes (the function's
        // contract).
        let Ok(b) = (unsafe { super::bytes(capability, len, "capability") }) else {
            return 0;
        };
        match std::str::from_utf8(b) {
            Ok(s) if !s.is_empty() && !s.contains('\0') => i32::from(zmq::has(s).unwrap_or(false)),
            _ => 0,
        }
    })
}
