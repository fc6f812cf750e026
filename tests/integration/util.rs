//! The test harness: a temporary working directory, the default corpus, helpers to run the
//! binary, and one strict decoder of its JSON Lines records (the contract in `docs/json.md`).

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::cargo::cargo_bin_cmd;
use assert_fs::prelude::*;
use assert_fs::TempDir;

/// The essay, as shipped in the repository.
pub fn essay_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/us-korea-alliance.txt")
}

/// A temporary working directory in which parafind runs.
pub struct Env {
    pub dir: TempDir,
}

impl Env {
    /// An empty working directory.
    pub fn new() -> Env {
        Env {
            dir: TempDir::new().expect("temp dir"),
        }
    }

    /// A working directory laid out like a fresh clone: `corpus/` holds the essay, no index.
    pub fn with_corpus() -> Env {
        let env = Env::new();
        env.dir
            .child("corpus/us-korea-alliance.txt")
            .write_file(&essay_path())
            .expect("copy corpus");
        env
    }

    /// A working directory with the essay in `corpus/`, ingested into the default index.
    pub fn essay() -> Env {
        let env = Env::with_corpus();
        env.ingest_corpus();
        env
    }

    /// Writes a file under the working directory.
    pub fn write(&self, path: &str, contents: impl AsRef<[u8]>) {
        self.dir
            .child(path)
            .write_binary(contents.as_ref())
            .expect("write file");
    }

    /// Path of a file under the working directory.
    pub fn path(&self, path: &str) -> PathBuf {
        self.dir.path().join(path)
    }

    /// A command running parafind in the working directory with a clean environment.
    pub fn cmd(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = cargo_bin_cmd!("parafind");
        cmd.current_dir(self.dir.path())
            .env_remove("PARAFIND_INDEX")
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .args(args);
        cmd
    }

    /// A `std` command running parafind like [`Env::cmd`], for tests that start it in the
    /// background and signal or wait on it.
    pub fn spawn(&self, args: &[&str]) -> std::process::Child {
        std::process::Command::new(assert_cmd::cargo::cargo_bin!("parafind"))
            .current_dir(self.dir.path())
            .env_remove("PARAFIND_INDEX")
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start parafind")
    }

    /// Runs parafind and returns its output, whatever its status.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run parafind")
    }

    /// Ingests the default corpus (which must exist) into the default index.
    pub fn ingest_corpus(&self) {
        self.cmd(&["ingest"]).assert().success();
    }

    /// Runs parafind and decodes its standard output strictly, with its exit status.
    pub fn records(&self, args: &[&str]) -> (Vec<Record>, i32) {
        let output = self.run(args);
        (decode(&output.stdout), output.status.code().unwrap_or(-1))
    }

    /// Runs `search --json QUERY` plus `extra` args and decodes the records.
    pub fn search_json(&self, query: &str, extra: &[&str]) -> (Vec<HitRecord>, SummaryRecord, i32) {
        let mut args = vec!["search", "--json"];
        args.extend_from_slice(extra);
        args.push("--");
        args.push(query);
        let output = self.run(&args);
        let status = output.status.code().expect("exit status");
        let (hits, summary) = parse_json_lines(&output.stdout);
        (hits, summary, status)
    }
}

pub use records::*;

/// The JSON Lines records, one type each. Fields are declared so that decoding checks them; not
/// all of them are read afterwards.
#[allow(dead_code)]
mod records {
    use serde::Deserialize;
    use serde_json::Value;

    /// One JSON Lines record, decoded strictly: every record type `docs/json.md` documents, each a
    /// struct that refuses a missing field, a field of the wrong type or an undocumented field.
    /// Where one `type` has two documented shapes (a query's or a batch's summary, a query's or an
    /// ingest's warning, the context of a hit or of a shown paragraph), the type is an untagged enum
    /// of both, and a record mixing them fits neither.
    #[derive(Debug, Deserialize)]
    #[serde(tag = "type", rename_all = "snake_case")]
    pub enum Record {
        Hit(HitRecord),
        Context(Context),
        File(FileRecord),
        Warning(Warning),
        Error(ErrorRecord),
        Summary(Summary),
        Stats(StatsRecord),
        IndexedFile(IndexedFileRecord),
        Paragraph(ParagraphRecord),
        Ingest(IngestRecord),
        Failure(FailureRecord),
        Remove(RemoveRecord),
    }

    impl Record {
        /// The query id of a record of a batch, if it has one.
        pub fn query_id(&self) -> Option<&Value> {
            match self {
                Record::Hit(r) => r.query_id.as_ref(),
                Record::Context(Context::OfHit(r)) => r.query_id.as_ref(),
                Record::File(r) => r.query_id.as_ref(),
                Record::Warning(Warning::Query(r)) => r.query_id.as_ref(),
                Record::Error(r) => r.query_id.as_ref(),
                Record::Summary(Summary::Query(r)) => r.query_id.as_ref(),
                _ => None,
            }
        }
    }

    /// A highlight span of a `hit`.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Span {
        pub start: usize,
        pub end: usize,
        pub char_start: usize,
        pub char_end: usize,
        pub term: String,
    }

    /// `hit`: a matching paragraph.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct HitRecord {
        pub query_id: Option<Value>,
        pub rank: usize,
        pub score: f64,
        pub path: String,
        pub path_bytes: Option<String>,
        pub doc_id: String,
        pub paragraph: u64,
        /// For a PDF.
        pub page: Option<u64>,
        pub page_paragraph: Option<u64>,
        /// Absent (0 here) for documents whose text was extracted (PDF, DOCX, ODT, EPUB).
        #[serde(default)]
        pub line: u64,
        #[serde(default)]
        pub byte_offset: u64,
        #[serde(default)]
        pub char_offset: u64,
        pub text: String,
        pub section: Option<String>,
        pub title: Option<String>,
        /// With `title`.
        pub title_highlights: Option<Vec<Span>>,
        pub highlights: Vec<Span>,
        /// With `--max-chars` (or the API's `max_chars`).
        pub snippets: Option<Vec<SnippetRecord>>,
        pub explanation: Option<Value>,
    }

    /// A snippet window of a `hit`.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct SnippetRecord {
        pub start: usize,
        pub end: usize,
        pub char_start: usize,
        pub char_end: usize,
    }

    impl HitRecord {
        /// The highlighted slices of the text.
        pub fn marked(&self) -> Vec<&str> {
            self.highlights
                .iter()
                .map(|s| &self.text[s.start..s.end])
                .collect()
        }
    }

    /// `context`: a neighbouring paragraph, of a search hit (with its rank) or of a paragraph
    /// `show -C` was asked for (the fields of a `paragraph`).
    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    pub enum Context {
        OfHit(ContextRecord),
        Shown(ParagraphRecord),
    }

    /// `context` around a search hit.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ContextRecord {
        pub query_id: Option<Value>,
        pub rank: usize,
        pub path: String,
        pub path_bytes: Option<String>,
        pub doc_id: String,
        pub paragraph: u64,
        /// For a PDF.
        pub page: Option<u64>,
        pub page_paragraph: Option<u64>,
        /// Absent (0 here) for documents whose text was extracted (PDF, DOCX, ODT, EPUB).
        #[serde(default)]
        pub line: u64,
        #[serde(default)]
        pub byte_offset: u64,
        #[serde(default)]
        pub char_offset: u64,
        pub text: String,
        pub section: Option<String>,
        pub title: Option<String>,
    }

    /// `file`: a file with matches (`-l`).
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct FileRecord {
        pub query_id: Option<Value>,
        pub path: String,
        pub path_bytes: Option<String>,
        pub doc_id: String,
        pub matches: u64,
        pub score: f64,
    }

    /// `warning`: about a query (search), or about a file (ingest).
    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    pub enum Warning {
        Query(QueryWarningRecord),
        File(FileWarningRecord),
    }

    /// `warning` of a search: the query still ran.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct QueryWarningRecord {
        pub query_id: Option<Value>,
        pub message: String,
    }

    /// `warning` of an ingest: a file skipped or read only in part.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct FileWarningRecord {
        pub path: String,
        pub path_bytes: Option<String>,
        /// Absent from a warning about the index itself (its `path` is the index directory).
        pub doc_id: Option<String>,
        pub message: String,
    }

    /// `error`: a query that failed.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ErrorRecord {
        pub query_id: Option<Value>,
        /// Absent from the HTTP API's errors that are not about a query (docs/http.md).
        pub query: Option<String>,
        pub message: String,
    }

    /// `summary`: the end of one query's records, or the last line of a batch.
    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    pub enum Summary {
        Query(SummaryRecord),
        Batch(BatchSummaryRecord),
    }

    /// `summary` of one query.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct SummaryRecord {
        pub query_id: Option<Value>,
        pub schema: u32,
        pub query: String,
        pub hits: usize,
        pub files: Option<usize>,
        pub total: u64,
        pub elapsed_ms: f64,
        pub suggestion: Option<String>,
    }

    /// `summary` of a batch.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct BatchSummaryRecord {
        pub schema: u32,
        pub queries: u64,
        pub matched: u64,
        pub failed: u64,
        pub elapsed_ms: f64,
    }

    /// `stats` (`stats --json`).
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct StatsRecord {
        pub schema: u32,
        pub index: String,
        pub files: u64,
        pub paragraphs: u64,
        pub terms: u64,
        pub index_bytes: u64,
        pub segments: u64,
        pub analyzer_version: u32,
        pub schema_version: u32,
        /// Always present, `null` when unknown.
        #[serde(deserialize_with = "Option::deserialize")]
        pub last_ingest: Option<u64>,
    }

    /// `indexed_file` (`list --json`).
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct IndexedFileRecord {
        pub path: String,
        pub path_bytes: Option<String>,
        pub doc_id: String,
        pub paragraphs: u64,
        pub size: u64,
        pub modified_ns: u64,
        /// When the file is not as indexed.
        pub now: Option<String>,
    }

    /// `paragraph` (`show --json`), and the `context` around it.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ParagraphRecord {
        pub path: String,
        pub path_bytes: Option<String>,
        pub doc_id: String,
        pub paragraph: u64,
        /// For a PDF.
        pub page: Option<u64>,
        pub page_paragraph: Option<u64>,
        /// Absent (0 here) for documents whose text was extracted (PDF, DOCX, ODT, EPUB).
        #[serde(default)]
        pub line: u64,
        #[serde(default)]
        pub byte_offset: u64,
        #[serde(default)]
        pub char_offset: u64,
        pub text: String,
        pub section: Option<String>,
        pub title: Option<String>,
    }

    /// `ingest` (`ingest --json`): what the ingest did, last.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct IngestRecord {
        pub schema: u32,
        pub index: String,
        pub added: u64,
        pub updated: u64,
        pub removed: u64,
        pub unchanged: u64,
        pub skipped: u64,
        pub paragraphs: u64,
        pub bytes: u64,
        pub seconds: f64,
        pub committed: bool,
        pub warnings: u64,
        pub failures: u64,
    }

    /// `remove` (`remove --json`): what a removal did.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct RemoveRecord {
        pub schema: u32,
        pub index: String,
        pub removed: u64,
        pub paragraphs: u64,
        pub seconds: f64,
        pub warnings: usize,
        /// Absent when empty.
        #[serde(default)]
        pub left_out: Vec<String>,
    }

    /// `failure` (`ingest --json`): a file that could not be read.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct FailureRecord {
        pub path: String,
        pub path_bytes: Option<String>,
        pub doc_id: String,
        pub message: String,
    }
}

/// Decodes one line of JSON Lines output strictly (see [`Record`]).
pub fn parse_record(line: &str) -> serde_json::Result<Record> {
    serde_json::from_str(line)
}

/// Decodes every line of JSON Lines output strictly; an undocumented record fails the test.
pub fn decode(stdout: &[u8]) -> Vec<Record> {
    let text = std::str::from_utf8(stdout).expect("JSON output is UTF-8");
    text.lines()
        .map(|line| {
            parse_record(line).unwrap_or_else(|e| panic!("undocumented record {line}: {e}"))
        })
        .collect()
}

/// Decodes one query's JSON Lines: hits (and their context), then exactly one summary as the
/// last line.
pub fn parse_json_lines(stdout: &[u8]) -> (Vec<HitRecord>, SummaryRecord) {
    let mut records = decode(stdout);
    let summary = match records.pop() {
        Some(Record::Summary(Summary::Query(summary))) => summary,
        other => panic!("the last record is not a query's summary: {other:?}"),
    };
    let hits = records
        .into_iter()
        .filter_map(|record| match record {
            Record::Hit(hit) => Some(hit),
            Record::Context(_) => None,
            other => panic!("unexpected record {other:?}"),
        })
        .collect();
    (hits, summary)
}

/// The hits among records.
pub fn hits_of(records: &[Record]) -> Vec<&HitRecord> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Hit(hit) => Some(hit),
            _ => None,
        })
        .collect()
}

/// Each hit's paragraph number and the text of its highlights, sorted by paragraph.
pub fn marked_by_paragraph(hits: &[HitRecord]) -> Vec<(u64, Vec<String>)> {
    let mut found: Vec<(u64, Vec<String>)> = hits
        .iter()
        .map(|h| {
            (
                h.paragraph,
                h.marked().iter().map(|m| m.to_string()).collect(),
            )
        })
        .collect();
    found.sort();
    found
}

/// Paragraph numbers of hits, in rank order.
pub fn paragraphs(hits: &[HitRecord]) -> Vec<u64> {
    hits.iter().map(|h| h.paragraph).collect()
}

/// Paragraph numbers of hits, sorted.
pub fn sorted_paragraphs(hits: &[HitRecord]) -> Vec<u64> {
    let mut p = paragraphs(hits);
    p.sort_unstable();
    p
}

/// True when the tests run as root (whom file permissions do not stop).
pub fn running_as_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// A command running `binary` where file permissions apply: as user `nobody` (through
/// `setpriv`) when the tests run as root, else as the current user. `binary` must be a copy
/// `nobody` can run.
pub fn unprivileged(binary: &Path) -> std::process::Command {
    if running_as_root() {
        let mut cmd = std::process::Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(binary);
        cmd
    } else {
        std::process::Command::new(binary)
    }
}

/// The output of `command`, which runs a copy of the binary made by the test: run again when
/// it could not start for "text file busy" (another test thread's child, forked while the
/// copy was being written, held it open for writing until it ran its own program).
pub fn output_of_copy(command: &mut std::process::Command) -> Output {
    for _ in 0..50 {
        match command.output() {
            // `setpriv` could not run the copy.
            Ok(output)
                if output.status.code() == Some(126)
                    && String::from_utf8_lossy(&output.stderr).contains("Text file busy") => {}
            Ok(output) => return output,
            Err(err) if err.raw_os_error() == Some(26) => {} // ETXTBSY
            Err(err) => panic!("cannot run {command:?}: {err}"),
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("{command:?}: text file busy, again and again");
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Words drawn from to fill generated documents: the essay's vocabulary.
const WORDS: &[&str] = &[
    "alliance",
    "treaty",
    "deterrence",
    "nuclear",
    "peninsula",
    "security",
    "troops",
    "trade",
    "summit",
    "missile",
    "defense",
    "economy",
    "north",
    "south",
    "policy",
    "cost",
    "sharing",
    "forces",
    "command",
    "exercise",
    "talks",
    "sanctions",
    "pressure",
    "diplomacy",
];

/// A small deterministic generator of text, so a generated corpus is the same on every run.
pub struct Words(u64);

impl Words {
    /// A generator started from `seed` (any value but 0).
    pub fn new(seed: u64) -> Words {
        Words(seed.max(1))
    }

    /// The next word.
    pub fn next_word(&mut self) -> &'static str {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        WORDS[(self.0 % WORDS.len() as u64) as usize]
    }

    /// `count` paragraphs of 40 words each, separated by blank lines.
    pub fn paragraphs(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| {
                (0..40)
                    .map(|_| self.next_word())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}
