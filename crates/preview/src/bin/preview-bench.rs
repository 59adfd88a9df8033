//! Times the two things the user waits for on one file: open + layout + first screen, and the
//! whole-file profile; prints what was found. A measuring tool, not a test (`scripts/bench` runs it,
//! one process per measurement, side by side with the peer tools).
//!
//! Usage: `preview-bench [--first-screen | --profile] [--rows N] FILE`
//! - no mode: a human-readable report of everything (first screen, profile, row index);
//! - `--first-screen`: only open + layout + the first N data rows (default 200), one JSON line;
//! - `--profile`: only open + layout + the whole-file profile, one JSON line.
//!
//! A bare number after FILE is still read as ROWS (the old `preview-bench FILE [ROWS]` form).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use catalog_preview::{open, suggest_metadata, OpenOptions, PreviewError, Source, TableLayout};

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Report,
    FirstScreen,
    Profile,
}

fn usage() -> ! {
    eprintln!("usage: preview-bench [--first-screen | --profile] [--rows N] FILE");
    std::process::exit(2);
}

fn main() -> Result<(), PreviewError> {
    let mut mode = Mode::Report;
    let mut first_rows: usize = 200;
    let mut path: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--first-screen" => mode = Mode::FirstScreen,
            "--profile" => mode = Mode::Profile,
            "--rows" => first_rows = args.next().and_then(|n| n.parse().ok()).unwrap_or_else(|| usage()),
            "-h" | "--help" => usage(),
            _ if path.is_none() => path = Some(PathBuf::from(arg)),
            _ => first_rows = arg.parse().unwrap_or_else(|_| usage()),
        }
    }
    let Some(path) = path else { usage() };
    match mode {
        Mode::Report => report(&path, first_rows),
        Mode::FirstScreen => first_screen_json(&path, first_rows),
        Mode::Profile => profile_json(&path),
    }
}

/// Opens the file and detects its layout, as the app does before showing anything.
fn open_with_layout(path: &std::path::Path) -> Result<(Source, TableLayout), PreviewError> {
    let mut source = open(path, &OpenOptions::default())?;
    let layout = source.detect_layout(None)?;
    Ok((source, layout))
}

fn layout_json(out: &mut String, source: &Source, layout: &TableLayout) {
    let info = source.info();
    let _ = write!(out, "\"format\":{},", json_str(&format!("{:?}", info.format)));
    let encoding = info.encoding.as_ref().map(|e| e.encoding.as_str()).unwrap_or("");
    let _ = write!(out, "\"encoding\":{},", json_str(encoding));
    let _ = write!(out, "\"sheet\":{},", json_str(layout.sheet.as_deref().unwrap_or("")));
    let rows: Vec<String> = layout.header_rows.iter().map(|r| r.to_string()).collect();
    let _ = write!(out, "\"header_rows\":[{}],", rows.join(","));
    let _ = write!(out, "\"data_start\":{},", layout.data_start);
    let _ = write!(out, "\"columns\":{},", json_strs(&layout.column_names));
}

fn first_screen_json(path: &std::path::Path, first_rows: usize) -> Result<(), PreviewError> {
    let started = Instant::now();
    let (mut source, layout) = open_with_layout(path)?;
    let window = source.first_screen(&layout, first_rows)?;
    let seconds = started.elapsed().as_secs_f64();
    let mut out = String::from("{\"mode\":\"first-screen\",");
    layout_json(&mut out, &source, &layout);
    let _ = write!(out, "\"rows_shown\":{},", window.rows.len());
    let first: &[String] = window.rows.first().map(|r| r.cells.as_slice()).unwrap_or(&[]);
    let _ = write!(out, "\"first_row\":{},", json_strs(first));
    let _ = write!(out, "\"in_process_s\":{seconds:.6}}}");
    println!("{out}");
    Ok(())
}

fn profile_json(path: &std::path::Path) -> Result<(), PreviewError> {
    let started = Instant::now();
    let (mut source, layout) = open_with_layout(path)?;
    let cancel = AtomicBool::new(false);
    let profile = source.profile(&layout, &mut |_| {}, &cancel)?;
    let seconds = started.elapsed().as_secs_f64();
    let mut out = String::from("{\"mode\":\"profile\",");
    layout_json(&mut out, &source, &layout);
    let _ = write!(out, "\"data_rows\":{},", profile.data_rows);
    let _ = write!(out, "\"undecodable_rows\":{},", profile.undecodable_row_count);
    out.push_str("\"profile\":[");
    for (i, column) in profile.columns.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "{{\"name\":{},\"type\":{},\"nulls\":{},\"distinct\":{},\"min\":{},\"max\":{},\
             \"buddhist_era_dates\":{},\"examples\":{}}}",
            json_str(&column.name),
            json_str(&format!("{:?}", column.inferred_type)),
            column.null_count,
            column.distinct_estimate,
            json_str(column.min.as_deref().unwrap_or("")),
            json_str(column.max.as_deref().unwrap_or("")),
            column.buddhist_era_dates,
            json_strs(&column.examples)
        );
    }
    let _ = write!(out, "],\"in_process_s\":{seconds:.6}}}");
    println!("{out}");
    Ok(())
}

fn json_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json_strs(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| json_str(s)).collect();
    format!("[{}]", quoted.join(","))
}

/// The human-readable report of everything (the original behaviour).
fn report(path: &std::path::Path, first_rows: usize) -> Result<(), PreviewError> {
    let started = Instant::now();
    let mut source = open(path, &OpenOptions::default())?;
    let opened = started.elapsed();
    let layout = source.detect_layout(None)?;
    let window = source.first_screen(&layout, first_rows)?;
    let first_screen = started.elapsed();
    println!(
        "format {:?}, encoding {:?}, dialect {:?}",
        source.info().format,
        source.info().encoding,
        source.info().dialect
    );
    for sheet in source.sheets() {
        println!(
            "sheet {:?} {}x{} merged={}",
            sheet.name,
            sheet.rows,
            sheet.columns,
            sheet.merged_regions.len()
        );
    }
    println!(
        "layout: sheet {} header_rows {:?} data_start {} title {}",
        layout.sheet.as_deref().unwrap_or("-"),
        layout.header_rows,
        layout.data_start,
        layout.title.as_deref().unwrap_or("-")
    );
    println!("columns: {}", layout.column_names.join(" | "));
    for row in window.rows.iter().take(3) {
        println!("row {}: {}", row.source_row, row.cells.join(" | "));
    }
    println!(
        "open {:.3} s; open + layout + first {} rows {:.3} s",
        opened.as_secs_f64(),
        window.rows.len(),
        first_screen.as_secs_f64()
    );

    let cancel = AtomicBool::new(false);
    let started = Instant::now();
    let profile = source.profile(&layout, &mut |_| {}, &cancel)?;
    let profiled = started.elapsed();
    for column in &profile.columns {
        println!(
            "  {} | {:?} nulls={} distinct~{} min={} max={} years={:?} examples: {}",
            column.name,
            column.inferred_type,
            column.null_count,
            column.distinct_estimate,
            column.min.as_deref().unwrap_or("-"),
            column.max.as_deref().unwrap_or("-"),
            column.year_range.map(|y| (y.first, y.last)),
            column.examples.join(" / ")
        );
    }
    println!(
        "skipped {:?}; undecodable rows {}; whole-file encoding {:?}",
        profile.skipped, profile.undecodable_row_count, profile.whole_file_encoding
    );
    println!("metadata {:?}", suggest_metadata(source.info(), &layout, &profile));
    println!(
        "profile of {} data rows {:.3} s",
        profile.data_rows,
        profiled.as_secs_f64()
    );

    let started = Instant::now();
    let summary = source.build_row_index(&layout, &mut |_| {}, &cancel)?;
    let indexed = started.elapsed();
    let late_row = summary.data_rows * 9 / 10;
    let started = Instant::now();
    let window = source.rows(&layout, late_row, 100)?;
    println!(
        "row index {:.3} s; 100 rows at data row {late_row}: {} rows in {:.3} s",
        indexed.as_secs_f64(),
        window.rows.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
