//! App-wide state the window asks for at start and the preferences kept in the store: the interface
//! language, the first-run setup (offered on a fresh data folder until it is finished or skipped, and
//! which of its steps are still open), the GD Catalog harvester to ask, and the organisations an ADC
//! account may publish to (as last seen online). Every settings key the application uses is named here.

use catalog_adc::Organization;
use catalog_core::review_sheet::Lang;
use catalog_core::StoreError;
use catalog_error::UserMessage;
use catalog_publish::GdcConfig;
use serde::Serialize;

use crate::desk::Desk;
use crate::error::{DeskError, DeskResult};

const LANGUAGE: &str = "language";
/// How the first-run setup ended ([`SetupEnd`]); unset while it is still to be offered.
const SETUP: &str = "setup";
/// The GD Catalog harvester whose status API is asked (thai_gdc's default when unset).
const GDC_HARVESTER: &str = "gdc_harvester_url";

fn organizations_key(site: &str) -> String {
    format!("organizations:{site}")
}

/// What the window needs at start.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct AppStatus {
    pub version: &'static str,
    pub data_dir: String,
    /// The interface language kept by [`Desk::set_language`] (Thai when none is kept).
    pub language: Lang,
    pub store_error: Option<UserMessage>,
    pub setup: SetupStatus,
}

/// A step of the first-run setup, in the order it is offered. Each can also be done later: the
/// language from the window's language switch, the ADC and signing in from the ADC dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum SetupStep {
    /// Choosing the interface language: done once one is kept.
    Language,
    /// The ADC's address, checked and its form fetched ([`Desk::use_adc`]): done once an ADC is in use.
    Adc,
    /// Signing in to that ADC: done while a token is kept for it.
    SignIn,
}

const SETUP_STEPS: [SetupStep; 3] = [SetupStep::Language, SetupStep::Adc, SetupStep::SignIn];

/// How the first-run setup ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum SetupEnd {
    /// With every step done.
    Finished,
    /// With steps still open (working offline for now, signing in later).
    Skipped,
}

impl SetupEnd {
    fn setting(self) -> &'static str {
        match self {
            SetupEnd::Finished => "finished",
            SetupEnd::Skipped => "skipped",
        }
    }
}

/// The first-run setup: offered while `ended` is none, at the first of its open steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SetupStatus {
    pub ended: Option<SetupEnd>,
    /// The steps not done yet, in order.
    pub open_steps: Vec<SetupStep>,
}

impl SetupStatus {
    /// From the kept [`SETUP`] value and the steps still open. A setup with nothing left to do has
    /// finished, and a folder that already holds drafts (made before this setup existed, or with the
    /// command line) is not a fresh one: neither is offered the setup.
    fn new(kept: Option<&str>, open_steps: Vec<SetupStep>, has_drafts: bool) -> SetupStatus {
        let ended = match kept {
            Some(kept) if kept == SetupEnd::Finished.setting() => Some(SetupEnd::Finished),
            Some(_) => Some(SetupEnd::Skipped),
            None if open_steps.is_empty() => Some(SetupEnd::Finished),
            None if has_drafts => Some(SetupEnd::Skipped),
            None => None,
        };
        SetupStatus { ended, open_steps }
    }
}

impl Desk {
    pub async fn app_status(&self) -> DeskResult<AppStatus> {
        let language = self.with_store(|s| s.setting(LANGUAGE)).await.ok().flatten();
        // Without a readable store nothing could be kept: the window shows why instead of the setup.
        let setup = self.setup_status().await.unwrap_or(SetupStatus {
            ended: Some(SetupEnd::Skipped),
            open_steps: Vec::new(),
        });
        Ok(AppStatus {
            version: env!("CARGO_PKG_VERSION"),
            data_dir: self.data_dir().display().to_string(),
            language: if language.as_deref() == Some("en") {
                Lang::En
            } else {
                Lang::Th
            },
            store_error: self.startup_error(),
            setup,
        })
    }

    /// Where the first-run setup stands: whether it ended, and which steps are open (from what is kept:
    /// a language, the ADC in use, a token for it).
    pub async fn setup_status(&self) -> DeskResult<SetupStatus> {
        let (kept, language_kept, has_drafts) = self
            .with_store(|s| Ok::<_, StoreError>((s.setting(SETUP)?, s.setting(LANGUAGE)?.is_some(), s.has_drafts()?)))
            .await?;
        let adc_in_use = self.schema_info().adc_url.is_some();
        let signed_in = self.is_signed_in();
        let open_steps = SETUP_STEPS
            .into_iter()
            .filter(|step| match step {
                SetupStep::Language => !language_kept,
                SetupStep::Adc => !adc_in_use,
                SetupStep::SignIn => !signed_in,
            })
            .collect();
        Ok(SetupStatus::new(kept.as_deref(), open_steps, has_drafts))
    }

    /// Ends the first-run setup on this data folder, finished when every step is done and skipped
    /// otherwise; it is not offered again, and its open steps stay in the window's menu.
    pub async fn end_setup(&self) -> DeskResult<SetupStatus> {
        let end = if self.setup_status().await?.open_steps.is_empty() {
            SetupEnd::Finished
        } else {
            SetupEnd::Skipped
        };
        self.with_store(move |s| s.set_setting(SETUP, end.setting())).await?;
        self.setup_status().await
    }

    /// Keeps the interface language (`en`, else Thai).
    pub async fn set_language(&self, language: &str) -> DeskResult<()> {
        let language = if language == "en" { "en" } else { "th" };
        self.with_store(move |s| s.set_setting(LANGUAGE, language)).await
    }

    pub async fn set_gdc_harvester(&self, url: &str) -> DeskResult<()> {
        let url = url.trim().to_owned();
        self.with_store(move |s| s.set_setting(GDC_HARVESTER, &url)).await
    }

    /// Where GD Catalog is asked about published datasets: the harvester set by the person, else
    /// thai_gdc's default.
    pub(crate) async fn gdc_config(&self) -> DeskResult<GdcConfig> {
        let harvester = self.with_store(|s| s.setting(GDC_HARVESTER)).await?;
        Ok(GdcConfig {
            harvester_url: harvester.unwrap_or_else(|| GdcConfig::default().harvester_url),
            ..GdcConfig::default()
        })
    }

    /// The organisations the account may publish to on the ADC in use, as last seen online.
    pub async fn remembered_organizations(&self) -> Vec<Organization> {
        let Some(site) = self.schema_info().adc_url else {
            return Vec::new();
        };
        let key = organizations_key(&site);
        let saved = self.with_store(move |s| s.setting(&key)).await.ok().flatten();
        saved
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    pub(crate) async fn remember_organizations(&self, site: &str, organizations: &[Organization]) -> DeskResult<()> {
        let key = organizations_key(site);
        let text = serde_json::to_string(organizations).map_err(|e| DeskError::internal(&e))?;
        self.with_store(move |s| s.set_setting(&key, &text)).await
    }
}
