//! A stored field value written back as a spreadsheet cell's text, the inverse of `convert`: ISO dates as
//! Buddhist-era `ปปปป-ดด-วว`, yes/no and choices as their Thai labels, lists and tags joined with the
//! template's separator. Used by both exports.

use catalog_schema::{record, Field, ValueKind, Widget};
use serde_json::Value;

use crate::layout;

/// Buddhist era = Common era + 543.
const BE_OFFSET: i32 = 543;

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(b) => record::bool_string(*b).to_owned(),
        other => other.to_string(),
    }
}

/// The Thai label of a choice value, or the value when the field does not offer it.
fn label(field: &Field, value: &str) -> String {
    field
        .choice(value)
        .map_or_else(|| value.to_owned(), |c| c.label.th.clone())
}

/// An ISO date as Buddhist-era `YYYY-MM-DD` text; anything else unchanged.
pub fn be_date(value: &str) -> String {
    match catalog_schema::thai_date::parse_iso(value) {
        Ok(date) => format!(
            "{:04}-{:02}-{:02}",
            date.year() + BE_OFFSET,
            u8::from(date.month()),
            date.day()
        ),
        Err(_) => value.to_owned(),
    }
}

/// The cell text for `value` of `field` (`None` for a key the schema does not know).
pub fn cell_text(field: Option<&Field>, value: &Value) -> String {
    let separator = &layout::ours().separator;
    let Some(field) = field else {
        return match value {
            Value::Array(items) => items.iter().map(scalar).collect::<Vec<_>>().join(separator),
            other => scalar(other),
        };
    };
    let one = |v: &Value| {
        let text = scalar(v);
        if field.widget == Widget::Date {
            be_date(&text)
        } else if field.value_kind == ValueKind::Tags || field.choices.is_empty() {
            text
        } else {
            label(field, &text)
        }
    };
    match value {
        Value::Array(items) => items.iter().map(one).collect::<Vec<_>>().join(separator),
        other => one(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use catalog_schema::{Schema, Scope};
    use serde_json::json;

    #[test]
    fn values_become_the_text_the_importer_reads_back() {
        let schema = Schema::built_in();
        let f = |k: &str| schema.field(Scope::Dataset, k);
        assert_eq!(cell_text(f("last_updated_date"), &json!("2024-03-31")), "2567-03-31");
        assert_eq!(cell_text(f("high_value_dataset"), &json!("True")), "ใช่");
        assert_eq!(cell_text(f("tag_string"), &json!(["ก", "ข"])), "ก, ข");
        assert_eq!(cell_text(f("data_language"), &json!(["ไทย", "อังกฤษ"])), "ไทย, อังกฤษ");
        assert_eq!(cell_text(None, &json!(3)), "3");
    }
}
