//! `zeromq_wave`: typed n-dimensional arrays (Igor Pro waves, MATLAB arrays) built by the host
//! and serialized to JSON as SPEC section 5 describes.
//!
//! A wave is created with its type and dimension sizes, filled through the setters and then
//! either serialized (`zeromq_wave_serialize`), handed to a reply (`zeromq_reply_wave`) or to
//! a parent wave reference wave (`zeromq_wave_set_wave`), or freed (`zeromq_wave_free`).

use super::message::zeromq_message;
use super::{bytes, call, handle, out_ptr};
use crate::error::{Error, Result};
use crate::wave::{self, Wave};
use std::ffi::{c_char, c_void};

/// Complex flag, combined with a numeric type: `ZEROMQ_NT_FP64 | ZEROMQ_NT_CMPLX`.
pub const ZEROMQ_NT_CMPLX: i32 = 0x01;
/// 32-bit float (`float`).
pub const ZEROMQ_NT_FP32: i32 = 0x02;
/// 64-bit float (`double`).
pub const ZEROMQ_NT_FP64: i32 = 0x04;
/// 8-bit signed integer.
pub const ZEROMQ_NT_I8: i32 = 0x08;
/// 16-bit signed integer.
pub const ZEROMQ_NT_I16: i32 = 0x10;
/// 32-bit signed integer.
pub const ZEROMQ_NT_I32: i32 = 0x20;
/// Unsigned flag, combined with an integer type: `ZEROMQ_NT_I16 | ZEROMQ_NT_UNSIGNED`.
pub const ZEROMQ_NT_UNSIGNED: i32 = 0x40;
/// 64-bit signed integer.
pub const ZEROMQ_NT_I64: i32 = 0x80;
/// Text wave: one byte string per point (`zeromq_wave_set_text`).
pub const ZEROMQ_TEXT_WAVE_TYPE: i32 = 0;
/// Data folder reference wave: one data folder per point (`zeromq_wave_set_dfref`).
pub const ZEROMQ_DATAFOLDER_TYPE: i32 = 0x100;
/// Wave reference wave: one wave (or null) per point (`zeromq_wave_set_wave`).
pub const ZEROMQ_WAVE_TYPE: i32 = 0x4000;

/// A wave (typed n-dimensional array with Igor Pro's metadata) under construction. Created by
/// `zeromq_wave_new`, owned by the caller until it is freed with `zeromq_wave_free` or handed
/// over to `zeromq_reply_wave` or `zeromq_wave_set_wave`. A wave may be used by one thread at
/// a time; different waves may be used from different threads at once.
pub struct zeromq_wave {
    pub(crate) inner: Wave,
}

/// The wave behind a handle, for changing it; NULL is `ZEROMQ_ERR_INVALID_ARG`.
///
/// # Safety
///
/// `w` is NULL or a live wave from `zeromq_wave_new` that no other thread or reference uses
/// while the result lives.
unsafe fn wave_mut<'a>(w: *mut zeromq_wave) -> Result<&'a mut Wave> {
    // SAFETY: the caller passes NULL or a live, unshared wave (this function's contract).
    unsafe { out_ptr(w, "The wave") }.map(|w| &mut w.inner)
}

/// Change the wave behind `w` with `f`.
///
/// # Safety
///
/// As for [`wave_mut`].
unsafe fn change(w: *mut zeromq_wave, f: impl FnOnce(&mut Wave) -> Result<()>) -> i32 {
    // SAFETY: `w` is NULL or a live, unshared wave (this function's contract).
    call(|| f(unsafe { wave_mut(w) }?))
}

/// Change the wave behind `w` with `f` and the `len` bytes at `text` (`what` names them in an
/// error).
///
/// # Safety
///
/// As for [`wave_mut`]; `text` is NULL or points to `len` readable bytes.
unsafe fn change_with_text<T>(
    w: *mut zeromq_wave,
    text: *const T,
    len: usize,
    what: &str,
    f: impl FnOnce(&mut Wave, &[u8]) -> Result<()>,
) -> i32 {
    call(|| {
        // SAFETY: `w` is NULL or a live, unshared wave (this function's contract).
        let wave = unsafe { wave_mut(w) }?;
        // SAFETY: `text` is NULL or points to `len` readable bytes (this function's contract).
        f(wave, unsafe { bytes(text, len, what) }?)
    })
}

/// Create a wave of Igor type `type` with `ndims` dimension sizes read from `dims`.
///
/// `type` is one of `ZEROMQ_NT_FP32`, `ZEROMQ_NT_FP64`, `ZEROMQ_NT_I8`, `ZEROMQ_NT_I16`,
/// `ZEROMQ_NT_I32`, `ZEROMQ_NT_I64` (integer types optionally `| ZEROMQ_NT_UNSIGNED`, numeric
/// types optionally `| ZEROMQ_NT_CMPLX`), `ZEROMQ_TEXT_WAVE_TYPE`, `ZEROMQ_WAVE_TYPE` or
/// `ZEROMQ_DATAFOLDER_TYPE`. `ndims` is 1 to 4; sizes may be 0 (an empty wave) and are
/// written to JSON exactly as given (`{3, 1}` stays a 3x1 wave). Points are stored
/// column-major (rows vary fastest). A new wave has all numeric points 0, text points empty,
/// wave and data folder points null, default scaling (delta 1, offset 0), no units, labels,
/// full scale or note, and modification date 0.
///
/// On success `*out` receives the new wave, owned by the caller: free it with
/// `zeromq_wave_free` or hand it over to `zeromq_reply_wave` / `zeromq_wave_set_wave`.
///
/// Returns 0, or `ZEROMQ_ERR_INVALID_ARG` for an unknown type, `ndims` outside 1..4, `dims`
/// NULL, `out` NULL, or sizes whose product does not fit in memory. `*out` is written only on
/// success.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `dims` must be NULL or point to `ndims` readable `uint64_t`s; `out` must be NULL or valid
/// for writing one `zeromq_wave *`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_new(
    r#type: i32,
    dims: *const u64,
    ndims: usize,
    out: *mut *mut zeromq_wave,
) -> i32 {
    call(|| {
        // SAFETY: `out` is NULL or the caller's writable wave slot (the function's contract).
        let out = unsafe { out_ptr(out, "out") }?;
        if ndims == 0 || ndims > wave::MAX_DIMS {
            return Err(Error::invalid_arg(format!(
                "A wave has 1 to {} dimensions, not {ndims}.",
                wave::MAX_DIMS
            )));
        }
        if dims.is_null() {
            return Err(Error::invalid_arg("dims is NULL."));
        }
        // SAFETY: the caller passes `ndims` (at most 4) readable sizes at `dims`.
        let dims = unsafe { std::slice::from_raw_parts(dims, ndims) };
        let inner = Wave::new(r#type, dims)?;
        *out = Box::into_raw(Box::new(zeromq_wave { inner }));
        Ok(())
    })
}

/// Set every point of a numeric wave from `bytes` bytes at `data`: the host's native layout
/// and endianness, column-major, complex values interleaved (re, im). `bytes` must be exactly
/// points × element size (× 2 for complex); `data` may be NULL only when `bytes` is 0. The
/// data is copied.
///
/// Returns 0, or `ZEROMQ_ERR_INVALID_ARG` when `w` is NULL, the wave is not numeric, or the
/// length is wrong; the wave is unchanged on failure.
///
/// Thread safety: a wave may be used by one thread at a time.
///
/// # Safety
///
/// `w` must be NULL or a live wave (from `zeromq_wave_new`, not freed or handed over); `data`
/// must be NULL or point to `bytes` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_set_data(
    w: *mut zeromq_wave,
    data: *const c_void,
    bytes: usize,
) -> i32 {
    // SAFETY: the function's contract is `change_with_text`'s.
    unsafe { change_with_text(w, data, bytes, "data", |wave, data| wave.set_data(data)) }
}

/// Set point `point` (column-major index) of a text wave to the `len` bytes at `s` (copied).
/// The bytes may be anything; in JSON the text ends at the first NUL byte and invalid UTF-8
/// is replaced by U+FFFD. `s` may be NULL only when `len` is 0.
///
/// Returns 0, or `ZEROMQ_ERR_INVALID_ARG` when `w` is NULL, the wave is not a text wave, or
/// `point` is out of range; the wave is unchanged on failure.
///
/// Thread safety: a wave may be used by one thread at a time.
///
/// # Safety
///
/// `w` must be NULL or a live wave (from `zeromq_wave_new`, not freed or handed over); `s` must
/// be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_set_text(
    w: *mut zeromq_wave,
    point: usize,
    s: *const c_char,
    len: usize,
) -> i32 {
    // SAFETY: the function's contract is `change_with_text`'s.
    unsafe { change_with_text(w, s, len, "s", |wave, s| wave.set_text(point, s)) }
}

/// Set point `point` of a wave reference wave (`ZEROMQ_WAVE_TYPE`) to `child`; NULL makes the
/// point a null wave. Any wave previously at that point is freed.
///
/// On success the call takes ownership of `child`: do not use or free it afterwards (it is
/// freed with `w`). On failure ownership stays with the caller, who must still free `child`.
/// `child` must be a wave the caller owns (not `w` itself, nor one already handed over).
/// Wave reference waves may nest at most 32 levels deep (counting the outermost).
///
/// Returns 0, or `ZEROMQ_ERR_INVALID_ARG` when `w` is NULL, `w` is not a wave reference
/// wave, `point` is out of range, `child` is `w`, or the nesting would get too deep; the wave
/// is unchanged on failure.
///
/// Thread safety: a wave may be used by one thread at a time (both `w` and `child`).
///
/// # Safety
///
/// `w` must be NULL or a live wave (from `zeromq_wave_new`, not freed or handed over); `child`
/// must be NULL or a live wave the caller owns.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_set_wave(
    w: *mut zeromq_wave,
    point: usize,
    child: *mut zeromq_wave,
) -> i32 {
    call(|| {
        if std::ptr::eq(w, child) && !w.is_null() {
            return Err(Error::invalid_arg("A wave cannot contain itself."));
        }
        // SAFETY: `w` is NULL or a live wave used by this thread only (the function's contract).
        let wave = unsafe { wave_mut(w) }?;
        // SAFETY: a non-NULL `child` is a live wave owned by the caller.
        let c = unsafe { child.as_ref() }.map(|c| &c.inner);
        wave.check_set_wave(point, c)?;
        let c = if child.is_null() {
            None
        } else {
            // SAFETY: the checks passed, so ownership of `child` moves here.
            Some(Box::new(unsafe { Box::from_raw(child) }.inner))
        };
        wave.set_wave(point, c)
    })
}

/// Set point `point` of a data folder reference wave (`ZEROMQ_DATAFOLDER_TYPE`) to the `len`
/// bytes at `path` (copied): a full data folder path with trailing colon (`root:Packages:`),
/// `free` for a free data folder, or `null` (or empty) for a null reference. A path
/// containing `:_killed folder_:` is written as `null`. `path` may be NULL only when `len` is
/// 0.
///
/// Returns 0, or `ZEROMQ_ERR_INVALID_ARG` when `w` is NULL, the wave is not a data folder
/// reference wave, or `point` is out of range; the wave is unchanged on failure.
///
/// Thread safety: a wave may be used by one thread at a time.
///
/// # Safety
///
/// `w` must be NULL or a live wave (from `zeromq_wave_new`, not freed or handed over); `path`
/// must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_set_dfref(
    w: *mut zeromq_wave,
    point: usize,
    path: *const c_char,
    len: usize,
) -> i32 {
    // SAFETY: the function's contract is `change_with_text`'s.
    unsafe {
        change_with_text(w, path, len, "path", |wave, path| {
            wave.set_dfref(point, path)
        })
    }
}

/// Set the scaling of dimension `dim` (0 rows, 1 columns, 2 layers, 3 chunks): index i
/// stands for `offset + i * delta` (Igor's `SetScale/P`). The defaults are delta 1, offset 0;
/// when any dimension differs, `dimension.delta` and `dimension.offset` are written for all.
///
/// Returns 0, or `ZEROMQ_ERR_INVALID_ARG` when `w` is NULL or `dim` is not a dimension of the
/// wave; the wave is unchanged on failure.
///
/// Thread safety: a wave may be used by one thread at a time.
///
/// # Safety
///
/// `w` must be NULL or a live wave (from `zeromq_wave_new`, not freed or handed over).
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_set_scaling(
    w: *mut zeromq_wave,
    dim: usize,
    delta: f64,
    offset: f64,
) -> i32 {
    // SAFETY: the function's contract is `change`'s.
    unsafe { change(w, |wave| wave.set_scaling(dim, delta, offset)) }
}

/// Set the units of dimension `dim` to the `len` bytes at `s` (copied; empty: none). `s` may
/// be NULL only when `len` is 0.
///
/// Returns 0, or `ZEROMQ_ERR_INVALID_ARG` when `w` is NULL or `dim` is not a dimension of the
/// wave; the wave is unchanged on failure.
///
/// Thread safety: a wave may be used by one thread at a time.
///
/// # Safety
///
/// `w` must be NULL or a live wave (from `zeromq_wave_new`, not freed or handed over); `s` must
/// be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_set_dim_unit(
    w: *mut zeromq_wave,
    dim: usize,
    s: *const c_char,
    len: usize,
) -> i32 {
    // SAFETY: the function's contract is `change_with_text`'s.
    unsafe { change_with_text(w, s, len, "s", |wave, s| wave.set_dim_unit(dim, s)) }
}

/// Set a dimension label (Igor's `SetDimLabel`) to the `len` bytes at `s` (copied): `index`
/// -1 labels the whole dimension `dim` (`dimension.label.full`), 0 to size-1 labels that
/// row, column, layer or chunk (`dimension.label.each`). An empty label removes it. `s` may
/// be NULL only when `len` is 0.
///
/// Returns 0, or `ZEROMQ_ERR_INVALID_ARG` when `w` is NULL, `dim` is not a dimension of the
/// wave, or `index` is below -1 or not below the dimension's size; the wave is unchanged on
/// failure.
///
/// Thread safety: a wave may be used by one thread at a time.
///
/// # Safety
///
/// `w` must be NULL or a live wave (from `zeromq_wave_new`, not freed or handed over); `s` must
/// be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_set_dim_label(
    w: *mut zeromq_wave,
    dim: usize,
    index: i64,
    s: *const c_char,
    len: usize,
) -> i32 {
    // SAFETY: the function's contract is `change_with_text`'s.
    unsafe { change_with_text(w, s, len, "s", |wave, s| wave.set_dim_label(dim, index, s)) }
}

/// Set the data units to the `len` bytes at `s` (copied; empty: none). `s` may be NULL only
/// when `len` is 0.
///
/// Returns 0, or `ZEROMQ_ERR_INVALID_ARG` when `w` is NULL (or `s` is NULL with a length).
///
/// Thread safety: a wave may be used by one thread at a time.
///
/// # Safety
///
/// `w` must be NULL or a live wave (from `zeromq_wave_new`, not freed or handed over); `s` must
/// be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_set_data_unit(
    w: *mut zeromq_wave,
    s: *const c_char,
    len: usize,
) -> i32 {
    // SAFETY: the function's contract is `change_with_text`'s.
    unsafe {
        change_with_text(w, s, len, "s", |wave, s| {
            wave.set_data_unit(s);
            Ok(())
        })
    }
}

/// Set the data full scale (Igor's `SetScale d min, max`). Both 0 (the default) or both NaN
/// means unset; otherwise `data.fullScale` is written as `[min, max]`.
///
/// Returns 0, or `ZEROMQ_ERR_INVALID_ARG` when `w` is NULL.
///
/// Thread safety: a wave may be used by one thread at a time.
///
/// # Safety
///
/// `w` must be NULL or a live wave (from `zeromq_wave_new`, not freed or handed over).
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_set_full_scale(
    w: *mut zeromq_wave,
    min: f64,
    max: f64,
) -> i32 {
    // SAFETY: the function's contract is `change`'s.
    unsafe {
        change(w, |wave| {
            wave.set_full_scale(min, max);
            Ok(())
        })
    }
}

/// Set the wave note to the `len` bytes at `s` (copied). Once set, the note is always written,
/// even when empty (`"note": ""`). `s` may be NULL only when `len` is 0.
///
/// Returns 0, or `ZEROMQ_ERR_INVALID_ARG` when `w` is NULL (or `s` is NULL with a length).
///
/// Thread safety: a wave may be used by one thread at a time.
///
/// # Safety
///
/// `w` must be NULL or a live wave (from `zeromq_wave_new`, not freed or handed over); `s` must
/// be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_set_note(
    w: *mut zeromq_wave,
    s: *const c_char,
    len: usize,
) -> i32 {
    // SAFETY: the function's contract is `change_with_text`'s.
    unsafe {
        change_with_text(w, s, len, "s", |wave, s| {
            wave.set_note(s);
            Ok(())
        })
    }
}

/// Set the modification date, seconds since 1970-01-01 (`date.modification`; 0, the default,
/// means unknown as for Igor's free waves).
///
/// Returns 0, or `ZEROMQ_ERR_INVALID_ARG` when `w` is NULL.
///
/// Thread safety: a wave may be used by one thread at a time.
///
/// # Safety
///
/// `w` must be NULL or a live wave (from `zeromq_wave_new`, not freed or handed over).
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_set_modification(
    w: *mut zeromq_wave,
    unix_seconds: i64,
) -> i32 {
    // SAFETY: the function's contract is `change`'s.
    unsafe {
        change(w, |wave| {
            wave.set_modification(unix_seconds);
            Ok(())
        })
    }
}

/// Serialize a wave to its JSON text, pretty-printed with 4-space indentation, exactly as
/// `zeromq_test_serializeWave` of the reference XOP (SPEC section 5). A NULL `w` gives the
/// text `null`. The wave is not changed and stays owned by the caller.
///
/// On success `*json` receives a new message with one frame holding the UTF-8 text (no NUL
/// terminator), owned by the caller: free it with `zeromq_message_free`.
///
/// Returns 0, or `ZEROMQ_ERR_INVALID_ARG` when `json` is NULL. `*json` is written only on
/// success.
///
/// Thread safety: a wave may be used by one thread at a time.
///
/// # Safety
///
/// `w` must be NULL or a live wave (from `zeromq_wave_new`, not freed or handed over); `json`
/// must be NULL or valid for writing one `zeromq_message *`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_serialize(
    w: *const zeromq_wave,
    json: *mut *mut zeromq_message,
) -> i32 {
    call(|| {
        // SAFETY: `json` is NULL or the caller's writable message slot (the function's
        // contract).
        let out = unsafe { out_ptr(json, "json") }?;
        let wave = if w.is_null() {
            None
        } else {
            // SAFETY: `w` is a live wave that nothing changes during the call (the function's
            // contract).
            Some(&unsafe { handle(w, "The wave") }?.inner)
        };
        let text = wave::try_serialize_pretty(wave).ok_or_else(|| {
            Error::invalid_arg(
                "The wave is too large to serialize: its JSON text does not fit in memory.",
            )
        })?;
        *out = zeromq_message::from_bytes(vec![text]);
        Ok(())
    })
}

/// Free a wave and every wave it holds. NULL is ignored. Do not use `w` afterwards; do not
/// free a wave that was handed over to `zeromq_reply_wave` or `zeromq_wave_set_wave`.
///
/// Thread safety: a wave may be used by one thread at a time.
///
/// # Safety
///
/// `w` must be NULL or a wave from `zeromq_wave_new` that was neither freed nor handed over.
#[no_mangle]
pub unsafe extern "C" fn zeromq_wave_free(w: *mut zeromq_wave) {
    super::boundary_value((), || {
        if !w.is_null() {
            // SAFETY: a non-NULL `w` is a live wave owned by the caller, who gives it up here.
            drop(unsafe { Box::from_raw(w) });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exported_type_codes_match_the_core() {
        assert_eq!(ZEROMQ_NT_CMPLX, wave::NT_CMPLX);
        assert_eq!(ZEROMQ_NT_FP32, wave::NT_FP32);
        assert_eq!(ZEROMQ_NT_FP64, wave::NT_FP64);
        assert_eq!(ZEROMQ_NT_I8, wave::NT_I8);
        assert_eq!(ZEROMQ_NT_I16, wave::NT_I16);
        assert_eq!(ZEROMQ_NT_I32, wave::NT_I32);
        assert_eq!(ZEROMQ_NT_UNSIGNED, wave::NT_UNSIGNED);
        assert_eq!(ZEROMQ_NT_I64, wave::NT_I64);
        assert_eq!(ZEROMQ_TEXT_WAVE_TYPE, wave::TEXT_WAVE_TYPE);
        assert_eq!(ZEROMQ_DATAFOLDER_TYPE, wave::DATAFOLDER_TYPE);
        assert_eq!(ZEROMQ_WAVE_TYPE, wave::WAVE_TYPE);
    }
}
