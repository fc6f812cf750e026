//! `search --open N`: the Nth hit opened in the user's editor at its place (the first
//! highlight's line and column, as `--vimgrep` prints them); a document whose text was
//! extracted (PDF, DOCX, ODT, EPUB) in a document viewer instead, a PDF at the hit's page.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::{Mutex, PoisonError};

use anyhow::{bail, Context as _, Result};
use parafind::batch::{self, Job, Runner};
use parafind::output::{Answer, BatchSummary, Head, Location, Places, Printer};
use parafind::search::Session;
use parafind::Hit;

use crate::cli::SearchArgs;
use crate::report::{self, FAILURE};

/// A printer that prints nothing and keeps the place of hit number `wanted` (1-based).
pub struct Pick {
    wanted: usize,
    seen: usize,
    /// The hit's file and place, once found.
    pub found: Option<(PathBuf, Location)>,
    /// What the hit's file is now, when not as indexed (see [`Hit::stale`]).
    pub stale: Option<parafind::warning::QueryWarning>,
    /// Matching paragraphs in all.
    pub total: u64,
}

impl Pick {
    /// Keeps hit number `wanted`.
    pub fn new(wanted: usize) -> Pick {
        Pick {
            wanted,
            seen: 0,
            found: None,
            stale: None,
            total: 0,
        }
    }
}

impl Printer for Pick {
    fn begin(&mut self, _head: &Head<'_>) -> io::Result<()> {
        Ok(())
    }

    fn hit(&mut self, _head: &Head<'_>, hit: &Hit) -> io::Result<()> {
        self.seen += 1;
        if self.seen == self.wanted {
            let (file, place) = Places::default().of(hit);
            self.found = Some((parafind::index::key_path(file), place));
            self.stale = hit.stale.clone();
        }
        Ok(())
    }

    fn answer(&mut self, answer: &Answer<'_>) -> io::Result<()> {
        if let parafind::output::Outcome::Hits { total, .. } = answer.outcome {
            self.total = total;
        }
        Ok(())
    }

    fn finish(&mut self, _batch: Option<&BatchSummary>) -> io::Result<()> {
        Ok(())
    }
}

/// Runs the query of `args` and opens hit number `wanted` in the editor (`search --open N`).
pub fn open_hit(
    session: &mut Session,
    mut config: parafind::SearchConfig,
    args: &SearchArgs,
    wanted: u64,
) -> Result<ExitCode> {
    let wanted = usize::try_from(wanted).unwrap_or(usize::MAX);
    config.limit = wanted;
    config.files_together = false;
    let mut pick = Pick::new(wanted);
    let jobs = std::iter::once(Ok::<Job, anyhow::Error>(Job::single(args.query.join(" "))));
    let mut runner = Runner::new(session, config, batch::Mode::Hits);
    // Of the warnings about hits' files, only the opened hit's is said (the hit's own): the
    // hits before it are not shown.
    batch::run(&mut runner, jobs, &mut pick, |answer| {
        report::answer_on_stderr_keeping(args, answer, |w| w.file_state().is_none());
    })?;
    if runner.summary().failed > 0 {
        return Ok(ExitCode::from(FAILURE));
    }
    if let Some(warning) = pick.stale.as_ref().filter(|_| !args.quiet) {
        eprintln!(
            "parafind: warning: {}",
            parafind::output::one_line(&warning.to_string())
        );
    }
    match &pick.found {
        Some((path, place)) => open(path, *place),
        None => {
            let total = pick.total;
            eprintln!(
                "parafind: no hit number {wanted}: the query matched {total} paragraph{}",
                if total == 1 { "" } else { "s" }
            );
            Ok(ExitCode::from(1))
        }
    }
}

/// Opens `path` at `place`: a document in a viewer ([`open_document`]), text in the editor.
pub fn open(path: &Path, place: Location) -> Result<ExitCode> {
    let shown = || parafind::output::sanitize_name(&path.display().to_string()).into_owned();
    // (The file's own entry: the path indexed is the file's real one, so a link there now
    // took the file's place.)
    match std::fs::symlink_metadata(path) {
        // An editor would open an empty buffer, and saving it make an empty file (or the
        // missing target of a link).
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            bail!("{} no longer exists: nothing to open", shown())
        }
        Err(err) => bail!("{} cannot be opened: {err}", shown()),
        Ok(meta) if meta.is_dir() => {
            bail!(
                "{} is a directory now, not the file indexed: nothing to open",
                shown()
            )
        }
        // A link would open whatever it points at, a pipe keep the editor waiting for a writer.
        Ok(meta) if !meta.is_file() => {
            let what = match meta.file_type().is_symlink() {
                true => "a link",
                false => "a pipe, a socket or a device",
            };
            bail!(
                "{} is {what} now, not the file indexed: nothing to open",
                shown()
            )
        }
        Ok(_) => {}
    }
    // The path indexed is the file's real one: a directory on the way replaced by a link (to
    // another copy, elsewhere) leads to another file.
    if path.is_absolute() && std::fs::canonicalize(path).is_ok_and(|real| real != path) {
        bail!(
            "{} is reached through a link now, not the file indexed: nothing to open",
            shown()
        );
    }
    let format = parafind::corpus::format_of(path);
    if format.is_extracted() {
        return open_document(path, place.page, format == parafind::corpus::Format::Pdf);
    }
    open_in_editor(path, place)
}

/// PDF viewers found on `PATH` when `PARAFIND_VIEWER` is not set, in this order.
const PDF_VIEWERS: &[&str] = &["zathura", "evince", "okular", "mupdf", "qpdfview", "xpdf"];

/// Opens a document (PDF, DOCX, ODT, EPUB) in `$PARAFIND_VIEWER`, run through the shell; else a
/// PDF in the first viewer of [`PDF_VIEWERS`] on `PATH`, else the desktop's opener (`xdg-open`,
/// or `open` on macOS). A viewer parafind knows is told the page.
fn open_document(path: &Path, page: Option<u64>, is_pdf: bool) -> Result<ExitCode> {
    let chosen = std::env::var("PARAFIND_VIEWER")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| {
            let found = PDF_VIEWERS
                .iter()
                .find(|name| on_path(name))
                .filter(|_| is_pdf);
            found.map(|name| name.to_string())
        })
        .unwrap_or_else(|| desktop_opener().to_string());
    let arguments = viewer_arguments(&chosen, path, page);
    run_through_shell(&chosen, &arguments, "viewer")
}

/// The desktop's own way to open a file.
fn desktop_opener() -> &'static str {
    if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    }
}

/// Whether `program` is an executable file in a directory of `PATH`.
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// The arguments that open `path` at `page` in `viewer`, by the viewer's program name:
/// `--page=N` for zathura, `--page-index=N` for evince, `--page N` for okular, `PATH N` for
/// mupdf and xpdf, `PATH#N` for qpdfview; any other gets the path alone.
pub fn viewer_arguments(viewer: &str, path: &Path, page: Option<u64>) -> Vec<OsString> {
    let name = program_name(viewer);
    let file = path.as_os_str().to_os_string();
    let Some(page) = page else {
        return vec![file];
    };
    match name.as_str() {
        "zathura" => vec![format!("--page={page}").into(), file],
        "evince" => vec![format!("--page-index={page}").into(), file],
        "okular" => vec!["--page".into(), page.to_string().into(), file],
        "mupdf" | "mupdf-gl" | "xpdf" => vec![file, page.to_string().into()],
        "qpdfview" => vec![joined(file, &format!("#{page}"))],
        _ => vec![file],
    }
}

/// The process id of the editor or viewer being waited for, so that a front end told to end
/// (the terminal UI, on SIGTERM) can end it too rather than leave it behind. It is cleared
/// once the child has ended but before it is reaped, under this lock, so the id signalled is
/// never another process's.
static WAITED_FOR: Mutex<Option<u32>> = Mutex::new(None);

/// Whether an editor or viewer is being waited for (it has the terminal).
#[cfg(unix)]
pub fn waiting_for_one() -> bool {
    WAITED_FOR
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .is_some()
}

/// Sends `signal` to the editor or viewer being waited for, when there is one.
#[cfg(unix)]
pub fn signal_waited_for(signal: i32) {
    let waited = WAITED_FOR.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(pid) = waited.and_then(|pid| libc::pid_t::try_from(pid).ok()) {
        // SAFETY: kill(2) only sends a signal. The child is not reaped while the lock is held,
        // so the id is still its own (at worst a zombie's).
        unsafe { libc::kill(pid, signal) };
    }
}

/// Waits until `child` has ended, leaving it to be reaped (so its id stays its own).
#[cfg(unix)]
fn wait_unreaped(child: &std::process::Child) {
    // id_t is u32 on Linux and macOS, wider elsewhere.
    #[allow(clippy::useless_conversion)]
    let pid: libc::id_t = child.id().into();
    loop {
        // SAFETY: siginfo_t is plain data, zeroed as waitid(2) expects; WNOWAIT leaves the
        // child waitable, for Child::wait to reap.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        let done =
            unsafe { libc::waitid(libc::P_PID, pid, &mut info, libc::WEXITED | libc::WNOWAIT) };
        if done == 0 || io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            return;
        }
    }
}

/// Runs `command` (a user's setting, which may hold arguments) through the shell with
/// `arguments`, as git runs an editor, and waits for it.
fn run_through_shell(command: &str, arguments: &[OsString], what: &str) -> Result<ExitCode> {
    // The shell becomes the program (`exec`), so that the process waited for is the editor
    // itself and a signal passed on reaches it; not when the setting starts with a variable
    // assignment (`TERM=xterm vim`), which `exec` would take for the program's name.
    let (first, _) = shell_word(command);
    let starts_with_assignment = first
        .split_once('=')
        .is_some_and(|(name, _)| is_shell_name(name));
    let exec = if starts_with_assignment { "" } else { "exec " };
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("{exec}{command} \"$@\""))
        .arg(command)
        .args(arguments)
        .spawn()
        .with_context(|| format!("cannot run the {what} `{command}`"))?;
    let waited = || WAITED_FOR.lock().unwrap_or_else(PoisonError::into_inner);
    *waited() = Some(child.id());
    #[cfg(unix)]
    wait_unreaped(&child);
    *waited() = None;
    let status = child.wait();
    let status = status.with_context(|| format!("cannot wait for the {what} `{command}`"))?;
    if status.success() {
        Ok(ExitCode::SUCCESS)
    } else {
        bail!("the {what} `{command}` ended with {status}");
    }
}

/// Opens `path` at `place` in `$VISUAL` (else `$EDITOR`), run through the shell as git runs
/// it, and waits for it; returns its status.
fn open_in_editor(path: &Path, place: Location) -> Result<ExitCode> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.trim().is_empty());
    let Some(editor) = editor else {
        bail!("opening a hit needs an editor: set VISUAL or EDITOR (e.g. EDITOR=vim)");
    };
    let arguments = editor_arguments(&editor, path, place);
    run_through_shell(&editor, &arguments, "editor")
}

/// The arguments that open `path` at `place` in `editor`, by the editor's program name, each
/// with the column counted as it counts columns: `--goto PATH:LINE:COLUMN` for VS Code and its
/// kin (UTF-16 code units), `PATH:LINE:COLUMN` for Sublime Text and Zed (characters) and Helix
/// (grapheme clusters),
/// `+call cursor(LINE,COLUMN)` for Vim and Neovim (bytes), `+LINE:COLUMN` for Kakoune (bytes),
/// micro (characters) and Emacs (screen columns), `+LINE,COLUMN` for nano (screen columns), and
/// `+LINE` for vi and the rest, and for an editor not known (the convention of vi, Emacs, nano,
/// joe, gedit and most terminal editors).
pub fn editor_arguments(editor: &str, path: &Path, place: Location) -> Vec<OsString> {
    let name = program_name(editor);
    // The path's own bytes, also when they are not UTF-8.
    let file = path.as_os_str().to_os_string();
    let (line, column) = (place.line, place.column);
    let at = |column: u64| joined(file.clone(), &format!(":{line}:{column}"));
    match name.trim_end_matches(".exe") {
        "code" | "code-insiders" | "codium" | "vscodium" | "cursor" => {
            vec!["--goto".into(), at(column.utf16)]
        }
        "subl" | "sublime_text" | "zed" => vec![at(column.chars)],
        "hx" | "helix" => vec![at(column.graphemes)],
        "vim" | "nvim" | "gvim" | "mvim" => {
            vec![
                format!("+call cursor({line},{})", column.bytes).into(),
                file,
            ]
        }
        "kak" | "kakoune" => vec![format!("+{line}:{}", column.bytes).into(), file],
        "micro" => vec![format!("+{line}:{}", column.chars).into(), file],
        "emacs" | "emacsclient" => vec![format!("+{line}:{}", column.screen).into(), file],
        "nano" | "pico" => vec![format!("+{line},{}", column.screen).into(), file],
        // vi, nvi, vis, joe, jed, mg, ne, gedit and the rest.
        _ => vec![format!("+{line}").into(), file],
    }
}

/// The file name of the program a shell command (an editor or viewer setting) runs: its first
/// word after any variable assignments (`TERM=xterm vim`), read as the shell reads it, quotes
/// and backslashes taken off (`'/opt/my editors/hx' -v` runs `hx`).
fn program_name(command: &str) -> String {
    let mut rest = command;
    loop {
        let (word, after) = shell_word(rest);
        let assignment = word
            .split_once('=')
            .is_some_and(|(name, _)| is_shell_name(name));
        if assignment && !after.trim().is_empty() {
            rest = after;
            continue;
        }
        let name = Path::new(&word).file_name().and_then(|n| n.to_str());
        return name.unwrap_or_default().to_string();
    }
}

/// Whether `name` can be a shell variable's name.
fn is_shell_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// The first word of `command` as the shell reads it (quotes and backslashes taken off), and
/// what follows it.
fn shell_word(command: &str) -> (String, &str) {
    let command = command.trim_start();
    let mut word = String::new();
    let mut quote = None;
    let mut chars = command.char_indices();
    while let Some((at, c)) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => return (word, &command[at..]),
            (None, '\\') | (Some('"'), '\\') => word.extend(chars.next().map(|(_, c)| c)),
            (None, '\'' | '"') => quote = Some(c),
            (Some(open), c) if c == open => quote = None,
            (_, c) => word.push(c),
        }
    }
    (word, "")
}

/// `file` with `suffix` after it.
fn joined(mut file: OsString, suffix: &str) -> OsString {
    file.push(suffix);
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_editor_family_gets_its_own_way_to_a_line() {
        // Before `word` on its line: a tab, a wide Hangul syllable, an emoji (two UTF-16 units,
        // two cells), `é` with a combining accent and a space: 12 bytes, 6 characters, 5
        // grapheme clusters, 7 UTF-16 units, 14 screen cells.
        let before = "\t한😀e\u{301} ";
        let hit = Hit {
            rank: 1,
            score: 1.0,
            key: "/nonexistent/a.txt".into(),
            paragraph: 1,
            line: 12,
            byte_offset: 0,
            char_offset: 0,
            page: None,
            text: format!("{before}word"),
            section: None,
            title: None,
            collection: None,
            highlights: vec![parafind::Highlight {
                range: before.len()..before.len() + 4,
                term: "word".into(),
            }],
            title_highlights: Vec::new(),
            before: Vec::new(),
            after: Vec::new(),
            explanation: None,
            file_as_indexed: true,
            stale: None,
        };
        let place = parafind::output::location(&hit);
        let path = Path::new("docs/a b.md");
        let args = |editor| editor_arguments(editor, path, place);
        assert_eq!(args("vim"), ["+call cursor(12,13)", "docs/a b.md"]);
        assert_eq!(
            args("/usr/bin/nvim -p"),
            ["+call cursor(12,13)", "docs/a b.md"]
        );
        assert_eq!(args("vi"), ["+12", "docs/a b.md"]);
        assert_eq!(args("code --wait"), ["--goto", "docs/a b.md:12:8"]);
        assert_eq!(args("hx"), ["docs/a b.md:12:6"]);
        assert_eq!(args("zed"), ["docs/a b.md:12:7"]);
        assert_eq!(args("micro"), ["+12:7", "docs/a b.md"]);
        assert_eq!(args("emacsclient -t"), ["+12:15", "docs/a b.md"]);
        assert_eq!(args("nano"), ["+12,15", "docs/a b.md"]);
        assert_eq!(args("kak"), ["+12:13", "docs/a b.md"]);
        assert_eq!(args("someeditor"), ["+12", "docs/a b.md"]);
        // The program as the shell runs it: quoted, escaped, after variable assignments.
        assert_eq!(args("'/opt/my eds/hx' -v"), ["docs/a b.md:12:6"]);
        assert_eq!(
            args("\"/opt/my eds/code\" --wait"),
            ["--goto", "docs/a b.md:12:8"]
        );
        assert_eq!(args("/opt/my\\ eds/micro"), ["+12:7", "docs/a b.md"]);
        assert_eq!(
            args("TERM=xterm-256color nvim"),
            ["+call cursor(12,13)", "docs/a b.md"]
        );
    }

    #[test]
    fn each_viewer_is_told_the_page_its_own_way() {
        let path = Path::new("p/a.pdf");
        let args = |viewer| viewer_arguments(viewer, path, Some(7));
        assert_eq!(args("zathura"), ["--page=7", "p/a.pdf"]);
        assert_eq!(args("/usr/bin/evince"), ["--page-index=7", "p/a.pdf"]);
        assert_eq!(args("okular"), ["--page", "7", "p/a.pdf"]);
        assert_eq!(args("mupdf"), ["p/a.pdf", "7"]);
        assert_eq!(args("qpdfview --unique"), ["p/a.pdf#7"]);
        assert_eq!(args("xdg-open"), ["p/a.pdf"]);
        assert_eq!(viewer_arguments("zathura", path, None), ["p/a.pdf"]);
    }
}
