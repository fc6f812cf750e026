//! Queries on exact word forms. Which documents hold an exact word is the exact-form format's
//! to say (`analysis::exact_forms`, read with [`SegmentForms`]); this module scores and
//! gathers them.
//!
//! [`ExactWordQuery`] finds one exact word, scored by BM25 with the stemmed field's norms and
//! token count (the same tokens as the exact words), so scores are what a field of every exact
//! word would give. [`WordSetQuery`] matches the exact words picked by a prefix, an edit
//! distance or a pattern (matched, not scored).

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::InvertedIndexReader;
use tantivy::postings::TermInfo;
use tantivy::query::{
    Bm25Weight, DfaWrapper, EmptyScorer, EnableScoring, Explanation, FuzzyTermQuery, Query, Scorer,
    TermQuery, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

use super::prefix::Matches;
use crate::analysis::exact_forms::{
    each_term, found_as_stem, irregular_stem, starting_with, ExactDocs, FormFields, SegmentForms,
};
use crate::analysis::StemCache;
use crate::index::Fields;

/// The fields exact words are read from.
pub(super) fn form_fields(fields: Fields) -> FormFields {
    FormFields {
        stemmed: fields.body,
        exact: fields.body_exact,
    }
}

/// Stems of the words queries look at, shared by a query's segments (which mostly hold the
/// same candidate inflections), by the weights built from it, and by every exact word of the
/// queries built on one thread: a cache, right for any of them, of a fixed size (one per
/// word of a query of 4,000 exact words held 280 MB).
#[derive(Clone)]
struct SharedStems(Arc<Mutex<StemCache>>);

impl Default for SharedStems {
    fn default() -> Self {
        thread_local! {
            static STEMS: SharedStems =
                SharedStems(Arc::new(Mutex::new(StemCache::with_slots(QUERY_STEMS))));
        }
        STEMS.with(SharedStems::clone)
    }
}

impl std::fmt::Debug for SharedStems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedStems")
    }
}

impl SharedStems {
    fn lock(&self) -> MutexGuard<'_, StemCache> {
        // A panic while holding the lock leaves a cache that is still a cache.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Slots of a query's stem cache: a short stem's range can hold a few hundred candidates.
const QUERY_STEMS: usize = 1024;

/// Finds one exact (normalised) word, scored by BM25 as described in the module docs.
#[derive(Debug, Clone)]
pub struct ExactWordQuery {
    fields: Fields,
    word: String,
    stems: SharedStems,
}

impl ExactWordQuery {
    /// A query for the exact word `word`.
    pub fn new(fields: Fields, word: &str) -> ExactWordQuery {
        ExactWordQuery {
            fields,
            word: word.to_string(),
            stems: SharedStems::default(),
        }
    }
}

impl Query for ExactWordQuery {
    /// Looks the word up in every segment once. A word that is its own stem and has no
    /// inflection in any segment has exactly its stem's postings, which tantivy's term query
    /// scores the same (same postings, norms and statistics) and prunes by block maxima; any
    /// other word is scored here, with its document frequency counted on the way.
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let mut doc_freq = 0;
        if let Some(searcher) = scoring.searcher() {
            let mut stems = self.stems.lock();
            let own = found_as_stem(&self.word, &mut stems);
            let mut subtracts = false;
            for reader in searcher.segment_readers() {
                let mut segment = SegmentForms::open(reader, form_fields(self.fields), &mut stems)?;
                if let Some(found) = segment.docs(&self.word)? {
                    subtracts |= found.subtracts();
                    if scoring.is_scoring_enabled() {
                        doc_freq += found.count();
                    }
                }
            }
            if own && !subtracts {
                let term = Term::from_field_text(self.fields.body, &self.word);
                return TermQuery::new(term, IndexRecordOption::WithFreqs).weight(scoring);
            }
        }
        let bm25 = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => {
                let docs = statistics_provider.total_num_docs()?;
                let tokens = statistics_provider.total_num_tokens(self.fields.body)?;
                let average = if docs == 0 {
                    0.0
                } else {
                    tokens as Score / docs as Score
                };
                Some(Bm25Weight::for_one_term(doc_freq, docs, average))
            }
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(ExactWordWeight {
            fields: self.fields,
            word: self.word.clone(),
            stems: self.stems.clone(),
            bm25,
        }))
    }
}

struct ExactWordWeight {
    fields: Fields,
    word: String,
    stems: SharedStems,
    /// `None` when scoring is off.
    bm25: Option<Bm25Weight>,
}

impl ExactWordWeight {
    /// The scorer of `reader`'s documents holding the word, if any does.
    fn exact_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<ExactWordScorer>> {
        let mut stems = self.stems.lock();
        let mut segment = SegmentForms::open(reader, form_fields(self.fields), &mut stems)?;
        let Some(docs) = segment.docs(&self.word)? else {
            return Ok(None);
        };
        Ok(Some(ExactWordScorer {
            docs,
            norms: reader.get_fieldnorms_reader(self.fields.body)?,
            bm25: self.bm25.as_ref().map(|bm25| bm25.boost_by(boost)),
            boost,
        }))
    }
}

impl Weight for ExactWordWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.exact_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    /// BM25's breakdown, as a term query's (the word's frequency in the paragraph, how many
    /// paragraphs hold it, the lengths), naming the exact word.
    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let does_not_match =
            || TantivyError::InvalidArgument(format!("document {doc} does not match"));
        let mut scorer = self.exact_scorer(reader, 1.0)?.ok_or_else(does_not_match)?;
        if scorer.seek(doc) != doc {
            return Err(does_not_match());
        }
        let mut explanation = match &self.bm25 {
            Some(bm25) => bm25.explain(scorer.norms.fieldnorm_id(doc), scorer.docs.term_freq()),
            None => Explanation::new("ExactWordScorer", scorer.score()),
        };
        explanation.add_context(format!("exact word {:?}", self.word));
        Ok(explanation)
    }
}

struct ExactWordScorer {
    docs: ExactDocs,
    norms: FieldNormReader,
    bm25: Option<Bm25Weight>,
    boost: Score,
}

impl DocSet for ExactWordScorer {
    fn advance(&mut self) -> DocId {
        self.docs.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.docs.seek(target)
    }

    fn doc(&self) -> DocId {
        self.docs.doc()
    }

    fn size_hint(&self) -> u32 {
        self.docs.size_hint()
    }
}

impl Scorer for ExactWordScorer {
    fn score(&mut self) -> Score {
        match &self.bm25 {
            Some(bm25) => {
                let norm = self.norms.fieldnorm_id(self.docs.doc());
                bm25.score(norm, self.docs.term_freq())
            }
            None => self.boost,
        }
    }
}

/// How a [`WordSetQuery`] picks its exact words.
#[derive(Debug, Clone)]
enum Pick {
    /// Words starting with these bytes.
    Prefix(String),
    /// Words within this edit distance (transpositions count one) of a word.
    Fuzzy(String, u8),
    /// Words matching a regular expression (whole word).
    Pattern(String),
}

/// Matches the documents holding any exact word a prefix, an edit distance or a pattern
/// picks (every match scores the boost).
#[derive(Debug, Clone)]
pub struct WordSetQuery {
    fields: Fields,
    pick: Pick,
    stems: SharedStems,
}

impl WordSetQuery {
    /// The exact words starting with `prefix`.
    pub fn prefix(fields: Fields, prefix: &str) -> WordSetQuery {
        WordSetQuery {
            fields,
            pick: Pick::Prefix(prefix.to_string()),
            stems: SharedStems::default(),
        }
    }

    /// The exact words within `distance` edits of `word`.
    pub fn fuzzy(fields: Fields, word: &str, distance: u8) -> WordSetQuery {
        WordSetQuery {
            fields,
            pick: Pick::Fuzzy(word.to_string(), distance),
            stems: SharedStems::default(),
        }
    }

    /// The exact words matching the regular expression `pattern` (tantivy's syntax).
    pub fn pattern(fields: Fields, pattern: &str) -> tantivy::Result<WordSetQuery> {
        regex(pattern)?;
        Ok(WordSetQuery {
            fields,
            pick: Pick::Pattern(pattern.to_string()),
            stems: SharedStems::default(),
        })
    }
}

impl Query for WordSetQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let picker = match &self.pick {
            Pick::Prefix(prefix) => Picker::Prefix(prefix.clone()),
            Pick::Fuzzy(word, distance) => {
                let term = Term::from_field_text(self.fields.body_exact, word);
                Picker::Fuzzy(FuzzyTermQuery::new(term, *distance, true).automaton()?)
            }
            Pick::Pattern(pattern) => Picker::Pattern(regex(pattern)?),
        };
        Ok(Box::new(WordSetWeight {
            fields: self.fields,
            picker,
            stems: self.stems.clone(),
        }))
    }
}

/// A regular expression over whole terms.
fn regex(pattern: &str) -> tantivy::Result<tantivy_fst::Regex> {
    tantivy_fst::Regex::new(pattern)
        .map_err(|e| TantivyError::InvalidArgument(format!("{pattern}: {e}")))
}

/// A [`Pick`] made ready to walk dictionaries with, once per weight.
enum Picker {
    Prefix(String),
    Fuzzy(DfaWrapper),
    Pattern(tantivy_fst::Regex),
}

struct WordSetWeight {
    fields: Fields,
    picker: Picker,
    stems: SharedStems,
}

/// What one dictionary contributes to a word set in one segment.
#[derive(Default)]
struct Found {
    /// Terms all of whose documents match.
    whole: Vec<TermInfo>,
    /// Stems whose own occurrences must be told from their inflections'.
    own: Vec<String>,
}

impl WordSetWeight {
    /// Calls `each` with the terms of `index` that the picker picks, as (key, term info).
    fn picked(
        &self,
        index: &InvertedIndexReader,
        mut each: impl FnMut(&str, &TermInfo) -> tantivy::Result<()>,
    ) -> tantivy::Result<()> {
        let dictionary = index.terms();
        match &self.picker {
            Picker::Prefix(prefix) => {
                each_term(starting_with(dictionary, prefix.as_bytes())?, &mut each)
            }
            Picker::Fuzzy(automaton) => {
                each_term(dictionary.search(automaton).into_stream()?, &mut each)
            }
            Picker::Pattern(regex) => each_term(dictionary.search(regex).into_stream()?, &mut each),
        }
    }

    /// The picked words of one segment: inflected words from the exact-form field, and stems
    /// from the stemmed field. All the documents of a stem match when every word inflected
    /// from it is picked too (a prefix shorter than the stem picks all its regular
    /// inflections, and its irregular ones are known); otherwise its own occurrences are told
    /// apart from those of inflections that were not picked.
    fn found(&self, segment: &SegmentForms<'_>) -> tantivy::Result<(Found, Found)> {
        let mut exact = Found::default();
        self.picked(segment.exact_index(), |key, info| {
            if irregular_stem(key).is_none() {
                exact.whole.push(info.clone());
            }
            Ok(())
        })?;
        let irregular = match &self.picker {
            Picker::Prefix(prefix) => segment.irregular_stems(prefix)?,
            Picker::Fuzzy(_) | Picker::Pattern(_) => HashSet::new(),
        };
        let mut stems = Found::default();
        self.picked(segment.stemmed_index(), |key, info| {
            let all_inflections_picked = match &self.picker {
                Picker::Prefix(prefix) => key != prefix && !irregular.contains(key),
                Picker::Fuzzy(_) | Picker::Pattern(_) => false,
            };
            if all_inflections_picked {
                stems.whole.push(info.clone());
            } else {
                stems.own.push(key.to_string());
            }
            Ok(())
        })?;
        Ok((exact, stems))
    }
}

impl Weight for WordSetWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut cache = self.stems.lock();
        let mut segment = SegmentForms::open(reader, form_fields(self.fields), &mut cache)?;
        let (exact, stems) = self.found(&segment)?;
        let postings: u64 = exact
            .whole
            .iter()
            .chain(&stems.whole)
            .map(|info| u64::from(info.doc_freq))
            .sum::<u64>()
            + stems.own.len() as u64;
        let mut matches = Matches::for_postings(postings, reader.max_doc());
        for (index, infos) in [
            (segment.exact_index(), &exact.whole),
            (segment.stemmed_index(), &stems.whole),
        ] {
            for info in infos {
                let mut block =
                    index.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
                while !block.docs().is_empty() {
                    matches.add(block.docs());
                    block.advance();
                }
            }
        }
        let mut docs = Vec::new();
        for stem in &stems.own {
            let found = match &self.picker {
                // A stem starting with the prefix: its regular inflections start with it too,
                // so only the irregular ones are told apart, with no stemming at all (if the
                // stem is not a word of its own, what is left is inflections that are picked).
                Picker::Prefix(prefix) => segment.own_docs(stem, Some(prefix))?,
                Picker::Fuzzy(_) | Picker::Pattern(_) => segment.docs(stem)?,
            };
            let Some(mut found) = found else {
                continue;
            };
            docs.clear();
            while found.doc() != TERMINATED {
                docs.push(found.doc());
                found.advance();
            }
            matches.add(&docs);
        }
        Ok(matches.into_scorer(boost))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) == doc {
            Ok(Explanation::new("WordSetScorer", 1.0))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use crate::analysis::{exact_analyzer, tokens};
    use crate::index;
    use crate::search::{SearchConfig, Session};

    #[test]
    fn the_exact_words_of_one_thread_share_one_stem_cache() {
        // One cache a word held 70 KB each: a query of 4,000 exact words took 280 MB.
        let (a, b) = (super::SharedStems::default(), super::SharedStems::default());
        assert!(std::sync::Arc::ptr_eq(&a.0, &b.0));
        let elsewhere = std::thread::spawn(super::SharedStems::default)
            .join()
            .unwrap();
        assert!(!std::sync::Arc::ptr_eq(&a.0, &elsewhere.0));
    }

    /// Words whose stems make every case: own stems, regular inflections (`running`, `cities`
    /// for `citi`), irregular ones (`dying` for `die`, `happy` for `happi`, `ups` for `up`,
    /// `its` for `it`), words
    /// that are other words' stems (`happi`, `citi`, `gener`), short words and CJK bigrams.
    const WORDS: &[&str] = &[
        "dying",
        "die",
        "dies",
        "died",
        "lying",
        "lie",
        "happy",
        "happiness",
        "happi",
        "happily",
        "its",
        "it",
        "ups",
        "up",
        "run",
        "runs",
        "running",
        "runner",
        "ran",
        "the",
        "these",
        "kernel",
        "kernels",
        "kern",
        "generous",
        "generously",
        "general",
        "gener",
        "generalization",
        "city",
        "cities",
        "citi",
        "sky",
        "skies",
        "ski",
        "skis",
        "news",
        "new",
        "us",
        "use",
        "uses",
        "used",
        "a",
        "is",
        "tie",
        "tying",
        "ties",
        "中国",
        "中国的",
        "国",
    ];

    /// Paragraphs of words picked by a fixed linear congruential sequence.
    fn corpus() -> Vec<String> {
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) as usize) % n
        };
        (0..240)
            .map(|_| {
                let len = 1 + next(9);
                (0..len)
                    .map(|_| WORDS[next(WORDS.len())])
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// Paragraph numbers (1-based) whose exact words satisfy `pick`.
    fn expected(paragraphs: &[String], pick: impl Fn(&str) -> bool) -> BTreeSet<u64> {
        let mut analyzer = exact_analyzer();
        paragraphs
            .iter()
            .enumerate()
            .filter(|(_, text)| tokens(&mut analyzer, text).iter().any(|t| pick(&t.text)))
            .map(|(i, _)| i as u64 + 1)
            .collect()
    }

    fn found(session: &mut Session<'_>, query: &str, exact: bool) -> (BTreeSet<u64>, u64) {
        let mut config = SearchConfig::new(query, 1000);
        config.exact = exact;
        let results = session.search(&config).expect("search");
        let paragraphs = results.hits.iter().map(|h| h.paragraph).collect();
        (paragraphs, results.total)
    }

    #[test]
    fn exact_prefix_fuzzy_and_cjk_words_match_exactly_the_paragraphs_holding_them() {
        let dir = assert_fs::TempDir::new().expect("temp dir");
        let paragraphs = corpus();
        let index = index::ingested_for_test(dir.path(), &[("a.txt", &paragraphs.join("\n\n"))]);
        let mut session = Session::new(&index).expect("session");
        let mut analyzer = exact_analyzer();
        let words: BTreeSet<String> = WORDS
            .iter()
            .flat_map(|w| tokens(&mut analyzer, w))
            .map(|t| t.text)
            .collect();
        // A lone CJK character is looked for in bigrams (checked below), not as a word.
        let lone_cjk = |w: &str| w.chars().count() == 1 && w.chars().all(crate::analysis::is_cjk);
        for word in words.iter().filter(|w| !lone_cjk(w)) {
            let want = expected(&paragraphs, |t| t == word);
            let (got, total) = found(&mut session, word, true);
            assert_eq!(got, want, "--exact {word}");
            assert_eq!(total, want.len() as u64, "--exact {word}");
        }
        for prefix in [
            "di", "dy", "happ", "happi", "run", "runn", "it", "u", "the", "ki", "gene",
        ] {
            let want = expected(&paragraphs, |t| t.starts_with(prefix));
            let (got, total) = found(&mut session, &format!("{prefix}*"), false);
            assert_eq!(got, want, "{prefix}*");
            assert_eq!(total, want.len() as u64, "{prefix}*");
        }
        for (word, distance) in [
            ("die", 1),
            ("happy", 1),
            ("runing", 1),
            ("its", 1),
            ("citi", 2),
        ] {
            let want = expected(&paragraphs, |t| strsim::osa_distance(t, word) <= distance);
            let (got, _) = found(&mut session, &format!("{word}~{distance}"), false);
            assert_eq!(got, want, "{word}~{distance}");
        }
        let cjk = |t: &str| {
            let chars: Vec<char> = t.chars().collect();
            chars.len() <= 2 && (chars.first() == Some(&'国') || chars.get(1) == Some(&'国'))
        };
        let (got, _) = found(&mut session, "国", false);
        assert_eq!(got, expected(&paragraphs, cjk), "国");
    }

    #[test]
    fn exact_words_score_by_their_own_frequency() {
        // "run" is its own stem and shares it with "running": its score must count only its
        // own occurrences, so two "run"s outrank one "run" among many "running"s.
        let dir = assert_fs::TempDir::new().expect("temp dir");
        let text = "run run kernel\n\nrun running running running\n\nrunning kernel kernel\n";
        let index = index::ingested_for_test(dir.path(), &[("a.txt", text)]);
        let mut session = Session::new(&index).expect("session");
        let mut config = SearchConfig::new("run", 10);
        config.exact = true;
        let results = session.search(&config).expect("search");
        let order: Vec<u64> = results.hits.iter().map(|h| h.paragraph).collect();
        assert_eq!(order, [1, 2]);
        let scores: BTreeMap<u64, f32> = results
            .hits
            .iter()
            .map(|h| (h.paragraph, h.score))
            .collect();
        assert!(scores[&1] > scores[&2], "{scores:?}");
    }
}
