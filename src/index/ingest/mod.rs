//! Ingesting: files (and JSON Lines collections, and standard input) become one tantivy document
//! per paragraph, replacing whatever the index held for them, in one commit. This module runs an
//! ingest: it lists the items, has workers handle them (`item`: reading, parsing and handing
//! one item's paragraphs to the writer), removes what vanished, and commits.
//!
//! Ingest is incremental: a file whose size and modification time are unchanged is not read; a
//! file whose content hash is unchanged is not re-indexed; files that disappeared from under an
//! ingested directory are removed. Files are read, parsed and analysed on all cores, and the
//! writer's memory is bounded. Files reach the writer in key order, so each new segment is in
//! path order; a second commit records which segments are ([`super::order`]). Nothing is
//! visible until the commit, and nothing is committed when nothing changed.

mod collection;
mod item;
mod plan;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tantivy::index::SegmentId;
use tantivy::indexer::{LogMergePolicy, MergePolicy, NoMergePolicy};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Term};
use tantivy::IndexWriter;

use super::document::ParagraphDoc;
use super::order::{commit_recording_order, file_range, in_key_order, record_order, Turns};
use super::queue::{Gate, DEFAULT_LIMIT};
use super::schema::Fields;
use super::stamps::{self, Stamps};
use super::{damaged, files, pages, path_key, roots, ParaIndex};
use crate::corpus::{self, FoundFile, WalkOptions};
use crate::error::{Error, Result};
use crate::warning::{Failure, FileProblem, FileWarning};
use plan::{Plan, Vanished};

/// The smallest writer memory budget tantivy accepts per indexing thread.
pub(super) const MIN_MEMORY_PER_THREAD: usize = 15_000_000;

/// The largest writer memory budget tantivy accepts per indexing thread: it refuses
/// `u32::MAX - 1_000_000` bytes (its `MEMORY_BUDGET_NUM_BYTES_MAX`) or more.
const MAX_MEMORY_PER_THREAD: usize = u32::MAX as usize - 1_000_000 - 1;

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
    /// Memory budget of the index writer, in bytes, across all its threads (at least 15 MB);
    /// what waits for the writer adds a few MB and a batch per thread, and each file being
    /// read its own size.
    pub writer_memory: usize,
    /// Threads reading and parsing files, and indexing (at least 1, at most one per 15 MB of
    /// `writer_memory`).
    pub threads: usize,
    /// How documents are read (HTML: main content or the whole page). A file read with other
    /// options than it was last ingested with is read again.
    pub parse: corpus::ParseOptions,
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
            parse: corpus::ParseOptions::default(),
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
    /// What the ingest is doing.
    pub stage: Stage,
}

/// The stages of an ingest, for progress bars.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Stage {
    /// Reading and indexing files.
    #[default]
    Reading,
    /// Writing the last segments and committing.
    Committing,
    /// Merging segments after the commit (this many merges started; merges that end may
    /// start more).
    Merging(usize),
}

/// What an ingest did.
#[derive(Debug, Default)]
pub struct IngestReport {
    /// Documents that were not in the index before.
    pub added: u64,
    /// Documents whose content changed and was re-indexed.
    pub updated: u64,
    /// Documents removed because their file disappeared from an ingested directory, or holds
    /// nothing to index any more (it turned binary).
    pub removed: u64,
    /// Of the added and updated documents, the records of JSON Lines collections (the rest
    /// are files).
    pub records: u64,
    /// Files left as they were (same size and time, or same content).
    pub unchanged: u64,
    /// Of the unchanged files, those whose size or time moved (touched, copied, checked
    /// out): indexed again so that their stored stamps are the files' own.
    pub restamped: u64,
    /// Files with nothing to index (empty, or binary).
    pub skipped: u64,
    /// Paragraphs written.
    pub paragraphs: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Wall-clock seconds, from walking to commit.
    pub seconds: f64,
    /// True when a commit was made (false when nothing changed).
    pub committed: bool,
    /// Things worth knowing that did not stop the run (binary files, invalid UTF-8, bad records).
    pub warnings: Vec<FileWarning>,
    /// Files that could not be read; everything else was committed.
    pub failures: Vec<Failure>,
}

/// What the index knew about a source file before this ingest.
#[derive(Debug, Clone, Copy)]
pub(super) struct Known {
    size: u64,
    mtime_ns: u64,
    hash: u64,
    /// A JSON Lines collection (its documents are records, not the file itself).
    collection: bool,
    /// An HTML file read whole.
    whole_html: bool,
    /// Its stamp was racy when it was read (see `corpus::is_racy`): its content is compared
    /// even when its size and time are the same.
    racy: bool,
    /// Documents the index holds from it: 1 for a file, its records for a collection.
    documents: u64,
}

impl Known {
    /// Whether the index holds this very text, read the same way: the same content `hash`,
    /// HTML read `whole` or not alike, and as a text document, not a collection's records.
    fn holds_text(&self, hash: u64, whole: bool) -> bool {
        self.hash == hash && self.whole_html == whole && !self.collection
    }
}

/// One thing to ingest.
enum Item {
    File(FoundFile),
    /// A collection, and whether it is compared by content whatever its stamp.
    Collection(PathBuf, bool),
    Stdin(String, Vec<u8>),
}

/// The outcome of ingesting one item.
enum ItemOutcome {
    Added {
        paragraphs: u64,
        documents: u64,
    },
    /// A collection the index did not hold: its records added.
    AddedRecords {
        paragraphs: u64,
        records: u64,
    },
    Updated {
        paragraphs: u64,
        documents: u64,
    },
    Unchanged,
    /// Same content, new size or time: indexed again for its stamp.
    Restamped,
    Skipped,
    /// A file the index held that has nothing to index now (it turned binary; a collection
    /// with no record left), and the documents it held.
    Removed {
        documents: u64,
    },
    /// A collection read again: its records counted against those it held before.
    Reread {
        added: u64,
        updated: u64,
        removed: u64,
        paragraphs: u64,
    },
    /// Handled already in this run (a collection a refresh checks, also met by its walk).
    Repeated,
    /// Found by the walk and gone when read: counted by the removal pass when the index held
    /// it, else not at all (it is neither skipped nor unreadable).
    Vanished,
}

/// Shared state of the workers.
struct Run<'a> {
    index: &'a ParaIndex,
    writer: &'a IndexWriter<ParagraphDoc>,
    known: HashMap<String, Known>,
    warnings: Mutex<Vec<FileWarning>>,
    failures: Mutex<Vec<Failure>>,
    seen: Mutex<HashSet<String>>,
    /// Binary files found by earlier ingests, with their stamps.
    skipped: Stamps,
    /// Binary files found by this one.
    binary: Mutex<Stamps>,
    /// Files with a racy stamp that earlier ingests compared by content once it could be
    /// trusted: unchanged while their stamp is (see [`Run::unchanged_by_stamp`]).
    verified: Stamps,
    /// Such files found by this one.
    verified_now: Mutex<Stamps>,
    bytes_read: AtomicU64,
    /// Something the index held was deleted: the run commits, whatever its counts say (a
    /// collection cut short by a read error has lost its records all the same).
    deleted_held: AtomicBool,
    /// Bounds the text waiting for the writer.
    gate: Gate,
    /// Hands items to the writer in the order they are listed.
    turns: Turns,
    /// How documents are read.
    parse: corpus::ParseOptions,
    /// A refresh (or `watch`): a file the index holds is read as it was last read (see
    /// [`Run::reads_whole`]), not as `parse` says.
    as_last_read: bool,
    /// In a refresh, each remembered directory and whether its HTML is read whole.
    root_reading: Vec<(PathBuf, bool)>,
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
    let writer = locked_writer(index, options)?;
    let plan = Plan::ingest(index, options)?;
    run_plan(index, (writer, plan), options, progress, started)
}

/// Brings `index` in step with the files: walks every directory it remembers again with the
/// filters it was ingested with (adding new files), re-checks every file and collection it
/// holds (re-indexing changed ones), and removes those that no longer exist. `options` gives
/// only the threads and memory.
pub fn refresh_with_progress(
    index: &ParaIndex,
    options: &IngestOptions,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Result<IngestReport> {
    let started = Instant::now();
    let writer = locked_writer(index, options)?;
    let plan = Plan::refresh(index)?;
    run_plan(index, (writer, plan), options, progress, started)
}

/// Like [`refresh_with_progress`], for what changed at `paths` only (see `watch`): their
/// directories are walked again with their roots' filters, and what is gone from them removed.
pub fn refresh_paths(
    index: &ParaIndex,
    paths: &[PathBuf],
    options: &IngestOptions,
) -> Result<IngestReport> {
    let started = Instant::now();
    let writer = locked_writer(index, options)?;
    let plan = Plan::refresh_paths(index, paths)?;
    run_plan(index, (writer, plan), options, &|_| {}, started)
}

/// The index's writer, with the threads and memory of `options`: taken before a run walks or
/// reads anything, so that of two runs the one started first writes and the other fails at
/// once (the writer is the index's lock). Segments are merged only after the commit (see
/// `commit`).
fn locked_writer(index: &ParaIndex, options: &IngestOptions) -> Result<IndexWriter<ParagraphDoc>> {
    let (threads, memory) = threads_and_memory(options);
    let writer: IndexWriter<ParagraphDoc> = index
        .index
        .writer_with_num_threads(threads, memory)
        .map_err(|e| damaged(&index.dir, e))?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    Ok(writer)
}

/// How often an ingest gives back the pages of index files it has read and the heap's free
/// pages (see `index::pages`): merges read whole segments, whose pages would otherwise stay in
/// its memory, and each segment written or merged frees hundreds of MB.
const GIVE_BACK_MEMORY_EVERY: Duration = Duration::from_millis(100);

/// Runs `plan` with the threads and memory of `options`, and commits if anything changed,
/// giving back memory as it goes.
fn run_plan(
    index: &ParaIndex,
    (writer, plan): (IndexWriter<ParagraphDoc>, Plan),
    options: &IngestOptions,
    progress: &(dyn Fn(&Progress) + Sync),
    started: Instant,
) -> Result<IngestReport> {
    pages::given_back_while(&index.pages, GIVE_BACK_MEMORY_EVERY, || {
        write_plan(index, (writer, plan), options, progress, started)
    })
}

/// Runs `plan` (see [`run_plan`]).
fn write_plan(
    index: &ParaIndex,
    (writer, mut plan): (IndexWriter<ParagraphDoc>, Plan),
    options: &IngestOptions,
    progress: &(dyn Fn(&Progress) + Sync),
    started: Instant,
) -> Result<IngestReport> {
    let (threads, _) = threads_and_memory(options);
    remove_orphans(index, &writer)?;
    // Read with the writer held, so no other ingest can commit in between: the roots another
    // run committed since this one opened the index (or planned) are kept.
    let roots_now = index.roots_now()?;
    plan.roots = roots::rebased(index.roots(), &plan.roots, &roots_now);
    let known = known_sources(index)?;
    plan.add_known(&known);
    // A file the run also reads as a collection (`ingest DIR --jsonl DIR/c.jsonl`) is that.
    let collections: HashSet<String> = plan
        .collections
        .iter()
        .filter_map(|(path, _)| file_key(path).ok())
        .collect();
    let mut items: Vec<Item> = in_key_order(plan.files)
        .into_iter()
        .filter(|file| {
            !(file.canonical.as_deref()).is_some_and(|c| collections.contains(&path_key(c)))
        })
        .map(Item::File)
        .collect();
    items.extend(
        (plan.collections.into_iter()).map(|(path, compare)| Item::Collection(path, compare)),
    );
    if let Some((name, bytes)) = plan.stdin {
        items.push(Item::Stdin(name, bytes));
    }
    let run = Run {
        index,
        writer: &writer,
        known,
        warnings: Mutex::new(plan.warnings),
        failures: Mutex::new(plan.failures),
        seen: Mutex::new(HashSet::new()),
        skipped: Stamps::load(&index.dir, stamps::BINARY),
        binary: Mutex::new(Stamps::default()),
        verified: Stamps::load(&index.dir, stamps::VERIFIED),
        verified_now: Mutex::new(Stamps::default()),
        bytes_read: AtomicU64::new(0),
        deleted_held: AtomicBool::new(false),
        gate: Gate::new(DEFAULT_LIMIT),
        turns: Turns::new(),
        as_last_read: plan.parse.is_some(),
        root_reading: (plan.roots.iter())
            .map(|root| (root.dir(), root.whole_html))
            .collect(),
        parse: plan.parse.unwrap_or(options.parse),
    };
    let total = Progress {
        files_total: items.len() as u64,
        bytes_total: items.iter().map(item_size).sum(),
        ..Progress::default()
    };
    let mut report = match run.all(&items, threads, total, progress) {
        Ok(report) => report,
        Err(err) => {
            drop(run);
            discard_written(index, writer);
            return Err(err);
        }
    };
    let last = Progress {
        files_done: total.files_total,
        bytes_done: total.bytes_total,
        ..total
    };
    report.removed += run.remove_vanished(&plan.vanished)?;
    report.bytes = run.bytes_read.load(Ordering::Relaxed);
    report.warnings = run.warnings.into_inner().unwrap_or_default();
    report.failures = run.failures.into_inner().unwrap_or_default();
    // The caches are written only when they change (when nothing changed, nothing is).
    let seen = run.seen.into_inner().unwrap_or_default();
    let mut skipped = run.skipped.clone();
    skipped.keep_only(&seen, &run.binary.into_inner().unwrap_or_default());
    // A binary file deleted is forgotten as a file the index held is removed.
    skipped.retain(|key| seen.contains(key) || !plan.vanished.gone(key));
    if skipped != run.skipped {
        skipped.save(&index.dir, stamps::BINARY);
    }
    let mut verified = run.verified.clone();
    verified.keep_only(&seen, &run.verified_now.into_inner().unwrap_or_default());
    // Only a file the index held has a stamp to verify (one it no longer holds is forgotten
    // at the next run).
    verified.retain(|key| run.known.contains_key(key));
    if verified != run.verified {
        verified.save(&index.dir, stamps::VERIFIED);
    }
    let counted = report.added + report.updated + report.removed + report.restamped > 0;
    let changed = counted || run.deleted_held.load(Ordering::Relaxed);
    let stale_record = index.payload.is_none() || index.order_recorded_by_older_build();
    if changed || stale_record || plan.roots != roots_now {
        report
            .warnings
            .extend(commit(index, writer, &plan.roots, &|stage| {
                progress(&Progress { stage, ..last })
            })?);
        report.committed = true;
    }

    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// The most segments one merge after an ingest takes (tantivy's default least number).
const MERGE_AT_MOST: usize = 8;

/// How many rounds of merges one ingest runs at most (a round's merges may make segments that
/// are worth merging again).
const MERGE_ROUNDS: usize = 3;

/// Commits what `writer` holds (recording which segments are in path order), then merges
/// segments and waits for the merges. A failure after the commit is a warning: the commit
/// stands.
///
/// The writer merges nothing while it fills its buffers: both at once would need the memory
/// of both. At ten times the large bench corpus, a merge of eight segments (8 million
/// paragraphs, with doc id maps of 16 bytes per paragraph) came on top of a full 320 MB
/// budget. After the commit the buffers are given back, and the merges follow.
fn commit(
    index: &ParaIndex,
    mut writer: IndexWriter<ParagraphDoc>,
    roots: &[super::Root],
    stage: &dyn Fn(Stage),
) -> Result<Vec<FileWarning>> {
    stage(Stage::Committing);
    let (ordered, warning) = match commit_recording_order(index, &mut writer, roots) {
        Ok(committed) => committed,
        Err(err) => {
            discard_written(index, writer);
            return Err(err);
        }
    };
    let mut warnings: Vec<FileWarning> = warning.into_iter().collect();
    let mut segments = Checksums::default();
    let merged = merge_rounds(index, &mut writer, roots, ordered, &mut segments, stage);
    if merged.is_err() {
        // A merge cut short (a full disk) leaves its files: they go, the commit stays.
        let _ = remove_orphans(index, &writer);
    }
    // Every merge is waited for, even after a failure, before the writer lets go of the index.
    let waited = writer.wait_merging_threads().map_err(|e| e.to_string());
    let problem = match (merged, waited) {
        (Err(problem), _) => Some(problem),
        (Ok(()), Err(reason)) => Some(FileProblem::NotMerged { reason }),
        (Ok(()), Ok(())) => None,
    };
    warnings.extend(problem.map(|problem| FileWarning {
        path: index.dir.clone(),
        problem,
    }));
    let damaged = damaged_still(index, segments.damaged);
    if !damaged.is_empty() {
        warnings.push(FileWarning {
            path: index.dir.clone(),
            problem: FileProblem::Damaged {
                files: damaged,
                rebuild: index.rebuild_command(),
            },
        });
    }
    Ok(warnings)
}

/// Where the index's files found damaged are remembered (one name a line), beside the commit.
const DAMAGED_FILES: &str = ".parafind-damaged";

/// The files of the index found damaged: `found` now (by the merges' checksums), and those an
/// earlier run found that the last commit still has (a merge that would take them is not run
/// again at every commit, but every commit says so). Remembered for the next run; forgotten
/// once none is left (their segments gone with their paragraphs).
fn damaged_still(index: &ParaIndex, found: Vec<PathBuf>) -> Vec<PathBuf> {
    let remembered = index.dir.join(DAMAGED_FILES);
    let earlier = std::fs::read_to_string(&remembered).unwrap_or_default();
    let committed: HashSet<PathBuf> = (index.index.load_metas())
        .map(|metas| metas.list_segment_files())
        .unwrap_or_default();
    let mut damaged: Vec<PathBuf> = (earlier.lines().map(PathBuf::from))
        .filter(|file| committed.contains(file))
        .chain(found)
        .collect();
    damaged.sort();
    damaged.dedup();
    let names: Vec<String> = damaged.iter().map(|f| f.display().to_string()).collect();
    let _ = match damaged.is_empty() {
        true if !earlier.is_empty() => std::fs::remove_file(&remembered),
        true => Ok(()),
        false => std::fs::write(&remembered, names.join("\n") + "\n"),
    };
    damaged
}

/// The segments a run's merges have had their files' checksums read, and the files found
/// damaged. A merge copies a segment's stored text as it is, into a new segment with a new,
/// valid checksum: a damaged segment merged would be damage `check` could no longer see. So a
/// segment is merged only when its files match their checksums: read once a run, only for the
/// segments picked to merge, before the merges start (a second read of files the merge then
/// reads whole, mostly from the page cache).
#[derive(Default)]
struct Checksums {
    intact: HashMap<SegmentId, bool>,
    damaged: Vec<PathBuf>,
}

impl Checksums {
    /// Whether every file of the segment `id` of the last commit `committed` matches its
    /// checksum (a failure to read one is a failure to merge).
    fn intact(
        &mut self,
        index: &ParaIndex,
        committed: &HashMap<String, Vec<PathBuf>>,
        id: SegmentId,
    ) -> std::result::Result<bool, String> {
        if let Some(&intact) = self.intact.get(&id) {
            return Ok(intact);
        }
        let mut intact = true;
        for file in committed.get(&id.uuid_string()).into_iter().flatten() {
            if !super::intact(&index.index, &index.dir, file).map_err(|e| e.to_string())? {
                self.damaged.push(file.clone());
                intact = false;
            }
        }
        self.intact.insert(id, intact);
        Ok(intact)
    }
}

/// Merges, in rounds, the segments tantivy's default policy picks, grouped so that each merge
/// keeps path order where it can ([`merge_groups`]), and records after each round which
/// segments are in path order (`ordered`, the segments the index names so, are not checked
/// again). A round's merges are all waited for, even after one fails.
fn merge_rounds(
    index: &ParaIndex,
    writer: &mut IndexWriter<ParagraphDoc>,
    roots: &[super::Root],
    mut ordered: Vec<String>,
    segments: &mut Checksums,
    stage: &dyn Fn(Stage),
) -> std::result::Result<(), FileProblem> {
    let not_merged = |reason: String| FileProblem::NotMerged { reason };
    for _ in 0..MERGE_ROUNDS {
        let groups = merge_groups(index, &ordered, segments).map_err(not_merged)?;
        if groups.is_empty() {
            break;
        }
        stage(Stage::Merging(groups.len()));
        let merges: Vec<_> = groups.iter().map(|group| writer.merge(group)).collect();
        // The merged segments' metas are dropped at once: held, they would keep the files of
        // the segments merged away from tantivy's clean-up.
        let results: Vec<tantivy::Result<()>> =
            merges.into_iter().map(|m| m.wait().map(drop)).collect();
        for result in results {
            result.map_err(|e| not_merged(e.to_string()))?;
        }
        ordered = record_order(index, writer, roots, &ordered).map_err(|e| {
            FileProblem::OrderNotRecorded {
                reason: e.to_string(),
            }
        })?;
    }
    Ok(())
}

/// The merges to run now: each level of segments tantivy's default policy would merge, cut
/// into chains of segments whose files follow one another in path order (merged in that
/// order they make a segment in path order, which search ranks without reading paths), at
/// most [`MERGE_AT_MOST`] to a merge. Two indexing threads fill segments with interleaved
/// files, but each thread's segments follow one another: the chains find them. `ordered`
/// names the segments in path order. A segment whose files do not match their checksums is
/// not merged (see [`Checksums`]).
fn merge_groups(
    index: &ParaIndex,
    ordered: &[String],
    segments: &mut Checksums,
) -> std::result::Result<Vec<Vec<SegmentId>>, String> {
    let text = |e: tantivy::TantivyError| e.to_string();
    // Held, a segment's meta keeps its files from tantivy's clean-up after it is merged away:
    // only the candidates' ids outlive this statement.
    let mut levels = LogMergePolicy::default()
        .compute_merge_candidates(&index.index.searchable_segment_metas().map_err(text)?);
    if levels.is_empty() {
        return Ok(Vec::new());
    }
    // The last commit's files by segment (a file is named by its segment's id, then a dot).
    let mut committed: HashMap<String, Vec<PathBuf>> = HashMap::new();
    for file in (index.index.load_metas().map_err(text)?).list_segment_files() {
        let name = file.to_string_lossy().into_owned();
        if let Some((segment, _)) = name.split_once('.') {
            committed.entry(segment.to_string()).or_default().push(file);
        }
    }
    for level in &mut levels {
        let mut kept = Vec::with_capacity(level.0.len());
        for &id in &level.0 {
            if segments.intact(index, &committed, id)? {
                kept.push(id);
            }
        }
        level.0 = kept;
    }
    let reader: tantivy::IndexReader = index
        .index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()
        .map_err(text)?;
    let searcher = reader.searcher();
    // The ranges of the ordered segments of the levels (two terms of each path column).
    let members: HashSet<SegmentId> = levels.iter().flat_map(|l| l.0.iter().copied()).collect();
    let mut ranges = HashMap::new();
    for reader in searcher.segment_readers() {
        let id = reader.segment_id();
        if members.contains(&id) && ordered.contains(&id.uuid_string()) {
            ranges.insert(id, file_range(reader).map_err(text)?);
        }
    }
    let mut groups = Vec::new();
    for level in levels {
        let level = level.0.into_iter().map(|id| {
            let range = ranges.get(&id).cloned().flatten();
            (id, range)
        });
        groups.extend(in_chains(level.collect()));
    }
    Ok(groups)
}

/// `segments` (each with its first and last file key when it is in path order) as merges:
/// chains of ordered segments whose ranges follow one another, sharing at most the file at
/// their boundary (a file over one writer batch can end one of a thread's segments and start
/// its next), taken greedily from the earliest start; the unordered ones, and ordered ones no
/// other follows, among themselves. Each is cut into groups of at most [`MERGE_AT_MOST`]; a
/// group of one is left alone. A merged chain is named in path order only if the check after
/// merging finds its paragraphs in order too.
fn in_chains(segments: Vec<(SegmentId, Option<(String, String)>)>) -> Vec<Vec<SegmentId>> {
    let mut rest: Vec<SegmentId> = Vec::new();
    let mut ordered: Vec<(SegmentId, (String, String))> = Vec::new();
    for (id, range) in segments {
        match range {
            Some(range) => ordered.push((id, range)),
            None => rest.push(id),
        }
    }
    ordered.sort_by(|a, b| a.1.cmp(&b.1));
    let mut chains: Vec<Vec<SegmentId>> = Vec::new();
    while !ordered.is_empty() {
        let (id, (_, mut end)) = ordered.remove(0);
        let mut chain = vec![id];
        let mut next = 0;
        while next < ordered.len() {
            if ordered[next].1 .0 >= end {
                let (id, (_, last)) = ordered.remove(next);
                chain.push(id);
                end = last;
            } else {
                next += 1;
            }
        }
        // A segment no other follows merges with the unordered ones: the policy picked its
        // level to be merged, and left alone it would stay unmerged however many join it.
        match chain.len() {
            1 => rest.extend(chain),
            _ => chains.push(chain),
        }
    }
    chains.push(rest);
    chains
        .iter()
        .flat_map(|chain| chain.chunks(MERGE_AT_MOST))
        .filter(|group| group.len() > 1)
        .map(<[SegmentId]>::to_vec)
        .collect()
}

/// The threads an ingest runs and its writer's memory budget: at least one thread, and one per
/// [`MIN_MEMORY_PER_THREAD`] of the budget at most (tantivy needs that much per indexing
/// thread, and every reading thread holds a file and a batch of its paragraphs, so more threads
/// would only use more memory); the budget is at least enough for one thread.
fn threads_and_memory(options: &IngestOptions) -> (usize, usize) {
    let memory = options.writer_memory.max(MIN_MEMORY_PER_THREAD);
    let threads = options.threads.clamp(1, memory / MIN_MEMORY_PER_THREAD);
    (threads, memory.min(threads * MAX_MEMORY_PER_THREAD))
}

/// Deletes what a failed run wrote (a full disk gets its space back); the index keeps its last
/// commit either way.
fn discard_written(index: &ParaIndex, mut writer: IndexWriter<ParagraphDoc>) {
    if writer.rollback().is_ok() {
        let _ = remove_orphans(index, &writer);
    }
}

/// Deletes the files an interrupted ingest left behind: segments and deletion files that no
/// commit refers to. An ingest killed inside its commit leaves such files, and a deletion
/// file's name depends only on the commit's operation count, so the next ingest of the same
/// changes would otherwise find its name taken and fail. tantivy records every file before it
/// creates it, so each one left behind is known; the writer's lock means no other ingest is
/// writing, and tantivy's meta lock keeps the files of a search that is opening the index.
pub(super) fn remove_orphans(index: &ParaIndex, writer: &IndexWriter<ParagraphDoc>) -> Result<()> {
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
    let mut known: HashMap<String, Known> = HashMap::new();
    for f in files(index)? {
        let entry = Known {
            size: f.size,
            mtime_ns: f.mtime_ns,
            hash: f.hash,
            collection: f.source != f.key,
            whole_html: f.whole_html,
            racy: f.racy,
            documents: 0,
        };
        known.entry(f.source).or_insert(entry).documents += 1;
    }
    Ok(known)
}

impl Run<'_> {
    /// Handles every item on `threads` workers, reporting progress against `total`.
    fn all(
        &self,
        items: &[Item],
        threads: usize,
        total: Progress,
        progress: &(dyn Fn(&Progress) + Sync),
    ) -> Result<IngestReport> {
        let next = AtomicUsize::new(0);
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
    fn one(&self, item: &Item, turn: usize) -> Result<ItemOutcome> {
        let result = match item {
            Item::File(file) => self.file(file, turn),
            Item::Collection(path, compare) => self.collection(path, turn, *compare),
            Item::Stdin(name, bytes) => self.stdin(name, bytes, turn),
        };
        // A file the walk found that is gone when read (deleted or renamed since, as in a burst
        // of changes `watch` follows) is no failure: there is nothing left to index.
        let vanished = |error: &std::io::Error| {
            matches!(item, Item::File(file) if !file.named)
                && error.kind() == std::io::ErrorKind::NotFound
        };
        match result {
            Err(Error::Read { error, .. }) if vanished(&error) => {
                // Met, but gone: what the index holds of it is for the removal pass to take
                // out, as for a file gone before the walk.
                if let Item::File(FoundFile {
                    canonical: Some(canonical),
                    ..
                }) = item
                {
                    self.unsee(&path_key(canonical));
                }
                Ok(ItemOutcome::Vanished)
            }
            Err(Error::Read { path, error }) => {
                self.fail(Failure { path, error });
                Ok(ItemOutcome::Skipped)
            }
            other => other,
        }
    }

    fn warn(&self, warning: FileWarning) {
        if let Ok(mut warnings) = self.warnings.lock() {
            warnings.push(warning);
        }
    }

    fn fail(&self, failure: Failure) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.push(failure);
        }
    }

    /// Notes that the file with key `key` and `stamp` is binary (remembered unless the stamp
    /// was `racy` when it was read: such a file is read again), and warns about it.
    fn binary(&self, key: &str, path: &Path, stamp: (u64, u64), racy: bool) {
        if let Ok(mut binary) = self.binary.lock() {
            if !racy {
                binary.record(key, stamp);
            }
        }
        self.warn(FileWarning {
            path: path.to_path_buf(),
            problem: FileProblem::BinaryFile,
        });
    }

    /// Whether the file with key `key`, held by the index as `known`, is unchanged by its
    /// `stamp` alone (size and time): the same as the index holds, and trusted when it was
    /// read (see `corpus::is_racy`), or compared by content since, once it could be (such a
    /// file is remembered again: see [`Run::verify`]).
    fn unchanged_by_stamp(&self, key: &str, known: Option<&Known>, stamp: (u64, u64)) -> bool {
        let Some(known) = known.filter(|k| (k.size, k.mtime_ns) == stamp) else {
            return false;
        };
        let trusted = !known.racy || self.verified.unchanged(key, stamp);
        if known.racy && trusted {
            self.verify(key, stamp);
        }
        trusted
    }

    /// Whether the file with key `key`, read now, is unchanged by its content: the same size
    /// and time as `known` (the index holds them as racy) and the same content (`hash`). Such
    /// a file, whose stamp is no longer `racy`, is remembered as verified (see [`Run::verify`]).
    fn unchanged_by_content(
        &self,
        key: &str,
        known: Option<&Known>,
        stamp: (u64, u64),
        (hash, racy): (u64, bool),
    ) -> bool {
        let same = known.is_some_and(|k| (k.size, k.mtime_ns) == stamp && k.hash == hash);
        if same && !racy {
            self.verify(key, stamp);
        }
        same
    }

    /// Remembers that the file with key `key`, whose `stamp` the index holds as racy, has the
    /// content indexed, compared when that stamp could be trusted: no later write can keep
    /// it, so the file is not read again while it stays.
    fn verify(&self, key: &str, stamp: (u64, u64)) {
        if let Ok(mut verified) = self.verified_now.lock() {
            verified.record(key, stamp);
        }
    }

    fn see(&self, key: &str) {
        self.first_sight(key);
    }

    /// Marks the file with key `key` as met in this run; false when it was met before.
    fn first_sight(&self, key: &str) -> bool {
        self.seen
            .lock()
            .map_or(true, |mut seen| seen.insert(key.to_string()))
    }

    /// Forgets that the file with key `key` was met in this run (it was gone when read).
    fn unsee(&self, key: &str) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.remove(key);
        }
    }

    /// Removes what the index holds for the file with key `source`: its paragraphs (which carry
    /// its key as their path), or its records (which carry it as their source).
    fn delete(&self, source: &str) -> Result<()> {
        if self.known.contains_key(source) {
            self.deleted_held.store(true, Ordering::Relaxed);
        }
        delete_source(self.index, self.writer, source)
    }

    /// Removes what the index holds for files (under an ingested directory, or anywhere for
    /// a refresh) that no longer exist. A file the walk left out but that is still there
    /// (another filter, a hidden file, one ingested by name) stays: ingest adds, and removes
    /// only what is gone. Documents read from standard input have no file and stay.
    fn remove_vanished(&self, vanished: &Vanished) -> Result<u64> {
        let seen = self.seen.lock().map(|s| s.clone()).unwrap_or_default();
        let mut removed = 0;
        for (source, known) in &self.known {
            if seen.contains(source) || known.mtime_ns == 0 {
                continue;
            }
            if vanished.gone(source) {
                self.delete(source)?;
                removed += known.documents;
            }
        }
        Ok(removed)
    }
}

/// Deletes, in `writer`'s next commit, what `index` holds for the file with key `source`: its
/// paragraphs (which carry its key as their path), or its records (which carry it as their
/// source).
pub(super) fn delete_source(
    index: &ParaIndex,
    writer: &IndexWriter<ParagraphDoc>,
    source: &str,
) -> Result<()> {
    let fields = index.fields;
    writer.delete_term(Term::from_field_text(fields.source, source));
    writer
        .delete_query(own_paragraphs(fields, source))
        .map_err(|e| damaged(&index.dir, e))?;
    Ok(())
}

/// Whether the file at `path` may still be there. Only a definite answer that it is not (not
/// found, a step of its path is no longer a directory, or something else is in its place: a
/// directory, a link, a pipe or a socket) says it is gone; a directory the user can no longer
/// read, for one, keeps its files in the index. (A path the index holds is canonical: it was
/// a file, not a link, when it was read.)
pub(crate) fn file_may_exist(path: &Path) -> bool {
    match std::fs::symlink_metadata(path) {
        // A step of its path that is a link now (`dir` replaced by a link to `dir.bak`): the
        // file read there is another path's, which a walk indexes under its own name.
        Ok(meta) => meta.is_file() && !reached_through_a_link(path),
        Err(err) => !matches!(
            err.kind(),
            std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
        ),
    }
}

/// Whether the canonical path `path` leads somewhere else now: a directory on its way was
/// replaced by a link (a failure to tell says no).
fn reached_through_a_link(path: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|canonical| canonical != path)
}

/// The paragraphs whose path is `key` and that are not a collection's records. A record's key
/// is its file's key, `#` and its id, so a file path with a `#` could equal one; the records
/// such a path could name are those of a source cut at one of its `#`s, and they are left out.
fn own_paragraphs(fields: Fields, key: &str) -> Box<dyn Query> {
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

fn item_size(item: &Item) -> u64 {
    match item {
        Item::File(file) => file.size,
        Item::Collection(path, _) => std::fs::metadata(path).map_or(0, |m| m.len()),
        Item::Stdin(_, bytes) => bytes.len() as u64,
    }
}

fn tally(report: &Mutex<IngestReport>, outcome: ItemOutcome) {
    let Ok(mut report) = report.lock() else {
        return;
    };
    match outcome {
        ItemOutcome::Added {
            paragraphs,
            documents,
        } => {
            report.added += documents;
            report.paragraphs += paragraphs;
        }
        ItemOutcome::AddedRecords {
            paragraphs,
            records,
        } => {
            report.added += records;
            report.records += records;
            report.paragraphs += paragraphs;
        }
        ItemOutcome::Updated {
            paragraphs,
            documents,
        } => {
            report.updated += documents;
            report.paragraphs += paragraphs;
        }
        ItemOutcome::Unchanged => report.unchanged += 1,
        ItemOutcome::Restamped => {
            report.unchanged += 1;
            report.restamped += 1;
        }
        ItemOutcome::Skipped => report.skipped += 1,
        ItemOutcome::Removed { documents } => report.removed += documents,
        ItemOutcome::Reread {
            added,
            updated,
            removed,
            paragraphs,
        } => {
            report.added += added;
            report.updated += updated;
            report.records += added + updated;
            report.removed += removed;
            report.paragraphs += paragraphs;
        }
        ItemOutcome::Repeated | ItemOutcome::Vanished => {}
    }
}

/// The identity of a file in the index: the key of its canonical absolute path.
pub fn file_key(path: &Path) -> Result<String> {
    let canonical = std::fs::canonicalize(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        error: source,
    })?;
    Ok(path_key(&canonical))
}

/// A file's size and modification time (nanoseconds since the epoch), as recorded at ingest.
pub fn file_stamp(path: &Path) -> Option<(u64, u64)> {
    std::fs::metadata(path).ok().map(|m| corpus::stamp(&m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_is_taken_before_anything_is_walked() {
        // Of two runs, the one started first writes: a run finds the index busy before its
        // walk (here it would then find its directory missing), not after it.
        let dir = assert_fs::TempDir::new().unwrap();
        let index = crate::index::ingested_for_test(dir.path(), &[("a.txt", "walrus")]);
        let held: IndexWriter = index.index.writer(50_000_000).unwrap();
        let missing = IngestOptions::new(vec![dir.path().join("missing")]);
        let busy = |result: Result<IngestReport>| matches!(result, Err(Error::IndexLocked { .. }));
        assert!(busy(ingest(&index, &missing)));
        assert!(busy(refresh_with_progress(&index, &missing, &|_| {})));
        drop(held);
        assert!(!busy(ingest(&index, &missing)));
    }

    #[test]
    fn a_file_is_gone_only_when_the_file_system_says_so() {
        let dir = assert_fs::TempDir::new().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "x").unwrap();
        assert!(file_may_exist(&file));
        assert!(!file_may_exist(&dir.path().join("gone.txt")));
        // A step of the path that is a file now: gone.
        assert!(!file_may_exist(&file.join("b.txt")));
        // Something else in its place: a directory, or a link (even to a file).
        std::fs::create_dir(dir.path().join("now-a-dir.txt")).unwrap();
        assert!(!file_may_exist(&dir.path().join("now-a-dir.txt")));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.txt");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert!(!file_may_exist(&link));
            // A directory on its way replaced by a link to where it went: that file is
            // another path's.
            let moved = dir.path().canonicalize().unwrap().join("d");
            std::fs::create_dir(&moved).unwrap();
            std::fs::write(moved.join("x.txt"), "x").unwrap();
            assert!(file_may_exist(&moved.join("x.txt")));
            std::fs::rename(&moved, moved.with_file_name("d.bak")).unwrap();
            std::os::unix::fs::symlink("d.bak", &moved).unwrap();
            assert!(!file_may_exist(&moved.join("x.txt")));
        }
        // A name the file system refuses to look up tells nothing: kept.
        assert!(file_may_exist(&dir.path().join("n".repeat(300))));
    }

    #[test]
    fn a_file_gone_between_the_walk_and_its_reading_is_no_failure() {
        // As in a burst of renames and deletions `watch` follows: found, then gone.
        let dir = assert_fs::TempDir::new().unwrap();
        let docs = dir.path().canonicalize().unwrap().join("docs");
        std::fs::create_dir(&docs).unwrap();
        std::fs::write(docs.join("a.txt"), "alpha\n").unwrap();
        let index = crate::index::open_or_create(&dir.path().join("index")).unwrap();
        ingest(&index, &IngestOptions::new(vec![docs.clone()])).unwrap();
        let index = crate::index::open_for_update(&dir.path().join("index")).unwrap();
        std::fs::write(docs.join("b.txt"), "beta\n").unwrap();
        let plan = Plan::refresh_paths(&index, &[docs.join("b.txt")]).unwrap();
        let found = plan.files.iter().any(|f| f.path == docs.join("b.txt"));
        assert!(found, "{:?}", plan.files);
        std::fs::remove_file(docs.join("b.txt")).unwrap();
        // A file the index holds, gone too: taken out, as if gone before the walk.
        std::fs::remove_file(docs.join("a.txt")).unwrap();
        let options = IngestOptions::new(Vec::new());
        let writer = locked_writer(&index, &options).unwrap();
        let report = run_plan(&index, (writer, plan), &options, &|_| {}, Instant::now()).unwrap();
        assert!(report.failures.is_empty(), "{:?}", report.failures);
        // Each counted once: `a.txt` removed; `b.txt`, never indexed, neither removed nor
        // skipped as empty, binary or unreadable.
        assert_eq!((report.added, report.removed, report.skipped), (0, 1, 0));
    }

    #[test]
    fn a_change_inside_an_ignored_or_excluded_directory_is_not_walked() {
        // `watch` told of changes in `node_modules` (ignored), `ign` (ignored as a directory),
        // `drafts` (excluded by a glob), and in kept directories, files and directories alike.
        let dir = assert_fs::TempDir::new().unwrap();
        let docs = dir.path().canonicalize().unwrap().join("docs");
        std::fs::create_dir(&docs).unwrap();
        std::fs::write(docs.join(".gitignore"), "ign/\nnode_modules\n").unwrap();
        std::fs::write(docs.join("a.txt"), "alpha\n").unwrap();
        let index = crate::index::open_or_create(&dir.path().join("index")).unwrap();
        let mut options = IngestOptions::new(vec![docs.clone()]);
        options.walk.globs = vec!["!drafts".into()];
        options.walk.base = Some(docs.clone());
        ingest(&index, &options).unwrap();
        let index = crate::index::open_for_update(&dir.path().join("index")).unwrap();
        let files = [
            "ign/i.txt",
            "node_modules/pkg/index.txt",
            "drafts/d.txt",
            "drafts/deeper/e.txt",
            "keep/k.txt",
            "keep/a/b/c.txt",
        ];
        for file in files {
            let path = docs.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "words\n").unwrap();
        }
        let walked = |paths: Vec<PathBuf>| -> Vec<String> {
            let plan = Plan::refresh_paths(&index, &paths).unwrap();
            let mut found: Vec<String> = (plan.files.iter())
                .map(|f| f.path.strip_prefix(&docs).unwrap().display().to_string())
                .collect();
            found.sort();
            found.dedup();
            found
        };
        let kept = ["keep/a/b/c.txt", "keep/k.txt"];
        assert_eq!(walked(files.iter().map(|f| docs.join(f)).collect()), kept);
        let dirs = [
            "ign",
            "node_modules",
            "node_modules/pkg",
            "drafts",
            "drafts/deeper",
            "keep",
        ];
        assert_eq!(walked(dirs.iter().map(|d| docs.join(d)).collect()), kept);
        // A file one level down is walked with its directory's own entries only.
        assert_eq!(walked(vec![docs.join("keep/k.txt")]), ["keep/k.txt"]);
    }

    #[test]
    fn threads_are_capped_by_the_memory_budget() {
        let with = |memory: usize, threads: usize| {
            let mut options = IngestOptions::new(Vec::new());
            options.writer_memory = memory;
            options.threads = threads;
            threads_and_memory(&options)
        };
        // 256 threads asked for with 50 MB: three threads of 15 MB fit.
        assert_eq!(with(50_000_000, 256), (3, 50_000_000));
        // A budget under one thread's need is raised to it, and runs one thread.
        assert_eq!(with(1_000, 4), (1, MIN_MEMORY_PER_THREAD));
        // Zero threads is one; a big budget leaves the threads asked for.
        assert_eq!(with(320 << 20, 0), (1, 320 << 20));
        assert_eq!(with(320 << 20, 8), (8, 320 << 20));
        // Past tantivy's 4 GB per thread, the budget is cut to what the threads can use.
        assert_eq!(with(64 << 30, 2), (2, 2 * MAX_MEMORY_PER_THREAD));
    }

    #[test]
    fn the_largest_budget_opens_a_writer_on_one_thread_or_two() {
        let temp = assert_fs::TempDir::new().unwrap();
        let file = temp.path().join("a.txt");
        let index = crate::index::open_or_create(&temp.path().join("index")).unwrap();
        for threads in [1, 2] {
            // Another text each time, so each ingest writes.
            std::fs::write(&file, format!("shared words {threads}\n")).unwrap();
            let mut options = IngestOptions::new(vec![file.clone()]);
            options.writer_memory = 1 << 40;
            options.threads = threads;
            let (_, memory) = threads_and_memory(&options);
            assert_eq!(memory / threads, MAX_MEMORY_PER_THREAD);
            let report = ingest(&index, &options).unwrap();
            assert_eq!(report.paragraphs, 1, "{threads} threads");
        }
        assert_eq!(segments_and_hits(&temp.path().join("index"), "share").1, 1);
    }

    /// The number of segments of the index in `dir` and its paragraphs holding `word`.
    fn segments_and_hits(dir: &Path, word: &str) -> (usize, usize) {
        let index = crate::index::open(dir).unwrap();
        let searcher = index.searcher().unwrap();
        let term = Term::from_field_text(index.fields.body, word);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let hits = searcher.search(&query, &tantivy::collector::Count).unwrap();
        (searcher.segment_readers().len(), hits)
    }

    #[test]
    fn segments_are_merged_after_the_commit_that_makes_enough_of_them() {
        let temp = assert_fs::TempDir::new().unwrap();
        let dir = temp.path().join("index");
        for n in 1..=MERGE_AT_MOST {
            let file = temp.path().join(format!("note-{n}.txt"));
            std::fs::write(&file, format!("shared words\n\nnote number {n}\n")).unwrap();
            let index = crate::index::open_or_create(&dir).unwrap();
            let stages = Mutex::new(Vec::new());
            let options = IngestOptions::new(vec![file]);
            ingest_with_progress(&index, &options, &|p| stages.lock().unwrap().push(p.stage))
                .unwrap();
            // The progress bar hears of the commit, and of the merge when there is one.
            let mut stages = stages.into_inner().unwrap();
            stages.dedup();
            let merging = (n == MERGE_AT_MOST).then_some(Stage::Merging(1));
            let expected_stages: Vec<Stage> = [Stage::Reading, Stage::Committing]
                .into_iter()
                .chain(merging)
                .collect();
            assert_eq!(stages, expected_stages, "ingest {n}");
            let (segments, hits) = segments_and_hits(&dir, "share");
            // Each ingest adds a segment; the policy merges the eighth with the others.
            let expected = if n < MERGE_AT_MOST { n } else { 1 };
            assert_eq!((segments, hits), (expected, n), "after ingest {n}");
            // The merged segments' files are gone: one postings file per segment.
            let postings = std::fs::read_dir(&dir)
                .unwrap()
                .filter(|e| e.as_ref().unwrap().path().extension() == Some("idx".as_ref()))
                .count();
            assert_eq!(postings, expected, "files after ingest {n}");
            // One file per ingest: the segments follow one another, so the merged one is in
            // path order, and recorded as such.
            let index = crate::index::open(&dir).unwrap();
            let searcher = index.searcher().unwrap();
            for reader in searcher.segment_readers() {
                assert!(index.in_path_order(reader.segment_id()), "after ingest {n}");
            }
        }
    }

    #[test]
    fn merges_follow_chains_of_segments_in_path_order_eight_at_most() {
        let key = |n: usize| format!("docs/{n:04}.txt");
        let new = || SegmentId::generate_random();
        // Two indexing threads: their k-th segments overlap (files 10k..10k+6 and
        // 10k+3..10k+9), and each thread's segments follow one another.
        let a: Vec<SegmentId> = (0..10).map(|_| new()).collect();
        let b: Vec<SegmentId> = (0..10).map(|_| new()).collect();
        let unordered: Vec<SegmentId> = (0..2).map(|_| new()).collect();
        let mut segments = Vec::new();
        for k in (0..10).rev() {
            segments.push((b[k], Some((key(10 * k + 3), key(10 * k + 9)))));
            segments.push((a[k], Some((key(10 * k), key(10 * k + 6)))));
        }
        segments.extend(unordered.iter().map(|&id| (id, None)));
        let groups = in_chains(segments);
        assert_eq!(
            groups,
            vec![
                a[..8].to_vec(),
                a[8..].to_vec(),
                b[..8].to_vec(),
                b[8..].to_vec(),
                unordered.clone(),
            ]
        );
        // Segments sharing the file at their boundary chain; overlapping ones do not.
        let shared = vec![
            (a[0], Some((key(1), key(5)))),
            (a[1], Some((key(5), key(9)))),
            (unordered[0], None),
        ];
        assert_eq!(in_chains(shared), vec![vec![a[0], a[1]]]);
        // A lone segment is not merged with itself; an ordered one no other follows merges
        // with the unordered ones.
        assert!(in_chains(vec![(a[0], Some((key(1), key(2))))]).is_empty());
        let overlapping = vec![
            (a[0], Some((key(1), key(5)))),
            (b[0], Some((key(2), key(6)))),
            (unordered[0], None),
        ];
        assert_eq!(in_chains(overlapping), vec![vec![unordered[0], a[0], b[0]]]);
    }
}
