//! The whole-file scan: reads every data row of an opened [`Source`] with its [`TableLayout`] through
//! catalog-preview, in windows of [`WINDOW_ROWS`] (memory flat), feeds a [`HintScanner`], and reports
//! progress and honours a cancel flag like the preview's own passes.

use std::sync::atomic::{AtomicBool, Ordering};

use catalog_preview::{Progress, Source, TableLayout};

use crate::{Hint, HintError, HintScanner};

/// Data rows read at a time.
pub const WINDOW_ROWS: usize = 4096;

/// Scans every data row of `source` under `layout` and returns the hints.
///
/// Rows are read through the preview's row index so that each window starts where the last ended: if
/// the index has not been built for this layout yet (the app builds it for the grid), it is built first,
/// and progress covers both passes (the index up to one half). Cancelling returns
/// [`HintError::Cancelled`].
pub fn scan(
    source: &mut Source,
    layout: &TableLayout,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<Vec<Hint>, HintError> {
    let (total, start_fraction) = match source.rows(layout, 0, 0)?.total_data_rows {
        Some(total) => (total, 0.0),
        None => {
            let mut half = |p: Progress| {
                progress(Progress {
                    rows_read: p.rows_read,
                    fraction: p.fraction.map(|f| f * 0.5),
                })
            };
            (source.build_row_index(layout, &mut half, cancel)?.data_rows, 0.5)
        }
    };
    let mut scanner = HintScanner::new(&layout.column_names);
    let mut first = 0usize;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(HintError::Cancelled);
        }
        let window = source.rows(layout, first, WINDOW_ROWS)?;
        for row in &window.rows {
            scanner.add_row(&row.cells);
        }
        first += window.rows.len();
        let done = first as f32 / total.max(1) as f32;
        progress(Progress {
            rows_read: first,
            fraction: Some(start_fraction + (1.0 - start_fraction) * done.min(1.0)),
        });
        if !window.has_more || window.rows.is_empty() {
            break;
        }
    }
    Ok(scanner.finish())
}
