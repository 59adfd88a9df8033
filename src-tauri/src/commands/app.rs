//! App-wide commands: what the UI needs at start (store status, data folder, language) and the
//! language switch.

use serde::Serialize;
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

const LANGUAGE_SETTING: &str = "language";

#[derive(Serialize)]
pub struct AppStatus {
    version: &'static str,
    data_dir: String,
    language: String,
    store_error: Option<catalog_error::UserMessage>,
}

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> CommandResult<AppStatus> {
    let language = state.with_store(|s| s.setting(LANGUAGE_SETTING)).await.ok().flatten();
    Ok(AppStatus {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state.data_dir.display().to_string(),
        language: language.unwrap_or_else(|| "th".to_owned()),
        store_error: state.startup_error.clone(),
    })
}

#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, language: String) -> CommandResult<()> {
    let language = if language == "en" { "en" } else { "th" };
    state
        .with_store(move |s| s.set_setting(LANGUAGE_SETTING, language))
        .await
}
