//! Search's side of the policy in [`super`]: ranking hits of equal score by path, then
//! paragraph. [`SegmentTop`] keeps a segment's best hits as the collector offers them (strategy
//! 1 in a segment in path order, 2 elsewhere, and [`takes_first_matches`] for 3); [`rank`]
//! orders the hits of all segments, reading for equal scores only what their strategy needs
//! through [`TieKeys`]. The collector (`search::collect`) supplies the index's lookups.

use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};

use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Score};

/// Above this many documents (beyond the list's length) tied with a segment's lowest kept
/// score, the segment ranks by path as it goes instead of keeping them all: such a query
/// (a prefix, where every match scores the same) will need the paths anyway.
const MAX_TIED: usize = 32;

/// Up to this many hits of equal score are ordered by the paths in their stored documents
/// (which the kept ones need for output anyway) rather than by opening path columns.
const STORED_TIES: usize = 32;

/// A candidate hit of a segment: its path ordinal is known only if the segment had to rank by
/// path (see [`SegmentTop`]); otherwise it is looked up when equal scores need it.
#[derive(Debug, Clone, Copy)]
pub struct TopHit {
    /// BM25 score.
    pub score: Score,
    /// The path's ordinal in its segment's path column, when already read.
    pub path_ord: Option<u64>,
    /// Where it is.
    pub address: DocAddress,
}

/// A document in a segment's top list, compared by score (higher first), then path ordinal,
/// then document number (lower first). Ingest adds a file's paragraphs as one batch, so within a
/// path the document number follows the paragraph number. While a segment's list is kept by
/// score alone, or by document number (a segment in path order), every `path` is 0.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    score: Score,
    path: u64,
    doc: DocId,
}

impl Ranked {
    /// Worse documents compare greater, so a max-heap keeps the worst on top.
    #[inline]
    fn rank_cmp(&self, other: &Ranked) -> std::cmp::Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then_with(|| (self.path, self.doc).cmp(&(other.path, other.doc)))
    }
}

impl PartialEq for Ranked {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.rank_cmp(other).is_eq()
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    #[inline]
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rank_cmp(other)
    }
}

/// A segment's path ordinals by document number: its path column.
pub trait PathOrds {
    /// The ordinal of `doc`'s path (`u64::MAX`, last among equal scores, when unknown).
    fn path_ord(&self, doc: DocId) -> u64;
}

/// A path column, or none (the segment has none, or it could not be opened).
impl PathOrds for Option<StrColumn> {
    #[inline]
    fn path_ord(&self, doc: DocId) -> u64 {
        match self {
            Some(paths) => paths.ords().first(doc).unwrap_or(u64::MAX),
            None => u64::MAX,
        }
    }
}

/// Strategy 3: when every match scores the same and the segment is in path order, its first
/// matches (in document order) are its best, so the collector offers matches only until
/// [`SegmentTop::is_full`] and counts the rest. Not while pruning, which counts apart.
pub fn takes_first_matches(constant_score: bool, path_ordered: bool, pruning: bool) -> bool {
    constant_score && path_ordered && !pruning
}

/// Per segment: a bounded heap of the best documents, the worst on top. In a segment in path
/// order (strategy 1), documents come in path order, so the heap is kept by score and document
/// number and a later document never beats an equal score. Otherwise (strategy 2) the heap is
/// first kept by score alone, with the documents that tie with its lowest score set aside in
/// `tied` (any of them may still belong in the list once paths are compared); if too many tie,
/// the segment's path column is opened and the heap is kept by score and path from then on.
pub struct SegmentTop<P> {
    /// The segment's documents are in path order.
    path_ordered: bool,
    /// The path column, once ranking by path.
    paths: Option<P>,
    wanted: usize,
    best: BinaryHeap<Ranked>,
    tied: Vec<DocId>,
}

impl<P: PathOrds> SegmentTop<P> {
    /// An empty list of `wanted` places for a segment, in path order or not. Unless it is in
    /// path order (where no path is needed), it ranks by path from the start when `opened`
    /// gives its path column (one already opened).
    pub fn new(
        wanted: usize,
        path_ordered: bool,
        opened: impl FnOnce() -> Option<P>,
    ) -> SegmentTop<P> {
        SegmentTop {
            path_ordered,
            paths: if path_ordered { None } else { opened() },
            wanted,
            best: BinaryHeap::new(),
            tied: Vec::new(),
        }
    }

    /// True when the segment's documents are in path order.
    pub fn path_ordered(&self) -> bool {
        self.path_ordered
    }

    /// True when every place of the list is taken.
    pub fn is_full(&self) -> bool {
        self.best.len() >= self.wanted
    }

    /// Offers `doc`, which scored `score`; documents must come in increasing number.
    /// `open_paths` opens the segment's path column, if too many documents tie.
    #[inline]
    pub fn offer(&mut self, doc: DocId, score: Score, open_paths: impl FnOnce() -> P) {
        if self.wanted == 0 {
            return;
        }
        if self.path_ordered {
            self.offer_in_path_order(doc, score);
        } else if self.paths.is_some() {
            self.offer_by_path(doc, score);
        } else {
            self.offer_by_score(doc, score, open_paths);
        }
    }

    /// The score a document must exceed to be worth offering: just below the worst kept score
    /// once the list is full (an equal score may still win on its path), else any score.
    pub fn threshold(&self) -> Score {
        match self.best.peek() {
            Some(worst) if self.best.len() >= self.wanted && self.path_ordered => worst.score,
            Some(worst) if self.best.len() >= self.wanted => just_below(worst.score),
            _ => Score::MIN,
        }
    }

    /// The kept documents and those tied with the lowest kept score, as hits of segment
    /// `segment` (with their path ordinals when the segment ranked by path).
    pub fn harvest(self, segment: u32) -> Vec<TopHit> {
        let by_path = self.paths.is_some();
        let tied_score = self.best.peek().map(|worst| worst.score);
        let mut hits: Vec<TopHit> = self
            .best
            .into_iter()
            .map(|r| TopHit {
                score: r.score,
                path_ord: by_path.then_some(r.path),
                address: DocAddress::new(segment, r.doc),
            })
            .collect();
        if let Some(score) = tied_score {
            hits.extend(self.tied.into_iter().map(|doc| TopHit {
                score,
                path_ord: None,
                address: DocAddress::new(segment, doc),
            }));
        }
        hits
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
    #[inline]
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
            Some(paths) => paths.path_ord(doc),
            None => u64::MAX,
        };
        self.keep(Ranked { score, path, doc });
    }

    /// Keeps `doc` if it ranks among the best by score, setting aside those that tie with
    /// the lowest kept score.
    fn offer_by_score(&mut self, doc: DocId, score: Score, open_paths: impl FnOnce() -> P) {
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
            self.rank_by_path(open_paths());
        }
    }

    /// Switches to ranking by path: the kept and tied documents are offered again with theirs.
    fn rank_by_path(&mut self, paths: P) {
        self.paths = Some(paths);
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

/// What ordering equal scores may read about hits: the index's, through the collector's
/// session (or a test's tables). Each is read only for hits whose strategy needs it.
pub trait TieKeys {
    /// True when segment `segment`'s documents are in path order.
    fn in_path_order(&self, segment: u32) -> bool;
    /// The stored path and paragraph number of the document at `address`.
    fn stored_key(&mut self, address: DocAddress) -> tantivy::Result<(String, u64)>;
    /// The ordinal of the path of the document at `address` in its segment's path column
    /// (`u64::MAX` when it has none).
    fn path_ord(&mut self, address: DocAddress) -> tantivy::Result<u64>;
    /// Calls `found` with the path of each of `ords` (sorted, each once) in segment `segment`'s
    /// path column, in that order, stopping at the first it cannot read.
    fn path_names(
        &mut self,
        segment: u32,
        ords: &[u64],
        found: &mut dyn FnMut(&[u8]),
    ) -> tantivy::Result<()>;
    /// The paragraph number of the document at `address` (`u64::MAX` when unknown).
    fn paragraph(&mut self, address: DocAddress) -> tantivy::Result<u64>;
}

/// Sorts the hits of all segments by score (higher first), and orders each run of equal scores
/// that reaches into the first `end` places by path, then paragraph: merged by document number
/// when all its segments are in path order (strategy 1), else by the paths of those hits only
/// (strategy 2). Places after `end` are left in any order.
pub fn rank(hits: &mut [TopHit], end: usize, keys: &mut impl TieKeys) -> tantivy::Result<()> {
    hits.sort_by(|a, b| b.score.total_cmp(&a.score));
    let end = end.min(hits.len());
    let mut start = 0;
    while start < end {
        let run = hits[start..]
            .iter()
            .take_while(|h| h.score == hits[start].score)
            .count();
        let tied = &mut hits[start..start + run];
        let in_path_order = tied
            .iter()
            .all(|h| keys.in_path_order(h.address.segment_ord));
        if run > 1 && in_path_order {
            merge_in_path_order(tied, end - start, keys)?;
        } else if run > 1 && run <= STORED_TIES {
            order_by_stored_path(tied, keys)?;
        } else if run > 1 {
            for hit in tied.iter_mut() {
                if hit.path_ord.is_none() {
                    hit.path_ord = Some(keys.path_ord(hit.address)?);
                }
            }
            order_by_path_columns(tied, keys)?;
        }
        start += run;
    }
    Ok(())
}

/// Orders hits of equal score that all lie in segments in path order, in the order
/// [`order_by_path_columns`] gives, as far as the first `need` places: within a segment that is
/// document order, so the run is a merge of each segment's hits, and only the hits the merge
/// compares (at most `need` plus one per segment) have their stored path read.
fn merge_in_path_order(
    tied: &mut [TopHit],
    need: usize,
    keys: &mut impl TieKeys,
) -> tantivy::Result<()> {
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
                heads[i] = Some(keys.stored_key(hit.address)?);
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

/// Orders hits of equal score by their stored path and paragraph, then segment and document
/// number (the order [`order_by_path_columns`] gives).
fn order_by_stored_path(tied: &mut [TopHit], keys: &mut impl TieKeys) -> tantivy::Result<()> {
    let keys = tied
        .iter()
        .map(|hit| keys.stored_key(hit.address))
        .collect::<tantivy::Result<Vec<_>>>()?;
    sort_by_path_and_paragraph(tied, keys);
    Ok(())
}

/// Orders hits of equal score by path, then paragraph (then segment and document number, for
/// keys that repeat): within one segment by path ordinal (dictionary order is text order) and
/// document number (paragraph order within a path), across segments by the path text, looked
/// up for all the tied hits of a segment at once. Paragraph numbers are read only for a path
/// found in more than one segment (a file over one writer batch). Every hit's `path_ord` must
/// be known.
fn order_by_path_columns(tied: &mut [TopHit], keys: &mut impl TieKeys) -> tantivy::Result<()> {
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
        let mut next = ords.iter();
        keys.path_names(segment, &ords, &mut |bytes| {
            if let Some(ord) = next.next() {
                names.insert((segment, *ord), String::from_utf8_lossy(bytes).into_owned());
            }
        })?;
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
    let mut path_keys = Vec::with_capacity(tied.len());
    for hit in tied.iter() {
        let paragraph = if split.contains(name(hit)) {
            keys.paragraph(hit.address)?
        } else {
            0
        };
        path_keys.push((name(hit).to_string(), paragraph));
    }
    sort_by_path_and_paragraph(tied, path_keys);
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::cell::Cell;

    /// A synthetic entry.
    #[derive(Debug, Clone)]
    struct Entry {
        path: String,
        paragraph: u64,
        score: Score,
    }

    /// A synthetic segment: its entries in document order.
    #[derive(Debug, Clone)]
    struct Segment {
        entries: Vec<Entry>,
        path_ordered: bool,
    }

    impl Segment {
        /// Its path column's dictionary: each path once, in byte order.
        fn dictionary(&self) -> Vec<&str> {
            let mut paths: Vec<&str> = self.entries.iter().map(|p| p.path.as_str()).collect();
            paths.sort_unstable();
            paths.dedup();
            paths
        }

        /// Its path column: each document's path ordinal.
        fn ords(&self) -> Ords {
            let dictionary = self.dictionary();
            let ord = |p: &Entry| dictionary.binary_search(&p.path.as_str()).unwrap() as u64;
            Ords(self.entries.iter().map(ord).collect())
        }
    }

    struct Ords(Vec<u64>);

    impl PathOrds for Ords {
        fn path_ord(&self, doc: DocId) -> u64 {
            self.0.get(doc as usize).copied().unwrap_or(u64::MAX)
        }
    }

    /// A synthetic index, counting what ordering ties reads of it.
    #[derive(Default)]
    struct Index {
        segments: Vec<Segment>,
        /// Path columns opened while collecting (a segment ranking by path).
        opened: Cell<usize>,
        /// Stored documents, path ordinals, path names and paragraph numbers read.
        stored: usize,
        ords: usize,
        names: usize,
        paragraphs: usize,
    }

    impl Index {
        fn entry(&self, address: DocAddress) -> &Entry {
            &self.segments[address.segment_ord as usize].entries[address.doc_id as usize]
        }

        fn reads(&self) -> usize {
            self.opened.get() + self.stored + self.ords + self.names + self.paragraphs
        }
    }

    impl TieKeys for Index {
        fn in_path_order(&self, segment: u32) -> bool {
            self.segments[segment as usize].path_ordered
        }

        fn stored_key(&mut self, address: DocAddress) -> tantivy::Result<(String, u64)> {
            self.stored += 1;
            let entry = self.entry(address);
            Ok((entry.path.clone(), entry.paragraph))
        }

        fn path_ord(&mut self, address: DocAddress) -> tantivy::Result<u64> {
            self.ords += 1;
            let segment = &self.segments[address.segment_ord as usize];
            Ok(segment.ords().path_ord(address.doc_id))
        }

        fn path_names(
            &mut self,
            segment: u32,
            ords: &[u64],
            found: &mut dyn FnMut(&[u8]),
        ) -> tantivy::Result<()> {
            self.names += ords.len();
            let dictionary = self.segments[segment as usize].dictionary();
            for &ord in ords {
                found(dictionary[ord as usize].as_bytes());
            }
            Ok(())
        }

        fn paragraph(&mut self, address: DocAddress) -> tantivy::Result<u64> {
            self.paragraphs += 1;
            Ok(self.entry(address).paragraph)
        }
    }

    /// How a search runs: `wanted` hits after `offset`, every match scoring the same or not,
    /// with the segments' path columns opened by an earlier query of the session or not.
    #[derive(Debug, Clone, Copy)]
    struct Search {
        wanted: usize,
        offset: usize,
        constant_score: bool,
        columns_open: bool,
    }

    impl Search {
        fn top(wanted: usize) -> Search {
            Search {
                wanted,
                offset: 0,
                constant_score: false,
                columns_open: false,
            }
        }
    }

    /// The hits, as (path, paragraph), and how many matches were offered: what the collector
    /// does, on the synthetic index.
    fn search(index: &mut Index, search: Search) -> (Vec<(String, u64)>, usize) {
        let wanted = search.wanted + search.offset;
        let (mut all, mut offered) = (Vec::new(), 0);
        for (ord, segment) in index.segments.iter().enumerate() {
            let opened = || search.columns_open.then(|| segment.ords());
            let mut top = SegmentTop::new(wanted, segment.path_ordered, opened);
            let first_matches =
                takes_first_matches(search.constant_score, segment.path_ordered, false);
            for (doc, entry) in segment.entries.iter().enumerate() {
                if first_matches && top.is_full() {
                    break;
                }
                offered += 1;
                top.offer(doc as DocId, entry.score, || {
                    index.opened.set(index.opened.get() + 1);
                    segment.ords()
                });
            }
            all.extend(top.harvest(ord as u32));
        }
        rank(&mut all, wanted, index).unwrap();
        let hits = all[search.offset.min(all.len())..]
            .iter()
            .take(search.wanted);
        let keys = hits
            .map(|h| index.entry(h.address))
            .map(|p| (p.path.clone(), p.paragraph))
            .collect();
        (keys, offered)
    }

    /// The policy: every entry by score (higher first), then path, then paragraph.
    fn expected(index: &Index, search: Search) -> Vec<(String, u64)> {
        let mut all: Vec<&Entry> = index.segments.iter().flat_map(|s| &s.entries).collect();
        all.sort_by(|a, b| {
            (b.score.total_cmp(&a.score))
                .then_with(|| (&a.path, a.paragraph).cmp(&(&b.path, b.paragraph)))
        });
        let all = all.into_iter().skip(search.offset).take(search.wanted);
        all.map(|p| (p.path.clone(), p.paragraph)).collect()
    }

    /// A segment of `(path, paragraph, score)` entries, in this order.
    fn segment(path_ordered: bool, entries: &[(&str, u64, Score)]) -> Segment {
        let entries = entries
            .iter()
            .map(|&(path, paragraph, score)| Entry {
                path: path.to_string(),
                paragraph,
                score,
            })
            .collect();
        Segment {
            entries,
            path_ordered,
        }
    }

    fn index(segments: Vec<Segment>) -> Index {
        Index {
            segments,
            ..Index::default()
        }
    }

    fn keys(keys: &[(&str, u64)]) -> Vec<(String, u64)> {
        keys.iter().map(|&(p, n)| (p.to_string(), n)).collect()
    }

    #[test]
    fn strategy_1_ranks_equal_scores_by_document_number_in_a_path_ordered_segment() {
        // Paths in byte order: "a-b" < "a.txt" < "a/x" < "b".
        let entries = [
            ("a-b", 1, 1.0),
            ("a-b", 2, 2.0),
            ("a.txt", 1, 1.0),
            ("a.txt", 2, 1.0),
            ("a/x", 1, 2.0),
            ("b", 1, 1.0),
        ];
        let mut one = index(vec![segment(true, &entries)]);
        let (hits, _) = search(&mut one, Search::top(4));
        let order = [("a-b", 2), ("a/x", 1), ("a-b", 1), ("a.txt", 1)];
        assert_eq!(hits, keys(&order));
        assert_eq!(
            one.reads(),
            0,
            "no path is read in one segment in path order"
        );

        // A file split over two segments in path order: the run is merged by stored key,
        // reading only the hits the merge compares.
        let mut two = index(vec![
            segment(true, &[("a", 1, 1.0), ("a", 2, 1.0), ("c", 1, 1.0)]),
            segment(true, &[("a", 3, 1.0), ("b", 1, 1.0), ("d", 1, 1.0)]),
        ]);
        let (hits, _) = search(&mut two, Search::top(4));
        assert_eq!(hits, keys(&[("a", 1), ("a", 2), ("a", 3), ("b", 1)]));
        assert_eq!(two.ords + two.names + two.paragraphs, 0);
        assert!(two.stored <= 4 + 2, "{} stored reads", two.stored);
    }

    #[test]
    fn strategy_2_reads_paths_only_for_ties() {
        // Records listed against key order: the segment is not in path order.
        let layout = |scores: [Score; 4]| {
            let names = [("z", 1), ("m", 1), ("m", 2), ("a", 1)];
            let entries: Vec<_> = names
                .iter()
                .zip(scores)
                .map(|(&(p, n), s)| (p, n, s))
                .collect();
            index(vec![segment(false, &entries)])
        };
        let mut distinct = layout([4.0, 3.0, 2.0, 1.0]);
        let (hits, _) = search(&mut distinct, Search::top(3));
        assert_eq!(hits, keys(&[("z", 1), ("m", 1), ("m", 2)]));
        assert_eq!(distinct.reads(), 0, "no tie, no path read");

        let mut few = layout([1.0; 4]);
        let (hits, _) = search(&mut few, Search::top(3));
        assert_eq!(hits, keys(&[("a", 1), ("m", 1), ("m", 2)]));
        assert_eq!(
            (few.stored, few.reads()),
            (4, 4),
            "a few ties: stored paths"
        );

        // Many ties: the large segment ranks by path ordinal once too many tie; the run is
        // ordered by path names read from the columns, and by paragraph numbers for the paths
        // found in both segments.
        let names: Vec<String> = (0..120).map(|i| format!("p{:03}", (i * 7) % 120)).collect();
        let large: Vec<(&str, u64, Score)> = names.iter().map(|p| (p.as_str(), 1, 1.0)).collect();
        let mut split = index(vec![
            segment(false, &large),
            segment(false, &[("p000", 2, 1.0), ("p001", 2, 1.0)]),
        ]);
        let many = Search::top(36);
        let (hits, _) = search(&mut split, many);
        assert_eq!(hits, expected(&split, many));
        let first = [("p000", 1), ("p000", 2), ("p001", 1), ("p001", 2)];
        assert_eq!(hits[..4], keys(&first));
        assert_eq!(split.opened.get(), 1, "the large segment ranked by path");
        assert_eq!((split.stored, split.ords, split.paragraphs), (0, 2, 4));
    }

    #[test]
    fn strategy_3_takes_the_first_matches_of_a_path_ordered_segment() {
        let paths: Vec<String> = (0..100).map(|i| format!("f{i:03}")).collect();
        let entries: Vec<(&str, u64, Score)> = paths.iter().map(|p| (p.as_str(), 1, 0.5)).collect();
        let constant = Search {
            constant_score: true,
            offset: 2,
            ..Search::top(5)
        };
        let mut index = index(vec![segment(true, &entries)]);
        let (hits, offered) = search(&mut index, constant);
        assert_eq!(hits, expected(&index, constant));
        assert_eq!(hits[0], ("f002".to_string(), 1));
        assert_eq!(offered, 7, "only the first matches are offered");
        assert_eq!(index.reads(), 0);
        let (all, offered) = search(
            &mut index,
            Search {
                constant_score: false,
                ..constant
            },
        );
        assert_eq!((all, offered), (hits, 100));
    }

    /// Entries spread over up to four segments: paths from a few that sort in byte order
    /// unlike their parts, each file's paragraphs numbered in the order they are listed, and
    /// scores from a few values (so many tie).
    fn layouts() -> impl Strategy<Value = Vec<Segment>> {
        const PATHS: [&str; 6] = ["a", "a-b", "a.txt", "a/x", "b", "é"];
        // Half the entries in the first segment, so that many tie in one segment.
        let segment = prop_oneof![Just(0usize), 0..4usize];
        let entry = (0..PATHS.len(), segment, 1..4u8);
        let entries = prop::collection::vec(entry, 0..200);
        (entries, prop::collection::vec(any::<bool>(), 4)).prop_map(|(entries, ordered)| {
            let mut numbers = [0u64; PATHS.len()];
            let mut segments: Vec<Segment> = ordered
                .iter()
                .map(|&path_ordered| Segment {
                    entries: Vec::new(),
                    path_ordered,
                })
                .collect();
            for (path, segment, score) in entries {
                numbers[path] += 1;
                segments[segment].entries.push(Entry {
                    path: PATHS[path].to_string(),
                    paragraph: numbers[path],
                    score: Score::from(score),
                });
            }
            for segment in segments.iter_mut().filter(|s| s.path_ordered) {
                segment.entries.sort_by(|a, b| a.path.cmp(&b.path));
            }
            segments
        })
    }

    proptest! {
        #[test]
        fn every_strategy_gives_score_then_path_then_paragraph(
            segments in layouts(),
            wanted in 1..40usize,
            offset in 0..8usize,
            constant_score in any::<bool>(),
            columns_open in any::<bool>(),
        ) {
            let mut index = index(segments);
            if constant_score {
                let entries = index.segments.iter_mut().flat_map(|s| &mut s.entries);
                entries.for_each(|p| p.score = 1.0);
            }
            let search_as = Search { wanted, offset, constant_score, columns_open };
            let (hits, _) = search(&mut index, search_as);
            prop_assert_eq!(hits, expected(&index, search_as));
        }
    }

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
