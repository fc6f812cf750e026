//! Output for people: hits grouped under their file path (files in the order of their best hit,
//! hits within a file by rank), each headed by its paragraph number and line (`¶6, line 6:`),
//! context paragraphs dimmed and headed with `-` instead of `:` (as grep does); hits whose
//! context overlaps are shown together (see `blocks`). Long paragraphs
//! are shown as snippets around their matches unless whole paragraphs are asked for.
//!
//! Styles are written as ANSI codes only when the options say colour is on (the binary decides
//! from `--color` and the terminal); with colour off nothing needs stripping. Document text is
//! sanitised before it is written.

use std::io::{self, Write};
use std::ops::Range;

use anstyle::Style;

use super::blocks::{self, Held, ShowsBlocks};
use super::place;
use super::snippet;
use super::{
    sanitize_inline, sanitize_part, Answer, BatchSummary, Head, Outcome, PathDisplay, Printer,
};
use crate::highlight::Highlight;
use crate::search::{Explanation, Hit, StoredParagraph};

use super::styles::{CONTEXT, HEADING, LOCATION, MATCH, PATH};

/// How matched words are marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marking {
    /// Bold red (shown only when the stream keeps colour).
    Ansi,
    /// Literal markers around each match, e.g. `**` and `**` for Markdown.
    Markers {
        /// Written before a match.
        open: String,
        /// Written after a match.
        close: String,
    },
    /// Not marked at all.
    None,
}

/// Options of the human printer.
#[derive(Debug, Clone)]
pub struct HumanOptions {
    /// How paths are shown.
    pub paths: PathDisplay,
    /// How matches are marked.
    pub marking: Marking,
    /// Character budget of a paragraph's snippet; `None` prints whole paragraphs.
    pub max_chars: Option<usize>,
    /// Write styles (colour, bold) as ANSI codes.
    pub colored: bool,
    /// Show each hit's score in its heading (`--score`).
    pub score: bool,
    /// Hits come with neighbouring paragraphs (`-A/-B/-C`): each file's hits are held until
    /// its last and shown in blocks (see [`super::blocks`]).
    pub neighbours: bool,
}

/// The human printer.
pub struct Human<W> {
    out: W,
    options: HumanOptions,
    /// The file whose hits are being printed under its heading.
    file: Option<String>,
    /// Hits of one file held to be shown in blocks (with [`HumanOptions::neighbours`]).
    held: Held,
}

impl<W: Write> Human<W> {
    /// A printer writing to `out`.
    pub fn new(out: W, options: HumanOptions) -> Human<W> {
        Human {
            out,
            options,
            file: None,
            held: Held::default(),
        }
    }

    /// `style` when colour is on, else no style at all.
    fn styled(&self, style: Style) -> Style {
        super::styles::when(self.options.colored, style)
    }

    /// A context paragraph's place, then `separator`.
    fn location(
        &mut self,
        context: &StoredParagraph,
        separator: char,
        style: Style,
    ) -> io::Result<()> {
        let place = place(context.paragraph, context.line, context.page);
        write!(self.out, "{style}{place}{separator}{style:#} ")
    }

    /// A hit's location, with its section when it has one and its score when asked for:
    /// `¶3, line 12 · Setup > Linux · score 4.213:` (`p. 12, ¶3` in a PDF). When the document's
    /// title holds words of the query that the text does not (see [`Hit::title_tells_more`]),
    /// it is shown with them marked: as the section's first part when the section starts with
    /// it, else as `title “…”`.
    fn hit_location(&mut self, hit: &Hit) -> io::Result<()> {
        let style = self.styled(LOCATION);
        let mut line = place(hit.paragraph, hit.line, hit.page).to_string();
        let title = hit.title.as_deref().filter(|_| hit.title_tells_more());
        let title_in_section = title.filter(|_| hit.title_starts_section());
        if let Some(section) = &hit.section {
            line.push_str(" · ");
            let marks = match title_in_section {
                Some(_) => hit.title_highlights.as_slice(),
                None => &[],
            };
            self.label(&mut line, section, marks, style)?;
        }
        if let Some(title) = title.filter(|_| title_in_section.is_none()) {
            line.push_str(" · title “");
            self.label(&mut line, title, &hit.title_highlights, style)?;
            line.push('”');
        }
        if self.options.score {
            line.push_str(&format!(" · score {:.3}", hit.score));
        }
        write!(self.out, "{style}{line}:{style:#} ")
    }

    /// Adds a label (a section, a title) on one line to the location `line` being written in
    /// `style`, its `highlights` marked: the line so far is written before each mark.
    fn label(
        &mut self,
        line: &mut String,
        text: &str,
        highlights: &[Highlight],
        style: Style,
    ) -> io::Result<()> {
        let mut at = 0;
        for h in highlights {
            let range = h.range.start.max(at)..h.range.end.min(text.len());
            if range.start >= range.end {
                continue;
            }
            line.push_str(&sanitize_part(text, at..range.start, true));
            if !line.is_empty() {
                write!(self.out, "{style}{line}{style:#}")?;
                line.clear();
            }
            self.marked_inline(text, range.clone())?;
            at = range.end;
        }
        line.push_str(&sanitize_part(text, at..text.len(), true));
        Ok(())
    }

    /// A score's breakdown, one part a line, each part indented under what it makes up:
    /// `  4.213  sum of:`.
    fn explanation(&mut self, part: &Explanation, depth: usize) -> io::Result<()> {
        let style = self.styled(CONTEXT);
        let indent = "  ".repeat(depth);
        let description = sanitize_inline(&part.description);
        let context = match part.context.is_empty() {
            true => String::new(),
            false => format!(" [{}]", sanitize_inline(&part.context.join(", "))),
        };
        writeln!(
            self.out,
            "{style}{indent}{:.4}  {description}{context}{style:#}",
            part.value
        )?;
        for detail in &part.details {
            self.explanation(detail, depth + 1)?;
        }
        Ok(())
    }

    fn plain(&mut self, text: &str, style: Style) -> io::Result<()> {
        self.plain_part(text, 0..text.len(), style)
    }

    /// The part `range` of a paragraph's `text`, made safe as it shows within the whole (see
    /// [`sanitize_part`]): on one line when a snippet budget is set.
    fn plain_part(&mut self, text: &str, range: Range<usize>, style: Style) -> io::Result<()> {
        let clean = sanitize_part(text, range, self.options.max_chars.is_some());
        write!(self.out, "{style}{clean}{style:#}")
    }

    /// The matched part `range` of a paragraph's `text`, marked.
    fn marked(&mut self, text: &str, range: Range<usize>) -> io::Result<()> {
        let inline = self.options.max_chars.is_some();
        self.marked_as(text, range, inline)
    }

    /// The matched part `range` of a label's `text`, marked, on one line.
    fn marked_inline(&mut self, text: &str, range: Range<usize>) -> io::Result<()> {
        self.marked_as(text, range, true)
    }

    fn marked_as(&mut self, text: &str, range: Range<usize>, inline: bool) -> io::Result<()> {
        let (open, close, style) = match &self.options.marking {
            Marking::Ansi => (String::new(), String::new(), self.styled(MATCH)),
            Marking::Markers { open, close } => (open.clone(), close.clone(), Style::new()),
            Marking::None => (String::new(), String::new(), Style::new()),
        };
        let clean = sanitize_part(text, range, inline);
        write!(self.out, "{open}{style}{clean}{style:#}{close}")
    }

    /// Writes a paragraph's windows with its highlights marked, then a newline. Text left out
    /// shows as one `…`: at either end, and between windows (` … `).
    fn body(&mut self, text: &str, highlights: &[Highlight], style: Style) -> io::Result<()> {
        let windows = snippet::windows_within(text, highlights, self.options.max_chars);
        let last = windows.len().saturating_sub(1);
        for (i, window) in windows.into_iter().enumerate() {
            if i > 0 {
                self.plain(" … ", style)?;
            } else if window.cut_before {
                self.plain("…", style)?;
            }
            let mut at = window.range.start;
            for h in highlights {
                let start = h.range.start.max(window.range.start);
                let end = h.range.end.min(window.range.end);
                if start >= end || start < at {
                    continue;
                }
                self.plain_part(text, at..start, style)?;
                self.marked(text, start..end)?;
                at = end;
            }
            self.plain_part(text, at..window.range.end, style)?;
            if i == last && window.cut_after {
                self.plain("…", style)?;
            }
        }
        writeln!(self.out)
    }

    fn context(&mut self, context: &StoredParagraph) -> io::Result<()> {
        let style = self.styled(CONTEXT);
        self.location(context, '-', style)?;
        self.body(&context.text, &[], style)
    }

    /// A hit's heading and text, and its score's breakdown when asked for.
    fn hit_paragraph(&mut self, hit: &Hit) -> io::Result<()> {
        self.hit_location(hit)?;
        self.body(&hit.text, &hit.highlights, Style::new())?;
        if let Some(explanation) = &hit.explanation {
            self.explanation(explanation, 1)?;
        }
        Ok(())
    }

    /// A hit under its file's heading (see the `Printer` impl): its neighbours before, the
    /// hit, its neighbours after.
    fn print_hit(&mut self, hit: &Hit) -> io::Result<()> {
        self.file_heading(&hit.key)?;
        for context in &hit.before {
            self.context(context)?;
        }
        self.hit_paragraph(hit)?;
        for context in &hit.after {
            self.context(context)?;
        }
        Ok(())
    }

    /// A blank line after the previous hit or block, and the file's heading when it changes.
    fn file_heading(&mut self, key: &str) -> io::Result<()> {
        if self.file.is_some() {
            writeln!(self.out)?;
        }
        if self.file.as_deref() != Some(key) {
            self.path(key)?;
            self.file = Some(key.to_string());
        }
        Ok(())
    }

    /// Shows the held hits of one file in blocks (see [`super::blocks`]).
    fn show_held(&mut self) -> io::Result<()> {
        let held = self.held.take();
        blocks::show(self, &held)
    }
}

impl<W: Write> ShowsBlocks for Human<W> {
    fn open_block(&mut self, key: &str) -> io::Result<()> {
        self.file_heading(key)
    }

    fn close_block(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn hit_row(&mut self, hit: &Hit) -> io::Result<()> {
        self.hit_paragraph(hit)
    }

    fn context_row(&mut self, context: &StoredParagraph) -> io::Result<()> {
        self.context(context)
    }
}

impl<W: Write> Human<W> {
    fn path(&mut self, key: &str) -> io::Result<()> {
        let style = self.styled(PATH);
        write!(self.out, "{style}")?;
        self.out.write_all(&self.options.paths.name(key))?;
        writeln!(self.out, "{style:#}")
    }
}

impl<W: Write> Human<W> {
    /// The heading of a query's answer in a batch.
    fn query_heading(&mut self, query: &str) -> io::Result<()> {
        let query = sanitize_inline(query).into_owned();
        let style = self.styled(HEADING);
        writeln!(self.out, "{style}=== {query}{style:#}")
    }
}

/// A file's hits are printed under one heading of its path, a blank line between hits and
/// between files; a file met again after another gets its heading again.
impl<W: Write> Printer for Human<W> {
    fn begin(&mut self, head: &Head<'_>) -> io::Result<()> {
        self.show_held()?;
        self.file = None;
        match head.id {
            Some(_) => self.query_heading(head.query),
            None => Ok(()),
        }
    }

    fn hit(&mut self, _head: &Head<'_>, hit: &Hit) -> io::Result<()> {
        if !self.options.neighbours {
            return self.print_hit(hit);
        }
        let earlier = self.held.hold(hit);
        blocks::show(self, &earlier)
    }

    fn answer(&mut self, answer: &Answer<'_>) -> io::Result<()> {
        self.show_held()?;
        let in_batch = answer.id.is_some();
        if in_batch && matches!(answer.outcome, Outcome::Files { .. }) {
            self.query_heading(answer.query)?;
        }
        match answer.outcome {
            Outcome::Hits { .. } => {}
            Outcome::Count { total, .. } if in_batch => {
                writeln!(self.out, "{total}\t{}", sanitize_inline(answer.query))?
            }
            Outcome::Count { total, .. } => writeln!(self.out, "{total}")?,
            Outcome::Files { files, .. } => {
                for file in files {
                    self.path(&file.path)?;
                }
            }
            // Errors and warnings go to stderr; the binary writes them.
            Outcome::Error(_) => {}
        }
        if in_batch && matches!(answer.outcome, Outcome::Hits { .. } | Outcome::Files { .. }) {
            writeln!(self.out)?;
        }
        self.out.flush()
    }

    fn finish(&mut self, _batch: Option<&BatchSummary>) -> io::Result<()> {
        self.show_held()?;
        self.out.flush()
    }
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)] // one-highlight hits are the common case here
mod tests {
    use super::*;

    fn hit(path: &str, paragraph: u64, text: &str, highlights: Vec<std::ops::Range<usize>>) -> Hit {
        Hit {
            rank: 0,
            score: 1.0,
            key: path.into(),
            paragraph,
            line: paragraph,
            byte_offset: 0,
            char_offset: 0,
            page: None,
            text: text.into(),
            section: None,
            title: None,
            collection: None,
            highlights: highlights
                .into_iter()
                .map(|range| Highlight {
                    range,
                    term: "t".into(),
                })
                .collect(),
            title_highlights: Vec::new(),
            before: Vec::new(),
            after: Vec::new(),
            explanation: None,
            file_as_indexed: true,
            stale: None,
        }
    }

    fn render_with(hits: Vec<Hit>, marking: Marking, max_chars: Option<usize>) -> String {
        render_colored(hits, marking, max_chars, true)
    }

    fn render_colored(
        hits: Vec<Hit>,
        marking: Marking,
        max_chars: Option<usize>,
        colored: bool,
    ) -> String {
        let mut out = Vec::new();
        let results = crate::search::SearchResults {
            hits,
            ..Default::default()
        };
        let options = HumanOptions {
            paths: PathDisplay::default(),
            marking,
            max_chars,
            colored,
            score: false,
            neighbours: false,
        };
        let mut printer = Human::new(&mut out, options);
        super::super::print_results(&mut printer, (None, "q"), 0.0, &results).unwrap();
        printer.finish(None).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn render(hits: Vec<Hit>) -> String {
        render_with(hits, Marking::Ansi, None)
    }

    #[test]
    fn a_files_hits_in_a_row_share_one_heading() {
        let text = render(vec![
            hit("/b", 2, "two", vec![]),
            hit("/b", 5, "five", vec![]),
            hit("/a", 1, "one", vec![]),
            hit("/b", 7, "seven", vec![]),
        ]);
        let plain = anstream::adapter::strip_str(&text).to_string();
        assert_eq!(
            plain,
            "/b\n¶2, line 2: two\n\n¶5, line 5: five\n\n/a\n¶1, line 1: one\n\n/b\n¶7, line 7: seven\n"
        );
    }

    #[test]
    fn matches_are_styled_and_document_escapes_neutralised() {
        let text = render(vec![hit("/a", 1, "x \x1b[2J nuclear", vec![7..14])]);
        assert!(text.contains(&format!("{MATCH}nuclear{MATCH:#}")));
        assert!(text.contains("x \\u{1b}[2J "));
        assert!(!text.contains("\x1b[2J"));
    }

    #[test]
    fn without_colour_no_escape_is_written_and_the_text_is_the_same() {
        let hits = || {
            let mut with_context = hit("/a", 2, "x \x1b[2J nuclear", vec![7..14]);
            with_context.before = vec![StoredParagraph {
                paragraph: 1,
                line: 1,
                byte_offset: 0,
                char_offset: 0,
                page: None,
                text: "first".into(),
                section: None,
                title: None,
            }];
            vec![with_context, hit("/b", 1, "two", vec![0..3])]
        };
        let plain = render_colored(hits(), Marking::Ansi, None, false);
        assert!(!plain.contains('\x1b'), "{plain:?}");
        let colored = render_colored(hits(), Marking::Ansi, None, true);
        assert_ne!(plain, colored);
        assert_eq!(plain, anstream::adapter::strip_str(&colored).to_string());
    }

    #[test]
    fn markers_and_no_marking() {
        let markers = Marking::Markers {
            open: "**".into(),
            close: "**".into(),
        };
        let range = std::ops::Range { start: 4, end: 9 };
        let text = render_with(
            vec![hit("/a", 1, "the alpha way", vec![range.clone()])],
            markers,
            None,
        );
        assert!(anstream::adapter::strip_str(&text)
            .to_string()
            .ends_with(": the **alpha** way\n"));
        let text = render_with(
            vec![hit("/a", 1, "the alpha way", vec![range])],
            Marking::None,
            None,
        );
        assert!(anstream::adapter::strip_str(&text)
            .to_string()
            .ends_with(": the alpha way\n"));
    }

    #[test]
    fn context_paragraphs_are_dimmed_and_marked_with_a_dash() {
        let mut h = hit("/a", 2, "middle", vec![]);
        h.before.push(StoredParagraph {
            paragraph: 1,
            line: 1,
            byte_offset: 0,
            char_offset: 0,
            page: None,
            text: "first".into(),
            section: None,
            title: None,
        });
        let text = render(vec![h]);
        assert!(text.contains(&format!(
            "{CONTEXT}¶1, line 1-{CONTEXT:#} {CONTEXT}first{CONTEXT:#}"
        )));
        let plain = anstream::adapter::strip_str(&text).to_string();
        assert_eq!(plain, "/a\n¶1, line 1- first\n¶2, line 2: middle\n");
    }

    #[test]
    fn long_paragraphs_become_snippets_unless_whole_ones_are_asked_for() {
        let long = format!("{} target {}", "word ".repeat(100), "word ".repeat(100));
        let start = long.find("target").unwrap();
        let h = || hit("/a", 1, &long, vec![start..start + 6]);
        let snippet =
            anstream::adapter::strip_str(&render_with(vec![h()], Marking::Ansi, Some(60)))
                .to_string();
        let line = snippet.lines().nth(1).unwrap();
        assert!(line.contains("…") && line.contains("target"), "{line}");
        assert!(line.chars().count() < 90, "{line}");
        let whole =
            anstream::adapter::strip_str(&render_with(vec![h()], Marking::Ansi, None)).to_string();
        assert!(whole.contains(&long));
    }
}
