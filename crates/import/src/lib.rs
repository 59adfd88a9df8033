//! `catalog-import`: bulk import and export of dataset entries. It reads the NSO (สสช.) metadata template
//! (both thai_gdc layouts) and Catalog Desk's own schema-generated template into a dry-run plan (one
//! outcome per row, per-cell notes in Thai and English, field-level changes for upserts), applies a plan
//! in one store transaction, saves the plan as a CSV or xlsx report, writes drafts out to either
//! template, and attaches a folder of files to the drafts they belong to. Field keys, labels and choices
//! come from the schema; the templates' own sheet names and column orders come from `assets/import/`.

pub mod apply;
mod cells;
pub mod convert;
pub mod error;
pub mod export;
pub mod folder;
pub mod layout;
pub mod plan;
pub mod report;
pub mod source;
pub mod template;
pub mod workbook;

pub use apply::{apply, Applied};
pub use error::ImportError;
pub use plan::{plan_file, ImportPlan, Outcome, RowPlan, Template};
