//! The whole-file scan: every data row of an opened [`Source`] under its [`TableLayout`] fed to a
//! [`HintScanner`] during one pass of catalog-preview's profile (on every core for a large CSV), with
//! the preview's progress reports and cancel flag.

use std::sync::atomic::AtomicBool;

use catalog_preview::{Progress, Source, TableLayout};

use crate::{Hint, HintError, HintScanner};

/// Scans every data row of `source` under `layout` and returns the hints. Cancelling returns
/// [`HintError::Cancelled`]. To keep the profile of the same pass, call
/// [`Source::profile_visiting`] with a [`HintScanner`] instead.
pub fn scan(
    source: &mut Source,
    layout: &TableLayout,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<Vec<Hint>, HintError> {
    let mut scanner = HintScanner::new(&layout.column_names);
    source.profile_visiting(layout, progress, cancel, &mut scanner)?;
    Ok(scanner.finish())
}
