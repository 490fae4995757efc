//! A manager serving remote calls on a loopback port with a host thread running them, and the
//! client sockets the tests talk to it with.

use super::host_loop::HostLoop;
use std::sync::Arc;
use std::time::Duration;
use zeromq_xop::manager::{Manager, Role};

/// The serving host; dropping it stops the host thread, then shuts the manager down.
pub struct ServingHost {
    pub m: Arc<Manager>,
    /// The server's bound endpoint (`tcp://127.0.0.1:<port>`).
    pub endpoint: String,
    host_loop: HostLoop,
}

impl ServingHost {
    /// Bind `m` (its dispatcher set) as a server on an ephemeral loopback port, start its
    /// handler and a host thread running its calls.
    pub fn start(m: Arc<Manager>) -> ServingHost {
        let endpoint = m.attach(Role::Server, b"tcp://127.0.0.1:*").unwrap();
        m.handler.start().unwrap();
        let host_loop = HostLoop::start(&m);
        ServingHost {
            m,
            endpoint,
            host_loop,
        }
    }

    /// Stop the host thread and shut the manager down: how many calls the thread ran.
    pub fn finish(mut self) -> u64 {
        self.host_loop.stop()
    }
}

impl Drop for ServingHost {
    fn drop(&mut self) {
        // The host thread first (it uses the manager), then the library.
        self.host_loop.stop();
        self.m.shutdown();
    }
}

/// A client socket of `kind` connected to `endpoint`: no linger, receives time out after 10 s.
pub fn client_socket(ctx: &zmq::Context, kind: zmq::SocketType, endpoint: &str) -> zmq::Socket {
    let s = ctx.socket(kind).unwrap();
    s.set_linger(0).unwrap();
    s.set_rcvtimeo(10_000).unwrap();
    s.connect(endpoint).unwrap();
    s
}

/// Send `payload` from a new REQ socket to `endpoint` and return the reply's frames (`None`:
/// no reply within `wait`).
pub fn req_call_frames(endpoint: &str, payload: &[u8], wait: Duration) -> Option<Vec<Vec<u8>>> {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::REQ).expect("socket");
    s.set_linger(0).expect("linger");
    s.connect(endpoint).expect("connect");
    s.send(payload, 0).expect("send");
    if s.poll(zmq::POLLIN, wait.as_millis() as i64).expect("poll") == 0 {
        return None;
    }
    Some(s.recv_multipart(0).expect("receive"))
}
