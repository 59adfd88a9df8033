//! Shared test helpers: the NSO template samples (found by `catalog-testkit`), a store in a temporary
//! folder, and lookups in a plan.

#![allow(dead_code)]

use std::path::PathBuf;

use catalog_core::Store;
use catalog_import::{ImportPlan, RowPlan};

use catalog_testkit::fixture;

pub fn sample() -> PathBuf {
    fixture("nso-template/sample-nso-template.xlsx")
}

pub fn sample_v210() -> PathBuf {
    fixture("nso-template/sample-nso-template-v2.1.0.xlsx")
}

pub fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("data")).unwrap();
    (dir, store)
}

pub fn row<'a>(plan: &'a ImportPlan, slug: &str) -> &'a RowPlan {
    plan.rows
        .iter()
        .find(|r| r.slug == slug)
        .unwrap_or_else(|| panic!("no row {slug} in the plan"))
}

pub fn note_codes(row: &RowPlan) -> Vec<&'static str> {
    row.notes.iter().map(|n| n.note.code).collect()
}
