//! Draft commands: list (with title search and each draft's completeness), create, rename, delete.

use catalog_core::metadata::{self, DraftListItem};
use catalog_core::{local_user, Draft};
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_drafts(state: State<'_, AppState>, search: String) -> CommandResult<Vec<DraftListItem>> {
    let (schema, account) = (state.schema(), state.account_state().await);
    state
        .with_store(move |s| metadata::list(s, &schema, &account, &search))
        .await
}

#[tauri::command]
pub async fn create_draft(state: State<'_, AppState>, title: String) -> CommandResult<Draft> {
    state.with_store(move |s| s.create_draft(&title, &local_user())).await
}

#[tauri::command]
pub async fn rename_draft(state: State<'_, AppState>, id: String, title: String) -> CommandResult<Draft> {
    state
        .with_store(move |s| s.rename_draft(&id, &title, &local_user()))
        .await
}

#[tauri::command]
pub async fn delete_draft(state: State<'_, AppState>, id: String) -> CommandResult<()> {
    state.with_store(move |s| s.delete_draft(&id, &local_user())).await
}
