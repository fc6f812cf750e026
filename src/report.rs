//! What the binary says on standard error besides its printers' output: a failure or a panic
//! as one line (and the exit status it ends with), the errors and warnings of answers, and the
//! ingest progress bar.

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use parafind::output::{one_line, Answer, Outcome};
use parafind::warning::QueryWarning;

use crate::cli::{Format, SearchArgs};

/// The exit status of any failure (0: something matched, 1: nothing did).
pub const FAILURE: u8 = 2;

/// A bug, or a damaged index that tantivy trips over, must still end in one clear line and
/// exit status 2, never a panic message and status 101.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        // A document reader's panic is caught and becomes that file's warning.
        if parafind::corpus::reading_document() {
            return;
        }
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
}

/// Reports a command's failure as one line and gives its exit status; output cut short by a
/// closed pipe (`parafind search x | head`) is no failure.
pub fn failure(err: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(err) {
        return ExitCode::SUCCESS;
    }
    eprintln!("parafind: {}", describe(err));
    ExitCode::from(FAILURE)
}

/// An error and its causes as one line, `what failed: why`. The library's messages state their
/// own causes and hand out none as `source()`, so each cause in the chain is printed once.
fn describe(err: &anyhow::Error) -> String {
    one_line(&format!("{err:#}"))
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

/// Errors always go to stderr; warnings too, unless JSON records carry them or -q is given.
/// With -F the query is pasted text whose symbols are expected not to be words: dropping them
/// is said only in JSON.
pub fn answer_on_stderr(args: &SearchArgs, answer: &Answer<'_>) {
    let prefix = match answer.id {
        // An id is the caller's JSON, shown as such, made terminal-safe as a message is.
        Some(id) if args.batch.is_some() => format!("query {}: ", one_line(&id.to_string())),
        _ => String::new(),
    };
    if let Outcome::Error(message) = answer.outcome {
        eprintln!("parafind: {prefix}{}", one_line(message));
    }
    if let Some(suggestion) = answer.suggestion.filter(|_| args.format() != Format::Json) {
        eprintln!("parafind: {prefix}did you mean: {}", one_line(suggestion));
    }
    if args.format() != Format::Json && !args.quiet {
        let quiet_about =
            |w: &QueryWarning| args.literal && matches!(w, QueryWarning::IgnoredWord { .. });
        for warning in answer.warnings().iter().filter(|w| !quiet_about(w)) {
            eprintln!(
                "parafind: warning: {prefix}{}",
                one_line(&warning.to_string())
            );
        }
    }
}

/// A progress bar on stderr when it is a terminal; hidden otherwise.
pub fn progress_bar(visible: bool) -> indicatif::ProgressBar {
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
