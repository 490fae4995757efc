//! Waves through the C functions (`zeromq_wave_*`), as a host program uses them: building,
//! handing over ownership, serializing, and every failure and NULL case.

mod common;

use common::{frames_of, last_error, new_wave, text_arg};
use serde_json::{json, Value};
use std::ffi::c_char;
use std::ptr;
use zeromq_xop::ffi::message::zeromq_message_free;
use zeromq_xop::ffi::wave::*;

const OK: i32 = 0;
const INVALID_ARG: i32 = 10005;

/// Assert an `INVALID_ARG` failure with a detail text mentioning `needle`.
fn assert_invalid(rc: i32, needle: &str) {
    assert_eq!(rc, INVALID_ARG, "expected INVALID_ARG");
    let text = last_error();
    assert!(
        text.to_lowercase().contains(&needle.to_lowercase()),
        "detail {text:?} lacks {needle:?}"
    );
}

fn serialize(w: *const zeromq_wave) -> String {
    let mut msg = ptr::null_mut();
    let rc = unsafe { zeromq_wave_serialize(w, &mut msg) };
    assert_eq!(rc, OK, "zeromq_wave_serialize: {}", last_error());
    let f = frames_of(msg);
    unsafe { zeromq_message_free(msg) };
    assert_eq!(f.len(), 1, "one frame");
    String::from_utf8(f.into_iter().next().unwrap()).unwrap()
}

fn parsed(w: *const zeromq_wave) -> Value {
    serde_json::from_str(&serialize(w)).unwrap()
}

fn set_data<T: Copy>(w: *mut zeromq_wave, values: &[T]) -> i32 {
    unsafe {
        zeromq_wave_set_data(
            w,
            values.as_ptr() as *const std::ffi::c_void,
            std::mem::size_of_val(values),
        )
    }
}

#[test]
fn type_constants_have_igor_values() {
    assert_eq!(
        [
            ZEROMQ_NT_CMPLX,
            ZEROMQ_NT_FP32,
            ZEROMQ_NT_FP64,
            ZEROMQ_NT_I8,
            ZEROMQ_NT_I16,
            ZEROMQ_NT_I32,
            ZEROMQ_NT_UNSIGNED,
            ZEROMQ_NT_I64,
            ZEROMQ_TEXT_WAVE_TYPE,
            ZEROMQ_DATAFOLDER_TYPE,
            ZEROMQ_WAVE_TYPE
        ],
        [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0, 0x100, 0x4000]
    );
}

#[test]
fn null_wave_serializes_to_null_and_free_accepts_null() {
    assert_eq!(serialize(ptr::null()), "null");
    unsafe { zeromq_wave_free(ptr::null_mut()) };
}

#[test]
fn serialize_needs_an_out_pointer() {
    let w = new_wave(ZEROMQ_NT_FP64, &[1]);
    assert_invalid(unsafe { zeromq_wave_serialize(w, ptr::null_mut()) }, "json");
    assert_invalid(
        unsafe { zeromq_wave_serialize(ptr::null(), ptr::null_mut()) },
        "json",
    );
    unsafe { zeromq_wave_free(w) };
}

#[test]
fn every_type_can_be_created_and_named() {
    let cases = [
        (ZEROMQ_NT_FP32, "NT_FP32"),
        (ZEROMQ_NT_FP64, "NT_FP64"),
        (ZEROMQ_NT_I8, "NT_I8"),
        (ZEROMQ_NT_I16, "NT_I16"),
        (ZEROMQ_NT_I32, "NT_I32"),
        (ZEROMQ_NT_I64, "NT_I64"),
        (ZEROMQ_NT_I32 | ZEROMQ_NT_UNSIGNED, "NT_I32 | NT_UNSIGNED"),
        (
            ZEROMQ_NT_I32 | ZEROMQ_NT_CMPLX | ZEROMQ_NT_UNSIGNED,
            "NT_I32 | NT_CMPLX | NT_UNSIGNED",
        ),
        (ZEROMQ_NT_FP64 | ZEROMQ_NT_CMPLX, "NT_FP64 | NT_CMPLX"),
        (ZEROMQ_TEXT_WAVE_TYPE, "TEXT_WAVE_TYPE"),
        (ZEROMQ_WAVE_TYPE, "WAVE_TYPE"),
        (ZEROMQ_DATAFOLDER_TYPE, "DATAFOLDER_TYPE"),
    ];
    for (t, name) in cases {
        let w = new_wave(t, &[2]);
        let text = serialize(w);
        assert!(text.contains(&format!("\"type\": \"{name}\"")), "{text}");
        unsafe { zeromq_wave_free(w) };
    }
}

#[test]
fn new_rejects_bad_arguments_and_leaves_out_alone() {
    let sentinel = 0x1234usize as *mut zeromq_wave;
    let dims = [2u64, 3, 4, 5, 6];
    let too_many = [u64::MAX, 2];
    let cases: [(i32, *const u64, usize, &str); 9] = [
        (0x03 | 0x100, dims.as_ptr(), 1, "type"),
        (0x200, dims.as_ptr(), 1, "type"),
        (-1, dims.as_ptr(), 1, "type"),
        (
            ZEROMQ_NT_FP64 | ZEROMQ_NT_UNSIGNED,
            dims.as_ptr(),
            1,
            "type",
        ),
        (
            ZEROMQ_TEXT_WAVE_TYPE | ZEROMQ_NT_CMPLX,
            dims.as_ptr(),
            1,
            "type",
        ),
        (ZEROMQ_NT_FP64, dims.as_ptr(), 0, "dimensions"),
        (ZEROMQ_NT_FP64, dims.as_ptr(), 5, "dimensions"),
        (ZEROMQ_NT_FP64, ptr::null(), 2, "dims"),
        (ZEROMQ_NT_FP64, too_many.as_ptr(), 2, "points"),
    ];
    for (t, d, n, needle) in cases {
        let mut out = sentinel;
        assert_invalid(unsafe { zeromq_wave_new(t, d, n, &mut out) }, needle);
        assert_eq!(out, sentinel, "out written on failure");
    }
    // Too many bytes for memory, without overflowing the point count.
    let mut out = sentinel;
    let huge = [1u64 << 61];
    assert_invalid(
        unsafe { zeromq_wave_new(ZEROMQ_NT_FP64, huge.as_ptr(), 1, &mut out) },
        "points",
    );
    assert_eq!(out, sentinel);
    assert_invalid(
        unsafe { zeromq_wave_new(ZEROMQ_NT_FP64, dims.as_ptr(), 1, ptr::null_mut()) },
        "out",
    );
}

#[test]
fn every_setter_rejects_a_null_wave() {
    let n = ptr::null_mut();
    let (t, l) = text_arg("x");
    let rcs = unsafe {
        [
            zeromq_wave_set_data(n, ptr::null(), 0),
            zeromq_wave_set_text(n, 0, t, l),
            zeromq_wave_set_wave(n, 0, ptr::null_mut()),
            zeromq_wave_set_dfref(n, 0, t, l),
            zeromq_wave_set_scaling(n, 0, 1.0, 0.0),
            zeromq_wave_set_dim_unit(n, 0, t, l),
            zeromq_wave_set_dim_label(n, 0, -1, t, l),
            zeromq_wave_set_data_unit(n, t, l),
            zeromq_wave_set_full_scale(n, 1.0, 2.0),
            zeromq_wave_set_note(n, t, l),
            zeromq_wave_set_modification(n, 5),
        ]
    };
    for (i, rc) in rcs.into_iter().enumerate() {
        assert_eq!(rc, INVALID_ARG, "setter {i}");
    }
    assert!(last_error().contains("NULL"));
}

#[test]
fn pointers_with_lengths_must_not_be_null() {
    let w = new_wave(ZEROMQ_TEXT_WAVE_TYPE, &[1]);
    let d = new_wave(ZEROMQ_DATAFOLDER_TYPE, &[1]);
    let f = new_wave(ZEROMQ_NT_FP64, &[1]);
    unsafe {
        assert_invalid(zeromq_wave_set_text(w, 0, ptr::null(), 3), "NULL");
        assert_invalid(zeromq_wave_set_dfref(d, 0, ptr::null(), 3), "NULL");
        assert_invalid(zeromq_wave_set_dim_unit(w, 0, ptr::null(), 1), "NULL");
        assert_invalid(zeromq_wave_set_dim_label(w, 0, -1, ptr::null(), 1), "NULL");
        assert_invalid(zeromq_wave_set_data_unit(w, ptr::null(), 1), "NULL");
        assert_invalid(zeromq_wave_set_note(w, ptr::null(), 1), "NULL");
        assert_invalid(zeromq_wave_set_data(f, ptr::null(), 8), "NULL");
        // (NULL, 0) is the empty string.
        assert_eq!(zeromq_wave_set_text(w, 0, ptr::null(), 0), OK);
        assert_eq!(zeromq_wave_set_note(w, ptr::null(), 0), OK);
        assert_eq!(zeromq_wave_set_dfref(d, 0, ptr::null(), 0), OK);
    }
    let v = parsed(w);
    assert_eq!(v["data"]["raw"], json!([""]));
    assert_eq!(v["note"], "");
    assert_eq!(parsed(d)["data"]["raw"], json!(["null"]));
    unsafe {
        zeromq_wave_free(w);
        zeromq_wave_free(d);
        zeromq_wave_free(f);
    }
}

#[test]
fn numeric_data_round_trip_and_length_checks() {
    let w = new_wave(ZEROMQ_NT_FP64, &[2, 3]);
    assert_invalid(set_data(w, &[1.0f64; 5]), "needs exactly 48");
    assert_invalid(set_data(w, &[1.0f64; 7]), "needs exactly 48");
    assert_eq!(set_data(w, &[0.0f64, 1.0, 10.0, 11.0, 20.0, 21.5]), OK);
    let v = parsed(w);
    assert_eq!(v["data"]["raw"], json!([0, 1, 10, 11, 20, 21.5]));
    assert_eq!(v["dimension"]["size"], json!([2, 3]));
    // A failed set leaves the data as it was.
    assert_invalid(set_data(w, &[9.0f64; 2]), "bytes");
    assert_eq!(parsed(w)["data"]["raw"], json!([0, 1, 10, 11, 20, 21.5]));
    unsafe { zeromq_wave_free(w) };

    let w = new_wave(ZEROMQ_NT_I16 | ZEROMQ_NT_CMPLX, &[3]);
    assert_invalid(set_data(w, &[1i16; 3]), "bytes");
    assert_eq!(set_data(w, &[1i16, -1, 2, -2, 3, -3]), OK);
    assert_eq!(
        parsed(w)["data"]["raw"],
        json!({"imag": [-1, -2, -3], "real": [1, 2, 3]})
    );
    unsafe { zeromq_wave_free(w) };

    let w = new_wave(ZEROMQ_NT_I64 | ZEROMQ_NT_UNSIGNED, &[2]);
    assert_eq!(set_data(w, &[u64::MAX, 9223372036854775808u64]), OK);
    assert!(serialize(w).contains("18446744073709551615,\n            9223372036854775808\n"));
    unsafe { zeromq_wave_free(w) };

    // An empty wave takes (NULL, 0).
    let w = new_wave(ZEROMQ_NT_FP32, &[0]);
    assert_eq!(unsafe { zeromq_wave_set_data(w, ptr::null(), 0) }, OK);
    assert!(serialize(w).contains("\"raw\": []"));
    unsafe { zeromq_wave_free(w) };
}

#[test]
fn setters_for_the_wrong_kind_of_wave_fail() {
    let num = new_wave(ZEROMQ_NT_FP64, &[2]);
    let text = new_wave(ZEROMQ_TEXT_WAVE_TYPE, &[2]);
    let refs = new_wave(ZEROMQ_WAVE_TYPE, &[2]);
    let dfr = new_wave(ZEROMQ_DATAFOLDER_TYPE, &[2]);
    let (t, l) = text_arg("root:");
    unsafe {
        assert_invalid(zeromq_wave_set_text(num, 0, t, l), "text wave");
        assert_invalid(zeromq_wave_set_text(refs, 0, t, l), "text wave");
        assert_invalid(zeromq_wave_set_dfref(num, 0, t, l), "data folder");
        assert_invalid(zeromq_wave_set_dfref(text, 0, t, l), "data folder");
        assert_invalid(
            zeromq_wave_set_wave(num, 0, ptr::null_mut()),
            "wave reference",
        );
        assert_invalid(
            zeromq_wave_set_wave(dfr, 0, ptr::null_mut()),
            "wave reference",
        );
        assert_invalid(
            zeromq_wave_set_data(text, [0u8; 16].as_ptr().cast(), 16),
            "numeric",
        );
        assert_invalid(zeromq_wave_set_data(refs, ptr::null(), 0), "numeric");
        assert_invalid(zeromq_wave_set_data(dfr, ptr::null(), 0), "numeric");
        for w in [num, text, refs, dfr] {
            zeromq_wave_free(w);
        }
    }
}

#[test]
fn points_dimensions_and_label_indices_are_range_checked() {
    let text = new_wave(ZEROMQ_TEXT_WAVE_TYPE, &[2, 2]);
    let refs = new_wave(ZEROMQ_WAVE_TYPE, &[1]);
    let dfr = new_wave(ZEROMQ_DATAFOLDER_TYPE, &[3]);
    let (t, l) = text_arg("x");
    unsafe {
        assert_eq!(zeromq_wave_set_text(text, 3, t, l), OK);
        assert_invalid(zeromq_wave_set_text(text, 4, t, l), "point 4");
        assert_invalid(zeromq_wave_set_text(text, usize::MAX, t, l), "out of range");
        assert_invalid(
            zeromq_wave_set_wave(refs, 1, ptr::null_mut()),
            "out of range",
        );
        assert_invalid(zeromq_wave_set_dfref(dfr, 3, t, l), "out of range");
        assert_invalid(zeromq_wave_set_scaling(text, 2, 1.0, 0.0), "dimension 2");
        assert_invalid(zeromq_wave_set_dim_unit(text, 2, t, l), "dimension 2");
        assert_invalid(zeromq_wave_set_dim_label(text, 2, -1, t, l), "dimension 2");
        assert_invalid(zeromq_wave_set_dim_label(text, 0, 2, t, l), "label index 2");
        assert_invalid(
            zeromq_wave_set_dim_label(text, 0, -2, t, l),
            "label index -2",
        );
        assert_invalid(
            zeromq_wave_set_dim_label(text, 0, i64::MIN, t, l),
            "out of range",
        );
        assert_eq!(zeromq_wave_set_dim_label(text, 1, 1, t, l), OK);
        assert_eq!(zeromq_wave_set_dim_label(text, 1, -1, t, l), OK);
        assert_eq!(zeromq_wave_set_scaling(text, 1, 2.0, 0.0), OK);
    }
    let v = parsed(text);
    assert_eq!(v["data"]["raw"], json!(["", "", "", "x"]));
    assert_eq!(
        v["dimension"]["label"],
        json!({"each": ["", "", "", "x"], "full": ["", "x"]})
    );
    assert_eq!(v["dimension"]["delta"], json!([1, 2]));
    assert_eq!(v["dimension"]["offset"], json!([0, 0]));
    unsafe {
        zeromq_wave_free(text);
        zeromq_wave_free(refs);
        zeromq_wave_free(dfr);
    }
}

#[test]
fn wave_reference_waves_take_ownership_on_success_only() {
    let parent = new_wave(ZEROMQ_WAVE_TYPE, &[3]);
    let child = new_wave(ZEROMQ_NT_I8, &[2]);
    assert_eq!(set_data(child, &[-1i8, 7]), OK);
    let child_text = parsed(child);

    // Failures keep the child with the caller: it is still usable and freed below.
    unsafe {
        assert_invalid(zeromq_wave_set_wave(parent, 3, child), "out of range");
        assert_eq!(parsed(child), child_text);
        let numeric = new_wave(ZEROMQ_NT_FP64, &[1]);
        assert_invalid(zeromq_wave_set_wave(numeric, 0, child), "wave reference");
        zeromq_wave_free(numeric);
        assert_invalid(zeromq_wave_set_wave(ptr::null_mut(), 0, child), "NULL");
        assert_invalid(zeromq_wave_set_wave(parent, 0, parent), "itself");
        assert_eq!(parsed(child), child_text);
    }

    // Success hands it over; the parent frees it.
    unsafe {
        assert_eq!(zeromq_wave_set_wave(parent, 1, child), OK);
        assert_eq!(zeromq_wave_set_wave(parent, 2, ptr::null_mut()), OK);
    }
    let inner = new_wave(ZEROMQ_DATAFOLDER_TYPE, &[1]);
    let (t, l) = text_arg("root:Packages:");
    assert_eq!(unsafe { zeromq_wave_set_dfref(inner, 0, t, l) }, OK);
    let middle = new_wave(ZEROMQ_WAVE_TYPE, &[1]);
    unsafe {
        assert_eq!(zeromq_wave_set_wave(middle, 0, inner), OK);
        assert_eq!(zeromq_wave_set_wave(parent, 0, middle), OK);
    }
    let v = parsed(parent);
    let raw = v["data"]["raw"].as_array().unwrap();
    assert_eq!(raw.len(), 3);
    assert_eq!(raw[0]["type"], "WAVE_TYPE");
    assert_eq!(raw[0]["data"]["raw"][0]["type"], "DATAFOLDER_TYPE");
    assert_eq!(
        raw[0]["data"]["raw"][0]["data"]["raw"],
        json!(["root:Packages:"])
    );
    assert_eq!(raw[1], child_text);
    assert!(raw[2].is_null());

    // Replacing an element frees the wave that was there.
    let other = new_wave(ZEROMQ_NT_FP64, &[0]);
    assert_eq!(unsafe { zeromq_wave_set_wave(parent, 1, other) }, OK);
    assert_eq!(parsed(parent)["data"]["raw"][1]["type"], "NT_FP64");
    unsafe { zeromq_wave_free(parent) };
}

#[test]
fn nesting_depth_is_limited() {
    let mut w = new_wave(ZEROMQ_WAVE_TYPE, &[1]);
    for _ in 0..31 {
        let parent = new_wave(ZEROMQ_WAVE_TYPE, &[1]);
        assert_eq!(unsafe { zeromq_wave_set_wave(parent, 0, w) }, OK);
        w = parent;
    }
    let parent = new_wave(ZEROMQ_WAVE_TYPE, &[1]);
    assert_invalid(unsafe { zeromq_wave_set_wave(parent, 0, w) }, "32");
    // Still ours on failure, and serializable.
    assert!(parsed(w)["data"]["raw"][0]["type"] == "WAVE_TYPE");
    unsafe {
        zeromq_wave_free(parent);
        zeromq_wave_free(w);
    }
}

#[test]
fn text_and_data_folder_points() {
    let w = new_wave(ZEROMQ_TEXT_WAVE_TYPE, &[4]);
    let texts: [&[u8]; 4] = [
        "äßü".as_bytes(),
        b"a \"quoted\" \\ text",
        b"cut\0off",
        b"bad \xff utf-8",
    ];
    for (i, t) in texts.iter().enumerate() {
        let rc = unsafe { zeromq_wave_set_text(w, i, t.as_ptr() as *const c_char, t.len()) };
        assert_eq!(rc, OK);
    }
    let text = serialize(w);
    assert!(text.contains("\"äßü\""), "{text}");
    assert!(text.contains(r#""a \"quoted\" \\ text""#));
    assert_eq!(
        parsed(w)["data"]["raw"],
        json!(["äßü", "a \"quoted\" \\ text", "cut", "bad \u{fffd} utf-8"])
    );
    unsafe { zeromq_wave_free(w) };

    let w = new_wave(ZEROMQ_DATAFOLDER_TYPE, &[5]);
    for (i, p) in ["root:", "free", "root:_killed folder_:", "null"]
        .iter()
        .enumerate()
    {
        let (t, l) = text_arg(p);
        assert_eq!(unsafe { zeromq_wave_set_dfref(w, i, t, l) }, OK);
    }
    assert_eq!(
        parsed(w)["data"]["raw"],
        json!(["root:", "free", "null", "null", "null"])
    );
    unsafe { zeromq_wave_free(w) };
}

#[test]
fn reference_test_examples() {
    // A fresh Make/N=1/R wave: none of unit, label, fullScale, note.
    let w = new_wave(ZEROMQ_NT_FP32, &[1]);
    let text = serialize(w);
    for key in ["\"unit\"", "\"label\"", "\"fullScale\"", "\"note\""] {
        assert!(!text.contains(key), "{key} in {text}");
    }
    // SetScale d 123, 456, "myUnit"
    let (t, l) = text_arg("myUnit");
    unsafe {
        assert_eq!(zeromq_wave_set_full_scale(w, 123.0, 456.0), OK);
        assert_eq!(zeromq_wave_set_data_unit(w, t, l), OK);
    }
    let v = parsed(w);
    assert_eq!(v["data"]["fullScale"], json!([123, 456]));
    assert_eq!(v["data"]["unit"], "myUnit");
    unsafe { zeromq_wave_free(w) };

    // SetScale/P y 3, 4 on a 1x2 wave
    let w = new_wave(ZEROMQ_NT_FP64, &[1, 2]);
    assert_eq!(unsafe { zeromq_wave_set_scaling(w, 1, 4.0, 3.0) }, OK);
    let v = parsed(w);
    assert_eq!(v["dimension"]["offset"], json!([0, 3]));
    assert_eq!(v["dimension"]["delta"], json!([1, 4]));
    unsafe { zeromq_wave_free(w) };

    // SetScale y 0, 0, "myUnit" on a 1x2 wave: units without delta/offset.
    let w = new_wave(ZEROMQ_NT_FP64, &[1, 2]);
    assert_eq!(unsafe { zeromq_wave_set_dim_unit(w, 1, t, l) }, OK);
    let v = parsed(w);
    assert_eq!(v["dimension"]["unit"], json!(["", "myUnit"]));
    assert!(v["dimension"].get("delta").is_none() && v["dimension"].get("offset").is_none());
    unsafe { zeromq_wave_free(w) };

    // SetDimLabel 1, -1, myLabel on a 1x2 wave: full labels without each.
    let w = new_wave(ZEROMQ_NT_FP64, &[1, 2]);
    let (t, l) = text_arg("myLabel");
    assert_eq!(unsafe { zeromq_wave_set_dim_label(w, 1, -1, t, l) }, OK);
    let v = parsed(w);
    assert_eq!(v["dimension"]["label"], json!({"full": ["", "myLabel"]}));
    unsafe { zeromq_wave_free(w) };

    // Per-index labels on a 2x3 wave, concatenated per dimension.
    let w = new_wave(ZEROMQ_NT_FP64, &[2, 3]);
    for (dim, index, label) in [
        (0, 0, "myLabelRow0"),
        (0, 1, "myLabelRow1"),
        (1, 1, "myLabelCol1"),
        (1, 2, "myLabelCol2"),
    ] {
        let (t, l) = text_arg(label);
        assert_eq!(
            unsafe { zeromq_wave_set_dim_label(w, dim, index, t, l) },
            OK
        );
    }
    assert_eq!(
        parsed(w)["dimension"]["label"]["each"],
        json!([
            "myLabelRow0",
            "myLabelRow1",
            "",
            "myLabelCol1",
            "myLabelCol2"
        ])
    );
    unsafe { zeromq_wave_free(w) };

    // The note keeps UTF-8 and escapes quotes.
    let w = new_wave(ZEROMQ_NT_FP64, &[1]);
    let (t, l) = text_arg("äßü \"x\"");
    assert_eq!(unsafe { zeromq_wave_set_note(w, t, l) }, OK);
    assert!(serialize(w).contains("\"note\": \"äßü \\\"x\\\"\""));
    unsafe { zeromq_wave_free(w) };
}

#[test]
fn exact_pretty_text() {
    let w = new_wave(ZEROMQ_NT_FP64 | ZEROMQ_NT_CMPLX, &[2]);
    assert_eq!(set_data(w, &[1.5f64, -0.25, f64::NAN, f64::INFINITY]), OK);
    let (t, l) = text_arg("V");
    unsafe {
        assert_eq!(zeromq_wave_set_modification(w, 1685115358), OK);
        assert_eq!(zeromq_wave_set_data_unit(w, t, l), OK);
        assert_eq!(zeromq_wave_set_full_scale(w, f64::NAN, 2.0), OK);
        assert_eq!(zeromq_wave_set_scaling(w, 0, 0.001, -1.0), OK);
    }
    let expected = r#"{
    "data": {
        "fullScale": [
            "nan",
            2
        ],
        "raw": {
            "imag": [
                -0.25,
                "inf"
            ],
            "real": [
                1.5,
                "nan"
            ]
        },
        "unit": "V"
    },
    "date": {
        "modification": 1685115358
    },
    "dimension": {
        "delta": [
            0.001
        ],
        "offset": [
            -1
        ],
        "size": [
            2
        ]
    },
    "type": "NT_FP64 | NT_CMPLX"
}"#;
    assert_eq!(serialize(w), expected);
    unsafe { zeromq_wave_free(w) };
}

/// Throughput of a 1,000,000-point NT_FP64 wave through the C functions. Run with
/// `cargo test --release --test waves -- --ignored --nocapture`.
#[test]
#[ignore]
fn throughput_of_a_million_points() {
    let n = 1_000_000usize;
    let values: Vec<f64> = (0..n).map(|i| (i as f64 * 0.001).sin()).collect();
    let ints: Vec<i16> = (0..n).map(|i| i as i16).collect();
    for (name, wtype) in [("NT_FP64", ZEROMQ_NT_FP64), ("NT_I16", ZEROMQ_NT_I16)] {
        let w = new_wave(wtype, &[n as u64]);
        if wtype == ZEROMQ_NT_FP64 {
            assert_eq!(set_data(w, &values), OK);
        } else {
            assert_eq!(set_data(w, &ints), OK);
        }
        let mut best = std::time::Duration::MAX;
        for _ in 0..7 {
            let start = std::time::Instant::now();
            let mut msg = ptr::null_mut();
            assert_eq!(unsafe { zeromq_wave_serialize(w, &mut msg) }, OK);
            best = best.min(start.elapsed());
            unsafe { zeromq_message_free(msg) };
        }
        println!(
            "{name}: {:.2} ms per 1M-point wave, {:.1} M points/s",
            best.as_secs_f64() * 1e3,
            n as f64 / best.as_secs_f64() / 1e6
        );
        unsafe { zeromq_wave_free(w) };
    }
}
