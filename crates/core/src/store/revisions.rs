//! The append-only revision log: who changed which draft, when, and what (before/after). Entries are
//! written in the same transaction as the change they describe; later features read them for undo and
//! for the steward's review.

use rusqlite::{params, Transaction};
use serde::{Deserialize, Serialize};

use super::Store;
use crate::error::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RevisionAction {
    Created,
    /// A metadata field of the draft or of one of its resources changed (also by undo).
    FieldChanged,
    ResourceAdded,
    ResourceRemoved,
    /// A review step, or the return to Draft after an edit.
    StateChanged,
    /// The person corrected how a file's table is read (header rows, skipped rows …).
    LayoutChanged,
    /// A review package from another computer updated or created the draft.
    PackageImported,
    /// The person accepted or dismissed (with a reason) a classification hint about a file's contents.
    HintDecided,
    Deleted,
}

impl RevisionAction {
    fn as_str(self) -> &'static str {
        match self {
            RevisionAction::Created => "created",
            RevisionAction::FieldChanged => "field_changed",
            RevisionAction::ResourceAdded => "resource_added",
            RevisionAction::ResourceRemoved => "resource_removed",
            RevisionAction::StateChanged => "state_changed",
            RevisionAction::LayoutChanged => "layout_changed",
            RevisionAction::PackageImported => "package_imported",
            RevisionAction::HintDecided => "hint_decided",
            RevisionAction::Deleted => "deleted",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [
            RevisionAction::Created,
            RevisionAction::FieldChanged,
            RevisionAction::ResourceAdded,
            RevisionAction::ResourceRemoved,
            RevisionAction::StateChanged,
            RevisionAction::LayoutChanged,
            RevisionAction::PackageImported,
            RevisionAction::HintDecided,
            RevisionAction::Deleted,
        ]
        .into_iter()
        .find(|action| action.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Revision {
    pub seq: i64,
    pub draft_id: String,
    pub at: String,
    pub actor: String,
    pub action: RevisionAction,
    pub detail: serde_json::Value,
}

/// Appends a revision as it was recorded elsewhere (from a review package), keeping its time and actor.
pub(super) fn append_recorded(tx: &Transaction<'_>, revision: &Revision) -> rusqlite::Result<()> {
    append(
        tx,
        &revision.draft_id,
        &revision.at,
        &revision.actor,
        revision.action,
        revision.detail.clone(),
    )
}

pub(super) fn append(
    tx: &Transaction<'_>,
    draft_id: &str,
    at: &str,
    actor: &str,
    action: RevisionAction,
    detail: serde_json::Value,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO revisions (draft_id, at, actor, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![draft_id, at, actor, action.as_str(), detail.to_string()],
    )?;
    Ok(())
}

impl Store {
    /// Every revision of a draft, oldest first (also after the draft was deleted).
    pub fn revisions(&self, draft_id: &str) -> Result<Vec<Revision>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, draft_id, at, actor, action, detail FROM revisions WHERE draft_id = ?1 ORDER BY seq")
            .map_err(|e| self.sqlite_error(e))?;
        let rows = stmt
            .query_map([draft_id], |row| {
                let action: String = row.get(4)?;
                let detail: String = row.get(5)?;
                Ok(Revision {
                    seq: row.get(0)?,
                    draft_id: row.get(1)?,
                    at: row.get(2)?,
                    actor: row.get(3)?,
                    action: RevisionAction::parse(&action).ok_or_else(|| {
                        rusqlite::Error::FromSqlConversionFailure(
                            4,
                            rusqlite::types::Type::Text,
                            format!("unknown revision action {action}").into(),
                        )
                    })?,
                    detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
                })
            })
            .map_err(|e| self.sqlite_error(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.sqlite_error(e))
    }
}
