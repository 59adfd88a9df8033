//! The real OS keyring on Linux: the Secret Service of a GNOME Keyring started for this test on a private
//! D-Bus session (this test binary re-executed inside `dbus-run-session`), so a token saved through one
//! `Secrets` is read back by another (the keyring crate's mock store cannot show that). Without any session
//! bus the store reports itself unavailable with its Thai/English message. Needs `dbus-run-session` and
//! `gnome-keyring-daemon` (scripts/lib/setup.sh installs both).
#![cfg(target_os = "linux")]

use std::process::Command;

use catalog_adc::ApiToken;
use catalog_error::ToUserMessage;
use catalog_publish::{KeyringStore, SecretError, Secrets};

const CHILD_ENV: &str = "CATALOG_PUBLISH_KEYRING_CHILD";

/// Runs one test of this binary as a child (inside `wrapper`'s shell script under `dbus-run-session`, or
/// directly) without any session bus, and fails unless it ran and passed.
fn run_self(test: &str, wrapper: Option<&str>) {
    let exe = std::env::current_exe().unwrap();
    let args = format!("{} --exact {test} --nocapture --test-threads=1", exe.display());
    let mut command = match wrapper {
        Some(script) => {
            let mut c = Command::new("dbus-run-session");
            c.args(["--", "bash", "-c", &format!("{script}\nexec {args}")]);
            c
        }
        None => {
            let mut c = Command::new(&exe);
            c.args(["--exact", test, "--nocapture", "--test-threads=1"]);
            c
        }
    };
    let out = command
        .env(CHILD_ENV, "1")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot start the child test ({e}); install dbus (dbus-run-session) and gnome-keyring")
        });
    assert!(
        catalog_testkit::libtest::ran_one_and_passed(&out),
        "the child did not run exactly {test} and pass it (needs dbus-run-session and gnome-keyring-daemon; \
         a renamed test runs none):\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_token_saved_in_the_secret_service_is_read_back_by_another_entry() {
    if std::env::var_os(CHILD_ENV).is_some() {
        let site = "https://catalog.keyring-test.go.th";
        let token = ApiToken::new("keyring-test-token-1").unwrap();
        let writer = Secrets::new(Box::new(KeyringStore::probe().expect("the Secret Service answers")));
        writer.save_token(site, &token).unwrap();
        let reader = Secrets::new(Box::new(KeyringStore));
        assert_eq!(reader.token(site).unwrap(), Some(token));
        assert!(reader.is_persistent());
        reader.forget_token(site).unwrap();
        assert_eq!(writer.token(site).unwrap(), None);
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let script = format!(
        "export XDG_DATA_HOME={0}/data XDG_RUNTIME_DIR={0}/run HOME={0}\n\
         mkdir -p $XDG_DATA_HOME $XDG_RUNTIME_DIR && chmod 700 $XDG_RUNTIME_DIR\n\
         eval \"$(printf test-keyring-password | gnome-keyring-daemon --unlock --components=secrets)\" >/dev/null",
        home.path().display()
    );
    run_self(
        "a_token_saved_in_the_secret_service_is_read_back_by_another_entry",
        Some(&script),
    );
}

#[test]
fn without_a_keyring_the_store_says_so_in_thai_and_english() {
    if std::env::var_os(CHILD_ENV).is_some() {
        let err = KeyringStore::probe().expect_err("no session bus, no keyring");
        assert!(matches!(err, SecretError::Unavailable(_)), "{err:?}");
        let msg = err.to_user_message();
        assert_eq!(msg.code, "secrets.unavailable");
        let (secrets, reason) = Secrets::os_or_memory();
        assert!(
            !secrets.is_persistent() && reason.is_some(),
            "falls back to memory for the session"
        );
        return;
    }
    run_self("without_a_keyring_the_store_says_so_in_thai_and_english", None);
}
