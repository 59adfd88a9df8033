//! The live metadata schema of an ADC: `status_show` (which must show thai_gdc) plus
//! `scheming_dataset_schema_show`, parsed by `catalog-schema` (merged over the built-in thai_gdc schema).
//! On any error the caller keeps the schema it already has (built-in or cached).

use catalog_schema::Schema;

use crate::client::AdcClient;
use crate::error::AdcError;
use crate::types::AdcStatus;

/// An ADC's schema with the versions it came from (to cache it and to tell the person what is used).
#[derive(Debug, Clone)]
pub struct LiveSchema {
    pub schema: Schema,
    pub status: AdcStatus,
    /// The server's answer as received, for caching and parsing again offline.
    pub raw: String,
}

/// Fetches and parses the ADC's live schema. A CKAN without thai_gdc gives [`AdcError::NotThaiGdc`]
/// (before its schema is asked for), a server schema that does not parse [`AdcError::Schema`]; network and
/// server failures give the usual [`AdcError`] variants.
pub async fn load_live_schema(client: &AdcClient) -> Result<LiveSchema, AdcError> {
    let status = client.status_show().await?;
    if !status.is_thai_gdc() {
        return Err(AdcError::NotThaiGdc {
            host: client.host.clone(),
            ckan_version: status.ckan_version,
        });
    }
    let json = client.scheming_dataset_schema_show().await?;
    let schema = Schema::from_server_json(&json)?;
    Ok(LiveSchema {
        schema,
        status,
        raw: json,
    })
}
