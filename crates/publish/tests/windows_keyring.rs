//! The Windows Credential Manager, the keyring the app keeps its secrets in on Windows (the `keyring`
//! crate's `windows-native` store): an API token as long as a CKAN one and an authenticator secret saved
//! through one `Secrets` are read back by another process (this test binary run again), and forgetting
//! them removes them. scripts/test runs it under Wine, whose CredWriteW/CredReadW/CredDeleteW keep
//! credentials in the prefix's registry.
#![cfg(windows)]

use std::process::Command;

use catalog_adc::ApiToken;
use catalog_publish::{KeyringStore, Secrets};

const CHILD_ENV: &str = "CATALOG_PUBLISH_WINCRED_CHILD";
const SITE: &str = "https://catalog.wincred-test.go.th";
const LOGIN: &str = "somchai";
const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// A token shaped like CKAN's API tokens (a JWT of a few hundred characters).
fn token() -> ApiToken {
    let body: String = (0..400).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
    ApiToken::new(format!("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.{body}.signature")).unwrap()
}

fn keyring() -> Secrets {
    Secrets::new(Box::new(
        KeyringStore::probe().expect("the Windows Credential Manager answers"),
    ))
}

/// Forgets what the test saved, even when an assertion failed half-way.
struct Forget;

impl Drop for Forget {
    fn drop(&mut self) {
        let secrets = Secrets::new(Box::new(KeyringStore));
        let _ = secrets.forget_token(SITE);
        let _ = secrets.forget_totp_secret(SITE, LOGIN);
    }
}

#[test]
fn secrets_saved_in_the_credential_manager_are_read_by_another_process_and_forgotten() {
    let test = "secrets_saved_in_the_credential_manager_are_read_by_another_process_and_forgotten";
    if std::env::var_os(CHILD_ENV).is_some() {
        let reader = keyring();
        assert!(reader.is_persistent());
        assert_eq!(reader.token(SITE).unwrap(), Some(token()));
        let code = reader
            .totp_code(SITE, LOGIN)
            .unwrap()
            .expect("the authenticator secret is kept");
        assert_eq!(code.len(), 6);
        reader.forget_token(SITE).unwrap();
        reader.forget_totp_secret(SITE, LOGIN).unwrap();
        return;
    }
    let _forget = Forget;
    let writer = keyring();
    writer.save_token(SITE, &token()).unwrap();
    writer.save_totp_secret(SITE, LOGIN, TOTP_SECRET).unwrap();
    let child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, "1")
        .output()
        .unwrap();
    catalog_testkit::libtest::assert_ran_one_and_passed(test, &child);
    assert_eq!(writer.token(SITE).unwrap(), None, "forgotten by the other process");
    assert_eq!(writer.totp_code(SITE, LOGIN).unwrap(), None);
}
