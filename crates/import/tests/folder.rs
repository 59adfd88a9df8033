//! Folder import: files matched to drafts by sub-folder, by file name or by a link resource's file name,
//! attached in one go with progress, stoppable between files, and never attached twice.

mod common;

use catalog_import::folder::{self, MatchedBy};
use catalog_import::{apply, plan_file};
use catalog_schema::Schema;
use common::*;

#[test]
fn files_are_matched_attached_with_progress_and_not_attached_twice() {
    let (dir, mut store) = temp_store();
    apply(
        &plan_file(&sample(), Schema::built_in(), &store).unwrap(),
        &mut store,
        "tester",
    )
    .unwrap();
    let files = dir.path().join("files");
    std::fs::create_dir_all(files.join("cm-land-use-2565")).unwrap();
    std::fs::write(files.join("otop.csv"), "a,b\n1,2\n").unwrap();
    std::fs::write(files.join("cm-border-trade.pdf"), "%PDF-1.4").unwrap();
    std::fs::write(files.join("cm-land-use-2565").join("map.zip"), "PK").unwrap();
    std::fs::write(files.join("random.txt"), "?").unwrap();
    std::fs::write(files.join(".hidden"), "?").unwrap();

    let plan = folder::plan(&files, &store).unwrap();
    let by = |name: &str| plan.matches.iter().find(|m| m.path.ends_with(name)).unwrap();
    assert_eq!(
        (by("otop.csv").slug.as_str(), by("otop.csv").matched_by),
        ("cm-otop-products", MatchedBy::ResourceLink)
    );
    assert_eq!(by("cm-border-trade.pdf").matched_by, MatchedBy::FileName);
    assert_eq!(
        (by("map.zip").slug.as_str(), by("map.zip").matched_by),
        ("cm-land-use-2565", MatchedBy::Folder)
    );
    assert_eq!(plan.unmatched.len(), 1, "random.txt; hidden files are ignored");

    let mut seen = Vec::new();
    let stopped = folder::apply(&plan, &mut store, "tester", |done, total| {
        seen.push((done, total));
        false
    })
    .unwrap();
    assert!(stopped.cancelled);
    assert_eq!((stopped.attached, seen), (1, vec![(1, 3)]));

    let rest = folder::apply(&folder::plan(&files, &store).unwrap(), &mut store, "tester", |_, _| {
        true
    })
    .unwrap();
    assert_eq!((rest.attached, rest.skipped, rest.cancelled), (2, 1, false));
    let again = folder::plan(&files, &store).unwrap();
    assert!(again.matches.iter().all(|m| m.already_attached));
}

#[path = "../../core/tests/support/mod.rs"]
mod gate;

/// Issue #11: files attached by a bulk import and a folder attach are never previewed, yet the
/// publish gate names each of them until it is checked, and then holds for the personal data found.
#[test]
fn files_attached_by_import_are_unchecked_and_keep_their_drafts_private_until_scanned() {
    let (dir, mut store) = temp_store();
    let schema = Schema::built_in();
    let applied = apply(&plan_file(&sample(), schema, &store).unwrap(), &mut store, "tester").unwrap();
    assert!(
        store.analysis_queue().unwrap().is_empty(),
        "the template's resources are links, nothing to scan"
    );
    let files = dir.path().join("files");
    std::fs::create_dir_all(&files).unwrap();
    gate::write_people_csv(&files, "otop.csv", 300);
    std::fs::write(files.join("cm-border-trade.pdf"), "%PDF-1.4").unwrap();
    let plan = folder::plan(&files, &store).unwrap();
    folder::apply(&plan, &mut store, "tester", |_, _| true).unwrap();
    let otop = plan.matches.iter().find(|m| m.path.ends_with("otop.csv")).unwrap();
    let border = plan
        .matches
        .iter()
        .find(|m| m.path.ends_with("cm-border-trade.pdf"))
        .unwrap();
    assert!(applied.draft_ids.contains(&otop.draft_id));
    gate::make_public(&mut store, &otop.draft_id);

    let view = |store: &catalog_core::Store, id: &str| catalog_core::metadata::view(store, schema, id).unwrap();
    let unchecked = view(&store, &otop.draft_id);
    assert!(!unchecked.access.public_allowed);
    assert!(
        gate::reasons(&unchecked).contains(&"otop.csv has not been checked for personal data yet.".to_owned()),
        "{:?}",
        gate::reasons(&unchecked)
    );
    assert!(gate::reasons_th(&unchecked).contains(&"ยังไม่ได้ตรวจไฟล์ “otop.csv” หาข้อมูลส่วนบุคคล".to_owned()));
    let pdf_draft = view(&store, &border.draft_id);
    assert!(
        pdf_draft.scans.iter().all(|s| !s.state.unchecked()),
        "a PDF and links are not scannable, so they do not block"
    );

    assert_eq!(gate::analyse_queue(&store), 1);
    let scanned = view(&store, &otop.draft_id);
    assert!(!scanned.access.public_allowed);
    assert!(gate::reasons(&scanned)
        .iter()
        .any(|r| r.starts_with("Personal data in “otop.csv” (3 hints")));
    assert!(!gate::reasons(&scanned)
        .iter()
        .any(|r| r.contains("has not been checked")));
}
