//! Applying a whole bulk import in one SQLite transaction: new drafts are created, existing drafts and
//! their resources get only the fields that changed, and link resources (a URL, no local file) are
//! added; each change is logged in the revision log exactly as the single-field edits of `fields.rs`
//! log theirs, so undo and review see imported changes like typed ones. Either everything commits or
//! nothing does.
//!
//! The input uses only public types (`catalog_schema::DraftRecord` plus ids) so callers need no type of
//! this module: each item is `(existing draft id or None, record, existing resource id or None for each
//! of the record's resources)`. For an existing draft or resource, every key of its map is set to the
//! given value (a null, blank or empty value clears the field); keys not in the map are left alone.

use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use serde_json::{json, Map, Value};

use catalog_schema::{keys, DraftRecord};

use super::drafts::{draft_from_row, DRAFT_COLUMNS};
use super::revisions::{self, RevisionAction};
use super::{json_column, now, Store};
use crate::error::StoreError;

/// SHA-256 of zero bytes: what a link resource records as its content, so that the blob clean-up (which
/// removes only files that exist and nothing references) never touches anything for it.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// The media type recorded for a link resource.
const LINK_MEDIA_TYPE: &str = "text/uri-list";

/// One draft to write: its id when it exists, the fields to set (all of them for a new draft), and for
/// each of the record's resources the id of the existing resource it updates (`None` adds a link).
pub type ImportItem = (Option<String>, DraftRecord, Vec<Option<String>>);

fn is_cleared(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

fn text_of(metadata: &Map<String, Value>, key: &str) -> String {
    metadata.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// Sets every key of `changes` in `metadata`; returns `(key, before, after)` for the ones that changed.
fn merge(metadata: &mut Map<String, Value>, changes: &Map<String, Value>) -> Vec<(String, Value, Value)> {
    let mut changed = Vec::new();
    for (key, value) in changes {
        let before = metadata.get(key).cloned().unwrap_or(Value::Null);
        if is_cleared(value) {
            metadata.remove(key);
        } else {
            metadata.insert(key.clone(), value.clone());
        }
        let after = metadata.get(key).cloned().unwrap_or(Value::Null);
        if before != after {
            changed.push((key.clone(), before, after));
        }
    }
    changed
}

fn field_detail(key: &str, resource_id: Option<&str>, before: &Value, after: &Value) -> Value {
    let mut detail = json!({ "field": key, "before": before, "after": after, "import": true });
    if let Some(resource_id) = resource_id {
        detail["resource_id"] = json!(resource_id);
    }
    detail
}

impl Store {
    /// Applies a bulk import in one transaction and returns the draft id of every item, in order (new
    /// ids for created drafts; a new draft starts in the table's default state, `draft`). A missing draft or resource, an empty title, or any database error
    /// rolls the whole import back.
    pub fn apply_import(&mut self, items: &[ImportItem], actor: &str) -> Result<Vec<String>, StoreError> {
        let at = now();
        let db_path = self.db_path.clone();
        let sqlite = |e| StoreError::sqlite(&db_path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sqlite)?;
        let mut ids = Vec::with_capacity(items.len());
        for (draft_id, record, resource_ids) in items {
            let id = match draft_id {
                Some(id) => update_draft(&tx, id, &record.metadata, &at, actor, &db_path)?,
                None => create_draft(&tx, &record.metadata, &at, actor, &db_path)?,
            };
            for (i, resource) in record.resources.iter().enumerate() {
                match resource_ids.get(i).cloned().flatten() {
                    Some(resource_id) => update_resource(&tx, &id, &resource_id, resource, &at, actor, &db_path)?,
                    None => add_link_resource(&tx, &id, resource, &at, actor).map_err(sqlite)?,
                }
            }
            ids.push(id);
        }
        tx.commit().map_err(sqlite)?;
        Ok(ids)
    }
}

fn create_draft(
    tx: &Transaction<'_>,
    metadata: &Map<String, Value>,
    at: &str,
    actor: &str,
    db_path: &std::path::Path,
) -> Result<String, StoreError> {
    let mut stored = Map::new();
    merge(&mut stored, metadata);
    let title = text_of(&stored, keys::TITLE)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if title.is_empty() {
        return Err(StoreError::EmptyTitle);
    }
    stored.insert(keys::TITLE.to_owned(), json!(title));
    let id = uuid::Uuid::new_v4().to_string();
    let slug = match text_of(&stored, keys::NAME) {
        slug if slug.is_empty() => catalog_schema::suggest_slug(&title, &id),
        slug => slug,
    };
    stored.insert(keys::NAME.to_owned(), json!(slug));
    let data_type = stored.get(keys::DATA_TYPE).and_then(Value::as_str).map(str::to_owned);
    tx.execute(
        "INSERT INTO drafts (id, title, slug, data_type, metadata, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![id, title, slug, data_type, Value::Object(stored).to_string(), at],
    )
    .map_err(|e| StoreError::sqlite(db_path, e))?;
    revisions::append(
        tx,
        &id,
        at,
        actor,
        RevisionAction::Created,
        json!({ "title": title, "import": true }),
    )
    .map_err(|e| StoreError::sqlite(db_path, e))?;
    Ok(id)
}

fn update_draft(
    tx: &Transaction<'_>,
    id: &str,
    changes: &Map<String, Value>,
    at: &str,
    actor: &str,
    db_path: &std::path::Path,
) -> Result<String, StoreError> {
    let sqlite = |e| StoreError::sqlite(db_path, e);
    let draft = tx
        .query_row(
            &format!("SELECT {DRAFT_COLUMNS} FROM drafts WHERE id = ?1"),
            [id],
            draft_from_row,
        )
        .optional()
        .map_err(sqlite)?
        .ok_or_else(|| StoreError::DraftNotFound(id.to_owned()))?;
    let mut metadata = draft.metadata;
    let changed = merge(&mut metadata, changes);
    if changed.is_empty() {
        return Ok(id.to_owned());
    }
    let title = text_of(&metadata, keys::TITLE);
    if title.trim().is_empty() {
        return Err(StoreError::EmptyTitle);
    }
    let data_type = metadata.get(keys::DATA_TYPE).and_then(Value::as_str).map(str::to_owned);
    tx.execute(
        "UPDATE drafts SET metadata = ?2, title = ?3, slug = ?4, data_type = ?5, updated_at = ?6 WHERE id = ?1",
        params![
            id,
            Value::Object(metadata.clone()).to_string(),
            title,
            text_of(&metadata, keys::NAME),
            data_type,
            at
        ],
    )
    .map_err(sqlite)?;
    for (key, before, after) in changed {
        revisions::append(
            tx,
            id,
            at,
            actor,
            RevisionAction::FieldChanged,
            field_detail(&key, None, &before, &after),
        )
        .map_err(sqlite)?;
    }
    Ok(id.to_owned())
}

fn update_resource(
    tx: &Transaction<'_>,
    draft_id: &str,
    resource_id: &str,
    changes: &Map<String, Value>,
    at: &str,
    actor: &str,
    db_path: &std::path::Path,
) -> Result<(), StoreError> {
    let sqlite = |e| StoreError::sqlite(db_path, e);
    let found = tx
        .query_row(
            "SELECT name, metadata FROM resources WHERE id = ?1 AND draft_id = ?2",
            [resource_id, draft_id],
            |row| Ok((row.get::<_, String>(0)?, json_column(row, 1)?)),
        )
        .optional()
        .map_err(sqlite)?;
    let Some((name, mut metadata)) = found else {
        return Err(StoreError::ResourceNotFound(resource_id.to_owned()));
    };
    let changed = merge(&mut metadata, changes);
    if changed.is_empty() {
        return Ok(());
    }
    let shown_name = metadata
        .get(keys::NAME)
        .and_then(Value::as_str)
        .unwrap_or(&name)
        .to_owned();
    tx.execute(
        "UPDATE resources SET metadata = ?2, name = ?3 WHERE id = ?1",
        params![resource_id, Value::Object(metadata).to_string(), shown_name],
    )
    .map_err(sqlite)?;
    tx.execute("UPDATE drafts SET updated_at = ?2 WHERE id = ?1", params![draft_id, at])
        .map_err(sqlite)?;
    for (key, before, after) in changed {
        revisions::append(
            tx,
            draft_id,
            at,
            actor,
            RevisionAction::FieldChanged,
            field_detail(&key, Some(resource_id), &before, &after),
        )
        .map_err(sqlite)?;
    }
    Ok(())
}

/// A resource that is a link (its URL), with no file in the blob store.
fn add_link_resource(
    tx: &Transaction<'_>,
    draft_id: &str,
    fields: &Map<String, Value>,
    at: &str,
    actor: &str,
) -> rusqlite::Result<()> {
    let mut metadata = Map::new();
    merge(&mut metadata, fields);
    let url = text_of(&metadata, keys::URL);
    let name = match text_of(&metadata, keys::NAME) {
        name if name.is_empty() => url.clone(),
        name => name,
    };
    let id = uuid::Uuid::new_v4().to_string();
    tx.execute(
        "INSERT INTO resources (id, draft_id, name, original_path, stored_path, sha256, size, media_type, added_at, metadata)
         VALUES (?1, ?2, ?3, ?4, '', ?5, 0, ?6, ?7, ?8)",
        params![id, draft_id, name, url, EMPTY_SHA256, LINK_MEDIA_TYPE, at, Value::Object(metadata).to_string()],
    )?;
    tx.execute("UPDATE drafts SET updated_at = ?2 WHERE id = ?1", params![draft_id, at])?;
    revisions::append(
        tx,
        draft_id,
        at,
        actor,
        RevisionAction::ResourceAdded,
        json!({ "resource_id": id, "name": name, "url": url, "import": true }),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::RevisionAction;

    fn record(fields: Value, resources: Vec<Value>) -> DraftRecord {
        let map = |v: Value| v.as_object().cloned().unwrap_or_default();
        DraftRecord {
            metadata: map(fields),
            resources: resources.into_iter().map(map).collect(),
        }
    }

    #[test]
    fn creates_updates_and_adds_links_in_one_logged_transaction() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let existing = store.create_draft("เดิม", "u").unwrap();
        let items = vec![
            (
                None,
                record(
                    json!({"title": "ใหม่", "name": "new-one", "data_type": "ข้อมูลสถิติ"}),
                    vec![json!({"name": "ไฟล์", "url": "https://example.go.th/a.csv"})],
                ),
                vec![None],
            ),
            (
                Some(existing.id.clone()),
                record(json!({"title": "เดิม แก้แล้ว", "notes": "x"}), vec![]),
                vec![],
            ),
        ];
        let ids = store.apply_import(&items, "u").unwrap();
        let created = store.draft(&ids[0]).unwrap();
        assert_eq!(
            (created.slug.as_str(), created.data_type.as_deref()),
            ("new-one", Some("ข้อมูลสถิติ"))
        );
        let links = store.resources(&ids[0]).unwrap();
        assert_eq!((links[0].name.as_str(), links[0].size), ("ไฟล์", 0));
        let actions: Vec<RevisionAction> = store.revisions(&ids[0]).unwrap().iter().map(|r| r.action).collect();
        assert_eq!(actions, [RevisionAction::Created, RevisionAction::ResourceAdded]);
        let updated = store.draft(&existing.id).unwrap();
        assert_eq!(updated.title, "เดิม แก้แล้ว");
        let changes = store.revisions(&existing.id).unwrap();
        assert_eq!(changes.len(), 3, "created + one revision per changed field");
        assert!(store.undo_last_change(&existing.id, "u").unwrap());

        let link = links[0].id.clone();
        let again = vec![(
            Some(ids[0].clone()),
            record(json!({}), vec![json!({"format": "CSV"})]),
            vec![Some(link.clone())],
        )];
        store.apply_import(&again, "u").unwrap();
        assert_eq!(store.resource(&link).unwrap().metadata["format"], json!("CSV"));
        store
            .delete_draft(&ids[0], "u")
            .expect("a draft with a link resource deletes cleanly");
    }

    #[test]
    fn a_failure_rolls_back_everything() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let items = vec![
            (None, record(json!({"title": "ก่อน", "name": "before"}), vec![]), vec![]),
            (
                Some("no-such-draft".to_owned()),
                record(json!({"notes": "x"}), vec![]),
                vec![],
            ),
        ];
        assert!(matches!(
            store.apply_import(&items, "u"),
            Err(StoreError::DraftNotFound(_))
        ));
        let untitled = vec![(None, record(json!({"name": "x1"}), vec![]), vec![])];
        assert!(matches!(
            store.apply_import(&untitled, "u"),
            Err(StoreError::EmptyTitle)
        ));
        assert!(store.list_drafts("").unwrap().is_empty());
    }
}
