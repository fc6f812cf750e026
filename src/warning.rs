//! What the library tells the user besides its results: warnings about a query
//! ([`QueryWarning`]) or about a file an ingest skipped or read only in part ([`FileWarning`]),
//! and the files an ingest could not read ([`Failure`]). Each holds the facts; its `Display` is
//! the message a front-end prints (and a JSON `warning` or `failure` record carries).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Something about a query the user should know; the query still ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryWarning {
    /// A query word that holds no searchable word (only punctuation or symbols); it was ignored.
    IgnoredWord {
        /// The word as written in the query.
        word: String,
    },
    /// A query word longer than the longest word indexed; it was left out of its word or
    /// phrase.
    LongWord {
        /// Its start, shortened.
        word: String,
    },
    /// A query word written with a symbol that is not searched: a negation that is not the
    /// query's (`!treaty`: `treaty` must match), or `+`/`#` ending a name (`C++` is `C`).
    UnsearchedSymbol {
        /// The word as written in the query.
        word: String,
        /// The symbol.
        symbol: String,
        /// It stands where a negation would (`!treaty`), not at a name's end (`C++`).
        negation: bool,
    },
    /// The file behind a hit changed since it was ingested.
    FileChanged {
        /// The file, relative to the search's base directory when it lies under it.
        path: PathBuf,
        /// Whether it is a JSON Lines collection (ingested again with `--jsonl`).
        collection: bool,
        /// How the fix-it command names the index.
        index: IndexFlag,
    },
    /// The file behind a hit no longer exists.
    FileGone {
        /// The file, relative to the search's base directory when it lies under it.
        path: PathBuf,
        /// How the fix-it command names the index.
        index: IndexFlag,
    },
    /// The file behind a hit is no longer a file: a directory, a link, a pipe or a socket
    /// took its place.
    FileReplaced {
        /// The file, relative to the search's base directory when it lies under it.
        path: PathBuf,
        /// How the fix-it command names the index.
        index: IndexFlag,
    },
    /// The file behind a hit cannot be looked at (its directory can no longer be read), so
    /// whether it changed is not known.
    FileUnreadable {
        /// The file, relative to the search's base directory when it lies under it.
        path: PathBuf,
    },
}

/// What the file behind indexed paragraphs is now, when it is not as it was indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileNow {
    /// Its size or modification time changed.
    Changed,
    /// Nothing is at its path.
    Gone,
    /// A directory, a link or a pipe took its place.
    Replaced,
    /// It cannot be looked at (its directory can no longer be read).
    Unreadable,
}

impl FileNow {
    /// In a few words, for a list of files or hits (`changed since indexed`, `gone`).
    pub fn words(self) -> &'static str {
        match self {
            FileNow::Changed => "changed since indexed",
            FileNow::Gone => "gone",
            FileNow::Replaced => "no longer a file",
            FileNow::Unreadable => "cannot be looked at",
        }
    }
}

impl QueryWarning {
    /// What a warning about a hit's file says of the file, in a few words for a list of hits
    /// (see [`FileNow::words`]); `None` for a warning about the query.
    pub fn file_state(&self) -> Option<&'static str> {
        let now = match self {
            QueryWarning::FileChanged { .. } => FileNow::Changed,
            QueryWarning::FileGone { .. } => FileNow::Gone,
            QueryWarning::FileReplaced { .. } => FileNow::Replaced,
            QueryWarning::FileUnreadable { .. } => FileNow::Unreadable,
            _ => return None,
        };
        Some(now.words())
    }
}

/// A path in a message, on one line and terminal-safe: a line break in a file's name is shown
/// escaped (`a\u{a}b.txt`), so that two names cannot read alike.
fn shown_path(path: &Path) -> String {
    crate::output::sanitize_name(&path.display().to_string()).into_owned()
}

impl fmt::Display for QueryWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryWarning::IgnoredWord { word } => {
                write!(f, "`{word}` holds no searchable word and was ignored")
            }
            QueryWarning::UnsearchedSymbol {
                word,
                symbol,
                negation: true,
            } => {
                let rest = word.strip_prefix(symbol.as_str()).unwrap_or(word);
                write!(
                    f,
                    "`{word}`: `{symbol}` is no operator, so `{rest}` is searched for; write \
                     -{rest} (or NOT {rest}) to leave it out"
                )
            }
            QueryWarning::UnsearchedSymbol { word, symbol, .. } => write!(
                f,
                "`{word}`: `{symbol}` is not indexed, so `{}` was searched for",
                word.strip_suffix(symbol.as_str()).unwrap_or(word)
            ),
            QueryWarning::LongWord { word } => write!(
                f,
                "`{word}` is longer than {} bytes, the longest word parafind indexes, and was left out",
                crate::analysis::MAX_TOKEN_BYTES
            ),
            QueryWarning::FileChanged {
                path,
                collection,
                index,
            } => {
                let shown = shown_path(path);
                let quoted = shell_quoted(path);
                let jsonl = if *collection { "--jsonl " } else { "" };
                write!(
                    f,
                    "{shown} changed since it was indexed; run `parafind {index}ingest {jsonl}{quoted}` to update it"
                )
            }
            QueryWarning::FileGone { path, index } => {
                let shown = shown_path(path);
                let quoted = shell_quoted(path);
                write!(
                    f,
                    "{shown} no longer exists; run `parafind {index}remove {quoted}` to take it out of the index"
                )
            }
            QueryWarning::FileReplaced { path, index } => {
                let shown = shown_path(path);
                write!(
                    f,
                    "{shown} is no longer a file (a directory, a link or a pipe took its place); run `parafind {index}refresh` to take it out of the index"
                )
            }
            QueryWarning::FileUnreadable { path } => {
                let shown = shown_path(path);
                write!(
                    f,
                    "{shown} cannot be looked at (permission denied, or another error), so it may have changed since it was indexed"
                )
            }
        }
    }
}

/// How the commands a message tells the user to run (`parafind remove a.txt`) name the index:
/// not at all when the same command run from the same directory would use it anyway, else with
/// `--index DIR` (a command run as printed must act on the index the message is about, not
/// create or change `./index`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexFlag(Option<PathBuf>);

impl IndexFlag {
    /// Commands name the index at `dir` (as the user should type it: relative to the current
    /// directory when under it).
    pub fn naming(dir: PathBuf) -> IndexFlag {
        IndexFlag(Some(dir))
    }

    /// `message` with every command it quotes (`` `parafind …` ``) naming the index: for
    /// messages written where the index's name is not known (an error from deep in the
    /// library), put right at the output edge.
    pub fn in_commands(&self, message: &str) -> String {
        match self.0 {
            None => message.to_string(),
            Some(_) => message.replace("`parafind ", &format!("`parafind {self}")),
        }
    }
}

/// `--index DIR ` (with its trailing space), or nothing.
impl fmt::Display for IndexFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(dir) => write!(f, "--index {} ", shell_quoted(dir)),
            None => Ok(()),
        }
    }
}

/// A file an ingest skipped or read only in part; the rest of the ingest went on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileWarning {
    /// The file concerned (the index directory for [`FileProblem::OrderNotRecorded`] and
    /// [`FileProblem::NotMerged`]).
    pub path: PathBuf,
    /// What happened to it.
    pub problem: FileProblem,
}

/// What an ingest found wrong with a file. `Display` says it in words meant to follow the
/// file's path (`notes/a.bin: binary file (contains NUL bytes), skipped`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// The walk could not look at the entry.
    Unreadable {
        /// What the walker or the file system reported.
        reason: String,
    },
    /// A file with NUL bytes, taken as binary and skipped.
    BinaryFile,
    /// Standard input with NUL bytes, taken as binary and skipped.
    BinaryInput,
    /// Text that is not valid UTF-8: read with its invalid bytes replaced.
    NotUtf8,
    /// Text with a UTF-16 byte-order mark that is not valid UTF-16: each lone surrogate read as
    /// U+FFFD, an odd last byte left out.
    NotUtf16,
    /// Text that is not UTF-8 and holds no multi-byte UTF-8 sequence: read as Windows-1252.
    ReadAsWindows1252,
    /// Text that is not UTF-8, read in another legacy encoding: one its bytes suggest
    /// (`guessed`), or the one it declares, in which some bytes were not valid (`lossy`).
    ReadAsLegacy {
        /// The encoding's name (`Shift_JIS`).
        encoding: &'static str,
        /// Guessed from the bytes rather than declared.
        guessed: bool,
        /// Invalid sequences were read as U+FFFD.
        lossy: bool,
    },
    /// A line of a JSON Lines collection that is not a record; the other lines were read.
    BadRecord {
        /// The 1-based line number.
        line: usize,
        /// What the JSON parser reported.
        reason: String,
    },
    /// A line of a JSON Lines collection longer than the limit for one record: skipped, never
    /// held whole; the other lines were read.
    LongRecord {
        /// The 1-based line number.
        line: usize,
        /// The limit, in bytes.
        limit: usize,
    },
    /// A JSON Lines record whose id an earlier line already gave: the later record replaces
    /// the earlier.
    RepeatedRecord {
        /// The 1-based line number of the later record.
        line: usize,
        /// The id.
        id: String,
        /// The line of the record it replaces.
        earlier: usize,
    },
    /// A JSON Lines record with neither text nor a title to index: skipped.
    EmptyRecord {
        /// The 1-based line number.
        line: usize,
        /// The id.
        id: String,
    },
    /// A file the index held that is binary now: its old text was removed from the index.
    TurnedBinary,
    /// A document only part of which could be read (a PDF cut short, or with a page that
    /// cannot be read): what could be read is indexed.
    ReadInPart {
        /// What was wrong, in one line.
        reason: String,
    },
    /// A document (PDF, DOCX, ODT, EPUB, or a `.gz` file) that cannot be read as its format:
    /// encrypted, damaged, not what its name says, or without text; skipped (and, when the index
    /// held it, its old paragraphs removed).
    BadDocument {
        /// Why, in one line (`PDF is encrypted`).
        reason: String,
        /// The index held the file before.
        existed: bool,
    },
    /// Standard input was ingested under the name of a file that exists (`--name notes.md -`):
    /// its text is taken for the file's.
    NamesAFile,
    /// A directory the index remembers (ingested, walked by `refresh`) is gone: moved,
    /// deleted, or on a disk not mounted. The files the index held in it are taken out.
    DirectoryGone,
    /// A directory the index remembers is empty now (a mount point whose disk is not
    /// mounted): the files the index held in it are taken out.
    DirectoryEmpty,
    /// The ingest (or removal) committed, but which segments hold files in path order was not
    /// recorded.
    OrderNotRecorded {
        /// The error that stopped the recording.
        reason: String,
    },
    /// The ingest committed, but merging segments after the commit failed.
    NotMerged {
        /// The error that stopped the merges.
        reason: String,
    },
    /// Files of the index do not match their checksums: their segments were not merged (a
    /// merge would carry the damage into a segment with a valid checksum).
    Damaged {
        /// The damaged files' names.
        files: Vec<PathBuf>,
        /// The command that builds the index again.
        rebuild: String,
    },
}

impl FileProblem {
    /// Whether the problem is the index's own (its `path` is the index directory), not a file's.
    pub fn is_about_the_index(&self) -> bool {
        matches!(
            self,
            FileProblem::OrderNotRecorded { .. }
                | FileProblem::NotMerged { .. }
                | FileProblem::Damaged { .. }
        )
    }
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileProblem::Unreadable { reason } => f.write_str(reason),
            FileProblem::BinaryFile => f.write_str("binary file (contains NUL bytes), skipped"),
            FileProblem::BinaryInput => f.write_str("binary input (contains NUL bytes), skipped"),
            FileProblem::ReadInPart { reason } => {
                write!(f, "{reason}; what could be read is indexed")
            }
            FileProblem::BadDocument { reason, existed } => {
                let removed = if *existed {
                    "; its old paragraphs were removed"
                } else {
                    ""
                };
                write!(f, "{reason}; skipped{removed}")
            }
            FileProblem::NotUtf8 => {
                f.write_str("not valid UTF-8; its invalid bytes read as U+FFFD")
            }
            FileProblem::NotUtf16 => f.write_str(
                "not valid UTF-16; a lone surrogate read as U+FFFD, an odd last byte left out",
            ),
            FileProblem::ReadAsWindows1252 => {
                f.write_str("not UTF-8; read as Windows-1252 (Latin-1), a character a byte")
            }
            FileProblem::ReadAsLegacy {
                encoding,
                guessed: true,
                lossy,
            } => {
                write!(
                    f,
                    "not UTF-8; read as {encoding}, the encoding its bytes suggest"
                )?;
                match lossy {
                    true => f.write_str(" (its invalid bytes as U+FFFD)"),
                    false => Ok(()),
                }
            }
            FileProblem::ReadAsLegacy { encoding, .. } => write!(
                f,
                "not valid {encoding}, the encoding it declares; its invalid bytes read as U+FFFD"
            ),
            FileProblem::BadRecord { line, reason } => write!(
                f,
                "line {line}: not a {{\"id\", \"title\", \"text\"}} record: {reason}"
            ),
            FileProblem::LongRecord { line, limit } => write!(
                f,
                "line {line}: record longer than {}, the limit for one record; skipped",
                size(*limit)
            ),
            FileProblem::RepeatedRecord { line, id, earlier } => write!(
                f,
                "line {line}: record id {id:?} is also on line {earlier}; the later record \
                 replaces the earlier"
            ),
            FileProblem::EmptyRecord { line, id } => write!(
                f,
                "line {line}: record id {id:?} has no text and no title to index; skipped"
            ),
            FileProblem::TurnedBinary => f.write_str(
                "binary file (contains NUL bytes) now; its old text was removed from the index",
            ),
            FileProblem::OrderNotRecorded { reason } => write!(
                f,
                "the change was committed, but which segments hold files in path order was \
                 not recorded ({reason}); searches read paths instead"
            ),
            FileProblem::NamesAFile => f.write_str(
                "standard input is indexed under this name, which is a file's: hits show its \
                 text as that file's, at places the file does not have, and a `refresh` or \
                 ingest that reads the file puts its text back",
            ),
            FileProblem::DirectoryGone => f.write_str(
                "the directory ingested is gone (moved, deleted, or on a disk not mounted): \
                 the files the index held in it are taken out; ingest it where it is now, or \
                 `parafind remove` it to forget it",
            ),
            FileProblem::DirectoryEmpty => f.write_str(
                "the directory ingested is empty now (a disk not mounted?): the files the index \
                 held in it are taken out; mount it and `parafind refresh` again to put them back",
            ),
            FileProblem::NotMerged { reason } => write!(
                f,
                "ingest committed, but its segments were not merged ({reason}); searches \
                 work, and the next ingest merges them"
            ),
            FileProblem::Damaged { files, rebuild } => write!(
                f,
                "the index is damaged: {} (left unmerged, so `parafind check` still finds \
                 it); delete the index directory and run `{rebuild}` again to rebuild it",
                crate::error::mismatched(files)
            ),
        }
    }
}

/// `bytes` in words: whole MiB or KiB when it is a multiple of one.
fn size(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// A file an ingest could not read; everything else was committed.
#[derive(Debug)]
pub struct Failure {
    /// The file.
    pub path: PathBuf,
    /// Why it could not be read (the message is this error's, see [`Failure::message`]).
    pub error: io::Error,
}

impl Failure {
    /// Why the file could not be read, in parafind's words (`permission denied`).
    pub fn message(&self) -> String {
        crate::error::io_words(&self.error)
    }
}

/// `path` as one shell word that names it exactly: as it is when that is safe, else in single
/// quotes; a path with a control character (a newline), an invisible one, or bytes that are not
/// UTF-8 in ANSI-C quotes (`$'new\nline.txt'`, `$'bad\xffname'`, as bash, zsh and ksh read them),
/// since single quotes would carry them raw into a terminal that shows them otherwise.
pub(crate) fn shell_quoted(path: &std::path::Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    // A relative name that starts with `-` would be read as an option.
    if bytes.starts_with(b"-") {
        return shell_quoted(&std::path::Path::new(".").join(path));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) if text.chars().all(|c| !hidden(c)) => {
            let plain = |c: char| c.is_alphanumeric() || "._/-+=:,@%".contains(c);
            if !text.is_empty() && text.chars().all(plain) {
                return text.to_string();
            }
            format!("'{}'", text.replace('\'', "'\\''"))
        }
        _ => ansi_c_quoted(bytes),
    }
}

/// Whether a terminal would not show `c` as itself in one line (a line break, a control or an
/// invisible character; what output escapes).
fn hidden(c: char) -> bool {
    matches!(c, '\n' | '\t') || crate::output::is_unsafe(c)
}

/// `bytes` in ANSI-C quotes: printable characters as they are (`'` and `\` escaped), others
/// byte by byte as `\xHH` (a newline `\n`, a tab `\t`).
fn ansi_c_quoted(bytes: &[u8]) -> String {
    let mut out = String::from("$'");
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\'' => out.push_str("\\'"),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                c if hidden(c) => {
                    let mut buffer = [0; 4];
                    for byte in c.encode_utf8(&mut buffer).bytes() {
                        out.push_str(&format!("\\x{byte:02x}"));
                    }
                }
                c => out.push(c),
            }
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn fix_it_commands_name_odd_paths_exactly() {
        use std::os::unix::ffi::OsStrExt;
        let quoted =
            |bytes: &[u8]| shell_quoted(std::path::Path::new(std::ffi::OsStr::from_bytes(bytes)));
        assert_eq!(quoted(b"notes/a.txt"), "notes/a.txt");
        assert_eq!(quoted(b"-t.txt"), "./-t.txt");
        assert_eq!(quoted(b"it's here.txt"), "'it'\\''s here.txt'");
        assert_eq!(quoted(b"root/new\nline.txt"), "$'root/new\\nline.txt'");
        assert_eq!(quoted(b"bad\xffname.txt"), "$'bad\\xffname.txt'");
        assert_eq!(
            quoted("ls\u{2028}sep".as_bytes()),
            "$'ls\\xe2\\x80\\xa8sep'"
        );
        assert_eq!(
            quoted("x\u{202E}'é\\".as_bytes()),
            "$'x\\xe2\\x80\\xae\\'é\\\\'"
        );
        // bash reads each back as the very bytes.
        for bytes in [
            &b"it's here.txt"[..],
            b"root/new\nline.txt",
            b"bad\xffname\ttab.txt",
            "ls\u{2028}sep x\u{202E}'\\".as_bytes(),
        ] {
            let read = std::process::Command::new("bash")
                .args(["-c", &format!("printf '%s' {}", quoted(bytes))])
                .output()
                .expect("bash");
            assert_eq!(read.stdout, bytes, "{}", quoted(bytes));
        }
        let gone = QueryWarning::FileGone {
            path: "root/new\nline.txt".into(),
            index: IndexFlag::default(),
        };
        assert!(gone
            .to_string()
            .contains("run `parafind remove $'root/new\\nline.txt'`"));
    }

    #[test]
    fn query_warnings_read_as_one_sentence() {
        let word = QueryWarning::IgnoredWord { word: "—".into() };
        assert_eq!(
            word.to_string(),
            "`—` holds no searchable word and was ignored"
        );
        let changed = QueryWarning::FileChanged {
            path: "notes/a.txt".into(),
            collection: false,
            index: IndexFlag::default(),
        };
        assert_eq!(
            changed.to_string(),
            "notes/a.txt changed since it was indexed; run `parafind ingest notes/a.txt` to update it"
        );
        let collection = QueryWarning::FileChanged {
            path: "c.jsonl".into(),
            collection: true,
            index: IndexFlag::default(),
        };
        assert_eq!(
            collection.to_string(),
            "c.jsonl changed since it was indexed; run `parafind ingest --jsonl c.jsonl` to update it"
        );
        let gone = QueryWarning::FileGone {
            path: "/x/it's b.txt".into(),
            index: IndexFlag::default(),
        };
        assert_eq!(
            gone.to_string(),
            "/x/it's b.txt no longer exists; run `parafind remove '/x/it'\\''s b.txt'` to take it out of the index"
        );
    }

    #[test]
    fn fix_it_commands_name_an_index_the_command_would_not_find() {
        let elsewhere = IndexFlag::naming("../my index".into());
        let changed = QueryWarning::FileChanged {
            path: "a.txt".into(),
            collection: true,
            index: elsewhere.clone(),
        };
        assert_eq!(
            changed.to_string(),
            "a.txt changed since it was indexed; run `parafind --index '../my index' ingest --jsonl a.txt` to update it"
        );
        let replaced = QueryWarning::FileReplaced {
            path: "a.txt".into(),
            index: IndexFlag::naming("-ix".into()),
        };
        assert!(replaced
            .to_string()
            .contains("run `parafind --index ./-ix refresh` to take it out"));
        assert_eq!(
            elsewhere.in_commands("no index here; create one with `parafind ingest PATH...`"),
            "no index here; create one with `parafind --index '../my index' ingest PATH...`"
        );
        let here = IndexFlag::default();
        assert_eq!(
            here.in_commands("run `parafind list`"),
            "run `parafind list`"
        );
    }

    #[test]
    fn file_problems_follow_their_path() {
        let record = FileProblem::BadRecord {
            line: 4,
            reason: "expected value at line 1 column 1".into(),
        };
        assert_eq!(
            record.to_string(),
            "line 4: not a {\"id\", \"title\", \"text\"} record: expected value at line 1 column 1"
        );
        let long = FileProblem::LongRecord {
            line: 3,
            limit: 64 << 20,
        };
        assert_eq!(
            long.to_string(),
            "line 3: record longer than 64 MiB, the limit for one record; skipped"
        );
        let order = FileProblem::OrderNotRecorded {
            reason: "index error: x".into(),
        };
        assert_eq!(
            order.to_string(),
            "the change was committed, but which segments hold files in path order was not recorded \
             (index error: x); searches read paths instead"
        );
        let merge = FileProblem::NotMerged {
            reason: "index error: y".into(),
        };
        assert_eq!(
            merge.to_string(),
            "ingest committed, but its segments were not merged (index error: y); searches \
             work, and the next ingest merges them"
        );
        assert_eq!(
            FileProblem::NotUtf8.to_string(),
            "not valid UTF-8; its invalid bytes read as U+FFFD"
        );
    }
}
