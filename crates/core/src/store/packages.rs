//! A draft moved between computers for review (export on one, import on the other): everything the
//! store holds about it, read out in one piece, and written back in one transaction — creating the
//! draft with its own id, or updating a known one — with the revisions the other computer added
//! appended to the log and the import itself logged.

use rusqlite::{params, TransactionBehavior};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::drafts::Draft;
use super::resources::Resource;
use super::revisions::{self, Revision, RevisionAction};
use super::{now, Store};
use crate::error::StoreError;

/// A draft with its resources and its whole revision log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackagedDraft {
    pub draft: Draft,
    pub resources: Vec<Resource>,
    pub revisions: Vec<Revision>,
}

/// The same revision, recorded on either computer.
fn same_revision(a: &Revision, b: &Revision) -> bool {
    a.at == b.at && a.actor == b.actor && a.action == b.action && a.detail == b.detail
}

impl Store {
    pub fn packaged(&self, draft_id: &str) -> Result<PackagedDraft, StoreError> {
        Ok(PackagedDraft {
            draft: self.draft(draft_id)?,
            resources: self.resources(draft_id)?,
            revisions: self.revisions(draft_id)?,
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
}
