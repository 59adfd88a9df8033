//! Issue #12 benchmark: how soon Catalog Desk's window is usable after the program is started, and how
//! much memory it holds while idle with 1,000 drafts. `scripts/bench-startup` builds the release
//! package, unpacks it and runs this on the program it installs, in a virtual X display; by hand:
//!
//! ```text
//! export CARGO_TARGET_DIR=/work/target-helpers
//! xvfb-run -a -s "-screen 0 1280x800x24" \
//!   cargo run --release -p catalog-app --example startup_bench -- PATH/TO/catalog-desk
//! ```
//!
//! A start is timed from spawning the program to the `window ready` line in its log: the window calls
//! the shell's `window_ready` command once the frame showing its first data (app status, schema,
//! language) and the draft list has been painted; the line's own timestamp is used, so polling the log
//! adds nothing. Each case runs [`RUNS`] times (`STARTUP_RUNS`), each start a
//! new process (its files in the page cache; `STARTUP_DROP_CACHES=1`, as root, adds starts with the
//! page cache dropped before each): with an empty data folder (the first start: database created), and
//! with 1,000 drafts (a bulk import of generated, valid records of every data type, one link resource
//! each). Idle memory, with an empty data folder and with the 1,000 drafts: once the program and its
//! children have used under 2 % of a core for 2 s, the resident set (VmRSS) of the program and of each
//! process it started (WebKitWebProcess, WebKitNetworkProcess; dbus-launch when there is no session
//! bus), and their sum; PSS (shared pages divided among the processes that map them) is given beside
//! it, as RSS counts the shared libraries once per process.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use catalog_app::Desk;
use catalog_core::Store;
use catalog_publish::{MemoryStore, Secrets};
use catalog_schema::Schema;
use support::{full_record, percentile_ms, Folders, Recorder, RunIds};

const DRAFTS: usize = 1_000;
/// Starts per case, unless `STARTUP_RUNS` says otherwise.
const RUNS: usize = 10;
/// Starts per case with the page cache dropped (`STARTUP_DROP_CACHES=1`).
const COLD_RUNS: usize = 3;
/// Idle-memory samples per data folder (each a new start).
const MEMORY_RUNS: usize = 3;
/// How long a start may take before the benchmark gives up.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// "Idle": under this share of one core over [`IDLE_WINDOW`].
const IDLE_SHARE: f64 = 0.02;
const IDLE_WINDOW: Duration = Duration::from_secs(2);
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// Clock ticks per second in /proc/PID/stat (USER_HZ, 100 on Linux).
const TICKS_PER_S: f64 = 100.0;

/// One start of the program, in its own process group so that it and its WebKit children stop together.
struct Running {
    child: Child,
    log_dir: PathBuf,
    spawned_at: SystemTime,
    ready_lines_before: usize,
}

impl Running {
    fn start(app: &Path, data: &Path) -> Running {
        use std::os::unix::process::CommandExt;
        let log_dir = data.join("logs");
        let ready_lines_before = ready_lines(&log_dir).len();
        let spawned_at = SystemTime::now();
        let child = Command::new(app)
            .arg("--data-dir")
            .arg(data)
            .env("NO_AT_BRIDGE", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", app.display()));
        Running {
            child,
            log_dir,
            spawned_at,
            ready_lines_before,
        }
    }

    /// Waits for this start's `window ready` line.
    fn wait_ready(&mut self) -> Ready {
        let waiting = Instant::now();
        loop {
            if let Some(line) = ready_lines(&self.log_dir).get(self.ready_lines_before) {
                let logged = line_time(line);
                let spawned = self.spawned_at.duration_since(UNIX_EPOCH).unwrap().as_secs_f64();
                let shell_ms = line
                    .split("startup_ms=")
                    .nth(1)
                    .and_then(|v| v.split_whitespace().next()?.parse().ok())
                    .expect("startup_ms in the ready line");
                return Ready {
                    seconds: seconds_between(spawned, logged),
                    shell_ms,
                    cpu_seconds: self.cpu_ticks() as f64 / TICKS_PER_S,
                };
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("the app exited ({status}) before its window was ready");
            }
            assert!(
                waiting.elapsed() < START_TIMEOUT,
                "the window was not ready within {START_TIMEOUT:?}"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The program and its child processes, e.g. WebKitWebProcess: (pid, name).
    fn processes(&self) -> Vec<(u32, String)> {
        let pgid = self.child.id();
        let mut found = Vec::new();
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Some(stat) = proc_stat(pid) else { continue };
            if stat.pgid == pgid {
                found.push((pid, stat.name));
            }
        }
        found.sort();
        found
    }

    /// Waits until the processes together use under [`IDLE_SHARE`] of a core over [`IDLE_WINDOW`].
    fn wait_idle(&self) -> Duration {
        let started = Instant::now();
        let mut before = self.cpu_ticks();
        loop {
            std::thread::sleep(IDLE_WINDOW);
            let now = self.cpu_ticks();
            let share = (now - before) as f64 / TICKS_PER_S / IDLE_WINDOW.as_secs_f64();
            if share < IDLE_SHARE {
                return started.elapsed();
            }
            assert!(
                started.elapsed() < IDLE_TIMEOUT,
                "still busy after {IDLE_TIMEOUT:?} ({share:.2} of a core)"
            );
            before = now;
        }
    }

    fn cpu_ticks(&self) -> u64 {
        self.processes()
            .iter()
            .filter_map(|(pid, _)| proc_stat(*pid))
            .map(|s| s.cpu_ticks)
            .sum()
    }

    /// Stops the whole process group and waits until every process of it is gone.
    fn stop(mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let stopping = Instant::now();
        let _ = self.child.wait();
        while !self.processes().is_empty() {
            if stopping.elapsed() > Duration::from_secs(5) {
                let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

struct ProcStat {
    name: String,
    pgid: u32,
    cpu_ticks: u64,
}

/// /proc/PID/stat: the name (in parentheses, may hold spaces), the process group, user + system ticks.
fn proc_stat(pid: u32) -> Option<ProcStat> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (open, close) = (stat.find('(')?, stat.rfind(')')?);
    let rest: Vec<&str> = stat[close + 2..].split(' ').collect();
    Some(ProcStat {
        name: stat[open + 1..close].to_owned(),
        pgid: rest.get(2)?.parse().ok()?,
        cpu_ticks: rest.get(11)?.parse::<u64>().ok()? + rest.get(12)?.parse::<u64>().ok()?,
    })
}

/// A `kB` line of a /proc status file, in MiB.
fn proc_mib(path: &str, key: &str) -> f64 {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .find_map(|l| {
            l.strip_prefix(key)?
                .trim()
                .strip_suffix("kB")?
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// Every `window ready` line in the data folder's logs, oldest first.
fn ready_lines(log_dir: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(log_dir)
        .map(|dir| dir.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(f)
                .unwrap_or_default()
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|l| l.contains("window ready") && l.contains("startup_ms="))
        .collect()
}

/// Seconds since midnight UTC of a log line's RFC 3339 timestamp (`2026-12-03T13:20:01.123456Z …`).
fn line_time(line: &str) -> f64 {
    let stamp = line.split_whitespace().next().expect("a timestamp");
    let clock = stamp
        .split('T')
        .nth(1)
        .and_then(|t| t.strip_suffix('Z'))
        .expect("an RFC 3339 UTC timestamp");
    let parts: Vec<f64> = clock.split(':').map(|p| p.parse().expect("a clock field")).collect();
    parts[0] * 3600.0 + parts[1] * 60.0 + parts[2]
}

/// From `spawned` (seconds since the epoch) to `logged` (seconds since midnight UTC), across midnight.
fn seconds_between(spawned: f64, logged: f64) -> f64 {
    (logged - spawned % 86_400.0).rem_euclid(86_400.0)
}

/// 1,000 valid drafts of every data type, written in one bulk import (as the import dialog applies one).
fn seed(data: &Path) -> Duration {
    let started = Instant::now();
    let mut store = Store::open(data).expect("the bench's data folder");
    let schema = Schema::built_in();
    let types = schema.data_types();
    let items: Vec<_> = (0..DRAFTS)
        .map(|i| {
            let ids = RunIds {
                name: format!("startup-bench-{i}"),
                title: format!("ชุดข้อมูลสถิติจังหวัด ลำดับที่ {i}"),
                org_id: "bench-org".into(),
            };
            let record = full_record(schema, &types[i % types.len()].value, &ids);
            let resources = vec![None; record.resources.len()];
            (None, record, resources)
        })
        .collect();
    store.apply_import(&items, "bench").expect("the bulk import");
    started.elapsed()
}

/// One start, when its window reported ready.
struct Ready {
    /// From spawning the program to its `window ready` line.
    seconds: f64,
    /// The shell's own `startup_ms`: from its first statement to the line.
    shell_ms: f64,
    /// CPU time (user + system) the program and its child processes had used by then: what the start
    /// costs whatever else the machine is doing.
    cpu_seconds: f64,
}

/// The starts of one case, and the system load while they ran.
struct Case {
    label: String,
    starts: Vec<Ready>,
    load: String,
}

impl Case {
    /// Median, 90th percentile (nearest rank), min and max of the spawn-to-ready times; medians of the
    /// shell's part and of the CPU time.
    fn row(&self) -> String {
        let mut times: Vec<Duration> = self.starts.iter().map(|r| Duration::from_secs_f64(r.seconds)).collect();
        times.sort();
        let median = |f: fn(&Ready) -> f64| {
            let mut v: Vec<f64> = self.starts.iter().map(f).collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        format!(
            "| {} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.2} | {} |",
            self.label,
            times.len(),
            percentile_ms(&times, 0.5),
            percentile_ms(&times, 0.9),
            percentile_ms(&times, 0.0),
            percentile_ms(&times, 1.0),
            median(|r| r.shell_ms),
            median(|r| r.cpu_seconds),
            self.load,
        )
    }
}

/// The 1-minute load average now.
fn load_average() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split_whitespace().next().unwrap_or("?").to_owned()
}

fn time_starts(label: &str, app: &Path, data: impl Fn(usize) -> PathBuf, runs: usize, drop_caches: bool) -> Case {
    let load_before = load_average();
    let mut starts = Vec::new();
    for run in 0..runs {
        if drop_caches {
            let _ = Command::new("sync").status();
            std::fs::write("/proc/sys/vm/drop_caches", "3").expect("dropping the page cache needs root");
        }
        let mut running = Running::start(app, &data(run));
        starts.push(running.wait_ready());
        running.stop();
    }
    eprintln!("{label}: done");
    Case {
        label: label.to_owned(),
        starts,
        load: format!("{load_before} → {}", load_average()),
    }
}

fn main() {
    let app = PathBuf::from(std::env::args().nth(1).expect(
        "usage: startup_bench PATH/TO/catalog-desk (in an X display: xvfb-run -a -s \"-screen 0 1280x800x24\" …)",
    ));
    assert!(app.is_file(), "{} is not a file", app.display());
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "no DISPLAY: run under xvfb-run (scripts/bench-startup does)"
    );
    let runs = std::env::var("STARTUP_RUNS").map_or(RUNS, |v| v.parse().expect("STARTUP_RUNS: a number"));
    let drop_caches = std::env::var("STARTUP_DROP_CACHES").is_ok_and(|v| v == "1");

    let folders = Folders::new();
    let seeded = folders.data.clone();
    let seeding = seed(&seeded);
    let list_ms = list_in_process(&seeded);
    println!(
        "{DRAFTS} drafts written in one bulk import in {seeding:.1?}; the draft list in-process: {list_ms:.0} ms (median of 5)"
    );

    // One start first, so that every timed start finds the program and its libraries in the page cache.
    let mut warm = Running::start(&app, &folders.sources.join("warm-up"));
    warm.wait_ready();
    warm.stop();

    let mut cases = vec![
        time_starts(
            "first start (empty data folder)",
            &app,
            |run| folders.sources.join(format!("empty-{run}")),
            runs,
            false,
        ),
        time_starts(&format!("{DRAFTS} drafts"), &app, |_| seeded.clone(), runs, false),
    ];
    if drop_caches {
        cases.push(time_starts(
            &format!("{DRAFTS} drafts, page cache dropped before each start"),
            &app,
            |_| seeded.clone(),
            COLD_RUNS,
            true,
        ));
    }

    let memory = [
        idle_memory("empty data folder", &app, &folders.sources.join("empty-0")),
        idle_memory(&format!("{DRAFTS} drafts"), &app, &seeded),
    ];

    println!(
        "\nStarts: spawn of the program to its `window ready` line (ms); the shell's part: from its first \
         statement; CPU: user + system seconds of all its processes by then; load: 1-minute average.\n"
    );
    println!("| case | starts | median | p90 | min | max | shell's part (median) | CPU s (median) | load |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for case in &cases {
        println!("{}", case.row());
    }
    println!("\nIdle memory (MiB), each a new start measured once idle (VmRSS / PSS):\n");
    println!("| data | start | idle after | processes | VmRSS sum | PSS sum |");
    println!("| --- | ---: | ---: | --- | ---: | ---: |");
    for (label, samples) in &memory {
        for (n, sample) in samples.iter().enumerate() {
            let each: Vec<String> = sample
                .processes
                .iter()
                .map(|(name, r, p)| format!("{name} {r:.0} / {p:.0}"))
                .collect();
            println!(
                "| {label} | {} | {:.0} s | {} | {:.0} | {:.0} |",
                n + 1,
                sample.settled.as_secs_f64(),
                each.join(", "),
                sample.rss(),
                sample.pss()
            );
        }
    }
    for (label, samples) in &memory {
        let mut sums: Vec<(f64, f64)> = samples.iter().map(|s| (s.rss(), s.pss())).collect();
        sums.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (rss, pss) = sums[sums.len() / 2];
        println!("{label}: median idle VmRSS sum {rss:.0} MiB (PSS {pss:.0} MiB)");
    }
    println!("program {}", app.display());
}

/// The processes of one start once idle: (name, VmRSS MiB, PSS MiB) each.
struct MemorySample {
    settled: Duration,
    processes: Vec<(String, f64, f64)>,
}

impl MemorySample {
    fn rss(&self) -> f64 {
        self.processes.iter().map(|p| p.1).sum()
    }

    fn pss(&self) -> f64 {
        self.processes.iter().map(|p| p.2).sum()
    }
}

/// [`MEMORY_RUNS`] starts on `data`, each measured once idle.
fn idle_memory(label: &str, app: &Path, data: &Path) -> (String, Vec<MemorySample>) {
    let samples = (0..MEMORY_RUNS)
        .map(|_| {
            let mut running = Running::start(app, data);
            running.wait_ready();
            let settled = running.wait_idle();
            let processes = running
                .processes()
                .into_iter()
                .map(|(pid, name)| {
                    let rss = proc_mib(&format!("/proc/{pid}/status"), "VmRSS:");
                    let pss = proc_mib(&format!("/proc/{pid}/smaps_rollup"), "Pss:");
                    (name, rss, pss)
                })
                .collect();
            running.stop();
            MemorySample { settled, processes }
        })
        .collect();
    eprintln!("idle memory, {label}: done");
    (label.to_owned(), samples)
}

/// The draft list as the window asks for it first, answered by the core in this process (ms, median of 5).
fn list_in_process(data: &Path) -> f64 {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let secrets = (Secrets::new(Box::new(MemoryStore::default())), None);
        let desk = Desk::open_with_secrets(data, Arc::new(Recorder::default()), secrets);
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            let listed = desk.list_drafts(String::new()).await.expect("the list");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(listed.len(), DRAFTS);
        }
        times.sort_by(f64::total_cmp);
        times[2]
    })
}
