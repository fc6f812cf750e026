//! Drawing the terminal UI's state: the query line (with the modes on), a status line (the
//! answer's count and time, or the query's error, which leaves the list as it was), the hits
//! (file and place, then a snippet with the matched words marked), the preview (the selected
//! paragraph between its neighbours, wrapped, scrolled to its first match) and the keys. All
//! document text goes through `text`, so nothing from a file reaches the terminal as a control
//! sequence. Without colour (`NO_COLOR`) matches are bold and underlined, the selection marked.

use parafind::output::{one_line, place, sanitize_name, sanitize_name_at, snippet_windows};
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::app::{App, Focus};
use super::text::{self, Look};

/// The styles of one drawing, with or without colour.
struct Theme {
    path: Style,
    place: Style,
    matched: Style,
    dim: Style,
    error: Style,
    tag: Style,
    key: Style,
    selected: Style,
}

impl Theme {
    fn new(color: bool) -> Theme {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        if !color {
            return Theme {
                path: bold,
                place: Style::new(),
                matched: bold.add_modifier(Modifier::UNDERLINED),
                dim: Style::new(),
                error: bold,
                tag: Style::new().add_modifier(Modifier::REVERSED),
                key: bold,
                selected: Style::new(),
            };
        }
        Theme {
            path: bold.fg(Color::Magenta),
            place: Style::new().fg(Color::Green),
            matched: bold.fg(Color::Red),
            dim: Style::new().add_modifier(Modifier::DIM),
            error: bold.fg(Color::Red),
            tag: Style::new().fg(Color::Black).bg(Color::Yellow),
            key: bold.fg(Color::Cyan),
            selected: Style::new().bg(Color::DarkGray),
        }
    }
}

/// Lines of the list per hit: its file and place, then its snippet.
const HIT_ROWS: u16 = 2;

/// Draws `app` on `frame` (and keeps what it found of the list's size and scroll in `app`).
pub fn render(frame: &mut Frame<'_>, app: &mut App) {
    let theme = Theme::new(app.color);
    let [query, status, body, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(status_rows(app, frame.area().width)),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    draw_query(frame, query, app, &theme);
    draw_status(frame, status, app, &theme);
    let (list, preview) = split(body, app.preview);
    draw_list(frame, list, app, &theme);
    if let Some(preview) = preview {
        draw_preview(frame, preview, app, &theme);
    }
    draw_keys(frame, keys, app, &theme);
    if app.help {
        draw_help(frame, frame.area(), app, &theme);
    }
}

/// The list's area and the preview's: side by side when wide, else the list above.
fn split(body: Rect, preview: bool) -> (Rect, Option<Rect>) {
    if !preview || body.height < 3 * HIT_ROWS + 2 {
        return (body, None);
    }
    if body.width >= 120 {
        let [list, preview] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(body);
        return (list, Some(preview));
    }
    let list_height = (body.height * 2 / 5).max(2 * HIT_ROWS) / HIT_ROWS * HIT_ROWS;
    let [list, preview] =
        Layout::vertical([Constraint::Length(list_height), Constraint::Min(0)]).areas(body);
    (list, Some(preview))
}

fn draw_query(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let mut tags: Vec<String> = Vec::new();
    if app.exact {
        tags.push("exact".into());
    }
    if app.any {
        tags.push("any".into());
    }
    if !app.globs.is_empty() {
        tags.push(format!("path: {}", sanitize_name(&app.globs)));
    }
    let tag_width = tags.iter().map(|t| text::width(t) as u16 + 3).sum::<u16>();
    let [line, right] = Layout::horizontal([
        Constraint::Min(8),
        Constraint::Length(tag_width.min(area.width / 2)),
    ])
    .areas(area);
    let prompt = Span::styled(
        "> ",
        if app.focus == Focus::Query {
            theme.key
        } else {
            theme.dim
        },
    );
    let (shown, cursor) = fitted(
        app.query.text(),
        app.query.cursor(),
        line.width.saturating_sub(3),
    );
    frame.render_widget(
        Paragraph::new(Line::from(vec![prompt, Span::raw(shown)])),
        line,
    );
    let spans: Vec<Span<'_>> = tags
        .into_iter()
        .flat_map(|tag| [Span::raw(" "), Span::styled(format!(" {tag} "), theme.tag)])
        .collect();
    frame.render_widget(Paragraph::new(Line::from(spans)).right_aligned(), right);
    if app.focus == Focus::Query && app.glob_prompt.is_none() && !app.help {
        frame.set_cursor_position(Position::new(line.x + 2 + cursor, line.y));
    }
}

/// `text` made safe and cut from the left so the cursor fits in `room` cells; with the
/// cursor's cell in what is shown.
fn fitted(text: &str, cursor: usize, room: u16) -> (String, u16) {
    let (shown, at) = sanitize_name_at(text, cursor);
    let mut before = text::width(&shown[..at]);
    let mut shown = shown.into_owned();
    while before > usize::from(room) {
        let Some(first) = shown.chars().next() else {
            break;
        };
        before = before.saturating_sub(text::width(first.encode_utf8(&mut [0; 4])));
        shown.remove(0);
    }
    (shown, u16::try_from(before).unwrap_or(room))
}

/// The most rows a message takes above the list.
const MESSAGE_ROWS: usize = 3;

/// Rows of the status line: one, or as many as a long error or message needs to be read
/// whole (its advice comes last), up to [`MESSAGE_ROWS`].
fn status_rows(app: &App, width: u16) -> u16 {
    let problem = app.error.as_ref().or(app.message.as_ref());
    let cells = problem.map_or(0, |problem| text::width(&one_line(problem)));
    let rows = cells
        .div_ceil(usize::from(width.max(1)))
        .clamp(1, MESSAGE_ROWS);
    u16::try_from(rows).unwrap_or(1)
}

fn draw_status(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    if let Some(prompt) = &app.glob_prompt {
        let label = "path glob (Enter applies, Esc cancels): ";
        let room = area.width.saturating_sub(text::width(label) as u16 + 1);
        let (shown, cursor) = fitted(prompt.text(), prompt.cursor(), room);
        let line = Line::from(vec![Span::styled(label, theme.key), Span::raw(shown)]);
        frame.render_widget(Paragraph::new(line), area);
        frame.set_cursor_position(Position::new(
            area.x + text::width(label) as u16 + cursor,
            area.y,
        ));
        return;
    }
    let line = if let Some(problem) = app.error.as_ref().or(app.message.as_ref()) {
        let shown = Paragraph::new(Line::styled(one_line(problem), theme.error));
        frame.render_widget(shown.wrap(Wrap { trim: false }), area);
        return;
    } else if app.query.text().trim().is_empty() {
        Line::styled(
            "Type to search; ↓ moves into the hits, F1 or ? (on an empty line) shows the keys",
            theme.dim,
        )
    } else {
        Line::styled(summary(app), theme.dim)
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The answer in a line: how many paragraphs, for what, how fast, and what to know.
fn summary(app: &App) -> String {
    let page = &app.page;
    if page.generation == 0 {
        return "searching…".into();
    }
    let plural = if page.total == 1 { "" } else { "s" };
    // Where the selection is, once in the list (`G` may stop short of the last of many),
    // first: a narrow terminal cuts the line's end.
    let mut parts = match app.focus == Focus::List && !page.hits.is_empty() {
        true => vec![format!(
            "hit {} of {} paragraph{plural}",
            app.selected + 1,
            page.total
        )],
        false => vec![format!("{} paragraph{plural}", page.total)],
    };
    if let Some(completed) = &page.completed {
        parts[0].push_str(&format!(" for {completed}"));
    }
    parts.push(format!("{:.1} ms", page.elapsed_ms));
    if let Some(suggestion) = &page.suggestion {
        parts.push(format!("did you mean: {suggestion}"));
    }
    parts.extend(page.warnings.iter().cloned());
    if app.waiting() {
        parts.push("…".into());
    }
    one_line(&parts.join(" · "))
}

fn draw_list(frame: &mut Frame<'_>, area: Rect, app: &mut App, theme: &Theme) {
    let visible = usize::from(area.height / HIT_ROWS).max(1);
    app.rows = visible;
    // Grown taller (a resize): no hit left scrolled out above rows that stand empty.
    app.top = app.top.min(app.page.hits.len().saturating_sub(visible));
    if app.selected < app.top {
        app.top = app.selected;
    }
    if app.selected >= app.top + visible {
        app.top = app.selected + 1 - visible;
    }
    if app.page.hits.is_empty() {
        if app.page.generation > 0 && !app.query.text().trim().is_empty() && app.error.is_none() {
            frame.render_widget(
                Paragraph::new(Line::styled("  No paragraph matches.", theme.dim)),
                area,
            );
        }
        return;
    }
    let look = Look {
        plain: Style::new(),
        matched: theme.matched,
    };
    let room = usize::from(area.width.saturating_sub(3)).max(10);
    let mut lines = Vec::new();
    for (i, hit) in app.page.hits.iter().enumerate().skip(app.top).take(visible) {
        let selected = i == app.selected;
        let marker = if selected { "▌ " } else { "  " };
        let mut heading = vec![Span::styled(marker, theme.key)];
        // (Before the path, which a narrow list cuts.)
        if let Some((state, _)) = &hit.stale {
            heading.push(Span::styled(format!(" {state} "), theme.tag));
            heading.push(Span::raw(" "));
        }
        heading.extend([
            Span::styled(sanitize_name(&hit.shown).into_owned(), theme.path),
            Span::raw("  "),
            Span::styled(hit.place.clone(), theme.place),
        ]);
        if let Some(section) = &hit.heading {
            heading.push(Span::styled(" · ", theme.dim));
            match hit.heading_marks.is_empty() {
                true => heading.push(Span::styled(sanitize_name(section).into_owned(), theme.dim)),
                false => {
                    let look = Look {
                        plain: theme.dim,
                        matched: theme.matched,
                    };
                    let runs =
                        text::runs(section, 0..section.len(), &hit.heading_marks, look, true);
                    heading.extend(text::fitted_line(runs, usize::MAX).spans);
                }
            }
        }
        // Every snippet window that fits, `…` where text is left out, within the column.
        let mut runs = Vec::new();
        let mut windows = snippet_windows(&hit.text, &hit.highlights, room);
        if windows.len() > 1 {
            // Room for the `…` between and around them, so the last keeps its match.
            let marks = 3 * (windows.len() - 1) + 2;
            windows = snippet_windows(
                &hit.text,
                &hit.highlights,
                room.saturating_sub(marks).max(10),
            );
        }
        for (i, window) in windows.iter().enumerate() {
            if i > 0 {
                runs.push(text::plain(" … ", look));
            } else if window.cut_before {
                runs.push(text::plain("…", look));
            }
            runs.extend(text::runs(
                &hit.text,
                window.range.clone(),
                &hit.highlights,
                look,
                true,
            ));
        }
        if windows.is_empty() {
            runs = text::runs(&hit.text, 0..hit.text.len(), &hit.highlights, look, true);
        } else if windows.last().is_some_and(|w| w.cut_after) {
            runs.push(text::plain("…", look));
        }
        let mut snippet_line = vec![Span::raw("  ")];
        snippet_line.extend(text::fitted_line(runs, room).spans);
        let style = if selected {
            theme.selected
        } else {
            Style::new()
        };
        lines.push(Line::from(heading).style(style));
        lines.push(Line::from(snippet_line).style(style));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_preview(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let Some(hit) = app.selected_hit() else {
        frame.render_widget(
            Block::new().borders(Borders::TOP).border_style(theme.dim),
            area,
        );
        return;
    };
    let title = format!(" {} · {} ", sanitize_name(&hit.shown), hit.place);
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(theme.dim)
        .title(Span::styled(title, theme.path));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let plain = Look {
        plain: Style::new(),
        matched: theme.matched,
    };
    let around = Look {
        plain: theme.dim,
        matched: theme.dim,
    };
    // A file not as indexed is said first, above the text (which is the text indexed), on
    // lines of their own that the text scrolls under.
    let inner = match &hit.stale {
        Some((_, warning)) => {
            let said = format!("{}: the text below is as indexed", one_line(warning));
            let error = Look {
                plain: theme.error,
                matched: theme.error,
            };
            let runs = text::runs(&said, 0..said.len(), &[], error, false);
            let notice = text::wrap(&runs, inner.width).lines;
            let rows = (notice.len() as u16).min(inner.height / 2);
            let [top, rest] =
                Layout::vertical([Constraint::Length(rows + 1), Constraint::Min(0)]).areas(inner);
            frame.render_widget(Paragraph::new(notice), top);
            rest
        }
        None => inner,
    };
    let mut lines: Vec<Line<'static>> = Vec::new();
    let (mut hit_header, mut first_match) = (0, None);
    let neighbours = app
        .neighbours
        .as_ref()
        .filter(|n| n.of == (hit.key.clone(), hit.paragraph))
        .map(|n| n.paragraphs.as_slice())
        .unwrap_or_default();
    let own = [(hit.paragraph, None)];
    let paragraphs: Vec<(u64, Option<&parafind::StoredParagraph>)> = if neighbours.is_empty() {
        own.to_vec()
    } else {
        neighbours.iter().map(|p| (p.paragraph, Some(p))).collect()
    };
    for (number, stored) in paragraphs {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        let is_hit = number == hit.paragraph;
        let header = match stored {
            Some(p) => place(p.paragraph, p.line, p.page),
            None => hit.place.clone(),
        };
        if is_hit {
            hit_header = lines.len();
        }
        lines.push(Line::styled(
            header,
            if is_hit { theme.place } else { theme.dim },
        ));
        let runs = match (is_hit, stored) {
            (true, _) => text::runs(&hit.text, 0..hit.text.len(), &hit.highlights, plain, false),
            (false, Some(p)) => text::runs(&p.text, 0..p.text.len(), &[], around, false),
            (false, None) => Vec::new(),
        };
        let wrapped = text::wrap(&runs, inner.width);
        if is_hit {
            first_match = wrapped.first_match.map(|l| lines.len() + l);
        }
        lines.extend(wrapped.lines);
    }
    let start = scroll_start(
        lines.len(),
        usize::from(inner.height),
        hit_header,
        first_match,
        app.preview_scroll,
    );
    let shown: Vec<Line<'static>> = lines.into_iter().skip(start).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

/// The first line of the preview shown: the hit's header a quarter down (after the end of
/// the paragraph before it), unless its first match would then be low in the pane: then that
/// match a third down. Moved by the user's scrolling, within the text.
fn scroll_start(
    lines: usize,
    height: usize,
    header: usize,
    first_match: Option<usize>,
    scrolled: isize,
) -> usize {
    let mut start = header.saturating_sub(height / 4);
    if let Some(target) = first_match {
        if target >= start + height * 2 / 3 {
            start = target.saturating_sub(height / 3);
        }
    }
    start
        .saturating_add_signed(scrolled)
        .min(lines.saturating_sub(1))
}

fn draw_keys(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let keys: &[(&str, &str)] = match app.focus {
        Focus::Query => &[
            ("↓", "hits"),
            ("Enter", "open"),
            ("Tab", "preview"),
            ("^E", "exact"),
            ("^A", "any"),
            ("^G", "path"),
            ("F1", "help"),
            ("Esc", "quit"),
        ],
        Focus::List => &[
            ("j/k", "move"),
            ("Enter", "open"),
            ("/", "query"),
            ("Tab", "preview"),
            ("^E", "exact"),
            ("^A", "any"),
            ("?", "help"),
            ("q", "quit"),
        ],
    };
    let spans: Vec<Span<'_>> = keys
        .iter()
        .flat_map(|(key, what)| {
            [
                Span::styled(*key, theme.key),
                Span::styled(format!(" {what}  "), theme.dim),
            ]
        })
        .collect();
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The keys, in a box over the screen.
pub const HELP: &[(&str, &str)] = &[
    ("typing", "the query (see `parafind search --help`)"),
    ("↑ ↓  Ctrl-N Ctrl-P", "move through the hits"),
    ("j k  g G", "in the list: move, first, last"),
    ("/", "from the list back to the query"),
    ("PageUp PageDown", "a page of hits"),
    ("Enter", "open the hit in $VISUAL/$EDITOR at its line"),
    ("", "(a PDF in its viewer at its page)"),
    ("Tab", "show or hide the preview"),
    ("Shift-↑ Shift-↓", "scroll the preview (in the list)"),
    ("Ctrl-E", "exact word forms on or off"),
    ("Ctrl-A", "any of the words (ranked) on or off"),
    ("Ctrl-G", "narrow by path globs: *.md !drafts/*"),
    ("Alt-↑ Alt-↓", "earlier and later queries"),
    ("Ctrl-U Ctrl-W", "clear the line, delete a word"),
    ("Ctrl-Z", "suspend (`fg` in the shell comes back)"),
    ("Esc  Ctrl-C", "quit"),
];

/// The width of the help's key column.
const HELP_KEYS: u16 = 20;

/// The help's lines `width` cells wide: each key beside what it does when every line fits,
/// else each key on a line of its own and what it does below it, indented and wrapped.
fn help_lines(width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let beside = HELP
        .iter()
        .all(|(_, what)| usize::from(HELP_KEYS) + text::width(what) <= usize::from(width));
    if beside {
        return HELP
            .iter()
            .map(|(key, what)| {
                Line::from(vec![
                    Span::styled(
                        format!("{key:<width$}", width = usize::from(HELP_KEYS)),
                        theme.key,
                    ),
                    Span::raw(*what),
                ])
            })
            .collect();
    }
    let look = Look {
        plain: Style::default(),
        matched: Style::default(),
    };
    let mut lines = Vec::new();
    for (key, what) in HELP {
        if !key.is_empty() {
            lines.push(Line::styled(*key, theme.key));
        }
        let wrapped = text::wrap(&[text::plain(what, look)], width.saturating_sub(2));
        for line in wrapped.lines {
            let mut spans = vec![Span::raw("  ")];
            spans.extend(line.spans);
            lines.push(Line::from(spans));
        }
    }
    lines
}

/// The keys, in a box over the screen; when the screen is too short for them, the box
/// scrolls (and says so on its lower edge), keeping in `app` how far it can.
fn draw_help(frame: &mut Frame<'_>, area: Rect, app: &mut App, theme: &Theme) {
    let width = 72.min(area.width);
    let mut lines = help_lines(width.saturating_sub(2), theme);
    lines.push(Line::styled("any key closes this", theme.dim));
    let needed = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let height = needed.saturating_add(2).min(area.height);
    let inside = height.saturating_sub(2);
    let mut block = Block::bordered().title(" parafind: keys ");
    app.help_hidden = 0;
    if needed > inside {
        // Too short: what the last line says goes on the box's lower edge, with how to
        // scroll while there is more.
        lines.pop();
        app.help_hidden = (needed - 1).saturating_sub(inside);
        app.help_scroll = app.help_scroll.min(app.help_hidden);
        let more = match (app.help_scroll > 0, app.help_scroll < app.help_hidden) {
            _ if app.help_hidden == 0 => " any key closes this ",
            (false, _) => " ↓ more · other keys close ",
            (true, true) => " ↑↓ more · other keys close ",
            (true, false) => " ↑ more · other keys close ",
        };
        block = block.title_bottom(Line::styled(more, theme.dim));
    }
    app.help_scroll = app.help_scroll.min(app.help_hidden);
    let [_, column, _] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(width),
        Constraint::Fill(1),
    ])
    .areas(area);
    let [_, boxed, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(height),
        Constraint::Fill(1),
    ])
    .areas(column);
    frame.render_widget(Clear, boxed);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((app.help_scroll, 0))
            .block(block),
        boxed,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::app::{Neighbours, Settings};
    use crate::tui::history::History;
    use crate::tui::search::{ListHit, Page};
    use parafind::{Highlight, StoredParagraph};
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;
    use std::path::PathBuf;

    fn hit(shown: &str, paragraph: u64, text: &str, words: &[&str]) -> ListHit {
        let highlights = words
            .iter()
            .flat_map(|w| text.match_indices(w).map(|(at, m)| at..at + m.len()))
            .map(|range| Highlight {
                range,
                term: String::new(),
            })
            .collect::<Vec<_>>();
        let mut highlights = highlights;
        highlights.sort_by_key(|h| h.range.start);
        ListHit {
            key: format!("/c/{shown}"),
            collection: None,
            file: PathBuf::from(format!("/c/{shown}")),
            shown: shown.into(),
            place: format!("¶{paragraph}, line {paragraph}"),
            paragraph,
            text: text.into(),
            highlights,
            heading: None,
            heading_marks: Vec::new(),
            location: Default::default(),
            stale: None,
        }
    }

    fn app(query: &str, hits: Vec<ListHit>) -> App {
        let mut app = App::new(query, &[], Settings::default(), History::load(None));
        app.sent = 1;
        app.page = Page {
            generation: 1,
            total: hits.len() as u64,
            hits,
            elapsed_ms: 0.4,
            ..Page::default()
        };
        app.color = false;
        app
    }

    fn draw(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|frame| render(frame, app)).unwrap();
        terminal
    }

    fn essay_hits() -> Vec<ListHit> {
        vec![
            hit(
                "corpus/us-korea-alliance.txt",
                1,
                "The alliance faces Pyongyang's missiles and a changing region.",
                &["Pyongyang"],
            ),
            hit(
                "corpus/us-korea-alliance.txt",
                3,
                "Deterrence of Pyongyang rests on extended deterrence.",
                &["Pyongyang"],
            ),
        ]
    }

    #[test]
    fn an_80_by_24_screen_shows_the_query_hits_preview_and_keys() {
        let mut app = app("Pyongyang", essay_hits());
        app.neighbours = Some(Neighbours {
            of: ("/c/corpus/us-korea-alliance.txt".into(), 1),
            paragraphs: vec![
                StoredParagraph {
                    paragraph: 1,
                    line: 1,
                    byte_offset: 0,
                    char_offset: 0,
                    page: None,
                    text: app.page.hits[0].text.clone(),
                    section: None,
                    title: None,
                },
                StoredParagraph {
                    paragraph: 2,
                    line: 3,
                    byte_offset: 70,
                    char_offset: 70,
                    page: None,
                    text: "The second paragraph follows.".into(),
                    section: None,
                    title: None,
                },
            ],
        });
        let terminal = draw(&mut app, 80, 24);
        insta::assert_snapshot!(terminal.backend());
    }

    #[test]
    fn a_hit_whose_file_changed_says_so_in_the_list_and_the_preview() {
        let mut hits = essay_hits();
        let warning = "corpus/us-korea-alliance.txt no longer exists; run `parafind remove`";
        hits[0].stale = Some(("gone", warning.into()));
        let mut app = app("Pyongyang", hits);
        let terminal = draw(&mut app, 100, 24);
        let buffer = terminal.backend().buffer();
        let rows: Vec<String> = (0..24)
            .map(|y| (0..100).map(|x| buffer[(x, y)].symbol()).collect())
            .collect();
        let listed = rows
            .iter()
            .position(|r| r.contains("us-korea-alliance.txt  ¶1"));
        let row = listed.map(|y| rows[y].as_str()).unwrap_or_default();
        assert!(
            row.starts_with("▌  gone  corpus/us-korea-alliance.txt  ¶1"),
            "{rows:#?}"
        );
        // The preview says it first, then shows the paragraph as indexed.
        let said = rows
            .iter()
            .position(|r| r.contains("no longer exists; run"));
        let said = said
            .filter(|&y| listed < Some(y))
            .expect("said in the preview");
        // On the preview's first line, under its title.
        assert!(
            rows[said - 1].starts_with(" corpus/us-korea-alliance.txt · ¶1"),
            "{rows:#?}"
        );
        assert!(
            rows[said].contains("the text below is as indexed"),
            "{rows:#?}"
        );
        let below = &rows[said + 1..];
        assert!(
            below.iter().any(|r| r.starts_with("The alliance faces")),
            "{rows:#?}"
        );
    }

    #[test]
    fn a_hit_found_through_its_title_marks_the_title_in_the_list() {
        let mut hits = essay_hits();
        hits[0].heading = Some("Walrus notes".into());
        hits[0].heading_marks = vec![Highlight {
            range: 0..6,
            term: "walrus".into(),
        }];
        let mut app = app("walrus", hits);
        let terminal = draw(&mut app, 100, 24);
        let buffer = terminal.backend().buffer();
        let row = (0..24)
            .find(|&y| {
                let line: String = (0..100).map(|x| buffer[(x, y)].symbol()).collect();
                line.contains("· Walrus notes")
            })
            .expect("the heading");
        let line: String = (0..100).map(|x| buffer[(x, row)].symbol()).collect();
        // (A cell a character here.)
        let at = line[..line.find("Walrus").unwrap_or(0)].chars().count() as u16;
        let marked = |x: u16| buffer[(x, row)].modifier.contains(Modifier::UNDERLINED);
        assert!(marked(at) && marked(at + 5) && !marked(at + 7), "{line}");
    }

    #[test]
    fn matches_are_bold_and_underlined_without_colour() {
        let mut app = app("Pyongyang", essay_hits());
        let terminal = draw(&mut app, 80, 24);
        let buffer = terminal.backend().buffer();
        let row = (0..24)
            .find(|&y| {
                (0..80)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect::<String>()
                    .contains("faces Pyongyang")
            })
            .expect("snippet row");
        let line: String = (0..80).map(|x| buffer[(x, row)].symbol()).collect();
        let at = line.find("Pyongyang").unwrap() as u16;
        let cell = &buffer[(at, row)];
        assert!(cell
            .modifier
            .contains(Modifier::BOLD | Modifier::UNDERLINED));
        assert_eq!(cell.fg, Color::Reset, "no colour");
        assert!(!buffer[(at - 2, row)].modifier.contains(Modifier::BOLD));
    }

    #[test]
    fn wide_characters_and_escapes_stay_in_their_cells() {
        let mut app = app(
            "首尔",
            vec![hit(
                "notes/北京.md",
                2,
                "北京和首尔的关系 \u{1b}[2J\u{1b}]0;pwned\u{7} cafe\u{301} end",
                &["首尔"],
            )],
        );
        let terminal = draw(&mut app, 40, 12);
        insta::assert_snapshot!(terminal.backend());
        let buffer = terminal.backend().buffer();
        let all: String = buffer.content().iter().map(|c| c.symbol()).collect();
        assert!(!all.contains('\u{1b}'), "an escape reached the screen");
    }

    #[test]
    fn an_error_keeps_the_list_and_shows_the_help_box_on_request() {
        let mut app = app("\"nuclear", essay_hits());
        app.error = Some("unclosed quote in the query".into());
        app.help = true;
        let terminal = draw(&mut app, 80, 24);
        insta::assert_snapshot!(terminal.backend());
    }

    #[test]
    fn a_help_taller_than_the_screen_scrolls_through_every_key() {
        let mut app = app("Pyongyang", essay_hits());
        app.help = true;
        let first = draw(&mut app, 40, 12).backend().to_string();
        assert!(app.help_hidden > 0, "{first}");
        assert!(
            first.contains("typing") && first.contains("↓ more"),
            "{first}"
        );
        assert!(!first.contains("quit"), "{first}");
        let mut seen = first;
        for scroll in 1..=app.help_hidden {
            app.help_scroll = scroll;
            seen.push_str(&draw(&mut app, 40, 12).backend().to_string());
        }
        assert!(seen.contains("↑ more"), "{seen}");
        let words: String = seen
            .lines()
            .map(|line| line.trim_matches(|c| c == '"' || c == '│' || c == ' '))
            .collect::<Vec<_>>()
            .join(" ");
        for (key, what) in HELP {
            assert!(words.contains(key), "{key} never shown: {seen}");
            for word in what.split(' ') {
                assert!(words.contains(word), "{word:?} of {what:?} never shown");
            }
        }
        // Scrolled past its end, it stops at its last line.
        app.help_scroll = u16::MAX;
        let last = draw(&mut app, 40, 12).backend().to_string();
        assert!(last.contains("quit") && last.contains("↑ more"), "{last}");
    }

    #[test]
    fn a_help_that_fits_has_no_scrolling() {
        let mut app = app("Pyongyang", essay_hits());
        app.help = true;
        let screen = draw(&mut app, 80, 24).backend().to_string();
        assert_eq!(app.help_hidden, 0);
        assert!(screen.contains("any key closes this") && !screen.contains("more"));
    }

    #[test]
    fn the_status_line_says_which_hit_is_selected_once_in_the_list() {
        let mut app = app("Pyongyang", essay_hits());
        let status = |app: &mut App| draw(app, 80, 16).backend().to_string();
        assert!(!status(&mut app).contains("hit 1 of"));
        app.focus = Focus::List;
        app.selected = 1;
        let screen = status(&mut app);
        let total = app.page.total;
        assert!(
            screen.contains(&format!("\"hit 2 of {total} paragraphs")),
            "{screen}"
        );
    }

    #[test]
    fn a_list_grown_taller_shows_the_hits_scrolled_out_before() {
        let mut app = app("Pyongyang", essay_hits());
        app.focus = Focus::List;
        app.selected = 1;
        draw(&mut app, 60, 6);
        assert_eq!(app.top, 1, "one hit fits a short list");
        draw(&mut app, 60, 16);
        assert_eq!(app.top, 0);
    }

    #[test]
    fn a_long_error_is_shown_whole_over_more_rows() {
        let mut app = app("foo:bar", essay_hits());
        let advice = "to search for the word, quote it (\"foo:bar\")";
        app.error = Some(format!("invalid query \"foo:bar\": unknown field `foo`; the only field is path: (path:docs/*.md); {advice}"));
        let terminal = draw(&mut app, 60, 16);
        let screen = terminal.backend().to_string();
        let joined: String = screen
            .lines()
            .skip(1)
            .take(3)
            .map(|l| l.trim_matches('"').trim_end())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(joined.contains("quote it"), "{screen}");
        // Short ones keep to one row.
        app.error = Some("unclosed quote".into());
        let terminal = draw(&mut app, 60, 16);
        let screen = terminal.backend().to_string();
        assert!(
            screen.lines().nth(2).is_some_and(|l| l.contains("▌")),
            "{screen}"
        );
    }

    #[test]
    fn the_preview_scrolls_to_a_match_far_down_a_long_paragraph() {
        assert_eq!(scroll_start(100, 20, 10, Some(12), 0), 5);
        assert_eq!(scroll_start(100, 20, 10, Some(60), 0), 54);
        assert_eq!(scroll_start(100, 20, 10, Some(60), -4), 50);
        assert_eq!(scroll_start(10, 20, 0, None, 50), 9);
    }
}
