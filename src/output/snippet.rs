//! Snippets: the parts of a long paragraph worth showing. Windows are placed around the groups of
//! highlights that matter most (most distinct query parts, then most matches), widened with
//! surrounding text, cut at sentence boundaries where they fit and at word boundaries otherwise
//! (never inside a word of spaced text or a grapheme cluster, never inside a highlight), merged when only a few
//! characters lie between them, and never exceed the character budget together (but for a
//! single highlight longer than it, shown whole). Positions are byte offsets on character
//! boundaries; budgets count characters.

use std::ops::Range;

use crate::analysis::is_cjk;
use crate::highlight::Highlight;

/// At most this many windows per paragraph.
pub const MAX_WINDOWS: usize = 3;

/// Characters a further window must leave for context to be worth opening.
const MIN_CONTEXT: usize = 20;

/// One window of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Byte range of the paragraph shown.
    pub range: Range<usize>,
    /// True when text before the window was left out.
    pub cut_before: bool,
    /// True when text after the window was left out.
    pub cut_after: bool,
}

/// Character positions of a text, for counting and stepping by characters.
struct Chars<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Chars<'a> {
    fn new(text: &'a str) -> Chars<'a> {
        Chars {
            text,
            starts: text.char_indices().map(|(i, _)| i).collect(),
        }
    }

    /// Index of the character starting at byte `at` (the count of characters before it).
    fn index(&self, at: usize) -> usize {
        self.starts.partition_point(|&s| s < at)
    }

    fn count(&self, range: &Range<usize>) -> usize {
        self.index(range.end) - self.index(range.start)
    }

    fn back(&self, at: usize, n: usize) -> usize {
        self.starts[self.index(at).saturating_sub(n)..]
            .first()
            .copied()
            .unwrap_or(self.text.len())
    }

    fn forward(&self, at: usize, n: usize) -> usize {
        self.starts
            .get(self.index(at) + n)
            .copied()
            .unwrap_or(self.text.len())
    }
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?') || is_cjk_sentence_end(c)
}

/// Full stops of Chinese and Japanese text, which no space follows.
fn is_cjk_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？')
}

/// Moves a window start forward from `start` to a sentence start, else to a word start, never
/// past `limit`. When the context before is all the window has (`all_before`: the paragraph
/// ends after the match), a sentence start is taken only if it keeps at least half of that
/// context (as [`snap_end`] does) or leaves out a few words at most: a short sentence that
/// ends a paragraph is shown with the end of the long one before it, not alone in a budget it
/// would fill a tenth of. Text without spaces (Chinese, Japanese) keeps its start.
fn snap_start(text: &str, start: usize, limit: usize, all_before: bool) -> usize {
    if start == 0 || start >= limit {
        return start.min(limit);
    }
    let halfway = start + (limit - start) / 2;
    let keeps_enough = |at: usize| {
        !all_before || at <= halfway || text[start..at].chars().count() <= 2 * MIN_CONTEXT
    };
    let mut previous = text[..start].chars().next_back();
    let mut word_start = None;
    // The candidates are every character start from `start` up to and including `limit`.
    let at_limit = text[limit..].chars().next().map(|c| (limit - start, c));
    for (i, c) in text[start..limit].char_indices().chain(at_limit) {
        let at = start + i;
        if !c.is_whitespace() {
            if previous.is_some_and(is_cjk_sentence_end) && keeps_enough(at) {
                return at;
            }
            if previous.is_some_and(char::is_whitespace) {
                let before = text[..at].trim_end().chars().next_back();
                if before.is_some_and(is_sentence_end) && keeps_enough(at) {
                    return at;
                }
                word_start.get_or_insert(at);
            }
        }
        previous = Some(c);
    }
    word_start.unwrap_or(if inside_word(text, start) {
        limit
    } else {
        start
    })
}

/// True when byte `at` falls inside a grapheme cluster (a letter and its marks, an emoji with
/// its modifiers, a flag), or between two letters, digits or marks of a spaced script (cutting
/// there would split a word: `क्|ष`; Chinese and Japanese text has no spaces to cut at, so it
/// never is).
fn inside_word(text: &str, at: usize) -> bool {
    let word_char = |c: Option<char>| {
        c.is_some_and(|c| {
            (c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)) && !is_cjk(c)
        })
    };
    let boundary = unicode_segmentation::GraphemeCursor::new(at, text.len(), true)
        .is_boundary(text, 0)
        .unwrap_or(true);
    !boundary || word_char(text[..at].chars().next_back()) && word_char(text[at..].chars().next())
}

/// Moves a window end back from `end` to a sentence end, else to a word end, never before
/// `limit`. A sentence end is taken only if it keeps at least half of the context; text without
/// spaces keeps its end.
fn snap_end(text: &str, end: usize, limit: usize) -> usize {
    let end = with_closers(text, end);
    if end >= text.len() || end <= limit {
        return end.max(limit);
    }
    let halfway = limit + (end - limit) / 2;
    let mut word_end = None;
    for (i, c) in text[limit..end].char_indices().rev() {
        let at = limit + i + c.len_utf8();
        let ends_word = text[at..].starts_with(char::is_whitespace);
        if c.is_whitespace() || !(ends_word || is_cjk_sentence_end(c)) {
            continue;
        }
        // A sentence's end, or what closes after it (`sharing."`, `below.)`).
        let closed = |c: char| is_closer(c) && text[..limit + i].ends_with(is_sentence_end);
        if (is_sentence_end(c) || closed(c)) && at >= halfway {
            return at;
        }
        if ends_word {
            word_end.get_or_insert(at);
        }
    }
    word_end.unwrap_or(if inside_word(text, end) { limit } else { end })
}

/// A closing quote or bracket.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '»' | '›' | ')' | ']' | '}' | '」' | '』'
    )
}

/// `end`, or past the closing quotes and brackets (two at most) that stand right after it
/// when white space or the text's end follows them: they belong to what they close
/// (`sharing."`), and no `…` stands for them alone.
fn with_closers(text: &str, end: usize) -> usize {
    let Some(after) = text.get(end..) else {
        return end;
    };
    let closers = after.chars().take(2).take_while(|&c| is_closer(c));
    let len: usize = closers.map(char::len_utf8).sum();
    let before = text[..end].chars().next_back();
    let closes = len > 0 && before.is_some_and(|c| !c.is_whitespace());
    match closes && (after[len..].is_empty() || after[len..].starts_with(char::is_whitespace)) {
        true => end + len,
        false => end,
    }
}

/// A group of nearby highlights.
struct Group {
    range: Range<usize>,
    terms: Vec<String>,
    count: usize,
}

fn groups(chars: &Chars<'_>, highlights: &[Highlight], span_chars: usize) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for h in highlights {
        match groups.last_mut() {
            Some(g)
                if chars.count(&(g.range.start..h.range.end.max(g.range.end))) <= span_chars =>
            {
                g.range.end = g.range.end.max(h.range.end);
                g.count += 1;
                if !g.terms.contains(&h.term) {
                    g.terms.push(h.term.clone());
                }
            }
            _ => groups.push(Group {
                range: h.range.clone(),
                terms: vec![h.term.clone()],
                count: 1,
            }),
        }
    }
    groups
}

/// The best groups' ranges, in text order, and the characters they take.
fn choose_cores(
    chars: &Chars<'_>,
    groups: &[Group],
    max_chars: usize,
) -> (Vec<Range<usize>>, usize) {
    let mut ranked: Vec<usize> = (0..groups.len()).collect();
    ranked.sort_by_key(|&i| {
        (
            std::cmp::Reverse((groups[i].terms.len(), groups[i].count)),
            i,
        )
    });
    let mut cores: Vec<Range<usize>> = Vec::new();
    let mut used = 0;
    for &i in ranked.iter().take(MAX_WINDOWS) {
        let extent = chars.count(&groups[i].range);
        if cores.is_empty() || used + extent + MIN_CONTEXT <= max_chars {
            cores.push(groups[i].range.clone());
            used += extent;
        }
    }
    cores.sort_by_key(|r| r.start);
    (cores, used)
}

/// The windows to show of `text`: within a budget of `max_chars` characters (see [`windows`]),
/// or, without one, the whole text as one window.
pub fn windows_within(
    text: &str,
    highlights: &[Highlight],
    max_chars: Option<usize>,
) -> Vec<Window> {
    match max_chars {
        Some(max_chars) => windows(text, highlights, max_chars),
        None => vec![Window {
            range: 0..text.len(),
            cut_before: false,
            cut_after: false,
        }],
    }
}

/// The windows to show of `text` (highlights sorted), at most `max_chars` characters in all,
/// and the closing quotes or brackets (two at most) right after a window's end (see
/// [`with_closers`]).
pub fn windows(text: &str, highlights: &[Highlight], max_chars: usize) -> Vec<Window> {
    let max_chars = max_chars.max(1);
    let chars = Chars::new(text);
    if chars.starts.len() <= max_chars {
        return vec![Window {
            range: 0..text.len(),
            cut_before: false,
            cut_after: false,
        }];
    }
    let mut found = groups(&chars, highlights, max_chars / 2);
    if found.is_empty() {
        found.push(Group {
            range: 0..0,
            terms: Vec::new(),
            count: 0,
        });
    }
    let (cores, used) = choose_cores(&chars, &found, max_chars);
    let spare_each = max_chars.saturating_sub(used) / cores.len().max(1);
    let mut ranges: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    let mut remaining = max_chars;
    for core in cores {
        if remaining == 0 {
            break;
        }
        let core_end = highlight_end(highlights, &core, chars.forward(core.start, remaining));
        let core_chars = chars.count(&(core.start..core_end));
        if !ranges.is_empty() && core_chars > remaining {
            // A further window whose first highlight does not fit whole is left out.
            break;
        }
        let room = remaining.saturating_sub(core_chars);
        // A third of the context before the core, the rest after; what one side cannot use
        // (the paragraph ends) goes to the other.
        let (before, after) = (
            chars.count(&(0..core.start)),
            chars.count(&(core_end..text.len())),
        );
        let left_share = if core.start == 0 { 0 } else { spare_each / 3 };
        let right_wanted = (spare_each - left_share).min(after);
        let left_wanted = (spare_each - right_wanted).min(before);
        let right_wanted = (spare_each - left_wanted).min(after);
        let left = left_wanted.min(room);
        let right = right_wanted.min(room - left);
        let all_before = left_wanted > left_share;
        let start = snap_start(text, chars.back(core.start, left), core.start, all_before);
        let end = snap_end(text, chars.forward(core_end, right), core_end);
        // Context never takes part of a highlight left out of the core.
        let (start, end) = (clear_start(highlights, start), clear_end(highlights, end));
        remaining = remaining.saturating_sub(chars.count(&(start..end)));
        ranges.push((start..end, core.start..core_end));
    }
    merge(text, &chars, highlights, max_chars, ranges)
        .into_iter()
        .map(|range| Window {
            cut_before: range.start > 0,
            cut_after: range.end < text.len(),
            range,
        })
        .collect()
}

/// A window start moved out of any highlight it falls inside (to that highlight's end).
fn clear_start(highlights: &[Highlight], start: usize) -> usize {
    highlights
        .iter()
        .find(|h| h.range.start < start && start < h.range.end)
        .map_or(start, |h| h.range.end)
}

/// A window end moved out of any highlight it falls inside (to that highlight's start).
fn clear_end(highlights: &[Highlight], end: usize) -> usize {
    highlights
        .iter()
        .find(|h| h.range.start < end && end < h.range.end)
        .map_or(end, |h| h.range.start)
}

/// Where a window's core (a group of highlights) may end when only `budget_end` fits: at the
/// end of the last highlight that fits whole, or of the first one when none does.
fn highlight_end(highlights: &[Highlight], core: &Range<usize>, budget_end: usize) -> usize {
    if budget_end >= core.end {
        return core.end;
    }
    let inside = highlights
        .iter()
        .filter(|h| h.range.start >= core.start && h.range.end <= core.end);
    let mut end = None;
    for h in inside {
        if end.is_some() && h.range.end > budget_end {
            break;
        }
        end = Some(h.range.end);
    }
    end.unwrap_or(budget_end).max(core.start)
}

/// Joins windows that overlap, and windows that only a few characters ([`MIN_CONTEXT`]) keep
/// apart when their outer context can give up as many (so that no seam cuts a sentence in two
/// for a handful of characters, and the budget still holds). `windows` pairs each window with
/// its core, the highlights it must keep.
fn merge(
    text: &str,
    chars: &Chars<'_>,
    highlights: &[Highlight],
    max_chars: usize,
    windows: Vec<(Range<usize>, Range<usize>)>,
) -> Vec<Range<usize>> {
    // Characters shown in all, kept up to date as windows are joined.
    let mut total: usize = windows.iter().map(|(range, _)| chars.count(range)).sum();
    let mut merged: Vec<(Range<usize>, Range<usize>)> = Vec::with_capacity(windows.len());
    for (range, core) in windows {
        let Some((last, last_core)) = merged.last_mut() else {
            merged.push((range, core));
            continue;
        };
        let apart = chars.count(last) + chars.count(&range);
        if range.start <= last.end {
            last.end = last.end.max(range.end);
            last_core.end = last_core.end.max(core.end);
            total = total + chars.count(last) - apart;
            continue;
        }
        let gap = chars.count(&(last.end..range.start));
        if gap > MIN_CONTEXT {
            merged.push((range, core));
            continue;
        }
        let joined_core = last_core.start..core.end;
        let mut joined = last.start..range.end;
        let with = |joined: &Range<usize>| total - apart + chars.count(joined);
        if with(&joined) > max_chars {
            let end = snap_end(text, chars.back(joined.end, gap), joined_core.end);
            joined.end = clear_end(highlights, end.max(joined_core.end));
        }
        if with(&joined) > max_chars {
            let over = with(&joined) - max_chars;
            let start = snap_start(
                text,
                chars.forward(joined.start, over),
                joined_core.start,
                false,
            );
            joined.start = clear_start(highlights, start.min(joined_core.start));
        }
        if with(&joined) > max_chars {
            merged.push((range, core));
            continue;
        }
        total = with(&joined);
        *last = joined;
        *last_core = joined_core;
    }
    merged.into_iter().map(|(range, _)| range).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_cut_splits_a_letter_from_its_marks_or_an_emoji_from_its_parts() {
        // A Devanagari word with a virama, Thai with tone marks, a flag and a skin tone.
        for text in ["क्षत्रिय", "ผู้ใหญ่", "👍🏽🇯🇵", "e\u{301}"]
        {
            for (at, _) in text.char_indices().skip(1) {
                let cluster_start =
                    unicode_segmentation::UnicodeSegmentation::grapheme_indices(text, true)
                        .any(|(start, _)| start == at);
                if !cluster_start {
                    assert!(inside_word(text, at), "{text:?} at {at}");
                }
            }
        }
        assert!(inside_word("क्षत्रिय", "क्".len()), "after the virama");
        assert!(!inside_word("ab cd", 3));
    }
    use proptest::prelude::*;

    fn h(text: &str, word: &str) -> Highlight {
        let start = text.find(word).unwrap();
        Highlight {
            range: start..start + word.len(),
            term: word.to_string(),
        }
    }

    fn shown(text: &str, windows: &[Window]) -> String {
        windows
            .iter()
            .map(|w| {
                let before = if w.cut_before { "…" } else { "" };
                let after = if w.cut_after { "…" } else { "" };
                format!("{before}{}{after}", &text[w.range.clone()])
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn short_paragraphs_are_shown_whole() {
        let text = "Short and sweet.";
        assert_eq!(shown(text, &windows(text, &[h(text, "sweet")], 100)), text);
    }

    #[test]
    fn windows_cut_at_sentence_boundaries_when_they_fit() {
        let text = "First sentence is here. The nuclear word sits in this one. Then a long tail of text follows it all the way.";
        let got = shown(text, &windows(text, &[h(text, "nuclear")], 50));
        assert_eq!(got, "…The nuclear word sits in this one.…");
    }

    #[test]
    fn a_short_sentence_at_the_end_is_shown_with_the_end_of_the_one_before() {
        // The context after the match is all gone (the paragraph ends): it goes before, and
        // the long sentence there is cut at a word, not left out for the short one alone.
        let text =
            "The committee reviewed the long list of proposals that had been submitted over \
                    the course of the previous fiscal year, weighing each against the budget \
                    constraints, the staffing levels, the regional priorities, the legal \
                    obligations, the expectations of the public, the commitments made to partners \
                    abroad and the lessons drawn from the audit of the year before that one. \
                    Lighthouse.";
        let got = shown(text, &windows(text, &[h(text, "Lighthouse")], 300));
        assert!(
            got.ends_with("the year before that one. Lighthouse."),
            "{got}"
        );
        assert!(got.chars().count() > 250, "{got}");
        assert!(got.starts_with('…'), "{got}");
        let got = shown(text, &windows(text, &[h(text, "Lighthouse")], 100));
        assert!(got.ends_with("that one. Lighthouse."), "{got}");
        assert!(got.chars().count() > 60, "{got}");
    }

    #[test]
    fn a_closing_quote_goes_with_the_sentence_it_closes() {
        // At the text's end, and inside it: no `…` for the quote alone, no quote left open.
        let text = "He said \"nuclear sharing.\" Then left.";
        for max in [20, 22, 24] {
            let got = shown(text, &windows(text, &[h(text, "nuclear")], max));
            assert!(got.contains("nuclear sharing.\""), "{max}: {got}");
        }
        let text = format!(
            "{} the “nuclear sharing.”",
            "Words before it all. ".repeat(5)
        );
        let got = shown(&text, &windows(&text, &[h(&text, "nuclear")], 60));
        assert!(got.ends_with("sharing.”"), "{got}");
    }

    #[test]
    fn windows_cut_at_word_boundaries_otherwise() {
        let text = "alpha beta gamma delta nuclear epsilon zeta eta theta iota kappa lambda";
        let got = shown(text, &windows(text, &[h(text, "nuclear")], 30));
        assert!(got.starts_with('…') && got.ends_with('…'), "{got}");
        assert!(got.contains("nuclear"), "{got}");
        let inner = got.trim_matches('…');
        assert!(text.contains(inner), "{got}");
        assert!(
            text.split(' ').any(|w| inner.starts_with(w)),
            "cut inside a word: {got}"
        );
        assert!(inner.chars().count() <= 30);
    }

    #[test]
    fn far_apart_matches_get_several_windows() {
        let filler = "lorem ipsum dolor sit amet ".repeat(20);
        let text = format!("Alpha starts here. {filler}Omega ends here. {filler}The end.");
        let highlights = [h(&text, "Alpha"), h(&text, "Omega")];
        let got = windows(&text, &highlights, 120);
        assert_eq!(got.len(), 2, "{}", shown(&text, &got));
        assert!(text[got[0].range.clone()].contains("Alpha"));
        assert!(text[got[1].range.clone()].contains("Omega"));
    }

    #[test]
    fn text_without_spaces_keeps_its_context() {
        let text = format!(
            "{}。中国的经济发展很快。{}",
            "前文".repeat(60),
            "后文".repeat(60)
        );
        let got = shown(&text, &windows(&text, &[h(&text, "中国")], 40));
        assert!(got.starts_with("…中国的经济发展很快。"), "{got}");
        assert!(got.trim_matches('…').chars().count() > 20, "{got}");
    }

    #[test]
    fn a_highlight_is_never_cut_and_a_long_one_is_shown_whole() {
        let text = format!(
            "{} the alliance between the two countries {}",
            "a ".repeat(40),
            "b ".repeat(40)
        );
        let phrase = h(&text, "alliance between the two countries");
        let got = windows(&text, std::slice::from_ref(&phrase), 20);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].range, phrase.range, "{}", shown(&text, &got));
    }

    #[test]
    fn long_words_at_the_edges_are_left_out_not_cut() {
        let long = "x".repeat(40);
        let text = format!("{long} nuclear {long}");
        let got = shown(&text, &windows(&text, &[h(&text, "nuclear")], 30));
        assert_eq!(got, "…nuclear…");
    }

    #[test]
    fn windows_a_few_characters_apart_are_joined() {
        // Two matches far enough apart to get a window each, with a short gap between the
        // windows: one window, no `… …` seam.
        let text = format!(
            "{} Alpha one two three four five six seven eight nine Omega {}",
            "lead ".repeat(30),
            "tail ".repeat(30)
        );
        let highlights = [h(&text, "Alpha"), h(&text, "Omega")];
        let got = windows(&text, &highlights, 90);
        assert_eq!(got.len(), 1, "{}", shown(&text, &got));
        let shown_text = &text[got[0].range.clone()];
        assert!(
            shown_text.contains("Alpha") && shown_text.contains("Omega"),
            "{shown_text}"
        );
        assert!(shown_text.chars().count() <= 90);
    }

    #[test]
    fn without_highlights_the_start_is_shown() {
        let text = "one two three four five six seven eight nine ten";
        assert_eq!(shown(text, &windows(text, &[], 15)), "one two three…");
    }

    proptest! {
        #[test]
        fn windows_are_in_budget_sorted_and_on_char_boundaries(
            text in "[a-zé中 .!\")”]{0,300}",
            picks in proptest::collection::vec((0usize..300, 1usize..12), 0..6),
            max_chars in 1usize..120,
        ) {
            let mut highlights: Vec<Highlight> = Vec::new();
            for (start, len) in picks {
                let mut s = start.min(text.len());
                while !text.is_char_boundary(s) { s -= 1; }
                let mut e = (s + len).min(text.len());
                while !text.is_char_boundary(e) { e += 1; }
                if s < e && highlights.last().is_none_or(|l| l.range.end <= s) {
                    highlights.push(Highlight { range: s..e, term: "t".into() });
                }
            }
            highlights.sort_by_key(|h| h.range.start);
            let got = windows(&text, &highlights, max_chars);
            let count = |r: &Range<usize>| text[r.clone()].chars().count();
            let total: usize = got.iter().map(|w| count(&w.range)).sum();
            // Within budget (and the closers after each window's end), but for one highlight
            // longer than it, shown whole and alone.
            let closers = 2 * got.len();
            let one_long_highlight = got.len() == 1
                && highlights.iter().any(|h| {
                    let w = &got[0].range;
                    w.start == h.range.start
                        && w.end >= h.range.end
                        && count(&(h.range.end..w.end)) <= 2
                        && count(&h.range) > max_chars
                });
            prop_assert!(
                total <= max_chars + closers || one_long_highlight,
                "{total} > {max_chars}"
            );
            // No window edge falls inside a highlight.
            for w in &got {
                for h in &highlights {
                    prop_assert!(!(h.range.start < w.range.start && w.range.start < h.range.end));
                    prop_assert!(!(h.range.start < w.range.end && w.range.end < h.range.end));
                }
            }
            prop_assert!(!got.is_empty());
            // Some highlight starts inside a window whenever there are highlights.
            if !highlights.is_empty() {
                prop_assert!(highlights.iter().any(|h| got.iter().any(|w| w.range.contains(&h.range.start))));
            }
            let mut last_end = 0;
            for w in &got {
                prop_assert!(text.is_char_boundary(w.range.start) && text.is_char_boundary(w.range.end));
                prop_assert!(w.range.start >= last_end && w.range.start <= w.range.end);
                last_end = w.range.end;
            }
        }
    }
}
