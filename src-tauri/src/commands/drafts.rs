//! Draft commands: the list, create, rename, delete; the form layout, the draft as the form shows it,
//! its checklist, autosaving a field of the draft or of a file, undo.

use catalog_core::checklist::Checklist;
use catalog_core::metadata::{DraftListItem, DraftView, FormLayout};
use catalog_core::Draft;
use serde_json::Value;

use super::{Answer, DeskState};

#[tauri::command]
pub async fn list_drafts(desk: DeskState<'_>, search: String) -> Answer<Vec<DraftListItem>> {
    desk.list_drafts(search).await
}

#[tauri::command]
pub async fn create_draft(desk: DeskState<'_>, title: String) -> Answer<Draft> {
    desk.create_draft(title).await
}

#[tauri::command]
pub async fn rename_draft(desk: DeskState<'_>, id: String, title: String) -> Answer<Draft> {
    desk.rename_draft(id, title).await
}

#[tauri::command]
pub async fn delete_draft(desk: DeskState<'_>, id: String) -> Answer<()> {
    desk.delete_draft(id).await
}

#[tauri::command]
pub fn form_layout(desk: DeskState<'_>, data_type: Option<String>) -> FormLayout {
    desk.form_layout(data_type.as_deref())
}

#[tauri::command]
pub async fn draft_view(desk: DeskState<'_>, id: String) -> Answer<DraftView> {
    desk.draft_view(id).await
}

#[tauri::command]
pub async fn draft_checklist(desk: DeskState<'_>, draft_id: String) -> Answer<Checklist> {
    desk.draft_checklist(draft_id).await
}

#[tauri::command]
pub async fn set_field(desk: DeskState<'_>, draft_id: String, key: String, value: Value) -> Answer<DraftView> {
    desk.set_field(draft_id, key, value).await
}

#[tauri::command]
pub async fn set_resource_field(
    desk: DeskState<'_>,
    resource_id: String,
    key: String,
    value: Value,
) -> Answer<DraftView> {
    desk.set_resource_field(resource_id, key, value).await
}

#[tauri::command]
pub async fn undo_change(desk: DeskState<'_>, draft_id: String) -> Answer<DraftView> {
    desk.undo_change(draft_id).await
}
