//! A draft's classification hints as the person sees them: what each file's current analysis raised
//! (kept with the resource, see [`crate::analysis`]; the scanning is `catalog-hints`'), with the
//! person's latest decision on each, read from the revision log, and each file's scan state. It also
//! builds the one piece of evidence the publish gate in [`crate::classification`] decides on, for the
//! draft page and the publisher alike: personal-data hints that are not dismissed, and files whose
//! contents have not been checked (never scanned, stale, being scanned or failed).

use catalog_hints::Hint;
use serde::Serialize;

use crate::analysis::FileScan;
use crate::classification::GateEvidence;
use crate::error::StoreError;
use crate::store::{RevisionAction, Store};

/// The person's decision on a hint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct HintDecision {
    pub accepted: bool,
    pub reason: String,
    pub actor: String,
    pub at: String,
    /// The column the decision was about, by name (a decision on another column is stale).
    pub column: String,
}

/// One hint about one file, with the decision on it if there is one.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct HintView {
    pub resource_id: String,
    pub resource_name: String,
    /// The hint as `catalog-hints` reported it (id, kind, personal_data, column, counts, masked
    /// examples, advice).
    pub hint: Hint,
    pub decision: Option<HintDecision>,
}

impl HintView {
    /// A personal-data hint that is undecided or accepted as personal data.
    fn personal_not_dismissed(&self) -> bool {
        self.hint.personal_data && self.decision.as_ref().is_none_or(|d| d.accepted)
    }
}

/// The draft's hints (personal data first, with the latest decisions) and each file's scan state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftHints {
    pub views: Vec<HintView>,
    pub scans: Vec<FileScan>,
}

impl DraftHints {
    /// What the publish gate decides on.
    pub fn evidence(&self) -> GateEvidence {
        let personal: Vec<&HintView> = self.views.iter().filter(|v| v.personal_not_dismissed()).collect();
        let mut personal_files: Vec<String> = Vec::new();
        for view in &personal {
            if !personal_files.contains(&view.resource_name) {
                personal_files.push(view.resource_name.clone());
            }
        }
        GateEvidence {
            personal_not_dismissed: personal.len(),
            personal_files,
            unchecked_files: self.scans.iter().filter(|s| s.state.unchecked()).cloned().collect(),
        }
    }
}

/// Every hint of the draft's files' current analyses, personal-data hints first, with the latest
/// decisions, and every file's scan state.
pub fn draft_hints(store: &Store, draft_id: &str) -> Result<DraftHints, StoreError> {
    let decisions: Vec<_> = store
        .revisions(draft_id)?
        .into_iter()
        .filter(|r| r.action == RevisionAction::HintDecided)
        .collect();
    let mut views = Vec::new();
    for resource in store.resources(draft_id)? {
        let Some(analysis) = store.resource_analysis(&resource.id)? else {
            continue;
        };
        for hint in analysis.hints {
            let decision = decisions
                .iter()
                .rev()
                .find(|r| r.detail["resource_id"] == resource.id.as_str() && r.detail["hint_id"] == hint.id.as_str())
                .filter(|r| r.detail["column"] == hint.column.name.as_str())
                .map(|r| HintDecision {
                    accepted: r.detail["accepted"].as_bool().unwrap_or(false),
                    reason: r.detail["reason"].as_str().unwrap_or_default().to_owned(),
                    actor: r.actor.clone(),
                    at: r.at.clone(),
                    column: hint.column.name.clone(),
                });
            views.push(HintView {
                resource_id: resource.id.clone(),
                resource_name: resource.name.clone(),
                hint,
                decision,
            });
        }
    }
    views.sort_by_key(|v| !v.hint.personal_data);
    Ok(DraftHints {
        views,
        scans: store.file_scans(draft_id)?,
    })
}

/// What the publish gate decides the draft's visibility on; the draft page ([`crate::metadata::view`])
/// and the publisher both take it from here.
pub fn gate_evidence(store: &Store, draft_id: &str) -> Result<GateEvidence, StoreError> {
    Ok(draft_hints(store, draft_id)?.evidence())
}
