//! Following published datasets at GD Catalog by themselves: when each one's state is asked again
//! ([`GdcSchedule`]), which are due ([`Outbox::gdc_due`]), one round of checks that stops at the first sign
//! that the harvester or the ADC is out of reach ([`check_gdc`]), and the last known state of each
//! dataset kept in the outbox, so the window shows it offline ([`Outbox::gdc_stored`]).
//!
//! The schedule: a dataset is checked right after each publish; then every 15 minutes while its state
//! moves by itself (WAIT, VALIDATE/APPROVAL, revocation, a state this app does not know), every hour while
//! GD Catalog has not harvested it yet, once a day once it is settled (registered, rejected, revoked:
//! only someone acting changes it, and a new publish checks at once again). A dataset published without
//! GD Catalog consent and not harvested is not polled at all (a new publish or the person asks again). A
//! failed check is retried after 15 minutes, then 30, 60 … at most 6 hours, without telling the person.

use std::time::Duration;

use catalog_adc::AdcClient;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::error::PublishError;
use crate::gdc::{form_warnings, gdc_status, GdcConfig, GdcState, GdcStatus};
use crate::outbox::{unix_now, Outbox};

/// How often a published dataset's GD Catalog state is asked again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GdcSchedule {
    /// States that move without the person: WAIT, under approval, revoking, unknown.
    pub moving: Duration,
    /// Not harvested yet (with consent): the harvester keeps its own timetable.
    pub not_harvested: Duration,
    /// Registered, rejected, revoked.
    pub settled: Duration,
    /// After a failed check: this long, doubled per further failure, at most `retry_max`.
    pub retry_first: Duration,
    pub retry_max: Duration,
}

impl Default for GdcSchedule {
    fn default() -> Self {
        Self {
            moving: Duration::from_secs(15 * 60),
            not_harvested: Duration::from_secs(60 * 60),
            settled: Duration::from_secs(24 * 60 * 60),
            retry_first: Duration::from_secs(15 * 60),
            retry_max: Duration::from_secs(6 * 60 * 60),
        }
    }
}

impl GdcSchedule {
    /// How long after an answer of `state` to ask again; `None`: not by itself. `consent` is whether the
    /// dataset was last published with GD Catalog consent (`None`: not known, e.g. a pulled dataset).
    pub fn interval(&self, state: GdcState, consent: Option<bool>) -> Option<Duration> {
        match state {
            GdcState::NotHarvested if consent == Some(false) => None,
            GdcState::NotHarvested => Some(self.not_harvested),
            settled if settled.is_settled() => Some(self.settled),
            _ => Some(self.moving),
        }
    }

    /// How long to wait after the `failures`-th failed check in a row (1 for the first).
    pub fn retry_after(&self, failures: u32) -> Duration {
        let factor = 1u32 << failures.saturating_sub(1).min(16);
        self.retry_first.saturating_mul(factor).min(self.retry_max)
    }
}

/// A published dataset whose GD Catalog state is to be asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GdcTarget {
    pub draft_id: String,
    /// The ADC's site address.
    pub site: String,
    /// The dataset's id on that ADC.
    pub package_id: String,
}

/// The last known GD Catalog state of a draft's dataset, as the window lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct StoredGdc {
    pub draft_id: String,
    pub status: GdcStatus,
    /// Unix seconds of the answer.
    pub checked_at: i64,
    /// Unix seconds of the next check by itself; `None`: not polled.
    pub next_check_at: Option<i64>,
}

/// How one check of a round went.
#[derive(Debug)]
pub enum GdcOutcome {
    Checked(GdcStatus),
    Failed(PublishError),
    /// Not asked: an earlier check of the round found the harvester or the ADC out of reach.
    NotTried,
}

/// One target's check in a round.
#[derive(Debug)]
pub struct GdcCheck {
    pub target: GdcTarget,
    pub outcome: GdcOutcome,
}

/// Asks GD Catalog about each target in turn (`client` is for the targets' ADC). After a failure that
/// says the harvester or the ADC is out of reach (offline, timeout, server error), the rest are not
/// asked: an offline laptop makes one attempt per round. Record the round with
/// [`Outbox::record_gdc_checks`].
pub async fn check_gdc(config: &GdcConfig, client: &AdcClient, targets: Vec<GdcTarget>) -> Vec<GdcCheck> {
    let mut checks = Vec::with_capacity(targets.len());
    let mut unreachable = false;
    for target in targets {
        let outcome = if unreachable {
            GdcOutcome::NotTried
        } else {
            match gdc_status(config, client, &target.package_id).await {
                Ok(status) => GdcOutcome::Checked(status),
                Err(error) => {
                    unreachable = error.is_retryable();
                    GdcOutcome::Failed(error)
                }
            }
        };
        checks.push(GdcCheck { target, outcome });
    }
    checks
}

/// `gdc_checks` columns read into a [`StoredGdc`].
const STORED_COLUMNS: &str = "draft_id, status, checked_at, next_check_at";

fn stored_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Option<StoredGdc>> {
    let status: Option<String> = row.get(1)?;
    let Some(mut status) = status.and_then(|s| serde_json::from_str::<GdcStatus>(&s).ok()) else {
        return Ok(None);
    };
    // Decided by this version of the app, not by the one that stored the answer.
    status.form_warnings = form_warnings(status.state);
    Ok(Some(StoredGdc {
        draft_id: row.get(0)?,
        status,
        checked_at: row.get::<_, Option<i64>>(2)?.unwrap_or_default(),
        next_check_at: row.get(3)?,
    }))
}

impl Outbox {
    /// Up to `limit` datasets published to `site` whose GD Catalog check is due now, the longest waiting
    /// first. A dataset never checked (published or pulled before) is due at once.
    pub fn gdc_due(&self, site: &str, limit: usize) -> Result<Vec<GdcTarget>, PublishError> {
        let mut stmt = self.conn.prepare(
            "SELECT p.draft_id, p.site, p.package_id FROM remote_packages p
             LEFT JOIN gdc_checks g ON g.draft_id = p.draft_id AND g.site = p.site
             WHERE p.site = ?1 AND (g.draft_id IS NULL OR g.next_check_at <= ?2)
             ORDER BY COALESCE(g.next_check_at, 0), p.draft_id LIMIT ?3",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(params![site, unix_now(), limit], |r| {
                Ok(GdcTarget {
                    draft_id: r.get(0)?,
                    site: r.get(1)?,
                    package_id: r.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// How long until a check on `site` is due (zero when one is due now); `None` when none will be.
    pub fn gdc_next_due_in(&self, site: &str) -> Result<Option<Duration>, PublishError> {
        let next: Option<i64> = self.conn.query_row(
            "SELECT MIN(CASE WHEN g.draft_id IS NULL THEN 0 ELSE g.next_check_at END) FROM remote_packages p
             LEFT JOIN gdc_checks g ON g.draft_id = p.draft_id AND g.site = p.site
             WHERE p.site = ?1 AND (g.draft_id IS NULL OR g.next_check_at IS NOT NULL)",
            [site],
            |r| r.get(0),
        )?;
        Ok(next.map(|at| Duration::from_secs(at.saturating_sub(unix_now()).max(0) as u64)))
    }

    /// The dataset of `draft_id` on `site` to check on request; `None` before it is published.
    pub fn gdc_target(&self, draft_id: &str, site: &str) -> Result<Option<GdcTarget>, PublishError> {
        Ok(self.published_as(draft_id, site)?.map(|(package_id, _)| GdcTarget {
            draft_id: draft_id.to_owned(),
            site: site.to_owned(),
            package_id,
        }))
    }

    /// After a publish: check at once, remembering whether the dataset went up with GD Catalog consent.
    pub(crate) fn gdc_after_publish(&mut self, draft_id: &str, site: &str, consent: bool) -> Result<(), PublishError> {
        self.conn.execute(
            "INSERT INTO gdc_checks (draft_id, site, next_check_at, failures, consent) VALUES (?1, ?2, ?3, 0, ?4)
             ON CONFLICT (draft_id, site) DO UPDATE SET next_check_at = ?3, failures = 0, consent = ?4",
            params![draft_id, site, unix_now(), consent],
        )?;
        Ok(())
    }

    /// Records a round of checks: an answer is kept and the next check scheduled by its state; a failure
    /// (or a check not tried) keeps the last answer and backs off. Returns the answers as stored.
    pub fn record_gdc_checks(&mut self, checks: &[GdcCheck]) -> Result<Vec<StoredGdc>, PublishError> {
        let now = unix_now();
        let tx = self.conn.transaction()?;
        let mut stored = Vec::new();
        for check in checks {
            let GdcTarget { draft_id, site, .. } = &check.target;
            let (consent, failures): (Option<bool>, u32) = tx
                .query_row(
                    "SELECT consent, failures FROM gdc_checks WHERE draft_id = ?1 AND site = ?2",
                    params![draft_id, site],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?
                .unwrap_or((None, 0));
            match &check.outcome {
                GdcOutcome::Checked(status) => {
                    let next = self
                        .gdc_schedule
                        .interval(status.state, consent)
                        .map(|wait| now + wait.as_secs() as i64);
                    let text = serde_json::to_string(status).unwrap_or_default();
                    tx.execute(
                        "INSERT INTO gdc_checks (draft_id, site, status, checked_at, next_check_at, failures)
                         VALUES (?1, ?2, ?3, ?4, ?5, 0)
                         ON CONFLICT (draft_id, site) DO UPDATE SET status = ?3, checked_at = ?4,
                         next_check_at = ?5, failures = 0",
                        params![draft_id, site, text, now, next],
                    )?;
                    stored.push(StoredGdc {
                        draft_id: draft_id.clone(),
                        status: status.clone(),
                        checked_at: now,
                        next_check_at: next,
                    });
                }
                GdcOutcome::Failed(_) | GdcOutcome::NotTried => {
                    let failures = failures + 1;
                    let next = now + self.gdc_schedule.retry_after(failures).as_secs() as i64;
                    tx.execute(
                        "INSERT INTO gdc_checks (draft_id, site, next_check_at, failures) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (draft_id, site) DO UPDATE SET next_check_at = ?3, failures = ?4",
                        params![draft_id, site, next, failures],
                    )?;
                }
            }
        }
        tx.commit()?;
        Ok(stored)
    }

    /// The last known GD Catalog state of the draft's dataset on `site`; `None` before the first answer.
    pub fn gdc_stored(&self, draft_id: &str, site: &str) -> Result<Option<StoredGdc>, PublishError> {
        let row = self
            .conn
            .query_row(
                &format!("SELECT {STORED_COLUMNS} FROM gdc_checks WHERE draft_id = ?1 AND site = ?2"),
                params![draft_id, site],
                stored_of,
            )
            .optional()?;
        Ok(row.flatten())
    }

    /// The last known GD Catalog state of every dataset published to `site`.
    pub fn gdc_stored_all(&self, site: &str) -> Result<Vec<StoredGdc>, PublishError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {STORED_COLUMNS} FROM gdc_checks WHERE site = ?1 AND status IS NOT NULL ORDER BY draft_id"
        ))?;
        let rows: Vec<Option<StoredGdc>> = stmt.query_map([site], stored_of)?.collect::<Result<_, _>>()?;
        Ok(rows.into_iter().flatten().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gdc::describe;
    use crate::outbox::{Backoff, RemotePackage, OUTBOX_FILE};
    use catalog_adc::{AdcError, GdcRecord};

    const SITE: &str = "https://adc.example.go.th";
    const MINUTE: i64 = 60;

    fn outbox(dir: &std::path::Path) -> Outbox {
        Outbox::open_file(&dir.join(OUTBOX_FILE), Backoff::default()).unwrap()
    }

    fn publish(outbox: &mut Outbox, draft_id: &str, consent: bool) {
        let package = RemotePackage {
            package_id: format!("pkg-{draft_id}"),
            name: draft_id.to_owned(),
            metadata_modified: None,
            package_hash: None,
        };
        outbox.set_remote_package(draft_id, SITE, &package).unwrap();
        outbox.gdc_after_publish(draft_id, SITE, consent).unwrap();
    }

    fn status(state: &str, published: bool) -> GdcStatus {
        let record = GdcRecord {
            name: "n".into(),
            metadata_modified: "2024-06-14T10:00:00".into(),
            governance_state: state.into(),
            validate_time: None,
            published,
        };
        describe(&GdcConfig::default(), Some(&record), None)
    }

    fn checked(target: &GdcTarget, status: GdcStatus) -> GdcCheck {
        GdcCheck {
            target: target.clone(),
            outcome: GdcOutcome::Checked(status),
        }
    }

    fn offline(target: &GdcTarget) -> GdcCheck {
        GdcCheck {
            target: target.clone(),
            outcome: GdcOutcome::Failed(PublishError::Adc(AdcError::Offline {
                action: "gdcatalog_published_state".into(),
                host: "harvester".into(),
            })),
        }
    }

    /// Seconds from now until the draft's next check (`None`: not polled).
    fn next_in(outbox: &Outbox, draft_id: &str) -> Option<i64> {
        let next: Option<i64> = outbox
            .conn
            .query_row(
                "SELECT next_check_at FROM gdc_checks WHERE draft_id = ?1",
                [draft_id],
                |r| r.get(0),
            )
            .unwrap();
        next.map(|at| at - unix_now())
    }

    /// Moves every scheduled check `seconds` earlier, as if that much time had passed.
    fn pass(outbox: &Outbox, seconds: i64) {
        outbox
            .conn
            .execute("UPDATE gdc_checks SET next_check_at = next_check_at - ?1", [seconds])
            .unwrap();
    }

    fn ids(targets: &[GdcTarget]) -> Vec<&str> {
        targets.iter().map(|t| t.draft_id.as_str()).collect()
    }

    #[test]
    fn moving_states_every_15_minutes_settled_daily_and_no_consent_not_at_all() {
        let s = GdcSchedule::default();
        let minutes = |state, consent| s.interval(state, consent).map(|d| d.as_secs() / 60);
        for state in [
            GdcState::Wait,
            GdcState::UnderApproval,
            GdcState::Revoking,
            GdcState::Other,
        ] {
            assert_eq!(minutes(state, Some(true)), Some(15), "{state:?}");
            assert_eq!(minutes(state, None), Some(15), "{state:?}");
        }
        for state in [GdcState::Registered, GdcState::Rejected, GdcState::Revoked] {
            assert_eq!(minutes(state, Some(true)), Some(24 * 60), "{state:?}");
        }
        assert_eq!(minutes(GdcState::NotHarvested, Some(true)), Some(60));
        assert_eq!(minutes(GdcState::NotHarvested, None), Some(60), "a pulled dataset");
        assert_eq!(
            minutes(GdcState::NotHarvested, Some(false)),
            None,
            "never harvested without consent"
        );
        let retries: Vec<u64> = (1..=7).map(|n| s.retry_after(n).as_secs() / 60).collect();
        assert_eq!(retries, [15, 30, 60, 120, 240, 360, 360]);
        assert_eq!(s.retry_after(u32::MAX), s.retry_max);
    }

    #[test]
    fn published_datasets_are_due_at_once_then_by_their_state() {
        let dir = tempfile::tempdir().unwrap();
        let mut outbox = outbox(dir.path());
        assert!(outbox.gdc_due(SITE, 10).unwrap().is_empty());
        assert_eq!(outbox.gdc_next_due_in(SITE).unwrap(), None, "nothing published");
        publish(&mut outbox, "a", true);
        publish(&mut outbox, "b", true);
        publish(&mut outbox, "c", false);
        assert_eq!(outbox.gdc_next_due_in(SITE).unwrap(), Some(Duration::ZERO));
        let due = outbox.gdc_due(SITE, 10).unwrap();
        assert_eq!(ids(&due), ["a", "b", "c"]);
        assert_eq!(due[0].package_id, "pkg-a");
        assert_eq!(ids(&outbox.gdc_due(SITE, 2).unwrap()), ["a", "b"], "a round is limited");
        assert!(outbox.gdc_due("https://other.go.th", 10).unwrap().is_empty());

        let not_harvested = describe(&GdcConfig::default(), None, None);
        let stored = outbox
            .record_gdc_checks(&[
                checked(&due[0], status("VALIDATE", false)),
                checked(&due[1], status("PUBLISHED", true)),
                checked(&due[2], not_harvested),
            ])
            .unwrap();
        assert_eq!(stored.len(), 3);
        assert!(outbox.gdc_due(SITE, 10).unwrap().is_empty(), "nothing due right after");
        let near = |got: Option<i64>, want: i64| got.is_some_and(|g| (g - want).abs() <= 2);
        assert!(near(next_in(&outbox, "a"), 15 * MINUTE), "under approval: 15 min");
        assert!(near(next_in(&outbox, "b"), 24 * 60 * MINUTE), "registered: daily");
        assert_eq!(next_in(&outbox, "c"), None, "no consent, not harvested: not polled");
        let wait = outbox.gdc_next_due_in(SITE).unwrap().unwrap();
        assert!(
            wait > Duration::from_secs(14 * 60) && wait <= Duration::from_secs(15 * 60),
            "{wait:?}"
        );

        pass(&outbox, 16 * MINUTE);
        assert_eq!(ids(&outbox.gdc_due(SITE, 10).unwrap()), ["a"]);
        publish(&mut outbox, "c", true);
        assert_eq!(
            ids(&outbox.gdc_due(SITE, 10).unwrap()),
            ["a", "c"],
            "a new publish checks at once"
        );
    }

    #[test]
    fn failures_back_off_quietly_and_keep_the_last_answer() {
        let dir = tempfile::tempdir().unwrap();
        let mut outbox = outbox(dir.path());
        publish(&mut outbox, "a", true);
        publish(&mut outbox, "b", true);
        let due = outbox.gdc_due(SITE, 10).unwrap();
        outbox
            .record_gdc_checks(&[checked(&due[0], status("WAIT", false))])
            .unwrap();
        pass(&outbox, 15 * MINUTE);
        let due = outbox.gdc_due(SITE, 10).unwrap();
        assert_eq!(ids(&due), ["b", "a"]);
        let round = [
            offline(&due[0]),
            GdcCheck {
                target: due[1].clone(),
                outcome: GdcOutcome::NotTried,
            },
        ];
        assert!(outbox.record_gdc_checks(&round).unwrap().is_empty());
        assert!(outbox.gdc_due(SITE, 10).unwrap().is_empty(), "the whole round waits");
        let near = |got: Option<i64>, want: i64| got.is_some_and(|g| (g - want).abs() <= 2);
        assert!(near(next_in(&outbox, "a"), 15 * MINUTE));
        pass(&outbox, 15 * MINUTE);
        outbox.record_gdc_checks(&[offline(&due[1])]).unwrap();
        assert!(near(next_in(&outbox, "a"), 30 * MINUTE), "doubled");
        let kept = outbox.gdc_stored("a", SITE).unwrap().unwrap();
        assert_eq!(kept.status.state, GdcState::Wait, "the last answer is kept");
        assert_eq!(outbox.gdc_stored("b", SITE).unwrap(), None, "never answered");

        pass(&outbox, 30 * MINUTE);
        let due = outbox.gdc_due(SITE, 10).unwrap();
        assert_eq!(ids(&due), ["b", "a"], "the longest waiting first");
        outbox
            .record_gdc_checks(&[checked(&due[1], status("APPROVAL", false))])
            .unwrap();
        assert!(near(next_in(&outbox, "a"), 15 * MINUTE), "an answer resets the backoff");
    }

    #[test]
    fn stored_states_carry_the_form_warnings_and_are_forgotten_with_the_dataset() {
        let dir = tempfile::tempdir().unwrap();
        let mut outbox = outbox(dir.path());
        publish(&mut outbox, "a", true);
        publish(&mut outbox, "b", true);
        let due = outbox.gdc_due(SITE, 10).unwrap();
        let mut registered = status("PUBLISHED", true);
        registered.form_warnings.clear();
        outbox
            .record_gdc_checks(&[
                checked(&due[0], registered),
                checked(&due[1], status("APPROVAL", false)),
            ])
            .unwrap();
        drop(outbox);
        let mut outbox = self::outbox(dir.path());
        let all = outbox.gdc_stored_all(SITE).unwrap();
        assert_eq!(all.iter().map(|s| s.draft_id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(all[0].status.state, GdcState::Registered);
        assert_eq!(
            all[0].status.form_warnings,
            form_warnings(GdcState::Registered),
            "decided again when read"
        );
        assert!(all[1].status.form_warnings[0].field.is_none());
        assert!(all[0].checked_at > 0 && all[0].next_check_at.is_some());
        assert!(outbox.gdc_stored_all("https://other.go.th").unwrap().is_empty());

        outbox.forget_remote("a", SITE).unwrap();
        assert_eq!(outbox.gdc_stored("a", SITE).unwrap(), None);
        assert_eq!(outbox.gdc_target("a", SITE).unwrap(), None);
        assert_eq!(
            outbox.gdc_target("b", SITE).unwrap().map(|t| t.package_id),
            Some("pkg-b".to_owned())
        );
    }
}
