//! The window's commands, one file per area; each forwards to the application core's [`Desk`] in a
//! few lines (a native dialog, when the command needs a file chosen, is the shell's only own work).

use std::sync::Arc;

use catalog_app::Desk;

pub mod account;
pub mod app;
pub mod drafts;
pub mod files;
pub mod publish;
pub mod review;
pub mod transfer;

/// The application core, as every command receives it.
pub type DeskState<'a> = tauri::State<'a, Arc<Desk>>;
/// Every command's result: its value, or the `{code, message}` of what went wrong.
pub type Answer<T> = Result<T, catalog_app::Failure>;
