//! The TypeScript side of every type that crosses to the window: `ui/src/lib/generated/types.ts` is
//! written from the Rust types (ts-rs, which follows their serde attributes), so the UI's types cannot
//! drift from what the commands really send and take.
//!
//! The test fails when the committed file differs from what the Rust types give now. To write it again:
//! `CATALOG_UPDATE_TS=1 cargo test -p catalog-app --test typescript`.
//!
//! It also reads the shell's command signatures (`src-tauri/src/commands/*.rs`) and fails when a command
//! names a type that is not declared in the file, so a new command cannot skip this list.

use std::any::TypeId;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use ts_rs::{Config, TypeVisitor, TS};

/// Every type a command returns or takes, and every event's payload. Their fields' types follow.
fn roots(c: &mut Collector) {
    // app
    c.add::<catalog_app::settings::AppStatus>();
    c.add::<catalog_app::settings::SetupStatus>();
    c.add::<catalog_app::account::AccountView>();
    c.add::<catalog_app::account::TitleCheck>();
    c.add::<catalog_app::files::AttachReport>();
    c.add::<catalog_app::files::Relayout>();
    c.add::<catalog_app::publishing::OutboxAction>();
    c.add::<catalog_app::publishing::PublishPanel>();
    c.add::<catalog_app::transfer::ExportKind>();
    // drafts, review, the form
    c.add::<catalog_core::schema_cache::SchemaInfo>();
    c.add::<catalog_core::metadata::DraftListItem>();
    c.add::<catalog_core::metadata::DraftView>();
    c.add::<catalog_core::metadata::FormLayout>();
    c.add::<catalog_core::checklist::Checklist>();
    c.add::<catalog_core::Draft>();
    c.add::<catalog_core::ReviewDecision>();
    c.add::<catalog_core::review_sheet::Lang>();
    c.add::<serde_json::Value>();
    // files and the preview
    c.add::<catalog_core::preview::PreviewChoice>();
    c.add::<catalog_core::preview::PreviewScreen>();
    c.add::<catalog_core::preview::ProfileReport>();
    c.add::<catalog_preview::RowWindow>();
    c.add::<catalog_preview::RowIndexSummary>();
    c.add::<catalog_preview::TableLayout>();
    // transfer
    c.add::<catalog_import::ImportPlan>();
    c.add::<catalog_import::Applied>();
    c.add::<catalog_import::folder::FolderPlan>();
    c.add::<catalog_import::folder::FolderApplied>();
    c.add::<catalog_core::package::Manifest>();
    c.add::<catalog_core::package::IncomingPackage>();
    // publishing
    c.add::<catalog_publish::OutboxItem>();
    c.add::<catalog_publish::DryRun>();
    c.add::<catalog_publish::StoredGdc>();
    // events (`catalog_app::events::DeskEvent`'s payloads)
    c.add::<catalog_app::events::FileProgress>();
    c.add::<catalog_app::events::FolderProgress>();
    c.add::<catalog_publish::PublishProgress>();
    // every failure: `catalog_app::Failure` is a `UserMessage` on the wire
    c.add::<catalog_error::UserMessage>();
}

const HEADER: &str = "\
// Generated from the Rust types by crates/app/tests/typescript.rs (ts-rs). Do not edit by hand.
// Regenerate: CATALOG_UPDATE_TS=1 cargo test -p catalog-app --test typescript
";

struct Collector {
    cfg: Config,
    seen: HashSet<TypeId>,
    /// TypeScript name → (Rust type, declaration).
    decls: BTreeMap<String, (&'static str, String)>,
    clashes: Vec<String>,
}

impl Collector {
    fn add<T: TS + 'static + ?Sized>(&mut self) {
        self.visit::<T>();
    }
}

impl TypeVisitor for Collector {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        // Primitives, containers and std types have no declaration of their own.
        if T::output_path().is_none() || !self.seen.insert(TypeId::of::<T>()) {
            return;
        }
        let rust = std::any::type_name::<T>();
        let decl = format!("{}export {}", T::docs().unwrap_or_default(), T::decl(&self.cfg));
        let name = T::ident(&self.cfg);
        // (`serde_json::Value` and ts-rs's own stand-in for it are one declaration.)
        if let Some((other, before)) = self.decls.insert(name.clone(), (rust, decl.clone())) {
            if before != decl {
                self.clashes.push(format!("{name}: {other} and {rust}"));
            }
        }
        T::visit_dependencies(self);
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn generate() -> (String, BTreeSet<String>) {
    // serde_json writes 64-bit integers as JSON numbers, which JavaScript reads as `number`.
    let mut collector = Collector {
        cfg: Config::new().with_large_int("number"),
        seen: HashSet::new(),
        decls: BTreeMap::new(),
        clashes: Vec::new(),
    };
    roots(&mut collector);
    assert!(
        collector.clashes.is_empty(),
        "two Rust types would have one TypeScript name (give one #[ts(rename = \"…\")]): {:#?}",
        collector.clashes
    );
    let mut out = String::from(HEADER);
    for (_, decl) in collector.decls.values() {
        out.push('\n');
        out.push_str(decl.trim_end());
        out.push('\n');
    }
    (out, collector.decls.into_keys().collect())
}

#[test]
fn the_generated_typescript_matches_the_rust_types() {
    let (generated, _) = generate();
    let path = repo_root().join("ui/src/lib/generated/types.ts");
    if std::env::var_os("CATALOG_UPDATE_TS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is not what the Rust types give now; write it again with \
         `CATALOG_UPDATE_TS=1 cargo test -p catalog-app --test typescript` and commit it",
        path.display()
    );
}

/// The type names a command's arguments and result use (`Answer<Vec<OutboxItem>>` → `OutboxItem`).
fn command_type_names(source: &str) -> BTreeSet<String> {
    const NOT_OURS: &[&str] = &[
        "Answer",
        "Option",
        "Vec",
        "String",
        "PathBuf",
        "DeskState",
        "AppHandle",
        "Value",
        "bool",
        "usize",
        "i64",
    ];
    let mut names = BTreeSet::new();
    for command in source.split("#[tauri::command]").skip(1) {
        let signature = command.split('{').next().unwrap_or_default();
        let signature = signature.split_once('(').map_or("", |(_, rest)| rest);
        for word in signature.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
            if word.starts_with(|c: char| c.is_ascii_uppercase()) && !NOT_OURS.contains(&word) {
                names.insert(word.to_owned());
            }
        }
    }
    names
}

#[test]
fn every_type_a_command_names_is_generated() {
    let (_, declared) = generate();
    let dir = repo_root().join("src-tauri/src/commands");
    let mut missing = Vec::new();
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let source = std::fs::read_to_string(&path).unwrap();
        for name in command_type_names(&source) {
            seen += 1;
            if !declared.contains(&name) {
                missing.push(format!("{name} ({})", path.display()));
            }
        }
    }
    assert!(seen > 20, "the commands' types were not found in {}", dir.display());
    assert!(
        missing.is_empty(),
        "commands name types that are not generated (add them to `roots`): {missing:#?}"
    );
}

#[test]
fn command_signatures_are_read() {
    let source =
        "#[tauri::command]\npub async fn a(desk: DeskState<'_>, x: PreviewChoice) -> Answer<Vec<OutboxItem>> {\n}";
    let names: Vec<_> = command_type_names(source).into_iter().collect();
    assert_eq!(names, ["OutboxItem", "PreviewChoice"]);
}
