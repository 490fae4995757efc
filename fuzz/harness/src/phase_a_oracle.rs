//! The oracle of Phase A's one-pass reader: the library's earlier parser, which read the whole
//! request into a `serde_json::Value` and looked members up in it. The library's
//! `parse_request_frames` must give exactly its result (the call, or the rejection with its
//! code, message ID, logged document and detail) for every input.

use zeromq_xop::error::req;
use zeromq_xop::json::Json;
use zeromq_xop::protocol::{
    parse_request_frames, Call, Param, ParamKind, Rejected, MAX_MESSAGEID_LENGTH,
};
use zeromq_xop::wave_params::Buffers;

/// Phase A over a `serde_json::Value` tree (the library's parser before the one-pass reader).
pub fn tree_parse_request_frames(
    payload: &[u8],
    frames: &[&[u8]],
    keep_document: bool,
) -> Result<Call, Rejected> {
    let reject = |code, message_id, document| Err(Rejected::new(code, message_id, document));
    let invalid_param = |message_id, document, detail| {
        Err(Rejected::invalid_param(message_id, document, detail))
    };
    let payload = zeromq_xop::protocol::without_byte_order_mark(payload);
    let doc: serde_json::Value = match serde_json::from_slice(payload) {
        Ok(v) => v,
        Err(_) => return reject(req::INVALID_JSON_OBJECT, None, None),
    };
    let logged = keep_document.then(|| Json::from_value(&doc));
    let obj = doc.as_object();
    let message_id = obj.and_then(|o| o.get("messageID"));
    let valid_id = message_id
        .and_then(|v| v.as_str())
        .filter(|s| (1..=MAX_MESSAGEID_LENGTH).contains(&s.len()));
    let echo = valid_id.map(str::to_string);
    let version_ok = obj
        .and_then(|o| o.get("version"))
        .map(|v| (v.is_i64() || v.is_u64()) && v.as_i64() == Some(1))
        .unwrap_or(false);
    if !version_ok {
        return reject(req::INVALID_VERSION, echo, logged);
    }
    let obj = obj.expect("object");
    if message_id.is_some() && valid_id.is_none() {
        return reject(req::INVALID_MESSAGEID, None, logged);
    }
    let Some(op) = obj.get("CallFunction").and_then(|v| v.as_object()) else {
        return reject(req::INVALID_OPERATION, echo, logged);
    };
    if op.is_empty() || op.len() > 2 {
        return reject(req::INVALID_OPERATION_FORMAT, echo, logged);
    }
    let Some(name) = op.get("name").and_then(|v| v.as_str()) else {
        return reject(req::INVALID_OPERATION_FORMAT, echo, logged);
    };
    if name.is_empty() {
        return reject(req::NON_EXISTING_FUNCTION, echo, logged);
    }
    let mut params = Vec::new();
    let mut buffers = Buffers::new(frames);
    let binary = obj.get("binary") == Some(&serde_json::Value::Bool(true));
    match op.get("params") {
        None if op.len() == 2 => return reject(req::INVALID_OPERATION_FORMAT, echo, logged),
        None => {}
        Some(serde_json::Value::Array(items)) => {
            for item in items {
                let p = match item {
                    serde_json::Value::String(s) => Param::new(ParamKind::String, s),
                    serde_json::Value::Number(n) => {
                        Param::new(ParamKind::Number, &number_text(n, binary))
                    }
                    serde_json::Value::Bool(b) => {
                        Param::new(ParamKind::Bool, if *b { "1" } else { "0" })
                    }
                    serde_json::Value::Object(o) => match buffers.wave(o, params.len()) {
                        Ok(w) => Param::from_wave(w),
                        Err(detail) => return invalid_param(echo, logged, detail),
                    },
                    _ => return reject(req::INVALID_PARAM_FORMAT, echo, logged),
                };
                params.push(p);
            }
        }
        Some(_) => return reject(req::INVALID_PARAM_FORMAT, echo, logged),
    }
    if let Err(detail) = buffers.all_used() {
        return invalid_param(echo, logged, detail);
    }
    let mut call = Call::new(name, params);
    call.message_id = echo;
    call.document = logged;
    call.binary = binary;
    Ok(call)
}

/// A JSON number as `%.15g` text, or in shortest round-trip form when `exact`.
fn number_text(n: &serde_json::Number, exact: bool) -> String {
    match n.as_f64() {
        Some(v) if exact => zeromq_xop::numbers::shortest::exact_text(v),
        Some(v) => zeromq_xop::numbers::g15(v),
        None => n.to_string(),
    }
}

/// The library's Phase A and the tree parser agree on `payload` with `frames`, with and
/// without the logged document. Compared through `Debug`, so that NaN points of wave
/// parameters compare equal.
pub fn check_phase_a_against_tree(payload: &[u8], frames: &[&[u8]]) {
    for keep_document in [false, true] {
        let got = parse_request_frames(payload, frames, keep_document);
        let want = tree_parse_request_frames(payload, frames, keep_document);
        let (got, want) = (format!("{got:?}"), format!("{want:?}"));
        assert!(
            got == want,
            "Phase A differs from the tree parser for {:?} ({} frames, keep_document \
             {keep_document}):\n  got  {got}\n  want {want}",
            String::from_utf8_lossy(payload),
            frames.len()
        );
    }
}
