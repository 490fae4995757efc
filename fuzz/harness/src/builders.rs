//! Target `builders`: the wave builder and the reply builder driven by a decoded sequence of
//! operations, then both serializers (pretty and compact), checked against a shadow model.

use crate::{input::*, json_text::*, shadow::*};
use zeromq_xop::error::Code;
use zeromq_xop::protocol::{Reply, Value};
use zeromq_xop::wave::{self, Wave};

/// Decode and build a wave with its shadow; `None` when the decoded type or sizes are
/// invalid (the builder must have refused them) or the wave is too big to serialize.
fn build_wave(r: &mut Reader, depth: u32) -> Option<(Wave, Shadow)> {
    let sel = r.u8();
    let wtype = if sel == 255 {
        r.u64() as i32
    } else {
        TYPES[(sel % 32) as usize]
    };
    let nd = (r.u8() % 6) as usize;
    let huge = r.u8().is_multiple_of(16);
    let dims: Vec<u64> = (0..nd)
        .map(|_| {
            if huge {
                r.u64() >> (r.u8() % 64)
            } else {
                (r.u8() % 7) as u64
            }
        })
        .collect();
    let fits = {
        let mut p: Option<u64> = Some(1);
        for &d in &dims {
            p = p.and_then(|p| p.checked_mul(d));
        }
        p.is_some_and(|p| p <= (isize::MAX as u64) / 24)
    };
    let result = Wave::new(wtype, &dims);
    let should = valid_type(wtype) && (1..=4).contains(&nd);
    if !should || !fits {
        assert!(
            result.is_err() || (should && !fits && result.is_ok()),
            "Wave::new({wtype:#x}, {dims:?})"
        );
        if let Err(e) = result {
            assert_eq!(e.code, Code::InvalidArg);
        }
        return None;
    }
    let mut w = match result {
        Ok(w) => w,
        Err(e) => {
            // Only sizes beyond what memory can hold may be refused.
            let elem = numeric_layout(wtype).map_or(24, |(s, _, _, c)| s * if c { 2 } else { 1 });
            let p: u64 = dims.iter().product();
            assert!(
                p > (isize::MAX as u64) / elem as u64 / 2,
                "refused {dims:?}: {}",
                e.detail
            );
            return None;
        }
    };
    let mut s = Shadow::new(wtype, &dims);
    assert_eq!(w.points(), s.points);
    assert_eq!(w.dims(), &dims[..]);
    assert_eq!(w.data_len(), s.data_len());
    let dims_sum = dims.iter().fold(0u64, |a, &d| a.saturating_add(d));
    if s.points > 4096 || dims_sum > 1 << 16 {
        // Big: exercise the point checks only, never serialize, to keep the target fast. (A
        // zero-point wave with one huge dimension counts too: its `label.each` output grows
        // with the sum of the sizes. Absurd sizes are refused by the fallible serialization:
        // item 8 of the findings in docs/HARDENING.md, tests in tests/fuzz_regressions.rs.)
        let p = s.points;
        assert!(w.set_text(p, b"x").is_err());
        assert!(w.set_dfref(p, b"x").is_err());
        assert!(w.set_wave(p, None).is_err());
        return None;
    }
    let ops = r.u8() % 24;
    for _ in 0..ops {
        if r.is_empty() {
            break;
        }
        let point = {
            let x = r.u16() as usize;
            x % (s.points + 2)
        };
        let dim = (r.u8() % 5) as usize;
        match r.u8() % 14 {
            0 => {
                let exact = !r.u8().is_multiple_of(4);
                let len = match (exact, s.data_len()) {
                    (true, Some(n)) => n,
                    _ => r.u8() as usize,
                };
                let src = r.bytes(255);
                let bytes: Vec<u8> = (0..len)
                    .map(|i| {
                        src.get(i % src.len().max(1)).copied().unwrap_or(i as u8) ^ (i / 255) as u8
                    })
                    .collect();
                let ok = w.set_data(&bytes).is_ok();
                assert_eq!(ok, s.data_len() == Some(len));
                if ok {
                    s.data = Some(bytes);
                }
            }
            1 => {
                let b = r.bytes(40);
                let ok = w.set_text(point, b).is_ok();
                assert_eq!(ok, s.wtype == wave::TEXT_WAVE_TYPE && point < s.points);
                if ok {
                    s.texts.insert(point, b.to_vec());
                }
            }
            2 => {
                let child = if depth < 4 && !r.u8().is_multiple_of(3) {
                    build_wave(r, depth + 1)
                } else {
                    None
                };
                let (cw, cs) = match child {
                    Some((cw, cs)) => (Some(Box::new(cw)), Some(cs)),
                    None => (None, None),
                };
                let ok = w.set_wave(point, cw).is_ok();
                assert_eq!(ok, s.wtype == wave::WAVE_TYPE && point < s.points);
                if ok {
                    s.waves.insert(point, cs);
                    s.height = s
                        .waves
                        .values()
                        .flatten()
                        .map(|c| c.height + 1)
                        .max()
                        .unwrap_or(0);
                    assert_eq!(w.nesting(), s.height);
                }
            }
            3 => {
                let b = r.bytes(40);
                let ok = w.set_dfref(point, b).is_ok();
                assert_eq!(ok, s.wtype == wave::DATAFOLDER_TYPE && point < s.points);
                if ok {
                    s.dfrefs.insert(point, b.to_vec());
                }
            }
            4 => {
                let (d, o) = (r.f64(), r.f64());
                let ok = w.set_scaling(dim, d, o).is_ok();
                assert_eq!(ok, dim < s.dims.len());
                if ok {
                    s.delta[dim] = d;
                    s.offset[dim] = o;
                }
            }
            5 => {
                let b = r.bytes(20);
                let ok = w.set_dim_unit(dim, b).is_ok();
                assert_eq!(ok, dim < s.dims.len());
                if ok {
                    s.dim_units[dim] = b.to_vec();
                }
            }
            6 => {
                let index: i64 = match r.u8() % 8 {
                    0 => -1,
                    1 => -2,
                    2 => i64::MIN,
                    3 => i64::MAX,
                    _ => (r.u8() % 8) as i64,
                };
                let b = r.bytes(20);
                let ok = w.set_dim_label(dim, index, b).is_ok();
                let valid = dim < s.dims.len()
                    && (index == -1 || (index >= 0 && (index as u64) < s.dims[dim]));
                assert_eq!(ok, valid, "label dim {dim} index {index} dims {:?}", s.dims);
                if ok {
                    if index == -1 {
                        s.dim_labels[dim] = b.to_vec();
                    } else if b.is_empty() {
                        s.index_labels[dim].remove(&(index as u64));
                    } else {
                        s.index_labels[dim].insert(index as u64, b.to_vec());
                    }
                }
            }
            7 => {
                let b = r.bytes(20);
                w.set_data_unit(b);
                s.data_unit = b.to_vec();
            }
            8 => {
                let (a, b) = (r.f64(), r.f64());
                w.set_full_scale(a, b);
                s.full_scale = (a, b);
            }
            9 => {
                let b = r.bytes(60);
                w.set_note(b);
                s.note = Some(b.to_vec());
            }
            10 => {
                w.clear_note();
                s.note = None;
            }
            11 => {
                let m = r.u64() as i64;
                w.set_modification(m);
                s.modification = m;
            }
            _ => {
                let ok = w.check_set_wave(point, None).is_ok();
                assert_eq!(ok, s.wtype == wave::WAVE_TYPE && point < s.points);
            }
        }
    }
    Some((w, s))
}

fn check_serialized(w: Option<&Wave>, s: Option<&Shadow>) {
    let pretty = wave::serialize_pretty(w);
    let mut compact = Vec::new();
    wave::write_wave(w, &mut zeromq_xop::json_writer::Writer::new(&mut compact, false));
    assert_eq!(minify(&pretty), compact, "pretty and compact output differ");
    let t =
        parse_t(&pretty).unwrap_or_else(|e| panic!("invalid wave JSON ({e}): {}", lossy(&pretty)));
    match s {
        None => assert_eq!(t, T::Null),
        Some(s) => {
            s.check(&t);
            // Lines the reference's tests grep: `"type": "..."` with `": "` separators.
            let text = lossy(&pretty);
            assert!(text.contains(&format!("\"type\": \"{}\"", expected_type_name(s.wtype))));
        }
    }
}

/// Fuzz entry: build waves and replies from decoded operations and check both serializers.
pub fn builders(data: &[u8]) {
    let mut r = Reader::new(data);
    let first = build_wave(&mut r, 0);
    match &first {
        Some((w, s)) => check_serialized(Some(w), Some(s)),
        None => check_serialized(None, None),
    }
    // The reply builder, fed with values and the wave.
    let id = match r.u8() % 4 {
        0 => None,
        _ => Some(lossy(r.bytes(40))),
    };
    let mut reply = Reply::new(id.clone());
    let mut results: Vec<(Value, Option<Shadow>)> = Vec::new();
    let mut by_ref: Vec<(Value, Option<Shadow>)> = Vec::new();
    let mut multiple = false;
    let mut error: Option<(i32, String)> = None;
    let mut wave_slot = first;
    let n = r.u8() % 12;
    for _ in 0..n {
        let op = r.u8();
        let v = match op % 4 {
            0 => (Value::Variable(r.f64()), None),
            1 => (Value::String(r.bytes(40).to_vec()), None),
            2 => (Value::Dfref(r.bytes(40).to_vec()), None),
            _ => match wave_slot.take() {
                Some((w, s)) => (Value::Wave(Some(Box::new(w))), Some(s)),
                None => (Value::Wave(None), None),
            },
        };
        match (op / 4) % 8 {
            0..=3 => {
                reply.push(v.0.clone());
                results.push(v);
            }
            4 | 5 => {
                reply.push_by_ref(v.0.clone());
                by_ref.push(v);
            }
            6 => {
                reply.set_multiple();
                multiple = true;
            }
            _ => {
                let codes = [
                    1, 3, 7, 8, 100, 101, 106, 107, 10002, 10004, 10009, 10013, 2, 0, -5, 99999,
                ];
                let code = codes[(op as usize / 32) % codes.len()];
                let h = r.bytes(40);
                reply.error(code, Some(h));
                let trimmed = lossy(h)
                    .trim_matches([' ', '\r', '\n', '\t'])
                    .replace('\r', "\n");
                error = Some((code, trimmed));
            }
        }
    }
    let pretty = reply.to_json().to_pretty();
    let compact = reply.to_json().to_compact();
    assert_eq!(minify(&pretty), compact);
    let t =
        parse_t(&pretty).unwrap_or_else(|e| panic!("invalid reply JSON ({e}): {}", lossy(&pretty)));
    assert_eq!(t.keys().first().copied(), Some("errorCode"));
    assert_eq!(t.get("messageID").map(|v| v.str().to_string()), id);
    let ec = t.get("errorCode").unwrap();
    let answered = error.is_some() || multiple || !results.is_empty();
    if let Some((code, hist)) = &error {
        assert_eq!(ec.get("value"), Some(&T::Num(code.to_string())));
        assert!(ec.get("msg").is_some());
        assert_eq!(
            t.get("history").map(|h| h.str().to_string()),
            (!hist.is_empty()).then(|| hist.clone())
        );
        assert!(t.get("result").is_none() && t.get("passByReference").is_none());
    } else if !answered {
        assert_eq!(ec.get("value"), Some(&T::Num("10004".into())));
        assert!(t.get("result").is_none());
    } else {
        assert_eq!(ec.keys(), ["value"]);
        assert_eq!(ec.get("value"), Some(&T::Num("0".into())));
        let check_value = |t: &T, (v, s): &(Value, Option<Shadow>)| {
            assert_eq!(t.keys(), ["type", "value"]);
            let val = t.get("value").unwrap();
            match v {
                Value::Variable(x) => {
                    assert_eq!(t.get("type").unwrap().str(), "variable");
                    num_matches(val, *x);
                }
                Value::String(b) => {
                    assert_eq!(t.get("type").unwrap().str(), "string");
                    assert_eq!(val, &T::Str(lossy(b)));
                }
                Value::Dfref(b) => {
                    assert_eq!(t.get("type").unwrap().str(), "dfref");
                    let killed = b.windows(17).any(|w| w == b":_killed folder_:");
                    let want = if b.is_empty() || killed {
                        "null".into()
                    } else {
                        lossy(b)
                    };
                    assert_eq!(val, &T::Str(want));
                }
                Value::Wave(_) => {
                    assert_eq!(t.get("type").unwrap().str(), "wave");
                    match s {
                        Some(s) => s.check(val),
                        None => assert_eq!(val, &T::Null),
                    }
                }
            }
        };
        let result = t.get("result").expect("result");
        if multiple {
            assert_eq!(result.arr().len(), results.len());
            for (rt, rv) in result.arr().iter().zip(&results) {
                check_value(rt, rv);
            }
        } else {
            check_value(result, &results[0]);
        }
        match t.get("passByReference") {
            None => assert!(by_ref.is_empty()),
            Some(p) => {
                assert_eq!(p.arr().len(), by_ref.len());
                for (rt, rv) in p.arr().iter().zip(&by_ref) {
                    check_value(rt, rv);
                }
            }
        }
    }
}
