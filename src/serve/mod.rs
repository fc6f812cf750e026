//! `parafind serve`: a local HTTP server over one index (the API in `api`, its parameters in
//! `params`, the index reopened at each commit in `sessions`, the search page in `page/`).
//! It listens on loopback unless told otherwise, and then only with a token; connections are
//! served by hyper, with bounds on how long a client may take to send its headers and how
//! long a connection may stall, and on how many connections are open at once.

mod api;
mod params;
pub(crate) mod sessions;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use axum::http::{header, HeaderValue, Method};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_io_timeout::TimeoutStream;

use parafind::watch::{self, WatchOptions};

/// How `serve` was asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The address to listen on.
    pub bind: IpAddr,
    /// The port (0: any free one, printed at start).
    pub port: u16,
    /// The bearer token requests must carry; required off loopback.
    pub token: Option<String>,
    /// The origin allowed to call the API from another site's pages (CORS), if any.
    pub cors: Option<String>,
    /// Keep the index in step with its directories while serving.
    pub watch: bool,
    /// How long a client may take to send a request's headers.
    pub client_time: Duration,
    /// How long a request may take to be received and answered.
    pub request_time: Duration,
}

/// How long a connection may wait on a read or write before it is closed (idle keep-alive
/// connections included).
const STALL_TIME: Duration = Duration::from_secs(60);
/// Connections open at once; more are closed as they arrive.
const MAX_CONNECTIONS: usize = 512;

/// Refuses options a server cannot run with (see [`check_exposure`], `--cors`), before any
/// work such as the default corpus's ingest; gives the allowed origin.
pub fn check(options: &ServeOptions) -> Result<Option<HeaderValue>> {
    check_exposure(options)?;
    options
        .cors
        .as_deref()
        .map(|origin| {
            as_origin(origin).with_context(|| {
                format!(
                    "--cors {origin:?}: not an origin as a browser sends it: a scheme and a host \
                     in lower case, a port only when not the scheme's default, no path or \
                     trailing slash (write it as https://host[:port])"
                )
            })
        })
        .transpose()
}

/// Serves the index in `index_dir` until interrupted (Ctrl-C or SIGTERM).
pub fn serve(index_dir: &Path, options: ServeOptions) -> Result<ExitCode> {
    let cors = check(&options)?;
    let sessions = sessions::Sessions::open(index_dir)?;
    if options.watch && sessions.index().roots().is_empty() {
        anyhow::bail!(
            "--watch: the index at {} remembers no directory to watch (ingest a directory first)",
            index_dir.display()
        );
    }
    let app = Arc::new(api::App {
        sessions,
        index_dir: index_dir.to_path_buf(),
        base: std::env::current_dir().ok(),
        token: options.token.clone(),
        request_time: options.request_time,
        loopback_hosts_only: options.bind.is_loopback(),
    });
    let mut router = api::router(app);
    if let Some(origin) = cors {
        router = router.layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin(origin)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE]),
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(blocking_threads())
        .enable_all()
        .thread_name("parafind-serve")
        .build()
        .context("cannot start the server's threads")?;
    let address = SocketAddr::new(options.bind, options.port);
    let listener = runtime
        .block_on(TcpListener::bind(address))
        .with_context(|| bind_advice(address))?;
    let local = listener.local_addr().unwrap_or(address);
    if options.watch {
        start_watching(index_dir.to_path_buf());
    }
    // Listened for before the server says it is ready: a stop sent as soon as it says so ends
    // it as any other, not by the signal's default action.
    let stop = {
        let _in_runtime = runtime.enter();
        StopSignals::listen()
    };
    eprintln!(
        "parafind: serving the index at {} on http://{local}/ (Ctrl-C stops)",
        index_dir.display()
    );
    runtime.block_on(accept(listener, router, options.client_time, stop));
    runtime.shutdown_timeout(Duration::from_secs(1));
    Ok(ExitCode::SUCCESS)
}

/// Threads for searches answered alongside others (and batches): searching is CPU work, so a
/// few per core keep every core busy; tokio's default of 512 let the pool grow with every
/// burst (64 threads under 16 connections on two cores, each with its own stack and caches).
fn blocking_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    (4 * cores).max(4)
}

/// `text` as the one origin a browser sends, when it is one, byte for byte as `Origin` carries
/// it (browsers compare the allowed origin so): `http` or `https`, a host in lower case (a name,
/// an IPv4 address or an IPv6 one in brackets), and a port only when it is not the scheme's
/// default, without leading zeros; no path, no trailing slash.
fn as_origin(text: &str) -> Option<HeaderValue> {
    let (default_port, authority) = match text.split_once("://")? {
        ("http", rest) => ("80", rest),
        ("https", rest) => ("443", rest),
        _ => return None,
    };
    let (host, port) = match authority.strip_prefix('[') {
        Some(inside) => {
            let (address, after) = inside.split_once(']')?;
            let port = match after {
                "" => None,
                _ => Some(after.strip_prefix(':')?),
            };
            // As a browser writes it: the shortest form (`[::1]`, not `[0:0:0:0:0:0:0:1]`).
            let canonical = address
                .parse::<std::net::Ipv6Addr>()
                .is_ok_and(|ip| ip.to_string() == address);
            (canonical.then_some(address)?, port)
        }
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    // A host whose last label is a number (`127.000.000.001`, `2130706433`, `0x7f.0.0.1`) is
    // read by a browser as an IPv4 address (the URL standard's "ends in a number"), and sent
    // as its dotted form: it must be that form.
    let number = |label: &str| {
        let hex = label
            .strip_prefix("0x")
            .or_else(|| label.strip_prefix("0X"));
        match hex {
            Some(digits) => digits.chars().all(|c| c.is_ascii_hexdigit()),
            None => !label.is_empty() && label.chars().all(|c| c.is_ascii_digit()),
        }
    };
    let numeric = host
        .trim_end_matches('.')
        .rsplit('.')
        .next()
        .is_some_and(number);
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-.:".contains(c))
        && (!numeric
            || host
                .parse::<std::net::Ipv4Addr>()
                .is_ok_and(|ip| ip.to_string() == host));
    let port_ok = port.is_none_or(|port| {
        port != default_port
            && !port.starts_with('0')
            && port.chars().all(|c| c.is_ascii_digit())
            && port.parse::<u16>().is_ok()
    });
    (host_ok && port_ok).then(|| HeaderValue::from_str(text).ok())?
}

/// Refuses to listen beyond this machine without a token, and a token no request can send
/// (empty, with a space at an end, which HTTP trims from a header, or with a character a
/// header cannot carry).
fn check_exposure(options: &ServeOptions) -> Result<()> {
    if options.token.as_deref() == Some("") {
        anyhow::bail!("--token: the token is empty; give one that is hard to guess");
    }
    if let Some(token) = options.token.as_deref() {
        let sendable =
            token.chars().all(|c| c.is_ascii_graphic() || c == ' ') && token.trim() == token;
        if !sendable {
            anyhow::bail!(
                "--token: the token has a space at an end, or a character that is not visible \
                 ASCII, which no request can send in its Authorization header; give one of \
                 letters, digits and punctuation"
            );
        }
    }
    if !options.bind.is_loopback() && options.token.is_none() {
        anyhow::bail!(
            "--bind {}: not a loopback address; serving beyond this machine needs --token TOKEN \
             (or PARAFIND_TOKEN), which every request must then send as `Authorization: Bearer TOKEN`",
            options.bind
        );
    }
    Ok(())
}

fn bind_advice(address: SocketAddr) -> String {
    format!("cannot listen on {address} (another server on that port? choose another with --port)")
}

/// Runs `watch` on the index's directories beside the server; its commits are seen by the
/// next request. An error stops watching, not serving.
fn start_watching(index_dir: PathBuf) {
    std::thread::spawn(move || {
        let ready = |watched: usize| {
            eprintln!(
                "parafind: watching {watched} director{} of the index",
                if watched == 1 { "y" } else { "ies" }
            )
        };
        let watched = watch::watch(&index_dir, &WatchOptions::default(), ready, |batch| {
            crate::upkeep::report_batch(batch);
            true
        });
        if let Err(err) = watched {
            eprintln!(
                "parafind: warning: stopped watching, still serving: {}",
                parafind::output::one_line(&err.to_string())
            );
        }
    });
}

/// Accepts connections until Ctrl-C or SIGTERM, serving each on its own task.
async fn accept(
    listener: TcpListener,
    router: axum::Router,
    header_time: Duration,
    stop: StopSignals,
) {
    let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let stop = stop.received();
    tokio::pin!(stop);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, say: wait a little rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            () = &mut stop => return,
        };
        let Ok(permit) = connections.clone().try_acquire_owned() else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let mut stream = TimeoutStream::new(stream);
        stream.set_read_timeout(Some(STALL_TIME));
        stream.set_write_timeout(Some(STALL_TIME));
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            // A client may close its side once its request is sent (`nc -N`, a batch piped
            // in): it still gets its answer.
            let connection = hyper::server::conn::http1::Builder::new()
                .half_close(true)
                .timer(TokioTimer::new())
                .header_read_timeout(header_time)
                .serve_connection(TokioIo::new(Box::pin(stream)), service);
            let _ = connection.await;
            drop(permit);
        });
    }
}

/// Ctrl-C and (on Unix) SIGTERM, listened for from the moment they are made.
struct StopSignals {
    #[cfg(unix)]
    signals: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl StopSignals {
    /// Starts listening (within a Tokio runtime).
    fn listen() -> StopSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let signals = signal(SignalKind::interrupt())
                .ok()
                .zip(signal(SignalKind::terminate()).ok());
            StopSignals { signals }
        }
        #[cfg(not(unix))]
        StopSignals {}
    }

    /// Completes when one of them comes.
    async fn received(self) {
        #[cfg(unix)]
        if let Some((mut interrupt, mut terminate)) = self.signals {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The code points of the search page's `HIDDEN` class (`\uXXXX` and `\u{X}`, and ranges).
    fn page_hidden_class() -> Vec<(u32, u32)> {
        let script = include_str!("page/app.js");
        let start = script.find("const HIDDEN =").expect("HIDDEN in app.js");
        let class = &script[start..];
        let class = &class[class.find("/[").expect("class") + 2..class.find("]/gu").expect("end")];
        let mut points = Vec::new();
        let mut rest = class;
        while let Some(escape) = rest.strip_prefix("\\u") {
            let (hex, after) = match escape.strip_prefix('{') {
                Some(braced) => braced.split_once('}').expect("closing brace"),
                None => escape.split_at(4),
            };
            points.push(u32::from_str_radix(hex, 16).expect("hex"));
            rest = after;
            if let Some(after_dash) = rest.strip_prefix('-') {
                rest = after_dash;
                points.push(u32::MAX); // a range's dash
            }
        }
        assert!(rest.is_empty(), "unread: {rest}");
        let mut ranges = Vec::new();
        let mut at = 0;
        while at < points.len() {
            match points.get(at + 1) {
                Some(&u32::MAX) => {
                    ranges.push((points[at], points[at + 2]));
                    at += 3;
                }
                _ => {
                    ranges.push((points[at], points[at]));
                    at += 1;
                }
            }
        }
        ranges
    }

    /// The page escapes what the command line escapes (its own copy of the list, as the page
    /// cannot call the library), but the joiners emoji and Persian need.
    #[test]
    fn the_search_page_escapes_what_the_command_line_does() {
        let ranges = page_hidden_class();
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            let on_page = ranges
                .iter()
                .any(|&(from, to)| (from..=to).contains(&(c as u32)));
            let text = c.to_string();
            let by_cli = parafind::output::sanitize(&text) != text.as_str()
                && !matches!(c, '\u{200C}' | '\u{200D}' | '\n' | '\t');
            assert_eq!(on_page, by_cli, "U+{:04X}", c as u32);
        }
    }

    fn options(bind: &str, token: Option<&str>) -> ServeOptions {
        ServeOptions {
            bind: bind.parse().unwrap(),
            port: 0,
            token: token.map(String::from),
            cors: None,
            watch: false,
            client_time: Duration::from_secs(10),
            request_time: Duration::from_secs(60),
        }
    }

    #[test]
    fn only_loopback_is_served_without_a_token() {
        assert!(check_exposure(&options("127.0.0.1", None)).is_ok());
        assert!(check_exposure(&options("::1", None)).is_ok());
        let refused = check_exposure(&options("0.0.0.0", None)).unwrap_err();
        assert!(refused
            .to_string()
            .starts_with("--bind 0.0.0.0: not a loopback address"));
        assert!(check_exposure(&options("0.0.0.0", Some("s3cret"))).is_ok());
        assert!(check_exposure(&options("127.0.0.1", Some(""))).is_err());
    }

    #[test]
    fn a_token_no_request_can_send_is_refused() {
        for token in ["s3cret ", " s3cret", "   ", "s3cret\r", "sécret", "a\tb"] {
            let refused = check_exposure(&options("127.0.0.1", Some(token))).unwrap_err();
            assert!(refused
                .to_string()
                .starts_with("--token: the token has a space at an end"));
        }
        assert!(check_exposure(&options("127.0.0.1", Some("a b-c_d.e~f+/="))).is_ok());
    }

    #[test]
    fn an_origin_is_a_scheme_and_a_host() {
        for origin in [
            "https://a.example",
            "http://localhost:3000",
            "http://127.0.0.1:8080",
            "http://[::1]:7700",
            "http://[::1]",
            "https://123abc.de",
            "https://1password.com",
        ] {
            assert!(as_origin(origin).is_some(), "{origin}");
        }
        for origin in [
            "localhost",
            "https://a.example/",
            "https://a.example/path",
            "http://",
            "https://a,https://b",
            "https://a.example:99999",
            "https://a.example:0",
            "https://a.example:",
            "ftp://a.example",
            "https://a b",
            "https://a.example:443",
            "http://a.example:80",
            "https://A.Example",
            "http://a:b:80",
            "http://[::1",
            "http://[::1]x",
            "http://a.example:080",
            "http://127.000.000.001",
            "http://0x7f.0.0.1",
            "http://2130706433",
            "https://[0:0:0:0:0:0:0:1]",
        ] {
            assert!(as_origin(origin).is_none(), "{origin}");
        }
    }
}
