//! Unit tests of generic sockets, the registry and the poller on loopback.

use super::poll::{poll, Target, POLLIN, POLLOUT};
use super::registry::Registry;
use super::*;
use crate::role::Role;
use std::sync::Arc;

fn pair(ctx: &Context, a: i32, b: i32) -> (GenericSocket, GenericSocket) {
    let x = GenericSocket::new(ctx, a).unwrap();
    let y = GenericSocket::new(ctx, b).unwrap();
    let ep = x.bind(b"tcp://127.0.0.1:*").unwrap();
    y.connect(ep.as_bytes()).unwrap();
    (x, y)
}

/// For polls of generic sockets and descriptors only.
fn no_roles(_: Role, _: u64) -> Result<(zmq::PollEvents, waker::RawFd)> {
    unreachable!("no role socket is polled here")
}

fn texts(f: &Frames) -> Vec<&[u8]> {
    f.iter().map(|m| &m[..]).collect()
}

#[test]
fn multipart_round_trip_with_timeouts() {
    let ctx = Context::new();
    let (rep, req) = pair(&ctx, zmq::REP as i32, zmq::REQ as i32);
    assert!(rep.recv(0).unwrap().is_none());
    let t = Instant::now();
    assert!(rep.recv(50).unwrap().is_none());
    assert!(t.elapsed() >= Duration::from_millis(45));
    req.send(&[b"a", b"", b"ccc"], 1000).unwrap();
    let got = rep.recv(2000).unwrap().unwrap();
    assert_eq!(texts(&got), [&b"a"[..], b"", b"ccc"]);
    rep.send(&[b"ok"], -1).unwrap();
    assert_eq!(texts(&req.recv(-1).unwrap().unwrap()), [&b"ok"[..]]);
    // REQ must not send twice in a row: libzmq's state error, not a timeout.
    req.send(&[b"1"], 0).unwrap();
    let e = req.send(&[b"2"], 0).unwrap_err();
    assert_eq!(e.code, Code::InvalidArg);
    assert!(e.detail.contains("zmq_send"), "{}", e.detail);
    assert_eq!(req.send(&[], 0).unwrap_err().code, Code::InvalidArg);
}

#[test]
fn send_times_out_when_the_queue_is_full() {
    let ctx = Context::new();
    let push = GenericSocket::new(&ctx, zmq::PUSH as i32).unwrap();
    // No peer: nothing can be queued.
    let t = Instant::now();
    assert_eq!(push.send(&[b"x"], 80).unwrap_err().code, Code::Timeout);
    assert!(t.elapsed() >= Duration::from_millis(75));
    assert_eq!(push.send(&[b"x"], 0).unwrap_err().code, Code::Timeout);
    // A PUB drops instead of blocking; with XPUB_NODROP it reports back-pressure.
    let publ = GenericSocket::new(&ctx, zmq::PUB as i32).unwrap();
    publ.set_option(23, &1i32.to_ne_bytes()).unwrap();
    publ.set_option(69, &1i32.to_ne_bytes()).unwrap();
    let ep = publ.bind(b"tcp://127.0.0.1:*").unwrap();
    let sub = GenericSocket::new(&ctx, zmq::SUB as i32).unwrap();
    sub.set_option(24, &1i32.to_ne_bytes()).unwrap();
    sub.set_option(6, b"").unwrap();
    sub.connect(ep.as_bytes()).unwrap();
    // Wait until the subscription arrived, then fill the queues.
    let start = Instant::now();
    loop {
        publ.send(&[b"probe"], 0).ok();
        if sub.recv(20).unwrap().is_some() {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "no subscription");
    }
    let mut timed_out = false;
    for _ in 0..100_000 {
        match publ.send(&[&[0u8; 1000][..]], 0) {
            Ok(()) => {}
            Err(e) => {
                assert_eq!(e.code, Code::Timeout, "{}", e.detail);
                timed_out = true;
                break;
            }
        }
    }
    assert!(timed_out, "a full PUB queue never reported back-pressure");
}

#[test]
fn closing_wakes_a_blocked_thread() {
    let ctx = Context::new();
    let s = Arc::new(GenericSocket::new(&ctx, zmq::PULL as i32).unwrap());
    s.bind(b"tcp://127.0.0.1:*").unwrap();
    let s2 = Arc::clone(&s);
    let t = std::thread::spawn(move || {
        let start = Instant::now();
        (s2.recv(-1).map(|_| ()), start)
    });
    std::thread::sleep(Duration::from_millis(100));
    let closed_at = Instant::now();
    s.close().unwrap();
    let (r, _) = t.join().unwrap();
    assert_eq!(r.unwrap_err().code, Code::Closed);
    assert!(closed_at.elapsed() < Duration::from_millis(90));
    assert_eq!(s.close().unwrap_err().code, Code::Closed);
    assert_eq!(s.bind(b"tcp://127.0.0.1:*").unwrap_err().code, Code::Closed);
}

#[test]
fn bind_unbind_connect_disconnect_and_endpoints() {
    let ctx = Context::new();
    let (pull, push) = pair(&ctx, zmq::PULL as i32, zmq::PUSH as i32);
    let eps = pull.endpoints().unwrap();
    assert_eq!(eps.len(), 1);
    assert!(eps[0].starts_with("tcp://127.0.0.1:"), "{eps:?}");
    assert_eq!(push.endpoints().unwrap(), eps);
    push.send(&[b"one"], 1000).unwrap();
    assert!(pull.recv(2000).unwrap().is_some());
    push.disconnect(eps[0].as_bytes()).unwrap();
    assert!(push.endpoints().unwrap().is_empty());
    pull.unbind(eps[0].as_bytes()).unwrap();
    assert!(pull.endpoints().unwrap().is_empty());
    assert!(pull.unbind(eps[0].as_bytes()).is_err());
    assert!(pull.bind(b"").is_err());
    assert!(pull.bind(b"nonsense").is_err());
    assert!(GenericSocket::new(&ctx, 12).is_err());
    assert!(GenericSocket::new(&ctx, -1).is_err());
}

#[test]
fn registry_ids_are_never_reused() {
    let ctx = Context::new();
    let r = Registry::default();
    let a = r.insert(GenericSocket::new(&ctx, 0).unwrap());
    r.close(a).unwrap();
    let b = r.insert(GenericSocket::new(&ctx, 0).unwrap());
    assert!(b > a);
    assert_eq!(r.close(a).unwrap_err().code, Code::Closed);
    assert_eq!(r.socket(a).err().unwrap().code, Code::Closed);
    assert_eq!(r.socket(0).err().unwrap().code, Code::Closed);
    let role = r.role_id(Role::Publisher, 7);
    assert_eq!(r.role_id(Role::Publisher, 7), role);
    let role2 = r.role_id(Role::Publisher, 8);
    assert!(role2 > role);
    assert!(r.entry(role).is_err());
    assert_eq!(r.socket(role2).err().unwrap().code, Code::InvalidArg);
    assert!(r.close(role2).is_err());
    assert_eq!(r.open_sockets(), 1);
    assert_eq!(r.close_all(), 1);
    assert_eq!(r.socket(b).err().unwrap().code, Code::Closed);
}

#[test]
fn poll_sockets_and_descriptors() {
    let (pull, push) = pair(&Context::new(), zmq::PULL as i32, zmq::PUSH as i32);
    let (pull, push) = (Arc::new(pull), Arc::new(push));
    let items = [
        (Target::Socket(Arc::clone(&pull)), POLLIN),
        (Target::Socket(Arc::clone(&push)), POLLOUT),
    ];
    // The PUSH can send once connected.
    let start = Instant::now();
    let r = poll(&items, 2000, no_roles).unwrap();
    assert_eq!(r, [0, POLLOUT]);
    assert!(start.elapsed() < Duration::from_secs(2));
    let t = Instant::now();
    assert_eq!(poll(&items[..1], 60, no_roles).unwrap(), [0]);
    assert!(t.elapsed() >= Duration::from_millis(55));
    let push2 = Arc::clone(&push);
    let sender = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        push2.send(&[b"x"], -1).unwrap();
    });
    assert_eq!(poll(&items[..1], 5000, no_roles).unwrap(), [POLLIN]);
    sender.join().unwrap();
    // A waker as a plain descriptor.
    let w = waker::Waker::new().unwrap();
    let fd_items = [(Target::Fd(w.fd()), POLLIN)];
    assert_eq!(poll(&fd_items, 0, no_roles).unwrap(), [0]);
    w.set();
    assert_eq!(poll(&fd_items, 0, no_roles).unwrap(), [POLLIN]);
    // Closing a polled socket from another thread ends the poll with Closed.
    let pull2 = Arc::clone(&pull);
    assert!(pull.recv(0).unwrap().is_some());
    let closer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(80));
        pull2.close().unwrap();
        Instant::now()
    });
    let e = poll(&items[..1], -1, no_roles).unwrap_err();
    let closed_at = closer.join().unwrap();
    assert_eq!(e.code, Code::Closed);
    assert!(e.detail.starts_with("Poll item 0"), "{}", e.detail);
    assert!(closed_at.elapsed() < Duration::from_millis(90));
}

/// CPU time of the calling thread.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the live struct.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

#[test]
fn blocked_threads_sleep_until_traffic_or_close() {
    let ctx = Context::new();
    let (pull, push) = pair(&ctx, zmq::PULL as i32, zmq::PUSH as i32);
    let (pull, push) = (Arc::new(pull), Arc::new(push));
    // A PUSH without a peer cannot queue anything: its sender blocks.
    let lonely = Arc::new(GenericSocket::new(&ctx, zmq::PUSH as i32).unwrap());
    let blocked = |f: Box<dyn FnOnce() -> Result<bool> + Send>| {
        std::thread::spawn(move || {
            let (cpu, start) = (thread_cpu(), Instant::now());
            let r = f();
            (r, thread_cpu() - cpu, start.elapsed())
        })
    };
    let p = Arc::clone(&pull);
    let receiver = blocked(Box::new(move || {
        Ok(p.recv(-1)?.is_some_and(|f| texts(&f) == [&b"wake"[..]]))
    }));
    let l = Arc::clone(&lonely);
    let sender = blocked(Box::new(move || l.send(&[b"never"], -1).map(|()| true)));
    let idle = Duration::from_millis(600);
    std::thread::sleep(idle);
    push.send(&[b"wake"], 1000).unwrap();
    let sent_at = Instant::now();
    let (r, cpu, waited) = receiver.join().unwrap();
    assert!(r.unwrap(), "the receiver got another message");
    assert!(sent_at.elapsed() < Duration::from_millis(500));
    // Waiting costs a wake-up per WAIT_SLICE_MS at most, not a spinning loop (which takes
    // its whole share of a core, a lot more than this even on a busy machine).
    // Not before the message was sent (the thread's clock starts a little after `idle`'s).
    assert!(
        waited + Duration::from_millis(100) >= idle,
        "returned after {waited:?}"
    );
    assert!(
        cpu < Duration::from_millis(30),
        "the blocked receiver used {cpu:?} of CPU"
    );
    lonely.close().unwrap();
    let (r, cpu, waited) = sender.join().unwrap();
    assert_eq!(r.unwrap_err().code, Code::Closed);
    // Not before the message was sent (the thread's clock starts a little after `idle`'s).
    assert!(
        waited + Duration::from_millis(100) >= idle,
        "returned after {waited:?}"
    );
    assert!(
        cpu < Duration::from_millis(30),
        "the blocked sender used {cpu:?} of CPU"
    );
}
