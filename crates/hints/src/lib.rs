//! Catalog Desk's content-based classification hints (issue #5): one streamed pass over a resource
//! file's data rows finds what should steer its classification before anything is published: Thai
//! citizen IDs, phone numbers, e-mail addresses, titled names, house addresses and bank accounts
//! (personal data), juristic-person IDs (noted as not personal data), coordinates (→ geospatial data
//! type) and statistical tables (→ statistical data type). Each [`Hint`] names its column, how many
//! cells matched, masked examples and what to do in Thai and English, under a stable id for the
//! person's accept/dismiss decision. No UI and no Tauri; every result is `serde::Serialize` and
//! `Deserialize` (the app keeps them).
//!
//! ```no_run
//! use std::sync::atomic::AtomicBool;
//! use catalog_preview::{open, OpenOptions};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut source = open("ผู้รับสวัสดิการ.csv".as_ref(), &OpenOptions::default())?;
//! let layout = source.detect_layout(None)?; // or the layout saved with the resource
//! let cancel = AtomicBool::new(false);
//! let hints = catalog_hints::scan(&mut source, &layout, &mut |_progress| {}, &cancel)?;
//! for hint in &hints {
//!     println!("{} {} {}/{} {:?}", hint.id, hint.column.name, hint.matched, hint.non_empty, hint.examples);
//! }
//! # Ok(())
//! # }
//! ```

mod error;
mod hint;
mod mask;
mod scan;
mod scanner;
mod values;

pub use error::HintError;
pub use hint::{ColumnRef, Hint, HintKind, Suggestion};
pub use scan::scan;
pub use scanner::{HintScanner, IDENTIFIER_SHARE, MIN_MATCHES, SCANNER_VERSION, TEXT_SHARE};
pub use values::{
    bank_account_digits, bank_account_formatted, check_digit_ok, decimal_degrees, email_address, find_email,
    find_thai_phone, house_address, juristic_person_id, juristic_person_name, thai_citizen_id_valid,
    thai_coordinate_pair, thai_latitude, thai_longitude, thai_phone_number, thirteen_digits, titled_person_name,
};
