//! The dry-run report as a file: CSV (UTF-8 with BOM, so Excel shows Thai) or xlsx, one line per row
//! outcome, field change, cell note, validation problem and resource, in Thai and English.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;

use crate::error::ImportError;
use crate::plan::{FieldChange, ImportPlan, Outcome};
use crate::source::Located;
use crate::template::xlsx_error;

const HEADER: [&str; 13] = [
    "sheet",
    "row",
    "column",
    "slug",
    "outcome",
    "kind",
    "field",
    "level",
    "code",
    "message_th",
    "message_en",
    "before",
    "after",
];
/// UTF-8 byte-order mark: Excel opens a CSV with it as UTF-8.
const BOM: &str = "\u{feff}";

fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Created => "created",
        Outcome::Updated => "updated",
        Outcome::Unchanged => "unchanged",
        Outcome::Error => "error",
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One report line, its cells in [`HEADER`]'s order; cells that do not apply stay empty.
#[derive(Default)]
struct Line {
    sheet: String,
    row: String,
    column: String,
    slug: String,
    outcome: String,
    kind: &'static str,
    field: String,
    level: String,
    code: String,
    message_th: String,
    message_en: String,
    before: String,
    after: String,
}

impl Line {
    fn cells(self) -> Vec<String> {
        vec![
            self.sheet,
            self.row,
            self.column,
            self.slug,
            self.outcome,
            self.kind.to_owned(),
            self.field,
            self.level,
            self.code,
            self.message_th,
            self.message_en,
            self.before,
            self.after,
        ]
    }
}

/// A serde enum's wire name (`"error"`, `"missing_required"`).
fn wire_name(value: impl serde::Serialize) -> String {
    serde_json::to_value(value).map(|v| value_text(&v)).unwrap_or_default()
}

fn note_line(n: &Located, slug: &str, outcome_text: &str) -> Vec<String> {
    Line {
        sheet: n.place.sheet.clone(),
        row: n.place.row.map(|r| r.to_string()).unwrap_or_default(),
        column: n.place.column.clone().unwrap_or_default(),
        slug: slug.to_owned(),
        outcome: outcome_text.to_owned(),
        kind: "note",
        field: n.place.field.clone().unwrap_or_default(),
        level: wire_name(n.note.level),
        code: n.note.code.to_owned(),
        message_th: n.note.message.th.clone(),
        message_en: n.note.message.en.clone(),
        ..Line::default()
    }
    .cells()
}

/// A field's value before and after, on the line of its dataset or resource.
fn change_line(change: &FieldChange, of: Line) -> Vec<String> {
    Line {
        field: change.field.clone(),
        before: value_text(&change.before),
        after: value_text(&change.after),
        ..of
    }
    .cells()
}

/// The report's lines, header first.
pub fn lines(plan: &ImportPlan) -> Vec<Vec<String>> {
    let mut out = vec![HEADER.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>()];
    for n in &plan.notes {
        out.push(note_line(n, "", ""));
    }
    for row in &plan.rows {
        let o = outcome(row.outcome);
        let dataset_line = |kind| Line {
            sheet: row.sheet.clone(),
            row: row.row.to_string(),
            slug: row.slug.clone(),
            outcome: o.to_owned(),
            kind,
            ..Line::default()
        };
        out.push(
            Line {
                message_th: row.title.clone(),
                message_en: row.title.clone(),
                ..dataset_line("row")
            }
            .cells(),
        );
        for c in &row.changes {
            out.push(change_line(c, dataset_line("change")));
        }
        for n in &row.notes {
            out.push(note_line(n, &row.slug, o));
        }
        for p in &row.problems {
            out.push(
                Line {
                    field: p.field.clone(),
                    level: wire_name(p.severity),
                    code: wire_name(p.code),
                    message_th: p.message.th.clone(),
                    message_en: p.message.en.clone(),
                    ..dataset_line("problem")
                }
                .cells(),
            );
        }
        for r in &row.resources {
            let resource_line = |kind| Line {
                sheet: r.sheet.clone(),
                row: r.row.to_string(),
                slug: row.slug.clone(),
                outcome: outcome(r.outcome).to_owned(),
                kind,
                message_th: r.name.clone(),
                message_en: r.name.clone(),
                ..Line::default()
            };
            out.push(resource_line("resource").cells());
            for c in &r.changes {
                out.push(change_line(c, resource_line("resource_change")));
            }
        }
    }
    for n in &plan.orphans {
        out.push(note_line(n, "", "error"));
    }
    out
}

/// Saves the report as CSV or xlsx, chosen by the file's extension (CSV unless it ends in `.xlsx`).
pub fn save(plan: &ImportPlan, path: &Path) -> Result<(), ImportError> {
    let is_xlsx = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if is_xlsx {
        save_xlsx(plan, path)
    } else {
        save_csv(plan, path)
    }
}

fn save_csv(plan: &ImportPlan, path: &Path) -> Result<(), ImportError> {
    let failed = |e: &dyn std::fmt::Display| ImportError::Write {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let mut bytes = BOM.as_bytes().to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut bytes);
        for line in lines(plan) {
            writer.write_record(&line).map_err(|e| failed(&e))?;
        }
        writer.flush().map_err(|e| failed(&e))?;
    }
    std::fs::write(path, bytes).map_err(|e| crate::error::unwritable(path, &e))
}

fn save_xlsx(plan: &ImportPlan, path: &Path) -> Result<(), ImportError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    for (r, line) in lines(plan).iter().enumerate() {
        for (c, text) in line.iter().enumerate() {
            if r == 0 {
                sheet
                    .write_string_with_format(0, c as u16, text, &bold)
                    .map_err(xlsx_error(path))?;
            } else if !text.is_empty() {
                sheet.write_string(r as u32, c as u16, text).map_err(xlsx_error(path))?;
            }
        }
    }
    sheet
        .autofilter(0, 0, 0, (HEADER.len() - 1) as u16)
        .map_err(xlsx_error(path))?;
    book.save(path).map_err(xlsx_error(path))
}
