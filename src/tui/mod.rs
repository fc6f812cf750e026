//! `parafind tui` and `parafind search -i`: interactive search in the terminal. A query line,
//! the ranked hits and a preview of the selected paragraph between its neighbours, updated as
//! the user types; Enter opens a hit in the editor (a document in its viewer) and comes back.
//! `app` holds the state and what each key does, `view` draws it (ratatui), `search` answers
//! queries on a thread of its own through the library's batch runner, `text` turns paragraphs
//! into safe, highlighted, wrapped lines, `line` edits a line, `history` keeps queries between
//! runs, `replay` times typed queries through the same search and drawing (bench/tui.sh).

mod app;
mod history;
mod line;
mod replay;
mod search;
mod text;
mod view;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Result};
use parafind::index::key_path;
use parafind::output::{PathDisplay, Places};
use parafind::search::PathFilter;
use ratatui::crossterm::event::{self, Event, KeyEventKind};
use ratatui::crossterm::{cursor, execute, terminal};
use ratatui::prelude::CrosstermBackend;
use ratatui::Terminal;

use crate::serve::sessions::Sessions;
use app::{Action, App, Neighbours, Settings};

/// How the UI starts.
#[derive(Debug, Clone, Default)]
pub struct TuiOptions {
    /// The query typed at the start.
    pub query: String,
    /// Exact forms on.
    pub exact: bool,
    /// Any-word mode on.
    pub any: bool,
    /// Plain words, no syntax.
    pub literal: bool,
    /// Case compared.
    pub case_sensitive: bool,
    /// Path globs to start with (editable with Ctrl-G).
    pub globs: Vec<String>,
    /// File types kept throughout.
    pub types: Vec<String>,
    /// Paragraphs before and after the selected one in the preview.
    pub context: (usize, usize),
    /// Colours on.
    pub color: bool,
    /// Instead of a UI: type each query of this file a character at a time and time each
    /// keystroke's search and drawing (bench/tui.sh).
    pub replay: Option<PathBuf>,
    /// The screen size of a replay.
    pub replay_size: (u16, u16),
}

/// How often the UI looks for an answer while one is awaited.
const ANSWER_POLL: Duration = Duration::from_millis(2);

/// Refuses what would make the UI fail before it opens: a bad glob or type given at the start
/// (as `search` would, not on screen), and no terminal (but for a replay). Checked before any
/// work, such as the default corpus's ingest.
pub fn check(options: &TuiOptions) -> Result<()> {
    if !options.globs.is_empty() || !options.types.is_empty() {
        let base = std::env::current_dir().ok();
        PathFilter::with_types(&options.globs, &options.types, base)?;
    }
    let terminal = io::stdin().is_terminal() && io::stdout().is_terminal();
    if options.replay.is_none() && !terminal {
        bail!("the interactive search needs a terminal: standard input and output must both be one (use `parafind search` in scripts and pipes)");
    }
    Ok(())
}

/// Runs the UI on the index in `index_dir` until the user quits.
pub fn run(index_dir: &Path, options: TuiOptions) -> Result<ExitCode> {
    check(&options)?;
    let base = std::env::current_dir().ok();
    let sessions = Sessions::open(index_dir)?;
    if let Some(queries) = &options.replay {
        return replay::run(&sessions, &options, queries);
    }
    let mut app = new_app(
        &options,
        base.clone(),
        history::History::load(history::default_path()),
    );
    std::thread::scope(|scope| -> Result<ExitCode> {
        let searcher = search::Searcher::start(scope, &sessions, PathDisplay::under(base));
        let mut screen = Screen::enter()?;
        let outcome = event_loop(&mut screen, &mut app, &searcher, &sessions);
        drop(screen);
        let signal = outcome?;
        if let Err(err) = app.history.record(app.query.text()) {
            let told = parafind::output::one_line(&err.to_string());
            eprintln!("parafind: cannot keep the query history: {told}");
        }
        // Ended by a signal: the status a shell reports for it (128 + the signal).
        Ok(match signal {
            0 => ExitCode::SUCCESS,
            signal => ExitCode::from(u8::try_from(128 + signal).unwrap_or(u8::MAX)),
        })
    })
}

/// The UI's state at the start.
fn new_app(options: &TuiOptions, base: Option<PathBuf>, history: history::History) -> App {
    let settings = Settings {
        literal: options.literal,
        case_sensitive: options.case_sensitive,
        types: options.types.clone(),
        base,
        context: options.context,
    };
    let mut app = App::new(&options.query, &options.globs, settings, history);
    app.exact = options.exact;
    app.any = options.any;
    app.color = options.color;
    app
}

fn event_loop(
    screen: &mut Screen,
    app: &mut App,
    searcher: &search::Searcher<'_>,
    previews: &Sessions,
) -> Result<i32> {
    // The signal that ended the UI (SIGTERM, SIGHUP), 0 for none.
    let terminated = Arc::new(AtomicI32::new(0));
    #[cfg(unix)]
    watch_signals(Arc::clone(&terminated))?;
    if let Action::Search(request) = app.search() {
        searcher.send(*request);
    }
    let mut dirty = true;
    // Where hits open: a collection's record lines read once while it stays unchanged.
    let mut places = Places::default();
    loop {
        while let Some(page) = searcher.try_recv() {
            for action in app.receive(page) {
                if perform(action, screen, app, searcher, &mut places)? {
                    return Ok(0);
                }
            }
            dirty = true;
        }
        if dirty {
            load_neighbours(app, previews);
            screen.terminal.draw(|frame| view::render(frame, app))?;
            dirty = false;
        }
        let signal = terminated.load(Ordering::Relaxed);
        if signal != 0 {
            return Ok(signal);
        }
        let wait = if app.waiting() {
            ANSWER_POLL
        } else {
            Duration::from_millis(500)
        };
        if !event::poll(wait)? {
            continue;
        }
        // Every key already typed is taken before drawing again.
        loop {
            dirty = true;
            match event::read()? {
                Event::Key(key) if key.kind != KeyEventKind::Release => {
                    let action = app.key(key);
                    if perform(action, screen, app, searcher, &mut places)? {
                        return Ok(0);
                    }
                }
                Event::Paste(text) => {
                    let action = app.paste(&text);
                    if perform(action, screen, app, searcher, &mut places)? {
                        return Ok(0);
                    }
                }
                _ => {}
            }
            if !event::poll(Duration::ZERO)? {
                break;
            }
        }
    }
}

/// Does what a key asked for; true when the UI is to end.
fn perform(
    action: Action,
    screen: &mut Screen,
    app: &mut App,
    searcher: &search::Searcher<'_>,
    places: &mut Places,
) -> Result<bool> {
    match action {
        Action::Quit => return Ok(true),
        Action::Search(request) => searcher.send(*request),
        Action::Suspend => suspend(screen)?,
        Action::Open(hit) => {
            screen.leave()?;
            // A JSON Lines record opens as its collection, at the record's line.
            let (key, place) = places.place(&hit.key, hit.collection.as_deref(), hit.location);
            let opened = crate::open::open(&key_path(key), place);
            screen.resume()?;
            app.opened(opened_outcome(opened));
        }
        Action::Draw => {}
    }
    Ok(false)
}

/// How long the event loop has, after SIGTERM or SIGHUP, to give the terminal back and end by
/// itself before the process is ended for it. When the terminal has gone away (a closed
/// window, a dropped ssh connection, a killed tmux pane), crossterm's input loop reads
/// end-of-file over and over without ever returning, so the loop would never see the signal
/// and the process would spin on a core.
const SIGNAL_GRACE: Duration = Duration::from_secs(2);

/// Sets `terminated` on SIGTERM, SIGHUP, SIGINT or SIGQUIT (the last two not while an editor
/// has the terminal) and passes the signal on to an editor the UI waits
/// for, then ends the process [`SIGNAL_GRACE`] later if the event loop has not ended it first
/// (exit status 128 + the signal, as a shell reports it).
#[cfg(unix)]
fn watch_signals(terminated: Arc<AtomicI32>) -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])?;
    std::thread::spawn(move || {
        // Ctrl-C or Ctrl-\ typed to an editor that has the terminal reaches the UI too (one
        // process group): it is the editor's, and the UI goes on, as git does. Sent from
        // elsewhere, or with no editor, they end the UI as SIGTERM does (in the UI's raw mode
        // the keys are keys, not signals).
        let ending = signals.forever().find(|&signal| {
            !(matches!(signal, SIGINT | SIGQUIT) && crate::open::waiting_for_one())
        });
        if let Some(signal) = ending {
            terminated.store(signal, Ordering::Relaxed);
            // An editor the UI waits for is told too: the UI ends once it has.
            crate::open::signal_waited_for(signal);
            std::thread::sleep(SIGNAL_GRACE);
            let _ = give_back_terminal();
            std::process::exit(128 + signal);
        }
    });
    Ok(())
}

/// Ctrl-Z: gives the terminal back and stops, as a shell's job does; takes it again when the
/// shell continues it (`fg`).
fn suspend(screen: &mut Screen) -> Result<()> {
    screen.leave()?;
    #[cfg(unix)]
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    screen.resume()?;
    Ok(())
}

/// An editor's or viewer's outcome as the UI reports it.
fn opened_outcome(opened: Result<ExitCode>) -> Result<(), String> {
    opened.map(|_| ()).map_err(|err| format!("{err:#}"))
}

/// Loads the selected hit's neighbours for the preview, when they are not loaded yet. A
/// failure leaves the hit alone in the preview.
fn load_neighbours(app: &mut App, sessions: &Sessions) {
    let Some(hit) = app.selected_hit() else {
        return;
    };
    let of = (hit.key.clone(), hit.paragraph);
    if !app.preview || app.neighbours.as_ref().is_some_and(|n| n.of == of) {
        return;
    }
    let (before, after) = app.settings.context;
    let first = hit.paragraph.saturating_sub(before as u64).max(1);
    let last = hit.paragraph.saturating_add(after as u64);
    let paragraphs = sessions
        .with(|session| session.paragraphs(&hit.key, first, last))
        .unwrap_or_default();
    app.neighbours = Some(Neighbours { of, paragraphs });
}

/// The terminal while the UI owns it: raw mode, the alternate screen; given back as it was on
/// quitting, on an error and on a panic.
struct Screen {
    terminal: Terminal<CrosstermBackend<io::Stdout>>,
}

impl Screen {
    fn enter() -> Result<Screen> {
        restore_on_panic();
        take_terminal()?;
        let terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        Ok(Screen { terminal })
    }

    /// Gives the terminal back for a while (an editor runs).
    fn leave(&mut self) -> io::Result<()> {
        give_back_terminal()
    }

    /// Takes the terminal again and draws everything anew.
    fn resume(&mut self) -> io::Result<()> {
        take_terminal()?;
        self.terminal.clear()
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = give_back_terminal();
    }
}

fn take_terminal() -> io::Result<()> {
    terminal::enable_raw_mode()?;
    // Bracketed paste: a pasted line break is text, not Enter.
    execute!(
        io::stdout(),
        terminal::EnterAlternateScreen,
        cursor::Hide,
        event::EnableBracketedPaste
    )
}

fn give_back_terminal() -> io::Result<()> {
    let shown = execute!(
        io::stdout(),
        event::DisableBracketedPaste,
        terminal::LeaveAlternateScreen,
        cursor::Show
    );
    let cooked = terminal::disable_raw_mode();
    io::stdout().flush()?;
    shown.and(cooked)
}

/// A panic gives the terminal back before its message is printed (else the message would go
/// to the alternate screen, and the shell would be left in raw mode).
fn restore_on_panic() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = give_back_terminal();
            previous(info);
        }));
    });
}
