//! Keeping the index in step with the files: ingest adds and removes only what is gone,
//! `remove` takes files out on request, stale-file warnings name the fix, and the index lives
//! only in a directory that is parafind's, found from any directory below it.

use crate::util::*;

fn listed(env: &Env) -> String {
    stdout(&env.run(&["list"]))
}

#[test]
fn a_filtered_ingest_never_removes_files_indexed_under_another_filter() {
    let env = Env::new();
    env.write("coll/a.md", "# Tides\n\nalpha tides\n");
    env.write("coll/b.txt", "alpha text\n");
    env.write("coll/.hidden.txt", "alpha hidden\n");
    env.cmd(&["ingest", "-t", "md", "coll"]).assert().success();
    env.cmd(&["ingest", "coll/.hidden.txt"]).assert().success();
    let output = env.run(&["ingest", "-g", "*.txt", "coll"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("0 removed"), "{}", stderr(&output));
    let files = listed(&env);
    for name in ["coll/a.md", "coll/b.txt", "coll/.hidden.txt"] {
        assert!(files.contains(name), "{name} missing from {files}");
    }
    // A file that is gone is removed by the next ingest of its directory.
    std::fs::remove_file(env.path("coll/a.md")).unwrap();
    let output = env.run(&["ingest", "-g", "*.txt", "coll"]);
    assert!(stderr(&output).contains("1 removed"), "{}", stderr(&output));
    assert!(!listed(&env).contains("a.md"));
}

#[test]
fn remove_takes_out_files_directories_and_vanished_paths() {
    let env = Env::new();
    env.write("notes/a.txt", "alpha one\n");
    env.write("notes/sub/b.txt", "alpha two\n\nalpha again\n");
    env.write("c.txt", "alpha three\n");
    env.cmd(&["ingest", "notes", "c.txt"]).assert().success();
    let output = env.run(&["remove", "notes/sub"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("removed 1 file (2 paragraphs)"),
        "{}",
        stderr(&output)
    );
    std::fs::remove_file(env.path("c.txt")).unwrap();
    let (records, status) = env.records(&["remove", "--json", "c.txt"]);
    assert_eq!(status, 0);
    let [Record::Remove(report)] = &records[..] else {
        panic!("{records:?}");
    };
    assert_eq!(
        (report.removed, report.paragraphs, report.warnings),
        (1, 1, 0)
    );
    assert_eq!(report.index, env.path("index").display().to_string());
    let files = listed(&env);
    assert!(files.contains("notes/a.txt"), "{files}");
    assert!(
        !files.contains("b.txt") && !files.contains("c.txt"),
        "{files}"
    );
}

#[cfg(unix)]
#[test]
fn a_file_replaced_by_a_link_is_the_one_shown_and_removed_not_the_links_target() {
    let env = Env::new();
    env.write("n/k.txt", "keep\n");
    env.write("n/s.txt", "p1 quince\n\np2\n");
    env.cmd(&["ingest", "n"]).assert().success();
    std::fs::remove_file(env.path("n/s.txt")).unwrap();
    std::os::unix::fs::symlink("k.txt", env.path("n/s.txt")).unwrap();
    // What the index holds at n/s.txt, not n/k.txt's paragraph.
    let shown = env.run(&["show", "n/s.txt"]);
    assert_eq!(shown.status.code(), Some(0), "{}", stderr(&shown));
    assert!(stdout(&shown).contains("p1 quince"), "{}", stdout(&shown));
    let output = env.run(&["remove", "n/s.txt"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let files = listed(&env);
    assert!(
        files.contains("n/k.txt") && !files.contains("n/s.txt"),
        "{files}"
    );
    // The link's target is no file left out of later walks.
    env.cmd(&["refresh"]).assert().success();
    assert!(listed(&env).contains("n/k.txt"), "{}", listed(&env));
    // A directory on the way replaced by a link to another indexed directory: the file that
    // was there goes, not the one the link leads to.
    env.write("d1/sub/v.txt", "one\n");
    env.write("d2/w.txt", "two\n");
    env.cmd(&["ingest", "d1", "d2"]).assert().success();
    std::fs::remove_dir_all(env.path("d1/sub")).unwrap();
    std::os::unix::fs::symlink("../d2", env.path("d1/sub")).unwrap();
    env.write("d2/v.txt", "other\n");
    let output = env.run(&["remove", "d1/sub/v.txt"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let files = listed(&env);
    assert!(
        files.contains("d2/w.txt") && !files.contains("d1/sub/v.txt"),
        "{files}"
    );
    env.cmd(&["refresh"]).assert().success();
    assert!(listed(&env).contains("d2/v.txt"), "{}", listed(&env));
    // An indexed file replaced by a link to a directory is shown as it was indexed.
    env.write("e/b.txt", "alpha bravo\n");
    env.cmd(&["ingest", "e"]).assert().success();
    std::fs::remove_file(env.path("e/b.txt")).unwrap();
    std::os::unix::fs::symlink("../d2", env.path("e/b.txt")).unwrap();
    let shown = env.run(&["show", "e/b.txt"]);
    assert_eq!(shown.status.code(), Some(0), "{}", stderr(&shown));
    assert!(stdout(&shown).contains("alpha bravo"), "{}", stdout(&shown));
    // A link to a directory where the index holds nothing is a directory, as the directory is.
    std::os::unix::fs::symlink("d2", env.path("to-d2")).unwrap();
    for target in ["to-d2", "d2"] {
        let shown = env.run(&["show", target]);
        assert_eq!(shown.status.code(), Some(2));
        assert_eq!(
            stderr(&shown),
            format!(
                "parafind: {target}: is a directory; show takes a file, PATH or PATH:N \
                 (`parafind list` names the indexed files)\n"
            )
        );
    }
}

#[test]
fn a_path_removed_from_under_a_remembered_directory_stays_out_until_ingested_by_name() {
    let env = Env::new();
    env.write("notes/k.txt", "keep me\n");
    env.write("notes/drafts/x.txt", "secret draft plum\n");
    env.write("notes/old.txt", "old quince\n");
    env.write("notes/gone.txt", "gone fig\n");
    env.cmd(&["ingest", "notes"]).assert().success();
    std::fs::remove_file(env.path("notes/gone.txt")).unwrap();
    let output = env.run(&["remove", "notes/drafts", "notes/old.txt", "notes/gone.txt"]);
    assert!(output.status.success(), "{}", stderr(&output));
    // Only what is still on disk is left out (a file made again where one was removed that
    // was already gone is a new file).
    assert!(
        stderr(&output).contains(
            "parafind: refresh and watch now leave out notes/drafts, notes/old.txt (removed \
             from under a directory the index remembers); ingest a path by name to take it back"
        ),
        "{}",
        stderr(&output)
    );
    env.write("notes/drafts/y.txt", "another plum\n");
    env.write("notes/gone.txt", "fig again\n");
    let found = |query: &str| {
        stdout(&env.run(&["search", "-c", query]))
            .trim()
            .to_string()
    };
    env.cmd(&["refresh"]).assert().success();
    assert_eq!(
        (found("plum"), found("quince"), found("fig")),
        ("0".into(), "0".into(), "1".into())
    );
    // An ingest whose filters leave a removed path out does not take it back.
    env.cmd(&["ingest", "-t", "md", "notes"]).assert().success();
    env.cmd(&["refresh"]).assert().success();
    assert_eq!((found("plum"), found("quince")), ("0".into(), "0".into()));
    // By name, a removed path comes back, and the rest stays out.
    env.cmd(&["ingest", "notes/drafts"]).assert().success();
    env.cmd(&["refresh"]).assert().success();
    assert_eq!((found("plum"), found("quince")), ("2".into(), "0".into()));
    // The directory ingested again takes back all that was removed under it.
    let (records, status) = env.records(&["remove", "--json", "notes/k.txt", "notes/k.txt"]);
    assert_eq!(status, 0);
    let Some(Record::Remove(report)) = records.last() else {
        panic!("{records:?}");
    };
    assert_eq!(report.left_out, ["notes/k.txt"]);
    env.cmd(&["ingest", "notes"]).assert().success();
    env.cmd(&["refresh"]).assert().success();
    assert_eq!((found("keep"), found("quince")), ("1".into(), "1".into()));
}

#[test]
fn a_file_named_to_ingest_is_compared_by_content_when_its_size_and_time_are_kept() {
    let env = Env::new();
    let fixed = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1);
    let write_keeping_time = |text: &str| {
        env.write("out/VERSION.txt", text);
        let opened = std::fs::File::options()
            .write(true)
            .open(env.path("out/VERSION.txt"));
        opened.and_then(|f| f.set_modified(fixed)).unwrap();
    };
    write_keeping_time("release 1.2.3\n");
    env.cmd(&["ingest", "out"]).assert().success();
    write_keeping_time("release 1.2.4\n");
    // A walk trusts the size and time (documented); a file named is read and compared.
    let walked = env.run(&["ingest", "out"]);
    assert!(stderr(&walked).contains("0 updated"), "{}", stderr(&walked));
    let named = env.run(&["ingest", "out/VERSION.txt"]);
    assert!(stderr(&named).contains("1 updated"), "{}", stderr(&named));
    assert_eq!(stdout(&env.run(&["search", "-c", "1.2.4"])), "1\n");
    // The same content again: compared, and unchanged.
    let again = env.run(&["ingest", "out/VERSION.txt"]);
    assert!(stderr(&again).contains("1 unchanged"), "{}", stderr(&again));
    // A file remembered as binary, turned text with its size and time kept, is read too.
    let keep_time = |name: &str, bytes: &[u8]| {
        env.write(name, bytes);
        let opened = std::fs::File::options().write(true).open(env.path(name));
        opened.and_then(|f| f.set_modified(fixed)).unwrap();
    };
    keep_time("out/data.txt", b"bin\0ary\n");
    let walked = env.run(&["ingest", "out"]);
    assert!(stderr(&walked).contains("binary"), "{}", stderr(&walked));
    keep_time("out/data.txt", b"okapis!\n");
    let named = env.run(&["ingest", "out/data.txt"]);
    assert!(stderr(&named).contains("1 added"), "{}", stderr(&named));
    // So is a collection named with --jsonl; a refresh trusts the stamp (documented).
    keep_time("c.jsonl", br#"{"id":"a","text":"alpha one"}"#);
    env.cmd(&["ingest", "--jsonl", "c.jsonl"])
        .assert()
        .success();
    keep_time("c.jsonl", br#"{"id":"a","text":"gamma one"}"#);
    let refreshed = env.run(&["refresh"]);
    assert!(
        stderr(&refreshed).contains("0 updated"),
        "{}",
        stderr(&refreshed)
    );
    let named = env.run(&["ingest", "--jsonl", "c.jsonl"]);
    assert!(stderr(&named).contains("1 updated"), "{}", stderr(&named));
    assert_eq!(stdout(&env.run(&["search", "-c", "gamma"])), "1\n");
}

#[test]
fn removing_a_path_the_index_does_not_hold_removes_nothing() {
    let env = Env::new();
    env.write("a.txt", "alpha\n");
    env.cmd(&["ingest", "a.txt"]).assert().success();
    let output = env.run(&["remove", "a.txt", "zzz"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("zzz is not in the index") && err.contains("nothing was removed"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(listed(&env).contains("a.txt"));
}

#[test]
fn stale_file_warnings_name_the_command_that_fixes_them() {
    let env = Env::new();
    env.write("n.txt", "alpha beta\n");
    env.write("gone.txt", "alpha gone\n");
    env.cmd(&["ingest", "n.txt", "gone.txt"]).assert().success();
    std::thread::sleep(std::time::Duration::from_millis(20));
    env.write("n.txt", "alpha beta, changed\n");
    std::fs::remove_file(env.path("gone.txt")).unwrap();
    let err = stderr(&env.run(&["search", "alpha"]));
    assert!(
        err.contains("n.txt changed since it was indexed; run `parafind ingest n.txt`"),
        "{err}"
    );
    assert!(
        err.contains("gone.txt no longer exists; run `parafind remove gone.txt`"),
        "{err}"
    );
    // A file list names the file that is gone; `show` prints what was indexed, and says the
    // file changed since.
    let err = stderr(&env.run(&["search", "-l", "alpha"]));
    assert!(err.contains("gone.txt no longer exists"), "{err}");
    // A file whose name cut at `#` is another file's is no record of it.
    env.write("k", "alpha k\n");
    env.write("k#2.txt", "alpha k two\n");
    env.cmd(&["ingest", "k", "k#2.txt"]).assert().success();
    std::fs::remove_file(env.path("k#2.txt")).unwrap();
    let err = stderr(&env.run(&["search", "-l", "alpha"]));
    assert!(err.contains("k#2.txt no longer exists"), "{err}");
    let err = stderr(&env.run(&["show", "n.txt"]));
    assert!(err.contains("n.txt changed since it was indexed"), "{err}");
    // With --json, a warning record comes first, as search writes it, and stderr stays quiet.
    let json = env.run(&["show", "--json", "n.txt"]);
    let first = stdout(&json).lines().next().unwrap_or_default().to_string();
    assert!(
        first.starts_with(r#"{"type":"warning","message":"n.txt changed since it was indexed"#),
        "{first}"
    );
    assert_eq!(stderr(&json), "");
    env.cmd(&["ingest", "n.txt"]).assert().success();
    env.cmd(&["remove", "gone.txt", "k#2.txt"])
        .assert()
        .success();
    let err = stderr(&env.run(&["search", "alpha"]));
    assert!(!err.contains("warning"), "{err}");
}

#[test]
fn refresh_names_files_as_ingest_and_json_do_and_a_line_break_in_a_name_shows_escaped() {
    let env = Env::new();
    env.write("docs/a.txt", "alpha\n");
    env.cmd(&["ingest", "docs"]).assert().success();
    // Met by `refresh` through the remembered directory's absolute path.
    env.write("docs/latin.txt", b"alpha caf\xe9\n");
    let err = stderr(&env.run(&["refresh"]));
    assert!(
        err.contains("parafind: warning: docs/latin.txt: not UTF-8"),
        "{err}"
    );
    // A name with a line break cannot read as another name (`docs/new line.txt`).
    env.write("docs/new\nline.txt", "alpha new\n");
    env.cmd(&["refresh"]).assert().success();
    std::fs::remove_file(env.path("docs/new\nline.txt")).unwrap();
    let err = stderr(&env.run(&["search", "alpha"]));
    assert!(
        err.contains("warning: docs/new\\u{a}line.txt no longer exists"),
        "{err}"
    );
}

/// The command between the first pair of backticks after `run ` in `message`.
fn fix_it_command(message: &str) -> Vec<String> {
    let command = message
        .split_once("run `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(command, _)| command)
        .unwrap_or_else(|| panic!("no command in {message}"));
    let read = std::process::Command::new("bash")
        .args(["-c", &format!("printf '%s\\0' {command}")])
        .output()
        .expect("bash");
    let words = String::from_utf8(read.stdout).expect("utf-8");
    words.split_terminator('\0').map(String::from).collect()
}

#[test]
fn fix_it_commands_run_as_printed_act_on_the_index_they_are_about() {
    let env = Env::new();
    env.write("docs/sub/n.txt", "alpha beta\n");
    env.write("docs/sub/gone.txt", "alpha gone\n");
    env.cmd(&["ingest", "--index", "my ix", "docs"])
        .assert()
        .success();
    std::thread::sleep(std::time::Duration::from_millis(20));
    env.write("docs/sub/n.txt", "alpha beta, changed\n");
    std::fs::remove_file(env.path("docs/sub/gone.txt")).unwrap();
    let err = stderr(&env.run(&["--index", "my ix", "search", "alpha"]));
    assert!(
        err.contains("run `parafind --index 'my ix' ingest docs/sub/n.txt`"),
        "{err}"
    );
    // Each command, run as printed from the same directory, mends the index it warned about
    // (and creates no `./index`).
    for line in err.lines() {
        let words = fix_it_command(line);
        assert_eq!(words[0], "parafind", "{line}");
        let words: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        env.cmd(&words).assert().success();
    }
    assert!(!env.path("index").exists());
    let err = stderr(&env.run(&["--index", "my ix", "search", "alpha"]));
    assert!(!err.contains("warning"), "{err}");
    // The default index, found from a directory below it, is named too: there, `ingest`
    // would create another `./index`.
    env.cmd(&["ingest", "docs"]).assert().success();
    std::thread::sleep(std::time::Duration::from_millis(20));
    env.write("docs/sub/n.txt", "alpha beta, changed again\n");
    let output = env
        .cmd(&["search", "alpha"])
        .current_dir(env.path("docs/sub"))
        .output()
        .unwrap();
    let err = stderr(&output);
    let words = fix_it_command(&err);
    let index = env.path("index").canonicalize().unwrap();
    assert_eq!(
        words,
        [
            "parafind",
            "--index",
            index.to_str().unwrap(),
            "ingest",
            "n.txt"
        ],
        "{err}"
    );
    // An error's command names an index given by `--index` too.
    let err = stderr(&env.run(&["--index", "none", "search", "alpha"]));
    assert!(
        err.contains("create one with `parafind --index none ingest PATH...`"),
        "{err}"
    );
    // The default index in the current directory needs no flag...
    let err = stderr(&env.run(&["search", "alpha"]));
    assert!(
        err.contains("run `parafind ingest docs/sub/n.txt`"),
        "{err}"
    );
    // ... unless PARAFIND_INDEX names another, which the command would use.
    let output = env
        .cmd(&["--index", "index", "search", "alpha"])
        .env("PARAFIND_INDEX", "my ix")
        .output()
        .unwrap();
    let err = stderr(&output);
    assert!(
        err.contains("run `parafind --index index ingest docs/sub/n.txt`"),
        "{err}"
    );
}

#[test]
fn a_directory_replaced_by_a_link_to_where_it_went_is_indexed_once() {
    let env = Env::new();
    env.write("s/dir/x.txt", "alpha uniqueqqword\n");
    env.cmd(&["ingest", "s"]).assert().success();
    std::fs::rename(env.path("s/dir"), env.path("s/dir.bak")).unwrap();
    std::os::unix::fs::symlink("dir.bak", env.path("s/dir")).unwrap();
    for command in ["refresh", "ingest"] {
        let mut args = vec![command];
        if command == "ingest" {
            args.push("s");
        }
        env.cmd(&args).assert().success();
        let files = listed(&env);
        assert!(
            files.contains("s/dir.bak/x.txt") && !files.contains("s/dir/x.txt"),
            "{command}: {files}"
        );
        assert_eq!(stdout(&env.run(&["search", "-c", "uniqueqqword"])), "1\n");
    }
}

/// A directory the index remembers, deleted and a file made in its place, then that file
/// ingested: the directory's files are taken out and it is forgotten (no refresh says it is
/// gone ever after).
#[test]
fn a_file_ingested_where_a_remembered_directory_was_replaces_it() {
    let env = Env::new();
    env.write("x/in.txt", "old walrus\n");
    env.write("x/sub/deep.txt", "deep walrus\n");
    env.cmd(&["ingest", "x"]).assert().success();
    std::fs::remove_dir_all(env.path("x")).unwrap();
    env.write("x", "new walrus\n");
    let output = env.run(&["ingest", "x"]);
    assert!(
        stderr(&output).contains("(1 added, 0 updated, 2 removed"),
        "{}",
        stderr(&output)
    );
    assert_eq!(listed(&env).lines().count(), 1, "{}", listed(&env));
    let refreshed = stderr(&env.run(&["refresh"]));
    assert!(!refreshed.contains("warning"), "{refreshed}");
}

#[test]
fn a_file_replaced_by_a_directory_or_a_link_is_taken_out_by_refresh_and_ingest() {
    let env = Env::new();
    env.write("d/x.md", "old text oldword\n");
    env.write("d/p.txt", "plain zzword\n");
    env.write("d/t.txt", "target tgt\n");
    env.cmd(&["ingest", "d"]).assert().success();
    std::fs::remove_file(env.path("d/x.md")).unwrap();
    env.write("d/x.md/y.txt", "new text\n");
    std::fs::remove_file(env.path("d/p.txt")).unwrap();
    // A link to a file outside every indexed directory: refresh must not index it.
    env.write("outside/secret.txt", "secret papaya\n");
    std::os::unix::fs::symlink("../outside/secret.txt", env.path("d/p.txt")).unwrap();
    let err = stderr(&env.run(&["search", "--any", "oldword", "zzword"]));
    for path in ["d/x.md", "d/p.txt"] {
        assert!(
            err.contains(&format!(
                "{path} is no longer a file (a directory, a link or a pipe took its place); run `parafind refresh`"
            )),
            "{err}"
        );
    }
    env.cmd(&["refresh"]).assert().success();
    assert_eq!(
        stdout(&env.run(&["search", "-c", "--any", "oldword", "zzword"])),
        "0\n"
    );
    let list = listed(&env);
    assert!(
        list.contains("d/x.md/y.txt") && list.contains("d/t.txt"),
        "{list}"
    );
    assert!(
        !list.contains("d/p.txt") && !list.contains("secret"),
        "{list}"
    );
    // An ingest of the directory takes out a file replaced the same way.
    env.write("d/q.txt", "soon a directory\n");
    env.cmd(&["ingest", "d"]).assert().success();
    std::fs::remove_file(env.path("d/q.txt")).unwrap();
    env.write("d/q.txt/inner.txt", "inner\n");
    env.cmd(&["ingest", "d"]).assert().success();
    let list = listed(&env);
    assert!(list.contains("d/q.txt/inner.txt"), "{list}");
    assert!(!list.lines().any(|l| l.ends_with("d/q.txt")), "{list}");
}

#[test]
fn an_index_is_never_made_among_other_files() {
    let env = Env::new();
    env.write("docs/mine.txt", "my own notes\n");
    env.write("notes/a.txt", "alpha\n");
    let output = env.run(&["--index", "docs", "ingest", "notes"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    let absolute = env.path("docs").display().to_string();
    assert!(
        err.contains(&format!(
            "{absolute} is not empty and holds no parafind index"
        )),
        "{err}"
    );
    let names: Vec<_> = std::fs::read_dir(env.path("docs"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["mine.txt"]);
    // An empty directory, or the index itself, is fine.
    std::fs::create_dir(env.path("empty")).unwrap();
    env.cmd(&["--index", "empty", "ingest", "notes"])
        .assert()
        .success();
    env.cmd(&["--index", "empty", "ingest", "notes"])
        .assert()
        .success();
    assert!(env
        .path(&format!("empty/{}", parafind::index::MARKER))
        .is_file());
}

#[test]
fn commands_find_the_index_in_a_parent_directory() {
    let env = Env::new();
    env.write("notes/deep/er/a.txt", "alpha\n");
    env.cmd(&["ingest", "notes"]).assert().success();
    let mut search = env.cmd(&["search", "alpha"]);
    search.current_dir(env.path("notes/deep/er"));
    let output = search.output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("a.txt"));
    let mut stats = env.cmd(&["stats"]);
    stats.current_dir(env.path("notes/deep"));
    let shown = stdout(&stats.output().unwrap());
    let index = env.path("index").display().to_string();
    assert!(shown.contains(&index), "{shown}");
}

#[test]
fn a_search_during_the_first_ingest_says_it_is_running() {
    let env = Env::new();
    // What a first ingest holds while it runs: an index with no commit, and the writer lock.
    parafind::index::open_or_create(&env.path("index")).unwrap();
    let lock = std::fs::File::open(env.path("index/.tantivy-writer.lock"))
        .or_else(|_| std::fs::File::create(env.path("index/.tantivy-writer.lock")))
        .unwrap();
    lock.lock().unwrap();
    let output = env.run(&["search", "alpha"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("the first ingest into"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("is still running"),
        "{}",
        stderr(&output)
    );
    drop(lock);
    let output = env.run(&["search", "alpha"]);
    assert!(
        stderr(&output).contains("no index at"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn refresh_updates_removes_and_adds_with_the_filters_of_each_root() {
    let env = Env::new();
    env.write("coll/a.md", "alpha md\n");
    env.write("coll/b.txt", "alpha txt\n");
    env.write("solo.txt", "alpha solo\n");
    env.cmd(&["ingest", "-t", "md", "coll"]).assert().success();
    env.cmd(&["ingest", "solo.txt"]).assert().success();
    env.write("coll/sub/new.md", "alpha new\n");
    env.write("coll/sub/new.txt", "alpha left out\n");
    std::thread::sleep(std::time::Duration::from_millis(20));
    env.write("solo.txt", "alpha solo, edited\n");
    std::fs::remove_file(env.path("coll/a.md")).unwrap();
    // From a subdirectory: the index is found upwards, and the roots are absolute.
    let mut refresh = env.cmd(&["refresh", "--json"]);
    refresh.current_dir(env.path("coll"));
    let output = refresh.output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let records = decode(&output.stdout);
    let [Record::Ingest(report)] = &records[..] else {
        panic!("{records:?}");
    };
    assert_eq!(
        (
            report.added,
            report.updated,
            report.removed,
            report.unchanged
        ),
        (1, 1, 1, 0),
        "{report:?}"
    );
    let files = listed(&env);
    assert!(
        files.contains("coll/sub/new.md") && files.contains("solo.txt"),
        "{files}"
    );
    assert!(
        !files.contains("new.txt") && !files.contains("a.md"),
        "{files}"
    );
    let output = env.run(&["refresh"]);
    assert!(
        stderr(&output).contains("(0 added, 0 updated, 0 removed, 2 unchanged)"),
        "{}",
        stderr(&output)
    );
}

/// A directory ingested and since moved (or on a disk not mounted): refresh takes its files
/// out, as it says it does for any file gone, and names the directory, not only a count.
#[test]
fn refresh_names_a_directory_ingested_that_is_gone() {
    let env = Env::new();
    for n in 1..=3 {
        env.write(&format!("proj/notes/n{n}.txt"), "kites\n");
    }
    env.write("other/o.txt", "kites\n");
    env.cmd(&["ingest", "proj/notes", "other"])
        .assert()
        .success();
    std::fs::rename(env.path("proj"), env.path("moved")).unwrap();
    let output = env.run(&["refresh"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let told = stderr(&output);
    let gone = told
        .lines()
        .filter(|line| line.contains("the directory ingested is gone"))
        .collect::<Vec<_>>();
    assert_eq!(gone.len(), 1, "{told}");
    assert!(gone[0].contains("proj/notes: "), "{told}");
    assert!(told.contains("3 removed"), "{told}");
    let files = listed(&env);
    assert!(
        files.lines().count() == 1 && files.contains("other/o.txt"),
        "{files}"
    );
    // A directory that is there but empty (a mount point whose disk is not mounted): said too.
    std::fs::create_dir(env.path("mnt")).unwrap();
    env.write("mnt/m.txt", "kites\n");
    env.cmd(&["ingest", "mnt"]).assert().success();
    std::fs::remove_file(env.path("mnt/m.txt")).unwrap();
    let told = stderr(&env.run(&["refresh"]));
    assert!(
        told.contains("mnt: the directory ingested is empty now (a disk not mounted?)"),
        "{told}"
    );
    // Said at each refresh while it is remembered, to scripts as a warning record.
    let (records, _) = env.records(&["refresh", "--json"]);
    assert!(
        records.iter().any(|r| matches!(r,
            Record::Warning(Warning::File(w)) if w.path.ends_with("proj/notes") && w.message.contains("is gone"))),
        "{records:?}"
    );
    // As the warning says: `remove` forgets it (the index holds none of its files now), and
    // refresh no longer speaks of it.
    let removed = env.run(&["remove", "proj/notes"]);
    assert_eq!(removed.status.code(), Some(0), "{}", stderr(&removed));
    let told = stderr(&env.run(&["refresh"]));
    assert!(!told.contains("proj/notes"), "{told}");
    assert!(listed(&env).contains("other/o.txt"));
    // A path the index neither holds nor remembers is still refused.
    let output = env.run(&["remove", "nowhere"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[test]
fn a_touched_file_gets_its_new_time_and_its_warning_clears() {
    let env = Env::new();
    env.write("n.txt", "alpha beta\n");
    env.cmd(&["ingest", "n.txt"]).assert().success();
    std::thread::sleep(std::time::Duration::from_millis(20));
    env.write("n.txt", "alpha beta\n");
    assert!(stderr(&env.run(&["search", "alpha"])).contains("changed since it was indexed"));
    let output = env.run(&["ingest", "n.txt"]);
    assert!(
        stderr(&output).contains("(0 added, 0 updated, 0 removed, 1 unchanged)"),
        "{}",
        stderr(&output)
    );
    let output = env.run(&["search", "alpha"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
    assert_eq!(stdout(&output).matches("alpha beta").count(), 1);
}

/// Kills the process when dropped, so a failing test leaves no watcher behind.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Polls `check` for up to 60 seconds (a debug build on a busy machine; a change settles in
/// 200 ms).
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(60) {
        if check() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("never happened: {what}");
}

#[test]
fn watch_refuses_a_file_before_ingesting_anything() {
    let env = Env::new();
    env.write("d/a.txt", "gnu\n");
    let output = env.run(&["watch", "d/a.txt"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.starts_with("parafind: watch d/a.txt: not a directory;") && err.lines().count() == 1,
        "{err}"
    );
    assert!(!env.path("index").exists());
}

#[test]
fn watch_follows_edits_renames_deletions_and_bursts() {
    let env = Env::new();
    env.write("notes/a.md", "alpha first\n");
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("parafind"));
    cmd.current_dir(env.path(""))
        .env_remove("PARAFIND_INDEX")
        .args(["watch", "-t", "md", "notes"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let mut watcher = Running(cmd.spawn().expect("start watch"));
    let mut err_lines = std::io::BufReader::new(watcher.0.stderr.take().expect("stderr"));
    let mut line = String::new();
    while !line.contains("watching 1 directory") {
        line.clear();
        let read = std::io::BufRead::read_line(&mut err_lines, &mut line).expect("stderr");
        assert!(read > 0, "watch ended before it was ready");
    }
    assert!(listed(&env).contains("notes/a.md"));
    env.write("notes/sub/b.md", "beta new\n");
    env.write("notes/c.txt", "gamma filtered out\n");
    eventually("a new file", || listed(&env).contains("notes/sub/b.md"));
    std::fs::rename(env.path("notes/a.md"), env.path("notes/renamed.md")).unwrap();
    eventually("a rename", || {
        let files = listed(&env);
        files.contains("notes/renamed.md") && !files.contains("notes/a.md")
    });
    std::fs::remove_file(env.path("notes/sub/b.md")).unwrap();
    eventually("a deletion", || !listed(&env).contains("b.md"));
    // A file replaced by a directory of the same name, with a file in it.
    env.write("notes/d.md", "delta file\n");
    eventually("another new file", || listed(&env).contains("notes/d.md"));
    std::fs::remove_file(env.path("notes/d.md")).unwrap();
    env.write("notes/d.md/inner.md", "inner file\n");
    eventually("a file replaced by a directory", || {
        let files = listed(&env);
        files.contains("notes/d.md/inner.md") && !files.lines().any(|l| l.ends_with(" notes/d.md"))
    });
    // A file read only in part is said, as ingest says it.
    env.write("notes/latin.md", b"caf\xe9 latinword\n");
    eventually("a file with bytes that are not UTF-8", || {
        stdout(&env.run(&["search", "--count", "latinword"])).trim() == "1"
    });
    for i in 0..300 {
        env.write(
            &format!("notes/burst/f{i:03}.md"),
            format!("burst word{i}\n"),
        );
    }
    eventually("a burst", || {
        stdout(&env.run(&["search", "--count", "burst"])).trim() == "300"
    });
    assert!(!listed(&env).contains("c.txt"), "the -t md filter holds");
    // A link to a directory elsewhere is not walked into, as ingest does not follow links.
    env.write("outside/o.md", "outsidesecret\n");
    std::os::unix::fs::symlink(env.path("outside"), env.path("notes/linkdir")).unwrap();
    env.write("notes/after-link.md", "after the link\n");
    eventually("a file after the link", || {
        listed(&env).contains("notes/after-link.md")
    });
    // Nor is a change inside it seen as the watched directory's.
    env.write("outside/written-later.md", "outsidesecret later\n");
    env.write("notes/after-outside.md", "after the outside write\n");
    eventually("a file after the outside write", || {
        listed(&env).contains("notes/after-outside.md")
    });
    assert!(!listed(&env).contains("  outside/"), "{}", listed(&env));
    // A directory ingested while watch runs stays the index's: watch's next commit keeps it.
    env.write("other/x.md", "other one\n");
    eventually("an ingest beside watch", || {
        env.run(&["ingest", "other"]).status.success()
    });
    env.write("notes/after-other.md", "after the other\n");
    eventually("a change after the ingest", || {
        listed(&env).contains("notes/after-other.md")
    });
    env.write("other/y.md", "other two\n");
    eventually("a refresh beside watch", || {
        env.run(&["refresh"]).status.success()
    });
    assert!(listed(&env).contains("other/y.md"), "{}", listed(&env));
    drop(watcher);
    let mut err = String::new();
    std::io::Read::read_to_string(&mut err_lines, &mut err).expect("watch stderr");
    let commits = err.lines().filter(|l| l.contains("indexed in")).count();
    assert!((4..=40).contains(&commits), "{commits} commits:\n{err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with("parafind: warning: ") && l.contains("latin.md")),
        "{err}"
    );
    // Stopped at once (SIGKILL), it leaves the last commit intact and searchable.
    let count = env.run(&["search", "--count", "burst"]);
    assert_eq!(stdout(&count).trim(), "300", "{}", stderr(&count));
}

#[test]
fn binary_files_are_counted_quietly_and_not_read_again_while_unchanged() {
    let env = Env::new();
    env.write("docs/a.txt", "alpha\n");
    env.write("docs/pic.bin", b"\x89PNG\0\0\0binary".repeat(100));
    // A time well past: a binary file is remembered by a stamp that can be trusted.
    set_mtime(&env, "docs/pic.bin", 1_600_000_000);
    let output = env.run(&["ingest", "docs"]);
    let err = stderr(&output);
    assert!(!err.contains("pic.bin"), "{err}");
    assert!(
        err.contains("1 skipped: empty, binary or unreadable, --verbose lists them"),
        "{err}"
    );
    let output = env.run(&["ingest", "--verbose", "docs"]);
    assert!(
        stderr(&output).contains("docs/pic.bin: binary file"),
        "{}",
        stderr(&output)
    );
    // Unchanged, the binary file is not read again (only the edited text file is), and JSON
    // still lists it.
    env.write("docs/a.txt", "alpha beta\n");
    // A time well past (a file written a moment ago is read again until indexed: see
    // `racy_stamps_are_compared_by_content`).
    set_mtime(&env, "docs/a.txt", 1_600_000_000);
    let (records, status) = env.records(&["ingest", "--json", "docs"]);
    assert_eq!(status, 0);
    let binary = records
        .iter()
        .any(|r| matches!(r, Record::Warning(Warning::File(w)) if w.path == "docs/pic.bin"));
    assert!(binary, "{records:?}");
    let Some(Record::Ingest(report)) = records.last() else {
        panic!("{records:?}");
    };
    assert_eq!(
        (report.bytes, report.skipped, report.updated),
        (11, 1, 1),
        "{report:?}"
    );
    // Once it changes, it is read again.
    env.write("docs/pic.bin", b"\0 changed");
    set_mtime(&env, "docs/pic.bin", 1_600_000_100);
    let (records, _) = env.records(&["ingest", "--json", "docs"]);
    let Some(Record::Ingest(report)) = records.last() else {
        panic!("{records:?}");
    };
    assert_eq!(report.bytes, 9, "{report:?}");
    // Deleted, it is forgotten: the cache of binary files (only it was in it) goes.
    let cache = env.path("index/.parafind-skipped.json");
    assert!(cache.exists());
    std::fs::remove_file(env.path("docs/pic.bin")).unwrap();
    let output = env.run(&["ingest", "docs"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!cache.exists());
}

/// Sets the modification time of `name` to `secs` seconds after the epoch.
fn set_mtime(env: &Env, name: &str, secs: u64) {
    let file = std::fs::File::options()
        .write(true)
        .open(env.path(name))
        .unwrap();
    let time = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs);
    file.set_modified(time).unwrap();
}

/// A time an hour ahead of the clock, in whole seconds since the epoch: a stamp no ingest can
/// trust (see `corpus::is_racy`), as a coarse clock's tick would be just after a write.
fn an_hour_ahead() -> u64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    now.unwrap().as_secs() + 3600
}

/// The report of `ingest --json ARGS`.
fn ingest_report(env: &Env, args: &[&str]) -> IngestRecord {
    let mut all = vec!["ingest", "--json"];
    all.extend_from_slice(args);
    let (mut records, status) = env.records(&all);
    match records.pop() {
        Some(Record::Ingest(report)) if status == 0 => report,
        last => panic!("{status}: {records:?} {last:?}"),
    }
}

/// A file system keeping whole seconds (FAT, some network and older file systems) gives two
/// writes within a second one time: an edit of the same size right after an ingest read the
/// file leaves its size and time as they were. A stamp too recent to tell (here a time ahead,
/// which no clock tick can vouch for either) is compared by content at the next ingest, for a
/// file and a collection alike; an unchanged one stays as it is, without a commit.
#[test]
fn racy_stamps_are_compared_by_content() {
    let env = Env::new();
    let soon = an_hour_ahead();
    env.write("docs/notes.txt", "first draft\n");
    env.write("c.jsonl", "{\"id\": \"a\", \"text\": \"first\"}\n");
    set_mtime(&env, "docs/notes.txt", soon);
    set_mtime(&env, "c.jsonl", soon);
    let report = ingest_report(&env, &["docs", "--jsonl", "c.jsonl"]);
    assert_eq!(report.added, 2, "{report:?}");
    // The same size and time, other words.
    env.write("docs/notes.txt", "final draft\n");
    env.write("c.jsonl", "{\"id\": \"a\", \"text\": \"final\"}\n");
    set_mtime(&env, "docs/notes.txt", soon);
    set_mtime(&env, "c.jsonl", soon);
    let report = ingest_report(&env, &["docs", "--jsonl", "c.jsonl"]);
    assert_eq!((report.updated, report.committed), (2, true), "{report:?}");
    let mut found: Vec<String> = env
        .search_json("final", &[])
        .0
        .into_iter()
        .map(|h| h.path)
        .collect();
    found.sort();
    assert_eq!(found, ["c.jsonl#a", "docs/notes.txt"]);
    assert!(env.search_json("first", &[]).0.is_empty());
    // Unchanged, both are read (compared) and nothing is written.
    let report = ingest_report(&env, &["docs", "--jsonl", "c.jsonl"]);
    assert_eq!(
        (report.unchanged, report.updated, report.committed),
        (2, 0, false),
        "{report:?}"
    );
    let both = "final draft\n".len() + "{\"id\": \"a\", \"text\": \"final\"}\n".len();
    assert_eq!(report.bytes, both as u64, "{report:?}");
}

/// A racy stamp compared by content once the clock has passed it (its file's time is then
/// older than a tick) is remembered: later ingests do not read that file again while its stamp
/// stays. (A time three seconds ahead: racy when first read, trusted once the clock passes it.)
#[test]
fn a_racy_stamp_compared_once_it_can_be_trusted_is_not_read_again() {
    let env = Env::new();
    // In a directory: a file named to ingest is always compared.
    env.write("docs/notes.txt", "first draft\n");
    // Three seconds ahead: racy when first read, however slowly that ingest starts.
    let ahead = std::time::SystemTime::now() + std::time::Duration::from_millis(3_000);
    let file = std::fs::File::options()
        .write(true)
        .open(env.path("docs/notes.txt"))
        .unwrap();
    file.set_modified(ahead).unwrap();
    let report = ingest_report(&env, &["docs"]);
    assert_eq!(report.added, 1, "{report:?}");
    // Past the time as the file system keeps it and its tick (0.1 s for a time with a
    // fraction of a second, 2 s for whole seconds), with room to spare.
    let kept = std::fs::metadata(env.path("docs/notes.txt"))
        .unwrap()
        .modified()
        .unwrap();
    let whole = kept
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos()
        == 0;
    let tick = std::time::Duration::from_millis(if whole { 2_200 } else { 200 });
    if let Ok(wait) = (kept + tick).duration_since(std::time::SystemTime::now()) {
        std::thread::sleep(wait);
    }
    let report = ingest_report(&env, &["docs"]);
    let compared = (report.unchanged, report.bytes, report.committed);
    assert_eq!(
        compared,
        (1, "first draft\n".len() as u64, false),
        "{report:?}"
    );
    let report = ingest_report(&env, &["docs"]);
    let trusted = (report.unchanged, report.bytes, report.committed);
    assert_eq!(trusted, (1, 0, false), "{report:?}");
}

/// A file skipped as binary is remembered by its stamp, but not a racy one: a same-size edit
/// that makes it text, in the same tick, is read. And a collection named as a text file keeps
/// being the collection while its content is the same, whatever its stamp.
#[test]
fn racy_binary_files_are_read_again_and_collections_stay_collections() {
    let env = Env::new();
    let soon = an_hour_ahead();
    env.write("docs/data.txt", b"abc\0defgh\n");
    set_mtime(&env, "docs/data.txt", soon);
    let report = ingest_report(&env, &["docs"]);
    assert_eq!((report.skipped, report.added), (1, 0), "{report:?}");
    env.write("docs/data.txt", "zebra xyz\n");
    set_mtime(&env, "docs/data.txt", soon);
    let report = ingest_report(&env, &["docs"]);
    assert_eq!((report.skipped, report.added), (0, 1), "{report:?}");
    assert_eq!(env.search_json("zebra", &[]).0.len(), 1);

    env.write("c.jsonl", "{\"id\": \"a\", \"text\": \"apple\"}\n");
    set_mtime(&env, "c.jsonl", soon);
    ingest_report(&env, &["--jsonl", "c.jsonl"]);
    let report = ingest_report(&env, &["c.jsonl"]);
    assert_eq!(
        (report.unchanged, report.committed),
        (1, false),
        "{report:?}"
    );
    let paths: Vec<String> = env
        .search_json("apple", &[])
        .0
        .into_iter()
        .map(|h| h.path)
        .collect();
    assert_eq!(paths, ["c.jsonl#a"]);
}

/// A fresh clone has `index/` with the files the repository keeps there (its README and the
/// marker): the first search ingests `./corpus` into it and answers.
#[test]
fn the_first_search_in_a_fresh_clone_builds_the_shipped_index_directory() {
    let env = Env::with_corpus();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("index");
    for name in ["README.md", parafind::index::MARKER] {
        env.write(
            &format!("index/{name}"),
            std::fs::read(shipped.join(name)).unwrap(),
        );
    }
    let output = env.run(&["search", "nuclear deterrence"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("ingesting ./corpus first"));
    assert!(stdout(&output).contains("us-korea-alliance.txt"));
}

/// Runs parafind in `env` as a user who cannot read what is mode 000 (`nobody`, through
/// `setpriv`, when the tests run as root, who can read anything).
#[cfg(unix)]
fn run_unprivileged(env: &Env, args: &[&str]) -> std::process::Output {
    let binary = assert_cmd::cargo::cargo_bin!("parafind");
    let root = std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false);
    let mut command = if root {
        let mut command = std::process::Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
        command.arg(binary);
        command
    } else {
        std::process::Command::new(binary)
    };
    command
        .current_dir(env.dir.path())
        .env_remove("PARAFIND_INDEX")
        .args(args)
        .output()
        .expect("run parafind (setpriv, from util-linux, when root)")
}

#[cfg(unix)]
#[test]
fn a_directory_that_cannot_be_read_keeps_its_files_and_fails_the_ingest() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.write("docs/locked/kept.txt", "keepme here\n");
    env.write("docs/a.txt", "other words\n");
    let mode = |path: &std::path::Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    for dir in ["", "docs", "docs/locked"] {
        mode(&env.path(dir), 0o777);
    }
    let first = run_unprivileged(&env, &["ingest", "docs"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    // Neither listed nor entered; listed but not entered (its files cannot be looked at); the
    // file itself unreadable (changed, so that it is read again). Each says it in the same words.
    for (path, locked, readable, problem) in [
        ("docs/locked", 0o000, 0o777, "locked: permission denied"),
        (
            "docs/locked",
            0o644,
            0o777,
            "locked/kept.txt: permission denied",
        ),
        (
            "docs/locked/kept.txt",
            0o000,
            0o644,
            "locked/kept.txt: permission denied",
        ),
    ] {
        for args in [&["ingest", "docs"][..], &["refresh"][..]] {
            if path.ends_with(".txt") {
                env.write(path, "keepme here, changed\n");
            }
            mode(&env.path(path), locked);
            let again = run_unprivileged(&env, args);
            let said = stderr(&again);
            mode(&env.path(path), readable);
            assert_eq!(again.status.code(), Some(2), "{locked:o} {args:?}: {said}");
            assert!(said.contains(problem), "{locked:o}: {said}");
            let line = said.lines().find(|l| l.contains(problem)).unwrap();
            assert_eq!(line.matches("locked").count(), 1, "the path once: {line}");
            assert!(!said.contains("1 removed"), "{said}");
            // The file is still there, and still in the index (changed, a search says so).
            let search = env.run(&["search", "--json", "keepme"]);
            let records: Vec<serde_json::Value> = stdout(&search)
                .lines()
                .map(|line| serde_json::from_str(line).unwrap())
                .collect();
            let hits = records.iter().filter(|r| r["type"] == "hit").count();
            assert_eq!(hits, 1, "{locked:o} {args:?}: {said}");
            let changed = records.iter().any(|r| {
                r["type"] == "warning"
                    && r["message"]
                        .as_str()
                        .is_some_and(|m| m.contains("kept.txt changed since it was indexed"))
            });
            assert_eq!(changed, path.ends_with(".txt"), "{records:?}");
        }
    }
}

#[cfg(unix)]
#[test]
fn another_user_can_search_an_index_in_a_directory_they_may_read() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.write("docs/a.txt", "shared words\n");
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    // Ingest with the usual umask, whatever the test runner's.
    let binary = assert_cmd::cargo::cargo_bin!("parafind");
    let status = std::process::Command::new("sh")
        .args(["-c", "umask 022 && exec \"$0\" ingest docs"])
        .arg(binary)
        .current_dir(env.dir.path())
        .env_remove("PARAFIND_INDEX")
        .stderr(std::process::Stdio::null())
        .status()
        .expect("sh");
    assert!(status.success());
    let meta = std::fs::metadata(env.path("index/meta.json")).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o644);
    let found = run_unprivileged(&env, &["search", "-c", "shared"]);
    assert_eq!(
        (found.status.code(), stdout(&found).trim()),
        (Some(0), "1"),
        "{}",
        stderr(&found)
    );
}

#[test]
fn remove_names_a_collections_record_for_what_it_is() {
    let env = Env::new();
    env.write(
        "c.jsonl",
        "{\"id\":\"a\",\"text\":\"alpha\"}\n{\"id\":\"b\",\"text\":\"beta\"}\n",
    );
    env.cmd(&["ingest", "--jsonl", "c.jsonl"])
        .assert()
        .success();
    for (path, says) in [
        (
            "c.jsonl#a",
            "c.jsonl#a is a record of the JSON Lines collection c.jsonl: a record leaves the index when it leaves the collection",
        ),
        (
            "c.jsonl#zz",
            "c.jsonl#zz is not in the index: the collection c.jsonl has no record \"zz\"",
        ),
        ("other.txt", "other.txt is not in the index: no indexed file"),
    ] {
        let output = env.run(&["remove", path]);
        assert_eq!(output.status.code(), Some(2), "{path}");
        let err = stderr(&output);
        assert!(err.contains(says), "{path}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    assert_eq!(stdout(&env.run(&["search", "-c", "alpha OR beta"])), "2\n");
    // The commands these errors advise name a collection with a space as one word.
    env.write("my notes.jsonl", "{\"id\":\"a\",\"text\":\"gamma\"}\n");
    env.cmd(&["ingest", "--jsonl", "my notes.jsonl"])
        .assert()
        .success();
    let err = stderr(&env.run(&["remove", "my notes.jsonl#a"]));
    assert!(
        err.contains("`parafind ingest --jsonl 'my notes.jsonl'`")
            && err.contains("`parafind remove 'my notes.jsonl'`"),
        "{err}"
    );
    let err = stderr(&env.run(&["show", "my notes.jsonl"]));
    assert!(err.contains("`parafind show 'my notes.jsonl'#ID`"), "{err}");
    env.cmd(&["remove", "my notes.jsonl"]).assert().success();
}

/// A collection left with no record, a collection deleted under an ingested directory, and a
/// document from standard input that turned binary: each takes its old documents out, counted.
#[test]
fn documents_that_are_gone_from_collections_and_standard_input_leave_the_index() {
    let env = Env::new();
    let ingest = |args: &[&str]| -> (u64, u64, bool) {
        let mut all = vec!["ingest", "--json"];
        all.extend_from_slice(args);
        let (records, status) = env.records(&all);
        assert_eq!(status, 0, "{args:?}: {records:?}");
        match records.last() {
            Some(Record::Ingest(report)) => (report.added, report.removed, report.committed),
            other => panic!("{other:?}"),
        }
    };
    env.write(
        "c.jsonl",
        "{\"id\":\"a\",\"text\":\"mike one\"}\n{\"id\":\"b\",\"text\":\"mike two\"}\n\
         {\"id\":\"e\",\"text\":\"\"}\n",
    );
    // A record without text is no document.
    assert_eq!(ingest(&["--jsonl", "c.jsonl"]), (2, 0, true));
    // Records dropped from a collection are counted removed (by number).
    env.write(
        "c.jsonl",
        "{\"id\":\"a\",\"text\":\"mike one\"}\n{\"id\":\"f\",\"text\":\"\"}\n",
    );
    assert_eq!(ingest(&["--jsonl", "c.jsonl"]), (0, 1, true));
    env.write("c.jsonl", "");
    assert_eq!(ingest(&["--jsonl", "c.jsonl"]), (0, 1, true));
    assert_eq!(stdout(&env.run(&["search", "-c", "mike"])), "0\n");
    env.write(
        "d/c.jsonl",
        "{\"id\":\"w1\",\"text\":\"sierra one\"}\n{\"id\":\"w2\",\"text\":\"sierra two\"}\n",
    );
    env.write("d/p.txt", "sierra\n");
    env.cmd(&["ingest", "d", "--jsonl", "d/c.jsonl"])
        .assert()
        .success();
    std::fs::remove_file(env.path("d/c.jsonl")).unwrap();
    assert_eq!(ingest(&["d"]), (0, 2, true));
    assert!(!stdout(&env.run(&["list"])).contains("c.jsonl"));
    env.cmd(&["ingest", "-", "--name", "notes/n.md"])
        .write_stdin("november again\n")
        .assert()
        .success();
    let output = env
        .cmd(&["ingest", "-", "--name", "notes/n.md"])
        .write_stdin("a\0b")
        .output()
        .unwrap();
    assert!(
        stderr(&output).contains("its old text was removed"),
        "{}",
        stderr(&output)
    );
    assert_eq!(stdout(&env.run(&["search", "-c", "november"])), "0\n");
    // A record whose name would be too long for the index to find it by is refused.
    let long = "R".repeat(70_000);
    env.write(
        "long.jsonl",
        format!("{{\"id\":\"{long}\",\"text\":\"victor first\"}}\n"),
    );
    let output = env.run(&["ingest", "--jsonl", "long.jsonl"]);
    assert!(
        stderr(&output).contains(
            "line 1: not a {\"id\", \"title\", \"text\"} record: its id is 70000 bytes long"
        ),
        "{}",
        stderr(&output)
    );
    assert_eq!(stdout(&env.run(&["search", "-c", "victor"])), "0\n");
}

/// `list` says which files are not as they were indexed, as a search's warnings do.
#[test]
fn list_says_which_files_changed_or_are_gone() {
    let env = Env::new();
    env.write("d/kept.txt", "kept\n");
    env.write("d/edited.txt", "edited\n");
    env.write("d/gone.txt", "gone\n");
    env.cmd(&["ingest", "d"]).assert().success();
    env.write("d/edited.txt", "edited at more length\n");
    std::fs::remove_file(env.path("d/gone.txt")).unwrap();
    let list = listed(&env);
    let line = |name: &str| list.lines().find(|l| l.contains(name)).unwrap_or_default();
    assert!(line("d/kept.txt").ends_with("d/kept.txt"), "{list}");
    assert!(
        line("d/edited.txt").ends_with("d/edited.txt  (changed since indexed)"),
        "{list}"
    );
    assert!(line("d/gone.txt").ends_with("d/gone.txt  (gone)"), "{list}");
    let json = stdout(&env.run(&["list", "--json"]));
    assert_eq!(json.matches("\"now\":").count(), 2, "{json}");
    assert!(json.contains("\"now\":\"gone\""), "{json}");
}
