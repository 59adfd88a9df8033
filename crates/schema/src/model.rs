//! The typed schema model that the form, validation, bulk import, export and publish all read: fields with
//! labels, help, section, widget, choices and the data types that show them. Built only by `load`; nothing
//! here parses JSON or names a field.

use std::collections::BTreeMap;

use catalog_error::Bilingual;
use serde::{Deserialize, Serialize};

/// The form control a field uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Widget {
    Text,
    Markdown,
    Select,
    #[serde(rename = "multiselect")]
    MultiSelect,
    Tags,
    Date,
    YesNo,
    Email,
    Url,
    Slug,
    Organization,
    Upload,
}

/// How a field's value is written in the CKAN package JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// A string, stored as typed.
    Text,
    /// A JSON list of strings (multi-select).
    List,
    /// The strings `"True"` / `"False"`.
    TrueFalse,
    /// A JSON boolean in the package (CKAN core `private`); `"True"` / `"False"` locally.
    Boolean,
    /// A list of tags locally; `tag_string` and `tags: [{name}]` in the package.
    Tags,
}

/// Whether a field belongs to the dataset or to each resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Dataset,
    Resource,
}

/// Whether a choice of the update-frequency unit needs a number beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum IntervalRule {
    Required,
    #[default]
    Optional,
    None,
}

/// One allowed value of a choice field; `value` is what the ADC stores (usually the Thai label itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Choice {
    pub value: String,
    pub label: Bilingual,
    pub interval: IntervalRule,
}

/// A form section, in display order, with the keys of its fields in schema order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub key: String,
    pub label: Bilingual,
    pub scope: Scope,
    pub fields: Vec<String>,
}

/// One value of the data-type field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DataType {
    pub value: String,
    pub label: Bilingual,
}

/// One metadata field, every behaviour already derived from the schema data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Field {
    pub key: String,
    pub scope: Scope,
    pub label: Bilingual,
    pub help: Option<Bilingual>,
    pub placeholder: Option<Bilingual>,
    pub section: String,
    pub widget: Widget,
    pub value_kind: ValueKind,
    pub choices: Vec<Choice>,
    /// The server rejects values outside `choices` (`scheming_choices` / `scheming_multiple_choice`).
    pub choices_enforced: bool,
    /// `required: true`, or a `not_empty` / `owner_org_validator` validator (CKAN refuses a dataset
    /// without an organisation unless the site allows unowned datasets).
    pub required: bool,
    /// The server checks `YYYY-MM-DD` (`isodate`).
    pub iso_date: bool,
    /// The server checks the e-mail form (`email_validator`).
    pub email: bool,
    pub validators: Vec<String>,
    /// Data types whose form shows the field; `None` means every type.
    pub form_data_type: Option<Vec<String>>,
    /// Free-text companion required when one of `other_values` is chosen.
    pub other_field: Option<String>,
    pub other_values: Vec<String>,
    /// The field whose "other" choice this field explains.
    pub companion_of: Option<String>,
    /// What a file's preview can suggest for this (resource) field.
    pub suggest_from: Option<Suggestion>,
    /// Part of the server's schema file; false for fields such as `private` that the ADC accepts outside it.
    pub from_server: bool,
}

impl Field {
    /// Whether the ADC form shows this field for a dataset of `data_type`.
    pub fn shown_for(&self, data_type: &str) -> bool {
        self.form_data_type
            .as_ref()
            .is_none_or(|types| types.iter().any(|t| t == data_type))
    }

    /// The choice stored as `value`, if the field offers it.
    pub fn choice(&self, value: &str) -> Option<&Choice> {
        self.choices.iter().find(|c| c.value == value)
    }
}

/// Whether a dataset of a data category may be published as public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Public,
    Private,
}

/// One data category (หมวดหมู่ข้อมูล): the classification levels it allows, whether it may be public,
/// the access condition the ADC fills in, and what it means and which law stands behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ClassificationRule {
    pub category: String,
    pub levels: Vec<String>,
    pub access: Access,
    pub accessible_condition: Option<String>,
    pub explain: Bilingual,
    pub law: Vec<Bilingual>,
}

/// The data category × classification level rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classification {
    /// Levels (ระดับชั้นข้อมูล) that allow a public dataset.
    pub public_levels: Vec<String>,
    pub rules: Vec<ClassificationRule>,
    /// What each level means.
    pub level_explanations: BTreeMap<String, Bilingual>,
}

/// A value the preview of a resource file can suggest (catalog-preview's `MetadataSuggestion`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Suggestion {
    /// The file format (CSV, XLSX …).
    Format,
    /// The first year of data, Buddhist era.
    FirstYearBe,
    /// The last year of data, Buddhist era.
    LastYearBe,
    /// The date the file was created (ISO).
    Created,
    /// The date the file was last updated (ISO).
    LastUpdated,
}

/// Where a schema came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SchemaSource {
    /// The embedded asset, e.g. `thai_gdc-2.2.4`.
    BuiltIn { version: String },
    /// An ADC's `scheming_dataset_schema_show`, merged over the built-in asset.
    Server,
}

/// The whole metadata schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schema {
    pub(crate) source: SchemaSource,
    pub(crate) dataset_fields: Vec<Field>,
    pub(crate) resource_fields: Vec<Field>,
    pub(crate) sections: Vec<Section>,
    pub(crate) data_types: Vec<DataType>,
    pub(crate) classification: Classification,
    pub(crate) server_managed_keys: Vec<String>,
    pub(crate) server_managed_resource_keys: Vec<String>,
}

impl Schema {
    pub fn source(&self) -> &SchemaSource {
        &self.source
    }

    /// Dataset fields in schema order.
    pub fn dataset_fields(&self) -> &[Field] {
        &self.dataset_fields
    }

    /// Resource fields in schema order.
    pub fn resource_fields(&self) -> &[Field] {
        &self.resource_fields
    }

    /// Form sections in display order (dataset sections first, then the resource section).
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// The data types, from the data-type field's choices.
    pub fn data_types(&self) -> &[DataType] {
        &self.data_types
    }

    pub fn field(&self, scope: Scope, key: &str) -> Option<&Field> {
        self.fields(scope).iter().find(|f| f.key == key)
    }

    pub fn fields(&self, scope: Scope) -> &[Field] {
        match scope {
            Scope::Dataset => &self.dataset_fields,
            Scope::Resource => &self.resource_fields,
        }
    }

    /// The fields the ADC form shows for `data_type`, in schema order.
    pub fn fields_for<'a>(&'a self, scope: Scope, data_type: &'a str) -> impl Iterator<Item = &'a Field> + 'a {
        self.fields(scope).iter().filter(move |f| f.shown_for(data_type))
    }

    /// Classification levels the ADC form offers for a data category (thai_gdc's browser-only rule,
    /// domain.md §4); `None` for a category the table does not list.
    pub fn allowed_classifications(&self, category: &str) -> Option<&[String]> {
        self.classification_rule(category).map(|rule| rule.levels.as_slice())
    }

    /// The data category × classification rules (domain.md §4).
    pub fn classification(&self) -> &Classification {
        &self.classification
    }

    /// What a data category allows and implies; `None` for a category the rules do not list.
    pub fn classification_rule(&self, category: &str) -> Option<&ClassificationRule> {
        self.classification.rules.iter().find(|rule| rule.category == category)
    }

    /// Package keys that CKAN computes or owns (id, timestamps, organization object …); not draft metadata.
    pub fn is_server_managed(&self, scope: Scope, key: &str) -> bool {
        let keys = match scope {
            Scope::Dataset => &self.server_managed_keys,
            Scope::Resource => &self.server_managed_resource_keys,
        };
        keys.iter().any(|k| k == key)
    }
}
