//! Text set right to left (Hebrew, Arabic, and the other scripts Unicode gives a right-to-left
//! direction) put back in the order it is read. A PDF places each glyph where it is drawn, so a
//! line read left to right across the page holds a right-to-left word backwards (`םולש` for
//! `שלום`): such a word is found by no search. This undoes what the Unicode bidirectional
//! algorithm did when the line was set. A line set right to left (its first and last letters
//! as drawn are right-to-left ones; when they differ, the text around it is mostly right to
//! left) is reversed,
//! and then what was set left to right within it is turned back: a run of left-to-right words
//! with the numbers among and after them (`Windows 10`), or a number alone (`2024`, `3.14`;
//! `10 - 20` is two numbers, each read forwards, in the line's order). In a line set left to
//! right, each run of right-to-left words is reversed, the numbers inside it turned back.
//! Reversal is by grapheme cluster, so a letter keeps its marks. Explicit embeddings and
//! mirrored brackets cannot be seen in a line's glyphs and are not undone, and some orders
//! look the same once drawn (`the year שנה 2024` and `the year 2024 שנה`): a word's letters
//! always come out in order, the order of words across a change of direction may not.

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
    /// What joins the digits of one number (`.`, `,`, `:`, `/`, `+`, `-`) when it stands
    /// alone between two.
    Separator,
    /// Spaces, punctuation and the rest: they take the direction around them.
    Neutral,
}

fn kind(c: char) -> Kind {
    match bidi_class(c) {
        BidiClass::L => Kind::Ltr,
        BidiClass::R | BidiClass::AL => Kind::Rtl,
        BidiClass::EN | BidiClass::AN | BidiClass::ET => Kind::Number,
        BidiClass::ES | BidiClass::CS => Kind::Separator,
        _ => Kind::Neutral,
    }
}

/// Whether a character is a right-to-left letter.
fn is_rtl(c: char) -> bool {
    kind(c) == Kind::Rtl
}

/// Whether more of these characters are right-to-left letters than left-to-right ones: a
/// region of text set right to left.
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

/// Whether a line, as drawn left to right, was set right to left: its first and its last
/// letter as drawn are right-to-left ones (a right-to-left line starts and ends with its own
/// words, whatever it quotes between them); when one end is of each direction (a line that
/// starts with a quoted word and ends with its own, or the other way round), as the text
/// around it is (`around_rtl`: the region the line stands in, mostly right to left or not).
pub fn reads_right_to_left(visual: &str, around_rtl: bool) -> bool {
    if visual.is_ascii() {
        return false;
    }
    let strong = |c: &char| matches!(kind(*c), Kind::Ltr | Kind::Rtl);
    let first = visual.chars().find(strong).map(kind);
    let last = visual.chars().rev().find(strong).map(kind);
    match (first, last) {
        (Some(Kind::Rtl), Some(Kind::Rtl)) => true,
        (Some(Kind::Ltr), Some(Kind::Ltr)) | (None, _) | (_, None) => false,
        _ => around_rtl,
    }
}

/// A line's text, read left to right across the page, in reading order, the line set right to
/// left or not (`rtl`, from [`reads_right_to_left`]): unchanged (borrowed) when it has no
/// right-to-left letter.
pub fn logical(visual: &str, rtl: bool) -> Cow<'_, str> {
    if visual.is_ascii() || !visual.chars().any(is_rtl) {
        return Cow::Borrowed(visual);
    }
    let mut clusters: Vec<(&str, Kind)> = visual
        .graphemes(true)
        .map(|g| (g, g.chars().next().map_or(Kind::Neutral, kind)))
        .collect();
    if rtl {
        clusters.reverse();
        turn_back_left_to_right(&mut clusters);
    } else {
        turn_round_right_to_left(&mut clusters);
    }
    Cow::Owned(clusters.into_iter().map(|(g, _)| g).collect())
}

/// In a right-to-left line reversed into reading order, turns back what was set left to
/// right: each run of left-to-right words, with the numbers and neutrals among them, up to the
/// next right-to-left letter; and each number standing apart from such words.
fn turn_back_left_to_right(clusters: &mut [(&str, Kind)]) {
    let mut at = 0;
    while at < clusters.len() {
        if !matches!(clusters[at].1, Kind::Ltr | Kind::Number) {
            at += 1;
            continue;
        }
        let end = run_end(
            clusters,
            at,
            |k| matches!(k, Kind::Ltr | Kind::Number),
            Kind::Rtl,
        );
        let run = &mut clusters[at..=end];
        if run.iter().any(|(_, k)| *k == Kind::Ltr) {
            run.reverse();
        } else {
            turn_back_numbers(run);
        }
        at = end + 1;
    }
}

/// In a left-to-right line, reverses each run of right-to-left words (from a right-to-left
/// letter to the last one before the next left-to-right letter), and turns the numbers inside
/// it back.
fn turn_round_right_to_left(clusters: &mut [(&str, Kind)]) {
    let mut at = 0;
    while at < clusters.len() {
        if clusters[at].1 != Kind::Rtl {
            at += 1;
            continue;
        }
        let end = run_end(clusters, at, |k| k == Kind::Rtl, Kind::Ltr);
        let run = &mut clusters[at..=end];
        run.reverse();
        turn_back_numbers(run);
        at = end + 1;
    }
}

/// The last cluster from `at` on that `in_run` accepts before the first of the kind `stop`.
fn run_end(
    clusters: &[(&str, Kind)],
    at: usize,
    in_run: impl Fn(Kind) -> bool,
    stop: Kind,
) -> usize {
    let mut end = at;
    for (offset, (_, kind)) in clusters[at + 1..].iter().enumerate() {
        if *kind == stop {
            break;
        }
        if in_run(*kind) {
            end = at + 1 + offset;
        }
    }
    end
}

/// Reverses each number in `clusters`: digits and signs, with a lone separator between two
/// (`3.14`, `1,000`), each number on its own.
fn turn_back_numbers(clusters: &mut [(&str, Kind)]) {
    let mut at = 0;
    while at < clusters.len() {
        if clusters[at].1 != Kind::Number {
            at += 1;
            continue;
        }
        let mut end = at;
        let mut next = at + 1;
        while next < clusters.len() {
            match clusters[next].1 {
                Kind::Number => end = next,
                Kind::Separator if clusters.get(next + 1).is_some_and(|c| c.1 == Kind::Number) => {}
                _ => break,
            }
            next += 1;
        }
        clusters[at..=end].reverse();
        at = end + 1;
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

    /// Asserts that the line `runs` make, drawn (right to left or not), reads back as written.
    fn reads_back(runs: &[(&str, bool)], rtl_line: bool) {
        let written: String = runs.iter().map(|(text, _)| *text).collect();
        assert_eq!(
            logical(&drawn(runs, rtl_line), rtl_line),
            written,
            "{runs:?}"
        );
    }

    #[test]
    fn a_right_to_left_line_is_read_right_to_left() {
        let visual = drawn(&[("שלום עולם", true)], true);
        assert_eq!(visual, "םלוע םולש");
        assert_eq!(logical(&visual, true), "שלום עולם");
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
        reads_back(&runs, true);
    }

    #[test]
    fn a_right_to_left_line_quoting_more_latin_than_its_own_letters_is_still_right_to_left() {
        // "Write to info@example.org only" and "The book Introduction to Algorithms".
        for runs in [
            [
                ("כתבו אל ", true),
                ("info@example.org", false),
                (" בלבד", true),
            ],
            [
                ("הספר ", true),
                ("Introduction to Algorithms", false),
                (" כאן", true),
            ],
        ] {
            reads_back(&runs, true);
        }
    }

    #[test]
    fn a_line_with_an_end_of_each_direction_goes_the_way_of_the_text_around_it() {
        // A Hebrew paragraph's last line, starting with an address it wrapped before.
        let runs = [
            ("info@example.org", false),
            (" או בקרו באתר ", true),
            ("www.example.org/reports", false),
            (" בכל שעה.", true),
        ];
        let visual = drawn(&runs, true);
        assert!(reads_right_to_left(&visual, true));
        reads_back(&runs, true);
        // An English line ending with a Hebrew word, among English lines.
        let visual = drawn(&[("the word for peace is ", false), ("שלום", true)], false);
        assert!(!reads_right_to_left(&visual, false));
        assert_eq!(logical(&visual, false), "the word for peace is שלום");
    }

    #[test]
    fn numbers_apart_in_a_right_to_left_line_each_read_forwards_in_the_lines_order() {
        for runs in [
            // "price 10 - 20 shekels", "years 2020 2024", "pi is 3.14 about", "100 ₪ only".
            &[
                ("מחיר ", true),
                ("10", false),
                (" - ", true),
                ("20", false),
                (" שקל", true),
            ][..],
            &[
                ("שנים ", true),
                ("2020", false),
                (" ", true),
                ("2024", false),
                (" בלבד", true),
            ],
            &[("פאי ", true), ("3.14", false), (" בערך", true)],
            &[("רק ", true), ("100", false), (" ₪", true)],
            // A product's name and number: one run set left to right.
            &[("גרסה ", true), ("Windows 10", false), (" חדשה", true)],
        ] {
            reads_back(runs, true);
        }
    }

    #[test]
    fn arabic_with_its_marks_and_digits_keeps_each_letter_with_its_marks() {
        // "Hello, world" with a vowel mark (fatha) on the first letter, then Arabic-Indic digits.
        let runs = [("مَرحبا بالعالم ", true), ("١٢٣", false)];
        reads_back(&runs, true);
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
        reads_back(&runs, false);
    }

    #[test]
    fn a_number_inside_right_to_left_words_of_a_left_to_right_line_reads_forwards() {
        // Logical "Note: שנת 2024 היא here"; the Hebrew run and the number in it are set
        // right to left as one, the number itself left to right.
        let visual = format!("Note: {} here", "איה 2024 תנש");
        assert_eq!(logical(&visual, false), "Note: שנת 2024 היא here");
    }

    #[test]
    fn text_without_right_to_left_letters_is_left_alone() {
        for text in ["plain ASCII", "Grüße, 東京, Ελλάδα 2024", ""] {
            assert!(matches!(logical(text, false), Cow::Borrowed(t) if t == text));
        }
    }
}
