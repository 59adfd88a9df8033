//! Files as a Windows office computer has them. On every platform: Thai names and spaces in every folder
//! of the file's and of the data folder's path, paths longer than Windows' old 260-character limit
//! (attached, previewed, analysed, removed, and the store opened again), and a copy deleted while its
//! preview still reads it. On Windows only (scripts/test
//! runs these under Wine): a file that another program holds open without sharing, as Excel does with
//! its workbooks, is refused with a clear Thai/English message and nothing of it is half-attached.

mod support;

use std::path::{Path, PathBuf};

use catalog_core::preview::{PreviewChoice, PreviewTarget, Previews};
use catalog_core::Store;
use support::*;

/// Attaches a register of persons from `file_dir` to a new draft in the store at `data_dir`, then
/// previews, analyses, removes and re-attaches it, and opens the store again: every step must work
/// whatever the two paths look like.
fn attach_preview_analyse_and_reopen(data_dir: &Path, file_dir: &Path, file_name: &str) {
    std::fs::create_dir_all(file_dir).unwrap();
    let file = write_people_csv(file_dir, file_name, 150);
    let mut store = Store::open(data_dir).unwrap_or_else(|e| panic!("opens {}: {e:?}", data_dir.display()));
    let draft = store.create_draft("ผู้รับเบี้ยยังชีพ อำเภอเมืองน่าน", "somchai").unwrap();
    let resource = store
        .attach_file(&draft.id, &file, "somchai")
        .unwrap_or_else(|e| panic!("attaches {}: {e}", file.display()));
    assert_eq!(resource.name, file_name);
    assert_eq!(
        Path::new(&resource.original_path),
        file,
        "kept as the person's own path"
    );
    assert_eq!(resource.metadata["format"], "CSV");
    assert_eq!(
        std::fs::read(store.blobs().path_of(&resource.sha256)).unwrap(),
        std::fs::read(&file).unwrap()
    );

    let previews = Previews::default();
    let screen = previews
        .open(
            PreviewTarget::of(&store, &resource.id).unwrap(),
            &PreviewChoice::default(),
        )
        .unwrap_or_else(|e| panic!("previews: {e:?}"));
    assert_eq!(screen.layout.column_names.len(), 5);
    assert_eq!(screen.window.rows.len(), 150);
    previews.close(&resource.id);

    assert_eq!(analyse_queue(&store), 1);
    let analysis = store.resource_analysis(&resource.id).unwrap().expect("analysed");
    assert_eq!(analysis.data_rows, 150);
    assert!(analysis.hints.iter().any(|h| h.personal_data), "{:?}", analysis.hints);

    store.remove_resource(&resource.id, "somchai").unwrap();
    assert!(store.blobs().all().is_empty(), "the copy goes with its last reference");
    let again = store.attach_file(&draft.id, &file, "somchai").unwrap();
    drop(store);
    let store = Store::open(data_dir).unwrap();
    assert_eq!(store.resources(&draft.id).unwrap(), vec![again]);
}

#[test]
fn thai_names_and_spaces_in_the_file_and_the_data_folder_paths() {
    let dir = tempfile::tempdir().unwrap();
    attach_preview_analyse_and_reopen(
        &dir.path().join("ข้อมูล Catalog Desk").join("ที่เก็บ ฉบับร่าง"),
        &dir.path().join("เอกสาร ส่ง สสช.").join("ปีงบประมาณ 2567"),
        "ผู้รับเบี้ย (รายอำเภอ) ไตรมาส 1.csv",
    );
}

/// The preview keeps the copy open while the person scrolls; removing the file meanwhile deletes the
/// copy under it (on Windows a file open elsewhere may linger until closed), and attaching the same
/// file again must still make a fresh copy at the same place.
#[test]
fn a_copy_deleted_while_its_preview_reads_it_can_be_made_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("data")).unwrap();
    let draft = store.create_draft("ผู้รับเบี้ยยังชีพ", "somchai").unwrap();
    let file = write_people_csv(dir.path(), "ผู้รับเบี้ย.csv", 3000);
    let first = store.attach_file(&draft.id, &file, "somchai").unwrap();
    let previews = Previews::default();
    let open = |store: &Store, id: &str| {
        previews
            .open(PreviewTarget::of(store, id).unwrap(), &PreviewChoice::default())
            .unwrap_or_else(|e| panic!("previews: {e:?}"))
    };
    open(&store, &first.id);
    store.remove_resource(&first.id, "somchai").unwrap();
    let again = store.attach_file(&draft.id, &file, "somchai").unwrap();
    assert_eq!(again.sha256, first.sha256);
    let screen = open(&store, &again.id);
    assert_eq!(screen.window.rows.len(), 200);
    assert_eq!(
        previews.rows(&first.id, 2_900, 10).unwrap().rows.len(),
        10,
        "the first preview still reads what it opened"
    );
}

/// A folder `root/ชุดข้อมูล…/ชุดข้อมูล…/…` whose path is longer than `chars` characters (Thai letters
/// count one each, as they do in Windows' UTF-16 limit).
fn deep_folder(root: &Path, chars: usize) -> PathBuf {
    let mut path = root.to_owned();
    let mut level = 0;
    while path.to_str().unwrap().chars().count() <= chars {
        level += 1;
        path.push(format!("ชุดข้อมูลสถิติระดับจังหวัด ส่วนที่ {level}"));
    }
    path
}

#[test]
fn a_file_whose_path_is_longer_than_260_characters() {
    let dir = tempfile::tempdir().unwrap();
    let files = deep_folder(&dir.path().join("files"), 300);
    attach_preview_analyse_and_reopen(&dir.path().join("data"), &files, "ทะเบียนผู้รับเบี้ยยังชีพ ปี 2567.csv");
}

/// On Windows a data folder may be as deep as a file: the database is opened through SQLite's long-path
/// VFS there, and every copy inside (`blobs\sha256\ab\…`) is longer still. 400 Thai characters are
/// also past the 1040 bytes SQLite's default Windows VFS takes, so Wine (which has no 260 limit of its
/// own) shows the difference too.
#[cfg(windows)]
#[test]
fn a_data_folder_whose_path_is_longer_than_260_characters() {
    let dir = tempfile::tempdir().unwrap();
    let data = deep_folder(&dir.path().join("data"), 400);
    attach_preview_analyse_and_reopen(&data, &dir.path().join("files"), "ผู้รับเบี้ย.csv");
}

/// Elsewhere SQLite takes database paths of at most 512 bytes (170 Thai letters): a deeper data folder
/// is refused by name with what to do, before anything is written.
#[cfg(unix)]
#[test]
fn a_data_folder_too_deep_for_the_database_is_refused_with_what_to_do() {
    use catalog_core::StoreError;
    use catalog_error::ToUserMessage;

    let dir = tempfile::tempdir().unwrap();
    let data = deep_folder(&dir.path().join("data"), 200);
    let refused = Store::open(&data).map(|_| ()).unwrap_err();
    assert!(
        matches!(&refused, StoreError::PathTooLong { path } if path.starts_with(&data)),
        "{refused:?}"
    );
    let message = refused.to_user_message();
    assert_eq!(message.code, "store.path_too_long");
    assert!(message.message.th.contains("ยาวเกินไป"), "{}", message.message.th);
    assert!(message.message.en.contains("shorter path"), "{}", message.message.en);
    assert!(!data.exists(), "no folder made for a store that cannot be opened");
}

#[cfg(windows)]
mod held_open {
    use std::fs::OpenOptions;
    use std::os::windows::fs::OpenOptionsExt;

    use catalog_core::{RevisionAction, StoreError};
    use catalog_error::ToUserMessage;

    use super::*;

    #[test]
    fn a_file_another_program_holds_open_is_refused_with_a_clear_message_and_nothing_attached() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("data")).unwrap();
        let draft = store.create_draft("ผู้รับเบี้ยยังชีพ", "somchai").unwrap();
        let file = write_people_csv(dir.path(), "ผู้รับเบี้ย ไตรมาส 1.csv", 20);
        // As Excel keeps an open workbook: read and written by it, shared with no one.
        let excel = OpenOptions::new()
            .read(true)
            .write(true)
            .share_mode(0)
            .open(&file)
            .unwrap();

        let refused = store.attach_file(&draft.id, &file, "somchai").unwrap_err();
        assert!(
            matches!(&refused, StoreError::FileInUse { path } if *path == file),
            "{refused:?}"
        );
        let message = refused.to_user_message();
        assert_eq!(message.code, "file.in_use");
        assert!(
            message.message.th.contains("ถูกโปรแกรมอื่นเปิดอยู่ (เช่น Excel)"),
            "{}",
            message.message.th
        );
        assert!(message.message.th.contains("ผู้รับเบี้ย ไตรมาส 1.csv"), "names the file");
        assert!(message.message.en.contains("open in another program (such as Excel)"));

        assert!(store.resources(&draft.id).unwrap().is_empty(), "no resource row");
        assert!(store.blobs().all().is_empty(), "no copy");
        let blob_tmp = dir.path().join("data").join("blobs").join("tmp");
        assert_eq!(std::fs::read_dir(blob_tmp).unwrap().count(), 0, "no half copy");
        let logged: Vec<RevisionAction> = store
            .revisions(&draft.id)
            .unwrap()
            .into_iter()
            .map(|r| r.action)
            .collect();
        assert!(!logged.contains(&RevisionAction::ResourceAdded), "{logged:?}");

        drop(excel);
        let attached = store.attach_file(&draft.id, &file, "somchai").unwrap();
        assert_eq!(
            store.resources(&draft.id).unwrap(),
            vec![attached],
            "closed, it attaches"
        );
    }
}
