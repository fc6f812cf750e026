//! Gathering the matches of a set of words in one segment (prefix, fuzzy and pattern queries,
//! `search::exact`): in a sorted list when they are few, and in a bit set of the whole segment
//! only when they are many; and the end of the dictionary range of a prefix (every term that
//! starts with some bytes is one range of the term dictionary).

use tantivy::query::{BitSetDocSet, ConstScorer, Scorer};
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
                Box::new(ConstScorer::new(SortedDocs { docs, at: 0 }, boost))
            }
            Matches::Set(set) => Box::new(ConstScorer::new(BitSetDocSet::from(set), boost)),
        }
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
}

/// The first byte string after every string that starts with `prefix`: `prefix` with its last
/// byte below 0xFF incremented and what follows dropped; `None` when there is none (an empty
/// prefix, or one of 0xFF bytes only).
pub(super) fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let last = prefix.iter().rposition(|&byte| byte != u8::MAX)?;
    let mut end = prefix[..=last].to_vec();
    end[last] += 1;
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the range walked for `prefix` holds `term`.
    fn in_range(prefix: &str, term: &str) -> bool {
        let term = term.as_bytes();
        term >= prefix.as_bytes() && prefix_end(prefix.as_bytes()).is_none_or(|end| term < &end[..])
    }

    #[test]
    fn the_range_holds_exactly_the_terms_starting_with_the_prefix() {
        assert!(in_range("semicond", "semiconductor"));
        assert!(in_range("semicond", "semicond"));
        assert!(!in_range("semicond", "semicon"));
        assert!(!in_range("semicond", "semicone"));
        assert!(!in_range("semicond", "asemicond"));
        assert!(in_range("", "anything"));
        assert!(in_range("café", "cafés"));
        assert!(!in_range("café", "cafe"));
        assert!(!in_range("café", "cafê"));
    }

    #[test]
    fn the_end_skips_trailing_ff_bytes() {
        assert_eq!(prefix_end(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(prefix_end(&[b'a', 0xFF, 0xFF]), Some(b"b".to_vec()));
        assert_eq!(prefix_end(&[0xFF]), None);
        assert_eq!(prefix_end(b""), None);
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
    }
}
