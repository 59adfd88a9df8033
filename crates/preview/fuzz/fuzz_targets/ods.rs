//! Fuzzes the ods reader through the whole preview pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| catalog_preview_fuzz::run_pipeline(data, "ods"));
