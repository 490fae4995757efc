//! Remote calls end to end over loopback: real libzmq clients (REQ and DEALER, as labs write
//! them) against the handler thread, with a host thread running the queued calls.

mod common;

use common::serving::{client_socket, ServingHost};
use serde_json::Value as J;
use std::sync::Arc;
use std::time::{Duration, Instant};
use zeromq_xop::error::{req, Code};
use zeromq_xop::logging::Logger;
use zeromq_xop::manager::{Manager, Role};
use zeromq_xop::protocol::{Call, Reply, Value};

fn manager() -> Arc<Manager> {
    let dir = std::env::temp_dir().join(format!("zxop-rc-{}", std::process::id()));
    Manager::with_logger(Logger::new(dir.join("Log.jsonl")))
}

/// A dispatcher like a small host: add, greet, divmod, fail, slow.
fn host_dispatch(call: &Call, reply: &mut Reply) {
    let num = |i: usize| {
        call.params
            .get(i)
            .and_then(|p| zeromq_xop::protocol::strtod_full(p.text()))
    };
    match call.name() {
        "add" => {
            if call.params.len() != 2 {
                return reply.error(if call.params.len() < 2 { 102 } else { 103 }, None);
            }
            match (num(0), num(1)) {
                (Some(a), Some(b)) => reply.push(Value::Variable(a + b)),
                _ => reply.error(106, None),
            }
        }
        "greet" => reply.push(Value::String(
            format!("Hello, {}!", call.params[0].text()).into_bytes(),
        )),
        "divmod" => {
            reply.set_multiple();
            let (a, b) = (num(0).unwrap(), num(1).unwrap());
            reply.push(Value::Variable((a / b).floor()));
            reply.push(Value::Variable(a % b));
        }
        "fail" => reply.error(107, Some(call.params[0].text().as_bytes())),
        _ => reply.error(101, None),
    }
}

/// A host serving `host_dispatch`.
fn start_host() -> ServingHost {
    let m = manager();
    m.handler.set_dispatcher(Some(Arc::new(host_dispatch)));
    ServingHost::start(m)
}

fn request(name: &str, params: J, id: Option<&str>) -> String {
    let mut d = serde_json::json!({"version": 1, "CallFunction": {"name": name, "params": params}});
    if let Some(id) = id {
        d["messageID"] = J::String(id.into());
    }
    d.to_string()
}

#[test]
fn req_client_calls_functions() {
    let host = start_host();
    let ctx = zmq::Context::new();
    let s = client_socket(&ctx, zmq::REQ, &host.endpoint);
    s.send(
        request("add", serde_json::json!([1, 2.5]), Some("m1")).as_bytes(),
        0,
    )
    .unwrap();
    let text = s.recv_string(0).unwrap().unwrap();
    assert_eq!(
        text,
        "{\n    \"errorCode\": {\n        \"value\": 0\n    },\n    \"messageID\": \"m1\",\n    \"result\": {\n        \"type\": \"variable\",\n        \"value\": 3.5\n    }\n}"
    );
    s.send(
        request("greet", serde_json::json!(["Igor"]), None).as_bytes(),
        0,
    )
    .unwrap();
    let v: J = serde_json::from_str(&s.recv_string(0).unwrap().unwrap()).unwrap();
    assert_eq!(v["result"]["value"], "Hello, Igor!");
    s.send(
        request("divmod", serde_json::json!([17, 5]), None).as_bytes(),
        0,
    )
    .unwrap();
    let v: J = serde_json::from_str(&s.recv_string(0).unwrap().unwrap()).unwrap();
    assert_eq!(
        v["result"],
        serde_json::json!([{"type":"variable","value":3},{"type":"variable","value":2}])
    );
    s.send(
        request("fail", serde_json::json!(["went\rwrong\n"]), Some("f")).as_bytes(),
        0,
    )
    .unwrap();
    let v: J = serde_json::from_str(&s.recv_string(0).unwrap().unwrap()).unwrap();
    assert_eq!(v["errorCode"]["value"], 107);
    assert_eq!(v["history"], "went\nwrong");
    assert_eq!(v["messageID"], "f");
    for (name, params, code) in [
        ("nope", serde_json::json!([]), 101),
        ("add", serde_json::json!([1]), 102),
        ("add", serde_json::json!([1, 2, 3]), 103),
        ("add", serde_json::json!(["1.a", 2]), 106),
    ] {
        s.send(request(name, params, None).as_bytes(), 0).unwrap();
        let v: J = serde_json::from_str(&s.recv_string(0).unwrap().unwrap()).unwrap();
        assert_eq!(v["errorCode"]["value"], code, "{name}");
        assert_eq!(v["errorCode"]["msg"], req::message(code).unwrap());
        assert!(v.get("result").is_none());
    }
    assert!(host.finish() >= 8);
}

#[test]
fn phase_a_errors_are_answered_at_once_without_the_host() {
    // No host thread: nobody runs zeromq_handler_process, yet Phase-A errors come back.
    let m = manager();
    let ep = m.attach(Role::Server, b"tcp://127.0.0.1:*").unwrap();
    m.handler.start().unwrap();
    let ctx = zmq::Context::new();
    let s = client_socket(&ctx, zmq::REQ, &ep);
    let cases: Vec<(&str, i64, Option<&str>)> = vec![
        ("garbage", 3, None),
        ("{\"version\":NaN}", 3, None),
        ("[1]", 4, None),
        ("{\"version\":1.0,\"messageID\":\"a\"}", 4, Some("a")),
        ("{\"version\":1,\"messageID\":\"\"}", 7, None),
        ("{\"version\":1,\"messageID\":\"b\"}", 5, Some("b")),
        ("{\"version\":1,\"CallFunction\":{\"name\":\"x\",\"a\":1,\"b\":2}}", 6, None),
        ("{\"version\":1,\"CallFunction\":{\"name\":\"\"}}", 101, None),
        ("{\"version\":1,\"messageID\":\"c\",\"CallFunction\":{\"name\":\"x\",\"params\":[null]}}", 106, Some("c")),
    ];
    for (payload, code, id) in cases {
        s.send(payload.as_bytes(), 0).unwrap();
        let text = s.recv_string(0).unwrap().unwrap();
        assert!(text.starts_with("{\n    \"errorCode\""), "{text}");
        let v: J = serde_json::from_str(&text).unwrap();
        assert_eq!(v["errorCode"]["value"], code, "{payload}");
        assert_eq!(v.get("messageID").and_then(|x| x.as_str()), id, "{payload}");
    }
    assert_eq!(m.handler.queued(), 0);
    // A valid call waits in the queue until the host processes it.
    s.send(
        request("anything", serde_json::json!([]), None).as_bytes(),
        0,
    )
    .unwrap();
    let t = Instant::now();
    while m.handler.queued() == 0 && t.elapsed() < Duration::from_secs(5) {
        m.handler.wait(100);
    }
    assert_eq!(m.handler.queued(), 1);
    assert_eq!(m.handler.process(), 1);
    let v: J = serde_json::from_str(&s.recv_string(0).unwrap().unwrap()).unwrap();
    assert_eq!(
        v["errorCode"]["value"], 101,
        "no dispatcher: every function is unknown"
    );
    m.shutdown();
}

#[test]
fn dealer_pipelines_hundreds_of_calls_matched_by_message_id() {
    let host = start_host();
    let ctx = zmq::Context::new();
    let d = ctx.socket(zmq::DEALER).unwrap();
    d.set_linger(0).unwrap();
    d.set_rcvtimeo(10_000).unwrap();
    d.set_sndhwm(0).unwrap();
    d.connect(&host.endpoint).unwrap();
    let n = 500;
    for i in 0..n {
        d.send_multipart(
            [
                &b""[..],
                request(
                    "add",
                    serde_json::json!([i, 1000]),
                    Some(&format!("id-{i}")),
                )
                .as_bytes(),
            ],
            0,
        )
        .unwrap();
    }
    let mut seen = vec![false; n];
    for _ in 0..n {
        let frames = d.recv_multipart(0).expect("reply within 10 s");
        assert_eq!(frames.len(), 2);
        assert!(frames[0].is_empty());
        let v: J = serde_json::from_slice(&frames[1]).unwrap();
        let id = v["messageID"].as_str().unwrap();
        let i: usize = id.strip_prefix("id-").unwrap().parse().unwrap();
        assert!(!seen[i], "duplicate reply {id}");
        seen[i] = true;
        assert_eq!(v["result"]["value"].as_f64().unwrap(), i as f64 + 1000.0);
    }
    assert!(seen.iter().all(|s| *s));
    host.finish();
}

#[test]
fn twenty_concurrent_clients_with_garbage_in_between() {
    let host = start_host();
    let ep = host.endpoint.clone();
    let mut clients = Vec::new();
    for c in 0..20 {
        let ep = ep.clone();
        clients.push(std::thread::spawn(move || {
            let ctx = zmq::Context::new();
            let d = ctx.socket(zmq::DEALER).unwrap();
            d.set_linger(0).unwrap();
            d.set_rcvtimeo(10_000).unwrap();
            d.connect(&ep).unwrap();
            for i in 0..50 {
                if i % 10 == 3 {
                    // malformed multipart: no delimiter frame, three frames
                    d.send_multipart([&b"x"[..], b"y", b"z"], 0).unwrap();
                    // garbage JSON gets a Phase-A reply
                    d.send_multipart([&b""[..], b"not json"], 0).unwrap();
                    let f = d.recv_multipart(0).unwrap();
                    let v: J = serde_json::from_slice(&f[1]).unwrap();
                    assert_eq!(v["errorCode"]["value"], 3);
                }
                let id = format!("c{c}-{i}");
                d.send_multipart(
                    [
                        &b""[..],
                        request("add", serde_json::json!([c, i]), Some(&id)).as_bytes(),
                    ],
                    0,
                )
                .unwrap();
                let f = d.recv_multipart(0).expect("reply");
                let v: J = serde_json::from_slice(&f[1]).unwrap();
                assert_eq!(
                    v["messageID"],
                    id.as_str(),
                    "reply went to the wrong client"
                );
                assert_eq!(v["result"]["value"].as_f64().unwrap(), (c + i) as f64);
            }
        }));
    }
    for c in clients {
        c.join().unwrap();
    }
    assert_eq!(host.finish(), 20 * 50);
}

#[test]
fn oversized_requests_are_answered_until_the_limit_is_raised() {
    let host = start_host();
    let ctx = zmq::Context::new();
    let big = request("greet", serde_json::json!(["x".repeat(5000)]), None);
    let s = client_socket(&ctx, zmq::REQ, &host.endpoint);
    s.set_rcvtimeo(5000).unwrap();
    s.send(big.as_bytes(), 0).unwrap();
    let v: J = serde_json::from_str(&s.recv_string(0).unwrap().unwrap()).unwrap();
    assert_eq!(
        v["errorCode"]["value"], 8,
        "a request over 1024 bytes is answered: {v}"
    );
    // No limit is more than the bound server's transport limit: it needs a new bind.
    assert_eq!(
        host.m.set_max_message_size(-1).unwrap_err().code,
        Code::InvalidArg
    );
    let ep = host.endpoint.clone();
    host.m.handler.stop();
    host.m.stop();
    host.m.set_max_message_size(-1).unwrap();
    host.m.attach(Role::Server, ep.as_bytes()).unwrap();
    host.m.handler.start().unwrap();
    let s = client_socket(&ctx, zmq::REQ, &host.endpoint);
    s.send(big.as_bytes(), 0).unwrap();
    let v: J = serde_json::from_str(&s.recv_string(0).unwrap().unwrap()).unwrap();
    assert_eq!(v["result"]["value"].as_str().unwrap().len(), 5000 + 8);
    host.finish();
}

#[test]
fn handler_start_stop_rules_and_restart_cycles() {
    let m = manager();
    let e = m.handler.start().unwrap_err();
    assert_eq!(e.code, Code::HandlerNoConnection);
    m.attach(Role::Client, b"tcp://127.0.0.1:5999").unwrap();
    assert_eq!(
        m.handler.start().unwrap_err().code,
        Code::HandlerNoConnection,
        "a connect does not count"
    );
    let ep = m.attach(Role::Server, b"tcp://127.0.0.1:*").unwrap();
    m.handler.start().unwrap();
    assert_eq!(
        m.handler.start().unwrap_err().code,
        Code::HandlerAlreadyRunning
    );
    m.handler.stop();
    m.handler.stop();
    m.handler.set_dispatcher(Some(Arc::new(host_dispatch)));
    let ctx = zmq::Context::new();
    for cycle in 0..25 {
        let t = Instant::now();
        m.handler.start().unwrap();
        let s = client_socket(&ctx, zmq::REQ, &ep);
        s.send(
            request("add", serde_json::json!([cycle, 1]), None).as_bytes(),
            0,
        )
        .unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        while m.handler.queued() == 0 && Instant::now() < deadline {
            m.handler.wait(50);
        }
        if m.handler.queued() == 0 {
            let ev = m
                .roles
                .with_socket(Role::Server, |s, _| Ok(s.get_events().unwrap()))
                .unwrap();
            panic!(
                "cycle {cycle}: the request was not queued (server events {ev:?}, handler running {})",
                m.handler.is_running()
            );
        }
        assert_eq!(m.handler.process(), 1);
        let v: J = serde_json::from_str(&s.recv_string(0).unwrap().unwrap()).unwrap();
        assert_eq!(v["result"]["value"].as_f64().unwrap(), cycle as f64 + 1.0);
        m.handler.stop();
        assert!(
            t.elapsed() < Duration::from_secs(3),
            "start/stop must be prompt"
        );
    }
    m.shutdown();
}

#[test]
fn stop_drops_queued_calls_and_vanished_clients_do_not_stop_the_server() {
    let m = manager();
    m.handler.set_dispatcher(Some(Arc::new(host_dispatch)));
    let lines = Arc::new(parking_lot::Mutex::new(Vec::<String>::new()));
    let l2 = lines.clone();
    m.set_output(Some(Box::new(move |t: &str| l2.lock().push(t.to_string()))));
    let ep = m.attach(Role::Server, b"tcp://127.0.0.1:*").unwrap();
    m.handler.start().unwrap();
    let ctx = zmq::Context::new();
    {
        // A client that sends and disappears before the reply.
        let s = client_socket(&ctx, zmq::REQ, &ep);
        s.send(
            request("add", serde_json::json!([1, 2]), None).as_bytes(),
            0,
        )
        .unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        while m.handler.queued() == 0 && Instant::now() < deadline {
            m.handler.wait(50);
        }
    }
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(m.handler.process(), 1);
    assert!(
        lines
            .lock()
            .iter()
            .any(|l| l.starts_with("Emergency") && l.contains("Could not send the reply")),
        "{:?}",
        lines.lock()
    );
    // Still serving.
    let s = client_socket(&ctx, zmq::REQ, &ep);
    s.send(
        request("add", serde_json::json!([2, 2]), None).as_bytes(),
        0,
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while m.handler.queued() == 0 && Instant::now() < deadline {
        m.handler.wait(50);
    }
    assert_eq!(m.handler.queued(), 1);
    // zeromq_stop drops it: nothing left to run.
    m.stop();
    assert_eq!(m.handler.queued(), 0);
    assert_eq!(m.handler.process(), 0);
    assert!(!m.handler.is_running());
    assert!(m.endpoints(Role::Server).is_empty());
    m.shutdown();
}

#[test]
fn test_callfunction_runs_synchronously_and_logs() {
    let dir = std::env::temp_dir().join(format!("zxop-tcf-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("Log.jsonl");
    let m = Manager::with_logger(Logger::new(path.clone()));
    m.handler.set_dispatcher(Some(Arc::new(host_dispatch)));
    m.log.set_template(b"{\"blahh\":\"blubb\"}").unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}\n");
    m.set_flags(16).unwrap();
    let reply = m
        .handler
        .test_callfunction(request("add", serde_json::json!([40, 2]), None).as_bytes());
    assert_eq!(
        String::from_utf8(reply.to_compact()).unwrap(),
        r#"{"errorCode":{"value":0},"result":{"type":"variable","value":42}}"#
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let strip_ts = |l: &str| {
        let mut v: J = serde_json::from_str(l).unwrap();
        assert!(v["ts"].as_str().unwrap().ends_with("+0000"));
        v.as_object_mut().unwrap().remove("ts");
        v.to_string()
    };
    assert_eq!(
        strip_ts(lines[1]),
        r#"{"blahh":"blubb","direction":"Incoming","json":{"CallFunction":{"name":"add","params":[40,2]},"version":1}}"#
    );
    assert_eq!(
        strip_ts(lines[2]),
        r#"{"blahh":"blubb","direction":"Outgoing","json":{"errorCode":{"value":0},"result":{"type":"variable","value":42}}}"#
    );
    let _ = std::fs::remove_dir_all(&dir);
}
