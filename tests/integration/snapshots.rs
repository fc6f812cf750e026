//! Snapshots of every output format on the essay, so any change to what users see is reviewed.
//! What varies between runs is replaced by insta filters before comparing: JSON timings
//! (`elapsed_ms`) by 0, and doc ids (derived from the temporary directory's path) by "ID".

use crate::util::*;

fn run(env: &Env, args: &[&str]) -> String {
    let output = env.run(args);
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

const QUERY: &str = "\"nuclear sharing\" OR Pyongyang";

#[test]
fn human_without_colour() {
    let env = Env::essay();
    insta::assert_snapshot!(run(&env, &["search", "--color", "never", QUERY]));
}

#[test]
fn human_with_colour() {
    let env = Env::essay();
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
    let env = Env::essay();
    insta::assert_snapshot!(run(
        &env,
        &["search", "--highlight", "markers", "--full", QUERY]
    ));
}

#[test]
fn html_page() {
    let env = Env::essay();
    insta::assert_snapshot!(run(&env, &["search", "--format", "html", QUERY]));
}

#[test]
fn json_lines() {
    let env = Env::essay();
    insta::with_settings!({ filters => vec![
        (r#""elapsed_ms":[0-9.]+"#, r#""elapsed_ms":0"#),
        (r#""doc_id":"[0-9a-f]{16}""#, r#""doc_id":"ID""#),
    ] }, {
        insta::assert_snapshot!(run(&env, &["search", "--json", "-B", "1", QUERY]));
    });
}
