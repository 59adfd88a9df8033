//! Draft validation mirroring the ADC (domain.md §2.2), driven by the schema: required fields, slug, unique
//! title, tags, e-mail, ISO dates, choice membership, `_other` companions, the update interval, and the
//! completeness score.
//!
//! Which fields are checked: the ADC form shows only the fields whose `form_data_type` lists the draft's
//! data type, but its API runs every required field's validators whatever the type. So every rule runs on
//! the fields the type shows; a required field the type hides is still reported (code
//! `required_hidden_field`, an error, because publishing would fail), and a hidden field that holds a value
//! still has that value checked (the API would check it). Without a known data type, the fields every
//! type shows are checked.
//!
//! Severity: `error` blocks publishing (the ADC would refuse the value, or the ADC form's own rules leave
//! the record incomplete); `warning` is accepted by the ADC but worth a look (a value outside a choice list
//! the server does not enforce, e.g. an older thai_gdc value).

use std::sync::LazyLock;

use catalog_error::Bilingual;
use regex::Regex;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::keys;
use crate::model::{Field, IntervalRule, Schema, Scope, ValueKind, Widget};
use crate::record::{is_filled, strings, text, DraftRecord, FALSE};
use crate::slug::{check_slug, SlugProblem};
use crate::tags::{check_tag, parse_tags, TagProblem};
use crate::thai_date::parse_iso;

/// CKAN's `email_validator` pattern (ckan/logic/validators.py).
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[\w.!#$%&'*+/=?^`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$",
    )
    .expect("the e-mail pattern compiles")
});

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// A stable machine code the UI may switch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    Required,
    RequiredHiddenField,
    SlugLength,
    SlugCharacters,
    SlugReserved,
    TitleDuplicate,
    TagsMissing,
    TagLength,
    TagCharacters,
    EmailInvalid,
    DateInvalid,
    ChoiceUnknown,
    OtherMissing,
    IntervalMissing,
    IntervalInvalid,
    IntervalUnexpected,
    HarvestForcedForPublic,
    /// The classification level is not one the data category allows.
    ClassificationNotAllowed,
    /// The classification (or unresolved personal-data hints) forbid a public dataset.
    MustBePrivate,
}

/// One problem, attached to a field key (and to a resource by index for resource fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Problem {
    pub field: String,
    pub resource: Option<usize>,
    pub code: ProblemCode,
    pub message: Bilingual,
    pub severity: Severity,
}

/// Required fields filled / required fields the draft's type shows (dataset level).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Completeness {
    pub filled: usize,
    pub total: usize,
}

impl Completeness {
    /// Whole percent, rounded down; 100 when nothing is required.
    pub fn percent(&self) -> u8 {
        if self.total == 0 {
            return 100;
        }
        u8::try_from(self.filled * 100 / self.total).unwrap_or(100)
    }
}

/// All problems of a draft. `other_titles` are the titles of the other local drafts (the title must be
/// unique; the ADC's own datasets are checked by the server at publish).
pub fn validate<S: AsRef<str>>(schema: &Schema, record: &DraftRecord, other_titles: &[S]) -> Vec<Problem> {
    let data_type = data_type_of(schema, record);
    let mut problems = Vec::new();
    check_map(schema, Scope::Dataset, &record.metadata, None, data_type, &mut problems);
    for (i, resource) in record.resources.iter().enumerate() {
        check_map(schema, Scope::Resource, resource, Some(i), data_type, &mut problems);
    }
    check_title(schema, record, other_titles, &mut problems);
    check_interval(schema, record, &mut problems);
    check_harvest(schema, record, &mut problems);
    problems
}

/// The completeness score of a draft's metadata.
pub fn completeness(schema: &Schema, record: &DraftRecord) -> Completeness {
    let data_type = data_type_of(schema, record);
    let required: Vec<&Field> = schema
        .dataset_fields()
        .iter()
        .filter(|f| f.required && shown(schema, f, data_type))
        .collect();
    let filled = required
        .iter()
        .filter(|f| filled(f, record.metadata.get(&f.key)))
        .count();
    Completeness {
        filled,
        total: required.len(),
    }
}

/// The draft's data type if the schema knows it.
fn data_type_of<'a>(schema: &Schema, record: &'a DraftRecord) -> Option<&'a str> {
    text(record.metadata.get(keys::DATA_TYPE)).filter(|dt| schema.data_types().iter().any(|t| t.value == *dt))
}

fn shown(schema: &Schema, field: &Field, data_type: Option<&str>) -> bool {
    match data_type {
        Some(dt) => field.shown_for(dt),
        None => schema.data_types().iter().all(|t| field.shown_for(&t.value)),
    }
}

fn filled(field: &Field, value: Option<&Value>) -> bool {
    match field.value_kind {
        ValueKind::Tags => value.is_some_and(|v| !parse_tags(v).is_empty()),
        _ => is_filled(value),
    }
}

fn check_map(
    schema: &Schema,
    scope: Scope,
    values: &Map<String, Value>,
    resource: Option<usize>,
    data_type: Option<&str>,
    problems: &mut Vec<Problem>,
) {
    for field in schema.fields(scope) {
        let value = values.get(&field.key);
        let is_shown = shown(schema, field, data_type);
        let mut report = |code, severity, message| {
            problems.push(Problem {
                field: field.key.clone(),
                resource,
                code,
                message,
                severity,
            });
        };
        if !filled(field, value) {
            if field.required {
                let (code, message) = match (field.value_kind, is_shown) {
                    (_, false) => (ProblemCode::RequiredHiddenField, msg_required_hidden(field)),
                    (ValueKind::Tags, true) => (ProblemCode::TagsMissing, msg_tags_missing(field)),
                    (_, true) => (ProblemCode::Required, msg_required(field)),
                };
                report(code, Severity::Error, message);
            }
            continue;
        }
        let Some(value) = value else { continue };
        check_value(field, value, &mut report);
        if is_shown {
            check_other(field, value, values, resource, schema, scope, problems);
        }
    }
}

fn check_value(field: &Field, value: &Value, report: &mut impl FnMut(ProblemCode, Severity, Bilingual)) {
    if field.value_kind == ValueKind::Tags {
        for tag in parse_tags(value) {
            match check_tag(&tag) {
                Ok(()) => {}
                Err(TagProblem::Length) => report(ProblemCode::TagLength, Severity::Error, msg_tag_length(field, &tag)),
                Err(TagProblem::Characters) => {
                    report(ProblemCode::TagCharacters, Severity::Error, msg_tag_chars(field, &tag))
                }
            }
        }
        return;
    }
    let values = strings(value);
    if field.widget == Widget::Slug {
        for slug in &values {
            if let Err(problem) = check_slug(slug) {
                let code = match problem {
                    SlugProblem::Length => ProblemCode::SlugLength,
                    SlugProblem::Characters => ProblemCode::SlugCharacters,
                    SlugProblem::Reserved => ProblemCode::SlugReserved,
                };
                report(code, Severity::Error, msg_slug(problem));
            }
        }
    }
    if field.email {
        for email in values.iter().filter(|e| !EMAIL.is_match(e.trim())) {
            report(ProblemCode::EmailInvalid, Severity::Error, msg_email(email));
        }
    }
    if field.iso_date {
        for date in values.iter().filter(|d| parse_iso(d).is_err()) {
            report(ProblemCode::DateInvalid, Severity::Error, msg_date(date));
        }
    }
    if !field.choices.is_empty() {
        let severity = if field.choices_enforced {
            Severity::Error
        } else {
            Severity::Warning
        };
        for unknown in values.iter().filter(|v| field.choice(v).is_none()) {
            report(ProblemCode::ChoiceUnknown, severity, msg_choice(field, unknown));
        }
    }
}

/// When an "other" value is chosen, its free-text companion must be filled.
fn check_other(
    field: &Field,
    value: &Value,
    values: &Map<String, Value>,
    resource: Option<usize>,
    schema: &Schema,
    scope: Scope,
    problems: &mut Vec<Problem>,
) {
    let Some(companion) = field.other_field.as_deref() else {
        return;
    };
    let chose_other = strings(value).iter().any(|v| field.other_values.contains(v));
    if chose_other && !is_filled(values.get(companion)) {
        let companion_label = schema.field(scope, companion).map_or(&field.label, |c| &c.label);
        problems.push(Problem {
            field: companion.to_owned(),
            resource,
            code: ProblemCode::OtherMissing,
            message: msg_other(field, companion_label),
            severity: Severity::Error,
        });
    }
}

fn check_title<S: AsRef<str>>(schema: &Schema, record: &DraftRecord, others: &[S], problems: &mut Vec<Problem>) {
    let Some(field) = schema.field(Scope::Dataset, keys::TITLE) else {
        return;
    };
    let Some(title) = text(record.metadata.get(keys::TITLE))
        .map(str::trim)
        .filter(|t| !t.is_empty())
    else {
        return;
    };
    if others.iter().any(|other| other.as_ref().trim() == title) {
        problems.push(Problem {
            field: keys::TITLE.to_owned(),
            resource: None,
            code: ProblemCode::TitleDuplicate,
            message: Bilingual::new(
                format!("\"{}\" \"{title}\" ซ้ำกับฉบับร่างอื่น", field.label.th),
                format!("Another draft already has the {} \"{title}\".", field.label.en),
            ),
            severity: Severity::Error,
        });
    }
}

/// The update interval must be a positive whole number when the chosen unit needs one, and should be empty
/// when the unit takes none (real time, never updated, unknown).
fn check_interval(schema: &Schema, record: &DraftRecord, problems: &mut Vec<Problem>) {
    let (Some(unit_field), Some(_)) = (
        schema.field(Scope::Dataset, keys::UPDATE_FREQUENCY_UNIT),
        schema.field(Scope::Dataset, keys::UPDATE_FREQUENCY_INTERVAL),
    ) else {
        return;
    };
    let Some(choice) = text(record.metadata.get(keys::UPDATE_FREQUENCY_UNIT)).and_then(|u| unit_field.choice(u)) else {
        return;
    };
    let interval = record.metadata.get(keys::UPDATE_FREQUENCY_INTERVAL);
    let mut report = |code, severity, message| {
        problems.push(Problem {
            field: keys::UPDATE_FREQUENCY_INTERVAL.to_owned(),
            resource: None,
            code,
            message,
            severity,
        });
    };
    let unit = &choice.label;
    match (choice.interval, is_filled(interval)) {
        (IntervalRule::Required, false) => report(
            ProblemCode::IntervalMissing,
            Severity::Error,
            Bilingual::new(
                format!("กรุณากรอกค่าความถี่ (ตัวเลข) สำหรับหน่วย \"{}\"", unit.th),
                format!("Enter the update interval (a number) for the unit \"{}\".", unit.en),
            ),
        ),
        (IntervalRule::Required | IntervalRule::Optional, true) if !interval.is_some_and(is_positive_whole) => report(
            ProblemCode::IntervalInvalid,
            Severity::Error,
            Bilingual::new(
                "ค่าความถี่ต้องเป็นจำนวนเต็มบวก เช่น 1",
                "The update interval must be a positive whole number, e.g. 1.",
            ),
        ),
        (IntervalRule::None, true) => report(
            ProblemCode::IntervalUnexpected,
            Severity::Warning,
            Bilingual::new(
                format!("หน่วย \"{}\" ไม่ต้องมีค่าความถี่ ควรเว้นว่าง", unit.th),
                format!("The unit \"{}\" takes no interval; leave it empty.", unit.en),
            ),
        ),
        _ => {}
    }
}

fn is_positive_whole(value: &Value) -> bool {
    match value {
        Value::Number(n) => n.as_u64().is_some_and(|n| n > 0),
        Value::String(s) => s.trim().parse::<u64>().is_ok_and(|n| n > 0),
        _ => false,
    }
}

/// thai_gdc forces GD Catalog consent for public datasets; a public draft that says "no" will be changed.
fn check_harvest(schema: &Schema, record: &DraftRecord, problems: &mut Vec<Problem>) {
    let (Some(harvest), Some(private)) = (
        schema.field(Scope::Dataset, keys::ALLOW_HARVEST),
        schema.field(Scope::Dataset, keys::PRIVATE),
    ) else {
        return;
    };
    let value_of = |field: &Field| record.metadata.get(&field.key).map(strings).unwrap_or_default();
    let is_public = value_of(private).iter().any(|v| v == FALSE);
    let refuses = value_of(harvest).iter().any(|v| v == FALSE);
    if is_public && refuses {
        problems.push(Problem {
            field: harvest.key.clone(),
            resource: None,
            code: ProblemCode::HarvestForcedForPublic,
            message: Bilingual::new(
                "ชุดข้อมูลที่เปิดเป็นสาธารณะจะยินยอมให้นำไปใช้ที่ GD-Catalog เสมอ ระบบบัญชีข้อมูลจะเปลี่ยนค่านี้เป็น \"ยินยอม\"",
                "Public datasets always consent to GD-Catalog; the catalog will set this to \"Yes\".",
            ),
            severity: Severity::Warning,
        });
    }
}

fn msg_required(field: &Field) -> Bilingual {
    Bilingual::new(
        format!("กรุณากรอก \"{}\"", field.label.th),
        format!("\"{}\" is required.", field.label.en),
    )
}

fn msg_required_hidden(field: &Field) -> Bilingual {
    Bilingual::new(
        format!(
            "ระบบบัญชีข้อมูลกำหนดให้กรอก \"{}\" แม้แบบฟอร์มจะไม่แสดงช่องนี้สำหรับชุดข้อมูลประเภทนี้",
            field.label.th
        ),
        format!(
            "The catalog requires \"{}\" even though this data type's form does not show it.",
            field.label.en
        ),
    )
}

fn msg_tags_missing(field: &Field) -> Bilingual {
    Bilingual::new(
        format!("กรุณาใส่ \"{}\" อย่างน้อย 1 คำ", field.label.th),
        format!("Add at least one entry to \"{}\".", field.label.en),
    )
}

fn msg_tag_length(field: &Field, tag: &str) -> Bilingual {
    Bilingual::new(
        format!("{} \"{tag}\" ต้องยาว 2–100 ตัวอักษร", field.label.th),
        format!("{} \"{tag}\" must be 2–100 characters long.", field.label.en),
    )
}

fn msg_tag_chars(field: &Field, tag: &str) -> Bilingual {
    Bilingual::new(
        format!("{} \"{tag}\" ใช้ได้เฉพาะตัวอักษร ตัวเลข ช่องว่าง และ - _ .", field.label.th),
        format!(
            "{} \"{tag}\" may hold only letters, digits, spaces and - _ .",
            field.label.en
        ),
    )
}

fn msg_slug(problem: SlugProblem) -> Bilingual {
    match problem {
        SlugProblem::Length => Bilingual::new("URL ต้องยาว 2–70 ตัวอักษร", "The URL must be 2–70 characters long."),
        SlugProblem::Characters => Bilingual::new(
            "URL ใช้ได้เฉพาะ a-z ตัวพิมพ์เล็ก ตัวเลข - และ _",
            "The URL may hold only lowercase a-z, digits, - and _.",
        ),
        SlugProblem::Reserved => Bilingual::new(
            "ห้ามใช้ new, edit หรือ search เป็น URL",
            "new, edit and search cannot be used as the URL.",
        ),
    }
}

fn msg_email(email: &str) -> Bilingual {
    Bilingual::new(
        format!("\"{email}\" ไม่ใช่อีเมลที่ถูกต้อง"),
        format!("\"{email}\" is not a valid e-mail address."),
    )
}

fn msg_date(date: &str) -> Bilingual {
    Bilingual::new(
        format!("\"{date}\" ไม่ใช่วันที่ที่ถูกต้อง (ปปปป-ดด-วว)"),
        format!("\"{date}\" is not a valid date (YYYY-MM-DD)."),
    )
}

fn msg_choice(field: &Field, value: &str) -> Bilingual {
    Bilingual::new(
        format!("\"{value}\" ไม่อยู่ในตัวเลือกของ \"{}\"", field.label.th),
        format!("\"{value}\" is not one of the choices of \"{}\".", field.label.en),
    )
}

fn msg_other(field: &Field, companion: &Bilingual) -> Bilingual {
    Bilingual::new(
        format!(
            "เลือก \"อื่นๆ\" ใน \"{}\" แล้ว กรุณากรอก \"{}\"",
            field.label.th, companion.th
        ),
        format!(
            "\"Other\" is chosen in \"{}\"; fill in \"{}\".",
            field.label.en, companion.en
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::full_record;
    use serde_json::json;

    const RECORD: &str = "ข้อมูลระเบียน";
    const NO_TITLES: [&str; 0] = [];

    fn schema() -> &'static Schema {
        Schema::built_in()
    }

    fn base() -> DraftRecord {
        full_record(schema(), RECORD)
    }

    fn with(key: &str, value: Value) -> DraftRecord {
        let mut record = base();
        record.metadata.insert(key.to_owned(), value);
        record
    }

    fn codes(record: &DraftRecord) -> Vec<(String, ProblemCode, Severity)> {
        validate(schema(), record, &NO_TITLES)
            .into_iter()
            .map(|p| (p.field, p.code, p.severity))
            .collect()
    }

    fn has(record: &DraftRecord, field: &str, code: ProblemCode, severity: Severity) -> bool {
        codes(record).contains(&(field.to_owned(), code, severity))
    }

    #[test]
    fn a_full_record_of_every_type_is_clean_and_complete() {
        for dt in schema().data_types() {
            let record = full_record(schema(), &dt.value);
            assert_eq!(codes(&record), vec![], "{}", dt.value);
            let score = completeness(schema(), &record);
            assert_eq!((score.filled, score.percent()), (score.total, 100), "{}", dt.value);
            assert!(score.total >= 14, "{}: {score:?}", dt.value);
        }
    }

    #[test]
    fn required_fields() {
        let mut record = base();
        record.metadata.remove("maintainer");
        record.metadata.insert("data_source".into(), json!("   "));
        record.metadata.insert("data_format".into(), json!([]));
        record.metadata.remove("owner_org");
        assert!(
            has(&record, "owner_org", ProblemCode::Required, Severity::Error),
            "owner_org_validator"
        );
        assert!(has(&record, "maintainer", ProblemCode::Required, Severity::Error));
        assert!(has(&record, "data_source", ProblemCode::Required, Severity::Error));
        assert!(has(&record, "data_format", ProblemCode::Required, Severity::Error));
        let problem = validate(schema(), &record, &NO_TITLES)
            .into_iter()
            .find(|p| p.field == "maintainer")
            .unwrap();
        assert!(
            problem.message.th.contains("ชื่อฝ่ายงานสำหรับติดต่อ"),
            "message names the schema label"
        );
        let score = completeness(schema(), &record);
        assert_eq!(score.filled + 4, score.total);
        assert!(score.percent() < 100);
    }

    #[test]
    fn resource_required_fields_point_at_the_resource() {
        let mut record = base();
        record.resources[1].remove("url");
        let problems = validate(schema(), &record, &NO_TITLES);
        assert!(problems
            .iter()
            .any(|p| p.field == "url" && p.resource == Some(1) && p.code == ProblemCode::Required));
    }

    #[test]
    fn required_fields_the_type_hides_are_still_reported() {
        let json = json!({"dataset_fields": [
            {"field_name": "data_type", "required": true,
             "choices": [{"value": "A"}, {"value": "B"}]},
            {"field_name": "only_b", "required": true, "form_data_type": ["B"]},
            {"field_name": "b_date", "preset": "date", "form_data_type": ["B"]}
        ]});
        let schema = Schema::from_server_value(json).unwrap();
        let mut record = DraftRecord::default();
        record.metadata.insert("data_type".into(), json!("A"));
        record.metadata.insert("b_date".into(), json!("14/6/2567"));
        let problems: Vec<_> = validate(&schema, &record, &NO_TITLES)
            .into_iter()
            .map(|p| (p.field, p.code))
            .collect();
        assert!(problems.contains(&("only_b".into(), ProblemCode::RequiredHiddenField)));
        assert!(
            problems.contains(&("b_date".into(), ProblemCode::DateInvalid)),
            "hidden values are still checked"
        );
        assert_eq!(
            completeness(&schema, &record),
            Completeness { filled: 1, total: 1 },
            "only shown fields count"
        );
    }

    #[test]
    fn without_a_known_type_only_the_common_fields_are_checked() {
        let mut record = base();
        record.metadata.remove("data_type");
        record.metadata.remove("data_collect");
        assert!(has(&record, "data_type", ProblemCode::Required, Severity::Error));
        record.metadata.insert("data_type".into(), json!("ข้อมูลระดับย่อย"));
        let score = completeness(schema(), &record);
        assert_eq!(score.total, completeness(schema(), &base()).total);
        assert!(has(&record, "data_type", ProblemCode::ChoiceUnknown, Severity::Warning));
    }

    #[test]
    fn slug_rule() {
        assert!(has(
            &with("name", json!("Population 2567")),
            "name",
            ProblemCode::SlugCharacters,
            Severity::Error
        ));
        assert!(has(
            &with("name", json!("a")),
            "name",
            ProblemCode::SlugLength,
            Severity::Error
        ));
        assert!(has(
            &with("name", json!("x".repeat(71))),
            "name",
            ProblemCode::SlugLength,
            Severity::Error
        ));
        assert!(has(
            &with("name", json!("edit")),
            "name",
            ProblemCode::SlugReserved,
            Severity::Error
        ));
        assert!(has(
            &with("name", json!("")),
            "name",
            ProblemCode::Required,
            Severity::Error
        ));
    }

    #[test]
    fn title_unique_among_local_drafts() {
        let record = base();
        let title = record.metadata["title"].as_str().unwrap().to_owned();
        let dup = validate(schema(), &record, &[format!(" {title} ")]);
        assert!(dup
            .iter()
            .any(|p| p.field == "title" && p.code == ProblemCode::TitleDuplicate));
        assert!(validate(schema(), &record, &["อีกชื่อหนึ่ง"]).is_empty());
    }

    #[test]
    fn tags_rule() {
        assert!(has(
            &with("tag_string", json!([])),
            "tag_string",
            ProblemCode::TagsMissing,
            Severity::Error
        ));
        assert!(has(
            &with("tag_string", json!(" , ")),
            "tag_string",
            ProblemCode::TagsMissing,
            Severity::Error
        ));
        assert!(has(
            &with("tag_string", json!(["ก/ข"])),
            "tag_string",
            ProblemCode::TagCharacters,
            Severity::Error
        ));
        assert!(has(
            &with("tag_string", json!("ok, x")),
            "tag_string",
            ProblemCode::TagLength,
            Severity::Error
        ));
        assert_eq!(codes(&with("tag_string", json!("สถิติ, ผู้ป่วย, covid-19"))), vec![]);
    }

    #[test]
    fn email_rule() {
        let bad = with("maintainer_email", json!("stat at agency"));
        assert!(has(
            &bad,
            "maintainer_email",
            ProblemCode::EmailInvalid,
            Severity::Error
        ));
        assert_eq!(
            codes(&with("maintainer_email", json!("data.unit+1@moph.go.th"))),
            vec![]
        );
    }

    #[test]
    fn iso_date_rule() {
        for bad in ["2024-02-30", "14/6/2567", "2024-6-14"] {
            let record = with("last_updated_date", json!(bad));
            assert!(
                has(&record, "last_updated_date", ProblemCode::DateInvalid, Severity::Error),
                "{bad}"
            );
        }
        assert_eq!(codes(&with("last_updated_date", json!("2024-02-29"))), vec![]);
    }

    #[test]
    fn choice_membership_is_an_error_only_where_the_server_enforces_it() {
        let enforced = with("objective", json!(["ยุทธศาสตร์ชาติ", "ไม่มีในรายการ"]));
        assert!(has(&enforced, "objective", ProblemCode::ChoiceUnknown, Severity::Error));
        let lenient = with("data_category", json!("ข้อมูลลับเฉพาะ"));
        assert!(has(
            &lenient,
            "data_category",
            ProblemCode::ChoiceUnknown,
            Severity::Warning
        ));
    }

    #[test]
    fn other_companion_must_be_filled() {
        let mut record = with("objective", json!(["อื่นๆ"]));
        record.metadata.remove("objective_other");
        assert!(has(
            &record,
            "objective_other",
            ProblemCode::OtherMissing,
            Severity::Error
        ));
        let mut record = with("data_type", json!("ข้อมูลประเภทอื่นๆ"));
        record.metadata.insert("data_type_other".into(), json!(""));
        assert!(has(
            &record,
            "data_type_other",
            ProblemCode::OtherMissing,
            Severity::Error
        ));
        let mut record = base();
        record.resources[0].insert("resource_data_collect".into(), json!("อื่นๆ"));
        record.resources[0].remove("resource_data_collect_other");
        let problems = validate(schema(), &record, &NO_TITLES);
        assert!(problems
            .iter()
            .any(|p| p.field == "resource_data_collect_other" && p.resource == Some(0)));
    }

    #[test]
    fn update_interval_rule() {
        let mut record = with("update_frequency_unit", json!("เดือน"));
        record.metadata.remove("update_frequency_interval");
        assert!(has(
            &record,
            "update_frequency_interval",
            ProblemCode::IntervalMissing,
            Severity::Error
        ));
        for bad in [json!("0"), json!("ทุกเดือน"), json!(-1), json!("1.5")] {
            record.metadata.insert("update_frequency_interval".into(), bad.clone());
            assert!(
                has(
                    &record,
                    "update_frequency_interval",
                    ProblemCode::IntervalInvalid,
                    Severity::Error
                ),
                "{bad}"
            );
        }
        record.metadata.insert("update_frequency_interval".into(), json!(3));
        assert_eq!(codes(&record), vec![]);
        let record = with("update_frequency_unit", json!("ตามเวลาจริง"));
        assert!(has(
            &record,
            "update_frequency_interval",
            ProblemCode::IntervalUnexpected,
            Severity::Warning
        ));
        let mut record = with("update_frequency_unit", json!("ไม่ทราบ"));
        record.metadata.remove("update_frequency_interval");
        assert_eq!(codes(&record), vec![]);
    }

    #[test]
    fn public_dataset_refusing_gdc_consent_is_warned() {
        let mut record = with("private", json!("False"));
        record.metadata.insert("allow_harvest".into(), json!("False"));
        assert!(has(
            &record,
            "allow_harvest",
            ProblemCode::HarvestForcedForPublic,
            Severity::Warning
        ));
        record.metadata.insert("private".into(), json!("True"));
        assert_eq!(codes(&record), vec![]);
    }

    #[test]
    fn problems_serialize_for_the_ui() {
        let mut record = base();
        record.metadata.remove("maintainer");
        let problem = &validate(schema(), &record, &NO_TITLES)[0];
        let value = serde_json::to_value(problem).unwrap();
        assert_eq!(value["code"], "required");
        assert_eq!(value["severity"], "error");
        assert_eq!(value["field"], "maintainer");
        assert!(value["message"]["th"].is_string() && value["message"]["en"].is_string());
    }
}
