//! The dataset URL slug (`name`): thai_gdc's rule (`^[a-z0-9_-]{2,70}$`, not `new`/`edit`/`search`) and
//! a suggestion for a new draft. No maintained Thai romanization crate was found good enough for public
//! URLs, so a Thai title gets a short stable id from the draft's UUID (`ds-3f9a1c2b`); a Latin title is
//! slugified. The suggestion is never empty and always passes [`check_slug`].

/// thai_gdc `package_name_validator`: 2 to 70 characters.
const MIN_LENGTH: usize = 2;
const MAX_LENGTH: usize = 70;
/// CKAN `name_validator` refuses these (they are routes).
const RESERVED: [&str; 3] = ["new", "edit", "search"];
/// Prefix of the id-based suggestion.
const ID_PREFIX: &str = "ds-";
const ID_HEX_LENGTH: usize = 8;

/// What is wrong with a slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugProblem {
    Length,
    Characters,
    Reserved,
}

/// Checks a slug the way the ADC does.
pub fn check_slug(slug: &str) -> Result<(), SlugProblem> {
    if !slug
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        return Err(SlugProblem::Characters);
    }
    if !(MIN_LENGTH..=MAX_LENGTH).contains(&slug.len()) {
        return Err(SlugProblem::Length);
    }
    if RESERVED.contains(&slug) {
        return Err(SlugProblem::Reserved);
    }
    Ok(())
}

/// A valid slug for a draft: the title's Latin words joined by `-` when the title has no Thai letters and
/// they make a valid slug, else `ds-` and 8 hex digits taken from `draft_id` (hashed when it has fewer).
pub fn suggest_slug(title: &str, draft_id: &str) -> String {
    let has_thai = title.chars().any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c));
    if !has_thai {
        let words: Vec<String> = title
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        let mut slug = String::new();
        for word in words {
            let extra = if slug.is_empty() { word.len() } else { word.len() + 1 };
            if slug.len() + extra > MAX_LENGTH {
                break;
            }
            if !slug.is_empty() {
                slug.push('-');
            }
            slug.push_str(&word);
        }
        if check_slug(&slug).is_ok() {
            return slug;
        }
    }
    format!("{ID_PREFIX}{}", id_hex(draft_id))
}

fn id_hex(draft_id: &str) -> String {
    let hex: String = draft_id
        .chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_lowercase())
        .take(ID_HEX_LENGTH)
        .collect();
    if hex.len() == ID_HEX_LENGTH {
        return hex;
    }
    // FNV-1a (32 bit): stable across runs and platforms, unlike std's hasher.
    let hash = draft_id
        .bytes()
        .fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    format!("{hash:08x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_rule() {
        assert_eq!(check_slug("ab"), Ok(()));
        assert_eq!(check_slug("pop_2567-v2"), Ok(()));
        assert_eq!(check_slug(&"a".repeat(70)), Ok(()));
        assert_eq!(check_slug(&"a".repeat(71)), Err(SlugProblem::Length));
        assert_eq!(check_slug("a"), Err(SlugProblem::Length));
        assert_eq!(check_slug("Pop"), Err(SlugProblem::Characters));
        assert_eq!(check_slug("ข้อมูล"), Err(SlugProblem::Characters));
        assert_eq!(check_slug("a b"), Err(SlugProblem::Characters));
        assert_eq!(check_slug("new"), Err(SlugProblem::Reserved));
        assert_eq!(check_slug("search"), Err(SlugProblem::Reserved));
    }

    #[test]
    fn thai_title_gets_a_stable_id_from_the_uuid() {
        let id = "3f9a1c2b-7d4e-4c1a-9b2f-0e1d2c3b4a59";
        assert_eq!(suggest_slug("สถิติประชากรรายจังหวัด", id), "ds-3f9a1c2b");
        assert_eq!(suggest_slug("สถิติ COVID-19", id), "ds-3f9a1c2b");
    }

    #[test]
    fn latin_title_is_slugified() {
        assert_eq!(
            suggest_slug("Population by Province 2024", "x"),
            "population-by-province-2024"
        );
        let long = "word ".repeat(30);
        let slug = suggest_slug(&long, "x");
        assert!(slug.len() <= 70 && check_slug(&slug).is_ok(), "{slug}");
    }

    #[test]
    fn never_empty_and_always_valid() {
        for (title, id) in [("", ""), ("new", "zz"), ("!!!", "not-a-uuid"), ("ก", "12")] {
            let slug = suggest_slug(title, id);
            assert_eq!(check_slug(&slug), Ok(()), "{title:?} {id:?} -> {slug}");
        }
        assert_eq!(suggest_slug("", "zz"), suggest_slug("", "zz"));
        assert_ne!(suggest_slug("", "draft-a"), suggest_slug("", "draft-b"));
    }
}
