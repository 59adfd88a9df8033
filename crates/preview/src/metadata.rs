//! Resource metadata suggested from what preview and profile found: CKAN format, encoding, years the
//! data covers (Buddhist-era years converted; both eras given), created and last-modified dates, and a
//! title hint from the title rows.

use serde::Serialize;

use crate::classify::BUDDHIST_ERA_OFFSET;
use crate::layout::TableLayout;
use crate::profile::Profile;
use crate::source::SourceInfo;

/// Where the covered years were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum YearEvidence {
    /// Dates or year numbers inside the data.
    DataColumns,
    /// Column names that are years (wide tables such as one column per year).
    ColumnNames,
    /// A Buddhist-era year in the title rows or the sheet name (e.g. "ประจำปี 2540").
    TitleOrSheetName,
}

/// Suggestions for the resource form; every field may be empty.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct MetadataSuggestion {
    /// CKAN format name, e.g. `CSV`, `XLSX`.
    pub format: String,
    pub encoding: Option<String>,
    /// First and last year covered, Gregorian (C.E.).
    pub first_year: Option<i32>,
    pub last_year: Option<i32>,
    /// The same years in Buddhist era, as Thai forms show them.
    pub first_year_be: Option<i32>,
    pub last_year_be: Option<i32>,
    pub year_evidence: Option<YearEvidence>,
    pub created: Option<String>,
    pub last_updated: Option<String>,
    pub title_hint: Option<String>,
    pub row_count: u64,
    pub column_count: usize,
}

/// A four-digit Buddhist-era year (2400–2700) standing alone in `text`.
fn buddhist_years_in(text: &str) -> impl Iterator<Item = i32> + '_ {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|t| t.len() == 4)
        .filter_map(|t| t.parse::<i32>().ok())
        .filter(|y| (2400..=2700).contains(y))
}

/// Suggests resource metadata from the opened file, its layout and its profile.
pub fn suggest_metadata(info: &SourceInfo, layout: &TableLayout, profile: &Profile) -> MetadataSuggestion {
    let from_columns = profile
        .columns
        .iter()
        .filter_map(|c| c.year_range)
        .fold(None, |acc: Option<(i32, i32)>, r| {
            Some(acc.map_or((r.first, r.last), |(a, b)| (a.min(r.first), b.max(r.last))))
        });
    let from_names = {
        let years: Vec<i32> = layout
            .column_names
            .iter()
            .filter_map(|n| n.trim().parse::<i32>().ok())
            .filter(|y| (2400..=2700).contains(y))
            .collect();
        (years.len() >= 2)
            .then(|| {
                (
                    years.iter().min().copied().unwrap_or(0),
                    years.iter().max().copied().unwrap_or(0),
                )
            })
            .map(|(a, b)| (a - BUDDHIST_ERA_OFFSET, b - BUDDHIST_ERA_OFFSET))
    };
    let from_title = {
        let text = format!(
            "{} {}",
            layout.title.as_deref().unwrap_or(""),
            layout.sheet.as_deref().unwrap_or("")
        );
        let years: Vec<i32> = buddhist_years_in(&text).collect();
        years
            .iter()
            .min()
            .zip(years.iter().max())
            .map(|(a, b)| (a - BUDDHIST_ERA_OFFSET, b - BUDDHIST_ERA_OFFSET))
    };
    let (years, year_evidence) = match (from_columns, from_names, from_title) {
        (Some(y), _, _) => (Some(y), Some(YearEvidence::DataColumns)),
        (None, Some(y), _) => (Some(y), Some(YearEvidence::ColumnNames)),
        (None, None, Some(y)) => (Some(y), Some(YearEvidence::TitleOrSheetName)),
        (None, None, None) => (None, None),
    };
    MetadataSuggestion {
        format: info.format.ckan_name().to_string(),
        encoding: info.encoding.as_ref().map(|e| e.encoding.clone()),
        first_year: years.map(|y| y.0),
        last_year: years.map(|y| y.1),
        first_year_be: years.map(|y| y.0 + BUDDHIST_ERA_OFFSET),
        last_year_be: years.map(|y| y.1 + BUDDHIST_ERA_OFFSET),
        year_evidence,
        created: info.created.clone(),
        last_updated: info.modified.clone(),
        title_hint: layout.title.clone(),
        row_count: profile.data_rows,
        column_count: layout.column_names.len(),
    }
}
