//! The durable publish queue: its own SQLite file (`outbox.sqlite3` in the app's data folder; WAL,
//! migrations by `user_version`), separate from the draft store. It holds the items (queued → running →
//! done / failed / paused / cancelled / remote-changed), the journal in which every write call to an ADC
//! is recorded before and after it is made, and the remote-id map (draft → dataset id, name and the
//! `metadata_modified` of the last publish; each file → its remote resource id and sha256), and each
//! published dataset's last known GD Catalog state with the time of its next check ([`crate::gdc_watch`]).
//! An item left `running` by a crash is queued again when the outbox is opened; the journal lets the next
//! run reconcile a call whose answer was lost. No secret is ever written here.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use catalog_core::{database_file, StoreError};
use catalog_error::UserMessage;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Row};
use serde::Serialize;
use serde_json::Value;

use crate::error::PublishError;
use crate::gdc_watch::GdcSchedule;

/// The outbox's file name in the app's data folder.
pub const OUTBOX_FILE: &str = "outbox.sqlite3";

const MIGRATIONS: [&str; 2] = [
    "
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    draft_id TEXT NOT NULL,
    site TEXT NOT NULL,
    owner_org TEXT,
    withhold_files INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    attempt INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    last_error TEXT,
    error_fields TEXT,
    result TEXT,
    remote_checked INTEGER NOT NULL DEFAULT 0,
    accept_remote_modified TEXT,
    rerun INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX items_draft ON items (draft_id, site);
CREATE TABLE journal (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL,
    draft_id TEXT NOT NULL,
    site TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    phase TEXT NOT NULL CHECK (phase IN ('start', 'done', 'failed', 'refused')),
    detail TEXT,
    at INTEGER NOT NULL
);
CREATE INDEX journal_target ON journal (draft_id, site, action, target);
CREATE TABLE remote_packages (
    draft_id TEXT NOT NULL,
    site TEXT NOT NULL,
    package_id TEXT NOT NULL,
    name TEXT NOT NULL,
    metadata_modified TEXT,
    package_hash TEXT,
    PRIMARY KEY (draft_id, site)
);
CREATE TABLE remote_resources (
    draft_id TEXT NOT NULL,
    site TEXT NOT NULL,
    local_id TEXT NOT NULL,
    remote_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    fields_hash TEXT NOT NULL,
    PRIMARY KEY (draft_id, site, local_id)
);
",
    "
CREATE TABLE gdc_checks (
    draft_id TEXT NOT NULL,
    site TEXT NOT NULL,
    status TEXT,
    checked_at INTEGER,
    next_check_at INTEGER,
    failures INTEGER NOT NULL DEFAULT 0,
    consent INTEGER,
    PRIMARY KEY (draft_id, site)
);
",
];

/// Where an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    /// Waiting for its turn.
    Queued,
    Running,
    Done,
    /// The last attempt failed: retried by itself at `next_attempt_at` when the error was transient,
    /// otherwise waiting for the person to fix something and retry.
    Failed,
    /// Held by the person.
    Paused,
    Cancelled,
    /// The ADC's copy was edited since the last publish: the person chooses (see
    /// [`Outbox::overwrite_remote`]).
    RemoteChanged,
}

impl ItemState {
    fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::Paused => "paused",
            Self::Cancelled => "cancelled",
            Self::RemoteChanged => "remote_changed",
        }
    }

    fn parse(text: &str) -> Self {
        [
            Self::Queued,
            Self::Running,
            Self::Done,
            Self::Failed,
            Self::Paused,
            Self::Cancelled,
            Self::RemoteChanged,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
        .unwrap_or(Self::Failed)
    }

    /// Waiting or running: a new publish of the same draft joins this item.
    fn is_open(self) -> bool {
        !matches!(self, Self::Done | Self::Cancelled)
    }
}

/// One publish in the queue, as the UI lists it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct OutboxItem {
    pub id: i64,
    pub draft_id: String,
    /// The ADC's site address.
    pub site: String,
    pub owner_org: Option<String>,
    /// Files the classification allows only as private are left out rather than uploaded as private.
    pub withhold_files: bool,
    pub state: ItemState,
    pub attempt: u32,
    /// Unix seconds of the next automatic attempt (failed items with a transient error).
    pub next_attempt_at: Option<i64>,
    pub last_error: Option<UserMessage>,
    /// The fields the ADC refused with the last error (409), to mark in the form: a list of
    /// `{field, resource, messages}` (`resource` is the index among the draft's files). Kept as the JSON
    /// `publish.rs` stored, a list of [`catalog_adc::FieldError`]; TypeScript sees that type.
    #[ts(as = "Option<Vec<catalog_adc::FieldError>>")]
    pub error_fields: Option<Value>,
    /// Done: the published dataset; remote-changed: the field-by-field differences. Kept as the JSON
    /// `publish.rs` stored, a [`crate::RunOutcome`]; TypeScript sees that type.
    #[ts(as = "Option<crate::RunOutcome>")]
    pub result: Option<Value>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What a new item is asked to do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublishOptions {
    /// The organisation to publish to when the draft names none (the ADC profile's organisation).
    pub owner_org: Option<String>,
    /// See [`OutboxItem::withhold_files`].
    pub withhold_files: bool,
}

impl PublishOptions {
    /// The options for publishing a draft whose metadata is `metadata`: its own organisation.
    pub fn for_draft(metadata: &serde_json::Map<String, Value>, withhold_files: bool) -> Self {
        PublishOptions {
            owner_org: metadata
                .get(catalog_schema::keys::OWNER_ORG)
                .and_then(Value::as_str)
                .map(str::to_owned),
            withhold_files,
        }
    }
}

/// How long a failed item waits before its next automatic attempt: `first`, doubled per attempt, at most
/// `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub first: Duration,
    pub max: Duration,
}

impl Default for Backoff {
    /// 10 s, 20 s, 40 s … at most 15 minutes.
    fn default() -> Self {
        Self {
            first: Duration::from_secs(10),
            max: Duration::from_secs(15 * 60),
        }
    }
}

impl Backoff {
    pub fn delay(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.saturating_sub(1).min(16);
        self.first.saturating_mul(factor).min(self.max)
    }
}

/// What the outbox remembers of a published dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RemotePackage {
    pub package_id: String,
    pub name: String,
    pub metadata_modified: Option<String>,
    pub package_hash: Option<String>,
}

/// What the outbox remembers of an uploaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RemoteResource {
    pub local_id: String,
    pub remote_id: String,
    pub sha256: String,
    pub fields_hash: String,
}

/// The queue, the journal and the remote-id map in one SQLite file.
pub struct Outbox {
    pub(crate) conn: Connection,
    path: PathBuf,
    backoff: Backoff,
    pub(crate) gdc_schedule: GdcSchedule,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Outbox({})", self.path.display())
    }
}

pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

const ITEM_COLUMNS: &str = "id, draft_id, site, owner_org, withhold_files, state, attempt, next_attempt_at, \
                            last_error, error_fields, result, created_at, updated_at";

fn item_of(row: &Row<'_>) -> rusqlite::Result<OutboxItem> {
    fn json<T: serde::de::DeserializeOwned>(text: Option<String>) -> Option<T> {
        text.and_then(|t| serde_json::from_str(&t).ok())
    }
    Ok(OutboxItem {
        id: row.get(0)?,
        draft_id: row.get(1)?,
        site: row.get(2)?,
        owner_org: row.get(3)?,
        withhold_files: row.get(4)?,
        state: ItemState::parse(&row.get::<_, String>(5)?),
        attempt: row.get(6)?,
        next_attempt_at: row.get(7)?,
        last_error: json(row.get(8)?),
        error_fields: json(row.get(9)?),
        result: json(row.get(10)?),
        created_at: row.get(11)?,
        updated_at: row.get(12)?,
    })
}

impl Outbox {
    /// Opens (creating or migrating) `outbox.sqlite3` in the app's data folder.
    pub fn open(data_dir: &Path) -> Result<Self, PublishError> {
        Self::open_file(&data_dir.join(OUTBOX_FILE), Backoff::default())
    }

    /// Opens the outbox at `path` with the given retry delays. Items left running by a crash are queued.
    pub fn open_file(path: &Path, backoff: Backoff) -> Result<Self, PublishError> {
        let failed = |e: &dyn std::fmt::Display| PublishError::OutboxOpen {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        let mut conn = database_file::open(path, OpenFlags::default()).map_err(|e| match e {
            too_long @ StoreError::PathTooLong { .. } => PublishError::Store(too_long),
            other => failed(&other),
        })?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: every journal entry is on disk before the call it announces (measured: the ADC, not these
        // writes, bounds the publish rate).
        conn.pragma_update(None, "synchronous", "FULL")?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let version = usize::try_from(version).unwrap_or(usize::MAX);
        if version > MIGRATIONS.len() {
            return Err(failed(&format!(
                "it was written by a newer Catalog Desk (schema {version})"
            )));
        }
        for (i, migration) in MIGRATIONS.iter().enumerate().skip(version) {
            let tx = conn.transaction()?;
            tx.execute_batch(migration)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
            tx.commit()?;
        }
        conn.execute(
            "UPDATE items SET state = 'queued', updated_at = ?1 WHERE state = 'running'",
            [unix_now()],
        )?;
        Ok(Self {
            conn,
            path: path.to_owned(),
            backoff,
            gdc_schedule: GdcSchedule::default(),
        })
    }

    /// Queues a publish of `draft_id` to the ADC at `site`. A draft that already has an open item for
    /// that ADC gets that item back (queued again if it was waiting), never a second one.
    pub fn enqueue(&mut self, draft_id: &str, site: &str, options: &PublishOptions) -> Result<i64, PublishError> {
        let now = unix_now();
        let tx = self.conn.transaction()?;
        let open: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, state FROM items WHERE draft_id = ?1 AND site = ?2
                 AND state NOT IN ('done', 'cancelled') ORDER BY id DESC LIMIT 1",
                params![draft_id, site],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let id = match open {
            Some((id, state)) => {
                // A running item is queued again when its run ends: it may be sending an older state.
                let sql = if ItemState::parse(&state) == ItemState::Running {
                    "UPDATE items SET rerun = 1, owner_org = ?2, withhold_files = ?3, updated_at = ?4 WHERE id = ?1"
                } else {
                    "UPDATE items SET state = 'queued', next_attempt_at = NULL, owner_org = ?2,
                     withhold_files = ?3, updated_at = ?4 WHERE id = ?1"
                };
                tx.execute(sql, params![id, options.owner_org, options.withhold_files, now])?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO items (draft_id, site, owner_org, withhold_files, state, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, 'queued', ?5, ?5)",
                    params![draft_id, site, options.owner_org, options.withhold_files, now],
                )?;
                tx.last_insert_rowid()
            }
        };
        tx.commit()?;
        Ok(id)
    }

    /// Every item, newest first.
    pub fn items(&self) -> Result<Vec<OutboxItem>, PublishError> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {ITEM_COLUMNS} FROM items ORDER BY id DESC"))?;
        let items = stmt.query_map([], item_of)?.collect::<Result<_, _>>()?;
        Ok(items)
    }

    pub fn item(&self, id: i64) -> Result<OutboxItem, PublishError> {
        self.conn
            .query_row(
                &format!("SELECT {ITEM_COLUMNS} FROM items WHERE id = ?1"),
                [id],
                item_of,
            )
            .optional()?
            .ok_or(PublishError::NoSuchItem(id))
    }

    /// The items to run now, oldest first: queued ones, and failed ones whose retry time has come.
    pub fn due(&self) -> Result<Vec<OutboxItem>, PublishError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ITEM_COLUMNS} FROM items WHERE state = 'queued'
             OR (state = 'failed' AND next_attempt_at IS NOT NULL AND next_attempt_at <= ?1) ORDER BY id"
        ))?;
        let items = stmt.query_map([unix_now()], item_of)?.collect::<Result<_, _>>()?;
        Ok(items)
    }

    /// How long until an item is due (zero when one is due now); `None` when nothing will become due by
    /// itself. The shell sleeps this long between runs.
    pub fn next_due_in(&self) -> Result<Option<Duration>, PublishError> {
        let next: Option<i64> = self.conn.query_row(
            "SELECT MIN(CASE WHEN state = 'queued' THEN 0 ELSE next_attempt_at END) FROM items
             WHERE state = 'queued' OR (state = 'failed' AND next_attempt_at IS NOT NULL)",
            [],
            |r| r.get(0),
        )?;
        Ok(next.map(|at| Duration::from_secs(at.saturating_sub(unix_now()).max(0) as u64)))
    }

    /// Holds a waiting item (not a running one).
    pub fn pause(&mut self, id: i64) -> Result<OutboxItem, PublishError> {
        self.set_state_unless_running(id, ItemState::Paused)
    }

    /// Runs a paused or failed item again at the next turn.
    pub fn retry(&mut self, id: i64) -> Result<OutboxItem, PublishError> {
        self.set_state_unless_running(id, ItemState::Queued)
    }

    /// Drops a waiting item. What is already on the ADC stays there.
    pub fn cancel(&mut self, id: i64) -> Result<OutboxItem, PublishError> {
        self.set_state_unless_running(id, ItemState::Cancelled)
    }

    /// The person chose to overwrite the ADC's changed copy: the item is queued again and will overwrite
    /// the copy whose `metadata_modified` it saw (a newer edit stops it again).
    pub fn overwrite_remote(&mut self, id: i64) -> Result<OutboxItem, PublishError> {
        let item = self.item(id)?;
        let seen = item
            .result
            .as_ref()
            .and_then(|r| r.get("remote_metadata_modified"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        self.conn.execute(
            "UPDATE items SET accept_remote_modified = ?2 WHERE id = ?1",
            params![id, seen],
        )?;
        self.set_state_unless_running(id, ItemState::Queued)
    }

    fn set_state_unless_running(&mut self, id: i64, state: ItemState) -> Result<OutboxItem, PublishError> {
        let item = self.item(id)?;
        if item.state != ItemState::Running && (item.state.is_open() || state == ItemState::Queued) {
            let next: Option<i64> = None;
            self.conn.execute(
                "UPDATE items SET state = ?2, next_attempt_at = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, state.as_str(), next, unix_now()],
            )?;
        }
        self.item(id)
    }

    pub(crate) fn start_item(&mut self, id: i64) -> Result<(), PublishError> {
        self.conn.execute(
            "UPDATE items SET state = 'running', updated_at = ?2 WHERE id = ?1",
            params![id, unix_now()],
        )?;
        Ok(())
    }

    pub(crate) fn remote_checked(&self, id: i64) -> Result<(bool, Option<String>), PublishError> {
        Ok(self.conn.query_row(
            "SELECT remote_checked, accept_remote_modified FROM items WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    pub(crate) fn mark_remote_checked(&mut self, id: i64) -> Result<(), PublishError> {
        self.conn
            .execute("UPDATE items SET remote_checked = 1 WHERE id = ?1", [id])?;
        Ok(())
    }

    pub(crate) fn clear_remote_checked(&mut self, id: i64) -> Result<(), PublishError> {
        self.conn
            .execute("UPDATE items SET remote_checked = 0 WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Ends a run: `done` or `remote_changed` with their result, clearing the per-run marks. A done item
    /// that was enqueued again while it ran is queued at once.
    pub(crate) fn finish(&mut self, id: i64, state: ItemState, result: &Value) -> Result<(), PublishError> {
        self.conn.execute(
            "UPDATE items SET state = CASE WHEN rerun = 1 AND ?2 = 'done' THEN 'queued' ELSE ?2 END,
             result = ?3, last_error = NULL, error_fields = NULL, next_attempt_at = NULL, attempt = 0,
             remote_checked = 0, accept_remote_modified = NULL, rerun = 0, updated_at = ?4 WHERE id = ?1",
            params![id, state.as_str(), result.to_string(), unix_now()],
        )?;
        Ok(())
    }

    /// Ends a run with an error; a transient one schedules the next attempt with backoff. The per-run
    /// marks stay, so the next attempt resumes where this one stopped.
    pub(crate) fn fail(
        &mut self,
        id: i64,
        error: &UserMessage,
        fields: &Value,
        retryable: bool,
    ) -> Result<(), PublishError> {
        let attempt = self.item(id)?.attempt + 1;
        let next = retryable.then(|| unix_now() + self.backoff.delay(attempt).as_secs().max(1) as i64);
        let message = serde_json::to_string(error).unwrap_or_default();
        let fields = (!fields.is_null()).then(|| fields.to_string());
        self.conn.execute(
            "UPDATE items SET state = 'failed', attempt = ?2, next_attempt_at = ?3, last_error = ?4,
             error_fields = ?5, updated_at = ?6 WHERE id = ?1",
            params![id, attempt, next, message, fields, unix_now()],
        )?;
        Ok(())
    }

    pub(crate) fn journal(
        &mut self,
        item: &OutboxItem,
        action: &str,
        target: &str,
        phase: &str,
        detail: Option<&str>,
    ) -> Result<(), PublishError> {
        self.conn.execute(
            "INSERT INTO journal (item_id, draft_id, site, action, target, phase, detail, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                item.id,
                item.draft_id,
                item.site,
                action,
                target,
                phase,
                detail,
                unix_now()
            ],
        )?;
        Ok(())
    }

    /// Whether this call was started and its outcome is unknown: the process died (`start` is the last
    /// entry), or it failed in a way that does not prove the server did nothing (`failed`: a connection
    /// broken after the request was sent). A call the server answered with a refusal is `refused`.
    pub(crate) fn unfinished(&self, item: &OutboxItem, action: &str, target: &str) -> Result<bool, PublishError> {
        let phase: Option<String> = self
            .conn
            .query_row(
                "SELECT phase FROM journal WHERE draft_id = ?1 AND site = ?2 AND action = ?3 AND target = ?4
                 ORDER BY id DESC LIMIT 1",
                params![item.draft_id, item.site, action, target],
                |r| r.get(0),
            )
            .optional()?;
        Ok(matches!(phase.as_deref(), Some("start" | "failed")))
    }

    /// The journal's entries for one item, oldest first: (action, target, phase).
    pub fn journal_of(&self, item_id: i64) -> Result<Vec<(String, String, String)>, PublishError> {
        let mut stmt = self
            .conn
            .prepare("SELECT action, target, phase FROM journal WHERE item_id = ?1 ORDER BY id")?;
        let rows = stmt
            .query_map([item_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    pub(crate) fn remote_package(&self, draft_id: &str, site: &str) -> Result<Option<RemotePackage>, PublishError> {
        Ok(self
            .conn
            .query_row(
                "SELECT package_id, name, metadata_modified, package_hash FROM remote_packages
                 WHERE draft_id = ?1 AND site = ?2",
                params![draft_id, site],
                |r| {
                    Ok(RemotePackage {
                        package_id: r.get(0)?,
                        name: r.get(1)?,
                        metadata_modified: r.get(2)?,
                        package_hash: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    pub(crate) fn set_remote_package(
        &mut self,
        draft_id: &str,
        site: &str,
        package: &RemotePackage,
    ) -> Result<(), PublishError> {
        self.conn.execute(
            "INSERT INTO remote_packages (draft_id, site, package_id, name, metadata_modified, package_hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (draft_id, site) DO UPDATE SET package_id = ?3, name = ?4, metadata_modified = ?5,
             package_hash = ?6",
            params![
                draft_id,
                site,
                package.package_id,
                package.name,
                package.metadata_modified,
                package.package_hash
            ],
        )?;
        Ok(())
    }

    pub(crate) fn remote_resources(&self, draft_id: &str, site: &str) -> Result<Vec<RemoteResource>, PublishError> {
        let mut stmt = self.conn.prepare(
            "SELECT local_id, remote_id, sha256, fields_hash FROM remote_resources WHERE draft_id = ?1 AND site = ?2",
        )?;
        let rows = stmt
            .query_map(params![draft_id, site], |r| {
                Ok(RemoteResource {
                    local_id: r.get(0)?,
                    remote_id: r.get(1)?,
                    sha256: r.get(2)?,
                    fields_hash: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    pub(crate) fn set_remote_resource(
        &mut self,
        draft_id: &str,
        site: &str,
        resource: &RemoteResource,
    ) -> Result<(), PublishError> {
        self.conn.execute(
            "INSERT INTO remote_resources (draft_id, site, local_id, remote_id, sha256, fields_hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (draft_id, site, local_id) DO UPDATE SET remote_id = ?4, sha256 = ?5, fields_hash = ?6",
            params![
                draft_id,
                site,
                resource.local_id,
                resource.remote_id,
                resource.sha256,
                resource.fields_hash
            ],
        )?;
        Ok(())
    }

    /// Forgets one file's remote resource (after it was deleted on the ADC).
    pub(crate) fn forget_remote_resource(
        &mut self,
        draft_id: &str,
        site: &str,
        local_id: &str,
    ) -> Result<(), PublishError> {
        self.conn.execute(
            "DELETE FROM remote_resources WHERE draft_id = ?1 AND site = ?2 AND local_id = ?3",
            params![draft_id, site, local_id],
        )?;
        Ok(())
    }

    /// The draft that was published as (or pulled from) the dataset `package_id` on the ADC at `site`.
    pub fn draft_of_package(&self, site: &str, package_id: &str) -> Result<Option<String>, PublishError> {
        Ok(self
            .conn
            .query_row(
                "SELECT draft_id FROM remote_packages WHERE site = ?1 AND package_id = ?2",
                params![site, package_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Forgets which ADC dataset the draft was published as (after the dataset was deleted on the ADC and
    /// the person chose to publish it anew): the next publish creates a dataset.
    pub fn forget_remote(&mut self, draft_id: &str, site: &str) -> Result<(), PublishError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM remote_packages WHERE draft_id = ?1 AND site = ?2",
            params![draft_id, site],
        )?;
        tx.execute(
            "DELETE FROM remote_resources WHERE draft_id = ?1 AND site = ?2",
            params![draft_id, site],
        )?;
        tx.execute(
            "DELETE FROM gdc_checks WHERE draft_id = ?1 AND site = ?2",
            params![draft_id, site],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The ADC dataset a draft was published as (id, name), if it was.
    pub fn published_as(&self, draft_id: &str, site: &str) -> Result<Option<(String, String)>, PublishError> {
        Ok(self.remote_package(draft_id, site)?.map(|p| (p.package_id, p.name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outbox(dir: &Path) -> Outbox {
        Outbox::open_file(&dir.join(OUTBOX_FILE), Backoff::default()).unwrap()
    }

    #[test]
    fn one_open_item_per_draft_and_adc_and_state_changes() {
        let dir = tempfile::tempdir().unwrap();
        let mut outbox = outbox(dir.path());
        let options = PublishOptions::default();
        let a = outbox.enqueue("d1", "https://a.go.th", &options).unwrap();
        assert_eq!(outbox.enqueue("d1", "https://a.go.th", &options).unwrap(), a);
        let b = outbox.enqueue("d1", "https://b.go.th", &options).unwrap();
        assert_ne!(a, b);
        assert_eq!(outbox.due().unwrap().len(), 2);
        assert_eq!(outbox.next_due_in().unwrap(), Some(Duration::ZERO));
        assert_eq!(outbox.pause(a).unwrap().state, ItemState::Paused);
        assert_eq!(outbox.due().unwrap().len(), 1);
        assert_eq!(outbox.retry(a).unwrap().state, ItemState::Queued);
        assert_eq!(outbox.cancel(b).unwrap().state, ItemState::Cancelled);
        assert_eq!(
            outbox.pause(b).unwrap().state,
            ItemState::Cancelled,
            "a cancelled item stays so"
        );
        assert_ne!(outbox.enqueue("d1", "https://b.go.th", &options).unwrap(), b);

        outbox.start_item(a).unwrap();
        assert_eq!(outbox.enqueue("d1", "https://a.go.th", &options).unwrap(), a);
        assert_eq!(outbox.item(a).unwrap().state, ItemState::Running, "the run goes on");
        outbox.finish(a, ItemState::Done, &Value::Null).unwrap();
        assert_eq!(
            outbox.item(a).unwrap().state,
            ItemState::Queued,
            "enqueued during the run: runs again"
        );
        outbox.finish(a, ItemState::Done, &Value::Null).unwrap();
        assert_eq!(outbox.item(a).unwrap().state, ItemState::Done);
    }

    #[test]
    fn failures_back_off_and_a_crash_requeues_the_running_item() {
        let dir = tempfile::tempdir().unwrap();
        let mut outbox = outbox(dir.path());
        let id = outbox
            .enqueue("d1", "https://a.go.th", &PublishOptions::default())
            .unwrap();
        let msg = UserMessage::new("adc.offline", "ออฟไลน์", "offline");
        outbox.fail(id, &msg, &Value::Null, true).unwrap();
        let item = outbox.item(id).unwrap();
        assert_eq!((item.state, item.attempt), (ItemState::Failed, 1));
        assert_eq!(item.last_error, Some(msg.clone()));
        assert!(outbox.due().unwrap().is_empty(), "not due before its retry time");
        let wait = outbox.next_due_in().unwrap().unwrap();
        assert!(
            wait > Duration::from_secs(5) && wait <= Duration::from_secs(10),
            "{wait:?}"
        );
        outbox.fail(id, &msg, &Value::Null, false).unwrap();
        assert_eq!(
            outbox.next_due_in().unwrap(),
            None,
            "a permanent failure waits for the person"
        );

        outbox.start_item(id).unwrap();
        drop(outbox);
        let outbox = self::outbox(dir.path());
        assert_eq!(outbox.item(id).unwrap().state, ItemState::Queued);
        let b = Backoff::default();
        assert_eq!(b.delay(1), Duration::from_secs(10));
        assert_eq!(b.delay(3), Duration::from_secs(40));
        assert_eq!(b.delay(40), b.max);
    }

    #[test]
    fn the_journal_tells_an_unfinished_call() {
        let dir = tempfile::tempdir().unwrap();
        let mut outbox = outbox(dir.path());
        let id = outbox
            .enqueue("d1", "https://a.go.th", &PublishOptions::default())
            .unwrap();
        let item = outbox.item(id).unwrap();
        assert!(!outbox.unfinished(&item, "package_create", "name").unwrap());
        outbox.journal(&item, "package_create", "name", "start", None).unwrap();
        assert!(outbox.unfinished(&item, "package_create", "name").unwrap());
        outbox.journal(&item, "package_create", "name", "failed", None).unwrap();
        assert!(outbox.unfinished(&item, "package_create", "name").unwrap());
        outbox
            .journal(&item, "package_create", "name", "refused", None)
            .unwrap();
        assert!(!outbox.unfinished(&item, "package_create", "name").unwrap());
        outbox
            .journal(&item, "package_create", "name", "done", Some("id"))
            .unwrap();
        assert!(!outbox.unfinished(&item, "package_create", "name").unwrap());
        assert_eq!(outbox.journal_of(id).unwrap().len(), 4);
    }
}
