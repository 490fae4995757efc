//! A careless or hostile host: threads blocked in the role receives while another thread
//! stops or shuts the library down, remote functions that stop the library and bind again
//! from inside the call (binary replies included).

mod common;

use common::serving::req_call_frames;
use common::within;
use std::sync::Arc;
use std::time::{Duration, Instant};
use zeromq_xop::error::{Code, Error};
use zeromq_xop::manager::{Manager, Role};
use zeromq_xop::protocol::{Call, Reply, Value};
use zeromq_xop::socket::Frames;

const WAIT: Duration = Duration::from_secs(10);

type Recv = fn(&Manager, i32) -> Result<Option<Frames>, Error>;

const RECEIVES: [(&str, Role, Recv); 4] = [
    ("client_recv", Role::Client, Manager::client_recv),
    ("server_recv", Role::Server, Manager::server_recv),
    ("sub_recv", Role::Subscriber, Manager::sub_recv),
    ("sub_recv_multi", Role::Subscriber, Manager::sub_recv_multi),
];

/// A thread blocked in a role receive without a timeout, while `end` closes the role
/// sockets: it returns promptly with `Code::Closed` (nothing can arrive on a closed socket),
/// and no socket of the role is left open behind the host's back.
fn blocked_receive_returns_when(what: &str, end: fn(&Manager)) {
    for (name, role, recv) in RECEIVES {
        let m = Manager::new();
        let ep = if role.binds() {
            "tcp://127.0.0.1:*".to_string()
        } else {
            m.attach(Role::Publisher, b"tcp://127.0.0.1:*").unwrap()
        };
        m.attach(role, ep.as_bytes()).unwrap();
        let m2 = Arc::clone(&m);
        let waiter = std::thread::spawn(move || recv(&m2, -1));
        // The waiter is asleep in its receive by now (if not, it finds the socket closed).
        std::thread::sleep(Duration::from_millis(200));
        let t = Instant::now();
        end(&m);
        let r = within(
            Duration::from_secs(3),
            &format!("{name} after {what}"),
            move || waiter.join().expect("the receiving thread panicked"),
        );
        assert!(t.elapsed() < Duration::from_secs(3));
        match r {
            Err(e) => assert_eq!(e.code, Code::Closed, "{name} after {what}: {}", e.detail),
            Ok(f) => panic!("{name} after {what}: returned {f:?} instead of an error"),
        }
        assert!(
            m.roles.serial(role).is_none(),
            "{name} after {what}: the receive opened a new {role:?} socket"
        );
        m.shutdown();
    }
}

#[test]
fn a_receive_blocked_forever_returns_when_another_thread_stops() {
    blocked_receive_returns_when("zeromq_stop", |m| m.stop());
}

#[test]
fn a_receive_blocked_forever_returns_when_another_thread_shuts_down() {
    blocked_receive_returns_when("zeromq_shutdown", |m| m.shutdown());
}

/// Call `endpoint` with `request` from a REQ client thread while serving calls on this
/// thread; the reply's frames (`None`: none within `wait`).
fn call_served(
    m: &Manager,
    endpoint: &str,
    request: &'static [u8],
    wait: Duration,
) -> Option<Vec<Vec<u8>>> {
    let ep = endpoint.to_string();
    let client = std::thread::spawn(move || req_call_frames(&ep, request, wait));
    let deadline = Instant::now() + WAIT;
    while !client.is_finished() && Instant::now() < deadline {
        m.handler.wait(20);
        m.handler.process();
    }
    client.join().expect("client")
}

/// The reply of a call answered with 42.
fn assert_answered(reply: Option<Vec<Vec<u8>>>, what: &str) {
    let reply = reply.unwrap_or_else(|| panic!("{what}: no reply"));
    assert!(
        String::from_utf8_lossy(&reply[0]).contains("42"),
        "{what}: {reply:?}"
    );
}

/// A manager whose dispatcher runs `inside` with the manager during every call and answers
/// with 42; bound and handling. Returns the endpoint.
fn serving_with(inside: impl Fn(&Arc<Manager>) + Send + Sync + 'static) -> (Arc<Manager>, String) {
    let m = Manager::new();
    let weak = Arc::downgrade(&m);
    m.handler
        .set_dispatcher(Some(Arc::new(move |_: &Call, r: &mut Reply| {
            if let Some(m) = weak.upgrade() {
                inside(&m);
            }
            r.push(Value::Variable(42.0))
        })));
    let ep = m.attach(Role::Server, b"tcp://127.0.0.1:*").expect("bind");
    m.handler.start().expect("handler");
    (m, ep)
}

/// A remote function asking for a binary reply that calls zeromq_stop gets its reply as a
/// JSON one does, and the endpoint is free afterwards (the host binds it again).
#[test]
fn a_binary_call_that_stops_everything_is_answered_and_frees_its_port() {
    let (m, ep) = serving_with(|m| m.stop());
    let request = br#"{"version":1,"binary":true,"CallFunction":{"name":"f","params":[]}}"#;
    let reply = call_served(&m, &ep, request, WAIT);
    assert_answered(reply, "the call that stopped everything");
    assert!(m.endpoints(Role::Server).is_empty());
    m.attach(Role::Server, ep.as_bytes())
        .expect("the same endpoint bound again");
    m.shutdown();
}

/// A remote function that restarts the server on the same endpoint (zeromq_stop,
/// zeromq_server_bind, zeromq_handler_start, as an Igor-to-Igor setup does) leaves a working
/// server: the next call is answered.
#[test]
fn a_call_that_rebinds_the_same_endpoint_leaves_a_working_server() {
    // The endpoint to bind again, and the outcome of that bind.
    type Rebind = Option<(String, Result<String, Error>)>;
    let slot: Arc<parking_lot::Mutex<Rebind>> = Arc::default();
    let s2 = Arc::clone(&slot);
    let (m, ep) = serving_with(move |m| {
        let mut s = s2.lock();
        if let Some((ep, r)) = s.as_mut() {
            if r.is_ok() {
                m.stop();
                *r = m.attach(Role::Server, ep.as_bytes());
                if r.is_ok() {
                    m.handler.start().expect("handler again");
                }
            }
        }
    });
    *slot.lock() = Some((ep.clone(), Ok(String::new())));
    let request = br#"{"version":1,"CallFunction":{"name":"restart","params":[]}}"#;
    // The restarting call's own reply is lost with its connection (the unbind closes it).
    let _ = call_served(&m, &ep, request, Duration::from_millis(1000));
    let rebound = slot.lock().take().unwrap().1;
    rebound.expect("the same endpoint bound again inside the call");
    assert_eq!(m.endpoints(Role::Server), std::slice::from_ref(&ep));
    assert_answered(call_served(&m, &ep, request, WAIT), "the restarted server");
    m.shutdown();
}

/// A role option value libzmq refuses is an error whether or not the role's socket is open,
/// and is not remembered: the role keeps working, after `zeromq_stop` too.
#[test]
fn a_refused_role_option_does_not_break_the_role() {
    const SNDHWM: i32 = 23;
    const TCP_KEEPALIVE: i32 = 34;
    for (option, value) in [(SNDHWM, -1i32), (TCP_KEEPALIVE, 7)] {
        let m = Manager::new();
        let peer = m.attach(Role::Server, b"tcp://127.0.0.1:*").unwrap();
        let what = format!("option {option} = {value}");
        // No client socket yet: refused now, not when the socket is made.
        let e = m
            .set_role_option(Role::Client, option, &value.to_ne_bytes())
            .expect_err(&what);
        assert_eq!(e.code, Code::InvalidArg, "{what}: {}", e.detail);
        m.attach(Role::Client, peer.as_bytes())
            .unwrap_or_else(|e| panic!("{what}, then a connect: {}", e.detail));
        // An open client socket: refused, and the next socket is made without it.
        let e = m
            .set_role_option(Role::Client, option, &value.to_ne_bytes())
            .expect_err(&what);
        assert_eq!(e.code, Code::InvalidArg, "{what}: {}", e.detail);
        m.stop();
        m.attach(Role::Client, peer.as_bytes())
            .unwrap_or_else(|e| panic!("{what}, zeromq_stop, then a connect: {}", e.detail));
        m.shutdown();
    }
}

/// After `zeromq_shutdown` (twice, and once from inside a remote call) every part works
/// again: the server with its handler, the client, the publisher with its heartbeat, the
/// subscriber.
#[test]
fn everything_works_again_after_shutdown() {
    let (m, _) = serving_with(|m| m.shutdown());
    for round in 0..3 {
        if round < 2 {
            m.shutdown();
        }
        m.set_heartbeat(b"hb", 30).unwrap();
        let ep = m.attach(Role::Server, b"tcp://127.0.0.1:*").unwrap();
        m.handler.start().expect("the handler starts again");
        let request = br#"{"version":1,"CallFunction":{"name":"f","params":[]}}"#;
        // The dispatcher shuts the library down inside the call; the call is answered.
        assert_answered(call_served(&m, &ep, request, WAIT), "a call after shutdown");
        let pub_ep = m.attach(Role::Publisher, b"tcp://127.0.0.1:*").unwrap();
        m.attach(Role::Subscriber, pub_ep.as_bytes()).unwrap();
        m.sub_add_filter(b"hb").unwrap();
        let beat = m
            .sub_recv(5000)
            .unwrap()
            .expect("a heartbeat after shutdown");
        assert_eq!(&beat[0][..], b"hb");
        let peer = m.attach(Role::Client, ep.as_bytes());
        peer.expect("the client connects again");
        m.client_send(b"x").unwrap();
    }
    m.shutdown();
}

/// A host thread waiting for calls without a timeout returns when another thread stops or
/// shuts the library down (no call can come any more).
#[test]
fn a_handler_wait_without_timeout_returns_on_stop_and_shutdown() {
    for end in [Manager::stop as fn(&Manager), Manager::shutdown] {
        let (m, _) = serving_with(|_| {});
        let m2 = Arc::clone(&m);
        let waiter = std::thread::spawn(move || m2.handler.wait(-1));
        std::thread::sleep(Duration::from_millis(200));
        end(&m);
        within(
            Duration::from_secs(3),
            "zeromq_handler_wait(-1)",
            move || waiter.join().expect("the waiting thread panicked"),
        );
        m.shutdown();
    }
}

/// A wake-up function that (against its documentation) stops the library from the handler
/// thread: the stop completes (no join of the handler thread by itself) and the library
/// serves again afterwards.
#[test]
fn a_wakeup_function_that_stops_the_library_does_not_break_it() {
    let (m, ep) = serving_with(|_| {});
    let weak = Arc::downgrade(&m);
    m.handler.set_wakeup(Some(Arc::new(move || {
        if let Some(m) = weak.upgrade() {
            m.stop();
        }
    })));
    let request = br#"{"version":1,"CallFunction":{"name":"f","params":[]}}"#;
    let _ = call_served(&m, &ep, request, Duration::from_millis(500));
    let deadline = Instant::now() + WAIT;
    while (m.handler.is_running() || !m.endpoints(Role::Server).is_empty())
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        m.endpoints(Role::Server).is_empty(),
        "the stop did not complete"
    );
    assert!(!m.handler.is_running());
    m.handler.set_wakeup(None);
    let ep = m.attach(Role::Server, b"tcp://127.0.0.1:*").unwrap();
    m.handler.start().expect("the handler starts again");
    assert_answered(call_served(&m, &ep, request, WAIT), "a call after the stop");
    m.shutdown();
}

/// Message IDs with every kind of escape come back as the same string in valid JSON, in a
/// JSON reply, a binary reply and a Phase-A error reply alike.
#[test]
fn odd_message_ids_come_back_unchanged() {
    let (m, ep) = serving_with(|_| {});
    let ids = [
        r#""a\"b\\c\/d""#,
        r#""\u0001\u001f\b\f\n\r\t""#,
        r#""\u00e9\ud83d\ude00 \u2028\u2029""#,
        "\"\u{e9}\u{1F600}\"",
        r#""\u0000""#,
    ];
    for id in ids {
        let want: serde_json::Value = serde_json::from_str(id).unwrap();
        for (what, body) in [
            ("json", r#""CallFunction":{"name":"f","params":[]}"#),
            (
                "binary",
                r#""binary":true,"CallFunction":{"name":"f","params":[]}"#,
            ),
            ("rejected", r#""CallFunction":{"name":"f","params":[[]]}"#),
        ] {
            let request = format!(r#"{{"version":1,"messageID":{id},{body}}}"#);
            let request: &'static [u8] = Box::leak(request.into_bytes().into_boxed_slice());
            let reply = call_served(&m, &ep, request, WAIT)
                .unwrap_or_else(|| panic!("{what} {id}: no reply"));
            let doc: serde_json::Value = serde_json::from_slice(&reply[0]).unwrap_or_else(|e| {
                panic!("{what} {id}: {e}: {:?}", String::from_utf8_lossy(&reply[0]))
            });
            assert_eq!(doc["messageID"], want, "{what} {id}: {doc}");
        }
    }
    m.shutdown();
}

/// Results with invalid UTF-8, NUL and control bytes, NaN and infinities, by value and by
/// reference: the reply is valid JSON in both reply forms, the invalid bytes replaced.
#[test]
fn replies_with_broken_text_and_odd_numbers_are_valid_json() {
    let m = Manager::new();
    m.handler
        .set_dispatcher(Some(Arc::new(|_: &Call, r: &mut Reply| {
            r.push(Value::String(
                b"a\xffb\0c\x01\xc0\x80\xed\xa0\x80\"\\".to_vec(),
            ));
            r.push_by_ref(Value::Dfref(b"root:\xfe:".to_vec()));
            r.push_by_ref(Value::Variable(f64::NAN));
            r.push_by_ref(Value::Variable(f64::NEG_INFINITY));
            r.push_by_ref(Value::Variable(-0.0));
            r.push_by_ref(Value::Variable(5e-324));
        })));
    let ep = m.attach(Role::Server, b"tcp://127.0.0.1:*").expect("bind");
    m.handler.start().expect("handler");
    for body in [
        r#"{"version":1,"CallFunction":{"name":"f","params":[]}}"#,
        r#"{"version":1,"binary":true,"CallFunction":{"name":"f","params":[]}}"#,
    ] {
        let reply = call_served(&m, &ep, body.as_bytes(), WAIT).expect("a reply");
        let doc: serde_json::Value = serde_json::from_slice(&reply[0])
            .unwrap_or_else(|e| panic!("{body}: {e}: {:?}", String::from_utf8_lossy(&reply[0])));
        let s = doc["result"]["value"].as_str().expect("a string result");
        assert!(s.starts_with("a\u{fffd}b\u{0}c\u{1}"), "{s:?}");
        assert!(s.ends_with("\"\\"), "{s:?}");
    }
    m.shutdown();
}

/// A remote function that stops, binds elsewhere and stops again is still answered through
/// the socket its request came in on.
#[test]
fn a_call_that_stops_twice_is_answered() {
    let (m, ep) = serving_with(|m| {
        m.stop();
        m.attach(Role::Server, b"tcp://127.0.0.1:*").expect("bind");
        m.stop();
    });
    let request = br#"{"version":1,"CallFunction":{"name":"f","params":[]}}"#;
    assert_answered(call_served(&m, &ep, request, WAIT), "stop, bind, stop");
    m.shutdown();
}

/// Through the C functions: a thread polling a role socket's id without a timeout, and one
/// in `zeromq_client_recv(-1)`, return promptly with `ZEROMQ_ERR_CLOSED` when another thread
/// calls `zeromq_stop`.
#[test]
fn c_poll_and_receive_on_a_role_socket_return_on_stop() {
    use zeromq_xop::ffi::generic::{zeromq_poll, zeromq_poll_item, zeromq_role_socket};
    use zeromq_xop::ffi::socket::{
        zeromq_client_connect, zeromq_client_recv, zeromq_stop, ZEROMQ_ERR_CLOSED,
    };
    let _g = common::serial("hostile");
    let (ep, len) = common::text_arg("tcp://127.0.0.1:9");
    assert_eq!(unsafe { zeromq_client_connect(ep, len) }, 0);
    let mut id = 0u64;
    assert_eq!(unsafe { zeromq_role_socket(0, &mut id) }, 0);
    assert!(id > 0);
    let poller = std::thread::spawn(move || {
        let mut item = zeromq_poll_item {
            socket: id,
            fd: 0,
            events: 1,
            revents: 0,
        };
        let mut ready = 0usize;
        unsafe { zeromq_poll(&mut item, 1, -1, &mut ready) }
    });
    let receiver = std::thread::spawn(|| {
        let mut msg = std::ptr::null_mut();
        unsafe { zeromq_client_recv(-1, &mut msg) }
    });
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(zeromq_stop(), 0);
    let rcs = within(
        Duration::from_secs(3),
        "poll and receive after stop",
        move || (poller.join().unwrap(), receiver.join().unwrap()),
    );
    assert_eq!(rcs, (ZEROMQ_ERR_CLOSED, ZEROMQ_ERR_CLOSED));
}

/// An output function that calls back into the library (publishes, binds, stops) while its
/// lines are delivered, on the host's thread and from `zeromq_handler_process`: no deadlock.
#[test]
fn an_output_function_that_calls_the_library_does_not_deadlock() {
    within(WAIT, "output function calling back", || {
        let (m, ep) = serving_with(|m| m.emergency("from a call"));
        m.set_flags(zeromq_xop::manager::SET_FLAGS_DEBUG).unwrap();
        let weak = Arc::downgrade(&m);
        let lines = Arc::new(parking_lot::Mutex::new(Vec::new()));
        let l2 = Arc::clone(&lines);
        m.set_output(Some(Box::new(move |line: &str| {
            l2.lock().push(line.to_string());
            if let Some(m) = weak.upgrade() {
                let _ = m.pub_send(b"t", line.as_bytes());
                if line.contains("from a call") {
                    m.stop();
                } else if line.contains("client connected") {
                    let _ = m.attach(Role::Publisher, b"tcp://127.0.0.1:*");
                }
            }
        })));
        // Debug lines on the host's thread, delivered at once.
        m.attach(Role::Client, ep.as_bytes()).unwrap();
        let request = br#"{"version":1,"CallFunction":{"name":"f","params":[]}}"#;
        assert_answered(call_served(&m, &ep, request, WAIT), "a call with output");
        assert!(
            m.endpoints(Role::Server).is_empty(),
            "the output function stopped"
        );
        assert!(lines.lock().iter().any(|l| l.contains("from a call")));
        m.set_output(None);
        m.shutdown();
    });
}

/// A request that starts with a UTF-8 byte order mark (a JSON file saved by Windows tools)
/// is read as the reference's JSON library reads it: the mark is skipped.
#[test]
fn a_request_with_a_byte_order_mark_is_answered() {
    let (m, ep) = serving_with(|_| {});
    let request = b"\xef\xbb\xbf{\"version\":1,\"CallFunction\":{\"name\":\"f\",\"params\":[]}}";
    assert_answered(call_served(&m, &ep, request, WAIT), "a request after a BOM");
    m.shutdown();
}

/// `zeromq_set(IPV6)` while the server socket is open reaches it: it binds `[::1]` and a
/// client reaches it there; DEFAULT turns it off again.
#[test]
fn ipv6_switched_on_with_an_open_server() {
    let m = Manager::new();
    m.attach(Role::Server, b"tcp://127.0.0.1:*").unwrap();
    assert!(
        m.attach(Role::Server, b"tcp://[::1]:*").is_err(),
        "IPv6 is off"
    );
    m.set_flags(zeromq_xop::manager::SET_FLAGS_IPV6).unwrap();
    let v6 = m
        .attach(Role::Server, b"tcp://[::1]:*")
        .expect("bind [::1]");
    let ctx = zmq::Context::new();
    let client = ctx.socket(zmq::DEALER).unwrap();
    client.set_linger(0).unwrap();
    client.set_ipv6(true).unwrap();
    client.connect(&v6).unwrap();
    client.send_multipart([&b""[..], b"over IPv6"], 0).unwrap();
    let got = m.server_recv(5000).unwrap().expect("a request over IPv6");
    assert_eq!(&got[1][..], b"over IPv6");
    m.set_flags(zeromq_xop::manager::SET_FLAGS_DEFAULT).unwrap();
    assert!(
        m.attach(Role::Server, b"tcp://[::1]:*").is_err(),
        "IPv6 is off again"
    );
    m.shutdown();
}
