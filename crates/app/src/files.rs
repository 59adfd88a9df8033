//! A draft's resource files: attaching (each file copied into the store, one bad file not stopping the
//! others), removing, and the preview of a file's contents — first screen at once, scrolling rows, the
//! row index in the background with progress and cancel, the person's correction of the table layout.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use catalog_core::preview::{PreviewChoice, PreviewScreen, PreviewTarget, ProfileReport};
use catalog_core::{local_user, Resource, Store};
use catalog_error::{ToUserMessage, UserMessage};
use catalog_preview::{Progress, RowIndexSummary, RowWindow, TableLayout};
use serde::Serialize;

use crate::desk::{blocking, Desk};
use crate::error::{DeskError, DeskResult};
use crate::events::{DeskEvent, Events, FileProgress};

/// At most one progress event per this long.
const PROGRESS_EVERY: Duration = Duration::from_millis(150);

/// Per file: attached, or why not.
#[derive(Debug, Default, Serialize, ts_rs::TS)]
pub struct AttachReport {
    pub attached: Vec<Resource>,
    pub failed: Vec<AttachFailure>,
}

#[derive(Debug, Serialize, ts_rs::TS)]
pub struct AttachFailure {
    pub path: String,
    pub error: UserMessage,
}

/// The layout and first screen after the person chose the header row.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct Relayout {
    pub layout: TableLayout,
    pub window: RowWindow,
}

/// A progress callback that emits at most one event per [`PROGRESS_EVERY`].
pub(crate) fn reporter(events: Arc<dyn Events>, resource_id: String, task: &'static str) -> impl FnMut(Progress) {
    let mut last = Instant::now() - PROGRESS_EVERY;
    move |progress: Progress| {
        if last.elapsed() >= PROGRESS_EVERY {
            last = Instant::now();
            events.emit(DeskEvent::FileProgress(FileProgress {
                resource_id: resource_id.clone(),
                task,
                rows_read: progress.rows_read,
                fraction: progress.fraction,
            }));
        }
    }
}

fn attach_each(store: &mut Store, draft_id: &str, paths: Vec<PathBuf>) -> AttachReport {
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

fn to_json(value: &impl Serialize) -> Result<serde_json::Value, DeskError> {
    serde_json::to_value(value).map_err(|e| DeskError::internal(&e))
}

impl Desk {
    /// Attaches files (dropped on the window, chosen in a dialog, or named on the command line).
    pub async fn attach_files(&self, draft_id: String, paths: Vec<PathBuf>) -> DeskResult<AttachReport> {
        let id = draft_id.clone();
        let report = self
            .with_store(move |s| Ok::<_, catalog_core::StoreError>(attach_each(s, &id, paths)))
            .await?;
        self.emit(DeskEvent::ResourcesChanged(draft_id));
        self.wake_analyser();
        Ok(report)
    }

    pub async fn remove_resource(&self, id: String) -> DeskResult<()> {
        let removed = self.with_store(move |s| s.remove_resource(&id, &local_user())).await?;
        self.emit(DeskEvent::ResourcesChanged(removed.draft_id));
        Ok(())
    }

    pub async fn preview_open(&self, resource_id: String, choice: PreviewChoice) -> DeskResult<PreviewScreen> {
        let id = resource_id.clone();
        let target = self.with_store(move |s| PreviewTarget::of(s, &id)).await?;
        let previews = Arc::clone(&self.previews);
        let screen = blocking(move || Ok(previews.open(target, &choice)?)).await?;
        self.with_store(move |s| s.mark_previewed(&resource_id)).await?;
        Ok(screen)
    }

    pub async fn preview_rows(&self, resource_id: String, first: usize, count: usize) -> DeskResult<RowWindow> {
        let previews = Arc::clone(&self.previews);
        blocking(move || Ok(previews.rows(&resource_id, first, count)?)).await
    }

    /// Indexes every row of an open preview so the grid can jump anywhere.
    pub async fn preview_index(&self, resource_id: String) -> DeskResult<RowIndexSummary> {
        let previews = Arc::clone(&self.previews);
        let mut progress = reporter(self.events(), resource_id.clone(), "index");
        blocking(move || Ok(previews.index(&resource_id, &mut progress)?)).await
    }

    /// The whole-file profile of an open preview and the values it suggests for the file's fields.
    pub async fn preview_profile(&self, resource_id: String) -> DeskResult<ProfileReport> {
        let (previews, schema) = (Arc::clone(&self.previews), self.schema());
        let mut progress = reporter(self.events(), resource_id.clone(), "profile");
        blocking(move || Ok(previews.profile(&schema, &resource_id, &mut progress)?)).await
    }

    /// Reads the file with the person's corrected layout (kept with the file) and returns its first screen.
    pub async fn preview_set_layout(&self, resource_id: String, layout: TableLayout) -> DeskResult<RowWindow> {
        let (id, saved) = (resource_id.clone(), to_json(&layout)?);
        self.with_store(move |s| s.set_resource_layout(&id, Some(&saved), &local_user()))
            .await?;
        self.wake_analyser();
        let previews = Arc::clone(&self.previews);
        blocking(move || Ok(previews.relayout(&resource_id, layout)?)).await
    }

    /// The layout when the person says where the header is (kept with the file), with its first screen.
    pub async fn preview_choose_header(&self, resource_id: String, header_row: usize) -> DeskResult<Relayout> {
        let (previews, id) = (Arc::clone(&self.previews), resource_id.clone());
        let (layout, window) = blocking(move || Ok(previews.choose_header(&id, header_row)?)).await?;
        let saved = to_json(&layout)?;
        self.with_store(move |s| s.set_resource_layout(&resource_id, Some(&saved), &local_user()))
            .await?;
        self.wake_analyser();
        Ok(Relayout { layout, window })
    }

    pub fn preview_cancel(&self, resource_id: &str) {
        self.previews.cancel(resource_id);
    }

    pub fn preview_close(&self, resource_id: &str) {
        self.previews.close(resource_id);
    }
}
