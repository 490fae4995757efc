//! The JSON "CallFunction" protocol, version 1 (SPEC 4): request parsing and validation
//! (Phase A; the reading itself in `phase_a`) and the validated call. The reply builder
//! lives in [`crate::reply`] and is re-exported here.

mod phase_a;

use crate::error::req;
use crate::json::Json;
use crate::wave::Wave;

pub use crate::reply::{clean_history, dfref_text, reply_code_valid, trim_history, Reply, Value};

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
    /// A wave object (SPEC 5 layout), see [`Param::wave`].
    Wave = 3,
}

/// One parameter: its JSON type and its text as the reference passes it (numbers as `%.15g`,
/// booleans as `"1"` / `"0"`).
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// The JSON type sent.
    pub kind: ParamKind,
    /// The text followed by a NUL byte, so C hosts can use it as a C string too.
    text_z: String,
    /// The wave of a [`ParamKind::Wave`] parameter.
    wave: Option<Box<Wave>>,
}

impl Param {
    /// A parameter of a kind with a text.
    pub fn new(kind: ParamKind, text: &str) -> Param {
        let mut text_z = String::with_capacity(text.len() + 1);
        text_z.push_str(text);
        text_z.push('\0');
        Param {
            kind,
            text_z,
            wave: None,
        }
    }

    /// A number parameter: its text like `%.15g`, or in shortest round-trip form when `exact`.
    pub fn number(v: f64, exact: bool) -> Param {
        let mut text_z = Vec::with_capacity(26);
        if exact {
            crate::numbers::shortest::write_exact(v, &mut text_z);
        } else {
            crate::numbers::write_f64(v, &mut text_z);
        }
        text_z.push(0);
        Param {
            kind: ParamKind::Number,
            text_z: String::from_utf8(text_z).expect("ASCII"),
            wave: None,
        }
    }

    /// A wave parameter (its text is empty).
    pub fn from_wave(wave: Wave) -> Param {
        Param {
            wave: Some(Box::new(wave)),
            ..Param::new(ParamKind::Wave, "")
        }
    }

    /// The wave of a wave parameter.
    pub fn wave(&self) -> Option<&Wave> {
        self.wave.as_deref()
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
    /// The client asked for numeric waves as frames after the JSON (`"binary": true`).
    pub binary: bool,
}

impl Call {
    /// A call of `name` with parameters (used by hosts and tests).
    pub fn new(name: &str, params: Vec<Param>) -> Call {
        let mut name_z = String::with_capacity(name.len() + 1);
        name_z.push_str(name);
        name_z.push('\0');
        Call {
            name_z,
            params,
            message_id: None,
            identity: Vec::new(),
            document: None,
            binary: false,
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
    /// What exactly was wrong (wave parameters, frames): `errorCode.detail` in the reply;
    /// `errorCode.msg` stays the code's text.
    pub detail: Option<String>,
}

impl Rejected {
    /// A rejection with `code` and no detail.
    pub fn new(code: i32, message_id: Option<String>, document: Option<Json>) -> Rejected {
        Rejected {
            code,
            message_id,
            document,
            detail: None,
        }
    }

    /// A rejection of a parameter (`REQ_INVALID_PARAM_FORMAT`) saying what was wrong.
    pub fn invalid_param(
        message_id: Option<String>,
        document: Option<Json>,
        detail: String,
    ) -> Rejected {
        Rejected {
            detail: Some(detail),
            ..Rejected::new(req::INVALID_PARAM_FORMAT, message_id, document)
        }
    }

    /// The reply for this rejection.
    pub fn reply(&self) -> Json {
        let mut r = Reply::new(self.message_id.clone());
        r.error(self.code, None);
        if let Some(d) = &self.detail {
            r.set_error_detail(d.clone());
        }
        r.into_json()
    }
}

/// Phase A (SPEC 4.3): parse and validate a request payload, in the reference's order.
pub fn parse_request(payload: &[u8]) -> Result<Call, Rejected> {
    parse_request_keeping(payload, true)
}

/// [`parse_request`]; the parsed document (only needed for the message log) is made only when
/// `keep_document`.
pub fn parse_request_keeping(payload: &[u8], keep_document: bool) -> Result<Call, Rejected> {
    parse_request_frames(payload, &[], keep_document)
}

/// The request text without a leading UTF-8 byte order mark, which the reference's JSON
/// library skips (JSON files saved by Windows tools start with one).
pub fn without_byte_order_mark(payload: &[u8]) -> &[u8] {
    payload.strip_prefix(b"\xef\xbb\xbf").unwrap_or(payload)
}

/// [`parse_request_keeping`] for a request whose JSON frame is followed by `frames`: wave
/// parameters may reference them as `{"buffer": k}` (see [`crate::wave_params`]); every frame
/// must be referenced and have exactly the referenced wave's byte count.
pub fn parse_request_frames(
    payload: &[u8],
    frames: &[&[u8]],
    keep_document: bool,
) -> Result<Call, Rejected> {
    let payload = without_byte_order_mark(payload);
    use phase_a::{Number, Operation, Piece};
    let reject = |code, message_id, document| Err(Rejected::new(code, message_id, document));
    let invalid_param =
        |message_id, document, detail| Err(Rejected::invalid_param(message_id, document, detail));
    let Ok(request) = phase_a::read(payload) else {
        return reject(req::INVALID_JSON_OBJECT, None, None);
    };
    // Only the message log needs the whole document; the request is valid JSON, so this
    // parse succeeds.
    let logged = keep_document
        .then(|| serde_json::from_slice(payload).ok())
        .flatten()
        .map(|doc| Json::from_value(&doc));
    let valid_id = match &request.message_id {
        Some(Piece::Str(s)) if (1..=MAX_MESSAGEID_LENGTH).contains(&s.len()) => Some(s),
        _ => None,
    };
    let echo = valid_id.map(|s| s.to_string());
    if !matches!(request.version, Some(Piece::Number(Number::UInt(1)))) {
        return reject(req::INVALID_VERSION, echo, logged);
    }
    if request.message_id.is_some() && valid_id.is_none() {
        return reject(req::INVALID_MESSAGEID, None, logged);
    }
    let Some(Operation::Object { keys, name, params }) = request.operation else {
        return reject(req::INVALID_OPERATION, echo, logged);
    };
    if keys == 0 || keys > 2 {
        return reject(req::INVALID_OPERATION_FORMAT, echo, logged);
    }
    let Some(Piece::Str(name)) = name else {
        return reject(req::INVALID_OPERATION_FORMAT, echo, logged);
    };
    if name.is_empty() {
        return reject(req::NON_EXISTING_FUNCTION, echo, logged);
    }
    let mut buffers = crate::wave_params::Buffers::new(frames);
    // A binary client gets exact numbers back and sends them exactly: its number parameters
    // are passed in shortest round-trip form instead of `%.15g`.
    let binary = matches!(request.binary, Some(Piece::Bool(true)));
    let items = match params {
        None if keys == 2 => return reject(req::INVALID_OPERATION_FORMAT, echo, logged),
        None => Vec::new(),
        Some(Some(items)) => items,
        Some(None) => return reject(req::INVALID_PARAM_FORMAT, echo, logged),
    };
    let mut params = Vec::with_capacity(items.len());
    for item in &items {
        let p = match item {
            Piece::Str(s) => Param::new(ParamKind::String, s),
            Piece::Bool(b) => Param::new(ParamKind::Bool, if *b { "1" } else { "0" }),
            Piece::Object(o) => match buffers.wave(o, params.len()) {
                Ok(w) => Param::from_wave(w),
                Err(detail) => return invalid_param(echo, logged, detail),
            },
            Piece::Number(n) => Param::number(n.as_f64(), binary),
            Piece::Other => return reject(req::INVALID_PARAM_FORMAT, echo, logged),
        };
        params.push(p);
    }
    if let Err(detail) = buffers.all_used() {
        return invalid_param(echo, logged, detail);
    }
    let mut call = Call::new(&name, params);
    call.message_id = echo;
    call.document = logged;
    call.binary = binary;
    Ok(call)
}

/// C `strtod` over the whole text (leading white space, sign, decimal, hex, `inf`,
/// `infinity`, `nan`, `nan(...)`; no trailing characters), correctly rounded like the C
/// library (see [`crate::numbers::parse_double`]). `None` when not fully consumed. The empty text
/// converts to 0, as in the reference; the text ends at its first NUL byte, as a C host sees it.
pub fn strtod_full(text: &str) -> Option<f64> {
    crate::numbers::parse_double(text.as_bytes())
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
    fn binary_requests_pass_numbers_exactly() {
        let c = parse_request(
            br#"{"version":1,"binary":true,"CallFunction":{"name":"F","params":[0.30000000000000004,1.7976931348623157e308,2]}}"#,
        )
        .unwrap();
        let texts: Vec<&str> = c.params.iter().map(|p| p.text()).collect();
        assert_eq!(
            texts,
            ["0.30000000000000004", "1.7976931348623157e+308", "2"]
        );
        assert!(c.binary);
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
}
