//! Bad input never crashes the import: a wrong or mixed template version, missing sheets, extra columns,
//! merged cells, formulas, dates typed as text, invalid or repeated URL names, over-long sheets and files
//! that are not workbooks are each reported on the file, sheet, row or cell they concern.

mod common;

use std::path::PathBuf;

use catalog_error::ToUserMessage;
use catalog_import::convert::Level;
use catalog_import::layout;
use catalog_import::workbook::Workbook as Book;
use catalog_import::{plan_file, ImportError, Outcome, Template};
use catalog_schema::Schema;
use catalog_testkit::corpus_file;
use common::*;
use rust_xlsxwriter::Formula;

const RECORD: &str = "Temp2_Meta_Record";

#[test]
fn an_extra_column_fails_the_rows_of_that_sheet_only_and_mixed_versions_are_flagged() {
    let (dir, store) = temp_store();
    let mut wide = record_row("2.2.4", "wide-a", &[]);
    wide.push("หมายเหตุหลงมา".into());
    let stat_width = layout::nso().dataset_sheets[1].columns["2.1.0"].len();
    let path = nso_book(
        &dir.path().join("wide.xlsx"),
        &[(RECORD, 26, vec![wide]), ("Temp2_Meta_Stat", stat_width, vec![])],
        |_| {},
    );
    let plan = plan_file(&path, Schema::built_in(), &store).unwrap();
    let wide_row = row(&plan, "wide-a");
    assert_eq!(wide_row.outcome, Outcome::Error);
    let note = wide_row.notes.iter().find(|n| n.note.code == "sheet_width").unwrap();
    assert!(note.note.message.th.contains("27") && note.note.message.en.contains("26 (2.2.4)"));

    let v210 = record_row("2.1.0", "old-layout", &[]);
    let path = nso_book(
        &dir.path().join("mixed.xlsx"),
        &[(RECORD, 25, vec![v210]), ("Temp2_Meta_Stat", 30, vec![])],
        |_| {},
    );
    let plan = plan_file(&path, Schema::built_in(), &store).unwrap();
    assert_eq!(
        plan.template,
        Template::Nso {
            version: Some("2.1.0".into())
        }
    );
    assert_eq!(row(&plan, "old-layout").outcome, Outcome::Created);
    assert!(plan.notes.iter().any(|n| n.note.code == "mixed_versions"));
}

#[test]
fn a_header_naming_another_field_is_reported() {
    let (dir, store) = temp_store();
    let schema = Schema::built_in();
    let label = |key: &str| {
        schema
            .field(catalog_schema::Scope::Dataset, key)
            .unwrap()
            .label
            .th
            .clone()
    };
    let path = nso_book(
        &dir.path().join("moved.xlsx"),
        &[(RECORD, 26, vec![record_row("2.2.4", "moved", &[])])],
        |book| {
            let sheet = book.worksheet_from_name(RECORD).unwrap();
            sheet.write_string(3, 4, label("maintainer_email")).unwrap();
            sheet
                .write_string(3, 5, format!("{} (ตัวอย่าง)", label("maintainer_email")))
                .unwrap();
        },
    );
    let plan = plan_file(&path, schema, &store).unwrap();
    let moved: Vec<_> = plan.notes.iter().filter(|n| n.note.code == "header_mismatch").collect();
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert_eq!(
        (moved[0].place.column.as_deref(), moved[0].place.row),
        (Some("E"), Some(4))
    );
}

#[test]
fn missing_sheets_are_reported_and_the_sheets_present_imported() {
    let (dir, store) = temp_store();
    let path = nso_book(
        &dir.path().join("one.xlsx"),
        &[(RECORD, 26, vec![record_row("2.2.4", "only-one", &[])])],
        |_| {},
    );
    let plan = plan_file(&path, Schema::built_in(), &store).unwrap();
    assert_eq!(plan.notes.iter().filter(|n| n.note.code == "sheet_missing").count(), 4);
    assert_eq!(row(&plan, "only-one").outcome, Outcome::Created);
}

#[test]
fn merged_cells_formulas_and_dates_typed_as_text_are_reported_per_cell() {
    let (dir, store) = temp_store();
    let rows = vec![
        record_row(
            "2.2.4",
            "dates-a",
            &[("last_updated_date", "15/01/2566"), ("created_date", "เมื่อวาน")],
        ),
        record_row(
            "2.2.4",
            "dates-b",
            &[("last_updated_date", "31 มี.ค. 2567"), ("created_date", "2024-01-05")],
        ),
        record_row("2.2.4", "merged-c", &[]),
    ];
    let path = nso_book(&dir.path().join("cells.xlsx"), &[(RECORD, 26, rows)], |book| {
        let sheet = book.worksheet_from_name(RECORD).unwrap();
        sheet
            .merge_range(6, 4, 7, 4, "กลุ่มงานรวม", &rust_xlsxwriter::Format::new())
            .unwrap();
        sheet
            .write_formula(5, 10, Formula::new("=1+0").set_result("1"))
            .unwrap();
    });
    let plan = plan_file(&path, Schema::built_in(), &store).unwrap();
    let a = row(&plan, "dates-a");
    let codes = note_codes(a);
    assert!(codes.contains(&"date_day_first") && codes.contains(&"date_unreadable") && codes.contains(&"formula"));
    let unreadable = a.notes.iter().find(|n| n.note.code == "date_unreadable").unwrap();
    assert_eq!(
        (unreadable.place.column.as_deref(), unreadable.note.level),
        (Some("S"), Level::Warning)
    );
    assert!(a
        .changes
        .iter()
        .any(|c| c.field == "last_updated_date" && c.after == "2023-01-15"));
    assert!(
        a.problems.iter().any(|p| p.field == "created_date"),
        "the kept text fails validation"
    );
    let b = row(&plan, "dates-b");
    assert!(b
        .changes
        .iter()
        .any(|c| c.field == "last_updated_date" && c.after == "2024-03-31"));
    assert!(b
        .changes
        .iter()
        .any(|c| c.field == "created_date" && c.after == "2024-01-05"));
    assert!(note_codes(b).contains(&"date_common_era_text"));
    let merged = row(&plan, "merged-c");
    let note = merged.notes.iter().find(|n| n.note.code == "merged_cell").unwrap();
    assert_eq!((note.place.row, note.place.column.as_deref()), (Some(8), Some("E")));
}

#[test]
fn invalid_and_repeated_url_names_fail_their_row() {
    let (dir, store) = temp_store();
    let rows = vec![
        record_row("2.2.4", "ชุดข้อมูลไทย", &[]),
        record_row("2.2.4", "Same Name", &[]),
        record_row("2.2.4", "same-name", &[]),
        record_row("2.2.4", "", &[("title", "ไม่มี URL")]),
    ];
    let path = nso_book(&dir.path().join("slugs.xlsx"), &[(RECORD, 26, rows)], |_| {});
    let plan = plan_file(&path, Schema::built_in(), &store).unwrap();
    let outcomes: Vec<(&str, Outcome, Vec<&str>)> = plan
        .rows
        .iter()
        .map(|r| (r.slug.as_str(), r.outcome, note_codes(r)))
        .collect();
    assert_eq!(outcomes[0].1, Outcome::Error);
    assert!(outcomes[0].2.contains(&"slug_invalid"));
    assert_eq!((outcomes[1].0, outcomes[1].1), ("same-name", Outcome::Created));
    assert!(outcomes[2].2.contains(&"slug_duplicate") && outcomes[2].1 == Outcome::Error);
    assert!(outcomes[3].2.contains(&"slug_missing"));
    assert_eq!(plan.summary.errors, 3);
    assert!(plan.has_errors());
}

#[test]
fn a_sheet_longer_than_the_limit_is_cut_and_reported_not_a_crash() {
    let (dir, store) = temp_store();
    let limit = catalog_import::source::MAX_ROWS_PER_SHEET;
    let path = nso_book(
        &dir.path().join("long.xlsx"),
        &[(RECORD, 26, vec![record_row("2.2.4", "first-row", &[])])],
        |book| {
            let sheet = book.worksheet_from_name(RECORD).unwrap();
            sheet.write_string(5 + limit + 10, 0, "far-below").unwrap();
        },
    );
    let plan = plan_file(&path, Schema::built_in(), &store).unwrap();
    assert_eq!(plan.summary.rows, 1);
    let note = plan.notes.iter().find(|n| n.note.code == "too_many_rows").unwrap();
    assert_eq!(note.place.row, Some(limit + 6));
}

#[test]
fn files_that_are_no_template_or_no_workbook_are_refused_with_a_message() {
    let (dir, store) = temp_store();
    let schema = Schema::built_in();
    let renamed = dir.path().join("old.xlsx");
    std::fs::copy(corpus_file("dmh_suicide_2553.xls"), &renamed).unwrap();
    assert!(
        Book::read(&renamed).unwrap().legacy_xls,
        "an .xls renamed .xlsx still opens"
    );
    let err = plan_file(&renamed, schema, &store).unwrap_err();
    assert!(matches!(err, ImportError::UnknownTemplate { .. }));
    assert_eq!(err.to_user_message().code, "import.unknown_template");

    let text = dir.path().join("notes.xlsx");
    std::fs::write(&text, "ไม่ใช่ไฟล์ Excel").unwrap();
    assert_eq!(
        plan_file(&text, schema, &store).unwrap_err().to_user_message().code,
        "import.not_a_workbook"
    );
    let broken = dir.path().join("broken.xlsx");
    std::fs::write(&broken, b"PK\x03\x04 truncated").unwrap();
    assert!(matches!(
        plan_file(&broken, schema, &store),
        Err(ImportError::NotAWorkbook { .. })
    ));
    let missing = dir.path().join("missing.xlsx");
    assert_eq!(
        plan_file(&missing, schema, &store).unwrap_err().to_user_message().code,
        "import.unreadable"
    );
}

#[test]
fn a_column_whose_field_a_live_schema_lacks_is_reported() {
    let asset = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/schema/thai_gdc-2.2.4.json");
    let mut live: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(asset).unwrap()).unwrap();
    live.as_object_mut().unwrap().remove("catalog_desk");
    live["dataset_fields"]
        .as_array_mut()
        .unwrap()
        .retain(|f| f["field_name"] != "data_classification");
    let schema = Schema::from_server_value(live).unwrap();
    let (_dir, store) = temp_store();
    let plan = plan_file(&sample(), &schema, &store).unwrap();
    let lacking: Vec<_> = plan
        .notes
        .iter()
        .filter(|n| n.note.code == "field_not_in_schema")
        .collect();
    assert_eq!(lacking.len(), 5, "column P of each dataset sheet");
    assert!(lacking.iter().all(|n| n.place.column.as_deref() == Some("P")));
    assert_eq!(plan.summary.created, 17);
}
