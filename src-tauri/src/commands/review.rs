//! Review commands: the editor submits a draft, the data steward approves it or asks for changes, and
//! the printable review sheet.

use catalog_core::checklist::checklist;
use catalog_core::metadata::{self, DraftView};
use catalog_core::review_sheet::{self, Lang};
use catalog_core::{local_user, ReviewDecision};
use tauri::{AppHandle, State};

use crate::dialogs;

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

/// Accepts a classification hint, or dismisses it with a reason; the decision is logged.
#[tauri::command]
pub async fn decide_hint(
    state: State<'_, AppState>,
    resource_id: String,
    hint_id: String,
    column: String,
    accepted: bool,
    reason: String,
) -> CommandResult<DraftView> {
    let schema = state.schema();
    state
        .with_store(move |s| {
            s.decide_hint(&resource_id, &hint_id, &column, accepted, &reason, &local_user())?;
            metadata::view(s, &schema, &s.resource(&resource_id)?.draft_id)
        })
        .await
}

/// The review sheet as an HTML fragment, for the window to show and print (to paper or PDF).
#[tauri::command]
pub async fn review_sheet(state: State<'_, AppState>, draft_id: String, lang: Lang) -> CommandResult<String> {
    let (schema, account) = (state.schema(), state.account_state().await);
    state
        .with_store(move |s| {
            let view = metadata::view(s, &schema, &draft_id)?;
            Ok::<_, catalog_core::StoreError>(review_sheet::fragment(
                &schema,
                &view,
                &checklist(&view, &account),
                lang,
            ))
        })
        .await
}

/// Saves the review sheet as a standalone HTML file; returns where, or nothing when cancelled.
#[tauri::command]
pub async fn save_review_sheet(
    app: AppHandle,
    state: State<'_, AppState>,
    draft_id: String,
    lang: Lang,
    dialog_title: String,
) -> CommandResult<Option<String>> {
    let Some(path) = dialogs::save_file(&app, dialog_title, "review-sheet.html", "HTML", &["html"]).await else {
        return Ok(None);
    };
    let (schema, account, target) = (state.schema(), state.account_state().await, path.clone());
    state
        .with_store(move |s| {
            let view = metadata::view(s, &schema, &draft_id)?;
            let html = review_sheet::document(&schema, &view, &checklist(&view, &account), lang);
            std::fs::write(&target, html).map_err(|e| catalog_core::StoreError::FileUnreadable {
                path: target.clone(),
                reason: e.to_string(),
            })
        })
        .await?;
    Ok(Some(path.display().to_string()))
}
