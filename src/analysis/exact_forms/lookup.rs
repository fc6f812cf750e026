//! Reading the exact forms back: which documents of a segment hold an exact word, and how
//! often. A word that is not its own stem is a term of the exact-form field; a word that is its
//! own stem is found in the stemmed field, less the occurrences there of the words inflected
//! from it: its regular inflections (words of the exact-form field that start with it and whose
//! stem it is) and its irregular ones (its irregular key in the exact-form field). Also the
//! dictionary walks that lookup and word sets share (every term starting with some bytes is
//! one range of a term dictionary).

use std::collections::HashSet;
use std::sync::Arc;

use tantivy::index::InvertedIndexReader;
use tantivy::postings::{Postings, SegmentPostings, TermInfo};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::termdict::{TermDictionary, TermStreamer};
use tantivy::{DocId, DocSet, SegmentReader, TERMINATED};
use tantivy_fst::Automaton;

use super::{irregular_key, irregular_stem, REGULAR_STEM_BYTES};
use crate::analysis::stem::Stems;

/// The first byte string after every string that starts with `prefix`: `prefix` with its last
/// byte below 0xFF incremented and what follows dropped; `None` when there is none (an empty
/// prefix, or one of 0xFF bytes only).
fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let last = prefix.iter().rposition(|&byte| byte != u8::MAX)?;
    let mut end = prefix[..=last].to_vec();
    end[last] += 1;
    Some(end)
}

/// The terms of `dictionary` that start with `prefix`, in order.
pub(crate) fn starting_with<'d>(
    dictionary: &'d TermDictionary,
    prefix: &[u8],
) -> std::io::Result<TermStreamer<'d>> {
    let mut range = dictionary.range().ge(prefix);
    if let Some(end) = prefix_end(prefix) {
        range = range.lt(end);
    }
    range.into_stream()
}

/// Calls `each` with every term (as text; a key that is not UTF-8 is no word) and its term
/// info, in the stream's order.
pub(crate) fn each_term<A>(
    mut terms: TermStreamer<'_, A>,
    each: &mut impl FnMut(&str, &TermInfo) -> tantivy::Result<()>,
) -> tantivy::Result<()>
where
    A: Automaton,
    A::State: Clone,
{
    while terms.advance() {
        if let Ok(key) = std::str::from_utf8(terms.key()) {
            each(key, terms.value())?;
        }
    }
    Ok(())
}

/// The two fields exact words are read from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FormFields {
    /// The stemmed field (`analysis::ANALYZER`), with frequencies.
    pub stemmed: Field,
    /// The exact-form field (`analysis::INFLECTED_ANALYZER`), with frequencies.
    pub exact: Field,
}

/// Whether the exact word `word` is looked up in the stemmed field, as its own stem (less its
/// inflections), rather than in the exact-form field.
pub(crate) fn found_as_stem(word: &str, stems: &mut Stems) -> bool {
    irregular_stem(word).is_none() && stems.stem(word) == word
}

/// One segment's two dictionaries, and a stem cache for telling inflections (a query's, shared
/// by its segments, which mostly hold the same candidate inflections).
pub(crate) struct SegmentForms<'s> {
    exact: Arc<InvertedIndexReader>,
    stemmed: Arc<InvertedIndexReader>,
    stems: &'s mut Stems,
}

impl<'s> SegmentForms<'s> {
    /// Opens the fields' dictionaries in `reader`.
    pub(crate) fn open(
        reader: &SegmentReader,
        fields: FormFields,
        stems: &'s mut Stems,
    ) -> tantivy::Result<SegmentForms<'s>> {
        Ok(SegmentForms {
            exact: reader.inverted_index(fields.exact)?,
            stemmed: reader.inverted_index(fields.stemmed)?,
            stems,
        })
    }

    /// The exact-form field: words that are not their own stem, and irregular keys (told
    /// apart by [`super::irregular_stem`]).
    pub(crate) fn exact_index(&self) -> &InvertedIndexReader {
        &self.exact
    }

    /// The stemmed field.
    pub(crate) fn stemmed_index(&self) -> &InvertedIndexReader {
        &self.stemmed
    }

    fn postings(index: &InvertedIndexReader, info: &TermInfo) -> tantivy::Result<SegmentPostings> {
        Ok(index.read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?)
    }

    /// The exact-form terms counting the words inflected from `stem` (its own stem): the
    /// regular ones (which start with it), but for those starting with `kept` (when given),
    /// and the irregular ones.
    fn inflections(&mut self, stem: &str, kept: Option<&str>) -> tantivy::Result<Vec<TermInfo>> {
        let mut infos = Vec::new();
        let regular =
            stem.len() >= REGULAR_STEM_BYTES && !kept.is_some_and(|k| stem.starts_with(k));
        if regular {
            let exact = Arc::clone(&self.exact);
            let stems = &mut *self.stems;
            each_term(
                starting_with(exact.terms(), stem.as_bytes())?,
                &mut |word, info| {
                    let picked = kept.is_some_and(|kept| word.starts_with(kept));
                    if !picked && word != stem && stems.stem(word) == stem {
                        infos.push(info.clone());
                    }
                    Ok(())
                },
            )?;
        }
        if let Some(info) = self.exact.terms().get(irregular_key(stem))? {
            infos.push(info);
        }
        Ok(infos)
    }

    /// Where the exact word `word` occurs in this segment, with its frequencies.
    pub(crate) fn docs(&mut self, word: &str) -> tantivy::Result<Option<ExactDocs>> {
        if irregular_stem(word).is_some() {
            return Ok(None);
        }
        if self.stems.stem(word) != word {
            let Some(info) = self.exact.terms().get(word)? else {
                return Ok(None);
            };
            let postings = SegmentForms::postings(&self.exact, &info)?;
            return Ok(Some(ExactDocs::new(postings, Vec::new())));
        }
        self.own_docs(word, None)
    }

    /// Where the stem `stem` (its own stem) occurs as itself or as one of its regular
    /// inflections starting with `kept` (when given; others are told apart and left out).
    pub(crate) fn own_docs(
        &mut self,
        stem: &str,
        kept: Option<&str>,
    ) -> tantivy::Result<Option<ExactDocs>> {
        let Some(info) = self.stemmed.terms().get(stem)? else {
            return Ok(None);
        };
        let postings = SegmentForms::postings(&self.stemmed, &info)?;
        let mut minus = Vec::new();
        for info in self.inflections(stem, kept)? {
            minus.push(SegmentForms::postings(&self.exact, &info)?);
        }
        Ok(Some(ExactDocs::new(postings, minus)))
    }

    /// The stems starting with `prefix` that have irregular inflections in this segment.
    pub(crate) fn irregular_stems(&self, prefix: &str) -> tantivy::Result<HashSet<String>> {
        let mut stems = HashSet::new();
        let start = irregular_key(prefix);
        each_term(
            starting_with(self.exact.terms(), start.as_bytes())?,
            &mut |key, _| {
                if let Some(stem) = irregular_stem(key) {
                    stems.insert(stem.to_string());
                }
                Ok(())
            },
        )?;
        Ok(stems)
    }
}

/// The documents where one exact word occurs, with how often: the postings of an inflected
/// word, or those of a stem less its inflections' occurrences.
pub(crate) struct ExactDocs {
    postings: SegmentPostings,
    minus: Vec<SegmentPostings>,
    term_freq: u32,
}

impl ExactDocs {
    fn new(postings: SegmentPostings, minus: Vec<SegmentPostings>) -> ExactDocs {
        let mut docs = ExactDocs {
            postings,
            minus,
            term_freq: 0,
        };
        docs.settle();
        docs
    }

    /// Moves on from the current document to the first where the word itself occurs.
    fn settle(&mut self) -> DocId {
        loop {
            let doc = self.postings.doc();
            if doc == TERMINATED {
                self.term_freq = 0;
                return doc;
            }
            let mut term_freq = self.postings.term_freq();
            for inflection in &mut self.minus {
                if inflection.doc() < doc {
                    inflection.seek(doc);
                }
                if inflection.doc() == doc {
                    term_freq = term_freq.saturating_sub(inflection.term_freq());
                }
            }
            if term_freq > 0 {
                self.term_freq = term_freq;
                return doc;
            }
            self.postings.advance();
        }
    }

    /// How often the word occurs in the current document.
    pub(crate) fn term_freq(&self) -> u32 {
        self.term_freq
    }

    /// Whether the word's own occurrences are told from its inflections' here (else these
    /// are plain postings).
    pub(crate) fn subtracts(&self) -> bool {
        !self.minus.is_empty()
    }

    /// How many documents hold the word (deleted ones included, as tantivy counts).
    pub(crate) fn count(mut self) -> u64 {
        if self.minus.is_empty() {
            return u64::from(self.postings.doc_freq());
        }
        let mut count = 0;
        while self.doc() != TERMINATED {
            count += 1;
            self.advance();
        }
        count
    }
}

impl DocSet for ExactDocs {
    fn advance(&mut self) -> DocId {
        self.postings.advance();
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc() >= target {
            return self.doc();
        }
        self.postings.seek(target);
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.postings.doc()
    }

    fn size_hint(&self) -> u32 {
        self.postings.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use tantivy::schema::{Schema, TextFieldIndexing, TextOptions};
    use tantivy::{doc, Index, IndexWriter};

    use super::*;
    use crate::analysis::exact_forms::Class;
    use crate::analysis::{exact_analyzer, register, tokens, ANALYZER, INFLECTED_ANALYZER};

    /// Own stems, regular inflections (`running`, `cities` for `citi`), irregular ones (`dying`
    /// for `die`, `happy` for `happi`, `ups` for `up`), words that are other words' stems
    /// (`happi`, `citi`), a second form at one position (`beijings'`) and CJK bigrams.
    const WORDS: &[&str] = &[
        "dying",
        "die",
        "dies",
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
        "the",
        "city",
        "cities",
        "citi",
        "generous",
        "general",
        "gener",
        "beijings'",
        "beijing",
        "中国的",
        "a",
    ];

    /// The first document's words, then documents of words picked by a fixed sequence.
    fn corpus() -> Vec<String> {
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) as usize) % n
        };
        let mut texts = vec!["run run running dying die happy".to_string()];
        texts.extend((0..80).map(|_| {
            let len = 1 + next(12);
            let words: Vec<&str> = (0..len).map(|_| WORDS[next(WORDS.len())]).collect();
            words.join(" ")
        }));
        texts
    }

    /// The two fields as the index has them, and an index of `texts` (one segment, the
    /// documents in order).
    fn index(texts: &[String]) -> (Index, FormFields) {
        let mut builder = Schema::builder();
        let indexed = |analyzer, record| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analyzer)
                    .set_index_option(record),
            )
        };
        let stemmed = builder.add_text_field(
            "stemmed",
            indexed(ANALYZER, IndexRecordOption::WithFreqsAndPositions),
        );
        let exact = builder.add_text_field(
            "exact",
            indexed(INFLECTED_ANALYZER, IndexRecordOption::WithFreqs),
        );
        let index = Index::create_in_ram(builder.build());
        register(&index);
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for text in texts {
            writer
                .add_document(doc!(stemmed => text.as_str(), exact => text.as_str()))
                .expect("add");
        }
        writer.commit().expect("commit");
        (index, FormFields { stemmed, exact })
    }

    /// Document and frequency of each document whose exact words include some `picked` ones.
    fn expected(texts: &[String], mut picked: impl FnMut(&str) -> bool) -> BTreeMap<DocId, u32> {
        let mut analyzer = exact_analyzer();
        let mut out = BTreeMap::new();
        for (doc, text) in texts.iter().enumerate() {
            let freq = tokens(&mut analyzer, text)
                .iter()
                .filter(|t| picked(&t.text))
                .count();
            if freq > 0 {
                out.insert(doc as DocId, freq as u32);
            }
        }
        out
    }

    fn walk(docs: Option<ExactDocs>) -> BTreeMap<DocId, u32> {
        let mut out = BTreeMap::new();
        if let Some(mut docs) = docs {
            while docs.doc() != TERMINATED {
                out.insert(docs.doc(), docs.term_freq());
                docs.advance();
            }
        }
        out
    }

    #[test]
    fn a_segment_says_which_documents_hold_an_exact_word_and_how_often() {
        let texts = corpus();
        let (index, fields) = index(&texts);
        let searcher = index.reader().expect("reader").searcher();
        let [reader] = searcher.segment_readers() else {
            panic!("one segment");
        };
        let mut stems = Stems::default();
        let mut all: BTreeSet<String> = BTreeSet::new();
        for text in &texts {
            all.extend(
                tokens(&mut exact_analyzer(), text)
                    .into_iter()
                    .map(|t| t.text),
            );
        }
        all.extend(["absent", "runn", "\u{1}die"].map(String::from));
        for word in &all {
            let want = expected(&texts, |t| t == word);
            let mut segment = SegmentForms::open(reader, fields, &mut stems).expect("open");
            let found = segment.docs(word).expect("docs");
            let subtracts = found.as_ref().is_some_and(ExactDocs::subtracts);
            assert_eq!(walk(found), want, "{word}");
            let count = segment
                .docs(word)
                .expect("docs")
                .map_or(0, ExactDocs::count);
            assert_eq!(count, want.len() as u64, "{word}");
            let own = found_as_stem(word, &mut stems);
            assert_eq!(own, stems.stem(word) == word && !word.starts_with('\u{1}'));
            assert!(own || !subtracts, "{word}");
        }
        let mut segment = SegmentForms::open(reader, fields, &mut stems).expect("open");
        assert!(segment
            .docs("run")
            .expect("docs")
            .is_some_and(|d| d.subtracts()));
        assert_eq!(walk(segment.docs("run").expect("docs"))[&0], 2);
    }

    #[test]
    fn a_stem_kept_with_its_regular_inflections_leaves_out_the_irregular_ones() {
        let texts = corpus();
        let (index, fields) = index(&texts);
        let searcher = index.reader().expect("reader").searcher();
        let reader = &searcher.segment_readers()[0];
        let mut stems = Stems::default();
        let mut fresh = Stems::default();
        for (stem, kept) in [
            ("run", "ru"),
            ("die", "di"),
            ("happi", "happ"),
            ("citi", "c"),
        ] {
            let want = expected(&texts, |t| {
                let word_stem = fresh.stem(t).to_string();
                word_stem == stem && Class::of(t, stem) != Class::Irregular
            });
            let mut segment = SegmentForms::open(reader, fields, &mut stems).expect("open");
            let found = segment.own_docs(stem, Some(kept)).expect("own docs");
            assert_eq!(walk(found), want, "{stem} kept by {kept}");
        }
        let mut irregular = BTreeSet::new();
        for text in &texts {
            for token in tokens(&mut exact_analyzer(), text) {
                let stem = fresh.stem(&token.text);
                if Class::of(&token.text, stem) == Class::Irregular {
                    irregular.insert(stem.to_string());
                }
            }
        }
        assert!(["citi", "die", "happi", "happili", "it", "up"]
            .iter()
            .all(|stem| irregular.contains(*stem)));
        let segment = SegmentForms::open(reader, fields, &mut stems).expect("open");
        for prefix in ["", "h", "happi", "di", "x", "\u{1}"] {
            let found = segment.irregular_stems(prefix).expect("irregular stems");
            let want: BTreeSet<&String> =
                irregular.iter().filter(|s| s.starts_with(prefix)).collect();
            assert_eq!(found.iter().collect::<BTreeSet<_>>(), want, "{prefix:?}");
        }
    }

    /// Whether the range walked for `prefix` holds `term`.
    fn in_range(prefix: &str, term: &str) -> bool {
        let term = term.as_bytes();
        term >= prefix.as_bytes() && prefix_end(prefix.as_bytes()).is_none_or(|end| term < &end[..])
    }

    #[test]
    fn the_range_holds_exactly_the_terms_starting_with_the_prefix() {
        assert!(in_range("semicond", "semiconductor"));
        assert!(in_range("semicond", "semicond"));
        assert!(!in_range("semicond", "semicon"));
        assert!(!in_range("semicond", "semicone"));
        assert!(!in_range("semicond", "asemicond"));
        assert!(in_range("", "anything"));
        assert!(in_range("café", "cafés"));
        assert!(!in_range("café", "cafe"));
        assert!(!in_range("café", "cafê"));
    }

    #[test]
    fn the_end_skips_trailing_ff_bytes() {
        assert_eq!(prefix_end(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(prefix_end(&[b'a', 0xFF, 0xFF]), Some(b"b".to_vec()));
        assert_eq!(prefix_end(&[0xFF]), None);
        assert_eq!(prefix_end(b""), None);
    }
}
