//! The exact-form field's token filter at ingest: it keeps the words that are not their own
//! stem and, after each [`Class::Irregular`] word, its stem as an irregular key (see the
//! module above).
//!
//! The stemmed analyzer marks each word as it stems it, on the tape the exact analyzer plays
//! (see `analysis::replay`); a text not on the tape is marked here, by stemming its words.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::{write_irregular_key, Class};
use crate::analysis::replay::{self, Marks};
use crate::analysis::stem::Stems;

/// A token filter keeping the words that are not their own stem (see the module docs).
#[derive(Clone, Default)]
pub struct Inflected;

impl TokenFilter for Inflected {
    type Tokenizer<T: Tokenizer> = InflectedTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> InflectedTokenizer<T> {
        InflectedTokenizer {
            inner: tokenizer,
            stems: None,
        }
    }
}

/// The tokenizer built by [`Inflected`].
#[derive(Clone)]
pub struct InflectedTokenizer<T> {
    inner: T,
    /// For texts not on the tape; allocated at the first.
    stems: Option<Box<Stems>>,
}

impl<T: Tokenizer> Tokenizer for InflectedTokenizer<T> {
    type TokenStream<'a> = InflectedStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let inner = self.inner.token_stream(text);
        let marks = replay::take_playing_marks().unwrap_or_default();
        InflectedStream {
            inner,
            marks,
            next: 0,
            next_irregular: 0,
            stems: &mut self.stems,
            irregular: None,
        }
    }
}

/// The token stream of [`InflectedTokenizer`].
pub struct InflectedStream<'a, S> {
    inner: S,
    /// The stemmed analyzer's marks of the text's words (empty when it is not on the tape).
    marks: Marks,
    /// The next mark to read, and the next irregular stem.
    next: usize,
    next_irregular: usize,
    stems: &'a mut Option<Box<Stems>>,
    /// The stem to emit next, as an irregular key, after an irregular word.
    irregular: Option<String>,
}

impl<S> Drop for InflectedStream<'_, S> {
    fn drop(&mut self) {
        replay::give_back(std::mem::take(&mut self.marks));
    }
}

impl<S: TokenStream> InflectedStream<'_, S> {
    /// How the current word relates to its stem (with the stem when irregular): from the
    /// tape while its marks line up with the words, by stemming the word otherwise.
    fn class(&mut self) -> (Class, Option<String>) {
        let token = self.inner.token();
        if let Some(&(position, class)) = self.marks.classes.get(self.next) {
            self.next += 1;
            if position == token.position {
                if class != Class::Irregular {
                    return (class, None);
                }
                if let Some(stem) = self.marks.irregular.get_mut(self.next_irregular) {
                    self.next_irregular += 1;
                    return (class, Some(std::mem::take(stem)));
                }
            }
            self.next = usize::MAX; // out of line: mark the rest here
        }
        let stems = self.stems.get_or_insert_with(Box::default);
        let stem = stems.stem(&token.text);
        let class = Class::of(&token.text, stem);
        (class, (class == Class::Irregular).then(|| stem.to_string()))
    }
}

impl<S: TokenStream> TokenStream for InflectedStream<'_, S> {
    fn advance(&mut self) -> bool {
        if let Some(stem) = self.irregular.take() {
            write_irregular_key(&stem, &mut self.inner.token_mut().text);
            return true;
        }
        while self.inner.advance() {
            match self.class() {
                (Class::Own, _) => continue,
                (Class::Regular, _) => return true,
                (Class::Irregular, stem) => {
                    self.irregular = stem;
                    return true;
                }
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::{irregular_key, Class};
    use crate::analysis::{analyzer, exact_analyzer, inflected_analyzer, tokens, Stems};

    /// What the exact-form field should index for `text`, worked out word by word.
    fn expected(text: &str) -> Vec<(String, usize)> {
        let mut stems = Stems::default();
        let mut out = Vec::new();
        for token in tokens(&mut exact_analyzer(), text) {
            let stem = stems.stem(&token.text).to_string();
            match Class::of(&token.text, &stem) {
                Class::Own => {}
                Class::Regular => out.push((token.text, token.position)),
                Class::Irregular => {
                    out.push((token.text, token.position));
                    out.push((irregular_key(&stem), token.position));
                }
            }
        }
        out
    }

    fn indexed(text: &str, after_stemming: bool) -> Vec<(String, usize)> {
        if after_stemming {
            tokens(&mut analyzer(), text);
        }
        tokens(&mut inflected_analyzer(), text)
            .into_iter()
            .map(|t| (t.text, t.position))
            .collect()
    }

    #[test]
    fn keeps_inflected_words_and_the_stems_of_irregular_ones() {
        // `runner` is its own stem; `happy` does not start with its stem, `happi`; the stems of
        // `its` and `ups` are too short to find their inflections by.
        let text = "The dying runner runs; its ups and happy cities, 中国的 run.";
        let words: Vec<String> = indexed(text, true).into_iter().map(|(w, _)| w).collect();
        assert_eq!(
            words,
            [
                "dying",
                "\u{1}die",
                "runs",
                "its",
                "\u{1}it",
                "ups",
                "\u{1}up",
                "happy",
                "\u{1}happi",
                "cities"
            ]
        );
        assert_eq!(indexed(text, false), indexed(text, true));
    }

    #[test]
    fn the_tape_plays_only_the_words_the_filter_keeps() {
        use crate::analysis::WordTokenizer;
        use tantivy::tokenizer::TextAnalyzer;
        let long = "x".repeat(crate::analysis::MAX_TOKEN_BYTES + 1);
        let text = format!("The dying runner {long} runs; its ups and happy cities.");
        let played = |after_stemming: bool| -> Vec<String> {
            if after_stemming {
                tokens(&mut analyzer(), &text);
            }
            let mut playing = TextAnalyzer::from(WordTokenizer::playing_inflected());
            tokens(&mut playing, &text)
                .into_iter()
                .map(|t| t.text)
                .collect()
        };
        // Own stems (the, runner, and, ...) and the over-long word are skipped on the tape.
        let kept = ["dying", "runs", "its", "ups", "happy", "cities"];
        assert_eq!(played(true), kept);
        // Without a tape the tokenizer emits every word and the filter drops them.
        assert_eq!(played(false).len(), 10);
        let indexed: Vec<String> = indexed(&text, true).into_iter().map(|(w, _)| w).collect();
        assert_eq!(indexed.len(), kept.len() + 4); // and 4 irregular stems
        assert_eq!(
            indexed,
            self::indexed(&text, false)
                .into_iter()
                .map(|(w, _)| w)
                .collect::<Vec<_>>()
        );
    }

    proptest! {
        #[test]
        fn the_tape_and_a_fresh_stemming_index_the_same(
            text in "(dying|die|runs|running|run|its|it|ups|up|happy|happi|skies|sky|the|中国的|Beijings'|a{101}|b{100}| |, |\n|'s){0,30}",
        ) {
            let want = expected(&text);
            prop_assert_eq!(indexed(&text, true), want.clone());
            prop_assert_eq!(indexed(&text, false), want);
        }
    }
}
