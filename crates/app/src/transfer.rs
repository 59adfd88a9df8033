//! Moving drafts in and out in bulk: a template read into a dry-run plan (kept until the person confirms
//! or discards it) and applied in one transaction, its report, export to our template or the NSO's, an
//! empty template; a folder's files matched to drafts and attached with progress and cancel; the review
//! package that carries a draft to the steward's computer and back.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use catalog_core::package::{self, IncomingPackage, Manifest};
use catalog_core::{local_user, StoreError};
use catalog_import::export::Exported;
use catalog_import::folder::{self, FolderApplied, FolderPlan};
use catalog_import::{apply, export, plan_file, report, template, Applied, ImportPlan};

use crate::desk::{lock, Desk};
use crate::error::{DeskError, DeskResult};
use crate::events::{DeskEvent, FolderProgress};

/// The review package's file extension.
pub const PACKAGE_EXTENSION: &str = "cdpkg";

/// Which file to write: drafts in our template or the NSO layout, or an empty template of ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    Ours,
    Nso,
    EmptyTemplate,
}

/// A path the person gave (typed, dropped) that must name an existing file.
fn existing_file(path: PathBuf) -> DeskResult<PathBuf> {
    if path.is_absolute() && path.is_file() {
        Ok(path)
    } else {
        Err(StoreError::NotAFile { path }.into())
    }
}

impl Desk {
    /// Reads a template into a dry-run plan and keeps it until it is applied or discarded.
    pub async fn import_plan_file(&self, path: PathBuf) -> DeskResult<ImportPlan> {
        let (schema, path) = (self.schema(), existing_file(path)?);
        let plan = self.with_store(move |s| plan_file(&path, &schema, s)).await?;
        *lock(&self.pending.import_plan) = Some(plan.clone());
        Ok(plan)
    }

    pub async fn import_apply(&self) -> DeskResult<Applied> {
        let plan = lock(&self.pending.import_plan).take().ok_or(DeskError::NoImportPlan)?;
        let applied = self.with_store(move |s| apply(&plan, s, &local_user())).await?;
        self.wake_analyser();
        Ok(applied)
    }

    pub fn import_discard(&self) {
        lock(&self.pending.import_plan).take();
    }

    /// Saves the pending dry run's report (xlsx or CSV by the file's extension).
    pub fn import_save_report(&self, path: &Path) -> DeskResult<String> {
        let plan = lock(&self.pending.import_plan).clone().ok_or(DeskError::NoImportPlan)?;
        report::save(&plan, path)?;
        Ok(path.display().to_string())
    }

    /// Writes the drafts in our template or the NSO's (in its `nso_version`, else the current one), or
    /// an empty template of ours (`None` then).
    pub async fn export_drafts(
        &self,
        kind: ExportKind,
        nso_version: Option<String>,
        path: PathBuf,
    ) -> DeskResult<Option<Exported>> {
        let schema = self.schema();
        self.with_store(move |s| match kind {
            ExportKind::Ours => export::to_ours(s, &schema, &path).map(Some),
            ExportKind::Nso => export::to_nso(s, &schema, nso_version.as_deref(), &path).map(Some),
            ExportKind::EmptyTemplate => template::write_empty(&schema, &path).map(|()| None),
        })
        .await
    }

    /// As [`Desk::export_drafts`] in the current NSO version; returns where the file was written.
    pub async fn export_file(&self, kind: ExportKind, path: PathBuf) -> DeskResult<String> {
        self.export_drafts(kind, None, path.clone()).await?;
        Ok(path.display().to_string())
    }

    /// Matches a folder's files to drafts and keeps the match until the person confirms it.
    pub async fn folder_plan(&self, dir: PathBuf) -> DeskResult<FolderPlan> {
        let plan = self.with_store(move |s| folder::plan(&dir, s)).await?;
        *lock(&self.pending.folder_plan) = Some(plan.clone());
        Ok(plan)
    }

    /// Attaches the confirmed folder's files, reporting each one; stops between two files when cancelled.
    pub async fn folder_attach(&self) -> DeskResult<FolderApplied> {
        let plan = lock(&self.pending.folder_plan).take().ok_or(DeskError::NoImportPlan)?;
        let (cancel, events) = (self.folder_cancel.clone(), self.events());
        cancel.store(false, Ordering::Relaxed);
        let applied = self
            .with_store(move |s| {
                folder::apply(&plan, s, &local_user(), |done, total| {
                    events.emit(DeskEvent::FolderProgress(FolderProgress { done, total }));
                    !cancel.load(Ordering::Relaxed)
                })
            })
            .await?;
        self.wake_analyser();
        Ok(applied)
    }

    pub fn folder_cancel(&self) {
        self.folder_cancel.store(true, Ordering::Relaxed);
    }

    /// The file name suggested for a draft's review package.
    pub async fn package_file_name(&self, draft_id: String) -> DeskResult<String> {
        let slug = self.with_store(move |s| s.draft(&draft_id)).await?.slug;
        Ok(format!("{slug}.{PACKAGE_EXTENSION}"))
    }

    pub async fn export_review_package(&self, draft_id: String, path: PathBuf) -> DeskResult<Manifest> {
        self.with_store(move |s| package::export(s, &draft_id, &path, &local_user()))
            .await
    }

    /// Reads and checks a review package, and keeps it until the person confirms it.
    pub async fn read_review_package(&self, path: PathBuf) -> DeskResult<IncomingPackage> {
        let schema = self.schema();
        let incoming = self.with_store(move |s| package::read(s, &schema, &path)).await?;
        *lock(&self.pending.package) = Some(incoming.clone());
        Ok(incoming)
    }

    /// Applies the confirmed package; returns its draft's id.
    pub async fn apply_review_package(&self) -> DeskResult<String> {
        let incoming = lock(&self.pending.package).take().ok_or(DeskError::NoPackage)?;
        let draft_id = incoming.manifest.draft_id.clone();
        self.with_store(move |s| package::apply(s, &incoming, &local_user()))
            .await?;
        self.wake_analyser();
        Ok(draft_id)
    }
}
