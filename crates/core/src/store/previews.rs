//! What the preview learns about a resource file, kept with the resource: the table layout the person
//! corrected (logged, since it changes how the file is read), when the file was last previewed (the
//! checklist asks for it), the last whole-file column profile, the classification hints its contents
//! raised, and the person's decision on each hint (logged).

use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde_json::{json, Value};

use super::review::reopen_if_reviewed;
use super::revisions::{self, RevisionAction};
use super::{now, Store};
use crate::error::StoreError;

impl Store {
    /// Saves the person's correction of the table layout (`None` goes back to the detected one).
    pub fn set_resource_layout(
        &mut self,
        resource_id: &str,
        layout: Option<&Value>,
        actor: &str,
    ) -> Result<(), StoreError> {
        let resource = self.resource(resource_id)?;
        if resource.layout.as_ref() == layout {
            return Ok(());
        }
        let at = now();
        let detail = json!({ "resource_id": resource_id, "before": resource.layout, "after": layout });
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .and_then(|tx| {
                tx.execute(
                    "UPDATE resources SET layout = ?2, profile = NULL WHERE id = ?1",
                    params![resource_id, layout.map(Value::to_string)],
                )?;
                revisions::append(
                    &tx,
                    &resource.draft_id,
                    &at,
                    actor,
                    RevisionAction::LayoutChanged,
                    detail,
                )?;
                tx.commit()
            })
            .map_err(|e| self.sqlite_error(e))
    }

    /// Records that the file's contents were just shown.
    pub fn mark_previewed(&self, resource_id: &str) -> Result<(), StoreError> {
        let changed = self
            .conn
            .execute(
                "UPDATE resources SET previewed_at = ?2 WHERE id = ?1",
                params![resource_id, now()],
            )
            .map_err(|e| self.sqlite_error(e))?;
        if changed == 0 {
            return Err(StoreError::ResourceNotFound(resource_id.to_owned()));
        }
        Ok(())
    }

    /// Keeps the file's latest whole-file column profile.
    pub fn set_resource_profile(&self, resource_id: &str, profile: &Value) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE resources SET profile = ?2 WHERE id = ?1",
                params![resource_id, profile.to_string()],
            )
            .map(|_| ())
            .map_err(|e| self.sqlite_error(e))
    }

    /// Keeps the hints the file's latest content scan raised.
    pub fn set_resource_hints(&self, resource_id: &str, hints: &Value) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE resources SET hints = ?2 WHERE id = ?1",
                params![resource_id, hints.to_string()],
            )
            .map(|_| ())
            .map_err(|e| self.sqlite_error(e))
    }

    /// The hints of the file's latest content scan (`None` before the first scan).
    pub fn resource_hints(&self, resource_id: &str) -> Result<Option<Value>, StoreError> {
        self.resource_json(resource_id, "hints")
    }

    /// Records the person's decision on a hint: `accepted` (the hint is right) or dismissed with a
    /// reason. The column's name is kept too, so a decision can be recognised as stale if the layout
    /// changes. A submitted or approved draft goes back to Draft, since the evidence changed.
    pub fn decide_hint(
        &mut self,
        resource_id: &str,
        hint_id: &str,
        column: &str,
        accepted: bool,
        reason: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        if !accepted && reason.trim().is_empty() {
            return Err(StoreError::DismissReasonRequired);
        }
        let resource = self.resource(resource_id)?;
        let at = now();
        let detail = json!({
            "resource_id": resource_id, "hint_id": hint_id, "column": column,
            "accepted": accepted, "reason": reason.trim(),
        });
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .and_then(|tx| {
                revisions::append(&tx, &resource.draft_id, &at, actor, RevisionAction::HintDecided, detail)?;
                reopen_if_reviewed(&tx, &resource.draft_id, &at, actor)?;
                tx.commit()
            })
            .map_err(|e| self.sqlite_error(e))
    }

    /// The file's latest column profile, if one was made with its current layout.
    pub fn resource_profile(&self, resource_id: &str) -> Result<Option<Value>, StoreError> {
        self.resource_json(resource_id, "profile")
    }

    /// A JSON column of a resource (`column` is one of this module's own column names).
    fn resource_json(&self, resource_id: &str, column: &'static str) -> Result<Option<Value>, StoreError> {
        let text: Option<Option<String>> = self
            .conn
            .query_row(
                &format!("SELECT {column} FROM resources WHERE id = ?1"),
                [resource_id],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.sqlite_error(e))?;
        let text = text.ok_or_else(|| StoreError::ResourceNotFound(resource_id.to_owned()))?;
        text.map(|t| serde_json::from_str(&t).map_err(|e| StoreError::Database(e.to_string())))
            .transpose()
    }
}
