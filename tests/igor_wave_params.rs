//! The Igor call checks with wave parameters (`igor::check_call_with_waves`): a by-value
//! `WAVE` input takes a wave parameter; clients that send no waves see the reference's codes.

use zeromq_xop::igor::types::{
    DATAFOLDER_TYPE, FV_NORETURN_TYPE, FV_REF_TYPE, HSTRING_TYPE, NT_FP64, WAVE_TYPE,
};
use zeromq_xop::igor::{check_call_with_waves, FunctionInfo};

const VAR: i32 = NT_FP64;
const STR: i32 = HSTRING_TYPE;
const DF: i32 = DATAFOLDER_TYPE;
const TEXT_WAVE: i32 = WAVE_TYPE; // WAVE/T: the wave flag with text (type 0)

fn code(return_type: i32, types: &[i32], supplied: &[(&str, bool)]) -> i32 {
    let info = FunctionInfo {
        return_type,
        param_types: types,
        required: types.len(),
    };
    let params: Vec<(&[u8], bool)> = supplied.iter().map(|&(t, w)| (t.as_bytes(), w)).collect();
    match check_call_with_waves(0, &info, &params) {
        Ok(_) => 0,
        Err(c) => c,
    }
}

#[test]
fn wave_inputs_take_wave_parameters() {
    assert_eq!(code(VAR, &[WAVE_TYPE | VAR], &[("", true)]), 0);
    assert_eq!(code(VAR, &[TEXT_WAVE], &[("", true)]), 0);
    assert_eq!(
        code(
            STR,
            &[VAR, WAVE_TYPE | VAR, STR],
            &[("1", false), ("", true), ("s", false)]
        ),
        0
    );
    assert_eq!(code(WAVE_TYPE, &[WAVE_TYPE | VAR], &[("", true)]), 0);
    // Multiple return values: a wave output, then a wave input.
    assert_eq!(
        code(
            FV_NORETURN_TYPE,
            &[WAVE_TYPE | VAR | FV_REF_TYPE, WAVE_TYPE | VAR],
            &[("", true)]
        ),
        0
    );
}

#[test]
fn clients_without_waves_see_the_reference_codes() {
    // A WAVE input given text: 104 as in the reference; WAVE & always 104.
    assert_eq!(code(VAR, &[WAVE_TYPE | VAR], &[("abc", false)]), 104);
    assert_eq!(
        code(VAR, &[WAVE_TYPE | VAR | FV_REF_TYPE], &[("", true)]),
        104
    );
    assert_eq!(code(VAR, &[VAR], &[("1.5", false)]), 0);
    assert_eq!(code(VAR, &[VAR], &[("x", false)]), 106);
}

#[test]
fn a_wave_for_a_scalar_input_is_an_invalid_parameter() {
    assert_eq!(code(VAR, &[VAR], &[("", true)]), 106);
    assert_eq!(code(VAR, &[STR], &[("", true)]), 106);
    assert_eq!(code(VAR, &[DF], &[("", true)]), 106);
    // Counts come first.
    assert_eq!(code(VAR, &[WAVE_TYPE | VAR], &[]), 102);
    assert_eq!(
        code(VAR, &[WAVE_TYPE | VAR], &[("", true), ("", true)]),
        103
    );
}
