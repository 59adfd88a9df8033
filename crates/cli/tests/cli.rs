//! The command line end to end: the real binary on a temporary data folder, its JSON on stdout and its
//! exit codes (0 all well, 1 the result holds errors, 2 the command failed).

use std::path::Path;
use std::process::{Command, Output};

use catalog_testkit::fixture;
use serde_json::Value;

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
