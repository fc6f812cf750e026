//! English stems of single words with a cache, for the query side and the highlighter, which
//! stem word by word: tantivy's Snowball stemmer (the one the stemmed analyzer runs) computes
//! each stem once.

use std::collections::HashMap;

use tantivy::tokenizer::{Language, RawTokenizer, Stemmer, TextAnalyzer, TokenStream};

/// The cache is emptied when it holds this many words, to bound its memory.
const CACHE_WORDS: usize = 200_000;

/// Stems words, remembering the stems it computed.
#[derive(Clone)]
pub struct Stems {
    stemmer: TextAnalyzer,
    cache: HashMap<String, String>,
}

impl Default for Stems {
    fn default() -> Self {
        Stems {
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
            cache: HashMap::new(),
        }
    }
}

impl Stems {
    /// The English stem of a normalised word.
    pub fn stem(&mut self, word: &str) -> &str {
        if !self.cache.contains_key(word) {
            if self.cache.len() >= CACHE_WORDS {
                self.cache.clear();
            }
            let stem = {
                let mut stream = self.stemmer.token_stream(word);
                match stream.next() {
                    Some(token) => token.text.clone(),
                    None => word.to_string(),
                }
            };
            self.cache.insert(word.to_string(), stem);
        }
        // Just inserted if it was missing.
        self.cache.get(word).map_or("", String::as_str)
    }
}
