//! Each resource file's content analysis: its classification hints and whole-file column profile,
//! made in one pass over the stored copy and kept with the resource, versioned, with the layout it was
//! made with, so that every file attached in any way (dialog, folder, bulk import, review package) is
//! checked for personal data whether or not anyone previews it. This module owns what an analysis is,
//! the state of a file's scan ([`ScanState`]) and running one ([`run`]); the store keeps them
//! (`store/analysis.rs`), a background worker in the app drives the queue:
//!
//! ```text
//! for id in store.analysis_queue()? {            // with the store locked
//!     let Some(job) = store.begin_analysis(&id)? else { continue };
//!     let result = analysis::run(&job, ..);      // without the store lock
//!     match result {
//!         Err(AnalysisError::Cancelled) => store.abandon_analysis(&job)?,
//!         Ok(found) => { store.finish_analysis(&job, Ok(&found))?; }
//!         Err(failed) => { store.finish_analysis(&job, Err(&failed.to_user_message()))?; }
//!     }
//! }
//! ```

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use catalog_error::{ToUserMessage, UserMessage};
use catalog_hints::{Hint, HintScanner};
use catalog_preview::{open, OpenOptions, PreviewError, Profile, Progress, TableLayout};
use serde::{Deserialize, Serialize};

/// The version of an analysis: the hint scanner's and the profile's versions together. A stored
/// analysis of another version is stale and made again.
pub const ANALYSIS_VERSION: u32 = combined(catalog_hints::SCANNER_VERSION, catalog_preview::PROFILE_VERSION);

const fn combined(scanner: u32, profile: u32) -> u32 {
    assert!(scanner < 1 << 16 && profile < 1 << 16);
    (scanner << 16) | profile
}

/// What one pass over a resource file found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// [`ANALYSIS_VERSION`] of the code that made it.
    pub version: u32,
    /// The layout the file was read with (the person's correction, or the one detected).
    pub layout: TableLayout,
    pub data_rows: u64,
    pub hints: Vec<Hint>,
    pub profile: Profile,
    /// When it was made (RFC 3339 UTC).
    pub analysed_at: String,
}

/// Where a file's content scan stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ScanState {
    /// Not a spreadsheet or delimited text this app reads, or a link without a local copy.
    NotScannable,
    /// Never scanned (or its scan was cancelled).
    Missing,
    /// Scanned by another version of the app, or with a layout other than the file's current one.
    Stale,
    /// Being scanned (or its scan was interrupted when the app stopped).
    Running,
    /// The last scan could not read the file.
    Failed {
        error: UserMessage,
    },
    Done,
}

impl ScanState {
    /// Whether the file's contents are unknown, so the draft may not be public meanwhile.
    pub fn unchecked(&self) -> bool {
        !matches!(self, ScanState::NotScannable | ScanState::Done)
    }
}

/// A file's scan state, named for the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct FileScan {
    pub resource_id: String,
    pub name: String,
    pub state: ScanState,
}

/// One file to analyse, as [`crate::Store::begin_analysis`] hands it out: everything [`run`] needs,
/// so that it runs without the store.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisJob {
    pub resource_id: String,
    pub draft_id: String,
    pub sha256: String,
    /// The stored copy.
    pub path: PathBuf,
    /// The name the file was attached under; its extension tells the format.
    pub original_name: String,
    /// The person's correction of the table layout when the job began; `None` reads with the
    /// detected one.
    pub saved_layout: Option<TableLayout>,
}

/// Why an analysis did not finish.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// Stopped by the cancel flag (the app closing, or the file removed meanwhile).
    #[error("the analysis was cancelled")]
    Cancelled,
    /// The file could not be read as a table.
    #[error("the file could not be analysed: {0}")]
    Read(PreviewError),
}

impl From<PreviewError> for AnalysisError {
    fn from(err: PreviewError) -> Self {
        match err {
            PreviewError::Cancelled => AnalysisError::Cancelled,
            other => AnalysisError::Read(other),
        }
    }
}

impl ToUserMessage for AnalysisError {
    fn to_user_message(&self) -> UserMessage {
        match self {
            AnalysisError::Cancelled => UserMessage::new(
                "analysis.cancelled",
                "หยุดตรวจไฟล์ไว้ก่อน จะตรวจต่อในภายหลัง",
                "The file's check was stopped; it will be checked later.",
            ),
            AnalysisError::Read(err) => {
                let cause = err.to_user_message();
                UserMessage::new("analysis.read", cause.message.th, cause.message.en)
            }
        }
    }
}

/// Reads the job's copy once, with its saved layout or the detected one, and returns its row count,
/// hints and profile. Reports progress and stops when `cancel` is set ([`AnalysisError::Cancelled`]).
/// Holds no lock: the store is not touched.
pub fn run(
    job: &AnalysisJob,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<Analysis, AnalysisError> {
    let options = OpenOptions {
        original_name: Some(job.original_name.clone()),
        ..OpenOptions::default()
    };
    let mut source = open(&job.path, &options)?;
    let layout = match &job.saved_layout {
        Some(layout) => layout.clone(),
        None => source.detect_layout(None)?,
    };
    let mut scanner = HintScanner::new(&layout.column_names);
    let profile = source.profile_visiting(&layout, progress, cancel, &mut scanner)?;
    Ok(Analysis {
        version: ANALYSIS_VERSION,
        data_rows: profile.data_rows,
        hints: scanner.finish(),
        profile,
        layout,
        analysed_at: crate::store::now(),
    })
}
