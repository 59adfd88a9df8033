//! XLSX sheets read straight from their XML, row by row: calamine reads the whole shared-strings table
//! and every merged region before the first cell (seconds on a 50 MB file), so the first screen, layout
//! detection and the whole-file passes read the sheet XML directly and the shared strings only as far
//! as the rows read refer to (writers add strings in order of first use). Cells keep what Excel shows
//! where it matters: dates in a Buddhist-era number format come out as Thai write them (12/1/2558).

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;

use calamine::{ExcelDateTime, ExcelDateTimeType};
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Reader as XmlReader, XmlVersion};
use zip::ZipArchive;

use crate::classify::BUDDHIST_ERA_OFFSET;
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
    scratch: &mut TextScratch,
    out: &mut String,
) -> Result<(), PreviewError> {
    let TextScratch { buf, current } = scratch;
    let mut in_phonetic = false;
    let mut collecting: Option<bool> = None;
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
                        current.clear();
                        collecting = Some(preserve);
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
                    if let Some(preserve) = collecting.take() {
                        let text = if preserve {
                            current.as_str()
                        } else {
                            current.trim_matches([' ', '\t', '\r', '\n'])
                        };
                        push_unescaped(text, out);
                    }
                }
                if local == end {
                    return Ok(());
                }
            }
            Event::Text(t) if collecting.is_some() => current.push_str(&t.xml10_content()),
            Event::CData(t) if collecting.is_some() => current.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if collecting.is_some() => push_entity(&r, current),
            Event::Eof => return Err(PreviewError::Corrupt(format!("XML ended inside <{end}>"))),
            _ => {}
        }
    }
}

/// Buffers [`read_text`] reuses from cell to cell.
#[derive(Default)]
struct TextScratch {
    buf: Vec<u8>,
    current: String,
}

/// Appends `text` with the `_x000D_`-style escapes that Excel writes for control characters decoded.
fn push_unescaped(text: &str, out: &mut String) {
    if !text.as_bytes().contains(&b'_') {
        out.push_str(text);
        return;
    }
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
}

/// Shared strings travel from their reader thread in batches of this many.
const STRINGS_PER_BATCH: usize = 1024;
/// Batches (of strings, or of rows) a reader thread may run ahead of its consumer: a first screen parses
/// little more than it shows.
const BATCHES_AHEAD: usize = 16;

type StringBatch = Result<Vec<String>, PreviewError>;

/// Rows travel from the sheet's parser thread to the caller in batches of this many.
const ROWS_PER_BATCH: usize = 256;

/// Parsed rows on their way to the caller's thread: the cells of all rows in one [`RowText`].
#[derive(Default)]
struct RowBatch {
    cells: RowText,
    /// (row index in the sheet, end of its cells in `cells`)
    rows: Vec<(usize, usize)>,
}

impl RowBatch {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn push(&mut self, row_index: usize, row: &RowText) {
        row.iter().for_each(|cell| self.cells.push(cell));
        self.rows.push((row_index, self.cells.len()));
    }

    /// Copies the `index`-th row of the batch into `row`; returns its row index in the sheet.
    fn read_into(&self, index: usize, row: &mut RowText) -> usize {
        let (row_index, cells_end) = self.rows[index];
        let cells_start = if index == 0 { 0 } else { self.rows[index - 1].1 };
        row.clear();
        (cells_start..cells_end).for_each(|cell| row.push(self.cells.get(cell)));
        row_index
    }
}

/// The shared-strings table as far as the sheet has asked, filled by [`read_shared_strings`] on its own
/// thread (the table can be nearly as large as the sheet, so it is parsed beside the sheet, not in turn).
struct SharedStrings {
    batches: Option<mpsc::Receiver<StringBatch>>,
    strings: Vec<String>,
}

impl SharedStrings {
    fn get(&mut self, index: usize) -> Result<&str, PreviewError> {
        while self.strings.len() <= index {
            let Some(batches) = &self.batches else { break };
            match batches.recv() {
                Ok(batch) => self.strings.extend(batch?),
                Err(mpsc::RecvError) => self.batches = None,
            }
        }
        Ok(self.strings.get(index).map_or("", String::as_str))
    }
}

/// Parses `<si>` entries in order and sends them in batches; stops when the sheet reader hangs up.
fn read_shared_strings<R: BufRead>(mut xml: XmlReader<R>, sender: &mpsc::SyncSender<StringBatch>) {
    let mut batch = Vec::with_capacity(STRINGS_PER_BATCH);
    let mut buf = Vec::new();
    let mut scratch = TextScratch::default();
    loop {
        buf.clear();
        let event = match xml.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(err) => {
                let _ = sender.send(Err(xml_error(err)));
                return;
            }
        };
        match event {
            Event::Start(e) if local_name_is(&e, "si") => {
                let mut text = String::new();
                if let Err(err) = read_text(&mut xml, "si", &mut scratch, &mut text) {
                    let _ = sender.send(Err(err));
                    return;
                }
                batch.push(text);
                if batch.len() == STRINGS_PER_BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(STRINGS_PER_BATCH));
                    if sender.send(Ok(full)).is_err() {
                        return;
                    }
                }
            }
            Event::Eof => {
                let _ = sender.send(Ok(batch));
                return;
            }
            _ => {}
        }
    }
}

/// Workbook-level facts needed to read cells: sheets, date styles, date system.
pub struct XlsxHead {
    path: PathBuf,
    /// (name, path inside the zip, hidden)
    sheets: Vec<(String, String, bool)>,
    /// For each cell style index: how its number format shows a number.
    number_styles: Vec<ShownAs>,
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

/// How a cell style shows a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ShownAs {
    Number,
    Date,
    /// A date with a Buddhist-era year (Thai calendar locale, `bbbb`, or a Thai built-in format).
    BuddhistEraDate,
}

/// Reads a number format code: is it a date, and in which era?
fn number_shown_by(code: &str) -> ShownAs {
    let mut plain = String::new();
    let mut thai_calendar = false;
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
                let mut block = String::new();
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                    block.push(q);
                }
                thai_calendar |= is_thai_calendar_locale(&block);
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            _ => plain.push(c.to_ascii_lowercase()),
        }
    }
    let section = plain.split(';').next().unwrap_or("");
    let buddhist_year = section.contains("bb");
    if !(section.contains(['d', 'm', 'y', 'h', 's']) || buddhist_year) || section.contains("general") {
        ShownAs::Number
    } else if buddhist_year || (thai_calendar && section.contains(['d', 'y'])) {
        ShownAs::BuddhistEraDate
    } else {
        ShownAs::Date
    }
}

/// Thai calendar (type 7) in a locale block: `$-1070000` / `$-D07041E` (calendar in bits 16–23) or
/// `$-th-TH,107` (calendar in the low byte after the comma).
fn is_thai_calendar_locale(block: &str) -> bool {
    const THAI_CALENDAR: u32 = 0x07;
    let Some(locale) = block.strip_prefix("$-") else {
        return false;
    };
    let calendar = match locale.split_once(',') {
        Some((_, code)) => u32::from_str_radix(code, 16).map(|v| v & 0xFF),
        None => u32::from_str_radix(locale, 16).map(|v| (v >> 16) & 0xFF),
    };
    calendar == Ok(THAI_CALENDAR)
}

/// Built-in formats: the international dates and times, and the Thai ones (71–81; those with ปปปป or
/// bb show the Buddhist-era year).
fn builtin_number_shown(id: u32) -> ShownAs {
    match id {
        71 | 72 | 74 | 77 | 81 => ShownAs::BuddhistEraDate,
        14..=22 | 27..=36 | 45..=47 | 50..=58 | 73 | 75 | 76 | 78..=80 => ShownAs::Date,
        _ => ShownAs::Number,
    }
}

fn parse_styles(xml_text: &str) -> Result<Vec<ShownAs>, PreviewError> {
    let mut xml = xml_reader(xml_text.as_bytes());
    let mut custom: Vec<(u32, ShownAs)> = Vec::new();
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
                    custom.push((id, number_shown_by(&code)));
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
                .map_or(builtin_number_shown(id), |(_, shown)| *shown)
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
        let number_styles = match read_entry(&mut archive, "xl/styles.xml")? {
            Some(styles) => parse_styles(&styles)?,
            None => Vec::new(),
        };
        let core = read_entry(&mut archive, "docProps/core.xml")?.unwrap_or_default();
        Ok(Self {
            path: path.to_path_buf(),
            sheets,
            number_styles,
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

    /// Streams rows of `sheet` from the top; `visit` returns `false` to stop. When the scan reaches the
    /// end of the sheet it returns the sheet's merged regions (they are written after the cells). Three
    /// threads share the work: the shared strings, the sheet XML, and `visit` on the calling thread.
    pub fn scan(
        &self,
        sheet: &str,
        visit: &mut dyn FnMut(usize, &RowText) -> Result<bool, PreviewError>,
    ) -> Result<Option<Vec<MergedRegion>>, PreviewError> {
        let (_, entry_name, _) = self
            .sheets
            .iter()
            .find(|(name, _, _)| name == sheet)
            .ok_or_else(|| PreviewError::SheetNotFound(sheet.to_string()))?;
        let mut strings_archive = self.archive()?;
        let mut sheet_archive = self.archive()?;
        thread::scope(|scope| {
            let (string_sender, string_batches) = mpsc::sync_channel(BATCHES_AHEAD);
            scope.spawn(move || match strings_archive.by_name("xl/sharedStrings.xml") {
                Ok(entry) => {
                    read_shared_strings(xml_reader(BufReader::with_capacity(64 * 1024, entry)), &string_sender)
                }
                Err(zip::result::ZipError::FileNotFound) => {}
                Err(err) => {
                    let _ = string_sender.send(Err(zip_error(err)));
                }
            });
            let (row_sender, row_batches) = mpsc::sync_channel::<RowBatch>(BATCHES_AHEAD);
            let parser = scope.spawn(move || {
                let mut strings = SharedStrings {
                    batches: Some(string_batches),
                    strings: Vec::new(),
                };
                let entry = sheet_archive.by_name(entry_name).map_err(zip_error)?;
                let mut batch = RowBatch::default();
                let parsed = self.scan_sheet(
                    xml_reader(BufReader::with_capacity(64 * 1024, entry)),
                    &mut strings,
                    &mut |index, row| {
                        batch.push(index, row);
                        Ok(batch.len() < ROWS_PER_BATCH || row_sender.send(std::mem::take(&mut batch)).is_ok())
                    },
                );
                if batch.len() > 0 {
                    let _ = row_sender.send(batch);
                }
                parsed
            });
            let mut row = RowText::default();
            for batch in &row_batches {
                for index in 0..batch.len() {
                    let row_index = batch.read_into(index, &mut row);
                    if !visit(row_index, &row)? {
                        return Ok(None);
                    }
                }
            }
            parser
                .join()
                .unwrap_or_else(|_| Err(PreviewError::Corrupt("the sheet reader failed".into())))
        })
    }

    fn scan_sheet<R: BufRead>(
        &self,
        mut xml: XmlReader<R>,
        strings: &mut SharedStrings,
        visit: &mut dyn FnMut(usize, &RowText) -> Result<bool, PreviewError>,
    ) -> Result<Option<Vec<MergedRegion>>, PreviewError> {
        let mut buf = Vec::new();
        let mut scratch = TextScratch::default();
        let mut row = RowText::default();
        let mut row_index: Option<usize> = None;
        let mut next_row = 0usize;
        let mut raw = String::new();
        let mut merged_regions = Vec::new();
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
                            return Ok(None);
                        }
                    }
                }
                Event::Start(e) if local_name_is(&e, "c") => {
                    let cell = CellAttributes::of(&e);
                    let column = cell.column.unwrap_or(row.len());
                    if column >= MAX_COLUMNS {
                        return Err(PreviewError::TooManyColumns { limit: MAX_COLUMNS });
                    }
                    raw.clear();
                    read_text(&mut xml, "c", &mut scratch, &mut raw)?;
                    while row.len() < column {
                        row.push("");
                    }
                    if row.len() == column {
                        let shown = self.number_styles.get(cell.style).copied().unwrap_or(ShownAs::Number);
                        self.push_cell(cell.kind, &raw, shown, strings, &mut row)?;
                    }
                }
                Event::Start(e) if local_name_is(&e, "mergeCell") => {
                    merged_regions.extend(attribute(&e, "ref").as_deref().and_then(parse_range));
                }
                Event::Eof => return Ok(Some(merged_regions)),
                _ => {}
            }
        }
    }

    fn push_cell(
        &self,
        kind: CellKind,
        raw: &str,
        shown: ShownAs,
        strings: &mut SharedStrings,
        row: &mut RowText,
    ) -> Result<(), PreviewError> {
        match kind {
            CellKind::SharedString => {
                let index: usize = raw
                    .trim()
                    .parse()
                    .map_err(|_| PreviewError::Corrupt(format!("shared string index {raw:?}")))?;
                let text = strings.get(index)?;
                row.push(text);
            }
            CellKind::Text => row.push(raw),
            CellKind::Boolean => row.push(if raw.trim() == "1" { "TRUE" } else { "FALSE" }),
            CellKind::Number => match raw.trim().parse::<f64>() {
                Ok(value) if shown == ShownAs::Number => row.push_with(|text| write_number(value, text)),
                Ok(value) => row.push_with(|text| {
                    let date = ExcelDateTime::new(value, ExcelDateTimeType::DateTime, self.is_1904);
                    if shown == ShownAs::BuddhistEraDate {
                        write_buddhist_era_date(&date, text)
                    } else {
                        write_excel_datetime(&date, text)
                    }
                }),
                Err(_) => row.push(raw.trim()),
            },
        }
        Ok(())
    }
}

/// What a cell's `t` attribute says its text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CellKind {
    Number,
    SharedString,
    /// Inline strings, formula strings, errors and ISO dates: the text as written.
    Text,
    Boolean,
}

/// The attributes of a `<c>` element, read without allocating (this runs once per cell).
struct CellAttributes {
    column: Option<usize>,
    kind: CellKind,
    style: usize,
}

impl CellAttributes {
    fn of(element: &BytesStart<'_>) -> Self {
        let mut cell = CellAttributes {
            column: None,
            kind: CellKind::Number,
            style: 0,
        };
        for attribute in element.attributes().with_checks(false).flatten() {
            let value: &str = &attribute.value;
            let key: &str = attribute.key.as_ref();
            match key {
                "r" => cell.column = parse_cell_reference(value).map(|(_, c)| c),
                "t" => {
                    cell.kind = match value {
                        "s" => CellKind::SharedString,
                        "b" => CellKind::Boolean,
                        "n" => CellKind::Number,
                        _ => CellKind::Text,
                    }
                }
                "s" => cell.style = value.parse().unwrap_or(0),
                _ => {}
            }
        }
        cell
    }
}

/// A date as Thai write it in the Buddhist era: day/month/year+543 (`12/1/2558`), with the time when it
/// has one.
fn write_buddhist_era_date(value: &ExcelDateTime, text: &mut String) {
    use std::fmt::Write;
    if value.is_duration() {
        write_number(value.as_f64(), text);
        return;
    }
    let (year, month, day, hour, minute, second, _) = value.to_ymd_hms_milli();
    let _ = write!(text, "{day}/{month}/{}", i32::from(year) + BUDDHIST_ERA_OFFSET);
    if (hour, minute, second) != (0, 0, 0) {
        let _ = write!(text, " {hour:02}:{minute:02}:{second:02}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::{Workbook, WorkbookKind};

    fn rows_of(
        scan: impl FnOnce(&mut dyn FnMut(usize, &RowText) -> Result<bool, PreviewError>),
    ) -> Vec<(usize, Vec<String>)> {
        let mut rows = Vec::new();
        scan(&mut |row, cells| {
            rows.push((row, cells.to_vec()));
            Ok(true)
        });
        rows
    }

    /// Equal, or the direct reader shows a Buddhist-era date where calamine shows the same day in ISO.
    fn same_cell(direct: &str, calamine: &str) -> bool {
        direct == calamine
            || crate::classify::parse_date(direct)
                .is_some_and(|(date, buddhist_era)| buddhist_era && calamine.starts_with(&date.to_string()))
    }

    #[test]
    fn the_direct_reader_agrees_with_calamine_on_every_corpus_workbook() {
        let mut workbooks = 0;
        for entry in std::fs::read_dir(catalog_testkit::corpus_dir()).expect("corpus listed") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "xlsx") {
                continue;
            }
            workbooks += 1;
            let head = XlsxHead::open(&path).expect("opens");
            let mut calamine = Workbook::open(&path, WorkbookKind::Xlsx).expect("calamine opens");
            for (sheet, _, _) in &head.sheets {
                let direct = rows_of(|visit| {
                    head.scan(sheet, visit).expect("direct scan");
                });
                let through_calamine = rows_of(|visit| calamine.scan(sheet, 0, visit).expect("calamine scan"));
                assert_eq!(direct.len(), through_calamine.len(), "{}: {sheet}", path.display());
                for ((row, cells), (calamine_row, calamine_cells)) in direct.iter().zip(&through_calamine) {
                    let agree = row == calamine_row
                        && cells.len() == calamine_cells.len()
                        && cells.iter().zip(calamine_cells).all(|(d, c)| same_cell(d, c));
                    assert!(
                        agree,
                        "{}: {sheet} row {row}: {cells:?} vs {calamine_cells:?}",
                        path.display()
                    );
                }
            }
        }
        assert!(workbooks >= 4, "the corpus holds four XLSX workbooks");
    }

    #[test]
    fn the_direct_reader_agrees_with_calamine() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook as Writer};
        let mut writer = Writer::new();
        let sheet = writer.add_worksheet();
        sheet.set_name("ข้อมูล").expect("name");
        let date = ExcelDateTime::from_ymd(2024, 6, 14).expect("date");
        let date_format = Format::new().set_num_format("d mmm yyyy");
        sheet.write(0, 0, "จังหวัด").expect("cell");
        sheet.write(0, 2, "มูลค่า (บาท)").expect("cell");
        for row in 1..=50u32 {
            sheet.write(row, 0, format!("จังหวัดที่ {row} & <ทดสอบ>")).expect("cell");
            sheet.write(row, 1, f64::from(row) * 1.25).expect("cell");
            sheet.write(row, 2, row * 1000).expect("cell");
            sheet.write(row, 3, row % 2 == 0).expect("cell");
            sheet
                .write_datetime_with_format(row, 4, &date, &date_format)
                .expect("cell");
            sheet
                .write_formula(
                    row,
                    5,
                    Formula::new(format!("=C{}*2", row + 1)).set_result((row * 2000).to_string()),
                )
                .expect("cell");
            sheet.write(row, 7, "0105558004940").expect("cell");
        }
        sheet.write(52, 0, "ที่มา: ทดสอบ").expect("cell");
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("agree.xlsx");
        std::fs::write(&path, writer.save_to_buffer().expect("xlsx")).expect("written");

        let head = XlsxHead::open(&path).expect("opens");
        let direct = rows_of(|visit| {
            head.scan("ข้อมูล", visit).expect("direct scan");
        });
        let mut calamine = Workbook::open(&path, WorkbookKind::Xlsx).expect("calamine opens");
        let through_calamine = rows_of(|visit| calamine.scan("ข้อมูล", 0, visit).expect("calamine scan"));
        assert_eq!(direct.len(), 52);
        assert_eq!(direct, through_calamine);
        assert_eq!(direct[1].1[4], "2024-06-14");
    }

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
        use ShownAs::*;
        for (code, shown) in [
            ("[$-1070000]d/m/yyyy", BuddhistEraDate),
            ("[$-D07041E]d mmm yy", BuddhistEraDate),
            ("[$-th-TH,107]d/m/yyyy;@", BuddhistEraDate),
            ("d/m/bbbb", BuddhistEraDate),
            ("[$-409]d/m/yyyy", Date),
            ("[$-1070000]h:mm", Date),
            ("[$-th-TH]d mmmm yyyy", Date),
            ("d mmm yyyy", Date),
            ("#,##0", Number),
            ("#,##0 \"บาท\"", Number),
            ("0.00\"d\"", Number),
            ("0.00E+00", Number),
            ("General", Number),
        ] {
            assert_eq!(number_shown_by(code), shown, "{code}");
        }
        assert_eq!(builtin_number_shown(14), Date);
        assert_eq!(builtin_number_shown(71), BuddhistEraDate);
        assert_eq!(builtin_number_shown(3), Number);
    }

    #[test]
    fn excel_escapes() {
        let unescaped = |text: &str| {
            let mut out = String::new();
            push_unescaped(text, &mut out);
            out
        };
        assert_eq!(unescaped("a_x000D_b"), "a\rb");
        assert_eq!(unescaped("_xyz_"), "_xyz_");
    }
}
