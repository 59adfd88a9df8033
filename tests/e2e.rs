//! End-to-end tests of the real app window: the built binary under Xvfb, driven through WebDriver
//! (tauri-driver + WebKitGTK's WebKitWebDriver). Every run saves screenshots under
//! `target/e2e-screenshots/`. These tests need a display and the drivers, so plain `cargo test` lists
//! them as ignored; `scripts/test` runs them with `--include-ignored` under `xvfb-run`, and there a
//! missing driver, display or corpus fails the run with the reason.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};

const APP: &str = env!("CARGO_BIN_EXE_catalog-desk");

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared corpus of real Thai files, which must not be copied into the repository.
fn corpus_file(name: &str) -> PathBuf {
    let dir = std::env::var_os("CATALOG_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/corpus"));
    let file = dir.join(name);
    assert!(
        file.is_file(),
        "corpus file {} is missing: the E2E tests read ../shared/corpus (or $CATALOG_CORPUS)",
        file.display()
    );
    file.canonicalize().unwrap()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn find_tauri_driver() -> PathBuf {
    let candidates = std::env::var_os("PATH")
        .map(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join("tauri-driver"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .chain(dirs_home().map(|home| home.join(".cargo/bin/tauri-driver")));
    for candidate in candidates {
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!("tauri-driver not found: install it with `cargo install tauri-driver@2.1.0 --locked` (scripts/test does)");
}

fn dirs_home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

/// tauri-driver running for one test, with the app's data folder set; killed on drop.
struct Driver {
    process: Child,
    port: u16,
}

impl Driver {
    fn start(data_dir: &Path) -> Driver {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "no DISPLAY: run the E2E tests under xvfb-run (scripts/test does)"
        );
        assert!(
            Path::new("/usr/bin/WebKitWebDriver").exists() || which("WebKitWebDriver"),
            "WebKitWebDriver missing: install the webkit2gtk-driver package (scripts/test does)"
        );
        let port = free_port();
        let process = Command::new(find_tauri_driver())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &free_port().to_string(),
            ])
            .env("CATALOG_DESK_DATA_DIR", data_dir)
            .env("NO_AT_BRIDGE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tauri-driver starts");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not listen on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { process, port }
    }

    /// Starts the app and returns a WebDriver session on its window, once the UI has loaded.
    async fn launch_app(&self) -> Client {
        let capabilities = serde_json::json!({
            "browserName": "wry",
            "tauri:options": { "application": APP, "args": [] }
        });
        let client = ClientBuilder::native()
            .capabilities(capabilities.as_object().unwrap().clone())
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("WebDriver session on the app");
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("body[data-ready='true']"))
            .await
            .expect("the UI loads");
        client
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn which(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

async fn wait_for_text(client: &Client, css: &str, expected: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            if element
                .text()
                .await
                .is_ok_and(|text| text.contains(expected))
            {
                return;
            }
        }
        assert!(Instant::now() < deadline, "{css} never showed “{expected}”");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Saves a screenshot after two animation frames, so it shows the latest DOM, and returns its path.
async fn screenshot(client: &Client, name: &str) -> PathBuf {
    client
        .execute_async("const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));", vec![])
        .await
        .unwrap();
    let png = client.screenshot().await.unwrap();
    let dir = repo_root().join("target/e2e-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png).unwrap();
    println!("screenshot: {}", path.display());
    path
}

async fn create_draft(client: &Client, title: &str) -> String {
    client
        .find(Locator::Css("#new-draft"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let input = client
        .wait()
        .for_element(Locator::Css("#new-draft-title"))
        .await
        .unwrap();
    input.send_keys(title).await.unwrap();
    client
        .find(Locator::Css("#new-draft-create"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(client, "#draft-title", title).await;
    let selected = client
        .find(Locator::Css(".draft-item.selected"))
        .await
        .unwrap();
    selected
        .attr("data-id")
        .await
        .unwrap()
        .expect("draft items carry their id")
}

/// What the window's drag-and-drop handler does with dropped files (WebDriver cannot drop native files).
async fn drop_files(client: &Client, draft_id: &str, paths: &[&Path]) -> serde_json::Value {
    let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let report = client
        .execute_async(
            "const [draftId, paths, done] = arguments;
             window.__TAURI_INTERNALS__.invoke('attach_files', { draftId, paths }).then(done, (e) => done({ error: e }));",
            vec![serde_json::json!(draft_id), serde_json::json!(paths)],
        )
        .await
        .unwrap();
    assert!(report.get("error").is_none(), "attach failed: {report}");
    report
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run scripts/test (cargo test -- --include-ignored under xvfb-run)"]
async fn a_draft_and_its_attached_file_are_there_after_a_restart() {
    let data_dir = tempfile::tempdir().unwrap();
    let births = corpus_file("nida_birthrate_TH.csv");
    let driver = Driver::start(data_dir.path());
    let title = "สถิติการเกิดรายจังหวัด พ.ศ. 2536–2564";

    let client = driver.launch_app().await;
    let draft_id = create_draft(&client, title).await;
    drop_files(&client, &draft_id, &[&births]).await;
    wait_for_text(
        &client,
        ".resource-row[data-name='nida_birthrate_TH.csv']",
        "98.2 KB",
    )
    .await;
    screenshot(&client, "01-draft-with-file").await;
    client.close().await.unwrap();

    let client = driver.launch_app().await;
    wait_for_text(&client, ".draft-item", title).await;
    wait_for_text(&client, ".draft-item", "1 ไฟล์").await;
    client
        .find(Locator::Css(&format!(".draft-item[data-id='{draft_id}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&client, "#draft-title", title).await;
    wait_for_text(
        &client,
        ".resource-row[data-name='nida_birthrate_TH.csv']",
        "nida_birthrate_TH.csv",
    )
    .await;
    let page = client
        .find(Locator::Css(".draft-dates"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let years: Vec<u32> = page
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(
        !years.is_empty() && years.iter().all(|&y| y > 2500),
        "dates are in the Buddhist era: {page}"
    );
    screenshot(&client, "02-after-restart-th").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run scripts/test (cargo test -- --include-ignored under xvfb-run)"]
async fn search_rename_language_switch_and_delete_with_confirmation() {
    let data_dir = tempfile::tempdir().unwrap();
    let dbd = corpus_file("dbd_99_201501.csv");
    let driver = Driver::start(data_dir.path());
    let client = driver.launch_app().await;

    let first = create_draft(&client, "นิติบุคคลจดทะเบียนใหม่ มกราคม 2558").await;
    let report = drop_files(&client, &first, &[&dbd, Path::new("/no/such/file.csv")]).await;
    assert_eq!(
        report["attached"].as_array().unwrap().len(),
        1,
        "the good file is attached: {report}"
    );
    assert_eq!(report["failed"][0]["path"], "/no/such/file.csv");
    assert_eq!(
        report["failed"][0]["error"]["code"], "file.not_a_file",
        "the bad one is reported by name: {report}"
    );
    wait_for_text(
        &client,
        ".resource-row[data-name='dbd_99_201501.csv']",
        "1.1 MB",
    )
    .await;
    create_draft(&client, "ราคาสินค้าเกษตร").await;

    client
        .find(Locator::Css("#search"))
        .await
        .unwrap()
        .send_keys("นิติบุคคล")
        .await
        .unwrap();
    wait_for_text(&client, ".draft-list", "นิติบุคคลจดทะเบียนใหม่").await;
    let shown = client.find_all(Locator::Css(".draft-item")).await.unwrap();
    assert_eq!(shown.len(), 1, "search by title keeps only the match");

    client
        .find(Locator::Css(&format!(".draft-item[data-id='{first}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .find(Locator::Css("#rename"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let input = client
        .wait()
        .for_element(Locator::Css("#rename-input"))
        .await
        .unwrap();
    input.clear().await.unwrap();
    input
        .send_keys("นิติบุคคลจดทะเบียนใหม่ ม.ค. 2558")
        .await
        .unwrap();
    client
        .find(Locator::Css("#rename-save"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&client, "#draft-title", "นิติบุคคลจดทะเบียนใหม่ ม.ค. 2558").await;

    client
        .find(Locator::Css("#lang-en"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&client, "#resources-heading", "Resource files").await;
    screenshot(&client, "03-english").await;
    client
        .find(Locator::Css("#lang-th"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&client, "#resources-heading", "ทรัพยากรข้อมูล").await;

    client
        .find(Locator::Css("#delete-draft"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&client, ".modal", "ลบฉบับร่างนี้?").await;
    screenshot(&client, "04-confirm-delete").await;
    client
        .find(Locator::Css("#confirm-delete"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&client, ".welcome", "ยินดีต้อนรับ").await;
    let search = client.find(Locator::Css("#search")).await.unwrap();
    search
        .send_keys(&format!(
            "{}a{}",
            Key::Control.to_string(),
            Key::Backspace.to_string()
        ))
        .await
        .unwrap();
    wait_for_text(&client, ".draft-list", "ราคาสินค้าเกษตร").await;
    let remaining = client.find_all(Locator::Css(".draft-item")).await.unwrap();
    assert_eq!(
        remaining.len(),
        1,
        "the deleted draft is gone from the list"
    );
    client.close().await.unwrap();
}
