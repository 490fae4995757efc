//! `zeromq_message`: received frames, owned by the caller until `zeromq_message_free`.

use super::{boundary, boundary_value, fail, handle, out_ptr};
use crate::error::Error;

/// An owned list of frames (a received message, a reply, a list of endpoints). Owned by the
/// caller; free it with `zeromq_message_free`. A message may be read from several threads at
/// once but freed by one.
pub struct zeromq_message {
    pub(crate) frames: Vec<zmq::Message>,
}

impl zeromq_message {
    /// A heap message from frames, as handed to C.
    pub(crate) fn boxed(frames: Vec<zmq::Message>) -> *mut zeromq_message {
        Box::into_raw(Box::new(zeromq_message { frames }))
    }

    /// A heap message from byte frames.
    pub(crate) fn from_bytes(frames: Vec<Vec<u8>>) -> *mut zeromq_message {
        Self::boxed(frames.into_iter().map(zmq::Message::from).collect())
    }
}

/// The number of frames in `msg`; 0 when `msg` is NULL.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `msg` must be NULL or a live message (not freed).
#[no_mangle]
pub unsafe extern "C" fn zeromq_message_frame_count(msg: *const zeromq_message) -> usize {
    // SAFETY: `msg` is NULL or a live message from this library (the function's contract).
    boundary_value(0, || unsafe { msg.as_ref() }.map_or(0, |m| m.frames.len()))
}

/// Borrow frame `index` of `msg`: `*data` points to `*len` bytes that stay valid until the
/// message is freed (a zero-length frame may give a non-NULL or NULL pointer; use `*len`).
/// The bytes are followed by no terminator; frames may contain NUL bytes.
///
/// Returns 0, or `ZEROMQ_ERR_INVALID_ARG` when `msg`, `data` or `len` is NULL or `index` is out
/// of range; outputs are written only on success.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `msg` must be NULL or a live message (not freed); `data` must be NULL or valid for writing
/// one `const uint8_t *`; `len` must be NULL or valid for writing one `size_t`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_message_frame(
    msg: *const zeromq_message,
    index: usize,
    data: *mut *const u8,
    len: *mut usize,
) -> i32 {
    boundary(|| {
        let r = (|| {
            // SAFETY: `msg` is NULL or a live message that nobody frees during the call.
            let m = unsafe { handle(msg, "msg") }?;
            // SAFETY: `data` is NULL or the caller's writable `*const u8` slot.
            let d = unsafe { out_ptr(data, "data") }?;
            // SAFETY: `len` is NULL or the caller's writable `usize` slot.
            let l = unsafe { out_ptr(len, "len") }?;
            let f = m.frames.get(index).ok_or_else(|| {
                Error::invalid_arg(format!(
                    "Frame index {index} is out of range: the message has {} frame(s).",
                    m.frames.len()
                ))
            })?;
            *d = f.as_ptr();
            *l = f.len();
            Ok(())
        })();
        match r {
            Ok(()) => 0,
            Err(e) => fail(e),
        }
    })
}

/// Free a message and every frame in it. NULL is ignored. Do not use `msg` or any frame
/// pointer borrowed from it afterwards.
///
/// Thread safety: may be called from any thread, once per message.
///
/// # Safety
///
/// `msg` must be NULL or a message from this library not freed before.
#[no_mangle]
pub unsafe extern "C" fn zeromq_message_free(msg: *mut zeromq_message) {
    boundary_value((), || {
        if !msg.is_null() {
            // SAFETY: a non-NULL `msg` came from `Box::into_raw` (`zeromq_message::boxed` or a
            // receive) and the caller gives it up here, once.
            pool::give(unsafe { Box::from_raw(msg) });
        }
    })
}

/// One spare `zeromq_message` per thread: a thread that receives and frees messages in a loop
/// (`zeromq_socket_recv` ... `zeromq_message_free`) reuses the same message and its frame
/// list instead of two heap allocations per message.
pub(crate) mod pool {
    use super::zeromq_message;
    use std::cell::Cell;

    /// A spare message holding frame lists larger than this goes back to the allocator.
    const MAX_SPARE_FRAMES: usize = 16;

    thread_local! {
        /// The thread's spare message, its frame list empty.
        static SPARE: Cell<Option<Box<zeromq_message>>> = const { Cell::new(None) };
    }

    /// An empty message: the thread's spare or a new one.
    pub(crate) fn take() -> Box<zeromq_message> {
        SPARE
            .try_with(Cell::take)
            .ok()
            .flatten()
            .unwrap_or_else(|| Box::new(zeromq_message { frames: Vec::new() }))
    }

    /// Free `msg`'s frames and keep it as the thread's spare.
    pub(crate) fn give(mut msg: Box<zeromq_message>) {
        msg.frames.clear();
        if msg.frames.capacity() > MAX_SPARE_FRAMES {
            return;
        }
        // A thread that is exiting has no spare any more: the message is simply freed.
        let _ = SPARE.try_with(|s| s.set(Some(msg)));
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_freed_message_is_reused_empty() {
            let mut m = take();
            m.frames.push(zmq::Message::from(&b"abc"[..]));
            let addr = &*m as *const zeromq_message;
            give(m);
            let again = take();
            assert_eq!(&*again as *const zeromq_message, addr);
            assert!(again.frames.is_empty());
            assert!(again.frames.capacity() >= 1);
            // The spare is taken: the next one is new.
            let other = take();
            assert_ne!(&*other as *const zeromq_message, addr);
            give(again);
            give(other);
        }

        #[test]
        fn large_frame_lists_are_not_kept() {
            let mut m = take();
            m.frames.reserve(MAX_SPARE_FRAMES + 1);
            give(m);
            assert!(take().frames.capacity() <= MAX_SPARE_FRAMES);
        }
    }
}
