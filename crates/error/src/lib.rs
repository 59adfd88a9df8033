//! The shape in which an error reaches the person using Catalog Desk: a stable machine `code` that the
//! UI may switch on, and a message in Thai and English. Every domain crate defines its own typed error
//! (thiserror) and implements [`ToUserMessage`] for it; nothing else about errors crosses to the UI.

use serde::{Deserialize, Serialize};

/// Text in both of the app's languages, Thai first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Bilingual {
    pub th: String,
    pub en: String,
}

impl Bilingual {
    pub fn new(th: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            th: th.into(),
            en: en.into(),
        }
    }
}

/// What the UI receives for a failed command: `{ "code": "...", "message": { "th": "...", "en": "..." } }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct UserMessage {
    pub code: String,
    pub message: Bilingual,
}

impl UserMessage {
    pub fn new(code: impl Into<String>, th: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: Bilingual::new(th, en),
        }
    }
}

impl std::fmt::Display for UserMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}", self.code, self.message.en)
    }
}

/// Implemented by every domain error so the Tauri shell can hand it to the UI without knowing its type.
pub trait ToUserMessage {
    fn to_user_message(&self) -> UserMessage;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_to_the_shape_the_ui_reads() {
        let msg = UserMessage::new("store.locked", "ฐานข้อมูลถูกใช้งานอยู่", "The database is in use");
        let json = serde_json::to_value(&msg).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "store.locked", "message": {"th": "ฐานข้อมูลถูกใช้งานอยู่", "en": "The database is in use"}})
        );
    }
}
