//! Drafts and their metadata: the list (title search, completeness, checklist progress), create,
//! rename, delete; the form layout for a data type, the draft as the form shows it, its five-step
//! checklist, autosaving one field of the draft or of a file, undo; the steward's review, decisions on
//! classification hints, and the printable review sheet.

use std::path::PathBuf;

use catalog_core::checklist::{checklist, Checklist};
use catalog_core::metadata::{self, DraftListItem, DraftView, FormLayout};
use catalog_core::review_sheet::{self, Lang};
use catalog_core::{local_user, Draft, ReviewDecision, StoreError};
use serde_json::Value;

use crate::desk::Desk;
use crate::error::DeskResult;

impl Desk {
    pub async fn list_drafts(&self, search: String) -> DeskResult<Vec<DraftListItem>> {
        let (schema, account) = (self.schema(), self.account_state().await);
        self.with_store(move |s| metadata::list(s, &schema, &account, &search))
            .await
    }

    pub async fn create_draft(&self, title: String) -> DeskResult<Draft> {
        self.with_store(move |s| s.create_draft(&title, &local_user())).await
    }

    pub async fn rename_draft(&self, id: String, title: String) -> DeskResult<Draft> {
        self.with_store(move |s| s.rename_draft(&id, &title, &local_user()))
            .await
    }

    pub async fn delete_draft(&self, id: String) -> DeskResult<()> {
        self.with_store(move |s| s.delete_draft(&id, &local_user())).await
    }

    pub fn form_layout(&self, data_type: Option<&str>) -> FormLayout {
        metadata::form_layout(&self.schema(), data_type)
    }

    pub async fn draft_view(&self, id: String) -> DeskResult<DraftView> {
        let schema = self.schema();
        self.with_store(move |s| metadata::view(s, &schema, &id)).await
    }

    pub async fn draft_checklist(&self, draft_id: String) -> DeskResult<Checklist> {
        let (schema, account) = (self.schema(), self.account_state().await);
        self.with_store(move |s| metadata::view(s, &schema, &draft_id).map(|view| checklist(&view, &account)))
            .await
    }

    /// Saves one field of the draft as typed; returns the draft as the form then shows it.
    pub async fn set_field(&self, draft_id: String, key: String, value: Value) -> DeskResult<DraftView> {
        let schema = self.schema();
        self.with_store(move |s| {
            metadata::set_field(s, &schema, &draft_id, &key, value, &local_user())?;
            metadata::view(s, &schema, &draft_id)
        })
        .await
    }

    /// Saves one field of a resource file as typed; returns its draft as the form then shows it.
    pub async fn set_resource_field(&self, resource_id: String, key: String, value: Value) -> DeskResult<DraftView> {
        let schema = self.schema();
        self.with_store(move |s| {
            let draft_id = metadata::set_resource_field(s, &schema, &resource_id, &key, value, &local_user())?;
            metadata::view(s, &schema, &draft_id)
        })
        .await
    }

    pub async fn undo_change(&self, draft_id: String) -> DeskResult<DraftView> {
        let schema = self.schema();
        self.with_store(move |s| {
            s.undo_last_change(&draft_id, &local_user())?;
            metadata::view(s, &schema, &draft_id)
        })
        .await
    }

    /// The editor submits, the steward approves or asks for changes (with a note).
    pub async fn review_draft(
        &self,
        draft_id: String,
        decision: ReviewDecision,
        note: String,
    ) -> DeskResult<DraftView> {
        let schema = self.schema();
        self.with_store(move |s| {
            metadata::review(s, &schema, &draft_id, decision, &local_user(), &note)?;
            metadata::view(s, &schema, &draft_id)
        })
        .await
    }

    /// Accepts a classification hint, or dismisses it with a reason; the decision is logged.
    pub async fn decide_hint(
        &self,
        resource_id: String,
        hint_id: String,
        column: String,
        accepted: bool,
        reason: String,
    ) -> DeskResult<DraftView> {
        let schema = self.schema();
        self.with_store(move |s| {
            s.decide_hint(&resource_id, &hint_id, &column, accepted, &reason, &local_user())?;
            metadata::view(s, &schema, &s.resource(&resource_id)?.draft_id)
        })
        .await
    }

    /// The review sheet as an HTML fragment, for the window to show and print.
    pub async fn review_sheet(&self, draft_id: String, lang: Lang) -> DeskResult<String> {
        let (schema, account) = (self.schema(), self.account_state().await);
        self.with_store(move |s| {
            let view = metadata::view(s, &schema, &draft_id)?;
            Ok::<_, StoreError>(review_sheet::fragment(
                &schema,
                &view,
                &checklist(&view, &account),
                lang,
            ))
        })
        .await
    }

    /// Writes the review sheet as a standalone HTML file at `path`.
    pub async fn save_review_sheet(&self, draft_id: String, lang: Lang, path: PathBuf) -> DeskResult<String> {
        let (schema, account, target) = (self.schema(), self.account_state().await, path.clone());
        self.with_store(move |s| {
            let view = metadata::view(s, &schema, &draft_id)?;
            let html = review_sheet::document(&schema, &view, &checklist(&view, &account), lang);
            std::fs::write(&target, html).map_err(|e| StoreError::FileUnreadable {
                path: target.clone(),
                reason: e.to_string(),
            })
        })
        .await?;
        Ok(path.display().to_string())
    }
}
