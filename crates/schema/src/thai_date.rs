//! Buddhist-era dates for the Thai UI: ISO `YYYY-MM-DD` (what the ADC stores) shown as `14 มิ.ย. 2567`, and
//! typed Thai input (`14/6/2567`, `14 มิ.ย. 2567`, `14 มิถุนายน 2567`, Thai digits, or ISO) read back to ISO.
//! Calendar arithmetic is the `time` crate's; this module only knows Thai month names and the era offset.

use catalog_error::{ToUserMessage, UserMessage};
use thiserror::Error;
use time::macros::format_description;
use time::{Date, Month};

/// Buddhist era = Common era + 543.
const BE_OFFSET: i32 = 543;
/// Years from here on are read as Buddhist era; below it as Common era (no Thai date needs CE 2400+).
const FIRST_BE_YEAR: i32 = 2400;
/// Thai month names: abbreviation, full name.
const MONTHS: [(&str, &str); 12] = [
    ("ม.ค.", "มกราคม"),
    ("ก.พ.", "กุมภาพันธ์"),
    ("มี.ค.", "มีนาคม"),
    ("เม.ย.", "เมษายน"),
    ("พ.ค.", "พฤษภาคม"),
    ("มิ.ย.", "มิถุนายน"),
    ("ก.ค.", "กรกฎาคม"),
    ("ส.ค.", "สิงหาคม"),
    ("ก.ย.", "กันยายน"),
    ("ต.ค.", "ตุลาคม"),
    ("พ.ย.", "พฤศจิกายน"),
    ("ธ.ค.", "ธันวาคม"),
];
/// The era marker users may type before the year.
const ERA_MARKER: &str = "พ.ศ.";

/// A date that cannot be read or does not exist.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum DateError {
    #[error("not a date in a known form: {0:?}")]
    Unrecognised(String),
    #[error("no such day in the calendar: {0:?}")]
    NoSuchDay(String),
}

impl ToUserMessage for DateError {
    fn to_user_message(&self) -> UserMessage {
        match self {
            Self::Unrecognised(_) => UserMessage::new(
                "date.unrecognised",
                "อ่านวันที่ไม่ได้ กรุณากรอกเช่น 14/6/2567 หรือ 14 มิ.ย. 2567",
                "The date could not be read; type e.g. 14/6/2567 or 14 มิ.ย. 2567.",
            ),
            Self::NoSuchDay(_) => UserMessage::new(
                "date.no_such_day",
                "ไม่มีวันที่นี้ในปฏิทิน",
                "That day does not exist in the calendar.",
            ),
        }
    }
}

/// Parses a strict ISO `YYYY-MM-DD` date that exists in the calendar.
pub fn parse_iso(iso: &str) -> Result<Date, DateError> {
    let shape_ok = iso.len() == 10
        && iso.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape_ok {
        return Err(DateError::Unrecognised(iso.to_owned()));
    }
    Date::parse(iso, format_description!("[year]-[month]-[day]")).map_err(|_| DateError::NoSuchDay(iso.to_owned()))
}

/// `2024-06-14` → `14 มิ.ย. 2567`.
pub fn format_thai(iso: &str) -> Result<String, DateError> {
    let date = parse_iso(iso)?;
    let (abbreviation, _) = MONTHS[usize::from(u8::from(date.month())) - 1];
    Ok(format!("{} {} {}", date.day(), abbreviation, date.year() + BE_OFFSET))
}

/// Reads `14/6/2567`, `14-06-2567`, `14 มิ.ย. 2567`, `14 มิถุนายน พ.ศ. 2567`, Thai digits, or ISO
/// `2024-06-14`, and returns ISO. Years from 2400 are Buddhist era, earlier ones Common era; two-digit
/// years are refused as ambiguous.
pub fn parse_thai(input: &str) -> Result<String, DateError> {
    let typed: String = input.trim().chars().map(arabic_digit).collect();
    if parse_iso(&typed).is_ok() {
        return Ok(typed);
    }
    let unrecognised = || DateError::Unrecognised(input.to_owned());
    let (day, month, year) = if typed.contains(char::is_whitespace) {
        let parts: Vec<&str> = typed.split_whitespace().filter(|p| *p != ERA_MARKER).collect();
        let [day, month, year] = parts[..] else {
            return Err(unrecognised());
        };
        (
            number(day).ok_or_else(unrecognised)?,
            month_number(month).ok_or_else(unrecognised)?,
            year,
        )
    } else {
        let parts: Vec<&str> = typed.split(['/', '-', '.']).collect();
        let [day, month, year] = parts[..] else {
            return Err(unrecognised());
        };
        (
            number(day).ok_or_else(unrecognised)?,
            number(month).ok_or_else(unrecognised)?,
            year,
        )
    };
    if year.len() != 4 {
        return Err(unrecognised());
    }
    let year = i32::try_from(number(year).ok_or_else(unrecognised)?).map_err(|_| unrecognised())?;
    let year = if year >= FIRST_BE_YEAR { year - BE_OFFSET } else { year };
    let no_such_day = || DateError::NoSuchDay(input.to_owned());
    let month = Month::try_from(u8::try_from(month).map_err(|_| no_such_day())?).map_err(|_| no_such_day())?;
    let day = u8::try_from(day).map_err(|_| no_such_day())?;
    let date = Date::from_calendar_date(year, month, day).map_err(|_| no_such_day())?;
    Ok(format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    ))
}

fn arabic_digit(c: char) -> char {
    match c {
        '๐'..='๙' => char::from_digit(c as u32 - '๐' as u32, 10).unwrap_or(c),
        _ => c,
    }
}

fn number(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A Thai month name, abbreviated (dots optional) or full, or a month number.
fn month_number(s: &str) -> Option<u32> {
    let bare = |t: &str| t.replace('.', "");
    MONTHS
        .iter()
        .position(|(abbreviation, full)| *full == s || bare(abbreviation) == bare(s))
        .and_then(|i| u32::try_from(i + 1).ok())
        .or_else(|| number(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_iso_as_buddhist_era() {
        assert_eq!(format_thai("2024-06-14").unwrap(), "14 มิ.ย. 2567");
        assert_eq!(format_thai("2025-01-01").unwrap(), "1 ม.ค. 2568");
        assert_eq!(format_thai("2024-12-31").unwrap(), "31 ธ.ค. 2567");
    }

    #[test]
    fn refuses_to_format_what_is_not_a_real_iso_date() {
        assert!(matches!(format_thai("2024-02-30"), Err(DateError::NoSuchDay(_))));
        assert!(matches!(format_thai("14/6/2567"), Err(DateError::Unrecognised(_))));
        assert!(matches!(format_thai("2024-6-14"), Err(DateError::Unrecognised(_))));
    }

    #[test]
    fn parses_typed_thai_forms() {
        for typed in [
            "14/6/2567",
            "14/06/2567",
            "14-6-2567",
            "14 มิ.ย. 2567",
            "14 มิย 2567",
            "14 มิถุนายน 2567",
            "14 มิ.ย. พ.ศ. 2567",
            "๑๔/๖/๒๕๖๗",
            "2024-06-14",
            " 14/6/2024 ",
        ] {
            assert_eq!(parse_thai(typed).as_deref(), Ok("2024-06-14"), "{typed}");
        }
    }

    #[test]
    fn leap_days_follow_the_calendar() {
        assert_eq!(parse_thai("29/2/2567").as_deref(), Ok("2024-02-29"));
        assert!(matches!(parse_thai("29/2/2566"), Err(DateError::NoSuchDay(_))));
    }

    #[test]
    fn rejects_nonsense() {
        for typed in [
            "",
            "14/13/2567",
            "32/1/2567",
            "14/6/67",
            "14 จ. 2567",
            "yesterday",
            "14/6",
        ] {
            assert!(parse_thai(typed).is_err(), "{typed}");
        }
    }

    #[test]
    fn round_trips_through_the_thai_form() {
        for iso in ["2024-06-14", "1999-11-05", "2026-02-28"] {
            assert_eq!(parse_thai(&format_thai(iso).unwrap()).unwrap(), iso);
        }
    }
}
