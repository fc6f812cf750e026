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
