//! Highlighting: the byte ranges of a paragraph that made it match a query.
//!
//! The paragraph is analysed with the same analyzer as the index, and the query [`Plan`] is
//! evaluated over its tokens the way the index evaluates it: a phrase is marked only where all
//! its words occur in order (as one span), words under `NOT` are never marked, and a branch of
//! an `AND` or `OR` that does not match this paragraph marks nothing. Ranges are UTF-8 byte
//! offsets into the paragraph text, sorted, and merged where they overlap or touch.

use std::collections::HashMap;
use std::ops::Range;

use crate::analysis::{Analysis, Word};
use crate::query::{MatchKind, Matcher, Plan};

/// The byte ranges of `text` that match `plan`, sorted and non-overlapping.
pub fn ranges(analysis: &mut Analysis, plan: &Plan, text: &str) -> Vec<Range<usize>> {
    let words = analysis.words(text);
    let paragraph = Tokens::new(&words);
    let mut spans = paragraph.eval(plan).unwrap_or_default();
    merge(&mut spans);
    spans
}

/// A paragraph's words, indexed by position for phrase lookups.
struct Tokens<'a> {
    tokens: &'a [Word],
    by_position: HashMap<usize, &'a Word>,
}

/// True when `word` matches the term `term` under `kind`.
fn word_matches(word: &Word, kind: MatchKind, term: &str) -> bool {
    match kind {
        MatchKind::Stemmed => word.stem == term,
        MatchKind::Exact => word.exact == term,
        MatchKind::Prefix => word.exact.starts_with(term),
    }
}

impl<'a> Tokens<'a> {
    fn new(tokens: &'a [Word]) -> Tokens<'a> {
        let by_position = tokens.iter().map(|t| (t.position, t)).collect();
        Tokens {
            tokens,
            by_position,
        }
    }

    /// The spans that make `plan` match, or `None` when it does not match.
    fn eval(&self, plan: &Plan) -> Option<Vec<Range<usize>>> {
        match plan {
            Plan::Match(matcher) => {
                let spans = self.occurrences(matcher);
                (!spans.is_empty()).then_some(spans)
            }
            Plan::And(parts) => {
                let mut spans = Vec::new();
                for part in parts {
                    match part {
                        Plan::Not(inner) if self.eval(inner).is_some() => return None,
                        Plan::Not(_) => {}
                        other => spans.extend(self.eval(other)?),
                    }
                }
                Some(spans)
            }
            Plan::Or(parts) => {
                let matched: Vec<Vec<Range<usize>>> =
                    parts.iter().filter_map(|p| self.eval(p)).collect();
                (!matched.is_empty()).then(|| matched.into_iter().flatten().collect())
            }
            Plan::Not(inner) => match self.eval(inner) {
                Some(_) => None,
                None => Some(Vec::new()),
            },
        }
    }

    /// Every place the matcher's terms occur at their relative positions.
    fn occurrences(&self, matcher: &Matcher) -> Vec<Range<usize>> {
        let Some(((_, first), rest)) = matcher.terms.split_first() else {
            return Vec::new();
        };
        let kind = matcher.kind;
        self.tokens
            .iter()
            .filter(|w| word_matches(w, kind, first))
            .filter_map(|start| {
                let mut end = start.end;
                for (offset, term) in rest {
                    let word = self.by_position.get(&(start.position + offset))?;
                    if !word_matches(word, kind, term) {
                        return None;
                    }
                    end = end.max(word.end);
                }
                Some(start.start..end)
            })
            .collect()
    }
}

/// Sorts ranges and merges those that overlap or touch.
pub fn merge(spans: &mut Vec<Range<usize>>) {
    spans.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans.drain(..) {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    *spans = merged;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query;

    fn marked(query: &str, text: &str) -> Vec<String> {
        let mut analysis = Analysis::new();
        let parsed = query::parse(query).unwrap();
        let options = query::AnalyzeOptions::default();
        let plan = query::analyze(query, &parsed, &mut analysis, options)
            .unwrap()
            .plan
            .unwrap();
        ranges(&mut analysis, &plan, text)
            .into_iter()
            .map(|r| text[r].to_string())
            .collect()
    }

    #[test]
    fn every_occurrence_of_a_word_is_marked_as_written() {
        assert_eq!(
            marked("pyongyang", "Deter Pyongyang’s threat; Pyongyang, again."),
            ["Pyongyang’s", "Pyongyang"]
        );
    }

    #[test]
    fn phrases_are_marked_whole_and_only_where_they_occur() {
        assert_eq!(
            marked(
                "\"strategic flexibility\"",
                "strategic flexibility matters; a strategic goal is flexible"
            ),
            ["strategic flexibility"]
        );
    }

    #[test]
    fn excluded_words_and_unmatched_branches_are_not_marked() {
        assert_eq!(marked("nuclear -china", "nuclear threat"), ["nuclear"]);
        assert_eq!(
            marked("(nuclear china) OR threat", "nuclear threat"),
            ["threat"]
        );
        assert!(marked("nuclear -threat", "nuclear threat").is_empty());
    }

    #[test]
    fn stems_prefixes_and_cjk_mark_the_surface_form() {
        assert_eq!(
            marked("treaties", "The Treaty and a treaty."),
            ["Treaty", "treaty"]
        );
        assert_eq!(
            marked("semicond*", "Semiconductors, semis."),
            ["Semiconductors"]
        );
        assert_eq!(marked("\"中国的\"", "在中国的经济"), ["中国的"]);
        assert_eq!(marked("한국", "한국은 한국의 미국"), ["한국", "한국"]);
    }

    #[test]
    fn overlapping_and_touching_ranges_merge() {
        let mut spans = vec![5..9, 0..3, 2..4, 9..10, 12..13];
        merge(&mut spans);
        assert_eq!(spans, [0..4, 5..10, 12..13]);
    }
}
