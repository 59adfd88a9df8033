//! Templates and folders as a Windows office computer has them. On every platform: the NSO sample
//! imported from, and exported to, a Thai folder with spaces; template cells whose text has Windows line
//! breaks (CRLF); a folder holding Office's lock files and names in another letter case. On Windows only
//! (scripts/test runs these under Wine): files Windows hides are not offered, and a template or an export
//! target that Excel holds open is reported as such, with nothing imported or written.

mod common;

use catalog_import::folder::{self, MatchedBy};
use catalog_import::{apply, export, plan_file, Outcome, Template};
use catalog_schema::Schema;
use common::*;
use serde_json::{json, Value};

fn metadata_of(store: &catalog_core::Store, slug: &str) -> serde_json::Map<String, Value> {
    let id = store
        .list_drafts("")
        .unwrap()
        .into_iter()
        .find(|d| d.slug == slug)
        .unwrap_or_else(|| panic!("no draft {slug}"))
        .id;
    store.draft(&id).unwrap().metadata
}

#[test]
fn the_nso_sample_imports_from_and_exports_to_a_thai_folder_with_spaces() {
    let (dir, mut store) = temp_store();
    let folder = dir.path().join("แบบฟอร์ม สสช").join("ปีงบ 2567 (ฉบับแก้ไข)");
    std::fs::create_dir_all(&folder).unwrap();
    let template = folder.join("แบบนำเข้า บัญชีข้อมูล.xlsx");
    std::fs::copy(sample(), &template).unwrap();
    let schema = Schema::built_in();
    let plan = plan_file(&template, schema, &store).unwrap();
    assert_eq!(plan.summary.created, 17);
    apply(&plan, &mut store, "tester").unwrap();
    for (name, nso) in [("ส่งออก ของเรา.xlsx", false), ("ส่งออก แบบ สสช.xlsx", true)]
    {
        let out = folder.join(name);
        let exported = if nso {
            export::to_nso(&store, schema, None, &out).unwrap()
        } else {
            export::to_ours(&store, schema, &out).unwrap()
        };
        assert_eq!(exported.drafts, 17);
        assert_eq!(plan_file(&out, schema, &store).unwrap().summary.unchanged, 17, "{name}");
    }
}

#[test]
fn windows_line_breaks_in_template_cells_are_line_breaks_not_text() {
    let (dir, mut store) = temp_store();
    let record = record_row(
        "2.2.4",
        "crlf-population",
        &[
            ("title", "สถิติประชากร จังหวัดน่าน\r\n"),
            ("maintainer", "กลุ่มงานสถิติ\r\n"),
            ("tag_string", "สถิติ\r\nประชากร\r\n"),
            ("notes", "บรรทัดแรก\r\nบรรทัดสอง\r\n"),
        ],
    );
    let stat_width = catalog_import::layout::nso().dataset_sheets[1].columns["2.2.4"].len();
    let path = nso_book(
        &dir.path().join("crlf.xlsx"),
        &[
            ("Temp2_Meta_Record", record.len(), vec![record]),
            ("Temp2_Meta_Stat", stat_width, vec![]),
        ],
        |_| {},
    );
    let schema = Schema::built_in();
    let plan = plan_file(&path, schema, &store).unwrap();
    assert_eq!(row(&plan, "crlf-population").outcome, Outcome::Created);
    apply(&plan, &mut store, "tester").unwrap();
    let metadata = metadata_of(&store, "crlf-population");
    assert_eq!(metadata["title"], "สถิติประชากร จังหวัดน่าน");
    assert_eq!(metadata["maintainer"], "กลุ่มงานสถิติ");
    assert_eq!(metadata["tag_string"], json!(["สถิติ", "ประชากร"]));
    let notes = metadata["notes"].as_str().unwrap();
    assert_eq!(notes.lines().collect::<Vec<_>>(), ["บรรทัดแรก", "บรรทัดสอง"]);
    let stray_return = metadata.iter().find(|(_, v)| {
        let texts: Vec<&str> = match v {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        texts.iter().any(|t| t.ends_with('\r') || t.ends_with('\n'))
    });
    assert_eq!(stray_return, None, "no value keeps a line break at its end");

    let out = dir.path().join("ours.xlsx");
    export::to_ours(&store, schema, &out).unwrap();
    let again = plan_file(&out, schema, &store).unwrap();
    assert_eq!(again.template, Template::Ours);
    assert_eq!(again.summary.unchanged, 1, "{:?}", again.rows[0].changes);
}

#[test]
fn office_lock_files_are_not_offered_and_letter_case_does_not_matter() {
    let (dir, mut store) = temp_store();
    apply(
        &plan_file(&sample(), Schema::built_in(), &store).unwrap(),
        &mut store,
        "tester",
    )
    .unwrap();
    let files = dir.path().join("ไฟล์ แนบ");
    std::fs::create_dir_all(files.join("cm-land-use-2565")).unwrap();
    std::fs::write(files.join("cm-land-use-2565").join("แผนที่.xlsx"), "PK").unwrap();
    // What Word and Excel leave beside a document they have open.
    std::fs::write(files.join("cm-land-use-2565").join("~$แผนที่.xlsx"), "owner").unwrap();
    std::fs::write(files.join("CM-Border-Trade.PDF"), "%PDF-1.4").unwrap();
    std::fs::write(files.join("OTOP.CSV"), "a,b\n1,2\n").unwrap();

    let plan = folder::plan(&files, &store).unwrap();
    let found: Vec<(String, &str, MatchedBy)> = plan
        .matches
        .iter()
        .map(|m| {
            let name = m.path.file_name().unwrap().to_string_lossy().into_owned();
            (name, m.slug.as_str(), m.matched_by)
        })
        .collect();
    assert_eq!(
        found,
        [
            ("CM-Border-Trade.PDF".to_owned(), "cm-border-trade", MatchedBy::FileName),
            ("OTOP.CSV".to_owned(), "cm-otop-products", MatchedBy::ResourceLink),
            ("แผนที่.xlsx".to_owned(), "cm-land-use-2565", MatchedBy::Folder),
        ]
    );
    assert!(plan.unmatched.is_empty(), "{:?}", plan.unmatched);
    for m in &plan.matches {
        assert!(
            m.path.starts_with(&files),
            "kept as the person's own path: {}",
            m.path.display()
        );
    }
}

#[cfg(windows)]
mod windows_only {
    use std::fs::OpenOptions;
    use std::os::windows::fs::OpenOptionsExt;

    use catalog_core::StoreError;
    use catalog_error::ToUserMessage;
    use catalog_import::ImportError;

    use super::*;

    const FILE_ATTRIBUTE_HIDDEN: u32 = 0x2;
    const FILE_ATTRIBUTE_SYSTEM: u32 = 0x4;

    #[test]
    fn files_windows_hides_are_not_offered() {
        let (dir, mut store) = temp_store();
        apply(
            &plan_file(&sample(), Schema::built_in(), &store).unwrap(),
            &mut store,
            "tester",
        )
        .unwrap();
        let files = dir.path().join("files");
        std::fs::create_dir_all(files.join("cm-land-use-2565")).unwrap();
        std::fs::write(files.join("cm-land-use-2565").join("map.zip"), "PK").unwrap();
        for (name, attributes) in [
            ("Thumbs.db", FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM),
            ("desktop.ini", FILE_ATTRIBUTE_HIDDEN),
        ] {
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .attributes(attributes)
                .open(files.join("cm-land-use-2565").join(name))
                .unwrap();
        }
        let plan = folder::plan(&files, &store).unwrap();
        let names: Vec<_> = plan.matches.iter().map(|m| m.path.file_name().unwrap()).collect();
        assert_eq!(names, ["map.zip"]);
        assert!(plan.unmatched.is_empty(), "{:?}", plan.unmatched);
        assert!(
            !plan.matches[0].path.to_string_lossy().starts_with(r"\\?\"),
            "not the \\\\?\\ form: {}",
            plan.matches[0].path.display()
        );
    }

    /// Opens `path` as Excel keeps an open workbook: read and written by it, shared with no one.
    fn open_in_excel(path: &std::path::Path) -> std::fs::File {
        OpenOptions::new()
            .read(true)
            .write(true)
            .share_mode(0)
            .open(path)
            .unwrap()
    }

    fn assert_in_use(err: ImportError, path: &std::path::Path) {
        assert!(
            matches!(&err, ImportError::Store(StoreError::FileInUse { path: p }) if p == path),
            "{err:?}"
        );
        let message = err.to_user_message();
        assert_eq!(message.code, "file.in_use");
        assert!(
            message.message.th.contains("ปิดไฟล์แล้วลองอีกครั้ง"),
            "{}",
            message.message.th
        );
    }

    #[test]
    fn a_template_or_an_export_target_open_in_excel_is_reported_and_left_alone() {
        let (dir, mut store) = temp_store();
        let schema = Schema::built_in();
        let template = dir.path().join("แบบนำเข้า.xlsx");
        std::fs::copy(sample(), &template).unwrap();
        let excel = open_in_excel(&template);
        assert_in_use(plan_file(&template, schema, &store).unwrap_err(), &template);
        drop(excel);
        apply(&plan_file(&template, schema, &store).unwrap(), &mut store, "tester").unwrap();

        let out = dir.path().join("ส่งออก.xlsx");
        std::fs::write(&out, "the person's earlier export").unwrap();
        let excel = open_in_excel(&out);
        assert_in_use(export::to_ours(&store, schema, &out).unwrap_err(), &out);
        let report = dir.path().join("รายงาน.csv");
        std::fs::write(&report, "earlier report").unwrap();
        let excel_report = open_in_excel(&report);
        let plan = plan_file(&template, schema, &store).unwrap();
        assert_in_use(catalog_import::report::save(&plan, &report).unwrap_err(), &report);
        drop((excel, excel_report));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "the person's earlier export");
        assert_eq!(std::fs::read_to_string(&report).unwrap(), "earlier report");
        export::to_ours(&store, schema, &out).unwrap();
    }
}
