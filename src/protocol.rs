//! The JSON "CallFunction" protocol, version 1 (SPEC 4): request parsing and validation
//! (Phase A), the validated call, and the reply builder with the reference's JSON shapes.

use crate::error::{req, Code};
use crate::json::Json;
use crate::wave::Wave;
use std::collections::BTreeMap;

/// The longest accepted `messageID`, in bytes.
pub const MAX_MESSAGEID_LENGTH: usize = 255;

/// Parameter kind: the JSON type that was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum ParamKind {
    /// A JSON string.
    String = 0,
    /// A JSON number.
    Number = 1,
    /// A JSON boolean.
    Bool = 2,
}

/// One parameter: its JSON type and its text as the reference passes it (numbers as `%.15g`,
/// booleans as `"1"` / `"0"`).
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// The JSON type sent.
    pub kind: ParamKind,
    /// The text followed by a NUL byte, so C hosts can use it as a C string too.
    text_z: String,
}

impl Param {
    /// A parameter of a kind with a text.
    pub fn new(kind: ParamKind, text: &str) -> Param {
        let mut text_z = String::with_capacity(text.len() + 1);
        text_z.push_str(text);
        text_z.push('\0');
        Param { kind, text_z }
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text_z[..self.text_z.len() - 1]
    }

    /// The text with its terminating NUL byte.
    pub fn text_with_nul(&self) -> &[u8] {
        self.text_z.as_bytes()
    }
}

/// A validated call, as queued for the host.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The function name (non-empty) followed by a NUL byte.
    name_z: String,
    /// The parameters in order.
    pub params: Vec<Param>,
    /// The optional message ID to echo.
    pub message_id: Option<String>,
    /// The sender's routing identity (empty for local test calls).
    pub identity: Vec<u8>,
    /// The parsed request, for the log.
    pub document: Option<Json>,
}

impl Call {
    /// A call of `name` with parameters (used by hosts and tests).
    pub fn new(name: &str, params: Vec<Param>) -> Call {
        Call {
            name_z: format!("{name}\0"),
            params,
            message_id: None,
            identity: Vec::new(),
            document: None,
        }
    }

    /// The function name.
    pub fn name(&self) -> &str {
        &self.name_z[..self.name_z.len() - 1]
    }

    /// The function name with its terminating NUL byte.
    pub fn name_with_nul(&self) -> &[u8] {
        self.name_z.as_bytes()
    }
}

/// A request that failed Phase A: the REQ code and the message ID to echo, if valid.
#[derive(Clone, Debug, PartialEq)]
pub struct Rejected {
    /// The REQ code (3..7, 101, 106).
    pub code: i32,
    /// A valid message ID found in the request.
    pub message_id: Option<String>,
    /// The parsed document when the payload was valid JSON.
    pub document: Option<Json>,
}

impl Rejected {
    /// The reply for this rejection.
    pub fn reply(&self) -> Json {
        let mut r = Reply::new(self.message_id.clone());
        r.error(self.code, None);
        r.to_json()
    }
}

/// Phase A (SPEC 4.3): parse and validate a request payload, in the reference's order.
pub fn parse_request(payload: &[u8]) -> Result<Call, Rejected> {
    parse_request_keeping(payload, true)
}

/// [`parse_request`]; the parsed document (only needed for the message log) is made only when
/// `keep_document`.
pub fn parse_request_keeping(payload: &[u8], keep_document: bool) -> Result<Call, Rejected> {
    let reject = |code, message_id, document| {
        Err(Rejected {
            code,
            message_id,
            document,
        })
    };
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
    match op.get("params") {
        None if op.len() == 2 => return reject(req::INVALID_OPERATION_FORMAT, echo, logged),
        None => {}
        Some(serde_json::Value::Array(items)) => {
            for item in items {
                let p = match item {
                    serde_json::Value::String(s) => Param::new(ParamKind::String, s),
                    serde_json::Value::Number(n) => Param::new(ParamKind::Number, &number_text(n)),
                    serde_json::Value::Bool(b) => {
                        Param::new(ParamKind::Bool, if *b { "1" } else { "0" })
                    }
                    _ => return reject(req::INVALID_PARAM_FORMAT, echo, logged),
                };
                params.push(p);
            }
        }
        Some(_) => return reject(req::INVALID_PARAM_FORMAT, echo, logged),
    }
    let mut call = Call::new(name, params);
    call.message_id = echo;
    call.document = logged;
    Ok(call)
}

/// A JSON number as `%.15g` text.
fn number_text(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(v) => crate::numbers::g15(v),
        None => n.to_string(),
    }
}

/// C `strtod` over the whole text (leading white space, sign, decimal, hex, `inf`,
/// `infinity`, `nan`, `nan(...)`; no trailing characters), correctly rounded like the C
/// library (see [`crate::numbers::parse_double`]). `None` when not fully consumed. The empty text
/// converts to 0, as in the reference; the text ends at its first NUL byte, as a C host sees it.
pub fn strtod_full(text: &str) -> Option<f64> {
    crate::numbers::parse_double(text.as_bytes())
}

/// One returned value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A real number.
    Variable(f64),
    /// A string (bytes; invalid UTF-8 replaced when written).
    String(Vec<u8>),
    /// A data folder reference: a path, `"free"` or `"null"`.
    Dfref(Vec<u8>),
    /// A wave, or a null wave.
    Wave(Option<Box<Wave>>),
}

impl Value {
    fn to_json(&self) -> Json {
        self.clone().into_json()
    }

    /// The `{type, value}` object; a wave is moved into it, not copied.
    fn into_json(self) -> Json {
        let (t, v) = match self {
            Value::Variable(x) => ("variable", Json::Num(x)),
            Value::String(s) => ("string", Json::bytes(&s)),
            Value::Dfref(p) => ("dfref", Json::Str(dfref_text(&p))),
            Value::Wave(w) => ("wave", Json::Wave(w)),
        };
        Json::obj([("type", Json::Str(t.into())), ("value", v)])
    }
}

/// The reply text of a data folder path: `"null"` for an empty path or a killed folder.
pub fn dfref_text(path: &[u8]) -> String {
    let s = String::from_utf8_lossy(path);
    if s.is_empty() || s.contains(":_killed folder_:") {
        "null".into()
    } else {
        s.into_owned()
    }
}

/// The reply under construction.
#[derive(Debug, Default)]
pub struct Reply {
    message_id: Option<String>,
    results: Vec<Value>,
    multiple: bool,
    by_ref: Vec<Value>,
    error: Option<(i32, String, String)>,
}

/// Whether a code may be used in a reply's `errorCode`.
pub fn reply_code_valid(code: i32) -> bool {
    req::message(code).is_some() || (10002..=10013).contains(&code) && code != 10008
}

fn code_message(code: i32) -> String {
    if let Some(m) = req::message(code) {
        return m.to_string();
    }
    let c = match code {
        10002 => Code::Unhandled,
        10003 => Code::UnknownSetFlag,
        10005 => Code::InvalidArg,
        10006 => Code::HandlerAlreadyRunning,
        10007 => Code::HandlerNoConnection,
        10009 => Code::InvalidMessageFormat,
        10010 => Code::InvalidLoggingTemplate,
        10011 => Code::MessageFilterDuplicated,
        10012 => Code::MessageFilterMissing,
        10013 => Code::InvalidType,
        _ => Code::Internal,
    };
    c.text().to_string()
}

impl Reply {
    /// An empty reply echoing `message_id`.
    pub fn new(message_id: Option<String>) -> Reply {
        Reply {
            message_id,
            ..Reply::default()
        }
    }

    /// Answer with an error code; `history` (for 107) is trimmed and CRs become LFs.
    pub fn error(&mut self, code: i32, history: Option<&[u8]>) {
        let h = history.map(trim_history).unwrap_or_default();
        self.error = Some((code, code_message(code), h));
    }

    /// Answer with an error code and an explicit message text.
    pub fn error_with_message(&mut self, code: i32, msg: &str) {
        self.error = Some((code, msg.to_string(), String::new()));
    }

    /// Make `result` an array (a multiple-return-value function).
    pub fn set_multiple(&mut self) {
        self.multiple = true;
    }

    /// Add a result.
    pub fn push(&mut self, v: Value) {
        self.results.push(v);
    }

    /// Add a by-reference parameter's value after the call.
    pub fn push_by_ref(&mut self, v: Value) {
        self.by_ref.push(v);
    }

    /// Whether an error was set.
    pub fn has_error(&self) -> bool {
        self.error.is_some()
    }

    /// Whether anything (a result or an error) was set.
    pub fn is_answered(&self) -> bool {
        self.error.is_some() || !self.results.is_empty() || self.multiple
    }

    /// The reply document (SPEC 4.6). A reply with neither result nor error is an internal
    /// error (10004).
    pub fn to_json(&self) -> Json {
        let results = self.results.iter().map(Value::to_json).collect();
        let by_ref = self.by_ref.iter().map(Value::to_json).collect();
        self.document(results, by_ref)
    }

    /// [`Reply::to_json`], consuming the reply: waves are moved into the document instead of
    /// copied (a large wave's data is not duplicated to send it).
    pub fn into_json(mut self) -> Json {
        let results = std::mem::take(&mut self.results)
            .into_iter()
            .map(Value::into_json)
            .collect();
        let by_ref = std::mem::take(&mut self.by_ref)
            .into_iter()
            .map(Value::into_json)
            .collect();
        self.document(results, by_ref)
    }

    fn document(&self, results: Vec<Json>, by_ref: Vec<Json>) -> Json {
        let mut obj = BTreeMap::new();
        if let Some(id) = &self.message_id {
            obj.insert("messageID".to_string(), Json::Str(id.clone()));
        }
        let error = match &self.error {
            Some(e) => Some(e.clone()),
            None if results.is_empty() && !self.multiple => Some((
                Code::Internal as i32,
                format!(
                    "{} The host answered the call with neither a result nor an error.",
                    Code::Internal.text()
                ),
                String::new(),
            )),
            None => None,
        };
        match error {
            Some((code, msg, history)) => {
                obj.insert(
                    "errorCode".into(),
                    Json::obj([("msg", Json::Str(msg)), ("value", Json::Int(code as i64))]),
                );
                if !history.is_empty() {
                    obj.insert("history".into(), Json::Str(history));
                }
            }
            None => {
                obj.insert("errorCode".into(), Json::obj([("value", Json::Int(0))]));
                if !by_ref.is_empty() {
                    obj.insert("passByReference".into(), Json::Arr(by_ref));
                }
                let result = if self.multiple {
                    Json::Arr(results)
                } else {
                    results.into_iter().next().expect("a result")
                };
                obj.insert("result".into(), result);
            }
        }
        Json::Obj(obj)
    }
}

/// Cleans history text captured during an aborted call (SPEC.md 4.5): every CR becomes LF (in
/// place), and the returned range excludes leading and trailing spaces, tabs, CRs and LFs.
/// Whitespace-only text gives an empty range.
pub fn clean_history(text: &mut [u8]) -> std::ops::Range<usize> {
    for b in text.iter_mut() {
        if *b == b'\r' {
            *b = b'\n';
        }
    }
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let Some(start) = text.iter().position(|b| !is_space(b)) else {
        return 0..0;
    };
    let end = text
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |e| e + 1);
    start..end
}

/// History text as replies carry it (see [`clean_history`]), invalid UTF-8 replaced.
pub fn trim_history(h: &[u8]) -> String {
    let mut text = h.to_vec();
    let range = clean_history(&mut text);
    String::from_utf8_lossy(&text[range]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(p: &str) -> i32 {
        match parse_request(p.as_bytes()) {
            Ok(_) => 0,
            Err(r) => r.code,
        }
    }

    #[test]
    fn phase_a_order_and_codes() {
        assert_eq!(code("garbage"), 3);
        assert_eq!(code("{\"version\":NaN}"), 3);
        assert_eq!(code("[1]"), 4);
        assert_eq!(code("4"), 4);
        assert_eq!(code("{}"), 4);
        assert_eq!(code("{\"version\":1.0}"), 4);
        assert_eq!(code("{\"version\":1.1}"), 4);
        assert_eq!(code("{\"version\":2}"), 4);
        assert_eq!(code("{\"version\":\"1\"}"), 4);
        assert_eq!(code("{\"version\":1,\"messageID\":null}"), 7);
        assert_eq!(code("{\"version\":1,\"messageID\":\"\"}"), 7);
        let long = "a".repeat(256);
        assert_eq!(
            code(&format!("{{\"version\":1,\"messageID\":\"{long}\"}}")),
            7
        );
        assert_eq!(
            code("{\"version\":1,\"messageID\":5,\"CallFunction\":{\"name\":\"f\"}}"),
            7
        );
        assert_eq!(code("{\"version\":1}"), 5);
        assert_eq!(code("{\"version\":1,\"CallFunction\":4711}"), 5);
        assert_eq!(code("{\"version\":1,\"CallFunction\":\"blah\"}"), 5);
        assert_eq!(code("{\"version\":1,\"CallFunction\":{}}"), 6);
        assert_eq!(
            code("{\"version\":1,\"CallFunction\":{\"name\":\"a\",\"params\":[],\"x\":1}}"),
            6
        );
        assert_eq!(
            code("{\"version\":1,\"CallFunction\":{\"notName\":\"a\"}}"),
            6
        );
        assert_eq!(code("{\"version\":1,\"CallFunction\":{\"name\":1.5}}"), 6);
        assert_eq!(
            code("{\"version\":1,\"CallFunction\":{\"name\":\"\"}}"),
            101
        );
        assert_eq!(
            code("{\"version\":1,\"CallFunction\":{\"name\":\"a\",\"x\":1}}"),
            6
        );
        assert_eq!(
            code("{\"version\":1,\"CallFunction\":{\"name\":\"a\",\"params\":1}}"),
            106
        );
        for bad in ["null", "{}", "[]"] {
            assert_eq!(
                code(&format!(
                    "{{\"version\":1,\"CallFunction\":{{\"name\":\"a\",\"params\":[{bad}]}}}}"
                )),
                106
            );
        }
        assert_eq!(code("{\"version\":1,\"CallFunction\":{\"name\":\"a\"}}"), 0);
        assert_eq!(
            code("{\"version\":1,\"other\":3,\"CallFunction\":{\"name\":\"a\",\"params\":[]}}"),
            0
        );
    }

    #[test]
    fn params_are_converted_to_text() {
        let c = parse_request(
            br#"{"version":1,"messageID":"m1","CallFunction":{"name":"F","params":["s",2,1.23456789101112,0.1,1e20,true,false,-0.5,12345678901234567890]}}"#,
        )
        .unwrap();
        let texts: Vec<&str> = c.params.iter().map(|p| p.text()).collect();
        assert_eq!(
            texts,
            [
                "s",
                "2",
                "1.23456789101112",
                "0.1",
                "1e+20",
                "1",
                "0",
                "-0.5",
                "1.23456789012346e+19"
            ]
        );
        assert_eq!(c.params[0].kind, ParamKind::String);
        assert_eq!(c.params[1].kind, ParamKind::Number);
        assert_eq!(c.params[5].kind, ParamKind::Bool);
        assert_eq!(c.message_id.as_deref(), Some("m1"));
    }

    #[test]
    fn rejections_echo_a_valid_message_id() {
        let r = parse_request(br#"{"version":2,"messageID":"abc"}"#).unwrap_err();
        assert_eq!(r.message_id.as_deref(), Some("abc"));
        let text = String::from_utf8(r.reply().to_pretty()).unwrap();
        assert_eq!(
            text,
            "{\n    \"errorCode\": {\n        \"msg\": \"Request interface version is missing or invalid.\",\n        \"value\": 4\n    },\n    \"messageID\": \"abc\"\n}"
        );
    }

    #[test]
    fn strtod_like_c() {
        for (t, v) in [
            ("1", 1.0),
            ("  -2.5e3", -2500.0),
            ("+INF", f64::INFINITY),
            ("-inf", f64::NEG_INFINITY),
            ("infinity", f64::INFINITY),
            ("0x1p4", 16.0),
            ("0x1.8", 1.5),
            (".5", 0.5),
            ("5.", 5.0),
            ("", 0.0),
            ("1e5", 1e5),
        ] {
            assert_eq!(strtod_full(t), Some(v), "{t}");
        }
        for t in ["naN", "nan(123)", "NAN"] {
            assert!(strtod_full(t).unwrap().is_nan(), "{t}");
        }
        for t in [
            "1.a", "1 ", "abc", " ", "1e", "--1", "e5", "0x", "nan(", "1-2",
        ] {
            assert_eq!(strtod_full(t), None, "{t}");
        }
    }

    #[test]
    fn reply_shapes() {
        let mut r = Reply::new(Some("id".into()));
        r.push(Value::Variable(42.0));
        r.push_by_ref(Value::String(b"hi there".to_vec()));
        r.push_by_ref(Value::Variable(f64::NAN));
        let text = String::from_utf8(r.to_json().to_compact()).unwrap();
        assert_eq!(
            text,
            r#"{"errorCode":{"value":0},"messageID":"id","passByReference":[{"type":"string","value":"hi there"},{"type":"variable","value":"nan"}],"result":{"type":"variable","value":42}}"#
        );

        let mut r = Reply::new(None);
        r.set_multiple();
        r.push(Value::Variable(123.0));
        r.push(Value::String(b"Hi there!".to_vec()));
        r.push(Value::Dfref(b"root:a:_killed folder_:".to_vec()));
        r.push(Value::Wave(None));
        let text = String::from_utf8(r.to_json().to_compact()).unwrap();
        assert_eq!(
            text,
            r#"{"errorCode":{"value":0},"result":[{"type":"variable","value":123},{"type":"string","value":"Hi there!"},{"type":"dfref","value":"null"},{"type":"wave","value":null}]}"#
        );

        let mut r = Reply::new(Some("x".into()));
        r.push(Value::Variable(1.0));
        r.error(107, Some(b"\r\n  line1\rline2 \t\n"));
        let text = String::from_utf8(r.to_json().to_compact()).unwrap();
        assert_eq!(
            text,
            r#"{"errorCode":{"msg":"CallFunction: The function was partially executed but aborted at some point.","value":107},"history":"line1\nline2","messageID":"x"}"#
        );

        let r = Reply::new(None);
        let text = String::from_utf8(r.to_json().to_compact()).unwrap();
        assert!(text.contains("\"value\":10004"), "{text}");
    }

    #[test]
    fn history_cleanup() {
        let clean = |s: &str| {
            let mut v = s.as_bytes().to_vec();
            let r = clean_history(&mut v);
            String::from_utf8(v[r].to_vec()).unwrap()
        };
        assert_eq!(clean("  \r\tabc\rdef\r\n \t"), "abc\ndef");
        assert_eq!(clean("line1\rline2"), "line1\nline2");
        assert_eq!(clean(""), "");
        assert_eq!(clean(" \r\n\t "), "");
        assert_eq!(clean("x"), "x");
        assert_eq!(clean("\r\r  inner  spaces \r"), "inner  spaces");
    }
}
