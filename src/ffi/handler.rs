//! Remote calls: the handler, the dispatcher and the call being dispatched.

use super::message::zeromq_message;
use super::reply::zeromq_reply;
use super::{boundary, bytes, call, fail, handle, manager, out_ptr};
use crate::error::{req, Error};
use crate::handler::Dispatch;
use crate::protocol::{strtod_full, Call, Reply};
use std::ffi::c_void;
use std::sync::Arc;

/// A validated request being dispatched. Valid only during the dispatcher call it is passed
/// to; do not keep the pointer or data borrowed from it afterwards.
pub struct zeromq_call {
    _private: [u8; 0],
}

impl zeromq_call {
    pub(crate) fn from_call(c: &Call) -> *const zeromq_call {
        c as *const Call as *const zeromq_call
    }

    /// The call behind a handle; NULL is `ZEROMQ_ERR_INVALID_ARG`.
    ///
    /// # Safety
    ///
    /// `p` is NULL or the call pointer the library passed to the running dispatcher (made by
    /// [`zeromq_call::from_call`]), which stays valid while the result lives.
    pub(crate) unsafe fn get<'a>(p: *const zeromq_call) -> crate::error::Result<&'a Call> {
        // SAFETY: the caller passes NULL or a pointer to a live `Call` (this function's
        // contract).
        unsafe { handle(p as *const Call, "call") }
    }
}

/// The host's dispatcher: runs the function named by `call` and answers through `reply` with
/// `zeromq_reply_*`. Called on the thread that calls `zeromq_handler_process` (or
/// `zeromq_test_callfunction`), one call at a time. It must not unwind or `longjmp` out.
pub type zeromq_dispatch_fn = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        call: *const zeromq_call,
        reply: *mut zeromq_reply,
    ),
>;

/// Request status: success.
pub const ZEROMQ_REQ_SUCCESS: i32 = 0;
/// Request status: unknown error.
pub const ZEROMQ_REQ_UNKNOWN_ERROR: i32 = 1;
/// Request status: not valid JSON.
pub const ZEROMQ_REQ_INVALID_JSON_OBJECT: i32 = 3;
/// Request status: version missing or not 1.
pub const ZEROMQ_REQ_INVALID_VERSION: i32 = 4;
/// Request status: CallFunction missing or not an object.
pub const ZEROMQ_REQ_INVALID_OPERATION: i32 = 5;
/// Request status: CallFunction has the wrong members.
pub const ZEROMQ_REQ_INVALID_OPERATION_FORMAT: i32 = 6;
/// Request status: messageID is not a string of 1..255 bytes.
pub const ZEROMQ_REQ_INVALID_MESSAGEID: i32 = 7;
/// Request status: out of memory (also: the call queue is full).
pub const ZEROMQ_REQ_OUT_OF_MEMORY: i32 = 8;
/// Request status: the host's procedures are not compiled.
pub const ZEROMQ_REQ_PROC_NOT_COMPILED: i32 = 100;
/// Request status: no such function.
pub const ZEROMQ_REQ_NON_EXISTING_FUNCTION: i32 = 101;
/// Request status: too few parameters.
pub const ZEROMQ_REQ_TOO_FEW_FUNCTION_PARAMS: i32 = 102;
/// Request status: too many parameters.
pub const ZEROMQ_REQ_TOO_MANY_FUNCTION_PARAMS: i32 = 103;
/// Request status: unsupported function signature.
pub const ZEROMQ_REQ_UNSUPPORTED_FUNC_SIG: i32 = 104;
/// Request status: unsupported return type.
pub const ZEROMQ_REQ_UNSUPPORTED_FUNC_RET: i32 = 105;
/// Request status: a parameter is invalid (e.g. not numeric for a numeric parameter).
pub const ZEROMQ_REQ_INVALID_PARAM_FORMAT: i32 = 106;
/// Request status: the function was aborted (or raised an error).
pub const ZEROMQ_REQ_FUNCTION_ABORTED: i32 = 107;

/// Parameter kind: a JSON string.
pub const ZEROMQ_PARAM_STRING: i32 = 0;
/// Parameter kind: a JSON number.
pub const ZEROMQ_PARAM_NUMBER: i32 = 1;
/// Parameter kind: a JSON boolean.
pub const ZEROMQ_PARAM_BOOL: i32 = 2;
/// Parameter kind: a wave object (its text is empty; read it with `zeromq_call_param_wave`).
pub const ZEROMQ_PARAM_WAVE: i32 = 3;

struct CDispatch {
    f: unsafe extern "C" fn(*mut c_void, *const zeromq_call, *mut zeromq_reply),
    user_data: usize,
}

impl Dispatch for CDispatch {
    fn dispatch(&self, call: &Call, reply: &mut Reply) {
        // SAFETY: the host registered `f` with this user data; the pointers live for the call.
        unsafe {
            (self.f)(
                self.user_data as *mut c_void,
                zeromq_call::from_call(call),
                reply as *mut Reply as *mut zeromq_reply,
            )
        }
    }
}

/// Install the function that runs remote calls (NULL: none; then every call is answered with
/// `ZEROMQ_REQ_NON_EXISTING_FUNCTION`). `user_data` is passed back unchanged.
///
/// Thread safety: may be called from any thread; a dispatch in progress finishes with the
/// previous dispatcher.
///
/// # Safety
///
/// `f`, when not NULL, must be safe to call with `user_data` on the thread that runs
/// `zeromq_handler_process` (or `zeromq_test_callfunction`) for as long as it stays installed.
#[no_mangle]
pub unsafe extern "C" fn zeromq_set_dispatcher(
    f: zeromq_dispatch_fn,
    user_data: *mut c_void,
) -> i32 {
    call(|| {
        let d: Option<Arc<dyn Dispatch>> = f.map(|f| {
            Arc::new(CDispatch {
                f,
                user_data: user_data as usize,
            }) as Arc<dyn Dispatch>
        });
        manager().handler.set_dispatcher(d);
        Ok(())
    })
}

/// Start the message handler thread: it receives requests on the server socket, answers
/// malformed ones at once and queues valid calls for `zeromq_handler_process`.
///
/// Returns `ZEROMQ_ERR_HANDLER_ALREADY_RUNNING`, or `ZEROMQ_ERR_HANDLER_NO_CONNECTION` when
/// the server socket has no bind.
///
/// Thread safety: may be called from any thread.
#[no_mangle]
pub extern "C" fn zeromq_handler_start() -> i32 {
    call(|| manager().handler.start())
}

/// Stop the message handler thread and wait for it (promptly). A no-op when it is not
/// running. Queued calls stay queued.
///
/// Thread safety: may be called from any thread except from inside the dispatcher.
#[no_mangle]
pub extern "C" fn zeromq_handler_stop() -> i32 {
    call(|| {
        manager().handler.stop();
        Ok(())
    })
}

/// The host's idle work: run every queued call on this thread through the dispatcher, send
/// each reply to the client it came from, then deliver queued output (see
/// `zeromq_set_output`). `*processed` (if not NULL) gets the number of calls run. Calling it
/// from inside a dispatch runs nothing.
///
/// Thread safety: call it from the host's main thread (the thread user functions may run on).
///
/// # Safety
///
/// `processed` must be NULL or valid for writing one `uint32_t`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_handler_process(processed: *mut u32) -> i32 {
    boundary(|| {
        let n = manager().handler.process();
        // SAFETY: `processed` is NULL or the caller's writable `u32` (the function's contract).
        if let Some(p) = unsafe { processed.as_mut() } {
            *p = n;
        }
        0
    })
}

/// Sleep until a call is queued, output from a background thread is waiting, another thread
/// calls `zeromq_stop` or `zeromq_shutdown`, or `timeout_ms` passes (-1: no limit, 0: return
/// at once). Returns 0 either way; `zeromq_handler_process` does the work.
///
/// Thread safety: may be called from any thread.
#[no_mangle]
pub extern "C" fn zeromq_handler_wait(timeout_ms: i32) -> i32 {
    call(|| {
        manager().handler.wait(timeout_ms);
        Ok(())
    })
}

/// Run a CallFunction request (`len` bytes of JSON) synchronously on this thread through the
/// dispatcher, without sockets, and return the reply JSON (pretty-printed) as a one-frame
/// message in `*reply`, owned by the caller. Protocol errors are encoded in the reply. A
/// request with `"binary": true` gets the frames a network client would: the JSON, then one
/// frame per numeric wave (`{"buffer": k}` is frame k + 1).
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for NULL `reply` or NULL `json` with a length.
///
/// Thread safety: may be called from any thread; the dispatcher runs on it.
///
/// # Safety
///
/// `json` must be NULL or point to `len` readable bytes; `reply` must be NULL or valid for
/// writing one `zeromq_message *`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_test_callfunction(
    json: *const std::ffi::c_char,
    len: usize,
    reply: *mut *mut zeromq_message,
) -> i32 {
    call(|| {
        // SAFETY: `reply` is NULL or the caller's writable message slot.
        let out = unsafe { out_ptr(reply, "reply") }?;
        // SAFETY: `json` is NULL or points to `len` readable bytes (the function's contract).
        let payload = unsafe { bytes(json, len, "json") }?;
        let frames = manager().handler.test_callfunction_frames(payload);
        *out = zeromq_message::from_bytes(frames);
        Ok(())
    })
}

/// The called function's name: `*name` points to `*len` bytes (UTF-8, followed by a NUL byte),
/// valid during the dispatch.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for NULL arguments.
///
/// Thread safety: use it on the dispatching thread.
///
/// # Safety
///
/// `c` must be NULL or the call passed to the running dispatcher; `name` must be NULL or valid
/// for writing one `const char *`; `len` must be NULL or valid for writing one `size_t`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_call_name(
    c: *const zeromq_call,
    name: *mut *const std::ffi::c_char,
    len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: `c` is NULL or the call passed to the running dispatcher.
        let c = unsafe { zeromq_call::get(c) }?;
        // SAFETY: `name` and `len` are NULL or the caller's writable slots, distinct from
        // each other (the function's contract).
        let (n, l) = unsafe { (out_ptr(name, "name")?, out_ptr(len, "len")?) };
        *n = c.name_with_nul().as_ptr() as *const std::ffi::c_char;
        *l = c.name().len();
        Ok(())
    })
}

/// The number of parameters the client sent; 0 for NULL.
///
/// Thread safety: use it on the dispatching thread.
///
/// # Safety
///
/// `c` must be NULL or the call passed to the running dispatcher.
#[no_mangle]
pub unsafe extern "C" fn zeromq_call_param_count(c: *const zeromq_call) -> usize {
    super::boundary_value(0, || {
        // SAFETY: `c` is NULL or the call passed to the running dispatcher.
        unsafe { zeromq_call::get(c) }.map_or(0, |c| c.params.len())
    })
}

/// Parameter `index`: `*kind` gets its JSON type (`ZEROMQ_PARAM_STRING`, `_NUMBER`, `_BOOL`,
/// `_WAVE`; a wave's text is empty, see `zeromq_call_param_wave`),
/// `*text` / `*len` its text as the reference passes it (numbers as `%.15g`, booleans `"1"` /
/// `"0"`), UTF-8 followed by a NUL byte, valid during the dispatch. `kind` may be NULL.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for an index out of range or NULL `text`/`len`.
///
/// Thread safety: use it on the dispatching thread.
///
/// # Safety
///
/// `c` must be NULL or the call passed to the running dispatcher; `kind` must be NULL or valid
/// for writing one `int32_t`; `text` must be NULL or valid for writing one `const char *`;
/// `len` must be NULL or valid for writing one `size_t`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_call_param(
    c: *const zeromq_call,
    index: usize,
    kind: *mut i32,
    text: *mut *const std::ffi::c_char,
    len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: `c` is NULL or the call passed to the running dispatcher.
        let c = unsafe { zeromq_call::get(c) }?;
        // SAFETY: `text` and `len` are NULL or the caller's writable slots, distinct from
        // each other (the function's contract).
        let (t, l) = unsafe { (out_ptr(text, "text")?, out_ptr(len, "len")?) };
        let p = param(c, index)?;
        // SAFETY: `kind` is NULL or the caller's writable `i32` (the function's contract).
        if let Some(k) = unsafe { kind.as_mut() } {
            *k = p.kind as i32;
        }
        *t = p.text_with_nul().as_ptr() as *const std::ffi::c_char;
        *l = p.text().len();
        Ok(())
    })
}

fn param(c: &Call, index: usize) -> crate::error::Result<&crate::protocol::Param> {
    c.params.get(index).ok_or_else(|| {
        Error::invalid_arg(format!(
            "Parameter index {index} is out of range: the call has {} parameter(s).",
            c.params.len()
        ))
    })
}

/// Parameter `index` converted like C `strtod` over the whole text (leading white space,
/// `inf`, `nan`, hex; the empty text is 0). Returns `ZEROMQ_REQ_INVALID_PARAM_FORMAT` (106)
/// when the text is not fully numeric or the parameter is a wave (pass it on with
/// `zeromq_reply_error`),
/// `ZEROMQ_ERR_INVALID_ARG` for bad arguments. `*value` is written only on success.
///
/// Thread safety: use it on the dispatching thread.
///
/// # Safety
///
/// `c` must be NULL or the call passed to the running dispatcher; `value` must be NULL or valid
/// for writing one `double`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_call_param_double(
    c: *const zeromq_call,
    index: usize,
    value: *mut f64,
) -> i32 {
    boundary(|| {
        let r = (|| {
            // SAFETY: `c` is NULL or the call passed to the running dispatcher.
            let c = unsafe { zeromq_call::get(c) }?;
            // SAFETY: `value` is NULL or the caller's writable `f64` (the function's contract).
            let v = unsafe { out_ptr(value, "value") }?;
            Ok::<_, Error>((param(c, index)?, v))
        })();
        match r {
            Err(e) => fail(e),
            Ok((p, v)) => match strtod_full(p.text()).filter(|_| p.wave().is_none()) {
                Some(x) => {
                    *v = x;
                    0
                }
                None => {
                    let what = match p.wave() {
                        Some(_) => "a wave".to_string(),
                        None => format!("\"{}\"", p.text()),
                    };
                    crate::error::set_last_error(&format!(
                        "Parameter {index} ({what}) is not a number."
                    ));
                    req::INVALID_PARAM_FORMAT
                }
            },
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_match_the_core() {
        assert_eq!(ZEROMQ_REQ_SUCCESS, req::SUCCESS);
        assert_eq!(ZEROMQ_REQ_UNKNOWN_ERROR, req::UNKNOWN_ERROR);
        assert_eq!(ZEROMQ_REQ_INVALID_JSON_OBJECT, req::INVALID_JSON_OBJECT);
        assert_eq!(ZEROMQ_REQ_INVALID_VERSION, req::INVALID_VERSION);
        assert_eq!(ZEROMQ_REQ_INVALID_OPERATION, req::INVALID_OPERATION);
        assert_eq!(
            ZEROMQ_REQ_INVALID_OPERATION_FORMAT,
            req::INVALID_OPERATION_FORMAT
        );
        assert_eq!(ZEROMQ_REQ_INVALID_MESSAGEID, req::INVALID_MESSAGEID);
        assert_eq!(ZEROMQ_REQ_OUT_OF_MEMORY, req::OUT_OF_MEMORY);
        assert_eq!(ZEROMQ_REQ_PROC_NOT_COMPILED, req::PROC_NOT_COMPILED);
        assert_eq!(ZEROMQ_REQ_NON_EXISTING_FUNCTION, req::NON_EXISTING_FUNCTION);
        assert_eq!(
            ZEROMQ_REQ_TOO_FEW_FUNCTION_PARAMS,
            req::TOO_FEW_FUNCTION_PARAMS
        );
        assert_eq!(
            ZEROMQ_REQ_TOO_MANY_FUNCTION_PARAMS,
            req::TOO_MANY_FUNCTION_PARAMS
        );
        assert_eq!(ZEROMQ_REQ_UNSUPPORTED_FUNC_SIG, req::UNSUPPORTED_FUNC_SIG);
        assert_eq!(ZEROMQ_REQ_UNSUPPORTED_FUNC_RET, req::UNSUPPORTED_FUNC_RET);
        assert_eq!(ZEROMQ_REQ_INVALID_PARAM_FORMAT, req::INVALID_PARAM_FORMAT);
        assert_eq!(ZEROMQ_REQ_FUNCTION_ABORTED, req::FUNCTION_ABORTED);
        use crate::protocol::ParamKind;
        assert_eq!(ZEROMQ_PARAM_STRING, ParamKind::String as i32);
        assert_eq!(ZEROMQ_PARAM_NUMBER, ParamKind::Number as i32);
        assert_eq!(ZEROMQ_PARAM_BOOL, ParamKind::Bool as i32);
        assert_eq!(ZEROMQ_PARAM_WAVE, ParamKind::Wave as i32);
    }
}
