//! Pseudo-relevance feedback (`--expand`): RM3, as Anserini and Terrier offer it. The query's
//! best paragraphs are taken as relevant; the stems they use most (each paragraph's stem
//! frequencies over its length, weighted by exp(its score − the best score)) become a
//! relevance model, whose
//! strongest terms are added to the query with their weights, the original query keeping
//! [`Expansion::original_weight`] of the whole. Stop words, one-letter stems, numbers and stems
//! of more than a tenth of all paragraphs are never added.

use std::collections::HashMap;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query as TantivyQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use super::stored::Stored;
use crate::analysis::Analysis;
use crate::error::Result;
use crate::index::Fields;
use crate::query::{is_stop_word, MatchKind, Plan};

/// How a query is expanded; the defaults were chosen on SciFact's train queries
/// (`bench/relevance.sh`, BENCHMARKS.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Expansion {
    /// How many of the best paragraphs are read for feedback.
    pub paragraphs: usize,
    /// How many terms are added.
    pub terms: usize,
    /// The original query's share of the expanded query's weight (0 to 1).
    pub original_weight: f32,
}

impl Default for Expansion {
    fn default() -> Self {
        Expansion {
            paragraphs: 10,
            terms: 20,
            original_weight: 0.75,
        }
    }
}

/// Stems in more than this share of all paragraphs say too little to be added.
const MAX_DOCUMENT_SHARE: f64 = 0.1;

/// The feedback terms of the paragraphs at `top` (with their first-pass scores), strongest
/// first, with weights summing to 1.
pub(super) fn feedback_terms(
    searcher: &Searcher,
    fields: Fields,
    analysis: &mut Analysis,
    top: &[(f32, DocAddress)],
    wanted: usize,
) -> Result<Vec<(String, f32)>> {
    let mut model: HashMap<String, f64> = HashMap::new();
    let best = top.first().map_or(0.0, |(score, _)| f64::from(*score));
    for (score, address) in top {
        // P(q|d) as the score's likelihood, relative to the best paragraph's (exp of the
        // difference): chosen on SciFact's train queries over the raw score Anserini uses.
        let likelihood = (f64::from(*score) - best).exp();
        let stored = Stored::load(searcher, fields, *address)?;
        let words = analysis.words(stored.indexed());
        if words.is_empty() {
            continue;
        }
        let share = likelihood / words.len() as f64;
        for word in words {
            *model.entry(word.stem).or_default() += share;
        }
    }
    let paragraphs = searcher.num_docs().max(1) as f64;
    let mut ranked: Vec<(String, f64)> = Vec::with_capacity(model.len());
    for (stem, weight) in model {
        if !worth_adding(&stem) {
            continue;
        }
        let frequency = searcher.doc_freq(&Term::from_field_text(fields.body, &stem))? as f64;
        if frequency / paragraphs <= MAX_DOCUMENT_SHARE {
            ranked.push((stem, weight));
        }
    }
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(wanted);
    let sum: f64 = ranked.iter().map(|(_, w)| w).sum();
    Ok(ranked
        .into_iter()
        .map(|(stem, weight)| (stem, (weight / sum.max(f64::MIN_POSITIVE)) as f32))
        .collect())
}

/// Whether a stem may be added: not a stop word, not one letter, not a number.
fn worth_adding(stem: &str) -> bool {
    stem.chars().nth(1).is_some()
        && !stem
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && !is_stop_word(stem)
}

/// The positive stemmed words of a plan, each as often as it appears (the original query's
/// terms in the relevance model).
pub(super) fn query_stems(plan: &Plan) -> Vec<String> {
    match plan {
        Plan::Match(m) if m.kind == MatchKind::Stemmed && m.terms.len() == 1 => {
            vec![m.terms[0].1.clone()]
        }
        Plan::Match(_) | Plan::Not(_) => Vec::new(),
        Plan::Optional(inner) => query_stems(inner),
        Plan::And(parts) | Plan::Or(parts) => parts.iter().flat_map(query_stems).collect(),
    }
}

/// The expanded query: the original (its weight shared among its words, as RM3 weighs them)
/// and the feedback terms (the rest of the weight). With `any`, a paragraph with feedback terms
/// alone matches too, unless it holds what the query excludes (`exclusions`); otherwise the
/// original query still decides what matches.
pub(super) fn expanded(
    original: Box<dyn TantivyQuery>,
    original_words: usize,
    feedback: &[(String, f32)],
    (expansion, any): (Expansion, bool),
    exclusions: Vec<Box<dyn TantivyQuery>>,
    fields: Fields,
) -> Box<dyn TantivyQuery> {
    if feedback.is_empty() {
        return original;
    }
    let kept = expansion.original_weight.clamp(0.0, 1.0);
    let per_word = kept / original_words.max(1) as f32;
    let added: Vec<(Occur, Box<dyn TantivyQuery>)> = feedback
        .iter()
        .map(|(stem, weight)| {
            let term = TermQuery::new(
                Term::from_field_text(fields.body, stem),
                IndexRecordOption::WithFreqs,
            );
            let query: Box<dyn TantivyQuery> =
                Box::new(BoostQuery::new(Box::new(term), (1.0 - kept) * weight));
            (Occur::Should, query)
        })
        .collect();
    let original_occur = if any { Occur::Should } else { Occur::Must };
    let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = vec![
        (
            original_occur,
            Box::new(BoostQuery::new(original, per_word)),
        ),
        (Occur::Should, Box::new(BooleanQuery::new(added))),
    ];
    clauses.extend(exclusions.into_iter().map(|query| (Occur::MustNot, query)));
    Box::new(BooleanQuery::new(clauses))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_letters_and_numbers_are_never_added() {
        for stem in ["the", "a", "x", "1998", "3.5"] {
            assert!(!worth_adding(stem), "{stem}");
        }
        for stem in ["vitamin", "h2o", "dna"] {
            assert!(worth_adding(stem), "{stem}");
        }
    }
}
