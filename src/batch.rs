//! The batch protocol: queries read one line at a time (a plain query, or a JSON object
//! `{"id", "query", "limit"}`), each answered by a [`Session`] as soon as it is read, and the
//! tallies of a batch. Reading never runs ahead of answering, so a program can write a query
//! and read its answer before it writes the next.
//!
//! Front-ends drive it: the binary over standard input or a file, and anything that embeds
//! parafind (a server reading a request body) the same way. A [`Runner`] answers [`Job`]s
//! with one search configuration, handing each hit to a [`Printer`] as soon as it is loaded;
//! [`run`] feeds it [`jobs`] and shows every finished [`Answer`] to the caller too (to report
//! its warnings, say). Nothing here formats output.
//!
//! ```
//! use parafind::batch::{self, Mode, Runner};
//! use parafind::index::{self, IngestOptions};
//! use parafind::output::{Json, PathDisplay};
//! use parafind::search::{SearchConfig, Session};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = std::env::temp_dir().join(format!("parafind-batch-doc-{}", std::process::id()));
//! # let _ = std::fs::remove_dir_all(&dir);
//! std::fs::create_dir_all(dir.join("docs"))?;
//! std::fs::write(dir.join("docs/a.txt"), "The treaty was signed.\n")?;
//! let index = index::open_or_create(&dir.join("index"))?;
//! index::ingest(&index, &IngestOptions::new(vec![dir.join("docs")]))?;
//!
//! let mut session = Session::new(&index)?;
//! let mut runner = Runner::new(&mut session, SearchConfig::new("", 10), Mode::Hits);
//! let body = "treaties\n{\"id\": \"b\", \"query\": \"nothing\"}\n".as_bytes();
//! let mut printer = Json::new(Vec::new(), PathDisplay::default());
//! batch::run(&mut runner, batch::jobs(body), &mut printer, |_answer| {})?;
//! let summary = runner.summary();
//! assert_eq!((summary.queries, summary.matched, summary.failed), (2, 1, 0));
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(())
//! # }
//! ```

use std::io::{self, BufRead};
use std::time::Instant;

use serde_json::Value;

use crate::corpus::read_line_bounded;
use crate::output::{one_line, Answer, BatchSummary, Head, Outcome, Printer};
use crate::search::{FileMatch, SearchConfig, Session, MAX_LIMIT};
use crate::warning::QueryWarning;

/// One query to answer: given on its own, or a line of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// Its id in a batch: the line's `id`, else its line number (none for a single query).
    pub id: Option<Value>,
    /// The query as given (the whole line when the line could not be read).
    pub query: String,
    /// How many hits it asks for, instead of the runner's configured limit.
    pub limit: Option<u64>,
    /// Set when the batch line itself could not be used: the job fails with this message.
    pub error: Option<String>,
    /// Its line in a batch (none for a single query).
    pub line: Option<usize>,
}

/// A line of a batch written as a JSON object.
#[derive(serde::Deserialize)]
struct BatchLine {
    id: Option<Value>,
    query: String,
    limit: Option<u64>,
    /// Fields a line does not have (refused: a misspelt or unsupported option must not be
    /// ignored without a word).
    #[serde(flatten)]
    unknown: serde_json::Map<String, Value>,
}

impl Job {
    /// A query given on its own: no id, the configured limit.
    pub fn single(query: impl Into<String>) -> Job {
        Job {
            id: None,
            query: query.into(),
            limit: None,
            error: None,
            line: None,
        }
    }

    /// The job with `query` in place of its own, when there is one.
    fn with_query(self, query: Option<&str>) -> Job {
        match query {
            Some(query) => Job {
                query: query.to_string(),
                ..self
            },
            None => self,
        }
    }

    /// Line `line_number` (1-based) of a batch as a job; `None` for a blank line. A line that
    /// starts with `{` is a JSON object `{"id", "query", "limit"}`, any other is a plain query.
    /// A line that cannot be used becomes a job that fails with the reason.
    pub fn from_line(line_number: usize, line: &str) -> Option<Job> {
        Job::from_line_within(line_number, line, MAX_LIMIT)
    }

    /// [`Job::from_line`], where a line's `limit` may be at most `max_limit` (the HTTP API
    /// gives fewer hits than the command line).
    pub fn from_line_within(line_number: usize, line: &str, max_limit: u64) -> Option<Job> {
        let job = Job::of_line(line_number, line, max_limit)?;
        Some(Job {
            line: Some(line_number),
            ..job
        })
    }

    /// [`Job::from_line_within`], but for the line's number.
    fn of_line(line_number: usize, line: &str, max_limit: u64) -> Option<Job> {
        // A byte-order mark (Notepad's and PowerShell's UTF-8 files start with one) is no part
        // of the query.
        let line = line.strip_prefix('\u{FEFF}').unwrap_or(line);
        let trimmed = line.trim();
        if trimmed.is_empty() {
            return None;
        }
        let id = Value::from(line_number);
        if !trimmed.starts_with('{') {
            return Some(Job {
                id: Some(id),
                ..Job::single(line)
            });
        }
        let failed = |message: String| Job {
            id: Some(id.clone()),
            error: Some(format!("line {line_number}: {message}")),
            ..Job::single(line)
        };
        Some(match serde_json::from_str::<BatchLine>(trimmed) {
            // The line is a query, with its own id, that fails alone.
            Ok(parsed) if !parsed.unknown.is_empty() => {
                let names: Vec<String> = parsed.unknown.keys().map(|k| format!("`{k}`")).collect();
                Job {
                    id: Some(parsed.id.unwrap_or(id)),
                    error: Some(format!(
                        "line {line_number}: unknown field {} (a line's fields are id, query and limit; \
                         options apply to the whole batch)",
                        names.join(", ")
                    )),
                    ..Job::single(parsed.query)
                }
            }
            Ok(parsed) if parsed.limit.is_some_and(|l| l == 0 || l > max_limit) => Job {
                id: Some(parsed.id.unwrap_or(id)),
                error: Some(format!(
                    "line {line_number}: \"limit\" must be between 1 and {max_limit}"
                )),
                ..Job::single(parsed.query)
            },
            Ok(parsed) => Job {
                id: Some(parsed.id.unwrap_or(id)),
                limit: parsed.limit,
                ..Job::single(parsed.query)
            },
            Err(err) => {
                // A JSON object with a field of the wrong type (`"limit": "3"`) still names its
                // query by its own id, and by its query when that is text.
                let object = serde_json::from_str::<serde_json::Map<String, Value>>(trimmed).ok();
                let field = |name: &str| object.as_ref().and_then(|o| o.get(name));
                let own_id = field("id").filter(|id| !id.is_null()).cloned();
                Job {
                    id: Some(own_id.unwrap_or_else(|| id.clone())),
                    ..failed(format!("invalid JSON query: {err}"))
                }
                .with_query(field("query").and_then(Value::as_str))
            }
        })
    }
}

/// The jobs of a batch read from `input`, one line at a time (see [`Jobs`]).
pub fn jobs<R: BufRead>(input: R) -> Jobs<R> {
    jobs_within(input, MAX_LIMIT)
}

/// [`jobs`], where a line's `limit` may be at most `max_limit`.
pub fn jobs_within<R: BufRead>(input: R, max_limit: u64) -> Jobs<R> {
    Jobs {
        input,
        line: Vec::new(),
        line_number: 0,
        max_limit,
    }
}

/// An iterator over the jobs of a batch: each line is read only when the next job is asked
/// for. Lines end at `\n` (a `\r` before it is dropped); bytes that are not UTF-8 are
/// replaced; blank lines are skipped but counted in line numbers. It ends at the end of the
/// input, and yields the error of a failed read.
pub struct Jobs<R> {
    input: R,
    /// The line being read (its buffer reused from line to line).
    line: Vec<u8>,
    /// The number of the last line read.
    line_number: usize,
    /// The largest `limit` a line may ask for.
    max_limit: u64,
}

impl<R: BufRead> Iterator for Jobs<R> {
    type Item = io::Result<Job>;

    fn next(&mut self) -> Option<io::Result<Job>> {
        loop {
            self.line.clear();
            let whole = match read_line_bounded(&mut self.input, &mut self.line, MAX_LINE_BYTES) {
                Ok(None) => return None,
                Ok(Some(whole)) => whole,
                Err(err) => return Some(Err(err)),
            };
            self.line_number += 1;
            if !whole {
                // The query is shown by its start, which tells the line apart from an empty one.
                let start: String = String::from_utf8_lossy(&self.line)
                    .chars()
                    .take(60)
                    .collect();
                return Some(Ok(Job {
                    id: Some(Value::from(self.line_number)),
                    line: Some(self.line_number),
                    error: Some(format!(
                        "line {}: longer than {} MiB, the limit for one line of a batch; skipped",
                        self.line_number,
                        MAX_LINE_BYTES >> 20
                    )),
                    ..Job::single(format!("{start}…"))
                }));
            }
            let bytes = self.line.strip_suffix(b"\n").unwrap_or(&self.line);
            let line = String::from_utf8_lossy(bytes);
            let line = line.trim_end_matches('\r');
            if let Some(job) = Job::from_line_within(self.line_number, line, self.max_limit) {
                return Some(Ok(job));
            }
        }
    }
}

/// The longest line a batch may have (a query of a megabyte is far past any real one); a
/// longer line is skipped, never held in memory whole.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// What each job asks of the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Ranked hits ([`Session::search`]).
    Hits,
    /// Only the number of matching paragraphs ([`Session::count`]).
    Count,
    /// The files holding matches ([`Session::files_with_matches`]).
    Files,
}

/// What answering a job produced.
enum Reply {
    /// Hits handed to the printer, of `total` matches.
    Hits {
        shown: usize,
        total: u64,
        warnings: Vec<QueryWarning>,
        known_before: usize,
    },
    Count(u64, Vec<QueryWarning>),
    /// A page of the files with matches, the paragraphs matching in all files, and warnings
    /// (how many about the query, then those about the files).
    Files(Vec<FileMatch>, u64, Vec<QueryWarning>, usize),
    Failed(String),
}

/// A job and what answering it produced; printers see it through [`Answered::answer`].
pub struct Answered {
    id: Option<Value>,
    line: Option<usize>,
    query: String,
    elapsed_ms: f64,
    reply: Reply,
    suggestion: Option<String>,
}

impl Answered {
    /// The answer as printers take it.
    pub fn answer(&self) -> Answer<'_> {
        let outcome = match &self.reply {
            Reply::Hits {
                shown,
                total,
                warnings,
                known_before,
            } => Outcome::Hits {
                shown: *shown,
                total: *total,
                warnings,
                known_before: *known_before,
            },
            Reply::Count(total, warnings) => Outcome::Count {
                total: *total,
                warnings,
            },
            Reply::Files(files, total, warnings, about_query) => Outcome::Files {
                files,
                total: *total,
                warnings,
                about_query: *about_query,
            },
            Reply::Failed(message) => Outcome::Error(message),
        };
        Answer {
            id: self.id.as_ref(),
            line: self.line,
            query: &self.query,
            elapsed_ms: self.elapsed_ms,
            outcome,
            suggestion: self.suggestion.as_deref(),
        }
    }
}

/// Answers jobs with one session and one configuration, and keeps the batch's tallies.
pub struct Runner<'s, 'i> {
    session: &'s mut Session<'i>,
    /// The configuration of every job; its query and limit are the current job's.
    config: SearchConfig,
    /// The limit of a job that does not give its own.
    limit: usize,
    mode: Mode,
    tally: BatchSummary,
    started: Instant,
}

impl<'s, 'i> Runner<'s, 'i> {
    /// A runner answering with `session`: every job is searched with `config` (its `query` is
    /// ignored, its `limit` is the default) and answered as `mode` asks.
    pub fn new(session: &'s mut Session<'i>, config: SearchConfig, mode: Mode) -> Runner<'s, 'i> {
        Runner {
            session,
            limit: config.limit,
            config,
            mode,
            tally: BatchSummary::default(),
            started: Instant::now(),
        }
    }

    /// Answers one job with `printer`, and counts it: hits go to the printer as they are
    /// loaded, then the answer's end. A failure (the line's, or the query's) is an answer too;
    /// only the printer's errors are errors.
    pub fn answer(&mut self, job: Job, printer: &mut dyn Printer) -> io::Result<Answered> {
        let started = Instant::now();
        let Job {
            id,
            query,
            limit,
            error,
            line,
        } = job;
        self.config.query = query;
        self.config.limit = limit.map_or(self.limit, |l| usize::try_from(l).unwrap_or(usize::MAX));
        let reply = match error {
            Some(error) => Reply::Failed(error),
            None => self.reply(id.as_ref(), printer)?,
        };
        let suggestion = match &reply {
            Reply::Hits { total: 0, .. } | Reply::Count(0, _) => self.suggest(),
            Reply::Files(_, 0, _, _) => self.suggest(),
            _ => None,
        };
        let answered = Answered {
            id,
            line,
            query: std::mem::take(&mut self.config.query),
            elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
            reply,
            suggestion,
        };
        let answer = answered.answer();
        self.count(&answer);
        printer.answer(&answer)?;
        Ok(answered)
    }

    /// "Did you mean" for the current query, which matched nothing (none when it cannot be
    /// worked out: a suggestion is a courtesy, never a failure).
    fn suggest(&mut self) -> Option<String> {
        if !self.config.suggest {
            return None;
        }
        (self.session)
            .suggest(&self.config.query, self.config.exact)
            .ok()
            .flatten()
    }

    /// Runs the configured query as the mode asks.
    fn reply(&mut self, id: Option<&Value>, printer: &mut dyn Printer) -> io::Result<Reply> {
        let config = &self.config;
        let result = match self.mode {
            Mode::Hits => return stream_hits(self.session, config, id, printer),
            Mode::Count => self
                .session
                .count(config)
                .map(|(total, warnings)| Reply::Count(total, warnings)),
            Mode::Files => self
                .session
                .files_with_matches(config)
                .map(|(found, warnings)| {
                    Reply::Files(found.files, found.total, warnings, found.about_query)
                }),
        };
        Ok(result.unwrap_or_else(|err| failed(self.session, err)))
    }

    fn count(&mut self, answer: &Answer<'_>) {
        self.tally.queries += 1;
        self.tally.matched += u64::from(answer.matched());
        self.tally.failed += u64::from(matches!(answer.outcome, Outcome::Error(_)));
    }

    /// The batch's tallies so far, timed from the runner's creation.
    pub fn summary(&self) -> BatchSummary {
        BatchSummary {
            elapsed_ms: self.started.elapsed().as_secs_f64() * 1000.0,
            ..self.tally
        }
    }
}

/// Runs the query of `config` and hands its hits to `printer` as they are loaded.
fn stream_hits(
    session: &mut Session<'_>,
    config: &SearchConfig,
    id: Option<&Value>,
    printer: &mut dyn Printer,
) -> io::Result<Reply> {
    let mut hits = match session.hits(config) {
        Ok(hits) => hits,
        Err(err) => return Ok(failed(session, err)),
    };
    let known = hits.warnings().to_vec();
    let head = Head {
        id,
        query: &config.query,
        warnings: &known,
    };
    printer.begin(&head)?;
    let (mut shown, mut failure) = (0, None);
    for hit in hits.by_ref() {
        match hit {
            Ok(hit) => printer.hit(&head, &hit)?,
            Err(err) => {
                failure = Some(err);
                break;
            }
        }
        shown += 1;
    }
    let (total, warnings) = (hits.total(), hits.into_warnings());
    if let Some(err) = failure {
        return Ok(failed(session, err));
    }
    Ok(Reply::Hits {
        shown,
        total,
        warnings,
        known_before: known.len(),
    })
}

/// The reply of a query that failed: its error, a damaged index named as such rather than in
/// the engine's words ([`Session::damage_told`]), the commands it quotes naming the index as
/// the session's warnings do ([`Session::name_index_as`]).
fn failed(session: &mut Session<'_>, err: crate::error::Error) -> Reply {
    let err = session.damage_told(err);
    Reply::Failed(session.index_named(&one_line(&err.to_string())))
}

/// Answers `jobs` in order with `printer`, showing each finished answer to `each` (to report
/// its errors and warnings, say) before the next job is taken. Stops at the first error, from
/// `jobs` or from the printer.
pub fn run<E: From<io::Error>>(
    runner: &mut Runner<'_, '_>,
    jobs: impl IntoIterator<Item = Result<Job, E>>,
    printer: &mut dyn Printer,
    mut each: impl FnMut(&Answer<'_>),
) -> Result<(), E> {
    for job in jobs {
        let answered = runner.answer(job?, printer)?;
        each(&answered.answer());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Read;
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;
    use crate::index;

    fn job(line: &str) -> Job {
        Job::from_line(7, line).expect("a job")
    }

    #[test]
    fn a_line_past_the_limit_is_dropped_not_kept() {
        let mut input = io::BufReader::with_capacity(4, &b"abcdefghij\nxy\nlast"[..]);
        let mut line = Vec::new();
        assert_eq!(
            read_line_bounded(&mut input, &mut line, 6).unwrap(),
            Some(false)
        );
        assert_eq!(line, b"abcdef");
        line.clear();
        assert_eq!(
            read_line_bounded(&mut input, &mut line, 6).unwrap(),
            Some(true)
        );
        assert_eq!(line, b"xy\n");
        line.clear();
        assert_eq!(
            read_line_bounded(&mut input, &mut line, 6).unwrap(),
            Some(true)
        );
        assert_eq!(line, b"last");
        line.clear();
        assert_eq!(read_line_bounded(&mut input, &mut line, 6).unwrap(), None);
    }

    #[test]
    fn an_over_long_batch_line_fails_alone() {
        let mut text = vec![b'x'; MAX_LINE_BYTES + 10];
        text.extend_from_slice(b"\nnuclear\n");
        let found: Vec<Job> = jobs(&text[..]).map(|j| j.unwrap()).collect();
        assert_eq!(found.len(), 2);
        let error = found[0].error.as_deref().unwrap_or_default();
        assert!(error.starts_with("line 1: longer than 1 MiB"), "{error}");
        assert_eq!(found[1].query, "nuclear");
        assert_eq!(found[1].id, Some(Value::from(2)));
        assert_eq!(found[0].query, format!("{}…", "x".repeat(60)));
    }

    #[test]
    fn a_byte_order_mark_is_no_part_of_a_line() {
        let parsed = job("\u{FEFF}{\"id\": \"a\", \"query\": \"x\", \"limit\": 1}");
        assert_eq!(
            (parsed.id, parsed.query.as_str(), parsed.limit, parsed.error),
            (Some(Value::from("a")), "x", Some(1), None)
        );
        assert_eq!(job("\u{FEFF}nuclear").query, "nuclear");
        assert_eq!(Job::from_line(7, "\u{FEFF}"), None);
    }

    #[test]
    fn plain_lines_are_queries_numbered_by_line() {
        let expected = Job {
            id: Some(Value::from(7)),
            line: Some(7),
            ..Job::single(" nuclear  OR x")
        };
        assert_eq!(job(" nuclear  OR x"), expected);
        assert_eq!(Job::from_line(7, "  \t "), None);
    }

    #[test]
    fn json_lines_give_an_id_and_a_limit() {
        let parsed = job(r#" {"id": "a", "query": "x y", "limit": 3} "#);
        assert_eq!(
            (parsed.id, parsed.query.as_str(), parsed.limit, parsed.error),
            (Some(Value::from("a")), "x y", Some(3), None)
        );
        assert_eq!(job(r#"{"query": "x"}"#).id, Some(Value::from(7)));
    }

    #[test]
    fn unusable_lines_fail_with_their_reason() {
        let error = |line: &str| job(line).error.unwrap_or_default();
        let bounds = "line 7: \"limit\" must be between 1 and 1000000";
        assert_eq!(error(r#"{"query": "x", "limit": 0}"#), bounds);
        assert_eq!(error(r#"{"query": "x", "limit": 1000001}"#), bounds);
        assert!(job(r#"{"query": "x", "limit": 1000000}"#).error.is_none());
        assert!(error(r#"{"query": 3}"#).starts_with("line 7: invalid JSON query: invalid type"));
        // A field of the wrong type: the line's own id and query still name it.
        let mistyped = job(r#"{"id": "z", "query": "koala", "limit": "3"}"#);
        assert_eq!(
            (mistyped.id, mistyped.query.as_str()),
            (Some(Value::from("z")), "koala")
        );
        assert!(mistyped.error.is_some_and(|e| e.contains("invalid type")));
        let negative = job(r#"{"id": 12, "query": 42, "limit": -1}"#);
        assert_eq!(negative.id, Some(Value::from(12)));
        assert_eq!(negative.query, r#"{"id": 12, "query": 42, "limit": -1}"#);
        assert_eq!(
            job(r#"{"id": null, "limit": true}"#).id,
            Some(Value::from(7))
        );
        let unknown = job(r#"{"id": "q", "query": "x", "exact": true}"#);
        assert_eq!(unknown.id, Some(Value::from("q")));
        assert!(
            unknown.error.as_deref().unwrap_or_default().starts_with(
                "line 7: unknown field `exact` (a line's fields are id, query and limit"
            ),
            "{:?}",
            unknown.error
        );
        let broken = job("{nope");
        assert_eq!(
            (broken.query.as_str(), broken.id),
            ("{nope", Some(Value::from(7)))
        );
    }

    #[test]
    fn jobs_come_line_by_line_with_line_numbers() {
        let input: &[u8] = b"a\r\n\n  \nb\xff\n{\"query\": \"c\"}";
        let jobs: Vec<Job> = jobs(input).collect::<io::Result<_>>().unwrap();
        let seen: Vec<(Option<Value>, &str)> = jobs
            .iter()
            .map(|j| (j.id.clone(), j.query.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                (Some(Value::from(1)), "a"),
                (Some(Value::from(4)), "b\u{FFFD}"),
                (Some(Value::from(5)), "c"),
            ]
        );
    }

    /// A pipe whose writer sends one chunk at a time; reading past what was sent times out.
    struct Pipe(mpsc::Receiver<Vec<u8>>, Vec<u8>);

    impl Read for Pipe {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.1.is_empty() {
                match self.0.recv_timeout(Duration::from_secs(5)) {
                    Ok(chunk) => self.1 = chunk,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(0),
                    Err(err) => return Err(io::Error::other(err.to_string())),
                }
            }
            let n = self.1.len().min(buf.len());
            buf[..n].copy_from_slice(&self.1[..n]);
            self.1.drain(..n);
            Ok(n)
        }
    }

    #[test]
    fn each_job_is_read_without_waiting_for_the_next_line() {
        let (send, receive) = mpsc::channel();
        let mut jobs = jobs(io::BufReader::new(Pipe(receive, Vec::new())));
        send.send(b"first\n".to_vec()).unwrap();
        assert_eq!(jobs.next().unwrap().unwrap().query, "first");
        send.send(b"second\n".to_vec()).unwrap();
        drop(send);
        assert_eq!(jobs.next().unwrap().unwrap().query, "second");
        assert!(jobs.next().is_none());
    }

    #[test]
    fn a_batch_is_answered_in_order_and_tallied() {
        let dir = assert_fs::TempDir::new().expect("temp dir");
        let text = "The treaty was signed.\n\nA second treaty.\n\nNothing else.\n";
        let index = index::ingested_for_test(dir.path(), &[("a.txt", text)]);
        let mut session = Session::new(&index).expect("session");
        let mut runner = Runner::new(&mut session, SearchConfig::new("", 10), Mode::Hits);
        let input = "treaties\n{\"id\": \"one\", \"query\": \"treaty\", \"limit\": 1}\n\
                     zebra\nnuclear AND\n{\"limit\": 2}\n";
        let mut seen = Vec::new();
        let mut printer = crate::output::Discard;
        run(
            &mut runner,
            jobs(input.as_bytes()),
            &mut printer,
            |answer| {
                let hits = match answer.outcome {
                    Outcome::Hits { shown, .. } => Ok(shown),
                    Outcome::Error(message) => Err(message.to_string()),
                    _ => Err("not hits".into()),
                };
                seen.push((answer.id.cloned(), hits));
            },
        )
        .map_err(|e: io::Error| e)
        .unwrap();
        assert_eq!(seen[0], (Some(Value::from(1)), Ok(2)));
        assert_eq!(seen[1], (Some(Value::from("one")), Ok(1)));
        assert_eq!(seen[2], (Some(Value::from(3)), Ok(0)));
        assert!(matches!(&seen[3].1, Err(m) if m.contains("AND at column 9")));
        assert!(matches!(&seen[4].1, Err(m) if m.starts_with("line 5: invalid JSON query")));
        let summary = runner.summary();
        assert_eq!(
            (summary.queries, summary.matched, summary.failed),
            (5, 2, 2)
        );

        let mut counting = Runner::new(&mut session, SearchConfig::new("", 10), Mode::Count);
        let answered = counting
            .answer(Job::single("treaty"), &mut crate::output::Discard)
            .unwrap();
        let answer = answered.answer();
        assert!(matches!(answer.outcome, Outcome::Count { total: 2, .. }));
        assert_eq!((answer.id, answer.query), (None, "treaty"));
    }
}
