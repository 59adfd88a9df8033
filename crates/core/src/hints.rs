//! A draft's classification hints as the person sees them: what each file's last content scan raised
//! (kept with the resource; the scanning is `catalog-hints`'), with the person's latest decision on
//! each, read from the revision log. Personal-data hints that are not dismissed keep the draft from
//! being public (the gate in [`crate::classification`] counts them).

use serde::Serialize;
use serde_json::Value;

use crate::error::StoreError;
use crate::store::{RevisionAction, Store};

/// The person's decision on a hint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HintDecision {
    pub accepted: bool,
    pub reason: String,
    pub actor: String,
    pub at: String,
    /// The column the decision was about, by name (a decision on another column is stale).
    pub column: String,
}

/// One hint about one file, with the decision on it if there is one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HintView {
    pub resource_id: String,
    pub resource_name: String,
    /// The hint as `catalog-hints` reported it (id, kind, personal_data, column, counts, masked
    /// examples, advice).
    pub hint: Value,
    pub decision: Option<HintDecision>,
}

impl HintView {
    fn personal_data(&self) -> bool {
        self.hint.get("personal_data").and_then(Value::as_bool) == Some(true)
    }
}

/// Every hint of the draft's files, personal-data hints first, with the latest decisions.
pub fn hint_views(store: &Store, draft_id: &str) -> Result<Vec<HintView>, StoreError> {
    let decisions: Vec<_> = store
        .revisions(draft_id)?
        .into_iter()
        .filter(|r| r.action == RevisionAction::HintDecided)
        .collect();
    let mut views = Vec::new();
    for resource in store.resources(draft_id)? {
        let Some(Value::Array(hints)) = store.resource_hints(&resource.id)? else {
            continue;
        };
        for hint in hints {
            let id = hint.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
            let column = hint
                .pointer("/column/name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let decision = decisions
                .iter()
                .rev()
                .find(|r| r.detail["resource_id"] == resource.id.as_str() && r.detail["hint_id"] == id.as_str())
                .filter(|r| r.detail["column"] == column.as_str())
                .map(|r| HintDecision {
                    accepted: r.detail["accepted"].as_bool().unwrap_or(false),
                    reason: r.detail["reason"].as_str().unwrap_or_default().to_owned(),
                    actor: r.actor.clone(),
                    at: r.at.clone(),
                    column: column.clone(),
                });
            views.push(HintView {
                resource_id: resource.id.clone(),
                resource_name: resource.name.clone(),
                hint,
                decision,
            });
        }
    }
    views.sort_by_key(|v| !v.personal_data());
    Ok(views)
}

/// Personal-data hints not dismissed (undecided, or accepted as personal data): while there are any,
/// the draft is not published as public.
pub fn personal_data_not_dismissed(views: &[HintView]) -> usize {
    views
        .iter()
        .filter(|v| v.personal_data() && v.decision.as_ref().is_none_or(|d| d.accepted))
        .count()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn decisions_are_read_from_the_log_and_only_dismissals_clear_personal_data() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("data")).unwrap();
        let draft = store.create_draft("ทะเบียนผู้รับเบี้ยยังชีพ", "u").unwrap();
        let file = dir.path().join("people.csv");
        std::fs::write(&file, "x").unwrap();
        let resource = store.attach_file(&draft.id, &file, "u").unwrap();
        let hints = json!([
            {"id": "thai_citizen_id:0", "personal_data": true, "column": {"index": 0, "name": "เลขประจำตัวประชาชน"}},
            {"id": "phone_number:2", "personal_data": true, "column": {"index": 2, "name": "โทรศัพท์"}},
            {"id": "coordinates:4", "personal_data": false, "column": {"index": 4, "name": "lat"}}
        ]);
        store.set_resource_hints(&resource.id, &hints).unwrap();
        assert_eq!(personal_data_not_dismissed(&hint_views(&store, &draft.id).unwrap()), 2);

        assert!(matches!(
            store.decide_hint(&resource.id, "phone_number:2", "โทรศัพท์", false, " ", "u"),
            Err(StoreError::DismissReasonRequired)
        ));
        store
            .decide_hint(
                &resource.id,
                "phone_number:2",
                "โทรศัพท์",
                false,
                "เบอร์สำนักงาน ไม่ใช่บุคคล",
                "steward",
            )
            .unwrap();
        store
            .decide_hint(
                &resource.id,
                "thai_citizen_id:0",
                "เลขประจำตัวประชาชน",
                true,
                "",
                "steward",
            )
            .unwrap();
        let views = hint_views(&store, &draft.id).unwrap();
        assert_eq!(
            personal_data_not_dismissed(&views),
            1,
            "an accepted citizen-ID hint still keeps the data private"
        );
        let phone = views.iter().find(|v| v.hint["id"] == "phone_number:2").unwrap();
        assert_eq!(phone.decision.as_ref().unwrap().reason, "เบอร์สำนักงาน ไม่ใช่บุคคล");
        assert_eq!(phone.decision.as_ref().unwrap().actor, "steward");

        let moved = json!([{"id": "phone_number:2", "personal_data": true, "column": {"index": 2, "name": "ชื่อ"}}]);
        store.set_resource_hints(&resource.id, &moved).unwrap();
        let views = hint_views(&store, &draft.id).unwrap();
        assert!(views[0].decision.is_none(), "a decision about another column is stale");
    }
}
