//! Review commands: submit, approve or ask for changes; decisions on classification hints; the
//! printable review sheet.

use catalog_core::metadata::DraftView;
use catalog_core::review_sheet::Lang;
use catalog_core::ReviewDecision;
use tauri::AppHandle;

use super::{Answer, DeskState};
use crate::dialogs;

#[tauri::command]
pub async fn review_draft(
    desk: DeskState<'_>,
    draft_id: String,
    decision: ReviewDecision,
    note: String,
) -> Answer<DraftView> {
    desk.review_draft(draft_id, decision, note).await
}

#[tauri::command]
pub async fn decide_hint(
    desk: DeskState<'_>,
    resource_id: String,
    hint_id: String,
    column: String,
    accepted: bool,
    reason: String,
) -> Answer<DraftView> {
    desk.decide_hint(resource_id, hint_id, column, accepted, reason).await
}

#[tauri::command]
pub async fn review_sheet(desk: DeskState<'_>, draft_id: String, lang: Lang) -> Answer<String> {
    desk.review_sheet(draft_id, lang).await
}

/// Saves the review sheet as a standalone HTML file; returns where, or nothing when cancelled.
#[tauri::command]
pub async fn save_review_sheet(
    app: AppHandle,
    desk: DeskState<'_>,
    draft_id: String,
    lang: Lang,
    dialog_title: String,
) -> Answer<Option<String>> {
    let Some(path) = dialogs::save_file(&app, dialog_title, "review-sheet.html", "HTML", &["html"]).await else {
        return Ok(None);
    };
    desk.save_review_sheet(draft_id, lang, path).await.map(Some)
}
