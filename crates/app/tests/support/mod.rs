//! Support for the application core's live tests and its latency benchmark: the test CKAN (through
//! catalog-adc's own test support, so `CATALOG_TEST_CKAN_ENV` missing fails loudly), approved public drafts
//! written straight into a data folder's store before a `Desk` opens it, large files written in chunks
//! (never held in memory), a loopback TCP proxy to CKAN that counts and paces what the client sends, and
//! an `Events` sink that keeps the latest upload progress.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use catalog_app::{DeskEvent, Events};
use catalog_core::{ReviewDecision, Store};
use catalog_publish::PublishProgress;
use catalog_schema::{keys, Schema};
use serde_json::{json, Map, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[path = "../../../adc/tests/support/mod.rs"]
mod adc;
pub use adc::{full_record, set_public, unique, RunIds, TestCkan};

/// An approved draft that asks to be public (a category and level the schema allows as public), with a
/// valid generated record and one resource per file (each public, named after its file). Written with
/// the store directly: open the `Desk` on the same data folder afterwards.
pub fn approved_public_draft(store: &mut Store, lab: &TestCkan, label: &str, files: &[&Path]) -> String {
    let schema = Schema::built_in();
    let name = unique(label);
    let ids = RunIds {
        title: format!("ชุดข้อมูลทดสอบ {name}"),
        name,
        org_id: lab.org_id.clone(),
    };
    let data_type = schema.data_types()[0].value.clone();
    let mut record = full_record(schema, &data_type, &ids);
    set_public(schema, &mut record.metadata);
    let draft = store.create_draft(&ids.title, "tester").unwrap();
    for (key, value) in &record.metadata {
        store.set_field(&draft.id, key, value.clone(), "tester").unwrap();
    }
    for path in files {
        attach(store, &draft.id, path, &record.resources[0]);
    }
    store.review(&draft.id, ReviewDecision::Submit, "tester", "").unwrap();
    store
        .review(&draft.id, ReviewDecision::Approve, "steward", "ok")
        .unwrap();
    draft.id
}

/// Attaches a file with the generated resource fields, named after the file and public.
fn attach(store: &mut Store, draft_id: &str, path: &Path, fields: &Map<String, Value>) {
    let resource = store.attach_file(draft_id, path, "tester").unwrap();
    for (key, value) in fields {
        store
            .set_resource_field(&resource.id, key, value.clone(), "tester")
            .unwrap();
    }
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    store
        .set_resource_field(&resource.id, keys::NAME, json!(name), "tester")
        .unwrap();
    store
        .set_resource_field(&resource.id, keys::RESOURCE_PRIVATE, json!("False"), "tester")
        .unwrap();
}

/// Writes `len` bytes of incompressible-looking content to `path`, 1 MiB at a time.
pub fn write_noise(path: &Path, len: u64, seed: u32) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut x: u32 = 0x9E37_79B9 ^ seed;
    let mut chunk = vec![0u8; 1 << 20];
    let mut left = len;
    while left > 0 {
        let n = usize::try_from(left.min(chunk.len() as u64)).unwrap();
        for byte in &mut chunk[..n] {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            *byte = (x >> 24) as u8;
        }
        out.write_all(&chunk[..n]).unwrap();
        left -= n as u64;
    }
    out.flush().unwrap();
}

/// A small statistical CSV (no personal data) of `rows` data rows.
pub fn write_stats_csv(path: &Path, rows: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "ปี,จังหวัด,จำนวน").unwrap();
    for i in 0..rows {
        writeln!(out, "{},เขต {},{}", 2550 + i % 15, i % 77, (i * 37) % 1000).unwrap();
    }
    out.flush().unwrap();
}

/// A loopback proxy to a TCP `upstream` (host:port): counts the bytes clients send and, when `pace` is
/// set, paces them to that many bytes per second (all connections together); answers pass unpaced.
pub struct Proxy {
    pub url: String,
    sent: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    pub async fn start(upstream: String, pace: Option<u64>) -> Proxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let sent = Arc::new(AtomicU64::new(0));
        let pacer = Arc::new(tokio::sync::Mutex::new(Instant::now()));
        let counted = Arc::clone(&sent);
        let task = tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                let (upstream, sent, pacer) = (upstream.clone(), Arc::clone(&counted), Arc::clone(&pacer));
                tokio::spawn(async move {
                    let Ok(outbound) = tokio::net::TcpStream::connect(upstream).await else {
                        return;
                    };
                    let (mut client_read, mut client_write) = inbound.into_split();
                    let (mut server_read, mut server_write) = outbound.into_split();
                    let answers = tokio::spawn(async move {
                        let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
                    });
                    let mut buf = vec![0u8; 64 * 1024];
                    while let Ok(n @ 1..) = client_read.read(&mut buf).await {
                        if let Some(rate) = pace {
                            // Each chunk takes its share of the one shared timeline.
                            let wake = {
                                let mut next = pacer.lock().await;
                                let start = (*next).max(Instant::now());
                                *next = start + Duration::from_secs_f64(n as f64 / rate as f64);
                                *next
                            };
                            tokio::time::sleep_until(wake.into()).await;
                        }
                        if server_write.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                        sent.fetch_add(n as u64, Ordering::SeqCst);
                    }
                    let _ = server_write.shutdown().await;
                    let _ = answers.await;
                });
            }
        });
        Proxy { url, sent, task }
    }

    /// Bytes the clients sent through the proxy so far.
    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::SeqCst)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The test CKAN's host:port from its URL.
pub fn host_of(url: &str) -> String {
    url.trim_start_matches("http://").trim_end_matches('/').to_owned()
}

/// Keeps the latest progress of every upload (by target) and counts the analysis events.
#[derive(Default)]
pub struct Recorder {
    uploads: Mutex<Vec<PublishProgress>>,
    pub analysis_events: AtomicUsize,
    pub resources_changed: AtomicUsize,
    /// Woken at every change of a draft's files (attached, analysis begun or kept).
    pub changed: tokio::sync::Notify,
    last_change: Mutex<Option<Instant>>,
}

impl Recorder {
    /// When a draft's files last changed.
    pub fn last_change(&self) -> Option<Instant> {
        *self.last_change.lock().unwrap()
    }

    /// Every upload's latest progress.
    pub fn uploads(&self) -> Vec<PublishProgress> {
        self.uploads.lock().unwrap().clone()
    }

    /// The furthest progress of the upload whose total is `total` bytes (the call is announced under the
    /// resource's id, its bytes are counted under the file's name).
    pub fn upload_of(&self, total: u64) -> Option<PublishProgress> {
        let uploads = self.uploads.lock().unwrap();
        uploads
            .iter()
            .filter(|p| p.total == total)
            .max_by_key(|p| p.sent)
            .cloned()
    }
}

impl Events for Recorder {
    fn emit(&self, event: DeskEvent) {
        match event {
            DeskEvent::PublishProgress(progress) if progress.total > 0 => {
                let mut uploads = self.uploads.lock().unwrap();
                match uploads.iter_mut().find(|p| p.target == progress.target) {
                    Some(seen) => *seen = progress,
                    None => uploads.push(progress),
                }
            }
            DeskEvent::FileProgress(p) if p.task == "analysis" => {
                self.analysis_events.fetch_add(1, Ordering::SeqCst);
            }
            DeskEvent::ResourcesChanged(_) => {
                *self.last_change.lock().unwrap() = Some(Instant::now());
                self.resources_changed.fetch_add(1, Ordering::SeqCst);
                self.changed.notify_one();
            }
            _ => {}
        }
    }
}

/// A folder for source files (outside every data folder) and the data folder, removed at the end.
pub struct Folders {
    _root: tempfile::TempDir,
    pub sources: PathBuf,
    pub data: PathBuf,
}

impl Folders {
    pub fn new() -> Folders {
        let root = tempfile::tempdir().unwrap();
        let (sources, data) = (root.path().join("sources"), root.path().join("data"));
        std::fs::create_dir_all(&sources).unwrap();
        Folders {
            _root: root,
            sources,
            data,
        }
    }
}

/// Latency percentile (`q` in 0..=1) of sorted samples, in milliseconds.
pub fn percentile_ms(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1000.0
}
