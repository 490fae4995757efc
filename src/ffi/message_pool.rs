//! One spare `zeromq_message` per thread: a thread that receives and frees messages in a loop
//! (`zeromq_socket_recv` ... `zeromq_message_free`) reuses the same message and its frame
//! list instead of two heap allocations per message.

use super::message::zeromq_message;
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
