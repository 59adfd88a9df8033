//! The data rows of a workbook (or a UTF-16 text file), copied once during the row-index pass into an
//! anonymous temporary file that the OS deletes when it is closed. Compressed XML cannot be entered in
//! the middle, so this is what makes later windows of a large XLSX instant: a window is one seek and a
//! short read. Memory holds only one offset per [`SPILL_STEP`] rows.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use crate::row::RowText;
use crate::source::DataRow;
use crate::PreviewError;

/// One offset is kept for every this many data rows.
pub const SPILL_STEP: usize = 512;

/// Writes data rows: `u64` source row, `u32` cell count, then each cell as `u32` length + UTF-8 bytes.
pub struct SpillWriter {
    writer: BufWriter<File>,
    written: u64,
    rows: usize,
    checkpoints: Vec<u64>,
}

/// A finished spill file, read by windows.
pub struct SpillFile {
    file: File,
    checkpoints: Vec<u64>,
    rows: usize,
}

impl SpillWriter {
    pub fn new() -> Result<Self, PreviewError> {
        Ok(Self {
            writer: BufWriter::with_capacity(256 * 1024, tempfile::tempfile()?),
            written: 0,
            rows: 0,
            checkpoints: Vec::new(),
        })
    }

    pub fn push(&mut self, source_row: usize, cells: &RowText, width: usize) -> Result<(), PreviewError> {
        if self.rows.is_multiple_of(SPILL_STEP) {
            self.checkpoints.push(self.written);
        }
        self.rows += 1;
        self.writer.write_all(&(source_row as u64).to_le_bytes())?;
        self.writer.write_all(&(width as u32).to_le_bytes())?;
        self.written += 12;
        for index in 0..width {
            let cell = cells.get(index).as_bytes();
            let length =
                u32::try_from(cell.len()).map_err(|_| PreviewError::Corrupt("cell longer than 4 GiB".into()))?;
            self.writer.write_all(&length.to_le_bytes())?;
            self.writer.write_all(cell)?;
            self.written += 4 + u64::from(length);
        }
        Ok(())
    }

    pub fn finish(self) -> Result<SpillFile, PreviewError> {
        let file = self.writer.into_inner().map_err(|e| PreviewError::Io(e.into_error()))?;
        Ok(SpillFile {
            file,
            checkpoints: self.checkpoints,
            rows: self.rows,
        })
    }
}

fn read_u32(reader: &mut impl Read) -> Result<u32, PreviewError> {
    let mut bytes = [0u8; 4];
    reader.read_exact(&mut bytes)?;
    Ok(u32::from_le_bytes(bytes))
}

impl SpillFile {
    /// Data rows `first..first + count` (fewer at the end).
    pub fn window(&self, first: usize, count: usize) -> Result<Vec<DataRow>, PreviewError> {
        let Some(&offset) = self.checkpoints.get(first / SPILL_STEP) else {
            return Ok(Vec::new());
        };
        let mut file = self.file.try_clone()?;
        file.seek(SeekFrom::Start(offset))?;
        let mut reader = BufReader::with_capacity(64 * 1024, file);
        let last = (first + count).min(self.rows);
        let mut rows = Vec::with_capacity(last.saturating_sub(first));
        for index in (first / SPILL_STEP) * SPILL_STEP..last {
            let mut source_row = [0u8; 8];
            reader.read_exact(&mut source_row)?;
            let width = read_u32(&mut reader)? as usize;
            let keep = index >= first;
            let mut cells = Vec::with_capacity(if keep { width } else { 0 });
            for _ in 0..width {
                let length = read_u32(&mut reader)? as usize;
                if keep {
                    let mut bytes = vec![0u8; length];
                    reader.read_exact(&mut bytes)?;
                    cells.push(String::from_utf8_lossy(&bytes).into_owned());
                } else {
                    reader.seek_relative(length as i64)?;
                }
            }
            if keep {
                rows.push(DataRow {
                    source_row: u64::from_le_bytes(source_row) as usize,
                    cells,
                });
            }
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_come_back_as_written() {
        let mut writer = SpillWriter::new().expect("temp file");
        let mut row = RowText::default();
        for i in 0..2000 {
            row.clear();
            row.push(&i.to_string());
            row.push("ข้อมูล");
            writer.push(i + 3, &row, 2).expect("write");
        }
        let spill = writer.finish().expect("finish");
        let window = spill.window(1500, 3).expect("window");
        assert_eq!(
            window[0],
            DataRow {
                source_row: 1503,
                cells: vec!["1500".into(), "ข้อมูล".into()]
            }
        );
        assert_eq!(window.len(), 3);
        assert_eq!(spill.window(1999, 10).expect("tail").len(), 1);
        assert!(spill.window(5000, 10).expect("past the end").is_empty());
    }
}
