//! The command line against the test CKAN: the real `catalog-desk-cli` binary on a temporary data folder
//! signs in (a token, or user name, password and authenticator code, each read from standard input),
//! validates with the ADC's own schema exactly as the window does, publishes an approved draft once (a
//! second publish writes nothing), and refuses, naming the file, to publish as public a draft whose file
//! holds personal data.
//!
//! Tokens live in the OS keyring only, and without a session bus the CLI keeps them in memory, so one
//! CLI process would not find the token the previous one saved. Each test therefore re-runs itself
//! inside a private D-Bus session with an unlocked GNOME Keyring (as catalog-publish's `os_keyring.rs`
//! does); every CLI process it starts shares that Secret Service. Needs `CATALOG_TEST_CKAN_ENV`,
//! `dbus-run-session` and `gnome-keyring-daemon` (scripts/test provides all three).
#![cfg(target_os = "linux")]

#[allow(dead_code)]
#[path = "../../adc/tests/support/mod.rs"]
mod adc_support;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use adc_support::{full_record, set_public, unique, LabEnv, RunIds};
use catalog_adc::{AdcClient, AdcError, ApiToken};
use catalog_app::{Desk, NoEvents};
use catalog_core::{metadata, schema_cache, ReviewDecision, Store};
use catalog_publish::secrets::totp_code_at;
use catalog_publish::{KeyringStore, PublishSummary, Secrets};
use catalog_schema::{keys, Schema, SchemaSource};
use catalog_testkit::people::people_csv;
use serde_json::{json, Map, Value};

/// Set in the child that runs a test's body inside the private D-Bus session.
const CHILD_ENV: &str = "CATALOG_CLI_LIVE_CHILD";

/// The test CKAN's settings. Secrets are never printed: assertions about them say what failed, not
/// the values.
struct Lab {
    url: String,
    org_id: String,
    org_name: String,
    editor_user: String,
    editor_token: String,
    sysadmin_token: ApiToken,
    password: String,
    totp_secret: String,
    /// Every token, password and authenticator secret of the env file, and tokens the tests create.
    secrets: Vec<String>,
}

impl Lab {
    /// Panics (the test fails) when `CATALOG_TEST_CKAN_ENV` is unset: these tests never pass without CKAN.
    fn get() -> Lab {
        let env = LabEnv::read();
        Lab {
            url: env.var("CKAN_URL"),
            org_id: env.var("CKAN_ORG_ID"),
            org_name: env.var("CKAN_ORG"),
            editor_user: env.var("CKAN_EDITOR_USER"),
            editor_token: env.var("CKAN_EDITOR_TOKEN"),
            sysadmin_token: env.token("CKAN_SYSADMIN_TOKEN"),
            password: env.var("CKAN_EDITOR_PASSWORD"),
            totp_secret: env.var("CKAN_EDITOR_TOTP_SECRET"),
            secrets: env.secrets(&["_TOKEN", "_PASSWORD", "_SECRET"]),
        }
    }

    /// The site as the app names it (no trailing slash).
    fn site(&self) -> &str {
        self.url.trim_end_matches('/')
    }

    /// Sees every dataset of the organisation, private or not.
    fn sysadmin(&self) -> AdcClient {
        AdcClient::new(&self.url, Some(self.sysadmin_token.clone())).unwrap()
    }

    fn secret_in(&self, bytes: &[u8]) -> bool {
        self.secrets
            .iter()
            .any(|s| bytes.windows(s.len()).any(|w| w == s.as_bytes()))
    }

    /// Fails if the CLI printed any secret on stdout or stderr.
    #[track_caller]
    fn assert_no_secret(&self, what: &str, output: &Output) {
        assert!(!self.secret_in(&output.stdout), "a secret appears on stdout of {what}");
        assert!(!self.secret_in(&output.stderr), "a secret appears on stderr of {what}");
    }

    /// Fails if any file below `dir` contains a secret.
    fn assert_no_secret_in_files(&self, dir: &Path) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                self.assert_no_secret_in_files(&path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                assert!(!self.secret_in(&bytes), "a secret is stored in {}", path.display());
            }
        }
    }
}

/// In the parent: runs `test` of this binary again inside a private D-Bus session with an unlocked GNOME
/// Keyring (and its own HOME), checks that exactly that test ran there and passed, and returns false. In
/// that child: returns true, and the test's body runs.
fn in_private_keyring(test: &str) -> bool {
    if std::env::var_os(CHILD_ENV).is_some() {
        return true;
    }
    Lab::get();
    let home = tempfile::tempdir().unwrap();
    let script = format!(
        "export XDG_DATA_HOME={0}/data XDG_RUNTIME_DIR={0}/run HOME={0}\n\
         mkdir -p $XDG_DATA_HOME $XDG_RUNTIME_DIR && chmod 700 $XDG_RUNTIME_DIR\n\
         eval \"$(printf test-keyring-password | gnome-keyring-daemon --unlock --components=secrets)\" >/dev/null\n\
         exec \"$0\" --exact {test} --include-ignored --nocapture --test-threads=1",
        home.path().display()
    );
    let exe = std::env::current_exe().unwrap();
    let out = Command::new("dbus-run-session")
        .args(["--", "bash", "-c", &script])
        .arg(&exe)
        .env(CHILD_ENV, "1")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot start the child test ({e}); install dbus (dbus-run-session) and gnome-keyring")
        });
    catalog_testkit::libtest::assert_ran_one_and_passed(test, &out);
    false
}

/// Runs the CLI on `data` with `stdin` piped in; fails if it prints a secret.
fn cli(lab: &Lab, data: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_catalog-desk-cli"))
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("CATALOG_DESK_DATA_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI starts");
    let mut input = child.stdin.take().unwrap();
    // A command that does not read standard input may have exited already: nothing to report then.
    let _ = input.write_all(stdin.as_bytes());
    drop(input);
    let output = child.wait_with_output().expect("the CLI ends");
    lab.assert_no_secret(&format!("catalog-desk-cli {}", args.join(" ")), &output);
    output
}

/// Stdout as JSON, after checking the exit code (stderr shown when it differs).
#[track_caller]
fn exits(output: &Output, code: i32, what: &str) -> Value {
    assert_eq!(
        output.status.code(),
        Some(code),
        "{what}: exit code\n--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if code == 2 {
        return serde_json::from_slice(&output.stderr).unwrap_or_else(|e| {
            panic!(
                "{what}: stderr is JSON ({e}): {}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
    }
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{what}: stdout is JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

#[track_caller]
fn assert_lists_the_org(account: &Value, lab: &Lab) {
    let orgs = account["organizations"].as_array().expect("organizations");
    assert!(
        orgs.iter()
            .any(|o| o["id"] == lab.org_id.as_str() && o["name"] == lab.org_name.as_str()),
        "the lab's organisation is listed: {account:#}"
    );
}

#[test]
#[ignore = "needs the test CKAN (scripts/test starts it)"]
fn signs_in_with_a_token_or_a_password_and_code_keeping_the_token_in_the_os_keyring_only() {
    if !in_private_keyring("signs_in_with_a_token_or_a_password_and_code_keeping_the_token_in_the_os_keyring_only") {
        return;
    }
    let mut lab = Lab::get();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let keyring = Secrets::new(Box::new(
        KeyringStore::probe().expect("the private Secret Service answers"),
    ));
    let kept = |site: &str| keyring.token(site).unwrap().map(|t| t.expose().to_owned());

    let token_line = format!("{}\n", lab.editor_token);
    let account = exits(
        &cli(&lab, &data, &["sign-in", "--adc", &lab.url], &token_line),
        0,
        "sign-in with a token",
    );
    assert_eq!(account["signed_in"], true, "{account:#}");
    assert_eq!(account["site"], lab.site());
    assert!(
        account["keyring_warning"].is_null(),
        "the OS keyring is used: {account:#}"
    );
    assert_lists_the_org(&account, &lab);
    assert!(
        kept(lab.site()).as_deref() == Some(lab.editor_token.as_str()),
        "the pasted token is kept in the OS keyring"
    );

    let status = exits(&cli(&lab, &data, &["status"], ""), 0, "status");
    assert_eq!(
        status["account"]["signed_in"], true,
        "another process finds the token: {status:#}"
    );
    assert_eq!(status["schema"]["adc_url"], lab.site(), "the ADC's form is in use");

    let out = exits(&cli(&lab, &data, &["sign-out"], ""), 0, "sign-out");
    assert_eq!(out["signed_in"], false);
    assert!(kept(lab.site()).is_none(), "signing out forgets the token");

    // The authenticator code is single-use: if another sign-in used this 30-second step's code, wait
    // for the next step.
    let password_line = format!("{}\n", lab.password);
    let mut signed_in = None;
    for _ in 0..3 {
        let code = totp_code_at(&lab.totp_secret, now()).unwrap();
        let args = [
            "sign-in",
            "--adc",
            &lab.url,
            "--user",
            &lab.editor_user,
            "--code",
            &code,
        ];
        let output = cli(&lab, &data, &args, &password_line);
        if output.status.code() == Some(2) && exits(&output, 2, "sign-in")["code"] == "adc.signin_code_rejected" {
            std::thread::sleep(Duration::from_secs(31 - now() % 30));
            continue;
        }
        signed_in = Some(output);
        break;
    }
    let output = signed_in.expect("signed in with password and code within three 30-second steps");
    let account = exits(&output, 0, "sign-in with password and code");
    assert_eq!(account["signed_in"], true, "{account:#}");
    assert_lists_the_org(&account, &lab);
    let created = kept(lab.site()).expect("the token the ADC created is kept in the OS keyring");
    assert!(created != lab.editor_token, "a new token was created by the sign-in");
    lab.secrets.push(created.clone());
    lab.assert_no_secret("sign-in with password and code", &output);

    let orgs = tokio::runtime::Runtime::new().unwrap().block_on(async {
        AdcClient::new(&lab.url, Some(ApiToken::new(&created).unwrap()))
            .unwrap()
            .organization_list_for_user()
            .await
            .expect("the created token works")
    });
    assert!(orgs.iter().any(|o| o.id == lab.org_id));
    let status = exits(&cli(&lab, &data, &["status"], ""), 0, "status");
    assert_eq!(status["account"]["signed_in"], true);

    lab.assert_no_secret_in_files(&data);
}

/// A small statistical table without personal data.
const BIRTHS_CSV: &str = "ปี,จังหวัด,เพศ,จำนวนการเกิด\n\
2564,น่าน,ชาย,2105\n2564,น่าน,หญิง,1998\n2565,น่าน,ชาย,2051\n2565,น่าน,หญิง,1940\n\
2566,น่าน,ชาย,1987\n2566,น่าน,หญิง,1902\n2564,แพร่,ชาย,1876\n2564,แพร่,หญิง,1811\n\
2565,แพร่,ชาย,1830\n2565,แพร่,หญิง,1765\n2566,แพร่,ชาย,1790\n2566,แพร่,หญิง,1722\n";

/// A draft as the test made it.
struct TestDraft {
    id: String,
    /// The URL name (the dataset's name on the ADC).
    name: String,
    title: String,
}

/// An approved draft with every field of the schema's first data type filled validly, classified as
/// data the schema allows to be public and asking to be public, with one attached file.
fn approved_public_draft(
    store: &mut Store,
    schema: &Schema,
    lab: &Lab,
    sources: &Path,
    (file_name, bytes): (&str, &[u8]),
) -> TestDraft {
    let name = unique("cli-live");
    let ids = RunIds {
        title: format!("ชุดข้อมูลทดสอบ CLI {name}"),
        name,
        org_id: lab.org_id.clone(),
    };
    let data_type = schema.data_types()[0].value.clone();
    let mut record = full_record(schema, &data_type, &ids);
    set_public(schema, &mut record.metadata);
    let draft = store.create_draft(&ids.title, "tester").unwrap();
    for (key, value) in &record.metadata {
        store.set_field(&draft.id, key, value.clone(), "tester").unwrap();
    }
    std::fs::create_dir_all(sources).unwrap();
    let source = sources.join(file_name);
    std::fs::write(&source, bytes).unwrap();
    let resource = store.attach_file(&draft.id, &source, "tester").unwrap();
    let mut fields: Map<String, Value> = record.resources[0].clone();
    fields.insert(keys::NAME.to_owned(), json!(file_name));
    fields.insert(keys::RESOURCE_PRIVATE.to_owned(), json!("False"));
    for (key, value) in fields {
        store.set_resource_field(&resource.id, &key, value, "tester").unwrap();
    }
    store.review(&draft.id, ReviewDecision::Submit, "tester", "").unwrap();
    store
        .review(&draft.id, ReviewDecision::Approve, "steward", "ตรวจแล้ว")
        .unwrap();
    TestDraft {
        id: draft.id,
        name: ids.name,
        title: ids.title,
    }
}

/// Each draft's problems as JSON, by draft id.
type ProblemsById = BTreeMap<String, Value>;

#[test]
#[ignore = "needs the test CKAN (scripts/test starts it)"]
fn publishes_an_approved_draft_once_and_refuses_personal_data_as_public() {
    if !in_private_keyring("publishes_an_approved_draft_once_and_refuses_personal_data_as_public") {
        return;
    }
    let lab = Lab::get();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let sources = dir.path().join("sources");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let adc = lab.sysadmin();

    let token_line = format!("{}\n", lab.editor_token);
    exits(
        &cli(&lab, &data, &["sign-in", "--adc", &lab.url], &token_line),
        0,
        "sign-in",
    );

    // The drafts, made in the store the CLI uses while no CLI process runs.
    let people_bytes = people_csv(200);
    let (births, people, unfinished) = {
        let mut store = Store::open(&data).unwrap();
        let (schema, info) = schema_cache::current(&store);
        assert_eq!(
            info.adc_url.as_deref(),
            Some(lab.site()),
            "sign-in fetched the ADC's form"
        );
        assert_eq!(schema.source(), &SchemaSource::Server);
        let births = approved_public_draft(
            &mut store,
            &schema,
            &lab,
            &sources,
            ("births.csv", BIRTHS_CSV.as_bytes()),
        );
        let people = approved_public_draft(
            &mut store,
            &schema,
            &lab,
            &sources,
            ("people.csv", people_bytes.as_bytes()),
        );
        let unfinished = store.create_draft("ร่างที่ยังกรอกไม่ครบ", "tester").unwrap().id;
        (births, people, unfinished)
    };

    // analyse: the register's personal data is found, the table has none.
    let analysed = exits(&cli(&lab, &data, &["analyse"], ""), 0, "analyse");
    let of = |draft: &str| -> Value {
        analysed
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["draft_id"] == draft)
            .unwrap_or_else(|| panic!("analyse lists the file of {draft}: {analysed:#}"))
            .clone()
    };
    let (births_file, people_file) = (of(&births.id), of(&people.id));
    assert!(births_file["error"].is_null(), "{births_file:#}");
    assert_eq!(births_file["data_rows"], 12);
    assert_eq!(births_file["personal_data_hints"], 0, "{births_file:#}");
    assert!(people_file["error"].is_null(), "{people_file:#}");
    assert_eq!(people_file["data_rows"], 200);
    assert!(
        people_file["personal_data_hints"].as_u64().unwrap() >= 3,
        "citizen IDs, titled names and phones are found: {people_file:#}"
    );

    // validate: the ADC's schema, and per draft the very problems the window shows.
    let validate = exits(
        &cli(&lab, &data, &["validate"], ""),
        1,
        "validate (the unfinished draft has errors)",
    );
    assert_eq!(validate["schema"]["adc_url"], lab.site(), "{:#}", validate["schema"]);
    let ids = [&births.id, &people.id, &unfinished];
    let from_cli: ProblemsById = validate["drafts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["id"].as_str().unwrap().to_owned(), d["problems"].clone()))
        .collect();
    let in_window: ProblemsById = {
        let desk = Desk::open(&data, Arc::new(NoEvents));
        assert_eq!(desk.schema_info().adc_url.as_deref(), Some(lab.site()));
        ids.iter()
            .map(|id| {
                let view = runtime.block_on(desk.draft_view((*id).clone())).unwrap();
                ((*id).clone(), serde_json::to_value(view.problems).unwrap())
            })
            .collect()
    };
    assert_eq!(from_cli, in_window, "validate shows the window's problems");
    let is_error = |p: &Value| p["severity"] == "error";
    assert!(
        !from_cli[&births.id].as_array().unwrap().iter().any(is_error),
        "the births draft is valid: {:#}",
        from_cli[&births.id]
    );
    let unfinished_errors = from_cli[&unfinished]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| is_error(p))
        .count();
    assert!(unfinished_errors > 0);
    let all_errors = from_cli
        .values()
        .flat_map(|p| p.as_array().unwrap())
        .filter(|p| is_error(p))
        .count();
    assert_eq!(validate["errors"], all_errors);
    let with_built_in: ProblemsById = {
        let store = Store::open(&data).unwrap();
        ids.iter()
            .map(|id| {
                let view = metadata::view(&store, Schema::built_in(), id).unwrap();
                ((*id).clone(), serde_json::to_value(view.problems).unwrap())
            })
            .collect()
    };
    // The test CKAN serves thai_gdc 2.2.4's own fields, so its schema finds what the built-in copy finds;
    // crates/cli/tests/cli.rs shows `validate` following a cached ADC schema that differs.
    eprintln!(
        "validate with the ADC's schema {} the built-in schema's problems",
        if with_built_in == from_cli {
            "equals"
        } else {
            "differs from"
        }
    );

    // The dry run lists the write calls and writes nothing.
    let dry = exits(
        &cli(&lab, &data, &["publish", "--dry-run", &births.name], ""),
        0,
        "publish --dry-run",
    );
    let dry = &dry.as_array().expect("one dry run per draft")[0];
    assert!(dry["stopped"].is_null(), "{dry:#}");
    let actions: Vec<&str> = dry["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"package_create") && actions.contains(&"resource_create"),
        "{actions:?}"
    );
    assert_eq!(dry["summary"]["dataset_created"], true);
    assert_eq!(dry["summary"]["files_added"], 1);
    assert_eq!(dry["item"]["state"], "paused");
    let not_there = runtime.block_on(adc.package_show(&births.name));
    assert!(
        matches!(not_there, Err(AdcError::NotFound { .. })),
        "a dry run creates nothing: {not_there:?}"
    );

    // publish by URL name: created with its one file, byte for byte.
    let published = exits(&cli(&lab, &data, &["publish", &births.name], ""), 0, "publish");
    assert_eq!(published["failed"], 0);
    let first = &published["published"][0];
    assert_eq!(first["draft_id"], births.id.as_str());
    assert!(first["error"].is_null(), "{first:#}");
    assert_eq!(first["outcome"]["outcome"], "published", "{first:#}");
    assert_eq!(first["outcome"]["name"], births.name.as_str());
    assert_eq!(first["item"]["state"], "done");
    assert_eq!(
        first["item"]["id"], dry["item"]["id"],
        "the dry run's paused item was the one published"
    );
    let summary = &first["outcome"]["summary"];
    assert_eq!(summary["dataset_created"], true, "{summary:#}");
    assert_eq!(summary["files_added"], 1);
    assert_eq!(summary["bytes_uploaded"], BIRTHS_CSV.len());
    let package = runtime.block_on(adc.package_show(&births.name)).expect("on the ADC");
    assert_eq!(package["private"], false, "published as public");
    let resources = package["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 1, "{resources:#?}");
    let downloaded = dir.path().join("downloaded.csv");
    runtime
        .block_on(adc.download(resources[0]["url"].as_str().unwrap(), &downloaded, None))
        .expect("the file downloads");
    assert_eq!(
        std::fs::read(&downloaded).unwrap(),
        BIRTHS_CSV.as_bytes(),
        "byte-identical"
    );

    // A second publish (by id) finds nothing changed and writes nothing.
    let again = exits(&cli(&lab, &data, &["publish", &births.id], ""), 0, "publish again");
    let second = &again["published"][0];
    assert!(second["error"].is_null(), "{second:#}");
    assert_eq!(second["outcome"]["outcome"], "published", "{second:#}");
    assert_eq!(second["outcome"]["writes"], json!([]), "no write call");
    assert_eq!(
        second["outcome"]["summary"],
        serde_json::to_value(PublishSummary::default()).unwrap()
    );
    let after = runtime.block_on(adc.package_show(&births.name)).unwrap();
    assert_eq!(
        after["metadata_modified"], package["metadata_modified"],
        "the ADC copy is untouched"
    );
    assert_eq!(after["resources"].as_array().unwrap().len(), 1);
    let titled = runtime.block_on(adc.datasets_titled(&births.title)).unwrap();
    assert_eq!(titled.len(), 1, "exactly one dataset of that title: {titled:#?}");

    let status = exits(&cli(&lab, &data, &["status"], ""), 0, "status");
    let items: Vec<&Value> = status["queue"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["draft_id"] == births.id.as_str())
        .collect();
    assert!(!items.is_empty(), "{status:#}");
    assert!(items.iter().all(|i| i["state"] == "done"), "{items:#?}");

    // The gate: the register asks to be public and is refused, naming the file; nothing reaches the ADC.
    let refused = exits(
        &cli(&lab, &data, &["publish", &people.name], ""),
        1,
        "publish of personal data as public",
    );
    assert_eq!(refused["failed"], 1);
    let refusal = &refused["published"][0];
    assert!(refusal["item"].is_null(), "nothing queued: {refusal:#}");
    assert_eq!(refusal["error"]["code"], "publish.public_refused", "{refusal:#}");
    for lang in ["th", "en"] {
        let text = refusal["error"]["message"][lang].as_str().unwrap();
        assert!(text.contains("people.csv"), "the file is named ({lang}): {text}");
    }
    let dry_refused = exits(
        &cli(&lab, &data, &["publish", "--dry-run", &people.id], ""),
        2,
        "dry run of personal data as public",
    );
    assert_eq!(dry_refused["code"], "publish.public_refused");
    let not_there = runtime.block_on(adc.package_show(&people.name));
    assert!(
        matches!(not_there, Err(AdcError::NotFound { .. })),
        "nothing created: {not_there:?}"
    );
    let status = exits(&cli(&lab, &data, &["status"], ""), 0, "status");
    assert!(
        !status["queue"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["draft_id"] == people.id.as_str()),
        "the refused draft is not in the queue: {status:#}"
    );

    lab.assert_no_secret_in_files(&data);
    lab.assert_no_secret_in_files(&sources);
}
