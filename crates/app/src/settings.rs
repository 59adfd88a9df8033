//! App-wide state the window asks for at start and the preferences kept in the store: the interface
//! language, the GD Catalog harvester to ask, and the organisations an ADC account may publish to (as
//! last seen online). Every settings key the application uses is named here.

use catalog_adc::Organization;
use catalog_core::review_sheet::Lang;
use catalog_error::UserMessage;
use catalog_publish::GdcConfig;
use serde::Serialize;

use crate::desk::Desk;
use crate::error::{DeskError, DeskResult};

const LANGUAGE: &str = "language";
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
}

impl Desk {
    pub async fn app_status(&self) -> DeskResult<AppStatus> {
        let language = self.with_store(|s| s.setting(LANGUAGE)).await.ok().flatten();
        Ok(AppStatus {
            version: env!("CARGO_PKG_VERSION"),
            data_dir: self.data_dir().display().to_string(),
            language: if language.as_deref() == Some("en") {
                Lang::En
            } else {
                Lang::Th
            },
            store_error: self.startup_error(),
        })
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
