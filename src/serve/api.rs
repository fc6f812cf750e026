//! The HTTP API: routes, and each endpoint as the command it mirrors. `/search` answers with
//! the records `search --json` prints, `/batch` with what `search --batch --json` prints (as
//! it goes), `/stats`, `/files` and `/show` with `stats`, `list` and `show --json`; all through
//! the library's batch runner and printers, so the records are the same by construction.
//! Searching runs on tokio's blocking threads; every request is bounded in size and time.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use parafind::batch::{self, Job, Mode, Runner};
use parafind::index::ParaIndex;
use parafind::output::{self, Json, Outcome, PathDisplay};
use parafind::{Error, SearchConfig};
use tantivy::Searcher;
use tokio::runtime::Handle;
use tokio::sync::mpsc;

use super::params::{self, SearchParams};
use super::sessions::Sessions;

/// The largest `/batch` body.
pub const MAX_BODY_BYTES: usize = 8 << 20;
/// How long a response may wait for a client that does not read it.
pub const SEND_TIME: Duration = Duration::from_secs(30);

const NDJSON: &str = "application/x-ndjson";

/// What every request is answered from.
pub struct App {
    /// The index, reopened at each commit.
    pub sessions: Sessions,
    /// Where the index is (as `stats` names it).
    pub index_dir: PathBuf,
    /// Paths are shown relative to this directory (the server's), as the CLI shows them.
    pub base: Option<PathBuf>,
    /// The bearer token every API request must carry, when set.
    pub token: Option<String>,
    /// How long a request may take: reading its body, and answering (a batch stops there).
    pub request_time: Duration,
    /// Only requests naming a loopback host (`Host: 127.0.0.1:PORT`, `localhost`, `[::1]`) are
    /// answered: a server on loopback, which another site's page could otherwise reach under
    /// that site's name (DNS rebinding).
    pub loopback_hosts_only: bool,
}

/// The routes, behind the token check.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(page::index))
        .route("/app.js", get(page::script))
        .route("/app.css", get(page::style))
        .route("/healthz", get(healthz))
        .route("/search", get(search))
        .route("/batch", post(batch))
        .route("/stats", get(stats))
        .route("/files", get(files))
        .route("/show", get(show))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), authorize))
        .with_state(app)
}

/// The search page, served from the binary.
mod page {
    use super::*;

    const CSP: &str = "default-src 'self'; img-src 'self' data:; base-uri 'none'; \
                       form-action 'none'; frame-ancestors 'none'";

    fn file(kind: &'static str, text: &'static str) -> Response {
        (
            [
                (header::CONTENT_TYPE, kind),
                (header::CONTENT_SECURITY_POLICY, CSP),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            text,
        )
            .into_response()
    }

    pub async fn index() -> Response {
        file("text/html; charset=utf-8", include_str!("page/index.html"))
    }

    pub async fn script() -> Response {
        file(
            "text/javascript; charset=utf-8",
            include_str!("page/app.js"),
        )
    }

    pub async fn style() -> Response {
        file("text/css; charset=utf-8", include_str!("page/app.css"))
    }
}

/// An API response of JSON Lines.
fn ndjson(status: StatusCode, body: impl Into<Body>) -> Response {
    (status, [(header::CONTENT_TYPE, NDJSON)], body.into()).into_response()
}

/// An error as one `error` record, the way the CLI writes a failed query's.
fn error(status: StatusCode, message: &str) -> Response {
    #[derive(serde::Serialize)]
    struct ErrorRecord<'a> {
        r#type: &'static str,
        message: &'a str,
    }
    let mut body = Vec::new();
    let record = ErrorRecord {
        r#type: "error",
        message,
    };
    // Writing to memory fails only if serde does, which a struct of strings cannot.
    let _ = output::write_record(&mut body, &record);
    ndjson(status, body)
}

async fn not_found(uri: Uri) -> Response {
    let message = format!(
        "no such endpoint: {} (there are /search, /batch, /stats, /files, /show, /healthz and /)",
        uri.path()
    );
    error(StatusCode::NOT_FOUND, &output::one_line(&message))
}

/// Refuses, on loopback, a request naming another host (see [`names_loopback`]); then lets a
/// request through when no token is set, when it carries the token, or when it asks for the
/// page or the health check (which hold no data).
async fn authorize(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    if app.loopback_hosts_only {
        let host = request.headers().get(header::HOST);
        if let Some(host) = host.filter(|host| !names_loopback(host.as_bytes())) {
            let message = format!(
                "this server answers only requests for its loopback address, not for {}: open it \
                 by the address `parafind serve` printed, or as localhost",
                output::one_line(&String::from_utf8_lossy(host.as_bytes()))
            );
            return error(StatusCode::FORBIDDEN, &message);
        }
    }
    let open = matches!(
        request.uri().path(),
        "/" | "/app.js" | "/app.css" | "/healthz"
    );
    let preflight = request.method() == Method::OPTIONS;
    match &app.token {
        Some(token) if !open && !preflight && !carries(request.headers(), token) => {
            let mut response = error(
                StatusCode::UNAUTHORIZED,
                "this server needs its token: send `Authorization: Bearer TOKEN`",
            );
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            response
        }
        _ => next.run(request).await,
    }
}

/// Whether a `Host` header names a loopback host, with or without a port: `localhost` (or a
/// name under it, which browsers keep on loopback), an IPv4 address in 127.0.0.0/8, or `[::1]`.
/// A page another site serves, its name pointed at 127.0.0.1, sends that site's name.
fn names_loopback(host: &[u8]) -> bool {
    let Ok(host) = std::str::from_utf8(host) else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(rest) => {
            let Some((name, after)) = rest.split_once(']') else {
                return false;
            };
            let port = after.strip_prefix(':').unwrap_or(after);
            if !port.bytes().all(|b| b.is_ascii_digit()) {
                return false;
            }
            name
        }
        None => match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        },
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether the request's `Authorization` is `Bearer TOKEN` (the scheme's name in any case, as
/// RFC 9110 has it), the token compared in constant time.
fn carries(headers: &HeaderMap, token: &str) -> bool {
    let Some(given) = headers.get(header::AUTHORIZATION).and_then(|v| {
        let (scheme, given) = v.as_bytes().split_at_checked(7)?;
        let given = given.trim_ascii_start(); // one or more spaces after the scheme
        scheme.eq_ignore_ascii_case(b"Bearer ").then_some(given)
    }) else {
        return false;
    };
    let expected = token.as_bytes();
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |differ, (a, b)| differ | (a ^ b))
            == 0
}

/// Answers being worked out at this moment.
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

/// Runs `work`, which blocks (a search reads the index): alone, on the connection's own
/// thread, which spares a hand-over between threads (some 70 µs, a seventh of a keyword query's
/// time); alongside others, on tokio's blocking threads, so that one slow query holds up no
/// other connection. There an answer that takes longer than a request may gets 503, and a
/// panic 500 (reported on stderr by the binary's hook).
async fn blocking(limit: Duration, work: impl FnOnce() -> Response + Send + 'static) -> Response {
    let alone = IN_FLIGHT.fetch_add(1, Ordering::AcqRel) == 0;
    let _done = InFlight;
    if alone {
        return work();
    }
    match tokio::time::timeout(limit, tokio::task::spawn_blocking(work)).await {
        Ok(Ok(response)) => response,
        Ok(Err(_)) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error while answering (reported on the server's stderr)",
        ),
        Err(_) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            &format!("the answer took longer than {} s", limit.as_secs()),
        ),
    }
}

/// Counts an answer out of [`IN_FLIGHT`] when it is done (or dropped with its connection).
struct InFlight;

impl Drop for InFlight {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The status of an error the library returned.
fn status_of(err: &Error) -> StatusCode {
    match err {
        Error::NotIndexed { .. }
        | Error::NoSuchParagraph { .. }
        | Error::IsCollection { .. }
        | Error::NoSuchRecord { .. } => StatusCode::NOT_FOUND,
        Error::Query(_) | Error::InvalidGlob { .. } | Error::InvalidType { .. } => {
            StatusCode::BAD_REQUEST
        }
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn library_error(err: &Error) -> Response {
    error(status_of(err), &output::one_line(&err.to_string()))
}

/// The JSON printer of the answers to `params`, as `search --json` with those options.
fn printer<W: Write>(out: W, params: &SearchParams, base: Option<PathBuf>) -> Json<W> {
    let printer = Json::new(out, PathDisplay::under(base));
    match params.max_chars {
        Some(max_chars) => printer.with_snippets(max_chars),
        None => printer,
    }
}

/// `GET /search`: one query, as `parafind search --json`; a query that fails is a 400 with
/// its `error` record.
async fn search(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let params = match params::search(uri.query(), true) {
        Ok(params) => params,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    blocking(app.request_time, move || answer_search(&app, &params)).await
}

fn answer_search(app: &App, params: &SearchParams) -> Response {
    let config = match params.config(app.base.clone()) {
        Ok(config) => config,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    let mut body = Vec::new();
    let mut printer = printer(&mut body, params, app.base.clone());
    let mut failed = false;
    let answered = app.sessions.with(|session| {
        let mut runner = Runner::new(session, config, Mode::Hits);
        let job = Ok::<Job, io::Error>(Job::single(params.query.clone()));
        batch::run(&mut runner, [job], &mut printer, |answer| {
            failed |= matches!(answer.outcome, Outcome::Error(_));
        })?;
        output::Printer::finish(&mut printer, None)
    });
    match answered {
        Err(err) => error(StatusCode::INTERNAL_SERVER_ERROR, &err.to_string()),
        Ok(()) if failed => ndjson(StatusCode::BAD_REQUEST, body),
        Ok(()) => ndjson(StatusCode::OK, body),
    }
}

/// `GET /healthz`: `ok`, or 503 with why when the index was deleted under the server (its
/// searches then see the last commit it opened).
async fn healthz(State(app): State<Arc<App>>) -> Response {
    // (A look at the commit file's size and time.)
    match app.sessions.index_gone() {
        false => (StatusCode::OK, "ok\n").into_response(),
        true => error(
            StatusCode::SERVICE_UNAVAILABLE,
            &format!(
                "the index at {} is gone (its commit file cannot be read); searches see its last \
                 commit until it is ingested into again",
                output::one_line(&app.index_dir.display().to_string())
            ),
        ),
    }
}

/// `POST /batch`: a body of queries, one per line as `search --batch` reads them, answered in
/// order and streamed as each answer is ready, as `search --batch --json` prints them.
async fn batch(State(app): State<Arc<App>>, uri: Uri, headers: HeaderMap, body: Body) -> Response {
    let checked = params::search(uri.query(), false)
        .and_then(|params| Ok((params.config(app.base.clone())?, params)));
    let (config, params) = match checked {
        Ok(checked) => checked,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    let too_large = || {
        error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "the batch is over {} MiB, the limit of one request; send it in parts",
                MAX_BODY_BYTES >> 20
            ),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_BODY_BYTES as u64) {
        return too_large();
    }
    let started = Instant::now();
    let queries =
        match tokio::time::timeout(app.request_time, axum::body::to_bytes(body, MAX_BODY_BYTES))
            .await
        {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(err)) => {
                let err = err.into_inner();
                if err.is::<http_body_util::LengthLimitError>() {
                    return too_large();
                }
                // Cut short (fewer bytes than its Content-Length) or badly chunked.
                let message = format!("the batch's body could not be read: {err}");
                return error(StatusCode::BAD_REQUEST, &message);
            }
            Err(_) => {
                return error(
                    StatusCode::REQUEST_TIMEOUT,
                    &format!(
                        "the batch was not received within {} s",
                        app.request_time.as_secs()
                    ),
                )
            }
        };
    let (send, receive) = mpsc::channel::<Bytes>(4);
    let handle = Handle::current();
    let deadline = started + app.request_time;
    let complete = Arc::new(AtomicBool::new(false));
    let answered = Arc::clone(&complete);
    tokio::task::spawn_blocking(move || {
        let out = ChannelWriter::new(send, handle, deadline, SEND_TIME);
        answer_batch(&app, (config, &params), &queries, out, &answered);
    });
    ndjson(StatusCode::OK, Body::from_stream(chunks(receive, complete)))
}

/// The chunks of an answer as they come; one cut short (`complete` not set when they end: the
/// client too slow, or gone) ends with an error, which breaks the connection off without the
/// body's last chunk, so that no client takes it for a whole answer.
fn chunks(
    receive: mpsc::Receiver<Bytes>,
    complete: Arc<AtomicBool>,
) -> impl futures_util::Stream<Item = io::Result<Bytes>> {
    futures_util::stream::unfold(Some(receive), move |receive| {
        let complete = Arc::clone(&complete);
        async move {
            let mut receive = receive?;
            match receive.recv().await {
                Some(chunk) => Some((Ok(chunk), Some(receive))),
                None if complete.load(Ordering::Acquire) => None,
                None => Some((Err(io::Error::other("the answer was cut short")), None)),
            }
        }
    })
}

/// Answers a batch into `out`, and tells `complete` once the whole answer was sent (before
/// the channel closes, which it does when `out` goes).
fn answer_batch(
    app: &App,
    (config, params): (SearchConfig, &SearchParams),
    queries: &[u8],
    out: ChannelWriter,
    complete: &AtomicBool,
) {
    let (closing, deadline) = (Arc::clone(&out.closing), out.deadline);
    let mut printer = printer(out, params, app.base.clone());
    app.sessions.with(|session| {
        let mut runner = Runner::new(session, config, Mode::Hits);
        let mut jobs = UntilDeadline {
            jobs: batch::jobs_within(queries, params::MAX_HITS),
            deadline,
            stopped: false,
        };
        // A printer error is the client gone or not reading: nothing more to send.
        if batch::run(&mut runner, &mut jobs, &mut printer, |_| {}).is_err() {
            return;
        }
        // What is left is sent, up to the client's reading for `SEND_TIME` more.
        closing.store(true, Ordering::Release);
        if jobs.stopped {
            let message = format!(
                "the batch ran past the {} s a request may take; the rest was not answered",
                app.request_time.as_secs()
            );
            if printer.error_without_query(&message).is_err() {
                return;
            }
        }
        let summary = runner.summary();
        if output::Printer::finish(&mut printer, Some(&summary)).is_ok() {
            complete.store(true, Ordering::Release);
        }
    });
}

/// The jobs of a batch (a line asking for more hits than the API gives fails alone, as an
/// out-of-range `limit` does on the command line), until its time is up (`stopped`
/// then tells the batch was cut short).
struct UntilDeadline<I> {
    jobs: I,
    deadline: Instant,
    stopped: bool,
}

impl<I: Iterator<Item = io::Result<Job>>> Iterator for UntilDeadline<I> {
    type Item = io::Result<Job>;

    fn next(&mut self) -> Option<io::Result<Job>> {
        if self.stopped {
            return None;
        }
        if Instant::now() < self.deadline {
            return self.jobs.next();
        }
        // Cut short only if a query was left unanswered.
        let next = self.jobs.next()?;
        drop(next);
        self.stopped = true;
        None
    }
}

/// Output sent to the response body in chunks, as the printer flushes (after each answer) or
/// as a chunk fills. A client that stops reading for `send_time` ([`SEND_TIME`]), or goes
/// away, makes the next write fail, which stops the batch. Past the batch's `deadline`, output
/// is held rather than waited on (the batch stops at its next query), and once `closing`, what
/// is held is sent, waiting up to `send_time` more: a client reading slowly still gets the
/// batch's end, and the batch does not run on at the pace of its reading.
struct ChannelWriter {
    buffer: Vec<u8>,
    send: mpsc::Sender<Bytes>,
    handle: Handle,
    deadline: Instant,
    send_time: Duration,
    closing: Arc<AtomicBool>,
    /// When what is left must have been taken, once `closing`.
    close_by: Option<Instant>,
}

const CHUNK_BYTES: usize = 64 << 10;

impl ChannelWriter {
    fn new(
        send: mpsc::Sender<Bytes>,
        handle: Handle,
        deadline: Instant,
        send_time: Duration,
    ) -> ChannelWriter {
        ChannelWriter {
            buffer: Vec::new(),
            send,
            handle,
            deadline,
            send_time,
            closing: Arc::new(AtomicBool::new(false)),
            close_by: None,
        }
    }

    fn send_buffer(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let closing = self.closing.load(Ordering::Acquire);
        let now = Instant::now();
        let left = self.deadline.saturating_duration_since(now);
        if !closing && left.is_zero() {
            return Ok(());
        }
        // One `send_time` for all that is left, however many flushes send it.
        let close_by = closing.then(|| *self.close_by.get_or_insert(now + self.send_time));
        let wait = match close_by {
            Some(close_by) => close_by.saturating_duration_since(now),
            None => self.send_time.min(left),
        };
        let permit = self
            .handle
            .block_on(tokio::time::timeout(wait, self.send.reserve()));
        match permit {
            Ok(Ok(permit)) => {
                permit.send(Bytes::from(std::mem::take(&mut self.buffer)));
                Ok(())
            }
            Ok(Err(_)) => Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "the client went away",
            )),
            // The deadline came first: held, for the batch's end.
            Err(_) if close_by.is_none() && wait < self.send_time => Ok(()),
            Err(_) => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading",
            )),
        }
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK_BYTES {
            self.send_buffer()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send_buffer()
    }
}

/// `GET /stats`: as `parafind stats --json`.
async fn stats(State(app): State<Arc<App>>, uri: Uri) -> Response {
    inspection(app, &uri, |app, index, searcher| {
        let stats = parafind::index::stats_at(index, searcher)?;
        Ok(printed(|body| {
            output::inspect::stats(body, &app.index_dir, &stats, true)
        }))
    })
    .await
}

/// `GET /files`: as `parafind list --json`.
async fn files(State(app): State<Arc<App>>, uri: Uri) -> Response {
    inspection(app, &uri, |app, index, searcher| {
        let files = parafind::index::files_at(index, searcher)?;
        let paths = PathDisplay::under(app.base.clone());
        let now = parafind::search::files_now(&files);
        Ok(printed(|body| {
            output::inspect::files(body, &files, &now, &paths, (true, false))
        }))
    })
    .await
}

/// An endpoint without parameters that answers from the index at its last commit.
async fn inspection(
    app: Arc<App>,
    uri: &Uri,
    answer: impl FnOnce(&App, &ParaIndex, &Searcher) -> parafind::Result<Response> + Send + 'static,
) -> Response {
    if let Some(response) = no_parameters(uri) {
        return response;
    }
    blocking(app.request_time, move || {
        let (index, searcher) = app.sessions.at_last_commit();
        answer(&app, &index, &searcher).unwrap_or_else(|err| library_error(&err))
    })
    .await
}

/// The records `print` writes, as a 200 answer (a 500 if writing them fails).
fn printed(print: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> Response {
    let mut body = Vec::new();
    match print(&mut body) {
        Ok(()) => ndjson(StatusCode::OK, body),
        Err(err) => error(StatusCode::INTERNAL_SERVER_ERROR, &err.to_string()),
    }
}

/// Refuses parameters on an endpoint that takes none.
fn no_parameters(uri: &Uri) -> Option<Response> {
    let query = uri.query().filter(|q| !q.is_empty())?;
    let message = format!("{} takes no parameters (got {query:?})", uri.path());
    Some(error(StatusCode::BAD_REQUEST, &output::one_line(&message)))
}

/// `GET /show`: a paragraph of an indexed file with its neighbours, as `parafind show --json
/// PATH:N`. Only the index is read: a path it does not hold is a 404, whatever is on disk.
async fn show(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let params = match params::show(uri.query()) {
        Ok(params) => params,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    blocking(app.request_time, move || {
        let key = parafind::index::lookup_key(&params.path);
        let paths = PathDisplay::under(app.base.clone());
        // What is shown is what was indexed: a file changed or gone since says so first, as
        // `show --json` does.
        let shown = app.sessions.with(|session| {
            let warning = session.file_warning(&key, paths.base.as_deref())?;
            let paragraphs = session
                .excerpt(&key, &params.path, Some(params.paragraph), params.context)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok::<_, parafind::Error>((warning, paragraphs))
        });
        let (warning, paragraphs) = match shown {
            Ok(shown) => shown,
            Err(err) => return library_error(&err),
        };
        let focus = Some(params.paragraph);
        printed(|body| {
            if let Some(warning) = &warning {
                output::inspect::warning(body, warning)?;
            }
            output::inspect::paragraphs(body, &key, paragraphs, focus, &paths, true, false)
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_names_are_loopback_hosts() {
        for host in [
            "127.0.0.1:7711",
            "127.0.0.1",
            "localhost:80",
            "LOCALHOST",
            "app.localhost:3000",
            "[::1]:7711",
            "127.1.2.3:9",
            "localhost.",
        ] {
            assert!(names_loopback(host.as_bytes()), "{host}");
        }
        for host in [
            "attacker.example:7711",
            "attacker.example",
            "localhost.attacker.example",
            "10.0.0.1:7711",
            "[::2]:7711",
            "127.0.0.1.nip.io",
            "",
            "localhost:x",
            "[::1]junk",
            "[::1",
        ] {
            assert!(!names_loopback(host.as_bytes()), "{host}");
        }
        assert!(!names_loopback(b"\xff"));
    }
    use futures_util::StreamExt;

    const SHORT: Duration = Duration::from_millis(200);

    /// A writer on a channel of one chunk, its deadline `deadline_in` away, in a runtime.
    fn writer(
        deadline_in: Duration,
    ) -> (
        tokio::runtime::Runtime,
        ChannelWriter,
        mpsc::Receiver<Bytes>,
    ) {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let (send, receive) = mpsc::channel(1);
        let out = ChannelWriter::new(
            send,
            runtime.handle().clone(),
            Instant::now() + deadline_in,
            SHORT,
        );
        (runtime, out, receive)
    }

    #[test]
    fn an_answer_cut_short_ends_in_an_error_and_a_whole_one_does_not() {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        for whole in [true, false] {
            let (send, receive) = mpsc::channel(2);
            send.try_send(Bytes::from_static(b"{}\n")).expect("send");
            drop(send);
            let got: Vec<io::Result<Bytes>> =
                runtime.block_on(chunks(receive, Arc::new(AtomicBool::new(whole))).collect());
            assert_eq!(got.len(), if whole { 1 } else { 2 });
            assert!(got[0].is_ok());
            assert_eq!(got.last().is_some_and(|last| last.is_err()), !whole);
        }
    }

    #[test]
    fn past_the_deadline_output_is_held_and_sent_at_the_close() {
        let (runtime, mut out, mut receive) = writer(SHORT);
        // (The writer runs on a blocking thread of the runtime, in its context.)
        let _context = runtime.enter();
        let chunk = vec![b'x'; CHUNK_BYTES];
        out.write_all(&chunk).expect("the first chunk");
        // Nobody reads: the second waits until the deadline, then is held.
        out.write_all(&chunk).expect("held, not failed");
        assert_eq!(out.buffer.len(), CHUNK_BYTES);
        assert!(Instant::now() >= out.deadline);
        out.write_all(b"end\n").expect("held");
        // Read now: at the close, what was held goes.
        let reader = std::thread::spawn(move || {
            let mut bytes = 0;
            while let Some(chunk) = receive.blocking_recv() {
                bytes += chunk.len();
            }
            bytes
        });
        out.closing.store(true, Ordering::Release);
        out.flush().expect("sent at the close");
        drop(out);
        assert_eq!(reader.join().expect("reader"), 2 * CHUNK_BYTES + 4);
    }

    #[test]
    fn a_client_that_stops_reading_fails_the_write() {
        let (runtime, mut out, receive) = writer(Duration::from_secs(600));
        let _context = runtime.enter();
        let chunk = vec![b'x'; CHUNK_BYTES];
        out.write_all(&chunk).expect("the first chunk");
        let err = out.write_all(&chunk).expect_err("nobody reads");
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        // Gone: at once.
        drop(receive);
        let err = out.flush().expect_err("nobody there");
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    }
}
