//! Why publishing could not go on: the ADC's own errors (kept whole, with their bilingual text), the
//! outbox database, the local draft store, and the publishing rules (only approved drafts, a dataset that
//! vanished from the ADC). No variant holds a secret.

use catalog_adc::AdcError;
use catalog_core::StoreError;
use catalog_error::{Bilingual, ToUserMessage, UserMessage};
use thiserror::Error;

use crate::secrets::SecretError;

#[derive(Debug, Error)]
pub enum PublishError {
    #[error(transparent)]
    Adc(#[from] AdcError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Secrets(#[from] SecretError),
    #[error("the outbox database failed: {0}")]
    Outbox(#[from] rusqlite::Error),
    #[error("the outbox database at {path} cannot be opened: {reason}")]
    OutboxOpen { path: String, reason: String },
    #[error("the draft is not approved; only approved drafts are published")]
    NotApproved,
    #[error("outbox item {0} does not exist")]
    NoSuchItem(i64),
    #[error("the dataset {package_id} published earlier no longer exists on the ADC")]
    RemoteDeleted { package_id: String },
}

impl PublishError {
    /// Whether the outbox retries by itself (the ADC unreachable, slow or failing).
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Adc(e) if e.is_retryable())
    }
}

impl ToUserMessage for PublishError {
    fn to_user_message(&self) -> UserMessage {
        let (code, th, en) = match self {
            Self::Adc(e) => return e.to_user_message(),
            Self::Store(e) => return e.to_user_message(),
            Self::Secrets(e) => return e.to_user_message(),
            Self::Outbox(_) | Self::OutboxOpen { .. } => (
                "publish.outbox",
                "คิวการเผยแพร่ในเครื่องใช้งานไม่ได้ (ไฟล์ outbox.sqlite3) ตรวจสอบพื้นที่ดิสก์แล้วเปิดโปรแกรมใหม่".to_owned(),
                "The local publish queue (outbox.sqlite3) cannot be used. Check the free disk space and restart the app.".to_owned(),
            ),
            Self::NotApproved => (
                "publish.not_approved",
                "ชุดข้อมูลนี้ยังไม่ได้รับอนุมัติ จึงยังเผยแพร่ไม่ได้ กรุณาส่งตรวจทานและรอผู้ตรวจทานอนุมัติก่อน".to_owned(),
                "This dataset is not approved yet, so it cannot be published. Submit it for review and wait for approval.".to_owned(),
            ),
            Self::NoSuchItem(id) => (
                "publish.no_such_item",
                format!("ไม่พบรายการที่ {id} ในคิวการเผยแพร่"),
                format!("Item {id} is not in the publish queue."),
            ),
            Self::RemoteDeleted { package_id } => (
                "publish.remote_deleted",
                format!("ชุดข้อมูลที่เคยเผยแพร่ ({package_id}) ถูกลบออกจากระบบบัญชีข้อมูลแล้ว โปรแกรมจะไม่สร้างใหม่เอง กรุณาตรวจสอบกับผู้ดูแลองค์กร หากต้องการเผยแพร่ใหม่เป็นชุดข้อมูลใหม่ ให้เลือก \"เผยแพร่เป็นชุดข้อมูลใหม่\""),
                format!("The dataset published earlier ({package_id}) was deleted from the catalog. The app will not re-create it by itself; check with your organisation's admin, or choose \"publish as a new dataset\"."),
            ),
        };
        UserMessage {
            code: code.to_owned(),
            message: Bilingual::new(th, en),
        }
    }
}
