//! Reading a workbook for import: the bytes are sniffed (an old `.xls` renamed `.xlsx` still opens), each
//! sheet's cells are kept as calamine read them, and what a spreadsheet can hide is recorded beside them:
//! merged regions and formula cells. No conversion to field values happens here.

use std::collections::HashSet;
use std::io::Cursor;
use std::path::Path;

use calamine::{open_workbook_auto_from_rs, Data, Dimensions, Range, Reader, Sheets};

use crate::error::ImportError;

/// Files larger than this are refused before parsing (a 100,000-row template is far smaller).
const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;
/// ZIP local-file signature (xlsx) and OLE compound-file signature (xls).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];
/// Serial day 0 of Excel's 1900 date system (1899-12-30) as a Julian day number.
const EXCEL_EPOCH_JULIAN_DAY: i32 = 2_415_019;

/// One cell as the importer sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A real date cell: its calendar date as stored (year, month, day), whatever era the sheet meant.
    Date(i32, u8, u8),
    Bool(bool),
    /// An error value such as `#REF!`.
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text: trimmed; whole numbers without `.0`; dates as ISO of the stored calendar date.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_owned(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// One worksheet.
pub struct Sheet {
    pub name: String,
    range: Range<Data>,
    merged: Vec<Dimensions>,
    formulas: HashSet<(u32, u32)>,
}

impl Sheet {
    /// The cell at 0-based `(row, col)`.
    pub fn cell(&self, row: u32, col: u32) -> Cell {
        match self.range.get_value((row, col)) {
            None | Some(Data::Empty) => Cell::Empty,
            Some(Data::String(s)) => Cell::Text(s.clone()),
            Some(Data::Int(i)) => Cell::Number(*i as f64),
            Some(Data::Float(f)) => Cell::Number(*f),
            Some(Data::Bool(b)) => Cell::Bool(*b),
            Some(Data::DateTime(dt)) if dt.is_datetime() => excel_date(dt.as_f64()),
            Some(Data::DateTime(dt)) => Cell::Number(dt.as_f64()),
            Some(Data::DateTimeIso(s) | Data::DurationIso(s)) => Cell::Text(s.clone()),
            Some(Data::Error(e)) => Cell::Error(e.to_string()),
        }
    }

    /// 0-based index of the last row holding any value, if any.
    pub fn last_row(&self) -> Option<u32> {
        let (start, _) = self.range.start()?;
        self.range
            .rows()
            .rposition(|cells| cells.iter().any(|c| !is_blank(c)))
            .map(|i| start + i as u32)
    }

    /// Number of columns up to the last one holding a value in rows `from..` (0-based).
    pub fn width_from(&self, from: u32) -> u32 {
        let Some((start_row, start_col)) = self.range.start() else {
            return 0;
        };
        self.range
            .rows()
            .enumerate()
            .filter(|(i, _)| start_row + *i as u32 >= from)
            .filter_map(|(_, cells)| cells.iter().rposition(|c| !is_blank(c)))
            .map(|last| start_col + last as u32 + 1)
            .max()
            .unwrap_or(0)
    }

    /// Number of columns of one row (up to its last value).
    pub fn row_width(&self, row: u32) -> u32 {
        let Some((start_row, start_col)) = self.range.start() else {
            return 0;
        };
        let Some(i) = row.checked_sub(start_row) else {
            return 0;
        };
        self.range
            .rows()
            .nth(i as usize)
            .and_then(|cells| cells.iter().rposition(|c| !is_blank(c)))
            .map_or(0, |last| start_col + last as u32 + 1)
    }

    /// The merged region covering `(row, col)` when the cell is not its top-left cell.
    pub fn merged_into(&self, row: u32, col: u32) -> Option<&Dimensions> {
        self.merged.iter().find(|d| {
            d.start.0 <= row
                && row <= d.end.0
                && d.start.1 <= col
                && col <= d.end.1
                && (d.start.0, d.start.1) != (row, col)
        })
    }

    /// Whether the cell holds a formula (its value is the result Excel last saved).
    pub fn is_formula(&self, row: u32, col: u32) -> bool {
        self.formulas.contains(&(row, col))
    }
}

fn is_blank(data: &Data) -> bool {
    match data {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn excel_date(serial: f64) -> Cell {
    let days = serial.floor();
    if !(0.0..3_000_000.0).contains(&days) {
        return Cell::Number(serial);
    }
    match time::Date::from_julian_day(EXCEL_EPOCH_JULIAN_DAY + days as i32) {
        Ok(date) => Cell::Date(date.year(), u8::from(date.month()), date.day()),
        Err(_) => Cell::Number(serial),
    }
}

/// A workbook read for import.
pub struct Workbook {
    pub sheets: Vec<Sheet>,
    /// The bytes were an old binary `.xls` (whatever the file's extension).
    pub legacy_xls: bool,
}

impl Workbook {
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name == name)
    }

    pub fn read(path: &Path) -> Result<Workbook, ImportError> {
        let unreadable = |e: std::io::Error| crate::error::unreadable(path, &e);
        let size = std::fs::metadata(path).map_err(unreadable)?.len();
        if size > MAX_FILE_BYTES {
            return Err(ImportError::TooLarge {
                path: path.to_owned(),
                limit_mb: MAX_FILE_BYTES / 1024 / 1024,
            });
        }
        let bytes = std::fs::read(path).map_err(unreadable)?;
        let not_a_workbook = || ImportError::NotAWorkbook { path: path.to_owned() };
        let legacy_xls = bytes.starts_with(OLE_MAGIC);
        if !legacy_xls && !bytes.starts_with(ZIP_MAGIC) {
            return Err(not_a_workbook());
        }
        let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| not_a_workbook())?;
        let mut sheets = Vec::new();
        for name in book.sheet_names() {
            let Ok(range) = book.worksheet_range(&name) else {
                continue;
            };
            let formulas = book
                .worksheet_formula(&name)
                .map(|f| {
                    let (r0, c0) = f.start().unwrap_or((0, 0));
                    f.cells()
                        .filter(|(_, _, text)| !text.is_empty())
                        .map(|(r, c, _)| (r0 + r as u32, c0 + c as u32))
                        .collect()
                })
                .unwrap_or_default();
            let merged = match &mut book {
                Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
                Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
                _ => Vec::new(),
            };
            sheets.push(Sheet {
                name,
                range,
                merged,
                formulas,
            });
        }
        Ok(Workbook { sheets, legacy_xls })
    }
}

/// Spreadsheet column letters for a 0-based index (0 → A, 26 → AA).
pub fn column_letter(col: u32) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_and_excel_dates() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(29), "AD");
        assert_eq!(excel_date(45107.0), Cell::Date(2023, 6, 30));
        assert_eq!(Cell::Number(1.0).text(), "1");
        assert_eq!(Cell::Number(98.05).text(), "98.05");
    }
}
