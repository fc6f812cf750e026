//! The word tokenizer: Unicode word boundaries (UAX #29), with runs of CJK characters (Han,
//! Hiragana, Katakana, Hangul) turned into overlapping bigrams. Offsets are byte offsets into the
//! original text, always on character boundaries; filters never rewrite them.

use std::collections::VecDeque;
use std::ops::Range;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::ascii::{is_plain_ascii, is_simple, AsciiWords, MixedWords};
use super::normalize::{
    fold_into, is_apostrophe, is_format, is_variation_selector, normalize_word, plural_possessive,
};
use super::parts::{elided_word, identifier_parts};
use super::replay::Tape;
use unicode_normalization::char::is_combining_mark;

/// True for characters of the scripts indexed as bigrams.
pub fn is_cjk(c: char) -> bool {
    is_hangul(c)
        || matches!(c,
            '\u{3005}'..='\u{3007}'     // 々 〆 〇
            | '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
            | '\u{31F0}'..='\u{31FF}'   // Katakana phonetic extensions
            | '\u{3400}'..='\u{4DBF}'   // CJK extension A
            | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
            | '\u{F900}'..='\u{FAFF}'   // CJK compatibility ideographs
            | '\u{FF66}'..='\u{FF9F}'   // half-width Katakana
            | '\u{20000}'..='\u{3134F}') // CJK extensions B to G
}

/// True for the CJK characters of scripts written without spaces between words (Han, kana):
/// a line break between two of them, where a Chinese or Japanese text is wrapped in its source,
/// is no word boundary (CSS Text's rule for segment breaks between East Asian wide
/// characters). Hangul is not among them: Korean puts spaces between words, and a line break
/// between two Korean words parts them as a space does.
fn is_unspaced_cjk(c: char) -> bool {
    is_cjk(c) && !is_hangul(c)
}

/// Whether a line break after the text `before` and before `after` is no word boundary, nor a
/// space when the text is shown (see [`is_unspaced_cjk`]): the character before it (with what
/// extends it, a voicing mark or a variation selector) and the one after are Han or kana.
pub fn wraps_without_space(before: &str, after: char) -> bool {
    let last = before.chars().rev().find(|&c| !extends_unit(c));
    last.is_some_and(is_unspaced_cjk) && is_unspaced_cjk(after)
}

/// True for Hangul: jamo, syllables, compatibility and half-width forms.
fn is_hangul(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}'       // Hangul Jamo
        | '\u{3130}'..='\u{318F}'     // Hangul compatibility Jamo
        | '\u{A960}'..='\u{A97F}'     // Hangul Jamo extended A
        | '\u{AC00}'..='\u{D7FF}'     // Hangul syllables, Jamo extended B
        | '\u{FFA0}'..='\u{FFDC}') // half-width Hangul
}

/// Whether `gap` is one line break (`\n` or `\r\n`), with nothing else but spaces and tabs
/// around it (trailing spaces, an indent, markup blanked for indexing).
fn is_one_line_break(gap: &str) -> bool {
    matches!(gap.trim_matches([' ', '\t']), "\n" | "\r\n")
}

/// Voicing marks that belong to the character before them.
fn is_voicing_mark(c: char) -> bool {
    matches!(c, '\u{3099}' | '\u{309A}' | '\u{FF9E}' | '\u{FF9F}')
}

/// Characters that belong to the CJK character before them, one unit of a run's bigrams with
/// it: the kana voicing marks, a variation selector (an ideograph's variant form, `葛󠄀` in a
/// place name), and the vowel and final consonant of a Hangul syllable written as jamo
/// (decomposed Korean, as macOS file names and some text give it: `ᄒ` `ᅡ` `ᆫ` is `한`, which
/// folding composes).
fn extends_unit(c: char) -> bool {
    is_voicing_mark(c)
        || is_variation_selector(c)
        || matches!(c, '\u{1160}'..='\u{11FF}' | '\u{D7B0}'..='\u{D7FF}')
}

/// Whether the word segment ending at byte `end` of `text` goes on into the next: a letter
/// before a superscript or subscript digit (`H₂O`, `CO₂`, `km²`), or such a digit before a
/// letter or another (`H₂O`, `C₁₂H₂₂`). Word boundaries part at these digits; written after a
/// number (`10³`) they stay apart. The digits fold to plain ones (`h2o`), and the letters
/// around them are the word's parts (`argued³` is also `argued`: see `parts`).
#[inline]
fn joins_at(text: &str, end: usize) -> bool {
    let bytes = text.as_bytes();
    // Told from the bytes around `end` (no character decoded but beside a raised digit).
    if raised_digit_at(bytes, end) {
        // The letter a decomposed accent (`e\u{301}`) or an invisible character follows counts.
        return text[..end]
            .chars()
            .rev()
            .find(|&c| !is_combining_mark(c) && !is_format(c))
            .is_some_and(|last| last.is_alphabetic() || is_raised_or_lowered_digit(last));
    }
    raised_digit_before(bytes, end) && text[end..].chars().next().is_some_and(char::is_alphabetic)
}

/// Whether a superscript or subscript digit starts at byte `at` of UTF-8 `bytes`: `¹²³` are
/// `C2 B9`, `C2 B2`, `C2 B3`; `⁰⁴`–`⁹` are `E2 81 B0`, `E2 81 B4`–`B9`; `₀`–`₉` are
/// `E2 82 80`–`89`.
#[inline]
fn raised_digit_at(bytes: &[u8], at: usize) -> bool {
    matches!(
        bytes.get(at..),
        Some(
            [0xC2, 0xB2 | 0xB3 | 0xB9, ..]
                | [0xE2, 0x81, 0xB0 | 0xB4..=0xB9, ..]
                | [0xE2, 0x82, 0x80..=0x89, ..]
        )
    )
}

/// Whether a superscript or subscript digit ends at byte `end` of UTF-8 `bytes`.
#[inline]
fn raised_digit_before(bytes: &[u8], end: usize) -> bool {
    let two = end
        .checked_sub(2)
        .is_some_and(|at| raised_digit_at(bytes, at) && bytes[at] == 0xC2);
    let three = end
        .checked_sub(3)
        .is_some_and(|at| raised_digit_at(bytes, at) && bytes[at] == 0xE2);
    two || three
}

/// The bytes of the invisible format characters that `text` ends with.
fn invisible_before(text: &str) -> usize {
    text.len() - text.trim_end_matches(is_format).len()
}

/// True for the superscript and subscript digits (`¹²³`, `⁰`–`⁹`, `₀`–`₉`).
pub(super) fn is_raised_or_lowered_digit(c: char) -> bool {
    matches!(c, '\u{B2}' | '\u{B3}' | '\u{B9}' | '\u{2070}' | '\u{2074}'..='\u{2079}' | '\u{2080}'..='\u{2089}')
}

/// A stretch of text that becomes tokens one way or the other.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Run {
    /// An ordinary word.
    Word(Range<usize>),
    /// Adjacent CJK characters.
    Cjk(Range<usize>),
}

/// Splits the word segment at `offset` into runs of CJK and other characters.
fn split_segment(offset: usize, word: &str, out: &mut VecDeque<Run>) {
    if word.is_ascii() || !word.chars().any(is_cjk) {
        out.push_back(Run::Word(offset..offset + word.len()));
        return;
    }
    let mut start = 0;
    let mut current: Option<bool> = None;
    for (i, c) in word.char_indices() {
        let cjk = is_cjk(c) || (extends_unit(c) && current == Some(true));
        if current.is_some_and(|was| was != cjk) {
            out.push_back(run(current == Some(true), offset + start..offset + i));
            start = i;
        }
        current = Some(cjk);
    }
    out.push_back(run(
        current == Some(true),
        offset + start..offset + word.len(),
    ));
}

fn run(cjk: bool, range: Range<usize>) -> Run {
    if cjk {
        Run::Cjk(range)
    } else {
        Run::Word(range)
    }
}

/// The overlapping bigrams of a CJK run (the run itself when it is one character). A run may
/// go on over a line break (see [`is_unspaced_cjk`]): the bigram of the characters around it
/// spans it, and its text leaves it out.
fn bigrams(text: &str, run: Range<usize>, out: &mut VecDeque<Range<usize>>) {
    let units = units(text, run.clone());
    if units.len() <= 2 {
        out.push_back(run);
        return;
    }
    for pair in units.windows(2) {
        out.push_back(pair[0].start..pair[1].end);
    }
}

/// The units of the CJK run `run` of `text`, each a character with what extends it (see
/// [`extends_unit`]); whitespace (a line break the run goes on over) is in none.
fn units(text: &str, run: Range<usize>) -> Vec<Range<usize>> {
    let mut units: Vec<Range<usize>> = Vec::new();
    for (i, c) in text[run.clone()].char_indices() {
        let at = run.start + i;
        match units.last_mut() {
            _ if c.is_whitespace() => {}
            Some(last) if extends_unit(c) => last.end = at + c.len_utf8(),
            _ => units.push(at..at + c.len_utf8()),
        }
    }
    units
}

/// The characters of a CJK piece as the analyzer counts them (a Hangul syllable written as
/// jamo is one, as its folded term has it): byte ranges in `piece`.
pub fn cjk_units(piece: &str) -> Vec<Range<usize>> {
    units(piece, 0..piece.len())
}

/// Splits text into normalised words (see the module docs).
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
    tape: TapeMode,
    /// The text of the last stream, its terminal control sequences blanked (see
    /// [`blank_control_sequences`]), when it had one.
    blanked: String,
}

/// What a [`WordTokenizer`] does with the thread's tape (see [`super::replay`]).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum TapeMode {
    /// Nothing.
    #[default]
    Off,
    /// Records the words of every text.
    Record,
    /// Plays the words back when they were recorded from the same text.
    Play,
    /// Plays back only the words the exact-form filter keeps (see `Tape::of_inflected`).
    PlayInflected,
}

impl WordTokenizer {
    /// A tokenizer recording its words for [`WordTokenizer::playing`] (the stemmed analyzer's).
    pub fn recording() -> WordTokenizer {
        WordTokenizer {
            tape: TapeMode::Record,
            ..WordTokenizer::default()
        }
    }

    /// A tokenizer that plays back the words just recorded from the same text, if any (the
    /// exact analyzer's). Its tokens are the same either way.
    pub fn playing() -> WordTokenizer {
        WordTokenizer {
            tape: TapeMode::Play,
            ..WordTokenizer::default()
        }
    }

    /// Like [`WordTokenizer::playing`], but when playing back it skips the words the exact-form
    /// filter (`analysis::exact_forms`) would drop; only for an analyzer ending in that filter.
    pub fn playing_inflected() -> WordTokenizer {
        WordTokenizer {
            tape: TapeMode::PlayInflected,
            ..WordTokenizer::default()
        }
    }
}

/// A [`WordStream`]'s tape.
enum Tapes {
    Off,
    Recording(Box<Tape>),
    /// A tape being played, and the index of the next word.
    Playing(Box<Tape>, usize),
}

/// Word segments of a text: the ASCII fast path, or the general Unicode rules around its
/// non-ASCII characters.
pub enum Words<'a> {
    /// All-ASCII text.
    Ascii(AsciiWords<'a>),
    /// Any other text.
    Mixed(MixedWords<'a>),
}

impl<'a> Iterator for Words<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        match self {
            Words::Ascii(words) => words.next(),
            Words::Mixed(words) => words.next(),
        }
    }
}

impl Words<'_> {
    /// Whether the word last returned is plain (see [`is_plain_ascii`]), when the fast rules
    /// found it (they tell as they scan); `None` for a word of the general rules.
    fn last_plain(&self) -> Option<bool> {
        match self {
            Words::Ascii(words) => Some(words.last_plain()),
            Words::Mixed(words) => words.last_plain(),
        }
    }
}

/// A word segment: its offset, its text, and whether it is plain if known (see
/// [`Words::last_plain`]).
type Segment<'a> = (usize, &'a str, Option<bool>);

/// The word segments of `text` (UAX #29).
pub fn words(text: &str) -> Words<'_> {
    if is_simple(text) {
        Words::Ascii(AsciiWords::new(text))
    } else {
        Words::Mixed(MixedWords::new(text))
    }
}

/// The token stream of [`WordTokenizer`].
pub struct WordStream<'a> {
    text: &'a str,
    words: Words<'a>,
    /// The next segment, when [`WordStream::peek_segment`] has read it.
    peeked: Option<Segment<'a>>,
    runs: VecDeque<Run>,
    grams: VecDeque<Range<usize>>,
    /// More forms of the last word to emit at its position, with their offsets: its
    /// possessive's second form (the word's offsets), an identifier's parts (their own).
    pending: VecDeque<(String, Range<usize>)>,
    token: &'a mut Token,
    /// The token's text is the ASCII lower case of the text at its offsets (a plain word).
    lower_surface: bool,
    /// The text holds a [`PHRASE_BARRIER`]: the gaps between words are looked at for one.
    barriers: bool,
    tape: Tapes,
}

impl Drop for WordStream<'_> {
    fn drop(&mut self) {
        match std::mem::replace(&mut self.tape, Tapes::Off) {
            Tapes::Off => {}
            Tapes::Recording(tape) => tape.keep(false),
            Tapes::Playing(tape, _) => tape.keep(true),
        }
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        let tape = match self.tape {
            TapeMode::Off => Tapes::Off,
            TapeMode::Record => Tapes::Recording(Tape::blank(text)),
            TapeMode::Play => Tape::of(text).map_or(Tapes::Off, |tape| Tapes::Playing(tape, 0)),
            TapeMode::PlayInflected => {
                Tape::of_inflected(text).map_or(Tapes::Off, |tape| Tapes::Playing(tape, 0))
            }
        };
        // (The tape is the original text's: the stemmed and exact analyzers blank alike.)
        let text = match memchr::memchr(ESCAPE, text.as_bytes()) {
            Some(_) if blank_control_sequences(text, &mut self.blanked) => self.blanked.as_str(),
            _ => text,
        };
        WordStream {
            tape,
            text,
            words: words(text),
            peeked: None,
            runs: VecDeque::new(),
            grams: VecDeque::new(),
            pending: VecDeque::new(),
            token: &mut self.token,
            lower_surface: false,
            // One pass over the text (memchr): most texts have no barrier to look for.
            barriers: memchr::memchr(PHRASE_BARRIER as u8, text.as_bytes()).is_some(),
        }
    }
}

/// A character that parts the text it stands in so far that no phrase reaches across it: the
/// words after it stand [`BARRIER_GAP`] positions further on (ASCII's record separator, which
/// ingest writes between a document's title, indexed in front of its first paragraph, and the
/// paragraph).
pub const PHRASE_BARRIER: char = '\x1e';

/// How many positions a [`PHRASE_BARRIER`] adds: more than the largest phrase slop and any
/// phrase's length.
pub const BARRIER_GAP: usize = 1024;

/// The escape character that starts a terminal's control sequences.
const ESCAPE: u8 = 0x1b;

/// Writes `text` into `out` (cleared first) with its terminal control sequences blanked, byte
/// for byte (see [`control_sequence_end`]): the colours and styles of captured terminal output
/// (`\x1b[31mError`), whose parameters and final letter word boundaries would join to the word
/// after them (`31mError`), and the addresses of its hyperlinks. A run of sequences between
/// two letters or digits (`grep --color`'s `err\x1b[m\x1b[Kor`) becomes invisible format
/// characters, which a word goes on over, unless one of them moves the cursor (`\x1b[2A`,
/// `\x1b7`); any other, spaces. Offsets into `out` are offsets
/// into `text`. Returns whether there was one.
fn blank_control_sequences(text: &str, out: &mut String) -> bool {
    out.clear();
    let bytes = text.as_bytes();
    // Runs of sequences, one after another, and whether each holds only sequences that
    // move nothing (colours, styles, erasing the line's end, character sets, hyperlinks).
    let mut runs: Vec<(Range<usize>, bool)> = Vec::new();
    for escape in memchr::memchr_iter(ESCAPE, bytes) {
        if runs.last().is_some_and(|(run, _)| escape < run.end) {
            continue;
        }
        let Some(end) = control_sequence_end(bytes, escape) else {
            continue;
        };
        let csi_moving = bytes[escape + 1] == b'[' && !matches!(bytes[end - 1], b'm' | b'K');
        let two_bytes = end == escape + 2;
        let moves = csi_moving || two_bytes;
        match runs.last_mut() {
            Some((run, still)) if run.end == escape => {
                run.end = end;
                *still &= !moves;
            }
            _ => runs.push((escape..end, !moves)),
        }
    }
    if runs.is_empty() {
        return false;
    }
    let mut copied = 0;
    for (run, still) in runs {
        // Sequences start at an escape and end after an ASCII byte: character boundaries.
        out.push_str(&text[copied..run.start]);
        let before = text[..run.start].chars().next_back();
        let after = text[run.end..].chars().next();
        let inside_a_word = still
            && before.is_some_and(char::is_alphanumeric)
            && after.is_some_and(char::is_alphanumeric);
        let len = run.len();
        if inside_a_word {
            // A word joiner (3 bytes) for an odd length, soft hyphens (2 bytes each) for the
            // rest: a sequence is 3 bytes or more.
            if len % 2 == 1 {
                out.push('\u{2060}');
            }
            out.extend(std::iter::repeat_n('\u{AD}', (len - 3 * (len % 2)) / 2));
        } else {
            out.extend(std::iter::repeat_n(' ', len));
        }
        copied = run.end;
    }
    out.push_str(&text[copied..]);
    true
}

/// The end of the terminal control sequence that starts at the escape at byte `at` of `bytes`,
/// if one does: ECMA-48's CSI (`ESC [`, parameter bytes, intermediate bytes but a space, a
/// final byte: colours, styles, the cursor), OSC or DCS (`ESC ]` or `ESC P` up to BEL or
/// `ESC \\`, within 4 KB: a hyperlink's address, a window title, sixel data), an escape with
/// intermediate bytes and a final byte (`ESC ( B`, a character set, which `tput sgr0` writes),
/// or an escape and one byte (`ESC 7`, `ESC M`: the cursor).
fn control_sequence_end(bytes: &[u8], at: usize) -> Option<usize> {
    let skip = |mut end: usize, range: std::ops::RangeInclusive<u8>| {
        while bytes.get(end).is_some_and(|b| range.contains(b)) {
            end += 1;
        }
        end
    };
    match bytes.get(at + 1)? {
        b'[' => {
            let end = skip(skip(at + 2, 0x30..=0x3f), 0x21..=0x2f);
            (0x40..=0x7e).contains(bytes.get(end)?).then_some(end + 1)
        }
        b']' | b'P' => {
            let body = &bytes[at + 2..bytes.len().min(at + 2 + 4096)];
            let close = body.iter().position(|&b| b == 0x07 || b == ESCAPE)?;
            match body[close] {
                0x07 => Some(at + 2 + close + 1),
                _ => (body.get(close + 1) == Some(&b'\\')).then_some(at + 2 + close + 2),
            }
        }
        0x20..=0x2f => {
            let end = skip(at + 1, 0x20..=0x2f);
            (0x30..=0x7e).contains(bytes.get(end)?).then_some(end + 1)
        }
        // A two-byte escape: saving or restoring the cursor (`ESC 7`, `ESC 8`), a reverse
        // line feed (`ESC M`), a reset (`ESC c`).
        0x30..=0x7e => Some(at + 2),
        _ => None,
    }
}

impl<'a> WordStream<'a> {
    fn emit(&mut self, range: Range<usize>) {
        let apart = self.barriers && self.barrier_before(range.start);
        self.token.offset_from = range.start;
        self.token.offset_to = range.end;
        let step = if apart { 1 + BARRIER_GAP } else { 1 };
        self.token.position = self.token.position.wrapping_add(step);
    }

    /// Whether a [`PHRASE_BARRIER`] stands between the last word and byte `start`.
    fn barrier_before(&self, start: usize) -> bool {
        let gap = self.text.as_bytes().get(self.token.offset_to..start);
        gap.is_some_and(|gap| gap.contains(&(PHRASE_BARRIER as u8)))
    }

    /// The next word segment.
    fn next_segment(&mut self) -> Option<Segment<'a>> {
        if let Some(segment) = self.peeked.take() {
            return Some(segment);
        }
        let (offset, word) = self.words.next()?;
        Some((offset, word, self.words.last_plain()))
    }

    /// The word segment at `offset`, `word`, with the raised or lowered digits written
    /// inside it and the segments they join joined on (see [`joins_at`]).
    #[inline]
    fn with_raised_digits(&mut self, segment: Segment<'a>) -> Segment<'a> {
        let (offset, word, _) = segment;
        // All-ASCII text has no raised digits.
        if matches!(self.words, Words::Ascii(_)) || !joins_at(self.text, offset + word.len()) {
            return segment;
        }
        self.joined(segment)
    }

    /// `segment` and the segments after it that [`joins_at`] joins to it, as one.
    #[cold]
    #[inline(never)]
    fn joined(&mut self, (offset, word, _): Segment<'a>) -> Segment<'a> {
        let mut end = offset + word.len();
        // A word that starts with raised digits starts at the invisible characters right
        // before them (markup filled in, as Markdown's `<sup>7</sup>Bravo`), which its term
        // leaves out: a highlight covers the markup, not half of it.
        let offset = match raised_digit_at(self.text.as_bytes(), offset) {
            true => offset - invisible_before(&self.text[..offset]),
            false => offset,
        };
        while joins_at(self.text, end) {
            match self.next_segment() {
                Some((next, word, _)) if next == end => end = next + word.len(),
                other => {
                    self.peeked = other;
                    break;
                }
            }
        }
        (offset, &self.text[offset..end], None)
    }

    /// The next word segment, left to be read.
    fn peek_segment(&mut self) -> Option<Segment<'a>> {
        if self.peeked.is_none() {
            self.peeked = self.next_segment();
        }
        self.peeked
    }

    /// Emits the word at `range`, `plain` if already known (see [`is_plain_ascii`]).
    fn emit_word(&mut self, range: Range<usize>, plain: Option<bool>) -> bool {
        let surface = &self.text[range.clone()];
        let plain = plain.unwrap_or_else(|| is_plain_ascii(surface));
        if plain {
            // What `normalize_word` gives such a word, without its checks.
            self.token.text.clear();
            self.token.text.push_str(surface);
            self.token.text.make_ascii_lowercase();
        } else {
            normalize_word(surface, &mut self.token.text);
            if self.token.text.is_empty() {
                return false;
            }
        }
        if self.apostrophe_at(range.end) {
            if let Some(second) = plural_possessive(&self.token.text) {
                self.pending.push_back((second.to_string(), range.clone()));
            }
        }
        if !plain {
            self.queue_parts(range.clone());
        }
        self.emit(range);
        self.lower_surface = plain;
        true
    }

    /// True when the character at byte `at` of the text is an apostrophe.
    fn apostrophe_at(&self, at: usize) -> bool {
        match self.text.as_bytes().get(at) {
            Some(b'\'') => true,
            Some(byte) if !byte.is_ascii() => {
                self.text[at..].chars().next().is_some_and(is_apostrophe)
            }
            _ => false,
        }
    }

    /// Queues the parts of the word at `range`, normalised, each at its own offsets: the word
    /// after an elided article (see [`elided_word`]), an identifier's parts (see
    /// [`identifier_parts`]).
    fn queue_parts(&mut self, range: Range<usize>) {
        let surface = &self.text[range.clone()];
        let mut parts = identifier_parts(surface);
        if let Some(word) = elided_word(surface) {
            // In order of their starts, as tokens come (`L'aA`: `aA` before `A`).
            let at = parts.partition_point(|part| part.start <= word.start);
            parts.insert(at, word);
        }
        for part in parts {
            let mut text = String::new();
            normalize_word(&surface[part.clone()], &mut text);
            if !text.is_empty() && text != self.token.text {
                let start = range.start + part.start;
                self.pending
                    .push_back((text, start..range.start + part.end));
            }
        }
    }

    fn emit_gram(&mut self, range: Range<usize>) {
        fold_into(&self.text[range.clone()], &mut self.token.text);
        if self.token.text.contains('\n') {
            // The two characters around a line break the run goes on over.
            self.token.text.retain(|c| !c.is_whitespace());
        }
        self.emit(range);
        self.lower_surface = false;
    }

    /// Extends a CJK run over the following word segments that continue it without a gap, or
    /// across one line break between two Han or kana characters (see [`is_unspaced_cjk`]).
    fn extend_cjk_run(&mut self, mut range: Range<usize>) -> Range<usize> {
        while self.runs.is_empty() {
            let continues = self.peek_segment().is_some_and(|(offset, word, _)| {
                let Some(first) = word.chars().next() else {
                    return false;
                };
                if offset == range.end {
                    return is_cjk(first);
                }
                wraps_without_space(&self.text[..range.end], first)
                    && is_one_line_break(&self.text[range.end..offset])
            });
            if !continues {
                break;
            }
            let Some((offset, word, _)) = self.next_segment() else {
                break;
            };
            split_segment(offset, word, &mut self.runs);
            if let Some(Run::Cjk(next)) = self.runs.front() {
                range.end = next.end;
                self.runs.pop_front();
            }
        }
        range
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        match &mut self.tape {
            Tapes::Off => self.next_word(),
            Tapes::Playing(tape, next) => {
                let index = tape.next_wanted(*next);
                *next = index + 1;
                tape.play(index, self.token)
            }
            Tapes::Recording(_) => {
                let more = self.next_word();
                if let Tapes::Recording(tape) = &mut self.tape {
                    if more {
                        tape.record(self.token, self.lower_surface);
                    } else {
                        tape.finish();
                    }
                }
                more
            }
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

impl WordStream<'_> {
    /// Moves to the next word of the text itself.
    fn next_word(&mut self) -> bool {
        if let Some((form, range)) = self.pending.pop_front() {
            // The position of the word it is a form of.
            self.token.text = form;
            self.token.offset_from = range.start;
            self.token.offset_to = range.end;
            self.lower_surface = false;
            return true;
        }
        loop {
            if let Some(gram) = self.grams.pop_front() {
                self.emit_gram(gram);
                return true;
            }
            let Some(run) = self.runs.pop_front() else {
                let Some(segment) = self.next_segment() else {
                    return false;
                };
                let (offset, word, plain) = self.with_raised_digits(segment);
                // Most words are ASCII: no CJK runs to look for (a plain word is ASCII).
                if plain == Some(true) || word.is_ascii() {
                    if self.emit_word(offset..offset + word.len(), plain) {
                        return true;
                    }
                    continue;
                }
                split_segment(offset, word, &mut self.runs);
                continue;
            };
            match run {
                Run::Word(range) => {
                    if self.emit_word(range, None) {
                        return true;
                    }
                }
                Run::Cjk(range) => {
                    let range = self.extend_cjk_run(range);
                    bigrams(self.text, range, &mut self.grams);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn terminal_control_sequences_are_blanked_byte_for_byte() {
        let mut out = String::new();
        let text = "a\x1b[31m b é\x1b[0m\x1b[?25h!";
        assert!(blank_control_sequences(text, &mut out));
        assert_eq!(out, format!("a{} b é{}!", " ".repeat(5), " ".repeat(10)));
        // Inside a word: invisible characters, as many bytes.
        for (text, blanked) in [
            ("err\x1b[m\x1b[Kor", "err\u{AD}\u{AD}\u{AD}or"),
            ("a\x1b[31mb", "a\u{2060}\u{AD}b"),
            ("a\x1b(Bb", "a\u{2060}b"),
        ] {
            assert!(blank_control_sequences(text, &mut out));
            assert_eq!((out.as_str(), out.len()), (blanked, text.len()), "{text:?}");
        }
        // A hyperlink's address, up to BEL or ESC \.
        let link = "\x1b]8;;http://é.org\x07";
        assert!(blank_control_sequences(&format!("{link}x"), &mut out));
        assert_eq!(out, format!("{}x", " ".repeat(link.len())));
        // Not a control sequence (no final byte, a space among the intermediates, an OSC not
        // closed): the text as it is, nothing said.
        for plain in ["a\x1b]8;;x", "a\x1b[31", "a\x1b[3\u{e9}", "\x1b[ Warning"] {
            assert!(!blank_control_sequences(plain, &mut out), "{plain:?}");
        }
    }

    #[test]
    fn a_phrase_barrier_sets_the_words_after_it_far_on() {
        let mut tokenizer = WordTokenizer::default();
        let text = format!("alpha beta\n{PHRASE_BARRIER}\ngamma delta");
        let mut stream = tokenizer.token_stream(&text);
        let mut positions = Vec::new();
        while stream.advance() {
            positions.push((stream.token().text.clone(), stream.token().position));
        }
        let expected = [
            ("alpha", 0),
            ("beta", 1),
            ("gamma", 2 + BARRIER_GAP),
            ("delta", 3 + BARRIER_GAP),
        ];
        let expected: Vec<(String, usize)> =
            expected.iter().map(|&(w, p)| (w.to_string(), p)).collect();
        assert_eq!(positions, expected);
        assert!(BARRIER_GAP > crate::query::syntax::MAX_SLOP as usize);
    }

    #[test]
    fn raised_digits_are_told_from_their_bytes_as_from_their_characters() {
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            let mut buffer = [0; 4];
            let bytes = c.encode_utf8(&mut buffer).as_bytes();
            let raised = is_raised_or_lowered_digit(c);
            assert_eq!(raised_digit_at(bytes, 0), raised, "{c:?}");
            assert_eq!(raised_digit_before(bytes, bytes.len()), raised, "{c:?}");
        }
    }

    #[test]
    fn plain_words_are_ascii_without_dots_apostrophes_underscores_or_humps() {
        for word in ["alliance", "Korea", "USA", "72", "a:b", "1,000", "HTTP2"] {
            assert!(is_plain_ascii(word), "{word}");
        }
        for word in [
            "U.S",
            "don't",
            "read_file",
            "readFile",
            "HTTPServer",
            "café",
            "Pyongyang’s",
        ] {
            assert!(!is_plain_ascii(word), "{word}");
        }
    }

    proptest! {
        /// The fast path for plain words gives what the general one gives: the word's
        /// normal form, and no identifier parts.
        #[test]
        fn plain_words_normalise_to_their_lower_case(word in "[a-zA-Z0-9][a-zA-Z0-9:,;._']{0,12}") {
            if is_plain_ascii(&word) {
                let mut general = String::new();
                normalize_word(&word, &mut general);
                prop_assert_eq!(general, word.to_ascii_lowercase());
                prop_assert!(identifier_parts(&word).is_empty());
            }
        }
    }
}
