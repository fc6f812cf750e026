//! Access to an index directory: opening it for reading without needing write access, and
//! telling apart the ways opening can fail, so that deleting the index is advised only when
//! it is known to be parafind's and known to be damaged.
//!
//! Searching takes tantivy's meta lock while it opens the segments, so that a concurrent
//! ingest does not delete them from under it. The lock is a file in the index directory; in a
//! directory the user cannot write (an index on read-only media, or another user's), creating
//! it fails. There no ingest by this user can run either, so the search goes on without it.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr, META_LOCK,
};
use tantivy::{Directory, Index, TantivyError};

use super::pages::Mappings;
use super::schema;
use crate::error::Error;

/// Opens the index in `dir` for searching: through tantivy's memory-mapped directory, but
/// able to read an index whose directory the user cannot write.
pub(super) fn open_for_reading(dir: &Path) -> tantivy::Result<Index> {
    Index::open(IndexDirectory::open(dir, None)?)
}

/// Opens the index in `dir` to change it (it must exist), reading its files through mappings
/// listed in `pages`, and able, as [`open_for_reading`], to open one the user cannot write
/// (changing it then fails on the writer's lock, with the right advice).
pub(super) fn open_for_writing(dir: &Path, pages: &Mappings) -> tantivy::Result<Index> {
    Index::open(IndexDirectory::open(dir, Some(pages.clone()))?)
}

/// Creates an empty index in `dir` (which must exist), as [`open_for_writing`] opens it.
pub(super) fn create(dir: &Path, pages: &Mappings) -> tantivy::Result<Index> {
    let directory = IndexDirectory::open(dir, Some(pages.clone()))?;
    Index::create(directory, schema::schema(), schema::settings())
}

/// A memory-mapped directory whose meta lock is skipped where it cannot be created for want
/// of write access, and which reads through `pages` when it has them (an index opened for
/// writing: see `index::pages`).
#[derive(Debug, Clone)]
struct IndexDirectory {
    inner: MmapDirectory,
    root: PathBuf,
    pages: Option<Mappings>,
}

impl IndexDirectory {
    fn open(dir: &Path, pages: Option<Mappings>) -> tantivy::Result<IndexDirectory> {
        Ok(IndexDirectory {
            inner: MmapDirectory::open(dir)?,
            root: dir.to_path_buf(),
            pages,
        })
    }
}

/// True for the I/O errors that mean "you may not write here".
fn is_write_denied(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    )
}

/// Gives `file` the read permissions of the index directory `dir`. tantivy writes `meta.json`
/// and `.managed.json` through a temporary file, which is created readable by its owner only,
/// where the segment files take the umask's permissions: whoever may read the index (another
/// user, a server running as its own user) could not open it. A failure leaves the file as it
/// was.
#[cfg(unix)]
fn readable_as_directory(dir: &Path, file: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(metadata) = std::fs::metadata(dir) {
        let mode = (metadata.permissions().mode() & 0o644) | 0o600;
        let _ = std::fs::set_permissions(file, std::fs::Permissions::from_mode(mode));
    }
}

/// A lock that holds nothing.
struct NoLock;

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        match &self.pages {
            Some(pages) => pages.file_handle(&self.root.join(path)),
            None => self.inner.get_file_handle(path),
        }
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)?;
        #[cfg(unix)]
        readable_as_directory(&self.root, &self.root.join(path));
        Ok(())
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(err))
                if lock.filepath == META_LOCK.filepath && is_write_denied(&err) =>
            {
                Ok(DirectoryLock::from(Box::new(NoLock)))
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

/// The I/O error behind a tantivy failure to lock or open the directory, if there is one.
fn io_cause(err: &TantivyError) -> Option<&io::Error> {
    match err {
        TantivyError::LockFailure(LockError::IoError(err), _) => Some(err),
        TantivyError::IoError(err) => Some(err),
        TantivyError::OpenDirectoryError(OpenDirectoryError::IoError { io_error, .. }) => {
            Some(io_error)
        }
        TantivyError::OpenReadError(OpenReadError::IoError { io_error, .. }) => Some(io_error),
        TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, .. }) => Some(io_error),
        _ => None,
    }
}

/// The error for a failure that is about access rights rather than damage, if it is one.
pub(super) fn access_error(dir: &Path, err: &TantivyError) -> Option<Error> {
    let cause = io_cause(err)?;
    is_write_denied(cause).then(|| Error::IndexAccess {
        path: dir.to_path_buf(),
        reason: crate::error::io_words(cause),
    })
}

/// The file that marks a directory as parafind's index, written before anything else in it
/// (walks leave such directories out).
pub const MARKER: &str = crate::corpus::INDEX_MARKER;

/// What the marker file says.
const MARKER_TEXT: &str =
    "This directory is a parafind index; parafind may write and delete files in it.\n";

/// True when `dir` is parafind's index: it holds the marker, or (made by an earlier build) a
/// parafind `meta.json`.
pub fn is_index_dir(dir: &Path) -> bool {
    dir.join(MARKER).is_file() || is_parafind_index(dir)
}

/// Refuses to make an index in `dir` unless it is missing, empty, or already parafind's: the
/// index directory is parafind's to write and clean, so it must never be a folder of the
/// user's own files (a mistyped `--index docs`).
pub(super) fn check_may_create(dir: &Path) -> crate::error::Result<()> {
    let mut entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => {
            return Err(Error::CreateIndex {
                path: dir.to_path_buf(),
                error,
            })
        }
    };
    if entries.next().is_none() || is_index_dir(dir) {
        return Ok(());
    }
    Err(Error::IndexDirNotEmpty {
        path: std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()),
    })
}

/// Marks `dir` as parafind's index (once).
pub(super) fn write_marker(dir: &Path) -> crate::error::Result<()> {
    let marker = dir.join(MARKER);
    if marker.is_file() {
        return Ok(());
    }
    std::fs::write(&marker, MARKER_TEXT).map_err(|error| Error::CreateIndex {
        path: dir.to_path_buf(),
        error,
    })
}

/// True when an ingest holds the writer lock of the index in `dir` (probed with a shared
/// lock, taken and dropped at once).
pub(super) fn writer_busy(dir: &Path) -> bool {
    let Ok(lock) = std::fs::File::open(dir.join(".tantivy-writer.lock")) else {
        return false;
    };
    matches!(
        lock.try_lock_shared(),
        Err(std::fs::TryLockError::WouldBlock)
    )
}

/// True when `dir/meta.json` describes a parafind index: it parses, and its fields are the
/// fields of parafind's schema (of this version or, by name, of an earlier one). Only then is
/// the index known to be parafind's.
pub(super) fn is_parafind_index(dir: &Path) -> bool {
    let Ok(bytes) = std::fs::read(dir.join("meta.json")) else {
        return false;
    };
    let Ok(meta) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return false;
    };
    let Some(fields) = meta["schema"].as_array() else {
        return false;
    };
    let names: Vec<&str> = fields.iter().filter_map(|f| f["name"].as_str()).collect();
    [
        schema::PATH,
        schema::PARAGRAPH,
        schema::NUMBERS,
        schema::BODY_EXACT,
    ]
    .iter()
    .all(|ours| names.contains(ours))
}

/// A segment as `meta.json` records it: enough to name its files.
#[derive(serde::Deserialize)]
pub(super) struct CommittedSegment {
    segment_id: String,
    #[serde(default)]
    deletes: Option<CommittedDeletes>,
}

/// A segment's deletions as `meta.json` records them.
#[derive(serde::Deserialize)]
struct CommittedDeletes {
    opstamp: u64,
}

/// The extensions of the files every parafind segment has (tantivy's components; the schema
/// has positions, fast fields and norms, so none is ever left out).
const SEGMENT_FILES: [&str; 6] = ["idx", "pos", "term", "store", "fast", "fieldnorm"];

/// A file that the commit read as `meta_bytes` needs and that is not in `dir`, if any. A file
/// missing because an ingest committed since and deleted the old segments does not count:
/// `meta.json` is read again, and only an unchanged commit with a missing file is damaged.
pub(super) fn missing_segment_file(
    dir: &Path,
    segments: &[CommittedSegment],
    meta_bytes: &[u8],
) -> Option<String> {
    let missing = segments.iter().find_map(|segment| {
        let id = segment.segment_id.replace('-', "");
        let deletes = segment
            .deletes
            .as_ref()
            .map(|d| format!("{id}.{}.del", d.opstamp));
        SEGMENT_FILES
            .iter()
            .map(|ext| format!("{id}.{ext}"))
            .chain(deletes)
            .find(|name| !dir.join(name).is_file())
    })?;
    let unchanged = std::fs::read(dir.join("meta.json")).is_ok_and(|now| now == meta_bytes);
    unchanged.then_some(missing)
}

/// The error for a directory that holds something parafind cannot read and did not make.
pub(super) fn foreign(dir: &Path, reason: String) -> Error {
    Error::ForeignIndex {
        path: PathBuf::from(dir),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_errors_word_the_systems_reason_without_its_number() {
        let denied = TantivyError::IoError(Arc::new(io::Error::from_raw_os_error(13)));
        let error = access_error(Path::new("/srv/index"), &denied).expect("an access error");
        let message = error.to_string();
        assert!(
            message.starts_with("no access to the index at /srv/index: permission denied;"),
            "{message}"
        );
        // A failure that is not about rights is not one.
        let damaged = TantivyError::IoError(Arc::new(io::Error::from_raw_os_error(5)));
        assert!(access_error(Path::new("/srv/index"), &damaged).is_none());
    }
}
