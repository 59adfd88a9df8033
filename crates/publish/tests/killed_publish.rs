//! The publishing process is killed with SIGKILL in the middle of an upload (this test binary re-executed
//! as the child, throttled so the kill lands mid-file), then the outbox is reopened and the item resumed:
//! it completes, exactly one dataset exists on the test CKAN, and its files match byte for byte.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use catalog_publish::{ItemState, PublishOptions, PublishProgress, RunOutcome};
use catalog_schema::keys;
use support::{content, Desk, Lab, Visibility};

const CHILD_ENV: &str = "CATALOG_PUBLISH_TEST_CHILD_DIR";
const ITEM_ENV: &str = "CATALOG_PUBLISH_TEST_CHILD_ITEM";
const BIG: usize = 24 * 1024 * 1024;

/// The child: runs the item, printing upload progress, slowed down so the parent can kill it mid-file.
async fn child(root: &std::path::Path, item: i64) {
    let lab = Lab::get();
    let mut desk = Desk::open(root);
    let draft = desk.outbox.item(item).unwrap().draft_id;
    let progress = Arc::new(|p: PublishProgress| {
        println!("PROGRESS {} {} {}", p.action, p.sent, p.total);
        if p.total > 0 {
            std::thread::sleep(Duration::from_millis(3));
        }
    });
    let snapshot = desk.snapshot(&draft);
    let outcome = desk
        .outbox
        .run_item(item, &snapshot, &lab.editor(), Some(progress))
        .await;
    println!("FINISHED {outcome:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_publish_killed_mid_upload_resumes_without_duplicates() {
    if let (Some(dir), Ok(item)) = (std::env::var_os(CHILD_ENV), std::env::var(ITEM_ENV)) {
        child(std::path::Path::new(&dir), item.parse().unwrap()).await;
        return;
    }
    let lab = Lab::get();
    let root = tempfile::tempdir().unwrap();
    let (small, big) = (content(7, 10_000), content(8, BIG));
    let (draft, item, title) = {
        let mut desk = Desk::open(root.path());
        let draft = desk.approved_draft(
            &lab,
            "pub-killed",
            Visibility::Public,
            &[("small.csv", &small, false), ("big.bin", &big, false)],
        );
        let options = PublishOptions {
            owner_org: Some(lab.org_id.clone()),
            withhold_files: false,
        };
        let item = desk.outbox.enqueue(&draft, &lab.url, &options).unwrap();
        let title = desk.store.draft(&draft).unwrap().metadata[keys::TITLE]
            .as_str()
            .unwrap()
            .to_owned();
        (draft, item, title)
    };

    const TEST: &str = "a_publish_killed_mid_upload_resumes_without_duplicates";
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", TEST, "--nocapture"])
        .env(CHILD_ENV, root.path())
        .env(ITEM_ENV, item.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let (mut killed_at, mut started) = (None, false);
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        started |= catalog_testkit::libtest::check_running_line(TEST, &line);
        assert!(
            !line.starts_with("FINISHED"),
            "the child finished before it was killed: {line}"
        );
        let parts: Vec<&str> = line.split_whitespace().collect();
        if let ["PROGRESS", "resource_create", sent, total] = parts.as_slice() {
            let (sent, total): (u64, u64) = (sent.parse().unwrap(), total.parse().unwrap());
            if total == BIG as u64 && sent > total / 3 {
                child.kill().unwrap(); // SIGKILL on Unix
                killed_at = Some(sent);
                break;
            }
        }
    }
    child.wait().unwrap();
    assert!(started, "the child never said it runs one test ({TEST}, renamed?)");
    let killed_at = killed_at.expect("the child was killed mid-upload");
    assert!(killed_at < BIG as u64);

    let mut desk = Desk::open(root.path());
    assert_eq!(
        desk.outbox.item(item).unwrap().state,
        ItemState::Queued,
        "a crashed run is queued again"
    );
    let client = lab.editor();
    let snapshot = desk.snapshot(&draft);
    let outcome = desk.outbox.run_item(item, &snapshot, &client, None).await.unwrap();
    let RunOutcome::Published { package_id, writes, .. } = &outcome else {
        panic!("{outcome:?}");
    };
    let actions: Vec<(&str, Option<u64>)> = writes.iter().map(|w| (w.action.as_str(), w.upload_bytes)).collect();
    assert_eq!(
        actions,
        [("resource_create", Some(BIG as u64)), ("package_patch", None)],
        "the small file and the dataset were not sent again"
    );
    assert_eq!(
        client.datasets_titled(&title).await.unwrap().len(),
        1,
        "exactly one dataset"
    );
    let package = client.package_show(package_id).await.unwrap();
    let resources = package[keys::package::RESOURCES].as_array().unwrap();
    assert_eq!(resources.len(), 2, "no half or duplicate resource");
    for (resource, expected) in resources.iter().zip([&small, &big]) {
        let dest = root.path().join("downloaded");
        client
            .download(resource[keys::URL].as_str().unwrap(), &dest, None)
            .await
            .unwrap();
        assert!(
            std::fs::read(&dest).unwrap() == *expected,
            "{} differs",
            resource[keys::NAME]
        );
    }
}
