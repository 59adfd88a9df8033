//! Times a file's analysis against the profile alone (issue #11's target: the analysis of the 200 MB
//! CSV within 1.5× of the profile): open + detect the layout, then the whole-file profile, then the
//! profile's pass feeding a hint scanner (chunked on every core when the file allows), each `RUNS`
//! times (default 5); prints the medians and their ratio. A measuring tool, not a test.
//!
//! Usage: `cargo run --release -p catalog-hints --example analysis_bench -- FILE`

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use catalog_hints::HintScanner;
use catalog_preview::{open, OpenOptions, PreviewError};

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() -> Result<(), PreviewError> {
    let path = std::env::args().nth(1).expect("usage: analysis_bench FILE");
    let runs: usize = std::env::var("RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(5);
    let cancel = AtomicBool::new(false);
    let mut profile_times = Vec::new();
    let mut analysis_times = Vec::new();
    let mut found = Vec::new();
    for _ in 0..runs {
        let mut source = open(path.as_ref(), &OpenOptions::default())?;
        let layout = source.detect_layout(None)?;
        let start = Instant::now();
        source.profile(&layout, &mut |_| {}, &cancel)?;
        profile_times.push(start.elapsed());

        let mut source = open(path.as_ref(), &OpenOptions::default())?;
        let layout = source.detect_layout(None)?;
        let start = Instant::now();
        let mut scanner = HintScanner::new(&layout.column_names);
        source.profile_visiting(&layout, &mut |_| {}, &cancel, &mut scanner)?;
        found = scanner.finish();
        analysis_times.push(start.elapsed());
    }
    let (profile, analysis) = (median(profile_times), median(analysis_times));
    println!(
        "profile {:.3} s, analysis (profile + hints) {:.3} s: {:.2}× ({} hints: {})",
        profile.as_secs_f64(),
        analysis.as_secs_f64(),
        analysis.as_secs_f64() / profile.as_secs_f64(),
        found.len(),
        found.iter().map(|h| h.id.as_str()).collect::<Vec<_>>().join(", ")
    );
    Ok(())
}
