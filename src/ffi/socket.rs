//! Sockets, settings and logging: the `zeromq_*` functions of the reference XOP.

use super::message::zeromq_message;
use super::{bytes, call, manager, out_ptr};
use crate::error::{Error, Result};
use crate::role::Role;
use crate::socket::Frames;
use std::sync::atomic::Ordering;

/// Success.
pub const ZEROMQ_OK: i32 = 0;
/// A panic or other unexpected failure was caught inside the library.
pub const ZEROMQ_ERR_UNHANDLED: i32 = 10002;
/// `zeromq_set` got no known flag (or a value <= 0).
pub const ZEROMQ_ERR_UNKNOWN_SET_FLAG: i32 = 10003;
/// An internal consistency check failed.
pub const ZEROMQ_ERR_INTERNAL: i32 = 10004;
/// Invalid argument (NULL pointer with a length, bad endpoint, unknown role, ...) or a failing
/// libzmq call.
pub const ZEROMQ_ERR_INVALID_ARG: i32 = 10005;
/// `zeromq_handler_start`: the handler is already running.
pub const ZEROMQ_ERR_HANDLER_ALREADY_RUNNING: i32 = 10006;
/// `zeromq_handler_start`: the server socket has no bind.
pub const ZEROMQ_ERR_HANDLER_NO_CONNECTION: i32 = 10007;
/// A received message has an unexpected frame layout.
pub const ZEROMQ_ERR_INVALID_MESSAGE_FORMAT: i32 = 10009;
/// The logging template is invalid.
pub const ZEROMQ_ERR_INVALID_LOGGING_TEMPLATE: i32 = 10010;
/// `zeromq_sub_add_filter`: the filter exists already.
pub const ZEROMQ_ERR_MESSAGE_FILTER_DUPLICATED: i32 = 10011;
/// `zeromq_sub_remove_filter`: no such filter.
pub const ZEROMQ_ERR_MESSAGE_FILTER_MISSING: i32 = 10012;
/// A value of an unexpected type.
pub const ZEROMQ_ERR_INVALID_TYPE: i32 = 10013;
/// A send could not be queued within its timeout.
pub const ZEROMQ_ERR_TIMEOUT: i32 = 10014;
/// A socket id that was closed, or never existed.
pub const ZEROMQ_ERR_CLOSED: i32 = 10015;
/// `zeromq_sub_add_filter`: the filter is longer than `ZEROMQ_MAX_FILTER_LENGTH` bytes.
pub const ZEROMQ_ERR_FILTER_TOO_LONG: i32 = 10016;
/// The longest subscriber filter in bytes: libzmq walks a filter's bytes recursively when it
/// removes it or closes the socket, so a longer one could overflow a thread's stack.
pub const ZEROMQ_MAX_FILTER_LENGTH: usize = 1024;
/// A CURVE key that is not 40 characters of Z85 text (or 32 bytes where bytes are taken).
pub const ZEROMQ_ERR_INVALID_KEY: i32 = 10040;
/// An address rule that is neither an IP address nor a CIDR block.
pub const ZEROMQ_ERR_INVALID_ADDRESS: i32 = 10041;
/// A certificate file that could not be read, written or understood.
pub const ZEROMQ_ERR_INVALID_CERTIFICATE: i32 = 10042;

/// `zeromq_set`: debug off, busy-wait receive on, logging off, IPv6 off.
pub const ZEROMQ_SET_FLAGS_DEFAULT: i32 = 1;
/// `zeromq_set`: debug output on.
pub const ZEROMQ_SET_FLAGS_DEBUG: i32 = 2;
/// `zeromq_set`: IPv6 on (for open sockets and those created later).
pub const ZEROMQ_SET_FLAGS_IPV6: i32 = 4;
/// `zeromq_set`: receive functions return at once when nothing is pending, whatever timeout
/// they are given.
pub const ZEROMQ_SET_FLAGS_NOBUSYWAITRECV: i32 = 8;
/// `zeromq_set`: message logging on.
pub const ZEROMQ_SET_FLAGS_LOGGING: i32 = 16;

/// The client role (DEALER socket, connects).
pub const ZEROMQ_ROLE_CLIENT: i32 = 0;
/// The server role (ROUTER socket, binds).
pub const ZEROMQ_ROLE_SERVER: i32 = 1;
/// The publisher role (PUB socket, binds).
pub const ZEROMQ_ROLE_PUBLISHER: i32 = 2;
/// The subscriber role (SUB socket, connects).
pub const ZEROMQ_ROLE_SUBSCRIBER: i32 = 3;

/// One frame to send: `len` bytes at `data` (`data` may be NULL only when `len` is 0).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct zeromq_frame {
    /// The bytes.
    pub data: *const std::ffi::c_void,
    /// Their number.
    pub len: usize,
}

/// Stop the message handler, drop queued calls, and close every socket: binds, connections and
/// subscriber filters are gone, the next use creates fresh sockets. Settings (flags, logging
/// template, log path, maximum message size) are kept. Never fails; works with nothing open.
///
/// Thread safety: may be called from any thread; waits for the handler thread to end.
#[no_mangle]
pub extern "C" fn zeromq_stop() -> i32 {
    call(|| {
        manager().stop();
        Ok(())
    })
}

/// Stop everything including the heartbeat thread, for a host that unloads the library
/// (Igor's CLEANUP), and close every generic socket (pending output dropped). The library
/// stays usable: threads start again when needed.
///
/// Thread safety: may be called from any thread.
#[no_mangle]
pub extern "C" fn zeromq_shutdown() -> i32 {
    call(|| {
        super::lifecycle::shutdown(manager());
        Ok(())
    })
}

/// Change settings with `ZEROMQ_SET_FLAGS_*` bits, applied in the order DEFAULT, DEBUG, IPV6,
/// NOBUSYWAITRECV, LOGGING. Each call changes only the aspects it names.
///
/// Returns `ZEROMQ_ERR_UNKNOWN_SET_FLAG` for a value <= 0 or one without any known bit
/// (unknown bits beside a known one are ignored).
///
/// Thread safety: may be called from any thread.
#[no_mangle]
pub extern "C" fn zeromq_set(flags: i32) -> i32 {
    call(|| manager().set_flags(flags))
}

/// The current settings as `ZEROMQ_SET_FLAGS_*` bits (DEBUG, IPV6, NOBUSYWAITRECV, LOGGING);
/// `ZEROMQ_SET_FLAGS_DEFAULT` alone when every setting is at its default.
///
/// Thread safety: may be called from any thread.
#[no_mangle]
pub extern "C" fn zeromq_flags() -> i32 {
    super::boundary_value(0, || manager().flags())
}

/// Set the log template: a JSON object (`len` bytes of UTF-8 text at `json`) whose members
/// start every log line. The keys `direction`, `json`, `str` and `ts` are reserved. On success
/// a session marker line `{}` is appended to the log file; logging itself is switched on with
/// `ZEROMQ_SET_FLAGS_LOGGING`.
///
/// Returns `ZEROMQ_ERR_INVALID_LOGGING_TEMPLATE` when the text is not JSON, not an object or
/// uses a reserved key (the previous template stays), `ZEROMQ_ERR_INVALID_ARG` for NULL with a
/// length or when the log file cannot be written.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `json` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_set_logging_template(
    json: *const std::ffi::c_char,
    len: usize,
) -> i32 {
    call(|| {
        manager().log.set_template(
            // SAFETY: `json` is NULL or points to `len` readable bytes (the function's
            // contract).
            unsafe { bytes(json, len, "json") }?,
        )
    })
}

/// Set the file the JSONL log goes to (`len` bytes of UTF-8 path). Its folder is created when
/// the first line is written. The default is `<per-user data folder>/ZeroMQ/Log.jsonl`, or
/// `$ZEROMQ_XOP_LOG_DIR/Log.jsonl` when that variable is set.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for an empty path, NULL with a length or invalid UTF-8.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `path` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_set_log_path(path: *const std::ffi::c_char, len: usize) -> i32 {
    call(|| {
        // SAFETY: `path` is NULL or points to `len` readable bytes (the function's contract).
        let p = unsafe { bytes(path, len, "path") }?;
        let s = std::str::from_utf8(p)
            .map_err(|_| Error::invalid_arg("The log path is not valid UTF-8."))?;
        if s.is_empty() || s.contains('\0') {
            return Err(Error::invalid_arg(
                "The log path is empty or contains a NUL character.",
            ));
        }
        manager().log.set_path(s.into());
        Ok(())
    })
}

/// Set the server's inbound message size limit in bytes (default 1024; -1: no limit). The
/// library enforces it on every request: a larger one is not handed to the host but answered
/// with `errorCode` 8 and a `msg` naming both sizes, so the client learns why (a plain REQ
/// client does not wait forever). It takes effect at once, also on a bound server. Requests
/// over 64 MiB (or over the limit, if larger) are dropped by libzmq, which closes the
/// sender's connection; such a limit is fixed when the server binds, so raising the limit
/// above it on a bound server fails: call `zeromq_stop`, set the limit, bind again. The
/// limit survives `zeromq_stop`.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for values below -1, and for a limit over 64 MiB or -1
/// while the server is bound with a lower one (the previous limit stays).
///
/// Thread safety: may be called from any thread.
#[no_mangle]
pub extern "C" fn zeromq_set_max_message_size(bytes: i64) -> i32 {
    call(|| manager().set_max_message_size(bytes))
}

/// Bind or connect `role` to the endpoint text at `endpoint`.
///
/// # Safety
///
/// `endpoint` is NULL or points to `len` bytes readable for the whole call.
unsafe fn attach(role: Role, endpoint: *const std::ffi::c_char, len: usize) -> i32 {
    call(|| {
        manager().attach(
            role,
            // SAFETY: `endpoint` is NULL or points to `len` readable bytes (this function's
            // contract).
            unsafe { bytes(endpoint, len, "endpoint") }?,
        )?;
        Ok(())
    })
}

/// Bind the server (ROUTER) socket to an endpoint such as `tcp://127.0.0.1:5555` or
/// `tcp://127.0.0.1:*` (any free port; see `zeromq_endpoints`). May be called for several
/// endpoints.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` when libzmq refuses the endpoint (malformed, host name,
/// address in use), with the reason in `zeromq_last_error`.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `endpoint` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_server_bind(endpoint: *const std::ffi::c_char, len: usize) -> i32 {
    // SAFETY: `endpoint` is NULL or points to `len` readable bytes (the function's contract).
    unsafe { attach(Role::Server, endpoint, len) }
}

/// Connect the client (DEALER) socket to an endpoint (host names allowed). Connecting before
/// the server binds is fine; several connections are used round-robin.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for a malformed endpoint.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `endpoint` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_client_connect(
    endpoint: *const std::ffi::c_char,
    len: usize,
) -> i32 {
    // SAFETY: `endpoint` is NULL or points to `len` readable bytes (the function's contract).
    unsafe { attach(Role::Client, endpoint, len) }
}

/// Bind the publisher (PUB) socket. The first heartbeat (`["heartbeat", ""]`) goes out at
/// once, then one every 5 s while the publisher has a bind.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` when libzmq refuses the endpoint.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `endpoint` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_pub_bind(endpoint: *const std::ffi::c_char, len: usize) -> i32 {
    // SAFETY: `endpoint` is NULL or points to `len` readable bytes (the function's contract).
    unsafe { attach(Role::Publisher, endpoint, len) }
}

/// Connect the subscriber (SUB) socket. Nothing is received until a filter is added.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for a malformed endpoint.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `endpoint` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_sub_connect(endpoint: *const std::ffi::c_char, len: usize) -> i32 {
    // SAFETY: `endpoint` is NULL or points to `len` readable bytes (the function's contract).
    unsafe { attach(Role::Subscriber, endpoint, len) }
}

/// Send `[identity, "", payload]` from the server socket to the peer with that routing
/// identity. An empty payload is valid.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for an empty identity, an identity no connected peer has,
/// or NULL with a length. The bytes are copied; nothing is kept after the call.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `identity` must be NULL or point to `identity_len` readable bytes; `payload` must be NULL or
/// point to `payload_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_server_send(
    identity: *const std::ffi::c_char,
    identity_len: usize,
    payload: *const std::ffi::c_char,
    payload_len: usize,
) -> i32 {
    call(|| {
        manager().server_send(
            // SAFETY: `identity` is NULL or points to `identity_len` readable bytes (the
            // function's contract).
            unsafe { bytes(identity, identity_len, "identity") }?,
            // SAFETY: `payload` is NULL or points to `payload_len` readable bytes (the
            // function's contract).
            unsafe { bytes(payload, payload_len, "payload") }?,
        )
    })
}

/// Send `["", payload]` from the client socket (compatible with REP/ROUTER servers). An empty
/// payload is valid.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` when the message cannot be queued (never connected) or
/// for NULL with a length.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `payload` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_client_send(payload: *const std::ffi::c_char, len: usize) -> i32 {
    // SAFETY: `payload` is NULL or points to `len` readable bytes (the function's contract).
    call(|| manager().client_send(unsafe { bytes(payload, len, "payload") }?))
}

/// Publish `[filter, payload]`. Without a bind or subscriber the message is dropped (not an
/// error). Either may be empty.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for NULL with a length.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `filter` must be NULL or point to `filter_len` readable bytes; `payload` must be NULL or
/// point to `payload_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_pub_send(
    filter: *const std::ffi::c_char,
    filter_len: usize,
    payload: *const std::ffi::c_char,
    payload_len: usize,
) -> i32 {
    call(|| {
        manager().pub_send(
            // SAFETY: `filter` is NULL or points to `filter_len` readable bytes (the
            // function's contract).
            unsafe { bytes(filter, filter_len, "filter") }?,
            // SAFETY: `payload` is NULL or points to `payload_len` readable bytes (the
            // function's contract).
            unsafe { bytes(payload, payload_len, "payload") }?,
        )
    })
}

/// Publish `count` >= 2 frames as one message; `frames[0]` is the filter, `frames[1]` the
/// payload, further frames are binary data (e.g. raw array bytes). Everything is checked
/// before anything is sent.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` when `frames` is NULL, `count` < 2, or a frame is NULL
/// with a length.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `frames` must be NULL or point to `count` readable frames, each with `data` NULL or pointing
/// to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_pub_send_multi(frames: *const zeromq_frame, count: usize) -> i32 {
    call(|| {
        if !frames.is_null() && count < 2 {
            return Err(Error::invalid_arg(format!(
                "zeromq_pub_send_multi needs at least 2 frames (filter and payload), got {count}."
            )));
        }
        // SAFETY: `frames` is NULL or points to `count` readable frames, each `data` NULL or
        // `len` readable bytes (the function's contract).
        unsafe { with_frame_slices(frames, count, |parts| manager().pub_send_multi(parts)) }
    })
}

/// Frames listed on the stack by [`with_frame_slices`]; longer messages use the heap.
const INLINE_FRAMES: usize = 8;

/// Run `f` on a C frame list (`frames` not NULL, `count` >= 1, each frame NULL only when
/// empty). Up to [`INLINE_FRAMES`] frames are listed on the stack: this runs for every
/// message sent, and a send then allocates nothing besides libzmq's own message.
///
/// # Safety
///
/// `frames` must be NULL or point to `count` readable, initialized frames, each with `data`
/// NULL or pointing to `len` readable bytes, all valid and unchanged during the call.
pub(crate) unsafe fn with_frame_slices<T>(
    frames: *const zeromq_frame,
    count: usize,
    f: impl FnOnce(&[&[u8]]) -> Result<T>,
) -> Result<T> {
    if frames.is_null() {
        return Err(Error::invalid_arg("frames is NULL."));
    }
    if count == 0 || count > (isize::MAX as usize) / std::mem::size_of::<zeromq_frame>() {
        return Err(Error::invalid_arg(format!(
            "Impossible frame count {count}: a message has at least one frame."
        )));
    }
    // SAFETY: `frames` is non-NULL and `count` frames fit in `isize` bytes (both checked
    // above); the caller passes `count` readable, initialized frames (the contract).
    let list = unsafe { std::slice::from_raw_parts(frames, count) };
    // Inlined so that the frame's slice stays in registers: this runs for every frame sent.
    #[inline(always)]
    fn part<'a>(i: usize, f: &zeromq_frame) -> Result<&'a [u8]> {
        if f.data.is_null() || f.len > isize::MAX as usize {
            // SAFETY: `data` is NULL or points to `len` readable bytes (the contract); the
            // frame's name is formatted only for an error.
            unsafe { bytes(f.data, f.len, &format!("frames[{i}].data")) }
        } else {
            // SAFETY: `data` is non-NULL and `len` fits in `isize` (both checked); the caller
            // passes `len` readable bytes left unchanged during the call (the contract).
            Ok(unsafe { std::slice::from_raw_parts(f.data as *const u8, f.len) })
        }
    }
    if count <= INLINE_FRAMES {
        let mut parts: [&[u8]; INLINE_FRAMES] = [&[]; INLINE_FRAMES];
        for (i, (slot, fr)) in parts.iter_mut().zip(list).enumerate() {
            *slot = part(i, fr)?;
        }
        f(&parts[..count])
    } else {
        let parts = list
            .iter()
            .enumerate()
            .map(|(i, fr)| part(i, fr))
            .collect::<Result<Vec<_>>>()?;
        f(&parts)
    }
}

fn effective_timeout(timeout_ms: i32) -> i32 {
    if manager().settings.busy_wait.load(Ordering::Relaxed) {
        timeout_ms
    } else {
        0
    }
}

/// Receive with `f` (given the effective timeout) into `*out`: the message, or NULL when
/// nothing arrived.
///
/// # Safety
///
/// `out` is NULL or valid for writing a message pointer for the whole call.
unsafe fn recv_into(
    out: *mut *mut zeromq_message,
    timeout_ms: i32,
    f: impl FnOnce(i32) -> Result<Option<Frames>>,
) -> i32 {
    call(|| {
        // SAFETY: `out` is NULL or the caller's writable message slot (this function's
        // contract).
        let out = unsafe { out_ptr(out, "out") }?;
        let frames = f(effective_timeout(timeout_ms))?;
        *out = match frames {
            Some(frames) => zeromq_message::boxed(frames),
            None => std::ptr::null_mut(),
        };
        Ok(())
    })
}

/// Receive a request on the server socket: `*out` gets `[identity, payload]` (the sender's
/// routing identity, binary). `timeout_ms`: -1 waits forever, 0 returns at once, > 0 waits at
/// most that long (0 whenever `ZEROMQ_SET_FLAGS_NOBUSYWAITRECV` is set). Nothing arrived: 0
/// with `*out` = NULL. The caller owns `*out` and frees it with `zeromq_message_free`.
///
/// Returns `ZEROMQ_ERR_INVALID_MESSAGE_FORMAT` when the message is not `[identity, "",
/// payload]` (it is dropped), `ZEROMQ_ERR_INVALID_ARG` when `out` is NULL,
/// `ZEROMQ_ERR_CLOSED` when another thread's `zeromq_stop` or `zeromq_shutdown` closed the
/// socket while this call waited (as for every role receive). `*out` is unchanged on failure.
///
/// Thread safety: may be called from any thread; competes with a running handler for messages.
///
/// # Safety
///
/// `out` must be NULL or valid for writing one `zeromq_message *`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_server_recv(timeout_ms: i32, out: *mut *mut zeromq_message) -> i32 {
    // SAFETY: `out` is NULL or the caller's writable message slot (the function's contract).
    unsafe { recv_into(out, timeout_ms, |t| manager().server_recv(t)) }
}

/// Receive a reply on the client socket: `*out` gets `[payload]`, followed by the data frames
/// of a binary reply (one per numeric wave, when the request said `"binary": true`). Timeouts
/// and ownership as `zeromq_server_recv`.
///
/// Returns `ZEROMQ_ERR_INVALID_MESSAGE_FORMAT` when the message is not
/// `[delimiter, payload, data frames...]`.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `out` must be NULL or valid for writing one `zeromq_message *`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_client_recv(timeout_ms: i32, out: *mut *mut zeromq_message) -> i32 {
    // SAFETY: `out` is NULL or the caller's writable message slot (the function's contract).
    unsafe { recv_into(out, timeout_ms, |t| manager().client_recv(t)) }
}

/// Receive a published message of exactly two frames: `*out` gets `[filter, payload]`.
/// Timeouts and ownership as `zeromq_server_recv`.
///
/// Returns `ZEROMQ_ERR_INVALID_MESSAGE_FORMAT` for any other number of frames.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `out` must be NULL or valid for writing one `zeromq_message *`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_sub_recv(timeout_ms: i32, out: *mut *mut zeromq_message) -> i32 {
    // SAFETY: `out` is NULL or the caller's writable message slot (the function's contract).
    unsafe { recv_into(out, timeout_ms, |t| manager().sub_recv(t)) }
}

/// Receive a published message of two or more frames: `*out` gets all of them, the filter
/// first. Timeouts and ownership as `zeromq_server_recv`.
///
/// Returns `ZEROMQ_ERR_INVALID_MESSAGE_FORMAT` for a single-frame message.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `out` must be NULL or valid for writing one `zeromq_message *`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_sub_recv_multi(
    timeout_ms: i32,
    out: *mut *mut zeromq_message,
) -> i32 {
    // SAFETY: `out` is NULL or the caller's writable message slot (the function's contract).
    unsafe { recv_into(out, timeout_ms, |t| manager().sub_recv_multi(t)) }
}

/// Subscribe to messages whose first frame starts with `filter` (empty: everything).
///
/// Returns `ZEROMQ_ERR_MESSAGE_FILTER_DUPLICATED` when the filter is already subscribed,
/// `ZEROMQ_ERR_FILTER_TOO_LONG` when it is longer than `ZEROMQ_MAX_FILTER_LENGTH` bytes.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `filter` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_sub_add_filter(filter: *const std::ffi::c_char, len: usize) -> i32 {
    // SAFETY: `filter` is NULL or points to `len` readable bytes (the function's contract).
    call(|| manager().sub_add_filter(unsafe { bytes(filter, len, "filter") }?))
}

/// Unsubscribe a filter; the empty filter removes every filter (never an error).
///
/// Returns `ZEROMQ_ERR_MESSAGE_FILTER_MISSING` when a non-empty filter is not subscribed.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `filter` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_sub_remove_filter(
    filter: *const std::ffi::c_char,
    len: usize,
) -> i32 {
    // SAFETY: `filter` is NULL or points to `len` readable bytes (the function's contract).
    call(|| manager().sub_remove_filter(unsafe { bytes(filter, len, "filter") }?))
}

/// The endpoints a role (`ZEROMQ_ROLE_*`) is bound or connected to, one frame each, in order;
/// binds are resolved (`tcp://127.0.0.1:*` shows the port it got). The caller owns `*out`.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for an unknown role or a NULL `out`.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `out` must be NULL or valid for writing one `zeromq_message *`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_endpoints(role: i32, out: *mut *mut zeromq_message) -> i32 {
    call(|| {
        // SAFETY: `out` is NULL or the caller's writable message slot (the function's contract).
        let out = unsafe { out_ptr(out, "out") }?;
        let role = Role::from_i32(role).ok_or_else(|| {
            Error::invalid_arg(format!(
                "Unknown role {role}: expected 0..3 (ZEROMQ_ROLE_*)."
            ))
        })?;
        let eps = manager().endpoints(role);
        *out = zeromq_message::from_bytes(eps.into_iter().map(String::into_bytes).collect());
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    #[test]
    fn constants_match_the_core() {
        assert_eq!(ZEROMQ_ERR_UNHANDLED, Code::Unhandled as i32);
        assert_eq!(ZEROMQ_ERR_UNKNOWN_SET_FLAG, Code::UnknownSetFlag as i32);
        assert_eq!(ZEROMQ_ERR_INTERNAL, Code::Internal as i32);
        assert_eq!(ZEROMQ_ERR_INVALID_ARG, Code::InvalidArg as i32);
        assert_eq!(
            ZEROMQ_ERR_HANDLER_ALREADY_RUNNING,
            Code::HandlerAlreadyRunning as i32
        );
        assert_eq!(
            ZEROMQ_ERR_HANDLER_NO_CONNECTION,
            Code::HandlerNoConnection as i32
        );
        assert_eq!(
            ZEROMQ_ERR_INVALID_MESSAGE_FORMAT,
            Code::InvalidMessageFormat as i32
        );
        assert_eq!(
            ZEROMQ_ERR_INVALID_LOGGING_TEMPLATE,
            Code::InvalidLoggingTemplate as i32
        );
        assert_eq!(
            ZEROMQ_ERR_MESSAGE_FILTER_DUPLICATED,
            Code::MessageFilterDuplicated as i32
        );
        assert_eq!(
            ZEROMQ_ERR_MESSAGE_FILTER_MISSING,
            Code::MessageFilterMissing as i32
        );
        assert_eq!(ZEROMQ_ERR_INVALID_TYPE, Code::InvalidType as i32);
        assert_eq!(ZEROMQ_ERR_FILTER_TOO_LONG, Code::FilterTooLong as i32);
        assert_eq!(ZEROMQ_MAX_FILTER_LENGTH, crate::roles::MAX_FILTER_LENGTH);
        use crate::manager as m;
        assert_eq!(
            [
                ZEROMQ_SET_FLAGS_DEFAULT,
                ZEROMQ_SET_FLAGS_DEBUG,
                ZEROMQ_SET_FLAGS_IPV6,
                ZEROMQ_SET_FLAGS_NOBUSYWAITRECV,
                ZEROMQ_SET_FLAGS_LOGGING
            ],
            [
                m::SET_FLAGS_DEFAULT,
                m::SET_FLAGS_DEBUG,
                m::SET_FLAGS_IPV6,
                m::SET_FLAGS_NOBUSYWAITRECV,
                m::SET_FLAGS_LOGGING
            ]
        );
        for (role, n) in [
            (m::Role::Client, ZEROMQ_ROLE_CLIENT),
            (m::Role::Server, ZEROMQ_ROLE_SERVER),
            (m::Role::Publisher, ZEROMQ_ROLE_PUBLISHER),
            (m::Role::Subscriber, ZEROMQ_ROLE_SUBSCRIBER),
        ] {
            assert_eq!(m::Role::from_i32(n), Some(role));
        }
    }
}
