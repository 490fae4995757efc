//! The reply of a remote call (SPEC 4.6): the builder the host fills (results, by-reference
//! values, an error) and the one home of the reply's JSON layout, written straight to a
//! [`Writer`] without an intermediate tree (a reply is sent for every call, so building a
//! keyed tree first would cost more than the writing itself).
//!
//! [`crate::json::Json::Reply`] carries a reply wherever a JSON value goes (the log line, the
//! binary frames of [`crate::binary_reply`]).

use crate::error::{req, Code};
use crate::json_writer::Writer;
use crate::wave::{write_wave, Wave};

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
    /// The `{type, value}` object.
    fn write(&self, w: &mut Writer<'_>) {
        w.begin(b'{');
        w.key("type");
        w.str(match self {
            Value::Variable(_) => b"variable",
            Value::String(_) => b"string",
            Value::Dfref(_) => b"dfref",
            Value::Wave(_) => b"wave",
        });
        w.key("value");
        match self {
            Value::Variable(x) => w.f64(*x),
            Value::String(s) => w.str(s),
            Value::Dfref(p) => w.str(dfref_text(p).as_bytes()),
            Value::Wave(wave) => write_wave(wave.as_deref(), w),
        }
        w.end(b'}');
    }

    /// An upper bound of [`Value::write`]'s pretty text at nesting depth `depth`.
    fn size_bound(&self, depth: usize) -> Option<usize> {
        let inner = depth.checked_add(1)?;
        let value = match self {
            Value::Variable(_) => NUMBER,
            Value::String(s) => text(s.len())?,
            Value::Dfref(p) => text(p.len().max(4))?,
            Value::Wave(None) => 4,
            Value::Wave(Some(w)) => w.json_size_bound(inner)?,
        };
        // Braces on their lines, two members, the type's text.
        let frame = line(depth)?.checked_mul(2)?.checked_add(2)?;
        let members = line(inner)?.checked_add(KEY)?.checked_mul(2)?;
        value
            .checked_add(frame)?
            .checked_add(members)?
            .checked_add(text(8)?)
    }
}

/// A key with its quotes and separator in a bound (every key of a reply is shorter than 16
/// bytes and has nothing to escape).
const KEY: usize = 16 + 4;
/// A number token in a bound.
const NUMBER: usize = 32;

/// The line break, indentation and comma before a member or element at nesting depth `d`.
fn line(d: usize) -> Option<usize> {
    d.checked_mul(4)?.checked_add(4)
}

/// A string of `len` bytes (each may become a six-byte escape) with its quotes.
fn text(len: usize) -> Option<usize> {
    len.checked_mul(6)?.checked_add(2)
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

/// What the internal error of a reply with neither result nor error says.
const UNANSWERED: &str = "The host answered the call with neither a result nor an error.";

/// The error a reply answers with.
#[derive(Clone, Debug, PartialEq)]
struct ReplyError {
    code: i32,
    msg: String,
    /// Cleaned history text (107); empty when none.
    history: String,
    /// What exactly was wrong (`errorCode.detail`), for Phase A rejections.
    detail: Option<String>,
}

/// The reply under construction.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reply {
    message_id: Option<String>,
    results: Vec<Value>,
    multiple: bool,
    by_ref: Vec<Value>,
    error: Option<ReplyError>,
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
        self.set_error(code, code_message(code), h);
    }

    /// Answer with an error code and an explicit message text.
    pub fn error_with_message(&mut self, code: i32, msg: &str) {
        self.set_error(code, msg.to_string(), String::new());
    }

    fn set_error(&mut self, code: i32, msg: String, history: String) {
        self.error = Some(ReplyError {
            code,
            msg,
            history,
            detail: None,
        });
    }

    /// Add what exactly was wrong to the error set (`errorCode.detail`; `errorCode.msg` stays
    /// the code's text). Without an error there is nothing to detail.
    pub fn set_error_detail(&mut self, detail: String) {
        if let Some(e) = &mut self.error {
            e.detail = Some(detail);
        }
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

    /// The values the document carries, in the protocol's order: results, then by-reference
    /// values (binary replies number their frames in this order). An error reply carries none.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Value> {
        let (results, by_ref) = match (self.answered_by_error(), self.multiple) {
            (true, _) => (0, 0),
            (false, true) => (self.results.len(), self.by_ref.len()),
            (false, false) => (1, self.by_ref.len()),
        };
        let results = self.results.iter_mut().take(results);
        results.chain(self.by_ref.iter_mut().take(by_ref))
    }

    /// Whether the document answers with an error (see [`Reply::answer_error`]).
    fn answered_by_error(&self) -> bool {
        self.error.is_some() || self.results.is_empty() && !self.multiple
    }

    /// The error the document answers with: the one set, or an internal error (10004) for a
    /// reply with neither result nor error.
    fn answer_error(&self) -> Option<std::borrow::Cow<'_, ReplyError>> {
        match &self.error {
            Some(e) => Some(std::borrow::Cow::Borrowed(e)),
            None if self.answered_by_error() => Some(std::borrow::Cow::Owned(ReplyError {
                code: Code::Internal as i32,
                msg: format!(
                    "{} The host answered the call with neither a result nor an error.",
                    Code::Internal.text()
                ),
                history: String::new(),
                detail: None,
            })),
            None => None,
        }
    }

    /// Write the reply document (SPEC 4.6) in the reference's layout: members in sorted key
    /// order (errorCode, history, messageID, passByReference, result).
    pub fn write(&self, w: &mut Writer<'_>) {
        w.begin(b'{');
        w.key("errorCode");
        w.begin(b'{');
        match self.answer_error() {
            Some(e) => {
                if let Some(d) = &e.detail {
                    w.key("detail");
                    w.str(d.as_bytes());
                }
                w.key("msg");
                w.str(e.msg.as_bytes());
                w.key("value");
                w.int(e.code as i64);
                w.end(b'}');
                if !e.history.is_empty() {
                    w.key("history");
                    w.str(e.history.as_bytes());
                }
                self.write_message_id(w);
            }
            None => {
                w.key("value");
                w.int(0);
                w.end(b'}');
                self.write_message_id(w);
                if !self.by_ref.is_empty() {
                    w.key("passByReference");
                    write_array(&self.by_ref, w);
                }
                w.key("result");
                match (self.multiple, self.results.first()) {
                    (false, Some(v)) => v.write(w),
                    _ => write_array(&self.results, w),
                }
            }
        }
        w.end(b'}');
    }

    fn write_message_id(&self, w: &mut Writer<'_>) {
        if let Some(id) = &self.message_id {
            w.key("messageID");
            w.str(id.as_bytes());
        }
    }

    /// An upper bound of the size of [`Reply::write`]'s pretty text at nesting depth `depth`
    /// (the compact text is never longer); `None` when it does not fit in `usize`. Tight
    /// enough for a small reply's buffer to stay a small allocation.
    pub fn size_bound(&self, depth: usize) -> Option<usize> {
        let d2 = depth.checked_add(2)?;
        let error = self.error.as_ref();
        let msg = match error {
            Some(e) => e.msg.len(),
            None if self.answered_by_error() => Code::Internal.text().len() + 1 + UNANSWERED.len(),
            None => 0,
        };
        let strings = [
            self.message_id.as_ref().map_or(0, String::len),
            msg,
            error.map_or(0, |e| e.history.len()),
            error.and_then(|e| e.detail.as_ref()).map_or(0, String::len),
        ];
        // The document's braces; at most ten lines of members, elements and closing
        // brackets below it (five members, three in errorCode, two arrays); the code.
        let mut total = line(depth)?.checked_add(2 + NUMBER)?;
        total = total.checked_add(line(d2)?.checked_add(KEY)?.checked_mul(10)?)?;
        for len in strings {
            total = total.checked_add(text(len)?)?;
        }
        for v in self.results.iter().chain(&self.by_ref) {
            total = total.checked_add(v.size_bound(d2)?)?;
        }
        Some(total)
    }
}

/// `[{type, value}, ...]`
fn write_array(values: &[Value], w: &mut Writer<'_>) {
    w.begin(b'[');
    for v in values {
        v.write(w);
    }
    w.end(b']');
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
pub(crate) mod tests {
    use super::*;

    fn compact(r: &Reply) -> String {
        let mut out = Vec::new();
        r.write(&mut Writer::new(&mut out, false));
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn reply_shapes() {
        let mut r = Reply::new(Some("id".into()));
        r.push(Value::Variable(42.0));
        r.push_by_ref(Value::String(b"hi there".to_vec()));
        r.push_by_ref(Value::Variable(f64::NAN));
        let text = compact(&r);
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
        let text = compact(&r);
        assert_eq!(
            text,
            r#"{"errorCode":{"value":0},"result":[{"type":"variable","value":123},{"type":"string","value":"Hi there!"},{"type":"dfref","value":"null"},{"type":"wave","value":null}]}"#
        );

        let mut r = Reply::new(Some("x".into()));
        r.push(Value::Variable(1.0));
        r.error(107, Some(b"\r\n  line1\rline2 \t\n"));
        let text = compact(&r);
        assert_eq!(
            text,
            r#"{"errorCode":{"msg":"CallFunction: The function was partially executed but aborted at some point.","value":107},"history":"line1\nline2","messageID":"x"}"#
        );

        let r = Reply::new(None);
        let text = compact(&r);
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

    /// Replies of every shape, for the layout and bound checks.
    pub(crate) fn sample_replies() -> Vec<Reply> {
        let wave = || {
            let mut w = Wave::new(crate::wave::NT_FP64, &[3]).unwrap();
            let data: Vec<u8> = [1.0f64, 2.5, -3.0]
                .iter()
                .flat_map(|x| x.to_le_bytes())
                .collect();
            w.set_data(&data).unwrap();
            Some(Box::new(w))
        };
        let values = || {
            vec![
                Value::Variable(-0.5),
                Value::String(b"a\"b\n\x01\xff \xe4".to_vec()),
                Value::Dfref(b"root:x".to_vec()),
                Value::Dfref(Vec::new()),
                Value::Wave(None),
                Value::Wave(wave()),
            ]
        };
        let mut replies = Vec::new();
        for id in [None, Some("m\u{e9}\t1".to_string())] {
            for results in [0, 1, 3] {
                for multiple in [false, true] {
                    for by_ref in [0, 2] {
                        let mut r = Reply::new(id.clone());
                        values().into_iter().take(results).for_each(|v| r.push(v));
                        values()
                            .into_iter()
                            .rev()
                            .take(by_ref)
                            .for_each(|v| r.push_by_ref(v));
                        if multiple {
                            r.set_multiple();
                        }
                        replies.push(r.clone());
                        r.error(107, Some(b" \r history\r\n"));
                        replies.push(r.clone());
                        r.error_with_message(10002, "\"quoted\"");
                        r.set_error_detail("what \\ was wrong".into());
                        replies.push(r);
                    }
                }
            }
        }
        replies
    }

    #[test]
    fn the_size_bound_holds_at_any_depth() {
        // A small reply's buffer stays a small allocation.
        let mut small = Reply::new(Some("m1".into()));
        small.push(Value::Variable(3.0));
        assert!(small.size_bound(0).unwrap() < 1024);
        for r in sample_replies() {
            for depth in [0, 1, 5] {
                for pretty in [true, false] {
                    let mut out = Vec::new();
                    let mut w = Writer::new(&mut out, pretty);
                    (0..depth).for_each(|_| w.begin(b'['));
                    let before = w.out.len();
                    r.write(&mut w);
                    let len = w.out.len() - before;
                    let bound = r.size_bound(depth).unwrap();
                    assert!(len <= bound, "{len} > {bound}: {}", compact(&r));
                }
            }
        }
    }

    #[test]
    fn a_detail_goes_into_the_error_only() {
        let mut r = Reply::new(None);
        r.set_error_detail("ignored".into());
        r.push(Value::Variable(1.0));
        assert_eq!(
            compact(&r),
            r#"{"errorCode":{"value":0},"result":{"type":"variable","value":1}}"#
        );
        r.error(106, None);
        r.set_error_detail("frame 1 is not referenced".into());
        assert_eq!(
            compact(&r),
            r#"{"errorCode":{"detail":"frame 1 is not referenced","msg":"CallFunction: Parameter is not an array or otherwise invalid.","value":106}}"#
        );
    }

    #[test]
    fn carried_values_are_those_the_document_writes() {
        let v = |x: f64| Value::Variable(x);
        let carried = |r: &mut Reply| -> Vec<Value> { r.values_mut().map(|v| v.clone()).collect() };
        let mut r = Reply::new(None);
        r.push(v(1.0));
        r.push(v(2.0));
        r.push_by_ref(v(3.0));
        assert_eq!(carried(&mut r), [v(1.0), v(3.0)]);
        r.set_multiple();
        assert_eq!(carried(&mut r), [v(1.0), v(2.0), v(3.0)]);
        r.error(107, None);
        assert!(carried(&mut r).is_empty());
        let mut unanswered = Reply::new(None);
        unanswered.push_by_ref(v(3.0));
        assert!(carried(&mut unanswered).is_empty());
    }
}
