//! Reading waves: the wave parameters of a call (`zeromq_call_param_wave`) and the getters
//! that read any wave's type, sizes, points and metadata.
//!
//! Everything returned is borrowed from the wave: a parameter's wave lives until the dispatch
//! returns, a wave the host built lives until it is freed or handed over. Byte strings come
//! as `(pointer, length)` pairs and are not NUL-terminated.

use super::handler::zeromq_call;
use super::wave::zeromq_wave;
use super::{call, handle, out_ptr};
use crate::error::{Code, Error, Result};
use crate::protocol::ParamKind;
use crate::wave::{Wave, MAX_DIMS};
use std::ffi::{c_char, c_void};

/// The wave behind a handle, for reading.
///
/// # Safety
///
/// `w` is NULL or a live wave handle that nothing changes or frees for `'a`.
unsafe fn wave<'a>(w: *const zeromq_wave) -> Result<&'a Wave> {
    // SAFETY: `w` is NULL or a live, unchanged wave handle for 'a (the contract).
    unsafe { handle(w, "The wave") }.map(|w| &w.inner)
}

// A borrowed wave (a parameter, a nested wave) is handed out as a handle without copying:
// the handle's only member is the wave, at offset 0, so a pointer to the wave is a pointer to
// a handle. Checked at compile time.
const _: () = {
    assert!(std::mem::offset_of!(zeromq_wave, inner) == 0);
    assert!(std::mem::size_of::<zeromq_wave>() == std::mem::size_of::<Wave>());
    assert!(std::mem::align_of::<zeromq_wave>() == std::mem::align_of::<Wave>());
};

/// A wave as a (borrowed) handle.
fn as_handle(w: &Wave) -> *const zeromq_wave {
    w as *const Wave as *const zeromq_wave
}

/// Write a borrowed byte string to `(*s, *len)`; an empty one is a valid pointer too.
///
/// # Safety
///
/// `s` and `len` are each NULL or valid for writing one value.
unsafe fn put_bytes(b: &[u8], s: *mut *const c_char, len: *mut usize) -> Result<()> {
    // SAFETY: `s` and `len` are NULL or writable (the contract).
    let (s, len) = unsafe { (out_ptr(s, "s")?, out_ptr(len, "len")?) };
    *s = b.as_ptr() as *const c_char;
    *len = b.len();
    Ok(())
}

/// Read a byte string of the wave behind `w` with `get` into `(*s, *len)`.
///
/// # Safety
///
/// As for [`wave`] and [`put_bytes`].
unsafe fn read_bytes<'a>(
    w: *const zeromq_wave,
    s: *mut *const c_char,
    len: *mut usize,
    get: impl FnOnce(&'a Wave) -> Result<&'a [u8]>,
) -> i32 {
    call(|| {
        // SAFETY: `w` is NULL or a live wave (this function's contract).
        let w = unsafe { wave(w) }?;
        // SAFETY: `s` and `len` are NULL or writable (this function's contract).
        unsafe { put_bytes(get(w)?, s, len) }
    })
}

/// Write two numbers to two out pointers, each given with its name for the error.
///
/// # Safety
///
/// Each pointer is NULL or valid for writing one `f64`.
unsafe fn put_pair(
    (a, b): (f64, f64),
    (pa, name_a): (*mut f64, &str),
    (pb, name_b): (*mut f64, &str),
) -> Result<()> {
    // SAFETY: both are NULL or writable (this function's contract).
    let (pa, pb) = unsafe { (out_ptr(pa, name_a)?, out_ptr(pb, name_b)?) };
    *pa = a;
    *pb = b;
    Ok(())
}

/// Wave parameter `index` of the call: `*wave` borrows it until the dispatch returns (do not
/// free it; copy what you keep). Read it with the `zeromq_wave_*` getters.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for NULL arguments or an index out of range,
/// `ZEROMQ_ERR_INVALID_TYPE` when the parameter is not a wave (`zeromq_call_param` tells its
/// kind: `ZEROMQ_PARAM_WAVE`).
///
/// Thread safety: use it on the dispatching thread.
///
/// # Safety
///
/// `c` must be NULL or the call passed to the running dispatcher; `wave` must be NULL or
/// valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn zeromq_call_param_wave(
    c: *const zeromq_call,
    index: usize,
    wave: *mut *const zeromq_wave,
) -> i32 {
    call(|| {
        // SAFETY: `c` is NULL or the call passed to the running dispatcher (the contract).
        let c = unsafe { zeromq_call::get(c) }?;
        // SAFETY: `wave` is NULL or writable (the function's contract).
        let out = unsafe { out_ptr(wave, "wave") }?;
        let p = c.params.get(index).ok_or_else(|| {
            Error::invalid_arg(format!(
                "Parameter index {index} is out of range: the call has {} parameter(s).",
                c.params.len()
            ))
        })?;
        let w = p.wave().ok_or_else(|| {
            let kind = match p.kind {
                ParamKind::String => "a string",
                ParamKind::Number => "a number",
                ParamKind::Bool => "a boolean",
                ParamKind::Wave => "a wave",
            };
            Error::new(
                Code::InvalidType,
                format!("Parameter {index} is {kind}, not a wave."),
            )
        })?;
        *out = as_handle(w);
        Ok(())
    })
}

/// The wave's Igor type code (`ZEROMQ_NT_*`, `ZEROMQ_TEXT_WAVE_TYPE`, `ZEROMQ_WAVE_TYPE`,
/// `ZEROMQ_DATAFOLDER_TYPE`).
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for NULL arguments.
///
/// Thread safety: a wave may be read from several threads at once while nobody changes it.
///
/// # Safety
///
/// `w` must be NULL or a live wave handle; `type` must be NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_type(w: *const zeromq_wave, r#type: *mut i32) -> i32 {
    call(|| {
        // SAFETY: `w` is NULL or a live wave (the function's contract).
        let w = unsafe { wave(w) }?;
        // SAFETY: `type` is NULL or writable (the function's contract).
        *unsafe { out_ptr(r#type, "type") }? = w.wave_type();
        Ok(())
    })
}

/// The sizes of the used dimensions: `dims[0..*ndims]` (1 to 4 of them; the rest of the four
/// entries are set to 0).
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for NULL arguments.
///
/// Thread safety: as `zeromq_wave_type`.
///
/// # Safety
///
/// `w` must be NULL or a live wave handle; `dims` must be NULL or point to 4 writable
/// `uint64_t`s; `ndims` must be NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_dims(
    w: *const zeromq_wave,
    dims: *mut u64,
    ndims: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: `w` is NULL or a live wave (the function's contract).
        let w = unsafe { wave(w) }?;
        // SAFETY: `dims` is NULL or writable (the function's contract).
        unsafe { out_ptr(dims, "dims") }?;
        // SAFETY: `ndims` is NULL or writable (the function's contract).
        let n = unsafe { out_ptr(ndims, "ndims") }?;
        // SAFETY: `dims` is non-NULL (checked above) and points to 4 (`MAX_DIMS`) writable
        // `uint64_t`s (the function's contract).
        let out = unsafe { std::slice::from_raw_parts_mut(dims, MAX_DIMS) };
        out.fill(0);
        out[..w.dims().len()].copy_from_slice(w.dims());
        *n = w.dims().len();
        Ok(())
    })
}

/// A numeric wave's points: `*bytes` bytes at `*data`, native layout, column-major (rows vary
/// fastest), complex values interleaved (re, im). Borrowed from the wave. A numeric wave whose
/// points were never set reads as zeros.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for NULL arguments, `ZEROMQ_ERR_INVALID_TYPE` for a text,
/// wave reference or data folder reference wave.
///
/// Thread safety: as `zeromq_wave_type`, except that the first read of a never-set wave
/// fills in its zeros.
///
/// # Safety
///
/// `w` must be NULL or a live wave handle; `data` and `bytes` must be NULL or valid for
/// writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_data(
    w: *const zeromq_wave,
    data: *mut *const c_void,
    bytes: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: `w` is NULL or a live wave (the function's contract).
        let inner = unsafe { wave(w) }?;
        // SAFETY: `data` and `bytes` are NULL or writable (the function's contract).
        let (d, n) = unsafe { (out_ptr(data, "data")?, out_ptr(bytes, "bytes")?) };
        if !inner.is_numeric() {
            return Err(Error::new(
                Code::InvalidType,
                format!(
                    "zeromq_wave_data needs a numeric wave, but this one is {}; read its \
                     points with zeromq_wave_text, zeromq_wave_wave or zeromq_wave_dfref.",
                    crate::wave::type_name(inner.wave_type()).unwrap_or_default()
                ),
            ));
        }
        if inner.numeric_bytes().is_none() {
            // Never set (all zero): give it its zero bytes. Parameters always have their
            // data, so this only happens to a wave the host created and owns.
            // SAFETY: `w` is non-NULL (read above) and a live wave that no other thread uses
            // while its zeros are filled in (the function's contract); `inner` is not used
            // again before `w` is read anew below.
            unsafe { (*(w as *mut zeromq_wave)).inner.fill_unset_data() }?;
        }
        // SAFETY: `w` is a live wave (the function's contract).
        let b = unsafe { wave(w) }?.numeric_bytes().unwrap_or(&[]);
        *d = b.as_ptr() as *const c_void;
        *n = b.len();
        Ok(())
    })
}

/// A numeric wave's points for writing in place: `*bytes` bytes at `*data` (layout as for
/// `zeromq_wave_data`; zeros where never set), valid until the wave is changed, handed over or
/// freed. Fill a large wave this way instead of building the data in a buffer of your own and
/// copying it with `zeromq_wave_set_data`.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for NULL arguments or when the memory cannot be had,
/// `ZEROMQ_ERR_INVALID_TYPE` for a text, wave reference or data folder reference wave.
///
/// Thread safety: a wave may be used by one thread at a time.
///
/// # Safety
///
/// `w` must be NULL or a live wave handle no other thread uses; `data` and `bytes` must be
/// NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_data_mut(
    w: *mut zeromq_wave,
    data: *mut *mut c_void,
    bytes: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: `data` and `bytes` are NULL or writable (the function's contract).
        let (d, n) = unsafe { (out_ptr(data, "data")?, out_ptr(bytes, "bytes")?) };
        // SAFETY: `w` is NULL or a live wave this thread alone uses (the function's contract).
        let b = unsafe { out_ptr(w, "The wave") }?
            .inner
            .numeric_bytes_mut()?;
        *d = b.as_mut_ptr() as *mut c_void;
        *n = b.len();
        Ok(())
    })
}

/// Text point `point` of a text wave: `*len` bytes at `*s` (any bytes, UTF-8 as sent).
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for NULL arguments or a point out of range,
/// `ZEROMQ_ERR_INVALID_TYPE` when the wave is not a text wave.
///
/// Thread safety: as `zeromq_wave_type`.
///
/// # Safety
///
/// `w` must be NULL or a live wave handle; `s` and `len` must be NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_text(
    w: *const zeromq_wave,
    point: usize,
    s: *mut *const c_char,
    len: *mut usize,
) -> i32 {
    // SAFETY: the function's contract is `read_bytes`'s.
    unsafe { read_bytes(w, s, len, |w| w.text_point(point)) }
}

/// Point `point` of a wave reference wave: `*child` borrows the nested wave, or is NULL for a
/// null wave.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for NULL arguments or a point out of range,
/// `ZEROMQ_ERR_INVALID_TYPE` when the wave is not a wave reference wave.
///
/// Thread safety: as `zeromq_wave_type`.
///
/// # Safety
///
/// `w` must be NULL or a live wave handle; `child` must be NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_wave(
    w: *const zeromq_wave,
    point: usize,
    child: *mut *const zeromq_wave,
) -> i32 {
    call(|| {
        // SAFETY: `w` is NULL or a live wave (the function's contract).
        let c = unsafe { wave(w) }?.wave_point(point)?;
        // SAFETY: `child` is NULL or writable (the function's contract).
        *unsafe { out_ptr(child, "child") }? = c.map_or(std::ptr::null(), as_handle);
        Ok(())
    })
}

/// Point `point` of a data folder reference wave: the path as sent (`root:Packages:`,
/// `free`; empty or `null` for a null reference).
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for NULL arguments or a point out of range,
/// `ZEROMQ_ERR_INVALID_TYPE` when the wave is not a data folder reference wave.
///
/// Thread safety: as `zeromq_wave_type`.
///
/// # Safety
///
/// `w` must be NULL or a live wave handle; `s` and `len` must be NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_dfref(
    w: *const zeromq_wave,
    point: usize,
    s: *mut *const c_char,
    len: *mut usize,
) -> i32 {
    // SAFETY: the function's contract is `read_bytes`'s.
    unsafe { read_bytes(w, s, len, |w| w.dfref_point(point)) }
}

/// The scaling of dimension `dim`: index i has the value `offset + i * delta` (defaults 1 and
/// 0).
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for NULL arguments or a dimension the wave does not use.
///
/// Thread safety: as `zeromq_wave_type`.
///
/// # Safety
///
/// `w` must be NULL or a live wave handle; `delta` and `offset` must be NULL or valid for
/// writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_scaling(
    w: *const zeromq_wave,
    dim: usize,
    delta: *mut f64,
    offset: *mut f64,
) -> i32 {
    call(|| {
        // SAFETY: `w` is NULL or a live wave (the function's contract).
        let scaling = unsafe { wave(w) }?.scaling(dim)?;
        // SAFETY: `delta` and `offset` are NULL or writable (the function's contract).
        unsafe { put_pair(scaling, (delta, "delta"), (offset, "offset")) }
    })
}

/// The units of dimension `dim` (length 0: none).
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for NULL arguments or a dimension the wave does not use.
///
/// Thread safety: as `zeromq_wave_type`.
///
/// # Safety
///
/// `w` must be NULL or a live wave handle; `s` and `len` must be NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_dim_unit(
    w: *const zeromq_wave,
    dim: usize,
    s: *mut *const c_char,
    len: *mut usize,
) -> i32 {
    // SAFETY: the function's contract is `read_bytes`'s.
    unsafe { read_bytes(w, s, len, |w| w.dim_unit(dim)) }
}

/// A dimension label: `index` -1 for the label of dimension `dim` itself, 0 to size-1 for that
/// row (column, layer, chunk). Length 0: no label.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for NULL arguments, a dimension the wave does not use or
/// an index out of range.
///
/// Thread safety: as `zeromq_wave_type`.
///
/// # Safety
///
/// `w` must be NULL or a live wave handle; `s` and `len` must be NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_dim_label(
    w: *const zeromq_wave,
    dim: usize,
    index: i64,
    s: *mut *const c_char,
    len: *mut usize,
) -> i32 {
    // SAFETY: the function's contract is `read_bytes`'s.
    unsafe { read_bytes(w, s, len, |w| w.dim_label(dim, index)) }
}

/// The data units (length 0: none).
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for NULL arguments.
///
/// Thread safety: as `zeromq_wave_type`.
///
/// # Safety
///
/// `w` must be NULL or a live wave handle; `s` and `len` must be NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_data_unit(
    w: *const zeromq_wave,
    s: *mut *const c_char,
    len: *mut usize,
) -> i32 {
    // SAFETY: the function's contract is `read_bytes`'s.
    unsafe { read_bytes(w, s, len, |w| Ok(w.data_unit())) }
}

/// The data full scale (Igor's `SetScale d`); both 0 when unset.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for NULL arguments.
///
/// Thread safety: as `zeromq_wave_type`.
///
/// # Safety
///
/// `w` must be NULL or a live wave handle; `min` and `max` must be NULL or valid for
/// writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_full_scale(
    w: *const zeromq_wave,
    min: *mut f64,
    max: *mut f64,
) -> i32 {
    call(|| {
        // SAFETY: `w` is NULL or a live wave (the function's contract).
        let full_scale = unsafe { wave(w) }?.full_scale();
        // SAFETY: `min` and `max` are NULL or writable (the function's contract).
        unsafe { put_pair(full_scale, (min, "min"), (max, "max")) }
    })
}

/// The wave note: `*s` is NULL (and `*len` 0) when the wave has no note; an empty note is a
/// valid pointer with length 0.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for NULL arguments.
///
/// Thread safety: as `zeromq_wave_type`.
///
/// # Safety
///
/// `w` must be NULL or a live wave handle; `s` and `len` must be NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_note(
    w: *const zeromq_wave,
    s: *mut *const c_char,
    len: *mut usize,
) -> i32 {
    // SAFETY: `w` is NULL or a live wave (the function's contract).
    call(|| match unsafe { wave(w) }?.note() {
        // SAFETY: `s` and `len` are NULL or writable (the function's contract).
        Some(n) => unsafe { put_bytes(n, s, len) },
        None => {
            // SAFETY: `s` and `len` are NULL or writable (the function's contract).
            let (s, len) = unsafe { (out_ptr(s, "s")?, out_ptr(len, "len")?) };
            *s = std::ptr::null();
            *len = 0;
            Ok(())
        }
    })
}

/// The modification date, seconds since 1970-01-01 (0: unknown, as for free waves).
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for NULL arguments.
///
/// Thread safety: as `zeromq_wave_type`.
///
/// # Safety
///
/// `w` must be NULL or a live wave handle; `unix_seconds` must be NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_modification(
    w: *const zeromq_wave,
    unix_seconds: *mut i64,
) -> i32 {
    call(|| {
        // SAFETY: `w` is NULL or a live wave (the function's contract).
        let m = unsafe { wave(w) }?.modification();
        // SAFETY: `unix_seconds` is NULL or writable (the function's contract).
        *unsafe { out_ptr(unix_seconds, "unix_seconds") }? = m;
        Ok(())
    })
}
