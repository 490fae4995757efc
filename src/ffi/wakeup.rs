//! The host's wake-up function for queued remote calls.

use super::{call, manager};
use std::ffi::c_void;
use std::sync::Arc;

/// Called on the handler thread when remote calls were queued (see `zeromq_set_wakeup`).
pub type zeromq_wakeup_fn = Option<unsafe extern "C" fn(user_data: *mut c_void)>;

/// Install the function the handler thread calls each time it has queued remote calls, so a
/// host that waits in an event loop of its own can run `zeromq_handler_process` at once
/// instead of at its next timer tick (the MEX gateway interrupts Octave's prompt with it). It
/// runs on the handler thread, must return quickly and must not call into the library;
/// typical bodies post an event, write to a pipe or signal a thread. NULL removes it.
///
/// Thread safety: may be called from any thread; remove it before unloading the code it
/// points to.
///
/// # Safety
///
/// `f` must be NULL or a function that may be called with `user_data` from the handler thread
/// until it is removed; `user_data` must stay valid for it that long.
#[no_mangle]
pub unsafe extern "C" fn zeromq_set_wakeup(f: zeromq_wakeup_fn, user_data: *mut c_void) -> i32 {
    call(|| {
        let ud = user_data as usize;
        manager().handler.set_wakeup(f.map(|f| {
            Arc::new(move || {
                // SAFETY: the host registered `f` with this user data.
                unsafe { f(ud as *mut c_void) }
            }) as Arc<dyn Fn() + Send + Sync>
        }));
        Ok(())
    })
}
