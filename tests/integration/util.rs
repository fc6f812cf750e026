//! The test harness: a temporary working directory, the default corpus, and helpers to run the
//! binary and decode its JSON Lines output.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::cargo::cargo_bin_cmd;
use assert_fs::prelude::*;
use assert_fs::TempDir;
use serde::Deserialize;

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

#[derive(Debug, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub char_start: usize,
    pub char_end: usize,
    pub term: String,
}

#[derive(Debug, Deserialize)]
pub struct HitRecord {
    pub rank: usize,
    pub score: f64,
    pub path: String,
    pub paragraph: u64,
    pub line: u64,
    pub byte_offset: u64,
    pub text: String,
    pub highlights: Vec<Span>,
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

#[derive(Debug, Deserialize)]
pub struct SummaryRecord {
    pub schema: u32,
    pub query: String,
    pub hits: usize,
    pub total: u64,
    pub elapsed_ms: f64,
}

/// Decodes JSON Lines: hits, then exactly one summary as the last line.
pub fn parse_json_lines(stdout: &[u8]) -> (Vec<HitRecord>, SummaryRecord) {
    let text = std::str::from_utf8(stdout).expect("JSON output is UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    let (last, hits) = lines.split_last().expect("at least the summary line");
    let hits = hits
        .iter()
        .filter_map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("valid JSON");
            match value["type"].as_str() {
                Some("hit") => Some(serde_json::from_value(value).expect("hit record")),
                Some("context") => None,
                other => panic!("unexpected record type {other:?}: {line}"),
            }
        })
        .collect();
    let value: serde_json::Value = serde_json::from_str(last).expect("valid JSON summary");
    assert_eq!(value["type"], "summary", "{last}");
    (hits, serde_json::from_value(value).expect("summary record"))
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
