//! Collecting the files that hold matches (`--files-with-matches`): per file, how many
//! paragraphs match and the best score, without loading any stored document.

use std::collections::{BTreeMap, HashMap};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::query::Weight;
use tantivy::{DocId, Score, SegmentReader};

use crate::index::schema;

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
pub struct FilesCollector;

/// Per segment: path ordinal → (matches, best score).
pub struct FilesSegmentCollector {
    paths: Option<StrColumn>,
    seen: HashMap<u64, (u64, Score)>,
}

impl Collector for FilesCollector {
    type Fruit = Vec<FileMatch>;
    type Child = FilesSegmentCollector;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(FilesSegmentCollector {
            paths: segment.fast_fields().str(schema::PATH)?,
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

/// A document in a segment's top list, compared by score (higher first), then path, then
/// document number (lower first). Ingest adds a file's passages as one batch, so within a path
/// the document number follows the paragraph number.
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

/// A best hit of a segment. Its path is known by its ordinal in the segment's dictionary; the
/// text is looked up only when equal scores from different segments must be ordered.
#[derive(Clone)]
pub struct TopHit {
    /// BM25 score.
    pub score: Score,
    /// The path's ordinal in its segment's path column.
    path_ord: u64,
    /// The segment's path column, to look the path up.
    paths: Option<StrColumn>,
    /// Where it is.
    pub address: tantivy::DocAddress,
}

/// Orders hits of equal score by path, then paragraph: within one segment by path ordinal
/// (dictionary order is text order) and document number (paragraph order within a path),
/// across segments by the path text, looked up for all the tied hits of a segment at once
/// (the dictionary decompresses each block once). A path lives in one segment only.
fn order_ties(tied: &mut [TopHit]) {
    let one_segment = tied
        .iter()
        .all(|h| h.address.segment_ord == tied[0].address.segment_ord);
    if one_segment {
        tied.sort_by_key(|h| (h.path_ord, h.address.doc_id));
        return;
    }
    let mut by_segment: BTreeMap<u32, (Option<StrColumn>, Vec<u64>)> = BTreeMap::new();
    for hit in tied.iter() {
        let entry = by_segment
            .entry(hit.address.segment_ord)
            .or_insert_with(|| (hit.paths.clone(), Vec::new()));
        entry.1.push(hit.path_ord);
    }
    let mut names: HashMap<(u32, u64), String> = HashMap::new();
    for (segment, (paths, mut ords)) in by_segment {
        ords.sort_unstable();
        ords.dedup();
        let Some(paths) = paths else { continue };
        let mut next = ords.iter();
        let _ = paths.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            if let Some(ord) = next.next() {
                names.insert((segment, *ord), String::from_utf8_lossy(bytes).into_owned());
            }
        });
    }
    let key = |h: &TopHit| {
        let name = names
            .get(&(h.address.segment_ord, h.path_ord))
            .map_or("", String::as_str);
        (name, h.address.segment_ord, h.address.doc_id)
    };
    tied.sort_by(|a, b| key(a).cmp(&key(b)));
}

/// Collects the best `limit` documents after skipping `offset`, ordered by score, then path,
/// then paragraph, so equal scores come out in a stable order. A document's path is only read
/// when its score could place it in the list.
pub struct TopCollector<'a> {
    /// Each segment's path column, by segment ordinal (opened once per session).
    pub paths: &'a [Option<StrColumn>],
    /// How many to keep (`limit + offset` are gathered per segment).
    pub wanted: usize,
    /// How many of the best to skip.
    pub offset: usize,
    /// Skip documents that cannot reach the list (block-max WAND, for terms joined by AND or
    /// OR); only when the collector runs alone, since then it does not see every match.
    pub prune: bool,
}

/// Per segment: a bounded heap of the best documents, the worst on top.
pub struct TopSegmentCollector {
    segment: u32,
    paths: Option<StrColumn>,
    wanted: usize,
    best: std::collections::BinaryHeap<Ranked>,
}

impl TopSegmentCollector {
    /// The score a document must exceed to be worth offering: just below the worst kept score
    /// once the list is full (an equal score may still win on its path), else any score.
    fn threshold(&self) -> Score {
        match self.best.peek() {
            Some(worst) if self.best.len() >= self.wanted => just_below(worst.score),
            _ => Score::MIN,
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

impl Collector for TopCollector<'_> {
    type Fruit = Vec<TopHit>;
    type Child = TopSegmentCollector;

    fn for_segment(&self, segment: u32, reader: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(TopSegmentCollector {
            segment,
            paths: match self.paths.get(segment as usize) {
                Some(column) => column.clone(),
                None => reader.fast_fields().str(schema::PATH)?,
            },
            wanted: self.wanted.saturating_add(self.offset),
            best: std::collections::BinaryHeap::new(),
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
    ) -> tantivy::Result<Vec<TopHit>> {
        let mut child = self.for_segment(segment, reader)?;
        if child.wanted == 0 {
            return Ok(Vec::new());
        }
        let alive = reader.alive_bitset();
        let is_alive = |doc: DocId| alive.is_none_or(|a| a.is_alive(doc));
        if self.prune {
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
        Ok(child.harvest())
    }

    fn merge_fruits(&self, segments: Vec<Vec<TopHit>>) -> tantivy::Result<Vec<TopHit>> {
        let mut all: Vec<TopHit> = segments.into_iter().flatten().collect();
        all.sort_by(|a, b| b.score.total_cmp(&a.score));
        let end = self.offset.saturating_add(self.wanted).min(all.len());
        // Only runs of equal scores that reach into the kept range need ordering.
        let mut start = 0;
        while start < end {
            let run = all[start..]
                .iter()
                .take_while(|h| h.score == all[start].score)
                .count();
            if run > 1 {
                order_ties(&mut all[start..start + run]);
            }
            start += run;
        }
        Ok(all
            .into_iter()
            .skip(self.offset)
            .take(self.wanted)
            .collect())
    }
}

impl SegmentCollector for TopSegmentCollector {
    type Fruit = Vec<TopHit>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.wanted == 0 {
            return;
        }
        let full = self.best.len() >= self.wanted;
        if full && self.best.peek().is_some_and(|worst| score < worst.score) {
            return;
        }
        let candidate = Ranked {
            score,
            path: self
                .paths
                .as_ref()
                .and_then(|p| p.ords().first(doc))
                .unwrap_or(u64::MAX),
            doc,
        };
        if !full {
            self.best.push(candidate);
        } else if let Some(mut worst) = self.best.peek_mut() {
            if candidate < *worst {
                *worst = candidate;
            }
        }
    }

    fn harvest(self) -> Vec<TopHit> {
        let paths = self.paths;
        let segment = self.segment;
        self.best
            .into_sorted_vec()
            .into_iter()
            .map(|r| TopHit {
                score: r.score,
                path_ord: r.path,
                paths: paths.clone(),
                address: tantivy::DocAddress::new(segment, r.doc),
            })
            .collect()
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
