//! Catalog Desk's own bulk template, generated from the schema: one sheet per data type (and one for
//! drafts without a type) with the fields that type shows, row 1 the Thai labels with the help text as
//! a cell note, row 2 the field keys (what the importer reads), drop-down lists for every choice field
//! (kept on a hidden sheet), and a resource sheet linked by the dataset's URL name. Filled with drafts
//! by the export, empty otherwise.

use std::collections::HashMap;
use std::path::Path;

use catalog_schema::{keys, DraftRecord, Field, Schema, Scope, ValueKind};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, Formula, Note, Workbook, Worksheet, XlsxError,
};
use serde_json::Value;

use crate::cells::cell_text;
use crate::error::ImportError;
use crate::layout;

/// Rows that get drop-down lists (beyond the exported drafts).
const VALIDATED_ROWS: u32 = 5_000;
/// Excel's longest sheet name.
const MAX_SHEET_NAME: usize = 31;

/// A sheet name Excel accepts.
pub fn sheet_name(name: &str) -> String {
    name.chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(MAX_SHEET_NAME)
        .collect()
}

pub(crate) fn xlsx_error(path: &Path) -> impl Fn(XlsxError) -> ImportError + '_ {
    move |e| match e {
        XlsxError::IoError(io) => crate::error::unwritable(path, &io),
        other => ImportError::Write {
            path: path.to_owned(),
            reason: other.to_string(),
        },
    }
}

/// The dataset columns of a sheet: the slug first, then the title, then the other fields in schema
/// order; the data type is the sheet itself.
fn dataset_columns<'a>(schema: &'a Schema, data_type: Option<&str>) -> Vec<&'a Field> {
    let every: Vec<&str> = schema.data_types().iter().map(|t| t.value.as_str()).collect();
    let shown = |f: &Field| match data_type {
        Some(dt) => f.shown_for(dt),
        None => every.iter().all(|t| f.shown_for(t)),
    };
    let mut columns: Vec<&Field> = schema
        .dataset_fields()
        .iter()
        .filter(|f| f.key != keys::DATA_TYPE && shown(f))
        .collect();
    columns.sort_by_key(|f| match f.key.as_str() {
        keys::NAME => 0,
        keys::TITLE => 1,
        _ => 2,
    });
    columns
}

struct Styles {
    label: Format,
    key: Format,
    text: Format,
}

fn styles() -> Styles {
    Styles {
        label: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_background_color(Color::RGB(0xD9E1F2)),
        key: Format::new()
            .set_italic()
            .set_font_color(Color::RGB(0x666666))
            .set_background_color(Color::RGB(0xEDEDED)),
        text: Format::new().set_num_format("@"),
    }
}

/// The hidden sheet of drop-down lists: one column per choice field, its Thai labels down the column.
/// Returns the list formula of each (is a resource field, key).
fn choice_lists(
    book: &mut Workbook,
    schema: &Schema,
    path: &Path,
) -> Result<HashMap<(bool, String), Formula>, ImportError> {
    let name = sheet_name(&layout::ours().choices_sheet);
    let sheet = book.add_worksheet();
    sheet.set_name(&name).map_err(xlsx_error(path))?;
    let mut formulas = HashMap::new();
    let mut col: u16 = 0;
    for scope in [Scope::Dataset, Scope::Resource] {
        for field in schema.fields(scope).iter().filter(|f| !f.choices.is_empty()) {
            sheet.write_string(0, col, &field.key).map_err(xlsx_error(path))?;
            for (i, choice) in field.choices.iter().enumerate() {
                sheet
                    .write_string(i as u32 + 1, col, &choice.label.th)
                    .map_err(xlsx_error(path))?;
            }
            let letter = crate::workbook::column_letter(u32::from(col));
            let formula = format!("='{name}'!${letter}$2:${letter}${}", field.choices.len() + 1);
            formulas.insert((scope == Scope::Resource, field.key.clone()), Formula::new(formula));
            col += 1;
        }
    }
    sheet.set_hidden(true);
    Ok(formulas)
}

/// Header rows (labels with help notes, keys), column widths and drop-downs for `columns`.
fn header(
    sheet: &mut Worksheet,
    columns: &[(String, Option<&Field>)],
    scope: Scope,
    lists: &HashMap<(bool, String), Formula>,
    styles: &Styles,
    path: &Path,
) -> Result<(), ImportError> {
    let layout = layout::ours();
    let (label_row, key_row, first) = (layout.label_row - 1, layout.key_row - 1, layout.first_data_row - 1);
    for (col, (key, field)) in columns.iter().enumerate() {
        let col = col as u16;
        let label = field.map_or_else(|| layout.join_label.th.clone(), |f| f.label.th.clone());
        sheet
            .write_string_with_format(label_row, col, &label, &styles.label)
            .map_err(xlsx_error(path))?;
        sheet
            .write_string_with_format(key_row, col, key, &styles.key)
            .map_err(xlsx_error(path))?;
        sheet.set_column_width(col, 24).map_err(xlsx_error(path))?;
        let help = match field {
            Some(f) => f.help.as_ref().map(|h| format!("{}\n\n{}", h.th, h.en)),
            None => Some(format!("{}\n\n{}", layout.join_label.th, layout.join_label.en)),
        };
        if let Some(help) = help {
            let note = Note::new(help)
                .set_author("Catalog Desk")
                .set_width(320)
                .set_height(160);
            sheet.insert_note(label_row, col, &note).map_err(xlsx_error(path))?;
        }
        if let Some(formula) = field.and_then(|f| lists.get(&(scope == Scope::Resource, f.key.clone()))) {
            let multiple = field.is_some_and(|f| f.value_kind == ValueKind::List);
            let validation = DataValidation::new()
                .allow_list_formula(formula.clone())
                .ignore_blank(true)
                .set_error_style(if multiple {
                    DataValidationErrorStyle::Information
                } else {
                    DataValidationErrorStyle::Warning
                });
            sheet
                .add_data_validation(first, col, first + VALIDATED_ROWS, col, &validation)
                .map_err(xlsx_error(path))?;
        }
    }
    sheet.set_freeze_panes(first, 1).map_err(xlsx_error(path))?;
    Ok(())
}

/// Writes the template with `drafts` in it; returns how many resource rows were written.
pub(crate) fn write(schema: &Schema, drafts: &[&DraftRecord], path: &Path) -> Result<usize, ImportError> {
    let layout = layout::ours();
    let styles = styles();
    let mut book = Workbook::new();
    let mut sheets: Vec<(Option<String>, String)> = schema
        .data_types()
        .iter()
        .map(|t| (Some(t.value.clone()), sheet_name(&t.label.th)))
        .collect();
    sheets.push((None, sheet_name(&layout.untyped_sheet)));
    let mut data_sheets = Vec::new();
    for (data_type, name) in &sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(name).map_err(xlsx_error(path))?;
        data_sheets.push((data_type.clone(), name.clone()));
    }
    let resource_name = sheet_name(&layout.resource_sheet);
    book.add_worksheet()
        .set_name(&resource_name)
        .map_err(xlsx_error(path))?;
    let lists = choice_lists(&mut book, schema, path)?;
    let first = layout.first_data_row - 1;
    for (data_type, name) in &data_sheets {
        let fields = dataset_columns(schema, data_type.as_deref());
        let columns: Vec<(String, Option<&Field>)> = fields.iter().map(|f| (f.key.clone(), Some(*f))).collect();
        let sheet = book.worksheet_from_name(name).map_err(xlsx_error(path))?;
        header(sheet, &columns, Scope::Dataset, &lists, &styles, path)?;
        let known = |dt: &str| schema.data_types().iter().any(|t| t.value == dt);
        let mut row = first;
        for record in drafts {
            let draft_type = record
                .metadata
                .get(keys::DATA_TYPE)
                .and_then(Value::as_str)
                .filter(|dt| known(dt));
            if draft_type != data_type.as_deref() {
                continue;
            }
            for (col, field) in fields.iter().enumerate() {
                if let Some(value) = record.metadata.get(&field.key) {
                    let text = cell_text(Some(field), value);
                    if !text.is_empty() {
                        sheet
                            .write_string_with_format(row, col as u16, &text, &styles.text)
                            .map_err(xlsx_error(path))?;
                    }
                }
            }
            row += 1;
        }
    }
    let resource_fields: Vec<&Field> = schema.resource_fields().iter().collect();
    let mut columns: Vec<(String, Option<&Field>)> = vec![(layout.join_key.clone(), None)];
    columns.extend(resource_fields.iter().map(|f| (f.key.clone(), Some(*f))));
    let sheet = book.worksheet_from_name(&resource_name).map_err(xlsx_error(path))?;
    header(sheet, &columns, Scope::Resource, &lists, &styles, path)?;
    let mut row = first;
    for record in drafts {
        let slug = record
            .metadata
            .get(keys::NAME)
            .and_then(Value::as_str)
            .unwrap_or_default();
        for resource in &record.resources {
            sheet
                .write_string_with_format(row, 0, slug, &styles.text)
                .map_err(xlsx_error(path))?;
            for (col, field) in resource_fields.iter().enumerate() {
                if let Some(value) = resource.get(&field.key) {
                    let text = cell_text(Some(field), value);
                    if !text.is_empty() {
                        sheet
                            .write_string_with_format(row, col as u16 + 1, &text, &styles.text)
                            .map_err(xlsx_error(path))?;
                    }
                }
            }
            row += 1;
        }
    }
    book.save(path).map_err(xlsx_error(path))?;
    Ok((row - first) as usize)
}

/// Writes an empty template for the schema.
pub fn write_empty(schema: &Schema, path: &Path) -> Result<(), ImportError> {
    write(schema, &[], path).map(|_| ())
}
