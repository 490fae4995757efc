//! Abuse of the C ABI: every exported function with NULL pointers, NULL with a length, lengths
//! that cannot be real, out-of-range indexes and roles, handles from the wrong place, calls in
//! the wrong order, re-entrant calls from callbacks, and eight threads calling everything at
//! once. Nothing may crash, hang or report success for nonsense.
//!
//! The functions are called through their `extern "C"` definitions, exactly as a C host calls
//! them. They share the library's global state, so the tests of this binary (one process) run
//! one at a time behind [`serial`]; every test ends with `zeromq_stop`. Every potentially
//! blocking step runs under a watchdog (`within`) so a deadlock fails the test instead of
//! hanging it.
//!
//! Environment: `ZEROMQ_XOP_ABUSE_SECONDS` sets how long the eight threads run (default 4).

#[path = "../common/mod.rs"]
mod common;

/// NULL pointers, impossible lengths and huge real inputs to every function.
mod inputs;
/// Calls in the wrong order: stop twice, receive before bind, bind twice.
mod order;
/// Library calls from inside the dispatcher and from the output function.
mod reentrant;
/// Eight threads calling everything at once, and handler start/stop races.
mod threads;
/// The wave builder with bad types, sizes, points, ownership and nesting.
mod waves;

use std::ffi::c_char;
use std::ptr::null_mut;
use std::sync::MutexGuard;
use zeromq_xop::ffi::handler::zeromq_set_dispatcher;
use zeromq_xop::ffi::library::zeromq_set_output;
use zeromq_xop::ffi::message::zeromq_message;
use zeromq_xop::ffi::socket::*;

const INVALID: i32 = ZEROMQ_ERR_INVALID_ARG;
/// Lengths no buffer can have (more than `isize::MAX` bytes).
const HUGE: [usize; 3] = [usize::MAX, isize::MAX as usize + 1, usize::MAX / 2 + 7];

/// Every receive function (`timeout_ms`, `out`), for calls that treat them all alike.
const RECEIVES: [unsafe extern "C" fn(i32, *mut *mut zeromq_message) -> i32; 4] = [
    zeromq_server_recv,
    zeromq_client_recv,
    zeromq_sub_recv,
    zeromq_sub_recv_multi,
];

/// One test at a time, each from a clean start whatever the previous test left behind.
fn serial() -> MutexGuard<'static, ()> {
    let g = common::serial("abuse");
    unsafe {
        zeromq_stop();
        zeromq_set(ZEROMQ_SET_FLAGS_DEFAULT);
        zeromq_set_max_message_size(1024);
        zeromq_set_dispatcher(None, null_mut());
        zeromq_set_output(None, null_mut());
    }
    g
}

/// A non-NULL pointer to a real byte, for calls with impossible lengths: the library must
/// refuse the length without reading.
fn one_byte() -> *const c_char {
    static B: u8 = b'x';
    &B as *const u8 as *const c_char
}
