//! One item of an ingest, read and parsed into paragraph documents and handed to the writer: a
//! file, a JSON Lines collection (one document per record) or standard input. An item whose
//! size and time, or content hash, say it is unchanged is not parsed; one that changed has what
//! the index held for it deleted first. Its paragraphs are made documents as they are parsed and go
//! over in batches of bounded cost, in its turn (see [`crate::index::order`]), through the gate
//! that bounds what waits for the writer. (Collections are in `collection.rs`.)

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tantivy::indexer::UserOperation;

use super::{file_key, ItemOutcome, Run};
use crate::corpus::{
    self, content_hash, format_of, is_compressed, Content, Encoding, Format, FoundFile, OffsetMap,
    Paragraphs,
};
use crate::error::{Error, Result};
use crate::index::document::{self, BatchText, ParagraphDoc};
use crate::index::schema::Numbers;
use crate::index::{damaged, path_key};
use crate::warning::{FileProblem, FileWarning};

/// An item's paragraphs go to the writer in batches costing at most this much
/// ([`ParagraphDoc::cost`]: text plus a per-document overhead; one batch for all but big files),
/// so that tantivy, which checks its memory budget between batches, overshoots it by no more,
/// and a worker holds no more than about twice this much of a file's paragraphs at once.
pub(super) const MAX_BATCH_COST: u64 = 1 << 20;

/// A document being added: its key, and the source it came from (the file, or the collection
/// holding the record).
#[derive(Clone, Copy)]
pub(super) struct DocumentKeys<'a> {
    pub key: &'a str,
    pub source: &'a str,
}

/// What ingest records about a source file.
#[derive(Debug, Clone, Copy)]
pub(super) struct Stamp {
    pub size: u64,
    pub mtime_ns: u64,
    pub hash: u64,
    /// An HTML file read whole.
    pub whole_html: bool,
    /// The time was too recent to be trusted when the file was read (`corpus::is_racy`).
    pub racy: bool,
}

/// Why a file's content gives no paragraphs to index.
enum Unindexed {
    /// Text with NUL bytes.
    Binary,
    /// Not readable as its format, and why.
    Unreadable(String),
}

impl Unindexed {
    /// The problem to report, for a file the index held (`existed`) or not.
    fn problem(self, existed: bool) -> FileProblem {
        match self {
            Unindexed::Binary => FileProblem::TurnedBinary,
            Unindexed::Unreadable(reason) => FileProblem::BadDocument { reason, existed },
        }
    }
}

/// Paragraph documents of item number `turn` gathered for the writer, and what they cost.
pub(super) struct Batch {
    turn: usize,
    documents: Vec<ParagraphDoc>,
    /// The documents' texts (see `index::document`).
    texts: BatchText,
    cost: u64,
}

impl Batch {
    /// An empty batch of item number `turn`.
    pub fn new(turn: usize) -> Batch {
        Batch {
            turn,
            documents: Vec::new(),
            texts: BatchText::default(),
            cost: 0,
        }
    }
}

impl Run<'_> {
    /// Whether the document at `path` (key `key`) is read whole: an HTML page or an EPUB book
    /// (whose chapters are HTML) when the options say so; in a refresh, one the index holds
    /// as it was last read (`ingest --whole-html page.html` in a directory ingested without
    /// it stays whole), and a new one as the deepest remembered directory holding it was.
    fn reads_whole(&self, path: &Path, key: &str) -> bool {
        let whole = match (self.as_last_read, self.known.get(key)) {
            (true, Some(known)) if !known.collection => known.whole_html,
            (true, _) => (self.root_reading.iter())
                .filter(|(dir, _)| path.starts_with(dir))
                .max_by_key(|(dir, _)| dir.components().count())
                .map_or(self.parse.whole_html, |(_, whole)| *whole),
            _ => self.parse.whole_html,
        };
        whole && matches!(format_of(path), Format::Html | Format::Epub)
    }

    /// How the document at `path` (key `key`) is read (see [`Run::reads_whole`]).
    fn parse_of(&self, path: &Path, key: &str) -> corpus::ParseOptions {
        corpus::ParseOptions {
            whole_html: self.reads_whole(path, key),
        }
    }

    /// The content of the file named `path` made ready to index: its paragraphs (read with
    /// this run's options) and their offsets into the file, the text they borrow kept in
    /// `text`; or why it has none. Text that is not valid UTF-8, and a document read in part,
    /// are warned about.
    fn readable<'t>(
        &self,
        path: &Path,
        bytes: Vec<u8>,
        text: &'t mut String,
        parse: corpus::ParseOptions,
    ) -> std::result::Result<(Paragraphs<'t>, OffsetMap<'t>), Unindexed> {
        match corpus::read(path, bytes, parse) {
            Content::Text {
                format,
                text: decoded,
                encoding,
                lossy,
            } => {
                if let Some(problem) = decoding_problem(&encoding, lossy) {
                    self.warn(FileWarning {
                        path: path.to_path_buf(),
                        problem,
                    });
                }
                if format == corpus::Format::Html {
                    if let Some(reason) = corpus::too_many_tags(&decoded) {
                        return Err(Unindexed::Unreadable(reason));
                    }
                }
                *text = decoded;
                let text: &'t String = text;
                let mut paragraphs = corpus::paragraphs(format, text, parse);
                if let Some(reason) = paragraphs.cut_short.take() {
                    self.warn(FileWarning {
                        path: path.to_path_buf(),
                        problem: FileProblem::ReadInPart { reason },
                    });
                }
                Ok((paragraphs, OffsetMap::new(text, encoding)))
            }
            Content::Document { parsed, damaged } => {
                if let Some(reason) = damaged {
                    self.warn(FileWarning {
                        path: path.to_path_buf(),
                        problem: FileProblem::ReadInPart { reason },
                    });
                }
                let offsets = OffsetMap::new("", Encoding::Utf8 { bom: false });
                Ok((Paragraphs::extracted(parsed), offsets))
            }
            Content::Binary => Err(Unindexed::Binary),
            Content::Unreadable(reason) => Err(Unindexed::Unreadable(reason)),
        }
    }

    /// Reads a file unless its size and time say it is unchanged (and it was read with the
    /// same options; a file to [`compare`](corpus::FoundFile::compare) is read whatever they
    /// say); returns its bytes, hash and whether its stamp is racy now, or `None`
    /// when it is unchanged: the same size and time, and, when the index holds that stamp as
    /// racy, the same content (compared now, or by an ingest that could trust the stamp: see
    /// [`Run::unchanged_by_stamp`]; the file keeps its racy stamp rather than being indexed
    /// again to clear it). A touched file (same content, another stamp) is read, its stamp to
    /// be updated.
    fn read_if_changed(&self, key: &str, file: &FoundFile) -> Result<Option<(Vec<u8>, u64, bool)>> {
        let whole = self.reads_whole(&file.path, key);
        let known = self.known.get(key).filter(|k| k.whole_html == whole);
        let stamp = (file.size, file.mtime_ns);
        if !file.compare && self.unchanged_by_stamp(key, known, stamp) {
            return Ok(None);
        }
        let read_at = corpus::now_ns();
        // A text file's first bytes may tell it is binary: then only they are read.
        let bytes = match is_text_file(&file.path) {
            true => corpus::read_for_decoding(&file.path),
            false => std::fs::read(&file.path),
        }
        .map_err(|source| Error::Read {
            path: file.path.clone(),
            error: source,
        })?;
        self.bytes_read
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let hash = content_hash(&bytes);
        let racy = corpus::is_racy(file.mtime_ns, read_at);
        // (The same stamp and hash, also of a collection named as a text file, is unchanged.)
        if self.unchanged_by_content(key, known, stamp, (hash, racy)) {
            return Ok(None);
        }
        Ok(Some((bytes, hash, racy)))
    }

    /// Ingests the file `file`, item number `turn`.
    pub(super) fn file(&self, file: &FoundFile, turn: usize) -> Result<ItemOutcome> {
        let key = match &file.canonical {
            Some(canonical) => path_key(canonical),
            None => file_key(&file.path)?,
        };
        if !file.named && self.known.get(&key).is_some_and(|k| k.collection) {
            // A JSON Lines collection met by a walk stays a collection (named by itself, without
            // `--jsonl`, it is read as the text file it is asked to be).
            return self.collection(&file.path, turn, file.compare);
        }
        self.see(&key);
        let stamp = (file.size, file.mtime_ns);
        // Only text files are remembered as binary (a document format is never taken for one);
        // a file to compare by content is read whatever its stamp says.
        if is_text_file(&file.path)
            && !file.compare
            && !self.known.contains_key(&key)
            && self.skipped.unchanged(&key, stamp)
        {
            self.binary(&key, &file.path, stamp, false);
            return Ok(ItemOutcome::Skipped);
        }
        let Some((bytes, hash, racy)) = self.read_if_changed(&key, file)? else {
            return Ok(ItemOutcome::Unchanged);
        };
        // Same content under a new size or time (touched, copied, checked out): indexed again
        // so that its stored stamp is the file's and no search calls it changed.
        let whole = self.reads_whole(&file.path, &key);
        // (A collection read as text now is no such file: its records become paragraphs.)
        let touched = (self.known.get(&key)).is_some_and(|k| k.holds_text(hash, whole));
        // A file the index does not hold has nothing to replace (and each file comes once).
        let existed = self.known.contains_key(&key);
        if existed {
            self.delete(&key)?;
        }
        let mut text = String::new();
        let parse = self.parse_of(&file.path, &key);
        let (paragraphs, offsets) = match self.readable(&file.path, bytes, &mut text, parse) {
            Ok(readable) => readable,
            Err(Unindexed::Binary) if !existed => {
                self.binary(&key, &file.path, stamp, racy);
                return Ok(ItemOutcome::Skipped);
            }
            Err(unindexed) => {
                self.warn(FileWarning {
                    path: file.path.clone(),
                    problem: unindexed.problem(existed),
                });
                return Ok(if existed {
                    ItemOutcome::Removed { documents: 1 }
                } else {
                    ItemOutcome::Skipped
                });
            }
        };
        let stamp = Stamp {
            size: file.size,
            mtime_ns: file.mtime_ns,
            hash,
            whole_html: whole,
            racy,
        };
        let document = DocumentKeys {
            key: &key,
            source: &key,
        };
        let mut batch = Batch::new(turn);
        let paragraphs = self.add(document, paragraphs, offsets, stamp, &mut batch)?;
        self.flush(&mut batch)?;
        Ok(match (paragraphs, existed) {
            _ if touched => ItemOutcome::Restamped,
            (0, false) => ItemOutcome::Skipped,
            (_, false) => ItemOutcome::Added {
                paragraphs,
                documents: 1,
            },
            (_, true) => ItemOutcome::Updated {
                paragraphs,
                documents: 1,
            },
        })
    }

    /// Ingests standard input's `bytes` as the document `name`, item number `turn`.
    pub(super) fn stdin(&self, name: &str, bytes: &[u8], turn: usize) -> Result<ItemOutcome> {
        let key = path_key(Path::new(name));
        self.see(&key);
        self.bytes_read
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let hash = content_hash(bytes);
        let whole = self.reads_whole(Path::new(name), &key);
        let known = self.known.get(&key);
        if known.is_some_and(|k| k.holds_text(hash, whole)) {
            return Ok(ItemOutcome::Unchanged);
        }
        let existed = known.is_some();
        self.delete(&key)?;
        let mut text = String::new();
        let parse = self.parse_of(Path::new(name), &key);
        let (paragraphs, offsets) =
            match self.readable(Path::new(name), bytes.to_vec(), &mut text, parse) {
                Ok(readable) => readable,
                Err(unindexed) => {
                    // The document it replaces is gone too (deleted above), as for a file.
                    let problem = match unindexed {
                        Unindexed::Binary if existed => FileProblem::TurnedBinary,
                        Unindexed::Binary => FileProblem::BinaryInput,
                        unreadable => unreadable.problem(existed),
                    };
                    self.warn(FileWarning {
                        path: PathBuf::from(name),
                        problem,
                    });
                    return Ok(match existed {
                        true => ItemOutcome::Removed { documents: 1 },
                        false => ItemOutcome::Skipped,
                    });
                }
            };
        let stamp = Stamp {
            size: bytes.len() as u64,
            mtime_ns: 0,
            hash,
            whole_html: whole,
            racy: false,
        };
        let document = DocumentKeys {
            key: &key,
            source: &key,
        };
        let mut batch = Batch::new(turn);
        let paragraphs = self.add(document, paragraphs, offsets, stamp, &mut batch)?;
        self.flush(&mut batch)?;
        Ok(match (paragraphs, existed) {
            (0, false) => ItemOutcome::Skipped,
            (_, false) => ItemOutcome::Added {
                paragraphs,
                documents: 1,
            },
            (_, true) => ItemOutcome::Updated {
                paragraphs,
                documents: 1,
            },
        })
    }

    /// Adds a document's paragraphs to `batch`, which goes to the writer whenever it is full,
    /// so that a file's paragraphs land in one segment in paragraph order (search orders equal
    /// scores by document number within a path), or for a big file in several batches (the
    /// writer checks its memory budget between batches; search then reads the paragraph
    /// numbers of a path found in two segments); returns how many.
    ///
    /// The first paragraph carries the count: up to a batch's worth of paragraphs is taken before
    /// any becomes a document, so the count of all but big documents is known then; a bigger
    /// one is counted by a second pass over its text ([`Paragraphs::total`]).
    pub(super) fn add(
        &self,
        document: DocumentKeys<'_>,
        mut paragraphs: Paragraphs<'_>,
        mut offsets: OffsetMap<'_>,
        stamp: Stamp,
        batch: &mut Batch,
    ) -> Result<u64> {
        let mut first = Vec::new();
        let (mut cost, mut ended) = (0, false);
        while cost < MAX_BATCH_COST && !ended {
            match paragraphs.next() {
                Some(paragraph) => {
                    // What is indexed is made later: the text's cost stands for it.
                    let section = paragraph.section.as_deref();
                    cost += document::cost(&paragraph.text, None, section);
                    first.push(paragraph);
                }
                None => ended = true,
            }
        }
        let count = if ended {
            first.len() as u64
        } else {
            paragraphs.total()
        };
        let fields = self.index.fields;
        let (key, source): (Arc<str>, Arc<str>) = (document.key.into(), document.source.into());
        // The whole title is indexed (once, with the first paragraph); the stored one is cut.
        let full_title = paragraphs.title.take();
        let title: Option<Arc<str>> = full_title.as_deref().map(|t| Arc::from(capped(t)));
        for (i, paragraph) in first.into_iter().chain(paragraphs).enumerate() {
            let (byte_offset, char_offset) = offsets.file_offsets(paragraph.start);
            let first_title = full_title.as_deref().filter(|_| i == 0);
            let (indexed, index_prefix) =
                indexed_text(paragraph.index_text, &paragraph.text, first_title).unzip();
            let numbers = Numbers {
                line: paragraph.line,
                byte_offset,
                char_offset,
                file_size: stamp.size,
                file_mtime: stamp.mtime_ns,
                index_prefix: index_prefix.unwrap_or(0) as u64,
                page: paragraph.page.map_or(0, |p| p.page),
                page_paragraph: paragraph.page.map_or(0, |p| p.paragraph),
                first: (paragraph.number == 1).then_some((stamp.hash, count)),
                whole_html: stamp.whole_html && paragraph.number == 1,
                racy: stamp.racy && paragraph.number == 1,
            };
            let section = paragraph.section.as_deref().map(capped);
            let section = section.as_deref();
            let cost = document::cost(&paragraph.text, indexed.as_deref(), section);
            self.make_room(batch, cost)?;
            let document = ParagraphDoc {
                fields,
                key: key.clone(),
                source: source.clone(),
                paragraph: paragraph.number,
                numbers: numbers.pack(),
                text: batch.texts.add(&paragraph.text),
                indexed: indexed.map(|indexed| batch.texts.add(&indexed)),
                texts: None,
                section: section.map(|section| batch.texts.add(section)),
                title: title.clone(),
                ticket: None,
            };
            batch.cost += cost;
            batch.documents.push(document);
        }
        Ok(count)
    }

    /// Sends `batch` when a document costing `cost` more would make it cost too much.
    fn make_room(&self, batch: &mut Batch, cost: u64) -> Result<()> {
        if !batch.documents.is_empty() && batch.cost + cost > MAX_BATCH_COST {
            self.flush(batch)?;
        }
        Ok(())
    }

    /// Hands `batch` to the writer, once the items before it are in, through the gate.
    pub(super) fn flush(&self, batch: &mut Batch) -> Result<()> {
        let cost = std::mem::take(&mut batch.cost);
        let mut documents = std::mem::take(&mut batch.documents);
        let Some(last) = documents.last_mut() else {
            return Ok(());
        };
        self.turns.wait_for(batch.turn);
        // A writer found dead fails the `run` below with its error.
        last.ticket = self.gate.enter(cost, || self.writer_alive());
        batch.texts.share(&mut documents);
        self.writer
            .run(documents.into_iter().map(UserOperation::Add))
            .map_err(|e| damaged(&self.index.dir, e))?;
        Ok(())
    }
}

impl Run<'_> {
    /// Whether tantivy's indexing threads are alive, asked by a deletion that matches nothing
    /// (a path no file has): the one operation that reports a dead writer and changes nothing.
    fn writer_alive(&self) -> bool {
        let nothing = tantivy::Term::from_field_text(self.index.fields.path, "\0");
        self.writer.run([UserOperation::Delete(nothing)]).is_ok()
    }
}

/// The most bytes of a title or section kept: each is stored with every paragraph of its
/// document (or under its heading), so a title of megabytes (a garbled record, a generated
/// page) would be stored, and read back with each hit, as many times.
const MAX_LABEL_BYTES: usize = 1024;

/// `label` (a title or section), cut to at most [`MAX_LABEL_BYTES`] and ended with `…` when it
/// is longer: between grapheme clusters (never inside a flag, an emoji sequence or a letter
/// and its accents), after the last space of its final 64 bytes when there is one.
fn capped(label: &str) -> std::borrow::Cow<'_, str> {
    use unicode_segmentation::UnicodeSegmentation;
    if label.len() <= MAX_LABEL_BYTES {
        return std::borrow::Cow::Borrowed(label);
    }
    let room = MAX_LABEL_BYTES - '…'.len_utf8();
    let end = label
        .grapheme_indices(true)
        .map(|(at, _)| at)
        .take_while(|&at| at <= room)
        .last()
        .unwrap_or(0);
    let kept = &label[..end];
    let at_space = kept
        .rfind(char::is_whitespace)
        .filter(|&at| end - at <= 64)
        .map_or(kept, |at| kept[..at].trim_end());
    std::borrow::Cow::Owned(format!("{at_space}…"))
}

/// How many times a document's title is indexed in front of its first paragraph: BM25F-style
/// title weighting (the title's words count that many times in the paragraph's frequencies and
/// length), chosen on SciFact's train queries (BENCHMARKS.md).
pub const TITLE_WEIGHT: usize = 3;

/// The text to index when it differs from the paragraph: markup blanked, and the title (for the
/// first paragraph) in front, [`TITLE_WEIGHT`] times, with its length.
fn indexed_text(
    index_text: Option<String>,
    text: &str,
    title: Option<&str>,
) -> Option<(String, usize)> {
    match (title, index_text) {
        (None, None) => None,
        (None, Some(body)) => Some((body, 0)),
        (Some(title), body) => {
            // Each copy parted from the next and from the paragraph, so that no phrase runs
            // from the title into the text (or from one copy into the next).
            let barrier = crate::analysis::PHRASE_BARRIER;
            let prefix = format!("{title}\n{barrier}\n").repeat(TITLE_WEIGHT);
            let text = format!("{prefix}{}", body.as_deref().unwrap_or(text));
            Some((text, prefix.len()))
        }
    }
}

/// What a file's warning says of how its text was decoded: read as a guessed legacy encoding, or
/// with invalid bytes replaced; `None` for text read as it is (UTF-8, UTF-16, or a legacy
/// encoding it declares, read without fault).
fn decoding_problem(encoding: &corpus::Encoding, lossy: bool) -> Option<FileProblem> {
    match encoding {
        corpus::Encoding::Windows1252 => Some(FileProblem::ReadAsWindows1252),
        corpus::Encoding::Legacy { read_as, .. } if read_as.guessed || lossy => {
            Some(FileProblem::ReadAsLegacy {
                encoding: read_as.encoding.name(),
                guessed: read_as.guessed,
                lossy,
            })
        }
        corpus::Encoding::Utf16 { .. } if lossy => Some(FileProblem::NotUtf16),
        _ if lossy => Some(FileProblem::NotUtf8),
        _ => None,
    }
}

/// Whether the file at `path` is read as text (not a document format, not compressed): only
/// such a file is sniffed for binary content, and remembered as binary.
fn is_text_file(path: &Path) -> bool {
    !format_of(path).is_extracted() && !is_compressed(path)
}
