//! Waves: typed n-dimensional arrays (column-major, Igor Pro's memory order) and their JSON
//! serialization (SPEC section 5).
//!
//! A [`Wave`] is built once (type and dimension sizes fixed at creation), filled through its
//! setters and then serialized with [`write_wave`] or [`serialize_pretty`]. Numeric data is
//! kept as the host's raw bytes (native endianness, complex values interleaved as re, im) and
//! converted only while writing JSON; the numeric `raw` arrays are written by tight loops that
//! format each element straight into the output buffer.

use crate::error::{Error, Result};
use crate::json::{write_f32, write_int, write_uint, Writer};
use std::collections::BTreeMap;
use std::mem::MaybeUninit;

/// Complex flag (bit), combined with a numeric type.
pub const NT_CMPLX: i32 = 0x01;
/// 32-bit float.
pub const NT_FP32: i32 = 0x02;
/// 64-bit float.
pub const NT_FP64: i32 = 0x04;
/// 8-bit integer.
pub const NT_I8: i32 = 0x08;
/// 16-bit integer.
pub const NT_I16: i32 = 0x10;
/// 32-bit integer.
pub const NT_I32: i32 = 0x20;
/// Unsigned flag (bit), combined with an integer type.
pub const NT_UNSIGNED: i32 = 0x40;
/// 64-bit integer.
pub const NT_I64: i32 = 0x80;
/// Text wave: one byte string per point.
pub const TEXT_WAVE_TYPE: i32 = 0;
/// Data folder reference wave: one data folder path per point.
pub const DATAFOLDER_TYPE: i32 = 0x100;
/// Wave reference wave: one (possibly null) wave per point.
pub const WAVE_TYPE: i32 = 0x4000;

/// The most dimensions a wave can have.
pub const MAX_DIMS: usize = 4;

/// How many levels of wave reference waves may nest (a wave holding waves holding waves ...,
/// counting the outermost). Each level adds three levels of JSON nesting, so the deepest
/// reply stays near 100 levels, within what common JSON parsers accept (serde_json stops at
/// 128); it also keeps serializing and dropping, which recurse, far from the end of the stack.
pub const MAX_NESTING: u32 = 32;

/// A path containing this marks a reference to a data folder that has been killed.
const KILLED_FOLDER: &[u8] = b":_killed folder_:";

/// The element kind of a numeric wave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Num {
    F32,
    F64,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

impl Num {
    /// Size in bytes of one (real) element.
    pub(crate) fn size(self) -> usize {
        match self {
            Num::I8 | Num::U8 => 1,
            Num::I16 | Num::U16 => 2,
            Num::F32 | Num::I32 | Num::U32 => 4,
            Num::F64 | Num::I64 | Num::U64 => 8,
        }
    }
}

/// What a wave holds, by type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Numeric { num: Num, complex: bool },
    Text,
    Waves,
    Dfref,
}

/// Classify an Igor type code; `None` for codes that are not a valid wave type.
pub(crate) fn classify(wtype: i32) -> Option<Kind> {
    match wtype {
        TEXT_WAVE_TYPE => return Some(Kind::Text),
        WAVE_TYPE => return Some(Kind::Waves),
        DATAFOLDER_TYPE => return Some(Kind::Dfref),
        _ => {}
    }
    let complex = wtype & NT_CMPLX != 0;
    let unsigned = wtype & NT_UNSIGNED != 0;
    let num = match (wtype & !(NT_CMPLX | NT_UNSIGNED), unsigned) {
        (NT_FP32, false) => Num::F32,
        (NT_FP64, false) => Num::F64,
        (NT_I8, false) => Num::I8,
        (NT_I16, false) => Num::I16,
        (NT_I32, false) => Num::I32,
        (NT_I64, false) => Num::I64,
        (NT_I8, true) => Num::U8,
        (NT_I16, true) => Num::U16,
        (NT_I32, true) => Num::U32,
        (NT_I64, true) => Num::U64,
        _ => return None,
    };
    Some(Kind::Numeric { num, complex })
}

/// The `type` member for a type code (SPEC 5.3): the base name, then `" | NT_CMPLX"`, then
/// `" | NT_UNSIGNED"`. `None` for a code that is not a valid wave type.
pub fn type_name(wtype: i32) -> Option<String> {
    classify(wtype)?;
    let base = match wtype & !(NT_CMPLX | NT_UNSIGNED) {
        NT_FP32 => "NT_FP32",
        NT_FP64 => "NT_FP64",
        NT_I8 => "NT_I8",
        NT_I16 => "NT_I16",
        NT_I32 => "NT_I32",
        NT_I64 => "NT_I64",
        TEXT_WAVE_TYPE => "TEXT_WAVE_TYPE",
        DATAFOLDER_TYPE => "DATAFOLDER_TYPE",
        WAVE_TYPE => "WAVE_TYPE",
        _ => return None,
    };
    let mut name = base.to_string();
    if wtype & NT_CMPLX != 0 && wtype != TEXT_WAVE_TYPE {
        name.push_str(" | NT_CMPLX");
    }
    if wtype & NT_UNSIGNED != 0 {
        name.push_str(" | NT_UNSIGNED");
    }
    Some(name)
}

/// The points of a wave, by kind. Text, wave and data folder storage grows lazily: points
/// past the end of the vector are empty strings, null waves and null data folders. Numeric
/// storage is either empty (all points zero) or exactly the wave's byte length.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Storage {
    Numeric(Vec<u8>),
    Text(Vec<Vec<u8>>),
    Waves(Vec<Option<Box<Wave>>>),
    Dfref(Vec<Vec<u8>>),
}

/// A typed n-dimensional array with Igor Pro's metadata: per-dimension scaling, units and
/// labels, data units and full scale, a note and a modification date.
///
/// The type and the dimension sizes are fixed at creation; the setters fill in the rest and
/// reject arguments that do not fit (wrong point, wrong dimension, wrong kind of wave) with
/// `INVALID_ARG`. Points are in column-major order: rows vary fastest.
#[derive(Clone, Debug, PartialEq)]
pub struct Wave {
    wtype: i32,
    pub(crate) kind: Kind,
    dims: Vec<u64>,
    points: usize,
    pub(crate) storage: Storage,
    pub(crate) delta: [f64; MAX_DIMS],
    pub(crate) offset: [f64; MAX_DIMS],
    pub(crate) dim_units: [Vec<u8>; MAX_DIMS],
    pub(crate) dim_labels: [Vec<u8>; MAX_DIMS],
    pub(crate) index_labels: [BTreeMap<u64, Vec<u8>>; MAX_DIMS],
    pub(crate) data_unit: Vec<u8>,
    pub(crate) full_scale: (f64, f64),
    pub(crate) note: Option<Vec<u8>>,
    pub(crate) modification: i64,
    /// Levels of wave-reference waves below this one (0: holds no waves).
    height: u32,
    /// In a binary reply: the frame that carries the numeric data (see `binary_reply`).
    pub(crate) buffer: Option<usize>,
}

impl Default for Wave {
    /// An empty (zero-point, one-dimensional) `NT_FP64` wave.
    fn default() -> Wave {
        Wave::new(NT_FP64, &[0]).expect("a zero-point NT_FP64 wave is valid")
    }
}

impl Wave {
    /// A wave of type `wtype` (Igor type code, see the `NT_*` and `*_TYPE` constants) with the
    /// given dimension sizes (1 to 4 entries, each may be 0). Numeric points start as zero,
    /// text points empty, wave points null, data folder points null.
    pub fn new(wtype: i32, dims: &[u64]) -> Result<Wave> {
        let kind = classify(wtype).ok_or_else(|| {
            Error::invalid_arg(format!(
                "Unknown wave type {wtype} ({wtype:#x}): expected NT_FP32, NT_FP64, NT_I8, \
                 NT_I16, NT_I32 or NT_I64 (integers optionally | NT_UNSIGNED, numbers \
                 optionally | NT_CMPLX), TEXT_WAVE_TYPE, WAVE_TYPE or DATAFOLDER_TYPE."
            ))
        })?;
        if dims.is_empty() || dims.len() > MAX_DIMS {
            return Err(Error::invalid_arg(format!(
                "A wave has 1 to {MAX_DIMS} dimensions, not {}.",
                dims.len()
            )));
        }
        let too_many = || {
            Error::invalid_arg(format!(
                "The dimension sizes {dims:?} give more points than can be held in memory."
            ))
        };
        let mut points: u64 = 1;
        for &d in dims {
            points = points.checked_mul(d).ok_or_else(too_many)?;
        }
        // Every kind keeps at most `element size` bytes per point; the limit keeps byte
        // lengths representable.
        let unit = match kind {
            Kind::Numeric { num, complex } => num.size() * if complex { 2 } else { 1 },
            Kind::Text | Kind::Dfref => std::mem::size_of::<Vec<u8>>(),
            Kind::Waves => std::mem::size_of::<Option<Box<Wave>>>(),
        };
        if points > (isize::MAX as u64) / unit as u64 {
            return Err(too_many());
        }
        let storage = match kind {
            Kind::Numeric { .. } => Storage::Numeric(Vec::new()),
            Kind::Text => Storage::Text(Vec::new()),
            Kind::Waves => Storage::Waves(Vec::new()),
            Kind::Dfref => Storage::Dfref(Vec::new()),
        };
        Ok(Wave {
            wtype,
            kind,
            dims: dims.to_vec(),
            points: points as usize,
            storage,
            delta: [1.0; MAX_DIMS],
            offset: [0.0; MAX_DIMS],
            dim_units: Default::default(),
            dim_labels: Default::default(),
            index_labels: Default::default(),
            data_unit: Vec::new(),
            full_scale: (0.0, 0.0),
            note: None,
            modification: 0,
            height: 0,
            buffer: None,
        })
    }

    /// The Igor type code.
    pub fn wave_type(&self) -> i32 {
        self.wtype
    }

    /// The sizes of the used dimensions.
    pub fn dims(&self) -> &[u64] {
        &self.dims
    }

    /// The number of points (product of the dimension sizes).
    pub fn points(&self) -> usize {
        self.points
    }

    /// The number of bytes `set_data` expects: points × element size (× 2 for complex).
    /// `None` for waves that are not numeric.
    pub fn data_len(&self) -> Option<usize> {
        match self.kind {
            Kind::Numeric { num, complex } => {
                Some(self.points * num.size() * if complex { 2 } else { 1 })
            }
            _ => None,
        }
    }

    /// Levels of wave-reference waves nested below this wave (0 when it holds no waves).
    pub fn nesting(&self) -> u32 {
        self.height
    }

    fn type_text(&self) -> String {
        type_name(self.wtype).unwrap_or_else(|| format!("{:#x}", self.wtype))
    }

    pub(crate) fn wrong_kind(&self, what: &str, needed: &str) -> Error {
        Error::invalid_arg(format!(
            "{what} needs {needed}, but this wave is {}.",
            self.type_text()
        ))
    }

    pub(crate) fn check_point(&self, point: usize) -> Result<()> {
        if point >= self.points {
            return Err(Error::invalid_arg(format!(
                "Point {point} is out of range: the wave has {} point(s).",
                self.points
            )));
        }
        Ok(())
    }

    pub(crate) fn check_dim(&self, dim: usize) -> Result<()> {
        if dim >= self.dims.len() {
            return Err(Error::invalid_arg(format!(
                "Dimension {dim} is out of range: the wave has {} dimension(s).",
                self.dims.len()
            )));
        }
        Ok(())
    }

    /// Replace all numeric points with `bytes`: native layout, column-major, complex values
    /// interleaved (re, im). The length must be exactly [`Wave::data_len`].
    pub fn set_data(&mut self, bytes: &[u8]) -> Result<()> {
        let expected = self
            .data_len()
            .ok_or_else(|| self.wrong_kind("Setting numeric data", "a numeric wave"))?;
        if bytes.len() != expected {
            return Err(Error::invalid_arg(format!(
                "The data has {} bytes, but this {} wave of {} point(s) needs exactly {expected}.",
                bytes.len(),
                self.type_text(),
                self.points
            )));
        }
        let Storage::Numeric(data) = &mut self.storage else {
            unreachable!("numeric waves keep numeric storage");
        };
        data.clear();
        data.try_reserve_exact(expected).map_err(|_| {
            Error::invalid_arg(format!("Cannot allocate {expected} bytes for the data."))
        })?;
        data.extend_from_slice(bytes);
        Ok(())
    }

    /// Set text point `point` (any bytes; when written as JSON the text ends at the first NUL
    /// and invalid UTF-8 is replaced).
    pub fn set_text(&mut self, point: usize, s: &[u8]) -> Result<()> {
        let Storage::Text(texts) = &mut self.storage else {
            return Err(self.wrong_kind("Setting text", "a text wave (TEXT_WAVE_TYPE)"));
        };
        let points = self.points;
        let texts = grow(texts, point, points, Vec::new)?;
        texts[point] = s.to_vec();
        Ok(())
    }

    /// Check that [`Wave::set_wave`] with these arguments would succeed.
    pub fn check_set_wave(&self, point: usize, child: Option<&Wave>) -> Result<()> {
        if self.kind != Kind::Waves {
            return Err(self.wrong_kind(
                "Setting a wave element",
                "a wave reference wave (WAVE_TYPE)",
            ));
        }
        self.check_point(point)?;
        if let Some(c) = child {
            if c.height + 1 >= MAX_NESTING {
                return Err(Error::invalid_arg(format!(
                    "Wave reference waves may nest at most {MAX_NESTING} levels deep."
                )));
            }
        }
        Ok(())
    }

    /// Set element `point` of a wave reference wave to `child` (`None`: a null wave). On
    /// failure `child` is dropped; use [`Wave::check_set_wave`] first to keep it.
    pub fn set_wave(&mut self, point: usize, child: Option<Box<Wave>>) -> Result<()> {
        self.check_set_wave(point, child.as_deref())?;
        let points = self.points;
        let Storage::Waves(waves) = &mut self.storage else {
            unreachable!("wave reference waves keep wave storage");
        };
        let waves = grow(waves, point, points, || None)?;
        let levels = |c: &Option<Box<Wave>>| c.as_ref().map_or(0, |c| c.height + 1);
        let (old, new) = (levels(&waves[point]), levels(&child));
        waves[point] = child;
        if new >= self.height {
            self.height = new;
        } else if old == self.height {
            // The deepest element may have been replaced: look at all of them again.
            self.height = waves.iter().map(levels).max().unwrap_or(0);
        }
        Ok(())
    }

    /// Set element `point` of a data folder reference wave: a full path with trailing colon
    /// (`root:Packages:`), `free` for a free data folder, or `null` / empty for a null
    /// reference. A path containing `:_killed folder_:` is written as `null`.
    pub fn set_dfref(&mut self, point: usize, path: &[u8]) -> Result<()> {
        let Storage::Dfref(paths) = &mut self.storage else {
            return Err(self.wrong_kind(
                "Setting a data folder reference",
                "a data folder reference wave (DATAFOLDER_TYPE)",
            ));
        };
        let points = self.points;
        let paths = grow(paths, point, points, Vec::new)?;
        paths[point] = path.to_vec();
        Ok(())
    }

    /// Set the scaling of dimension `dim`: the value of index i is `offset + i * delta`.
    /// Defaults are delta 1 and offset 0.
    pub fn set_scaling(&mut self, dim: usize, delta: f64, offset: f64) -> Result<()> {
        self.check_dim(dim)?;
        self.delta[dim] = delta;
        self.offset[dim] = offset;
        Ok(())
    }

    /// Set the units of dimension `dim` (empty: none).
    pub fn set_dim_unit(&mut self, dim: usize, unit: &[u8]) -> Result<()> {
        self.check_dim(dim)?;
        self.dim_units[dim] = unit.to_vec();
        Ok(())
    }

    /// Set a dimension label: `index` -1 labels the whole dimension, 0 to size-1 labels that
    /// row (column, layer, chunk). An empty label removes it.
    pub fn set_dim_label(&mut self, dim: usize, index: i64, label: &[u8]) -> Result<()> {
        self.check_dim(dim)?;
        let size = self.dims[dim];
        if index == -1 {
            self.dim_labels[dim] = label.to_vec();
            return Ok(());
        }
        if index < -1 || index as u64 >= size {
            return Err(Error::invalid_arg(format!(
                "Label index {index} is out of range: dimension {dim} has size {size} \
                 (use -1 for the label of the whole dimension)."
            )));
        }
        if label.is_empty() {
            self.index_labels[dim].remove(&(index as u64));
        } else {
            self.index_labels[dim].insert(index as u64, label.to_vec());
        }
        Ok(())
    }

    /// Set the data units (empty: none).
    pub fn set_data_unit(&mut self, unit: &[u8]) {
        self.data_unit = unit.to_vec();
    }

    /// Set the data full scale (Igor's `SetScale d min, max`). Both 0 (the default) or both
    /// NaN means unset.
    pub fn set_full_scale(&mut self, min: f64, max: f64) {
        self.full_scale = (min, max);
    }

    /// Set the wave note. An empty note is still a note and is written as `"note": ""`.
    pub fn set_note(&mut self, note: &[u8]) {
        self.note = Some(note.to_vec());
    }

    /// Remove the wave note.
    pub fn clear_note(&mut self) {
        self.note = None;
    }

    /// Set the modification date, seconds since 1970-01-01 (0: unknown, as for free waves).
    pub fn set_modification(&mut self, unix_seconds: i64) {
        self.modification = unix_seconds;
    }

    /// Write this wave's JSON object at the writer's current position.
    pub fn write_json(&self, w: &mut Writer<'_>) {
        w.begin(b'{');

        w.key("data");
        w.begin(b'{');
        if let Some(k) = self.buffer {
            w.key("buffer");
            w.raw(k.to_string().as_bytes());
        }
        let (min, max) = self.full_scale;
        let unset = (min == 0.0 && max == 0.0) || (min.is_nan() && max.is_nan());
        if !unset {
            w.key("fullScale");
            w.begin(b'[');
            w.f64(min);
            w.f64(max);
            w.end(b']');
        }
        if self.buffer.is_none() {
            w.key("raw");
            self.write_raw(w);
        }
        if !self.data_unit.is_empty() {
            w.key("unit");
            w.str(&self.data_unit);
        }
        w.end(b'}');

        w.key("date");
        w.begin(b'{');
        w.key("modification");
        w.prefix();
        write_int(self.modification, w.out);
        w.end(b'}');

        self.write_dimension(w);

        if let Some(note) = &self.note {
            w.key("note");
            w.str(note);
        }

        w.key("type");
        w.str(self.type_text().as_bytes());
        w.end(b'}');
    }

    /// An upper bound of the size in bytes of this wave's pretty JSON written at nesting depth
    /// `depth` (the compact form is never longer); `None` when it does not fit in `usize`.
    /// Lets callers reserve the output memory fallibly before writing, so an absurdly large
    /// wave is an error instead of an allocation failure that would end the process.
    pub fn json_size_bound(&self, depth: usize) -> Option<usize> {
        // One array element or object member: newline, indentation, separator, quotes.
        let line = |d: usize| d.checked_mul(4)?.checked_add(4);
        // A string value: every byte may become a six-byte escape.
        let text = |b: &[u8], d: usize| line(d)?.checked_add(b.len().checked_mul(6)?);
        let sum = |acc: usize, x: Option<usize>| acc.checked_add(x?);
        let inner = depth.checked_add(4)?;
        let n = self.dims.len();
        // The fixed members: keys, sizes, scaling, full scale, date, type.
        let mut total = line(inner)?.checked_mul(64)?.checked_add(1024)?;
        total = match &self.storage {
            Storage::Numeric(_) => {
                let values = if matches!(self.kind, Kind::Numeric { complex: true, .. }) {
                    self.points.checked_mul(2)?
                } else {
                    self.points
                };
                sum(total, values.checked_mul(line(inner)?.checked_add(56)?))?
            }
            Storage::Text(texts) | Storage::Dfref(texts) => {
                let t = self.points.checked_mul(line(inner)?.checked_add(8)?)?;
                let t = texts.iter().try_fold(t, |acc, b| sum(acc, text(b, 0)))?;
                sum(total, Some(t))?
            }
            Storage::Waves(waves) => {
                let t = self.points.checked_mul(line(inner)?.checked_add(4)?)?;
                let t = waves.iter().flatten().try_fold(t, |acc, c| {
                    sum(acc, c.json_size_bound(inner.checked_add(1)?))
                })?;
                sum(total, Some(t))?
            }
        };
        if self.index_labels[..n].iter().any(|m| !m.is_empty()) {
            let entries = self
                .dims
                .iter()
                .try_fold(0u64, |acc, &d| acc.checked_add(d))?;
            let entries = usize::try_from(entries).ok()?;
            total = sum(total, entries.checked_mul(line(inner)?.checked_add(2)?))?;
            for labels in &self.index_labels[..n] {
                total = labels
                    .values()
                    .try_fold(total, |acc, l| sum(acc, text(l, 0)))?;
            }
        }
        for d in 0..n {
            total = sum(total, text(&self.dim_labels[d], inner))?;
            total = sum(total, text(&self.dim_units[d], inner))?;
        }
        total = sum(total, text(&self.data_unit, inner))?;
        if let Some(note) = &self.note {
            total = sum(total, text(note, inner))?;
        }
        Some(total)
    }

    fn write_dimension(&self, w: &mut Writer<'_>) {
        let n = self.dims.len();
        w.key("dimension");
        w.begin(b'{');

        let scaled = (0..n).any(|d| self.delta[d] != 1.0 || self.offset[d] != 0.0);
        if scaled {
            w.key("delta");
            w.begin(b'[');
            for &d in &self.delta[..n] {
                w.f64(d);
            }
            w.end(b']');
        }

        let any_each = self.index_labels[..n].iter().any(|m| !m.is_empty());
        let any_full = self.dim_labels[..n].iter().any(|l| !l.is_empty());
        if any_each || any_full {
            w.key("label");
            w.begin(b'{');
            if any_each {
                w.key("each");
                w.begin(b'[');
                for d in 0..n {
                    let labels = &self.index_labels[d];
                    if labels.is_empty() {
                        for _ in 0..self.dims[d] {
                            w.str(b"");
                        }
                        continue;
                    }
                    for i in 0..self.dims[d] {
                        w.str(labels.get(&i).map_or(&[][..], |l| l.as_slice()));
                    }
                }
                w.end(b']');
            }
            if any_full {
                w.key("full");
                w.begin(b'[');
                for l in &self.dim_labels[..n] {
                    w.str(l);
                }
                w.end(b']');
            }
            w.end(b'}');
        }

        if scaled {
            w.key("offset");
            w.begin(b'[');
            for &o in &self.offset[..n] {
                w.f64(o);
            }
            w.end(b']');
        }

        w.key("size");
        w.begin(b'[');
        for &s in &self.dims {
            w.prefix();
            write_uint(s, w.out);
        }
        w.end(b']');

        if self.dim_units[..n].iter().any(|u| !u.is_empty()) {
            w.key("unit");
            w.begin(b'[');
            for u in &self.dim_units[..n] {
                w.str(u);
            }
            w.end(b']');
        }

        w.end(b'}');
    }

    fn write_raw(&self, w: &mut Writer<'_>) {
        match (&self.storage, self.kind) {
            (Storage::Numeric(data), Kind::Numeric { num, complex }) => {
                let len = self.points * num.size() * if complex { 2 } else { 1 };
                if data.len() != len {
                    // Never set: every point is zero (written without a zero buffer).
                    let zeros = |w: &mut Writer<'_>| {
                        w.begin(b'[');
                        for _ in 0..self.points {
                            w.raw(b"0");
                        }
                        w.end(b']');
                    };
                    if complex {
                        w.begin(b'{');
                        w.key("imag");
                        zeros(w);
                        w.key("real");
                        zeros(w);
                        w.end(b'}');
                    } else {
                        zeros(w);
                    }
                    return;
                }
                if complex {
                    let stride = 2 * num.size();
                    w.begin(b'{');
                    w.key("imag");
                    write_numbers(w, num, data, stride, num.size());
                    w.key("real");
                    write_numbers(w, num, data, stride, 0);
                    w.end(b'}');
                } else {
                    write_numbers(w, num, data, num.size(), 0);
                }
            }
            (Storage::Text(texts), _) => {
                w.begin(b'[');
                for p in 0..self.points {
                    let t = texts.get(p).map_or(&[][..], |t| t.as_slice());
                    let end = t.iter().position(|&b| b == 0).unwrap_or(t.len());
                    w.str(&t[..end]);
                }
                w.end(b']');
            }
            (Storage::Waves(waves), _) => {
                w.begin(b'[');
                for p in 0..self.points {
                    write_wave(waves.get(p).and_then(|c| c.as_deref()), w);
                }
                w.end(b']');
            }
            (Storage::Dfref(paths), _) => {
                w.begin(b'[');
                for p in 0..self.points {
                    let path = paths.get(p).map_or(&[][..], |t| t.as_slice());
                    if path.is_empty() || contains(path, KILLED_FOLDER) {
                        w.str(b"null");
                    } else {
                        w.str(path);
                    }
                }
                w.end(b']');
            }
            _ => unreachable!("storage always matches the wave's kind"),
        }
    }
}

/// Make sure lazily grown storage reaches `point` (which must be below `points`).
fn grow<T>(
    v: &mut Vec<T>,
    point: usize,
    points: usize,
    fill: impl FnMut() -> T,
) -> Result<&mut Vec<T>> {
    if point >= points {
        return Err(Error::invalid_arg(format!(
            "Point {point} is out of range: the wave has {points} point(s)."
        )));
    }
    if v.len() <= point {
        v.try_reserve(point + 1 - v.len()).map_err(|_| {
            Error::invalid_arg(format!("Cannot allocate storage for point {point}."))
        })?;
        v.resize_with(point + 1, fill);
    }
    Ok(v)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Write a wave (or `null`) at the writer's current position.
pub fn write_wave(wave: Option<&Wave>, w: &mut Writer<'_>) {
    match wave {
        None => w.raw(b"null"),
        Some(wave) => wave.write_json(w),
    }
}

/// A wave's pretty JSON text (4-space indent), as `zeromq_test_serializeWave` returns it;
/// `None` gives `null`. `None` is returned when the memory for the text cannot be had (see
/// [`Wave::json_size_bound`]).
pub fn try_serialize_pretty(wave: Option<&Wave>) -> Option<Vec<u8>> {
    let bound = match wave {
        None => 4,
        Some(w) => w.json_size_bound(0)?,
    };
    let mut out = Vec::new();
    out.try_reserve_exact(bound).ok()?;
    write_wave(wave, &mut Writer::new(&mut out, true));
    if out.capacity() - out.len() > out.len() / 8 + 64 {
        out.shrink_to_fit();
    }
    Some(out)
}

/// A wave's pretty JSON text (4-space indent), as `zeromq_test_serializeWave` returns it;
/// `None` gives `null`.
pub fn serialize_pretty(wave: Option<&Wave>) -> Vec<u8> {
    let mut out = Vec::new();
    write_wave(wave, &mut Writer::new(&mut out, true));
    if out.capacity() - out.len() > out.len() / 8 + 64 {
        out.shrink_to_fit();
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Numeric arrays

/// Room one formatted element may use in the output. Every token is shorter (the longest,
/// `-2.2250738585072e-308`, has 22 bytes); the rest lets the formatters store whole 8- and
/// 16-byte words instead of single bytes.
const TOKEN_ROOM: usize = 48;

/// Separators up to this length are copied as one fixed-size piece.
const SEP_ROOM: usize = 32;

/// Elements formatted per output block.
const BLOCK: usize = 2048;

/// The output window one element is formatted into (part of the buffer's spare capacity).
type Win = [MaybeUninit<u8>; TOKEN_ROOM];

/// Store the little-endian bytes of `word` at `win[at..at + 8]`.
#[inline(always)]
fn store8(win: &mut [MaybeUninit<u8>], at: usize, word: u64) {
    let dst: &mut [MaybeUninit<u8>; 8] = (&mut win[at..at + 8]).try_into().expect("8 bytes");
    dst.write_copy_of_slice(&word.to_le_bytes());
}

/// Store the little-endian bytes of `word` at `win[at..at + 16]`.
#[inline(always)]
fn store16(win: &mut [MaybeUninit<u8>], at: usize, word: u128) {
    let dst: &mut [MaybeUninit<u8>; 16] = (&mut win[at..at + 16]).try_into().expect("16 bytes");
    dst.write_copy_of_slice(&word.to_le_bytes());
}

/// Store `bytes` at the start of `win`; returns their length.
#[inline]
fn store_bytes(win: &mut Win, bytes: &[u8]) -> usize {
    let n = bytes.len().min(TOKEN_ROOM);
    win[..n].write_copy_of_slice(&bytes[..n]);
    n
}

/// Write the array of every `stride`-th element (starting at byte `offset`) of `data` as a
/// JSON array at the writer's position.
fn write_numbers(w: &mut Writer<'_>, num: Num, data: &[u8], stride: usize, offset: usize) {
    match num {
        Num::F64 => {
            let mut scratch = Vec::new();
            emit(w, data, stride, |c, win| {
                let v = f64::from_ne_bytes(elem(c, offset));
                fmt_f64_fast(v, win).unwrap_or_else(|| {
                    scratch.clear();
                    crate::json::write_f64(v, &mut scratch);
                    store_bytes(win, &scratch)
                })
            })
        }
        Num::F32 => {
            let mut scratch = Vec::with_capacity(TOKEN_ROOM);
            emit(w, data, stride, |c, win| {
                scratch.clear();
                write_f32(f32::from_ne_bytes(elem(c, offset)), &mut scratch);
                store_bytes(win, &scratch)
            })
        }
        Num::I8 => emit(w, data, stride, |c, win| {
            let v = i8::from_ne_bytes(elem(c, offset));
            fmt_small(v.unsigned_abs() as u32, v < 0, win)
        }),
        Num::U8 => emit(w, data, stride, |c, win| {
            fmt_small(u8::from_ne_bytes(elem(c, offset)) as u32, false, win)
        }),
        Num::I16 => emit(w, data, stride, |c, win| {
            let v = i16::from_ne_bytes(elem(c, offset));
            fmt_small(v.unsigned_abs() as u32, v < 0, win)
        }),
        Num::U16 => emit(w, data, stride, |c, win| {
            fmt_small(u16::from_ne_bytes(elem(c, offset)) as u32, false, win)
        }),
        Num::I32 => emit(w, data, stride, |c, win| {
            let v = i32::from_ne_bytes(elem(c, offset));
            fmt_int(v.unsigned_abs() as u64, v < 0, win)
        }),
        Num::U32 => emit(w, data, stride, |c, win| {
            fmt_int(u32::from_ne_bytes(elem(c, offset)) as u64, false, win)
        }),
        Num::I64 => emit(w, data, stride, |c, win| {
            let v = i64::from_ne_bytes(elem(c, offset));
            fmt_int(v.unsigned_abs(), v < 0, win)
        }),
        Num::U64 => emit(w, data, stride, |c, win| {
            fmt_int(u64::from_ne_bytes(elem(c, offset)), false, win)
        }),
    }
}

/// The `N` bytes at `offset` of one element chunk.
#[inline(always)]
fn elem<const N: usize>(chunk: &[u8], offset: usize) -> [u8; N] {
    chunk[offset..offset + N]
        .try_into()
        .expect("element inside its chunk")
}

/// Write the elements of `data` (one per `stride` bytes) as a JSON array. `fmt` formats one
/// element into its output window and returns the token's length.
///
/// The separators match [`Writer`]'s layout: the writer itself emits the first element's
/// line break and indentation, which is then reused verbatim (after a comma) for every
/// following element. Output is written block by block into the buffer's spare capacity:
/// every separator and token goes into a fixed-size window starting where the previous piece
/// ended, and the write position advances by the piece's real length.
fn emit<F>(w: &mut Writer<'_>, data: &[u8], stride: usize, mut fmt: F)
where
    F: FnMut(&[u8], &mut Win) -> usize,
{
    w.begin(b'[');
    let count = data.len() / stride;
    if count == 0 {
        w.end(b']');
        return;
    }
    // Let the writer place the first element: what it writes is the line break and indent.
    let mark = w.out.len();
    w.prefix();
    let mut sep = Vec::with_capacity(w.out.len() - mark + 1);
    sep.push(b',');
    sep.extend_from_slice(&w.out[mark..]);

    let out = &mut *w.out;
    let per = sep.len() + TOKEN_ROOM;
    // Room for the worst case, so that the blocks below never move the buffer.
    let _ = out.try_reserve(
        count
            .saturating_mul(per)
            .saturating_add(SEP_ROOM + TOKEN_ROOM),
    );
    prefer_huge_pages(out);

    let mut padded = [MaybeUninit::new(0u8); SEP_ROOM];
    let short_sep = sep.len() <= SEP_ROOM;
    if short_sep {
        padded[..sep.len()].write_copy_of_slice(&sep);
    }
    let mut first = true;
    for block in data[..count * stride].chunks(BLOCK * stride) {
        let n = block.len() / stride;
        out.reserve(n * per + SEP_ROOM + TOKEN_ROOM);
        let spare = out.spare_capacity_mut();
        let mut pos = 0;
        for c in block.chunks_exact(stride) {
            if first {
                // The writer has already put the first element's line break.
                first = false;
            } else if short_sep {
                let win: &mut [MaybeUninit<u8>; SEP_ROOM] = (&mut spare[pos..pos + SEP_ROOM])
                    .try_into()
                    .expect("window");
                *win = padded;
                pos += sep.len();
            } else {
                spare[pos..pos + sep.len()].write_copy_of_slice(&sep);
                pos += sep.len();
            }
            let win: &mut Win = (&mut spare[pos..pos + TOKEN_ROOM])
                .try_into()
                .expect("window");
            pos += fmt(c, win);
        }
        let len = out.len() + pos;
        // SAFETY: `reserve` made room for the whole block, and the first `pos` bytes of the
        // spare capacity are initialized: each separator and token window above starts where
        // the previous piece ended and the formatter initialized at least the bytes it
        // reported.
        unsafe { out.set_len(len) };
    }
    w.end(b']');
}

/// Ask the kernel to back the spare capacity of a large output buffer with huge pages. The
/// output of a big array is written once, front to back, into fresh memory; with 4 KiB pages
/// the first-touch page faults cost more than formatting the numbers. Only a hint: failures
/// are ignored, and other systems do nothing here.
#[cfg(target_os = "linux")]
fn prefer_huge_pages(out: &mut Vec<u8>) {
    const HUGE: usize = 2 << 20;
    let spare = out.spare_capacity_mut();
    if spare.len() < 4 * HUGE {
        return;
    }
    let start = spare.as_mut_ptr() as usize;
    let first = (start + HUGE - 1) & !(HUGE - 1);
    let last = (start + spare.len()) & !(HUGE - 1);
    if last > first {
        // SAFETY: [first, last) lies inside the vector's own allocation and is page aligned;
        // MADV_HUGEPAGE changes only how the kernel backs those pages, never their contents,
        // their validity or who owns them.
        unsafe {
            libc::madvise(
                first as *mut libc::c_void,
                last - first,
                libc::MADV_HUGEPAGE,
            );
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn prefer_huge_pages(_out: &mut Vec<u8>) {}

/// The ASCII digit pairs "00" to "99" as little-endian 16-bit words (tens digit first).
const PAIRS: [u16; 100] = {
    let mut t = [0u16; 100];
    let mut i = 0;
    while i < 100 {
        t[i] = (b'0' as u16 + (i / 10) as u16) | (b'0' as u16 + (i % 10) as u16) << 8;
        i += 1;
    }
    t
};

/// Eight ASCII digits of `v` (< 10^8, with leading zeros) as a little-endian word: the most
/// significant digit is the lowest byte.
#[inline(always)]
fn digits8(v: u32) -> u64 {
    let (hi, lo) = (v / 10_000, v % 10_000);
    PAIRS[(hi / 100) as usize] as u64
        | (PAIRS[(hi % 100) as usize] as u64) << 16
        | (PAIRS[(lo / 100) as usize] as u64) << 32
        | (PAIRS[(lo % 100) as usize] as u64) << 48
}

/// 10^0 ..= 10^19.
const POW10: [u64; 20] = {
    let mut t = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// Number of decimal digits of `v` (1 for 0).
#[inline(always)]
fn digit_count(v: u64) -> usize {
    // `v | 1` has the same digit count as `v` (powers of ten from 10 on are even) and is not 0.
    let v = v | 1;
    let bits = 64 - v.leading_zeros();
    let t = ((bits * 1233) >> 12) as usize;
    t + (v >= POW10[t]) as usize
}

/// The token of an integer of at most five digits (`a` < 100000) after an optional minus
/// sign. All five digits are computed into one word whose leading zeros are then shifted
/// out, so no branch depends on the value.
#[inline(always)]
fn fmt_small(a: u32, neg: bool, win: &mut Win) -> usize {
    let n = 1
        + (a >= 10) as usize
        + (a >= 100) as usize
        + (a >= 1000) as usize
        + (a >= 10_000) as usize;
    let word = digits8(a) >> (8 * (8 - n));
    let neg = neg as usize;
    win[0] = MaybeUninit::new(b'-');
    store8(win, neg, word);
    n + neg
}

/// The token of an integer with magnitude `a` and an optional minus sign.
#[inline(always)]
fn fmt_int(a: u64, neg: bool, win: &mut Win) -> usize {
    let neg = neg as usize;
    win[0] = MaybeUninit::new(b'-');
    neg + put_int(a, &mut win[neg..])
}

/// The decimal digits of `a` at the start of `dst` (which needs 24 bytes of room); returns
/// their count.
#[inline(always)]
fn put_int(a: u64, dst: &mut [MaybeUninit<u8>]) -> usize {
    const E8: u64 = 100_000_000;
    let n = digit_count(a);
    if a < E8 {
        store8(dst, 0, digits8(a as u32) >> (8 * (8 - n)));
    } else if a < E8 * E8 {
        let (hi, lo) = ((a / E8) as u32, (a % E8) as u32);
        store8(dst, 0, digits8(hi) >> (8 * (16 - n)));
        store8(dst, n - 8, digits8(lo));
    } else {
        let (hi, lo) = (a / E8, (a % E8) as u32);
        let (top, mid) = ((hi / E8) as u32, (hi % E8) as u32);
        store8(dst, 0, digits8(top) >> (8 * (24 - n)));
        store8(dst, n - 16, digits8(mid));
        store8(dst, n - 8, digits8(lo));
    }
    n
}

// ---------------------------------------------------------------------------------------------
// float64 tokens: C's `%.15g`, non-finite values as "nan", "inf", "-inf" strings

/// 5^0 ..= 5^55 (5^55 < 2^128).
const POW5: [u128; 56] = {
    let mut t = [1u128; 56];
    let mut i = 1;
    while i < 56 {
        t[i] = t[i - 1] * 5;
        i += 1;
    }
    t
};

const E14: u64 = 100_000_000_000_000;
const E15: u64 = 1_000_000_000_000_000;

/// `%.15g` of `v` into `win` with its length, or `None` when `v` is outside the range this
/// function handles (subnormal, below about 1e-41, non-integral from 1e15 on, or integral and
/// at least 2^64); [`crate::json::write_f64`] formats those.
#[inline]
fn fmt_f64_fast(v: f64, win: &mut Win) -> Option<usize> {
    let bits = v.to_bits();
    let be = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let neg = (bits >> 63) as usize;
    if be == 0x7ff {
        let t: &[u8] = if frac != 0 {
            b"\"nan\""
        } else if neg == 1 {
            b"\"-inf\""
        } else {
            b"\"inf\""
        };
        return Some(store_bytes(win, t));
    }
    win[0] = MaybeUninit::new(b'-');
    let dst = &mut win[neg..];
    if be == 0 {
        if frac == 0 {
            dst[0] = MaybeUninit::new(b'0');
            return Some(neg + 1);
        }
        return None;
    }
    let m = frac | (1u64 << 52);
    let e = be - 1075; // |v| = m * 2^e
    let n = if e >= 0 {
        if e > 11 {
            return None;
        }
        fmt_integral(m << e, dst)
    } else if e > -53 && m & ((1u64 << -e) - 1) == 0 {
        fmt_integral(m >> -e, dst)
    } else {
        let (digits, exp) = digits15(m, e)?;
        place(digits, exp, dst)
    };
    Some(neg + n)
}

/// `%.15g` of a non-negative integer.
#[inline]
fn fmt_integral(n: u64, dst: &mut [MaybeUninit<u8>]) -> usize {
    if n < E15 {
        return put_int(n, dst);
    }
    // Round to 15 significant digits, ties to even (the value is exact).
    let len = digit_count(n);
    let div = POW10[len - 15];
    let (mut q, r) = (n / div, n % div);
    let half = div / 2;
    if r > half || (r == half && q & 1 == 1) {
        q += 1;
    }
    let mut exp = len as i32 - 1;
    if q == E15 {
        q = E14;
        exp += 1;
    }
    place(q, exp, dst)
}

/// The 15 significant digits (as an integer in [1e14, 1e15)) of the non-integral value
/// `m * 2^e` (m with its top bit 52 set), correctly rounded with exact ties to even, and the
/// decimal exponent of the first digit. `None` when the value is outside the range of the
/// 192-bit arithmetic used here.
#[inline]
fn digits15(m: u64, e: i32) -> Option<(u64, i32)> {
    // floor(log10(2^(e+52))) (one more for some negative exponents): the exponent of the
    // first digit is this or one more, or one less in that case.
    let mut exp = ((e + 52) * 78913) >> 18;
    for _ in 0..3 {
        let k = 14 - exp;
        if !(0..=55).contains(&k) {
            return None;
        }
        // v * 10^k = m * 5^k * 2^(e + k); the shift is always to the right here.
        let s = -(e + k);
        if s <= 0 || s >= 190 {
            return None;
        }
        let p = mul_192(m, POW5[k as usize]);
        let s = s as u32;
        let floor = shr_192(p, s);
        if floor >= E15 {
            exp += 1;
            continue;
        }
        if floor < E14 {
            exp -= 1;
            continue;
        }
        let half = bit_192(p, s - 1);
        let below = s >= 2 && low_bits_nonzero_192(p, s - 1);
        let mut d = floor;
        if half && (below || d & 1 == 1) {
            d += 1;
        }
        if d == E15 {
            return Some((E14, exp + 1));
        }
        return Some((d, exp));
    }
    None
}

/// `m * p` as three 64-bit limbs, least significant first.
#[inline(always)]
fn mul_192(m: u64, p: u128) -> [u64; 3] {
    let lo = m as u128 * (p as u64) as u128;
    let hi = m as u128 * (p >> 64);
    let mid = (lo >> 64) + (hi as u64) as u128;
    [lo as u64, mid as u64, ((hi >> 64) + (mid >> 64)) as u64]
}

/// The low 64 bits of `p >> s` (s < 192).
#[inline(always)]
fn shr_192(p: [u64; 3], s: u32) -> u64 {
    let word = (s / 64) as usize;
    let bit = s % 64;
    let mut r = p[word] >> bit;
    if bit > 0 && word + 1 < 3 {
        r |= p[word + 1] << (64 - bit);
    }
    r
}

/// Bit `i` of `p`.
#[inline(always)]
fn bit_192(p: [u64; 3], i: u32) -> bool {
    (p[(i / 64) as usize] >> (i % 64)) & 1 == 1
}

/// Whether any of the bits below bit `i` of `p` is set.
#[inline(always)]
fn low_bits_nonzero_192(p: [u64; 3], i: u32) -> bool {
    let word = (i / 64) as usize;
    let bit = i % 64;
    if p[..word].iter().any(|&x| x != 0) {
        return true;
    }
    bit > 0 && p[word] & ((1u64 << bit) - 1) != 0
}

/// Lay out 15 significant digits `d` (in [1e14, 1e15)) with decimal exponent `exp` the way
/// `%.15g` does: trailing zeros removed, fixed notation for exponents -4 to 14, otherwise
/// `d.ddde±XX`. Returns the length written; `dst` needs 24 bytes of room, of which bytes past
/// the returned length are scratch.
#[inline]
fn place(d: u64, exp: i32, dst: &mut [MaybeUninit<u8>]) -> usize {
    const ZEROS: u128 = u128::from_le_bytes([b'0'; 16]);
    // The 15 digits in bytes 0..15 (first digit lowest), byte 15 a '0'.
    let hi = digits8((d / 100_000_000) as u32) >> 8;
    let lo = digits8((d % 100_000_000) as u32);
    let x = hi as u128 | (lo as u128) << 56 | (b'0' as u128) << 120;
    // Trailing zeros: each '0' byte XORs to zero; the first digit is never zero.
    let len = 16 - ((x ^ ZEROS).leading_zeros() / 8) as usize;
    if (0..15).contains(&exp) {
        let int_len = exp as usize + 1;
        if len <= int_len {
            // The digits past `len` are zeros, so the first `int_len` are the integer.
            store16(dst, 0, x);
            return int_len;
        }
        let bits = 8 * int_len as u32;
        let head = x & ((1u128 << bits) - 1);
        let tail = (x >> bits) << (bits + 8);
        store16(dst, 0, head | (b'.' as u128) << bits | tail);
        len + 1
    } else if (-4..0).contains(&exp) {
        let zeros = (-exp - 1) as usize;
        store8(dst, 0, u64::from_le_bytes(*b"0.000000"));
        store16(dst, 2 + zeros, x);
        2 + zeros + len
    } else {
        let mut pos = 1;
        if len > 1 {
            store16(dst, 0, (x & 0xff) | (b'.' as u128) << 8 | (x >> 8) << 16);
            pos = len + 1;
        } else {
            store8(dst, 0, x as u64);
        }
        let a = exp.unsigned_abs();
        let sign = if exp < 0 { b'-' } else { b'+' } as u64;
        let (word, n) = if a < 100 {
            (PAIRS[a as usize] as u64, 4)
        } else {
            let three = (b'0' as u64 + (a / 100) as u64) | (PAIRS[(a % 100) as usize] as u64) << 8;
            (three, 5)
        };
        store8(dst, pos, b'e' as u64 | sign << 8 | word << 16);
        pos + n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    use crate::json::c_g15;

    fn token(v: f64) -> String {
        let w = f64s(&[1], &[v]);
        let s = compact(&w);
        let start = s.find("\"raw\":[").unwrap() + 7;
        let end = s[start..].find(']').unwrap();
        s[start..start + end].to_string()
    }

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
        let got: Vec<i64> = raw(&w)
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect();
        assert_eq!(got, vals);
    }

    #[test]
    fn text_points() {
        let mut w = Wave::new(TEXT_WAVE_TYPE, &[7]).unwrap();
        w.set_text(0, "äßü".as_bytes()).unwrap();
        w.set_text(1, b"say \"hi\"\\").unwrap();
        w.set_text(2, b"cut\0here").unwrap();
        w.set_text(3, b"bad \xff\xfe utf8").unwrap();
        w.set_text(4, b"tab\tnl\n\x01").unwrap();
        w.set_text(6, b"").unwrap();
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
        let mut w = Wave::new(DATAFOLDER_TYPE, &[7]).unwrap();
        w.set_dfref(0, b"root:").unwrap();
        w.set_dfref(1, b"root:Packages:").unwrap();
        w.set_dfref(2, b"free").unwrap();
        w.set_dfref(3, b"null").unwrap();
        w.set_dfref(4, b"root:_killed folder_:x:").unwrap();
        w.set_dfref(5, b"").unwrap();
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
        let got: Vec<i64> = raw(&w)
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect();
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
}
