//! Publishing commands: queue an approved draft for its ADC (or list first, as a dry run, the exact calls
//! publishing would make), list the outbox, pause, retry, cancel or overwrite a remote edit, ask GD
//! Catalog about a published dataset now or list the states last seen, and pull an organisation's ADC
//! datasets into drafts. The outbox worker ([`crate::publishing`]) does the publishing and the regular GD
//! Catalog checks itself.

use catalog_core::local_user;
use catalog_publish::{
    check_gdc, import_remote, remote_datasets, DraftSnapshot, DryRun, GdcOutcome, OutboxItem, PublishOptions, StoredGdc,
};
use tauri::{AppHandle, Emitter, State};

use crate::error::{CommandError, CommandResult};
use crate::publishing::GDC_CHANGED;
use crate::state::{AppState, GDC_HARVESTER};

#[tauri::command]
pub async fn publish_draft(
    state: State<'_, AppState>,
    draft_id: String,
    withhold_files: bool,
) -> CommandResult<OutboxItem> {
    let site = state.schema_info().adc_url.ok_or_else(no_adc)?;
    let id = draft_id.clone();
    let draft = state.with_store(move |s| s.draft(&id)).await?;
    let options = PublishOptions::for_draft(&draft.metadata, withhold_files);
    let item = state
        .with_outbox(|outbox| {
            outbox
                .enqueue(&draft_id, &site, &options)
                .and_then(|id| outbox.item(id))
        })
        .await?;
    state.wake_publisher();
    Ok(item)
}

#[tauri::command]
pub async fn outbox_list(state: State<'_, AppState>) -> CommandResult<Vec<OutboxItem>> {
    state.outbox_items().await
}

/// What the person does with a queued item.
#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxAction {
    Pause,
    Retry,
    Cancel,
    /// The ADC copy was edited since the last publish: publish over it anyway.
    Overwrite,
}

#[tauri::command]
pub async fn outbox_action(
    state: State<'_, AppState>,
    item_id: i64,
    action: OutboxAction,
) -> CommandResult<OutboxItem> {
    let item = state
        .with_outbox(|outbox| match action {
            OutboxAction::Pause => outbox.pause(item_id),
            OutboxAction::Retry => outbox.retry(item_id),
            OutboxAction::Cancel => outbox.cancel(item_id),
            OutboxAction::Overwrite => outbox.overwrite_remote(item_id),
        })
        .await?;
    state.wake_publisher();
    Ok(item)
}

/// Asks GD Catalog now about the draft's dataset on the ADC in use and keeps the answer; `None` before it
/// is published.
#[tauri::command]
pub async fn gdc_state(
    app: AppHandle,
    state: State<'_, AppState>,
    draft_id: String,
) -> CommandResult<Option<StoredGdc>> {
    let site = state.schema_info().adc_url.ok_or_else(no_adc)?;
    let target = {
        let site = site.clone();
        state
            .with_outbox(move |outbox| outbox.gdc_target(&draft_id, &site))
            .await?
    };
    let Some(target) = target else {
        return Ok(None);
    };
    let (config, client) = (state.gdc_config().await?, state.secrets().client(&site)?);
    let checks = check_gdc(&config, &client, vec![target]).await;
    let stored = state.with_outbox(|outbox| outbox.record_gdc_checks(&checks)).await?;
    for answer in &stored {
        let _ = app.emit(GDC_CHANGED, answer);
    }
    match checks.into_iter().next().map(|check| check.outcome) {
        Some(GdcOutcome::Failed(error)) => Err(error.into()),
        _ => Ok(stored.into_iter().next()),
    }
}

/// The GD Catalog states last seen for the drafts published to the ADC in use (no network).
#[tauri::command]
pub async fn gdc_states(state: State<'_, AppState>) -> CommandResult<Vec<StoredGdc>> {
    let Some(site) = state.schema_info().adc_url else {
        return Ok(Vec::new());
    };
    state.with_outbox(move |outbox| outbox.gdc_stored_all(&site)).await
}

#[tauri::command]
pub async fn set_gdc_harvester(state: State<'_, AppState>, url: String) -> CommandResult<()> {
    state
        .with_store(move |s| s.set_setting(GDC_HARVESTER, url.trim()))
        .await
}

fn no_adc() -> CommandError {
    CommandError(catalog_error::UserMessage::new(
        "publish.no_adc",
        "ยังไม่ได้ระบุระบบบัญชีข้อมูลหน่วยงาน (ADC) ที่จะเผยแพร่",
        "No agency data catalog (ADC) to publish to has been set.",
    ))
}

/// What publishing would send now: the item is queued paused (resume it to publish, or cancel it) and
/// the exact write calls are listed without being made.
#[tauri::command]
pub async fn publish_dry_run(
    state: State<'_, AppState>,
    draft_id: String,
    withhold_files: bool,
) -> CommandResult<DryRun> {
    let site = state.schema_info().adc_url.ok_or_else(no_adc)?;
    let schema = state.schema();
    let snapshot = state
        .with_store(move |s| DraftSnapshot::load(s, &schema, &draft_id))
        .await?;
    let client = state.secrets().client(&site)?;
    let outbox = state.outbox();
    let mut outbox = outbox.lock().await;
    let outbox = outbox.as_mut().map_err(|message| CommandError(message.clone()))?;
    Ok(outbox.queue_dry_run(&site, &snapshot, withhold_files, &client).await?)
}

/// Brings the organisation's datasets on the ADC into local drafts (files stay links until downloaded);
/// returns the drafts' ids. A dataset pulled before updates its draft.
#[tauri::command]
pub async fn pull_organization(state: State<'_, AppState>, organization_id: String) -> CommandResult<Vec<String>> {
    let site = state.schema_info().adc_url.ok_or_else(no_adc)?;
    let (schema, client) = (state.schema(), state.secrets().client(&site)?);
    let datasets = remote_datasets(&client, &schema, &organization_id).await?;
    let outbox = state.outbox();
    if let Err(message) = outbox.lock().await.as_ref() {
        return Err(CommandError(message.clone()));
    }
    state
        .with_store(move |s| {
            let mut outbox = outbox.blocking_lock();
            let Ok(outbox) = outbox.as_mut() else {
                return Ok(Vec::new());
            };
            import_remote(s, &schema, outbox, &site, &datasets, &local_user())
        })
        .await
}
