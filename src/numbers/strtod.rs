//! Numbers read as C reads them: `strtod` in the "C" locale over a byte string, which is how the
//! reference XOP converts and validates numeric parameters.

/// The part of `text` C sees: everything before the first NUL byte.
fn c_string(text: &[u8]) -> &[u8] {
    match text.iter().position(|&b| b == 0) {
        Some(end) => &text[..end],
        None => text,
    }
}

/// Whether C `strtod` (in the "C" locale) consumes the whole text, which is how the reference
/// XOP validates numeric parameters.
///
/// Accepted: leading whitespace, a sign, decimal numbers with optional fraction and exponent,
/// hexadecimal floats (`0x1.8p3`), `inf`, `infinity`, `nan` and `nan(chars)`, all
/// case-insensitively. As with `strtod`, the empty text is accepted (it converts to 0) while
/// trailing whitespace is not, and the text ends at its first NUL byte.
pub fn is_fully_numeric(text: &[u8]) -> bool {
    let text = c_string(text);
    strtod(text).1 == text.len()
}

/// Converts a complete numeric text like C `strtod` (see [`is_fully_numeric`]); `None` when
/// `strtod` would not consume all of it. The empty text converts to 0.
pub fn parse_double(text: &[u8]) -> Option<f64> {
    let text = c_string(text);
    let (value, end) = strtod(text);
    (end == text.len()).then_some(value)
}

/// C `strtod` over a byte string without NUL: the value and the number of bytes consumed
/// (0 when no conversion could be performed).
fn strtod(s: &[u8]) -> (f64, usize) {
    let mut i = 0;
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r') {
        i += 1;
    }
    let mut negative = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        negative = s[i] == b'-';
        i += 1;
    }
    let signed = |v: f64| if negative { -v } else { v };
    let rest = &s[i..];

    if starts_with_ignore_case(rest, b"inf") {
        let len = if starts_with_ignore_case(rest, b"infinity") {
            8
        } else {
            3
        };
        return (signed(f64::INFINITY), i + len);
    }
    if starts_with_ignore_case(rest, b"nan") {
        let mut len = 3;
        if rest.get(3) == Some(&b'(') {
            let chars = rest[4..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
            if rest.get(4 + chars) == Some(&b')') {
                len = 4 + chars + 1;
            }
        }
        return (signed(f64::NAN), i + len);
    }
    if rest.len() >= 2 && rest[0] == b'0' && (rest[1] == b'x' || rest[1] == b'X') {
        if let Some((value, len)) = hex_float(&rest[2..]) {
            return (signed(value), i + 2 + len);
        }
        // "0x" without hexadecimal digits: strtod reads the "0" only.
        return (signed(0.0), i + 1);
    }
    match decimal_float(rest) {
        Some((value, len)) => (signed(value), i + len),
        None => (0.0, 0),
    }
}

fn starts_with_ignore_case(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Length of an exponent part (`e+12`, `p-3`) at the start of `s`, 0 if there is none.
fn exponent_len(s: &[u8], marker: u8) -> usize {
    if s.first().map(|b| b.to_ascii_lowercase()) != Some(marker) {
        return 0;
    }
    let mut j = 1;
    if matches!(s.get(1), Some(b'+') | Some(b'-')) {
        j = 2;
    }
    let digits = s[j.min(s.len())..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 {
        0
    } else {
        j + digits
    }
}

/// An unsigned decimal floating-point number at the start of `s`.
fn decimal_float(s: &[u8]) -> Option<(f64, usize)> {
    let int_digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
    let mut len = int_digits;
    let mut frac_digits = 0;
    if s.get(len) == Some(&b'.') {
        frac_digits = s[len + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if int_digits + frac_digits > 0 {
            len += 1 + frac_digits;
        }
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    len += exponent_len(&s[len..], b'e');
    // The matched text is plain ASCII and valid for Rust's correctly rounding parser.
    let text = std::str::from_utf8(&s[..len]).ok()?;
    let value = text.parse::<f64>().unwrap_or_else(|_| {
        // Only reachable for forms Rust does not accept; keep strtod's answer for "1." etc.
        text.trim_end_matches('.').parse::<f64>().unwrap_or(0.0)
    });
    Some((value, len))
}

/// An unsigned hexadecimal floating-point number after the `0x` prefix.
fn hex_float(s: &[u8]) -> Option<(f64, usize)> {
    let mut mantissa: u64 = 0;
    let mut sticky = false;
    // Binary exponent adjustment for digits that did not fit and for fraction digits.
    let mut exp_adjust: i64 = 0;
    let mut digits = 0usize;
    let mut len = 0usize;
    let mut seen_point = false;

    while len < s.len() {
        let b = s[len];
        if b == b'.' && !seen_point {
            seen_point = true;
            len += 1;
            continue;
        }
        let Some(d) = (b as char).to_digit(16) else {
            break;
        };
        digits += 1;
        if mantissa >> 60 == 0 {
            mantissa = (mantissa << 4) | u64::from(d);
            if seen_point {
                exp_adjust -= 4;
            }
        } else {
            sticky |= d != 0;
            if !seen_point {
                exp_adjust += 4;
            }
        }
        len += 1;
    }
    if digits == 0 {
        return None;
    }
    // A trailing '.' right after the prefix without digits is not part of the number.
    let exp_len = exponent_len(&s[len..], b'p');
    let mut exponent: i64 = 0;
    if exp_len > 0 {
        let text = std::str::from_utf8(&s[len + 1..len + exp_len]).ok()?;
        exponent = text.parse::<i64>().unwrap_or_else(|_| {
            if text.starts_with('-') {
                i64::MIN / 4
            } else {
                i64::MAX / 4
            }
        });
    }
    len += exp_len;

    if mantissa == 0 {
        return Some((0.0, len));
    }
    // Keep rounding correct: fold lost digits into the lowest bit (64 > 53 + 2 bits).
    if sticky {
        mantissa |= 1;
    }
    let total_exp = exponent.saturating_add(exp_adjust);
    Some((scale_by_power_of_two(mantissa as f64, total_exp), len))
}

fn scale_by_power_of_two(mut value: f64, exp: i64) -> f64 {
    let mut exp = exp.clamp(-4000, 4000);
    while exp > 0 {
        let step = exp.min(1000);
        value *= 2f64.powi(step as i32);
        exp -= step;
    }
    while exp < 0 {
        let step = (-exp).min(1000);
        value /= 2f64.powi(step as i32);
        exp += step;
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_double_values() {
        let p = |s: &str| parse_double(s.as_bytes());
        assert_eq!(p("1.5"), Some(1.5));
        assert_eq!(p("-2"), Some(-2.0));
        assert_eq!(p("  +3e2"), Some(300.0));
        assert_eq!(p(""), Some(0.0));
        assert_eq!(p(".25"), Some(0.25));
        assert_eq!(p("4."), Some(4.0));
        assert_eq!(p("1e400"), Some(f64::INFINITY));
        assert_eq!(p("-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(p("INFINITY"), Some(f64::INFINITY));
        assert!(p("nan").unwrap().is_nan());
        assert!(p("NaN(0)").unwrap().is_nan());
        assert_eq!(p("0x10"), Some(16.0));
        assert_eq!(p("0x1.8p1"), Some(3.0));
        assert_eq!(p("-0x.8"), Some(-0.5));
        assert_eq!(p("0x1P-2"), Some(0.25));
        assert_eq!(p("0x0"), Some(0.0));
        assert_eq!(p("0x1fffffffffffffp0"), Some(9007199254740991.0));
        assert_eq!(p("0x20000000000000001p0"), Some(36893488147419103232.0));
        assert_eq!(p("1.23456789101112"), Some(1.23456789101112));
        assert_eq!(p("1 "), None);
        assert_eq!(p("abc"), None);
        // The text ends at its first NUL byte, as for C.
        assert_eq!(parse_double(b"12\0abc"), Some(12.0));
        assert_eq!(parse_double(b"\0x"), Some(0.0));
        assert!(is_fully_numeric(b"3\0 trailing"));
    }

    #[test]
    fn strtod_consumed_lengths() {
        let n = |s: &str| strtod(s.as_bytes()).1;
        assert_eq!(n("1.a"), 2);
        assert_eq!(n("0x"), 1);
        assert_eq!(n("0xp1"), 1);
        assert_eq!(n("0x1p"), 3);
        assert_eq!(n("1e+"), 1);
        assert_eq!(n("infin"), 3);
        assert_eq!(n("nan(ab"), 3);
        assert_eq!(n("  "), 0);
        assert_eq!(n("-"), 0);
        assert_eq!(n(" -1x"), 3);
    }

    /// Compares with the platform's C `strtod` on many generated texts (the Rust test harness
    /// never changes the locale, so this is the "C" locale).
    #[cfg(unix)]
    #[test]
    fn agrees_with_c_strtod() {
        use std::ffi::{c_char, c_double, CString};
        extern "C" {
            fn strtod(s: *const c_char, end: *mut *mut c_char) -> c_double;
        }
        const ALPHABET: &[u8] = b"0123456789.eEpPxX+- \tinfatyINFATY()_a1905";
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut texts: Vec<Vec<u8>> = [
            "0x1.fffffffffffff8p0",
            "0x1.00000000000008p0",
            "0x1.000000000000081p0",
            "0x.000000000000000000001p0",
            "123456789012345678901234567890",
            "4.9e-324",
            "2.4703282292062328e-324",
            "1.7976931348623157e308",
            "0x1p-1074",
            "0x1p1023",
            "nan(n_1)",
            "infinityx",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        for _ in 0..20000 {
            let len = (next() % 10) as usize;
            texts.push(
                (0..len)
                    .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                    .collect(),
            );
        }
        for text in texts {
            let c_text = CString::new(text.clone()).unwrap();
            let mut end: *mut c_char = std::ptr::null_mut();
            // SAFETY: c_text is a valid NUL-terminated string; end receives a pointer into it.
            let c_value = unsafe { strtod(c_text.as_ptr(), &mut end) };
            let c_len = end as usize - c_text.as_ptr() as usize;
            let (value, len) = strtod_bytes(&text);
            let shown = String::from_utf8_lossy(&text);
            assert_eq!(len, c_len, "consumed length for {shown:?}");
            if c_value.is_nan() {
                assert!(value.is_nan(), "{shown:?}");
            } else {
                assert_eq!(value.to_bits(), c_value.to_bits(), "value for {shown:?}");
            }
        }
    }

    fn strtod_bytes(text: &[u8]) -> (f64, usize) {
        strtod(text)
    }
}
