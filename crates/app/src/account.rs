//! The ADC account and the ADC itself: which schema is in use and fetching an ADC's own (cached for
//! offline use), who is signed in, signing in with a pasted API token or with user name, password and
//! the 6-digit authenticator code (the token then goes to the OS keyring only), signing out, and whether
//! a draft's title is free on the ADC.

use catalog_adc::{load_live_schema, AdcClient, ApiToken, Organization, SignIn};
use catalog_core::checklist::AccountState;
use catalog_core::metadata;
use catalog_core::schema_cache::{self, SchemaInfo};
use catalog_error::UserMessage;
use catalog_publish::secrets;
use catalog_schema::{keys, Problem};
use serde::Serialize;

use crate::desk::Desk;
use crate::error::DeskResult;

/// The account as the window and `status` show it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct AccountView {
    /// The ADC in use (the one whose form is used); none until one is set.
    pub site: Option<String>,
    pub signed_in: bool,
    /// Where tokens are kept is not permanent (no OS keyring): the message says so.
    pub keyring_warning: Option<UserMessage>,
    /// The organisations the account may publish to, as last seen.
    pub organizations: Vec<Organization>,
}

/// Whether the draft's title is free on the ADC; `checked` is false when no ADC is set or it could not
/// be reached (the check then waits for the next try; publishing reports a clash anyway).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct TitleCheck {
    pub checked: bool,
    pub problem: Option<Problem>,
}

impl Desk {
    pub async fn account(&self) -> DeskResult<AccountView> {
        let site = self.schema_info().adc_url;
        let signed_in = match &site {
            Some(site) => self.secrets.token(site)?.is_some(),
            None => false,
        };
        Ok(AccountView {
            organizations: self.remembered_organizations().await,
            site,
            signed_in,
            keyring_warning: self.keyring_warning.clone(),
        })
    }

    /// Whether a token is kept for the ADC in use (false when none is set or the keyring cannot be read).
    pub(crate) fn is_signed_in(&self) -> bool {
        self.schema_info()
            .adc_url
            .is_some_and(|site| self.secrets.token(&site).ok().flatten().is_some())
    }

    /// What the checklist needs of the account: an ADC set, a token kept for it, and the organisations
    /// (ids and names) it may publish to, as last seen.
    pub(crate) async fn account_state(&self) -> AccountState {
        AccountState {
            adc_configured: self.schema_info().adc_url.is_some(),
            signed_in: self.is_signed_in(),
            publishable_orgs: self
                .remembered_organizations()
                .await
                .into_iter()
                .flat_map(|o| [o.id, o.name])
                .collect(),
        }
    }

    /// Checks that the address is an ADC (its `status_show` shows thai_gdc), fetches its own schema, caches
    /// it for offline use and makes it (and that ADC) the one in use. The answer names the ADC as it calls
    /// itself, with its CKAN and thai_gdc versions, so the person sees they reached the right one.
    pub async fn use_adc(&self, adc_url: &str) -> DeskResult<SchemaInfo> {
        let client = AdcClient::new(adc_url, None)?;
        let live = load_live_schema(&client).await?;
        let status = live.status;
        let info = SchemaInfo {
            adc_url: Some(client.site_url()),
            site_title: status.site_title.filter(|t| !t.trim().is_empty()),
            ckan_version: status.ckan_version,
            thaigdc_version: status.thaigdc_version,
            catalog_type: status.thaigdc_catalog_type,
            fetched_at: None,
        };
        let raw = live.raw;
        let info = self.with_store(move |s| schema_cache::remember(s, &raw, info)).await?;
        self.use_schema(live.schema, info.clone());
        Ok(info)
    }

    pub async fn sign_in_with_token(&self, token: String) -> DeskResult<AccountView> {
        let site = self.site()?;
        self.keep_token(&site, ApiToken::new(token)?).await
    }

    pub async fn sign_in_with_password(
        &self,
        login: &str,
        password: &str,
        code: Option<&str>,
    ) -> DeskResult<AccountView> {
        let site = self.site()?;
        let token_name = secrets::token_name();
        let request = SignIn {
            login,
            password,
            code: code.filter(|c| !c.trim().is_empty()),
            token_name: &token_name,
        };
        let token = AdcClient::sign_in(&site, &request).await?;
        self.keep_token(&site, token).await
    }

    /// Keeps a token the ADC accepted, and the organisations it may publish to.
    async fn keep_token(&self, site: &str, token: ApiToken) -> DeskResult<AccountView> {
        let client = AdcClient::new(site, Some(token.clone()))?;
        let organizations = client.verified_organizations().await?;
        self.secrets.save_token(site, &token)?;
        self.remember_organizations(site, &organizations).await?;
        self.account().await
    }

    pub async fn sign_out(&self) -> DeskResult<AccountView> {
        self.secrets.forget_token(&self.site()?)?;
        self.account().await
    }

    pub async fn check_title_on_adc(&self, draft_id: String) -> DeskResult<TitleCheck> {
        let unchecked = TitleCheck {
            checked: false,
            problem: None,
        };
        let Some(adc_url) = self.schema_info().adc_url else {
            return Ok(unchecked);
        };
        let title = self.with_store(move |s| s.draft(&draft_id)).await?.title;
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
            Err(err) if err.is_retryable() => Ok(unchecked),
            Err(err) => Err(err.into()),
        }
    }
}
