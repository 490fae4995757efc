//! Igor Pro helpers for the XOP glue: the call-time checks of a remote call against the user
//! function Igor found (SPEC 4.4), C `strtod` conversion of parameters, and history clean-up.
//! The rules live in [`crate::igor`] as pure functions; these exports only marshal.

use super::{boundary, bytes, fail, out_ptr};
use crate::error::{Code, Error, Result};
use crate::igor::{self, FunctionInfo, ParamKind, ReturnKind};
use std::ffi::c_char;

/// Igor parameter kind: not supported by the protocol (`int`, `int64`, structure, `FUNCREF`, ...).
pub const ZEROMQ_IGOR_KIND_UNSUPPORTED: i32 = 0;
/// Igor parameter or return kind: real `variable` (passed as `double`).
pub const ZEROMQ_IGOR_KIND_VARIABLE: i32 = 1;
/// Igor parameter or return kind: `string` (passed as a string handle).
pub const ZEROMQ_IGOR_KIND_STRING: i32 = 2;
/// Igor parameter or return kind: `DFREF` (passed as a data folder handle).
pub const ZEROMQ_IGOR_KIND_DFREF: i32 = 3;
/// Igor parameter or return kind: any wave reference (passed as a wave handle).
pub const ZEROMQ_IGOR_KIND_WAVE: i32 = 4;
/// Igor parameter kind: complex `variable/C` (never supported).
pub const ZEROMQ_IGOR_KIND_COMPLEX: i32 = 5;
/// Igor return kind: multiple return values, passed as the leading by-reference parameters.
pub const ZEROMQ_IGOR_KIND_MULTIPLE: i32 = 6;

/// A parameter text of a remote call: `len` bytes at `data` (NULL only when `len` is 0).
#[repr(C)]
pub struct zeromq_igor_text {
    /// The bytes.
    pub data: *const c_char,
    /// Their number.
    pub len: usize,
}

/// How to call a user function that passed `zeromq_igor_check_call`.
#[repr(C)]
pub struct zeromq_igor_signature {
    /// 1 when the function uses the multiple-return-value syntax, else 0.
    pub multiple_return: i32,
    /// Leading required parameters that are return-value outputs (0 for other functions);
    /// the first input is the parameter at this index.
    pub num_outputs: usize,
    /// Required parameters the call supplies (they follow the outputs).
    pub num_inputs: usize,
    /// How many inputs are passed by reference and belong in `passByReference`.
    pub num_by_ref_inputs: usize,
}

fn kind_code(kind: ParamKind) -> i32 {
    match kind {
        ParamKind::Variable => ZEROMQ_IGOR_KIND_VARIABLE,
        ParamKind::ComplexVariable => ZEROMQ_IGOR_KIND_COMPLEX,
        ParamKind::String => ZEROMQ_IGOR_KIND_STRING,
        ParamKind::DataFolder => ZEROMQ_IGOR_KIND_DFREF,
        ParamKind::Wave => ZEROMQ_IGOR_KIND_WAVE,
        ParamKind::Unsupported => ZEROMQ_IGOR_KIND_UNSUPPORTED,
    }
}

/// Runs every call-time check of a remote call (SPEC 4.4, in the reference XOP's order) over
/// what Igor's `GetFunctionInfo` reported, and says how to call the function.
///
/// - `lookup_error`: the result of `GetFunctionInfo` (0, `NEED_COMPILE`, or another error);
/// - `return_type`: `FunctionInfo.returnType`;
/// - `param_types`: `FunctionInfo.parameterTypes`, `num_param_types` entries (at least the
///   required ones; may be NULL when `num_param_types` is 0);
/// - `num_required`: `FunctionInfo.numRequiredParameters`;
/// - `params`: the call's parameter texts (`zeromq_call_param`), `num_params` entries (may be
///   NULL when `num_params` is 0);
/// - `out`: receives the signature, written only when the result is 0.
///
/// Returns 0 when the call may proceed; otherwise the code to answer the call with through
/// `zeromq_reply_error`: `ZEROMQ_REQ_PROC_NOT_COMPILED` (100), `..._NON_EXISTING_FUNCTION`
/// (101), `..._TOO_FEW_FUNCTION_PARAMS` (102), `..._TOO_MANY_FUNCTION_PARAMS` (103),
/// `..._UNSUPPORTED_FUNC_SIG` (104), `..._UNSUPPORTED_FUNC_RET` (105),
/// `..._INVALID_PARAM_FORMAT` (106), or `ZEROMQ_ERR_INTERNAL` when the function information is
/// inconsistent (more required parameters than types or than Igor's 100 slots). NULL arrays
/// with a count or a NULL `out` give `ZEROMQ_ERR_INVALID_ARG`. Nothing is kept after the call.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `param_types` must be NULL or point to `num_param_types` readable `int32_t`s; `params` must
/// be NULL or point to `num_params` readable entries, each with `data` NULL or pointing to
/// `len` readable bytes; `out` must be NULL or valid for writing one `zeromq_igor_signature`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_igor_check_call(
    lookup_error: i32,
    return_type: i32,
    param_types: *const i32,
    num_param_types: usize,
    num_required: i32,
    params: *const zeromq_igor_text,
    num_params: usize,
    out: *mut zeromq_igor_signature,
) -> i32 {
    let supplied = || {
        // SAFETY: `params` is NULL or points to `num_params` readable entries (the function's
        // contract).
        let params = unsafe { slice(params, num_params, "params") }?;
        params
            .iter()
            .enumerate()
            .map(|(i, t)| {
                // SAFETY: each entry's `data` is NULL or points to `len` readable bytes (the
                // function's contract).
                let text = unsafe { bytes(t.data, t.len, &format!("params[{i}]")) }?;
                Ok((text, false))
            })
            .collect::<Result<Vec<(&[u8], bool)>>>()
    };
    // SAFETY: `param_types` and `out` are passed on under this function's own contract.
    unsafe {
        check_call_with(
            lookup_error,
            return_type,
            param_types,
            num_param_types,
            num_required,
            supplied,
            out,
        )
    }
}

/// [`zeromq_igor_check_call`] over the supplied parameters' texts and whether each is a wave.
///
/// # Safety
///
/// `param_types` must be NULL or point to `num_param_types` readable `int32_t`s; `out` must be
/// NULL or valid for writing one `zeromq_igor_signature`.
pub(crate) unsafe fn check_call_with<'a>(
    lookup_error: i32,
    return_type: i32,
    param_types: *const i32,
    num_param_types: usize,
    num_required: i32,
    supplied: impl FnOnce() -> Result<Vec<(&'a [u8], bool)>>,
    out: *mut zeromq_igor_signature,
) -> i32 {
    boundary(|| {
        let checked = (|| -> Result<std::result::Result<igor::Signature, i32>> {
            let out_ok = !out.is_null();
            // SAFETY: `param_types` is NULL or points to `num_param_types` readable entries
            // (the function's contract).
            let types = unsafe { slice(param_types, num_param_types, "param_types") }?;
            let supplied = supplied()?;
            if !out_ok {
                return Err(Error::invalid_arg("out is NULL."));
            }
            if let Err(code) = igor::check_lookup(lookup_error) {
                return Ok(Err(code));
            }
            let required = usize::try_from(num_required).map_err(|_| {
                Error::new(
                    Code::Internal,
                    format!("The function reports {num_required} required parameters."),
                )
            })?;
            let info = FunctionInfo {
                return_type,
                param_types: types,
                required,
            };
            Ok(igor::check_call_with_waves(lookup_error, &info, &supplied))
        })();
        match checked {
            Err(e) => fail(e),
            Ok(Err(code)) if code == Code::Internal as i32 => fail(Error::new(
                Code::Internal,
                format!(
                    "The function reports {num_required} required parameters but \
                     {num_param_types} parameter types."
                ),
            )),
            Ok(Err(code)) => code,
            Ok(Ok(sig)) => {
                // SAFETY: checked above that `out` is not NULL; the caller provides storage.
                unsafe {
                    *out = zeromq_igor_signature {
                        multiple_return: i32::from(sig.multiple_return),
                        num_outputs: sig.outputs,
                        num_inputs: sig.inputs,
                        num_by_ref_inputs: sig.by_ref_inputs,
                    };
                }
                0
            }
        }
    })
}

/// `(ptr, count)` as a slice: NULL is fine for an empty array.
///
/// # Safety
///
/// `ptr` is NULL or points to `count` initialized, properly aligned `T`s that stay readable
/// and unchanged for `'a`.
unsafe fn slice<'a, T>(ptr: *const T, count: usize, what: &str) -> Result<&'a [T]> {
    if ptr.is_null() {
        if count == 0 {
            return Ok(&[]);
        }
        return Err(Error::invalid_arg(format!(
            "{what} is NULL but has {count} entries."
        )));
    }
    if count > isize::MAX as usize / std::mem::size_of::<T>().max(1) {
        return Err(Error::invalid_arg(format!(
            "{what} has an impossible length {count}."
        )));
    }
    // SAFETY: `ptr` is non-NULL and `count` entries fit in `isize` bytes (both checked
    // above); the caller guarantees they are readable, aligned and unchanged for 'a.
    Ok(unsafe { std::slice::from_raw_parts(ptr, count) })
}

/// The kind of an Igor parameter type code (`FunctionInfo.parameterTypes[i]`), ignoring the
/// pass-by-reference flag: one of `ZEROMQ_IGOR_KIND_VARIABLE`, `_STRING`, `_DFREF`, `_WAVE`,
/// `_COMPLEX` or `_UNSUPPORTED`. Waves, structures and function references are recognised
/// before any numeric bit, so they are never taken for variables.
///
/// Thread safety: may be called from any thread.
#[no_mangle]
pub extern "C" fn zeromq_igor_param_kind(type_code: i32) -> i32 {
    super::boundary_value(ZEROMQ_IGOR_KIND_UNSUPPORTED, || {
        kind_code(igor::param_kind(type_code))
    })
}

/// The kind of an Igor function return type (`FunctionInfo.returnType`): one of
/// `ZEROMQ_IGOR_KIND_VARIABLE`, `_STRING`, `_DFREF`, `_WAVE`, `_MULTIPLE` (multiple return
/// values) or `_UNSUPPORTED` (complex, integer and every other type).
///
/// Thread safety: may be called from any thread.
#[no_mangle]
pub extern "C" fn zeromq_igor_return_kind(return_type: i32) -> i32 {
    super::boundary_value(ZEROMQ_IGOR_KIND_UNSUPPORTED, || {
        match igor::return_kind(return_type) {
            Some(ReturnKind::Variable) => ZEROMQ_IGOR_KIND_VARIABLE,
            Some(ReturnKind::String) => ZEROMQ_IGOR_KIND_STRING,
            Some(ReturnKind::DataFolder) => ZEROMQ_IGOR_KIND_DFREF,
            Some(ReturnKind::Wave) => ZEROMQ_IGOR_KIND_WAVE,
            Some(ReturnKind::Multiple) => ZEROMQ_IGOR_KIND_MULTIPLE,
            None => ZEROMQ_IGOR_KIND_UNSUPPORTED,
        }
    })
}

/// Converts `len` bytes of text at `text` to a number exactly as C `strtod` does in the "C"
/// locale, requiring the whole text to be consumed (leading whitespace, sign, decimal and
/// hexadecimal floats, `inf`, `infinity`, `nan`, `nan(...)`, any case). The text ends at its
/// first NUL byte; the empty text converts to 0; trailing whitespace is rejected. This is the
/// rule `zeromq_igor_check_call` applies to numeric parameters.
///
/// Returns 0 and writes `*value`, `ZEROMQ_REQ_INVALID_PARAM_FORMAT` (106) when the text is not
/// a complete number (`*value` unchanged), or `ZEROMQ_ERR_INVALID_ARG` for NULL pointers.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `text` must be NULL or point to `len` readable bytes; `value` must be NULL or valid for
/// writing one `double`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_igor_parse_double(
    text: *const c_char,
    len: usize,
    value: *mut f64,
) -> i32 {
    boundary(|| {
        let r = (|| -> Result<Option<f64>> {
            // SAFETY: `text` is NULL or points to `len` readable bytes (the function's contract).
            let t = unsafe { bytes(text, len, "text") }?;
            // SAFETY: `value` is NULL or the caller's writable `f64` (the function's contract).
            unsafe { out_ptr(value, "value") }?;
            Ok(crate::numbers::parse_double(t))
        })();
        match r {
            Err(e) => fail(e),
            Ok(None) => igor::req::INVALID_PARAM_FORMAT,
            Ok(Some(v)) => {
                // SAFETY: checked non-NULL above; the caller gives a writable `f64` there.
                unsafe { *value = v };
                0
            }
        }
    })
}

/// Cleans history text captured while a remote call ran (`len` bytes at `text`, modified in
/// place): every CR becomes LF, and `*offset` / `*out_len` receive the part without leading
/// and trailing spaces, tabs, CRs and LFs (`*out_len` 0 for whitespace-only text).
///
/// Returns 0, or `ZEROMQ_ERR_INVALID_ARG` for NULL pointers (`text` may be NULL when `len` is
/// 0). The outputs are written only on success.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
///
/// `text` must be NULL or point to `len` readable and writable bytes; `offset` must be NULL or
/// valid for writing one `size_t`; `out_len` must be NULL or valid for writing one `size_t`.
#[no_mangle]
pub unsafe extern "C" fn zeromq_igor_clean_history(
    text: *mut c_char,
    len: usize,
    offset: *mut usize,
    out_len: *mut usize,
) -> i32 {
    boundary(|| {
        let r = (|| -> Result<()> {
            // SAFETY: `text` is NULL or points to `len` bytes (the function's contract); the
            // borrow ends here, it only checks NULL against `len`.
            unsafe { bytes(text, len, "text") }?;
            // SAFETY: `offset` is NULL or the caller's writable `usize` (the function's
            // contract).
            let offset = unsafe { out_ptr(offset, "offset") }?;
            // SAFETY: `out_len` is NULL or the caller's writable `usize`, not `offset` (the
            // function's contract).
            let out_len = unsafe { out_ptr(out_len, "out_len") }?;
            let range = if len == 0 {
                0..0
            } else {
                // SAFETY: `text` is non-NULL with `len` writable bytes (checked by `bytes`).
                let t = unsafe { std::slice::from_raw_parts_mut(text as *mut u8, len) };
                crate::protocol::clean_history(t)
            };
            *offset = range.start;
            *out_len = range.len();
            Ok(())
        })();
        match r {
            Ok(()) => 0,
            Err(e) => fail(e),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::igor::types::*;
    use std::ptr::{null, null_mut};

    fn text(s: &str) -> zeromq_igor_text {
        zeromq_igor_text {
            data: s.as_ptr() as *const c_char,
            len: s.len(),
        }
    }

    fn empty_signature() -> zeromq_igor_signature {
        zeromq_igor_signature {
            multiple_return: -1,
            num_outputs: 99,
            num_inputs: 99,
            num_by_ref_inputs: 99,
        }
    }

    #[test]
    fn check_call_marshals_the_signature() {
        let types = [NT_FP64 | FV_REF_TYPE, HSTRING_TYPE, NT_FP64 | FV_REF_TYPE];
        let params = [text("abc"), text("1.5")];
        let mut sig = empty_signature();
        // SAFETY: every pointer is NULL or a live local with the length passed.
        let rc = unsafe {
            zeromq_igor_check_call(
                0,
                FV_NORETURN_TYPE,
                types.as_ptr(),
                types.len(),
                3,
                params.as_ptr(),
                params.len(),
                &mut sig,
            )
        };
        assert_eq!(rc, 0);
        assert_eq!(sig.multiple_return, 1);
        assert_eq!(
            (sig.num_outputs, sig.num_inputs, sig.num_by_ref_inputs),
            (1, 2, 1)
        );
    }

    #[test]
    fn check_call_answers_with_request_codes() {
        let types = [NT_FP64];
        let bad = [text("1.a")];
        let mut sig = empty_signature();
        // SAFETY: every pointer is NULL or a live local with the length passed.
        let rc = unsafe {
            zeromq_igor_check_call(0, NT_FP64, types.as_ptr(), 1, 1, bad.as_ptr(), 1, &mut sig)
        };
        assert_eq!(rc, 106);
        assert_eq!(sig.num_inputs, 99, "out is untouched on failure");
        // SAFETY: every pointer is NULL or a live local with the length passed.
        let rc = unsafe { zeromq_igor_check_call(335, 0, null(), 0, 0, null(), 0, &mut sig) };
        assert_eq!(rc, 100);
        // The lookup result comes first, whatever else Igor left in the information.
        // SAFETY: every pointer is NULL or a live local with the length passed.
        let rc = unsafe { zeromq_igor_check_call(210, 0, null(), 0, -5, null(), 0, &mut sig) };
        assert_eq!(rc, 101);
        // SAFETY: every pointer is NULL or a live local with the length passed.
        let rc = unsafe {
            zeromq_igor_check_call(0, NT_FP64, types.as_ptr(), 1, 2, null(), 0, &mut sig)
        };
        assert_eq!(rc, Code::Internal as i32);
        // SAFETY: every pointer is NULL or a live local with the length passed.
        let rc = unsafe {
            zeromq_igor_check_call(0, NT_FP64, types.as_ptr(), 1, -1, null(), 0, &mut sig)
        };
        assert_eq!(rc, Code::Internal as i32);
    }

    #[test]
    fn check_call_rejects_null_arguments() {
        let mut sig = empty_signature();
        let invalid = Code::InvalidArg as i32;
        // SAFETY: every pointer is NULL or a live local with the length passed.
        let rc = unsafe { zeromq_igor_check_call(0, NT_FP64, null(), 1, 0, null(), 0, &mut sig) };
        assert_eq!(rc, invalid);
        // SAFETY: every pointer is NULL or a live local with the length passed.
        let rc = unsafe { zeromq_igor_check_call(0, NT_FP64, null(), 0, 0, null(), 2, &mut sig) };
        assert_eq!(rc, invalid);
        let null_text = [zeromq_igor_text {
            data: null(),
            len: 3,
        }];
        let types = [HSTRING_TYPE];
        // SAFETY: every pointer is NULL or a live local with the length passed.
        let rc = unsafe {
            zeromq_igor_check_call(
                0,
                NT_FP64,
                types.as_ptr(),
                1,
                1,
                null_text.as_ptr(),
                1,
                &mut sig,
            )
        };
        assert_eq!(rc, invalid);
        // SAFETY: every pointer is NULL or a live local with the length passed.
        let rc = unsafe { zeromq_igor_check_call(0, NT_FP64, null(), 0, 0, null(), 0, null_mut()) };
        assert_eq!(rc, invalid);
    }

    #[test]
    fn kinds() {
        assert_eq!(
            zeromq_igor_param_kind(NT_FP64 | FV_REF_TYPE),
            ZEROMQ_IGOR_KIND_VARIABLE
        );
        assert_eq!(
            zeromq_igor_param_kind(HSTRING_TYPE),
            ZEROMQ_IGOR_KIND_STRING
        );
        assert_eq!(
            zeromq_igor_param_kind(DATAFOLDER_TYPE),
            ZEROMQ_IGOR_KIND_DFREF
        );
        assert_eq!(
            zeromq_igor_param_kind(WAVE_TYPE | NT_FP64),
            ZEROMQ_IGOR_KIND_WAVE
        );
        assert_eq!(
            zeromq_igor_param_kind(NT_FP64 | NT_CMPLX),
            ZEROMQ_IGOR_KIND_COMPLEX
        );
        assert_eq!(zeromq_igor_param_kind(NT_I32), ZEROMQ_IGOR_KIND_UNSUPPORTED);
        assert_eq!(
            zeromq_igor_return_kind(FV_NORETURN_TYPE),
            ZEROMQ_IGOR_KIND_MULTIPLE
        );
        assert_eq!(zeromq_igor_return_kind(WAVE_TYPE), ZEROMQ_IGOR_KIND_WAVE);
        assert_eq!(
            zeromq_igor_return_kind(NT_FP64 | NT_CMPLX),
            ZEROMQ_IGOR_KIND_UNSUPPORTED
        );
    }

    #[test]
    fn parse_double() {
        let mut v = -7.0;
        let s = " -0x1.8p1";
        assert_eq!(
            // SAFETY: every pointer is NULL or a live local with the length passed.
            unsafe { zeromq_igor_parse_double(s.as_ptr() as _, s.len(), &mut v) },
            0
        );
        assert_eq!(v, -3.0);
        let s = "1 ";
        assert_eq!(
            // SAFETY: every pointer is NULL or a live local with the length passed.
            unsafe { zeromq_igor_parse_double(s.as_ptr() as _, s.len(), &mut v) },
            106
        );
        assert_eq!(v, -3.0);
        assert_eq!(
            // SAFETY: every pointer is NULL or a live local with the length passed.
            unsafe { zeromq_igor_parse_double(null(), 0, &mut v) },
            0
        );
        assert_eq!(v, 0.0);
        let invalid = Code::InvalidArg as i32;
        assert_eq!(
            // SAFETY: every pointer is NULL or a live local with the length passed.
            unsafe { zeromq_igor_parse_double(null(), 1, &mut v) },
            invalid
        );
        // SAFETY: every pointer is NULL or a live local with the length passed.
        let rc = unsafe { zeromq_igor_parse_double(s.as_ptr() as _, 1, null_mut()) };
        assert_eq!(rc, invalid);
    }

    #[test]
    fn clean_history() {
        let mut buf = *b"\r  abc\rdef \r";
        let (mut off, mut len) = (99, 99);
        // SAFETY: every pointer is NULL or a live local with the length passed.
        let rc = unsafe {
            zeromq_igor_clean_history(buf.as_mut_ptr() as _, buf.len(), &mut off, &mut len)
        };
        assert_eq!(rc, 0);
        assert_eq!(&buf[off..off + len], b"abc\ndef");
        // SAFETY: every pointer is NULL or a live local with the length passed.
        let rc = unsafe { zeromq_igor_clean_history(null_mut(), 0, &mut off, &mut len) };
        assert_eq!((rc, off, len), (0, 0, 0));
        // SAFETY: every pointer is NULL or a live local with the length passed.
        let rc = unsafe {
            zeromq_igor_clean_history(buf.as_mut_ptr() as _, buf.len(), null_mut(), &mut len)
        };
        assert_eq!(rc, Code::InvalidArg as i32);
    }
}
