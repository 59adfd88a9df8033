//! The per-cell classifier: what one cell's text is (number, percentage, date with Buddhist-era or Thai
//! month names, 13-digit identifier, boolean, text, empty). It runs once per cell of the whole file, so it
//! works on the trimmed text with byte-level fast paths and never allocates for the common cases.

use serde::Serialize;

/// A calendar date in the Gregorian (CE) calendar; Buddhist-era input is converted on parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CivilDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl std::fmt::Display for CivilDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for CivilDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// What a single cell holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellValue {
    /// Blank, or a placeholder such as `-` or `N/A`.
    Null,
    Boolean,
    /// A whole number (thousands separators and Thai digits allowed).
    Integer(f64),
    Decimal(f64),
    /// A number followed by `%`; the value is the number as written (50% → 50).
    Percentage(f64),
    /// A date; `buddhist_era` tells whether the year was written in B.E.
    Date {
        date: CivilDate,
        buddhist_era: bool,
    },
    /// Digits that must stay text: a leading zero (`0105558001234`), exactly 13 digits (Thai ID and
    /// juristic-person numbers), or too many digits to be a quantity.
    Identifier,
    Text,
}

const THAI_MONTHS_FULL: [&str; 12] = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
];
/// Thai month abbreviations with their dots removed (มิ.ย. → มิย).
const THAI_MONTHS_SHORT: [&str; 12] = ["มค", "กพ", "มีค", "เมย", "พค", "มิย", "กค", "สค", "กย", "ตค", "พย", "ธค"];
const ENGLISH_MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Years at or above this are read as Buddhist era (B.E. = C.E. + 543).
const FIRST_BUDDHIST_ERA_YEAR: i32 = 2400;
pub const BUDDHIST_ERA_OFFSET: i32 = 543;

/// Classifies one cell. `text` may carry surrounding spaces (they are ignored).
pub fn classify(text: &str) -> CellValue {
    classify_trimmed(text.trim())
}

/// [`classify`] of a cell already trimmed (the whole-file profile trims once per cell).
pub(crate) fn classify_trimmed(trimmed: &str) -> CellValue {
    let Some(&first) = trimmed.as_bytes().first() else {
        return CellValue::Null;
    };
    let starts_like_number =
        first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'(' | b'.') || starts_with_thai_digit(trimmed);
    if starts_like_number {
        if is_null_placeholder(trimmed) {
            return CellValue::Null;
        }
        if let Some(value) = classify_number(trimmed) {
            return value;
        }
        if let Some((date, buddhist_era)) = parse_date(trimmed) {
            return CellValue::Date { date, buddhist_era };
        }
        return CellValue::Text;
    }
    if trimmed.len() <= 5 {
        if is_null_placeholder(trimmed) {
            return CellValue::Null;
        }
        if trimmed.eq_ignore_ascii_case("true") || trimmed.eq_ignore_ascii_case("false") {
            return CellValue::Boolean;
        }
    }
    CellValue::Text
}

fn is_null_placeholder(trimmed: &str) -> bool {
    matches!(
        trimmed,
        "-" | "–" | "—" | "--" | "n/a" | "N/A" | "NA" | "na" | "null" | "NULL" | "None" | "#N/A"
    )
}

fn starts_with_thai_digit(text: &str) -> bool {
    text.chars().next().is_some_and(|c| thai_digit_value(c).is_some())
}

fn thai_digit_value(c: char) -> Option<u32> {
    ('๐'..='๙').contains(&c).then(|| c as u32 - '๐' as u32)
}

/// The value 0–9 of an ASCII or Thai digit.
fn digit_value(c: char) -> Option<u32> {
    c.to_digit(10).or_else(|| thai_digit_value(c))
}

/// Parses integers, decimals and percentages: optional sign or accounting parentheses, ASCII or Thai
/// digits, thousands separators in groups of three, one decimal point, optional trailing `%`.
fn classify_number(trimmed: &str) -> Option<CellValue> {
    let mut normalized = [0u8; 48];
    let mut len = 0usize;
    let mut push = |byte: u8, len: &mut usize| -> Option<()> {
        *normalized.get_mut(*len)? = byte;
        *len += 1;
        Some(())
    };
    let mut body = trimmed;
    let mut percent = false;
    if let Some(rest) = body.strip_suffix('%') {
        body = rest.trim_end();
        percent = true;
    }
    if let Some(inner) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        body = inner;
        push(b'-', &mut len)?;
    } else if let Some(rest) = body.strip_prefix('-') {
        body = rest;
        push(b'-', &mut len)?;
    } else if let Some(rest) = body.strip_prefix('+') {
        body = rest;
    }
    let mut integer_digits = 0usize;
    let mut fraction_digits = 0usize;
    let mut seen_point = false;
    let mut seen_comma = false;
    let mut group_digits = 0usize;
    let mut first_digit: Option<u32> = None;
    let mut whole: u64 = 0;
    for c in body.chars() {
        if let Some(d) = digit_value(c) {
            if seen_point {
                fraction_digits += 1;
            } else {
                integer_digits += 1;
                group_digits += 1;
                first_digit.get_or_insert(d);
                whole = whole.wrapping_mul(10).wrapping_add(u64::from(d));
            }
            // `d` is 0..=9, so the cast cannot truncate.
            push(b'0' + d as u8, &mut len)?;
        } else if c == ',' && !seen_point {
            let group_ok = if seen_comma {
                group_digits == 3
            } else {
                (1..=3).contains(&group_digits)
            };
            if !group_ok {
                return None;
            }
            seen_comma = true;
            group_digits = 0;
        } else if c == '.' && !seen_point {
            if seen_comma && group_digits != 3 {
                return None;
            }
            seen_point = true;
            push(b'.', &mut len)?;
        } else {
            return None;
        }
    }
    if integer_digits + fraction_digits == 0 || (seen_point && fraction_digits == 0 && integer_digits == 0) {
        return None;
    }
    if seen_comma && !seen_point && group_digits != 3 {
        return None;
    }
    let plain_digits = !seen_comma && !seen_point && !percent && normalized.first() != Some(&b'-');
    if plain_digits && (integer_digits == 13 || integer_digits > 15 || (integer_digits > 1 && first_digit == Some(0))) {
        return Some(CellValue::Identifier);
    }
    let value: f64 = if !seen_point && integer_digits <= 15 {
        // exact: at most 15 digits, below 2^53
        let magnitude = whole as f64;
        if normalized.first() == Some(&b'-') {
            -magnitude
        } else {
            magnitude
        }
    } else {
        std::str::from_utf8(normalized.get(..len)?).ok()?.parse().ok()?
    };
    Some(if percent {
        CellValue::Percentage(value)
    } else if fraction_digits > 0 {
        CellValue::Decimal(value)
    } else {
        CellValue::Integer(value)
    })
}

/// Reads a run of ASCII/Thai digits from the front of `text`; returns (value, digit count, rest).
fn take_number(text: &str) -> Option<(i32, usize, &str)> {
    let mut value: i32 = 0;
    let mut count = 0usize;
    let mut consumed = 0usize;
    for c in text.chars() {
        let Some(d) = digit_value(c) else { break };
        if count == 6 {
            return None;
        }
        // At most 6 digits, so this cannot overflow an i32; `d` is 0..=9.
        value = value * 10 + d as i32;
        count += 1;
        consumed += c.len_utf8();
    }
    (count > 0).then(|| (value, count, &text[consumed..]))
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Turns a written year into a Gregorian one; years ≥ 2400 are Buddhist era.
fn resolve_year(written: i32, digits: usize) -> Option<(i32, bool)> {
    let (year, buddhist_era) = match digits {
        4 if written >= FIRST_BUDDHIST_ERA_YEAR => (written - BUDDHIST_ERA_OFFSET, true),
        4 => (written, false),
        // Two-digit years next to Thai month names are Buddhist era (67 → 2567).
        2 => (2500 + written - BUDDHIST_ERA_OFFSET, true),
        _ => return None,
    };
    (1800..=2200).contains(&year).then_some((year, buddhist_era))
}

fn make_date(year: i32, month: i32, day: i32) -> Option<CivilDate> {
    let month = u8::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
    let day = u8::try_from(day)
        .ok()
        .filter(|d| *d >= 1 && *d <= days_in_month(year, month))?;
    Some(CivilDate { year, month, day })
}

/// A time of day after a date (`10:30`, `T03:33:09.000+07:00`) is accepted and ignored.
fn is_time_tail(rest: &str) -> bool {
    let rest = rest.trim_start_matches(['T', ' ']);
    rest.is_empty()
        || (rest.as_bytes().first().is_some_and(u8::is_ascii_digit)
            && rest.contains(':')
            && rest.bytes().all(|b| b.is_ascii_digit() || b":.+-Z ".contains(&b)))
}

/// Parses `d/m/yyyy` (also `-` and `.`; month-first when unambiguous), ISO `yyyy-mm-dd[Ttime]`, and
/// `d <month name> yyyy` with Thai full or abbreviated month names or English ones.
pub fn parse_date(trimmed: &str) -> Option<(CivilDate, bool)> {
    let (first, first_digits, rest) = take_number(trimmed)?;
    let separator = rest.chars().next()?;
    if matches!(separator, '/' | '-' | '.') {
        let (second, _, rest2) = take_number(&rest[1..])?;
        if !rest2.starts_with(separator) {
            return None;
        }
        let (third, third_digits, tail) = take_number(&rest2[1..])?;
        if !is_time_tail(tail) {
            return None;
        }
        if first_digits == 4 && separator == '-' {
            let (year, be) = resolve_year(first, 4)?;
            return make_date(year, second, third).map(|d| (d, be));
        }
        if third_digits != 4 || first_digits > 2 {
            return None;
        }
        let (year, be) = resolve_year(third, 4)?;
        let date = make_date(year, second, first).or_else(|| make_date(year, first, second))?;
        return Some((date, be));
    }
    if first_digits > 2 {
        return None;
    }
    let rest = rest.trim_start();
    let month_end = rest.find(|c: char| c.is_whitespace() || digit_value(c).is_some())?;
    let month = month_number(&rest[..month_end])?;
    let year_text = rest[month_end..].trim_start();
    let year_text = year_text.strip_prefix("พ.ศ.").map_or(year_text, str::trim_start);
    let (written_year, year_digits, tail) = take_number(year_text)?;
    if !is_time_tail(tail) {
        return None;
    }
    let (year, be) = resolve_year(written_year, year_digits)?;
    make_date(year, month, first).map(|d| (d, be))
}

fn month_number(token: &str) -> Option<i32> {
    let position = if token.is_ascii() {
        let lower = token.get(..3)?.to_ascii_lowercase();
        ENGLISH_MONTHS.iter().position(|m| *m == lower)
    } else if let Some(p) = THAI_MONTHS_FULL.iter().position(|m| *m == token) {
        Some(p)
    } else {
        let without_dots: String = token.chars().filter(|c| *c != '.').collect();
        THAI_MONTHS_SHORT.iter().position(|m| *m == without_dots)
    }?;
    // position < 12
    Some(position as i32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u8, day: u8) -> CivilDate {
        CivilDate { year, month, day }
    }

    #[test]
    fn numbers_with_thousands_separators_and_padding() {
        assert_eq!(classify(" 2,000,000 "), CellValue::Integer(2_000_000.0));
        assert_eq!(classify("1,000"), CellValue::Integer(1000.0));
        assert_eq!(classify("4,710,600"), CellValue::Integer(4_710_600.0));
        assert_eq!(classify("-12.5"), CellValue::Decimal(-12.5));
        assert_eq!(classify("(1,234.50)"), CellValue::Decimal(-1234.5));
        assert_eq!(classify("43.65988946109805"), CellValue::Decimal(43.65988946109805));
        assert_eq!(classify("12.5%"), CellValue::Percentage(12.5));
        assert_eq!(classify("1,00"), CellValue::Text);
        assert_eq!(classify("12,3456"), CellValue::Text);
        assert_eq!(classify("2022.3.17.0"), CellValue::Text);
        assert_eq!(classify("(2,000)"), CellValue::Integer(-2000.0));
        assert_eq!(classify("50%"), CellValue::Percentage(50.0));
        assert_eq!(
            classify("999,999,999,999,999"),
            CellValue::Integer(999_999_999_999_999.0)
        );
        assert_eq!(
            classify("1,234,567,890,123,456,789"),
            CellValue::Integer(1_234_567_890_123_456_789.0),
            "past 15 digits the value is parsed, not summed"
        );
    }

    #[test]
    fn thai_digits_are_numbers() {
        assert_eq!(classify("๒๕๖๗"), CellValue::Integer(2567.0));
        assert_eq!(classify("๑,๐๐๐.๕"), CellValue::Decimal(1000.5));
        assert_eq!(
            classify("๑๔/๖/๒๕๖๗"),
            CellValue::Date {
                date: date(2024, 6, 14),
                buddhist_era: true
            }
        );
    }

    #[test]
    fn thirteen_digit_ids_and_leading_zeros_stay_text() {
        assert_eq!(classify("0105558001234"), CellValue::Identifier);
        assert_eq!(classify("3100600123456"), CellValue::Identifier);
        assert_eq!(classify("0111"), CellValue::Identifier);
        assert_eq!(classify("01"), CellValue::Identifier);
        assert_eq!(classify("0"), CellValue::Integer(0.0));
        assert_eq!(classify("0.5"), CellValue::Decimal(0.5));
        assert_eq!(classify("10200"), CellValue::Integer(10200.0));
    }

    #[test]
    fn buddhist_era_dates_convert_to_gregorian() {
        assert_eq!(parse_date("12/1/2558"), Some((date(2015, 1, 12), true)));
        assert_eq!(parse_date("30/1/2558"), Some((date(2015, 1, 30), true)));
        assert_eq!(parse_date("29/2/2563"), Some((date(2020, 2, 29), true)));
        assert_eq!(parse_date("29/2/2562"), None, "2019 is not a leap year");
        assert_eq!(parse_date("12/31/2015"), Some((date(2015, 12, 31), false)));
        assert_eq!(
            parse_date("2019-08-09T03:33:09.000+07:00"),
            Some((date(2019, 8, 9), false))
        );
        assert_eq!(parse_date("2567-06-14"), Some((date(2024, 6, 14), true)));
    }

    #[test]
    fn thai_month_names() {
        assert_eq!(parse_date("14 มิ.ย. 2567"), Some((date(2024, 6, 14), true)));
        assert_eq!(parse_date("1 มกราคม 2558"), Some((date(2015, 1, 1), true)));
        assert_eq!(parse_date("5 ธ.ค. 67"), Some((date(2024, 12, 5), true)));
        assert_eq!(parse_date("14 มิถุนายน พ.ศ. 2567"), Some((date(2024, 6, 14), true)));
        assert_eq!(parse_date("3 Mar 2024"), Some((date(2024, 3, 3), false)));
        assert_eq!(parse_date("14 มิ.ย."), None);
        assert_eq!(parse_date("1 อาคารกลาสเฮ้าส์ ชั้นที่ 12"), None);
    }

    #[test]
    fn nulls_booleans_and_text() {
        assert_eq!(classify("   "), CellValue::Null);
        assert_eq!(classify("-"), CellValue::Null);
        assert_eq!(classify("N/A"), CellValue::Null);
        assert_eq!(classify("False"), CellValue::Boolean);
        assert_eq!(classify("TRUE"), CellValue::Boolean);
        assert_eq!(classify("กรุงเทพมหานคร"), CellValue::Text);
        assert_eq!(classify("283/55 อาคาร"), CellValue::Text);
        assert_eq!(classify("-x"), CellValue::Text);
    }
}
