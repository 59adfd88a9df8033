//! Applying a dry-run plan: every created and updated draft and resource, exactly as the plan's changes
//! say, in one store transaction (`Store::apply_import`), so a failure leaves the store as it was.

use catalog_core::Store;
use catalog_schema::DraftRecord;
use serde::Serialize;
use serde_json::Map;

use crate::error::ImportError;
use crate::plan::{FieldChange, ImportPlan, Outcome};

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Applied {
    pub created: usize,
    pub updated: usize,
    /// Ids of the drafts created or updated, in file order.
    pub draft_ids: Vec<String>,
}

fn fields(changes: &[FieldChange]) -> Map<String, serde_json::Value> {
    changes.iter().map(|c| (c.field.clone(), c.after.clone())).collect()
}

/// Writes the plan's changes in one transaction. Rows with errors and unchanged rows write nothing.
pub fn apply(plan: &ImportPlan, store: &mut Store, actor: &str) -> Result<Applied, ImportError> {
    let written = |o: Outcome| matches!(o, Outcome::Created | Outcome::Updated);
    let items: Vec<_> = plan
        .rows
        .iter()
        .filter(|row| written(row.outcome))
        .map(|row| {
            let resources: Vec<_> = row.resources.iter().filter(|r| written(r.outcome)).collect();
            let record = DraftRecord {
                metadata: fields(&row.changes),
                resources: resources.iter().map(|r| fields(&r.changes)).collect(),
            };
            let ids = resources.iter().map(|r| r.resource_id.clone()).collect();
            let draft_id = if row.outcome == Outcome::Created {
                None
            } else {
                row.draft_id.clone()
            };
            (draft_id, record, ids)
        })
        .collect();
    let draft_ids = store.apply_import(&items, actor)?;
    let count = |outcome| plan.rows.iter().filter(|r| r.outcome == outcome).count();
    Ok(Applied {
        created: count(Outcome::Created),
        updated: count(Outcome::Updated),
        draft_ids,
    })
}
