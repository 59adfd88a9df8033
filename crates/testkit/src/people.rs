//! Generated registers of persons for the personal-data tests (nobody real): valid Thai citizen IDs,
//! titled names, mobile numbers, district and allowance — what a provincial allowance list looks like.

const TITLES: [&str; 3] = ["นาย", "นางสาว", "นาง"];
const NAMES: [&str; 4] = ["สมชาย ใจดี", "สมหญิง รักไทย", "มานี ขยันดี", "ปิติ ศรีสุข"];
const DISTRICTS: [&str; 3] = ["เมืองน่าน", "ปัว", "ท่าวังผา"];

/// A Thai citizen ID: first digit 1–8, eleven more from `seed`, then the mod-11 check digit.
pub fn citizen_id(seed: u64) -> String {
    let body = format!(
        "{}{:011}",
        1 + seed % 8,
        seed.wrapping_mul(2_654_435_761) % 100_000_000_000
    );
    let sum: u32 = body
        .bytes()
        .zip((2..=13u32).rev())
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    format!("{body}{}", (11 - sum % 11) % 10)
}

/// A register of `rows` persons as CSV text: citizen ID, titled name, mobile number, district, allowance.
pub fn people_csv(rows: u64) -> String {
    let mut text = String::from("เลขประจำตัวประชาชน,ชื่อ-สกุล,โทรศัพท์มือถือ,อำเภอ,เบี้ยยังชีพ\n");
    for i in 0..rows {
        let at = i as usize;
        text.push_str(&format!(
            "{},{}{},08{:08},{},{}\n",
            citizen_id(i + 1),
            TITLES[at % TITLES.len()],
            NAMES[at % NAMES.len()],
            (i * 7919) % 100_000_000,
            DISTRICTS[at % DISTRICTS.len()],
            600 + (i % 5) * 100
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn citizen_ids_carry_their_check_digit() {
        let id = super::citizen_id(7);
        assert_eq!(id.len(), 13);
        let digits: Vec<u32> = id.chars().map(|c| c.to_digit(10).unwrap()).collect();
        let sum: u32 = digits[..12].iter().zip((2..=13).rev()).map(|(d, w)| d * w).sum();
        assert_eq!(digits[12], (11 - sum % 11) % 10);
    }
}
