//! Opening a SQLite database file at whatever path the folder has. SQLite's default file access takes
//! paths of at most 260 UTF-16 units on Windows (MAX_PATH; also 1040 bytes) and 512 bytes elsewhere.
//! On Windows a longer path is handed over in its `\\?\` form to SQLite's own `win32-longpath` file
//! access, which takes 32767 units; elsewhere a path over SQLite's limit is refused by name, before any
//! folder is made. Both the draft store and the publish outbox open their files here.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::error::StoreError;

/// Opens (per `flags`) the database at `path`, creating its folder first.
pub fn open(path: &Path, flags: OpenFlags) -> Result<Connection, StoreError> {
    let absolute = std::path::absolute(path).map_err(|e| StoreError::io(path, e))?;
    let long = is_long(&absolute);
    #[cfg(not(windows))]
    if long {
        return Err(StoreError::PathTooLong { path: path.to_owned() });
    }
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|e| StoreError::io(folder, e))?;
    }
    #[cfg(windows)]
    if long {
        return Connection::open_with_flags_and_vfs(long_form(&absolute), flags, "win32-longpath")
            .map_err(|e| StoreError::sqlite(path, e));
    }
    Connection::open_with_flags(path, flags).map_err(|e| StoreError::sqlite(path, e))
}

/// Whether the default SQLite file access cannot take this absolute path, with room left for the
/// `-wal`, `-shm` and `-journal` files beside it.
#[cfg(windows)]
fn is_long(absolute: &Path) -> bool {
    use std::os::windows::ffi::OsStrExt;
    /// MAX_PATH less the longest suffix (`-journal`), its terminating NUL and a margin, as Rust's own
    /// file functions count.
    const DEFAULT_MAX_UNITS: usize = 248;
    absolute.as_os_str().encode_wide().count() >= DEFAULT_MAX_UNITS
}

#[cfg(not(windows))]
fn is_long(absolute: &Path) -> bool {
    /// SQLite's MAX_PATHNAME of its Unix file access.
    const DEFAULT_MAX_BYTES: usize = 512;
    absolute.as_os_str().len() > DEFAULT_MAX_BYTES
}

/// `C:\a\b` as `\\?\C:\a\b`, `\\server\share\a` as `\\?\UNC\server\share\a` (the path is absolute and
/// normalised by `std::path::absolute`, as the long form requires).
#[cfg(any(windows, test))]
fn long_form(absolute: &Path) -> std::path::PathBuf {
    use std::path::PathBuf;

    let text = absolute.as_os_str().to_string_lossy();
    if text.starts_with(r"\\?\") {
        absolute.to_owned()
    } else if let Some(share) = text.strip_prefix(r"\\") {
        PathBuf::from(format!(r"\\?\UNC\{share}"))
    } else {
        PathBuf::from(format!(r"\\?\{text}"))
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn the_long_form_of_drive_and_network_paths() {
        assert_eq!(
            long_form(Path::new(r"C:\ข้อมูล\a.sqlite3")),
            PathBuf::from(r"\\?\C:\ข้อมูล\a.sqlite3")
        );
        assert_eq!(
            long_form(Path::new(r"\\server\share\a.sqlite3")),
            PathBuf::from(r"\\?\UNC\server\share\a.sqlite3")
        );
        assert_eq!(long_form(Path::new(r"\\?\D:\a")), PathBuf::from(r"\\?\D:\a"));
    }

    #[test]
    fn a_short_path_opens_as_given_and_its_folder_is_made() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ใหม่").join("db.sqlite3");
        let conn = open(&path, OpenFlags::default()).unwrap();
        conn.execute_batch("CREATE TABLE t (x)").unwrap();
        assert!(path.is_file());
    }
}
