//! Drafts (ฉบับร่าง): create, list with title search, read, rename, delete. Each change and its revision
//! entry commit together.

use rusqlite::{params, OptionalExtension, Row, TransactionBehavior};
use serde::{Deserialize, Serialize};
use serde_json::json;

use catalog_schema::keys;

use super::revisions::{self, RevisionAction};
use super::{json_column, now, Store};
use crate::error::StoreError;

/// Where a draft is in the steward's review: Draft → Submitted → Approved or ChangesRequested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum DraftState {
    Draft,
    /// ส่งตรวจทานแล้ว: waiting for the data steward.
    Submitted,
    /// อนุมัติแล้ว: may be published.
    Approved,
    /// ขอให้แก้ไข: the steward sent it back with a note.
    ChangesRequested,
}

impl DraftState {
    const ALL: [DraftState; 4] = [
        DraftState::Draft,
        DraftState::Submitted,
        DraftState::Approved,
        DraftState::ChangesRequested,
    ];

    pub(super) fn as_str(self) -> &'static str {
        match self {
            DraftState::Draft => "draft",
            DraftState::Submitted => "submitted",
            DraftState::Approved => "approved",
            DraftState::ChangesRequested => "changes_requested",
        }
    }

    /// The state's name in Thai and English, as people see it.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            DraftState::Draft => ("ฉบับร่าง", "Draft"),
            DraftState::Submitted => ("ส่งตรวจทานแล้ว", "Submitted"),
            DraftState::Approved => ("อนุมัติแล้ว", "Approved"),
            DraftState::ChangesRequested => ("ขอให้แก้ไข", "Changes requested"),
        }
    }

    pub(super) fn parse(text: &str) -> Option<DraftState> {
        DraftState::ALL.into_iter().find(|state| state.as_str() == text)
    }

    fn from_column(row: &Row<'_>, index: usize) -> rusqlite::Result<DraftState> {
        let text: String = row.get(index)?;
        DraftState::parse(&text).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                index,
                rusqlite::types::Type::Text,
                format!("unknown draft state {text}").into(),
            )
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Draft {
    pub id: String,
    pub title: String,
    pub slug: String,
    pub data_type: Option<String>,
    pub metadata: serde_json::Map<String, serde_json::Value>,
    pub state: DraftState,
    pub created_at: String,
    pub updated_at: String,
}

/// One line of the draft list.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct DraftSummary {
    pub id: String,
    pub title: String,
    pub slug: String,
    pub data_type: Option<String>,
    pub state: DraftState,
    pub created_at: String,
    pub updated_at: String,
    pub resource_count: i64,
}

fn clean_title(title: &str) -> Result<String, StoreError> {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() {
        Err(StoreError::EmptyTitle)
    } else {
        Ok(title)
    }
}

pub(super) const DRAFT_COLUMNS: &str = "id, title, slug, data_type, metadata, state, created_at, updated_at";

pub(super) fn draft_from_row(row: &Row<'_>) -> rusqlite::Result<Draft> {
    Ok(Draft {
        id: row.get(0)?,
        title: row.get(1)?,
        slug: row.get(2)?,
        data_type: row.get(3)?,
        metadata: json_column(row, 4)?,
        state: DraftState::from_column(row, 5)?,
        created_at: row.get(6)?,
        updated_at: row.get(7)?,
    })
}

impl Store {
    /// Creates a draft. Its id is a new UUID, fixed for life; the slug starts as a short stable id
    /// derived from it, always valid for the ADC, until the person chooses one.
    pub fn create_draft(&mut self, title: &str, actor: &str) -> Result<Draft, StoreError> {
        let title = clean_title(title)?;
        let id = uuid::Uuid::new_v4().to_string();
        let slug = catalog_schema::suggest_slug(&title, &id);
        let mut metadata = serde_json::Map::new();
        metadata.insert(keys::TITLE.to_owned(), json!(title));
        metadata.insert(keys::NAME.to_owned(), json!(slug));
        let at = now();
        let result = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).and_then(|tx| {
            tx.execute(
                "INSERT INTO drafts (id, title, slug, metadata, state, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![id, title, slug, serde_json::Value::Object(metadata).to_string(), DraftState::Draft.as_str(), at],
            )?;
            revisions::append(&tx, &id, &at, actor, RevisionAction::Created, json!({ "title": title }))?;
            tx.commit()
        });
        result.map_err(|e| self.sqlite_error(e))?;
        self.draft(&id)
    }

    pub fn draft(&self, id: &str) -> Result<Draft, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {DRAFT_COLUMNS} FROM drafts WHERE id = ?1"),
                [id],
                draft_from_row,
            )
            .optional()
            .map_err(|e| self.sqlite_error(e))?
            .ok_or_else(|| StoreError::DraftNotFound(id.to_owned()))
    }

    /// Drafts whose title contains `search` (case-insensitive for Latin letters; empty matches all),
    /// most recently updated first.
    pub fn list_drafts(&self, search: &str) -> Result<Vec<DraftSummary>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT d.id, d.title, d.slug, d.data_type, d.state, d.created_at, d.updated_at,
                        (SELECT COUNT(*) FROM resources r WHERE r.draft_id = d.id)
                 FROM drafts d
                 WHERE ?1 = '' OR instr(lower(d.title), lower(?1)) > 0
                 ORDER BY d.updated_at DESC, d.rowid DESC",
            )
            .map_err(|e| self.sqlite_error(e))?;
        let rows = stmt
            .query_map([search.trim()], |row| {
                Ok(DraftSummary {
                    id: row.get(0)?,
                    title: row.get(1)?,
                    slug: row.get(2)?,
                    data_type: row.get(3)?,
                    state: DraftState::from_column(row, 4)?,
                    created_at: row.get(5)?,
                    updated_at: row.get(6)?,
                    resource_count: row.get(7)?,
                })
            })
            .map_err(|e| self.sqlite_error(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.sqlite_error(e))
    }

    /// Whether the store holds any draft at all (a folder in use, not a fresh one).
    pub fn has_drafts(&self) -> Result<bool, StoreError> {
        self.conn
            .query_row("SELECT EXISTS (SELECT 1 FROM drafts)", [], |row| row.get(0))
            .map_err(|e| self.sqlite_error(e))
    }

    /// Renames a draft (its title field); renaming to the same title changes nothing and logs nothing.
    pub fn rename_draft(&mut self, id: &str, title: &str, actor: &str) -> Result<Draft, StoreError> {
        let title = clean_title(title)?;
        self.set_field(id, keys::TITLE, json!(title), actor)
    }

    /// Deletes a draft and its resources; copies of files that no other draft uses are removed too.
    /// The revision log keeps the draft's history, ending with the deletion.
    pub fn delete_draft(&mut self, id: &str, actor: &str) -> Result<(), StoreError> {
        let draft = self.draft(id)?;
        let hashes: Vec<String> = self.resources(id)?.into_iter().map(|r| r.sha256).collect();
        let at = now();
        let result = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .and_then(|tx| {
                tx.execute("DELETE FROM resources WHERE draft_id = ?1", [id])?;
                tx.execute("DELETE FROM drafts WHERE id = ?1", [id])?;
                revisions::append(
                    &tx,
                    id,
                    &at,
                    actor,
                    RevisionAction::Deleted,
                    json!({ "title": draft.title }),
                )?;
                tx.commit()
            });
        result.map_err(|e| self.sqlite_error(e))?;
        for sha256 in hashes {
            self.release_blob(&sha256)?;
        }
        Ok(())
    }
}
