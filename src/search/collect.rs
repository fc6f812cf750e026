//! Collectors: the top hits, ordered by score, then path and paragraph, with pruning for
//! terms joined by AND or OR ([`TopCollector`]); and the files that hold matches
//! (`--files-with-matches`: per file, how many paragraphs match and the best score, without
//! loading any stored document, [`FilesCollector`]). Both read the session's path columns
//! ([`PathColumns`]), each opened at most once.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::query::Weight;
use tantivy::schema::Value;
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, TantivyDocument, TERMINATED};

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
}

/// Collects [`FileMatch`]es, best file first (ties by path).
pub struct FilesCollector<'a> {
    /// Path columns already opened in this session.
    pub paths: &'a PathColumns,
}

/// Per segment: path ordinal → (matches, best score).
pub struct FilesSegmentCollector {
    paths: Option<StrColumn>,
    seen: HashMap<u64, (u64, Score)>,
}

impl Collector for FilesCollector<'_> {
    type Fruit = Vec<FileMatch>;
    type Child = FilesSegmentCollector;

    fn for_segment(&self, ord: u32, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(FilesSegmentCollector {
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
        let entry = self.seen.entry(ord).or_insert((0, Score::MIN));
        entry.0 += 1;
        entry.1 = entry.1.max(score);
    }

    fn harvest(self) -> Vec<FileMatch> {
        let Some(paths) = self.paths else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(self.seen.len());
        let mut name = String::new();
        for (ord, (matches, best_score)) in self.seen {
            name.clear();
            if paths.ord_to_str(ord, &mut name).unwrap_or(false) {
                out.push(FileMatch {
                    path: name.clone(),
                    matches,
                    best_score,
                });
            }
        }
        out
    }
}

/// A document in a segment's top list, compared by score (higher first), then path ordinal,
/// then document number (lower first). Ingest adds a file's passages as one batch, so within a
/// path the document number follows the paragraph number. While a segment's list is kept by
/// score alone, every `path` is 0.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    score: Score,
    path: u64,
    doc: DocId,
}

impl Ranked {
    /// Worse documents compare greater, so a max-heap keeps the worst on top.
    fn rank_cmp(&self, other: &Ranked) -> std::cmp::Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then_with(|| (self.path, self.doc).cmp(&(other.path, other.doc)))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.rank_cmp(other).is_eq()
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rank_cmp(other)
    }
}

/// A candidate hit of a segment: its path ordinal is known only if the segment had to rank by
/// path (see [`TopSegmentCollector`]); otherwise it is looked up when equal scores need it.
#[derive(Debug, Clone, Copy)]
pub struct TopHit {
    /// BM25 score.
    pub score: Score,
    /// The path's ordinal in its segment's path column, when already read.
    path_ord: Option<u64>,
    /// Where it is.
    pub address: tantivy::DocAddress,
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

    /// The path column of segment `ord` of `searcher`.
    fn get(&self, searcher: &Searcher, ord: u32) -> tantivy::Result<Option<StrColumn>> {
        open_cached(self.cell(ord).as_deref(), searcher.segment_reader(ord))
    }
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

/// Orders hits of equal score by path, then paragraph (then segment and document number, for
/// keys that repeat): within one segment by path ordinal (dictionary order is text order) and
/// document number (paragraph order within a path), across segments by the path text, looked
/// up for all the tied hits of a segment at once. Paragraph numbers are read, with
/// `paragraph_of`, only for a path found in more than one segment (a file over one writer
/// batch). Every hit's `path_ord` must be known.
fn order_ties(
    tied: &mut [TopHit],
    columns: &HashMap<u32, Option<StrColumn>>,
    paragraph_of: &mut dyn FnMut(&TopHit) -> tantivy::Result<u64>,
) -> tantivy::Result<()> {
    let ord = |h: &TopHit| h.path_ord.unwrap_or(u64::MAX);
    let one_segment = tied
        .iter()
        .all(|h| h.address.segment_ord == tied[0].address.segment_ord);
    if one_segment {
        tied.sort_by_key(|h| (ord(h), h.address.doc_id));
        return Ok(());
    }
    let mut by_segment: BTreeMap<u32, Vec<u64>> = BTreeMap::new();
    for hit in tied.iter() {
        by_segment
            .entry(hit.address.segment_ord)
            .or_default()
            .push(ord(hit));
    }
    let mut names: HashMap<(u32, u64), String> = HashMap::new();
    for (segment, mut ords) in by_segment {
        ords.sort_unstable();
        ords.dedup();
        let Some(Some(paths)) = columns.get(&segment) else {
            continue;
        };
        let mut next = ords.iter();
        let _ = paths.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            if let Some(ord) = next.next() {
                names.insert((segment, *ord), String::from_utf8_lossy(bytes).into_owned());
            }
        });
    }
    let name = |h: &TopHit| {
        names
            .get(&(h.address.segment_ord, ord(h)))
            .map_or("", String::as_str)
    };
    let mut segments_of: HashMap<&str, u32> = HashMap::new();
    let mut split: HashSet<&str> = HashSet::new();
    for hit in tied.iter() {
        let segment = *segments_of
            .entry(name(hit))
            .or_insert(hit.address.segment_ord);
        if segment != hit.address.segment_ord {
            split.insert(name(hit));
        }
    }
    let mut keys = Vec::with_capacity(tied.len());
    for hit in tied.iter() {
        let paragraph = if split.contains(name(hit)) {
            paragraph_of(hit)?
        } else {
            0
        };
        keys.push((name(hit).to_string(), paragraph));
    }
    sort_by_path_and_paragraph(tied, keys);
    Ok(())
}

/// Sorts `tied` by `keys` (path, paragraph; one per hit, in the same order), then segment and
/// document number.
fn sort_by_path_and_paragraph(tied: &mut [TopHit], keys: Vec<(String, u64)>) {
    let mut keyed: Vec<((String, u64), TopHit)> =
        keys.into_iter().zip(tied.iter().copied()).collect();
    keyed.sort_by(|(a, x), (b, y)| {
        (a, x.address.segment_ord, x.address.doc_id).cmp(&(
            b,
            y.address.segment_ord,
            y.address.doc_id,
        ))
    });
    for (slot, (_, hit)) in tied.iter_mut().zip(keyed) {
        *slot = hit;
    }
}

/// Collects the best `limit` documents after skipping `offset`, ordered by score, then path,
/// then paragraph, so equal scores come out in a stable order. Paths are read only when
/// equal scores reach the list.
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

/// Up to this many hits of equal score are ordered by the paths in their stored documents
/// (which the kept ones need for output anyway) rather than by opening path columns.
const STORED_TIES: usize = 32;

impl TopCollector<'_> {
    /// The stored path and paragraph number of `hit`.
    fn stored_key(&self, hit: &TopHit) -> tantivy::Result<(String, u64)> {
        let doc: TantivyDocument = self.searcher.doc(hit.address)?;
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

    /// Orders hits of equal score by their stored path and paragraph, then segment and
    /// document number (the order [`order_ties`] gives).
    fn order_ties_by_stored_path(&self, tied: &mut [TopHit]) -> tantivy::Result<()> {
        let keys = tied
            .iter()
            .map(|hit| self.stored_key(hit))
            .collect::<tantivy::Result<Vec<_>>>()?;
        sort_by_path_and_paragraph(tied, keys);
        Ok(())
    }

    /// Orders hits of equal score that all lie in segments in path order, in the order
    /// [`order_ties`] gives, as far as the first `need` places: within a segment that is
    /// document order, so the run is a merge of each segment's hits, and only the hits the
    /// merge compares (at most `need` plus one per segment) have their stored path read.
    fn merge_ties_in_path_order(&self, tied: &mut [TopHit], need: usize) -> tantivy::Result<()> {
        let mut lists: BTreeMap<u32, Vec<TopHit>> = BTreeMap::new();
        for hit in tied.iter() {
            lists.entry(hit.address.segment_ord).or_default().push(*hit);
        }
        // Each list in document order, taken from the front through `next`.
        let mut lists: Vec<(Vec<TopHit>, usize)> = lists
            .into_values()
            .map(|mut hits| {
                hits.sort_by_key(|h| h.address.doc_id);
                (hits, 0)
            })
            .collect();
        let mut heads: Vec<Option<(String, u64)>> = vec![None; lists.len()];
        let mut merged = Vec::with_capacity(tied.len());
        while merged.len() < need.min(tied.len()) {
            let open = lists
                .iter()
                .filter(|(hits, next)| *next < hits.len())
                .count();
            let mut best: Option<usize> = None;
            for i in 0..lists.len() {
                let (hits, next) = &lists[i];
                let Some(hit) = hits.get(*next) else { continue };
                if heads[i].is_none() && open > 1 {
                    heads[i] = Some(self.stored_key(hit)?);
                }
                // Lists are in segment order, so the first of equal keys wins.
                if best.is_none_or(|b| heads[i] < heads[b]) {
                    best = Some(i);
                }
            }
            let Some(b) = best else { break };
            let (hits, next) = &mut lists[b];
            merged.push(hits[*next]);
            *next += 1;
            heads[b] = None;
        }
        // The rest fall outside the kept places; any order will do.
        for (hits, next) in &lists {
            merged.extend_from_slice(&hits[*next..]);
        }
        tied.copy_from_slice(&merged);
        Ok(())
    }
}

/// Above this many documents (beyond the list's length) tied with a segment's lowest kept
/// score, the segment ranks by path as it goes instead of keeping them all: such a query
/// (a prefix, where every match scores the same) will need the paths anyway.
const MAX_TIED: usize = 32;

/// Per segment: a bounded heap of the best documents, the worst on top. In a segment in path
/// order, documents come in path order, so the heap is kept by score and document number and
/// a later document never beats an equal score. Otherwise the heap is first kept by score
/// alone, with the documents that tie with its lowest score set aside in `tied` (any of them
/// may still belong in the list once paths are compared); if too many tie, the segment's path
/// column is opened and the heap is kept by score and path from then on.
pub struct TopSegmentCollector {
    segment: u32,
    /// The segment's documents are in path order.
    path_ordered: bool,
    reader: SegmentReader,
    /// The session's cache of this segment's path column.
    cache: Option<Arc<OnceLock<Option<StrColumn>>>>,
    /// The path column, once ranking by path.
    paths: Option<Option<StrColumn>>,
    wanted: usize,
    best: std::collections::BinaryHeap<Ranked>,
    tied: Vec<DocId>,
    /// Documents offered (every match when the segment is not pruned).
    matches: u64,
    failed: Option<tantivy::TantivyError>,
}

impl TopSegmentCollector {
    /// The score a document must exceed to be worth offering: just below the worst kept score
    /// once the list is full (an equal score may still win on its path), else any score.
    fn threshold(&self) -> Score {
        match self.best.peek() {
            Some(worst) if self.best.len() >= self.wanted && self.path_ordered => worst.score,
            Some(worst) if self.best.len() >= self.wanted => just_below(worst.score),
            _ => Score::MIN,
        }
    }

    /// Keeps `doc` if it ranks among the best by score, then document number (a segment in
    /// path order: documents come in increasing number, so an equal score never wins).
    fn offer_in_path_order(&mut self, doc: DocId, score: Score) {
        self.keep(Ranked {
            score,
            path: 0,
            doc,
        });
    }

    /// Puts `candidate` in the list if there is room, or in place of the worst kept document
    /// if it ranks above it.
    fn keep(&mut self, candidate: Ranked) {
        if self.best.len() < self.wanted {
            self.best.push(candidate);
        } else if let Some(mut worst) = self.best.peek_mut() {
            if candidate < *worst {
                *worst = candidate;
            }
        }
    }

    /// Keeps `doc` if it ranks among the best by score and path (ranking by path).
    fn offer_by_path(&mut self, doc: DocId, score: Score) {
        let full = self.best.len() >= self.wanted;
        if full && self.best.peek().is_some_and(|worst| score < worst.score) {
            return;
        }
        let path = match &self.paths {
            Some(Some(paths)) => paths.ords().first(doc).unwrap_or(u64::MAX),
            _ => u64::MAX,
        };
        self.keep(Ranked { score, path, doc });
    }

    /// Keeps `doc` if it ranks among the best by score, setting aside those that tie with
    /// the lowest kept score.
    fn offer_by_score(&mut self, doc: DocId, score: Score) {
        let candidate = Ranked {
            score,
            path: 0,
            doc,
        };
        if self.best.len() < self.wanted {
            self.best.push(candidate);
            return;
        }
        let Some(worst) = self.best.peek().copied() else {
            return;
        };
        if score < worst.score {
            return;
        }
        if score == worst.score {
            self.tied.push(doc);
        } else {
            if let Some(mut top) = self.best.peek_mut() {
                *top = candidate;
            }
            let lowest = self.best.peek().map_or(score, |w| w.score);
            if lowest > worst.score {
                self.tied.clear();
            } else {
                self.tied.push(worst.doc);
            }
        }
        if self.tied.len() > self.wanted.saturating_add(MAX_TIED) {
            self.rank_by_path();
        }
    }

    /// Switches to ranking by path: the kept and tied documents are offered again with theirs.
    fn rank_by_path(&mut self) {
        match open_cached(self.cache.as_deref(), &self.reader) {
            Ok(column) => self.paths = Some(column),
            Err(error) => {
                self.failed = Some(error);
                self.paths = Some(None);
            }
        }
        let tied_score = self.best.peek().map(|worst| worst.score);
        let mut entries: Vec<(DocId, Score)> =
            self.best.drain().map(|r| (r.doc, r.score)).collect();
        if let Some(score) = tied_score {
            entries.extend(
                std::mem::take(&mut self.tied)
                    .into_iter()
                    .map(|doc| (doc, score)),
            );
        }
        for (doc, score) in entries {
            self.offer_by_path(doc, score);
        }
    }
}

/// The largest score smaller than `score` (finite scores).
fn just_below(score: Score) -> Score {
    if !score.is_finite() || score == Score::MIN {
        return Score::MIN;
    }
    let bits = score.to_bits();
    if score == 0.0 {
        -Score::from_bits(1)
    } else if score > 0.0 {
        Score::from_bits(bits - 1)
    } else {
        Score::from_bits(bits + 1)
    }
}

/// The best hits, and how many documents were offered (every match, unless pruned).
pub type TopFruit = (u64, Vec<TopHit>);

impl Collector for TopCollector<'_> {
    type Fruit = TopFruit;
    type Child = TopSegmentCollector;

    fn for_segment(&self, segment: u32, reader: &SegmentReader) -> tantivy::Result<Self::Child> {
        let cache = self.paths.cell(segment);
        let path_ordered = self.paths.in_path_order(segment);
        // A column this session already opened ranks by path from the start (unless the
        // segment is in path order, where no path is needed).
        let paths = match path_ordered {
            true => None,
            false => cache.as_ref().and_then(|cell| cell.get().cloned()),
        };
        Ok(TopSegmentCollector {
            segment,
            path_ordered,
            reader: reader.clone(),
            cache,
            paths,
            wanted: self.wanted.saturating_add(self.offset),
            best: std::collections::BinaryHeap::new(),
            tied: Vec::new(),
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
        if self.constant_score && child.path_ordered && !self.prune {
            let mut scorer = weight.scorer(reader, 1.0)?;
            let mut doc = scorer.doc();
            while doc != TERMINATED && child.best.len() < child.wanted {
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
                child.threshold()
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
        all.sort_by(|a, b| b.score.total_cmp(&a.score));
        let end = self.offset.saturating_add(self.wanted).min(all.len());
        // Only runs of equal scores that reach into the kept range need ordering, and only
        // their segments' paths (and paragraphs) are read.
        let mut columns: HashMap<u32, Option<StrColumn>> = HashMap::new();
        let mut paragraphs: HashMap<u32, Option<Column<u64>>> = HashMap::new();
        let mut paragraph_of = |hit: &TopHit| -> tantivy::Result<u64> {
            let segment = hit.address.segment_ord;
            if let Entry::Vacant(entry) = paragraphs.entry(segment) {
                let reader = self.searcher.segment_reader(segment);
                entry.insert(reader.fast_fields().u64(schema::PARAGRAPH).ok());
            }
            Ok(paragraphs
                .get(&segment)
                .and_then(Option::as_ref)
                .and_then(|c| c.first(hit.address.doc_id))
                .unwrap_or(u64::MAX))
        };
        let mut start = 0;
        while start < end {
            let run = all[start..]
                .iter()
                .take_while(|h| h.score == all[start].score)
                .count();
            let in_path_order = all[start..start + run]
                .iter()
                .all(|h| self.paths.in_path_order(h.address.segment_ord));
            if run > 1 && in_path_order {
                self.merge_ties_in_path_order(&mut all[start..start + run], end - start)?;
            } else if run > 1 && run <= STORED_TIES {
                self.order_ties_by_stored_path(&mut all[start..start + run])?;
            } else if run > 1 {
                let group = &mut all[start..start + run];
                for hit in group.iter_mut() {
                    let segment = hit.address.segment_ord;
                    if let Entry::Vacant(entry) = columns.entry(segment) {
                        entry.insert(self.paths.get(self.searcher, segment)?);
                    }
                    if hit.path_ord.is_none() {
                        let column = columns.get(&segment).and_then(Option::as_ref);
                        let ord = column.and_then(|c| c.ords().first(hit.address.doc_id));
                        hit.path_ord = Some(ord.unwrap_or(u64::MAX));
                    }
                }
                order_ties(group, &columns, &mut paragraph_of)?;
            }
            start += run;
        }
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
        if self.wanted == 0 {
            return;
        }
        if self.path_ordered {
            self.offer_in_path_order(doc, score);
        } else if self.paths.is_some() {
            self.offer_by_path(doc, score);
        } else {
            self.offer_by_score(doc, score);
        }
    }

    fn harvest(self) -> TopFruit {
        let segment = self.segment;
        let by_path = self.paths.is_some();
        let tied_score = self.best.peek().map(|worst| worst.score);
        let mut hits: Vec<TopHit> = self
            .best
            .into_iter()
            .map(|r| TopHit {
                score: r.score,
                path_ord: by_path.then_some(r.path),
                address: tantivy::DocAddress::new(segment, r.doc),
            })
            .collect();
        if let Some(score) = tied_score {
            hits.extend(self.tied.into_iter().map(|doc| TopHit {
                score,
                path_ord: None,
                address: tantivy::DocAddress::new(segment, doc),
            }));
        }
        (self.matches, hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn just_below_is_the_next_smaller_score() {
        for score in [1.0f32, 12.112048, 1e-30] {
            let below = just_below(score);
            assert!(below < score, "{score}");
            // Nothing lies between: one step up is the score again.
            assert_eq!(Score::from_bits(below.to_bits() + 1), score);
        }
        assert!(just_below(0.0) < 0.0);
        assert!(just_below(-2.5) < -2.5);
        assert_eq!(just_below(1.0), 0.99999994);
        assert_eq!(just_below(Score::MIN), Score::MIN);
        assert_eq!(just_below(Score::NAN), Score::MIN);
    }
}
