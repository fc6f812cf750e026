//! The command line: clap definitions, help text, and conversion into the library's plain
//! configuration types. Nothing outside the binary sees clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use parafind::output::{HumanOptions, Marking, PathDisplay};

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
  \"alliance modern\"~3         both words within 3 moves of that phrase
  nuclear OR deterrence       either word
  nuclear -China              nuclear but not China (also: nuclear AND NOT China)
  (Seoul OR Tokyo) alliance   parentheses group; AND binds tighter than OR
  semicond*                   words starting with semicond
  Pyongyng~1                  words within 1 edit of Pyongyng (~ alone: 2)
  treaties                    also finds Treaty (English stems; --exact turns this off)
AND, OR and NOT are operators only in capitals.

Examples:
  parafind search Pyongyang
  parafind search -n 3 --json 'alliance \"South Korea\"'
  parafind search -C 1 --full '\"nuclear sharing\"'      whole paragraph, with its neighbours
  parafind search --highlight markers deterrence       **deterrence** (Markdown)
  parafind search --format html shipbuilding > hits.html
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

    /// Print JSON Lines (one object per hit, then a summary): short for `--format json`
    #[arg(long, conflicts_with = "format")]
    pub json: bool,

    /// Output format: human (text), json (JSON Lines) or html (a standalone page)
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Human)]
    pub format: Format,

    /// Match exact word forms: `treaties` finds only `treaties`, not `Treaty`
    #[arg(short = 'x', long)]
    pub exact: bool,

    /// When to colour the output (auto: only on a terminal, and not when NO_COLOR is set)
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,

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

    /// Show N paragraphs after each hit
    #[arg(short = 'A', long, value_name = "N")]
    pub after_context: Option<u16>,

    /// Show N paragraphs before each hit
    #[arg(short = 'B', long, value_name = "N")]
    pub before_context: Option<u16>,

    /// Show N paragraphs before and after each hit
    #[arg(short = 'C', long, value_name = "N")]
    pub context: Option<u16>,
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

impl SearchArgs {
    /// The library's search configuration.
    pub fn to_config(&self) -> parafind::SearchConfig {
        let around = self.context.unwrap_or(0);
        parafind::SearchConfig {
            query: self.query.clone(),
            limit: usize::try_from(self.limit).unwrap_or(usize::MAX),
            exact: self.exact,
            context_before: self.before_context.unwrap_or(around).into(),
            context_after: self.after_context.unwrap_or(around).into(),
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
    pub fn human_options(&self, paths: PathDisplay) -> HumanOptions {
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
        }
    }
}
