//! Printers: turning search results into output for people ([`human`]), programs ([`json`]) or
//! web pages ([`html`]). Printers write to any `io::Write` and never query; the binary decides
//! where output goes and whether it is coloured. Byte offsets become character offsets, paths
//! become display paths, and document text is made safe here, at the edge.

pub mod html;
pub mod human;
pub mod inspect;
pub mod json;
pub mod report;
mod sanitize;
pub mod snippet;

use std::io;
use std::path::{Path, PathBuf};

pub use html::Html;
pub use human::{Human, HumanOptions, Marking};
pub use json::Json;
pub use sanitize::{one_line, sanitize, sanitize_inline, sanitize_name};

use crate::index::key_text;
use crate::search::{FileMatch, SearchResults};
use crate::warning::QueryWarning;

/// The styles of text output, shared by the search and inspection printers.
pub(crate) mod styles {
    use anstyle::{AnsiColor, Color, Style};

    /// File paths.
    pub const PATH: Style = Style::new()
        .bold()
        .fg_color(Some(Color::Ansi(AnsiColor::Magenta)));
    /// `¶6, line 6:` headings.
    pub const LOCATION: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Green)));
    /// Matched words.
    pub const MATCH: Style = Style::new()
        .bold()
        .fg_color(Some(Color::Ansi(AnsiColor::Red)));
    /// Context paragraphs.
    pub const CONTEXT: Style = Style::new().dimmed();
    /// Batch query headings.
    pub const HEADING: Style = Style::new().bold();
}

/// What one query produced, in the form the user asked for.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    /// Ranked hits.
    Hits(&'a SearchResults),
    /// Only the number of matching paragraphs (`--count`).
    Count {
        /// Matching paragraphs.
        total: u64,
        /// Warnings about the query.
        warnings: &'a [QueryWarning],
    },
    /// The files holding matches (`--files-with-matches`).
    Files {
        /// Files, best first.
        files: &'a [FileMatch],
        /// Warnings about the query.
        warnings: &'a [QueryWarning],
    },
    /// The query failed; the message says why.
    Error(&'a str),
}

/// One query's answer, as printers see it.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    /// The query's id in a batch (absent for a single query).
    pub id: Option<&'a serde_json::Value>,
    /// The query as given.
    pub query: &'a str,
    /// Milliseconds spent answering it.
    pub elapsed_ms: f64,
    /// What it produced.
    pub outcome: Outcome<'a>,
}

impl Answer<'_> {
    /// The warnings this answer carries.
    pub fn warnings(&self) -> &[QueryWarning] {
        match self.outcome {
            Outcome::Hits(results) => &results.warnings,
            Outcome::Count { warnings, .. } | Outcome::Files { warnings, .. } => warnings,
            Outcome::Error(_) => &[],
        }
    }

    /// True when the query matched at least one paragraph.
    pub fn matched(&self) -> bool {
        match self.outcome {
            Outcome::Hits(results) => results.total > 0,
            Outcome::Count { total, .. } => total > 0,
            Outcome::Files { files, .. } => !files.is_empty(),
            Outcome::Error(_) => false,
        }
    }
}

/// Totals of a batch of queries.
#[derive(Debug, Clone, Copy, Default)]
pub struct BatchSummary {
    /// Queries run.
    pub queries: u64,
    /// Queries that matched something.
    pub matched: u64,
    /// Queries that failed.
    pub failed: u64,
    /// Milliseconds for the whole batch.
    pub elapsed_ms: f64,
}

/// Something that prints answers to queries.
pub trait Printer {
    /// Prints one query's answer.
    fn answer(&mut self, answer: &Answer<'_>) -> io::Result<()>;

    /// Ends the output; `batch` is given after a batch of queries.
    fn finish(&mut self, batch: Option<&BatchSummary>) -> io::Result<()>;
}

/// Rounds milliseconds to microseconds for output.
pub fn round_ms(ms: f64) -> f64 {
    (ms * 1000.0).round() / 1000.0
}

/// How stored (absolute) paths are shown: relative to `base` when they lie under it.
#[derive(Debug, Clone, Default)]
pub struct PathDisplay {
    /// Usually the current directory.
    pub base: Option<PathBuf>,
}

impl PathDisplay {
    /// The path to show for a stored path (its readable text for a path that is not UTF-8).
    pub fn show<'a>(&self, stored: &'a str) -> &'a str {
        let stored = key_text(stored);
        let Some(base) = &self.base else {
            return stored;
        };
        match Path::new(stored).strip_prefix(base) {
            Ok(relative) if !relative.as_os_str().is_empty() => {
                // `relative` is a suffix of `stored`, so this slice is on a char boundary.
                let len = relative.as_os_str().len();
                &stored[stored.len() - len..]
            }
            _ => stored,
        }
    }
}

/// Formats nanoseconds since the epoch as a UTC date and time, `YYYY-MM-DD HH:MM:SS`.
pub fn utc_time(nanos: u64) -> String {
    let secs = nanos / 1_000_000_000;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Hits' indices grouped by file: files in the order of their best hit, hits by rank.
pub fn group_by_path(results: &SearchResults) -> Vec<(&str, Vec<usize>)> {
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut group_of: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, hit) in results.hits.iter().enumerate() {
        match group_of.get(hit.path.as_str()) {
            Some(&g) => groups[g].1.push(i),
            None => {
                group_of.insert(&hit.path, groups.len());
                groups.push((&hit.path, vec![i]));
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_the_base_are_shown_relative() {
        let display = PathDisplay {
            base: Some(PathBuf::from("/home/u/notes")),
        };
        assert_eq!(display.show("/home/u/notes/a/b.txt"), "a/b.txt");
        assert_eq!(display.show("/home/u/notesx/b.txt"), "/home/u/notesx/b.txt");
        assert_eq!(display.show("/etc/x"), "/etc/x");
        assert_eq!(PathDisplay::default().show("/etc/x"), "/etc/x");
        assert_eq!(
            PathDisplay::default().show("/a/caf\u{FFFD}\0ff"),
            "/a/caf\u{FFFD}"
        );
    }

    #[test]
    fn utc_times_are_civil_dates() {
        assert_eq!(utc_time(0), "1970-01-01 00:00:00");
        assert_eq!(utc_time(951_782_400 * 1_000_000_000), "2000-02-29 00:00:00");
        assert_eq!(utc_time(1_795_000_000_123_456_789), "2026-11-18 11:06:40");
    }
}
