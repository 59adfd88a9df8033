//! The database schema as an ordered list of migrations. `PRAGMA user_version` records how many have
//! been applied; each runs in its own transaction at start. Append new migrations; never edit old ones.

use rusqlite::Connection;

pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: drafts, their resource files, and the append-only revision log.
    r#"
    CREATE TABLE drafts (
        id          TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        slug        TEXT NOT NULL,
        data_type   TEXT,
        metadata    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
        state       TEXT NOT NULL DEFAULT 'draft',
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE INDEX drafts_updated ON drafts (updated_at DESC);
    CREATE TABLE resources (
        id             TEXT PRIMARY KEY,
        draft_id       TEXT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
        name           TEXT NOT NULL,
        original_path  TEXT NOT NULL,
        stored_path    TEXT NOT NULL,
        sha256         TEXT NOT NULL,
        size           INTEGER NOT NULL CHECK (size >= 0),
        media_type     TEXT NOT NULL,
        added_at       TEXT NOT NULL
    );
    CREATE INDEX resources_draft ON resources (draft_id);
    CREATE INDEX resources_sha256 ON resources (sha256);
    CREATE TABLE revisions (
        seq       INTEGER PRIMARY KEY AUTOINCREMENT,
        draft_id  TEXT NOT NULL,
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL,
        action    TEXT NOT NULL,
        detail    TEXT NOT NULL CHECK (json_valid(detail))
    );
    CREATE INDEX revisions_draft ON revisions (draft_id, seq);
    CREATE TRIGGER revisions_append_only_update BEFORE UPDATE ON revisions
        BEGIN SELECT RAISE(ABORT, 'the revision log is append-only'); END;
    CREATE TRIGGER revisions_append_only_delete BEFORE DELETE ON revisions
        BEGIN SELECT RAISE(ABORT, 'the revision log is append-only'); END;
    "#,
    // 2: app settings (UI language and later preferences), one value per key.
    r#"
    CREATE TABLE settings (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
    );
    "#,
    // 3: each resource's own metadata (name, description, format, access flag …), keyed by schema field.
    r#"
    ALTER TABLE resources ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata));
    "#,
    // 4: what the preview learnt about each file: the table layout the person corrected (JSON, NULL
    // while the detected one is used), when its contents were last looked at, and its column profile.
    r#"
    ALTER TABLE resources ADD COLUMN layout TEXT CHECK (layout IS NULL OR json_valid(layout));
    ALTER TABLE resources ADD COLUMN previewed_at TEXT;
    ALTER TABLE resources ADD COLUMN profile TEXT CHECK (profile IS NULL OR json_valid(profile));
    "#,
    // 5: the last content scan of each file: the classification hints it raised (JSON).
    r#"
    ALTER TABLE resources ADD COLUMN hints TEXT CHECK (hints IS NULL OR json_valid(hints));
    "#,
    // 6: each file's content analysis (hints and profile of one pass), typed and versioned, with the
    // state of its scan and the copy and saved layout it was made for; it replaces the untyped profile
    // and hints, which were only made for files someone previewed (the files are scanned again).
    r#"
    CREATE TABLE analyses (
        resource_id   TEXT PRIMARY KEY REFERENCES resources (id) ON DELETE CASCADE,
        state         TEXT NOT NULL CHECK (state IN ('running', 'failed', 'done')),
        sha256        TEXT NOT NULL,
        saved_layout  TEXT CHECK (saved_layout IS NULL OR json_valid(saved_layout)),
        version       INTEGER NOT NULL,
        result        TEXT CHECK (result IS NULL OR json_valid(result)),
        updated_at    TEXT NOT NULL
    );
    ALTER TABLE resources DROP COLUMN profile;
    ALTER TABLE resources DROP COLUMN hints;
    "#,
];

/// Schema version this build writes.
pub(crate) const LATEST: i64 = MIGRATIONS.len() as i64;

pub(crate) fn current_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Applies the migrations after the current version up to `target`, one transaction each.
pub(crate) fn migrate_to(conn: &mut Connection, target: i64) -> rusqlite::Result<()> {
    let mut version = current_version(conn)?;
    while version < target {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(MIGRATIONS[version as usize])?;
        version += 1;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        tracing::info!(version, "applied database migration");
    }
    Ok(())
}
