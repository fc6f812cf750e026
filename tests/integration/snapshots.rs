//! Snapshots of every output format on the essay, so any change to what users see is reviewed.
//! Timings are the only part that varies between runs; they are zeroed before comparing.

use crate::util::*;

fn essay() -> Env {
    let env = Env::with_corpus();
    env.ingest_corpus();
    env
}

fn run(env: &Env, args: &[&str]) -> String {
    let output = env.run(args);
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

/// JSON Lines exactly as printed, but with what differs between runs replaced: `elapsed_ms`
/// by 0 and `doc_id` (derived from the temporary directory's path) by "ID".
fn without_timing(json_lines: &str) -> String {
    json_lines
        .lines()
        .map(|line| {
            let line = replace_value(
                line,
                "\"elapsed_ms\":",
                |c| c.is_ascii_digit() || c == '.',
                "0",
            );
            replace_value(
                &line,
                "\"doc_id\":",
                |c| c.is_ascii_hexdigit() || c == '"',
                "\"ID\"",
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Replaces the value after every `key` (the characters accepted by `in_value`) with `with`.
fn replace_value(line: &str, key: &str, in_value: fn(char) -> bool, with: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some((before, after)) = rest.split_once(key) {
        out.push_str(before);
        out.push_str(key);
        out.push_str(with);
        rest = after.trim_start_matches(in_value);
    }
    out.push_str(rest);
    out
}

const QUERY: &str = "\"nuclear sharing\" OR Pyongyang";

#[test]
fn human_without_colour() {
    let env = essay();
    insta::assert_snapshot!(run(&env, &["search", "--color", "never", QUERY]));
}

#[test]
fn human_with_colour() {
    let env = essay();
    insta::assert_snapshot!(run(
        &env,
        &[
            "search",
            "--color",
            "always",
            "-C",
            "1",
            "--max-chars",
            "120",
            QUERY
        ]
    ));
}

#[test]
fn human_with_markdown_markers() {
    let env = essay();
    insta::assert_snapshot!(run(
        &env,
        &["search", "--highlight", "markers", "--full", QUERY]
    ));
}

#[test]
fn html_page() {
    let env = essay();
    insta::assert_snapshot!(run(&env, &["search", "--format", "html", QUERY]));
}

#[test]
fn json_lines() {
    let env = essay();
    insta::assert_snapshot!(without_timing(&run(
        &env,
        &["search", "--json", "-B", "1", QUERY]
    )));
}
