//! One JSON Lines collection of an ingest (`ingest --jsonl`): one document per record, read a
//! line at a time and handed to the writer in bounded batches, so a collection is never held
//! whole. Every record's first paragraph carries the file's content hash, so the hash is taken
//! first, in a streaming pass that also tells an unchanged file; the records are read in a
//! second pass. A repeated id's later record replaces the earlier, which the writer may
//! already hold: the earlier one is deleted by its key and source before the later is added.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::atomic::Ordering;

use tantivy::query::{BooleanQuery, Occur, TermQuery};
use tantivy::schema::{IndexRecordOption, Term};

use super::item::{Batch, DocumentKeys, Stamp};
use super::{file_key, ItemOutcome, Run};
use crate::corpus::{self, jsonl, Encoding, FoundFile, OffsetMap};
use crate::error::{Error, Result};
use crate::index::damaged;
use crate::warning::{FileProblem, FileWarning};

/// The longest name of a record (its collection's key, `#`, its id) in bytes: tantivy indexes
/// no longer term, and the index finds a record by its name.
const MAX_KEY_BYTES: usize = 65_000;

impl Run<'_> {
    /// Ingests the JSON Lines collection at `path`, item number `turn`: one document per record;
    /// one to `compare` (named to ingest, or told changed to `watch`) is read whatever its size
    /// and time say.
    pub(super) fn collection(
        &self,
        path: &Path,
        turn: usize,
        compare: bool,
    ) -> Result<ItemOutcome> {
        let key = file_key(path)?;
        if !self.first_sight(&key) {
            return Ok(ItemOutcome::Repeated);
        }
        let read_error = |error| Error::Read {
            path: path.to_path_buf(),
            error,
        };
        let metadata = std::fs::metadata(path).map_err(read_error)?;
        let (size, mtime_ns) = corpus::stamp(&metadata);
        // The file held as a collection; held as a plain file (a walk read it first), its
        // paragraphs are replaced by its records.
        let existed = self.known.contains_key(&key);
        let known = self.known.get(&key).filter(|k| k.collection);
        if !compare && self.unchanged_by_stamp(&key, known, (size, mtime_ns)) {
            return Ok(ItemOutcome::Unchanged);
        }
        let read_at = corpus::now_ns();
        let (hash, length) = File::open(path)
            .and_then(corpus::hash_reader)
            .map_err(read_error)?;
        self.bytes_read.fetch_add(length, Ordering::Relaxed);
        // A racy stamp (see `corpus::is_racy`) compared by content: the same, the records
        // stay as they are (racy; not read again once compared when it could be trusted).
        let racy = corpus::is_racy(mtime_ns, read_at);
        if self.unchanged_by_content(&key, known, (size, mtime_ns), (hash, racy)) {
            return Ok(ItemOutcome::Unchanged);
        }
        // Same content under a new size or time (touched): read again so that the records'
        // stamp is the file's and no search calls it changed.
        let touched = known.is_some_and(|k| k.hash == hash);
        self.delete(&key)?;
        let stamp = Stamp {
            size,
            mtime_ns,
            hash,
            whole_html: false,
            racy,
        };
        let found = FoundFile {
            path: path.to_path_buf(),
            size,
            mtime_ns,
            canonical: None,
            named: true,
            compare: false,
        };
        let held_before = self.known.get(&key).map_or(0, |k| k.documents);
        let (documents, paragraphs) = match self.records(&found, &key, stamp, turn) {
            Err(Error::Read { path, error }) => {
                // Part of the file may be in the writer: take it all out, as if it had not
                // been read (the old records are gone already).
                self.delete(&key)?;
                if !corpus::is_compressed(&path) {
                    return Err(Error::Read { path, error });
                }
                // Its bytes were all read once (for the hash): the error is its gzip data's,
                // a damaged document, as for any `.gz` file.
                self.warn(FileWarning {
                    path,
                    problem: FileProblem::BadDocument {
                        reason: format!("damaged gzip data ({error})"),
                        existed,
                    },
                });
                return Ok(match existed {
                    true => ItemOutcome::Removed {
                        documents: held_before,
                    },
                    false => ItemOutcome::Skipped,
                });
            }
            other => other?,
        };
        Ok(if touched {
            ItemOutcome::Restamped
        } else if existed && documents == 0 {
            // Its records are all gone (an empty file, or one with no record left).
            ItemOutcome::Removed {
                documents: held_before,
            }
        } else if existed {
            // Counted by number: records beyond those held before are added, those short of
            // them removed, the rest updated (which ids came or went is not kept).
            let updated = documents.min(held_before);
            ItemOutcome::Reread {
                added: documents - updated,
                updated,
                removed: held_before - updated,
                paragraphs,
            }
        } else {
            ItemOutcome::AddedRecords {
                paragraphs,
                records: documents,
            }
        })
    }

    /// Reads the records of the collection `file` (key `key`) and hands them to the writer;
    /// returns how many documents and paragraphs it now holds for it.
    fn records(
        &self,
        file: &FoundFile,
        key: &str,
        stamp: Stamp,
        turn: usize,
    ) -> Result<(u64, u64)> {
        let read_error = |error| Error::Read {
            path: file.path.clone(),
            error,
        };
        let input = File::open(&file.path).map_err(read_error)?;
        // `NAME.jsonl.gz` is read decompressed, as any `NAME.gz` is (a line at a time, so
        // however far it inflates, no more than a line is held).
        let input: Box<dyn std::io::Read> = match corpus::is_compressed(&file.path) {
            true => Box::new(corpus::gunzip(BufReader::new(input))),
            false => Box::new(input),
        };
        let mut records = jsonl::Records::new(BufReader::with_capacity(64 << 10, input));
        let mut ids = jsonl::Ids::default();
        let mut batch = Batch::new(turn);
        let (mut documents, mut paragraphs) = (0, 0);
        // Said once the whole file is read: a file cut short by a read error (damaged gzip data)
        // is a failure, and its records' warnings would be about records it does not keep.
        let pending = std::cell::RefCell::new(Vec::new());
        let warn = |problem| pending.borrow_mut().push(problem);
        let mut lossy = false;
        while let Some(next) = records.next_record().map_err(read_error)? {
            let record = match next {
                Ok(record) => record,
                Err(problem) => {
                    warn(problem);
                    continue;
                }
            };
            if record.lossy && !std::mem::replace(&mut lossy, true) {
                // Said once for the collection, as for a text file.
                warn(crate::warning::FileProblem::NotUtf8);
            }
            let record_key = format!("{key}#{}", record.id);
            if record_key.len() > MAX_KEY_BYTES {
                // The index could not find (replace, show, remove) a record by a longer key.
                warn(crate::warning::FileProblem::BadRecord {
                    line: record.line,
                    reason: format!(
                        "its id is {} bytes long, over what a record's name may be ({} bytes \
                         with the collection's path); skipped",
                        record.id.len(),
                        MAX_KEY_BYTES
                    ),
                });
                continue;
            }
            if let Some((replaced, problem)) = ids.see(&record) {
                warn(problem);
                // The earlier record may be in the batch or already with the writer.
                self.flush(&mut batch)?;
                self.delete_record(key, &record_key)?;
                documents -= u64::from(replaced.paragraphs > 0);
                paragraphs -= replaced.paragraphs;
            }
            // A record of a title alone (BEIR collections hold some) is the title's document:
            // its text, indexed once (not weighted again as a title).
            let title_alone = record.text.trim().is_empty() && record.title.is_some();
            let (text, title) = match (title_alone, &record.title) {
                (true, Some(title)) => (title.as_str(), None),
                _ => (record.text.as_str(), record.title.clone()),
            };
            let mut stream = corpus::paragraphs(corpus::Format::Plain, text, Default::default());
            stream.title = title;
            let document = DocumentKeys {
                key: &record_key,
                source: key,
            };
            let offsets = OffsetMap::new("", Encoding::Utf8 { bom: false });
            let gave = self.add(document, stream, offsets, stamp, &mut batch)?;
            ids.gave(&record.id, gave);
            if gave == 0 {
                // No document of the index, and said so.
                warn(crate::warning::FileProblem::EmptyRecord {
                    line: record.line,
                    id: record.id.clone(),
                });
            }
            documents += u64::from(gave > 0);
            paragraphs += gave;
        }
        self.flush(&mut batch)?;
        for problem in pending.into_inner() {
            self.warn(FileWarning {
                path: file.path.clone(),
                problem,
            });
        }
        Ok((documents, paragraphs))
    }

    /// Removes the paragraphs of the record `record_key` of the collection `source`, and only
    /// those (a file whose path is the record's key keeps its own).
    fn delete_record(&self, source: &str, record_key: &str) -> Result<()> {
        let fields = self.index.fields;
        let term = |field, text: &str| -> Box<dyn tantivy::query::Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::Basic,
            ))
        };
        let query = BooleanQuery::new(vec![
            (Occur::Must, term(fields.path, record_key)),
            (Occur::Must, term(fields.source, source)),
        ]);
        self.writer
            .delete_query(Box::new(query))
            .map_err(|e| damaged(&self.index.dir, e))?;
        Ok(())
    }
}
