//! Queries the index can only approximate, checked paragraph by paragraph: case-sensitive
//! search (`-s`; the index folds case) and phrases of exact word forms (`-x "treaty signed"`;
//! exact forms are indexed without positions, so such a phrase is found among the stems and
//! would also match `treaties signed … treaty`), and phrases with slop that name a word twice
//! (`"walla walla"~1`, which the index matches with one word). The query runs as usual and each paragraph it
//! matches is kept only when the plan still matches its text as the highlighter reads it (see
//! [`crate::highlight::highlights_with`]). The check sits under tantivy's collectors, so
//! counts, pages, file lists and scores all see the same paragraphs. A paragraph found by a
//! disjunction (`--any`, `OR`, also with words excluded: `Apple pear -cherry`, or beside a
//! `+word`: `+Apple pear`) scores what its parts that pass the check score, as it would had the others not matched: a part that
//! matches only approximately (`apple` for `Apple` with `-s`), or that a negation inside it
//! excludes, adds nothing. Other plans (a disjunction within a conjunction, an expanded query)
//! are scored as the index matches them.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::Value;
use tantivy::store::StoreReader;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyDocument, TERMINATED};

use super::compile::{compile, every_paragraph, repeats_merged, weighted};
use crate::analysis::Analysis;
use crate::error::Result;
use crate::highlight::{highlights_with, parts_matching};
use crate::index::Fields;
use crate::query::Plan;

/// Whether the index finds `plan`'s paragraphs only approximately without `-s`: it holds a
/// phrase of exact forms, or a phrase with slop that names a term twice (the index lets one word
/// serve both).
pub(super) fn approximate(plan: &Plan) -> bool {
    match plan {
        Plan::Match(matcher) => !matcher.phrase_stems.is_empty() || matcher.sloppy_with_repeats(),
        Plan::Not(inner) | Plan::Optional(inner) => approximate(inner),
        Plan::And(parts) | Plan::Or(parts) => parts.iter().any(approximate),
    }
}

/// What the index is asked for a `plan` to be checked: the plan without its negations, since a
/// paragraph that a negated word excludes approximately (`-apple` against `Apple` with case
/// folded) may still pass the check, which [`CheckedQuery`] decides for the whole plan.
/// `None` when every paragraph is a candidate (a query of negations only).
pub(super) fn candidates(plan: &Plan) -> Option<Plan> {
    match plan {
        Plan::Match(_) => Some(plan.clone()),
        Plan::Not(_) => None,
        Plan::Optional(inner) => candidates(inner).map(|p| Plan::Optional(Box::new(p))),
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

/// The parts that score a paragraph of `plan`: a disjunction's (the plan itself, or the one
/// part of a conjunction whose other parts are negations: `--any` with exclusions), or what a
/// conjunction with optional parts requires and each of its optional words (`--any` with a
/// `+word`: `+a b c` is scored by `a`, `b` and `c`, as `a b c` is).
fn disjuncts(plan: &Plan) -> Option<Vec<Plan>> {
    match plan {
        Plan::Or(parts) => Some(parts.clone()),
        Plan::And(parts) => {
            let kept: Vec<&Plan> = parts
                .iter()
                .filter(|p| !matches!(p, Plan::Not(_)))
                .collect();
            if kept.iter().any(|part| matches!(part, Plan::Optional(_))) {
                let each = |part: &Plan| match part {
                    Plan::Optional(inner) => match &**inner {
                        Plan::Or(words) => words.clone(),
                        word => vec![word.clone()],
                    },
                    required => vec![required.clone()],
                };
                return Some(kept.into_iter().flat_map(each).collect());
            }
            match kept.as_slice() {
                [Plan::Or(parts)] => Some(parts.clone()),
                _ => None,
            }
        }
        Plan::Match(_) | Plan::Not(_) | Plan::Optional(_) => None,
    }
}

/// The parts of `plan`'s disjunction (none when it has none, see [`disjuncts`]), each as its
/// own plan and the query that finds and scores its candidates (weighted by how often the part
/// repeats, as the plan's own query weights it): what [`CheckedQuery`] scores a paragraph with.
pub(super) fn branches(plan: &Plan, fields: Fields) -> Result<Vec<(Plan, Box<dyn Query>)>> {
    let Some(parts) = disjuncts(plan) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::with_capacity(parts.len());
    for (part, count) in repeats_merged(&parts) {
        let query: Box<dyn Query> = match candidates(part) {
            Some(asked) => compile(&asked, fields)?,
            // A negation alone: every paragraph is its candidate, as in the plan's own query.
            None => every_paragraph(),
        };
        out.push((part.clone(), weighted(query, count)));
    }
    Ok(out)
}

/// `inner`, keeping only the paragraphs `plan` matches (with case compared when
/// `case_sensitive`); scored by the `branches` that match too when there are any (see
/// [`branches`]).
#[derive(Debug)]
pub(super) struct CheckedQuery {
    inner: Box<dyn Query>,
    plan: Plan,
    branches: Vec<(Plan, Box<dyn Query>)>,
    case_sensitive: bool,
    fields: Fields,
}

impl CheckedQuery {
    /// Wraps `inner`, the compiled form of `plan`, and `plan`'s [`branches`].
    pub(super) fn new(
        inner: Box<dyn Query>,
        plan: Plan,
        branches: Vec<(Plan, Box<dyn Query>)>,
        case_sensitive: bool,
        fields: Fields,
    ) -> CheckedQuery {
        CheckedQuery {
            inner,
            plan,
            branches,
            case_sensitive,
            fields,
        }
    }
}

impl Clone for CheckedQuery {
    fn clone(&self) -> CheckedQuery {
        CheckedQuery {
            inner: self.inner.box_clone(),
            plan: self.plan.clone(),
            branches: (self.branches.iter())
                .map(|(plan, query)| (plan.clone(), query.box_clone()))
                .collect(),
            case_sensitive: self.case_sensitive,
            fields: self.fields,
        }
    }
}

impl Query for CheckedQuery {
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
        Ok(Box::new(CheckedWeight {
            inner: self.inner.weight(scoring)?,
            plan: self.plan.clone(),
            branches,
            case_sensitive: self.case_sensitive,
            fields: self.fields,
        }))
    }
}

struct CheckedWeight {
    inner: Box<dyn Weight>,
    plan: Plan,
    branches: Vec<(Plan, Box<dyn Weight>)>,
    case_sensitive: bool,
    fields: Fields,
}

impl CheckedWeight {
    /// The scorer of one segment, on the first paragraph that passes when `positioned` (else
    /// on the inner query's first paragraph, unchecked: only to be sought).
    fn checked_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
        positioned: bool,
    ) -> tantivy::Result<CheckedScorer> {
        let mut branches = Vec::with_capacity(self.branches.len());
        for (plan, weight) in &self.branches {
            branches.push((plan.clone(), weight.scorer(reader, boost)?));
        }
        let mut scorer = CheckedScorer {
            inner: self.inner.scorer(reader, boost)?,
            store: reader.get_store_reader(1)?,
            analysis: Analysis::new(),
            plan: self.plan.clone(),
            branches,
            matched: Vec::new(),
            score: 0.0,
            case_sensitive: self.case_sensitive,
            fields: self.fields,
        };
        let first = scorer.inner.doc();
        if positioned && first != TERMINATED && !scorer.passes(first) {
            scorer.advance();
        }
        Ok(scorer)
    }
}

impl Weight for CheckedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(self.checked_scorer(reader, boost, true)?))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.branches.is_empty() {
            return self.inner.explain(reader, doc);
        }
        let mut scorer = self.checked_scorer(reader, 1.0, false)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "Document #({doc}) does not match"
            )));
        }
        let parts = match self.case_sensitive {
            true => "sum of the parts that match with case compared",
            false => "sum of the parts that match as written",
        };
        let mut explanation = Explanation::new(parts, scorer.score());
        for ((_, weight), matched) in self.branches.iter().zip(&scorer.matched) {
            if *matched {
                explanation.add_detail(weight.explain(reader, doc)?);
            }
        }
        Ok(explanation)
    }
}

struct CheckedScorer {
    inner: Box<dyn Scorer>,
    store: StoreReader,
    analysis: Analysis,
    plan: Plan,
    /// The plan's disjuncts and their scorers (see [`branches`]), kept in step with `inner`.
    branches: Vec<(Plan, Box<dyn Scorer>)>,
    /// Which branches match the current paragraph as checked.
    matched: Vec<bool>,
    /// The current paragraph's score from those branches.
    score: Score,
    case_sensitive: bool,
    fields: Fields,
}

impl CheckedScorer {
    /// Whether the plan matches paragraph `doc` as checked (a paragraph that cannot be read
    /// does not); with branches, each branch that matches it as checked too adds
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
            let case = self.case_sensitive;
            return highlights_with(&mut self.analysis, &self.plan, indexed, case).is_some();
        }
        // The branches the index finds the paragraph in, checked along with
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
        let case = self.case_sensitive;
        let Some(matching) = parts_matching(&mut self.analysis, &self.plan, &parts, indexed, case)
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

impl DocSet for CheckedScorer {
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

impl Scorer for CheckedScorer {
    fn score(&mut self) -> Score {
        match self.branches.is_empty() {
            true => self.inner.score(),
            false => self.score,
        }
    }
}
