//! A 1 GB file is attached by streaming it: the process's peak memory grows by far less than the file.
//! (Its own test binary, so no other test shares the process whose memory is measured; Linux only, where
//! /proc tells the peak.)
#![cfg(target_os = "linux")]

use catalog_core::Store;

/// Peak resident memory of this process in KiB, from /proc.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

#[test]
fn a_1gb_sparse_file_is_attached_without_loading_it_into_memory() {
    const GIB: u64 = 1 << 30;
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("big.csv");
    std::fs::File::create(&source).unwrap().set_len(GIB).unwrap();
    let mut store = Store::open(&dir.path().join("data")).unwrap();
    let draft = store.create_draft("ไฟล์ใหญ่", "u").unwrap();

    let before = peak_rss_kib();
    let resource = store.attach_file(&draft.id, &source, "u").unwrap();
    let growth_mib = (peak_rss_kib() - before) / 1024;

    assert_eq!(resource.size, GIB);
    // SHA-256 of 1 GiB of zero bytes.
    assert_eq!(
        resource.sha256,
        "49bc20df15e412a64472421e13fe86ff1c5165e18b2afccf160d4dc19fe68a14"
    );
    assert_eq!(
        std::fs::metadata(dir.path().join("data").join(&resource.stored_path))
            .unwrap()
            .len(),
        GIB
    );
    assert!(
        growth_mib < 32,
        "peak memory grew by {growth_mib} MiB while attaching 1 GiB"
    );
    store.remove_resource(&resource.id, "u").unwrap();
    assert!(store.blobs().all().is_empty());
}
