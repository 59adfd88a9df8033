//! The GD Catalog harvester's status API as thai_gdc's own pages call it (`gdcatalog_published_state`, then
//! `gdcatalog_nonpublish_state`, JSON `{site_url, package}`, no token). The harvester is itself a CKAN
//! action API, so an [`AdcClient`] built without a token for the harvester's address makes these calls.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::{typed, AdcClient};
use crate::error::AdcError;

/// What the harvester knows of one ADC dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GdcRecord {
    /// The dataset's name at GD Catalog (its page is `{portal}/dataset/gdpublish-{name}`).
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub metadata_modified: String,
    /// `WAIT`, `VALIDATE`, `VALIDATE_MODIFIED`, `APPROVAL`, `REJECT`, `WAIT_REVOKE`, `REVOKE`, `DELETED`, or
    /// `PUBLISHED` (answered only by `gdcatalog_published_state`).
    #[serde(default)]
    pub governance_state: String,
    #[serde(default)]
    pub validate_time: Option<String>,
    /// Found by `gdcatalog_published_state`: registered at GD Catalog.
    #[serde(skip_deserializing)]
    pub published: bool,
}

impl AdcClient {
    /// The dataset's GD Catalog state, `None` when the harvester does not know it (not yet harvested, or
    /// not consented). `adc_site` is the ADC's address without its scheme (see [`AdcClient::gdc_site_key`]);
    /// call this on a client for the harvester.
    pub async fn gdc_state(&self, adc_site: &str, package_id: &str) -> Result<Option<GdcRecord>, AdcError> {
        let body = Map::from_iter([
            ("site_url".to_owned(), Value::String(adc_site.to_owned())),
            ("package".to_owned(), Value::String(package_id.to_owned())),
        ]);
        for (action, published) in [
            ("gdcatalog_published_state", true),
            ("gdcatalog_nonpublish_state", false),
        ] {
            let reply = self.call(action, self.post(action, &body)?).await?;
            let records: Vec<GdcRecord> = typed(action, reply.result)?;
            if let Some(mut record) = records.into_iter().next() {
                record.published = published;
                return Ok(Some(record));
            }
        }
        Ok(None)
    }

    /// This ADC as the harvester names it: its site address without the scheme (`catalog.agency.go.th`,
    /// `127.0.0.1:5000`).
    pub fn gdc_site_key(&self) -> String {
        let site = self.site_url();
        let without = site.split_once("://").map(|(_, rest)| rest).unwrap_or(&site);
        without.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_key_drops_the_scheme_and_keeps_port_and_path() {
        let key = |u: &str| AdcClient::new(u, None).unwrap().gdc_site_key();
        assert_eq!(key("http://127.0.0.1:5000"), "127.0.0.1:5000");
        assert_eq!(key("https://catalog.agency.go.th/"), "catalog.agency.go.th");
        assert_eq!(key("https://host.go.th/ckan/api/3/action"), "host.go.th/ckan");
    }
}
