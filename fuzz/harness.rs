//! The fuzz harness shared by the libFuzzer targets in `fuzz/fuzz_targets/` and by
//! `tests/fuzz_regressions.rs`, which replays every committed seed and crash input through the
//! same functions with the stable toolchain.
//!
//! Each entry point takes arbitrary bytes, drives one part of the library with them and checks
//! the result against an independent oracle written from SPEC.md: a mismatch or a panic is a
//! finding. The entry points:
//!
//! - [`phase_a`]: request parsing and validation (SPEC 4.3), the error replies, the `%.15g`
//!   text of number parameters and the C `strtod` conversion of parameters.
//! - [`builders`]: the wave builder and the reply builder driven by a decoded sequence of
//!   operations, then both serializers (pretty and compact), checked against a shadow model.
//! - [`logging_template`]: template validation (SPEC 8.3), log lines and timestamps.
//! - [`frames`]: the frame-layout checks of every receiving role, over inproc sockets.
//! - [`handler_wire`]: whole messages through the running message handler and back.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use zeromq_xop::error::{req, Code};
use zeromq_xop::json::Json;
use zeromq_xop::logging::{Direction, Entry, Logger};
use zeromq_xop::manager::{check_router_frames, Manager};
use zeromq_xop::protocol::{parse_request, strtod_full, Call, ParamKind, Reply, Value};
use zeromq_xop::wave::{self, Wave};

// ---------------------------------------------------------------------------------------------
// Input decoding

/// Reads typed values off the fuzz input; past its end every read gives zeros.
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Reader<'a> {
        Reader { data, pos: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    pub fn u8(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }

    pub fn u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        for x in &mut b {
            *x = self.u8();
        }
        u64::from_le_bytes(b)
    }

    /// A double: usually one of the interesting values, otherwise raw bits.
    pub fn f64(&mut self) -> f64 {
        const SPECIAL: [f64; 16] = [
            0.0,
            -0.0,
            1.0,
            -1.5,
            0.1,
            1e15,
            1e-5,
            123456789012345.0,
            9999999999999995.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            4711.0,
        ];
        let sel = self.u8();
        if sel < 128 {
            SPECIAL[(sel % 16) as usize]
        } else {
            f64::from_bits(self.u64())
        }
    }

    /// Up to `max` bytes, length-prefixed.
    pub fn bytes(&mut self, max: usize) -> &'a [u8] {
        let want = (self.u8() as usize).min(max);
        let start = self.pos.min(self.data.len());
        let end = (start + want).min(self.data.len());
        self.pos = start + want;
        &self.data[start..end]
    }

    /// Whatever is left.
    pub fn rest(&mut self) -> &'a [u8] {
        let start = self.pos.min(self.data.len());
        self.pos = self.data.len();
        &self.data[start..]
    }
}

// ---------------------------------------------------------------------------------------------
// Reference conversions through the C library

/// C's `%.15g` of a double.
pub fn c_g15(v: f64) -> String {
    let mut buf = [0u8; 64];
    // SAFETY: the buffer holds any %.15g output; snprintf NUL-terminates and truncates.
    let n = unsafe {
        libc::snprintf(
            buf.as_mut_ptr() as *mut libc::c_char,
            buf.len(),
            c"%.15g".as_ptr(),
            v,
        )
    };
    String::from_utf8_lossy(&buf[..n as usize]).into_owned()
}

/// The JSON token the library must write for a double (SPEC 4.7).
pub fn g15_token(v: f64) -> String {
    if v.is_nan() {
        "\"nan\"".into()
    } else if v.is_infinite() {
        if v > 0.0 { "\"inf\"" } else { "\"-inf\"" }.into()
    } else {
        c_g15(v)
    }
}

/// C `strtod` over the whole text (the text ends at its first NUL, as a C host sees it):
/// `Some(value)` when everything was consumed.
pub fn c_strtod_full(text: &[u8]) -> Option<f64> {
    let end = text.iter().position(|&b| b == 0).unwrap_or(text.len());
    let c = std::ffi::CString::new(&text[..end]).expect("no NUL");
    let mut stop: *mut libc::c_char = std::ptr::null_mut();
    // SAFETY: c is NUL-terminated; stop receives a pointer into it.
    let v = unsafe { libc::strtod(c.as_ptr(), &mut stop) };
    let used = stop as usize - c.as_ptr() as usize;
    (used == end).then_some(v)
}

fn same_double(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => (x.is_nan() && y.is_nan()) || x.to_bits() == y.to_bits(),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// A JSON reader that keeps number tokens and key order, for exact checks of the output

/// A parsed JSON value with number tokens as written and object members in written order.
#[derive(Clone, Debug, PartialEq)]
pub enum T {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<T>),
    Obj(Vec<(String, T)>),
}

impl T {
    pub fn get(&self, key: &str) -> Option<&T> {
        match self {
            T::Obj(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn keys(&self) -> Vec<&str> {
        match self {
            T::Obj(m) => m.iter().map(|(k, _)| k.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    pub fn arr(&self) -> &[T] {
        match self {
            T::Arr(a) => a,
            _ => panic!("expected an array, got {self:?}"),
        }
    }

    pub fn str(&self) -> &str {
        match self {
            T::Str(s) => s,
            _ => panic!("expected a string, got {self:?}"),
        }
    }
}

/// Parse strict JSON text into a [`T`]; objects must have their keys sorted.
pub fn parse_t(text: &[u8]) -> Result<T, String> {
    let mut p = TParser { s: text, i: 0 };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.i != p.s.len() {
        return Err(format!("trailing data at {}", p.i));
    }
    Ok(v)
}

struct TParser<'a> {
    s: &'a [u8],
    i: usize,
}

impl TParser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\n' | b'\r' | b'\t') {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Result<(), String> {
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!("expected {:?} at {}", c as char, self.i))
        }
    }

    fn value(&mut self, depth: usize) -> Result<T, String> {
        if depth > 2000 {
            return Err("nesting too deep".into());
        }
        match self.s.get(self.i).copied() {
            Some(b'{') => {
                self.i += 1;
                let mut m: Vec<(String, T)> = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(T::Obj(m));
                }
                loop {
                    self.ws();
                    let k = self.string()?;
                    self.ws();
                    self.eat(b':')?;
                    self.ws();
                    let v = self.value(depth + 1)?;
                    if let Some((prev, _)) = m.last() {
                        if prev.as_bytes() >= k.as_bytes() {
                            return Err(format!("keys not sorted: {prev:?} before {k:?}"));
                        }
                    }
                    m.push((k, v));
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(T::Obj(m));
                        }
                        _ => return Err(format!("bad object at {}", self.i)),
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut a = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(T::Arr(a));
                }
                loop {
                    self.ws();
                    a.push(self.value(depth + 1)?);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(T::Arr(a));
                        }
                        _ => return Err(format!("bad array at {}", self.i)),
                    }
                }
            }
            Some(b'"') => Ok(T::Str(self.string()?)),
            Some(b't') if self.s[self.i..].starts_with(b"true") => {
                self.i += 4;
                Ok(T::Bool(true))
            }
            Some(b'f') if self.s[self.i..].starts_with(b"false") => {
                self.i += 5;
                Ok(T::Bool(false))
            }
            Some(b'n') if self.s[self.i..].starts_with(b"null") => {
                self.i += 4;
                Ok(T::Null)
            }
            Some(b'-' | b'0'..=b'9') => {
                let start = self.i;
                while self.i < self.s.len()
                    && matches!(
                        self.s[self.i],
                        b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'
                    )
                {
                    self.i += 1;
                }
                let tok = std::str::from_utf8(&self.s[start..self.i])
                    .expect("ASCII")
                    .to_string();
                if !json_number_grammar(&tok) {
                    return Err(format!("bad number token {tok:?}"));
                }
                Ok(T::Num(tok))
            }
            _ => Err(format!("unexpected byte at {}", self.i)),
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.eat(b'"')?;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(&c) = self.s.get(self.i) else {
                return Err("unterminated string".into());
            };
            self.i += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let e = *self.s.get(self.i).ok_or("bad escape")?;
                    self.i += 1;
                    match e {
                        b'"' => out.push(b'"'),
                        b'\\' => out.push(b'\\'),
                        b'/' => out.push(b'/'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let hex = self.s.get(self.i..self.i + 4).ok_or("short \\u")?;
                            let hex = std::str::from_utf8(hex).map_err(|_| "bad \\u")?;
                            let cp = u32::from_str_radix(hex, 16).map_err(|_| "bad \\u")?;
                            self.i += 4;
                            let ch =
                                char::from_u32(cp).ok_or("surrogate escapes are not written")?;
                            let mut b = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
                        }
                        _ => return Err("bad escape".into()),
                    }
                }
                0..=0x1f => return Err("raw control character in a string".into()),
                _ => out.push(c),
            }
        }
        String::from_utf8(out).map_err(|_| "string is not UTF-8".into())
    }
}

/// Whether a token follows RFC 8259's number grammar (any magnitude: `%.15g` of values near
/// the largest double gives `1.79769313486232e+308`, which is above it).
fn json_number_grammar(tok: &str) -> bool {
    let b = tok.as_bytes();
    let mut i = 0;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        let s = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == s {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let s = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == s {
            return false;
        }
    }
    i == b.len()
}

/// Remove the white space outside strings: pretty output minified must equal compact output.
pub fn minify(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut in_str = false;
    let mut esc = false;
    for &c in text {
        if in_str {
            out.push(c);
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
            }
        } else if c == b'"' {
            in_str = true;
            out.push(c);
        } else if !matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
            out.push(c);
        }
    }
    out
}

/// The text the library must write for bytes: invalid UTF-8 replaced, as read back by JSON.
fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

// ---------------------------------------------------------------------------------------------
// Phase A

/// The expected Phase A outcome written from SPEC 4.3 (with SPEC 15.1: rejections echo a valid
/// messageID): the REQ code (0 = accepted) and the message ID to echo.
/// [`expected_phase_a`]'s code for a request whose parameters include objects: 0 when they
/// are valid wave objects (SPEC 5 layout, buffers matching the frames), else 106.
pub const WAVE_DEPENDENT: i32 = -1;

pub fn expected_phase_a(payload: &[u8]) -> (i32, Option<String>) {
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
fn check_error_reply(text: &[u8], code: i32, id: Option<&str>) {
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
    let exact = zeromq_xop::igor::parse_double(text);
    assert!(
        same_double(exact, expected),
        "igor::parse_double({s:?}) = {exact:?}, C gives {expected:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Builders and serializers

const TYPES: [i32; 32] = [
    wave::NT_FP64,
    wave::NT_FP32,
    wave::NT_I8,
    wave::NT_I16,
    wave::NT_I32,
    wave::NT_I64,
    wave::NT_I8 | wave::NT_UNSIGNED,
    wave::NT_I16 | wave::NT_UNSIGNED,
    wave::NT_I32 | wave::NT_UNSIGNED,
    wave::NT_I64 | wave::NT_UNSIGNED,
    wave::NT_FP64 | wave::NT_CMPLX,
    wave::NT_FP32 | wave::NT_CMPLX,
    wave::NT_I8 | wave::NT_CMPLX,
    wave::NT_I16 | wave::NT_CMPLX | wave::NT_UNSIGNED,
    wave::NT_I32 | wave::NT_CMPLX,
    wave::NT_I64 | wave::NT_CMPLX | wave::NT_UNSIGNED,
    wave::TEXT_WAVE_TYPE,
    wave::TEXT_WAVE_TYPE,
    wave::WAVE_TYPE,
    wave::WAVE_TYPE,
    wave::DATAFOLDER_TYPE,
    wave::DATAFOLDER_TYPE,
    -1,
    1,
    0x41,
    0x44,
    0x200,
    0x4001,
    0x101,
    0x2000,
    i32::MIN,
    0x7fff_ffff,
];

/// Element layout of a valid numeric type: (size, float, signed, complex).
fn numeric_layout(t: i32) -> Option<(usize, bool, bool, bool)> {
    let complex = t & wave::NT_CMPLX != 0;
    let unsigned = t & wave::NT_UNSIGNED != 0;
    let base = t & !(wave::NT_CMPLX | wave::NT_UNSIGNED);
    let (size, float) = match base {
        wave::NT_FP32 => (4, true),
        wave::NT_FP64 => (8, true),
        wave::NT_I8 => (1, false),
        wave::NT_I16 => (2, false),
        wave::NT_I32 => (4, false),
        wave::NT_I64 => (8, false),
        _ => return None,
    };
    if float && unsigned {
        return None;
    }
    Some((size, float, !unsigned, complex))
}

fn valid_type(t: i32) -> bool {
    matches!(
        t,
        wave::TEXT_WAVE_TYPE | wave::WAVE_TYPE | wave::DATAFOLDER_TYPE
    ) || numeric_layout(t).is_some()
}

fn expected_type_name(t: i32) -> String {
    let base = match t & !(wave::NT_CMPLX | wave::NT_UNSIGNED) {
        wave::NT_FP32 => "NT_FP32",
        wave::NT_FP64 => "NT_FP64",
        wave::NT_I8 => "NT_I8",
        wave::NT_I16 => "NT_I16",
        wave::NT_I32 => "NT_I32",
        wave::NT_I64 => "NT_I64",
        wave::TEXT_WAVE_TYPE => "TEXT_WAVE_TYPE",
        wave::DATAFOLDER_TYPE => "DATAFOLDER_TYPE",
        _ => "WAVE_TYPE",
    };
    let mut s = base.to_string();
    if t & wave::NT_CMPLX != 0 {
        s.push_str(" | NT_CMPLX");
    }
    if t & wave::NT_UNSIGNED != 0 {
        s.push_str(" | NT_UNSIGNED");
    }
    s
}

/// What the library should hold for a wave, kept by the harness next to the real builder.
#[derive(Clone, Debug)]
pub struct Shadow {
    wtype: i32,
    dims: Vec<u64>,
    points: usize,
    data: Option<Vec<u8>>,
    texts: BTreeMap<usize, Vec<u8>>,
    waves: BTreeMap<usize, Option<Shadow>>,
    dfrefs: BTreeMap<usize, Vec<u8>>,
    delta: [f64; 4],
    offset: [f64; 4],
    dim_units: [Vec<u8>; 4],
    dim_labels: [Vec<u8>; 4],
    index_labels: [BTreeMap<u64, Vec<u8>>; 4],
    data_unit: Vec<u8>,
    full_scale: (f64, f64),
    note: Option<Vec<u8>>,
    modification: i64,
    height: u32,
}

/// Expected value of a number token: exact text, or (for float32) a value to round-trip.
fn num_matches(actual: &T, expected_f64: f64) {
    assert_eq!(
        match actual {
            T::Num(t) => t.clone(),
            T::Str(s) => format!("\"{s}\""),
            other => panic!("expected a number, got {other:?}"),
        },
        g15_token(expected_f64)
    );
}

fn f32_matches(actual: &T, v: f32) {
    match actual {
        T::Str(s) if v.is_nan() => assert_eq!(s, "nan"),
        T::Str(s) if v.is_infinite() => assert_eq!(s, if v > 0.0 { "inf" } else { "-inf" }),
        T::Num(t) => {
            let back: f32 = t.parse().expect("float token");
            assert_eq!(back.to_bits(), v.to_bits(), "float32 token {t} for {v:e}");
            // Shortest round trip: no more significant digits than Rust's shortest form.
            let digits = |s: &str| {
                let m = s.split(['e', 'E']).next().unwrap_or("");
                let d: Vec<u8> = m.bytes().filter(u8::is_ascii_digit).collect();
                let d = match d.iter().position(|&b| b != b'0') {
                    Some(i) => &d[i..],
                    None => return 1,
                };
                let end = d.iter().rposition(|&b| b != b'0').map_or(0, |i| i + 1);
                end.max(1)
            };
            assert!(
                digits(t) <= digits(&format!("{v:e}")).max(1),
                "float32 token {t} is not shortest for {v:e}"
            );
        }
        other => panic!("expected a float32 token, got {other:?}"),
    }
}

impl Shadow {
    fn new(wtype: i32, dims: &[u64]) -> Shadow {
        Shadow {
            wtype,
            dims: dims.to_vec(),
            points: dims.iter().product::<u64>() as usize,
            data: None,
            texts: BTreeMap::new(),
            waves: BTreeMap::new(),
            dfrefs: BTreeMap::new(),
            delta: [1.0; 4],
            offset: [0.0; 4],
            dim_units: Default::default(),
            dim_labels: Default::default(),
            index_labels: Default::default(),
            data_unit: Vec::new(),
            full_scale: (0.0, 0.0),
            note: None,
            modification: 0,
            height: 0,
        }
    }

    fn data_len(&self) -> Option<usize> {
        numeric_layout(self.wtype).map(|(size, _, _, c)| self.points * size * if c { 2 } else { 1 })
    }

    /// Check a serialized wave (`t`) against this model.
    fn check(&self, t: &T) {
        assert_eq!(t.get("type"), Some(&T::Str(expected_type_name(self.wtype))));
        let n = self.dims.len();
        let data = t.get("data").expect("data");
        let dim = t.get("dimension").expect("dimension");
        assert_eq!(
            t.get("date").and_then(|d| d.get("modification")),
            Some(&T::Num(self.modification.to_string()))
        );
        assert_eq!(
            t.get("note").map(|n| n.str().to_string()),
            self.note.as_deref().map(lossy)
        );
        let size: Vec<T> = self.dims.iter().map(|d| T::Num(d.to_string())).collect();
        assert_eq!(dim.get("size"), Some(&T::Arr(size)));
        // data.unit, data.fullScale
        assert_eq!(
            data.get("unit").map(|u| u.str().to_string()),
            (!self.data_unit.is_empty()).then(|| lossy(&self.data_unit))
        );
        let (lo, hi) = self.full_scale;
        let unset = (lo == 0.0 && hi == 0.0) || (lo.is_nan() && hi.is_nan());
        match data.get("fullScale") {
            None => assert!(unset, "fullScale missing for {lo:e}, {hi:e}"),
            Some(fs) => {
                assert!(!unset);
                num_matches(&fs.arr()[0], lo);
                num_matches(&fs.arr()[1], hi);
                assert_eq!(fs.arr().len(), 2);
            }
        }
        // dimension.delta / offset
        let scaled = (0..n).any(|d| self.delta[d] != 1.0 || self.offset[d] != 0.0);
        assert_eq!(dim.get("delta").is_some(), scaled);
        assert_eq!(dim.get("offset").is_some(), scaled);
        if scaled {
            let (d, o) = (
                dim.get("delta").unwrap().arr(),
                dim.get("offset").unwrap().arr(),
            );
            assert_eq!((d.len(), o.len()), (n, n));
            for i in 0..n {
                num_matches(&d[i], self.delta[i]);
                num_matches(&o[i], self.offset[i]);
            }
        }
        // dimension.unit
        let any_unit = self.dim_units[..n].iter().any(|u| !u.is_empty());
        match dim.get("unit") {
            None => assert!(!any_unit),
            Some(u) => {
                let want: Vec<T> = self.dim_units[..n]
                    .iter()
                    .map(|u| T::Str(lossy(u)))
                    .collect();
                assert_eq!(u, &T::Arr(want));
            }
        }
        // dimension.label
        let any_each = self.index_labels[..n].iter().any(|m| !m.is_empty());
        let any_full = self.dim_labels[..n].iter().any(|l| !l.is_empty());
        match dim.get("label") {
            None => assert!(!any_each && !any_full),
            Some(l) => {
                let each = l.get("each");
                assert_eq!(each.is_some(), any_each);
                if let Some(each) = each {
                    let mut want = Vec::new();
                    for d in 0..n {
                        for i in 0..self.dims[d] {
                            want.push(T::Str(
                                self.index_labels[d]
                                    .get(&i)
                                    .map(|b| lossy(b))
                                    .unwrap_or_default(),
                            ));
                        }
                    }
                    assert_eq!(each, &T::Arr(want));
                }
                let full = l.get("full");
                assert_eq!(full.is_some(), any_full);
                if let Some(full) = full {
                    let want: Vec<T> = self.dim_labels[..n]
                        .iter()
                        .map(|u| T::Str(lossy(u)))
                        .collect();
                    assert_eq!(full, &T::Arr(want));
                }
            }
        }
        // data.raw
        let raw = data.get("raw").expect("raw");
        match self.wtype {
            wave::TEXT_WAVE_TYPE => {
                let a = raw.arr();
                assert_eq!(a.len(), self.points);
                for (p, v) in a.iter().enumerate() {
                    let b = self.texts.get(&p).map(Vec::as_slice).unwrap_or(b"");
                    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
                    assert_eq!(v, &T::Str(lossy(&b[..end])));
                }
            }
            wave::DATAFOLDER_TYPE => {
                let a = raw.arr();
                assert_eq!(a.len(), self.points);
                for (p, v) in a.iter().enumerate() {
                    let b = self.dfrefs.get(&p).map(Vec::as_slice).unwrap_or(b"");
                    let killed = b.windows(17).any(|w| w == b":_killed folder_:");
                    let want = if b.is_empty() || killed {
                        "null".to_string()
                    } else {
                        lossy(b)
                    };
                    assert_eq!(v, &T::Str(want));
                }
            }
            wave::WAVE_TYPE => {
                let a = raw.arr();
                assert_eq!(a.len(), self.points);
                for (p, v) in a.iter().enumerate() {
                    match self.waves.get(&p).and_then(|c| c.as_ref()) {
                        None => assert_eq!(v, &T::Null),
                        Some(child) => child.check(v),
                    }
                }
            }
            t => {
                let (size, float, signed, complex) = numeric_layout(t).expect("numeric");
                let stride = size * if complex { 2 } else { 1 };
                let zeros = vec![0u8; self.points * stride];
                let bytes = self.data.as_deref().unwrap_or(&zeros);
                let check_part = |arr: &T, part: usize| {
                    let a = arr.arr();
                    assert_eq!(a.len(), self.points);
                    for (p, v) in a.iter().enumerate() {
                        let at = p * stride + part * size;
                        let e = &bytes[at..at + size];
                        match (size, float, signed) {
                            (8, true, _) => {
                                num_matches(v, f64::from_ne_bytes(e.try_into().unwrap()))
                            }
                            (4, true, _) => {
                                f32_matches(v, f32::from_ne_bytes(e.try_into().unwrap()))
                            }
                            _ => {
                                let mut b = [0u8; 8];
                                let want = if cfg!(target_endian = "little") {
                                    b[..size].copy_from_slice(e);
                                    let u = u64::from_le_bytes(b);
                                    if signed {
                                        let shift = 64 - 8 * size as u32;
                                        (((u << shift) as i64) >> shift).to_string()
                                    } else {
                                        u.to_string()
                                    }
                                } else {
                                    return;
                                };
                                assert_eq!(v, &T::Num(want));
                            }
                        }
                    }
                };
                if complex {
                    assert_eq!(raw.keys(), ["imag", "real"]);
                    check_part(raw.get("real").unwrap(), 0);
                    check_part(raw.get("imag").unwrap(), 1);
                } else {
                    check_part(raw, 0);
                }
            }
        }
    }
}

/// Decode and build a wave with its shadow; `None` when the decoded type or sizes are
/// invalid (the builder must have refused them) or the wave is too big to serialize.
fn build_wave(r: &mut Reader, depth: u32) -> Option<(Wave, Shadow)> {
    let sel = r.u8();
    let wtype = if sel == 255 {
        r.u64() as i32
    } else {
        TYPES[(sel % 32) as usize]
    };
    let nd = (r.u8() % 6) as usize;
    let huge = r.u8().is_multiple_of(16);
    let dims: Vec<u64> = (0..nd)
        .map(|_| {
            if huge {
                r.u64() >> (r.u8() % 64)
            } else {
                (r.u8() % 7) as u64
            }
        })
        .collect();
    let fits = {
        let mut p: Option<u64> = Some(1);
        for &d in &dims {
            p = p.and_then(|p| p.checked_mul(d));
        }
        p.is_some_and(|p| p <= (isize::MAX as u64) / 24)
    };
    let result = Wave::new(wtype, &dims);
    let should = valid_type(wtype) && (1..=4).contains(&nd);
    if !should || !fits {
        assert!(
            result.is_err() || (should && !fits && result.is_ok()),
            "Wave::new({wtype:#x}, {dims:?})"
        );
        if let Err(e) = result {
            assert_eq!(e.code, Code::InvalidArg);
        }
        return None;
    }
    let mut w = match result {
        Ok(w) => w,
        Err(e) => {
            // Only sizes beyond what memory can hold may be refused.
            let elem = numeric_layout(wtype).map_or(24, |(s, _, _, c)| s * if c { 2 } else { 1 });
            let p: u64 = dims.iter().product();
            assert!(
                p > (isize::MAX as u64) / elem as u64 / 2,
                "refused {dims:?}: {}",
                e.detail
            );
            return None;
        }
    };
    let mut s = Shadow::new(wtype, &dims);
    assert_eq!(w.points(), s.points);
    assert_eq!(w.dims(), &dims[..]);
    assert_eq!(w.data_len(), s.data_len());
    let dims_sum = dims.iter().fold(0u64, |a, &d| a.saturating_add(d));
    if s.points > 4096 || dims_sum > 1 << 16 {
        // Big: exercise the point checks only, never serialize, to keep the target fast. (A
        // zero-point wave with one huge dimension counts too: its `label.each` output grows
        // with the sum of the sizes. Absurd sizes are refused by the fallible serialization:
        // item 8 of the findings in docs/HARDENING.md, tests in tests/fuzz_regressions.rs.)
        let p = s.points;
        assert!(w.set_text(p, b"x").is_err());
        assert!(w.set_dfref(p, b"x").is_err());
        assert!(w.set_wave(p, None).is_err());
        return None;
    }
    let ops = r.u8() % 24;
    for _ in 0..ops {
        if r.is_empty() {
            break;
        }
        let point = {
            let x = r.u16() as usize;
            x % (s.points + 2)
        };
        let dim = (r.u8() % 5) as usize;
        match r.u8() % 14 {
            0 => {
                let exact = !r.u8().is_multiple_of(4);
                let len = match (exact, s.data_len()) {
                    (true, Some(n)) => n,
                    _ => r.u8() as usize,
                };
                let src = r.bytes(255);
                let bytes: Vec<u8> = (0..len)
                    .map(|i| {
                        src.get(i % src.len().max(1)).copied().unwrap_or(i as u8) ^ (i / 255) as u8
                    })
                    .collect();
                let ok = w.set_data(&bytes).is_ok();
                assert_eq!(ok, s.data_len() == Some(len));
                if ok {
                    s.data = Some(bytes);
                }
            }
            1 => {
                let b = r.bytes(40);
                let ok = w.set_text(point, b).is_ok();
                assert_eq!(ok, s.wtype == wave::TEXT_WAVE_TYPE && point < s.points);
                if ok {
                    s.texts.insert(point, b.to_vec());
                }
            }
            2 => {
                let child = if depth < 4 && !r.u8().is_multiple_of(3) {
                    build_wave(r, depth + 1)
                } else {
                    None
                };
                let (cw, cs) = match child {
                    Some((cw, cs)) => (Some(Box::new(cw)), Some(cs)),
                    None => (None, None),
                };
                let ok = w.set_wave(point, cw).is_ok();
                assert_eq!(ok, s.wtype == wave::WAVE_TYPE && point < s.points);
                if ok {
                    s.waves.insert(point, cs);
                    s.height = s
                        .waves
                        .values()
                        .flatten()
                        .map(|c| c.height + 1)
                        .max()
                        .unwrap_or(0);
                    assert_eq!(w.nesting(), s.height);
                }
            }
            3 => {
                let b = r.bytes(40);
                let ok = w.set_dfref(point, b).is_ok();
                assert_eq!(ok, s.wtype == wave::DATAFOLDER_TYPE && point < s.points);
                if ok {
                    s.dfrefs.insert(point, b.to_vec());
                }
            }
            4 => {
                let (d, o) = (r.f64(), r.f64());
                let ok = w.set_scaling(dim, d, o).is_ok();
                assert_eq!(ok, dim < s.dims.len());
                if ok {
                    s.delta[dim] = d;
                    s.offset[dim] = o;
                }
            }
            5 => {
                let b = r.bytes(20);
                let ok = w.set_dim_unit(dim, b).is_ok();
                assert_eq!(ok, dim < s.dims.len());
                if ok {
                    s.dim_units[dim] = b.to_vec();
                }
            }
            6 => {
                let index: i64 = match r.u8() % 8 {
                    0 => -1,
                    1 => -2,
                    2 => i64::MIN,
                    3 => i64::MAX,
                    _ => (r.u8() % 8) as i64,
                };
                let b = r.bytes(20);
                let ok = w.set_dim_label(dim, index, b).is_ok();
                let valid = dim < s.dims.len()
                    && (index == -1 || (index >= 0 && (index as u64) < s.dims[dim]));
                assert_eq!(ok, valid, "label dim {dim} index {index} dims {:?}", s.dims);
                if ok {
                    if index == -1 {
                        s.dim_labels[dim] = b.to_vec();
                    } else if b.is_empty() {
                        s.index_labels[dim].remove(&(index as u64));
                    } else {
                        s.index_labels[dim].insert(index as u64, b.to_vec());
                    }
                }
            }
            7 => {
                let b = r.bytes(20);
                w.set_data_unit(b);
                s.data_unit = b.to_vec();
            }
            8 => {
                let (a, b) = (r.f64(), r.f64());
                w.set_full_scale(a, b);
                s.full_scale = (a, b);
            }
            9 => {
                let b = r.bytes(60);
                w.set_note(b);
                s.note = Some(b.to_vec());
            }
            10 => {
                w.clear_note();
                s.note = None;
            }
            11 => {
                let m = r.u64() as i64;
                w.set_modification(m);
                s.modification = m;
            }
            _ => {
                let ok = w.check_set_wave(point, None).is_ok();
                assert_eq!(ok, s.wtype == wave::WAVE_TYPE && point < s.points);
            }
        }
    }
    Some((w, s))
}

fn check_serialized(w: Option<&Wave>, s: Option<&Shadow>) {
    let pretty = wave::serialize_pretty(w);
    let mut compact = Vec::new();
    wave::write_wave(w, &mut zeromq_xop::json::Writer::new(&mut compact, false));
    assert_eq!(minify(&pretty), compact, "pretty and compact output differ");
    let t =
        parse_t(&pretty).unwrap_or_else(|e| panic!("invalid wave JSON ({e}): {}", lossy(&pretty)));
    match s {
        None => assert_eq!(t, T::Null),
        Some(s) => {
            s.check(&t);
            // Lines the reference's tests grep: `"type": "..."` with `": "` separators.
            let text = lossy(&pretty);
            assert!(text.contains(&format!("\"type\": \"{}\"", expected_type_name(s.wtype))));
        }
    }
}

/// Fuzz entry: build waves and replies from decoded operations and check both serializers.
pub fn builders(data: &[u8]) {
    let mut r = Reader::new(data);
    let first = build_wave(&mut r, 0);
    match &first {
        Some((w, s)) => check_serialized(Some(w), Some(s)),
        None => check_serialized(None, None),
    }
    // The reply builder, fed with values and the wave.
    let id = match r.u8() % 4 {
        0 => None,
        _ => Some(lossy(r.bytes(40))),
    };
    let mut reply = Reply::new(id.clone());
    let mut results: Vec<(Value, Option<Shadow>)> = Vec::new();
    let mut by_ref: Vec<(Value, Option<Shadow>)> = Vec::new();
    let mut multiple = false;
    let mut error: Option<(i32, String)> = None;
    let mut wave_slot = first;
    let n = r.u8() % 12;
    for _ in 0..n {
        let op = r.u8();
        let v = match op % 4 {
            0 => (Value::Variable(r.f64()), None),
            1 => (Value::String(r.bytes(40).to_vec()), None),
            2 => (Value::Dfref(r.bytes(40).to_vec()), None),
            _ => match wave_slot.take() {
                Some((w, s)) => (Value::Wave(Some(Box::new(w))), Some(s)),
                None => (Value::Wave(None), None),
            },
        };
        match (op / 4) % 8 {
            0..=3 => {
                reply.push(v.0.clone());
                results.push(v);
            }
            4 | 5 => {
                reply.push_by_ref(v.0.clone());
                by_ref.push(v);
            }
            6 => {
                reply.set_multiple();
                multiple = true;
            }
            _ => {
                let codes = [
                    1, 3, 7, 8, 100, 101, 106, 107, 10002, 10004, 10009, 10013, 2, 0, -5, 99999,
                ];
                let code = codes[(op as usize / 32) % codes.len()];
                let h = r.bytes(40);
                reply.error(code, Some(h));
                let trimmed = lossy(h)
                    .trim_matches([' ', '\r', '\n', '\t'])
                    .replace('\r', "\n");
                error = Some((code, trimmed));
            }
        }
    }
    let pretty = reply.to_json().to_pretty();
    let compact = reply.to_json().to_compact();
    assert_eq!(minify(&pretty), compact);
    let t =
        parse_t(&pretty).unwrap_or_else(|e| panic!("invalid reply JSON ({e}): {}", lossy(&pretty)));
    assert_eq!(t.keys().first().copied(), Some("errorCode"));
    assert_eq!(t.get("messageID").map(|v| v.str().to_string()), id);
    let ec = t.get("errorCode").unwrap();
    let answered = error.is_some() || multiple || !results.is_empty();
    if let Some((code, hist)) = &error {
        assert_eq!(ec.get("value"), Some(&T::Num(code.to_string())));
        assert!(ec.get("msg").is_some());
        assert_eq!(
            t.get("history").map(|h| h.str().to_string()),
            (!hist.is_empty()).then(|| hist.clone())
        );
        assert!(t.get("result").is_none() && t.get("passByReference").is_none());
    } else if !answered {
        assert_eq!(ec.get("value"), Some(&T::Num("10004".into())));
        assert!(t.get("result").is_none());
    } else {
        assert_eq!(ec.keys(), ["value"]);
        assert_eq!(ec.get("value"), Some(&T::Num("0".into())));
        let check_value = |t: &T, (v, s): &(Value, Option<Shadow>)| {
            assert_eq!(t.keys(), ["type", "value"]);
            let val = t.get("value").unwrap();
            match v {
                Value::Variable(x) => {
                    assert_eq!(t.get("type").unwrap().str(), "variable");
                    num_matches(val, *x);
                }
                Value::String(b) => {
                    assert_eq!(t.get("type").unwrap().str(), "string");
                    assert_eq!(val, &T::Str(lossy(b)));
                }
                Value::Dfref(b) => {
                    assert_eq!(t.get("type").unwrap().str(), "dfref");
                    let killed = b.windows(17).any(|w| w == b":_killed folder_:");
                    let want = if b.is_empty() || killed {
                        "null".into()
                    } else {
                        lossy(b)
                    };
                    assert_eq!(val, &T::Str(want));
                }
                Value::Wave(_) => {
                    assert_eq!(t.get("type").unwrap().str(), "wave");
                    match s {
                        Some(s) => s.check(val),
                        None => assert_eq!(val, &T::Null),
                    }
                }
            }
        };
        let result = t.get("result").expect("result");
        if multiple {
            assert_eq!(result.arr().len(), results.len());
            for (rt, rv) in result.arr().iter().zip(&results) {
                check_value(rt, rv);
            }
        } else {
            check_value(result, &results[0]);
        }
        match t.get("passByReference") {
            None => assert!(by_ref.is_empty()),
            Some(p) => {
                assert_eq!(p.arr().len(), by_ref.len());
                for (rt, rv) in p.arr().iter().zip(&by_ref) {
                    check_value(rt, rv);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Logging

fn scratch_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("zeromq-xop-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&d);
    d
}

/// Fuzz entry: template validation, log lines, timestamps.
pub fn logging_template(data: &[u8]) {
    let split = data
        .first()
        .map_or(0, |&b| b as usize)
        .min(data.len().saturating_sub(1));
    let (template, rest) = if data.is_empty() {
        (data, data)
    } else {
        data[1..].split_at(split)
    };
    // One file per thread: the test harness may replay and mutate at the same time.
    let path = scratch_dir()
        .join(format!("template-{:?}.jsonl", std::thread::current().id()).replace(['(', ')'], ""));
    let _ = std::fs::remove_file(&path);
    let log = Logger::new(path.clone());
    let parsed = serde_json::from_slice::<serde_json::Value>(template).ok();
    let expected_ok = parsed
        .as_ref()
        .and_then(|v| v.as_object())
        .is_some_and(|o| {
            !["direction", "json", "str", "ts"]
                .iter()
                .any(|k| o.contains_key(*k))
        });
    let r = log.set_template(template);
    assert_eq!(r.is_ok(), expected_ok, "template {:?}", lossy(template));
    if let Err(e) = &r {
        assert_eq!(e.code, Code::InvalidLoggingTemplate);
        assert!(!path.exists());
    } else {
        assert_eq!(std::fs::read(&path).unwrap(), b"{}\n");
    }
    let (id, payload) = rest.split_at(rest.len() / 3);
    log.log(Entry::Str(payload), Some(Direction::Incoming), Some(id));
    let doc = serde_json::from_slice::<serde_json::Value>(payload).ok();
    if let Some(doc) = &doc {
        log.log(
            Entry::Json(&Json::from_value(doc)),
            Some(Direction::Outgoing),
            None,
        );
    }
    log.log(Entry::Str(b"IDLE event messages: #1"), None, None);
    let text = std::fs::read(&path).unwrap();
    let mut lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    assert_eq!(
        lines.pop(),
        Some(&b""[..]),
        "every line ends with a newline"
    );
    if expected_ok {
        assert_eq!(lines.remove(0), b"{}");
    }
    assert_eq!(lines.len(), 2 + usize::from(doc.is_some()));
    let template_obj = if expected_ok {
        parsed.and_then(|v| v.as_object().cloned())
    } else {
        None
    };
    for (i, line) in lines.iter().enumerate() {
        assert!(!line.contains(&b'\n'));
        let t =
            parse_t(line).unwrap_or_else(|e| panic!("log line is not JSON ({e}): {}", lossy(line)));
        assert_eq!(minify(line), *line, "log lines are compact");
        let v: serde_json::Value = serde_json::from_slice(line).expect("serde_json reads the line");
        let obj = v.as_object().unwrap();
        if let Some(tpl) = &template_obj {
            for (k, tv) in tpl {
                if k == "remote identity" && i == 0 && !id.is_empty() {
                    continue;
                }
                assert_eq!(obj.get(k), Some(tv), "template member {k}");
            }
        }
        let ts = t.get("ts").expect("ts").str();
        check_timestamp(ts);
        match i {
            0 => {
                assert_eq!(t.get("str"), Some(&T::Str(lossy(payload))));
                assert_eq!(t.get("direction"), Some(&T::Str("Incoming".into())));
                if !id.is_empty() {
                    assert_eq!(t.get("remote identity"), Some(&T::Str(lossy(id))));
                }
            }
            1 if doc.is_some() => {
                assert_eq!(obj.get("json"), doc.as_ref());
                assert_eq!(t.get("direction"), Some(&T::Str("Outgoing".into())));
            }
            _ => {
                assert_eq!(
                    t.get("str"),
                    Some(&T::Str("IDLE event messages: #1".into()))
                );
                assert!(t.get("direction").is_none());
            }
        }
    }
    // Timestamps of arbitrary instants.
    let mut r = Reader::new(data);
    let secs = r.u64() % 253_402_300_800; // up to 9999-12-31
    let nanos = (r.u64() % 1_000_000_000) as u32;
    let t = std::time::UNIX_EPOCH + Duration::new(secs, nanos);
    let ts = zeromq_xop::logging::timestamp(t);
    check_timestamp(&ts);
    assert_eq!(ts, expected_timestamp(secs, nanos));
}

fn check_timestamp(ts: &str) {
    let b = ts.as_bytes();
    assert_eq!(b.len(), 34, "timestamp {ts}");
    assert!(ts.ends_with("+0000"));
    for (i, &c) in b[..29].iter().enumerate() {
        match i {
            4 | 7 => assert_eq!(c, b'-'),
            10 => assert_eq!(c, b'T'),
            13 | 16 => assert_eq!(c, b':'),
            19 => assert_eq!(c, b'.'),
            _ => assert!(c.is_ascii_digit(), "timestamp {ts}"),
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+0000` by counting days, month by month.
fn expected_timestamp(secs: u64, nanos: u32) -> String {
    let mut days = secs / 86_400;
    let rem = secs % 86_400;
    let mut year = 1970u64;
    let leap = |y: u64| (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    loop {
        let n = if leap(year) { 366 } else { 365 };
        if days < n {
            break;
        }
        days -= n;
        year += 1;
    }
    let lengths = [
        31,
        if leap(year) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut month = 0;
    while days >= lengths[month] {
        days -= lengths[month];
        month += 1;
    }
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}+0000",
        year,
        month + 1,
        days + 1,
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        nanos
    )
}

// ---------------------------------------------------------------------------------------------
// Frames

/// Decode 1..=6 frames.
fn decode_frames(r: &mut Reader) -> Vec<Vec<u8>> {
    let n = 1 + (r.u8() % 6) as usize;
    (0..n)
        .map(|_| {
            let b = r.bytes(200).to_vec();
            // Now and then a larger frame.
            if r.u8() == 0xff {
                b.repeat(40)
            } else {
                b
            }
        })
        .collect()
}

struct FramesFixture {
    m: Arc<Manager>,
    dealer: zmq::Socket,
    router: zmq::Socket,
    publisher: zmq::Socket,
    client_id: Vec<u8>,
    runs: u64,
    log: std::path::PathBuf,
}

fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn frames_fixture() -> &'static Mutex<FramesFixture> {
    static F: OnceLock<Mutex<FramesFixture>> = OnceLock::new();
    F.get_or_init(|| {
        let log = scratch_dir().join("frames.jsonl");
        let m = Manager::with_logger(Logger::new(log.clone()));
        m.set_flags(zeromq_xop::manager::SET_FLAGS_LOGGING).unwrap();
        let tag = format!("{}-{:p}", std::process::id(), Arc::as_ptr(&m));
        let ctx = m.context().clone();
        // Server side: the manager's ROUTER, a raw DEALER sending to it.
        m.attach(
            zeromq_xop::manager::Role::Server,
            format!("inproc://fz-server-{tag}").as_bytes(),
        )
        .unwrap();
        let dealer = ctx.socket(zmq::DEALER).unwrap();
        dealer.set_linger(0).unwrap();
        dealer
            .connect(&format!("inproc://fz-server-{tag}"))
            .unwrap();
        // Client side: a raw ROUTER the manager's DEALER connects to.
        let router = ctx.socket(zmq::ROUTER).unwrap();
        router.set_linger(0).unwrap();
        router.bind(&format!("inproc://fz-client-{tag}")).unwrap();
        m.attach(
            zeromq_xop::manager::Role::Client,
            format!("inproc://fz-client-{tag}").as_bytes(),
        )
        .unwrap();
        m.client_send(b"hello").unwrap();
        let hello = router.recv_multipart(0).unwrap();
        assert_eq!(hello.len(), 3);
        let client_id = hello[0].clone();
        // Subscriber side: a raw PUB the manager's SUB connects to, subscribed to everything.
        let publisher = ctx.socket(zmq::PUB).unwrap();
        publisher.set_linger(0).unwrap();
        publisher.bind(&format!("inproc://fz-pub-{tag}")).unwrap();
        m.attach(
            zeromq_xop::manager::Role::Subscriber,
            format!("inproc://fz-pub-{tag}").as_bytes(),
        )
        .unwrap();
        m.sub_add_filter(b"").unwrap();
        wait_for("the subscription", || {
            publisher.send_multipart([&b"probe"[..], b""], 0).unwrap();
            m.sub_recv(0).unwrap()
        });
        while m.sub_recv(20).unwrap().is_some() {}
        Mutex::new(FramesFixture {
            m,
            dealer,
            router,
            publisher,
            client_id,
            runs: 0,
            log,
        })
    })
}

/// Fuzz entry: the frame-layout checks of the server, client and subscriber receive paths.
pub fn frames(data: &[u8]) {
    let mut fx = frames_fixture().lock().unwrap_or_else(|e| e.into_inner());
    fx.runs += 1;
    if fx.runs.is_multiple_of(512) {
        let _ = std::fs::remove_file(&fx.log);
    }
    let mut r = Reader::new(data);
    let route = r.u8() % 4;
    let frames = decode_frames(&mut r);
    let m = Arc::clone(&fx.m);

    // The pure check on the frames a ROUTER would deliver.
    let mut with_id: Vec<zmq::Message> = vec![zmq::Message::from(&b"id"[..])];
    with_id.extend(frames.iter().map(|f| zmq::Message::from(&f[..])));
    let router_ok = frames.len() == 2 && frames[0].is_empty();
    match check_router_frames(with_id) {
        Ok(f) => {
            assert!(router_ok);
            assert_eq!((&f[0][..], &f[1][..]), (&b"id"[..], &frames[1][..]));
        }
        Err(e) => {
            assert!(!router_ok);
            assert_eq!(e.code, Code::InvalidMessageFormat);
        }
    }

    let wait = 5000;
    match route {
        0 => {
            fx.dealer
                .send_multipart(frames.iter().map(|f| &f[..]), 0)
                .unwrap();
            match m.server_recv(wait) {
                Ok(Some(f)) => {
                    assert!(router_ok, "accepted {} frames", frames.len());
                    assert_eq!(f.len(), 2);
                    assert!(!f[0].is_empty());
                    assert_eq!(&f[1][..], &frames[1][..]);
                }
                Ok(None) => panic!("the server received nothing"),
                Err(e) => {
                    assert!(!router_ok, "rejected a good message: {}", e.detail);
                    assert_eq!(e.code, Code::InvalidMessageFormat);
                }
            }
            assert!(
                m.server_recv(0).unwrap().is_none(),
                "frames left over on the server"
            );
        }
        1 => {
            let mut msg: Vec<&[u8]> = vec![&fx.client_id];
            msg.extend(frames.iter().map(|f| &f[..]));
            fx.router.send_multipart(msg, 0).unwrap();
            match m.client_recv(wait) {
                Ok(Some(f)) => {
                    assert_eq!(frames.len(), 2);
                    assert_eq!(f.len(), 1);
                    assert_eq!(&f[0][..], &frames[1][..]);
                }
                Ok(None) => panic!("the client received nothing"),
                Err(e) => {
                    assert_ne!(frames.len(), 2);
                    assert_eq!(e.code, Code::InvalidMessageFormat);
                }
            }
            assert!(
                m.client_recv(0).unwrap().is_none(),
                "frames left over on the client"
            );
        }
        _ => {
            let multi = route == 3;
            fx.publisher
                .send_multipart(frames.iter().map(|f| &f[..]), 0)
                .unwrap();
            let got = if multi {
                m.sub_recv_multi(wait)
            } else {
                m.sub_recv(wait)
            };
            let ok = if multi {
                frames.len() >= 2
            } else {
                frames.len() == 2
            };
            match got {
                Ok(Some(f)) => {
                    assert!(ok);
                    assert_eq!(f.len(), frames.len());
                    for (a, b) in f.iter().zip(&frames) {
                        assert_eq!(&a[..], &b[..]);
                    }
                }
                Ok(None) => panic!("the subscriber received nothing"),
                Err(e) => {
                    assert!(!ok);
                    assert_eq!(e.code, Code::InvalidMessageFormat);
                }
            }
            assert!(
                m.sub_recv_multi(0).unwrap().is_none(),
                "frames left over on the subscriber"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Whole messages through the message handler

struct WireFixture {
    m: Arc<Manager>,
    dealer: zmq::Socket,
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
        zeromq_xop::handler::start(&m).unwrap();
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
        zeromq_xop::handler::process(&fx.m);
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
            let data: Vec<&[u8]> = frames[2..].iter().map(|f| &f[..]).collect();
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
