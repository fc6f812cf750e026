//! `parafind serve`: each endpoint against the command it mirrors (same records but for
//! timings), status codes, limits, the token, CORS, and reload after an ingest. Servers
//! listen on a free loopback port and die with the test (killed on drop, and by the kernel if
//! the test process dies first).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::*;

/// A running `parafind serve`, stopped when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`, without a final slash.
    pub url: String,
    agent: ureq::Agent,
}

/// A response: status, content type, body.
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: String,
    pub headers: Vec<(String, String)>,
}

impl Answer {
    /// The body's JSON Lines, decoded strictly.
    pub fn records(&self) -> Vec<Record> {
        decode(self.body.as_bytes())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Makes the child die when the thread that started it does (the test), so no server outlives
/// its test even if the test process is killed.
pub fn die_with_parent(command: &mut Command) {
    // SAFETY: prctl is async-signal-safe and touches only the child's own state.
    unsafe {
        command.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
}

impl Server {
    /// Starts `parafind serve --port 0 ARGS` in `env` and waits for the URL it prints.
    pub fn start(env: &Env, args: &[&str]) -> Server {
        let mut command = Command::new(assert_cmd::cargo::cargo_bin!("parafind"));
        command
            .current_dir(env.path(""))
            .env_remove("PARAFIND_INDEX")
            .env_remove("PARAFIND_TOKEN")
            .args(["serve", "--port", "0"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        die_with_parent(&mut command);
        let mut child = command.spawn().expect("start parafind serve");
        let stderr = child.stderr.take().expect("stderr");
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find(" on http://") {
                    let url = line[at + 4..]
                        .split('/')
                        .take(3)
                        .collect::<Vec<_>>()
                        .join("/");
                    let _ = send.send(url);
                }
            }
        });
        let url = receive
            .recv_timeout(Duration::from_secs(120))
            .expect("the server prints its URL");
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .new_agent();
        Server { child, url, agent }
    }

    fn answer(response: ureq::http::Response<ureq::Body>) -> Answer {
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_string()))
            .collect();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let body = response
            .into_body()
            .with_config()
            .limit(64 << 20)
            .read_to_string()
            .expect("body");
        Answer {
            status,
            content_type,
            body,
            headers,
        }
    }

    /// `GET PATH` (with its query string).
    pub fn get(&self, path: &str) -> Answer {
        self.get_with(path, &[])
    }

    /// `GET PATH` with request headers.
    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = self.agent.get(format!("{}{path}", self.url));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Server::answer(request.call().expect("GET"))
    }

    /// `POST PATH` with `body`.
    pub fn post(&self, path: &str, body: &[u8]) -> Answer {
        let response = self
            .agent
            .post(format!("{}{path}", self.url))
            .send(body)
            .expect("POST");
        Server::answer(response)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// JSON Lines with each record's `elapsed_ms` taken out (timings differ from run to run).
fn untimed(text: &str) -> Vec<Value> {
    text.lines()
        .map(|line| {
            let mut record: Value = serde_json::from_str(line).expect("a JSON line");
            if let Some(object) = record.as_object_mut() {
                object.remove("elapsed_ms");
            }
            record
        })
        .collect()
}

fn cli_output(env: &Env, args: &[&str]) -> String {
    String::from_utf8(env.run(args).stdout).expect("UTF-8")
}

fn error_message(answer: &Answer) -> String {
    match answer.records().as_slice() {
        [Record::Error(e)] => e.message.clone(),
        other => panic!("not one error record: {other:?}"),
    }
}

#[test]
fn search_answers_with_the_records_of_search_json() {
    let env = Env::essay();
    let server = Server::start(&env, &[]);
    let cases: [(&str, &[&str]); 4] = [
        (
            "q=Pyongyang&n=3&context=1",
            &["-n", "3", "-C", "1", "Pyongyang"],
        ),
        (
            "q=%22nuclear+sharing%22&max_chars=80&exact=1",
            &["--max-chars", "80", "--exact", "\"nuclear sharing\""],
        ),
        (
            "q=allies+deter+china&any=1&offset=2&n=2&after=1",
            &[
                "--any",
                "--offset",
                "2",
                "-n",
                "2",
                "-A",
                "1",
                "allies deter china",
            ],
        ),
        ("q=kimchee", &["kimchee"]),
    ];
    for (query, args) in cases {
        let answer = server.get(&format!("/search?{query}"));
        assert_eq!(answer.status, 200, "{query}: {}", answer.body);
        assert_eq!(answer.content_type, "application/x-ndjson");
        let mut cli = vec!["search", "--json"];
        cli.extend_from_slice(args);
        assert_eq!(
            untimed(&answer.body),
            untimed(&cli_output(&env, &cli)),
            "{query}"
        );
        answer.records();
    }
    let snippets = server.get("/search?q=alliance&max_chars=40&n=1").records();
    let hit = hits_of(&snippets)[0];
    let windows = hit.snippets.as_ref().expect("snippets");
    assert!(!windows.is_empty() && windows.iter().all(|w| w.end <= hit.text.len()));
}

#[test]
fn bad_queries_and_parameters_are_400_with_one_error_record() {
    let env = Env::essay();
    let server = Server::start(&env, &[]);
    let answer = server.get("/search?q=nuclear+AND");
    assert_eq!(answer.status, 400);
    assert_eq!(
        untimed(&answer.body),
        untimed(&cli_output(&env, &["search", "--json", "nuclear AND"]))
    );
    let refused = [
        (
            "/search?q=x&n=1001",
            "parameter `n`: expected a whole number from 1 to 1000",
        ),
        ("/search?q=x&n=abc", "parameter `n`"),
        ("/search?q=x&offset=100001", "parameter `offset`"),
        ("/search?q=x&context=51", "parameter `context`"),
        ("/search?q=x&exact=perhaps", "parameter `exact`"),
        ("/search?q=x&limit=3", "unknown parameter `limit`"),
        ("/search?n=3", "parameter `q` (the query) is missing"),
        ("/search?q=x&path=%5B", "parameter `path` or `type`"),
        ("/search?q=x&type=nosuchtype", "parameter `path` or `type`"),
        ("/stats?verbose=1", "/stats takes no parameters"),
    ];
    for (path, message) in refused {
        let answer = server.get(path);
        assert_eq!(answer.status, 400, "{path}");
        let got = error_message(&answer);
        assert!(got.starts_with(message), "{path}: {got}");
    }
    let long = format!("/search?q={}", "a".repeat(8 * 1024 + 1));
    let answer = server.get(&long);
    assert_eq!(answer.status, 400);
    assert!(error_message(&answer).contains("over the limit of 8192"));
    // Bytes that are not UTF-8 and stray escapes are read, not fatal.
    assert_eq!(server.get("/search?q=%FF%FE+nuclear%").status, 200);
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn batch_streams_what_search_batch_json_prints() {
    let env = Env::essay();
    let server = Server::start(&env, &[]);
    let queries = "nuclear\n{\"id\": \"x\", \"query\": \"kimchi\", \"limit\": 2}\n\nnuclear AND\n\
                   {\"query\": \"Seoul\", \"limit\": 0}\n";
    let too_many = server.post(
        "/batch",
        b"{\"id\": 9, \"query\": \"Seoul\", \"limit\": 1001}\n",
    );
    assert!(too_many.body.starts_with(
        "{\"type\":\"error\",\"query_id\":9,\"query\":\"Seoul\",\"message\":\"line 1: \\\"limit\\\" must be between 1 and 1000\"}"
    ), "{}", too_many.body);
    env.write("queries.txt", queries);
    let answer = server.post("/batch?n=2&context=1", queries.as_bytes());
    assert_eq!(answer.status, 200);
    assert_eq!(answer.content_type, "application/x-ndjson");
    let cli = cli_output(
        &env,
        &[
            "search",
            "--json",
            "-n",
            "2",
            "-C",
            "1",
            "--batch",
            "queries.txt",
        ],
    );
    // The same records, but that a line's limit is bounded by the API's 1,000 hits.
    let cli = cli.replace(
        "must be between 1 and 1000000",
        "must be between 1 and 1000",
    );
    assert_eq!(untimed(&answer.body), untimed(&cli));
    match answer.records().last() {
        Some(Record::Summary(Summary::Batch(batch))) => {
            assert_eq!((batch.queries, batch.matched, batch.failed), (4, 1, 2))
        }
        other => panic!("no batch summary: {other:?}"),
    }
    assert_eq!(server.post("/batch?q=x", b"nuclear\n").status, 400);
    assert_eq!(server.post("/batch?path=%5B", b"nuclear\n").status, 400);
    // A body over the limit is refused from its declared length, before it is sent.
    let declared = format!(
        "POST /batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        8 * 1024 * 1024 + 1
    );
    let reply = raw(&server, declared.as_bytes());
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    assert!(reply.contains("the batch is over 8 MiB"), "{reply}");
    // And one sent in chunks, without a length, is cut off at the limit.
    let mut chunked =
        b"POST /batch HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..9 {
        chunked.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        chunked.extend_from_slice(&chunk);
        chunked.extend_from_slice(b"\r\n");
    }
    let reply = raw(&server, &chunked);
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
}

/// Sends `request` as it is and reads the reply until the server closes the connection
/// (whatever of the request it did not read).
fn raw(server: &Server, request: &[u8]) -> String {
    raw_then(server, request, false)
}

/// [`raw`], closing the connection's sending side after the request when `half_close` is set
/// (as `nc -N` does).
fn raw_then(server: &Server, request: &[u8], half_close: bool) -> String {
    let address = server.url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let _ = stream.write_all(request);
    if half_close {
        let _ = stream.shutdown(std::net::Shutdown::Write);
    }
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    String::from_utf8_lossy(&reply).into_owned()
}

#[test]
fn a_body_cut_short_is_a_bad_request_and_a_half_closed_client_is_answered() {
    let env = Env::essay();
    let server = Server::start(&env, &[]);
    // A chunk size that is not hexadecimal: the body cannot be read, which is no size matter.
    let reply = raw(
        &server,
        b"POST /batch HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nnuclear\n\r\n0\r\n\r\n",
    );
    assert!(reply.starts_with("HTTP/1.1 400"), "{reply}");
    assert!(reply.contains("could not be read"), "{reply}");
    // A client that closes its side once the request is sent still gets every answer.
    for _ in 0..10 {
        let reply = raw_then(&server, b"GET /search?q=nuclear HTTP/1.0\r\n\r\n", true);
        assert!(reply.starts_with("HTTP/1.0 200"), "{reply}");
        assert!(reply.contains("\"type\":\"summary\""), "{reply}");
        let reply = raw_then(
            &server,
            b"POST /batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 8\r\nConnection: close\r\n\r\nnuclear\n",
            true,
        );
        assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
        assert!(reply.contains("\"queries\":1"), "{reply}");
    }
}

#[test]
fn a_batch_past_the_request_time_is_cut_short_with_an_error_record() {
    let env = Env::essay();
    let server = Server::start(&env, &["--request-timeout", "1"]);
    // A body that stops coming is given up on.
    let started = Instant::now();
    let reply = raw(
        &server,
        b"POST /batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nnuclear\n",
    );
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
    assert!(
        reply.contains("the batch was not received within 1 s"),
        "{reply}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    let queries = "alliance OR nuclear OR Seoul\n".repeat(250_000);
    let answer = server.post("/batch?n=1", queries.as_bytes());
    assert_eq!(answer.status, 200);
    let records = answer.records();
    let stopped = records
        .iter()
        .filter_map(|r| match r {
            Record::Error(e) => Some(e.message.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>();
    assert_eq!(
        stopped,
        ["the batch ran past the 1 s a request may take; the rest was not answered"]
    );
    // The record is about no query, and the summary counts what was answered.
    let cut = records.iter().find_map(|r| match r {
        Record::Error(e) => Some(e),
        _ => None,
    });
    assert!(
        cut.is_some_and(|e| e.query.is_none() && e.query_id.is_none()),
        "{cut:?}"
    );
    let answered = records
        .iter()
        .filter(|r| matches!(r, Record::Summary(Summary::Query(_))))
        .count() as u64;
    match records.last() {
        Some(Record::Summary(Summary::Batch(batch))) => assert!(
            batch.queries == answered && batch.queries < 250_000 && batch.failed == 0,
            "{batch:?}"
        ),
        other => panic!("no batch summary: {other:?}"),
    }
}

#[test]
fn stats_files_and_show_mirror_the_commands_and_only_indexed_files_are_shown() {
    let env = Env::essay();
    env.write("secret.txt", "not indexed\n");
    let server = Server::start(&env, &[]);
    for (path, cli) in [
        ("/stats", vec!["stats", "--json"]),
        ("/files", vec!["list", "--json"]),
        (
            "/show?path=corpus/us-korea-alliance.txt&paragraph=3&context=1",
            vec![
                "show",
                "--json",
                "corpus/us-korea-alliance.txt:3",
                "-C",
                "1",
            ],
        ),
    ] {
        let answer = server.get(path);
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        assert_eq!(answer.content_type, "application/x-ndjson");
        assert_eq!(answer.body, cli_output(&env, &cli), "{path}");
        answer.records();
    }
    let essay = env.path("corpus/us-korea-alliance.txt");
    let absolute = format!("/show?path={}&paragraph=14&before=1", essay.display());
    let shown = server.get(&absolute).records();
    assert!(
        matches!(shown.as_slice(), [Record::Context(_), Record::Paragraph(p)] if p.paragraph == 14)
    );
    for path in [
        "/show?path=secret.txt&paragraph=1",
        "/show?path=/etc/passwd&paragraph=1",
        "/show?path=corpus/../secret.txt&paragraph=1",
        "/show?path=corpus/us-korea-alliance.txt&paragraph=99",
    ] {
        let answer = server.get(path);
        assert_eq!(answer.status, 404, "{path}");
        assert!(!answer.body.contains("not indexed\\n"), "{path}");
        error_message(&answer);
    }
    assert_eq!(
        server.get("/show?path=corpus/us-korea-alliance.txt").status,
        400
    );
}

#[test]
fn the_page_health_check_unknown_paths_and_wrong_methods() {
    let env = Env::essay();
    let server = Server::start(&env, &[]);
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(page.content_type, "text/html; charset=utf-8");
    assert!(page.body.contains("<script src=\"app.js\""));
    assert!(page
        .header("content-security-policy")
        .unwrap()
        .contains("default-src 'self'"));
    for (path, kind) in [("/app.js", "text/javascript"), ("/app.css", "text/css")] {
        let file = server.get(path);
        assert_eq!(file.status, 200);
        assert!(file.content_type.starts_with(kind), "{path}");
        assert!(
            !file.body.contains("http://") && !file.body.contains("https://"),
            "{path}: nothing external"
        );
    }
    assert_eq!(server.get("/healthz").body, "ok\n");
    // The index deleted under the server: the health check says so (searches see the last
    // commit opened).
    std::fs::rename(env.path("index"), env.path("index.moved")).unwrap();
    let gone = server.get("/healthz");
    assert_eq!(gone.status, 503);
    assert!(
        error_message(&gone).contains("is gone (its commit file cannot be read)"),
        "{}",
        gone.body
    );
    assert_eq!(server.get("/search?q=nuclear").status, 200);
    std::fs::rename(env.path("index.moved"), env.path("index")).unwrap();
    assert_eq!(server.get("/healthz").status, 200);
    let missing = server.get("/etc/passwd");
    assert_eq!(missing.status, 404);
    assert!(error_message(&missing).starts_with("no such endpoint: /etc/passwd"));
    assert_eq!(server.post("/search?q=x", b"").status, 405);
    assert_eq!(server.get("/batch").status, 405);
}

#[test]
fn a_token_is_needed_off_loopback_and_then_checked() {
    let env = Env::essay();
    let refused = env.run(&["serve", "--bind", "0.0.0.0", "--port", "0"]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.starts_with("parafind: --bind 0.0.0.0: not a loopback address")
            && stderr.lines().count() == 1,
        "{stderr}"
    );
    let server = Server::start(&env, &["--token", "s3cret"]);
    let denied = server.get("/search?q=nuclear");
    assert_eq!(denied.status, 401);
    assert_eq!(denied.header("www-authenticate"), Some("Bearer"));
    assert!(error_message(&denied).contains("Authorization: Bearer"));
    let wrong = server.get_with("/stats", &[("Authorization", "Bearer s3creT")]);
    assert_eq!(wrong.status, 401);
    let allowed = server.get_with("/search?q=nuclear", &[("Authorization", "Bearer s3cret")]);
    assert_eq!(allowed.status, 200);
    // The scheme's name in any case (RFC 9110), the token exact.
    let lower = server.get_with("/stats", &[("Authorization", "bearer s3cret")]);
    assert_eq!(lower.status, 200);
    assert_eq!(server.get("/").status, 200, "the page holds no data");
    assert_eq!(server.get("/healthz").status, 200);
}

/// A page of another site whose name is pointed at 127.0.0.1 (DNS rebinding) sends that
/// name as `Host`: a server on loopback answers only requests naming a loopback host.
#[test]
fn a_request_naming_another_host_is_refused_on_loopback() {
    let env = Env::essay();
    let server = Server::start(&env, &[]);
    let port = server.url.rsplit(':').next().unwrap().to_string();
    for path in [
        "/search?q=nuclear",
        "/show?path=corpus/us-korea-alliance.txt",
        "/",
    ] {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: attacker.example:{port}\r\nConnection: close\r\n\r\n"
        );
        let reply = raw(&server, request.as_bytes());
        assert!(reply.starts_with("HTTP/1.1 403"), "{path}: {reply}");
        assert!(
            reply.contains("only requests for its loopback address") && !reply.contains("nuclear"),
            "{reply}"
        );
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "[::1]".into(),
    ] {
        let request =
            format!("GET /search?q=nuclear HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        let reply = raw(&server, request.as_bytes());
        assert!(reply.starts_with("HTTP/1.1 200"), "{host}: {reply}");
    }
}

#[test]
fn cors_is_off_unless_an_origin_is_given() {
    let env = Env::essay();
    let origin = [("Origin", "http://localhost:3000")];
    let closed = Server::start(&env, &[]);
    let answer = closed.get_with("/search?q=nuclear", &origin);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("access-control-allow-origin"), None);
    drop(closed);
    let open = Server::start(&env, &["--cors", "http://localhost:3000"]);
    let answer = open.get_with("/search?q=nuclear", &origin);
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("http://localhost:3000")
    );
    let bad = env.run(&["serve", "--port", "0", "--cors", "localhost"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--cors \"localhost\": not an origin"));
}

/// Polls `/search?q=QUERY` until its total is `total`; panics after 30 s.
fn wait_for_total(server: &Server, query: &str, total: u64) {
    let started = Instant::now();
    loop {
        let records = server.get(&format!("/search?q={query}")).records();
        let found = records.iter().find_map(|r| match r {
            Record::Summary(Summary::Query(s)) => Some(s.total),
            _ => None,
        });
        if found == Some(total) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{query}: total {found:?}, not {total}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn searches_see_an_ingests_commit_without_a_restart() {
    let env = Env::essay();
    let server = Server::start(&env, &[]);
    wait_for_total(&server, "Zanzibar", 0);
    env.write(
        "corpus/islands.txt",
        "Zanzibar lies off the coast.\n\nAnother Zanzibar paragraph.\n",
    );
    env.cmd(&["ingest"]).assert().success();
    let answer = server.get("/search?q=Zanzibar");
    let hits = hits_of(&answer.records()).len();
    assert_eq!(hits, 2, "the first request after the commit sees it");
    std::fs::remove_file(env.path("corpus/islands.txt")).unwrap();
    env.cmd(&["refresh"]).assert().success();
    wait_for_total(&server, "Zanzibar", 0);
}

#[test]
fn serve_watch_indexes_files_as_they_change() {
    let env = Env::essay();
    let server = Server::start(&env, &["--watch"]);
    env.write("corpus/watched.txt", "The quokka is a small marsupial.\n");
    wait_for_total(&server, "quokka", 1);
    let no_roots = Env::new();
    no_roots.write("doc.txt", "text\n");
    no_roots.cmd(&["ingest", "doc.txt"]).assert().success();
    let refused = no_roots.run(&["serve", "--port", "0", "--watch"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--watch: the index at"));
}

#[test]
fn slow_and_broken_clients_are_dropped_and_the_server_goes_on() {
    let env = Env::essay();
    let server = Server::start(&env, &["--client-timeout", "1"]);
    let address = server.url.trim_start_matches("http://").to_string();
    // Headers that never end: the connection is closed after the client timeout.
    let mut slow = TcpStream::connect(&address).unwrap();
    slow.write_all(b"GET /search?q=nuclear HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let closed = slow.read_to_end(&mut rest);
    assert!(
        closed.is_ok(),
        "closed by the server, not by our timeout: {closed:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(15));
    // Garbage and a huge header are refused without harm.
    for junk in [
        b"\x00\x01\x02 garbage\r\n\r\n".to_vec(),
        [
            b"GET / HTTP/1.1\r\nX: ".to_vec(),
            vec![b'a'; 1 << 20],
            b"\r\n\r\n".to_vec(),
        ]
        .concat(),
    ] {
        let reply = raw(&server, &junk);
        assert!(
            reply.is_empty() || reply.starts_with("HTTP/1.1 4"),
            "{reply}"
        );
    }
    assert_eq!(server.get("/search?q=nuclear").status, 200);
}

#[test]
fn a_file_changed_after_a_request_is_warned_about_in_the_next() {
    let env = Env::essay();
    let server = Server::start(&env, &[]);
    let warnings = |server: &Server| {
        let records = server.get("/search?q=Pyongyang").records();
        records
            .iter()
            .filter(|r| matches!(r, Record::Warning(_)))
            .count()
    };
    assert_eq!(warnings(&server), 0);
    let essay = env.path("corpus/us-korea-alliance.txt");
    let mut text = std::fs::read_to_string(&essay).unwrap();
    text.push_str("\nAn added paragraph.\n");
    std::fs::write(&essay, text).unwrap();
    // Stamps are trusted for a second.
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(warnings(&server), 1, "the same server notices the change");
}

#[test]
fn show_warns_of_a_file_changed_or_gone_as_the_command_does() {
    let env = Env::new();
    env.write("docs/b.txt", "p1\n\np2\n\np3\n");
    env.write("docs/a.txt", "gone soon\n");
    env.cmd(&["ingest", "docs"]).assert().success();
    env.write("docs/b.txt", "p1\n\np2\n\np3\nchanged\n");
    std::fs::remove_file(env.path("docs/a.txt")).unwrap();
    let server = Server::start(&env, &[]);
    for (path, target) in [
        ("docs/b.txt", "docs/b.txt:2"),
        ("docs/a.txt", "docs/a.txt:1"),
    ] {
        let answer = server.get(&format!("/show?path={path}&paragraph={}", &target[11..]));
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        assert_eq!(
            answer.body,
            cli_output(&env, &["show", "--json", target]),
            "{path}"
        );
        let records = answer.records();
        assert!(
            matches!(records[0], Record::Warning(_)),
            "{path}: {}",
            answer.body
        );
    }
}
