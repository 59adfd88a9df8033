//! Exporting the drafts in the store: into Catalog Desk's own template (lossless; re-importing it
//! changes nothing) or into the NSO template of a chosen thai_gdc version, written the way the ADC's
//! importer reads it (text cells, Buddhist-era dates, the free text of an "other" choice in the main
//! column since the template has no companion columns). Drafts without a data type, and cells with several
//! choices (which the ADC would read as "อื่นๆ"), are listed in the result.

use std::path::Path;

use catalog_core::{metadata::record_of, Store};
use catalog_schema::{keys, DraftRecord, Field, Schema, Scope};
use rust_xlsxwriter::{Format, Workbook};
use serde::Serialize;
use serde_json::Value;

use crate::cells::cell_text;
use crate::error::ImportError;
use crate::layout::{self, IGNORED, JOIN};
use crate::template::{self, xlsx_error};

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exported {
    pub file: String,
    pub drafts: usize,
    pub resources: usize,
    /// Slugs of drafts left out (the NSO template has no sheet for a draft without a data type).
    pub skipped: Vec<String>,
    /// Cells holding several choices, which the ADC's importer reads as "อื่นๆ" plus the whole text
    /// (NSO export only).
    pub multi_value_cells: Vec<ExportedCell>,
}

/// A cell of an export, by draft and field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedCell {
    pub slug: String,
    pub field: String,
}

fn drafts(store: &Store) -> Result<Vec<DraftRecord>, ImportError> {
    let mut summaries = store.list_drafts("")?;
    summaries.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.slug.cmp(&b.slug)));
    summaries
        .iter()
        .map(|s| {
            let draft = store.draft(&s.id)?;
            let resources = store.resources(&s.id)?;
            Ok(record_of(&draft, &resources))
        })
        .collect()
}

fn data_type(record: &DraftRecord) -> Option<&str> {
    record.metadata.get(keys::DATA_TYPE).and_then(Value::as_str)
}

/// Every draft into Catalog Desk's own template.
pub fn to_ours(store: &Store, schema: &Schema, path: &Path) -> Result<Exported, ImportError> {
    let records = drafts(store)?;
    let refs: Vec<&DraftRecord> = records.iter().collect();
    let resources = template::write(schema, &refs, path)?;
    Ok(Exported {
        file: path.display().to_string(),
        drafts: records.len(),
        resources,
        skipped: Vec::new(),
        multi_value_cells: Vec::new(),
    })
}

/// A value as the NSO template wants it: a chosen "other" is replaced by its companion's text.
fn nso_text(field: Option<&Field>, values: &serde_json::Map<String, Value>, key: &str) -> String {
    let Some(value) = values.get(key) else {
        return String::new();
    };
    let companion = field
        .and_then(|f| f.other_field.as_ref())
        .and_then(|c| values.get(c))
        .and_then(Value::as_str)
        .filter(|t| !t.trim().is_empty());
    match (field, companion) {
        (Some(f), Some(other_text)) => {
            let replaced = |v: &Value| match v.as_str() {
                Some(s) if f.other_values.iter().any(|o| o == s) => Value::String(other_text.to_owned()),
                _ => v.clone(),
            };
            let value = match value {
                Value::Array(items) => Value::Array(items.iter().map(replaced).collect()),
                other => replaced(other),
            };
            cell_text(Some(f), &value)
        }
        _ => cell_text(field, value),
    }
}

/// Every draft with a data type into the NSO template of `version` (the newest when `None`).
pub fn to_nso(store: &Store, schema: &Schema, version: Option<&str>, path: &Path) -> Result<Exported, ImportError> {
    let layout = layout::nso();
    let version = version.unwrap_or(&layout.default_version);
    if !layout.versions.iter().any(|v| v == version) {
        return Err(ImportError::UnknownVersion(version.to_owned()));
    }
    let records = drafts(store)?;
    let text_cell = Format::new().set_num_format("@");
    let bold = Format::new().set_bold().set_text_wrap();
    let data_type_field = schema.field(Scope::Dataset, keys::DATA_TYPE);
    let mut book = Workbook::new();
    let mut exported = Exported {
        file: path.display().to_string(),
        drafts: 0,
        resources: 0,
        skipped: Vec::new(),
        multi_value_cells: Vec::new(),
    };
    let header_row = layout.header_row - 1;
    let first = layout.first_data_row - 1;
    let write_header =
        |sheet: &mut rust_xlsxwriter::Worksheet, columns: &[String], scope: Scope| -> Result<(), ImportError> {
            for (i, title) in layout.title_rows.iter().enumerate() {
                sheet.write_string(i as u32, 0, title).map_err(xlsx_error(path))?;
            }
            for (col, key) in columns.iter().enumerate() {
                let (label, key_text) = match key.as_str() {
                    IGNORED => (
                        data_type_field.map(|f| f.label.th.clone()).unwrap_or_default(),
                        keys::DATA_TYPE.to_owned(),
                    ),
                    JOIN => (
                        schema
                            .field(Scope::Dataset, keys::NAME)
                            .map(|f| f.label.th.clone())
                            .unwrap_or_default(),
                        keys::NAME.to_owned(),
                    ),
                    k => (
                        schema.field(scope, k).map(|f| f.label.th.clone()).unwrap_or_default(),
                        k.to_owned(),
                    ),
                };
                let col = col as u16;
                sheet
                    .write_string_with_format(header_row, col, &label, &bold)
                    .map_err(xlsx_error(path))?;
                sheet
                    .write_string(header_row + 1, col, &key_text)
                    .map_err(xlsx_error(path))?;
                sheet.set_column_width(col, 24).map_err(xlsx_error(path))?;
            }
            Ok(())
        };
    for spec in &layout.dataset_sheets {
        let columns = &spec.columns[version];
        let sheet = book.add_worksheet();
        sheet.set_name(&spec.sheet).map_err(xlsx_error(path))?;
        write_header(sheet, columns, Scope::Dataset)?;
        let of_type = records.iter().filter(|r| data_type(r) == Some(spec.data_type.as_str()));
        for (i, record) in of_type.enumerate() {
            let row = first + i as u32;
            for (col, key) in columns.iter().enumerate() {
                let field = schema.field(Scope::Dataset, key);
                let text = if key == IGNORED {
                    spec.data_type.clone()
                } else {
                    nso_text(field, &record.metadata, key)
                };
                let several = record
                    .metadata
                    .get(key)
                    .and_then(Value::as_array)
                    .is_some_and(|v| v.len() > 1);
                if several && field.is_some_and(|f| !f.choices.is_empty()) {
                    exported.multi_value_cells.push(ExportedCell {
                        slug: record
                            .metadata
                            .get(keys::NAME)
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                        field: key.clone(),
                    });
                }
                if !text.is_empty() {
                    sheet
                        .write_string_with_format(row, col as u16, &text, &text_cell)
                        .map_err(xlsx_error(path))?;
                }
            }
            exported.drafts += 1;
        }
    }
    for spec in &layout.dataset_sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(&spec.resource_sheet).map_err(xlsx_error(path))?;
        write_header(sheet, &spec.resource_columns, Scope::Resource)?;
        let mut row = first;
        for record in records.iter().filter(|r| data_type(r) == Some(spec.data_type.as_str())) {
            let slug = record
                .metadata
                .get(keys::NAME)
                .and_then(Value::as_str)
                .unwrap_or_default();
            for resource in &record.resources {
                for (col, key) in spec.resource_columns.iter().enumerate() {
                    let text = if key == JOIN {
                        slug.to_owned()
                    } else {
                        nso_text(schema.field(Scope::Resource, key), resource, key)
                    };
                    if !text.is_empty() {
                        sheet
                            .write_string_with_format(row, col as u16, &text, &text_cell)
                            .map_err(xlsx_error(path))?;
                    }
                }
                row += 1;
                exported.resources += 1;
            }
        }
    }
    let known: Vec<&str> = layout.dataset_sheets.iter().map(|s| s.data_type.as_str()).collect();
    exported.skipped = records
        .iter()
        .filter(|r| {
            !r.metadata
                .get(keys::DATA_TYPE)
                .and_then(Value::as_str)
                .is_some_and(|dt| known.contains(&dt))
        })
        .map(|r| {
            r.metadata
                .get(keys::NAME)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    book.save(path).map_err(xlsx_error(path))?;
    Ok(exported)
}
