//! Catalog Desk's file preview and column-profile domain: opens CSV/TSV/XLSX/XLSM/XLSB/XLS/ODS files,
//! detects encoding, dialect, sheets and the table layout (title rows, one- or two-row headers, totals
//! and notes), shows the first screen at once, serves later row windows, and profiles every column over
//! the whole file with flat memory. No UI and no Tauri: the shell calls [`open`] and the [`Source`]
//! methods, and every result is `serde::Serialize`.
//!
//! ```no_run
//! use std::sync::atomic::AtomicBool;
//! use catalog_preview::{open, suggest_metadata, OpenOptions};
//!
//! # fn main() -> Result<(), catalog_preview::PreviewError> {
//! let mut source = open("ข้อมูล.csv".as_ref(), &OpenOptions::default())?;
//! let layout = source.detect_layout(None)?; // the user may edit it; the store saves it
//! let first = source.first_screen(&layout, 200)?; // at once, whatever the file size
//! let cancel = AtomicBool::new(false);
//! source.build_row_index(&layout, &mut |_progress| {}, &cancel)?; // in the background
//! let later = source.rows(&layout, 10_000, 100)?;
//! let profile = source.profile(&layout, &mut |_progress| {}, &cancel)?;
//! let suggestion = suggest_metadata(source.info(), &layout, &profile);
//! # let _ = (first, later, suggestion);
//! # Ok(())
//! # }
//! ```

mod chunked;
mod classify;
mod delimited;
mod encoding;
mod error;
mod layout;
mod metadata;
mod profile;
mod row;
mod source;
mod spill;
mod workbook;
mod xlsx_head;

pub use classify::{classify, parse_date, CellValue, CivilDate};
pub use delimited::{sniff_dialect, CsvDialect};
pub use encoding::{EncodingReport, EncodingSource};
pub use error::PreviewError;
pub use layout::{SkipReason, SkippedRow, TableLayout};
pub use metadata::{suggest_metadata, MetadataSuggestion};
pub use profile::{
    mask_example, ColumnProfile, ColumnType, Profile, SkippedCounts, TypeCounts, YearRange, YearSource, PROFILE_VERSION,
};
pub use row::RowText;
pub use source::{
    open, DataRow, FileFormat, OpenOptions, Progress, RowIndexSummary, RowSink, RowWindow, Source, SourceInfo,
};
pub use workbook::{MergedRegion, SheetInfo};

/// Widest table accepted (Excel's own limit); wider input is refused rather than read.
pub const MAX_COLUMNS: usize = 16_384;
