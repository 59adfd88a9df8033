//! The Tauri shell: resolves the data folder, starts logging, opens the application core
//! ([`catalog_app::Desk`]), starts its background publisher, turns its events into window events and
//! registers the command adapters in [`commands`]. It holds no use case of its own.

mod commands;
mod dialogs;
mod logging;
mod startup;

use std::sync::{Arc, OnceLock};

use catalog_app::{Desk, DeskError, DeskEvent, Events};
use tauri::{AppHandle, Emitter};

/// The core's events, sent to the window once it exists.
#[derive(Default)]
struct WindowEvents {
    app: OnceLock<AppHandle>,
}

impl Events for WindowEvents {
    fn emit(&self, event: DeskEvent) {
        if let Some(app) = self.app.get() {
            let _ = app.emit(event.name(), &event);
        }
    }
}

pub fn run() {
    commands::app::STARTED.get_or_init(std::time::Instant::now);
    let data_dir = catalog_core::data_dir::resolve(catalog_core::data_dir::flag_from_args(std::env::args()));
    let log_guard = logging::init(&data_dir);
    if !startup::webview_present() {
        return;
    }
    let events = Arc::new(WindowEvents::default());
    let desk = Arc::new(Desk::open(&data_dir, events.clone()));
    let outcome = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(Arc::clone(&desk))
        .setup(move |app| {
            let _ = events.app.set(app.handle().clone());
            desk.start_analyser();
            tauri::async_runtime::spawn(desk.run_publisher());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::account::account_status,
            commands::account::sign_in_with_token,
            commands::account::sign_in_with_password,
            commands::account::sign_out,
            commands::account::schema_info,
            commands::account::refresh_schema,
            commands::account::check_title_on_adc,
            commands::publish::publish_draft,
            commands::publish::outbox_list,
            commands::publish::outbox_action,
            commands::publish::gdc_state,
            commands::publish::gdc_states,
            commands::publish::set_gdc_harvester,
            commands::publish::publish_dry_run,
            commands::publish::publish_panel,
            commands::publish::pull_organization,
            commands::app::app_status,
            commands::app::set_language,
            commands::app::end_setup,
            commands::app::window_ready,
            commands::drafts::list_drafts,
            commands::drafts::create_draft,
            commands::drafts::rename_draft,
            commands::drafts::delete_draft,
            commands::drafts::form_layout,
            commands::drafts::draft_view,
            commands::drafts::draft_checklist,
            commands::drafts::set_field,
            commands::drafts::set_resource_field,
            commands::drafts::undo_change,
            commands::review::review_draft,
            commands::review::review_sheet,
            commands::review::save_review_sheet,
            commands::review::decide_hint,
            commands::transfer::export_review_package,
            commands::transfer::read_review_package,
            commands::transfer::apply_review_package,
            commands::transfer::import_plan_file,
            commands::transfer::import_pick_file,
            commands::transfer::import_apply,
            commands::transfer::import_discard,
            commands::transfer::import_save_report,
            commands::transfer::export_file,
            commands::transfer::folder_pick,
            commands::transfer::folder_attach,
            commands::transfer::folder_cancel,
            commands::files::preview_open,
            commands::files::preview_rows,
            commands::files::preview_index,
            commands::files::preview_profile,
            commands::files::preview_set_layout,
            commands::files::preview_choose_header,
            commands::files::analysis_cancel,
            commands::files::analysis_retry,
            commands::files::preview_cancel,
            commands::files::preview_close,
            commands::files::attach_files,
            commands::files::pick_and_attach_files,
            commands::files::remove_resource,
        ])
        .run(tauri::generate_context!());
    if let Err(err) = outcome {
        startup::tell(DeskError::WindowFailed(err.to_string()));
    }
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
