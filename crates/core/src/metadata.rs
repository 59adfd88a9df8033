//! A draft's metadata seen through the schema: what the form shows for a data type, the draft's problems
//! and completeness (validation itself lives in `catalog-schema`), typed input normalised before it is
//! stored (Thai Buddhist-era dates to ISO), and the draft list with each draft's completeness. Nothing
//! here names a metadata field; the schema decides.

use std::collections::BTreeMap;

use catalog_error::Bilingual;
use catalog_schema::{
    completeness, format_thai, keys, parse_thai, unknown_keys, validate, ClassificationRule, Completeness, DataType,
    DraftRecord, Field, Problem, ProblemCode, Schema, Scope, Severity, UnknownKey, Widget,
};
use serde::Serialize;
use serde_json::Value;

use crate::analysis::FileScan;
use crate::checklist::{checklist, AccountState};
use crate::classification::{self, AccessDecision};
use crate::error::StoreError;
use crate::hints::{draft_hints, HintView};
use crate::store::{Draft, DraftSummary, Resource, ReviewDecision, Revision, RevisionAction, Store};

/// The form for one data type: its sections, each with the fields that type shows, in order.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct FormLayout {
    pub data_types: Vec<DataType>,
    pub sections: Vec<FormSection>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct FormSection {
    pub key: String,
    pub label: Bilingual,
    pub scope: Scope,
    pub fields: Vec<Field>,
    /// The section where the data category is chosen: the classification rules are shown there.
    pub shows_classification: bool,
}

/// The fields shown for `data_type`; without a type, the fields every type shows.
pub fn form_layout(schema: &Schema, data_type: Option<&str>) -> FormLayout {
    let every_type: Vec<&str> = schema.data_types().iter().map(|t| t.value.as_str()).collect();
    let shown = |field: &Field| match data_type {
        Some(data_type) => field.shown_for(data_type),
        None => every_type.iter().all(|t| field.shown_for(t)),
    };
    let sections = schema
        .sections()
        .iter()
        .map(|section| FormSection {
            key: section.key.clone(),
            label: section.label.clone(),
            scope: section.scope,
            fields: section
                .fields
                .iter()
                .filter_map(|key| schema.field(section.scope, key))
                .filter(|field| shown(field))
                .cloned()
                .collect(),
            shows_classification: section.fields.iter().any(|key| key == keys::DATA_CATEGORY),
        })
        .filter(|section| !section.fields.is_empty())
        .collect();
    FormLayout {
        data_types: schema.data_types().to_vec(),
        sections,
    }
}

/// Everything the draft page shows: the draft, its files, its problems and completeness.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct DraftView {
    pub draft: Draft,
    pub resources: Vec<Resource>,
    pub problems: Vec<Problem>,
    pub completeness: Completeness,
    pub completeness_percent: u8,
    pub unknown_keys: Vec<UnknownKey>,
    /// Each ISO date value in the draft, as shown in Thai mode (`2024-06-14` → `14 มิ.ย. 2567`).
    pub thai_dates: BTreeMap<String, String>,
    /// What the classification gate decides (visibility, consent, file access, and why).
    pub access: AccessDecision,
    /// The rule of the chosen data category (allowed levels, meaning, law), to show where it is chosen.
    pub classification_rule: Option<ClassificationRule>,
    /// What each classification level means.
    pub level_explanations: BTreeMap<String, Bilingual>,
    /// The chosen classification level, and its rank among the levels (0 = open … 4 = top secret) for
    /// the badge colour.
    pub classification_level: Option<String>,
    pub classification_rank: Option<usize>,
    /// The review steps taken so far (who, when, decision, note), oldest first.
    pub review_log: Vec<Revision>,
    /// What the files' contents suggest about classification, with the person's decisions.
    pub hints: Vec<HintView>,
    /// Where each file's content scan stands (in attach order): a file not checked keeps the draft
    /// from being public.
    pub scans: Vec<FileScan>,
}

/// The draft as the schema sees it: its metadata and one map per resource, in attach order.
pub fn record_of(draft: &Draft, resources: &[Resource]) -> DraftRecord {
    DraftRecord {
        metadata: draft.metadata.clone(),
        resources: resources.iter().map(|r| r.metadata.clone()).collect(),
    }
}

pub fn view(store: &Store, schema: &Schema, draft_id: &str) -> Result<DraftView, StoreError> {
    view_among(store, schema, draft_id, &all_titles(store)?)
}

/// Every draft's id and title, for the duplicate-title check.
fn all_titles(store: &Store) -> Result<Vec<(String, String)>, StoreError> {
    Ok(store.list_drafts("")?.into_iter().map(|d| (d.id, d.title)).collect())
}

/// [`view`] with the drafts' titles read once by the caller (the list reads them once, not per draft).
fn view_among(
    store: &Store,
    schema: &Schema,
    draft_id: &str,
    titles: &[(String, String)],
) -> Result<DraftView, StoreError> {
    let draft = store.draft(draft_id)?;
    let resources = store.resources(draft_id)?;
    let record = record_of(&draft, &resources);
    let other_titles: Vec<String> = titles
        .iter()
        .filter(|(id, _)| *id != draft.id)
        .map(|(_, title)| title.clone())
        .collect();
    let thai_dates = date_values(schema, &record)
        .filter_map(|iso| format_thai(&iso).ok().map(|thai| (iso, thai)))
        .collect();
    let completeness = completeness(schema, &record);
    let hints = draft_hints(store, draft_id)?;
    let evidence = hints.evidence();
    let mut problems = validate(schema, &record, &other_titles);
    problems.extend(classification::problems(schema, &record, &evidence));
    let category = record.metadata.get(keys::DATA_CATEGORY).and_then(Value::as_str);
    let level = record.metadata.get(keys::DATA_CLASSIFICATION).and_then(Value::as_str);
    let classification_rank = schema
        .field(Scope::Dataset, keys::DATA_CLASSIFICATION)
        .and_then(|field| field.choices.iter().position(|c| Some(c.value.as_str()) == level));
    let review_log = store
        .revisions(draft_id)?
        .into_iter()
        .filter(|r| r.action == RevisionAction::StateChanged)
        .collect();
    Ok(DraftView {
        review_log,
        classification_level: level.map(str::to_owned),
        classification_rank,
        access: classification::decide(schema, &record, &evidence),
        hints: hints.views,
        scans: hints.scans,
        classification_rule: category.and_then(|c| schema.classification_rule(c)).cloned(),
        level_explanations: schema.classification().level_explanations.clone(),
        problems,
        completeness_percent: completeness.percent(),
        completeness,
        unknown_keys: unknown_keys(schema, &record),
        thai_dates,
        draft,
        resources,
    })
}

fn date_values<'a>(schema: &'a Schema, record: &'a DraftRecord) -> impl Iterator<Item = String> + 'a {
    let dates_in = move |scope: Scope, map: &'a serde_json::Map<String, Value>| {
        map.iter()
            .filter(move |(key, _)| schema.field(scope, key).is_some_and(|f| f.widget == Widget::Date))
            .filter_map(|(_, value)| value.as_str().map(str::to_owned))
    };
    dates_in(Scope::Dataset, &record.metadata)
        .chain(record.resources.iter().flat_map(move |r| dates_in(Scope::Resource, r)))
}

/// What the person typed, as it should be stored: a date typed in Thai (`14/6/2567`, `14 มิ.ย. 2567`) or
/// ISO becomes ISO `YYYY-MM-DD`; text that is not a date is kept as typed so validation can point at it.
fn normalize_input(schema: &Schema, scope: Scope, key: &str, value: Value) -> Value {
    let is_date = schema.field(scope, key).is_some_and(|f| f.widget == Widget::Date);
    match value {
        Value::String(text) if is_date => Value::String(parse_thai(text.trim()).unwrap_or(text)),
        other => other,
    }
}

/// Sets one field of a draft as the person typed it, then the follow-up changes the ADC's form would
/// make (for example the access condition when a data category is chosen); each is its own logged
/// change, so undo can take them back one by one.
pub fn set_field(
    store: &mut Store,
    schema: &Schema,
    draft_id: &str,
    key: &str,
    value: Value,
    actor: &str,
) -> Result<(), StoreError> {
    let draft = store.set_field(
        draft_id,
        key,
        normalize_input(schema, Scope::Dataset, key, value),
        actor,
    )?;
    let record = record_of(&draft, &[]);
    for (follow_key, follow_value) in classification::consequences(schema, &record, key) {
        store.set_field(draft_id, follow_key, follow_value, actor)?;
    }
    Ok(())
}

/// Sets one field of a resource as the person typed it; returns the id of the draft the resource
/// belongs to.
pub fn set_resource_field(
    store: &mut Store,
    schema: &Schema,
    resource_id: &str,
    key: &str,
    value: Value,
    actor: &str,
) -> Result<String, StoreError> {
    let value = normalize_input(schema, Scope::Resource, key, value);
    Ok(store.set_resource_field(resource_id, key, value, actor)?.draft_id)
}

/// The problem shown on the title when the ADC already has datasets (`names`) with the draft's title:
/// the ADC refuses a duplicate title, so publishing would fail.
pub fn title_taken_on_adc(names: &[String]) -> Problem {
    let names = names.join(", ");
    Problem {
        field: keys::TITLE.to_owned(),
        resource: None,
        code: ProblemCode::TitleDuplicate,
        message: Bilingual::new(
            format!("ชื่อชุดข้อมูลนี้มีอยู่แล้วในระบบบัญชีข้อมูลหน่วยงาน ({names}) ระบบจะไม่รับชื่อซ้ำ โปรดตั้งชื่อใหม่"),
            format!("This title is already used on the agency data catalog ({names}), which refuses duplicates; please choose another."),
        ),
        severity: Severity::Error,
    }
}

/// Takes a review step. A draft is submitted only when it has no errors, so the steward reviews
/// something the ADC would accept.
pub fn review(
    store: &mut Store,
    schema: &Schema,
    draft_id: &str,
    decision: ReviewDecision,
    actor: &str,
    note: &str,
) -> Result<(), StoreError> {
    if decision == ReviewDecision::Submit {
        let errors = view(store, schema, draft_id)?
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count();
        if errors > 0 {
            return Err(StoreError::NotReadyForReview { errors });
        }
    }
    store.review(draft_id, decision, actor, note).map(|_| ())
}

/// One line of the draft list, with how complete the draft is.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct DraftListItem {
    #[serde(flatten)]
    pub summary: DraftSummary,
    pub completeness: Completeness,
    pub completeness_percent: u8,
    pub error_count: usize,
    /// How many of the five checklist steps are done.
    pub checklist_done: usize,
}

/// The draft list (title search, most recently updated first) with each draft's completeness and how
/// many of the five checklist steps it has done.
pub fn list(
    store: &Store,
    schema: &Schema,
    account: &AccountState,
    search: &str,
) -> Result<Vec<DraftListItem>, StoreError> {
    let titles = all_titles(store)?;
    store
        .list_drafts(search)?
        .into_iter()
        .map(|summary| {
            let view = view_among(store, schema, &summary.id, &titles)?;
            Ok(DraftListItem {
                completeness: view.completeness,
                completeness_percent: view.completeness_percent,
                error_count: view.problems.iter().filter(|p| p.severity == Severity::Error).count(),
                checklist_done: checklist(&view, account).done,
                summary,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn keys(layout: &FormLayout) -> Vec<&str> {
        layout
            .sections
            .iter()
            .flat_map(|s| s.fields.iter().map(|f| f.key.as_str()))
            .collect()
    }

    #[test]
    fn each_data_type_shows_its_own_fields_and_no_type_shows_the_common_ones() {
        let schema = Schema::built_in();
        let statistical = form_layout(schema, Some("ข้อมูลสถิติ"));
        assert!(keys(&statistical).contains(&"first_year_of_data"));
        assert!(!keys(&statistical).contains(&"geographic_data_set"));
        let geographic = form_layout(schema, Some("ข้อมูลภูมิสารสนเทศเชิงพื้นที่"));
        assert!(keys(&geographic).contains(&"geographic_data_set"));
        assert!(!keys(&geographic).contains(&"first_year_of_data"));
        let untyped = form_layout(schema, None);
        assert!(keys(&untyped).contains(&"data_type"));
        assert!(!keys(&untyped).contains(&"first_year_of_data"));
        assert!(
            statistical.sections.iter().all(|s| !s.fields.is_empty()),
            "empty sections are left out"
        );
        assert_eq!(statistical.data_types.len(), 5);
    }

    #[test]
    fn thai_dates_are_stored_as_iso_and_other_text_is_kept() {
        let schema = Schema::built_in();
        let date = |v: &str| normalize_input(schema, Scope::Dataset, "last_updated_date", json!(v));
        assert_eq!(date("14/6/2567"), json!("2024-06-14"));
        assert_eq!(date("14 มิ.ย. 2567"), json!("2024-06-14"));
        assert_eq!(date("2024-06-14"), json!("2024-06-14"));
        assert_eq!(date("เมื่อวาน"), json!("เมื่อวาน"));
        assert_eq!(
            normalize_input(schema, Scope::Dataset, "notes", json!("14/6/2567")),
            json!("14/6/2567")
        );
    }

    #[test]
    fn a_new_draft_lists_its_missing_required_fields_and_completeness_rises_as_they_are_filled() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let schema = Schema::built_in();
        let draft = store.create_draft("จำนวนผู้ป่วย", "u").unwrap();
        let before = view(&store, schema, &draft.id).unwrap();
        assert!(before.completeness.percent() < 100);
        assert!(before
            .problems
            .iter()
            .any(|p| p.field == "maintainer_email" && p.severity == Severity::Error));
        store
            .set_field(&draft.id, "maintainer_email", json!("stat@nan.go.th"), "u")
            .unwrap();
        store
            .set_field(&draft.id, "last_updated_date", json!("2024-06-14"), "u")
            .unwrap();
        let after = view(&store, schema, &draft.id).unwrap();
        assert!(after.completeness.filled > before.completeness.filled);
        assert!(!after.problems.iter().any(|p| p.field == "maintainer_email"));
        assert_eq!(
            after.thai_dates.get("2024-06-14").map(String::as_str),
            Some("14 มิ.ย. 2567")
        );
    }

    #[test]
    fn a_draft_with_errors_cannot_be_submitted() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let draft = store.create_draft("ยังไม่ครบ", "u").unwrap();
        let refused = review(
            &mut store,
            Schema::built_in(),
            &draft.id,
            ReviewDecision::Submit,
            "u",
            "",
        );
        assert!(matches!(refused, Err(StoreError::NotReadyForReview { errors }) if errors > 0));
        assert_eq!(store.draft(&draft.id).unwrap().state, crate::DraftState::Draft);
    }

    #[test]
    fn the_list_reports_completeness_and_flags_both_drafts_of_a_duplicated_title() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let schema = Schema::built_in();
        let a = store.create_draft("ซ้ำ", "u").unwrap();
        store.create_draft("ซ้ำ", "u").unwrap();
        let items = list(&store, schema, &AccountState::default(), "").unwrap();
        assert_eq!(items.len(), 2);
        let record = record_of(&store.draft(&a.id).unwrap(), &[]);
        let alone = validate(schema, &record, &[] as &[&str])
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count();
        assert!(
            items.iter().all(|i| i.error_count == alone + 1),
            "the duplicate title counts as one more error"
        );
        assert!(items.iter().all(|i| i.completeness.total > 0));
    }
}
