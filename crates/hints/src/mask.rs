//! Masked examples for hints: enough of a value for the person to recognise the column, never enough
//! to identify anyone (IDs and phone numbers keep their ends, names their first letters, addresses
//! only the sub-district onwards, coordinates two decimals).

/// Where an address stops being a house and becomes an area.
const AREA_MARKERS: &str = "ตำบล ต. แขวง อำเภอ อ. เขต จังหวัด จ.";

const HIDDEN: char = '•';

/// A 13-digit ID as 1-2345-xxxxx-12-3: the first five and last three digits kept.
pub fn mask_thirteen_digits(digits: &[u8; 13]) -> String {
    let d = |i: usize| char::from(b'0' + digits[i]);
    format!(
        "{}-{}{}{}{}-xxxxx-{}{}-{}",
        d(0),
        d(1),
        d(2),
        d(3),
        d(4),
        d(10),
        d(11),
        d(12)
    )
}

/// A phone number in national form as 08x-xxx-x123 (mobile) or 02-xxx-x567 (landline).
pub fn mask_phone(national: &str) -> String {
    let tail = &national[national.len().saturating_sub(3)..];
    if national.len() == 10 {
        format!("{}x-xxx-x{tail}", &national[..2])
    } else {
        format!("{}-xxx-x{tail}", &national[..2])
    }
}

fn first_letter_then_hidden(word: &str) -> String {
    let mut chars = word.chars();
    let first = chars.next().map(String::from).unwrap_or_default();
    first + &chars.map(|_| HIDDEN).collect::<String>()
}

/// A titled name as นาย ส•••• ใ•••: the title, and each word's first letter.
pub fn mask_name(title: &str, name: &str) -> String {
    std::iter::once(title.to_string())
        .chain(name.split_whitespace().map(first_letter_then_hidden))
        .collect::<Vec<_>>()
        .join(" ")
}

/// An e-mail address as s•••@example.go.th.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => format!(
            "{}{HIDDEN}{HIDDEN}{HIDDEN}@{domain}",
            local.chars().next().unwrap_or(HIDDEN)
        ),
        None => HIDDEN.to_string(),
    }
}

/// A house address as ••• ต.นาป่า อ.เมืองชลบุรี จ.ชลบุรี 20000: house number, village, lane and road
/// hidden.
pub fn mask_address(address: &str) -> String {
    let area = AREA_MARKERS
        .split_whitespace()
        .filter_map(|marker| address.find(marker))
        .min()
        .map(|at| address[at..].split_whitespace().collect::<Vec<_>>().join(" "));
    match area {
        Some(area) => format!("{HIDDEN}{HIDDEN}{HIDDEN} {area}"),
        None => format!("{HIDDEN}{HIDDEN}{HIDDEN}"),
    }
}

/// A bank account number with all but its first three and last digit hidden, separators kept
/// (123-x-xxxxx-0).
pub fn mask_bank_account(text: &str) -> String {
    let text = text.trim();
    let total = text.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0usize;
    text.chars()
        .map(|c| {
            if !c.is_ascii_digit() {
                return c;
            }
            seen += 1;
            if seen <= 3 || seen == total {
                c
            } else {
                'x'
            }
        })
        .collect()
}

/// A coordinate to two decimals (about a kilometre).
pub fn mask_degrees(value: f64) -> String {
    format!("{value:.2}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::thirteen_digits;

    #[test]
    fn masks_keep_only_the_ends() {
        assert_eq!(
            mask_thirteen_digits(&thirteen_digits("1234567890123").unwrap()),
            "1-2345-xxxxx-12-3"
        );
        assert_eq!(mask_phone("0812345123"), "08x-xxx-x123");
        assert_eq!(mask_phone("021234567"), "02-xxx-x567");
        assert_eq!(mask_name("นาย", "สมชาย ใจดี"), "นาย ส•••• ใ•••");
        assert_eq!(mask_name("นาง", ""), "นาง");
        assert_eq!(mask_email("somchai@example.go.th"), "s•••@example.go.th");
        assert_eq!(
            mask_address("7/42 หมู่ที่ 9  ต.นาป่า อ.เมืองชลบุรี จ.ชลบุรี 20000"),
            "••• ต.นาป่า อ.เมืองชลบุรี จ.ชลบุรี 20000"
        );
        assert_eq!(mask_address("12 ซอย 3 ถนนสุขุมวิท"), "•••");
        assert_eq!(mask_bank_account("123-4-56789-0"), "123-x-xxxxx-0");
        assert_eq!(mask_bank_account("1234567890"), "123xxxxxx0");
        assert_eq!(mask_degrees(13.756_33), "13.76");
    }
}
