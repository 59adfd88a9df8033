//! Editing metadata one field at a time, as the form autosaves: a draft's field or one of its
//! resources' fields, each change logged with its before and after value, and undo of the most recent
//! changes (an undo is itself a logged change, so the history stays complete). The title, slug and
//! data type are also kept in their own columns for listing and search.

use rusqlite::{params, TransactionBehavior};
use serde_json::{json, Map, Value};

use catalog_schema::keys;

use super::drafts::Draft;
use super::resources::Resource;
use super::review::{record_edit, reopen_if_reviewed};
use super::revisions::{self, RevisionAction};
use super::{now, Store};
use crate::error::StoreError;

/// A cleared field (null, blank text, empty list) is removed rather than stored empty.
fn is_cleared(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// Sets `key` in `map` and returns the value it had (`Null` when absent).
fn apply(map: &mut Map<String, Value>, key: &str, value: Value) -> Value {
    let before = if is_cleared(&value) {
        map.remove(key)
    } else {
        map.insert(key.to_owned(), value)
    };
    before.unwrap_or(Value::Null)
}

fn column_text(metadata: &Map<String, Value>, key: &str) -> String {
    metadata.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

impl Store {
    /// Sets one metadata field of a draft; setting the value it already has changes and logs nothing.
    pub fn set_field(&mut self, draft_id: &str, key: &str, value: Value, actor: &str) -> Result<Draft, StoreError> {
        self.change_draft_field(draft_id, key, value, actor, None)
    }

    fn change_draft_field(
        &mut self,
        draft_id: &str,
        key: &str,
        value: Value,
        actor: &str,
        undo_of: Option<i64>,
    ) -> Result<Draft, StoreError> {
        let draft = self.draft(draft_id)?;
        let mut metadata = draft.metadata.clone();
        let before = apply(&mut metadata, key, value);
        let after = metadata.get(key).cloned().unwrap_or(Value::Null);
        if before == after {
            return Ok(draft);
        }
        let at = now();
        let data_type = metadata.get(keys::DATA_TYPE).and_then(Value::as_str).map(str::to_owned);
        let detail = change_detail(key, None, &before, &after, undo_of);
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .and_then(|tx| {
                tx.execute(
                    "UPDATE drafts SET metadata = ?2, title = ?3, slug = ?4, data_type = ?5, updated_at = ?6 WHERE id = ?1",
                    params![
                        draft_id,
                        Value::Object(metadata.clone()).to_string(),
                        column_text(&metadata, keys::TITLE),
                        column_text(&metadata, keys::NAME),
                        data_type,
                        at
                    ],
                )?;
                revisions::append(&tx, draft_id, &at, actor, RevisionAction::FieldChanged, detail)?;
                reopen_if_reviewed(&tx, draft_id, &at, actor)?;
                tx.commit()
            })
            .map_err(|e| self.sqlite_error(e))?;
        self.draft(draft_id)
    }

    /// Sets one metadata field of a resource file.
    pub fn set_resource_field(
        &mut self,
        resource_id: &str,
        key: &str,
        value: Value,
        actor: &str,
    ) -> Result<Resource, StoreError> {
        self.change_resource_field(resource_id, key, value, actor, None)
    }

    fn change_resource_field(
        &mut self,
        resource_id: &str,
        key: &str,
        value: Value,
        actor: &str,
        undo_of: Option<i64>,
    ) -> Result<Resource, StoreError> {
        let resource = self.resource(resource_id)?;
        let mut metadata = resource.metadata.clone();
        let before = apply(&mut metadata, key, value);
        let after = metadata.get(key).cloned().unwrap_or(Value::Null);
        if before == after {
            return Ok(resource);
        }
        let shown_name = metadata
            .get(keys::NAME)
            .and_then(Value::as_str)
            .unwrap_or(&resource.name)
            .to_owned();
        let at = now();
        let detail = change_detail(key, Some(resource_id), &before, &after, undo_of);
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .and_then(|tx| {
                tx.execute(
                    "UPDATE resources SET metadata = ?2, name = ?3 WHERE id = ?1",
                    params![resource_id, Value::Object(metadata).to_string(), shown_name],
                )?;
                record_edit(
                    &tx,
                    &resource.draft_id,
                    &at,
                    actor,
                    RevisionAction::FieldChanged,
                    detail,
                )?;
                tx.commit()
            })
            .map_err(|e| self.sqlite_error(e))?;
        self.resource(resource_id)
    }

    /// Reverts the most recent field change of a draft (or of its resources) that has not been undone
    /// yet, and returns whether there was one. Repeated calls walk further back.
    pub fn undo_last_change(&mut self, draft_id: &str, actor: &str) -> Result<bool, StoreError> {
        self.draft(draft_id)?;
        let history = self.revisions(draft_id)?;
        let undone: Vec<i64> = history
            .iter()
            .filter_map(|r| r.detail.get("undo_of").and_then(Value::as_i64))
            .collect();
        let target = history.iter().rev().find(|r| {
            r.action == RevisionAction::FieldChanged && r.detail.get("undo_of").is_none() && !undone.contains(&r.seq)
        });
        let Some(target) = target else {
            return Ok(false);
        };
        let key = target.detail["field"].as_str().unwrap_or_default().to_owned();
        let before = target.detail["before"].clone();
        match target.detail.get("resource_id").and_then(Value::as_str) {
            Some(resource_id) => match self.change_resource_field(resource_id, &key, before, actor, Some(target.seq)) {
                Err(StoreError::ResourceNotFound(_)) => return Ok(false),
                other => other.map(|_| ())?,
            },
            None => self
                .change_draft_field(draft_id, &key, before, actor, Some(target.seq))
                .map(|_| ())?,
        }
        Ok(true)
    }
}

fn change_detail(key: &str, resource_id: Option<&str>, before: &Value, after: &Value, undo_of: Option<i64>) -> Value {
    let mut detail = json!({ "field": key, "before": before, "after": after });
    if let Some(resource_id) = resource_id {
        detail["resource_id"] = json!(resource_id);
    }
    if let Some(seq) = undo_of {
        detail["undo_of"] = json!(seq);
    }
    detail
}
