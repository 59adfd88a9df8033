//! The publisher: one background task that works through the outbox — every due item in turn (loading
//! the draft with the store locked, then publishing without holding it), then sleeping until the next
//! retry is due or it is woken (an item queued or retried). Each step's progress goes to the window as
//! `publish-progress`, and every change of the queue as `outbox-changed`. The publishing itself is
//! `catalog-publish`'s, which journals every step so a crash resumes without duplicates.

use std::sync::Arc;
use std::time::Duration;

use catalog_publish::{DraftSnapshot, ProgressFn, PublishProgress};
use tauri::{AppHandle, Emitter, Manager};

use crate::state::AppState;

/// Event with a running publish step: `{item_id, action, target, sent, total}`.
const PUBLISH_PROGRESS: &str = "publish-progress";
/// Event after the queue changed; the window lists it again.
const OUTBOX_CHANGED: &str = "outbox-changed";
/// How long the publisher sleeps when nothing is due.
const IDLE: Duration = Duration::from_secs(60);

pub fn start(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let wake = state.publisher_wake();
        loop {
            run_due_items(&app, &state).await;
            let wait = state
                .with_outbox(|outbox| outbox.next_due_in())
                .await
                .ok()
                .flatten()
                .unwrap_or(IDLE);
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
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
