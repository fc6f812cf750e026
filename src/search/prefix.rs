//! Gathering the matches of a set of words in one segment (prefix, fuzzy and pattern queries,
//! `search::exact`): in a sorted list when they are few, and in a bit set of the whole segment
//! only when they are many.

use tantivy::query::Scorer;
use tantivy::{BitSet, DocId, DocSet, Score, TERMINATED};

/// A segment's matches go in a sorted list while their postings (with repeats) number at most
/// one in this many of its documents. Sorting costs some 15 instructions a posting, a bit set
/// zeroes and scans a bit a document (and faults its pages in): on a segment of 400,000
/// paragraphs, `semaph*` (a few hundred postings) is cheaper as a list, `kern*` (10,000) as a
/// set (callgrind).
const SPARSE_RATIO: u64 = 256;

/// The documents matching a set of words in one segment; every match scores the same.
pub(super) enum Matches {
    /// Few: a list, sorted at the end.
    List(Vec<DocId>),
    /// Many: a bit set of the segment.
    Set(BitSet),
}

impl Matches {
    /// The store for `postings` postings in a segment of `max_doc` documents.
    pub(super) fn for_postings(postings: u64, max_doc: u32) -> Matches {
        if postings.saturating_mul(SPARSE_RATIO) <= u64::from(max_doc) {
            Matches::List(Vec::new())
        } else {
            Matches::Set(BitSet::with_max_value(max_doc))
        }
    }

    pub(super) fn add(&mut self, docs: &[DocId]) {
        match self {
            Matches::List(list) => list.extend_from_slice(docs),
            Matches::Set(set) => {
                for &doc in docs {
                    set.insert(doc);
                }
            }
        }
    }

    pub(super) fn into_scorer(self, boost: Score) -> Box<dyn Scorer> {
        match self {
            Matches::List(mut docs) => {
                docs.sort_unstable();
                docs.dedup();
                Box::new(Constant {
                    docs: SortedDocs { docs, at: 0 },
                    score: boost,
                })
            }
            Matches::Set(set) => Box::new(Constant {
                docs: SetDocs::new(set),
                score: boost,
            }),
        }
    }
}

/// Every document of `docs` scores `score`: tantivy's `ConstScorer`, but passing counts on to
/// the documents, which count faster than a step per document.
struct Constant<D> {
    docs: D,
    score: Score,
}

impl<D: DocSet> DocSet for Constant<D> {
    fn advance(&mut self) -> DocId {
        self.docs.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.docs.seek(target)
    }

    fn doc(&self) -> DocId {
        self.docs.doc()
    }

    fn size_hint(&self) -> u32 {
        self.docs.size_hint()
    }

    fn count_including_deleted(&mut self) -> u32 {
        self.docs.count_including_deleted()
    }
}

impl<D: DocSet + 'static> Scorer for Constant<D> {
    fn score(&mut self) -> Score {
        self.score
    }
}

/// A strictly increasing list of documents.
struct SortedDocs {
    docs: Vec<DocId>,
    /// Index of the current document; `docs.len()` once exhausted.
    at: usize,
}

impl DocSet for SortedDocs {
    fn advance(&mut self) -> DocId {
        self.at = (self.at + 1).min(self.docs.len());
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let rest = self.docs.get(self.at..).unwrap_or_default();
        self.at += rest.partition_point(|&doc| doc < target);
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).copied().unwrap_or(TERMINATED)
    }

    fn size_hint(&self) -> u32 {
        u32::try_from(self.docs.len() - self.at).unwrap_or(u32::MAX)
    }

    fn count_including_deleted(&mut self) -> u32 {
        let left = self.size_hint();
        self.at = self.docs.len();
        left
    }
}

/// The documents of a bit set, in order (as tantivy's `BitSetDocSet`), counting those left
/// from the set's size and a population count per 64 documents already passed, rather than a
/// step per document left.
struct SetDocs {
    docs: BitSet,
    /// The 64-document bucket of the current document.
    bucket: u32,
    /// The documents of `bucket` after the current one, one bit each.
    rest: u64,
    doc: DocId,
}

impl SetDocs {
    fn new(docs: BitSet) -> SetDocs {
        let mut set = SetDocs {
            docs,
            bucket: 0,
            rest: 0,
            doc: 0,
        };
        set.rest = set.word(0);
        set.advance();
        set
    }

    /// Buckets of the set (the last may be partly beyond its documents).
    fn buckets(&self) -> u32 {
        self.docs.max_value().div_ceil(64)
    }

    /// The documents of `bucket`, one bit each (none beyond the set).
    fn word(&self, bucket: u32) -> u64 {
        match bucket < self.buckets() {
            true => u64::from_le_bytes(self.docs.tinyset(bucket).into_bytes()),
            false => 0,
        }
    }
}

impl DocSet for SetDocs {
    fn advance(&mut self) -> DocId {
        loop {
            if self.rest != 0 {
                let lowest = self.rest.trailing_zeros();
                self.rest &= self.rest - 1;
                self.doc = (self.bucket * 64) | lowest;
                return self.doc;
            }
            match self.docs.first_non_empty_bucket(self.bucket + 1) {
                Some(bucket) => {
                    self.bucket = bucket;
                    self.rest = self.word(bucket);
                }
                None => {
                    self.doc = TERMINATED;
                    return TERMINATED;
                }
            }
        }
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let bucket = target / 64;
        if bucket >= self.buckets() {
            self.doc = TERMINATED;
            return TERMINATED;
        }
        if bucket > self.bucket {
            self.bucket = bucket;
            self.rest = self.word(bucket);
        }
        self.rest &= u64::MAX << (target % 64);
        self.advance()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        u32::try_from(self.docs.len()).unwrap_or(u32::MAX)
    }

    fn count_including_deleted(&mut self) -> u32 {
        if self.doc == TERMINATED {
            return 0;
        }
        // All of the set less those before the current document: cheap when the walk has
        // only begun, as it has when the first matches were taken and the rest are counted.
        let below = (1u64 << (self.doc % 64)) - 1;
        let before: u64 = (0..self.bucket)
            .map(|bucket| u64::from(self.word(bucket).count_ones()))
            .sum::<u64>()
            + u64::from((self.word(self.bucket) & below).count_ones());
        self.doc = TERMINATED;
        u32::try_from(self.docs.len() as u64 - before).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn set_docs_walk_seek_and_count_as_tantivys_bit_set(
            max_doc in 1u32..700,
            picks in proptest::collection::vec(0u32..700, 0..120),
            moves in proptest::collection::vec((proptest::bool::ANY, 0u32..760), 0..12),
        ) {
            let mut set = BitSet::with_max_value(max_doc);
            for doc in picks.iter().filter(|&&d| d < max_doc) {
                set.insert(*doc);
            }
            let mut ours = SetDocs::new(set.clone());
            let mut theirs = tantivy::query::BitSetDocSet::from(set);
            proptest::prop_assert_eq!(ours.doc(), theirs.doc());
            for (seek, target) in moves {
                if theirs.doc() == TERMINATED {
                    break;
                }
                let (a, b) = match seek {
                    true if target > theirs.doc() => (ours.seek(target), theirs.seek(target)),
                    _ => (ours.advance(), theirs.advance()),
                };
                proptest::prop_assert_eq!(a, b);
            }
            proptest::prop_assert_eq!(ours.count_including_deleted(), theirs.count_including_deleted());
            proptest::prop_assert_eq!(ours.doc(), TERMINATED);
        }
    }

    #[test]
    fn sorted_docs_seek_and_advance() {
        let mut docs = SortedDocs {
            docs: vec![2, 5, 9, 14],
            at: 0,
        };
        assert_eq!(docs.doc(), 2);
        assert_eq!(docs.seek(2), 2);
        assert_eq!(docs.seek(6), 9);
        assert_eq!(docs.size_hint(), 2);
        assert_eq!(docs.advance(), 14);
        assert_eq!(docs.seek(15), TERMINATED);
        assert_eq!(docs.advance(), TERMINATED);
        assert_eq!(docs.size_hint(), 0);
        let mut docs = SortedDocs {
            docs: vec![2, 5, 9, 14],
            at: 1,
        };
        assert_eq!(docs.count_including_deleted(), 3);
        assert_eq!(docs.doc(), TERMINATED);
    }
}
