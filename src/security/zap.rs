//! The ZAP handler (ZeroMQ RFC 27): a thread answering libzmq's authentication requests on
//! `inproc://zeromq.zap.01` in the library's context. libzmq asks it about every CURVE
//! handshake and every NULL connection to a socket with a ZAP domain.
//!
//! The thread sleeps in `zmq_poll` on its REP socket and a stop socket; it ends when told to
//! (`stop`) or when the context is terminated (ETERM), closing its sockets either way, so it
//! never keeps the context from terminating.

use super::rules::{Request, Rules};
use crate::error::{Error, Result};
use parking_lot::{Mutex, RwLock};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

/// The endpoint libzmq sends ZAP requests to.
pub const ZAP_ENDPOINT: &str = "inproc://zeromq.zap.01";

/// A refused connection, as reported to the log and the debug output.
pub struct Refusal {
    /// The peer's address.
    pub address: String,
    /// The socket's ZAP domain.
    pub domain: String,
    /// The security mechanism of the handshake.
    pub mechanism: String,
    /// Why it was refused.
    pub reason: String,
}

/// What the handler calls for each refusal.
pub type Reporter = Arc<dyn Fn(&Refusal) + Send + Sync>;

struct Running {
    thread: JoinHandle<()>,
    stop: crate::socket::context::Socket,
}

/// The handler thread, when it runs.
#[derive(Default)]
pub struct Zap {
    running: Mutex<Option<Running>>,
}

static STOP_SERIAL: AtomicU64 = AtomicU64::new(0);

impl Zap {
    /// Whether the thread runs.
    pub fn is_running(&self) -> bool {
        self.running
            .lock()
            .as_ref()
            .is_some_and(|r| !r.thread.is_finished())
    }

    /// Start the thread unless it runs. The REP socket is bound before this returns, so every
    /// handshake from then on is checked.
    pub fn start(
        &self,
        ctx: &crate::socket::context::Context,
        rules: Arc<RwLock<Rules>>,
        report: Reporter,
    ) -> Result<()> {
        let mut running = self.running.lock();
        if let Some(r) = running.as_ref() {
            if !r.thread.is_finished() {
                return Ok(());
            }
        }
        if let Some(old) = running.take() {
            let _ = old.thread.join();
        }
        let e = |call: &'static str| move |err| Error::zmq(call, err);
        let rep = ctx.socket(zmq::REP).map_err(e("zmq_socket"))?;
        rep.set_linger(0).map_err(e("zmq_setsockopt(ZMQ_LINGER)"))?;
        rep.bind(ZAP_ENDPOINT).map_err(|err| {
            let mut x = Error::zmq("zmq_bind", err);
            x.detail = format!("{} (the ZAP handler's endpoint {ZAP_ENDPOINT})", x.detail);
            x
        })?;
        let stop_ep = format!(
            "inproc://zeromq-xop.zap-stop.{}",
            STOP_SERIAL.fetch_add(1, Ordering::Relaxed)
        );
        let stop_rx = ctx.socket(zmq::PAIR).map_err(e("zmq_socket"))?;
        stop_rx
            .set_linger(0)
            .map_err(e("zmq_setsockopt(ZMQ_LINGER)"))?;
        stop_rx.bind(&stop_ep).map_err(e("zmq_bind"))?;
        let stop = ctx.socket(zmq::PAIR).map_err(e("zmq_socket"))?;
        stop.set_linger(0)
            .map_err(e("zmq_setsockopt(ZMQ_LINGER)"))?;
        stop.connect(&stop_ep).map_err(e("zmq_connect"))?;
        let thread = std::thread::Builder::new()
            .name("zeromq-xop zap".into())
            .spawn(move || serve(rep, stop_rx, &rules, &report))
            .map_err(|err| Error::invalid_arg(format!("Could not start the ZAP thread: {err}")))?;
        *running = Some(Running { thread, stop });
        Ok(())
    }

    /// Stop the thread and wait for it (its sockets are closed when it returns).
    pub fn stop(&self) {
        let Some(r) = self.running.lock().take() else {
            return;
        };
        let _ = r.stop.send(&b""[..], zmq::DONTWAIT);
        drop(r.stop);
        if r.thread.thread().id() != std::thread::current().id() {
            let _ = r.thread.join();
        }
    }
}

impl Drop for Zap {
    fn drop(&mut self) {
        self.stop();
    }
}

fn serve(
    rep: crate::socket::context::Socket,
    stop: crate::socket::context::Socket,
    rules: &RwLock<Rules>,
    report: &Reporter,
) {
    serve_until_stopped(&rep, &stop, rules, report);
    // Closing a socket releases its inproc endpoint later (libzmq's reaper); unbinding releases
    // it now, so a handler started next can bind it.
    let _ = rep.unbind(ZAP_ENDPOINT);
}

fn serve_until_stopped(
    rep: &zmq::Socket,
    stop: &zmq::Socket,
    rules: &RwLock<Rules>,
    report: &Reporter,
) {
    loop {
        let mut items = [
            rep.as_poll_item(zmq::POLLIN),
            stop.as_poll_item(zmq::POLLIN),
        ];
        match zmq::poll(&mut items, -1) {
            Ok(_) => {}
            Err(zmq::Error::EINTR) => continue,
            Err(_) => return, // ETERM: the context is terminating
        }
        if items[1].is_readable() {
            return;
        }
        if !items[0].is_readable() {
            continue;
        }
        let frames = match rep.recv_multipart(zmq::DONTWAIT) {
            Ok(f) => f,
            Err(zmq::Error::EAGAIN) | Err(zmq::Error::EINTR) => continue,
            Err(_) => return,
        };
        let reply = answer(&frames, &rules.read(), report);
        match rep.send_multipart(reply, 0) {
            Ok(()) | Err(zmq::Error::EINTR) => {}
            Err(_) => return,
        }
    }
}

/// The reply to one ZAP request: [version, request id, status code, status text, user id,
/// metadata].
fn answer(frames: &[Vec<u8>], rules: &Rules, report: &Reporter) -> Vec<Vec<u8>> {
    let reply = |id: &[u8], code: &str, text: &str, user: &str| {
        vec![
            b"1.0".to_vec(),
            id.to_vec(),
            code.as_bytes().to_vec(),
            text.as_bytes().to_vec(),
            user.as_bytes().to_vec(),
            Vec::new(),
        ]
    };
    if frames.len() < 6 || frames[0] != b"1.0" {
        let id = frames.get(1).map_or(&[][..], |f| f);
        return reply(id, "500", "Malformed ZAP request", "");
    }
    let text = |f: &[u8]| String::from_utf8_lossy(f).into_owned();
    let address = text(&frames[3]);
    let request = Request {
        address: &address,
        mechanism: &frames[5],
        client_key: frames.get(6).map(|k| &k[..]),
    };
    match rules.decide(&request) {
        Ok(user) => reply(&frames[1], "200", "OK", &user),
        Err(reason) => {
            report(&Refusal {
                address,
                domain: text(&frames[2]),
                mechanism: text(&frames[5]),
                reason,
            });
            reply(&frames[1], "400", "Access denied", "")
        }
    }
}
