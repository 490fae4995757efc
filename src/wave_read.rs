//! Reading a wave back: its points and metadata, for hosts that receive wave parameters
//! (`zeromq_call_param_wave` and the `zeromq_wave_*` getters) and for binary replies.

use crate::error::{Error, Result};
use crate::wave::{Kind, Storage, Wave};

/// `len` zero bytes, or `None` when the memory cannot be had. The memory comes zeroed from the
/// allocator (fresh pages are not written until used), and the length equals the capacity, so
/// the buffer can later be handed to libzmq as it is.
fn zeroed_bytes(len: usize) -> Option<Vec<u8>> {
    if len == 0 {
        return Some(Vec::new());
    }
    let layout = std::alloc::Layout::array::<u8>(len).ok()?;
    // SAFETY: the layout has a non-zero size; the pointer, if not NULL, is a zeroed block of
    // exactly `len` bytes from the global allocator with the alignment of u8, which is what a
    // Vec<u8> of capacity `len` owns.
    unsafe {
        let p = std::alloc::alloc_zeroed(layout);
        (!p.is_null()).then(|| Vec::from_raw_parts(p, len, len))
    }
}

impl Wave {
    /// The numeric data (native layout, column-major, complex interleaved); `None` when the
    /// wave is not numeric or its points were never set (all zero, see
    /// [`Wave::fill_unset_data`]).
    pub fn numeric_bytes(&self) -> Option<&[u8]> {
        match &self.storage {
            Storage::Numeric(d) if Some(d.len()) == self.data_len() => Some(d),
            _ => None,
        }
    }

    /// Give a numeric wave whose points were never set its zero bytes, so its data can be
    /// borrowed. Fails only when that memory cannot be had.
    pub fn fill_unset_data(&mut self) -> Result<()> {
        let Some(len) = self.data_len() else {
            return Ok(());
        };
        if let Storage::Numeric(d) = &mut self.storage {
            if d.len() != len {
                *d = zeroed_bytes(len).ok_or_else(|| {
                    Error::invalid_arg(format!("Cannot allocate {len} bytes for the data."))
                })?;
            }
        }
        Ok(())
    }

    /// The numeric data for writing in place (zeros where never set): a host fills a wave
    /// without a buffer of its own. `INVALID_TYPE` for waves that are not numeric.
    pub fn numeric_bytes_mut(&mut self) -> Result<&mut [u8]> {
        if !self.is_numeric() {
            return Err(self.not_a("a numeric wave"));
        }
        self.fill_unset_data()?;
        match &mut self.storage {
            Storage::Numeric(d) => Ok(d),
            _ => unreachable!("numeric waves keep numeric storage"),
        }
    }

    /// Move the numeric data out (for a frame of a binary reply), leaving the points unset.
    pub(crate) fn take_numeric_bytes(&mut self) -> Result<Vec<u8>> {
        self.fill_unset_data()?;
        match &mut self.storage {
            Storage::Numeric(d) => Ok(std::mem::take(d)),
            _ => Ok(Vec::new()),
        }
    }

    /// Whether the wave holds numbers (possibly complex).
    pub fn is_numeric(&self) -> bool {
        matches!(self.kind, Kind::Numeric { .. })
    }

    /// Text point `point` of a text wave (bytes as set; may contain NUL).
    pub fn text_point(&self, point: usize) -> Result<&[u8]> {
        self.check_point(point)?;
        match &self.storage {
            Storage::Text(t) => Ok(t.get(point).map_or(&[][..], Vec::as_slice)),
            _ => Err(self.not_a("a text wave (TEXT_WAVE_TYPE)")),
        }
    }

    /// Point `point` of a data folder reference wave: the path as set (empty: null).
    pub fn dfref_point(&self, point: usize) -> Result<&[u8]> {
        self.check_point(point)?;
        match &self.storage {
            Storage::Dfref(t) => Ok(t.get(point).map_or(&[][..], Vec::as_slice)),
            _ => Err(self.not_a("a data folder reference wave (DATAFOLDER_TYPE)")),
        }
    }

    /// Point `point` of a wave reference wave (`None`: a null wave).
    pub fn wave_point(&self, point: usize) -> Result<Option<&Wave>> {
        self.check_point(point)?;
        match &self.storage {
            Storage::Waves(w) => Ok(w.get(point).and_then(|c| c.as_deref())),
            _ => Err(self.not_a("a wave reference wave (WAVE_TYPE)")),
        }
    }

    /// The wave reference wave's elements, mutable (binary replies move their data out).
    pub(crate) fn children_mut(&mut self) -> impl Iterator<Item = &mut Wave> {
        let children = match &mut self.storage {
            Storage::Waves(w) => Some(w.iter_mut().flatten().map(|b| &mut **b)),
            _ => None,
        };
        children.into_iter().flatten()
    }

    /// `(delta, offset)` of dimension `dim`.
    pub fn scaling(&self, dim: usize) -> Result<(f64, f64)> {
        self.check_dim(dim)?;
        Ok((self.delta[dim], self.offset[dim]))
    }

    /// The units of dimension `dim` (empty: none).
    pub fn dim_unit(&self, dim: usize) -> Result<&[u8]> {
        self.check_dim(dim)?;
        Ok(&self.dim_units[dim])
    }

    /// The label of dimension `dim`: `index` -1 for the whole dimension, else of that row
    /// (column, layer, chunk); empty when unset.
    pub fn dim_label(&self, dim: usize, index: i64) -> Result<&[u8]> {
        self.check_dim(dim)?;
        let size = self.dims()[dim];
        match index {
            -1 => Ok(&self.dim_labels[dim]),
            i if i >= 0 && (i as u64) < size => Ok(self.index_labels[dim]
                .get(&(i as u64))
                .map_or(&[][..], Vec::as_slice)),
            _ => Err(Error::invalid_arg(format!(
                "Label index {index} is out of range: dimension {dim} has size {size} \
                 (use -1 for the label of the whole dimension)."
            ))),
        }
    }

    /// The data units (empty: none).
    pub fn data_unit(&self) -> &[u8] {
        &self.data_unit
    }

    /// The data full scale `(min, max)`; `(0, 0)` when unset.
    pub fn full_scale(&self) -> (f64, f64) {
        self.full_scale
    }

    /// The note, if the wave has one.
    pub fn note(&self) -> Option<&[u8]> {
        self.note.as_deref()
    }

    /// The modification date, seconds since 1970-01-01 (0: unknown).
    pub fn modification(&self) -> i64 {
        self.modification
    }

    /// A getter used on the wrong kind of wave: `INVALID_TYPE`.
    fn not_a(&self, needed: &str) -> Error {
        let mut e = self.wrong_kind("Reading this", needed);
        e.code = crate::error::Code::InvalidType;
        e
    }
}
