//! The hints on real files of the shared Thai corpus (read in place, never copied): the DBD register
//! of new companies raises no personal-data hint (its IDs are juristic, its names companies, its
//! addresses company head offices), no corpus file does, and the statistical tables and coordinates
//! are recognised. The corpus is found by `catalog-testkit` (`../shared/corpus`, or `$CATALOG_CORPUS`).

use std::sync::atomic::AtomicBool;

use catalog_hints::{scan, Hint, HintKind, HintScanner};
use catalog_preview::{open, OpenOptions, Source, TableLayout};
use catalog_testkit::{corpus_dir, corpus_file};

const DBD_REGISTER: &str = "dbd_99_201501.csv";

fn opened(file: &str) -> (Source, TableLayout) {
    let path = corpus_file(file);
    let mut source = open(&path, &OpenOptions::default()).unwrap();
    let layout = source.detect_layout(None).unwrap();
    (source, layout)
}

fn hints_of(file: &str) -> Vec<Hint> {
    let (mut source, layout) = opened(file);
    scan(&mut source, &layout, &mut |_| {}, &AtomicBool::new(false)).unwrap()
}

fn kinds(hints: &[Hint]) -> Vec<(HintKind, usize)> {
    hints.iter().map(|h| (h.kind, h.column.index)).collect()
}

#[test]
fn the_dbd_register_raises_no_personal_data_hint() {
    let hints = hints_of(DBD_REGISTER);
    assert!(
        hints.iter().all(|h| !h.personal_data),
        "personal-data hints on the DBD register: {hints:#?}"
    );
    assert_eq!(kinds(&hints), [(HintKind::JuristicPersonId, 1)]);
    let juristic = &hints[0];
    assert_eq!(juristic.column.name, "เลขทะเบียน");
    assert_eq!(juristic.matched, juristic.non_empty);
    assert!(juristic.matched > 5_900, "every data row read: {}", juristic.matched);
    assert_eq!(juristic.examples[0], "0-1055-xxxxx-94-0");
}

/// Without the juristic columns beside them, the register's head-office addresses read as house
/// addresses: it is the juristic-person rule, not a blind detector, that keeps them out above.
#[test]
fn the_dbd_addresses_alone_read_as_house_addresses() {
    let (mut source, layout) = opened(DBD_REGISTER);
    let address_column = layout
        .column_names
        .iter()
        .position(|n| n == "ที่ตั้งสำนักงานใหญ่")
        .expect("the head-office column");
    let mut scanner = HintScanner::new(&layout.column_names[address_column..=address_column]);
    let mut first = 0;
    loop {
        let window = source.rows(&layout, first, 2_000).unwrap();
        for row in &window.rows {
            scanner.add_row(&row.cells[address_column..=address_column]);
        }
        first += window.rows.len();
        if !window.has_more {
            break;
        }
    }
    let hints = scanner.finish();
    assert_eq!(kinds(&hints), [(HintKind::HouseAddress, 0)], "{hints:#?}");
    assert!(
        hints[0].matched * 10 > hints[0].non_empty * 9,
        "{}/{}",
        hints[0].matched,
        hints[0].non_empty
    );
    assert!(
        hints[0].examples.iter().all(|e| e.starts_with("••• ")),
        "{:?}",
        hints[0].examples
    );
}

#[test]
fn no_corpus_file_raises_a_personal_data_hint() {
    let mut files: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.ends_with(".md"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "corpus incomplete: {files:?}");
    for file in files {
        let personal: Vec<Hint> = hints_of(&file).into_iter().filter(|h| h.personal_data).collect();
        assert!(personal.is_empty(), "{file}: {personal:#?}");
    }
}

#[test]
fn real_statistical_tables_and_coordinates_are_recognised() {
    let statistical = |file: &str, dimension: &str| {
        let hints = hints_of(file);
        let hint = hints
            .iter()
            .find(|h| h.kind == HintKind::StatisticalTable)
            .unwrap_or_else(|| panic!("{file}: no statistical hint in {hints:#?}"));
        assert_eq!(hint.column.name, dimension, "{file}");
        assert!(!hint.related_columns.is_empty());
    };
    statistical("dmh_suicide_2553.xls", "จังหวัด");
    statistical("nida_birthrate_TH.csv", "ปี");
    statistical("wevis_populations.csv", "province");
    assert!(
        !hints_of("kongvut_districts.csv")
            .iter()
            .any(|h| h.kind == HintKind::StatisticalTable),
        "a code list is not a statistical table"
    );
    let hints = hints_of("kongvut_sub_districts.xlsx");
    let coordinates = hints
        .iter()
        .find(|h| h.kind == HintKind::Coordinates)
        .expect("coordinates hint");
    assert_eq!(coordinates.column.name, "lat");
    assert_eq!(coordinates.related_columns[0].name, "long");
}
