//! Tokenizing a paragraph once for both analysed fields. At ingest tantivy runs the stemmed
//! analyzer on a paragraph and then the exact one on the same text (fields in schema order, on
//! the same thread). The stemmed analyzer's word tokenizer records the words it emits (before
//! stemming) on a tape kept per thread; the exact analyzer's word tokenizer plays the tape back
//! when it was recorded, to the end, from the very same text, and tokenizes the text itself
//! otherwise. The stemmer also marks how each word relates to its stem ([`Class`]) and hands
//! the marks over at the end of the text; playing the tape makes them available to the
//! exact-form field's filter (`analysis::exact_forms`), which checks them against the words'
//! positions and marks the words itself when there are none. Played to that filter, the tape
//! skips the words it would drop (own stems, over-long words), three words in four. The tape
//! is private to `analysis`.

use std::cell::RefCell;

use tantivy::tokenizer::Token;

use super::exact_forms::Class;
use super::MAX_TOKEN_BYTES;

/// One recorded word: where its text is in [`Tape::words`], its offsets and its position, in
/// 32 bits each (24 bytes a word instead of 56: the tape is written at every word); a text
/// whose offsets do not fit is not recorded (see [`Tape::record`]).
#[derive(Clone, Copy)]
struct Recorded {
    start: u32,
    end: u32,
    /// The word's text is the ASCII lower case of its surface (`Tape::text` at its offsets),
    /// not copied to [`Tape::words`]: most words, whose copy at every word cost more than
    /// making it again for the few the exact-form filter keeps.
    lower_surface: bool,
    offset_from: u32,
    offset_to: u32,
    position: u32,
    /// Played back to the exact-form filter, the word would be dropped: it is its own stem,
    /// or too long to be indexed.
    unwanted: bool,
}

impl Recorded {
    /// The length in bytes of the word's text.
    fn len(&self) -> usize {
        let (from, to) = match self.lower_surface {
            true => (self.offset_from, self.offset_to),
            false => (self.start, self.end),
        };
        to.saturating_sub(from) as usize
    }

    /// The word's offsets in the text.
    fn offsets(&self) -> std::ops::Range<usize> {
        self.offset_from as usize..self.offset_to as usize
    }
}

/// The words a tokenizer emitted for one text.
#[derive(Default)]
pub struct Tape {
    /// A copy of the text the words came from.
    text: String,
    /// The words' texts, one after another.
    words: String,
    tokens: Vec<Recorded>,
    /// The tokenizer was read to its end: the tape holds every word of `text`.
    complete: bool,
    /// A word's offsets or position did not fit in 32 bits (a text over 4 GiB): the tape is
    /// never complete.
    overflowed: bool,
}

/// The classes of one text's words, in the stemmed analyzer's order, each with its word's
/// position (for the reader to check that classes and words line up), and the stems of the
/// irregular ones in order.
#[derive(Debug, Default, Clone)]
pub struct Marks {
    /// Position and class of each word.
    pub classes: Vec<(usize, Class)>,
    /// The stem of each [`Class::Irregular`] word.
    pub irregular: Vec<String>,
}

impl Marks {
    /// Empties the marks, keeping their buffers.
    pub fn clear(&mut self) {
        self.classes.clear();
        self.irregular.clear();
    }
}

thread_local! {
    /// The thread's last tape (kept, emptied, to reuse its buffers).
    static LAST: RefCell<Option<Box<Tape>>> = const { RefCell::new(None) };
    /// Marks of the words of the text being recorded, handed over by the stemmer at its end.
    static PENDING: RefCell<Marks> = RefCell::new(Marks::default());
    /// Marks of the tape being played, for the exact-form filter to take.
    static PLAYING: RefCell<Option<Marks>> = const { RefCell::new(None) };
}

/// Hands over the marks of the text just stemmed (called by the stemmed analyzer's stemmer at
/// the end of a text, while its tokenizer records); leaves `marks` empty.
pub fn hand_over(marks: &mut Marks) {
    let _ = PENDING.try_with(|pending| {
        let mut pending = pending.borrow_mut();
        pending.clear();
        std::mem::swap(&mut *pending, marks);
    });
}

/// The marks of the tape the word tokenizer has just started playing (taken: the caller owns
/// them); `None` when it plays none.
pub fn take_playing_marks() -> Option<Marks> {
    PLAYING
        .try_with(|playing| playing.borrow_mut().take())
        .ok()
        .flatten()
}

/// Gives back marks taken by [`take_playing_marks`], to reuse their buffers.
pub fn give_back(mut marks: Marks) {
    marks.clear();
    let _ = PENDING.try_with(|pending| {
        let mut pending = pending.borrow_mut();
        if pending.classes.capacity() < marks.classes.capacity() {
            *pending = marks;
        }
    });
}

impl Tape {
    /// A blank tape for recording the words of `text`.
    pub fn blank(text: &str) -> Box<Tape> {
        let mut tape = LAST
            .with(|last| last.borrow_mut().take())
            .unwrap_or_default();
        tape.text.clear();
        tape.text.push_str(text);
        tape.words.clear();
        tape.tokens.clear();
        tape.complete = false;
        tape.overflowed = false;
        let _ = PENDING.try_with(|pending| pending.borrow_mut().clear());
        tape
    }

    /// The thread's tape if it holds every word of `text`.
    pub fn of(text: &str) -> Option<Box<Tape>> {
        Tape::take(text, false)
    }

    /// Like [`Tape::of`], for the exact-form filter (`analysis::exact_forms`): the words it would
    /// drop are flagged, to be skipped by [`Tape::next_wanted`], and their marks left out, so
    /// the filter sees only the words it keeps, with their marks. When the marks do not line
    /// up with the recorded words, nothing is flagged and the marks are handed over whole.
    pub fn of_inflected(text: &str) -> Option<Box<Tape>> {
        Tape::take(text, true)
    }

    fn take(text: &str, inflected: bool) -> Option<Box<Tape>> {
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            let matches = last
                .as_ref()
                .is_some_and(|tape| tape.complete && tape.text == text);
            let mut tape = if matches { last.take() } else { None };
            let mut marks = tape.as_ref().and_then(|_| {
                PENDING
                    .try_with(|pending| std::mem::take(&mut *pending.borrow_mut()))
                    .ok()
            });
            if let (Some(tape), Some(marks), true) = (tape.as_mut(), marks.as_mut(), inflected) {
                tape.flag_unwanted(marks);
            }
            let _ = PLAYING.try_with(|playing| *playing.borrow_mut() = marks);
            tape
        })
    }

    /// Flags the words the exact-form filter would drop and removes their marks (see
    /// [`Tape::of_inflected`]). The stemmer marked every word the tokenizer emitted but those
    /// over [`MAX_TOKEN_BYTES`], which the analyzers drop before stemming.
    fn flag_unwanted(&mut self, marks: &mut Marks) {
        let mut next = 0;
        let mut lined_up = true;
        for recorded in self.tokens.iter_mut() {
            let long = recorded.len() > MAX_TOKEN_BYTES;
            recorded.unwanted = long;
            if long {
                continue;
            }
            match marks.classes.get(next) {
                Some(&(position, class)) if position == recorded.position as usize => {
                    recorded.unwanted = class == Class::Own;
                    next += 1;
                }
                _ => {
                    lined_up = false;
                    break;
                }
            }
        }
        if !lined_up || next != marks.classes.len() {
            self.tokens.iter_mut().for_each(|r| r.unwanted = false);
            return;
        }
        marks.classes.retain(|&(_, class)| class != Class::Own);
    }

    /// The index of the first word from `index` on that is not flagged unwanted.
    pub fn next_wanted(&self, index: usize) -> usize {
        let rest = self.tokens.get(index..).unwrap_or_default();
        index + rest.iter().take_while(|r| r.unwanted).count()
    }

    /// Records `token`, just emitted; `lower_surface` when its text is the ASCII lower case of
    /// the text at its offsets.
    pub fn record(&mut self, token: &Token, lower_surface: bool) {
        let start = self.words.len();
        if !lower_surface {
            self.words.push_str(&token.text);
        }
        let narrow = |n: usize| u32::try_from(n).ok();
        let fields = (
            narrow(start),
            narrow(self.words.len()),
            narrow(token.offset_from),
            narrow(token.offset_to),
            narrow(token.position),
        );
        let (Some(start), Some(end), Some(offset_from), Some(offset_to), Some(position)) = fields
        else {
            self.overflowed = true;
            return;
        };
        self.tokens.push(Recorded {
            start,
            end,
            lower_surface,
            offset_from,
            offset_to,
            position,
            unwanted: false,
        });
    }

    /// Marks the tape as holding every word (unless one could not be recorded).
    pub fn finish(&mut self) {
        self.complete = !self.overflowed;
    }

    /// Writes the `index`th recorded word into `token`; false past the last.
    pub fn play(&self, index: usize, token: &mut Token) -> bool {
        let Some(recorded) = self.tokens.get(index) else {
            return false;
        };
        token.text.clear();
        if recorded.lower_surface {
            let surface = self.text.get(recorded.offsets());
            token.text.push_str(surface.unwrap_or_default());
            token.text.make_ascii_lowercase();
        } else {
            let text = self
                .words
                .get(recorded.start as usize..recorded.end as usize);
            token.text.push_str(text.unwrap_or_default());
        }
        token.offset_from = recorded.offset_from as usize;
        token.offset_to = recorded.offset_to as usize;
        token.position = recorded.position as usize;
        true
    }

    /// Leaves the tape for the thread's next paragraph; a tape played back is spent.
    pub fn keep(mut self: Box<Tape>, spent: bool) {
        if spent {
            self.complete = false;
        }
        // During the thread's teardown the tape is simply dropped.
        let _ = LAST.try_with(|last| *last.borrow_mut() = Some(self));
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use tantivy::tokenizer::{TextAnalyzer, TokenStream};

    use crate::analysis::{analyzer, exact_analyzer, tokens, WordTokenizer};

    /// (text, offsets, position) of every token.
    type Seen = Vec<(String, usize, usize, usize)>;

    fn seen(analyzer: &mut TextAnalyzer, text: &str) -> Seen {
        tokens(analyzer, text)
            .into_iter()
            .map(|t| (t.text, t.offset_from, t.offset_to, t.position))
            .collect()
    }

    /// The exact analyzer's tokens, from a tokenizer that never plays a tape.
    fn untaped(text: &str) -> Seen {
        let mut plain = TextAnalyzer::builder(WordTokenizer::default())
            .filter(tantivy::tokenizer::RemoveLongFilter::limit(
                crate::analysis::MAX_TOKEN_BYTES + 1,
            ))
            .build();
        seen(&mut plain, text)
    }

    #[test]
    fn a_tape_is_played_for_the_same_text_only_and_once() {
        let text = "Beijings' plans: the U.S. allies' 中国的 deterred, again.";
        let mut stemmed = analyzer();
        let mut exact = exact_analyzer();
        seen(&mut stemmed, text);
        assert!(super::Tape::of(text).map(|tape| tape.keep(false)).is_some());
        assert!(super::Tape::of("another text").is_none());
        assert_eq!(seen(&mut exact, text), untaped(text));
        // Spent: the same text again is tokenized afresh (and gives the same tokens).
        assert!(super::Tape::of(text).is_none());
        assert_eq!(seen(&mut exact, text), untaped(text));
    }

    #[test]
    fn a_tape_with_offsets_past_32_bits_is_not_played() {
        let text = "far";
        let mut tape = super::Tape::blank(text);
        let mut token = tantivy::tokenizer::Token {
            text: "far".into(),
            offset_from: 0,
            offset_to: 3,
            position: 0,
            ..Default::default()
        };
        tape.record(&token, true);
        token.offset_from = u32::MAX as usize + 1;
        token.offset_to = u32::MAX as usize + 4;
        tape.record(&token, true);
        tape.finish();
        tape.keep(false);
        assert!(super::Tape::of(text).is_none());
        // A tape of the same text within 32 bits is played.
        let mut tape = super::Tape::blank(text);
        token.offset_from = 0;
        token.offset_to = 3;
        tape.record(&token, true);
        tape.finish();
        tape.keep(false);
        assert!(super::Tape::of(text).is_some());
    }

    #[test]
    fn a_tape_left_unfinished_is_not_played() {
        let text = "one two three";
        let mut stemmed = analyzer();
        {
            let mut stream = stemmed.token_stream(text);
            assert!(stream.advance());
        }
        assert!(super::Tape::of(text).is_none());
        assert_eq!(seen(&mut exact_analyzer(), text), untaped(text));
    }

    proptest! {
        #[test]
        fn played_tokens_are_the_tokenized_ones(text in "[a-zA-Z0-9 .,;:'’_\\-\nüß中国的한국]{0,80}") {
            let mut stemmed = analyzer();
            let mut exact = exact_analyzer();
            seen(&mut stemmed, &text);
            prop_assert_eq!(seen(&mut exact, &text), untaped(&text));
        }
    }
}
