//! Metadata commands: the form layout for a data type, the draft as the form shows it, its five-step
//! checklist, autosaving one field (of the draft or of a resource file), and undo.

use catalog_core::checklist::{checklist, Checklist};
use catalog_core::local_user;
use catalog_core::metadata::{self, DraftView, FormLayout};
use serde_json::Value;
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub fn form_layout(state: State<'_, AppState>, data_type: Option<String>) -> FormLayout {
    metadata::form_layout(&state.schema(), data_type.as_deref())
}

#[tauri::command]
pub async fn draft_view(state: State<'_, AppState>, id: String) -> CommandResult<DraftView> {
    let schema = state.schema();
    state.with_store(move |s| metadata::view(s, &schema, &id)).await
}

#[tauri::command]
pub async fn draft_checklist(state: State<'_, AppState>, draft_id: String) -> CommandResult<Checklist> {
    let (schema, account) = (state.schema(), state.account_state().await);
    state
        .with_store(move |s| metadata::view(s, &schema, &draft_id).map(|view| checklist(&view, &account)))
        .await
}

#[tauri::command]
pub async fn set_field(
    state: State<'_, AppState>,
    draft_id: String,
    key: String,
    value: Value,
) -> CommandResult<DraftView> {
    let schema = state.schema();
    state
        .with_store(move |s| {
            metadata::set_field(s, &schema, &draft_id, &key, value, &local_user())?;
            metadata::view(s, &schema, &draft_id)
        })
        .await
}

#[tauri::command]
pub async fn set_resource_field(
    state: State<'_, AppState>,
    resource_id: String,
    key: String,
    value: Value,
) -> CommandResult<DraftView> {
    let schema = state.schema();
    state
        .with_store(move |s| {
            let draft_id = metadata::set_resource_field(s, &schema, &resource_id, &key, value, &local_user())?;
            metadata::view(s, &schema, &draft_id)
        })
        .await
}

#[tauri::command]
pub async fn undo_change(state: State<'_, AppState>, draft_id: String) -> CommandResult<DraftView> {
    let schema = state.schema();
    state
        .with_store(move |s| {
            s.undo_last_change(&draft_id, &local_user())?;
            metadata::view(s, &schema, &draft_id)
        })
        .await
}
