//! Readers on generated fixtures: XLSX with title rows, a merged two-row header, totals and notes;
//! several sheets; dates; encodings (Windows-874, UTF-16LE with BOM, override, undecodable rows);
//! delimiters; row windows through the row index.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use catalog_preview::{open, ColumnType, CsvDialect, EncodingSource, OpenOptions, SkipReason, SkippedRow};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn write_file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("fixture written");
    path
}

/// A report-style sheet: title, blank row, 2-row merged header, 3 data rows, a total row and a note.
fn report_workbook() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let notes = workbook.add_worksheet();
    notes.set_name("คำอธิบาย").expect("name");
    notes.write(0, 0, "ไฟล์นี้มีข้อมูลในชีตที่สอง").expect("cell");
    let sheet = workbook.add_worksheet();
    sheet.set_name("2567").expect("name");
    let plain = Format::new();
    sheet
        .merge_range(0, 0, 0, 4, "จำนวนผู้ป่วย ประจำปี 2567", &plain)
        .expect("merge");
    sheet.merge_range(2, 0, 3, 0, "จังหวัด", &plain).expect("merge");
    sheet.merge_range(2, 1, 3, 1, "วันที่รายงาน", &plain).expect("merge");
    sheet.merge_range(2, 2, 2, 4, "จำนวน", &plain).expect("merge");
    for (column, label) in ["ชาย", "หญิง", "รวม"].iter().enumerate() {
        sheet.write(3, column as u16 + 2, *label).expect("cell");
    }
    let date_format = Format::new().set_num_format("d mmm yyyy");
    let rows = [("เชียงใหม่", 1, 10, 12), ("ลำพูน", 2, 3, 4), ("ลำปาง", 3, 5, 6)];
    for (offset, (province, day, male, female)) in rows.iter().enumerate() {
        let row = 4 + offset as u32;
        sheet.write(row, 0, *province).expect("cell");
        let date = ExcelDateTime::from_ymd(2024, 6, *day).expect("date");
        sheet
            .write_datetime_with_format(row, 1, &date, &date_format)
            .expect("cell");
        sheet.write(row, 2, *male).expect("cell");
        sheet.write(row, 3, *female).expect("cell");
        sheet.write(row, 4, male + female).expect("cell");
    }
    sheet.write(7, 0, "รวม").expect("cell");
    sheet.write(7, 2, 18).expect("cell");
    sheet.write(7, 3, 22).expect("cell");
    sheet.write(7, 4, 40).expect("cell");
    sheet.write(9, 0, "ที่มา: กรมควบคุมโรค").expect("cell");
    workbook.save_to_buffer().expect("xlsx bytes")
}

#[test]
fn xlsx_report_with_title_merged_header_totals_and_notes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_file(&dir, "report.xlsx", &report_workbook());
    let mut source = open(&path, &OpenOptions::default()).expect("opens");
    let names: Vec<&str> = source.sheets().iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["คำอธิบาย", "2567"]);
    let report = &source.sheets()[1];
    assert_eq!((report.rows, report.columns, report.merged_regions.len()), (10, 5, 4));
    let layout = source.detect_layout(Some("2567")).expect("layout");
    assert_eq!(layout.header_rows, [2, 3]);
    assert_eq!(
        layout.column_names,
        ["จังหวัด", "วันที่รายงาน", "จำนวน / ชาย", "จำนวน / หญิง", "จำนวน / รวม"]
    );
    assert_eq!(layout.title.as_deref(), Some("จำนวนผู้ป่วย ประจำปี 2567"));
    assert!(layout.skipped_rows.contains(&SkippedRow {
        row: 7,
        reason: SkipReason::Total
    }));
    assert!(layout.skipped_rows.contains(&SkippedRow {
        row: 9,
        reason: SkipReason::Note
    }));
    let window = source.first_screen(&layout, 200).expect("first screen");
    let cells: Vec<Vec<String>> = window.rows.iter().map(|r| r.cells.clone()).collect();
    assert_eq!(cells[0], ["เชียงใหม่", "2024-06-01", "10", "12", "22"]);
    assert_eq!(cells.len(), 3, "total and note rows are not data");
    assert_eq!(
        source.rows(&layout, 0, 200).expect("rows"),
        window,
        "a window from the top is the first screen"
    );
    let profile = source
        .profile(&layout, &mut |_| {}, &AtomicBool::new(false))
        .expect("profile");
    assert_eq!(profile.data_rows, 3);
    assert_eq!(profile.columns[1].inferred_type, ColumnType::Date);
    assert_eq!(
        profile.columns[4].max.as_deref(),
        Some("22"),
        "the total row does not count"
    );
    let json = serde_json::to_value(&layout).expect("layout serializes");
    let back: catalog_preview::TableLayout = serde_json::from_value(json).expect("and deserializes");
    assert_eq!(back, layout);
}

#[test]
fn the_default_sheet_is_the_first_with_data_and_user_overrides_are_followed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_file(&dir, "report.xlsx", &report_workbook());
    let mut source = open(&path, &OpenOptions::default()).expect("opens");
    assert_eq!(source.default_sheet(), Some("2567"));
    let mut layout = source.detect_layout(None).expect("layout");
    layout.skip_total_rows = false;
    layout.column_names[0] = "province".into();
    let window = source.first_screen(&layout, 200).expect("first screen");
    assert_eq!(window.columns[0], "province");
    assert_eq!(window.rows.len(), 4, "the user kept the total row");
}

#[test]
fn large_xlsx_first_screen_streams_and_windows_work() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write(0, 0, "id").expect("cell");
    sheet.write(0, 1, "เลขประจำตัว").expect("cell");
    for row in 1..=20_000u32 {
        sheet.write(row, 0, row).expect("cell");
        sheet.write(row, 1, format!("0{:012}", row)).expect("cell");
    }
    let path = write_file(&dir, "big.xlsx", &workbook.save_to_buffer().expect("xlsx"));
    let mut source = open(&path, &OpenOptions::default()).expect("opens");
    let layout = source.detect_layout(None).expect("layout");
    let window = source.first_screen(&layout, 200).expect("first screen");
    assert_eq!(window.rows.len(), 200);
    assert!(window.has_more);
    assert_eq!(window.rows[0].cells, ["1", "0000000000001"]);
    let summary = source
        .build_row_index(&layout, &mut |_| {}, &AtomicBool::new(false))
        .expect("index");
    assert_eq!(summary.data_rows, 20_000);
    let late = source.rows(&layout, 15_000, 2).expect("window");
    assert_eq!(late.rows[0].cells[0], "15001");
    assert_eq!(late.total_data_rows, Some(20_000));
    let cancelled = source.profile(&layout, &mut |_| {}, &AtomicBool::new(true));
    assert!(
        matches!(cancelled, Err(catalog_preview::PreviewError::Cancelled)),
        "cancel stops the sheet's reader threads: {cancelled:?}"
    );
}

#[test]
fn excel_dates_in_a_buddhist_era_format_are_shown_as_thai_write_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write(0, 0, "วันที่จดทะเบียน").expect("cell");
    sheet.write(0, 1, "วันที่ (ค.ศ.)").expect("cell");
    sheet.write(0, 2, "วันที่ (bbbb)").expect("cell");
    let buddhist_era = Format::new().set_num_format("[$-1070000]d/m/yyyy");
    let gregorian = Format::new().set_num_format("yyyy-mm-dd");
    let buddhist_year_code = Format::new().set_num_format("d/m/bbbb");
    for (row, (year, month, day)) in [(2015, 1, 12), (2024, 6, 14)].into_iter().enumerate() {
        let date = ExcelDateTime::from_ymd(year, month, day).expect("date");
        let row = row as u32 + 1;
        sheet
            .write_datetime_with_format(row, 0, &date, &buddhist_era)
            .expect("cell");
        sheet
            .write_datetime_with_format(row, 1, &date, &gregorian)
            .expect("cell");
        sheet
            .write_datetime_with_format(row, 2, &date, &buddhist_year_code)
            .expect("cell");
    }
    let path = write_file(&dir, "dates.xlsx", &workbook.save_to_buffer().expect("xlsx"));
    let mut source = open(&path, &OpenOptions::default()).expect("opens");
    let layout = source.detect_layout(None).expect("layout");
    let window = source.first_screen(&layout, 200).expect("first screen");
    assert_eq!(window.rows[0].cells, ["12/1/2558", "2015-01-12", "12/1/2558"]);
    assert_eq!(window.rows[1].cells, ["14/6/2567", "2024-06-14", "14/6/2567"]);
    let profile = source
        .profile(&layout, &mut |_| {}, &AtomicBool::new(false))
        .expect("profile");
    let era: Vec<(ColumnType, bool, Option<&str>)> = profile
        .columns
        .iter()
        .map(|c| (c.inferred_type, c.buddhist_era_dates, c.min.as_deref()))
        .collect();
    assert_eq!(
        era,
        [
            (ColumnType::Date, true, Some("2015-01-12")),
            (ColumnType::Date, false, Some("2015-01-12")),
            (ColumnType::Date, true, Some("2015-01-12")),
        ]
    );
}

#[test]
fn a_large_sheet_lists_its_merged_regions_once_read_through() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet
        .merge_range(0, 0, 0, 2, "ทะเบียนนิติบุคคล ทั่วประเทศ", &Format::new())
        .expect("merge");
    for (column, name) in ["ที่", "ชื่อนิติบุคคล", "ที่ตั้ง"].iter().enumerate()
    {
        sheet.write(1, column as u16, *name).expect("cell");
    }
    let rows = 200_000u32;
    for row in 2..rows + 2 {
        sheet.write(row, 0, row - 1).expect("cell");
        sheet.write(row, 1, "บริษัท ทดสอบ จำกัด").expect("cell");
        sheet
            .write(row, 2, "เลขที่ 1 ถนนราชดำเนิน แขวงพระบรมมหาราชวัง")
            .expect("cell");
    }
    let path = write_file(&dir, "large.xlsx", &workbook.save_to_buffer().expect("xlsx"));
    let mut source = open(&path, &OpenOptions::default()).expect("opens");
    assert!(
        !source.sheets()[0].merged_regions_complete,
        "the sheet's XML is too large to read through when opening"
    );
    let layout = source.detect_layout(None).expect("layout");
    let profile = source
        .profile(&layout, &mut |_| {}, &AtomicBool::new(false))
        .expect("profile");
    assert_eq!(profile.data_rows, u64::from(rows));
    let sheet = &source.sheets()[0];
    assert!(sheet.merged_regions_complete);
    assert_eq!(sheet.merged_regions.len(), 1);
    assert_eq!(
        (sheet.merged_regions[0].first_row, sheet.merged_regions[0].last_column),
        (0, 2)
    );
}

#[test]
fn windows_874_csv_with_override_and_undecodable_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "ชื่อ,จังหวัด\nสมชาย,เชียงใหม่\nสมหญิง,ลำพูน\n".repeat(30);
    let (mut bytes, _, _) = encoding_rs::WINDOWS_874.encode(&text);
    let mut bytes = bytes.to_mut().clone();
    let path = write_file(&dir, "thai.csv", &bytes);
    let mut source = open(&path, &OpenOptions::default()).expect("opens");
    let encoding = source.info().encoding.clone().expect("encoding");
    assert_eq!(
        (encoding.encoding.as_str(), encoding.source),
        ("windows-874", EncodingSource::Detected)
    );
    let layout = source.detect_layout(None).expect("layout");
    assert_eq!(layout.column_names, ["ชื่อ", "จังหวัด"]);
    assert!(layout
        .skipped_rows
        .iter()
        .any(|s| s.reason == SkipReason::RepeatedHeader));

    // 0xDB is not a Windows-874 character: row 2 (0-based record) must be reported.
    let second_line_start = bytes.iter().position(|b| *b == b'\n').expect("newline") + 1;
    let third_line_start =
        second_line_start + bytes[second_line_start..].iter().position(|b| *b == b'\n').expect("nl") + 1;
    bytes.insert(third_line_start + 1, 0xDB);
    let path = write_file(&dir, "bad.csv", &bytes);
    let options = OpenOptions {
        encoding: Some("tis-620".into()),
        ..OpenOptions::default()
    };
    let mut source = open(&path, &options).expect("opens");
    assert_eq!(
        source.info().encoding.as_ref().map(|e| e.source),
        Some(EncodingSource::Override)
    );
    let layout = source.detect_layout(None).expect("layout");
    let profile = source
        .profile(&layout, &mut |_| {}, &AtomicBool::new(false))
        .expect("profile");
    assert_eq!(profile.undecodable_rows, [2]);
    assert_eq!(profile.undecodable_row_count, 1);
}

#[test]
fn utf16le_tab_separated_unicode_text_from_excel() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "จังหวัด\tปี\tจำนวน\nเชียงใหม่\t2566\t1,234\nลำพูน\t2567\t567\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let path = write_file(&dir, "unicode.txt", &bytes);
    let mut source = open(&path, &OpenOptions::default()).expect("opens");
    assert_eq!(
        source.info().encoding.as_ref().map(|e| e.encoding.as_str()),
        Some("UTF-16LE")
    );
    assert_eq!(source.info().dialect.map(|d| d.delimiter), Some('\t'));
    let layout = source.detect_layout(None).expect("layout");
    assert_eq!(layout.column_names, ["จังหวัด", "ปี", "จำนวน"]);
    let window = source.first_screen(&layout, 10).expect("rows");
    assert_eq!(window.rows[1].cells, ["ลำพูน", "2567", "567"]);
    source
        .build_row_index(&layout, &mut |_| {}, &AtomicBool::new(false))
        .expect("index");
    let late = source.rows(&layout, 1, 1).expect("window");
    assert_eq!(late.rows[0].cells[0], "ลำพูน");
    let profile = source
        .profile(&layout, &mut |_| {}, &AtomicBool::new(false))
        .expect("profile");
    assert_eq!(
        profile.columns[1].year_range.map(|y| (y.first, y.last)),
        Some((2023, 2024))
    );
}

#[test]
fn semicolon_and_pipe_files_and_a_forced_dialect() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_file(&dir, "eu.csv", "a;b;c\n1,5;2;3\n4;5;6\n".as_bytes());
    let mut source = open(&path, &OpenOptions::default()).expect("opens");
    let layout = source.detect_layout(None).expect("layout");
    assert_eq!(layout.column_names, ["a", "b", "c"]);
    assert_eq!(
        source.first_screen(&layout, 5).expect("rows").rows[0].cells,
        ["1,5", "2", "3"]
    );

    let path = write_file(&dir, "pipe.txt", "a|b\nx|y\n".as_bytes());
    let forced = OpenOptions {
        dialect: Some(CsvDialect {
            delimiter: '|',
            quote: '"',
        }),
        ..OpenOptions::default()
    };
    let mut source = open(&path, &forced).expect("opens");
    let layout = source.detect_layout(None).expect("layout");
    assert_eq!(layout.column_names, ["a", "b"]);
}

#[test]
fn csv_row_windows_match_a_straight_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut text = String::from("รายงาน\n\nid,\"ชื่อ\nเต็ม\",amount\n");
    for i in 0..5_000 {
        text.push_str(&format!("{i},\"ชื่อ {i}\nบรรทัดสอง\",\"{},000\"\n", i + 1));
        if i % 1000 == 999 {
            text.push_str("รวม,,999\n");
        }
    }
    let path = write_file(&dir, "windows.csv", text.as_bytes());
    let mut source = open(&path, &OpenOptions::default()).expect("opens");
    let layout = source.detect_layout(None).expect("layout");
    assert_eq!(layout.column_names, ["id", "ชื่อ เต็ม", "amount"]);
    let straight = source.rows(&layout, 3_333, 700).expect("unindexed window");
    let summary = source
        .build_row_index(&layout, &mut |_| {}, &AtomicBool::new(false))
        .expect("index");
    assert_eq!(summary.data_rows, 5_000, "totals rows are not data");
    let indexed = source.rows(&layout, 3_333, 700).expect("indexed window");
    assert_eq!(straight.rows, indexed.rows);
    assert_eq!(indexed.rows[0].cells[0], "3333");
    assert_eq!(indexed.total_data_rows, Some(5_000));
}

/// A minimal OpenDocument spreadsheet written by hand: title row, header, two rows and a total.
fn small_ods() -> Vec<u8> {
    use std::io::Write;
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="ข้อมูล">
<table:table-row><table:table-cell office:value-type="string"><text:p>รายงานประจำปี 2566</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>อำเภอ</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>จำนวน</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>เมือง</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="12"><text:p>12</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>สารภี</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="30"><text:p>30</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>รวม</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="42"><text:p>42</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content),
    ] {
        writer.start_file(name, stored).expect("zip entry");
        writer.write_all(body.as_bytes()).expect("zip write");
    }
    writer.finish().expect("zip").into_inner()
}

#[test]
fn ods_sheet_with_title_and_total() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_file(&dir, "report.ods", &small_ods());
    let mut source = open(&path, &OpenOptions::default()).expect("opens");
    assert_eq!(source.info().format, catalog_preview::FileFormat::Ods);
    assert_eq!(source.sheets()[0].name, "ข้อมูล");
    let layout = source.detect_layout(None).expect("layout");
    assert_eq!(layout.header_rows, [1]);
    assert_eq!(layout.column_names, ["อำเภอ", "จำนวน"]);
    let window = source.first_screen(&layout, 10).expect("rows");
    assert_eq!(window.rows.len(), 2, "the total row is skipped");
    assert_eq!(window.rows[1].cells, ["สารภี", "30"]);
}

/// The person says where the header is; the names come from that row.
#[test]
fn a_header_row_chosen_by_the_person_names_the_columns() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_file(&dir, "t.csv", "จังหวัด,ชาย,หญิง\nน่าน,1,2\nแพร่,3,4\nลำปาง,5,6\n".as_bytes());
    let mut source = open(&path, &OpenOptions::default()).expect("opens");
    assert_eq!(source.detect_layout(None).expect("layout").header_rows, [0]);
    let chosen = source.layout_with_header(None, 1).expect("layout");
    assert_eq!(chosen.header_rows, [1]);
    assert_eq!(chosen.data_start, 2);
    assert_eq!(chosen.column_names, ["น่าน", "1", "2"]);
    let window = source.first_screen(&chosen, 10).expect("rows");
    assert_eq!(window.rows[0].cells, ["แพร่", "3", "4"]);
}

/// The app keeps attached files as copies named by their hash, without an extension: the original
/// name still tells an ODS file or a tab-separated file apart.
#[test]
fn a_copy_without_an_extension_opens_by_its_original_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ods = write_file(&dir, "3f9a1c", &small_ods());
    let named = |name: &str| OpenOptions {
        original_name: Some(name.into()),
        ..OpenOptions::default()
    };
    let source = open(&ods, &named("รายงาน.ods")).expect("opens");
    assert_eq!(source.info().format, catalog_preview::FileFormat::Ods);
    let tsv = write_file(&dir, "77b2e0", "ปี\tจำนวน\n2567\t1\n".as_bytes());
    let source = open(&tsv, &named("births.tsv")).expect("opens");
    assert_eq!(source.info().format, catalog_preview::FileFormat::Tsv);
}

#[test]
fn source_moves_to_a_worker_thread_and_results_serialize_for_the_ui() {
    fn assert_send<T: Send>() {}
    assert_send::<catalog_preview::Source>();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_file(
        &dir,
        "ids.csv",
        "เลขประจำตัว,วันที่\n0105558001234,14 มิ.ย. 2567\n".as_bytes(),
    );
    let mut source = std::thread::spawn(move || open(&path, &OpenOptions::default()).expect("opens"))
        .join()
        .expect("worker thread");
    let layout = source.detect_layout(None).expect("layout");
    let profile = source
        .profile(&layout, &mut |_| {}, &AtomicBool::new(false))
        .expect("profile");
    let json = serde_json::to_value(&profile).expect("profile serializes");
    assert_eq!(json["columns"][0]["inferred_type"], "identifier");
    assert_eq!(json["columns"][0]["examples"][0], "01055•••••234");
    assert_eq!(json["columns"][1]["min"], "2024-06-14");
    let back: catalog_preview::Profile = serde_json::from_value(json).expect("and deserializes, to be kept");
    assert_eq!(back, profile);
    let info = serde_json::to_value(source.info()).expect("info serializes");
    assert_eq!(info["format"], "csv");
    let metadata = catalog_preview::suggest_metadata(source.info(), &layout, &profile);
    assert_eq!(
        serde_json::to_value(&metadata).expect("metadata")["first_year_be"],
        2567
    );
}

/// Each data row of a sheet, as a sink of the profile's pass saw it.
#[derive(Default)]
struct DataRows(Vec<Vec<String>>);

impl catalog_preview::RowSink for DataRows {
    fn add_row(&mut self, cells: &catalog_preview::RowText) {
        self.0.push(cells.to_vec());
    }

    fn split(&self) -> Option<Self> {
        Some(DataRows::default())
    }

    fn merge(&mut self, later: Self) {
        self.0.extend(later.0);
    }
}

#[test]
fn the_profiles_pass_hands_every_data_row_to_a_sink_in_the_same_pass() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_file(&dir, "report.xlsx", &report_workbook());
    let mut source = open(&path, &OpenOptions::default()).expect("opens");
    let layout = source.detect_layout(Some("2567")).expect("layout");
    let mut rows = DataRows::default();
    let profile = source
        .profile_visiting(&layout, &mut |_| {}, &AtomicBool::new(false), &mut rows)
        .expect("profile");
    assert_eq!(profile.data_rows, 3);
    let window = source.rows(&layout, 0, 200).expect("rows");
    let shown: Vec<Vec<String>> = window.rows.into_iter().map(|r| r.cells).collect();
    assert_eq!(
        rows.0, shown,
        "the rows the grid shows, no title, header, total or note"
    );
}

#[test]
fn formats_are_known_by_the_file_name() {
    use catalog_preview::FileFormat;
    assert_eq!(FileFormat::from_name("ผู้รับเบี้ย.CSV"), Some(FileFormat::Csv));
    assert_eq!(FileFormat::from_name("a.tab"), Some(FileFormat::Tsv));
    assert_eq!(FileFormat::from_name("รายงาน.xlsx"), Some(FileFormat::Xlsx));
    assert_eq!(FileFormat::from_name("old.xls"), Some(FileFormat::Xls));
    assert_eq!(FileFormat::from_name("สรุป.pdf"), None);
    assert_eq!(FileFormat::from_name("README"), None);
}

/// `text` with every line break written as Windows writes it (Excel's "CSV" on Thai Windows: CRLF and
/// Windows-874), quoted line breaks in cells included.
fn windows_bytes(text: &str) -> Vec<u8> {
    let text = text.replace('\n', "\r\n");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_874.encode(&text);
    assert!(!unmappable, "the text is Thai and ASCII only");
    bytes.into_owned()
}

#[test]
fn crlf_line_ends_read_as_lf_ones_do_from_a_thai_path_with_spaces() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("ข้อมูล ส่ง สสช");
    std::fs::create_dir(&folder).expect("folder");
    let mut text = String::from("รายงานผู้รับเบี้ยยังชีพ\n\nid,\"ชื่อ\nเต็ม\",จังหวัด,จำนวน\n");
    for i in 0..3_000 {
        text.push_str(&format!("{i},\"ชื่อ {i}\nบรรทัดสอง\",น่าน,\"{},000\"\n", i + 1));
    }
    text.push_str("รวม,,,\"4,501,500\"\n");
    let unix = folder.join("ผู้รับ เบี้ย (LF).csv");
    std::fs::write(
        &unix,
        windows_bytes(&text)
            .iter()
            .filter(|b| **b != b'\r')
            .copied()
            .collect::<Vec<u8>>(),
    )
    .expect("LF file");
    let windows = folder.join("ผู้รับ เบี้ย (CRLF).csv");
    std::fs::write(&windows, windows_bytes(&text)).expect("CRLF file");

    let read = |path: &PathBuf| {
        let mut source = open(path, &OpenOptions::default()).expect("opens");
        let layout = source.detect_layout(None).expect("layout");
        let first = source.first_screen(&layout, 50).expect("first screen");
        let straight = source.rows(&layout, 2_222, 100).expect("unindexed window");
        source
            .build_row_index(&layout, &mut |_| {}, &AtomicBool::new(false))
            .expect("index");
        let indexed = source.rows(&layout, 2_222, 100).expect("indexed window");
        assert_eq!(straight.rows, indexed.rows, "{}", path.display());
        let profile = source
            .profile(&layout, &mut |_| {}, &AtomicBool::new(false))
            .expect("profile");
        (
            source.info().encoding.clone().map(|e| e.encoding),
            layout,
            first,
            indexed,
            profile,
        )
    };
    let (lf, crlf) = (read(&unix), read(&windows));
    assert_eq!(crlf.0.as_deref(), Some("windows-874"));
    assert_eq!(crlf.1.column_names, ["id", "ชื่อ เต็ม", "จังหวัด", "จำนวน"]);
    assert_eq!(crlf.1, lf.1, "the same layout");
    // A line break inside a quoted cell is the file's own text and is kept as written.
    let as_lf = |text: &str| text.replace("\r\n", "\n");
    for (crlf_rows, lf_rows) in [(&crlf.2.rows, &lf.2.rows), (&crlf.3.rows, &lf.3.rows)] {
        let cells = |rows: &[catalog_preview::DataRow]| -> Vec<Vec<String>> {
            rows.iter()
                .map(|r| r.cells.iter().map(|c| as_lf(c)).collect())
                .collect()
        };
        assert_eq!(cells(crlf_rows), cells(lf_rows));
    }
    assert_eq!(
        crlf.3.rows[0].cells[3], "2223,000",
        "no carriage return left in the last column"
    );
    let mut profile = crlf.4.clone();
    for (column, lf_column) in profile.columns.iter_mut().zip(&lf.4.columns) {
        // The estimate hashes the cells' text, so it differs by chance where the text differs.
        let (estimate, lf_estimate) = (column.distinct_estimate, lf_column.distinct_estimate);
        assert!(
            estimate.abs_diff(lf_estimate) <= lf_estimate / 20,
            "{estimate} vs {lf_estimate}"
        );
        column.distinct_estimate = lf_column.distinct_estimate;
        column.examples.iter_mut().for_each(|e| *e = as_lf(e));
        for bound in [&mut column.min, &mut column.max].into_iter().flatten() {
            *bound = as_lf(bound);
        }
    }
    assert_eq!(profile, lf.4, "the same profile");
    assert_eq!((crlf.4.data_rows, crlf.4.skipped.total), (3_000, 1));
}

#[test]
fn a_large_crlf_csv_profiles_on_every_core_as_the_lf_one_does() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut text = String::from("ปี,จังหวัด,อำเภอ,จำนวน\n");
    let districts = ["เมืองน่าน", "ปัว", "ท่าวังผา", "เวียงสา"];
    let mut row = 0u64;
    // Over two chunks of the parallel profile (4 MB each), so the cut falls between CR and LF or not.
    while text.len() < 10 * 1024 * 1024 {
        let district = districts[(row % 4) as usize];
        text.push_str(&format!("{},น่าน,{district},{}\n", 2560 + row % 8, row * 7 % 1000));
        row += 1;
    }
    let unix = write_file(&dir, "lf.csv", text.as_bytes());
    let windows = write_file(&dir, "crlf.csv", text.replace('\n', "\r\n").as_bytes());
    let profile = |path: &PathBuf| {
        let mut source = open(path, &OpenOptions::default()).expect("opens");
        let layout = source.detect_layout(None).expect("layout");
        source
            .profile(&layout, &mut |_| {}, &AtomicBool::new(false))
            .expect("profile")
    };
    let (lf, crlf) = (profile(&unix), profile(&windows));
    assert_eq!(crlf.data_rows, row);
    assert_eq!(crlf, lf);
}
