//! The exact-form field (`body_exact`) and its format, owned here whole: which words it keeps,
//! how its keys are encoded, and how a segment is asked which documents hold an exact word.
//! A second language or another stemmer changes this module (and the stemmer), nothing above.
//!
//! Most words are their own English stem ([`Class::Own`]), and for those the stemmed field
//! already says where they are: a word is found there as its stem, less the occurrences of the
//! words inflected from it. So the exact-form field keeps only the words that differ from their
//! stem; a word that does not start with its stem, or whose stem is shorter than
//! [`REGULAR_STEM_BYTES`] ([`Class::Irregular`]: `dying` for `die`, `happy` for `happi`, `ups`
//! for `up`), also indexes that stem behind [`IRREGULAR`], so that a lookup can subtract it too.
//!
//! - `filter.rs`: the ingest side, the exact-form field's token filter (fed by the stemmed
//!   analyzer's marks on the thread's tape, `analysis::replay`, which stays private to
//!   `analysis`).
//! - `lookup.rs`: the query side, [`SegmentForms`]: the documents of a segment holding an
//!   exact word, with its frequencies ([`ExactDocs`]).

mod filter;
mod lookup;

pub(super) use filter::Inflected;
pub(crate) use lookup::{
    each_term, found_as_stem, starting_with, ExactDocs, FormFields, SegmentForms,
};

/// Starts the key of a stem indexed for an irregular inflection; no word contains it.
const IRREGULAR: char = '\u{1}';

/// The shortest stem a [`Class::Regular`] word can have: a lookup finds a stem's regular
/// inflections in the range of the exact-form dictionary that starts with it, which a stem this
/// long keeps small.
const REGULAR_STEM_BYTES: usize = 3;

/// How a word relates to its English stem, which decides what the exact-form field indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::analysis) enum Class {
    /// The word is its own stem: not indexed (found in the stemmed field).
    Own,
    /// The word differs from its stem and starts with it, which is at least
    /// [`REGULAR_STEM_BYTES`] long (`running`, `run`): indexed.
    Regular,
    /// The word differs from its stem otherwise (`dying` for `die`, `happy` for `happi`, `ups`
    /// for `up`): indexed, and its stem behind [`IRREGULAR`].
    Irregular,
}

impl Class {
    /// How `word` relates to `stem`.
    pub(in crate::analysis) fn of(word: &str, stem: &str) -> Class {
        if word == stem {
            Class::Own
        } else if word.starts_with(stem) {
            Class::of_leading(word.len(), stem.len())
        } else {
            Class::Irregular
        }
    }

    /// How a word of `word_len` bytes relates to its stem when the stem is the word's first
    /// `stem_len` bytes (the stemmer's fast path knows this without comparing).
    #[inline]
    pub(in crate::analysis) fn of_leading(word_len: usize, stem_len: usize) -> Class {
        if stem_len == word_len {
            Class::Own
        } else if stem_len >= REGULAR_STEM_BYTES {
            Class::Regular
        } else {
            Class::Irregular
        }
    }
}

/// Writes the key of the entry `stem` gets for its irregular inflections into `key`.
#[inline]
fn write_irregular_key(stem: &str, key: &mut String) {
    key.clear();
    key.push(IRREGULAR);
    key.push_str(stem);
}

/// The key of the entry `stem` gets for its irregular inflections.
fn irregular_key(stem: &str) -> String {
    let mut key = String::with_capacity(stem.len() + IRREGULAR.len_utf8());
    write_irregular_key(stem, &mut key);
    key
}

/// The stem whose irregular inflections `key` stands for; `None` when `key` is a word.
pub(crate) fn irregular_stem(key: &str) -> Option<&str> {
    key.strip_prefix(IRREGULAR)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::analysis::{analyzer, exact_analyzer, inflected_analyzer, tokens, Stems};

    #[test]
    fn classes_of_words() {
        let mut stems = Stems::default();
        let mut class = |word: &str| Class::of(word, stems.stem(word));
        assert_eq!(class("run"), Class::Own);
        assert_eq!(class("runner"), Class::Own);
        assert_eq!(class("running"), Class::Regular);
        assert_eq!(class("cities"), Class::Regular);
        assert_eq!(class("dying"), Class::Irregular);
        assert_eq!(class("happy"), Class::Irregular);
        // Starts with its stem, but a stem this short would find too many candidates.
        assert_eq!(class("ups"), Class::Irregular);
        assert_eq!(class("its"), Class::Irregular);
    }

    #[test]
    fn irregular_keys_round_trip_and_are_told_from_words() {
        assert_eq!(irregular_key("die"), "\u{1}die");
        assert_eq!(irregular_stem(&irregular_key("happi")), Some("happi"));
        assert_eq!(irregular_stem(&irregular_key("")), Some(""));
        assert_eq!(irregular_stem("die"), None);
        let mut key = String::from("left over");
        write_irregular_key("up", &mut key);
        assert_eq!(key, irregular_key("up"));
    }

    proptest! {
        #[test]
        fn the_leading_rule_is_the_general_one(word in "[a-z]{0,8}", cut in 0usize..9) {
            let stem = &word[..cut.min(word.len())];
            prop_assert_eq!(Class::of_leading(word.len(), stem.len()), Class::of(&word, stem));
        }

        #[test]
        fn only_irregular_stems_have_irregular_keys(text in "[a-z \u{1}\u{2}\t.'-]{0,40}") {
            for mut words in [analyzer(), exact_analyzer()] {
                for token in tokens(&mut words, &text) {
                    prop_assert_eq!(irregular_stem(&token.text), None, "{:?}", token.text);
                }
            }
            let mut stems = Stems::default();
            let mut last_word = None;
            for token in tokens(&mut inflected_analyzer(), &text) {
                match irregular_stem(&token.text) {
                    Some(stem) => {
                        let word: &String = last_word.as_ref().expect("a word before its stem");
                        prop_assert_eq!(stems.stem(word), stem);
                        prop_assert_eq!(Class::of(word, stem), Class::Irregular);
                    }
                    None => last_word = Some(token.text),
                }
            }
        }
    }
}
