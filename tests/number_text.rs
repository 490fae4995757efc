//! Numbers as text against C itself: the library's `%.15g` (`numbers::g15`) and the number
//! tokens of wave data must be exactly what C's `printf("%.15g")` prints, on chosen values and
//! on hundreds of thousands of random ones. The C reference is the fuzz oracle's.

use zeromq_xop::json_writer::Writer;
use zeromq_xop::numbers::g15;
use zeromq_xop::wave::{write_wave, Wave, NT_FP64};
use zeromq_xop_fuzz_harness::c_reference::c_g15;

/// The token of `v` in the compact JSON of a one-point NT_FP64 wave.
fn token(v: f64) -> String {
    let mut w = Wave::new(NT_FP64, &[1]).unwrap();
    w.set_data(&v.to_ne_bytes()).unwrap();
    let mut out = Vec::new();
    write_wave(Some(&w), &mut Writer::new(&mut out, false));
    let s = String::from_utf8(out).unwrap();
    let start = s.find("\"raw\":[").unwrap() + 7;
    let end = s[start..].find(']').unwrap();
    s[start..start + end].to_string()
}

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
            ((x % 2_000_000) as f64 - 1_000_000.0) / [1.0, 8.0, 1000.0, 3.0][(x >> 60) as usize % 4]
                * 10f64.powi(((x >> 40) % 40) as i32 - 20)
        };
        if v.is_finite() {
            assert_eq!(g15(v), c_g15(v), "bits {:#x}", v.to_bits());
        }
    }
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
