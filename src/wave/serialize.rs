//! The JSON serialization of a wave (SPEC section 5). The numeric `raw` arrays are written by
//! tight loops that format each element straight into the output buffer.

use super::*;
use crate::json_writer::Writer;
use crate::numbers::fast::{fmt_f64_fast, fmt_int, fmt_small, store_bytes, Win, TOKEN_ROOM};
use crate::numbers::{write_f32, write_int, write_uint};
use std::mem::MaybeUninit;

impl Wave {
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

/// Separators up to this length are copied as one fixed-size piece.
const SEP_ROOM: usize = 32;

/// Elements formatted per output block.
pub(super) const BLOCK: usize = 2048;

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
                    crate::numbers::write_f64(v, &mut scratch);
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
        Num::I8 => emit_ints::<i8>(w, data, stride, offset),
        Num::U8 => emit_ints::<u8>(w, data, stride, offset),
        Num::I16 => emit_ints::<i16>(w, data, stride, offset),
        Num::U16 => emit_ints::<u16>(w, data, stride, offset),
        Num::I32 => emit_ints::<i32>(w, data, stride, offset),
        Num::U32 => emit_ints::<u32>(w, data, stride, offset),
        Num::I64 => emit_ints::<i64>(w, data, stride, offset),
        Num::U64 => emit_ints::<u64>(w, data, stride, offset),
    }
}

/// An integer element type of wave data.
trait IntElem {
    /// At most 16 bits: formatted by the branch-free `fmt_small`.
    const SMALL: bool;
    /// The magnitude and sign of the element at `offset` of one element chunk.
    fn parts(chunk: &[u8], offset: usize) -> (u64, bool);
}

macro_rules! int_elem {
    ($t:ty, $small:expr, |$v:ident| $parts:expr) => {
        impl IntElem for $t {
            const SMALL: bool = $small;
            #[inline(always)]
            fn parts(chunk: &[u8], offset: usize) -> (u64, bool) {
                let $v = <$t>::from_ne_bytes(elem(chunk, offset));
                $parts
            }
        }
    };
}

int_elem!(i8, true, |v| (v.unsigned_abs() as u64, v < 0));
int_elem!(u8, true, |v| (v as u64, false));
int_elem!(i16, true, |v| (v.unsigned_abs() as u64, v < 0));
int_elem!(u16, true, |v| (v as u64, false));
int_elem!(i32, false, |v| (v.unsigned_abs() as u64, v < 0));
int_elem!(u32, false, |v| (v as u64, false));
int_elem!(i64, false, |v| (v.unsigned_abs(), v < 0));
int_elem!(u64, false, |v| (v, false));

/// [`emit`] for the integer elements of type `T`.
fn emit_ints<T: IntElem>(w: &mut Writer<'_>, data: &[u8], stride: usize, offset: usize) {
    emit(w, data, stride, |c, win| {
        let (magnitude, neg) = T::parts(c, offset);
        if T::SMALL {
            fmt_small(magnitude as u32, neg, win)
        } else {
            fmt_int(magnitude, neg, win)
        }
    })
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
