//! The first rows of an XLSX sheet without loading the workbook: calamine reads the whole shared-strings
//! table before the first cell (seconds on a 50 MB file), so the first screen and layout detection read
//! the sheet XML directly and the shared strings only as far as the rows shown refer to (writers add
//! strings in order of first use). Whole-file passes still go through calamine.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use calamine::{ExcelDateTime, ExcelDateTimeType};
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Reader as XmlReader, XmlVersion};
use zip::ZipArchive;

use crate::row::RowText;
use crate::workbook::{write_excel_datetime, write_number, MergedRegion, SheetInfo, MAX_SHEET_ROWS};
use crate::{PreviewError, MAX_COLUMNS};

/// Sheets whose XML is larger than this are not read to their end for merged regions when listing.
const MERGED_SCAN_MAX_BYTES: u64 = 16 * 1024 * 1024;

type Archive = ZipArchive<BufReader<File>>;

fn zip_error(err: zip::result::ZipError) -> PreviewError {
    match err {
        zip::result::ZipError::Io(io) => PreviewError::Io(io),
        other => PreviewError::Corrupt(other.to_string()),
    }
}

fn xml_error(err: quick_xml::Error) -> PreviewError {
    PreviewError::Corrupt(format!("XML: {err}"))
}

fn xml_reader<R: BufRead>(source: R) -> XmlReader<R> {
    let mut reader = XmlReader::from_reader(source);
    let config = reader.config_mut();
    config.expand_empty_elements = true;
    config.check_end_names = false;
    config.trim_text(false);
    reader
}

fn attribute(element: &BytesStart<'_>, key: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| {
            let k: &str = a.key.as_ref();
            k == key
        })
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

fn local_name_is(element: &BytesStart<'_>, name: &str) -> bool {
    let local = element.local_name();
    let local: &str = local.as_ref();
    local == name
}

fn push_entity(entity: &BytesRef<'_>, out: &mut String) {
    let name: &str = entity.as_ref();
    match name {
        "amp" => out.push('&'),
        "lt" => out.push('<'),
        "gt" => out.push('>'),
        "quot" => out.push('"'),
        "apos" => out.push('\''),
        _ => {
            if let Ok(Some(c)) = entity.resolve_char_ref() {
                out.push(c);
            }
        }
    }
}

/// Collects the text of the `<t>` and `<v>` elements inside the current element (up to its end tag),
/// skipping phonetic runs and formulas. `<t>` text is trimmed unless `xml:space="preserve"`, as Excel
/// and calamine do.
fn read_text<R: BufRead>(
    xml: &mut XmlReader<R>,
    end: &str,
    buf: &mut Vec<u8>,
    out: &mut String,
) -> Result<(), PreviewError> {
    let mut in_phonetic = false;
    let mut current: Option<(String, bool)> = None;
    loop {
        buf.clear();
        match xml.read_event_into(buf).map_err(xml_error)? {
            Event::Start(e) => {
                let local = e.local_name();
                let local: &str = local.as_ref();
                match local {
                    "rPh" => in_phonetic = true,
                    "t" | "v" if !in_phonetic => {
                        let preserve = local == "v" || attribute(&e, "xml:space").is_some_and(|v| v == "preserve");
                        current = Some((String::new(), preserve));
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                let local = e.local_name();
                let local: &str = local.as_ref();
                if local == "rPh" {
                    in_phonetic = false;
                } else if local == "t" || local == "v" {
                    if let Some((text, preserve)) = current.take() {
                        let text = if preserve {
                            text.as_str()
                        } else {
                            text.trim_matches([' ', '\t', '\r', '\n'])
                        };
                        out.push_str(&unescape_excel(text));
                    }
                }
                if local == end {
                    return Ok(());
                }
            }
            Event::Text(t) => {
                if let Some((text, _)) = current.as_mut() {
                    text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some((text, _)) = current.as_mut() {
                    text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((text, _)) = current.as_mut() {
                    push_entity(&r, text);
                }
            }
            Event::Eof => return Err(PreviewError::Corrupt(format!("XML ended inside <{end}>"))),
            _ => {}
        }
    }
}

/// `_x000D_`-style escapes that Excel writes for control characters.
fn unescape_excel(text: &str) -> String {
    if !text.contains("_x") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("_x") {
        out.push_str(&rest[..at]);
        let candidate = &rest[at..];
        let decoded = candidate
            .get(2..6)
            .filter(|hex| candidate.get(6..7) == Some("_") && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .and_then(char::from_u32);
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &candidate[7..];
            }
            None => {
                out.push_str("_x");
                rest = &candidate[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The shared-strings table, read forward only as far as asked.
struct LazySharedStrings<R: BufRead> {
    xml: Option<XmlReader<R>>,
    strings: Vec<String>,
    buf: Vec<u8>,
}

impl<R: BufRead> LazySharedStrings<R> {
    fn get(&mut self, index: usize) -> Result<&str, PreviewError> {
        while self.strings.len() <= index {
            let Some(xml) = self.xml.as_mut() else { break };
            self.buf.clear();
            match xml.read_event_into(&mut self.buf).map_err(xml_error)? {
                Event::Start(e) if local_name_is(&e, "si") => {
                    let mut text = String::new();
                    let mut inner = Vec::new();
                    read_text(xml, "si", &mut inner, &mut text)?;
                    self.strings.push(text);
                }
                Event::Eof => self.xml = None,
                _ => {}
            }
        }
        Ok(self.strings.get(index).map_or("", String::as_str))
    }
}

/// Workbook-level facts needed to read cells: sheets, date styles, date system.
pub struct XlsxHead {
    path: PathBuf,
    /// (name, path inside the zip, hidden)
    sheets: Vec<(String, String, bool)>,
    /// For each cell style index: does its number format show a date?
    date_styles: Vec<bool>,
    is_1904: bool,
    created: Option<String>,
    modified: Option<String>,
}

fn read_entry(archive: &mut Archive, name: &str) -> Result<Option<String>, PreviewError> {
    let mut entry = match archive.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(err) => return Err(zip_error(err)),
    };
    let mut text = String::new();
    entry
        .read_to_string(&mut text)
        .map_err(|e| PreviewError::Corrupt(format!("{name}: {e}")))?;
    Ok(Some(text))
}

fn is_date_format_code(code: &str) -> bool {
    let mut plain = String::new();
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '[' => {
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            _ => plain.push(c.to_ascii_lowercase()),
        }
    }
    let section = plain.split(';').next().unwrap_or("");
    section.contains(['d', 'm', 'y', 'h', 's']) && !section.contains("general")
}

fn is_builtin_date_format(id: u32) -> bool {
    matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58)
}

fn parse_styles(xml_text: &str) -> Result<Vec<bool>, PreviewError> {
    let mut xml = xml_reader(xml_text.as_bytes());
    let mut custom: Vec<(u32, bool)> = Vec::new();
    let mut style_formats: Vec<u32> = Vec::new();
    let mut in_cell_xfs = false;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(xml_error)? {
            Event::Start(e) if local_name_is(&e, "numFmt") => {
                let id = attribute(&e, "numFmtId").and_then(|v| v.parse().ok());
                let code = attribute(&e, "formatCode").unwrap_or_default();
                if let Some(id) = id {
                    custom.push((id, is_date_format_code(&code)));
                }
            }
            Event::Start(e) if local_name_is(&e, "cellXfs") => in_cell_xfs = true,
            Event::End(e)
                if {
                    let l = e.local_name();
                    let l: &str = l.as_ref();
                    l == "cellXfs"
                } =>
            {
                in_cell_xfs = false
            }
            Event::Start(e) if in_cell_xfs && local_name_is(&e, "xf") => {
                style_formats.push(attribute(&e, "numFmtId").and_then(|v| v.parse().ok()).unwrap_or(0));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(style_formats
        .into_iter()
        .map(|id| {
            custom
                .iter()
                .find(|(c, _)| *c == id)
                .map_or(is_builtin_date_format(id), |(_, date)| *date)
        })
        .collect())
}

fn resolve_target(target: &str) -> String {
    match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{}", target.trim_start_matches("./")),
    }
}

/// Text of the first element named `name` (e.g. `dcterms:created`).
fn element_text(xml_text: &str, name: &str) -> Option<String> {
    let start = xml_text.find(&format!("<{name}"))?;
    let after_tag = start + xml_text[start..].find('>')? + 1;
    let end = after_tag + xml_text[after_tag..].find("</")?;
    let text = xml_text[after_tag..end].trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// "B12" → (11, 1), 0-based.
fn parse_cell_reference(reference: &str) -> Option<(usize, usize)> {
    let split = reference.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = reference.split_at(split);
    let mut column = 0usize;
    for b in letters.bytes() {
        if !b.is_ascii_uppercase() {
            return None;
        }
        column = column.checked_mul(26)?.checked_add(usize::from(b - b'A') + 1)?;
    }
    let row: usize = digits.parse().ok()?;
    Some((row.checked_sub(1)?, column.checked_sub(1)?))
}

fn parse_range(reference: &str) -> Option<MergedRegion> {
    let (start, end) = reference.split_once(':').unwrap_or((reference, reference));
    MergedRegion::between(parse_cell_reference(start)?, parse_cell_reference(end)?)
}

impl XlsxHead {
    pub fn open(path: &Path) -> Result<Self, PreviewError> {
        let mut archive = ZipArchive::new(BufReader::new(File::open(path)?)).map_err(zip_error)?;
        let workbook = read_entry(&mut archive, "xl/workbook.xml")?
            .ok_or_else(|| PreviewError::Corrupt("xl/workbook.xml is missing".into()))?;
        let relations = read_entry(&mut archive, "xl/_rels/workbook.xml.rels")?.unwrap_or_default();
        let mut targets: Vec<(String, String)> = Vec::new();
        let mut xml = xml_reader(relations.as_bytes());
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf).map_err(xml_error)? {
                Event::Start(e) if local_name_is(&e, "Relationship") => {
                    if let (Some(id), Some(target)) = (attribute(&e, "Id"), attribute(&e, "Target")) {
                        targets.push((id, resolve_target(&target)));
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        let mut sheets = Vec::new();
        let mut is_1904 = false;
        let mut xml = xml_reader(workbook.as_bytes());
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf).map_err(xml_error)? {
                Event::Start(e) if local_name_is(&e, "sheet") => {
                    let name = attribute(&e, "name").unwrap_or_default();
                    let hidden = attribute(&e, "state").is_some_and(|s| s != "visible");
                    let id = attribute(&e, "r:id");
                    if let Some((_, target)) = targets.iter().find(|(rid, _)| Some(rid) == id.as_ref()) {
                        sheets.push((name, target.clone(), hidden));
                    }
                }
                Event::Start(e) if local_name_is(&e, "workbookPr") => {
                    is_1904 = attribute(&e, "date1904").is_some_and(|v| v == "1" || v == "true");
                }
                Event::Eof => break,
                _ => {}
            }
        }
        let date_styles = match read_entry(&mut archive, "xl/styles.xml")? {
            Some(styles) => parse_styles(&styles)?,
            None => Vec::new(),
        };
        let core = read_entry(&mut archive, "docProps/core.xml")?.unwrap_or_default();
        Ok(Self {
            path: path.to_path_buf(),
            sheets,
            date_styles,
            is_1904,
            created: element_text(&core, "dcterms:created"),
            modified: element_text(&core, "dcterms:modified"),
        })
    }

    pub fn created_and_modified(&self) -> (Option<String>, Option<String>) {
        (self.created.clone(), self.modified.clone())
    }

    fn archive(&self) -> Result<Archive, PreviewError> {
        ZipArchive::new(BufReader::new(File::open(&self.path)?)).map_err(zip_error)
    }

    /// Sheets with their declared size; merged regions are read for sheets up to
    /// [`MERGED_SCAN_MAX_BYTES`] of XML (`merged_regions_complete` says whether they were).
    pub fn sheet_infos(&self) -> Result<Vec<SheetInfo>, PreviewError> {
        let mut archive = self.archive()?;
        let mut infos = Vec::with_capacity(self.sheets.len());
        for (name, entry_name, hidden) in &self.sheets {
            let entry = archive.by_name(entry_name).map_err(zip_error)?;
            let small = entry.size() <= MERGED_SCAN_MAX_BYTES;
            let mut xml = xml_reader(BufReader::new(entry));
            let mut buf = Vec::new();
            let mut size = (0, 0);
            let mut merged_regions = Vec::new();
            loop {
                buf.clear();
                match xml.read_event_into(&mut buf).map_err(xml_error)? {
                    Event::Start(e) if local_name_is(&e, "dimension") => {
                        if let Some(region) = attribute(&e, "ref").as_deref().and_then(parse_range) {
                            size = (region.last_row.saturating_add(1), region.last_column + 1);
                        }
                        if !small {
                            break;
                        }
                    }
                    Event::Start(e) if local_name_is(&e, "sheetData") && !small => break,
                    Event::Start(e) if local_name_is(&e, "mergeCell") => {
                        merged_regions.extend(attribute(&e, "ref").as_deref().and_then(parse_range));
                    }
                    Event::Eof => break,
                    _ => {}
                }
            }
            infos.push(SheetInfo {
                name: name.clone(),
                rows: size.0,
                columns: size.1,
                merged_regions,
                merged_regions_complete: small,
                hidden: *hidden,
            });
        }
        Ok(infos)
    }

    /// Streams rows of `sheet` from the top; `visit` returns `false` to stop.
    pub fn scan(
        &self,
        sheet: &str,
        visit: &mut dyn FnMut(usize, &RowText) -> Result<bool, PreviewError>,
    ) -> Result<(), PreviewError> {
        let (_, entry_name, _) = self
            .sheets
            .iter()
            .find(|(name, _, _)| name == sheet)
            .ok_or_else(|| PreviewError::SheetNotFound(sheet.to_string()))?;
        let mut strings_archive = self.archive()?;
        let strings_xml = match strings_archive.by_name("xl/sharedStrings.xml") {
            Ok(entry) => Some(xml_reader(BufReader::new(entry))),
            Err(zip::result::ZipError::FileNotFound) => None,
            Err(err) => return Err(zip_error(err)),
        };
        let mut strings = LazySharedStrings {
            xml: strings_xml,
            strings: Vec::new(),
            buf: Vec::new(),
        };
        let mut sheet_archive = self.archive()?;
        let entry = sheet_archive.by_name(entry_name).map_err(zip_error)?;
        self.scan_sheet(
            xml_reader(BufReader::with_capacity(64 * 1024, entry)),
            &mut strings,
            visit,
        )
    }

    fn scan_sheet<R: BufRead, S: BufRead>(
        &self,
        mut xml: XmlReader<R>,
        strings: &mut LazySharedStrings<S>,
        visit: &mut dyn FnMut(usize, &RowText) -> Result<bool, PreviewError>,
    ) -> Result<(), PreviewError> {
        let mut buf = Vec::new();
        let mut text_buf = Vec::new();
        let mut row = RowText::default();
        let mut row_index: Option<usize> = None;
        let mut next_row = 0usize;
        let mut raw = String::new();
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf).map_err(xml_error)? {
                Event::Start(e) if local_name_is(&e, "row") => {
                    let index = attribute(&e, "r")
                        .and_then(|r| r.parse::<usize>().ok())
                        .and_then(|r| r.checked_sub(1))
                        .unwrap_or(next_row);
                    if index >= MAX_SHEET_ROWS {
                        return Err(PreviewError::Corrupt(format!(
                            "row number {} is beyond Excel's limit",
                            index + 1
                        )));
                    }
                    row.clear();
                    row_index = Some(index);
                    next_row = index + 1;
                }
                Event::End(e)
                    if {
                        let l = e.local_name();
                        let l: &str = l.as_ref();
                        l == "row"
                    } =>
                {
                    if let Some(index) = row_index.take() {
                        if !visit(index, &row)? {
                            return Ok(());
                        }
                    }
                }
                Event::Start(e) if local_name_is(&e, "c") => {
                    let column = attribute(&e, "r")
                        .and_then(|r| parse_cell_reference(&r))
                        .map_or(row.len(), |(_, c)| c);
                    if column >= MAX_COLUMNS {
                        return Err(PreviewError::TooManyColumns { limit: MAX_COLUMNS });
                    }
                    let kind = attribute(&e, "t").unwrap_or_default();
                    let style: usize = attribute(&e, "s").and_then(|s| s.parse().ok()).unwrap_or(0);
                    raw.clear();
                    read_text(&mut xml, "c", &mut text_buf, &mut raw)?;
                    while row.len() < column {
                        row.push("");
                    }
                    if row.len() == column {
                        let is_date = self.date_styles.get(style).copied().unwrap_or(false);
                        self.push_cell(&kind, &raw, is_date, strings, &mut row)?;
                    }
                }
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    fn push_cell<S: BufRead>(
        &self,
        kind: &str,
        raw: &str,
        is_date: bool,
        strings: &mut LazySharedStrings<S>,
        row: &mut RowText,
    ) -> Result<(), PreviewError> {
        match kind {
            "s" => {
                let index: usize = raw
                    .trim()
                    .parse()
                    .map_err(|_| PreviewError::Corrupt(format!("shared string index {raw:?}")))?;
                let text = strings.get(index)?;
                row.push(text);
            }
            "inlineStr" => row.push(raw),
            "str" | "e" | "d" => row.push(raw),
            "b" => row.push(if raw.trim() == "1" { "TRUE" } else { "FALSE" }),
            _ => match raw.trim().parse::<f64>() {
                Ok(value) if is_date => row.push_with(|text| {
                    write_excel_datetime(
                        &ExcelDateTime::new(value, ExcelDateTimeType::DateTime, self.is_1904),
                        text,
                    )
                }),
                Ok(value) => row.push_with(|text| write_number(value, text)),
                Err(_) => row.push(raw.trim()),
            },
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_and_ranges() {
        assert_eq!(parse_cell_reference("A1"), Some((0, 0)));
        assert_eq!(parse_cell_reference("AB12"), Some((11, 27)));
        assert_eq!(parse_cell_reference("A0"), None);
        assert_eq!(
            parse_range("B3:D4"),
            Some(MergedRegion {
                first_row: 2,
                first_column: 1,
                last_row: 3,
                last_column: 3
            })
        );
    }

    #[test]
    fn date_format_codes() {
        assert!(is_date_format_code("[$-1070000]d/m/yyyy"));
        assert!(is_date_format_code("d mmm yyyy"));
        assert!(!is_date_format_code("#,##0"));
        assert!(!is_date_format_code("0.00\"d\""));
        assert!(!is_date_format_code("General"));
    }

    #[test]
    fn excel_escapes() {
        assert_eq!(unescape_excel("a_x000D_b"), "a\rb");
        assert_eq!(unescape_excel("_xyz_"), "_xyz_");
    }
}
