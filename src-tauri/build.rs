//! Generates the Tauri context and one `allow-<command>` permission per app command, so the window's
//! capability (src-tauri/capabilities/main-window.json) can grant exactly the commands it uses.

const COMMANDS: &[&str] = &[
    "app_status",
    "set_language",
    "list_drafts",
    "get_draft",
    "create_draft",
    "rename_draft",
    "delete_draft",
    "list_resources",
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
