//! `zeromq_reply`: the reply a dispatcher builds.

use super::wave::zeromq_wave;
use super::{bytes, call, handle};
use crate::error::{Error, Result};
use crate::protocol::{reply_code_valid, Reply, Value};

/// The reply under construction, passed to the dispatcher. Valid only during that call.
pub struct zeromq_reply {
    _private: [u8; 0],
}

/// The reply behind a handle; NULL is `ZEROMQ_ERR_INVALID_ARG`.
///
/// # Safety
///
/// `r` is NULL or the reply pointer the library passed to the running dispatcher, and no
/// other reference to that reply is used while the result lives.
unsafe fn get<'a>(r: *mut zeromq_reply) -> Result<&'a mut Reply> {
    let r = r as *mut Reply;
    // SAFETY: the caller passes NULL or the live reply handed to the dispatcher.
    unsafe { handle(r as *const Reply, "reply") }?;
    // SAFETY: non-NULL, and the library passed this pointer to the dispatcher; the caller
    // uses no other reference to it meanwhile.
    Ok(unsafe { &mut *r })
}

/// Push a result (a by-reference value when `by_ref`) onto the reply behind `r`.
///
/// # Safety
///
/// As for [`get`]: `r` is NULL or the reply passed to the running dispatcher.
unsafe fn push(r: *mut zeromq_reply, v: Value, by_ref: bool) -> i32 {
    call(|| {
        // SAFETY: `r` is NULL or the dispatcher's reply (this function's contract).
        let r = unsafe { get(r) }?;
        if by_ref {
            r.push_by_ref(v)
        } else {
            r.push(v)
        }
        Ok(())
    })
}

/// Push a text result made by `value` from the `len` bytes at `text` (copied; `what` names the
/// argument in an error).
///
/// # Safety
///
/// As for [`push`]; `text` is NULL or points to `len` readable bytes.
unsafe fn push_text(
    r: *mut zeromq_reply,
    text: *const std::ffi::c_char,
    len: usize,
    what: &str,
    value: fn(Vec<u8>) -> Value,
    by_ref: bool,
) -> i32 {
    // SAFETY: `text` is NULL or points to `len` readable bytes (this function's contract).
    match unsafe { bytes(text, len, what) } {
        // SAFETY: `r` is NULL or the reply passed to the running dispatcher.
        Ok(b) => unsafe { push(r, value(b.to_vec()), by_ref) },
        Err(e) => super::fail(e),
    }
}

/// Set the reply's error: `code` checked as for [`zeromq_reply_error`], then `set` gets the
/// reply and the `len` bytes at `text` (`what` names them in an error).
///
/// # Safety
///
/// As for [`push_text`].
unsafe fn set_error(
    r: *mut zeromq_reply,
    code: i32,
    text: *const std::ffi::c_char,
    len: usize,
    what: &str,
    set: impl FnOnce(&mut Reply, &[u8]),
) -> i32 {
    call(|| {
        // SAFETY: `r` is NULL or the reply passed to the running dispatcher (this function's
        // contract).
        let r = unsafe { get(r) }?;
        if !reply_code_valid(code) || code == 0 {
            return Err(Error::invalid_arg(format!(
                "{code} is not a request error code (1..8, 100..107, 10002..10013)."
            )));
        }
        // SAFETY: `text` is NULL or points to `len` readable bytes (this function's contract).
        set(r, unsafe { bytes(text, len, what) }?);
        Ok(())
    })
}

/// Answer with an error: `req_code` is a `ZEROMQ_REQ_*` code (1..8, 100..107) or an error
/// number 10002..10013; `history` (may be NULL with `len` 0) is the text the function printed,
/// reported for `ZEROMQ_REQ_FUNCTION_ABORTED` after trimming. Results pushed before or after
/// are not sent.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for an unknown code or NULL arguments.
///
/// Thread safety: use it on the dispatching thread.
///
/// # Safety
///
/// `r` must be NULL or the reply passed to the running dispatcher; `history` must be NULL or
/// point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_reply_error(
    r: *mut zeromq_reply,
    req_code: i32,
    history: *const std::ffi::c_char,
    len: usize,
) -> i32 {
    // SAFETY: the function's contract is `set_error`'s.
    unsafe {
        set_error(r, req_code, history, len, "history", |r, h| {
            r.error(req_code, if h.is_empty() { None } else { Some(h) })
        })
    }
}

/// Answer with an error and an explicit `msg` text (`len` bytes, copied) instead of the
/// standard text of the code, e.g. `ZEROMQ_ERR_INTERNAL` with what exactly failed in the host.
/// `code` as for `zeromq_reply_error`.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for an unknown code or NULL arguments.
///
/// Thread safety: use it on the dispatching thread.
///
/// # Safety
///
/// `r` must be NULL or the reply passed to the running dispatcher; `msg` must be NULL or point
/// to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_reply_error_message(
    r: *mut zeromq_reply,
    code: i32,
    msg: *const std::ffi::c_char,
    len: usize,
) -> i32 {
    // SAFETY: the function's contract is `set_error`'s.
    unsafe {
        set_error(r, code, msg, len, "msg", |r, m| {
            r.error_with_message(code, &String::from_utf8_lossy(m))
        })
    }
}

/// Make `result` a flat array of every pushed result, as for a function with several return
/// values (even with one or none).
///
/// Thread safety: use it on the dispatching thread.
///
/// # Safety
///
/// `r` must be NULL or the reply passed to the running dispatcher.
#[no_mangle]
pub unsafe extern "C" fn zeromq_reply_multiple(r: *mut zeromq_reply) -> i32 {
    call(|| {
        // SAFETY: `r` is NULL or the reply passed to the running dispatcher (the function's
        // contract).
        unsafe { get(r) }?.set_multiple();
        Ok(())
    })
}

/// Push a number result (`{"type": "variable"}`; NaN and infinities as `"nan"`, `"inf"`,
/// `"-inf"`).
///
/// Thread safety: use it on the dispatching thread.
///
/// # Safety
///
/// `r` must be NULL or the reply passed to the running dispatcher.
#[no_mangle]
pub unsafe extern "C" fn zeromq_reply_variable(r: *mut zeromq_reply, value: f64) -> i32 {
    // SAFETY: `r` is NULL or the reply passed to the running dispatcher.
    unsafe { push(r, Value::Variable(value), false) }
}

/// Push a string result (`len` bytes, copied; invalid UTF-8 is replaced when sent).
///
/// Thread safety: use it on the dispatching thread.
///
/// # Safety
///
/// `r` must be NULL or the reply passed to the running dispatcher; `s` must be NULL or point to
/// `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_reply_string(
    r: *mut zeromq_reply,
    s: *const std::ffi::c_char,
    len: usize,
) -> i32 {
    // SAFETY: the function's contract is `push_text`'s.
    unsafe { push_text(r, s, len, "s", Value::String, false) }
}

/// Push a data folder result: a full path such as `root:Packages:`, `free` or `null` (an
/// empty path or one inside a killed folder is sent as `null`).
///
/// Thread safety: use it on the dispatching thread.
///
/// # Safety
///
/// `r` must be NULL or the reply passed to the running dispatcher; `path` must be NULL or point
/// to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_reply_dfref(
    r: *mut zeromq_reply,
    path: *const std::ffi::c_char,
    len: usize,
) -> i32 {
    // SAFETY: the function's contract is `push_text`'s.
    unsafe { push_text(r, path, len, "path", Value::Dfref, false) }
}

/// Push a wave result. Takes ownership of `wave` (also on failure); do not use or free it
/// afterwards. NULL pushes a null wave (`"value": null`).
///
/// Thread safety: use it on the dispatching thread.
///
/// # Safety
///
/// `r` must be NULL or the reply passed to the running dispatcher; `wave` must be NULL or a
/// live wave the caller owns.
#[no_mangle]
pub unsafe extern "C" fn zeromq_reply_wave(r: *mut zeromq_reply, wave: *mut zeromq_wave) -> i32 {
    let w = if wave.is_null() {
        None
    } else {
        // SAFETY: a non-NULL `wave` came from `zeromq_wave_new` and the caller hands it over
        // here, once (the function's contract).
        Some(Box::new(unsafe { Box::from_raw(wave) }.inner))
    };
    // SAFETY: `r` is NULL or the reply passed to the running dispatcher.
    unsafe { push(r, Value::Wave(w), false) }
}

/// Push the value of a by-reference number parameter after the call (`passByReference`).
///
/// Thread safety: use it on the dispatching thread.
///
/// # Safety
///
/// `r` must be NULL or the reply passed to the running dispatcher.
#[no_mangle]
pub unsafe extern "C" fn zeromq_reply_by_ref_variable(r: *mut zeromq_reply, value: f64) -> i32 {
    // SAFETY: `r` is NULL or the reply passed to the running dispatcher.
    unsafe { push(r, Value::Variable(value), true) }
}

/// Push the value of a by-reference string parameter after the call.
///
/// Thread safety: use it on the dispatching thread.
///
/// # Safety
///
/// `r` must be NULL or the reply passed to the running dispatcher; `s` must be NULL or point to
/// `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_reply_by_ref_string(
    r: *mut zeromq_reply,
    s: *const std::ffi::c_char,
    len: usize,
) -> i32 {
    // SAFETY: the function's contract is `push_text`'s.
    unsafe { push_text(r, s, len, "s", Value::String, true) }
}

/// Push the value of a by-reference data folder parameter after the call.
///
/// Thread safety: use it on the dispatching thread.
///
/// # Safety
///
/// `r` must be NULL or the reply passed to the running dispatcher; `path` must be NULL or point
/// to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_reply_by_ref_dfref(
    r: *mut zeromq_reply,
    path: *const std::ffi::c_char,
    len: usize,
) -> i32 {
    // SAFETY: the function's contract is `push_text`'s.
    unsafe { push_text(r, path, len, "path", Value::Dfref, true) }
}
