//! Adversarial input: pathological queries and documents get an answer or a clear refusal in
//! bounded time and memory, never a panic; a damaged index is reported, never panicked on. Time
//! bounds are ten times what a debug build takes here: they catch runaway work, they are not
//! benchmarks.

use std::time::{Duration, Instant};

use crate::util::*;

fn essay() -> Env {
    let env = Env::with_corpus();
    env.ingest_corpus();
    env
}

/// Runs parafind and checks it finished within `limit`, without a panic, with a status in 0..=2
/// and at most one line on stderr per warning or error.
fn bounded(env: &Env, args: &[&str], limit: Duration) -> std::process::Output {
    let started = Instant::now();
    let output = env.run(args);
    let took = started.elapsed();
    assert!(took < limit, "{args:?} took {took:?}");
    let err = stderr(&output);
    assert!(
        !err.contains("panicked") && !err.contains("internal error"),
        "{err}"
    );
    assert!(
        matches!(output.status.code(), Some(0..=2)),
        "{:?}: {err}",
        output.status
    );
    output
}

#[test]
fn thousands_of_terms_are_answered() {
    let env = essay();
    let words: Vec<String> = (0..3000).map(|i| format!("w{i}")).collect();
    let all = words.join(" ");
    let output = bounded(&env, &["search", "-F", "--", &all], Duration::from_secs(10));
    assert_eq!(output.status.code(), Some(1));
    let any = format!("{all} nuclear");
    let output = bounded(
        &env,
        &["search", "-F", "--any", "--", &any],
        Duration::from_secs(10),
    );
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn deep_nesting_is_refused_clearly() {
    let env = essay();
    let deep = format!("{}nuclear{}", "(".repeat(10_000), ")".repeat(10_000));
    let output = bounded(&env, &["search", "--", &deep], Duration::from_secs(5));
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("parentheses nest deeper than 100 levels"));
    let negations = format!("{}nuclear", "NOT ".repeat(10_000));
    bounded(&env, &["search", "--", &negations], Duration::from_secs(5));
}

#[test]
fn broad_prefixes_and_fuzzy_terms_are_answered() {
    let env = essay();
    for query in ["a*", "t*", "a~2", "xx~2", "\"a* b\"~5"] {
        bounded(
            &env,
            &["search", "--count", "--", query],
            Duration::from_secs(10),
        );
    }
}

#[test]
fn a_100_kb_query_is_answered() {
    let env = essay();
    let long = "nuclear ".repeat(14_000);
    let output = bounded(
        &env,
        &["search", "--count", "--", &long],
        Duration::from_secs(10),
    );
    assert_eq!(stdout(&output), "3\n");
}

#[cfg(unix)]
#[test]
fn invalid_utf8_arguments_and_nul_bytes_are_refused_or_read() {
    use std::os::unix::ffi::OsStrExt;
    let env = essay();
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
    assert!(matches!(output.status.code(), Some(0..=2)));
    assert!(!stderr(&output).contains("panicked"));
    let summary = stdout(&output)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    assert!(summary.contains("\"queries\":3"), "{summary}");
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
        let output = bounded(
            &env,
            &["--index", &index, "ingest", file],
            Duration::from_secs(60),
        );
        assert_eq!(output.status.code(), Some(0), "{file}: {}", stderr(&output));
    }
    let output = bounded(
        &env,
        &["--index", "idx-bigline.txt", "search", "--count", "word"],
        Duration::from_secs(10),
    );
    assert!(stdout(&output).trim().parse::<u64>().unwrap() >= 400);
    let output = bounded(
        &env,
        &["--index", "idx-many.txt", "search", "--count", "w99999"],
        Duration::from_secs(10),
    );
    assert_eq!(stdout(&output), "1\n");
    let output = bounded(
        &env,
        &["--index", "idx-nest.html", "search", "--count", "deep"],
        Duration::from_secs(10),
    );
    assert_eq!(stdout(&output), "1\n");
    let output = bounded(
        &env,
        &["--index", "idx-bomb.md", "search", "--count", "quote"],
        Duration::from_secs(10),
    );
    assert_eq!(stdout(&output), "1\n");
}

fn assert_damaged(env: &Env) {
    let output = bounded(env, &["search", "Pyongyang"], Duration::from_secs(10));
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("index at index") && err.contains("run `parafind ingest` again"),
        "{err}"
    );
}

#[test]
fn a_deleted_segment_file_is_reported() {
    let env = essay();
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
    let env = essay();
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

/// The HTML parser's time grew with the square of the nesting depth (200,000 nested `<div>`s
/// took over a minute): tags past a depth limit are ignored, their text kept.
#[test]
fn html_nested_200_000_deep_ingests_in_bounded_time() {
    let env = Env::new();
    let depth = 200_000;
    env.write(
        "deep.html",
        format!("{}buried{}", "<div>".repeat(depth), "</div>".repeat(depth)),
    );
    let output = bounded(&env, &["ingest", "deep.html"], Duration::from_secs(20));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = bounded(
        &env,
        &["search", "--count", "buried"],
        Duration::from_secs(10),
    );
    assert_eq!(stdout(&output), "1\n");
}

/// A deleted positions file went unnoticed until a phrase query ("Data corrupted … Has the
/// schema been modified?"), and ingest then reported every file unchanged with exit 0. Both
/// now name the missing file and say how to rebuild.
#[test]
fn a_deleted_positions_file_is_reported_at_open() {
    let env = essay();
    let positions = std::fs::read_dir(env.path("index"))
        .unwrap()
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "pos"))
        .unwrap();
    std::fs::remove_file(positions.path()).unwrap();
    assert_damaged(&env);
    let output = bounded(&env, &["ingest"], Duration::from_secs(10));
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains(".pos, which its last commit needs, is missing"),
        "{err}"
    );
}

/// `--any` with a pasted paragraph repeated: every copy of a word was its own scorer, so
/// block-max WAND walked them all in step (a 10-word phrase 200 times took 51 s). Repeats are
/// one weighted term now, and rank as before: the same hits as the words given once.
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
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let (hits, _) = parse_json_lines(&output.stdout);
    let (once, _, _) = env.search_json(phrase, &["--any", "-n", "5"]);
    assert_eq!(paragraphs(&hits), paragraphs(&once));
}
