//! The C ABI. Every function here is `extern "C"`, runs its body inside one panic boundary,
//! returns a status code (0 or a `ZEROMQ_ERR_*` number) and records a detail text for
//! `zeromq_last_error` on failure. Core types never see raw pointers.
#![allow(non_camel_case_types)]

pub mod generic;
pub mod handler;
pub mod heartbeat;
pub mod igor;
pub mod igor_waves;
pub mod library;
pub mod lifecycle;
pub mod message;
pub mod options;
pub mod reply;
pub mod role_options;
pub mod security;
pub mod socket;
pub mod wakeup;
pub mod wave;
pub mod wave_read;

use crate::error::{set_last_error, Code, Error, Result};
use crate::manager::Manager;
use crate::socket::registry::Registry;
use once_cell::sync::Lazy;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// The process-wide manager behind the C ABI.
static MANAGER: Lazy<Arc<Manager>> = Lazy::new(Manager::new);

/// The global manager.
pub(crate) fn manager() -> &'static Arc<Manager> {
    &MANAGER
}

/// The global manager if the library has been used (nothing is created on the unload path).
#[cfg_attr(windows, allow(dead_code))]
pub(crate) fn created_manager() -> Option<&'static Arc<Manager>> {
    Lazy::get(&MANAGER)
}

/// The process-wide ids of generic sockets.
static SOCKETS: Lazy<Registry> = Lazy::new(Registry::default);

/// The process-wide socket ids.
pub(crate) fn sockets() -> &'static Registry {
    &SOCKETS
}

/// Close every generic socket at once (pending output dropped): the shutdown paths call it
/// before the context is terminated. Creates nothing when no socket was ever opened (the
/// unload path must not start what it is tearing down).
pub(crate) fn close_all_sockets() {
    if let Some(r) = Lazy::get(&SOCKETS) {
        r.close_all();
    }
}

/// Run an export's body; a panic becomes `ZEROMQ_ERR_UNHANDLED` with its message as detail.
pub(crate) fn boundary<F: FnOnce() -> i32>(f: F) -> i32 {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(code) => code,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            set_last_error(&format!("Unhandled failure inside the library: {what}"));
            Code::Unhandled as i32
        }
    }
}

/// Like [`boundary`] for functions returning a value; `fallback` on panic.
pub(crate) fn boundary_value<T, F: FnOnce() -> T>(fallback: T, f: F) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// Record a failure and return its code.
pub(crate) fn fail(e: Error) -> i32 {
    set_last_error(&e.detail);
    e.code as i32
}

/// A result as a status code.
pub(crate) fn status(r: Result<()>) -> i32 {
    match r {
        Ok(()) => 0,
        Err(e) => fail(e),
    }
}

/// Borrow `(ptr, len)` as bytes: `(NULL, 0)` is empty, NULL with a length is invalid.
///
/// # Safety
///
/// `ptr` is NULL or points to `len` initialized bytes that stay readable and are not written
/// through any other pointer for `'a`.
pub(crate) unsafe fn bytes<'a, T>(ptr: *const T, len: usize, what: &str) -> Result<&'a [u8]> {
    if ptr.is_null() {
        if len == 0 {
            return Ok(&[]);
        }
        return Err(Error::invalid_arg(format!(
            "{what} is NULL but its length is {len}."
        )));
    }
    if len > isize::MAX as usize {
        return Err(Error::invalid_arg(format!(
            "{what} has an impossible length {len}."
        )));
    }
    // SAFETY: `ptr` is non-NULL and `len` fits in `isize` (both checked above); the caller
    // guarantees `len` readable bytes left unchanged for 'a, and bytes need no alignment.
    Ok(unsafe { std::slice::from_raw_parts(ptr as *const u8, len) })
}

/// A required non-NULL out pointer; NULL is `ZEROMQ_ERR_INVALID_ARG` naming `what`.
///
/// # Safety
///
/// `ptr` is NULL or, for all of `'a`, valid for reads and writes of a `T`, properly aligned,
/// and no other reference to the pointee is used while the result lives.
pub(crate) unsafe fn out_ptr<'a, T>(ptr: *mut T, what: &str) -> Result<&'a mut T> {
    // SAFETY: the caller guarantees `ptr` is NULL or valid, aligned and unaliased for 'a.
    unsafe { ptr.as_mut() }.ok_or_else(|| Error::invalid_arg(format!("{what} is NULL.")))
}

/// A required non-NULL handle; NULL is `ZEROMQ_ERR_INVALID_ARG` naming `what`.
///
/// # Safety
///
/// `ptr` is NULL or, for all of `'a`, points to a live, properly aligned `T` that nothing
/// mutates while the result lives.
pub(crate) unsafe fn handle<'a, T>(ptr: *const T, what: &str) -> Result<&'a T> {
    // SAFETY: the caller guarantees `ptr` is NULL or a live, aligned, unmutated `T` for 'a.
    unsafe { ptr.as_ref() }.ok_or_else(|| Error::invalid_arg(format!("{what} is NULL.")))
}

/// Run an export's body that returns a `Result`, inside the panic boundary.
pub(crate) fn call<F: FnOnce() -> Result<()>>(f: F) -> i32 {
    boundary(|| status(f()))
}
