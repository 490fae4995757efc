//! Igor Pro user-function signatures: classification and the call-time checks of a remote
//! `CallFunction` request (SPEC.md section 4.4), the rules Igor adds to the protocol.
//!
//! Everything here is a pure function over plain data: the return-type code, the per-parameter
//! type codes and the number of required parameters that Igor's `GetFunctionInfo` reports, and
//! the parameter texts of the request. The Igor glue (`host-glue/igor/`) only passes Igor's
//! data in and acts on the answer, so every rule is unit-tested without Igor.

use crate::numbers::is_fully_numeric;

/// Igor type codes (XOP Toolkit values, SPEC.md section 14).
pub mod types {
    pub use crate::wave::{
        DATAFOLDER_TYPE, NT_CMPLX, NT_FP32, NT_FP64, NT_I16, NT_I32, NT_I64, NT_I8, NT_UNSIGNED,
    };
    /// Structure parameter.
    pub const FV_STRUCT_TYPE: i32 = 0x200;
    /// Function reference (`FUNCREF`) parameter.
    pub const FV_FUNC_TYPE: i32 = 0x400;
    /// Pass-by-reference flag.
    pub const FV_REF_TYPE: i32 = 0x1000;
    /// String.
    pub const HSTRING_TYPE: i32 = 0x2000;
    /// Wave reference.
    pub const WAVE_TYPE: i32 = 0x4000;
    /// `WAVE/Z` flag.
    pub const WAVE_Z_TYPE: i32 = 0x8000;
    /// "Return type" of a function using the multiple-return-value syntax (Igor 8 or later).
    pub const FV_NORETURN_TYPE: i32 = 0x20000;
    /// Parameter slots in Igor's `FunctionInfo` structure.
    pub const MAX_NUM_PARAMS: usize = 100;
}

/// Igor error numbers that `GetFunctionInfo` can report and that the checks look at.
pub mod igor_errors {
    /// Procedures need to be compiled.
    pub const NEED_COMPILE: i32 = 335;
    /// No function of that name.
    pub const EXPECTED_FUNCTION_NAME: i32 = 210;
}

/// The protocol codes a call-time check can answer with (SPEC.md section 4.2): the core's
/// request codes plus the reference XOP's internal-error code.
pub mod req {
    pub use crate::error::req::*;
    /// The reference XOP's internal-error code, for function information that cannot be right.
    pub const INTERNAL_ERROR: i32 = crate::error::Code::Internal as i32;
}

use types::*;

/// What a parameter (or multiple-return output) of an Igor user function is, as far as the
/// protocol is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// Real `variable` (also `double`), by value or by reference.
    Variable,
    /// Complex `variable/C`: never supported, but numeric, so its text is checked first.
    ComplexVariable,
    /// `string`, by value or by reference.
    String,
    /// `DFREF`, by value or by reference.
    DataFolder,
    /// Any wave reference (`WAVE`, `WAVE/T`, `WAVE/WAVE`, `WAVE/DF`, `WAVE/Z`, ...).
    Wave,
    /// Everything else: `int`, `int64`, `uint64`, structures, function references.
    Unsupported,
}

/// Classifies a parameter type code; the pass-by-reference flag is ignored.
///
/// Classification is by exact meaning, not by single bits: a wave, structure or function
/// reference never counts as a variable even if Igor were to report a numeric bit alongside.
pub fn param_kind(type_code: i32) -> ParamKind {
    let base = type_code & !FV_REF_TYPE;
    if base & (FV_STRUCT_TYPE | FV_FUNC_TYPE) != 0 {
        ParamKind::Unsupported
    } else if base & WAVE_TYPE != 0 {
        ParamKind::Wave
    } else if base & HSTRING_TYPE != 0 {
        ParamKind::String
    } else if base & DATAFOLDER_TYPE != 0 {
        ParamKind::DataFolder
    } else if base == NT_FP64 {
        ParamKind::Variable
    } else if base == NT_FP64 | NT_CMPLX {
        ParamKind::ComplexVariable
    } else {
        ParamKind::Unsupported
    }
}

/// Whether a parameter type code carries the pass-by-reference flag.
pub fn is_by_ref(type_code: i32) -> bool {
    type_code & FV_REF_TYPE != 0
}

/// What an Igor user function returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnKind {
    /// One real `variable`.
    Variable,
    /// One `string`.
    String,
    /// One `DFREF`.
    DataFolder,
    /// One wave reference.
    Wave,
    /// Multiple return values (`Function [a, b] F(...)`), passed as leading by-ref parameters.
    Multiple,
}

/// Classifies a function's return-type code; `None` for anything the protocol cannot return
/// (complex, integer types, ...). Exact comparisons, as the reference XOP does.
pub fn return_kind(return_type: i32) -> Option<ReturnKind> {
    match return_type {
        NT_FP64 => Some(ReturnKind::Variable),
        HSTRING_TYPE => Some(ReturnKind::String),
        DATAFOLDER_TYPE => Some(ReturnKind::DataFolder),
        WAVE_TYPE => Some(ReturnKind::Wave),
        FV_NORETURN_TYPE => Some(ReturnKind::Multiple),
        _ => None,
    }
}

/// The function information Igor's `GetFunctionInfo` reports, as plain data.
#[derive(Debug, Clone, Copy)]
pub struct FunctionInfo<'a> {
    /// `returnType`.
    pub return_type: i32,
    /// `parameterTypes[0 .. totalNumParameters]` (at least the required ones).
    pub param_types: &'a [i32],
    /// `numRequiredParameters`.
    pub required: usize,
}

/// How a user function is called: the outcome of a successful check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    /// The function uses the multiple-return-value syntax.
    pub multiple_return: bool,
    /// Leading required parameters that are multiple-return outputs (0 for classic functions).
    pub outputs: usize,
    /// Required parameters the request must supply (they follow the outputs).
    pub inputs: usize,
    /// How many of the inputs are passed by reference (reported in `passByReference`).
    pub by_ref_inputs: usize,
}

impl Signature {
    /// Index of the first input parameter in the function's parameter list.
    pub fn first_input(&self) -> usize {
        self.outputs
    }
}

/// Determines return style and parameter counts (SPEC.md 4.4 step 2).
///
/// Classic functions have one return value and `required` inputs. A multiple-return-value
/// function's outputs are the leading required parameters passed by reference, counted up to
/// the first one that is not; the rest are inputs. (Like the reference XOP, a function whose
/// first real input is itself by reference is therefore counted with one output too many.)
/// Optional parameters are never passed and never counted.
///
/// Fails with [`req::INTERNAL_ERROR`] when the information is inconsistent (more required
/// parameters than type codes, or more than Igor's 100 slots).
pub fn classify(info: &FunctionInfo<'_>) -> Result<Signature, i32> {
    if info.required > info.param_types.len() || info.required > MAX_NUM_PARAMS {
        return Err(req::INTERNAL_ERROR);
    }
    let required = &info.param_types[..info.required];
    let multiple_return = info.return_type == FV_NORETURN_TYPE;
    let outputs = if multiple_return {
        required.iter().take_while(|&&t| is_by_ref(t)).count()
    } else {
        0
    };
    let by_ref_inputs = required[outputs..]
        .iter()
        .filter(|&&t| is_by_ref(t))
        .count();
    Ok(Signature {
        multiple_return,
        outputs,
        inputs: info.required - outputs,
        by_ref_inputs,
    })
}

/// Maps the result of Igor's function lookup (SPEC.md 4.4 step 1): 0 passes; procedures that
/// need compiling answer 100; every other failure (no such function, built-in function, name
/// too long, ...) answers 101.
pub fn check_lookup(lookup_error: i32) -> Result<(), i32> {
    match lookup_error {
        0 => Ok(()),
        igor_errors::NEED_COMPILE => Err(req::PROC_NOT_COMPILED),
        _ => Err(req::NON_EXISTING_FUNCTION),
    }
}

/// Whether the parameter text of an input of this type must be numeric (SPEC.md 4.4 step 4):
/// real and complex variables, by value or by reference.
pub fn needs_numeric_text(type_code: i32) -> bool {
    matches!(
        param_kind(type_code),
        ParamKind::Variable | ParamKind::ComplexVariable
    )
}

/// Runs every call-time check of SPEC.md 4.4 in the reference's order and returns how to call
/// the function, or the code to answer with.
///
/// 1. `lookup_error` (the result of `GetFunctionInfo`): see [`check_lookup`].
/// 2. Return style and counts: see [`classify`].
/// 3. Supplied fewer than the inputs: 102; more: 103.
/// 4. An input declared as (real or complex) variable whose text is not a complete C `strtod`
///    number: 106 (see [`is_fully_numeric`]).
/// 5. A return type other than variable, string, wave, DFREF or multiple: 105.
/// 6. In parameter order: a multiple-return output that is not a real variable, string, DFREF
///    or wave: 105; an input that is not a real variable, string or DFREF (by value or by
///    reference): 104.
///
/// `params` are the request's parameter texts in order; `info` describes the function.
pub fn check_call(
    lookup_error: i32,
    info: &FunctionInfo<'_>,
    params: &[&[u8]],
) -> Result<Signature, i32> {
    check_lookup(lookup_error)?;
    let sig = classify(info)?;

    if params.len() < sig.inputs {
        return Err(req::TOO_FEW_FUNCTION_PARAMS);
    }
    if params.len() > sig.inputs {
        return Err(req::TOO_MANY_FUNCTION_PARAMS);
    }

    let inputs = &info.param_types[sig.first_input()..info.required];
    for (&type_code, text) in inputs.iter().zip(params) {
        if needs_numeric_text(type_code) && !is_fully_numeric(text) {
            return Err(req::INVALID_PARAM_FORMAT);
        }
    }

    if return_kind(info.return_type).is_none() {
        return Err(req::UNSUPPORTED_FUNC_RET);
    }

    for (index, &type_code) in info.param_types[..info.required].iter().enumerate() {
        let kind = param_kind(type_code);
        if index < sig.outputs {
            if !matches!(
                kind,
                ParamKind::Variable | ParamKind::String | ParamKind::DataFolder | ParamKind::Wave
            ) {
                return Err(req::UNSUPPORTED_FUNC_RET);
            }
        } else if !matches!(
            kind,
            ParamKind::Variable | ParamKind::String | ParamKind::DataFolder
        ) {
            return Err(req::UNSUPPORTED_FUNC_SIG);
        }
    }

    Ok(sig)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VAR: i32 = NT_FP64;
    const VAR_REF: i32 = NT_FP64 | FV_REF_TYPE;
    const CMPLX: i32 = NT_FP64 | NT_CMPLX;
    const STR: i32 = HSTRING_TYPE;
    const STR_REF: i32 = HSTRING_TYPE | FV_REF_TYPE;
    const DF: i32 = DATAFOLDER_TYPE;
    const DF_REF: i32 = DATAFOLDER_TYPE | FV_REF_TYPE;
    const WAVE: i32 = WAVE_TYPE;
    const STRUCT_REF: i32 = FV_STRUCT_TYPE | FV_REF_TYPE;
    const MRV: i32 = FV_NORETURN_TYPE;

    fn info(return_type: i32, param_types: &[i32], required: usize) -> FunctionInfo<'_> {
        FunctionInfo {
            return_type,
            param_types,
            required,
        }
    }

    fn check(
        return_type: i32,
        types: &[i32],
        required: usize,
        params: &[&str],
    ) -> Result<Signature, i32> {
        let params: Vec<&[u8]> = params.iter().map(|p| p.as_bytes()).collect();
        check_call(0, &info(return_type, types, required), &params)
    }

    fn code(r: Result<Signature, i32>) -> i32 {
        match r {
            Ok(_) => 0,
            Err(c) => c,
        }
    }

    #[test]
    fn lookup_failures() {
        assert_eq!(check_lookup(0), Ok(()));
        assert_eq!(check_lookup(igor_errors::NEED_COMPILE), Err(100));
        assert_eq!(check_lookup(igor_errors::EXPECTED_FUNCTION_NAME), Err(101));
        // Any other lookup failure (e.g. a 400-character name) also means "unknown function".
        assert_eq!(check_lookup(1), Err(101));
        assert_eq!(check_lookup(-1), Err(101));
        let r = check_call(igor_errors::NEED_COMPILE, &info(VAR, &[], 0), &[]);
        assert_eq!(r, Err(100));
        // The lookup result wins over everything else.
        let r = check_call(210, &info(0x1234, &[WAVE], 1), &[]);
        assert_eq!(r, Err(101));
    }

    #[test]
    fn classic_counts() {
        let sig = check(VAR, &[], 0, &[]).unwrap();
        assert_eq!(
            sig,
            Signature {
                multiple_return: false,
                outputs: 0,
                inputs: 0,
                by_ref_inputs: 0
            }
        );
        let sig = check(STR, &[STR, VAR_REF, STR_REF], 3, &["a", "1", "b"]).unwrap();
        assert_eq!(sig.inputs, 3);
        assert_eq!(sig.outputs, 0);
        assert_eq!(sig.by_ref_inputs, 2);
        assert!(!sig.multiple_return);
    }

    #[test]
    fn optional_parameters_are_never_counted() {
        // Function F(variable a, [string b, variable c])
        let types = [VAR, STR, VAR];
        assert_eq!(check(VAR, &types, 1, &["1"]).unwrap().inputs, 1);
        assert_eq!(code(check(VAR, &types, 1, &["1", "x"])), 103);
        // An optional by-ref STRUCT is neither checked nor reported.
        let types = [VAR, STRUCT_REF];
        let sig = check(VAR, &types, 1, &["1"]).unwrap();
        assert_eq!(sig.by_ref_inputs, 0);
    }

    #[test]
    fn too_few_and_too_many() {
        assert_eq!(code(check(VAR, &[VAR, STR], 2, &["1"])), 102);
        assert_eq!(code(check(VAR, &[VAR, STR], 2, &[])), 102);
        assert_eq!(code(check(VAR, &[], 0, &["1"])), 103);
        assert_eq!(code(check(VAR, &[VAR], 1, &["1", "2"])), 103);
        // Counts are checked before types and return type.
        assert_eq!(code(check(CMPLX, &[WAVE], 1, &[])), 102);
        assert_eq!(code(check(CMPLX, &[WAVE], 1, &["a", "b"])), 103);
    }

    #[test]
    fn multiple_return_counts() {
        // Function [variable a, string b] F()
        let sig = check(MRV, &[VAR_REF, STR_REF], 2, &[]).unwrap();
        assert_eq!(
            sig,
            Signature {
                multiple_return: true,
                outputs: 2,
                inputs: 0,
                by_ref_inputs: 0
            }
        );
        // Function [variable a, string b, DFREF c, WAVE d] F(variable x, string y)
        let types = [VAR_REF, STR_REF, DF_REF, WAVE | FV_REF_TYPE, VAR, STR];
        let sig = check(MRV, &types, 6, &["1", "s"]).unwrap();
        assert_eq!((sig.outputs, sig.inputs, sig.first_input()), (4, 2, 4));
        assert_eq!(sig.by_ref_inputs, 0);
        // Function [variable a] F(variable x, variable &y): y is reported as by-ref input.
        let sig = check(MRV, &[VAR_REF, VAR, VAR_REF], 3, &["1", "2"]).unwrap();
        assert_eq!((sig.outputs, sig.inputs, sig.by_ref_inputs), (1, 2, 1));
        // Supplied counts relate to the inputs only.
        assert_eq!(code(check(MRV, &[VAR_REF, VAR], 2, &[])), 102);
        assert_eq!(code(check(MRV, &[VAR_REF, VAR], 2, &["1", "2"])), 103);
    }

    #[test]
    fn multiple_return_first_input_by_ref_is_miscounted() {
        // Function [variable a] F(variable &x): the by-ref input counts as a second output,
        // exactly as the reference XOP does, so no input is expected.
        let sig = check(MRV, &[VAR_REF, VAR_REF], 2, &[]).unwrap();
        assert_eq!((sig.outputs, sig.inputs), (2, 0));
        assert_eq!(code(check(MRV, &[VAR_REF, VAR_REF], 2, &["1"])), 103);
    }

    #[test]
    fn numeric_parameters_use_strtod() {
        for ok in [
            "1",
            "-1",
            "+1",
            "1.5",
            "1e5",
            "1E-5",
            ".5",
            "5.",
            "  7",
            "\t\n1",
            "0x1p3",
            "0X1.8P-1",
            "inf",
            "+INF",
            "+inf",
            "-inf",
            "Infinity",
            "naN",
            "nan(123_abc)",
            "-nan",
            "",
        ] {
            assert_eq!(code(check(VAR, &[VAR], 1, &[ok])), 0, "{ok:?}");
        }
        for bad in [
            "1.a", "a", "1 ", " ", "+", "-", ".", "1e", "1e+", "0x", "0xg", "0x1p", "infin",
            "nan(", "nan(a", "nan(a-b)", "1,5", "--1", "1..2",
        ] {
            assert_eq!(code(check(VAR, &[VAR], 1, &[bad])), 106, "{bad:?}");
        }
        // By-ref and complex variables are checked as well; strings and DFREFs are not.
        assert_eq!(code(check(VAR, &[VAR_REF], 1, &["x"])), 106);
        assert_eq!(code(check(VAR, &[STR, DF], 2, &["x", "root:"])), 0);
    }

    #[test]
    fn numeric_check_comes_before_type_checks() {
        // A complex input with a non-numeric text is 106, not 104.
        assert_eq!(code(check(VAR, &[CMPLX], 1, &["abc"])), 106);
        assert_eq!(code(check(VAR, &[CMPLX], 1, &["1"])), 104);
        // ... and before the return type check.
        assert_eq!(code(check(CMPLX, &[VAR], 1, &["abc"])), 106);
        assert_eq!(code(check(CMPLX, &[VAR], 1, &["1"])), 105);
        // Only supplied inputs are checked, never multiple-return outputs.
        assert_eq!(code(check(MRV, &[VAR_REF, VAR], 2, &["2"])), 0);
    }

    #[test]
    fn return_types() {
        for ok in [VAR, STR, WAVE, DF, MRV] {
            assert_eq!(code(check(ok, &[], 0, &[])), 0, "{ok:#x}");
        }
        // Function/C, int, int64, uint64, anything unknown.
        for bad in [
            CMPLX,
            NT_I32,
            NT_I64,
            NT_I64 | NT_UNSIGNED,
            NT_FP32,
            0,
            WAVE | NT_FP64,
            -1,
        ] {
            assert_eq!(code(check(bad, &[], 0, &[])), 105, "{bad:#x}");
        }
        assert_eq!(return_kind(VAR), Some(ReturnKind::Variable));
        assert_eq!(return_kind(STR), Some(ReturnKind::String));
        assert_eq!(return_kind(WAVE), Some(ReturnKind::Wave));
        assert_eq!(return_kind(DF), Some(ReturnKind::DataFolder));
        assert_eq!(return_kind(MRV), Some(ReturnKind::Multiple));
        assert_eq!(return_kind(CMPLX), None);
    }

    #[test]
    fn multiple_return_output_types() {
        for ok in [
            VAR_REF,
            STR_REF,
            DF_REF,
            WAVE | FV_REF_TYPE,
            WAVE | FV_REF_TYPE | WAVE_Z_TYPE,
            WAVE | NT_FP64 | FV_REF_TYPE,
            WAVE | DATAFOLDER_TYPE | FV_REF_TYPE,
        ] {
            assert_eq!(code(check(MRV, &[ok], 1, &[])), 0, "{ok:#x}");
        }
        // [STRUCT s], [variable/C c], [int i], [int64 i] outputs.
        for bad in [
            STRUCT_REF,
            CMPLX | FV_REF_TYPE,
            NT_I32 | FV_REF_TYPE,
            NT_I64 | FV_REF_TYPE,
        ] {
            assert_eq!(code(check(MRV, &[bad], 1, &[])), 105, "{bad:#x}");
        }
        // Outputs are checked in order together with the inputs: the first failure wins.
        assert_eq!(code(check(MRV, &[STRUCT_REF, WAVE], 2, &["x"])), 105);
    }

    #[test]
    fn input_types() {
        for ok in [VAR, VAR_REF, STR, STR_REF, DF, DF_REF] {
            let text = if needs_numeric_text(ok) { "1" } else { "root:" };
            assert_eq!(code(check(VAR, &[ok], 1, &[text])), 0, "{ok:#x}");
        }
        // WAVE, WAVE &, WAVE/Z, WAVE/T, variable/C, STRUCT &s, FUNCREF, int, int64, uint64.
        for bad in [
            WAVE,
            WAVE | FV_REF_TYPE,
            WAVE | WAVE_Z_TYPE,
            WAVE | NT_FP64,
            CMPLX,
            CMPLX | FV_REF_TYPE,
            STRUCT_REF,
            FV_FUNC_TYPE,
            NT_I32,
            NT_I64,
            NT_I64 | NT_UNSIGNED,
            NT_FP32,
        ] {
            assert_eq!(code(check(VAR, &[bad], 1, &["1"])), 104, "{bad:#x}");
        }
        // A wave whose type code carries the NT_FP64 bit is still a wave: 104, never 106.
        assert_eq!(code(check(VAR, &[WAVE | NT_FP64], 1, &["abc"])), 104);
        // First unsupported input decides, after a good one.
        assert_eq!(code(check(VAR, &[STR, WAVE], 2, &["a", "b"])), 104);
    }

    #[test]
    fn classification() {
        assert_eq!(param_kind(VAR), ParamKind::Variable);
        assert_eq!(param_kind(VAR_REF), ParamKind::Variable);
        assert_eq!(param_kind(CMPLX), ParamKind::ComplexVariable);
        assert_eq!(param_kind(STR_REF), ParamKind::String);
        assert_eq!(param_kind(DF), ParamKind::DataFolder);
        assert_eq!(param_kind(WAVE | TEXT_WAVE_TYPE_FOR_TEST), ParamKind::Wave);
        assert_eq!(param_kind(WAVE | DATAFOLDER_TYPE), ParamKind::Wave);
        assert_eq!(param_kind(STRUCT_REF), ParamKind::Unsupported);
        assert_eq!(param_kind(FV_FUNC_TYPE), ParamKind::Unsupported);
        assert_eq!(param_kind(NT_I32), ParamKind::Unsupported);
        assert!(is_by_ref(STR_REF));
        assert!(!is_by_ref(STR));
    }

    const TEXT_WAVE_TYPE_FOR_TEST: i32 = 0;

    #[test]
    fn inconsistent_information_is_an_internal_error() {
        assert_eq!(code(check(VAR, &[VAR], 2, &[])), 10004);
        let many = vec![VAR; 101];
        assert_eq!(code(check(VAR, &many, 101, &[])), 10004);
        let hundred = vec![VAR; 100];
        let params = vec!["1"; 100];
        assert_eq!(code(check(VAR, &hundred, 100, &params)), 0);
    }
}
