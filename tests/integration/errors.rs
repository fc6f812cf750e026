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
    let env = Env::essay();
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
    let env = Env::essay();
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
        assert_clean_failure(&env.run(args), "/not-a-dir is not a directory");
    }
    assert_eq!(
        std::fs::read_to_string(env.path("not-a-dir")).unwrap(),
        "hello"
    );
    env.ingest_corpus();
    assert_index_still_answers(&env);
}

#[test]
fn a_path_past_the_systems_limit_is_named_and_said_too_long() {
    let env = Env::new();
    env.write("deep/top.txt", "alpha\n");
    // Made a directory at a time from inside the last, as far as the shell can go (its `cd`
    // stops at the limit, its `mkdir` makes one more beyond).
    let name = "d".repeat(200);
    let script = format!(
        "cd deep && for i in $(seq 25); do mkdir {name} && cd {name}; done; echo alpha > f.txt"
    );
    let made = std::process::Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(env.path(""))
        .status()
        .expect("sh");
    assert!(made.success());
    let output = env.run(&["ingest", "deep"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains("path too long for the system to open"),
        "{err}"
    );
    // The rest is committed.
    let (hits, _, _) = env.search_json("alpha", &[]);
    assert!(hits.iter().any(|hit| hit.path == "deep/top.txt"));
}

#[test]
fn index_path_that_is_a_link_to_nothing_says_so() {
    let env = Env::with_corpus();
    // A relative target: shown from the link's directory.
    std::os::unix::fs::symlink("gone/away", env.path("linked")).unwrap();
    for args in [
        &["--index", "linked", "ingest"][..],
        &["--index", "linked", "search", "Pyongyang"][..],
    ] {
        assert_clean_failure(&env.run(args), "/gone/away, which leads to nothing");
    }
    // An index to be made in a directory below the link.
    assert_clean_failure(
        &env.run(&["--index", "linked/sub", "ingest"]),
        "/linked is a symbolic link to ",
    );
    std::fs::create_dir_all(env.path("gone/away")).unwrap();
    env.cmd(&["--index", "linked", "ingest"]).assert().success();
    assert!(env.path("gone/away/meta.json").exists());
}

#[test]
fn searching_where_there_is_no_index_says_how_to_make_one() {
    let env = Env::new();
    assert_clean_failure(
        &env.run(&["search", "anything"]),
        "/index; create one with `parafind ingest PATH...`",
    );
    std::fs::create_dir(env.path("empty")).unwrap();
    assert_clean_failure(
        &env.run(&["--index", "empty", "search", "x"]),
        "/empty; create one",
    );
}

#[test]
fn a_damaged_index_is_reported_not_panicked_on() {
    let env = Env::essay();
    // A commit record that does not parse, long: its own index (it holds parafind's marker)
    // is called damaged, in one short line that says to rebuild it.
    let garbled = format!("{{ this is not json {}", "x".repeat(5_000));
    let meta = std::fs::read(env.path("index/meta.json")).unwrap();
    env.write("index/meta.json", &garbled);
    let output = env.run(&["search", "Pyongyang"]);
    assert_clean_failure(
        &output,
        "is damaged: its file meta.json cannot be read as what it should hold; delete the \
         index directory and run `parafind ingest PATH...` again to rebuild it",
    );
    let err = stderr(&output);
    assert!(!err.contains("this is not json"), "{err}");
    // So is tantivy's list of its files.
    std::fs::write(env.path("index/meta.json"), &meta).unwrap();
    env.write("index/.managed.json", "xx");
    // The commit record, readable, names the directories to ingest again.
    assert_clean_failure(
        &env.run(&["search", "Pyongyang"]),
        "is damaged: its file .managed.json cannot be read as what it should hold; delete the \
         index directory and run `parafind ingest corpus` again",
    );
    // A commit record deleted: damaged (its segments are there), not "no index".
    std::fs::remove_file(env.path("index/meta.json")).unwrap();
    for args in [
        &["search", "Pyongyang"][..],
        &["stats"],
        &["ingest", "corpus"],
    ] {
        assert_clean_failure(
            &env.run(args),
            "is damaged: its commit record, meta.json, is missing (its other files are there); \
             delete the index directory",
        );
    }
    env.write("index/meta.json", &garbled);
    // Without the marker, parafind cannot tell the index is its own, so it never advises
    // deleting it.
    std::fs::remove_file(env.path("index/.parafind-index")).unwrap();
    let output = env.run(&["search", "Pyongyang"]);
    assert_clean_failure(&output, "index does not hold an index parafind can read");
    assert!(!stderr(&output).contains("delete"), "{}", stderr(&output));
}

/// An index file overwritten in the middle: the command that trips over it says which file
/// fails its checksum, in one line, and never reports a bug in parafind.
#[test]
fn a_garbled_index_file_is_named_by_its_checksum() {
    let env = Env::essay();
    let sound = env.run(&["check"]);
    assert_eq!(sound.status.code(), Some(0), "{}", stderr(&sound));
    assert!(
        stdout(&sound).contains("each match their checksum"),
        "{}",
        stdout(&sound)
    );
    let store = std::fs::read_dir(env.path("index"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|e| e == "store"))
        .expect("a .store file");
    let mut bytes = std::fs::read(&store).unwrap();
    let sound_bytes = bytes.clone();
    let end = bytes.len() - 64;
    bytes[end / 4..end / 2].fill(0xA5);
    std::fs::write(&store, &bytes).unwrap();
    let name = store.file_name().unwrap().to_string_lossy().into_owned();
    for args in [&["search", "Pyongyang"][..], &["stats"][..], &["check"][..]] {
        let output = env.run(args);
        assert_clean_failure(
            &output,
            &format!("is damaged: {name} does not match its checksum; delete the index"),
        );
        let err = stderr(&output);
        assert!(!err.contains("internal error"), "{err}");
        assert!(
            err.contains("run `parafind ingest corpus` again to rebuild it"),
            "{err}"
        );
    }
    // A script reading JSON gets the same words in the query's error record, the command
    // naming the index when the same command elsewhere would not find it.
    let json = env.run(&["search", "--json", "Pyongyang"]);
    assert!(
        stdout(&json).contains(&format!(
            r#""message":"the index at {} is damaged: {name} does not match its checksum"#,
            env.path("index").display()
        )),
        "{}",
        stdout(&json)
    );
    std::fs::rename(env.path("index"), env.path("idx")).unwrap();
    let json = env.run(&["--index", "idx", "search", "--json", "Pyongyang"]);
    assert!(
        stdout(&json).contains("run `parafind --index idx ingest corpus` again"),
        "{}",
        stdout(&json)
    );
    let told = env.run(&["--index", "idx", "search", "Pyongyang"]);
    assert!(
        stderr(&told).contains("run `parafind --index idx ingest corpus` again"),
        "{}",
        stderr(&told)
    );
    std::fs::rename(env.path("idx"), env.path("index")).unwrap();
    // One bit flipped in stored text: whatever a search makes of it, `check` names the file.
    let mut flipped = sound_bytes;
    flipped[100] ^= 4;
    std::fs::write(&store, flipped).unwrap();
    assert_clean_failure(
        &env.run(&["check"]),
        &format!("is damaged: {name} does not match its checksum"),
    );
}

/// A damaged segment is never merged: a merge would copy its stored text into a new segment
/// with a valid checksum, and `check` would pass on an index holding altered text. The ingest
/// whose merge left it out says so, and `check` still finds it.
#[test]
fn ingests_after_damage_leave_the_damaged_segment_for_check_to_find() {
    let env = Env::new();
    env.write("d/a.txt", "The quick brown fox jumps over the lazy dog\n");
    env.cmd(&["ingest", "d"]).assert().success();
    let store = std::fs::read_dir(env.path("index"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|e| e == "store"))
        .expect("a .store file");
    let name = store.file_name().unwrap().to_string_lossy().into_owned();
    let mut bytes = std::fs::read(&store).unwrap();
    let at = bytes
        .windows(5)
        .position(|w| w == b"quick")
        .expect("stored text");
    bytes[at] ^= 0x20;
    std::fs::write(&store, bytes).unwrap();
    // One segment an ingest: the eighth makes a level tantivy's policy merges.
    let mut told = Vec::new();
    for n in 0..10 {
        env.write(&format!("d/n{n}.txt"), format!("filler {n}\n"));
        let output = env.run(&["ingest", "d"]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        told.push(stderr(&output));
    }
    let warning =
        format!("the index is damaged: {name} does not match its checksum (left unmerged");
    let first = told.iter().position(|err| err.contains(&warning));
    // Said from the ingest whose merge found it on, at every commit.
    assert!(
        first.is_some_and(
            |at| at < told.len() - 1 && told[at..].iter().all(|err| err.contains(&warning))
        ),
        "{told:?}"
    );
    let merged = std::fs::read_dir(env.path("index"))
        .unwrap()
        .filter(|entry| (entry.as_ref().unwrap().path().extension()).is_some_and(|e| e == "store"))
        .count();
    assert!(merged < 11, "no merge ran: {merged} segments");
    assert_clean_failure(
        &env.run(&["check"]),
        &format!("is damaged: {name} does not match its checksum"),
    );
}

/// A word longer than any indexed is named: alone it fails the query, in a phrase it is left
/// out with a warning.
#[test]
fn words_too_long_to_be_indexed_are_named() {
    let env = Env::essay();
    let long = "z".repeat(120);
    assert_clean_failure(
        &env.run(&["search", &long]),
        "its words are longer than 100 bytes, the longest word parafind indexes",
    );
    let output = env.run(&["search", &format!("\"{long} Pyongyang\"")]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stderr(&output).contains(
            "is longer than 100 bytes, the longest word parafind indexes, and was left out"
        ),
        "{}",
        stderr(&output)
    );
    // Measured as indexed: 60 accented letters fold to 60 bytes, and are found without a
    // warning; subscript digits join a word, which is then too long as a whole.
    let accented = "é".repeat(60);
    env.write("accented.txt", format!("{accented}\n"));
    env.cmd(&["ingest", "accented.txt"]).assert().success();
    let output = env.run(&["search", &accented]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    assert_clean_failure(
        &env.run(&["search", &"H₂".repeat(60)]),
        "its words are longer than 100 bytes, the longest word parafind indexes",
    );
    // An identifier too long to be indexed whole is found by its parts, as they are indexed:
    // where all of them are.
    let (a, b) = ("a".repeat(60), "b".repeat(60));
    env.write(
        "identifiers.txt",
        format!("one {a}_{b} here\n\ntwo {a} only\n\nthree {b} only\n"),
    );
    env.cmd(&["ingest", "identifiers.txt"]).assert().success();
    let (hits, _, status) = env.search_json(&format!("{a}_{b}"), &[]);
    let found: Vec<(&str, u64)> = hits
        .iter()
        .map(|h| (h.path.as_str(), h.paragraph))
        .collect();
    assert_eq!((found, status), (vec![("identifiers.txt", 1)], 0));
}

/// However an index file is overwritten, a command either still answers or fails in one line
/// about the index (never as a bug in parafind, never with a panic).
#[test]
fn no_overwritten_index_file_makes_parafind_report_a_bug() {
    let env = Env::new();
    for i in 0..200 {
        env.write(
            &format!("docs/f{i}.txt"),
            format!("common word number {i} and more\n"),
        );
    }
    env.cmd(&["ingest", "-j", "1", "docs"]).assert().success();
    let files: Vec<std::path::PathBuf> = std::fs::read_dir(env.path("index"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e != "json" && e != "lock"))
        .filter(|path| !path.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    let mut damaged = 0;
    for file in &files {
        let original = std::fs::read(file).unwrap();
        for tenth in 1..10 {
            let mut bytes = original.clone();
            let at = bytes.len() * tenth / 10;
            let end = (at + 32).min(bytes.len());
            bytes[at..end].fill(b'X');
            std::fs::write(file, &bytes).unwrap();
            for args in [&["search", "-c", "common"][..], &["stats"][..]] {
                let output = env.run(args);
                let err = stderr(&output);
                assert!(
                    !err.contains("internal error") && !err.contains("panicked"),
                    "{err}"
                );
                if output.status.code() == Some(2) {
                    assert_eq!(err.lines().count(), 1, "{err}");
                    assert!(err.contains("index"), "{err}");
                    damaged += usize::from(err.contains("does not match its checksum"));
                }
            }
        }
        std::fs::write(file, &original).unwrap();
    }
    assert!(damaged > 0, "no overwrite was reported as damage");
    assert_eq!(stdout(&env.run(&["search", "-c", "common"])), "200\n");
}

/// Another program's tantivy index is reported as not parafind's, never with advice to
/// delete it, and neither search nor ingest changes it.
#[test]
fn another_programs_index_is_left_alone() {
    let env = Env::with_corpus();
    let dir = env.path("theirs");
    std::fs::create_dir_all(&dir).unwrap();
    let mut builder = tantivy::schema::Schema::builder();
    let title = builder.add_text_field("title", tantivy::schema::TEXT);
    let index = tantivy::Index::create_in_dir(&dir, builder.build()).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
    writer
        .add_document(tantivy::doc!(title => "their document"))
        .unwrap();
    writer.commit().unwrap();
    drop(writer);
    let before = std::fs::read(dir.join("meta.json")).unwrap();
    for args in [
        &["--index", "theirs", "search", "document"][..],
        &["--index", "theirs", "ingest", "corpus"][..],
    ] {
        let output = env.run(args);
        assert_clean_failure(&output, "theirs does not hold an index parafind can read");
        assert!(!stderr(&output).contains("delete"), "{}", stderr(&output));
    }
    assert_eq!(std::fs::read(dir.join("meta.json")).unwrap(), before);
}

/// An index the user cannot write (read-only media, another user's) can still be searched;
/// ingesting into it says why it cannot, without advising deletion. As root, permissions do
/// not apply, so the commands run as user `nobody` (see `unprivileged`).
#[cfg(unix)]
#[test]
fn a_read_only_index_is_searched_and_ingest_says_it_needs_write_access() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::essay();
    // A copy of the binary where `nobody` can run it, and everything readable, nothing writable.
    let binary = env.path("parafind");
    std::fs::copy(assert_cmd::cargo::cargo_bin!("parafind"), &binary).unwrap();
    for entry in walk(env.dir.path()) {
        std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    let run = |args: &[&str]| {
        output_of_copy(
            unprivileged(&binary)
                .current_dir(env.dir.path())
                .env_remove("PARAFIND_INDEX")
                .args(args),
        )
    };
    let output = run(&["search", "--count", "Pyongyang"]);
    assert_eq!(stdout(&output), "2\n", "{}", stderr(&output));
    let output = run(&["ingest", "corpus"]);
    assert_clean_failure(
        &output,
        "/index: permission denied; ingesting needs write access",
    );
    assert!(!stderr(&output).contains("delete"), "{}", stderr(&output));
    // An index directory that cannot even be looked into is not "no index" (nor looked past
    // from a directory below it): the default corpus is not ingested in its place.
    std::fs::set_permissions(env.path("index"), std::fs::Permissions::from_mode(0o700)).unwrap();
    let below = env.path("corpus");
    for (dir, args) in [
        (env.dir.path(), &["search", "Pyongyang"][..]),
        (below.as_path(), &["stats"][..]),
    ] {
        let output = output_of_copy(
            unprivileged(&binary)
                .current_dir(dir)
                .env_remove("PARAFIND_INDEX")
                .args(args),
        );
        assert_clean_failure(&output, "no access to the index at ");
        assert!(
            stderr(&output).contains("/index: permission denied"),
            "{}",
            stderr(&output)
        );
        assert!(
            !stderr(&output).contains("ingesting ./corpus"),
            "{}",
            stderr(&output)
        );
    }
    // A file of it this user may not read is no damage: `check` says so, and never advises
    // deleting the index.
    std::fs::set_permissions(env.path("index"), std::fs::Permissions::from_mode(0o755)).unwrap();
    for entry in std::fs::read_dir(env.path("index")).unwrap().flatten() {
        if entry.path().extension().is_some_and(|e| e == "store") {
            std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(0o600)).unwrap();
        }
    }
    let output = run(&["check"]);
    assert_clean_failure(&output, "no access to the index at ");
    assert!(!stderr(&output).contains("delete"), "{}", stderr(&output));
    // Writable again, so the temporary directory can be removed.
    for entry in walk(env.dir.path()) {
        std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// Every file and directory under `root`, `root` included.
fn walk(root: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut all = vec![root.to_path_buf()];
    let mut i = 0;
    while i < all.len() {
        if all[i].is_dir() {
            let children: Vec<_> = std::fs::read_dir(&all[i])
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .collect();
            all.extend(children);
        }
        i += 1;
    }
    all
}

#[test]
fn bad_flags_get_one_line_naming_the_flag() {
    let env = Env::with_corpus();
    // The help it points to is that of the command whose flag it is.
    assert_clean_failure(
        &env.run(&["search", "-n", "0", "x"]),
        "--limit <N>': 0 is not in 1..=1000000 (see `parafind search --help`)",
    );
    assert_clean_failure(
        &env.run(&["--bogus"]),
        "unexpected argument '--bogus' found (see `parafind --help`)",
    );
    assert_clean_failure(&env.run(&["search", "--color", "purple", "x"]), "--color");
    assert_clean_failure(&env.run(&["search", "--bogus", "x"]), "--bogus");
    // A negative number is a bad value of its flag, not an argument of its own.
    assert_clean_failure(&env.run(&["search", "-n", "-1", "x"]), "--limit");
    assert_clean_failure(&env.run(&["ingest", "-j", "-1", "corpus"]), "--threads");
    assert!(!env.path("index").exists());
    // A paragraph number that is none, a directory: said as such.
    env.write("d/v.txt", "a\n\nb\n");
    assert_clean_failure(
        &env.run(&["show", "d/v.txt:2x"]),
        "d/v.txt:2x: `:2x` is not a paragraph number",
    );
    assert_clean_failure(&env.run(&["show", "d"]), "d: is a directory");
    // Options that would do nothing with the others given are refused, not ignored.
    for (args, says) in [
        (
            &["search", "-c", "-C", "2", "x"][..],
            "'--count' cannot be used with '--context",
        ),
        (
            &["search", "--vimgrep", "-C", "1", "x"],
            "'--vimgrep' cannot be used",
        ),
        (
            &["search", "--full", "--max-chars", "50", "x"],
            "'--full' cannot be used",
        ),
        (
            &["search", "--expand-terms", "5", "x"],
            "not provided: --expand",
        ),
        (&["search", "--keep-stop-words", "x"], "not provided: --any"),
        (
            &["show", "corpus/us-korea-alliance.txt", "-C", "1"],
            "name it as PATH:N",
        ),
        (
            &["search", "--format", "vimgrep", "-C", "1", "x"],
            "which the vimgrep format does",
        ),
        (
            &["search", "-l", "--explain", "x"],
            "which -l does not print",
        ),
        (&["search", "-q", "-A", "1", "x"], "which -q does not print"),
        (
            &["search", "--marker-open", "[", "x"],
            "only with --highlight markers",
        ),
        (
            &["search", "--highlight", "markers", "--json", "x"],
            "not with --json, which gives each match's byte offsets",
        ),
        (
            &["search", "--highlight", "markers", "-l", "x"],
            "not with -l, which prints paths",
        ),
        (
            &["search", "--highlight", "markers", "--vimgrep", "x"],
            "not with the vimgrep format",
        ),
        (
            &["search", "-i", "--expand", "x"],
            "'--interactive' cannot be used with",
        ),
        (
            &["search", "-i", "-n", "5", "x"],
            "'--interactive' cannot be used with",
        ),
    ] {
        assert_clean_failure(&env.run(args), says);
    }
    // A directory of other files named as the index is not one to make an index in either.
    assert_clean_failure(
        &env.run(&["--index", "d", "stats"]),
        "is not empty and holds no parafind index",
    );
    assert_clean_failure(&env.run(&["search"]), "not provided: <QUERY>");
}

/// An output that cannot be written (a full device), a batch file that is a directory and an
/// empty `PARAFIND_INDEX` are each said for what they are.
#[cfg(target_os = "linux")]
#[test]
fn a_full_output_a_directory_of_queries_and_an_empty_index_variable_are_named() {
    let env = Env::essay();
    for args in [
        &["search", "Pyongyang"][..],
        &["search", "--json", "Pyongyang"],
        &["list"],
        &["check"],
        &["search", "--help"],
        &["--version"],
    ] {
        let full = std::fs::File::create("/dev/full").expect("/dev/full");
        let output = std::process::Command::new(assert_cmd::cargo::cargo_bin!("parafind"))
            .current_dir(env.dir.path())
            .env_remove("PARAFIND_INDEX")
            .args(args)
            .stdout(full)
            .output()
            .unwrap();
        assert_clean_failure(&output, "cannot write the output: No space left on device");
    }
    // A file of parafind's own on a full device keeps its own words.
    std::fs::create_dir(env.path("man")).unwrap();
    std::os::unix::fs::symlink("/dev/full", env.path("man/parafind.1")).unwrap();
    assert_clean_failure(
        &env.run(&["man", "--dir", "man"]),
        "cannot write the manual pages: No space left on device",
    );
    assert_clean_failure(
        &env.run(&["search", "--batch", "corpus"]),
        "corpus: is a directory; --batch takes a file of queries",
    );
    let missing = env.run(&["search", "--batch", "no-queries.txt"]);
    assert_clean_failure(
        &missing,
        "cannot read queries from no-queries.txt: no such file or directory",
    );
    assert!(
        !stderr(&missing).contains("os error"),
        "{}",
        stderr(&missing)
    );
    let output = env
        .cmd(&["search", "Pyongyang"])
        .env("PARAFIND_INDEX", "")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_index_still_answers(&env);
}

/// A device, a pipe or the index's own files are refused before anything is read (a device
/// would read forever, and the index must not index its own `meta.json`).
#[cfg(unix)]
#[test]
fn devices_and_the_index_itself_are_not_ingested() {
    let env = Env::essay();
    for (args, expected) in [
        (&["ingest", "/dev/zero"][..], "/dev/zero: a device;"),
        (
            &["ingest", "--jsonl", "/dev/zero"][..],
            "/dev/zero: a device;",
        ),
        (
            &["ingest", "--jsonl", "corpus"][..],
            "corpus: a directory; --jsonl takes JSON Lines files",
        ),
        (&["ingest", "index"][..], "index is inside the index at"),
        (
            &["ingest", "--jsonl", "index"][..],
            "index is inside the index at",
        ),
        (&["ingest", "index/meta.json"][..], "is inside the index at"),
    ] {
        assert_clean_failure(&env.run(args), expected);
    }
    assert_index_still_answers(&env);
    let listed = stdout(&env.run(&["list"]));
    assert!(!listed.contains("meta.json"), "{listed}");
}

/// Standard input past its limit (256 MiB) is refused with one line naming the limit, and
/// nothing is written. (`ingest - < /dev/zero` grew past 3 GB.)
#[cfg(unix)]
#[test]
fn endless_standard_input_is_refused_at_its_limit() {
    let env = Env::with_corpus();
    env.ingest_corpus();
    let zeros = std::fs::File::open("/dev/zero").unwrap();
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin!("parafind"))
        .current_dir(env.dir.path())
        .env_remove("PARAFIND_INDEX")
        .args(["ingest", "-", "--name", "zeros.txt"])
        .stdin(zeros)
        .output()
        .unwrap();
    assert_clean_failure(&output, "standard input is over 256 MiB, the limit");
    assert_index_still_answers(&env);
    assert!(!stdout(&env.run(&["list"])).contains("zeros.txt"));
}

#[test]
fn the_interactive_search_outside_a_terminal_says_what_to_use_instead() {
    let env = Env::essay();
    for args in [&["tui"][..], &["search", "-i", "Pyongyang"]] {
        let output = env
            .cmd(args)
            .write_stdin("")
            .output()
            .expect("run parafind");
        assert_clean_failure(&output, "needs a terminal");
        assert!(
            stderr(&output).contains("parafind search"),
            "{}",
            stderr(&output)
        );
    }
    let output = env.run(&["search", "-i", "--json", "Pyongyang"]);
    assert_clean_failure(&output, "--json");
    assert_clean_failure(&env.run(&["tui", "-g", "a[", "x"]), "a[");
    assert_clean_failure(&env.run(&["tui", "-t", "nosuchtype"]), "nosuchtype");
    assert_index_still_answers(&env);
}

#[test]
fn a_document_piped_with_no_name_is_refused_with_the_name_to_give() {
    // Read as text it would be PDF syntax or "binary input"; the format comes from the name.
    let env = Env::with_corpus();
    env.ingest_corpus();
    for (bytes, said) in [
        (&b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n"[..], "looks like a PDF, but with no name it would be read as text; name it with its extension: `--name FILE.pdf`"),
        (&b"PK\x03\x04\x14\x00\x00\x00"[..], "looks like a zip archive (a DOCX, ODT or EPUB)"),
        (&b"\x1f\x8b\x08\x00\x00\x00\x00\x00"[..], "looks like a gzip stream"),
    ] {
        let output = env.cmd(&["ingest", "-"]).write_stdin(bytes).output().unwrap();
        assert_clean_failure(&output, said);
        assert_index_still_answers(&env);
        assert!(!stdout(&env.run(&["list"])).contains("stdin"));
    }
    // Named, a piped PDF is read as one (here: refused as damaged, never as text).
    let output = env
        .cmd(&["ingest", "-", "--name", "x.pdf"])
        .write_stdin(&b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n"[..])
        .output()
        .unwrap();
    assert!(
        stderr(&output).contains("x.pdf: damaged PDF file"),
        "{}",
        stderr(&output)
    );
}

/// A damaged index's rebuild command names what was ingested by name besides its directories:
/// a file outside them, and a JSON Lines collection (with `--jsonl`); following it loses
/// nothing.
#[test]
fn the_rebuild_command_names_files_and_collections_ingested_by_name() {
    let env = Env::new();
    env.write("docs/a.txt", "walrus in a directory\n");
    env.write("loose.txt", "walrus on its own\n");
    env.write("c.jsonl", "{\"id\":\"1\",\"text\":\"walrus record\"}\n");
    env.cmd(&["ingest", "docs", "loose.txt"]).assert().success();
    env.cmd(&["ingest", "--jsonl", "c.jsonl"])
        .assert()
        .success();
    let store = std::fs::read_dir(env.path("index"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "store"))
        .max_by_key(|path| std::fs::metadata(path).map_or(0, |m| m.len()))
        .expect("a .store file");
    let mut bytes = std::fs::read(&store).unwrap();
    let end = bytes.len() - 64;
    bytes[end / 4..end / 2].fill(0xA5);
    std::fs::write(&store, &bytes).unwrap();
    let output = env.run(&["check"]);
    assert_clean_failure(&output, "does not match its checksum");
    assert!(
        stderr(&output).contains(
            "run `parafind ingest docs loose.txt` and `parafind ingest --jsonl c.jsonl` again"
        ),
        "{}",
        stderr(&output)
    );
}
