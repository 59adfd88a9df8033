//! What the application core tells whoever drives it while work goes on: progress of long work, a
//! draft's files or the publish queue changed, a GD Catalog answer arrived. The window turns each
//! [`DeskEvent`] into a window event named [`DeskEvent::name`] carrying the variant's payload; the
//! command line prints progress or ignores it.

use catalog_publish::{PublishProgress, StoredGdc};
use serde::Serialize;

/// Receives the core's events; called from any thread, so it must not block.
pub trait Events: Send + Sync + 'static {
    fn emit(&self, event: DeskEvent);
}

/// Drops every event (tests, one-shot commands).
pub struct NoEvents;

impl Events for NoEvents {
    fn emit(&self, _event: DeskEvent) {}
}

/// Progress of long work on one file: `{resource_id, task, rows_read, fraction}`.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct FileProgress {
    pub resource_id: String,
    /// `index` (the preview's row index) or `analysis` (the background scan of the whole file).
    pub task: &'static str,
    pub rows_read: usize,
    pub fraction: Option<f32>,
}

/// Progress of attaching a folder's files: `{done, total}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct FolderProgress {
    pub done: usize,
    pub total: usize,
}

/// An event; serialises as its payload alone.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum DeskEvent {
    FileProgress(FileProgress),
    /// A draft's files changed (attached, removed, analysed): every view of it refreshes.
    ResourcesChanged(String),
    FolderProgress(FolderProgress),
    PublishProgress(PublishProgress),
    /// The publish queue changed: list it again.
    OutboxChanged(()),
    /// A GD Catalog answer as stored.
    GdcChanged(StoredGdc),
}

impl DeskEvent {
    /// The event's name in the window.
    pub fn name(&self) -> &'static str {
        match self {
            DeskEvent::FileProgress(_) => "file-progress",
            DeskEvent::ResourcesChanged(_) => "resources-changed",
            DeskEvent::FolderProgress(_) => "folder-progress",
            DeskEvent::PublishProgress(_) => "publish-progress",
            DeskEvent::OutboxChanged(()) => "outbox-changed",
            DeskEvent::GdcChanged(_) => "gdc-changed",
        }
    }
}
