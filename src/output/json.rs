//! Output for programs: JSON Lines, one object per line.
//!
//! Every record has a `"type"`. One `hit` record per hit, best first:
//!
//! ```json
//! {"type":"hit","rank":1,"score":3.2,"path":"corpus/a.txt","paragraph":6,"line":6,
//!  "byte_offset":2741,"text":"…","highlights":[{"start":10,"end":24}]}
//! ```
//!
//! `path` is shown relative to the current directory when the file lies under it, else absolute.
//! `byte_offset` is the paragraph's first byte in the file; `highlights` are half-open UTF-8 byte
//! ranges into `text`, sorted and non-overlapping. The last record is always the summary:
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
use crate::search::{Hit, SearchResults};

/// Version of the JSON Lines schema, reported in every summary.
pub const SCHEMA_VERSION: u32 = 1;

/// The JSON Lines printer.
pub struct Json<W> {
    out: W,
    paths: PathDisplay,
}

#[derive(Serialize)]
struct Span {
    start: usize,
    end: usize,
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
        highlights: Vec<Span>,
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
            highlights: hit
                .highlights
                .iter()
                .map(|r| Span {
                    start: r.start,
                    end: r.end,
                })
                .collect(),
        }
    }
}

impl<W: Write> Printer for Json<W> {
    fn print(&mut self, results: &SearchResults, summary: &Summary<'_>) -> io::Result<()> {
        for hit in &results.hits {
            let record = self.hit_record(hit);
            self.record(&record)?;
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
