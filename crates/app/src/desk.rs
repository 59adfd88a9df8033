//! The [`Desk`]: everything the application keeps while it runs — the local store (or why it could not
//! be opened), the metadata schema in use (the ADC's cached one, else the built-in one: the same for the
//! window and the command line), the open file previews, what waits for the person's confirmation (an
//! import dry run, a folder's matched files, a review package), the ADC secrets, the publish outbox, and
//! where events go. The use cases are `impl Desk` blocks in the sibling modules.
//!
//! Lock order: the store (a std mutex, only ever held on a blocking thread and never across a network
//! call) before the commands' outbox connection (a tokio mutex, held only for short database work or a
//! dry run). The publisher has its own outbox connection, which it holds across uploads; it never takes
//! the store while holding it, so no store command ever waits for an upload or a GD Catalog round.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, RwLock};

use catalog_core::package::IncomingPackage;
use catalog_core::preview::Previews;
use catalog_core::schema_cache::{self, SchemaInfo};
use catalog_core::Store;
use catalog_error::{ToUserMessage, UserMessage};
use catalog_import::folder::FolderPlan;
use catalog_import::ImportPlan;
use catalog_publish::{Outbox, PublishError, Secrets};
use catalog_schema::Schema;
use tokio::sync::Notify;

use crate::analysis::Analyser;
use crate::error::{DeskError, DeskResult, Failure};
use crate::events::{DeskEvent, Events};

/// A publish outbox connection, or why the outbox could not be opened.
pub(crate) type SharedOutbox = Arc<tokio::sync::Mutex<Result<Outbox, UserMessage>>>;

/// What waits for the person to confirm it.
#[derive(Default)]
pub(crate) struct Pending {
    pub import_plan: Mutex<Option<ImportPlan>>,
    pub folder_plan: Mutex<Option<FolderPlan>>,
    pub package: Mutex<Option<IncomingPackage>>,
}

pub struct Desk {
    data_dir: PathBuf,
    store: Arc<Mutex<Option<Store>>>,
    startup_error: Option<UserMessage>,
    schema: RwLock<(Arc<Schema>, SchemaInfo)>,
    pub(crate) previews: Arc<Previews>,
    pub(crate) pending: Pending,
    pub(crate) folder_cancel: Arc<AtomicBool>,
    pub(crate) secrets: Arc<Secrets>,
    pub(crate) keyring_warning: Option<UserMessage>,
    /// The outbox for commands: listing, queueing, pausing, dry runs.
    pub(crate) outbox: SharedOutbox,
    /// The publisher's own outbox connection, held across a whole upload.
    pub(crate) publisher_outbox: SharedOutbox,
    pub(crate) publisher_wake: Arc<Notify>,
    pub(crate) analyser: Arc<Analyser>,
    events: Arc<dyn Events>,
}

impl Desk {
    /// Opens the data folder: the store (a damaged, locked or newer one is reported, never recreated),
    /// the schema in use, the OS keyring (or an in-memory store with a warning) and the outbox.
    pub fn open(data_dir: &Path, events: Arc<dyn Events>) -> Desk {
        Self::open_with_secrets(data_dir, events, Secrets::os_or_memory())
    }

    /// As [`Desk::open`], with the secrets store given (tests use an in-memory one).
    pub fn open_with_secrets(
        data_dir: &Path,
        events: Arc<dyn Events>,
        (secrets, keyring_warning): (Secrets, Option<catalog_publish::SecretError>),
    ) -> Desk {
        let (store, startup_error) = match Store::open(data_dir) {
            Ok(store) => (Some(store), None),
            Err(err) => {
                tracing::error!(error = %err, "store could not be opened");
                (None, Some(err.to_user_message()))
            }
        };
        let (schema, info) = match &store {
            Some(store) => schema_cache::current(store),
            None => (Schema::built_in().clone(), schema_cache::built_in_info()),
        };
        let open_outbox = || {
            Arc::new(tokio::sync::Mutex::new(
                Outbox::open(data_dir).map_err(|e| e.to_user_message()),
            ))
        };
        let publisher_outbox = open_outbox();
        Desk {
            data_dir: data_dir.to_owned(),
            store: Arc::new(Mutex::new(store)),
            startup_error,
            schema: RwLock::new((Arc::new(schema), info)),
            previews: Arc::new(Previews::default()),
            pending: Pending::default(),
            folder_cancel: Arc::new(AtomicBool::new(false)),
            secrets: Arc::new(secrets),
            keyring_warning: keyring_warning.map(|w| w.to_user_message()),
            outbox: open_outbox(),
            publisher_outbox,
            publisher_wake: Arc::new(Notify::new()),
            analyser: Arc::default(),
            events,
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Why the local database could not be opened, if it could not.
    pub fn startup_error(&self) -> Option<UserMessage> {
        self.startup_error.clone()
    }

    /// The metadata schema in use.
    pub fn schema(&self) -> Arc<Schema> {
        Arc::clone(&read(&self.schema).0)
    }

    /// Where the schema in use came from.
    pub fn schema_info(&self) -> SchemaInfo {
        read(&self.schema).1.clone()
    }

    /// The ADC in use, or the error that says none is set.
    pub(crate) fn site(&self) -> DeskResult<String> {
        self.schema_info().adc_url.ok_or_else(|| DeskError::NoAdc.into())
    }

    /// Replaces the schema in use (after fetching an ADC's own).
    pub(crate) fn use_schema(&self, schema: Schema, info: SchemaInfo) {
        *self.schema.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = (Arc::new(schema), info);
    }

    /// The store itself, for the background analyser's thread.
    pub(crate) fn shared_store(&self) -> Arc<Mutex<Option<Store>>> {
        Arc::clone(&self.store)
    }

    pub(crate) fn emit(&self, event: DeskEvent) {
        self.events.emit(event);
    }

    pub(crate) fn events(&self) -> Arc<dyn Events> {
        Arc::clone(&self.events)
    }

    /// Runs `work` with the store on a blocking thread (the caller's thread stays free) and maps its
    /// error for the person.
    pub(crate) async fn with_store<T, E, F>(&self, work: F) -> DeskResult<T>
    where
        T: Send + 'static,
        E: Into<Failure>,
        F: FnOnce(&mut Store) -> Result<T, E> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        blocking(move || {
            let mut guard = lock(&store);
            let store = guard.as_mut().ok_or(DeskError::StoreNotOpen)?;
            work(store).map_err(Into::into)
        })
        .await
    }

    /// Runs `work` with the commands' outbox connection.
    pub(crate) async fn with_outbox<T>(
        &self,
        work: impl FnOnce(&mut Outbox) -> Result<T, PublishError>,
    ) -> DeskResult<T> {
        let mut outbox = self.outbox.lock().await;
        let outbox = outbox.as_mut().map_err(|message| Failure(message.clone()))?;
        work(outbox).map_err(Failure::from)
    }
}

/// Runs blocking work (file reading, the store) off the caller's thread.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> DeskResult<T> + Send + 'static,
) -> DeskResult<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Failure::from(DeskError::internal(&e)))?
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}
