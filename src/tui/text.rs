//! Paragraph text as terminal cells: document text made safe (control characters and escape
//! sequences shown as visible escapes, tabs as spaces, since a terminal cell never holds them),
//! matched words styled, and lines wrapped to a width the way the terminal shows them: grapheme
//! clusters, East Asian wide characters two cells, combining marks none.

use std::ops::Range;

use parafind::output::sanitize_part;
use parafind::Highlight;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// How a run of text looks: plain, or a matched word.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    /// The text around matches.
    pub plain: Style,
    /// Matched words.
    pub matched: Style,
}

/// A run of text with its style, and whether it is a match.
#[derive(Debug, Clone)]
pub struct Run {
    text: String,
    style: Style,
    matched: bool,
}

/// The runs of `text[range]` (a byte range on character boundaries), matched words (the
/// `highlights`' byte ranges into `text`) in `look.matched`. `inline` text is for one line:
/// line breaks become spaces.
pub fn runs(
    text: &str,
    range: Range<usize>,
    highlights: &[Highlight],
    look: Look,
    inline: bool,
) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut at = range.start;
    let mut push = |piece: Range<usize>, matched: bool| {
        if piece.is_empty() {
            return;
        }
        let style = if matched { look.matched } else { look.plain };
        runs.push(Run {
            text: safe(text, piece, inline),
            style,
            matched,
        });
    };
    for highlight in highlights {
        let start = highlight.range.start.clamp(range.start, range.end);
        let end = highlight.range.end.clamp(range.start, range.end);
        if start < at || start >= end {
            continue;
        }
        push(at..start, false);
        push(start..end, true);
        at = end;
    }
    push(at..range.end, false);
    runs
}

/// The part `piece` of `text` as a terminal may show it (see [`sanitize_part`]): unsafe
/// characters as visible escapes, tabs as spaces (a tab on one line is one space, in a block
/// four), for `inline` text line breaks as spaces.
fn safe(text: &str, piece: Range<usize>, inline: bool) -> String {
    let cleaned = sanitize_part(text, piece, inline);
    cleaned.replace('\t', if inline { " " } else { "    " })
}

/// Runs as one line of spans (cut by the widget at the area's edge).
pub fn one_line(runs: Vec<Run>) -> Line<'static> {
    Line::from(
        runs.into_iter()
            .map(|run| Span::styled(run.text, run.style))
            .collect::<Vec<_>>(),
    )
}

/// Plain text (an ellipsis between snippets) as a run.
pub fn plain(text: &str, look: Look) -> Run {
    Run {
        text: text.to_string(),
        style: look.plain,
        matched: false,
    }
}

/// Runs as one line of at most `width` cells: when they are wider, cut between grapheme
/// clusters and ended by `…`, so the line never runs into what stands beside it.
pub fn fitted_line(runs: Vec<Run>, width: usize) -> Line<'static> {
    if runs.iter().map(|run| run.text.width()).sum::<usize>() <= width {
        return one_line(runs);
    }
    let mut room = width.saturating_sub(1);
    let mut spans = Vec::new();
    for run in runs {
        let mut kept = String::new();
        for grapheme in run.text.graphemes(true) {
            let cells = grapheme.width();
            if cells > room {
                room = 0;
                break;
            }
            room -= cells;
            kept.push_str(grapheme);
        }
        spans.push(Span::styled(kept, run.style));
        if room == 0 {
            break;
        }
    }
    spans.push(Span::raw("…"));
    Line::from(spans)
}

/// Lines of at most `width` cells, and the index of the first holding a match.
#[derive(Debug, Default)]
pub struct Wrapped {
    /// The lines.
    pub lines: Vec<Line<'static>>,
    /// The first line with a matched word in it.
    pub first_match: Option<usize>,
}

/// One grapheme cluster and what it looks like.
struct Cell<'a> {
    grapheme: &'a str,
    width: usize,
    run: usize,
}

/// Wraps `runs` to `width` cells: at line breaks, after the last space that fits, and inside
/// a word only when it is wider than a line.
pub fn wrap(runs: &[Run], width: u16) -> Wrapped {
    let width = usize::from(width.max(1));
    let cells: Vec<Cell<'_>> = runs
        .iter()
        .enumerate()
        .flat_map(|(run, r)| {
            r.text.graphemes(true).map(move |grapheme| Cell {
                grapheme,
                width: grapheme.width(),
                run,
            })
        })
        .collect();
    let mut wrapped = Wrapped::default();
    let mut start = 0;
    let mut used = 0;
    // Where a line may end: just after a space, in the current line.
    let mut after_space: Option<usize> = None;
    let is_space = |cell: &Cell<'_>| cell.grapheme.chars().all(char::is_whitespace);
    for (i, cell) in cells.iter().enumerate() {
        if cell.grapheme == "\n" || cell.grapheme == "\r\n" {
            wrapped.push(&cells[start..i], runs);
            (start, used, after_space) = (i + 1, 0, None);
            continue;
        }
        let mut wrapped_here = false;
        while used + cell.width > width && i > start {
            let end = after_space.filter(|&b| b > start).unwrap_or(i);
            wrapped.push(&cells[start..end], runs);
            start = end;
            used = cells[start..i].iter().map(|c| c.width).sum();
            after_space = None;
            wrapped_here = true;
        }
        // The space a line wraps at starts no line (a word that fills the line, then a space).
        if wrapped_here && start == i && is_space(cell) {
            start = i + 1;
            continue;
        }
        used += cell.width;
        if is_space(cell) {
            after_space = Some(i + 1);
        }
    }
    wrapped.push(&cells[start..], runs);
    wrapped
}

impl Wrapped {
    /// Adds the line of `cells`, one span per run.
    fn push(&mut self, cells: &[Cell<'_>], runs: &[Run]) {
        let mut spans: Vec<Span<'static>> = Vec::new();
        let mut current: Option<(usize, String)> = None;
        for cell in cells {
            match &mut current {
                Some((run, text)) if *run == cell.run => text.push_str(cell.grapheme),
                _ => {
                    if let Some((run, text)) = current.take() {
                        spans.push(Span::styled(text, runs[run].style));
                    }
                    current = Some((cell.run, cell.grapheme.to_string()));
                }
            }
        }
        if let Some((run, text)) = current {
            spans.push(Span::styled(text, runs[run].style));
        }
        if self.first_match.is_none() && cells.iter().any(|c| runs[c.run].matched) {
            self.first_match = Some(self.lines.len());
        }
        self.lines.push(Line::from(spans));
    }
}

/// The width of `text` in cells.
pub fn width(text: &str) -> usize {
    text.width()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    fn look() -> Look {
        Look {
            plain: Style::new(),
            matched: Style::new().add_modifier(Modifier::BOLD),
        }
    }

    fn highlight(range: Range<usize>) -> Highlight {
        Highlight {
            range,
            term: String::new(),
        }
    }

    fn texts(wrapped: &Wrapped) -> Vec<String> {
        wrapped.lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn a_line_too_wide_is_cut_between_clusters_and_ends_in_an_ellipsis() {
        let text = |line: &Line<'_>| {
            line.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
        };
        let runs = |t: &str| runs(t, 0..t.len(), &[], look(), true);
        assert_eq!(text(&fitted_line(runs("short"), 5)), "short");
        // Wide characters are two cells: the ellipsis takes the last one left.
        let cut = fitted_line(runs("北京和首尔"), 6);
        assert_eq!(text(&cut), "北京…");
        assert!(text(&cut).width() <= 6);
        // An escape shown for a control character is cut like any text.
        assert_eq!(text(&fitted_line(runs("ab\u{7}cd"), 5)), "ab\\u…");
        let mut two = runs("one");
        two.push(plain(" … ", look()));
        two.extend(runs("two three"));
        assert_eq!(text(&fitted_line(two, 12)), "one … two t…");
    }

    #[test]
    fn matches_are_their_own_runs_and_escapes_are_made_visible() {
        let text = "a \u{1b}[31mred\u{1b}[0m Pyongyang\tend";
        let at = text.find("Pyongyang").unwrap();
        let runs = runs(text, 0..text.len(), &[highlight(at..at + 9)], look(), true);
        let shown: Vec<(&str, bool)> = runs.iter().map(|r| (r.text.as_str(), r.matched)).collect();
        assert_eq!(
            shown,
            [
                ("a \\u{1b}[31mred\\u{1b}[0m ", false),
                ("Pyongyang", true),
                (" end", false)
            ]
        );
    }

    #[test]
    fn runs_keep_to_their_range() {
        let text = "one two three";
        let runs = runs(
            text,
            4..13,
            &[highlight(0..3), highlight(8..13)],
            look(),
            true,
        );
        let shown: Vec<&str> = runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(shown, ["two ", "three"]);
    }

    #[test]
    fn lines_break_after_spaces_and_inside_words_only_when_they_must() {
        let text = "the alliance endures\nsupercalifragilistic end";
        let wrapped = wrap(&runs(text, 0..text.len(), &[], look(), false), 10);
        assert_eq!(
            texts(&wrapped),
            [
                "the ",
                "alliance ",
                "endures",
                "supercalif",
                "ragilistic",
                "end"
            ]
        );
        // Words that fill a line exactly: no blank line between them, none starts with a space.
        let text = "wraptest xxxxxxxxxx yyyyyyyyyy end";
        let wrapped = wrap(&runs(text, 0..text.len(), &[], look(), false), 10);
        assert_eq!(
            texts(&wrapped),
            ["wraptest ", "xxxxxxxxxx", "yyyyyyyyyy", "end"]
        );
    }

    #[test]
    fn wide_characters_take_two_cells_and_marks_none() {
        // Five CJK characters are ten cells; "e\u{301}" is one cell.
        let text = "北京和首尔 cafe\u{301}s";
        let at = text.find("首尔").unwrap();
        let runs = runs(text, 0..text.len(), &[highlight(at..at + 6)], look(), false);
        let wrapped = wrap(&runs, 6);
        assert_eq!(texts(&wrapped), ["北京和", "首尔 ", "cafe\u{301}s"]);
        assert!(wrapped.lines.iter().all(|l| l.width() <= 6));
        assert_eq!(wrapped.first_match, Some(1));
    }
}
