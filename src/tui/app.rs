//! The terminal UI's state and what each key does to it. Nothing here draws or searches: a
//! key gives an [`Action`] for the event loop (search, fetch more, open, quit), answers come
//! back as [`Page`]s, and `view` draws whatever the state is.

use std::path::PathBuf;

use parafind::search::PathFilter;
use parafind::{SearchConfig, StoredParagraph};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::history::History;
use super::line::Line;
use super::search::{ListHit, Page, Request};

/// Hits asked for at a time; more are fetched as the selection nears the end of the list.
pub const PAGE: usize = 50;
/// The most hits `G` (the last hit) loads at once; past them, it goes on at the next press.
const TO_LAST_AT_ONCE: usize = 10_000;

/// Where typed keys go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The query line: characters are typed into it.
    Query,
    /// The list: letters are commands (j/k, g/G, /, ?, q).
    List,
}

/// What the event loop should do after a key.
#[derive(Debug, Clone)]
pub enum Action {
    /// Only draw again.
    Draw,
    /// Send this search.
    Search(Box<Request>),
    /// Open this hit.
    Open(Box<ListHit>),
    /// Restore the terminal and end.
    Quit,
    /// Give the terminal back and stop until the shell continues the UI (Ctrl-Z).
    Suspend,
}

/// What the UI was started with.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Read queries as plain words (`-F`).
    pub literal: bool,
    /// Compare case (`-s`).
    pub case_sensitive: bool,
    /// File types to keep (`-t`), besides the glob line.
    pub types: Vec<String>,
    /// The directory relative globs start from.
    pub base: Option<PathBuf>,
    /// Paragraphs shown before and after the selected one in the preview.
    pub context: (usize, usize),
}

/// The neighbours of the selected hit, loaded for the preview.
#[derive(Debug, Clone, Default)]
pub struct Neighbours {
    /// Whose: the file's key and the paragraph's number.
    pub of: (String, u64),
    /// The paragraphs around it (itself included), in order.
    pub paragraphs: Vec<StoredParagraph>,
}

/// Everything on the screen.
#[derive(Debug)]
pub struct App {
    /// The query being typed.
    pub query: Line,
    /// The path globs applied, as the Ctrl-G line writes them (see [`glob_words`]).
    pub globs: String,
    /// The glob prompt, while open (Ctrl-G).
    pub glob_prompt: Option<Line>,
    /// Where keys go.
    pub focus: Focus,
    /// Exact forms (Ctrl-E).
    pub exact: bool,
    /// Any word (Ctrl-A).
    pub any: bool,
    /// Whether the preview is shown (Tab).
    pub preview: bool,
    /// Whether the key help is shown (`?`, F1).
    pub help: bool,
    /// Lines the help is scrolled by (↑/↓ when it is taller than the screen).
    pub help_scroll: u16,
    /// Lines of the help below the screen at the top, as last drawn: 0 when it all fits.
    pub help_hidden: u16,
    /// The answer shown (its hits, total, warnings).
    pub page: Page,
    /// Why the newest query failed, shown above the list, which keeps the last answer.
    pub error: Option<String>,
    /// A message about the last action (an editor that failed), until the next key.
    pub message: Option<String>,
    /// The selected hit's index in `page.hits`.
    pub selected: usize,
    /// The first hit in view.
    pub top: usize,
    /// Hits in view, as last drawn (for PageUp/PageDown).
    pub rows: usize,
    /// Lines the preview is scrolled by from its place (Shift-↑/↓).
    pub preview_scroll: isize,
    /// The preview's paragraphs, when loaded.
    pub neighbours: Option<Neighbours>,
    /// The generation of the newest request sent.
    pub sent: u64,
    /// Whether a further page has been asked for and not answered.
    pub fetching: bool,
    /// Whether the page asked for is the rest of the hits, for `G` (the last hit): the
    /// selection goes to its end when it comes.
    pub to_last: bool,
    /// Keys acting on the hits (Enter, moving the selection) typed while a new query's answer
    /// was awaited: they act on that answer when it comes, as typed ahead.
    pub deferred: Vec<KeyEvent>,
    /// Colours (off with `NO_COLOR` or `--color never`).
    pub color: bool,
    /// Earlier queries.
    pub history: History,
    /// Fixed settings.
    pub settings: Settings,
}

impl App {
    /// A UI with `query` typed and nothing answered yet.
    pub fn new(query: &str, globs: &[String], settings: Settings, history: History) -> App {
        App {
            query: Line::new(query),
            globs: glob_line(globs),
            glob_prompt: None,
            focus: Focus::Query,
            exact: false,
            any: false,
            preview: true,
            help: false,
            help_scroll: 0,
            help_hidden: 0,
            page: Page::default(),
            error: None,
            message: None,
            selected: 0,
            to_last: false,
            top: 0,
            rows: 1,
            preview_scroll: 0,
            neighbours: None,
            sent: 0,
            fetching: false,
            deferred: Vec::new(),
            color: true,
            history,
            settings,
        }
    }

    /// The selected hit.
    pub fn selected_hit(&self) -> Option<&ListHit> {
        self.page.hits.get(self.selected)
    }

    /// Whether an answer is awaited.
    pub fn waiting(&self) -> bool {
        self.sent > self.page.generation || self.fetching
    }

    /// The search for the query as it stands (None for an empty query, which clears the list;
    /// an invalid glob is shown as the error).
    pub fn search(&mut self) -> Action {
        self.error = None;
        if self.query.text().trim().is_empty() {
            self.sent += 1;
            self.page = Page {
                generation: self.sent,
                ..Page::default()
            };
            self.select(0);
            return Action::Draw;
        }
        match self.config(0, PAGE) {
            Ok(config) => {
                self.sent += 1;
                (self.fetching, self.to_last) = (false, false);
                Action::Search(Box::new(Request {
                    generation: self.sent,
                    config,
                }))
            }
            Err(message) => {
                self.error = Some(message);
                Action::Draw
            }
        }
    }

    /// The search configuration of the query as it stands, `limit` hits from hit `offset` on.
    fn config(&self, offset: usize, limit: usize) -> Result<SearchConfig, String> {
        let mut config = SearchConfig::new(self.query.text(), limit);
        config.offset = offset;
        config.exact = self.exact;
        config.any = self.any;
        config.literal = self.settings.literal;
        config.case_sensitive = self.settings.case_sensitive;
        config.base = self.settings.base.clone();
        let globs = glob_words(&self.globs);
        if !globs.is_empty() || !self.settings.types.is_empty() {
            let filter =
                PathFilter::with_types(&globs, &self.settings.types, self.settings.base.clone())
                    .map_err(|e| e.to_string())?;
            config.paths = Some(filter);
        }
        Ok(config)
    }

    /// Takes an answer: a new query's replaces the list (unless it failed: then the list stays
    /// and the error is shown); a further page is appended. Returns what the keys typed ahead
    /// of the newest answer do, once it has come.
    pub fn receive(&mut self, page: Page) -> Vec<Action> {
        let stale = page.offset == 0 && page.generation <= self.page.generation;
        if stale || page.generation > self.sent {
            return Vec::new();
        }
        if page.offset > 0 {
            if page.generation == self.page.generation && page.offset == self.page.hits.len() {
                self.page.hits.extend(page.hits);
                if std::mem::take(&mut self.to_last) {
                    self.select(usize::MAX);
                    // Not the last of all: said, with how to go on.
                    let loaded = self.page.hits.len();
                    if (loaded as u64) < self.page.total {
                        self.message = Some(format!(
                            "the last of the {loaded} hits loaded, of {}: G again loads up to \
                             {TO_LAST_AT_ONCE} more",
                            self.page.total
                        ));
                    }
                }
            }
            self.fetching = false;
            return Vec::new();
        }
        if let Some(error) = page.error {
            self.error = Some(error);
            self.page.generation = page.generation;
        } else {
            self.error = None;
            self.page = page;
            self.select(0);
        }
        self.replay()
    }

    /// Plays the keys typed ahead, once the newest query's answer is in.
    fn replay(&mut self) -> Vec<Action> {
        if self.awaiting_answer() {
            return Vec::new();
        }
        let keys = std::mem::take(&mut self.deferred);
        keys.into_iter()
            .map(|key| self.key(key))
            .filter(|action| !matches!(action, Action::Draw))
            .collect()
    }

    /// Whether the newest query's first answer has not come yet.
    fn awaiting_answer(&self) -> bool {
        self.sent > self.page.generation
    }

    /// Whether `key` acts on the hits: opens one or moves the selection.
    fn acts_on_hits(&self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let shift = key.modifiers.contains(KeyModifiers::SHIFT);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let list = self.focus == Focus::List;
        match key.code {
            _ if alt => false,
            KeyCode::Char('n' | 'j' | 'p' | 'k') if ctrl => true,
            _ if ctrl => false,
            KeyCode::Enter | KeyCode::PageDown | KeyCode::PageUp => true,
            KeyCode::Down | KeyCode::Up => !shift,
            KeyCode::Char('j' | 'k' | 'g' | 'G') | KeyCode::Home | KeyCode::End => list,
            _ => false,
        }
    }

    /// The next page of hits, when the selection nears the end of those loaded.
    fn more(&mut self) -> Action {
        let near_end = self.selected + self.rows.max(PAGE / 5) >= self.page.hits.len();
        match near_end {
            true => self.fetch_more(PAGE),
            false => Action::Draw,
        }
    }

    /// Asks for up to `limit` more hits after those loaded, unless a page is awaited, all are
    /// loaded, or the query failed.
    fn fetch_more(&mut self, limit: usize) -> Action {
        let loaded = self.page.hits.len();
        if self.fetching || loaded as u64 >= self.page.total || self.error.is_some() {
            return Action::Draw;
        }
        match self.config(loaded, limit) {
            Ok(config) => {
                self.fetching = true;
                Action::Search(Box::new(Request {
                    generation: self.page.generation,
                    config,
                }))
            }
            Err(_) => Action::Draw,
        }
    }

    fn select(&mut self, index: usize) {
        let last = self.page.hits.len().saturating_sub(1);
        let index = index.min(last);
        if index != self.selected || self.page.hits.is_empty() {
            self.preview_scroll = 0;
        }
        self.selected = index;
        self.top = self.top.min(index);
    }

    /// Selects the last hit: the last loaded at once, and the rest of them asked for (up to
    /// [`TO_LAST_AT_ONCE`]), its last selected when it comes.
    fn last(&mut self) -> Action {
        self.select(usize::MAX);
        let total = usize::try_from(self.page.total).unwrap_or(usize::MAX);
        let rest = total.saturating_sub(self.page.hits.len());
        let asked = self.fetch_more(rest.min(TO_LAST_AT_ONCE));
        self.to_last |= matches!(asked, Action::Search(_));
        asked
    }

    /// Moves the selection by `delta` hits.
    fn step(&mut self, delta: isize) -> Action {
        self.to_last = false;
        let target = self.selected.saturating_add_signed(delta);
        self.select(target);
        self.more()
    }

    /// Does what `key` asks.
    pub fn key(&mut self, key: KeyEvent) -> Action {
        self.message = None;
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        if ctrl && key.code == KeyCode::Char('c') {
            return Action::Quit;
        }
        if ctrl && key.code == KeyCode::Char('z') {
            return Action::Suspend;
        }
        if self.help {
            return self.help_key(key.code);
        }
        if self.glob_prompt.is_some() {
            return self.glob_key(key);
        }
        if self.awaiting_answer() && self.acts_on_hits(&key) {
            self.deferred.push(key);
            return Action::Draw;
        }
        if ctrl {
            return self.control_key(key.code);
        }
        if alt {
            return self.alt_key(key.code);
        }
        match key.code {
            KeyCode::Esc => Action::Quit,
            KeyCode::Enter => match self.selected_hit() {
                Some(hit) => {
                    let hit = Box::new(hit.clone());
                    if let Err(err) = self.history.record(self.query.text()) {
                        self.message = Some(format!("cannot keep the query history: {err}"));
                    }
                    Action::Open(hit)
                }
                None => Action::Draw,
            },
            KeyCode::Tab => {
                self.preview = !self.preview;
                Action::Draw
            }
            KeyCode::F(1) => self.show_help(),
            // In the list, Shift-↑/↓ scroll the preview (`list_key`), not the selection.
            KeyCode::Up | KeyCode::Down
                if self.focus == Focus::List && key.modifiers.contains(KeyModifiers::SHIFT) =>
            {
                self.list_key(key)
            }
            KeyCode::Down => {
                self.focus = Focus::List;
                self.step(1)
            }
            KeyCode::Up if self.focus == Focus::List && self.selected == 0 => {
                self.focus = Focus::Query;
                Action::Draw
            }
            KeyCode::Up => self.step(-1),
            KeyCode::PageDown => self.step(self.rows.max(1) as isize),
            KeyCode::PageUp => self.step(-(self.rows.max(1) as isize)),
            _ if self.focus == Focus::List => self.list_key(key),
            _ => self.query_key(key),
        }
    }

    /// Takes pasted text (a terminal's bracketed paste) as typing into the line being edited:
    /// its line breaks are spaces, never Enter (which would open a hit).
    pub fn paste(&mut self, text: &str) -> Action {
        self.message = None;
        self.help = false;
        if let Some(prompt) = self.glob_prompt.as_mut() {
            // A pasted path's spaces are its own (`d/with space/*` is one glob); its lines are
            // globs apart.
            let globs: Vec<String> = text.lines().map(|line| line.replace(' ', "\\ ")).collect();
            prompt.paste(&globs.join(" "));
            return Action::Draw;
        }
        self.focus = Focus::Query;
        match self.query.paste(text) {
            true => self.search(),
            false => Action::Draw,
        }
    }

    fn show_help(&mut self) -> Action {
        self.help = true;
        self.help_scroll = 0;
        Action::Draw
    }

    /// A key while the help is shown: when it is taller than the screen, the keys that move
    /// through a list scroll it; any other key (any key at all when it fits) closes it.
    fn help_key(&mut self, code: KeyCode) -> Action {
        let page = 5;
        let scroll = match code {
            _ if self.help_hidden == 0 => None,
            KeyCode::Down | KeyCode::Char('j') => Some(self.help_scroll.saturating_add(1)),
            KeyCode::Up | KeyCode::Char('k') => Some(self.help_scroll.saturating_sub(1)),
            KeyCode::PageDown => Some(self.help_scroll.saturating_add(page)),
            KeyCode::PageUp => Some(self.help_scroll.saturating_sub(page)),
            _ => None,
        };
        match scroll {
            Some(lines) => self.help_scroll = lines.min(self.help_hidden),
            None => self.help = false,
        }
        Action::Draw
    }

    fn control_key(&mut self, code: KeyCode) -> Action {
        match code {
            KeyCode::Char('n') | KeyCode::Char('j') => self.step(1),
            KeyCode::Char('p') | KeyCode::Char('k') => self.step(-1),
            KeyCode::Char('e') => {
                self.exact = !self.exact;
                self.search()
            }
            KeyCode::Char('a') => {
                self.any = !self.any;
                self.search()
            }
            KeyCode::Char('g') => {
                self.glob_prompt = Some(Line::new(self.globs.clone()));
                Action::Draw
            }
            KeyCode::Char('u') if self.query.clear_before() => self.search(),
            KeyCode::Char('w') if self.query.delete_word() => self.search(),
            _ => Action::Draw,
        }
    }

    fn alt_key(&mut self, code: KeyCode) -> Action {
        let recalled = match code {
            KeyCode::Up | KeyCode::Char('p') => self.history.older().map(str::to_string),
            KeyCode::Down | KeyCode::Char('n') => self.history.newer().map(str::to_string),
            _ => None,
        };
        match recalled {
            Some(query) => {
                self.query = Line::new(query);
                self.focus = Focus::Query;
                self.search()
            }
            None => Action::Draw,
        }
    }

    fn list_key(&mut self, key: KeyEvent) -> Action {
        match key.code {
            KeyCode::Char('j') => self.step(1),
            KeyCode::Char('k') => self.step(-1),
            KeyCode::Char('g') | KeyCode::Home => self.step(isize::MIN / 2),
            KeyCode::Char('G') | KeyCode::End => self.last(),
            KeyCode::Char('?') => self.show_help(),
            KeyCode::Char('q') => Action::Quit,
            KeyCode::Char('/') | KeyCode::Char('i') => {
                self.focus = Focus::Query;
                Action::Draw
            }
            _ if key.modifiers.contains(KeyModifiers::SHIFT) && scroll(key.code) != 0 => {
                self.preview_scroll += scroll(key.code);
                Action::Draw
            }
            _ => {
                // Anything else is typing: back to the query line with it.
                self.focus = Focus::Query;
                self.query_key(key)
            }
        }
    }

    fn query_key(&mut self, key: KeyEvent) -> Action {
        let changed = match key.code {
            KeyCode::Char('?') if self.query.text().is_empty() => return self.show_help(),
            KeyCode::Char(c) => self.query.insert(c),
            KeyCode::Backspace => self.query.backspace(),
            KeyCode::Delete => self.query.delete(),
            KeyCode::Left => {
                self.query.left();
                false
            }
            KeyCode::Right => {
                self.query.right();
                false
            }
            KeyCode::Home => {
                self.query.home();
                false
            }
            KeyCode::End => {
                self.query.end();
                false
            }
            _ => false,
        };
        if changed {
            self.search()
        } else {
            Action::Draw
        }
    }

    fn glob_key(&mut self, key: KeyEvent) -> Action {
        let Some(prompt) = self.glob_prompt.as_mut() else {
            return Action::Draw;
        };
        match key.code {
            KeyCode::Esc => self.glob_prompt = None,
            KeyCode::Enter => {
                self.globs = prompt.text().trim().to_string();
                self.glob_prompt = None;
                return self.search();
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                prompt.clear_before();
            }
            KeyCode::Char('w') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                prompt.delete_word();
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                prompt.insert(c);
            }
            KeyCode::Backspace => {
                prompt.backspace();
            }
            KeyCode::Delete => {
                prompt.delete();
            }
            KeyCode::Left => prompt.left(),
            KeyCode::Right => prompt.right(),
            KeyCode::Home => prompt.home(),
            KeyCode::End => prompt.end(),
            _ => {}
        }
        Action::Draw
    }

    /// The editor or viewer ran; `outcome` is its failure, if it failed.
    pub fn opened(&mut self, outcome: Result<(), String>) {
        if let Err(message) = outcome {
            self.message = Some(message);
        }
    }
}

/// Lines a preview scroll key moves by (Shift-↑/↓), 0 for other keys.
fn scroll(code: KeyCode) -> isize {
    match code {
        KeyCode::Up => -1,
        KeyCode::Down => 1,
        _ => 0,
    }
}

/// The globs of a Ctrl-G line: its words, split at spaces (` `: a tab or another blank is
/// part of its glob) but for a space written `\ `, which stays in its glob (and which the glob
/// matches as a space): `d/with\ space.txt *.md`.
fn glob_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                word.push(c);
                word.extend(chars.next());
            }
            ' ' => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// `globs` as a Ctrl-G line writes them: a space inside one as `\ ` (see [`glob_words`]).
fn glob_line(globs: &[String]) -> String {
    let written: Vec<String> = globs.iter().map(|glob| glob.replace(' ', "\\ ")).collect();
    written.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventKind;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn app() -> App {
        App::new("", &[], Settings::default(), History::load(None))
    }

    fn hit(n: u64) -> ListHit {
        ListHit {
            key: format!("/d/{n}.txt"),
            collection: None,
            file: PathBuf::from(format!("/d/{n}.txt")),
            shown: format!("{n}.txt"),
            place: format!("¶{n}"),
            paragraph: n,
            text: format!("paragraph {n}"),
            highlights: Vec::new(),
            heading: None,
            heading_marks: Vec::new(),
            location: Default::default(),
            stale: None,
        }
    }

    fn answered(app: &mut App, hits: u64, total: u64) {
        let generation = app.sent;
        app.receive(Page {
            generation,
            hits: (1..=hits).map(hit).collect(),
            total,
            ..Page::default()
        });
    }

    fn typed(app: &mut App, text: &str) -> Action {
        let mut last = Action::Draw;
        for c in text.chars() {
            last = app.key(press(KeyCode::Char(c)));
        }
        last
    }

    #[test]
    fn typing_searches_each_edit_and_an_empty_line_clears() {
        let mut app = app();
        let Action::Search(request) = typed(&mut app, "Pyongyang") else {
            panic!("no search");
        };
        assert_eq!(request.config.query, "Pyongyang");
        assert_eq!((request.generation, request.config.limit), (9, PAGE));
        answered(&mut app, 2, 2);
        assert_eq!(app.page.hits.len(), 2);
        app.key(ctrl('u'));
        assert!(app.page.hits.is_empty());
        assert_eq!(KeyEventKind::Press, press(KeyCode::Enter).kind);
    }

    #[test]
    fn the_last_key_goes_to_the_last_hit_not_the_last_loaded() {
        // 55 hits, the first page loaded and the list entered; `key` pressed there asks for
        // the rest, which is then received.
        let last_of_55 = |key: KeyCode, before_it_comes: Option<KeyCode>| {
            let mut app = app();
            typed(&mut app, "x");
            answered(&mut app, PAGE as u64, 55);
            app.key(press(KeyCode::Down));
            let Action::Search(rest) = app.key(press(key)) else {
                panic!("the rest not asked for");
            };
            assert_eq!(app.selected, PAGE - 1, "the last loaded at once");
            assert_eq!((rest.config.offset, rest.config.limit), (PAGE, 5));
            if let Some(key) = before_it_comes {
                app.key(press(key));
            }
            app.receive(Page {
                generation: rest.generation,
                offset: PAGE,
                hits: (51..=55).map(hit).collect(),
                total: 55,
                ..Page::default()
            });
            (app.selected, app.page.hits.len())
        };
        assert_eq!(last_of_55(KeyCode::Char('G'), None), (54, 55));
        // Moving while it is awaited keeps the selection where it was moved.
        assert_eq!(last_of_55(KeyCode::End, Some(KeyCode::Char('g'))), (0, 55));
        // More than it loads at once: the last loaded, and said so.
        let mut app = app();
        typed(&mut app, "x");
        answered(&mut app, PAGE as u64, 20_000);
        app.key(press(KeyCode::Down));
        let Action::Search(rest) = app.key(press(KeyCode::Char('G'))) else {
            panic!("the rest not asked for");
        };
        assert_eq!(rest.config.limit, TO_LAST_AT_ONCE);
        app.receive(Page {
            generation: rest.generation,
            offset: PAGE,
            hits: (51..=(PAGE + TO_LAST_AT_ONCE) as u64).map(hit).collect(),
            total: 20_000,
            ..Page::default()
        });
        assert_eq!(app.selected, PAGE + TO_LAST_AT_ONCE - 1);
        let told = app.message.clone().unwrap_or_default();
        assert!(
            told.contains("10050 hits loaded, of 20000: G again"),
            "{told}"
        );
    }

    #[test]
    fn shift_up_and_down_in_the_list_scroll_the_preview_and_keep_the_selection() {
        let mut app = app();
        typed(&mut app, "x");
        answered(&mut app, 3, 3);
        app.key(press(KeyCode::Down));
        app.key(press(KeyCode::Down));
        let selected = app.selected;
        assert!(selected > 0);
        let shifted = |code| KeyEvent::new(code, KeyModifiers::SHIFT);
        for code in [KeyCode::Down, KeyCode::Down, KeyCode::Up] {
            app.key(shifted(code));
        }
        assert_eq!((app.selected, app.preview_scroll), (selected, 1));
        assert_eq!(app.focus, Focus::List);
    }

    #[test]
    fn toggles_search_again_with_the_mode() {
        let mut app = app();
        typed(&mut app, "treaty");
        let Action::Search(exact) = app.key(ctrl('e')) else {
            panic!("no search");
        };
        assert!(exact.config.exact && !exact.config.any);
        let Action::Search(any) = app.key(ctrl('a')) else {
            panic!("no search");
        };
        assert!(any.config.exact && any.config.any);
    }

    #[test]
    fn an_answer_to_an_older_query_is_dropped_and_an_error_keeps_the_list() {
        let mut app = app();
        typed(&mut app, "ab");
        answered(&mut app, 3, 3);
        typed(&mut app, "\"c");
        let old = Page {
            generation: 2,
            hits: vec![hit(9)],
            total: 1,
            ..Page::default()
        };
        app.receive(old);
        assert_eq!(app.page.hits.len(), 3);
        app.receive(Page {
            generation: app.sent,
            error: Some("unclosed quote".into()),
            ..Page::default()
        });
        assert_eq!(app.error.as_deref(), Some("unclosed quote"));
        assert_eq!(app.page.hits.len(), 3, "the list stays");
        assert!(!app.waiting());
    }

    #[test]
    fn moving_near_the_end_fetches_the_next_page_once() {
        let mut app = app();
        typed(&mut app, "alliance");
        answered(&mut app, PAGE as u64, 120);
        app.rows = 5;
        let mut fetched = None;
        for _ in 0..PAGE {
            if let Action::Search(request) = app.key(press(KeyCode::Down)) {
                assert!(fetched.is_none(), "asked twice");
                fetched = Some(request);
            }
        }
        let request = fetched.expect("no further page asked for");
        assert_eq!(request.config.offset, PAGE);
        app.receive(Page {
            generation: request.generation,
            offset: PAGE,
            hits: (51..=100).map(hit).collect(),
            total: 120,
            ..Page::default()
        });
        assert_eq!(app.page.hits.len(), 100);
        assert_eq!(app.page.hits[50].paragraph, 51);
    }

    #[test]
    fn the_list_takes_letters_as_commands_and_gives_other_keys_back() {
        let mut app = app();
        typed(&mut app, "x");
        answered(&mut app, 5, 5);
        app.key(press(KeyCode::Down));
        assert_eq!((app.focus, app.selected), (Focus::List, 1));
        app.key(press(KeyCode::Char('j')));
        app.key(press(KeyCode::Char('j')));
        app.key(press(KeyCode::Char('k')));
        assert_eq!(app.selected, 2);
        app.key(press(KeyCode::Char('G')));
        assert_eq!(app.selected, 4);
        app.key(press(KeyCode::Char('?')));
        assert!(app.help);
        app.key(press(KeyCode::Down));
        assert!(!app.help, "any key closes a help that fits");
        app.key(press(KeyCode::Char('?')));
        // Drawn on a short screen: three lines below it.
        app.help_hidden = 3;
        for key in [KeyCode::Down, KeyCode::Char('j'), KeyCode::PageDown] {
            app.key(press(key));
        }
        assert_eq!(
            (app.help, app.help_scroll),
            (true, 3),
            "scrolled to its end"
        );
        app.key(press(KeyCode::Up));
        app.key(press(KeyCode::Char('k')));
        assert_eq!(app.help_scroll, 1);
        app.key(press(KeyCode::PageUp));
        assert_eq!((app.help, app.help_scroll), (true, 0));
        app.key(press(KeyCode::Char('z')));
        assert!(!app.help, "any other key closes the help");
        assert_eq!(app.selected, 4, "the keys went to the help, not the list");
        assert!(matches!(
            app.key(press(KeyCode::Char('y'))),
            Action::Search(_)
        ));
        assert_eq!((app.focus, app.query.text()), (Focus::Query, "xy"));
        assert!(matches!(app.key(ctrl('c')), Action::Quit));
        assert!(matches!(app.key(press(KeyCode::Esc)), Action::Quit));
    }

    #[test]
    fn enter_opens_the_selected_hit_and_keeps_the_query() {
        let mut app = app();
        assert!(
            matches!(app.key(press(KeyCode::Enter)), Action::Draw),
            "nothing to open"
        );
        typed(&mut app, "Pyongyang");
        answered(&mut app, 3, 3);
        app.key(ctrl('n'));
        assert!(matches!(app.key(press(KeyCode::Enter)), Action::Open(h) if *h == hit(2)));
        assert_eq!(app.history.older(), Some("Pyongyang"));
    }

    #[test]
    fn keys_typed_ahead_of_an_answer_act_on_it_when_it_comes() {
        let mut app = app();
        typed(&mut app, "alliance");
        answered(&mut app, 3, 3);
        // A new query, then Down and Enter before its answer: nothing happens yet (the old
        // list's hit is not opened) ...
        typed(&mut app, "s");
        assert!(matches!(app.key(press(KeyCode::Down)), Action::Draw));
        assert!(matches!(app.key(press(KeyCode::Enter)), Action::Draw));
        // ... an answer to an older query does not play them ...
        let older = app.sent - 1;
        let played = app.receive(Page {
            generation: older,
            hits: (1..=3).map(hit).collect(),
            total: 3,
            ..Page::default()
        });
        assert!(played.is_empty());
        // ... and the new query's answer does: the second of its hits is opened.
        let generation = app.sent;
        let played = app.receive(Page {
            generation,
            hits: (11..=14).map(hit).collect(),
            total: 4,
            ..Page::default()
        });
        assert!(
            matches!(played.as_slice(), [Action::Open(h)] if **h == hit(12)),
            "{}",
            played.len()
        );
        assert!(app.deferred.is_empty());
        // Typing goes on at once while an answer is awaited.
        assert!(matches!(typed(&mut app, "x"), Action::Search(_)));
        assert!(matches!(app.key(ctrl('c')), Action::Quit));
    }

    #[test]
    fn a_glob_with_a_space_stays_one_glob_and_matches_the_space() {
        let globs = vec!["d/with space.txt".to_string(), "*.md".to_string()];
        let app = App::new("treaty", &globs, Settings::default(), History::load(None));
        assert_eq!(app.globs, "d/with\\ space.txt *.md");
        assert_eq!(glob_words(&app.globs), ["d/with\\ space.txt", "*.md"]);
        assert_eq!(glob_words("  a\\ b   c "), ["a\\ b", "c"]);
        assert_eq!(glob_words("a\u{a0}b\tc d"), ["a\u{a0}b\tc", "d"]);
        let filter = PathFilter::new(&glob_words(&app.globs), None).unwrap();
        assert!(filter.passes("d/with space.txt", None));
        assert!(!filter.passes("d/with", None));
    }

    #[test]
    fn a_path_pasted_into_the_glob_prompt_keeps_its_spaces() {
        let mut app = app();
        typed(&mut app, "treaty");
        app.key(ctrl('g'));
        app.paste("d/with space/*\n*.md");
        let Action::Search(request) = app.key(press(KeyCode::Enter)) else {
            panic!("no search");
        };
        assert_eq!(app.globs, "d/with\\ space/* *.md");
        let filter = request.config.paths.expect("a path filter");
        assert!(filter.passes("d/with space/a.txt", None));
        assert!(filter.passes("notes/b.md", None));
    }

    #[test]
    fn the_glob_prompt_narrows_by_path_and_reports_a_bad_glob() {
        let mut app = app();
        typed(&mut app, "treaty");
        app.key(ctrl('g'));
        for c in "*.md".chars() {
            assert!(matches!(app.key(press(KeyCode::Char(c))), Action::Draw));
        }
        let Action::Search(request) = app.key(press(KeyCode::Enter)) else {
            panic!("no search");
        };
        assert!(request.config.paths.is_some());
        assert_eq!(app.globs, "*.md");
        app.key(ctrl('g'));
        app.key(press(KeyCode::Char('[')));
        assert!(matches!(app.key(press(KeyCode::Enter)), Action::Draw));
        assert!(
            app.error.as_deref().unwrap_or("").contains("*.md["),
            "{:?}",
            app.error
        );
        app.key(ctrl('g'));
        assert!(
            matches!(app.key(press(KeyCode::Esc)), Action::Draw),
            "Esc closes the prompt"
        );
        assert!(app.glob_prompt.is_none());
    }
}
