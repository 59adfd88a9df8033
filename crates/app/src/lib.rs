//! `catalog-app`: Catalog Desk's application core. The window (src-tauri) and the command line
//! (crates/cli) both drive the same [`Desk`], so what happens in which order — and so every safety
//! rule — does not depend on which of them the person used. It owns the store, the schema in use, the
//! open previews, what waits for confirmation, the ADC account, the publish outbox and the background
//! publisher, and the lock order between them ([`desk`]). Nothing here imports Tauri.

pub mod account;
pub mod analysis;
pub mod desk;
pub mod drafts;
pub mod error;
pub mod events;
pub mod files;
pub mod publishing;
pub mod settings;
pub mod transfer;

pub use desk::Desk;
pub use error::{DeskError, DeskResult, Failure};
pub use events::{DeskEvent, Events, NoEvents};
