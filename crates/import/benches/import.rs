//! Benchmark (not a test): NSO template rows → import plan → drafts. Generates a 2.2.4 template with N
//! dataset rows (each with one resource), then times reading and planning against an empty store and
//! applying the plan, then plans the same file again against the filled store (the upsert path), and
//! prints the numbers and the peak memory of the import. Run (release, via the bench profile):
//! `cargo bench -p catalog-import --bench import -- 1000 10000`.

use std::path::Path;
use std::time::Instant;

use catalog_core::Store;
use catalog_import::layout::{self, IGNORED, JOIN};
use catalog_schema::{keys, Field, Schema, Scope, Widget};
use rust_xlsxwriter::Workbook;

/// A plausible cell for a field, derived from the schema only.
fn value(field: Option<&Field>, i: usize) -> String {
    let Some(field) = field else {
        return String::new();
    };
    if field.widget == Widget::Slug {
        format!("bench-{i}")
    } else if field.key == keys::TITLE {
        format!("ชุดข้อมูลทดสอบ {i}")
    } else if field.widget == Widget::Date {
        "2567-03-31".into()
    } else if field.widget == Widget::Tags {
        "สถิติ, ทดสอบ".into()
    } else if field.email {
        "stat@example.go.th".into()
    } else if let Some(choice) = field.choices.first() {
        choice.label.th.clone()
    } else {
        format!("ข้อความ {i}")
    }
}

fn generate(path: &Path, rows: usize) -> Result<(), rust_xlsxwriter::XlsxError> {
    let schema = Schema::built_in();
    let layout = layout::nso();
    let spec = &layout.dataset_sheets[0];
    let columns = &spec.columns[&layout.default_version];
    let mut book = Workbook::new();
    let header = layout.header_row - 1;
    let first = layout.first_data_row - 1;
    let sheet = book.add_worksheet();
    sheet.set_name(&spec.sheet)?;
    for (c, key) in columns.iter().enumerate() {
        sheet.write_string(header, c as u16, key)?;
    }
    for i in 0..rows {
        for (c, key) in columns.iter().enumerate() {
            let text = if key == IGNORED {
                String::new()
            } else {
                value(schema.field(Scope::Dataset, key), i)
            };
            if !text.is_empty() {
                sheet.write_string(first + i as u32, c as u16, &text)?;
            }
        }
    }
    let sheet = book.add_worksheet();
    sheet.set_name(&spec.resource_sheet)?;
    for (c, key) in spec.resource_columns.iter().enumerate() {
        sheet.write_string(header, c as u16, key)?;
    }
    for i in 0..rows {
        for (c, key) in spec.resource_columns.iter().enumerate() {
            let text = if key == JOIN {
                format!("bench-{i}")
            } else {
                value(schema.field(Scope::Resource, key), i)
            };
            sheet.write_string(first + i as u32, c as u16, &text)?;
        }
    }
    book.save(path)
}

fn peak_memory_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kb| kb / 1024)
}

/// Starts the peak-memory count afresh, so generating the file is not counted (Linux only).
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![1_000, 10_000] } else { sizes };
    let schema = Schema::built_in();
    for rows in sizes {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join(format!("bench-{rows}.xlsx"));
        generate(&file, rows)?;
        reset_peak_memory();
        let mut store = Store::open(&dir.path().join("data"))?;
        let started = Instant::now();
        let plan = catalog_import::plan_file(&file, schema, &store)?;
        let planned = started.elapsed();
        let applied = catalog_import::apply(&plan, &mut store, "bench")?;
        let total = started.elapsed();
        println!(
            "{rows} rows: read + plan {:.3} s, apply {:.3} s, total {:.3} s; {} drafts, {} resources; peak memory {} MB",
            planned.as_secs_f64(),
            (total - planned).as_secs_f64(),
            total.as_secs_f64(),
            applied.created,
            plan.summary.resources_created,
            peak_memory_mb().map_or_else(|| "?".to_owned(), |m| m.to_string()),
        );
        let started = Instant::now();
        let again = catalog_import::plan_file(&file, schema, &store)?;
        println!(
            "{rows} rows again (upsert against {rows} drafts): plan {:.3} s, {} unchanged",
            started.elapsed().as_secs_f64(),
            again.summary.unchanged,
        );
    }
    Ok(())
}
