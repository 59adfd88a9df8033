//! The local draft record as the store keeps it: metadata keyed by schema field key plus one map per
//! resource, with the value helpers the rules share, and the check for stored keys a schema does not know
//! (they are kept and flagged, never dropped).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::model::{Schema, Scope};

/// A draft's metadata (ฉบับร่าง): values exactly as the ADC stores them (Thai strings, `"True"`/`"False"`,
/// lists for multi-selects, a list of tags under the tag field).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DraftRecord {
    pub metadata: Map<String, Value>,
    pub resources: Vec<Map<String, Value>>,
}

/// A stored key the schema has no field for; `resource` is the resource's index when it is a resource key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct UnknownKey {
    pub key: String,
    pub resource: Option<usize>,
}

/// The stored keys `schema` does not know (for example after the ADC's schema changed). Keys CKAN itself
/// manages (ids, timestamps) are not reported.
pub fn unknown_keys(schema: &Schema, record: &DraftRecord) -> Vec<UnknownKey> {
    let unknown = |scope: Scope, map: &Map<String, Value>, resource: Option<usize>| {
        map.keys()
            .filter(|k| schema.field(scope, k).is_none() && !schema.is_server_managed(scope, k))
            .map(|k| UnknownKey {
                key: k.clone(),
                resource,
            })
            .collect::<Vec<_>>()
    };
    let mut found = unknown(Scope::Dataset, &record.metadata, None);
    for (i, resource) in record.resources.iter().enumerate() {
        found.extend(unknown(Scope::Resource, resource, Some(i)));
    }
    found
}

/// CKAN's boolean strings: how thai_gdc stores yes/no values.
pub const TRUE: &str = "True";
pub const FALSE: &str = "False";

/// The CKAN string for a boolean: [`TRUE`] or [`FALSE`].
pub fn bool_string(b: bool) -> &'static str {
    if b {
        TRUE
    } else {
        FALSE
    }
}

/// Whether a value counts as filled in: not null, not blank text, not an empty list.
pub(crate) fn is_filled(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(items)) => items.iter().any(|v| is_filled(Some(v))),
        Some(Value::Object(map)) => !map.is_empty(),
        Some(Value::Bool(_) | Value::Number(_)) => true,
    }
}

/// The value's text, if it is a string.
pub(crate) fn text(value: Option<&Value>) -> Option<&str> {
    value.and_then(Value::as_str)
}

/// The scalar values of a single value or a list, as strings (`true` → `"True"`, as CKAN writes booleans).
pub(crate) fn strings(value: &Value) -> Vec<String> {
    fn scalar(v: &Value) -> Option<String> {
        match v {
            Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            Value::Bool(b) => Some(bool_string(*b).to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
    match value {
        Value::Array(items) => items.iter().filter_map(scalar).collect(),
        other => scalar(other).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flags_unknown_dataset_and_resource_keys_but_not_server_managed_ones() {
        let schema = Schema::built_in();
        let mut record = DraftRecord::default();
        record.metadata.insert("title".into(), json!("t"));
        record.metadata.insert("old_field".into(), json!("x"));
        record.metadata.insert("metadata_modified".into(), json!("2024-01-01"));
        let mut resource = Map::new();
        resource.insert("name".into(), json!("file"));
        resource.insert("id".into(), json!("r1"));
        resource.insert("legacy_extra".into(), json!("y"));
        record.resources.push(Map::new());
        record.resources.push(resource);
        let found = unknown_keys(schema, &record);
        assert_eq!(
            found,
            vec![
                UnknownKey {
                    key: "old_field".into(),
                    resource: None
                },
                UnknownKey {
                    key: "legacy_extra".into(),
                    resource: Some(1)
                },
            ]
        );
    }

    #[test]
    fn filled_and_strings() {
        assert!(!is_filled(None) && !is_filled(Some(&json!(null))) && !is_filled(Some(&json!(" "))));
        assert!(!is_filled(Some(&json!([""]))) && is_filled(Some(&json!(["a"]))) && is_filled(Some(&json!(0))));
        assert_eq!(strings(&json!(["a", true, 2, ""])), vec!["a", "True", "2"]);
        assert_eq!(strings(&json!(false)), vec!["False"]);
    }
}
