//! Output for programs: JSON Lines, one object per line; the contract is documented in
//! `docs/json.md` (version [`SCHEMA_VERSION`]).
//!
//! Every record has a `"type"`: `hit`, `context`, `file`, `warning`, `error` or `summary`. In a
//! batch, every record of a query carries its `query_id`, and a final `summary` with `queries`,
//! `matched` and `failed` closes the output. Fields may be added in later versions; consumers
//! must ignore fields they do not know.
//!
//! Offsets: `byte_offset`/`char_offset` locate the paragraph in its file (UTF-8 bytes / Unicode
//! scalar values), with its `line`; a paragraph extracted from a document (PDF, DOCX, ODT, EPUB)
//! has none of the three, and a PDF's has `page` and `page_paragraph`; highlight `start`/`end` and `char_start`/`char_end` are half-open ranges into
//! `text`. `path` is relative to the current directory when the file lies under it; a path that is
//! not UTF-8 is shown lossily in `path` and exactly, base64-encoded, in `path_bytes`.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

use base64::Engine;
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::sanitize::SafeJson;
use super::{round_ms, Answer, BatchSummary, Head, Outcome, PathDisplay, Printer};
use crate::highlight::Highlight;
use crate::index::{doc_id, key_raw_bytes};
use crate::search::{FileMatch, Hit, PagePlace, StoredParagraph};
use crate::warning::QueryWarning;

/// Version of the JSON Lines schema, reported in every summary.
pub const SCHEMA_VERSION: u32 = 3;

/// The JSON Lines printer.
pub struct Json<W> {
    out: W,
    paths: PathDisplay,
    /// Each hit's snippet windows of about this many characters, when asked for.
    snippet_chars: Option<usize>,
}

/// A part of a hit's text worth showing (see [`super::snippet`]): byte and character ranges.
#[derive(Serialize)]
struct Snippet {
    start: usize,
    end: usize,
    char_start: usize,
    char_end: usize,
}

#[derive(Serialize)]
struct Span<'a> {
    start: usize,
    end: usize,
    char_start: usize,
    char_end: usize,
    term: &'a str,
}

/// How a file is named in every record that concerns one.
#[derive(Serialize)]
pub(super) struct FileRef<'a> {
    path: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path_bytes: Option<String>,
    doc_id: String,
}

/// Where a paragraph is in its file, and its text: its page in a PDF; its line and offsets in a
/// text file (none for a document whose paragraphs were extracted: PDF, DOCX, ODT, EPUB).
#[derive(Serialize)]
pub(super) struct Location<'a> {
    paragraph: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page_paragraph: Option<u64>,
    #[serde(flatten)]
    offsets: Option<Offsets>,
    text: &'a str,
    /// A shown or neighbouring paragraph's heading path and document title (a hit's are
    /// fields of the hit).
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
}

/// Where a paragraph of a text file starts in it.
#[derive(Serialize)]
struct Offsets {
    line: u64,
    byte_offset: u64,
    char_offset: u64,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Record<'a> {
    Hit {
        #[serde(skip_serializing_if = "Option::is_none")]
        query_id: Option<&'a Value>,
        rank: usize,
        score: f32,
        #[serde(flatten)]
        file: FileRef<'a>,
        #[serde(flatten)]
        location: Location<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        section: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        title: Option<&'a str>,
        /// With a title: its matched spans (see [`Hit::title_highlights`]).
        #[serde(skip_serializing_if = "Option::is_none")]
        title_highlights: Option<Vec<Span<'a>>>,
        highlights: Vec<Span<'a>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        snippets: Option<Vec<Snippet>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        explanation: Option<&'a crate::search::Explanation>,
    },
    Context {
        #[serde(skip_serializing_if = "Option::is_none")]
        query_id: Option<&'a Value>,
        rank: usize,
        #[serde(flatten)]
        file: FileRef<'a>,
        #[serde(flatten)]
        location: Location<'a>,
    },
    File {
        #[serde(skip_serializing_if = "Option::is_none")]
        query_id: Option<&'a Value>,
        #[serde(flatten)]
        file: FileRef<'a>,
        matches: u64,
        score: f32,
    },
    Warning {
        #[serde(skip_serializing_if = "Option::is_none")]
        query_id: Option<&'a Value>,
        #[serde(serialize_with = "display")]
        message: &'a QueryWarning,
    },
    Error {
        #[serde(skip_serializing_if = "Option::is_none")]
        query_id: Option<&'a Value>,
        query: &'a str,
        message: &'a str,
    },
    Summary {
        #[serde(skip_serializing_if = "Option::is_none")]
        query_id: Option<&'a Value>,
        schema: u32,
        query: &'a str,
        hits: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        files: Option<usize>,
        total: u64,
        elapsed_ms: f64,
        #[serde(skip_serializing_if = "Option::is_none")]
        suggestion: Option<&'a str>,
    },
    #[serde(rename = "summary")]
    Batch {
        schema: u32,
        queries: u64,
        matched: u64,
        failed: u64,
        elapsed_ms: f64,
    },
}

impl<W: Write> Json<W> {
    /// Writes an `error` record about no query (`{"type":"error","message":...}`): the HTTP
    /// API's, for a batch cut short.
    pub fn error_without_query(&mut self, message: &str) -> io::Result<()> {
        #[derive(Serialize)]
        struct ErrorRecord<'a> {
            r#type: &'static str,
            message: &'a str,
        }
        let record = ErrorRecord {
            r#type: "error",
            message,
        };
        write_record(&mut self.out, &record)?;
        self.out.flush()
    }

    /// A printer writing to `out`, showing paths with `paths`.
    pub fn new(out: W, paths: PathDisplay) -> Json<W> {
        Json {
            out,
            paths,
            snippet_chars: None,
        }
    }

    /// Also gives each hit its `snippets`: the windows of its text that the human output would
    /// show with `--max-chars max_chars` (the whole text when it is that short).
    pub fn with_snippets(mut self, max_chars: usize) -> Json<W> {
        self.snippet_chars = Some(max_chars);
        self
    }

    fn record(&mut self, record: &Record<'_>) -> io::Result<()> {
        write_record(&mut self.out, record)
    }

    fn file<'a>(&self, key: &'a str) -> FileRef<'a> {
        file_ref(&self.paths, key)
    }

    fn hit_records(&mut self, id: Option<&Value>, hit: &Hit) -> io::Result<()> {
        for context in &hit.before {
            self.context(id, hit, context)?;
        }
        let record = Record::Hit {
            query_id: id,
            rank: hit.rank,
            score: hit.score,
            file: self.file(&hit.key),
            location: Location::new(
                hit.paragraph,
                (hit.line, hit.byte_offset, hit.char_offset),
                hit.page,
                &hit.text,
            ),
            section: hit.section.as_deref(),
            title: hit.title.as_deref(),
            title_highlights: hit
                .title
                .as_deref()
                .map(|title| spans(title, &hit.title_highlights)),
            highlights: spans(&hit.text, &hit.highlights),
            snippets: self
                .snippet_chars
                .map(|max_chars| snippets(&hit.text, &hit.highlights, max_chars)),
            explanation: hit.explanation.as_ref(),
        };
        self.record(&record)?;
        for context in &hit.after {
            self.context(id, hit, context)?;
        }
        Ok(())
    }

    fn context(
        &mut self,
        id: Option<&Value>,
        hit: &Hit,
        context: &StoredParagraph,
    ) -> io::Result<()> {
        let record = Record::Context {
            query_id: id,
            rank: hit.rank,
            file: self.file(&hit.key),
            location: location(context),
        };
        self.record(&record)
    }

    fn warnings(&mut self, id: Option<&Value>, warnings: &[QueryWarning]) -> io::Result<()> {
        for message in warnings {
            self.record(&Record::Warning {
                query_id: id,
                message,
            })?;
        }
        Ok(())
    }

    fn files(&mut self, id: Option<&Value>, files: &[FileMatch]) -> io::Result<()> {
        for file in files {
            let record = Record::File {
                query_id: id,
                file: self.file(&file.path),
                matches: file.matches,
                score: file.best_score,
            };
            self.record(&record)?;
        }
        Ok(())
    }
}

/// The file fields of a record, for printers of other commands too.
pub(super) fn file_ref<'a>(paths: &PathDisplay, key: &'a str) -> FileRef<'a> {
    FileRef {
        path: paths.show(key),
        path_bytes: key_raw_bytes(key).map(|b| base64::engine::general_purpose::STANDARD.encode(b)),
        doc_id: doc_id(key),
    }
}

/// The location fields of a stored paragraph.
pub(super) fn location(context: &StoredParagraph) -> Location<'_> {
    Location {
        section: context.section.as_deref(),
        title: context.title.as_deref(),
        ..Location::new(
            context.paragraph,
            (context.line, context.byte_offset, context.char_offset),
            context.page,
            &context.text,
        )
    }
}

impl Location<'_> {
    /// Paragraph `paragraph` with its line and offsets (left out when the line is 0: an
    /// extracted document's), its page, and its text.
    fn new(
        paragraph: u64,
        (line, byte_offset, char_offset): (u64, u64, u64),
        page: Option<PagePlace>,
        text: &str,
    ) -> Location<'_> {
        Location {
            paragraph,
            page: page.map(|p| p.page),
            page_paragraph: page.map(|p| p.paragraph),
            offsets: (line > 0).then_some(Offsets {
                line,
                byte_offset,
                char_offset,
            }),
            text,
            section: None,
            title: None,
        }
    }
}

/// Character offsets of byte offsets into one text, asked for in increasing order and counted
/// in one pass over it.
struct CharOffsets<'t> {
    text: &'t str,
    counted_to: usize,
    chars_before: usize,
}

impl<'t> CharOffsets<'t> {
    fn new(text: &'t str) -> CharOffsets<'t> {
        CharOffsets {
            text,
            counted_to: 0,
            chars_before: 0,
        }
    }

    /// The character offset of `byte` (a character boundary, not before the last one asked).
    fn at(&mut self, byte: usize) -> usize {
        let counted = self.text.get(self.counted_to..byte);
        self.chars_before += counted.map_or(0, |s| s.chars().count());
        self.counted_to = self.counted_to.max(byte);
        self.chars_before
    }
}

/// Highlights with character offsets, counted in one pass over the text.
fn spans<'a>(text: &str, highlights: &'a [Highlight]) -> Vec<Span<'a>> {
    let mut chars = CharOffsets::new(text);
    highlights
        .iter()
        .map(|h| Span {
            start: h.range.start,
            end: h.range.end,
            char_start: chars.at(h.range.start),
            char_end: chars.at(h.range.end),
            term: &h.term,
        })
        .collect()
}

/// The snippet windows of a hit's text, with character offsets.
fn snippets(text: &str, highlights: &[Highlight], max_chars: usize) -> Vec<Snippet> {
    let mut chars = CharOffsets::new(text);
    super::snippet::windows(text, highlights, max_chars)
        .into_iter()
        .map(|window| Snippet {
            start: window.range.start,
            end: window.range.end,
            char_start: chars.at(window.range.start),
            char_end: chars.at(window.range.end),
        })
        .collect()
}

impl<W: Write> Printer for Json<W> {
    /// Warnings about the query come first.
    fn begin(&mut self, head: &Head<'_>) -> io::Result<()> {
        self.warnings(head.id, head.warnings)
    }

    fn hit(&mut self, head: &Head<'_>, hit: &Hit) -> io::Result<()> {
        self.hit_records(head.id, hit)
    }

    /// Files of hits or of a file list found changed since ingest are warned about after them
    /// (hits are printed as they are read); warnings about the query come first.
    fn answer(&mut self, answer: &Answer<'_>) -> io::Result<()> {
        let id = answer.id;
        let (hits, files, total) = match answer.outcome {
            Outcome::Hits {
                shown,
                total,
                warnings,
                known_before,
            } => {
                self.warnings(id, warnings.get(known_before..).unwrap_or_default())?;
                (shown, None, total)
            }
            Outcome::Count { total, warnings } => {
                self.warnings(id, warnings)?;
                (0, None, total)
            }
            Outcome::Files {
                files,
                total,
                warnings,
                about_query,
            } => {
                let (query, listed) = warnings.split_at(about_query.min(warnings.len()));
                self.warnings(id, query)?;
                self.files(id, files)?;
                self.warnings(id, listed)?;
                (0, Some(files.len()), total)
            }
            Outcome::Error(message) => {
                self.record(&Record::Error {
                    query_id: id,
                    query: answer.query,
                    message,
                })?;
                return self.out.flush();
            }
        };
        self.record(&Record::Summary {
            query_id: id,
            schema: SCHEMA_VERSION,
            query: answer.query,
            hits,
            files,
            total,
            elapsed_ms: round_ms(answer.elapsed_ms),
            suggestion: answer.suggestion,
        })?;
        // Each answer is complete on the wire before the next query is read.
        self.out.flush()
    }

    fn finish(&mut self, batch: Option<&BatchSummary>) -> io::Result<()> {
        if let Some(batch) = batch {
            self.record(&Record::Batch {
                schema: SCHEMA_VERSION,
                queries: batch.queries,
                matched: batch.matched,
                failed: batch.failed,
                elapsed_ms: round_ms(batch.elapsed_ms),
            })?;
        }
        self.out.flush()
    }
}

/// Writes one JSON object and a newline, with invisible format characters in its strings
/// escaped ([`SafeJson`]).
pub fn write_record(out: &mut impl Write, record: &impl Serialize) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, SafeJson);
    record.serialize(&mut serializer)?;
    out.write_all(b"\n")
}

/// Serialises a field as the string its `Display` writes (`#[serde(serialize_with = ..)]`), so
/// a message or a path is written straight into the record.
pub(super) fn display<T: fmt::Display, S: Serializer>(
    value: &T,
    out: S,
) -> Result<S::Ok, S::Error> {
    out.collect_str(value)
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

    #[test]
    fn warnings_are_records_with_their_message() {
        let mut out = Vec::new();
        let mut printer = Json::new(&mut out, PathDisplay::default());
        let results = crate::search::SearchResults {
            warnings: vec![QueryWarning::IgnoredWord { word: "—".into() }],
            ..Default::default()
        };
        let id = Value::from(3);
        super::super::print_results(&mut printer, (Some(&id), "— x"), 1.5, &results).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"type\":\"warning\",\"query_id\":3,\
             \"message\":\"`—` holds no searchable word and was ignored\"}\n\
             {\"type\":\"summary\",\"query_id\":3,\"schema\":3,\"query\":\"— x\",\"hits\":0,\
             \"total\":0,\"elapsed_ms\":1.5}\n"
        );
    }

    #[test]
    fn paths_that_are_not_utf8_carry_their_exact_bytes() {
        let file = file_ref(&PathDisplay::default(), "/a/caf\u{FFFD}\0e9");
        assert_eq!(file.path, "/a/caf\u{FFFD}");
        assert_eq!(file.path_bytes.as_deref(), Some("6Q=="));
        assert!(file_ref(&PathDisplay::default(), "/a").path_bytes.is_none());
    }
}
