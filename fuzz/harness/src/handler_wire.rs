//! Target `handler_wire`: whole messages through the running message handler and back.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::frames::decode_frames;
use crate::logging_template::scratch_dir;
use crate::phase_a::{check_error_reply, expected_phase_a, WAVE_DEPENDENT};
use crate::{input::*, json_text::*};
use zeromq_xop::logging::Logger;
use zeromq_xop::manager::Manager;
use zeromq_xop::error::req;
use zeromq_xop::protocol::{Call, Reply, Value};

struct WireFixture {
    m: Arc<Manager>,
    dealer: zeromq_xop::socket::context::Socket,
    serial: u64,
}

fn echo_dispatch(call: &Call, reply: &mut Reply) {
    reply.push(Value::String(call.name().as_bytes().to_vec()));
    for p in &call.params {
        reply.push_by_ref(Value::String(p.text().as_bytes().to_vec()));
    }
}

fn wire_fixture() -> &'static Mutex<WireFixture> {
    static F: OnceLock<Mutex<WireFixture>> = OnceLock::new();
    F.get_or_init(|| {
        let m = Manager::with_logger(Logger::new(scratch_dir().join("wire.jsonl")));
        // inproc, which libzmq never limits: the size limit is tests/hardening.rs's subject.
        m.set_max_message_size(-1).unwrap();
        let ep = format!(
            "inproc://fz-wire-{}-{:p}",
            std::process::id(),
            Arc::as_ptr(&m)
        );
        m.attach(zeromq_xop::manager::Role::Server, ep.as_bytes())
            .unwrap();
        m.handler.set_dispatcher(Some(
            Arc::new(echo_dispatch) as Arc<dyn zeromq_xop::handler::Dispatch>
        ));
        m.handler.start().unwrap();
        let dealer = m.context().socket(zmq::DEALER).unwrap();
        dealer.set_linger(0).unwrap();
        dealer.connect(&ep).unwrap();
        Mutex::new(WireFixture {
            m,
            dealer,
            serial: 0,
        })
    })
}

/// Send a message and wait for one reply (running queued calls meanwhile); `None` when no
/// reply came within `limit`.
fn round_trip(fx: &WireFixture, frames: &[Vec<u8>], limit: Duration) -> Option<Vec<Vec<u8>>> {
    fx.dealer
        .send_multipart(frames.iter().map(|f| &f[..]), 0)
        .unwrap();
    let end = Instant::now() + limit;
    loop {
        // Returns at once when the handler queues a call; error replies come without one.
        fx.m.handler.wait(1);
        fx.m.handler.process();
        if fx.dealer.poll(zmq::POLLIN, 0).unwrap() > 0 {
            return Some(fx.dealer.recv_multipart(0).unwrap());
        }
        if Instant::now() >= end {
            return None;
        }
    }
}

/// Fuzz entry: arbitrary frames through the running handler; well-formed ones must be answered
/// (correctly and to the sender), malformed ones dropped without disturbing the next call.
pub fn handler_wire(data: &[u8]) {
    let mut fx = wire_fixture().lock().unwrap_or_else(|e| e.into_inner());
    fx.serial += 1;
    let mut r = Reader::new(data);
    let shape = r.u8();
    let frames: Vec<Vec<u8>> = if shape.is_multiple_of(4) {
        decode_frames(&mut r)
    } else {
        // Mostly the well-formed layout around a fuzzed payload.
        vec![Vec::new(), r.rest().to_vec()]
    };
    // [empty, json, data frames...]: answered (data frames not referenced by a wave
    // parameter are an error reply).
    let well_formed = frames.len() >= 2 && frames[0].is_empty();
    if well_formed {
        let reply = round_trip(&fx, &frames, Duration::from_secs(10))
            .expect("no reply to a well-formed message");
        assert!(reply.len() >= 2, "reply layout");
        assert!(reply[0].is_empty());
        let payload = &frames[1];
        let data: Vec<&[u8]> = frames[2..].iter().map(|f| &f[..]).collect();
        crate::phase_a_oracle::check_phase_a_against_tree(payload, &data);
        let (mut code, id) = expected_phase_a(payload);
        let t = parse_t(&reply[1]).unwrap_or_else(|e| panic!("reply is not JSON ({e})"));
        assert_eq!(t.get("messageID").map(|v| v.str().to_string()), id);
        if code == WAVE_DEPENDENT || (code == 0 && frames.len() > 2) {
            code = match t.get("errorCode").and_then(|e| e.get("value")) {
                Some(T::Num(n)) if n == "0" => 0,
                _ => req::INVALID_PARAM_FORMAT,
            };
        }
        // The echo host returns strings only: no data frames even when binary was asked for.
        assert_eq!(reply.len(), 2, "reply layout");
        if code == 0 {
            let call = zeromq_xop::protocol::parse_request_frames(payload, &data, false).unwrap();
            check_error_reply(&reply[1], 0, id.as_deref());
            let result = t.get("result").expect("result");
            assert_eq!(result.get("value"), Some(&T::Str(call.name().to_string())));
            let texts: Vec<T> = call
                .params
                .iter()
                .map(|p| p.text().to_string())
                .map(T::Str)
                .collect();
            match t.get("passByReference") {
                None => assert!(texts.is_empty()),
                Some(p) => {
                    let got: Vec<T> = p
                        .arr()
                        .iter()
                        .map(|v| v.get("value").unwrap().clone())
                        .collect();
                    assert_eq!(got, texts);
                }
            }
        } else {
            check_error_reply(&reply[1], code, id.as_deref());
        }
    } else {
        // Dropped without a reply: the probe below must get the first reply.
        fx.dealer
            .send_multipart(frames.iter().map(|f| &f[..]), 0)
            .unwrap();
    }
    // The handler still serves, and answers this caller with this caller's reply.
    let probe_id = format!("probe-{}", fx.serial);
    let probe =
        format!(r#"{{"version":1,"messageID":"{probe_id}","CallFunction":{{"name":"Probe"}}}}"#);
    let reply = round_trip(
        &fx,
        &[Vec::new(), probe.into_bytes()],
        Duration::from_secs(10),
    )
    .expect("no reply to the probe");
    let t = parse_t(&reply[1]).expect("JSON");
    assert_eq!(
        t.get("messageID"),
        Some(&T::Str(probe_id)),
        "reply out of order or misrouted"
    );
}
