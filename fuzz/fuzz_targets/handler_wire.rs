//! libFuzzer target `handler_wire`: see `harness::handler_wire` for what it drives and checks.
#![no_main]

use zeromq_xop_fuzz_harness as harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::handler_wire(data));
