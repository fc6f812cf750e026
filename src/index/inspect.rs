//! Looking inside an index: the files it holds and its overall statistics.

use std::collections::HashMap;
use std::ops::Bound;
use std::path::Path;

use tantivy::collector::DocSetCollector;
use tantivy::query::RangeQuery;
use tantivy::schema::Value;
use tantivy::termdict::TermMerger;
use tantivy::{Searcher, TantivyDocument, Term};

use super::ParaIndex;
use crate::error::Result;

/// One indexed document (a file, or a record of a collection).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// The document's key (see [`super::path_key`]).
    pub key: String,
    /// The key of the file it came from (the same as `key` but for collection records).
    pub source: String,
    /// The content hash of that file when ingested.
    pub hash: u64,
    /// Paragraphs indexed for it.
    pub paragraphs: u64,
    /// Its size in bytes when ingested.
    pub size: u64,
    /// Its modification time when ingested, in nanoseconds since the epoch.
    pub mtime_ns: u64,
    /// An HTML file read whole (every region of the page), not only its main content.
    pub whole_html: bool,
    /// Its stamp was too recent to be trusted when it was read (`corpus::is_racy`).
    pub racy: bool,
}

/// Statistics of an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexStats {
    /// Files with at least one paragraph.
    pub files: u64,
    /// Paragraphs.
    pub paragraphs: u64,
    /// Distinct terms of the (stemmed) text field.
    pub terms: u64,
    /// Bytes the index takes on disk.
    pub index_bytes: u64,
    /// Segments the index is made of.
    pub segments: u64,
    /// Analyzer version the index was built with.
    pub analyzer_version: u32,
    /// Schema version the index was built with.
    pub schema_version: u32,
    /// When the last ingest committed, in seconds since the Unix epoch (if known).
    pub last_ingest: Option<u64>,
}

/// Every indexed file, sorted by key. (Files without paragraphs are not recorded.)
pub fn files(index: &ParaIndex) -> Result<Vec<FileEntry>> {
    files_at(index, &index.searcher()?)
}

/// [`files`] at the commit `searcher` reads (a server answers from the last commit it could
/// open, whatever happened to the index's files since).
pub fn files_at(index: &ParaIndex, searcher: &Searcher) -> Result<Vec<FileEntry>> {
    let fields = index.fields;
    let first_paragraphs = RangeQuery::new(
        Bound::Included(Term::from_field_u64(fields.paragraph, 1)),
        Bound::Included(Term::from_field_u64(fields.paragraph, 1)),
    );
    // In document order: a file's first paragraph often shares its stored block with the
    // files before it, which the store's block cache then decompresses once.
    let mut addresses: Vec<_> = searcher
        .search(&first_paragraphs, &DocSetCollector)?
        .into_iter()
        .collect();
    addresses.sort_unstable();
    let mut entries = Vec::new();
    for address in addresses {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let numbers = fields.stored_numbers(&doc)?;
        let (hash, paragraphs) = numbers.first.unwrap_or_default();
        let key = text(fields.path);
        entries.push(FileEntry {
            source: fields.stored_source(&doc, &key),
            hash,
            key,
            paragraphs,
            size: numbers.file_size,
            mtime_ns: numbers.file_mtime,
            whole_html: numbers.whole_html,
            racy: numbers.racy,
        });
    }
    entries.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(entries)
}

/// Counts the distinct terms of the text field across all segments.
fn distinct_terms(searcher: &tantivy::Searcher, index: &ParaIndex) -> Result<u64> {
    let readers = searcher
        .segment_readers()
        .iter()
        .map(|segment| segment.inverted_index(index.fields.body))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let mut streams = Vec::with_capacity(readers.len());
    for reader in &readers {
        streams.push(reader.terms().stream()?);
    }
    let mut merger = TermMerger::new(streams);
    let mut count = 0;
    while merger.advance() {
        count += 1;
    }
    Ok(count)
}

/// Bytes taken by the files of the segments `searcher` reads (each segment's files are named
/// by its id) and `meta.json`. Files an interrupted ingest left behind are not part of the
/// index and are not counted; the next ingest deletes them.
fn committed_bytes(dir: &Path, searcher: &Searcher) -> u64 {
    // Each segment's id, and the name of the deletions file it reads, if any (an older one
    // may still be on disk until the next ingest deletes it).
    let segments: HashMap<String, Option<String>> = searcher
        .segment_readers()
        .iter()
        .map(|reader| {
            let id = reader.segment_id().uuid_string();
            let deletions = reader.delete_opstamp().map(|o| format!("{id}.{o}.del"));
            (id, deletions)
        })
        .collect();
    let committed = |name: &str| {
        let id = name.split('.').next().unwrap_or_default();
        match segments.get(id) {
            Some(deletions) if name.ends_with(".del") => deletions.as_deref() == Some(name),
            Some(_) => true,
            None => name == "meta.json",
        }
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|entry| committed(&entry.file_name().to_string_lossy()))
        .filter_map(|entry| entry.metadata().ok())
        .map(|metadata| metadata.len())
        .sum()
}

/// The statistics of `index`.
pub fn stats(index: &ParaIndex) -> Result<IndexStats> {
    stats_at(index, &index.searcher()?)
}

/// [`stats`] at the commit `searcher` reads.
pub fn stats_at(index: &ParaIndex, searcher: &Searcher) -> Result<IndexStats> {
    let payload = index.payload.as_ref();
    Ok(IndexStats {
        files: files_at(index, searcher)?.len() as u64,
        paragraphs: searcher.num_docs(),
        terms: distinct_terms(searcher, index)?,
        index_bytes: committed_bytes(&index.dir, searcher),
        segments: searcher.segment_readers().len() as u64,
        analyzer_version: payload
            .as_ref()
            .map_or(crate::analysis::VERSION, |p| p.analyzer_version),
        schema_version: payload
            .as_ref()
            .map_or(super::schema::VERSION, |p| p.schema_version),
        last_ingest: payload.map(|p| p.ingested_at).filter(|&t| t > 0),
    })
}
