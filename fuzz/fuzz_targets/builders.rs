//! libFuzzer target `builders`: see `harness::builders` for what it drives and checks.
#![no_main]

use zeromq_xop_fuzz_harness as harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::builders(data));
