//! Case-sensitive search (`-s`): the index folds case, so a case-sensitive query runs as usual
//! and each paragraph it matches is kept only when the query still matches it with case
//! compared (see [`crate::highlight::highlights_with`]). The check sits under tantivy's
//! collectors, so counts, pages, file lists and scores all see the same paragraphs.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::Value;
use tantivy::store::StoreReader;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyDocument, TERMINATED};

use crate::analysis::Analysis;
use crate::highlight::highlights_with;
use crate::index::Fields;
use crate::query::Plan;

/// What the index is asked for a case-sensitive `plan`: the plan without its negations, since a
/// paragraph that a negated word excludes with case folded (`-apple` against `Apple`) may
/// still pass with case compared, which [`CaseQuery`]'s check decides for the whole plan.
/// `None` when every paragraph is a candidate (a query of negations only).
pub(super) fn candidates(plan: &Plan) -> Option<Plan> {
    match plan {
        Plan::Match(_) => Some(plan.clone()),
        Plan::Not(_) => None,
        Plan::And(parts) => {
            let mut kept: Vec<Plan> = parts.iter().filter_map(candidates).collect();
            match kept.len() {
                0 => None,
                1 => kept.pop(),
                _ => Some(Plan::And(kept)),
            }
        }
        Plan::Or(parts) => parts
            .iter()
            .map(candidates)
            .collect::<Option<Vec<Plan>>>()
            .map(Plan::Or),
    }
}

/// `inner`, keeping only the paragraphs `plan` matches with case compared.
#[derive(Debug)]
pub(super) struct CaseQuery {
    inner: Box<dyn Query>,
    plan: Plan,
    fields: Fields,
}

impl CaseQuery {
    /// Wraps `inner`, the compiled form of `plan`.
    pub(super) fn new(inner: Box<dyn Query>, plan: Plan, fields: Fields) -> CaseQuery {
        CaseQuery {
            inner,
            plan,
            fields,
        }
    }
}

impl Clone for CaseQuery {
    fn clone(&self) -> CaseQuery {
        CaseQuery {
            inner: self.inner.box_clone(),
            plan: self.plan.clone(),
            fields: self.fields,
        }
    }
}

impl Query for CaseQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(CaseWeight {
            inner: self.inner.weight(scoring)?,
            plan: self.plan.clone(),
            fields: self.fields,
        }))
    }
}

struct CaseWeight {
    inner: Box<dyn Weight>,
    plan: Plan,
    fields: Fields,
}

impl Weight for CaseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorer = CaseScorer {
            inner: self.inner.scorer(reader, boost)?,
            store: reader.get_store_reader(1)?,
            analysis: Analysis::new(),
            plan: self.plan.clone(),
            fields: self.fields,
        };
        let first = scorer.inner.doc();
        if first != TERMINATED && !scorer.passes(first) {
            scorer.advance();
        }
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

struct CaseScorer {
    inner: Box<dyn Scorer>,
    store: StoreReader,
    analysis: Analysis,
    plan: Plan,
    fields: Fields,
}

impl CaseScorer {
    /// Whether the plan matches paragraph `doc` with case compared (a paragraph that cannot be
    /// read does not).
    fn passes(&mut self, doc: DocId) -> bool {
        let Ok(stored) = self.store.get::<TantivyDocument>(doc) else {
            return false;
        };
        let text = |field| stored.get_first(field).and_then(|v| v.as_str());
        let Some(indexed) = text(self.fields.index_text).or_else(|| text(self.fields.text)) else {
            return false;
        };
        highlights_with(&mut self.analysis, &self.plan, indexed, true).is_some()
    }
}

impl DocSet for CaseScorer {
    fn advance(&mut self) -> DocId {
        loop {
            let doc = self.inner.advance();
            if doc == TERMINATED || self.passes(doc) {
                return doc;
            }
        }
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let doc = self.inner.seek(target);
        if doc == TERMINATED || self.passes(doc) {
            return doc;
        }
        self.advance()
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for CaseScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}
