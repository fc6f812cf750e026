//! "Did you mean": for a query that matched nothing, the same query with each word the index
//! does not hold replaced by the word of the index closest to it (fewest edits, then most
//! paragraphs), as it is written in the text.

use std::ops::Range;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Term, TERMINATED};

use super::stored::Stored;
use super::Session;
use crate::analysis::exact_forms::SegmentForms;
use crate::analysis::{StemCache, Word};
use crate::error::Result;

/// Words shorter than this are not corrected (too many words are one edit from them).
const MIN_WORD_CHARS: usize = 4;

/// Candidates looked up in stored paragraphs at most, best first, for one word: a word whose
/// close terms are all in removed paragraphs gets no suggestion rather than a long search.
const MAX_CANDIDATES_READ: usize = 8;

/// Missing words corrected at most in one query (each costs a walk of the term dictionary);
/// the rest are left as they are.
const MAX_WORDS_CORRECTED: usize = 16;

impl Session<'_> {
    /// The query `query` with every word the index does not hold replaced by the closest word
    /// it does hold; `None` when no word is missing or none has a close match. Operators,
    /// quotes and other syntax are kept as they are. With `exact`, a word is missing when the
    /// index does not hold it in that form (`allianc`, though `alliance`'s stem, is missing).
    pub fn suggest(&mut self, query: &str, exact: bool) -> Result<Option<String>> {
        let words = self.analysis.words(query);
        let filters = path_filters(query);
        let skipped =
            |start: usize| filters.iter().any(|f| f.contains(&start)) || excluded(query, start);
        let mut looked_up = Corrections::new();
        let mut replaced: Vec<(Range<usize>, String)> = Vec::new();
        for word in &words {
            let surface = &query[word.start..word.end];
            if skipped(word.start)
                || surface.chars().count() < MIN_WORD_CHARS
                || surface.chars().all(|c| c.is_uppercase())
                || self.held(word, exact)?
            {
                continue;
            }
            if let Some(replacement) =
                self.correction(&mut looked_up, &word.exact, &word.stem, exact)?
            {
                replaced.push((word.start..word.end, replacement));
            }
        }
        // A hyphenated word with a piece missing and none corrected (`e-mial`: `e` too short,
        // `mial` near nothing): the word written joined, corrected (`email`).
        for (range, joined) in hyphenated(query) {
            let overlaps = |r: &Range<usize>| r.start < range.end && range.start < r.end;
            if skipped(range.start) || replaced.iter().any(|(r, _)| overlaps(r)) {
                continue;
            }
            let mut missing = false;
            for word in words.iter().filter(|w| range.contains(&w.start)) {
                missing |= !self.held(word, exact)?;
            }
            let mut whole = self.analysis.words(&joined);
            let (Some(word), true, true) = (whole.pop(), whole.is_empty(), missing) else {
                continue;
            };
            if self.held(&word, exact)? {
                continue;
            }
            if let Some(replacement) =
                self.correction(&mut looked_up, &word.exact, &word.stem, exact)?
            {
                replaced.push((range, replacement));
            }
        }
        if replaced.is_empty() {
            return Ok(None);
        }
        replaced.sort_by_key(|(range, _)| range.start);
        let mut suggestion = String::new();
        let mut copied = 0;
        for (range, replacement) in replaced {
            suggestion.push_str(&query[copied..range.start]);
            suggestion.push_str(&replacement);
            copied = range.end;
        }
        suggestion.push_str(&query[copied..]);
        Ok(Some(suggestion))
    }

    /// The closest word to a missing one ([`Session::closest`]), each different word looked up
    /// once and at most [`MAX_WORDS_CORRECTED`] of them (`None` past that).
    fn correction(
        &mut self,
        looked_up: &mut Corrections,
        exact: &str,
        stem: &str,
        exact_mode: bool,
    ) -> Result<Option<String>> {
        let key = (exact.to_string(), stem.to_string());
        if let Some(known) = looked_up.get(&key) {
            return Ok(known.clone());
        }
        if looked_up.len() >= MAX_WORDS_CORRECTED {
            return Ok(None);
        }
        let found = self.closest(exact, stem, exact_mode)?;
        looked_up.insert(key, found.clone());
        Ok(found)
    }

    /// Whether a paragraph holds `word`: its stem, or with `exact` the word in its own form.
    fn held(&self, word: &Word, exact: bool) -> Result<bool> {
        if !exact {
            return Ok(self.doc_freq(&word.stem)? > 0);
        }
        let mut stems = StemCache::default();
        for reader in self.searcher.segment_readers() {
            let fields = super::exact::form_fields(self.index.fields);
            let mut segment = SegmentForms::open(reader, fields, &mut stems)?;
            // The first document holding it is enough (a count would walk them all).
            if segment
                .docs(&word.exact)?
                .is_some_and(|docs| docs.doc() != TERMINATED)
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// How many paragraphs hold the stem `stem`.
    fn doc_freq(&self, stem: &str) -> Result<u64> {
        let term = Term::from_field_text(self.index.fields.body, stem);
        Ok(self.searcher.doc_freq(&term)?)
    }

    /// The word of the index closest to the query word `exact` (stem `stem`): among the
    /// stems near `stem` and the inflected words near `exact` (AUTO distance: one edit up to
    /// five letters, then two), the fewest edits, then the most paragraphs; written as the
    /// text writes it. With `exact_mode`, edits are counted from the word as written only (a
    /// stem near the word's stem is no closer: `-x runnning` is `running`, not `run`).
    fn closest(&mut self, exact: &str, stem: &str, exact_mode: bool) -> Result<Option<String>> {
        let fields = self.index.fields;
        // A word that is its own stem is only in the stemmed field: look near both forms.
        let mut candidates = self.near(fields.body, stem)?;
        candidates.extend(self.near(fields.body, exact)?);
        for (word, count, _) in self.near(fields.body_exact, exact)? {
            // Exact-form keys carry their stem after `\u{1}` when they do not start with it.
            let Some(word) = word.split('\u{1}').next().filter(|w| !w.is_empty()) else {
                continue;
            };
            candidates.push((word.to_string(), count, true));
        }
        let distance = |word: &str, is_exact: bool| match is_exact || exact_mode {
            true => edits(exact, word),
            false => edits(exact, word).min(edits(stem, word)),
        };
        // The word itself (as written, or as its stem) is no correction; with `exact_mode` its
        // stem is another word (`-x cats`: `cat`).
        candidates.retain(|(word, _, _)| word != exact && (exact_mode || word != stem));
        // With `exact_mode`, a stem near the word's stem may be far from the word as written
        // (`-x treaties`: `threat`, near `treati`): within the word's own distance only.
        if exact_mode {
            let most = if exact.chars().count() <= 5 { 1 } else { 2 };
            candidates.retain(|(word, _, _)| edits(exact, word) <= most);
        }
        // The stemmed field is looked at near both forms: a term found twice is one candidate.
        let mut seen = std::collections::HashSet::new();
        candidates.retain(|(word, _, is_exact)| seen.insert((word.clone(), *is_exact)));
        candidates.sort_by_cached_key(|(word, count, is_exact)| {
            (
                distance(word, *is_exact),
                std::cmp::Reverse(*count),
                word.clone(),
                // A word's stemmed-field candidate before its exact-form one, as gathered.
                *is_exact,
            )
        });
        // The term dictionary still counts paragraphs removed since the last merge: the best
        // candidate that a paragraph of the index still holds.
        for (word, _, is_exact) in candidates.into_iter().take(MAX_CANDIDATES_READ) {
            let written = match is_exact {
                true => {
                    let stem = self.analysis.stem(&word);
                    self.written(&stem, Some(&word))?
                }
                false => self.written(&word, None)?,
            };
            if written.is_some() {
                return Ok(written);
            }
        }
        Ok(None)
    }

    /// The terms of `field` within AUTO distance of `text`, with how many paragraphs hold each
    /// (summed over segments), marked as exact forms for the exact-form field.
    fn near(&self, field: tantivy::schema::Field, text: &str) -> Result<Vec<(String, u64, bool)>> {
        let distance = if text.chars().count() <= 5 { 1 } else { 2 };
        let term = Term::from_field_text(field, text);
        let automaton = FuzzyTermQuery::new(term, distance, true).automaton()?;
        let is_exact = field == self.index.fields.body_exact;
        // Summed by term (a common short word has tens of thousands near it).
        let mut found: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
        for reader in self.searcher.segment_readers() {
            let index = reader.inverted_index(field)?;
            let mut stream = index.terms().search(&automaton).into_stream()?;
            while stream.advance() {
                let Ok(key) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                *found.entry(key.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
        Ok(found
            .into_iter()
            .map(|(term, count)| (term, count, is_exact))
            .collect())
    }

    /// The stem `stem` (or, given, its exact word `exact`) as the first paragraph holding it
    /// writes it (`pyongyang` is `Pyongyang`); the word itself when that paragraph does not
    /// show it; `None` when no paragraph the index still holds has the stem.
    fn written(&mut self, stem: &str, exact: Option<&str>) -> Result<Option<String>> {
        let fallback = exact.unwrap_or(stem).to_string();
        let term = Term::from_field_text(self.index.fields.body, stem);
        for (ord, reader) in self.searcher.segment_readers().iter().enumerate() {
            let index = reader.inverted_index(self.index.fields.body)?;
            let Some(mut postings) = index.read_postings(&term, IndexRecordOption::Basic)? else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED && reader.is_deleted(doc) {
                doc = postings.advance();
            }
            if doc == TERMINATED {
                continue;
            }
            let address = DocAddress::new(ord as u32, doc);
            let stored = Stored::load(&self.searcher, self.index.fields, address)?;
            let text = stored.indexed();
            let words = self.analysis.words(text);
            // An exact word the paragraph does not show (another inflection of its stem is
            // there) is suggested as it is, never as that other word.
            let wanted = |w: &&crate::analysis::Word| match exact {
                Some(exact) => w.exact == exact,
                None => w.stem == stem,
            };
            let shown = words
                .iter()
                .find(wanted)
                .map(|w| visible(without_possessive(&text[w.start..w.end])));
            return Ok(Some(shown.unwrap_or(fallback)));
        }
        Ok(None)
    }
}

/// A word as it reads: without the invisible format characters a word may hold (a soft
/// hyphen, a directional mark), which a suggestion pasted back would carry for nothing; a
/// zero-width non-joiner or joiner between two letters is part of how the word is written
/// (Persian `کتاب‌ها`) and stays.
fn visible(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let kept = |at: usize, c: char| {
        let before = at.checked_sub(1).and_then(|b| chars.get(b)).copied();
        !crate::analysis::is_format(c)
            || crate::analysis::is_joiner_in_word(before, c, chars.get(at + 1).copied())
    };
    chars
        .iter()
        .enumerate()
        .filter(|&(at, &c)| kept(at, c))
        .map(|(_, &c)| c)
        .collect()
}

/// A word without its possessive ending (`Pyongyang’s` is `Pyongyang`).
fn without_possessive(word: &str) -> &str {
    ["'s", "’s", "'S", "’S", "'", "’"]
        .iter()
        .find_map(|ending| word.strip_suffix(ending))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(word)
}

/// Whether `c` is a quote the query syntax reads as a phrase's (straight or typographic).
fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '«' | '»'
    )
}

/// Whether the word at byte `start` of `query` is excluded (`-word`, `NOT word`): a word the
/// query does not want is not worth correcting (the query would only match less).
fn excluded(query: &str, start: usize) -> bool {
    let before = query[..start].trim_end_matches(|c: char| c == '(' || is_quote(c));
    // A `-` that opens the word (not one inside a hyphenated word: `rocket-launch`).
    let opens =
        |rest: &str| rest.is_empty() || rest.ends_with(char::is_whitespace) || rest.ends_with('(');
    // `NOT` as the last word before it (after its own opening parentheses), told from the
    // end alone: a query of one long word must not be scanned back from each of its pieces.
    let not_before = |trimmed: &str| {
        trimmed.strip_suffix("NOT").is_some_and(|rest| {
            let rest = rest.trim_end_matches('(');
            rest.is_empty() || rest.ends_with(char::is_whitespace)
        })
    };
    before.strip_suffix('-').is_some_and(opens)
        || (before.len() != before.trim_end().len() && not_before(before.trim_end()))
}

/// The corrections looked up for one query, by missing word (exact form, stem).
type Corrections = std::collections::HashMap<(String, String), Option<String>>;

/// The hyphenated words of `query` (see [`crate::query::hyphen_pieces`]): where each stands,
/// and the word written joined.
fn hyphenated(query: &str) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    let mut at = 0;
    for chunk in query.split_inclusive(char::is_whitespace) {
        if let Some((range, pieces)) = crate::query::hyphen_pieces(chunk.trim_end()) {
            found.push((at + range.start..at + range.end, pieces.concat()));
        }
        at += chunk.len();
    }
    found
}

/// The byte ranges of the `path:` filters of `query` (globs are not words to correct), each
/// glob as the parser reads it (quoted, or with a `\ `: `path:"my notes/*.md"`).
fn path_filters(query: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut at = 0;
    while at < query.len() {
        let rest = &query[at..];
        let opens = at == 0 || query[..at].ends_with(char::is_whitespace);
        let word = match opens {
            true => rest.trim_start_matches(['-', '+', '(']),
            false => "",
        };
        if !word.starts_with("path:") {
            at += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let glob = &word["path:".len()..];
        let end = query.len() - glob.len() + crate::query::path_glob_bytes(glob);
        ranges.push(at..end);
        at = end.max(at + 1);
    }
    ranges
}

/// The edit distance between `a` and `b` as the fuzzy search counts it (insertions,
/// deletions, substitutions, and swaps of neighbours).
fn edits(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

#[cfg(test)]
mod tests {
    use super::{edits, excluded, path_filters, visible, without_possessive};

    #[test]
    fn a_joiner_inside_a_word_stays_in_its_suggestion() {
        assert_eq!(visible("کتاب\u{200C}ها"), "کتاب\u{200C}ها");
        assert_eq!(visible("\u{200C}ab\u{AD}c\u{200D}"), "abc");
    }

    #[test]
    fn possessives_and_invisible_characters_are_not_suggested() {
        assert_eq!(without_possessive("Pyongyang’s"), "Pyongyang");
        assert_eq!(without_possessive("allies'"), "allies");
        assert_eq!(without_possessive("treaty"), "treaty");
        assert_eq!(visible("bank\u{AD}ruptcy\u{200E}"), "bankruptcy");
    }

    #[test]
    fn excluded_words_are_not_corrected() {
        let query = "pad -launch -rockett NOT orbitt (NOT x) \"-y\" nott z";
        let at = |w: &str| query.find(w).unwrap();
        assert!(excluded(query, at("launch")));
        assert!(excluded(query, at("rockett")));
        assert!(excluded(query, at("orbitt")));
        assert!(excluded(query, at("x)")));
        assert!(!excluded(query, at("pad")));
        assert!(!excluded(query, at("nott")));
        assert!(!excluded(query, at("z")));
        let hyphenated = "rocket-launchh (-orbitt)";
        assert!(!excluded(hyphenated, hyphenated.find("launchh").unwrap()));
        assert!(excluded(hyphenated, hyphenated.find("orbitt").unwrap()));
        let typographic = "pad -“rockett launch”";
        assert!(excluded(typographic, typographic.find("rockett").unwrap()));
    }

    #[test]
    fn path_filters_are_not_words() {
        let query = "alliance path:docs/*.md treaty";
        let ranges = path_filters(query);
        assert_eq!(ranges.len(), 1);
        assert_eq!(query[ranges[0].clone()].trim(), "path:docs/*.md");
        // A glob with a space, quoted or escaped, is one filter to its end.
        for (query, glob) in [
            (
                "a path:\"my sharin/*.md\" nuclearr",
                "path:\"my sharin/*.md\"",
            ),
            (
                "a -path:my\\ sharin/*.md nuclearr",
                "-path:my\\ sharin/*.md",
            ),
        ] {
            let ranges = path_filters(query);
            assert_eq!(ranges.len(), 1, "{query}");
            assert_eq!(&query[ranges[0].clone()], glob);
        }
    }

    #[test]
    fn edits_count_swaps_as_one() {
        assert_eq!(edits("pyongyng", "pyongyang"), 1);
        assert_eq!(edits("teh", "the"), 1);
        assert_eq!(edits("alliance", "alliance"), 0);
        assert_eq!(edits("", "abc"), 3);
    }
}
