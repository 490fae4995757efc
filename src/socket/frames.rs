//! Whole multipart messages as libzmq delivers them.

use crate::error::{Error, Result};

/// A received message: its frames.
pub type Frames = Vec<zmq::Message>;

/// Receive all frames of one message without blocking; `None` when nothing is pending.
pub fn recv_multipart(s: &zmq::Socket) -> Result<Option<Frames>> {
    let mut frames = Frames::new();
    Ok(recv_multipart_into(s, &mut frames)?.then_some(frames))
}

/// [`recv_multipart`] into `frames` (empty; the caller's list is reused, so a receive loop
/// need not allocate one per message): false when nothing is pending, and `frames` is left
/// empty on an error. Once the first frame is there, libzmq has the whole message, so the
/// rest never blocks.
pub fn recv_multipart_into(s: &zmq::Socket, frames: &mut Frames) -> Result<bool> {
    let mut first = zmq::Message::new();
    match s.recv(&mut first, zmq::DONTWAIT) {
        Ok(()) => {}
        Err(zmq::Error::EAGAIN) => return Ok(false),
        Err(e) => return Err(Error::zmq("zmq_msg_recv", e)),
    }
    let mut more = first.get_more();
    frames.push(first);
    while more {
        let mut m = zmq::Message::new();
        if let Err(e) = s.recv(&mut m, 0) {
            frames.clear();
            return Err(Error::zmq("zmq_msg_recv", e));
        }
        more = m.get_more();
        frames.push(m);
    }
    Ok(true)
}
