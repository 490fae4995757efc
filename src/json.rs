//! JSON output with the reference XOP's formatting: keys sorted, 4-space pretty printing or
//! compact lines, numbers as `%.15g` tokens, non-finite numbers as the strings `"nan"`,
//! `"inf"` and `"-inf"`, raw UTF-8 (invalid bytes replaced), control characters as `\u00xx`.

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

    /// A double like `%.15g` (or exactly, see [`Writer::exact`]), non-finite as strings.
    #[inline]
    pub fn f64(&mut self, v: f64) {
        self.prefix();
        if self.exact {
            crate::exact_number::write_exact(v, self.out);
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

/// Append an integer token.
#[inline]
pub fn write_int(v: i64, out: &mut Vec<u8>) {
    if v < 0 {
        out.push(b'-');
    }
    write_uint(v.unsigned_abs(), out);
}

/// Append an unsigned integer token.
#[inline]
pub fn write_uint(v: u64, out: &mut Vec<u8>) {
    let mut buf = [0u8; 20];
    let mut n = v;
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Append a double as a JSON token: finite values like C's `%.15g`, NaN as `"nan"`, infinities
/// as `"inf"` / `"-inf"`.
#[inline]
pub fn write_f64(v: f64, out: &mut Vec<u8>) {
    if !v.is_finite() {
        out.extend_from_slice(if v.is_nan() {
            b"\"nan\""
        } else if v > 0.0 {
            b"\"inf\""
        } else {
            b"\"-inf\""
        });
        return;
    }
    write_g15(v, out);
}

/// `%.15g` of a double as text (finite or not: non-finite gives `nan`, `inf`, `-inf`).
pub fn g15(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let mut out = Vec::with_capacity(24);
    write_g15(v, &mut out);
    String::from_utf8(out).expect("ASCII")
}

const POW10: [u128; 39] = {
    let mut t = [1u128; 39];
    let mut i = 1;
    while i < 39 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// Round `num / den` to the nearest integer, ties to even.
#[inline]
fn div_round(num: u128, den: u128) -> (u128, u128) {
    let q = num / den;
    let r = num % den;
    let q = match (r * 2).cmp(&den) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal => q + (q & 1),
    };
    (num / den, q)
}

/// The 15 significant digits of a positive finite `v`, correctly rounded (ties to even, as
/// glibc's printf does for exact ties), and its decimal exponent: `v ≈ digits × 10^(exp-14)`.
fn digits15(v: f64) -> (u64, i32) {
    let bits = v.to_bits();
    let be = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (m, e) = if be == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), be - 1075)
    };
    let mut exp = v.log10().floor() as i32;
    for _ in 0..3 {
        let k = 14 - exp;
        // value * 10^k = m * 2^e * 10^k = num / den, both exact when they fit in u128.
        let (num, den): (u128, u128) = if k >= 0 {
            if k > 22 {
                break;
            }
            let n = m as u128 * POW10[k as usize];
            if e >= 0 {
                if e > 20 {
                    break;
                }
                (n << e, 1)
            } else {
                if -e > 126 {
                    break;
                }
                (n, 1u128 << -e)
            }
        } else {
            let j = (-k) as usize;
            if j > 38 {
                break;
            }
            if e >= 0 {
                if e > 74 {
                    break;
                }
                ((m as u128) << e, POW10[j])
            } else {
                if -e > 60 || j > 18 {
                    break;
                }
                (m as u128, POW10[j] << -e)
            }
        };
        let (floor, rounded) = div_round(num, den);
        if floor < POW10[14] {
            exp -= 1;
            continue;
        }
        if floor >= POW10[15] {
            exp += 1;
            continue;
        }
        if rounded == POW10[15] {
            return (POW10[14] as u64, exp + 1);
        }
        return (rounded as u64, exp);
    }
    // Far outside the common range: let the standard library round exactly.
    let s = format!("{:.14e}", v);
    let (mant, ex) = s.split_once('e').expect("exponent form");
    let digits: u64 = mant.replace('.', "").parse().expect("digits");
    (digits, ex.parse().expect("exponent"))
}

fn write_g15(v: f64, out: &mut Vec<u8>) {
    if v == 0.0 {
        out.extend_from_slice(if v.is_sign_negative() { b"-0" } else { b"0" });
        return;
    }
    if v < 0.0 {
        out.push(b'-');
    }
    let (d, exp) = digits15(v.abs());
    let mut digits = [0u8; 15];
    let mut n = d;
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let mut len = 15;
    while len > 1 && digits[len - 1] == b'0' {
        len -= 1;
    }
    let digits = &digits[..len];
    if !(-4..15).contains(&exp) {
        out.push(digits[0]);
        if len > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        out.push(b'e');
        out.push(if exp < 0 { b'-' } else { b'+' });
        let a = exp.unsigned_abs();
        if a < 10 {
            out.push(b'0');
        }
        write_uint(a as u64, out);
    } else if exp >= 0 {
        let int_len = exp as usize + 1;
        if len <= int_len {
            out.extend_from_slice(digits);
            out.resize(out.len() + int_len - len, b'0');
        } else {
            out.extend_from_slice(&digits[..int_len]);
            out.push(b'.');
            out.extend_from_slice(&digits[int_len..]);
        }
    } else {
        out.extend_from_slice(b"0.");
        out.resize(out.len() + (-exp - 1) as usize, b'0');
        out.extend_from_slice(digits);
    }
}

/// Append a float32 as its shortest round-trip decimal (`0.1`, `3`, `1e-10`); non-finite values
/// as strings.
pub fn write_f32(v: f32, out: &mut Vec<u8>) {
    use std::io::Write;
    if !v.is_finite() {
        write_f64(v as f64, out);
        return;
    }
    let a = v.abs();
    if a != 0.0 && !(1e-5..1e16).contains(&a) {
        let _ = write!(out, "{:e}", v);
    } else {
        let _ = write!(out, "{}", v);
    }
}

/// C's `printf("%.15g")` of a value, the reference the formatter is tested against.
#[cfg(test)]
pub(crate) fn c_g15(v: f64) -> String {
    let mut buf = [0u8; 64];
    // SAFETY: the buffer is large enough for any %.15g output and NUL-terminated by C.
    let n = unsafe {
        libc::snprintf(
            buf.as_mut_ptr() as *mut libc::c_char,
            buf.len(),
            c"%.15g".as_ptr(),
            v,
        )
    };
    String::from_utf8(buf[..n as usize].to_vec()).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g15_matches_c_printf_on_examples() {
        for v in [
            0.0,
            -0.0,
            1.0,
            2.0,
            4711.0,
            0.1,
            1.5,
            1e20,
            1e-5,
            1e15,
            1e14,
            999999999999999.0,
            9999999999999995.0,
            1.23456789101112,
            123456789012345678.0,
            5e-324,
            1.7976931348623157e308,
            0.000123,
            0.0001,
            0.00001,
            -2.5,
            1e300,
            1e-300,
            0.30000000000000004,
            2.5e-7,
            1e22,
            1e23,
            4.35,
            0.5,
            123.456,
            1e16,
            8.5e15,
        ] {
            assert_eq!(g15(v), c_g15(v), "value {v:e}");
        }
    }

    #[test]
    fn g15_matches_c_printf_on_random_bits_and_decimals() {
        let mut x: u64 = 0x9e3779b97f4a7c15;
        for i in 0..400_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = if i % 2 == 0 {
                f64::from_bits(x)
            } else {
                // decimal-looking values around the common range, including exact ties
                ((x % 2_000_000) as f64 - 1_000_000.0)
                    / [1.0, 8.0, 1000.0, 3.0][(x >> 60) as usize % 4]
                    * 10f64.powi(((x >> 40) % 40) as i32 - 20)
            };
            if v.is_finite() {
                assert_eq!(g15(v), c_g15(v), "bits {:#x}", v.to_bits());
            }
        }
    }

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

    #[test]
    fn f32_is_shortest() {
        for (v, s) in [
            (0.1f32, "0.1"),
            (3.0, "3"),
            (-1.5, "-1.5"),
            (1e-10, "1e-10"),
            (0.0, "0"),
        ] {
            let mut out = Vec::new();
            write_f32(v, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), s);
        }
    }
}
