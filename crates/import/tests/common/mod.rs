//! Shared test helpers: the shared fixtures folder (env `CATALOG_FIXTURES`, else `../../../shared/fixtures`
//! from this crate), a store in a temporary folder, and lookups in a plan.

#![allow(dead_code)]

use std::path::PathBuf;

use catalog_core::Store;
use catalog_import::{ImportPlan, RowPlan};

/// A file under the shared fixtures folder; fails loudly when it is missing.
pub fn fixture(relative: &str) -> PathBuf {
    let root = std::env::var_os("CATALOG_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"));
    let path = root.join(relative);
    assert!(
        path.is_file(),
        "fixture {} is missing: set CATALOG_FIXTURES to the shared fixtures folder (with nso-template/ in it)",
        path.display()
    );
    path
}

/// A file of the shared corpus (beside the fixtures folder).
pub fn corpus(name: &str) -> PathBuf {
    let fixtures = fixture("nso-template/SOURCES.md");
    let path = fixtures.parent().unwrap().join("../../corpus").join(name);
    assert!(path.is_file(), "corpus file {} is missing", path.display());
    path
}

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
