//! Test support, used only as a dev-dependency: where the tests find the data shared beside the
//! repository — the real Thai files of `../shared/corpus` (whose licences keep them out of the
//! repository) and the NSO template samples of `../shared/fixtures` — and a loud failure when it is
//! missing, so that no test passes silently without it. `CATALOG_CORPUS` and `CATALOG_FIXTURES` point
//! elsewhere. [`libtest`] lets a test that re-runs itself in a child process check that the child ran
//! exactly that one test.

use std::path::PathBuf;

pub mod libtest;
pub mod people;

/// `../shared/<name>` seen from the repository root, or the folder the environment variable names.
fn shared_dir(variable: &str, name: &str) -> PathBuf {
    std::env::var_os(variable).map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared")
            .join(name)
    })
}

/// The corpus folder of real Thai government files.
pub fn corpus_dir() -> PathBuf {
    let dir = shared_dir("CATALOG_CORPUS", "corpus");
    assert!(
        dir.is_dir(),
        "the Thai test corpus is missing at {} (set CATALOG_CORPUS to the shared/corpus folder)",
        dir.display()
    );
    dir
}

/// One file of the corpus, as an absolute path.
pub fn corpus_file(name: &str) -> PathBuf {
    let file = corpus_dir().join(name);
    assert!(
        file.is_file(),
        "corpus file {} is missing (../shared/corpus or $CATALOG_CORPUS)",
        file.display()
    );
    absolute(file)
}

/// A file under the shared fixtures folder (`nso-template/…`), as an absolute path.
pub fn fixture(relative: &str) -> PathBuf {
    let file = shared_dir("CATALOG_FIXTURES", "fixtures").join(relative);
    assert!(
        file.is_file(),
        "fixture {} is missing: set CATALOG_FIXTURES to the shared fixtures folder (with nso-template/ in it)",
        file.display()
    );
    absolute(file)
}

fn absolute(path: PathBuf) -> PathBuf {
    path.canonicalize().unwrap_or(path)
}
