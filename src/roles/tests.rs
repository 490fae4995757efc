use super::*;
use crate::socket::Frames;

fn roles() -> Roles {
    Roles::new(Arc::new(Services::default()))
}

fn texts(frames: &Frames) -> Vec<&[u8]> {
    frames.iter().map(|f| &f[..]).collect()
}

/// A raw libzmq socket of `kind` connected to `ep`, in a context of its own.
fn raw(kind: zmq::SocketType, ep: &str) -> (zmq::Context, zmq::Socket) {
    let ctx = zmq::Context::new();
    let s = ctx.socket(kind).unwrap();
    s.set_linger(0).unwrap();
    s.set_rcvtimeo(5000).unwrap();
    s.connect(ep).unwrap();
    (ctx, s)
}

#[test]
fn client_and_server_frame_layouts() {
    let (server, client) = (roles(), roles());
    let ep = server.attach(Role::Server, b"tcp://127.0.0.1:*").unwrap();
    assert!(ep.starts_with("tcp://127.0.0.1:") && !ep.ends_with('*'));
    assert_eq!(server.endpoints(Role::Server), vec![ep.clone()]);
    assert!(server.server_bound());
    client.attach(Role::Client, ep.as_bytes()).unwrap();
    client.client_send(b"hello").unwrap();
    let got = server.server_recv(5000).unwrap().expect("request");
    assert_eq!(got.len(), 2);
    assert_eq!(&got[1][..], b"hello");
    assert!(got[0].starts_with(b"zeromq xop: dealer "));
    server.server_send(&got[0], b"back").unwrap();
    let reply = client.client_recv(5000).unwrap().expect("reply");
    assert_eq!(texts(&reply), [b"back"]);
    let e = server.server_send(b"", b"x").unwrap_err();
    assert_eq!(e.code, Code::InvalidArg);
    let e = server.server_send(b"nobody", b"x").unwrap_err();
    assert!(
        e.detail.contains("no peer with that identity"),
        "{}",
        e.detail
    );
    assert_eq!(client.client_recv(0).unwrap().map(|f| f.len()), None);
}

#[test]
fn the_client_returns_a_binary_replys_data_frames_and_refuses_a_lone_frame() {
    let ctx = zmq::Context::new();
    let router = ctx.socket(zmq::ROUTER).unwrap();
    router.set_linger(0).unwrap();
    router.set_rcvtimeo(5000).unwrap();
    router.bind("tcp://127.0.0.1:*").unwrap();
    let ep = router.get_last_endpoint().unwrap().unwrap();
    let client = roles();
    client.attach(Role::Client, ep.as_bytes()).unwrap();
    client.client_send(b"request").unwrap();
    let got = router.recv_multipart(0).unwrap();
    let id = got[0].clone();
    let answer = |frames: &[&[u8]]| {
        let mut all: Vec<&[u8]> = vec![&id];
        all.extend_from_slice(frames);
        router.send_multipart(all, 0).unwrap();
    };
    answer(&[b"", b"{\"json\": 1}", b"\x01\x02"]);
    let reply = client.client_recv(5000).unwrap().expect("reply");
    assert_eq!(texts(&reply), [&b"{\"json\": 1}"[..], b"\x01\x02"]);
    // As the reference, the delimiter's content is not checked; a lone frame is refused.
    answer(&[b"x", b"y"]);
    let reply = client.client_recv(5000).unwrap().expect("reply");
    assert_eq!(texts(&reply), [b"y"]);
    answer(&[b""]);
    let e = client.client_recv(5000).unwrap_err();
    assert_eq!(e.code, Code::InvalidMessageFormat);
    assert!(e.detail.contains("of sizes [0]"), "{}", e.detail);
}

#[test]
fn unexpected_layouts_are_errors_with_the_sizes() {
    let server = roles();
    let ep = server.attach(Role::Server, b"tcp://127.0.0.1:*").unwrap();
    let (_ctx, dealer) = raw(zmq::DEALER, &ep);
    dealer.send_multipart([&b"no delimiter"[..]], 0).unwrap();
    let e = server.server_recv(5000).unwrap_err();
    assert_eq!(e.code, Code::InvalidMessageFormat);
    assert!(
        e.detail.contains("received 2 frame(s) of sizes ["),
        "{}",
        e.detail
    );
    assert!(e
        .detail
        .contains("3 frames [identity, empty delimiter, payload]"));

    let sub = roles();
    let (_pctx, publisher) = {
        let ctx = zmq::Context::new();
        let p = ctx.socket(zmq::PUB).unwrap();
        p.set_linger(0).unwrap();
        p.bind("tcp://127.0.0.1:*").unwrap();
        (ctx, p)
    };
    let pep = publisher.get_last_endpoint().unwrap().unwrap();
    sub.attach(Role::Subscriber, pep.as_bytes()).unwrap();
    sub.sub_add_filter(b"").unwrap();
    // Publish until the subscription has arrived (a subscriber joins asynchronously).
    let deadline = Instant::now() + Duration::from_secs(5);
    let first = loop {
        publisher.send_multipart([&b"t"[..], b"p"], 0).unwrap();
        if let Some(f) = sub.sub_recv(50).unwrap() {
            break f;
        }
        assert!(Instant::now() < deadline, "no subscription");
    };
    assert_eq!(texts(&first), [&b"t"[..], b"p"]);
    while sub.sub_recv(100).unwrap().is_some() {}
    publisher
        .send_multipart([&b"t"[..], b"p", b"more"], 0)
        .unwrap();
    let e = sub.sub_recv(5000).unwrap_err();
    assert_eq!(e.code, Code::InvalidMessageFormat);
    assert!(e.detail.contains("[1, 1, 4]"), "{}", e.detail);
    publisher
        .send_multipart([&b"t"[..], b"p", b"more"], 0)
        .unwrap();
    let multi = sub.sub_recv_multi(5000).unwrap().unwrap();
    assert_eq!(multi.len(), 3);
    publisher.send(&b"single"[..], 0).unwrap();
    let e = sub.sub_recv_multi(5000).unwrap_err();
    assert!(e.detail.contains("at least 2 frames"), "{}", e.detail);
}

#[test]
fn publisher_reaches_a_filtered_subscriber() {
    let (publisher, sub) = (roles(), roles());
    let ep = publisher
        .attach(Role::Publisher, b"tcp://127.0.0.1:*")
        .unwrap();
    sub.attach(Role::Subscriber, ep.as_bytes()).unwrap();
    sub.sub_add_filter(b"a").unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    let got = loop {
        publisher.pub_send(b"b", b"not for us").unwrap();
        publisher.pub_send(b"a", b"data").unwrap();
        if let Some(f) = sub.sub_recv(50).unwrap() {
            break f;
        }
        assert!(Instant::now() < deadline, "nothing arrived");
    };
    assert_eq!(texts(&got), [&b"a"[..], b"data"]);
    publisher.pub_send_multi(&[b"a", b"x", b"y"]).unwrap();
    let e = publisher.pub_send_multi(&[b"a"]).unwrap_err();
    assert_eq!(e.code, Code::InvalidArg);
}

#[test]
fn filters_are_recorded_checked_and_dropped_by_stop() {
    let sub = roles();
    sub.sub_add_filter(b"one").unwrap();
    sub.sub_add_filter(b"").unwrap();
    assert_eq!(
        sub.sub_add_filter(b"one").unwrap_err().code,
        Code::MessageFilterDuplicated
    );
    let long = vec![b'x'; MAX_FILTER_LENGTH + 1];
    assert_eq!(
        sub.sub_add_filter(&long).unwrap_err().code,
        Code::FilterTooLong
    );
    sub.sub_add_filter(&long[1..]).unwrap();
    assert_eq!(sub.filters().len(), 3);
    assert_eq!(
        sub.sub_remove_filter(b"two").unwrap_err().code,
        Code::MessageFilterMissing
    );
    sub.sub_remove_filter(b"one").unwrap();
    assert_eq!(sub.filters().len(), 2);
    sub.sub_remove_filter(b"").unwrap();
    assert!(sub.filters().is_empty());
    sub.sub_add_filter(b"again").unwrap();
    sub.stop();
    assert!(sub.filters().is_empty());
}

#[test]
fn stop_closes_and_the_next_call_makes_a_new_socket() {
    let r = roles();
    assert_eq!(r.serial(Role::Publisher), None);
    let ep = r.attach(Role::Publisher, b"tcp://127.0.0.1:*").unwrap();
    let first = r.serial(Role::Publisher).unwrap();
    r.stop();
    assert_eq!(r.serial(Role::Publisher), None);
    assert!(r.endpoints(Role::Publisher).is_empty());
    // The address is free again at once (a bind retries while libzmq releases it).
    assert_eq!(r.attach(Role::Publisher, ep.as_bytes()).unwrap(), ep);
    assert_ne!(r.serial(Role::Publisher).unwrap(), first);
    assert_eq!(
        r.attach(Role::Client, b"").unwrap_err().code,
        Code::InvalidArg
    );
    let e = r.attach(Role::Client, b"nope://x").unwrap_err();
    assert!(
        e.detail.contains("client endpoint \"nope://x\""),
        "{}",
        e.detail
    );
    assert_eq!(
        r.poll_state(Role::Publisher, first).unwrap_err().code,
        Code::Closed
    );
    r.stop();
}

#[test]
fn message_size_limit_answers_large_requests() {
    let server = roles();
    assert_eq!(
        server.set_max_message_size(-2).unwrap_err().code,
        Code::InvalidArg
    );
    server.set_max_message_size(16).unwrap();
    let ep = server.attach(Role::Server, b"tcp://127.0.0.1:*").unwrap();
    // Bound with the transport floor: raising the limit beyond it needs a new server.
    let e = server
        .set_max_message_size(crate::settings::TRANSPORT_LIMIT_FLOOR + 1)
        .unwrap_err();
    assert!(e.detail.contains("zeromq_stop"), "{}", e.detail);
    server.set_max_message_size(32).unwrap();
    let (_ctx, req) = raw(zmq::REQ, &ep);
    req.send(&[b'x'; 33][..], 0).unwrap();
    assert!(server.server_recv(300).unwrap().is_none());
    let reply = req.recv_bytes(0).unwrap();
    let text = String::from_utf8(reply).unwrap();
    assert!(
        text.contains("more than the server's limit of 32"),
        "{text}"
    );
    req.send(&[b'x'; 32][..], 0).unwrap();
    let got = server.server_recv(5000).unwrap().unwrap();
    assert_eq!(got[1].len(), 32);
}

#[test]
fn ipv6_and_options_reach_open_and_new_sockets() {
    let r = roles();
    r.attach(Role::Client, b"tcp://127.0.0.1:9").unwrap();
    r.set_ipv6(true).unwrap();
    assert_eq!(
        r.with_existing(Role::Client, |s, _| s.is_ipv6().unwrap()),
        Some(true)
    );
    r.set_option(Role::Client, 23, &7i32.to_ne_bytes()).unwrap();
    assert_eq!(
        r.with_existing(Role::Client, |s, _| s.get_sndhwm().unwrap()),
        Some(7)
    );
    r.stop();
    r.attach(Role::Client, b"tcp://127.0.0.1:9").unwrap();
    assert_eq!(
        r.with_existing(Role::Client, |s, _| s.get_sndhwm().unwrap()),
        Some(7)
    );
    assert_eq!(
        r.set_option(Role::Client, 23, &[1, 2]).unwrap_err().code,
        Code::InvalidArg
    );
    r.stop();
}

#[test]
fn curve_server_zero_undoes_curve_on_the_open_and_the_next_socket() {
    use crate::socket::options::CURVE_SERVER;
    let curve = |r: &Roles| {
        r.with_existing(Role::Server, |s, _| {
            matches!(s.get_mechanism().unwrap(), zmq::Mechanism::ZMQ_CURVE)
        })
    };
    let r = roles();
    let (_public, secret) = crate::security::keys::keypair().unwrap();
    r.set_option(Role::Server, CURVE_SERVER, &1i32.to_ne_bytes())
        .unwrap();
    r.set_option(Role::Server, 49, secret.as_bytes()).unwrap();
    r.attach(Role::Server, b"tcp://127.0.0.1:*").unwrap();
    assert_eq!(curve(&r), Some(true));
    r.set_option(Role::Server, CURVE_SERVER, &0i32.to_ne_bytes())
        .unwrap();
    assert_eq!(curve(&r), Some(false));
    // The next server socket is plain too (the key set before does not turn CURVE on again),
    // and a plain client reaches it.
    r.stop();
    let ep = r.attach(Role::Server, b"tcp://127.0.0.1:*").unwrap();
    assert_eq!(curve(&r), Some(false));
    let (_ctx, req) = raw(zmq::REQ, &ep);
    req.send(&b"plain"[..], 0).unwrap();
    let got = r.server_recv(5000).unwrap().expect("a plain request");
    assert_eq!(&got[1][..], b"plain");
    r.stop();
}

#[test]
fn a_role_socket_is_polled_by_its_serial_until_closed() {
    use crate::socket::poll::{poll, Target, POLLOUT};
    let r = roles();
    r.attach(Role::Publisher, b"tcp://127.0.0.1:*").unwrap();
    let serial = r.serial(Role::Publisher).unwrap();
    let items = [(Target::Role(Role::Publisher, serial), POLLOUT)];
    let state = |role, serial| r.poll_state(role, serial);
    assert_eq!(poll(&items, 0, state).unwrap(), [POLLOUT]);
    r.stop();
    assert_eq!(poll(&items, 0, state).unwrap_err().code, Code::Closed);
}
