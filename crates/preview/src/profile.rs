//! Column profiles built in one streamed pass over the data rows: inferred type, null count, distinct
//! estimate (a 1 KiB HyperLogLog per column), min/max, year range, and a few masked examples. Memory is
//! fixed per column, whatever the number of rows.

use serde::{Deserialize, Serialize};

use crate::classify::{classify, classify_trimmed, CellValue, CivilDate, BUDDHIST_ERA_OFFSET};
use crate::encoding::EncodingReport;
use crate::layout::SkipReason;
use crate::row::RowText;

/// The type a whole column is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ColumnType {
    /// No values at all.
    Empty,
    Boolean,
    Integer,
    /// Numbers with a fractional part (integers allowed in between).
    Decimal,
    Percentage,
    Date,
    /// Digit codes kept as text: leading zeros or 13-digit IDs.
    Identifier,
    Text,
}

/// How many non-null cells of a column had each shape.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct TypeCounts {
    pub boolean: u64,
    pub integer: u64,
    pub decimal: u64,
    pub percentage: u64,
    pub date: u64,
    pub identifier: u64,
    pub text: u64,
}

impl std::ops::AddAssign for TypeCounts {
    fn add_assign(&mut self, later: Self) {
        self.boolean += later.boolean;
        self.integer += later.integer;
        self.decimal += later.decimal;
        self.percentage += later.percentage;
        self.date += later.date;
        self.identifier += later.identifier;
        self.text += later.text;
    }
}

/// What a year range was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum YearSource {
    /// Dates in the column.
    Dates,
    /// Whole numbers that are Buddhist-era years (2400–2700).
    BuddhistEraYears,
    /// Whole numbers 1900–2100 in a column named like a year (ปี, year).
    GregorianYears,
}

/// First and last year in a column, Gregorian (C.E.); B.E. = C.E. + 543.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct YearRange {
    pub first: i32,
    pub last: i32,
    pub source: YearSource,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct ColumnProfile {
    pub name: String,
    pub inferred_type: ColumnType,
    pub type_counts: TypeCounts,
    pub null_count: u64,
    pub distinct_estimate: u64,
    /// Smallest and largest value, as text (numbers as numbers, dates as ISO C.E.).
    pub min: Option<String>,
    pub max: Option<String>,
    /// Some of the dates were written in Buddhist era.
    pub buddhist_era_dates: bool,
    pub year_range: Option<YearRange>,
    /// Up to three distinct values; identifiers and long digit runs are masked.
    pub examples: Vec<String>,
}

/// The result of profiling a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Profile {
    pub data_rows: u64,
    pub columns: Vec<ColumnProfile>,
    pub skipped: SkippedCounts,
    /// Rows holding more cells than there are columns (the extra cells are not profiled).
    pub rows_wider_than_header: u64,
    /// Rows (0-based) whose bytes do not decode in the chosen encoding: the first 1000, and how many.
    pub undecodable_rows: Vec<usize>,
    pub undecodable_row_count: u64,
    /// The encoding guessed from the whole file (delimited files only); if it differs from the one
    /// used, suggest reopening with it.
    pub whole_file_encoding: Option<EncodingReport>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct SkippedCounts {
    pub title: u64,
    pub header: u64,
    pub blank: u64,
    pub total: u64,
    pub note: u64,
    pub repeated_header: u64,
}

impl std::ops::AddAssign for SkippedCounts {
    fn add_assign(&mut self, later: Self) {
        self.title += later.title;
        self.header += later.header;
        self.blank += later.blank;
        self.total += later.total;
        self.note += later.note;
        self.repeated_header += later.repeated_header;
    }
}

/// The version of what a whole-file pass yields (the profile, and the rows it hands on, as the layout
/// and the readers decide them). Bump it whenever a change to the readers, the layout filter or the
/// profile would give another result for the same file, so results kept from an older version are
/// made again.
pub const PROFILE_VERSION: u32 = 1;

const MAX_EXAMPLES: usize = 3;
const MAX_EXAMPLE_CHARS: usize = 60;
pub(crate) const MAX_LISTED_UNDECODABLE_ROWS: usize = 1000;

/// A HyperLogLog sketch with 2^10 one-byte registers (about 3% error).
#[derive(Debug, Clone)]
pub struct DistinctSketch {
    registers: Box<[u8; 1024]>,
}

impl Default for DistinctSketch {
    fn default() -> Self {
        Self {
            registers: Box::new([0; 1024]),
        }
    }
}

/// A well-mixed 64-bit hash (HyperLogLog reads both its top and its low bits), the same in every run.
fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x5eed_ca7a_1065).hash_one(bytes)
}

impl DistinctSketch {
    pub fn insert(&mut self, value: &str) {
        let hash = hash_bytes(value.as_bytes());
        let index = (hash >> 54) as usize;
        // leading zeros of the remaining 54 bits, plus one; at most 55, fits a u8
        let rank = ((hash << 10) | (1 << 9)).leading_zeros() as u8 + 1;
        if rank > self.registers[index] {
            self.registers[index] = rank;
        }
    }

    /// Folds in a sketch of other values: the result estimates the distinct values of both.
    pub fn merge(&mut self, other: &DistinctSketch) {
        for (mine, theirs) in self.registers.iter_mut().zip(other.registers.iter()) {
            *mine = (*mine).max(*theirs);
        }
    }

    pub fn estimate(&self) -> u64 {
        let m = self.registers.len() as f64;
        let sum: f64 = self.registers.iter().map(|r| 2f64.powi(-i32::from(*r))).sum();
        let raw = 0.7213 / (1.0 + 1.079 / m) * m * m / sum;
        let zeros = self.registers.iter().filter(|r| **r == 0).count();
        let estimate = if raw <= 2.5 * m && zeros > 0 {
            m * (m / zeros as f64).ln()
        } else {
            raw
        };
        estimate.round() as u64
    }
}

/// Masks digit runs of 9 or more: 13 digits keep the first 5 and last 3 (0105558001234 → 01055•••••234),
/// shorter runs keep 2 at each end.
pub fn mask_example(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let chars: Vec<char> = value.chars().take(MAX_EXAMPLE_CHARS).collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let run = &chars[start..i];
            if run.len() >= 9 {
                let (keep_front, keep_back) = if run.len() >= 13 { (5, 3) } else { (2, 2) };
                out.extend(&run[..keep_front]);
                out.extend(std::iter::repeat_n('•', run.len() - keep_front - keep_back));
                out.extend(&run[run.len() - keep_back..]);
            } else {
                out.extend(run);
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Numbers and dates are shown as written; identifiers and text get their digit runs masked.
fn masked_unless_number(example: String) -> String {
    match classify(&example) {
        CellValue::Integer(_) | CellValue::Decimal(_) | CellValue::Percentage(_) | CellValue::Date { .. } => example,
        _ => mask_example(&example),
    }
}

fn is_year_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.contains("ปี") || lower.contains("year") || lower == "พ.ศ." || lower.contains("fiscal")
}

/// `str::trim`, with ASCII spaces trimmed first (nearly every cell) and the Unicode rules only when a
/// non-ASCII character is left at either end.
fn trim_cell(cell: &str) -> &str {
    let trimmed = cell.trim_ascii();
    let bytes = trimmed.as_bytes();
    if bytes.first().is_some_and(|b| !b.is_ascii()) || bytes.last().is_some_and(|b| !b.is_ascii()) {
        trimmed.trim()
    } else {
        trimmed
    }
}

/// Combines two optional values with `pick` (min or max); either may be missing.
fn combine<T>(a: Option<T>, b: Option<T>, pick: fn(T, T) -> T) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(pick(a, b)),
        (a, b) => a.or(b),
    }
}

/// Per-column running state.
#[derive(Debug, Clone, Default)]
struct ColumnAccumulator {
    counts: TypeCounts,
    nulls: u64,
    sketch: DistinctSketch,
    min_number: Option<f64>,
    max_number: Option<f64>,
    min_date: Option<CivilDate>,
    max_date: Option<CivilDate>,
    buddhist_era_dates: bool,
    examples: Vec<String>,
}

impl ColumnAccumulator {
    fn add(&mut self, cell: &str) {
        let trimmed = trim_cell(cell);
        let value = classify_trimmed(trimmed);
        if value == CellValue::Null {
            self.nulls += 1;
            return;
        }
        self.sketch.insert(trimmed);
        if self.examples.len() < MAX_EXAMPLES && !self.examples.iter().any(|e| e == trimmed) {
            self.examples.push(trimmed.chars().take(MAX_EXAMPLE_CHARS).collect());
        }
        let number = match value {
            CellValue::Integer(n) => {
                self.counts.integer += 1;
                Some(n)
            }
            CellValue::Decimal(n) => {
                self.counts.decimal += 1;
                Some(n)
            }
            CellValue::Percentage(n) => {
                self.counts.percentage += 1;
                Some(n)
            }
            CellValue::Date { date, buddhist_era } => {
                self.counts.date += 1;
                self.buddhist_era_dates |= buddhist_era;
                self.min_date = combine(self.min_date, Some(date), CivilDate::min);
                self.max_date = combine(self.max_date, Some(date), CivilDate::max);
                None
            }
            CellValue::Boolean => {
                self.counts.boolean += 1;
                None
            }
            CellValue::Identifier => {
                self.counts.identifier += 1;
                None
            }
            CellValue::Text | CellValue::Null => {
                self.counts.text += 1;
                None
            }
        };
        if let Some(n) = number {
            self.min_number = combine(self.min_number, Some(n), f64::min);
            self.max_number = combine(self.max_number, Some(n), f64::max);
        }
    }

    /// Folds in the state of the same column over later rows.
    fn merge(&mut self, later: ColumnAccumulator) {
        self.counts += later.counts;
        self.nulls += later.nulls;
        self.sketch.merge(&later.sketch);
        self.min_number = combine(self.min_number, later.min_number, f64::min);
        self.max_number = combine(self.max_number, later.max_number, f64::max);
        self.min_date = combine(self.min_date, later.min_date, CivilDate::min);
        self.max_date = combine(self.max_date, later.max_date, CivilDate::max);
        self.buddhist_era_dates |= later.buddhist_era_dates;
        for example in later.examples {
            if self.examples.len() < MAX_EXAMPLES && !self.examples.contains(&example) {
                self.examples.push(example);
            }
        }
    }

    fn finish(self, name: String) -> ColumnProfile {
        let c = self.counts;
        let non_null = c.boolean + c.integer + c.decimal + c.percentage + c.date + c.identifier + c.text;
        let inferred_type = if non_null == 0 {
            ColumnType::Empty
        } else if c.identifier > 0 && c.identifier + c.integer == non_null {
            ColumnType::Identifier
        } else if c.integer == non_null {
            ColumnType::Integer
        } else if c.integer + c.decimal == non_null {
            ColumnType::Decimal
        } else if c.percentage == non_null {
            ColumnType::Percentage
        } else if c.date == non_null {
            ColumnType::Date
        } else if c.boolean == non_null {
            ColumnType::Boolean
        } else {
            ColumnType::Text
        };
        let format_number = |n: f64| {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                format!("{n:.0}")
            } else {
                n.to_string()
            }
        };
        let (min, max) = match inferred_type {
            ColumnType::Integer | ColumnType::Decimal | ColumnType::Percentage => {
                (self.min_number.map(format_number), self.max_number.map(format_number))
            }
            ColumnType::Date => (
                self.min_date.map(|d| d.to_string()),
                self.max_date.map(|d| d.to_string()),
            ),
            _ => (None, None),
        };
        let whole_years = |low: f64, high: f64, range: std::ops::RangeInclusive<f64>| {
            (inferred_type == ColumnType::Integer && range.contains(&low) && range.contains(&high))
                .then_some((low as i32, high as i32))
        };
        let year_range = match (
            inferred_type,
            self.min_date,
            self.max_date,
            self.min_number,
            self.max_number,
        ) {
            (ColumnType::Date, Some(first), Some(last), _, _) => Some(YearRange {
                first: first.year,
                last: last.year,
                source: YearSource::Dates,
            }),
            (_, _, _, Some(low), Some(high)) => whole_years(low, high, 2400.0..=2700.0)
                .map(|(first, last)| YearRange {
                    first: first - BUDDHIST_ERA_OFFSET,
                    last: last - BUDDHIST_ERA_OFFSET,
                    source: YearSource::BuddhistEraYears,
                })
                .or_else(|| {
                    whole_years(low, high, 1900.0..=2100.0)
                        .filter(|_| is_year_name(&name))
                        .map(|(first, last)| YearRange {
                            first,
                            last,
                            source: YearSource::GregorianYears,
                        })
                }),
            _ => None,
        };
        ColumnProfile {
            inferred_type,
            type_counts: c,
            null_count: self.nulls,
            distinct_estimate: self.sketch.estimate(),
            min,
            max,
            buddhist_era_dates: self.buddhist_era_dates,
            year_range,
            examples: self.examples.into_iter().map(masked_unless_number).collect(),
            name,
        }
    }
}

/// Builds a [`Profile`] one data row at a time.
pub struct ProfileBuilder {
    names: Vec<String>,
    columns: Vec<ColumnAccumulator>,
    data_rows: u64,
    wider_rows: u64,
    pub(crate) skipped: SkippedCounts,
    pub(crate) undecodable_rows: Vec<usize>,
    pub(crate) undecodable_row_count: u64,
}

impl ProfileBuilder {
    pub fn new(column_names: &[String]) -> Self {
        Self {
            names: column_names.to_vec(),
            columns: vec![ColumnAccumulator::default(); column_names.len()],
            data_rows: 0,
            wider_rows: 0,
            skipped: SkippedCounts::default(),
            undecodable_rows: Vec::new(),
            undecodable_row_count: 0,
        }
    }

    pub fn add_row(&mut self, cells: &RowText) {
        self.data_rows += 1;
        for (index, column) in self.columns.iter_mut().enumerate() {
            column.add(cells.get(index));
        }
        if cells.iter().skip(self.columns.len()).any(|c| !c.trim().is_empty()) {
            self.wider_rows += 1;
        }
    }

    pub fn note_undecodable(&mut self, row: usize) {
        self.undecodable_row_count += 1;
        if self.undecodable_rows.len() < MAX_LISTED_UNDECODABLE_ROWS {
            self.undecodable_rows.push(row);
        }
    }

    /// Folds in the profile of the rows that follow this builder's rows; `row_offset` is the file row of
    /// `later`'s row 0, for its undecodable rows.
    pub fn merge(&mut self, later: ProfileBuilder, row_offset: usize) {
        self.data_rows += later.data_rows;
        self.wider_rows += later.wider_rows;
        self.skipped += later.skipped;
        let room = MAX_LISTED_UNDECODABLE_ROWS.saturating_sub(self.undecodable_rows.len());
        self.undecodable_rows.extend(
            later
                .undecodable_rows
                .into_iter()
                .take(room)
                .map(|row| row + row_offset),
        );
        self.undecodable_row_count += later.undecodable_row_count;
        for (mine, theirs) in self.columns.iter_mut().zip(later.columns) {
            mine.merge(theirs);
        }
    }

    /// Counts a row the layout leaves out.
    pub fn skip(&mut self, reason: SkipReason) {
        let skipped = &mut self.skipped;
        match reason {
            SkipReason::Title => skipped.title += 1,
            SkipReason::Header => skipped.header += 1,
            SkipReason::Blank => skipped.blank += 1,
            SkipReason::Total => skipped.total += 1,
            SkipReason::Note => skipped.note += 1,
            SkipReason::RepeatedHeader => skipped.repeated_header += 1,
        }
    }

    pub fn finish(self, whole_file_encoding: Option<EncodingReport>) -> Profile {
        Profile {
            data_rows: self.data_rows,
            columns: self
                .columns
                .into_iter()
                .zip(self.names)
                .map(|(c, name)| c.finish(name))
                .collect(),
            skipped: self.skipped,
            rows_wider_than_header: self.wider_rows,
            undecodable_rows: self.undecodable_rows,
            undecodable_row_count: self.undecodable_row_count,
            whole_file_encoding,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile_of(name: &str, cells: &[&str]) -> ColumnProfile {
        let mut builder = ProfileBuilder::new(&[name.to_string()]);
        for cell in cells {
            let mut row = RowText::default();
            row.push(cell);
            builder.add_row(&row);
        }
        builder.finish(None).columns.remove(0)
    }

    #[test]
    fn trimming_a_cell_is_str_trim() {
        for cell in [
            "",
            "  ",
            " 12 ",
            "\u{a0}ก\u{a0}",
            "ก ข",
            "\t2,000\r\n",
            "\u{3000}x",
            "x\u{2003}",
            "ไทย ",
        ] {
            assert_eq!(trim_cell(cell), cell.trim(), "{cell:?}");
        }
    }

    #[test]
    fn masks_identifiers() {
        assert_eq!(mask_example("0105558001234"), "01055•••••234");
        assert_eq!(mask_example("โทร 021234567"), "โทร 02•••••67");
        assert_eq!(mask_example("12/1/2558"), "12/1/2558");
    }

    #[test]
    fn thirteen_digit_ids_profile_as_identifiers_with_masked_examples() {
        let column = profile_of("เลขทะเบียน", &["0105558004940", "0105558002009", "3100600123456"]);
        assert_eq!(column.inferred_type, ColumnType::Identifier);
        assert_eq!(column.examples[0], "01055•••••940");
        assert_eq!(column.min, None);
    }

    #[test]
    fn amounts_with_separators_and_nulls() {
        let column = profile_of("ทุน", &[" 2,000,000 ", "1,000", "", "-", "12.5"]);
        assert_eq!(column.inferred_type, ColumnType::Decimal);
        assert_eq!(column.null_count, 2);
        assert_eq!(
            (column.min.as_deref(), column.max.as_deref()),
            (Some("12.5"), Some("2000000"))
        );
    }

    #[test]
    fn buddhist_era_dates_and_years() {
        let dates = profile_of("วันที่", &["12/1/2558", "30/1/2558", "14 มิ.ย. 2567"]);
        assert_eq!(dates.inferred_type, ColumnType::Date);
        assert!(dates.buddhist_era_dates);
        assert_eq!(dates.min.as_deref(), Some("2015-01-12"));
        assert_eq!(
            dates.year_range,
            Some(YearRange {
                first: 2015,
                last: 2024,
                source: YearSource::Dates
            })
        );
        let years = profile_of("ปี", &["2536", "2564"]);
        assert_eq!(
            years.year_range,
            Some(YearRange {
                first: 1993,
                last: 2021,
                source: YearSource::BuddhistEraYears
            })
        );
        let counts = profile_of("population", &["2536", "2564"]);
        assert!(counts.year_range.is_some(), "2400-2700 integers read as B.E. years");
        let gregorian = profile_of("year", &["1999", "2021"]);
        assert_eq!(gregorian.year_range.map(|y| y.source), Some(YearSource::GregorianYears));
        assert_eq!(profile_of("amount", &["1999", "2021"]).year_range, None);
    }

    #[test]
    fn distinct_estimate_is_close() {
        let mut sketch = DistinctSketch::default();
        for i in 0..50_000 {
            sketch.insert(&i.to_string());
            sketch.insert(&i.to_string());
        }
        let estimate = sketch.estimate() as f64;
        assert!((estimate - 50_000.0).abs() < 50_000.0 * 0.1, "{estimate}");
        let mut small = DistinctSketch::default();
        ["ก", "ข", "ค", "ก"].iter().for_each(|v| small.insert(v));
        assert_eq!(small.estimate(), 3);
    }
}
