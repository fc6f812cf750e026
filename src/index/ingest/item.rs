//! One item of an ingest, read and parsed into passage documents and handed to the writer: a
//! file, a JSON Lines collection (one document per record) or standard input. An item whose
//! size and time, or content hash, say it is unchanged is not parsed; one that changed has what
//! the index held for it deleted first. Its passages go over in its turn (see
//! [`crate::index::order`]), through the gate that bounds the text waiting for the writer.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tantivy::indexer::UserOperation;

use super::{file_key, Outcome, Run};
use crate::corpus::{
    self, content_hash, format_of, jsonl, Decoded, Format, FoundFile, OffsetMap, Parsed,
};
use crate::error::{Error, Result};
use crate::index::document::PassageDoc;
use crate::index::schema::Numbers;
use crate::index::{damaged, path_key};
use crate::warning::{FileProblem, FileWarning};

/// A file's passages go to the writer in batches of at most this much text (one batch for all
/// but huge files), so the writer's memory budget holds within about this much.
const MAX_BATCH_BYTES: usize = 4 << 20;

/// A document being added: its key, the source it came from (the file, or the collection
/// holding the record), and the number of the item it belongs to.
#[derive(Clone, Copy)]
struct Document<'a> {
    key: &'a str,
    source: &'a str,
    turn: usize,
}

/// What ingest records about a source file.
#[derive(Debug, Clone, Copy)]
struct Stamp {
    size: u64,
    mtime_ns: u64,
    hash: u64,
    /// An HTML file read whole.
    whole_html: bool,
}

impl Run<'_> {
    /// Whether the document at `path` is read whole: an HTML page when the options say so.
    fn reads_whole(&self, path: &Path) -> bool {
        self.parse.whole_html && format_of(path) == Format::Html
    }

    /// Parses a document's text, named by `path`, with this run's options.
    fn parse(&self, path: &Path, text: &str) -> Parsed {
        corpus::parse_with(format_of(path), text, self.parse)
    }

    /// Reads a file unless its size and time say it is unchanged (and it was read with the
    /// same options); returns its bytes and hash, or `None` when it is unchanged (same size
    /// and time; or, unless `touched_too`, the same content: a touched file is read again only
    /// when its stamp is to be updated).
    fn read_if_changed(
        &self,
        key: &str,
        file: &FoundFile,
        touched_too: bool,
    ) -> Result<Option<(Vec<u8>, u64)>> {
        let whole = self.reads_whole(&file.path);
        let known = self.known.get(key).filter(|k| k.whole_html == whole);
        if known.is_some_and(|k| k.size == file.size && k.mtime_ns == file.mtime_ns) {
            return Ok(None);
        }
        let bytes = std::fs::read(&file.path).map_err(|source| Error::Read {
            path: file.path.clone(),
            error: source,
        })?;
        self.bytes_read
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let hash = content_hash(&bytes);
        if !touched_too && known.is_some_and(|k| k.hash == hash) {
            return Ok(None);
        }
        Ok(Some((bytes, hash)))
    }

    /// Ingests the file `file`, item number `turn`.
    pub(super) fn file(&self, file: &FoundFile, turn: usize) -> Result<Outcome> {
        let key = match &file.canonical {
            Some(canonical) => path_key(canonical),
            None => file_key(&file.path)?,
        };
        self.see(&key);
        let stamp = (file.size, file.mtime_ns);
        if !self.known.contains_key(&key) && self.skipped.unchanged(&key, stamp) {
            self.binary(&key, &file.path, stamp);
            return Ok(Outcome::Skipped);
        }
        let Some((bytes, hash)) = self.read_if_changed(&key, file, true)? else {
            return Ok(Outcome::Unchanged);
        };
        // Same content under a new size or time (touched, copied, checked out): indexed again
        // so that its stored stamp is the file's and no search calls it changed.
        let whole = self.reads_whole(&file.path);
        let touched =
            (self.known.get(&key)).is_some_and(|k| k.hash == hash && k.whole_html == whole);
        // A file the index does not hold has nothing to replace (and each file comes once).
        let existed = self.known.contains_key(&key);
        if existed {
            self.delete(&key)?;
        }
        let (text, encoding) = match corpus::decode(bytes) {
            Decoded::Binary if existed => {
                self.warn(FileWarning {
                    path: file.path.clone(),
                    problem: FileProblem::TurnedBinary,
                });
                return Ok(Outcome::Removed);
            }
            Decoded::Binary => {
                self.binary(&key, &file.path, stamp);
                return Ok(Outcome::Skipped);
            }
            Decoded::Text {
                text,
                encoding,
                lossy,
            } => {
                if lossy {
                    self.warn(FileWarning {
                        path: file.path.clone(),
                        problem: FileProblem::NotUtf8,
                    });
                }
                (text, encoding)
            }
        };
        let parsed = self.parse(&file.path, &text);
        let stamp = Stamp {
            size: file.size,
            mtime_ns: file.mtime_ns,
            hash,
            whole_html: self.reads_whole(&file.path),
        };
        let document = Document {
            key: &key,
            source: &key,
            turn,
        };
        let paragraphs = self.add(document, parsed, OffsetMap::new(&text, encoding), stamp)?;
        Ok(match (paragraphs, existed) {
            _ if touched => Outcome::Restamped,
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

    /// Ingests the JSON Lines collection at `path`, item number `turn`: one document per record.
    pub(super) fn collection(&self, path: &Path, turn: usize) -> Result<Outcome> {
        let key = file_key(path)?;
        self.see(&key);
        let metadata = std::fs::metadata(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            error: source,
        })?;
        let (size, mtime_ns) = corpus::stamp(&metadata);
        let found = FoundFile {
            path: path.to_path_buf(),
            size,
            mtime_ns,
            canonical: None,
        };
        let Some((bytes, hash)) = self.read_if_changed(&key, &found, false)? else {
            return Ok(Outcome::Unchanged);
        };
        let existed = self.known.contains_key(&key);
        self.delete(&key)?;
        let text = String::from_utf8_lossy(&bytes);
        let (documents, bad_records) = jsonl::documents(&text);
        for problem in bad_records {
            self.warn(FileWarning {
                path: path.to_path_buf(),
                problem,
            });
        }
        let stamp = Stamp {
            size,
            mtime_ns,
            hash,
            whole_html: false,
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

    /// Ingests standard input's `bytes` as the document `name`, item number `turn`.
    pub(super) fn stdin(&self, name: &str, bytes: &[u8], turn: usize) -> Result<Outcome> {
        let key = path_key(Path::new(name));
        self.see(&key);
        let existed = self.known.contains_key(&key);
        self.delete(&key)?;
        self.bytes_read
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let (text, encoding) = match corpus::decode(bytes.to_vec()) {
            Decoded::Text { text, encoding, .. } => (text, encoding),
            Decoded::Binary => {
                self.warn(FileWarning {
                    path: PathBuf::from(name),
                    problem: FileProblem::BinaryInput,
                });
                return Ok(Outcome::Skipped);
            }
        };
        let parsed = self.parse(Path::new(name), &text);
        let stamp = Stamp {
            size: bytes.len() as u64,
            mtime_ns: 0,
            hash: content_hash(bytes),
            whole_html: self.reads_whole(Path::new(name)),
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
                whole_html: stamp.whole_html && passage.number == 1,
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
