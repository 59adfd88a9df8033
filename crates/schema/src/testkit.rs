//! Test helpers: a complete, valid draft of any data type, generated from the schema itself.

use serde_json::{json, Map, Value};

use crate::keys;
use crate::model::{Field, IntervalRule, Schema, Scope, Widget};
use crate::record::DraftRecord;

/// A value that satisfies every rule of `field`.
fn valid_value(field: &Field) -> Value {
    let plain_choices = || field.choices.iter().filter(|c| !field.other_values.contains(&c.value));
    if field.key == keys::UPDATE_FREQUENCY_INTERVAL {
        return json!("1");
    }
    if field.companion_of.is_some() {
        return json!(format!("รายละเอียด {}", field.key));
    }
    match field.widget {
        Widget::Slug => json!("population-2567"),
        Widget::Tags => json!(["สถิติ", "ประชากร"]),
        Widget::Date => json!("2024-06-14"),
        Widget::Email => json!("stat@agency.go.th"),
        Widget::Url | Widget::Upload => json!("https://data.agency.go.th/files/population.csv"),
        Widget::Organization => json!("ci-org"),
        Widget::YesNo => json!("True"),
        Widget::MultiSelect => Value::Array(plain_choices().take(2).map(|c| json!(c.value)).collect()),
        Widget::Select => {
            let choice = plain_choices()
                .find(|c| c.interval != IntervalRule::None)
                .expect("a plain choice");
            json!(choice.value)
        }
        Widget::Text | Widget::Markdown => json!(format!("ค่าของ {} / value", field.key)),
    }
}

fn full_map(schema: &Schema, scope: Scope, data_type: &str) -> Map<String, Value> {
    schema
        .fields_for(scope, data_type)
        .map(|f| (f.key.clone(), valid_value(f)))
        .collect()
}

/// Every field the type shows, filled with valid values, and two resources.
pub(crate) fn full_record(schema: &Schema, data_type: &str) -> DraftRecord {
    let mut metadata = full_map(schema, Scope::Dataset, data_type);
    metadata.insert(keys::DATA_TYPE.to_owned(), json!(data_type));
    let resources = (0..2).map(|_| full_map(schema, Scope::Resource, data_type)).collect();
    DraftRecord { metadata, resources }
}

/// The real thai_gdc schema the loopback test server serves.
pub(crate) fn live_schema_json() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/ckan/thai-gdc-schema.json");
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("missing {path} ({e}): the tests need /work/shared beside the repository"))
}
