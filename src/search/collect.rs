//! Collectors: the top hits, ordered by score, then path and paragraph, with pruning for
//! terms joined by AND or OR ([`TopCollector`]); and the files that hold matches
//! (`--files-with-matches`: per file, how many paragraphs match and the best score, without
//! loading any stored document, [`FilesCollector`]). Both read the session's path columns
//! ([`PathColumns`]), each opened at most once.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::query::Weight;
use tantivy::schema::Value;
use tantivy::{
    DocAddress, DocId, DocSet, Score, Searcher, SegmentReader, TantivyDocument, TERMINATED,
};

use crate::index::order::ties::{rank, takes_first_matches, SegmentTop, TieKeys, TopHit};
use crate::index::{schema, Fields};

/// A file with matching paragraphs.
#[derive(Debug, Clone, PartialEq)]
pub struct FileMatch {
    /// The file's key.
    pub path: String,
    /// How many of its paragraphs match.
    pub matches: u64,
    /// The best score among them.
    pub best_score: f32,
    /// Where one of its matching paragraphs is (for what was stored about the file).
    pub(crate) paragraph: DocAddress,
}

/// Collects [`FileMatch`]es, best file first (ties by path).
pub struct FilesCollector<'a> {
    /// Path columns already opened in this session.
    pub paths: &'a PathColumns,
}

/// Per segment: path ordinal → (matches, best score, a matching document).
pub struct FilesSegmentCollector {
    segment: u32,
    paths: Option<StrColumn>,
    seen: HashMap<u64, (u64, Score, DocId)>,
}

impl Collector for FilesCollector<'_> {
    type Fruit = Vec<FileMatch>;
    type Child = FilesSegmentCollector;

    fn for_segment(&self, ord: u32, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(FilesSegmentCollector {
            segment: ord,
            paths: open_cached(self.paths.cell(ord).as_deref(), segment)?,
            seen: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<Vec<FileMatch>>) -> tantivy::Result<Vec<FileMatch>> {
        let mut by_path: HashMap<String, FileMatch> = HashMap::new();
        for file in segments.into_iter().flatten() {
            match by_path.get_mut(&file.path) {
                Some(existing) => {
                    existing.matches += file.matches;
                    existing.best_score = existing.best_score.max(file.best_score);
                }
                None => {
                    by_path.insert(file.path.clone(), file);
                }
            }
        }
        let mut files: Vec<FileMatch> = by_path.into_values().collect();
        files.sort_by(|a, b| {
            b.best_score
                .total_cmp(&a.best_score)
                .then_with(|| a.path.cmp(&b.path))
        });
        Ok(files)
    }
}

impl SegmentCollector for FilesSegmentCollector {
    type Fruit = Vec<FileMatch>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let Some(ord) = self.paths.as_ref().and_then(|p| p.ords().first(doc)) else {
            return;
        };
        let entry = self.seen.entry(ord).or_insert((0, Score::MIN, doc));
        entry.0 += 1;
        entry.1 = entry.1.max(score);
    }

    fn harvest(self) -> Vec<FileMatch> {
        let Some(paths) = self.paths else {
            return Vec::new();
        };
        // Paths are looked up in ordinal order, in one pass through the dictionary: looked up
        // one at a time, each would decode its block from the start (most of the time of a
        // query matching thousands of files).
        let mut seen: Vec<(u64, (u64, Score, DocId))> = self.seen.into_iter().collect();
        seen.sort_unstable_by_key(|(ord, _)| *ord);
        let ords: Vec<u64> = seen.iter().map(|(ord, _)| *ord).collect();
        let mut names: Vec<String> = Vec::with_capacity(ords.len());
        let found = paths
            .dictionary()
            .sorted_ords_to_term_cb(&ords, |bytes| {
                names.push(String::from_utf8_lossy(bytes).into_owned());
            })
            .unwrap_or(false);
        if !found || names.len() != seen.len() {
            return Vec::new();
        }
        let segment = self.segment;
        seen.into_iter()
            .zip(names)
            .map(|((_, (matches, best_score, doc)), path)| FileMatch {
                path,
                matches,
                best_score,
                paragraph: DocAddress::new(segment, doc),
            })
            .collect()
    }
}

/// Each segment's path column, opened at most once per session, and only when equal scores
/// must be ordered by path; and which segments need no path to order equal scores, because
/// their documents are in path order.
pub struct PathColumns {
    columns: Vec<Arc<OnceLock<Option<StrColumn>>>>,
    ordered: Vec<bool>,
}

impl PathColumns {
    /// Room for the columns of the segments of `searcher`, of which `ordered` tells which are
    /// in path order.
    pub fn new(searcher: &Searcher, ordered: impl Fn(SegmentId) -> bool) -> PathColumns {
        let readers = searcher.segment_readers();
        PathColumns {
            columns: readers.iter().map(|_| Arc::new(OnceLock::new())).collect(),
            ordered: readers.iter().map(|r| ordered(r.segment_id())).collect(),
        }
    }

    /// True when segment `ord`'s documents are in path order.
    fn in_path_order(&self, ord: u32) -> bool {
        self.ordered.get(ord as usize).copied().unwrap_or(false)
    }

    /// The cache cell of segment `ord` (none for a segment the session did not open).
    fn cell(&self, ord: u32) -> Option<Arc<OnceLock<Option<StrColumn>>>> {
        self.columns.get(ord as usize).cloned()
    }

    /// The path column of segment `ord`, if it has been opened.
    fn opened(&self, ord: u32) -> Option<StrColumn> {
        self.columns.get(ord as usize)?.get()?.clone()
    }

    /// The path column of segment `ord` of `searcher`.
    fn get(&self, searcher: &Searcher, ord: u32) -> tantivy::Result<Option<StrColumn>> {
        open_cached(self.cell(ord).as_deref(), searcher.segment_reader(ord))
    }
}

/// The key of the file holding the document at `address`: from its segment's path column when
/// the session has opened it, or else from the stored document. A page of hits needs a few
/// keys, and opening a column reads an index of its blocks: about 0.6 ms for a segment of
/// 8 million paragraphs, where a stored document's block is read for the hit's text anyway.
pub fn path_of(
    searcher: &Searcher,
    paths: &PathColumns,
    fields: Fields,
    address: DocAddress,
) -> crate::error::Result<String> {
    if let Some(column) = paths.opened(address.segment_ord) {
        let mut key = String::new();
        if let Some(ord) = column.ords().first(address.doc_id) {
            if column.ord_to_str(ord, &mut key)? {
                return Ok(key);
            }
        }
    }
    let doc: TantivyDocument = searcher.doc(address)?;
    let key = doc.get_first(fields.path).and_then(|v| v.as_str());
    Ok(key.unwrap_or_default().to_string())
}

/// The path column of `reader`, from `cell` or opened into it (opened every time without one).
fn open_cached(
    cell: Option<&OnceLock<Option<StrColumn>>>,
    reader: &SegmentReader,
) -> tantivy::Result<Option<StrColumn>> {
    if let Some(column) = cell.and_then(OnceLock::get) {
        return Ok(column.clone());
    }
    let column = reader.fast_fields().str(schema::PATH)?;
    if let Some(cell) = cell {
        let _ = cell.set(column.clone());
    }
    Ok(column)
}

/// Collects the best `limit` documents after skipping `offset`, ordered by score, then path,
/// then paragraph, so equal scores come out in a stable order. Paths are read only when
/// equal scores reach the list (the strategies of [`crate::index::order`]).
pub struct TopCollector<'a> {
    /// The searcher the collector runs in (to read paths when ordering ties).
    pub searcher: &'a Searcher,
    /// Path columns already opened in this session.
    pub paths: &'a PathColumns,
    /// The schema's fields (the stored path and paragraph order a few ties).
    pub fields: Fields,
    /// How many to keep (`limit + offset` are gathered per segment).
    pub wanted: usize,
    /// How many of the best to skip.
    pub offset: usize,
    /// Skip documents that cannot reach the list (block-max WAND, for terms joined by AND or
    /// OR); only when the collector runs alone, since then it does not see every match.
    pub prune: bool,
    /// Every match scores the same: in a segment in path order the first matches are the
    /// best, and the rest are only counted.
    pub constant_score: bool,
}

/// What ordering the equal scores of one search reads from the index: stored documents, and
/// the path and paragraph columns of the segments it needs, each opened once.
struct IndexKeys<'a> {
    searcher: &'a Searcher,
    paths: &'a PathColumns,
    fields: Fields,
    columns: HashMap<u32, Option<StrColumn>>,
    paragraphs: HashMap<u32, Option<Column<u64>>>,
}

impl IndexKeys<'_> {
    /// Segment `segment`'s path column (through the session's cache).
    fn column(&mut self, segment: u32) -> tantivy::Result<Option<&StrColumn>> {
        if let Entry::Vacant(entry) = self.columns.entry(segment) {
            entry.insert(self.paths.get(self.searcher, segment)?);
        }
        Ok(self.columns.get(&segment).and_then(Option::as_ref))
    }
}

impl TieKeys for IndexKeys<'_> {
    fn in_path_order(&self, segment: u32) -> bool {
        self.paths.in_path_order(segment)
    }

    fn stored_key(&mut self, address: DocAddress) -> tantivy::Result<(String, u64)> {
        let doc: TantivyDocument = self.searcher.doc(address)?;
        let path = doc
            .get_first(self.fields.path)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let paragraph = doc
            .get_first(self.fields.paragraph)
            .and_then(|v| v.as_u64())
            .unwrap_or(u64::MAX);
        Ok((path, paragraph))
    }

    fn path_ord(&mut self, address: DocAddress) -> tantivy::Result<u64> {
        let column = self.column(address.segment_ord)?;
        let ord = column.and_then(|c| c.ords().first(address.doc_id));
        Ok(ord.unwrap_or(u64::MAX))
    }

    fn path_names(
        &mut self,
        segment: u32,
        ords: &[u64],
        found: &mut dyn FnMut(&[u8]),
    ) -> tantivy::Result<()> {
        if let Some(paths) = self.column(segment)? {
            let _ = paths.dictionary().sorted_ords_to_term_cb(ords, found);
        }
        Ok(())
    }

    fn paragraph(&mut self, address: DocAddress) -> tantivy::Result<u64> {
        let segment = address.segment_ord;
        if let Entry::Vacant(entry) = self.paragraphs.entry(segment) {
            let reader = self.searcher.segment_reader(segment);
            entry.insert(reader.fast_fields().u64(schema::PARAGRAPH).ok());
        }
        Ok(self
            .paragraphs
            .get(&segment)
            .and_then(Option::as_ref)
            .and_then(|c| c.first(address.doc_id))
            .unwrap_or(u64::MAX))
    }
}

/// Per segment: its best documents ([`SegmentTop`]), and what collecting them needs besides.
pub struct TopSegmentCollector {
    segment: u32,
    reader: SegmentReader,
    /// The session's cache of this segment's path column.
    cache: Option<Arc<OnceLock<Option<StrColumn>>>>,
    top: SegmentTop<Option<StrColumn>>,
    /// Documents offered (every match when the segment is not pruned).
    matches: u64,
    failed: Option<tantivy::TantivyError>,
}

/// The path column of `reader` (from `cache`, or opened into it), or none with the error kept
/// in `failed`.
fn open_paths(
    cache: Option<&OnceLock<Option<StrColumn>>>,
    reader: &SegmentReader,
    failed: &mut Option<tantivy::TantivyError>,
) -> Option<StrColumn> {
    open_cached(cache, reader).unwrap_or_else(|error| {
        *failed = Some(error);
        None
    })
}

/// The best hits, and how many documents were offered (every match, unless pruned).
pub type TopFruit = (u64, Vec<TopHit>);

impl Collector for TopCollector<'_> {
    type Fruit = TopFruit;
    type Child = TopSegmentCollector;

    fn for_segment(&self, segment: u32, reader: &SegmentReader) -> tantivy::Result<Self::Child> {
        let cache = self.paths.cell(segment);
        let path_ordered = self.paths.in_path_order(segment);
        let wanted = self.wanted.saturating_add(self.offset);
        // A column this session already opened ranks by path from the start.
        let opened = || cache.as_ref().and_then(|cell| cell.get().cloned());
        let top = SegmentTop::new(wanted, path_ordered, opened);
        Ok(TopSegmentCollector {
            segment,
            reader: reader.clone(),
            cache,
            top,
            matches: 0,
            failed: None,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<TopFruit> {
        let mut child = self.for_segment(segment, reader)?;
        let alive = reader.alive_bitset();
        let is_alive = |doc: DocId| alive.is_none_or(|a| a.is_alive(doc));
        if takes_first_matches(self.constant_score, child.top.path_ordered(), self.prune) {
            let mut scorer = weight.scorer(reader, 1.0)?;
            let mut doc = scorer.doc();
            while doc != TERMINATED && !child.top.is_full() {
                if is_alive(doc) {
                    child.collect(doc, scorer.score());
                }
                doc = scorer.advance();
            }
            if doc != TERMINATED {
                child.matches += u64::from(match alive {
                    Some(alive) => scorer.count(alive),
                    None => scorer.count_including_deleted(),
                });
            }
        } else if self.prune {
            weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
                if is_alive(doc) {
                    child.collect(doc, score);
                }
                child.top.threshold()
            })?;
        } else {
            weight.for_each(reader, &mut |doc, score| {
                if is_alive(doc) {
                    child.collect(doc, score);
                }
            })?;
        }
        if let Some(error) = child.failed.take() {
            return Err(error);
        }
        Ok(child.harvest())
    }

    fn merge_fruits(&self, segments: Vec<TopFruit>) -> tantivy::Result<TopFruit> {
        let matches = segments.iter().map(|(n, _)| n).sum();
        let mut all: Vec<TopHit> = segments.into_iter().flat_map(|(_, hits)| hits).collect();
        let end = self.offset.saturating_add(self.wanted);
        // Only runs of equal scores that reach into the kept range need ordering, and only
        // their segments' paths (and paragraphs) are read.
        let mut keys = IndexKeys {
            searcher: self.searcher,
            paths: self.paths,
            fields: self.fields,
            columns: HashMap::new(),
            paragraphs: HashMap::new(),
        };
        rank(&mut all, end, &mut keys)?;
        let hits = all
            .into_iter()
            .skip(self.offset)
            .take(self.wanted)
            .collect();
        Ok((matches, hits))
    }
}

impl SegmentCollector for TopSegmentCollector {
    type Fruit = TopFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.matches += 1;
        let (cache, reader, failed) = (self.cache.as_deref(), &self.reader, &mut self.failed);
        self.top
            .offer(doc, score, || open_paths(cache, reader, failed));
    }

    fn harvest(self) -> TopFruit {
        (self.matches, self.top.harvest(self.segment))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{ingested_for_test, open};

    #[test]
    fn a_path_is_the_same_from_the_stored_document_and_from_the_column() {
        let temp = assert_fs::TempDir::new().unwrap();
        let text = "alpha\n\nbeta alpha\n";
        let files = [("b.txt", text), ("a.md", text), ("sub/c.txt", text)];
        ingested_for_test(temp.path(), &files);
        let index = open(&temp.path().join("index")).unwrap();
        let searcher = index.searcher().unwrap();
        let paths = PathColumns::new(&searcher, |_| false);
        let addresses: Vec<DocAddress> = searcher
            .segment_readers()
            .iter()
            .enumerate()
            .flat_map(|(ord, reader)| {
                (0..reader.max_doc()).map(move |doc| DocAddress::new(ord as u32, doc))
            })
            .collect();
        assert_eq!(addresses.len(), 6);
        // Nothing opened the columns: paths come from the stored documents.
        let stored: Vec<String> = addresses
            .iter()
            .map(|&a| path_of(&searcher, &paths, index.fields, a).unwrap())
            .collect();
        for ord in 0..searcher.segment_readers().len() as u32 {
            assert!(paths.opened(ord).is_none());
            assert!(paths.get(&searcher, ord).unwrap().is_some());
        }
        let from_columns: Vec<String> = addresses
            .iter()
            .map(|&a| path_of(&searcher, &paths, index.fields, a).unwrap())
            .collect();
        assert_eq!(stored, from_columns);
        let mut files = stored.clone();
        files.sort();
        files.dedup();
        assert_eq!(files.len(), 3, "{files:?}");
        assert!(files.iter().any(|f| f.ends_with("sub/c.txt")), "{files:?}");
    }
}
