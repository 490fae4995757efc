//! JSON output with the reference XOP's formatting: keys sorted, 4-space pretty printing or
//! compact lines, numbers as `%.15g` tokens, non-finite numbers as the strings `"nan"`,
//! `"inf"` and `"-inf"`, raw UTF-8 (invalid bytes replaced), control characters as `\u00xx`.

use crate::numbers::{write_f64, write_int};
use crate::wave::Wave;
use std::collections::BTreeMap;

/// A JSON value to be written. Objects keep their keys sorted.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An integer token.
    Int(i64),
    /// A double, written like C's `%.15g` (non-finite values as strings).
    Num(f64),
    /// A pre-formatted number token.
    Raw(String),
    /// A string (already valid UTF-8).
    Str(String),
    /// An array.
    Arr(Vec<Json>),
    /// An object with sorted keys.
    Obj(BTreeMap<String, Json>),
    /// A serialized wave (`null` when absent).
    Wave(Option<Box<Wave>>),
}

impl Json {
    /// An object from key/value pairs.
    pub fn obj<I: IntoIterator<Item = (&'static str, Json)>>(items: I) -> Json {
        Json::Obj(items.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    /// A string from bytes, replacing invalid UTF-8.
    pub fn bytes(b: &[u8]) -> Json {
        Json::Str(String::from_utf8_lossy(b).into_owned())
    }

    /// Convert a parsed document, keeping its number tokens.
    pub fn from_value(v: &serde_json::Value) -> Json {
        use serde_json::Value;
        match v {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Raw(n.to_string()),
            Value::String(s) => Json::Str(s.clone()),
            Value::Array(a) => Json::Arr(a.iter().map(Json::from_value).collect()),
            Value::Object(o) => Json::Obj(
                o.iter()
                    .map(|(k, v)| (k.clone(), Json::from_value(v)))
                    .collect(),
            ),
        }
    }

    /// An upper bound of the size of this value's pretty text written at nesting depth
    /// `depth` (the compact text is never longer); `None` when it does not fit in `usize`.
    pub fn size_bound(&self, depth: usize) -> Option<usize> {
        let line = depth.checked_mul(4)?.checked_add(4)?;
        let inner = depth.checked_add(1)?;
        let item = match self {
            Json::Null | Json::Bool(_) | Json::Int(_) | Json::Num(_) => 32,
            Json::Raw(t) => t.len(),
            Json::Str(s) => s.len().checked_mul(6)?.checked_add(2)?,
            Json::Arr(a) => a
                .iter()
                .try_fold(2usize, |acc, v| acc.checked_add(v.size_bound(inner)?))?,
            Json::Obj(o) => o.iter().try_fold(2usize, |acc, (k, v)| {
                acc.checked_add(k.len().checked_mul(6)?.checked_add(4)?)?
                    .checked_add(v.size_bound(inner)?)
            })?,
            Json::Wave(None) => 4,
            Json::Wave(Some(w)) => w.json_size_bound(depth)?,
        };
        item.checked_add(line)
    }

    /// Pretty text like [`Json::to_pretty`], with the memory reserved fallibly first: `None`
    /// when it cannot be had (an absurdly large wave), instead of ending the process.
    pub fn try_pretty(&self) -> Option<Vec<u8>> {
        self.try_write(true)
    }

    /// Compact text like [`Json::to_compact`], with the memory reserved fallibly first.
    pub fn try_compact(&self) -> Option<Vec<u8>> {
        self.try_write(false)
    }

    fn try_write(&self, pretty: bool) -> Option<Vec<u8>> {
        let bound = self.size_bound(0)?;
        let mut out = Vec::new();
        out.try_reserve_exact(bound).ok()?;
        self.write(&mut Writer::new(&mut out, pretty));
        // Give back a large reservation's unused part; a small one is not worth a reallocation.
        if out.capacity() > 1 << 16 && out.capacity() - out.len() > out.len() / 8 {
            out.shrink_to_fit();
        }
        Some(out)
    }

    /// Pretty text (4-space indent, `": "` separators), as replies are sent.
    pub fn to_pretty(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(128);
        self.write(&mut Writer::new(&mut out, true));
        out
    }

    /// Compact text, as log lines are written.
    pub fn to_compact(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(128);
        self.write(&mut Writer::new(&mut out, false));
        out
    }

    /// Write this value at the writer's current position.
    pub fn write(&self, w: &mut Writer<'_>) {
        match self {
            Json::Null => w.raw(b"null"),
            Json::Bool(b) => w.raw(if *b { b"true" } else { b"false" }),
            Json::Int(i) => {
                w.prefix();
                write_int(*i, w.out);
            }
            Json::Num(v) => w.f64(*v),
            Json::Raw(t) => w.raw(t.as_bytes()),
            Json::Str(s) => w.str(s.as_bytes()),
            Json::Arr(a) => {
                w.begin(b'[');
                for v in a {
                    v.write(w);
                }
                w.end(b']');
            }
            Json::Obj(o) => {
                w.begin(b'{');
                for (k, v) in o {
                    w.key(k);
                    v.write(w);
                }
                w.end(b'}');
            }
            Json::Wave(wave) => crate::wave::write_wave(wave.as_deref(), w),
        }
    }
}

/// A streaming JSON writer producing the reference's pretty or compact layout. The caller is
/// responsible for the structure (keys in sorted order, values after keys).
pub struct Writer<'a> {
    /// The output buffer.
    pub out: &'a mut Vec<u8>,
    pretty: bool,
    depth: usize,
    first: bool,
    after_key: bool,
}

impl<'a> Writer<'a> {
    /// A writer appending to `out`.
    pub fn new(out: &'a mut Vec<u8>, pretty: bool) -> Writer<'a> {
        Writer {
            out,
            pretty,
            depth: 0,
            first: true,
            after_key: false,
        }
    }

    fn newline(&mut self) {
        self.out.push(b'\n');
        for _ in 0..self.depth {
            self.out.extend_from_slice(b"    ");
        }
    }

    /// Separator and indentation before a value (or a key).
    #[inline]
    pub fn prefix(&mut self) {
        if self.after_key {
            self.after_key = false;
            return;
        }
        if self.depth == 0 {
            return;
        }
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        if self.pretty {
            self.newline();
        }
    }

    /// Open an array (`[`) or object (`{`).
    pub fn begin(&mut self, open: u8) {
        self.prefix();
        self.out.push(open);
        self.depth += 1;
        self.first = true;
    }

    /// Close the innermost array (`]`) or object (`}`).
    pub fn end(&mut self, close: u8) {
        self.depth -= 1;
        if !self.first && self.pretty {
            self.newline();
        }
        self.out.push(close);
        self.first = false;
    }

    /// An object key; the value must follow.
    pub fn key(&mut self, k: &str) {
        self.prefix();
        write_str(k.as_bytes(), self.out);
        self.out
            .extend_from_slice(if self.pretty { b": " } else { b":" });
        self.after_key = true;
    }

    /// A pre-formatted token.
    pub fn raw(&mut self, token: &[u8]) {
        self.prefix();
        self.out.extend_from_slice(token);
    }

    /// A string value from bytes (invalid UTF-8 replaced).
    pub fn str(&mut self, s: &[u8]) {
        self.prefix();
        write_str(s, self.out);
    }

    /// A double like `%.15g`, non-finite as strings.
    #[inline]
    pub fn f64(&mut self, v: f64) {
        self.prefix();
        write_f64(v, self.out);
    }
}

/// Append a JSON string literal: `"` and `\` escaped, control characters escaped, other
/// characters as raw UTF-8, invalid UTF-8 sequences replaced by U+FFFD.
pub fn write_str(s: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    match std::str::from_utf8(s) {
        Ok(text) => escape_into(text.as_bytes(), out),
        Err(_) => escape_into(String::from_utf8_lossy(s).as_bytes(), out),
    }
    out.push(b'"');
}

fn escape_into(s: &[u8], out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut start = 0;
    for (i, &b) in s.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&s[start..i]);
        if esc.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 15) as usize]);
        } else {
            out.extend_from_slice(esc);
        }
        start = i + 1;
    }
    out.extend_from_slice(&s[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_like_the_reference() {
        let mut out = Vec::new();
        write_str("a\"b\\c/ä\u{1}\n".as_bytes(), &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"a\\\"b\\\\c/ä\\u0001\\n\""
        );
        let mut out = Vec::new();
        write_str(b"\x00ab\xff", &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "\"\\u0000ab\u{fffd}\"");
    }

    #[test]
    fn pretty_and_compact_layout() {
        let v = Json::obj([
            ("b", Json::Arr(vec![Json::Int(1), Json::Num(2.5)])),
            ("a", Json::obj([("value", Json::Num(f64::NAN))])),
            ("c", Json::Arr(vec![])),
            ("d", Json::obj([])),
        ]);
        assert_eq!(
            String::from_utf8(v.to_pretty()).unwrap(),
            "{\n    \"a\": {\n        \"value\": \"nan\"\n    },\n    \"b\": [\n        1,\n        2.5\n    ],\n    \"c\": [],\n    \"d\": {}\n}"
        );
        assert_eq!(
            String::from_utf8(v.to_compact()).unwrap(),
            "{\"a\":{\"value\":\"nan\"},\"b\":[1,2.5],\"c\":[],\"d\":{}}"
        );
    }
}
