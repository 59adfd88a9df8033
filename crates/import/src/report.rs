//! The dry-run report as a file: CSV (UTF-8 with BOM, so Excel shows Thai) or xlsx, one line per row
//! outcome, field change, cell note, validation problem and resource, in Thai and English.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;

use crate::error::ImportError;
use crate::plan::{ImportPlan, Outcome};
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

fn note_line(n: &Located, slug: &str, outcome_text: &str) -> Vec<String> {
    let level = serde_json::to_value(n.note.level)
        .map(|v| value_text(&v))
        .unwrap_or_default();
    vec![
        n.place.sheet.clone(),
        n.place.row.map(|r| r.to_string()).unwrap_or_default(),
        n.place.column.clone().unwrap_or_default(),
        slug.to_owned(),
        outcome_text.to_owned(),
        "note".into(),
        n.place.field.clone().unwrap_or_default(),
        level,
        n.note.code.to_owned(),
        n.note.message.th.clone(),
        n.note.message.en.clone(),
        String::new(),
        String::new(),
    ]
}

/// The report's lines, header first.
pub fn lines(plan: &ImportPlan) -> Vec<Vec<String>> {
    let mut out = vec![HEADER.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>()];
    for n in &plan.notes {
        out.push(note_line(n, "", ""));
    }
    for row in &plan.rows {
        let o = outcome(row.outcome);
        let line =
            |kind: &str, field: &str, level: &str, code: &str, th: &str, en: &str, before: String, after: String| {
                vec![
                    row.sheet.clone(),
                    row.row.to_string(),
                    String::new(),
                    row.slug.clone(),
                    o.to_owned(),
                    kind.to_owned(),
                    field.to_owned(),
                    level.to_owned(),
                    code.to_owned(),
                    th.to_owned(),
                    en.to_owned(),
                    before,
                    after,
                ]
            };
        out.push(line(
            "row",
            "",
            "",
            "",
            &row.title,
            &row.title,
            String::new(),
            String::new(),
        ));
        for c in &row.changes {
            out.push(line(
                "change",
                &c.field,
                "",
                "",
                "",
                "",
                value_text(&c.before),
                value_text(&c.after),
            ));
        }
        for n in &row.notes {
            out.push(note_line(n, &row.slug, o));
        }
        for p in &row.problems {
            let level = serde_json::to_value(p.severity)
                .map(|v| value_text(&v))
                .unwrap_or_default();
            let code = serde_json::to_value(p.code).map(|v| value_text(&v)).unwrap_or_default();
            out.push(line(
                "problem",
                &p.field,
                &level,
                &code,
                &p.message.th,
                &p.message.en,
                String::new(),
                String::new(),
            ));
        }
        for r in &row.resources {
            out.push(vec![
                r.sheet.clone(),
                r.row.to_string(),
                String::new(),
                row.slug.clone(),
                outcome(r.outcome).to_owned(),
                "resource".into(),
                String::new(),
                String::new(),
                String::new(),
                r.name.clone(),
                r.name.clone(),
                String::new(),
                String::new(),
            ]);
            for c in &r.changes {
                out.push(vec![
                    r.sheet.clone(),
                    r.row.to_string(),
                    String::new(),
                    row.slug.clone(),
                    outcome(r.outcome).to_owned(),
                    "resource_change".into(),
                    c.field.clone(),
                    String::new(),
                    String::new(),
                    r.name.clone(),
                    r.name.clone(),
                    value_text(&c.before),
                    value_text(&c.after),
                ]);
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
    std::fs::write(path, bytes).map_err(|e| failed(&e))
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
