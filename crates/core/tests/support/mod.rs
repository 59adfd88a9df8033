//! Test support for the personal-data gate (also used by catalog-import's tests): a register of
//! persons written as CSV here (Thai citizen IDs with valid check digits, titled names, mobile numbers;
//! nothing copied from real data), a draft classified as public data (category and level taken from the
//! schema's own rules), approval, and the background worker's loop run to the end.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use catalog_core::analysis::{self, AnalysisError};
use catalog_core::metadata::DraftView;
use catalog_core::{ReviewDecision, Store};
use catalog_error::ToUserMessage;
use catalog_schema::{keys, Access, Schema};
use serde_json::json;

/// A register of `rows` persons: citizen ID, titled name, mobile number, district, allowance.
pub fn write_people_csv(dir: &Path, name: &str, rows: u64) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, catalog_testkit::people::people_csv(rows)).unwrap();
    path
}

/// Classifies the draft as data the schema allows to be public, asks for it to be public, and
/// consents to GD Catalog (as the ADC form would).
pub fn make_public(store: &mut Store, draft_id: &str) {
    let schema = Schema::built_in();
    let rules = schema.classification();
    let rule = rules.rules.iter().find(|r| r.access == Access::Public).unwrap();
    let level = rule.levels.iter().find(|l| rules.public_levels.contains(l)).unwrap();
    for (key, value) in [
        (keys::DATA_CATEGORY, json!(rule.category)),
        (keys::DATA_CLASSIFICATION, json!(level)),
        (keys::PRIVATE, json!("False")),
        (keys::ALLOW_HARVEST, json!("True")),
    ] {
        store.set_field(draft_id, key, value, "somchai").unwrap();
    }
}

/// Submits and approves the draft. The store's own review is used: the gate must hold for an approved
/// draft whatever let it be approved.
pub fn approve(store: &mut Store, draft_id: &str) {
    store.review(draft_id, ReviewDecision::Submit, "somchai", "").unwrap();
    store
        .review(draft_id, ReviewDecision::Approve, "somying", "ตรวจแล้ว")
        .unwrap();
}

/// Runs the background worker's loop until the queue is empty; returns how many files it analysed.
pub fn analyse_queue(store: &Store) -> usize {
    let mut analysed = 0;
    for id in store.analysis_queue().unwrap() {
        let Some(job) = store.begin_analysis(&id).unwrap() else {
            continue;
        };
        match analysis::run(&job, &mut |_| {}, &AtomicBool::new(false)) {
            Err(AnalysisError::Cancelled) => store.abandon_analysis(&job).unwrap(),
            Ok(found) => assert!(store.finish_analysis(&job, Ok(&found)).unwrap()),
            Err(failed) => assert!(store.finish_analysis(&job, Err(&failed.to_user_message())).unwrap()),
        }
        analysed += 1;
    }
    analysed
}

/// Why the gate keeps the draft private, in English.
pub fn reasons(view: &DraftView) -> Vec<String> {
    view.access.reasons.iter().map(|r| r.en.clone()).collect()
}

/// Why the gate keeps the draft private, in Thai.
pub fn reasons_th(view: &DraftView) -> Vec<String> {
    view.access.reasons.iter().map(|r| r.th.clone()).collect()
}
