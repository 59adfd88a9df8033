//! The Tauri shell: opens the store in the data folder, starts logging, registers the thin command
//! adapters in [`commands`] and runs the window. It holds no domain logic; that lives in the
//! `catalog-*` crates, which never import Tauri.

mod commands;
mod dialogs;
mod error;
mod logging;
mod publishing;
mod state;

use state::AppState;

pub fn run() {
    let data_dir = catalog_core::data_dir::resolve(catalog_core::data_dir::flag_from_args(std::env::args()));
    let log_guard = logging::init(&data_dir);
    let state = AppState::open(data_dir);
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .setup(|app| {
            publishing::start(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::account::account_status,
            commands::account::sign_in_with_token,
            commands::account::sign_in_with_password,
            commands::account::sign_out,
            commands::publish::publish_draft,
            commands::publish::outbox_list,
            commands::publish::outbox_action,
            commands::publish::gdc_state,
            commands::publish::gdc_states,
            commands::publish::set_gdc_harvester,
            commands::publish::publish_dry_run,
            commands::publish::pull_organization,
            commands::adc::schema_info,
            commands::adc::refresh_schema,
            commands::adc::check_title_on_adc,
            commands::app::app_status,
            commands::app::set_language,
            commands::drafts::list_drafts,
            commands::drafts::create_draft,
            commands::drafts::rename_draft,
            commands::drafts::delete_draft,
            commands::metadata::form_layout,
            commands::metadata::draft_view,
            commands::metadata::draft_checklist,
            commands::metadata::set_field,
            commands::metadata::set_resource_field,
            commands::metadata::undo_change,
            commands::review::review_draft,
            commands::review::review_sheet,
            commands::review::save_review_sheet,
            commands::package::export_review_package,
            commands::package::read_review_package,
            commands::package::apply_review_package,
            commands::import::import_plan_file,
            commands::import::import_pick_file,
            commands::import::import_apply,
            commands::import::import_discard,
            commands::import::import_save_report,
            commands::import::export_file,
            commands::import::folder_pick,
            commands::import::folder_attach,
            commands::import::folder_cancel,
            commands::preview::preview_open,
            commands::preview::preview_rows,
            commands::preview::preview_index,
            commands::preview::preview_profile,
            commands::preview::preview_set_layout,
            commands::preview::preview_choose_header,
            commands::preview::preview_hints,
            commands::review::decide_hint,
            commands::preview::preview_cancel,
            commands::preview::preview_close,
            commands::resources::attach_files,
            commands::resources::pick_and_attach_files,
            commands::resources::remove_resource,
        ])
        .run(tauri::generate_context!())
        .expect("the Catalog Desk window could not start");
    drop(log_guard);
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_tauri_identifier_is_the_one_the_data_folder_uses() {
        let config: serde_json::Value = serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap();
        assert_eq!(config["identifier"], catalog_core::data_dir::APP_IDENTIFIER);
    }

    #[test]
    fn every_registered_command_is_granted_to_the_window_and_nothing_more() {
        let capability: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/main-window.json")).unwrap();
        let granted: Vec<&str> = capability["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
            .collect();
        let build_script = include_str!("../build.rs");
        let commands: Vec<String> = build_script
            .lines()
            .filter_map(|l| {
                l.trim()
                    .strip_prefix('"')?
                    .strip_suffix("\",")
                    .map(|c| c.replace('_', "-"))
            })
            .collect();
        assert_eq!(granted, commands);
    }
}
