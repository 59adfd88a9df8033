//! The command line end to end: the real binary on a temporary data folder, its JSON on stdout and its
//! exit codes (0 all well, 1 the result holds errors, 2 the command failed).

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use catalog_app::{Desk, NoEvents};
use catalog_core::schema_cache::{self, SchemaInfo};
use catalog_core::{metadata, Store};
use catalog_schema::{keys, Schema, SchemaSource};
use catalog_testkit::fixture;
use catalog_testkit::people::people_csv;
use serde_json::{json, Value};

fn cli(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_catalog-desk-cli"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("CATALOG_DESK_DATA_DIR")
        .output()
        .expect("the CLI runs")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)))
}

#[test]
fn import_is_a_dry_run_until_apply_then_export_and_validate_work_on_the_same_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let sample = fixture("nso-template/sample-nso-template.xlsx");
    let sample = sample.to_str().unwrap();

    let dry = cli(&data, &["import", sample]);
    assert_eq!(
        dry.status.code(),
        Some(1),
        "the sample has an orphan resource: an error"
    );
    let plan = json(&dry);
    assert_eq!(plan["plan"]["summary"]["created"], 17);
    assert!(plan["applied"].is_null());

    let report = dir.path().join("report.xlsx");
    let applied = cli(
        &data,
        &["import", sample, "--apply", "--report", report.to_str().unwrap()],
    );
    assert_eq!(json(&applied)["applied"]["created"], 17);
    assert!(report.is_file());
    assert_eq!(
        json(&cli(&data, &["import", sample]))["plan"]["summary"]["unchanged"],
        17
    );

    for format in ["ours", "nso"] {
        let out = dir.path().join(format!("{format}.xlsx"));
        let exported = cli(&data, &["export", "--format", format, out.to_str().unwrap()]);
        assert_eq!(
            exported.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&exported.stderr)
        );
        assert_eq!(json(&exported)["drafts"], 17);
        let reread = cli(&data, &["import", out.to_str().unwrap()]);
        assert_eq!(json(&reread)["plan"]["summary"]["unchanged"], 17, "{format}");
    }

    let validate = cli(&data, &["validate"]);
    assert_eq!(validate.status.code(), Some(1), "two sample rows lack required fields");
    let result = json(&validate);
    assert_eq!(result["drafts"].as_array().unwrap().len(), 17);
    assert!(result["errors"].as_u64().unwrap() >= 2);
}

#[test]
fn bad_files_and_bad_arguments_exit_2_with_a_bilingual_message() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let not_excel = dir.path().join("x.xlsx");
    std::fs::write(&not_excel, "hello").unwrap();
    let failed = cli(&data, &["import", not_excel.to_str().unwrap()]);
    assert_eq!(failed.status.code(), Some(2));
    let message: Value = serde_json::from_slice(&failed.stderr).unwrap();
    assert_eq!(message["code"], "import.not_a_workbook");
    assert!(message["message"]["th"].as_str().unwrap().contains("Excel"));

    let usage = cli(&data, &["export", "out.xlsx"]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&usage.stderr).contains("usage:"));

    let template = dir.path().join("template.xlsx");
    let written = cli(&data, &["template", template.to_str().unwrap()]);
    assert_eq!(written.status.code(), Some(0));
    assert!(template.is_file());
    let empty = cli(&data, &["import", template.to_str().unwrap()]);
    assert_eq!(
        empty.status.code(),
        Some(0),
        "an empty template imports nothing, without errors"
    );
    assert_eq!(json(&empty)["plan"]["summary"]["rows"], 0);
}

#[test]
fn help_for_the_tool_and_for_a_command_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let all = cli(&data, &["--help"]);
    assert_eq!(all.status.code(), Some(0));
    let text = String::from_utf8_lossy(&all.stdout);
    for command in ["import", "validate", "analyse", "sign-in", "status", "publish", "pull"] {
        assert!(
            text.contains(&format!("catalog-desk-cli {command}")),
            "{command} in {text}"
        );
    }
    let publish = cli(&data, &["publish", "--help"]);
    assert_eq!(publish.status.code(), Some(0));
    let text = String::from_utf8_lossy(&publish.stdout);
    assert!(text.starts_with("usage: catalog-desk-cli publish"), "{text}");
    assert!(text.contains("--dry-run"), "{text}");
    assert!(publish.stderr.is_empty());
}

#[test]
fn analyse_checks_each_attached_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (people, table) = (dir.path().join("people.csv"), dir.path().join("rainfall.csv"));
    std::fs::write(&people, people_csv(120)).unwrap();
    std::fs::write(
        &table,
        "ปี,จังหวัด,ปริมาณฝน (มม.)\n2565,น่าน,1320\n2566,น่าน,1184\n2566,แพร่,1102\n",
    )
    .unwrap();
    let (draft, people_id, table_id) = {
        let mut store = Store::open(&data).unwrap();
        let draft = store.create_draft("ทะเบียนผู้รับเบี้ยยังชีพ", "tester").unwrap();
        let people = store.attach_file(&draft.id, &people, "tester").unwrap();
        let table = store.attach_file(&draft.id, &table, "tester").unwrap();
        (draft.id, people.id, table.id)
    };

    let analysed = cli(&data, &["analyse"]);
    assert_eq!(
        analysed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&analysed.stderr)
    );
    let files = json(&analysed);
    let file = |id: &str| {
        files
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["resource_id"] == id)
            .unwrap_or_else(|| panic!("{id} is listed: {files:#}"))
            .clone()
    };
    let (people, table) = (file(&people_id), file(&table_id));
    assert_eq!(files.as_array().unwrap().len(), 2);
    assert_eq!(people["draft_id"], draft.as_str());
    assert_eq!(people["data_rows"], 120);
    assert!(people["error"].is_null(), "{people:#}");
    assert!(
        people["personal_data_hints"].as_u64().unwrap() >= 3,
        "citizen IDs, titled names and phones: {people:#}"
    );
    assert_eq!(table["data_rows"], 3);
    assert_eq!(table["personal_data_hints"], 0, "{table:#}");

    let again = cli(&data, &["analyse"]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(json(&again), json!([]), "each file is checked once");
}

#[test]
fn validate_uses_the_cached_adc_schema_as_the_window_does() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let site = "https://catalog.agency.example.go.th";
    // This ADC's form has a required field the built-in thai_gdc form does not know.
    let mut raw: Value = serde_json::from_str(include_str!("../../../assets/schema/thai_gdc-2.2.4.json")).unwrap();
    raw.as_object_mut().unwrap().remove("catalog_desk");
    raw["dataset_fields"].as_array_mut().unwrap().push(json!({
        "field_name": "agency_register_code",
        "label": {"en": "Agency register code", "th": "รหัสทะเบียนของหน่วยงาน"},
        "required": true
    }));
    let draft = {
        let mut store = Store::open(&data).unwrap();
        let info = SchemaInfo {
            adc_url: Some(site.to_owned()),
            site_title: None,
            ckan_version: None,
            thaigdc_version: Some("2.2.4".to_owned()),
            catalog_type: Some("agency".to_owned()),
            fetched_at: None,
        };
        schema_cache::remember(&store, &raw.to_string(), info).unwrap();
        let (schema, _) = schema_cache::current(&store);
        assert_eq!(schema.source(), &SchemaSource::Server, "the cached ADC schema parses");
        let draft = store.create_draft("จำนวนนักเรียน", "tester").unwrap();
        let data_type = schema.data_types()[0].value.clone();
        store
            .set_field(&draft.id, keys::DATA_TYPE, json!(data_type), "tester")
            .unwrap();
        draft.id
    };

    let validate = cli(&data, &["validate"]);
    assert_eq!(validate.status.code(), Some(1), "the draft lacks required fields");
    let result = json(&validate);
    assert_eq!(result["schema"]["adc_url"], site);
    let problems = result["drafts"][0]["problems"].clone();
    assert_eq!(result["drafts"][0]["id"], draft.as_str());
    let names_field = |problems: &Value| {
        problems
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["field"] == "agency_register_code")
    };
    assert!(names_field(&problems), "the ADC's own required field: {problems:#}");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let desk = Desk::open(&data, Arc::new(NoEvents));
    let window = runtime.block_on(desk.draft_view(draft.clone())).unwrap();
    assert_eq!(
        problems,
        serde_json::to_value(&window.problems).unwrap(),
        "the window's problems"
    );
    drop(desk);
    let store = Store::open(&data).unwrap();
    let built_in = metadata::view(&store, Schema::built_in(), &draft).unwrap().problems;
    assert!(
        !names_field(&serde_json::to_value(&built_in).unwrap()),
        "the built-in schema does not know the field"
    );
}

/// What a Windows office computer has: Thai folder and file names with spaces for the data folder, the
/// template, the files and the export, each passed as a Thai command-line argument.
#[test]
fn thai_folders_and_files_with_spaces_from_import_to_export() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("ที่เก็บ ข้อมูล").join("Catalog Desk");
    let forms = dir.path().join("แบบฟอร์ม สสช");
    std::fs::create_dir_all(&forms).unwrap();
    let template = forms.join("แบบนำเข้า ปีงบ 2567.xlsx");
    std::fs::copy(fixture("nso-template/sample-nso-template.xlsx"), &template).unwrap();
    let files = dir.path().join("ไฟล์ ที่ส่ง");
    std::fs::create_dir_all(files.join("cm-land-use-2565")).unwrap();
    std::fs::write(files.join("otop.csv"), people_csv(40)).unwrap();
    std::fs::write(
        files.join("cm-land-use-2565").join("การใช้ที่ดิน รายอำเภอ.csv"),
        "อำเภอ,พื้นที่ (ไร่)\r\nเมืองเชียงใหม่,1200\r\nสันทราย,980\r\n",
    )
    .unwrap();
    let arg = |p: &Path| p.to_str().unwrap().to_owned();

    let imported = cli(&data, &["import", &arg(&template), "--apply"]);
    assert_eq!(
        json(&imported)["applied"]["created"],
        17,
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let attached = cli(&data, &["attach-folder", &arg(&files), "--apply"]);
    assert_eq!(
        attached.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&attached.stderr)
    );
    let attached = json(&attached);
    assert_eq!(attached["applied"]["attached"], 2, "{attached:#}");
    let paths: Vec<&str> = attached["plan"]["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.iter().all(|p| p.starts_with(&arg(&files))),
        "the paths as given: {paths:?}"
    );

    let analysed = cli(&data, &["analyse"]);
    let analysed = json(&analysed);
    let rows: Vec<u64> = analysed
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["data_rows"].as_u64().unwrap())
        .collect();
    assert_eq!(rows.len(), 2, "{analysed:#}");
    assert!(rows.contains(&40) && rows.contains(&2), "{rows:?}");

    let out = dir.path().join("ส่งออก ผลงาน").join("บัญชีข้อมูล แบบ สสช.xlsx");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let exported = cli(&data, &["export", "--format", "nso", &arg(&out)]);
    assert_eq!(
        exported.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    assert_eq!(
        json(&cli(&data, &["import", &arg(&out)]))["plan"]["summary"]["unchanged"],
        17
    );
    assert!(data.join("catalog-desk.sqlite3").is_file());
}

/// Excel keeps the workbooks it has open locked: the CLI says so, in Thai and English, and imports nothing.
#[cfg(windows)]
#[test]
fn a_template_open_in_excel_exits_2_with_a_clear_message() {
    use std::os::windows::fs::OpenOptionsExt;

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let template = dir.path().join("แบบนำเข้า.xlsx");
    std::fs::copy(fixture("nso-template/sample-nso-template.xlsx"), &template).unwrap();
    let excel = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .share_mode(0)
        .open(&template)
        .unwrap();
    let refused = cli(&data, &["import", template.to_str().unwrap(), "--apply"]);
    assert_eq!(refused.status.code(), Some(2));
    let message: Value = serde_json::from_slice(&refused.stderr).unwrap();
    assert_eq!(message["code"], "file.in_use", "{message:#}");
    assert!(message["message"]["th"].as_str().unwrap().contains("(เช่น Excel)"));
    drop(excel);
    let store = Store::open(&data).unwrap();
    assert!(store.list_drafts("").unwrap().is_empty(), "nothing imported");
}
