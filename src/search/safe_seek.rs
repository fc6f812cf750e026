//! A query wrapper used for excluded (`NOT`) parts of a query. tantivy 0.27's phrase scorer
//! overrides `seek_danger` with a debug assertion that exclusion breaks (an excluded phrase
//! such as `alliance -"South Korea"` panics in debug builds; release builds are correct). The
//! wrapper hides that override, so the scorer gets `DocSet`'s default `seek_danger`, which never
//! seeks backwards. Results and scores are the wrapped query's.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader};

/// Wraps a query so its scorers use the default `seek_danger`.
#[derive(Debug)]
pub struct SafeSeek(pub Box<dyn Query>);

impl Clone for SafeSeek {
    fn clone(&self) -> Self {
        SafeSeek(self.0.box_clone())
    }
}

impl Query for SafeSeek {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(SafeSeekWeight(self.0.weight(enable_scoring)?)))
    }
}

struct SafeSeekWeight(Box<dyn Weight>);

impl Weight for SafeSeekWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(SafeSeekScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

struct SafeSeekScorer(Box<dyn Scorer>);

impl DocSet for SafeSeekScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.0.seek(target)
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl Scorer for SafeSeekScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}
