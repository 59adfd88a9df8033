//! Test support for the live publish tests: the test CKAN's env file through `CATALOG_TEST_CKAN_ENV`
//! (failing loudly when it is missing), approved drafts with real files in a temporary data folder, and
//! a check that no secret of the env file shows in output. Valid records come from catalog-adc's own
//! test support, so both crates test against the same generated data.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use catalog_adc::{AdcClient, ApiToken};
use catalog_core::{ReviewDecision, Store};
use catalog_publish::{Backoff, DraftSnapshot, Outbox, OUTBOX_FILE};
use catalog_schema::{keys, Access, Schema};
use serde_json::{json, Map, Value};

#[allow(dead_code)]
#[path = "../../../adc/tests/support/mod.rs"]
mod adc;
pub use adc::{full_record, unique, LabEnv, RunIds};

/// The test CKAN's settings. Secrets stay in [`ApiToken`]s or private fields.
pub struct Lab {
    pub url: String,
    pub org_id: String,
    pub editor_user: String,
    pub editor_token: ApiToken,
    pub member_token: ApiToken,
    pub sysadmin_token: ApiToken,
    password: String,
    totp_secret: String,
    secrets: Vec<String>,
}

impl Lab {
    /// Panics (the test fails) when `CATALOG_TEST_CKAN_ENV` is unset: these tests never pass without CKAN.
    pub fn get() -> Lab {
        let env = LabEnv::read();
        Lab {
            url: env.var("CKAN_URL"),
            org_id: env.var("CKAN_ORG_ID"),
            editor_user: env.var("CKAN_EDITOR_USER"),
            editor_token: env.token("CKAN_EDITOR_TOKEN"),
            member_token: env.token("CKAN_MEMBER_TOKEN"),
            sysadmin_token: env.token("CKAN_SYSADMIN_TOKEN"),
            password: env.var("CKAN_EDITOR_PASSWORD"),
            totp_secret: env.var("CKAN_EDITOR_TOTP_SECRET"),
            secrets: env.secrets(&["_TOKEN", "_PASSWORD", "_SECRET"]),
        }
    }

    pub fn editor(&self) -> AdcClient {
        AdcClient::new(&self.url, Some(self.editor_token.clone())).unwrap()
    }

    pub fn sysadmin(&self) -> AdcClient {
        AdcClient::new(&self.url, Some(self.sysadmin_token.clone())).unwrap()
    }

    pub fn anonymous(&self) -> AdcClient {
        AdcClient::new(&self.url, None).unwrap()
    }

    pub fn password(&self) -> &str {
        &self.password
    }

    pub fn totp_secret(&self) -> &str {
        &self.totp_secret
    }

    /// Fails if `text` contains any token, password or TOTP secret of the env file.
    pub fn assert_no_secret(&self, text: &str) {
        assert!(
            !self.secrets.iter().any(|s| text.contains(s.as_str())),
            "a secret appears in output"
        );
    }

    /// Fails if any file below `dir` contains a secret of the env file.
    pub fn assert_no_secret_in_files(&self, dir: &Path) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                self.assert_no_secret_in_files(&path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                let found = self
                    .secrets
                    .iter()
                    .any(|s| bytes.windows(s.len()).any(|w| w == s.as_bytes()));
                assert!(!found, "a secret is stored in {}", path.display());
            }
        }
    }
}

/// A data folder with the draft store and the outbox (below `root`), and the files attached (`root/sources`).
pub struct Desk {
    _guard: Option<tempfile::TempDir>,
    pub root: PathBuf,
    pub store: Store,
    pub schema: Schema,
    pub outbox: Outbox,
}

/// How a test draft's access is set up.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Public,
    Private,
}

impl Desk {
    pub fn new() -> Desk {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = Self::open(dir.path());
        desk._guard = Some(dir);
        desk
    }

    /// The desk in `root` (created or reopened), which outlives it.
    pub fn open(root: &Path) -> Desk {
        let store = Store::open(&root.join("data")).unwrap();
        let backoff = Backoff {
            first: std::time::Duration::from_secs(1),
            max: std::time::Duration::from_secs(2),
        };
        let outbox = Outbox::open_file(&root.join("data").join(OUTBOX_FILE), backoff).unwrap();
        Desk {
            _guard: None,
            root: root.to_owned(),
            store,
            schema: Schema::built_in().clone(),
            outbox,
        }
    }

    /// An approved draft with a valid generated record, the given access, and one resource per file
    /// (each named after its file, `resource_private` as given).
    pub fn approved_draft(
        &mut self,
        lab: &Lab,
        label: &str,
        visibility: Visibility,
        files: &[(&str, &[u8], bool)],
    ) -> String {
        let name = unique(label);
        let ids = RunIds {
            title: format!("ชุดข้อมูลทดสอบ {name}"),
            name,
            org_id: lab.org_id.clone(),
        };
        let data_type = self.schema.data_types()[0].value.clone();
        let mut record = full_record(&self.schema, &data_type, &ids);
        set_access(&self.schema, &mut record.metadata, visibility);
        let draft = self.store.create_draft(&ids.title, "tester").unwrap();
        for (key, value) in &record.metadata {
            self.store.set_field(&draft.id, key, value.clone(), "tester").unwrap();
        }
        for (file_name, bytes, private) in files {
            self.add_file(&draft.id, file_name, bytes, *private, &record.resources[0]);
        }
        self.approve(&draft.id);
        draft.id
    }

    /// Submits and approves the draft (again, after an edit sent it back to draft).
    pub fn approve(&mut self, draft_id: &str) {
        self.store
            .review(draft_id, ReviewDecision::Submit, "tester", "")
            .unwrap();
        self.store
            .review(draft_id, ReviewDecision::Approve, "steward", "ok")
            .unwrap();
    }

    /// Attaches a file with the generated resource fields.
    pub fn add_file(
        &mut self,
        draft_id: &str,
        file_name: &str,
        bytes: &[u8],
        private: bool,
        fields: &Map<String, Value>,
    ) {
        let folder = self.root.join("sources");
        std::fs::create_dir_all(&folder).unwrap();
        let source = folder.join(file_name);
        std::fs::write(&source, bytes).unwrap();
        let resource = self.store.attach_file(draft_id, &source, "tester").unwrap();
        self.analyse(&resource.id);
        for (key, value) in fields {
            self.store
                .set_resource_field(&resource.id, key, value.clone(), "tester")
                .unwrap();
        }
        self.store
            .set_resource_field(&resource.id, keys::NAME, json!(file_name), "tester")
            .unwrap();
        let flag = if private { "True" } else { "False" };
        self.store
            .set_resource_field(&resource.id, keys::RESOURCE_PRIVATE, json!(flag), "tester")
            .unwrap();
    }

    /// Checks the file's contents as the app's background analyser does, so the gate decides on them.
    pub fn analyse(&self, resource_id: &str) {
        let Some(job) = self.store.begin_analysis(resource_id).unwrap() else {
            return;
        };
        let cancel = std::sync::atomic::AtomicBool::new(false);
        match catalog_core::analysis::run(&job, &mut |_| {}, &cancel) {
            Ok(found) => self.store.finish_analysis(&job, Ok(&found)),
            Err(failed) => {
                let message = catalog_error::ToUserMessage::to_user_message(&failed);
                self.store.finish_analysis(&job, Err(&message))
            }
        }
        .unwrap();
    }

    pub fn snapshot(&self, draft_id: &str) -> DraftSnapshot {
        DraftSnapshot::load(&self.store, &self.schema, draft_id).unwrap()
    }
}

/// A category and level the schema allows as public (or not), and `private` to match.
fn set_access(schema: &Schema, metadata: &mut Map<String, Value>, visibility: Visibility) {
    let rules = schema.classification();
    let rule = rules
        .rules
        .iter()
        .find(|r| (r.access == Access::Public) == (visibility == Visibility::Public))
        .expect("a matching classification rule");
    let level = rule
        .levels
        .iter()
        .find(|l| (visibility == Visibility::Public) == rules.public_levels.contains(l))
        .expect("a matching level");
    metadata.insert(keys::DATA_CATEGORY.to_owned(), json!(rule.category));
    metadata.insert(keys::DATA_CLASSIFICATION.to_owned(), json!(level));
    match &rule.accessible_condition {
        Some(condition) => metadata.insert(keys::ACCESSIBLE_CONDITION.to_owned(), json!(condition)),
        None => metadata.remove(keys::ACCESSIBLE_CONDITION),
    };
    let private = if visibility == Visibility::Public {
        "False"
    } else {
        "True"
    };
    metadata.insert(keys::PRIVATE.to_owned(), json!(private));
    metadata.insert(
        keys::ALLOW_HARVEST.to_owned(),
        json!(if private == "True" { "False" } else { "True" }),
    );
}

/// Deterministic test content of `len` bytes: a two-column table of random digits (a real CSV, so the
/// analysis reads it and the gate can let it be public).
pub fn content(seed: u8, len: usize) -> Vec<u8> {
    let mut x: u32 = 0x9E37_79B9 ^ u32::from(seed);
    let mut bytes = b"a,b\n".to_vec();
    while bytes.len() < len {
        for end in [b',', b'\n'] {
            for _ in 0..5 {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                bytes.push(b'0' + (x >> 24) as u8 % 10);
            }
            bytes.push(end);
        }
    }
    bytes.truncate(len);
    bytes
}
