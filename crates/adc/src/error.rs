//! Every way a call to an ADC can fail, as one typed error: CKAN's error shapes (409 validation errors per
//! field, 403, 404, upload too large), server failures and network failures (retryable), and the bilingual
//! text the person sees. No variant holds the API token.

use std::fmt;

use catalog_error::{Bilingual, ToUserMessage, UserMessage};
use catalog_schema::SchemaError;
use serde::Serialize;
use thiserror::Error;

/// The server's messages for one field (CKAN's 409 `{"error": {"<field>": ["msg", …]}}`). Resource fields
/// carry the resource's index in the package's `resources` list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct FieldError {
    pub field: String,
    pub resource: Option<usize>,
    pub messages: Vec<String>,
}

/// What was known about the API token when the server said "not authorised".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenUse {
    /// No token was sent: the call was anonymous.
    Missing,
    /// The token is valid: the account itself lacks the permission.
    Valid,
    /// The check of the token could not be completed.
    Unverified,
}

/// Why a call to the ADC failed.
#[derive(Debug, Error)]
pub enum AdcError {
    #[error("the ADC address {url:?} is not usable: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("the API token is empty or contains spaces or control characters")]
    TokenMalformed,
    #[error("the HTTP client could not be set up: {0}")]
    ClientSetup(String),
    #[error("{action}: cannot connect to {host}")]
    Offline { action: String, host: String },
    #[error("{action}: no answer from {host} in time")]
    Timeout { action: String, host: String },
    #[error("{action}: the connection to {host} broke off")]
    ConnectionLost { action: String, host: String },
    #[error("{action}: server error HTTP {status}{}", detail_suffix(.kind))]
    Server {
        action: String,
        status: u16,
        kind: Option<String>,
    },
    #[error("{action}: the server refused {} field(s): {}", .errors.len(), FieldList(.errors))]
    Validation { action: String, errors: Vec<FieldError> },
    #[error("{action}: the upload is larger than the server accepts")]
    TooLarge { action: String },
    #[error("{action}: not found ({message})")]
    NotFound { action: String, message: String },
    #[error("{action}: not authorised ({message}; token {token:?})")]
    NotAuthorized {
        action: String,
        message: String,
        token: TokenUse,
    },
    #[error("{action}: the API token is invalid, expired or revoked (the server treats the call as anonymous)")]
    TokenInvalid { action: String },
    #[error("{action}: the server redirected to another address ({location})")]
    Redirected { action: String, location: String },
    #[error("{action}: the server refused the request (HTTP {status}, {kind}: {message})")]
    Refused {
        action: String,
        status: u16,
        kind: String,
        message: String,
    },
    #[error("{action}: unexpected answer (HTTP {status}): {detail}")]
    UnexpectedResponse {
        action: String,
        status: u16,
        detail: String,
    },
    #[error("the local file {path} cannot be read or written: {reason}")]
    LocalFile { path: String, reason: String },
    #[error("the web sign-in did not go as expected at step {step}; paste an API token instead")]
    SignInUnsupported { step: String },
    #[error("sign-in refused: wrong user name or password")]
    SignInRejected,
    #[error("sign-in needs the authenticator's 6-digit code")]
    SignInCodeNeeded,
    #[error("sign-in refused: the authenticator code is wrong or expired")]
    SignInCodeRejected,
    #[error("{host} runs CKAN {} without thai_gdc: not an agency data catalog", .ckan_version.as_deref().unwrap_or("(version hidden)"))]
    NotThaiGdc { host: String, ckan_version: Option<String> },
    #[error("the ADC's metadata schema cannot be used: {0}")]
    Schema(#[from] SchemaError),
}

fn detail_suffix(kind: &Option<String>) -> String {
    kind.as_ref().map(|k| format!(" ({k})")).unwrap_or_default()
}

/// `title: That title is already in use.; resources[0].url: Missing value`
struct FieldList<'a>(&'a [FieldError]);

impl fmt::Display for FieldList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            match e.resource {
                Some(r) => write!(f, "resources[{r}].{}", e.field)?,
                None => f.write_str(&e.field)?,
            }
            write!(f, ": {}", e.messages.join(" "))?;
        }
        Ok(())
    }
}

/// Actions that create or change datasets: a 403 on them means the account is not an editor of the
/// organisation.
const EDITOR_ACTIONS: [&str; 2] = ["package_create", "package_patch"];

impl AdcError {
    /// Whether the same call may succeed later unchanged (server trouble, timeouts, no connection). The
    /// outbox retries these; everything else needs the person to change something first.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Offline { .. } | Self::Timeout { .. } | Self::ConnectionLost { .. } | Self::Server { .. }
        )
    }

    /// Whether the ADC could not be reached at all (no network, server down, wrong port).
    pub fn is_offline(&self) -> bool {
        matches!(self, Self::Offline { .. })
    }

    /// The per-field messages of a 409 validation error; empty for every other error.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Validation { errors, .. } => errors,
            _ => &[],
        }
    }
}

impl ToUserMessage for AdcError {
    fn to_user_message(&self) -> UserMessage {
        let (code, th, en): (&str, String, String) = match self {
            Self::InvalidUrl { url, reason } => (
                "adc.invalid_url",
                format!("ที่อยู่ระบบบัญชีข้อมูล \"{url}\" ใช้ไม่ได้ ({reason}) กรุณาใส่ที่อยู่แบบ https://catalog.หน่วยงาน.go.th"),
                format!("The catalog address \"{url}\" cannot be used ({reason}). Enter an address such as https://catalog.agency.go.th."),
            ),
            Self::TokenMalformed => (
                "adc.token_malformed",
                "API token ที่ใส่ไม่ถูกต้อง (ว่างหรือมีช่องว่าง) กรุณาคัดลอก token จากหน้า API Tokens ของบัญชีผู้ใช้ในระบบบัญชีข้อมูลอีกครั้ง".into(),
                "The API token is empty or contains spaces. Copy the token again from the API Tokens page of your catalog account.".into(),
            ),
            Self::ClientSetup(detail) => (
                "adc.client_setup",
                format!("โปรแกรมเตรียมการเชื่อมต่อที่ปลอดภัยไม่สำเร็จ ({detail}) กรุณาแจ้งผู้ดูแลระบบ"),
                format!("The app could not set up a secure connection ({detail}). Please tell your IT support."),
            ),
            Self::Offline { host, .. } => (
                "adc.offline",
                format!("เชื่อมต่อระบบบัญชีข้อมูล ({host}) ไม่ได้ ตรวจสอบอินเทอร์เน็ตหรือที่อยู่ระบบ งานของคุณยังเก็บไว้ในเครื่องและลองส่งใหม่ได้ภายหลัง"),
                format!("Cannot connect to the catalog ({host}). Check the network or the address; your work is kept on this computer and can be sent again later."),
            ),
            Self::Timeout { host, .. } => (
                "adc.timeout",
                format!("ระบบบัญชีข้อมูล ({host}) ไม่ตอบกลับภายในเวลาที่กำหนด ลองใหม่อีกครั้งภายหลัง งานของคุณยังเก็บไว้ในเครื่อง"),
                format!("The catalog ({host}) did not answer in time. Try again later; your work is kept on this computer."),
            ),
            Self::ConnectionLost { host, .. } => (
                "adc.connection_lost",
                format!("การเชื่อมต่อกับระบบบัญชีข้อมูล ({host}) ขาดระหว่างทาง ลองใหม่อีกครั้ง"),
                format!("The connection to the catalog ({host}) broke off. Try again."),
            ),
            Self::Server { status, .. } => (
                "adc.server_error",
                format!("ระบบบัญชีข้อมูลขัดข้อง (HTTP {status}) ไม่ใช่ความผิดของข้อมูลที่คุณกรอก ลองใหม่ภายหลัง หากยังเป็นอยู่ให้แจ้งผู้ดูแลระบบบัญชีข้อมูล"),
                format!("The catalog server failed (HTTP {status}); this is not caused by your entries. Try again later, and tell the catalog's administrator if it persists."),
            ),
            Self::Validation { errors, .. } => (
                "adc.validation",
                format!("ระบบบัญชีข้อมูลไม่รับข้อมูลบางช่อง กรุณาแก้ไขช่องต่อไปนี้แล้วส่งใหม่: {}", FieldList(errors)),
                format!("The catalog did not accept some fields. Correct them and send again: {}", FieldList(errors)),
            ),
            Self::TooLarge { .. } => (
                "adc.too_large",
                "ไฟล์มีขนาดใหญ่เกินกว่าที่ระบบบัญชีข้อมูลรับได้ (ค่าเริ่มต้นของ CKAN คือ 10 MB ต่อไฟล์ ผู้ดูแลระบบอาจตั้งไว้ต่างออกไป) กรุณาลดขนาดไฟล์หรือแบ่งไฟล์ หรือวางไฟล์ไว้ที่อื่นแล้วใส่เป็นลิงก์ (URL) แทนการอัปโหลด หรือขอให้ผู้ดูแลระบบเพิ่มขนาดที่รับได้".into(),
                "The file is larger than the catalog accepts (CKAN's default is 10 MB per file; the administrator may have set another limit). Make it smaller or split it, or put it elsewhere and link it by URL instead of uploading, or ask the catalog's administrator to raise the limit.".into(),
            ),
            Self::NotFound { .. } => (
                "adc.not_found",
                "ไม่พบชุดข้อมูลหรือรายการนี้ในระบบบัญชีข้อมูล อาจถูกลบหรือเปลี่ยนชื่อ หรือบัญชีของคุณไม่มีสิทธิ์เห็น".into(),
                "The catalog has no such dataset or item. It may have been deleted or renamed, or your account may not be allowed to see it.".into(),
            ),
            Self::NotAuthorized { token: TokenUse::Missing, .. } => (
                "adc.token_missing",
                "ต้องใช้ API token สำหรับงานนี้ กรุณาใส่ API token ของบัญชีคุณในการตั้งค่าการเชื่อมต่อ".into(),
                "This needs an API token. Enter your account's API token in the connection settings.".into(),
            ),
            Self::NotAuthorized { action, .. } if EDITOR_ACTIONS.contains(&action.as_str()) => (
                "adc.not_editor",
                "บัญชีของคุณไม่ได้เป็นบรรณาธิการ (editor) หรือผู้ดูแล (admin) ขององค์กรนี้ จึงสร้างหรือแก้ไขชุดข้อมูลไม่ได้ กรุณาขอสิทธิ์จากผู้ดูแลองค์กรในระบบบัญชีข้อมูล หรือเลือกองค์กรอื่น".into(),
                "Your account is not an editor or admin of this organisation, so it cannot create or edit datasets there. Ask the organisation's admin for the editor role, or choose another organisation.".into(),
            ),
            Self::NotAuthorized { .. } => (
                "adc.forbidden",
                "บัญชีของคุณไม่มีสิทธิ์ทำรายการนี้ในระบบบัญชีข้อมูล กรุณาติดต่อผู้ดูแลองค์กร".into(),
                "Your account is not allowed to do this in the catalog. Contact your organisation's admin.".into(),
            ),
            Self::TokenInvalid { .. } => (
                "adc.token_invalid",
                "API token ใช้ไม่ได้ (ไม่ถูกต้อง หมดอายุ หรือถูกยกเลิก) ระบบบัญชีข้อมูลจึงถือว่าคุณไม่ได้เข้าสู่ระบบ กรุณาสร้าง token ใหม่ที่หน้า API Tokens ของบัญชีคุณแล้วใส่ในการตั้งค่า".into(),
                "The API token does not work (wrong, expired or revoked), so the catalog treats you as not signed in. Create a new token on your account's API Tokens page and enter it in the settings.".into(),
            ),
            Self::Redirected { location, .. } => (
                "adc.redirected",
                format!("ระบบบัญชีข้อมูลส่งต่อไปยังที่อยู่อื่น ({location}) โปรแกรมจึงไม่ส่ง token ไปด้วยเพื่อความปลอดภัย กรุณาตรวจสอบที่อยู่ระบบในการตั้งค่า (เช่น ใช้ https://)"),
                format!("The catalog redirected to another address ({location}); the app does not send your token there. Check the catalog address in the settings (for example, use https://)."),
            ),
            Self::Refused { kind, message, .. } => (
                "adc.refused",
                format!("ระบบบัญชีข้อมูลไม่รับคำขอนี้ ({kind}: {message})"),
                format!("The catalog refused the request ({kind}: {message})."),
            ),
            Self::UnexpectedResponse { status, .. } => (
                "adc.unexpected_response",
                format!("คำตอบจากที่อยู่นี้ไม่ใช่ของระบบบัญชีข้อมูล (CKAN) (HTTP {status}) กรุณาตรวจสอบที่อยู่ระบบในการตั้งค่า"),
                format!("The answer from this address is not from a CKAN data catalog (HTTP {status}). Check the catalog address in the settings."),
            ),
            Self::LocalFile { path, reason } => (
                "adc.local_file",
                format!("อ่านหรือเขียนไฟล์ในเครื่องไม่ได้: {path} ({reason}) ตรวจสอบว่าไฟล์ยังอยู่และดิสก์ไม่เต็ม"),
                format!("The file on this computer cannot be read or written: {path} ({reason}). Check that it still exists and the disk is not full."),
            ),
            Self::SignInUnsupported { step } => (
                "adc.signin_unsupported",
                format!("หน้าเข้าสู่ระบบของระบบบัญชีข้อมูลนี้ไม่ตรงกับที่โปรแกรมรู้จัก (ขั้นตอน: {step}) กรุณาวาง API token แทน: เข้าสู่ระบบบัญชีข้อมูลด้วยเว็บเบราว์เซอร์ เปิดเมนูบัญชีผู้ใช้ > API Tokens สร้าง token ใหม่ แล้วคัดลอกมาวางในการตั้งค่า"),
                format!("This catalog's sign-in pages do not look as the app expects (step: {step}). Paste an API token instead: sign in to the catalog in a web browser, open your account > API Tokens, create a token and paste it in the settings."),
            ),
            Self::SignInRejected => (
                "adc.signin_rejected",
                "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง กรุณาลองใหม่".into(),
                "Wrong user name or password. Please try again.".into(),
            ),
            Self::SignInCodeNeeded => (
                "adc.signin_code_needed",
                "ระบบบัญชีข้อมูลขอรหัส 6 หลักจากแอปยืนยันตัวตน (authenticator) กรุณาใส่รหัสแล้วลองใหม่".into(),
                "The catalog asks for the 6-digit code from your authenticator app. Enter it and try again.".into(),
            ),
            Self::SignInCodeRejected => (
                "adc.signin_code_rejected",
                "รหัส 6 หลักไม่ถูกต้องหรือหมดเวลาแล้ว กรุณาใช้รหัสใหม่จากแอปยืนยันตัวตนแล้วลองอีกครั้ง".into(),
                "The 6-digit code is wrong or has expired. Use a new code from your authenticator app and try again.".into(),
            ),
            Self::NotThaiGdc { host, .. } => (
                "adc.not_thai_gdc",
                format!("{host} เป็นระบบ CKAN แต่ไม่ใช่ระบบบัญชีข้อมูลหน่วยงาน (ADC) เพราะไม่มีส่วนขยาย thai_gdc กรุณาตรวจสอบที่อยู่ ADC ของหน่วยงานกับผู้ดูแลระบบ"),
                format!("{host} runs CKAN but is not an agency data catalog (ADC): it has no thai_gdc extension. Check your agency's ADC address with its administrator."),
            ),
            Self::Schema(e) => return e.to_user_message(),
        };
        UserMessage {
            code: code.to_owned(),
            message: Bilingual::new(th, en),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action() -> String {
        "package_create".into()
    }

    #[test]
    fn only_transient_failures_are_retryable() {
        let host = || "adc.example".to_owned();
        assert!(AdcError::Offline {
            action: action(),
            host: host()
        }
        .is_retryable());
        assert!(AdcError::Timeout {
            action: action(),
            host: host()
        }
        .is_retryable());
        assert!(AdcError::Server {
            action: action(),
            status: 502,
            kind: None
        }
        .is_retryable());
        assert!(!AdcError::TooLarge { action: action() }.is_retryable());
        assert!(!AdcError::TokenInvalid { action: action() }.is_retryable());
        assert!(!AdcError::Validation {
            action: action(),
            errors: vec![]
        }
        .is_retryable());
        assert!(AdcError::Offline {
            action: action(),
            host: host()
        }
        .is_offline());
        assert!(!AdcError::Timeout {
            action: action(),
            host: host()
        }
        .is_offline());
    }

    #[test]
    fn a_403_on_create_says_not_an_editor_and_elsewhere_forbidden() {
        let err = |action: &str, token| AdcError::NotAuthorized {
            action: action.into(),
            message: "Access denied".into(),
            token,
        };
        assert_eq!(
            err("package_create", TokenUse::Valid).to_user_message().code,
            "adc.not_editor"
        );
        assert_eq!(
            err("package_patch", TokenUse::Unverified).to_user_message().code,
            "adc.not_editor"
        );
        assert_eq!(
            err("package_show", TokenUse::Valid).to_user_message().code,
            "adc.forbidden"
        );
        assert_eq!(
            err("package_create", TokenUse::Missing).to_user_message().code,
            "adc.token_missing"
        );
    }

    #[test]
    fn validation_messages_name_every_field_thai_first() {
        let err = AdcError::Validation {
            action: action(),
            errors: vec![
                FieldError {
                    field: "title".into(),
                    resource: None,
                    messages: vec!["That title is already in use.".into()],
                },
                FieldError {
                    field: "url".into(),
                    resource: Some(1),
                    messages: vec!["Missing value".into()],
                },
            ],
        };
        let msg = err.to_user_message();
        assert_eq!(msg.code, "adc.validation");
        assert!(msg.message.th.starts_with("ระบบบัญชีข้อมูลไม่รับ"));
        assert!(msg
            .message
            .en
            .contains("title: That title is already in use.; resources[1].url: Missing value"));
        assert_eq!(err.field_errors().len(), 2);
    }

    #[test]
    fn schema_errors_keep_the_schema_crates_message() {
        let err = AdcError::from(SchemaError::NoDataTypes);
        assert_eq!(err.to_user_message(), SchemaError::NoDataTypes.to_user_message());
        assert!(!err.is_retryable());
    }
}
