//! Secrets: each ADC's API token, and optionally the authenticator (TOTP) secret so the app can fill the
//! 6-digit code itself, kept only in a [`SecretStore`]: the OS keyring ([`KeyringStore`]: Windows
//! Credential Manager, macOS Keychain, the Secret Service on Linux) or, for tests and for a session on a
//! machine without any keyring, memory ([`MemoryStore`]). Secrets are keyed by the ADC's normalised site
//! address, so a token is only ever looked up for the ADC it was made for. Nothing here writes a secret
//! to a file, a log or an error.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use catalog_adc::{AdcClient, ApiToken};
use catalog_error::{Bilingual, ToUserMessage, UserMessage};
use thiserror::Error;
use totp_rs::{Algorithm, Secret, TOTP};

/// The keyring service name under which every Catalog Desk secret is filed.
pub const KEYRING_SERVICE: &str = "Catalog Desk";
/// The probe entry [`KeyringStore::probe`] reads (never written).
const PROBE_ACCOUNT: &str = "probe";
/// RFC 6238 as ckanext-thaigdc2fa uses it: SHA-1, 6 digits, 30-second steps, ±1 step.
const TOTP_DIGITS: usize = 6;
const TOTP_STEP: u64 = 30;
const TOTP_SKEW: u8 = 1;

/// Why a secret could not be kept or read. No variant holds a secret.
#[derive(Debug, Error)]
pub enum SecretError {
    /// No keyring can be reached (typically Linux without a running, unlocked Secret Service).
    #[error("no keyring is available on this computer: {0}")]
    Unavailable(String),
    /// The keyring answered with an error.
    #[error("the keyring refused the request: {0}")]
    Keyring(String),
    /// The authenticator secret is not base32 or too short (< 128 bits).
    #[error("the authenticator secret is not a valid base32 key of at least 128 bits")]
    TotpSecretInvalid,
    #[error("the ADC address is not usable: {0}")]
    Address(String),
}

impl ToUserMessage for SecretError {
    fn to_user_message(&self) -> UserMessage {
        let (code, th, en) = match self {
            Self::Unavailable(_) => (
                "secrets.unavailable",
                "ไม่พบที่เก็บรหัสผ่านของระบบปฏิบัติการ (keyring) จึงเก็บ API token อย่างปลอดภัยไม่ได้ บน Linux ให้ติดตั้งและปลดล็อก GNOME Keyring หรือ KWallet (Secret Service) แล้วเปิดโปรแกรมใหม่ ระหว่างนี้ token จะใช้ได้จนกว่าจะปิดโปรแกรมเท่านั้น",
                "No operating-system keyring is available, so the API token cannot be stored safely. On Linux, install and unlock GNOME Keyring or KWallet (Secret Service) and restart the app. Until then the token is kept only until the app closes.",
            ),
            Self::Keyring(_) => (
                "secrets.keyring_error",
                "ที่เก็บรหัสผ่านของระบบปฏิบัติการ (keyring) ไม่รับคำขอ อาจถูกล็อกอยู่ กรุณาปลดล็อกแล้วลองใหม่",
                "The operating-system keyring refused the request; it may be locked. Unlock it and try again.",
            ),
            Self::TotpSecretInvalid => (
                "secrets.totp_invalid",
                "รหัสลับของแอปยืนยันตัวตนไม่ถูกต้อง (ต้องเป็นตัวอักษร base32 ยาวอย่างน้อย 26 ตัว ตามที่แสดงใต้ QR code ตอนตั้งค่า)",
                "The authenticator secret is not valid (base32 text of at least 26 characters, as shown under the QR code at setup).",
            ),
            Self::Address(_) => (
                "secrets.address",
                "ที่อยู่ระบบบัญชีข้อมูลไม่ถูกต้อง จึงเก็บหรืออ่าน token ไม่ได้",
                "The catalog address is not valid, so the token cannot be stored or read.",
            ),
        };
        UserMessage {
            code: code.to_owned(),
            message: Bilingual::new(th, en),
        }
    }
}

/// A narrow store of named secrets. `account` is an opaque name built by [`Secrets`].
pub trait SecretStore: Send + Sync {
    fn get(&self, account: &str) -> Result<Option<String>, SecretError>;
    fn set(&self, account: &str, secret: &str) -> Result<(), SecretError>;
    /// Removes the secret; removing one that is not there is not an error.
    fn delete(&self, account: &str) -> Result<(), SecretError>;
    /// Whether secrets survive the app's restart (false for [`MemoryStore`]).
    fn is_persistent(&self) -> bool;
}

/// The OS keyring through the `keyring` crate, under the service [`KEYRING_SERVICE`].
#[derive(Debug, Default, Clone, Copy)]
pub struct KeyringStore;

impl KeyringStore {
    /// Checks that a keyring answers (a read of an entry that is never written).
    pub fn probe() -> Result<KeyringStore, SecretError> {
        KeyringStore.get(PROBE_ACCOUNT).map(|_| KeyringStore)
    }

    fn entry(account: &str) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(KEYRING_SERVICE, account).map_err(keyring_error)
    }
}

fn keyring_error(e: keyring::Error) -> SecretError {
    match e {
        keyring::Error::PlatformFailure(inner) => SecretError::Unavailable(inner.to_string()),
        keyring::Error::NoStorageAccess(inner) => SecretError::Unavailable(inner.to_string()),
        other => SecretError::Keyring(other.to_string()),
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, account: &str) -> Result<Option<String>, SecretError> {
        match Self::entry(account)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn set(&self, account: &str, secret: &str) -> Result<(), SecretError> {
        Self::entry(account)?.set_password(secret).map_err(keyring_error)
    }

    fn delete(&self, account: &str) -> Result<(), SecretError> {
        match Self::entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn is_persistent(&self) -> bool {
        true
    }
}

/// Secrets in this process's memory only: for tests, and for a session without a keyring.
#[derive(Default)]
pub struct MemoryStore(Mutex<BTreeMap<String, String>>);

impl SecretStore for MemoryStore {
    fn get(&self, account: &str) -> Result<Option<String>, SecretError> {
        Ok(self.0.lock().expect("secret map lock").get(account).cloned())
    }

    fn set(&self, account: &str, secret: &str) -> Result<(), SecretError> {
        self.0
            .lock()
            .expect("secret map lock")
            .insert(account.to_owned(), secret.to_owned());
        Ok(())
    }

    fn delete(&self, account: &str) -> Result<(), SecretError> {
        self.0.lock().expect("secret map lock").remove(account);
        Ok(())
    }

    fn is_persistent(&self) -> bool {
        false
    }
}

/// The app's secrets, per ADC, over any [`SecretStore`].
pub struct Secrets {
    store: Box<dyn SecretStore>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secrets(persistent: {})", self.store.is_persistent())
    }
}

impl Secrets {
    pub fn new(store: Box<dyn SecretStore>) -> Self {
        Self { store }
    }

    /// The OS keyring when one answers; otherwise memory, with the reason (show its user message: the
    /// token will be asked again after a restart).
    pub fn os_or_memory() -> (Self, Option<SecretError>) {
        match KeyringStore::probe() {
            Ok(store) => (Self::new(Box::new(store)), None),
            Err(e) => (Self::new(Box::<MemoryStore>::default()), Some(e)),
        }
    }

    pub fn is_persistent(&self) -> bool {
        self.store.is_persistent()
    }

    /// Keeps the token for the ADC at `site` (any form of its address).
    pub fn save_token(&self, site: &str, token: &ApiToken) -> Result<(), SecretError> {
        self.store.set(&token_account(site)?, token.expose())
    }

    /// The token kept for the ADC at `site`.
    pub fn token(&self, site: &str) -> Result<Option<ApiToken>, SecretError> {
        let stored = self.store.get(&token_account(site)?)?;
        Ok(stored.and_then(|t| ApiToken::new(t).ok()))
    }

    pub fn forget_token(&self, site: &str) -> Result<(), SecretError> {
        self.store.delete(&token_account(site)?)
    }

    /// A client for the ADC at `site` with its kept token (anonymous when none is kept).
    pub fn client(&self, site: &str) -> Result<AdcClient, SecretError> {
        let token = self.token(site)?;
        AdcClient::new(site, token).map_err(|e| SecretError::Address(e.to_string()))
    }

    /// Keeps the authenticator secret (base32, as shown at 2FA setup) of `login` on the ADC at `site`,
    /// after checking that it can make codes.
    pub fn save_totp_secret(&self, site: &str, login: &str, base32: &str) -> Result<(), SecretError> {
        let cleaned: String = base32
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        totp(&cleaned)?;
        self.store.set(&totp_account(site, login)?, &cleaned)
    }

    pub fn forget_totp_secret(&self, site: &str, login: &str) -> Result<(), SecretError> {
        self.store.delete(&totp_account(site, login)?)
    }

    /// The current 6-digit code from the kept authenticator secret, if one is kept.
    pub fn totp_code(&self, site: &str, login: &str) -> Result<Option<String>, SecretError> {
        let Some(secret) = self.store.get(&totp_account(site, login)?)? else {
            return Ok(None);
        };
        Ok(Some(totp_code_at(&secret, unix_now())?))
    }
}

/// The 6-digit code of the base32 `secret` at `unix_seconds`.
pub fn totp_code_at(secret: &str, unix_seconds: u64) -> Result<String, SecretError> {
    Ok(totp(secret)?.generate(unix_seconds))
}

/// The name a token created by sign-in gets on the ADC: "Catalog Desk (<this computer's name>)".
pub fn token_name() -> String {
    let host = gethostname::gethostname().to_string_lossy().into_owned();
    let host = if host.trim().is_empty() { "unknown" } else { host.trim() };
    format!("Catalog Desk ({host})")
}

fn totp(secret: &str) -> Result<TOTP, SecretError> {
    let bytes = Secret::Encoded(secret.to_owned())
        .to_bytes()
        .map_err(|_| SecretError::TotpSecretInvalid)?;
    TOTP::new(Algorithm::SHA1, TOTP_DIGITS, TOTP_SKEW, TOTP_STEP, bytes).map_err(|_| SecretError::TotpSecretInvalid)
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// The ADC's site address as [`AdcClient::site_url`] normalises it.
fn site_key(site: &str) -> Result<String, SecretError> {
    AdcClient::new(site, None)
        .map(|c| c.site_url())
        .map_err(|e| SecretError::Address(e.to_string()))
}

fn token_account(site: &str) -> Result<String, SecretError> {
    Ok(format!("api-token {}", site_key(site)?))
}

fn totp_account(site: &str, login: &str) -> Result<String, SecretError> {
    Ok(format!("totp {} {}", site_key(site)?, login.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_kept_per_adc_and_never_shown() {
        let secrets = Secrets::new(Box::<MemoryStore>::default());
        let token = ApiToken::new("tok-secret-1").unwrap();
        secrets.save_token("https://a.go.th/", &token).unwrap();
        assert_eq!(secrets.token("https://a.go.th").unwrap(), Some(token.clone()));
        assert_eq!(secrets.token("https://a.go.th/api/3/action").unwrap(), Some(token));
        assert_eq!(secrets.token("https://b.go.th").unwrap(), None, "pinned to its ADC");
        assert!(!format!("{secrets:?}").contains("tok-secret"));
        assert!(secrets.client("https://a.go.th").unwrap().has_token());
        secrets.forget_token("https://a.go.th").unwrap();
        assert_eq!(secrets.token("https://a.go.th").unwrap(), None);
        assert!(!secrets.is_persistent());
    }

    #[test]
    fn totp_codes_follow_rfc_6238() {
        // RFC 6238 Appendix B, SHA-1 secret "12345678901234567890", last 6 of the 8 digits.
        let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assert_eq!(totp_code_at(secret, 59).unwrap(), "287082");
        assert_eq!(totp_code_at(secret, 1111111109).unwrap(), "081804");
        let secrets = Secrets::new(Box::<MemoryStore>::default());
        assert!(matches!(
            secrets.save_totp_secret("https://a.go.th", "editor", "short"),
            Err(SecretError::TotpSecretInvalid)
        ));
        secrets
            .save_totp_secret("https://a.go.th", "editor", "gezd gnbv gy3t qojq gezd gnbv gy3t qojq")
            .unwrap();
        let code = secrets.totp_code("https://a.go.th", "editor").unwrap().unwrap();
        assert_eq!(code.len(), 6);
        assert!(code.chars().all(|c| c.is_ascii_digit()));
        assert_eq!(secrets.totp_code("https://a.go.th", "other").unwrap(), None);
    }

    #[test]
    fn a_missing_keyring_has_a_thai_first_message() {
        let msg = SecretError::Unavailable("no dbus".into()).to_user_message();
        assert_eq!(msg.code, "secrets.unavailable");
        assert!(msg.message.th.contains("keyring") && msg.message.en.contains("Secret Service"));
        assert!(token_name().starts_with("Catalog Desk ("));
    }
}
