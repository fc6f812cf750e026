//! Ingesting: paragraphs, re-ingest without duplicates, line endings, summaries.

use crate::util::*;

/// Number of paragraphs in the index: a pure negation matches every paragraph without the word.
fn paragraph_count(env: &Env) -> u64 {
    let (_, summary, _) = env.search_json("NOT zzzqqqxxx", &["-n", "1"]);
    summary.total
}

#[test]
fn ingest_prints_a_one_line_summary() {
    let env = Env::with_corpus();
    let output = env.run(&["ingest"]);
    assert_eq!(output.status.code(), Some(0));
    let err = stderr(&output);
    assert!(
        err.starts_with("parafind: ingested 1 file, 14 paragraphs, 5.3 KB read in "),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(output.stdout.is_empty());
}

#[test]
fn reingesting_replaces_paragraphs_instead_of_duplicating_them() {
    let env = Env::with_corpus();
    env.cmd(&["ingest", "corpus"]).assert().success();
    assert_eq!(paragraph_count(&env), 14);
    env.cmd(&["ingest", "corpus"]).assert().success();
    env.cmd(&["ingest", "./corpus/us-korea-alliance.txt"])
        .assert()
        .success();
    assert_eq!(paragraph_count(&env), 14);
    let (hits, _, _) = env.search_json("Pyongyang", &[]);
    assert_eq!(sorted_paragraphs(&hits), [1, 3]);
}

#[test]
fn a_file_found_twice_in_one_ingest_is_indexed_once() {
    let env = Env::new();
    env.write("docs/a.txt", "alpha one\n\nalpha two\n");
    env.write("docs/sub/b.txt", "alpha three\n");
    let output = env.run(&["ingest", "-j", "2", "docs", "docs/a.txt", "./docs/sub"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).starts_with("parafind: ingested 2 files, 3 paragraphs"));
    assert_eq!(paragraph_count(&env), 3);
    env.write("docs/a.txt", "alpha four\n");
    env.cmd(&["ingest", "docs/a.txt", "docs"])
        .assert()
        .success();
    assert_eq!(paragraph_count(&env), 2);
    let (hits, _, _) = env.search_json("alpha", &[]);
    assert_eq!(hits.len(), 2);
}

#[test]
fn a_changed_file_replaces_its_old_paragraphs() {
    let env = Env::new();
    env.write("notes.txt", "alpha one\n\nalpha two\n");
    env.cmd(&["ingest", "notes.txt"]).assert().success();
    assert_eq!(env.search_json("alpha", &[]).0.len(), 2);
    env.write("notes.txt", "beta only\n");
    env.cmd(&["ingest", "notes.txt"]).assert().success();
    let (hits, _, status) = env.search_json("alpha", &[]);
    assert_eq!((hits.len(), status), (0, 1));
    assert_eq!(paragraphs(&env.search_json("beta", &[]).0), [1]);
}

#[test]
fn blank_lines_make_multi_line_paragraphs() {
    let env = Env::new();
    env.write(
        "doc.txt",
        "Title line\n\nfirst para\nstill first\n\n\n  second para\n",
    );
    env.cmd(&["ingest", "doc.txt"]).assert().success();
    let (hits, _, _) = env.search_json("first", &[]);
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].paragraph, hits[0].line), (2, 3));
    assert_eq!(hits[0].text, "first para\nstill first");
    assert_eq!(hits[0].byte_offset, 12);
    let (hits, _, _) = env.search_json("second", &[]);
    assert_eq!(
        (hits[0].paragraph, hits[0].line, hits[0].byte_offset),
        (3, 7, 37)
    );
    assert_eq!(hits[0].text, "  second para");
}

#[test]
fn crlf_files_have_exact_text_and_offsets() {
    let env = Env::new();
    env.write(
        "win.txt",
        "first line\r\n\r\nsecond para here\r\nand more\r\n",
    );
    env.cmd(&["ingest", "win.txt"]).assert().success();
    let (hits, _, _) = env.search_json("second", &[]);
    assert_eq!(hits.len(), 1);
    assert_eq!(
        (hits[0].paragraph, hits[0].line, hits[0].byte_offset),
        (2, 3, 14)
    );
    assert_eq!(hits[0].text, "second para here\r\nand more");
    let whole = stdout(&env.run(&["search", "--full", "more"]));
    assert!(whole.contains("second para here\nand more\n"), "{whole:?}");
    let snippet = stdout(&env.run(&["search", "more"]));
    assert!(
        snippet.contains("second para here and more\n"),
        "{snippet:?}"
    );
}

#[test]
fn directories_are_walked_recursively_and_binary_files_skipped() {
    let env = Env::new();
    env.write("tree/a.txt", "walrus here\n");
    env.write("tree/sub/deeper/b.md", "another walrus\n");
    env.write("tree/blob.bin", b"walrus\0\x01\x02");
    let output = env.run(&["ingest", "--verbose", "tree"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stderr(&output).contains("blob.bin: binary file"),
        "{}",
        stderr(&output)
    );
    let (hits, _, _) = env.search_json("walrus", &[]);
    let mut paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(paths, ["tree/a.txt", "tree/sub/deeper/b.md"]);
}

#[test]
fn index_location_comes_from_flag_or_environment() {
    let env = Env::with_corpus();
    env.cmd(&["--index", "elsewhere", "ingest"])
        .assert()
        .success();
    assert!(env.path("elsewhere/meta.json").is_file());
    assert!(!env.path("index").exists());
    let output = env
        .cmd(&["search", "--json", "Pyongyang"])
        .env("PARAFIND_INDEX", "elsewhere")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(!env.path("index").exists(), "env var index was ignored");
}

#[test]
fn an_ingest_that_never_committed_leaves_no_index_behind() {
    let env = Env::with_corpus();
    // What an interrupted first ingest leaves: tantivy's files, but no commit.
    parafind::index::open_or_create(&env.path("index")).unwrap();
    assert!(env.path("index/meta.json").is_file());
    let output = env.run(&["search", "Pyongyang"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("ingesting ./corpus first"));
}

#[cfg(unix)]
#[test]
fn files_named_through_a_symlink_are_read() {
    let env = Env::new();
    env.write("real.txt", "linked words\n");
    std::os::unix::fs::symlink(env.path("real.txt"), env.path("link.txt")).unwrap();
    let output = env.run(&["ingest", "link.txt"]);
    assert!(
        stderr(&output).contains("ingested 1 file,"),
        "{}",
        stderr(&output)
    );
    assert_eq!(env.search_json("linked", &[]).0.len(), 1);
}

#[test]
fn ingesting_a_folder_skips_its_index_and_ignored_files() {
    let env = Env::new();
    env.write("notes/a.txt", "walrus\n");
    env.write("notes/skip.log", "walrus\n");
    env.write("notes/.gitignore", "*.log\n");
    env.cmd(&["--index", "notes/idx", "ingest", "notes"])
        .assert()
        .success();
    // A second ingest walks over the index directory inside the folder and finds nothing new.
    let output = env.run(&["--index", "notes/idx", "ingest", "notes"]);
    let report = stderr(&output);
    assert!(
        report.contains("(0 added, 0 updated, 0 removed, 1 unchanged)"),
        "{report}"
    );
    let list = stdout(&env.run(&["--index", "notes/idx", "list"]));
    assert_eq!(list.lines().count(), 1, "{list}");
    assert!(list.contains("notes/a.txt"));
}

/// A file that turns binary is removed from the index, with a warning: its old text does not
/// stay searchable.
#[test]
fn a_file_that_turns_binary_is_removed() {
    let env = Env::new();
    env.write("docs/a.txt", "zebra crossing\n");
    env.write("docs/b.txt", "zebra stripes\n");
    env.cmd(&["ingest", "docs"]).assert().success();
    env.write("docs/a.txt", b"zebra\0binary now");
    let output = env.run(&["ingest", "docs"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("docs/a.txt: binary file"), "{err}");
    assert!(err.contains("1 removed"), "{err}");
    assert_eq!(stdout(&env.run(&["search", "--count", "zebra"])), "1\n");
    let listed = stdout(&env.run(&["list"]));
    assert!(
        !listed.contains("a.txt") && listed.contains("b.txt"),
        "{listed}"
    );
}
