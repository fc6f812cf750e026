//! Bad input: exit status 2, one clear line on stderr, no panic, and the index keeps answering.

use crate::util::*;

fn assert_clean_failure(output: &std::process::Output, expected: &str) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "not one line: {err}");
    assert!(err.starts_with("parafind: "), "{err}");
    assert!(err.contains(expected), "expected {expected:?} in {err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn assert_index_still_answers(env: &Env) {
    let (hits, _, status) = env.search_json("Pyongyang", &[]);
    assert_eq!(status, 0);
    assert_eq!(sorted_paragraphs(&hits), [1, 3]);
}

#[test]
fn syntax_errors_exit_2_and_say_what_is_wrong() {
    let env = Env::with_corpus();
    env.ingest_corpus();
    let cases = [
        ("\"nuclear sharing", "unclosed quote at column 1"),
        ("nuclear AND", "AND at column 9 has nothing after it"),
        ("OR nuclear", "OR at column 1 has nothing before it"),
        ("(nuclear", "unclosed `(` at column 1"),
        ("nuclear)", "unmatched `)` at column 8"),
        ("— …", "has no searchable words"),
    ];
    for (query, expected) in cases {
        assert_clean_failure(&env.run(&["search", "--", query]), expected);
        assert_clean_failure(&env.run(&["search", "--json", "--", query]), expected);
    }
    assert_index_still_answers(&env);
}

#[test]
fn missing_path_fails_before_touching_the_index() {
    let env = Env::with_corpus();
    env.ingest_corpus();
    let output = env.run(&["ingest", "corpus", "no/such/dir"]);
    assert_clean_failure(&output, "no/such/dir: no such file or directory");
    assert_index_still_answers(&env);
    let fresh = Env::new();
    assert_clean_failure(&fresh.run(&["ingest"]), "corpus: no such file or directory");
    assert!(
        !fresh.path("index").exists(),
        "a failed first ingest created an index"
    );
}

#[test]
fn index_path_that_is_a_file_is_refused() {
    let env = Env::with_corpus();
    env.write("not-a-dir", "hello");
    for args in [
        &["--index", "not-a-dir", "ingest"][..],
        &["--index", "not-a-dir", "search", "Pyongyang"][..],
    ] {
        assert_clean_failure(&env.run(args), "index path not-a-dir is not a directory");
    }
    assert_eq!(
        std::fs::read_to_string(env.path("not-a-dir")).unwrap(),
        "hello"
    );
    env.ingest_corpus();
    assert_index_still_answers(&env);
}

#[test]
fn searching_where_there_is_no_index_says_how_to_make_one() {
    let env = Env::new();
    assert_clean_failure(
        &env.run(&["search", "anything"]),
        "no index at index; create one with `parafind ingest PATH...`",
    );
    std::fs::create_dir(env.path("empty")).unwrap();
    assert_clean_failure(
        &env.run(&["--index", "empty", "search", "x"]),
        "no index at empty",
    );
}

#[test]
fn a_damaged_index_is_reported_not_panicked_on() {
    let env = Env::with_corpus();
    env.ingest_corpus();
    env.write("index/meta.json", "{ this is not json");
    assert_clean_failure(
        &env.run(&["search", "Pyongyang"]),
        "cannot use the index at index",
    );
}

#[test]
fn bad_flags_get_one_line_naming_the_flag() {
    let env = Env::with_corpus();
    assert_clean_failure(&env.run(&["search", "-n", "0", "x"]), "--limit");
    assert_clean_failure(&env.run(&["search", "--color", "purple", "x"]), "--color");
    assert_clean_failure(&env.run(&["search", "--bogus", "x"]), "--bogus");
    assert_clean_failure(&env.run(&["search"]), "not provided: <QUERY>");
}
