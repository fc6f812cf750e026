//! Output for people: hits grouped under their file path (files in the order of their best hit,
//! hits within a file by rank), each headed by its paragraph number and line, with matched words
//! styled. Styles are always written as ANSI codes; the stream the binary hands in strips them
//! when colour is off. Document text is sanitised before it is written.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::{sanitize, PathDisplay, Printer, Summary};
use crate::search::{Hit, SearchResults};

const PATH: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Magenta)));
const LOCATION: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));
const MATCH: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));

/// The human printer.
pub struct Human<W> {
    out: W,
    paths: PathDisplay,
}

impl<W: Write> Human<W> {
    /// A printer writing to `out`, showing paths with `paths`.
    pub fn new(out: W, paths: PathDisplay) -> Human<W> {
        Human { out, paths }
    }

    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        write!(
            self.out,
            "{LOCATION}¶{}, line {}:{LOCATION:#} ",
            hit.paragraph, hit.line
        )?;
        let mut at = 0;
        for range in &hit.highlights {
            let (Some(before), Some(matched)) =
                (hit.text.get(at..range.start), hit.text.get(range.clone()))
            else {
                continue;
            };
            write!(self.out, "{}", sanitize(before))?;
            write!(self.out, "{MATCH}{}{MATCH:#}", sanitize(matched))?;
            at = range.end;
        }
        writeln!(
            self.out,
            "{}",
            sanitize(hit.text.get(at..).unwrap_or_default())
        )
    }
}

/// Hits grouped by file: files in the order of their best hit.
fn group_by_path(hits: &[Hit]) -> Vec<(&str, Vec<&Hit>)> {
    let mut groups: Vec<(&str, Vec<&Hit>)> = Vec::new();
    for hit in hits {
        match groups.iter_mut().find(|(path, _)| *path == hit.path) {
            Some((_, group)) => group.push(hit),
            None => groups.push((&hit.path, vec![hit])),
        }
    }
    groups
}

impl<W: Write> Printer for Human<W> {
    fn print(&mut self, results: &SearchResults, _summary: &Summary<'_>) -> io::Result<()> {
        for (i, (path, hits)) in group_by_path(&results.hits).into_iter().enumerate() {
            if i > 0 {
                writeln!(self.out)?;
            }
            let shown = sanitize(self.paths.show(path)).into_owned();
            writeln!(self.out, "{PATH}{shown}{PATH:#}")?;
            for (j, hit) in hits.into_iter().enumerate() {
                if j > 0 {
                    writeln!(self.out)?;
                }
                self.hit(hit)?;
            }
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(path: &str, paragraph: u64, text: &str, highlights: Vec<std::ops::Range<usize>>) -> Hit {
        Hit {
            rank: 0,
            score: 1.0,
            path: path.into(),
            paragraph,
            line: paragraph,
            byte_offset: 0,
            text: text.into(),
            highlights,
        }
    }

    fn render(hits: Vec<Hit>) -> String {
        let mut out = Vec::new();
        let results = SearchResults {
            hits,
            total: 0,
            dropped: vec![],
        };
        let summary = Summary {
            query: "q",
            elapsed_ms: 0.0,
        };
        Human::new(&mut out, PathDisplay::default())
            .print(&results, &summary)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn hits_are_grouped_by_file_in_order_of_best_hit() {
        let text = render(vec![
            hit("/b", 2, "two", vec![]),
            hit("/a", 1, "one", vec![]),
            hit("/b", 5, "five", vec![]),
        ]);
        let plain = anstream::adapter::strip_str(&text).to_string();
        assert_eq!(
            plain,
            "/b\n¶2, line 2: two\n\n¶5, line 5: five\n\n/a\n¶1, line 1: one\n"
        );
    }

    #[test]
    fn matches_are_styled_and_document_escapes_neutralised() {
        let text = render(vec![hit(
            "/a",
            1,
            "x \x1b[2J nuclear",
            vec![std::ops::Range { start: 7, end: 14 }],
        )]);
        assert!(text.contains(&format!("{MATCH}nuclear{MATCH:#}")));
        assert!(text.contains("x \\u{1b}[2J "));
        assert!(!text.contains("\x1b[2J"));
    }
}
