//! The one loader: turns scheming-shaped schema JSON into the typed [`Schema`]. The built-in asset is
//! embedded; a live ADC schema (`scheming_dataset_schema_show`) goes through the same path after it is
//! merged over the built-in one. Owns [`SchemaError`]. Every behaviour is derived here from validators,
//! presets and the asset's added keys, never from field names.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use catalog_error::{Bilingual, ToUserMessage, UserMessage};
use serde::Deserialize;
use serde_json::Value;
use thiserror::Error;

use crate::keys;
use crate::model::{
    Access, Choice, Classification, ClassificationRule, DataType, Field, IntervalRule, Schema, SchemaSource, Scope,
    Section, Suggestion, ValueKind, Widget,
};
use crate::record::{bool_string, FALSE, TRUE};

/// The built-in schema asset: thai_gdc 2.2.4 plus Catalog Desk's added keys.
const BUILT_IN_JSON: &str = include_str!("../../../assets/schema/thai_gdc-2.2.4.json");

/// ckanext-scheming / CKAN vocabulary the loader reads (validator and preset names, not field keys).
mod vocab {
    pub const NOT_EMPTY: &str = "not_empty";
    pub const CHOICES: &str = "scheming_choices";
    pub const MULTIPLE_CHOICE: &str = "scheming_multiple_choice";
    pub const ISODATE: &str = "isodate";
    pub const EMAIL: &str = "email_validator";
    pub const TAG_STRING: &str = "tag_string_convert";
    pub const PRESET_SLUG: &str = "dataset_slug";
    pub const PRESET_DATE: &str = "date";
    pub const PRESET_ORGANIZATION: &str = "dataset_organization";
    pub const PRESET_UPLOAD: &str = "resource_url_upload";
    pub const MARKDOWN_SNIPPET: &str = "markdown.html";
    pub const OWNER_ORG: &str = "owner_org_validator";
}

/// Why a schema could not be loaded. The caller keeps the schema it had (the built-in one).
#[derive(Debug, Error, PartialEq, Eq)]
pub enum SchemaError {
    #[error("schema is not JSON: {0}")]
    NotJson(String),
    #[error("the server answered the schema request with success=false")]
    ServerRefused,
    #[error("schema does not have the scheming shape: {0}")]
    Shape(String),
    #[error("a {0:?} field has an empty field_name")]
    EmptyFieldName(Scope),
    #[error("field {key} appears twice in the {scope:?} fields")]
    DuplicateField { scope: Scope, key: String },
    #[error("schema has no data_type field with choices")]
    NoDataTypes,
    #[error("the built-in schema asset lacks its catalog_desk block")]
    MissingCatalogDeskBlock,
}

impl ToUserMessage for SchemaError {
    fn to_user_message(&self) -> UserMessage {
        let (code, th, en) = match self {
            Self::NotJson(_) | Self::Shape(_) => (
                "schema.malformed",
                "โครงสร้างคำอธิบายชุดข้อมูลจากระบบบัญชีข้อมูลไม่ถูกต้อง จะใช้โครงสร้างที่ติดมากับโปรแกรมแทน",
                "The catalog's metadata schema is malformed; the built-in schema is used instead.",
            ),
            Self::ServerRefused => (
                "schema.refused",
                "ระบบบัญชีข้อมูลไม่ส่งโครงสร้างคำอธิบายชุดข้อมูลมา จะใช้โครงสร้างที่ติดมากับโปรแกรมแทน",
                "The catalog did not return its metadata schema; the built-in schema is used instead.",
            ),
            Self::EmptyFieldName(_) | Self::DuplicateField { .. } => (
                "schema.bad_field",
                "โครงสร้างคำอธิบายชุดข้อมูลมีช่องข้อมูลที่ไม่มีชื่อหรือชื่อซ้ำ จะใช้โครงสร้างที่ติดมากับโปรแกรมแทน",
                "The metadata schema has a field with no name or a repeated name; the built-in schema is used instead.",
            ),
            Self::NoDataTypes => (
                "schema.no_data_types",
                "โครงสร้างคำอธิบายชุดข้อมูลไม่ได้ระบุชนิดของชุดข้อมูล จะใช้โครงสร้างที่ติดมากับโปรแกรมแทน",
                "The metadata schema lists no data types; the built-in schema is used instead.",
            ),
            Self::MissingCatalogDeskBlock => (
                "schema.asset_broken",
                "ไฟล์โครงสร้างคำอธิบายชุดข้อมูลของโปรแกรมไม่สมบูรณ์",
                "The app's built-in schema file is incomplete.",
            ),
        };
        UserMessage {
            code: code.into(),
            message: Bilingual::new(th, en),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum RawText {
    Plain(String),
    Map(BTreeMap<String, String>),
}

impl RawText {
    fn get(&self, lang: &str) -> Option<&str> {
        match self {
            Self::Plain(s) => Some(s),
            Self::Map(m) => m.get(lang).map(String::as_str),
        }
    }

    fn to_bilingual(&self) -> Bilingual {
        let th = self.get("th").or_else(|| self.get("en"));
        let en = self.get("en").or_else(|| self.get("th"));
        match (th, en) {
            (Some(th), Some(en)) => Bilingual::new(th, en),
            _ => {
                let any = match self {
                    Self::Plain(s) => s.clone(),
                    Self::Map(m) => m.values().next().cloned().unwrap_or_default(),
                };
                Bilingual::new(any.clone(), any)
            }
        }
    }

    /// The server's text, with a language it lacks taken from the built-in text.
    fn filled_from(self, builtin: Option<&RawText>) -> RawText {
        let Some(builtin) = builtin else { return self };
        let mut map = match self {
            Self::Plain(s) => BTreeMap::from([("en".to_owned(), s)]),
            Self::Map(m) => m,
        };
        for lang in ["th", "en"] {
            if !map.contains_key(lang) {
                if let Some(text) = builtin.get(lang) {
                    map.insert(lang.to_owned(), text.to_owned());
                }
            }
        }
        Self::Map(map)
    }
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum CkanType {
    Boolean,
}

#[derive(Debug, Clone, Deserialize)]
struct RawChoice {
    value: Value,
    label: Option<RawText>,
    interval: Option<IntervalRule>,
}

#[derive(Debug, Clone, Deserialize)]
struct RawField {
    field_name: String,
    label: Option<RawText>,
    help: Option<RawText>,
    form_placeholder: Option<RawText>,
    choices: Option<Vec<RawChoice>>,
    required: Option<bool>,
    validators: Option<String>,
    preset: Option<String>,
    form_snippet: Option<String>,
    form_data_type: Option<Vec<String>>,
    section: Option<String>,
    widget: Option<Widget>,
    other_field: Option<String>,
    other_values: Option<Vec<String>>,
    ckan_type: Option<CkanType>,
    suggest_from: Option<Suggestion>,
    #[serde(default)]
    not_in_server_schema: bool,
    #[serde(skip)]
    in_server: bool,
}

impl RawField {
    /// A server field completed with what only the built-in asset knows (help, section, widget, companion,
    /// missing label languages, choice interval rules). The server's required flag, validators, choices and
    /// `form_data_type` win.
    fn filled_from(mut self, builtin: &RawField) -> RawField {
        self.label = match self.label.take() {
            Some(label) => Some(label.filled_from(builtin.label.as_ref())),
            None => builtin.label.clone(),
        };
        self.help = self.help.or_else(|| builtin.help.clone());
        self.form_placeholder = self.form_placeholder.or_else(|| builtin.form_placeholder.clone());
        self.section = self.section.or_else(|| builtin.section.clone());
        self.widget = self.widget.or(builtin.widget);
        self.other_field = self.other_field.or_else(|| builtin.other_field.clone());
        self.other_values = self.other_values.or_else(|| builtin.other_values.clone());
        self.ckan_type = self.ckan_type.or(builtin.ckan_type);
        self.suggest_from = self.suggest_from.or(builtin.suggest_from);
        if let (Some(choices), Some(builtin_choices)) = (self.choices.as_mut(), builtin.choices.as_ref()) {
            for choice in choices {
                if let Some(bc) = builtin_choices.iter().find(|bc| bc.value == choice.value) {
                    choice.interval = choice.interval.or(bc.interval);
                    choice.label = match choice.label.take() {
                        Some(label) => Some(label.filled_from(bc.label.as_ref())),
                        None => bc.label.clone(),
                    };
                }
            }
        }
        self
    }
}

#[derive(Debug, Clone, Deserialize)]
struct RawSection {
    key: String,
    scope: Scope,
    label: RawText,
}

#[derive(Debug, Clone, Deserialize)]
struct RawDefaultSections {
    dataset: String,
    resource: String,
}

#[derive(Debug, Clone, Deserialize)]
struct RawClassification {
    public_levels: Vec<String>,
    categories: BTreeMap<String, RawCategoryRule>,
    levels: BTreeMap<String, Bilingual>,
}

#[derive(Debug, Clone, Deserialize)]
struct RawCategoryRule {
    levels: Vec<String>,
    access: Access,
    accessible_condition: Option<String>,
    explain: Bilingual,
    law: Vec<Bilingual>,
}

#[derive(Debug, Clone, Deserialize)]
struct RawPresetValues {
    validators: Option<String>,
    form_snippet: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct RawPreset {
    preset_name: String,
    values: RawPresetValues,
}

/// The asset's `catalog_desk` block: everything about the schema that is not a field.
#[derive(Debug, Clone, Deserialize)]
struct RawCatalogDesk {
    schema_version: String,
    sections: Vec<RawSection>,
    default_sections: RawDefaultSections,
    other_suffix: String,
    other_choice_values: Vec<String>,
    server_managed_keys: Vec<String>,
    server_managed_resource_keys: Vec<String>,
    classification: RawClassification,
    presets: Vec<RawPreset>,
}

#[derive(Debug, Clone, Deserialize)]
struct RawSchema {
    dataset_fields: Vec<RawField>,
    resource_fields: Option<Vec<RawField>>,
    catalog_desk: Option<RawCatalogDesk>,
}

static BUILT_IN: LazyLock<Schema> =
    LazyLock::new(|| load_built_in().expect("the embedded schema asset loads (checked by the crate's tests)"));

impl Schema {
    /// The embedded thai_gdc 2.2.4 schema (the offline fallback).
    pub fn built_in() -> &'static Schema {
        &BUILT_IN
    }

    /// A live ADC schema: the text of a `scheming_dataset_schema_show` response (the API envelope or its
    /// `result`), merged over the built-in schema. On error the caller keeps the built-in schema.
    pub fn from_server_json(json: &str) -> Result<Schema, SchemaError> {
        let value: Value = serde_json::from_str(json).map_err(|e| SchemaError::NotJson(e.to_string()))?;
        Self::from_server_value(value)
    }

    /// As [`Schema::from_server_json`], for a response already parsed.
    pub fn from_server_value(value: Value) -> Result<Schema, SchemaError> {
        let server = parse_raw(value)?;
        let (builtin, desk) = built_in_raw()?;
        let merged = RawSchema {
            dataset_fields: merge_fields(server.dataset_fields, &builtin.dataset_fields),
            resource_fields: Some(match server.resource_fields {
                Some(fields) => merge_fields(fields, builtin.resource_fields.as_deref().unwrap_or_default()),
                None => builtin.resource_fields.unwrap_or_default(),
            }),
            catalog_desk: None,
        };
        build(merged, &desk, SchemaSource::Server)
    }
}

fn load_built_in() -> Result<Schema, SchemaError> {
    let (raw, desk) = built_in_raw()?;
    let version = desk.schema_version.clone();
    build(raw, &desk, SchemaSource::BuiltIn { version })
}

fn built_in_raw() -> Result<(RawSchema, RawCatalogDesk), SchemaError> {
    let value: Value = serde_json::from_str(BUILT_IN_JSON).map_err(|e| SchemaError::NotJson(e.to_string()))?;
    let mut raw = parse_raw(value)?;
    let desk = raw.catalog_desk.take().ok_or(SchemaError::MissingCatalogDeskBlock)?;
    for field in raw
        .dataset_fields
        .iter_mut()
        .chain(raw.resource_fields.iter_mut().flatten())
    {
        field.in_server = !field.not_in_server_schema;
    }
    Ok((raw, desk))
}

/// Accepts the schema itself or CKAN's `{"success": …, "result": {…}}` envelope.
fn parse_raw(value: Value) -> Result<RawSchema, SchemaError> {
    let schema = match value {
        Value::Object(mut map) if map.contains_key("result") && map.contains_key("success") => {
            if map.get("success") != Some(&Value::Bool(true)) {
                return Err(SchemaError::ServerRefused);
            }
            map.remove("result").unwrap_or(Value::Null)
        }
        other => other,
    };
    serde_json::from_value(schema).map_err(|e| SchemaError::Shape(e.to_string()))
}

/// Server fields in server order, completed from the built-in ones; built-in fields marked
/// `not_in_server_schema` are kept after the field that precedes them in the built-in order.
fn merge_fields(server: Vec<RawField>, builtin: &[RawField]) -> Vec<RawField> {
    let mut merged: Vec<RawField> = server
        .into_iter()
        .map(|field| {
            let mut field = match builtin.iter().find(|b| b.field_name == field.field_name) {
                Some(b) => field.filled_from(b),
                None => field,
            };
            field.in_server = true;
            field
        })
        .collect();
    for (i, extra) in builtin.iter().enumerate() {
        if !extra.not_in_server_schema || merged.iter().any(|f| f.field_name == extra.field_name) {
            continue;
        }
        let after = builtin[..i]
            .iter()
            .rev()
            .find_map(|prev| merged.iter().position(|f| f.field_name == prev.field_name));
        let at = after.map_or(merged.len(), |p| p + 1);
        merged.insert(at, extra.clone());
    }
    merged
}

fn build(raw: RawSchema, desk: &RawCatalogDesk, source: SchemaSource) -> Result<Schema, SchemaError> {
    let dataset_fields = build_fields(raw.dataset_fields, Scope::Dataset, desk)?;
    let resource_fields = build_fields(raw.resource_fields.unwrap_or_default(), Scope::Resource, desk)?;
    let data_types: Vec<DataType> = dataset_fields
        .iter()
        .find(|f| f.key == keys::DATA_TYPE)
        .map(|f| {
            f.choices
                .iter()
                .map(|c| DataType {
                    value: c.value.clone(),
                    label: c.label.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    if data_types.is_empty() {
        return Err(SchemaError::NoDataTypes);
    }
    let sections = desk
        .sections
        .iter()
        .map(|s| {
            let fields = match s.scope {
                Scope::Dataset => &dataset_fields,
                Scope::Resource => &resource_fields,
            };
            Section {
                key: s.key.clone(),
                label: s.label.to_bilingual(),
                scope: s.scope,
                fields: fields
                    .iter()
                    .filter(|f| f.section == s.key)
                    .map(|f| f.key.clone())
                    .collect(),
            }
        })
        .collect();
    Ok(Schema {
        source,
        dataset_fields,
        resource_fields,
        sections,
        data_types,
        classification: Classification {
            public_levels: desk.classification.public_levels.clone(),
            rules: desk
                .classification
                .categories
                .iter()
                .map(|(category, rule)| ClassificationRule {
                    category: category.clone(),
                    levels: rule.levels.clone(),
                    access: rule.access,
                    accessible_condition: rule.accessible_condition.clone(),
                    explain: rule.explain.clone(),
                    law: rule.law.clone(),
                })
                .collect(),
            level_explanations: desk.classification.levels.clone(),
        },
        server_managed_keys: desk.server_managed_keys.clone(),
        server_managed_resource_keys: desk.server_managed_resource_keys.clone(),
    })
}

fn build_fields(raw: Vec<RawField>, scope: Scope, desk: &RawCatalogDesk) -> Result<Vec<Field>, SchemaError> {
    let mut seen = BTreeSet::new();
    for field in &raw {
        if field.field_name.trim().is_empty() {
            return Err(SchemaError::EmptyFieldName(scope));
        }
        if !seen.insert(field.field_name.as_str()) {
            return Err(SchemaError::DuplicateField {
                scope,
                key: field.field_name.clone(),
            });
        }
    }
    let default_section = match scope {
        Scope::Dataset => &desk.default_sections.dataset,
        Scope::Resource => &desk.default_sections.resource,
    };
    let known_sections: BTreeSet<&str> = desk
        .sections
        .iter()
        .filter(|s| s.scope == scope)
        .map(|s| s.key.as_str())
        .collect();
    let mut fields = raw
        .iter()
        .map(|r| build_field(r, scope, desk, default_section, &known_sections))
        .collect::<Result<Vec<_>, _>>()?;
    link_companions(&mut fields, desk);
    Ok(fields)
}

fn build_field(
    raw: &RawField,
    scope: Scope,
    desk: &RawCatalogDesk,
    default_section: &str,
    known_sections: &BTreeSet<&str>,
) -> Result<Field, SchemaError> {
    let preset = raw
        .preset
        .as_deref()
        .and_then(|name| desk.presets.iter().find(|p| p.preset_name == name))
        .map(|p| &p.values);
    let validators: Vec<String> = raw
        .validators
        .as_deref()
        .or_else(|| preset.and_then(|p| p.validators.as_deref()))
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let has = |name: &str| validators.iter().any(|v| validator_base(v) == name);
    let form_snippet = raw
        .form_snippet
        .as_deref()
        .or_else(|| preset.and_then(|p| p.form_snippet.as_deref()));
    let choices = raw
        .choices
        .iter()
        .flatten()
        .map(|c| build_choice(c, &raw.field_name))
        .collect::<Result<Vec<_>, _>>()?;
    let multiple = has(vocab::MULTIPLE_CHOICE);
    // The server's validators decide list-ness, whatever widget the built-in asset names.
    let widget = if multiple {
        Widget::MultiSelect
    } else {
        raw.widget
            .unwrap_or_else(|| derive_widget(raw.preset.as_deref(), form_snippet, &choices, &has))
    };
    let value_kind = match (widget, raw.ckan_type) {
        (Widget::MultiSelect, _) => ValueKind::List,
        (Widget::Tags, _) => ValueKind::Tags,
        (_, Some(CkanType::Boolean)) => ValueKind::Boolean,
        (Widget::YesNo, None) => ValueKind::TrueFalse,
        _ => ValueKind::Text,
    };
    let section = raw
        .section
        .as_deref()
        .filter(|s| known_sections.contains(s))
        .unwrap_or(default_section)
        .to_owned();
    let label = raw.label.as_ref().map_or_else(
        || Bilingual::new(raw.field_name.clone(), raw.field_name.clone()),
        RawText::to_bilingual,
    );
    Ok(Field {
        key: raw.field_name.clone(),
        scope,
        label,
        help: raw.help.as_ref().map(RawText::to_bilingual),
        placeholder: raw.form_placeholder.as_ref().map(RawText::to_bilingual),
        section,
        widget,
        value_kind,
        choices_enforced: !choices.is_empty() && (has(vocab::CHOICES) || multiple),
        choices,
        required: raw.required.unwrap_or(false) || has(vocab::NOT_EMPTY) || has(vocab::OWNER_ORG),
        iso_date: has(vocab::ISODATE) || widget == Widget::Date,
        email: has(vocab::EMAIL) || widget == Widget::Email,
        validators,
        form_data_type: raw.form_data_type.clone(),
        other_field: raw.other_field.clone(),
        other_values: raw.other_values.clone().unwrap_or_default(),
        companion_of: None,
        suggest_from: raw.suggest_from,
        from_server: raw.in_server,
    })
}

/// `if_empty_same_as(name)` → `if_empty_same_as`.
fn validator_base(token: &str) -> &str {
    token.split('(').next().unwrap_or(token)
}

fn derive_widget(
    preset: Option<&str>,
    form_snippet: Option<&str>,
    choices: &[Choice],
    has: &dyn Fn(&str) -> bool,
) -> Widget {
    match preset {
        Some(vocab::PRESET_SLUG) => return Widget::Slug,
        Some(vocab::PRESET_DATE) => return Widget::Date,
        Some(vocab::PRESET_ORGANIZATION) => return Widget::Organization,
        Some(vocab::PRESET_UPLOAD) => return Widget::Upload,
        _ => {}
    }
    let yes_no = choices.len() == 2 && choices.iter().all(|c| c.value == TRUE || c.value == FALSE);
    if has(vocab::TAG_STRING) {
        Widget::Tags
    } else if has(vocab::ISODATE) {
        Widget::Date
    } else if has(vocab::EMAIL) {
        Widget::Email
    } else if yes_no {
        Widget::YesNo
    } else if !choices.is_empty() {
        Widget::Select
    } else if form_snippet == Some(vocab::MARKDOWN_SNIPPET) {
        Widget::Markdown
    } else {
        Widget::Text
    }
}

fn build_choice(raw: &RawChoice, field: &str) -> Result<Choice, SchemaError> {
    let value = match &raw.value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => bool_string(*b).to_owned(),
        other => {
            return Err(SchemaError::Shape(format!(
                "choice of {field} has a non-scalar value {other}"
            )))
        }
    };
    let label = raw
        .label
        .as_ref()
        .map_or_else(|| Bilingual::new(value.clone(), value.clone()), RawText::to_bilingual);
    Ok(Choice {
        value,
        label,
        interval: raw.interval.unwrap_or_default(),
    })
}

/// Completes the "other" pairing: companions named by the asset are kept only if they exist; a server-only
/// choice field gets its companion by thai_gdc's `<field>_other` convention when it offers an "other"
/// value; each companion learns which field it explains.
fn link_companions(fields: &mut [Field], desk: &RawCatalogDesk) {
    let keys: BTreeSet<String> = fields.iter().map(|f| f.key.clone()).collect();
    for field in fields.iter_mut() {
        if field.other_field.is_none() {
            let candidate = format!("{}{}", field.key, desk.other_suffix);
            let others: Vec<String> = field
                .choices
                .iter()
                .filter(|c| desk.other_choice_values.contains(&c.value))
                .map(|c| c.value.clone())
                .collect();
            if keys.contains(&candidate) && !others.is_empty() {
                field.other_field = Some(candidate);
                field.other_values = others;
            }
        }
        if field.other_field.as_ref().is_some_and(|k| !keys.contains(k)) {
            field.other_field = None;
            field.other_values.clear();
        }
    }
    let pairs: Vec<(String, String)> = fields
        .iter()
        .filter_map(|f| f.other_field.clone().map(|companion| (companion, f.key.clone())))
        .collect();
    for (companion, parent) in pairs {
        if let Some(field) = fields.iter_mut().find(|f| f.key == companion) {
            field.companion_of = Some(parent);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{unknown_keys, DraftRecord};
    use crate::testkit::live_schema_json;
    use serde_json::json;

    fn live_value() -> Value {
        serde_json::from_str(&live_schema_json()).unwrap()
    }

    #[test]
    fn built_in_asset_loads_with_every_added_key() {
        let schema = Schema::built_in();
        assert_eq!(
            schema.source(),
            &SchemaSource::BuiltIn {
                version: "thai_gdc-2.2.4".into()
            }
        );
        assert_eq!(
            schema.dataset_fields().len(),
            59,
            "58 thai_gdc fields without allow_cdp, plus private"
        );
        assert_eq!(
            schema.resource_fields().len(),
            24,
            "23 thai_gdc fields plus resource_private"
        );
        assert!(schema.field(Scope::Dataset, "allow_cdp").is_none());
        assert_eq!(schema.data_types().len(), 5);
        for field in schema.dataset_fields().iter().chain(schema.resource_fields()) {
            assert!(
                field
                    .help
                    .as_ref()
                    .is_some_and(|h| !h.th.is_empty() && !h.en.is_empty()),
                "{}",
                field.key
            );
            assert!(
                !field.label.th.is_empty() && !field.label.en.is_empty(),
                "{}",
                field.key
            );
            let section = schema
                .sections()
                .iter()
                .find(|s| s.key == field.section)
                .expect("known section");
            assert_eq!(section.scope, field.scope, "{}", field.key);
            assert!(section.fields.contains(&field.key));
        }
    }

    #[test]
    fn behaviour_comes_from_validators_presets_and_added_keys() {
        let schema = Schema::built_in();
        let f = |k: &str| schema.field(Scope::Dataset, k).unwrap();
        assert_eq!(f("name").widget, Widget::Slug);
        assert!(f("name").required, "not_empty makes the slug required");
        assert!(f("created_date").iso_date, "the date preset brings isodate");
        assert!(f("maintainer_email").email);
        assert_eq!(f("objective").value_kind, ValueKind::List);
        assert!(f("objective").choices_enforced);
        assert!(
            !f("geo_coverage").choices_enforced,
            "scheming_required does not check choices"
        );
        assert_eq!(f("tag_string").value_kind, ValueKind::Tags);
        assert_eq!(f("allow_harvest").value_kind, ValueKind::TrueFalse);
        assert_eq!(f("private").value_kind, ValueKind::Boolean);
        assert_eq!(f("objective").other_field.as_deref(), Some("objective_other"));
        assert_eq!(f("objective_other").companion_of.as_deref(), Some("objective"));
        assert_eq!(f("data_type").other_values, vec!["ข้อมูลประเภทอื่นๆ"]);
        assert_eq!(
            f("disaggregate").form_data_type.as_deref(),
            Some(&["ข้อมูลสถิติ".to_owned()][..])
        );
        let unit = f("update_frequency_unit");
        assert_eq!(unit.choice("ปี").unwrap().interval, IntervalRule::Required);
        assert_eq!(unit.choice("ตามเวลาจริง").unwrap().interval, IntervalRule::None);
        assert_eq!(
            schema.allowed_classifications("ข้อมูลสาธารณะ"),
            Some(&["เปิดเผย".to_owned()][..])
        );
        assert!(schema.allowed_classifications("ไม่มีหมวดนี้").is_none());
    }

    #[test]
    fn sections_keep_the_asset_order() {
        let keys: Vec<&str> = Schema::built_in().sections().iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "basic",
                "contact",
                "access",
                "coverage",
                "statistics",
                "geo",
                "additional",
                "resources"
            ]
        );
    }

    #[test]
    fn loads_the_test_servers_schema_as_a_live_schema() {
        let schema = Schema::from_server_json(&live_schema_json()).expect("the live schema loads");
        assert_eq!(schema.source(), &SchemaSource::Server);
        let builtin = Schema::built_in();
        let keys = |s: &Schema| s.dataset_fields().iter().map(|f| f.key.clone()).collect::<Vec<_>>();
        assert_eq!(
            keys(&schema),
            keys(builtin),
            "same fields, private kept after owner_org"
        );
        let title = schema.field(Scope::Dataset, "title").unwrap();
        assert!(
            title.validators.iter().any(|v| v == "adcemu_package_title_validator"),
            "server validators win"
        );
        assert!(title.help.is_some() && title.from_server);
        assert!(!schema.field(Scope::Dataset, "private").unwrap().from_server);
        let name = schema.field(Scope::Dataset, "name").unwrap();
        assert_eq!(name.label.th, "URL");
        assert_eq!(name.widget, Widget::Slug);
        assert!(
            schema.field(Scope::Dataset, "last_updated_date").unwrap().iso_date,
            "preset resolved"
        );
        assert_eq!(
            schema.field(Scope::Dataset, "owner_org").unwrap().label.th,
            "องค์กร",
            "Thai label filled in"
        );
        assert_eq!(schema.data_types(), builtin.data_types());
        assert_eq!(schema.resource_fields().len(), 24);
    }

    #[test]
    fn accepts_the_api_envelope() {
        let envelope = json!({"help": "…", "success": true, "result": live_value()});
        assert!(Schema::from_server_value(envelope).is_ok());
        let refused = json!({"help": "…", "success": false, "result": live_value()});
        assert_eq!(Schema::from_server_value(refused), Err(SchemaError::ServerRefused));
    }

    #[test]
    fn server_only_fields_become_generic_fields() {
        let mut live = live_value();
        let fields = live["dataset_fields"].as_array_mut().unwrap();
        fields.push(json!({"field_name": "telephone_number", "label": {"th": "เบอร์โทรผู้ติดต่อ", "en": "Phone"}}));
        fields.push(json!({"field_name": "micro_level", "label": "Micro level",
            "choices": [{"value": "ก", "label": "ก"}, {"value": "อื่นๆ", "label": "อื่นๆ"}],
            "validators": "scheming_required scheming_choices", "required": true,
            "form_data_type": ["ข้อมูลระเบียน"]}));
        fields.push(json!({"field_name": "micro_level_other"}));
        fields.push(json!({"field_name": "sizes", "choices": [{"value": 1}, {"value": 2}],
            "validators": "scheming_multiple_choice"}));
        let schema = Schema::from_server_value(live).unwrap();
        let phone = schema.field(Scope::Dataset, "telephone_number").unwrap();
        assert_eq!(
            (phone.widget, phone.section.as_str(), phone.help.is_none()),
            (Widget::Text, "additional", true)
        );
        let micro = schema.field(Scope::Dataset, "micro_level").unwrap();
        assert_eq!(micro.widget, Widget::Select);
        assert!(micro.required && micro.choices_enforced);
        assert_eq!(
            micro.other_field.as_deref(),
            Some("micro_level_other"),
            "thai_gdc companion convention"
        );
        assert_eq!(micro.label.th, "Micro level");
        let sizes = schema.field(Scope::Dataset, "sizes").unwrap();
        assert_eq!(
            (sizes.widget, sizes.choices[1].value.as_str()),
            (Widget::MultiSelect, "2")
        );
        let additional = schema.sections().iter().find(|s| s.key == "additional").unwrap();
        assert!(additional.fields.contains(&"telephone_number".to_owned()));
    }

    #[test]
    fn fields_the_server_dropped_disappear_and_stored_values_are_flagged() {
        let mut live = live_value();
        live["dataset_fields"]
            .as_array_mut()
            .unwrap()
            .retain(|f| f["field_name"] != "standard");
        let schema = Schema::from_server_value(live).unwrap();
        assert!(schema.field(Scope::Dataset, "standard").is_none());
        let mut record = DraftRecord::default();
        record.metadata.insert("standard".into(), json!("ISIC"));
        record.metadata.insert("title".into(), json!("t"));
        record
            .metadata
            .insert("id".into(), json!("server-managed, not flagged"));
        let unknown = unknown_keys(&schema, &record);
        assert_eq!(unknown.len(), 1);
        assert_eq!((unknown[0].key.as_str(), unknown[0].resource), ("standard", None));
        assert_eq!(record.metadata["standard"], json!("ISIC"), "flagged, never dropped");
    }

    #[test]
    fn server_validators_decide_whether_a_field_holds_a_list() {
        let mut live = live_value();
        for field in live["dataset_fields"].as_array_mut().unwrap() {
            if field["field_name"] == "geo_coverage" {
                field["validators"] = json!("scheming_multiple_choice");
            }
        }
        let schema = Schema::from_server_value(live).unwrap();
        let geo = schema.field(Scope::Dataset, "geo_coverage").unwrap();
        assert_eq!(
            (geo.widget, geo.value_kind, geo.choices_enforced),
            (Widget::MultiSelect, ValueKind::List, true)
        );
        assert!(geo.help.is_some(), "added keys still merged");
    }

    #[test]
    fn a_companion_the_schema_lacks_is_not_required() {
        let mut live = live_value();
        live["dataset_fields"]
            .as_array_mut()
            .unwrap()
            .retain(|f| f["field_name"] != "objective_other");
        let schema = Schema::from_server_value(live).unwrap();
        assert!(schema.field(Scope::Dataset, "objective").unwrap().other_field.is_none());
    }

    #[test]
    fn malformed_schemas_are_rejected_with_a_typed_error() {
        assert!(matches!(
            Schema::from_server_json("<html>"),
            Err(SchemaError::NotJson(_))
        ));
        assert!(matches!(
            Schema::from_server_json(r#"{"dataset_fields": "x"}"#),
            Err(SchemaError::Shape(_))
        ));
        assert!(matches!(
            Schema::from_server_json(r#"{"resource_fields": []}"#),
            Err(SchemaError::Shape(_))
        ));
        assert!(matches!(
            Schema::from_server_json(r#"{"dataset_fields": [{"field_name": "x", "choices": [{"value": []}]}]}"#),
            Err(SchemaError::Shape(_))
        ));
        assert_eq!(
            Schema::from_server_json(r#"{"dataset_fields": [{"field_name": "title"}]}"#),
            Err(SchemaError::NoDataTypes)
        );
        assert_eq!(
            Schema::from_server_json(r#"{"dataset_fields": [{"field_name": " "}]}"#),
            Err(SchemaError::EmptyFieldName(Scope::Dataset))
        );
        let mut live = live_value();
        let first = live["dataset_fields"][0].clone();
        live["dataset_fields"].as_array_mut().unwrap().push(first);
        assert_eq!(
            Schema::from_server_value(live),
            Err(SchemaError::DuplicateField {
                scope: Scope::Dataset,
                key: "data_type".into()
            })
        );
        assert_eq!(SchemaError::NoDataTypes.to_user_message().code, "schema.no_data_types");
    }

    /// Source files of the whole app, test code and comment lines aside: Rust (up to its `#[cfg(test)]`
    /// module) in every crate and the shell, TypeScript and Svelte in the UI (`*.test.ts` aside).
    fn app_sources() -> Vec<(std::path::PathBuf, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut dirs = vec![root.join("src-tauri/src"), root.join("ui/src")];
        for krate in std::fs::read_dir(root.join("crates")).unwrap().flatten() {
            dirs.push(krate.path().join("src"));
        }
        let mut files = Vec::new();
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for path in entries.flatten().map(|e| e.path()) {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if path.is_dir() {
                    dirs.push(path);
                } else if name == "testkit.rs" || name == "tests.rs" || name.ends_with(".test.ts") {
                    continue;
                } else if name.ends_with(".rs") || name.ends_with(".ts") || name.ends_with(".svelte") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let code = text.split("#[cfg(test)]").next().unwrap();
                    let code: Vec<&str> = code.lines().filter(|l| !l.trim_start().starts_with("//")).collect();
                    let code = code.join("\n");
                    files.push((path, code));
                }
            }
        }
        assert!(files.len() > 20, "the app's sources were not found");
        files
    }

    /// Field keys, labels and choice lists live only in the asset (issue #3 single-source rule): no Rust,
    /// TypeScript or Svelte source outside tests quotes a field key (except the rule keys of `keys.rs`,
    /// which are also ordinary words elsewhere), a field's label, or three Thai choices of one field
    /// (ASCII choices such as CSV or PDF are file-format names that file readers legitimately know).
    #[test]
    fn app_sources_name_only_the_rule_keys() {
        let allowed: BTreeSet<&str> = [
            keys::DATA_TYPE,
            keys::ALLOW_HARVEST,
            keys::PRIVATE,
            keys::DATA_CATEGORY,
            keys::DATA_CLASSIFICATION,
            keys::ACCESSIBLE_CONDITION,
            keys::RESOURCE_PRIVATE,
            keys::TITLE,
            keys::NAME,
            keys::URL,
            keys::FORMAT,
            keys::OWNER_ORG,
            keys::NOTES,
            keys::UPDATE_FREQUENCY_UNIT,
            keys::UPDATE_FREQUENCY_INTERVAL,
            keys::package::TAG_NAME,
        ]
        .into();
        let schema = Schema::built_in();
        for (path, code) in app_sources() {
            let at = path.display();
            let quoted = |text: &str| ["\"", "'", "`"].iter().any(|q| code.contains(&format!("{q}{text}{q}")));
            for field in schema.dataset_fields().iter().chain(schema.resource_fields()) {
                assert!(
                    allowed.contains(field.key.as_str()) || !quoted(&field.key),
                    "key {} in {at}",
                    field.key
                );
                // A short label (แหล่งที่มา, URL) is also an ordinary word; a phrase-long one is a copy.
                for label in [&field.label.th, &field.label.en]
                    .into_iter()
                    .filter(|l| l.chars().count() > 12)
                {
                    assert!(!quoted(label), "label of {} in {at}", field.key);
                }
                let copied: Vec<&str> = field
                    .choices
                    .iter()
                    .filter(|c| !c.value.is_ascii() && quoted(&c.value))
                    .map(|c| c.value.as_str())
                    .collect();
                assert!(copied.len() < 3, "choices of {} in {at}: {copied:?}", field.key);
            }
        }
    }
}
