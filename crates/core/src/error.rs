//! Errors of the local store and the resource file store, each with a stable code and a Thai and
//! English message that says what happened and what to do. File contents and secrets never appear in
//! them; file paths do, because the person needs to know which file is meant.

use std::path::PathBuf;

use catalog_error::{ToUserMessage, UserMessage};

use crate::store::{DraftState, ReviewDecision};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another program (often a second Catalog Desk window) holds the database lock.
    #[error("the database {path} is locked by another program")]
    Locked { path: PathBuf },

    /// The database file is damaged or is not a Catalog Desk database. It is kept as it is.
    #[error("the database {path} is damaged or not a Catalog Desk database: {detail}")]
    Corrupt { path: PathBuf, detail: String },

    /// The database was written by a newer Catalog Desk; opening it here could damage it.
    #[error("the database {path} has schema version {found}, newer than this app's {supported}")]
    TooNew { path: PathBuf, found: i64, supported: i64 },

    /// The data folder's path is longer than SQLite can open on this platform (512 bytes outside Windows).
    #[error("the path {path} is too long for the database")]
    PathTooLong { path: PathBuf },

    /// The disk is full (or the file system refuses a file this large) while writing.
    #[error("no space left while writing {path}")]
    DiskFull { path: PathBuf },

    /// A file chosen by the person could not be read.
    #[error("cannot read {path}: {reason}")]
    FileUnreadable { path: PathBuf, reason: String },

    /// The file is open in another program that lets no one else read or write it, as Excel does with
    /// the workbooks it has open (Windows only: elsewhere file locks do not stop a reader).
    #[error("{path} is open in another program")]
    FileInUse { path: PathBuf },

    /// A path given for attaching is not a regular file (a folder, a device, missing…).
    #[error("{path} is not a file that can be attached")]
    NotAFile { path: PathBuf },

    /// Files inside Catalog Desk's own data folder (its database, its copies) cannot be attached.
    #[error("{path} is inside Catalog Desk's data folder")]
    InsideDataFolder { path: PathBuf },

    /// A review step that does not follow from the draft's state (e.g. approving a draft not submitted).
    #[error("cannot {decision:?} a draft in state {from:?}")]
    ReviewStepNotAllowed { from: DraftState, decision: ReviewDecision },

    /// Submitting a draft that still has errors.
    #[error("the draft still has {errors} errors")]
    NotReadyForReview { errors: usize },

    /// Dismissing a classification hint without saying why.
    #[error("a reason is required to dismiss a hint")]
    DismissReasonRequired,

    /// Sending a draft back without saying what to change.
    #[error("a note is required when requesting changes")]
    ReviewNoteRequired,

    /// A resource that is only a link (imported from a template) has no file here to read.
    #[error("resource {name} is a link without a local copy")]
    NoLocalCopy { name: String },

    #[error("draft {0} not found")]
    DraftNotFound(String),

    #[error("resource {0} not found")]
    ResourceNotFound(String),

    #[error("a dataset title cannot be empty")]
    EmptyTitle,

    #[error("database error: {0}")]
    Database(String),

    #[error("file system error at {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

impl StoreError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        let path = path.into();
        if is_out_of_space(&source) {
            StoreError::DiskFull { path }
        } else {
            StoreError::Io { path, source }
        }
    }

    pub(crate) fn sqlite(path: &std::path::Path, err: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match err.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked { path: path.to_owned() },
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
                path: path.to_owned(),
                detail: err.to_string(),
            },
            Some(ErrorCode::DiskFull) => StoreError::DiskFull { path: path.to_owned() },
            _ => StoreError::Database(err.to_string()),
        }
    }
}

/// Whether the operation failed because another program holds the file open without sharing it
/// (Windows' sharing and lock violations; Excel keeps the workbooks it has open so).
pub fn held_by_another_program(err: &std::io::Error) -> bool {
    /// ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION.
    const IN_USE: [i32; 2] = [32, 33];
    cfg!(windows) && err.raw_os_error().is_some_and(|code| IN_USE.contains(&code))
}

fn is_out_of_space(err: &std::io::Error) -> bool {
    matches!(
        err.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::FileTooLarge
    )
}

impl ToUserMessage for StoreError {
    fn to_user_message(&self) -> UserMessage {
        match self {
            StoreError::Locked { path } => UserMessage::new(
                "store.locked",
                format!("ฐานข้อมูล {} ถูกโปรแกรมอื่นใช้งานอยู่ (อาจเปิด Catalog Desk ค้างไว้อีกหน้าต่าง) ปิดโปรแกรมนั้นแล้วลองใหม่ ข้อมูลของท่านยังอยู่ครบ", path.display()),
                format!("The database {} is in use by another program (perhaps another Catalog Desk window). Close it and try again; your data is safe.", path.display()),
            ),
            StoreError::Corrupt { path, .. } => UserMessage::new(
                "store.corrupt",
                format!("ไฟล์ฐานข้อมูล {} เสียหายหรือไม่ใช่ฐานข้อมูลของ Catalog Desk โปรแกรมไม่ได้ลบหรือสร้างทับไฟล์นี้ โปรดสำเนาไฟล์เก็บไว้และติดต่อผู้ดูแลระบบ หรือกำหนดโฟลเดอร์ข้อมูลใหม่", path.display()),
                format!("The database file {} is damaged or is not a Catalog Desk database. It was left untouched, not recreated. Keep a copy and contact your administrator, or choose another data folder.", path.display()),
            ),
            StoreError::TooNew { path, found, supported } => UserMessage::new(
                "store.too_new",
                format!("ฐานข้อมูล {} สร้างโดย Catalog Desk รุ่นใหม่กว่า (รุ่นโครงสร้าง {found} แต่รุ่นนี้รองรับถึง {supported}) โปรดปรับรุ่นโปรแกรม", path.display()),
                format!("The database {} was written by a newer Catalog Desk (schema {found}; this version supports up to {supported}). Please update the app.", path.display()),
            ),
            StoreError::PathTooLong { path } => UserMessage::new(
                "store.path_too_long",
                format!("เส้นทาง {} ยาวเกินไปสำหรับฐานข้อมูล โปรดเลือกโฟลเดอร์ข้อมูลที่เส้นทางสั้นกว่านี้", path.display()),
                format!("The path {} is too long for the database. Choose a data folder with a shorter path.", path.display()),
            ),
            StoreError::DiskFull { path } => UserMessage::new(
                "store.disk_full",
                format!("พื้นที่ดิสก์ไม่พอขณะบันทึก {} ไม่มีการบันทึกข้อมูลครึ่งๆ กลางๆ โปรดเพิ่มพื้นที่ว่างแล้วลองใหม่", path.display()),
                format!("The disk is full (or refuses a file this large) while writing {}. Nothing was half-written; free some space and try again.", path.display()),
            ),
            StoreError::FileUnreadable { path, reason } => UserMessage::new(
                "file.unreadable",
                format!("อ่านไฟล์ {} ไม่ได้ ({reason}) โปรดตรวจว่าไฟล์ยังอยู่และท่านมีสิทธิ์เปิดไฟล์", path.display()),
                format!("Cannot read the file {} ({reason}). Check that it still exists and that you may open it.", path.display()),
            ),
            StoreError::FileInUse { path } => UserMessage::new(
                "file.in_use",
                format!("ไฟล์ {} ถูกโปรแกรมอื่นเปิดอยู่ (เช่น Excel) — ปิดไฟล์แล้วลองอีกครั้ง", path.display()),
                format!("The file {} is open in another program (such as Excel). Close it and try again.", path.display()),
            ),
            StoreError::NotAFile { path } => UserMessage::new(
                "file.not_a_file",
                format!("{} ไม่ใช่ไฟล์ที่แนบได้ (อาจเป็นโฟลเดอร์หรือไม่มีอยู่แล้ว)", path.display()),
                format!("{} is not a file that can be attached (it may be a folder or no longer exist).", path.display()),
            ),
            StoreError::InsideDataFolder { path } => UserMessage::new(
                "file.inside_data_folder",
                format!("{} อยู่ในโฟลเดอร์ข้อมูลของ Catalog Desk เอง แนบไม่ได้ โปรดเลือกไฟล์ต้นฉบับ", path.display()),
                format!("{} is inside Catalog Desk's own data folder and cannot be attached; choose the original file.", path.display()),
            ),
            StoreError::ReviewStepNotAllowed { from, decision } => {
                let (from_th, from_en) = from.names();
                let (step_th, step_en) = match decision {
                    ReviewDecision::Submit => ("ส่งตรวจทาน", "submit it for review"),
                    ReviewDecision::Approve => ("อนุมัติ", "approve it"),
                    ReviewDecision::RequestChanges => ("ขอให้แก้ไข", "request changes"),
                };
                UserMessage::new(
                    "review.step_not_allowed",
                    format!("ฉบับร่างนี้อยู่ในสถานะ “{from_th}” จึง{step_th}ไม่ได้"),
                    format!("This draft is “{from_en}”, so you cannot {step_en}."),
                )
            }
            StoreError::NotReadyForReview { errors } => UserMessage::new(
                "review.not_ready",
                format!("ยังส่งตรวจทานไม่ได้ ฉบับร่างยังมีรายการที่ต้องแก้ไข {errors} รายการ"),
                format!("Not ready for review: the draft still has {errors} problems to fix."),
            ),
            StoreError::DismissReasonRequired => UserMessage::new(
                "hint.reason_required",
                "โปรดระบุเหตุผลที่เห็นว่าคำเตือนนี้ไม่ถูกต้อง เหตุผลจะถูกบันทึกไว้ให้ผู้ตรวจทานเห็น",
                "Please say why this hint does not apply; the reason is kept for the reviewer.",
            ),
            StoreError::ReviewNoteRequired => UserMessage::new(
                "review.note_required",
                "โปรดระบุว่าต้องแก้ไขอะไร เพื่อให้ผู้จัดทำทราบ",
                "Please say what needs to change, so the editor knows.",
            ),
            StoreError::NoLocalCopy { name } => UserMessage::new(
                "resource.no_local_copy",
                format!("ทรัพยากร “{name}” เป็นลิงก์ ไม่มีสำเนาไฟล์ในเครื่องให้เปิดดู แนบไฟล์จริงหากต้องการดูตัวอย่าง"),
                format!("The resource “{name}” is a link with no copy on this computer; attach the file itself to preview it."),
            ),
            StoreError::DraftNotFound(id) => UserMessage::new(
                "draft.not_found",
                format!("ไม่พบฉบับร่าง {id} อาจถูกลบไปแล้ว"),
                format!("Draft {id} was not found; it may have been deleted."),
            ),
            StoreError::ResourceNotFound(id) => UserMessage::new(
                "resource.not_found",
                format!("ไม่พบทรัพยากรข้อมูล {id} อาจถูกลบไปแล้ว"),
                format!("Resource {id} was not found; it may have been removed."),
            ),
            StoreError::EmptyTitle => UserMessage::new(
                "draft.empty_title",
                "โปรดใส่ชื่อชุดข้อมูล",
                "Please enter a dataset title.",
            ),
            StoreError::Database(detail) => UserMessage::new(
                "store.database",
                format!("เกิดข้อผิดพลาดในฐานข้อมูลภายในเครื่อง: {detail}"),
                format!("Local database error: {detail}"),
            ),
            StoreError::Io { path, source } => UserMessage::new(
                "store.io",
                format!("เขียนหรืออ่าน {} ไม่สำเร็จ: {source}", path.display()),
                format!("Could not read or write {}: {source}", path.display()),
            ),
        }
    }
}
