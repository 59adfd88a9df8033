//! The hints crate's one error type, and its bilingual message for the person using the app.

use catalog_error::{ToUserMessage, UserMessage};
use catalog_preview::PreviewError;

/// What can stop a scan for hints.
#[derive(Debug, thiserror::Error)]
pub enum HintError {
    /// The person (or the app closing the resource) cancelled the scan.
    #[error("the scan for classification hints was cancelled")]
    Cancelled,
    /// The file could not be read with its layout.
    #[error("the file could not be read for classification hints: {0}")]
    Read(PreviewError),
}

impl From<PreviewError> for HintError {
    fn from(err: PreviewError) -> Self {
        match err {
            PreviewError::Cancelled => HintError::Cancelled,
            other => HintError::Read(other),
        }
    }
}

impl ToUserMessage for HintError {
    fn to_user_message(&self) -> UserMessage {
        match self {
            HintError::Cancelled => UserMessage::new(
                "hints.cancelled",
                "ยกเลิกการตรวจหาข้อมูลส่วนบุคคลแล้ว คำแนะนำการจัดชั้นข้อมูลจะยังไม่แสดงจนกว่าจะตรวจใหม่",
                "The scan for personal data was cancelled; classification hints appear once the file is scanned again.",
            ),
            HintError::Read(err) => {
                let cause = err.to_user_message();
                UserMessage::new(
                    "hints.read",
                    format!("ตรวจหาข้อมูลส่วนบุคคลในไฟล์ไม่ได้: {}", cause.message.th),
                    format!("The file could not be scanned for personal data: {}", cause.message.en),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_and_read_errors_have_their_own_codes() {
        assert!(matches!(HintError::from(PreviewError::Cancelled), HintError::Cancelled));
        let read = HintError::from(PreviewError::EmptyFile).to_user_message();
        assert_eq!(read.code, "hints.read");
        assert!(read.message.th.contains("0 ไบต์") && read.message.en.contains("0 bytes"));
        assert_eq!(HintError::Cancelled.to_user_message().code, "hints.cancelled");
    }
}
