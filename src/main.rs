//! The `parafind` binary: parses the command line, runs the subcommand through the library,
//! prints, and maps the outcome to an exit status (0 hits, 1 no hit, 2 error).

#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

/// `eprintln!` that never panics, for every module below: a standard error whose reader has
/// gone (`2>&1 | head -1`) loses the message, not the exit status (std's panics, and a panic
/// while the panic hook prints aborts the process).
macro_rules! eprintln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod cli;
mod open;
mod report;
mod serve;
mod tui;
mod upkeep;

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result};
use clap::{CommandFactory, Parser};

use cli::{Cli, Command, SearchArgs, ShowArgs};
use parafind::batch::{self, Job, Runner};
use parafind::index::{self, IngestOptions, ParaIndex};
use parafind::output::{self, BatchSummary, Discard, PathDisplay, Printer};
use parafind::search::{PathFilter, Session};
use report::FAILURE;

fn main() -> ExitCode {
    // A file that grows past the file-size limit (`ulimit -f`) fails its write (EFBIG), which
    // is said and cleaned up as a full disk is, rather than the signal killing the process
    // with what it wrote left behind.
    #[cfg(unix)]
    // SAFETY: sets one signal's disposition to "ignore", before any thread starts.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    // An empty PARAFIND_INDEX is as good as unset (as an empty NO_COLOR is), not a flag
    // `--index` given no value.
    if std::env::var_os("PARAFIND_INDEX").is_some_and(|value| value.is_empty()) {
        std::env::remove_var("PARAFIND_INDEX");
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return cli::usage_error(err),
    };
    report::install_panic_hook();
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(code)) => code,
        Ok(Err(err)) => report::failure(&err),
        Err(_) => report::panicked(),
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let explicit_index = cli.index.is_some();
    let ingesting = match &cli.command {
        Command::Ingest(_) => true,
        Command::Watch(args) => !args.paths.is_empty(),
        _ => false,
    };
    let index_dir = index_location(cli.index, ingesting);
    report::set_index(&index_dir);
    let color = cli.color.choice();
    match cli.command {
        Command::Ingest(args) => upkeep::ingest(&index_dir, args),
        Command::Remove(args) => upkeep::remove(&index_dir, &args),
        Command::Refresh(args) => upkeep::refresh(&index_dir, &args),
        Command::Watch(args) => upkeep::watch(&index_dir, &args),
        Command::Search(args) => search(&index_dir, explicit_index, &args, cli.color),
        Command::Tui(args) => {
            let options = args.options(wants_color(cli.color));
            tui::check(&options)?;
            ingest_default_corpus_if_missing(&index_dir, explicit_index)?;
            tui::run(&index_dir, options)
        }
        Command::Serve(args) => {
            let options = args.options();
            serve::check(&options)?;
            ingest_default_corpus_if_missing(&index_dir, explicit_index)?;
            serve::serve(&index_dir, options)
        }
        Command::Stats(args) => stats(&index_dir, args.json),
        Command::Check => check(&index_dir),
        Command::List(args) => list(&index_dir, args.json, color),
        Command::Show(args) => show(&index_dir, &args, color),
        Command::Completions { shell } => {
            // Written whole, so a closed pipe is an error to report (as success), not a panic.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "parafind", &mut script);
            io::Write::write_all(&mut io::stdout().lock(), &script)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man(args) => cli::man(&args),
    }
}

/// Whether a full-screen UI should use colours: `--color`, and with `auto` unless `NO_COLOR`
/// is set to something (https://no-color.org).
fn wants_color(when: cli::ColorWhen) -> bool {
    match when {
        cli::ColorWhen::Always => true,
        cli::ColorWhen::Never => false,
        cli::ColorWhen::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// The index to use, as an absolute path: the one given (`--index`, `PARAFIND_INDEX`); for
/// ingest, `./index`; otherwise the first `index` directory in the current directory or one of
/// its parents that is a parafind index, and `./index` when there is none.
fn index_location(given: Option<PathBuf>, ingesting: bool) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    let found = match given {
        Some(dir) => Some(dir),
        None if ingesting => None,
        None => index::find_index(&cwd, cli::DEFAULT_INDEX),
    };
    let dir = found.unwrap_or_else(|| PathBuf::from(cli::DEFAULT_INDEX));
    report::absolute_index(&dir)
}

/// Whether a command would ingest the default corpus first: a fresh clone has no index yet.
fn ingests_default_corpus(index_dir: &Path, explicit_index: bool) -> bool {
    let corpus = Path::new(cli::DEFAULT_CORPUS);
    !(explicit_index || index::exists(index_dir) || index_dir.is_file() || !corpus.is_dir())
}

/// On a fresh clone there is no index yet: the default corpus is ingested first.
fn ingest_default_corpus_if_missing(index_dir: &Path, explicit_index: bool) -> Result<()> {
    let corpus = Path::new(cli::DEFAULT_CORPUS);
    if !ingests_default_corpus(index_dir, explicit_index) {
        return Ok(());
    }
    eprintln!(
        "parafind: no index at {} yet; ingesting ./{} first",
        index_dir.display(),
        cli::DEFAULT_CORPUS
    );
    upkeep::run_ingest(
        index_dir,
        &IngestOptions::new(vec![corpus.to_path_buf()]),
        output::report::ReportFormat::Text { verbose: false },
    )?;
    Ok(())
}

fn search(
    index_dir: &Path,
    explicit_index: bool,
    args: &SearchArgs,
    color_when: cli::ColorWhen,
) -> Result<ExitCode> {
    args.check_options()?;
    if args.interactive {
        // The UI checks the globs and types itself and builds its own configurations.
        let options = args.interactive_options(wants_color(color_when));
        tui::check(&options)?;
        ingest_default_corpus_if_missing(index_dir, explicit_index)?;
        return tui::run(index_dir, options);
    }
    let color = color_when.choice();
    let started = Instant::now();
    let base = std::env::current_dir().ok();
    let mut config = args.to_config("", None);
    config.paths = match (args.paths.as_slice(), args.types.as_slice()) {
        ([], []) => None,
        (globs, types) => Some(PathFilter::with_types(globs, types, base.clone())?),
    };
    config.base = base.clone();
    // What can be checked without an index is, before the default corpus is ingested for it:
    // the filters above, the batch file, a single query's syntax (a query's error is the
    // answer's, a JSON record with --json: that one waits for the index).
    let batch_input = args.batch_input()?;
    let json = args.format() == cli::Format::Json;
    if batch_input.is_none() && !json && ingests_default_corpus(index_dir, explicit_index) {
        let mut single = config.clone();
        single.query = args.query.join(" ");
        parafind::search::check_query(&single)?;
    }
    ingest_default_corpus_if_missing(index_dir, explicit_index)?;
    let index: ParaIndex = index::open(index_dir)?;
    let mut session = Session::new(&index)?;
    session.name_index_as(report::index_flag());
    if let Some(wanted) = args.open {
        return open::open_hit(&mut session, config, args, wanted);
    }
    let mut printer: Box<dyn Printer> = match args.quiet {
        true => Box::new(Discard),
        false => args.printer(PathDisplay::under(base), color),
    };
    let jobs: Box<dyn Iterator<Item = Result<Job>>> = match batch_input {
        Some(input) => {
            Box::new(batch::jobs(input).map(|job| job.context("cannot read the batch of queries")))
        }
        None => Box::new(std::iter::once(Ok(Job::single(args.query.join(" "))))),
    };
    let mut runner = Runner::new(&mut session, config, args.mode());
    batch::run(&mut runner, jobs, &mut *printer, |answer| {
        report::answer_on_stderr(args, answer)
    })?;
    let summary = BatchSummary {
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
        ..runner.summary()
    };
    printer.finish(args.batch.is_some().then_some(&summary))?;
    // The process ends next: unmapping the index's files one by one would only cost time.
    std::mem::forget(session);
    std::mem::forget(index);
    Ok(if summary.failed > 0 {
        ExitCode::from(FAILURE)
    } else if summary.matched > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn stats(index_dir: &Path, json: bool) -> Result<ExitCode> {
    let index = index::open(index_dir)?;
    let stats = index::stats(&index)?;
    let mut out = io::stdout().lock();
    output::inspect::stats(&mut out, index_dir, &stats, json)?;
    Ok(ExitCode::SUCCESS)
}

fn check(index_dir: &Path) -> Result<ExitCode> {
    // Opening says what is wrong with an index that is missing, foreign or incomplete.
    let index = index::open(index_dir)?;
    let checked = index::check(index_dir)?;
    if !checked.damaged.is_empty() {
        return Err(parafind::Error::ChecksumMismatch {
            path: index_dir.to_path_buf(),
            files: checked.damaged,
            rebuild: index.rebuild_command(),
        }
        .into());
    }
    // (Written, not printed: an output that cannot be written is said, as for any command.)
    use std::io::Write as _;
    writeln!(
        io::stdout().lock(),
        "the {} files of the index at {} ({} bytes) each match their checksum",
        checked.files,
        output::one_line(&index_dir.display().to_string()),
        checked.bytes
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The key of `path` the index holds paragraphs under, the likeliest first (see
/// [`index::lookup_keys`]); `Err` with the key the path resolves to when it holds none.
fn held_key(session: &Session<'_>, path: &Path) -> Result<std::result::Result<String, String>> {
    let mut keys = index::lookup_keys(path);
    for (at, key) in keys.iter().enumerate() {
        if session.paragraph_count(key)? > 0 {
            return Ok(Ok(keys.swap_remove(at)));
        }
    }
    Ok(Err(keys.pop().unwrap_or_default()))
}

/// Standard output for `list` and `show`, and whether to style it: colour on a terminal
/// (`--color auto`, `NO_COLOR`) or when asked. Without colour nothing is styled, and nothing
/// stripped: a file name's raw bytes pass as they are (a stream stripping styles takes bytes
/// 0x80-0x9F for control codes).
fn text_out(color: anstream::ColorChoice) -> (Box<dyn io::Write>, bool) {
    let stdout = io::stdout();
    match cli::stdout_color(color) {
        anstream::ColorChoice::Never => (Box::new(stdout.lock()), false),
        chosen => (
            Box::new(anstream::AutoStream::new(stdout.lock(), chosen)),
            true,
        ),
    }
}

fn list(index_dir: &Path, json: bool, color: anstream::ColorChoice) -> Result<ExitCode> {
    let index = index::open(index_dir)?;
    let files = index::files(&index)?;
    let paths = PathDisplay {
        raw: !io::stdout().is_terminal(),
        ..PathDisplay::under(std::env::current_dir().ok())
    };
    let (mut out, colored) = text_out(color);
    let now = parafind::search::files_now(&files);
    output::inspect::files(&mut out, &files, &now, &paths, (json, colored))?;
    Ok(if files.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn show(index_dir: &Path, args: &ShowArgs, color: anstream::ColorChoice) -> Result<ExitCode> {
    let (mut path, mut number) = args.target()?;
    let context = args.context.counts();
    anyhow::ensure!(
        number.is_some() || context == (0, 0),
        "show {}: -A, -B and -C show the neighbours of one paragraph; name it as PATH:N",
        output::one_line(&args.target.display().to_string())
    );
    let index = index::open(index_dir)?;
    let mut session = Session::new(&index)?;
    session.name_index_as(report::index_flag());
    // `notes.jsonl#a:1` is the record `a:1` when the index holds one, else paragraph 1 of `a`.
    if number.is_some() && held_key(&session, &args.target)?.is_ok() {
        (path, number) = (args.target.clone(), None);
    }
    // (A link where the index holds a file at the link's own place: that file; else a link to
    // a directory is a directory.)
    let held = held_key(&session, &path)?;
    if held.is_err() && path.is_dir() {
        return Err(cli::a_directory(&path));
    }
    let key = held.unwrap_or_else(|resolved| resolved);
    let paths = PathDisplay {
        raw: !io::stdout().is_terminal(),
        ..PathDisplay::under(std::env::current_dir().ok())
    };
    // What is shown is what was indexed: a file changed since says so, as search does (on
    // stderr, or first as a JSON record).
    let warning = session.file_warning(&key, paths.base.as_deref())?;
    let shown = session.excerpt(&key, &path, number, context)?;
    let (mut out, colored) = text_out(color);
    // Printed as read (a reader that stops early stops the reading); a paragraph that cannot
    // be read ends it, and is the error; when the first cannot, nothing is printed.
    let mut shown = shown.peekable();
    if shown.peek().is_some_and(|first| first.is_err()) {
        if let Some(Err(err)) = shown.next() {
            return Err(err.into());
        }
    }
    if let (Some(warning), true) = (&warning, args.json) {
        output::inspect::warning(&mut out, warning)?;
    }
    let mut unreadable = None;
    let readable = shown.map_while(|paragraph| paragraph.map_err(|e| unreadable = Some(e)).ok());
    let json = args.json;
    output::inspect::paragraphs(&mut out, &key, readable, number, &paths, json, colored)?;
    if let Some(err) = unreadable {
        return Err(err.into());
    }
    if let (Some(warning), false) = (warning, args.json) {
        eprintln!(
            "parafind: warning: {}",
            output::one_line(&warning.to_string())
        );
    }
    Ok(ExitCode::SUCCESS)
}
