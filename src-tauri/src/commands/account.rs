//! ADC account commands: who is signed in to the ADC in use, signing in by pasting an API token or
//! with user name, password and the 6-digit authenticator code (the token then goes to the OS keyring
//! only), signing out; the organisations the account may publish to are remembered for offline use.

use catalog_adc::{AdcClient, ApiToken, Organization, SignIn};
use catalog_error::UserMessage;
use catalog_publish::secrets;
use serde::Serialize;
use tauri::State;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

#[derive(Serialize)]
pub struct AccountView {
    /// The ADC in use (the one whose form is used); none until one is set.
    site: Option<String>,
    signed_in: bool,
    /// Where tokens are kept is not permanent (no OS keyring): the message says so.
    keyring_warning: Option<UserMessage>,
    /// The organisations the account may publish to, as last seen.
    organizations: Vec<Organization>,
}

fn site(state: &AppState) -> CommandResult<String> {
    state.schema_info().adc_url.ok_or_else(|| {
        CommandError(UserMessage::new(
            "account.no_adc",
            "ยังไม่ได้ระบุระบบบัญชีข้อมูลหน่วยงาน (ADC) โปรดใส่ที่อยู่ ADC แล้วดึงแบบฟอร์มก่อน",
            "No agency data catalog (ADC) is set yet: enter its address and fetch its form first.",
        ))
    })
}

async fn view(state: &AppState) -> CommandResult<AccountView> {
    let site = state.schema_info().adc_url;
    let signed_in = match &site {
        Some(site) => state.secrets().token(site)?.is_some(),
        None => false,
    };
    Ok(AccountView {
        organizations: state.remembered_organizations().await,
        site,
        signed_in,
        keyring_warning: state.keyring_warning(),
    })
}

/// Keeps a working token and the organisations it may publish to.
async fn keep(state: &AppState, site: &str, token: ApiToken) -> CommandResult<AccountView> {
    let client = AdcClient::new(site, Some(token.clone()))?;
    let organizations = client.verified_organizations().await?;
    state.secrets().save_token(site, &token)?;
    state.remember_organizations(organizations).await?;
    view(state).await
}

#[tauri::command]
pub async fn account_status(state: State<'_, AppState>) -> CommandResult<AccountView> {
    view(&state).await
}

#[tauri::command]
pub async fn sign_in_with_token(state: State<'_, AppState>, token: String) -> CommandResult<AccountView> {
    let site = site(&state)?;
    keep(&state, &site, ApiToken::new(token)?).await
}

#[tauri::command]
pub async fn sign_in_with_password(
    state: State<'_, AppState>,
    login: String,
    password: String,
    code: Option<String>,
) -> CommandResult<AccountView> {
    let site = site(&state)?;
    let code = code.filter(|c| !c.trim().is_empty());
    let token_name = secrets::token_name();
    let request = SignIn {
        login: &login,
        password: &password,
        code: code.as_deref(),
        token_name: &token_name,
    };
    let token = AdcClient::sign_in(&site, &request).await?;
    keep(&state, &site, token).await
}

#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> CommandResult<AccountView> {
    let site = site(&state)?;
    state.secrets().forget_token(&site)?;
    view(&state).await
}
