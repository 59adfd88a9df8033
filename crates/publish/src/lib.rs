//! `catalog-publish`: how Catalog Desk gets an approved draft onto the agency's ADC and follows it to the
//! GD Catalog. [`secrets`] keeps API tokens (and, if wanted, the authenticator secret) in the OS keyring;
//! [`outbox`] is the durable publish queue with its journal and remote-id map in its own SQLite file;
//! [`publish`] is the idempotent, resumable publish algorithm (with its dry run); [`pull`] brings the
//! organisation's ADC datasets into local drafts; [`gdc`] reads and explains the GD Catalog state and
//! [`gdc_watch`] asks it again on a schedule.
//! Nothing here knows about Tauri.
//!
//! How the shell drives it:
//! - Start: `let (secrets, warning) = Secrets::os_or_memory();` (show `warning`'s user message when there
//!   is no keyring) and `Outbox::open(data_dir)` (queues again what a crash left running).
//! - Sign in: paste (`ApiToken::new` → `secrets.save_token(site, &token)`), or
//!   `AdcClient::sign_in(site, &SignIn { login, password, code, token_name: &secrets::token_name() })`
//!   with `code` typed or from `secrets.totp_code(site, login)`; then `secrets.client(site)` for calls.
//! - Publish: `outbox.enqueue(draft_id, site, &PublishOptions { owner_org, withhold_files })`, then a
//!   worker loop: `for item in outbox.due()? { let snapshot = DraftSnapshot::load(&store, &schema,
//!   &item.draft_id)?; outbox.run_item(item.id, &snapshot, &secrets.client(&item.site)?,
//!   Some(progress)).await? }`, sleeping `outbox.next_due_in()?` between rounds (wake it on enqueue
//!   or retry). Load the snapshot with the store locked, then release the lock: the run holds no borrow
//!   of the store, and its future is `Send`. A draft that no longer loads: `outbox.cancel(item.id)`.
//! - Show: `outbox.items()` (state, attempt, next retry, last error as a `UserMessage`, result), the
//!   `PublishProgress` events, `outbox.dry_run(..)` for "what will be sent"; `pause`, `retry`, `cancel`,
//!   and `overwrite_remote` when an item stopped as remote-changed (its result holds the field diff).
//! - GD Catalog: `gdc_status(&GdcConfig, &client, package_id)` → state, Thai/English label, warning,
//!   the form's warnings, links; `outbox.published_as(draft_id, site)` gives the package id. Polling, in
//!   the same worker loop: `let checks = check_gdc(&config, &client, outbox.gdc_due(site, limit)?).await;
//!   outbox.record_gdc_checks(&checks)?` (tell the window about the stored answers it returns), and sleep
//!   no longer than `outbox.gdc_next_due_in(site)?`. `outbox.gdc_stored(_all)` gives the last answers.

pub mod error;
pub mod gdc;
pub mod gdc_watch;
pub mod outbox;
pub mod publish;
pub mod pull;
pub mod secrets;

pub use error::PublishError;
pub use gdc::{describe as describe_gdc, form_warnings, gdc_status, FormWarning, GdcConfig, GdcState, GdcStatus};
pub use gdc_watch::{check_gdc, GdcCheck, GdcOutcome, GdcSchedule, GdcTarget, StoredGdc};
pub use outbox::{Backoff, ItemState, Outbox, OutboxItem, PublishOptions, OUTBOX_FILE};
pub use publish::{
    DraftSnapshot, DryRun, FieldDiff, LocalFile, PlannedCall, ProgressFn, PublishProgress, PublishSummary, RunOutcome,
};
pub use pull::{import_remote, remote_dataset, remote_dataset_ids, remote_datasets, RemoteDataset};
pub use secrets::{KeyringStore, MemoryStore, SecretError, SecretStore, Secrets};
