//! Inputs that must stay safe to use afterwards, checked on the core library: a subscriber
//! filter at the length limit on a thread with a small stack, the limit itself; requests over
//! the maximum message size, answered instead of dropped.

mod common;

use common::serving::{req_call_frames, ServingHost};
use std::sync::Arc;
use std::time::{Duration, Instant};
use zeromq_xop::error::Code;
use zeromq_xop::manager::{Manager, Role, MAX_FILTER_LENGTH};
use zeromq_xop::protocol::{Call, Reply, Value};
use zeromq_xop::roles;

/// libzmq recurses once per filter byte when it adds, removes and frees a subscription: at
/// the limit that must fit in a small host thread stack with room to spare (Windows' default
/// is 1 MiB, Rust's 2 MiB, Linux main threads 8 MiB). At 1024 bytes 96 KiB is enough; 4096
/// bytes overflowed 256 KiB.
#[test]
fn a_filter_at_the_limit_is_safe_on_a_256_kib_stack() {
    let t = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let m = Manager::new();
            let topic = vec![b'a'; MAX_FILTER_LENGTH];
            m.sub_add_filter(&topic).expect("a filter at the limit");
            let ep = m
                .attach(Role::Publisher, b"tcp://127.0.0.1:*")
                .expect("bind");
            m.attach(Role::Subscriber, ep.as_bytes()).expect("connect");
            let deadline = Instant::now() + Duration::from_secs(10);
            let got = loop {
                m.pub_send(&topic, b"x").expect("publish");
                if let Some(f) = m.sub_recv(50).expect("receive") {
                    break f;
                }
                assert!(Instant::now() < deadline, "the long topic never arrived");
            };
            assert_eq!(&got[0][..], &topic[..]);
            m.sub_remove_filter(&topic).expect("remove");
            m.sub_add_filter(&topic).expect("add again");
            m.stop();
            m.sub_add_filter(&topic).expect("add after stop");
            m.shutdown();
        })
        .expect("thread");
    t.join().expect("no stack overflow");
}

#[test]
fn a_longer_filter_is_refused_with_its_own_code() {
    let m = Manager::new();
    let e = m
        .sub_add_filter(&vec![b'a'; MAX_FILTER_LENGTH + 1])
        .expect_err("over the limit");
    assert_eq!(e.code, Code::FilterTooLong);
    assert!(
        e.detail.contains(&MAX_FILTER_LENGTH.to_string()),
        "{}",
        e.detail
    );
    assert!(m.filters().is_empty());
    m.shutdown();
}

/// A plain REQ client (as pyzmq scripts are written) sending one request to `endpoint`;
/// the reply text, or None after `wait`.
fn req_call(endpoint: &str, payload: &[u8], wait: Duration) -> Option<String> {
    req_call_frames(endpoint, payload, wait).map(|f| String::from_utf8_lossy(&f[0]).into_owned())
}

fn request_of(size: usize) -> Vec<u8> {
    let head = r#"{"version":1,"CallFunction":{"name":"f","params":[""#;
    let mut r = head.as_bytes().to_vec();
    r.resize(size.max(head.len() + 4) - 4, b'x');
    r.extend_from_slice(br#""]}}"#);
    r
}

/// A server with its handler running, a dispatcher that answers every call with 1 and a
/// host thread running the queued calls.
fn serving() -> ServingHost {
    let m = Manager::new();
    m.handler
        .set_dispatcher(Some(Arc::new(|_: &Call, r: &mut Reply| {
            r.push(Value::Variable(1.0))
        })));
    ServingHost::start(m)
}

const WAIT: Duration = Duration::from_secs(10);

fn is_reply(reply: &Option<String>, code: i32) -> bool {
    reply
        .as_deref()
        .is_some_and(|r| r.contains(&format!("\"value\": {code}")))
}

/// A REQ client sending more than the limit gets an error reply it can read (not silence);
/// the limit set on a bound server takes effect at once, and a limit libzmq would have to
/// enforce with the bind's transport limit is refused until the server binds again.
#[test]
fn oversized_requests_are_answered_and_the_limit_applies_to_a_bound_server() {
    let host = serving();
    let (m, ep) = (&host.m, host.endpoint.clone());
    assert!(is_reply(&req_call(&ep, &request_of(1024), WAIT), 0));
    for size in [1025, 5000, 1 << 20] {
        let r = req_call(&ep, &request_of(size), WAIT);
        assert!(is_reply(&r, 8), "{size} bytes: {r:?}");
        assert!(r.unwrap().contains(&format!("{size} bytes")));
    }
    // Lower and raise on the bound server: at once.
    m.set_max_message_size(100).expect("lower");
    assert!(is_reply(&req_call(&ep, &request_of(500), WAIT), 8));
    m.set_max_message_size(4096).expect("raise");
    assert!(is_reply(&req_call(&ep, &request_of(3000), WAIT), 0));
    // Beyond the transport limit of the bind: refused, the previous limit stays.
    for refused in [-1, 100 << 20] {
        let e = m
            .set_max_message_size(refused)
            .expect_err("over the bind's limit");
        assert_eq!(e.code, Code::InvalidArg);
        assert!(e.detail.contains("zeromq_stop"), "{}", e.detail);
    }
    assert_eq!(m.max_message_size(), 4096);
    // After a stop, no limit: a megabyte goes through.
    m.stop();
    m.set_max_message_size(-1).expect("no limit");
    let ep = m.attach(Role::Server, b"tcp://127.0.0.1:*").expect("bind");
    m.handler.start().expect("handler");
    assert!(is_reply(&req_call(&ep, &request_of(1 << 20), WAIT), 0));
    host.finish();
}

/// Without the handler, a host receiving with zeromq_server_recv never sees an oversized
/// request; its client is answered and the receive goes on waiting.
#[test]
fn server_recv_answers_oversized_requests() {
    let m = Manager::new();
    let ep = m.attach(Role::Server, b"tcp://127.0.0.1:*").expect("bind");
    let client = std::thread::spawn(move || req_call(&ep, &request_of(5000), WAIT));
    let deadline = Instant::now() + WAIT;
    while !client.is_finished() && Instant::now() < deadline {
        assert!(m.server_recv(50).expect("receive").is_none());
    }
    assert!(is_reply(&client.join().expect("client"), 8));
    m.shutdown();
}

/// The Igor glue's interface description states the library's limits and defaults: the
/// procedure file's constants and the XOP's error texts are generated from it.
#[test]
fn igor_interface_description_matches_the_library() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/host-glue/igor/functions.json");
    let desc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("functions.json")).unwrap();
    assert_eq!(desc["max_filter_length"], MAX_FILTER_LENGTH);
    let (topic, period) = Manager::new().heartbeat();
    assert_eq!(desc["heartbeat"], String::from_utf8(topic).unwrap());
    assert_eq!(desc["heartbeat_period_ms"], period.as_millis() as u64);
    // Error n of the list is XOP error 10000 + n: every code the library returns has its text.
    let errors = desc["errors"].as_array().expect("errors");
    for &code in Code::ALL.iter().filter(|&&c| c as usize > 10000) {
        let text = errors
            .get(code as usize - 10001)
            .and_then(|e| e["text"].as_str());
        assert_eq!(text, Some(code.text()), "XOP error text of {}", code as i32);
    }
}

/// Identities in output lines: printable ASCII as is, every other byte escaped, so a binary
/// routing id never reaches the host's console raw.
#[test]
fn identities_are_printed_escaped() {
    assert_eq!(roles::printable(b"client-1"), "\"client-1\"");
    assert_eq!(
        roles::printable(b"\x00\xa7k\"\\\n"),
        "\"\\x00\\xa7k\\\"\\\\\\x0a\""
    );
}

/// A remote function that calls zeromq_stop (every socket closed, from inside the call) still
/// gets its reply to the client, and the host can bind again afterwards.
#[test]
fn a_call_that_stops_everything_is_answered() {
    let m = Manager::new();
    let weak = Arc::downgrade(&m);
    m.handler
        .set_dispatcher(Some(Arc::new(move |_: &Call, r: &mut Reply| {
            if let Some(m) = weak.upgrade() {
                m.stop();
            }
            r.push(Value::Variable(42.0))
        })));
    let ep = m.attach(Role::Server, b"tcp://127.0.0.1:*").expect("bind");
    m.handler.start().expect("handler");
    let client = std::thread::spawn(move || req_call(&ep, &request_of(100), WAIT));
    let deadline = Instant::now() + WAIT;
    while !client.is_finished() && Instant::now() < deadline {
        m.handler.wait(20);
        m.handler.process();
    }
    let reply = client.join().expect("client");
    assert!(is_reply(&reply, 0) && reply.unwrap().contains("42"));
    assert!(m.endpoints(Role::Server).is_empty());
    assert!(!m.handler.is_running());
    m.attach(Role::Server, b"tcp://127.0.0.1:*")
        .expect("bind again");
    m.shutdown();
}
