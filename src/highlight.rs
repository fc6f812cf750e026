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

use crate::analysis::{is_format, Analysis, Word};
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
#[cfg(any(test, feature = "internals"))]
pub fn highlights(analysis: &mut Analysis, plan: &Plan, text: &str) -> Vec<Highlight> {
    highlights_with(analysis, plan, text, false).unwrap_or_default()
}

/// `spans` of `text` without the invisible format characters at their ends (a bidi mark or a
/// soft hyphen that a word takes in is no part of what matched, and a highlight ending inside
/// an escape shown for it would be unreadable); a span of nothing else stays as it is.
pub fn without_format_ends(text: &str, spans: &mut [Highlight]) {
    for span in spans {
        let Some(inner) = text.get(span.range.clone()) else {
            continue;
        };
        let start = inner.trim_start_matches(is_format);
        let kept = start.trim_end_matches(is_format);
        if !kept.is_empty() {
            let from = span.range.start + (inner.len() - start.len());
            span.range = from..from + kept.len();
        }
    }
}

/// The spans of `text` that match `plan`, or `None` when it does not match; with
/// `case_sensitive`, a word matches only where it is written with the query's case (letter by
/// letter, as far as both go: `US` is not `us`, `Treaty` matches `Treaties`).
pub fn highlights_with(
    analysis: &mut Analysis,
    plan: &Plan,
    text: &str,
    case_sensitive: bool,
) -> Option<Vec<Highlight>> {
    with_words(analysis, plan, text, case_sensitive, |paragraph| {
        let mut spans = paragraph.eval(plan)?;
        merge(&mut spans);
        Some(spans)
    })
}

/// Whether `plan` matches `text` (as [`highlights_with`] finds), and if so which of `parts`
/// (plans of its own parts) match it too: the text analysed once for all of them.
pub fn parts_matching(
    analysis: &mut Analysis,
    plan: &Plan,
    parts: &[&Plan],
    text: &str,
    case_sensitive: bool,
) -> Option<Vec<bool>> {
    with_words(analysis, plan, text, case_sensitive, |paragraph| {
        paragraph.eval(plan)?;
        Some(
            parts
                .iter()
                .map(|part| paragraph.eval(part).is_some())
                .collect(),
        )
    })
}

/// `then` on the words of `text` as `plan` needs them: stemmed only where a stemmed query term
/// could match (a stem starts with its word's first character).
fn with_words<T>(
    analysis: &mut Analysis,
    plan: &Plan,
    text: &str,
    case_sensitive: bool,
    then: impl FnOnce(&Words) -> T,
) -> T {
    let mut firsts = Vec::new();
    stemmed_initials(plan, &mut firsts);
    let words = analysis.words_stemming(text, |exact| {
        exact.chars().next().is_some_and(|c| firsts.contains(&c))
    });
    then(&Words::new(text, &words, case_sensitive))
}

/// True when `written` (in the text) and `typed` (in the query) have the same case letter by
/// letter, as far as both go (other characters are skipped).
fn same_case(written: &str, typed: &str) -> bool {
    let letters = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphabetic())
            .collect::<Vec<char>>()
    };
    letters(written)
        .iter()
        .zip(letters(typed).iter())
        .all(|(a, b)| a.is_uppercase() == b.is_uppercase())
}

/// The first characters of the stemmed terms of `plan`.
fn stemmed_initials(plan: &Plan, out: &mut Vec<char>) {
    match plan {
        Plan::Match(matcher) if matcher.kind == MatchKind::Stemmed => {
            for (_, term) in &matcher.terms {
                if let Some(c) = term.chars().next() {
                    if !out.contains(&c) {
                        out.push(c);
                    }
                }
            }
        }
        Plan::Match(_) => {}
        Plan::And(parts) | Plan::Or(parts) => {
            for part in parts {
                stemmed_initials(part, out);
            }
        }
        Plan::Not(inner) | Plan::Optional(inner) => stemmed_initials(inner, out),
    }
}

/// A paragraph's words, indexed by position for phrase lookups.
struct Words<'a> {
    text: &'a str,
    words: &'a [Word],
    by_position: HashMap<usize, &'a Word>,
    /// Words match only with the query's case.
    case_sensitive: bool,
}

/// Where `word` matches the term `term` under `kind`: the whole word when it (or its alternate
/// form) does, else the first of its identifier parts that does; `None` when nothing does.
fn word_matches(word: &Word, kind: MatchKind, term: &str) -> Option<Range<usize>> {
    let form_matches = |exact: &str, stem: &str| match kind {
        MatchKind::Stemmed => stem == term,
        MatchKind::Exact => exact == term,
        MatchKind::Prefix => exact.starts_with(term),
        MatchKind::Fuzzy(distance) => strsim::osa_distance(exact, term) <= distance.into(),
        MatchKind::InCjk => exact.contains(term),
    };
    let whole = form_matches(&word.exact, &word.stem)
        || word
            .alternate
            .as_ref()
            .is_some_and(|(exact, stem)| form_matches(exact, stem));
    if whole {
        return Some(word.start..word.end);
    }
    word.parts
        .iter()
        .find(|part| form_matches(&part.exact, &part.stem))
        .map(|part| part.start..part.end)
}

impl<'a> Words<'a> {
    fn new(text: &'a str, words: &'a [Word], case_sensitive: bool) -> Words<'a> {
        let by_position = words.iter().map(|w| (w.position, w)).collect();
        Words {
            text,
            words,
            by_position,
            case_sensitive,
        }
    }

    /// Where `word` matches term number `index` of `matcher` (see [`word_matches`]), also
    /// checking the case when asked to.
    fn matches(&self, word: &Word, matcher: &Matcher, index: usize) -> Option<Range<usize>> {
        let term = &matcher.terms.get(index)?.1;
        let range = word_matches(word, matcher.kind, term)?;
        let typed = matcher.surfaces.get(index);
        match (self.case_sensitive, typed) {
            (true, Some(typed)) if !same_case(&self.text[range.clone()], typed) => None,
            _ => Some(range),
        }
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
                        // Highlighted where it matches; planning puts one only beside a part
                        // that must match (see `Plan::Optional`).
                        Plan::Optional(inner) => spans.extend(self.eval(inner).unwrap_or_default()),
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
            Plan::Optional(inner) => self.eval(inner),
            Plan::Not(inner) => match self.eval(inner) {
                Some(_) => None,
                None => Some(Vec::new()),
            },
        }
    }

    fn occurrences(&self, matcher: &Matcher) -> Vec<Highlight> {
        let ranges = if matcher.kind == MatchKind::InCjk {
            self.character_occurrences(matcher)
        } else if matcher.slop == 0 {
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

    /// The character itself inside every CJK piece that holds it: as written, or else as the
    /// piece's character at its place (a Hangul syllable written as jamo, a half-width kana
    /// with its voicing mark); the whole piece when neither tells it.
    fn character_occurrences(&self, matcher: &Matcher) -> Vec<Range<usize>> {
        let Some((_, character)) = matcher.terms.first() else {
            return Vec::new();
        };
        let mut spans: Vec<Range<usize>> = self
            .words
            .iter()
            .filter(|w| w.exact.contains(character.as_str()))
            .map(
                |w| match self.text[w.start..w.end].find(character.as_str()) {
                    Some(at) => w.start + at..w.start + at + character.len(),
                    None => unit_holding(&self.text[w.start..w.end], &w.exact, character)
                        .map_or(w.start..w.end, |unit| {
                            w.start + unit.start..w.start + unit.end
                        }),
                },
            )
            .collect();
        spans.sort_by_key(|r| (r.start, r.end));
        spans.dedup();
        spans
    }

    /// Every place the matcher's terms occur at exactly their relative positions, as one span.
    fn exact_occurrences(&self, matcher: &Matcher) -> Vec<Range<usize>> {
        if matcher.terms.is_empty() {
            return Vec::new();
        }
        self.words
            .iter()
            .filter_map(|w| Some((w, self.matches(w, matcher, 0)?)))
            .filter_map(|(start, found)| {
                let mut end = found.end;
                for (index, (offset, _)) in matcher.terms.iter().enumerate().skip(1) {
                    let word = self.by_position.get(&(start.position + offset))?;
                    end = end.max(self.matches(word, matcher, index)?.end);
                }
                Some(found.start..end)
            })
            .collect()
    }

    /// The words of every occurrence within the slop, as tantivy counts it: with each word's
    /// position shifted back by its offset in the phrase, the moves between consecutive terms add
    /// up to at most the slop (so order may also swap); a word named twice takes two words (see
    /// [`distinct_placements`]; tantivy lets one serve both, and search checks such phrases).
    ///
    /// A word is marked when some placement of all terms through it stays within the slop:
    /// the cheapest cost of placing the terms before it (forward pass) plus the cheapest cost of
    /// placing those after it (backward pass). Only candidates within the slop of each other are
    /// compared, so the work is bounded by terms × candidates × (2 × slop + 1).
    fn sloppy_occurrences(&self, matcher: &Matcher) -> Vec<Range<usize>> {
        let slop = i64::from(matcher.slop);
        let candidates: Vec<Vec<(i64, Range<usize>)>> = matcher
            .terms
            .iter()
            .enumerate()
            .map(|(index, (offset, _))| {
                let mut found: Vec<(i64, Range<usize>)> = self
                    .words
                    .iter()
                    .filter_map(|w| {
                        let range = self.matches(w, matcher, index)?;
                        Some((w.position as i64 - *offset as i64, range))
                    })
                    .collect();
                found.sort_by_key(|(shifted, _)| *shifted);
                found
            })
            .collect();
        if candidates.iter().any(Vec::is_empty) {
            return Vec::new();
        }
        if matcher.sloppy_with_repeats() && shares_words(&candidates) {
            if let Some(marked) = distinct_placements(&candidates, slop) {
                return marked;
            }
        }
        let forward = cheapest_costs(&candidates, slop);
        let mut reversed = candidates.clone();
        reversed.reverse();
        let mut backward = cheapest_costs(&reversed, slop);
        backward.reverse();
        let mut marked: Vec<Range<usize>> = Vec::new();
        for (i, term_candidates) in candidates.iter().enumerate() {
            for (k, (_, range)) in term_candidates.iter().enumerate() {
                if forward[i][k].saturating_add(backward[i][k]) <= slop {
                    marked.push(range.clone());
                }
            }
        }
        marked.sort_by_key(|r| (r.start, r.end));
        marked.dedup();
        marked
    }
}

/// Whether two terms' candidates hold the same word (a phrase that names a word twice).
fn shares_words(candidates: &[Vec<(i64, Range<usize>)>]) -> bool {
    let mut seen = std::collections::HashSet::new();
    candidates.iter().any(|term| {
        let words: std::collections::HashSet<usize> = term.iter().map(|(_, r)| r.start).collect();
        let shared = words.iter().any(|start| seen.contains(start));
        seen.extend(words);
        shared
    })
}

/// Placements looked at most by [`distinct_placements`] before it gives up.
const MAX_PLACEMENT_STEPS: usize = 100_000;

/// The words of every placement of all terms within `slop` (moves counted as tantivy counts
/// them, see [`cheapest_costs`]) in which each term takes a word of its own: `"walla walla"~1`
/// needs two. `None` when there are too many placements to look at (the caller then marks as
/// tantivy matches).
fn distinct_placements(
    candidates: &[Vec<(i64, Range<usize>)>],
    slop: i64,
) -> Option<Vec<Range<usize>>> {
    let mut search = Placements {
        candidates,
        slop,
        chosen: Vec::with_capacity(candidates.len()),
        marked: candidates.iter().map(|c| vec![false; c.len()]).collect(),
        steps: 0,
    };
    if !search.place(0) {
        return None;
    }
    let mut marked: Vec<Range<usize>> = Vec::new();
    for (term, flags) in candidates.iter().zip(&search.marked) {
        let found = term.iter().zip(flags).filter(|(_, &flag)| flag);
        marked.extend(found.map(|((_, range), _)| range.clone()));
    }
    marked.sort_by_key(|r| (r.start, r.end));
    marked.dedup();
    Some(marked)
}

/// A depth-first search of [`distinct_placements`]: `chosen` holds a candidate for each term
/// placed so far, with the moves they cost.
struct Placements<'a> {
    candidates: &'a [Vec<(i64, Range<usize>)>],
    slop: i64,
    chosen: Vec<(usize, i64)>,
    marked: Vec<Vec<bool>>,
    steps: usize,
}

impl Placements<'_> {
    /// Places term `term` and those after it every way they fit; false when the steps ran out.
    fn place(&mut self, term: usize) -> bool {
        if term == self.candidates.len() {
            for (t, &(k, _)) in self.chosen.iter().enumerate() {
                self.marked[t][k] = true;
            }
            return true;
        }
        let (before, spent) = match self.chosen.last() {
            Some(&(k, spent)) => (Some(self.candidates[term - 1][k].0), spent),
            None => (None, 0),
        };
        let options = &self.candidates[term];
        // Candidates are sorted by shifted position: only those the moves left can reach.
        let reach = match before {
            Some(b) => {
                let left = self.slop - spent;
                let low = options.partition_point(|(s, _)| *s < b - left);
                low..options.partition_point(|(s, _)| *s <= b + left)
            }
            None => 0..options.len(),
        };
        for k in reach {
            let (shifted, range) = &options[k];
            self.steps += 1;
            if self.steps > MAX_PLACEMENT_STEPS {
                return false;
            }
            let cost = spent + before.map_or(0, |b| (shifted - b).abs());
            let used = (self.chosen.iter().enumerate())
                .any(|(t, &(j, _))| self.candidates[t][j].1.start == range.start);
            if cost > self.slop || used {
                continue;
            }
            self.chosen.push((k, cost));
            let finished = self.place(term + 1);
            self.chosen.pop();
            if !finished {
                return false;
            }
        }
        true
    }
}

/// For each term (in the given order) and each of its candidates, the cheapest total of moves
/// needed to place the terms before it, or `i64::MAX` when it cannot be done within `slop`.
fn cheapest_costs(candidates: &[Vec<(i64, Range<usize>)>], slop: i64) -> Vec<Vec<i64>> {
    let mut costs: Vec<Vec<i64>> = Vec::with_capacity(candidates.len());
    for (i, current) in candidates.iter().enumerate() {
        let row = match i.checked_sub(1) {
            None => vec![0; current.len()],
            Some(previous_index) => {
                let previous = &candidates[previous_index];
                let previous_costs = &costs[previous_index];
                current
                    .iter()
                    .map(|(shifted, _)| {
                        let low = previous.partition_point(|(s, _)| *s < shifted - slop);
                        let high = previous.partition_point(|(s, _)| *s <= shifted + slop);
                        (low..high)
                            .filter(|&j| previous_costs[j] <= slop)
                            .map(|j| previous_costs[j] + (shifted - previous[j].0).abs())
                            .min()
                            .unwrap_or(i64::MAX)
                    })
                    .collect()
            }
        };
        costs.push(row);
    }
    costs
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

/// The range in `surface`, a CJK piece whose folded term is `exact`, of its unit that folds to
/// `character`: the piece's units and the term's characters line up one for one.
fn unit_holding(surface: &str, exact: &str, character: &str) -> Option<Range<usize>> {
    let units = crate::analysis::cjk_units(surface);
    let characters: Vec<char> = exact.chars().collect();
    if units.len() != characters.len() {
        return None;
    }
    let wanted = character.chars().next()?;
    let at = characters.iter().position(|&c| c == wanted)?;
    units.get(at).cloned()
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::snippet;
    use crate::query;
    use proptest::prelude::*;

    /// Pieces of hard text: combining marks, emoji with zero-width joiners and skin tones,
    /// right-to-left scripts and marks, CJK, full-width forms, apostrophes, plain words.
    const PIECES: &[&str] = &[
        "e\u{301}",
        "a\u{308}\u{304}",
        "👩\u{200D}👩\u{200D}👧",
        "👍🏽",
        "🇰🇷",
        "שלום",
        "مرحبا",
        "\u{200F}",
        "\u{202E}",
        "한국은",
        "中国的",
        "ｶﾞｯｺｳ",
        "Ａ１",
        "don’t",
        "U.S.",
        "word",
        " ",
        "\n",
        "-",
        "’s",
        "\u{FE0F}",
        "ß",
        "İ",
    ];

    proptest! {
        #[test]
        fn spans_and_snippets_stay_on_char_boundaries(
            picks in proptest::collection::vec(0..PIECES.len(), 0..40),
            query_picks in proptest::collection::vec(0..PIECES.len(), 1..4),
            budget in 1usize..80,
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            let query_text: String = query_picks.iter().map(|&i| PIECES[i]).collect::<Vec<_>>().join(" OR ");
            let Ok(parsed) = query::parse(&query_text) else { return Ok(()) };
            let mut analysis = Analysis::new();
            let options = query::AnalyzeOptions::default();
            let Ok(analyzed) = query::analyze(&query_text, &parsed, &mut analysis, options) else { return Ok(()) };
            let Some(plan) = analyzed.plan else { return Ok(()) };
            let found = highlights(&mut analysis, &plan, &text);
            let mut end = 0;
            for h in &found {
                prop_assert!(h.range.start >= end && h.range.start < h.range.end);
                prop_assert!(text.is_char_boundary(h.range.start) && text.is_char_boundary(h.range.end));
                end = h.range.end;
            }
            for window in snippet::windows(&text, &found, budget) {
                prop_assert!(text.is_char_boundary(window.range.start) && text.is_char_boundary(window.range.end));
            }
        }
    }

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
        assert_eq!(marked("国", "中国的经济，外国"), ["国", "国"]);
    }

    #[test]
    fn a_lone_character_marks_its_syllable_in_korean_written_as_jamo() {
        use unicode_normalization::UnicodeNormalization;
        let decomposed: String = "한국 만세".nfd().collect();
        let syllable = |s: &str| s.nfd().collect::<String>();
        assert_eq!(marked("국", &decomposed), [syllable("국")]);
        assert_eq!(marked("한", &decomposed), [syllable("한")]);
        // Half-width katakana with a voicing mark: the unit with its mark.
        assert_eq!(marked("ガ", "ｶﾞｯｺｳ"), ["ｶﾞ"]);
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
    fn a_word_a_sloppy_phrase_names_twice_is_needed_twice() {
        // tantivy lets one `alliance` serve both terms; the search checks such phrases against
        // the text, where each term takes a word of its own.
        assert!(marked("\"alliance alliance\"~1", "The alliance endures.").is_empty());
        assert_eq!(
            marked("\"alliance alliance\"~1", "An alliance, alliance."),
            ["alliance", "alliance"]
        );
        let once = "bora once here";
        assert!(marked("\"bora once bora\"~2", once).is_empty());
        assert_eq!(
            marked("\"bora once bora\"~2", "bora once bora"),
            ["bora", "once", "bora"]
        );
        // Words that are not repeated are marked as before.
        assert_eq!(marked("\"once bora\"~2", once), ["bora", "once"]);
    }

    #[test]
    fn sloppy_phrases_of_common_words_stay_fast() {
        let text = "error ok ok ".repeat(400);
        let started = std::time::Instant::now();
        let found = marked("\"error error error error error error\"~100", &text);
        assert_eq!(found.len(), 400);
        // Bounded work: well under a second even in a debug build (10x the expected time).
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn format_characters_at_a_spans_ends_are_left_out() {
        let text = "Bidi \u{202E}left\u{202C} right \u{AD}\u{AD}";
        let at = |s: &str| text.find(s).unwrap();
        let mut spans = vec![
            Highlight {
                range: at("\u{202E}")..at(" right"),
                term: "left".into(),
            },
            Highlight {
                range: at("\u{AD}")..text.len(),
                term: "shy".into(),
            },
        ];
        without_format_ends(text, &mut spans);
        assert_eq!(&text[spans[0].range.clone()], "left");
        assert_eq!(&text[spans[1].range.clone()], "\u{AD}\u{AD}");
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
