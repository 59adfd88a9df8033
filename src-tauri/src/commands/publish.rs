//! Publishing commands: queue an approved draft (or list first, as a dry run, the exact calls), the
//! outbox and its actions, one draft's publish panel, GD Catalog states, pulling an organisation's
//! datasets. The publisher itself runs in the background ([`catalog_app::Desk::run_publisher`]).

use catalog_app::publishing::{OutboxAction, PublishPanel};
use catalog_publish::{DryRun, OutboxItem, StoredGdc};

use super::{Answer, DeskState};

#[tauri::command]
pub async fn publish_draft(desk: DeskState<'_>, draft_id: String, withhold_files: bool) -> Answer<OutboxItem> {
    desk.publish(draft_id, withhold_files).await
}

#[tauri::command]
pub async fn publish_dry_run(desk: DeskState<'_>, draft_id: String, withhold_files: bool) -> Answer<DryRun> {
    desk.publish_dry_run(draft_id, withhold_files).await
}

#[tauri::command]
pub async fn publish_panel(desk: DeskState<'_>, draft_id: String) -> Answer<PublishPanel> {
    desk.publish_panel(draft_id).await
}

#[tauri::command]
pub async fn outbox_list(desk: DeskState<'_>) -> Answer<Vec<OutboxItem>> {
    desk.outbox_items().await
}

#[tauri::command]
pub async fn outbox_action(desk: DeskState<'_>, item_id: i64, action: OutboxAction) -> Answer<OutboxItem> {
    desk.outbox_action(item_id, action).await
}

#[tauri::command]
pub async fn gdc_state(desk: DeskState<'_>, draft_id: String) -> Answer<Option<StoredGdc>> {
    desk.gdc_state(draft_id).await
}

#[tauri::command]
pub async fn gdc_states(desk: DeskState<'_>) -> Answer<Vec<StoredGdc>> {
    desk.gdc_states().await
}

#[tauri::command]
pub async fn set_gdc_harvester(desk: DeskState<'_>, url: String) -> Answer<()> {
    desk.set_gdc_harvester(&url).await
}

#[tauri::command]
pub async fn pull_organization(desk: DeskState<'_>, organization_id: String) -> Answer<Vec<String>> {
    desk.pull_organization(organization_id).await
}
