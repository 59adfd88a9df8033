//! Table understanding: where the header row(s) sit below title rows, how two-row and merged headers join
//! into column names, and which rows are not data (blank, totals such as รวม / Total, notes such as
//! ที่มา: / Source, repeated headers). Detection produces a [`TableLayout`] the user can correct and the
//! store saves with the resource; reading then only ever follows a `TableLayout`.

use serde::{Deserialize, Serialize};

use crate::classify::{classify, CellValue};
use crate::row::RowText;
use crate::workbook::MergedRegion;
use crate::PreviewError;

/// Why a row is left out of the preview and the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// A title or caption above the header (or any row above the data that is not a header row).
    Title,
    /// One of the header rows.
    Header,
    Blank,
    /// A total or subtotal row (รวม, ยอดรวม, Total, ...).
    Total,
    /// A footnote or source line (ที่มา:, หมายเหตุ, Source, ...).
    Note,
    /// The header printed again inside the data (e.g. at page breaks).
    RepeatedHeader,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct SkippedRow {
    /// 0-based row of the sheet or file.
    pub row: usize,
    pub reason: SkipReason,
}

/// Where the table is inside a sheet or file. Every row number is 0-based in the sheet (for delimited
/// files: the record number, where blank lines do not count). Produced by detection, editable by the
/// user, saved with the resource, and the only input that reading and profiling follow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct TableLayout {
    /// The sheet, for workbooks; `None` for delimited files.
    pub sheet: Option<String>,
    /// The header rows, top to bottom (empty when the table has no header).
    pub header_rows: Vec<usize>,
    /// First row that may hold data.
    pub data_start: usize,
    /// Row after the last data row; `None` reads to the end.
    pub data_end: Option<usize>,
    /// One name per column; the column count of the table.
    pub column_names: Vec<String>,
    pub skip_total_rows: bool,
    pub skip_note_rows: bool,
    /// Rows seen during detection and left out, with why (informative; blank rows are not listed).
    pub skipped_rows: Vec<SkippedRow>,
    /// Text of the title rows above the header, joined with " | " (a hint for the dataset title).
    pub title: Option<String>,
}

/// How many rows detection looks at, at most.
pub const DETECTION_ROWS: usize = 300;
/// Detection and the first screen give up after this many blank rows in a row.
pub const MAX_CONSECUTIVE_BLANK_ROWS: usize = 100_000;
const HEADER_SEARCH_ROWS: usize = 50;
const MAX_HEADER_ROWS: usize = 3;
const MAX_LISTED_SKIPS: usize = 200;

const TOTAL_WORDS: [&str; 9] = [
    "รวม",
    "รวมทั้งสิ้น",
    "รวมทั้งหมด",
    "ยอดรวม",
    "รวมทั่วประเทศ",
    "total",
    "grand total",
    "subtotal",
    "sum",
];
const TOTAL_PREFIXES: [&str; 6] = ["รวม ", "รวมทั้ง", "ยอดรวม", "total ", "sub-total", "subtotal"];
const NOTE_PREFIXES: [&str; 9] = [
    "ที่มา",
    "แหล่งที่มา",
    "หมายเหตุ",
    "source",
    "note",
    "remark",
    "ข้อมูล ณ",
    "จัดทำโดย",
    "*",
];

/// Collapses runs of whitespace (including newlines inside a header cell) to one space and trims.
pub fn normalize_label(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a cell could start one of the total words (รวม…, ยอดรวม, total, subtotal, sum, grand total):
/// checked first so that the hot loop does not lowercase every row's cells.
fn may_be_total(cell: &str) -> bool {
    let start = cell.trim_start();
    start.starts_with("รวม")
        || start.starts_with("ยอด")
        || matches!(start.as_bytes().first(), Some(b't' | b'T' | b's' | b'S' | b'g' | b'G'))
}

fn is_total_label(cell: &str) -> bool {
    if !may_be_total(cell) {
        return false;
    }
    let label = normalize_label(cell).to_lowercase();
    let label = label.trim_end_matches([':', '.']);
    TOTAL_WORDS.contains(&label) || TOTAL_PREFIXES.iter().any(|p| label.starts_with(p))
}

fn is_note_label(cell: &str) -> bool {
    // The longest note prefix is a few characters: lowercase only the start of the cell.
    let start = cell.trim_start();
    let end = start.char_indices().nth(16).map_or(start.len(), |(i, _)| i);
    let label = start[..end].to_lowercase();
    NOTE_PREFIXES.iter().any(|p| label.starts_with(p))
}

/// Only whitespace; checked on the ASCII bytes first (this runs on the first cells of every row).
fn is_blank(cell: &str) -> bool {
    let rest = cell.trim_ascii_start();
    rest.is_empty() || (!rest.as_bytes()[0].is_ascii() && rest.trim().is_empty())
}

/// Decides row by row, with no state, whether a row is data; so reading can start at any row.
pub struct RowFilter<'a> {
    layout: &'a TableLayout,
    normalized_names: Vec<String>,
}

impl<'a> RowFilter<'a> {
    pub fn new(layout: &'a TableLayout) -> Self {
        let normalized_names = if layout.header_rows.len() == 1 {
            layout.column_names.iter().map(|n| normalize_label(n)).collect()
        } else {
            Vec::new()
        };
        Self {
            layout,
            normalized_names,
        }
    }

    /// True once `row` is past the table.
    pub fn is_past_end(&self, row: usize) -> bool {
        self.layout.data_end.is_some_and(|end| row >= end)
    }

    /// `None` for a data row, else why the row is skipped.
    pub fn judge(&self, row: usize, cells: &RowText) -> Option<SkipReason> {
        if self.layout.header_rows.contains(&row) {
            return Some(SkipReason::Header);
        }
        if row < self.layout.data_start {
            return Some(SkipReason::Title);
        }
        let mut non_blank = cells.iter().enumerate().filter(|(_, c)| !is_blank(c));
        let Some((_, first)) = non_blank.next() else {
            return Some(SkipReason::Blank);
        };
        let second = non_blank.next().map(|(_, c)| c);
        let third = non_blank.next().map(|(_, c)| c);
        if self.layout.skip_note_rows && third.is_none() && is_note_label(first) {
            return Some(SkipReason::Note);
        }
        if self.layout.skip_total_rows && [Some(first), second, third].into_iter().flatten().any(is_total_label) {
            return Some(SkipReason::Total);
        }
        if !self.normalized_names.is_empty()
            && cells.len() >= self.normalized_names.len()
            && self
                .normalized_names
                .iter()
                .enumerate()
                .all(|(i, name)| cells.get(i).split_whitespace().eq(name.split_whitespace()))
        {
            return Some(SkipReason::RepeatedHeader);
        }
        None
    }
}

/// The first rows of a sheet or file, as collected for detection.
pub struct LayoutSample {
    /// Non-blank rows with their 0-based row numbers.
    pub rows: Vec<(usize, Vec<String>)>,
}

impl LayoutSample {
    fn cells(&self, row: usize) -> Option<&[String]> {
        self.rows.iter().find(|(r, _)| *r == row).map(|(_, c)| c.as_slice())
    }
}

fn cell_at(sample: &LayoutSample, row: usize, column: usize) -> &str {
    sample.cells(row).and_then(|c| c.get(column)).map_or("", |c| c.trim())
}

fn is_numeric(cell: &str) -> bool {
    matches!(
        classify(cell),
        CellValue::Integer(_) | CellValue::Decimal(_) | CellValue::Percentage(_)
    )
}

/// Detects the layout of a table from its first rows and the sheet's merged regions. With `header_at`,
/// the person has said where the header starts; the rest (a second merged header row, names, totals,
/// notes) is worked out from there.
pub fn detect_layout(
    sheet: Option<String>,
    sample: &LayoutSample,
    merged: &[MergedRegion],
    header_at: Option<usize>,
) -> Result<TableLayout, PreviewError> {
    let Some(&(first_row, _)) = sample.rows.first() else {
        return Err(PreviewError::NoData {
            rows_examined: DETECTION_ROWS,
        });
    };
    let non_blank = |cells: &[String]| cells.iter().filter(|c| !c.trim().is_empty()).count();
    let widest_plain = sample.rows.iter().map(|(_, c)| non_blank(c)).max().unwrap_or(0);
    // A label merged across several (but not all) columns fills them all; a full-width title does not.
    let filled = |row: usize, cells: &[String]| {
        non_blank(cells)
            + merged
                .iter()
                .filter(|m| m.first_row == row && m.last_column > m.first_column)
                .map(|m| m.last_column - m.first_column)
                .filter(|extra| extra + 1 < widest_plain)
                .sum::<usize>()
    };
    let widest = sample.rows.iter().map(|(r, c)| filled(*r, c)).max().unwrap_or(0);
    let needed = widest.div_ceil(2).max(2);
    let header_row = if let Some(row) = header_at {
        row
    } else if widest < 2 {
        first_row
    } else {
        sample
            .rows
            .iter()
            .take(HEADER_SEARCH_ROWS)
            .find(|(r, c)| filled(*r, c) >= needed)
            .map_or(first_row, |(r, _)| *r)
    };
    let header_rows = header_rows_from(header_row, sample, merged);
    let last_header = header_rows.last().copied().unwrap_or(header_row);
    let title_rows: Vec<usize> = sample
        .rows
        .iter()
        .map(|(r, _)| *r)
        .filter(|r| *r < header_row)
        .collect();
    let title = title_rows
        .iter()
        .filter_map(|r| {
            sample
                .cells(*r)?
                .iter()
                .map(|c| normalize_label(c))
                .find(|c| !c.is_empty())
        })
        .collect::<Vec<_>>();
    let column_count = sample
        .rows
        .iter()
        .filter(|(r, _)| *r >= header_row)
        .map(|(_, cells)| cells.iter().rposition(|c| !c.trim().is_empty()).map_or(0, |p| p + 1))
        .max()
        .unwrap_or(0)
        .max(
            merged
                .iter()
                .filter(|m| header_rows.contains(&m.first_row))
                .map(|m| m.last_column + 1)
                .max()
                .unwrap_or(0),
        );
    let column_names = column_names_from(&header_rows, column_count, sample, merged);
    let mut layout = TableLayout {
        sheet,
        header_rows,
        data_start: last_header + 1,
        data_end: None,
        column_names,
        skip_total_rows: true,
        skip_note_rows: true,
        skipped_rows: title_rows
            .iter()
            .map(|&row| SkippedRow {
                row,
                reason: SkipReason::Title,
            })
            .collect(),
        title: (!title.is_empty()).then(|| title.join(" | ")),
    };
    let filter = RowFilter::new(&layout);
    let mut row_text = RowText::default();
    let mut skipped = Vec::new();
    for (row, cells) in sample.rows.iter().filter(|(r, _)| *r > last_header) {
        row_text.clear();
        cells.iter().for_each(|c| row_text.push(c));
        if let Some(reason) = filter.judge(*row, &row_text) {
            skipped.push(SkippedRow { row: *row, reason });
        }
    }
    layout.skipped_rows.extend(skipped);
    layout.skipped_rows.truncate(MAX_LISTED_SKIPS);
    Ok(layout)
}

/// The header is one row, or more when merged cells start on it (down to their last row), or when the
/// next row holds only text labels under a label that spans to the right (a CSV export of a merged header).
fn header_rows_from(header_row: usize, sample: &LayoutSample, merged: &[MergedRegion]) -> Vec<usize> {
    let merged_end = merged
        .iter()
        .filter(|m| m.first_row == header_row)
        .map(|m| {
            if m.last_row > header_row {
                m.last_row
            } else if m.first_column != m.last_column {
                header_row + 1
            } else {
                header_row
            }
        })
        .max()
        .unwrap_or(header_row)
        .min(header_row + MAX_HEADER_ROWS - 1);
    if merged_end > header_row {
        return (header_row..=merged_end).collect();
    }
    let (Some(top), Some(next)) = (sample.cells(header_row), sample.cells(header_row + 1)) else {
        return vec![header_row];
    };
    let labels: Vec<&String> = next.iter().filter(|c| !c.trim().is_empty()).collect();
    let only_labels = labels.len() >= 2 && labels.iter().all(|c| classify(c) == CellValue::Text);
    let blank_top = |c: usize| top.get(c).is_none_or(|v| v.trim().is_empty());
    let under_spanning_label =
        (1..next.len()).any(|c| !next[c].trim().is_empty() && blank_top(c) && (0..c).any(|left| !blank_top(left)));
    if only_labels && under_spanning_label && !next.iter().any(|c| is_numeric(c)) {
        vec![header_row, header_row + 1]
    } else {
        vec![header_row]
    }
}

fn column_names_from(
    header_rows: &[usize],
    column_count: usize,
    sample: &LayoutSample,
    merged: &[MergedRegion],
) -> Vec<String> {
    let last_header = header_rows.last().copied();
    let mut names: Vec<String> = (0..column_count)
        .map(|column| {
            let mut parts: Vec<String> = Vec::new();
            for &row in header_rows {
                let mut text = cell_at(sample, row, column).to_string();
                if text.is_empty() {
                    if let Some(region) = merged.iter().find(|m| m.contains(row, column)) {
                        text = cell_at(sample, region.first_row, region.first_column).to_string();
                    } else if Some(row) != last_header
                        && !cell_at(sample, last_header.unwrap_or(row), column).is_empty()
                    {
                        text = (0..column)
                            .rev()
                            .map(|left| cell_at(sample, row, left))
                            .find(|t| !t.is_empty())
                            .unwrap_or("")
                            .to_string();
                    }
                }
                let text = normalize_label(&text);
                if !text.is_empty() && parts.last() != Some(&text) {
                    parts.push(text);
                }
            }
            if parts.is_empty() {
                format!("column_{}", column + 1)
            } else {
                parts.join(" / ")
            }
        })
        .collect();
    for index in 1..names.len() {
        let mut suffix = 2;
        let base = names[index].clone();
        while names[..index].contains(&names[index]) {
            names[index] = format!("{base} ({suffix})");
            suffix += 1;
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(rows: &[&[&str]]) -> LayoutSample {
        LayoutSample {
            rows: rows
                .iter()
                .enumerate()
                .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
                .map(|(i, cells)| (i, cells.iter().map(|c| c.to_string()).collect()))
                .collect(),
        }
    }

    #[test]
    fn blank_cells_are_whitespace_only() {
        for cell in ["", " ", "\t\r\n", "\u{a0}", " \u{3000} "] {
            assert!(is_blank(cell), "{cell:?}");
        }
        for cell in ["x", " 1 ", "\u{a0}ก", "ก", " -"] {
            assert!(!is_blank(cell), "{cell:?}");
        }
    }

    #[test]
    fn header_below_title_rows() {
        let rows = sample(&[
            &["นิติบุคคลจัดตั้งเดือนมกราคม  2558", "", "", ""],
            &["ทั่วประเทศ", "", "", ""],
            &["ที่", "เลขทะเบียน", "วันที่จดทะเบียน", " ทุนจดทะเบียน\n (บาท) "],
            &["1", "0105558004940", "12/1/2558", " 2,000,000,000 "],
            &["2", "0105558002009", "7/1/2558", " 884,000,000 "],
        ]);
        let layout = detect_layout(None, &rows, &[], None).expect("layout");
        assert_eq!(layout.header_rows, [2]);
        assert_eq!(layout.data_start, 3);
        assert_eq!(
            layout.column_names,
            ["ที่", "เลขทะเบียน", "วันที่จดทะเบียน", "ทุนจดทะเบียน (บาท)"]
        );
        assert_eq!(layout.title.as_deref(), Some("นิติบุคคลจัดตั้งเดือนมกราคม 2558 | ทั่วประเทศ"));
        assert_eq!(
            layout.skipped_rows[0],
            SkippedRow {
                row: 0,
                reason: SkipReason::Title
            }
        );
    }

    #[test]
    fn merged_two_row_header_joins_names() {
        let rows = sample(&[
            &["อัตราการฆ่าตัวตาย ประจำปี 2540", "", "", "", ""],
            &["", "", "", "", ""],
            &["ลำดับ", "Province", "จำนวนประชากรกลางปี", "", ""],
            &["", "", "Male", "Female", "Total"],
            &["1", "ลำพูน", "201558", "205877", "407435"],
            &["", "รวม", "1", "2", "3"],
            &["ที่มา: กรมสุขภาพจิต", "", "", "", ""],
        ]);
        let merged = [
            MergedRegion {
                first_row: 0,
                first_column: 0,
                last_row: 0,
                last_column: 4,
            },
            MergedRegion {
                first_row: 2,
                first_column: 0,
                last_row: 3,
                last_column: 0,
            },
            MergedRegion {
                first_row: 2,
                first_column: 1,
                last_row: 3,
                last_column: 1,
            },
            MergedRegion {
                first_row: 2,
                first_column: 2,
                last_row: 2,
                last_column: 4,
            },
        ];
        let layout = detect_layout(Some("2540".into()), &rows, &merged, None).expect("layout");
        assert_eq!(layout.header_rows, [2, 3]);
        assert_eq!(layout.data_start, 4);
        assert_eq!(
            layout.column_names,
            [
                "ลำดับ",
                "Province",
                "จำนวนประชากรกลางปี / Male",
                "จำนวนประชากรกลางปี / Female",
                "จำนวนประชากรกลางปี / Total"
            ]
        );
        assert!(layout.skipped_rows.contains(&SkippedRow {
            row: 5,
            reason: SkipReason::Total
        }));
        assert!(layout.skipped_rows.contains(&SkippedRow {
            row: 6,
            reason: SkipReason::Note
        }));
    }

    #[test]
    fn two_row_header_without_merges_from_a_csv_export() {
        let rows = sample(&[
            &["ลำดับ", "จังหวัด", "จำนวนประชากร", "", ""],
            &["", "", "ชาย", "หญิง", "รวม"],
            &["1", "ลำพูน", "10", "20", "30"],
        ]);
        let layout = detect_layout(None, &rows, &[], None).expect("layout");
        assert_eq!(layout.header_rows, [0, 1]);
        assert_eq!(
            layout.column_names[2..],
            ["จำนวนประชากร / ชาย", "จำนวนประชากร / หญิง", "จำนวนประชากร / รวม"]
        );
    }

    #[test]
    fn a_text_first_data_row_is_not_taken_for_a_second_header() {
        let rows = sample(&[
            &["code", "", "", "", "description"],
            &["A", "", "", "", "เกษตรกรรม"],
            &["01", "", "", "", "การเพาะปลูก"],
        ]);
        let layout = detect_layout(None, &rows, &[], None).expect("layout");
        assert_eq!(layout.header_rows, [0]);
        assert_eq!(
            layout.column_names,
            ["code", "column_2", "column_3", "column_4", "description"]
        );
    }

    #[test]
    fn totals_and_notes_rows() {
        let layout = TableLayout {
            sheet: None,
            header_rows: vec![0],
            data_start: 1,
            data_end: None,
            column_names: vec!["a".into(), "b".into()],
            skip_total_rows: true,
            skip_note_rows: true,
            skipped_rows: vec![],
            title: None,
        };
        let filter = RowFilter::new(&layout);
        let judge = |cells: &[&str]| {
            let mut row = RowText::default();
            cells.iter().for_each(|c| row.push(c));
            filter.judge(5, &row)
        };
        assert_eq!(judge(&["รวม", "10"]), Some(SkipReason::Total));
        assert_eq!(judge(&["", " ยอดรวม ", "10"]), Some(SkipReason::Total));
        assert_eq!(judge(&["Grand Total:", "10"]), Some(SkipReason::Total));
        assert_eq!(judge(&["รวมทั้งสิ้น", "10"]), Some(SkipReason::Total));
        assert_eq!(judge(&["บจ.รวมใจ จำกัด", "10"]), None);
        assert_eq!(judge(&["ที่มา: สำนักงานสถิติแห่งชาติ", ""]), Some(SkipReason::Note));
        assert_eq!(judge(&["Source: NSO", ""]), Some(SkipReason::Note));
        assert_eq!(judge(&["หมายเหตุ", "ข้อมูลเบื้องต้น"]), Some(SkipReason::Note));
        assert_eq!(judge(&["", ""]), Some(SkipReason::Blank));
        assert_eq!(judge(&["a", "b"]), Some(SkipReason::RepeatedHeader));
        assert_eq!(judge(&["x", "1"]), None);
    }
}
