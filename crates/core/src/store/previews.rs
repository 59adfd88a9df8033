//! What the person decides about reading a resource file, kept with the resource: the table layout they
//! corrected (logged, since it changes how the file is read, and it makes the file's analysis stale),
//! when the file was last previewed (the checklist asks for it), and their decision on each
//! classification hint (logged). The hints and profile themselves are the file's analysis
//! (`store/analysis.rs`).

use rusqlite::{params, TransactionBehavior};
use serde_json::{json, Value};

use super::review::reopen_if_reviewed;
use super::revisions::{self, RevisionAction};
use super::{now, Store};
use crate::error::StoreError;

impl Store {
    /// Saves the person's correction of the table layout (`None` goes back to the detected one); the
    /// file's analysis is stale from then on, so it is scanned again.
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
                    "UPDATE resources SET layout = ?2 WHERE id = ?1",
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
}
