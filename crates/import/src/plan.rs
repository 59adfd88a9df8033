//! The dry run: source rows converted through the schema and compared with the drafts already in the
//! store, giving one outcome per row (created, updated with its field-level changes, unchanged, error),
//! every cell note, and each draft's validation problems, plus the exact changes `apply` will write.
//! A row's slug is its identity: a slug that matches a draft updates that draft, never a duplicate.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use catalog_core::{metadata::record_of, Store};
use catalog_error::Bilingual;
use catalog_schema::{check_slug, keys, validate, DraftRecord, Problem, ProblemCode, Schema, Scope, Severity};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::convert::{convert, Level, Note, Origin};
use crate::error::ImportError;
use crate::layout;
use crate::source::{self, Located, Place, SourceCell, SourceResource, SourceRow};
use crate::workbook::{column_letter, Workbook};

/// What applying the plan does to one row or resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
    Error,
}

/// One field that the import changes.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(rename = "ImportFieldChange")]
pub struct FieldChange {
    pub field: String,
    pub before: Value,
    pub after: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ResourcePlan {
    pub sheet: String,
    pub row: u32,
    pub name: String,
    pub outcome: Outcome,
    pub resource_id: Option<String>,
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct RowPlan {
    pub sheet: String,
    pub row: u32,
    pub slug: String,
    pub title: String,
    pub data_type: Option<String>,
    pub outcome: Outcome,
    /// The draft this row updates, if one has its slug.
    pub draft_id: Option<String>,
    pub changes: Vec<FieldChange>,
    pub resources: Vec<ResourcePlan>,
    pub notes: Vec<Located>,
    /// The draft's problems after the import; an error one blocks publishing (the ADC would refuse it).
    pub problems: Vec<Problem>,
    pub blocks_publish: bool,
}

/// Which template the file is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Template {
    Nso { version: Option<String> },
    Ours,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Summary {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub errors: usize,
    pub resources_created: usize,
    pub resources_updated: usize,
    pub orphan_resources: usize,
    pub blocks_publish: usize,
}

/// The whole dry run.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ImportPlan {
    pub file: String,
    pub template: Template,
    /// The file was an old `.xls` (whatever its name says).
    pub legacy_xls: bool,
    pub summary: Summary,
    pub rows: Vec<RowPlan>,
    /// Resource rows that belong to no dataset row, or come from an unreadable sheet.
    pub orphans: Vec<Located>,
    /// Notes on the file or a whole sheet.
    pub notes: Vec<Located>,
}

impl ImportPlan {
    /// Whether anything in the plan is an error (a row or resource that will not be imported).
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
            || self.summary.orphan_resources > 0
            || self.notes.iter().any(|n| n.note.level == Level::Error)
    }
}

struct Existing {
    id: String,
    record: DraftRecord,
    resource_ids: Vec<String>,
}

/// Reads `path` (the NSO template or Catalog Desk's own) and plans its import into `store`.
pub fn plan_file(path: &Path, schema: &Schema, store: &Store) -> Result<ImportPlan, ImportError> {
    let book = Workbook::read(path)?;
    let source = source::read_nso(&book, schema)
        .or_else(|| source::read_ours(&book, schema))
        .ok_or_else(|| ImportError::UnknownTemplate { path: path.to_owned() })?;
    let mut plan = plan_source(source, schema, store)?;
    plan.file = path.display().to_string();
    plan.legacy_xls = book.legacy_xls;
    if book.legacy_xls {
        plan.notes.push(Located {
            place: Place {
                sheet: String::new(),
                row: None,
                column: None,
                field: None,
            },
            note: Note::new(
                Level::Info,
                "legacy_xls",
                "ไฟล์นี้เป็น Excel รุ่นเก่า (.xls) แม้ชื่อไฟล์จะเป็นอย่างอื่น อ่านได้ แต่ระบบบัญชีข้อมูลอาจไม่รับ โปรดบันทึกเป็น .xlsx ก่อนอัปโหลด",
                "This file is an old Excel (.xls) workbook whatever its name says; it was read, but the catalog may refuse it. Save it as .xlsx before uploading.",
            ),
        });
    }
    Ok(plan)
}

fn existing_drafts(store: &Store) -> Result<HashMap<String, Existing>, ImportError> {
    let mut by_slug = HashMap::new();
    for summary in store.list_drafts("")? {
        let draft = store.draft(&summary.id)?;
        let resources = store.resources(&summary.id)?;
        let record = record_of(&draft, &resources);
        by_slug.insert(
            draft.slug.clone(),
            Existing {
                id: draft.id,
                record,
                resource_ids: resources.into_iter().map(|r| r.id).collect(),
            },
        );
    }
    Ok(by_slug)
}

fn is_cleared(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

fn same(a: Option<&Value>, b: &Value) -> bool {
    match a {
        None => is_cleared(b),
        Some(a) if is_cleared(a) => is_cleared(b),
        Some(a) => a == b,
    }
}

/// The changes that turn `current` into `desired` (only keys of `desired` count).
fn diff(current: &Map<String, Value>, desired: &Map<String, Value>) -> Vec<FieldChange> {
    desired
        .iter()
        .filter(|(k, v)| !same(current.get(*k), v))
        .map(|(k, v)| FieldChange {
            field: k.clone(),
            before: current.get(k).cloned().unwrap_or(Value::Null),
            after: if is_cleared(v) { Value::Null } else { v.clone() },
        })
        .collect()
}

fn located(sheet: &str, row: u32, col: Option<u32>, field: Option<&str>, note: Note) -> Located {
    Located {
        place: Place {
            sheet: sheet.to_owned(),
            row: Some(row),
            column: col.map(column_letter),
            field: field.map(str::to_owned),
        },
        note,
    }
}

/// Converts the cells of one row (dataset or resource) into field values; companions computed from an
/// unknown choice fill the companion unless the sheet has the companion's own column filled.
fn convert_cells(
    schema: &Schema,
    scope: Scope,
    cells: &[SourceCell],
    origin: Origin,
    sheet: &str,
    row: u32,
    notes: &mut Vec<Located>,
) -> Map<String, Value> {
    let mut values = Map::new();
    let mut companions: Vec<(String, Value)> = Vec::new();
    for cell in cells {
        let Some(field) = schema.field(scope, &cell.key) else {
            continue;
        };
        let converted = convert(field, &cell.cell, origin);
        notes.extend(
            converted
                .notes
                .into_iter()
                .map(|n| located(sheet, row, Some(cell.col), Some(&cell.key), n)),
        );
        values.insert(cell.key.clone(), converted.value);
        companions.extend(converted.companion);
    }
    for (key, value) in companions {
        let own_column_filled = values.get(&key).is_some_and(|v| !is_cleared(v));
        if !own_column_filled {
            values.insert(key, value);
        }
    }
    values
}

/// The dataset's slug as the ADC derives it (NSO: lower case, each space a dash) or as typed (ours).
fn slug_of(row: &SourceRow, origin: Origin) -> String {
    match origin {
        Origin::Nso => row
            .join
            .trim()
            .chars()
            .map(|c| if c.is_whitespace() { '-' } else { c })
            .collect::<String>()
            .to_lowercase(),
        Origin::Ours => row.join.trim().to_owned(),
    }
}

fn error_note(code: &'static str, th: String, en: String) -> Note {
    Note::new(Level::Error, code, th, en)
}

pub(crate) fn plan_source(source: source::Source, schema: &Schema, store: &Store) -> Result<ImportPlan, ImportError> {
    let existing = existing_drafts(store)?;
    let mut plan = ImportPlan {
        file: String::new(),
        template: match source.origin {
            Origin::Nso => Template::Nso {
                version: source.version.clone(),
            },
            Origin::Ours => Template::Ours,
        },
        legacy_xls: false,
        summary: Summary::default(),
        rows: Vec::new(),
        orphans: Vec::new(),
        notes: source.notes,
    };
    for orphan in &source.orphans {
        plan.orphans
            .extend(orphan.notes.iter().filter(|n| n.note.level == Level::Error).cloned());
    }
    plan.summary.orphan_resources = source.orphans.len();
    let not_imported = &layout::nso().not_imported;
    let mut seen_slugs: HashSet<String> = HashSet::new();
    let mut titles: HashMap<String, usize> = HashMap::new();
    let file_slugs: HashSet<String> = source.rows.iter().map(|r| slug_of(r, source.origin)).collect();
    for (slug, e) in &existing {
        let title = e
            .record
            .metadata
            .get(keys::TITLE)
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !title.is_empty() && !file_slugs.contains(slug) {
            *titles.entry(title.trim().to_owned()).or_default() += 1;
        }
    }
    let mut rows = Vec::with_capacity(source.rows.len());
    for row in source.rows {
        let mut row_plan = plan_row(row, source.origin, schema, &existing, &mut seen_slugs);
        if row_plan.outcome != Outcome::Error {
            row_plan.problems.retain(|p| !not_imported.contains_key(&p.field));
            if !row_plan.title.is_empty() {
                *titles.entry(row_plan.title.trim().to_owned()).or_default() += 1;
            }
        }
        rows.push(row_plan);
    }
    for mut row_plan in rows {
        if row_plan.outcome != Outcome::Error {
            if titles.get(row_plan.title.trim()).is_some_and(|n| *n > 1) {
                row_plan.problems.push(Problem {
                    field: keys::TITLE.to_owned(),
                    resource: None,
                    code: ProblemCode::TitleDuplicate,
                    message: Bilingual::new(
                        format!("ชื่อชุดข้อมูล \"{}\" ซ้ำกับชุดข้อมูลอื่นในไฟล์หรือในเครื่อง", row_plan.title),
                        format!(
                            "The title \"{}\" is also used by another dataset in the file or on this computer.",
                            row_plan.title
                        ),
                    ),
                    severity: Severity::Error,
                });
            }
            row_plan.blocks_publish = row_plan.problems.iter().any(|p| p.severity == Severity::Error);
        }
        let s = &mut plan.summary;
        s.rows += 1;
        match row_plan.outcome {
            Outcome::Created => s.created += 1,
            Outcome::Updated => s.updated += 1,
            Outcome::Unchanged => s.unchanged += 1,
            Outcome::Error => s.errors += 1,
        }
        s.blocks_publish += usize::from(row_plan.blocks_publish);
        for r in &row_plan.resources {
            match r.outcome {
                Outcome::Created => s.resources_created += 1,
                Outcome::Updated => s.resources_updated += 1,
                _ => {}
            }
        }
        plan.rows.push(row_plan);
    }
    Ok(plan)
}

/// Plans one dataset row, with the problems of the draft as it will be unless the row is an error.
fn plan_row(
    mut row: SourceRow,
    origin: Origin,
    schema: &Schema,
    existing: &HashMap<String, Existing>,
    seen: &mut HashSet<String>,
) -> RowPlan {
    let mut notes = std::mem::take(&mut row.notes);
    let slug = slug_of(&row, origin);
    let mut desired = convert_cells(
        schema,
        Scope::Dataset,
        &row.cells,
        origin,
        &row.sheet,
        row.row,
        &mut notes,
    );
    desired.insert(keys::NAME.to_owned(), Value::String(slug.clone()));
    if let Some(data_type) = &row.data_type {
        desired.insert(keys::DATA_TYPE.to_owned(), Value::String(data_type.clone()));
    }
    let mut title = desired
        .get(keys::TITLE)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if title.trim().is_empty() && !slug.is_empty() {
        title = slug.clone();
        desired.insert(keys::TITLE.to_owned(), Value::String(slug.clone()));
        notes.push(located(
            &row.sheet,
            row.row,
            None,
            Some(keys::TITLE),
            Note::new(
                Level::Warning,
                "title_from_slug",
                "ไม่มีชื่อชุดข้อมูล จึงใช้ URL เป็นชื่อ เช่นเดียวกับระบบบัญชีข้อมูล",
                "No title, so the URL name is used as the title, as the catalog does.",
            ),
        ));
    }
    let slug_col = if origin == Origin::Nso {
        Some(0)
    } else {
        row.cells.iter().find(|c| c.key == keys::NAME).map(|c| c.col)
    };
    let slug_error = if slug.is_empty() {
        Some(error_note(
            "slug_missing",
            "ไม่มี URL ของชุดข้อมูล (ชื่อชุดข้อมูลสำหรับ URL) จึงนำเข้าแถวนี้ไม่ได้".into(),
            "The dataset's URL name is empty, so this row cannot be imported.".into(),
        ))
    } else if check_slug(&slug).is_err() {
        Some(error_note(
            "slug_invalid",
            format!("URL \"{slug}\" ใช้ไม่ได้: ต้องยาว 2–70 ตัวอักษร ใช้ได้เฉพาะ a-z ตัวเลข - และ _ และห้ามเป็น new, edit, search ระบบบัญชีข้อมูลจะไม่สร้างชุดข้อมูลนี้"),
            format!("The URL name \"{slug}\" is not valid: 2–70 characters of a-z, digits, - and _, not new, edit or search. The catalog would refuse this row."),
        ))
    } else if !seen.insert(slug.clone()) {
        Some(error_note(
            "slug_duplicate",
            format!("URL \"{slug}\" ซ้ำกับแถวก่อนหน้าในไฟล์นี้ จึงไม่นำเข้าแถวนี้"),
            format!("The URL name \"{slug}\" repeats an earlier row of this file; this row is not imported."),
        ))
    } else {
        None
    };
    if let Some(note) = slug_error {
        notes.push(located(&row.sheet, row.row, slug_col, Some(keys::NAME), note));
    }
    let row_error = notes.iter().any(|n| n.note.level == Level::Error);
    let found = existing.get(&slug);
    let mut plan = RowPlan {
        sheet: row.sheet.clone(),
        row: row.row,
        slug: slug.clone(),
        title,
        data_type: row.data_type.clone(),
        outcome: Outcome::Error,
        draft_id: found.map(|e| e.id.clone()),
        changes: Vec::new(),
        resources: Vec::new(),
        notes,
        problems: Vec::new(),
        blocks_publish: false,
    };
    if row_error {
        plan.resources = row
            .resources
            .iter()
            .map(|r| {
                let name = r
                    .cells
                    .iter()
                    .find(|c| c.key == keys::NAME)
                    .map(|c| c.cell.text())
                    .unwrap_or_default();
                resource_plan(r, name, Outcome::Error, None, Vec::new())
            })
            .collect();
        return plan;
    }
    let mut record = found.map(|e| e.record.clone()).unwrap_or_default();
    let changes = diff(&record.metadata, &desired);
    for change in &changes {
        match &change.after {
            Value::Null => record.metadata.remove(&change.field),
            v => record.metadata.insert(change.field.clone(), v.clone()),
        };
    }
    let mut resources_changed = false;
    let mut used: HashSet<usize> = HashSet::new();
    for resource in &row.resources {
        let mut resource_notes = Vec::new();
        let values = convert_cells(
            schema,
            Scope::Resource,
            &resource.cells,
            origin,
            &resource.sheet,
            resource.row,
            &mut resource_notes,
        );
        let name = values
            .get(keys::NAME)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let url = values
            .get(keys::URL)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if origin == Origin::Nso && url.is_empty() {
            resource_notes.push(located(&resource.sheet, resource.row, Some(2), Some(keys::URL), Note::new(
                Level::Warning,
                "resource_url_empty",
                "ไม่มี URL ระบบบัญชีข้อมูลจะข้ามทรัพยากรนี้ Catalog Desk นำเข้าไว้ โปรดใส่ URL หรือแนบไฟล์ก่อนเผยแพร่",
                "No URL: the catalog's importer would skip this resource. Catalog Desk keeps it; add the URL or attach the file before publishing.",
            )));
        }
        plan.notes.extend(resource_notes);
        let matched = found.and_then(|e| {
            let find =
                |key: &str, wanted: &str| {
                    (!wanted.is_empty())
                        .then(|| {
                            e.record.resources.iter().enumerate().position(|(i, r)| {
                                !used.contains(&i) && r.get(key).and_then(Value::as_str) == Some(wanted)
                            })
                        })
                        .flatten()
                };
            find(keys::URL, &url).or_else(|| find(keys::NAME, &name))
        });
        match matched {
            Some(i) => {
                used.insert(i);
                let e = found.expect("matched means found");
                let changes = diff(&record.resources[i], &values);
                let outcome = if changes.is_empty() {
                    Outcome::Unchanged
                } else {
                    Outcome::Updated
                };
                resources_changed |= !changes.is_empty();
                for c in &changes {
                    match &c.after {
                        Value::Null => record.resources[i].remove(&c.field),
                        v => record.resources[i].insert(c.field.clone(), v.clone()),
                    };
                }
                plan.resources.push(resource_plan(
                    resource,
                    name,
                    outcome,
                    Some(e.resource_ids[i].clone()),
                    changes,
                ));
            }
            None => {
                resources_changed = true;
                let changes = diff(&Map::new(), &values);
                record
                    .resources
                    .push(changes.iter().map(|c| (c.field.clone(), c.after.clone())).collect());
                plan.resources
                    .push(resource_plan(resource, name, Outcome::Created, None, changes));
            }
        }
    }
    plan.changes = changes;
    plan.outcome = match (found, plan.changes.is_empty() && !resources_changed) {
        (None, _) => Outcome::Created,
        (Some(_), true) => Outcome::Unchanged,
        (Some(_), false) => Outcome::Updated,
    };
    plan.problems = validate(schema, &record, &[] as &[&str]);
    plan
}

fn resource_plan(
    resource: &SourceResource,
    name: String,
    outcome: Outcome,
    resource_id: Option<String>,
    changes: Vec<FieldChange>,
) -> ResourcePlan {
    ResourcePlan {
        sheet: resource.sheet.clone(),
        row: resource.row,
        name,
        outcome,
        resource_id,
        changes,
    }
}
