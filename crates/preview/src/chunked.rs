//! The whole-file profile of a large seekable delimited file on every CPU core: the file is cut into one
//! chunk per core at record starts, each chunk is profiled on its own thread through the same row
//! filter (feeding its own split of the caller's [`RowSink`] too), and the partial profiles and sinks
//! are merged in file order. A chunk starts after the first line break
//! past an even cut of the file; each chunk then checks that its last record ended exactly where the
//! next chunk began (so that line break really ended a record). When one did not (the break was inside
//! a quoted field), or the first chunk does not hold the whole header, the caller runs the ordinary
//! single pass instead: the result is always the one a single pass gives.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::delimited::{DelimitedFile, RecordPosition, MAX_RECORD_BYTES};
use crate::encoding::WholeFileCheck;
use crate::layout::{RowFilter, TableLayout};
use crate::profile::ProfileBuilder;
use crate::source::{Progress, RowSink};
use crate::PreviewError;

/// Smaller chunks are not worth a thread.
const MIN_CHUNK_BYTES: u64 = 4 * 1024 * 1024;
const MAX_CHUNKS: usize = 16;
const CANCEL_CHECK_ROWS: usize = 1024;
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

/// The merged profile state of all chunks, and the merged whole-file encoding check. The chunks'
/// sinks are already merged into the caller's.
pub(crate) struct ChunkedProfile {
    pub builder: ProfileBuilder,
    pub encoding_check: Option<WholeFileCheck>,
}

struct ChunkResult<S> {
    builder: ProfileBuilder,
    sink: S,
    encoding_check: Option<WholeFileCheck>,
    records: usize,
    /// Offset of the first record at or after the chunk's end; `None` when the file ended first.
    next_record: Option<u64>,
}

/// Shared counters the worker threads update and the calling thread reports as progress.
#[derive(Default)]
struct Counters {
    bytes: AtomicU64,
    rows: AtomicUsize,
}

/// Profiles `file` on one thread per core. `None` when the file is too small to split, cannot be split
/// at record starts, the chunks did not line up, or `sink` cannot be split: then the caller profiles
/// it in one pass (`sink` is untouched).
pub(crate) fn profile<S: RowSink>(
    file: &DelimitedFile,
    size: u64,
    layout: &TableLayout,
    check_encoding: bool,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
    sink: &mut S,
) -> Result<Option<ChunkedProfile>, PreviewError> {
    let cores = thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_CHUNKS);
    let wanted = cores.min((size.saturating_sub(file.start().offset) / MIN_CHUNK_BYTES) as usize);
    if wanted < 2 {
        return Ok(None);
    }
    profile_in_chunks(file, size, layout, check_encoding, progress, cancel, wanted, sink)
}

/// [`profile`] with the number of chunks chosen by the caller.
#[allow(clippy::too_many_arguments)]
fn profile_in_chunks<S: RowSink>(
    file: &DelimitedFile,
    size: u64,
    layout: &TableLayout,
    check_encoding: bool,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
    chunks: usize,
    sink: &mut S,
) -> Result<Option<ChunkedProfile>, PreviewError> {
    if layout.data_end.is_some() {
        return Ok(None);
    }
    let start = file.start();
    let starts = chunk_starts(file, start.offset, size, chunks)?;
    let Some(chunk_sinks) = starts.iter().map(|_| sink.split()).collect::<Option<Vec<S>>>() else {
        return Ok(None);
    };
    let counters = Counters::default();
    let (done_sender, done) = mpsc::channel::<()>();
    let results: Vec<Result<ChunkResult<S>, PreviewError>> = thread::scope(|scope| {
        let workers: Vec<_> = starts
            .iter()
            .zip(chunk_sinks)
            .enumerate()
            .map(|(index, (&chunk_start, chunk_sink))| {
                let end = starts.get(index + 1).copied().unwrap_or(u64::MAX);
                let from = RecordPosition {
                    row: 0,
                    offset: chunk_start,
                };
                // Rows after the first chunk are numbered from 0; the filter sees them as rows below the
                // header (checked below: the first chunk holds every title and header row).
                let row_base = if index == 0 { 0 } else { layout.data_start };
                let (counters, done_sender) = (&counters, done_sender.clone());
                scope.spawn(move || {
                    let chunk = Chunk { from, end, row_base };
                    let result = profile_chunk(file, chunk, layout, check_encoding, cancel, counters, chunk_sink);
                    let _ = done_sender.send(());
                    result
                })
            })
            .collect();
        let mut finished = 0;
        while finished < workers.len() {
            match done.recv_timeout(PROGRESS_INTERVAL) {
                Ok(()) => finished += 1,
                Err(mpsc::RecvTimeoutError::Timeout) => progress(Progress {
                    rows_read: counters.rows.load(Ordering::Relaxed),
                    fraction: Some(
                        ((start.offset + counters.bytes.load(Ordering::Relaxed)) as f32 / size.max(1) as f32).min(1.0),
                    ),
                }),
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|_| Err(PreviewError::Corrupt("profile thread failed".into())))
            })
            .collect()
    });
    let mut merged: Option<ChunkedProfile> = None;
    let mut merged_sinks = Vec::with_capacity(results.len());
    let mut rows_before = 0usize;
    for (index, result) in results.into_iter().enumerate() {
        let chunk = result?;
        if index == 0 {
            let header_inside = layout.header_rows.iter().all(|row| *row < chunk.records);
            if chunk.records < layout.data_start || !header_inside {
                return Ok(None);
            }
        }
        let lined_up = chunk.next_record == starts.get(index + 1).copied();
        merged_sinks.push(chunk.sink);
        match merged.as_mut() {
            None => {
                merged = Some(ChunkedProfile {
                    builder: chunk.builder,
                    encoding_check: chunk.encoding_check,
                })
            }
            Some(whole) => {
                whole.builder.merge(chunk.builder, rows_before);
                if let (Some(mine), Some(later)) = (whole.encoding_check.as_mut(), chunk.encoding_check) {
                    mine.merge(later);
                }
            }
        }
        if !lined_up {
            return Ok(None);
        }
        rows_before += chunk.records;
    }
    for chunk_sink in merged_sinks {
        sink.merge(chunk_sink);
    }
    progress(Progress {
        rows_read: rows_before,
        fraction: Some(1.0),
    });
    Ok(merged)
}

/// Where one chunk's records are: from `from` to the first record at or after `end`; its rows are
/// numbered from `row_base` for the row filter.
struct Chunk {
    from: RecordPosition,
    end: u64,
    row_base: usize,
}

fn profile_chunk<S: RowSink>(
    file: &DelimitedFile,
    Chunk { from, end, row_base }: Chunk,
    layout: &TableLayout,
    check_encoding: bool,
    cancel: &AtomicBool,
    counters: &Counters,
    mut sink: S,
) -> Result<ChunkResult<S>, PreviewError> {
    let filter = RowFilter::new(layout);
    let mut builder = ProfileBuilder::new(&layout.column_names);
    let mut encoding_check = check_encoding.then(|| WholeFileCheck::new(file.encoding()));
    let mut records = 0usize;
    let mut next_record = None;
    let mut reported_offset = from.offset;
    file.scan(from, &mut |event| {
        if event.offset >= end {
            next_record = Some(event.offset);
            return Ok(false);
        }
        records += 1;
        if records.is_multiple_of(CANCEL_CHECK_ROWS) {
            if cancel.load(Ordering::Relaxed) {
                return Err(PreviewError::Cancelled);
            }
            counters
                .bytes
                .fetch_add(event.offset - reported_offset, Ordering::Relaxed);
            counters.rows.fetch_add(CANCEL_CHECK_ROWS, Ordering::Relaxed);
            reported_offset = event.offset;
        }
        if let Some(check) = encoding_check.as_mut() {
            check.feed_row(event.raw, event.undecodable);
        }
        if event.undecodable {
            builder.note_undecodable(event.row);
        }
        match filter.judge(row_base + event.row, event.cells) {
            None => {
                builder.add_row(event.cells);
                sink.add_row(event.cells);
            }
            Some(reason) => builder.skip(reason),
        }
        Ok(true)
    })?;
    Ok(ChunkResult {
        builder,
        sink,
        encoding_check,
        records,
        next_record,
    })
}

/// Where each chunk starts: `body_start`, then for each even cut of the file the byte after the first
/// line break at or after it. A line break inside a quoted field gives a wrong start; the line-up check
/// in [`profile`] catches it.
fn chunk_starts(file: &DelimitedFile, body_start: u64, size: u64, chunks: usize) -> Result<Vec<u64>, PreviewError> {
    let span = size - body_start;
    let mut starts = vec![body_start];
    for i in 1..chunks {
        let cut = body_start + span * i as u64 / chunks as u64;
        if let Some(next) = next_line_start(file, cut)? {
            if next > *starts.last().unwrap_or(&0) && next < size {
                starts.push(next);
            }
        }
    }
    Ok(starts)
}

/// The offset just after the first `\n` at or after `from`, looked for over at most [`MAX_RECORD_BYTES`]
/// (a longer record fails the parse anyway).
fn next_line_start(file: &DelimitedFile, from: u64) -> Result<Option<u64>, PreviewError> {
    let mut reader = File::open(file.path())?;
    reader.seek(SeekFrom::Start(from))?;
    let mut block = vec![0u8; 64 * 1024];
    let mut offset = from;
    while offset - from <= MAX_RECORD_BYTES {
        let read = reader.read(&mut block)?;
        if read == 0 {
            return Ok(None);
        }
        if let Some(i) = block[..read].iter().position(|b| *b == b'\n') {
            return Ok(Some(offset + i as u64 + 1));
        }
        offset += read as u64;
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delimited::CsvDialect;
    use crate::profile::Profile;
    use crate::row::RowText;
    use crate::source::{open, OpenOptions};

    /// Each data row's number and name cell as a sink saw them, to check that every row reaches the
    /// sinks once and in file order.
    #[derive(Debug, Default, PartialEq)]
    struct SeenRows(Vec<String>);

    impl RowSink for SeenRows {
        fn add_row(&mut self, cells: &RowText) {
            self.0.push(format!("{}|{}", cells.get(0), cells.get(2)));
        }

        fn split(&self) -> Option<Self> {
            Some(SeenRows::default())
        }

        fn merge(&mut self, later: Self) {
            self.0.extend(later.0);
        }
    }

    /// A sink that cannot be split.
    struct Unsplittable;

    impl RowSink for Unsplittable {
        fn add_row(&mut self, _cells: &RowText) {}

        fn split(&self) -> Option<Self> {
            None
        }

        fn merge(&mut self, _later: Self) {}
    }

    /// A Windows-874 report: two title rows, a header, data rows with IDs, Thai names, B.E. dates and
    /// quoted amounts, blank cells, total rows, and a byte that does not decode every 97th row. With
    /// `multiline`, every row's name is a long quoted field holding a line break.
    fn report(rows: usize, multiline: bool) -> Vec<u8> {
        let mut text = String::from("รายงานนิติบุคคล,,,,\nทั่วประเทศ,,,,\nที่,เลขทะเบียน,ชื่อ,วันที่,ทุน\n");
        for i in 1..=rows {
            let name = if multiline {
                format!(
                    "\"บริษัท {i} {}\nสาขา {}\"",
                    "ก".repeat(i % 300),
                    "ข".repeat(300 - i % 300)
                )
            } else {
                format!("บริษัท {i} จำกัด")
            };
            let capital = if i % 11 == 0 {
                String::new()
            } else {
                format!("\"{},000\"", i % 5000)
            };
            text.push_str(&format!(
                "{i},0{:012},{name},{}/{}/25{:02},{capital}\n",
                i,
                i % 28 + 1,
                i % 12 + 1,
                i % 68
            ));
            if i % 1000 == 0 {
                text.push_str("รวม,,,,\n");
            }
        }
        let mut bytes = Vec::new();
        for (i, line) in text.split_inclusive('\n').enumerate() {
            bytes.extend_from_slice(&encoding_rs::WINDOWS_874.encode(line).0);
            if i % 97 == 50 {
                let newline = bytes.pop();
                bytes.push(0xDB);
                bytes.extend(newline);
            }
        }
        bytes
    }

    /// The report written to a temporary file, with its detected layout, read as Windows-874.
    struct Written {
        _dir: tempfile::TempDir,
        file: DelimitedFile,
        layout: TableLayout,
    }

    fn written(bytes: &[u8]) -> Written {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("report.csv");
        std::fs::write(&path, bytes).expect("written");
        let layout = open(&path, &OpenOptions::default())
            .and_then(|mut source| source.detect_layout(None))
            .expect("layout");
        let file = DelimitedFile::new(&path, encoding_rs::WINDOWS_874, 0, CsvDialect::default());
        Written {
            _dir: dir,
            file,
            layout,
        }
    }

    /// The profile in `chunks` chunks (if they lined up) and in one, each with the rows its sink saw.
    fn profiles(bytes: &[u8], chunks: usize) -> ((Option<Profile>, SeenRows), (Profile, SeenRows)) {
        let Written { file, layout, .. } = &written(bytes);
        let size = bytes.len() as u64;
        let cancel = AtomicBool::new(false);
        let finish = |chunked: ChunkedProfile| chunked.builder.finish(chunked.encoding_check.map(|c| c.finish()));
        let run = |chunks| {
            let mut seen = SeenRows::default();
            let profile =
                profile_in_chunks(file, size, layout, true, &mut |_| {}, &cancel, chunks, &mut seen).expect("profile");
            (profile.map(finish), seen)
        };
        let (single, single_rows) = run(1);
        (run(chunks), (single.expect("one chunk always lines up"), single_rows))
    }

    #[test]
    fn chunks_merge_to_the_single_pass_profile() {
        let ((chunked, chunked_rows), (single, single_rows)) = profiles(&report(20_000, false), 4);
        assert_eq!(chunked.as_ref(), Some(&single));
        assert_eq!(single.data_rows, 20_000);
        assert_eq!(
            chunked_rows, single_rows,
            "the sink saw every data row once, in file order"
        );
        assert_eq!(single_rows.0.len(), 20_000);
        assert_eq!(single_rows.0[19_999], "20000|บริษัท 20000 จำกัด");
        assert_eq!(
            (single.skipped.title, single.skipped.header, single.skipped.total),
            (2, 1, 20)
        );
        assert_eq!(single.undecodable_row_count, 206);
        assert_eq!(
            single.undecodable_rows[..2],
            [50, 147],
            "file rows, counted across chunks"
        );
        assert_eq!(
            single.columns[4].null_count,
            1818 - 18,
            "18 blank amounts hold the undecodable byte"
        );
        assert!(single.columns[3].buddhist_era_dates);
    }

    #[test]
    fn cancel_stops_every_chunk() {
        let bytes = report(20_000, false);
        let Written { file, layout, .. } = &written(&bytes);
        let cancelled = AtomicBool::new(true);
        let result = profile_in_chunks(
            file,
            bytes.len() as u64,
            layout,
            true,
            &mut |_| {},
            &cancelled,
            4,
            &mut SeenRows::default(),
        );
        assert!(matches!(result, Err(PreviewError::Cancelled)));
    }

    #[test]
    fn a_sink_that_cannot_be_split_gives_way_to_the_single_pass() {
        let bytes = report(20_000, false);
        let Written { file, layout, .. } = &written(&bytes);
        let cancel = AtomicBool::new(false);
        let chunked = profile_in_chunks(
            file,
            bytes.len() as u64,
            layout,
            true,
            &mut |_| {},
            &cancel,
            4,
            &mut Unsplittable,
        );
        assert!(matches!(chunked, Ok(None)));
    }

    #[test]
    fn a_cut_inside_a_quoted_line_break_gives_way_to_the_single_pass() {
        let bytes = report(3_000, true);
        let mut lined_up = Vec::new();
        for chunks in 2..=6 {
            let ((chunked, chunked_rows), (single, single_rows)) = profiles(&bytes, chunks);
            assert_eq!(single.data_rows, 3_000);
            lined_up.push(chunked.is_some());
            if let Some(chunked) = chunked {
                assert_eq!(chunked, single, "{chunks} chunks lined up, so they agree");
                assert_eq!(chunked_rows, single_rows);
            } else {
                assert!(chunked_rows.0.is_empty(), "a misfit leaves the sink untouched");
            }
        }
        assert!(lined_up.contains(&false) && lined_up.contains(&true), "{lined_up:?}");
    }
}
