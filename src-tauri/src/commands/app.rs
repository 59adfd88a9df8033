//! App-wide commands: what the window needs at start (with the first-run setup), ending the setup, the
//! language switch, and the window's report that it is ready (logged with the time since the process
//! started).

use std::sync::OnceLock;
use std::time::Instant;

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

/// When the shell started (`run` sets it first thing), for the startup time in the log.
pub static STARTED: OnceLock<Instant> = OnceLock::new();

/// The window has painted its first data and draft list: the log records how long the start took. The
/// startup benchmark (`scripts/bench-startup`) and the package's install test wait for this line.
#[tauri::command]
pub fn window_ready() {
    let startup_ms = STARTED.get_or_init(Instant::now).elapsed().as_millis() as u64;
    tracing::info!(startup_ms, "window ready");
}
