//! The one error type of the preview crate, and its bilingual message for the person using the app.

use catalog_error::{ToUserMessage, UserMessage};

/// Everything that can go wrong while opening, previewing or profiling a file.
#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    #[error("the file could not be read: {0}")]
    Io(#[from] std::io::Error),
    #[error("the file is empty (0 bytes)")]
    EmptyFile,
    #[error("the workbook is protected by a password")]
    Encrypted,
    #[error("the file is not a spreadsheet or a delimited text table ({0})")]
    NotATable(String),
    #[error("the workbook is damaged or truncated: {0}")]
    Corrupt(String),
    #[error("the table has more than {limit} columns")]
    TooManyColumns { limit: usize },
    #[error("a row is longer than {limit_mb} MB (usually a quote that is never closed)")]
    RecordTooLong { limit_mb: u64 },
    #[error("no data was found in the first {rows_examined} rows")]
    NoData { rows_examined: usize },
    #[error("there is no sheet named {0:?}")]
    SheetNotFound(String),
    #[error("{0:?} is not an encoding this app knows")]
    UnknownEncoding(String),
    #[error("the table layout does not fit this file: {0}")]
    LayoutMismatch(String),
    #[error("cancelled")]
    Cancelled,
}

impl ToUserMessage for PreviewError {
    fn to_user_message(&self) -> UserMessage {
        match self {
            PreviewError::Io(err) => UserMessage::new(
                "preview.io",
                format!("อ่านไฟล์ไม่ได้ ({err}) ตรวจสอบว่าไฟล์ยังอยู่และไม่ได้เปิดค้างในโปรแกรมอื่น แล้วลองอีกครั้ง"),
                format!("The file could not be read ({err}). Check that it still exists and is not locked by another program, then try again."),
            ),
            PreviewError::EmptyFile => UserMessage::new(
                "preview.empty_file",
                "ไฟล์นี้ว่างเปล่า (0 ไบต์) เลือกไฟล์ที่มีข้อมูล",
                "This file is empty (0 bytes). Choose a file that contains data.",
            ),
            PreviewError::Encrypted => UserMessage::new(
                "preview.encrypted",
                "ไฟล์นี้ตั้งรหัสผ่านไว้ เปิดใน Excel แล้วเอารหัสผ่านออก (บันทึกเป็นไฟล์ใหม่) ก่อนนำเข้า",
                "This workbook is password-protected. Open it in Excel, remove the password (save a copy), then add that copy.",
            ),
            PreviewError::NotATable(what) => UserMessage::new(
                "preview.not_a_table",
                format!("ไฟล์นี้ไม่ใช่ตารางข้อมูล ({what}) รองรับ CSV, TSV, XLSX, XLSM, XLSB, XLS และ ODS"),
                format!("This file is not a data table ({what}). Supported: CSV, TSV, XLSX, XLSM, XLSB, XLS and ODS."),
            ),
            PreviewError::Corrupt(detail) => UserMessage::new(
                "preview.corrupt",
                format!("ไฟล์เสียหายหรือไม่ครบ ({detail}) ลองดาวน์โหลดหรือส่งออกไฟล์ใหม่อีกครั้ง"),
                format!("The file is damaged or incomplete ({detail}). Download or export it again."),
            ),
            PreviewError::TooManyColumns { limit } => UserMessage::new(
                "preview.too_many_columns",
                format!("ตารางมีมากกว่า {limit} คอลัมน์ ตรวจสอบว่าเลือกตัวคั่นถูกต้อง หรือแบ่งไฟล์ให้เล็กลง"),
                format!("The table has more than {limit} columns. Check the delimiter, or split the file."),
            ),
            PreviewError::RecordTooLong { limit_mb } => UserMessage::new(
                "preview.row_too_long",
                format!(
                    "มีแถวที่ยาวเกิน {limit_mb} MB ซึ่งมักเกิดจากเครื่องหมายคำพูด (\") ที่เปิดแล้วไม่ได้ปิด \
                     แก้ไฟล์ หรือเลือกเครื่องหมายคำพูดและตัวคั่นเองแล้วเปิดใหม่"
                ),
                format!(
                    "A row is longer than {limit_mb} MB, usually because a quote (\") is opened and never closed. \
                     Fix the file, or choose the quote and delimiter yourself and open it again."
                ),
            ),
            PreviewError::NoData { rows_examined } => UserMessage::new(
                "preview.no_data",
                format!("ไม่พบข้อมูลใน {rows_examined} แถวแรก ตรวจสอบว่าเลือกชีตถูกต้อง"),
                format!("No data was found in the first {rows_examined} rows. Check that the right sheet is selected."),
            ),
            PreviewError::SheetNotFound(name) => UserMessage::new(
                "preview.sheet_not_found",
                format!("ไม่พบชีต \"{name}\" ในไฟล์นี้ เลือกชีตจากรายการอีกครั้ง"),
                format!("There is no sheet named \"{name}\" in this file. Pick a sheet from the list again."),
            ),
            PreviewError::UnknownEncoding(label) => UserMessage::new(
                "preview.unknown_encoding",
                format!("ไม่รู้จักการเข้ารหัส \"{label}\" เลือก UTF-8 หรือ Windows-874 (TIS-620)"),
                format!("\"{label}\" is not a known encoding. Choose UTF-8 or Windows-874 (TIS-620)."),
            ),
            PreviewError::LayoutMismatch(detail) => UserMessage::new(
                "preview.layout_mismatch",
                format!("การตั้งค่าแถวหัวตารางไม่ตรงกับไฟล์ ({detail}) ให้ตรวจหาแถวหัวตารางใหม่"),
                format!("The saved table layout does not fit this file ({detail}). Detect the header rows again."),
            ),
            PreviewError::Cancelled => UserMessage::new(
                "preview.cancelled",
                "ยกเลิกแล้ว",
                "Cancelled.",
            ),
        }
    }
}

impl From<calamine::Error> for PreviewError {
    fn from(err: calamine::Error) -> Self {
        use calamine::{Error, OdsError, XlsError, XlsbError, XlsxError};
        match err {
            Error::Io(io) => PreviewError::Io(io),
            Error::Xlsx(XlsxError::Password)
            | Error::Xls(XlsError::Password)
            | Error::Xlsb(XlsbError::Password)
            | Error::Ods(OdsError::Password) => PreviewError::Encrypted,
            other => PreviewError::Corrupt(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_stable_code_and_both_languages() {
        let errors = [
            PreviewError::EmptyFile,
            PreviewError::Encrypted,
            PreviewError::NotATable("PDF".into()),
            PreviewError::Corrupt("zip".into()),
            PreviewError::TooManyColumns { limit: 16_384 },
            PreviewError::NoData { rows_examined: 10 },
            PreviewError::RecordTooLong { limit_mb: 16 },
            PreviewError::SheetNotFound("x".into()),
            PreviewError::UnknownEncoding("x".into()),
            PreviewError::LayoutMismatch("x".into()),
            PreviewError::Cancelled,
        ];
        for err in errors {
            let msg = err.to_user_message();
            assert!(msg.code.starts_with("preview."), "{}", msg.code);
            assert!(!msg.message.th.is_empty() && !msg.message.en.is_empty());
        }
        assert_eq!(PreviewError::Encrypted.to_user_message().code, "preview.encrypted");
    }
}
