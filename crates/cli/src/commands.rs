//! The subcommands, each a call into the application core ([`Desk`]) that the window drives too, so the
//! command line and the window decide alike (the same schema, the same publish gate, the same outbox).
//! Each writes its JSON result to stdout and says whether that result holds errors.

use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use catalog_app::account::AccountView;
use catalog_app::publishing::Published;
use catalog_app::transfer::ExportKind;
use catalog_app::{Desk, DeskError, DeskResult, Failure};
use catalog_core::schema_cache::SchemaInfo;
use catalog_core::DraftState;
use catalog_import::folder::{FolderApplied, FolderPlan};
use catalog_import::{Applied, ImportPlan};
use catalog_publish::{OutboxItem, StoredGdc};
use catalog_schema::{Problem, Severity};
use serde::Serialize;

use crate::args::{Command, Drafts, Format};

#[derive(Serialize)]
struct ImportOutput {
    plan: ImportPlan,
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
    schema: SchemaInfo,
    drafts: Vec<DraftCheck>,
    errors: usize,
}

#[derive(Serialize)]
struct FolderOutput {
    plan: FolderPlan,
    applied: Option<FolderApplied>,
}

#[derive(Serialize)]
struct Written<'a> {
    written: &'a Path,
}

#[derive(Serialize)]
struct StatusOutput {
    schema: SchemaInfo,
    account: AccountView,
    queue: Vec<OutboxItem>,
    gdc: Vec<StoredGdc>,
}

#[derive(Serialize)]
struct PublishOutput {
    published: Vec<Published>,
    failed: usize,
}

fn print(value: &impl Serialize) -> DeskResult<()> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    let failed = |e: &dyn std::fmt::Display| Failure::from(DeskError::internal(e));
    serde_json::to_writer_pretty(&mut out, value).map_err(|e| failed(&e))?;
    writeln!(out).and_then(|()| out.flush()).map_err(|e| failed(&e))
}

/// The secret piped to standard input (a token or a password), without its line break.
fn secret_from_stdin() -> DeskResult<String> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Failure::from(DeskError::internal(&e)))?;
    Ok(text.trim_end_matches(['\r', '\n']).to_owned())
}

/// A path named on the command line, made absolute against the current folder.
fn absolute(path: PathBuf) -> PathBuf {
    std::path::absolute(&path).unwrap_or(path)
}

/// The ids of the drafts to publish: named by id or URL name, or every approved draft.
async fn draft_ids(desk: &Desk, drafts: Drafts) -> DeskResult<Vec<String>> {
    let all = desk.list_drafts(String::new()).await?;
    match drafts {
        Drafts::Approved => Ok(all
            .into_iter()
            .filter(|d| d.summary.state == DraftState::Approved)
            .map(|d| d.summary.id)
            .collect()),
        Drafts::Named(names) => names
            .iter()
            .map(|name| {
                all.iter()
                    .find(|d| &d.summary.id == name || &d.summary.slug == name)
                    .map(|d| d.summary.id.clone())
                    .ok_or_else(|| Failure::from(catalog_core::StoreError::DraftNotFound(name.clone())))
            })
            .collect(),
    }
}

/// Runs the command and prints its result; returns whether the result holds errors.
pub async fn run(desk: &Desk, command: Command) -> DeskResult<bool> {
    match command {
        Command::Import { file, apply, report } => {
            let plan = desk.import_plan_file(absolute(file)).await?;
            if let Some(report) = &report {
                desk.import_save_report(report)?;
            }
            let applied = if apply { Some(desk.import_apply().await?) } else { None };
            let has_errors = plan.has_errors();
            print(&ImportOutput { plan, applied })?;
            Ok(has_errors)
        }
        Command::Export {
            format,
            nso_version,
            out,
        } => {
            let kind = match format {
                Format::Ours => ExportKind::Ours,
                Format::Nso => ExportKind::Nso,
            };
            print(&desk.export_drafts(kind, nso_version, out).await?)?;
            Ok(false)
        }
        Command::Template { out } => {
            desk.export_drafts(ExportKind::EmptyTemplate, None, out.clone()).await?;
            print(&Written { written: &out })?;
            Ok(false)
        }
        Command::AttachFolder { folder, apply } => {
            let plan = desk.folder_plan(absolute(folder)).await?;
            let applied = if apply { Some(desk.folder_attach().await?) } else { None };
            print(&FolderOutput { plan, applied })?;
            Ok(false)
        }
        Command::Analyse => {
            let analysed = desk.analyse_pending().await?;
            let failed = analysed.iter().filter(|a| a.error.is_some()).count();
            print(&analysed)?;
            Ok(failed > 0)
        }
        Command::Validate => {
            let mut drafts = Vec::new();
            for item in desk.list_drafts(String::new()).await? {
                let view = desk.draft_view(item.summary.id.clone()).await?;
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
            print(&ValidateOutput {
                schema: desk.schema_info(),
                drafts,
                errors,
            })?;
            Ok(errors > 0)
        }
        Command::SignIn { adc, user, code } => {
            desk.use_adc(&adc).await?;
            let secret = secret_from_stdin()?;
            let account = match user {
                Some(user) => desk.sign_in_with_password(&user, &secret, code.as_deref()).await?,
                None => desk.sign_in_with_token(secret).await?,
            };
            print(&account)?;
            Ok(false)
        }
        Command::SignOut => {
            print(&desk.sign_out().await?)?;
            Ok(false)
        }
        Command::Status => {
            print(&StatusOutput {
                schema: desk.schema_info(),
                account: desk.account().await?,
                queue: desk.outbox_items().await?,
                gdc: desk.gdc_states().await?,
            })?;
            Ok(false)
        }
        Command::Publish {
            drafts,
            dry_run,
            withhold_files,
        } => {
            let ids = draft_ids(desk, drafts).await?;
            if dry_run {
                let mut runs = Vec::new();
                for id in ids {
                    runs.push(desk.publish_dry_run(id, withhold_files).await?);
                }
                print(&runs)?;
                return Ok(false);
            }
            let published = desk.publish_now(ids, withhold_files).await;
            let failed = published.iter().filter(|p| p.error.is_some()).count();
            print(&PublishOutput { published, failed })?;
            Ok(failed > 0)
        }
        Command::Pull { organization } => {
            print(&desk.pull_organization(organization).await?)?;
            Ok(false)
        }
    }
}
