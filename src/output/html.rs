//! Output for web pages: one standalone HTML document, hits grouped by file as in human output,
//! matched words in `<mark>` (with the query part that produced them in `data-term`), context
//! paragraphs in `class="context"`. All document text is HTML-escaped; control characters are
//! shown as visible escapes first.

use std::io::{self, Write};

use super::blocks::{self, Held, ShowsBlocks};
use super::snippet;
use super::{place, sanitize_part, Answer, BatchSummary, Head, Outcome, PathDisplay, Printer};
use crate::highlight::Highlight;
use crate::search::{Hit, PagePlace, StoredParagraph};

/// Options of the HTML printer.
#[derive(Debug, Clone, Default)]
pub struct HtmlOptions {
    /// How paths are shown.
    pub paths: PathDisplay,
    /// Character budget of a hit's snippet (`--max-chars`); `None` shows whole paragraphs.
    pub max_chars: Option<usize>,
    /// Hits come with neighbouring paragraphs: each file's hits are held until its last and
    /// shown in blocks (see [`super::blocks`]).
    pub neighbours: bool,
}

/// The HTML printer.
pub struct Html<W> {
    out: W,
    options: HtmlOptions,
    started: bool,
    /// The file whose `<section>` is open.
    file: Option<String>,
    /// An answer of hits was begun and has not ended.
    in_answer: bool,
    /// Hits of one file held to be shown in blocks (with [`HtmlOptions::neighbours`]).
    held: Held,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    escape_part(text, 0..text.len())
}

/// [`escape`] of the part `range` of `text`, made safe as it shows within the whole (see
/// [`sanitize_part`]).
fn escape_part(text: &str, range: std::ops::Range<usize>) -> String {
    let clean = sanitize_part(text, range, false);
    let mut out = String::with_capacity(clean.len() + 16);
    for c in clean.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

impl<W: Write> Html<W> {
    /// A printer writing to `out`.
    pub fn new(out: W, options: HtmlOptions) -> Html<W> {
        Html {
            out,
            options,
            started: false,
            file: None,
            in_answer: false,
            held: Held::default(),
        }
    }

    /// The page head, written once, titled after the first query.
    fn start(&mut self, query: &str) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        writeln!(self.out, "<!DOCTYPE html>")?;
        writeln!(
            self.out,
            "<html><head><meta charset=\"utf-8\"><title>parafind: {}</title>",
            escape(query)
        )?;
        writeln!(self.out, "<style>mark{{font-weight:bold}} .context{{color:#777}} .location{{color:#080}}</style></head>")?;
        writeln!(self.out, "<body class=\"parafind\">")
    }

    /// The page head (once), then the query's heading in a batch.
    fn open_answer(&mut self, head: &Head<'_>) -> io::Result<()> {
        self.start(head.query)?;
        if head.id.is_some() {
            writeln!(self.out, "<h1 class=\"query\">{}</h1>", escape(head.query))?;
        }
        Ok(())
    }

    /// Closes the open file's `<section>`, if any.
    fn close_file(&mut self) -> io::Result<()> {
        match self.file.take() {
            Some(_) => writeln!(self.out, "</section>"),
            None => Ok(()),
        }
    }

    /// A hit's text, escaped, its highlights in `<mark>`: whole, or its snippet's windows
    /// (`…` where text is left out) when a budget is set.
    fn marked(&self, text: &str, highlights: &[Highlight]) -> String {
        let windows = snippet::windows_within(text, highlights, self.options.max_chars);
        let last = windows.len().saturating_sub(1);
        let mut out = String::with_capacity(text.len() + 32 * highlights.len());
        for (i, window) in windows.iter().enumerate() {
            if i > 0 {
                out.push_str(" … ");
            } else if window.cut_before {
                out.push('…');
            }
            out.push_str(&marked_range(text, highlights, window.range.clone()));
            if i == last && window.cut_after {
                out.push('…');
            }
        }
        out
    }

    /// A neighbouring paragraph: whole, or its start within the snippet budget, as text output
    /// shows it.
    fn context(&mut self, context: &StoredParagraph) -> io::Result<()> {
        let shown = self.marked(&context.text, &[]);
        writeln!(
            self.out,
            "<p class=\"context\"{}>{shown}</p>",
            data_place(context.paragraph, context.line, None, context.page),
        )
    }

    /// A hit's paragraph.
    fn hit_paragraph(&mut self, hit: &Hit) -> io::Result<()> {
        let marked = self.marked(&hit.text, &hit.highlights);
        // The title, when it holds words of the query that the text does not.
        let title = match hit.title.as_deref() {
            Some(title) if hit.title_tells_more() => format!(
                " <span class=\"title\">title “{}”</span>",
                marked_range(title, &hit.title_highlights, 0..title.len())
            ),
            _ => String::new(),
        };
        writeln!(
            self.out,
            "<p class=\"hit\" data-rank=\"{}\" data-score=\"{}\"{}><span class=\"location\">{}</span>{title} {}</p>",
            hit.rank,
            hit.score,
            data_place(hit.paragraph, hit.line, Some(hit.byte_offset), hit.page),
            place(hit.paragraph, hit.line, hit.page),
            marked
        )
    }

    /// A hit in its file's section, between its neighbours.
    fn print_hit(&mut self, hit: &Hit) -> io::Result<()> {
        self.file_section(&hit.key)?;
        for context in &hit.before {
            self.context(context)?;
        }
        self.hit_paragraph(hit)?;
        for context in &hit.after {
            self.context(context)?;
        }
        Ok(())
    }

    /// Opens the file's `<section>` unless it is the open one.
    fn file_section(&mut self, key: &str) -> io::Result<()> {
        if self.file.as_deref() == Some(key) {
            return Ok(());
        }
        self.close_file()?;
        writeln!(
            self.out,
            "<section class=\"file\"><h2 class=\"path\">{}</h2>",
            escape(&self.options.paths.show(key))
        )?;
        self.file = Some(key.to_string());
        Ok(())
    }

    /// Shows the held hits of one file in blocks, each a `<div class="block">`.
    fn show_held(&mut self) -> io::Result<()> {
        let held = self.held.take();
        blocks::show(self, &held)
    }
}

impl<W: Write> ShowsBlocks for Html<W> {
    fn open_block(&mut self, key: &str) -> io::Result<()> {
        self.file_section(key)?;
        writeln!(self.out, "<div class=\"block\">")
    }

    fn close_block(&mut self) -> io::Result<()> {
        writeln!(self.out, "</div>")
    }

    fn hit_row(&mut self, hit: &Hit) -> io::Result<()> {
        self.hit_paragraph(hit)
    }

    fn context_row(&mut self, context: &StoredParagraph) -> io::Result<()> {
        self.context(context)
    }
}

/// The text of `range`, escaped, with the highlights inside it in `<mark>`.
fn marked_range(text: &str, highlights: &[Highlight], range: std::ops::Range<usize>) -> String {
    let mut out = String::new();
    let mut at = range.start;
    for h in highlights {
        let (start, end) = (h.range.start.max(range.start), h.range.end.min(range.end));
        if start >= end || start < at {
            continue;
        }
        if text.get(at..start).is_none() || text.get(start..end).is_none() {
            continue;
        }
        out.push_str(&escape_part(text, at..start));
        out.push_str(&format!(
            "<mark data-term=\"{}\">{}</mark>",
            escape(&h.term),
            escape_part(text, start..end)
        ));
        at = end;
    }
    if text.get(at..range.end).is_some() {
        out.push_str(&escape_part(text, at..range.end));
    }
    out
}

/// A paragraph's place as data attributes: its number, and its line (and byte offset) in a
/// text file or its page in a PDF.
fn data_place(
    paragraph: u64,
    line: u64,
    byte_offset: Option<u64>,
    page: Option<PagePlace>,
) -> String {
    let mut out = format!(" data-paragraph=\"{paragraph}\"");
    if let Some(page) = page {
        out += &format!(
            " data-page=\"{}\" data-page-paragraph=\"{}\"",
            page.page, page.paragraph
        );
    }
    if line > 0 {
        out += &format!(" data-line=\"{line}\"");
        if let Some(offset) = byte_offset {
            out += &format!(" data-byte-offset=\"{offset}\"");
        }
    }
    out
}

/// A file's hits in a row share one `<section>` headed by its path.
impl<W: Write> Printer for Html<W> {
    fn begin(&mut self, head: &Head<'_>) -> io::Result<()> {
        self.show_held()?;
        self.file = None;
        self.in_answer = true;
        self.open_answer(head)
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
        self.close_file()?;
        // An answer of hits that failed half-way ends here, under the heading it has.
        if !std::mem::take(&mut self.in_answer) {
            self.open_answer(&Head {
                id: answer.id,
                query: answer.query,
                warnings: &[],
            })?;
        }
        match answer.outcome {
            Outcome::Hits { shown, total, .. } => {
                writeln!(
                    self.out,
                    "<footer class=\"summary\">{shown} of {total} matching paragraphs for <q>{}</q></footer>",
                    escape(answer.query)
                )?
            }
            Outcome::Count { total, .. } => writeln!(self.out, "<p class=\"count\">{total}</p>")?,
            Outcome::Files { files, .. } => {
                writeln!(self.out, "<ul class=\"files\">")?;
                for file in files {
                    writeln!(
                        self.out,
                        "<li>{}</li>",
                        escape(&self.options.paths.show(&file.path))
                    )?;
                }
                writeln!(self.out, "</ul>")?;
            }
            Outcome::Error(message) => {
                writeln!(self.out, "<p class=\"error\">{}</p>", escape(message))?
            }
        }
        // A saved page says what stderr said: files changed since they were indexed, words
        // left out, and "did you mean".
        let warnings = answer.warnings();
        if !warnings.is_empty() {
            writeln!(self.out, "<ul class=\"warnings\">")?;
            for warning in warnings {
                writeln!(self.out, "<li>{}</li>", escape(&warning.to_string()))?;
            }
            writeln!(self.out, "</ul>")?;
        }
        if let Some(suggestion) = answer.suggestion {
            writeln!(
                self.out,
                "<p class=\"suggestion\">did you mean: <q>{}</q></p>",
                escape(suggestion)
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, _batch: Option<&BatchSummary>) -> io::Result<()> {
        self.show_held()?;
        if self.started {
            writeln!(self.out, "</body></html>")?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_matches_marked() {
        let text = "a <b> & \"c\" \x1b[31m nuclear";
        let start = text.find("nuclear").unwrap();
        let highlights = [Highlight {
            range: start..start + 7,
            term: "<n>".into(),
        }];
        let printer = Html::new(Vec::new(), HtmlOptions::default());
        assert_eq!(
            printer.marked(text, &highlights),
            "a &lt;b&gt; &amp; &quot;c&quot; \\u{1b}[31m <mark data-term=\"&lt;n&gt;\">nuclear</mark>"
        );
    }
}
