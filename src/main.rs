//! The `parafind` binary: parses the command line, runs the subcommand through the library,
//! prints, and maps the outcome to an exit status (0 hits, 1 no hit, 2 error).

mod cli;

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use clap::Parser;

use cli::{Cli, Command, Format, IngestArgs, SearchArgs};
use parafind::index::{self, IngestOptions, IngestReport};
use parafind::output::{Html, Human, Json, PathDisplay, Printer, Summary};

const FAILURE: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    match run(cli) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("parafind: {}", one_line(&format!("{err:#}")));
            ExitCode::from(FAILURE)
        }
    }
}

/// Help and version go to stdout as clap prints them; usage errors become one line and exit 2.
fn usage_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => err.exit(),
        _ => {
            let rendered = err.render().to_string();
            let first = rendered.lines().next().unwrap_or("invalid arguments");
            let message = first.strip_prefix("error: ").unwrap_or(first);
            eprintln!("parafind: {message} (see `parafind --help`)");
            ExitCode::from(FAILURE)
        }
    }
}

fn one_line(message: &str) -> String {
    message.replace(['\n', '\r'], " ")
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
    match cli.command {
        Command::Ingest(args) => ingest(&index_dir, args),
        Command::Search(args) => search(&index_dir, explicit_index, &args),
    }
}

fn ingest(index_dir: &Path, args: IngestArgs) -> Result<ExitCode> {
    parafind::corpus::check_roots(&args.paths)?;
    let report = run_ingest(index_dir, args.paths)?;
    Ok(if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(FAILURE)
    })
}

/// Ingests `roots` into the index at `index_dir` and reports on stderr.
fn run_ingest(index_dir: &Path, roots: Vec<PathBuf>) -> Result<IngestReport> {
    let index = index::open_or_create(index_dir)?;
    let report = index::ingest(&index, &IngestOptions::new(roots))?;
    for warning in &report.warnings {
        eprintln!(
            "parafind: warning: {}: {}",
            warning.path.display(),
            warning.message
        );
    }
    for failure in &report.failures {
        eprintln!("parafind: {}: {}", failure.path.display(), failure.message);
    }
    eprintln!(
        "parafind: ingested {} file{}, {} paragraph{}, {} in {:.2} s into {}",
        report.files,
        plural(report.files),
        report.paragraphs,
        plural(report.paragraphs),
        human_bytes(report.bytes),
        report.seconds,
        index_dir.display()
    );
    Ok(report)
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
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
    run_ingest(index_dir, vec![corpus.to_path_buf()])?;
    Ok(())
}

fn search(index_dir: &Path, explicit_index: bool, args: &SearchArgs) -> Result<ExitCode> {
    ingest_default_corpus_if_missing(index_dir, explicit_index)?;
    let started = Instant::now();
    let index = index::open(index_dir)?;
    let results = parafind::search::search(&index, &args.to_config())?;
    let summary = Summary {
        query: &args.query,
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
    };
    let paths = PathDisplay {
        base: std::env::current_dir().ok(),
    };
    let stdout = io::stdout().lock();
    let mut printer: Box<dyn Printer> = match args.format() {
        Format::Json => Box::new(Json::new(io::BufWriter::new(stdout), paths)),
        Format::Html => Box::new(Html::new(io::BufWriter::new(stdout), paths)),
        Format::Human => {
            let stream = anstream::AutoStream::new(stdout, args.color.choice());
            let options = args.human_options(paths);
            Box::new(Human::new(io::BufWriter::new(stream), options))
        }
    };
    printer.print(&results, &summary)?;
    Ok(if results.hits.is_empty() && results.total == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
