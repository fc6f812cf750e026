//! Arguments of `parafind search`: the query, its options, and the printer and batch input
//! they choose.

use std::io::{self, BufRead, IsTerminal};
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::{Args, ValueEnum};
use parafind::batch::Mode;
use parafind::output::{
    Html, HtmlOptions, Human, HumanOptions, Json, Marking, PathDisplay, Printer, Vimgrep,
};
use parafind::search::{Expansion, SortOrder, MAX_LIMIT};

pub(super) const SEARCH_HELP: &str = "\
Query syntax (words are matched whatever their case; all words must match):
  nuclear deterrence          both words, anywhere in the paragraph
  \"nuclear sharing\"           the exact phrase
  \"alliance modern\"~3         both words within 3 moves of that phrase
  nuclear OR deterrence       either word
  nuclear -China              nuclear but not China (also: nuclear AND NOT China)
  (Seoul OR Tokyo) alliance   parentheses group; AND binds tighter than OR
  semicond*                   words starting with semicond
  Pyongyng~1                  words within 1 edit of Pyongyng (~ alone: by length)
  treaties                    also finds Treaty (English stems; --exact turns this off)
  path:docs/*.md nuclear      only files whose path matches the glob
AND, OR and NOT are operators only in capitals. With -F/--literal, the query is plain words.
Leading or inner wildcards (*ance), ? wildcards, boosts (^2) and fields other than path:
are not supported: such a query is refused with what to write instead.

Examples:
  parafind search Pyongyang
  parafind search -n 3 --json 'alliance \"South Korea\"'
  parafind search -C 1 --full '\"nuclear sharing\"'      whole paragraph, with its neighbours
  parafind search --highlight markers deterrence       **deterrence** (Markdown)
  parafind search --format html shipbuilding > hits.html
  parafind search -l alliance                           files with matches, best first
  parafind search --vimgrep treaty                      path:line:column:text per hit
  parafind search --open 2 treaty                       hit 2 in $EDITOR at its line
  parafind search -i treaty                             the same, interactively (parafind tui)
  parafind search --count --path 'corpus/*' alliance   how many paragraphs match
  parafind search -F 'C++ (ADR-016'                     user input, no syntax
  parafind search -F --any 'how do allies deter Pyongyang?'   any of the words, ranked
  printf 'nuclear\\nkimchi\\n' | parafind search --batch --json   one query per line

Exit status: 0 when something matched, 1 when nothing did, 2 on an error (in a batch: 2 when
any query failed, else 0 when any matched, else 1), as grep and rg say it.";

/// Snippet size of human output without `--max-chars`, in characters.
pub const DEFAULT_MAX_CHARS: usize = 300;

/// Hits shown when `-n` is not given.
pub const DEFAULT_LIMIT: u64 = 10;

/// Arguments of `parafind search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query (see the syntax below); several words are one query, as if quoted together
    /// (`search nuclear deterrence`); put `--` before a query that starts with `-`
    #[arg(
        required_unless_present_any = ["batch", "interactive"],
        conflicts_with = "batch",
        value_name = "QUERY"
    )]
    pub query: Vec<String>,

    /// Read one query per line from FILE (or standard input, `-`); lines may also be JSON
    /// objects {"id": .., "query": .., "limit": ..}
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-",
          conflicts_with = "query")]
    pub batch: Option<PathBuf>,

    /// Show at most N hits [default: 10; with -l, every matching file]
    #[arg(short = 'n', long, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=MAX_LIMIT))]
    pub limit: Option<u64>,

    /// Skip the first N hits (for paging)
    #[arg(long, value_name = "N", default_value_t = 0,
          value_parser = clap::value_parser!(u64).range(0..=100_000_000))]
    pub offset: u64,

    /// Order hits by score (best first) or by path and paragraph
    #[arg(long, value_enum, value_name = "ORDER", default_value_t = Sort::Score)]
    pub sort: Sort,

    /// Only search files whose path (absolute, or relative to here) matches GLOB, by
    /// ripgrep's rules: `!GLOB` excludes, a name without `/` matches at any depth (a JSON
    /// Lines collection's records by the collection's path, or as FILE#ID); repeatable
    #[arg(
        short = 'g',
        long = "glob",
        visible_alias = "path",
        value_name = "GLOB"
    )]
    pub paths: Vec<String>,

    /// Only search files of TYPE (ripgrep's type names: md, html, txt, rust ...); repeatable
    #[arg(short = 't', long = "type", value_name = "TYPE")]
    pub types: Vec<String>,

    /// Print only the number of matching paragraphs
    #[arg(short = 'c', long, conflicts_with_all = ["files_with_matches", "explain",
          "after_context", "before_context", "context"])]
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
    /// queries), instead of only those with all of them; a +word must still match
    #[arg(long)]
    pub any: bool,

    /// With --any, keep English stop words (the, of, to ...) among the query's words; they are
    /// left out by default (never from phrases or --exact)
    #[arg(long, requires = "any")]
    pub keep_stop_words: bool,

    /// Expand the query by pseudo-relevance feedback (RM3): the terms that best characterise
    /// the first answer's top paragraphs are added with their weights; best with --any
    #[arg(long)]
    pub expand: bool,

    /// With --expand: how many of the best paragraphs are read for feedback
    #[arg(long, value_name = "N", default_value_t = Expansion::default().paragraphs as u64,
          value_parser = clap::value_parser!(u64).range(1..=1000), requires = "expand")]
    pub expand_paragraphs: u64,

    /// With --expand: how many terms are added
    #[arg(long, value_name = "N", default_value_t = Expansion::default().terms as u64,
          value_parser = clap::value_parser!(u64).range(1..=1000), requires = "expand")]
    pub expand_terms: u64,

    /// With --expand: the original query's share of the expanded query's weight, 0 to 1
    #[arg(long, value_name = "W", default_value_t = Expansion::default().original_weight,
          value_parser = share, requires = "expand")]
    pub expand_weight: f32,

    /// Print JSON Lines (see docs/json.md): short for `--format json`
    #[arg(long, conflicts_with = "format")]
    pub json: bool,

    /// Search interactively in the terminal instead (as `parafind tui`), starting with QUERY
    /// and these options
    #[arg(short = 'i', long,
          conflicts_with_all = ["batch", "json", "vimgrep", "format", "count",
                                "files_with_matches", "quiet", "open", "limit", "offset",
                                "sort", "expand", "score", "explain", "max_chars", "full",
                                "highlight", "marker_open", "marker_close"])]
    pub interactive: bool,

    /// Open hit number N in $VISUAL (else $EDITOR) at its line and column, instead of printing
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=MAX_LIMIT),
          conflicts_with_all = ["batch", "json", "vimgrep", "format", "count",
                                "files_with_matches", "quiet"])]
    pub open: Option<u64>,

    /// Match words only where they are written with the query's case (`US` is not `us`;
    /// `Treaty` still finds `Treaties`)
    #[arg(short = 's', long)]
    pub case_sensitive: bool,

    /// Show each hit's score in its heading (human output; JSON always has `score`)
    #[arg(long)]
    pub score: bool,

    /// Show why each hit scores what it does: each query word's BM25 part (its frequency in
    /// the paragraph, how many paragraphs hold it, the paragraph's length); in JSON as
    /// `explanation`
    #[arg(long)]
    pub explain: bool,

    /// Print path:line:column:text, one hit per line (the first highlight's place), for
    /// editors' quickfix lists: short for `--format vimgrep`
    #[arg(long, conflicts_with_all = ["format", "json", "after_context", "before_context",
          "context"])]
    pub vimgrep: bool,

    /// Output format: human (text), json (JSON Lines), html (a standalone page) or vimgrep
    /// (path:line:column:text, as --vimgrep)
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Human)]
    pub format: Format,

    /// Match exact word forms: `treaties` finds only `treaties`, not `Treaty`
    #[arg(short = 'x', long)]
    pub exact: bool,

    /// How matched words are marked in text output: ansi (bold colour), markers, or none
    #[arg(long, value_enum, value_name = "STYLE", default_value_t = HighlightStyle::Ansi)]
    pub highlight: HighlightStyle,

    /// Text written before each match with `--highlight markers` [default: **]
    #[arg(long, value_name = "TEXT")]
    pub marker_open: Option<String>,

    /// Text written after each match with `--highlight markers` [default: **]
    #[arg(long, value_name = "TEXT")]
    pub marker_close: Option<String>,

    /// Show long paragraphs as snippets of about N characters around their matches (default
    /// 300); with --json, each hit also gets the `snippets` that would be shown
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u64).range(10..=1_000_000))]
    pub max_chars: Option<u64>,

    /// Show whole paragraphs instead of snippets
    #[arg(long, conflicts_with = "max_chars")]
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
    /// path:line:column:text, one hit per line, for editors' quickfix lists
    Vimgrep,
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

/// Neighbouring paragraphs to show, as grep's -A, -B and -C.
#[derive(Debug, Args)]
pub struct ContextArgs {
    /// Show N paragraphs after each hit (for `show`, after the paragraph of PATH:NUMBER)
    #[arg(short = 'A', long, value_name = "N")]
    pub after_context: Option<u16>,

    /// Show N paragraphs before each hit (for `show`, before the paragraph of PATH:NUMBER)
    #[arg(short = 'B', long, value_name = "N")]
    pub before_context: Option<u16>,

    /// Show N paragraphs before and after each hit (for `show`, around the paragraph of
    /// PATH:NUMBER)
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
    /// The interactive UI's options for `search -i` (`color`: whether colours are wanted).
    pub fn interactive_options(&self, color: bool) -> crate::tui::TuiOptions {
        crate::tui::TuiOptions {
            query: self.query.join(" "),
            exact: self.exact,
            any: self.any,
            literal: self.literal,
            case_sensitive: self.case_sensitive,
            globs: self.paths.clone(),
            types: self.types.clone(),
            context: super::tui::preview_context(&self.context),
            color,
            ..crate::tui::TuiOptions::default()
        }
    }

    /// The library's search configuration for `query` (paths filter and base set by the caller).
    pub fn to_config(&self, query: &str, limit: Option<u64>) -> parafind::SearchConfig {
        let (context_before, context_after) = self.context.counts();
        let mut config = parafind::SearchConfig::new(
            query,
            usize::try_from(limit.unwrap_or(self.limit())).unwrap_or(usize::MAX),
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
        // People's and web output show each file's hits under one heading.
        config.explain = self.explain;
        config.case_sensitive = self.case_sensitive;
        config.keep_stop_words = self.keep_stop_words;
        config.expand = self.expand.then(|| Expansion {
            paragraphs: usize::try_from(self.expand_paragraphs).unwrap_or(usize::MAX),
            terms: usize::try_from(self.expand_terms).unwrap_or(usize::MAX),
            original_weight: self.expand_weight,
        });
        // `-q` prints nothing: a suggestion would be work for no one.
        config.suggest = !self.quiet;
        config.files_together = matches!(self.format(), Format::Human | Format::Html);
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
        if source.is_dir() {
            anyhow::bail!(
                "{}: is a directory; --batch takes a file of queries, one a line (or - for \
                 standard input)",
                source.display()
            );
        }
        let file = std::fs::File::open(source).map_err(|error| {
            anyhow::anyhow!(
                "cannot read queries from {}: {}",
                source.display(),
                parafind::error::io_words(&error)
            )
        })?;
        Ok(Some(Box::new(io::BufReader::new(file))))
    }

    /// The printer of answers on standard output, in the format asked for.
    pub fn printer(&self, paths: PathDisplay, color: anstream::ColorChoice) -> Box<dyn Printer> {
        let stdout = io::stdout().lock();
        // Read by a program, not a person: a path that is not UTF-8 is printed as its bytes
        // in text and quickfix lines (JSON has `path_bytes`; a web page shows text).
        let named = PathDisplay {
            raw: !stdout.is_terminal(),
            ..paths.clone()
        };
        let color = super::stdout_color(color);
        match self.format() {
            Format::Json => {
                let printer = Json::new(io::BufWriter::new(stdout), paths);
                match self.snippet_chars() {
                    Some(max_chars) => Box::new(printer.with_snippets(max_chars)),
                    None => Box::new(printer),
                }
            }
            Format::Html => Box::new(Html::new(
                io::BufWriter::new(stdout),
                HtmlOptions {
                    paths,
                    max_chars: self.snippet_chars().filter(|_| !self.full),
                    neighbours: self.context.counts() != (0, 0),
                },
            )),
            Format::Vimgrep => {
                // Coloured as `rg --vimgrep` is: on a terminal, or when asked.
                let printer = Vimgrep::new(io::BufWriter::new(stdout), named);
                match color {
                    anstream::ColorChoice::Never => Box::new(printer),
                    _ => Box::new(printer.colored()),
                }
            }
            Format::Human => {
                // Without colour the printer writes no styles, so nothing needs stripping; with
                // it, the buffer sits under anstream's stream, so a page of hits leaves in one
                // write, not one per line.
                let buffered = io::BufWriter::new(stdout);
                if color == anstream::ColorChoice::Never {
                    return Box::new(Human::new(buffered, self.human_options(named, false)));
                }
                let buffered: Box<dyn io::Write> = Box::new(buffered);
                let stream = anstream::AutoStream::new(buffered, color);
                Box::new(Human::new(stream, self.human_options(named, true)))
            }
        }
    }

    /// The snippet size asked for with `--max-chars`.
    fn snippet_chars(&self) -> Option<usize> {
        self.max_chars
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
    }

    /// How many hits to show: `-n`, else 10; with `-l`, every matching file (as `grep -l`
    /// lists them).
    pub fn limit(&self) -> u64 {
        match (self.limit, self.files_with_matches) {
            (Some(n), _) => n,
            (None, true) => MAX_LIMIT,
            (None, false) => DEFAULT_LIMIT,
        }
    }

    /// The output format, `--json` included.
    /// Refuses options the output asked for makes nothing of: marker texts without marker
    /// highlighting; neighbours (`-A/-B/-C`), `--explain` and `--score`, which need hits
    /// printed, with `-c`, `-q`, `-l` or the vimgrep format (one line per hit).
    pub fn check_options(&self) -> Result<()> {
        self.check_markers()?;
        // (The page gives every hit's score, as `data-score`, with or without `--score`.)
        anyhow::ensure!(
            !(self.explain && self.format() == Format::Html),
            "--explain shows why each hit scores what it does, which the HTML page does not \
             print; use it with text or --json output"
        );
        let output = match (self.mode(), self.format()) {
            (Mode::Count, _) if self.quiet => "-q",
            (Mode::Count, _) => "--count",
            (Mode::Files, _) => "-l",
            (Mode::Hits, Format::Vimgrep) => "the vimgrep format",
            (Mode::Hits, _) => return Ok(()),
        };
        anyhow::ensure!(
            self.context.counts() == (0, 0),
            "-A, -B and -C show hits' neighbouring paragraphs, which {output} does not print"
        );
        anyhow::ensure!(
            !self.explain,
            "--explain shows why each hit scores what it does, which {output} does not print"
        );
        anyhow::ensure!(
            !self.score,
            "--score shows each hit's score in its heading, which {output} does not print"
        );
        Ok(())
    }

    /// Refuses marker texts that no output would write: they mark matches only with
    /// `--highlight markers`.
    fn check_markers(&self) -> Result<()> {
        let given = self.marker_open.is_some() || self.marker_close.is_some();
        anyhow::ensure!(
            !given || self.highlight == HighlightStyle::Markers,
            "--marker-open and --marker-close are written only with --highlight markers"
        );
        // Markers are written into text output's hits only.
        let output = match (self.mode(), self.format()) {
            _ if self.highlight != HighlightStyle::Markers => return Ok(()),
            (Mode::Count, _) if self.quiet => "-q, which prints nothing",
            (Mode::Count, _) => "--count, which prints counts",
            (Mode::Files, _) => "-l, which prints paths",
            (Mode::Hits, Format::Human) => return Ok(()),
            (Mode::Hits, Format::Json) => "--json, which gives each match's byte offsets",
            (Mode::Hits, Format::Html) => "the HTML page, which marks matches with <mark>",
            (Mode::Hits, Format::Vimgrep) => "the vimgrep format, which gives a column",
        };
        anyhow::bail!("--highlight markers marks matches in text output, not with {output}")
    }

    pub fn format(&self) -> Format {
        if self.json {
            Format::Json
        } else if self.vimgrep {
            Format::Vimgrep
        } else {
            self.format
        }
    }

    /// The human printer's options.
    pub fn human_options(&self, paths: PathDisplay, colored: bool) -> HumanOptions {
        let marking = match self.highlight {
            HighlightStyle::Ansi => Marking::Ansi,
            HighlightStyle::Markers => Marking::Markers {
                open: self.marker_open.clone().unwrap_or_else(|| "**".into()),
                close: self.marker_close.clone().unwrap_or_else(|| "**".into()),
            },
            HighlightStyle::None => Marking::None,
        };
        HumanOptions {
            paths,
            marking,
            max_chars: (!self.full).then(|| self.snippet_chars().unwrap_or(DEFAULT_MAX_CHARS)),
            colored,
            score: self.score || self.explain,
            neighbours: self.context.counts() != (0, 0),
        }
    }
}

/// A share from 0 to 1 (`--expand-weight`).
fn share(text: &str) -> Result<f32, String> {
    match text.trim().parse::<f32>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(value),
        _ => Err(format!("`{text}` is not a number from 0 to 1")),
    }
}
