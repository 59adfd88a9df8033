//! A draft goes to the data steward's computer as a review package and comes back approved, its files'
//! analyses and hint decisions with it; damaged or hostile packages change nothing; older packages
//! without analyses still import, their files to be scanned again.

mod support;

use std::io::Write;
use std::path::Path;

use catalog_core::analysis::ScanState;
use catalog_core::metadata;
use catalog_core::package::{self, Comparison, PackageError};
use catalog_core::{DraftState, ReviewDecision, RevisionAction, Store};
use catalog_schema::Schema;
use zip::write::SimpleFileOptions;

fn store(dir: &Path, name: &str) -> Store {
    Store::open(&dir.join(name)).unwrap()
}

/// An editor's draft with one file, submitted for review.
fn submitted_draft(dir: &Path, editor: &mut Store) -> String {
    let draft = editor.create_draft("สถิติการเกิด จังหวัดน่าน", "somchai").unwrap();
    editor
        .set_field(&draft.id, "notes", serde_json::json!("จำนวนการเกิดรายเดือน"), "somchai")
        .unwrap();
    let file = dir.join("births.csv");
    std::fs::write(&file, "เดือน,จำนวน\nม.ค.,120\n").unwrap();
    editor.attach_file(&draft.id, &file, "somchai").unwrap();
    editor.review(&draft.id, ReviewDecision::Submit, "somchai", "").unwrap();
    draft.id
}

#[test]
fn a_draft_travels_to_the_steward_and_comes_back_approved() {
    let dir = tempfile::tempdir().unwrap();
    let mut editor = store(dir.path(), "editor");
    let mut steward = store(dir.path(), "steward");
    let id = submitted_draft(dir.path(), &mut editor);

    let outgoing = dir.path().join("to-steward.cdpkg");
    let manifest = package::export(&editor, &id, &outgoing, "somchai").unwrap();
    assert_eq!(manifest.draft_id, id);
    let incoming = package::read(&steward, Schema::built_in(), &outgoing).unwrap();
    assert_eq!(incoming.comparison, Comparison::New);
    package::apply(&mut steward, &incoming, "somying").unwrap();
    let received = steward.draft(&id).unwrap();
    assert_eq!(received.state, DraftState::Submitted);
    assert_eq!(received.metadata, editor.draft(&id).unwrap().metadata);
    let file = &steward.resources(&id).unwrap()[0];
    assert_eq!(
        std::fs::read_to_string(steward.blobs().path_of(&file.sha256)).unwrap(),
        "เดือน,จำนวน\nม.ค.,120\n"
    );

    steward
        .review(&id, ReviewDecision::Approve, "somying", "ถูกต้อง")
        .unwrap();
    let back = dir.path().join("approved.cdpkg");
    package::export(&steward, &id, &back, "somying").unwrap();
    let returning = package::read(&editor, Schema::built_in(), &back).unwrap();
    match &returning.comparison {
        Comparison::Newer { changes, state, .. } => {
            assert!(changes.is_empty(), "the steward changed no field");
            assert_eq!(state.as_ref().map(|(_, to)| to.as_str()), Some("\"approved\""));
        }
        other => panic!("expected a newer version, got {other:?}"),
    }
    package::apply(&mut editor, &returning, "somchai").unwrap();
    assert_eq!(editor.draft(&id).unwrap().state, DraftState::Approved);
    let log = editor.revisions(&id).unwrap();
    let approval = log
        .iter()
        .find(|r| r.action == RevisionAction::StateChanged && r.detail["to"] == "approved")
        .unwrap();
    assert_eq!(
        approval.actor, "somying",
        "the steward's approval is in the editor's log with the steward's name"
    );
    assert_eq!(
        log.iter().filter(|r| r.action == RevisionAction::Created).count(),
        1,
        "no revision twice"
    );
    assert_eq!(log.last().unwrap().action, RevisionAction::PackageImported);

    assert_eq!(
        package::read(&editor, Schema::built_in(), &back).unwrap().comparison,
        Comparison::Same,
        "importing again changes nothing"
    );
}

#[test]
fn an_older_package_is_refused_so_local_edits_are_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let mut editor = store(dir.path(), "editor");
    let id = submitted_draft(dir.path(), &mut editor);
    let old = dir.path().join("old.cdpkg");
    package::export(&editor, &id, &old, "somchai").unwrap();
    editor
        .set_field(&id, "notes", serde_json::json!("แก้หลังส่งออก"), "somchai")
        .unwrap();
    let incoming = package::read(&editor, Schema::built_in(), &old).unwrap();
    assert_eq!(incoming.comparison, Comparison::Older);
    assert!(matches!(
        package::apply(&mut editor, &incoming, "somchai"),
        Err(PackageError::OlderThanLocal)
    ));
    assert_eq!(editor.draft(&id).unwrap().metadata["notes"], "แก้หลังส่งออก");
}

fn zip_with(path: &Path, entries: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in entries {
        zip.start_file(*name, SimpleFileOptions::default()).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn damaged_and_hostile_packages_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut editor = store(dir.path(), "editor");
    let steward = store(dir.path(), "steward");
    let id = submitted_draft(dir.path(), &mut editor);
    let good = dir.path().join("good.cdpkg");
    package::export(&editor, &id, &good, "somchai").unwrap();
    let bytes = std::fs::read(&good).unwrap();

    let truncated = dir.path().join("truncated.cdpkg");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    assert!(package::read(&steward, Schema::built_in(), &truncated).is_err());

    for evil in ["../../etc/passwd", "/tmp/evil", "files/../../x", "extra.txt"] {
        let path = dir.path().join("evil.cdpkg");
        zip_with(&path, &[(evil, b"x")]);
        match package::read(&steward, Schema::built_in(), &path) {
            Err(PackageError::UnsafeEntry(name)) => assert_eq!(name, evil),
            other => panic!("{evil}: expected an unsafe entry, got {other:?}"),
        }
    }

    // The right names, but a file whose bytes do not match its declared hash.
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&good).unwrap()).unwrap();
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut content).unwrap();
        if entry.name().unwrap().starts_with("files/") {
            content[0] ^= 0xff;
        }
        entries.push((entry.name().unwrap().into_owned(), content));
    }
    let tampered = dir.path().join("tampered.cdpkg");
    zip_with(
        &tampered,
        &entries
            .iter()
            .map(|(n, c)| (n.as_str(), c.as_slice()))
            .collect::<Vec<_>>(),
    );
    assert!(matches!(
        package::read(&steward, Schema::built_in(), &tampered),
        Err(PackageError::Damaged(_))
    ));

    assert!(
        steward.list_drafts("").unwrap().is_empty(),
        "no bad package created a draft"
    );
    assert!(steward.blobs().all().is_empty(), "the tampered file is not kept");
    assert!(matches!(
        package::read(&steward, Schema::built_in(), &dir.path().join("births.csv")),
        Err(PackageError::NotAPackage(_))
    ));
}

/// Every entry of a package, with `draft.json` passed through `edit`.
fn rewritten(package: &Path, out: &Path, edit: impl Fn(&mut serde_json::Value)) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(package).unwrap()).unwrap();
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut content).unwrap();
        let name = entry.name().unwrap().into_owned();
        if name == "draft.json" {
            let mut json: serde_json::Value = serde_json::from_slice(&content).unwrap();
            edit(&mut json);
            content = serde_json::to_vec(&json).unwrap();
        }
        entries.push((name, content));
    }
    zip_with(
        out,
        &entries
            .iter()
            .map(|(n, c)| (n.as_str(), c.as_slice()))
            .collect::<Vec<_>>(),
    );
}

#[test]
fn the_files_analyses_and_hint_decisions_travel_and_the_gate_holds_on_both_computers() {
    let dir = tempfile::tempdir().unwrap();
    let schema = Schema::built_in();
    let mut editor = store(dir.path(), "editor");
    let mut steward = store(dir.path(), "steward");
    let draft = editor.create_draft("ผู้รับเบี้ยยังชีพ", "somchai").unwrap();
    support::make_public(&mut editor, &draft.id);
    let file = support::write_people_csv(dir.path(), "people.csv", 500);
    let file = editor.attach_file(&draft.id, &file, "somchai").unwrap();
    assert_eq!(support::analyse_queue(&editor), 1);
    let phone = metadata::view(&editor, schema, &draft.id)
        .unwrap()
        .hints
        .into_iter()
        .find(|h| h.hint.id.starts_with("phone_number"))
        .unwrap();
    editor
        .decide_hint(
            &file.id,
            &phone.hint.id,
            &phone.hint.column.name,
            false,
            "เบอร์กลางของหน่วยงาน",
            "somchai",
        )
        .unwrap();
    editor.review(&draft.id, ReviewDecision::Submit, "somchai", "").unwrap();
    let at_editor = metadata::view(&editor, schema, &draft.id).unwrap();
    assert_eq!(at_editor.hints.len(), 3);

    let outgoing = dir.path().join("to-steward.cdpkg");
    package::export(&editor, &draft.id, &outgoing, "somchai").unwrap();
    let incoming = package::read(&steward, schema, &outgoing).unwrap();
    package::apply(&mut steward, &incoming, "somying").unwrap();
    let at_steward = metadata::view(&steward, schema, &draft.id).unwrap();
    assert_eq!(at_steward.hints, at_editor.hints, "the same hints and decisions");
    assert_eq!(at_steward.scans[0].state, ScanState::Done, "no need to scan again");
    assert!(steward.analysis_queue().unwrap().is_empty());
    assert_eq!(
        support::reasons(&at_steward),
        ["Personal data in “people.csv” (2 hints not dismissed with a reason)."]
    );

    steward
        .review(&draft.id, ReviewDecision::Approve, "somying", "ตรวจแล้ว")
        .unwrap();
    let back = dir.path().join("approved.cdpkg");
    package::export(&steward, &draft.id, &back, "somying").unwrap();
    let returning = package::read(&editor, schema, &back).unwrap();
    package::apply(&mut editor, &returning, "somchai").unwrap();
    let approved = metadata::view(&editor, schema, &draft.id).unwrap();
    assert_eq!(approved.draft.state, DraftState::Approved);
    assert_eq!(approved.hints, at_editor.hints, "the editor keeps the hints");
    assert_eq!(approved.scans[0].state, ScanState::Done);
    assert!(
        !approved.access.public_allowed,
        "an undismissed citizen-ID hint still closes the gate"
    );

    let old = dir.path().join("old-format.cdpkg");
    rewritten(&outgoing, &old, |json| {
        json.as_object_mut().unwrap().remove("analyses");
    });
    let third = {
        let mut third = store(dir.path(), "third");
        let incoming = package::read(&third, schema, &old).unwrap();
        package::apply(&mut third, &incoming, "somsak").unwrap();
        third
    };
    let unscanned = metadata::view(&third, schema, &draft.id).unwrap();
    assert_eq!(unscanned.scans[0].state, ScanState::Missing);
    assert!(unscanned.hints.is_empty());
    assert_eq!(
        support::reasons(&unscanned),
        ["people.csv has not been checked for personal data yet."]
    );
    assert_eq!(third.analysis_queue().unwrap(), [file.id.as_str()]);

    let stray = dir.path().join("stray.cdpkg");
    rewritten(&outgoing, &stray, |json| {
        json["analyses"][0]["resource_id"] = serde_json::json!("someone-else");
    });
    assert!(matches!(
        package::read(&store(dir.path(), "fourth"), schema, &stray),
        Err(PackageError::Damaged(_))
    ));
}
