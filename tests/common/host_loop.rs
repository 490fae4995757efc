//! A host thread for the tests that drive the core directly: it runs a manager's queued remote
//! calls (wait, then process) until it is stopped, as a host's idle loop does.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use zeromq_xop::manager::Manager;

/// The running loop; dropping it stops and joins the thread.
pub struct HostLoop {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<u64>>,
}

impl HostLoop {
    /// Start running `m`'s queued calls on a thread of their own.
    pub fn start(m: &Arc<Manager>) -> HostLoop {
        let stop = Arc::new(AtomicBool::new(false));
        let (m, s) = (Arc::clone(m), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            let mut n = 0u64;
            while !s.load(Ordering::SeqCst) {
                m.handler.wait(20);
                n += m.handler.process() as u64;
            }
            n
        });
        HostLoop {
            stop,
            thread: Some(thread),
        }
    }

    /// Stop the thread and wait for it: how many calls it ran (0 when already stopped).
    pub fn finish(mut self) -> u64 {
        self.stop()
    }

    /// As [`HostLoop::finish`], for an owner that keeps the value.
    pub fn stop(&mut self) -> u64 {
        self.stop.store(true, Ordering::SeqCst);
        self.thread
            .take()
            .map_or(0, |t| t.join().expect("the host thread panicked"))
    }
}

impl Drop for HostLoop {
    fn drop(&mut self) {
        self.stop();
    }
}
