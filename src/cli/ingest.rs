//! Arguments of the commands that change the index (`ingest`, `refresh`, `remove`, `watch`)
//! and the ingest options they make.

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use clap::Args;
use parafind::corpus::WalkOptions;
use parafind::index::IngestOptions;

use super::DEFAULT_CORPUS;

/// Arguments of `parafind ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files or directories to ingest [default: corpus]; `-` reads a document from standard
    /// input (name it with --name)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// A JSON Lines collection: each line {"id", "title", "text"} is a document; repeatable
    #[arg(long, value_name = "FILE")]
    pub jsonl: Vec<PathBuf>,

    /// The name (and format, by its extension) of the document read from standard input; a
    /// path, resolved like one: naming an indexed file replaces it
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    #[command(flatten)]
    pub walk: WalkArgs,

    /// Index every region of HTML pages: navigation, page headers and footers, sidebars and
    /// related links too, not only the main content. Files ingested with the other setting are
    /// read again
    #[arg(long)]
    pub whole_html: bool,

    #[command(flatten)]
    pub writer: WriterArgs,

    /// Print the report as JSON Lines (warnings, then a summary) on standard output
    #[arg(long)]
    pub json: bool,

    /// List every binary file skipped too (they are only counted otherwise)
    #[arg(short, long)]
    pub verbose: bool,
}

/// Which files a walk of directories takes (ingest, and watch with paths).
#[derive(Debug, Args)]
pub struct WalkArgs {
    /// Also walk hidden files and directories
    #[arg(long)]
    pub hidden: bool,

    /// Only files matching GLOB (`!GLOB` to leave some out), as in ripgrep; repeatable
    #[arg(short = 'g', long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,

    /// Only files of TYPE (ripgrep's type names: md, html, txt, rust, ...); repeatable
    #[arg(short = 't', long = "type", value_name = "TYPE")]
    pub types: Vec<String>,
}

impl WalkArgs {
    /// The walk options these flags ask for.
    fn options(&self) -> WalkOptions {
        WalkOptions {
            hidden: self.hidden,
            globs: self.globs.clone(),
            types: self.types.clone(),
            ..WalkOptions::default()
        }
    }
}

/// How hard an ingest or refresh may work: the writer's memory and the threads.
#[derive(Debug, Args)]
pub struct WriterArgs {
    /// Memory for the index writer and the text waiting for it, e.g. 256M or 1G; each indexing
    /// thread needs 15M, so a small budget runs fewer threads than -j asks
    #[arg(long, value_name = "SIZE", default_value = "320M", value_parser = parse_size)]
    pub memory: usize,

    /// Threads reading and indexing files, at most one per 15M of --memory [default: one per
    /// core, up to 8]
    #[arg(short = 'j', long, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
}

impl WriterArgs {
    /// Sets the memory and threads of `options`.
    fn apply(&self, options: &mut IngestOptions) {
        options.writer_memory = self.memory;
        if let Some(threads) = self.threads {
            options.threads = threads.into();
        }
    }
}

/// Arguments of `parafind refresh`.
#[derive(Debug, Args)]
pub struct RefreshArgs {
    #[command(flatten)]
    pub writer: WriterArgs,

    /// Print the report as JSON Lines (warnings, then a summary) on standard output
    #[arg(long)]
    pub json: bool,
}

impl RefreshArgs {
    /// The options of the refresh (only its memory and threads count).
    pub fn options(&self) -> IngestOptions {
        let mut options = IngestOptions::new(Vec::new());
        self.writer.apply(&mut options);
        options
    }
}

/// Refuses a `--name` that names no document: empty, ending in `/`, or a directory.
fn check_document_name(name: &str) -> Result<()> {
    anyhow::ensure!(
        !name.trim().is_empty(),
        "--name needs a document's name, like notes/today.md (got an empty one)"
    );
    anyhow::ensure!(
        !name.ends_with('/') && !Path::new(name).is_dir(),
        "--name {name:?} is a directory; name the document, like {}",
        Path::new(name).join("stdin.txt").display()
    );
    Ok(())
}

impl IngestArgs {
    /// The library's ingest options, the roots checked to exist. A `-` among the paths reads
    /// the document on standard input here.
    pub fn options(&self) -> Result<IngestOptions> {
        let reads_stdin = self.paths.iter().any(|p| p == Path::new("-"));
        anyhow::ensure!(
            self.name.is_none() || reads_stdin,
            "--name names the document read from standard input; add `-` to the paths"
        );
        let mut roots: Vec<PathBuf> = self
            .paths
            .iter()
            .filter(|p| *p != Path::new("-"))
            .cloned()
            .collect();
        if roots.is_empty() && self.jsonl.is_empty() && !reads_stdin {
            roots.push(PathBuf::from(DEFAULT_CORPUS));
        }
        parafind::corpus::check_roots(&roots)?;
        parafind::corpus::check_roots(&self.jsonl)?;
        if let Some(name) = &self.name {
            check_document_name(name)?;
        }
        let stdin = if reads_stdin {
            let limit = parafind::corpus::MAX_STDIN_BYTES;
            let mut bytes = Vec::new();
            io::stdin()
                .take(limit + 1)
                .read_to_end(&mut bytes)
                .context("cannot read the document from standard input")?;
            anyhow::ensure!(
                bytes.len() as u64 <= limit,
                "standard input is over {} MiB, the limit for one document read from it; \
                 save it to a file and ingest the file",
                limit >> 20
            );
            if let (None, Some((format, name))) = (&self.name, document_format(&bytes)) {
                anyhow::bail!(
                    "standard input looks like {format}, but with no name it would be read as \
                     text; name it with its extension: `--name {name}`"
                );
            }
            // Named like a path, so that naming an indexed file replaces it (the last
            // document under a key wins), whether the name is given relative or absolute.
            let name = self.name.as_deref().unwrap_or("stdin");
            let key = parafind::index::lookup_key(Path::new(name));
            // As resolved (`c/../d` is `d`), the name must still name no directory.
            check_document_name(&parafind::index::key_text(&key))?;
            Some((parafind::index::key_text(&key).to_string(), bytes))
        } else {
            None
        };
        let mut options = IngestOptions::new(roots);
        options.walk = self.walk.options();
        options.jsonl = self.jsonl.clone();
        options.stdin = stdin;
        options.parse.whole_html = self.whole_html;
        self.writer.apply(&mut options);
        Ok(options)
    }
}

/// What document format `bytes` (standard input with no name) begin like, and a name for it,
/// for the error that asks for one: a PDF (`%PDF-`), a gzip stream, or a zip archive (DOCX,
/// ODT, EPUB).
fn document_format(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.trim_ascii_start().starts_with(b"%PDF-") {
        return Some(("a PDF", "FILE.pdf"));
    }
    if bytes.starts_with(b"\x1f\x8b") {
        return Some(("a gzip stream", "FILE.txt.gz (.md.gz, .html.gz)"));
    }
    let zip = (
        "a zip archive (a DOCX, ODT or EPUB)",
        "FILE.docx (.odt, .epub)",
    );
    bytes.starts_with(b"PK\x03\x04").then_some(zip)
}

/// Parses a size such as `512K`, `256M`, `1G` or a plain number of bytes.
/// Reads a `--memory` size (`256M`, `1G`, `15728640`), from 15M to 1024G.
fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let (digits, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => text.split_at(i),
        None => (text, ""),
    };
    let number: usize = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size like 256M"))?;
    let factor: usize = match unit.to_ascii_uppercase().trim_end_matches('B') {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return Err(format!("`{text}` has an unknown unit (use K, M or G)")),
    };
    let bytes = number
        .checked_mul(factor)
        .filter(|&bytes| bytes <= MAX_MEMORY)
        .ok_or_else(|| format!("`{text}` is more than 1024G"))?;
    if bytes < MIN_MEMORY {
        return Err(format!(
            "`{text}` is less than 15M, the least one indexing thread needs"
        ));
    }
    Ok(bytes)
}

/// The smallest `--memory`: what tantivy needs for one indexing thread.
const MIN_MEMORY: usize = 15 << 20;

/// The largest `--memory` accepted (the writer uses at most about 4G per thread).
const MAX_MEMORY: usize = 1 << 40;

/// Arguments of `parafind remove`.
#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// Files, JSON Lines collections or directories to take out of the index (also paths that
    /// no longer exist)
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Print the report as a JSON Lines record instead of text
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `parafind watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Directories to ingest first and then watch, with the filters below [default: every
    /// directory the index remembers]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// How PATHs are walked (the remembered directories keep their own filters)
    #[command(flatten)]
    pub walk: WalkArgs,

    #[command(flatten)]
    pub writer: WriterArgs,
}

impl WatchArgs {
    /// The options of the first ingest (of `paths`) and of each refresh.
    pub fn options(&self) -> IngestOptions {
        let mut options = IngestOptions::new(Vec::new());
        options.walk = self.walk.options();
        self.writer.apply(&mut options);
        options
    }
}
