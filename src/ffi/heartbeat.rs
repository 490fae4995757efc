//! The publisher's heartbeat settings.

use super::{bytes, call, manager};

/// Set the topic (`len` bytes at `topic`) and period of the publisher's heartbeat, the
/// message `[topic, ""]` published when the publisher binds and then every `period_ms`
/// milliseconds while it has a bind. `period_ms` 0 turns the heartbeat off (subscribers to
/// "" then see only the host's messages). Default: "heartbeat" every 5000 ms, as the
/// reference. The setting is kept across `zeromq_stop` and `zeromq_shutdown` and takes
/// effect at once.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for a negative period, `topic` NULL with `len` > 0, or a
/// topic longer than `ZEROMQ_MAX_FILTER_LENGTH` bytes (the previous setting stays).
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `topic` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_set_heartbeat(
    topic: *const std::ffi::c_char,
    len: usize,
    period_ms: i32,
) -> i32 {
    // SAFETY: `topic` is NULL or points to `len` readable bytes (the function's contract).
    call(|| manager().set_heartbeat(unsafe { bytes(topic, len, "topic") }?, period_ms))
}
