//! Which metadata schema the app uses: the ADC's own (`scheming_dataset_schema_show`), cached per ADC
//! so it works offline, or the built-in thai_gdc copy when no ADC schema has been fetched or the cached
//! one no longer parses. The raw server answer is kept, so a newer app can parse it again.

use catalog_schema::Schema;
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::store::Store;

const ADC_URL: &str = "adc_url";

fn cache_key(adc_url: &str) -> String {
    format!("schema_cache:{adc_url}")
}

/// Where the schema in use came from, for the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct SchemaInfo {
    /// The ADC the schema came from; `None` for the built-in copy.
    pub adc_url: Option<String>,
    /// The ADC's name as its `status_show` gives it (`site_title`), to tell the person which ADC this is.
    pub site_title: Option<String>,
    /// The ADC's CKAN version (`status_show`; hidden when the ADC sets `ckan.hide_version`).
    pub ckan_version: Option<String>,
    /// thai_gdc version: the ADC's (`status_show`) or the built-in asset's.
    pub thaigdc_version: Option<String>,
    pub catalog_type: Option<String>,
    /// When it was fetched from the ADC.
    pub fetched_at: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct CachedSchema {
    raw: String,
    info: SchemaInfo,
}

/// The built-in schema's description.
pub fn built_in_info() -> SchemaInfo {
    let version = match Schema::built_in().source() {
        catalog_schema::SchemaSource::BuiltIn { version } => Some(version.clone()),
        catalog_schema::SchemaSource::Server => None,
    };
    SchemaInfo {
        adc_url: None,
        site_title: None,
        ckan_version: None,
        thaigdc_version: version,
        catalog_type: None,
        fetched_at: None,
    }
}

/// Remembers an ADC's schema (as the server sent it) and makes that ADC the current one.
pub fn remember(store: &Store, raw: &str, mut info: SchemaInfo) -> Result<SchemaInfo, StoreError> {
    let adc_url = info.adc_url.clone().unwrap_or_default();
    info.fetched_at = Some(crate::store::now());
    let cached = serde_json::to_string(&CachedSchema {
        raw: raw.to_owned(),
        info: info.clone(),
    })
    .map_err(|e| StoreError::Database(e.to_string()))?;
    store.set_setting(&cache_key(&adc_url), &cached)?;
    store.set_setting(ADC_URL, &adc_url)?;
    Ok(info)
}

/// The schema to use at start: the current ADC's cached schema if it parses, else the built-in one.
pub fn current(store: &Store) -> (Schema, SchemaInfo) {
    let cached = store
        .setting(ADC_URL)
        .ok()
        .flatten()
        .and_then(|url| store.setting(&cache_key(&url)).ok().flatten())
        .and_then(|text| serde_json::from_str::<CachedSchema>(&text).ok())
        .and_then(|cached| {
            Schema::from_server_json(&cached.raw)
                .ok()
                .map(|schema| (schema, cached.info))
        });
    cached.unwrap_or_else(|| (Schema::built_in().clone(), built_in_info()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_adc_schema_is_used_next_time_and_a_broken_cache_falls_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(current(&store).1, built_in_info());

        let server = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/ckan/thai-gdc-schema.json"
        ))
        .expect("../shared/ckan/thai-gdc-schema.json (the test server's schema) is needed by this test");
        let info = SchemaInfo {
            adc_url: Some("http://127.0.0.1:5000".into()),
            site_title: Some("Agency Data Catalog (test fixture)".into()),
            ckan_version: Some("2.11.6".into()),
            thaigdc_version: Some("2.2.4".into()),
            catalog_type: Some("agency".into()),
            fetched_at: None,
        };
        let remembered = remember(&store, &server, info).unwrap();
        assert!(remembered.fetched_at.is_some());
        let (schema, used) = current(&store);
        assert_eq!(used, remembered);
        assert_eq!(schema.source(), &catalog_schema::SchemaSource::Server);

        let older = serde_json::json!({
            "raw": server,
            "info": {"adc_url": "http://127.0.0.1:5000", "thaigdc_version": "2.2.4", "catalog_type": "agency"}
        });
        store
            .set_setting(&cache_key("http://127.0.0.1:5000"), &older.to_string())
            .unwrap();
        let (schema, used) = current(&store);
        assert_eq!(schema.source(), &catalog_schema::SchemaSource::Server);
        assert_eq!(
            (used.site_title, used.thaigdc_version.as_deref()),
            (None, Some("2.2.4")),
            "a cache kept before the ADC's title was kept still serves"
        );

        store
            .set_setting(
                &cache_key("http://127.0.0.1:5000"),
                "{\"raw\": \"not a schema\", \"info\": {}}",
            )
            .unwrap();
        assert_eq!(
            current(&store).1,
            built_in_info(),
            "a cache that no longer parses falls back to the built-in schema"
        );
    }
}
