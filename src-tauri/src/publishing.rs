//! The publisher: one background task that works through the outbox — every due item in turn (loading
//! the draft with the store locked, then publishing without holding it) — then asks GD Catalog about the
//! published datasets whose check is due, then sleeps until the next retry or check is due or it is woken
//! (an item queued or retried). Each step's progress goes to the window as `publish-progress`, every
//! change of the queue as `outbox-changed`, and every GD Catalog answer as `gdc-changed`. The publishing
//! itself is `catalog-publish`'s, which journals every step so a crash resumes without duplicates; when
//! to ask GD Catalog again, and how to back off when it cannot be reached, is decided there too. A failed
//! check is only logged: the window keeps the last answer.

use std::sync::Arc;
use std::time::Duration;

use catalog_publish::{check_gdc, DraftSnapshot, GdcCheck, GdcOutcome, ProgressFn, PublishProgress};
use tauri::{AppHandle, Emitter, Manager};

use crate::state::AppState;

/// Event with a running publish step: `{item_id, action, target, sent, total}`.
const PUBLISH_PROGRESS: &str = "publish-progress";
/// Event after the queue changed; the window lists it again.
const OUTBOX_CHANGED: &str = "outbox-changed";
/// Event with a GD Catalog answer as stored: `{draft_id, status, checked_at, next_check_at}`.
pub const GDC_CHANGED: &str = "gdc-changed";
/// How long the publisher sleeps when nothing is due.
const IDLE: Duration = Duration::from_secs(60);
/// GD Catalog checks per round, so that a queued publish never waits behind many of them.
const GDC_ROUND: usize = 10;

pub fn start(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let wake = state.publisher_wake();
        loop {
            run_due_items(&app, &state).await;
            check_gdc_due(&app, &state).await;
            let site = state.schema_info().adc_url;
            let wait = state
                .with_outbox(|outbox| {
                    let gdc = match &site {
                        Some(site) => outbox.gdc_next_due_in(site)?,
                        None => None,
                    };
                    Ok(outbox.next_due_in()?.into_iter().chain(gdc).min())
                })
                .await
                .ok()
                .flatten()
                .unwrap_or(IDLE);
            tokio::select! {
                _ = tokio::time::sleep(wait.min(IDLE)) => {}
                _ = wake.notified() => {}
            }
        }
    });
}

async fn run_due_items(app: &AppHandle, state: &AppState) {
    let Ok(due) = state.with_outbox(|outbox| outbox.due()).await else {
        return;
    };
    for item in due {
        let (schema, draft_id) = (state.schema(), item.draft_id.clone());
        let snapshot = state
            .with_store(move |s| DraftSnapshot::load(s, &schema, &draft_id))
            .await;
        let outbox = state.outbox();
        let mut outbox = outbox.lock().await;
        let Ok(outbox) = outbox.as_mut() else { return };
        let snapshot = match snapshot {
            Ok(snapshot) => snapshot,
            Err(_) => {
                let _ = outbox.cancel(item.id);
                let _ = app.emit(OUTBOX_CHANGED, ());
                continue;
            }
        };
        let Ok(client) = state.secrets().client(&item.site) else {
            continue;
        };
        let emitter = app.clone();
        let progress: ProgressFn = Arc::new(move |step: PublishProgress| {
            let _ = emitter.emit(PUBLISH_PROGRESS, step);
        });
        let _ = app.emit(OUTBOX_CHANGED, ());
        if let Err(err) = outbox.run_item(item.id, &snapshot, &client, Some(progress)).await {
            tracing::error!(error = %err, item = item.id, "publish outbox failed");
        }
        let _ = app.emit(OUTBOX_CHANGED, ());
    }
}

/// One round of GD Catalog checks for the ADC in use, without holding the outbox during the calls.
async fn check_gdc_due(app: &AppHandle, state: &AppState) {
    let Some(site) = state.schema_info().adc_url else {
        return;
    };
    let due = {
        let site = site.clone();
        state.with_outbox(move |outbox| outbox.gdc_due(&site, GDC_ROUND)).await
    };
    let Ok(due) = due.map_err(|e| tracing::warn!(error = %e.0.code, "GD Catalog checks not listed")) else {
        return;
    };
    if due.is_empty() {
        return;
    }
    let config = state.gdc_config().await;
    let checks = match (config, state.secrets().client(&site)) {
        (Ok(config), Ok(client)) => check_gdc(&config, &client, due).await,
        _ => due
            .into_iter()
            .map(|target| GdcCheck {
                target,
                outcome: GdcOutcome::NotTried,
            })
            .collect(),
    };
    for check in &checks {
        if let GdcOutcome::Failed(err) = &check.outcome {
            tracing::info!(error = %err, draft = %check.target.draft_id, "GD Catalog check failed; will retry later");
        }
    }
    match state.with_outbox(|outbox| outbox.record_gdc_checks(&checks)).await {
        Ok(stored) => {
            for answer in &stored {
                let _ = app.emit(GDC_CHANGED, answer);
            }
        }
        Err(e) => tracing::warn!(error = %e.0.code, "GD Catalog answers not kept"),
    }
}
