//! The `parafind` binary: parses the command line, runs the subcommand through the library,
//! prints, and maps the outcome to an exit status (0 hits, 1 no hit, 2 error).

#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod cli;

use std::io::{self, BufRead, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result};
use clap::{CommandFactory, Parser};
use serde_json::Value;

use cli::{Cli, Command, Format, IngestArgs, SearchArgs, ShowArgs};
use parafind::index::{self, IngestOptions, IngestReport, ParaIndex, Progress};
use parafind::output::{
    self, one_line, Answer, BatchSummary, Html, Human, Json, Outcome, PathDisplay, Printer,
};
use parafind::search::{FileMatch, PathFilter, SearchResults, Session};
use parafind::warning::QueryWarning;

const FAILURE: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    // A bug, or a damaged index that tantivy trips over, must still end in one clear line and
    // exit status 2, never a panic message and status 101.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "parafind: internal error: {}{at}; this is a bug in parafind: please report it with the command that caused it",
            one_line(&what)
        );
    }));
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(code)) => code,
        Ok(Err(err)) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Ok(Err(err)) => {
            eprintln!("parafind: {}", describe(&err));
            ExitCode::from(FAILURE)
        }
        Err(_) => ExitCode::from(FAILURE),
    }
}

/// An error and its causes as one line, `what failed: why`. The library's messages state their
/// own causes and hand out none as `source()`, so each cause in the chain is printed once.
fn describe(err: &anyhow::Error) -> String {
    one_line(&format!("{err:#}"))
}

/// Help and version go to stdout as clap prints them; usage errors become one line and exit 2.
fn usage_error(err: clap::Error) -> ExitCode {
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

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

fn run(cli: Cli) -> Result<ExitCode> {
    let explicit_index = cli.index.is_some();
    let index_dir = cli
        .index
        .unwrap_or_else(|| PathBuf::from(cli::DEFAULT_INDEX));
    let color = cli.color.choice();
    match cli.command {
        Command::Ingest(args) => ingest(&index_dir, args),
        Command::Search(args) => search(&index_dir, explicit_index, &args, color),
        Command::Stats(args) => stats(&index_dir, args.json),
        Command::List(args) => list(&index_dir, args.json, color),
        Command::Show(args) => show(&index_dir, &args, color),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "parafind", &mut io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(&mut io::stdout())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn ingest(index_dir: &Path, args: IngestArgs) -> Result<ExitCode> {
    let reads_stdin = args.paths.iter().any(|p| p == Path::new("-"));
    anyhow::ensure!(
        args.name.is_none() || reads_stdin,
        "--name names the document read from standard input; add `-` to the paths"
    );
    let mut roots: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|p| *p != Path::new("-"))
        .cloned()
        .collect();
    if roots.is_empty() && args.jsonl.is_empty() && !reads_stdin {
        roots.push(PathBuf::from(cli::DEFAULT_CORPUS));
    }
    parafind::corpus::check_roots(&roots)?;
    parafind::corpus::check_roots(&args.jsonl)?;
    let stdin = if reads_stdin {
        let mut bytes = Vec::new();
        io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read the document from standard input")?;
        Some((args.name.clone().unwrap_or_else(|| "stdin".into()), bytes))
    } else {
        None
    };
    let mut options = IngestOptions::new(roots);
    options.walk = parafind::corpus::WalkOptions {
        hidden: args.hidden,
        globs: args.globs.clone(),
        types: args.types.clone(),
        exclude: Vec::new(),
    };
    options.jsonl = args.jsonl.clone();
    options.stdin = stdin;
    options.writer_memory = args.memory;
    if let Some(threads) = args.threads {
        options.threads = threads.into();
    }
    let report = run_ingest(index_dir, &options, args.json)?;
    Ok(if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(FAILURE)
    })
}

/// A progress bar on stderr when it is a terminal; hidden otherwise.
fn progress_bar(visible: bool) -> indicatif::ProgressBar {
    if !visible || !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0);
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} {bar:30} {msg} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// Ingests into the index at `index_dir` and reports on stderr (or as JSON on stdout).
fn run_ingest(index_dir: &Path, options: &IngestOptions, json: bool) -> Result<IngestReport> {
    let index = index::open_or_create(index_dir)?;
    let bar = progress_bar(!json);
    let report = index::ingest_with_progress(&index, options, &|p: &Progress| {
        bar.set_length(p.bytes_total);
        bar.set_position(p.bytes_done);
        bar.set_message(format!("{}/{} files", p.files_done, p.files_total));
    })?;
    bar.finish_and_clear();
    if json {
        output::report::ingest(&mut io::stdout().lock(), index_dir, &report, true)?;
    } else {
        output::report::ingest(&mut io::stderr().lock(), index_dir, &report, false)?;
    }
    Ok(report)
}

/// On a fresh clone there is no index yet: the default corpus is ingested first.
fn ingest_default_corpus_if_missing(index_dir: &Path, explicit_index: bool) -> Result<()> {
    let corpus = Path::new(cli::DEFAULT_CORPUS);
    if explicit_index || index::exists(index_dir) || index_dir.is_file() || !corpus.is_dir() {
        return Ok(());
    }
    eprintln!(
        "parafind: no index at {} yet; ingesting ./{} first",
        index_dir.display(),
        cli::DEFAULT_CORPUS
    );
    run_ingest(
        index_dir,
        &IngestOptions::new(vec![corpus.to_path_buf()]),
        false,
    )?;
    Ok(())
}

/// One query to answer: from the command line, or a line of a batch.
struct Job {
    id: Option<Value>,
    query: String,
    limit: Option<u64>,
    /// Set when the batch line itself could not be read.
    error: Option<String>,
}

/// What answering a job produced (owned; printers borrow it through [`Outcome`]).
enum Answered {
    Hits(SearchResults),
    Count(u64, Vec<QueryWarning>),
    Files(Vec<FileMatch>, Vec<QueryWarning>),
    Failed(String),
}

impl Answered {
    fn outcome(&self) -> Outcome<'_> {
        match self {
            Answered::Hits(results) => Outcome::Hits(results),
            Answered::Count(total, warnings) => Outcome::Count {
                total: *total,
                warnings,
            },
            Answered::Files(files, warnings) => Outcome::Files { files, warnings },
            Answered::Failed(message) => Outcome::Error(message),
        }
    }
}

/// A line of a JSON Lines batch.
#[derive(serde::Deserialize)]
struct BatchLine {
    id: Option<Value>,
    query: String,
    limit: Option<u64>,
}

/// The largest number of hits a query may ask for (as `-n` allows).
const MAX_LIMIT: u64 = 1_000_000;

/// The queries of a batch, read from a file or standard input (`-`) one line at a time, so a
/// program can write queries and read answers as it goes.
fn batch_lines(source: &Path) -> Result<Box<dyn BufRead>> {
    if source == Path::new("-") {
        return Ok(Box::new(io::stdin().lock()));
    }
    let file = std::fs::File::open(source)
        .with_context(|| format!("cannot read queries from {}", source.display()))?;
    Ok(Box::new(io::BufReader::new(file)))
}

/// One line of a batch as a job (`None` for a blank line): a plain query, or a JSON object. A
/// line that cannot be used becomes a job that fails with its reason.
fn batch_job(line_number: usize, line: &str) -> Option<Job> {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return None;
    }
    let id = Value::from(line_number);
    if !trimmed.starts_with('{') {
        return Some(Job {
            id: Some(id),
            query: line.to_string(),
            limit: None,
            error: None,
        });
    }
    let failed = |message: String| Job {
        id: Some(id.clone()),
        query: line.to_string(),
        limit: None,
        error: Some(format!("line {line_number}: {message}")),
    };
    Some(match serde_json::from_str::<BatchLine>(trimmed) {
        Ok(parsed) if parsed.limit.is_some_and(|l| l == 0 || l > MAX_LIMIT) => {
            failed(format!("\"limit\" must be between 1 and {MAX_LIMIT}"))
        }
        Ok(parsed) => Job {
            id: Some(parsed.id.unwrap_or(id)),
            query: parsed.query,
            limit: parsed.limit,
            error: None,
        },
        Err(err) => failed(format!("invalid JSON query: {err}")),
    })
}

fn make_printer(
    args: &SearchArgs,
    paths: PathDisplay,
    color: anstream::ColorChoice,
) -> Box<dyn Printer> {
    let stdout = io::stdout().lock();
    match args.format() {
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
                return Box::new(Human::new(buffered, args.human_options(paths, false)));
            }
            let buffered: Box<dyn io::Write> = Box::new(buffered);
            let stream = anstream::AutoStream::new(buffered, color);
            Box::new(Human::new(stream, args.human_options(paths, true)))
        }
    }
}

fn answer(
    session: &mut Session<'_>,
    args: &SearchArgs,
    job: &Job,
    filter: Option<&PathFilter>,
    base: Option<&PathBuf>,
) -> Answered {
    if let Some(error) = &job.error {
        return Answered::Failed(error.clone());
    }
    let mut config = args.to_config(&job.query, job.limit);
    config.paths = filter.cloned();
    config.base = base.cloned();
    let result = if args.count || args.quiet {
        session
            .count(&config)
            .map(|(total, warnings)| Answered::Count(total, warnings))
    } else if args.files_with_matches {
        session
            .files_with_matches(&config)
            .map(|(files, warnings)| Answered::Files(files, warnings))
    } else {
        session.search(&config).map(Answered::Hits)
    };
    result.unwrap_or_else(|err| Answered::Failed(one_line(&err.to_string())))
}

fn search(
    index_dir: &Path,
    explicit_index: bool,
    args: &SearchArgs,
    color: anstream::ColorChoice,
) -> Result<ExitCode> {
    ingest_default_corpus_if_missing(index_dir, explicit_index)?;
    let started = Instant::now();
    let base = std::env::current_dir().ok();
    let filter = match args.paths.as_slice() {
        [] => None,
        globs => Some(PathFilter::new(globs, base.clone())?),
    };
    let index: ParaIndex = index::open(index_dir)?;
    let mut session = Session::new(&index)?;
    let mut printer = (!args.quiet).then(|| {
        let paths = PathDisplay { base: base.clone() };
        make_printer(args, paths, color)
    });
    let mut batch = BatchSummary::default();
    let mut lines = match &args.batch {
        Some(source) => Some(batch_lines(source)?.split(b'\n').enumerate()),
        None => None,
    };
    let mut single = Some(Job {
        id: None,
        query: args.query.clone().unwrap_or_default(),
        limit: None,
        error: None,
    });
    loop {
        let job = match lines.as_mut() {
            None => match single.take() {
                Some(job) => job,
                None => break,
            },
            Some(lines) => match lines.next() {
                None => break,
                Some((i, line)) => {
                    let line = line.context("cannot read the batch of queries")?;
                    let line = String::from_utf8_lossy(&line);
                    match batch_job(i + 1, line.trim_end_matches('\r')) {
                        Some(job) => job,
                        None => continue,
                    }
                }
            },
        };
        let job_started = Instant::now();
        let answered = answer(&mut session, args, &job, filter.as_ref(), base.as_ref());
        let answer = Answer {
            id: job.id.as_ref(),
            query: &job.query,
            elapsed_ms: job_started.elapsed().as_secs_f64() * 1000.0,
            outcome: answered.outcome(),
        };
        report_on_stderr(args, &answer);
        if let Some(printer) = printer.as_mut() {
            printer.answer(&answer)?;
        }
        batch.queries += 1;
        batch.matched += u64::from(answer.matched());
        batch.failed += u64::from(matches!(answer.outcome, Outcome::Error(_)));
    }
    batch.elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Some(printer) = printer.as_mut() {
        printer.finish(args.batch.is_some().then_some(&batch))?;
    }
    // The process ends next: unmapping the index's files one by one would only cost time.
    std::mem::forget(session);
    std::mem::forget(index);
    Ok(if batch.failed > 0 {
        ExitCode::from(FAILURE)
    } else if batch.matched > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Errors always go to stderr; warnings too, unless JSON records carry them or -q is given.
fn report_on_stderr(args: &SearchArgs, answer: &Answer<'_>) {
    let prefix = match answer.id {
        Some(id) if args.batch.is_some() => format!("query {id}: "),
        _ => String::new(),
    };
    if let Outcome::Error(message) = answer.outcome {
        eprintln!("parafind: {prefix}{message}");
    }
    if args.format() != Format::Json && !args.quiet {
        for warning in answer.warnings() {
            eprintln!(
                "parafind: warning: {prefix}{}",
                one_line(&warning.to_string())
            );
        }
    }
}

fn stats(index_dir: &Path, json: bool) -> Result<ExitCode> {
    let index = index::open(index_dir)?;
    let stats = index::stats(&index)?;
    let mut out = io::stdout().lock();
    output::inspect::stats(&mut out, index_dir, &stats, json)?;
    Ok(ExitCode::SUCCESS)
}

fn list(index_dir: &Path, json: bool, color: anstream::ColorChoice) -> Result<ExitCode> {
    let index = index::open(index_dir)?;
    let files = index::files(&index)?;
    let paths = PathDisplay {
        base: std::env::current_dir().ok(),
    };
    let mut out = anstream::AutoStream::new(io::stdout().lock(), color);
    output::inspect::files(&mut out, &files, &paths, json)?;
    Ok(if files.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Splits `PATH[:N]`: a target that names an existing file is a path even if it has a colon.
fn parse_show_target(target: &str) -> Result<(PathBuf, Option<u64>)> {
    anyhow::ensure!(!target.is_empty(), "show needs a file: PATH or PATH:N");
    if Path::new(target).exists() {
        return Ok((PathBuf::from(target), None));
    }
    if let Some((path, number)) = target.rsplit_once(':') {
        if let Ok(number) = number.parse::<u64>() {
            anyhow::ensure!(
                !path.is_empty(),
                "{target}: a file is missing before `:{number}`"
            );
            anyhow::ensure!(number >= 1, "{target}: paragraphs are numbered from 1");
            return Ok((PathBuf::from(path), Some(number)));
        }
    }
    // A file that no longer exists may still be in the index.
    Ok((PathBuf::from(target), None))
}

/// The key a path has in the index: its canonical path, or (if it is gone) its absolute path
/// with `.` and `..` resolved.
fn key_for(path: &Path) -> String {
    index::file_key(path).unwrap_or_else(|_| {
        let absolute = std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf());
        let mut normal = PathBuf::new();
        for component in absolute.components() {
            match component {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir => {
                    normal.pop();
                }
                other => normal.push(other),
            }
        }
        index::path_key(&normal)
    })
}

fn show(index_dir: &Path, args: &ShowArgs, color: anstream::ColorChoice) -> Result<ExitCode> {
    let (path, number) = parse_show_target(&args.target)?;
    let index = index::open(index_dir)?;
    let session = Session::new(&index)?;
    let key = key_for(&path);
    let (first, last) = match number {
        None => (1, u64::MAX),
        Some(n) => {
            let (before, after) = args.context.counts();
            (
                n.saturating_sub(before as u64).max(1),
                n.saturating_add(after as u64),
            )
        }
    };
    let shown = session.paragraphs(&key, first, last)?;
    let found = match number {
        None => !shown.is_empty(),
        Some(n) => shown.iter().any(|p| p.paragraph == n),
    };
    if !found {
        let paragraphs = session.paragraph_count(&key)?;
        return Err(match (paragraphs, number) {
            (0, _) | (_, None) => parafind::Error::NotIndexed { path },
            (paragraphs, Some(paragraph)) => parafind::Error::NoSuchParagraph {
                path,
                paragraph,
                paragraphs,
            },
        }
        .into());
    }
    let paths = PathDisplay {
        base: std::env::current_dir().ok(),
    };
    let mut out = anstream::AutoStream::new(io::stdout().lock(), color);
    output::inspect::paragraphs(&mut out, &key, &shown, number, &paths, args.json)?;
    Ok(ExitCode::SUCCESS)
}
