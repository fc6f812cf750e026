//! The one analyzer: how text becomes index terms, used at ingest, at query time and by the
//! highlighter, so that what matches and what is highlighted always agree.
//!
//! Words are found with Unicode word boundaries (UAX #29, from `unicode-segmentation`). Each word
//! is lowercased, typographic apostrophes become `'`, and an English possessive `'s` is dropped
//! (`Pyongyang’s` indexes as `pyongyang`). Tokens longer than [`MAX_TOKEN_BYTES`] are dropped.
//! Token offsets are byte offsets into the original text and are never rewritten.

use tantivy::tokenizer::{RemoveLongFilter, TextAnalyzer, Token, TokenStream, Tokenizer};
use unicode_segmentation::{UnicodeSegmentation, UnicodeWordIndices};

/// The name the analyzer is registered under in every index.
pub const ANALYZER: &str = "parafind";

/// Version of the analysis rules. Stored in the index; bump it whenever the terms produced for
/// some text change, so old indexes are refused instead of silently giving wrong results.
pub const VERSION: u32 = 1;

/// Tokens longer than this (in bytes, after normalisation) are dropped.
pub const MAX_TOKEN_BYTES: usize = 100;

/// Builds the analyzer.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES + 1))
        .build()
}

/// Registers the analyzer on an index; needed every time an index is created or opened.
pub fn register(index: &tantivy::Index) {
    index.tokenizers().register(ANALYZER, analyzer());
}

/// Runs `analyzer` over `text` and returns its tokens.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.clone());
    }
    out
}

/// Splits text into normalised words at Unicode word boundaries.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

/// The token stream of [`WordTokenizer`].
pub struct WordStream<'a> {
    words: UnicodeWordIndices<'a>,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            words: text.unicode_word_indices(),
            token: &mut self.token,
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        for (offset, word) in self.words.by_ref() {
            normalize_into(word, &mut self.token.text);
            if self.token.text.is_empty() {
                continue;
            }
            self.token.offset_from = offset;
            self.token.offset_to = offset + word.len();
            self.token.position = self.token.position.wrapping_add(1);
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// True for the characters read as an apostrophe.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{FF07}')
}

/// Writes the normalised form of one word into `out` (cleared first).
fn normalize_into(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        if is_apostrophe(c) {
            out.push('\'');
        } else {
            out.extend(c.to_lowercase());
        }
    }
    if out.ends_with("'s") {
        out.truncate(out.len() - 2);
    }
    let trimmed = out.trim_matches('\'');
    if trimmed.len() != out.len() {
        *out = trimmed.to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyse(text: &str) -> Vec<(String, usize, usize, usize)> {
        tokens(&mut analyzer(), text)
            .into_iter()
            .map(|t| (t.text, t.offset_from, t.offset_to, t.position))
            .collect()
    }

    #[test]
    fn offsets_are_bytes_into_the_original() {
        assert_eq!(
            analyse("Grüße, Welt"),
            [("grüße".into(), 0, 7, 0), ("welt".into(), 9, 13, 1)]
        );
    }

    #[test]
    fn possessives_with_any_apostrophe_index_as_the_noun() {
        let texts = ["Pyongyang’s", "Pyongyang's", "PYONGYANG\u{02BC}S"];
        for text in texts {
            assert_eq!(analyse(text), [("pyongyang".into(), 0, text.len(), 0)]);
        }
    }

    #[test]
    fn punctuation_is_not_a_token() {
        assert_eq!(analyse("— … !"), []);
        let words: Vec<String> = analyse("U.S.–South Korea")
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(words, ["u.s", "south", "korea"]);
    }

    #[test]
    fn over_long_tokens_are_dropped() {
        let long = "x".repeat(MAX_TOKEN_BYTES + 1);
        let text = format!("a {long} b");
        let words: Vec<String> = analyse(&text).into_iter().map(|t| t.0).collect();
        assert_eq!(words, ["a", "b"]);
        assert_eq!(analyse(&"y".repeat(MAX_TOKEN_BYTES)).len(), 1);
    }
}
