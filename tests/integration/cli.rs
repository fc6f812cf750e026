//! The command line as people coming from ripgrep use it (#19): several words are one query,
//! pasted text is quiet, and a closed pipe is a clean exit.

use crate::util::*;

#[test]
fn several_words_are_one_query() {
    let env = Env::essay();
    let quoted = env.run(&["search", "nuclear deterrence"]);
    let words = env.run(&["search", "nuclear", "deterrence"]);
    assert_eq!(words.status.code(), Some(0), "{}", stderr(&words));
    assert_eq!(stdout(&words), stdout(&quoted));
    // `--` still ends the options, so a query may start with `-`.
    let excluded = env.run(&["search", "--count", "--", "-China", "nuclear"]);
    let together = env.run(&["search", "--count", "--", "-China nuclear"]);
    assert_eq!(stdout(&excluded), stdout(&together));
    assert_ne!(stdout(&excluded).trim(), "0");
}

#[test]
fn a_query_and_a_batch_do_not_mix() {
    let env = Env::essay();
    let output = env.run(&["search", "--batch", "-", "nuclear"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
}

#[test]
fn literal_pasted_text_drops_symbols_quietly_but_json_records_them() {
    let env = Env::essay();
    let pasted = "nuclear — ++ (deterrence) ** ~~ &&";
    let output = env.run(&["search", "-F", "--any", pasted]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stderr(&output), "", "literal mode stays quiet");
    let (records, _) = env.records(&["search", "--json", "-F", "--any", pasted]);
    let warnings = records
        .iter()
        .filter(|r| matches!(r, Record::Warning(_)))
        .count();
    assert!(warnings >= 2, "{records:?}");
    // Without -F the same drop is said.
    let output = env.run(&["search", "nuclear —"]);
    assert!(stderr(&output).contains("holds no searchable word"));
}

#[test]
fn a_closed_pipe_ends_completions_and_search_cleanly() {
    let env = Env::essay();
    for args in [
        &["completions", "bash"][..],
        &["man"][..],
        &["search", "-n", "50", "-C", "3", "the"][..],
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("parafind"))
            .current_dir(env.path(""))
            .env_remove("PARAFIND_INDEX")
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start parafind");
        // The reader is gone before anything is written.
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("wait");
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("internal error"), "{args:?}: {err}");
    }
}

#[test]
fn memory_sizes_are_checked_against_what_the_writer_needs() {
    let env = Env::new();
    env.write("a.txt", "alpha\n");
    for (size, says) in [
        (
            "1K",
            "`1K` is less than 15M, the least one indexing thread needs",
        ),
        ("2000G", "`2000G` is more than 1024G"),
        ("12X", "`12X` has an unknown unit (use K, M or G)"),
    ] {
        let output = env.run(&["ingest", "--memory", size, "a.txt"]);
        assert_eq!(output.status.code(), Some(2), "{size}");
        let message = stderr(&output);
        assert!(
            message.contains("--memory") && message.contains(says),
            "{message}"
        );
    }
    assert!(!env.path("index/meta.json").exists(), "nothing was written");
    let output = env.run(&["ingest", "--memory", "15M", "a.txt"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn unsupported_syntax_is_an_error_that_says_what_to_write() {
    let env = Env::essay();
    for (query, says) in [
        ("*ance", "a `*` may only end a word"),
        ("allian?e", "`?` wildcards are not supported"),
        ("nuclear^2", "boosts (`^2`) are not supported"),
        ("foo:bar", "`foo:` is not a field"),
        ("nuc*~", "either a prefix (nuc*) or fuzzy"),
        ("path: nuclear", "`path:` at column 1 needs a glob"),
    ] {
        let output = env.run(&["search", query]);
        assert_eq!(output.status.code(), Some(2), "{query}");
        let message = stderr(&output);
        assert_eq!(message.lines().count(), 1, "{message}");
        assert!(
            message.contains(query) && message.contains(says),
            "{message}"
        );
    }
}

#[test]
fn a_bare_tilde_allows_edits_by_word_length() {
    let env = Env::essay();
    let count = |query: &str| {
        let output = env.run(&["search", "--count", query]);
        stdout(&output).trim().parse::<u64>().unwrap_or(0)
    };
    // `nuc` has three letters: one edit, not two (two let it match `not`, `new`, `but` ...).
    assert_eq!(count("nuc~"), count("nuc~1"));
    assert!(
        count("nuc~") < count("nuc~2"),
        "{} {}",
        count("nuc~"),
        count("nuc~2")
    );
    // Long words get two edits.
    assert_eq!(count("Pyongyng~"), count("Pyongyng~2"));
    assert!(count("Pyongyng~") > 0);
}

#[test]
fn every_command_has_a_manual_page() {
    let env = Env::new();
    let search = env.run(&["man", "search"]);
    assert_eq!(search.status.code(), Some(0), "{}", stderr(&search));
    let page = stdout(&search);
    assert!(
        page.starts_with(".ie") || page.contains(".TH parafind-search"),
        "{page}"
    );
    assert!(
        page.contains("Query syntax") && page.contains("semicond*"),
        "{page}"
    );
    let unknown = env.run(&["man", "nosuch"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("no manual page for `nosuch`; the commands are: ingest"));
    // Installed as files: the top page and one per command, each page it names among them.
    let written = env.run(&["man", "--dir", "pages"]);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    let top = std::fs::read_to_string(env.path("pages/parafind.1")).unwrap();
    for command in [
        "ingest", "search", "show", "stats", "list", "refresh", "remove", "watch",
    ] {
        let name = format!("parafind-{command}");
        // roff writes the hyphen escaped.
        let named = format!("parafind\\-{command}(1)");
        assert!(top.contains(&named), "{name} not named in parafind.1");
        assert!(
            env.path(&format!("pages/{name}.1")).is_file(),
            "{name}.1 missing"
        );
    }
}
