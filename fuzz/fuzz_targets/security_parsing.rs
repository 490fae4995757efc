//! libFuzzer target `security_parsing`: see `security_harness::security_parsing`.
#![no_main]

#[path = "../security_harness.rs"]
mod security_harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| security_harness::security_parsing(data));
