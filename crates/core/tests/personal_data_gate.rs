//! Issue #11: a file's personal data keeps its draft from being public whether or not anyone previewed
//! it. Files never scanned, stale, being scanned, interrupted or failed close the gate, naming the
//! file; once scanned, the personal-data hints close it until each is dismissed with a reason; a file
//! the app cannot read as a table (a PDF) does not block.

mod support;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use catalog_core::analysis::{self, AnalysisError, ScanState, ANALYSIS_VERSION};
use catalog_core::metadata::{self, DraftView};
use catalog_core::{hints, DraftState, Store};
use catalog_error::ToUserMessage;
use catalog_hints::HintKind;
use catalog_schema::Schema;
use support::*;

fn view(store: &Store, draft_id: &str) -> DraftView {
    metadata::view(store, Schema::built_in(), draft_id).unwrap()
}

/// An approved public draft with one never-previewed register of persons.
fn approved_with_people(dir: &Path, store: &mut Store) -> (String, String) {
    let draft = store.create_draft("ผู้รับเบี้ยยังชีพผู้สูงอายุ จังหวัดน่าน", "somchai").unwrap();
    make_public(store, &draft.id);
    let file = write_people_csv(dir, "people.csv", 2000);
    let resource = store.attach_file(&draft.id, &file, "somchai").unwrap();
    approve(store, &draft.id);
    (draft.id, resource.id)
}

#[test]
fn a_register_never_previewed_keeps_the_draft_private_until_scanned_and_dismissed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("data")).unwrap();
    let (draft, file) = approved_with_people(dir.path(), &mut store);
    assert_eq!(store.draft(&draft).unwrap().state, DraftState::Approved);

    let before = view(&store, &draft);
    assert!(!before.access.public_allowed && before.access.private);
    assert_eq!(
        reasons(&before),
        ["people.csv has not been checked for personal data yet."]
    );
    assert_eq!(reasons_th(&before), ["ยังไม่ได้ตรวจไฟล์ “people.csv” หาข้อมูลส่วนบุคคล"]);
    assert_eq!(before.scans[0].state, ScanState::Missing);
    assert_eq!(
        hints::gate_evidence(&store, &draft).unwrap().unchecked_files,
        before.scans,
        "the publisher reads the same evidence"
    );

    assert_eq!(store.analysis_queue().unwrap(), [file.as_str()]);
    let job = store.begin_analysis(&file).unwrap().expect("a job");
    assert_eq!(store.scan_state(&file).unwrap(), ScanState::Running);
    assert_eq!(
        reasons(&view(&store, &draft)),
        ["people.csv is being checked for personal data."]
    );
    let found = analysis::run(&job, &mut |_| {}, &AtomicBool::new(false)).unwrap();
    assert!(store.finish_analysis(&job, Ok(&found)).unwrap());
    assert_eq!(store.scan_state(&file).unwrap(), ScanState::Done);
    assert!(store.analysis_queue().unwrap().is_empty());
    assert!(
        store.begin_analysis(&file).unwrap().is_none(),
        "done is not scanned again"
    );
    let kept = store.resource_analysis(&file).unwrap().expect("kept");
    assert_eq!(kept, found);
    assert_eq!((kept.data_rows, kept.version), (2000, ANALYSIS_VERSION));
    assert_eq!(kept.profile.data_rows, 2000);

    let scanned = view(&store, &draft);
    assert!(!scanned.access.public_allowed, "still closed, now for the hints");
    assert_eq!(
        reasons(&scanned),
        ["Personal data in “people.csv” (3 hints not dismissed with a reason)."]
    );
    let personal: Vec<HintKind> = scanned
        .hints
        .iter()
        .filter(|h| h.hint.personal_data)
        .map(|h| h.hint.kind)
        .collect();
    assert_eq!(
        personal,
        [HintKind::ThaiCitizenId, HintKind::PersonalName, HintKind::PhoneNumber]
    );

    let first = &scanned.hints[0];
    store
        .decide_hint(&file, &first.hint.id, &first.hint.column.name, true, "", "somying")
        .unwrap();
    assert_eq!(
        hints::gate_evidence(&store, &draft).unwrap().personal_not_dismissed,
        3,
        "accepting a personal-data hint keeps it counting"
    );
    assert!(matches!(
        store.decide_hint(&file, &first.hint.id, &first.hint.column.name, false, " ", "somying"),
        Err(catalog_core::StoreError::DismissReasonRequired)
    ));
    for hint in scanned.hints.iter().filter(|h| h.hint.personal_data) {
        store
            .decide_hint(
                &file,
                &hint.hint.id,
                &hint.hint.column.name,
                false,
                "ข้อมูลสมมติสำหรับทดสอบ ไม่ใช่บุคคลจริง",
                "somying",
            )
            .unwrap();
    }
    assert_eq!(
        store.draft(&draft).unwrap().state,
        DraftState::Draft,
        "the decisions reopened it"
    );
    approve(&mut store, &draft);
    let open = view(&store, &draft);
    assert!(
        open.access.public_allowed && !open.access.private,
        "{:?}",
        reasons(&open)
    );
    let decided = &open.hints[0].decision.as_ref().unwrap();
    assert_eq!((decided.accepted, decided.actor.as_str()), (false, "somying"));
}

#[test]
fn an_interrupted_scan_keeps_the_gate_closed_and_is_queued_again() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (draft, file) = {
        let mut store = Store::open(&data).unwrap();
        let ids = approved_with_people(dir.path(), &mut store);
        store.begin_analysis(&ids.1).unwrap().expect("a job");
        ids
    };
    let store = Store::open(&data).unwrap();
    assert_eq!(store.scan_state(&file).unwrap(), ScanState::Running);
    assert_eq!(store.analysis_queue().unwrap(), [file.as_str()]);
    let closed = view(&store, &draft);
    assert!(!closed.access.public_allowed);
    assert_eq!(reasons(&closed), ["people.csv is being checked for personal data."]);

    let job = store
        .begin_analysis(&file)
        .unwrap()
        .expect("the interrupted scan runs again");
    let cancelled = analysis::run(&job, &mut |_| {}, &AtomicBool::new(true));
    assert!(matches!(cancelled, Err(AnalysisError::Cancelled)), "{cancelled:?}");
    store.abandon_analysis(&job).unwrap();
    assert_eq!(
        store.scan_state(&file).unwrap(),
        ScanState::Missing,
        "a cancel is not a failure"
    );
    assert_eq!(store.analysis_queue().unwrap(), [file.as_str()]);
    assert_eq!(analyse_queue(&store), 1);
    assert_eq!(store.scan_state(&file).unwrap(), ScanState::Done);
}

#[test]
fn another_version_or_layout_makes_the_analysis_stale_and_a_result_for_an_old_layout_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("data")).unwrap();
    let (draft, file) = approved_with_people(dir.path(), &mut store);

    let job = store.begin_analysis(&file).unwrap().unwrap();
    let mut older = analysis::run(&job, &mut |_| {}, &AtomicBool::new(false)).unwrap();
    older.version = ANALYSIS_VERSION - 1;
    assert!(store.finish_analysis(&job, Ok(&older)).unwrap());
    assert_eq!(store.scan_state(&file).unwrap(), ScanState::Stale);
    assert_eq!(store.resource_analysis(&file).unwrap(), None);
    assert_eq!(store.analysis_queue().unwrap(), [file.as_str()]);
    assert_eq!(
        reasons(&view(&store, &draft)),
        ["people.csv must be checked for personal data again (its table layout or the app changed)."]
    );
    assert_eq!(analyse_queue(&store), 1);
    assert_eq!(store.scan_state(&file).unwrap(), ScanState::Done);

    let detected = store.resource_analysis(&file).unwrap().unwrap().layout;
    let mut corrected = detected.clone();
    corrected.data_start += 1;
    let corrected_json = serde_json::to_value(&corrected).unwrap();
    store
        .set_resource_layout(&file, Some(&corrected_json), "somchai")
        .unwrap();
    assert_eq!(store.scan_state(&file).unwrap(), ScanState::Stale);
    assert!(!view(&store, &draft).access.public_allowed);

    let job = store.begin_analysis(&file).unwrap().unwrap();
    assert_eq!(job.saved_layout.as_ref(), Some(&corrected));
    store.set_resource_layout(&file, None, "somchai").unwrap();
    let meanwhile = analysis::run(&job, &mut |_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(meanwhile.data_rows, 1999, "read with the corrected layout");
    assert!(
        !store.finish_analysis(&job, Ok(&meanwhile)).unwrap(),
        "the layout changed while it ran: dropped"
    );
    assert_eq!(store.scan_state(&file).unwrap(), ScanState::Stale);
    assert_eq!(store.analysis_queue().unwrap(), [file.as_str()]);
    assert_eq!(analyse_queue(&store), 1);
    let again = store.resource_analysis(&file).unwrap().unwrap();
    assert_eq!((again.layout, again.data_rows), (detected, 2000));
}

#[test]
fn a_corrupt_workbook_fails_with_a_reason_and_a_pdf_does_not_block() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("data")).unwrap();
    let draft = store.create_draft("งบประมาณ", "somchai").unwrap();
    make_public(&mut store, &draft.id);
    let pdf = dir.path().join("รายงาน.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n").unwrap();
    let pdf = store.attach_file(&draft.id, &pdf, "somchai").unwrap();
    assert_eq!(store.scan_state(&pdf.id).unwrap(), ScanState::NotScannable);
    assert!(store.begin_analysis(&pdf.id).unwrap().is_none());
    assert!(store.analysis_queue().unwrap().is_empty());
    approve(&mut store, &draft.id);
    assert!(view(&store, &draft.id).access.public_allowed, "a PDF does not block");

    let broken = dir.path().join("broken.xlsx");
    std::fs::write(&broken, b"PK\x03\x04 this is not really a workbook").unwrap();
    let broken = store.attach_file(&draft.id, &broken, "somchai").unwrap();
    assert_eq!(analyse_queue(&store), 1);
    let ScanState::Failed { error } = store.scan_state(&broken.id).unwrap() else {
        panic!("expected a failure, got {:?}", store.scan_state(&broken.id));
    };
    assert!(!error.message.th.is_empty() && !error.message.en.is_empty());
    assert!(
        store.analysis_queue().unwrap().is_empty(),
        "a failure is not retried by itself"
    );
    approve(&mut store, &draft.id);
    let closed = view(&store, &draft.id);
    assert!(!closed.access.public_allowed);
    assert_eq!(
        reasons(&closed),
        [format!(
            "broken.xlsx could not be checked for personal data: {}",
            error.message.en
        )]
    );
    assert!(reasons_th(&closed)[0].starts_with("ตรวจไฟล์ “broken.xlsx” หาข้อมูลส่วนบุคคลไม่สำเร็จ: "));
    assert_eq!(closed.scans.len(), 2);
    store.requeue_analysis(&broken.id).unwrap();
    assert_eq!(store.analysis_queue().unwrap(), [broken.id.as_str()]);
    assert_eq!(AnalysisError::Cancelled.to_user_message().code, "analysis.cancelled");
}
