//! The JSON writer: the reference XOP's layout (4-space pretty printing or compact lines),
//! strings as raw UTF-8 with invalid bytes replaced and control characters as `\u00xx`, numbers
//! through [`crate::numbers`]. The caller gives the structure; [`crate::json::Json`], the
//! reply ([`crate::reply::Reply::write`]) and the wave serializer are the callers.

use crate::numbers::{write_f64, write_int};

/// A streaming JSON writer producing the reference's pretty or compact layout. The caller is
/// responsible for the structure (keys in sorted order, values after keys).
pub struct Writer<'a> {
    /// The output buffer.
    pub out: &'a mut Vec<u8>,
    pretty: bool,
    depth: usize,
    first: bool,
    after_key: bool,
    /// Doubles in shortest round-trip form instead of `%.15g` (binary replies).
    exact: bool,
}

impl<'a> Writer<'a> {
    /// Write doubles in shortest round-trip form (every double read back exactly) instead
    /// of `%.15g`.
    pub fn exact(mut self) -> Writer<'a> {
        self.exact = true;
        self
    }

    /// A writer appending to `out`.
    pub fn new(out: &'a mut Vec<u8>, pretty: bool) -> Writer<'a> {
        Writer {
            out,
            pretty,
            depth: 0,
            first: true,
            after_key: false,
            exact: false,
        }
    }

    fn newline(&mut self) {
        self.out.push(b'\n');
        let indented = self.out.len() + 4 * self.depth;
        self.out.resize(indented, b' ');
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
        // A `str` is valid UTF-8: only escaping is left to do.
        self.out.push(b'"');
        escape_into(k.as_bytes(), self.out);
        self.out.push(b'"');
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

    /// An integer token.
    pub fn int(&mut self, v: i64) {
        self.prefix();
        write_int(v, self.out);
    }

    /// A double like `%.15g` (or exactly, see [`Writer::exact`]), non-finite as strings.
    #[inline]
    pub fn f64(&mut self, v: f64) {
        self.prefix();
        if self.exact {
            crate::numbers::shortest::write_exact(v, self.out);
        } else {
            write_f64(v, self.out);
        }
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
}
