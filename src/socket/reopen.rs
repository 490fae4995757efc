//! A socket that is opened on first use and may be closed and opened again: the role sockets
//! (`zeromq_stop` closes them, the next role call makes a new one). Additions to
//! [`GenericSocket`] that the generic socket API does not use.

use super::context::Socket;
use super::{GenericSocket, Inner};
use crate::error::Result;
use once_cell::sync::OnceCell;
use parking_lot::Mutex;

impl GenericSocket {
    /// A socket of libzmq type `kind` that is not open yet: [`GenericSocket::with_open`]
    /// opens it.
    pub fn unopened(kind: i32) -> GenericSocket {
        GenericSocket {
            kind,
            inner: Mutex::new(Inner {
                sock: None,
                endpoints: Vec::new(),
            }),
            waker: OnceCell::new(),
        }
    }

    /// Run `f` on the socket under its lock, opening it with `open` first when it is closed.
    /// One lock and no allocation: the publisher's hot path.
    #[inline]
    pub fn with_open<T>(
        &self,
        open: impl FnOnce() -> Result<Socket>,
        f: impl FnOnce(&Socket, &mut Vec<String>) -> Result<T>,
    ) -> Result<T> {
        let mut inner = self.inner.lock();
        let Inner { sock, endpoints } = &mut *inner;
        let s = match sock {
            Some(s) => s,
            None => {
                let opened = open()?;
                // A close set the waker for the threads waiting on the old socket; threads
                // waiting on this one must be able to sleep again.
                if let Some(Some(w)) = self.waker.get() {
                    w.drain();
                }
                sock.insert(opened)
            }
        };
        f(s, endpoints)
    }

    /// Run `f` on the open socket under its lock; `Code::Closed` when it is closed.
    pub fn with_socket<T>(
        &self,
        f: impl FnOnce(&Socket, &mut Vec<String>) -> Result<T>,
    ) -> Result<T> {
        self.with(f)
    }

    /// Close, handing the libzmq socket and its endpoints to the caller (to unbind, set the
    /// linger, or keep it for a last reply); threads waiting on the socket return as after
    /// [`GenericSocket::close`]. `None` when it is closed already.
    pub fn take(&self) -> Option<(Socket, Vec<String>)> {
        let taken = {
            let mut inner = self.inner.lock();
            let endpoints = std::mem::take(&mut inner.endpoints);
            inner.sock.take().map(|s| (s, endpoints))
        };
        if let Some(Some(w)) = self.waker.get() {
            w.set();
        }
        taken
    }
}
