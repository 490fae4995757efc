//! The demo host's functions that take waves (arrays) as parameters, written against the C
//! ABI the way a C host reads them (`zeromq_call_param_wave` and the `zeromq_wave_*` getters):
//!
//! - `wave_echo(w)`: the wave back, rebuilt point by point with all its metadata (type,
//!   sizes, units, scaling, labels, full scale, note, modification; nested waves too).
//! - `wave_sum(w)`: the sum of a numeric wave's points (real parts) as a number.
//! - `wave_info(w)`: a text like `NT_FP64 1000x1000`.

use std::ffi::c_char;
use zeromq_xop::ffi::handler::*;
use zeromq_xop::ffi::reply::*;
use zeromq_xop::ffi::wave::*;
use zeromq_xop::ffi::wave_read::*;

/// The names handled here.
pub const NAMES: [&str; 3] = ["wave_echo", "wave_sum", "wave_info"];

/// Run `name` (one of [`NAMES`]) for the call.
///
/// # Safety
/// `call` and `reply` are the dispatcher's arguments.
pub unsafe fn dispatch(name: &str, call: *const zeromq_call, reply: *mut zeromq_reply) {
    // SAFETY: `call` and `reply` are the dispatcher's live arguments (the contract); every
    // pointer handed to the library below is a live local or a wave it returned.
    unsafe {
        let fail = |code: i32| {
            zeromq_reply_error(reply, code, std::ptr::null(), 0);
        };
        let n = zeromq_call_param_count(call);
        if n != 1 {
            return fail(if n < 1 {
                ZEROMQ_REQ_TOO_FEW_FUNCTION_PARAMS
            } else {
                ZEROMQ_REQ_TOO_MANY_FUNCTION_PARAMS
            });
        }
        let mut w = std::ptr::null();
        if zeromq_call_param_wave(call, 0, &mut w) != 0 {
            return fail(ZEROMQ_REQ_INVALID_PARAM_FORMAT);
        }
        match name {
            "wave_echo" => match copy(w, 0) {
                Some(c) => {
                    zeromq_reply_wave(reply, c);
                }
                None => fail(ZEROMQ_REQ_OUT_OF_MEMORY),
            },
            "wave_sum" => match sum(w) {
                Some(s) => {
                    zeromq_reply_variable(reply, s);
                }
                None => fail(ZEROMQ_REQ_INVALID_PARAM_FORMAT),
            },
            _ => {
                let (t, dims) = shape(w);
                let sizes: Vec<String> = dims.iter().map(u64::to_string).collect();
                let text = format!("{} {}", type_text(t), sizes.join("x"));
                zeromq_reply_string(reply, text.as_ptr() as *const c_char, text.len());
            }
        }
    }
}

/// The wave's type and used dimension sizes.
///
/// # Safety
///
/// `w` is a live wave.
unsafe fn shape(w: *const zeromq_wave) -> (i32, Vec<u64>) {
    // SAFETY: `w` is a live wave (the contract); the out pointers are live locals, `dims`
    // with the 4 entries `zeromq_wave_dims` writes.
    unsafe {
        let (mut t, mut dims, mut n) = (0, [0u64; 4], 0usize);
        zeromq_wave_type(w, &mut t);
        zeromq_wave_dims(w, dims.as_mut_ptr(), &mut n);
        (t, dims[..n].to_vec())
    }
}

fn type_text(t: i32) -> String {
    zeromq_xop::wave::type_name(t).unwrap_or_default()
}

/// The sum of a numeric wave's points (of complex points, the real parts).
///
/// # Safety
///
/// `w` is a live wave.
unsafe fn sum(w: *const zeromq_wave) -> Option<f64> {
    // SAFETY: `w` is a live wave (the contract).
    let (t, _) = unsafe { shape(w) };
    let (mut data, mut bytes) = (std::ptr::null(), 0usize);
    // SAFETY: `w` is a live wave (the contract); `data` and `bytes` are live locals.
    if unsafe { zeromq_wave_data(w, &mut data, &mut bytes) } != 0 {
        return None;
    }
    let b = if bytes == 0 {
        &[][..]
    } else {
        // SAFETY: the library lent `bytes` readable bytes at `data`, alive as long as `w`.
        unsafe { std::slice::from_raw_parts(data as *const u8, bytes) }
    };
    let complex = t & ZEROMQ_NT_CMPLX != 0;
    let base = t & !(ZEROMQ_NT_CMPLX | ZEROMQ_NT_UNSIGNED);
    let unsigned = t & ZEROMQ_NT_UNSIGNED != 0;
    let size = match base {
        ZEROMQ_NT_I8 => 1,
        ZEROMQ_NT_I16 => 2,
        ZEROMQ_NT_FP32 | ZEROMQ_NT_I32 => 4,
        _ => 8,
    };
    let step = if complex { 2 * size } else { size };
    let value = |c: &[u8]| -> f64 {
        let mut e = [0u8; 8];
        e[..size].copy_from_slice(&c[..size]);
        match (base, unsigned) {
            (ZEROMQ_NT_FP64, _) => f64::from_le_bytes(e),
            (ZEROMQ_NT_FP32, _) => f32::from_le_bytes([e[0], e[1], e[2], e[3]]) as f64,
            (_, true) => u64::from_le_bytes(e) as f64,
            _ => {
                // Sign-extend the element to 64 bits.
                let shift = 64 - 8 * size as u32;
                ((u64::from_le_bytes(e) << shift) as i64 >> shift) as f64
            }
        }
    };
    Some(b.chunks_exact(step).map(value).sum())
}

/// Read a byte string with a getter.
///
/// # Safety
///
/// On success `get` leaves in `(*s, *n)` a pointer to `n` readable bytes (or NULL).
unsafe fn text_with(get: impl FnOnce(*mut *const c_char, *mut usize) -> i32) -> Vec<u8> {
    let (mut s, mut n) = (std::ptr::null(), 0usize);
    if get(&mut s, &mut n) != 0 || s.is_null() || n == 0 {
        return Vec::new();
    }
    // SAFETY: the getter succeeded, so `s` points to `n` readable bytes it lent.
    unsafe { std::slice::from_raw_parts(s as *const u8, n) }.to_vec()
}

/// A copy of `w` built through the builder functions.
///
/// # Safety
///
/// `w` is a live wave.
unsafe fn copy(w: *const zeromq_wave, depth: u32) -> Option<*mut zeromq_wave> {
    // SAFETY: `w` is a live wave (the contract); `out` is the wave built here; every other
    // pointer passed is a live local or a borrow the library returned for `w`.
    unsafe {
        let (t, dims) = shape(w);
        let mut out = std::ptr::null_mut();
        if zeromq_wave_new(t, dims.as_ptr(), dims.len(), &mut out) != 0 {
            return None;
        }
        let points: u64 = dims.iter().product();
        let mut data = std::ptr::null();
        let mut bytes = 0usize;
        if zeromq_wave_data(w, &mut data, &mut bytes) == 0 {
            zeromq_wave_set_data(out, data, bytes);
        }
        for p in 0..points as usize {
            if t == ZEROMQ_TEXT_WAVE_TYPE {
                let s = text_with(|s, n| zeromq_wave_text(w, p, s, n));
                zeromq_wave_set_text(out, p, s.as_ptr() as *const c_char, s.len());
            } else if t == ZEROMQ_DATAFOLDER_TYPE {
                let s = text_with(|s, n| zeromq_wave_dfref(w, p, s, n));
                zeromq_wave_set_dfref(out, p, s.as_ptr() as *const c_char, s.len());
            } else if t == ZEROMQ_WAVE_TYPE {
                let mut child = std::ptr::null();
                zeromq_wave_wave(w, p, &mut child);
                if !child.is_null() && depth < 30 {
                    if let Some(c) = copy(child, depth + 1) {
                        zeromq_wave_set_wave(out, p, c);
                    }
                }
            } else {
                break;
            }
        }
        for (d, &size) in dims.iter().enumerate() {
            let (mut delta, mut offset) = (1.0, 0.0);
            zeromq_wave_scaling(w, d, &mut delta, &mut offset);
            zeromq_wave_set_scaling(out, d, delta, offset);
            let unit = text_with(|s, n| zeromq_wave_dim_unit(w, d, s, n));
            zeromq_wave_set_dim_unit(out, d, unit.as_ptr() as *const c_char, unit.len());
            for i in -1..size as i64 {
                let label = text_with(|s, n| zeromq_wave_dim_label(w, d, i, s, n));
                if !label.is_empty() {
                    zeromq_wave_set_dim_label(
                        out,
                        d,
                        i,
                        label.as_ptr() as *const c_char,
                        label.len(),
                    );
                }
            }
        }
        let unit = text_with(|s, n| zeromq_wave_data_unit(w, s, n));
        zeromq_wave_set_data_unit(out, unit.as_ptr() as *const c_char, unit.len());
        let (mut lo, mut hi) = (0.0, 0.0);
        zeromq_wave_full_scale(w, &mut lo, &mut hi);
        zeromq_wave_set_full_scale(out, lo, hi);
        let (mut note, mut len) = (std::ptr::null(), 0usize);
        if zeromq_wave_note(w, &mut note, &mut len) == 0 && !note.is_null() {
            zeromq_wave_set_note(out, note, len);
        }
        let mut m = 0i64;
        zeromq_wave_modification(w, &mut m);
        zeromq_wave_set_modification(out, m);
        Some(out)
    }
}
