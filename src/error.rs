//! The library's error type: one variant per way parafind can fail, each rendering as one line
//! that names the file, index or query at fault and says what to do. A message states its cause
//! itself, so no variant also hands that cause out as its `source()`: a front-end that prints an
//! error's chain prints every cause once.

use std::io;
use std::path::PathBuf;

use crate::query::QueryError;

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A path given on the command line does not exist.
    #[error("{}: no such file or directory", path.display())]
    MissingPath {
        /// The path as the user gave it.
        path: PathBuf,
    },
    /// A file or directory could not be read.
    #[error("cannot read {}: {}", path.display(), io_words(error))]
    Read {
        /// The file that failed.
        path: PathBuf,
        /// The underlying I/O error.
        error: io::Error,
    },
    /// The index directory could not be created.
    #[error("cannot create the index directory {}: {}", path.display(), io_words(error))]
    CreateIndex {
        /// The index location.
        path: PathBuf,
        /// The underlying I/O error.
        error: io::Error,
    },
    /// The index location is a symbolic link that leads to nothing (its target, or a link it
    /// leads through, is missing, or the links loop).
    #[error(
        "index path {} is a symbolic link to {}, which leads to nothing (a missing path, or \
         links in a loop); create the directory it leads to or point --index elsewhere",
        path.display(),
        target.display()
    )]
    IndexLinkToNothing {
        /// The index location.
        path: PathBuf,
        /// Where the link points (a relative target joined to the link's directory).
        target: PathBuf,
    },
    /// The index location exists but is not a directory.
    #[error("index path {} is not a directory; point --index at a directory", path.display())]
    IndexNotADirectory {
        /// The index location.
        path: PathBuf,
    },
    /// The index location is a directory with other files in it, and no parafind index.
    #[error("{} is not empty and holds no parafind index; parafind makes an index only in a new or empty directory, so it leaves these files alone: point --index at another directory", path.display())]
    IndexDirNotEmpty {
        /// The index location, absolute.
        path: PathBuf,
    },
    /// The index's first ingest has not committed yet.
    #[error("the first ingest into {} is still running and nothing is in the index yet; run the command again when it finishes", path.display())]
    FirstIngestRunning {
        /// The index location.
        path: PathBuf,
    },
    /// `watch` was asked to watch an index that remembers no directory.
    #[error("the index at {} remembers no ingested directory that still exists to watch; give `parafind watch PATH...` the directories to watch", path.display())]
    NothingToWatch {
        /// The index location.
        path: PathBuf,
    },
    /// File-system notifications could not be set up.
    #[error("cannot watch {}: {reason}", path.display())]
    Watch {
        /// The directory being watched.
        path: PathBuf,
        /// What failed.
        reason: String,
    },
    /// No index has been created at the location yet.
    #[error("no index at {}; create one with `parafind ingest PATH...`", path.display())]
    NoIndex {
        /// The index location.
        path: PathBuf,
    },
    /// The index exists but tantivy could not open or read it.
    #[error("cannot use the index at {}: {}; if it is damaged, delete the index directory and run `{rebuild}` again", path.display(), brief(&.error.to_string()))]
    IndexDamaged {
        /// The index location.
        path: PathBuf,
        /// What tantivy reported.
        error: tantivy::TantivyError,
        /// The command that builds it again (see [`Error::IncompatibleIndex`]).
        rebuild: String,
    },
    /// The device holding the index is full.
    #[error("no space left on the device holding the index at {}; the index keeps its last commit: free some space and run the command again", path.display())]
    NoSpace {
        /// The index location.
        path: PathBuf,
    },
    /// A file of the index grew past the process's file-size limit (`ulimit -f`).
    #[error("a file of the index at {} grew past the file-size limit (ulimit -f); the index keeps its last commit: raise the limit and run the command again", path.display())]
    FileSizeLimit {
        /// The index location.
        path: PathBuf,
    },
    /// The index directory cannot be read or written for want of permission.
    #[error("no access to the index at {}: {reason}; ingesting needs write access to it, searching only read access", path.display())]
    IndexAccess {
        /// The index location.
        path: PathBuf,
        /// What the system reported.
        reason: String,
    },
    /// The directory holds something parafind cannot read and cannot tell is its own.
    #[error("{} does not hold an index parafind can read ({reason}); parafind did not make it, or cannot tell that it did, so it leaves it alone: point --index at another directory", path.display())]
    ForeignIndex {
        /// The index location.
        path: PathBuf,
        /// What was found wrong.
        reason: String,
    },
    /// A file the index's last commit needs is missing.
    #[error("the index at {} is damaged: {file}, which its last commit needs, is missing; delete the index directory and run `{rebuild}` again to rebuild it", path.display())]
    IndexIncomplete {
        /// The index location.
        path: PathBuf,
        /// The missing file's name.
        file: String,
        /// The command that builds it again (see [`Error::IncompatibleIndex`]).
        rebuild: String,
    },
    /// The index's commit record (`meta.json`) is gone, its segment files still there.
    #[error("the index at {} is damaged: its commit record, meta.json, is missing (its other files are there); delete the index directory and run `parafind ingest PATH...` again to rebuild it (the directories it was built from were recorded there)", path.display())]
    CommitRecordMissing {
        /// The index location.
        path: PathBuf,
    },
    /// One of the index's records (its commit record `meta.json`, tantivy's list of its files
    /// `.managed.json`) cannot be read as what it should hold.
    #[error("the index at {} is damaged: its file {file} cannot be read as what it should hold; delete the index directory and run `{rebuild}` again to rebuild it", path.display())]
    IndexRecordDamaged {
        /// The index location.
        path: PathBuf,
        /// The damaged file's name.
        file: String,
        /// The command that builds it again (see [`Error::IncompatibleIndex`]).
        rebuild: String,
    },
    /// Files of the index do not match the checksums written at their ends.
    #[error("the index at {} is damaged: {}; delete the index directory and run `{rebuild}` again to rebuild it", path.display(), mismatched(files))]
    ChecksumMismatch {
        /// The index location.
        path: PathBuf,
        /// The damaged files' names.
        files: Vec<PathBuf>,
        /// The command that builds it again (see [`Error::IncompatibleIndex`]).
        rebuild: String,
    },
    /// The index was written by an incompatible analyzer or schema.
    #[error("the index at {} was built by {found}, which this parafind (analyzer version {expected}) cannot read; delete it and run `{rebuild}` again", path.display())]
    IncompatibleIndex {
        /// The index location.
        path: PathBuf,
        /// What built the index, as far as it can be told.
        found: String,
        /// The analyzer version this build writes.
        expected: u32,
        /// The command that builds it again: `parafind ingest` of the directories it was
        /// built from, as its commit remembers them (`PATH...` when it remembers none).
        rebuild: String,
    },
    /// A file an interrupted ingest left in the index could not be deleted.
    #[error("cannot remove {}, left behind by an interrupted ingest; check its permissions and run the ingest again (the index still holds its last commit)", path.display())]
    CleanIndex {
        /// The file that could not be deleted.
        path: PathBuf,
    },
    /// Another process holds the index's write lock.
    #[error("another parafind is writing to the index at {}; wait for it to finish and try again", path.display())]
    IndexLocked {
        /// The index location.
        path: PathBuf,
    },
    /// A path to ingest is neither a regular file nor a directory.
    #[error("{}: {kind}; parafind ingests regular files and directories (to index standard input, give `-`)", path.display())]
    NotAFile {
        /// The path as given.
        path: PathBuf,
        /// What it is instead ("a device", "a pipe", ...).
        kind: &'static str,
    },
    /// A path given to `--jsonl` is a directory.
    #[error("{}: a directory; --jsonl takes JSON Lines files (ingest a directory without --jsonl)", path.display())]
    CollectionIsDirectory {
        /// The path as given.
        path: PathBuf,
    },
    /// A path to ingest is a parafind index (another one than the run's).
    #[error("{} is a parafind index: its files are an index's, not documents; name the documents to ingest", path.display())]
    IsIndex {
        /// The path as given.
        path: PathBuf,
    },
    /// A path to ingest is the index directory or inside it.
    #[error("{} is inside the index at {}; the index cannot ingest its own files: name the documents to ingest", path.display(), index.display())]
    InsideIndex {
        /// The path as given.
        path: PathBuf,
        /// The index directory.
        index: PathBuf,
    },
    /// A path glob could not be parsed.
    #[error("invalid path glob {glob:?}: {message}")]
    InvalidGlob {
        /// The glob as given.
        glob: String,
        /// What is wrong with it.
        message: String,
    },
    /// A `--type` name is not known.
    #[error("{message}; `rg --type-list` shows the names (md, html, txt, rust, ...)")]
    InvalidType {
        /// What the walker reported.
        message: String,
    },
    /// A file asked for is not in the index.
    #[error("{} is not in the index; ingest it first", path.display())]
    NotIndexed {
        /// The path as given.
        path: PathBuf,
    },
    /// A file asked to be shown is a JSON Lines collection, whose documents are its records.
    #[error("{} is a JSON Lines collection: show one of its records, `parafind show {}#ID` (`parafind list` names them)", path.display(), crate::warning::shell_quoted(path))]
    IsCollection {
        /// The path as given.
        path: PathBuf,
    },
    /// A path given to remove names nothing in the index.
    #[error("{} is not in the index: no indexed file is at or under it; nothing was removed (`parafind list` shows what the index holds)", path.display())]
    NothingToRemove {
        /// The path as given.
        path: PathBuf,
    },
    /// A path given to remove names one record of a JSON Lines collection, which leaves the
    /// index only with its collection (or when the collection no longer has it).
    #[error("{} is a record of the JSON Lines collection {}: a record leaves the index when it leaves the collection (edit it, then `parafind ingest --jsonl {}`), or with the whole collection (`parafind remove {}`); nothing was removed", path.display(), collection.display(), crate::warning::shell_quoted(collection), crate::warning::shell_quoted(collection))]
    RecordNotRemovable {
        /// The path as given.
        path: PathBuf,
        /// The collection's file.
        collection: PathBuf,
    },
    /// A path given to remove or show names a record a collection in the index does not have.
    #[error("{} is not in the index: the collection {} has no record {id:?}", path.display(), collection.display())]
    NoSuchRecord {
        /// The path as given.
        path: PathBuf,
        /// The collection's file.
        collection: PathBuf,
        /// The record id asked for.
        id: String,
    },
    /// A paragraph asked for does not exist.
    #[error("{} has {paragraphs} paragraph(s); there is no paragraph {paragraph}", path.display())]
    NoSuchParagraph {
        /// The path as given.
        path: PathBuf,
        /// The number asked for.
        paragraph: u64,
        /// How many paragraphs the file has.
        paragraphs: u64,
    },
    /// The query could not be parsed.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// Any other failure inside tantivy.
    #[error("index error: {0}")]
    Tantivy(tantivy::TantivyError),
    /// An I/O error writing output or reading input not tied to one file.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// `a, b do not match their checksum` (`a does not match its checksum`).
pub(crate) fn mismatched(files: &[PathBuf]) -> String {
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    match names.as_slice() {
        [one] => format!("{one} does not match its checksum"),
        _ => format!("{} do not match their checksum", names.join(", ")),
    }
}

/// The first 300 characters of `message` (tantivy quotes a whole `meta.json` it cannot parse).
fn brief(message: &str) -> String {
    match message.char_indices().nth(300) {
        Some((at, _)) => format!("{} …", &message[..at]),
        None => message.to_string(),
    }
}

/// Any other tantivy failure, with `?` (no `#[from]`: that would make the message's cause its
/// `source()` too).
impl From<tantivy::TantivyError> for Error {
    fn from(error: tantivy::TantivyError) -> Error {
        Error::Tantivy(error)
    }
}

/// An I/O error as parafind words it after a path: the system's own message, without its
/// `(os error N)` and starting small (`permission denied`, `no such file or directory`), the same
/// whichever step (walking, reading, creating) met it; a missing file that no system call
/// named (an error of that kind alone) in the same words; any other message as it is.
pub fn io_words(error: &io::Error) -> String {
    let message = error.to_string();
    if error.raw_os_error().is_none() {
        let bare_not_found = error.kind() == io::ErrorKind::NotFound
            && message == io::ErrorKind::NotFound.to_string();
        return match bare_not_found {
            true => "no such file or directory".into(),
            false => message,
        };
    }
    let message = match message.rfind(" (os error ") {
        Some(at) if message.ends_with(')') => &message[..at],
        _ => &message,
    };
    let mut chars = message.chars();
    match chars.next() {
        Some(first) if chars.clone().next().is_some_and(char::is_lowercase) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => message.to_string(),
    }
}

/// Result alias used across the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn io_errors_read_the_same_from_every_step() {
        let os = io::Error::from_raw_os_error(13);
        assert!(os.to_string().contains("os error 13"), "{os}");
        assert_eq!(io_words(&os), "permission denied");
        assert_eq!(
            io_words(&io::Error::from_raw_os_error(2)),
            "no such file or directory"
        );
        assert_eq!(
            io_words(&io::Error::from(io::ErrorKind::PermissionDenied)),
            "permission denied"
        );
        assert_eq!(
            io_words(&io::Error::from(io::ErrorKind::NotFound)),
            "no such file or directory"
        );
        // A message of its own (parafind's, the standard library's) is left as it is.
        for message in ["ELF header (os error)", "NUL in name", "Invalid header"] {
            assert_eq!(io_words(&io::Error::other(message)), message);
        }
        let short = std::io::Read::read_exact(&mut &b"ab"[..], &mut [0; 4]).unwrap_err();
        assert_eq!(io_words(&short), short.to_string());
        assert_ne!(io_words(&short), io_words(&io::Error::from(short.kind())));
    }

    #[test]
    fn messages_state_their_cause_and_hand_out_none() {
        let errors = [
            Error::Read {
                path: "a.txt".into(),
                error: io::Error::from(io::ErrorKind::PermissionDenied),
            },
            Error::CreateIndex {
                path: "index".into(),
                error: io::Error::from(io::ErrorKind::PermissionDenied),
            },
            Error::IndexDamaged {
                path: "index".into(),
                error: tantivy::TantivyError::InternalError("broken".into()),
                rebuild: "parafind ingest notes".into(),
            },
            Error::from(tantivy::TantivyError::InternalError("broken".into())),
        ];
        for error in errors {
            assert!(error.source().is_none(), "{error}");
            let message = error.to_string();
            assert!(
                message.contains("permission denied") || message.contains("broken"),
                "{message}"
            );
        }
    }
}
