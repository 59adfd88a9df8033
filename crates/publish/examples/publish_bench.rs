//! Throughput benchmark (not a test): publishes N approved drafts with one 1 MB file each through the
//! outbox to the test CKAN with P concurrent workers (each its own outbox connection), prints datasets/s
//! and the ratio to the `ckanapi load` baseline of issue #7 (../shared/bench/ckan_publish_baseline.sh on
//! this machine kind: 54.9 s with 1 worker, 38.7 s with 3, for 200 datasets), after first uploading one large
//! file and printing the resident-memory growth. Needs `CATALOG_TEST_CKAN_ENV`.
//!
//! `cargo run --release -p catalog-publish --example publish_bench -- [N=200] [P=1,3] [BIG_MB=90]` (0 skips)

use std::time::Instant;

use catalog_adc::{AdcClient, ApiToken, FileUpload};
use catalog_core::{ReviewDecision, Store};
use catalog_publish::{Backoff, DraftSnapshot, Outbox, PublishOptions, RunOutcome, OUTBOX_FILE};
use catalog_schema::{keys, Access, Schema, Widget};
use serde_json::{json, Map, Value};

/// ckanapi load, 200 datasets × 1 MB, seconds (issue #7).
const BASELINE: [(usize, f64); 2] = [(1, 54.9), (3, 38.7)];

fn env_file() -> std::collections::BTreeMap<String, String> {
    let path = std::env::var("CATALOG_TEST_CKAN_ENV").expect("set CATALOG_TEST_CKAN_ENV to the test CKAN's env file");
    std::fs::read_to_string(path)
        .expect("the env file")
        .lines()
        .filter_map(|l| l.trim().strip_prefix("export ").unwrap_or(l.trim()).split_once('='))
        .map(|(k, v)| (k.to_owned(), v.trim_matches(['"', '\'']).to_owned()))
        .collect()
}

fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// A minimal valid public record: the schema's required fields with their first choice.
fn record(schema: &Schema, org: &str, name: &str) -> Map<String, Value> {
    let mut metadata = Map::new();
    let data_type = schema.data_types()[0].value.clone();
    for field in schema.fields_for(catalog_schema::Scope::Dataset, &data_type) {
        let first = field.choices.first().map(|c| c.value.clone());
        let value = match field.widget {
            Widget::Tags => json!(["สถิติ"]),
            Widget::Date => json!("2024-06-14"),
            Widget::Email => json!("stat@agency.go.th"),
            Widget::Url | Widget::Upload => json!("https://data.agency.go.th/"),
            Widget::MultiSelect => json!([first.unwrap_or_default()]),
            Widget::Select | Widget::YesNo => json!(first.unwrap_or_default()),
            _ => json!(format!("ค่า {}", field.key)),
        };
        metadata.insert(field.key.clone(), value);
    }
    let rules = schema.classification();
    let rule = rules
        .rules
        .iter()
        .find(|r| r.access == Access::Public)
        .expect("a public rule");
    let level = rule
        .levels
        .iter()
        .find(|l| rules.public_levels.contains(l))
        .expect("a public level");
    for (key, value) in [
        (keys::DATA_TYPE, json!(data_type)),
        (keys::NAME, json!(name)),
        (keys::TITLE, json!(format!("ชุดข้อมูลวัดความเร็ว {name}"))),
        (keys::OWNER_ORG, json!(org)),
        (keys::DATA_CATEGORY, json!(rule.category)),
        (keys::DATA_CLASSIFICATION, json!(level)),
        (keys::PRIVATE, json!("False")),
        (keys::ALLOW_HARVEST, json!("True")),
        (keys::UPDATE_FREQUENCY_INTERVAL, json!("1")),
    ] {
        metadata.insert(key.to_owned(), value);
    }
    metadata
}

#[tokio::main(flavor = "multi_thread", worker_threads = 4)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(200);
    let workers: Vec<usize> = args
        .get(1)
        .map(|a| a.split(',').filter_map(|p| p.parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 3]);
    let big_mb: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(90);
    let env = env_file();
    let token = ApiToken::new(&env["CKAN_EDITOR_TOKEN"]).unwrap();
    let site = env["CKAN_URL"].clone();
    let org = env["CKAN_ORG_ID"].clone();
    let client = AdcClient::new(&site, Some(token)).unwrap();
    let schema = Schema::built_in().clone();
    let run_id = format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    );

    if big_mb > 0 {
        big_upload(&client, &schema, &org, &run_id, big_mb).await;
    }
    for &p in &workers {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let mut store = Store::open(&data).unwrap();
        let mut outbox = Outbox::open(&data).unwrap();
        let options = PublishOptions {
            owner_org: Some(org.clone()),
            withhold_files: false,
        };
        let mut jobs = Vec::new();
        for i in 0..n {
            let name = format!("bench-{run_id}-p{p}-{i:03}");
            let draft = store.create_draft(&name, "bench").unwrap();
            for (key, value) in record(&schema, &org, &name) {
                store.set_field(&draft.id, &key, value, "bench").unwrap();
            }
            let file = dir.path().join(format!("{name}.csv"));
            let line = format!("{i},ค่าทดสอบ,{}\n", "x".repeat(40));
            let body: String = line.repeat(1_000_000 / line.len() + 1);
            std::fs::write(&file, &body.as_bytes()[..1_000_000]).unwrap();
            let resource = store.attach_file(&draft.id, &file, "bench").unwrap();
            store
                .set_resource_field(&resource.id, keys::NAME, json!(format!("{name}.csv")), "bench")
                .unwrap();
            store.review(&draft.id, ReviewDecision::Submit, "bench", "").unwrap();
            store.review(&draft.id, ReviewDecision::Approve, "bench", "").unwrap();
            let item = outbox.enqueue(&draft.id, &site, &options).unwrap();
            jobs.push((item, DraftSnapshot::load(&store, &schema, &draft.id).unwrap()));
        }
        drop(outbox);
        let mut lanes: Vec<Vec<(i64, DraftSnapshot)>> = (0..p).map(|_| Vec::new()).collect();
        for (i, job) in jobs.into_iter().enumerate() {
            lanes[i % p].push(job);
        }
        let started = Instant::now();
        let handles: Vec<_> = lanes
            .into_iter()
            .map(|lane| {
                let (client, data) = (client.clone(), data.clone());
                tokio::spawn(async move {
                    let mut outbox = Outbox::open_file(&data.join(OUTBOX_FILE), Backoff::default()).unwrap();
                    let mut ok = 0;
                    for (item, snapshot) in lane {
                        match outbox.run_item(item, &snapshot, &client, None).await.unwrap() {
                            RunOutcome::Published { .. } => ok += 1,
                            other => eprintln!("item {item}: {other:?}"),
                        }
                    }
                    ok
                })
            })
            .collect();
        let mut published = 0;
        for handle in handles {
            published += handle.await.unwrap();
        }
        let seconds = started.elapsed().as_secs_f64();
        let baseline = BASELINE
            .iter()
            .find(|(w, _)| *w == p)
            .map(|(_, s)| s * n as f64 / 200.0);
        let ratio = baseline
            .map(|b| format!("{:.2}×", b / seconds))
            .unwrap_or_else(|| "n/a".into());
        println!(
            "P={p}: {published}/{n} published in {seconds:.1} s = {:.2} datasets/s; ckanapi load baseline {} s → ratio {ratio}; peak RSS {} MiB",
            published as f64 / seconds,
            baseline.map(|b| format!("{b:.1}")).unwrap_or_else(|| "n/a".into()),
            rss_kib("VmHWM:") / 1024
        );
    }
}

/// One large upload, streamed: resident memory before and after.
async fn big_upload(client: &AdcClient, schema: &Schema, org: &str, run_id: &str, big_mb: u64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.bin");
    let size = big_mb * 1024 * 1024;
    std::fs::File::create(&path).unwrap().set_len(size).unwrap();
    let name = format!("bench-{run_id}-big");
    let mut package = record(schema, org, &name);
    package.insert(keys::PRIVATE.to_owned(), json!(true));
    let package = catalog_schema::to_package(
        schema,
        &catalog_schema::DraftRecord {
            metadata: package,
            resources: Vec::new(),
        },
    );
    let created = client.package_create(&package).await.expect("create");
    let before = rss_kib("VmRSS:");
    let started = Instant::now();
    let upload = FileUpload {
        path: &path,
        file_name: "big.bin",
        size,
    };
    let fields = Map::from_iter([(keys::NAME.to_owned(), json!("big.bin"))]);
    client
        .resource_create(created["id"].as_str().unwrap(), &fields, Some(&upload), None)
        .await
        .expect("upload");
    println!(
        "{big_mb} MiB upload in {:.1} s; RSS {} MiB before, peak {} MiB (growth ≤ {} MiB)",
        started.elapsed().as_secs_f64(),
        before / 1024,
        rss_kib("VmHWM:") / 1024,
        rss_kib("VmHWM:").saturating_sub(before) / 1024
    );
}
