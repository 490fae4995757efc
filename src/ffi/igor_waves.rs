//! The Igor glue's call check for requests that may carry wave parameters.

use super::handler::zeromq_call;
use super::igor::{check_call_with, zeromq_igor_signature};
use crate::protocol::ParamKind;

/// `zeromq_igor_check_call` over the parameters of `call` itself (their texts, and which of
/// them are waves): a by-value `WAVE` input accepts a wave parameter (read it with
/// `zeromq_call_param_wave` and pass the function a free wave built from it); a wave
/// parameter for a variable, string or data folder input is `ZEROMQ_REQ_INVALID_PARAM_FORMAT`
/// (106). Requests without wave parameters get exactly `zeromq_igor_check_call`'s answers (a
/// `WAVE` input given text, and every `WAVE &` input: 104).
///
/// Returns 0 or the code to answer with, as `zeromq_igor_check_call`; a NULL `call` or `out`
/// is `ZEROMQ_ERR_INVALID_ARG`.
///
/// Thread safety: use it on the dispatching thread (the call is valid during the dispatch).
///
/// # Safety
///
/// `param_types` must be NULL or point to `num_param_types` readable `int32_t`s; `call` must be
/// NULL or the call passed to the running dispatcher; `out` must be NULL or valid for writing
/// one `zeromq_igor_signature`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_igor_check_remote_call(
    lookup_error: i32,
    return_type: i32,
    param_types: *const i32,
    num_param_types: usize,
    num_required: i32,
    call: *const zeromq_call,
    out: *mut zeromq_igor_signature,
) -> i32 {
    let supplied = || {
        // SAFETY: `call` is NULL or the call passed to the running dispatcher (the contract).
        let c = unsafe { zeromq_call::get(call) }?;
        Ok(c.params
            .iter()
            .map(|p| (p.text().as_bytes(), p.kind == ParamKind::Wave))
            .collect())
    };
    // SAFETY: `param_types` and `out` are passed on under this function's own contract.
    unsafe {
        check_call_with(
            lookup_error,
            return_type,
            param_types,
            num_param_types,
            num_required,
            supplied,
            out,
        )
    }
}
