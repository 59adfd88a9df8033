//! The NSO's five steps before a dataset reaches the ADC ("การนำเข้าชุดข้อมูลบนระบบบัญชีข้อมูลหน่วยงาน"),
//! each computed from the draft and the ADC account rather than ticked by hand: (1) consider the
//! dataset, (2) editor rights in the organisation, (3) signed in to the ADC, (4) metadata complete and
//! valid, (5) resources added, previewed and described. Each step lists what is missing, pointing at
//! the field to fill where there is one.

use catalog_error::Bilingual;
use catalog_schema::{keys, ProblemCode, Severity};
use serde::Serialize;
use serde_json::Value;

use crate::metadata::DraftView;

/// What the app knows about the person's ADC account (remembered offline).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AccountState {
    /// An ADC is configured.
    pub adc_configured: bool,
    /// An API token for it is in the OS keyring.
    pub signed_in: bool,
    /// The organisations the account may publish to (editor or admin), by id and name, as last seen.
    pub publishable_orgs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ChecklistItem {
    pub done: bool,
    pub message: Bilingual,
    /// The field to fill, when the item is about one.
    pub field: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ChecklistStep {
    /// 1 to 5.
    pub number: u8,
    pub title: Bilingual,
    pub done: bool,
    pub items: Vec<ChecklistItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Checklist {
    pub steps: Vec<ChecklistStep>,
    pub done: usize,
}

fn item(done: bool, th: &str, en: &str, field: Option<&str>) -> ChecklistItem {
    ChecklistItem {
        done,
        message: Bilingual::new(th, en),
        field: field.map(str::to_owned),
    }
}

fn filled(view: &DraftView, key: &str) -> bool {
    match view.draft.metadata.get(key) {
        Some(Value::String(text)) => !text.trim().is_empty(),
        Some(Value::Array(items)) => !items.is_empty(),
        Some(Value::Null) | None => false,
        Some(_) => true,
    }
}

fn has_error(view: &DraftView, field: &str) -> bool {
    view.problems
        .iter()
        .any(|p| p.resource.is_none() && p.field == field && p.severity == Severity::Error)
}

fn step(number: u8, th: &str, en: &str, items: Vec<ChecklistItem>) -> ChecklistStep {
    ChecklistStep {
        number,
        title: Bilingual::new(th, en),
        done: items.iter().all(|i| i.done),
        items,
    }
}

/// The five steps for a draft. A file counts as previewed once its contents were shown (a link without
/// a local copy has nothing to preview).
pub fn checklist(view: &DraftView, account: &AccountState) -> Checklist {
    let dataset_errors = view
        .problems
        .iter()
        .filter(|p| p.resource.is_none() && p.severity == Severity::Error)
        .count();
    let classification_chosen = filled(view, keys::DATA_CATEGORY)
        && filled(view, keys::DATA_CLASSIFICATION)
        && !view
            .problems
            .iter()
            .any(|p| p.code == ProblemCode::ClassificationNotAllowed);
    let org = view
        .draft
        .metadata
        .get(keys::OWNER_ORG)
        .and_then(Value::as_str)
        .unwrap_or_default();
    let has_files = !view.resources.is_empty();
    let resource_errors = view
        .problems
        .iter()
        .filter(|p| p.resource.is_some() && p.severity == Severity::Error)
        .count();
    let all_previewed = has_files
        && view
            .resources
            .iter()
            .all(|r| r.previewed_at.is_some() || r.stored_path.is_empty());

    let steps = vec![
        step(
            1,
            "พิจารณาชุดข้อมูล",
            "Consider the dataset",
            vec![
                item(
                    filled(view, keys::DATA_TYPE),
                    "เลือกประเภทชุดข้อมูล",
                    "Choose the data type",
                    Some(keys::DATA_TYPE),
                ),
                item(
                    filled(view, keys::NOTES) && !has_error(view, keys::NOTES),
                    "เขียนคำอธิบายชุดข้อมูล",
                    "Write the description",
                    Some(keys::NOTES),
                ),
                item(
                    classification_chosen,
                    "ตัดสินใจเรื่องการเข้าถึง: หมวดหมู่และระดับชั้นข้อมูล",
                    "Decide access: data category and classification level",
                    Some(keys::DATA_CATEGORY),
                ),
                item(has_files, "เตรียมไฟล์ทรัพยากรข้อมูล", "Prepare the resource files", None),
            ],
        ),
        step(
            2,
            "สิทธิ์บรรณาธิการ",
            "Editor rights",
            vec![
                item(
                    !org.trim().is_empty(),
                    "เลือกองค์กรที่จะเผยแพร่",
                    "Choose the organisation to publish to",
                    Some(keys::OWNER_ORG),
                ),
                item(
                    !org.trim().is_empty() && account.publishable_orgs.iter().any(|o| o == org),
                    "ท่านเป็นบรรณาธิการหรือผู้ดูแลขององค์กรนี้ใน ADC (ตรวจเมื่อเข้าสู่ระบบ)",
                    "You are an editor or admin of this organisation on the ADC (checked when signed in)",
                    None,
                ),
            ],
        ),
        step(
            3,
            "เข้าสู่ระบบ ADC",
            "Signed in to the ADC",
            vec![
                item(
                    account.adc_configured,
                    "ระบุระบบบัญชีข้อมูลหน่วยงาน (ADC)",
                    "Set the agency data catalog (ADC)",
                    None,
                ),
                item(
                    account.signed_in,
                    "เข้าสู่ระบบ ADC (มีโทเค็นในที่เก็บรหัสของเครื่อง)",
                    "Sign in to the ADC (a token in the OS keyring)",
                    None,
                ),
            ],
        ),
        step(
            4,
            "คำอธิบายชุดข้อมูลครบและถูกต้อง",
            "Metadata complete and valid",
            vec![item(
                dataset_errors == 0,
                &format!("แก้ไขรายการที่ยังขาดหรือไม่ถูกต้อง ({dataset_errors})"),
                &format!("Fix what is missing or invalid ({dataset_errors})"),
                None,
            )],
        ),
        step(
            5,
            "ทรัพยากรข้อมูล",
            "Resources",
            vec![
                item(
                    has_files,
                    "แนบไฟล์ทรัพยากรข้อมูลอย่างน้อย 1 ไฟล์",
                    "Attach at least one resource file",
                    None,
                ),
                item(all_previewed, "เปิดดูตัวอย่างทุกไฟล์", "Preview every file", None),
                item(
                    has_files && resource_errors == 0,
                    "กรอกรายละเอียดของทุกไฟล์",
                    "Describe every file",
                    None,
                ),
            ],
        ),
    ];
    Checklist {
        done: steps.iter().filter(|s| s.done).count(),
        steps,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::metadata::view;
    use crate::store::Store;
    use catalog_schema::Schema;

    #[test]
    fn steps_follow_the_draft_and_the_account() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("data")).unwrap();
        let schema = Schema::built_in();
        let draft = store.create_draft("สถิติ", "u").unwrap();
        let empty = checklist(&view(&store, schema, &draft.id).unwrap(), &AccountState::default());
        assert_eq!(empty.done, 0);
        assert_eq!(
            empty.steps.iter().map(|s| s.number).collect::<Vec<_>>(),
            vec![1, 2, 3, 4, 5]
        );
        assert_eq!(
            empty.steps[0].items[0].field.as_deref(),
            Some("data_type"),
            "a missing item points at its field"
        );

        for (key, value) in [
            ("data_type", json!("ข้อมูลสถิติ")),
            ("notes", json!("คำอธิบาย")),
            ("data_category", json!("ข้อมูลสาธารณะ")),
            ("data_classification", json!("เปิดเผย")),
            ("owner_org", json!("ci-org")),
        ] {
            store.set_field(&draft.id, key, value, "u").unwrap();
        }
        let file = dir.path().join("births.csv");
        std::fs::write(&file, "ปี,จำนวน\n2567,1\n").unwrap();
        let resource = store.attach_file(&draft.id, &file, "u").unwrap();
        let account = AccountState {
            adc_configured: true,
            signed_in: true,
            publishable_orgs: vec!["ci-org".into()],
        };
        let list = checklist(&view(&store, schema, &draft.id).unwrap(), &account);
        assert!(list.steps[0].done, "{:?}", list.steps[0]);
        assert!(list.steps[1].done && list.steps[2].done);
        assert!(!list.steps[3].done, "other required fields are still empty");
        assert!(!list.steps[4].done, "the file has not been previewed");
        store.mark_previewed(&resource.id).unwrap();
        let previewed = checklist(&view(&store, schema, &draft.id).unwrap(), &account);
        assert!(previewed.steps[4].done, "{:?}", previewed.steps[4]);

        let other_org = AccountState {
            publishable_orgs: vec!["another-org".into()],
            ..account
        };
        assert!(!checklist(&view(&store, schema, &draft.id).unwrap(), &other_org).steps[1].done);
    }
}
