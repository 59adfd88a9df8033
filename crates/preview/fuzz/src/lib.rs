//! Shared driver of the fuzz targets: writes the input to a per-process temporary file with the given
//! extension (the public API reads paths) and runs the whole pipeline: open, layout, first screen, row
//! index, a late window and the profile. Errors are expected; panics and hangs are the bugs looked for.
//!
//! The preview contains panics raised inside calamine (known: xls.rs and cfb.rs in 0.38) and reports them
//! as a corrupt file; libfuzzer-sys's panic hook would abort on those contained panics too. So the hook
//! is replaced by a quiet one: a panic that escapes the preview's API is still caught by libfuzzer-sys
//! around the target and reported as a crash.

use std::sync::atomic::AtomicBool;
use std::sync::Once;

use catalog_preview::{open, OpenOptions};

static QUIET_CONTAINED_PANICS: Once = Once::new();

pub fn run_pipeline(data: &[u8], extension: &str) {
    QUIET_CONTAINED_PANICS.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let path = std::env::temp_dir().join(format!("catalog-preview-fuzz-{}.{extension}", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let cancel = AtomicBool::new(false);
    if let Ok(mut source) = open(&path, &OpenOptions::default()) {
        if let Ok(layout) = source.detect_layout(None) {
            let _ = source.first_screen(&layout, 50);
            if source.build_row_index(&layout, &mut |_| {}, &cancel).is_ok() {
                let _ = source.rows(&layout, 600, 20);
            }
            let _ = source.profile(&layout, &mut |_| {}, &cancel);
        }
    }
    let _ = std::fs::remove_file(&path);
}
