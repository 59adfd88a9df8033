//! Native file dialogs, opened from Rust so the webview never browses the file system. End-to-end tests
//! cannot click a native dialog, so when `CATALOG_DESK_TEST_DIALOG_ANSWER` is set (only the E2E tests
//! set it, through tauri-driver's environment) every dialog answers that path at once instead.

use std::path::PathBuf;

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

const TEST_ANSWER: &str = "CATALOG_DESK_TEST_DIALOG_ANSWER";

fn test_answer() -> Option<PathBuf> {
    std::env::var_os(TEST_ANSWER)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Files to open; empty when cancelled.
pub async fn pick_files(app: &AppHandle, title: String) -> Vec<PathBuf> {
    if let Some(answer) = test_answer() {
        return vec![answer];
    }
    let (sender, receiver) = tokio::sync::oneshot::channel();
    app.dialog().file().set_title(title).pick_files(move |picked| {
        let _ = sender.send(picked.unwrap_or_default());
    });
    receiver
        .await
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .collect()
}

/// One file to open, of the given kinds; `None` when cancelled.
pub async fn pick_file(app: &AppHandle, title: String, kind: &str, extensions: &[&str]) -> Option<PathBuf> {
    if let Some(answer) = test_answer() {
        return Some(answer);
    }
    let (sender, receiver) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .add_filter(kind, extensions)
        .pick_file(move |picked| {
            let _ = sender.send(picked);
        });
    receiver.await.ok().flatten().and_then(|p| p.into_path().ok())
}

/// Where to save a new file, suggested as `file_name`; `None` when cancelled.
pub async fn save_file(
    app: &AppHandle,
    title: String,
    file_name: &str,
    kind: &str,
    extensions: &[&str],
) -> Option<PathBuf> {
    if let Some(answer) = test_answer() {
        return Some(answer);
    }
    let (sender, receiver) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(file_name)
        .add_filter(kind, extensions)
        .save_file(move |chosen| {
            let _ = sender.send(chosen);
        });
    receiver.await.ok().flatten().and_then(|p| p.into_path().ok())
}

/// A folder to read; `None` when cancelled.
pub async fn pick_folder(app: &AppHandle, title: String) -> Option<PathBuf> {
    if let Some(answer) = test_answer() {
        return Some(answer);
    }
    let (sender, receiver) = tokio::sync::oneshot::channel();
    app.dialog().file().set_title(title).pick_folder(move |picked| {
        let _ = sender.send(picked);
    });
    receiver.await.ok().flatten().and_then(|p| p.into_path().ok())
}
