//! Export and re-import: drafts → our template → one cell edited by openpyxl (as a spreadsheet program
//! would) → the import changes exactly that one field of that one draft. The NSO export reads back
//! unchanged too, and the empty template carries its drop-downs and help notes.

mod common;

use std::path::Path;
use std::process::Command;

use catalog_import::{apply, export, plan_file, template, Outcome, Template};
use catalog_schema::{Schema, Scope};
use common::*;
use serde_json::json;

/// Runs a Python snippet with openpyxl; fails with a clear message when Python or openpyxl is missing.
fn python(script: &str, args: &[&Path]) -> String {
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 is needed for this test (to edit the workbook like a spreadsheet program)");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("No module named 'openpyxl'"),
        "openpyxl is needed for this test: pip install openpyxl"
    );
    assert!(output.status.success(), "python failed: {stderr}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const EDIT_ONE_CELL: &str = r#"
import sys, openpyxl
path, sheet, slug, key, value = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
wb = openpyxl.load_workbook(path)
ws = wb[sheet]
keys = {c.value: c.column for c in ws[2] if c.value}
for row in ws.iter_rows(min_row=3):
    if row[keys["name"] - 1].value == slug:
        ws.cell(row=row[0].row, column=keys[key], value=value)
        break
else:
    sys.exit("slug not found")
wb.save(path)
"#;

#[test]
fn one_cell_edited_in_our_template_changes_one_field_of_one_draft() {
    let (dir, mut store) = temp_store();
    let schema = Schema::built_in();
    apply(&plan_file(&sample(), schema, &store).unwrap(), &mut store, "tester").unwrap();
    let out = dir.path().join("ours.xlsx");
    let exported = export::to_ours(&store, schema, &out).unwrap();
    assert_eq!((exported.drafts, exported.resources), (17, 12));

    let untouched = plan_file(&out, schema, &store).unwrap();
    assert_eq!(untouched.template, Template::Ours);
    assert_eq!(untouched.summary.unchanged, 17, "an export reads back unchanged");

    let stat_sheet = template::sheet_name(
        &schema
            .data_types()
            .iter()
            .find(|t| t.value == "ข้อมูลสถิติ")
            .unwrap()
            .label
            .th,
    );
    python(
        EDIT_ONE_CELL,
        &[
            &out,
            Path::new(&stat_sheet),
            Path::new("cm-tourism-revenue-province"),
            Path::new("maintainer"),
            Path::new("ฝ่ายสถิติเศรษฐกิจ"),
        ],
    );
    let plan = plan_file(&out, schema, &store).unwrap();
    assert_eq!(
        (
            plan.summary.updated,
            plan.summary.unchanged,
            plan.summary.created,
            plan.summary.errors
        ),
        (1, 16, 0, 0)
    );
    let changed: Vec<_> = plan.rows.iter().filter(|r| r.outcome != Outcome::Unchanged).collect();
    assert_eq!(changed[0].slug, "cm-tourism-revenue-province");
    assert_eq!(changed[0].changes.len(), 1);
    assert_eq!(changed[0].changes[0].field, "maintainer");
    assert_eq!(changed[0].changes[0].after, json!("ฝ่ายสถิติเศรษฐกิจ"));
    assert!(plan
        .rows
        .iter()
        .flat_map(|r| &r.resources)
        .all(|r| r.outcome == Outcome::Unchanged));
    apply(&plan, &mut store, "tester").unwrap();
    assert_eq!(plan_file(&out, schema, &store).unwrap().summary.unchanged, 17);
}

#[test]
fn the_nso_export_reads_back_unchanged_in_both_versions() {
    let (dir, mut store) = temp_store();
    let schema = Schema::built_in();
    apply(&plan_file(&sample(), schema, &store).unwrap(), &mut store, "tester").unwrap();
    for version in ["2.2.4", "2.1.0"] {
        let out = dir.path().join(format!("nso-{version}.xlsx"));
        let exported = export::to_nso(&store, schema, Some(version), &out).unwrap();
        assert_eq!((exported.drafts, exported.resources), (17, 12));
        assert!(exported
            .multi_value_cells
            .iter()
            .any(|c| c.slug == "cm-otop-products" && c.field == "objective"));
        let plan = plan_file(&out, schema, &store).unwrap();
        assert_eq!(
            plan.template,
            Template::Nso {
                version: Some(version.into())
            }
        );
        assert_eq!(
            plan.summary.unchanged,
            17,
            "{version}: {:?}",
            plan.rows
                .iter()
                .filter(|r| !r.changes.is_empty())
                .map(|r| (&r.slug, &r.changes))
                .collect::<Vec<_>>()
        );
    }
    assert!(matches!(
        export::to_nso(&store, schema, Some("9.9"), &dir.path().join("x.xlsx")),
        Err(catalog_import::ImportError::UnknownVersion(_))
    ));
}

#[test]
fn the_empty_template_has_a_sheet_per_type_keys_drop_downs_and_help_notes() {
    let dir = tempfile::tempdir().unwrap();
    let schema = Schema::built_in();
    let out = dir.path().join("template.xlsx");
    template::write_empty(schema, &out).unwrap();
    let summary = python(
        r#"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb.worksheets:
    keys = [c.value for c in ws[2] if c.value]
    notes = sum(1 for c in ws[1] if c.comment)
    print("\t".join([ws.title, ws.sheet_state, str(len(keys)), str(len(ws.data_validations.dataValidation)), str(notes), ",".join(keys[:2])]))
"#,
        &[&out],
    );
    let sheets: Vec<Vec<&str>> = summary.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(sheets.len(), schema.data_types().len() + 3, "{summary}");
    for data_type in schema.data_types() {
        let sheet = sheets
            .iter()
            .find(|s| s[0] == template::sheet_name(&data_type.label.th))
            .unwrap_or_else(|| panic!("a sheet for {}", data_type.value));
        let shown = schema.fields_for(Scope::Dataset, &data_type.value).count() - 1;
        assert_eq!(
            sheet[2],
            shown.to_string(),
            "every field of the type but the type itself"
        );
        let choice_fields = schema
            .fields_for(Scope::Dataset, &data_type.value)
            .filter(|f| !f.choices.is_empty() && f.key != "data_type")
            .count();
        assert_eq!(sheet[3], choice_fields.to_string(), "a drop-down per choice field");
        assert!(sheet[4].parse::<usize>().unwrap() > shown / 2, "help notes");
        assert_eq!(sheet[5], "name,title");
    }
    assert!(sheets.iter().any(|s| s[1] == "hidden"), "the choice lists are hidden");
}
