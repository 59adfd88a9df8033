//! Delimited text files (CSV, TSV, semicolon, pipe): dialect sniffing, and streaming rows from any
//! record start so a row-offset index can jump into the middle of a large file. Parsing runs on the raw
//! bytes (every supported encoding except UTF-16 keeps delimiters and quotes in ASCII); each field is
//! decoded only when the row is handed out.

use std::cell::Cell;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use encoding_rs::{Encoding, UTF_8};
use serde::{Deserialize, Serialize};

use crate::row::RowText;
use crate::{PreviewError, MAX_COLUMNS};

/// How fields are separated and quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct CsvDialect {
    /// One of `,` `;` `\t` `|`.
    pub delimiter: char,
    /// `"` or `'`.
    pub quote: char,
}

impl Default for CsvDialect {
    fn default() -> Self {
        Self {
            delimiter: ',',
            quote: '"',
        }
    }
}

/// Longest record accepted. Longer ones nearly always come from a quote that is never closed, which
/// would otherwise make the parser swallow the rest of the file into one field.
pub const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;

/// Counts bytes handed to the CSV parser and fails once the record being parsed passes
/// [`MAX_RECORD_BYTES`]; the scan loop moves `record_start` after each record.
struct RecordLengthGuard<R> {
    inner: R,
    consumed: u64,
    record_start: Rc<Cell<u64>>,
}

impl<R: Read> Read for RecordLengthGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.consumed.saturating_sub(self.record_start.get()) > MAX_RECORD_BYTES {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, RecordTooLong));
        }
        let read = self.inner.read(buf)?;
        self.consumed += read as u64;
        Ok(read)
    }
}

/// The marker error of [`RecordLengthGuard`].
#[derive(Debug)]
struct RecordTooLong;

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "record longer than {MAX_RECORD_BYTES} bytes")
    }
}

impl std::error::Error for RecordTooLong {}

const DELIMITER_CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
const SNIFF_RECORDS: usize = 200;

/// Guesses the delimiter and quote from a sample of the file's first bytes: the delimiter whose records
/// most often share one field count (more than one field), ties going to more fields.
pub fn sniff_dialect(sample: &[u8]) -> CsvDialect {
    let sample = match sample.iter().rposition(|b| *b == b'\n') {
        Some(last_newline) if last_newline > 0 => &sample[..=last_newline],
        _ => sample,
    };
    let quote = sniff_quote(sample);
    let mut best: Option<((usize, usize), u8)> = None;
    for delimiter in DELIMITER_CANDIDATES {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .quote(quote)
            .flexible(true)
            .has_headers(false)
            .from_reader(sample);
        let mut field_counts: Vec<usize> = Vec::new();
        let mut record = csv::ByteRecord::new();
        while field_counts.len() < SNIFF_RECORDS && matches!(reader.read_byte_record(&mut record), Ok(true)) {
            field_counts.push(record.len());
        }
        let Some(mode) = most_common(&field_counts).filter(|m| *m > 1) else {
            continue;
        };
        let agreeing = field_counts.iter().filter(|c| **c == mode).count();
        let score = (agreeing * 20 / field_counts.len().max(1), mode);
        if best.is_none_or(|(best_score, _)| score > best_score) {
            best = Some((score, delimiter));
        }
    }
    CsvDialect {
        delimiter: char::from(best.map_or(b',', |(_, d)| d)),
        quote: char::from(quote),
    }
}

fn most_common(values: &[usize]) -> Option<usize> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted
        .chunk_by(|a, b| a == b)
        .max_by_key(|run| (run.len(), run[0]))
        .map(|run| run[0])
}

/// `'` is the quote only when a file uses it next to delimiters and never uses `"`.
fn sniff_quote(sample: &[u8]) -> u8 {
    let next_to_delimiter = |quote: u8| {
        sample
            .windows(2)
            .filter(|w| {
                (w[0] == quote && DELIMITER_CANDIDATES.contains(&w[1]))
                    || (w[1] == quote && DELIMITER_CANDIDATES.contains(&w[0]))
            })
            .count()
    };
    if !sample.contains(&b'"') && next_to_delimiter(b'\'') > 0 {
        b'\''
    } else {
        b'"'
    }
}

/// A delimited file with its encoding and dialect decided.
#[derive(Debug, Clone)]
pub struct DelimitedFile {
    path: PathBuf,
    encoding: &'static Encoding,
    /// Where the first record starts (after a byte-order mark).
    body_offset: u64,
    dialect: CsvDialect,
}

/// One record handed to a row visitor.
pub struct RecordEvent<'a> {
    /// 0-based record number in the file (blank lines are not records).
    pub row: usize,
    /// Byte offset of the record's start; can be passed back to [`DelimitedFile::scan`].
    pub offset: u64,
    pub cells: &'a RowText,
    /// The record's fields as read from the file, concatenated (not decoded).
    pub raw: &'a [u8],
    /// The record holds bytes that are not valid in the file's encoding.
    pub undecodable: bool,
}

/// Where a scan starts: a record number and its byte offset (from an earlier [`RecordEvent`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecordPosition {
    pub row: usize,
    pub offset: u64,
}

impl DelimitedFile {
    pub fn new(path: &Path, encoding: &'static Encoding, bom_length: usize, dialect: CsvDialect) -> Self {
        Self {
            path: path.to_path_buf(),
            encoding,
            body_offset: bom_length as u64,
            dialect,
        }
    }

    pub fn encoding(&self) -> &'static Encoding {
        self.encoding
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The quote character as the byte the parser looks for.
    pub fn quote_byte(&self) -> u8 {
        u8::try_from(self.dialect.quote).unwrap_or(b'"')
    }

    /// Byte offsets can be used to jump into the file unless it is transcoded from UTF-16 while read.
    pub fn supports_seeking(&self) -> bool {
        !self.is_utf16()
    }

    fn is_utf16(&self) -> bool {
        self.encoding == encoding_rs::UTF_16LE || self.encoding == encoding_rs::UTF_16BE
    }

    pub fn start(&self) -> RecordPosition {
        RecordPosition {
            row: 0,
            offset: self.body_offset,
        }
    }

    fn open_reader(
        &self,
        from: RecordPosition,
        record_start: Rc<Cell<u64>>,
    ) -> Result<csv::Reader<RecordLengthGuard<Box<dyn Read>>>, PreviewError> {
        let mut file = File::open(&self.path)?;
        let source: Box<dyn Read> = if self.is_utf16() {
            Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(self.encoding))
                    .build(BufReader::with_capacity(256 * 1024, file)),
            )
        } else {
            file.seek(SeekFrom::Start(from.offset))?;
            Box::new(file)
        };
        let delimiter = u8::try_from(self.dialect.delimiter).unwrap_or(b',');
        let quote = self.quote_byte();
        Ok(csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .quote(quote)
            .flexible(true)
            .has_headers(false)
            .buffer_capacity(256 * 1024)
            .from_reader(RecordLengthGuard {
                inner: source,
                consumed: 0,
                record_start,
            }))
    }

    /// Streams records from `from` on; `visit` returns `false` to stop. Stops with
    /// [`PreviewError::TooManyColumns`] on a record wider than [`MAX_COLUMNS`].
    pub fn scan(
        &self,
        from: RecordPosition,
        visit: &mut dyn FnMut(RecordEvent<'_>) -> Result<bool, PreviewError>,
    ) -> Result<(), PreviewError> {
        let record_start = Rc::new(Cell::new(0));
        let mut reader = self.open_reader(from, Rc::clone(&record_start))?;
        let transcoded = self.is_utf16();
        let field_encoding = if transcoded { UTF_8 } else { self.encoding };
        let base_offset = if transcoded { 0 } else { from.offset };
        let mut record = csv::ByteRecord::new();
        let mut cells = RowText::default();
        let mut row = if transcoded { 0 } else { from.row };
        let skip_until = if transcoded { from.row } else { 0 };
        loop {
            record_start.set(reader.position().byte());
            let offset = base_offset + reader.position().byte();
            match reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => return Ok(()),
                Err(err) => return Err(csv_error(err)),
            }
            if record.len() > MAX_COLUMNS {
                return Err(PreviewError::TooManyColumns { limit: MAX_COLUMNS });
            }
            if row < skip_until {
                row += 1;
                continue;
            }
            let undecodable = decode_record(&record, field_encoding, &mut cells) && !transcoded;
            if !visit(RecordEvent {
                row,
                offset,
                cells: &cells,
                raw: record.as_slice(),
                undecodable,
            })? {
                return Ok(());
            }
            row += 1;
        }
    }
}

fn csv_error(err: csv::Error) -> PreviewError {
    match err.into_kind() {
        csv::ErrorKind::Io(io) if io.get_ref().is_some_and(|inner| inner.is::<RecordTooLong>()) => {
            PreviewError::RecordTooLong {
                limit_mb: MAX_RECORD_BYTES / (1024 * 1024),
            }
        }
        csv::ErrorKind::Io(io) => PreviewError::Io(io),
        other => PreviewError::Corrupt(format!("{other:?}")),
    }
}

/// Decodes every field into `cells`; true when some bytes did not decode (they become U+FFFD).
fn decode_record(record: &csv::ByteRecord, encoding: &'static Encoding, cells: &mut RowText) -> bool {
    cells.clear();
    if encoding == UTF_8 {
        // The common case in one step: the fields are stored back to back, valid as a whole, and no field
        // ends inside a character.
        if let Ok(text) = simdutf8::basic::from_utf8(record.as_slice()) {
            let ends = || (0..record.len()).filter_map(|i| record.range(i)).map(|range| range.end);
            if ends().all(|end| text.is_char_boundary(end)) {
                cells.push_joined(text, ends());
                return false;
            }
        }
    }
    let mut had_errors = false;
    for field in record {
        if encoding == UTF_8 || field.is_ascii() {
            match simdutf8::basic::from_utf8(field) {
                Ok(text) => cells.push(text),
                Err(_) => {
                    had_errors = true;
                    cells.push(&String::from_utf8_lossy(field));
                }
            }
        } else {
            cells.push_with(|text| {
                let mut decoder = encoding.new_decoder_without_bom_handling();
                text.reserve(decoder.max_utf8_buffer_length(field.len()).unwrap_or(field.len() * 3));
                let (_, _, replaced) = decoder.decode_to_string(field, text, true);
                had_errors |= replaced;
            });
        }
    }
    had_errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_common_delimiters() {
        assert_eq!(sniff_dialect(b"a,b,c\n1,2,3\n4,5,6\n").delimiter, ',');
        assert_eq!(sniff_dialect(b"a;b;c\n1,5;2;3\n4;5;6\n").delimiter, ';');
        assert_eq!(sniff_dialect(b"a\tb\tc\n1\t2,5\t3\n").delimiter, '\t');
        assert_eq!(sniff_dialect(b"a|b|c\n1|2|3\n").delimiter, '|');
        assert_eq!(sniff_dialect(b"only\none\ncolumn\n").delimiter, ',');
    }

    #[test]
    fn title_rows_and_quoted_commas_do_not_fool_the_sniffer() {
        let sample = "Title,,\nSub,,\nno,amount,name\n1,\" 2,000,000 \",x; y\n2,\"1,000\",z\n".as_bytes();
        assert_eq!(
            sniff_dialect(sample),
            CsvDialect {
                delimiter: ',',
                quote: '"'
            }
        );
    }

    #[test]
    fn bytes_that_do_not_decode_are_flagged_and_replaced() {
        let mut cells = RowText::default();
        let mut thai = csv::ByteRecord::new();
        thai.push_field(&encoding_rs::WINDOWS_874.encode("ทุนจดทะเบียน").0);
        thai.push_field(b"12");
        assert!(!decode_record(&thai, encoding_rs::WINDOWS_874, &mut cells));
        assert_eq!(cells.to_vec(), ["ทุนจดทะเบียน", "12"]);
        thai.push_field(&[0xDB]);
        assert!(decode_record(&thai, encoding_rs::WINDOWS_874, &mut cells));
        assert_eq!(cells.get(2), "\u{FFFD}");
        let mut utf8 = csv::ByteRecord::new();
        utf8.push_field("ก".as_bytes());
        assert!(!decode_record(&utf8, UTF_8, &mut cells));
        utf8.push_field(&[0xE0, 0xB8]);
        assert!(decode_record(&utf8, UTF_8, &mut cells));
        assert_eq!(cells.to_vec(), ["ก", "\u{FFFD}"]);
        let mut split_character = csv::ByteRecord::new();
        split_character.push_field(&[0xE0, 0xB8]);
        split_character.push_field(&[0x81]);
        assert!(
            decode_record(&split_character, UTF_8, &mut cells),
            "valid only when the fields are joined: still undecodable"
        );
        assert_eq!(cells.len(), 2);
    }

    #[test]
    fn sniffs_single_quotes() {
        assert_eq!(sniff_dialect(b"'a;b';c\n'1;2';3\n").quote, '\'');
        assert_eq!(sniff_dialect(b"'a;b';c\n'1;2';3\n").delimiter, ';');
    }
}
