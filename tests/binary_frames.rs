//! Arrays into host functions and binary frames out, end to end over loopback: REQ and
//! DEALER clients send wave parameters (in JSON and as frames after the request's JSON) to the
//! handler thread and ask for binary replies; every malformed buffer reference gets an error
//! reply and the server keeps serving.

mod common;

use common::host_loop::HostLoop;
use serde_json::{json, Value as J};
use std::sync::Arc;
use zeromq_xop::logging::Logger;
use zeromq_xop::manager::{Manager, Role};
use zeromq_xop::protocol::{Call, ParamKind, Reply, Value};
use zeromq_xop::wave::Wave;

/// `echo(w...)`: every wave parameter back as a result (multiple results when more than one),
/// and as a by-reference value; `pair(w)`: [sum of an NT_FP64 wave, the wave].
fn dispatch(call: &Call, reply: &mut Reply) {
    let waves: Vec<Wave> = call
        .params
        .iter()
        .filter(|p| p.kind == ParamKind::Wave)
        .map(|p| p.wave().expect("a wave parameter").clone())
        .collect();
    match call.name() {
        "echo" => {
            if waves.len() != 1 {
                reply.set_multiple();
            }
            for w in waves {
                reply.push_by_ref(Value::Wave(Some(Box::new(w.clone()))));
                reply.push(Value::Wave(Some(Box::new(w))));
            }
        }
        "number" => reply.push(Value::Variable(
            zeromq_xop::protocol::strtod_full(call.params[0].text()).unwrap(),
        )),
        _ => reply.error(101, None),
    }
}

struct Host {
    m: Arc<Manager>,
    host_loop: HostLoop,
    endpoint: String,
}

impl Host {
    fn start() -> Host {
        let dir = std::env::temp_dir().join(format!("zxop-bin-{}", std::process::id()));
        let m = Manager::with_logger(Logger::new(dir.join("Log.jsonl")));
        m.set_max_message_size(-1).unwrap();
        m.handler.set_dispatcher(Some(Arc::new(dispatch)));
        let endpoint = m.attach(Role::Server, b"tcp://127.0.0.1:*").unwrap();
        m.handler.start().unwrap();
        let host_loop = HostLoop::start(&m);
        Host {
            m,
            host_loop,
            endpoint,
        }
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        // The host thread first (it uses the manager), then the library.
        self.host_loop.stop();
        self.m.shutdown();
    }
}

fn socket(ctx: &zmq::Context, kind: zmq::SocketType, ep: &str) -> zmq::Socket {
    let s = ctx.socket(kind).unwrap();
    s.set_linger(0).unwrap();
    s.set_rcvtimeo(10_000).unwrap();
    s.connect(ep).unwrap();
    s
}

fn request(name: &str, params: J, id: &str, binary: bool) -> Vec<u8> {
    let mut d =
        json!({"version": 1, "messageID": id, "CallFunction": {"name": name, "params": params}});
    if binary {
        d["binary"] = J::Bool(true);
    }
    d.to_string().into_bytes()
}

/// Send `[json, frames...]` on a REQ socket and return the reply's frames.
fn call(s: &zmq::Socket, json: Vec<u8>, frames: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut all: Vec<&[u8]> = vec![&json];
    all.extend_from_slice(frames);
    s.send_multipart(all, 0).unwrap();
    s.recv_multipart(0).expect("a reply within the timeout")
}

fn doc(frame: &[u8]) -> J {
    serde_json::from_slice(frame).unwrap()
}

fn f64_bytes(v: &[f64]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn fp64_param(k: usize, dims: &[u64]) -> J {
    json!({"type": "NT_FP64", "data": {"buffer": k}, "dimension": {"size": dims}})
}

#[test]
fn every_malformed_buffer_reference_is_answered_and_the_server_keeps_serving() {
    let host = Host::start();
    let ctx = zmq::Context::new();
    let s = socket(&ctx, zmq::REQ, &host.endpoint);
    let data = f64_bytes(&[1.0, 2.0]);
    let text = json!({"type": "TEXT_WAVE_TYPE", "data": {"buffer": 0}, "dimension": {"size": [2]}});
    let cases: Vec<(&str, J, Vec<&[u8]>, &str)> = vec![
        (
            "range",
            json!([fp64_param(1, &[2])]),
            vec![&data],
            "out of range",
        ),
        (
            "short",
            json!([fp64_param(0, &[3])]),
            vec![&data],
            "needs exactly 24",
        ),
        (
            "long",
            json!([fp64_param(0, &[1])]),
            vec![&data],
            "needs exactly 8",
        ),
        ("text", json!([text]), vec![&data], "numeric"),
        (
            "negative",
            json!([{"type": "NT_FP64", "data": {"buffer": -1}}]),
            vec![&data],
            "frame index",
        ),
        (
            "fraction",
            json!([{"type": "NT_FP64", "data": {"buffer": 0.5}}]),
            vec![&data],
            "frame index",
        ),
        (
            "extra",
            json!([fp64_param(0, &[2])]),
            vec![&data, b"x"],
            "frame 1 is not referenced",
        ),
        (
            "unreferenced",
            json!([1, "a"]),
            vec![&data],
            "frame 0 is not referenced",
        ),
        (
            "badtype",
            json!([{"type": "NT_FP16", "data": {"raw": [1]}}]),
            vec![],
            "unknown wave type",
        ),
    ];
    for (id, params, frames, needle) in cases {
        let reply = call(&s, request("echo", params, id, true), &frames);
        assert_eq!(reply.len(), 1, "{id}: an error reply has no data frames");
        let d = doc(&reply[0]);
        assert_eq!(d["errorCode"]["value"], 106, "{id}: {d}");
        assert_eq!(
            d["errorCode"]["msg"],
            "CallFunction: Parameter is not an array or otherwise invalid."
        );
        assert_eq!(d["messageID"], id);
        let detail = d["errorCode"]["detail"].as_str().unwrap();
        assert!(detail.contains(needle), "{id}: {detail}");
        // The next, valid call is served.
        let ok = call(
            &s,
            request("echo", json!([fp64_param(0, &[2])]), "ok", true),
            &[&data],
        );
        assert_eq!(doc(&ok[0])["errorCode"]["value"], 0, "after {id}");
        assert_eq!(ok[1], data);
    }
}

#[test]
fn binary_replies_keep_every_double_exactly() {
    let host = Host::start();
    let ctx = zmq::Context::new();
    let s = socket(&ctx, zmq::REQ, &host.endpoint);
    let nan_payload = f64::from_bits(0x7ff8_0000_dead_beef);
    let values = [
        f64::MAX,
        -f64::MAX,
        f64::MIN_POSITIVE,
        5e-324,
        2.225073858507201e-308,
        -0.0,
        0.1,
        1.0 / 3.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        nan_payload,
    ];
    let data = f64_bytes(&values);
    let reply = call(
        &s,
        request(
            "echo",
            json!([fp64_param(0, &[values.len() as u64])]),
            "x",
            true,
        ),
        &[&data],
    );
    // The result and the by-reference copy: two frames, bit for bit what was sent.
    assert_eq!(reply.len(), 3);
    let d = doc(&reply[0]);
    let k = d["result"]["value"]["data"]["buffer"].as_u64().unwrap() as usize;
    let r = d["passByReference"][0]["value"]["data"]["buffer"]
        .as_u64()
        .unwrap() as usize;
    assert_ne!(k, r);
    assert_eq!(reply[1 + k], data);
    assert_eq!(reply[1 + r], data);
    assert_eq!(
        d["result"]["value"]["dimension"]["size"],
        json!([values.len()])
    );
    assert_eq!(d["result"]["value"]["type"], "NT_FP64");

    // Variables in a binary reply: shortest round-trip text, parsed back exactly.
    for v in values {
        let text = zeromq_xop::numbers::shortest::exact_text(v);
        let text = text.trim_matches('"');
        let reply = call(&s, request("number", json!([text]), "n", true), &[]);
        assert_eq!(reply.len(), 1);
        let got = match &doc(&reply[0])["result"]["value"] {
            J::String(t) => zeromq_xop::protocol::strtod_full(t).unwrap(),
            n => n.as_f64().unwrap(),
        };
        if v.is_nan() {
            assert!(got.is_nan());
        } else {
            assert_eq!(got.to_bits(), v.to_bits(), "{text}");
        }
    }
    // Without "binary" the same reply is the reference's %.15g text, as before.
    let reply = call(&s, request("number", json!(["0.1"]), "n", false), &[]);
    assert_eq!(
        String::from_utf8(reply[0].clone()).unwrap(),
        "{\n    \"errorCode\": {\n        \"value\": 0\n    },\n    \"messageID\": \"n\",\n    \"result\": {\n        \"type\": \"variable\",\n        \"value\": 0.1\n    }\n}"
    );
}

#[test]
fn wave_parameters_of_every_kind_arrive_with_their_metadata() {
    let host = Host::start();
    let ctx = zmq::Context::new();
    // A DEALER client that sends the empty delimiter itself, as asynchronous clients do.
    let s = socket(&ctx, zmq::DEALER, &host.endpoint);
    let complex = json!({
        "type": "NT_I16 | NT_CMPLX | NT_UNSIGNED",
        "data": {"raw": {"real": [1, 2], "imag": [3, 65535]}, "unit": "V", "fullScale": [0, 10]},
        "dimension": {"size": [1, 2], "delta": [1, 0.5], "offset": [0, -1],
                      "unit": ["", "s"], "label": {"full": ["r", ""], "each": ["r0", "c0", "c1"]}},
        "note": "a note",
        "date": {"modification": 1685115358}
    });
    let text = json!({"type": "TEXT_WAVE_TYPE", "data": {"raw": ["a", "ü", ""]}});
    let i32s: Vec<u8> = [1i32, -2, 3, -4, 5, -6, 7, -8]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let four_d =
        json!({"type": "NT_I32", "data": {"buffer": 0}, "dimension": {"size": [2, 2, 1, 2]}});
    let json_req = request("echo", json!([complex, text, four_d]), "kinds", false);
    s.send_multipart([&b""[..], &json_req, &i32s], 0).unwrap();
    let reply = s.recv_multipart(0).unwrap();
    assert_eq!(reply.len(), 2, "a JSON reply without binary");
    let d = doc(&reply[1]);
    assert_eq!(d["errorCode"]["value"], 0, "{d}");
    let results = d["result"].as_array().unwrap();
    // The host got exactly what was sent: its serialization equals the request's waves.
    let c = &results[0]["value"];
    assert_eq!(
        c["data"]["raw"],
        json!({"real": [1, 2], "imag": [3, 65535]})
    );
    assert_eq!(c["data"]["unit"], "V");
    assert_eq!(c["data"]["fullScale"], json!([0, 10]));
    assert_eq!(c["dimension"]["delta"], json!([1, 0.5]));
    assert_eq!(c["dimension"]["offset"], json!([0, -1]));
    assert_eq!(c["dimension"]["unit"], json!(["", "s"]));
    assert_eq!(
        c["dimension"]["label"],
        json!({"full": ["r", ""], "each": ["r0", "c0", "c1"]})
    );
    assert_eq!(c["note"], "a note");
    assert_eq!(c["date"]["modification"], 1685115358);
    assert_eq!(c["type"], "NT_I16 | NT_CMPLX | NT_UNSIGNED");
    assert_eq!(results[1]["value"]["data"]["raw"], json!(["a", "ü", ""]));
    assert_eq!(
        results[2]["value"]["dimension"]["size"],
        json!([2, 2, 1, 2])
    );
    assert_eq!(
        results[2]["value"]["data"]["raw"],
        json!([1, -2, 3, -4, 5, -6, 7, -8])
    );
}
