//! The mapping between a local draft and CKAN's package JSON exactly as the ADC stores it (Thai strings,
//! `"True"`/`"False"` strings, JSON lists for multi-selects, `tag_string` plus `tags: [{name}]`, a JSON
//! boolean `private`, resources with their extras at the top level). Driven by each field's value kind;
//! keys the schema does not know pass through unchanged both ways.

use catalog_error::{Bilingual, ToUserMessage, UserMessage};
use serde::Serialize;
use serde_json::{json, Map, Value};
use thiserror::Error;

use crate::keys::package;
use crate::model::{Schema, Scope, ValueKind};
use crate::record::{bool_string, DraftRecord, FALSE, TRUE};
use crate::tags::parse_tags;

/// A package that cannot be read as a draft.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum MappingError {
    #[error("the package is not a JSON object")]
    NotAnObject,
    #[error("the package's resources are not a list")]
    ResourcesNotAList,
    #[error("resource {0} is not a JSON object")]
    ResourceNotAnObject(usize),
}

impl ToUserMessage for MappingError {
    fn to_user_message(&self) -> UserMessage {
        UserMessage {
            code: "ckan.package_malformed".into(),
            message: Bilingual::new(
                "อ่านข้อมูลชุดข้อมูลที่ได้รับจากระบบบัญชีข้อมูลไม่ได้",
                "The dataset received from the catalog is malformed.",
            ),
        }
    }
}

/// A package read back from the ADC: the draft, and the keys CKAN manages (id, timestamps, organization
/// object …) that are not metadata but that publish and sync need.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedPackage {
    pub record: DraftRecord,
    pub server: Map<String, Value>,
}

/// The package JSON for `package_create` / `package_update` (plus its resources).
pub fn to_package(schema: &Schema, record: &DraftRecord) -> Map<String, Value> {
    let mut out = encode_map(schema, Scope::Dataset, &record.metadata);
    if !record.resources.is_empty() {
        let resources = record
            .resources
            .iter()
            .map(|r| Value::Object(encode_map(schema, Scope::Resource, r)));
        out.insert(package::RESOURCES.to_owned(), Value::Array(resources.collect()));
    }
    out
}

/// A draft from a `package_show` result.
pub fn from_package(schema: &Schema, package: &Value) -> Result<ImportedPackage, MappingError> {
    let Value::Object(pkg) = package else {
        return Err(MappingError::NotAnObject);
    };
    let mut record = DraftRecord::default();
    let mut server = Map::new();
    for (key, value) in pkg {
        if key == package::RESOURCES {
            let Value::Array(items) = value else {
                return Err(MappingError::ResourcesNotAList);
            };
            for (i, item) in items.iter().enumerate() {
                let Value::Object(resource) = item else {
                    return Err(MappingError::ResourceNotAnObject(i));
                };
                record.resources.push(decode_map(schema, Scope::Resource, resource));
            }
        } else if schema.is_server_managed(Scope::Dataset, key) {
            server.insert(key.clone(), value.clone());
        }
    }
    let metadata: Map<String, Value> = pkg
        .iter()
        .filter(|(k, _)| *k != package::RESOURCES && !schema.is_server_managed(Scope::Dataset, k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    record.metadata = decode_map(schema, Scope::Dataset, &metadata);
    Ok(ImportedPackage { record, server })
}

fn encode_map(schema: &Schema, scope: Scope, values: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in values {
        let kind = schema.field(scope, key).map_or(ValueKind::Text, |f| f.value_kind);
        match kind {
            ValueKind::Tags => {
                let tags = parse_tags(value);
                out.insert(key.clone(), Value::String(tags.join(",")));
                let names = tags.into_iter().map(|t| json!({ package::TAG_NAME: t }));
                out.insert(package::TAGS.to_owned(), Value::Array(names.collect()));
            }
            _ => {
                out.insert(key.clone(), encode(kind, value));
            }
        }
    }
    out
}

fn encode(kind: ValueKind, value: &Value) -> Value {
    match (kind, value) {
        (ValueKind::List, Value::String(s)) if s.trim().is_empty() => json!([]),
        (ValueKind::List, Value::String(s)) => json!([s]),
        (ValueKind::TrueFalse, Value::Bool(b)) => Value::String(bool_string(*b).to_owned()),
        (ValueKind::TrueFalse, Value::String(s)) => Value::String(canonical_bool(s).unwrap_or(s).to_owned()),
        (ValueKind::Boolean, Value::String(s)) => match canonical_bool(s) {
            Some(b) => Value::Bool(b == TRUE),
            None => value.clone(),
        },
        _ => value.clone(),
    }
}

fn decode_map(schema: &Schema, scope: Scope, values: &Map<String, Value>) -> Map<String, Value> {
    let tag_field = schema.fields(scope).iter().find(|f| f.value_kind == ValueKind::Tags);
    let mut out = Map::new();
    for (key, value) in values {
        if scope == Scope::Dataset && key == package::TAGS && tag_field.is_some() {
            continue;
        }
        let kind = schema.field(scope, key).map_or(ValueKind::Text, |f| f.value_kind);
        out.insert(key.clone(), decode(kind, value));
    }
    if let Some(field) = tag_field {
        let from_tags = values.get(package::TAGS).and_then(Value::as_array).map(|tags| {
            tags.iter()
                .filter_map(|t| t.get(package::TAG_NAME).and_then(Value::as_str))
                .map(|name| Value::String(name.to_owned()))
                .collect::<Vec<_>>()
        });
        if let Some(tags) = from_tags {
            out.insert(field.key.clone(), Value::Array(tags));
        }
    }
    out
}

fn decode(kind: ValueKind, value: &Value) -> Value {
    match (kind, value) {
        (ValueKind::List, Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(list @ Value::Array(_)) => list,
            _ if s.trim().is_empty() => json!([]),
            _ => json!([s]),
        },
        (ValueKind::Tags, other) => Value::Array(parse_tags(other).into_iter().map(Value::String).collect()),
        (ValueKind::TrueFalse | ValueKind::Boolean, Value::Bool(b)) => Value::String(bool_string(*b).to_owned()),
        _ => value.clone(),
    }
}

/// `"true"`, `"TRUE"` … → `"True"`; `"false"` … → `"False"`.
fn canonical_bool(s: &str) -> Option<&'static str> {
    if s.eq_ignore_ascii_case(TRUE) {
        Some(TRUE)
    } else if s.eq_ignore_ascii_case(FALSE) {
        Some(FALSE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::full_record;

    fn schema() -> &'static Schema {
        Schema::built_in()
    }

    #[test]
    fn round_trip_of_a_full_record_for_every_data_type() {
        assert_eq!(schema().data_types().len(), 5);
        for dt in schema().data_types() {
            let mut record = full_record(schema(), &dt.value);
            record.metadata.insert("private".into(), json!("False"));
            record.resources[0].insert("id".into(), json!("res-1"));
            let package = to_package(schema(), &record);
            let back = from_package(schema(), &Value::Object(package)).unwrap();
            assert_eq!(back.record, record, "{}", dt.value);
            assert!(back.server.is_empty());
        }
    }

    #[test]
    fn package_json_is_shaped_as_the_adc_stores_it() {
        let mut record = full_record(schema(), "ข้อมูลสถิติ");
        record.metadata.insert("tag_string".into(), json!("สถิติ, ประชากร"));
        record.metadata.insert("private".into(), json!("True"));
        record.metadata.insert("allow_harvest".into(), json!(false));
        record.metadata.insert("data_format".into(), json!("CSV"));
        record.metadata.insert("legacy_key".into(), json!({"kept": 1}));
        let pkg = to_package(schema(), &record);
        assert_eq!(pkg["tag_string"], json!("สถิติ,ประชากร"));
        assert_eq!(pkg["tags"], json!([{"name": "สถิติ"}, {"name": "ประชากร"}]));
        assert_eq!(pkg["private"], json!(true));
        assert_eq!(pkg["allow_harvest"], json!("False"));
        assert_eq!(pkg["data_format"], json!(["CSV"]));
        assert_eq!(pkg["official_statistics"], json!("True"));
        assert_eq!(pkg["data_type"], json!("ข้อมูลสถิติ"));
        assert_eq!(pkg["legacy_key"], json!({"kept": 1}));
        assert_eq!(
            pkg["resources"][0]["resource_disaggregate"].as_array().map(Vec::len),
            Some(2)
        );
    }

    #[test]
    fn reads_a_package_show_result() {
        let pkg = json!({
            "id": "0b7c", "name": "pop-2567", "title": "ประชากร", "private": false,
            "metadata_modified": "2024-06-14T01:02:03", "num_tags": 1,
            "organization": {"name": "ci-org"}, "owner_org": "5e1f",
            "tags": [{"name": "สถิติ", "id": "t1", "vocabulary_id": null}], "tag_string": "ignored",
            "data_format": "[\"XLS\"]", "data_language": "ไทย", "allow_harvest": "True",
            "something_new": "kept",
            "resources": [{"id": "r1", "package_id": "0b7c", "url": "u", "resource_private": "True",
                           "resource_disaggregate": ["เพศ"]}]
        });
        let imported = from_package(schema(), &pkg).unwrap();
        let md = &imported.record.metadata;
        assert_eq!(md["tag_string"], json!(["สถิติ"]));
        assert!(!md.contains_key("tags"));
        assert_eq!(md["private"], json!("False"));
        assert_eq!(md["data_format"], json!(["XLS"]));
        assert_eq!(md["data_language"], json!(["ไทย"]));
        assert_eq!(md["something_new"], json!("kept"));
        assert_eq!(md["owner_org"], json!("5e1f"));
        assert_eq!(imported.server["id"], json!("0b7c"));
        assert!(imported.server.contains_key("organization") && !md.contains_key("metadata_modified"));
        let resource = &imported.record.resources[0];
        assert_eq!(resource["id"], json!("r1"));
        assert_eq!(resource["resource_private"], json!("True"));
        let unknown = crate::record::unknown_keys(schema(), &imported.record);
        assert_eq!(
            unknown.iter().map(|u| u.key.as_str()).collect::<Vec<_>>(),
            ["something_new"]
        );
    }

    #[test]
    fn tag_string_alone_is_read_when_tags_are_absent() {
        let imported = from_package(schema(), &json!({"tag_string": "ก ข, ค ง"})).unwrap();
        assert_eq!(imported.record.metadata["tag_string"], json!(["ก ข", "ค ง"]));
    }

    #[test]
    fn malformed_packages_are_refused() {
        assert_eq!(from_package(schema(), &json!([])), Err(MappingError::NotAnObject));
        assert_eq!(
            from_package(schema(), &json!({"resources": {}})),
            Err(MappingError::ResourcesNotAList)
        );
        assert_eq!(
            from_package(schema(), &json!({"resources": [{}, 3]})),
            Err(MappingError::ResourceNotAnObject(1))
        );
        assert_eq!(
            MappingError::NotAnObject.to_user_message().code,
            "ckan.package_malformed"
        );
    }
}
