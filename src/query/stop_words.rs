//! English stop words, dropped from the words of `--any` queries (never from the index, from
//! phrases, or from exact-form queries): in a natural-language query, "the", "of" and "to"
//! say nothing about the topic, and in a collection where they are rare they outscore the
//! words that do. The list is NLTK's English stop words less its contraction fragments (`s`,
//! `t`, `don`, `ll` ...): pronouns, auxiliaries, articles, prepositions and conjunctions, by
//! exact normalised form. It was chosen over Lucene's shorter list (33 words) on SciFact's
//! train queries (BENCHMARKS.md).

/// The stop words, sorted.
pub const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Whether `exact` (a normalised word: lower case, folded) is a stop word.
pub fn is_stop_word(exact: &str) -> bool {
    STOP_WORDS.binary_search(&exact).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_and_found() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        for word in ["the", "of", "to", "a", "with", "how", "do"] {
            assert!(is_stop_word(word), "{word}");
        }
        for word in ["The", "treaty", "nuclear", "could", "vitamin"] {
            assert!(!is_stop_word(word), "{word}");
        }
    }
}
