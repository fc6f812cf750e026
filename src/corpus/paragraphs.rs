//! A document's paragraphs as a stream ([`Paragraphs`]): taken one at a time, over-long ones cut
//! into chunks of at most [`MAX_PARAGRAPH_BYTES`] as they are taken and numbered from 1. Plain
//! text is split as it is read, so a text of millions of paragraphs is never held as paragraphs
//! all at once; Markdown and HTML are parsed whole, then handed out one by one.

use std::borrow::Cow;

use super::plain::PlainParagraphs;
use super::{
    html, markdown, Format, PagePlace, Paragraph, ParseOptions, Parsed, MAX_PARAGRAPH_BYTES,
};

/// The paragraphs of one document, in order, and its title.
pub struct Paragraphs<'a> {
    /// The document's title (HTML `<title>`, Markdown's leading `# Title`), if it has one.
    pub title: Option<String>,
    /// Why the document was read only in part (more paragraphs than one document gives).
    pub cut_short: Option<String>,
    source: Source<'a>,
    /// A chunk's start and line are its own (false for HTML, whose text is not the source's).
    verbatim: bool,
    /// The over-long paragraph being cut.
    cutting: Option<Cutting<'a>>,
    /// Paragraphs given so far.
    given: u64,
}

/// Where the paragraphs come from.
enum Source<'a> {
    /// Plain text, split as it is read.
    Plain(PlainParagraphs<'a>),
    /// Paragraphs parsed whole, with how many they make once cut.
    Parsed(std::vec::IntoIter<Paragraph>, u64),
}

/// A paragraph about to be handed out whole or cut into chunks.
struct Cutting<'a> {
    text: Cow<'a, str>,
    index_text: Option<String>,
    section: Option<String>,
    page: Option<PagePlace>,
    /// The paragraph's line and start in the document.
    line: u64,
    start: usize,
    /// Where the next chunk starts in `text`, and its line.
    at: usize,
    at_line: u64,
}

/// The paragraphs of `text` in `format`, read with `options` (text of a document format,
/// whose paragraphs are extracted from its bytes by [`super::read`], is read as plain text).
pub fn paragraphs(format: Format, text: &str, options: ParseOptions) -> Paragraphs<'_> {
    let mut cut_short = None;
    let (title, source) = match format {
        Format::Plain | Format::Pdf | Format::Docx | Format::Odt | Format::Epub => {
            (None, Source::Plain(PlainParagraphs::new(text)))
        }
        Format::Markdown => {
            let (title, paragraphs, cut) = markdown::parse(text);
            cut_short = cut;
            (title, parsed(paragraphs))
        }
        Format::Html => {
            let (title, mut paragraphs) = html::parse(text, options.whole_html);
            if paragraphs.len() > super::MAX_DOCUMENT_PARAGRAPHS {
                paragraphs.truncate(super::MAX_DOCUMENT_PARAGRAPHS);
                cut_short = Some(super::too_many_paragraphs());
            }
            (title, parsed(paragraphs))
        }
    };
    Paragraphs {
        title,
        cut_short,
        source,
        verbatim: format != Format::Html,
        cutting: None,
        given: 0,
    }
}

impl Paragraphs<'static> {
    /// The paragraphs of a document extracted from its bytes (see [`super::read`]).
    pub fn extracted(document: Parsed) -> Paragraphs<'static> {
        Paragraphs {
            title: document.title,
            cut_short: None,
            source: parsed(document.paragraphs),
            verbatim: false,
            cutting: None,
            given: 0,
        }
    }
}

fn parsed<'a>(paragraphs: Vec<Paragraph>) -> Source<'a> {
    let total = paragraphs.iter().map(|p| chunks_in(&p.text)).sum();
    Source::Parsed(paragraphs.into_iter(), total)
}

impl Paragraphs<'_> {
    /// How many paragraphs the whole document gives (those taken already included). For plain
    /// text this splits the text again, without keeping anything.
    pub fn total(&self) -> u64 {
        match &self.source {
            Source::Plain(paragraphs) => paragraphs.restarted().map(|p| chunks_in(p.text)).sum(),
            Source::Parsed(_, total) => *total,
        }
    }
}

impl<'a> Iterator for Paragraphs<'a> {
    type Item = Paragraph;

    fn next(&mut self) -> Option<Paragraph> {
        loop {
            if let Some(cutting) = &mut self.cutting {
                if let Some(mut chunk) = cutting.next_chunk(self.verbatim) {
                    self.given += 1;
                    chunk.number = self.given;
                    return Some(chunk);
                }
                self.cutting = None;
            }
            let cutting = match &mut self.source {
                Source::Plain(paragraphs) => {
                    let p = paragraphs.next()?;
                    let place = (p.line, p.start);
                    Cutting::new(Cow::Borrowed(p.text), (None, None, None), place)
                }
                Source::Parsed(paragraphs, _) => {
                    let p = paragraphs.next()?;
                    let place = (p.line, p.start);
                    Cutting::new(Cow::Owned(p.text), (p.index_text, p.section, p.page), place)
                }
            };
            if cutting.text.len() <= MAX_PARAGRAPH_BYTES {
                self.given += 1;
                return Some(cutting.whole(self.given));
            }
            self.cutting = Some(cutting);
        }
    }
}

impl<'a> Cutting<'a> {
    /// A paragraph's text, its other text, section and page, and its line and start.
    fn new(
        text: Cow<'a, str>,
        (index_text, section, page): (Option<String>, Option<String>, Option<PagePlace>),
        (line, start): (u64, usize),
    ) -> Cutting<'a> {
        Cutting {
            text,
            index_text,
            section,
            page,
            line,
            start,
            at: 0,
            at_line: line,
        }
    }

    /// The paragraph whole, numbered `number` (its text moved, not copied, when it owns it).
    fn whole(self, number: u64) -> Paragraph {
        Paragraph {
            number,
            line: self.line,
            start: self.start,
            text: self.text.into_owned(),
            index_text: self.index_text,
            section: self.section,
            page: self.page,
        }
    }

    /// The next chunk (numbered 0), or `None` when the paragraph is used up. When `verbatim`, a
    /// chunk's start and line are its own; otherwise chunks keep the paragraph's.
    fn next_chunk(&mut self, verbatim: bool) -> Option<Paragraph> {
        let at = self.at;
        if at >= self.text.len() {
            return None;
        }
        let end = cut_point(&self.text, at);
        let piece = |s: &str| s[at..end].to_string();
        let chunk = Paragraph {
            number: 0,
            line: if verbatim { self.at_line } else { self.line },
            start: if verbatim {
                self.start + at
            } else {
                self.start
            },
            text: piece(&self.text),
            index_text: self.index_text.as_deref().map(piece),
            section: self.section.clone(),
            page: self.page,
        };
        self.at_line += self.text[at..end].matches('\n').count() as u64;
        self.at = end;
        Some(chunk)
    }
}

/// How many paragraphs `text` makes once cut.
fn chunks_in(text: &str) -> u64 {
    if text.len() <= MAX_PARAGRAPH_BYTES {
        return 1;
    }
    let (mut at, mut chunks) = (0, 0);
    while at < text.len() {
        at = cut_point(text, at);
        chunks += 1;
    }
    chunks
}

/// Where a chunk starting at `at` ends: after the last whitespace within the limit, or at the
/// limit's character boundary when there is none.
fn cut_point(text: &str, at: usize) -> usize {
    let mut limit = (at + MAX_PARAGRAPH_BYTES).min(text.len());
    if limit == text.len() {
        return limit;
    }
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    // After the last space within the limit (a no-break or an ideographic space is more than
    // one byte).
    let last_space = text[at..limit]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace());
    match last_space {
        Some((space, c)) if space > 0 => at + space + c.len_utf8(),
        _ => limit.max(at + text[at..].chars().next().map_or(1, char::len_utf8)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paragraphs_are_cut_after_spaces_of_any_width() {
        for space in ['\u{a0}', '\u{2003}', '\u{3000}', ' '] {
            for word in ["a", "ab", "日本"] {
                let text = format!("{word}{space}").repeat(MAX_PARAGRAPH_BYTES / 2);
                let mut at = 0;
                let mut cuts = 0;
                while at < text.len() {
                    let end = cut_point(&text, at);
                    assert!(text.is_char_boundary(end) && end > at);
                    assert!(end - at <= MAX_PARAGRAPH_BYTES);
                    assert!(
                        text[..end].ends_with(space) || end == text.len(),
                        "{space:?}"
                    );
                    at = end;
                    cuts += 1;
                }
                assert_eq!(chunks_in(&text), cuts);
            }
        }
    }

    #[test]
    fn the_total_counts_every_paragraph_and_chunk_whatever_was_taken() {
        let long = "lorem ".repeat(MAX_PARAGRAPH_BYTES / 6 * 3);
        let text = format!("a\n\n{long}\n\nb\n\nc\n");
        let mut stream = paragraphs(Format::Plain, &text, ParseOptions::default());
        let first = stream.next().map(|p| p.text);
        assert_eq!(first.as_deref(), Some("a"));
        let total = stream.total();
        let rest: Vec<Paragraph> = stream.collect();
        assert_eq!(total, rest.len() as u64 + 1);
        assert!(rest.len() >= 5, "{}", rest.len());
        let numbers: Vec<u64> = rest.iter().map(|p| p.number).collect();
        assert_eq!(numbers, (2..=total).collect::<Vec<u64>>());
        let markdown = paragraphs(Format::Markdown, &text, ParseOptions::default());
        assert_eq!(markdown.total(), markdown.count() as u64);
    }
}
