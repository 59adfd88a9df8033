//! What the person sees when the window cannot open at all — a Windows PC without the WebView2 runtime,
//! a window system that refuses the window: a native message box with the core's Thai and English
//! text (the shell keeps none of its own), and the reason in the log.

use catalog_app::{DeskError, Failure};

/// Whether this computer has the web view the window is drawn with; says so in a message box if not.
pub fn webview_present() -> bool {
    match tauri::webview_version() {
        Ok(version) => {
            tracing::info!(%version, "web view runtime");
            true
        }
        Err(err) => {
            tell(DeskError::WebViewMissing(err.to_string()));
            false
        }
    }
}

/// Shows why the app stops, in both languages, and waits for the person to read it.
pub fn tell(error: DeskError) {
    tracing::error!(%error, "the window cannot open");
    let Failure(message) = Failure::from(error);
    rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title("Catalog Desk")
        .set_description(format!("{}\n\n{}", message.message.th, message.message.en))
        .set_buttons(rfd::MessageButtons::Ok)
        .show();
}
