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
    // Every format is named where --format is told.
    assert!(
        help.contains("html (a standalone page) or vimgrep"),
        "{help}"
    );
    // The terminal UI's context flags size its preview; it has no `show` to speak of.
    let tui = stdout(&env.run(&["tui", "--help"]));
    assert!(
        tui.contains("after the selected hit in the preview"),
        "{tui}"
    );
    assert!(!tui.contains("for `show`"), "{tui}");
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

#[test]
fn neighbouring_hits_share_their_context_once_in_file_order() {
    let env = Env::new();
    env.write(
        "a.txt",
        "alpha one\n\nbeta two\n\nalpha three\n\ngamma four\n\nalpha five\n\ndelta six\n\n\
         epsilon seven\n\nzeta eight\n\nalpha nine\n",
    );
    env.cmd(&["ingest", "a.txt"]).assert().success();
    let out = stdout(&env.run(&["search", "--color", "never", "-C", "1", "alpha"]));
    // Paragraphs 1 to 6 are one block (the hits' neighbourhoods overlap), 8 and 9 another:
    // no paragraph twice, and no hit shown as another's context.
    assert_eq!(
        out,
        "a.txt\n¶1, line 1: alpha one\n¶2, line 3- beta two\n¶3, line 5: alpha three\n\
         ¶4, line 7- gamma four\n¶5, line 9: alpha five\n¶6, line 11- delta six\n\n\
         ¶8, line 15- zeta eight\n¶9, line 17: alpha nine\n"
    );
    let html = stdout(&env.run(&["search", "--format", "html", "-B", "1", "alpha"]));
    assert_eq!(html.matches("<div class=\"block\">").count(), 2, "{html}");
    assert_eq!(html.matches("data-paragraph=\"2\"").count(), 1, "{html}");
    assert_eq!(html.matches("class=\"context\"").count(), 3, "{html}");
    // Machine output keeps each hit's own neighbours.
    let (records, _) = env.records(&["search", "--json", "-C", "1", "alpha"]);
    let contexts = records
        .iter()
        .filter(|r| matches!(r, Record::Context(_)))
        .count();
    assert_eq!(contexts, 6, "{records:?}");
}

/// A saved page says what stderr says: a file changed since it was indexed (its hits may not
/// be what the file holds now) and "did you mean", escaped.
#[test]
fn an_html_page_carries_stale_file_warnings_and_did_you_mean() {
    let env = Env::new();
    env.write("a<b>.txt", "the walrus sleeps\n");
    env.cmd(&["ingest", "a<b>.txt"]).assert().success();
    std::thread::sleep(std::time::Duration::from_millis(20));
    env.write("a<b>.txt", "the walrus sleeps, edited\n");
    let page = stdout(&env.run(&["search", "--format", "html", "walrus"]));
    let warnings = page
        .lines()
        .skip_while(|l| *l != "<ul class=\"warnings\">")
        .nth(1)
        .unwrap_or_default();
    assert!(
        warnings.starts_with("<li>a&lt;b&gt;.txt changed since it was indexed"),
        "{page}"
    );
    let missed = stdout(&env.run(&["search", "--format", "html", "walrsu"]));
    assert!(
        missed.contains("<p class=\"suggestion\">did you mean: <q>walrus</q></p>"),
        "{missed}"
    );
    env.cmd(&["ingest", "a<b>.txt"]).assert().success();
    let clean = stdout(&env.run(&["search", "--format", "html", "walrus"]));
    assert!(!clean.contains("warnings"), "{clean}");
}

#[test]
fn html_snippets_follow_max_chars() {
    let env = Env::new();
    let filler = "word ".repeat(200);
    env.write("long.txt", format!("{filler}needle {filler}\n"));
    env.cmd(&["ingest", "long.txt"]).assert().success();
    let whole = stdout(&env.run(&["search", "--format", "html", "needle"]));
    assert!(!whole.contains('…'), "{whole}");
    assert!(whole.contains(&filler));
    let cut = stdout(&env.run(&["search", "--format", "html", "--max-chars", "60", "needle"]));
    let hit = cut.lines().find(|l| l.contains("class=\"hit\"")).unwrap();
    assert!(hit.contains("…") && hit.contains("<mark data-term=\"needle\">needle</mark>"));
    let shown = hit.split("</span> ").nth(1).unwrap();
    assert!(shown.chars().count() < 60 + "<mark data-term=\"needle\"></mark></p>".len() + 2);
    // Neighbours are cut to the budget too, as in text output.
    env.write("long.txt", format!("{filler}\n\nneedle\n"));
    env.cmd(&["ingest", "long.txt"]).assert().success();
    let cut = stdout(&env.run(&[
        "search",
        "--format",
        "html",
        "--max-chars",
        "60",
        "-B",
        "1",
        "needle",
    ]));
    let context = cut
        .lines()
        .find(|l| l.contains("class=\"context\""))
        .unwrap();
    assert!(context.contains('…') && context.len() < 200, "{context}");
}

#[test]
fn a_lone_carriage_return_before_a_match_still_parts_the_words() {
    // Classic Mac OS line ends (`\r`) and a stray `\r`: the text before a highlight that
    // starts right after one ends with it, and it still shows as a break, not as nothing.
    let env = Env::new();
    env.write("mac.txt", "alpha one\rbeta two\rgamma three\r\rdelta\r");
    env.write("stray.txt", "Carriage\rreturn word inside.\n");
    env.cmd(&["ingest", "mac.txt", "stray.txt"])
        .assert()
        .success();
    let snippet = stdout(&env.run(&["search", "beta"]));
    assert!(
        snippet.contains("alpha one beta two gamma three"),
        "{snippet}"
    );
    let full = stdout(&env.run(&["search", "--full", "beta"]));
    assert!(full.contains("alpha one\nbeta two\ngamma three"), "{full}");
    let page = stdout(&env.run(&["search", "--format", "html", "return"]));
    assert!(
        page.contains("Carriage\n<mark data-term=\"return\">return</mark> word"),
        "{page}"
    );
}

#[test]
fn piped_file_lists_and_quickfix_lines_name_files_by_their_real_names() {
    // As ripgrep prints them: `xargs` and `vim -q` need names that exist. What would act on
    // a terminal reading the output (an escape sequence, a line break) is escaped still.
    let env = Env::new();
    let names = [
        "soft\u{ad}hyphen.txt",
        "rtl\u{200f}mark.txt",
        "zwj\u{200d}x.txt",
    ];
    for name in names {
        env.write(&format!("docs/{name}"), "quokka here\n");
    }
    env.write("docs/line\nbreak.txt", "quokka too\n");
    env.write("docs/esc\u{1b}[2Jx.txt", "quokka too\n");
    env.cmd(&["ingest", "docs"]).assert().success();
    let listed = stdout(&env.run(&["search", "-l", "quokka"]));
    let mut lines: Vec<&str> = listed.lines().collect();
    lines.sort();
    let mut wanted: Vec<String> = names.iter().map(|n| format!("docs/{n}")).collect();
    wanted.push("docs/line\\u{a}break.txt".into());
    wanted.push("docs/esc\\u{1b}[2Jx.txt".into());
    wanted.sort();
    assert_eq!(lines, wanted);
    for name in names {
        assert!(env.path(&format!("docs/{name}")).exists());
    }
    let quickfix = stdout(&env.run(&["search", "--vimgrep", "quokka"]));
    for name in names {
        assert!(
            quickfix.contains(&format!("docs/{name}:1:1:quokka here\n")),
            "{quickfix:?}"
        );
    }
}

#[test]
fn the_html_page_refuses_explain_which_it_does_not_print() {
    let env = Env::essay();
    let output = env.run(&["search", "--format", "html", "--explain", "nuclear"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(
            "--explain shows why each hit scores what it does, which the HTML page does not print"
        ),
        "{}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty());
    let scored = env.run(&["search", "--format", "html", "--score", "nuclear"]);
    assert!(scored.status.success());
    assert!(stdout(&scored).contains("data-score=\""));
}

/// A document's first paragraph found through its title shows the title with the query's
/// words marked (in text, HTML and JSON); where the text holds every matched word too, text and
/// HTML leave the title out.
#[test]
fn a_hit_found_through_its_title_shows_the_title_marked() {
    let env = Env::new();
    env.write(
        "c.jsonl",
        concat!(
            r#"{"id":"a1","title":"Walrus \u001b[2J migration","text":"They travel north in spring.\n\nBack in autumn."}"#,
            "\n",
            r#"{"id":"a2","title":"Walrus notes","text":"A walrus was seen in spring."}"#,
            "\n",
        ),
    );
    env.cmd(&["ingest", "--jsonl", "c.jsonl"])
        .assert()
        .success();
    let text = stdout(&env.run(&["search", "--highlight", "markers", "walrus spring"]));
    assert!(
        text.contains("¶1, line 1 · title “**Walrus** \\u{1b}[2J migration”: They travel north in **spring**."),
        "{text}"
    );
    assert!(
        text.contains("¶1, line 1: A **walrus** was seen in **spring**."),
        "{text}"
    );
    // Coloured: the title's word is marked as the text's are, and nothing else changes colour.
    let colored = stdout(&env.run(&["search", "--color", "always", "walrus", "-g", "*#a1"]));
    assert!(
        colored.contains("\x1b[1m\x1b[31mWalrus\x1b[0m"),
        "{colored:?}"
    );
    let html = stdout(&env.run(&["search", "--format", "html", "walrus spring"]));
    let titles: Vec<&str> = html
        .lines()
        .filter(|line| line.contains("class=\"title\""))
        .collect();
    assert_eq!(titles.len(), 1, "{html}");
    assert!(
        titles[0]
            .contains("<span class=\"title\">title “<mark data-term=\"walrus\">Walrus</mark> "),
        "{html}"
    );
    // JSON: the title's spans, offsets into the title; none on a later paragraph, which was
    // indexed without the title.
    let (hits, _, _) = env.search_json("walrus", &[]);
    let spans: Vec<(String, Vec<(usize, usize)>)> = hits
        .iter()
        .map(|hit| {
            let spans = hit.title_highlights.as_deref().unwrap_or_default();
            (
                hit.path.clone(),
                spans.iter().map(|s| (s.start, s.end)).collect(),
            )
        })
        .collect();
    assert!(
        spans.contains(&("c.jsonl#a1".to_string(), vec![(0, 6)])),
        "{spans:?}"
    );
    let (later, _, _) = env.search_json("autumn", &[]);
    assert_eq!(later[0].title_highlights.as_ref().map(Vec::len), Some(0));
}
