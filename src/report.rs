//! What the binary says on standard error besides its printers' output: a failure or a panic
//! as one line (and the exit status it ends with), the errors and warnings of answers, and the
//! ingest progress bar.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Mutex, OnceLock, PoisonError};

use parafind::output::{one_line, Answer, Outcome};
use parafind::warning::{IndexFlag, QueryWarning};

use crate::cli::{Format, SearchArgs};

/// The exit status of any failure (0: something matched, 1: nothing did).
pub const FAILURE: u8 = 2;

/// Where the command's index is, once known: a panic inside the search engine is told as a
/// damaged index when the index's files say so.
static INDEX_DIR: OnceLock<PathBuf> = OnceLock::new();

/// How the commands in messages name the command's index (see [`index_flag_for`]).
static INDEX_FLAG: OnceLock<IndexFlag> = OnceLock::new();

/// Remembers where the command's index is, for what is said about it.
pub fn set_index(dir: &Path) {
    let _ = INDEX_DIR.set(dir.to_path_buf());
    let _ = INDEX_FLAG.set(index_flag_for(dir));
}

/// How the commands in messages name the command's index.
pub fn index_flag() -> IndexFlag {
    INDEX_FLAG.get().cloned().unwrap_or_default()
}

/// An index location as parafind names it: absolute, and without `..` steps
/// (`/work/docs/../index` is `/work/index`) when its parent exists, told by the file system
/// (the parent resolved, so a step back out of a link goes where the system goes).
pub fn absolute_index(path: &Path) -> PathBuf {
    let dir = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let has_parent_step = dir
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir));
    let resolved = || Some(dir.parent()?.canonicalize().ok()?.join(dir.file_name()?));
    match has_parent_step {
        true => resolved().unwrap_or(dir),
        false => dir,
    }
}

/// Commands a message prints run from this directory and environment: they need `--index`
/// unless they would use `dir` without it (`PARAFIND_INDEX` names it, or, that unset, it is
/// `./index`).
/// The flag names it relative to the current directory when it lies under it.
fn index_flag_for(dir: &Path) -> IndexFlag {
    let Ok(cwd) = std::env::current_dir() else {
        return IndexFlag::naming(dir.to_path_buf());
    };
    // What a command without `--index` would use: `PARAFIND_INDEX` when it is set, else
    // `./index` (a search also looks in parent directories, an ingest does not).
    let found_anyway = match std::env::var_os("PARAFIND_INDEX") {
        Some(named) => absolute_index(Path::new(&named)) == dir,
        None => absolute_index(&cwd.join(crate::cli::DEFAULT_INDEX)) == dir,
    };
    if found_anyway {
        return IndexFlag::default();
    }
    match dir.strip_prefix(&cwd) {
        Ok(inside) if inside.as_os_str().is_empty() => IndexFlag::naming(PathBuf::from(".")),
        Ok(inside) => IndexFlag::naming(inside.to_path_buf()),
        Err(_) => IndexFlag::naming(dir.to_path_buf()),
    }
}

/// What the search engine's panic said, and where (set by the panic hook).
static ENGINE_PANIC: Mutex<Option<String>> = Mutex::new(None);

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
        // A crate's file is named from the crate's directory, not the registry's.
        let at = info
            .location()
            .map(|l| {
                let file = l.file();
                let file = file
                    .split_once("/registry/src/")
                    .and_then(|(_, rest)| rest.split_once('/'))
                    .map_or(file, |(_, in_crate)| in_crate);
                format!(" at {file}:{}", l.line())
            })
            .unwrap_or_default();
        let in_engine = info.location().is_some_and(|l| {
            let file = l.file();
            file.contains("tantivy") || file.contains("ownedbytes")
        });
        if in_engine {
            // tantivy trusts its files: a damaged one makes it panic. The main thread's panic
            // is told by `main` once the files are checked; another thread's (a server's
            // request) is told here.
            let told = format!("tantivy stopped{at}: {}", one_line(&what));
            if std::thread::current().name() != Some("main") {
                let rebuild = INDEX_DIR.get().map_or_else(
                    || "parafind ingest PATH...".to_string(),
                    |dir| parafind::index::rebuild_command_at(dir),
                );
                let message = format!("the index could not be read ({told}); if it is damaged, delete it and run `{rebuild}` again");
                eprintln!("parafind: {}", index_flag().in_commands(&message));
            }
            *ENGINE_PANIC.lock().unwrap_or_else(PoisonError::into_inner) = Some(told);
            return;
        }
        eprintln!(
            "parafind: internal error: {}{at}; this is a bug in parafind: please report it with the command that caused it",
            one_line(&what)
        );
    }));
}

/// After the command panicked: when it was inside the search engine, says whether the index's
/// files are damaged (their checksums read), in one line. Gives the exit status.
pub fn panicked() -> ExitCode {
    let told = ENGINE_PANIC
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    let (Some(told), Some(dir)) = (told, INDEX_DIR.get()) else {
        return ExitCode::from(FAILURE);
    };
    match damage() {
        Some(damaged) => eprintln!("parafind: {damaged}"),
        None => {
            let rebuild = parafind::index::rebuild_command_at(dir);
            let message = format!("the index at {} could not be read ({told}); if it is damaged, delete it and run `{rebuild}` again", dir.display());
            eprintln!("parafind: {}", index_flag().in_commands(&message));
        }
    }
    ExitCode::from(FAILURE)
}

/// When files of the command's index do not match their checksums: says so, naming them. What
/// the engine reported is left out: it says the same in its own debugging form.
fn damage() -> Option<String> {
    let dir = INDEX_DIR.get()?;
    // Read once per process: a batch whose every query fails must not read the index each time.
    static DAMAGED: OnceLock<Vec<PathBuf>> = OnceLock::new();
    let files = DAMAGED.get_or_init(|| parafind::index::damaged_files(dir).unwrap_or_default());
    if files.is_empty() {
        return None;
    }
    let damaged = parafind::Error::ChecksumMismatch {
        path: dir.clone(),
        files: files.clone(),
        rebuild: parafind::index::rebuild_command_at(dir),
    };
    Some(index_flag().in_commands(&one_line(&damaged.to_string())))
}

/// Reports a command's failure as one line and gives its exit status; output cut short by a
/// closed pipe (`parafind search x | head`) is no failure.
pub fn failure(err: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(err) {
        return ExitCode::SUCCESS;
    }
    // tantivy's own failure (not one parafind words itself) may come from a damaged file.
    let engine_failed = err.chain().any(|cause| {
        matches!(
            cause.downcast_ref(),
            Some(parafind::Error::Tantivy(_) | parafind::Error::IndexDamaged { .. })
        )
    });
    if let Some(damaged) = engine_failed.then(damage).flatten() {
        eprintln!("parafind: {damaged}");
        return ExitCode::from(FAILURE);
    }
    if let Some(full) = output_full(err) {
        eprintln!("parafind: cannot write the output: {full}");
        return ExitCode::from(FAILURE);
    }
    eprintln!("parafind: {}", describe(err));
    ExitCode::from(FAILURE)
}

/// The error of writing to a full device (`> /dev/full`, a full disk under a redirection): a
/// bare I/O error that no step of parafind's put words to (writing a file of its own, such
/// as the manual pages or the TUI's history, says which; those keep their words).
fn output_full(err: &anyhow::Error) -> Option<&io::Error> {
    if err.chain().count() > 1 {
        return None;
    }
    let io = err.downcast_ref::<io::Error>()?;
    matches!(
        io.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::WriteZero
    )
    .then_some(io)
}

/// An error and its causes as one line, `what failed: why`. The library's messages state their
/// own causes and hand out none as `source()`, so each cause in the chain is printed once.
fn describe(err: &anyhow::Error) -> String {
    index_flag().in_commands(&one_line(&format!("{err:#}")))
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

/// What a batch's message about one query starts with: its line, and its id when the caller
/// gave one (`line 3, query "a": `; a line's own id is its number: `line 3: `). An id is the
/// caller's JSON, shown as such, made terminal-safe as a message is.
fn batch_prefix(batch: bool, id: Option<&serde_json::Value>, line: Option<usize>) -> String {
    match (id, line) {
        _ if !batch => String::new(),
        (Some(id), Some(line)) if id.as_u64() == u64::try_from(line).ok() => {
            format!("line {line}: ")
        }
        (Some(id), Some(line)) => format!("line {line}, query {}: ", one_line(&id.to_string())),
        (Some(id), None) => format!("query {}: ", one_line(&id.to_string())),
        (None, Some(line)) => format!("line {line}: "),
        (None, None) => String::new(),
    }
}

/// Errors always go to stderr; warnings too, unless JSON records carry them or -q is given.
/// With -F the query is pasted text whose symbols are expected not to be words: dropping them
/// is said only in JSON.
pub fn answer_on_stderr(args: &SearchArgs, answer: &Answer<'_>) {
    answer_on_stderr_keeping(args, answer, |_| true);
}

/// [`answer_on_stderr`], with only the warnings `keep` holds for.
pub fn answer_on_stderr_keeping(
    args: &SearchArgs,
    answer: &Answer<'_>,
    keep: impl Fn(&QueryWarning) -> bool,
) {
    let prefix = batch_prefix(args.batch.is_some(), answer.id, answer.line);
    if let Outcome::Error(message) = answer.outcome {
        // (A query that failed on a damaged index names it, and the command that rebuilds
        // it, naming the index: the session did, `Session::damage_told`.)
        let line = answer.line.map(|line| format!("line {line}: "));
        let message = line
            .and_then(|l| message.strip_prefix(&l))
            .unwrap_or(message);
        eprintln!("parafind: {prefix}{}", one_line(message));
    }
    if let Some(suggestion) = answer.suggestion.filter(|_| args.format() != Format::Json) {
        eprintln!("parafind: {prefix}did you mean: {}", one_line(suggestion));
    }
    if args.format() != Format::Json && !args.quiet {
        // (With -F the query's symbols are known not to be syntax: said in JSON only.)
        let quiet_about = |w: &QueryWarning| {
            args.literal
                && matches!(
                    w,
                    QueryWarning::IgnoredWord { .. } | QueryWarning::UnsearchedSymbol { .. }
                )
        };
        let shown = |w: &&QueryWarning| !quiet_about(w) && keep(w);
        for warning in answer.warnings().iter().filter(shown) {
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
