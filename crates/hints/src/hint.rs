//! What a hint is: its kind, whether it is personal data, the column(s) it is about, how many cells
//! matched, masked examples, what it suggests for the dataset's classification, what to do in Thai
//! and English, and a stable id under which the app records the person's accept/dismiss decision.

use catalog_error::Bilingual;
use serde::{Deserialize, Serialize};

/// What was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum HintKind {
    /// 13-digit Thai citizen IDs with a valid check digit, first digit 1–8.
    ThaiCitizenId,
    /// 13-digit juristic-person IDs (leading 0): noted as not personal data.
    JuristicPersonId,
    PhoneNumber,
    EmailAddress,
    /// Names with a title (นาย, นาง, นางสาว, ด.ช., ร.ต.อ., Mr, …), or a column of titles alone.
    PersonalName,
    /// House addresses of persons. Rows about a juristic person only (a juristic ID or a company name in
    /// the row, and no citizen ID or titled name) are left out: a company's head office is not
    /// personal data. `matched` counts the other rows' addresses.
    HouseAddress,
    BankAccount,
    /// Latitude/longitude inside Thailand.
    Coordinates,
    /// Mostly numeric columns broken down by year or by a category.
    StatisticalTable,
}

impl HintKind {
    /// The kind's stable name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            HintKind::ThaiCitizenId => "thai_citizen_id",
            HintKind::JuristicPersonId => "juristic_person_id",
            HintKind::PhoneNumber => "phone_number",
            HintKind::EmailAddress => "email_address",
            HintKind::PersonalName => "personal_name",
            HintKind::HouseAddress => "house_address",
            HintKind::BankAccount => "bank_account",
            HintKind::Coordinates => "coordinates",
            HintKind::StatisticalTable => "statistical_table",
        }
    }

    /// Whether a column of this kind is personal data (พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล 2562).
    pub fn is_personal_data(self) -> bool {
        matches!(
            self,
            HintKind::ThaiCitizenId
                | HintKind::PhoneNumber
                | HintKind::EmailAddress
                | HintKind::PersonalName
                | HintKind::HouseAddress
                | HintKind::BankAccount
        )
    }

    /// What the hint suggests for the dataset's classification or data type.
    pub fn suggestion(self) -> Option<Suggestion> {
        match self {
            _ if self.is_personal_data() => Some(Suggestion::PersonalDataCategory),
            HintKind::Coordinates => Some(Suggestion::GeospatialDataType),
            HintKind::StatisticalTable => Some(Suggestion::StatisticalDataType),
            _ => None,
        }
    }

    /// What the person should do about it.
    pub fn advice(self) -> Bilingual {
        let what =
            match self {
                HintKind::ThaiCitizenId => ("เลขประจำตัวประชาชน", "Thai citizen ID numbers"),
                HintKind::PhoneNumber => ("หมายเลขโทรศัพท์", "phone numbers"),
                HintKind::EmailAddress => ("ที่อยู่อีเมล", "e-mail addresses"),
                HintKind::PersonalName => ("ชื่อบุคคลที่มีคำนำหน้า", "names of persons with titles"),
                HintKind::HouseAddress => ("ที่อยู่บ้านของบุคคล", "house addresses of persons"),
                HintKind::BankAccount => ("เลขที่บัญชีธนาคาร", "bank account numbers"),
                HintKind::JuristicPersonId => return Bilingual::new(
                    "เลขทะเบียนนิติบุคคล (ขึ้นต้นด้วย 0) ไม่ใช่ข้อมูลส่วนบุคคล ไม่ต้องจัดเป็นข้อมูลส่วนบุคคลเพราะคอลัมน์นี้ \
                     แต่ตรวจสอบคอลัมน์อื่นที่อาจระบุตัวบุคคลได้",
                    "Juristic-person registration numbers (leading 0) are not personal data; this column alone does \
                     not make the dataset personal. Still check other columns that could identify a person.",
                ),
                HintKind::Coordinates => return Bilingual::new(
                    "พบคอลัมน์พิกัดละติจูด/ลองจิจูดในประเทศไทย: พิจารณาเลือกประเภทชุดข้อมูลภูมิสารสนเทศเชิงพื้นที่ \
                     และกรอกกรอบพิกัดของข้อมูล หากพิกัดเป็นที่อยู่อาศัยของบุคคล ให้ถือเป็นข้อมูลส่วนบุคคล",
                    "Latitude/longitude columns inside Thailand: consider the geospatial data type and fill in the \
                     bounding coordinates. If the points are where persons live, treat them as personal data.",
                ),
                HintKind::StatisticalTable => return Bilingual::new(
                    "ตารางส่วนใหญ่เป็นตัวเลขจำแนกตามปีหรือตามกลุ่ม: พิจารณาเลือกประเภทชุดข้อมูลสถิติ \
                     และกรอกปีข้อมูล หน่วยวัด และการจัดจำแนก",
                    "Mostly numeric columns broken down by year or category: consider the statistical data type and \
                     fill in the data years, unit of measure and breakdown.",
                ),
            };
        Bilingual::new(
            format!(
                "ข้อมูลส่วนบุคคล ({}): พิจารณาหมวดหมู่ข้อมูลส่วนบุคคล ลบคอลัมน์หรือทำให้เป็นข้อมูลนิรนามก่อนเผยแพร่ \
                 (พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล 2562 ม.24–27)",
                what.0
            ),
            format!(
                "Personal data ({}): consider the personal-data category; remove the column or anonymise it before \
                 publishing (Personal Data Protection Act B.E. 2562, s.24–27).",
                what.1
            ),
        )
    }
}

/// What a hint suggests; the app maps each to the schema's own choice (the hints crate names no
/// schema field or choice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "HintSuggestion")]
pub enum Suggestion {
    /// Consider the personal-data category (and a level above public).
    PersonalDataCategory,
    /// Consider the geospatial data type.
    GeospatialDataType,
    /// Consider the statistical data type.
    StatisticalDataType,
}

/// A column of the table: 0-based index in the layout and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ColumnRef {
    pub index: usize,
    pub name: String,
}

/// One finding about a resource file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Hint {
    /// `kind:column_index` (`thai_citizen_id:3`): stable for a file and layout, the key under which the
    /// app keeps the person's accept/dismiss decision.
    pub id: String,
    pub kind: HintKind,
    pub personal_data: bool,
    pub suggestion: Option<Suggestion>,
    /// The column the hint is about (for coordinates the latitude column, for a statistical table its
    /// first year or category column).
    pub column: ColumnRef,
    /// Other columns involved: the longitude column, the numeric columns of a statistical table.
    pub related_columns: Vec<ColumnRef>,
    /// Cells that matched, out of the non-empty cells of the column(s).
    pub matched: u64,
    pub non_empty: u64,
    /// Up to three distinct masked examples.
    pub examples: Vec<String>,
    pub advice: Bilingual,
}

impl Hint {
    pub(crate) fn new(kind: HintKind, column: ColumnRef, matched: u64, non_empty: u64, examples: Vec<String>) -> Hint {
        Hint {
            id: format!("{}:{}", kind.as_str(), column.index),
            kind,
            personal_data: kind.is_personal_data(),
            suggestion: kind.suggestion(),
            column,
            related_columns: Vec::new(),
            matched,
            non_empty,
            examples,
            advice: kind.advice(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_serialized_kinds_agree() {
        let hint = Hint::new(
            HintKind::ThaiCitizenId,
            ColumnRef {
                index: 3,
                name: "เลขบัตร".into(),
            },
            9,
            10,
            vec![],
        );
        assert_eq!(hint.id, "thai_citizen_id:3");
        let json = serde_json::to_value(&hint).unwrap();
        assert_eq!(json["kind"], "thai_citizen_id");
        assert_eq!(json["suggestion"], "personal_data_category");
        assert_eq!(json["personal_data"], true);
        assert!(json["advice"]["th"].as_str().unwrap().contains("ม.24–27"));
        for kind in [
            HintKind::JuristicPersonId,
            HintKind::Coordinates,
            HintKind::StatisticalTable,
        ] {
            assert!(!kind.is_personal_data());
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }
}
