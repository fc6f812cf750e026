//! Prefix queries (`semicond*`): every term of a field that starts with the given bytes, read as
//! one range of the term dictionary (an automaton or a regular expression visits the same
//! terms the slow way). A segment's matches are gathered in a sorted list when they are few,
//! and in a bit set of the whole segment only when they are many.

use tantivy::index::InvertedIndexReader;
use tantivy::postings::TermInfo;
use tantivy::query::{
    BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, TantivyError, TERMINATED};

/// A segment's matches go in a sorted list while their postings (with repeats) number at most
/// one in this many of its documents. Sorting costs some 15 instructions a posting, a bit set
/// zeroes and scans a bit a document (and faults its pages in): on a segment of 400,000
/// paragraphs, `semaph*` (a few hundred postings) is cheaper as a list, `kern*` (10,000) as a
/// set (callgrind).
const SPARSE_RATIO: u64 = 256;

/// Matches the terms of `field` that start with `prefix`; every match scores the same, as a
/// regular-expression query's would.
#[derive(Debug, Clone)]
pub struct PrefixQuery {
    field: Field,
    prefix: Vec<u8>,
}

impl PrefixQuery {
    /// The terms of `field` starting with `prefix`.
    pub fn new(field: Field, prefix: &str) -> PrefixQuery {
        PrefixQuery {
            field,
            prefix: prefix.as_bytes().to_vec(),
        }
    }
}

impl Query for PrefixQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(PrefixWeight {
            field: self.field,
            end: prefix_end(&self.prefix),
            prefix: self.prefix.clone(),
        }))
    }
}

/// The weight of a [`PrefixQuery`].
struct PrefixWeight {
    field: Field,
    prefix: Vec<u8>,
    /// The end of the range of terms starting with `prefix` (see [`prefix_end`]).
    end: Option<Vec<u8>>,
}

impl PrefixWeight {
    /// The term infos of `reader`'s terms that start with the prefix.
    fn term_infos(&self, index: &InvertedIndexReader) -> tantivy::Result<Vec<TermInfo>> {
        let mut range = index.terms().range().ge(&self.prefix);
        if let Some(end) = &self.end {
            range = range.lt(end);
        }
        let mut terms = range.into_stream()?;
        let mut infos = Vec::new();
        while terms.advance() {
            infos.push(terms.value().clone());
        }
        Ok(infos)
    }
}

impl Weight for PrefixWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let index = reader.inverted_index(self.field)?;
        let infos = self.term_infos(&index)?;
        let postings: u64 = infos.iter().map(|info| u64::from(info.doc_freq)).sum();
        let mut matches = Matches::for_postings(postings, reader.max_doc());
        for info in &infos {
            let mut block =
                index.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
            while !block.docs().is_empty() {
                matches.add(block.docs());
                block.advance();
            }
        }
        Ok(matches.into_scorer(boost))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) == doc {
            Ok(Explanation::new("PrefixScorer", 1.0))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )))
        }
    }
}

/// A segment's matching documents as they are gathered.
enum Matches {
    /// Few: a list, sorted at the end.
    List(Vec<DocId>),
    /// Many: a bit set of the segment.
    Set(BitSet),
}

impl Matches {
    /// The store for `postings` postings in a segment of `max_doc` documents.
    fn for_postings(postings: u64, max_doc: u32) -> Matches {
        if postings.saturating_mul(SPARSE_RATIO) <= u64::from(max_doc) {
            Matches::List(Vec::new())
        } else {
            Matches::Set(BitSet::with_max_value(max_doc))
        }
    }

    fn add(&mut self, docs: &[DocId]) {
        match self {
            Matches::List(list) => list.extend_from_slice(docs),
            Matches::Set(set) => {
                for &doc in docs {
                    set.insert(doc);
                }
            }
        }
    }

    fn into_scorer(self, boost: Score) -> Box<dyn Scorer> {
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
fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
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
