//! Compiling a query [`Plan`] into a tantivy query: stemmed words and phrases on the stemmed
//! field; exact words, prefixes, fuzzy words and CJK characters as exact forms
//! (`search::exact`).

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query as TantivyQuery,
    TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::exact::{ExactWordQuery, WordSetQuery};
use super::safe_seek::SafeSeek;
use crate::error::Result;
use crate::index::Fields;
use crate::query::{MatchKind, Matcher, Plan};

/// Compiles a plan into a tantivy query over the text fields.
pub fn compile(plan: &Plan, fields: Fields) -> Result<Box<dyn TantivyQuery>> {
    Ok(match plan {
        Plan::Match(matcher) => compile_matcher(matcher, fields)?,
        Plan::And(parts) => {
            let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::with_capacity(parts.len());
            for (part, count) in repeats_merged(parts) {
                clauses.push(match part {
                    Plan::Not(inner) => (Occur::MustNot, excluded(inner, fields)?),
                    Plan::Optional(inner) => {
                        (Occur::Should, weighted(compile(inner, fields)?, count))
                    }
                    other => (Occur::Must, weighted(compile(other, fields)?, count)),
                });
            }
            if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                clauses.push((Occur::Must, every_paragraph()));
            }
            Box::new(BooleanQuery::new(clauses))
        }
        Plan::Or(parts) => {
            let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::with_capacity(parts.len());
            for (part, count) in repeats_merged(parts) {
                clauses.push((Occur::Should, weighted(compile(part, fields)?, count)));
            }
            Box::new(BooleanQuery::new(clauses))
        }
        Plan::Optional(inner) => compile(inner, fields)?,
        Plan::Not(inner) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, every_paragraph()),
            (Occur::MustNot, excluded(inner, fields)?),
        ])),
    })
}

/// Every paragraph, adding nothing to a score: what a negation takes its exclusions from, so
/// that `cherry OR NOT apple` ranks the paragraphs with `cherry` first.
pub(super) fn every_paragraph() -> Box<dyn TantivyQuery> {
    Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0))
}

/// The distinct parts of a conjunction or disjunction, in the order they first appear, each
/// with how many times it appears. A word repeated n times scores n times its score, so it is
/// compiled once and weighted n: the same scores, without n scorers to walk in step (whose cost
/// grows with the square of n: a paragraph pasted many times with `--any`), nor a prefix
/// looked up n times (`a* a* a* …`).
pub(super) fn repeats_merged(parts: &[Plan]) -> Vec<(&Plan, usize)> {
    let mut distinct: Vec<(&Plan, usize)> = Vec::with_capacity(parts.len());
    let mut index: std::collections::HashMap<&Plan, usize> = std::collections::HashMap::new();
    for part in parts {
        match index.get(part) {
            Some(&at) => distinct[at].1 += 1,
            None => {
                index.insert(part, distinct.len());
                distinct.push((part, 1));
            }
        }
    }
    distinct
}

/// `query`, its score multiplied by `count` when that is more than one.
pub(super) fn weighted(query: Box<dyn TantivyQuery>, count: usize) -> Box<dyn TantivyQuery> {
    if count == 1 {
        return query;
    }
    Box::new(BoostQuery::new(query, count as f32))
}

/// An excluded part, wrapped so that exclusion never seeks a phrase scorer backwards.
pub(super) fn excluded(plan: &Plan, fields: Fields) -> Result<Box<dyn TantivyQuery>> {
    Ok(Box::new(SafeSeek(compile(plan, fields)?)))
}

fn compile_matcher(matcher: &Matcher, fields: Fields) -> Result<Box<dyn TantivyQuery>> {
    let single = matcher.terms.first().map_or("", |(_, t)| t.as_str());
    match matcher.kind {
        MatchKind::Prefix => return Ok(Box::new(WordSetQuery::prefix(fields, single))),
        MatchKind::InCjk => {
            let c = regex_escape(single);
            let pattern = format!("{c}.?|.{c}");
            return Ok(Box::new(WordSetQuery::pattern(fields, &pattern)?));
        }
        MatchKind::Fuzzy(distance) => {
            return Ok(Box::new(WordSetQuery::fuzzy(fields, single, distance)));
        }
        MatchKind::Stemmed | MatchKind::Exact => {}
    }
    if !matcher.phrase_stems.is_empty() {
        return Ok(exact_phrase(matcher, fields));
    }
    if matcher.kind == MatchKind::Exact && matcher.terms.len() == 1 {
        return Ok(Box::new(ExactWordQuery::new(fields, single)));
    }
    let mut terms: Vec<(usize, Term)> = matcher
        .terms
        .iter()
        .map(|(offset, text)| (*offset, Term::from_field_text(fields.body, text)))
        .collect();
    if terms.len() == 1 {
        let (_, term) = terms.remove(0);
        return Ok(Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)));
    }
    Ok(Box::new(PhraseQuery::new_with_offset_and_slop(
        terms,
        matcher.slop,
    )))
}

/// A phrase of exact word forms: exact forms are indexed without positions, so the phrase is
/// matched among the stems (with the same offsets and slop) and every exact word is required;
/// the paragraphs found are checked to hold the phrase itself (`search::checked`).
fn exact_phrase(matcher: &Matcher, fields: Fields) -> Box<dyn TantivyQuery> {
    let stems: Vec<(usize, Term)> = matcher
        .terms
        .iter()
        .zip(&matcher.phrase_stems)
        .map(|((offset, _), stem)| (*offset, Term::from_field_text(fields.body, stem)))
        .collect();
    let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = vec![(
        Occur::Must,
        Box::new(PhraseQuery::new_with_offset_and_slop(stems, matcher.slop)),
    )];
    for (_, exact) in &matcher.terms {
        clauses.push((Occur::Must, Box::new(ExactWordQuery::new(fields, exact))));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Escapes `text` for tantivy's regular-expression syntax.
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~\"<>@".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(label: &str) -> Plan {
        Plan::Match(Matcher {
            label: label.into(),
            kind: MatchKind::Stemmed,
            terms: vec![(0, label.into())],
            slop: 0,
            phrase_stems: Vec::new(),
            surfaces: vec![label.into()],
        })
    }

    #[test]
    fn repeated_parts_are_merged_in_first_order_with_counts() {
        let parts = [
            word("b"),
            word("a"),
            word("b"),
            word("c"),
            word("b"),
            word("a"),
        ];
        let merged: Vec<(String, usize)> = repeats_merged(&parts)
            .into_iter()
            .map(|(plan, count)| match plan {
                Plan::Match(m) => (m.label.clone(), count),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            merged,
            [
                ("b".to_string(), 3),
                ("a".to_string(), 2),
                ("c".to_string(), 1)
            ]
        );
    }

    #[test]
    fn regex_escape_neutralises_metacharacters() {
        assert_eq!(regex_escape("3.14"), "3\\.14");
        assert_eq!(regex_escape("don't"), "don't");
        assert_eq!(regex_escape("a(b)*"), "a\\(b\\)\\*");
    }
}
