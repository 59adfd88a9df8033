//! The content-addressed copy of every attached resource file: `blobs/sha256/ab/cdef…` under the data
//! folder. A file is streamed through SHA-256 into a temporary file in `blobs/tmp/` and renamed into place
//! only when complete, so a draft survives its original being moved or deleted, identical files are
//! stored once, and a failure (unreadable source, full disk, killed process) never leaves a half blob at
//! a final path. This module knows nothing of drafts; the store decides when a blob is unreferenced.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{held_by_another_program, StoreError};

const COPY_BUFFER_BYTES: usize = 1 << 20;

/// What ingesting a file produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobInfo {
    pub sha256: String,
    pub size: u64,
}

pub struct BlobStore {
    root: PathBuf,
}

impl BlobStore {
    /// Opens (creating if needed) the blob folder and clears temporary files left by an interrupted copy.
    pub fn open(root: PathBuf) -> Result<Self, StoreError> {
        let store = BlobStore { root };
        fs::create_dir_all(store.tmp_dir()).map_err(|e| StoreError::io(store.tmp_dir(), e))?;
        if let Ok(entries) = fs::read_dir(store.tmp_dir()) {
            for entry in entries.flatten() {
                let _ = fs::remove_file(entry.path());
            }
        }
        Ok(store)
    }

    fn tmp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// Where the blob with this hash lives (it may not exist).
    pub fn path_of(&self, sha256: &str) -> PathBuf {
        let (prefix, rest) = sha256.split_at(2.min(sha256.len()));
        self.root.join("sha256").join(prefix).join(rest)
    }

    /// The path of a blob relative to the data folder, as recorded with the resource.
    pub fn relative_path_of(&self, sha256: &str) -> String {
        let (prefix, rest) = sha256.split_at(2.min(sha256.len()));
        format!("blobs/sha256/{prefix}/{rest}")
    }

    /// Copies `source` into the store, streaming, and returns its hash and size. An identical blob
    /// already present is reused.
    pub fn ingest(&self, source: &Path) -> Result<BlobInfo, StoreError> {
        let metadata = fs::metadata(source).map_err(|e| unreadable(source, &e))?;
        if !metadata.is_file() {
            return Err(StoreError::NotAFile {
                path: source.to_owned(),
            });
        }
        let file = File::open(source).map_err(|e| unreadable(source, &e))?;
        self.ingest_reader(file, source)
    }

    /// Copies what `reader` yields into the store; `source` names it in errors.
    pub fn ingest_reader(&self, mut reader: impl Read, source: &Path) -> Result<BlobInfo, StoreError> {
        let tmp_dir = self.tmp_dir();
        let mut tmp = tempfile::NamedTempFile::new_in(&tmp_dir).map_err(|e| StoreError::io(&tmp_dir, e))?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; COPY_BUFFER_BYTES];
        let mut size = 0u64;
        loop {
            let n = match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(unreadable(source, &e)),
            };
            hasher.update(&buffer[..n]);
            tmp.write_all(&buffer[..n]).map_err(|e| StoreError::io(tmp.path(), e))?;
            size += n as u64;
        }
        tmp.as_file().sync_all().map_err(|e| StoreError::io(tmp.path(), e))?;
        let sha256 = hex::encode(hasher.finalize());
        let target = self.path_of(&sha256);
        if !target.exists() {
            let parent = target.parent().expect("blob paths have a parent");
            fs::create_dir_all(parent).map_err(|e| StoreError::io(parent, e))?;
            tmp.persist(&target).map_err(|e| StoreError::io(&target, e.error))?;
            sync_dir(parent);
        }
        Ok(BlobInfo { sha256, size })
    }

    /// Deletes a blob; a blob that is already gone is not an error.
    pub fn remove(&self, sha256: &str) -> Result<(), StoreError> {
        let path = self.path_of(sha256);
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::io(path, e)),
        }
    }

    /// Hashes of every blob present, for garbage collection against the database's references.
    pub fn all(&self) -> Vec<String> {
        let mut hashes = Vec::new();
        let Ok(prefixes) = fs::read_dir(self.root.join("sha256")) else {
            return hashes;
        };
        for prefix in prefixes.flatten() {
            let Ok(files) = fs::read_dir(prefix.path()) else {
                continue;
            };
            for file in files.flatten() {
                hashes.push(format!(
                    "{}{}",
                    prefix.file_name().to_string_lossy(),
                    file.file_name().to_string_lossy()
                ));
            }
        }
        hashes
    }
}

fn unreadable(path: &Path, err: &std::io::Error) -> StoreError {
    if err.kind() == std::io::ErrorKind::NotFound {
        StoreError::NotAFile { path: path.to_owned() }
    } else if held_by_another_program(err) {
        StoreError::FileInUse { path: path.to_owned() }
    } else {
        StoreError::FileUnreadable {
            path: path.to_owned(),
            reason: err.to_string(),
        }
    }
}

/// Makes a rename durable on platforms where directories can be synced; elsewhere a no-op.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, BlobStore) {
        let dir = tempfile::tempdir().unwrap();
        let blobs = BlobStore::open(dir.path().join("blobs")).unwrap();
        (dir, blobs)
    }

    #[test]
    fn identical_files_are_stored_once_under_their_hash() {
        let (dir, blobs) = store();
        let a = dir.path().join("a.csv");
        let b = dir.path().join("b.csv");
        fs::write(&a, "จังหวัด,จำนวน\nน่าน,12\n").unwrap();
        fs::write(&b, "จังหวัด,จำนวน\nน่าน,12\n").unwrap();
        let first = blobs.ingest(&a).unwrap();
        let second = blobs.ingest(&b).unwrap();
        assert_eq!(first, second);
        assert_eq!(first.size, fs::metadata(&a).unwrap().len());
        assert_eq!(blobs.all(), vec![first.sha256.clone()]);
        assert_eq!(fs::read(blobs.path_of(&first.sha256)).unwrap(), fs::read(&a).unwrap());
    }

    #[test]
    fn known_hash_of_known_content() {
        let (dir, blobs) = store();
        let f = dir.path().join("abc.txt");
        fs::write(&f, "abc").unwrap();
        let info = blobs.ingest(&f).unwrap();
        assert_eq!(
            info.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    struct FailingReader {
        served: usize,
    }

    impl Read for FailingReader {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.served >= 3 * COPY_BUFFER_BYTES {
                return Err(std::io::Error::other("device went away"));
            }
            let n = buf.len().min(COPY_BUFFER_BYTES);
            buf[..n].fill(b'x');
            self.served += n;
            Ok(n)
        }
    }

    #[test]
    fn a_read_failure_midway_leaves_no_blob_and_no_temporary_file() {
        let (_dir, blobs) = store();
        let err = blobs
            .ingest_reader(FailingReader { served: 0 }, Path::new("/media/usb/big.csv"))
            .unwrap_err();
        assert!(matches!(err, StoreError::FileUnreadable { ref path, .. } if path == Path::new("/media/usb/big.csv")));
        assert!(blobs.all().is_empty());
        assert_eq!(fs::read_dir(blobs.tmp_dir()).unwrap().count(), 0);
    }

    #[test]
    fn folders_and_missing_files_are_refused_by_name() {
        let (dir, blobs) = store();
        assert!(matches!(blobs.ingest(dir.path()), Err(StoreError::NotAFile { .. })));
        let missing = dir.path().join("gone.xlsx");
        match blobs.ingest(&missing) {
            Err(StoreError::NotAFile { path }) => assert_eq!(path, missing),
            other => panic!("expected NotAFile, got {other:?}"),
        }
    }

    #[test]
    fn leftover_temporary_files_are_cleared_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("blobs");
        fs::create_dir_all(root.join("tmp")).unwrap();
        fs::write(root.join("tmp").join(".tmpXYZ"), "half").unwrap();
        let blobs = BlobStore::open(root).unwrap();
        assert_eq!(fs::read_dir(blobs.tmp_dir()).unwrap().count(), 0);
    }
}
