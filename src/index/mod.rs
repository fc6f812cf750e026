//! The index: where it lives on disk, creating and opening it (always registering the analyzer
//! and checking the versions it was built with), and ingesting files into it.
//!
//! An index is a directory holding a tantivy index. Its commit payload records the analyzer and
//! schema versions; an index built with other versions is refused rather than searched wrongly.
//! Writes only become visible at commit, so a failed or interrupted ingest leaves the index at its
//! last good state.

mod access;
mod document;
mod ingest;
mod inspect;
mod key;
pub(crate) mod order;
mod pages;
mod queue;
mod remove;
mod roots;
pub(crate) mod schema;
mod stamps;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::error::{LockError, OpenDirectoryError};
use tantivy::{Index, TantivyError};

pub use access::{is_index_dir, MARKER};
pub(crate) use ingest::file_may_exist;
pub use ingest::{
    file_key, file_stamp, ingest, ingest_with_progress, refresh_paths, refresh_with_progress,
    IngestOptions, IngestReport, Progress, Stage,
};
pub use inspect::{files, files_at, stats, stats_at, FileEntry, IndexStats};
pub use key::{collection_as_named, key_path, key_text, lookup_key, lookup_keys, path_key};
pub(crate) use key::{doc_id, key_raw_bytes, resolve_steps};
pub use remove::{remove, RemoveReport};
pub use roots::Root;
pub(crate) use schema::Fields;

use crate::analysis;
use crate::error::{Error, Result};

/// An open parafind index.
pub struct ParaIndex {
    /// The tantivy index, with the analyzer registered.
    pub index: Index,
    /// The schema's fields.
    pub fields: Fields,
    /// Where the index lives.
    pub dir: PathBuf,
    /// The payload of the last commit when the index was opened (none before the first).
    payload: Option<Payload>,
    /// The file mappings an index opened to be changed reads through, whose pages ingest
    /// gives back as it goes (none for an index opened for searching).
    pages: pages::Mappings,
}

/// What parafind records in each commit's payload.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Payload {
    analyzer_version: u32,
    schema_version: u32,
    /// When the commit was made, in seconds since the Unix epoch.
    #[serde(default)]
    ingested_at: u64,
    /// The ids of the segments checked to be in path order, paths then paragraphs (written and
    /// read by `order`). Earlier builds wrote `path_ordered`, which is not read (those before
    /// session 13 checked path ordinals only): their segments count as unordered until the
    /// next ingest checks them.
    #[serde(
        rename = "path_and_paragraph_ordered",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    path_ordered: Vec<String>,
    /// What earlier builds recorded instead (read only to tell that the next ingest
    /// should check the segments and commit, even if no file changed).
    #[serde(rename = "path_ordered", default, skip_serializing)]
    older_order_record: Vec<String>,
    /// The directories ingested, with their filters (written by ingest, read by refresh).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    roots: Vec<Root>,
}

impl Payload {
    fn current(path_ordered: Vec<String>, roots: Vec<Root>) -> Payload {
        Payload {
            analyzer_version: analysis::VERSION,
            schema_version: schema::VERSION,
            ingested_at: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            path_ordered,
            older_order_record: Vec::new(),
            roots,
        }
    }

    fn is_compatible(&self) -> bool {
        self.analyzer_version == analysis::VERSION && self.schema_version == schema::VERSION
    }
}

/// Decompressed stored blocks a segment keeps (16 KB each, filled only as they are read):
/// tantivy's default of 100 is less than a batch of a few dozen queries keeps reading from
/// one of the large segments ingest now writes, and a cyclic pattern misses every time in an
/// LRU cache that is too small.
const STORE_CACHE_BLOCKS: usize = 256;

impl ParaIndex {
    /// A searcher on the last commit. The reader never reloads by itself (a command sees one
    /// state of the index), so opening it starts no file watcher.
    pub fn searcher(&self) -> Result<tantivy::Searcher> {
        let reader = self
            .index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(STORE_CACHE_BLOCKS)
            .try_into()
            .map_err(|e| damaged(&self.dir, e))?;
        Ok(reader.searcher())
    }
}

/// True when `dir` holds an index that has been committed to. An index whose very first ingest
/// never committed (interrupted, or failed) holds nothing and counts as no index, so the next
/// search can still build the default one. A `meta.json` that cannot be read counts as an index,
/// so that opening it reports the damage.
pub fn exists(dir: &Path) -> bool {
    let meta = match std::fs::read_to_string(dir.join("meta.json")) {
        Ok(meta) => meta,
        // There, but not to be read by this user (opening it says so), or damaged.
        Err(err) if err.kind() == std::io::ErrorKind::PermissionDenied => return true,
        Err(_) => return lost_commit_record(dir),
    };
    match serde_json::from_str::<serde_json::Value>(&meta) {
        Ok(meta) => {
            let has_segments = meta["segments"].as_array().is_some_and(|s| !s.is_empty());
            has_segments || !meta["payload"].is_null()
        }
        Err(_) => true,
    }
}

/// The first directory named `name` that is a parafind index, looking in `start` and then in
/// each of its parents (as git finds `.git`).
pub fn find_index(start: &Path, name: &str) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(name))
        .find(|candidate| access::is_index_dir(candidate) || unreadable_dir(candidate))
}

/// Whether `dir` is a directory whose files this user may not look at: an index there cannot
/// be told from its files, and is not to be looked past for one further up (opening it says
/// what is wrong).
fn unreadable_dir(dir: &Path) -> bool {
    dir.is_dir()
        && std::fs::metadata(dir.join(access::MARKER))
            .is_err_and(|err| err.kind() == std::io::ErrorKind::PermissionDenied)
}

/// Whether tantivy's `meta.json` is in `dir`, committed to or not; an error when this user may
/// not look.
fn has_meta(dir: &Path) -> Result<bool> {
    match std::fs::metadata(dir.join("meta.json")) {
        Ok(meta) => Ok(meta.is_file()),
        Err(err) if err.kind() == std::io::ErrorKind::PermissionDenied => Err(Error::IndexAccess {
            path: dir.to_path_buf(),
            reason: crate::error::io_words(&err),
        }),
        Err(_) => Ok(false),
    }
}

/// Whether `dir` is parafind's index with segment files but no commit record (`meta.json`
/// deleted or lost): damaged, not missing.
fn lost_commit_record(dir: &Path) -> bool {
    let is_segment_file = |name: &std::ffi::OsStr| {
        let name = name.to_string_lossy();
        let stem = name.split('.').next().unwrap_or_default();
        stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit())
    };
    dir.join(access::MARKER).is_file()
        && !dir.join("meta.json").exists()
        && std::fs::read_dir(dir).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|entry| is_segment_file(&entry.file_name()))
        })
}

fn check_is_directory(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::IndexNotADirectory {
            path: dir.to_path_buf(),
        });
    }
    if !dir.exists() {
        // A link to nothing, the index path or a directory it would be made in: creating the
        // directory would fail with "file exists".
        for path in dir.ancestors().filter(|p| !p.as_os_str().is_empty()) {
            let Ok(meta) = std::fs::symlink_metadata(path) else {
                continue; // missing: made with the index
            };
            if !meta.file_type().is_symlink() || path.exists() {
                break;
            }
            let target = std::fs::read_link(path).unwrap_or_default();
            let from = path.parent().unwrap_or(Path::new(""));
            return Err(Error::IndexLinkToNothing {
                path: path.to_path_buf(),
                target: from.join(target),
            });
        }
    }
    Ok(())
}

/// Opens the index in `dir` for searching.
pub fn open(dir: &Path) -> Result<ParaIndex> {
    open_committed(dir, None)
}

/// What [`check`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checked {
    /// Files of the last commit read.
    pub files: u64,
    /// Their bytes.
    pub bytes: u64,
    /// Those whose content does not match their checksum, sorted.
    pub damaged: Vec<PathBuf>,
}

/// Reads every file of the index in `dir`'s last commit and compares it with the checksum
/// tantivy wrote at its end: the files whose content no longer matches, or whose end cannot be
/// read as one (a damaged disk, a file overwritten), are [`Checked::damaged`].
pub fn check(dir: &Path) -> Result<Checked> {
    let index = Index::open_in_dir(dir).map_err(|e| damaged(dir, e))?;
    let committed = index.load_metas().map_err(|e| damaged(dir, e))?;
    let mut checked = Checked::default();
    for file in committed.list_segment_files() {
        let matches = intact(&index, dir, &file)?;
        checked.files += 1;
        checked.bytes += std::fs::metadata(dir.join(&file)).map_or(0, |m| m.len());
        if !matches {
            checked.damaged.push(file);
        }
    }
    checked.damaged.sort();
    Ok(checked)
}

/// Whether `file`, of the index `index` in `dir`, matches the checksum tantivy wrote at its
/// end (one that an ingest's clean-up took away does); a file this user may not read is an
/// error, no sign of damage.
pub(crate) fn intact(index: &Index, dir: &Path, file: &Path) -> Result<bool> {
    match index.directory().validate_checksum(file) {
        Ok(matches) => Ok(matches),
        Err(tantivy::directory::error::OpenReadError::IoError { io_error, .. })
            if io_error.kind() == std::io::ErrorKind::PermissionDenied =>
        {
            Err(Error::IndexAccess {
                path: dir.to_path_buf(),
                reason: crate::error::io_words(&io_error),
            })
        }
        // Unreadable as a file with a footer; unless an ingest's clean-up took it away.
        Err(_) => Ok(!dir.join(file).is_file()),
    }
}

/// The files of the index in `dir`'s last commit that do not match their checksum (see
/// [`check`]); reads every file.
pub fn damaged_files(dir: &Path) -> Result<Vec<PathBuf>> {
    Ok(check(dir)?.damaged)
}

/// Opens the index in `dir` to change it (refresh, remove, watch): as [`open`], but reading
/// its files through mappings whose pages ingest gives back (see `pages`).
pub fn open_for_update(dir: &Path) -> Result<ParaIndex> {
    open_committed(dir, Some(pages::Mappings::default()))
}

/// Opens the index in `dir`, which must have been committed to, reading through `pages` when
/// given.
fn open_committed(dir: &Path, pages: Option<pages::Mappings>) -> Result<ParaIndex> {
    check_is_directory(dir)?;
    let no_index = || Error::NoIndex {
        path: dir.to_path_buf(),
    };
    if !has_meta(dir)? {
        if lost_commit_record(dir) {
            return Err(Error::CommitRecordMissing {
                path: dir.to_path_buf(),
            });
        }
        // A directory of other files is no index, and none can be made there: say that, not
        // to make one with a command that would be refused.
        if let Err(other_files @ Error::IndexDirNotEmpty { .. }) = access::check_may_create(dir) {
            return Err(other_files);
        }
        return Err(no_index());
    }
    let index = match &pages {
        None => access::open_for_reading(dir),
        Some(pages) => access::open_for_writing(dir, pages),
    };
    let index = index.map_err(|e| damaged(dir, e))?;
    let (index, committed) = wrap(index, dir, pages.unwrap_or_default())?;
    // An index whose first ingest never committed holds nothing: it counts as no index,
    // unless that ingest is still running.
    if committed {
        Ok(index)
    } else if access::writer_busy(dir) {
        Err(Error::FirstIngestRunning {
            path: dir.to_path_buf(),
        })
    } else {
        Err(no_index())
    }
}

/// Opens the index in `dir`, creating the directory and an empty index when there is none.
pub fn open_or_create(dir: &Path) -> Result<ParaIndex> {
    check_is_directory(dir)?;
    if has_meta(dir)? {
        let pages = pages::Mappings::default();
        let index = access::open_for_writing(dir, &pages).map_err(|e| damaged(dir, e))?;
        let index = wrap(index, dir, pages)?.0;
        // An index made by an earlier build gets its marker; one that cannot be written is
        // reported by the writer, with the right advice.
        let _ = access::write_marker(dir);
        return Ok(index);
    }
    // A new index made over a lost one would drop every file it held without a word.
    if lost_commit_record(dir) {
        return Err(Error::CommitRecordMissing {
            path: dir.to_path_buf(),
        });
    }
    access::check_may_create(dir)?;
    std::fs::create_dir_all(dir).map_err(|error| Error::CreateIndex {
        path: dir.to_path_buf(),
        error,
    })?;
    access::write_marker(dir)?;
    let pages = pages::Mappings::default();
    let index = access::create(dir, &pages).map_err(|e| damaged(dir, e))?;
    Ok(wrap(index, dir, pages)?.0)
}

/// Registers the analyzers and checks the versions; also tells whether the index was ever
/// committed to. `pages` are the mappings the index reads through, if it is to give them back.
fn wrap(index: Index, dir: &Path, pages: pages::Mappings) -> Result<(ParaIndex, bool)> {
    analysis::register(&index);
    let payload = check_versions(&index, dir)?;
    let fields = Fields::resolve(&index.schema())
        .ok_or_else(|| access::foreign(dir, "its fields are not parafind's".into()))?;
    let committed = payload.is_some();
    let index = ParaIndex {
        index,
        fields,
        dir: dir.to_path_buf(),
        payload,
        pages,
    };
    Ok((index, committed))
}

/// Refuses an index whose recorded versions differ from this build's. A fresh index with no
/// commit yet has no payload and is accepted; the answer is the payload of the last commit
/// (none when there was no commit).
fn check_versions(index: &Index, dir: &Path) -> Result<Option<Payload>> {
    let (metas, bytes) = committed(index).map_err(|e| damaged(dir, e))?;
    let payload: Option<Payload> = metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok());
    if let Some(file) = access::missing_segment_file(dir, &metas.segments, &bytes) {
        let roots = payload.as_ref().map_or(&[][..], |p| &p.roots);
        return Err(Error::IndexIncomplete {
            path: dir.to_path_buf(),
            file,
            rebuild: rebuild_command_with(roots, &ByName::load(dir)),
        });
    }
    match payload {
        Some(p) if p.is_compatible() => Ok(Some(p)),
        None if metas.segments.is_empty() && metas.payload.is_none() => Ok(None),
        None => Err(access::foreign(
            dir,
            "its commits do not record parafind's versions".into(),
        )),
        Some(p) => Err(Error::IncompatibleIndex {
            path: dir.to_path_buf(),
            found: format!(
                "analyzer version {}, schema version {}",
                p.analyzer_version, p.schema_version
            ),
            expected: analysis::VERSION,
            rebuild: rebuild_command_with(&p.roots, &ByName::load(dir)),
        }),
    }
}

/// `text` as one word of a shell command: as it is when nothing in it is special, else in single
/// quotes (a flag's value: no `./` before a leading `-`, as a path gets).
fn shell_word(text: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "._/-+=:,@%".contains(c);
    match !text.is_empty() && text.chars().all(plain) {
        true => text.to_string(),
        false => format!("'{}'", text.replace('\'', "'\\''")),
    }
}

/// The command that builds the index at `dir` again: [`rebuild_command`] of the directories its
/// commit record remembers (`parafind ingest PATH...` when that cannot be read); for an index
/// that could not be opened (an open one has [`ParaIndex::rebuild_command`]).
pub fn rebuild_command_at(dir: &Path) -> String {
    let payload = std::fs::read(dir.join("meta.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .and_then(|meta| Some(meta.get("payload")?.as_str()?.to_string()));
    let roots = payload
        .and_then(|payload| serde_json::from_str::<Payload>(&payload).ok())
        .map(|payload| payload.roots)
        .unwrap_or_default();
    rebuild_command_with(&roots, &ByName::load(dir))
}

/// The glob `glob` of `root` as a command run from `cwd` takes it: as written when `cwd` is the
/// directory it was relative to (or it names no directory, `*.md`), else as an absolute path's
/// glob (`docs/*.md` from `/home/me` is `/home/me/docs/*.md`), which ingest takes under its
/// current directory.
fn glob_from(glob: &str, root: &Root, cwd: Option<&Path>) -> String {
    let (bang, body) = crate::corpus::negation(glob);
    let base = root.base.as_deref().map(key_path);
    // A trailing `/` (a directory's glob) is kept, and names no directory to anchor at.
    let (path, slash) = match body.strip_suffix('/') {
        Some(path) => (path, "/"),
        None => (body, ""),
    };
    match base {
        // Already an absolute path's (`-g "$PWD/docs/*.md"`): as it is.
        Some(base) if Path::new(path).starts_with(&base) => glob.to_string(),
        Some(base) if path.contains('/') && cwd != Some(base.as_path()) => {
            let path = Path::new(path.trim_start_matches('/'));
            format!(
                "{bang}{}{slash}",
                resolve_steps(&base, path).to_string_lossy()
            )
        }
        _ => glob.to_string(),
    }
}

/// `parafind ingest` of the directories an index was built from (`roots`), with the filters
/// each was walked with (`--hidden`, `-g`, `-t`, `--whole-html`; one command per set of
/// filters, joined by "` and `"), shown relative to the current directory when under it and
/// quoted for the shell; `parafind ingest PATH...` when it remembers none (files named one by
/// one).
#[cfg(test)]
fn rebuild_command(roots: &[Root]) -> String {
    rebuild_command_with(roots, &ByName::default())
}

/// What an index holds that no walk of its directories finds again: files ingested by name
/// outside them, and JSON Lines collections (read as collections only when named with
/// `--jsonl`), as keys. Written beside the index after each commit ([`ByName::BY_NAME`]), so
/// that a rebuild command names them even when the index cannot be read.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct ByName {
    files: Vec<String>,
    collections: Vec<String>,
}

impl ByName {
    /// Its file, in the index directory.
    const BY_NAME: &'static str = ".parafind-by-name.json";

    /// What the commit `searcher` reads holds outside `roots`, from the keys' dictionaries.
    pub(crate) fn of(
        searcher: &tantivy::Searcher,
        fields: Fields,
        roots: &[Root],
    ) -> tantivy::Result<ByName> {
        let mut collections = std::collections::BTreeSet::new();
        for reader in searcher.segment_readers() {
            collections.extend(live_keys(reader, fields.source, |_| true)?);
        }
        let under_a_root = |key: &str| {
            let path = key_path(key);
            roots.iter().any(|root| path.starts_with(root.dir()))
        };
        let is_record = |key: &str| {
            key.match_indices('#')
                .any(|(at, _)| collections.contains(&key[..at]))
        };
        let mut files = std::collections::BTreeSet::new();
        for reader in searcher.segment_readers() {
            let outside = |key: &str| !under_a_root(key) && !is_record(key);
            files.extend(live_keys(reader, fields.path, outside)?);
        }
        Ok(ByName {
            files: files.into_iter().collect(),
            collections: collections.into_iter().collect(),
        })
    }

    /// What was written beside the index at `dir` (nothing when it cannot be read).
    fn load(dir: &Path) -> ByName {
        std::fs::read(dir.join(Self::BY_NAME))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Writes it beside the index at `dir` when it changed (and removes it when empty); a
    /// failure only leaves rebuild commands without these.
    pub(crate) fn save(&self, dir: &Path) {
        if ByName::load(dir) == *self {
            return;
        }
        let file = dir.join(Self::BY_NAME);
        if self.files.is_empty() && self.collections.is_empty() {
            let _ = std::fs::remove_file(file);
            return;
        }
        let Ok(json) = serde_json::to_vec(self) else {
            return;
        };
        let temporary = dir.join(format!("{}.tmp", Self::BY_NAME));
        if std::fs::write(&temporary, json).is_ok() {
            let _ = std::fs::rename(&temporary, file);
        }
    }
}

/// The keys of `field` in the segment of `reader` for which `wanted` holds and that a
/// paragraph still held has (a dictionary keeps the keys of deleted paragraphs until a merge):
/// only the keys wanted have their paragraphs looked at.
fn live_keys(
    reader: &tantivy::SegmentReader,
    field: tantivy::schema::Field,
    wanted: impl Fn(&str) -> bool,
) -> tantivy::Result<Vec<String>> {
    use tantivy::{DocSet, TERMINATED};
    let index = reader.inverted_index(field)?;
    let alive = reader.alive_bitset();
    let mut terms = index.terms().stream()?;
    let mut keys = Vec::new();
    while terms.advance() {
        let key = String::from_utf8_lossy(terms.key());
        if !wanted(&key) {
            continue;
        }
        let held = match alive {
            None => true,
            Some(alive) => {
                let basic = tantivy::schema::IndexRecordOption::Basic;
                let mut postings = index.read_postings_from_terminfo(terms.value(), basic)?;
                let mut held = false;
                while postings.doc() != TERMINATED && !held {
                    held = alive.is_alive(postings.doc());
                    postings.advance();
                }
                held
            }
        };
        if held {
            keys.push(key.into_owned());
        }
    }
    Ok(keys)
}

/// The most paths ingested by name a rebuild command lists; more are counted.
const BY_NAME_LISTED: usize = 16;

/// [`rebuild_command`], with what was ingested by name (`by_name`) named too.
fn rebuild_command_with(roots: &[Root], by_name: &ByName) -> String {
    let cwd = std::env::current_dir().ok();
    let cwd = cwd.as_deref();
    let shown = |key: &str| {
        let path = key_path(key);
        let relative = cwd.and_then(|cwd| path.strip_prefix(cwd).ok()).map(|rest| {
            match rest.as_os_str().is_empty() {
                true => PathBuf::from("."),
                false => rest.to_path_buf(),
            }
        });
        crate::warning::shell_quoted(&relative.unwrap_or(path))
    };
    let flags = |root: &Root| {
        let mut flags: Vec<String> = Vec::new();
        flags.extend(root.hidden.then(|| "--hidden".to_string()));
        flags.extend(root.whole_html.then(|| "--whole-html".to_string()));
        flags.extend(
            (root.globs.iter())
                .map(|glob| format!("--glob={}", shell_word(&glob_from(glob, root, cwd)))),
        );
        flags.extend(
            root.types
                .iter()
                .map(|kind| format!("--type={}", shell_word(kind))),
        );
        flags
    };
    // The roots by their filters, in the order first met.
    let mut commands: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    let mut add = |flags: Vec<String>, path: String| match commands
        .iter_mut()
        .find(|(same, _)| *same == flags)
    {
        Some((_, dirs)) => dirs.push(path),
        None => commands.push((flags, vec![path])),
    };
    for root in roots {
        add(flags(root), shown(&root.path));
    }
    // Then what was named and is still there (a document read from standard input has no
    // file, and a path that is gone would fail the whole command): files with no filters,
    // and the collections in a command of their own, each after its `--jsonl` (listed first
    // when there are more than the command names).
    let there = |keys: &[String]| -> Vec<String> {
        (keys.iter())
            .filter(|key| key_path(key).is_file())
            .cloned()
            .collect()
    };
    let (collections, files) = (there(&by_name.collections), there(&by_name.files));
    let listed_collections = collections.len().min(BY_NAME_LISTED);
    let listed_files = files.len().min(BY_NAME_LISTED - listed_collections);
    for key in files.iter().take(listed_files) {
        add(Vec::new(), shown(key));
    }
    if listed_collections > 0 {
        let flags = (collections.iter().take(listed_collections))
            .flat_map(|key| ["--jsonl".to_string(), shown(key)])
            .collect();
        commands.push((flags, Vec::new()));
    }
    let unlisted = collections.len() + files.len() - listed_collections - listed_files;
    if commands.is_empty() {
        return "parafind ingest PATH...".into();
    }
    let command = |(flags, dirs): &(Vec<String>, Vec<String>)| {
        let words: Vec<&str> = ["parafind", "ingest"]
            .into_iter()
            .chain(flags.iter().map(String::as_str))
            .chain(dirs.iter().map(String::as_str))
            .collect();
        words.join(" ")
    };
    let commands = commands
        .iter()
        .map(command)
        .collect::<Vec<_>>()
        .join("` and `");
    match unlisted {
        0 => commands,
        n => format!(
            "{commands}  # and the {n} more path{} ingested by name that {} in the index \
             directory lists (keep a copy of it)",
            if n == 1 { "" } else { "s" },
            ByName::BY_NAME
        ),
    }
}

impl ParaIndex {
    /// The command that builds this index again, from the directories its commit remembers
    /// (see [`rebuild_command_at`]).
    pub fn rebuild_command(&self) -> String {
        rebuild_command_with(self.roots(), &ByName::load(&self.dir))
    }

    /// The roots of the index's last commit as it is now, which another process may have made
    /// since this one opened it (read with the writer held, so that a run adds to and takes
    /// from the newest roots; see `roots::rebased`).
    pub(crate) fn roots_now(&self) -> Result<Vec<Root>> {
        let (metas, _) = committed(&self.index).map_err(|e| damaged(&self.dir, e))?;
        let payload = metas
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str::<Payload>(p).ok());
        Ok(payload.map(|p| p.roots).unwrap_or_default())
    }
}

/// What `check_versions` needs of tantivy's `meta.json`: its segments' ids and deletion
/// stamps (to check their files are there) and the payload; the schema is skipped, which
/// costs a third of tantivy's own reading of it (done twice already on every open: by the
/// index and by its reader).
#[derive(Deserialize)]
struct Committed {
    #[serde(default)]
    segments: Vec<access::CommittedSegment>,
    #[serde(default)]
    payload: Option<String>,
}

/// The last commit's segments and payload, read from `meta.json`, and its bytes.
fn committed(index: &Index) -> tantivy::Result<(Committed, Vec<u8>)> {
    use tantivy::Directory;
    let bytes = index.directory().atomic_read(Path::new("meta.json"))?;
    Ok((serde_json::from_slice(&bytes)?, bytes))
}

/// The commit payload for this build, naming the segments known to be in path order.
fn payload_json(path_ordered: Vec<String>, roots: &[Root]) -> String {
    // Serialising integers and strings cannot fail.
    serde_json::to_string(&Payload::current(path_ordered, roots.to_vec())).unwrap_or_default()
}

/// Maps a tantivy failure on the index in `dir` to the error a user can act on: locked, not
/// accessible, not parafind's (deletion is never advised), or parafind's and damaged.
fn damaged(dir: &Path, err: TantivyError) -> Error {
    match err {
        TantivyError::LockFailure(LockError::LockBusy, _) => Error::IndexLocked {
            path: dir.to_path_buf(),
        },
        TantivyError::OpenDirectoryError(OpenDirectoryError::NotADirectory(_)) => {
            Error::IndexNotADirectory {
                path: dir.to_path_buf(),
            }
        }
        error => {
            if let Some(denied) = access::access_error(dir, &error) {
                return denied;
            }
            if no_space(&error) || device_full(dir) {
                return Error::NoSpace {
                    path: dir.to_path_buf(),
                };
            }
            if past_size_limit(&error) || (writer_died(&error) && size_limited()) {
                return Error::FileSizeLimit {
                    path: dir.to_path_buf(),
                };
            }
            if !access::is_index_dir(dir) {
                // Front-ends print every error on one line (`output::one_line`).
                return access::foreign(dir, error.to_string());
            }
            if let (TantivyError::DataCorruption(_), Some(file)) = (&error, unreadable_record(dir))
            {
                return Error::IndexRecordDamaged {
                    path: dir.to_path_buf(),
                    file: file.into(),
                    rebuild: rebuild_command_at(dir),
                };
            }
            Error::IndexDamaged {
                path: dir.to_path_buf(),
                error,
                rebuild: rebuild_command_at(dir),
            }
        }
    }
}

/// Which of the index's JSON records (its commit record, tantivy's list of its files), if
/// any, is not JSON: named rather than quoting the engine's parse error and the file's text.
fn unreadable_record(dir: &Path) -> Option<&'static str> {
    ["meta.json", ".managed.json"].into_iter().find(|name| {
        std::fs::read(dir.join(name))
            .is_ok_and(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).is_err())
    })
}

/// Whether tantivy failed for want of space on the device (however deep it wrapped the error).
fn no_space(error: &TantivyError) -> bool {
    let told = format!("{error:?}");
    told.contains("StorageFull") || told.contains("No space left on device")
}

/// Whether tantivy failed writing a file past the process's file-size limit (EFBIG).
fn past_size_limit(error: &TantivyError) -> bool {
    let told = format!("{error:?}");
    told.contains("FileTooLarge") || told.contains("File too large")
}

/// Whether tantivy's failure is that of a writer's thread, which reports only that it died
/// (of an I/O error it does not pass on: a full disk, a file-size limit).
fn writer_died(error: &TantivyError) -> bool {
    format!("{error:?}").contains("writer was killed")
}

/// Whether this process may write files only up to a size (`ulimit -f`).
fn size_limited() -> bool {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit(2) fills the struct it is given.
        let read = unsafe { libc::getrlimit(libc::RLIMIT_FSIZE, &mut limit) } == 0;
        read && limit.rlim_cur != libc::RLIM_INFINITY
    }
    #[cfg(not(unix))]
    false
}

/// Whether the device holding `dir` has (next to) no space left: a writer's thread that met
/// a full disk reports only that it was killed.
fn device_full(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
            return false;
        };
        // SAFETY: statvfs(3) fills the zeroed struct from a NUL-terminated path.
        let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statvfs(path.as_ptr(), &mut stats) } != 0 {
            return false;
        }
        #[allow(clippy::unnecessary_cast)] // the fields' widths differ between systems
        let free = stats.f_bavail as u64 * stats.f_frsize as u64;
        free < 1 << 20
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        false
    }
}

/// For tests: the files `files` (path under `root/docs`, text) written and ingested with the
/// default options into an index at `root/index`, which is returned open to change it.
#[cfg(test)]
pub(crate) fn ingested_for_test(root: &Path, files: &[(&str, &str)]) -> ParaIndex {
    let docs = root.join("docs");
    for (name, text) in files {
        let file = docs.join(name);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let index = open_or_create(&root.join("index")).unwrap();
    ingest(&index, &IngestOptions::new(vec![docs])).unwrap();
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_ingested_by_name_is_written_beside_each_commit_until_removed() {
        let dir = assert_fs::TempDir::new().unwrap();
        let dir = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(dir.join("docs")).unwrap();
        std::fs::write(dir.join("docs/a.txt"), "in a directory\n").unwrap();
        std::fs::write(dir.join("loose.txt"), "on its own\n").unwrap();
        let index = open_or_create(&dir.join("index")).unwrap();
        let named = vec![dir.join("docs"), dir.join("loose.txt")];
        // (One thread: one segment, which keeps the removed file's key in its dictionary.)
        let options = IngestOptions {
            threads: 1,
            ..IngestOptions::new(named)
        };
        ingest(&index, &options).unwrap();
        let by_name = ByName::load(&dir.join("index"));
        assert_eq!(by_name.files, [path_key(&dir.join("loose.txt"))]);
        let index = open_for_update(&dir.join("index")).unwrap();
        remove(&index, &[dir.join("loose.txt")]).unwrap();
        // (Its paragraphs are deleted, not yet merged away: still in the keys' dictionary.)
        assert_eq!(ByName::load(&dir.join("index")), ByName::default());
    }

    #[test]
    fn the_rebuild_command_names_each_directorys_filters() {
        let root = |path: &str, hidden: bool, globs: &[&str]| Root {
            path: path.into(),
            hidden,
            globs: globs.iter().map(|g| g.to_string()).collect(),
            types: Vec::new(),
            base: None,
            whole_html: false,
            removed: Vec::new(),
        };
        let roots = [
            root("/srv/docs", true, &["!drafts"]),
            root("/srv/notes", false, &["-foo*"]),
            root("/srv/more", true, &["!drafts"]),
        ];
        assert_eq!(
            rebuild_command(&roots),
            "parafind ingest --hidden --glob='!drafts' /srv/docs /srv/more` and `parafind \
             ingest --glob='-foo*' /srv/notes"
        );
        assert_eq!(rebuild_command(&[]), "parafind ingest PATH...");
        // Files and collections ingested by name that are still there: named (each collection
        // after its own `--jsonl`), past 16 counted; a document from standard input (no file)
        // is not.
        let dir = assert_fs::TempDir::new().unwrap();
        let dir = dir.path().canonicalize().unwrap();
        let key = |name: &str| {
            std::fs::write(dir.join(name), "x").unwrap();
            path_key(&dir.join(name))
        };
        let few = ByName {
            files: vec![key("a.txt"), path_key(&dir.join("stdin.txt"))],
            collections: vec![key("c1.jsonl"), key("c2.jsonl")],
        };
        let shown = |name: &str| dir.join(name).display().to_string();
        assert_eq!(
            rebuild_command_with(&[], &few),
            format!(
                "parafind ingest {}` and `parafind ingest --jsonl {} --jsonl {}",
                shown("a.txt"),
                shown("c1.jsonl"),
                shown("c2.jsonl")
            )
        );
        let many = ByName {
            files: (1..=17).map(|i| key(&format!("f{i:02}.txt"))).collect(),
            collections: vec![key("c1.jsonl")],
        };
        let command = rebuild_command_with(&[], &many);
        assert!(
            command.contains(&format!("--jsonl {}", shown("c1.jsonl"))),
            "{command}"
        );
        assert!(command.contains(&shown("f15.txt")), "{command}");
        assert!(!command.contains(&shown("f16.txt")), "{command}");
        assert!(
            command.ends_with(
                "  # and the 2 more paths ingested by name that .parafind-by-name.json in the \
                 index directory lists (keep a copy of it)"
            ),
            "{command}"
        );
        // A glob naming a directory is relative to where ingest ran: from elsewhere, it is
        // given as that place's (ingest takes an absolute glob under its current directory).
        let from_home = Root {
            base: Some("/home/me".into()),
            ..root(
                "/home/me/notes",
                false,
                &["docs/*.md", "!/old", "*.txt", "!../x/*"],
            )
        };
        let cwd = std::env::current_dir().unwrap();
        assert_ne!(cwd, Path::new("/home/me"));
        assert_eq!(
            glob_from("docs/*.md", &from_home, Some(&cwd)),
            "/home/me/docs/*.md"
        );
        assert_eq!(glob_from("!/old", &from_home, Some(&cwd)), "!/home/me/old");
        assert_eq!(glob_from("*.txt", &from_home, Some(&cwd)), "*.txt");
        assert_eq!(glob_from("!../x/*", &from_home, Some(&cwd)), "!/home/x/*");
        assert_eq!(
            glob_from("/home/me/docs/*.md", &from_home, Some(&cwd)),
            "/home/me/docs/*.md"
        );
        assert_eq!(glob_from("!old/", &from_home, Some(&cwd)), "!old/");
        assert_eq!(
            glob_from("!a/old/", &from_home, Some(&cwd)),
            "!/home/me/a/old/"
        );
        let home = Path::new("/home/me");
        assert_eq!(glob_from("docs/*.md", &from_home, Some(home)), "docs/*.md");
        let command = rebuild_command(&[from_home]);
        assert!(
            command.starts_with("parafind ingest --glob='/home/me/docs/*.md' "),
            "{command}"
        );
    }

    #[test]
    fn a_full_device_is_told_however_deep_tantivy_wraps_it() {
        let full = std::io::Error::new(std::io::ErrorKind::StorageFull, "disk");
        let wrapped = TantivyError::from(tantivy::directory::error::OpenWriteError::IoError {
            io_error: std::sync::Arc::new(full),
            filepath: "a.idx".into(),
        });
        assert!(no_space(&wrapped));
        let said = TantivyError::InternalError("No space left on device (os error 28)".into());
        assert!(no_space(&said));
        assert!(!no_space(&TantivyError::InternalError("broken".into())));
        // The build's own device had room for this test.
        assert!(!device_full(Path::new(env!("CARGO_MANIFEST_DIR"))));
        assert!(
            !device_full(Path::new("/nonexistent/dir")),
            "unknown is not full"
        );
    }

    #[test]
    fn only_an_index_opened_to_change_it_reads_through_pages_it_can_give_back() {
        let temp = assert_fs::TempDir::new().unwrap();
        ingested_for_test(temp.path(), &[("notes.txt", "alpha beta\n\ngamma\n")]);
        let dir = temp.path().join("index");
        for (index, gives_back) in [
            (open(&dir).unwrap(), false),
            (open_for_update(&dir).unwrap(), true),
        ] {
            let searcher = index.searcher().unwrap();
            assert_eq!(searcher.num_docs(), 2);
            assert_eq!(index.pages.release() > 0, gives_back);
        }
    }

    #[test]
    fn segments_named_by_the_older_path_only_check_are_not_trusted() {
        let old = r#"{"analyzer_version":1,"schema_version":1,"path_ordered":["a1"]}"#;
        let payload: Payload = serde_json::from_str(old).unwrap();
        assert!(payload.path_ordered.is_empty());
        assert_eq!(payload.older_order_record, ["a1"]);
        let current = payload_json(vec!["b2".into()], &[]);
        let payload: Payload = serde_json::from_str(&current).unwrap();
        assert_eq!(payload.path_ordered, ["b2"]);
        assert!(
            current.contains(r#""path_and_paragraph_ordered":["b2"]"#),
            "{current}"
        );
    }
}
