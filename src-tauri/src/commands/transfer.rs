//! Bulk commands: a template read into a dry run, applied or discarded, its report, export, an empty
//! template; a folder's files matched and attached; review packages out and in. Files and folders are
//! chosen in native dialogs opened from Rust.

use std::path::PathBuf;

use catalog_app::transfer::{ExportKind, PACKAGE_EXTENSION};
use catalog_core::package::{IncomingPackage, Manifest};
use catalog_import::folder::{FolderApplied, FolderPlan};
use catalog_import::{Applied, ImportPlan};
use tauri::AppHandle;

use super::{Answer, DeskState};
use crate::dialogs;

#[tauri::command]
pub async fn import_plan_file(desk: DeskState<'_>, path: PathBuf) -> Answer<ImportPlan> {
    desk.import_plan_file(path).await
}

#[tauri::command]
pub async fn import_pick_file(app: AppHandle, desk: DeskState<'_>, dialog_title: String) -> Answer<Option<ImportPlan>> {
    let Some(path) = dialogs::pick_file(&app, dialog_title, "Excel", &["xlsx", "xlsm", "xls"]).await else {
        return Ok(None);
    };
    desk.import_plan_file(path).await.map(Some)
}

#[tauri::command]
pub async fn import_apply(desk: DeskState<'_>) -> Answer<Applied> {
    desk.import_apply().await
}

#[tauri::command]
pub fn import_discard(desk: DeskState<'_>) {
    desk.import_discard();
}

#[tauri::command]
pub async fn import_save_report(app: AppHandle, desk: DeskState<'_>, dialog_title: String) -> Answer<Option<String>> {
    let Some(path) = dialogs::save_file(
        &app,
        dialog_title,
        "import-report.xlsx",
        "Excel / CSV",
        &["xlsx", "csv"],
    )
    .await
    else {
        return Ok(None);
    };
    desk.import_save_report(&path).map(Some)
}

#[tauri::command]
pub async fn export_file(
    app: AppHandle,
    desk: DeskState<'_>,
    kind: ExportKind,
    dialog_title: String,
) -> Answer<Option<String>> {
    let Some(path) = dialogs::save_file(&app, dialog_title, "catalog-desk.xlsx", "Excel", &["xlsx"]).await else {
        return Ok(None);
    };
    desk.export_file(kind, path).await.map(Some)
}

#[tauri::command]
pub async fn folder_pick(app: AppHandle, desk: DeskState<'_>, dialog_title: String) -> Answer<Option<FolderPlan>> {
    let Some(dir) = dialogs::pick_folder(&app, dialog_title).await else {
        return Ok(None);
    };
    desk.folder_plan(dir).await.map(Some)
}

#[tauri::command]
pub async fn folder_attach(desk: DeskState<'_>) -> Answer<FolderApplied> {
    desk.folder_attach().await
}

#[tauri::command]
pub fn folder_cancel(desk: DeskState<'_>) {
    desk.folder_cancel();
}

#[tauri::command]
pub async fn export_review_package(
    app: AppHandle,
    desk: DeskState<'_>,
    draft_id: String,
    dialog_title: String,
) -> Answer<Option<Manifest>> {
    let file_name = desk.package_file_name(draft_id.clone()).await?;
    let Some(path) = dialogs::save_file(&app, dialog_title, &file_name, "Catalog Desk", &[PACKAGE_EXTENSION]).await
    else {
        return Ok(None);
    };
    desk.export_review_package(draft_id, path).await.map(Some)
}

#[tauri::command]
pub async fn read_review_package(
    app: AppHandle,
    desk: DeskState<'_>,
    dialog_title: String,
) -> Answer<Option<IncomingPackage>> {
    let Some(path) = dialogs::pick_file(&app, dialog_title, "Catalog Desk", &[PACKAGE_EXTENSION]).await else {
        return Ok(None);
    };
    desk.read_review_package(path).await.map(Some)
}

#[tauri::command]
pub async fn apply_review_package(desk: DeskState<'_>) -> Answer<String> {
    desk.apply_review_package().await
}
