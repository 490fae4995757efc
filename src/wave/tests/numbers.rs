//! The text of numbers in wave data: doubles as `%.15g` (compared with C's `printf` in
//! tests/number_text.rs), floats as their shortest text, integers of every length and extreme.

use super::*;

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
