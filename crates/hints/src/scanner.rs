//! The streaming detector: [`HintScanner`] is fed a table's data rows one at a time, keeps fixed-size
//! counters per column (memory flat whatever the number of rows), and turns them into [`Hint`]s with
//! the thresholds that keep chance matches out (a column of random 13-digit numbers raises nothing).
//! Scanners fed consecutive parts of a table merge into the scanner fed all of it (a
//! [`RowSink`], so the profile's pass feeds it, on every core for a large CSV).

use catalog_preview::{classify, CellValue, RowSink, RowText};

use crate::hint::{ColumnRef, Hint, HintKind};
use crate::mask::{
    mask_address, mask_bank_account, mask_degrees, mask_email, mask_name, mask_phone, mask_thirteen_digits,
};
use crate::values::{
    bank_account_digits, bank_account_formatted, check_digit_ok, decimal_degrees, find_email, find_thai_phone,
    house_address, juristic_person_name, thai_coordinate_pair, thai_latitude, thai_longitude, thirteen_digits,
    titled_person_name,
};

/// A hint needs at least this many matching cells, so that a short file cannot raise one by chance.
pub const MIN_MATCHES: u64 = 3;
/// Share of a column's values that must match for identifiers (citizen IDs, bank accounts,
/// coordinates): about one random 13-digit number in ten passes the check digit, so 90 % valid cannot
/// happen by chance over more than a handful of cells.
pub const IDENTIFIER_SHARE: f64 = 0.9;
/// Share of a column's values that must match for values found in free text (phone numbers, e-mail
/// addresses, titled names, house addresses), which real columns mix with other text.
pub const TEXT_SHARE: f64 = 0.5;
/// Share of a column's values that must be numbers (or text) for the statistical-table check.
const TYPED_SHARE: f64 = 0.9;
/// Longest average value of a category column (province, region, item names).
const MAX_CATEGORY_CHARS: u64 = 40;
/// The version of what the scanner finds: bump it whenever a detector, a threshold or the shape of a
/// [`Hint`] changes, so hints kept from an older version are found again.
pub const SCANNER_VERSION: u32 = 1;

const MAX_EXAMPLES: usize = 3;
/// Matches looked at for distinct examples; a column repeating the same few values stops looking.
const EXAMPLE_ATTEMPTS: u64 = 256;
const MAX_SAMPLE_CHARS: usize = 60;

const PHONE_NAME_WORDS: &str = "โทร มือถือ แฟกซ์";
const PHONE_NAME_TOKENS: &str = "tel phone telephone mobile fax";
const BANK_NAME_WORDS: &str = "บัญชี ธนาคาร account acct bank";
const LATITUDE_NAME_WORDS: &str = "ละติจูด ละติจุด";
const LATITUDE_NAME_TOKENS: &str = "lat latitude";
const LONGITUDE_NAME_WORDS: &str = "ลองจิจูด ลองติจูด";
const LONGITUDE_NAME_TOKENS: &str = "lon lng long longitude";
const YEAR_NAME_WORDS: &str = "ปี พ.ศ year fiscal";
/// Row numbers and codes: neither measures nor dimensions of a statistical table.
const ORDINAL_NAMES: &str = "ที่ ลำดับ ลำดับที่ no no. # id seq index";
const CODE_NAME_WORDS: &str = "รหัส code";

fn name_has_word(name: &str, words: &str) -> bool {
    let lower = name.to_lowercase();
    words.split_whitespace().any(|w| lower.contains(w))
}

fn name_has_token(name: &str, tokens: &str) -> bool {
    let lower = name.to_lowercase();
    lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|token| tokens.split_whitespace().any(|t| t == token))
}

fn share_at_least(matched: u64, of: u64, share: f64) -> bool {
    matched >= MIN_MATCHES && of > 0 && matched as f64 >= share * of as f64
}

/// The first [`MAX_EXAMPLES`] distinct values met, each with the (1-based) number of the offer it was
/// first met at. A later part's values merge in exactly: at most as many of them repeat this list as it
/// holds, so its first [`MAX_EXAMPLES`] always hold enough new ones.
#[derive(Debug, Clone, Default)]
struct FirstDistinct {
    met: Vec<(u64, String)>,
}

impl FirstDistinct {
    fn is_full(&self) -> bool {
        self.met.len() >= MAX_EXAMPLES
    }

    fn offer(&mut self, number: u64, value: &str) {
        if !self.is_full() && !self.met.iter().any(|(_, kept)| kept == value) {
            self.met.push((number, value.to_owned()));
        }
    }

    fn values(&self) -> Vec<String> {
        self.met.iter().map(|(_, v)| v.clone()).collect()
    }

    /// Folds in the values of a later part whose offers are numbered from `offset + 1`, taking only
    /// those offered up to `limit`.
    fn merge(&mut self, later: FirstDistinct, offset: u64, limit: u64) {
        for (number, value) in later.met {
            if offset + number <= limit {
                self.offer(offset + number, &value);
            }
        }
    }
}

/// Matching cells of one detector in one column, with a few masked examples.
#[derive(Debug, Clone, Default)]
struct Matches {
    count: u64,
    examples: FirstDistinct,
}

impl Matches {
    fn add(&mut self, example: impl FnOnce() -> String) {
        self.count += 1;
        if !self.examples.is_full() && self.count <= EXAMPLE_ATTEMPTS {
            self.examples.offer(self.count, &example());
        }
    }

    fn merge(&mut self, later: Matches) {
        self.examples.merge(later.examples, self.count, EXAMPLE_ATTEMPTS);
        self.count += later.count;
    }
}

/// The first `max` characters of `text`.
fn first_chars(text: &str, max: usize) -> &str {
    text.char_indices().nth(max).map_or(text, |(end, _)| &text[..end])
}

/// What the column's name says it holds.
#[derive(Debug, Clone, Default)]
struct NamedAs {
    phone: bool,
    bank: bool,
    latitude: bool,
    longitude: bool,
    year: bool,
    ordinal: bool,
}

impl NamedAs {
    fn of(name: &str) -> NamedAs {
        let trimmed = name.trim().to_lowercase();
        NamedAs {
            phone: name_has_word(name, PHONE_NAME_WORDS) || name_has_token(name, PHONE_NAME_TOKENS),
            bank: name_has_word(name, BANK_NAME_WORDS),
            latitude: name_has_word(name, LATITUDE_NAME_WORDS) || name_has_token(name, LATITUDE_NAME_TOKENS),
            longitude: name_has_word(name, LONGITUDE_NAME_WORDS) || name_has_token(name, LONGITUDE_NAME_TOKENS),
            year: name_has_word(name, YEAR_NAME_WORDS),
            ordinal: ORDINAL_NAMES.split_whitespace().any(|w| trimmed == w)
                || name_has_word(name, CODE_NAME_WORDS)
                || trimmed.ends_with("_id"),
        }
    }
}

/// Running counters of one column.
#[derive(Debug, Clone, Default)]
struct ColumnState {
    name: String,
    named: NamedAs,
    non_empty: u64,
    citizen_ids: Matches,
    juristic_ids: Matches,
    company_names: u64,
    phones: Matches,
    emails: Matches,
    names: Matches,
    /// House addresses in rows that are not only about a juristic person, and the non-empty cells of
    /// such rows.
    addresses: Matches,
    non_empty_in_personal_rows: u64,
    bank_accounts: Matches,
    latitudes: Matches,
    longitudes: Matches,
    /// Decimal degrees anywhere on the globe (for columns named lat/lon).
    degrees: u64,
    first_degrees: Vec<f64>,
    coordinate_pairs: Matches,
    numbers: u64,
    /// Whole numbers 2400–2700 (Buddhist-era years) and 1900–2100 (Gregorian years).
    buddhist_era_years: u64,
    gregorian_years: u64,
    texts: u64,
    text_chars: u64,
    /// The first distinct values (cut to [`MAX_SAMPLE_CHARS`]).
    samples: FirstDistinct,
}

impl ColumnState {
    fn reference(&self, index: usize) -> ColumnRef {
        ColumnRef {
            index,
            name: self.name.clone(),
        }
    }

    fn share(&self, matched: u64, share: f64) -> bool {
        share_at_least(matched, self.non_empty, share)
    }

    fn is_latitude(&self) -> bool {
        self.share(self.latitudes.count, IDENTIFIER_SHARE)
            || (self.named.latitude && self.share(self.degrees, IDENTIFIER_SHARE))
    }

    fn is_longitude(&self) -> bool {
        self.share(self.longitudes.count, IDENTIFIER_SHARE)
            || (self.named.longitude && self.share(self.degrees, IDENTIFIER_SHARE))
    }

    fn is_numeric(&self) -> bool {
        self.share(self.numbers, TYPED_SHARE)
    }

    /// Years: Buddhist-era whole numbers, or Gregorian ones in a column named like a year (ปี, year).
    fn is_year(&self) -> bool {
        self.share(self.buddhist_era_years, TYPED_SHARE)
            || (self.named.year && self.share(self.gregorian_years, TYPED_SHARE))
    }

    fn is_category(&self) -> bool {
        self.share(self.texts, TYPED_SHARE) && self.text_chars <= MAX_CATEGORY_CHARS * self.texts.max(1)
    }

    /// Folds in the same column's state over the rows that follow.
    fn merge(&mut self, later: ColumnState) {
        self.non_empty += later.non_empty;
        self.citizen_ids.merge(later.citizen_ids);
        self.juristic_ids.merge(later.juristic_ids);
        self.company_names += later.company_names;
        self.phones.merge(later.phones);
        self.emails.merge(later.emails);
        self.names.merge(later.names);
        self.addresses.merge(later.addresses);
        self.non_empty_in_personal_rows += later.non_empty_in_personal_rows;
        self.bank_accounts.merge(later.bank_accounts);
        self.latitudes.merge(later.latitudes);
        self.longitudes.merge(later.longitudes);
        self.degrees += later.degrees;
        let room = MAX_EXAMPLES.saturating_sub(self.first_degrees.len());
        self.first_degrees.extend(later.first_degrees.into_iter().take(room));
        self.coordinate_pairs.merge(later.coordinate_pairs);
        self.numbers += later.numbers;
        self.buddhist_era_years += later.buddhist_era_years;
        self.gregorian_years += later.gregorian_years;
        self.texts += later.texts;
        self.text_chars += later.text_chars;
        self.samples.merge(later.samples, 0, u64::MAX);
    }
}

/// How one cell of the current row was read, kept until the row is complete (the juristic-person
/// rule for addresses needs the whole row).
#[derive(Debug, Clone, Copy, Default)]
struct CellMark {
    non_empty: bool,
    address: bool,
}

/// Finds hints in a table fed one data row at a time, in one pass with flat memory.
///
/// ```
/// use catalog_hints::{HintKind, HintScanner};
///
/// let mut scanner = HintScanner::new(&["ชื่อ".to_string(), "มือถือ".to_string()]);
/// for (name, phone) in [("นายสมชาย ใจดี", "081-234-5678"), ("นางสาวสมหญิง รักไทย", "0912345678"),
///                       ("ด.ช.มานะ ขยันดี", "+66 86 123 4567")] {
///     scanner.add_row(&[name, phone]);
/// }
/// let kinds: Vec<HintKind> = scanner.finish().iter().map(|h| h.kind).collect();
/// assert_eq!(kinds, [HintKind::PersonalName, HintKind::PhoneNumber]);
/// ```
#[derive(Debug, Clone)]
pub struct HintScanner {
    columns: Vec<ColumnState>,
    rows: u64,
    marks: Vec<CellMark>,
}

impl HintScanner {
    /// A scanner for a table with these column names (the layout's `column_names`).
    pub fn new(column_names: &[String]) -> HintScanner {
        HintScanner {
            columns: column_names
                .iter()
                .map(|name| ColumnState {
                    name: name.clone(),
                    named: NamedAs::of(name),
                    ..ColumnState::default()
                })
                .collect(),
            rows: 0,
            marks: vec![CellMark::default(); column_names.len()],
        }
    }

    /// Data rows fed so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Feeds one data row; cells past the last column are ignored, missing cells are empty.
    pub fn add_row<S: AsRef<str>>(&mut self, cells: &[S]) {
        self.add_cells(|index| cells.get(index).map_or("", |c| c.as_ref()));
    }

    /// Feeds one data row given as the cell at each column index.
    fn add_cells<'a>(&mut self, cells: impl Fn(usize) -> &'a str) {
        self.rows += 1;
        let mut juristic_row = false;
        let mut personal_row = false;
        for (index, column) in self.columns.iter_mut().enumerate() {
            let cell = cells(index).trim();
            let (juristic, personal, mark) = read_cell(column, cell);
            juristic_row |= juristic;
            personal_row |= personal;
            self.marks[index] = mark;
        }
        let only_juristic = juristic_row && !personal_row;
        if only_juristic {
            return;
        }
        for (index, column) in self.columns.iter_mut().enumerate() {
            let mark = self.marks[index];
            if mark.non_empty {
                column.non_empty_in_personal_rows += 1;
            }
            if mark.address {
                let cell = cells(index).trim();
                column.addresses.add(|| mask_address(cell));
            }
        }
    }

    /// A scanner for the rows that follow this one's, to [`HintScanner::merge`] back.
    pub fn split(&self) -> HintScanner {
        let names: Vec<String> = self.columns.iter().map(|c| c.name.clone()).collect();
        HintScanner::new(&names)
    }

    /// Folds in a scanner from [`HintScanner::split`] fed the rows that follow this one's: the result
    /// is what one scanner fed all the rows would hold.
    pub fn merge(&mut self, later: HintScanner) {
        self.rows += later.rows;
        for (mine, theirs) in self.columns.iter_mut().zip(later.columns) {
            mine.merge(theirs);
        }
    }

    /// The hints, personal data first, then by column.
    pub fn finish(self) -> Vec<Hint> {
        let mut hints = Vec::new();
        for (index, column) in self.columns.iter().enumerate() {
            column_hints(index, column, &mut hints);
        }
        coordinate_hints(&self.columns, &mut hints);
        if let Some(hint) = statistical_hint(&self.columns, self.rows) {
            hints.push(hint);
        }
        hints.sort_by_key(|h| (!h.personal_data, h.column.index, h.kind));
        hints
    }
}

impl RowSink for HintScanner {
    fn add_row(&mut self, cells: &RowText) {
        self.add_cells(|index| cells.get(index));
    }

    fn split(&self) -> Option<Self> {
        Some(HintScanner::split(self))
    }

    fn merge(&mut self, later: Self) {
        HintScanner::merge(self, later);
    }
}

/// Counts one cell; returns whether it marks the row as about a juristic person, or about a person,
/// and what the row-level pass needs.
fn read_cell(column: &mut ColumnState, cell: &str) -> (bool, bool, CellMark) {
    let value = classify(cell);
    if value == CellValue::Null {
        return (false, false, CellMark::default());
    }
    column.non_empty += 1;
    let mut juristic = false;
    let mut personal = false;
    match value {
        CellValue::Integer(n) | CellValue::Decimal(n) | CellValue::Percentage(n) => {
            column.numbers += 1;
            if n.fract() == 0.0 && (2400.0..=2700.0).contains(&n) {
                column.buddhist_era_years += 1;
            }
            if n.fract() == 0.0 && (1900.0..=2100.0).contains(&n) {
                column.gregorian_years += 1;
            }
        }
        CellValue::Text => {
            column.texts += 1;
            column.text_chars += cell.chars().count() as u64;
        }
        _ => {}
    }
    if !column.samples.is_full() {
        column.samples.offer(0, first_chars(cell, MAX_SAMPLE_CHARS));
    }
    let digit_count = cell.bytes().filter(u8::is_ascii_digit).count();
    if let Some(digits) = thirteen_digits(cell) {
        if digits[0] == 0 {
            juristic = true;
            column.juristic_ids.add(|| mask_thirteen_digits(&digits));
        } else if (1..=8).contains(&digits[0]) && check_digit_ok(&digits) {
            personal = true;
            column.citizen_ids.add(|| mask_thirteen_digits(&digits));
        }
    }
    if (9..=16).contains(&digit_count) {
        if let Some(phone) = find_thai_phone(cell, column.named.phone) {
            column.phones.add(|| mask_phone(&phone));
        }
    }
    if (10..=12).contains(&digit_count)
        && (bank_account_formatted(cell) || (column.named.bank && bank_account_digits(cell)))
    {
        column.bank_accounts.add(|| mask_bank_account(cell));
    }
    if cell.contains('@') {
        if let Some(email) = find_email(cell) {
            column.emails.add(|| mask_email(email));
        }
    }
    let starts_with_letter = cell.chars().next().is_some_and(char::is_alphabetic);
    if starts_with_letter && juristic_person_name(cell) {
        juristic = true;
        column.company_names += 1;
    } else if starts_with_letter {
        if let Some((title, name)) = titled_person_name(cell) {
            personal = true;
            column.names.add(|| mask_name(title, name));
        }
    }
    let address = digit_count > 0 && !cell.is_ascii() && house_address(cell);
    if cell.contains('.') {
        if let Some(degrees) = decimal_degrees(cell) {
            column.degrees += 1;
            if column.first_degrees.len() < MAX_EXAMPLES {
                column.first_degrees.push(degrees);
            }
            if thai_latitude(degrees) {
                column.latitudes.add(|| mask_degrees(degrees));
            }
            if thai_longitude(degrees) {
                column.longitudes.add(|| mask_degrees(degrees));
            }
        } else if let Some((lat, lon)) = thai_coordinate_pair(cell) {
            column
                .coordinate_pairs
                .add(|| format!("{}, {}", mask_degrees(lat), mask_degrees(lon)));
        }
    }
    (
        juristic,
        personal,
        CellMark {
            non_empty: true,
            address,
        },
    )
}

fn column_hints(index: usize, column: &ColumnState, hints: &mut Vec<Hint>) {
    let mut push = |kind: HintKind, matches: &Matches| {
        hints.push(Hint::new(
            kind,
            column.reference(index),
            matches.count,
            column.non_empty,
            matches.examples.values(),
        ));
    };
    let non_juristic = column.non_empty - column.juristic_ids.count;
    if share_at_least(column.citizen_ids.count, non_juristic, IDENTIFIER_SHARE) {
        push(HintKind::ThaiCitizenId, &column.citizen_ids);
    }
    if column.share(column.juristic_ids.count, TEXT_SHARE) {
        push(HintKind::JuristicPersonId, &column.juristic_ids);
    }
    if column.share(column.phones.count, TEXT_SHARE) {
        push(HintKind::PhoneNumber, &column.phones);
    }
    if column.share(column.emails.count, TEXT_SHARE) {
        push(HintKind::EmailAddress, &column.emails);
    }
    if column.share(column.names.count, TEXT_SHARE) {
        push(HintKind::PersonalName, &column.names);
    }
    if share_at_least(column.addresses.count, column.non_empty_in_personal_rows, TEXT_SHARE) {
        push(HintKind::HouseAddress, &column.addresses);
    }
    if column.share(column.bank_accounts.count, IDENTIFIER_SHARE) {
        push(HintKind::BankAccount, &column.bank_accounts);
    }
    if column.share(column.coordinate_pairs.count, IDENTIFIER_SHARE) {
        push(HintKind::Coordinates, &column.coordinate_pairs);
    }
}

/// A latitude column paired with a longitude column: both named (ละติจูด/lat, ลองจิจูด/lon), or side by
/// side with values inside Thailand.
fn coordinate_hints(columns: &[ColumnState], hints: &mut Vec<Hint>) {
    let mut used = vec![false; columns.len()];
    for (lat_index, lat) in columns.iter().enumerate() {
        if used[lat_index] || !lat.is_latitude() {
            continue;
        }
        let partner = (0..columns.len()).find(|&i| {
            let lon = &columns[i];
            let named_pair = lat.named.latitude && lon.named.longitude;
            let adjacent = i.abs_diff(lat_index) == 1;
            i != lat_index && !used[i] && lon.is_longitude() && (named_pair || adjacent)
        });
        let Some(lon_index) = partner else { continue };
        let lon = &columns[lon_index];
        used[lat_index] = true;
        used[lon_index] = true;
        let examples = lat
            .first_degrees
            .iter()
            .zip(&lon.first_degrees)
            .map(|(a, b)| format!("{}, {}", mask_degrees(*a), mask_degrees(*b)))
            .collect();
        let mut hint = Hint::new(
            HintKind::Coordinates,
            lat.reference(lat_index),
            lat.degrees.min(lon.degrees),
            lat.non_empty.max(lon.non_empty),
            examples,
        );
        hint.related_columns.push(lon.reference(lon_index));
        hints.push(hint);
    }
}

/// Numeric columns (measures) broken down by at least one year or category column (dimension): the
/// measures are at least half of the columns, or every other column is a dimension (a long table such
/// as province, district, population). Row numbers and codes are left out of the count.
fn statistical_hint(columns: &[ColumnState], rows: u64) -> Option<Hint> {
    if rows < MIN_MATCHES {
        return None;
    }
    let coordinate = |c: &ColumnState| c.is_latitude() || c.is_longitude();
    let identifying = |c: &ColumnState| {
        [
            &c.citizen_ids,
            &c.juristic_ids,
            &c.names,
            &c.emails,
            &c.phones,
            &c.addresses,
        ]
        .iter()
        .any(|m| c.share(m.count, TEXT_SHARE))
            || c.share(c.company_names, TEXT_SHARE)
    };
    let considered: Vec<(usize, &ColumnState)> = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.non_empty > 0 && !c.named.ordinal && !coordinate(c))
        .collect();
    let measures: Vec<(usize, &ColumnState)> = considered
        .iter()
        .copied()
        .filter(|(_, c)| c.is_numeric() && !c.is_year())
        .collect();
    let dimensions: Vec<(usize, &ColumnState)> = considered
        .iter()
        .copied()
        .filter(|(_, c)| c.is_year() || (c.is_category() && !identifying(c)))
        .collect();
    let mostly_measures = measures.len() * 2 >= considered.len();
    let long_table = measures.len() + dimensions.len() == considered.len();
    if measures.is_empty() || !(mostly_measures || long_table) {
        return None;
    }
    let (dimension_index, dimension_column) = dimensions
        .iter()
        .find(|(_, c)| c.is_year())
        .or_else(|| dimensions.first())
        .copied()?;
    let examples = dimension_column.samples.values();
    let mut hint = Hint::new(
        HintKind::StatisticalTable,
        dimension_column.reference(dimension_index),
        measures.iter().map(|(_, c)| c.numbers).sum(),
        measures.iter().map(|(_, c)| c.non_empty).sum(),
        examples,
    );
    hint.related_columns = measures.iter().map(|(i, c)| c.reference(*i)).collect();
    Some(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn company_rows_hide_head_office_addresses_but_not_a_persons() {
        let mut scanner = HintScanner::new(&names(&["ชื่อ", "ที่อยู่"]));
        for i in 1..=5 {
            scanner.add_row(&[
                format!("บจ.ตัวอย่าง {i} จำกัด"),
                format!("{i}/2 หมู่ 3 ต.นาป่า อ.เมือง จ.ชลบุรี 20000"),
            ]);
        }
        assert!(scanner.clone().finish().is_empty());
        for i in 1..=10 {
            scanner.add_row(&[
                format!("นายสมชาย ใจดี{i}"),
                format!("{i}/9 ซอย 4 ต.บางพระ อ.ศรีราชา จ.ชลบุรี 20110"),
            ]);
        }
        let hints = scanner.finish();
        let address = hints
            .iter()
            .find(|h| h.kind == HintKind::HouseAddress)
            .expect("address hint");
        assert_eq!((address.matched, address.non_empty), (10, 15));
        assert_eq!(address.examples[0], "••• ต.บางพระ อ.ศรีราชา จ.ชลบุรี 20110");
    }

    #[test]
    fn a_column_of_titles_alone_is_a_name_hint() {
        let mut scanner = HintScanner::new(&names(&["คำนำหน้า"]));
        for title in ["นาย", "นาง", "นางสาว", "นาย"] {
            scanner.add_row(&[title]);
        }
        let hints = scanner.finish();
        assert_eq!(hints.len(), 1);
        assert_eq!(hints[0].kind, HintKind::PersonalName);
        assert_eq!(hints[0].examples, ["นาย", "นาง", "นางสาว"]);
    }

    #[test]
    fn fewer_than_the_minimum_raise_nothing() {
        let mut scanner = HintScanner::new(&names(&["เลขบัตร"]));
        scanner.add_row(&["1101700230708"]);
        scanner.add_row(&["3100600123450"]);
        assert!(scanner.finish().is_empty());
    }

    #[test]
    fn short_rows_and_extra_cells_are_tolerated() {
        let mut scanner = HintScanner::new(&names(&["a", "b"]));
        scanner.add_row::<&str>(&[]);
        scanner.add_row(&["x", "y", "z"]);
        assert_eq!(scanner.rows(), 2);
        assert!(scanner.finish().is_empty());
    }
}
