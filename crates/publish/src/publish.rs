//! The publish algorithm for one outbox item: an approved draft to one ADC, idempotent and resumable.
//!
//! First publish: `package_create` (always private and without GD Catalog consent, so nothing half-done
//! is public or harvested), its id recorded at once; one streamed `resource_create` per file, with
//! `resource_private` "True" where the classification gate says so (or the file withheld, if the person
//! chose that); then one `package_patch` to the final state the gate decides (`private`, `allow_harvest`),
//! unless the dataset was created in it already (private, without consent).
//! Later publishes change by id (`package_patch`, `resource_patch`), upload only files whose sha256
//! changed, delete (`resource_delete`) the resources of files removed from the draft since, and make no
//! write call at all when nothing changed. Before changing anything, the ADC's
//! `metadata_modified` is compared with the one recorded at the last publish; if someone edited the
//! dataset on the ADC, the item stops as remote-changed with a field-by-field diff.
//!
//! Every write is journalled before and after it is made. A `package_create` or `resource_create` whose
//! answer was lost (crash, SIGKILL, broken connection) is reconciled on the next run by looking the
//! dataset up by name (or the resource up in the dataset) before creating again; a `resource_delete` is
//! simply made again (a resource already gone counts as deleted). Success is recorded only from the ADC's
//! answer.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use catalog_adc::{AdcClient, AdcError, FieldError, FileUpload, Progress};
use catalog_core::classification::{self, AccessDecision, FilePolicy};
use catalog_core::{hints, metadata, DraftState, Store};
use catalog_error::ToUserMessage;
// CKAN's string booleans, as the ADC stores `allow_harvest` and `resource_private`.
use catalog_schema::record::{bool_string, FALSE, TRUE};
use catalog_schema::{from_package, keys, to_package, DraftRecord, Schema};
use serde::Serialize;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::error::PublishError;
use crate::outbox::{ItemState, Outbox, OutboxItem, PublishOptions, RemotePackage, RemoteResource};

/// Package keys CKAN manages and the algorithm reads.
const ID: &str = "id";
const METADATA_MODIFIED: &str = "metadata_modified";
const STATE: &str = "state";
const DELETED: &str = "deleted";
/// The write calls, as journalled and listed.
const PACKAGE_CREATE: &str = "package_create";
const PACKAGE_PATCH: &str = "package_patch";
const RESOURCE_CREATE: &str = "resource_create";
const RESOURCE_PATCH: &str = "resource_patch";
const RESOURCE_DELETE: &str = "resource_delete";

/// One file of the draft as it will go up.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalFile {
    /// The local resource id (the key of the remote-id map).
    pub local_id: String,
    pub file_name: String,
    /// The stored copy; `None` for a link resource (a URL, no file: its `url` is among `fields`).
    pub path: Option<PathBuf>,
    pub sha256: String,
    pub size: u64,
    /// The resource's fields as the ADC stores them (for an upload without `url`, which CKAN sets).
    pub fields: Map<String, Value>,
}

/// Everything a run needs from the draft store, read at once (so the run holds no borrow of the store).
#[derive(Debug, Clone)]
pub struct DraftSnapshot {
    pub draft_id: String,
    pub approved: bool,
    pub schema: Schema,
    /// The local record as the gate leaves it (`private`, `allow_harvest` as decided).
    pub record: DraftRecord,
    pub decision: AccessDecision,
    pub files: Vec<LocalFile>,
}

impl DraftSnapshot {
    /// Reads the draft, its files and the gate's decision (on the files' evidence — personal-data hints
    /// not dismissed, files not checked — exactly as the draft page does).
    pub fn load(store: &Store, schema: &Schema, draft_id: &str) -> Result<Self, PublishError> {
        let draft = store.draft(draft_id)?;
        let resources = store.resources(draft_id)?;
        let mut record = metadata::record_of(&draft, &resources);
        let evidence = hints::gate_evidence(store, draft_id)?;
        let decision = classification::decide(schema, &record, &evidence);
        record
            .metadata
            .insert(keys::PRIVATE.to_owned(), json!(bool_string(decision.private)));
        record.metadata.insert(
            keys::ALLOW_HARVEST.to_owned(),
            json!(bool_string(decision.allow_harvest)),
        );
        let encoded = to_package(schema, &record);
        let encoded_resources = encoded
            .get(keys::package::RESOURCES)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let files = resources
            .iter()
            .zip(encoded_resources)
            .map(|(resource, fields)| {
                let mut fields = fields.as_object().cloned().unwrap_or_default();
                let is_link = resource.stored_path.is_empty();
                if !is_link {
                    fields.remove(keys::URL);
                }
                let named = fields
                    .get(keys::NAME)
                    .and_then(Value::as_str)
                    .is_some_and(|n| !n.trim().is_empty());
                if !named {
                    fields.insert(keys::NAME.to_owned(), json!(resource.name));
                }
                if decision.files == FilePolicy::PrivateOrWithheld {
                    fields.insert(keys::RESOURCE_PRIVATE.to_owned(), json!(TRUE));
                }
                LocalFile {
                    local_id: resource.id.clone(),
                    file_name: resource.name.clone(),
                    path: (!is_link).then(|| store.blobs().path_of(&resource.sha256)),
                    sha256: resource.sha256.clone(),
                    size: resource.size,
                    fields,
                }
            })
            .collect();
        Ok(Self {
            draft_id: draft.id,
            approved: draft.state == DraftState::Approved,
            schema: schema.clone(),
            record,
            decision,
            files,
        })
    }

    /// The dataset fields of the final state (no resources), with the organisation filled in if missing.
    pub(crate) fn final_package(&self, owner_org: Option<&str>) -> Map<String, Value> {
        let mut package = to_package(
            &self.schema,
            &DraftRecord {
                metadata: self.record.metadata.clone(),
                resources: Vec::new(),
            },
        );
        let has_org = package
            .get(keys::OWNER_ORG)
            .and_then(Value::as_str)
            .is_some_and(|o| !o.is_empty());
        if let (false, Some(org)) = (has_org, owner_org) {
            package.insert(keys::OWNER_ORG.to_owned(), json!(org));
        }
        package
    }

    /// The dataset's URL name.
    fn name(&self, package: &Map<String, Value>) -> String {
        package
            .get(keys::NAME)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    }
}

/// One write call the run makes (or, in a dry run, would make).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct PlannedCall {
    /// `package_create`, `resource_create`, `resource_patch`, `resource_delete`, `package_patch`.
    pub action: String,
    /// The dataset name, the remote resource id, or the local file name.
    pub target: String,
    /// Whether the call uploads a file, and its size.
    pub upload_bytes: Option<u64>,
}

/// What a run wrote (or a dry run would write), counted for the person: the dataset created, or its
/// description changed (the final patch after a create is part of creating it), files added, replaced
/// (new content), re-described (fields only) and deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct PublishSummary {
    pub dataset_created: bool,
    pub dataset_updated: bool,
    pub files_added: u32,
    pub files_replaced: u32,
    pub files_redescribed: u32,
    pub files_deleted: u32,
    pub bytes_uploaded: u64,
}

impl PublishSummary {
    /// Counts the write calls.
    pub fn of(calls: &[PlannedCall]) -> Self {
        let mut summary = Self::default();
        for call in calls {
            summary.bytes_uploaded += call.upload_bytes.unwrap_or(0);
            match (call.action.as_str(), call.upload_bytes.is_some()) {
                (PACKAGE_CREATE, _) => summary.dataset_created = true,
                (PACKAGE_PATCH, _) => summary.dataset_updated = !summary.dataset_created,
                (RESOURCE_CREATE, _) => summary.files_added += 1,
                (RESOURCE_PATCH, true) => summary.files_replaced += 1,
                (RESOURCE_PATCH, false) => summary.files_redescribed += 1,
                (RESOURCE_DELETE, _) => summary.files_deleted += 1,
                _ => {}
            }
        }
        summary
    }
}

/// One field whose value on the ADC differs from the local one.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct FieldDiff {
    pub field: String,
    pub local: Value,
    pub remote: Value,
}

/// What the item's run ended with.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RunOutcome {
    /// On the ADC as the ADC's answers say. `writes` lists the write calls made in this run (empty when
    /// nothing had changed), `summary` counts them.
    Published {
        package_id: String,
        name: String,
        url: String,
        writes: Vec<PlannedCall>,
        summary: PublishSummary,
    },
    /// The ADC's copy changed since the last publish; nothing was written.
    RemoteChanged {
        remote_metadata_modified: String,
        diff: Vec<FieldDiff>,
    },
    /// The run failed; the item is `failed` (retried by itself at `retry_at` when transient).
    Failed {
        error: catalog_error::UserMessage,
        /// The fields a 409 names (`resource` is the index among the draft's files), to mark in the form.
        fields: Vec<FieldError>,
        retry_at: Option<i64>,
    },
    /// The draft is not approved: nothing was sent.
    NotApproved,
}

/// What the UI hears while an item runs: the call under way and, for an upload, the bytes sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct PublishProgress {
    pub item_id: i64,
    pub action: String,
    pub target: String,
    pub sent: u64,
    pub total: u64,
}

/// The progress callback (called from the run's task; keep it quick, e.g. emit a Tauri event).
pub type ProgressFn = Arc<dyn Fn(PublishProgress) + Send + Sync>;

/// A run in progress (or a dry run, which only lists the write calls).
struct Run<'a> {
    outbox: &'a mut Outbox,
    item: OutboxItem,
    snapshot: &'a DraftSnapshot,
    client: &'a AdcClient,
    progress: Option<ProgressFn>,
    dry: bool,
    writes: Vec<PlannedCall>,
}

impl Outbox {
    /// Runs item `item_id` for the draft in `snapshot` against `client` (a client for the item's ADC,
    /// with its token). Errors of the ADC end in [`RunOutcome::Failed`] and are kept on the item; `Err`
    /// only for the outbox database itself.
    pub async fn run_item(
        &mut self,
        item_id: i64,
        snapshot: &DraftSnapshot,
        client: &AdcClient,
        progress: Option<ProgressFn>,
    ) -> Result<RunOutcome, PublishError> {
        let item = self.item(item_id)?;
        if !snapshot.approved {
            let error = PublishError::NotApproved.to_user_message();
            self.fail(item_id, &error, &Value::Null, false)?;
            return Ok(RunOutcome::NotApproved);
        }
        self.start_item(item_id)?;
        let mut run = Run {
            outbox: self,
            item,
            snapshot,
            client,
            progress,
            dry: false,
            writes: Vec::new(),
        };
        let result = run.execute().await;
        let writes = std::mem::take(&mut run.writes);
        let run_site = run.site();
        match result {
            Ok(outcome) => {
                let outcome = match outcome {
                    RunOutcome::Published {
                        package_id, name, url, ..
                    } => RunOutcome::Published {
                        package_id,
                        name,
                        url,
                        summary: PublishSummary::of(&writes),
                        writes,
                    },
                    other => other,
                };
                let state = match outcome {
                    RunOutcome::RemoteChanged { .. } => ItemState::RemoteChanged,
                    _ => ItemState::Done,
                };
                if state == ItemState::Done {
                    let consent = snapshot.decision.allow_harvest;
                    self.gdc_after_publish(&snapshot.draft_id, &run_site, consent)?;
                }
                let value = serde_json::to_value(&outcome).unwrap_or_default();
                self.finish(item_id, state, &value)?;
                Ok(outcome)
            }
            Err(PublishError::Outbox(e)) => Err(PublishError::Outbox(e)),
            Err(e) => {
                if writes.is_empty() {
                    // Nothing was written: the next attempt checks the ADC's copy again.
                    self.clear_remote_checked(item_id)?;
                }
                let error = e.to_user_message();
                let fields = match &e {
                    PublishError::Adc(adc) => adc.field_errors().to_vec(),
                    _ => Vec::new(),
                };
                tracing::warn!(item = item_id, code = %error.code, "publish attempt failed: {e}");
                let stored = if fields.is_empty() { Value::Null } else { json!(fields) };
                self.fail(item_id, &error, &stored, e.is_retryable())?;
                let retry_at = self.item(item_id)?.next_attempt_at;
                Ok(RunOutcome::Failed {
                    error,
                    fields,
                    retry_at,
                })
            }
        }
    }

    /// The write calls that publishing the draft to the item's ADC would make now, in order, without making
    /// them (reads such as `package_show` are made). A remote change is reported as for a run.
    pub async fn dry_run(
        &mut self,
        item_id: i64,
        snapshot: &DraftSnapshot,
        client: &AdcClient,
    ) -> Result<Result<Vec<PlannedCall>, RunOutcome>, PublishError> {
        let item = self.item(item_id)?;
        let mut run = Run {
            outbox: self,
            item,
            snapshot,
            client,
            progress: None,
            dry: true,
            writes: Vec::new(),
        };
        match run.execute().await? {
            RunOutcome::Published { .. } => Ok(Ok(run.writes)),
            other => Ok(Err(other)),
        }
    }

    /// Queues the draft for `site` paused (resume it to publish, or cancel it) and lists the write calls
    /// publishing it would make now, without making them.
    pub async fn queue_dry_run(
        &mut self,
        site: &str,
        snapshot: &DraftSnapshot,
        withhold_files: bool,
        client: &AdcClient,
    ) -> Result<DryRun, PublishError> {
        let options = PublishOptions::for_draft(&snapshot.record.metadata, withhold_files);
        let item_id = self.enqueue(&snapshot.draft_id, site, &options)?;
        self.pause(item_id)?;
        let planned = self.dry_run(item_id, snapshot, client).await?;
        let item = self.item(item_id)?;
        Ok(match planned {
            Ok(calls) => DryRun {
                item,
                summary: PublishSummary::of(&calls),
                calls,
                stopped: None,
            },
            Err(outcome) => DryRun {
                item,
                calls: Vec::new(),
                summary: PublishSummary::default(),
                stopped: Some(outcome),
            },
        })
    }
}

/// What publishing would send now: the paused item and the write calls it would make.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct DryRun {
    pub item: OutboxItem,
    pub calls: Vec<PlannedCall>,
    /// The calls counted.
    pub summary: PublishSummary,
    /// Set instead of calls when the ADC copy changed or the ADC refused: why nothing can be planned.
    pub stopped: Option<RunOutcome>,
}

/// A list with its items in order (tags and multi-selects come back from CKAN sorted), other values as
/// they are.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Array(items) => {
            let mut items = items.clone();
            items.sort_by_key(Value::to_string);
            Value::Array(items)
        }
        other => other.clone(),
    }
}

/// sha256 of a JSON value (serde_json's maps are ordered by key, so equal values hash equally).
pub(crate) fn hash_of(value: &Value) -> String {
    hex::encode(Sha256::digest(value.to_string().as_bytes()))
}

/// A dataset in CKAN's trash (`state` "deleted"): editors still see it with `package_show`.
fn is_deleted(package: &Value) -> bool {
    package.get(STATE).and_then(Value::as_str) == Some(DELETED)
}

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn remote_field(reply: &Value, key: &str, action: &str) -> Result<String, PublishError> {
    text(reply, key).ok_or_else(|| {
        PublishError::Adc(AdcError::UnexpectedResponse {
            action: action.to_owned(),
            status: 200,
            detail: format!("the answer has no {key}"),
        })
    })
}

impl Run<'_> {
    fn site(&self) -> String {
        self.item.site.clone()
    }

    fn report(&self, action: &str, target: &str, sent: u64, total: u64) {
        if let Some(progress) = &self.progress {
            progress(PublishProgress {
                item_id: self.item.id,
                action: action.to_owned(),
                target: target.to_owned(),
                sent,
                total,
            });
        }
    }

    fn upload_progress(&self, action: &str, target: &str) -> Option<Progress> {
        let progress = self.progress.clone()?;
        let (item_id, action, target) = (self.item.id, action.to_owned(), target.to_owned());
        Some(Arc::new(move |sent, total| {
            progress(PublishProgress {
                item_id,
                action: action.clone(),
                target: target.clone(),
                sent,
                total,
            })
        }))
    }

    /// Journals the start of a write call; in a dry run only lists it. Returns whether to make the call.
    fn begin(&mut self, action: &str, target: &str, upload_bytes: Option<u64>) -> Result<bool, PublishError> {
        self.writes.push(PlannedCall {
            action: action.to_owned(),
            target: target.to_owned(),
            upload_bytes,
        });
        if self.dry {
            return Ok(false);
        }
        self.outbox.journal(&self.item, action, target, "start", None)?;
        self.report(action, target, 0, upload_bytes.unwrap_or(0));
        Ok(true)
    }

    fn end<T>(&mut self, action: &str, target: &str, result: Result<T, AdcError>) -> Result<T, PublishError> {
        let phase = match &result {
            Ok(_) => "done",
            Err(e) if e.is_retryable() => "failed",
            Err(_) => "refused",
        };
        let detail = result.as_ref().err().map(|e| e.to_user_message().code);
        self.outbox
            .journal(&self.item, action, target, phase, detail.as_deref())?;
        Ok(result?)
    }

    async fn execute(&mut self) -> Result<RunOutcome, PublishError> {
        let (draft_id, site) = (self.snapshot.draft_id.clone(), self.site());
        let desired = self.snapshot.final_package(self.item.owner_org.as_deref());
        let desired_hash = hash_of(&Value::Object(desired.clone()));
        let name = self.snapshot.name(&desired);

        let mut known = self.outbox.remote_package(&draft_id, &site)?;
        if let Some(package) = known.as_mut() {
            if let Some(changed) = self.remote_change(package).await? {
                return Ok(changed);
            }
        } else if self.outbox.unfinished(&self.item, PACKAGE_CREATE, &name)? {
            known = self.adopt_package(&name).await?;
        }
        if !self.dry {
            // From here on this run's own writes change `metadata_modified`: a resumed run must not
            // mistake them for someone else's edit.
            self.outbox.mark_remote_checked(self.item.id)?;
        }
        let mut wrote_resources = false;
        let (package_id, sent_hash) = match known.as_ref() {
            Some(package) => (package.package_id.clone(), package.package_hash.clone()),
            None => self.create_package(&desired, &name).await?,
        };
        let remote = self.outbox.remote_resources(&draft_id, &site)?;
        for file in &self.snapshot.files {
            if self.item.withhold_files && self.snapshot.decision.files == FilePolicy::PrivateOrWithheld {
                continue;
            }
            wrote_resources |= self.publish_file(&package_id, file, &remote).await?;
        }
        wrote_resources |= self.delete_removed_files(&remote).await?;
        let final_reply = if sent_hash.as_deref() != Some(desired_hash.as_str()) {
            let target = package_id.clone();
            if self.begin(PACKAGE_PATCH, &target, None)? {
                let reply = self.client.package_patch(&package_id, &desired).await;
                Some(self.end(PACKAGE_PATCH, &target, reply)?)
            } else {
                None
            }
        } else if wrote_resources {
            Some(self.client.package_show(&package_id).await?)
        } else {
            None
        };
        let stored_name = match &final_reply {
            Some(reply) => {
                let package = RemotePackage {
                    package_id: remote_field(reply, ID, PACKAGE_PATCH)?,
                    name: remote_field(reply, keys::NAME, PACKAGE_PATCH)?,
                    metadata_modified: text(reply, METADATA_MODIFIED),
                    package_hash: Some(desired_hash),
                };
                self.outbox.set_remote_package(&draft_id, &site, &package)?;
                package.name
            }
            None => known.map(|p| p.name).unwrap_or(name),
        };
        Ok(RunOutcome::Published {
            url: format!("{}/dataset/{stored_name}", self.client.site_url()),
            package_id,
            name: stored_name,
            writes: Vec::new(),
            summary: PublishSummary::default(),
        })
    }

    /// `Some(RemoteChanged)` when the ADC's copy was edited since the last publish (checked once per run,
    /// before the first write; a resumed run does not check again).
    async fn remote_change(&mut self, package: &mut RemotePackage) -> Result<Option<RunOutcome>, PublishError> {
        let (checked, accepted) = self.outbox.remote_checked(self.item.id)?;
        if checked && !self.dry {
            return Ok(None);
        }
        let remote = match self.client.package_show(&package.package_id).await {
            Ok(remote) if !is_deleted(&remote) => remote,
            Ok(_) | Err(AdcError::NotFound { .. }) => {
                return Err(PublishError::RemoteDeleted {
                    package_id: package.package_id.clone(),
                })
            }
            Err(e) => return Err(e.into()),
        };
        let modified = text(&remote, METADATA_MODIFIED).unwrap_or_default();
        let unchanged = package.metadata_modified.as_deref() == Some(modified.as_str());
        if !unchanged && accepted.as_deref() != Some(modified.as_str()) {
            return Ok(Some(RunOutcome::RemoteChanged {
                diff: self.diff(&remote),
                remote_metadata_modified: modified,
            }));
        }
        if !unchanged {
            // The person chose to overwrite: forget what was sent last, so the final patch is made.
            package.package_hash = None;
        }
        if !self.dry && !unchanged {
            self.outbox
                .set_remote_package(&self.snapshot.draft_id, &self.item.site, package)?;
        }
        Ok(None)
    }

    /// The dataset fields where the ADC's copy and the local draft differ, compared as local records.
    fn diff(&self, remote: &Value) -> Vec<FieldDiff> {
        let schema = &self.snapshot.schema;
        let Ok(imported) = from_package(schema, remote) else {
            return Vec::new();
        };
        let (local, remote) = (&self.snapshot.record.metadata, &imported.record.metadata);
        let keys: BTreeSet<&String> = local.keys().chain(remote.keys()).collect();
        keys.into_iter()
            .filter_map(|key| {
                let (l, r) = (
                    local.get(key).unwrap_or(&Value::Null),
                    remote.get(key).unwrap_or(&Value::Null),
                );
                let empty = |v: &Value| v.is_null() || v == &json!("") || v == &json!([]);
                (sorted(l) != sorted(r) && !(empty(l) && empty(r))).then(|| FieldDiff {
                    field: key.clone(),
                    local: l.clone(),
                    remote: r.clone(),
                })
            })
            .collect()
    }

    /// After a `package_create` whose answer was lost: the dataset, if the ADC has it under our name.
    async fn adopt_package(&mut self, name: &str) -> Result<Option<RemotePackage>, PublishError> {
        match self.client.package_show(name).await {
            Ok(found) if !is_deleted(&found) => {
                let package = RemotePackage {
                    package_id: remote_field(&found, ID, "package_show")?,
                    name: name.to_owned(),
                    metadata_modified: text(&found, METADATA_MODIFIED),
                    package_hash: None,
                };
                if !self.dry {
                    self.outbox
                        .set_remote_package(&self.snapshot.draft_id, &self.item.site, &package)?;
                    self.outbox
                        .journal(&self.item, PACKAGE_CREATE, name, "done", Some("reconciled"))?;
                }
                Ok(Some(package))
            }
            Ok(_) | Err(AdcError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// `package_create`, private and without consent until the final patch; the id is recorded at once.
    /// Returns the new id and the hash of what was sent.
    async fn create_package(
        &mut self,
        desired: &Map<String, Value>,
        name: &str,
    ) -> Result<(String, Option<String>), PublishError> {
        let mut body = desired.clone();
        body.insert(keys::PRIVATE.to_owned(), json!(true));
        body.insert(keys::ALLOW_HARVEST.to_owned(), json!(FALSE));
        let sent_hash = hash_of(&Value::Object(body.clone()));
        if !self.begin(PACKAGE_CREATE, name, None)? {
            return Ok((format!("<new {name}>"), Some(sent_hash)));
        }
        let reply = self.client.package_create(&body).await;
        let reply = self.end(PACKAGE_CREATE, name, reply)?;
        let package = RemotePackage {
            package_id: remote_field(&reply, ID, PACKAGE_CREATE)?,
            name: remote_field(&reply, keys::NAME, PACKAGE_CREATE)?,
            metadata_modified: text(&reply, METADATA_MODIFIED),
            // What was sent: when it already is the final state (a private dataset without consent), no
            // final patch is needed.
            package_hash: Some(sent_hash.clone()),
        };
        self.outbox
            .set_remote_package(&self.snapshot.draft_id, &self.item.site, &package)?;
        Ok((package.package_id, Some(sent_hash)))
    }

    /// Creates, replaces or re-describes one file's resource as needed. Returns whether it wrote.
    async fn publish_file(
        &mut self,
        package_id: &str,
        file: &LocalFile,
        remote: &[RemoteResource],
    ) -> Result<bool, PublishError> {
        let fields_hash = hash_of(&Value::Object(file.fields.clone()));
        let upload = file.path.as_deref().map(|path| FileUpload {
            path,
            file_name: &file.file_name,
            size: file.size,
        });
        let mut known = remote.iter().find(|r| r.local_id == file.local_id).cloned();
        if known.is_none() && self.outbox.unfinished(&self.item, RESOURCE_CREATE, &file.local_id)? {
            known = self.adopt_resource(package_id, file, remote, &fields_hash).await?;
        }
        let (action, file_changed) = match &known {
            None => (RESOURCE_CREATE, true),
            Some(r) if r.sha256 != file.sha256 => (RESOURCE_PATCH, true),
            Some(r) if r.fields_hash != fields_hash => (RESOURCE_PATCH, false),
            Some(_) => return Ok(false),
        };
        let target = known.as_ref().map_or(file.local_id.clone(), |r| r.remote_id.clone());
        let file_part = upload.as_ref().filter(|_| file_changed);
        if !self.begin(action, &target, file_part.map(|u| u.size))? {
            return Ok(true);
        }
        let progress = self.upload_progress(action, &file.file_name);
        let reply = match &known {
            None => {
                self.client
                    .resource_create(package_id, &file.fields, file_part, progress)
                    .await
            }
            Some(r) => {
                self.client
                    .resource_patch(&r.remote_id, &file.fields, file_part, progress)
                    .await
            }
        };
        let reply = self.end(action, &target, reply)?;
        let record = RemoteResource {
            local_id: file.local_id.clone(),
            remote_id: remote_field(&reply, ID, action)?,
            sha256: file.sha256.clone(),
            fields_hash,
        };
        self.outbox
            .set_remote_resource(&self.snapshot.draft_id, &self.item.site, &record)?;
        Ok(true)
    }

    /// Deletes on the ADC the resources published from files that are no longer in the draft, by their
    /// recorded remote id, and forgets them. A resource already gone (404: deleted on the ADC, or by an
    /// earlier attempt whose answer was lost) counts as deleted. Files left out because the person withheld
    /// them are still in the draft and are not deleted. Returns whether it wrote (or, dry, would).
    async fn delete_removed_files(&mut self, remote: &[RemoteResource]) -> Result<bool, PublishError> {
        let local: BTreeSet<&str> = self.snapshot.files.iter().map(|f| f.local_id.as_str()).collect();
        let removed: Vec<&RemoteResource> = remote.iter().filter(|r| !local.contains(r.local_id.as_str())).collect();
        for resource in &removed {
            if !self.begin(RESOURCE_DELETE, &resource.remote_id, None)? {
                continue;
            }
            let reply = match self.client.resource_delete(&resource.remote_id).await {
                Err(AdcError::NotFound { .. }) => Ok(()),
                other => other,
            };
            self.end(RESOURCE_DELETE, &resource.remote_id, reply)?;
            self.outbox
                .forget_remote_resource(&self.snapshot.draft_id, &self.item.site, &resource.local_id)?;
        }
        Ok(!removed.is_empty())
    }

    /// After a `resource_create` whose answer was lost: a resource of the dataset that no other local
    /// file owns, with this file's name and (when the ADC reports it) size. A resource is created by CKAN
    /// only once its upload arrived whole, so an adopted one holds the complete file.
    async fn adopt_resource(
        &mut self,
        package_id: &str,
        file: &LocalFile,
        remote: &[RemoteResource],
        fields_hash: &str,
    ) -> Result<Option<RemoteResource>, PublishError> {
        let package = self.client.package_show(package_id).await?;
        let owned: BTreeSet<&str> = remote.iter().map(|r| r.remote_id.as_str()).collect();
        let wanted_name = file.fields.get(keys::NAME);
        let found = package
            .get(keys::package::RESOURCES)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|r| {
                let id = r.get(ID).and_then(Value::as_str).unwrap_or_default();
                let size_matches = r.get("size").and_then(Value::as_u64).is_none_or(|s| s == file.size);
                !owned.contains(id) && r.get(keys::NAME) == wanted_name && size_matches
            });
        let Some(found) = found else {
            return Ok(None);
        };
        let record = RemoteResource {
            local_id: file.local_id.clone(),
            remote_id: remote_field(found, ID, "package_show")?,
            sha256: file.sha256.clone(),
            fields_hash: fields_hash.to_owned(),
        };
        if !self.dry {
            self.outbox
                .set_remote_resource(&self.snapshot.draft_id, &self.item.site, &record)?;
            self.outbox
                .journal(&self.item, RESOURCE_CREATE, &file.local_id, "done", Some("reconciled"))?;
        }
        Ok(Some(record))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>(_: &T) {}

    #[test]
    fn a_run_can_go_to_another_thread_as_tauri_commands_need() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("data")).unwrap();
        let draft = store.create_draft("ทดสอบ", "tester").unwrap();
        let schema = Schema::built_in();
        let snapshot = DraftSnapshot::load(&store, schema, &draft.id).unwrap();
        assert!(!snapshot.approved);
        let mut outbox = Outbox::open(dir.path()).unwrap();
        let client = AdcClient::new("http://127.0.0.1:9", None).unwrap();
        let run = outbox.run_item(1, &snapshot, &client, None);
        assert_send(&run);
    }

    #[test]
    fn the_summary_counts_each_kind_of_write() {
        let call = |action: &str, upload_bytes: Option<u64>| PlannedCall {
            action: action.to_owned(),
            target: "t".to_owned(),
            upload_bytes,
        };
        let calls = [
            call(RESOURCE_CREATE, Some(100)),
            call(RESOURCE_PATCH, Some(20)),
            call(RESOURCE_PATCH, None),
            call(RESOURCE_DELETE, None),
            call(RESOURCE_DELETE, None),
            call(PACKAGE_PATCH, None),
        ];
        assert_eq!(
            PublishSummary::of(&calls),
            PublishSummary {
                dataset_created: false,
                dataset_updated: true,
                files_added: 1,
                files_replaced: 1,
                files_redescribed: 1,
                files_deleted: 2,
                bytes_uploaded: 120,
            }
        );
        assert_eq!(PublishSummary::of(&[]), PublishSummary::default());
        let created = PublishSummary::of(&[call(PACKAGE_CREATE, None), call(PACKAGE_PATCH, None)]);
        assert!(
            created.dataset_created && !created.dataset_updated,
            "the final patch is part of creating"
        );
    }

    #[test]
    fn lists_compare_without_order_and_hashes_are_stable() {
        assert_eq!(sorted(&json!(["b", "a"])), sorted(&json!(["a", "b"])));
        assert_eq!(sorted(&json!("x")), json!("x"));
        let a = json!({"b": 1, "a": [1, 2]});
        let b: Value = serde_json::from_str(r#"{"a": [1, 2], "b": 1}"#).unwrap();
        assert_eq!(hash_of(&a), hash_of(&b));
    }
}
