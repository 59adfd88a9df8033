//! Preview commands: open a resource file's preview (first screen at once), scroll its rows, index and
//! profile the whole file in the background with progress events and cancel, save the person's
//! correction of the table layout.

use std::time::{Duration, Instant};

use catalog_core::local_user;
use catalog_core::metadata::{self, DraftView};
use catalog_core::preview::{PreviewChoice, PreviewScreen, PreviewTarget, ProfileReport};
use catalog_preview::{Progress, RowIndexSummary, RowWindow, TableLayout};
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// Event with the progress of long preview work: `{resource_id, task, rows_read, fraction}`.
const PREVIEW_PROGRESS: &str = "preview-progress";
const PROGRESS_EVERY: Duration = Duration::from_millis(150);

#[derive(Clone, Serialize)]
struct ProgressEvent {
    resource_id: String,
    task: &'static str,
    rows_read: usize,
    fraction: Option<f32>,
}

/// A progress callback that emits at most one event per [`PROGRESS_EVERY`].
fn reporter(app: AppHandle, resource_id: String, task: &'static str) -> impl FnMut(Progress) {
    let mut last = Instant::now() - PROGRESS_EVERY;
    move |progress: Progress| {
        if last.elapsed() >= PROGRESS_EVERY {
            last = Instant::now();
            let event = ProgressEvent {
                resource_id: resource_id.clone(),
                task,
                rows_read: progress.rows_read,
                fraction: progress.fraction,
            };
            let _ = app.emit(PREVIEW_PROGRESS, event);
        }
    }
}

/// Runs blocking preview work off the window's thread.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> CommandResult<T> + Send + 'static) -> CommandResult<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| CommandError::internal(&e))?
}

#[tauri::command]
pub async fn preview_open(
    state: State<'_, AppState>,
    resource_id: String,
    choice: PreviewChoice,
) -> CommandResult<PreviewScreen> {
    let id = resource_id.clone();
    let target = state.with_store(move |s| PreviewTarget::of(s, &id)).await?;
    let previews = state.previews();
    let screen = blocking(move || Ok(previews.open(target, &choice)?)).await?;
    state.with_store(move |s| s.mark_previewed(&resource_id)).await?;
    Ok(screen)
}

#[tauri::command]
pub async fn preview_rows(
    state: State<'_, AppState>,
    resource_id: String,
    first: usize,
    count: usize,
) -> CommandResult<RowWindow> {
    let previews = state.previews();
    blocking(move || Ok(previews.rows(&resource_id, first, count)?)).await
}

#[tauri::command]
pub async fn preview_index(
    app: AppHandle,
    state: State<'_, AppState>,
    resource_id: String,
) -> CommandResult<RowIndexSummary> {
    let previews = state.previews();
    let mut progress = reporter(app, resource_id.clone(), "index");
    blocking(move || Ok(previews.index(&resource_id, &mut progress)?)).await
}

#[tauri::command]
pub async fn preview_profile(
    app: AppHandle,
    state: State<'_, AppState>,
    resource_id: String,
) -> CommandResult<ProfileReport> {
    let (previews, schema, id) = (state.previews(), state.schema(), resource_id.clone());
    let mut progress = reporter(app, resource_id.clone(), "profile");
    let report = blocking(move || Ok(previews.profile(&schema, &id, &mut progress)?)).await?;
    let profile = serde_json::to_value(&report.profile).map_err(|e| CommandError::internal(&e))?;
    state
        .with_store(move |s| s.set_resource_profile(&resource_id, &profile))
        .await?;
    Ok(report)
}

/// Scans the file for classification hints, keeps them with the resource and returns the draft as the
/// page shows it (hints and the publish gate updated).
#[tauri::command]
pub async fn preview_hints(
    app: AppHandle,
    state: State<'_, AppState>,
    resource_id: String,
) -> CommandResult<DraftView> {
    let (previews, id) = (state.previews(), resource_id.clone());
    let mut progress = reporter(app, resource_id.clone(), "hints");
    let hints = blocking(move || Ok(previews.hints(&id, &mut progress)?)).await?;
    let hints = serde_json::to_value(&hints).map_err(|e| CommandError::internal(&e))?;
    let schema = state.schema();
    state
        .with_store(move |s| {
            s.set_resource_hints(&resource_id, &hints)?;
            metadata::view(s, &schema, &s.resource(&resource_id)?.draft_id)
        })
        .await
}

#[tauri::command]
pub async fn preview_set_layout(
    state: State<'_, AppState>,
    resource_id: String,
    layout: TableLayout,
) -> CommandResult<RowWindow> {
    let (id, saved) = (
        resource_id.clone(),
        serde_json::to_value(&layout).map_err(|e| CommandError::internal(&e))?,
    );
    state
        .with_store(move |s| s.set_resource_layout(&id, Some(&saved), &local_user()))
        .await?;
    let previews = state.previews();
    blocking(move || Ok(previews.relayout(&resource_id, layout)?)).await
}

/// The layout and first screen after the person chose the header row.
#[derive(Serialize)]
pub struct Relayout {
    layout: TableLayout,
    window: RowWindow,
}

#[tauri::command]
pub async fn preview_choose_header(
    state: State<'_, AppState>,
    resource_id: String,
    header_row: usize,
) -> CommandResult<Relayout> {
    let (previews, id) = (state.previews(), resource_id.clone());
    let (layout, window) = blocking(move || Ok(previews.choose_header(&id, header_row)?)).await?;
    let saved = serde_json::to_value(&layout).map_err(|e| CommandError::internal(&e))?;
    state
        .with_store(move |s| s.set_resource_layout(&resource_id, Some(&saved), &local_user()))
        .await?;
    Ok(Relayout { layout, window })
}

#[tauri::command]
pub fn preview_cancel(state: State<'_, AppState>, resource_id: String) {
    state.previews().cancel(&resource_id);
}

#[tauri::command]
pub fn preview_close(state: State<'_, AppState>, resource_id: String) {
    state.previews().close(&resource_id);
}
