//! Adversarial input: pathological queries and documents get an answer or a clear refusal in
//! bounded time and memory, never a panic; a damaged index is reported, never panicked on. Time
//! bounds are ten times what a debug build takes here: they catch runaway work, they are not
//! benchmarks.

use std::time::{Duration, Instant};

use crate::util::*;

/// Runs parafind and checks it finished within `limit`, without a panic, with exit status
/// `status`.
fn bounded(env: &Env, args: &[&str], limit: Duration, status: i32) -> std::process::Output {
    let started = Instant::now();
    let output = env.run(args);
    let took = started.elapsed();
    assert!(took < limit, "{args:?} took {took:?}");
    let err = stderr(&output);
    assert!(
        !err.contains("panicked") && !err.contains("internal error"),
        "{err}"
    );
    assert_eq!(output.status.code(), Some(status), "{args:?}: {err}");
    output
}

#[test]
fn thousands_of_terms_are_answered() {
    let env = Env::essay();
    let words: Vec<String> = (0..3000).map(|i| format!("w{i}")).collect();
    let all = words.join(" ");
    bounded(
        &env,
        &["search", "-F", "--", &all],
        Duration::from_secs(10),
        1,
    );
    let any = format!("{all} nuclear");
    bounded(
        &env,
        &["search", "-F", "--any", "--", &any],
        Duration::from_secs(10),
        0,
    );
}

#[test]
fn deep_nesting_is_refused_clearly() {
    let env = Env::essay();
    let deep = format!("{}nuclear{}", "(".repeat(10_000), ")".repeat(10_000));
    let output = bounded(&env, &["search", "--", &deep], Duration::from_secs(5), 2);
    assert!(stderr(&output).contains("parentheses nest deeper than 100 levels"));
    // An even number of negations: the paragraphs with the word.
    let negations = format!("{}nuclear", "NOT ".repeat(10_000));
    bounded(
        &env,
        &["search", "--", &negations],
        Duration::from_secs(5),
        0,
    );
}

#[test]
fn broad_prefixes_and_fuzzy_terms_are_answered() {
    let env = Env::essay();
    for (query, status) in [
        ("a*", 0),
        ("t*", 0),
        ("a~2", 0),
        ("xx~2", 0),
        // (A prefix inside a phrase is refused, at once.)
        ("\"a* b\"~5", 2),
    ] {
        bounded(
            &env,
            &["search", "--count", "--", query],
            Duration::from_secs(10),
            status,
        );
    }
}

#[test]
fn a_100_kb_query_is_answered() {
    let env = Env::essay();
    let long = "nuclear ".repeat(14_000);
    let output = bounded(
        &env,
        &["search", "--count", "--", &long],
        Duration::from_secs(10),
        0,
    );
    assert_eq!(stdout(&output), "3\n");
}

#[cfg(unix)]
#[test]
fn invalid_utf8_arguments_and_nul_bytes_are_refused_or_read() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::essay();
    let output = env
        .cmd(&["search"])
        .arg(std::ffi::OsStr::from_bytes(b"nucl\xffear"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
    assert!(stderr(&output).contains("UTF-8"), "{}", stderr(&output));
    let output = env
        .cmd(&["search", "--batch", "-", "--json"])
        .write_stdin(&b"nuc\0lear\n\xff\xfe nuclear\nnuclear\n"[..])
        .output()
        .unwrap();
    // Each line is one query: `nuc\0lear` matches nothing, the invalid bytes are replaced (and
    // ignored, with a warning), and the other two queries match.
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!stderr(&output).contains("panicked"));
    let records = decode(&output.stdout);
    assert!(
        matches!(
            records.last(),
            Some(Record::Summary(Summary::Batch(BatchSummaryRecord {
                queries: 3,
                matched: 2,
                failed: 0,
                ..
            })))
        ),
        "{records:?}"
    );
}

#[test]
fn pathological_documents_ingest_in_bounded_time() {
    let env = Env::new();
    env.write("bigline.txt", "word ".repeat(1_600_000)); // 8 MB, one line
    env.write("seps.txt", "\n\n---\n\n....\n\n \t \n".repeat(20_000));
    let many: Vec<String> = (0..100_000).map(|i| format!("w{i}")).collect();
    env.write("many.txt", many.join("\n\n"));
    env.write(
        "nest.html",
        format!("{}deep{}", "<div>".repeat(3000), "</div>".repeat(3000)),
    );
    let bomb = format!(
        "{}quote\n\n{}{}\n\n{}x{}\n",
        "> ".repeat(3000),
        (0..2000)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect::<String>(),
        "[a]".repeat(20_000),
        "*".repeat(50_000),
        "*".repeat(50_000)
    );
    env.write("bomb.md", bomb);
    for file in [
        "bigline.txt",
        "seps.txt",
        "many.txt",
        "nest.html",
        "bomb.md",
    ] {
        let index = format!("idx-{file}");
        bounded(
            &env,
            &["--index", &index, "ingest", file],
            Duration::from_secs(60),
            0,
        );
    }
    let output = bounded(
        &env,
        &["--index", "idx-bigline.txt", "search", "--count", "word"],
        Duration::from_secs(10),
        0,
    );
    assert!(stdout(&output).trim().parse::<u64>().unwrap() >= 400);
    let output = bounded(
        &env,
        &["--index", "idx-many.txt", "search", "--count", "w99999"],
        Duration::from_secs(10),
        0,
    );
    assert_eq!(stdout(&output), "1\n");
    let output = bounded(
        &env,
        &["--index", "idx-nest.html", "search", "--count", "deep"],
        Duration::from_secs(10),
        0,
    );
    assert_eq!(stdout(&output), "1\n");
    let output = bounded(
        &env,
        &["--index", "idx-bomb.md", "search", "--count", "quote"],
        Duration::from_secs(10),
        0,
    );
    assert_eq!(stdout(&output), "1\n");
}

fn assert_damaged(env: &Env) {
    let output = bounded(env, &["search", "Pyongyang"], Duration::from_secs(10), 2);
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("/index") && err.contains("run `parafind ingest corpus` again"),
        "{err}"
    );
}

#[test]
fn a_deleted_segment_file_is_reported() {
    let env = Env::essay();
    let segment = std::fs::read_dir(env.path("index"))
        .unwrap()
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "idx"))
        .unwrap();
    std::fs::remove_file(segment.path()).unwrap();
    assert_damaged(&env);
}

#[test]
fn a_truncated_store_file_is_reported() {
    let env = Env::essay();
    let store = std::fs::read_dir(env.path("index"))
        .unwrap()
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "store"))
        .unwrap();
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(store.path())
        .unwrap();
    file.set_len(10).unwrap();
    assert_damaged(&env);
}

/// HTML nested 200,000 deep ingests in bounded time: tags past a depth limit are ignored (the
/// HTML parser's time grows with the square of the depth), their text kept.
#[test]
fn html_nested_200_000_deep_ingests_in_bounded_time() {
    let env = Env::new();
    let depth = 200_000;
    env.write(
        "deep.html",
        format!("{}buried{}", "<div>".repeat(depth), "</div>".repeat(depth)),
    );
    bounded(&env, &["ingest", "deep.html"], Duration::from_secs(20), 0);
    let output = bounded(
        &env,
        &["search", "--count", "buried"],
        Duration::from_secs(10),
        0,
    );
    assert_eq!(stdout(&output), "1\n");
}

/// A deleted positions file is reported when the index is opened, by search and by ingest
/// alike, naming the missing file and saying how to rebuild.
#[test]
fn a_deleted_positions_file_is_reported_at_open() {
    let env = Env::essay();
    let positions = std::fs::read_dir(env.path("index"))
        .unwrap()
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "pos"))
        .unwrap();
    std::fs::remove_file(positions.path()).unwrap();
    assert_damaged(&env);
    let output = bounded(&env, &["ingest"], Duration::from_secs(10), 2);
    let err = stderr(&output);
    assert!(
        err.contains(".pos, which its last commit needs, is missing"),
        "{err}"
    );
}

/// `--any` with a pasted paragraph repeated 200 times is answered in bounded time (repeats are
/// one weighted term, not one scorer per copy), with the same hits as the words given once.
#[test]
fn repeated_words_with_any_are_answered_in_bounded_time() {
    // 3,000 paragraphs of the phrase's words (the essay is too small to show the cost).
    let env = Env::new();
    env.write("p.txt", Words::new(5).paragraphs(3000));
    env.cmd(&["--index", "index", "ingest", "p.txt"])
        .assert()
        .success();
    let phrase =
        "alliance treaty deterrence nuclear peninsula security troops trade summit missile";
    let pasted = vec![phrase; 200].join(" ");
    let output = bounded(
        &env,
        &["search", "--any", "--json", "-n", "5", "--", &pasted],
        Duration::from_secs(10),
        0,
    );
    let (hits, _) = parse_json_lines(&output.stdout);
    let (once, _, _) = env.search_json(phrase, &["--any", "-n", "5"]);
    assert_eq!(paragraphs(&hits), paragraphs(&once));
}

#[test]
fn hits_with_huge_context_stream_in_bounded_memory() {
    // 600 paragraphs of 1 KB: each hit's context is the whole 600 KB file, so the 600 hits
    // with their context hold 360 MB; printed as they are read, one hit is in memory at once.
    let env = Env::new();
    let paragraph = format!("needle {}", "filler words here ".repeat(57));
    env.write("big.txt", vec![paragraph; 600].join("\n\n"));
    env.cmd(&["ingest", "big.txt"]).assert().success();
    let mut child = std::process::Command::new("prlimit")
        .arg("--data=200000000")
        .arg("--")
        .arg(assert_cmd::cargo::cargo_bin!("parafind"))
        .args(["search", "--json", "-n", "600", "-C", "600", "needle"])
        .current_dir(env.path(""))
        .env_remove("PARAFIND_INDEX")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start parafind under prlimit");
    let mut out = child.stdout.take().expect("stdout");
    let mut first = [0u8; 100];
    std::io::Read::read_exact(&mut out, &mut first).expect("output starts");
    assert!(first.starts_with(b"{\"type\":\"hit\""), "{first:?}");
    drop(out);
    let output = child.wait_with_output().expect("wait");
    // A closed pipe ends the search cleanly; running out of memory would abort it.
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// Runs parafind in `env` with `args` under `prlimit --data=BYTES`, so that holding more than
/// `bytes` of memory makes it abort.
fn limited(env: &Env, bytes: u64, args: &[&str]) -> std::process::Output {
    std::process::Command::new("prlimit")
        .arg(format!("--data={bytes}"))
        .arg("--")
        .arg(assert_cmd::cargo::cargo_bin!("parafind"))
        .args(args)
        .current_dir(env.path(""))
        .env_remove("PARAFIND_INDEX")
        .output()
        .expect("run parafind under prlimit")
}

#[test]
fn a_json_lines_record_over_the_limit_is_skipped_unread() {
    // Between two records, a line of 66 MiB, over the 64 MiB limit for one record: it is never
    // held whole (read whole, the line and its text would take 200 MB), and the records around
    // it are indexed.
    let env = Env::new();
    let mut text =
        String::from("{\"id\": \"a\", \"text\": \"first alpha\"}\n{\"id\": \"big\", \"text\": \"");
    text.push_str(&"x ".repeat(33 << 20));
    text.push_str("\"}\n{\"id\": \"c\", \"text\": \"third alpha\"}\n");
    env.write("c.jsonl", text);
    let output = limited(
        &env,
        250_000_000,
        &["ingest", "--memory", "20M", "-j", "1", "--jsonl", "c.jsonl"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(
            "c.jsonl: line 2: record longer than 64 MiB, the limit for one record; skipped"
        ),
        "{}",
        stderr(&output)
    );
    let (hits, _, _) = env.search_json("alpha", &[]);
    let mut paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
    paths.sort();
    assert_eq!(paths.len(), 2);
    assert!(
        paths[0].ends_with("c.jsonl#a") && paths[1].ends_with("c.jsonl#c"),
        "{paths:?}"
    );
}

#[test]
fn tiny_paragraphs_by_the_hundred_thousand_stay_within_the_memory_budget() {
    // 300,000 one-word paragraphs: each costs far more as a document than as text, so a bound
    // on text alone queued them all at once (215 MB peak; 80 MB now).
    let env = Env::new();
    let text: String = (0..300_000).map(|i| format!("w{}\n\n", i % 1000)).collect();
    env.write("tiny.txt", text);
    let output = limited(
        &env,
        150_000_000,
        &["ingest", "--memory", "20M", "-j", "1", "tiny.txt"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let (_, summary, _) = env.search_json("w7", &["-n", "1"]);
    assert_eq!(summary.total, 300);
}

#[test]
fn an_ingest_past_the_file_size_limit_says_so_and_keeps_the_last_commit() {
    // `ulimit -f`: the write past the limit fails (the signal that would kill the process is
    // ignored), and the ingest is said and cleaned up as one that met a full disk.
    let env = Env::new();
    env.write("first.txt", "a first committed paragraph\n");
    env.cmd(&["ingest", "first.txt"]).assert().success();
    let words = [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
    ];
    for file in 0..200 {
        let text: Vec<String> = (0..40)
            .map(|p| format!("{} {file} {p}", words.repeat(10).join(" ")))
            .collect();
        env.write(&format!("docs/f{file}.txt"), text.join("\n\n"));
    }
    let output = std::process::Command::new("prlimit")
        .arg("--fsize=100000")
        .arg("--")
        .arg(assert_cmd::cargo::cargo_bin!("parafind"))
        .args(["ingest", "docs"])
        .current_dir(env.path(""))
        .env_remove("PARAFIND_INDEX")
        .output()
        .expect("run parafind under prlimit");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output)
            .contains("grew past the file-size limit (ulimit -f); the index keeps its last commit"),
        "{}",
        stderr(&output)
    );
    env.cmd(&["check"]).assert().success();
    let (hits, _, _) = env.search_json("committed", &[]);
    assert_eq!(hits.len(), 1);
    let (hits, _, _) = env.search_json("epsilon", &[]);
    assert!(
        hits.is_empty(),
        "nothing of the failed ingest is searchable"
    );
    // Without the limit, the same ingest goes through.
    env.cmd(&["ingest", "docs"]).assert().success();
    let (hits, _, _) = env.search_json("epsilon", &[]);
    assert!(!hits.is_empty());
}
