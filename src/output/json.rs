//! Output for programs: JSON Lines, one object per line.
//!
//! Every record has a `"type"`. One `hit` record per hit, best first:
//!
//! ```json
//! {"type":"hit","rank":1,"score":3.2,"path":"corpus/a.txt","paragraph":6,"line":6,
//!  "byte_offset":2741,"text":"…","highlights":[{"start":10,"end":24,"char_start":10,
//!  "char_end":24,"term":"\"nuclear sharing\""}]}
//! ```
//!
//! `path` is shown relative to the current directory when the file lies under it, else absolute.
//! `byte_offset` is the paragraph's first byte in the file; `highlights` are half-open ranges into
//! `text`, sorted and non-overlapping, in UTF-8 bytes (`start`, `end`) and in Unicode scalar
//! values (`char_start`, `char_end`), each naming the query word or phrase that produced it.
//! With `-A/-B/-C`, `context` records (the same location fields and `text`, plus the `rank` of
//! their hit) come just before and after their hit. The last record is always the summary:
//!
//! ```json
//! {"type":"summary","schema":1,"query":"nuclear","hits":4,"total":4,"elapsed_ms":1.2}
//! ```
//!
//! `hits` is the number of hit records printed, `total` the number of matching paragraphs.
//! Fields may be added in later versions; consumers should ignore fields they do not know.

use std::io::{self, Write};

use serde::Serialize;

use super::{PathDisplay, Printer, Summary};
use crate::highlight::Highlight;
use crate::search::{Context, Hit, SearchResults};

/// Version of the JSON Lines schema, reported in every summary.
pub const SCHEMA_VERSION: u32 = 1;

/// The JSON Lines printer.
pub struct Json<W> {
    out: W,
    paths: PathDisplay,
}

#[derive(Serialize)]
struct Span<'a> {
    start: usize,
    end: usize,
    char_start: usize,
    char_end: usize,
    term: &'a str,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Record<'a> {
    Hit {
        rank: usize,
        score: f32,
        path: &'a str,
        paragraph: u64,
        line: u64,
        byte_offset: u64,
        text: &'a str,
        highlights: Vec<Span<'a>>,
    },
    Context {
        rank: usize,
        path: &'a str,
        paragraph: u64,
        line: u64,
        byte_offset: u64,
        text: &'a str,
    },
    Summary {
        schema: u32,
        query: &'a str,
        hits: usize,
        total: u64,
        elapsed_ms: f64,
    },
}

impl<W: Write> Json<W> {
    /// A printer writing to `out`, showing paths with `paths`.
    pub fn new(out: W, paths: PathDisplay) -> Json<W> {
        Json { out, paths }
    }

    fn record(&mut self, record: &Record<'_>) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, record)?;
        self.out.write_all(b"\n")
    }

    fn hit_record<'a>(&self, hit: &'a Hit) -> Record<'a> {
        Record::Hit {
            rank: hit.rank,
            score: hit.score,
            path: self.paths.show(&hit.path),
            paragraph: hit.paragraph,
            line: hit.line,
            byte_offset: hit.byte_offset,
            text: &hit.text,
            highlights: spans(&hit.text, &hit.highlights),
        }
    }

    fn context_record<'a>(&self, hit: &'a Hit, context: &'a Context) -> Record<'a> {
        Record::Context {
            rank: hit.rank,
            path: self.paths.show(&hit.path),
            paragraph: context.paragraph,
            line: context.line,
            byte_offset: context.byte_offset,
            text: &context.text,
        }
    }
}

/// Highlights with character offsets, counted in one pass over the text.
fn spans<'a>(text: &str, highlights: &'a [Highlight]) -> Vec<Span<'a>> {
    let mut chars_before = 0;
    let mut counted_to = 0;
    let mut char_offset = |byte: usize| {
        chars_before += text.get(counted_to..byte).map_or(0, |s| s.chars().count());
        counted_to = counted_to.max(byte);
        chars_before
    };
    highlights
        .iter()
        .map(|h| Span {
            start: h.range.start,
            end: h.range.end,
            char_start: char_offset(h.range.start),
            char_end: char_offset(h.range.end),
            term: &h.term,
        })
        .collect()
}

impl<W: Write> Printer for Json<W> {
    fn print(&mut self, results: &SearchResults, summary: &Summary<'_>) -> io::Result<()> {
        for hit in &results.hits {
            for context in &hit.before {
                let record = self.context_record(hit, context);
                self.record(&record)?;
            }
            let record = self.hit_record(hit);
            self.record(&record)?;
            for context in &hit.after {
                let record = self.context_record(hit, context);
                self.record(&record)?;
            }
        }
        self.record(&Record::Summary {
            schema: SCHEMA_VERSION,
            query: summary.query,
            hits: results.hits.len(),
            total: results.total,
            elapsed_ms: (summary.elapsed_ms * 1000.0).round() / 1000.0,
        })?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_offsets_count_unicode_scalar_values() {
        let text = "Ünïcödé – 中国 and nuclear";
        let find = |w: &str| {
            let start = text.find(w).unwrap();
            Highlight {
                range: start..start + w.len(),
                term: w.into(),
            }
        };
        let highlights = [find("中国"), find("nuclear")];
        let got: Vec<(usize, usize, usize, usize)> = spans(text, &highlights)
            .iter()
            .map(|s| (s.start, s.end, s.char_start, s.char_end))
            .collect();
        assert_eq!(got, [(16, 22, 10, 12), (27, 34, 17, 24)]);
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[10..12].iter().collect::<String>(), "中国");
    }
}
