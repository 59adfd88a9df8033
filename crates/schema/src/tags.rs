//! Tags as thai_gdc's `tag_string_convert` reads them: a list or a comma-separated string, each
//! tag 2–100 characters of letters (Thai included), digits, spaces and `-_.`.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

/// CKAN `MIN_TAG_LENGTH` / `MAX_TAG_LENGTH`.
const MIN_TAG_LENGTH: usize = 2;
const MAX_TAG_LENGTH: usize = 100;

/// thai_gdc's `tag_name_validator` pattern: `[ก-๙\w \-.]*` (Python's `\w` is Unicode-aware, as is Rust's).
static TAG_CHARS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[ก-๙\w \-.]*$").expect("the tag pattern compiles"));

/// What is wrong with one tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagProblem {
    Length,
    Characters,
}

/// The tags of a stored value: a JSON list of strings, or one comma-separated string. Blank tags are
/// skipped, each tag is trimmed, order is kept.
pub fn parse_tags(value: &Value) -> Vec<String> {
    let parts: Vec<&str> = match value {
        Value::String(s) => s.split(',').collect(),
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    parts
        .into_iter()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Checks one tag the way the ADC does.
pub fn check_tag(tag: &str) -> Result<(), TagProblem> {
    let length = tag.chars().count();
    if !(MIN_TAG_LENGTH..=MAX_TAG_LENGTH).contains(&length) {
        return Err(TagProblem::Length);
    }
    if !TAG_CHARS.is_match(tag) {
        return Err(TagProblem::Characters);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_a_comma_string_and_a_list_alike() {
        assert_eq!(parse_tags(&json!("สถิติ, ประชากร ,,")), vec!["สถิติ", "ประชากร"]);
        assert_eq!(
            parse_tags(&json!(["สถิติ", " ", "health data"])),
            vec!["สถิติ", "health data"]
        );
        assert!(parse_tags(&Value::Null).is_empty());
    }

    #[test]
    fn accepts_thai_with_tone_marks_and_the_allowed_symbols() {
        for tag in ["ผู้ป่วย", "เบาหวาน", "covid-19", "data_set v1.2", "๒๕๖๗"] {
            assert_eq!(check_tag(tag), Ok(()), "{tag}");
        }
    }

    #[test]
    fn rejects_other_symbols_and_bad_lengths() {
        assert_eq!(check_tag("a/b"), Err(TagProblem::Characters));
        assert_eq!(check_tag("ภาษี#"), Err(TagProblem::Characters));
        assert_eq!(check_tag("x"), Err(TagProblem::Length));
        assert_eq!(check_tag(&"ก".repeat(101)), Err(TagProblem::Length));
        assert_eq!(check_tag(&"ก".repeat(100)), Ok(()));
    }
}
