//! Resource file commands: attach (dropped on the window, or chosen in the native dialog opened from
//! Rust, so the webview never browses the file system), remove, and the file preview.

use std::path::PathBuf;

use catalog_app::files::{AttachReport, Relayout};
use catalog_core::preview::{PreviewChoice, PreviewScreen, ProfileReport};
use catalog_preview::{RowIndexSummary, RowWindow, TableLayout};
use tauri::AppHandle;

use super::{Answer, DeskState};
use crate::dialogs;

#[tauri::command]
pub async fn attach_files(desk: DeskState<'_>, draft_id: String, paths: Vec<PathBuf>) -> Answer<AttachReport> {
    desk.attach_files(draft_id, paths).await
}

#[tauri::command]
pub async fn pick_and_attach_files(
    app: AppHandle,
    desk: DeskState<'_>,
    draft_id: String,
    dialog_title: String,
) -> Answer<AttachReport> {
    let paths = dialogs::pick_files(&app, dialog_title).await;
    desk.attach_files(draft_id, paths).await
}

#[tauri::command]
pub async fn remove_resource(desk: DeskState<'_>, id: String) -> Answer<()> {
    desk.remove_resource(id).await
}

#[tauri::command]
pub async fn preview_open(desk: DeskState<'_>, resource_id: String, choice: PreviewChoice) -> Answer<PreviewScreen> {
    desk.preview_open(resource_id, choice).await
}

#[tauri::command]
pub async fn preview_rows(desk: DeskState<'_>, resource_id: String, first: usize, count: usize) -> Answer<RowWindow> {
    desk.preview_rows(resource_id, first, count).await
}

#[tauri::command]
pub async fn preview_index(desk: DeskState<'_>, resource_id: String) -> Answer<RowIndexSummary> {
    desk.preview_index(resource_id).await
}

#[tauri::command]
pub async fn preview_profile(desk: DeskState<'_>, resource_id: String) -> Answer<ProfileReport> {
    desk.preview_profile(resource_id).await
}

/// Stops the background check of a file until it is asked for again.
#[tauri::command]
pub fn analysis_cancel(desk: DeskState<'_>, resource_id: String) {
    desk.cancel_analysis(&resource_id);
}

/// Checks a file again (after it was stopped, or its check failed).
#[tauri::command]
pub async fn analysis_retry(desk: DeskState<'_>, resource_id: String) -> Answer<()> {
    desk.analyse_file(resource_id).await
}

#[tauri::command]
pub async fn preview_set_layout(desk: DeskState<'_>, resource_id: String, layout: TableLayout) -> Answer<RowWindow> {
    desk.preview_set_layout(resource_id, layout).await
}

#[tauri::command]
pub async fn preview_choose_header(desk: DeskState<'_>, resource_id: String, header_row: usize) -> Answer<Relayout> {
    desk.preview_choose_header(resource_id, header_row).await
}

#[tauri::command]
pub fn preview_cancel(desk: DeskState<'_>, resource_id: String) {
    desk.preview_cancel(&resource_id);
}

#[tauri::command]
pub fn preview_close(desk: DeskState<'_>, resource_id: String) {
    desk.preview_close(&resource_id);
}
