//! The only place where Rust names a metadata field key. Every other key, label and choice list lives in the
//! schema asset (`assets/schema/thai_gdc-2.2.4.json`) or comes from the ADC's live schema; the keys here
//! are those a rule needs by name.

/// The data type: picks which fields the form shows (`form_data_type`).
pub const DATA_TYPE: &str = "data_type";
/// GD Catalog consent (`"True"`/`"False"`); forced to `"True"` for public datasets.
pub const ALLOW_HARVEST: &str = "allow_harvest";
/// The data category (หมวดหมู่ข้อมูล): with the classification it decides whether a dataset may be public.
pub const DATA_CATEGORY: &str = "data_category";
/// The classification level (ระดับชั้นข้อมูล).
pub const DATA_CLASSIFICATION: &str = "data_classification";
/// The access condition, which the ADC form fills in for public data.
pub const ACCESSIBLE_CONDITION: &str = "accessible_condition";
/// A resource file's own access flag (`"True"` = only organisation members may download it).
pub const RESOURCE_PRIVATE: &str = "resource_private";
/// CKAN core visibility; a JSON boolean in the package, `"True"`/`"False"` in the local record.
pub const PRIVATE: &str = "private";
/// The dataset title: unique among datasets.
pub const TITLE: &str = "title";
/// The dataset's URL name (slug), and a resource's shown name: both start from what the person typed or
/// the attached file's name.
pub const NAME: &str = "name";
/// The dataset's description (คำอธิบาย): the checklist's first step asks for it.
pub const NOTES: &str = "notes";
/// The organisation that owns the dataset (its id or name on the ADC); also a `package_search` filter.
pub const OWNER_ORG: &str = "owner_org";
/// A resource's link; for an uploaded file CKAN records the file name here (`url_type` "upload").
pub const URL: &str = "url";
/// A resource's file format (CSV, XLSX …); CKAN guesses it from the file name when empty.
pub const FORMAT: &str = "format";
/// The update-frequency unit: its choice says whether an interval is needed.
pub const UPDATE_FREQUENCY_UNIT: &str = "update_frequency_unit";
/// The update interval: a positive whole number when the unit needs one.
pub const UPDATE_FREQUENCY_INTERVAL: &str = "update_frequency_interval";

/// Package JSON keys that are not metadata fields.
pub mod package {
    /// CKAN's list form of the tags: `[{"name": "..."}]`.
    pub const TAGS: &str = "tags";
    /// The package's resource list.
    pub const RESOURCES: &str = "resources";
    /// The name of one tag inside `tags`.
    pub const TAG_NAME: &str = "name";
}
