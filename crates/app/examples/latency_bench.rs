//! Issue #11 benchmark: how fast the application core answers the person while background work runs,
//! and what the background analysis of a large CSV costs against the profile alone.
//!
//! ```text
//! export CARGO_TARGET_DIR=/work/target-helpers CATALOG_TEST_CKAN_ENV=/tmp/ckan-lab/ckan.env
//! python3 ../shared/bench/gen_data.py /tmp/latency-bench-data big-cp874.csv
//! cargo run --release -p catalog-app --example latency_bench -- /tmp/latency-bench-data/big-cp874.csv
//! ```
//!
//! With 200 drafts in the store, field edits (`set_field`, a draft chosen in turn) and the draft list
//! (`list_drafts("")`) are timed one after the other every [`PAUSE`]: idle; (a) while the background
//! analyser analyses the 200 MB Windows-874 CSV just attached; (b) while a large file uploads to the test
//! CKAN (through a loopback proxy paced at [`PACE`], a fast office LAN; skipped when
//! `CATALOG_TEST_CKAN_ENV` is unset). Then the time from attaching the CSV to "analysis stored", the
//! analysis alone when asked again with nothing else running, and `catalog_preview::open` +
//! `Source::profile` (and + the hint scanner) on the same file, medians of [`RUNS`].
//! The CSV is the first argument, else `CATALOG_BENCH_CSV`, else generated with
//! `../shared/bench/gen_data.py` into a temporary folder.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use catalog_app::Desk;
use catalog_core::analysis::ScanState;
use catalog_core::Store;
use catalog_hints::HintScanner;
use catalog_preview::{open, OpenOptions};
use catalog_publish::{MemoryStore, Secrets};
use catalog_schema::{keys, Schema};
use serde_json::json;
use support::{
    approved_public_draft, full_record, host_of, percentile_ms, write_noise, write_stats_csv, Folders, Proxy, Recorder,
    RunIds, TestCkan,
};

const DRAFTS: usize = 200;
/// Metadata fields set on each listed draft (besides its title).
const FIELDS_PER_DRAFT: usize = 12;
/// Between two rounds of one edit and one list: a person typing quickly with the list refreshing.
const PAUSE: Duration = Duration::from_millis(10);
/// Rounds while nothing else runs.
const IDLE_ROUNDS: usize = 300;
/// The upload: just under the test CKAN's upload limit (100 MiB), paced like a fast office LAN.
const UPLOAD: u64 = 96 * 1024 * 1024;
const PACE: u64 = 40_000_000;
const RUNS: usize = 3;

#[derive(Default)]
struct Samples {
    edit: Vec<Duration>,
    list: Vec<Duration>,
}

impl Samples {
    fn report(&mut self, label: &str) -> String {
        self.edit.sort();
        self.list.sort();
        let line = |what: &str, s: &[Duration]| {
            format!(
                "| {label} | {what} | {} | {:.1} | {:.1} | {:.1} |",
                s.len(),
                percentile_ms(s, 0.5),
                percentile_ms(s, 0.99),
                percentile_ms(s, 1.0)
            )
        };
        format!(
            "{}\n{}",
            line("field edit", &self.edit),
            line("draft list (200)", &self.list)
        )
    }
}

/// One round: an edit of the next draft, then the list.
async fn round(desk: &Desk, drafts: &[String], n: usize, samples: &mut Samples) {
    let draft = drafts[n % drafts.len()].clone();
    let t = Instant::now();
    desk.set_field(draft, keys::NOTES.to_owned(), json!(format!("คำอธิบายฉบับที่ {n}")))
        .await
        .expect("edit");
    samples.edit.push(t.elapsed());
    let t = Instant::now();
    let listed = desk.list_drafts(String::new()).await.expect("list");
    samples.list.push(t.elapsed());
    assert!(listed.len() >= DRAFTS);
    tokio::time::sleep(PAUSE).await;
}

async fn scan_state(desk: &Desk, draft: &str, resource: &str) -> ScanState {
    let view = desk.draft_view(draft.to_owned()).await.expect("draft view");
    let scan = view.scans.iter().find(|s| s.resource_id == resource).expect("the file");
    scan.state.clone()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn big_csv() -> (PathBuf, Option<tempfile::TempDir>) {
    if let Some(path) = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("CATALOG_BENCH_CSV").ok())
    {
        return (PathBuf::from(path), None);
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench/gen_data.py");
    assert!(
        script.is_file(),
        "no CSV given and {} is missing: pass a large CSV",
        script.display()
    );
    let dir = tempfile::tempdir().unwrap();
    println!("generating big-cp874.csv with {} …", script.display());
    let status = std::process::Command::new("python3")
        .arg(&script)
        .arg(dir.path())
        .arg("big-cp874.csv")
        .status()
        .expect("python3 runs");
    assert!(status.success(), "gen_data.py failed");
    (dir.path().join("big-cp874.csv"), Some(dir))
}

/// Seconds for open + detect layout + profile (and the hint scanner in the same pass when `hints`).
fn profile_alone(path: &Path, hints: bool) -> (f64, u64) {
    let t = Instant::now();
    let mut source = open(path, &OpenOptions::default()).expect("open");
    let layout = source.detect_layout(None).expect("layout");
    let cancel = AtomicBool::new(false);
    let profile = if hints {
        let mut scanner = HintScanner::new(&layout.column_names);
        let profile = source
            .profile_visiting(&layout, &mut |_| {}, &cancel, &mut scanner)
            .expect("profile");
        std::hint::black_box(scanner.finish());
        profile
    } else {
        source.profile(&layout, &mut |_| {}, &cancel).expect("profile")
    };
    (t.elapsed().as_secs_f64(), profile.data_rows)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let (csv, _generated) = big_csv();
    let csv_bytes = std::fs::metadata(&csv).expect("the CSV").len();
    let lab = std::env::var_os("CATALOG_TEST_CKAN_ENV").map(|_| TestCkan::get());
    if lab.is_none() {
        println!("CATALOG_TEST_CKAN_ENV is unset: the upload part is skipped");
    }

    // The profile alone, on the file as given (read once before, so the page cache is warm for all).
    let mut rows = 0;
    let (mut alone, mut with_hints) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let (secs, n) = profile_alone(&csv, false);
        alone.push(secs);
        rows = n;
        with_hints.push(profile_alone(&csv, true).0);
    }
    println!("profile alone: {alone:.2?} s; with the hint scanner: {with_hints:.2?} s ({rows} data rows)");

    // The store: 200 drafts, an empty one for the CSV, and (with CKAN) an approved public one to upload.
    let folders = Folders::new();
    let started = Instant::now();
    let (drafts, csv_draft, upload_draft) = {
        let mut store = Store::open(&folders.data).unwrap();
        let schema = Schema::built_in();
        let data_type = schema.data_types()[0].value.clone();
        let mut drafts = Vec::with_capacity(DRAFTS);
        for i in 0..DRAFTS {
            let ids = RunIds {
                name: format!("bench-{i}"),
                title: format!("ชุดข้อมูลสถิติจังหวัด ลำดับที่ {i}"),
                org_id: "bench-org".into(),
            };
            let record = full_record(schema, &data_type, &ids);
            let draft = store.create_draft(&ids.title, "bench").unwrap();
            for (key, value) in record.metadata.into_iter().take(FIELDS_PER_DRAFT) {
                store.set_field(&draft.id, &key, value, "bench").unwrap();
            }
            drafts.push(draft.id);
        }
        let csv_draft = store.create_draft("ไฟล์ CSV ขนาดใหญ่", "bench").unwrap().id;
        let upload_draft = lab.as_ref().map(|lab| {
            let (big, small) = (folders.sources.join("upload.bin"), folders.sources.join("small.csv"));
            write_noise(&big, UPLOAD, 5);
            write_stats_csv(&small, 500);
            approved_public_draft(&mut store, lab, "app-latency-bench", &[&small, &big])
        });
        (drafts, csv_draft, upload_draft)
    };
    println!("store prepared in {:.1?}", started.elapsed());

    let events = Arc::new(Recorder::default());
    let secrets = (Secrets::new(Box::new(MemoryStore::default())), None);
    let desk = Arc::new(Desk::open_with_secrets(&folders.data, events.clone(), secrets));
    assert!(desk.startup_error().is_none(), "{:?}", desk.startup_error());
    let proxy = match &lab {
        Some(lab) => {
            let proxy = Proxy::start(host_of(&lab.url), Some(PACE)).await;
            desk.use_adc(&proxy.url).await.expect("the ADC");
            desk.sign_in_with_token(lab.editor_token.expose().to_owned())
                .await
                .expect("signed in");
            Some(proxy)
        }
        None => None,
    };
    desk.analyse_pending().await.expect("the small CSV analysed");
    desk.start_analyser();

    let mut idle = Samples::default();
    for n in 0..IDLE_ROUNDS {
        round(&desk, &drafts, n, &mut idle).await;
    }

    // (a) Attach the CSV; the background analyser takes it while the person keeps working.
    let attach_started = Instant::now();
    let report = desk
        .attach_files(csv_draft.clone(), vec![csv.clone()])
        .await
        .expect("attached");
    let attached = attach_started.elapsed();
    let resource = report.attached.first().expect("the CSV attached").id.clone();
    let attach_returned = Instant::now();
    let mut during_analysis = Samples::default();
    let mut seen_changes = events.resources_changed.load(std::sync::atomic::Ordering::SeqCst);
    let mut n = 0;
    let stored_at = loop {
        round(&desk, &drafts, n, &mut during_analysis).await;
        n += 1;
        let changes = events.resources_changed.load(std::sync::atomic::Ordering::SeqCst);
        if changes != seen_changes {
            seen_changes = changes;
            match scan_state(&desk, &csv_draft, &resource).await {
                ScanState::Done => break events.last_change().expect("a change"),
                ScanState::Failed { .. } => panic!("the analysis failed"),
                _ => {}
            }
        }
        assert!(
            attach_returned.elapsed() < Duration::from_secs(300),
            "the analysis did not end"
        );
    };
    let analysis_busy = stored_at - attach_returned;
    let attach_to_stored = stored_at - attach_started;

    // The same analysis asked again with nothing else running.
    let mut quiet = Vec::new();
    for _ in 0..RUNS {
        let asked = Instant::now();
        desk.analyse_file(resource.clone()).await.expect("asked again");
        loop {
            let _ = tokio::time::timeout(Duration::from_millis(500), events.changed.notified()).await;
            if scan_state(&desk, &csv_draft, &resource).await == ScanState::Done {
                break;
            }
        }
        quiet.push((events.last_change().unwrap() - asked).as_secs_f64());
    }

    // (b) A large upload to the test CKAN.
    let mut during_upload = Samples::default();
    let mut upload_secs = None;
    if let (Some(draft), Some(proxy)) = (&upload_draft, &proxy) {
        desk.publish(draft.clone(), false).await.expect("queued");
        let publish_started = Instant::now();
        let publisher = tokio::spawn({
            let desk = Arc::clone(&desk);
            async move { desk.run_due_items().await }
        });
        while events.upload_of(UPLOAD).is_none_or(|p| p.sent == 0) {
            assert!(!publisher.is_finished(), "the publisher ended before the upload");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let upload_started = Instant::now();
        let mut n = 0;
        while proxy.sent() < UPLOAD && !publisher.is_finished() {
            round(&desk, &drafts, n, &mut during_upload).await;
            n += 1;
        }
        upload_secs = Some(upload_started.elapsed().as_secs_f64());
        let outcomes = publisher.await.unwrap();
        assert!(
            matches!(
                outcomes.as_slice(),
                [(_, Ok(catalog_publish::RunOutcome::Published { .. }))]
            ),
            "{outcomes:?}"
        );
        println!("published in {:.1?}", publish_started.elapsed());
    }

    let (alone, with_hints, quiet_median) = (median(alone), median(with_hints), median(quiet.clone()));
    println!();
    println!(
        "CSV: {} ({:.1} MB, {rows} data rows)",
        csv.display(),
        csv_bytes as f64 / 1e6
    );
    println!("| phase | command | samples | p50 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|");
    println!("{}", idle.report("idle"));
    println!("{}", during_analysis.report("(a) analysing the 200 MB CSV"));
    if let Some(secs) = upload_secs {
        println!(
            "{}",
            during_upload.report(&format!(
                "(b) uploading {} MiB at {} MB/s ({secs:.1} s)",
                UPLOAD >> 20,
                PACE / 1_000_000
            ))
        );
    }
    println!();
    println!("| step | seconds |");
    println!("|---|---|");
    println!(
        "| attach (copy + hash into the store) | {:.2} |",
        attached.as_secs_f64()
    );
    println!(
        "| attach returned → analysis stored, edits and lists running | {:.2} |",
        analysis_busy.as_secs_f64()
    );
    println!(
        "| attach started → analysis stored | {:.2} |",
        attach_to_stored.as_secs_f64()
    );
    println!("| analysis asked again, nothing else running (median of {RUNS}: {quiet:.2?}) | {quiet_median:.2} |");
    println!("| `open` + `profile` alone (median of {RUNS}) | {alone:.2} |");
    println!("| `open` + `profile` + hint scanner, no store (median of {RUNS}) | {with_hints:.2} |");
    println!();
    println!(
        "analysis / profile alone: {:.2}× while editing, {:.2}× quiet (target ≤ 1.5×)",
        analysis_busy.as_secs_f64() / alone,
        quiet_median / alone
    );
}
