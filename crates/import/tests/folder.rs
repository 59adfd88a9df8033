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
