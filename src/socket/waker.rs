//! A descriptor other threads can make readable: how a thread sleeping in `zmq_poll` learns
//! that its socket was closed, and how a host's event loop learns that calls or output wait.
//! An eventfd on Linux, a pipe on other Unix systems; on other systems there is none and the
//! waiters fall back to short sleeps.

/// The descriptor type `zmq_poll` takes for a non-ZeroMQ item.
#[cfg(unix)]
pub type RawFd = std::os::raw::c_int;
/// The descriptor type `zmq_poll` takes for a non-ZeroMQ item.
#[cfg(windows)]
pub type RawFd = u64;

/// A readable-on-demand descriptor.
pub struct Waker {
    #[cfg(unix)]
    read: RawFd,
    #[cfg(all(unix, not(target_os = "linux")))]
    write: RawFd,
}

impl Waker {
    /// A new, not readable, descriptor; `None` when the system has none to give.
    #[cfg(target_os = "linux")]
    pub fn new() -> Option<Waker> {
        // SAFETY: plain system call.
        let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
        (fd >= 0).then_some(Waker { read: fd })
    }

    /// A new, not readable, descriptor; `None` when the system has none to give.
    #[cfg(all(unix, not(target_os = "linux")))]
    pub fn new() -> Option<Waker> {
        let mut fds = [0 as RawFd; 2];
        // SAFETY: fds has room for two descriptors.
        if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
            return None;
        }
        for fd in fds {
            // SAFETY: descriptors just created.
            unsafe {
                libc::fcntl(fd, libc::F_SETFL, libc::O_NONBLOCK);
                libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC);
            }
        }
        Some(Waker {
            read: fds[0],
            write: fds[1],
        })
    }

    /// No descriptor on this system.
    #[cfg(not(unix))]
    pub fn new() -> Option<Waker> {
        None
    }

    /// The descriptor to watch for readability.
    #[cfg(unix)]
    pub fn fd(&self) -> RawFd {
        self.read
    }

    /// The descriptor to watch for readability.
    #[cfg(not(unix))]
    pub fn fd(&self) -> RawFd {
        0
    }

    /// Make the descriptor readable (it stays so until [`Waker::drain`]).
    pub fn set(&self) {
        #[cfg(target_os = "linux")]
        {
            let one: u64 = 1;
            // SAFETY: writes 8 bytes from a live u64 to our eventfd; a full counter (never
            // reached) only means it is readable already.
            let _ = unsafe { libc::write(self.read, (&one as *const u64).cast(), 8) };
        }
        #[cfg(all(unix, not(target_os = "linux")))]
        {
            // SAFETY: one byte to our pipe; a full pipe is readable already.
            let _ = unsafe { libc::write(self.write, b"x".as_ptr().cast(), 1) };
        }
    }

    /// Make the descriptor not readable again.
    pub fn drain(&self) {
        #[cfg(unix)]
        {
            let mut buf = [0u8; 64];
            // SAFETY: reads into a live buffer from our non-blocking descriptor.
            while unsafe { libc::read(self.read, buf.as_mut_ptr().cast(), buf.len()) } > 0 {}
        }
    }
}

impl Drop for Waker {
    fn drop(&mut self) {
        #[cfg(unix)]
        // SAFETY: our own descriptors, closed once.
        unsafe {
            libc::close(self.read);
            #[cfg(not(target_os = "linux"))]
            libc::close(self.write);
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn readable(w: &Waker) -> bool {
        let mut items = [zmq::PollItem::from_fd(w.fd(), zmq::POLLIN)];
        zmq::poll(&mut items, 0).unwrap();
        items[0].is_readable()
    }

    #[test]
    fn set_and_drain() {
        let w = Waker::new().unwrap();
        assert!(!readable(&w));
        w.set();
        w.set();
        assert!(readable(&w));
        w.drain();
        assert!(!readable(&w));
    }
}
