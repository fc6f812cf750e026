//! Highlighting: the byte ranges of a paragraph that made it match a query, each named after the
//! query word or phrase that produced it.
//!
//! The paragraph is analysed with the same analyzer as the index, and the query [`Plan`] is
//! evaluated over its words the way the index evaluates it: an exact phrase is marked only where
//! all its words occur in order (as one span); a phrase with slop marks each of its words where
//! they occur within the slop (not the gap between them); stemmed, prefix and fuzzy matches mark
//! the surface word; words under `NOT` are never marked; a branch of an `AND` or `OR` that does
//! not match this paragraph marks nothing. Ranges are UTF-8 byte offsets into the paragraph text,
//! sorted, and merged where they overlap (or touch, for spans of the same query part).

use std::collections::HashMap;
use std::ops::Range;

use crate::analysis::{Analysis, Word};
use crate::query::{MatchKind, Matcher, Plan};

/// One highlighted span of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Highlight {
    /// Byte range in the paragraph text.
    pub range: Range<usize>,
    /// The query word or phrase that produced it, as the user wrote it.
    pub term: String,
}

/// The spans of `text` that match `plan`, sorted and non-overlapping.
pub fn highlights(analysis: &mut Analysis, plan: &Plan, text: &str) -> Vec<Highlight> {
    let words = analysis.words(text);
    let paragraph = Words::new(&words);
    let mut spans = paragraph.eval(plan).unwrap_or_default();
    merge(&mut spans);
    spans
}

/// A paragraph's words, indexed by position for phrase lookups.
struct Words<'a> {
    words: &'a [Word],
    by_position: HashMap<usize, &'a Word>,
}

/// True when `word` matches the term `term` under `kind`.
fn word_matches(word: &Word, kind: MatchKind, term: &str) -> bool {
    match kind {
        MatchKind::Stemmed => word.stem == term,
        MatchKind::Exact => word.exact == term,
        MatchKind::Prefix => word.exact.starts_with(term),
        MatchKind::Fuzzy(distance) => strsim::osa_distance(&word.exact, term) <= distance.into(),
    }
}

impl<'a> Words<'a> {
    fn new(words: &'a [Word]) -> Words<'a> {
        let by_position = words.iter().map(|w| (w.position, w)).collect();
        Words { words, by_position }
    }

    /// The spans that make `plan` match, or `None` when it does not match.
    fn eval(&self, plan: &Plan) -> Option<Vec<Highlight>> {
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
                let matched: Vec<Vec<Highlight>> =
                    parts.iter().filter_map(|p| self.eval(p)).collect();
                (!matched.is_empty()).then(|| matched.into_iter().flatten().collect())
            }
            Plan::Not(inner) => match self.eval(inner) {
                Some(_) => None,
                None => Some(Vec::new()),
            },
        }
    }

    fn occurrences(&self, matcher: &Matcher) -> Vec<Highlight> {
        let ranges = if matcher.slop == 0 {
            self.exact_occurrences(matcher)
        } else {
            self.sloppy_occurrences(matcher)
        };
        ranges
            .into_iter()
            .map(|range| Highlight {
                range,
                term: matcher.label.clone(),
            })
            .collect()
    }

    /// Every place the matcher's terms occur at exactly their relative positions, as one span.
    fn exact_occurrences(&self, matcher: &Matcher) -> Vec<Range<usize>> {
        let Some(((_, first), rest)) = matcher.terms.split_first() else {
            return Vec::new();
        };
        let kind = matcher.kind;
        self.words
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

    /// The words of every occurrence within the slop, as tantivy counts it: with each word's
    /// position shifted back by its offset in the phrase, the moves between consecutive words
    /// add up to at most the slop (so order may also swap).
    fn sloppy_occurrences(&self, matcher: &Matcher) -> Vec<Range<usize>> {
        let candidates: Vec<Vec<&Word>> = matcher
            .terms
            .iter()
            .map(|(_, term)| {
                self.words
                    .iter()
                    .filter(|w| word_matches(w, matcher.kind, term))
                    .collect()
            })
            .collect();
        let mut marked: Vec<Range<usize>> = Vec::new();
        let mut chosen: Vec<&Word> = Vec::with_capacity(matcher.terms.len());
        for first in candidates.first().into_iter().flatten() {
            chosen.clear();
            chosen.push(first);
            let shifted = first.position as i64 - matcher.terms[0].0 as i64;
            self.extend_sloppy(
                matcher,
                &candidates,
                shifted,
                i64::from(matcher.slop),
                &mut chosen,
                &mut marked,
            );
        }
        marked
    }

    fn extend_sloppy<'w>(
        &self,
        matcher: &Matcher,
        candidates: &[Vec<&'w Word>],
        previous: i64,
        budget: i64,
        chosen: &mut Vec<&'w Word>,
        marked: &mut Vec<Range<usize>>,
    ) {
        let index = chosen.len();
        if index == matcher.terms.len() {
            marked.extend(chosen.iter().map(|w| w.start..w.end));
            return;
        }
        let offset = matcher.terms[index].0 as i64;
        for word in &candidates[index] {
            let shifted = word.position as i64 - offset;
            let cost = (shifted - previous).abs();
            if cost <= budget && !chosen.iter().any(|c| c.position == word.position) {
                chosen.push(word);
                self.extend_sloppy(matcher, candidates, shifted, budget - cost, chosen, marked);
                chosen.pop();
            }
        }
    }
}

/// Sorts spans and merges those that overlap, and those that touch when one query part made
/// both. A merged span is named after its widest part.
pub fn merge(spans: &mut Vec<Highlight>) {
    spans.sort_by_key(|h| (h.range.start, std::cmp::Reverse(h.range.end)));
    let mut merged: Vec<Highlight> = Vec::with_capacity(spans.len());
    for span in spans.drain(..) {
        match merged.last_mut() {
            Some(last)
                if span.range.start < last.range.end
                    || (span.range.start == last.range.end && span.term == last.term) =>
            {
                if span.range.len() > last.range.len() {
                    last.term = span.term;
                }
                last.range.end = last.range.end.max(span.range.end);
            }
            _ => merged.push(span),
        }
    }
    *spans = merged;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query;

    fn spans(query: &str, text: &str) -> Vec<(String, String)> {
        let mut analysis = Analysis::new();
        let parsed = query::parse(query).unwrap();
        let options = query::AnalyzeOptions::default();
        let plan = query::analyze(query, &parsed, &mut analysis, options)
            .unwrap()
            .plan
            .unwrap();
        highlights(&mut analysis, &plan, text)
            .into_iter()
            .map(|h| (text[h.range].to_string(), h.term))
            .collect()
    }

    fn marked(query: &str, text: &str) -> Vec<String> {
        spans(query, text).into_iter().map(|(s, _)| s).collect()
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
            spans(
                "\"strategic flexibility\"",
                "strategic flexibility matters; a strategic goal is flexible"
            ),
            [(
                "strategic flexibility".into(),
                "\"strategic flexibility\"".into()
            )]
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
    fn fuzzy_words_mark_what_is_within_the_distance() {
        assert_eq!(
            spans("Pyongyng~1", "Pyongyang and Pyongyong, not Pyeongchang"),
            [
                ("Pyongyang".into(), "Pyongyng~1".into()),
                ("Pyongyong".into(), "Pyongyng~1".into())
            ]
        );
        assert_eq!(marked("teh~1", "the then"), ["the"]);
    }

    #[test]
    fn sloppy_phrases_mark_their_words_not_the_gap() {
        let text = "A modern alliance begins. The alliance is not modern at all.";
        assert_eq!(
            marked("\"alliance modern\"~3", text),
            ["modern", "alliance", "alliance", "modern"]
        );
        assert_eq!(marked("\"modern begins\"~1", text), ["modern", "begins"]);
        assert!(marked("\"modern begins\"~0", text).is_empty());
        assert!(marked("\"begins modern\"~1", text).is_empty());
    }

    #[test]
    fn overlapping_spans_merge_and_touching_ones_of_one_part_too() {
        let h = |r: Range<usize>, t: &str| Highlight {
            range: r,
            term: t.into(),
        };
        let mut spans = vec![
            h(5..9, "b"),
            h(0..3, "a"),
            h(2..4, "ab"),
            h(9..10, "b"),
            h(10..12, "c"),
        ];
        merge(&mut spans);
        assert_eq!(spans, [h(0..4, "a"), h(5..10, "b"), h(10..12, "c")]);
    }
}
