//! The analysis of every resource file, whichever way it entered a draft (attached in the window,
//! a folder, a bulk import, a review package): its layout, row count, classification hints and column
//! profile, made in one pass over the stored copy and kept with the file by `catalog-core`. In the
//! window a background thread works through the store's queue (files never scanned, scanned by another
//! version or with another layout, or interrupted) and is woken whenever a file may have entered or
//! changed; the command line runs the same queue in the foreground. While a file's scan is missing,
//! stale, running or failed, the publish gate keeps its draft from being public.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use catalog_core::analysis::{self, AnalysisError};
use catalog_core::Store;
use catalog_error::{ToUserMessage, UserMessage};
use serde::Serialize;

use crate::desk::{blocking, lock, Desk};
use crate::error::{DeskError, DeskResult};
use crate::events::{DeskEvent, Events};
use crate::files::reporter;

/// How long the background analyser sleeps when it was not woken (it then looks at the queue again).
const IDLE: Duration = Duration::from_secs(60);

/// The background analyser's shared state: whether there may be work, the file being read (with its
/// cancel flag), and the files the person stopped, left alone until asked again.
#[derive(Default)]
pub(crate) struct Analyser {
    wake: Mutex<bool>,
    woken: Condvar,
    current: Mutex<Option<(String, Arc<AtomicBool>)>>,
    stopped: Mutex<HashSet<String>>,
}

/// One file analysed from the command line: what was found, or why not.
#[derive(Debug, Serialize)]
pub struct Analysed {
    pub resource_id: String,
    pub draft_id: String,
    pub data_rows: Option<u64>,
    pub hints: usize,
    pub personal_data_hints: usize,
    pub error: Option<UserMessage>,
}

type SharedStore = Arc<Mutex<Option<Store>>>;

fn with_store<T>(
    store: &SharedStore,
    work: impl FnOnce(&Store) -> Result<T, catalog_core::StoreError>,
) -> DeskResult<T> {
    let guard = lock(store);
    let store = guard.as_ref().ok_or(DeskError::StoreNotOpen)?;
    Ok(work(store)?)
}

/// The next file of the queue that the person has not stopped.
fn next_in_queue(store: &SharedStore, analyser: &Analyser) -> DeskResult<Option<String>> {
    let queue = with_store(store, |s| s.analysis_queue())?;
    let stopped = lock(&analyser.stopped);
    Ok(queue.into_iter().find(|id| !stopped.contains(id)))
}

/// Analyses one file: begins with the store locked, reads the copy without it, keeps the result. `None`
/// when there was nothing to do (done already, or not a table).
fn analyse_one(
    store: &SharedStore,
    analyser: &Analyser,
    events: &Arc<dyn Events>,
    resource_id: &str,
) -> DeskResult<Option<Analysed>> {
    let Some(job) = with_store(store, |s| s.begin_analysis(resource_id))? else {
        return Ok(None);
    };
    let cancel = Arc::new(AtomicBool::new(false));
    *lock(&analyser.current) = Some((resource_id.to_owned(), Arc::clone(&cancel)));
    events.emit(DeskEvent::ResourcesChanged(job.draft_id.clone()));
    let mut progress = reporter(Arc::clone(events), resource_id.to_owned(), "analysis");
    let result = analysis::run(&job, &mut progress, &cancel);
    lock(&analyser.current).take();
    let analysed = |error: Option<UserMessage>, found: Option<&analysis::Analysis>| Analysed {
        resource_id: job.resource_id.clone(),
        draft_id: job.draft_id.clone(),
        data_rows: found.map(|a| a.data_rows),
        hints: found.map_or(0, |a| a.hints.len()),
        personal_data_hints: found.map_or(0, |a| a.hints.iter().filter(|h| h.personal_data).count()),
        error,
    };
    let outcome = match &result {
        Ok(found) => {
            with_store(store, |s| s.finish_analysis(&job, Ok(found)))?;
            analysed(None, Some(found))
        }
        Err(AnalysisError::Cancelled) => {
            with_store(store, |s| s.abandon_analysis(&job))?;
            lock(&analyser.stopped).insert(job.resource_id.clone());
            analysed(Some(AnalysisError::Cancelled.to_user_message()), None)
        }
        Err(failed) => {
            let message = failed.to_user_message();
            with_store(store, |s| s.finish_analysis(&job, Err(&message)))?;
            analysed(Some(message), None)
        }
    };
    events.emit(DeskEvent::ResourcesChanged(job.draft_id.clone()));
    Ok(Some(outcome))
}

impl Desk {
    /// Starts the background analyser (the window's): it works through the queue until the process ends.
    /// A scan cut short by the end of the process is found again, as interrupted, at the next start.
    pub fn start_analyser(self: &Arc<Self>) {
        let (store, analyser, events) = (self.shared_store(), Arc::clone(&self.analyser), self.events());
        let spawned = std::thread::Builder::new()
            .name("file-analysis".into())
            .spawn(move || loop {
                match next_in_queue(&store, &analyser) {
                    Ok(Some(id)) => {
                        if let Err(failure) = analyse_one(&store, &analyser, &events, &id) {
                            tracing::error!(code = %failure.0.code, resource = %id, "file analysis failed");
                            lock(&analyser.stopped).insert(id);
                        }
                    }
                    Ok(None) => {
                        let woken = lock(&analyser.wake);
                        let (mut woken, _) = analyser
                            .woken
                            .wait_timeout_while(woken, IDLE, |woken| !*woken)
                            .unwrap_or_else(|poisoned| poisoned.into_inner());
                        *woken = false;
                    }
                    Err(failure) => {
                        tracing::warn!(code = %failure.0.code, "file analysis queue not read");
                        std::thread::sleep(IDLE);
                    }
                }
            });
        if let Err(err) = spawned {
            tracing::error!(error = %err, "the file analyser could not start");
        }
    }

    /// Tells the background analyser that a file may have entered or changed.
    pub(crate) fn wake_analyser(&self) {
        *lock(&self.analyser.wake) = true;
        self.analyser.woken.notify_one();
    }

    /// Stops the analysis of a file now; it waits until [`Desk::analyse_file`] asks for it again (the
    /// gate stays closed meanwhile).
    pub fn cancel_analysis(&self, resource_id: &str) {
        if let Some((current, cancel)) = lock(&self.analyser.current).as_ref() {
            if current == resource_id {
                cancel.store(true, Ordering::Relaxed);
            }
        }
        lock(&self.analyser.stopped).insert(resource_id.to_owned());
    }

    /// Asks for a file to be checked again (after it was stopped, or its check failed).
    pub async fn analyse_file(&self, resource_id: String) -> DeskResult<()> {
        lock(&self.analyser.stopped).remove(&resource_id);
        self.with_store(move |s| s.requeue_analysis(&resource_id)).await?;
        self.wake_analyser();
        Ok(())
    }

    /// Analyses every file in the queue now, in the caller's task (the command line's `analyse`, and
    /// before it publishes).
    pub async fn analyse_pending(&self) -> DeskResult<Vec<Analysed>> {
        let (store, analyser, events) = (self.shared_store(), Arc::clone(&self.analyser), self.events());
        blocking(move || {
            let mut analysed = Vec::new();
            let mut tried = HashSet::new();
            while let Some(id) = next_in_queue(&store, &analyser)? {
                if !tried.insert(id.clone()) {
                    return Err(DeskError::internal(&format!("file {id} stays in the analysis queue")).into());
                }
                analysed.extend(analyse_one(&store, &analyser, &events, &id)?);
            }
            Ok(analysed)
        })
        .await
    }
}
