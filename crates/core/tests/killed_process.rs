//! A writer process is killed (SIGKILL on Unix, TerminateProcess on Windows) while it saves drafts and
//! attaches files as fast as it can. The store must then open cleanly with every change the writer had
//! acknowledged, and every recorded resource must still have its intact copy.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use catalog_core::Store;

const WRITER_ENV: &str = "CATALOG_CORE_TEST_WRITER_DIR";
const ACKS_BEFORE_KILL: usize = 60;

/// Runs as the child: saves forever (bounded), printing one line per committed change.
fn writer(dir: &std::path::Path) {
    let mut store = Store::open(&dir.join("data")).unwrap();
    let out = std::io::stdout();
    for i in 0..100_000 {
        let draft = store.create_draft(&format!("ชุดข้อมูลที่ {i}"), "writer").unwrap();
        let file = dir.join(format!("source-{i}.csv"));
        std::fs::write(&file, format!("ลำดับ,ค่า\n{i},{}\n", i * 7).repeat(200)).unwrap();
        let resource = store.attach_file(&draft.id, &file, "writer").unwrap();
        let renamed = store
            .rename_draft(&draft.id, &format!("ชุดข้อมูลที่ {i} (แก้ไข)"), "writer")
            .unwrap();
        writeln!(out.lock(), "ACK {} {} {}", draft.id, resource.sha256, renamed.title).unwrap();
    }
}

const TEST: &str = "acknowledged_changes_survive_a_killed_process";

#[test]
fn acknowledged_changes_survive_a_killed_process() {
    if let Some(dir) = std::env::var_os(WRITER_ENV) {
        writer(std::path::Path::new(&dir));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", TEST, "--nocapture", "--test-threads=1"])
        .env(WRITER_ENV, dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut acknowledged: HashMap<String, (String, String)> = HashMap::new();
    let mut started = false;
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines {
        let line = line.unwrap();
        started |= catalog_testkit::libtest::check_running_line(TEST, &line);
        let Some(rest) = line.strip_prefix("ACK ") else {
            continue;
        };
        let mut parts = rest.splitn(3, ' ');
        let (id, sha, title) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        acknowledged.insert(id.to_owned(), (sha.to_owned(), title.to_owned()));
        if acknowledged.len() == ACKS_BEFORE_KILL {
            child.kill().unwrap();
            break;
        }
    }
    child.wait().unwrap();
    assert!(started, "the child never said it runs one test ({TEST}, renamed?)");
    assert_eq!(
        acknowledged.len(),
        ACKS_BEFORE_KILL,
        "the writer stopped before it was killed"
    );

    let store = Store::open(&dir.path().join("data")).expect("the store opens cleanly after the kill");
    for (id, (sha, title)) in &acknowledged {
        let draft = store.draft(id).expect("an acknowledged draft is present");
        assert_eq!(&draft.title, title);
        let resources = store.resources(id).unwrap();
        assert_eq!(resources.len(), 1);
        assert_eq!(&resources[0].sha256, sha);
    }
    for summary in store.list_drafts("").unwrap() {
        for resource in store.resources(&summary.id).unwrap() {
            let copy = dir.path().join("data").join(&resource.stored_path);
            let bytes = std::fs::read(&copy).unwrap_or_else(|e| panic!("copy of a recorded resource is missing: {e}"));
            assert_eq!(bytes.len() as u64, resource.size);
        }
    }
}
