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

/// JSON Lines exactly as printed, but with the value of `elapsed_ms` replaced by 0.
fn without_timing(json_lines: &str) -> String {
    const KEY: &str = "\"elapsed_ms\":";
    json_lines
        .lines()
        .map(|line| match line.split_once(KEY) {
            Some((before, after)) => {
                let rest = after.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
                format!("{before}{KEY}0{rest}")
            }
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
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
