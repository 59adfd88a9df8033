//! Every file of the shared Thai corpus (read in place, never copied) must open with the right
//! encoding, sheet and header row, and its first screen must show data rows under the expected column
//! names. The corpus is found by `catalog-testkit` (`../shared/corpus`, or `$CATALOG_CORPUS`).

use std::sync::atomic::AtomicBool;

use catalog_preview::{open, suggest_metadata, ColumnType, OpenOptions, SkipReason, YearSource};
use catalog_testkit::corpus_dir;

/// What one corpus file must preview as.
struct Expected {
    file: &'static str,
    /// Encoding of a delimited file; `None` for workbooks.
    encoding: Option<&'static str>,
    sheet: Option<&'static str>,
    header_rows: &'static [usize],
    /// The first column names, in order.
    columns: &'static [&'static str],
    column_count: usize,
}

const DMH_THAI_COLUMNS: &[&str] = &[
    "ลำดับ",
    "รหัสจังหวัด",
    "จังหวัด",
    "จำนวนประชากรกลางปี / ชาย",
    "จำนวนประชากรกลางปี / หญิง",
    "จำนวนประชากรกลางปี / รวม",
    "จำนวนคนฆ่าตัวตาย / ชาย",
    "จำนวนคนฆ่าตัวตาย / หญิง",
    "จำนวนคนฆ่าตัวตาย / รวม",
    "อัตราการฆ่าตัวตายต่อประชากรหนึ่งแสนคน / ชาย",
    "อัตราการฆ่าตัวตายต่อประชากรหนึ่งแสนคน / หญิง",
    "อัตราการฆ่าตัวตายต่อประชากรหนึ่งแสนคน / รวม",
];

const BUDGET_COLUMNS: &[&str] = &["ITEM_ID", "REF_DOC", "REF_PAGE_NO", "MINISTRY", "BUDGETARY_UNIT"];

fn dmh(file: &'static str, sheet: &'static str) -> Expected {
    Expected {
        file,
        encoding: None,
        sheet: Some(sheet),
        header_rows: &[4, 5],
        columns: DMH_THAI_COLUMNS,
        column_count: 12,
    }
}

fn expectations() -> Vec<Expected> {
    let mut all = vec![
        Expected {
            file: "dbd_99_201501.csv",
            encoding: Some("windows-874"),
            sheet: None,
            header_rows: &[2],
            columns: &[
                "ที่",
                "เลขทะเบียน",
                "ชื่อนิติบุคคล",
                "วันที่จดทะเบียน",
                "ทุนจดทะเบียน (บาท)",
                "รายละเอียดวัตถุประสงค์",
                "ที่ตั้งสำนักงานใหญ่",
            ],
            column_count: 7,
        },
        Expected {
            file: "dbd_TSIC.xlsx",
            encoding: None,
            sheet: Some("Sheet1"),
            header_rows: &[0],
            columns: &["หมวดย่อย", "หมู่ใหญ่", "หมู่ย่อย", "กิจกรรม", "รายละเอียดกิจกรรมทางเศรษฐกิจ"],
            column_count: 5,
        },
        Expected {
            file: "n_icu_bed_2553.csv",
            encoding: Some("UTF-8"),
            sheet: None,
            header_rows: &[0],
            columns: &["Region", "SubRegion", "Province", "Total_N_Hospital", "Total_N_ICU_BED"],
            column_count: 17,
        },
        Expected {
            file: "budget65_2022-3-17.csv",
            encoding: Some("UTF-8"),
            sheet: None,
            header_rows: &[0],
            columns: &["column_1", "ITEM_ID", "REF_DOC", "REF_PAGE_NO", "MINISTRY"],
            column_count: 21,
        },
        Expected {
            file: "budget65_2022-3-4.csv",
            encoding: Some("UTF-8"),
            sheet: None,
            header_rows: &[0],
            columns: &["column_1", "ITEM_ID", "REF_DOC", "REF_PAGE_NO", "MINISTRY"],
            column_count: 21,
        },
        Expected {
            file: "budget65_output_example_v2.csv",
            encoding: Some("UTF-8"),
            sheet: None,
            header_rows: &[0],
            columns: BUDGET_COLUMNS,
            column_count: 20,
        },
        Expected {
            file: "budget65_output_example_v2.xlsx",
            encoding: None,
            sheet: Some("Output"),
            header_rows: &[0],
            columns: BUDGET_COLUMNS,
            column_count: 20,
        },
        Expected {
            file: "kongvut_sub_districts.xlsx",
            encoding: None,
            sheet: Some("Sheet1"),
            header_rows: &[0],
            columns: &[
                "id",
                "zip_code",
                "name_th",
                "name_en",
                "district_id",
                "lat",
                "long",
                "created_at",
                "updated_at",
                "deleted_at",
            ],
            column_count: 10,
        },
        Expected {
            file: "kongvut_districts.csv",
            encoding: Some("UTF-8"),
            sheet: None,
            header_rows: &[0],
            columns: &[
                "id",
                "name_th",
                "name_en",
                "province_id",
                "created_at",
                "updated_at",
                "deleted_at",
            ],
            column_count: 7,
        },
        Expected {
            file: "nida_birthrate_TH.csv",
            encoding: Some("UTF-8"),
            sheet: None,
            header_rows: &[0],
            columns: &["จังหวัด", "ปี", "ชาย (คน)", "หญิง (คน)", "รวม (คน)"],
            column_count: 5,
        },
        Expected {
            file: "nida_cpi_TH.csv",
            encoding: Some("UTF-8"),
            sheet: None,
            header_rows: &[0],
            columns: &["ปี", "สมุทรปราการ", "นนทบุรี", "ปทุมธานี", "พระนครศรีอยุธยา"],
            column_count: 78,
        },
        Expected {
            file: "ganbettane_Income(excel).xlsx",
            encoding: None,
            sheet: Some("Sheet1"),
            header_rows: &[0],
            columns: &["Region and province", "column_2", "2541", "2543"],
            column_count: 12,
        },
        Expected {
            file: "ganbettane_Income(csv).csv",
            encoding: Some("UTF-8"),
            sheet: None,
            header_rows: &[0],
            columns: &["Region and province", "2549", "2550", "2552", "2554", "2556", "2558"],
            column_count: 7,
        },
        Expected {
            file: "obec_1020080005_durable_goods.csv",
            encoding: Some("UTF-8"),
            sheet: None,
            header_rows: &[0],
            columns: &[
                "ลำดับ",
                "รหัส",
                "รายการ",
                "รายการ(cm.)",
                "จำนวนที่ใช้ได้",
                "จำนวนรอซ่อม",
                "จำนวนรอจำหน่าย",
            ],
            column_count: 7,
        },
        Expected {
            file: "wevis_populations.csv",
            encoding: Some("UTF-8"),
            sheet: None,
            header_rows: &[0],
            columns: &["province", "district", "subdistrict", "population"],
            column_count: 4,
        },
        Expected {
            file: "dmh_suicide_2540.xls",
            encoding: None,
            sheet: Some("2540"),
            header_rows: &[4, 5],
            columns: &[
                "ลำดับ",
                "รหัสจังหวัด",
                "Province",
                "จำนวนประชากรกลางปี / Male",
                "จำนวนประชากรกลางปี / Female",
                "จำนวนประชากรกลางปี / Total",
                "จำนวนคนฆ่าตัวตาย / Male",
            ],
            column_count: 12,
        },
    ];
    for (file, sheet) in [
        ("dmh_suicide_2541.xls", "2541"),
        ("dmh_suicide_2542.xls", "2542"),
        ("dmh_suicide_2543.xls", "2543"),
        ("dmh_suicide_2544.xls", "2544"),
        ("dmh_suicide_2545.xls", "2545"),
        ("dmh_suicide_2546.xls", "2546"),
        ("dmh_suicide_2547.xls", "2547"),
        ("dmh_suicide_2548.xls", "2548"),
        ("dmh_suicide_2549.xls", "2549"),
        ("dmh_suicide_2550.xls", "2550"),
        ("dmh_suicide_2551.xls", "2551"),
        ("dmh_suicide_2552.xls", "2552"),
        ("dmh_suicide_2553.xls", "2553"),
    ] {
        all.push(dmh(file, sheet));
    }
    all
}

#[test]
fn every_corpus_file_has_an_expectation() {
    let dir = corpus_dir();
    let expected: Vec<&str> = expectations().iter().map(|e| e.file).collect();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("corpus folder readable") {
        let name = entry.expect("corpus entry").file_name().to_string_lossy().into_owned();
        if name != "SOURCES.md" && !expected.contains(&name.as_str()) {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "corpus files without an expectation in tests/corpus.rs: {missing:?}"
    );
}

#[test]
fn every_corpus_file_previews_with_the_right_encoding_sheet_and_header() {
    let dir = corpus_dir();
    for expected in expectations() {
        let path = dir.join(expected.file);
        let file = expected.file;
        let mut source = open(&path, &OpenOptions::default()).unwrap_or_else(|e| panic!("{file}: {e}"));
        let encoding = source.info().encoding.as_ref().map(|e| e.encoding.as_str());
        assert_eq!(encoding, expected.encoding, "{file}: encoding");
        let layout = source.detect_layout(None).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(layout.sheet.as_deref(), expected.sheet, "{file}: sheet");
        assert_eq!(layout.header_rows, expected.header_rows, "{file}: header rows");
        assert_eq!(
            layout.column_names.len(),
            expected.column_count,
            "{file}: column count {:?}",
            layout.column_names
        );
        assert_eq!(
            &layout.column_names[..expected.columns.len()],
            expected.columns,
            "{file}: column names"
        );
        let window = source
            .first_screen(&layout, 200)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(!window.rows.is_empty(), "{file}: no data rows on the first screen");
        assert!(
            window.rows.iter().all(|r| r.cells.len() == expected.column_count),
            "{file}: ragged first screen"
        );
        assert!(
            window.rows.iter().all(|r| r.source_row >= layout.data_start),
            "{file}: header shown as data"
        );
    }
}

#[test]
fn dbd_windows_874_profile_keeps_ids_and_reads_buddhist_dates() {
    let path = corpus_dir().join("dbd_99_201501.csv");
    let mut source = open(&path, &OpenOptions::default()).expect("opens");
    let layout = source.detect_layout(None).expect("layout");
    assert_eq!(layout.title.as_deref(), Some("นิติบุคคลจัดตั้งเดือนมกราคม 2558 | ทั่วประเทศ"));
    let first = source.first_screen(&layout, 1).expect("first screen");
    assert_eq!(
        first.rows[0].cells[1], "0105558004940",
        "leading zero of the 13-digit ID kept"
    );
    assert_eq!(
        first.rows[0].cells[2], "บจ.เอดับเบิ้ลยู (ไทยแลนด์) จำกัด",
        "Thai decoded from Windows-874"
    );
    let profile = source
        .profile(&layout, &mut |_| {}, &AtomicBool::new(false))
        .expect("profile");
    assert_eq!(
        profile.data_rows, 5980,
        "5984 records less 2 title rows, header and nothing else"
    );
    assert_eq!(profile.undecodable_row_count, 0);
    let column = |name: &str| profile.columns.iter().find(|c| c.name == name).expect(name);
    assert_eq!(
        column("ที่").inferred_type,
        ColumnType::Integer,
        "\"1,000\" row numbers are numbers"
    );
    assert_eq!(column("เลขทะเบียน").inferred_type, ColumnType::Identifier);
    assert!(
        column("เลขทะเบียน").examples.iter().all(|e| e.contains('•')),
        "IDs masked"
    );
    let dates = column("วันที่จดทะเบียน");
    assert_eq!(dates.inferred_type, ColumnType::Date);
    assert!(dates.buddhist_era_dates);
    assert_eq!(
        (dates.min.as_deref(), dates.max.as_deref()),
        (Some("2015-01-05"), Some("2015-01-30"))
    );
    let capital = column("ทุนจดทะเบียน (บาท)");
    assert_eq!(
        capital.inferred_type,
        ColumnType::Integer,
        "\" 2,000,000 \" is a number"
    );
    assert_eq!(capital.max.as_deref(), Some("2000000000"));
    let metadata = suggest_metadata(source.info(), &layout, &profile);
    assert_eq!((metadata.first_year, metadata.last_year), (Some(2015), Some(2015)));
    assert_eq!(
        (metadata.first_year_be, metadata.last_year_be),
        (Some(2558), Some(2558))
    );
    assert_eq!(metadata.format, "CSV");
}

#[test]
fn dmh_xls_skips_the_totals_row_and_takes_the_year_from_the_title() {
    let path = corpus_dir().join("dmh_suicide_2540.xls");
    let mut source = open(&path, &OpenOptions::default()).expect("opens");
    assert_eq!(
        source.sheets().iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["2540", "Sheet1"]
    );
    assert_eq!(source.sheets()[0].merged_regions.len(), 7);
    let layout = source.detect_layout(None).expect("layout");
    assert!(
        layout
            .skipped_rows
            .iter()
            .any(|s| s.reason == SkipReason::Total && s.row == 82),
        "{:?}",
        layout.skipped_rows
    );
    let profile = source
        .profile(&layout, &mut |_| {}, &AtomicBool::new(false))
        .expect("profile");
    assert_eq!(profile.data_rows, 76);
    assert_eq!(profile.skipped.total, 1);
    assert_eq!(profile.columns[3].inferred_type, ColumnType::Integer);
    assert_eq!(profile.columns[9].inferred_type, ColumnType::Decimal);
    let metadata = suggest_metadata(source.info(), &layout, &profile);
    assert_eq!((metadata.first_year_be, metadata.first_year), (Some(2540), Some(1997)));
    assert_eq!(metadata.format, "XLS");
}

#[test]
fn birthrate_be_year_column_gives_the_coverage() {
    let path = corpus_dir().join("nida_birthrate_TH.csv");
    let mut source = open(&path, &OpenOptions::default()).expect("opens");
    let layout = source.detect_layout(None).expect("layout");
    let profile = source
        .profile(&layout, &mut |_| {}, &AtomicBool::new(false))
        .expect("profile");
    let year = profile.columns.iter().find(|c| c.name == "ปี").expect("year column");
    let range = year.year_range.expect("year range");
    assert_eq!(
        (range.first, range.last, range.source),
        (2536 - 543, 2564 - 543, YearSource::BuddhistEraYears)
    );
    let metadata = suggest_metadata(source.info(), &layout, &profile);
    assert_eq!(
        (metadata.first_year_be, metadata.last_year_be),
        (Some(2536), Some(2564))
    );
}

#[test]
fn row_index_serves_a_late_window_of_a_large_csv() {
    let path = corpus_dir().join("budget65_2022-3-4.csv");
    let mut source = open(&path, &OpenOptions::default()).expect("opens");
    let layout = source.detect_layout(None).expect("layout");
    let cancel = AtomicBool::new(false);
    let mut reports = 0;
    let summary = source
        .build_row_index(&layout, &mut |_| reports += 1, &cancel)
        .expect("index");
    assert!(reports >= 1);
    let before = source.rows(&layout, summary.data_rows - 5, 10).expect("window");
    assert_eq!(before.rows.len(), 5);
    assert!(!before.has_more);
    assert_eq!(before.total_data_rows, Some(summary.data_rows));
    let middle = source.rows(&layout, 1500, 3).expect("window");
    assert_eq!(
        middle.rows[0].cells[0], "1500",
        "the unnamed index column counts data rows from 0"
    );
}
