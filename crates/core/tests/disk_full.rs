//! Writing a copy fails part-way (the child process may not write files larger than 4 MiB, which the
//! kernel reports like a full disk): the error is the "disk full" message, no blob and no temporary file
//! is left, and the draft is unchanged.

#[cfg(target_os = "linux")]
#[test]
fn a_write_failure_while_copying_leaves_no_half_blob() {
    use catalog_core::{Store, StoreError};
    use std::process::Command;

    const CHILD_ENV: &str = "CATALOG_CORE_TEST_DISK_FULL_DIR";
    if let Some(dir) = std::env::var_os(CHILD_ENV) {
        let dir = std::path::PathBuf::from(dir);
        let mut store = Store::open(&dir.join("data")).unwrap();
        let draft = store.create_draft("ไฟล์ใหญ่เกินพื้นที่", "u").unwrap();
        // SAFETY: plain libc calls on this process's own limits and signal disposition.
        unsafe {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: 4 << 20,
                rlim_max: libc::RLIM_INFINITY,
            };
            assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &limit), 0);
        }
        let err = store.attach_file(&draft.id, &dir.join("big.bin"), "u").unwrap_err();
        assert!(matches!(err, StoreError::DiskFull { .. }), "got {err:?}");
        assert!(store.blobs().all().is_empty(), "no blob is left");
        let leftovers = std::fs::read_dir(dir.join("data/blobs/tmp")).unwrap().count();
        assert_eq!(leftovers, 0, "no temporary file is left");
        assert!(store.resources(&draft.id).unwrap().is_empty());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.bin"), vec![7u8; 16 << 20]).unwrap();
    const TEST: &str = "a_write_failure_while_copying_leaves_no_half_blob";
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", TEST, "--test-threads=1"])
        .env(CHILD_ENV, dir.path())
        .output()
        .unwrap();
    catalog_testkit::libtest::assert_ran_one_and_passed(TEST, &output);
}
