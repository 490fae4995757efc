//! Wave objects as `CallFunction` parameters (Phase A): the reply serialization format of
//! SPEC section 5 read back into a [`Wave`], with the numeric data either in JSON
//! (`"data": {"raw": [...]}`) or in a frame after the request's JSON
//! (`"data": {"buffer": k}`: frame k, little-endian, column-major, complex interleaved).
//!
//! Everything is checked here, before any host code runs: the type, 1 to 4 dimension sizes,
//! the number of points, every element's range, the buffer index and its exact byte count,
//! units, scaling, labels and note. A failure is a text saying what was wrong; the request is
//! answered with `REQ_INVALID_PARAM_FORMAT` (106).

use crate::wave::{
    Wave, DATAFOLDER_TYPE, MAX_DIMS, MAX_NESTING, NT_CMPLX, NT_FP32, NT_FP64, NT_I16, NT_I32,
    NT_I64, NT_I8, NT_UNSIGNED, TEXT_WAVE_TYPE, WAVE_TYPE,
};
use serde_json::{Map, Value};

type Object = Map<String, Value>;
type Checked<T> = std::result::Result<T, String>;

/// The frames after a request's JSON and which of them wave parameters referenced.
pub struct Buffers<'a> {
    frames: &'a [&'a [u8]],
    used: Vec<bool>,
}

impl<'a> Buffers<'a> {
    /// The frames that follow the JSON frame, in order (frame 0 is `{"buffer": 0}`).
    pub fn new(frames: &'a [&'a [u8]]) -> Buffers<'a> {
        Buffers {
            frames,
            used: vec![false; frames.len()],
        }
    }

    /// Parameter `index` (a JSON object) as a wave, or what is wrong with it.
    pub fn wave(&mut self, obj: &Object, index: usize) -> Checked<Wave> {
        self.parse(obj, 0)
            .map_err(|e| format!("Parameter {index} is not a valid wave: {e}"))
    }

    /// Fails when a frame was sent that no wave parameter referenced.
    pub fn all_used(&self) -> Checked<()> {
        match self.used.iter().position(|u| !u) {
            None => Ok(()),
            Some(k) => Err(format!(
                "The request has {} frame(s) after its JSON, but frame {k} is not referenced \
                 by any wave parameter ({{\"buffer\": {k}}}).",
                self.frames.len()
            )),
        }
    }

    fn parse(&mut self, obj: &Object, depth: u32) -> Checked<Wave> {
        if depth >= MAX_NESTING {
            return Err(format!(
                "wave reference waves nest more than {MAX_NESTING} levels deep"
            ));
        }
        let wtype = parse_type(obj.get("type").ok_or("it has no \"type\"")?)?;
        let data = match obj.get("data") {
            Some(Value::Object(d)) => d,
            Some(_) => return Err("\"data\" is not an object".into()),
            None => return Err("it has no \"data\"".into()),
        };
        let dimension = match obj.get("dimension") {
            None => None,
            Some(Value::Object(d)) => Some(d),
            Some(_) => return Err("\"dimension\" is not an object".into()),
        };
        let source = match (data.get("raw"), data.get("buffer")) {
            (Some(_), Some(_)) => return Err("\"data\" has both \"raw\" and \"buffer\"".into()),
            (None, None) => return Err("\"data\" has neither \"raw\" nor \"buffer\"".into()),
            // `"raw": {"buffer": k}` is read as `"buffer": k`.
            (Some(Value::Object(r)), None) if r.len() == 1 && r.contains_key("buffer") => {
                Source::Buffer(self.buffer_index(&r["buffer"])?)
            }
            (Some(raw), None) => Source::Raw(raw),
            (None, Some(k)) => Source::Buffer(self.buffer_index(k)?),
        };
        let dims = match dimension.and_then(|d| d.get("size")) {
            Some(size) => parse_size(size)?,
            None => vec![self.inferred_points(wtype, &source)?],
        };
        let mut wave = Wave::new(wtype, &dims).map_err(|e| e.detail)?;
        match source {
            Source::Buffer(k) => {
                if !is_numeric(wtype) {
                    return Err(format!(
                        "\"buffer\" is for numeric waves, but this is a {}",
                        type_text(wtype)
                    ));
                }
                let frame = self.frames[k];
                let needed = wave.data_len().unwrap_or(0);
                if frame.len() != needed {
                    return Err(format!(
                        "frame {k} has {} bytes, but a {} wave of {} point(s) needs exactly \
                         {needed}",
                        frame.len(),
                        type_text(wtype),
                        wave.points()
                    ));
                }
                wave.set_data(frame).map_err(|e| e.detail)?;
                self.used[k] = true;
            }
            Source::Raw(raw) => self.fill_raw(&mut wave, raw, depth)?,
        }
        apply_metadata(&mut wave, obj, data, dimension)?;
        Ok(wave)
    }

    fn buffer_index(&self, k: &Value) -> Checked<usize> {
        let n = self.frames.len();
        match k.as_u64() {
            Some(k) if (k as usize) < n && k < usize::MAX as u64 => Ok(k as usize),
            Some(k) => Err(format!(
                "\"buffer\": {k} is out of range: the request has {n} frame(s) after its JSON"
            )),
            None => Err(format!(
                "\"buffer\" must be a frame index (an integer from 0), not {k}"
            )),
        }
    }

    /// The point count of a one-dimensional wave sent without `dimension.size`.
    fn inferred_points(&self, wtype: i32, source: &Source<'_>) -> Checked<u64> {
        let count = match source {
            Source::Raw(Value::Array(a)) => a.len(),
            Source::Raw(Value::Object(o)) => {
                o.get("real").and_then(Value::as_array).map_or(0, Vec::len)
            }
            Source::Raw(_) => 0,
            Source::Buffer(k) => {
                let size = element_size(wtype).ok_or_else(|| {
                    format!("\"buffer\" is for numeric waves, not {}", type_text(wtype))
                })?;
                let bytes = self.frames[*k].len();
                if !bytes.is_multiple_of(size) {
                    return Err(format!(
                        "frame {k} has {bytes} bytes, not a multiple of the {size}-byte {} \
                         element",
                        type_text(wtype)
                    ));
                }
                bytes / size
            }
        };
        Ok(count as u64)
    }

    fn fill_raw(&mut self, wave: &mut Wave, raw: &Value, depth: u32) -> Checked<()> {
        let wtype = wave.wave_type();
        let points = wave.points();
        let items = |v, what| items(v, points, what);
        match wtype {
            TEXT_WAVE_TYPE | DATAFOLDER_TYPE => {
                for (p, item) in items(raw, "\"raw\"")?.iter().enumerate() {
                    let s = item
                        .as_str()
                        .ok_or_else(|| format!("\"raw\" element {p} is not a string"))?;
                    if wtype == TEXT_WAVE_TYPE {
                        wave.set_text(p, s.as_bytes())
                    } else {
                        wave.set_dfref(p, s.as_bytes())
                    }
                    .map_err(|e| e.detail)?;
                }
            }
            WAVE_TYPE => {
                for (p, item) in items(raw, "\"raw\"")?.iter().enumerate() {
                    let child = match item {
                        Value::Null => None,
                        Value::Object(o) => Some(Box::new(
                            self.parse(o, depth + 1)
                                .map_err(|e| format!("element {p}: {e}"))?,
                        )),
                        _ => return Err(format!("\"raw\" element {p} is not a wave or null")),
                    };
                    wave.set_wave(p, child).map_err(|e| e.detail)?;
                }
            }
            _ => {
                let size = element_size(wtype).expect("a numeric type");
                // The (real, imaginary) elements of every point, counted before any memory is
                // reserved for them: their number bounds the wave's size.
                let pairs: Vec<(&Value, Option<&Value>)> = if wtype & NT_CMPLX != 0 {
                    let Value::Object(parts) = raw else {
                        return Err(
                            "\"raw\" of a complex wave must be {\"real\": [...], \"imag\": [...]}"
                                .into(),
                        );
                    };
                    let re = items(parts.get("real").unwrap_or(&Value::Null), "\"raw.real\"")?;
                    let im = items(parts.get("imag").unwrap_or(&Value::Null), "\"raw.imag\"")?;
                    re.iter().zip(im).map(|(r, i)| (r, Some(i))).collect()
                } else {
                    items(raw, "\"raw\"")?.iter().map(|v| (v, None)).collect()
                };
                let mut bytes = Vec::new();
                bytes
                    .try_reserve_exact(wave.data_len().unwrap_or(0))
                    .map_err(|_| "the data does not fit in memory".to_string())?;
                for (p, (re, im)) in pairs.into_iter().enumerate() {
                    push_element(&mut bytes, wtype, size, re)
                        .map_err(|e| format!("\"raw\" point {p}: {e}"))?;
                    if let Some(im) = im {
                        push_element(&mut bytes, wtype, size, im)
                            .map_err(|e| format!("imaginary part of point {p}: {e}"))?;
                    }
                }
                wave.set_data(&bytes).map_err(|e| e.detail)?;
            }
        }
        Ok(())
    }
}

/// The elements of a `raw` array, which must have one per point.
fn items<'v>(v: &'v Value, points: usize, what: &str) -> Checked<&'v [Value]> {
    match v {
        Value::Array(a) if a.len() == points => Ok(a),
        Value::Array(a) => Err(format!(
            "{what} has {} element(s), but the wave has {points} point(s)",
            a.len()
        )),
        _ => Err(format!("{what} is not an array")),
    }
}

enum Source<'v> {
    Raw(&'v Value),
    Buffer(usize),
}

/// The type from its SPEC 5.3 name (`"NT_I32 | NT_CMPLX | NT_UNSIGNED"`) or its code.
fn parse_type(v: &Value) -> Checked<i32> {
    let bad = || format!("unknown wave type {v}");
    let code = match v {
        Value::Number(n) => n
            .as_i64()
            .and_then(|c| i32::try_from(c).ok())
            .ok_or_else(bad)?,
        Value::String(s) => {
            let mut code = 0;
            let mut base = None;
            for part in s.split('|').map(str::trim) {
                let bits = match part {
                    "NT_CMPLX" => NT_CMPLX,
                    "NT_UNSIGNED" => NT_UNSIGNED,
                    "NT_FP32" => NT_FP32,
                    "NT_FP64" => NT_FP64,
                    "NT_I8" => NT_I8,
                    "NT_I16" => NT_I16,
                    "NT_I32" => NT_I32,
                    "NT_I64" => NT_I64,
                    "TEXT_WAVE_TYPE" => TEXT_WAVE_TYPE,
                    "WAVE_TYPE" => WAVE_TYPE,
                    "DATAFOLDER_TYPE" => DATAFOLDER_TYPE,
                    _ => return Err(bad()),
                };
                if !matches!(part, "NT_CMPLX" | "NT_UNSIGNED") && base.replace(part).is_some() {
                    return Err(bad());
                }
                code |= bits;
            }
            if base.is_none() {
                return Err(bad());
            }
            code
        }
        _ => return Err(bad()),
    };
    crate::wave::type_name(code).ok_or_else(bad)?;
    Ok(code)
}

fn type_text(wtype: i32) -> String {
    crate::wave::type_name(wtype).unwrap_or_else(|| wtype.to_string())
}

fn is_numeric(wtype: i32) -> bool {
    element_size(wtype).is_some()
}

/// Bytes of one point of a numeric type (both parts of a complex one); `None` otherwise.
fn element_size(wtype: i32) -> Option<usize> {
    let base = match wtype & !(NT_CMPLX | NT_UNSIGNED) {
        NT_I8 => 1,
        NT_I16 => 2,
        NT_FP32 | NT_I32 => 4,
        NT_FP64 | NT_I64 => 8,
        _ => return None,
    };
    if matches!(wtype, TEXT_WAVE_TYPE | WAVE_TYPE | DATAFOLDER_TYPE) {
        return None;
    }
    Some(if wtype & NT_CMPLX != 0 {
        2 * base
    } else {
        base
    })
}

fn parse_size(v: &Value) -> Checked<Vec<u64>> {
    let a = v
        .as_array()
        .filter(|a| (1..=MAX_DIMS).contains(&a.len()))
        .ok_or_else(|| format!("\"dimension.size\" must be 1 to {MAX_DIMS} sizes"))?;
    a.iter()
        .map(|d| {
            d.as_u64()
                .ok_or_else(|| format!("dimension size {d} is not a non-negative integer"))
        })
        .collect()
}

/// A number, or a string C `strtod` reads completely (`"nan"`, `"inf"`, `"-inf"`).
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) if !s.is_empty() => crate::numbers::parse_double(s.as_bytes()),
        _ => None,
    }
}

/// Append one (real) element of a numeric type, little-endian, checking its range.
fn push_element(out: &mut Vec<u8>, wtype: i32, size: usize, v: &Value) -> Checked<()> {
    let base = wtype & !(NT_CMPLX | NT_UNSIGNED);
    if base == NT_FP64 || base == NT_FP32 {
        let x = number(v).ok_or_else(|| format!("{v} is not a number"))?;
        if base == NT_FP64 {
            out.extend_from_slice(&x.to_le_bytes());
        } else {
            out.extend_from_slice(&(x as f32).to_le_bytes());
        }
        return Ok(());
    }
    let unsigned = wtype & NT_UNSIGNED != 0;
    let bits = 8 * (size / if wtype & NT_CMPLX != 0 { 2 } else { 1 }) as u32;
    let out_of_range = || {
        format!(
            "{v} is not an integer that fits {}",
            type_text(wtype & !NT_CMPLX)
        )
    };
    let n = v.as_number().ok_or_else(out_of_range)?;
    let bytes: [u8; 8] = if unsigned {
        let x = n.as_u64().ok_or_else(out_of_range)?;
        if bits < 64 && x >> bits != 0 {
            return Err(out_of_range());
        }
        x.to_le_bytes()
    } else {
        let x = n.as_i64().ok_or_else(out_of_range)?;
        if bits < 64 {
            let limit = 1i64 << (bits - 1);
            if x < -limit || x >= limit {
                return Err(out_of_range());
            }
        }
        x.to_le_bytes()
    };
    out.extend_from_slice(&bytes[..(bits / 8) as usize]);
    Ok(())
}

fn strings(v: &Value, n: usize, what: &str) -> Checked<Vec<String>> {
    match v.as_array() {
        Some(a) if a.len() == n => a
            .iter()
            .map(|s| {
                s.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("{what} holds {s}, not a string"))
            })
            .collect(),
        _ => Err(format!("{what} must be an array of {n} string(s)")),
    }
}

fn numbers(v: &Value, n: usize, what: &str) -> Checked<Vec<f64>> {
    match v.as_array() {
        Some(a) if a.len() == n => a
            .iter()
            .map(|x| number(x).ok_or_else(|| format!("{what} holds {x}, not a number")))
            .collect(),
        _ => Err(format!("{what} must be an array of {n} number(s)")),
    }
}

fn text<'v>(v: &'v Value, what: &str) -> Checked<&'v str> {
    v.as_str().ok_or_else(|| format!("{what} is not a string"))
}

/// Units, scaling, labels, full scale, note and modification date.
fn apply_metadata(
    wave: &mut Wave,
    obj: &Object,
    data: &Object,
    dimension: Option<&Object>,
) -> Checked<()> {
    let dims = wave.dims().to_vec();
    let n = dims.len();
    if let Some(u) = data.get("unit") {
        wave.set_data_unit(text(u, "\"data.unit\"")?.as_bytes());
    }
    if let Some(fs) = data.get("fullScale") {
        let v = numbers(fs, 2, "\"data.fullScale\"")?;
        wave.set_full_scale(v[0], v[1]);
    }
    if let Some(note) = obj.get("note") {
        wave.set_note(text(note, "\"note\"")?.as_bytes());
    }
    match obj.get("date") {
        None => {}
        Some(Value::Object(d)) => {
            if let Some(m) = d.get("modification") {
                let m = m
                    .as_i64()
                    .ok_or("\"date.modification\" is not an integer")?;
                wave.set_modification(m);
            }
        }
        Some(_) => return Err("\"date\" is not an object".into()),
    }
    let Some(dim) = dimension else {
        return Ok(());
    };
    let delta = dim
        .get("delta")
        .map(|v| numbers(v, n, "\"dimension.delta\""))
        .transpose()?;
    let offset = dim
        .get("offset")
        .map(|v| numbers(v, n, "\"dimension.offset\""))
        .transpose()?;
    for d in 0..n {
        let dl = delta.as_ref().map_or(1.0, |v| v[d]);
        let of = offset.as_ref().map_or(0.0, |v| v[d]);
        wave.set_scaling(d, dl, of).map_err(|e| e.detail)?;
    }
    if let Some(u) = dim.get("unit") {
        for (d, unit) in strings(u, n, "\"dimension.unit\"")?.iter().enumerate() {
            wave.set_dim_unit(d, unit.as_bytes())
                .map_err(|e| e.detail)?;
        }
    }
    match dim.get("label") {
        None => {}
        Some(Value::Object(label)) => {
            if let Some(full) = label.get("full") {
                for (d, l) in strings(full, n, "\"dimension.label.full\"")?
                    .iter()
                    .enumerate()
                {
                    wave.set_dim_label(d, -1, l.as_bytes())
                        .map_err(|e| e.detail)?;
                }
            }
            if let Some(each) = label.get("each") {
                let total = dims.iter().try_fold(0usize, |acc, &d| {
                    usize::try_from(d).ok().and_then(|d| acc.checked_add(d))
                });
                let total = total.ok_or("\"dimension.label.each\" is too long")?;
                let all = strings(each, total, "\"dimension.label.each\"")?;
                let mut it = all.iter();
                for (d, &size) in dims.iter().enumerate() {
                    for i in 0..size {
                        let l = it.next().expect("counted");
                        if !l.is_empty() {
                            wave.set_dim_label(d, i as i64, l.as_bytes())
                                .map_err(|e| e.detail)?;
                        }
                    }
                }
            }
        }
        Some(_) => return Err("\"dimension.label\" is not an object".into()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wave::serialize_pretty;

    fn parse(json: &str, frames: &[&[u8]]) -> Checked<Wave> {
        let v: Value = serde_json::from_str(json).unwrap();
        let mut b = Buffers::new(frames);
        let w = b.wave(v.as_object().unwrap(), 0)?;
        b.all_used()?;
        Ok(w)
    }

    #[test]
    fn a_serialized_wave_reads_back_identically() {
        let mut w = Wave::new(NT_I16 | NT_CMPLX, &[2, 1]).unwrap();
        w.set_data(&[1, 0, 254, 255, 3, 0, 252, 255]).unwrap();
        w.set_scaling(1, 0.25, 0.001).unwrap();
        w.set_dim_unit(0, b"s").unwrap();
        w.set_dim_label(0, 1, b"r1").unwrap();
        w.set_dim_label(1, -1, b"cols").unwrap();
        w.set_data_unit(b"V");
        w.set_full_scale(-1.5, 2.0);
        w.set_note(b"a \"note\"\n");
        w.set_modification(-5);
        let text = String::from_utf8(serialize_pretty(Some(&w))).unwrap();
        assert_eq!(parse(&text, &[]).unwrap(), w);

        let mut t = Wave::new(TEXT_WAVE_TYPE, &[1, 2]).unwrap();
        t.set_text(1, "ü".as_bytes()).unwrap();
        let text = String::from_utf8(serialize_pretty(Some(&t))).unwrap();
        assert_eq!(parse(&text, &[]).unwrap(), t);

        let mut r = Wave::new(WAVE_TYPE, &[2]).unwrap();
        r.set_wave(1, Some(Box::new(t))).unwrap();
        let text = String::from_utf8(serialize_pretty(Some(&r))).unwrap();
        assert_eq!(parse(&text, &[]).unwrap(), r);
    }

    #[test]
    fn buffers_are_checked_exactly() {
        let bytes: Vec<u8> = [1.5f64, -0.0, f64::MAX]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let ok = r#"{"type":"NT_FP64","data":{"buffer":0},"dimension":{"size":[3]}}"#;
        let w = parse(ok, &[&bytes]).unwrap();
        assert_eq!(w.dims(), [3]);
        let inferred = r#"{"type":"NT_FP64","data":{"buffer":0}}"#;
        assert_eq!(parse(inferred, &[&bytes]).unwrap(), w);
        for (json, frames, needle) in [
            (ok, &[][..], "out of range"),
            (ok, &[&bytes[..16]][..], "needs exactly 24"),
            (ok, &[&bytes[..], b"x"][..], "frame 1 is not referenced"),
            (
                r#"{"type":"NT_FP64","data":{"buffer":-1}}"#,
                &[&bytes[..]][..],
                "frame index",
            ),
            (
                r#"{"type":"NT_FP64","data":{"buffer":0.5}}"#,
                &[&bytes[..]][..],
                "frame index",
            ),
            (
                r#"{"type":"TEXT_WAVE_TYPE","data":{"buffer":0}}"#,
                &[&bytes[..]][..],
                "numeric",
            ),
            (
                r#"{"type":"NT_FP64","data":{"buffer":0,"raw":[]}}"#,
                &[&bytes[..]][..],
                "both",
            ),
        ] {
            let e = parse(json, frames).unwrap_err();
            assert!(e.contains(needle), "{json}: {e}");
        }
    }

    #[test]
    fn malformed_waves_say_what_is_wrong() {
        for (json, needle) in [
            (r#"{"data":{"raw":[]}}"#, "no \"type\""),
            (
                r#"{"type":"NT_FP128","data":{"raw":[]}}"#,
                "unknown wave type",
            ),
            (
                r#"{"type":"NT_FP64 | NT_I8","data":{"raw":[]}}"#,
                "unknown wave type",
            ),
            (
                r#"{"type":"TEXT_WAVE_TYPE | NT_UNSIGNED","data":{"raw":[]}}"#,
                "unknown wave type",
            ),
            (r#"{"type":"NT_FP64"}"#, "no \"data\""),
            (
                r#"{"type":"NT_FP64","data":{"raw":[1,2]},"dimension":{"size":[3]}}"#,
                "2 element",
            ),
            (
                r#"{"type":"NT_FP64","data":{"raw":[1]},"dimension":{"size":[1,1,1,1,1]}}"#,
                "1 to 4",
            ),
            (r#"{"type":"NT_I8","data":{"raw":[128]}}"#, "fits NT_I8"),
            (
                r#"{"type":"NT_I8 | NT_UNSIGNED","data":{"raw":[-1]}}"#,
                "fits",
            ),
            (r#"{"type":"NT_I32","data":{"raw":[1.5]}}"#, "fits"),
            (r#"{"type":"NT_FP64","data":{"raw":["x"]}}"#, "not a number"),
            (
                r#"{"type":"TEXT_WAVE_TYPE","data":{"raw":[1]}}"#,
                "not a string",
            ),
            (
                r#"{"type":"NT_FP64","data":{"raw":[1]},"dimension":{"size":[1],"unit":[]}}"#,
                "dimension.unit",
            ),
            (
                r#"{"type":"NT_FP64","data":{"raw":[1]},"dimension":{"size":[1],"label":{"each":["a","b"]}}}"#,
                "label.each",
            ),
            (
                r#"{"type":"NT_FP64 | NT_CMPLX","data":{"raw":[1]}}"#,
                "complex",
            ),
            (r#"{"type":"NT_FP64","data":{"raw":[1]},"note":3}"#, "note"),
            // Sizes that promise more points than were sent: refused before any allocation.
            (
                r#"{"type":"NT_FP64","data":{"raw":[]},"dimension":{"size":[1000000000000]}}"#,
                "0 element",
            ),
            (
                r#"{"type":"NT_FP64","data":{"raw":[]},"dimension":{"size":[4294967296,4294967296,4294967296]}}"#,
                "memory",
            ),
            (
                r#"{"type":"TEXT_WAVE_TYPE","data":{"raw":[]},"dimension":{"size":[1000000000000]}}"#,
                "0 element",
            ),
        ] {
            let e = parse(json, &[]).unwrap_err();
            assert!(e.contains(needle), "{json}: {e}");
        }
        let w = parse(
            r#"{"type":"NT_FP64","data":{"raw":[1,"nan","-inf",2e300]},"dimension":{"size":[2,2]}}"#,
            &[],
        )
        .unwrap();
        assert_eq!(w.dims(), [2, 2]);
        let u = parse(
            r#"{"type":"NT_I64 | NT_UNSIGNED","data":{"raw":[18446744073709551615]}}"#,
            &[],
        )
        .unwrap();
        assert_eq!(u.numeric_bytes(), Some(&[255u8; 8][..]));
    }
}
