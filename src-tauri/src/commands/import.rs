//! Bulk import and export commands: read a template into a dry-run plan (kept until the person confirms
//! or closes it), apply it in one transaction, save its report, export drafts, write an empty template;
//! match a folder's files to drafts and attach them, with progress events and cancel.
//! Files are chosen in native dialogs opened from Rust; a path from the UI (a dropped file) is checked.

use std::path::PathBuf;

use catalog_core::local_user;
use std::sync::atomic::Ordering;

use catalog_import::folder::{self, FolderApplied, FolderPlan};
use catalog_import::{apply, export, plan_file, report, template, Applied, ImportPlan};
use tauri::Emitter;
use tauri::{AppHandle, State};

use crate::dialogs;
use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// The dry run is gone (confirmed already, or the window was reloaded): the file must be read again.
fn no_plan() -> CommandError {
    CommandError(catalog_error::UserMessage::new(
        "import.no_plan",
        "ไม่มีผลการตรวจไฟล์ที่รอยืนยัน โปรดเลือกไฟล์แบบฟอร์มอีกครั้ง",
        "There is no checked file waiting for confirmation; please choose the template file again.",
    ))
}

fn checked(path: PathBuf) -> CommandResult<PathBuf> {
    if path.is_absolute() && path.is_file() {
        Ok(path)
    } else {
        Err(CommandError::from(catalog_core::StoreError::NotAFile { path }))
    }
}

async fn plan(state: &AppState, path: PathBuf) -> CommandResult<ImportPlan> {
    let schema = state.schema();
    let plan = state.with_store(move |s| plan_file(&path, &schema, s)).await?;
    state.keep_import_plan(Some(plan.clone()));
    Ok(plan)
}

#[tauri::command]
pub async fn import_plan_file(state: State<'_, AppState>, path: PathBuf) -> CommandResult<ImportPlan> {
    plan(&state, checked(path)?).await
}

#[tauri::command]
pub async fn import_pick_file(
    app: AppHandle,
    state: State<'_, AppState>,
    dialog_title: String,
) -> CommandResult<Option<ImportPlan>> {
    match dialogs::pick_file(&app, dialog_title, "Excel", &["xlsx", "xlsm", "xls"]).await {
        Some(path) => plan(&state, path).await.map(Some),
        None => Ok(None),
    }
}

#[tauri::command]
pub async fn import_apply(state: State<'_, AppState>) -> CommandResult<Applied> {
    let plan = state.take_import_plan().ok_or_else(no_plan)?;
    state.with_store(move |s| apply(&plan, s, &local_user())).await
}

#[tauri::command]
pub fn import_discard(state: State<'_, AppState>) {
    state.keep_import_plan(None);
}

#[tauri::command]
pub async fn import_save_report(
    app: AppHandle,
    state: State<'_, AppState>,
    dialog_title: String,
) -> CommandResult<Option<String>> {
    let plan = state.import_plan().ok_or_else(no_plan)?;
    let chosen = dialogs::save_file(
        &app,
        dialog_title,
        "import-report.xlsx",
        "Excel / CSV",
        &["xlsx", "csv"],
    )
    .await;
    let Some(path) = chosen else { return Ok(None) };
    report::save(&plan, &path)?;
    Ok(Some(path.display().to_string()))
}

/// Which file to write: drafts in our template or the NSO layout, or an empty template.
#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    Ours,
    Nso,
    EmptyTemplate,
}

#[tauri::command]
pub async fn export_file(
    app: AppHandle,
    state: State<'_, AppState>,
    kind: ExportKind,
    dialog_title: String,
) -> CommandResult<Option<String>> {
    let Some(path) = dialogs::save_file(&app, dialog_title, "catalog-desk.xlsx", "Excel", &["xlsx"]).await else {
        return Ok(None);
    };
    let (schema, target) = (state.schema(), path.clone());
    state
        .with_store(move |s| match kind {
            ExportKind::Ours => export::to_ours(s, &schema, &target).map(|_| ()),
            ExportKind::Nso => export::to_nso(s, &schema, None, &target).map(|_| ()),
            ExportKind::EmptyTemplate => template::write_empty(&schema, &target),
        })
        .await?;
    Ok(Some(path.display().to_string()))
}

/// Event after each file of a folder import: `{done, total}`.
const FOLDER_PROGRESS: &str = "folder-progress";

#[derive(Clone, serde::Serialize)]
struct FolderProgress {
    done: usize,
    total: usize,
}

#[tauri::command]
pub async fn folder_pick(
    app: AppHandle,
    state: State<'_, AppState>,
    dialog_title: String,
) -> CommandResult<Option<FolderPlan>> {
    let Some(dir) = dialogs::pick_folder(&app, dialog_title).await else {
        return Ok(None);
    };
    let plan = state.with_store(move |s| folder::plan(&dir, s)).await?;
    state.keep_folder_plan(Some(plan.clone()));
    Ok(Some(plan))
}

#[tauri::command]
pub async fn folder_attach(app: AppHandle, state: State<'_, AppState>) -> CommandResult<FolderApplied> {
    let plan = state.take_folder_plan().ok_or_else(no_plan)?;
    let cancel = state.folder_cancel_flag();
    cancel.store(false, Ordering::Relaxed);
    state
        .with_store(move |s| {
            folder::apply(&plan, s, &local_user(), |done, total| {
                let _ = app.emit(FOLDER_PROGRESS, FolderProgress { done, total });
                !cancel.load(Ordering::Relaxed)
            })
        })
        .await
}

#[tauri::command]
pub fn folder_cancel(state: State<'_, AppState>) {
    state.folder_cancel_flag().store(true, Ordering::Relaxed);
}
