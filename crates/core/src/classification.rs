//! The classification gate (data category × classification level, domain.md §4), enforced here in the
//! core and not only in the form: whether a draft may be published as public, what the ADC must be
//! sent (dataset visibility, GD Catalog consent, each file's access flag), the problems the form shows
//! when the draft asks for more openness than its classification allows, and the consequences the
//! ADC's own form applies when the category or visibility changes. The rules themselves are data in
//! the schema asset. Besides the classification, the gate reads the files' evidence
//! ([`GateEvidence`], built by [`crate::hints::gate_evidence`]): personal-data hints not dismissed, and
//! files whose contents have not been checked, each named.

use catalog_error::Bilingual;
use catalog_schema::keys;
use catalog_schema::record::{FALSE, TRUE};
use catalog_schema::{Access, DraftRecord, Problem, ProblemCode, Schema, Severity};
use serde::Serialize;
use serde_json::{json, Value};

use crate::analysis::{FileScan, ScanState};

/// How the draft's files may go up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum FilePolicy {
    /// Each file as its own access flag says.
    AsMarked,
    /// Only with `resource_private` "True", or not at all (the person's choice).
    PrivateOrWithheld,
}

/// What the gate decides for a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct AccessDecision {
    /// The classification allows a public dataset.
    pub public_allowed: bool,
    /// The dataset goes to the ADC as private.
    pub private: bool,
    /// GD Catalog consent (`allow_harvest`): forced for public datasets, the person's choice otherwise.
    pub allow_harvest: bool,
    pub files: FilePolicy,
    /// Why the dataset may not be public (empty when it may).
    pub reasons: Vec<Bilingual>,
}

/// What the draft's files say for the gate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GateEvidence {
    /// Personal-data hints about the files that are not dismissed (undecided, or accepted as personal
    /// data).
    pub personal_not_dismissed: usize,
    /// The files those hints are about, each named once, in the order of the hints.
    pub personal_files: Vec<String>,
    /// Files whose contents are not known: never scanned, stale, being scanned, or failed.
    pub unchecked_files: Vec<FileScan>,
}

/// Why an unchecked file keeps the draft from being public, naming it.
fn unchecked_reason(file: &FileScan) -> Bilingual {
    let name = &file.name;
    match &file.state {
        ScanState::Running => Bilingual::new(
            format!("กำลังตรวจไฟล์ “{name}” หาข้อมูลส่วนบุคคล"),
            format!("{name} is being checked for personal data."),
        ),
        ScanState::Stale => Bilingual::new(
            format!("ต้องตรวจไฟล์ “{name}” หาข้อมูลส่วนบุคคลอีกครั้ง (การอ่านตารางหรือโปรแกรมเปลี่ยนไป)"),
            format!("{name} must be checked for personal data again (its table layout or the app changed)."),
        ),
        ScanState::Failed { error } => Bilingual::new(
            format!("ตรวจไฟล์ “{name}” หาข้อมูลส่วนบุคคลไม่สำเร็จ: {}", error.message.th),
            format!("{name} could not be checked for personal data: {}", error.message.en),
        ),
        ScanState::Missing | ScanState::NotScannable | ScanState::Done => Bilingual::new(
            format!("ยังไม่ได้ตรวจไฟล์ “{name}” หาข้อมูลส่วนบุคคล"),
            format!("{name} has not been checked for personal data yet."),
        ),
    }
}

fn text<'a>(record: &'a DraftRecord, key: &str) -> Option<&'a str> {
    record
        .metadata
        .get(key)
        .and_then(Value::as_str)
        .filter(|v| !v.trim().is_empty())
}

/// Decides visibility, consent and file access from the classification and the files' evidence: a
/// personal-data hint not dismissed, or a file not checked, keeps the draft from being public.
pub fn decide(schema: &Schema, record: &DraftRecord, evidence: &GateEvidence) -> AccessDecision {
    let category = text(record, keys::DATA_CATEGORY);
    let level = text(record, keys::DATA_CLASSIFICATION);
    let rules = schema.classification();
    let mut reasons = Vec::new();
    match category.map(|c| (c, schema.classification_rule(c))) {
        None => reasons.push(Bilingual::new(
            "ยังไม่ได้เลือกหมวดหมู่ข้อมูล",
            "No data category has been chosen.",
        )),
        Some((category, None)) => reasons.push(Bilingual::new(
            format!("ไม่รู้จักหมวดหมู่ข้อมูล “{category}”"),
            format!("The data category “{category}” is not known."),
        )),
        Some((category, Some(rule))) => {
            if rule.access != Access::Public {
                reasons.push(Bilingual::new(
                    format!("ข้อมูลหมวด “{category}” เผยแพร่เป็นสาธารณะไม่ได้"),
                    format!("Data in the category “{category}” may not be public."),
                ));
            }
            match level {
                None => reasons.push(Bilingual::new(
                    "ยังไม่ได้เลือกระดับชั้นข้อมูล",
                    "No classification level has been chosen.",
                )),
                Some(level) if !rule.levels.iter().any(|l| l == level) => {
                    reasons.push(level_not_allowed(category, level))
                }
                Some(level) if !rules.public_levels.iter().any(|l| l == level) => reasons.push(Bilingual::new(
                    format!("ระดับชั้น “{level}” สูงกว่าระดับที่เปิดเผยได้"),
                    format!("The level “{level}” is above what may be disclosed."),
                )),
                Some(_) => {}
            }
        }
    }
    let personal = evidence.personal_not_dismissed;
    if personal > 0 {
        let files = evidence
            .personal_files
            .iter()
            .map(|name| format!("“{name}”"))
            .collect::<Vec<_>>()
            .join(", ");
        reasons.push(Bilingual::new(
            format!("ไฟล์ {files} มีข้อมูลส่วนบุคคล {personal} รายการที่ยังไม่ได้ปัดตกพร้อมเหตุผล"),
            format!("Personal data in {files} ({personal} hints not dismissed with a reason)."),
        ));
    }
    reasons.extend(evidence.unchecked_files.iter().map(unchecked_reason));
    let public_allowed = reasons.is_empty();
    let private = !public_allowed || text(record, keys::PRIVATE) == Some(TRUE);
    AccessDecision {
        public_allowed,
        private,
        allow_harvest: !private || text(record, keys::ALLOW_HARVEST) == Some(TRUE),
        files: if private {
            FilePolicy::PrivateOrWithheld
        } else {
            FilePolicy::AsMarked
        },
        reasons,
    }
}

fn level_not_allowed(category: &str, level: &str) -> Bilingual {
    Bilingual::new(
        format!("ระดับชั้น “{level}” ใช้กับข้อมูลหมวด “{category}” ไม่ได้"),
        format!("The level “{level}” cannot be used for data in the category “{category}”."),
    )
}

/// Problems the form shows: a level the category does not allow, and a draft marked public that the
/// gate keeps private.
pub fn problems(schema: &Schema, record: &DraftRecord, evidence: &GateEvidence) -> Vec<Problem> {
    let mut found = Vec::new();
    if let (Some(category), Some(level)) = (
        text(record, keys::DATA_CATEGORY),
        text(record, keys::DATA_CLASSIFICATION),
    ) {
        if schema
            .allowed_classifications(category)
            .is_some_and(|levels| !levels.iter().any(|l| l == level))
        {
            found.push(Problem {
                field: keys::DATA_CLASSIFICATION.to_owned(),
                resource: None,
                code: ProblemCode::ClassificationNotAllowed,
                message: level_not_allowed(category, level),
                severity: Severity::Error,
            });
        }
    }
    let decision = decide(schema, record, evidence);
    if text(record, keys::PRIVATE) == Some(FALSE) && !decision.public_allowed {
        let why = |pick: fn(&Bilingual) -> &String| {
            decision
                .reasons
                .iter()
                .map(pick)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ")
        };
        found.push(Problem {
            field: keys::PRIVATE.to_owned(),
            resource: None,
            code: ProblemCode::MustBePrivate,
            message: Bilingual::new(
                format!("ชุดข้อมูลนี้ต้องเผยแพร่แบบส่วนตัว: {}", why(|b| &b.th)),
                format!("This dataset must be published as private: {}", why(|b| &b.en)),
            ),
            severity: Severity::Error,
        });
    }
    found
}

/// The follow-up changes the ADC's form makes when `changed` is set (domain.md §4): choosing a category
/// fills or clears the access condition, picks the only level it allows and makes non-public data
/// private; making a dataset public gives GD Catalog consent, making it private withdraws it.
pub fn consequences(schema: &Schema, record: &DraftRecord, changed: &str) -> Vec<(&'static str, Value)> {
    let mut changes = Vec::new();
    if changed == keys::DATA_CATEGORY {
        let Some(rule) = text(record, keys::DATA_CATEGORY).and_then(|c| schema.classification_rule(c)) else {
            return changes;
        };
        let condition = text(record, keys::ACCESSIBLE_CONDITION);
        let auto_condition = |c: &str| {
            schema
                .classification()
                .rules
                .iter()
                .any(|r| r.accessible_condition.as_deref() == Some(c))
        };
        match (&rule.accessible_condition, condition) {
            (Some(fill), None) => changes.push((keys::ACCESSIBLE_CONDITION, json!(fill))),
            (None, Some(current)) if auto_condition(current) => changes.push((keys::ACCESSIBLE_CONDITION, Value::Null)),
            _ => {}
        }
        let level = text(record, keys::DATA_CLASSIFICATION);
        if !level.is_some_and(|l| rule.levels.iter().any(|allowed| allowed == l)) {
            let only = (rule.levels.len() == 1).then(|| json!(rule.levels[0]));
            changes.push((keys::DATA_CLASSIFICATION, only.unwrap_or(Value::Null)));
        }
        if rule.access != Access::Public && text(record, keys::PRIVATE) != Some(TRUE) {
            changes.push((keys::PRIVATE, json!(TRUE)));
            changes.push((keys::ALLOW_HARVEST, json!(FALSE)));
        }
    } else if changed == keys::PRIVATE {
        let consent = if text(record, keys::PRIVATE) == Some(FALSE) {
            TRUE
        } else {
            FALSE
        };
        changes.push((keys::ALLOW_HARVEST, json!(consent)));
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(category: Option<&str>, level: Option<&str>, private: Option<&str>) -> DraftRecord {
        let mut record = DraftRecord::default();
        for (key, value) in [
            (keys::DATA_CATEGORY, category),
            (keys::DATA_CLASSIFICATION, level),
            (keys::PRIVATE, private),
        ] {
            if let Some(value) = value {
                record.metadata.insert(key.to_owned(), json!(value));
            }
        }
        record
    }

    const CATEGORIES: [&str; 5] = [
        "ข้อมูลสาธารณะ",
        "ข้อมูลใช้ภายใน",
        "ข้อมูลส่วนบุคคล",
        "ข้อมูลความมั่นคง",
        "ข้อมูลความลับทางราชการ",
    ];
    const LEVELS: [&str; 5] = ["เปิดเผย", "ชั้นเผยแพร่ภายในองค์กร", "ลับ", "ลับมาก", "ลับที่สุด"];

    /// Every category × level: only public data at the open level may be public; everything else goes
    /// up private with private-or-withheld files, whatever the draft asks.
    #[test]
    fn every_category_and_level_combination() {
        let schema = Schema::built_in();
        for category in CATEGORIES {
            for level in LEVELS {
                for asked in [FALSE, TRUE] {
                    let decision = decide(schema, &record(Some(category), Some(level), Some(asked)), &none());
                    let may_be_public = category == "ข้อมูลสาธารณะ" && level == "เปิดเผย";
                    assert_eq!(decision.public_allowed, may_be_public, "{category} × {level}");
                    let expect_private = !may_be_public || asked == TRUE;
                    assert_eq!(
                        decision.private, expect_private,
                        "{category} × {level}, asked private={asked}"
                    );
                    if decision.private {
                        assert_eq!(decision.files, FilePolicy::PrivateOrWithheld, "{category} × {level}");
                    } else {
                        assert!(
                            decision.allow_harvest,
                            "a public dataset always consents to the GD Catalog"
                        );
                    }
                    let flagged = problems(schema, &record(Some(category), Some(level), Some(asked)), &none())
                        .iter()
                        .any(|p| p.code == ProblemCode::MustBePrivate);
                    assert_eq!(
                        flagged,
                        asked == FALSE && !may_be_public,
                        "{category} × {level}, asked {asked}"
                    );
                }
            }
        }
    }

    #[test]
    fn levels_a_category_does_not_allow_are_problems() {
        let schema = Schema::built_in();
        let allowed = [
            ("ข้อมูลสาธารณะ", &["เปิดเผย"][..]),
            ("ข้อมูลใช้ภายใน", &["ชั้นเผยแพร่ภายในองค์กร"][..]),
            ("ข้อมูลส่วนบุคคล", &["ชั้นเผยแพร่ภายในองค์กร", "ลับ", "ลับมาก"][..]),
            ("ข้อมูลความมั่นคง", &["ลับ", "ลับมาก", "ลับที่สุด"][..]),
            ("ข้อมูลความลับทางราชการ", &["ลับ", "ลับมาก", "ลับที่สุด"][..]),
        ];
        for (category, levels) in allowed {
            for level in LEVELS {
                let flagged = problems(schema, &record(Some(category), Some(level), None), &none())
                    .iter()
                    .any(|p| p.code == ProblemCode::ClassificationNotAllowed && p.field == keys::DATA_CLASSIFICATION);
                assert_eq!(flagged, !levels.contains(&level), "{category} × {level}");
            }
            let rule = schema.classification_rule(category).unwrap();
            assert!(
                !rule.law.is_empty() && !rule.explain.th.is_empty(),
                "{category} says which law applies"
            );
        }
    }

    fn none() -> GateEvidence {
        GateEvidence::default()
    }

    #[test]
    fn unresolved_personal_data_hints_keep_public_data_private() {
        let schema = Schema::built_in();
        let open = record(Some("ข้อมูลสาธารณะ"), Some("เปิดเผย"), Some(FALSE));
        assert!(!decide(schema, &open, &none()).private);
        let two = GateEvidence {
            personal_not_dismissed: 2,
            personal_files: vec!["people.csv".into()],
            ..none()
        };
        let decision = decide(schema, &open, &two);
        assert!(decision.private && !decision.public_allowed);
        assert!(decision.reasons[0].th.contains("ข้อมูลส่วนบุคคล 2 รายการ"));
        assert!(decision.reasons[0].en.contains("“people.csv”"), "the file is named");
        assert!(problems(schema, &open, &two)
            .iter()
            .any(|p| p.code == ProblemCode::MustBePrivate));
    }

    #[test]
    fn every_unchecked_file_keeps_public_data_private_and_is_named() {
        let schema = Schema::built_in();
        let open = record(Some("ข้อมูลสาธารณะ"), Some("เปิดเผย"), Some(FALSE));
        let file = |name: &str, state: ScanState| FileScan {
            resource_id: format!("id-{name}"),
            name: name.into(),
            state,
        };
        let error = catalog_error::UserMessage::new("preview.corrupt", "ไฟล์เสียหาย", "The file is damaged.");
        let evidence = GateEvidence {
            personal_not_dismissed: 0,
            personal_files: Vec::new(),
            unchecked_files: vec![
                file("people.csv", ScanState::Missing),
                file("old.xlsx", ScanState::Stale),
                file("big.csv", ScanState::Running),
                file("broken.xlsx", ScanState::Failed { error }),
            ],
        };
        let decision = decide(schema, &open, &evidence);
        assert!(decision.private && !decision.public_allowed);
        let reasons: Vec<(&str, &str)> = decision
            .reasons
            .iter()
            .map(|r| (r.th.as_str(), r.en.as_str()))
            .collect();
        assert_eq!(
            reasons,
            [
                (
                    "ยังไม่ได้ตรวจไฟล์ “people.csv” หาข้อมูลส่วนบุคคล",
                    "people.csv has not been checked for personal data yet."
                ),
                (
                    "ต้องตรวจไฟล์ “old.xlsx” หาข้อมูลส่วนบุคคลอีกครั้ง (การอ่านตารางหรือโปรแกรมเปลี่ยนไป)",
                    "old.xlsx must be checked for personal data again (its table layout or the app changed)."
                ),
                (
                    "กำลังตรวจไฟล์ “big.csv” หาข้อมูลส่วนบุคคล",
                    "big.csv is being checked for personal data."
                ),
                (
                    "ตรวจไฟล์ “broken.xlsx” หาข้อมูลส่วนบุคคลไม่สำเร็จ: ไฟล์เสียหาย",
                    "broken.xlsx could not be checked for personal data: The file is damaged."
                ),
            ]
        );
        let must_be_private = problems(schema, &open, &evidence)
            .into_iter()
            .find(|p| p.code == ProblemCode::MustBePrivate)
            .expect("the form says why");
        assert!(must_be_private.message.en.contains("people.csv has not been checked"));
    }

    #[test]
    fn an_unclassified_draft_is_private() {
        let decision = decide(Schema::built_in(), &record(None, None, Some(FALSE)), &none());
        assert!(decision.private && !decision.public_allowed);
    }

    #[test]
    fn choosing_a_category_applies_the_adc_forms_consequences() {
        let schema = Schema::built_in();
        let public = consequences(schema, &record(Some("ข้อมูลสาธารณะ"), None, None), keys::DATA_CATEGORY);
        assert!(public.contains(&(keys::ACCESSIBLE_CONDITION, json!("ไม่มีการจำกัดการเข้าถึงข้อมูล"))));
        assert!(public.contains(&(keys::DATA_CLASSIFICATION, json!("เปิดเผย"))));

        let mut personal = record(Some("ข้อมูลส่วนบุคคล"), Some("เปิดเผย"), Some(FALSE));
        personal
            .metadata
            .insert(keys::ACCESSIBLE_CONDITION.into(), json!("ไม่มีการจำกัดการเข้าถึงข้อมูล"));
        let changes = consequences(schema, &personal, keys::DATA_CATEGORY);
        assert!(
            changes.contains(&(keys::ACCESSIBLE_CONDITION, Value::Null)),
            "the automatic text is cleared"
        );
        assert!(
            changes.contains(&(keys::DATA_CLASSIFICATION, Value::Null)),
            "three levels allowed: the person picks"
        );
        assert!(changes.contains(&(keys::PRIVATE, json!(TRUE))));

        let made_public = consequences(schema, &record(None, None, Some(FALSE)), keys::PRIVATE);
        assert_eq!(made_public, vec![(keys::ALLOW_HARVEST, json!(TRUE))]);
    }
}
