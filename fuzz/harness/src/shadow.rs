//! The shadow wave model of the `builders` target: what the serializer must write for the
//! wave the fuzz input built.

use std::collections::BTreeMap;

use crate::{c_reference::*, json_text::*};
use zeromq_xop::wave::{self};

pub(crate) const TYPES: [i32; 32] = [
    wave::NT_FP64,
    wave::NT_FP32,
    wave::NT_I8,
    wave::NT_I16,
    wave::NT_I32,
    wave::NT_I64,
    wave::NT_I8 | wave::NT_UNSIGNED,
    wave::NT_I16 | wave::NT_UNSIGNED,
    wave::NT_I32 | wave::NT_UNSIGNED,
    wave::NT_I64 | wave::NT_UNSIGNED,
    wave::NT_FP64 | wave::NT_CMPLX,
    wave::NT_FP32 | wave::NT_CMPLX,
    wave::NT_I8 | wave::NT_CMPLX,
    wave::NT_I16 | wave::NT_CMPLX | wave::NT_UNSIGNED,
    wave::NT_I32 | wave::NT_CMPLX,
    wave::NT_I64 | wave::NT_CMPLX | wave::NT_UNSIGNED,
    wave::TEXT_WAVE_TYPE,
    wave::TEXT_WAVE_TYPE,
    wave::WAVE_TYPE,
    wave::WAVE_TYPE,
    wave::DATAFOLDER_TYPE,
    wave::DATAFOLDER_TYPE,
    -1,
    1,
    0x41,
    0x44,
    0x200,
    0x4001,
    0x101,
    0x2000,
    i32::MIN,
    0x7fff_ffff,
];

/// Element layout of a valid numeric type: (size, float, signed, complex).
pub(crate) fn numeric_layout(t: i32) -> Option<(usize, bool, bool, bool)> {
    let complex = t & wave::NT_CMPLX != 0;
    let unsigned = t & wave::NT_UNSIGNED != 0;
    let base = t & !(wave::NT_CMPLX | wave::NT_UNSIGNED);
    let (size, float) = match base {
        wave::NT_FP32 => (4, true),
        wave::NT_FP64 => (8, true),
        wave::NT_I8 => (1, false),
        wave::NT_I16 => (2, false),
        wave::NT_I32 => (4, false),
        wave::NT_I64 => (8, false),
        _ => return None,
    };
    if float && unsigned {
        return None;
    }
    Some((size, float, !unsigned, complex))
}

pub(crate) fn valid_type(t: i32) -> bool {
    matches!(
        t,
        wave::TEXT_WAVE_TYPE | wave::WAVE_TYPE | wave::DATAFOLDER_TYPE
    ) || numeric_layout(t).is_some()
}

pub(crate) fn expected_type_name(t: i32) -> String {
    let base = match t & !(wave::NT_CMPLX | wave::NT_UNSIGNED) {
        wave::NT_FP32 => "NT_FP32",
        wave::NT_FP64 => "NT_FP64",
        wave::NT_I8 => "NT_I8",
        wave::NT_I16 => "NT_I16",
        wave::NT_I32 => "NT_I32",
        wave::NT_I64 => "NT_I64",
        wave::TEXT_WAVE_TYPE => "TEXT_WAVE_TYPE",
        wave::DATAFOLDER_TYPE => "DATAFOLDER_TYPE",
        _ => "WAVE_TYPE",
    };
    let mut s = base.to_string();
    if t & wave::NT_CMPLX != 0 {
        s.push_str(" | NT_CMPLX");
    }
    if t & wave::NT_UNSIGNED != 0 {
        s.push_str(" | NT_UNSIGNED");
    }
    s
}

/// What the library should hold for a wave, kept by the harness next to the real builder.
#[derive(Clone, Debug)]
pub struct Shadow {
    pub(crate) wtype: i32,
    pub(crate) dims: Vec<u64>,
    pub(crate) points: usize,
    pub(crate) data: Option<Vec<u8>>,
    pub(crate) texts: BTreeMap<usize, Vec<u8>>,
    pub(crate) waves: BTreeMap<usize, Option<Shadow>>,
    pub(crate) dfrefs: BTreeMap<usize, Vec<u8>>,
    pub(crate) delta: [f64; 4],
    pub(crate) offset: [f64; 4],
    pub(crate) dim_units: [Vec<u8>; 4],
    pub(crate) dim_labels: [Vec<u8>; 4],
    pub(crate) index_labels: [BTreeMap<u64, Vec<u8>>; 4],
    pub(crate) data_unit: Vec<u8>,
    pub(crate) full_scale: (f64, f64),
    pub(crate) note: Option<Vec<u8>>,
    pub(crate) modification: i64,
    pub(crate) height: u32,
}

/// Expected value of a number token: exact text, or (for float32) a value to round-trip.
pub(crate) fn num_matches(actual: &T, expected_f64: f64) {
    assert_eq!(
        match actual {
            T::Num(t) => t.clone(),
            T::Str(s) => format!("\"{s}\""),
            other => panic!("expected a number, got {other:?}"),
        },
        g15_token(expected_f64)
    );
}

pub(crate) fn f32_matches(actual: &T, v: f32) {
    match actual {
        T::Str(s) if v.is_nan() => assert_eq!(s, "nan"),
        T::Str(s) if v.is_infinite() => assert_eq!(s, if v > 0.0 { "inf" } else { "-inf" }),
        T::Num(t) => {
            let back: f32 = t.parse().expect("float token");
            assert_eq!(back.to_bits(), v.to_bits(), "float32 token {t} for {v:e}");
            // Shortest round trip: no more significant digits than Rust's shortest form.
            let digits = |s: &str| {
                let m = s.split(['e', 'E']).next().unwrap_or("");
                let d: Vec<u8> = m.bytes().filter(u8::is_ascii_digit).collect();
                let d = match d.iter().position(|&b| b != b'0') {
                    Some(i) => &d[i..],
                    None => return 1,
                };
                let end = d.iter().rposition(|&b| b != b'0').map_or(0, |i| i + 1);
                end.max(1)
            };
            assert!(
                digits(t) <= digits(&format!("{v:e}")).max(1),
                "float32 token {t} is not shortest for {v:e}"
            );
        }
        other => panic!("expected a float32 token, got {other:?}"),
    }
}

impl Shadow {
    pub(crate) fn new(wtype: i32, dims: &[u64]) -> Shadow {
        Shadow {
            wtype,
            dims: dims.to_vec(),
            points: dims.iter().product::<u64>() as usize,
            data: None,
            texts: BTreeMap::new(),
            waves: BTreeMap::new(),
            dfrefs: BTreeMap::new(),
            delta: [1.0; 4],
            offset: [0.0; 4],
            dim_units: Default::default(),
            dim_labels: Default::default(),
            index_labels: Default::default(),
            data_unit: Vec::new(),
            full_scale: (0.0, 0.0),
            note: None,
            modification: 0,
            height: 0,
        }
    }

    pub(crate) fn data_len(&self) -> Option<usize> {
        numeric_layout(self.wtype).map(|(size, _, _, c)| self.points * size * if c { 2 } else { 1 })
    }

    /// Check a serialized wave (`t`) against this model.
    pub(crate) fn check(&self, t: &T) {
        assert_eq!(t.get("type"), Some(&T::Str(expected_type_name(self.wtype))));
        let n = self.dims.len();
        let data = t.get("data").expect("data");
        let dim = t.get("dimension").expect("dimension");
        assert_eq!(
            t.get("date").and_then(|d| d.get("modification")),
            Some(&T::Num(self.modification.to_string()))
        );
        assert_eq!(
            t.get("note").map(|n| n.str().to_string()),
            self.note.as_deref().map(lossy)
        );
        let size: Vec<T> = self.dims.iter().map(|d| T::Num(d.to_string())).collect();
        assert_eq!(dim.get("size"), Some(&T::Arr(size)));
        // data.unit, data.fullScale
        assert_eq!(
            data.get("unit").map(|u| u.str().to_string()),
            (!self.data_unit.is_empty()).then(|| lossy(&self.data_unit))
        );
        let (lo, hi) = self.full_scale;
        let unset = (lo == 0.0 && hi == 0.0) || (lo.is_nan() && hi.is_nan());
        match data.get("fullScale") {
            None => assert!(unset, "fullScale missing for {lo:e}, {hi:e}"),
            Some(fs) => {
                assert!(!unset);
                num_matches(&fs.arr()[0], lo);
                num_matches(&fs.arr()[1], hi);
                assert_eq!(fs.arr().len(), 2);
            }
        }
        // dimension.delta / offset
        let scaled = (0..n).any(|d| self.delta[d] != 1.0 || self.offset[d] != 0.0);
        assert_eq!(dim.get("delta").is_some(), scaled);
        assert_eq!(dim.get("offset").is_some(), scaled);
        if scaled {
            let (d, o) = (
                dim.get("delta").unwrap().arr(),
                dim.get("offset").unwrap().arr(),
            );
            assert_eq!((d.len(), o.len()), (n, n));
            for i in 0..n {
                num_matches(&d[i], self.delta[i]);
                num_matches(&o[i], self.offset[i]);
            }
        }
        // dimension.unit
        let any_unit = self.dim_units[..n].iter().any(|u| !u.is_empty());
        match dim.get("unit") {
            None => assert!(!any_unit),
            Some(u) => {
                let want: Vec<T> = self.dim_units[..n]
                    .iter()
                    .map(|u| T::Str(lossy(u)))
                    .collect();
                assert_eq!(u, &T::Arr(want));
            }
        }
        // dimension.label
        let any_each = self.index_labels[..n].iter().any(|m| !m.is_empty());
        let any_full = self.dim_labels[..n].iter().any(|l| !l.is_empty());
        match dim.get("label") {
            None => assert!(!any_each && !any_full),
            Some(l) => {
                let each = l.get("each");
                assert_eq!(each.is_some(), any_each);
                if let Some(each) = each {
                    let mut want = Vec::new();
                    for d in 0..n {
                        for i in 0..self.dims[d] {
                            want.push(T::Str(
                                self.index_labels[d]
                                    .get(&i)
                                    .map(|b| lossy(b))
                                    .unwrap_or_default(),
                            ));
                        }
                    }
                    assert_eq!(each, &T::Arr(want));
                }
                let full = l.get("full");
                assert_eq!(full.is_some(), any_full);
                if let Some(full) = full {
                    let want: Vec<T> = self.dim_labels[..n]
                        .iter()
                        .map(|u| T::Str(lossy(u)))
                        .collect();
                    assert_eq!(full, &T::Arr(want));
                }
            }
        }
        // data.raw
        let raw = data.get("raw").expect("raw");
        match self.wtype {
            wave::TEXT_WAVE_TYPE => {
                let a = raw.arr();
                assert_eq!(a.len(), self.points);
                for (p, v) in a.iter().enumerate() {
                    let b = self.texts.get(&p).map(Vec::as_slice).unwrap_or(b"");
                    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
                    assert_eq!(v, &T::Str(lossy(&b[..end])));
                }
            }
            wave::DATAFOLDER_TYPE => {
                let a = raw.arr();
                assert_eq!(a.len(), self.points);
                for (p, v) in a.iter().enumerate() {
                    let b = self.dfrefs.get(&p).map(Vec::as_slice).unwrap_or(b"");
                    let killed = b.windows(17).any(|w| w == b":_killed folder_:");
                    let want = if b.is_empty() || killed {
                        "null".to_string()
                    } else {
                        lossy(b)
                    };
                    assert_eq!(v, &T::Str(want));
                }
            }
            wave::WAVE_TYPE => {
                let a = raw.arr();
                assert_eq!(a.len(), self.points);
                for (p, v) in a.iter().enumerate() {
                    match self.waves.get(&p).and_then(|c| c.as_ref()) {
                        None => assert_eq!(v, &T::Null),
                        Some(child) => child.check(v),
                    }
                }
            }
            t => {
                let (size, float, signed, complex) = numeric_layout(t).expect("numeric");
                let stride = size * if complex { 2 } else { 1 };
                let zeros = vec![0u8; self.points * stride];
                let bytes = self.data.as_deref().unwrap_or(&zeros);
                let check_part = |arr: &T, part: usize| {
                    let a = arr.arr();
                    assert_eq!(a.len(), self.points);
                    for (p, v) in a.iter().enumerate() {
                        let at = p * stride + part * size;
                        let e = &bytes[at..at + size];
                        match (size, float, signed) {
                            (8, true, _) => {
                                num_matches(v, f64::from_ne_bytes(e.try_into().unwrap()))
                            }
                            (4, true, _) => {
                                f32_matches(v, f32::from_ne_bytes(e.try_into().unwrap()))
                            }
                            _ => {
                                let mut b = [0u8; 8];
                                let want = if cfg!(target_endian = "little") {
                                    b[..size].copy_from_slice(e);
                                    let u = u64::from_le_bytes(b);
                                    if signed {
                                        let shift = 64 - 8 * size as u32;
                                        (((u << shift) as i64) >> shift).to_string()
                                    } else {
                                        u.to_string()
                                    }
                                } else {
                                    return;
                                };
                                assert_eq!(v, &T::Num(want));
                            }
                        }
                    }
                };
                if complex {
                    assert_eq!(raw.keys(), ["imag", "real"]);
                    check_part(raw.get("real").unwrap(), 0);
                    check_part(raw.get("imag").unwrap(), 1);
                } else {
                    check_part(raw, 0);
                }
            }
        }
    }
}
