//! The review package: one file that carries a draft from an editor's computer to the data steward's
//! and back (metadata, resource files with their analyses, review log and every other revision,
//! the hint decisions among them). A zip with a manifest,
//! the draft, its resources, its revisions and `files/<sha256>`. Reading one trusts nothing: only the
//! expected entry names are accepted (no paths, no links), every entry's size is bounded, every file
//! must match its declared hash and size, and nothing is written to the drafts until the whole package
//! has checked out — so a damaged package changes nothing.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use catalog_error::{ToUserMessage, UserMessage};
use catalog_schema::{Schema, Scope};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::error::StoreError;
use crate::store::{PackagedAnalysis, PackagedDraft, Store};

const FORMAT: &str = "catalog-desk-review-package";
const FORMAT_VERSION: u32 = 1;
const MANIFEST: &str = "catalog-desk-package.json";
const CONTENT: &str = "draft.json";
const FILES: &str = "files/";
/// The draft, its resources and revisions as JSON never come near this.
const MAX_JSON_BYTES: u64 = 64 << 20;
/// Entries besides the files: the manifest and the content.
const MAX_ENTRIES: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub app_version: String,
    pub exported_at: String,
    pub exported_by: String,
    pub draft_id: String,
    pub title: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("cannot read or write {path}: {reason}")]
    Io { path: PathBuf, reason: String },
    #[error("{0} is not a Catalog Desk review package")]
    NotAPackage(PathBuf),
    #[error("the package was made by a newer Catalog Desk (format {0})")]
    TooNew(u32),
    #[error("the package is damaged: {0}")]
    Damaged(String),
    #[error("the package holds an entry that is not allowed: {0}")]
    UnsafeEntry(String),
    #[error("the package is older than this computer's copy of the draft")]
    OlderThanLocal,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ToUserMessage for PackageError {
    fn to_user_message(&self) -> UserMessage {
        match self {
            PackageError::Io { path, reason } => UserMessage::new(
                "package.io",
                format!("อ่านหรือเขียนไฟล์ {} ไม่ได้ ({reason})", path.display()),
                format!("Cannot read or write {} ({reason}).", path.display()),
            ),
            PackageError::NotAPackage(path) => UserMessage::new(
                "package.not_a_package",
                format!("{} ไม่ใช่แพ็กเกจตรวจทานของ Catalog Desk", path.display()),
                format!("{} is not a Catalog Desk review package.", path.display()),
            ),
            PackageError::TooNew(version) => UserMessage::new(
                "package.too_new",
                format!("แพ็กเกจนี้สร้างจาก Catalog Desk รุ่นใหม่กว่า (รูปแบบ {version}) โปรดปรับรุ่นโปรแกรม"),
                format!("This package comes from a newer Catalog Desk (format {version}); please update the app."),
            ),
            PackageError::Damaged(detail) => UserMessage::new(
                "package.damaged",
                format!("แพ็กเกจเสียหาย ({detail}) ไม่มีการเปลี่ยนแปลงใดๆ โปรดขอไฟล์ใหม่จากผู้ส่ง"),
                format!("The package is damaged ({detail}); nothing was changed. Ask the sender for a new copy."),
            ),
            PackageError::UnsafeEntry(name) => UserMessage::new(
                "package.unsafe_entry",
                format!("แพ็กเกจมีรายการที่ไม่อนุญาต ({name}) จึงไม่นำเข้า ไม่มีการเปลี่ยนแปลงใดๆ"),
                format!("The package holds an entry that is not allowed ({name}); it was not imported and nothing changed."),
            ),
            PackageError::OlderThanLocal => UserMessage::new(
                "package.older",
                "ฉบับร่างในเครื่องนี้ใหม่กว่าแพ็กเกจ การนำเข้าจะทำให้การแก้ไขในเครื่องนี้หายไป จึงไม่นำเข้า",
                "This computer's copy of the draft is newer than the package; importing would lose its changes, so it was not imported.",
            ),
            PackageError::Store(err) => err.to_user_message(),
        }
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> PackageError + '_ {
    move |e| PackageError::Io {
        path: path.to_owned(),
        reason: e.to_string(),
    }
}

fn damaged(detail: impl std::fmt::Display) -> PackageError {
    PackageError::Damaged(detail.to_string())
}

/// Writes the draft's review package to `out` (through a temporary file, so a failed export leaves no
/// half package).
pub fn export(store: &Store, draft_id: &str, out: &Path, exported_by: &str) -> Result<Manifest, PackageError> {
    let packaged = store.packaged(draft_id)?;
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        exported_at: crate::store::now(),
        exported_by: exported_by.to_owned(),
        draft_id: packaged.draft.id.clone(),
        title: packaged.draft.title.clone(),
    };
    let folder = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let temp = tempfile::NamedTempFile::new_in(folder).map_err(io(out))?;
    let mut zip = ZipWriter::new(BufWriter::new(temp.as_file()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let mut add_json = |name: &str, value: &Value| -> Result<(), PackageError> {
        zip.start_file(name, options).map_err(damaged)?;
        zip.write_all(serde_json::to_string_pretty(value).unwrap_or_default().as_bytes())
            .map_err(io(out))
    };
    add_json(MANIFEST, &json!(manifest))?;
    add_json(CONTENT, &json!(packaged))?;
    let mut written = Vec::new();
    for resource in packaged.resources.iter().filter(|r| !r.stored_path.is_empty()) {
        if written.contains(&resource.sha256) {
            continue;
        }
        let path = store.blobs().path_of(&resource.sha256);
        let mut blob = File::open(&path).map_err(io(&path))?;
        zip.start_file(format!("{FILES}{}", resource.sha256), options)
            .map_err(damaged)?;
        std::io::copy(&mut blob, &mut zip).map_err(io(out))?;
        written.push(resource.sha256.clone());
    }
    zip.finish().map_err(damaged)?.flush().map_err(io(out))?;
    temp.as_file().sync_all().map_err(io(out))?;
    temp.persist(out).map_err(|e| io(out)(e.error))?;
    Ok(manifest)
}

/// How an incoming package relates to what this computer has.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Comparison {
    /// This computer does not have the draft.
    New,
    /// The package is newer: these fields (and possibly the review state and files) change.
    Newer {
        changes: Vec<FieldChange>,
        state: Option<(String, String)>,
        files_added: usize,
        files_removed: usize,
    },
    /// The same version as here.
    Same,
    /// This computer's copy is newer; importing would lose its changes, so it is refused.
    Older,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(rename = "PackageFieldChange")]
pub struct FieldChange {
    pub field: String,
    /// The field's label in the schema in use (none for a key the schema does not know).
    pub label: Option<catalog_error::Bilingual>,
    pub before: Value,
    pub after: Value,
}

/// A checked package, its files already in the blob store, ready to apply.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct IncomingPackage {
    pub manifest: Manifest,
    pub comparison: Comparison,
    #[serde(skip)]
    packaged: PackagedDraft,
}

fn entry_json<T: for<'de> Deserialize<'de>>(
    archive: &mut ZipArchive<BufReader<File>>,
    name: &str,
) -> Result<T, PackageError> {
    let entry = archive
        .by_name(name)
        .map_err(|_| damaged(format!("{name} is missing")))?;
    if entry.size() > MAX_JSON_BYTES {
        return Err(damaged(format!("{name} is too large")));
    }
    let mut text = String::new();
    entry
        .take(MAX_JSON_BYTES)
        .read_to_string(&mut text)
        .map_err(|e| damaged(format!("{name}: {e}")))?;
    serde_json::from_str(&text).map_err(|e| damaged(format!("{name}: {e}")))
}

fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Checks a package from top to bottom and copies its files into the blob store (each verified
/// against its declared hash and size). Nothing about drafts is written; copies of a package that is
/// then not applied are collected the next time the store opens.
pub fn read(store: &Store, schema: &Schema, path: &Path) -> Result<IncomingPackage, PackageError> {
    let file = File::open(path).map_err(io(path))?;
    let mut archive = ZipArchive::new(BufReader::new(file)).map_err(|_| PackageError::NotAPackage(path.to_owned()))?;
    if archive.len() > MAX_ENTRIES {
        return Err(damaged("too many entries"));
    }
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(damaged)?;
        let name = entry.name().map_err(damaged)?.into_owned();
        let allowed = name == MANIFEST || name == CONTENT || name.strip_prefix(FILES).is_some_and(is_sha256);
        let is_link = entry.unix_mode().is_some_and(|mode| mode & 0o170000 == 0o120000);
        if !allowed || is_link || entry.is_dir() || entry.enclosed_name().is_none() {
            return Err(PackageError::UnsafeEntry(name));
        }
    }
    let manifest: Manifest =
        entry_json(&mut archive, MANIFEST).map_err(|_| PackageError::NotAPackage(path.to_owned()))?;
    if manifest.format != FORMAT {
        return Err(PackageError::NotAPackage(path.to_owned()));
    }
    if manifest.format_version > FORMAT_VERSION {
        return Err(PackageError::TooNew(manifest.format_version));
    }
    let packaged: PackagedDraft = entry_json(&mut archive, CONTENT)?;
    if packaged.draft.id != manifest.draft_id
        || packaged.resources.iter().any(|r| r.draft_id != manifest.draft_id)
        || packaged.revisions.iter().any(|r| r.draft_id != manifest.draft_id)
    {
        return Err(damaged("its parts belong to different drafts"));
    }
    let analysed_file = |a: &PackagedAnalysis| {
        packaged
            .resources
            .iter()
            .any(|r| r.id == a.resource_id && r.sha256 == a.sha256 && !r.stored_path.is_empty())
    };
    if !packaged.analyses.iter().all(analysed_file) || packaged.analyses.len() > packaged.resources.len() {
        return Err(damaged("an analysis is not about one of its files"));
    }
    for resource in packaged.resources.iter().filter(|r| !r.stored_path.is_empty()) {
        let name = format!("{FILES}{}", resource.sha256);
        let entry = archive
            .by_name(&name)
            .map_err(|_| damaged(format!("the file of {} is missing", resource.name)))?;
        if entry.size() != resource.size {
            return Err(damaged(format!("{} has the wrong size", resource.name)));
        }
        let copied = store
            .blobs()
            .ingest_reader(entry.take(resource.size + 1), Path::new(&name))?;
        if copied.sha256 != resource.sha256 || copied.size != resource.size {
            store.release_blob(&copied.sha256)?;
            return Err(damaged(format!("{} does not match its checksum", resource.name)));
        }
    }
    let comparison = compare(store, schema, &packaged)?;
    Ok(IncomingPackage {
        manifest,
        comparison,
        packaged,
    })
}

fn compare(store: &Store, schema: &Schema, incoming: &PackagedDraft) -> Result<Comparison, PackageError> {
    let local = match store.packaged(&incoming.draft.id) {
        Ok(local) => local,
        Err(StoreError::DraftNotFound(_)) => return Ok(Comparison::New),
        Err(other) => return Err(other.into()),
    };
    if local.draft == incoming.draft && local.resources == incoming.resources {
        return Ok(Comparison::Same);
    }
    if incoming.draft.updated_at < local.draft.updated_at {
        return Ok(Comparison::Older);
    }
    let mut keys: Vec<&String> = local
        .draft
        .metadata
        .keys()
        .chain(incoming.draft.metadata.keys())
        .collect();
    keys.sort();
    keys.dedup();
    let changes = keys
        .into_iter()
        .filter_map(|key| {
            let before = local.draft.metadata.get(key).cloned().unwrap_or(Value::Null);
            let after = incoming.draft.metadata.get(key).cloned().unwrap_or(Value::Null);
            let label = schema.field(Scope::Dataset, key).map(|f| f.label.clone());
            (before != after).then(|| FieldChange {
                field: key.clone(),
                label,
                before,
                after,
            })
        })
        .collect();
    let state = (local.draft.state != incoming.draft.state).then(|| {
        (
            json!(local.draft.state).to_string(),
            json!(incoming.draft.state).to_string(),
        )
    });
    let has = |list: &[crate::store::Resource], sha: &str| list.iter().any(|r| r.sha256 == sha);
    Ok(Comparison::Newer {
        changes,
        state,
        files_added: incoming
            .resources
            .iter()
            .filter(|r| !has(&local.resources, &r.sha256))
            .count(),
        files_removed: local
            .resources
            .iter()
            .filter(|r| !has(&incoming.resources, &r.sha256))
            .count(),
    })
}

/// Writes a checked package into the store (a new draft, or the newer version of a known one).
pub fn apply(store: &mut Store, incoming: &IncomingPackage, actor: &str) -> Result<(), PackageError> {
    match incoming.comparison {
        Comparison::Same => Ok(()),
        Comparison::Older => Err(PackageError::OlderThanLocal),
        Comparison::New | Comparison::Newer { .. } => {
            let summary = json!({
                "exported_by": incoming.manifest.exported_by,
                "exported_at": incoming.manifest.exported_at,
                "comparison": incoming.comparison,
            });
            Ok(store.apply_package(&incoming.packaged, actor, summary)?)
        }
    }
}
