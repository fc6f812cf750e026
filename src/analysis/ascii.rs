//! Unicode word boundaries (UAX #29) for text that is all ASCII, without the general machinery:
//! the same words `unicode_word_indices` finds, several times faster. On ASCII the rules reduce
//! to: letters, digits and `_` join; a letter, `:`, `.` or `'`, letter join (`don't`, `U.S`,
//! `a:b`); a digit, `,`, `;`, `.` or `'`, digit join (`3.14`, `1,000`); a word needs a letter or
//! a digit. The same rules hold for a few non-ASCII characters common in edited English
//! ([`simple_char`]): typographic single quotes join as `'` does (`Pyongyang’s`); typographic
//! double quotes, dashes, the ellipsis and the no-break space join nothing, as white space.
//!
//! Text with other non-ASCII characters ([`MixedWords`]) is cut where no rule looks across:
//! after ASCII white space and before another ASCII character. The stretches around those
//! characters go to the general rules ([`unicode_words`]), the rest to the fast ones.

use unicode_segmentation::{UWordBoundIndices, UnicodeSegmentation};

/// The words of text by the general rules: UAX #29's segments holding a letter or a digit (as
/// `unicode_word_indices` gives them), and those holding a symbol whose compatibility form
/// has one (`㎏` is `kg`, `㎡` is `m2`, `℃` is `c`), which folding indexes as that form; not the
/// trade marks `™` and `℠` that follow a word (`Acme™ tools` is still the phrase `acme tools`).
pub fn unicode_words(text: &str) -> UnicodeWords<'_> {
    text.split_word_bound_indices().filter(is_word)
}

/// The iterator of [`unicode_words`].
pub type UnicodeWords<'a> = std::iter::Filter<UWordBoundIndices<'a>, fn(&(usize, &str)) -> bool>;

/// Whether a UAX #29 segment is a word (see [`unicode_words`]).
fn is_word(&(_, segment): &(usize, &str)) -> bool {
    segment
        .chars()
        .any(|c| c.is_alphanumeric() || (!c.is_ascii() && folds_to_alphanumeric(c)))
}

/// Whether the compatibility form of `c` (a letter-like symbol, see
/// [`super::normalize::is_letterlike_symbol`]) holds a letter or a digit.
fn folds_to_alphanumeric(c: char) -> bool {
    if !super::normalize::is_letterlike_symbol(c) {
        return false;
    }
    let mut found = false;
    unicode_normalization::char::decompose_compatible(c, |d| found |= d.is_alphanumeric());
    found
}

/// Word-break classes of ASCII characters. The three that join come first.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Letter,
    Digit,
    Underscore,
    /// `:` (MidLetter).
    MidLetter,
    /// `.` and `'` (MidNumLet and Single_Quote).
    MidNumLet,
    /// `,` and `;` (MidNum).
    MidNum,
    Other,
}

const fn class_of(byte: u8) -> Class {
    match byte {
        b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
        b'0'..=b'9' => Class::Digit,
        b'_' => Class::Underscore,
        b':' => Class::MidLetter,
        b'.' | b'\'' => Class::MidNumLet,
        b',' | b';' => Class::MidNum,
        _ => Class::Other,
    }
}

/// The class of every byte, looked up rather than matched in the scanning loops.
static CLASSES: [Class; 256] = {
    let mut table = [Class::Other; 256];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = class_of(byte as u8);
        byte += 1;
    }
    table
};

fn class(byte: u8) -> Class {
    CLASSES[usize::from(byte)]
}

fn joins(class: Class) -> bool {
    class <= Class::Underscore
}

/// What [`is_plain_ascii`] needs to know of a byte: a lower-case or an upper-case ASCII letter,
/// or a byte that makes a word not plain (`.`, `'`, `_`, any non-ASCII byte).
const LOWER: u8 = 1;
const UPPER: u8 = LOWER << 1;
const NOT_PLAIN: u8 = UPPER << 1;

static WORD_BYTES: [u8; 256] = {
    let mut table = [0; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = match byte as u8 {
            b'a'..=b'z' => LOWER,
            b'A'..=b'Z' => UPPER,
            b'.' | b'\'' | b'_' | 0x80..=0xFF => NOT_PLAIN,
            _ => 0,
        };
        byte += 1;
    }
    table
};

/// True for a word of ASCII letters and digits (with `:`, `,` or `;` between them) and no
/// camel-case hump: its normal form is its ASCII lower case, and it has no identifier parts.
/// One pass without branches: a hump is a [`LOWER`] byte, shifted, meeting an [`UPPER`] one;
/// a word that starts with a run of capitals and then a capitalised word (`HTTPServer`) is not
/// plain either (told at its end, from its first bytes: see `parts::capitals_then_word`).
pub fn is_plain_ascii(word: &str) -> bool {
    let mut shape = Shape::default();
    word.bytes().for_each(|byte| shape.add(byte));
    shape.plain(word.as_bytes())
}

/// What [`is_plain_ascii`] has seen of a word so far, a byte at a time.
#[derive(Default, Clone, Copy)]
struct Shape {
    seen: u8,
    previous: u8,
}

impl Shape {
    fn add(&mut self, byte: u8) {
        let flags = WORD_BYTES[usize::from(byte)];
        self.seen |= (flags & NOT_PLAIN) | ((self.previous << 1) & flags & UPPER);
        self.previous = flags;
    }

    /// Whether `word`, whose bytes were added, is plain.
    fn plain(self, word: &[u8]) -> bool {
        self.seen == 0
            && !super::parts::capitals_then_word(
                word,
                u8::is_ascii_uppercase,
                u8::is_ascii_lowercase,
            )
    }
}

/// The word-break class and width in bytes of the non-ASCII character starting at `at`, if the
/// fast rules know it: `‘` and `’` (U+2018, U+2019: MidNumLet, as `.` and `'` are), and
/// characters no rule joins (class Other): `–`, `—`, `“`, `”`, `…` and the no-break space.
fn simple_char(bytes: &[u8], at: usize) -> Option<(Class, usize)> {
    match bytes.get(at..)? {
        [0xC2, 0xA0, ..] => Some((Class::Other, 2)),
        [0xE2, 0x80, 0x98 | 0x99, ..] => Some((Class::MidNumLet, 3)),
        [0xE2, 0x80, 0x93 | 0x94 | 0x9C | 0x9D | 0xA6, ..] => Some((Class::Other, 3)),
        _ => None,
    }
}

/// The offset of the first non-ASCII byte of `bytes`. Whole 16-byte chunks are checked first
/// (`<[u8]>::is_ascii` tests a machine word at a time), then the bytes of the chunk that holds it:
/// most of an English text is ASCII, and a byte-at-a-time search was most of the time spent
/// choosing the word rules for it.
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    const CHUNK: usize = 16;
    let mut chunks = bytes.chunks_exact(CHUNK);
    let mut at = 0;
    for chunk in &mut chunks {
        if !chunk.is_ascii() {
            break;
        }
        at += CHUNK;
    }
    bytes[at..]
        .iter()
        .position(|b| !b.is_ascii())
        .map(|i| at + i)
}

/// The offset of the first non-ASCII character from `from` on that the fast rules do not know.
fn first_complex(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let found = at + first_non_ascii(bytes.get(at..)?)?;
        match simple_char(bytes, found) {
            Some((_, width)) => at = found + width,
            None => return Some(found),
        }
    }
}

/// True when every character of `text` is ASCII or one [`simple_char`] knows.
pub fn is_simple(text: &str) -> bool {
    first_complex(text.as_bytes(), 0).is_none()
}

/// The words of an ASCII text (or one with only the non-ASCII characters [`simple_char`] knows)
/// with their byte offsets.
pub struct AsciiWords<'a> {
    text: &'a str,
    at: usize,
    /// The word last returned is plain ([`is_plain_ascii`]), told while scanning it.
    plain: bool,
}

impl<'a> AsciiWords<'a> {
    /// Words of `text`, which must be ASCII or hold only characters [`simple_char`] knows.
    pub fn new(text: &'a str) -> AsciiWords<'a> {
        debug_assert!(is_simple(text));
        AsciiWords {
            text,
            at: 0,
            plain: false,
        }
    }

    /// Whether the word last returned is plain (see [`is_plain_ascii`]).
    pub fn last_plain(&self) -> bool {
        self.plain
    }
}

impl<'a> Iterator for AsciiWords<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        let bytes = self.text.as_bytes();
        loop {
            while self.at < bytes.len() && !joins(class(bytes[self.at])) {
                self.at += 1;
            }
            if self.at >= bytes.len() {
                return None;
            }
            let start = self.at;
            let mut end = start + 1;
            let mut shape = Shape::default();
            shape.add(bytes[start]);
            while let Some(&byte) = bytes.get(end) {
                let here = class(byte);
                if joins(here) {
                    shape.add(byte);
                    end += 1;
                    continue;
                }
                // Non-ASCII bytes are `Other` in the table: they end the word, but for a curly quote.
                let (middle, width) = match here {
                    Class::MidLetter | Class::MidNumLet | Class::MidNum => (here, 1),
                    _ => match simple_char(bytes, end) {
                        Some(mid @ (Class::MidNumLet, _)) => mid,
                        _ => break,
                    },
                };
                let before = class(bytes[end - 1]);
                let after = bytes.get(end + width).map(|&b| class(b));
                let letters = before == Class::Letter
                    && after == Some(Class::Letter)
                    && middle != Class::MidNum;
                let digits = before == Class::Digit
                    && after == Some(Class::Digit)
                    && middle != Class::MidLetter;
                if !(letters || digits) {
                    break;
                }
                // The middle character and the letter or digit after it.
                bytes[end..end + width + 1]
                    .iter()
                    .for_each(|&byte| shape.add(byte));
                end += width + 1;
            }
            self.at = end;
            let word = &self.text[start..end];
            self.plain = shape.plain(word.as_bytes());
            // A word needs a letter or a digit: only one starting with `_` may lack both.
            if bytes[start] != b'_' || word.bytes().any(|b| b.is_ascii_alphanumeric()) {
                return Some((start, word));
            }
        }
    }
}

/// The words of any text with their byte offsets: `unicode_word_indices`, with the stretches
/// that hold no non-ASCII character walked by [`AsciiWords`].
pub struct MixedWords<'a> {
    text: &'a str,
    /// Where the next stretch starts.
    at: usize,
    /// The stretch being walked and its offset in `text`.
    stretch: Stretch<'a>,
    offset: usize,
}

enum Stretch<'a> {
    Ascii(AsciiWords<'a>),
    Unicode(UnicodeWords<'a>),
}

impl<'a> MixedWords<'a> {
    /// Words of `text`.
    pub fn new(text: &'a str) -> MixedWords<'a> {
        MixedWords {
            text,
            at: 0,
            stretch: Stretch::Ascii(AsciiWords::new("")),
            offset: 0,
        }
    }

    /// Starts the stretch at `self.at`: for the fast rules up to the last cut before the next
    /// character they do not know, or from there (a cut) to the first cut after that character.
    fn next_stretch(&mut self) {
        let bytes = self.text.as_bytes();
        let from = self.at;
        let Some(first) = first_complex(bytes, from) else {
            return self.start(from, bytes.len(), true);
        };
        match (from + 1..=first).rev().find(|&q| is_cut(bytes, q)) {
            Some(cut) => self.start(from, cut, true),
            None => {
                let end = (first + 1..bytes.len())
                    .find(|&q| is_cut(bytes, q))
                    .unwrap_or(bytes.len());
                self.start(from, end, false);
            }
        }
    }

    /// Whether the word last returned is plain, when the fast rules found it.
    pub fn last_plain(&self) -> Option<bool> {
        match &self.stretch {
            Stretch::Ascii(words) => Some(words.last_plain()),
            Stretch::Unicode(_) => None,
        }
    }

    fn start(&mut self, from: usize, end: usize, ascii: bool) {
        let text = &self.text[from..end];
        self.stretch = match ascii {
            true => Stretch::Ascii(AsciiWords::new(text)),
            false => Stretch::Unicode(unicode_words(text)),
        };
        self.offset = from;
        self.at = end;
    }
}

/// True when no word-break rule looks across `q`: it follows ASCII white space and comes
/// before another ASCII character (UAX #29 always breaks there, and its rules look at most
/// past one character that white space is not).
fn is_cut(bytes: &[u8], q: usize) -> bool {
    q > 0
        && bytes
            .get(q)
            .is_some_and(|b| b.is_ascii() && !b.is_ascii_whitespace())
        && bytes[q - 1].is_ascii_whitespace()
}

impl<'a> Iterator for MixedWords<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        loop {
            let word = match &mut self.stretch {
                Stretch::Ascii(words) => words.next(),
                Stretch::Unicode(words) => words.next(),
            };
            if let Some((start, word)) = word {
                return Some((self.offset + start, word));
            }
            if self.at >= self.text.len() {
                return None;
            }
            self.next_stretch();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(text: &str) -> Vec<(usize, &str)> {
        AsciiWords::new(text).collect()
    }

    #[test]
    fn the_first_non_ascii_byte_is_found_in_any_chunk() {
        for len in [0, 1, 15, 16, 17, 31, 32, 33, 70] {
            let ascii = "a".repeat(len);
            assert_eq!(first_non_ascii(ascii.as_bytes()), None, "{len}");
            for at in 0..len {
                let mut bytes = ascii.clone().into_bytes();
                bytes[at] = 0xC3;
                if at + 1 < len {
                    bytes[at + 1] = 0x80;
                }
                assert_eq!(first_non_ascii(&bytes), Some(at), "{len} {at}");
            }
        }
    }

    #[test]
    fn letters_digits_and_underscore_join_and_nothing_else() {
        for byte in 0..=u8::MAX {
            let expected = byte.is_ascii_alphanumeric() || byte == b'_';
            assert_eq!(joins(class(byte)), expected, "byte {byte}");
        }
    }

    #[test]
    fn the_ascii_rules() {
        assert_eq!(
            words("The U.S. don't 3.14 1,000 a:b x_y __ _z 72-year-old end."),
            [
                (0, "The"),
                (4, "U.S"),
                (9, "don't"),
                (15, "3.14"),
                (20, "1,000"),
                (26, "a:b"),
                (30, "x_y"),
                (37, "_z"),
                (40, "72"),
                (43, "year"),
                (48, "old"),
                (52, "end"),
            ]
        );
    }

    #[test]
    fn simple_characters_break_as_unicode_says() {
        for c in ['‘', '’', '–', '—', '“', '”', '…', '\u{a0}'] {
            let mut buffer = [0; 4];
            assert_eq!(
                simple_char(c.encode_utf8(&mut buffer).as_bytes(), 0).map(|(_, width)| width),
                Some(c.len_utf8())
            );
            for text in [
                format!("a{c}b"),
                format!("1{c}2"),
                format!("a{c}{c}b"),
                format!("{c}a {c} b{c}"),
                format!("x.{c}y"),
                format!("_{c}_"),
            ] {
                let expected: Vec<(usize, &str)> = unicode_words(&text).collect();
                assert_eq!(words(&text), expected, "{text:?}");
            }
        }
        for other in ['é', '\u{301}', '\u{2027}', '\u{2024}', '\u{85}', '日'] {
            let mut buffer = [0; 4];
            assert_eq!(
                simple_char(other.encode_utf8(&mut buffer).as_bytes(), 0).map(|(_, width)| width),
                None
            );
        }
    }

    proptest! {
        #[test]
        fn same_words_as_unicode_segmentation(text in "[a-zA-Z0-9 .,;:'_\\-\n!?()‘’–—“”…\u{a0}]{0,60}") {
            let expected: Vec<(usize, &str)> = unicode_words(&text).collect();
            prop_assert_eq!(words(&text), expected);
        }

        /// The plain flag told while scanning is the word's own (`is_plain_ascii`), in ASCII
        /// stretches of mixed text too.
        #[test]
        fn the_scanned_plain_flag_is_the_words(text in "[a-zA-Z0-9 .,;:'_\\-\n’–é日]{0,60}") {
            let mut words = MixedWords::new(&text);
            while let Some((_, word)) = words.next() {
                if let Some(plain) = words.last_plain() {
                    prop_assert_eq!(plain, is_plain_ascii(word), "{:?} in {:?}", word, text);
                }
            }
            if is_simple(&text) {
                let mut words = AsciiWords::new(&text);
                while let Some((_, word)) = words.next() {
                    prop_assert_eq!(words.last_plain(), is_plain_ascii(word), "{:?}", word);
                }
            }
        }

        /// Mixed text: ASCII with characters the rules treat specially around white space
        /// (combining marks, joiners, format characters, regional indicators, quotes,
        /// ideographs, Hebrew, other spaces and line breaks).
        #[test]
        fn mixed_words_are_unicode_segmentation(
            text in "[a-zA-Z0-9 .,;:'\"_\\-\n\t\r\u{b}\u{c}!?()‘’–—“”…éü\u{301}\u{200d}\u{200b}\u{ad}\u{2019}\u{a0}\u{3000}\u{85}\u{2028}🇫🇷👍日本カタ\u{5d0}\u{5f3}]{0,60}"
        ) {
            let expected: Vec<(usize, &str)> = unicode_words(&text).collect();
            prop_assert_eq!(MixedWords::new(&text).collect::<Vec<_>>(), expected);
        }
    }

    #[test]
    fn mixed_words_cut_only_after_ascii_space() {
        for text in [
            "An é café\u{301} 日本語 x y.z 👍 end",
            // A combining mark after a space belongs to the space: no cut before it.
            "a \u{301}b c",
            "ascii only here",
            "ünïcode",
            "",
        ] {
            let expected: Vec<(usize, &str)> = unicode_words(text).collect();
            assert_eq!(
                MixedWords::new(text).collect::<Vec<_>>(),
                expected,
                "{text:?}"
            );
        }
    }
}
