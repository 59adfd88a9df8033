//! Agency Data Catalog commands: which metadata schema is in use, and fetching an ADC's own schema
//! (which is then cached for offline use).

use catalog_adc::{load_live_schema, AdcClient};
use catalog_core::metadata;
use catalog_core::schema_cache::{self, SchemaInfo};
use catalog_schema::{keys, Problem};
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

/// Whether the draft's title is free on the ADC; `checked` is false when no ADC is set or it could not
/// be reached (the check then waits for the next try; publishing reports a clash anyway).
#[derive(serde::Serialize)]
pub struct TitleCheck {
    checked: bool,
    problem: Option<Problem>,
}

#[tauri::command]
pub async fn check_title_on_adc(state: State<'_, AppState>, draft_id: String) -> CommandResult<TitleCheck> {
    let Some(adc_url) = state.schema_info().adc_url else {
        return Ok(TitleCheck {
            checked: false,
            problem: None,
        });
    };
    let title = state.with_store(move |s| s.draft(&draft_id)).await?.title;
    match AdcClient::new(&adc_url, None)?.datasets_titled(&title).await {
        Ok(found) => {
            let names: Vec<String> = found
                .iter()
                .filter_map(|p| p.get(keys::NAME)?.as_str().map(str::to_owned))
                .collect();
            Ok(TitleCheck {
                checked: true,
                problem: (!names.is_empty()).then(|| metadata::title_taken_on_adc(&names)),
            })
        }
        Err(err) if err.is_retryable() => Ok(TitleCheck {
            checked: false,
            problem: None,
        }),
        Err(err) => Err(err.into()),
    }
}
