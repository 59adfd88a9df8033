//! A resource file's preview as the app uses it: open the stored copy (its original name tells the
//! format), read it with the layout the person corrected or the detected one, keep it open for the
//! scrolling grid, build the row index and the whole-file profile with progress and cancel, and turn
//! the profile's suggestions into values for the resource's own fields (the schema says which field
//! takes which suggestion). The reading itself is `catalog-preview`'s; the file's stored analysis
//! ([`crate::analysis`]) gives the first screen its profile without profiling again.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use catalog_error::{ToUserMessage, UserMessage};
use catalog_preview::{
    open, suggest_metadata, MetadataSuggestion, OpenOptions, PreviewError, Profile, Progress, RowIndexSummary,
    RowWindow, Source, SourceInfo, TableLayout,
};
use catalog_schema::{Schema, Scope, Suggestion};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::analysis::Analysis;
use crate::error::StoreError;
use crate::store::{original_name, saved_layout, Store};

/// Rows shown at once when a file opens.
pub const FIRST_SCREEN_ROWS: usize = 200;

/// Where a resource's copy is and what the app already knows about reading it.
#[derive(Debug, Clone)]
pub struct PreviewTarget {
    pub resource_id: String,
    path: PathBuf,
    original_name: String,
    saved_layout: Option<TableLayout>,
    saved_analysis: Option<Analysis>,
}

impl PreviewTarget {
    pub fn of(store: &Store, resource_id: &str) -> Result<PreviewTarget, StoreError> {
        let resource = store.resource(resource_id)?;
        if resource.stored_path.is_empty() {
            return Err(StoreError::NoLocalCopy { name: resource.name });
        }
        Ok(PreviewTarget {
            path: store.blobs().path_of(&resource.sha256),
            original_name: original_name(&resource),
            saved_layout: saved_layout(&resource),
            saved_analysis: store.resource_analysis(resource_id)?,
            resource_id: resource.id,
        })
    }
}

/// The person's choices when opening: another sheet, or an encoding instead of the detected one.
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
pub struct PreviewChoice {
    pub sheet: Option<String>,
    pub encoding: Option<String>,
}

/// What the preview shows at once.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PreviewScreen {
    pub info: SourceInfo,
    pub layout: TableLayout,
    /// The layout is the person's correction, not the detected one.
    pub layout_corrected: bool,
    pub window: RowWindow,
    /// The file's analysed profile, if it was made with this layout (shown without profiling again).
    pub saved_profile: Option<Profile>,
}

/// A whole-file profile and what it suggests for the resource's fields.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ProfileReport {
    pub profile: Profile,
    pub suggestion: MetadataSuggestion,
    pub suggested_values: Vec<SuggestedValue>,
}

/// A value the preview suggests for one resource field; the person accepts or edits it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct SuggestedValue {
    pub key: String,
    pub value: Value,
}

#[derive(Debug, thiserror::Error)]
pub enum PreviewFailure {
    #[error("the preview of resource {0} is not open")]
    NotOpen(String),
    #[error(transparent)]
    Preview(#[from] PreviewError),
}

impl ToUserMessage for PreviewFailure {
    fn to_user_message(&self) -> UserMessage {
        match self {
            PreviewFailure::NotOpen(_) => UserMessage::new(
                "preview.not_open",
                "ตัวอย่างไฟล์นี้ถูกปิดไปแล้ว โปรดเปิดดูตัวอย่างอีกครั้ง",
                "This file's preview was closed; please open the preview again.",
            ),
            PreviewFailure::Preview(err) => err.to_user_message(),
        }
    }
}

struct Session {
    target: PreviewTarget,
    options: OpenOptions,
    source: Source,
    layout: TableLayout,
}

/// The previews open in the window, one per resource, each usable from any thread.
#[derive(Default)]
pub struct Previews {
    sessions: Mutex<HashMap<String, Arc<Mutex<Session>>>>,
    cancels: Mutex<HashMap<String, Arc<AtomicBool>>>,
}

impl Previews {
    /// Opens (or reopens with other choices) a resource's preview and returns its first screen.
    pub fn open(&self, target: PreviewTarget, choice: &PreviewChoice) -> Result<PreviewScreen, PreviewFailure> {
        let options = OpenOptions {
            encoding: choice.encoding.clone(),
            original_name: Some(target.original_name.clone()),
            ..OpenOptions::default()
        };
        let mut source = open(&target.path, &options)?;
        let saved = target
            .saved_layout
            .clone()
            .filter(|l| choice.sheet.is_none() || l.sheet == choice.sheet);
        let layout_corrected = saved.is_some();
        let layout = match saved {
            Some(layout) => layout,
            None => source.detect_layout(choice.sheet.as_deref())?,
        };
        let window = source.first_screen(&layout, FIRST_SCREEN_ROWS)?;
        let screen = PreviewScreen {
            info: source.info().clone(),
            layout: layout.clone(),
            layout_corrected,
            window,
            saved_profile: target
                .saved_analysis
                .as_ref()
                .filter(|analysis| analysis.layout == layout)
                .map(|analysis| analysis.profile.clone()),
        };
        let id = target.resource_id.clone();
        let session = Session {
            target,
            options,
            source,
            layout,
        };
        lock(&self.sessions).insert(id, Arc::new(Mutex::new(session)));
        Ok(screen)
    }

    fn session(&self, resource_id: &str) -> Result<Arc<Mutex<Session>>, PreviewFailure> {
        lock(&self.sessions)
            .get(resource_id)
            .cloned()
            .ok_or_else(|| PreviewFailure::NotOpen(resource_id.to_owned()))
    }

    /// Reads the file with another layout (the person's correction) and returns its first screen.
    pub fn relayout(&self, resource_id: &str, layout: TableLayout) -> Result<RowWindow, PreviewFailure> {
        let session = self.session(resource_id)?;
        let mut session = lock(&session);
        let window = session.source.first_screen(&layout, FIRST_SCREEN_ROWS)?;
        session.layout = layout;
        Ok(window)
    }

    /// The layout when the person says the header starts at `header_row` (0-based file or sheet row),
    /// with its first screen; the caller saves the layout with the resource.
    pub fn choose_header(
        &self,
        resource_id: &str,
        header_row: usize,
    ) -> Result<(TableLayout, RowWindow), PreviewFailure> {
        let session = self.session(resource_id)?;
        let mut session = lock(&session);
        let sheet = session.layout.sheet.clone();
        let layout = session.source.layout_with_header(sheet.as_deref(), header_row)?;
        let window = session.source.first_screen(&layout, FIRST_SCREEN_ROWS)?;
        session.layout = layout.clone();
        Ok((layout, window))
    }

    /// `count` data rows from data row `first`, for the scrolling grid.
    pub fn rows(&self, resource_id: &str, first: usize, count: usize) -> Result<RowWindow, PreviewFailure> {
        let session = self.session(resource_id)?;
        let mut session = lock(&session);
        let Session { source, layout, .. } = &mut *session;
        Ok(source.rows(layout, first, count)?)
    }

    fn cancel_flag(&self, resource_id: &str) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        lock(&self.cancels).insert(resource_id.to_owned(), Arc::clone(&flag));
        flag
    }

    /// Indexes every row so the grid can jump anywhere; reports progress, stops when cancelled.
    pub fn index(
        &self,
        resource_id: &str,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<RowIndexSummary, PreviewFailure> {
        let cancel = self.cancel_flag(resource_id);
        let session = self.session(resource_id)?;
        let mut session = lock(&session);
        let Session { source, layout, .. } = &mut *session;
        Ok(source.build_row_index(layout, progress, &cancel)?)
    }

    /// A reader of its own for a whole-file pass, with the session's options and layout, so the grid's
    /// reader stays free meanwhile.
    fn own_reader(&self, resource_id: &str) -> Result<(Source, TableLayout), PreviewFailure> {
        let session = self.session(resource_id)?;
        let session = lock(&session);
        Ok((open(&session.target.path, &session.options)?, session.layout.clone()))
    }

    /// Profiles every column over the whole file, on its own reader so the grid stays usable meanwhile.
    pub fn profile(
        &self,
        schema: &Schema,
        resource_id: &str,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ProfileReport, PreviewFailure> {
        let cancel = self.cancel_flag(resource_id);
        let (mut source, layout) = self.own_reader(resource_id)?;
        let profile = source.profile(&layout, progress, &cancel)?;
        let suggestion = suggest_metadata(source.info(), &layout, &profile);
        let suggested_values = suggested_values(schema, &suggestion);
        Ok(ProfileReport {
            profile,
            suggestion,
            suggested_values,
        })
    }

    /// Stops the long work running on a resource (index or profile).
    pub fn cancel(&self, resource_id: &str) {
        if let Some(flag) = lock(&self.cancels).get(resource_id) {
            flag.store(true, Ordering::Relaxed);
        }
    }

    /// Forgets a resource's open preview (its file handles and temporary index).
    pub fn close(&self, resource_id: &str) {
        lock(&self.sessions).remove(resource_id);
        lock(&self.cancels).remove(resource_id);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The suggestion for each resource field that takes one (the schema's `suggest_from`).
pub fn suggested_values(schema: &Schema, suggestion: &MetadataSuggestion) -> Vec<SuggestedValue> {
    schema
        .fields(Scope::Resource)
        .iter()
        .filter_map(|field| {
            let value = match field.suggest_from? {
                Suggestion::Format => Some(json!(suggestion.format)),
                Suggestion::FirstYearBe => suggestion.first_year_be.map(|y| json!(y.to_string())),
                Suggestion::LastYearBe => suggestion.last_year_be.map(|y| json!(y.to_string())),
                Suggestion::Created => suggestion.created.as_ref().map(|d| json!(d)),
                Suggestion::LastUpdated => suggestion.last_updated.as_ref().map(|d| json!(d)),
            }?;
            Some(SuggestedValue {
                key: field.key.clone(),
                value,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attached_windows_874_file_previews_from_its_copy_and_suggests_resource_values() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("data")).unwrap();
        let draft = store.create_draft("นิติบุคคลจดทะเบียนใหม่", "u").unwrap();
        let resource = store
            .attach_file(&draft.id, &catalog_testkit::corpus_file("dbd_99_201501.csv"), "u")
            .unwrap();
        let previews = Previews::default();
        let screen = previews
            .open(
                PreviewTarget::of(&store, &resource.id).unwrap(),
                &PreviewChoice::default(),
            )
            .unwrap();
        assert_eq!(
            screen.info.encoding.as_ref().map(|e| e.encoding.as_str()),
            Some("windows-874")
        );
        assert_eq!(
            screen.layout.header_rows,
            [2],
            "the header is found under the two title rows"
        );
        assert!(screen.window.columns.iter().any(|c| c.contains("ทุนจดทะเบียน")));
        assert!(!screen.layout_corrected);

        let mut steps = 0;
        let report = previews
            .profile(Schema::built_in(), &resource.id, &mut |_| steps += 1)
            .unwrap();
        assert_eq!(report.suggestion.first_year_be, Some(2558));
        let keys: Vec<&str> = report.suggested_values.iter().map(|s| s.key.as_str()).collect();
        assert!(
            keys.contains(&"format") && keys.contains(&"resource_first_year_of_data"),
            "{keys:?}"
        );
        assert!(report.suggested_values.contains(&SuggestedValue {
            key: "format".into(),
            value: json!("CSV")
        }));

        let later = previews.rows(&resource.id, 5000, 10).unwrap();
        assert_eq!(later.rows.len(), 10);
        previews.close(&resource.id);
        assert!(matches!(
            previews.rows(&resource.id, 0, 1),
            Err(PreviewFailure::NotOpen(_))
        ));
    }

    #[test]
    fn a_corrected_layout_is_used_when_the_file_is_opened_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("data")).unwrap();
        let draft = store.create_draft("ทดสอบ", "u").unwrap();
        let file = dir.path().join("table.csv");
        std::fs::write(&file, "รายงานประจำปี\nจังหวัด,จำนวน\nน่าน,1\nแพร่,2\n").unwrap();
        let resource = store.attach_file(&draft.id, &file, "u").unwrap();
        let previews = Previews::default();
        let detected = previews
            .open(
                PreviewTarget::of(&store, &resource.id).unwrap(),
                &PreviewChoice::default(),
            )
            .unwrap();
        let mut corrected = detected.layout.clone();
        corrected.data_start += 1;
        store
            .set_resource_layout(&resource.id, Some(&serde_json::to_value(&corrected).unwrap()), "u")
            .unwrap();
        let again = previews
            .open(
                PreviewTarget::of(&store, &resource.id).unwrap(),
                &PreviewChoice::default(),
            )
            .unwrap();
        assert!(again.layout_corrected);
        assert_eq!(again.layout, corrected);
        assert_eq!(again.window.rows.len() + 1, detected.window.rows.len());
        let logged = store
            .revisions(&draft.id)
            .unwrap()
            .iter()
            .any(|r| r.action == crate::RevisionAction::LayoutChanged);
        assert!(logged, "the correction is in the revision log");
    }
}
