//! Text set right to left (Hebrew, Arabic, and the other scripts Unicode gives a right-to-left
//! direction) put back in the order it is read. A PDF places each glyph where it is drawn, so a
//! line read left to right across the page holds a right-to-left word backwards (`םולש` for
//! `שלום`): such a word is found by no search. This undoes what the Unicode bidirectional
//! algorithm did when the line was set: a line whose letters are mostly right-to-left is
//! reversed, and then its runs of left-to-right words and of numbers (which were set left to
//! right within it) are turned back; in a line of mostly left-to-right letters, each run of
//! right-to-left words is reversed (with any numbers inside it turned back). Reversal is by
//! grapheme cluster, so a letter keeps its marks. Explicit embeddings and mirrored brackets
//! cannot be seen in a line's glyphs and are not undone: a word's letters always come out in
//! order, the order of words across a change of direction may not.

use std::borrow::Cow;

use unicode_bidi::{bidi_class, BidiClass};
use unicode_segmentation::UnicodeSegmentation;

/// How a character (the first of a grapheme cluster) takes part in the order of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Left-to-right letters (Latin, Greek, CJK, …).
    Ltr,
    /// Right-to-left letters (Hebrew, Arabic, …).
    Rtl,
    /// Digits, and the signs that go with them (`%`, `$`, `°`): set left to right in either
    /// direction.
    Number,
    /// Spaces, punctuation and the rest: they take the direction around them.
    Neutral,
}

fn kind(c: char) -> Kind {
    match bidi_class(c) {
        BidiClass::L => Kind::Ltr,
        BidiClass::R | BidiClass::AL => Kind::Rtl,
        BidiClass::EN | BidiClass::AN | BidiClass::ET => Kind::Number,
        _ => Kind::Neutral,
    }
}

/// Whether a character is a right-to-left letter.
fn is_rtl(c: char) -> bool {
    kind(c) == Kind::Rtl
}

/// Whether more of these characters are right-to-left letters than left-to-right ones: text
/// set right to left.
pub fn mostly_right_to_left(text: impl Iterator<Item = char>) -> bool {
    let (mut rtl, mut ltr) = (0usize, 0usize);
    for c in text {
        if c.is_ascii() {
            ltr += usize::from(c.is_ascii_alphabetic());
        } else {
            match kind(c) {
                Kind::Rtl => rtl += 1,
                Kind::Ltr => ltr += 1,
                _ => {}
            }
        }
    }
    rtl > ltr
}

/// A line's text, read left to right across the page, in reading order: unchanged (borrowed)
/// when it has no right-to-left letter.
pub fn logical(visual: &str) -> Cow<'_, str> {
    if visual.is_ascii() || !visual.chars().any(is_rtl) {
        return Cow::Borrowed(visual);
    }
    let mut clusters: Vec<(&str, Kind)> = visual
        .graphemes(true)
        .map(|g| (g, g.chars().next().map_or(Kind::Neutral, kind)))
        .collect();
    if mostly_right_to_left(visual.chars()) {
        clusters.reverse();
        reverse_runs(
            &mut clusters,
            |k| matches!(k, Kind::Ltr | Kind::Number),
            Kind::Rtl,
        );
    } else {
        reverse_runs(&mut clusters, |k| k == Kind::Rtl, Kind::Ltr);
        // A number inside a right-to-left run was set left to right: turned back.
        let mut at = 0;
        while at < clusters.len() {
            let inside_rtl = |i: usize| {
                let before = clusters[..i]
                    .iter()
                    .rev()
                    .find(|(_, k)| *k != Kind::Neutral);
                let after = clusters[i..]
                    .iter()
                    .find(|(_, k)| !matches!(k, Kind::Number | Kind::Neutral));
                before.is_some_and(|(_, k)| *k == Kind::Rtl)
                    && after.is_some_and(|(_, k)| *k == Kind::Rtl)
            };
            if clusters[at].1 == Kind::Number && inside_rtl(at) {
                let end = clusters[at..]
                    .iter()
                    .position(|(_, k)| *k != Kind::Number)
                    .map_or(clusters.len(), |n| at + n);
                clusters[at..end].reverse();
                at = end;
            } else {
                at += 1;
            }
        }
    }
    Cow::Owned(clusters.into_iter().map(|(g, _)| g).collect())
}

/// Reverses each run of `clusters` that starts and ends with a cluster `in_run` accepts and
/// holds no cluster of the kind `breaks` (neutrals between two of the run's clusters are
/// within it; neutrals at its edges are not).
fn reverse_runs(clusters: &mut [(&str, Kind)], in_run: impl Fn(Kind) -> bool, breaks: Kind) {
    let mut at = 0;
    while at < clusters.len() {
        if !in_run(clusters[at].1) {
            at += 1;
            continue;
        }
        let mut last = at;
        let mut next = at + 1;
        while next < clusters.len() && clusters[next].1 != breaks {
            if in_run(clusters[next].1) {
                last = next;
            }
            next += 1;
        }
        clusters[at..=last].reverse();
        at = last + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a line set by the bidirectional algorithm shows, left to right, for a logical
    /// text made of runs: each `(text, rtl)` run is drawn as is (left to right) or reversed,
    /// and in a right-to-left line the runs themselves stand right to left.
    fn drawn(runs: &[(&str, bool)], rtl_line: bool) -> String {
        let mut parts: Vec<String> = runs
            .iter()
            .map(|&(text, rtl)| match rtl {
                true => text.graphemes(true).rev().collect(),
                false => text.to_string(),
            })
            .collect();
        if rtl_line {
            parts.reverse();
        }
        parts.concat()
    }

    #[test]
    fn a_right_to_left_line_is_read_right_to_left() {
        let visual = drawn(&[("שלום עולם", true)], true);
        assert_eq!(visual, "םלוע םולש");
        assert_eq!(logical(&visual), "שלום עולם");
    }

    #[test]
    fn words_and_numbers_set_left_to_right_in_a_right_to_left_line_stay_so() {
        // "Published in 2024 with the word English in the middle." in Hebrew.
        let runs = [
            ("פורסם בשנת ", true),
            ("2024", false),
            (" עם המילה ", true),
            ("English words", false),
            (" באמצע.", true),
        ];
        let logical_text: String = runs.iter().map(|(t, _)| *t).collect();
        assert_eq!(logical(&drawn(&runs, true)), logical_text);
    }

    #[test]
    fn arabic_with_its_marks_and_digits_keeps_each_letter_with_its_marks() {
        // "Hello, world" with a vowel mark (fatha) on the first letter, then Arabic-Indic digits.
        let runs = [("مَرحبا بالعالم ", true), ("١٢٣", false)];
        let logical_text: String = runs.iter().map(|(t, _)| *t).collect();
        assert_eq!(logical(&drawn(&runs, true)), logical_text);
    }

    #[test]
    fn right_to_left_words_in_a_left_to_right_line_are_turned_round_in_place() {
        let runs = [
            ("An English line with ", false),
            ("שלום עולם", true),
            (" inside it and ", false),
            ("مرحبا", true),
            (" too.", false),
        ];
        let logical_text: String = runs.iter().map(|(t, _)| *t).collect();
        assert_eq!(logical(&drawn(&runs, false)), logical_text);
    }

    #[test]
    fn a_number_inside_right_to_left_words_of_a_left_to_right_line_reads_forwards() {
        // Logical "Note: שנת 2024 היא here"; the Hebrew run and the number in it are set
        // right to left as one, the number itself left to right.
        let visual = format!("Note: {} here", "איה 2024 תנש");
        assert_eq!(logical(&visual), "Note: שנת 2024 היא here");
    }

    #[test]
    fn text_without_right_to_left_letters_is_left_alone() {
        for text in ["plain ASCII", "Grüße, 東京, Ελλάδα 2024", ""] {
            assert!(matches!(logical(text), Cow::Borrowed(t) if t == text));
        }
    }
}
