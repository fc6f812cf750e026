//! The command line: clap definitions, help text, and conversion into the library's plain
//! configuration types. Nothing outside the binary sees clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
  parafind search --json deterrence     JSON Lines for scripts

Exit status: 0 when something matched, 1 when nothing did, 2 on any error.";

/// Full-text search over paragraphs: ranked, highlighted hits from a local index.
#[derive(Debug, Parser)]
#[command(name = "parafind", version, after_help = EXAMPLES)]
pub struct Cli {
    /// Directory of the index [default: index]
    #[arg(long, global = true, env = "PARAFIND_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

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
    #[command(after_help = "\
Query syntax (words are matched whatever their case; all words must match):
  nuclear deterrence          both words, anywhere in the paragraph
  \"nuclear sharing\"           the exact phrase
  nuclear OR deterrence       either word
  nuclear -China              nuclear but not China (also: nuclear AND NOT China)
  (Seoul OR Tokyo) alliance   parentheses group; AND binds tighter than OR
AND, OR and NOT are operators only in capitals.

Examples:
  parafind search Pyongyang
  parafind search -n 3 --json 'alliance \"South Korea\"'
  parafind search --color always shipbuilding | less -R")]
    Search(SearchArgs),
}

/// Arguments of `parafind ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files or directories to ingest
    #[arg(value_name = "PATH", default_value = DEFAULT_CORPUS)]
    pub paths: Vec<PathBuf>,
}

/// Arguments of `parafind search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query (see the syntax below)
    pub query: String,

    /// Show at most N hits
    #[arg(short = 'n', long, value_name = "N", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub limit: u64,

    /// Print JSON Lines (one object per hit, then a summary) instead of text
    #[arg(long)]
    pub json: bool,

    /// Match exact word forms: `treaties` finds only `treaties`, not `Treaty`
    #[arg(short = 'x', long)]
    pub exact: bool,

    /// When to colour the output (auto: only on a terminal, and not when NO_COLOR is set)
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
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

impl SearchArgs {
    /// The library's search configuration.
    pub fn to_config(&self) -> parafind::SearchConfig {
        parafind::SearchConfig {
            query: self.query.clone(),
            limit: usize::try_from(self.limit).unwrap_or(usize::MAX),
            exact: self.exact,
        }
    }
}
