//! `catalog-schema`: Catalog Desk's metadata schema and validation domain. It owns the schema as data
//! (the embedded thai_gdc asset, or an ADC's live schema merged over it), the typed model every other part
//! reads, validation that mirrors the ADC, Buddhist-era dates, and the mapping to and from CKAN's package
//! JSON. It does no I/O beyond reading the embedded asset and knows nothing about Tauri or the UI.
//!
//! Field keys live in the asset; the few that rules name are the constants of [`keys`].

pub mod ckan;
pub mod keys;
mod load;
pub mod model;
pub mod record;
pub mod slug;
pub mod tags;
#[cfg(test)]
mod testkit;
pub mod thai_date;
pub mod validate;

pub use ckan::{from_package, to_package, ImportedPackage, MappingError};
pub use load::SchemaError;
pub use model::{
    Access, Choice, Classification, ClassificationRule, DataType, Field, IntervalRule, Schema, SchemaSource, Scope,
    Section, Suggestion, ValueKind, Widget,
};
pub use record::{unknown_keys, DraftRecord, UnknownKey};
pub use slug::{check_slug, suggest_slug, SlugProblem};
pub use thai_date::{format_thai, parse_thai, DateError};
pub use validate::{completeness, validate, Completeness, Problem, ProblemCode, Severity};
