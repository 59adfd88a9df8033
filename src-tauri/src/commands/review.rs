//! Review commands: the editor submits a draft, the data steward approves it or asks for changes.

use catalog_core::metadata::{self, DraftView};
use catalog_core::{local_user, ReviewDecision};
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub async fn review_draft(
    state: State<'_, AppState>,
    draft_id: String,
    decision: ReviewDecision,
    note: String,
) -> CommandResult<DraftView> {
    let schema = state.schema();
    state
        .with_store(move |s| {
            metadata::review(s, &schema, &draft_id, decision, &local_user(), &note)?;
            metadata::view(s, &schema, &draft_id)
        })
        .await
}
