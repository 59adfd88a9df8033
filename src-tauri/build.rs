//! Generates the Tauri context and one `allow-<command>` permission per app command, so the window's
//! capability (src-tauri/capabilities/main-window.json) can grant exactly the commands it uses.

const COMMANDS: &[&str] = &[
    "account_status",
    "sign_in_with_token",
    "sign_in_with_password",
    "sign_out",
    "publish_draft",
    "outbox_list",
    "outbox_action",
    "gdc_state",
    "set_gdc_harvester",
    "schema_info",
    "refresh_schema",
    "check_title_on_adc",
    "app_status",
    "set_language",
    "list_drafts",
    "create_draft",
    "rename_draft",
    "delete_draft",
    "form_layout",
    "draft_view",
    "draft_checklist",
    "set_field",
    "set_resource_field",
    "undo_change",
    "review_draft",
    "review_sheet",
    "save_review_sheet",
    "export_review_package",
    "read_review_package",
    "apply_review_package",
    "import_plan_file",
    "import_pick_file",
    "import_apply",
    "import_discard",
    "import_save_report",
    "export_file",
    "folder_pick",
    "folder_attach",
    "folder_cancel",
    "preview_open",
    "preview_rows",
    "preview_index",
    "preview_profile",
    "preview_set_layout",
    "preview_choose_header",
    "preview_hints",
    "decide_hint",
    "preview_cancel",
    "preview_close",
    "attach_files",
    "pick_and_attach_files",
    "remove_resource",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/*.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri build script");
}
