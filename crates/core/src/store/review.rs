//! The data steward's review (บริกรข้อมูล): a draft goes Draft → Submitted (ส่งตรวจทาน) → Approved
//! (อนุมัติ) or ChangesRequested (ขอให้แก้ไข), each step logged with who took it and their note. Any
//! edit to a submitted or approved draft sends it back to Draft in the same transaction, so an approval
//! always covers exactly what was reviewed.

use rusqlite::{params, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::drafts::{Draft, DraftState};
use super::revisions::{self, RevisionAction};
use super::{now, Store};
use crate::error::StoreError;

/// A step of the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    /// The editor sends the draft to the steward.
    Submit,
    Approve,
    /// The steward sends it back; a note saying what to change is required.
    RequestChanges,
}

impl Store {
    /// Takes one review step; the note is kept in the revision log with the reviewer's name.
    pub fn review(
        &mut self,
        draft_id: &str,
        decision: ReviewDecision,
        actor: &str,
        note: &str,
    ) -> Result<Draft, StoreError> {
        let draft = self.draft(draft_id)?;
        let to = match (draft.state, decision) {
            (DraftState::Draft | DraftState::ChangesRequested, ReviewDecision::Submit) => DraftState::Submitted,
            (DraftState::Submitted, ReviewDecision::Approve) => DraftState::Approved,
            (DraftState::Submitted, ReviewDecision::RequestChanges) => DraftState::ChangesRequested,
            (from, decision) => return Err(StoreError::ReviewStepNotAllowed { from, decision }),
        };
        if decision == ReviewDecision::RequestChanges && note.trim().is_empty() {
            return Err(StoreError::ReviewNoteRequired);
        }
        let at = now();
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .and_then(|tx| {
                tx.execute(
                    "UPDATE drafts SET state = ?2, updated_at = ?3 WHERE id = ?1",
                    params![draft_id, to.as_str(), at],
                )?;
                let detail = json!({ "from": draft.state, "to": to, "decision": decision, "note": note.trim() });
                revisions::append(&tx, draft_id, &at, actor, RevisionAction::StateChanged, detail)?;
                tx.commit()
            })
            .map_err(|e| self.sqlite_error(e))?;
        self.draft(draft_id)
    }
}

/// Inside a change's transaction: the draft was edited at `at` — its time is updated, the change is logged
/// and, if it was submitted or approved, it goes back to Draft.
pub(super) fn record_edit(
    tx: &Transaction<'_>,
    draft_id: &str,
    at: &str,
    actor: &str,
    action: RevisionAction,
    detail: serde_json::Value,
) -> rusqlite::Result<()> {
    tx.execute("UPDATE drafts SET updated_at = ?2 WHERE id = ?1", params![draft_id, at])?;
    revisions::append(tx, draft_id, at, actor, action, detail)?;
    reopen_if_reviewed(tx, draft_id, at, actor)
}

/// Inside a change's transaction: a submitted or approved draft that is edited goes back to Draft.
pub(super) fn reopen_if_reviewed(tx: &Transaction<'_>, draft_id: &str, at: &str, actor: &str) -> rusqlite::Result<()> {
    let state: String = tx.query_row("SELECT state FROM drafts WHERE id = ?1", [draft_id], |row| row.get(0))?;
    let Some(from) = DraftState::parse(&state).filter(|s| matches!(s, DraftState::Submitted | DraftState::Approved))
    else {
        return Ok(());
    };
    tx.execute(
        "UPDATE drafts SET state = ?2 WHERE id = ?1",
        params![draft_id, DraftState::Draft.as_str()],
    )?;
    let detail = json!({ "from": from, "to": DraftState::Draft, "reason": "edited" });
    revisions::append(tx, draft_id, at, actor, RevisionAction::StateChanged, detail)
}
