//! Whole multipart messages as libzmq delivers them.

use crate::error::{Error, Result};

/// A received message: its frames.
pub type Frames = Vec<zmq::Message>;

/// Receive all frames of one message without blocking; `None` when nothing is pending. Once
/// the first frame is there, libzmq has the whole message, so the rest never blocks.
pub fn recv_multipart(s: &zmq::Socket) -> Result<Option<Frames>> {
    let mut first = zmq::Message::new();
    match s.recv(&mut first, zmq::DONTWAIT) {
        Ok(()) => {}
        Err(zmq::Error::EAGAIN) => return Ok(None),
        Err(e) => return Err(Error::zmq("zmq_msg_recv", e)),
    }
    let mut frames = vec![first];
    while frames.last().expect("frame").get_more() {
        let mut m = zmq::Message::new();
        s.recv(&mut m, 0)
            .map_err(|e| Error::zmq("zmq_msg_recv", e))?;
        frames.push(m);
    }
    Ok(Some(frames))
}
