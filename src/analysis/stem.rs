//! English stems of single words with a cache: Snowball's English stemmer (frostem, the crate
//! and version behind tantivy's `Stemmer`, so the stems are tantivy's), called directly,
//! computes each distinct word's stem once. The query side and the
//! highlighter stem word by word through [`Stems`]; at ingest, [`CachedStemmer`] is the
//! stemmed analyzer's last filter.

use std::hash::Hasher;

use super::exact_forms::Class;
use super::replay::{self, Marks};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// A multiply-rotate hash over 8-byte chunks (as in rustc's FxHash), with a final mix so the
/// top bits the table probes by are well spread: short words hash several times faster than
/// with SipHash, and a cache of stems needs no protection against crafted collisions beyond
/// its size bound.
#[derive(Default)]
struct WordHasher(u64);

const SEED: u64 = 0x517c_c1b7_2722_0a95;

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        let h = self.0 ^ (self.0 >> 29);
        h.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (h >> 32)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            self.add(tail(rest) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }
}

/// The last 1 to 7 bytes of a word as one number, read in two overlapping loads rather than
/// copied byte by byte (which the next load would wait for): with the length, it tells the
/// bytes apart (two loads of four cover up to eight bytes; for fewer than four, the first,
/// middle and last bytes are all of them).
fn tail(rest: &[u8]) -> u64 {
    let n = rest.len();
    let four = |at: usize| {
        rest.get(at..at + 4)
            .and_then(|bytes| bytes.try_into().ok())
            .map_or(0, u32::from_le_bytes)
    };
    match n {
        0 => 0,
        1..=3 => u64::from(rest[0]) | u64::from(rest[n / 2]) << 8 | u64::from(rest[n - 1]) << 16,
        _ => u64::from(four(0)) | u64::from(four(n - 4)) << 32,
    }
}

/// Whether two byte strings are the same; up to 24 bytes, compared in a few overlapping
/// loads (a call to `memcmp` for the handful of bytes of a word cost more than comparing).
fn same_short(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() || n > 24 {
        return a == b;
    }
    if n < 8 {
        return tail(a) == tail(b);
    }
    let eight = |bytes: &[u8], at: usize| {
        bytes
            .get(at..at + 8)
            .and_then(|chunk| chunk.try_into().ok())
            .map_or(0, u64::from_le_bytes)
    };
    let differ = |at: usize| eight(a, at) ^ eight(b, at);
    let mut diff = differ(0) | differ(n - 8);
    if n > 16 {
        diff |= differ(8);
    }
    diff == 0
}

/// Words up to this many bytes are cached (longer ones are rare and stemmed every time).
const INLINE: usize = 23;

/// One cache slot: a word and its stem, inline, so a lookup touches one cache line.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Slot {
    word_len: u8,
    stem_len: u8,
    /// The stem is the word's first `stem_len` bytes (most are: suffixes are cut).
    prefix: bool,
    word: [u8; INLINE],
    stem: [u8; INLINE],
}

const EMPTY: Slot = Slot {
    word_len: u8::MAX,
    stem_len: 0,
    prefix: false,
    word: [0; INLINE],
    stem: [0; INLINE],
};

/// Stems words, remembering recent stems in a direct-mapped table: a word's slot is fixed by
/// its hash and a newer word takes it over, so frequent words stay and memory is bounded.
#[derive(Clone)]
pub struct Stems {
    stemmer: frostem::Stemmer,
    /// Allocated at the first word (an analyzer is built, and cloned, at every index open).
    slots: Vec<Slot>,
    size: usize,
    scratch: String,
    /// The last stem returned by [`Stems::stem`].
    last: String,
    /// How the words of the text a [`CachedStemmerStream`] is stemming relate to their stems.
    marks: Marks,
}

impl Default for Stems {
    fn default() -> Self {
        Stems::with_slots(QUERY_SLOTS)
    }
}

/// Slots for the query side and the highlighter (a few thousand words per query).
const QUERY_SLOTS: usize = 1 << 10;
/// Slots for an indexing thread (a corpus' frequent words).
pub const INGEST_SLOTS: usize = 1 << 15;

impl Stems {
    /// A stemmer whose cache has `slots` slots (rounded up to a power of two).
    pub fn with_slots(slots: usize) -> Stems {
        Stems {
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
            slots: Vec::new(),
            size: slots.next_power_of_two(),
            scratch: String::new(),
            last: String::new(),
            marks: Marks::default(),
        }
    }

    /// The English stem of a normalised word.
    pub fn stem(&mut self, word: &str) -> &str {
        let mut out = std::mem::take(&mut self.last);
        out.clear();
        out.push_str(word);
        self.stem_in_place(&mut out);
        self.last = out;
        &self.last
    }

    /// Replaces a normalised word by its English stem, and tells how the word relates to it.
    fn stem_in_place(&mut self, word: &mut String) -> Class {
        // Snowball's English stemmer leaves words of fewer than three letters as they are
        // (`not hop 3`), and two bytes hold at most two letters: the commonest words ("of",
        // "to", "in", "a") need no lookup.
        if word.len() <= 2 {
            return Class::Own;
        }
        if self.slots.is_empty() {
            self.slots = vec![EMPTY; self.size];
        }
        let mut hasher = WordHasher::default();
        hasher.write(word.as_bytes());
        let index = (hasher.finish() as usize) & (self.slots.len() - 1);
        let slot = &self.slots[index];
        let len = word.len();
        if usize::from(slot.word_len) == len
            && len <= INLINE
            && same_short(&slot.word[..len], word.as_bytes())
        {
            let n = usize::from(slot.stem_len);
            if slot.prefix && word.is_char_boundary(n) {
                // The word starts with its stem.
                word.truncate(n);
                return Class::of_leading(len, n);
            }
            if let Ok(stem) = std::str::from_utf8(&slot.stem[..n]) {
                let class = Class::of(word, stem);
                word.clear();
                word.push_str(stem);
                return class;
            }
        }
        self.scratch.clear();
        self.scratch.push_str(&self.stemmer.stem(word));
        let (bytes, stem) = (word.as_bytes(), self.scratch.as_bytes());
        if bytes.len() <= INLINE && stem.len() <= INLINE {
            let slot = &mut self.slots[index];
            slot.word_len = bytes.len() as u8;
            slot.word[..bytes.len()].copy_from_slice(bytes);
            slot.stem_len = stem.len() as u8;
            slot.stem[..stem.len()].copy_from_slice(stem);
            slot.prefix = bytes.starts_with(stem);
        }
        let class = Class::of(word, &self.scratch);
        word.clear();
        word.push_str(&self.scratch);
        class
    }
}

/// A token filter replacing each token's text by its English stem, the same as tantivy's
/// `Stemmer` gives, from a cache kept for the life of the analyzer (one per indexing thread
/// and segment at ingest).
#[derive(Clone, Default)]
pub struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerTokenizer<T> {
        CachedStemmerTokenizer {
            inner: tokenizer,
            stems: Stems::with_slots(INGEST_SLOTS),
        }
    }
}

/// The tokenizer built by [`CachedStemmer`].
#[derive(Clone)]
pub struct CachedStemmerTokenizer<T> {
    inner: T,
    stems: Stems,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerTokenizer<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.stems.marks.clear();
        CachedStemmerStream {
            inner: self.inner.token_stream(text),
            stems: &mut self.stems,
        }
    }
}

/// The token stream of [`CachedStemmerTokenizer`].
pub struct CachedStemmerStream<'a, S> {
    inner: S,
    stems: &'a mut Stems,
}

impl<S: TokenStream> TokenStream for CachedStemmerStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            replay::hand_over(&mut self.stems.marks);
            return false;
        }
        let token = self.inner.token_mut();
        let class = self.stems.stem_in_place(&mut token.text);
        let marks = &mut self.stems.marks;
        marks.classes.push((token.position, class));
        if class == Class::Irregular {
            marks.irregular.push(token.text.clone());
        }
        true
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
    use super::*;
    use tantivy::tokenizer::{Language, RawTokenizer, SimpleTokenizer, Stemmer, TextAnalyzer};

    fn all(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    proptest::proptest! {
        /// `same_short` is byte equality, for every length and wherever two words differ.
        #[test]
        fn same_short_is_equality(
            a in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..30),
            flip in proptest::prelude::any::<proptest::sample::Index>(),
            cut in 0usize..2,
        ) {
            proptest::prop_assert!(same_short(&a, &a.clone()));
            if !a.is_empty() {
                let mut b = a.clone();
                let at = flip.index(a.len());
                b[at] ^= 1;
                proptest::prop_assert!(!same_short(&a, &b), "{:?} at {}", a, at);
                b.truncate(a.len() - cut);
                b[..a.len() - cut].copy_from_slice(&a[..a.len() - cut]);
                proptest::prop_assert_eq!(same_short(&a, &b), cut == 0);
            }
        }

        /// From the cache or not, and however words share slots: the stemmer's own stem, and
        /// the class `Class::of` gives.
        #[test]
        fn cached_stems_and_classes_are_the_stemmers(
            words in proptest::collection::vec("[a-eyséèü’]{1,30}", 1..40)
        ) {
            let mut cached = Stems::with_slots(8);
            let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
            for _ in 0..2 {
                for word in &words {
                    let expected = stemmer.stem(word).to_string();
                    let mut stemmed = word.clone();
                    let class = cached.stem_in_place(&mut stemmed);
                    proptest::prop_assert_eq!(&stemmed, &expected, "{}", word);
                    let want = if word.len() <= 2 { Class::Own } else { Class::of(word, &expected) };
                    proptest::prop_assert_eq!(class, want, "{}", word);
                }
            }
        }
    }

    #[test]
    fn an_over_long_word_is_stemmed_without_the_cache() {
        let mut stems = Stems::default();
        for n in [23, 24, 100, 255, 300] {
            let word = "a".repeat(n);
            assert_eq!(stems.stem(&word), word);
        }
    }

    #[test]
    fn tails_of_one_length_tell_words_apart() {
        // Every word of 1 to 5 letters over a three-letter alphabet, and 6- and 7-byte words
        // differing in one byte anywhere: no two of one length share a tail.
        let mut words: Vec<Vec<u8>> = Vec::new();
        let mut shorter: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 1..=5 {
            shorter = shorter
                .iter()
                .flat_map(|w| b"abc".iter().map(move |&c| [w.as_slice(), &[c]].concat()))
                .collect();
            words.extend(shorter.iter().cloned());
        }
        for n in 6..=7 {
            words.push(vec![b'x'; n]);
            for at in 0..n {
                let mut word = vec![b'x'; n];
                word[at] = b'y';
                words.push(word);
            }
        }
        let mut seen = std::collections::HashSet::new();
        for word in &words {
            assert!(seen.insert((word.len(), tail(word))), "{word:?}");
        }
        assert!(seen.len() > 300);
    }

    #[test]
    fn every_word_of_one_or_two_bytes_is_its_own_stem() {
        let mut tantivy = TextAnalyzer::builder(RawTokenizer::default())
            .filter(Stemmer::new(Language::English))
            .build();
        let mut stems = Stems::default();
        let mut words: Vec<String> = Vec::new();
        for a in 0u8..=0x7f {
            words.push(char::from(a).to_string());
            for b in 0u8..=0x7f {
                words.push(format!("{}{}", char::from(a), char::from(b)));
            }
        }
        words.extend(('\u{80}'..='\u{7ff}').map(String::from));
        for word in &words {
            assert!(word.len() <= 2);
            let expected = all(&mut tantivy, word)
                .first()
                .map_or_else(|| word.clone(), |t| t.0.clone());
            assert_eq!(&expected, word, "tantivy stems {word:?}");
            assert_eq!(stems.stem(word), word);
        }
    }

    #[test]
    fn cached_stems_equal_tantivys_stemmer_token_for_token() {
        let text = "running runners ran easily, the nations' nationalization relies on \
                    treaties; running again and again: ponies skies dying lying generously";
        let mut tantivy = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(Stemmer::new(Language::English))
            .build();
        let mut cached = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(CachedStemmer)
            .build();
        let expected = all(&mut tantivy, text);
        assert_eq!(all(&mut cached, text), expected);
        // Again, now from the cache.
        assert_eq!(all(&mut cached, text), expected);
        assert!(expected.iter().any(|(t, ..)| t == "run"));
    }

    #[test]
    fn stems_stay_right_when_words_share_slots() {
        let mut stems = Stems::with_slots(4);
        let words = [
            "treaties",
            "running",
            "nations",
            "a",
            "generously",
            "skies",
            "dying",
            "ponies",
            "nationalization",
            "internationalizations",
            "relies",
        ];
        let mut fresh = Stems::with_slots(1 << 10);
        let expected: Vec<String> = words.iter().map(|w| fresh.stem(w).to_string()).collect();
        for _ in 0..3 {
            for (word, stem) in words.iter().zip(&expected) {
                assert_eq!(stems.stem(word), stem, "{word}");
            }
        }
        assert_eq!(stems.stem("treaties"), "treati");
        assert_eq!(stems.slots.len(), 4);
    }
}
