//! Ingesting files: each file's paragraphs replace whatever the index held for that file, and
//! the whole run becomes visible in one commit.

use std::path::{Path, PathBuf};
use std::time::Instant;

use tantivy::schema::Term;
use tantivy::{IndexWriter, TantivyDocument};

use super::{damaged, path_key, payload_json, ParaIndex};
use crate::corpus::{self, Decoded, Warning};
use crate::error::{Error, Result};

/// How to run an ingest.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Files or directories to ingest.
    pub roots: Vec<PathBuf>,
    /// Memory budget of the index writer, in bytes, across all its threads.
    pub writer_memory: usize,
    /// Indexing threads (at least 1).
    pub threads: usize,
}

impl IngestOptions {
    /// Options with the default budget (256 MB) and one thread per core, at most 4.
    pub fn new(roots: Vec<PathBuf>) -> IngestOptions {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        IngestOptions {
            roots,
            writer_memory: 256 << 20,
            threads: cores.clamp(1, 4),
        }
    }
}

/// What an ingest did.
#[derive(Debug, Default)]
pub struct IngestReport {
    /// Files whose paragraphs are now in the index.
    pub files: u64,
    /// Paragraphs written.
    pub paragraphs: u64,
    /// Bytes read from those files.
    pub bytes: u64,
    /// Wall-clock seconds, from walking to commit.
    pub seconds: f64,
    /// Files skipped or read imperfectly, which did not stop the run.
    pub warnings: Vec<Warning>,
    /// Files that could not be read; everything else was committed.
    pub failures: Vec<Warning>,
}

/// Ingests the files under `options.roots` into `index` and commits.
///
/// Every root is checked before the index is touched; a missing one fails the whole run with
/// nothing written.
pub fn ingest(index: &ParaIndex, options: &IngestOptions) -> Result<IngestReport> {
    let started = Instant::now();
    let walk = corpus::walk(&options.roots, std::slice::from_ref(&index.dir))?;
    let mut writer: IndexWriter<TantivyDocument> = index
        .index
        .writer_with_num_threads(options.threads.max(1), options.writer_memory)
        .map_err(|e| damaged(&index.dir, e))?;
    let mut report = IngestReport {
        warnings: walk.warnings,
        ..IngestReport::default()
    };
    for path in &walk.files {
        match ingest_file(index, &writer, path) {
            Ok(FileOutcome::Indexed {
                paragraphs,
                bytes,
                warning,
            }) => {
                report.files += 1;
                report.paragraphs += paragraphs;
                report.bytes += bytes;
                report.warnings.extend(warning);
            }
            Ok(FileOutcome::Skipped(warning)) => report.warnings.push(warning),
            Err(Error::Read { path, source }) => report.failures.push(Warning {
                path,
                message: source.to_string(),
            }),
            Err(other) => return Err(other),
        }
    }
    let mut commit = writer
        .prepare_commit()
        .map_err(|e| damaged(&index.dir, e))?;
    commit.set_payload(&payload_json());
    commit.commit().map_err(|e| damaged(&index.dir, e))?;
    writer
        .wait_merging_threads()
        .map_err(|e| damaged(&index.dir, e))?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

enum FileOutcome {
    Indexed {
        paragraphs: u64,
        bytes: u64,
        warning: Option<Warning>,
    },
    Skipped(Warning),
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
    let metadata = std::fs::metadata(path).ok()?;
    let modified = metadata
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some((
        metadata.len(),
        u64::try_from(modified.as_nanos()).unwrap_or(u64::MAX),
    ))
}

fn ingest_file(index: &ParaIndex, writer: &IndexWriter, path: &Path) -> Result<FileOutcome> {
    let key = file_key(path)?;
    let fields = index.fields;
    let (size, mtime) = file_stamp(path).unwrap_or_default();
    let decoded = corpus::read(path)?;
    writer.delete_term(Term::from_field_text(fields.path, &key));
    let (text, skipped, lossy) = match decoded {
        Decoded::Binary => {
            return Ok(FileOutcome::Skipped(Warning {
                path: path.to_path_buf(),
                message: "binary file (contains NUL bytes), skipped".into(),
            }))
        }
        Decoded::Text {
            text,
            skipped,
            lossy,
        } => (text, skipped, lossy),
    };
    let paragraphs = corpus::split(&text);
    // Characters before each paragraph, counted once through the text (a BOM is one character).
    let mut chars_before = u64::from(skipped > 0);
    let mut counted_to = 0;
    for paragraph in &paragraphs {
        chars_before += text[counted_to..paragraph.start].chars().count() as u64;
        counted_to = paragraph.start;
        let mut doc = TantivyDocument::new();
        doc.add_text(fields.path, &key);
        doc.add_u64(fields.paragraph, paragraph.number);
        doc.add_u64(fields.line, paragraph.line);
        doc.add_u64(fields.byte_offset, (skipped + paragraph.start) as u64);
        doc.add_u64(fields.char_offset, chars_before);
        doc.add_u64(fields.file_size, size);
        doc.add_u64(fields.file_mtime, mtime);
        doc.add_u64(fields.file_paragraphs, paragraphs.len() as u64);
        doc.add_text(fields.text, paragraph.text);
        doc.add_text(fields.text_exact, paragraph.text);
        writer
            .add_document(doc)
            .map_err(|e| damaged(&index.dir, e))?;
    }
    let warning = lossy.then(|| Warning {
        path: path.to_path_buf(),
        message: "not valid UTF-8; invalid bytes were replaced by U+FFFD, so byte offsets after \
                  them are approximate"
            .into(),
    });
    Ok(FileOutcome::Indexed {
        paragraphs: paragraphs.len() as u64,
        bytes: (skipped + text.len()) as u64,
        warning,
    })
}
