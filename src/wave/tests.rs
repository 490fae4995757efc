//! Unit tests of the wave model and its serialization.

use super::serialize::BLOCK;
use super::*;
use crate::json_writer::Writer;

fn pretty(w: &Wave) -> String {
    String::from_utf8(serialize_pretty(Some(w))).unwrap()
}

fn value(w: &Wave) -> serde_json::Value {
    serde_json::from_slice(&serialize_pretty(Some(w))).unwrap()
}

fn compact(w: &Wave) -> String {
    let mut out = Vec::new();
    write_wave(Some(w), &mut Writer::new(&mut out, false));
    String::from_utf8(out).unwrap()
}

fn numeric<T: Copy>(wtype: i32, dims: &[u64], values: &[T], to: fn(T) -> Vec<u8>) -> Wave {
    let mut w = Wave::new(wtype, dims).unwrap();
    let bytes: Vec<u8> = values.iter().flat_map(|&v| to(v)).collect();
    w.set_data(&bytes).unwrap();
    w
}

fn f64s(dims: &[u64], values: &[f64]) -> Wave {
    numeric(NT_FP64, dims, values, |v| v.to_ne_bytes().to_vec())
}

fn raw(w: &Wave) -> serde_json::Value {
    value(w)["data"]["raw"].clone()
}

/// The data of an integer wave as numbers.
fn raw_integers(w: &Wave) -> Vec<i64> {
    let raw = raw(w);
    raw.as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect()
}

/// The text of numbers in wave data: doubles as C's `%.15g`, floats shortest, integers.
mod numbers;

#[test]
fn null_wave_is_null() {
    assert_eq!(serialize_pretty(None), b"null");
}

#[test]
fn type_names() {
    let cases = [
        (NT_FP32, "NT_FP32"),
        (NT_FP64, "NT_FP64"),
        (NT_I8, "NT_I8"),
        (NT_I16, "NT_I16"),
        (NT_I32, "NT_I32"),
        (NT_I64, "NT_I64"),
        (NT_I8 | NT_UNSIGNED, "NT_I8 | NT_UNSIGNED"),
        (NT_I16 | NT_UNSIGNED, "NT_I16 | NT_UNSIGNED"),
        (NT_I32 | NT_UNSIGNED, "NT_I32 | NT_UNSIGNED"),
        (NT_I64 | NT_UNSIGNED, "NT_I64 | NT_UNSIGNED"),
        (NT_FP32 | NT_CMPLX, "NT_FP32 | NT_CMPLX"),
        (NT_FP64 | NT_CMPLX, "NT_FP64 | NT_CMPLX"),
        (NT_I8 | NT_CMPLX, "NT_I8 | NT_CMPLX"),
        (NT_I16 | NT_CMPLX, "NT_I16 | NT_CMPLX"),
        (NT_I32 | NT_CMPLX, "NT_I32 | NT_CMPLX"),
        (NT_I64 | NT_CMPLX, "NT_I64 | NT_CMPLX"),
        (
            NT_I32 | NT_CMPLX | NT_UNSIGNED,
            "NT_I32 | NT_CMPLX | NT_UNSIGNED",
        ),
        (
            NT_I8 | NT_CMPLX | NT_UNSIGNED,
            "NT_I8 | NT_CMPLX | NT_UNSIGNED",
        ),
        (TEXT_WAVE_TYPE, "TEXT_WAVE_TYPE"),
        (WAVE_TYPE, "WAVE_TYPE"),
        (DATAFOLDER_TYPE, "DATAFOLDER_TYPE"),
    ];
    for (t, name) in cases {
        assert_eq!(type_name(t).as_deref(), Some(name));
        let w = Wave::new(t, &[1]).unwrap();
        assert_eq!(value(&w)["type"], name);
        assert!(pretty(&w).contains(&format!("\"type\": \"{name}\"")));
    }
}

#[test]
fn invalid_types_and_dims_are_rejected() {
    for t in [
        -1,
        1,
        NT_UNSIGNED | NT_CMPLX,
        NT_FP32 | NT_FP64,
        NT_FP64 | NT_UNSIGNED,
        NT_FP32 | NT_UNSIGNED,
        NT_UNSIGNED,
        TEXT_WAVE_TYPE | NT_CMPLX,
        WAVE_TYPE | NT_CMPLX,
        DATAFOLDER_TYPE | NT_UNSIGNED,
        0x200,
        0x2000,
        NT_FP64 | 0x1000,
    ] {
        let e = Wave::new(t, &[1]).unwrap_err();
        assert_eq!(e.code, crate::error::Code::InvalidArg, "type {t:#x}");
        assert!(type_name(t).is_none());
    }
    assert!(Wave::new(NT_FP64, &[]).is_err());
    assert!(Wave::new(NT_FP64, &[1, 1, 1, 1, 1]).is_err());
    assert!(Wave::new(NT_FP64, &[u64::MAX, 2]).is_err());
    assert!(Wave::new(NT_FP64, &[1 << 62]).is_err());
    assert!(Wave::new(TEXT_WAVE_TYPE, &[1 << 62]).is_err());
    // Huge but empty is fine.
    let w = Wave::new(NT_FP64, &[u64::MAX, 0]).unwrap();
    assert_eq!(w.points(), 0);
}

#[test]
fn empty_wave() {
    let w = Wave::new(NT_FP64, &[0]).unwrap();
    let v = value(&w);
    assert_eq!(v["dimension"]["size"], serde_json::json!([0]));
    assert_eq!(v["data"]["raw"], serde_json::json!([]));
    assert!(pretty(&w).contains("\"raw\": []"));
    let w = Wave::new(NT_FP64 | NT_CMPLX, &[0, 3]).unwrap();
    assert_eq!(raw(&w), serde_json::json!({"imag": [], "real": []}));
    assert_eq!(value(&w)["dimension"]["size"], serde_json::json!([0, 3]));
    for t in [TEXT_WAVE_TYPE, WAVE_TYPE, DATAFOLDER_TYPE] {
        assert_eq!(raw(&Wave::new(t, &[0]).unwrap()), serde_json::json!([]));
    }
}

#[test]
fn full_pretty_text() {
    let mut w = f64s(&[3], &[1.0, 0.5, f64::NAN]);
    w.set_modification(1685115358);
    let expected = r#"{
    "data": {
        "raw": [
            1,
            0.5,
            "nan"
        ]
    },
    "date": {
        "modification": 1685115358
    },
    "dimension": {
        "size": [
            3
        ]
    },
    "type": "NT_FP64"
}"#;
    assert_eq!(pretty(&w), expected);
}

#[test]
fn full_pretty_text_with_every_member() {
    let mut w = numeric(NT_I16 | NT_CMPLX, &[2, 1], &[1i16, -2, 3, -4], |v| {
        v.to_ne_bytes().to_vec()
    });
    w.set_full_scale(-1.5, 2.0);
    w.set_data_unit(b"V");
    w.set_modification(-5);
    w.set_scaling(1, 0.25, 1e-3).unwrap();
    w.set_dim_label(0, 1, b"r1").unwrap();
    w.set_dim_label(1, -1, b"cols").unwrap();
    w.set_dim_unit(0, b"s").unwrap();
    w.set_note(b"a \"note\"\n");
    let expected = r#"{
    "data": {
        "fullScale": [
            -1.5,
            2
        ],
        "raw": {
            "imag": [
                -2,
                -4
            ],
            "real": [
                1,
                3
            ]
        },
        "unit": "V"
    },
    "date": {
        "modification": -5
    },
    "dimension": {
        "delta": [
            1,
            0.25
        ],
        "label": {
            "each": [
                "",
                "r1",
                ""
            ],
            "full": [
                "",
                "cols"
            ]
        },
        "offset": [
            0,
            0.001
        ],
        "size": [
            2,
            1
        ],
        "unit": [
            "s",
            ""
        ]
    },
    "note": "a \"note\"\n",
    "type": "NT_I16 | NT_CMPLX"
}"#;
    assert_eq!(pretty(&w), expected);
    assert_eq!(
        compact(&w),
        r#"{"data":{"fullScale":[-1.5,2],"raw":{"imag":[-2,-4],"real":[1,3]},"unit":"V"},"date":{"modification":-5},"dimension":{"delta":[1,0.25],"label":{"each":["","r1",""],"full":["","cols"]},"offset":[0,0.001],"size":[2,1],"unit":["s",""]},"note":"a \"note\"\n","type":"NT_I16 | NT_CMPLX"}"#
    );
}

#[test]
fn column_major_order_2d() {
    // A 2x3 wave: rows vary fastest, so raw is (r0,c0), (r1,c0), (r0,c1), ...
    let w = f64s(&[2, 3], &[0.0, 1.0, 10.0, 11.0, 20.0, 21.0]);
    assert_eq!(raw(&w), serde_json::json!([0, 1, 10, 11, 20, 21]));
    assert_eq!(value(&w)["dimension"]["size"], serde_json::json!([2, 3]));
}

#[test]
fn sizes_of_four_dims() {
    let vals: Vec<f64> = (0..24).map(|i| i as f64).collect();
    let w = f64s(&[1, 2, 3, 4], &vals);
    let v = value(&w);
    assert_eq!(v["dimension"]["size"], serde_json::json!([1, 2, 3, 4]));
    assert_eq!(v["data"]["raw"].as_array().unwrap().len(), 24);
    let w = Wave::new(NT_FP64, &[3, 1]).unwrap();
    assert_eq!(value(&w)["dimension"]["size"], serde_json::json!([3, 1]));
    assert_eq!(raw(&w), serde_json::json!([0, 0, 0]));
}

#[test]
fn complex_is_deinterleaved() {
    let w = f64s_c(&[3], &[1.0, -1.0, 2.0, -2.0, 3.5, -3.5]);
    assert_eq!(
        raw(&w),
        serde_json::json!({"imag": [-1, -2, -3.5], "real": [1, 2, 3.5]})
    );
    let w = numeric(NT_FP32 | NT_CMPLX, &[2], &[0.1f32, 0.2, 0.3, 0.4], |v| {
        v.to_ne_bytes().to_vec()
    });
    let s = compact(&w);
    assert!(
        s.contains(r#""raw":{"imag":[0.2,0.4],"real":[0.1,0.3]}"#),
        "{s}"
    );
    let w = numeric(
        NT_I64 | NT_CMPLX | NT_UNSIGNED,
        &[2],
        &[u64::MAX, 1, 2, 3],
        |v| v.to_ne_bytes().to_vec(),
    );
    assert!(compact(&w).contains(r#""raw":{"imag":[1,3],"real":[18446744073709551615,2]}"#));
    let w = numeric(NT_I8 | NT_CMPLX, &[2], &[-128i8, 127, 5, -6], |v| {
        v.to_ne_bytes().to_vec()
    });
    assert!(compact(&w).contains(r#""raw":{"imag":[127,-6],"real":[-128,5]}"#));
    // Unset data is zero.
    let w = Wave::new(NT_FP64 | NT_CMPLX, &[2]).unwrap();
    assert_eq!(raw(&w), serde_json::json!({"imag": [0, 0], "real": [0, 0]}));
}

fn f64s_c(dims: &[u64], values: &[f64]) -> Wave {
    numeric(NT_FP64 | NT_CMPLX, dims, values, |v| {
        v.to_ne_bytes().to_vec()
    })
}

/// A one-dimensional wave of `wtype` with point i set to `points[i]` by `set`.
fn points_set(
    wtype: i32,
    set: fn(&mut Wave, usize, &[u8]) -> crate::error::Result<()>,
    points: &[&[u8]],
) -> Wave {
    let mut w = Wave::new(wtype, &[points.len() as u64]).unwrap();
    for (i, p) in points.iter().enumerate() {
        set(&mut w, i, p).unwrap();
    }
    w
}

#[test]
fn text_points() {
    let w = points_set(
        TEXT_WAVE_TYPE,
        Wave::set_text,
        &[
            "äßü".as_bytes(),
            b"say \"hi\"\\",
            b"cut\0here",
            b"bad \xff\xfe utf8",
            b"tab\tnl\n\x01",
            b"",
            b"",
        ],
    );
    assert_eq!(
        raw(&w),
        serde_json::json!([
            "äßü",
            "say \"hi\"\\",
            "cut",
            "bad \u{fffd}\u{fffd} utf8",
            "tab\tnl\n\u{1}",
            "",
            ""
        ])
    );
    let s = compact(&w);
    assert!(s.contains(r#""raw":["äßü","say \"hi\"\\","cut","#), "{s}");
    assert!(s.contains(r#""tab\tnl\n\u0001""#));
    // Unset points are empty; a 2x2 text wave is column-major too.
    let mut w = Wave::new(TEXT_WAVE_TYPE, &[2, 2]).unwrap();
    w.set_text(2, b"r0c1").unwrap();
    assert_eq!(raw(&w), serde_json::json!(["", "", "r0c1", ""]));
}

#[test]
fn wave_reference_waves_nest() {
    let mut inner = f64s(&[2], &[1.0, 2.0]);
    inner.set_note(b"inner");
    let mut mid = Wave::new(WAVE_TYPE, &[2]).unwrap();
    mid.set_wave(1, Some(Box::new(inner.clone()))).unwrap();
    let mut outer = Wave::new(WAVE_TYPE, &[3]).unwrap();
    outer.set_wave(0, Some(Box::new(mid))).unwrap();
    outer.set_wave(2, None).unwrap();
    assert_eq!(outer.nesting(), 2);
    let v = value(&outer);
    assert_eq!(v["type"], "WAVE_TYPE");
    let r = v["data"]["raw"].as_array().unwrap();
    assert_eq!(r.len(), 3);
    assert!(r[1].is_null() && r[2].is_null());
    assert_eq!(r[0]["type"], "WAVE_TYPE");
    assert!(r[0]["data"]["raw"][0].is_null());
    assert_eq!(r[0]["data"]["raw"][1], value(&inner));
    // The nested text equals the stand-alone serialization, indented.
    let p = pretty(&outer);
    let indent = " ".repeat(28);
    assert!(
        p.contains(&format!("\n{indent}\"note\": \"inner\",\n")),
        "{p}"
    );
    assert!(compact(&outer).contains(&compact(&inner)));
}

#[test]
fn nesting_follows_replacements() {
    let mut deep = Wave::new(WAVE_TYPE, &[1]).unwrap();
    deep.set_wave(0, Some(Box::new(Wave::new(WAVE_TYPE, &[1]).unwrap())))
        .unwrap();
    let mut w = Wave::new(WAVE_TYPE, &[3]).unwrap();
    w.set_wave(0, Some(Box::new(Wave::default()))).unwrap();
    assert_eq!(w.nesting(), 1);
    w.set_wave(1, Some(Box::new(deep))).unwrap();
    assert_eq!(w.nesting(), 2);
    w.set_wave(2, None).unwrap();
    assert_eq!(w.nesting(), 2);
    w.set_wave(1, None).unwrap();
    assert_eq!(w.nesting(), 1);
    w.set_wave(0, None).unwrap();
    assert_eq!(w.nesting(), 0);
}

#[test]
fn nesting_is_limited() {
    let mut w = Wave::new(WAVE_TYPE, &[1]).unwrap();
    for _ in 0..MAX_NESTING - 1 {
        let mut parent = Wave::new(WAVE_TYPE, &[1]).unwrap();
        parent.set_wave(0, Some(Box::new(w))).unwrap();
        w = parent;
    }
    // MAX_NESTING levels of wave reference waves (the innermost holds a null wave).
    assert_eq!(w.nesting(), MAX_NESTING - 1);
    // The deepest wave still parses, with room for a reply around it.
    serde_json::from_slice::<serde_json::Value>(&serialize_pretty(Some(&w))).unwrap();
    let mut parent = Wave::new(WAVE_TYPE, &[1]).unwrap();
    assert!(parent.check_set_wave(0, Some(&w)).is_err());
    assert!(parent.set_wave(0, Some(Box::new(w))).is_err());
    assert!(parent.set_wave(0, None).is_ok());
}

#[test]
fn dfref_points() {
    let w = points_set(
        DATAFOLDER_TYPE,
        Wave::set_dfref,
        &[
            b"root:",
            b"root:Packages:",
            b"free",
            b"null",
            b"root:_killed folder_:x:",
            b"",
            b"",
        ],
    );
    assert_eq!(
        raw(&w),
        serde_json::json!([
            "root:",
            "root:Packages:",
            "free",
            "null",
            "null",
            "null",
            "null"
        ])
    );
    assert_eq!(value(&w)["type"], "DATAFOLDER_TYPE");
}

#[test]
fn wrong_setters_are_rejected() {
    let mut num = Wave::new(NT_FP64, &[2]).unwrap();
    let mut text = Wave::new(TEXT_WAVE_TYPE, &[2]).unwrap();
    let mut refs = Wave::new(WAVE_TYPE, &[2]).unwrap();
    let mut dfr = Wave::new(DATAFOLDER_TYPE, &[2]).unwrap();
    assert!(num.set_text(0, b"x").is_err());
    assert!(num.set_wave(0, None).is_err());
    assert!(num.set_dfref(0, b"root:").is_err());
    assert!(text.set_data(&[0; 16]).is_err());
    assert!(text.set_wave(0, None).is_err());
    assert!(refs.set_text(0, b"x").is_err());
    assert!(refs.set_data(&[]).is_err());
    assert!(dfr.set_text(0, b"x").is_err());
    assert!(dfr.set_wave(0, None).is_err());
    // Wrong lengths and points out of range.
    assert!(num.set_data(&[0; 15]).is_err());
    assert!(num.set_data(&[0; 17]).is_err());
    assert!(num.set_data(&[0; 16]).is_ok());
    let mut c = Wave::new(NT_FP32 | NT_CMPLX, &[2]).unwrap();
    assert_eq!(c.data_len(), Some(16));
    assert!(c.set_data(&[0; 8]).is_err());
    assert!(text.set_text(2, b"x").is_err());
    assert!(refs.set_wave(2, None).is_err());
    assert!(dfr.set_dfref(2, b"x").is_err());
    assert!(num.set_scaling(1, 1.0, 0.0).is_err());
    assert!(num.set_dim_unit(1, b"s").is_err());
    assert!(num.set_dim_label(1, -1, b"s").is_err());
    assert!(num.set_dim_label(0, 2, b"s").is_err());
    assert!(num.set_dim_label(0, -2, b"s").is_err());
    assert!(num.set_dim_label(0, 1, b"s").is_ok());
    // Failed calls change nothing.
    assert_eq!(value(&text)["data"]["raw"], serde_json::json!(["", ""]));
}

#[test]
fn fresh_wave_has_no_optional_members() {
    let w = Wave::new(NT_FP64, &[1]).unwrap();
    let s = pretty(&w);
    for key in ["unit", "label", "fullScale", "note", "delta", "offset"] {
        assert!(!s.contains(&format!("\"{key}\"")), "{key} in {s}");
    }
    assert_eq!(value(&w)["date"]["modification"], 0);
    assert_eq!(
        compact(&w),
        r#"{"data":{"raw":[0]},"date":{"modification":0},"dimension":{"size":[1]},"type":"NT_FP64"}"#
    );
}

#[test]
fn full_scale_rules() {
    // SetScale d 123, 456, "myUnit"
    let mut w = Wave::new(NT_FP64, &[1]).unwrap();
    w.set_full_scale(123.0, 456.0);
    w.set_data_unit(b"myUnit");
    let s = pretty(&w);
    assert!(s.contains("\"fullScale\": [\n            123,\n            456\n        ],"));
    assert!(s.contains("\"unit\": \"myUnit\""));
    w.set_full_scale(0.0, 0.0);
    assert!(!pretty(&w).contains("fullScale"));
    w.set_full_scale(f64::NAN, f64::NAN);
    assert!(!pretty(&w).contains("fullScale"));
    w.set_full_scale(f64::NAN, 1.0);
    assert!(compact(&w).contains(r#""fullScale":["nan",1]"#));
    w.set_full_scale(0.0, 1.0);
    assert!(compact(&w).contains(r#""fullScale":[0,1]"#));
    w.set_full_scale(-0.0, 0.0);
    assert!(!pretty(&w).contains("fullScale"));
}

#[test]
fn scaling_rules() {
    // SetScale/P y 3, 4 on a 1x2 wave
    let mut w = Wave::new(NT_FP64, &[1, 2]).unwrap();
    w.set_scaling(1, 4.0, 3.0).unwrap();
    let v = value(&w);
    assert_eq!(v["dimension"]["offset"], serde_json::json!([0, 3]));
    assert_eq!(v["dimension"]["delta"], serde_json::json!([1, 4]));
    // Offset alone also brings delta.
    let mut w = Wave::new(NT_FP64, &[2]).unwrap();
    w.set_scaling(0, 1.0, 0.5).unwrap();
    assert!(compact(&w).contains(r#""dimension":{"delta":[1],"offset":[0.5],"size":[2]}"#));
    w.set_scaling(0, 1.0, 0.0).unwrap();
    assert!(compact(&w).contains(r#""dimension":{"size":[2]}"#));
    w.set_scaling(0, f64::INFINITY, f64::NAN).unwrap();
    assert!(compact(&w).contains(r#""delta":["inf"],"offset":["nan"]"#));
}

#[test]
fn dimension_units() {
    let mut w = Wave::new(NT_FP64, &[1, 2]).unwrap();
    w.set_dim_unit(1, b"myUnit").unwrap();
    let v = value(&w);
    assert_eq!(v["dimension"]["unit"], serde_json::json!(["", "myUnit"]));
    assert!(v["dimension"].get("delta").is_none());
    assert!(v["dimension"].get("offset").is_none());
    assert!(v["data"].get("unit").is_none());
    w.set_dim_unit(1, b"").unwrap();
    assert!(value(&w)["dimension"].get("unit").is_none());
}

#[test]
fn full_labels() {
    let mut w = Wave::new(NT_FP64, &[1, 2]).unwrap();
    w.set_dim_label(1, -1, b"myLabel").unwrap();
    let v = value(&w);
    assert_eq!(
        v["dimension"]["label"],
        serde_json::json!({"full": ["", "myLabel"]})
    );
    assert!(v["dimension"]["label"].get("each").is_none());
}

#[test]
fn each_labels_concatenate_per_dimension() {
    let mut w = Wave::new(NT_FP64, &[2, 3]).unwrap();
    w.set_dim_label(0, 0, b"myLabelRow0").unwrap();
    w.set_dim_label(0, 1, b"myLabelRow1").unwrap();
    w.set_dim_label(1, 1, b"myLabelCol1").unwrap();
    w.set_dim_label(1, 2, b"myLabelCol2").unwrap();
    let v = value(&w);
    assert_eq!(
        v["dimension"]["label"],
        serde_json::json!({"each": ["myLabelRow0", "myLabelRow1", "", "myLabelCol1", "myLabelCol2"]})
    );
    // Clearing the labels again removes the member.
    for (d, i) in [(0, 0), (0, 1), (1, 1), (1, 2)] {
        w.set_dim_label(d, i, b"").unwrap();
    }
    assert!(value(&w)["dimension"].get("label").is_none());
}

#[test]
fn notes() {
    let mut w = Wave::new(NT_FP64, &[1]).unwrap();
    w.set_note("äßü \"quoted\"".as_bytes());
    assert!(pretty(&w).contains("\n    \"note\": \"äßü \\\"quoted\\\"\",\n"));
    w.set_note(b"");
    assert!(compact(&w).contains(r#""note":"""#));
    w.clear_note();
    assert!(!compact(&w).contains("note"));
}

#[test]
fn large_arrays_match_the_plain_writer() {
    // The block writer must produce what the generic writer produces, across blocks.
    let n = 3 * BLOCK + 17;
    let vals: Vec<f64> = (0..n)
        .map(|i| (i as f64 * 0.37).sin() * 10f64.powi(i as i32 % 30 - 15))
        .collect();
    let w = f64s(&[n as u64], &vals);
    let arr = crate::json::Json::Arr(vals.iter().map(|&v| crate::json::Json::Num(v)).collect());
    let expect_pretty = String::from_utf8(arr.to_pretty())
        .unwrap()
        .replace('\n', "\n        ");
    let p = pretty(&w);
    assert!(p.contains(&format!("\"raw\": {expect_pretty}\n")));
    let c = compact(&w);
    assert!(c.contains(&format!(
        "\"raw\":{}}}",
        String::from_utf8(arr.to_compact()).unwrap()
    )));
    let ints: Vec<i16> = (0..n)
        .map(|i| (i as i64 * 7919 % 65536 - 32768) as i16)
        .collect();
    let w = numeric(NT_I16, &[n as u64], &ints, |v| v.to_ne_bytes().to_vec());
    let got = raw_integers(&w);
    assert_eq!(got, ints.iter().map(|&v| v as i64).collect::<Vec<_>>());
}

#[test]
fn deep_indentation_uses_long_separators() {
    // Nest deep enough that an element's indentation exceeds the fixed window.
    let mut w = f64s(&[2], &[1.5, 2.5]);
    for _ in 0..12 {
        let mut parent = Wave::new(WAVE_TYPE, &[1]).unwrap();
        parent.set_wave(0, Some(Box::new(w))).unwrap();
        w = parent;
    }
    let p = pretty(&w);
    let indent = " ".repeat(4 * (2 + 12 * 3 + 1));
    assert!(
        p.contains(&format!("[\n{indent}1.5,\n{indent}2.5\n")),
        "{p}"
    );
    serde_json::from_str::<serde_json::Value>(&p).unwrap();
}
