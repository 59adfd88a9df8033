//! Fuzzes the per-cell classifier (numbers, Thai digits, dates with Thai month names, identifiers).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = catalog_preview::classify(text);
    let _ = catalog_preview::parse_date(text.trim());
    let _ = catalog_preview::mask_example(text);
});
