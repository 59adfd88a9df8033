//! Catalog Desk's local domain, free of Tauri and GTK: the SQLite draft store with its migrations and
//! append-only revision log ([`store`]), the content-addressed copy of every attached resource file
//! ([`blobs`]), a draft's metadata seen through the schema ([`metadata`]), where the app keeps its data
//! ([`data_dir`]), each file's content analysis and the publish gate it feeds ([`analysis`],
//! [`classification`]), and the typed errors of all of it ([`error`]). The Tauri shell and the command-line entry point are thin callers of this crate.

pub mod analysis;
pub mod blobs;
pub mod checklist;
pub mod classification;
pub mod data_dir;
pub mod database_file;
pub mod error;
pub mod hints;
pub mod metadata;
pub mod package;
pub mod preview;
pub mod review_sheet;
pub mod schema_cache;
pub mod store;

pub use error::StoreError;
pub use store::{Draft, DraftState, DraftSummary, Resource, ReviewDecision, Revision, RevisionAction, Store};

/// Who is making a change, for the revision log: the operating-system account name.
pub fn local_user() -> String {
    ["USERNAME", "USER", "LOGNAME"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|name| !name.trim().is_empty()))
        .unwrap_or_else(|| "unknown".to_owned())
}
