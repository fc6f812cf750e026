//! The search page in a real browser: Debian's headless Chromium, driven over WebDriver by
//! chromedriver (both installed by `.ci/test`), types a query into the page served by
//! `parafind serve`, sees highlighted hits, opens one with the keyboard and another with a
//! click, and sees its neighbours. A screenshot is kept in
//! `target/tmp/artifacts/serve-page.png`.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

use crate::serve::{die_with_parent, Server};
use crate::util::*;

/// WebDriver's key for element references.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process and one browser session in it, both ended on drop.
struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
    _profile: assert_fs::TempDir,
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("address").port()
}

impl Browser {
    fn start() -> Browser {
        let port = free_port();
        let mut command = Command::new("chromedriver");
        command
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        die_with_parent(&mut command);
        let driver = command.spawn().unwrap_or_else(|e| {
            panic!("chromedriver is needed for this test (.ci/test installs chromium-driver): {e}")
        });
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .new_agent();
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while agent.get(format!("{base}/status")).call().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = assert_fs::TempDir::new().expect("profile dir");
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1000,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        }}});
        let mut browser = Browser {
            driver,
            base,
            session: String::new(),
            agent,
            _profile: profile,
        };
        let created = browser.call("POST", "/session", Some(capabilities));
        browser.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_string();
        browser
    }

    /// A WebDriver command; its `value`.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let (status, answer) = self.answer(method, path, body);
        assert_eq!(status, 200, "{method} {path}: {answer}");
        answer["value"].clone()
    }

    /// A WebDriver request's status and answer.
    fn answer(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let response = match method {
            "POST" => self
                .agent
                .post(&url)
                .send_json(body.unwrap_or_else(|| json!({}))),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self.agent.get(&url).call(),
        }
        .expect("WebDriver request");
        let status = response.status().as_u16();
        let answer: Value = response.into_body().read_json().expect("WebDriver JSON");
        (status, answer)
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    fn find_all(&self, css: &str) -> Vec<String> {
        let found = self.session_call(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        );
        found
            .as_array()
            .map(|all| {
                all.iter()
                    .filter_map(|e| e[ELEMENT].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The elements matching `css` once there are at least `count`; panics after 20 s.
    fn wait_for(&self, css: &str, count: usize) -> Vec<String> {
        let started = Instant::now();
        loop {
            let found = self.find_all(css);
            if found.len() >= count {
                return found;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{css}: {} of {count}",
                found.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The text of the first element matching `css` once `wanted` accepts it; panics after
    /// 20 s.
    fn wait_for_text(&self, css: &str, wanted: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            // (An element found may be replaced before its text is read, as the page answers
            // each keystroke: looked for again.)
            let text = (self.find_all(css).first()).and_then(|e| self.fresh_text(e));
            if let Some(text) = text.as_ref().filter(|t| wanted(t)) {
                return text.clone();
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{css}: {text:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The text of `element`, or `None` when the page has replaced it since it was found.
    fn fresh_text(&self, element: &str) -> Option<String> {
        let path = format!("/session/{}/element/{element}/text", self.session);
        let (status, answer) = self.answer("GET", &path, None);
        let text = answer["value"].as_str().map(str::to_string);
        match status {
            200 => text,
            404 if answer["value"]["error"] == "stale element reference" => None,
            _ => panic!("GET {path}: {answer}"),
        }
    }

    fn text(&self, element: &str) -> String {
        let text = self.session_call("GET", &format!("/element/{element}/text"), None);
        text.as_str().unwrap_or_default().to_string()
    }

    fn type_into(&self, element: &str, keys: &str) {
        self.session_call(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({"text": keys})),
        );
    }

    fn screenshot(&self, path: &Path) {
        let encoded = self.session_call("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().expect("base64"))
            .expect("PNG");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("artifacts dir");
        std::fs::write(path, png).expect("write screenshot");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let url = format!("{}/session/{}", self.base, self.session);
            let _ = self.agent.delete(&url).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

#[test]
fn the_page_finds_highlights_and_expands_hits_in_chromium() {
    let env = Env::essay();
    env.write(
        "notes/t.md",
        "# Main Title\n\nintro\n\n## Sub Part\n\nokapi grazing\n",
    );
    // A name and a text with a bidi override, which would show `notes/evilt.xt…` reversed.
    env.write(
        "notes/evil\u{202e}gpj.txt",
        "mixed \u{202e}quokka override\u{202c} end, sh\u{ad}y w\u{2060}j t\u{e0041}g\n",
    );
    // A name with a line break and one with a tab: escaped, not shown as spaces.
    env.write("notes/report\nfinal.txt", "nltoken here\n");
    env.write("notes/tab\there.txt", "nltoken tab\n");
    env.write("notes/two  spaces.txt", "nltoken two\n");
    // A page found through its title alone: the title's word is marked.
    env.write(
        "notes/cap.html",
        "<html><head><title>Capybara handbook</title></head><body><p>Large rodents.</p></body></html>",
    );
    // Classic Mac OS line ends: shown as line breaks, as the command line shows them.
    env.write("notes/mac.txt", "alpha crtoken\rbeta line\r\rgamma\r");
    // More hits than the server pages through.
    env.write("many/zebu.txt", "zebu\n\n".repeat(100_015));
    env.cmd(&["ingest", "notes", "many"]).assert().success();
    let server = Server::start(&env, &[]);
    let browser = Browser::start();
    browser.session_call(
        "POST",
        "/url",
        Some(json!({"url": format!("{}/", server.url)})),
    );
    let input = browser.wait_for("#q", 1).remove(0);
    browser.type_into(&input, "Pyongyang");

    // Both paragraphs that name Pyongyang, the word highlighted in each.
    let marks = browser.wait_for(".hit mark", 2);
    let marked: Vec<String> = marks.iter().map(|m| browser.text(m)).collect();
    assert!(
        marked.iter().all(|m| m.starts_with("Pyongyang")),
        "{marked:?}"
    );
    let places: Vec<String> = browser
        .find_all(".hit .where")
        .iter()
        .map(|w| browser.text(w))
        .collect();
    assert_eq!(places.len(), 2, "{places:?}");
    assert!(
        places[0].contains("¶1, line 1") && places[1].contains("¶3, line 3"),
        "{places:?}"
    );
    assert!(browser
        .text(&browser.find_all("#status")[0])
        .starts_with("2 paragraphs match"));

    // The keyboard alone: down from the query to the first hit, Enter opens it.
    browser.type_into(&input, "\u{E015}");
    let active = browser.session_call("GET", "/element/active", None);
    let first = active[ELEMENT].as_str().expect("a focused hit").to_string();
    browser.type_into(&first, "\u{E007}");
    let neighbours = browser.wait_for(".hit .neighbour", 3);
    let shown: Vec<String> = neighbours.iter().map(|n| browser.text(n)).collect();
    assert!(
        shown[0].starts_with("¶1, line 1") && shown[2].starts_with("¶3, line 3"),
        "{shown:?}"
    );

    // A click on the second hit shows paragraphs 1 to 5 around paragraph 3.
    let hits = browser.find_all(".hit");
    browser.session_call(
        "POST",
        &format!("/element/{}/click", hits[1]),
        Some(json!({})),
    );
    let all = browser.wait_for(".hit .neighbour", 8);
    let second: Vec<String> = all[3..].iter().map(|n| browser.text(n)).collect();
    let numbers: Vec<&str> = second
        .iter()
        .map(|t| t.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(numbers, ["¶1,", "¶2,", "¶3,", "¶4,", "¶5,"], "{second:?}");
    let focus = browser.find_all(".hit .neighbour.focus mark");
    assert!(
        focus.len() >= 2,
        "the hit's own paragraph keeps its highlights"
    );

    // A link to a page past the last (kept while the index changed) shows the last page.
    let past = format!("{}/?q=Pyongyang&offset=200000", server.url);
    browser.session_call("POST", "/url", Some(json!({ "url": past })));
    let status = browser.wait_for_text("#status", |t| t.contains("match"));
    assert!(
        status.starts_with("2 paragraphs match · hits 1–2 "),
        "{status}"
    );

    // At the server's paging limit, the pager says why there is no next page.
    let deep = format!("{}/?q=zebu&offset=100000", server.url);
    browser.session_call("POST", "/url", Some(json!({ "url": deep })));
    let status = browser.wait_for_text("#status", |t| t.contains("match"));
    assert!(
        status.starts_with("100015 paragraphs match · hits 100001–100010 "),
        "{status}"
    );
    let page = browser.text(&browser.find_all("#page")[0]);
    assert_eq!(
        page,
        "page 10001 of 10002 · paging stops at hit 100010: narrow the query for the rest"
    );

    // Bidi controls are shown as escapes, as the command line shows them.
    let input = browser.wait_for("#q", 1).remove(0);
    browser.session_call("POST", &format!("/element/{input}/clear"), Some(json!({})));
    browser.type_into(&input, "quokka");
    let path = browser.wait_for_text(".hit .path", |t| t.contains("evil"));
    assert_eq!(path, "notes/evil\\u{202e}gpj.txt");
    let text = browser.wait_for_text(".hit .text", |t| t.contains("override"));
    assert_eq!(
        text,
        "mixed \\u{202e}quokka override\\u{202c} end, sh\\u{ad}y w\\u{2060}j t\\u{e0041}g"
    );

    // A query in error after one with a suggestion: the suggestion is not offered for it.
    let input = browser.wait_for("#q", 1).remove(0);
    browser.session_call("POST", &format!("/element/{input}/clear"), Some(json!({})));
    browser.type_into(&input, "Pyongyng");
    browser.wait_for_text("#status", |t| t.contains("Did you mean"));
    browser.type_into(&input, " foo:bar");
    browser.wait_for_text("#error", |t| t.contains("foo:bar"));
    let status = browser.text(&browser.find_all("#status")[0]);
    assert!(!status.contains("Did you mean"), "{status}");

    // A hit under a heading below the title names the title once, in its section.
    browser.session_call("POST", &format!("/element/{input}/clear"), Some(json!({})));
    browser.type_into(&input, "okapi");
    let place = browser.wait_for_text(".hit .where", |t| t.contains("Sub Part"));
    assert_eq!(place.matches("Main Title").count(), 1, "{place}");

    // A hit of a file changed since it was indexed, opened: the change is said first.
    let markdown = env.path("notes/t.md");
    let mut changed = std::fs::read_to_string(&markdown).unwrap();
    changed.push_str("\nan added paragraph\n");
    std::fs::write(&markdown, changed).unwrap();
    // (Stamps are trusted for a second.)
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let hit = browser.find_all(".hit").remove(0);
    browser.session_call("POST", &format!("/element/{hit}/click"), Some(json!({})));
    let stale = browser.wait_for_text(".hit .neighbour.stale", |t| !t.is_empty());
    assert!(stale.contains("changed since it was indexed"), "{stale}");
    let neighbours = browser.wait_for(".hit .neighbour", 4);
    assert!(browser.text(&neighbours[1]).starts_with('¶'));

    // A hit found through its document's title shows the title with the word marked.
    browser.session_call("POST", &format!("/element/{input}/clear"), Some(json!({})));
    browser.type_into(&input, "capybara");
    let marks = browser.wait_for(".hit .where mark", 1);
    assert_eq!(browser.text(&marks[0]), "Capybara");

    browser.session_call("POST", &format!("/element/{input}/clear"), Some(json!({})));
    browser.type_into(&input, "nltoken");
    browser.wait_for(".hit", 3);
    let mut paths: Vec<String> = (browser.find_all(".hit .path").iter())
        .map(|p| browser.text(p))
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "notes/report\\u{a}final.txt",
            "notes/tab\\u{9}here.txt",
            "notes/two  spaces.txt"
        ]
    );
    browser.session_call("POST", &format!("/element/{input}/clear"), Some(json!({})));
    browser.type_into(&input, "crtoken");
    let text = browser.wait_for_text(".hit .text", |t| t.contains("crtoken"));
    assert_eq!(text, "alpha crtoken\nbeta line");

    let artifact = Path::new(env!("CARGO_TARGET_TMPDIR")).join("artifacts/serve-page.png");
    browser.screenshot(&artifact);
    let png = std::fs::read(&artifact).expect("screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000);
}
