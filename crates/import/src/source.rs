//! Reading a workbook into source rows, before any field conversion: which template it is (the NSO one,
//! version detected from each sheet's column count, or Catalog Desk's own, recognised by its row of field
//! keys), one row per dataset with its cells keyed by schema field, its resource rows linked by column A,
//! and every structural problem (missing sheet, wrong column count, merged cells, formulas, orphan
//! resources) as a note on the sheet, row or cell it concerns.

use std::collections::HashMap;

use catalog_schema::{keys, Schema, Scope};
use serde::Serialize;

use crate::convert::{Level, Note, Origin};
use crate::layout::{self, IGNORED, JOIN};
use crate::template::sheet_name;
use crate::workbook::{column_letter, Cell, Sheet, Workbook};

/// At most this many data rows are read from one sheet; the rest is reported, not read.
pub const MAX_ROWS_PER_SHEET: u32 = 100_000;

/// Where a note points: a sheet, a 1-based row and a column letter when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Place {
    pub sheet: String,
    pub row: Option<u32>,
    pub column: Option<String>,
    pub field: Option<String>,
}

/// A note with its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Located {
    #[serde(flatten)]
    pub place: Place,
    #[serde(flatten)]
    pub note: Note,
}

/// One cell of a source row with the field it maps to.
#[derive(Debug, Clone)]
pub struct SourceCell {
    pub col: u32,
    pub key: String,
    pub cell: Cell,
}

#[derive(Debug, Clone)]
pub struct SourceResource {
    pub sheet: String,
    pub row: u32,
    pub cells: Vec<SourceCell>,
    pub notes: Vec<Located>,
}

#[derive(Debug, Clone)]
pub struct SourceRow {
    pub sheet: String,
    pub row: u32,
    pub data_type: Option<String>,
    /// Column A as typed: the NSO join key; the slug is derived from it.
    pub join: String,
    pub cells: Vec<SourceCell>,
    pub notes: Vec<Located>,
    pub resources: Vec<SourceResource>,
}

/// A whole workbook as source rows.
#[derive(Debug, Clone)]
pub struct Source {
    pub origin: Origin,
    /// The NSO template version detected (the first dataset sheet's).
    pub version: Option<String>,
    pub rows: Vec<SourceRow>,
    /// Resource rows that link to no dataset row.
    pub orphans: Vec<SourceResource>,
    pub notes: Vec<Located>,
}

impl Source {
    fn empty(origin: Origin) -> Self {
        Source {
            origin,
            version: None,
            rows: Vec::new(),
            orphans: Vec::new(),
            notes: Vec::new(),
        }
    }
}

fn at(sheet: &str, row: Option<u32>, col: Option<u32>, field: Option<&str>, note: Note) -> Located {
    Located {
        place: Place {
            sheet: sheet.to_owned(),
            row,
            column: col.map(column_letter),
            field: field.map(str::to_owned),
        },
        note,
    }
}

/// Notes on cells that hide something: part of a merged region, or a formula's saved result.
fn cell_notes(sheet: &Sheet, row: u32, col: u32, key: &str, notes: &mut Vec<Located>) {
    if let Some(region) = sheet.merged_into(row, col) {
        let top_left = format!("{}{}", column_letter(region.start.1), region.start.0 + 1);
        notes.push(at(&sheet.name, Some(row + 1), Some(col), Some(key), Note::new(
            Level::Warning,
            "merged_cell",
            format!("เซลล์นี้ถูกผสานกับ {top_left} จึงถือว่าว่าง โปรดยกเลิกการผสานเซลล์และกรอกค่าทุกแถว"),
            format!("This cell is merged into {top_left} and is read as empty; unmerge the cells and fill in every row."),
        )));
    }
    if sheet.is_formula(row, col) {
        notes.push(at(
            &sheet.name,
            Some(row + 1),
            Some(col),
            Some(key),
            Note::new(
                Level::Info,
                "formula",
                "เซลล์นี้เป็นสูตร ใช้ผลลัพธ์ที่ Excel บันทึกไว้ล่าสุด",
                "This cell is a formula; the result Excel last saved is used.",
            ),
        ));
    }
}

/// A header's text without parenthesised remarks and extra spaces, for comparing with field labels.
fn bare_label(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The ADC reads columns by position only; a header that is exactly another field's Thai label shows
/// that columns were moved, so each such column is reported, as is a column whose field the schema in
/// use (perhaps an ADC's live one) lacks.
fn header_notes(
    schema: &Schema,
    sheet: &Sheet,
    header: u32,
    columns: &[String],
    scope: Scope,
    notes: &mut Vec<Located>,
) {
    for (col, key) in columns.iter().enumerate() {
        if key == IGNORED || key == JOIN {
            continue;
        }
        if schema.field(scope, key).is_none() {
            notes.push(at(
                &sheet.name,
                None,
                Some(col as u32),
                Some(key),
                Note::new(
                    Level::Warning,
                    "field_not_in_schema",
                    format!("โครงสร้างคำอธิบายชุดข้อมูลของระบบบัญชีข้อมูลไม่มีช่อง \"{key}\" จึงไม่นำเข้าคอลัมน์นี้"),
                    format!("The catalog's metadata schema has no field \"{key}\", so this column is not imported."),
                ),
            ));
            continue;
        }
        let text = bare_label(&sheet.cell(header, col as u32).text());
        if text.is_empty() {
            continue;
        }
        let named: Vec<&str> = schema
            .fields(scope)
            .iter()
            .filter(|f| bare_label(&f.label.th) == text)
            .map(|f| f.key.as_str())
            .collect();
        if named.is_empty() || named.contains(&key.as_str()) {
            continue;
        }
        let expected = schema
            .field(scope, key)
            .map_or_else(|| key.clone(), |f| f.label.th.clone());
        notes.push(at(&sheet.name, Some(header + 1), Some(col as u32), Some(key), Note::new(
            Level::Warning,
            "header_mismatch",
            format!("หัวคอลัมน์ \"{text}\" เป็นชื่อของช่องอื่น แต่ตำแหน่งนี้ของแบบฟอร์มคือ \"{expected}\" ระบบบัญชีข้อมูลอ่านตามตำแหน่งคอลัมน์ โปรดตรวจว่าคอลัมน์ไม่ได้ถูกสลับ"),
            format!("The header \"{text}\" names another field, but this position of the template is \"{expected}\"; the catalog reads columns by position, so check that no columns were moved."),
        )));
    }
}

/// Reads the 0-based data rows `first..=last` of a sheet, capped, reporting the rows left out.
fn data_rows(sheet: &Sheet, first: u32, notes: &mut Vec<Located>) -> std::ops::Range<u32> {
    let Some(last) = sheet.last_row().filter(|last| *last >= first) else {
        return first..first;
    };
    let end = (last + 1).min(first + MAX_ROWS_PER_SHEET);
    if end <= last {
        notes.push(at(
            &sheet.name,
            Some(end + 1),
            None,
            None,
            Note::new(
                Level::Error,
                "too_many_rows",
                format!(
                    "ชีตนี้มีเกิน {MAX_ROWS_PER_SHEET} แถว แถว {} ถึง {} ไม่ได้อ่าน โปรดแบ่งเป็นหลายไฟล์",
                    end + 1,
                    last + 1
                ),
                format!(
                    "The sheet has more than {MAX_ROWS_PER_SHEET} rows; rows {} to {} were not read. Split the file.",
                    end + 1,
                    last + 1
                ),
            ),
        ));
    }
    first..end
}

fn is_blank_row(sheet: &Sheet, row: u32, width: u32) -> bool {
    (0..width).all(|c| sheet.cell(row, c).is_empty())
}

/// Reads the NSO template. `None` when the workbook has none of its dataset sheets.
pub fn read_nso(book: &Workbook, schema: &Schema) -> Option<Source> {
    let layout = layout::nso();
    if !layout.dataset_sheets.iter().any(|s| book.sheet(&s.sheet).is_some()) {
        return None;
    }
    let header = layout.header_row - 1;
    let first = layout.first_data_row - 1;
    let mut source = Source::empty(Origin::Nso);
    let missing: Vec<&str> = layout
        .dataset_sheets
        .iter()
        .filter(|s| book.sheet(&s.sheet).is_none())
        .map(|s| s.sheet.as_str())
        .collect();
    for name in &missing {
        source.notes.push(at(name, None, None, None, Note::new(
            Level::Warning,
            "sheet_missing",
            format!("ไม่มีชีต {name} ระบบบัญชีข้อมูลต้องการชีตนี้ (แม้จะว่าง) และจะไม่นำเข้าไฟล์นี้เลย Catalog Desk นำเข้าชีตที่มีอยู่"),
            format!("The sheet {name} is missing; the catalog needs it (even empty) and would import nothing from this file. Catalog Desk imports the sheets that are there."),
        )));
    }
    let mut noted = std::collections::HashSet::new();
    for spec in &layout.dataset_sheets {
        let Some(sheet) = book.sheet(&spec.sheet) else {
            continue;
        };
        let width = sheet.width_from(header);
        if width == 0 {
            continue;
        }
        let rows = data_rows(sheet, first, &mut source.notes);
        let row5 = sheet.cell(header + 1, 0);
        let row5_is_data = !row5.is_empty() && row5.text() != keys::NAME;
        if row5_is_data {
            source.notes.push(at(&spec.sheet, Some(header + 2), None, None, Note::new(
                Level::Warning,
                "row_5_skipped",
                format!("แถว {} มีข้อมูล แต่ระบบบัญชีข้อมูลตัดแถวนี้ทิ้งเสมอ Catalog Desk จึงไม่นำเข้าแถวนี้เช่นกัน โปรดย้ายไปแถวล่าง", header + 2),
                format!("Row {} holds data, but the catalog always drops this row, so Catalog Desk skips it too; move it further down.", header + 2),
            )));
        }
        let version = spec.version_for_width(width as usize).map(str::to_owned);
        match (&version, &source.version) {
            (Some(v), None) => source.version = Some(v.clone()),
            (Some(v), Some(first_version)) if v != first_version => source.notes.push(at(&spec.sheet, None, None, None, Note::new(
                Level::Warning,
                "mixed_versions",
                format!("ชีตนี้เป็นแบบฟอร์มรุ่น {v} แต่ชีตก่อนหน้าเป็นรุ่น {first_version} ระบบบัญชีข้อมูลจะข้ามชีตที่ไม่ตรงรุ่นของระบบ"),
                format!("This sheet has the {v} layout but an earlier one has {first_version}; the catalog skips the sheets that do not match its version."),
            ))),
            _ => {}
        }
        let columns = version.as_ref().map(|v| &spec.columns[v]);
        if let Some(columns) = columns {
            header_notes(schema, sheet, header, columns, Scope::Dataset, &mut source.notes);
        }
        let mut by_join: HashMap<String, usize> = HashMap::new();
        for row in rows {
            if is_blank_row(sheet, row, width) {
                continue;
            }
            let join = sheet.cell(row, 0).text();
            let mut source_row = SourceRow {
                sheet: spec.sheet.clone(),
                row: row + 1,
                data_type: Some(spec.data_type.clone()),
                join: join.clone(),
                cells: Vec::new(),
                notes: Vec::new(),
                resources: Vec::new(),
            };
            match columns {
                None => {
                    let expected: Vec<String> =
                        spec.columns.iter().map(|(v, c)| format!("{} ({v})", c.len())).collect();
                    let expected = expected.join(" / ");
                    source_row.notes.push(at(&spec.sheet, Some(row + 1), None, None, Note::new(
                        Level::Error,
                        "sheet_width",
                        format!("ชีต {} มี {width} คอลัมน์ แต่แบบฟอร์มต้องมี {expected} คอลัมน์ (อาจมีคอลัมน์เกินหรือขาด หรือมีข้อความหลงอยู่ทางขวา) ระบบบัญชีข้อมูลจะข้ามทั้งชีตโดยไม่แจ้ง", spec.sheet),
                        format!("The sheet {} has {width} columns but the template needs {expected} (a column too many or too few, or stray text further right); the catalog would silently skip the whole sheet.", spec.sheet),
                    )));
                }
                Some(columns) => {
                    for (col, key) in columns.iter().enumerate() {
                        let col = col as u32;
                        if key == IGNORED {
                            continue;
                        }
                        cell_notes(sheet, row, col, key, &mut source_row.notes);
                        if let Some(reason) = layout.not_imported.get(key) {
                            if !sheet.cell(row, col).is_empty() && noted.insert(key.as_str()) {
                                source.notes.push(at(
                                    &spec.sheet,
                                    None,
                                    Some(col),
                                    Some(key),
                                    Note {
                                        level: Level::Info,
                                        code: "column_not_imported",
                                        message: reason.clone(),
                                    },
                                ));
                            }
                            continue;
                        }
                        source_row.cells.push(SourceCell {
                            col,
                            key: key.clone(),
                            cell: sheet.cell(row, col),
                        });
                    }
                }
            }
            by_join.entry(join).or_insert(source.rows.len());
            source.rows.push(source_row);
        }
        read_nso_resources(book, schema, spec, &by_join, &mut source);
    }
    Some(source)
}

fn read_nso_resources(
    book: &Workbook,
    schema: &Schema,
    spec: &layout::NsoSheet,
    by_join: &HashMap<String, usize>,
    source: &mut Source,
) {
    let layout = layout::nso();
    let Some(sheet) = book.sheet(&spec.resource_sheet) else {
        return;
    };
    let width = sheet.width_from(layout.header_row - 1);
    if width == 0 {
        return;
    }
    let expected = spec.resource_columns.len() as u32;
    if width == expected {
        let header = layout.header_row - 1;
        header_notes(
            schema,
            sheet,
            header,
            &spec.resource_columns,
            Scope::Resource,
            &mut source.notes,
        );
    }
    let rows = data_rows(sheet, layout.first_data_row - 1, &mut source.notes);
    for row in rows {
        if is_blank_row(sheet, row, width) {
            continue;
        }
        if width != expected {
            let mut resource = SourceResource::at(sheet, row);
            resource.notes.push(at(
                &sheet.name,
                Some(row + 1),
                None,
                None,
                Note::new(
                    Level::Error,
                    "sheet_width",
                    format!("ชีต {} มี {width} คอลัมน์ แต่แบบฟอร์มต้องมี {expected} คอลัมน์", sheet.name),
                    format!(
                        "The sheet {} has {width} columns but the template needs {expected}.",
                        sheet.name
                    ),
                ),
            ));
            source.orphans.push(resource);
            continue;
        }
        let columns = (0u32..).zip(&spec.resource_columns);
        let (mut resource, join) = resource_row(sheet, row, columns, JOIN, |_| true);
        match by_join.get(&join) {
            Some(&i) => source.rows[i].resources.push(resource),
            None => {
                resource.notes.push(at(&sheet.name, Some(row + 1), Some(0), None, Note::new(
                    Level::Error,
                    "orphan_resource",
                    format!("ไม่มีชุดข้อมูล \"{join}\" ในชีต {} (ต้องตรงกับคอลัมน์ A ทุกตัวอักษร) จึงไม่นำเข้าทรัพยากรนี้ ระบบบัญชีข้อมูลจะทิ้งแถวนี้โดยไม่แจ้ง", spec.sheet),
                    format!("No dataset \"{join}\" in the sheet {} (column A must match exactly), so this resource is not imported; the catalog would drop it without a word.", spec.sheet),
                )));
                source.orphans.push(resource);
            }
        }
    }
}

impl SourceResource {
    /// A resource read from `row` (0-based) of `sheet`, no cells yet.
    fn at(sheet: &Sheet, row: u32) -> Self {
        SourceResource {
            sheet: sheet.name.clone(),
            row: row + 1,
            cells: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// One resource row: its cells in the `keep` columns with their notes, and the text of its `join_key`
/// column (the dataset it belongs to).
fn resource_row<'k>(
    sheet: &Sheet,
    row: u32,
    columns: impl IntoIterator<Item = (u32, &'k String)>,
    join_key: &str,
    keep: impl Fn(&str) -> bool,
) -> (SourceResource, String) {
    let mut resource = SourceResource::at(sheet, row);
    let mut join = String::new();
    for (col, key) in columns {
        cell_notes(sheet, row, col, key, &mut resource.notes);
        let cell = sheet.cell(row, col);
        if key == join_key {
            join = cell.text();
        } else if keep(key) {
            resource.cells.push(SourceCell {
                col,
                key: key.clone(),
                cell,
            });
        }
    }
    (resource, join)
}

/// The field keys of row `key_row` when every filled cell names a schema field (Catalog Desk's template).
fn key_columns(schema: &Schema, sheet: &Sheet, key_row: u32, scope: Scope, extra: &str) -> Option<Vec<(u32, String)>> {
    let width = sheet.row_width(key_row);
    let keys: Vec<(u32, String)> = (0..width)
        .map(|c| (c, sheet.cell(key_row, c).text()))
        .filter(|(_, k)| !k.is_empty())
        .collect();
    let known = keys
        .iter()
        .filter(|(_, k)| k == extra || schema.field(scope, k).is_some())
        .count();
    (known >= 2 && known * 2 > keys.len()).then_some(keys)
}

/// Reads Catalog Desk's own template. `None` when no sheet has a row of field keys.
pub fn read_ours(book: &Workbook, schema: &Schema) -> Option<Source> {
    let layout = layout::ours();
    let key_row = layout.key_row - 1;
    let first = layout.first_data_row - 1;
    let mut source = Source::empty(Origin::Ours);
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    let mut found = false;
    for sheet in &book.sheets {
        if sheet.name == sheet_name(&layout.resource_sheet) || sheet.name == sheet_name(&layout.choices_sheet) {
            continue;
        }
        let Some(columns) = key_columns(schema, sheet, key_row, Scope::Dataset, "") else {
            continue;
        };
        found = true;
        let data_type = schema
            .data_types()
            .iter()
            .find(|t| t.value == sheet.name || sheet_name(&t.label.th) == sheet.name)
            .map(|t| t.value.clone());
        if data_type.is_none() && sheet.name != sheet_name(&layout.untyped_sheet) {
            source.notes.push(at(
                &sheet.name,
                None,
                None,
                None,
                Note::new(
                    Level::Warning,
                    "sheet_unknown_type",
                    format!("ชื่อชีต {} ไม่ใช่ประเภทชุดข้อมูล จึงนำเข้าโดยไม่กำหนดประเภท", sheet.name),
                    format!(
                        "The sheet name {} is not a data type; its rows are imported without one.",
                        sheet.name
                    ),
                ),
            ));
        }
        unknown_key_notes(schema, sheet, &columns, Scope::Dataset, "", &mut source.notes);
        let width = columns.iter().map(|(c, _)| c + 1).max().unwrap_or(0);
        for row in data_rows(sheet, first, &mut source.notes) {
            if is_blank_row(sheet, row, width) {
                continue;
            }
            let mut source_row = SourceRow {
                sheet: sheet.name.clone(),
                row: row + 1,
                data_type: data_type.clone(),
                join: String::new(),
                cells: Vec::new(),
                notes: Vec::new(),
                resources: Vec::new(),
            };
            for (col, key) in &columns {
                if schema.field(Scope::Dataset, key).is_none() {
                    continue;
                }
                cell_notes(sheet, row, *col, key, &mut source_row.notes);
                let cell = sheet.cell(row, *col);
                if key == keys::NAME {
                    source_row.join = cell.text();
                }
                source_row.cells.push(SourceCell {
                    col: *col,
                    key: key.clone(),
                    cell,
                });
            }
            by_slug.entry(source_row.join.clone()).or_insert(source.rows.len());
            source.rows.push(source_row);
        }
    }
    if let Some(sheet) = book.sheet(&sheet_name(&layout.resource_sheet)) {
        if let Some(columns) = key_columns(schema, sheet, key_row, Scope::Resource, &layout.join_key) {
            found = true;
            unknown_key_notes(
                schema,
                sheet,
                &columns,
                Scope::Resource,
                &layout.join_key,
                &mut source.notes,
            );
            let width = columns.iter().map(|(c, _)| c + 1).max().unwrap_or(0);
            for row in data_rows(sheet, first, &mut source.notes) {
                if is_blank_row(sheet, row, width) {
                    continue;
                }
                let columns = columns.iter().map(|(col, key)| (*col, key));
                let is_field = |key: &str| schema.field(Scope::Resource, key).is_some();
                let (mut resource, join) = resource_row(sheet, row, columns, &layout.join_key, is_field);
                match by_slug.get(&join) {
                    Some(&i) if !join.is_empty() => source.rows[i].resources.push(resource),
                    _ => {
                        resource.notes.push(at(
                            &sheet.name,
                            Some(row + 1),
                            None,
                            None,
                            Note::new(
                                Level::Error,
                                "orphan_resource",
                                format!("ไม่มีชุดข้อมูล \"{join}\" ในไฟล์นี้ จึงไม่นำเข้าทรัพยากรนี้"),
                                format!("No dataset \"{join}\" in this file, so this resource is not imported."),
                            ),
                        ));
                        source.orphans.push(resource);
                    }
                }
            }
        }
    }
    found.then_some(source)
}

fn unknown_key_notes(
    schema: &Schema,
    sheet: &Sheet,
    columns: &[(u32, String)],
    scope: Scope,
    extra: &str,
    notes: &mut Vec<Located>,
) {
    for (col, key) in columns {
        if key != extra && schema.field(scope, key).is_none() {
            notes.push(at(
                &sheet.name,
                None,
                Some(*col),
                Some(key),
                Note::new(
                    Level::Warning,
                    "unknown_column",
                    format!("ไม่รู้จักฟิลด์ \"{key}\" จึงไม่นำเข้าคอลัมน์นี้"),
                    format!("Unknown field \"{key}\"; this column is not imported."),
                ),
            ));
        }
    }
}
