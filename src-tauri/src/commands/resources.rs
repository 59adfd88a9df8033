//! Resource file commands: attach files (dropped on the window, or chosen in the
//! native dialog opened from Rust, so the webview never browses the file system), remove a file.

use std::path::PathBuf;

use catalog_core::{local_user, Resource};
use catalog_error::{ToUserMessage, UserMessage};
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};

use crate::dialogs;
use crate::error::CommandResult;
use crate::state::AppState;

/// Event sent after a draft's files changed, so every view of that draft refreshes.
const RESOURCES_CHANGED: &str = "resources-changed";

/// Per file: attached, or why not; one bad file does not stop the others.
#[derive(Serialize, Default)]
pub struct AttachReport {
    attached: Vec<Resource>,
    failed: Vec<AttachFailure>,
}

#[derive(Serialize)]
pub struct AttachFailure {
    path: String,
    error: UserMessage,
}

#[tauri::command]
pub async fn attach_files(
    app: AppHandle,
    state: State<'_, AppState>,
    draft_id: String,
    paths: Vec<PathBuf>,
) -> CommandResult<AttachReport> {
    let id = draft_id.clone();
    let report = state
        .with_store(move |s| Ok::<_, catalog_core::StoreError>(attach_each(s, &id, paths)))
        .await?;
    let _ = app.emit(RESOURCES_CHANGED, &draft_id);
    Ok(report)
}

#[tauri::command]
pub async fn pick_and_attach_files(
    app: AppHandle,
    state: State<'_, AppState>,
    draft_id: String,
    dialog_title: String,
) -> CommandResult<AttachReport> {
    let paths = dialogs::pick_files(&app, dialog_title).await;
    attach_files(app, state, draft_id, paths).await
}

#[tauri::command]
pub async fn remove_resource(app: AppHandle, state: State<'_, AppState>, id: String) -> CommandResult<()> {
    let removed = state.with_store(move |s| s.remove_resource(&id, &local_user())).await?;
    let _ = app.emit(RESOURCES_CHANGED, &removed.draft_id);
    Ok(())
}

fn attach_each(store: &mut catalog_core::Store, draft_id: &str, paths: Vec<PathBuf>) -> AttachReport {
    let mut report = AttachReport::default();
    for path in paths {
        match store.attach_file(draft_id, &path, &local_user()) {
            Ok(resource) => report.attached.push(resource),
            Err(err) => report.failed.push(AttachFailure {
                path: path.display().to_string(),
                error: err.to_user_message(),
            }),
        }
    }
    report
}
