//! Times the two things the user waits for on one file: open + layout + first screen, and the
//! whole-file profile; prints what was found. Usage: `preview-bench FILE [ROWS]`.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use catalog_preview::{open, suggest_metadata, OpenOptions, PreviewError};

fn main() -> Result<(), PreviewError> {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next().map(PathBuf::from) else {
        eprintln!("usage: preview-bench FILE [ROWS]");
        std::process::exit(2);
    };
    let first_rows: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(200);

    let started = Instant::now();
    let mut source = open(&path, &OpenOptions::default())?;
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
