//! The command line: clap definitions, help text, usage errors, and conversion into the
//! library's plain configuration types (ingest options, search configuration, printer, batch
//! input). Nothing outside the binary sees clap. Each command's arguments live in their own
//! module: `ingest` (ingest, remove), `search`, `serve`, `show`, `tui`.

mod ingest;
mod search;
mod serve;
mod show;
mod tui;

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

pub use ingest::{IngestArgs, RefreshArgs, RemoveArgs, WatchArgs};
pub use search::{ContextArgs, Format, SearchArgs};
pub use serve::ServeArgs;
pub use show::{a_directory, ShowArgs};
pub use tui::TuiArgs;

use crate::report::FAILURE;
use search::SEARCH_HELP;
use serve::SERVE_HELP;
use tui::TUI_HELP;

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
  parafind tui                          search as you type, open hits in $EDITOR
  parafind show corpus/us-korea-alliance.txt:6 -C 1
  parafind stats

Exit status: 0 when something matched, 1 when nothing did, 2 on any error.";

/// Full-text search over paragraphs: ranked, highlighted hits from a local index.
#[derive(Debug, Parser)]
#[command(name = "parafind", version, after_help = EXAMPLES)]
pub struct Cli {
    /// Directory of the index [default: the first ./index, ../index, ... that is a parafind
    /// index; ingest: ./index]
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
    #[command(
        allow_negative_numbers = true,
        after_help = "\
Examples:
  parafind ingest                     index ./corpus
  parafind ingest docs/ notes.txt     directories are walked recursively, respecting .gitignore
  parafind --index /tmp/idx ingest ~/notes

Paragraphs are runs of non-blank lines; in a file without blank lines, each line is one."
    )]
    Ingest(IngestArgs),
    /// Bring the index in step with the files: re-index changed ones, remove missing ones,
    /// add new ones under the directories ingested before (with the filters used then)
    #[command(
        allow_negative_numbers = true,
        after_help = "\
Example:
  parafind refresh        after editing, renaming or deleting files anywhere in the collection

Reports added / updated / removed / unchanged like ingest."
    )]
    Refresh(RefreshArgs),
    /// Keep the index in step with its directories as files change, until interrupted
    #[command(
        allow_negative_numbers = true,
        after_help = "\
Examples:
  parafind watch                  watch every directory ingested before
  parafind watch -t md notes/     ingest notes/ (Markdown only), then watch it

Changes are gathered until they settle (200 ms, at most 2 s) and committed together, one line
on stderr per commit. Ctrl-C stops; the last commit stays intact."
    )]
    Watch(WatchArgs),
    /// Take files or directories out of the index, also ones no longer on disk
    #[command(
        allow_negative_numbers = true,
        after_help = "\
Examples:
  parafind remove notes/old.md          one file (it may be deleted already)
  parafind remove drafts/               everything indexed under a directory

Ingest never removes a file that still exists; remove is how to take one out."
    )]
    Remove(RemoveArgs),
    /// Search the index and print the best-matching paragraphs
    #[command(allow_negative_numbers = true, after_help = SEARCH_HELP)]
    Search(SearchArgs),
    /// Search interactively in the terminal: results as you type, a preview, Enter opens the hit
    #[command(allow_negative_numbers = true, after_help = TUI_HELP)]
    Tui(TuiArgs),
    /// Serve the index over HTTP on this machine: a search page and a JSON Lines API
    #[command(allow_negative_numbers = true, after_help = SERVE_HELP)]
    Serve(ServeArgs),
    /// Show the index's statistics: files, paragraphs, terms, size, versions, last ingest
    Stats(JsonArg),
    /// Verify the index: read every file of its last commit and compare it with its checksum
    #[command(after_help = "\
Searches read only what they need, so damage on the disk (a bit flipped in a file of text)
can go unnoticed by them and show as altered text. `check` reads the whole index, as SQLite's
integrity_check or Lucene's CheckIndex do, and names every file that does not match the
checksum written at its end.

Exit status: 0 when every file matches, 2 when one does not (named, with what to do) or the
index cannot be opened.")]
    Check,
    /// List the indexed files with their paragraph counts and modification times
    #[command(after_help = "\
Exit status: 0 when the index holds a file, 1 when it holds none (as grep says whether it
found a line), 2 on an error.")]
    List(JsonArg),
    /// Print a file's paragraphs, or one paragraph (PATH:N) with its neighbours
    #[command(
        allow_negative_numbers = true,
        after_help = "\
Examples:
  parafind show corpus/us-korea-alliance.txt          every paragraph of the file
  parafind show corpus/us-korea-alliance.txt:6 -C 1   paragraph 6, with 5 and 7"
    )]
    Show(ShowArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    #[command(
        allow_negative_numbers = true,
        after_help = "\
Example:
  parafind completions bash > ~/.local/share/bash-completion/completions/parafind"
    )]
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) of parafind or of one command, or write them all to a directory
    #[command(
        allow_negative_numbers = true,
        after_help = "\
Examples:
  parafind man | man -l -                       the commands and global options
  parafind man search | man -l -                search, with the query syntax
  parafind man --dir ~/.local/share/man/man1    install every page; then `man parafind-search`"
    )]
    Man(ManArgs),
}

/// Arguments of `parafind man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (ingest, search, show ...); parafind's own by default
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,

    /// Write parafind.1 and a parafind-COMMAND.1 per command into DIR instead of printing
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub dir: Option<PathBuf>,
}

/// A `--json` flag alone.
#[derive(Debug, Args)]
pub struct JsonArg {
    /// Print JSON Lines instead of text
    #[arg(long)]
    pub json: bool,
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

/// The first of `args` that names one of `cli`'s commands, skipping the values of its options
/// that take one (`--index list search` is `search`); arguments need not be UTF-8.
fn first_command(
    args: impl Iterator<Item = std::ffi::OsString>,
    cli: &clap::Command,
) -> Option<String> {
    let takes_value = |word: &str| {
        (cli.get_arguments()).any(|arg| {
            let long = word.strip_prefix("--");
            let short = word.strip_prefix('-').and_then(|w| w.parse::<char>().ok());
            arg.get_action().takes_values()
                && (long.is_some_and(|l| arg.get_long() == Some(l))
                    || short.is_some_and(|c| arg.get_short() == Some(c)))
        })
    };
    let mut value_next = false;
    for arg in args {
        let text = arg.to_str();
        if std::mem::take(&mut value_next) {
            continue;
        }
        match text {
            Some(word) if cli.find_subcommand(word).is_some() => return Some(word.to_string()),
            Some(word) => value_next = takes_value(word),
            None => {}
        }
    }
    None
}

/// The colour choice for standard output: `auto` decided on the terminal itself (and
/// `NO_COLOR`), as anstream decides it.
pub fn stdout_color(choice: anstream::ColorChoice) -> anstream::ColorChoice {
    match choice {
        anstream::ColorChoice::Auto => anstream::AutoStream::choice(&std::io::stdout()),
        chosen => chosen,
    }
}

/// Help and version go to stdout as clap prints them; usage errors become one line and exit 2.
pub fn usage_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // Printed as clap prints it, but an output that cannot be written is said (clap's
            // own `exit` ignores it), as for any other output; a closed pipe is no failure.
            match err.print() {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("parafind: cannot write the output: {e}");
                    ExitCode::from(FAILURE)
                }
                _ => ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(FAILURE)),
            }
        }
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
            // The help of the command whose flag it is (`parafind search --help`): the first
            // argument that names a command.
            let command = first_command(std::env::args_os().skip(1), &Cli::command())
                .map_or(String::new(), |command| format!("{command} "));
            eprintln!("parafind: {message} (see `parafind {command}--help`)");
            ExitCode::from(FAILURE)
        }
    }
}

/// The manual page of `command` in roff, and its file name: clap's sections, its footer
/// naming parafind and its version (clap's names a subcommand and no version: `search`), then
/// what the help says after the options as the help lays it out. clap would fill those lines
/// into running text (the query syntax table and the examples lost their columns and ran into
/// each other); they are set here without filling, under DETAILS, before VERSION.
fn manual(command: clap::Command) -> io::Result<(String, Vec<u8>)> {
    let after = (command.get_after_long_help())
        .or_else(|| command.get_after_help())
        .map(|text| text.to_string());
    let version = command.get_version().map(str::to_string);
    let man = clap_mangen::Man::new(
        command
            .after_help(None::<&str>)
            .after_long_help(None::<&str>)
            .version(None::<&str>),
    )
    .source(format!("parafind {}", env!("CARGO_PKG_VERSION")));
    let mut page = Vec::new();
    man.render(&mut page)?;
    let mut roff = roff::Roff::new();
    if let Some(after) = after {
        roff.control("SH", ["DETAILS"]).control("nf", []);
        for line in after.lines() {
            roff.text([roff::roman(line)]);
        }
        roff.control("fi", []);
    }
    if let Some(version) = version {
        roff.control("SH", ["VERSION"]);
        roff.text([roff::roman(format!("v{version}"))]);
    }
    page.extend_from_slice(roff.to_roff().as_bytes());
    Ok((man.get_filename(), page))
}

/// Prints parafind's manual page or one command's, or writes them all to a directory.
pub fn man(args: &ManArgs) -> anyhow::Result<ExitCode> {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    if let Some(dir) = &args.dir {
        let pages = std::iter::once(command.clone()).chain(
            command
                .get_subcommands()
                .filter(|sub| !sub.is_hide_set())
                .cloned(),
        );
        std::fs::create_dir_all(dir)
            .and_then(|()| {
                pages.map(manual).try_for_each(|page| {
                    let (name, roff) = page?;
                    std::fs::write(dir.join(name), roff)
                })
            })
            .with_context(|| format!("{}: cannot write the manual pages", dir.display()))?;
        eprintln!("parafind: manual pages written to {}", dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    let page = match &args.command {
        None => command,
        Some(name) => match command.find_subcommand(name) {
            Some(sub) => sub.clone(),
            None => {
                let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
                anyhow::bail!(
                    "no manual page for `{name}`; the commands are: {}",
                    names.join(", ")
                );
            }
        },
    };
    // Written whole, so a closed pipe is an error to report (as success), not a panic.
    let (_, roff) = manual(page)?;
    io::Write::write_all(&mut io::stdout().lock(), &roff)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_of_a_bad_flag_is_the_first_argument_naming_one() {
        let cli = Cli::command();
        let first = |args: &[&str]| first_command(args.iter().map(std::ffi::OsString::from), &cli);
        assert_eq!(
            first(&["--index", "list", "search", "-n", "0"]).as_deref(),
            Some("search")
        );
        assert_eq!(
            first(&["--color=never", "list", "--bogus"]).as_deref(),
            Some("list")
        );
        assert_eq!(first(&["--bogus"]), None);
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let raw = std::ffi::OsStr::from_bytes(b"idx\xff").to_os_string();
            let args = ["--index".into(), raw, "search".into()];
            assert_eq!(
                first_command(args.into_iter(), &cli).as_deref(),
                Some("search")
            );
        }
    }
}
