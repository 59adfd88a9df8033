//! The two bulk templates' own shapes, which the schema does not hold: the NSO template's sheet names,
//! row positions and column order per thai_gdc version, and the names of Catalog Desk's own template
//! (`assets/import/*.json`, embedded). Columns name schema field keys; labels, choices and value rules
//! come from the schema.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use catalog_error::Bilingual;
use serde::Deserialize;

const NSO_JSON: &str = include_str!("../../../assets/import/nso-template.json");
const OURS_JSON: &str = include_str!("../../../assets/import/our-template.json");

/// A column the ADC reads and drops (column B, the type, except on the "other" sheet).
pub const IGNORED: &str = "!ignored";
/// A resource sheet's column A: the text of column A of its dataset row.
pub const JOIN: &str = "!join";

/// The NSO template (Template 2/3) as ckanext-thai_gdc reads it.
#[derive(Debug, Clone, Deserialize)]
pub struct NsoLayout {
    /// 1-based row holding the column headers; the row after it is always dropped by the ADC.
    pub header_row: u32,
    /// 1-based row of the first dataset or resource.
    pub first_data_row: u32,
    /// Known versions, newest first.
    pub versions: Vec<String>,
    pub default_version: String,
    /// Columns read but deliberately not imported, with the reason shown in the report.
    pub not_imported: BTreeMap<String, Bilingual>,
    /// Free text for rows 1–3 of an exported sheet.
    pub title_rows: Vec<String>,
    pub dataset_sheets: Vec<NsoSheet>,
}

/// One `Temp2_Meta_*` sheet with its `Temp3_Resource_*` sheet.
#[derive(Debug, Clone, Deserialize)]
pub struct NsoSheet {
    pub sheet: String,
    /// The data type (a value of the schema's data-type field) of every row.
    pub data_type: String,
    pub resource_sheet: String,
    /// Column keys by version.
    pub columns: BTreeMap<String, Vec<String>>,
    pub resource_columns: Vec<String>,
}

impl NsoSheet {
    /// The version whose column count is `width`.
    pub fn version_for_width(&self, width: usize) -> Option<&str> {
        self.columns
            .iter()
            .find(|(_, cols)| cols.len() == width)
            .map(|(v, _)| v.as_str())
    }
}

/// Catalog Desk's own template: names that are not in the schema.
#[derive(Debug, Clone, Deserialize)]
pub struct OursLayout {
    pub label_row: u32,
    pub key_row: u32,
    pub first_data_row: u32,
    /// Sheet for drafts that have no data type yet.
    pub untyped_sheet: String,
    pub resource_sheet: String,
    /// Hidden sheet holding the drop-down lists.
    pub choices_sheet: String,
    /// Key of the resource sheet's column naming the dataset (its URL name).
    pub join_key: String,
    pub join_label: Bilingual,
    /// How several values share one cell.
    pub separator: String,
}

static NSO: LazyLock<NsoLayout> =
    LazyLock::new(|| serde_json::from_str(NSO_JSON).expect("the NSO layout asset parses (tested)"));
static OURS: LazyLock<OursLayout> =
    LazyLock::new(|| serde_json::from_str(OURS_JSON).expect("the own-template layout asset parses (tested)"));

pub fn nso() -> &'static NsoLayout {
    &NSO
}

pub fn ours() -> &'static OursLayout {
    &OURS
}

#[cfg(test)]
mod tests {
    use super::*;
    use catalog_schema::{Schema, Scope};

    #[test]
    fn every_column_names_a_schema_field_and_every_sheet_a_data_type() {
        let schema = Schema::built_in();
        let layout = nso();
        assert!(layout.versions.contains(&layout.default_version));
        for sheet in &layout.dataset_sheets {
            assert!(
                schema.data_types().iter().any(|t| t.value == sheet.data_type),
                "{}",
                sheet.sheet
            );
            for version in &layout.versions {
                for key in &sheet.columns[version] {
                    assert!(
                        key == IGNORED || schema.field(Scope::Dataset, key).is_some(),
                        "{key} in {}",
                        sheet.sheet
                    );
                }
            }
            for key in &sheet.resource_columns {
                assert!(key == JOIN || schema.field(Scope::Resource, key).is_some(), "{key}");
            }
        }
        assert_eq!(ours().separator, ", ");
    }
}
