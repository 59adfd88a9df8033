//! App-wide commands: what the window needs at start (with the first-run setup), ending the setup,
//! and the language switch.

use catalog_app::settings::{AppStatus, SetupStatus};

use super::{Answer, DeskState};

#[tauri::command]
pub async fn app_status(desk: DeskState<'_>) -> Answer<AppStatus> {
    desk.app_status().await
}

#[tauri::command]
pub async fn set_language(desk: DeskState<'_>, language: String) -> Answer<()> {
    desk.set_language(&language).await
}

#[tauri::command]
pub async fn end_setup(desk: DeskState<'_>) -> Answer<SetupStatus> {
    desk.end_setup().await
}
