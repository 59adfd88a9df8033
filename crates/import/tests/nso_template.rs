//! Importing the two sample NSO templates: what the ADC's importer creates becomes drafts with the same
//! values, what it refuses is reported with the reason, and where it loses or mangles a value Catalog
//! Desk keeps the right value and says so. The README sheet of each sample is the expected result.

mod common;

use calamine::{open_workbook_auto, Data, Reader};
use catalog_import::{apply, plan_file, Outcome, Template};
use catalog_schema::{Schema, Severity};
use common::*;
use serde_json::{json, Value};

/// (sheet, row, column A, expectation) from a sample's README sheet.
fn readme(path: &std::path::Path) -> Vec<(String, u32, String, String)> {
    let mut book = open_workbook_auto(path).unwrap();
    let range = book.worksheet_range("README").unwrap();
    range
        .rows()
        .filter_map(|r| match r {
            [Data::String(sheet), row, Data::String(name), Data::String(expect), ..] if sheet.starts_with("Temp") => {
                let row = match row {
                    Data::Int(i) => *i as u32,
                    Data::Float(f) => *f as u32,
                    _ => return None,
                };
                Some((sheet.clone(), row, name.clone(), expect.clone()))
            }
            _ => None,
        })
        .collect()
}

fn slug(name: &str) -> String {
    name.trim().replace(char::is_whitespace, "-").to_lowercase()
}

fn meta(store: &catalog_core::Store, slug: &str) -> serde_json::Map<String, Value> {
    let id = store
        .list_drafts("")
        .unwrap()
        .into_iter()
        .find(|d| d.slug == slug)
        .unwrap_or_else(|| panic!("no draft {slug}"))
        .id;
    store.draft(&id).unwrap().metadata
}

/// Every README row: created rows become drafts without dataset-level errors, refused rows are drafts
/// whose errors say why, skipped or orphan resources are reported.
fn check_against_readme(path: &std::path::Path, version: &str) {
    let (_dir, mut store) = temp_store();
    let schema = Schema::built_in();
    let plan = plan_file(path, schema, &store).unwrap();
    assert_eq!(
        plan.template,
        Template::Nso {
            version: Some(version.into())
        }
    );
    let expectations = readme(path);
    assert!(expectations.len() > 20, "README sheet read");
    for (sheet, row_number, name, expect) in &expectations {
        if sheet.starts_with("Temp2") {
            let row = row(&plan, &slug(name));
            assert_eq!((&row.sheet, row.row), (sheet, *row_number));
            assert_eq!(row.outcome, Outcome::Created, "{name}");
            let dataset_errors: Vec<_> = row
                .problems
                .iter()
                .filter(|p| p.resource.is_none() && p.severity == Severity::Error)
                .collect();
            if expect.starts_with("ล้มเหลว") {
                assert!(
                    !dataset_errors.is_empty(),
                    "{name}: the ADC refuses it, so must we report why"
                );
                assert!(dataset_errors
                    .iter()
                    .all(|p| !p.message.th.is_empty() && !p.message.en.is_empty()));
            } else {
                assert!(dataset_errors.is_empty(), "{name}: {dataset_errors:?}");
            }
        } else if expect.contains("ไม่มีชุดข้อมูลชื่อนี้") {
            assert!(
                plan.orphans
                    .iter()
                    .any(|o| o.place.sheet == *sheet && o.place.row == Some(*row_number)),
                "orphan {sheet} row {row_number} reported"
            );
        } else {
            let attached = plan
                .rows
                .iter()
                .flat_map(|r| r.resources.iter())
                .any(|r| r.sheet == *sheet && r.row == *row_number && r.outcome == Outcome::Created);
            assert!(attached, "{sheet} row {row_number} ({name}) is imported as a resource");
        }
    }
    assert_eq!(plan.summary.orphan_resources, 1);
    assert!(plan.has_errors(), "an orphan resource is an error");
    assert!(
        !plan.notes.iter().any(|n| n.note.code == "header_mismatch"),
        "the sample's headers name the fields of their positions"
    );
    let applied = apply(&plan, &mut store, "tester").unwrap();
    assert_eq!(applied.created, 17);
    assert_eq!(store.list_drafts("").unwrap().len(), 17);
}

#[test]
fn the_v2_2_4_sample_matches_its_readme() {
    check_against_readme(&sample(), "2.2.4");
}

#[test]
fn the_v2_1_0_sample_matches_its_readme() {
    check_against_readme(&sample_v210(), "2.1.0");
}

#[test]
fn created_rows_keep_the_adc_values_and_what_the_adc_would_lose() {
    let (_dir, mut store) = temp_store();
    let plan = plan_file(&sample(), Schema::built_in(), &store).unwrap();
    let otop = row(&plan, "cm-otop-products");
    assert!(
        note_codes(otop).contains(&"multi_value_split"),
        "the report says the ADC would not split"
    );
    let water = row(&plan, "cm-community-water-sources");
    assert!(note_codes(water).contains(&"date_cell_common_era"));
    assert!(note_codes(water).contains(&"yes_no_empty"));
    let festival = row(&plan, "cm-festival-calendar");
    assert!(festival.notes.iter().any(|n| n.note.code == "resource_url_empty"));
    apply(&plan, &mut store, "tester").unwrap();

    let m = meta(&store, "cm-accommodation-registry");
    assert_eq!(m["created_date"], json!("2017-01-01"));
    assert_eq!(m["last_updated_date"], json!("2024-03-31"));
    assert_eq!(
        (&m["high_value_dataset"], &m["reference_data"]),
        (&json!("True"), &json!("False"))
    );
    assert_eq!(m["data_type"], json!("ข้อมูลระเบียน"));
    assert_eq!(m["tag_string"], json!(["ที่พักแรม", "โรงแรม", "การท่องเที่ยว", "เชียงใหม่"]));
    assert!(m.get("owner_org").is_none(), "the organisation is chosen at publish");

    let m = meta(&store, "cm-otop-products");
    assert_eq!(m["objective"], json!(["ยุทธศาสตร์ชาติ", "พันธกิจหน่วยงาน"]), "split, not อื่นๆ");
    assert!(m.get("objective_other").is_none());
    assert_eq!(
        (&m["update_frequency_unit"], &m["update_frequency_unit_other"]),
        (&json!("อื่นๆ"), &json!("ปีงบประมาณ"))
    );
    assert_eq!(m["created_date"], json!("2023-06-30"), "a B.E. date cell");

    let m = meta(&store, "cm-community-water-sources");
    assert_eq!(
        m["last_updated_date"],
        json!("2023-09-30"),
        "the ADC blanks this C.E. date cell"
    );
    assert!(
        m.get("high_value_dataset").is_none(),
        "the ADC reads an empty yes/no as yes"
    );
    assert_eq!(
        (&m["geo_coverage"], &m["geo_coverage_other"]),
        (&json!("อื่นๆ"), &json!("ลุ่มน้ำ"))
    );
    assert_eq!(m["license_id"], json!("อื่นๆ"));

    let m = meta(&store, "cm-registered-population-district");
    assert_eq!(m["disaggregate"], json!(["เพศ", "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่"]));
    assert_eq!(m["data_language"], json!(["ไทย", "อังกฤษ"]));
    assert_eq!(m["first_year_of_data"], json!("2550"), "years are stored as typed");

    let m = meta(&store, "cm-tourist-attractions-point");
    assert_eq!(
        (
            &m["last_updated_date"],
            &m["data_release_calendar"],
            &m["data_release_date"]
        ),
        (&json!("2024-05-01"), &json!("2024-06-01"), &json!("2024-06-15"))
    );
    let m = meta(&store, "cm-tourism-photo-archive");
    assert_eq!(m["data_type_other"], json!("ข้อมูลภาพถ่าย"));

    let id = store
        .list_drafts("")
        .unwrap()
        .into_iter()
        .find(|d| d.slug == "cm-tourist-arrivals-province")
        .unwrap()
        .id;
    let resources = store.resources(&id).unwrap();
    assert_eq!(resources.len(), 1);
    let r = &resources[0].metadata;
    assert_eq!(
        r["resource_official_statistics"],
        json!("True"),
        "the ADC stores the text ใช่"
    );
    assert_eq!(r["resource_data_release_calendar"], json!("2024-06-30"));
    assert_eq!(
        r["url"],
        json!("https://catalog.example.go.th/files/tourist-arrivals.csv")
    );
    let revisions = store.revisions(&id).unwrap();
    assert_eq!(revisions.len(), 2, "created + resource added, in the revision log");
    assert_eq!(revisions[0].detail["import"], json!(true));
}

#[test]
fn a_second_import_changes_nothing_and_an_edited_draft_is_updated_not_duplicated() {
    let (_dir, mut store) = temp_store();
    let schema = Schema::built_in();
    apply(&plan_file(&sample(), schema, &store).unwrap(), &mut store, "tester").unwrap();
    let again = plan_file(&sample(), schema, &store).unwrap();
    assert_eq!((again.summary.unchanged, again.summary.created), (17, 0));

    let id = store
        .list_drafts("")
        .unwrap()
        .into_iter()
        .find(|d| d.slug == "cm-border-trade")
        .unwrap()
        .id;
    store.set_field(&id, "notes", json!("แก้ไขในเครื่อง"), "tester").unwrap();
    let plan = plan_file(&sample(), schema, &store).unwrap();
    let border = row(&plan, "cm-border-trade");
    assert_eq!(border.outcome, Outcome::Updated);
    assert_eq!(border.draft_id.as_deref(), Some(id.as_str()));
    assert_eq!(border.changes.len(), 1);
    assert_eq!(border.changes[0].field, "notes");
    assert_eq!(border.changes[0].before, json!("แก้ไขในเครื่อง"));
    assert_eq!(plan.summary.updated, 1);
    let before = store.revisions(&id).unwrap().len();
    apply(&plan, &mut store, "tester").unwrap();
    assert_eq!(store.list_drafts("").unwrap().len(), 17, "never a duplicate");
    let revisions = store.revisions(&id).unwrap();
    assert_eq!(revisions.len(), before + 1);
    assert_eq!(revisions.last().unwrap().detail["field"], json!("notes"));
    assert!(
        store.undo_last_change(&id, "tester").unwrap(),
        "an imported change can be undone"
    );
}

#[test]
fn nothing_is_written_before_apply_and_a_failing_apply_leaves_the_store_unchanged() {
    let (_dir, mut store) = temp_store();
    let schema = Schema::built_in();
    apply(&plan_file(&sample(), schema, &store).unwrap(), &mut store, "tester").unwrap();
    let drafts = store.list_drafts("").unwrap();
    let find = |slug: &str| drafts.iter().find(|d| d.slug == slug).unwrap().id.clone();
    let (gone, edited) = (find("cm-flood-risk-area"), find("cm-border-trade"));
    store.delete_draft(&gone, "tester").unwrap();
    store
        .set_field(&edited, "notes", json!("ฉบับในเครื่อง"), "tester")
        .unwrap();

    let plan = plan_file(&sample(), schema, &store).unwrap();
    assert_eq!((plan.summary.created, plan.summary.updated), (1, 1));
    assert_eq!(store.list_drafts("").unwrap().len(), 16, "a dry run writes nothing");

    store.delete_draft(&edited, "tester").unwrap();
    let revisions_before: usize = store
        .list_drafts("")
        .unwrap()
        .iter()
        .map(|d| store.revisions(&d.id).unwrap().len())
        .sum();
    let err = apply(&plan, &mut store, "tester").unwrap_err();
    assert!(
        matches!(
            err,
            catalog_import::ImportError::Store(catalog_core::StoreError::DraftNotFound(_))
        ),
        "{err}"
    );
    let after = store.list_drafts("").unwrap();
    assert_eq!(
        after.len(),
        15,
        "the created draft was rolled back with the failed update"
    );
    assert!(!after.iter().any(|d| d.slug == "cm-flood-risk-area"));
    let revisions_after: usize = after.iter().map(|d| store.revisions(&d.id).unwrap().len()).sum();
    assert_eq!(revisions_before, revisions_after);
}

#[test]
fn the_report_saves_as_csv_and_xlsx() {
    let (dir, store) = temp_store();
    let plan = plan_file(&sample(), Schema::built_in(), &store).unwrap();
    let csv_path = dir.path().join("report.csv");
    catalog_import::report::save(&plan, &csv_path).unwrap();
    let text = std::fs::read_to_string(&csv_path).unwrap();
    assert!(text.starts_with('\u{feff}'), "BOM for Excel");
    assert!(text.contains("orphan_resource") && text.contains("cm-health-facilities"));
    assert!(text.contains("ไม่แยกค่า"), "Thai messages");
    let xlsx_path = dir.path().join("report.xlsx");
    catalog_import::report::save(&plan, &xlsx_path).unwrap();
    let mut book = open_workbook_auto(&xlsx_path).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    assert_eq!(range.height(), catalog_import::report::lines(&plan).len());
}
