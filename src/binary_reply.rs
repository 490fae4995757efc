//! Binary frames around the JSON of a remote call.
//!
//! In: a request may carry frames after its JSON frame (`[identity, empty, json, buf0, ...]`
//! at the server's ROUTER socket); wave parameters reference them as `{"buffer": k}`
//! (checked in [`crate::wave_params`]).
//!
//! Out: a request with top-level `"binary": true` gets every numeric wave of its reply
//! (results, multiple results, by-reference values, waves inside wave reference waves) as a
//! frame of its own after the JSON, referenced by `"data": {"buffer": k}`. The wave's data
//! is moved into the frame without a copy. The numbers left in that reply's JSON (variables,
//! scaling, full scale) are written in shortest round-trip form, so every double survives
//! exactly. Without the key, replies are unchanged.

use crate::error::{req, Code, Error, Result};
use crate::json::Json;
use crate::json_writer::Writer;
use crate::protocol::{Reply, Value};
use crate::role::Role;
use crate::roles::{send_error, Roles};
use crate::socket::Frames;
use crate::wave::Wave;

/// A request as the server's ROUTER socket received it.
pub struct RouterRequest {
    /// The sender's routing identity.
    pub identity: Vec<u8>,
    /// The JSON frame.
    pub payload: zmq::Message,
    /// The frames after the JSON.
    pub buffers: Vec<zmq::Message>,
}

/// Check `[identity, empty, json, buf0, ...]` (a REQ client's envelope, or a DEALER client
/// that sends the empty delimiter itself).
pub fn split_router_request(frames: Frames) -> Result<RouterRequest> {
    if frames.len() < 3 || !frames[1].is_empty() {
        let sizes: Vec<String> = frames.iter().map(|f| f.len().to_string()).collect();
        return Err(Error::new(
            Code::InvalidMessageFormat,
            format!(
                "The server socket received {} frame(s) of sizes [{}] where [identity, empty \
                 delimiter, payload, optional data frames...] were expected.",
                frames.len(),
                sizes.join(", ")
            ),
        ));
    }
    let mut it = frames.into_iter();
    let identity = it.next().expect("identity").to_vec();
    let _delimiter = it.next();
    let payload = it.next().expect("payload");
    Ok(RouterRequest {
        identity,
        payload,
        buffers: it.collect(),
    })
}

/// The frames of a reply: the JSON text, then (binary replies only) one frame per numeric
/// wave. When the memory for the text cannot be had the client gets `REQ_OUT_OF_MEMORY`.
pub fn encode(json: Json, binary: bool, message_id: Option<&str>) -> Vec<Vec<u8>> {
    if !binary {
        return vec![reply_text(&json, message_id)];
    }
    let mut json = json;
    let mut frames = vec![Vec::new()];
    let moved = move_wave_data(&mut json, &mut frames);
    if moved.is_err() {
        return vec![reply_text(&out_of_memory(message_id), None)];
    }
    match exact_pretty(&json) {
        Some(text) => frames[0] = text,
        None => return vec![reply_text(&out_of_memory(message_id), None)],
    }
    frames
}

/// The text of a reply; when its memory cannot be had (an absurdly large wave) the caller
/// gets `REQ_OUT_OF_MEMORY` instead, and the host keeps running.
pub fn reply_text(reply: &Json, message_id: Option<&str>) -> Vec<u8> {
    reply
        .try_pretty()
        .unwrap_or_else(|| out_of_memory(message_id).to_pretty())
}

/// The reply for a reply too large for memory.
pub fn out_of_memory(message_id: Option<&str>) -> Json {
    let mut r = Reply::new(message_id.map(str::to_string));
    r.error_with_message(
        req::OUT_OF_MEMORY,
        "Request cancelled due to Out Of Memory condition: the reply is too large.",
    );
    r.to_json()
}

/// Pretty text with doubles in shortest round-trip form; `None` when out of memory.
fn exact_pretty(json: &Json) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    out.try_reserve_exact(json.size_bound(0)?).ok()?;
    json.write(&mut Writer::new(&mut out, true).exact());
    Some(out)
}

/// Move every numeric wave's data into `frames` (index = frame number after the JSON),
/// marking the wave with its frame.
fn move_wave_data(json: &mut Json, frames: &mut Vec<Vec<u8>>) -> Result<()> {
    match json {
        Json::Arr(items) => items.iter_mut().try_for_each(|v| move_wave_data(v, frames)),
        Json::Obj(members) => members
            .values_mut()
            .try_for_each(|v| move_wave_data(v, frames)),
        Json::Wave(Some(w)) => move_data_of(w, frames),
        // Results first, then by-reference values: frames are numbered in the order the
        // protocol lists the values (the JSON itself sorts "passByReference" before "result").
        Json::Reply(reply) => reply.values_mut().try_for_each(|v| match v {
            Value::Wave(Some(w)) => move_data_of(w, frames),
            _ => Ok(()),
        }),
        _ => Ok(()),
    }
}

fn move_data_of(w: &mut Wave, frames: &mut Vec<Vec<u8>>) -> Result<()> {
    if w.is_numeric() {
        let data = w.take_numeric_bytes()?;
        w.buffer = Some(frames.len() - 1);
        frames.push(data);
        return Ok(());
    }
    w.children_mut().try_for_each(|c| move_data_of(c, frames))
}

/// Send a reply's frames to `identity` through the server socket, each frame's memory handed
/// to libzmq without a copy.
pub fn send_reply_frames(roles: &Roles, identity: &[u8], frames: Vec<Vec<u8>>) -> Result<()> {
    roles.with_socket(Role::Server, |s, _| {
        send_reply_frames_on(s, identity, frames)
    })
}

/// [`send_reply_frames`] through a given server socket (the one a remote function's
/// `zeromq_stop` took out of use, kept for that call's reply).
pub fn send_reply_frames_on(s: &zmq::Socket, identity: &[u8], frames: Vec<Vec<u8>>) -> Result<()> {
    let mut messages: Vec<zmq::Message> = Vec::with_capacity(frames.len() + 2);
    messages.push(zmq::Message::from(identity));
    messages.push(zmq::Message::new());
    messages.extend(frames.into_iter().map(zmq::Message::from));
    let count = messages.len();
    for (i, msg) in messages.into_iter().enumerate() {
        let flags = zmq::DONTWAIT | if i + 1 < count { zmq::SNDMORE } else { 0 };
        s.send(msg, flags)
            .map_err(|e| send_error(e, "server", i, count))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wave::{NT_FP64, NT_I16, TEXT_WAVE_TYPE, WAVE_TYPE};

    fn wave(wtype: i32, data: &[u8]) -> Wave {
        let mut w = Wave::new(wtype, &[(data.len() / 8) as u64]).unwrap();
        if !data.is_empty() {
            w.set_data(data).unwrap();
        }
        w
    }

    #[test]
    fn numeric_waves_become_frames_and_numbers_exact() {
        let values = [f64::MAX, 5e-324, -0.0, 0.1];
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        let mut r = Reply::new(Some("m".into()));
        r.set_multiple();
        r.push(Value::Variable(0.1 + 0.2));
        r.push(Value::Wave(Some(Box::new(wave(NT_FP64, &bytes)))));
        let mut refs = Wave::new(WAVE_TYPE, &[2]).unwrap();
        refs.set_wave(0, Some(Box::new(Wave::new(TEXT_WAVE_TYPE, &[1]).unwrap())))
            .unwrap();
        refs.set_wave(1, Some(Box::new(Wave::new(NT_I16, &[3]).unwrap())))
            .unwrap();
        r.push_by_ref(Value::Wave(Some(Box::new(refs))));
        let frames = encode(r.into_json(), true, Some("m"));
        assert_eq!(frames.len(), 3);
        let text = String::from_utf8(frames[0].clone()).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        // Results are numbered first, then by-reference values (the nested I16 wave).
        assert_eq!(doc["result"][1]["value"]["data"]["buffer"], 0);
        assert!(doc["result"][1]["value"]["data"].get("raw").is_none());
        assert_eq!(frames[1], bytes);
        assert_eq!(
            doc["passByReference"][0]["value"]["data"]["raw"][1]["data"]["buffer"],
            1
        );
        assert_eq!(frames[2], vec![0u8; 6]);
        assert_eq!(doc["result"][0]["value"].as_f64(), Some(0.1 + 0.2));
        assert!(text.contains("0.30000000000000004"), "{text}");
        let unchanged = encode(Json::Num(0.1 + 0.2), false, None);
        assert_eq!(unchanged, vec![b"0.3".to_vec()]);
    }

    #[test]
    fn request_envelopes() {
        let f = |v: &[&[u8]]| v.iter().map(|b| zmq::Message::from(*b)).collect::<Frames>();
        let r = split_router_request(f(&[b"id", b"", b"{}", b"x", b""])).unwrap();
        assert_eq!(r.identity, b"id");
        assert_eq!(&r.payload[..], b"{}");
        assert_eq!(r.buffers.len(), 2);
        assert!(split_router_request(f(&[b"id", b"{}"])).is_err());
        assert!(split_router_request(f(&[b"id", b"x", b"{}"])).is_err());
    }
}
