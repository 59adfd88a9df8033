//! The subcommands, each a thin call into `catalog-import`, `catalog-core` and `catalog-schema`. Each
//! writes its JSON result to stdout (streamed, so a large plan is not copied) and says whether that
//! result holds errors.

use std::io::{BufWriter, Write};

use catalog_core::checklist::AccountState;
use catalog_core::{local_user, metadata, Store};
use catalog_import::{Applied, ImportError, ImportPlan};
use catalog_schema::{Problem, Schema, Severity};
use serde::Serialize;

use crate::args::{Command, Format, Parsed};

#[derive(Serialize)]
struct ImportOutput<'a> {
    plan: &'a ImportPlan,
    applied: Option<Applied>,
}

#[derive(Serialize)]
struct DraftCheck {
    id: String,
    slug: String,
    title: String,
    completeness_percent: u8,
    problems: Vec<Problem>,
}

#[derive(Serialize)]
struct ValidateOutput {
    drafts: Vec<DraftCheck>,
    errors: usize,
}

#[derive(Serialize)]
struct FolderOutput {
    plan: catalog_import::folder::FolderPlan,
    applied: Option<catalog_import::folder::FolderApplied>,
}

#[derive(Serialize)]
struct Written<'a> {
    written: &'a std::path::Path,
}

fn print(value: &impl Serialize) -> Result<(), ImportError> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    let failed = |e: &dyn std::fmt::Display| ImportError::Write {
        path: "stdout".into(),
        reason: e.to_string(),
    };
    serde_json::to_writer_pretty(&mut out, value).map_err(|e| failed(&e))?;
    writeln!(out).and_then(|()| out.flush()).map_err(|e| failed(&e))
}

/// Runs the command and prints its result; returns whether the result holds errors.
pub fn run(parsed: Parsed) -> Result<bool, ImportError> {
    let schema = Schema::built_in();
    match parsed.command {
        Command::Import { file, apply, report } => {
            let mut store = Store::open(&parsed.data_dir)?;
            let plan = catalog_import::plan_file(&file, schema, &store)?;
            if let Some(report) = &report {
                catalog_import::report::save(&plan, report)?;
            }
            let applied = if apply {
                Some(catalog_import::apply(&plan, &mut store, &local_user())?)
            } else {
                None
            };
            print(&ImportOutput { plan: &plan, applied })?;
            Ok(plan.has_errors())
        }
        Command::Export {
            format,
            nso_version,
            out,
        } => {
            let store = Store::open(&parsed.data_dir)?;
            let exported = match format {
                Format::Ours => catalog_import::export::to_ours(&store, schema, &out)?,
                Format::Nso => catalog_import::export::to_nso(&store, schema, nso_version.as_deref(), &out)?,
            };
            print(&exported)?;
            Ok(false)
        }
        Command::Template { out } => {
            catalog_import::template::write_empty(schema, &out)?;
            print(&Written { written: &out })?;
            Ok(false)
        }
        Command::AttachFolder { folder, apply } => {
            let mut store = Store::open(&parsed.data_dir)?;
            let plan = catalog_import::folder::plan(&folder, &store)?;
            let applied = if apply {
                let progress = |done, total| {
                    eprintln!("{done}/{total}");
                    true
                };
                Some(catalog_import::folder::apply(
                    &plan,
                    &mut store,
                    &local_user(),
                    progress,
                )?)
            } else {
                None
            };
            print(&FolderOutput { plan, applied })?;
            Ok(false)
        }
        Command::Validate => {
            let store = Store::open(&parsed.data_dir)?;
            let mut drafts = Vec::new();
            // Without a window there is no ADC session: the checklist's account steps count as not done.
            for item in metadata::list(&store, schema, &AccountState::default(), "")? {
                let view = metadata::view(&store, schema, &item.summary.id)?;
                drafts.push(DraftCheck {
                    id: item.summary.id,
                    slug: item.summary.slug,
                    title: item.summary.title,
                    completeness_percent: view.completeness_percent,
                    problems: view.problems,
                });
            }
            let errors = drafts
                .iter()
                .flat_map(|d| &d.problems)
                .filter(|p| p.severity == Severity::Error)
                .count();
            print(&ValidateOutput { drafts, errors })?;
            Ok(errors > 0)
        }
    }
}
