//! The library's unload path. A host that unloads the library (`dlclose`, Octave clearing the
//! MEX file, a C program returning from `main`) without `zeromq_shutdown` would leave
//! libzmq's I/O threads and the library's own threads running code that is about to be
//! unmapped. The loader runs [`on_unload`] when the library is unloaded or the process exits:
//! it does what `zeromq_shutdown` does, after dropping the host's callbacks (the host may be
//! half torn down by then). See docs/HARDENING.md.

use super::created_manager;
use crate::manager::Manager;

/// Stop everything before the library may go: the generic sockets (closed first, since each
/// keeps the context alive), then the manager's threads, its sockets and the libzmq context.
/// `zeromq_shutdown` and the unload path both end here.
pub(crate) fn shutdown(m: &Manager) {
    super::close_all_sockets();
    m.shutdown();
}

/// Registered in the ELF `.fini_array` / Mach-O termination list: runs at `dlclose` and at
/// process exit. Windows is not covered: joining threads under the loader lock of
/// `DLL_PROCESS_DETACH` deadlocks, so hosts there call `zeromq_shutdown` (the glue does).
#[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
#[used]
#[link_section = ".fini_array"]
static UNLOAD: extern "C" fn() = on_unload;

#[cfg(target_os = "macos")]
#[used]
#[link_section = "__DATA,__mod_term_func"]
static UNLOAD: extern "C" fn() = on_unload;

/// Stop every thread and terminate the libzmq context, if the library was ever used.
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_os = "macos"
))]
extern "C" fn on_unload() {
    let _ = std::panic::catch_unwind(|| {
        if let Some(m) = created_manager() {
            m.set_output(None);
            m.handler.set_dispatcher(None);
            m.handler.set_wakeup(None);
            shutdown(m);
        }
    });
}
