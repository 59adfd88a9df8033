//! One cell to one field's stored value, driven by the schema field: Buddhist-era and Common-era dates
//! (text in several forms or real Excel dates) to ISO, yes/no labels to `"True"`/`"False"`, choice labels
//! to choice values with multi-value cells split, unknown choices to the field's "other" value plus its
//! companion text, tags split on commas. Nothing is dropped: a value that cannot be read is kept as typed
//! and reported, so validation can point at it. Where the ADC's own importer would treat the cell
//! differently, the note says so.

use catalog_error::Bilingual;
use catalog_schema::{parse_thai, record, Field, ValueKind, Widget};
use serde::Serialize;
use serde_json::{json, Value};

use crate::workbook::Cell;

/// Buddhist era = Common era + 543; years from 2400 are read as Buddhist era.
const BE_OFFSET: i32 = 543;
const FIRST_BE_YEAR: i32 = 2400;
/// Separators between several values in one cell (tags and multi-select choices).
const SEPARATORS: [char; 3] = [',', ';', '\n'];

/// How serious a cell note is: an error stops the row, a warning is imported and shown, info says what
/// Catalog Desk did differently from the ADC's importer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// A note about one cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Note {
    pub level: Level,
    pub code: &'static str,
    pub message: Bilingual,
}

impl Note {
    pub fn new(level: Level, code: &'static str, th: impl Into<String>, en: impl Into<String>) -> Note {
        Note {
            level,
            code,
            message: Bilingual::new(th, en),
        }
    }
}

/// Which template the cell came from: the NSO one gets notes comparing with the ADC's importer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Nso,
    Ours,
}

/// A converted cell: the field's value (`Null` when empty), the companion's value when the field has
/// an "other" companion, and notes.
#[derive(Debug, Clone, PartialEq)]
pub struct Converted {
    pub value: Value,
    pub companion: Option<(String, Value)>,
    pub notes: Vec<Note>,
}

pub fn convert(field: &Field, cell: &Cell, origin: Origin) -> Converted {
    let mut out = Converted {
        value: Value::Null,
        companion: None,
        notes: Vec::new(),
    };
    if let Cell::Error(e) = cell {
        out.notes.push(Note::new(
            Level::Warning,
            "cell_error",
            format!("เซลล์มีค่าผิดพลาด {e} จึงไม่นำเข้าค่านี้"),
            format!("The cell holds the error {e}; nothing was imported from it."),
        ));
        return out;
    }
    if field.widget == Widget::Date {
        date(cell, origin, &mut out);
    } else if field.value_kind == ValueKind::TrueFalse || field.widget == Widget::YesNo {
        yes_no(field, cell, origin, &mut out);
    } else if field.value_kind == ValueKind::Tags {
        tags(cell, origin, &mut out);
    } else if !field.choices.is_empty() {
        choice(field, cell, origin, &mut out);
    } else {
        let text = cell.text();
        if !text.is_empty() {
            out.value = json!(text);
        }
    }
    out
}

fn date(cell: &Cell, origin: Origin, out: &mut Converted) {
    match cell {
        Cell::Date(y, m, d) => {
            let stored = format!("{y:04}-{m:02}-{d:02}");
            if *y >= FIRST_BE_YEAR {
                out.value = json!(format!("{:04}-{m:02}-{d:02}", y - BE_OFFSET));
            } else {
                out.value = json!(stored);
                if origin == Origin::Nso {
                    out.notes.push(Note::new(
                        Level::Info,
                        "date_cell_common_era",
                        format!("เซลล์วันที่เก็บปี ค.ศ. ({stored}) ใช้ค่านี้ตามเดิม ระบบบัญชีข้อมูลจะลบ 543 ปีแล้วบันทึกเป็นค่าว่าง"),
                        format!("The date cell stores a Common-era year ({stored}); kept as it is. The catalog's importer would subtract 543 years and store nothing."),
                    ));
                }
            }
        }
        Cell::Empty => {}
        other => {
            let text = other.text();
            if text.is_empty() {
                return;
            }
            match read_date_text(&text) {
                Some((iso, year_only)) => {
                    out.value = json!(iso);
                    if year_only {
                        out.notes.push(Note::new(
                            Level::Warning,
                            "date_year_only",
                            format!("\"{text}\" มีแต่ปี จึงบันทึกเป็นวันที่ 1 มกราคม ({iso}) เช่นเดียวกับระบบบัญชีข้อมูล"),
                            format!("\"{text}\" is a year only; recorded as 1 January ({iso}), as the catalog does."),
                        ));
                    } else if origin == Origin::Nso && !year_first(&text) {
                        out.notes.push(Note::new(
                            Level::Info,
                            "date_day_first",
                            format!("อ่าน \"{text}\" เป็น {iso} ระบบบัญชีข้อมูลอ่านรูปแบบนี้ไม่ได้และจะบันทึกเป็นค่าว่าง"),
                            format!("Read \"{text}\" as {iso}; the catalog's importer cannot read this form and would store nothing."),
                        ));
                    } else if origin == Origin::Nso && text[..4].parse::<i32>().is_ok_and(|y| y < FIRST_BE_YEAR) {
                        out.notes.push(Note::new(
                            Level::Info,
                            "date_common_era_text",
                            format!("\"{text}\" เป็นปี ค.ศ. จึงใช้ {iso} ระบบบัญชีข้อมูลจะลบ 543 ปีและได้วันที่ผิด"),
                            format!("\"{text}\" has a Common-era year, so {iso} is used; the catalog's importer would subtract 543 years and get a wrong date."),
                        ));
                    }
                }
                None => {
                    out.value = json!(text);
                    out.notes.push(Note::new(
                        Level::Warning,
                        "date_unreadable",
                        format!("อ่าน \"{text}\" เป็นวันที่ไม่ได้ เก็บข้อความไว้ตามเดิม โปรดแก้เป็น ปปปป-ดด-วว (พ.ศ.)"),
                        format!("\"{text}\" is not a readable date; kept as typed. Use YYYY-MM-DD (Buddhist era)."),
                    ));
                }
            }
        }
    }
}

/// Whether the text starts with a 4-digit year, the only form the ADC's importer reads.
fn year_first(text: &str) -> bool {
    text.len() >= 4 && text.is_char_boundary(4) && text[..4].bytes().all(|b| b.is_ascii_digit())
}

/// A typed date: year first (`2567-03-31`, `2567/3/31`, `25670331`, a year alone) or anything
/// `parse_thai` reads (day first, Thai month names). Returns ISO and whether only a year was given.
pub fn read_date_text(text: &str) -> Option<(String, bool)> {
    let digits: String = text
        .chars()
        .map(|c| match c {
            '๐'..='๙' => char::from_digit(c as u32 - '๐' as u32, 10).unwrap_or(c),
            other => other,
        })
        .collect();
    let digits = digits.trim();
    let era = |year: i32| if year >= FIRST_BE_YEAR { year - BE_OFFSET } else { year };
    let iso = |y: i32, m: u32, d: u32| {
        let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
        let date = time::Date::from_calendar_date(era(y), month, u8::try_from(d).ok()?).ok()?;
        Some(format!(
            "{:04}-{:02}-{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        ))
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if digits.len() == 4 && all_digits(digits) {
        return iso(digits.parse().ok()?, 1, 1).map(|d| (d, true));
    }
    if digits.len() == 8 && all_digits(digits) {
        return iso(
            digits[..4].parse().ok()?,
            digits[4..6].parse().ok()?,
            digits[6..].parse().ok()?,
        )
        .map(|d| (d, false));
    }
    let date_part = digits.split([' ', 'T']).next().unwrap_or_default();
    let parts: Vec<&str> = date_part.split(['-', '/', '.']).collect();
    if let [y, m, d] = parts[..] {
        if y.len() == 4 && all_digits(y) && all_digits(m) && all_digits(d) {
            return iso(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).map(|d| (d, false));
        }
    }
    parse_thai(digits).ok().map(|d| (d, false))
}

/// The choice a cell's text names: its value or its Thai or English label (Latin letters in any case).
fn match_choice<'a>(field: &'a Field, text: &str) -> Option<&'a str> {
    let text = text.trim();
    field
        .choices
        .iter()
        .find(|c| {
            c.value == text
                || c.label.th == text
                || c.value.eq_ignore_ascii_case(text)
                || c.label.en.eq_ignore_ascii_case(text)
        })
        .map(|c| c.value.as_str())
}

fn yes_no(field: &Field, cell: &Cell, origin: Origin, out: &mut Converted) {
    let text = match cell {
        Cell::Bool(b) => record::bool_string(*b).to_owned(),
        other => other.text(),
    };
    if text.is_empty() {
        if origin == Origin::Nso {
            out.notes.push(Note::new(
                Level::Info,
                "yes_no_empty",
                format!(
                    "\"{}\" ว่าง จึงเว้นว่างไว้ ระบบบัญชีข้อมูลจะบันทึกเป็น \"ใช่\" (True)",
                    field.label.th
                ),
                format!(
                    "\"{}\" is empty and stays empty; the catalog's importer would record \"yes\" (True).",
                    field.label.en
                ),
            ));
        }
        return;
    }
    match match_choice(field, &text) {
        Some(value) => out.value = json!(value),
        None => {
            out.value = json!(text);
            out.notes.push(Note::new(
                Level::Warning,
                "yes_no_unknown",
                format!(
                    "\"{text}\" ไม่ใช่ค่าของ \"{}\" เก็บข้อความไว้ตามเดิม โปรดเลือกใช่หรือไม่ใช่",
                    field.label.th
                ),
                format!(
                    "\"{text}\" is not a value of \"{}\"; kept as typed. Choose yes or no.",
                    field.label.en
                ),
            ));
        }
    }
}

fn tags(cell: &Cell, origin: Origin, out: &mut Converted) {
    let text = cell.text();
    if text.is_empty() {
        return;
    }
    let pieces: Vec<&str> = text.split(SEPARATORS).map(str::trim).collect();
    let tags: Vec<&str> = pieces.iter().copied().filter(|t| !t.is_empty()).collect();
    if origin == Origin::Nso && tags.len() < pieces.len() {
        out.notes.push(Note::new(
            Level::Info,
            "tags_empty_piece",
            "ตัดคำสำคัญที่ว่าง (จุลภาคซ้ำหรือท้ายข้อความ) ออก ระบบบัญชีข้อมูลจะไม่สร้างชุดข้อมูลนี้เพราะมีคำสำคัญว่าง",
            "Empty tags (a doubled or trailing comma) were dropped; the catalog's importer would refuse the row for the empty tag.",
        ));
    }
    out.value = json!(tags);
}

fn choice(field: &Field, cell: &Cell, origin: Origin, out: &mut Converted) {
    let text = cell.text();
    let list = field.value_kind == ValueKind::List;
    let other_value = field.other_values.iter().find(|v| field.choice(v).is_some()).cloned();
    if let Some(companion) = &field.other_field {
        out.companion = Some((companion.clone(), Value::Null));
    }
    if text.is_empty() {
        return;
    }
    if let Some(value) = match_choice(field, &text) {
        out.value = if list { json!([value]) } else { json!(value) };
        return;
    }
    let pieces: Vec<&str> = if list {
        text.split(SEPARATORS)
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect()
    } else {
        vec![text.as_str()]
    };
    let mut values: Vec<String> = Vec::new();
    let mut unknown: Vec<&str> = Vec::new();
    for piece in &pieces {
        match match_choice(field, piece) {
            Some(v) if !values.iter().any(|x| x == v) => values.push(v.to_owned()),
            Some(_) => {}
            None => unknown.push(piece),
        }
    }
    if list && pieces.len() > 1 && origin == Origin::Nso {
        out.notes.push(Note::new(
            Level::Info,
            "multi_value_split",
            format!("แยก \"{text}\" เป็น {} ค่า ระบบบัญชีข้อมูลไม่แยกค่า และจะบันทึกเป็น \"อื่นๆ\" พร้อมข้อความทั้งหมด", pieces.len()),
            format!("Split \"{text}\" into {} values; the catalog's importer does not split and would record \"other\" with the whole text.", pieces.len()),
        ));
    }
    if !unknown.is_empty() {
        let unknown_text = unknown.join(", ");
        match (&field.other_field, &other_value) {
            (Some(companion), Some(other)) => {
                if !values.contains(other) {
                    values.push(other.clone());
                }
                out.companion = Some((companion.clone(), json!(unknown_text)));
                out.notes.push(Note::new(
                    Level::Warning,
                    "choice_other",
                    format!("\"{unknown_text}\" ไม่อยู่ในรายการของ \"{}\" จึงบันทึกเป็น \"{other}\" และเก็บข้อความไว้ในช่องระบุ", field.label.th),
                    format!("\"{unknown_text}\" is not a choice of \"{}\"; recorded as \"{other}\" with the text in its companion field.", field.label.en),
                ));
            }
            _ => {
                values.extend(unknown.iter().map(|u| (*u).to_owned()));
                out.notes.push(Note::new(
                    Level::Warning,
                    "choice_unknown",
                    format!("\"{unknown_text}\" ไม่อยู่ในรายการของ \"{}\" เก็บไว้ตามเดิม", field.label.th),
                    format!(
                        "\"{unknown_text}\" is not a choice of \"{}\"; kept as typed.",
                        field.label.en
                    ),
                ));
            }
        }
    }
    out.value = if list {
        json!(values)
    } else {
        json!(values.into_iter().next().unwrap_or_default())
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use catalog_schema::{Schema, Scope};

    fn field(key: &str) -> &'static Field {
        Schema::built_in().field(Scope::Dataset, key).unwrap()
    }

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    #[test]
    fn dates_in_every_form() {
        let f = field("last_updated_date");
        let value = |c: Cell| convert(f, &c, Origin::Nso).value;
        assert_eq!(value(text("2567-03-31")), json!("2024-03-31"));
        assert_eq!(value(text("2567/3/31")), json!("2024-03-31"));
        assert_eq!(value(text("25670331")), json!("2024-03-31"));
        assert_eq!(value(text("15/01/2566")), json!("2023-01-15"));
        assert_eq!(value(text("2024-03-31")), json!("2024-03-31"));
        assert_eq!(value(text("2566")), json!("2023-01-01"));
        assert_eq!(value(Cell::Date(2566, 6, 30)), json!("2023-06-30"));
        assert_eq!(value(Cell::Date(2023, 9, 30)), json!("2023-09-30"));
        assert_eq!(value(Cell::Number(2566.0)), json!("2023-01-01"));
        let bad = convert(f, &text("เมื่อวาน"), Origin::Nso);
        assert_eq!(bad.value, json!("เมื่อวาน"));
        assert_eq!(bad.notes[0].code, "date_unreadable");
        assert_eq!(
            convert(f, &text("15/01/2566"), Origin::Nso).notes[0].code,
            "date_day_first"
        );
        assert!(convert(f, &text("2567-03-31"), Origin::Nso).notes.is_empty());
    }

    #[test]
    fn yes_no_reads_labels_and_leaves_empty_empty() {
        let f = field("high_value_dataset");
        assert_eq!(convert(f, &text("ใช่"), Origin::Nso).value, json!("True"));
        assert_eq!(convert(f, &text("ไม่ใช่"), Origin::Nso).value, json!("False"));
        assert_eq!(convert(f, &text("yes"), Origin::Ours).value, json!("True"));
        let empty = convert(f, &Cell::Empty, Origin::Nso);
        assert_eq!((empty.value, empty.notes[0].code), (Value::Null, "yes_no_empty"));
    }

    #[test]
    fn choices_split_and_fall_back_to_other() {
        let objective = field("objective");
        let both = convert(objective, &text("ยุทธศาสตร์ชาติ, พันธกิจหน่วยงาน"), Origin::Nso);
        assert_eq!(both.value, json!(["ยุทธศาสตร์ชาติ", "พันธกิจหน่วยงาน"]));
        assert_eq!(both.companion, Some(("objective_other".into(), Value::Null)));
        assert_eq!(both.notes[0].code, "multi_value_split");
        let unit = convert(field("update_frequency_unit"), &text("ปีงบประมาณ"), Origin::Nso);
        assert_eq!(unit.value, json!("อื่นๆ"));
        assert_eq!(
            unit.companion,
            Some(("update_frequency_unit_other".into(), json!("ปีงบประมาณ")))
        );
        let scale = convert(field("equivalent_scale"), &text("1:50,000"), Origin::Nso);
        assert_eq!(scale.value, json!("1:50,000"), "a single choice is never split");
        let mixed = convert(field("data_language"), &text("ไทย, เหนือ"), Origin::Nso);
        assert_eq!(mixed.value, json!(["ไทย", "อื่นๆ"]));
        assert_eq!(mixed.companion.unwrap().1, json!("เหนือ"));
    }

    #[test]
    fn tags_split_on_commas() {
        let f = field("tag_string");
        let t = convert(f, &text("ก่อน, หลัง,,"), Origin::Nso);
        assert_eq!(t.value, json!(["ก่อน", "หลัง"]));
        assert_eq!(t.notes[0].code, "tags_empty_piece");
    }
}
