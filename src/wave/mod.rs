//! Waves: typed n-dimensional arrays (column-major, Igor Pro's memory order) and their JSON
//! serialization (SPEC section 5).
//!
//! A [`Wave`] is built once (type and dimension sizes fixed at creation), filled through its
//! setters and then serialized by [`serialize`] ([`write_wave`], [`serialize_pretty`]). Numeric
//! data is kept as the host's raw bytes (native endianness, complex values interleaved as re,
//! im) and converted only while writing JSON.

mod serialize;

pub use serialize::{serialize_pretty, try_serialize_pretty, write_wave};

use crate::error::{Error, Result};
use std::collections::BTreeMap;

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
enum Num {
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
    fn size(self) -> usize {
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
enum Kind {
    Numeric { num: Num, complex: bool },
    Text,
    Waves,
    Dfref,
}

/// Classify an Igor type code; `None` for codes that are not a valid wave type.
fn classify(wtype: i32) -> Option<Kind> {
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
enum Storage {
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
    kind: Kind,
    dims: Vec<u64>,
    points: usize,
    storage: Storage,
    delta: [f64; MAX_DIMS],
    offset: [f64; MAX_DIMS],
    dim_units: [Vec<u8>; MAX_DIMS],
    dim_labels: [Vec<u8>; MAX_DIMS],
    index_labels: [BTreeMap<u64, Vec<u8>>; MAX_DIMS],
    data_unit: Vec<u8>,
    full_scale: (f64, f64),
    note: Option<Vec<u8>>,
    modification: i64,
    /// Levels of wave-reference waves below this one (0: holds no waves).
    height: u32,
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

    fn wrong_kind(&self, what: &str, needed: &str) -> Error {
        Error::invalid_arg(format!(
            "{what} needs {needed}, but this wave is {}.",
            self.type_text()
        ))
    }

    fn check_point(&self, point: usize) -> Result<()> {
        if point >= self.points {
            return Err(Error::invalid_arg(format!(
                "Point {point} is out of range: the wave has {} point(s).",
                self.points
            )));
        }
        Ok(())
    }

    fn check_dim(&self, dim: usize) -> Result<()> {
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

#[cfg(test)]
mod tests;
