//! ADC commands: the schema in use and fetching an ADC's own, the account (sign in, sign out), and
//! whether a title is free on the ADC.

use catalog_app::account::{AccountView, TitleCheck};
use catalog_core::schema_cache::SchemaInfo;

use super::{Answer, DeskState};

#[tauri::command]
pub fn schema_info(desk: DeskState<'_>) -> SchemaInfo {
    desk.schema_info()
}

#[tauri::command]
pub async fn refresh_schema(desk: DeskState<'_>, adc_url: String) -> Answer<SchemaInfo> {
    desk.use_adc(&adc_url).await
}

#[tauri::command]
pub async fn check_title_on_adc(desk: DeskState<'_>, draft_id: String) -> Answer<TitleCheck> {
    desk.check_title_on_adc(draft_id).await
}

#[tauri::command]
pub async fn account_status(desk: DeskState<'_>) -> Answer<AccountView> {
    desk.account().await
}

#[tauri::command]
pub async fn sign_in_with_token(desk: DeskState<'_>, token: String) -> Answer<AccountView> {
    desk.sign_in_with_token(token).await
}

#[tauri::command]
pub async fn sign_in_with_password(
    desk: DeskState<'_>,
    login: String,
    password: String,
    code: Option<String>,
) -> Answer<AccountView> {
    desk.sign_in_with_password(&login, &password, code.as_deref()).await
}

#[tauri::command]
pub async fn sign_out(desk: DeskState<'_>) -> Answer<AccountView> {
    desk.sign_out().await
}
