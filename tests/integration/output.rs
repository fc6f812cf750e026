//! Output formats: colour only when asked or on a terminal, safe text, help that teaches.

use crate::util::*;

#[test]
fn piped_output_has_no_escape_codes_unless_forced() {
    let env = Env::essay();
    let plain = env.run(&["search", "nuclear"]);
    assert!(!plain.stdout.contains(&0x1b));
    let forced = stdout(&env.run(&["search", "--color", "always", "nuclear"]));
    assert!(
        forced.contains("\x1b[1m\x1b[31mnuclear\x1b[0m"),
        "{forced:?}"
    );
    let never = env.run(&["search", "--color", "never", "nuclear"]);
    assert_eq!(never.stdout, plain.stdout);
    let no_color = env
        .cmd(&["search", "--color", "auto", "nuclear"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(no_color.stdout, plain.stdout);
}

#[test]
fn escape_sequences_in_documents_never_reach_the_terminal() {
    let env = Env::new();
    env.write(
        "evil.txt",
        "pwned \x1b]0;title\x07 \x1b[2J clear \u{202E}reversed\n",
    );
    env.cmd(&["ingest", "evil.txt"]).assert().success();
    for color in ["never", "always"] {
        let out = stdout(&env.run(&["search", "--color", color, "pwned"]));
        assert!(out.contains("\\u{1b}]0;title\\u{7}"), "{out:?}");
        assert!(out.contains("\\u{202e}reversed"), "{out:?}");
        assert!(!out.contains("\x1b]") && !out.contains("\x1b[2J") && !out.contains('\u{202E}'));
    }
    // JSON keeps the exact text: escaping is the JSON encoder's job, bidi overrides included.
    let (hits, _, _) = env.search_json("pwned", &[]);
    assert!(hits[0].text.contains("\x1b[2J"));
    assert!(hits[0].text.contains("\u{202E}reversed"));
    let json = stdout(&env.run(&["search", "--json", "pwned"]));
    assert!(json.contains("\\u202ereversed"), "{json}");
    assert!(
        !json.contains('\u{202E}') && !json.contains('\x1b'),
        "{json}"
    );
    // A line separator breaks no line of human output, and a batch query's id is shown safe.
    env.write("lines.txt", "first\u{2028}second zebra\n");
    env.cmd(&["ingest", "lines.txt"]).assert().success();
    let out = stdout(&env.run(&["search", "--color", "never", "zebra"]));
    assert!(out.contains("first\\u{2028}second"), "{out:?}");
    env.write("batch.jsonl", "{\"id\":\"\u{202E}X\",\"query\":\"\\\"\"}\n");
    let batch = env.run(&["search", "--batch", "batch.jsonl"]);
    let errors = String::from_utf8_lossy(&batch.stderr).into_owned();
    assert!(errors.contains("query \"\\u{202e}X\": "), "{errors}");
    assert!(!errors.contains('\u{202E}'), "{errors}");
}

#[test]
fn help_teaches_by_example() {
    let env = Env::new();
    let help = stdout(&env.run(&["search", "--help"]));
    for needle in [
        "\"nuclear sharing\"",
        "nuclear -China",
        "OR",
        "--json",
        "--limit",
        "--color",
    ] {
        assert!(help.contains(needle), "search --help lacks {needle}");
    }
    let top = env.run(&["--help"]);
    assert_eq!(top.status.code(), Some(0));
    assert!(stdout(&top).contains("Exit status: 0 when something matched"));
}

#[test]
fn json_records_are_one_object_per_line_with_the_documented_fields() {
    let env = Env::essay();
    let output = env.run(&["search", "--json", "deterrence"]);
    let (hits, summary) = parse_json_lines(&output.stdout);
    assert_eq!(summary.schema, 3);
    assert_eq!(summary.hits, hits.len());
    assert!(summary.elapsed_ms >= 0.0);
    assert!(hits
        .iter()
        .all(|h| h.path == "corpus/us-korea-alliance.txt"));
    assert!(hits.iter().all(|h| h.score > 0.0));
}

/// A newline in a file name or a record id printed raw forged a second line in human output,
/// `list` and `-l`; it is escaped like the other control characters.
#[cfg(unix)]
#[test]
fn newlines_in_names_cannot_forge_lines() {
    let env = Env::new();
    env.write("docs/evil\nFAKE.txt", "quagga stripes\n");
    env.write(
        "records.jsonl",
        "{\"id\": \"one\\nFORGED\", \"text\": \"quagga herd\"}\n",
    );
    env.cmd(&["ingest", "docs"]).assert().success();
    env.cmd(&["ingest", "--jsonl", "records.jsonl"])
        .assert()
        .success();
    for args in [
        &["search", "--color", "never", "quagga"][..],
        &["search", "-l", "quagga"][..],
        &["list"][..],
    ] {
        let out = stdout(&env.run(args));
        assert!(out.contains("evil\\u{a}FAKE.txt"), "{args:?}: {out}");
        assert!(out.contains("one\\u{a}FORGED"), "{args:?}: {out}");
        assert!(
            !out.lines()
                .any(|l| l.starts_with("FAKE") || l.starts_with("FORGED")),
            "{args:?}: {out}"
        );
    }
}
