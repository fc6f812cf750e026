//! Printers: turning search results into output for people ([`Human`]), programs ([`Json`]) or
//! web pages ([`Html`]). Printers write to any `io::Write` and never query; the binary decides
//! where output goes and whether it is coloured. Byte offsets become character offsets, paths
//! become display paths, and document text is made safe here, at the edge.

mod blocks;
mod html;
mod human;
pub mod inspect;
mod json;
pub mod report;
mod sanitize;
#[cfg(feature = "internals")]
pub mod snippet;
#[cfg(not(feature = "internals"))]
pub(crate) mod snippet;
mod vimgrep;

use std::borrow::Cow;
use std::io;
use std::path::PathBuf;

pub use html::{Html, HtmlOptions};
pub use human::{Human, HumanOptions, Marking};
pub use json::{write_record, Json};
pub(crate) use sanitize::is_unsafe;
pub use sanitize::{
    one_line, sanitize, sanitize_inline, sanitize_name, sanitize_name_at, sanitize_part,
};
/// The snippet windows human output shows of a paragraph (and `--json --max-chars` gives),
/// for front-ends that show snippets their own way (the terminal UI).
pub use snippet::{windows as snippet_windows, Window as SnippetWindow};
pub use vimgrep::{location, Location, Places, Vimgrep};

use crate::index::{key_raw_bytes, key_text};
use crate::search::{FileMatch, Hit, PagePlace, SearchResults};
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
    /// What a file is now when it is not as indexed (`list`).
    pub const STATE: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Yellow)));

    /// `style` when output is `colored`, else no style at all.
    pub fn when(colored: bool, style: Style) -> Style {
        match colored {
            true => style,
            false => Style::new(),
        }
    }
}

/// What one query produced, in the form the user asked for.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    /// Ranked hits, handed to [`Printer::hit`] one by one before the answer ends.
    Hits {
        /// Hits handed over.
        shown: usize,
        /// Matching paragraphs in all.
        total: u64,
        /// Warnings about the query and the files of its hits.
        warnings: &'a [QueryWarning],
        /// How many of `warnings`, about the query, were known before the first hit (and
        /// given to [`Printer::begin`]); the rest were found as hits were loaded.
        known_before: usize,
    },
    /// Only the number of matching paragraphs (`--count`).
    Count {
        /// Matching paragraphs.
        total: u64,
        /// Warnings about the query.
        warnings: &'a [QueryWarning],
    },
    /// The files holding matches (`--files-with-matches`).
    Files {
        /// The page of files asked for, best first.
        files: &'a [FileMatch],
        /// Matching paragraphs in all files (on every page).
        total: u64,
        /// Warnings about the query, then about the files listed (changed, gone).
        warnings: &'a [QueryWarning],
        /// How many of `warnings` are about the query.
        about_query: usize,
    },
    /// The query failed; the message says why.
    Error(&'a str),
}

/// One query's answer, as printers see it.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    /// The query's id in a batch (absent for a single query).
    pub id: Option<&'a serde_json::Value>,
    /// Its line in a batch (absent for a single query).
    pub line: Option<usize>,
    /// The query as given.
    pub query: &'a str,
    /// Milliseconds spent answering it.
    pub elapsed_ms: f64,
    /// What it produced.
    pub outcome: Outcome<'a>,
    /// When nothing matched and some words are not in the index: the query with those words
    /// replaced by the closest ones that are ("did you mean").
    pub suggestion: Option<&'a str>,
}

impl Answer<'_> {
    /// The warnings this answer carries.
    pub fn warnings(&self) -> &[QueryWarning] {
        match self.outcome {
            Outcome::Hits { warnings, .. }
            | Outcome::Count { warnings, .. }
            | Outcome::Files { warnings, .. } => warnings,
            Outcome::Error(_) => &[],
        }
    }

    /// True when the query matched at least one paragraph.
    pub fn matched(&self) -> bool {
        match self.outcome {
            Outcome::Hits { total, .. } | Outcome::Count { total, .. } => total > 0,
            Outcome::Files { total, .. } => total > 0,
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

/// Which query an answer being printed is for.
#[derive(Debug, Clone, Copy)]
pub struct Head<'a> {
    /// The query's id in a batch (absent for a single query).
    pub id: Option<&'a serde_json::Value>,
    /// The query as given.
    pub query: &'a str,
    /// Warnings about the query, known before any hit (ignored words).
    pub warnings: &'a [QueryWarning],
}

/// Something that prints answers to queries. An answer of ranked hits is printed as it is
/// found: [`begin`](Printer::begin), then each [`hit`](Printer::hit) as it is loaded, then
/// [`answer`](Printer::answer) with the totals and warnings; any other answer (a count, files,
/// an error) is one call to `answer`.
pub trait Printer {
    /// Starts the answer of ranked hits to the query `head`.
    fn begin(&mut self, head: &Head<'_>) -> io::Result<()>;

    /// Prints one hit of the answer begun last. Hits come in rank order, or with each file's
    /// hits together when the search was asked for that
    /// ([`SearchConfig::files_together`](crate::search::SearchConfig::files_together)).
    fn hit(&mut self, head: &Head<'_>, hit: &Hit) -> io::Result<()>;

    /// Ends one query's answer (after its hits, if any).
    fn answer(&mut self, answer: &Answer<'_>) -> io::Result<()>;

    /// Ends the output; `batch` is given after a batch of queries.
    fn finish(&mut self, batch: Option<&BatchSummary>) -> io::Result<()>;
}

/// Prints the whole answer `results` to the query `query` (with batch id `id`, found in
/// `elapsed_ms`), its hits in the order they have and its warnings at the start.
pub fn print_results(
    printer: &mut dyn Printer,
    (id, query): (Option<&serde_json::Value>, &str),
    elapsed_ms: f64,
    results: &SearchResults,
) -> io::Result<()> {
    let head = Head {
        id,
        query,
        warnings: &results.warnings,
    };
    printer.begin(&head)?;
    for hit in &results.hits {
        printer.hit(&head, hit)?;
    }
    printer.answer(&Answer {
        id,
        line: None,
        query,
        elapsed_ms,
        outcome: Outcome::Hits {
            shown: results.hits.len(),
            total: results.total,
            warnings: &results.warnings,
            known_before: results.warnings.len(),
        },
        suggestion: None,
    })
}

/// A printer that prints nothing (`--quiet`: only the exit status answers).
#[derive(Debug, Default)]
pub struct Discard;

impl Printer for Discard {
    fn begin(&mut self, _head: &Head<'_>) -> io::Result<()> {
        Ok(())
    }

    fn hit(&mut self, _head: &Head<'_>, _hit: &Hit) -> io::Result<()> {
        Ok(())
    }

    fn answer(&mut self, _answer: &Answer<'_>) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, _batch: Option<&BatchSummary>) -> io::Result<()> {
        Ok(())
    }
}

/// Where a paragraph is, as a reader follows it: `¶3, line 12` in a text file, `p. 12, ¶3` (its
/// page, and its number on the page) in a PDF, `¶3` in a document without lines or pages
/// (`line` 0: DOCX, ODT, EPUB).
pub fn place(paragraph: u64, line: u64, page: Option<PagePlace>) -> String {
    match (page, line) {
        (Some(page), _) => format!("p. {}, ¶{}", page.page, page.paragraph),
        (None, 0) => format!("¶{paragraph}"),
        (None, line) => format!("¶{paragraph}, line {line}"),
    }
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
    /// Whether a path is printed as its own bytes ([`PathDisplay::name`]), not UTF-8 or with
    /// control characters: for output read by programs, not a terminal, as ripgrep prints it,
    /// so a file list or a quickfix line names a file that can be opened.
    pub raw: bool,
}

impl PathDisplay {
    /// Paths shown relative to `base`, printed as readable text.
    pub fn under(base: Option<PathBuf>) -> PathDisplay {
        PathDisplay { base, raw: false }
    }

    /// The path to show for a stored path (its readable text for a path that is not UTF-8).
    pub fn show<'a>(&self, stored: &'a str) -> Cow<'a, str> {
        // By text, not by path components, which would read a record's id as more of the path
        // (`notes.jsonl#dir/` has a trailing `/` that components drop).
        let shown = |text: &'a str| match self.relative(text.as_bytes()) {
            // After a `/`, so on a character boundary.
            Some(relative) => &text[text.len() - relative.len()..],
            None => text,
        };
        match key_text(stored) {
            Cow::Borrowed(text) => Cow::Borrowed(shown(text)),
            Cow::Owned(text) => Cow::Owned(self.show(&text).into_owned()),
        }
    }

    /// A stored path as printed on one line: its [`show`](PathDisplay::show)n text made
    /// terminal-safe ([`sanitize_name`]); or, when [`raw`](PathDisplay::raw) is set (output
    /// for programs), its own bytes, relative as `show` makes it, invisible characters and all
    /// (a soft hyphen, a joiner, a directional mark: `xargs` and `vim -q` need the real name),
    /// but for a character that would act on a terminal showing it (a control: an escape
    /// sequence, a line break; a bidi override), escaped (`a\u{a}b`).
    pub fn name<'a>(&self, stored: &'a str) -> Cow<'a, [u8]> {
        let shown = self.show(stored);
        if !self.raw {
            return match sanitize_name(&shown) {
                Cow::Owned(escaped) => Cow::Owned(escaped.into_bytes()),
                Cow::Borrowed(_) => bytes_of(shown),
            };
        }
        // Controls (an escape sequence, a line break) and bidi overrides are escaped still:
        // output for programs is often read on a terminal too (`list | head`).
        if let Cow::Owned(escaped) = sanitize::sanitize_name_for_programs(&shown) {
            return Cow::Owned(escaped.into_bytes());
        }
        match key_raw_bytes(stored) {
            Some(bytes) => match self.relative(&bytes) {
                Some(relative) => Cow::Owned(relative.to_vec()),
                None => Cow::Owned(bytes),
            },
            None => bytes_of(shown),
        }
    }

    /// What follows `base/` in `path`, when `path` lies under `base`.
    fn relative<'a>(&self, path: &'a [u8]) -> Option<&'a [u8]> {
        let mut base = self.base.as_deref()?.as_os_str().as_encoded_bytes();
        while let Some(shorter) = base.strip_suffix(b"/") {
            base = shorter;
        }
        let relative = path.strip_prefix(base)?.strip_prefix(b"/")?;
        (!relative.is_empty()).then_some(relative)
    }
}

/// The bytes of a name's text.
fn bytes_of(text: Cow<'_, str>) -> Cow<'_, [u8]> {
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
        Cow::Owned(text) => Cow::Owned(text.into_bytes()),
    }
}

/// Formats nanoseconds since the epoch as a UTC date and time, `YYYY-MM-DD HH:MM:SS`.
pub(crate) fn utc_time(nanos: u64) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_the_base_are_shown_relative() {
        let display = PathDisplay::under(Some(PathBuf::from("/home/u/notes")));
        assert_eq!(display.show("/home/u/notes/a/b.txt"), "a/b.txt");
        assert_eq!(display.show("/home/u/notesx/b.txt"), "/home/u/notesx/b.txt");
        assert_eq!(display.show("/etc/x"), "/etc/x");
        // A record's id is no more path: a trailing `/` or `//` in it stays as it is.
        assert_eq!(display.show("/home/u/notes/c.jsonl#dir/"), "c.jsonl#dir/");
        assert_eq!(display.show("/home/u/notes/c.jsonl#a//b"), "c.jsonl#a//b");
        assert_eq!(display.show("/home/u/notes"), "/home/u/notes");
        let root = PathDisplay::under(Some(PathBuf::from("/")));
        assert_eq!(root.show("/etc/x"), "etc/x");
        assert_eq!(PathDisplay::default().show("/etc/x"), "/etc/x");
        assert_eq!(
            PathDisplay::default().show("/a/caf\u{FFFD}\0ff"),
            "/a/caf\u{FFFD}"
        );
    }

    #[test]
    fn a_path_that_is_not_utf8_is_named_by_its_bytes_only_when_asked_and_safe() {
        let display = PathDisplay::under(Some(PathBuf::from("/home/u")));
        let raw = PathDisplay {
            raw: true,
            ..display.clone()
        };
        let key = "/home/u/caf\u{FFFD}.txt\0{}".replace("{}", "2f686f6d652f752f636166e92e747874");
        assert_eq!(display.name(&key).as_ref(), "caf\u{FFFD}.txt".as_bytes());
        assert_eq!(raw.name(&key).as_ref(), b"caf\xe9.txt");
        let elsewhere = "/tmp/caf\u{FFFD}\0{}".replace("{}", "2f746d702f636166e9");
        assert_eq!(raw.name(&elsewhere).as_ref(), b"/tmp/caf\xe9");
        // A control or invisible character is escaped for a terminal, printed as it is for a
        // program (the name names the file); a line break is escaped for both.
        let escape = "/home/u/\u{FFFD}\u{1b}\0{}".replace("{}", "2f686f6d652f752fe91b");
        assert_eq!(display.name(&escape).as_ref(), "\u{FFFD}\\u{1b}".as_bytes());
        assert_eq!(raw.name(&escape).as_ref(), "\u{FFFD}\\u{1b}".as_bytes());
        assert_eq!(raw.name("/home/u/a\u{202e}b").as_ref(), b"a\\u{202e}b");
        let soft = "/home/u/soft\u{ad}hyphen\u{200f}.txt";
        assert_eq!(
            display.name(soft).as_ref(),
            b"soft\\u{ad}hyphen\\u{200f}.txt"
        );
        assert_eq!(
            raw.name(soft).as_ref(),
            "soft\u{ad}hyphen\u{200f}.txt".as_bytes()
        );
        assert_eq!(raw.name("/home/u/a\nb").as_ref(), b"a\\u{a}b");
        let broken = "/home/u/\u{FFFD}\n\0{}".replace("{}", "2f686f6d652f752fe90a");
        assert_eq!(raw.name(&broken).as_ref(), "\u{FFFD}\\u{a}".as_bytes());
        assert_eq!(raw.name("/home/u/ü.txt").as_ref(), "ü.txt".as_bytes());
    }

    #[test]
    fn utc_times_are_civil_dates() {
        assert_eq!(utc_time(0), "1970-01-01 00:00:00");
        assert_eq!(utc_time(951_782_400 * 1_000_000_000), "2000-02-29 00:00:00");
        assert_eq!(utc_time(1_795_000_000_123_456_789), "2026-11-18 11:06:40");
    }
}
