//! libFuzzer target `logging_template`: see `harness::logging_template` for what it drives and checks.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::logging_template(data));
