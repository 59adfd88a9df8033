//! The stored analysis of each resource file (`analyses` table, one row per resource, deleted with
//! it) and the job API of the background worker that makes them: the queue of files whose scan is
//! missing, stale or interrupted; beginning a job (marked running, handed out with all it needs, so the
//! file is read without the store); finishing it only if the file and its layout are still what the job
//! began with; abandoning a cancelled one. A row records the copy (sha256), the saved layout and the
//! version it was made for: when any of them no longer matches the resource, the file is stale.

use std::collections::HashMap;
use std::path::Path;

use catalog_error::UserMessage;
use catalog_preview::{FileFormat, TableLayout};
use rusqlite::{params, OptionalExtension, Transaction};

use super::resources::{resource_from_row, RESOURCE_COLUMNS};
use super::{now, Resource, Store};
use crate::analysis::{Analysis, AnalysisJob, FileScan, ScanState, ANALYSIS_VERSION};
use crate::error::StoreError;

const RUNNING: &str = "running";
const FAILED: &str = "failed";
const DONE: &str = "done";

/// One row of `analyses`.
#[derive(Debug, Clone)]
pub(super) struct AnalysisRow {
    pub state: String,
    pub sha256: String,
    /// The saved layout the scan was (or is being) made with, as JSON.
    pub saved_layout: Option<String>,
    pub version: u32,
    /// The [`Analysis`] when done, the [`UserMessage`] when failed, as JSON.
    pub result: Option<String>,
}

const ROW_COLUMNS: &str = "state, sha256, saved_layout, version, result";

impl AnalysisRow {
    /// The row of a finished analysis of `resource` as it is now (its copy and saved layout).
    pub fn done(resource: &Resource, analysis: &Analysis) -> AnalysisRow {
        AnalysisRow {
            state: DONE.to_owned(),
            sha256: resource.sha256.clone(),
            saved_layout: layout_text(saved_layout(resource).as_ref()),
            version: analysis.version,
            result: Some(serde_json::to_string(analysis).expect("an analysis serializes")),
        }
    }

    /// Writes the row for `resource_id` (in a transaction that has just inserted the resource).
    pub fn insert(&self, tx: &Transaction<'_>, resource_id: &str, at: &str) -> rusqlite::Result<()> {
        tx.execute(
            "INSERT INTO analyses (resource_id, state, sha256, saved_layout, version, result, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                resource_id,
                self.state,
                self.sha256,
                self.saved_layout,
                self.version,
                self.result,
                at
            ],
        )
        .map(|_| ())
    }
}

fn row_from(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<AnalysisRow> {
    Ok(AnalysisRow {
        state: row.get(first)?,
        sha256: row.get(first + 1)?,
        saved_layout: row.get(first + 2)?,
        version: row.get(first + 3)?,
        result: row.get(first + 4)?,
    })
}

/// The person's correction of the resource's layout, if it has one that reads as a layout.
pub(crate) fn saved_layout(resource: &Resource) -> Option<TableLayout> {
    resource
        .layout
        .clone()
        .and_then(|layout| serde_json::from_value(layout).ok())
}

fn layout_text(layout: Option<&TableLayout>) -> Option<String> {
    layout.map(|l| serde_json::to_string(l).expect("a layout serializes"))
}

fn layout_of_text(text: Option<&str>) -> Option<TableLayout> {
    text.and_then(|t| serde_json::from_str(t).ok())
}

/// The name the file was attached under (its original path's file name), which tells its format.
pub(crate) fn original_name(resource: &Resource) -> String {
    Path::new(&resource.original_path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| resource.name.clone())
}

fn scannable(resource: &Resource) -> bool {
    !resource.stored_path.is_empty() && FileFormat::from_name(&original_name(resource)).is_some()
}

/// Where the resource's scan stands, given its `analyses` row.
fn state_of(resource: &Resource, row: Option<&AnalysisRow>) -> ScanState {
    if !scannable(resource) {
        return ScanState::NotScannable;
    }
    let Some(row) = row else {
        return ScanState::Missing;
    };
    let current = row.sha256 == resource.sha256
        && row.version == ANALYSIS_VERSION
        && layout_of_text(row.saved_layout.as_deref()) == saved_layout(resource);
    match row.state.as_str() {
        _ if !current => ScanState::Stale,
        RUNNING => ScanState::Running,
        DONE => ScanState::Done,
        _ => ScanState::Failed {
            error: row
                .result
                .as_deref()
                .and_then(|text| serde_json::from_str(text).ok())
                .unwrap_or_else(|| {
                    UserMessage::new("analysis.failed", "ตรวจไฟล์ไม่สำเร็จ", "The file could not be checked.")
                }),
        },
    }
}

impl Store {
    fn analysis_row(&self, resource_id: &str) -> Result<Option<AnalysisRow>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {ROW_COLUMNS} FROM analyses WHERE resource_id = ?1"),
                [resource_id],
                |row| row_from(row, 0),
            )
            .optional()
            .map_err(|e| self.sqlite_error(e))
    }

    /// The `analyses` rows of the draft's resources (every resource's when `draft_id` is `None`).
    pub(super) fn analysis_rows(&self, draft_id: Option<&str>) -> Result<HashMap<String, AnalysisRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT a.resource_id, {} FROM analyses a JOIN resources r ON r.id = a.resource_id
                 WHERE ?1 IS NULL OR r.draft_id = ?1",
                ROW_COLUMNS
                    .split(", ")
                    .map(|c| format!("a.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .map_err(|e| self.sqlite_error(e))?;
        let rows = stmt
            .query_map([draft_id], |row| Ok((row.get::<_, String>(0)?, row_from(row, 1)?)))
            .map_err(|e| self.sqlite_error(e))?;
        rows.collect::<rusqlite::Result<HashMap<_, _>>>()
            .map_err(|e| self.sqlite_error(e))
    }

    /// Where the file's content scan stands.
    pub fn scan_state(&self, resource_id: &str) -> Result<ScanState, StoreError> {
        let resource = self.resource(resource_id)?;
        Ok(state_of(&resource, self.analysis_row(resource_id)?.as_ref()))
    }

    /// The scan state of each of the draft's files, in attach order.
    pub fn file_scans(&self, draft_id: &str) -> Result<Vec<FileScan>, StoreError> {
        let rows = self.analysis_rows(Some(draft_id))?;
        Ok(self
            .resources(draft_id)?
            .into_iter()
            .map(|r| FileScan {
                state: state_of(&r, rows.get(&r.id)),
                resource_id: r.id,
                name: r.name,
            })
            .collect())
    }

    /// The file's analysis, when its scan is done and current (`None` otherwise: missing, stale,
    /// running, failed or not scannable).
    pub fn resource_analysis(&self, resource_id: &str) -> Result<Option<Analysis>, StoreError> {
        let resource = self.resource(resource_id)?;
        let row = self.analysis_row(resource_id)?;
        if state_of(&resource, row.as_ref()) != ScanState::Done {
            return Ok(None);
        }
        let text = row.and_then(|r| r.result).unwrap_or_default();
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| StoreError::Database(format!("the analysis of {resource_id} does not read: {e}")))
    }

    /// The files to analyse, oldest attached first: never scanned, stale, or running (a scan running
    /// when the store opens was interrupted). Failed scans are not retried by themselves
    /// ([`Store::requeue_analysis`]).
    pub fn analysis_queue(&self) -> Result<Vec<String>, StoreError> {
        let rows = self.analysis_rows(None)?;
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {RESOURCE_COLUMNS} FROM resources WHERE stored_path <> '' ORDER BY added_at, rowid"
            ))
            .map_err(|e| self.sqlite_error(e))?;
        let resources = stmt
            .query_map([], resource_from_row)
            .map_err(|e| self.sqlite_error(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.sqlite_error(e))?;
        Ok(resources
            .into_iter()
            .filter(|r| {
                matches!(
                    state_of(r, rows.get(&r.id)),
                    ScanState::Missing | ScanState::Stale | ScanState::Running
                )
            })
            .map(|r| r.id)
            .collect())
    }

    /// Marks the file's scan as running and hands out the job; `None` when the file is not scannable
    /// or its analysis is done and current.
    pub fn begin_analysis(&self, resource_id: &str) -> Result<Option<AnalysisJob>, StoreError> {
        let resource = self.resource(resource_id)?;
        let state = state_of(&resource, self.analysis_row(resource_id)?.as_ref());
        if matches!(state, ScanState::NotScannable | ScanState::Done) {
            return Ok(None);
        }
        let layout = saved_layout(&resource);
        self.conn
            .execute(
                "INSERT INTO analyses (resource_id, state, sha256, saved_layout, version, result, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6)
                 ON CONFLICT (resource_id) DO UPDATE SET state = excluded.state, sha256 = excluded.sha256,
                    saved_layout = excluded.saved_layout, version = excluded.version, result = NULL,
                    updated_at = excluded.updated_at",
                params![
                    resource_id,
                    RUNNING,
                    resource.sha256,
                    layout_text(layout.as_ref()),
                    ANALYSIS_VERSION,
                    now()
                ],
            )
            .map_err(|e| self.sqlite_error(e))?;
        Ok(Some(AnalysisJob {
            path: self.blobs.path_of(&resource.sha256),
            original_name: original_name(&resource),
            resource_id: resource.id,
            draft_id: resource.draft_id,
            sha256: resource.sha256,
            saved_layout: layout,
        }))
    }

    /// Keeps the result of a job: the analysis, or why the file could not be read. Written only while
    /// the resource still exists with the same copy and layout as when the job began, and the job is
    /// still the running one; otherwise the result is dropped (the file stays queued) and `false` is
    /// returned.
    pub fn finish_analysis(
        &self,
        job: &AnalysisJob,
        result: Result<&Analysis, &UserMessage>,
    ) -> Result<bool, StoreError> {
        let (state, version, text) = match result {
            Ok(analysis) => (DONE, analysis.version, serde_json::to_string(analysis)),
            Err(message) => (FAILED, ANALYSIS_VERSION, serde_json::to_string(message)),
        };
        let text = text.map_err(|e| StoreError::Database(e.to_string()))?;
        let tx = self.conn.unchecked_transaction().map_err(|e| self.sqlite_error(e))?;
        let resource = match self.resource(&job.resource_id) {
            Ok(resource) => resource,
            Err(StoreError::ResourceNotFound(_)) => return Ok(false),
            Err(other) => return Err(other),
        };
        if resource.sha256 != job.sha256 || saved_layout(&resource) != job.saved_layout {
            return Ok(false);
        }
        let changed = tx
            .execute(
                "UPDATE analyses SET state = ?2, version = ?3, result = ?4, updated_at = ?5
                 WHERE resource_id = ?1 AND state = ?6 AND sha256 = ?7 AND saved_layout IS ?8 AND version = ?9",
                params![
                    job.resource_id,
                    state,
                    version,
                    text,
                    now(),
                    RUNNING,
                    job.sha256,
                    layout_text(job.saved_layout.as_ref()),
                    ANALYSIS_VERSION
                ],
            )
            .and_then(|changed| tx.commit().map(|()| changed))
            .map_err(|e| self.sqlite_error(e))?;
        Ok(changed == 1)
    }

    /// Puts a cancelled job's file back to never scanned (it is queued again; a cancel is not a
    /// failure).
    pub fn abandon_analysis(&self, job: &AnalysisJob) -> Result<(), StoreError> {
        self.conn
            .execute(
                "DELETE FROM analyses WHERE resource_id = ?1 AND state = ?2 AND sha256 = ?3",
                params![job.resource_id, RUNNING, job.sha256],
            )
            .map(|_| ())
            .map_err(|e| self.sqlite_error(e))
    }

    /// Forgets the file's analysis so that it is queued again (the person's "check again" after a
    /// failure).
    pub fn requeue_analysis(&self, resource_id: &str) -> Result<(), StoreError> {
        self.resource(resource_id)?;
        self.conn
            .execute("DELETE FROM analyses WHERE resource_id = ?1", [resource_id])
            .map(|_| ())
            .map_err(|e| self.sqlite_error(e))
    }
}
