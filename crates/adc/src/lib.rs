//! `catalog-adc`: Catalog Desk's client for one Agency Data Catalog (CKAN 2.9–2.11 with ckanext-scheming
//! and NECTEC's ckanext-thai_gdc). It owns the HTTP calls the app makes to an ADC, the API token as a
//! secret, CKAN's error shapes as one typed [`AdcError`] (with its bilingual text), and loading the ADC's
//! live schema. Package JSON is built and read by `catalog-schema`; this crate knows nothing about Tauri.

mod client;
mod error;
mod gdc;
mod html;
mod live_schema;
mod resources;
mod signin;
mod token;
mod types;

pub use client::{AdcClient, Timeouts};
pub use error::{AdcError, FieldError, TokenUse};
pub use gdc::GdcRecord;
pub use live_schema::{load_live_schema, LiveSchema};
pub use resources::{FileUpload, Progress};
pub use signin::SignIn;
pub use token::ApiToken;
pub use types::{AdcStatus, Organization, PackagePage, TokenStatus};
