//! Target `frames`: the frame-layout checks of every receiving role, over inproc sockets.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::input::*;
use crate::logging_template::scratch_dir;
use zeromq_xop::error::Code;
use zeromq_xop::logging::Logger;
use zeromq_xop::manager::{check_router_frames, Manager};

/// Decode 1..=6 frames.
pub(crate) fn decode_frames(r: &mut Reader) -> Vec<Vec<u8>> {
    let n = 1 + (r.u8() % 6) as usize;
    (0..n)
        .map(|_| {
            let b = r.bytes(200).to_vec();
            // Now and then a larger frame.
            if r.u8() == 0xff {
                b.repeat(40)
            } else {
                b
            }
        })
        .collect()
}

struct FramesFixture {
    m: Arc<Manager>,
    dealer: zeromq_xop::socket::context::Socket,
    router: zeromq_xop::socket::context::Socket,
    publisher: zeromq_xop::socket::context::Socket,
    client_id: Vec<u8>,
    runs: u64,
    log: std::path::PathBuf,
}

pub(crate) fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn frames_fixture() -> &'static Mutex<FramesFixture> {
    static F: OnceLock<Mutex<FramesFixture>> = OnceLock::new();
    F.get_or_init(|| {
        let log = scratch_dir().join("frames.jsonl");
        let m = Manager::with_logger(Logger::new(log.clone()));
        // inproc, which libzmq never limits: the size limit is tests/hardening.rs's subject.
        m.set_max_message_size(-1).unwrap();
        m.set_flags(zeromq_xop::manager::SET_FLAGS_LOGGING).unwrap();
        let tag = format!("{}-{:p}", std::process::id(), Arc::as_ptr(&m));
        let ctx = m.context().clone();
        // Server side: the manager's ROUTER, a raw DEALER sending to it.
        m.attach(
            zeromq_xop::manager::Role::Server,
            format!("inproc://fz-server-{tag}").as_bytes(),
        )
        .unwrap();
        let dealer = ctx.socket(zmq::DEALER).unwrap();
        dealer.set_linger(0).unwrap();
        dealer
            .connect(&format!("inproc://fz-server-{tag}"))
            .unwrap();
        // Client side: a raw ROUTER the manager's DEALER connects to.
        let router = ctx.socket(zmq::ROUTER).unwrap();
        router.set_linger(0).unwrap();
        router.bind(&format!("inproc://fz-client-{tag}")).unwrap();
        m.attach(
            zeromq_xop::manager::Role::Client,
            format!("inproc://fz-client-{tag}").as_bytes(),
        )
        .unwrap();
        m.client_send(b"hello").unwrap();
        let hello = router.recv_multipart(0).unwrap();
        assert_eq!(hello.len(), 3);
        let client_id = hello[0].clone();
        // Subscriber side: a raw PUB the manager's SUB connects to, subscribed to everything.
        let publisher = ctx.socket(zmq::PUB).unwrap();
        publisher.set_linger(0).unwrap();
        publisher.bind(&format!("inproc://fz-pub-{tag}")).unwrap();
        m.attach(
            zeromq_xop::manager::Role::Subscriber,
            format!("inproc://fz-pub-{tag}").as_bytes(),
        )
        .unwrap();
        m.sub_add_filter(b"").unwrap();
        wait_for("the subscription", || {
            publisher.send_multipart([&b"probe"[..], b""], 0).unwrap();
            m.sub_recv(0).unwrap()
        });
        while m.sub_recv(20).unwrap().is_some() {}
        Mutex::new(FramesFixture {
            m,
            dealer,
            router,
            publisher,
            client_id,
            runs: 0,
            log,
        })
    })
}

/// Fuzz entry: the frame-layout checks of the server, client and subscriber receive paths.
pub fn frames(data: &[u8]) {
    let mut fx = frames_fixture().lock().unwrap_or_else(|e| e.into_inner());
    fx.runs += 1;
    if fx.runs.is_multiple_of(512) {
        let _ = std::fs::remove_file(&fx.log);
    }
    let mut r = Reader::new(data);
    let route = r.u8() % 4;
    let frames = decode_frames(&mut r);
    let m = Arc::clone(&fx.m);

    // The pure check on the frames a ROUTER would deliver.
    let mut with_id: Vec<zmq::Message> = vec![zmq::Message::from(&b"id"[..])];
    with_id.extend(frames.iter().map(|f| zmq::Message::from(&f[..])));
    let router_ok = frames.len() == 2 && frames[0].is_empty();
    match check_router_frames(with_id) {
        Ok(f) => {
            assert!(router_ok);
            assert_eq!((&f[0][..], &f[1][..]), (&b"id"[..], &frames[1][..]));
        }
        Err(e) => {
            assert!(!router_ok);
            assert_eq!(e.code, Code::InvalidMessageFormat);
        }
    }

    let wait = 5000;
    match route {
        0 => {
            fx.dealer
                .send_multipart(frames.iter().map(|f| &f[..]), 0)
                .unwrap();
            match m.server_recv(wait) {
                Ok(Some(f)) => {
                    assert!(router_ok, "accepted {} frames", frames.len());
                    assert_eq!(f.len(), 2);
                    assert!(!f[0].is_empty());
                    assert_eq!(&f[1][..], &frames[1][..]);
                }
                Ok(None) => panic!("the server received nothing"),
                Err(e) => {
                    assert!(!router_ok, "rejected a good message: {}", e.detail);
                    assert_eq!(e.code, Code::InvalidMessageFormat);
                }
            }
            assert!(
                m.server_recv(0).unwrap().is_none(),
                "frames left over on the server"
            );
        }
        1 => {
            let mut msg: Vec<&[u8]> = vec![&fx.client_id];
            msg.extend(frames.iter().map(|f| &f[..]));
            fx.router.send_multipart(msg, 0).unwrap();
            // [delimiter, payload, data frames of a binary reply...]: all after the first.
            match m.client_recv(wait) {
                Ok(Some(f)) => {
                    assert!(frames.len() >= 2, "accepted {} frames", frames.len());
                    assert_eq!(f.len(), frames.len() - 1);
                    for (got, sent) in f.iter().zip(&frames[1..]) {
                        assert_eq!(&got[..], &sent[..]);
                    }
                }
                Ok(None) => panic!("the client received nothing"),
                Err(e) => {
                    assert!(frames.len() < 2, "rejected {} frames", frames.len());
                    assert_eq!(e.code, Code::InvalidMessageFormat);
                }
            }
            assert!(
                m.client_recv(0).unwrap().is_none(),
                "frames left over on the client"
            );
        }
        _ => {
            let multi = route == 3;
            fx.publisher
                .send_multipart(frames.iter().map(|f| &f[..]), 0)
                .unwrap();
            let got = if multi {
                m.sub_recv_multi(wait)
            } else {
                m.sub_recv(wait)
            };
            let ok = if multi {
                frames.len() >= 2
            } else {
                frames.len() == 2
            };
            match got {
                Ok(Some(f)) => {
                    assert!(ok);
                    assert_eq!(f.len(), frames.len());
                    for (a, b) in f.iter().zip(&frames) {
                        assert_eq!(&a[..], &b[..]);
                    }
                }
                Ok(None) => panic!("the subscriber received nothing"),
                Err(e) => {
                    assert!(!ok);
                    assert_eq!(e.code, Code::InvalidMessageFormat);
                }
            }
            assert!(
                m.sub_recv_multi(0).unwrap().is_none(),
                "frames left over on the subscriber"
            );
        }
    }
}
