//! Highlighting: the byte ranges of a paragraph that made it match a query.
//!
//! The paragraph is analysed with the same analyzer as the index, and the query [`Plan`] is
//! evaluated over its tokens the way the index evaluates it: a phrase is marked only where all
//! its words occur in order (as one span), words under `NOT` are never marked, and a branch of
//! an `AND` or `OR` that does not match this paragraph marks nothing. Ranges are UTF-8 byte
//! offsets into the paragraph text, sorted, and merged where they overlap or touch.

use std::collections::HashMap;
use std::ops::Range;

use tantivy::tokenizer::{TextAnalyzer, Token};

use crate::analysis;
use crate::query::{Matcher, Plan};

/// The byte ranges of `text` that match `plan`, sorted and non-overlapping.
pub fn ranges(analyzer: &mut TextAnalyzer, plan: &Plan, text: &str) -> Vec<Range<usize>> {
    let tokens = analysis::tokens(analyzer, text);
    let paragraph = Tokens::new(&tokens);
    let mut spans = paragraph.eval(plan).unwrap_or_default();
    merge(&mut spans);
    spans
}

/// A paragraph's tokens, indexed by position for phrase lookups.
struct Tokens<'a> {
    tokens: &'a [Token],
    by_position: HashMap<usize, &'a Token>,
}

impl<'a> Tokens<'a> {
    fn new(tokens: &'a [Token]) -> Tokens<'a> {
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
        self.tokens
            .iter()
            .filter(|t| &t.text == first)
            .filter_map(|start| {
                let mut end = start.offset_to;
                for (offset, term) in rest {
                    let token = self.by_position.get(&(start.position + offset))?;
                    if &token.text != term {
                        return None;
                    }
                    end = end.max(token.offset_to);
                }
                Some(start.offset_from..end)
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
        let mut analyzer = analysis::analyzer();
        let parsed = query::parse(query).unwrap();
        let plan = query::analyze(&parsed, &mut analyzer).plan.unwrap();
        ranges(&mut analyzer, &plan, text)
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
    fn overlapping_and_touching_ranges_merge() {
        let mut spans = vec![5..9, 0..3, 2..4, 9..10, 12..13];
        merge(&mut spans);
        assert_eq!(spans, [0..4, 5..10, 12..13]);
    }
}
