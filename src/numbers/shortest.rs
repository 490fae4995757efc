//! Doubles as the shortest JSON number token that reads back to the same value (binary
//! replies, where every double must survive exactly; the default replies keep `%.15g`).

/// Append `v` as the shortest decimal token that parses back to exactly `v`: integral values
/// without a decimal point (`42`), plain decimals for moderate exponents (`0.1`, `1234.5`),
/// exponent form otherwise (`1e+300`, `5e-324`, `1.7976931348623157e+308`). `-0.0` is written
/// `-0.0` so it keeps its sign through parsers that read `-0` as the integer 0. Non-finite
/// values are the strings `"nan"`, `"inf"` and `"-inf"`, as everywhere in replies.
pub fn write_exact(v: f64, out: &mut Vec<u8>) {
    use std::io::Write;
    if !v.is_finite() {
        super::write_f64(v, out);
        return;
    }
    if v == 0.0 {
        out.extend_from_slice(if v.is_sign_negative() { b"-0.0" } else { b"0" });
        return;
    }
    // Rust's float formatting is shortest round-trip; `{:e}` gives digits and exponent.
    let exponent = v.abs().log10().floor();
    if (-5.0..17.0).contains(&exponent) {
        let _ = write!(out, "{v}");
    } else {
        let start = out.len();
        let _ = write!(out, "{v:e}");
        // `1e300` → `1e+300`, as C prints exponents (both are valid JSON).
        if let Some(e) = out[start..].iter().position(|&b| b == b'e') {
            let at = start + e + 1;
            if out.get(at) != Some(&b'-') {
                out.insert(at, b'+');
            }
        }
    }
}

/// [`write_exact`] as a string.
pub fn exact_text(v: f64) -> String {
    let mut out = Vec::with_capacity(24);
    write_exact(v, &mut out);
    String::from_utf8(out).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        for (v, t) in [
            (42.0, "42"),
            (0.1, "0.1"),
            (-1.5, "-1.5"),
            (1e16, "10000000000000000"),
            (1e17, "1e+17"),
            (1e-5, "0.00001"),
            (1.5e-6, "1.5e-6"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (5e-324, "5e-324"),
            (-0.0, "-0.0"),
            (0.0, "0"),
            (f64::NAN, "\"nan\""),
            (f64::NEG_INFINITY, "\"-inf\""),
        ] {
            assert_eq!(exact_text(v), t, "{v:e}");
        }
    }

    #[test]
    fn every_token_reads_back_exactly() {
        // A deterministic spread over all exponents, denormals included.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = f64::from_bits(x);
            if !v.is_finite() {
                continue;
            }
            let t = exact_text(v);
            let back: f64 = serde_json::from_str(&t).expect("valid JSON number");
            assert_eq!(back.to_bits(), v.to_bits(), "{t}");
        }
    }
}
