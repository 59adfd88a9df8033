//! Store tests: migrations, CRUD, the revision log, deduplication and the bad-database cases.

use std::fs;

use rusqlite::Connection;

use super::migrations::{self, LATEST, MIGRATIONS};
use super::*;
use crate::{DraftState, ReviewDecision, RevisionAction};

/// A store in `<tmp>/data`; test input files go beside it in `<tmp>`.
fn open_temp() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("data")).unwrap();
    (dir, store)
}

fn write(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, contents).unwrap();
    path
}

#[test]
fn a_new_store_is_at_the_latest_version_in_wal_mode_with_foreign_keys() {
    let (_dir, store) = open_temp();
    assert_eq!(migrations::current_version(&store.conn).unwrap(), LATEST);
    let mode: String = store.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = store.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
}

/// Fills a database at `version` with what that version could hold, so upgrading it shows whether data
/// survives.
fn seed_at_version(conn: &Connection, version: i64) {
    if version >= 1 {
        conn.execute_batch(
            "INSERT INTO drafts (id, title, slug, created_at, updated_at) VALUES ('d1', 'สถิติประชากร', 'ds-d1', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
             INSERT INTO revisions (draft_id, at, actor, action, detail) VALUES ('d1', '2026-01-01T00:00:00.000Z', 'somchai', 'created', '{}');",
        )
        .unwrap();
    }
    if version >= 2 {
        conn.execute("INSERT INTO settings (key, value) VALUES ('language', 'en')", [])
            .unwrap();
    }
}

#[test]
fn every_earlier_version_migrates_to_the_latest_keeping_its_data() {
    for start in 0..=LATEST {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut conn = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
            migrations::migrate_to(&mut conn, start).unwrap();
            seed_at_version(&conn, start);
        }
        let store = Store::open(dir.path()).unwrap_or_else(|e| panic!("opening a version {start} database: {e}"));
        assert_eq!(
            migrations::current_version(&store.conn).unwrap(),
            LATEST,
            "from version {start}"
        );
        if start >= 1 {
            assert_eq!(store.draft("d1").unwrap().title, "สถิติประชากร", "from version {start}");
            assert_eq!(store.revisions("d1").unwrap().len(), 1, "from version {start}");
        }
        if start >= 2 {
            assert_eq!(store.setting("language").unwrap().as_deref(), Some("en"));
        }
        let violations: i64 = store
            .conn
            .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(violations, 0);
    }
    assert_eq!(LATEST as usize, MIGRATIONS.len());
}

#[test]
fn create_list_search_rename_delete() {
    let (_dir, mut store) = open_temp();
    assert!(!store.has_drafts().unwrap(), "a fresh store holds no draft");
    let nan = store.create_draft("  สถิติประชากร   จังหวัดน่าน ", "somchai").unwrap();
    assert!(store.has_drafts().unwrap());
    assert_eq!(nan.title, "สถิติประชากร จังหวัดน่าน");
    assert!(uuid::Uuid::parse_str(&nan.id).is_ok());
    assert!(
        nan.slug.starts_with("ds-") && nan.slug.len() == 11,
        "a Thai title gets a short stable id"
    );
    assert_eq!(nan.metadata["title"], "สถิติประชากร จังหวัดน่าน");
    assert_eq!(nan.metadata["name"], nan.slug.as_str());
    let budget = store.create_draft("Budget FY2565", "somchai").unwrap();
    assert_eq!(budget.slug, "budget-fy2565");

    let all = store.list_drafts("").unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].id, budget.id, "most recently updated first");
    assert_eq!(
        store
            .list_drafts("น่าน")
            .unwrap()
            .iter()
            .map(|d| &d.id)
            .collect::<Vec<_>>(),
        vec![&nan.id]
    );
    assert_eq!(
        store.list_drafts("budget").unwrap().len(),
        1,
        "Latin search ignores case"
    );
    assert!(store.list_drafts("ไม่มีชื่อนี้").unwrap().is_empty());

    let renamed = store.rename_draft(&nan.id, "สถิติการเกิด จังหวัดน่าน", "somying").unwrap();
    assert_eq!(renamed.id, nan.id, "the id never changes");
    assert_eq!(renamed.slug, nan.slug);
    assert_eq!(store.draft(&nan.id).unwrap().title, "สถิติการเกิด จังหวัดน่าน");

    store.delete_draft(&budget.id, "somchai").unwrap();
    assert!(matches!(store.draft(&budget.id), Err(StoreError::DraftNotFound(_))));
    assert_eq!(store.list_drafts("").unwrap().len(), 1);
}

#[test]
fn empty_titles_are_refused() {
    let (_dir, mut store) = open_temp();
    assert!(matches!(store.create_draft("   ", "a"), Err(StoreError::EmptyTitle)));
    let draft = store.create_draft("x", "a").unwrap();
    assert!(matches!(
        store.rename_draft(&draft.id, "", "a"),
        Err(StoreError::EmptyTitle)
    ));
}

#[test]
fn every_change_is_in_the_revision_log_with_who_and_what() {
    let (dir, mut store) = open_temp();
    let draft = store.create_draft("ชุดข้อมูล ก", "somchai").unwrap();
    store.rename_draft(&draft.id, "ชุดข้อมูล ข", "somying").unwrap();
    store.rename_draft(&draft.id, "ชุดข้อมูล ข", "somying").unwrap();
    let file = write(dir.path(), "a.csv", "a,b\n1,2\n");
    let resource = store.attach_file(&draft.id, &file, "somchai").unwrap();
    store.remove_resource(&resource.id, "somchai").unwrap();
    store.delete_draft(&draft.id, "somying").unwrap();

    let log = store.revisions(&draft.id).unwrap();
    let actions: Vec<_> = log.iter().map(|r| r.action).collect();
    assert_eq!(
        actions,
        vec![
            RevisionAction::Created,
            RevisionAction::FieldChanged,
            RevisionAction::ResourceAdded,
            RevisionAction::ResourceRemoved,
            RevisionAction::Deleted
        ],
        "a rename to the same title is not logged"
    );
    assert_eq!(log[1].actor, "somying");
    assert_eq!(
        log[1].detail,
        serde_json::json!({"field": "title", "before": "ชุดข้อมูล ก", "after": "ชุดข้อมูล ข"})
    );
    assert_eq!(log[2].detail["name"], "a.csv");
    assert!(log.windows(2).all(|w| w[0].seq < w[1].seq && w[0].at <= w[1].at));
}

#[test]
fn the_revision_log_cannot_be_rewritten() {
    let (_dir, mut store) = open_temp();
    let draft = store.create_draft("x", "a").unwrap();
    assert!(store
        .conn
        .execute("UPDATE revisions SET actor = 'mallory'", [])
        .is_err());
    assert!(store.conn.execute("DELETE FROM revisions", []).is_err());
    assert_eq!(store.revisions(&draft.id).unwrap()[0].actor, "a");
}

#[test]
fn attached_files_survive_the_original_being_deleted_and_are_deduplicated() {
    let (dir, mut store) = open_temp();
    let a = store.create_draft("A", "u").unwrap();
    let b = store.create_draft("B", "u").unwrap();
    let original = write(dir.path(), "births.csv", "ปี,จำนวน\n2567,100\n");
    let first = store.attach_file(&a.id, &original, "u").unwrap();
    let second = store.attach_file(&b.id, &original, "u").unwrap();
    fs::remove_file(&original).unwrap();

    assert_eq!(first.sha256, second.sha256);
    assert_eq!(first.name, "births.csv");
    assert_eq!(first.media_type, "text/csv");
    assert_eq!(first.size, "ปี,จำนวน\n2567,100\n".len() as u64);
    assert_eq!(store.blobs().all().len(), 1, "one copy for two references");
    let copy = dir.path().join("data").join(&first.stored_path);
    assert_eq!(fs::read_to_string(&copy).unwrap(), "ปี,จำนวน\n2567,100\n");

    store.remove_resource(&first.id, "u").unwrap();
    assert!(copy.exists(), "still used by draft B");
    store.delete_draft(&b.id, "u").unwrap();
    assert!(!copy.exists(), "the last reference removed the copy");
    assert!(store.blobs().all().is_empty());
    assert_eq!(store.list_drafts("").unwrap()[0].resource_count, 0);
}

#[test]
fn relative_paths_and_the_data_folder_itself_cannot_be_attached() {
    let (dir, mut store) = open_temp();
    let draft = store.create_draft("A", "u").unwrap();
    assert!(matches!(
        store.attach_file(&draft.id, Path::new("relative.csv"), "u"),
        Err(StoreError::NotAFile { .. })
    ));
    let own_database = dir.path().join("data").join(DATABASE_FILE);
    fs::create_dir(dir.path().join("elsewhere")).unwrap();
    let roundabout = dir.path().join("elsewhere").join("..").join("data").join(DATABASE_FILE);
    for path in [&own_database, &roundabout] {
        assert!(
            matches!(
                store.attach_file(&draft.id, path, "u"),
                Err(StoreError::InsideDataFolder { .. })
            ),
            "{}",
            path.display()
        );
    }
    assert!(store.resources(&draft.id).unwrap().is_empty());
    fs::create_dir(dir.path().join("data-2566")).unwrap();
    let beside = write(&dir.path().join("data-2566"), "a.csv", "x");
    assert!(
        store.attach_file(&draft.id, &beside, "u").is_ok(),
        "a folder named alike is another folder"
    );
}

#[test]
fn attaching_to_a_missing_draft_stores_nothing() {
    let (dir, mut store) = open_temp();
    let file = write(dir.path(), "a.csv", "x");
    assert!(matches!(
        store.attach_file("nope", &file, "u"),
        Err(StoreError::DraftNotFound(_))
    ));
    assert!(store.blobs().all().is_empty());
}

#[test]
fn orphan_blobs_from_an_interrupted_attach_are_collected_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a.csv", "orphan");
    let data = dir.path().join("data");
    let sha = {
        let store = Store::open(&data).unwrap();
        store.blobs().ingest(&file).unwrap().sha256
    };
    let store = Store::open(&data).unwrap();
    assert!(!store.blobs().path_of(&sha).exists());
}

#[test]
fn a_corrupt_database_is_reported_and_kept_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(DATABASE_FILE);
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    fs::write(&db, &garbage).unwrap();
    let err = Store::open(dir.path()).err().expect("a corrupt database must not open");
    assert!(matches!(err, StoreError::Corrupt { .. }), "got {err:?}");
    let message = catalog_error::ToUserMessage::to_user_message(&err);
    assert_eq!(message.code, "store.corrupt");
    assert!(message.message.th.contains("เสียหาย"));
    assert_eq!(fs::read(&db).unwrap(), garbage, "the damaged file is kept as it was");
}

#[test]
fn a_database_from_a_newer_app_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    {
        let conn = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
        conn.pragma_update(None, "user_version", LATEST + 5).unwrap();
    }
    let before = fs::read(dir.path().join(DATABASE_FILE)).unwrap();
    let err = Store::open(dir.path()).err().unwrap();
    assert!(matches!(err, StoreError::TooNew { found, .. } if found == LATEST + 5));
    assert_eq!(fs::read(dir.path().join(DATABASE_FILE)).unwrap(), before);
}

#[test]
fn a_locked_database_is_reported_and_works_again_once_released() {
    let (dir, mut store) = open_temp();
    let other = Connection::open(dir.path().join("data").join(DATABASE_FILE)).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let err = store.create_draft("ระหว่างล็อก", "u").unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "got {err:?}");
    assert_eq!(catalog_error::ToUserMessage::to_user_message(&err).code, "store.locked");
    other.execute_batch("ROLLBACK").unwrap();
    store.create_draft("หลังปลดล็อก", "u").unwrap();
}

#[test]
fn a_database_locked_before_first_open_is_reported_not_recreated() {
    let dir = tempfile::tempdir().unwrap();
    let other = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    other
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE keep_me (x); COMMIT;")
        .unwrap();
    let err = Store::open(dir.path()).err().expect("must not open while locked");
    assert!(matches!(err, StoreError::Locked { .. }), "got {err:?}");
    drop(other);
    let reopened = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    let kept: i64 = reopened
        .query_row("SELECT COUNT(*) FROM sqlite_master WHERE name = 'keep_me'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(kept, 1);
}

#[test]
fn settings_round_trip() {
    let (_dir, store) = open_temp();
    assert_eq!(store.setting("language").unwrap(), None);
    store.set_setting("language", "en").unwrap();
    store.set_setting("language", "th").unwrap();
    assert_eq!(store.setting("language").unwrap().as_deref(), Some("th"));
}

#[test]
fn field_edits_are_saved_logged_and_mirrored_in_the_list_columns() {
    let (_dir, mut store) = open_temp();
    let draft = store.create_draft("ชุดข้อมูล", "u").unwrap();
    let edited = store
        .set_field(&draft.id, "data_type", serde_json::json!("ข้อมูลสถิติ"), "u")
        .unwrap();
    assert_eq!(edited.data_type.as_deref(), Some("ข้อมูลสถิติ"));
    store
        .set_field(&draft.id, "name", serde_json::json!("births-2567"), "u")
        .unwrap();
    store
        .set_field(&draft.id, "objective", serde_json::json!(["พันธกิจหน่วยงาน"]), "u")
        .unwrap();
    let again = store
        .set_field(&draft.id, "objective", serde_json::json!(["พันธกิจหน่วยงาน"]), "u")
        .unwrap();
    assert_eq!(again.metadata["objective"], serde_json::json!(["พันธกิจหน่วยงาน"]));
    assert_eq!(again.slug, "births-2567");
    let listed = &store.list_drafts("").unwrap()[0];
    assert_eq!(listed.slug, "births-2567");
    assert_eq!(listed.data_type.as_deref(), Some("ข้อมูลสถิติ"));

    let cleared = store
        .set_field(&draft.id, "objective", serde_json::json!([]), "u")
        .unwrap();
    assert!(
        !cleared.metadata.contains_key("objective"),
        "a cleared field is removed, not stored empty"
    );
    let changes = store
        .revisions(&draft.id)
        .unwrap()
        .into_iter()
        .filter(|r| r.action == RevisionAction::FieldChanged)
        .count();
    assert_eq!(changes, 4, "setting the same value again is not logged");
}

#[test]
fn undo_walks_back_through_field_changes_of_the_draft_and_its_files() {
    let (dir, mut store) = open_temp();
    let draft = store.create_draft("ก", "u").unwrap();
    let file = write(dir.path(), "a.csv", "x");
    let resource = store.attach_file(&draft.id, &file, "u").unwrap();
    assert_eq!(resource.metadata["name"], "a.csv");
    assert_eq!(
        resource.metadata["url"], "a.csv",
        "an uploaded file's URL is its file name, as in CKAN"
    );
    assert_eq!(resource.metadata["format"], "CSV");
    store
        .set_field(&draft.id, "notes", serde_json::json!("คำอธิบาย"), "u")
        .unwrap();
    store
        .set_resource_field(&resource.id, "name", serde_json::json!("ข้อมูลการเกิด"), "u")
        .unwrap();
    assert_eq!(store.resource(&resource.id).unwrap().name, "ข้อมูลการเกิด");

    assert!(store.undo_last_change(&draft.id, "u").unwrap());
    assert_eq!(store.resource(&resource.id).unwrap().metadata["name"], "a.csv");
    assert_eq!(store.resource(&resource.id).unwrap().name, "a.csv");
    assert!(store.undo_last_change(&draft.id, "u").unwrap());
    assert!(!store.draft(&draft.id).unwrap().metadata.contains_key("notes"));
    assert!(!store.undo_last_change(&draft.id, "u").unwrap(), "nothing left to undo");
    let undos = store
        .revisions(&draft.id)
        .unwrap()
        .into_iter()
        .filter(|r| r.detail.get("undo_of").is_some())
        .count();
    assert_eq!(undos, 2, "each undo is itself in the log");
}

#[test]
fn the_review_goes_draft_submitted_approved_and_an_edit_sends_it_back() {
    let (dir, mut store) = open_temp();
    let draft = store.create_draft("ชุดข้อมูลตรวจทาน", "editor").unwrap();
    let approve_first = store.review(&draft.id, ReviewDecision::Approve, "steward", "");
    assert!(matches!(
        approve_first,
        Err(StoreError::ReviewStepNotAllowed {
            from: DraftState::Draft,
            ..
        })
    ));

    assert_eq!(
        store
            .review(&draft.id, ReviewDecision::Submit, "editor", "")
            .unwrap()
            .state,
        DraftState::Submitted
    );
    assert!(matches!(
        store.review(&draft.id, ReviewDecision::RequestChanges, "steward", "  "),
        Err(StoreError::ReviewNoteRequired)
    ));
    let sent_back = store
        .review(&draft.id, ReviewDecision::RequestChanges, "steward", "ระบุแหล่งที่มา")
        .unwrap();
    assert_eq!(sent_back.state, DraftState::ChangesRequested);
    store.review(&draft.id, ReviewDecision::Submit, "editor", "").unwrap();
    assert_eq!(
        store
            .review(&draft.id, ReviewDecision::Approve, "steward", "ถูกต้อง")
            .unwrap()
            .state,
        DraftState::Approved
    );

    let file = write(dir.path(), "a.csv", "x");
    store.attach_file(&draft.id, &file, "editor").unwrap();
    assert_eq!(
        store.draft(&draft.id).unwrap().state,
        DraftState::Draft,
        "editing an approved draft reopens it"
    );

    let steps: Vec<_> = store
        .revisions(&draft.id)
        .unwrap()
        .into_iter()
        .filter(|r| r.action == RevisionAction::StateChanged)
        .map(|r| {
            (
                r.actor,
                r.detail["to"].as_str().unwrap().to_owned(),
                r.detail["note"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            ("editor".into(), "submitted".into(), "".into()),
            ("steward".into(), "changes_requested".into(), "ระบุแหล่งที่มา".into()),
            ("editor".into(), "submitted".into(), "".into()),
            ("steward".into(), "approved".into(), "ถูกต้อง".into()),
            ("editor".into(), "draft".into(), "".into()),
        ]
    );
}

#[test]
fn a_field_edit_to_a_submitted_draft_reopens_it_in_the_same_change() {
    let (_dir, mut store) = open_temp();
    let draft = store.create_draft("ก", "u").unwrap();
    store.review(&draft.id, ReviewDecision::Submit, "u", "").unwrap();
    store
        .set_field(&draft.id, "notes", serde_json::json!("แก้"), "u")
        .unwrap();
    assert_eq!(store.draft(&draft.id).unwrap().state, DraftState::Draft);
    let unchanged = store
        .set_field(&draft.id, "notes", serde_json::json!("แก้"), "u")
        .unwrap();
    assert_eq!(unchanged.state, DraftState::Draft);
}
