//! The public entry point: [`open`] a file, then ask its [`Source`] for sheets, a detected
//! [`TableLayout`], the first screen, later row windows (through a row index built once), and the
//! whole-file [`Profile`]. Long passes take a progress callback and a cancel flag.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use crate::chunked;
use crate::delimited::{sniff_dialect, CsvDialect, DelimitedFile, RecordPosition};
use crate::encoding::{detect_encoding, encoding_for_label, EncodingReport, EncodingSource, WholeFileCheck};
use crate::layout::{
    detect_layout, LayoutSample, RowFilter, SkipReason, TableLayout, DETECTION_ROWS, MAX_CONSECUTIVE_BLANK_ROWS,
};
use crate::profile::{Profile, ProfileBuilder, MAX_LISTED_UNDECODABLE_ROWS};
use crate::row::RowText;
use crate::spill::{SpillFile, SpillWriter};
use crate::workbook::{contain_panics, SheetInfo, Workbook, WorkbookKind};
use crate::xlsx_head::XlsxHead;
use crate::PreviewError;

/// What the user may force when opening a file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenOptions {
    /// A WHATWG encoding label (`utf-8`, `windows-874`, `tis-620`, `utf-16le`) instead of detection.
    pub encoding: Option<String>,
    /// Delimiter and quote instead of sniffing.
    pub dialect: Option<CsvDialect>,
    /// The file's original name, whose extension tells containers apart when `path` has none (the
    /// app's content-addressed copies are named by their hash).
    pub original_name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    Csv,
    Tsv,
    Xlsx,
    Xlsm,
    Xlsb,
    Xls,
    Ods,
}

impl FileFormat {
    /// The format a file name's extension says this crate reads (`.txt` as delimited text), or `None`
    /// for any other file (PDF, images, archives …). The contents still decide when the file is opened.
    pub fn from_name(name: &str) -> Option<FileFormat> {
        let extension = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
        Some(match extension.as_str() {
            "csv" | "txt" => FileFormat::Csv,
            "tsv" | "tab" => FileFormat::Tsv,
            "xlsx" => FileFormat::Xlsx,
            "xlsm" => FileFormat::Xlsm,
            "xlsb" => FileFormat::Xlsb,
            "xls" => FileFormat::Xls,
            "ods" => FileFormat::Ods,
            _ => return None,
        })
    }

    /// The format name a CKAN resource uses.
    pub fn ckan_name(self) -> &'static str {
        match self {
            FileFormat::Csv => "CSV",
            FileFormat::Tsv => "TSV",
            FileFormat::Xlsx => "XLSX",
            FileFormat::Xlsm => "XLSM",
            FileFormat::Xlsb => "XLSB",
            FileFormat::Xls => "XLS",
            FileFormat::Ods => "ODS",
        }
    }
}

/// What is known about an opened file.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct SourceInfo {
    pub path: PathBuf,
    pub format: FileFormat,
    pub size_bytes: u64,
    /// Delimited files only. At open the guess uses the first [`OPEN_DETECTION_BYTES`]; a full pass
    /// (row index, profile) checks the whole file.
    pub encoding: Option<EncodingReport>,
    pub dialect: Option<CsvDialect>,
    /// Workbooks only.
    pub sheets: Vec<SheetInfo>,
    /// Document properties (workbooks) or the file's modification time, ISO 8601.
    pub created: Option<String>,
    pub modified: Option<String>,
}

/// Bytes examined for the encoding guess when opening (the whole-file check comes with the full passes).
/// (64 KiB keeps the first screen of a Windows-874 file near 10 ms; chardetng is slow.)
pub const OPEN_DETECTION_BYTES: u64 = 64 * 1024;
const SNIFF_BYTES: usize = 64 * 1024;
const INDEX_STEP: usize = 512;
const CANCEL_CHECK_ROWS: usize = 1024;
const PROGRESS_EVERY_ROWS: usize = 16 * 1024;

/// Progress of a long pass.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Progress {
    pub rows_read: usize,
    /// 0.0–1.0 when it can be told (bytes read of a delimited file, rows of a sheet).
    pub fraction: Option<f32>,
}

/// What else a whole-file pass hands every data row to, in file order, besides the profile (the
/// classification-hint scanner), so that both come from one reading of the file.
///
/// A large delimited file is profiled in chunks on every core ([`Source::profile_visiting`]): each
/// chunk then feeds its own empty sink from [`RowSink::split`], and the chunks' sinks are merged back in
/// file order with [`RowSink::merge`], which must give the state one sink fed every row would have.
/// A sink that cannot do that returns `None` from `split`, and the pass runs on one thread.
pub trait RowSink: Send {
    /// One data row: its cells, one per column of the layout ("" past the row's end).
    fn add_row(&mut self, cells: &RowText);
    /// An empty sink for a later part of the same table, or `None` if this sink cannot be split.
    fn split(&self) -> Option<Self>
    where
        Self: Sized;
    /// Folds in the state of a sink from [`RowSink::split`] that was fed the rows that follow this
    /// sink's rows.
    fn merge(&mut self, later: Self)
    where
        Self: Sized;
}

/// The sink of a pass that only profiles.
struct NoSink;

impl RowSink for NoSink {
    fn add_row(&mut self, _cells: &RowText) {}

    fn split(&self) -> Option<Self> {
        Some(NoSink)
    }

    fn merge(&mut self, _later: Self) {}
}

/// One data row handed to the grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DataRow {
    /// 0-based row in the sheet or file (record number for delimited files).
    pub source_row: usize,
    /// Exactly one cell per column of the layout.
    pub cells: Vec<String>,
}

/// A window of data rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RowWindow {
    pub columns: Vec<String>,
    /// 0-based index of the first row among data rows.
    pub first_data_row: usize,
    pub rows: Vec<DataRow>,
    /// More data rows follow the window.
    pub has_more: bool,
    /// Known once the row index is built.
    pub total_data_rows: Option<usize>,
}

/// The result of [`Source::build_row_index`].
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct RowIndexSummary {
    pub data_rows: usize,
    pub undecodable_rows: Vec<usize>,
    pub undecodable_row_count: u64,
    pub whole_file_encoding: Option<EncodingReport>,
}

struct RowIndex {
    layout: TableLayout,
    data_rows: usize,
    storage: IndexStorage,
}

enum IndexStorage {
    /// Seekable text: `checkpoints[k]` is where scanning must start to reach data row `k * INDEX_STEP`.
    SourceOffsets(Vec<RecordPosition>),
    /// Workbooks and UTF-16 text: the data rows copied to a temporary file.
    Spilled(SpillFile),
}

enum Backend {
    Delimited(DelimitedFile),
    Workbook(Box<WorkbookBackend>),
}

/// A workbook: XLSX/XLSM is read by the direct XML reader (`head`); other kinds, and XLSX files that
/// reader cannot open, by calamine (`full`).
struct WorkbookBackend {
    path: PathBuf,
    kind: WorkbookKind,
    head: Option<XlsxHead>,
    full: Option<Workbook>,
}

/// An opened file. Not `Sync`: the shell keeps one per open resource behind a lock or a worker.
pub struct Source {
    info: SourceInfo,
    backend: Backend,
    index: Option<RowIndex>,
}

/// Decides the container from the first bytes, then the extension.
fn sniff_format(path: &Path, head: &[u8]) -> Result<FileFormat, PreviewError> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if head.is_empty() {
        return Err(PreviewError::EmptyFile);
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Ok(match extension.as_str() {
            "ods" => FileFormat::Ods,
            "xlsb" => FileFormat::Xlsb,
            "xlsm" => FileFormat::Xlsm,
            _ => FileFormat::Xlsx,
        });
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(if extension == "xlsx" || extension == "xlsm" {
            FileFormat::Xlsx
        } else {
            FileFormat::Xls
        });
    }
    let known_binary: [(&[u8], &str); 6] = [
        (b"%PDF", "PDF"),
        (b"\x89PNG", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"\x1F\x8B", "gzip archive"),
        (b"Rar!", "RAR archive"),
    ];
    if let Some((_, what)) = known_binary.iter().find(|(magic, _)| head.starts_with(magic)) {
        return Err(PreviewError::NotATable((*what).to_string()));
    }
    let text_start = String::from_utf8_lossy(&head[..head.len().min(512)])
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_ascii_lowercase();
    if text_start.starts_with("<!doctype html") || text_start.starts_with("<html") {
        return Err(PreviewError::NotATable("HTML page".into()));
    }
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) || {
        let zeros = head.iter().take(4096).filter(|b| **b == 0).count();
        zeros * 3 > head.len().min(4096)
    };
    let controls = head
        .iter()
        .take(4096)
        .filter(|b| matches!(**b, 0..=8 | 14..=26 | 28..=31))
        .count();
    if !utf16 && controls * 20 > head.len().min(4096) {
        return Err(PreviewError::NotATable("binary data".into()));
    }
    Ok(if extension == "tsv" || extension == "tab" {
        FileFormat::Tsv
    } else {
        FileFormat::Csv
    })
}

fn iso_date_of(time: std::time::SystemTime) -> Option<String> {
    let seconds = time.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    let days = i64::try_from(seconds / 86_400).ok()?;
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

/// Opens a file for preview: sniffs the container, and for delimited text the encoding (BOM, then
/// chardetng over the first [`OPEN_DETECTION_BYTES`]) and the dialect; for workbooks lists the sheets.
pub fn open(path: &Path, options: &OpenOptions) -> Result<Source, PreviewError> {
    let mut file = File::open(path)?;
    let size_bytes = file.metadata()?.len();
    let modified = file.metadata()?.modified().ok().and_then(iso_date_of);
    let mut head = vec![0u8; SNIFF_BYTES];
    let mut head_len = 0;
    while head_len < head.len() {
        let read = file.read(&mut head[head_len..])?;
        if read == 0 {
            break;
        }
        head_len += read;
    }
    head.truncate(head_len);
    let named = options
        .original_name
        .as_deref()
        .map(Path::new)
        .filter(|_| path.extension().is_none());
    let format = sniff_format(named.unwrap_or(path), &head)?;
    let workbook_kind = match format {
        FileFormat::Xlsx | FileFormat::Xlsm => Some(WorkbookKind::Xlsx),
        FileFormat::Xlsb => Some(WorkbookKind::Xlsb),
        FileFormat::Xls => Some(WorkbookKind::Xls),
        FileFormat::Ods => Some(WorkbookKind::Ods),
        FileFormat::Csv | FileFormat::Tsv => None,
    };
    if let Some(kind) = workbook_kind {
        let head = match kind {
            WorkbookKind::Xlsx => contain_panics(|| XlsxHead::open(path)).ok(),
            _ => None,
        };
        let listed = match &head {
            Some(head) => contain_panics(|| head.sheet_infos())
                .ok()
                .map(|sheets| (sheets, head.created_and_modified())),
            None => None,
        };
        let (sheets, (created, document_modified), full) = match listed {
            Some((sheets, dates)) => (sheets, dates, None),
            None => {
                let mut workbook = Workbook::open(path, kind)?;
                (
                    workbook.sheets().to_vec(),
                    workbook.created_and_modified(),
                    Some(workbook),
                )
            }
        };
        let info = SourceInfo {
            path: path.to_path_buf(),
            format,
            size_bytes,
            encoding: None,
            dialect: None,
            sheets,
            created,
            modified: document_modified.or(modified),
        };
        let backend = WorkbookBackend {
            path: path.to_path_buf(),
            kind,
            head: head.filter(|_| full.is_none()),
            full,
        };
        return Ok(Source {
            info,
            backend: Backend::Workbook(Box::new(backend)),
            index: None,
        });
    }
    let (encoding, report) = match &options.encoding {
        Some(label) => {
            let encoding = encoding_for_label(label)?;
            let bom_length = match crate::encoding::encoding_from_bom(&head) {
                Some((bom_encoding, length)) if bom_encoding == encoding => length,
                _ => 0,
            };
            let report = EncodingReport {
                encoding: encoding.name().to_string(),
                source: EncodingSource::Override,
                bom_length,
                examined_bytes: 0,
                whole_file: false,
            };
            (encoding, report)
        }
        None => detect_encoding(
            File::open(path)?,
            Some(OPEN_DETECTION_BYTES),
            &mut |_| {},
            &AtomicBool::new(false),
        )?,
    };
    let dialect = options.dialect.unwrap_or_else(|| {
        if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
            let (text, _) = encoding.decode_with_bom_removal(&head);
            sniff_dialect(text.as_bytes())
        } else {
            sniff_dialect(&head[report.bom_length.min(head.len())..])
        }
    });
    let delimited = DelimitedFile::new(path, encoding, report.bom_length, dialect);
    let info = SourceInfo {
        path: path.to_path_buf(),
        format,
        size_bytes,
        encoding: Some(report),
        dialect: Some(dialect),
        sheets: Vec::new(),
        created: None,
        modified,
    };
    Ok(Source {
        info,
        backend: Backend::Delimited(delimited),
        index: None,
    })
}

/// What [`Source::whole_pass`] hands each row to, with the layout's judgement of it.
type RowVisitor<'a> = dyn FnMut(&ScannedRow<'_>, Option<SkipReason>) -> Result<(), PreviewError> + 'a;

/// What a whole-file pass noticed besides the rows it handed on.
struct PassNotes {
    undecodable_rows: Vec<usize>,
    undecodable_row_count: u64,
    whole_file_encoding: Option<EncodingReport>,
}

/// A row as seen while scanning: its number, byte offset (delimited files) and cells.
struct ScannedRow<'a> {
    row: usize,
    offset: u64,
    cells: &'a RowText,
    /// Undecoded bytes of the row (delimited files).
    raw: &'a [u8],
    undecodable: bool,
    raw_fraction: Option<f32>,
}

impl Source {
    pub fn info(&self) -> &SourceInfo {
        &self.info
    }

    /// The sheets of a workbook with their sizes and merged regions (empty for delimited files). For a
    /// large XLSX sheet the merged regions are only known after the first whole-sheet pass (row index or
    /// profile); `merged_regions_complete` tells, and [`Source::detect_layout`] can be run again then.
    pub fn sheets(&self) -> &[SheetInfo] {
        &self.info.sheets
    }

    /// The sheet read when none is named: the first visible sheet with cells.
    pub fn default_sheet(&self) -> Option<&str> {
        let sheets = &self.info.sheets;
        sheets
            .iter()
            .find(|s| !s.hidden && s.rows > 1)
            .or_else(|| sheets.first())
            .map(|s| s.name.as_str())
    }

    /// Streams rows from `from`. XLSX sheets are read by the direct XML reader ([`XlsxHead`]), other
    /// workbooks by calamine, which is opened on first use.
    fn scan(
        &mut self,
        sheet: Option<&str>,
        from: RecordPosition,
        visit: &mut dyn FnMut(ScannedRow<'_>) -> Result<bool, PreviewError>,
    ) -> Result<(), PreviewError> {
        let size = self.info.size_bytes.max(1) as f32;
        match &mut self.backend {
            Backend::Delimited(file) => file.scan(from, &mut |event| {
                visit(ScannedRow {
                    row: event.row,
                    offset: event.offset,
                    cells: event.cells,
                    raw: event.raw,
                    undecodable: event.undecodable,
                    raw_fraction: Some((event.offset as f32 / size).min(1.0)),
                })
            }),
            Backend::Workbook(backend) => {
                let name = sheet
                    .ok_or_else(|| PreviewError::LayoutMismatch("no sheet chosen".into()))?
                    .to_string();
                let total_rows = self
                    .info
                    .sheets
                    .iter()
                    .find(|s| s.name == name)
                    .ok_or_else(|| PreviewError::SheetNotFound(name.clone()))?
                    .rows
                    .max(1) as f32;
                let mut on_row = |row: usize, cells: &RowText| {
                    if row < from.row {
                        return Ok(true);
                    }
                    visit(ScannedRow {
                        row,
                        offset: 0,
                        cells,
                        raw: &[],
                        undecodable: false,
                        raw_fraction: Some((row as f32 / total_rows).min(1.0)),
                    })
                };
                if let Some(head) = &backend.head {
                    let merged_regions = contain_panics(|| head.scan(&name, &mut on_row))?;
                    if let (Some(regions), Some(info)) =
                        (merged_regions, self.info.sheets.iter_mut().find(|s| s.name == name))
                    {
                        info.merged_regions = regions;
                        info.merged_regions_complete = true;
                    }
                    return Ok(());
                }
                if backend.full.is_none() {
                    let workbook = Workbook::open(&backend.path, backend.kind)?;
                    self.info.sheets = workbook.sheets().to_vec();
                    backend.full = Some(workbook);
                }
                match backend.full.as_mut() {
                    Some(workbook) => workbook.scan(&name, from.row, &mut on_row),
                    None => Ok(()),
                }
            }
        }
    }

    fn start_position(&self) -> RecordPosition {
        match &self.backend {
            Backend::Delimited(file) => file.start(),
            Backend::Workbook(_) => RecordPosition::default(),
        }
    }

    /// Detects the table layout of `sheet` (or the default sheet; ignored for delimited files) from its
    /// first rows, stopping after [`MAX_CONSECUTIVE_BLANK_ROWS`] blank rows.
    pub fn detect_layout(&mut self, sheet: Option<&str>) -> Result<TableLayout, PreviewError> {
        self.layout_from(sheet, None)
    }

    /// The layout when the person says the header starts at `header_row` (0-based row of the file or
    /// sheet): names, a second header row, totals and notes are worked out from there.
    pub fn layout_with_header(&mut self, sheet: Option<&str>, header_row: usize) -> Result<TableLayout, PreviewError> {
        self.layout_from(sheet, Some(header_row))
    }

    fn layout_from(&mut self, sheet: Option<&str>, header_at: Option<usize>) -> Result<TableLayout, PreviewError> {
        let sheet = match &self.backend {
            Backend::Delimited(_) => None,
            Backend::Workbook(_) => Some(
                sheet
                    .or_else(|| self.default_sheet())
                    .ok_or(PreviewError::NoData { rows_examined: 0 })?
                    .to_string(),
            ),
        };
        let merged = match &sheet {
            Some(name) => self
                .info
                .sheets
                .iter()
                .find(|s| s.name == *name)
                .ok_or_else(|| PreviewError::SheetNotFound(name.clone()))?
                .merged_regions
                .clone(),
            None => Vec::new(),
        };
        let mut rows = Vec::new();
        let mut last_non_blank: Option<usize> = None;
        let start = self.start_position();
        self.scan(sheet.as_deref(), start, &mut |scanned| {
            let gap = scanned.row.saturating_sub(last_non_blank.map_or(0, |r| r + 1));
            if gap >= MAX_CONSECUTIVE_BLANK_ROWS {
                return Ok(false);
            }
            if !scanned.cells.is_blank() {
                rows.push((scanned.row, scanned.cells.to_vec()));
                last_non_blank = Some(scanned.row);
            }
            Ok(rows.len() < DETECTION_ROWS)
        })?;
        detect_layout(sheet, &LayoutSample { rows }, &merged, header_at)
    }

    /// The first `max_rows` data rows, read straight from the start of the file or sheet.
    pub fn first_screen(&mut self, layout: &TableLayout, max_rows: usize) -> Result<RowWindow, PreviewError> {
        self.read_window(layout, self.start_position(), 0, 0, max_rows)
    }

    /// `count` data rows from data row `first` (0-based). Uses the row index when it has been built for
    /// this layout; otherwise reads forward from the start.
    pub fn rows(&mut self, layout: &TableLayout, first: usize, count: usize) -> Result<RowWindow, PreviewError> {
        let (position, data_row) = match &self.index {
            Some(RowIndex {
                layout: indexed,
                data_rows,
                storage: IndexStorage::Spilled(spill),
            }) if indexed == layout => {
                let rows = spill.window(first, count)?;
                let has_more = first + rows.len() < *data_rows;
                let columns = layout.column_names.clone();
                let total_data_rows = Some(*data_rows);
                return Ok(RowWindow {
                    columns,
                    first_data_row: first,
                    rows,
                    has_more,
                    total_data_rows,
                });
            }
            Some(RowIndex {
                layout: indexed,
                storage: IndexStorage::SourceOffsets(checkpoints),
                ..
            }) if indexed == layout && !checkpoints.is_empty() => {
                let k = (first / INDEX_STEP).min(checkpoints.len() - 1);
                (checkpoints[k], k * INDEX_STEP)
            }
            _ => (self.start_position(), 0),
        };
        self.read_window(layout, position, data_row, first, count)
    }

    fn read_window(
        &mut self,
        layout: &TableLayout,
        from: RecordPosition,
        first_data_row_at_from: usize,
        first: usize,
        count: usize,
    ) -> Result<RowWindow, PreviewError> {
        let filter = RowFilter::new(layout);
        let width = layout.column_names.len();
        let mut rows = Vec::with_capacity(count.min(10_000));
        let mut data_row = first_data_row_at_from;
        let mut has_more = false;
        let mut blank_run = 0usize;
        let mut last_row: Option<usize> = None;
        self.scan(layout.sheet.as_deref(), from, &mut |scanned| {
            if filter.is_past_end(scanned.row) {
                return Ok(false);
            }
            blank_run = blank_run.saturating_add(scanned.row.saturating_sub(last_row.map_or(scanned.row, |r| r + 1)));
            last_row = Some(scanned.row);
            match filter.judge(scanned.row, scanned.cells) {
                Some(SkipReason::Blank) => blank_run += 1,
                Some(_) => blank_run = 0,
                None => {
                    blank_run = 0;
                    if data_row >= first {
                        if rows.len() == count {
                            has_more = true;
                            return Ok(false);
                        }
                        let cells = (0..width).map(|i| scanned.cells.get(i).to_string()).collect();
                        rows.push(DataRow {
                            source_row: scanned.row,
                            cells,
                        });
                    }
                    data_row += 1;
                }
            }
            Ok(blank_run < MAX_CONSECUTIVE_BLANK_ROWS)
        })?;
        let total_data_rows = self.index.as_ref().filter(|i| i.layout == *layout).map(|i| i.data_rows);
        Ok(RowWindow {
            columns: layout.column_names.clone(),
            first_data_row: first,
            rows,
            has_more,
            total_data_rows,
        })
    }

    /// One pass over the whole file that makes [`Source::rows`] fast anywhere: for seekable text it
    /// records where every [`INDEX_STEP`]-th data row starts (a few bytes per 512 rows); for workbooks
    /// and UTF-16 text it copies the data rows to an anonymous temporary file (deleted on close). It also
    /// counts data rows, finds rows that do not decode and re-checks the encoding on the whole file.
    /// Meant for a background thread.
    pub fn build_row_index(
        &mut self,
        layout: &TableLayout,
        progress: &mut dyn FnMut(Progress),
        cancel: &AtomicBool,
    ) -> Result<RowIndexSummary, PreviewError> {
        let width = layout.column_names.len();
        let mut spill = match &self.backend {
            Backend::Delimited(file) if file.supports_seeking() => None,
            _ => Some(SpillWriter::new()?),
        };
        let mut checkpoints = Vec::new();
        let mut data_rows = 0usize;
        let pass = self.whole_pass(layout, progress, cancel, &mut |scanned, skip| {
            if skip.is_none() {
                match spill.as_mut() {
                    Some(spill) => spill.push(scanned.row, scanned.cells, width)?,
                    None if data_rows.is_multiple_of(INDEX_STEP) => {
                        checkpoints.push(RecordPosition {
                            row: scanned.row,
                            offset: scanned.offset,
                        });
                    }
                    None => {}
                }
                data_rows += 1;
            }
            Ok(())
        })?;
        let storage = match spill {
            Some(spill) => IndexStorage::Spilled(spill.finish()?),
            None => IndexStorage::SourceOffsets(checkpoints),
        };
        self.index = Some(RowIndex {
            layout: layout.clone(),
            data_rows,
            storage,
        });
        Ok(RowIndexSummary {
            data_rows,
            undecodable_rows: pass.undecodable_rows,
            undecodable_row_count: pass.undecodable_row_count,
            whole_file_encoding: pass.whole_file_encoding,
        })
    }

    /// One pass over every row of the file or sheet for the row index and the profile: checks for
    /// cancel, reports progress, feeds the whole-file encoding check, notes undecodable rows, stops past
    /// the layout's end, and hands each row to `on_row` with the layout's judgement (`None` for a data
    /// row).
    fn whole_pass(
        &mut self,
        layout: &TableLayout,
        progress: &mut dyn FnMut(Progress),
        cancel: &AtomicBool,
        on_row: &mut RowVisitor<'_>,
    ) -> Result<PassNotes, PreviewError> {
        let mut undecodable = ProfileBuilder::new(&[]);
        let filter = RowFilter::new(layout);
        let mut encoding_check = self.whole_file_check();
        let mut rows_read = 0usize;
        let start = self.start_position();
        self.scan(layout.sheet.as_deref(), start, &mut |scanned| {
            rows_read += 1;
            if rows_read.is_multiple_of(CANCEL_CHECK_ROWS) && cancel.load(Ordering::Relaxed) {
                return Err(PreviewError::Cancelled);
            }
            if rows_read.is_multiple_of(PROGRESS_EVERY_ROWS) {
                progress(Progress {
                    rows_read,
                    fraction: scanned.raw_fraction,
                });
            }
            if let Some(check) = encoding_check.as_mut() {
                check.feed_row(scanned.raw, scanned.undecodable);
            }
            if scanned.undecodable {
                undecodable.note_undecodable(scanned.row);
            }
            if filter.is_past_end(scanned.row) {
                return Ok(false);
            }
            on_row(&scanned, filter.judge(scanned.row, scanned.cells))?;
            Ok(true)
        })?;
        progress(Progress {
            rows_read,
            fraction: Some(1.0),
        });
        Ok(PassNotes {
            undecodable_rows: undecodable.undecodable_rows,
            undecodable_row_count: undecodable.undecodable_row_count,
            whole_file_encoding: encoding_check.map(|check| self.finish_check(check)),
        })
    }

    /// The whole-file encoding check, when the encoding was guessed from a prefix (not a BOM, not chosen).
    fn whole_file_check(&self) -> Option<WholeFileCheck> {
        let report = self.info.encoding.as_ref()?;
        let guessed = matches!(report.source, EncodingSource::Detected | EncodingSource::AsciiOnly);
        match &self.backend {
            Backend::Delimited(file) if guessed && !report.whole_file => Some(WholeFileCheck::new(file.encoding())),
            _ => None,
        }
    }

    fn finish_check(&mut self, check: WholeFileCheck) -> EncodingReport {
        let report = check.finish();
        if let Some(current) = self.info.encoding.as_mut() {
            if current.encoding == report.encoding {
                current.whole_file = true;
                current.examined_bytes = report.examined_bytes;
            }
        }
        report
    }

    /// The profile of a large seekable delimited file, one thread per core ([`chunked`]), each chunk also
    /// feeding its own split of `sink`; `None` when the file is not one, its chunks did not line up or
    /// the sink cannot be split, and a single pass must run (`sink` is then untouched).
    fn profile_in_chunks<S: RowSink>(
        &mut self,
        layout: &TableLayout,
        progress: &mut dyn FnMut(Progress),
        cancel: &AtomicBool,
        sink: &mut S,
    ) -> Result<Option<Profile>, PreviewError> {
        let Backend::Delimited(file) = &self.backend else {
            return Ok(None);
        };
        if !file.supports_seeking() {
            return Ok(None);
        }
        let check_encoding = self.whole_file_check().is_some();
        let Some(chunked) = chunked::profile(
            file,
            self.info.size_bytes,
            layout,
            check_encoding,
            progress,
            cancel,
            sink,
        )?
        else {
            return Ok(None);
        };
        let whole_file_encoding = chunked.encoding_check.map(|check| self.finish_check(check));
        Ok(Some(chunked.builder.finish(whole_file_encoding)))
    }

    /// Profiles every column over all data rows of the layout, streamed, with flat memory (on every core
    /// for large delimited files).
    pub fn profile(
        &mut self,
        layout: &TableLayout,
        progress: &mut dyn FnMut(Progress),
        cancel: &AtomicBool,
    ) -> Result<Profile, PreviewError> {
        self.profile_visiting(layout, progress, cancel, &mut NoSink)
    }

    /// [`Source::profile`], handing every data row to `sink` in the same pass (chunked on every core
    /// when the file and the sink allow it; the sink's state is the same either way).
    pub fn profile_visiting<S: RowSink>(
        &mut self,
        layout: &TableLayout,
        progress: &mut dyn FnMut(Progress),
        cancel: &AtomicBool,
        sink: &mut S,
    ) -> Result<Profile, PreviewError> {
        if let Some(profile) = self.profile_in_chunks(layout, progress, cancel, sink)? {
            return Ok(profile);
        }
        let mut builder = ProfileBuilder::new(&layout.column_names);
        let pass = self.whole_pass(layout, progress, cancel, &mut |scanned, skip| {
            match skip {
                None => {
                    builder.add_row(scanned.cells);
                    sink.add_row(scanned.cells);
                }
                Some(reason) => builder.skip(reason),
            }
            Ok(())
        })?;
        builder.undecodable_rows = pass.undecodable_rows;
        builder.undecodable_row_count = pass.undecodable_row_count;
        debug_assert!(builder.undecodable_rows.len() <= MAX_LISTED_UNDECODABLE_ROWS);
        Ok(builder.finish(pass.whole_file_encoding))
    }
}
