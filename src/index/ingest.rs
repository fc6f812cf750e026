//! Ingesting: files (and JSON Lines collections, and standard input) become one tantivy document
//! per passage, replacing whatever the index held for them, in one commit.
//!
//! Ingest is incremental: a file whose size and modification time are unchanged is not read; a
//! file whose content hash is unchanged is not re-indexed; files that disappeared from under an
//! ingested directory are removed. Files are read, parsed and analysed on all cores, and the
//! writer's memory is bounded. Files reach the writer in key order, so each new segment is in
//! path order; a second commit records which segments are ([`super::order`]). Nothing is visible
//! until the commit, and nothing is committed when nothing changed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tantivy::indexer::UserOperation;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Term};
use tantivy::IndexWriter;

use super::document::PassageDoc;
use super::order::{commit_recording_order, in_key_order, Turns};
use super::queue::{Gate, DEFAULT_LIMIT};
use super::schema::{Fields, Numbers};
use super::{damaged, files, path_key, ParaIndex};
use crate::corpus::{
    self, content_hash, format_of, jsonl, Decoded, FoundFile, OffsetMap, Parsed, WalkOptions,
    Warning,
};
use crate::error::{Error, Result};

/// A file's passages go to the writer in batches of at most this much text (one batch for all
/// but huge files), so the writer's memory budget holds within about this much.
const MAX_BATCH_BYTES: usize = 4 << 20;

/// The smallest writer memory budget tantivy accepts per indexing thread.
const MIN_MEMORY_PER_THREAD: usize = 15_000_000;

/// How to run an ingest.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Files or directories to ingest.
    pub roots: Vec<PathBuf>,
    /// How directories are walked (the index directory is always left out).
    pub walk: WalkOptions,
    /// JSON Lines collections to ingest, one document per record.
    pub jsonl: Vec<PathBuf>,
    /// A document read from standard input: its name and bytes.
    pub stdin: Option<(String, Vec<u8>)>,
    /// Memory budget of the index writer, in bytes, across all its threads.
    pub writer_memory: usize,
    /// Threads reading and parsing files, and indexing (at least 1).
    pub threads: usize,
}

impl IngestOptions {
    /// Options with the default budget (320 MB) and one thread per core.
    pub fn new(roots: Vec<PathBuf>) -> IngestOptions {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        IngestOptions {
            roots,
            walk: WalkOptions::default(),
            jsonl: Vec::new(),
            stdin: None,
            writer_memory: 320 << 20,
            threads: cores.clamp(1, 8),
        }
    }
}

/// Where an ingest is, for progress bars.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    /// Files (or collections) handled so far.
    pub files_done: u64,
    /// Files to handle in all.
    pub files_total: u64,
    /// Bytes of those files handled so far.
    pub bytes_done: u64,
    /// Bytes to handle in all.
    pub bytes_total: u64,
}

/// What an ingest did.
#[derive(Debug, Default)]
pub struct IngestReport {
    /// Documents that were not in the index before.
    pub added: u64,
    /// Documents whose content changed and was re-indexed.
    pub updated: u64,
    /// Documents removed because their file disappeared from an ingested directory.
    pub removed: u64,
    /// Files left as they were (same size and time, or same content).
    pub unchanged: u64,
    /// Files with nothing to index (empty, or binary).
    pub skipped: u64,
    /// Passages written.
    pub paragraphs: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Wall-clock seconds, from walking to commit.
    pub seconds: f64,
    /// True when a commit was made (false when nothing changed).
    pub committed: bool,
    /// Things worth knowing that did not stop the run (binary files, invalid UTF-8, bad records).
    pub warnings: Vec<Warning>,
    /// Files that could not be read; everything else was committed.
    pub failures: Vec<Warning>,
}

/// What the index knew about a source file before this ingest.
#[derive(Debug, Clone, Copy)]
struct Known {
    size: u64,
    mtime_ns: u64,
    hash: u64,
    /// A JSON Lines collection (its documents are records, not the file itself).
    collection: bool,
}

/// A document being added: its key, the source it came from (the file, or the collection
/// holding the record), and the number of the item it belongs to.
#[derive(Clone, Copy)]
struct Document<'a> {
    key: &'a str,
    source: &'a str,
    turn: usize,
}

/// One thing to ingest.
enum Item {
    File(FoundFile),
    Collection(PathBuf),
    Stdin(String, Vec<u8>),
}

/// The outcome of ingesting one item.
enum Outcome {
    Added { paragraphs: u64, documents: u64 },
    Updated { paragraphs: u64, documents: u64 },
    Unchanged,
    Skipped,
}

/// Shared state of the workers.
struct Run<'a> {
    index: &'a ParaIndex,
    writer: &'a IndexWriter<PassageDoc>,
    known: HashMap<String, Known>,
    warnings: Mutex<Vec<Warning>>,
    failures: Mutex<Vec<Warning>>,
    seen: Mutex<HashSet<String>>,
    bytes_read: AtomicU64,
    /// Bounds the text waiting for the writer.
    gate: Gate,
    /// Hands items to the writer in the order they are listed.
    turns: Turns,
}

/// Ingests `options` into `index` and commits if anything changed.
///
/// Every root is checked before the index is touched; a missing one fails the whole run with
/// nothing written.
pub fn ingest(index: &ParaIndex, options: &IngestOptions) -> Result<IngestReport> {
    ingest_with_progress(index, options, &|_| {})
}

/// Like [`ingest`], calling `progress` as files are handled (from several threads).
pub fn ingest_with_progress(
    index: &ParaIndex,
    options: &IngestOptions,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Result<IngestReport> {
    let started = Instant::now();
    corpus::check_roots(&options.jsonl)?;
    let mut walk_options = options.walk.clone();
    walk_options.exclude.push(index.dir.clone());
    let walk = corpus::walk(&options.roots, &walk_options)?;
    let threads = options.threads.max(1);
    let memory = options.writer_memory.max(MIN_MEMORY_PER_THREAD * threads);
    let writer: IndexWriter<PassageDoc> = index
        .index
        .writer_with_num_threads(threads, memory)
        .map_err(|e| damaged(&index.dir, e))?;
    remove_orphans(index, &writer)?;
    let known = known_sources(index)?;
    let mut items: Vec<Item> = in_key_order(walk.files)
        .into_iter()
        .map(Item::File)
        .collect();
    items.extend(options.jsonl.iter().cloned().map(Item::Collection));
    if let Some((name, bytes)) = &options.stdin {
        items.push(Item::Stdin(name.clone(), bytes.clone()));
    }
    let run = Run {
        index,
        writer: &writer,
        known,
        warnings: Mutex::new(walk.warnings),
        failures: Mutex::new(Vec::new()),
        seen: Mutex::new(HashSet::new()),
        bytes_read: AtomicU64::new(0),
        gate: Gate::new(DEFAULT_LIMIT),
        turns: Turns::new(),
    };
    let mut report = run.all(&items, threads, progress)?;
    report.removed = run.remove_vanished(&options.roots)?;
    report.bytes = run.bytes_read.load(Ordering::Relaxed);
    report.warnings = run.warnings.into_inner().unwrap_or_default();
    report.failures = run.failures.into_inner().unwrap_or_default();
    let changed = report.added + report.updated + report.removed > 0;
    if changed || index.payload.is_none() {
        report
            .warnings
            .extend(commit_recording_order(index, writer)?);
        report.committed = true;
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Deletes the files an interrupted ingest left behind: segments and deletion files that no
/// commit refers to. An ingest killed inside its commit leaves such files, and a deletion
/// file's name depends only on the commit's operation count, so the next ingest of the same
/// changes would otherwise find its name taken and fail. tantivy records every file before it
/// creates it, so each one left behind is known; the writer's lock means no other ingest is
/// writing, and tantivy's meta lock keeps the files of a search that is opening the index.
fn remove_orphans(index: &ParaIndex, writer: &IndexWriter<PassageDoc>) -> Result<()> {
    let collected = writer
        .garbage_collect_files()
        .wait()
        .map_err(|e| damaged(&index.dir, e))?;
    match collected.failed_to_delete_files.first() {
        None => Ok(()),
        Some(file) => Err(Error::CleanIndex {
            path: index.dir.join(file),
        }),
    }
}

/// What the index holds per source file.
fn known_sources(index: &ParaIndex) -> Result<HashMap<String, Known>> {
    Ok(files(index)?
        .into_iter()
        .map(|f| {
            let known = Known {
                size: f.size,
                mtime_ns: f.mtime_ns,
                hash: f.hash,
                collection: f.source != f.key,
            };
            (f.source, known)
        })
        .collect())
}

impl Run<'_> {
    /// Handles every item on `threads` workers.
    fn all(
        &self,
        items: &[Item],
        threads: usize,
        progress: &(dyn Fn(&Progress) + Sync),
    ) -> Result<IngestReport> {
        let next = AtomicUsize::new(0);
        let total = Progress {
            files_total: items.len() as u64,
            bytes_total: items.iter().map(item_size).sum(),
            ..Progress::default()
        };
        let (files_done, bytes_done) = (AtomicU64::new(0), AtomicU64::new(0));
        let report = Mutex::new(IngestReport::default());
        let failure: Mutex<Option<Error>> = Mutex::new(None);
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    // Finished when dropped, even on an error, so no other worker waits on it.
                    let turn = self.turns.finishing(i);
                    let outcome = self.one(item, turn.item());
                    drop(turn);
                    match outcome {
                        Ok(outcome) => tally(&report, outcome),
                        Err(err) => {
                            if let Ok(mut slot) = failure.lock() {
                                slot.get_or_insert(err);
                            }
                            next.store(items.len(), Ordering::Relaxed);
                            break;
                        }
                    }
                    progress(&Progress {
                        files_done: files_done.fetch_add(1, Ordering::Relaxed) + 1,
                        bytes_done: bytes_done.fetch_add(item_size(item), Ordering::Relaxed)
                            + item_size(item),
                        ..total
                    });
                });
            }
        });
        if let Some(err) = failure.into_inner().ok().flatten() {
            return Err(err);
        }
        Ok(report.into_inner().unwrap_or_default())
    }

    /// Handles item number `turn`; errors other than reading a file stop the run.
    fn one(&self, item: &Item, turn: usize) -> Result<Outcome> {
        let result = match item {
            Item::File(file) => self.file(file, turn),
            Item::Collection(path) => self.collection(path, turn),
            Item::Stdin(name, bytes) => self.stdin(name, bytes, turn),
        };
        match result {
            Err(Error::Read { path, source }) => {
                self.fail(Warning {
                    path,
                    message: source.to_string(),
                });
                Ok(Outcome::Skipped)
            }
            other => other,
        }
    }

    fn warn(&self, warning: Warning) {
        if let Ok(mut warnings) = self.warnings.lock() {
            warnings.push(warning);
        }
    }

    fn fail(&self, warning: Warning) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.push(warning);
        }
    }

    fn see(&self, key: &str) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(key.to_string());
        }
    }

    /// Reads a file unless its size and time say it is unchanged; returns its bytes and hash,
    /// or `None` when it is unchanged.
    fn read_if_changed(&self, key: &str, file: &FoundFile) -> Result<Option<(Vec<u8>, u64)>> {
        let known = self.known.get(key);
        if known.is_some_and(|k| k.size == file.size && k.mtime_ns == file.mtime_ns) {
            return Ok(None);
        }
        let bytes = std::fs::read(&file.path).map_err(|source| Error::Read {
            path: file.path.clone(),
            source,
        })?;
        self.bytes_read
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let hash = content_hash(&bytes);
        if known.is_some_and(|k| k.hash == hash) {
            return Ok(None);
        }
        Ok(Some((bytes, hash)))
    }

    fn file(&self, file: &FoundFile, turn: usize) -> Result<Outcome> {
        let key = match &file.canonical {
            Some(canonical) => path_key(canonical),
            None => file_key(&file.path)?,
        };
        self.see(&key);
        let Some((bytes, hash)) = self.read_if_changed(&key, file)? else {
            return Ok(Outcome::Unchanged);
        };
        // A file the index does not hold has nothing to replace (and each file comes once).
        let existed = self.known.contains_key(&key);
        if existed {
            self.delete(&key)?;
        }
        let (text, encoding) = match corpus::decode(bytes) {
            Decoded::Binary => {
                self.warn(Warning {
                    path: file.path.clone(),
                    message: "binary file (contains NUL bytes), skipped".into(),
                });
                return Ok(Outcome::Skipped);
            }
            Decoded::Text {
                text,
                encoding,
                lossy,
            } => {
                if lossy {
                    self.warn(Warning {
                        path: file.path.clone(),
                        message: "not valid UTF-8; invalid bytes were replaced by U+FFFD, so \
                                  byte offsets after them are approximate"
                            .into(),
                    });
                }
                (text, encoding)
            }
        };
        let parsed = corpus::parse(format_of(&file.path), &text);
        let stamp = Stamp {
            size: file.size,
            mtime_ns: file.mtime_ns,
            hash,
        };
        let document = Document {
            key: &key,
            source: &key,
            turn,
        };
        let paragraphs = self.add(document, parsed, OffsetMap::new(&text, encoding), stamp)?;
        Ok(match (paragraphs, existed) {
            (0, false) => Outcome::Skipped,
            (_, false) => Outcome::Added {
                paragraphs,
                documents: 1,
            },
            (_, true) => Outcome::Updated {
                paragraphs,
                documents: 1,
            },
        })
    }

    fn collection(&self, path: &Path, turn: usize) -> Result<Outcome> {
        let key = file_key(path)?;
        self.see(&key);
        let metadata = std::fs::metadata(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let (size, mtime_ns) = corpus::stamp(&metadata);
        let found = FoundFile {
            path: path.to_path_buf(),
            size,
            mtime_ns,
            canonical: None,
        };
        let Some((bytes, hash)) = self.read_if_changed(&key, &found)? else {
            return Ok(Outcome::Unchanged);
        };
        let existed = self.known.contains_key(&key);
        self.delete(&key)?;
        let text = String::from_utf8_lossy(&bytes);
        let (documents, errors) = jsonl::documents(&text);
        for message in errors {
            self.warn(Warning {
                path: path.to_path_buf(),
                message,
            });
        }
        let stamp = Stamp {
            size,
            mtime_ns,
            hash,
        };
        let mut paragraphs = 0;
        let count = documents.len() as u64;
        for document in documents {
            let record_key = format!("{key}#{}", document.id);
            let offsets = OffsetMap::new("", corpus::Encoding::Utf8 { bom: false });
            let record = Document {
                key: &record_key,
                source: &key,
                turn,
            };
            paragraphs += self.add(record, document.parsed, offsets, stamp)?;
        }
        Ok(if existed {
            Outcome::Updated {
                paragraphs,
                documents: count,
            }
        } else {
            Outcome::Added {
                paragraphs,
                documents: count,
            }
        })
    }

    fn stdin(&self, name: &str, bytes: &[u8], turn: usize) -> Result<Outcome> {
        let key = path_key(Path::new(name));
        self.see(&key);
        let existed = self.known.contains_key(&key);
        self.delete(&key)?;
        self.bytes_read
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let (text, encoding) = match corpus::decode(bytes.to_vec()) {
            Decoded::Text { text, encoding, .. } => (text, encoding),
            Decoded::Binary => {
                self.warn(Warning {
                    path: PathBuf::from(name),
                    message: "binary input (contains NUL bytes), skipped".into(),
                });
                return Ok(Outcome::Skipped);
            }
        };
        let parsed = corpus::parse(format_of(Path::new(name)), &text);
        let stamp = Stamp {
            size: bytes.len() as u64,
            mtime_ns: 0,
            hash: content_hash(bytes),
        };
        let document = Document {
            key: &key,
            source: &key,
            turn,
        };
        let paragraphs = self.add(document, parsed, OffsetMap::new(&text, encoding), stamp)?;
        Ok(if existed {
            Outcome::Updated {
                paragraphs,
                documents: 1,
            }
        } else {
            Outcome::Added {
                paragraphs,
                documents: 1,
            }
        })
    }

    /// Removes what the index holds for the file with key `source`: its passages (which carry
    /// its key as their path), or its records (which carry it as their source).
    fn delete(&self, source: &str) -> Result<()> {
        let fields = self.index.fields;
        self.writer
            .delete_term(Term::from_field_text(fields.source, source));
        self.writer
            .delete_query(own_passages(fields, source))
            .map_err(|e| damaged(&self.index.dir, e))?;
        Ok(())
    }

    /// Adds a parsed document's passages in one batch, so that they land in one segment in
    /// paragraph order (search orders equal scores by document number within a path), or in
    /// batches of at most MAX_BATCH_BYTES of text for a huge file (the writer checks its
    /// memory budget between batches; search then reads the paragraph numbers of a path found
    /// in two segments); returns how many.
    fn add(
        &self,
        document: Document<'_>,
        parsed: Parsed,
        mut offsets: OffsetMap<'_>,
        stamp: Stamp,
    ) -> Result<u64> {
        let fields = self.index.fields;
        let count = parsed.passages.len() as u64;
        let (key, source): (Arc<str>, Arc<str>) = (document.key.into(), document.source.into());
        let title: Option<Arc<str>> = parsed.title.as_deref().map(Arc::from);
        let mut batch = Vec::with_capacity(parsed.passages.len());
        let mut bytes = 0;
        for (i, passage) in parsed.passages.into_iter().enumerate() {
            if !batch.is_empty() && bytes + passage.text.len() > MAX_BATCH_BYTES {
                self.send(std::mem::take(&mut batch), bytes, document.turn)?;
                bytes = 0;
            }
            bytes += passage.text.len();
            let (byte_offset, char_offset) = offsets.file_offsets(passage.start);
            let first_title = title.as_deref().filter(|_| i == 0);
            let (indexed, index_prefix) =
                indexed_text(passage.index_text, &passage.text, first_title).unzip();
            let numbers = Numbers {
                line: passage.line,
                byte_offset,
                char_offset,
                file_size: stamp.size,
                file_mtime: stamp.mtime_ns,
                index_prefix: index_prefix.unwrap_or(0) as u64,
                first: (passage.number == 1).then_some((stamp.hash, count)),
            };
            batch.push(PassageDoc {
                fields,
                key: key.clone(),
                source: source.clone(),
                paragraph: passage.number,
                numbers: numbers.pack(),
                text: passage.text,
                indexed,
                section: passage.section,
                title: title.clone(),
                ticket: None,
            });
        }
        self.send(batch, bytes, document.turn)?;
        Ok(count)
    }

    /// Hands one batch (`bytes` of text) of item number `turn` to the writer, once the items
    /// before it are in, through the gate.
    fn send(&self, mut batch: Vec<PassageDoc>, bytes: usize, turn: usize) -> Result<()> {
        let Some(last) = batch.last_mut() else {
            return Ok(());
        };
        self.turns.wait_for(turn);
        last.ticket = Some(self.gate.enter(bytes as u64));
        self.writer
            .run(batch.into_iter().map(UserOperation::Add))
            .map_err(|e| damaged(&self.index.dir, e))?;
        Ok(())
    }

    /// Removes what the index holds for files that were under an ingested directory but were
    /// not found there now.
    fn remove_vanished(&self, roots: &[PathBuf]) -> Result<u64> {
        let directories: Vec<PathBuf> = roots
            .iter()
            .filter(|r| r.is_dir())
            .filter_map(|r| std::fs::canonicalize(r).ok())
            .collect();
        let seen = self.seen.lock().map(|s| s.clone()).unwrap_or_default();
        let mut removed = 0;
        for (source, known) in &self.known {
            if known.collection || seen.contains(source) {
                continue;
            }
            let path = Path::new(super::key_text(source));
            if directories.iter().any(|d| corpus::is_under(path, d)) {
                self.delete(source)?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// The passages whose path is `key` and that are not a collection's records. A record's key
/// is its file's key, `#` and its id, so a file path with a `#` could equal one; the records
/// such a path could name are those of a source cut at one of its `#`s, and they are left out.
fn own_passages(fields: Fields, key: &str) -> Box<dyn Query> {
    let term = |field, text: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::Basic,
        ))
    };
    let path = term(fields.path, key);
    if !key.contains('#') {
        return path;
    }
    let mut clauses = vec![(Occur::Must, path)];
    for (at, _) in key.match_indices('#') {
        clauses.push((Occur::MustNot, term(fields.source, &key[..at])));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// What ingest records about a source file.
#[derive(Debug, Clone, Copy)]
struct Stamp {
    size: u64,
    mtime_ns: u64,
    hash: u64,
}

/// The text to index when it differs from the passage: markup blanked, and the title (for the
/// first passage) in front, with its length.
fn indexed_text(
    index_text: Option<String>,
    text: &str,
    title: Option<&str>,
) -> Option<(String, usize)> {
    match (title, index_text) {
        (None, None) => None,
        (None, Some(body)) => Some((body, 0)),
        (Some(title), body) => {
            let prefix = format!("{title}\n\n");
            let text = format!("{prefix}{}", body.as_deref().unwrap_or(text));
            Some((text, prefix.len()))
        }
    }
}

fn item_size(item: &Item) -> u64 {
    match item {
        Item::File(file) => file.size,
        Item::Collection(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
        Item::Stdin(_, bytes) => bytes.len() as u64,
    }
}

fn tally(report: &Mutex<IngestReport>, outcome: Outcome) {
    let Ok(mut report) = report.lock() else {
        return;
    };
    match outcome {
        Outcome::Added {
            paragraphs,
            documents,
        } => {
            report.added += documents;
            report.paragraphs += paragraphs;
        }
        Outcome::Updated {
            paragraphs,
            documents,
        } => {
            report.updated += documents;
            report.paragraphs += paragraphs;
        }
        Outcome::Unchanged => report.unchanged += 1,
        Outcome::Skipped => report.skipped += 1,
    }
}

/// The identity of a file in the index: the key of its canonical absolute path.
pub fn file_key(path: &Path) -> Result<String> {
    let canonical = std::fs::canonicalize(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(path_key(&canonical))
}

/// A file's size and modification time (nanoseconds since the epoch), as recorded at ingest.
pub fn file_stamp(path: &Path) -> Option<(u64, u64)> {
    std::fs::metadata(path).ok().map(|m| corpus::stamp(&m))
}
