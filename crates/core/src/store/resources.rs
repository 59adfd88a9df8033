//! Resource files (ทรัพยากรข้อมูล) of a draft: attaching copies the file into the blob store first and
//! records it second, so a recorded resource always has its copy; removing the last reference to a copy
//! deletes it.

use std::path::Path;

use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use serde_json::json;

use catalog_schema::keys;

use super::review::record_edit;
use super::revisions::RevisionAction;
use super::{json_column, now, Store};
use crate::error::StoreError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Resource {
    pub id: String,
    pub draft_id: String,
    /// Shown name; starts as the file name.
    pub name: String,
    /// Where the file was when it was attached (it may since have moved).
    pub original_path: String,
    /// The copy, relative to the data folder.
    pub stored_path: String,
    pub sha256: String,
    pub size: u64,
    pub media_type: String,
    pub added_at: String,
    /// The resource's own metadata fields (name, description, format, access flag …), by schema key.
    pub metadata: serde_json::Map<String, serde_json::Value>,
    /// The table layout the person corrected in the preview; `None` while the detected one is used.
    pub layout: Option<serde_json::Value>,
    /// When the file's contents were last shown in the preview.
    pub previewed_at: Option<String>,
}

pub(super) const RESOURCE_COLUMNS: &str =
    "id, draft_id, name, original_path, stored_path, sha256, size, media_type, added_at, metadata, layout, previewed_at";

pub(super) fn resource_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Resource> {
    Ok(Resource {
        id: row.get(0)?,
        draft_id: row.get(1)?,
        name: row.get(2)?,
        original_path: row.get(3)?,
        stored_path: row.get(4)?,
        sha256: row.get(5)?,
        size: row.get::<_, i64>(6)?.try_into().unwrap_or_default(),
        media_type: row.get(7)?,
        added_at: row.get(8)?,
        metadata: json_column(row, 9)?,
        layout: row
            .get::<_, Option<String>>(10)?
            .map(|text| serde_json::from_str(&text))
            .transpose()
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(10, rusqlite::types::Type::Text, e.into()))?,
        previewed_at: row.get(11)?,
    })
}

/// Whether `path` lies in `folder`, as written or with links resolved. Resolving can fail where the file
/// is fine (Windows' `GetFinalPathNameByHandle` on RAM disks and some virtual drives, rust-lang/rust#79449;
/// under Wine, past 260 characters), so the written form is always compared too; a file that does not
/// exist is refused when it is copied.
fn is_inside(path: &Path, folder: &Path) -> bool {
    let written = matches!(
        (std::path::absolute(path), std::path::absolute(folder)),
        (Ok(path), Ok(folder)) if path.starts_with(&folder)
    );
    let resolved = matches!(
        (path.canonicalize(), folder.canonicalize()),
        (Ok(path), Ok(folder)) if path.starts_with(&folder)
    );
    written || resolved
}

impl Store {
    /// Copies the file at `source` into the store and attaches it to the draft. `source` must be an
    /// absolute path to a regular file outside the data folder (paths may come from the UI's drag and
    /// drop, so they are checked here rather than trusted).
    pub fn attach_file(&mut self, draft_id: &str, source: &Path, actor: &str) -> Result<Resource, StoreError> {
        self.draft(draft_id)?;
        self.check_attachable(source)?;
        let blob = self.blobs.ingest(source)?;
        let id = uuid::Uuid::new_v4().to_string();
        let name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| blob.sha256.clone());
        let media_type = mime_guess::from_path(source)
            .first_or_octet_stream()
            .essence_str()
            .to_owned();
        let stored_path = self.blobs.relative_path_of(&blob.sha256);
        let original_path = source.to_string_lossy().into_owned();
        let format = source
            .extension()
            .map(|e| e.to_string_lossy().to_uppercase())
            .unwrap_or_default();
        let metadata = json!({ keys::NAME: name, keys::URL: name, keys::FORMAT: format }).to_string();
        let at = now();
        let recorded = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .and_then(|tx| {
                tx.execute(
                    "INSERT INTO resources (id, draft_id, name, original_path, stored_path, sha256, size, media_type, added_at, metadata)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    params![id, draft_id, name, original_path, stored_path, blob.sha256, blob.size as i64, media_type, at, metadata],
                )?;
                record_edit(
                    &tx,
                    draft_id,
                    &at,
                    actor,
                    RevisionAction::ResourceAdded,
                    json!({ "resource_id": id, "name": name, "sha256": blob.sha256, "size": blob.size }),
                )?;
                tx.commit()
            });
        if let Err(err) = recorded {
            self.release_blob(&blob.sha256)?;
            return Err(self.sqlite_error(err));
        }
        self.resource(&id)
    }

    fn check_attachable(&self, source: &Path) -> Result<(), StoreError> {
        let not_a_file = || StoreError::NotAFile {
            path: source.to_owned(),
        };
        if !source.is_absolute() {
            return Err(not_a_file());
        }
        if self
            .db_path
            .parent()
            .is_some_and(|data_dir| is_inside(source, data_dir))
        {
            return Err(StoreError::InsideDataFolder {
                path: source.to_owned(),
            });
        }
        Ok(())
    }

    pub fn resource(&self, id: &str) -> Result<Resource, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {RESOURCE_COLUMNS} FROM resources WHERE id = ?1"),
                [id],
                resource_from_row,
            )
            .optional()
            .map_err(|e| self.sqlite_error(e))?
            .ok_or_else(|| StoreError::ResourceNotFound(id.to_owned()))
    }

    /// A draft's resources in the order they were attached.
    pub fn resources(&self, draft_id: &str) -> Result<Vec<Resource>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {RESOURCE_COLUMNS} FROM resources WHERE draft_id = ?1 ORDER BY added_at, rowid"
            ))
            .map_err(|e| self.sqlite_error(e))?;
        let rows = stmt
            .query_map([draft_id], resource_from_row)
            .map_err(|e| self.sqlite_error(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.sqlite_error(e))
    }

    /// Detaches a resource from its draft and returns what was removed; its copy goes when nothing else
    /// uses it.
    pub fn remove_resource(&mut self, id: &str, actor: &str) -> Result<Resource, StoreError> {
        let resource = self.resource(id)?;
        let at = now();
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .and_then(|tx| {
                tx.execute("DELETE FROM resources WHERE id = ?1", [id])?;
                record_edit(
                    &tx,
                    &resource.draft_id,
                    &at,
                    actor,
                    RevisionAction::ResourceRemoved,
                    json!({ "resource_id": id, "name": resource.name, "sha256": resource.sha256 }),
                )?;
                tx.commit()
            })
            .map_err(|e| self.sqlite_error(e))?;
        self.release_blob(&resource.sha256)?;
        Ok(resource)
    }

    /// Deletes the copy with this hash if no resource refers to it (any more). Copies nobody refers to
    /// are also collected when the store opens.
    pub fn release_blob(&self, sha256: &str) -> Result<(), StoreError> {
        if self.blob_is_referenced(sha256)? {
            Ok(())
        } else {
            self.blobs.remove(sha256)
        }
    }
}
