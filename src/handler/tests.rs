use super::*;
use crate::protocol::Value;
use std::time::{Duration, Instant};

/// A handler whose dispatcher answers each call with its number of parameters, over a server
/// bound to an ephemeral loopback port; not started.
fn handler() -> (Arc<Handler>, String) {
    let roles = Arc::new(Roles::new(Arc::new(Services::default())));
    let h = Arc::new(Handler::new(Arc::clone(&roles)));
    let ep = roles.attach(Role::Server, b"tcp://127.0.0.1:*").unwrap();
    h.set_dispatcher(Some(Arc::new(|call: &Call, reply: &mut Reply| {
        assert!(crate::host_queue::processing_here());
        reply.push(Value::Variable(call.params.len() as f64));
    })));
    (h, ep)
}

fn client(ep: &str) -> (zmq::Context, zmq::Socket) {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::REQ).unwrap();
    s.set_linger(0).unwrap();
    s.set_rcvtimeo(5000).unwrap();
    s.connect(ep).unwrap();
    (ctx, s)
}

const ADD: &[u8] = br#"{"version": 1, "CallFunction": {"name": "add", "params": [1, 2]}}"#;

fn reply_json(s: &zmq::Socket) -> serde_json::Value {
    let text = s.recv_bytes(0).expect("a reply within 5 s");
    serde_json::from_slice(&text).unwrap()
}

/// Process on this (the host's) thread until a call has run.
fn process_one(h: &Handler) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while h.process() == 0 {
        assert!(Instant::now() < deadline, "no call arrived");
        h.wait(100);
    }
}

#[test]
fn calls_are_queued_run_on_the_host_thread_and_answered() {
    let (h, ep) = handler();
    h.start().unwrap();
    assert!(h.is_running());
    assert_eq!(h.start().unwrap_err().code, Code::HandlerAlreadyRunning);
    let (_ctx, c) = client(&ep);
    c.send(ADD, 0).unwrap();
    process_one(&h);
    let reply = reply_json(&c);
    assert_eq!(reply["errorCode"]["value"], 0);
    assert_eq!(reply["result"]["value"], 2.0);
    h.stop();
    assert!(!h.is_running());
}

#[test]
fn phase_a_rejections_are_answered_without_the_host() {
    let (h, ep) = handler();
    h.start().unwrap();
    let (_ctx, c) = client(&ep);
    c.send(&b"{not json"[..], 0).unwrap();
    // Nobody processes: the handler thread answers by itself.
    let reply = reply_json(&c);
    assert_ne!(reply["errorCode"]["value"], 0);
    assert_eq!(h.queued(), 0);
    h.stop();
}

#[test]
fn a_call_waits_in_the_queue_until_processed() {
    let (h, ep) = handler();
    let fd = h.ready_fd();
    h.start().unwrap();
    let (_ctx, c) = client(&ep);
    c.send(ADD, 0).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while h.queued() == 0 {
        assert!(Instant::now() < deadline, "not queued");
        h.wait(100);
    }
    if let Some(fd) = fd {
        let mut items = [zmq::PollItem::from_fd(fd, zmq::POLLIN)];
        assert_eq!(zmq::poll(&mut items, 0).unwrap(), 1);
    }
    assert_eq!(h.process(), 1);
    assert_eq!(reply_json(&c)["result"]["value"], 2.0);
    h.stop();
}

#[test]
fn validate_and_receive_are_usable_without_the_thread() {
    let (h, ep) = handler();
    let (_ctx, c) = client(&ep);
    c.send(ADD, 0).unwrap();
    // The handler is not started: receive by hand.
    let deadline = Instant::now() + Duration::from_secs(5);
    let batch = loop {
        match h.receive() {
            Received::Messages(b) => break b,
            Received::Idle(fd) => {
                let mut items = [zmq::PollItem::from_fd(fd, zmq::POLLIN)];
                let _ = zmq::poll(&mut items, 100);
            }
            Received::Failed(e) => panic!("{}", e.detail),
        }
        assert!(Instant::now() < deadline, "nothing received");
    };
    assert_eq!(batch.len(), 1);
    let call = h
        .validate(batch.into_iter().next().unwrap())
        .expect("a valid call");
    assert_eq!(call.name(), "add");
    assert!(!call.identity.is_empty());
    let frames: Frames = [&call.identity[..], b"", b"[]"]
        .iter()
        .map(|f| zmq::Message::from(*f))
        .collect();
    assert!(h.validate(frames).is_none(), "a malformed request");
    assert_ne!(reply_json(&c)["errorCode"]["value"], 0);
}

#[test]
fn without_a_dispatcher_or_bind_calls_are_refused() {
    let roles = Arc::new(Roles::new(Arc::new(Services::default())));
    let h = Arc::new(Handler::new(Arc::clone(&roles)));
    assert_eq!(h.start().unwrap_err().code, Code::HandlerNoConnection);
    let reply = h.test_callfunction(ADD);
    let doc: serde_json::Value = serde_json::from_slice(&reply.to_compact()).unwrap();
    assert_eq!(doc["errorCode"]["value"], req::NON_EXISTING_FUNCTION);
    // A panicking dispatcher becomes an error reply.
    h.set_dispatcher(Some(Arc::new(|_: &Call, _: &mut Reply| panic!("boom"))));
    let text = String::from_utf8(h.test_callfunction(ADD).to_compact()).unwrap();
    assert!(text.contains("failed unexpectedly"), "{text}");
}
