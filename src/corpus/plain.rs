//! Splitting a document's text into paragraphs.
//!
//! A file that contains at least one blank line (empty or only whitespace) is split into runs of
//! non-blank lines. A file with no blank line at all (one paragraph per line, like the essay) is
//! split into its lines. Line endings are `\n` or `\r\n`, or `\r` alone in a text with no `\n` at
//! all (the classic Mac OS's, whose lines an editor such as Vim shows as one: their paragraphs are
//! all on line 1, as their columns count from the file's start); a paragraph's text never
//! includes the line ending after its last line, but keeps the ones between its lines byte for
//! byte, so that `&text[p.start..p.start + p.text.len()] == p.text` always holds.

/// One paragraph of a document, borrowing its text from the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlainParagraph<'a> {
    /// 1-based number of the paragraph in the document, in text order.
    pub number: u64,
    /// 1-based line number where the paragraph starts.
    pub line: u64,
    /// Byte offset of the paragraph's first byte in the text that was split.
    pub start: usize,
    /// The paragraph's exact text, without the final line ending.
    pub text: &'a str,
}

/// One line of the text: its byte range without the terminator.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
}

/// The lines of a text, excluding `\n` / `\r\n` terminators (or `\r` ones, in a text of `\r`
/// line endings).
#[derive(Debug, Clone)]
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// The byte that ends a line: `\n`, or `\r` in a text that has no `\n`.
    ending: u8,
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        let bytes = self.bytes;
        if self.pos >= bytes.len() {
            return None;
        }
        let start = self.pos;
        let (end, next) = match memchr::memchr(self.ending, &bytes[start..]) {
            Some(i) => (start + i, start + i + 1),
            None => (bytes.len(), bytes.len()),
        };
        self.pos = next;
        let end = if end > start && bytes[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        Some(Line { start, end })
    }
}

fn lines(text: &str) -> Lines<'_> {
    let bytes = text.as_bytes();
    let cr_only = memchr::memchr(b'\n', bytes).is_none() && memchr::memchr(b'\r', bytes).is_some();
    Lines {
        bytes,
        pos: 0,
        ending: if cr_only { b'\r' } else { b'\n' },
    }
}

fn is_blank(line: &str) -> bool {
    line.chars().all(char::is_whitespace)
}

/// Splits a document's text into paragraphs (see the module docs for the rules), all at once.
#[cfg(test)]
pub fn split(text: &str) -> Vec<PlainParagraph<'_>> {
    PlainParagraphs::new(text).collect()
}

/// A document's paragraphs, found as they are taken (so a text of millions of paragraphs is
/// never held as a list of them); the same as [`split`].
#[derive(Debug, Clone)]
pub struct PlainParagraphs<'a> {
    text: &'a str,
    lines: Lines<'a>,
    /// Paragraphs are runs of non-blank lines (else each line is one).
    has_blank_line: bool,
    /// Lines read so far.
    line_number: u64,
    /// Paragraphs given so far.
    given: u64,
    /// The paragraph being gathered: its first line's number and its range so far.
    current: Option<(u64, Line)>,
}

impl<'a> PlainParagraphs<'a> {
    /// The paragraphs of `text`.
    pub fn new(text: &'a str) -> PlainParagraphs<'a> {
        PlainParagraphs {
            text,
            lines: lines(text),
            has_blank_line: lines(text).any(|l| is_blank(&text[l.start..l.end])),
            line_number: 0,
            given: 0,
            current: None,
        }
    }

    /// The same paragraphs again, from the start of the text.
    pub fn restarted(&self) -> PlainParagraphs<'a> {
        PlainParagraphs {
            text: self.text,
            lines: lines(self.text),
            has_blank_line: self.has_blank_line,
            line_number: 0,
            given: 0,
            current: None,
        }
    }

    fn paragraph(&mut self, first_line: u64, range: Line) -> PlainParagraph<'a> {
        self.given += 1;
        PlainParagraph {
            number: self.given,
            line: first_line,
            start: range.start,
            text: &self.text[range.start..range.end],
        }
    }
}

impl<'a> Iterator for PlainParagraphs<'a> {
    type Item = PlainParagraph<'a>;

    fn next(&mut self) -> Option<PlainParagraph<'a>> {
        while let Some(line) = self.lines.next() {
            // Lines ended by `\r` alone are all line 1 to an editor.
            if self.lines.ending == b'\n' || self.line_number == 0 {
                self.line_number += 1;
            }
            if is_blank(&self.text[line.start..line.end]) {
                if let Some((first, range)) = self.current.take() {
                    return Some(self.paragraph(first, range));
                }
                continue;
            }
            match self.current.take() {
                Some((first, range)) if self.has_blank_line => {
                    let range = Line {
                        start: range.start,
                        end: line.end,
                    };
                    self.current = Some((first, range));
                }
                Some((first, range)) => {
                    self.current = Some((self.line_number, line));
                    return Some(self.paragraph(first, range));
                }
                None => self.current = Some((self.line_number, line)),
            }
        }
        let (first, range) = self.current.take()?;
        Some(self.paragraph(first, range))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn summary(text: &str) -> Vec<(u64, u64, usize, &str)> {
        split(text)
            .into_iter()
            .map(|p| (p.number, p.line, p.start, p.text))
            .collect()
    }

    #[test]
    fn without_blank_lines_each_line_is_a_paragraph() {
        assert_eq!(
            summary("one\ntwo\nthree"),
            [(1, 1, 0, "one"), (2, 2, 4, "two"), (3, 3, 8, "three")]
        );
    }

    #[test]
    fn blank_lines_separate_runs_of_lines() {
        assert_eq!(
            summary("a\nb\n\n  \nc\n"),
            [(1, 1, 0, "a\nb"), (2, 5, 8, "c")]
        );
    }

    #[test]
    fn crlf_endings_are_not_part_of_the_text() {
        assert_eq!(
            summary("a\r\nb\r\n\r\nc\r\n"),
            [(1, 1, 0, "a\r\nb"), (2, 4, 8, "c")]
        );
        assert_eq!(summary("x\r\ny\r\n"), [(1, 1, 0, "x"), (2, 2, 3, "y")]);
    }

    #[test]
    fn classic_mac_endings_part_lines_and_paragraphs_on_line_one() {
        assert_eq!(
            summary("first para\rstill first\r\rsecond\r"),
            [(1, 1, 0, "first para\rstill first"), (2, 1, 24, "second")]
        );
        assert_eq!(summary("one\rtwo"), [(1, 1, 0, "one"), (2, 1, 4, "two")]);
        // A `\r` in a text of `\n` lines ends no line.
        assert_eq!(summary("a\rb\nc"), [(1, 1, 0, "a\rb"), (2, 2, 4, "c")]);
    }

    #[test]
    fn empty_and_blank_documents_have_no_paragraphs() {
        assert!(split("").is_empty());
        assert!(split("\n\n \t\n").is_empty());
    }

    #[test]
    fn unicode_text_keeps_byte_offsets() {
        assert_eq!(
            summary("Grüße\nWelt ü"),
            [(1, 1, 0, "Grüße"), (2, 2, 8, "Welt ü")]
        );
    }

    proptest! {
        #[test]
        fn paragraphs_are_exact_ordered_slices(text in "(\\PC{0,8}|\r?\n|\r|[ \t]){0,40}") {
            let paragraphs = split(&text);
            let mut previous_end = 0;
            for (i, p) in paragraphs.iter().enumerate() {
                prop_assert_eq!(p.number, i as u64 + 1);
                prop_assert!(p.start >= previous_end);
                prop_assert_eq!(&text[p.start..p.start + p.text.len()], p.text);
                prop_assert!(!is_blank(p.text.lines().next().unwrap_or("")));
                prop_assert!(!p.text.ends_with('\n'));
                // A `\r` ends a line only where no `\n` does (else one before `\n` does).
                let cr_only = !text.contains('\n');
                let line_end = !cr_only && text[p.start + p.text.len()..].starts_with('\n');
                prop_assert!(!(p.text.ends_with('\r') && (cr_only || line_end)));
                let line = text[..p.start].matches('\n').count() as u64 + 1;
                prop_assert_eq!(p.line, line);
                previous_end = p.start + p.text.len();
            }
        }
    }
}
