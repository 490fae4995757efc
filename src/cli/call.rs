//! `zeromq-xop call`: send one CallFunction request and print the reply.

use super::{check, option, split_options, take_frames};
use std::ffi::c_char;
use zeromq_xop::ffi::socket::*;

/// Build the request document for a function and its command-line parameters.
pub fn request(function: &str, params: &[String], message_id: Option<&str>) -> String {
    let params: Vec<serde_json::Value> = params
        .iter()
        .map(|p| {
            if let Some(s) = p.strip_prefix("str:") {
                return serde_json::Value::String(s.to_string());
            }
            match serde_json::from_str::<serde_json::Value>(p) {
                Ok(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => v,
                _ => serde_json::Value::String(p.clone()),
            }
        })
        .collect();
    let mut doc = serde_json::json!({
        "version": 1,
        "CallFunction": { "name": function, "params": params }
    });
    if let Some(id) = message_id {
        doc["messageID"] = serde_json::Value::String(id.to_string());
    }
    doc.to_string()
}

/// Run the command.
pub fn run(args: &[String]) -> i32 {
    match call(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("zeromq-xop call: {e}");
            2
        }
    }
}

fn call(args: &[String]) -> Result<i32, String> {
    let (pos, opts) = split_options(args, &["--timeout", "--id"])?;
    if pos.len() < 2 {
        return Err(format!("needs ENDPOINT and FUNCTION\n{}", super::USAGE));
    }
    let timeout: i32 = option(&opts, "--timeout", 5000)?;
    let id = opts
        .iter()
        .find(|(n, _)| n == "--id")
        .map(|(_, v)| v.as_str());
    let body = request(&pos[1], &pos[2..], id);
    let ep = &pos[0];
    let mut msg = std::ptr::null_mut();
    // SAFETY: plain calls with valid pointers.
    unsafe {
        check(
            "zeromq_client_connect",
            zeromq_client_connect(ep.as_ptr() as *const c_char, ep.len()),
        )?;
        check(
            "zeromq_client_send",
            zeromq_client_send(body.as_ptr() as *const c_char, body.len()),
        )?;
        check("zeromq_client_recv", zeromq_client_recv(timeout, &mut msg))?;
    }
    zeromq_stop();
    if msg.is_null() {
        return Err(format!("no reply from {ep} within {timeout} ms"));
    }
    let frames = take_frames(msg);
    let text = String::from_utf8_lossy(&frames[0]).into_owned();
    println!("{text}");
    let ok = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v["errorCode"]["value"].as_i64())
        == Some(0);
    Ok(if ok { 0 } else { 1 })
}
