//! Thin command adapters, one file per area: each takes the UI's arguments, calls the domain and returns
//! its result or its `{code, message}` error.

pub mod account;
pub mod adc;
pub mod app;
pub mod drafts;
pub mod import;
pub mod metadata;
pub mod package;
pub mod preview;
pub mod publish;
pub mod resources;
pub mod review;
