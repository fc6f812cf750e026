//! Keystroke latency, for bench/tui.sh: each query of a file typed a character at a time into
//! the UI's state, each keystroke's search answered (the search thread's own function, on this
//! thread) and the screen drawn through the crossterm backend (its escape sequences written to a sink), timed from the key
//! to the finished frame. Prints one JSON line per keystroke, then a summary line.

use std::io::{self, BufRead, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result};
use parafind::output::PathDisplay;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::prelude::CrosstermBackend;
use ratatui::{Terminal, TerminalOptions, Viewport};
use serde_json::json;

use super::app::Action;
use super::history::History;
use super::{load_neighbours, new_app, view, TuiOptions};
use crate::serve::sessions::Sessions;

/// Types every query of `queries` (one a line; a `kind<TAB>query` line keeps its query) and
/// prints each keystroke's time.
pub fn run(sessions: &Sessions, options: &TuiOptions, queries: &Path) -> Result<ExitCode> {
    let file = std::fs::File::open(queries)
        .with_context(|| format!("{}: cannot read the queries to replay", queries.display()))?;
    let base = std::env::current_dir().ok();
    let paths = PathDisplay::under(base.clone());
    let (width, height) = options.replay_size;
    let viewport = Viewport::Fixed(Rect::new(0, 0, width, height));
    let mut terminal = Terminal::with_options(
        CrosstermBackend::new(io::sink()),
        TerminalOptions { viewport },
    )?;
    let mut out = io::stdout().lock();
    let mut times = Vec::new();
    for line in io::BufReader::new(file).lines() {
        let line = line?;
        let query = line.rsplit('\t').next().unwrap_or_default().trim();
        if query.is_empty() {
            continue;
        }
        let mut app = new_app(options, base.clone(), History::load(None));
        app.query = super::line::Line::default();
        for c in query.chars() {
            let started = Instant::now();
            let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
            if let Action::Search(request) = app.key(key) {
                app.receive(
                    sessions.with(|session| super::search::answer(session, &request, &paths)),
                );
            }
            load_neighbours(&mut app, sessions);
            terminal.draw(|frame| view::render(frame, &mut app))?;
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            times.push(ms);
            let record = json!({"query": query, "typed": app.query.text(), "ms": ms,
                                "search_ms": app.page.elapsed_ms, "total": app.page.total,
                                "error": app.error});
            writeln!(out, "{record}")?;
        }
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| {
        times
            .get(((times.len() as f64 - 1.0) * q).round() as usize)
            .copied()
    };
    let summary = json!({"type": "summary", "keystrokes": times.len(), "size": [width, height],
        "p50_ms": at(0.5), "p90_ms": at(0.9), "p99_ms": at(0.99), "max_ms": times.last()});
    writeln!(out, "{summary}")?;
    Ok(ExitCode::SUCCESS)
}
