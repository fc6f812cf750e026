//! Answering the UI's queries: on a thread of its own with its own session, through the
//! library's batch runner (the answers, errors, warnings and "did you mean" of `search`), so
//! typing never waits for a search. Requests pile up while one runs; only the newest is
//! answered. A query whose last word is still being typed and matches nothing is completed:
//! answered again with that word as a prefix (`Pyongy` → `Pyongy*`), and the answer says so.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread::{Scope, ScopedJoinHandle};
use std::time::Instant;

use parafind::batch::{self, Job, Runner};
use parafind::output::{
    self, location, Answer, BatchSummary, Head, Location, Outcome, PathDisplay,
};
use parafind::search::Session;
use parafind::{Highlight, Hit, SearchConfig};

use crate::serve::sessions::Sessions;

/// One query to answer.
#[derive(Debug, Clone)]
pub struct Request {
    /// Which edit of the query this is (answers to older ones are dropped by the UI).
    pub generation: u64,
    /// The search (its `offset` for the next page of the same query).
    pub config: SearchConfig,
}

/// A hit as the UI lists and opens it.
#[derive(Debug, Clone, PartialEq)]
pub struct ListHit {
    /// The file's key in the index.
    pub key: String,
    /// The key of the JSON Lines collection the hit is a record of.
    pub collection: Option<String>,
    /// The file, to open.
    pub file: PathBuf,
    /// The file as shown (relative to the current directory when under it).
    pub shown: String,
    /// `¶3, line 12`, `p. 4, ¶2` or `¶3`.
    pub place: String,
    /// The paragraph's number in its file.
    pub paragraph: u64,
    /// The paragraph.
    pub text: String,
    /// Its matched words.
    pub highlights: Vec<Highlight>,
    /// Its heading path, or its document's title.
    pub heading: Option<String>,
    /// The matched words of the title in `heading` (its start), when the title holds words of
    /// the query that the text does not (see [`Hit::title_tells_more`]).
    pub heading_marks: Vec<Highlight>,
    /// Where an editor goes to (the first match's line and column; a PDF's page).
    pub location: Location,
    /// When its file is not as indexed: what it is now, in a few words (`changed since
    /// indexed`, `gone`), and the warning that says so in full.
    pub stale: Option<(&'static str, String)>,
}

impl ListHit {
    fn new(hit: &Hit, paths: &PathDisplay) -> ListHit {
        ListHit {
            key: hit.key.clone(),
            collection: hit.collection.clone(),
            file: parafind::index::key_path(&hit.key),
            shown: paths.show(&hit.key).to_string(),
            place: output::place(hit.paragraph, hit.line, hit.page),
            paragraph: hit.paragraph,
            text: hit.text.clone(),
            highlights: hit.highlights.clone(),
            heading: hit.section.clone().or_else(|| hit.title.clone()),
            heading_marks: title_marks_in_heading(hit),
            location: location(hit),
            stale: hit.stale.as_ref().and_then(|warning| {
                let state = warning.file_state()?;
                Some((state, warning.to_string()))
            }),
        }
    }
}

/// The title's matched words where the list shows the title: at the start of the hit's heading
/// (its section when that starts with the title, else the title itself).
fn title_marks_in_heading(hit: &Hit) -> Vec<Highlight> {
    let shown = hit.section.is_none() || hit.title_starts_section();
    match hit.title_tells_more() && shown {
        true => hit.title_highlights.clone(),
        false => Vec::new(),
    }
}

/// What answering a request gave.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// The request's generation.
    pub generation: u64,
    /// The offset it was asked at (0: a new query's first page).
    pub offset: usize,
    /// Its hits.
    pub hits: Vec<ListHit>,
    /// Matching paragraphs in all.
    pub total: u64,
    /// Why the query failed (the list should stay as it was).
    pub error: Option<String>,
    /// Warnings about the query and the hits' files.
    pub warnings: Vec<String>,
    /// "Did you mean" for a query that matched nothing.
    pub suggestion: Option<String>,
    /// The query answered, when it is not the one typed (a last word completed as a prefix).
    pub completed: Option<String>,
    /// Time spent answering, in milliseconds.
    pub elapsed_ms: f64,
}

/// Answers `request` with `session`.
pub fn answer(session: &mut Session<'_>, request: &Request, paths: &PathDisplay) -> Page {
    let started = Instant::now();
    // "Did you mean" is worked out only when completing the last word finds nothing either:
    // it costs more than both searches.
    let mut config = request.config.clone();
    config.suggest = false;
    let mut page = run(session, &config, paths);
    if page.total == 0 && page.error.is_none() && config.offset == 0 {
        if let Some(completed) = completion(&config) {
            let original = std::mem::replace(&mut config.query, completed.clone());
            let second = run(session, &config, paths);
            if second.total > 0 && second.error.is_none() {
                page = Page {
                    completed: Some(completed),
                    ..second
                };
            }
            config.query = original;
        }
        if page.total == 0 && request.config.suggest {
            page.suggestion = session.suggest(&config.query, config.exact).ok().flatten();
        }
    }
    page.generation = request.generation;
    page.offset = request.config.offset;
    page.elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    page
}

/// The query with its last word made a prefix, when that word may be unfinished: a word of
/// two or more letters or digits at the very end, not inside quotes, not an operator.
fn completion(config: &SearchConfig) -> Option<String> {
    let query = &config.query;
    if config.literal || query.matches('"').count() % 2 == 1 {
        return None;
    }
    let last = query.split_whitespace().next_back()?;
    let word = last.trim_start_matches(['-', '(', '+']);
    let unfinished = word.chars().count() >= 2
        && word.chars().all(char::is_alphanumeric)
        && !query.ends_with(char::is_whitespace)
        && !matches!(word, "AND" | "OR" | "NOT");
    unfinished.then(|| format!("{query}*"))
}

/// Runs one query through the batch runner, keeping its hits.
fn run(session: &mut Session<'_>, config: &SearchConfig, paths: &PathDisplay) -> Page {
    let mut keep = Keep {
        paths,
        hits: Vec::new(),
    };
    let job = Job::single(config.query.clone());
    let mut runner = Runner::new(session, config.clone(), batch::Mode::Hits);
    let Ok(answered) = runner.answer(job, &mut keep) else {
        return Page::default(); // Keep never fails to print.
    };
    let answer = answered.answer();
    let mut page = Page {
        warnings: answer.warnings().iter().map(|w| w.to_string()).collect(),
        suggestion: answer.suggestion.map(str::to_string),
        ..Page::default()
    };
    match answer.outcome {
        Outcome::Hits { total, .. } => page.total = total,
        Outcome::Error(message) => page.error = Some(without_query_echo(message)),
        Outcome::Count { .. } | Outcome::Files { .. } => {}
    }
    page.hits = keep.hits;
    page
}

/// A printer that keeps the hits it is handed.
struct Keep<'p> {
    paths: &'p PathDisplay,
    hits: Vec<ListHit>,
}

impl output::Printer for Keep<'_> {
    fn begin(&mut self, _head: &Head<'_>) -> std::io::Result<()> {
        Ok(())
    }

    fn hit(&mut self, _head: &Head<'_>, hit: &Hit) -> std::io::Result<()> {
        self.hits.push(ListHit::new(hit, self.paths));
        Ok(())
    }

    fn answer(&mut self, _answer: &Answer<'_>) -> std::io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, _batch: Option<&BatchSummary>) -> std::io::Result<()> {
        Ok(())
    }
}

/// The UI's end of the search thread.
pub struct Searcher<'scope> {
    requests: Option<Sender<Request>>,
    pages: Receiver<Page>,
    thread: Option<ScopedJoinHandle<'scope, ()>>,
}

impl<'scope> Searcher<'scope> {
    /// Starts the search thread in `scope`, answering with sessions of `sessions` (the index
    /// at its last commit: an ingest or `watch` while the UI runs is seen by the next query;
    /// files' stamps for stale-file warnings are read again after a second).
    pub fn start<'env>(
        scope: &'scope Scope<'scope, 'env>,
        sessions: &'env Sessions,
        paths: PathDisplay,
    ) -> Searcher<'scope> {
        let (requests, waiting) = mpsc::channel::<Request>();
        let (answered, pages) = mpsc::channel();
        let thread = scope.spawn(move || {
            while let Some(request) = newest(&waiting) {
                let page = sessions.with(|session| answer(session, &request, &paths));
                if answered.send(page).is_err() {
                    return;
                }
            }
        });
        Searcher {
            requests: Some(requests),
            pages,
            thread: Some(thread),
        }
    }

    /// Asks for `request` to be answered.
    pub fn send(&self, request: Request) {
        if let Some(requests) = &self.requests {
            // The thread only ends when this end is dropped.
            let _ = requests.send(request);
        }
    }

    /// An answer, if one is ready.
    pub fn try_recv(&self) -> Option<Page> {
        self.pages.try_recv().ok()
    }
}

impl Drop for Searcher<'_> {
    /// Stops the thread once its current search ends.
    fn drop(&mut self) {
        self.requests = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Waits for a request, then takes any sent since: only the newest is worth answering. None
/// when the UI has gone.
fn newest(waiting: &Receiver<Request>) -> Option<Request> {
    let mut request = waiting.recv().ok()?;
    loop {
        match waiting.try_recv() {
            Ok(newer) => request = newer,
            Err(TryRecvError::Empty) => return Some(request),
            Err(TryRecvError::Disconnected) => return Some(request),
        }
    }
}

/// A query error without the query it quotes (`invalid query "…": unclosed quote` is
/// `invalid query: unclosed quote`): the query is on the line above, and the cause, which
/// comes last, must fit the rows an error has.
fn without_query_echo(message: &str) -> String {
    let Some(quoted) = message.strip_prefix("invalid query \"") else {
        return message.to_string();
    };
    let mut chars = quoted.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => {
                let after = quoted[at + 1..].trim_start_matches('…');
                return match after.strip_prefix(": ") {
                    Some(cause) => format!("invalid query: {cause}"),
                    None => message.to_string(),
                };
            }
            _ => {}
        }
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_error_is_shown_without_the_query_it_quotes() {
        let error = |query: &str| {
            let config = SearchConfig::new(query, 10);
            parafind::search::check_query(&config)
                .unwrap_err()
                .to_string()
        };
        let shown = without_query_echo(&error("foo:bar \"a \\\"b\": c"));
        assert!(shown.starts_with("invalid query: "), "{shown}");
        assert!(!shown.contains("foo:bar \""), "{shown}");
        let long = format!("{} \"open", "word ".repeat(30));
        assert_eq!(
            without_query_echo(&error(&long)),
            "invalid query: unclosed quote at column 152"
        );
        assert_eq!(without_query_echo("no index at x"), "no index at x");
    }

    fn completed(query: &str) -> Option<String> {
        completion(&SearchConfig::new(query, 10))
    }

    #[test]
    fn an_unfinished_last_word_is_completed_as_a_prefix() {
        assert_eq!(completed("Pyongy").as_deref(), Some("Pyongy*"));
        assert_eq!(
            completed("nuclear deter").as_deref(),
            Some("nuclear deter*")
        );
        assert_eq!(
            completed("nuclear -Chin").as_deref(),
            Some("nuclear -Chin*")
        );
        for finished in [
            "P",
            "nuclear ",
            "\"nuclear shar",
            "nuclear OR",
            "semi*",
            "C++",
        ] {
            assert_eq!(completed(finished), None, "{finished}");
        }
        let mut literal = SearchConfig::new("Pyongy", 10);
        literal.literal = true;
        assert_eq!(completion(&literal), None);
    }
}
