//! Errors that stop a whole import or export (the file cannot be read or written, it is no known
//! template); everything smaller is reported per row or cell in the plan. Thai first, with what to do.

use std::path::{Path, PathBuf};

use catalog_core::error::held_by_another_program;
use catalog_core::StoreError;
use catalog_error::{ToUserMessage, UserMessage};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("{path} is not an Excel workbook (xlsx or xls)")]
    NotAWorkbook { path: PathBuf },
    #[error("{path} is larger than {limit_mb} MB")]
    TooLarge { path: PathBuf, limit_mb: u64 },
    #[error("{path} is neither the NSO template nor Catalog Desk's template")]
    UnknownTemplate { path: PathBuf },
    #[error("unknown NSO template version {0}")]
    UnknownVersion(String),
    #[error("cannot write {path}: {reason}")]
    Write { path: PathBuf, reason: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why `path` could not be read; a file another program holds open (Excel) is said to be so.
pub(crate) fn unreadable(path: &Path, err: &std::io::Error) -> ImportError {
    if held_by_another_program(err) {
        ImportError::Store(StoreError::FileInUse { path: path.to_owned() })
    } else {
        ImportError::Unreadable {
            path: path.to_owned(),
            reason: err.to_string(),
        }
    }
}

/// Why `path` could not be written; a file another program holds open (Excel) is said to be so.
pub(crate) fn unwritable(path: &Path, err: &std::io::Error) -> ImportError {
    if held_by_another_program(err) {
        ImportError::Store(StoreError::FileInUse { path: path.to_owned() })
    } else {
        ImportError::Write {
            path: path.to_owned(),
            reason: err.to_string(),
        }
    }
}

impl ToUserMessage for ImportError {
    fn to_user_message(&self) -> UserMessage {
        match self {
            Self::Unreadable { path, reason } => UserMessage::new(
                "import.unreadable",
                format!("อ่านไฟล์ {} ไม่ได้ ({reason}) โปรดตรวจว่าไฟล์ยังอยู่และไม่ได้เปิดค้างในโปรแกรมอื่น", path.display()),
                format!("Cannot read {} ({reason}); check that it exists and is not locked by another program.", path.display()),
            ),
            Self::NotAWorkbook { path } => UserMessage::new(
                "import.not_a_workbook",
                format!("{} ไม่ใช่ไฟล์ Excel (xlsx หรือ xls) หรือไฟล์เสียหาย โปรดเปิดใน Excel แล้วบันทึกเป็น .xlsx", path.display()),
                format!("{} is not an Excel workbook (xlsx or xls) or is damaged; open it in Excel and save it as .xlsx.", path.display()),
            ),
            Self::TooLarge { path, limit_mb } => UserMessage::new(
                "import.too_large",
                format!("ไฟล์ {} ใหญ่เกิน {limit_mb} MB โปรดแบ่งเป็นหลายไฟล์", path.display()),
                format!("{} is larger than {limit_mb} MB; split it into several files.", path.display()),
            ),
            Self::UnknownTemplate { path } => UserMessage::new(
                "import.unknown_template",
                format!("{} ไม่ใช่แบบฟอร์มนำเข้าของ สสช. (ไม่มีชีต Temp2_Meta_*) และไม่ใช่แบบฟอร์มของ Catalog Desk (แถว 2 ไม่ใช่ชื่อฟิลด์)", path.display()),
                format!("{} is neither the NSO import template (no Temp2_Meta_* sheets) nor Catalog Desk's template (row 2 holds no field keys).", path.display()),
            ),
            Self::UnknownVersion(version) => UserMessage::new(
                "export.unknown_version",
                format!("ไม่รู้จักแบบฟอร์ม สสช. รุ่น {version}"),
                format!("Unknown NSO template version {version}."),
            ),
            Self::Write { path, reason } => UserMessage::new(
                "export.write_failed",
                format!("บันทึกไฟล์ {} ไม่สำเร็จ ({reason})", path.display()),
                format!("Could not write {} ({reason}).", path.display()),
            ),
            Self::Store(err) => err.to_user_message(),
        }
    }
}
