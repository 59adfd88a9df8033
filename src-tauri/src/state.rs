//! What the shell keeps while the window is open: the store (or why it could not be opened), the
//! metadata schema in use (the built-in thai_gdc copy until an ADC's live schema replaces it), the open
//! file previews, the import dry run and review package awaiting confirmation, the ADC secrets (OS
//! keyring), the publish outbox and where GD Catalog is asked, and the data folder. Store work runs on a blocking thread so the window never freezes.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use catalog_core::checklist::AccountState;
use catalog_core::package::IncomingPackage;
use catalog_core::preview::Previews;
use catalog_core::schema_cache::{self, SchemaInfo};
use catalog_core::Store;
use catalog_error::{ToUserMessage, UserMessage};
use std::sync::atomic::AtomicBool;

use catalog_adc::Organization;
use catalog_import::folder::FolderPlan;
use catalog_import::ImportPlan;
use catalog_publish::{GdcConfig, Outbox, OutboxItem, PublishError, Secrets};
use catalog_schema::Schema;
use tokio::sync::Notify;

use crate::error::{CommandError, CommandResult};

pub struct AppState {
    store: Arc<Mutex<Option<Store>>>,
    schema: RwLock<(Arc<Schema>, SchemaInfo)>,
    previews: Arc<Previews>,
    import_plan: Mutex<Option<ImportPlan>>,
    incoming_package: Mutex<Option<IncomingPackage>>,
    folder_plan: Mutex<Option<FolderPlan>>,
    folder_cancel: Arc<AtomicBool>,
    secrets: Arc<Secrets>,
    keyring_warning: Option<UserMessage>,
    outbox: Arc<tokio::sync::Mutex<Result<Outbox, UserMessage>>>,
    publisher_wake: Arc<Notify>,
    pub startup_error: Option<UserMessage>,
    pub data_dir: PathBuf,
}

impl AppState {
    pub fn open(data_dir: PathBuf) -> AppState {
        let (store, startup_error) = match Store::open(&data_dir) {
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
        let (secrets, keyring_warning) = Secrets::os_or_memory();
        let outbox = Outbox::open(&data_dir).map_err(|e| e.to_user_message());
        AppState {
            secrets: Arc::new(secrets),
            keyring_warning: keyring_warning.map(|w| w.to_user_message()),
            outbox: Arc::new(tokio::sync::Mutex::new(outbox)),
            publisher_wake: Arc::new(Notify::new()),
            store: Arc::new(Mutex::new(store)),
            schema: RwLock::new((Arc::new(schema), info)),
            previews: Arc::new(Previews::default()),
            import_plan: Mutex::new(None),
            incoming_package: Mutex::new(None),
            folder_plan: Mutex::new(None),
            folder_cancel: Arc::new(AtomicBool::new(false)),
            startup_error,
            data_dir,
        }
    }

    /// The metadata schema in use.
    pub fn schema(&self) -> Arc<Schema> {
        Arc::clone(&self.schema.read().unwrap_or_else(|poisoned| poisoned.into_inner()).0)
    }

    /// The file previews open in the window.
    pub fn previews(&self) -> Arc<Previews> {
        Arc::clone(&self.previews)
    }

    /// Keeps the dry run of an import until the person confirms or closes it.
    pub fn keep_import_plan(&self, plan: Option<ImportPlan>) {
        *self.import_plan.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = plan;
    }

    pub fn import_plan(&self) -> Option<ImportPlan> {
        self.import_plan
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    pub fn take_import_plan(&self) -> Option<ImportPlan> {
        self.import_plan
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
    }

    /// Keeps a folder's matched files until the person confirms attaching them.
    pub fn keep_folder_plan(&self, plan: Option<FolderPlan>) {
        *self.folder_plan.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = plan;
    }

    pub fn take_folder_plan(&self) -> Option<FolderPlan> {
        self.folder_plan
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
    }

    /// Set to stop a folder import between two files.
    pub fn folder_cancel_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.folder_cancel)
    }

    /// Keeps a checked review package until the person confirms it.
    pub fn keep_incoming_package(&self, package: Option<IncomingPackage>) {
        *self
            .incoming_package
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = package;
    }

    pub fn take_incoming_package(&self) -> Option<IncomingPackage> {
        self.incoming_package
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
    }

    /// What the app knows of the person's ADC account, for the checklist: an ADC set, a token kept for
    /// it, and the organisations (ids and names) it may publish to, as last seen.
    pub async fn account_state(&self) -> AccountState {
        let site = self.schema_info().adc_url;
        let signed_in = site
            .as_deref()
            .is_some_and(|site| self.secrets.token(site).ok().flatten().is_some());
        let publishable_orgs = self
            .remembered_organizations()
            .await
            .into_iter()
            .flat_map(|o| [o.id, o.name])
            .collect();
        AccountState {
            adc_configured: site.is_some(),
            signed_in,
            publishable_orgs,
        }
    }

    pub fn secrets(&self) -> Arc<Secrets> {
        Arc::clone(&self.secrets)
    }

    /// Set when no OS keyring is available: tokens are then kept only until the app closes.
    pub fn keyring_warning(&self) -> Option<UserMessage> {
        self.keyring_warning.clone()
    }

    fn organizations_key(&self) -> Option<String> {
        self.schema_info().adc_url.map(|site| format!("organizations:{site}"))
    }

    /// The organisations the account may publish to on the ADC in use, as last seen online.
    pub async fn remembered_organizations(&self) -> Vec<Organization> {
        let Some(key) = self.organizations_key() else {
            return Vec::new();
        };
        let saved = self.with_store(move |s| s.setting(&key)).await.ok().flatten();
        saved
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    pub async fn remember_organizations(&self, organizations: Vec<Organization>) -> CommandResult<()> {
        let Some(key) = self.organizations_key() else {
            return Ok(());
        };
        let text = serde_json::to_string(&organizations).map_err(|e| CommandError::internal(&e))?;
        self.with_store(move |s| s.set_setting(&key, &text)).await
    }

    /// Runs `work` with the publish outbox.
    pub async fn with_outbox<T>(&self, work: impl FnOnce(&mut Outbox) -> Result<T, PublishError>) -> CommandResult<T> {
        let mut outbox = self.outbox.lock().await;
        let outbox = outbox.as_mut().map_err(|message| CommandError(message.clone()))?;
        work(outbox).map_err(CommandError::from)
    }

    /// The outbox itself, for the publisher, which holds it across a whole run.
    pub fn outbox(&self) -> Arc<tokio::sync::Mutex<Result<Outbox, UserMessage>>> {
        Arc::clone(&self.outbox)
    }

    pub async fn outbox_items(&self) -> CommandResult<Vec<OutboxItem>> {
        self.with_outbox(|outbox| outbox.items()).await
    }

    /// Tells the publisher to look at the queue now (after an enqueue or a retry).
    pub fn wake_publisher(&self) {
        self.publisher_wake.notify_one();
    }

    pub fn publisher_wake(&self) -> Arc<Notify> {
        Arc::clone(&self.publisher_wake)
    }

    /// Where GD Catalog is asked about published datasets: the harvester set by the person, else
    /// thai_gdc's default.
    pub async fn gdc_config(&self) -> CommandResult<GdcConfig> {
        let harvester = self.with_store(|s| s.setting(GDC_HARVESTER)).await?;
        Ok(GdcConfig {
            harvester_url: harvester.unwrap_or_else(|| GdcConfig::default().harvester_url),
            ..GdcConfig::default()
        })
    }

    /// Where the schema in use came from.
    pub fn schema_info(&self) -> SchemaInfo {
        self.schema
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .1
            .clone()
    }

    /// Replaces the schema in use (after fetching an ADC's own).
    pub fn use_schema(&self, schema: Schema, info: SchemaInfo) {
        *self.schema.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = (Arc::new(schema), info);
    }

    /// Runs `work` with the store on a blocking thread and maps its error for the UI.
    pub async fn with_store<T, E, F>(&self, work: F) -> CommandResult<T>
    where
        T: Send + 'static,
        E: ToUserMessage,
        F: FnOnce(&mut Store) -> Result<T, E> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        let startup_error = self.startup_error.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = store.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            match guard.as_mut() {
                Some(store) => work(store).map_err(CommandError::from),
                None => Err(CommandError(startup_error.unwrap_or_else(not_open))),
            }
        })
        .await
        .map_err(|_| CommandError(not_open()))?
    }
}

/// Setting: the GD Catalog harvester whose status API is asked (thai_gdc's default when unset).
pub const GDC_HARVESTER: &str = "gdc_harvester_url";

fn not_open() -> UserMessage {
    UserMessage::new(
        "store.not_open",
        "ฐานข้อมูลภายในเครื่องยังไม่พร้อมใช้งาน",
        "The local database is not available.",
    )
}
