//! One physical row of a sheet or delimited file as decoded text, in a reusable buffer (one string plus
//! field boundaries), so whole-file passes do not allocate per cell. Public because a
//! [`crate::RowSink`] reads the data rows of the profile's pass in this form.

/// The cells of one row. Reused from row to row by the readers.
#[derive(Debug, Default, Clone)]
pub struct RowText {
    text: String,
    ends: Vec<usize>,
}

impl RowText {
    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    /// Appends the next cell.
    pub fn push(&mut self, cell: &str) {
        self.text.push_str(cell);
        self.ends.push(self.text.len());
    }

    /// Gives the internal buffer to a writer that appends the next cell's text, then closes the cell.
    pub fn push_with(&mut self, write: impl FnOnce(&mut String)) {
        write(&mut self.text);
        self.ends.push(self.text.len());
    }

    /// Appends several cells at once: `text` holds them back to back, `ends` is where each one ends in it.
    pub fn push_joined(&mut self, text: &str, ends: impl Iterator<Item = usize>) {
        let base = self.text.len();
        self.text.push_str(text);
        self.ends.extend(ends.map(|end| base + end));
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when the row has no cells at all (a blank row may still have empty cells).
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The cell at `index`, or "" past the end of the row.
    pub fn get(&self, index: usize) -> &str {
        let Some(&end) = self.ends.get(index) else { return "" };
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        &self.text[start..end]
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.ends.len()).map(|i| self.get(i))
    }

    /// True when every cell is blank.
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_round_trip() {
        let mut row = RowText::default();
        row.push("a");
        row.push("");
        row.push_with(|s| s.push_str("ก ข"));
        row.push_joined("คx", [3, 4].into_iter());
        assert_eq!(row.to_vec(), ["a", "", "ก ข", "ค", "x"]);
        assert_eq!(row.get(9), "");
        row.clear();
        assert!(row.is_blank() && row.is_empty());
    }
}
