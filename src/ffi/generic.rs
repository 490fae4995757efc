//! Generic sockets, polling, context options and the handler's descriptor: any libzmq socket
//! type, any number of sockets, named by ids that are never reused.

use super::message::pool as message_pool;
use super::message::zeromq_message;
use super::socket::zeromq_frame;
use super::{bytes, call, handle, manager, out_ptr, sockets};
use crate::error::{Error, Result};
use crate::role::Role;
use crate::socket::options;
use crate::socket::poll::{self, Target};
use crate::socket::waker::RawFd;
use crate::socket::GenericSocket;
use std::ffi::{c_char, c_void};
use std::sync::Arc;

/// Socket type PAIR (libzmq's number).
pub const ZEROMQ_PAIR: i32 = 0;
/// Socket type PUB.
pub const ZEROMQ_PUB: i32 = 1;
/// Socket type SUB.
pub const ZEROMQ_SUB: i32 = 2;
/// Socket type REQ.
pub const ZEROMQ_REQ: i32 = 3;
/// Socket type REP.
pub const ZEROMQ_REP: i32 = 4;
/// Socket type DEALER.
pub const ZEROMQ_DEALER: i32 = 5;
/// Socket type ROUTER.
pub const ZEROMQ_ROUTER: i32 = 6;
/// Socket type PULL.
pub const ZEROMQ_PULL: i32 = 7;
/// Socket type PUSH.
pub const ZEROMQ_PUSH: i32 = 8;
/// Socket type XPUB.
pub const ZEROMQ_XPUB: i32 = 9;
/// Socket type XSUB.
pub const ZEROMQ_XSUB: i32 = 10;
/// Socket type STREAM.
pub const ZEROMQ_STREAM: i32 = 11;

/// `zeromq_poll`: a message can be received / the descriptor is readable.
pub const ZEROMQ_POLLIN: i16 = 1;
/// `zeromq_poll`: a message can be queued / the descriptor is writable.
pub const ZEROMQ_POLLOUT: i16 = 2;
/// `zeromq_poll`: an error condition on a descriptor.
pub const ZEROMQ_POLLERR: i16 = 4;

/// One item of `zeromq_poll`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct zeromq_poll_item {
    /// A socket id (generic or from `zeromq_role_socket`), or 0 to poll `fd`.
    pub socket: u64,
    /// An OS descriptor (a SOCKET on Windows) when `socket` is 0.
    pub fd: i64,
    /// `ZEROMQ_POLL*` wanted.
    pub events: i16,
    /// `ZEROMQ_POLL*` that happened, written by `zeromq_poll`.
    pub revents: i16,
}

/// An option value is an `int32_t`.
pub const ZEROMQ_OPTION_INT32: i32 = 0;
/// An option value is an `int64_t`.
pub const ZEROMQ_OPTION_INT64: i32 = 1;
/// An option value is bytes.
pub const ZEROMQ_OPTION_BYTES: i32 = 2;

fn socket(id: u64) -> Result<Arc<GenericSocket>> {
    sockets().socket(id)
}

/// Create a socket of libzmq type `type` (`ZEROMQ_PAIR` .. `ZEROMQ_STREAM`) in the library's
/// context (the one the role sockets use, so `inproc://` endpoints connect them); `*id` gets
/// its id, a number > 0 never used before in this process. libzmq's defaults apply except
/// LINGER, which is 1000 ms instead of -1: output still queued at close gets a second to go
/// out, so closing, `zeromq_shutdown` and the host's exit never wait forever (set
/// `ZEROMQ_OPT_LINGER` to change it; `zeromq_shutdown` drops what is still queued).
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for an unknown type, a NULL `id`, or when libzmq refuses
/// (too many sockets: `ZEROMQ_CTX_MAX_SOCKETS`).
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `id` must be NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_socket_new(r#type: i32, id: *mut u64) -> i32 {
    call(|| {
        // SAFETY: `id` is NULL or valid for writing (the function's contract).
        let id = unsafe { out_ptr(id, "id") }?;
        let s = GenericSocket::new(&manager().context(), r#type)?;
        *id = sockets().insert(s);
        Ok(())
    })
}

/// Close a socket; its id is stale from now on. Pending output is kept for the socket's
/// `ZEROMQ_OPT_LINGER`. A thread blocked in a send, receive or poll on it returns at once with
/// `ZEROMQ_ERR_CLOSED`.
///
/// Returns `ZEROMQ_ERR_CLOSED` for an id that is closed or never existed.
///
/// Thread safety: may be called from any thread.
#[no_mangle]
pub extern "C" fn zeromq_socket_close(id: u64) -> i32 {
    call(|| sockets().close(id))
}

/// Run `f` on socket `id` with the endpoint text.
///
/// # Safety
///
/// `endpoint` is NULL or points to `len` readable bytes.
unsafe fn endpoint_call(
    id: u64,
    endpoint: *const c_char,
    len: usize,
    f: impl FnOnce(&GenericSocket, &[u8]) -> Result<()>,
) -> i32 {
    call(|| {
        // SAFETY: `endpoint` is NULL or points to `len` readable bytes (the contract).
        let ep = unsafe { bytes(endpoint, len, "endpoint") }?;
        f(&*socket(id)?, ep)
    })
}

/// Bind to an endpoint (`len` bytes, e.g. "tcp://127.0.0.1:*"); the resolved endpoint is
/// listed by `zeromq_socket_endpoints`.
///
/// Returns `ZEROMQ_ERR_CLOSED` for a stale id, `ZEROMQ_ERR_INVALID_ARG` for a bad endpoint or
/// a failing bind (detail: libzmq's text and the endpoint).
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `endpoint` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_socket_bind(id: u64, endpoint: *const c_char, len: usize) -> i32 {
    // SAFETY: `endpoint` is NULL or points to `len` readable bytes (the function's contract).
    unsafe { endpoint_call(id, endpoint, len, |s, ep| s.bind(ep).map(|_| ())) }
}

/// Stop listening on an endpoint, given as bound or as resolved (a wildcard bind must be
/// unbound by its resolved endpoint). Errors as `zeromq_socket_bind`.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `endpoint` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_socket_unbind(id: u64, endpoint: *const c_char, len: usize) -> i32 {
    // SAFETY: `endpoint` is NULL or points to `len` readable bytes (the function's contract).
    unsafe { endpoint_call(id, endpoint, len, |s, ep| s.unbind(ep)) }
}

/// Connect to an endpoint. Errors as `zeromq_socket_bind`.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `endpoint` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_socket_connect(
    id: u64,
    endpoint: *const c_char,
    len: usize,
) -> i32 {
    // SAFETY: `endpoint` is NULL or points to `len` readable bytes (the function's contract).
    unsafe { endpoint_call(id, endpoint, len, |s, ep| s.connect(ep)) }
}

/// Disconnect from an endpoint. Errors as `zeromq_socket_bind`.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `endpoint` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_socket_disconnect(
    id: u64,
    endpoint: *const c_char,
    len: usize,
) -> i32 {
    // SAFETY: `endpoint` is NULL or points to `len` readable bytes (the function's contract).
    unsafe { endpoint_call(id, endpoint, len, |s, ep| s.disconnect(ep)) }
}

/// Send one whole message of `count` >= 1 frames (copied). `timeout_ms`: -1 waits until it can
/// be queued, 0 fails at once, > 0 waits at most that long.
///
/// Returns `ZEROMQ_ERR_TIMEOUT` when it could not be queued in time (no peer, or the peer's
/// queue is full; nothing of the message was queued), `ZEROMQ_ERR_CLOSED` for a stale id or
/// when another thread closes the socket meanwhile, `ZEROMQ_ERR_INVALID_ARG` for `count` 0, a
/// NULL `frames`, a NULL frame with a length, or a send libzmq refuses (a REQ sending twice).
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `frames` must be NULL or point to `count` readable frames, each with `data` NULL or
/// pointing to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_socket_send(
    id: u64,
    frames: *const zeromq_frame,
    count: usize,
    timeout_ms: i32,
) -> i32 {
    call(|| {
        // SAFETY: `frames` is NULL or points to `count` readable frames, each `data` NULL or
        // `len` readable bytes (the function's contract).
        unsafe {
            super::socket::with_frame_slices(frames, count, |parts| {
                socket(id)?.send(parts, timeout_ms)
            })
        }
    })
}

/// Receive one whole multipart message: `*out` gets all its frames (free it with
/// `zeromq_message_free`). `timeout_ms` as `zeromq_socket_send`; nothing within the timeout:
/// 0 with `*out` = NULL.
///
/// Returns `ZEROMQ_ERR_CLOSED` for a stale id or when another thread closes the socket
/// meanwhile, `ZEROMQ_ERR_INVALID_ARG` for a NULL `out` or a receive libzmq refuses.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `out` must be NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_socket_recv(
    id: u64,
    timeout_ms: i32,
    out: *mut *mut zeromq_message,
) -> i32 {
    call(|| {
        // SAFETY: `out` is NULL or valid for writing (the function's contract).
        let out = unsafe { out_ptr(out, "out") }?;
        let mut msg = message_pool::take();
        *out = if socket(id)?.recv_into(timeout_ms, &mut msg.frames)? {
            Box::into_raw(msg)
        } else {
            message_pool::give(msg);
            std::ptr::null_mut()
        };
        Ok(())
    })
}

/// Set a socket option (`ZEROMQ_OPT_*`, libzmq's numbers): integer options take an `int32_t`
/// (`len` 4), 64-bit ones (`AFFINITY`, `MAXMSGSIZE`) an `int64_t` (`len` 8), the others bytes
/// (`value` may be NULL when `len` is 0, e.g. `SUBSCRIBE` to everything).
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for an option number the library does not know,
/// `ZEROMQ_ERR_INVALID_ARG` for a wrong size, a read-only option or a value libzmq refuses,
/// `ZEROMQ_ERR_CLOSED` for a stale id.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `value` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_socket_set_option(
    id: u64,
    option: i32,
    value: *const c_void,
    len: usize,
) -> i32 {
    call(|| {
        // SAFETY: `value` is NULL or points to `len` readable bytes (the function's contract).
        let v = unsafe { bytes(value, len, "value") }?;
        socket(id)?.set_option(option, v)
    })
}

/// Read a socket option into `value` (`cap` bytes); `*len` gets its length (4 for integer
/// options, 8 for 64-bit ones; string options such as `LAST_ENDPOINT` include their NUL).
/// `value` NULL with `cap` 0 only asks for the length.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` when `cap` is too small (nothing written), `len` is NULL or
/// the option cannot be read, `ZEROMQ_ERR_INVALID_ARG` for an unknown option, `ZEROMQ_ERR_CLOSED` as for set.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `value` must be NULL or point to `cap` writable bytes; `len` must be NULL or valid for
/// writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_socket_get_option(
    id: u64,
    option: i32,
    value: *mut c_void,
    cap: usize,
    len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: `len` is NULL or valid for writing (the function's contract).
        let len = unsafe { out_ptr(len, "len") }?;
        let v = socket(id)?.get_option(option)?;
        if value.is_null() && cap == 0 {
            *len = v.len();
            return Ok(());
        }
        if value.is_null() || cap < v.len() {
            return Err(Error::invalid_arg(format!(
                "The option {} needs {} bytes; the buffer has {cap}{}.",
                options::by_number(option)?.name,
                v.len(),
                if value.is_null() { " and is NULL" } else { "" }
            )));
        }
        // SAFETY: `value` is non-NULL with `cap` >= `v.len()` (checked above) and points to
        // `cap` writable bytes (the function's contract), apart from the fresh `v`.
        unsafe { std::ptr::copy_nonoverlapping(v.as_ptr(), value.cast::<u8>(), v.len()) };
        *len = v.len();
        Ok(())
    })
}

/// The endpoints a socket is bound (resolved) or connected to, one frame each, in order. The
/// caller owns `*out`.
///
/// Returns `ZEROMQ_ERR_CLOSED` for a stale id, `ZEROMQ_ERR_INVALID_ARG` for a NULL `out`.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `out` must be NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_socket_endpoints(id: u64, out: *mut *mut zeromq_message) -> i32 {
    call(|| {
        // SAFETY: `out` is NULL or valid for writing (the function's contract).
        let out = unsafe { out_ptr(out, "out") }?;
        let eps = socket(id)?.endpoints()?;
        *out = zeromq_message::from_bytes(eps.into_iter().map(String::into_bytes).collect());
        Ok(())
    })
}

/// Set a context option (`ZEROMQ_CTX_*`, libzmq's numbers). `IO_THREADS`, `MAX_SOCKETS` and
/// the thread options must come before the library's first socket exists (at start, or after
/// `zeromq_shutdown`); `BLOCKY`, `IPV6` and `MAX_MSGSZ` apply to sockets created later.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for an unknown option and when it
/// is too late, the option is read-only or libzmq refuses the value.
///
/// Thread safety: may be called from any thread.
#[no_mangle]
pub extern "C" fn zeromq_context_set_option(option: i32, value: i32) -> i32 {
    call(|| manager().context().set_option(option, value))
}

/// Read a context option (`ZEROMQ_CTX_*`) into `*value`.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for an unknown option and for a
/// set-only option or a NULL `value`.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `value` must be NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_context_get_option(option: i32, value: *mut i32) -> i32 {
    call(|| {
        // SAFETY: `value` is NULL or valid for writing (the function's contract).
        let value = unsafe { out_ptr(value, "value") }?;
        *value = manager().context().get_option(option)?;
        Ok(())
    })
}

/// The id of a role's socket (`ZEROMQ_ROLE_*`) for `zeromq_poll`; 0 when the role has no
/// socket (before its first use, after `zeromq_stop`). A role socket created anew gets a new
/// id; the old one is stale (`ZEROMQ_ERR_CLOSED` in a poll).
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for an unknown role or a NULL `id`.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `id` must be NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_role_socket(role: i32, id: *mut u64) -> i32 {
    call(|| {
        // SAFETY: `id` is NULL or valid for writing (the function's contract).
        let id = unsafe { out_ptr(id, "id") }?;
        let role = Role::from_i32(role).ok_or_else(|| {
            Error::invalid_arg(format!(
                "Unknown role {role}: expected 0..3 (ZEROMQ_ROLE_*)."
            ))
        })?;
        *id = match manager().roles.serial(role) {
            Some(serial) => sockets().role_id(role, serial),
            None => 0,
        };
        Ok(())
    })
}

/// Wait until any of `count` items is ready or `timeout_ms` passes (-1: no limit, 0: look
/// once). Items name a socket id (`ZEROMQ_POLLIN`: a message can be received, `ZEROMQ_POLLOUT`:
/// one can be queued) or, with `socket` 0, an OS descriptor (readable, writable, error).
/// Each item's `revents` is written; `*ready` (may be NULL) gets the number of ready items,
/// 0 after a timeout.
///
/// Returns `ZEROMQ_ERR_CLOSED` when an item's socket is closed or closed meanwhile (detail:
/// which item), `ZEROMQ_ERR_INVALID_ARG` for `count` 0, NULL `items`, events other than
/// `ZEROMQ_POLL*`, a negative descriptor or one the system refuses.
///
/// Thread safety: may be called from any thread; sockets may be used by other threads
/// meanwhile.
///
/// # Safety
///
/// `items` must be NULL or point to `count` readable and writable items that no other thread
/// uses during the call; `ready` must be NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_poll(
    items: *mut zeromq_poll_item,
    count: usize,
    timeout_ms: i32,
    ready: *mut usize,
) -> i32 {
    call(|| {
        if count == 0 {
            return Err(Error::invalid_arg("zeromq_poll: no items (count is 0)."));
        }
        // SAFETY: `items` is NULL or points to `count` live items (the function's contract).
        unsafe { handle(items, "items") }?;
        if count > isize::MAX as usize / std::mem::size_of::<zeromq_poll_item>() {
            return Err(Error::invalid_arg(format!(
                "Impossible item count {count}."
            )));
        }
        // SAFETY: `items` is non-NULL and `count` items fit in `isize` bytes (both checked
        // above); the caller passes `count` writable, initialized items no one else uses.
        let list = unsafe { std::slice::from_raw_parts_mut(items, count) };
        let mut targets = Vec::with_capacity(count);
        for (i, it) in list.iter().enumerate() {
            let all = ZEROMQ_POLLIN | ZEROMQ_POLLOUT | ZEROMQ_POLLERR;
            if it.events & !all != 0 {
                return Err(Error::invalid_arg(format!(
                    "Poll item {i}: events {} has bits other than ZEROMQ_POLLIN/OUT/ERR.",
                    it.events
                )));
            }
            let target = if it.socket != 0 {
                Target::from(sockets().entry(it.socket).map_err(|mut e| {
                    e.detail = format!("Poll item {i}: {}", e.detail);
                    e
                })?)
            } else {
                let fd = RawFd::try_from(it.fd).map_err(|_| {
                    Error::invalid_arg(format!("Poll item {i}: bad descriptor {}.", it.fd))
                })?;
                #[cfg(unix)]
                if fd < 0 {
                    return Err(Error::invalid_arg(format!(
                        "Poll item {i}: bad descriptor {fd}."
                    )));
                }
                Target::Fd(fd)
            };
            targets.push((target, it.events));
        }
        let roles = &manager().roles;
        let revents = poll::poll(&targets, timeout_ms, |r, serial| {
            roles.poll_state(r, serial)
        })?;
        for (it, r) in list.iter_mut().zip(&revents) {
            it.revents = *r;
        }
        // SAFETY: `ready` is NULL or valid for writing (the function's contract).
        if let Some(n) = unsafe { ready.as_mut() } {
            *n = revents.iter().filter(|r| **r != 0).count();
        }
        Ok(())
    })
}

/// `*fd` gets a descriptor that is readable while remote calls or output from other threads
/// wait for `zeromq_handler_process`: a host's own event loop (Qt `QSocketNotifier`, asyncio
/// `add_reader`, Tk, GLib, `select`) watches it and calls `zeromq_handler_process` when it
/// becomes readable. Do not read or close it; `zeromq_handler_process` makes it unreadable
/// again. Calls or output already waiting when it is first asked for make it readable at
/// once, so nothing that waited is missed.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for a NULL `fd` or on a system without such descriptors
/// (Windows).
///
/// Thread safety: may be called from any thread; the descriptor stays the same.
///
/// # Safety
///
/// `fd` must be NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_handler_fd(fd: *mut i64) -> i32 {
    call(|| {
        // SAFETY: `fd` is NULL or valid for writing (the function's contract).
        let fd = unsafe { out_ptr(fd, "fd") }?;
        let raw = manager().handler.ready_fd().ok_or_else(|| {
            Error::invalid_arg("zeromq_handler_fd: this system has no descriptor to offer.")
        })?;
        *fd = raw as i64;
        Ok(())
    })
}

fn kind_number(kind: options::Kind) -> i32 {
    match kind {
        options::Kind::Int => ZEROMQ_OPTION_INT32,
        options::Kind::Int64 => ZEROMQ_OPTION_INT64,
        options::Kind::Bytes => ZEROMQ_OPTION_BYTES,
    }
}

/// Look a socket option up by name (`len` bytes: "LINGER", "ZMQ_LINGER", any case;
/// "IDENTITY" is ROUTING_ID): `*option` gets its number (`ZEROMQ_OPT_*`), `*kind` (may be
/// NULL) its value type (`ZEROMQ_OPTION_INT32`, `_INT64`, `_BYTES`). For hosts that name
/// options by text (MATLAB, scripting languages).
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for a name the library does not know and for NULL `option` or a name that is not UTF-8.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `name` must be NULL or point to `len` readable bytes; `option` and `kind` must be NULL or
/// valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_socket_option_by_name(
    name: *const c_char,
    len: usize,
    option: *mut i32,
    kind: *mut i32,
) -> i32 {
    call(|| {
        // SAFETY: `option` is NULL or valid for writing (the function's contract).
        let option = unsafe { out_ptr(option, "option") }?;
        // SAFETY: `name` is NULL or points to `len` readable bytes (the function's contract).
        let name = std::str::from_utf8(unsafe { bytes(name, len, "name") }?)
            .map_err(|_| Error::invalid_arg("The option name is not UTF-8."))?;
        let o = options::by_name(name)?;
        *option = o.number;
        // SAFETY: `kind` is NULL or valid for writing (the function's contract).
        if let Some(k) = unsafe { kind.as_mut() } {
            *k = kind_number(o.kind);
        }
        Ok(())
    })
}

/// The value type of socket option `option` (`ZEROMQ_OPTION_INT32`, `_INT64`, `_BYTES`).
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for an unknown option and for a
/// NULL `kind`.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `kind` must be NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_socket_option_kind(option: i32, kind: *mut i32) -> i32 {
    call(|| {
        // SAFETY: `kind` is NULL or valid for writing (the function's contract).
        let kind = unsafe { out_ptr(kind, "kind") }?;
        *kind = kind_number(options::by_number(option)?.kind);
        Ok(())
    })
}

/// Look a context option up by name (`len` bytes: "IO_THREADS", "ZMQ_MAX_SOCKETS", any
/// case): `*option` gets its number (`ZEROMQ_CTX_*`).
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for an unknown name and for a
/// NULL `option`.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `name` must be NULL or point to `len` readable bytes; `option` must be NULL or valid
/// for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_context_option_by_name(
    name: *const c_char,
    len: usize,
    option: *mut i32,
) -> i32 {
    call(|| {
        // SAFETY: `option` is NULL or valid for writing (the function's contract).
        let option = unsafe { out_ptr(option, "option") }?;
        // SAFETY: `name` is NULL or points to `len` readable bytes (the function's contract).
        let name = std::str::from_utf8(unsafe { bytes(name, len, "name") }?)
            .map_err(|_| Error::invalid_arg("The option name is not UTF-8."))?;
        *option = crate::socket::context::option_by_name(name)?.number;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::message::{zeromq_message_frame, zeromq_message_frame_count};

    /// A connected PAIR of generic sockets over inproc.
    fn pair(name: &str) -> (u64, u64) {
        let (mut a, mut b) = (0, 0);
        let ep = format!("inproc://{name}");
        // SAFETY: valid out pointers and endpoint bytes.
        unsafe {
            assert_eq!(zeromq_socket_new(ZEROMQ_PAIR, &mut a), 0);
            assert_eq!(zeromq_socket_new(ZEROMQ_PAIR, &mut b), 0);
            assert_eq!(zeromq_socket_bind(a, ep.as_ptr().cast(), ep.len()), 0);
            assert_eq!(zeromq_socket_connect(b, ep.as_ptr().cast(), ep.len()), 0);
        }
        (a, b)
    }

    /// Receive one message on `id` and return its frames.
    fn receive(id: u64) -> Vec<Vec<u8>> {
        let mut msg = std::ptr::null_mut();
        // SAFETY: a valid out pointer; the message is read and freed here.
        unsafe {
            assert_eq!(zeromq_socket_recv(id, 2000, &mut msg), 0);
            assert!(!msg.is_null(), "nothing received");
            let frames = (0..zeromq_message_frame_count(msg))
                .map(|i| {
                    let (mut data, mut len) = (std::ptr::null(), 0);
                    assert_eq!(zeromq_message_frame(msg, i, &mut data, &mut len), 0);
                    std::slice::from_raw_parts(data, len).to_vec()
                })
                .collect();
            crate::ffi::message::zeromq_message_free(msg);
            frames
        }
    }

    #[test]
    fn messages_of_any_frame_count_arrive_whole_and_in_order() {
        let (a, b) = pair("generic-frame-counts");
        // Short lists are built on the stack, long ones on the heap; received messages reuse
        // the receiving thread's spare message.
        for count in [1usize, 2, 8, 9, 20, 1, 3] {
            let data: Vec<Vec<u8>> = (0..count).map(|i| vec![i as u8; i * 3]).collect();
            let frames: Vec<zeromq_frame> = data
                .iter()
                .map(|d| zeromq_frame {
                    data: if d.is_empty() {
                        std::ptr::null()
                    } else {
                        d.as_ptr().cast()
                    },
                    len: d.len(),
                })
                .collect();
            // SAFETY: `count` valid frames.
            let rc = unsafe { zeromq_socket_send(b, frames.as_ptr(), count, 2000) };
            assert_eq!(rc, 0);
            assert_eq!(receive(a), data, "{count} frames");
        }
        // A NULL frame with a length is refused, in a short and in a long list, and nothing
        // of such a message is sent.
        for count in [2usize, 12] {
            let x = [7u8; 4];
            let mut frames = vec![
                zeromq_frame {
                    data: x.as_ptr().cast(),
                    len: 4
                };
                count
            ];
            frames[count - 1].data = std::ptr::null();
            // SAFETY: `count` frames, the bad one NULL with a length (refused unread).
            let rc = unsafe { zeromq_socket_send(b, frames.as_ptr(), count, 0) };
            assert_eq!(rc, crate::error::Code::InvalidArg as i32);
        }
        let mut msg = std::ptr::null_mut();
        // SAFETY: a valid out pointer.
        assert_eq!(unsafe { zeromq_socket_recv(a, 50, &mut msg) }, 0);
        assert!(msg.is_null(), "a refused message was sent");
        assert_eq!(zeromq_socket_close(a), 0);
        assert_eq!(zeromq_socket_close(b), 0);
    }

    #[test]
    fn constants_match_the_core() {
        for (i, c) in [
            ZEROMQ_PAIR,
            ZEROMQ_PUB,
            ZEROMQ_SUB,
            ZEROMQ_REQ,
            ZEROMQ_REP,
            ZEROMQ_DEALER,
            ZEROMQ_ROUTER,
            ZEROMQ_PULL,
            ZEROMQ_PUSH,
            ZEROMQ_XPUB,
            ZEROMQ_XSUB,
            ZEROMQ_STREAM,
        ]
        .into_iter()
        .enumerate()
        {
            assert_eq!(c as usize, i);
            assert!(crate::socket::type_name(c).is_some());
        }
        assert_eq!(ZEROMQ_POLLIN, poll::POLLIN);
        assert_eq!(ZEROMQ_POLLOUT, poll::POLLOUT);
        assert_eq!(ZEROMQ_POLLERR, poll::POLLERR);
        assert_eq!(std::mem::size_of::<zeromq_poll_item>(), 24);
    }
}
