//! The command line: clap definitions, help text, usage errors, and conversion into the
//! library's plain configuration types (ingest options, search configuration, printer, batch
//! input). Nothing outside the binary sees clap.

use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use parafind::batch::Mode;
use parafind::corpus::WalkOptions;
use parafind::index::IngestOptions;
use parafind::output::{Html, Human, HumanOptions, Json, Marking, PathDisplay, Printer};
use parafind::search::{SortOrder, MAX_LIMIT};

use crate::report::FAILURE;
use size::parse_size;

mod size;

/// The index location used when neither `--index` nor `PARAFIND_INDEX` is given.
pub const DEFAULT_INDEX: &str = "index";
/// The corpus ingested by default, and on first search when there is no index yet.
pub const DEFAULT_CORPUS: &str = "corpus";

const EXAMPLES: &str = "\
Examples:
  parafind ingest                       index ./corpus (the default)
  parafind ingest notes/ README.md      index a folder and a file
  parafind search Pyongyang             best paragraphs mentioning Pyongyang
  parafind search '\"nuclear sharing\"'   an exact phrase
  parafind search 'nuclear -China'      nuclear, but not China
  parafind search --json deterrence     JSON Lines for scripts (see docs/json.md)
  parafind show corpus/us-korea-alliance.txt:6 -C 1
  parafind stats

Exit status: 0 when something matched, 1 when nothing did, 2 on any error.";

const SEARCH_HELP: &str = "\
Query syntax (words are matched whatever their case; all words must match):
  nuclear deterrence          both words, anywhere in the paragraph
  \"nuclear sharing\"           the exact phrase
  \"alliance modern\"~3         both words within 3 moves of that phrase
  nuclear OR deterrence       either word
  nuclear -China              nuclear but not China (also: nuclear AND NOT China)
  (Seoul OR Tokyo) alliance   parentheses group; AND binds tighter than OR
  semicond*                   words starting with semicond
  Pyongyng~1                  words within 1 edit of Pyongyng (~ alone: 2)
  treaties                    also finds Treaty (English stems; --exact turns this off)
  path:docs/*.md nuclear      only files whose path matches the glob
AND, OR and NOT are operators only in capitals. With -F/--literal, the query is plain words.

Examples:
  parafind search Pyongyang
  parafind search -n 3 --json 'alliance \"South Korea\"'
  parafind search -C 1 --full '\"nuclear sharing\"'      whole paragraph, with its neighbours
  parafind search --highlight markers deterrence       **deterrence** (Markdown)
  parafind search --format html shipbuilding > hits.html
  parafind search -l alliance                           files with matches, best first
  parafind search --count --path 'corpus/*' alliance   how many paragraphs match
  parafind search -F 'C++ (ADR-016'                     user input, no syntax
  parafind search -F --any 'how do allies deter Pyongyang?'   any of the words, ranked
  printf 'nuclear\\nkimchi\\n' | parafind search --batch --json   one query per line";

/// Full-text search over paragraphs: ranked, highlighted hits from a local index.
#[derive(Debug, Parser)]
#[command(name = "parafind", version, after_help = EXAMPLES)]
pub struct Cli {
    /// Directory of the index [default: index]
    #[arg(long, global = true, env = "PARAFIND_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

    /// When to colour the output (auto: only on a terminal, and not when NO_COLOR is set)
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add files to the index (re-ingesting a file replaces its paragraphs)
    #[command(after_help = "\
Examples:
  parafind ingest                 index ./corpus
  parafind ingest docs/ notes.txt directories are walked recursively, respecting .gitignore
  parafind --index /tmp/idx ingest ~/notes

Paragraphs are runs of non-blank lines; in a file without blank lines, each line is one.")]
    Ingest(IngestArgs),
    /// Search the index and print the best-matching paragraphs
    #[command(after_help = SEARCH_HELP)]
    Search(SearchArgs),
    /// Show the index's statistics: files, paragraphs, terms, size, versions, last ingest
    Stats(JsonArg),
    /// List the indexed files with their paragraph counts and modification times
    List(JsonArg),
    /// Print a file's paragraphs, or one paragraph (PATH:N) with its neighbours
    #[command(after_help = "\
Examples:
  parafind show corpus/us-korea-alliance.txt          every paragraph of the file
  parafind show corpus/us-korea-alliance.txt:6 -C 1   paragraph 6, with 5 and 7")]
    Show(ShowArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    #[command(after_help = "\
Example:
  parafind completions bash > ~/.local/share/bash-completion/completions/parafind")]
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `parafind man | man -l -`
    Man,
}

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

    /// Also ingest hidden files and directories
    #[arg(long)]
    pub hidden: bool,

    /// Only files matching GLOB (`!GLOB` to leave some out), as in ripgrep; repeatable
    #[arg(short = 'g', long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,

    /// Only files of TYPE (ripgrep's type names: md, html, txt, rust, ...); repeatable
    #[arg(short = 't', long = "type", value_name = "TYPE")]
    pub types: Vec<String>,

    /// Index every region of HTML pages: navigation, page headers and footers, sidebars and
    /// related links too, not only the main content. Files ingested with the other setting are
    /// read again
    #[arg(long)]
    pub whole_html: bool,

    /// Memory for the index writer, e.g. 256M or 1G (at least 15M per thread)
    #[arg(long, value_name = "SIZE", default_value = "320M", value_parser = parse_size)]
    pub memory: usize,

    /// Threads reading and indexing files [default: one per core, up to 8]
    #[arg(short = 'j', long, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,

    /// Print the report as JSON Lines (warnings, then a summary) on standard output
    #[arg(long)]
    pub json: bool,
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
            // Named like a path, so that naming an indexed file replaces it (the last
            // document under a key wins), whether the name is given relative or absolute.
            let name = self.name.as_deref().unwrap_or("stdin");
            let key = parafind::index::lookup_key(Path::new(name));
            Some((parafind::index::key_text(&key).to_string(), bytes))
        } else {
            None
        };
        let mut options = IngestOptions::new(roots);
        options.walk = WalkOptions {
            hidden: self.hidden,
            globs: self.globs.clone(),
            types: self.types.clone(),
            exclude: Vec::new(),
        };
        options.jsonl = self.jsonl.clone();
        options.stdin = stdin;
        options.writer_memory = self.memory;
        options.parse.whole_html = self.whole_html;
        if let Some(threads) = self.threads {
            options.threads = threads.into();
        }
        Ok(options)
    }
}

/// A `--json` flag alone.
#[derive(Debug, Args)]
pub struct JsonArg {
    /// Print JSON Lines instead of text
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `parafind show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A file (all its paragraphs) or FILE:N (paragraph N)
    #[arg(value_name = "PATH[:N]")]
    pub target: PathBuf,

    /// Print JSON Lines instead of text
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub context: ContextArgs,
}

impl ShowArgs {
    /// Splits `PATH[:N]`: a target that names an existing file is a path even if it has a colon.
    /// The path is taken as given, also when it is not UTF-8.
    pub fn target(&self) -> Result<(PathBuf, Option<u64>)> {
        let target = self.target.as_path();
        let shown = target.display();
        anyhow::ensure!(
            !target.as_os_str().is_empty(),
            "show needs a file: PATH or PATH:N"
        );
        if target.exists() {
            return Ok((target.to_path_buf(), None));
        }
        if let Some((path, number)) = split_paragraph_number(target) {
            if let Ok(number) = number.parse::<u64>() {
                anyhow::ensure!(
                    !path.as_os_str().is_empty(),
                    "{shown}: a file is missing before `:{number}`"
                );
                anyhow::ensure!(number >= 1, "{shown}: paragraphs are numbered from 1");
                return Ok((path, Some(number)));
            }
        }
        // A file that no longer exists may still be in the index.
        Ok((target.to_path_buf(), None))
    }
}

/// `PATH` and `N` of `PATH:N`, split at the last colon, with `PATH` kept byte for byte.
fn split_paragraph_number(target: &Path) -> Option<(PathBuf, String)> {
    let bytes = target.as_os_str().as_encoded_bytes();
    let colon = bytes.iter().rposition(|&b| b == b':')?;
    let number = std::str::from_utf8(&bytes[colon + 1..]).ok()?.to_string();
    #[cfg(unix)]
    let path = {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(&bytes[..colon]))
    };
    #[cfg(not(unix))]
    let path = PathBuf::from(String::from_utf8_lossy(&bytes[..colon]).into_owned());
    Some((path, number))
}

/// Arguments of `parafind search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query (see the syntax below; put `--` before a query that starts with `-`)
    #[arg(required_unless_present = "batch")]
    pub query: Option<String>,

    /// Read one query per line from FILE (or standard input, `-`); lines may also be JSON
    /// objects {"id": .., "query": .., "limit": ..}
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-",
          conflicts_with = "query")]
    pub batch: Option<PathBuf>,

    /// Show at most N hits
    #[arg(short = 'n', long, value_name = "N", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=MAX_LIMIT))]
    pub limit: u64,

    /// Skip the first N hits (for paging)
    #[arg(long, value_name = "N", default_value_t = 0,
          value_parser = clap::value_parser!(u64).range(0..=100_000_000))]
    pub offset: u64,

    /// Order hits by score (best first) or by path and paragraph
    #[arg(long, value_enum, value_name = "ORDER", default_value_t = Sort::Score)]
    pub sort: Sort,

    /// Only search files whose path (absolute, or relative to here) matches GLOB; repeatable
    #[arg(long = "path", value_name = "GLOB")]
    pub paths: Vec<String>,

    /// Print only the number of matching paragraphs
    #[arg(short = 'c', long, conflicts_with = "files_with_matches")]
    pub count: bool,

    /// Print only the files that have matching paragraphs, best first
    #[arg(short = 'l', long)]
    pub files_with_matches: bool,

    /// Print nothing; the exit status says whether anything matched
    #[arg(short = 'q', long)]
    pub quiet: bool,

    /// Read the query as plain words: no operators, quotes, prefixes or filters
    #[arg(short = 'F', long)]
    pub literal: bool,

    /// Match paragraphs with any of the words, best-scoring first (for long natural-language
    /// queries), instead of only those with all of them
    #[arg(long)]
    pub any: bool,

    /// Print JSON Lines (see docs/json.md): short for `--format json`
    #[arg(long, conflicts_with = "format")]
    pub json: bool,

    /// Output format: human (text), json (JSON Lines) or html (a standalone page)
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Human)]
    pub format: Format,

    /// Match exact word forms: `treaties` finds only `treaties`, not `Treaty`
    #[arg(short = 'x', long)]
    pub exact: bool,

    /// How matched words are marked in text output: ansi (bold colour), markers, or none
    #[arg(long, value_enum, value_name = "STYLE", default_value_t = HighlightStyle::Ansi)]
    pub highlight: HighlightStyle,

    /// Text written before each match with `--highlight markers`
    #[arg(long, value_name = "TEXT", default_value = "**")]
    pub marker_open: String,

    /// Text written after each match with `--highlight markers`
    #[arg(long, value_name = "TEXT", default_value = "**")]
    pub marker_close: String,

    /// Show long paragraphs as snippets of about N characters around their matches
    #[arg(long, value_name = "N", default_value_t = 300,
          value_parser = clap::value_parser!(u64).range(10..=1_000_000))]
    pub max_chars: u64,

    /// Show whole paragraphs instead of snippets
    #[arg(long)]
    pub full: bool,

    #[command(flatten)]
    pub context: ContextArgs,
}

/// Values of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people, grouped by file, matches highlighted
    Human,
    /// JSON Lines for programs
    Json,
    /// A standalone HTML page with matches in <mark>
    Html,
}

/// Values of `--sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Sort {
    /// Best score first
    Score,
    /// By path, then paragraph number
    Path,
}

/// Values of `--highlight`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HighlightStyle {
    /// Bold colour (only when output is coloured)
    Ansi,
    /// The --marker-open and --marker-close texts around each match
    Markers,
    /// No marking
    None,
}

/// Values of `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour when stdout is a terminal and NO_COLOR is not set
    Auto,
    /// Always colour
    Always,
    /// Never colour
    Never,
}

impl ColorWhen {
    /// The anstream choice for this setting.
    pub fn choice(self) -> anstream::ColorChoice {
        match self {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        }
    }
}

/// Neighbouring paragraphs to show, as grep's -A, -B and -C.
#[derive(Debug, Args)]
pub struct ContextArgs {
    /// Show N paragraphs after each hit (after paragraph N for `show`)
    #[arg(short = 'A', long, value_name = "N")]
    pub after_context: Option<u16>,

    /// Show N paragraphs before each hit (before paragraph N for `show`)
    #[arg(short = 'B', long, value_name = "N")]
    pub before_context: Option<u16>,

    /// Show N paragraphs before and after each hit
    #[arg(short = 'C', long, value_name = "N")]
    pub context: Option<u16>,
}

impl ContextArgs {
    /// Paragraphs before and after (-A and -B win over -C).
    pub fn counts(&self) -> (usize, usize) {
        let around = self.context.unwrap_or(0);
        (
            self.before_context.unwrap_or(around).into(),
            self.after_context.unwrap_or(around).into(),
        )
    }
}

impl SearchArgs {
    /// The library's search configuration for `query` (paths filter and base set by the caller).
    pub fn to_config(&self, query: &str, limit: Option<u64>) -> parafind::SearchConfig {
        let (context_before, context_after) = self.context.counts();
        let mut config = parafind::SearchConfig::new(
            query,
            usize::try_from(limit.unwrap_or(self.limit)).unwrap_or(usize::MAX),
        );
        config.offset = usize::try_from(self.offset).unwrap_or(usize::MAX);
        config.exact = self.exact;
        config.literal = self.literal;
        config.any = self.any;
        config.sort = match self.sort {
            Sort::Score => SortOrder::Score,
            Sort::Path => SortOrder::Path,
        };
        config.context_before = context_before;
        config.context_after = context_after;
        config
    }

    /// What each query's answer holds: hits, a count (also for `-q`) or files.
    pub fn mode(&self) -> Mode {
        if self.count || self.quiet {
            Mode::Count
        } else if self.files_with_matches {
            Mode::Files
        } else {
            Mode::Hits
        }
    }

    /// The queries of a batch, from a file or standard input (`-`), read one line at a time
    /// (so a program can write queries and read answers as it goes); `None` without `--batch`.
    pub fn batch_input(&self) -> Result<Option<Box<dyn BufRead>>> {
        let Some(source) = &self.batch else {
            return Ok(None);
        };
        if source == Path::new("-") {
            return Ok(Some(Box::new(io::stdin().lock())));
        }
        let file = std::fs::File::open(source)
            .with_context(|| format!("cannot read queries from {}", source.display()))?;
        Ok(Some(Box::new(io::BufReader::new(file))))
    }

    /// The printer of answers on standard output, in the format asked for.
    pub fn printer(&self, paths: PathDisplay, color: anstream::ColorChoice) -> Box<dyn Printer> {
        let stdout = io::stdout().lock();
        match self.format() {
            Format::Json => Box::new(Json::new(io::BufWriter::new(stdout), paths)),
            Format::Html => Box::new(Html::new(io::BufWriter::new(stdout), paths)),
            Format::Human => {
                // Colour is decided on the terminal itself. Without colour the printer writes no
                // styles, so nothing needs stripping; with it, the buffer sits under anstream's
                // stream, so a page of hits leaves in one write, not one per line.
                let color = match color {
                    anstream::ColorChoice::Auto => anstream::AutoStream::choice(&stdout),
                    chosen => chosen,
                };
                let buffered = io::BufWriter::new(stdout);
                if color == anstream::ColorChoice::Never {
                    return Box::new(Human::new(buffered, self.human_options(paths, false)));
                }
                let buffered: Box<dyn io::Write> = Box::new(buffered);
                let stream = anstream::AutoStream::new(buffered, color);
                Box::new(Human::new(stream, self.human_options(paths, true)))
            }
        }
    }

    /// The output format, `--json` included.
    pub fn format(&self) -> Format {
        if self.json {
            Format::Json
        } else {
            self.format
        }
    }

    /// The human printer's options.
    pub fn human_options(&self, paths: PathDisplay, colored: bool) -> HumanOptions {
        let marking = match self.highlight {
            HighlightStyle::Ansi => Marking::Ansi,
            HighlightStyle::Markers => Marking::Markers {
                open: self.marker_open.clone(),
                close: self.marker_close.clone(),
            },
            HighlightStyle::None => Marking::None,
        };
        HumanOptions {
            paths,
            marking,
            max_chars: (!self.full).then(|| usize::try_from(self.max_chars).unwrap_or(usize::MAX)),
            colored,
        }
    }
}

/// Help and version go to stdout as clap prints them; usage errors become one line and exit 2.
pub fn usage_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => err.exit(),
        _ => {
            // clap's message, up to its usage section, on one line ("...not provided: <QUERY>").
            let rendered = err.render().to_string();
            let message = rendered
                .lines()
                .take_while(|line| !line.starts_with("Usage:"))
                .map(str::trim)
                .filter(|line| !line.is_empty() && !line.starts_with("For more"))
                .map(|line| match line.strip_prefix("tip: ") {
                    Some(tip) => format!("({tip})"),
                    None => line.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" ");
            let message = message.strip_prefix("error: ").unwrap_or(&message);
            eprintln!("parafind: {message} (see `parafind --help`)");
            ExitCode::from(FAILURE)
        }
    }
}
