//! The text of numbers in wave data: doubles exactly as C's `%.15g` (checked against C's
//! `printf`), floats as their shortest text, integers of every length and extreme.

use super::*;
use crate::numbers::g15::c_g15;

fn token(v: f64) -> String {
    let w = f64s(&[1], &[v]);
    let s = compact(&w);
    let start = s.find("\"raw\":[").unwrap() + 7;
    let end = s[start..].find(']').unwrap();
    s[start..start + end].to_string()
}

#[test]
fn float64_tokens() {
    let w = f64s(
        &[9],
        &[
            123.0,
            -0.0,
            0.1,
            1e20,
            1.0 / 3.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -f64::NAN,
            1e-5,
        ],
    );
    assert!(compact(&w)
        .contains(r#""raw":[123,-0,0.1,1e+20,0.333333333333333,"inf","-inf","nan",1e-05]"#));
}

#[test]
fn float64_tokens_match_c_printf() {
    let fixed = [
        0.0,
        -0.0,
        1.0,
        0.5,
        0.1,
        0.3,
        1.5,
        4711.0,
        123.456,
        1e-4,
        1e-5,
        9.9999e-5,
        0.000123456789012345,
        1e14,
        1e15,
        1e16,
        1e17,
        1e19,
        1e20,
        1.8e19,
        2e19,
        999999999999999.0,
        999999999999999.4,
        999999999999999.5,
        9999999999999995.0,
        9999999999999996.0,
        1e15 + 0.5,
        123456789012345678.0,
        18446744073709549568.0,
        18446744073709551616.0,
        1.7976931348623157e308,
        5e-324,
        2.2250738585072014e-308,
        1e-41,
        1e-42,
        1e-40,
        3.3e-41,
        1e-13,
        1e-12,
        1e-15,
        1e-300,
        0.30000000000000004,
        2.5e-7,
        0.125,
        0.0625,
        1.0000000000000002,
        0.9999999999999999,
        2.675,
        1.005,
        4503599627370495.5,
        4503599627370497.0,
        9007199254740993.0,
        8.5e15,
        1e-8,
        1e-9,
        0.9999999999999999,
        9.99999999999999e-5,
        9.999999999999995e-5,
    ];
    for v in fixed.iter().flat_map(|&v| [v, -v]) {
        assert_eq!(token(v), c_g15(v), "value {v:e} bits {:#x}", v.to_bits());
    }
    // Every power of two and ten across the whole range.
    for i in -1074..1024 {
        let v = 2f64.powi(i);
        assert_eq!(token(v), c_g15(v), "2^{i}");
    }
    for i in -330..310 {
        let v: f64 = format!("1e{i}").parse().unwrap();
        if v == 0.0 || !v.is_finite() {
            continue;
        }
        for u in [
            v,
            f64::from_bits(v.to_bits() + 1),
            f64::from_bits(v.to_bits() - 1),
        ] {
            if !u.is_finite() {
                continue;
            }
            assert_eq!(token(u), c_g15(u), "near 1e{i}: {u:e}");
        }
    }
}

#[test]
fn float64_tokens_match_c_printf_random() {
    let mut x: u64 = 0x2545f4914f6cdd1d;
    for i in 0..600_000u32 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let v = match i % 4 {
            0 => f64::from_bits(x),
            1 => (x >> 11) as f64 / (1u64 << 53) as f64,
            // Decimal-looking values, including exact ties at the 16th digit.
            2 => {
                ((x % 20_000_000_000_000_000) as f64 - 1e16)
                    * 10f64.powi(((x >> 56) % 60) as i32 - 40)
            }
            _ => (x % 100_000) as f64 / [8.0, 1000.0, 3.0, 1024.0][(x >> 62) as usize],
        };
        if v.is_finite() {
            assert_eq!(token(v), c_g15(v), "bits {:#x}", v.to_bits());
        }
    }
}

#[test]
fn float32_is_shortest() {
    let w = numeric(
        NT_FP32,
        &[6],
        &[0.1f32, 3.0, -1.5, f32::NAN, f32::NEG_INFINITY, 16777216.0],
        |v| v.to_ne_bytes().to_vec(),
    );
    assert!(compact(&w).contains(r#""raw":[0.1,3,-1.5,"nan","-inf",16777216]"#));
}

#[test]
fn integer_extremes() {
    let w = numeric(NT_I64, &[3], &[i64::MIN, i64::MAX, 0], |v| {
        v.to_ne_bytes().to_vec()
    });
    assert!(compact(&w).contains(r#""raw":[-9223372036854775808,9223372036854775807,0]"#));
    let w = numeric(
        NT_I64 | NT_UNSIGNED,
        &[3],
        &[u64::MAX, 9223372036854775808, 0],
        |v| v.to_ne_bytes().to_vec(),
    );
    assert!(compact(&w).contains(r#""raw":[18446744073709551615,9223372036854775808,0]"#));
    let w = numeric(NT_I32, &[3], &[i32::MIN, i32::MAX, -1], |v| {
        v.to_ne_bytes().to_vec()
    });
    assert!(compact(&w).contains(r#""raw":[-2147483648,2147483647,-1]"#));
    let w = numeric(NT_I32 | NT_UNSIGNED, &[2], &[u32::MAX, 7], |v| {
        v.to_ne_bytes().to_vec()
    });
    assert!(compact(&w).contains(r#""raw":[4294967295,7]"#));
    let w = numeric(NT_I16, &[4], &[i16::MIN, i16::MAX, -1, 10], |v| {
        v.to_ne_bytes().to_vec()
    });
    assert!(compact(&w).contains(r#""raw":[-32768,32767,-1,10]"#));
    let w = numeric(NT_I16 | NT_UNSIGNED, &[2], &[u16::MAX, 99], |v| {
        v.to_ne_bytes().to_vec()
    });
    assert!(compact(&w).contains(r#""raw":[65535,99]"#));
    let w = numeric(NT_I8, &[3], &[i8::MIN, i8::MAX, 0], |v| {
        v.to_ne_bytes().to_vec()
    });
    assert!(compact(&w).contains(r#""raw":[-128,127,0]"#));
    let w = numeric(NT_I8 | NT_UNSIGNED, &[2], &[255u8, 100], |v| {
        v.to_ne_bytes().to_vec()
    });
    assert!(compact(&w).contains(r#""raw":[255,100]"#));
}

#[test]
fn integers_of_every_length() {
    let mut vals = vec![0i64];
    for i in 0..19 {
        let p = 10i64.pow(i);
        vals.extend([p - 1, p, p + 1, -p, -(p - 1)]);
    }
    let w = numeric(NT_I64, &[vals.len() as u64], &vals, |v| {
        v.to_ne_bytes().to_vec()
    });
    let got = raw_integers(&w);
    assert_eq!(got, vals);
}
