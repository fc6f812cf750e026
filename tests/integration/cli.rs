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
    // An emoji inside a phrase is left out of it, and said to be.
    let output = env.run(&["search", "\"nuclear ☢ credibility\""]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stderr(&output),
        "parafind: warning: `☢` holds no searchable word and was ignored\n"
    );
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
fn a_closed_standard_error_keeps_the_exit_status() {
    let env = Env::essay();
    for (args, status) in [
        (&["search", "nuclear AND"][..], 2),
        (&["ingest", "no-such-dir"][..], 2),
        (&["search", "Pyongyng"][..], 1),
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("parafind"))
            .current_dir(env.path(""))
            .env_remove("PARAFIND_INDEX")
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start parafind");
        // The reader of its errors is gone before they are written (`2>&1 | true`).
        drop(child.stderr.take());
        let done = child.wait().expect("wait");
        assert_eq!(done.code(), Some(status), "{args:?}");
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
fn an_index_named_with_steps_back_is_shown_without_them() {
    let env = Env::new();
    env.write("notes/a.txt", "quagga stripes\n");
    let run = |args: &[&str]| {
        env.cmd(args)
            .current_dir(env.path("notes"))
            .output()
            .unwrap()
    };
    let ingest = run(&["--index", "../idx", "ingest", "a.txt"]);
    assert_eq!(ingest.status.code(), Some(0), "{}", stderr(&ingest));
    let shown = env.path("idx").canonicalize().unwrap();
    let stats = stdout(&run(&["--index", "../idx", "stats", "--json"]));
    let record: serde_json::Value = serde_json::from_str(stats.trim()).unwrap();
    assert_eq!(record["index"], shown.to_str().unwrap(), "{stats}");
    assert!(
        stderr(&ingest).contains(shown.to_str().unwrap()),
        "{}",
        stderr(&ingest)
    );
    // Named so by PARAFIND_INDEX, the index is the one a fix-it command finds without --index.
    env.write("notes/a.txt", "quagga changed\n");
    let changed = env
        .cmd(&["search", "quagga"])
        .current_dir(env.path("notes"))
        .env("PARAFIND_INDEX", "../idx")
        .output()
        .unwrap();
    let warned = stderr(&changed);
    assert!(warned.contains("run `parafind ingest a.txt`"), "{warned}");
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
    // Its footer names parafind and its version, not the command.
    let version = format!("\"parafind {}\"", env!("CARGO_PKG_VERSION"));
    assert!(
        page.lines()
            .any(|l| l.starts_with(".TH parafind-search 1") && l.contains(&version)),
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
        let written = std::fs::read_to_string(env.path(&format!("pages/{name}.1")))
            .unwrap_or_else(|_| panic!("{name}.1 missing"));
        assert!(written.contains(&version), "{name}.1");
    }
}

/// The help's text after the options keeps its lines in the manual, as groff sets it for
/// `man`: each row of the query syntax table and each example on a line of its own (they were
/// filled into running text, a row and the note below the table run together).
#[test]
fn the_manual_keeps_the_query_syntax_table_and_the_examples_in_columns() {
    let env = Env::new();
    std::fs::write(env.path("search.1"), stdout(&env.run(&["man", "search"]))).unwrap();
    let set = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-P-cbou"])
        .arg(env.path("search.1"))
        .output()
        .expect("groff (.ci/test installs it)");
    assert!(set.status.success(), "{}", stderr(&set));
    let text = stdout(&set);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for (starts, ends) in [
        ("\"nuclear sharing\"", "the exact phrase"),
        (
            "path:docs/*.md nuclear",
            "only files whose path matches the glob",
        ),
        (
            "parafind search --vimgrep treaty",
            "path:line:column:text per hit",
        ),
        (
            "printf 'nuclear\\nkimchi\\n' | parafind",
            "one query per line",
        ),
    ] {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(starts) && l.ends_with(ends)),
            "no line `{starts} ... {ends}` in:\n{text}"
        );
    }
    // Paragraphs stay apart.
    let exit = lines.iter().position(|l| l.starts_with("Exit status:"));
    assert!(exit.is_some_and(|at| lines[at - 1].is_empty()), "{text}");
}

/// A file changed since it was indexed: `--vimgrep` prints the line the index holds, with its
/// column counted there, never the file's new bytes joined to the old paragraph (a line that
/// exists nowhere); the warning says the file changed. A document from standard input named as
/// a file is not read from that file either.
#[test]
fn vimgrep_of_a_changed_file_prints_the_indexed_line_not_a_mix() {
    let env = Env::new();
    env.write("d/a.txt", "first line here\n\nsecond has target word\n");
    env.cmd(&["ingest", "d"]).assert().success();
    let vimgrep = |query: &str| env.run(&["search", "--vimgrep", query]);
    assert_eq!(
        stdout(&vimgrep("target")),
        "d/a.txt:3:12:second has target word\n"
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    env.write(
        "d/a.txt",
        "a new, longer first line inserted at the top\nfirst line here\n\nsecond has target word\n",
    );
    let output = vimgrep("target");
    assert_eq!(stdout(&output), "d/a.txt:3:12:second has target word\n");
    assert!(stderr(&output).contains("changed since it was indexed"));
    env.write("d/b.md", "# Plan\n\nThe real file talks about budgets.\n");
    let mut piped = env.cmd(&["ingest", "--name", "d/b.md", "-"]);
    let ingested = piped
        .write_stdin("intro line\n\na draft about zeppelins\n")
        .output()
        .unwrap();
    assert_eq!(ingested.status.code(), Some(0));
    assert!(
        stderr(&ingested).contains(
            "warning: d/b.md: standard input is indexed under this name, which is a file's"
        ),
        "{}",
        stderr(&ingested)
    );
    assert_eq!(
        stdout(&vimgrep("zeppelins")),
        "d/b.md:3:15:a draft about zeppelins\n"
    );
}

#[test]
fn vimgrep_prints_each_hits_first_match_as_path_line_column() {
    let env = Env::essay();
    let output = env.run(&["search", "--vimgrep", "-n", "20", "Pyongyang"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let essay = std::fs::read_to_string(essay_path()).unwrap();
    let lines: Vec<&str> = essay.lines().collect();
    let printed = stdout(&output);
    assert!(!printed.is_empty());
    for row in printed.lines() {
        let mut parts = row.splitn(4, ':');
        let (path, line, column, text) = (
            parts.next().unwrap(),
            parts.next().unwrap().parse::<usize>().unwrap(),
            parts.next().unwrap().parse::<usize>().unwrap(),
            parts.next().unwrap(),
        );
        assert!(path.ends_with("us-korea-alliance.txt"), "{row}");
        // The column is 1-based, in bytes, and points at the match in that line of the file.
        let file_line = lines[line - 1];
        assert!(file_line[column - 1..].starts_with("Pyongyang"), "{row}");
        assert_eq!(text, file_line.trim_end(), "{row}");
    }
    // Coloured when asked, as `rg --vimgrep --color always` is: the same rows once the
    // styles are taken out.
    let colored = stdout(&env.run(&[
        "search",
        "--vimgrep",
        "-n",
        "20",
        "--color",
        "always",
        "Pyongyang",
    ]));
    assert!(
        colored.contains("\u{1b}[1m\u{1b}[31mPyongyang\u{1b}[0m"),
        "{colored}"
    );
    let plain: String = anstream::adapter::strip_str(&colored).to_string();
    assert_eq!(plain, printed);
    // Markdown: a nested list item's second line, at its own line and column.
    env.write(
        "notes.md",
        "# Notes\n\n- top\n  - nested item with\n    a second treaty line\n",
    );
    env.cmd(&["ingest", "notes.md"]).assert().success();
    let output = env.run(&["search", "--vimgrep", "treaty", "path:notes.md"]);
    assert_eq!(stdout(&output), "notes.md:5:14:    a second treaty line\n");
    // A paragraph that starts inside its line (a quote, a footnote, a list item) prints the
    // whole line, as rg does, the column counted from the line's start.
    env.write(
        "marks.md",
        "> quoted rho line\n> more\n\ntext[^1]\n\n[^1]: note rho body\n\n- item rho\n",
    );
    env.cmd(&["ingest", "marks.md"]).assert().success();
    let output = env.run(&[
        "search",
        "--vimgrep",
        "--sort",
        "path",
        "rho",
        "path:marks.md",
    ]);
    assert_eq!(
        stdout(&output),
        "marks.md:1:10:> quoted rho line\nmarks.md:6:12:[^1]: note rho body\nmarks.md:8:8:- item rho\n"
    );
    // A file whose lines end in CR alone is one line to rg and Vim's quickfix: the line breaks
    // before the paragraph show as spaces, not as nothing (`heresecond`).
    env.write("mac.txt", "first para ends here\r\rsecond para zebra\r");
    env.cmd(&["ingest", "mac.txt"]).assert().success();
    let output = env.run(&["search", "--vimgrep", "zebra", "path:mac.txt"]);
    assert_eq!(
        stdout(&output),
        "mac.txt:1:35:first para ends here  second para zebra\n"
    );
}

#[test]
fn open_starts_the_editor_at_the_hits_line() {
    let env = Env::essay();
    // A stand-in editor named vim, and one named code: each writes down its arguments.
    for name in ["vim", "code"] {
        env.write(
            &format!("bin/{name}"),
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/../args.txt\"\n",
        );
        let script = env.path(&format!("bin/{name}"));
        let mut permissions = std::fs::metadata(&script).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
        std::fs::set_permissions(&script, permissions).unwrap();
    }
    let second = stdout(&env.run(&["search", "--vimgrep", "nuclear"]))
        .lines()
        .nth(1)
        .unwrap()
        .to_string();
    let mut place = second.splitn(4, ':');
    let (path, line, column, text) = (
        place.next().unwrap(),
        place.next().unwrap(),
        place.next().unwrap(),
        place.next().unwrap(),
    );
    // VS Code counts columns in UTF-16 code units, `--vimgrep` in bytes.
    let bytes_before = column.parse::<usize>().unwrap() - 1;
    let utf16_column = text[..bytes_before].encode_utf16().count() + 1;
    let run = |editor: &str, extra: &[&str]| {
        let mut args = vec!["search", "--open", "2", "nuclear"];
        args.extend_from_slice(extra);
        let mut cmd = env.cmd(&args);
        cmd.env_remove("VISUAL").env("EDITOR", env.path(editor));
        let output = cmd.output().unwrap();
        let written = std::fs::read_to_string(env.path("args.txt")).unwrap_or_default();
        (output.status.code(), written)
    };
    // The editor gets the file's full path.
    let path = std::fs::canonicalize(env.path(path)).unwrap();
    let path = path.display();
    assert_eq!(
        run("bin/vim", &[]),
        (Some(0), format!("+call cursor({line},{column})\n{path}\n"))
    );
    assert_eq!(
        run("bin/code", &[]),
        (Some(0), format!("--goto\n{path}:{line}:{utf16_column}\n"))
    );
    std::fs::remove_file(env.path("args.txt")).unwrap();
    // Past the last hit: exit 1, and no editor.
    let mut cmd = env.cmd(&["search", "--open", "500", "nuclear"]);
    cmd.env("EDITOR", env.path("bin/vim"));
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with("parafind: no hit number 500: the query matched"));
    assert!(!env.path("args.txt").exists());
    // No editor: exit 2 saying what to set.
    let mut cmd = env.cmd(&["search", "--open", "1", "nuclear"]);
    cmd.env_remove("VISUAL").env_remove("EDITOR");
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("set VISUAL or EDITOR"),
        "{}",
        stderr(&output)
    );
}

/// An editor (`bin/vim` in `env`) that writes the arguments it is given to `args.txt`, one a
/// line.
#[cfg(unix)]
fn recording_editor(env: &Env) -> std::path::PathBuf {
    env.write(
        "bin/vim",
        "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/../args.txt\"\n",
    );
    let script = env.path("bin/vim");
    let mut permissions = std::fs::metadata(&script).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&script, permissions).unwrap();
    script
}

#[cfg(unix)]
#[test]
fn a_record_opens_as_its_collection_at_its_line_and_gzip_columns_count_the_text() {
    let env = Env::new();
    let script = recording_editor(&env);
    env.write(
        "c.jsonl",
        "{\"id\":\"r0\",\"text\":\"zero\"}\n\n{\"id\":\"r1\",\"text\":\"one bravo\\ntwo charlie\"}\n",
    );
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gzip, b"intro line\n\nsome text here alpha\n").unwrap();
    env.write("notes.txt.gz", gzip.finish().unwrap());
    env.cmd(&["ingest", "--jsonl", "c.jsonl"])
        .assert()
        .success();
    env.cmd(&["ingest", "notes.txt.gz"]).assert().success();
    // The record is on the collection's third line; an editor cannot open `c.jsonl#r1`.
    let quickfix = stdout(&env.run(&["search", "--vimgrep", "charlie"]));
    assert_eq!(quickfix, "c.jsonl:3:1:two charlie\n");
    let mut cmd = env.cmd(&["search", "--open", "1", "charlie"]);
    cmd.env_remove("VISUAL").env("EDITOR", &script);
    assert_eq!(cmd.output().unwrap().status.code(), Some(0));
    let collection = std::fs::canonicalize(env.path("c.jsonl")).unwrap();
    assert_eq!(
        std::fs::read_to_string(env.path("args.txt")).unwrap(),
        format!("+call cursor(3,1)\n{}\n", collection.display())
    );
    // A gzip file's column counts its decompressed line, as `rg -z --vimgrep` does.
    let quickfix = stdout(&env.run(&["search", "--vimgrep", "alpha"]));
    assert_eq!(quickfix, "notes.txt.gz:3:16:some text here alpha\n");
    // After a byte-order mark, as in a plain file.
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gzip, "\u{FEFF}bom text omega\n".as_bytes()).unwrap();
    env.write("bom.txt.gz", gzip.finish().unwrap());
    env.cmd(&["ingest", "bom.txt.gz"]).assert().success();
    let quickfix = stdout(&env.run(&["search", "--vimgrep", "omega"]));
    assert_eq!(quickfix, "bom.txt.gz:1:10:bom text omega\n");
    // A `#` in a file's name, or in a collection's, beside a file named like what comes before it.
    env.write("notes", "plain\n");
    env.write("notes#old.txt", "zebra in a hash file\n");
    env.write("d", "x\n");
    env.write("d#1.jsonl", "{\"id\":\"r1\",\"text\":\"one kiwi\"}\n");
    env.cmd(&["ingest", "notes", "notes#old.txt"])
        .assert()
        .success();
    env.cmd(&["ingest", "--jsonl", "d#1.jsonl"])
        .assert()
        .success();
    let quickfix = stdout(&env.run(&["search", "--vimgrep", "zebra OR kiwi"]));
    let mut lines: Vec<&str> = quickfix.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "d#1.jsonl:1:1:one kiwi",
            "notes#old.txt:1:1:zebra in a hash file"
        ]
    );
}

/// A directory on the way to a hit's file replaced by a link (to a copy elsewhere): the file
/// at the path is another one, and is not opened.
#[cfg(unix)]
#[test]
fn a_hit_reached_through_a_link_now_is_not_opened() {
    let env = Env::new();
    let script = recording_editor(&env);
    env.write("p/sub/a.txt", "a lingonberry paragraph\n");
    env.cmd(&["ingest", "p"]).assert().success();
    std::fs::rename(env.path("p/sub"), env.path("elsewhere")).unwrap();
    std::os::unix::fs::symlink(env.path("elsewhere"), env.path("p/sub")).unwrap();
    let mut cmd = env.cmd(&["search", "--open", "1", "lingonberry"]);
    cmd.env_remove("VISUAL").env("EDITOR", &script);
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("p/sub/a.txt is reached through a link now"),
        "{}",
        stderr(&output)
    );
    assert!(!env.path("args.txt").exists());
}

#[cfg(unix)]
#[test]
fn only_the_opened_hits_file_is_warned_about() {
    let env = Env::new();
    let script = recording_editor(&env);
    env.write("docs/a.txt", "walrus walrus walrus\n");
    env.write("docs/b.txt", "a walrus and more words around it\n");
    env.cmd(&["ingest", "docs"]).assert().success();
    env.write("docs/a.txt", "walrus walrus walrus, changed\n");
    let open = |n: &str| {
        let mut cmd = env.cmd(&["search", "--open", n, "walrus"]);
        cmd.env_remove("VISUAL").env("EDITOR", &script);
        let output = cmd.output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        stderr(&output)
    };
    // Hit 2 (b.txt) is as indexed: the changed a.txt, hit 1, is not shown, nor said.
    assert_eq!(open("2"), "");
    let warned = open("1");
    assert!(
        warned.starts_with("parafind: warning: docs/a.txt changed since it was indexed"),
        "{warned}"
    );
    assert_eq!(warned.lines().count(), 1, "{warned}");
}

#[cfg(unix)]
#[test]
fn a_hit_whose_file_is_gone_is_not_opened() {
    // An editor would open an empty buffer, and saving it would make an empty file.
    let env = Env::new();
    let script = recording_editor(&env);
    env.write("docs/gone.txt", "a vanishing paragraph\n");
    env.cmd(&["ingest", "docs"]).assert().success();
    std::fs::remove_file(env.path("docs/gone.txt")).unwrap();
    let mut cmd = env.cmd(&["search", "--open", "1", "vanishing"]);
    cmd.env_remove("VISUAL").env("EDITOR", &script);
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("docs/gone.txt no longer exists: nothing to open"),
        "{}",
        stderr(&output)
    );
    assert!(!env.path("args.txt").exists());
    assert!(!env.path("docs/gone.txt").exists());
    // A directory where the file was: no editor either.
    std::fs::create_dir(env.path("docs/gone.txt")).unwrap();
    let mut cmd = env.cmd(&["search", "--open", "1", "vanishing"]);
    cmd.env_remove("VISUAL").env("EDITOR", &script);
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("docs/gone.txt is a directory now, not the file indexed"),
        "{}",
        stderr(&output)
    );
    assert!(!env.path("args.txt").exists());
    // A link to another file, or a pipe (where an editor would wait for a writer): neither.
    std::fs::remove_dir(env.path("docs/gone.txt")).unwrap();
    env.write("other.txt", "another file\n");
    std::os::unix::fs::symlink(env.path("other.txt"), env.path("docs/gone.txt")).unwrap();
    let fifo = env.path("docs/pipe.txt");
    for (replaced, says) in [
        ("link", "a link now"),
        ("pipe", "a pipe, a socket or a device now"),
    ] {
        if replaced == "pipe" {
            std::fs::remove_file(env.path("docs/gone.txt")).unwrap();
            let made = std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap();
            assert!(made.success());
            std::fs::rename(&fifo, env.path("docs/gone.txt")).unwrap();
        }
        let mut cmd = env.cmd(&["search", "--open", "1", "vanishing"]);
        cmd.env_remove("VISUAL").env("EDITOR", &script);
        let output = cmd.output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{replaced}: {}",
            stderr(&output)
        );
        assert!(stderr(&output).contains(says), "{}", stderr(&output));
        assert!(!env.path("args.txt").exists());
    }
}
