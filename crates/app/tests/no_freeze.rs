//! Issue #11, "No freezing": store commands never wait for an upload. A `Desk` publishes an approved
//! public draft with a large file to the test CKAN through a paced loopback proxy (so the upload takes
//! seconds); while that upload is under way, editing a field of another draft, the draft list, opening
//! another draft's CSV, the outbox and the publish panel each answer within a bound, and each answer
//! arrives while the upload is still unfinished. Then the upload completes with both files on the ADC.
//! Needs the test CKAN through `CATALOG_TEST_CKAN_ENV` (scripts/test starts it); fails loudly without.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use catalog_adc::AdcClient;
use catalog_app::Desk;
use catalog_core::preview::PreviewChoice;
use catalog_core::Store;
use catalog_publish::{ItemState, MemoryStore, RunOutcome, Secrets};
use catalog_schema::keys;
use serde_json::json;
use support::{approved_public_draft, host_of, write_noise, write_stats_csv, Folders, Proxy, Recorder, TestCkan};

/// The large file: just under the test CKAN's upload limit (`ckan.max_resource_size` = 100 MiB).
const BIG: u64 = 96 * 1024 * 1024;
/// What the proxy lets through per second: the upload takes about 4 s.
const PACE: u64 = 24_000_000;
/// Generous, so a busy CI machine does not fail it; the real latencies are printed.
const BOUND: Duration = Duration::from_secs(2);
/// Rounds of the five commands while the upload runs.
const ROUNDS: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the test CKAN (scripts/test starts it)"]
async fn store_commands_answer_while_a_large_file_uploads() {
    let lab = TestCkan::get();
    let folders = Folders::new();
    let (big, small, other_csv) = (
        folders.sources.join("big.bin"),
        folders.sources.join("small.csv"),
        folders.sources.join("other.csv"),
    );
    write_noise(&big, BIG, 11);
    write_stats_csv(&small, 500);
    write_stats_csv(&other_csv, 50_000);
    let (draft, other_draft, other_file) = {
        let mut store = Store::open(&folders.data).unwrap();
        let draft = approved_public_draft(&mut store, &lab, "app-no-freeze", &[&small, &big]);
        let other = store.create_draft("ร่างอื่นระหว่างอัปโหลด", "tester").unwrap();
        let file = store.attach_file(&other.id, &other_csv, "tester").unwrap();
        (draft, other.id, file.id)
    };

    let events = Arc::new(Recorder::default());
    let secrets = (Secrets::new(Box::new(MemoryStore::default())), None);
    let desk = Arc::new(Desk::open_with_secrets(&folders.data, events.clone(), secrets));
    assert!(desk.startup_error().is_none(), "{:?}", desk.startup_error());
    let proxy = Proxy::start(host_of(&lab.url), Some(PACE)).await;
    desk.use_adc(&proxy.url).await.expect("the ADC through the proxy");
    let account = desk
        .sign_in_with_token(lab.editor_token.expose().to_owned())
        .await
        .expect("signed in");
    assert!(account.signed_in);
    // Public only once every table is analysed; the .bin is not a table and does not hold the gate.
    let analysed = desk.analyse_pending().await.unwrap();
    assert_eq!(analysed.len(), 2, "small.csv and other.csv: {analysed:?}");
    assert!(analysed.iter().all(|a| a.error.is_none()), "{analysed:?}");
    let item = desk.publish(draft.clone(), false).await.expect("queued as public");

    let started = Instant::now();
    let publisher = tokio::spawn({
        let desk = Arc::clone(&desk);
        async move { desk.run_due_items().await }
    });
    // Wait until the large file is on its way (a tenth of it through the proxy).
    while events.upload_of(BIG).is_none_or(|p| p.sent < BIG / 10) || proxy.sent() < BIG / 10 {
        assert!(
            !publisher.is_finished(),
            "the publisher ended before the upload ({:?}, {} bytes through the proxy): {:?}",
            events.uploads(),
            proxy.sent(),
            publisher.await
        );
        assert!(started.elapsed() < Duration::from_secs(20), "the upload did not start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let upload_seen = started.elapsed();

    let mut latencies: Vec<(&str, Duration, u64)> = Vec::new();
    let in_progress = |what: &str, publisher: &tokio::task::JoinHandle<_>| {
        let upload = events.upload_of(BIG).expect("upload progress");
        let through = proxy.sent();
        assert!(
            !publisher.is_finished() && upload.sent < upload.total && through < BIG,
            "{what} answered only after the upload ({} of {} bytes read, {through} through the proxy)",
            upload.sent,
            upload.total
        );
        through
    };
    for round in 0..ROUNDS {
        let t = Instant::now();
        let view = desk
            .set_field(
                other_draft.clone(),
                keys::NOTES.to_owned(),
                json!(format!("แก้ไขรอบที่ {round}")),
            )
            .await
            .unwrap();
        latencies.push(("set_field", t.elapsed(), in_progress("set_field", &publisher)));
        assert_eq!(view.draft.id, other_draft);

        let t = Instant::now();
        let drafts = desk.list_drafts(String::new()).await.unwrap();
        latencies.push(("list_drafts", t.elapsed(), in_progress("list_drafts", &publisher)));
        assert_eq!(drafts.len(), 2);

        let t = Instant::now();
        let screen = desk
            .preview_open(other_file.clone(), PreviewChoice::default())
            .await
            .unwrap();
        latencies.push(("preview_open", t.elapsed(), in_progress("preview_open", &publisher)));
        assert!(!screen.window.rows.is_empty());
        desk.preview_close(&other_file);

        let t = Instant::now();
        let items = desk.outbox_items().await.unwrap();
        latencies.push(("outbox_items", t.elapsed(), in_progress("outbox_items", &publisher)));
        let running = items.iter().find(|i| i.id == item.id).expect("the item is listed");
        assert_eq!(running.state, ItemState::Running);

        let t = Instant::now();
        let panel = desk.publish_panel(draft.clone()).await.unwrap();
        latencies.push(("publish_panel", t.elapsed(), in_progress("publish_panel", &publisher)));
        assert_eq!(panel.item.as_ref().map(|i| i.state), Some(ItemState::Running));
        assert!(!panel.can_publish, "not while its item runs");
    }
    println!("upload of {BIG} bytes under way after {upload_seen:?}; latencies while it ran:");
    for (what, took, through) in &latencies {
        println!(
            "  {what:<14} {:>8.1} ms  ({:.0}% of the file through the proxy)",
            took.as_secs_f64() * 1e3,
            *through as f64 * 100.0 / BIG as f64
        );
    }
    for (what, took, _) in &latencies {
        assert!(*took < BOUND, "{what} took {took:?} during the upload");
    }

    let outcomes = tokio::time::timeout(Duration::from_secs(60), publisher)
        .await
        .expect("the upload finishes")
        .unwrap();
    println!("published after {:?}", started.elapsed());
    let [(id, outcome)] = outcomes.as_slice() else {
        panic!("one item ran: {outcomes:?}");
    };
    assert_eq!(*id, item.id);
    let package_id = match outcome {
        Ok(RunOutcome::Published { package_id, .. }) => package_id.clone(),
        other => panic!("not published: {other:?}"),
    };
    let ckan = AdcClient::new(&lab.url, Some(lab.editor_token.clone())).unwrap();
    let package = ckan.package_show(&package_id).await.unwrap();
    let mut names: Vec<&str> = package[keys::package::RESOURCES]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[keys::NAME].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["big.bin", "small.csv"]);
    let items = desk.outbox_items().await.unwrap();
    assert_eq!(items.iter().find(|i| i.id == item.id).unwrap().state, ItemState::Done);
}
