//! JSON Lines collections (`ingest --jsonl`): each line is a record `{"id", "title", "text"}`
//! (BEIR's `_id` is accepted for `id`), and each record is a document of its own whose paragraphs
//! are found in `text`. Offsets of its paragraphs are offsets into that `text`. Records are read
//! one line at a time ([`Records`]), none longer than [`MAX_RECORD_BYTES`]; ids are unique, the
//! last record with an id replacing the earlier ones ([`Ids`]).

use std::collections::HashMap;
use std::io::{self, BufRead};

use serde::Deserialize;

use super::bounded::read_line_bounded;
use crate::warning::FileProblem;

/// The longest line (record) of a JSON Lines collection, in bytes: a longer one is skipped
/// with a [`FileProblem::LongRecord`] and never held whole.
pub const MAX_RECORD_BYTES: usize = 64 << 20;

/// One line of a JSON Lines file, as written.
#[derive(Debug, Deserialize)]
struct Line {
    #[serde(alias = "_id")]
    id: serde_json::Value,
    #[serde(default)]
    title: Option<String>,
    /// (`null` as none.)
    #[serde(default)]
    text: Option<String>,
}

/// A record, read.
#[derive(Debug)]
pub struct Record {
    /// The 1-based line it is on.
    pub line: usize,
    /// The record's id, as text.
    pub id: String,
    /// Its title, unless blank.
    pub title: Option<String>,
    /// Its text, whose paragraphs are its paragraphs.
    pub text: String,
    /// Its line was not valid UTF-8 (invalid bytes read as U+FFFD).
    pub lossy: bool,
}

/// The records of a JSON Lines input, read one line at a time.
pub struct Records<R> {
    input: R,
    limit: usize,
    line: Vec<u8>,
    number: usize,
}

impl<R: BufRead> Records<R> {
    /// The records of `input`, lines over [`MAX_RECORD_BYTES`] skipped.
    pub fn new(input: R) -> Records<R> {
        Records::with_limit(input, MAX_RECORD_BYTES)
    }

    fn with_limit(input: R, limit: usize) -> Records<R> {
        Records {
            input,
            limit,
            line: Vec::new(),
            number: 0,
        }
    }

    /// The next record, or what is wrong with the next non-blank line: a
    /// [`FileProblem::BadRecord`] for a line that is not a record, a
    /// [`FileProblem::LongRecord`] for one over the limit. `None` at the end of the input.
    pub fn next_record(&mut self) -> io::Result<Option<Result<Record, FileProblem>>> {
        loop {
            self.line.clear();
            let Some(whole) = read_line_bounded(&mut self.input, &mut self.line, self.limit)?
            else {
                return Ok(None);
            };
            self.number += 1;
            let line = self.number;
            if !whole {
                let limit = self.limit;
                return Ok(Some(Err(FileProblem::LongRecord { line, limit })));
            }
            let text = String::from_utf8_lossy(&self.line);
            let lossy = matches!(text, std::borrow::Cow::Owned(_));
            // A UTF-8 byte-order mark before the first line is no part of it.
            let text = match line {
                1 => text.strip_prefix('\u{FEFF}').unwrap_or(&text),
                _ => &text,
            };
            let text = text.strip_suffix('\n').unwrap_or(text);
            let text = text.strip_suffix('\r').unwrap_or(text);
            if text.trim().is_empty() {
                continue;
            }
            let bad = |reason: String| FileProblem::BadRecord { line, reason };
            return Ok(Some(match serde_json::from_str::<Line>(text) {
                Ok(record) => match record_id(record.id) {
                    Ok(id) => Ok(Record {
                        line,
                        id,
                        title: record.title.filter(|t| !t.trim().is_empty()),
                        text: record.text.unwrap_or_default(),
                        lossy,
                    }),
                    Err(reason) => Err(bad(reason)),
                },
                // serde's words for a record with both names of its id.
                Err(err) if err.to_string().starts_with("duplicate field `id`") => Err(bad(
                    "it names its id twice (`id` and `_id`, or `id` twice): give one".into(),
                )),
                Err(err) => Err(bad(err.to_string())),
            }));
        }
    }
}

/// A record's id as text: a string as it is, a number as JSON writes it; any other value (a
/// `null` would stand for no id, and collide with the id `"null"`) is refused, with why.
fn record_id(id: serde_json::Value) -> Result<String, String> {
    match id {
        serde_json::Value::String(id) => Ok(id),
        serde_json::Value::Number(number) => Ok(number.to_string()),
        other => {
            let kind = match other {
                serde_json::Value::Null => "null",
                serde_json::Value::Bool(_) => "true or false",
                serde_json::Value::Array(_) => "an array",
                _ => "an object",
            };
            Err(format!(
                "its id is {kind}: give each record a string or number id"
            ))
        }
    }
}

/// The 1-based line of each record of the collection at `path` (read decompressed when it is
/// `.gz`), by id; the last line of an id given twice, whose record the index keeps.
pub fn record_lines(path: &std::path::Path) -> io::Result<HashMap<String, u64>> {
    let file = std::fs::File::open(path)?;
    let input: Box<dyn io::Read> = match super::is_compressed(path) {
        true => Box::new(super::gunzip(io::BufReader::new(file))),
        false => Box::new(file),
    };
    let mut records = Records::new(io::BufReader::with_capacity(64 << 10, input));
    let mut lines = HashMap::new();
    while let Some(next) = records.next_record()? {
        if let Ok(record) = next {
            lines.insert(record.id, record.line as u64);
        }
    }
    Ok(lines)
}

/// The ids of a collection's records seen so far: when an id comes again, the later record
/// replaces the earlier one (last wins, as a re-ingest would).
#[derive(Debug, Default)]
pub struct Ids {
    /// Per id, the line of its record and how many paragraphs it gave.
    seen: HashMap<String, (usize, u64)>,
}

/// A record an id's later record replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replaced {
    /// The line it was on.
    pub line: usize,
    /// How many paragraphs it gave.
    pub paragraphs: u64,
}

impl Ids {
    /// Notes `record`; returns the record it replaces, if any, and the
    /// [`FileProblem::RepeatedRecord`] that says so.
    pub fn see(&mut self, record: &Record) -> Option<(Replaced, FileProblem)> {
        let (line, paragraphs) = self.seen.insert(record.id.clone(), (record.line, 0))?;
        let problem = FileProblem::RepeatedRecord {
            line: record.line,
            id: record.id.clone(),
            earlier: line,
        };
        Some((Replaced { line, paragraphs }, problem))
    }

    /// Notes that the record last seen with `id` gave `paragraphs`.
    pub fn gave(&mut self, id: &str, paragraphs: u64) {
        if let Some(seen) = self.seen.get_mut(id) {
            seen.1 = paragraphs;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record and problem of `text`, in order, read with lines of at most `limit` bytes.
    fn read(text: &str, limit: usize) -> Vec<Result<Record, FileProblem>> {
        let mut records = Records::with_limit(text.as_bytes(), limit);
        std::iter::from_fn(|| records.next_record().unwrap()).collect()
    }

    #[test]
    fn records_are_read_line_by_line() {
        let text = "{\"_id\": \"4983\", \"title\": \"Microstructural development\", \"text\": \"Alterations of the architecture.\\n\\nSecond part.\"}\n\n{\"id\": 7, \"text\": \"x\", \"title\": \" \"}\r\nnot json\n";
        let read = read(text, MAX_RECORD_BYTES);
        assert_eq!(read.len(), 3);
        let first = read[0].as_ref().unwrap();
        assert_eq!((first.line, first.id.as_str()), (1, "4983"));
        assert_eq!(first.title.as_deref(), Some("Microstructural development"));
        assert_eq!(
            first.text,
            "Alterations of the architecture.\n\nSecond part."
        );
        let second = read[1].as_ref().unwrap();
        assert_eq!(
            (second.line, second.id.as_str(), second.title.as_deref()),
            (3, "7", None)
        );
        assert!(matches!(
            read[2],
            Err(FileProblem::BadRecord { line: 4, .. })
        ));
    }

    #[test]
    fn ids_are_strings_or_numbers_and_a_null_text_is_empty() {
        let text = "{\"id\": null, \"text\": \"a\"}\n{\"id\": \"null\", \"text\": null}\n\
                    {\"id\": true, \"text\": \"b\"}\n{\"id\": 1, \"_id\": 2, \"text\": \"c\"}\n\
                    {\"id\": 1.5, \"title\": null, \"text\": \"d\"}\n";
        let read = read(text, MAX_RECORD_BYTES);
        let reason = |at: usize| match &read[at] {
            Err(FileProblem::BadRecord { reason, .. }) => reason.clone(),
            other => format!("{other:?}"),
        };
        assert_eq!(
            reason(0),
            "its id is null: give each record a string or number id"
        );
        let named_null = read[1].as_ref().unwrap();
        assert_eq!(
            (named_null.id.as_str(), named_null.text.as_str()),
            ("null", "")
        );
        assert_eq!(
            reason(2),
            "its id is true or false: give each record a string or number id"
        );
        assert_eq!(
            reason(3),
            "it names its id twice (`id` and `_id`, or `id` twice): give one"
        );
        let number = read[4].as_ref().unwrap();
        assert_eq!((number.id.as_str(), number.title.as_deref()), ("1.5", None));
    }

    #[test]
    fn a_byte_order_mark_before_the_first_record_is_left_out() {
        let records = read(
            "\u{FEFF}{\"id\":\"one\",\"text\":\"first\"}\n{\"id\":2,\"text\":\"b\"}\n",
            1 << 20,
        );
        let ids: Vec<String> = records.into_iter().map(|r| r.unwrap().id).collect();
        assert_eq!(ids, ["one", "2"]);
    }

    #[test]
    fn a_line_over_the_limit_is_skipped_and_the_next_read() {
        let long = format!("{{\"id\": \"big\", \"text\": \"{}\"}}", "x".repeat(100));
        let text = format!("{long}\n{{\"id\": \"small\", \"text\": \"y\"}}\n");
        let read = read(&text, 64);
        assert!(matches!(
            read[0],
            Err(FileProblem::LongRecord { line: 1, limit: 64 })
        ));
        assert_eq!(read[1].as_ref().map(|r| r.id.as_str()).ok(), Some("small"));
        assert_eq!(read.len(), 2);
    }

    #[test]
    fn a_repeated_id_replaces_the_earlier_record() {
        let text = "{\"id\": \"a\", \"text\": \"first\"}\n{\"id\": \"b\", \"text\": \"other\"}\n{\"id\": \"a\", \"text\": \"second\"}\n{\"id\": \"a\", \"text\": \"third\"}\n";
        let mut ids = Ids::default();
        let mut messages = Vec::new();
        let mut replaced = Vec::new();
        for record in read(text, MAX_RECORD_BYTES) {
            let record = record.unwrap();
            if let Some((earlier, problem)) = ids.see(&record) {
                replaced.push(earlier);
                messages.push(problem.to_string());
            }
            ids.gave(&record.id, record.line as u64 * 10);
        }
        assert_eq!(
            replaced,
            [
                Replaced {
                    line: 1,
                    paragraphs: 10
                },
                Replaced {
                    line: 3,
                    paragraphs: 30
                }
            ]
        );
        assert_eq!(
            messages,
            [
                "line 3: record id \"a\" is also on line 1; the later record replaces the earlier",
                "line 4: record id \"a\" is also on line 3; the later record replaces the earlier",
            ]
        );
    }
}
