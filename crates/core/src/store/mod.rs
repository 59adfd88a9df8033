//! The local draft store: one SQLite database (WAL, foreign keys, synchronous commits) in the data
//! folder, with versioned migrations applied at open. A draft (ฉบับร่าง) is a dataset entry being
//! prepared: a UUID fixed at creation, title, slug, data type, metadata as JSON keyed by schema field,
//! review state and timestamps. Its resource files (ทรัพยากรข้อมูล) are rows pointing at blobs in
//! [`crate::blobs`]. Every change to a draft appends to the revision log in the same transaction.
//!
//! Invariants: a function returns `Ok` only after its transaction committed (so an acknowledged change
//! survives a killed process); a damaged or locked database is reported, never recreated; the revision
//! log is append-only (enforced by triggers).

mod analysis;
mod bulk;
mod drafts;
mod fields;
mod migrations;
mod packages;
mod previews;
mod resources;
mod review;
mod revisions;
mod settings;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::blobs::BlobStore;
use crate::database_file;
use crate::error::StoreError;

pub(crate) use analysis::{original_name, saved_layout};
pub use drafts::{Draft, DraftState, DraftSummary};
pub use packages::{PackagedAnalysis, PackagedDraft};
pub use resources::Resource;
pub use review::ReviewDecision;
pub use revisions::{Revision, RevisionAction};

/// File name of the database inside the data folder.
pub const DATABASE_FILE: &str = "catalog-desk.sqlite3";

const BUSY_TIMEOUT: Duration = Duration::from_secs(2);

pub struct Store {
    conn: Connection,
    db_path: PathBuf,
    blobs: BlobStore,
}

impl Store {
    /// Opens the store in `data_dir`, creating it on first use and migrating an older one.
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
        let db_path = data_dir.join(DATABASE_FILE);
        let sqlite = |e| StoreError::sqlite(&db_path, e);
        let mut conn = database_file::open(
            &db_path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sqlite)?;
        check_integrity(&conn, &db_path)?;
        let found = migrations::current_version(&conn).map_err(sqlite)?;
        if found > migrations::LATEST {
            return Err(StoreError::TooNew {
                path: db_path,
                found,
                supported: migrations::LATEST,
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL").map_err(sqlite)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(sqlite)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(sqlite)?;
        migrations::migrate_to(&mut conn, migrations::LATEST).map_err(sqlite)?;
        let blobs = BlobStore::open(data_dir.join("blobs"))?;
        let store = Store { conn, db_path, blobs };
        store.collect_unreferenced_blobs()?;
        tracing::info!(path = %store.db_path.display(), "store opened");
        Ok(store)
    }

    /// The database file, for messages and diagnostics.
    pub fn database_path(&self) -> &Path {
        &self.db_path
    }

    /// The resource file store.
    pub fn blobs(&self) -> &BlobStore {
        &self.blobs
    }

    fn sqlite_error(&self, err: rusqlite::Error) -> StoreError {
        StoreError::sqlite(&self.db_path, err)
    }

    /// Removes blobs that no resource references (left by a crash between copying a file and recording
    /// it, or between removing a resource and deleting its copy).
    fn collect_unreferenced_blobs(&self) -> Result<(), StoreError> {
        for sha256 in self.blobs.all() {
            if !self.blob_is_referenced(&sha256)? {
                tracing::info!(%sha256, "removing unreferenced blob");
                self.blobs.remove(&sha256)?;
            }
        }
        Ok(())
    }

    fn blob_is_referenced(&self, sha256: &str) -> Result<bool, StoreError> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM resources WHERE sha256 = ?1)",
                [sha256],
                |r| r.get(0),
            )
            .map_err(|e| self.sqlite_error(e))
    }
}

fn check_integrity(conn: &Connection, db_path: &Path) -> Result<(), StoreError> {
    let verdict: String = conn
        .query_row("PRAGMA quick_check", [], |row| row.get(0))
        .map_err(|e| StoreError::sqlite(db_path, e))?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(StoreError::Corrupt {
            path: db_path.to_owned(),
            detail: verdict,
        })
    }
}

/// The current time as RFC 3339 UTC with exactly three fraction digits, the format of every timestamp
/// in the store, so that text order is time order.
pub fn now() -> String {
    const FORMAT: &[time::format_description::BorrowedFormatItem<'_>] =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    time::OffsetDateTime::now_utc()
        .format(FORMAT)
        .expect("a UTC time always formats")
}

/// Reads a JSON-object column (metadata); the schema's `json_valid` check keeps it well-formed.
pub(crate) fn json_column(
    row: &rusqlite::Row<'_>,
    index: usize,
) -> rusqlite::Result<serde_json::Map<String, serde_json::Value>> {
    let text: String = row.get(index)?;
    serde_json::from_str(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, e.into()))
}

#[cfg(test)]
mod tests;
