//! Review package commands: export a draft for the data steward (or back to the editor), read an
//! incoming package and show how it differs from this computer's copy, apply it when confirmed.

use catalog_core::local_user;
use catalog_core::package::{self, IncomingPackage, Manifest};
use tauri::{AppHandle, State};

use crate::dialogs;
use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

const EXTENSION: &str = "cdpkg";

#[tauri::command]
pub async fn export_review_package(
    app: AppHandle,
    state: State<'_, AppState>,
    draft_id: String,
    dialog_title: String,
) -> CommandResult<Option<Manifest>> {
    let slug = state
        .with_store({
            let id = draft_id.clone();
            move |s| s.draft(&id)
        })
        .await?
        .slug;
    let file_name = format!("{slug}.{EXTENSION}");
    let Some(path) = dialogs::save_file(&app, dialog_title, &file_name, "Catalog Desk", &[EXTENSION]).await else {
        return Ok(None);
    };
    state
        .with_store(move |s| package::export(s, &draft_id, &path, &local_user()))
        .await
        .map(Some)
}

#[tauri::command]
pub async fn read_review_package(
    app: AppHandle,
    state: State<'_, AppState>,
    dialog_title: String,
) -> CommandResult<Option<IncomingPackage>> {
    let Some(path) = dialogs::pick_file(&app, dialog_title, "Catalog Desk", &[EXTENSION]).await else {
        return Ok(None);
    };
    let schema = state.schema();
    let incoming = state.with_store(move |s| package::read(s, &schema, &path)).await?;
    state.keep_incoming_package(Some(incoming.clone()));
    Ok(Some(incoming))
}

#[tauri::command]
pub async fn apply_review_package(state: State<'_, AppState>) -> CommandResult<String> {
    let incoming = state.take_incoming_package().ok_or_else(no_package)?;
    let draft_id = incoming.manifest.draft_id.clone();
    state
        .with_store(move |s| package::apply(s, &incoming, &local_user()))
        .await?;
    Ok(draft_id)
}

fn no_package() -> CommandError {
    CommandError(catalog_error::UserMessage::new(
        "package.none_pending",
        "ไม่มีแพ็กเกจที่รอยืนยัน โปรดเลือกไฟล์แพ็กเกจอีกครั้ง",
        "There is no package waiting for confirmation; please choose the package file again.",
    ))
}
