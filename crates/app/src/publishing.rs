//! Publishing: queueing an approved draft for the ADC in use (refused, with the gate's reasons, while
//! the draft asks to be public and its classification or files do not allow it), the dry run, the
//! outbox and the actions on an item, the publish panel's state for one draft, GD Catalog states, pulling
//! an organisation's datasets, and the publisher — the background work that goes through the outbox and
//! then asks GD Catalog about the published datasets that are due. The publishing itself, journalled so
//! a killed process resumes without duplicates, is `catalog-publish`'s.

use std::sync::Arc;
use std::time::Duration;

use catalog_core::metadata;
use catalog_core::{local_user, DraftState};
use catalog_error::{Bilingual, ToUserMessage, UserMessage};
use catalog_publish::{
    check_gdc, import_remote, remote_datasets, DraftSnapshot, DryRun, GdcCheck, GdcOutcome, ItemState, OutboxItem,
    ProgressFn, PublishOptions, PublishProgress, RunOutcome, StoredGdc,
};
use catalog_schema::keys;
use catalog_schema::record::TRUE;
use serde::{Deserialize, Serialize};

use crate::desk::Desk;
use crate::error::{DeskResult, Failure};
use crate::events::DeskEvent;

/// How long the publisher sleeps when nothing is due.
const IDLE: Duration = Duration::from_secs(60);
/// GD Catalog checks per round, so that a queued publish never waits behind many of them.
const GDC_ROUND: usize = 10;

/// What the person does with a queued item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum OutboxAction {
    Pause,
    Retry,
    Cancel,
    /// The ADC copy was edited since the last publish: publish over it anyway.
    Overwrite,
}

/// Where a draft stands for publishing, as the publish panel shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum PublishStage {
    /// No ADC is set.
    NoAdc,
    /// Only an approved draft is published.
    NeedsApproval,
    /// No API token is kept for the ADC.
    NeedsSignIn,
    /// Publish and dry run are possible (see [`PublishPanel::can_publish`]).
    Ready,
}

/// The publish panel of one draft, decided here; the window only draws it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PublishPanel {
    pub stage: PublishStage,
    /// The draft's latest item in the outbox for the ADC in use.
    pub item: Option<OutboxItem>,
    /// Publish and dry run may be pressed now (ready, and no item of the draft is queued or running).
    pub can_publish: bool,
    /// The actions the item offers now.
    pub item_actions: Vec<OutboxAction>,
    /// The classification keeps the files private: offer to withhold them instead of uploading them.
    pub offer_withhold: bool,
    /// Why publishing as public is refused now (empty when it is not): the draft asks to be public and
    /// the gate says no; each reason names the file or the field.
    pub public_refused: Vec<Bilingual>,
}

/// One draft published from the command line: its item as it ended, and what was sent or why not.
#[derive(Debug, Serialize)]
pub struct Published {
    pub draft_id: String,
    pub item: Option<OutboxItem>,
    pub outcome: Option<RunOutcome>,
    pub error: Option<UserMessage>,
}

/// Publishing as public was refused by the gate.
#[derive(Debug, thiserror::Error)]
#[error("publishing as public refused: {}", reasons.iter().map(|r| r.en.as_str()).collect::<Vec<_>>().join("; "))]
pub struct PublicRefused {
    pub reasons: Vec<Bilingual>,
}

impl ToUserMessage for PublicRefused {
    fn to_user_message(&self) -> UserMessage {
        let join = |pick: fn(&Bilingual) -> &str| self.reasons.iter().map(pick).collect::<Vec<_>>().join(" · ");
        UserMessage::new(
            "publish.public_refused",
            format!(
                "เผยแพร่เป็นสาธารณะไม่ได้: {} — แก้ไขตามนี้ หรือกำหนดให้ชุดข้อมูลเป็นแบบส่วนตัว",
                join(|b| &b.th)
            ),
            format!(
                "Cannot publish as public: {} — fix this, or mark the dataset private.",
                join(|b| &b.en)
            ),
        )
    }
}

fn item_actions(item: &OutboxItem) -> Vec<OutboxAction> {
    let mut actions = Vec::new();
    if item.state == ItemState::RemoteChanged {
        actions.push(OutboxAction::Overwrite);
    }
    if matches!(item.state, ItemState::Failed | ItemState::Paused) {
        actions.push(OutboxAction::Retry);
    }
    if matches!(item.state, ItemState::Queued | ItemState::Failed) {
        actions.push(OutboxAction::Pause);
    }
    if !matches!(item.state, ItemState::Done | ItemState::Cancelled) {
        actions.push(OutboxAction::Cancel);
    }
    actions
}

impl Desk {
    /// The gate's reasons against publishing the draft as public, when the draft asks to be public.
    async fn public_refusal(&self, draft_id: &str) -> DeskResult<Vec<Bilingual>> {
        let (schema, id) = (self.schema(), draft_id.to_owned());
        let view = self.with_store(move |s| metadata::view(s, &schema, &id)).await?;
        let asks_private = view.draft.metadata.get(keys::PRIVATE).and_then(|v| v.as_str()) == Some(TRUE);
        Ok(if asks_private || view.access.public_allowed {
            Vec::new()
        } else {
            view.access.reasons
        })
    }

    async fn refuse_unless_allowed(&self, draft_id: &str) -> DeskResult<()> {
        let reasons = self.public_refusal(draft_id).await?;
        if reasons.is_empty() {
            Ok(())
        } else {
            Err(PublicRefused { reasons }.into())
        }
    }

    /// Queues an approved draft for the ADC in use (a paused item of it is resumed) and wakes the
    /// publisher.
    pub async fn publish(&self, draft_id: String, withhold_files: bool) -> DeskResult<OutboxItem> {
        self.refuse_unless_allowed(&draft_id).await?;
        let site = self.site()?;
        let id = draft_id.clone();
        let draft = self.with_store(move |s| s.draft(&id)).await?;
        let options = PublishOptions::for_draft(&draft.metadata, withhold_files);
        let item = self
            .with_outbox(|outbox| {
                let id = outbox.enqueue(&draft_id, &site, &options)?;
                match outbox.item(id)? {
                    paused if paused.state == ItemState::Paused => outbox.retry(id),
                    item => Ok(item),
                }
            })
            .await?;
        self.publisher_wake.notify_one();
        self.emit(DeskEvent::OutboxChanged(()));
        Ok(item)
    }

    /// What publishing would send now: the item is queued paused (publish resumes it, or cancel it) and
    /// the exact write calls are listed without being made.
    pub async fn publish_dry_run(&self, draft_id: String, withhold_files: bool) -> DeskResult<DryRun> {
        self.refuse_unless_allowed(&draft_id).await?;
        let site = self.site()?;
        let schema = self.schema();
        let snapshot = self
            .with_store(move |s| DraftSnapshot::load(s, &schema, &draft_id))
            .await?;
        let client = self.secrets.client(&site)?;
        let mut outbox = self.outbox.lock().await;
        let outbox = outbox.as_mut().map_err(|message| Failure(message.clone()))?;
        Ok(outbox.queue_dry_run(&site, &snapshot, withhold_files, &client).await?)
    }

    pub async fn outbox_items(&self) -> DeskResult<Vec<OutboxItem>> {
        self.with_outbox(|outbox| outbox.items()).await
    }

    pub async fn outbox_action(&self, item_id: i64, action: OutboxAction) -> DeskResult<OutboxItem> {
        let item = self
            .with_outbox(|outbox| match action {
                OutboxAction::Pause => outbox.pause(item_id),
                OutboxAction::Retry => outbox.retry(item_id),
                OutboxAction::Cancel => outbox.cancel(item_id),
                OutboxAction::Overwrite => outbox.overwrite_remote(item_id),
            })
            .await?;
        self.publisher_wake.notify_one();
        self.emit(DeskEvent::OutboxChanged(()));
        Ok(item)
    }

    /// The publish panel of one draft.
    pub async fn publish_panel(&self, draft_id: String) -> DeskResult<PublishPanel> {
        let site = self.schema_info().adc_url;
        let signed_in = self.account().await?.signed_in;
        let public_refused = self.public_refusal(&draft_id).await?;
        let (schema, id) = (self.schema(), draft_id.clone());
        let view = self.with_store(move |s| metadata::view(s, &schema, &id)).await?;
        let item = match &site {
            Some(site) => self
                .outbox_items()
                .await?
                .into_iter()
                .filter(|i| i.draft_id == draft_id && &i.site == site)
                .max_by_key(|i| i.id),
            None => None,
        };
        let approved = view.draft.state == DraftState::Approved;
        let stage = match () {
            _ if !approved && item.is_none() => PublishStage::NeedsApproval,
            _ if site.is_none() => PublishStage::NoAdc,
            _ if !signed_in => PublishStage::NeedsSignIn,
            _ if approved => PublishStage::Ready,
            _ => PublishStage::NeedsApproval,
        };
        let busy = item
            .as_ref()
            .is_some_and(|i| matches!(i.state, ItemState::Queued | ItemState::Running));
        Ok(PublishPanel {
            stage,
            can_publish: stage == PublishStage::Ready && !busy && public_refused.is_empty(),
            item_actions: item.as_ref().map(item_actions).unwrap_or_default(),
            offer_withhold: view.access.files == catalog_core::classification::FilePolicy::PrivateOrWithheld
                && !view.resources.is_empty(),
            public_refused,
            item,
        })
    }

    /// Asks GD Catalog now about the draft's dataset on the ADC in use and keeps the answer; `None`
    /// before it is published.
    pub async fn gdc_state(&self, draft_id: String) -> DeskResult<Option<StoredGdc>> {
        let site = self.site()?;
        let target = {
            let site = site.clone();
            self.with_outbox(move |outbox| outbox.gdc_target(&draft_id, &site))
                .await?
        };
        let Some(target) = target else {
            return Ok(None);
        };
        let (config, client) = (self.gdc_config().await?, self.secrets.client(&site)?);
        let checks = check_gdc(&config, &client, vec![target]).await;
        let stored = self.with_outbox(|outbox| outbox.record_gdc_checks(&checks)).await?;
        for answer in &stored {
            self.emit(DeskEvent::GdcChanged(answer.clone()));
        }
        match checks.into_iter().next().map(|check| check.outcome) {
            Some(GdcOutcome::Failed(error)) => Err(error.into()),
            _ => Ok(stored.into_iter().next()),
        }
    }

    /// The GD Catalog states last seen for the drafts published to the ADC in use (no network).
    pub async fn gdc_states(&self) -> DeskResult<Vec<StoredGdc>> {
        let Some(site) = self.schema_info().adc_url else {
            return Ok(Vec::new());
        };
        self.with_outbox(move |outbox| outbox.gdc_stored_all(&site)).await
    }

    /// Brings the organisation's datasets on the ADC into local drafts (files stay links until
    /// downloaded); returns the drafts' ids. A dataset pulled before updates its draft.
    pub async fn pull_organization(&self, organization_id: String) -> DeskResult<Vec<String>> {
        let site = self.site()?;
        let (schema, client) = (self.schema(), self.secrets.client(&site)?);
        let datasets = remote_datasets(&client, &schema, &organization_id).await?;
        let outbox = Arc::clone(&self.outbox);
        self.with_store(move |s| {
            let mut outbox = outbox.blocking_lock();
            let outbox = outbox.as_mut().map_err(|message| Failure(message.clone()))?;
            Ok::<_, Failure>(import_remote(s, &schema, outbox, &site, &datasets, &local_user())?)
        })
        .await
    }

    /// Queues each draft and publishes it now, in turn, without waiting for the background publisher
    /// (the command line's publish). A draft the gate or the ADC refuses does not stop the others.
    /// Files not analysed yet are analysed first, so the gate decides on what they hold.
    pub async fn publish_now(&self, draft_ids: Vec<String>, withhold_files: bool) -> Vec<Published> {
        if let Err(failure) = self.analyse_pending().await {
            tracing::warn!(code = %failure.0.code, "files not analysed before publishing");
        }
        let mut published = Vec::with_capacity(draft_ids.len());
        for draft_id in draft_ids {
            let run = async {
                let item = self.publish(draft_id.clone(), withhold_files).await?;
                let outcome = self.run_item(&item).await?;
                let item = self.with_outbox(|outbox| outbox.item(item.id)).await?;
                Ok::<_, Failure>((item, outcome))
            };
            published.push(match run.await {
                Ok((item, RunOutcome::Failed { error, .. })) => Published {
                    draft_id,
                    item: Some(item),
                    outcome: None,
                    error: Some(error),
                },
                Ok((item, outcome)) => Published {
                    draft_id,
                    item: Some(item),
                    outcome: Some(outcome),
                    error: None,
                },
                Err(failure) => Published {
                    draft_id,
                    item: None,
                    outcome: None,
                    error: Some(failure.0),
                },
            });
        }
        published
    }

    /// Publishes every due item now, in turn; returns each item's outcome. The window's publisher calls
    /// this in its loop; the command line calls it once.
    pub async fn run_due_items(&self) -> Vec<(i64, DeskResult<RunOutcome>)> {
        let due = {
            let outbox = self.publisher_outbox.lock().await;
            match outbox.as_ref().map(|o| o.due()) {
                Ok(Ok(due)) => due,
                Ok(Err(err)) => return vec![(0, Err(err.into()))],
                Err(message) => return vec![(0, Err(Failure(message.clone())))],
            }
        };
        let mut outcomes = Vec::new();
        for item in due {
            let outcome = self.run_item(&item).await;
            outcomes.push((item.id, outcome));
        }
        outcomes
    }

    /// One item: the draft is read with the store locked, then published holding only the publisher's
    /// own outbox connection.
    async fn run_item(&self, item: &OutboxItem) -> DeskResult<RunOutcome> {
        let (schema, draft_id) = (self.schema(), item.draft_id.clone());
        let snapshot = self
            .with_store(move |s| DraftSnapshot::load(s, &schema, &draft_id))
            .await;
        let mut outbox = self.publisher_outbox.lock().await;
        let outbox = outbox.as_mut().map_err(|message| Failure(message.clone()))?;
        let snapshot = match snapshot {
            Ok(snapshot) => snapshot,
            Err(failure) => {
                outbox.cancel(item.id)?;
                self.emit(DeskEvent::OutboxChanged(()));
                return Err(failure);
            }
        };
        let client = self.secrets.client(&item.site)?;
        let events = self.events();
        let progress: ProgressFn = Arc::new(move |step: PublishProgress| {
            events.emit(DeskEvent::PublishProgress(step));
        });
        self.emit(DeskEvent::OutboxChanged(()));
        let outcome = outbox.run_item(item.id, &snapshot, &client, Some(progress)).await;
        self.emit(DeskEvent::OutboxChanged(()));
        Ok(outcome?)
    }

    /// One round of GD Catalog checks for the ADC in use, holding no lock during the calls. A failed
    /// check is only logged: the window keeps the last answer.
    pub async fn check_gdc_due(&self) {
        let Some(site) = self.schema_info().adc_url else {
            return;
        };
        let due = {
            let outbox = self.publisher_outbox.lock().await;
            match outbox.as_ref().map(|o| o.gdc_due(&site, GDC_ROUND)) {
                Ok(Ok(due)) => due,
                _ => return,
            }
        };
        if due.is_empty() {
            return;
        }
        let checks = match (self.gdc_config().await, self.secrets.client(&site)) {
            (Ok(config), Ok(client)) => check_gdc(&config, &client, due).await,
            _ => due
                .into_iter()
                .map(|target| GdcCheck {
                    target,
                    outcome: GdcOutcome::NotTried,
                })
                .collect(),
        };
        for check in &checks {
            if let GdcOutcome::Failed(err) = &check.outcome {
                tracing::info!(error = %err, draft = %check.target.draft_id, "GD Catalog check failed; will retry later");
            }
        }
        let mut outbox = self.publisher_outbox.lock().await;
        let stored = outbox.as_mut().map(|o| o.record_gdc_checks(&checks));
        match stored {
            Ok(Ok(stored)) => stored
                .into_iter()
                .for_each(|answer| self.emit(DeskEvent::GdcChanged(answer))),
            Ok(Err(e)) => tracing::warn!(error = %e, "GD Catalog answers not kept"),
            Err(message) => tracing::warn!(code = %message.code, "GD Catalog answers not kept"),
        }
    }

    /// How long until the next publish retry or GD Catalog check is due (at most [`IDLE`]).
    async fn next_wake(&self) -> Duration {
        let site = self.schema_info().adc_url;
        let outbox = self.publisher_outbox.lock().await;
        let Ok(outbox) = outbox.as_ref() else { return IDLE };
        let gdc = site.and_then(|site| outbox.gdc_next_due_in(&site).ok().flatten());
        outbox
            .next_due_in()
            .ok()
            .flatten()
            .into_iter()
            .chain(gdc)
            .min()
            .unwrap_or(IDLE)
            .min(IDLE)
    }

    /// The publisher, for the window to spawn: forever, the due items, then a GD Catalog round, then
    /// sleep until something is due or an item is queued or retried.
    pub async fn run_publisher(self: Arc<Self>) {
        loop {
            for (item, outcome) in self.run_due_items().await {
                if let Err(failure) = outcome {
                    tracing::error!(item, code = %failure.0.code, "publish outbox failed");
                }
            }
            self.check_gdc_due().await;
            let wait = self.next_wake().await;
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = self.publisher_wake.notified() => {}
            }
        }
    }
}
