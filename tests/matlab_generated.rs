//! The MATLAB / Octave glue's generated files (the m-file wrappers, Contents.m and the MEX
//! command table with its error identifiers) must match host-glue/matlab/functions.json and
//! the ZEROMQ_ERR_* codes of include/zeromq_xop.h: runs `generate.py --check`.

mod common;

#[test]
fn matlab_generated_files_are_in_sync() {
    common::assert_generated_in_sync("matlab");
}
