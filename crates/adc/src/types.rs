//! The typed results of the ADC calls that the app reads field by field (server version, organisations,
//! a page of search results, the token check). Packages themselves stay JSON: `catalog-schema` maps them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What `status_show` says about the ADC. thai_gdc adds the `thaigdc_*` keys; a plain CKAN lacks them, and
/// CKAN hides `ckan_version` when `ckan.hide_version` is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdcStatus {
    pub ckan_version: Option<String>,
    pub thaigdc_version: Option<String>,
    /// `agency`, `area_based`, `data_center` or `local_government`.
    pub thaigdc_catalog_type: Option<String>,
    pub site_title: Option<String>,
    pub site_url: Option<String>,
    pub locale_default: Option<String>,
    #[serde(default)]
    pub extensions: Vec<String>,
}

/// The plugin name thai_gdc is enabled under (`ckan.plugins`), as `status_show` lists it in `extensions`.
const THAI_GDC_PLUGIN: &str = "thai_gdc";

impl AdcStatus {
    /// Whether the server runs ckanext-thai_gdc (an Agency Data Catalog rather than a plain CKAN): its
    /// `status_show` says its version, or (should a version not say it) the plugin is in `extensions`.
    pub fn is_thai_gdc(&self) -> bool {
        self.thaigdc_version.is_some() || self.extensions.iter().any(|e| e == THAI_GDC_PLUGIN)
    }
}

/// An organisation from `organization_list_for_user`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Organization {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub title: String,
    pub display_name: Option<String>,
}

/// One page of `package_search`: the total number of matches and this page's packages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackagePage {
    pub count: u64,
    pub results: Vec<Value>,
}

/// What the ADC makes of the client's API token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum TokenStatus {
    /// The client has no token: calls are anonymous.
    Missing,
    /// The server knows the token; `user` is the account name when the server tells it.
    Valid { user: Option<String> },
    /// The server treats calls with this token as anonymous: wrong, expired or revoked.
    Invalid,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thai_gdc_is_known_by_its_version_or_its_plugin() {
        let plain = AdcStatus {
            ckan_version: Some("2.11.6".into()),
            extensions: vec!["activity".into(), "scheming_datasets".into()],
            ..AdcStatus::default()
        };
        assert!(!plain.is_thai_gdc());
        let versioned = AdcStatus {
            thaigdc_version: Some("2.2.4".into()),
            ..plain.clone()
        };
        assert!(versioned.is_thai_gdc());
        let mut listed = plain;
        listed.extensions.push("thai_gdc".into());
        assert!(listed.is_thai_gdc());
    }
}
