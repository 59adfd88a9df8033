//! Agency Data Catalog commands: which metadata schema is in use, and fetching an ADC's own schema
//! (which is then cached for offline use).

use catalog_adc::{load_live_schema, AdcClient};
use catalog_core::schema_cache::{self, SchemaInfo};
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub fn schema_info(state: State<'_, AppState>) -> SchemaInfo {
    state.schema_info()
}

#[tauri::command]
pub async fn refresh_schema(state: State<'_, AppState>, adc_url: String) -> CommandResult<SchemaInfo> {
    let client = AdcClient::new(&adc_url, None)?;
    let live = load_live_schema(&client).await?;
    let info = SchemaInfo {
        adc_url: Some(client.site_url()),
        thaigdc_version: live.status.thaigdc_version.clone(),
        catalog_type: live.status.thaigdc_catalog_type.clone(),
        fetched_at: None,
    };
    let raw = live.raw;
    let info = state.with_store(move |s| schema_cache::remember(s, &raw, info)).await?;
    state.use_schema(live.schema, info.clone());
    Ok(info)
}
