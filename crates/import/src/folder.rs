//! Folder import: the files of a folder matched to drafts and attached as their resources in one go.
//! A file matches a draft when it sits in a sub-folder named by the draft's URL name, when its name
//! without extension is that URL name, or when it is the file a link resource of the draft points to
//! (the last part of the link, as a bulk template's URL column gives it); letter case does not matter,
//! as it does not in Windows' file names. Hidden files (a leading dot, or Windows' hidden or system
//! attribute: `Thumbs.db`, `desktop.ini`) and the lock files Office leaves beside an open document
//! (`~$…`) are not offered. Matching is a dry run; attaching reports progress after each file and stops
//! between files when asked to.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use catalog_core::Store;
use catalog_schema::keys;
use serde::Serialize;
use serde_json::Value;

use crate::error::ImportError;

/// How a file was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    Folder,
    FileName,
    ResourceLink,
}

/// One file and the draft it goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct FileMatch {
    pub path: PathBuf,
    pub draft_id: String,
    pub slug: String,
    pub matched_by: MatchedBy,
    /// The draft already has a file of this name and size; it is not attached again.
    pub already_attached: bool,
}

/// The dry run of a folder import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct FolderPlan {
    pub matches: Vec<FileMatch>,
    /// Files no draft claims.
    pub unmatched: Vec<PathBuf>,
}

/// What attaching did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct FolderApplied {
    pub attached: usize,
    pub skipped: usize,
    /// Stopped on request before every file was attached.
    pub cancelled: bool,
}

/// Files nobody means to attach: hidden ones and Office's lock files.
fn not_offered(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    name.starts_with('.') || name.starts_with("~$") || hidden_by_windows(path)
}

#[cfg(windows)]
fn hidden_by_windows(path: &Path) -> bool {
    use std::os::windows::fs::MetadataExt;
    const HIDDEN_OR_SYSTEM: u32 = 0x2 | 0x4;
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_attributes() & HIDDEN_OR_SYSTEM != 0)
}

#[cfg(not(windows))]
fn hidden_by_windows(_: &Path) -> bool {
    false
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), ImportError> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| crate::error::unreadable(dir, &e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if not_offered(&path) {
            continue;
        }
        if path.is_dir() {
            files_under(&path, out)?;
        } else if path.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

fn last_segment(url: &str) -> &str {
    url.trim_end_matches('/').rsplit('/').next().unwrap_or_default()
}

/// Matches every file under `folder` (sub-folders included, hidden files aside) to a draft.
pub fn plan(folder: &Path, store: &Store) -> Result<FolderPlan, ImportError> {
    // Not `canonicalize`: on Windows it gives `\\?\C:\…`, which would be shown and kept as the path.
    let folder = std::path::absolute(folder).map_err(|e| crate::error::unreadable(folder, &e))?;
    let mut files = Vec::new();
    files_under(&folder, &mut files)?;
    // Keyed in lower case, as names are compared.
    let mut by_slug: HashMap<String, (String, String)> = HashMap::new();
    let mut by_link: HashMap<(String, String), String> = HashMap::new();
    let mut existing: HashMap<String, Vec<(String, u64)>> = HashMap::new();
    for summary in store.list_drafts("")? {
        for resource in store.resources(&summary.id)? {
            let url = resource
                .metadata
                .get(keys::URL)
                .and_then(Value::as_str)
                .unwrap_or_default();
            if resource.size == 0 && !url.is_empty() {
                by_link.insert(
                    (summary.id.clone(), last_segment(url).to_lowercase()),
                    summary.slug.clone(),
                );
            }
            existing
                .entry(summary.id.clone())
                .or_default()
                .push((resource.name, resource.size));
        }
        by_slug.insert(summary.slug.to_lowercase(), (summary.slug, summary.id));
    }
    let mut result = FolderPlan::default();
    for path in files {
        let relative = path.strip_prefix(&folder).unwrap_or(&path);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = path
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let parent = relative
            .parent()
            .and_then(|p| p.components().next())
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        let slug_named = |text: &str, by: MatchedBy| {
            by_slug
                .get(&text.to_lowercase())
                .map(|(slug, id)| (slug.clone(), id.clone(), by))
        };
        let found = parent
            .and_then(|p| slug_named(&p, MatchedBy::Folder))
            .or_else(|| slug_named(&stem, MatchedBy::FileName))
            .or_else(|| {
                let name = name.to_lowercase();
                by_link
                    .iter()
                    .find(|((_, file), _)| *file == name)
                    .map(|((id, _), slug)| (slug.clone(), id.clone(), MatchedBy::ResourceLink))
            });
        match found {
            Some((slug, draft_id, matched_by)) => {
                let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or_default();
                let already_attached = existing
                    .get(&draft_id)
                    .is_some_and(|files| files.iter().any(|(n, s)| *n == name && *s == size));
                result.matches.push(FileMatch {
                    path,
                    draft_id,
                    slug,
                    matched_by,
                    already_attached,
                });
            }
            None => result.unmatched.push(path),
        }
    }
    Ok(result)
}

/// Attaches the matched files, one at a time (each file is copied, then recorded in its own
/// transaction). `progress(done, total)` is called after each file; returning `false` stops there.
pub fn apply(
    plan: &FolderPlan,
    store: &mut Store,
    actor: &str,
    mut progress: impl FnMut(usize, usize) -> bool,
) -> Result<FolderApplied, ImportError> {
    let mut applied = FolderApplied::default();
    let total = plan.matches.len();
    for (i, file) in plan.matches.iter().enumerate() {
        if file.already_attached {
            applied.skipped += 1;
        } else {
            store.attach_file(&file.draft_id, &file.path, actor)?;
            applied.attached += 1;
        }
        if !progress(i + 1, total) && i + 1 < total {
            applied.cancelled = true;
            break;
        }
    }
    Ok(applied)
}
