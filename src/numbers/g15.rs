//! Numbers written as C writes them: `%.15g` of a double, exact to the last digit (glibc's
//! rounding), the JSON tokens built on it (non-finite values as the strings `"nan"`, `"inf"`,
//! `"-inf"`), integers, and the shortest round-trip text of a float32.

use super::POW10;

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
fn digits15_exact(v: f64) -> (u64, i32) {
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
    // An integer below 10^15 has at most 15 digits: `%.15g` writes all of them, no exponent.
    if v.fract() == 0.0 && v.abs() < 1e15 {
        write_int(v as i64, out);
        return;
    }
    if v < 0.0 {
        out.push(b'-');
    }
    let (d, exp) = digits15_exact(v.abs());
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

#[cfg(test)]
mod tests {
    use super::*;

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
