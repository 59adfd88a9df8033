//! Pure per-value detectors: what one cell's text looks like (a Thai citizen ID with a valid check
//! digit, a juristic-person ID, a phone number, an e-mail address, a person's name with a title, a
//! company name, a house address, a bank account number, a coordinate). No state and no allocation
//! for the common cases: the scanner calls these once per cell of the whole file.

/// Titles written before a person's name, longest first so that นางสาว wins over นาง. Thai titles are
/// often written without a space before the name; Latin ones need a space or a dot after them.
const PERSON_TITLES: &str = "เด็กหญิง เด็กชาย นางสาว พล.ต.อ. พล.ต.ท. พล.ต.ต. ว่าที่ร.ต. จ.ส.ต. ส.ต.อ. ส.ต.ท. \
    ส.ต.ต. จ.ส.อ. ร.ต.อ. ร.ต.ท. ร.ต.ต. พ.ต.อ. พ.ต.ท. พ.ต.ต. นพ. พญ. ทพ. ทพญ. ผศ. รศ. ศ. ดร. ด.ต. ส.อ. \
    ร.อ. ร.ท. ร.ต. พ.อ. พ.ท. พ.ต. ด.ช. ด.ญ. น.ส. นาง นาย คุณ Mrs. Mrs Miss Ms. Ms Mr. Mr Dr. Dr";

/// Words that follow นาย or นาง in ordinary text and are not names (นายก, นายอำเภอ, นางพยาบาล, …):
/// the first word after the title may not start with one of these.
const NOT_NAME_STARTS: &str = "กเทศมนตรี กรัฐมนตรี กสมาคม อำเภอ ทะเบียน จ้าง หน้า ทหาร ตำรวจ สิบ ร้อย พล ช่าง \
    พยาบาล ประกัน ด่าน ท่า งาน ภาพ ค่า สมบัติ ธรรม";

/// The start or end of a company, partnership or other juristic person's name.
const COMPANY_PREFIXES: &str = "บจ. บจก. บมจ. หจ. หจก. บริษัท ห้างหุ้นส่วน มูลนิธิ สมาคม สหกรณ์ ห้าง";
const THAI_COMPANY_SUFFIX: &str = "จำกัด";
const COMPANY_PARTS: &str = "co.,ltd co.ltd ltd. limited company corporation inc.";

/// Words of a Thai postal address besides the house number, any two of which make an address.
const ADDRESS_MARKERS: &str = "หมู่ ม. ซอย ซ. ถนน ถ. ตำบล ต. แขวง อำเภอ อ. เขต จังหวัด จ. กรุงเทพ";

/// The words of each list above, split once (splitting Thai text on whitespace for every cell of a
/// large file cost more than the rest of the scan).
struct WordLists {
    person_titles: Vec<&'static str>,
    not_name_starts: Vec<&'static str>,
    company_prefixes: Vec<&'static str>,
    company_parts: Vec<&'static str>,
    address_markers: Vec<&'static str>,
}

static WORDS: std::sync::LazyLock<WordLists> = std::sync::LazyLock::new(|| WordLists {
    person_titles: PERSON_TITLES.split_whitespace().collect(),
    not_name_starts: NOT_NAME_STARTS.split_whitespace().collect(),
    company_prefixes: COMPANY_PREFIXES.split_whitespace().collect(),
    company_parts: COMPANY_PARTS.split_whitespace().collect(),
    address_markers: ADDRESS_MARKERS.split_whitespace().collect(),
});

/// Thailand's extent, with a small margin: latitude 5.6°–20.5° N, longitude 97.3°–105.7° E.
const THAI_LATITUDE: std::ops::RangeInclusive<f64> = 5.5..=20.5;
const THAI_LONGITUDE: std::ops::RangeInclusive<f64> = 97.3..=105.7;

fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '๐'..='๙' => Some((c as u32 - '๐' as u32) as u8),
        _ => None,
    }
}

/// The 13 digits of a value written as digits, optionally grouped with dashes or single spaces
/// (`1234567890123`, `1-2345-67890-12-3`, `1 2345 67890 12 3`); ASCII or Thai digits.
pub fn thirteen_digits(value: &str) -> Option<[u8; 13]> {
    let mut digits = [0u8; 13];
    let mut count = 0usize;
    let mut after_separator = true;
    for c in value.trim().chars() {
        if let Some(d) = digit_value(c) {
            *digits.get_mut(count)? = d;
            count += 1;
            after_separator = false;
        } else if (c == '-' || c == ' ') && !after_separator {
            after_separator = true;
        } else {
            return None;
        }
    }
    (count == 13 && !after_separator).then_some(digits)
}

/// The mod-11 check of a 13-digit Thai ID: weights 13 down to 2 on the first twelve digits, and the
/// last digit is (11 − sum mod 11) mod 10. Juristic-person and tax IDs use the same check.
pub fn check_digit_ok(digits: &[u8; 13]) -> bool {
    let sum: u32 = digits[..12]
        .iter()
        .zip((2..=13u32).rev())
        .map(|(d, weight)| u32::from(*d) * weight)
        .sum();
    (11 - sum % 11) % 10 == u32::from(digits[12])
}

/// A Thai citizen ID: 13 digits (dashes or spaces allowed), first digit 1–8, valid check digit.
pub fn thai_citizen_id_valid(value: &str) -> bool {
    thirteen_digits(value).is_some_and(|d| (1..=8).contains(&d[0]) && check_digit_ok(&d))
}

/// A juristic-person (company, partnership, foundation) registration number: 13 digits starting with
/// 0. Not personal data.
pub fn juristic_person_id(value: &str) -> bool {
    thirteen_digits(value).is_some_and(|d| d[0] == 0)
}

/// The first Thai phone number in `text`, in national form (`0812345678`, `021234567`): mobile
/// 06/08/09 + 8 digits, landline 0X + 7 digits, or either written +66 / 66 without the leading 0.
/// Bare nine digits count as a landline only with `bare_landline` (a column named like a phone),
/// since nine-digit codes are common; written with separators (02-123-4567) they always count.
pub fn find_thai_phone(text: &str, bare_landline: bool) -> Option<String> {
    text.split([',', ';', '/', '\n'])
        .flat_map(|part| part.split("  "))
        .flat_map(|part| part.split(|c: char| !(c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'))))
        .find_map(|run| phone_in_run(run.trim(), bare_landline))
}

fn phone_in_run(run: &str, bare_landline: bool) -> Option<String> {
    let mut digits: String = run.chars().filter(char::is_ascii_digit).collect();
    if !(9..=12).contains(&digits.len()) {
        return None;
    }
    let international = run.starts_with('+') || (digits.starts_with("66") && digits.len() == 11);
    if international {
        let national = digits.strip_prefix("66")?;
        if national.starts_with('0') {
            return None;
        }
        digits = format!("0{national}");
    }
    let bytes = digits.as_bytes();
    let separated = run.contains(['-', ' ', '(']);
    let mobile = bytes.len() == 10 && bytes[0] == b'0' && matches!(bytes[1], b'6' | b'8' | b'9');
    let landline = bytes.len() == 9
        && bytes[0] == b'0'
        && (b'2'..=b'7').contains(&bytes[1])
        && (separated || international || bare_landline);
    (mobile || landline).then_some(digits)
}

/// A Thai phone number anywhere in `text`, written so that it cannot be another code.
pub fn thai_phone_number(text: &str) -> bool {
    find_thai_phone(text, false).is_some()
}

/// The first e-mail address in `text` (`name@example.go.th`).
pub fn find_email(text: &str) -> Option<&str> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>' | '(' | ')' | '"' | '\''))
        .map(|token| token.trim_end_matches('.'))
        .find(|token| is_email(token))
}

fn is_email(token: &str) -> bool {
    let Some((local, domain)) = token.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-'));
    let labels: Vec<&str> = domain.split('.').collect();
    let labels_ok = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    let tld_ok = labels
        .last()
        .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    local_ok && labels_ok && tld_ok
}

/// An e-mail address anywhere in `text`.
pub fn email_address(text: &str) -> bool {
    find_email(text).is_some()
}

/// A person's name with a title, split as (title, the name after it, possibly empty when the cell
/// holds the title alone, as in a separate title column): `นายสมชาย ใจดี`, `น.ส. สมหญิง รักไทย`,
/// `ร.ต.อ.สมศักดิ์ ทองดี`, `Mr. John Smith`. The name must be two to four words of letters.
pub fn titled_person_name(text: &str) -> Option<(&str, &str)> {
    let text = text.trim();
    let title = WORDS.person_titles.iter().copied().find(|title| {
        text.strip_prefix(title).is_some_and(|rest| {
            let latin = title.is_ascii();
            !latin || rest.is_empty() || rest.starts_with([' ', '.']) || title.ends_with('.')
        })
    })?;
    let rest = text[title.len()..].trim_start_matches('.').trim();
    if rest.is_empty() {
        return Some((title, rest));
    }
    let words: Vec<&str> = rest.split_whitespace().collect();
    let letters = |w: &str| {
        w.chars()
            .all(|c| ('\u{0E01}'..='\u{0E4E}').contains(&c) || c.is_alphabetic() || matches!(c, '.' | '-' | '\''))
    };
    let first = words.first()?;
    let not_a_name = WORDS.not_name_starts.iter().any(|w| first.starts_with(w));
    let shaped = (2..=4).contains(&words.len()) && first.chars().count() >= 2 && words.iter().all(|w| letters(w));
    (shaped && !not_a_name).then_some((title, rest))
}

/// The name of a company, partnership, foundation, association or cooperative (บจ., หจก., บมจ.,
/// บริษัท … จำกัด, Co., Ltd.).
pub fn juristic_person_name(text: &str) -> bool {
    let text = text.trim();
    WORDS.company_prefixes.iter().any(|p| text.starts_with(p))
        || text.contains(THAI_COMPANY_SUFFIX)
        || (text.bytes().any(|b| b.is_ascii_alphabetic()) && {
            let lower = text.to_lowercase();
            WORDS.company_parts.iter().any(|p| lower.contains(p))
        })
}

/// A house address: a house number (at the start, or after เลขที่ / บ้านเลขที่) and at least two
/// other parts of a Thai address (หมู่, ซอย, ถนน, ตำบล/แขวง, อำเภอ/เขต, จังหวัด, a postcode).
pub fn house_address(text: &str) -> bool {
    let text = text.trim();
    let numbered_start = {
        let head = text.split_whitespace().next().unwrap_or("");
        let head = head.trim_end_matches(',');
        head.starts_with(|c: char| c.is_ascii_digit() && c != '0')
            && head.chars().all(|c| c.is_ascii_digit() || c == '/' || c == '-')
    };
    let numbered_after_word = text.match_indices("เลขที่").any(|(at, word)| {
        text[at + word.len()..]
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit())
    });
    if !(numbered_start || numbered_after_word) {
        return false;
    }
    let words = WORDS
        .address_markers
        .iter()
        .filter(|marker| text.contains(*marker))
        .count();
    let postcode = text
        .split(|c: char| !c.is_ascii_digit())
        .any(|run| run.len() == 5 && !run.starts_with('0'));
    words + usize::from(postcode) >= 2
}

/// A bank account number written the Thai banks' way, XXX-X-XXXXX-X.
pub fn bank_account_formatted(text: &str) -> bool {
    let groups: Vec<&str> = text.trim().split('-').collect();
    groups.len() == 4
        && groups
            .iter()
            .zip([3, 1, 5, 1])
            .all(|(g, len)| g.len() == len && g.chars().all(|c| c.is_ascii_digit()))
}

/// Ten to twelve digits, optionally with dashes or spaces: a bank account number when the column is
/// named like one (บัญชี, account).
pub fn bank_account_digits(text: &str) -> bool {
    let text = text.trim();
    let digits = text.chars().filter(char::is_ascii_digit).count();
    (10..=12).contains(&digits)
        && text.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
        && text.starts_with(|c: char| c.is_ascii_digit())
}

/// A decimal number with at least two digits after the point (how coordinates are written).
pub fn decimal_degrees(text: &str) -> Option<f64> {
    let text = text.trim();
    let (_, fraction) = text.split_once('.')?;
    if fraction.len() < 2 || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A latitude inside Thailand.
pub fn thai_latitude(value: f64) -> bool {
    THAI_LATITUDE.contains(&value)
}

/// A longitude inside Thailand.
pub fn thai_longitude(value: f64) -> bool {
    THAI_LONGITUDE.contains(&value)
}

/// A latitude and longitude inside Thailand written in one cell (`13.7563, 100.5018`, either order).
pub fn thai_coordinate_pair(text: &str) -> Option<(f64, f64)> {
    let mut parts = text
        .split([',', ' ', ';'])
        .filter(|p| !p.trim().is_empty())
        .map(decimal_degrees);
    let (a, b) = (parts.next()??, parts.next()??);
    if parts.next().is_some() {
        return None;
    }
    match (a, b) {
        (lat, lon) if thai_latitude(lat) && thai_longitude(lon) => Some((lat, lon)),
        (lon, lat) if thai_latitude(lat) && thai_longitude(lon) => Some((lat, lon)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citizen_id_check_digit() {
        for valid in [
            "1101700230708",
            "3100600123450",
            "1-1017-00230-70-8",
            "1 1017 00230 70 8",
            "๑๑๐๑๗๐๐๒๓๐๗๐๘",
        ] {
            assert!(thai_citizen_id_valid(valid), "{valid}");
        }
        for invalid in [
            "1101700230707",  // wrong check digit
            "1101700230709",  // wrong check digit
            "9101700230701",  // first digit 9
            "0105558004940",  // juristic (valid check digit, first digit 0)
            "110170023070",   // 12 digits
            "11017002307080", // 14 digits
            "1--1017002307-08",
            "-1101700230708",
            "1101700230708-",
            "x101700230708",
            "",
        ] {
            assert!(!thai_citizen_id_valid(invalid), "{invalid}");
        }
        assert!(check_digit_ok(&thirteen_digits("0105558004940").unwrap()));
    }

    #[test]
    fn juristic_ids_start_with_zero() {
        assert!(juristic_person_id("0105558004940"));
        assert!(juristic_person_id("0-1055-58004-94-0"));
        assert!(!juristic_person_id("1101700230708"));
        assert!(!juristic_person_id("010555800494"));
    }

    #[test]
    fn phones() {
        assert_eq!(find_thai_phone("081-234-5678", false).as_deref(), Some("0812345678"));
        assert_eq!(find_thai_phone("0912345678", false).as_deref(), Some("0912345678"));
        assert_eq!(find_thai_phone("+66 81 234 5678", false).as_deref(), Some("0812345678"));
        assert_eq!(find_thai_phone("+66812345678", false).as_deref(), Some("0812345678"));
        assert_eq!(
            find_thai_phone("โทร. 02-123-4567 ต่อ 12", false).as_deref(),
            Some("021234567")
        );
        assert_eq!(find_thai_phone("(053) 123 456", false).as_deref(), Some("053123456"));
        assert_eq!(find_thai_phone("021234567", false), None, "bare nine digits are a code");
        assert_eq!(find_thai_phone("021234567", true).as_deref(), Some("021234567"));
        for not_phone in [
            "0105558004940",
            "1020080005",
            "10110",
            "2,000,000",
            "0112345678",
            "66/1 ซอย 3-10-8",
        ] {
            assert!(!thai_phone_number(not_phone), "{not_phone}");
        }
    }

    #[test]
    fn emails() {
        assert_eq!(
            find_email("ติดต่อ somchai.j@example.go.th."),
            Some("somchai.j@example.go.th")
        );
        assert!(email_address("<a_b+c@mail.co.th>"));
        for not_email in ["a@b", "@example.com", "a@example.c0m", "a@ example.com", "user@@x.com"] {
            assert!(!email_address(not_email), "{not_email}");
        }
    }

    #[test]
    fn titled_names() {
        assert_eq!(titled_person_name("นายสมชาย ใจดี"), Some(("นาย", "สมชาย ใจดี")));
        assert_eq!(titled_person_name("นางสาวสมหญิง รักไทย"), Some(("นางสาว", "สมหญิง รักไทย")));
        assert_eq!(titled_person_name("น.ส. สมหญิง รักไทย"), Some(("น.ส.", "สมหญิง รักไทย")));
        assert_eq!(titled_person_name("ร.ต.อ.สมศักดิ์ ทองดี"), Some(("ร.ต.อ.", "สมศักดิ์ ทองดี")));
        assert_eq!(titled_person_name("ด.ญ.มาลี ณ อยุธยา"), Some(("ด.ญ.", "มาลี ณ อยุธยา")));
        assert_eq!(titled_person_name("Mr. John Smith"), Some(("Mr.", "John Smith")));
        assert_eq!(titled_person_name("นาง"), Some(("นาง", "")));
        for not_name in [
            "นายกเทศมนตรีตำบลบางพลี",
            "นายอำเภอเมือง ชลบุรี",
            "นางรอง",
            "นายสมชาย",
            "นาย สมชาย ใจดี 123",
            "Mrauk U",
            "บจ.นายช่าง จำกัด",
        ] {
            assert_eq!(titled_person_name(not_name), None, "{not_name}");
        }
    }

    #[test]
    fn company_names() {
        for company in [
            "บจ.เอดับเบิ้ลยู (ไทยแลนด์) จำกัด",
            "หจ.แสนศักดิ์ เอ็นจิเนียริ่ง",
            "หจก.ทองดี",
            "บมจ.ปตท.",
            "บริษัท ไทยรุ่งเรือง จำกัด (มหาชน)",
            "Siam Widgets Co., Ltd.",
        ] {
            assert!(juristic_person_name(company), "{company}");
        }
        assert!(!juristic_person_name("นายสมชาย ใจดี"));
    }

    #[test]
    fn addresses() {
        for address in [
            "7/42 หมู่ที่ 9  ต.นาป่า อ.เมืองชลบุรี จ.ชลบุรี 20000",
            "บ้านเลขที่ 12 หมู่ 3 ตำบลบ้านใหม่ อำเภอเมือง",
            "เลขที่ 99/1 ซอยสุขุมวิท 25 แขวงคลองเตยเหนือ",
            "230/1 ซอยกรุงธนบุรี 6 ถนนกรุงธนบุรี  แขวงบางลำภูล่าง เขตคลองสาน กรุงเทพมหานคร 10600",
        ] {
            assert!(house_address(address), "{address}");
        }
        for not_address in [
            "ตำบลนาป่า อำเภอเมืองชลบุรี",
            "12 คน",
            "ประกอบกิจการค้าอสังหาริมทรัพย์",
            "กรุงเทพมหานคร 10110",
        ] {
            assert!(!house_address(not_address), "{not_address}");
        }
    }

    #[test]
    fn bank_accounts() {
        assert!(bank_account_formatted("123-4-56789-0"));
        assert!(!bank_account_formatted("081-234-5678"));
        assert!(bank_account_digits("1234567890"));
        assert!(bank_account_digits("123-456789-012"));
        assert!(!bank_account_digits("123456789"));
        assert!(!bank_account_digits("1234567890123"));
        assert!(!bank_account_digits("บัญชี 1234567890"));
    }

    #[test]
    fn coordinates() {
        assert_eq!(decimal_degrees(" 13.7563 "), Some(13.7563));
        assert_eq!(decimal_degrees("13.7"), None);
        assert_eq!(decimal_degrees("13"), None);
        assert!(thai_latitude(13.75) && !thai_latitude(35.0));
        assert!(thai_longitude(100.5) && !thai_longitude(139.7));
        assert_eq!(thai_coordinate_pair("13.7563, 100.5018"), Some((13.7563, 100.5018)));
        assert_eq!(thai_coordinate_pair("100.5018 13.7563"), Some((13.7563, 100.5018)));
        assert_eq!(thai_coordinate_pair("35.68, 139.76"), None);
        assert_eq!(thai_coordinate_pair("13.75, 100.50, 7.00"), None);
    }
}
