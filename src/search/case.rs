//! Case-sensitive search (`-s`): the index folds case, so a case-sensitive query runs as usual
//! and each paragraph it matches is kept only when the query still matches it with case
//! compared (see [`crate::highlight::highlights_with`]). The check sits under tantivy's
//! collectors, so counts, pages, file lists and scores all see the same paragraphs. A
//! paragraph found by a disjunction (`--any`, `OR`, also with words excluded: `Apple pear
//! -cherry`) scores what its parts that match with case compared score, as it would without
//! `-s` had the others not matched: a part that matches only with case folded (`apple` for
//! `Apple`), or that a negation inside it excludes, adds nothing. Other plans (a disjunction
//! within a conjunction, an expanded query) are scored as their folded words match.

use tantivy::query::{AllQuery, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::Value;
use tantivy::store::StoreReader;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyDocument, TERMINATED};

use super::compile::{compile, repeats_merged, weighted};
use crate::analysis::Analysis;
use crate::error::Result;
use crate::highlight::{highlights_with, parts_matching};
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

/// The disjunction whose parts score a paragraph of `plan`: the plan itself when it is one, or
/// the one part of a conjunction whose other parts are negations (`--any` with exclusions).
fn disjuncts(plan: &Plan) -> Option<&[Plan]> {
    match plan {
        Plan::Or(parts) => Some(parts),
        Plan::And(parts) => {
            let mut kept = parts.iter().filter(|part| !matches!(part, Plan::Not(_)));
            match (kept.next(), kept.next()) {
                (Some(Plan::Or(parts)), None) => Some(parts),
                _ => None,
            }
        }
        Plan::Match(_) | Plan::Not(_) => None,
    }
}

/// The parts of `plan`'s disjunction (none when it has none, see [`disjuncts`]), each as its
/// own plan and the query that finds and scores its candidates (weighted by how often the part
/// repeats, as the plan's own query weights it): what [`CaseQuery`] scores a paragraph with.
pub(super) fn branches(plan: &Plan, fields: Fields) -> Result<Vec<(Plan, Box<dyn Query>)>> {
    let Some(parts) = disjuncts(plan) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::with_capacity(parts.len());
    for (part, count) in repeats_merged(parts) {
        let query: Box<dyn Query> = match candidates(part) {
            Some(asked) => compile(&asked, fields)?,
            // A negation alone: every paragraph is its candidate, as in the plan's own query.
            None => Box::new(AllQuery),
        };
        out.push((part.clone(), weighted(query, count)));
    }
    Ok(out)
}

/// `inner`, keeping only the paragraphs `plan` matches with case compared; scored by the
/// `branches` that match with case compared when there are any (see [`branches`]).
#[derive(Debug)]
pub(super) struct CaseQuery {
    inner: Box<dyn Query>,
    plan: Plan,
    branches: Vec<(Plan, Box<dyn Query>)>,
    fields: Fields,
}

impl CaseQuery {
    /// Wraps `inner`, the compiled form of `plan`, and `plan`'s [`branches`].
    pub(super) fn new(
        inner: Box<dyn Query>,
        plan: Plan,
        branches: Vec<(Plan, Box<dyn Query>)>,
        fields: Fields,
    ) -> CaseQuery {
        CaseQuery {
            inner,
            plan,
            branches,
            fields,
        }
    }
}

impl Clone for CaseQuery {
    fn clone(&self) -> CaseQuery {
        CaseQuery {
            inner: self.inner.box_clone(),
            plan: self.plan.clone(),
            branches: (self.branches.iter())
                .map(|(plan, query)| (plan.clone(), query.box_clone()))
                .collect(),
            fields: self.fields,
        }
    }
}

impl Query for CaseQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        // Counting needs no scores: the plan's check alone.
        let mut branches = Vec::with_capacity(self.branches.len());
        for (plan, query) in self
            .branches
            .iter()
            .filter(|_| scoring.is_scoring_enabled())
        {
            branches.push((plan.clone(), query.weight(scoring)?));
        }
        Ok(Box::new(CaseWeight {
            inner: self.inner.weight(scoring)?,
            plan: self.plan.clone(),
            branches,
            fields: self.fields,
        }))
    }
}

struct CaseWeight {
    inner: Box<dyn Weight>,
    plan: Plan,
    branches: Vec<(Plan, Box<dyn Weight>)>,
    fields: Fields,
}

impl CaseWeight {
    /// The scorer of one segment, on the first paragraph that passes when `positioned` (else
    /// on the inner query's first paragraph, unchecked: only to be sought).
    fn case_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
        positioned: bool,
    ) -> tantivy::Result<CaseScorer> {
        let mut branches = Vec::with_capacity(self.branches.len());
        for (plan, weight) in &self.branches {
            branches.push((plan.clone(), weight.scorer(reader, boost)?));
        }
        let mut scorer = CaseScorer {
            inner: self.inner.scorer(reader, boost)?,
            store: reader.get_store_reader(1)?,
            analysis: Analysis::new(),
            plan: self.plan.clone(),
            branches,
            matched: Vec::new(),
            score: 0.0,
            fields: self.fields,
        };
        let first = scorer.inner.doc();
        if positioned && first != TERMINATED && !scorer.passes(first) {
            scorer.advance();
        }
        Ok(scorer)
    }
}

impl Weight for CaseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(self.case_scorer(reader, boost, true)?))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.branches.is_empty() {
            return self.inner.explain(reader, doc);
        }
        let mut scorer = self.case_scorer(reader, 1.0, false)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "Document #({doc}) does not match"
            )));
        }
        let mut explanation = Explanation::new(
            "sum of the parts that match with case compared",
            scorer.score(),
        );
        for ((_, weight), matched) in self.branches.iter().zip(&scorer.matched) {
            if *matched {
                explanation.add_detail(weight.explain(reader, doc)?);
            }
        }
        Ok(explanation)
    }
}

struct CaseScorer {
    inner: Box<dyn Scorer>,
    store: StoreReader,
    analysis: Analysis,
    plan: Plan,
    /// The plan's disjuncts and their scorers (see [`branches`]), kept in step with `inner`.
    branches: Vec<(Plan, Box<dyn Scorer>)>,
    /// Which branches match the current paragraph with case compared.
    matched: Vec<bool>,
    /// The current paragraph's score from those branches.
    score: Score,
    fields: Fields,
}

impl CaseScorer {
    /// Whether the plan matches paragraph `doc` with case compared (a paragraph that cannot be
    /// read does not); with branches, each branch that matches it with case compared too adds
    /// its score to the paragraph's.
    fn passes(&mut self, doc: DocId) -> bool {
        let Ok(stored) = self.store.get::<TantivyDocument>(doc) else {
            return false;
        };
        let text = |field| stored.get_first(field).and_then(|v| v.as_str());
        let Some(indexed) = text(self.fields.index_text).or_else(|| text(self.fields.text)) else {
            return false;
        };
        if self.branches.is_empty() {
            return highlights_with(&mut self.analysis, &self.plan, indexed, true).is_some();
        }
        // The branches the index finds the paragraph in, checked with case compared along with
        // the whole plan, the text analysed once.
        let mut found = Vec::with_capacity(self.branches.len());
        for (at, (_, scorer)) in self.branches.iter_mut().enumerate() {
            if scorer.doc() < doc {
                scorer.seek(doc);
            }
            if scorer.doc() == doc {
                found.push(at);
            }
        }
        let parts: Vec<&Plan> = found.iter().map(|&at| &self.branches[at].0).collect();
        let Some(matching) = parts_matching(&mut self.analysis, &self.plan, &parts, indexed, true)
        else {
            return false;
        };
        self.score = 0.0;
        self.matched.clear();
        self.matched.resize(self.branches.len(), false);
        for (&at, matches) in found.iter().zip(matching) {
            if matches {
                self.score += self.branches[at].1.score();
                self.matched[at] = true;
            }
        }
        true
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
        match self.branches.is_empty() {
            true => self.inner.score(),
            false => self.score,
        }
    }
}
