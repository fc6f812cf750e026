//! The one analyzer: how text becomes index terms, used at ingest, at query time and by the
//! highlighter, so that what matches and what is highlighted always agree.
//!
//! - Words come from Unicode word boundaries (UAX #29, `unicode-segmentation`); runs of Han,
//!   Hiragana, Katakana and Hangul characters become overlapping bigrams (a lone character stays
//!   a unigram), so `한국` finds `한국은` and `中国` finds `中国的`.
//! - Each word is lowercased, its diacritics and compatibility forms folded (`Malmö` = `malmo`,
//!   `ﬁ` = `fi`, full-width `ＡＢＣ` = `abc`); typographic apostrophes read as `'`; English
//!   possessives are dropped (`Beijing’s` → `beijing`); a word in `s` before an apostrophe is
//!   indexed both as it is and without the `s`, at one position (`Beijings'` → `beijings` and
//!   `beijing`; `James’` → `james` and `jame`); dotted acronyms close up (`U.S.` → `us`,
//!   `D.C.` → `dc`). Numbers stay whole (`1953`, `3.14`); hyphens split words. The word
//!   after an elided French, Italian or Catalan article is indexed with it, at its position
//!   (`l'église` → `l'église` and `église`). Terminal control sequences
//!   (`\x1b[31m`, a hyperlink's address) are no part of the words around them; one inside a
//!   word (`grep --color`'s) leaves it one word.
//! - Tokens longer than [`MAX_TOKEN_BYTES`] are dropped. No stop words are removed.
//! - Two forms are indexed, each by its own analyzer: English stems ([`analyzer`]: Snowball's
//!   English stemmer behind a cache; the default search), and, in the exact-form field, only
//!   the exact normalised words that are not their own stem, with the stem of an irregular
//!   inflection as a key of its own ([`inflected_analyzer`]; `exact_forms` owns the format). A
//!   word that is its own stem is found among the stems, less its inflections; `--exact` and
//!   prefix queries look their words up through `exact_forms`.
//!
//! Token offsets are byte offsets into the original text and are never rewritten.

mod ascii;
pub(crate) mod exact_forms;
mod normalize;
mod parts;
mod replay;
mod stem;
mod tokenizer;

use tantivy::tokenizer::{RemoveLongFilter, TextAnalyzer, Token, TokenStream};

use stem::{CachedStemmer, Stems};

pub(crate) use normalize::{is_format, is_joiner_in_word};
pub(crate) use stem::Stems as StemCache;
pub(crate) use tokenizer::{cjk_units, is_cjk, wraps_without_space, WordTokenizer, PHRASE_BARRIER};

/// The name of the stemmed analyzer (the default search field).
pub const ANALYZER: &str = "parafind";
/// The name of the exact-form field's analyzer: exact normalised words that are not their own
/// stem (see [`inflected_analyzer`]).
pub const INFLECTED_ANALYZER: &str = "parafind_inflected";

/// Version of the analysis rules. Stored in the index; bump it whenever the terms produced for
/// some text change, so old indexes are refused instead of silently giving wrong results.
/// Version 7: invisible format characters inside a word (a soft hyphen, a directional mark)
/// are no part of its term. Version 8: the Greek final sigma `ς` folds to `σ`. Version 9: an
/// identifier whose run of capitals is followed by a capitalised word (`HTTPServer`) has parts.
/// Version 10: Arabic harakat and Hebrew niqqud and cantillation marks fold away, as Latin
/// diacritics do (`كَتَبَ` is `كتب`, `שָׁלוֹם` is `שלום`). Version 11: a word with leading or
/// trailing underscores has the part without them (`_private`, `__init__`: `private`, `init`);
/// superscript and subscript digits written in a word stay in it (`H₂O` is `h2o`, `argued³` is
/// `argued3` and `argued`). Version 12: a Chinese or Japanese run goes on over a line break
/// between two Han or kana characters (`经济\n发展` holds `济发`, so the phrase `经济发展`
/// finds it), as a browser shows such text. Version 13: decomposed Hangul (jamo) makes the
/// bigrams of its syllables; variation selectors are dropped and keep a CJK run going; a
/// decomposed accent before a capital still parts a camel-case word. Version 14: a symbol
/// whose compatibility form is letters or digits is a word (`㎏` is `kg`, `㎡` is `m2`).
/// Version 15: a phrase barrier (`\x1e`, which ingest writes between a document's title and
/// its first paragraph) sets the words after it 1,024 positions on (positions, not terms,
/// changed: an older index lets a phrase run from a title into its paragraph). Version 16: the
/// word after an elided French, Italian or Catalan article is a part (`église` of `l'église`);
/// Arabic's tatweel folds away; terminal control sequences are no part of the words around them
/// (`Error` of `\x1b[31mError`; `error` of `err\x1b[mor`).
pub const VERSION: u32 = 16;

/// Tokens longer than this (in bytes, after normalisation) are dropped.
pub const MAX_TOKEN_BYTES: usize = 100;

/// Builds the analyzer producing exact (normalised, unstemmed) words.
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::playing())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES + 1))
        .build()
}

/// Builds the exact-form field's analyzer: the exact words that are not their own English stem,
/// and the stems of irregular inflections as irregular keys (see `exact_forms`).
pub fn inflected_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::playing_inflected())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES + 1))
        .filter(exact_forms::Inflected)
        .build()
}

/// Builds the analyzer producing English stems.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::recording())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES + 1))
        .filter(CachedStemmer)
        .build()
}

/// Registers the fields' analyzers on an index; needed every time an index is created or opened.
pub fn register(index: &tantivy::Index) {
    index.tokenizers().register(ANALYZER, analyzer());
    index
        .tokenizers()
        .register(INFLECTED_ANALYZER, inflected_analyzer());
}

/// Of the ranges of over-long `tokens` of a text (as [`too_long_tokens`] gives them), the
/// words': those not inside the one before (a word's parts follow it). With
/// `outermost(&too_long_tokens(text))`, the words of `text` no index holds, measured as the
/// analyzer measures them: a word joined over subscript digits (`H₂O`) is one word, and an
/// accented word is as long as its folded form.
pub fn outermost(tokens: &[std::ops::Range<usize>]) -> Vec<std::ops::Range<usize>> {
    let mut long: Vec<std::ops::Range<usize>> = Vec::new();
    for token in tokens.iter().cloned() {
        // A word's parts follow it, inside its range: the word is named, not its parts too.
        let inside_last = long
            .last()
            .is_some_and(|last| last.start <= token.start && token.end <= last.end);
        if !inside_last {
            long.push(token);
        }
    }
    long
}

/// The byte ranges of every token of `text` longer than [`MAX_TOKEN_BYTES`] once normalised:
/// over-long words and over-long identifier parts of words (`q…_b`: the word and its `q…`).
pub fn too_long_tokens(text: &str) -> Vec<std::ops::Range<usize>> {
    use tantivy::tokenizer::Tokenizer;
    let mut tokenizer = WordTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    let mut long = Vec::new();
    while let Some(token) = stream.next() {
        if token.text.len() > MAX_TOKEN_BYTES {
            long.push(token.offset_from..token.offset_to);
        }
    }
    long
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

/// A word of a text, in both its forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte range of the surface word in the text.
    pub start: usize,
    /// End of that range.
    pub end: usize,
    /// Position (word number) in the text.
    pub position: usize,
    /// The exact normalised form.
    pub exact: String,
    /// The English stem of `exact`.
    pub stem: String,
    /// A second form indexed at the same position (`beijing` for `Beijings'`): exact and stem.
    pub alternate: Option<(String, String)>,
    /// An identifier's parts, indexed at its position (`os`, `path`, `join` of
    /// `os.path.join`); the query side ignores them, the highlighter marks them.
    pub parts: Vec<Part>,
}

/// A part of an identifier (see [`Word::parts`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Byte range of the part in the text.
    pub start: usize,
    /// End of that range.
    pub end: usize,
    /// The exact normalised form.
    pub exact: String,
    /// The English stem of `exact`.
    pub stem: String,
}

/// Both analyses at once, for the query side and the highlighter. Stems are cached: the same
/// words come back paragraph after paragraph.
pub struct Analysis {
    exact: TextAnalyzer,
    stems: Stems,
}

impl Default for Analysis {
    fn default() -> Self {
        Analysis::new()
    }
}

impl Analysis {
    /// Builds the analyzers.
    pub fn new() -> Analysis {
        Analysis {
            exact: exact_analyzer(),
            stems: Stems::default(),
        }
    }

    /// The stem of one exact (already normalised) word, as the stemmed analyzer would give it.
    pub fn stem(&mut self, exact: &str) -> String {
        self.stems.stem(exact).to_string()
    }

    /// The words of `text`, with their exact and stemmed forms (a second form at the same
    /// position becomes the word's `alternate`).
    pub fn words(&mut self, text: &str) -> Vec<Word> {
        self.words_stemming(text, |_| true)
    }

    /// Like [`Analysis::words`], but stems only the words for which `wanted` holds; the others
    /// get an empty stem (which no stemmed query term equals).
    pub fn words_stemming(&mut self, text: &str, wanted: impl Fn(&str) -> bool) -> Vec<Word> {
        let mut words: Vec<Word> = Vec::new();
        for token in tokens(&mut self.exact, text) {
            let stem = if wanted(&token.text) {
                self.stem(&token.text)
            } else {
                String::new()
            };
            match words.last_mut() {
                Some(last) if last.position == token.position => {
                    if (token.offset_from, token.offset_to) == (last.start, last.end) {
                        last.alternate = Some((token.text, stem));
                    } else {
                        last.parts.push(Part {
                            start: token.offset_from,
                            end: token.offset_to,
                            exact: token.text,
                            stem,
                        });
                    }
                }
                _ => words.push(Word {
                    stem,
                    start: token.offset_from,
                    end: token.offset_to,
                    position: token.position,
                    exact: token.text,
                    alternate: None,
                    parts: Vec::new(),
                }),
            }
        }
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn exact(text: &str) -> Vec<String> {
        tokens(&mut exact_analyzer(), text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    fn stems(text: &str) -> Vec<String> {
        tokens(&mut analyzer(), text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    fn surface(text: &str) -> Vec<&str> {
        tokens(&mut exact_analyzer(), text)
            .into_iter()
            .map(|t| &text[t.offset_from..t.offset_to])
            .collect()
    }

    #[test]
    fn symbols_whose_compatibility_form_is_letters_or_digits_are_words() {
        let text = "Weight 5㎏, area 3㎡, 90℃ at Ⓐ; Acme™ tools… — end";
        assert_eq!(
            exact(text),
            [
                "weight", "5", "kg", "area", "3", "m2", "90", "c", "at", "a", "acme", "tools",
                "end"
            ]
        );
        assert_eq!(
            surface(text),
            [
                "Weight", "5", "㎏", "area", "3", "㎡", "90", "℃", "at", "Ⓐ", "Acme", "tools",
                "end"
            ]
        );
        assert_eq!(stems("㎏"), stems("kg"));
        // The signs of a symbol's form are no part of its word, as they are none of a word's.
        assert_eq!(exact("25℃ 180℉"), exact("25°C 180 °F"));
        assert_eq!(exact("5 ㏘"), ["5", "pm"]);
    }

    /// The highlighter stems only words that start like a stemmed query term; that is sound
    /// because Snowball English never changes a word's first character.
    #[test]
    fn a_stem_starts_with_the_words_first_character() {
        let essay = include_str!("../../corpus/us-korea-alliance.txt");
        let tricky = "skies skis dying lying tying idly gently ugly early only singly sky news \
                      howe atlas cosmos bias andes ies yes yield ycleped 'tis cries ties \
                      generously generalizations inning outing canning herring earring proceed \
                      exceed succeed ably ugli yelling ybarra";
        let mut analysis = Analysis::new();
        for text in [essay, tricky] {
            for word in analysis.words(text) {
                let forms = std::iter::once((word.exact.clone(), word.stem.clone()))
                    .chain(word.alternate.clone());
                for (exact, stem) in forms {
                    assert_eq!(
                        exact.chars().next(),
                        stem.chars().next(),
                        "{exact} -> {stem}"
                    );
                }
            }
        }
    }

    proptest! {
        #[test]
        fn stems_of_any_letters_keep_the_first_character(word in "[a-z']{1,12}[a-z]") {
            let mut analysis = Analysis::new();
            for w in analysis.words(&word) {
                prop_assert_eq!(w.exact.chars().next(), w.stem.chars().next(), "{} -> {}", w.exact, w.stem);
            }
        }
    }

    #[test]
    fn offsets_are_bytes_into_the_original() {
        let t = tokens(&mut exact_analyzer(), "Grüße, Welt");
        let got: Vec<_> = t
            .iter()
            .map(|t| (t.text.as_str(), t.offset_from, t.offset_to, t.position))
            .collect();
        assert_eq!(got, [("grusse", 0, 7, 0), ("welt", 9, 13, 1)]);
    }

    #[test]
    fn english_possessives_acronyms_and_stems() {
        assert_eq!(exact("Beijing’s use"), ["beijing", "use"]);
        assert_eq!(exact("Beijings' plans"), ["beijings", "beijing", "plans"]);
        assert_eq!(
            surface("Beijings' plans"),
            ["Beijings", "Beijings", "plans"]
        );
        assert_eq!(
            exact("the ‘progress’ report"),
            ["the", "progress", "report"]
        );
        assert_eq!(exact("James’ car"), ["james", "jame", "car"]);
        assert_eq!(
            exact("the U.S.–South Korea"),
            ["the", "us", "south", "korea"]
        );
        assert_eq!(
            exact("U.S and US and Washington, D.C."),
            ["us", "and", "us", "and", "washington", "dc"]
        );
        assert_eq!(stems("treaties Treaty"), ["treati", "treati"]);
        assert_eq!(stems("Korea Korean"), ["korea", "korean"]);
        assert_eq!(exact("man on the scene"), ["man", "on", "the", "scene"]);
    }

    #[test]
    fn a_word_after_an_elided_article_is_found_alone() {
        assert_eq!(
            exact("De l’Église à dell'anima"),
            ["de", "l'eglise", "eglise", "a", "dell'anima", "anima"]
        );
        assert_eq!(surface("qu’Arc"), ["qu’Arc", "Arc"]);
        assert_eq!(stems("l'églises"), ["l'eglis", "eglis"]);
        assert_eq!(exact("don't O'Brien"), ["don't", "o'brien"]);
    }

    #[test]
    fn tatweel_folds_away() {
        assert_eq!(exact("عــربي كتــــاب"), ["عربي", "كتاب"]);
        assert_eq!(surface("عــربي"), ["عــربي"]);
    }

    #[test]
    fn terminal_colour_sequences_are_no_part_of_words() {
        let coloured = "\x1b[31mError\x1b[0m was \x1b[1;4mbold\x1b[0m, \x1b[38;5;196mred";
        assert_eq!(exact(coloured), ["error", "was", "bold", "red"]);
        assert_eq!(surface(coloured), ["Error", "was", "bold", "red"]);
        assert_eq!(
            exact("\x1b[?25hready \x1b[32mcafé\x1b[0m"),
            ["ready", "cafe"]
        );
        // Without the escape, the same bytes are text.
        assert_eq!(exact("[31mError")[0], "31merror");
        // Inside a word (`grep --color`), a word goes on over them.
        assert_eq!(
            exact("\x1b[01;31m\x1b[Kerr\x1b[m\x1b[Kor found"),
            ["error", "found"]
        );
        assert_eq!(surface("err\x1b[mor"), ["err\x1b[mor"]);
        // `tput sgr0`'s character set, a hyperlink's address.
        assert_eq!(exact("\x1b[1mbold\x1b(B\x1b[m text"), ["bold", "text"]);
        assert_eq!(
            exact("see \x1b]8;;http://x.org/a\x1b\\link\x1b]8;;\x1b\\ here"),
            ["see", "link", "here"]
        );
        // Cursor moves part words; two-byte escapes and DCS strings are no part of them.
        assert_eq!(
            exact("cursor \x1b[2Amoved\x1b[10;20Hplaced a \x1b7saved \x1bMup \x1bPqsixel\x1b\\ x"),
            ["cursor", "moved", "placed", "a", "saved", "up", "x"]
        );
        // A stray `ESC [` before a word is no sequence of it.
        assert_eq!(exact("\x1b[ Warning"), ["warning"]);
    }

    #[test]
    fn numbers_stay_searchable() {
        assert_eq!(
            exact("In 1953, 3.14 and 15 percent"),
            ["in", "1953", "3.14", "and", "15", "percent"]
        );
        assert_eq!(
            exact("a 72-year-old alliance"),
            ["a", "72", "year", "old", "alliance"]
        );
    }

    #[test]
    fn raised_and_lowered_digits_stay_in_their_word() {
        // The formula is one word with plain digits; letters around the digits are its parts.
        assert_eq!(exact("H₂O and CO₂"), ["h2o", "and", "co2", "co"]);
        assert_eq!(surface("H₂O and CO₂"), ["H₂O", "and", "CO₂", "CO"]);
        assert_eq!(
            exact("C₁₂H₂₂O₁₁ in km²"),
            ["c12h22o11", "c12h22o", "in", "km2", "km"]
        );
        // A footnote mark after a word: the word is still found.
        assert_eq!(
            exact("as argued³ here"),
            ["as", "argued3", "argued", "here"]
        );
        // After a number, an exponent stays apart (not `103`).
        assert_eq!(exact("10³ m"), ["10", "3", "m"]);
        // A decomposed accent before the digit: as its composed form.
        assert_eq!(
            exact("cafe\u{301}² café²"),
            ["cafe2", "cafe", "cafe2", "cafe"]
        );
    }

    #[test]
    fn german_and_french_text() {
        assert_eq!(
            exact("Die Größe der Brücke in Malmö"),
            ["die", "grosse", "der", "brucke", "in", "malmo"]
        );
        assert_eq!(
            exact("L’été à Paris, café crème"),
            ["l'ete", "ete", "a", "paris", "cafe", "creme"]
        );
    }

    #[test]
    fn korean_is_bigrams_within_each_spaced_word() {
        assert_eq!(exact("한국은 동맹"), ["한국", "국은", "동맹"]);
        assert_eq!(exact("한국의"), ["한국", "국의"]);
        assert_eq!(surface("한국은 동맹"), ["한국", "국은", "동맹"]);
    }

    #[test]
    fn decomposed_korean_is_the_same_words_as_composed() {
        use unicode_normalization::UnicodeNormalization;
        let composed = "한국은 동맹";
        let decomposed: String = composed.nfd().collect();
        assert_ne!(decomposed, composed);
        assert_eq!(exact(&decomposed), ["한국", "국은", "동맹"]);
        // Each bigram spans its syllables' jamo whole.
        let spans: Vec<(usize, usize)> = tokens(&mut exact_analyzer(), &decomposed)
            .iter()
            .map(|t| (t.offset_from, t.offset_to))
            .collect();
        let syllable = "한".nfd().collect::<String>().len();
        assert_eq!(spans[0], (0, 2 * syllable));
    }

    #[test]
    fn variation_selectors_are_no_part_of_a_words_term() {
        // An ideograph's variant (an ideographic variation sequence) keeps its run going.
        let variant = "東京都葛\u{E0100}飾区";
        assert_eq!(exact(variant), exact("東京都葛飾区"));
        // Before a line break the run goes on over.
        assert_eq!(exact("東京\u{FE00}\n都"), exact("東京\n都"));
        let marked = surface(variant);
        assert!(marked.contains(&"葛\u{E0100}飾"), "{marked:?}");
        // An emoji's presentation selector after a word or a digit.
        assert_eq!(exact("word\u{FE0F} 1\u{FE0F}\u{20E3}"), ["word", "1"]);
        assert_eq!(stems("cafe\u{301}\u{FE0E}s"), stems("cafés"));
    }

    #[test]
    fn a_decomposed_accent_before_a_capital_still_parts_a_camel_case_word() {
        let decomposed = "re\u{301}sume\u{301}Parser";
        assert_eq!(exact(decomposed), exact("résuméParser"));
        assert_eq!(exact(decomposed), ["resumeparser", "resume", "parser"]);
        // After a run of capitals, and in the run itself.
        assert_eq!(exact("XMLRe\u{301}sume\u{301}"), exact("XMLRésumé"));
        assert_eq!(exact("CAFE\u{301}Server"), exact("CAFÉServer"));
        assert_eq!(exact("CAFE\u{301}Server"), ["cafeserver", "cafe", "server"]);
    }

    #[test]
    fn chinese_and_japanese_runs_become_bigrams() {
        assert_eq!(exact("中国的经济"), ["中国", "国的", "的经", "经济"]);
        assert_eq!(
            exact("東京に行きます"),
            ["東京", "京に", "に行", "行き", "きま", "ます"]
        );
        assert_eq!(exact("中"), ["中"]);
        assert_eq!(exact("中 国"), ["中", "国"]);
        assert_eq!(exact("カタカナ"), ["カタ", "タカ", "カナ"]);
        // Half-width katakana with voicing marks fold to the full-width bigrams.
        assert_eq!(exact("ｶﾞｯｺｳ"), exact("ガッコウ"));
    }

    #[test]
    fn chinese_and_japanese_wrapped_in_their_source_go_on_over_the_line_break() {
        let wrapped = ["中国", "国的", "的经", "经济", "济发", "发展"];
        assert_eq!(exact("中国的经济\n发展"), wrapped);
        // CRLF, trailing spaces and an indent are the same break.
        assert_eq!(exact("中国的经济 \r\n  发展"), wrapped);
        assert_eq!(
            exact("東京に\n行きます"),
            ["東京", "京に", "に行", "行き", "きま", "ます"]
        );
        // The bigram spans the break; its text leaves it out.
        let grams = tokens(&mut exact_analyzer(), "经济\n发展");
        let spanning = grams
            .iter()
            .find(|t| t.text == "济发")
            .map(|t| (t.offset_from, t.offset_to));
        assert_eq!(spanning, Some((3, 10)));
        // A blank line, a space, punctuation or a Korean word on either side part the run.
        assert_eq!(exact("经济\n\n发展"), ["经济", "发展"]);
        assert_eq!(exact("经济 发展"), ["经济", "发展"]);
        assert_eq!(exact("经济。\n发展"), ["经济", "发展"]);
        assert_eq!(exact("한국은\n동맹"), ["한국", "국은", "동맹"]);
        assert_eq!(exact("经济\n동맹"), ["经济", "동맹"]);
    }

    #[test]
    fn mixed_script_words_split_at_the_script_change() {
        assert_eq!(exact("한국KOREA"), ["한국", "korea"]);
        // `phone` is a camel-case part of `iPhone`, at its position.
        assert_eq!(exact("iPhone中国版"), ["iphone", "phone", "中国", "国版"]);
    }

    #[test]
    fn too_long_words_are_measured_as_the_analyzer_measures_them() {
        let too_long_words = |text: &str| outermost(&too_long_tokens(text));
        let long = "x".repeat(MAX_TOKEN_BYTES + 1);
        let text = format!("a {long} b");
        assert_eq!(too_long_words(&text), vec![2..2 + long.len()]);
        // Folded to 60 bytes: indexed, not too long, though its surface is 120 bytes.
        assert!(too_long_words(&"é".repeat(60)).is_empty());
        // Joined over its subscript digits: one word of 120 bytes.
        let joined = "H₂".repeat(60);
        assert_eq!(too_long_words(&joined), vec![0..joined.len()]);
    }

    #[test]
    fn over_long_tokens_are_dropped() {
        let long = "x".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(exact(&format!("a {long} b")), ["a", "b"]);
        assert_eq!(exact(&"y".repeat(MAX_TOKEN_BYTES)).len(), 1);
    }

    #[test]
    fn analysis_words_carry_both_forms() {
        let words = Analysis::new().words("Treaties’ force");
        let forms: Vec<(&str, &str, usize, usize)> = words
            .iter()
            .map(|w| (w.exact.as_str(), w.stem.as_str(), w.start, w.end))
            .collect();
        assert_eq!(
            forms,
            [("treaties", "treati", 0, 8), ("force", "forc", 12, 17)]
        );
        let alternate = Some(("treatie".to_string(), "treati".to_string()));
        assert_eq!(words[0].alternate, alternate);
        assert_eq!((words[0].position, words[1].position), (0, 1));
    }

    proptest! {
        #[test]
        fn tokens_are_sorted_slices_on_char_boundaries(text in "\\PC{0,60}|[\\p{Han}\\p{Hangul}\\p{Hiragana} \\n\\r\\ta-z.'’-]{0,40}") {
            let all = tokens(&mut exact_analyzer(), &text);
            let mut last = 0;
            for t in &all {
                prop_assert!(text.is_char_boundary(t.offset_from) && text.is_char_boundary(t.offset_to));
                prop_assert!(t.offset_from < t.offset_to && t.offset_to <= text.len());
                // Starts never go back (an identifier's parts follow it, inside its range;
                // CJK bigrams overlap).
                prop_assert!(t.offset_from >= last);
                last = t.offset_from;
                let slice = &text[t.offset_from..t.offset_to];
                prop_assert!(!slice.is_empty() && !t.text.is_empty());
                // The surface word folds to the token (modulo possessives and acronym dots).
                let mut folded = String::new();
                normalize::fold_into(slice, &mut folded);
                // (and the line break a CJK bigram spans, with the spaces around it).
                let spans_break = folded.contains('\n');
                let plain: String = folded
                    .chars()
                    .filter(|c| *c != '.' && *c != '\'' && !(spans_break && c.is_whitespace()))
                    .collect();
                let token: String = t.text.chars().filter(|c| *c != '.' && *c != '\'').collect();
                prop_assert!(plain.starts_with(&token), "{:?} -> {:?}", slice, t.text);
            }
            let stemmed = tokens(&mut analyzer(), &text);
            prop_assert_eq!(stemmed.len(), all.len());
        }
    }
}
