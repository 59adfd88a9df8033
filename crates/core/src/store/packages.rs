//! A draft moved between computers for review (export on one, import on the other): everything the
//! store holds about it, read out in one piece — with each file's current analysis beside its copy's
//! sha256 — and written back in one transaction — creating the draft with its own id, or updating a
//! known one — with the revisions the other computer added appended to the log (the hint decisions
//! among them) and the import itself logged. A file's analysis is restored when it is of this
//! version and about the same copy; otherwise this computer's own analysis of the same copy is kept,
//! or the file is scanned again (until then the gate stays closed).

use rusqlite::{params, TransactionBehavior};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::analysis::AnalysisRow;
use super::drafts::Draft;
use super::resources::Resource;
use super::revisions::{self, Revision, RevisionAction};
use super::{now, Store};
use crate::analysis::{Analysis, ANALYSIS_VERSION};
use crate::error::StoreError;

/// A draft with its resources, its whole revision log and its files' analyses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackagedDraft {
    pub draft: Draft,
    pub resources: Vec<Resource>,
    pub revisions: Vec<Revision>,
    /// Absent from packages made before analyses travelled: their files are scanned again.
    #[serde(default)]
    pub analyses: Vec<PackagedAnalysis>,
}

/// A file's analysis as it travels, beside the copy it was made of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackagedAnalysis {
    pub resource_id: String,
    pub sha256: String,
    /// The [`Analysis`], kept as JSON until import: one made by another version of the app may have
    /// another shape, and is then not used (the file is scanned again) rather than refused.
    pub analysis: serde_json::Value,
}

impl PackagedAnalysis {
    /// The analysis, if it is about `resource`'s copy and reads as one.
    fn of(&self, resource: &Resource) -> Option<Analysis> {
        (self.resource_id == resource.id && self.sha256 == resource.sha256)
            .then(|| serde_json::from_value(self.analysis.clone()).ok())
            .flatten()
    }
}

/// The same revision, recorded on either computer.
fn same_revision(a: &Revision, b: &Revision) -> bool {
    a.at == b.at && a.actor == b.actor && a.action == b.action && a.detail == b.detail
}

impl Store {
    pub fn packaged(&self, draft_id: &str) -> Result<PackagedDraft, StoreError> {
        let resources = self.resources(draft_id)?;
        let mut analyses = Vec::new();
        for resource in &resources {
            if let Some(analysis) = self.resource_analysis(&resource.id)? {
                analyses.push(PackagedAnalysis {
                    resource_id: resource.id.clone(),
                    sha256: resource.sha256.clone(),
                    analysis: serde_json::to_value(&analysis).map_err(|e| StoreError::Database(e.to_string()))?,
                });
            }
        }
        Ok(PackagedDraft {
            draft: self.draft(draft_id)?,
            resources,
            revisions: self.revisions(draft_id)?,
            analyses,
        })
    }

    /// Writes a packaged draft: the draft and its resources as they are in the package, and the
    /// package's revisions this store does not have yet. The resources' copies must already be in the
    /// blob store. `summary` describes the import for the log.
    pub fn apply_package(
        &mut self,
        package: &PackagedDraft,
        actor: &str,
        summary: serde_json::Value,
    ) -> Result<(), StoreError> {
        let draft = &package.draft;
        let known = self.revisions(&draft.id)?;
        let new_revisions: Vec<&Revision> = package
            .revisions
            .iter()
            .filter(|r| !known.iter().any(|k| same_revision(k, r)))
            .collect();
        let replaced: Vec<String> = match self.draft(&draft.id) {
            Ok(_) => self.resources(&draft.id)?.into_iter().map(|r| r.sha256).collect(),
            Err(StoreError::DraftNotFound(_)) => Vec::new(),
            Err(other) => return Err(other),
        };
        let analyses = self.incoming_analyses(package)?;
        let at = now();
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .and_then(|tx| {
                tx.execute(
                    "INSERT INTO drafts (id, title, slug, data_type, metadata, state, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                     ON CONFLICT (id) DO UPDATE SET title = excluded.title, slug = excluded.slug,
                        data_type = excluded.data_type, metadata = excluded.metadata, state = excluded.state,
                        updated_at = excluded.updated_at",
                    params![
                        draft.id,
                        draft.title,
                        draft.slug,
                        draft.data_type,
                        serde_json::Value::Object(draft.metadata.clone()).to_string(),
                        draft.state.as_str(),
                        draft.created_at,
                        draft.updated_at
                    ],
                )?;
                tx.execute("DELETE FROM resources WHERE draft_id = ?1", [&draft.id])?;
                for r in &package.resources {
                    tx.execute(
                        "INSERT INTO resources (id, draft_id, name, original_path, stored_path, sha256, size, media_type,
                                                added_at, metadata, layout, previewed_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                        params![
                            r.id,
                            draft.id,
                            r.name,
                            r.original_path,
                            r.stored_path,
                            r.sha256,
                            r.size as i64,
                            r.media_type,
                            r.added_at,
                            serde_json::Value::Object(r.metadata.clone()).to_string(),
                            r.layout.as_ref().map(|l| l.to_string()),
                            r.previewed_at
                        ],
                    )?;
                }
                for (resource_id, row) in &analyses {
                    row.insert(&tx, resource_id, &at)?;
                }
                for revision in &new_revisions {
                    revisions::append_recorded(&tx, revision)?;
                }
                revisions::append(&tx, &draft.id, &at, actor, RevisionAction::PackageImported, json!(summary))?;
                tx.commit()
            })
            .map_err(|e| self.sqlite_error(e))?;
        for sha256 in replaced {
            self.release_blob(&sha256)?;
        }
        Ok(())
    }

    /// The analysis row each of the package's files gets: the package's analysis when it is of this
    /// version; else this store's own row for the same resource and copy; else the package's analysis
    /// of another version (the file shows as stale); else none (never scanned).
    fn incoming_analyses(&self, package: &PackagedDraft) -> Result<Vec<(String, AnalysisRow)>, StoreError> {
        let local = self.analysis_rows(Some(&package.draft.id))?;
        Ok(package
            .resources
            .iter()
            .filter_map(|resource| {
                let incoming = package.analyses.iter().find_map(|a| a.of(resource));
                let kept = local.get(&resource.id).filter(|row| row.sha256 == resource.sha256);
                let row = match (incoming, kept) {
                    (Some(analysis), _) if analysis.version == ANALYSIS_VERSION => {
                        AnalysisRow::done(resource, &analysis)
                    }
                    (_, Some(row)) => row.clone(),
                    (Some(analysis), None) => AnalysisRow::done(resource, &analysis),
                    (None, None) => return None,
                };
                Some((resource.id.clone(), row))
            })
            .collect())
    }
}
