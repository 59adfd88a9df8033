//! Shared test helpers: the NSO template samples (found by `catalog-testkit`), NSO-shaped workbooks
//! written here, a store in a temporary folder, and lookups in a plan.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use catalog_core::Store;
use catalog_import::layout::{self, IGNORED};
use catalog_import::{ImportPlan, RowPlan};
use rust_xlsxwriter::Workbook;

use catalog_testkit::fixture;

pub fn sample() -> PathBuf {
    fixture("nso-template/sample-nso-template.xlsx")
}

pub fn sample_v210() -> PathBuf {
    fixture("nso-template/sample-nso-template-v2.1.0.xlsx")
}

pub fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("data")).unwrap();
    (dir, store)
}

pub fn row<'a>(plan: &'a ImportPlan, slug: &str) -> &'a RowPlan {
    plan.rows
        .iter()
        .find(|r| r.slug == slug)
        .unwrap_or_else(|| panic!("no row {slug} in the plan"))
}

pub fn note_codes(row: &RowPlan) -> Vec<&'static str> {
    row.notes.iter().map(|n| n.note.code).collect()
}

/// A valid Temp2_Meta_Record row of `version` for `slug`, with some cells replaced.
pub fn record_row(version: &str, slug: &str, replace: &[(&str, &str)]) -> Vec<String> {
    let spec = &layout::nso().dataset_sheets[0];
    let base = [
        ("title", format!("ชุดข้อมูล {slug}")),
        ("maintainer", "กลุ่มงานสถิติ".into()),
        ("maintainer_email", "stat@example.go.th".into()),
        ("tag_string", "สถิติ, ทดสอบ".into()),
        ("notes", "คำอธิบาย".into()),
        ("objective", "พันธกิจหน่วยงาน".into()),
        ("update_frequency_unit", "ปี".into()),
        ("update_frequency_interval", "1".into()),
        ("geo_coverage", "จังหวัด".into()),
        ("data_source", "สำนักงานสถิติ".into()),
        ("data_format", "CSV".into()),
        ("data_category", "ข้อมูลสาธารณะ".into()),
        ("license_id", "Open Data Common".into()),
        ("last_updated_date", "2567-03-31".into()),
    ];
    spec.columns[version]
        .iter()
        .enumerate()
        .map(|(i, key)| {
            if i == 0 {
                return slug.to_owned();
            }
            if key == IGNORED {
                return String::new();
            }
            if let Some((_, v)) = replace.iter().find(|(k, _)| k == key) {
                return (*v).to_owned();
            }
            base.iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        })
        .collect()
}

/// An NSO-shaped workbook: for each sheet, header and key rows of `width` columns, then the data rows.
pub fn nso_book(path: &Path, sheets: &[(&str, usize, Vec<Vec<String>>)], edit: impl Fn(&mut Workbook)) -> PathBuf {
    let mut book = Workbook::new();
    for (name, width, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap();
        sheet.write_string(0, 0, "title").unwrap();
        for col in 0..*width {
            sheet.write_string(3, col as u16, format!("h{col}")).unwrap();
            sheet
                .write_string(4, col as u16, if col == 0 { "name" } else { "k" })
                .unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                if !text.is_empty() {
                    sheet.write_string(5 + r as u32, c as u16, text).unwrap();
                }
            }
        }
    }
    edit(&mut book);
    book.save(path).unwrap();
    path.to_owned()
}
