//! Text-encoding detection for delimited files: byte-order marks (UTF-8, UTF-16LE/BE), BOM-less UTF-16,
//! then chardetng fed chunk by chunk (Thai hint, so TIS-620/Windows-874 wins over Western guesses), plus
//! the cheap per-row check that finds rows whose bytes do not decode in the chosen encoding.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use serde::{Deserialize, Serialize};

use crate::PreviewError;

/// How the encoding in an [`EncodingReport`] was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum EncodingSource {
    ByteOrderMark,
    /// Guessed from the bytes (chardetng, or the zero-byte pattern of UTF-16).
    Detected,
    /// Only ASCII bytes were seen, which read the same in UTF-8 and Windows-874.
    AsciiOnly,
    /// Chosen by the user.
    Override,
}

/// The encoding a delimited file is read with, and how sure we are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct EncodingReport {
    /// WHATWG name, e.g. `UTF-8`, `windows-874`, `UTF-16LE`.
    pub encoding: String,
    pub source: EncodingSource,
    /// Length of the byte-order mark that is skipped (0 if none).
    pub bom_length: usize,
    /// How many bytes the guess is based on.
    pub examined_bytes: u64,
    /// True once the whole file has been examined (after a full pass such as the row index or profile).
    pub whole_file: bool,
}

/// Looks up an encoding by any WHATWG label (`tis-620`, `windows-874`, `utf-8`, `utf-16le`, ...).
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding, PreviewError> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| PreviewError::UnknownEncoding(label.to_string()))
}

/// The encoding announced by a byte-order mark at the start of `head`, with the mark's length.
pub fn encoding_from_bom(head: &[u8]) -> Option<(&'static Encoding, usize)> {
    Encoding::for_bom(head)
}

/// BOM-less UTF-16 shows as a zero in every other byte of mostly-ASCII text.
fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let sample = &head[..head.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zero_odd = sample.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let zero_even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    if zero_odd * 10 >= pairs * 7 && zero_even * 10 < pairs {
        Some(UTF_16LE)
    } else if zero_even * 10 >= pairs * 7 && zero_odd * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// chardetng fed incrementally, remembering whether any non-ASCII byte was seen.
pub struct StreamingDetector {
    detector: EncodingDetector,
    non_ascii_seen: bool,
    examined_bytes: u64,
}

impl Default for StreamingDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl StreamingDetector {
    pub fn new() -> Self {
        Self {
            detector: EncodingDetector::new(Iso2022JpDetection::Deny),
            non_ascii_seen: false,
            examined_bytes: 0,
        }
    }

    pub fn feed(&mut self, chunk: &[u8], last: bool) {
        self.non_ascii_seen |= self.detector.feed(chunk, last);
        self.examined_bytes += chunk.len() as u64;
    }

    /// The best guess so far: UTF-8 for pure ASCII, else chardetng's guess with the Thai hint.
    pub fn report(&self, whole_file: bool) -> (&'static Encoding, EncodingReport) {
        let (encoding, source) = if self.non_ascii_seen {
            (
                self.detector.guess(Some(b"th"), Utf8Detection::Allow),
                EncodingSource::Detected,
            )
        } else {
            (UTF_8, EncodingSource::AsciiOnly)
        };
        let report = EncodingReport {
            encoding: encoding.name().to_string(),
            source,
            bom_length: 0,
            examined_bytes: self.examined_bytes,
            whole_file,
        };
        (encoding, report)
    }
}

const CHUNK_BYTES: usize = 256 * 1024;

/// Detects the encoding of a stream, reading at most `limit` bytes (`None`: the whole stream) in chunks.
/// `on_bytes` gets the running byte count; `cancel` stops the scan with [`PreviewError::Cancelled`].
pub fn detect_encoding(
    reader: impl Read,
    limit: Option<u64>,
    on_bytes: &mut dyn FnMut(u64),
    cancel: &AtomicBool,
) -> Result<(&'static Encoding, EncodingReport), PreviewError> {
    let limit = limit.unwrap_or(u64::MAX);
    let mut reader = reader.take(limit);
    let mut buffer = vec![0u8; CHUNK_BYTES];
    let mut filled = 0usize;
    let mut at_end = false;
    while filled < buffer.len() && !at_end {
        let read = reader.read(&mut buffer[filled..])?;
        at_end = read == 0;
        filled += read;
    }
    let head = &buffer[..filled];
    if let Some((encoding, bom_length)) = encoding_from_bom(head) {
        let report = EncodingReport {
            encoding: encoding.name().to_string(),
            source: EncodingSource::ByteOrderMark,
            bom_length,
            examined_bytes: bom_length as u64,
            whole_file: true,
        };
        return Ok((encoding, report));
    }
    if let Some(encoding) = utf16_without_bom(head) {
        let report = EncodingReport {
            encoding: encoding.name().to_string(),
            source: EncodingSource::Detected,
            bom_length: 0,
            examined_bytes: filled as u64,
            whole_file: false,
        };
        return Ok((encoding, report));
    }
    let mut detector = StreamingDetector::new();
    let mut utf8 = Utf8Validator::default();
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(PreviewError::Cancelled);
        }
        let chunk = &buffer[..filled];
        // chardetng is slow (tens of MB/s); valid UTF-8 needs no guessing, so it only sees the bytes
        // from the first chunk that is not UTF-8 on.
        // A character cut in two by the byte limit is not an encoding error; only the file's real end is.
        let cut_by_limit = at_end && utf8.examined_bytes + chunk.len() as u64 >= limit;
        if !utf8.accept(chunk, at_end && !cut_by_limit) {
            detector.feed(chunk, at_end);
        }
        detector.examined_bytes = utf8.examined_bytes;
        on_bytes(utf8.examined_bytes);
        if at_end {
            let whole_file = utf8.examined_bytes < limit;
            return Ok(if utf8.valid {
                let source = if utf8.non_ascii {
                    EncodingSource::Detected
                } else {
                    EncodingSource::AsciiOnly
                };
                let report = EncodingReport {
                    encoding: UTF_8.name().to_string(),
                    source,
                    bom_length: 0,
                    examined_bytes: utf8.examined_bytes,
                    whole_file,
                };
                (UTF_8, report)
            } else {
                detector.report(whole_file)
            });
        }
        filled = reader.read(&mut buffer)?;
        at_end = filled == 0;
    }
}

/// Checks, chunk by chunk, that a stream is valid UTF-8 (a character may straddle two chunks).
#[derive(Debug)]
struct Utf8Validator {
    valid: bool,
    non_ascii: bool,
    carry: Vec<u8>,
    examined_bytes: u64,
}

impl Default for Utf8Validator {
    fn default() -> Self {
        Self {
            valid: true,
            non_ascii: false,
            carry: Vec::new(),
            examined_bytes: 0,
        }
    }
}

impl Utf8Validator {
    /// Takes the next chunk; returns whether everything so far is valid UTF-8.
    fn accept(&mut self, chunk: &[u8], last: bool) -> bool {
        self.examined_bytes += chunk.len() as u64;
        if !self.valid {
            return false;
        }
        let mut joined;
        let bytes = if self.carry.is_empty() {
            chunk
        } else {
            joined = std::mem::take(&mut self.carry);
            joined.extend_from_slice(chunk);
            &joined[..]
        };
        self.non_ascii |= !bytes.is_ascii();
        match std::str::from_utf8(bytes) {
            Ok(_) => {}
            Err(err) if err.error_len().is_none() && !last => self.carry = bytes[err.valid_up_to()..].to_vec(),
            Err(_) => self.valid = false,
        }
        self.valid
    }
}

/// The encoding check that rides along a full pass over a delimited file (row index or profile), at
/// almost no cost: it tracks whether the whole file is valid UTF-8 and feeds chardetng only the rows
/// that do not decode in the encoding in use.
pub struct WholeFileCheck {
    current: &'static Encoding,
    valid_utf8: bool,
    non_ascii: bool,
    failing_rows: StreamingDetector,
    examined_bytes: u64,
}

/// At most this many bytes of failing rows go to chardetng.
const FAILING_ROW_SAMPLE_BYTES: u64 = 4 * 1024 * 1024;

impl WholeFileCheck {
    pub fn new(current: &'static Encoding) -> Self {
        Self {
            current,
            valid_utf8: true,
            non_ascii: false,
            failing_rows: StreamingDetector::new(),
            examined_bytes: 0,
        }
    }

    /// One record's raw bytes, and whether they failed to decode in the current encoding.
    pub fn feed_row(&mut self, raw: &[u8], undecodable: bool) {
        self.examined_bytes += raw.len() as u64;
        if raw.is_ascii() {
            return;
        }
        self.non_ascii = true;
        // Read as UTF-8 the row has just been validated: `undecodable` says it.
        let invalid_utf8 = if self.current == UTF_8 {
            undecodable
        } else {
            self.valid_utf8 && simdutf8::basic::from_utf8(raw).is_err()
        };
        if invalid_utf8 {
            self.valid_utf8 = false;
        }
        if undecodable && self.failing_rows.examined_bytes < FAILING_ROW_SAMPLE_BYTES {
            self.failing_rows.feed(raw, false);
        }
    }

    /// Folds in the check of the rows that follow; the failing-row sample is the earlier one when it has
    /// any.
    pub fn merge(&mut self, later: WholeFileCheck) {
        self.examined_bytes += later.examined_bytes;
        self.non_ascii |= later.non_ascii;
        self.valid_utf8 &= later.valid_utf8;
        if !self.failing_rows.non_ascii_seen {
            self.failing_rows = later.failing_rows;
        }
    }

    /// The encoding the whole file supports: the current one if it fits, UTF-8 if the whole file is
    /// UTF-8, else chardetng's guess from the rows that failed.
    pub fn finish(mut self) -> EncodingReport {
        let encoding = if self.non_ascii && self.valid_utf8 {
            UTF_8
        } else if self.failing_rows.non_ascii_seen {
            self.failing_rows.feed(&[], true);
            self.failing_rows.report(true).0
        } else {
            self.current
        };
        EncodingReport {
            encoding: encoding.name().to_string(),
            source: if self.non_ascii {
                EncodingSource::Detected
            } else {
                EncodingSource::AsciiOnly
            },
            bom_length: 0,
            examined_bytes: self.examined_bytes,
            whole_file: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect(bytes: &[u8]) -> EncodingReport {
        detect_encoding(bytes, None, &mut |_| {}, &AtomicBool::new(false))
            .expect("detection")
            .1
    }

    #[test]
    fn boms_win() {
        let report = detect(b"\xEF\xBB\xBFa,b\n");
        assert_eq!((report.encoding.as_str(), report.bom_length), ("UTF-8", 3));
        assert_eq!(report.source, EncodingSource::ByteOrderMark);
        assert_eq!(detect(b"\xFF\xFEa\0,\0b\0").encoding, "UTF-16LE");
        assert_eq!(detect(b"\xFE\xFF\0a\0,\0b").encoding, "UTF-16BE");
    }

    #[test]
    fn utf16_without_bom_from_zero_bytes() {
        let utf16le: Vec<u8> = "id,name\n1,x\n2,y\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(detect(&utf16le).encoding, "UTF-16LE");
        let utf16be: Vec<u8> = "id,name\n1,x\n2,y\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(detect(&utf16be).encoding, "UTF-16BE");
    }

    #[test]
    fn thai_legacy_bytes_are_windows_874() {
        let (bytes, _, _) = encoding_rs::WINDOWS_874.encode("จังหวัด,อำเภอ,ตำบล\nกรุงเทพมหานคร,พระนคร,พระบรมมหาราชวัง\n");
        let report = detect(&bytes);
        assert_eq!(report.encoding, "windows-874");
        assert!(report.whole_file);
    }

    #[test]
    fn utf8_split_across_chunks_is_still_utf8() {
        let text = "ก".repeat(CHUNK_BYTES);
        let report = detect(text.as_bytes());
        assert_eq!(
            (report.encoding.as_str(), report.source),
            ("UTF-8", EncodingSource::Detected)
        );
    }

    #[test]
    fn whole_file_check_confirms_or_corrects() {
        let thai_874 = encoding_rs::WINDOWS_874.encode("สวัสดี").0.into_owned();
        let mut check = WholeFileCheck::new(encoding_rs::WINDOWS_874);
        check.feed_row(&thai_874, false);
        assert_eq!(check.finish().encoding, "windows-874");
        let mut check = WholeFileCheck::new(encoding_rs::WINDOWS_874);
        check.feed_row("สวัสดี".as_bytes(), false);
        assert_eq!(
            check.finish().encoding,
            "UTF-8",
            "a whole file of valid UTF-8 Thai is UTF-8"
        );
        let mut check = WholeFileCheck::new(UTF_8);
        check.feed_row(b"abc", false);
        let long_thai = encoding_rs::WINDOWS_874
            .encode(&"จังหวัดเชียงใหม่ อำเภอเมือง ".repeat(20))
            .0
            .into_owned();
        check.feed_row(&long_thai, true);
        assert_eq!(
            check.finish().encoding,
            "windows-874",
            "guessed from the rows that failed as UTF-8"
        );
    }

    #[test]
    fn thai_utf8_and_ascii() {
        assert_eq!(detect("จังหวัด,ปี\nเชียงใหม่,2567\n".as_bytes()).encoding, "UTF-8");
        let ascii = detect(b"a,b\n1,2\n");
        assert_eq!(
            (ascii.encoding.as_str(), ascii.source),
            ("UTF-8", EncodingSource::AsciiOnly)
        );
    }

    #[test]
    fn a_limit_reads_only_a_prefix() {
        let mut text = "a,b\n".repeat(100_000).into_bytes();
        text.extend_from_slice("ก,ข\n".as_bytes());
        let (_, report) =
            detect_encoding(&text[..], Some(1000), &mut |_| {}, &AtomicBool::new(false)).expect("detection");
        assert!(!report.whole_file);
        assert_eq!(report.examined_bytes, 1000);
    }

    #[test]
    fn labels_resolve() {
        assert_eq!(encoding_for_label("tis-620").expect("known").name(), "windows-874");
        assert!(matches!(
            encoding_for_label("klingon"),
            Err(PreviewError::UnknownEncoding(_))
        ));
    }
}
