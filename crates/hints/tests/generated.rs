//! Hints on files generated here (nothing copied): a register of persons raises every personal-data
//! hint with masked examples; random 13-digit numbers raise none; coordinates, statistical tables,
//! e-mail and bank-account columns are found; the scan reads every row in one pass, reports
//! progress and stops when cancelled.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use catalog_hints::{scan, thai_citizen_id_valid, Hint, HintError, HintKind, Suggestion};
use catalog_preview::{open, OpenOptions, Progress};

/// A small deterministic generator (xorshift), so failures reproduce.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn digit(&mut self, range: std::ops::RangeInclusive<u64>) -> u64 {
        range.start() + self.next() % (range.end() - range.start() + 1)
    }

    fn digits(&mut self, count: usize) -> String {
        (0..count).map(|_| char::from(b'0' + self.digit(0..=9) as u8)).collect()
    }
}

fn citizen_id(random: &mut Random) -> String {
    let body = format!("{}{}", random.digit(1..=8), random.digits(11));
    let sum: u32 = body
        .bytes()
        .zip((2..=13u32).rev())
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    format!("{body}{}", (11 - sum % 11) % 10)
}

fn dashed(id: &str) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        &id[..1],
        &id[1..5],
        &id[5..10],
        &id[10..12],
        &id[12..]
    )
}

fn write_csv(dir: &Path, name: &str, header: &[&str], rows: &[Vec<String>]) -> std::path::PathBuf {
    let mut text = header.join(",") + "\n";
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
        text += &(cells.join(",") + "\n");
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn hints_of(path: &Path) -> Vec<Hint> {
    let mut source = open(path, &OpenOptions::default()).unwrap();
    let layout = source.detect_layout(None).unwrap();
    scan(&mut source, &layout, &mut |_| {}, &AtomicBool::new(false)).unwrap()
}

fn find(hints: &[Hint], kind: HintKind) -> &Hint {
    hints
        .iter()
        .find(|h| h.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} hint in {hints:#?}"))
}

const FIRST_NAMES: [&str; 6] = ["สมชาย", "สมหญิง", "มานะ", "มานี", "ปิติ", "ชูใจ"];
const LAST_NAMES: [&str; 5] = ["ใจดี", "รักไทย", "ขยันดี", "ทองคำ", "ศรีสุข"];
const TITLES: [&str; 8] = ["นาย", "นาง", "นางสาว", "น.ส. ", "ด.ช.", "ด.ญ.", "ร.ต.อ.", "เด็กหญิง"];

#[test]
fn a_register_of_persons_raises_each_personal_data_hint() {
    let dir = tempfile::tempdir().unwrap();
    let mut random = Random(0x5eed);
    let mut originals = Vec::new();
    let rows: Vec<Vec<String>> = (0..200)
        .map(|i| {
            let id = citizen_id(&mut random);
            let id = if i % 3 == 0 { dashed(&id) } else { id };
            let name = format!(
                "{}{} {}",
                TITLES[i % TITLES.len()],
                FIRST_NAMES[i % FIRST_NAMES.len()],
                LAST_NAMES[i % LAST_NAMES.len()]
            );
            let mobile = format!("0{}{}", ["6", "8", "9"][i % 3], random.digits(8));
            let phone = match i % 3 {
                0 => format!("{}-{}-{}", &mobile[..3], &mobile[3..6], &mobile[6..]),
                1 => format!("+66 {} {} {}", &mobile[1..3], &mobile[3..6], &mobile[6..]),
                _ => mobile.clone(),
            };
            let address = format!(
                "{}/{} หมู่ {} ต.{} อ.เมือง จ.นนทบุรี 11000",
                i + 1,
                i % 7 + 1,
                i % 9 + 1,
                ["บางกร่าง", "ท่าทราย", "บางเขน"][i % 3]
            );
            originals.extend([id.clone(), mobile.clone(), name.clone()]);
            vec![
                (i + 1).to_string(),
                id,
                name,
                phone,
                address,
                format!("{}", 30 + i % 40),
            ]
        })
        .collect();
    let path = write_csv(
        dir.path(),
        "ผู้รับเบี้ยยังชีพ.csv",
        &["ลำดับ", "เลขประจำตัวประชาชน", "ชื่อ-สกุล", "โทรศัพท์มือถือ", "ที่อยู่", "อายุ"],
        &rows,
    );
    let hints = hints_of(&path);
    let personal: Vec<(HintKind, usize)> = hints
        .iter()
        .filter(|h| h.personal_data)
        .map(|h| (h.kind, h.column.index))
        .collect();
    assert_eq!(
        personal,
        [
            (HintKind::ThaiCitizenId, 1),
            (HintKind::PersonalName, 2),
            (HintKind::PhoneNumber, 3),
            (HintKind::HouseAddress, 4)
        ]
    );
    for hint in hints.iter().filter(|h| h.personal_data) {
        assert_eq!((hint.matched, hint.non_empty), (200, 200), "{hint:#?}");
        assert_eq!(hint.suggestion, Some(Suggestion::PersonalDataCategory));
        assert_eq!(hint.examples.len(), 3);
        assert_eq!(hint.id, format!("{}:{}", hint.kind.as_str(), hint.column.index));
        assert!(hint.advice.th.contains("พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล 2562"));
        for example in &hint.examples {
            assert!(
                !originals.iter().any(|o| example.contains(o.as_str())),
                "{example} is not masked"
            );
        }
    }
    let id = find(&hints, HintKind::ThaiCitizenId);
    assert!(
        id.examples.iter().all(|e| e.len() == 17 && e.contains("-xxxxx-")),
        "{:?}",
        id.examples
    );
    let phone = find(&hints, HintKind::PhoneNumber);
    assert!(
        phone.examples.iter().all(|e| e.contains("x-xxx-x")),
        "{:?}",
        phone.examples
    );
    let name = find(&hints, HintKind::PersonalName);
    assert!(name.examples.iter().all(|e| e.contains('•')), "{:?}", name.examples);
    assert!(
        name.examples.contains(&"นาย ส•••• ใ•••".to_string()),
        "{:?}",
        name.examples
    );
}

#[test]
fn random_thirteen_digit_numbers_raise_no_hint() {
    let dir = tempfile::tempdir().unwrap();
    let mut random = Random(0xdecaf);
    let numbers: Vec<String> = (0..1_000)
        .map(|_| format!("{}{}", random.digit(1..=9), random.digits(12)))
        .collect();
    let valid = numbers.iter().filter(|n| thai_citizen_id_valid(n)).count();
    assert!(
        (50..=150).contains(&valid),
        "about one in ten random numbers has a valid check digit and a first digit 1–8: {valid}"
    );
    let rows: Vec<Vec<String>> = numbers.iter().map(|n| vec![n.clone()]).collect();
    let path = write_csv(dir.path(), "random.csv", &["เลขอ้างอิง"], &rows);
    assert!(hints_of(&path).is_empty());

    // The share that decides: 85 % real IDs among random numbers stays quiet, 95 % does not.
    for (real_share, expected) in [(85, false), (95, true)] {
        let rows: Vec<Vec<String>> = (0..1_000)
            .map(|i| {
                if i % 100 < real_share {
                    vec![citizen_id(&mut random)]
                } else {
                    vec![format!("9{}", random.digits(12))]
                }
            })
            .collect();
        let path = write_csv(dir.path(), &format!("mixed{real_share}.csv"), &["เลขอ้างอิง"], &rows);
        let raised = hints_of(&path).iter().any(|h| h.kind == HintKind::ThaiCitizenId);
        assert_eq!(raised, expected, "{real_share} % valid IDs");
    }
}

#[test]
fn coordinates_suggest_the_geospatial_type() {
    let dir = tempfile::tempdir().unwrap();
    let mut random = Random(42);
    let points = |random: &mut Random| {
        let lat = 6.0 + (random.next() % 14_000) as f64 / 1_000.0;
        let lon = 98.0 + (random.next() % 7_000) as f64 / 1_000.0;
        (format!("{lat:.5}"), format!("{lon:.5}"))
    };
    let rows: Vec<Vec<String>> = (0..50)
        .map(|i| {
            let (lat, lon) = points(&mut random);
            vec![format!("สถานีวัดน้ำฝน {i}"), format!("{}", i * 3), lat, lon]
        })
        .collect();
    let path = write_csv(
        dir.path(),
        "stations.csv",
        &["สถานี", "ปริมาณฝน", "ละติจูด", "ลองจิจูด"],
        &rows,
    );
    let hints = hints_of(&path);
    let hint = find(&hints, HintKind::Coordinates);
    assert_eq!((hint.column.index, hint.related_columns[0].index), (2, 3));
    assert_eq!(hint.suggestion, Some(Suggestion::GeospatialDataType));
    assert!(!hint.personal_data);
    assert_eq!(hint.id, "coordinates:2");

    // Unnamed but side by side, and pairs written in one cell.
    let rows: Vec<Vec<String>> = (0..20)
        .map(|_| {
            let (lat, lon) = points(&mut random);
            vec![format!("{lat}, {lon}"), lat, lon]
        })
        .collect();
    let path = write_csv(dir.path(), "points.csv", &["ตำแหน่ง", "y", "x"], &rows);
    let found: Vec<(HintKind, usize)> = hints_of(&path).iter().map(|h| (h.kind, h.column.index)).collect();
    assert_eq!(found, [(HintKind::Coordinates, 0), (HintKind::Coordinates, 1)]);

    // Named a pair, the columns are coordinates wherever they point.
    let rows: Vec<Vec<String>> = (0..10)
        .map(|i| vec![format!("35.{i:04}"), format!("139.{i:04}")])
        .collect();
    let path = write_csv(dir.path(), "tokyo.csv", &["Latitude", "Longitude"], &rows);
    let found: Vec<(HintKind, usize)> = hints_of(&path).iter().map(|h| (h.kind, h.column.index)).collect();
    assert_eq!(found, [(HintKind::Coordinates, 0)]);

    // Numbers in the same ranges but not side by side are not coordinates.
    let rows: Vec<Vec<String>> = (0..20)
        .map(|_| {
            let (lat, lon) = points(&mut random);
            vec![lat, "ก".into(), lon]
        })
        .collect();
    let path = write_csv(dir.path(), "apart.csv", &["อัตรา", "กลุ่ม", "ดัชนี"], &rows);
    assert!(!hints_of(&path).iter().any(|h| h.kind == HintKind::Coordinates));
}

#[test]
fn a_numeric_table_by_year_and_province_is_statistical() {
    let dir = tempfile::tempdir().unwrap();
    let provinces = ["เชียงใหม่", "ลำพูน", "ขอนแก่น", "ชลบุรี", "สงขลา"];
    let rows: Vec<Vec<String>> = (2560..2567)
        .flat_map(|year| {
            provinces.iter().enumerate().map(move |(i, p)| {
                vec![
                    year.to_string(),
                    (*p).to_string(),
                    format!("{}", 1_000 + i * 37 + year as usize % 13),
                    format!("{}.{}", 10 + i, year % 10),
                ]
            })
        })
        .collect();
    let path = write_csv(
        dir.path(),
        "cases.csv",
        &["ปี พ.ศ.", "จังหวัด", "จำนวนผู้ป่วย", "อัตราต่อแสน"],
        &rows,
    );
    let hints = hints_of(&path);
    assert_eq!(hints.len(), 1, "{hints:#?}");
    let hint = &hints[0];
    assert_eq!(hint.kind, HintKind::StatisticalTable);
    assert_eq!(hint.suggestion, Some(Suggestion::StatisticalDataType));
    assert_eq!(hint.column.index, 0, "the year is the dimension");
    let measures: Vec<usize> = hint.related_columns.iter().map(|c| c.index).collect();
    assert_eq!(measures, [2, 3]);
    assert_eq!((hint.matched, hint.non_empty), (70, 70));
    assert_eq!(hint.examples, ["2560", "2561", "2562"]);

    // A register with free text is not a statistical table.
    let rows: Vec<Vec<String>> = (0..10)
        .map(|i| {
            vec![
                format!("โครงการพัฒนาแหล่งน้ำเพื่อการเกษตรและการอุปโภคบริโภคในพื้นที่ห่างไกล ระยะที่ {i}"),
                format!("{}", 100_000 * (i + 1)),
                "15/1/2567".into(),
            ]
        })
        .collect();
    let path = write_csv(dir.path(), "projects.csv", &["ชื่อโครงการ", "งบประมาณ", "วันที่อนุมัติ"], &rows);
    assert!(hints_of(&path).is_empty());
}

#[test]
fn emails_and_bank_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let mut random = Random(7);
    let rows: Vec<Vec<String>> = (0..30)
        .map(|i| {
            let account = random.digits(10);
            vec![
                if i % 5 == 0 {
                    String::new()
                } else {
                    format!("user{i}.test@example.co.th")
                },
                format!(
                    "{}-{}-{}-{}",
                    &account[..3],
                    &account[3..4],
                    &account[4..9],
                    &account[9..]
                ),
                random.digits(10),
                format!("1{}", random.digits(9)),
            ]
        })
        .collect();
    let path = write_csv(
        dir.path(),
        "payments.csv",
        &["อีเมลติดต่อ", "หมายเหตุ", "เลขที่บัญชีธนาคาร", "รหัสรายการ"],
        &rows,
    );
    let hints = hints_of(&path);
    let found: Vec<(HintKind, usize)> = hints.iter().map(|h| (h.kind, h.column.index)).collect();
    assert_eq!(
        found,
        [
            (HintKind::EmailAddress, 0),
            (HintKind::BankAccount, 1),
            (HintKind::BankAccount, 2)
        ],
        "ten digits in a column not named like an account are not one"
    );
    let email = &hints[0];
    assert_eq!((email.matched, email.non_empty), (24, 24));
    assert_eq!(email.examples[0], "u•••@example.co.th");
    assert!(
        hints[1].examples.iter().all(|e| e.contains("-x-xxxxx-")),
        "{:?}",
        hints[1].examples
    );
}

#[test]
fn every_row_is_read_with_progress_and_cancel() {
    let dir = tempfile::tempdir().unwrap();
    let mut random = Random(99);
    let count = 8192 + 123;
    let rows: Vec<Vec<String>> = (0..count)
        .map(|i| vec![format!("0{}", ["6", "8", "9"][i % 3]) + &random.digits(8)])
        .collect();
    let path = write_csv(dir.path(), "phones.csv", &["เบอร์โทร"], &rows);

    let mut source = open(&path, &OpenOptions::default()).unwrap();
    let layout = source.detect_layout(None).unwrap();
    let mut fractions = Vec::new();
    let hints = scan(
        &mut source,
        &layout,
        &mut |p: Progress| fractions.push(p.fraction.unwrap()),
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!((hints[0].matched, hints[0].non_empty), (count as u64, count as u64));
    assert!(fractions.windows(2).all(|w| w[0] <= w[1]), "{fractions:?}");
    assert_eq!(fractions.last(), Some(&1.0));

    // A second scan of the same source finds the same.
    let again = scan(&mut source, &layout, &mut |_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(again, hints);

    let cancelled = scan(&mut source, &layout, &mut |_| {}, &AtomicBool::new(true));
    assert!(matches!(cancelled, Err(HintError::Cancelled)), "{cancelled:?}");
}

#[test]
fn hints_serialize_for_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<Vec<String>> = ["นายสมชาย ใจดี", "นางมานี รักไทย", "Mr. John Smith"]
        .iter()
        .map(|n| vec![(*n).to_string()])
        .collect();
    let path = write_csv(dir.path(), "names.csv", &["ผู้ยื่นคำขอ"], &rows);
    let json = serde_json::to_value(hints_of(&path)).unwrap();
    assert_eq!(json[0]["id"], "personal_name:0");
    assert_eq!(json[0]["kind"], "personal_name");
    assert_eq!(json[0]["personal_data"], true);
    assert_eq!(json[0]["column"], serde_json::json!({"index": 0, "name": "ผู้ยื่นคำขอ"}));
    assert_eq!(
        json[0]["examples"],
        serde_json::json!(["นาย ส•••• ใ•••", "นาง ม••• ร•••••", "Mr. J••• S••••"])
    );
    assert!(json[0]["advice"]["en"].as_str().unwrap().starts_with("Personal data"));
}

/// A table whose columns repeat a few values for a long stretch before new ones come (names past the
/// 256 matches examples are looked for in), so that examples found in a later part have to fill up
/// after an earlier part's, or not at all: citizen IDs, titled names,
/// phones, company and person rows with addresses, coordinates, a B.E. year, a measure and long text.
fn mixed_rows(count: usize) -> Vec<Vec<String>> {
    let mut random = Random(0xfeed);
    (0..count)
        .map(|i| {
            let stretch = i < 260;
            let name = if stretch {
                format!("นาย{} ใจดี", FIRST_NAMES[i % 2])
            } else if i % 5 == 0 {
                format!("บริษัท ตัวอย่าง {i} จำกัด")
            } else {
                format!(
                    "{}{} {}",
                    TITLES[i % TITLES.len()],
                    FIRST_NAMES[i % 6],
                    LAST_NAMES[i % 5]
                )
            };
            let id = if stretch && i % 4 != 0 {
                "3100600123450".to_owned()
            } else {
                citizen_id(&mut random)
            };
            vec![
                id,
                name,
                format!("08{}", random.digits(8)),
                format!("{}/{} หมู่ {} ต.ท่าทราย อ.เมือง จ.นนทบุรี 11000", i % 40, i % 3, i % 9),
                format!("13.{}", 700 + i % 50),
                format!("100.{}", 500 + i % 30),
                format!("{}", 2560 + i % 8),
                format!("{}", random.digit(0..=5000)),
                format!("{} {}", "รายละเอียดยาวมาก ".repeat(5), i % 9),
            ]
        })
        .collect()
}

fn scanner_over(rows: &[Vec<String>]) -> catalog_hints::HintScanner {
    let names: Vec<String> = ["เลขบัตร", "ชื่อ", "โทรศัพท์", "ที่อยู่", "lat", "lon", "ปี", "จำนวน", "หมายเหตุ"]
        .iter()
        .map(|n| n.to_string())
        .collect();
    let mut scanner = catalog_hints::HintScanner::new(&names);
    for row in rows {
        scanner.add_row(row);
    }
    scanner
}

#[test]
fn scanners_fed_consecutive_parts_merge_into_the_scanner_fed_every_row() {
    let rows = mixed_rows(700);
    let whole = scanner_over(&rows).finish();
    let names = whole.iter().find(|h| h.kind == HintKind::PersonalName).unwrap();
    assert_eq!(
        names.examples.len(),
        2,
        "new names come after the first 256 matches, where examples stop"
    );
    let ids = whole.iter().find(|h| h.kind == HintKind::ThaiCitizenId).unwrap();
    assert_eq!(ids.examples.len(), 3);
    assert!(whole.iter().any(|h| h.kind == HintKind::Coordinates));
    for cuts in [
        vec![0],
        vec![1],
        vec![2],
        vec![100],
        vec![255],
        vec![256],
        vec![257],
        vec![259, 260],
        vec![3, 261, 262],
        vec![150, 450, 699],
        vec![700],
    ] {
        let mut bounds = vec![0];
        bounds.extend(&cuts);
        bounds.push(rows.len());
        let mut merged = scanner_over(&rows[..0]);
        for part in bounds.windows(2) {
            let mut later = merged.split();
            for row in &rows[part[0]..part[1]] {
                later.add_row(row);
            }
            merged.merge(later);
        }
        assert_eq!(merged.finish(), whole, "cut at {cuts:?}");
    }
}

/// A scanner the profile's pass cannot split, so it reads the file on one thread.
struct OneThread(catalog_hints::HintScanner);

impl catalog_preview::RowSink for OneThread {
    fn add_row(&mut self, cells: &catalog_preview::RowText) {
        catalog_preview::RowSink::add_row(&mut self.0, cells);
    }

    fn split(&self) -> Option<Self> {
        None
    }

    fn merge(&mut self, _later: Self) {}
}

#[test]
fn a_large_csv_scanned_on_every_core_finds_what_one_thread_finds() {
    let dir = tempfile::tempdir().unwrap();
    let rows = mixed_rows(90_000);
    let header = ["เลขบัตร", "ชื่อ", "โทรศัพท์", "ที่อยู่", "lat", "lon", "ปี", "จำนวน", "หมายเหตุ"];
    let path = write_csv(dir.path(), "register.csv", &header, &rows);
    assert!(
        std::fs::metadata(&path).unwrap().len() > 9 << 20,
        "large enough for chunks"
    );
    let mut source = open(&path, &OpenOptions::default()).unwrap();
    let layout = source.detect_layout(None).unwrap();
    let cancel = AtomicBool::new(false);
    let chunked = scan(&mut source, &layout, &mut |_| {}, &cancel).unwrap();
    let mut one = OneThread(catalog_hints::HintScanner::new(&layout.column_names));
    let profile = source
        .profile_visiting(&layout, &mut |_| {}, &cancel, &mut one)
        .unwrap();
    assert_eq!(profile.data_rows, 90_000);
    assert_eq!(chunked, one.0.finish());
    assert!(chunked.iter().any(|h| h.kind == HintKind::ThaiCitizenId));
}
