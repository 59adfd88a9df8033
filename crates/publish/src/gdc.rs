//! A published dataset's state at the national GD Catalog, read from the harvester's status API (thai_gdc's
//! own `gdcatalog_*_state` calls; the base URL is configurable, the test server emulates it) and explained
//! in Thai and English as the ADC's dataset page does, with the warnings that go with it: do not edit
//! during validation or approval, do not rename a registered dataset. The same warnings are decided here
//! for the metadata form ([`form_warnings`]): a banner over the form, or a note at one schema field.

use catalog_adc::{AdcClient, GdcRecord};
use catalog_error::Bilingual;
use catalog_schema::keys;
use serde::{Deserialize, Serialize};

use crate::error::PublishError;

/// Where GD Catalog lives (thai_gdc's defaults; all overridable per ADC profile).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GdcConfig {
    /// The harvester whose action API answers the status calls.
    pub harvester_url: String,
    /// The public portal: a registered dataset is at `{portal}/dataset/gdpublish-{name}`.
    pub portal_url: String,
    /// The registration officers' site, where the person follows up.
    pub registration_url: String,
}

impl Default for GdcConfig {
    fn default() -> Self {
        Self {
            harvester_url: "https://harvester.gdcatalog.go.th".to_owned(),
            portal_url: "https://gdcatalog.go.th".to_owned(),
            registration_url: "https://register.gdcatalog.go.th".to_owned(),
        }
    }
}

/// The state, as the UI switches on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum GdcState {
    /// The harvester does not know the dataset (not harvested yet, or no consent).
    NotHarvested,
    /// `WAIT`: harvested, ready to register.
    Wait,
    /// `VALIDATE`, `VALIDATE_MODIFIED` (`WAIT_VALIDATE` before a validation time) or `APPROVAL`.
    UnderApproval,
    /// `REJECT`: failed the criteria.
    Rejected,
    /// `WAIT_REVOKE`, `REVOKE`.
    Revoking,
    /// `DELETED`: revoked.
    Revoked,
    /// Published at GD Catalog (registered).
    Registered,
    /// A state this app does not know; `code` holds it.
    Other,
}

impl GdcState {
    /// Registered, rejected or revoked: it changes only after someone acts (a registration officer, or
    /// the person publishing a corrected dataset).
    pub fn is_settled(self) -> bool {
        matches!(self, Self::Registered | Self::Rejected | Self::Revoked)
    }
}

/// A warning the metadata form shows because of the GD Catalog state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct FormWarning {
    /// The schema key of the field it is shown at; `None`: a banner over the whole form.
    pub field: Option<String>,
    pub message: Bilingual,
}

/// The form's warnings for a dataset in `state`: under approval (VALIDATE, APPROVAL), a banner asking
/// not to edit; registered, a warning at the title and at the URL name not to rename it.
pub fn form_warnings(state: GdcState) -> Vec<FormWarning> {
    match state {
        GdcState::UnderApproval => vec![FormWarning {
            field: None,
            message: Bilingual::new(
                "ชุดข้อมูลนี้อยู่ระหว่างกระบวนการอนุมัติที่ GD Catalog ควรหลีกเลี่ยงการแก้ไขจนกว่าการอนุมัติจะเสร็จสิ้น",
                "This dataset is under approval at GD Catalog: avoid editing it until the approval is finished.",
            ),
        }],
        GdcState::Registered => vec![
            FormWarning {
                field: Some(keys::TITLE.to_owned()),
                message: Bilingual::new(
                    "ชุดข้อมูลนี้ลงทะเบียนที่ GD Catalog แล้ว ไม่ควรเปลี่ยนชื่อชุดข้อมูล",
                    "This dataset is registered at GD Catalog: do not rename it.",
                ),
            },
            FormWarning {
                field: Some(keys::NAME.to_owned()),
                message: Bilingual::new(
                    "ชุดข้อมูลนี้ลงทะเบียนที่ GD Catalog แล้ว ห้ามเปลี่ยนชื่อ URL ของชุดข้อมูล (GD Catalog อ้างถึงชื่อนี้)",
                    "This dataset is registered at GD Catalog: do not change its URL name (GD Catalog refers to it).",
                ),
            },
        ],
        _ => Vec::new(),
    }
}

/// What the UI shows for one dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct GdcStatus {
    pub state: GdcState,
    /// The harvester's `governance_state` as received (`WAIT_VALIDATE` when validation has no time yet).
    pub code: Option<String>,
    pub label: Bilingual,
    /// Shown next to the state (avoid editing, avoid renaming).
    pub warning: Option<Bilingual>,
    /// The dataset's page at GD Catalog, once registered.
    pub gdc_url: Option<String>,
    pub registration_url: String,
    /// What the metadata form warns about in this state ([`form_warnings`]).
    #[serde(default)]
    pub form_warnings: Vec<FormWarning>,
}

/// Asks the harvester about the ADC dataset `package_id` (the ADC is `adc`) and explains the answer.
pub async fn gdc_status(config: &GdcConfig, adc: &AdcClient, package_id: &str) -> Result<GdcStatus, PublishError> {
    let harvester = AdcClient::new(&config.harvester_url, None)?;
    let record = harvester.gdc_state(&adc.gdc_site_key(), package_id).await?;
    let adc_modified = match &record {
        Some(_) => adc
            .package_show(package_id)
            .await?
            .get("metadata_modified")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned),
        None => None,
    };
    Ok(describe(config, record.as_ref(), adc_modified.as_deref()))
}

/// The state, label and warning for a harvester answer. `adc_modified` is the ADC copy's
/// `metadata_modified`: a rejected dataset edited since GD Catalog saw it shows "(updated)".
pub fn describe(config: &GdcConfig, record: Option<&GdcRecord>, adc_modified: Option<&str>) -> GdcStatus {
    let avoid_editing = Bilingual::new(
        "อยู่ระหว่างกระบวนการอนุมัติ ควรหลีกเลี่ยงการแก้ไขชุดข้อมูลนี้",
        "Under approval: avoid editing this dataset.",
    );
    let Some(record) = record else {
        return GdcStatus {
            state: GdcState::NotHarvested,
            code: None,
            label: Bilingual::new(
                "ยังไม่อยู่ใน GD Catalog (ยังไม่ถูกรวบรวม หรือไม่ได้ยินยอมให้นำไปใช้)",
                "Not at GD Catalog yet (not harvested yet, or no consent given).",
            ),
            warning: None,
            gdc_url: None,
            registration_url: config.registration_url.clone(),
            form_warnings: form_warnings(GdcState::NotHarvested),
        };
    };
    let raw = record.governance_state.as_str();
    let mut code = raw.to_owned();
    let (state, label, warning) = match raw {
        _ if record.published => (
            GdcState::Registered,
            Bilingual::new(
                format!("ลงทะเบียนแล้ว ({})", date_part(&record.metadata_modified)),
                format!("Registered ({})", date_part(&record.metadata_modified)),
            ),
            Some(Bilingual::new(
                "ชุดข้อมูลนี้ลงทะเบียนที่ GD Catalog แล้ว ห้ามเปลี่ยนชื่อ (URL) ของชุดข้อมูล",
                "This dataset is registered at GD Catalog: do not rename it (its URL name).",
            )),
        ),
        "WAIT" => (
            GdcState::Wait,
            Bilingual::new("พร้อมลงทะเบียน", "Ready to register"),
            None,
        ),
        "VALIDATE" | "VALIDATE_MODIFIED" | "APPROVAL" => {
            if raw != "APPROVAL" && record.validate_time.as_deref().unwrap_or_default().is_empty() {
                code = format!("WAIT_{raw}");
            }
            (
                GdcState::UnderApproval,
                Bilingual::new("อยู่ระหว่างกระบวนการอนุมัติ", "Under approval"),
                Some(avoid_editing),
            )
        }
        "REJECT" => {
            let updated = adc_modified.is_some_and(|m| m > record.metadata_modified.as_str());
            let (th, en) = if updated {
                ("ไม่ผ่านเกณฑ์ (ปรับปรุงแล้ว)", "Failed the criteria (updated since)")
            } else {
                ("ไม่ผ่านเกณฑ์", "Failed the criteria")
            };
            (GdcState::Rejected, Bilingual::new(th, en), None)
        }
        "WAIT_REVOKE" | "REVOKE" => (
            GdcState::Revoking,
            Bilingual::new("อยู่ระหว่างกระบวนการเพิกถอน", "Revocation in progress"),
            None,
        ),
        "DELETED" => (GdcState::Revoked, Bilingual::new("เพิกถอนแล้ว", "Revoked"), None),
        other => (
            GdcState::Other,
            Bilingual::new(format!("สถานะ {other}"), format!("State {other}")),
            None,
        ),
    };
    let gdc_url = (state == GdcState::Registered && !record.name.is_empty()).then(|| {
        format!(
            "{}/dataset/gdpublish-{}",
            config.portal_url.trim_end_matches('/'),
            record.name
        )
    });
    GdcStatus {
        state,
        code: Some(code),
        label,
        warning,
        gdc_url,
        registration_url: config.registration_url.clone(),
        form_warnings: form_warnings(state),
    }
}

/// `2024-06-14` from `2024-06-14T10:00:00.123456`.
fn date_part(timestamp: &str) -> &str {
    timestamp.split('T').next().unwrap_or(timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(state: &str, published: bool, validate_time: Option<&str>) -> GdcRecord {
        GdcRecord {
            name: "pop-2567".into(),
            metadata_modified: "2024-06-14T10:00:00".into(),
            governance_state: state.into(),
            validate_time: validate_time.map(str::to_owned),
            published,
        }
    }

    #[test]
    fn every_state_has_its_thai_label_and_warning() {
        let config = GdcConfig::default();
        let show = |r: Option<&GdcRecord>, m: Option<&str>| describe(&config, r, m);
        assert_eq!(show(None, None).state, GdcState::NotHarvested);
        assert_eq!(show(Some(&record("WAIT", false, None)), None).label.th, "พร้อมลงทะเบียน");
        let validating = show(Some(&record("VALIDATE", false, None)), None);
        assert_eq!(validating.code.as_deref(), Some("WAIT_VALIDATE"));
        assert!(validating.warning.unwrap().th.contains("ควรหลีกเลี่ยงการแก้ไข"));
        assert_eq!(
            show(Some(&record("VALIDATE", false, Some("2024-06-15"))), None)
                .code
                .as_deref(),
            Some("VALIDATE")
        );
        assert_eq!(
            show(Some(&record("APPROVAL", false, None)), None).state,
            GdcState::UnderApproval
        );
        assert_eq!(
            show(Some(&record("REJECT", false, None)), Some("2024-06-01T00:00:00"))
                .label
                .th,
            "ไม่ผ่านเกณฑ์"
        );
        assert_eq!(
            show(Some(&record("REJECT", false, None)), Some("2024-07-01T00:00:00"))
                .label
                .th,
            "ไม่ผ่านเกณฑ์ (ปรับปรุงแล้ว)"
        );
        assert_eq!(
            show(Some(&record("REVOKE", false, None)), None).state,
            GdcState::Revoking
        );
        assert_eq!(show(Some(&record("DELETED", false, None)), None).label.th, "เพิกถอนแล้ว");
        let registered = show(Some(&record("PUBLISHED", true, None)), None);
        assert_eq!(registered.label.th, "ลงทะเบียนแล้ว (2024-06-14)");
        assert_eq!(
            registered.gdc_url.as_deref(),
            Some("https://gdcatalog.go.th/dataset/gdpublish-pop-2567")
        );
        assert!(registered.warning.unwrap().th.contains("ห้ามเปลี่ยนชื่อ"));
        assert_eq!(
            show(Some(&record("NEW_STATE", false, None)), None).state,
            GdcState::Other
        );
    }

    #[test]
    fn the_form_warns_during_approval_and_at_the_names_once_registered() {
        let config = GdcConfig::default();
        for state in ["VALIDATE", "VALIDATE_MODIFIED", "APPROVAL"] {
            let warnings = describe(&config, Some(&record(state, false, None)), None).form_warnings;
            assert_eq!(warnings.len(), 1, "{state}");
            assert_eq!(warnings[0].field, None, "{state}: a banner over the form");
            assert!(warnings[0].message.th.contains("ควรหลีกเลี่ยงการแก้ไข"));
            assert!(warnings[0].message.en.contains("avoid editing"));
        }
        let registered = describe(&config, Some(&record("PUBLISHED", true, None)), None).form_warnings;
        let fields: Vec<Option<&str>> = registered.iter().map(|w| w.field.as_deref()).collect();
        assert_eq!(fields, [Some(keys::TITLE), Some(keys::NAME)]);
        assert!(registered
            .iter()
            .all(|w| w.message.th.contains("ลงทะเบียนที่ GD Catalog แล้ว")));
        for state in ["WAIT", "REJECT", "WAIT_REVOKE", "DELETED", "NEW_STATE"] {
            assert!(
                describe(&config, Some(&record(state, false, None)), None)
                    .form_warnings
                    .is_empty(),
                "{state}"
            );
        }
        assert!(describe(&config, None, None).form_warnings.is_empty());
    }
}
