//! Target `phase_a`: request parsing and validation (SPEC 4.3), the error replies, the
//! `%.15g` text of number parameters and the C `strtod` conversion of parameters.

use crate::{c_reference::*, json_text::*};
use zeromq_xop::error::req;
use zeromq_xop::protocol::{parse_request, strtod_full, ParamKind, Reply};

/// [`expected_phase_a`]'s code for a request whose parameters include objects: 0 when they
/// are valid wave objects (SPEC 5 layout, buffers matching the frames), else 106.
pub const WAVE_DEPENDENT: i32 = -1;

/// The expected Phase A outcome written from SPEC 4.3 (with SPEC 15.1: rejections echo a valid
/// messageID): the REQ code (0 = accepted) and the message ID to echo.
pub(crate) fn expected_phase_a(payload: &[u8]) -> (i32, Option<String>) {
    use serde_json::Value as V;
    let Ok(doc) = serde_json::from_slice::<V>(payload) else {
        return (req::INVALID_JSON_OBJECT, None);
    };
    let obj = doc.as_object();
    let id = obj.and_then(|o| o.get("messageID"));
    let valid_id = match id {
        Some(V::String(s)) if !s.is_empty() && s.len() <= 255 => Some(s.clone()),
        _ => None,
    };
    let version_ok = matches!(obj.and_then(|o| o.get("version")), Some(V::Number(n))
        if (n.is_i64() || n.is_u64()) && n.as_i64() == Some(1));
    if !version_ok {
        return (req::INVALID_VERSION, valid_id);
    }
    let obj = obj.expect("an object has a version");
    if id.is_some() && valid_id.is_none() {
        return (req::INVALID_MESSAGEID, None);
    }
    let Some(V::Object(op)) = obj.get("CallFunction") else {
        return (req::INVALID_OPERATION, valid_id);
    };
    if op.is_empty() || op.len() > 2 {
        return (req::INVALID_OPERATION_FORMAT, valid_id);
    }
    let Some(V::String(name)) = op.get("name") else {
        return (req::INVALID_OPERATION_FORMAT, valid_id);
    };
    if name.is_empty() {
        return (req::NON_EXISTING_FUNCTION, valid_id);
    }
    match op.get("params") {
        None if op.len() == 2 => (req::INVALID_OPERATION_FORMAT, valid_id),
        None => (0, valid_id),
        Some(V::Array(items)) => {
            if items
                .iter()
                .all(|i| matches!(i, V::String(_) | V::Number(_) | V::Bool(_)))
            {
                (0, valid_id)
            } else if items
                .iter()
                .all(|i| matches!(i, V::String(_) | V::Number(_) | V::Bool(_) | V::Object(_)))
            {
                (WAVE_DEPENDENT, valid_id)
            } else {
                (req::INVALID_PARAM_FORMAT, valid_id)
            }
        }
        Some(_) => (req::INVALID_PARAM_FORMAT, valid_id),
    }
}

/// Check a reply document's error part: errorCode first, the code, its message text, the
/// message ID echo.
pub(crate) fn check_error_reply(text: &[u8], code: i32, id: Option<&str>) {
    let t =
        parse_t(text).unwrap_or_else(|e| panic!("reply is not valid JSON ({e}): {}", lossy(text)));
    assert_eq!(
        t.keys().first().copied(),
        Some("errorCode"),
        "errorCode must come first"
    );
    let ec = t.get("errorCode").expect("errorCode");
    assert_eq!(ec.get("value"), Some(&T::Num(code.to_string())));
    match req::message(code) {
        Some(m) => assert_eq!(ec.get("msg"), Some(&T::Str(m.into()))),
        None => assert!(code == 0 || ec.get("msg").is_some()),
    }
    assert_eq!(
        t.get("messageID").map(|v| v.str().to_string()).as_deref(),
        id
    );
    if code != 0 {
        assert!(t.get("result").is_none() && t.get("passByReference").is_none());
    }
}

/// Fuzz entry: request parsing and validation, parameter texts and number conversion.
pub fn phase_a(data: &[u8]) {
    crate::phase_a_oracle::check_phase_a_against_tree(data, &[]);
    let (code, echo) = expected_phase_a(data);
    match parse_request(data) {
        Ok(call) => {
            assert!(
                code == 0 || code == WAVE_DEPENDENT,
                "accepted a request the spec rejects with {code}"
            );
            assert_eq!(call.message_id, echo);
            assert!(!call.name().is_empty());
            assert_eq!(call.name_with_nul().last(), Some(&0));
            let doc: serde_json::Value = serde_json::from_slice(data).expect("valid JSON");
            let op = &doc["CallFunction"];
            assert_eq!(op["name"].as_str(), Some(call.name()));
            let items = op
                .get("params")
                .and_then(|p| p.as_array())
                .cloned()
                .unwrap_or_default();
            assert_eq!(items.len(), call.params.len());
            for (item, p) in items.iter().zip(&call.params) {
                assert_eq!(p.text_with_nul().last(), Some(&0));
                match item {
                    serde_json::Value::String(s) => {
                        assert_eq!(p.kind, ParamKind::String);
                        assert_eq!(p.text(), s);
                    }
                    serde_json::Value::Bool(b) => {
                        assert_eq!(p.kind, ParamKind::Bool);
                        assert_eq!(p.text(), if *b { "1" } else { "0" });
                    }
                    serde_json::Value::Number(n) => {
                        assert_eq!(p.kind, ParamKind::Number);
                        assert_eq!(p.text(), c_g15(n.as_f64().expect("finite")), "number {n}");
                    }
                    serde_json::Value::Object(_) => {
                        assert_eq!(p.kind, ParamKind::Wave);
                        let w = p.wave().expect("a wave parameter has its wave");
                        check_wave_round_trip(w);
                    }
                    _ => unreachable!("checked by the oracle"),
                }
                check_strtod(p.text().as_bytes());
            }
            // A call answered with nothing is an internal error, never a panic.
            let r = Reply::new(call.message_id.clone());
            let text = r.to_json().to_pretty();
            let t = parse_t(&text).expect("valid JSON");
            assert_eq!(
                t.get("errorCode").and_then(|e| e.get("value")),
                Some(&T::Num("10004".into()))
            );
        }
        Err(rejected) => {
            let code = match code {
                WAVE_DEPENDENT => req::INVALID_PARAM_FORMAT,
                c => c,
            };
            assert_eq!(rejected.code, code, "payload {:?}", lossy(data));
            assert_eq!(rejected.message_id, echo);
            assert_eq!(
                rejected.document.is_some(),
                code != req::INVALID_JSON_OBJECT
            );
            let pretty = rejected.reply().to_pretty();
            check_error_reply(&pretty, code, echo.as_deref());
            assert_eq!(minify(&pretty), rejected.reply().to_compact());
        }
    }
    check_strtod(data);
}

/// A wave accepted as a parameter serializes to a wave that is accepted again and equal.
fn check_wave_round_trip(w: &zeromq_xop::wave::Wave) {
    let text = zeromq_xop::wave::serialize_pretty(Some(w));
    // `%.15g` rounds values near the largest double past it (1.79769313486232e+308), which
    // JSON parsers reject: such a wave cannot round-trip through text (binary mode can).
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&text) else {
        return;
    };
    let mut b = zeromq_xop::wave_params::Buffers::new(&[]);
    let again = b
        .wave(v.as_object().expect("an object"), 0)
        .unwrap_or_else(|e| panic!("its own serialization is rejected: {e}"));
    // NaN points compare unequal; compare the serializations instead.
    assert_eq!(zeromq_xop::wave::serialize_pretty(Some(&again)), text);
}

/// `strtod_full` (used by `zeromq_call_param_double`) must agree with C `strtod`.
pub fn check_strtod(text: &[u8]) {
    let Ok(s) = std::str::from_utf8(text) else {
        return;
    };
    let expected = c_strtod_full(text);
    let got = strtod_full(s);
    assert!(
        same_double(got, expected),
        "strtod_full({s:?}) = {got:?}, C strtod gives {expected:?}"
    );
    let exact = zeromq_xop::numbers::parse_double(text);
    assert!(
        same_double(exact, expected),
        "numbers::parse_double({s:?}) = {exact:?}, C gives {expected:?}"
    );
}
