//! Spreadsheet workbooks through calamine: XLSX/XLSM and XLSB streamed cell by cell (memory flat in sheet
//! size), XLS and ODS loaded one sheet at a time. Lists sheets with their sizes and merged regions, and
//! turns cells into the text the preview shows (whole numbers without `.0`, dates as ISO `YYYY-MM-DD`).

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use calamine::{Data, DataRef, Ods, Range, Reader, Sheets, Xls, XlsError, Xlsb, Xlsx, XlsxError};
use serde::{Deserialize, Serialize};

use crate::row::RowText;
use crate::{PreviewError, MAX_COLUMNS};

/// Excel's row limit; row numbers beyond it only come from damaged files.
pub const MAX_SHEET_ROWS: usize = 1_048_576;

/// A rectangle of merged cells, 0-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct MergedRegion {
    pub first_row: usize,
    pub first_column: usize,
    pub last_row: usize,
    pub last_column: usize,
}

impl MergedRegion {
    /// The region between two corners given in any order, as (row, column); `None` if wider than
    /// [`MAX_COLUMNS`] or taller than [`MAX_SHEET_ROWS`] (damaged files).
    pub fn between(corner: (usize, usize), other: (usize, usize)) -> Option<Self> {
        let region = Self {
            first_row: corner.0.min(other.0),
            first_column: corner.1.min(other.1),
            last_row: corner.0.max(other.0),
            last_column: corner.1.max(other.1),
        };
        (region.last_column < MAX_COLUMNS && region.last_row < MAX_SHEET_ROWS).then_some(region)
    }

    pub fn contains(&self, row: usize, column: usize) -> bool {
        (self.first_row..=self.last_row).contains(&row) && (self.first_column..=self.last_column).contains(&column)
    }
}

/// One sheet as listed to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SheetInfo {
    pub name: String,
    /// Rows and columns of the used area (from the sheet's own dimension record for XLSX/XLSB).
    pub rows: usize,
    pub columns: usize,
    pub merged_regions: Vec<MergedRegion>,
    /// False when a large XLSX sheet was listed without reading it to its end, where merged regions
    /// are stored; they are read with the first whole-sheet pass (see [`crate::Source::sheets`]).
    pub merged_regions_complete: bool,
    pub hidden: bool,
}

/// Spreadsheet container formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkbookKind {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

pub struct Workbook {
    book: Sheets<BufReader<File>>,
    sheets: Vec<SheetInfo>,
    /// The one XLS/ODS sheet kept in memory (those formats cannot be streamed).
    loaded: Option<(String, Range<Data>)>,
}

fn open_as(kind: WorkbookKind, path: &Path) -> Result<Sheets<BufReader<File>>, calamine::Error> {
    let reader = BufReader::new(File::open(path)?);
    Ok(match kind {
        WorkbookKind::Xlsx => Sheets::Xlsx(Xlsx::new(reader)?),
        WorkbookKind::Xlsb => Sheets::Xlsb(Xlsb::new(reader)?),
        WorkbookKind::Xls => Sheets::Xls(Xls::new(reader)?),
        WorkbookKind::Ods => Sheets::Ods(Ods::new(reader)?),
    })
}

impl Workbook {
    /// Opens a workbook. An OLE file that is not a readable XLS is retried as an encrypted OOXML
    /// package, so password-protected XLSX files report [`PreviewError::Encrypted`].
    pub fn open(path: &Path, kind: WorkbookKind) -> Result<Self, PreviewError> {
        contain_panics(|| Self::open_unguarded(path, kind))
    }

    fn open_unguarded(path: &Path, kind: WorkbookKind) -> Result<Self, PreviewError> {
        let book = match open_as(kind, path) {
            Ok(book) => book,
            Err(calamine::Error::Xls(XlsError::Password)) => return Err(PreviewError::Encrypted),
            Err(xls_err @ calamine::Error::Xls(_)) => match open_as(WorkbookKind::Xlsx, path) {
                Err(calamine::Error::Xlsx(XlsxError::Password)) => return Err(PreviewError::Encrypted),
                _ => return Err(xls_err.into()),
            },
            Err(err) => return Err(err.into()),
        };
        let mut workbook = Self {
            book,
            sheets: Vec::new(),
            loaded: None,
        };
        workbook.sheets = workbook.list_sheets()?;
        Ok(workbook)
    }

    pub fn sheets(&self) -> &[SheetInfo] {
        &self.sheets
    }

    fn list_sheets(&mut self) -> Result<Vec<SheetInfo>, PreviewError> {
        let metadata: Vec<(String, bool)> = self
            .book
            .sheets_metadata()
            .iter()
            .filter(|s| s.typ == calamine::SheetType::WorkSheet)
            .map(|s| (s.name.clone(), s.visible != calamine::SheetVisible::Visible))
            .collect();
        let mut sheets = Vec::with_capacity(metadata.len());
        for (name, hidden) in metadata {
            let (rows, columns, merged) = match &mut self.book {
                Sheets::Xlsx(book) => {
                    let size = book
                        .worksheet_cells_reader(&name)
                        .map_err(calamine::Error::from)?
                        .dimensions();
                    let merged = book.merge_cells_by_sheet_name(&name).map_err(calamine::Error::from)?;
                    (dimension_rows(&size), dimension_columns(&size), merged)
                }
                Sheets::Xlsb(book) => {
                    let size = book
                        .worksheet_cells_reader(&name)
                        .map_err(calamine::Error::from)?
                        .dimensions();
                    (dimension_rows(&size), dimension_columns(&size), Vec::new())
                }
                Sheets::Xls(book) => {
                    let merged = book.merge_cells_by_sheet_name(&name).map_err(calamine::Error::from)?;
                    let range = book.worksheet_range(&name).map_err(calamine::Error::from)?;
                    let (rows, columns) = used_size(&range);
                    (rows, columns, merged)
                }
                Sheets::Ods(book) => {
                    let range = book.worksheet_range(&name).map_err(calamine::Error::from)?;
                    let (rows, columns) = used_size(&range);
                    (rows, columns, Vec::new())
                }
            };
            let merged_regions = merged
                .iter()
                .filter_map(|d| {
                    MergedRegion::between(
                        (d.start.0 as usize, d.start.1 as usize),
                        (d.end.0 as usize, d.end.1 as usize),
                    )
                })
                .collect();
            sheets.push(SheetInfo {
                name,
                rows,
                columns,
                merged_regions,
                merged_regions_complete: true,
                hidden,
            });
        }
        Ok(sheets)
    }

    pub fn sheet(&self, name: &str) -> Result<&SheetInfo, PreviewError> {
        self.sheets
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| PreviewError::SheetNotFound(name.to_string()))
    }

    /// Streams the rows of `sheet` whose 0-based index is ≥ `from_row`; missing rows are not visited
    /// (the row index jumps). `visit` returns `false` to stop.
    pub fn scan(
        &mut self,
        sheet: &str,
        from_row: usize,
        visit: &mut dyn FnMut(usize, &RowText) -> Result<bool, PreviewError>,
    ) -> Result<(), PreviewError> {
        contain_panics(|| self.scan_unguarded(sheet, from_row, visit))
    }

    fn scan_unguarded(
        &mut self,
        sheet: &str,
        from_row: usize,
        visit: &mut dyn FnMut(usize, &RowText) -> Result<bool, PreviewError>,
    ) -> Result<(), PreviewError> {
        self.sheet(sheet)?;
        match &mut self.book {
            Sheets::Xlsx(book) => {
                let mut reader = book.worksheet_cells_reader(sheet).map_err(calamine::Error::from)?;
                stream_cells(from_row, visit, || {
                    reader.next_cell().map_err(|e| calamine::Error::from(e).into())
                })
            }
            Sheets::Xlsb(book) => {
                let mut reader = book.worksheet_cells_reader(sheet).map_err(calamine::Error::from)?;
                stream_cells(from_row, visit, || {
                    reader.next_cell().map_err(|e| calamine::Error::from(e).into())
                })
            }
            Sheets::Xls(_) | Sheets::Ods(_) => {
                if self.loaded.as_ref().is_none_or(|(name, _)| name != sheet) {
                    let range = self.book.worksheet_range(sheet)?;
                    self.loaded = Some((sheet.to_string(), range));
                }
                let Some((_, range)) = &self.loaded else { return Ok(()) };
                scan_range(range, from_row, visit)
            }
        }
    }

    /// Created and modified dates from the document properties, when the file has them.
    pub fn created_and_modified(&mut self) -> (Option<String>, Option<String>) {
        match self.book.workbook_properties() {
            Ok(props) => (props.created, props.modified),
            Err(_) => (None, None),
        }
    }
}

/// calamine can panic on damaged files (e.g. an out-of-range slice in its OLE reader for a truncated
/// XLS); such a panic is turned into [`PreviewError::Corrupt`] so the app keeps running. This needs
/// the default `panic = "unwind"`.
pub(crate) fn contain_panics<T>(work: impl FnOnce() -> Result<T, PreviewError>) -> Result<T, PreviewError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "reader failure".to_string());
        Err(PreviewError::Corrupt(detail))
    })
}

fn dimension_rows(size: &calamine::Dimensions) -> usize {
    size.end.0 as usize + 1
}

fn dimension_columns(size: &calamine::Dimensions) -> usize {
    size.end.1 as usize + 1
}

fn used_size(range: &Range<Data>) -> (usize, usize) {
    match range.end() {
        Some((row, column)) if !range.is_empty() => (row as usize + 1, column as usize + 1),
        _ => (0, 0),
    }
}

fn stream_cells<'a>(
    from_row: usize,
    visit: &mut dyn FnMut(usize, &RowText) -> Result<bool, PreviewError>,
    mut next_cell: impl FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, PreviewError>,
) -> Result<(), PreviewError> {
    let mut row = RowText::default();
    let mut current: Option<usize> = None;
    while let Some(cell) = next_cell()? {
        let (row_index, column) = cell.get_position();
        let (row_index, column) = (row_index as usize, column as usize);
        if row_index < from_row {
            continue;
        }
        if column >= MAX_COLUMNS {
            return Err(PreviewError::TooManyColumns { limit: MAX_COLUMNS });
        }
        if current != Some(row_index) {
            if let Some(done) = current {
                if done > row_index {
                    return Err(PreviewError::Corrupt("rows out of order".into()));
                }
                if !visit(done, &row)? {
                    return Ok(());
                }
            }
            row.clear();
            current = Some(row_index);
        }
        while row.len() < column {
            row.push("");
        }
        if row.len() == column {
            row.push_with(|text| write_data_ref(cell.get_value(), text));
        }
    }
    if let Some(done) = current {
        visit(done, &row)?;
    }
    Ok(())
}

fn scan_range(
    range: &Range<Data>,
    from_row: usize,
    visit: &mut dyn FnMut(usize, &RowText) -> Result<bool, PreviewError>,
) -> Result<(), PreviewError> {
    let Some((first_row, first_column)) = range.start() else {
        return Ok(());
    };
    let (first_row, first_column) = (first_row as usize, first_column as usize);
    if first_column + range.width() > MAX_COLUMNS {
        return Err(PreviewError::TooManyColumns { limit: MAX_COLUMNS });
    }
    let mut row = RowText::default();
    for (offset, cells) in range.rows().enumerate() {
        let row_index = first_row + offset;
        if row_index < from_row {
            continue;
        }
        row.clear();
        for _ in 0..first_column {
            row.push("");
        }
        for cell in cells {
            row.push_with(|text| write_data(cell, text));
        }
        if !visit(row_index, &row)? {
            return Ok(());
        }
    }
    Ok(())
}

pub(crate) fn write_number(value: f64, text: &mut String) {
    use std::fmt::Write;
    if value.fract() == 0.0 && value.abs() < 1e15 {
        // exact: whole numbers below 1e15 fit an i64 (and integer formatting is far cheaper)
        let _ = write!(text, "{}", value as i64);
    } else {
        let _ = write!(text, "{value}");
    }
}

pub(crate) fn write_excel_datetime(value: &calamine::ExcelDateTime, text: &mut String) {
    use std::fmt::Write;
    if value.is_duration() {
        write_number(value.as_f64(), text);
        return;
    }
    let (year, month, day, hour, minute, second, _) = value.to_ymd_hms_milli();
    let _ = write!(text, "{year:04}-{month:02}-{day:02}");
    if (hour, minute, second) != (0, 0, 0) {
        let _ = write!(text, " {hour:02}:{minute:02}:{second:02}");
    }
}

fn write_data(cell: &Data, text: &mut String) {
    match cell {
        Data::Int(value) => text.push_str(&value.to_string()),
        Data::Float(value) => write_number(*value, text),
        Data::String(value) | Data::DateTimeIso(value) | Data::DurationIso(value) => text.push_str(value),
        Data::Bool(value) => text.push_str(if *value { "TRUE" } else { "FALSE" }),
        Data::DateTime(value) => write_excel_datetime(value, text),
        Data::Error(err) => text.push_str(&err.to_string()),
        Data::Empty => {}
    }
}

fn write_data_ref(cell: &DataRef<'_>, text: &mut String) {
    match cell {
        DataRef::Int(value) => text.push_str(&value.to_string()),
        DataRef::Float(value) => write_number(*value, text),
        DataRef::String(value) | DataRef::DateTimeIso(value) | DataRef::DurationIso(value) => text.push_str(value),
        DataRef::SharedString(value) => text.push_str(value),
        DataRef::Bool(value) => text.push_str(if *value { "TRUE" } else { "FALSE" }),
        DataRef::DateTime(value) => write_excel_datetime(value, text),
        DataRef::Error(err) => text.push_str(&err.to_string()),
        DataRef::Empty => {}
    }
}
