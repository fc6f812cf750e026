//! Interrupted and concurrent ingests: an ingest killed in the middle of its commit leaves an
//! index that the next ingest repairs by itself, and searches running beside an ingest always
//! answer from the last commit.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

use crate::util::*;

/// Writes `files` files under `docs/`; every other one also holds `marker`.
fn write_corpus(env: &Env, files: usize, seed: u64, marker: &str) {
    let mut words = Words::new(seed);
    for i in 0..files {
        let mut text = words.paragraphs(6);
        if i % 2 == 0 {
            text.push_str(&format!("\n\n{marker} closing words\n"));
        }
        env.write(&format!("docs/d{}/f{i:04}.txt", i % 10), text);
    }
}

/// The names of the files in the index directory.
fn index_files(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The files the last commit of the index in `dir` refers to (besides tantivy's own
/// bookkeeping files), read from its `meta.json`.
fn committed_files(dir: &Path) -> BTreeSet<String> {
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("meta.json")).unwrap()).unwrap();
    let mut files = BTreeSet::new();
    for segment in meta["segments"].as_array().unwrap() {
        let id = segment["segment_id"].as_str().unwrap().replace('-', "");
        for ext in ["idx", "pos", "term", "store", "fast", "fieldnorm"] {
            files.insert(format!("{id}.{ext}"));
        }
        if let Some(opstamp) = segment["deletes"]["opstamp"].as_u64() {
            files.insert(format!("{id}.{opstamp}.del"));
        }
    }
    files
}

/// Files in the index directory that no commit refers to.
fn orphans(dir: &Path) -> Vec<String> {
    let committed = committed_files(dir);
    index_files(dir)
        .into_iter()
        .filter(|name| !name.starts_with('.') && name != "meta.json")
        .filter(|name| !committed.contains(name))
        .collect()
}

/// Starts parafind like [`Env::spawn`], with SIGINT and SIGTERM at their default action: a
/// shell starting the tests in the background has the children ignore SIGINT, and that
/// disposition would be inherited.
fn spawn_with_default_signals(env: &Env, args: &[&str]) -> Child {
    spawn_with_default_signals_to(env, args, std::process::Stdio::null())
}

/// [`spawn_with_default_signals`], its standard error going to `stderr`.
fn spawn_with_default_signals_to(env: &Env, args: &[&str], stderr: std::process::Stdio) -> Child {
    use std::os::unix::process::CommandExt;
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin!("parafind"));
    command
        .current_dir(env.path(""))
        .env_remove("PARAFIND_INDEX")
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(stderr);
    // SAFETY: signal(2) is async-signal-safe, as code between fork and exec must be.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::signal(libc::SIGTERM, libc::SIG_DFL);
            Ok(())
        });
    }
    command.spawn().expect("start parafind")
}

/// Sends `signal` (KILL, TERM or INT) to `child` at once, with kill(2), and waits for it.
fn stop(child: &mut Child, signal: &str) {
    send(child, signal);
    let _ = child.wait();
}

/// Sends `signal` (KILL, TERM or INT) to `child`, with kill(2); gives its number.
fn send(child: &Child, signal: &str) -> i32 {
    let number = match signal {
        "KILL" => libc::SIGKILL,
        "TERM" => libc::SIGTERM,
        _ => libc::SIGINT,
    };
    let pid = libc::pid_t::try_from(child.id()).expect("a pid");
    // SAFETY: kill(2) only sends a signal to the child this test started and still owns.
    unsafe {
        libc::kill(pid, number);
    }
    number
}

#[test]
fn serve_stops_with_status_0_and_watch_is_ended_by_the_signal() {
    use std::io::BufRead;
    use std::os::unix::process::ExitStatusExt;
    let env = Env::new();
    env.write("docs/a.txt", "alpha\n");
    env.cmd(&["ingest", "docs"]).assert().success();
    for (args, signal) in [
        (&["serve", "--port", "0"][..], "TERM"),
        (&["serve", "--port", "0"][..], "INT"),
        (&["watch"][..], "TERM"),
        (&["watch"][..], "INT"),
    ] {
        let piped = std::process::Stdio::piped();
        let mut child = spawn_with_default_signals_to(&env, args, piped);
        // Its first line says it is serving or watching: its signal handling is set up.
        let mut first = String::new();
        // Kept open until it ends: a line it writes after the first must not meet a closed pipe.
        let mut stderr = std::io::BufReader::new(child.stderr.take().expect("stderr"));
        stderr.read_line(&mut first).ok();
        assert!(first.contains("(Ctrl-C stops)"), "{args:?}: {first}");
        let number = send(&child, signal);
        let status = child.wait().expect("wait");
        drop(stderr);
        if args[0] == "serve" {
            assert_eq!(status.code(), Some(0), "{args:?} {signal}");
        } else {
            assert_eq!(status.signal(), Some(number), "{args:?} {signal}");
        }
    }
}

/// Starts `parafind ingest docs` and stops it with `signal` as soon as a deletion file that
/// was not there before appears (the commit has begun), before `meta.json` is replaced. True
/// when the ingest was caught in that window; false when it finished or committed first.
fn interrupt_commit(env: &Env, signal: &str) -> bool {
    let dir = env.path("index");
    let before = index_files(&dir);
    let meta = std::fs::read(dir.join("meta.json")).unwrap();
    let mut child = spawn_with_default_signals(env, &["ingest", "docs"]);
    let started = Instant::now();
    loop {
        let new_del = index_files(&dir)
            .into_iter()
            .any(|f| f.ends_with(".del") && !before.contains(&f));
        if new_del {
            stop(&mut child, signal);
            return std::fs::read(dir.join("meta.json")).unwrap() == meta;
        }
        if child.try_wait().unwrap().is_some() || started.elapsed() > Duration::from_secs(60) {
            stop(&mut child, "KILL");
            return false;
        }
    }
}

/// An ingest killed (SIGKILL, SIGTERM or SIGINT) after it wrote its first deletion file and
/// before it replaced `meta.json` is repaired by the next ingest of the same files: it cleans
/// up, succeeds, and leaves no file that no commit refers to.
#[test]
fn an_ingest_killed_during_its_commit_is_repaired_by_the_next() {
    let env = Env::new();
    write_corpus(&env, 400, 1, "original");
    env.cmd(&["ingest", "docs"]).assert().success();
    let dir = env.path("index");
    for signal in ["KILL", "TERM", "INT"] {
        let mut caught = false;
        for attempt in 0..40u64 {
            // Each attempt edits every file again, so there is a commit to interrupt.
            write_corpus(&env, 400, 100 + attempt, &format!("edit{attempt}"));
            if interrupt_commit(&env, signal) {
                caught = true;
                // The edits of this attempt are the ones the next ingest must commit.
                let output = env.run(&["ingest", "docs"]);
                assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
                let count = env.run(&["search", "--count", &format!("edit{attempt}")]);
                assert_eq!(stdout(&count), "200\n", "SIG{signal}: {}", stderr(&count));
                break;
            }
            // Missed the window: bring the index up to date before the next attempt.
            env.cmd(&["ingest", "docs"]).assert().success();
        }
        assert!(
            caught,
            "SIG{signal} never landed inside a commit in 40 attempts"
        );
        assert_eq!(orphans(&dir), Vec::<String>::new(), "after SIG{signal}");
    }
}

/// `stats` counts only the files the last commit refers to, never orphans left by an
/// interrupted ingest.
#[test]
fn stats_do_not_count_orphan_files() {
    let env = Env::new();
    write_corpus(&env, 50, 7, "original");
    env.cmd(&["ingest", "docs"]).assert().success();
    let bytes = |env: &Env| -> u64 {
        match &env.records(&["stats", "--json"]).0[..] {
            [Record::Stats(stats)] => stats.index_bytes,
            other => panic!("{other:?}"),
        }
    };
    let before = bytes(&env);
    // What a killed ingest leaves: segment files that no commit names.
    env.write(
        "index/0123456789abcdef0123456789abcdef.store",
        vec![7u8; 1 << 20],
    );
    env.write(
        "index/0123456789abcdef0123456789abcdef.idx",
        vec![7u8; 1 << 20],
    );
    assert_eq!(bytes(&env), before);
}

/// Searches started while an ingest rewrites the index always answer from the last commit:
/// never "no index", never a missing or half-written file.
#[test]
fn searches_during_an_ingest_always_answer() {
    let env = Env::new();
    write_corpus(&env, 600, 3, "original");
    env.cmd(&["--index", "index", "ingest", "docs"])
        .assert()
        .success();
    let mut searches = 0;
    let mut failures = Vec::new();
    for round in 0..4u64 {
        write_corpus(&env, 600, 10 + round, &format!("round{round}"));
        let mut ingest = env.spawn(&["ingest", "docs"]);
        while ingest.try_wait().unwrap().is_none() {
            for args in [
                &["search", "-n", "3", "--json", "alliance"][..],
                &["search", "--count", "\"nuclear deterrence\""][..],
                &["stats", "--json"][..],
            ] {
                let output = env.run(args);
                searches += 1;
                if output.status.code() == Some(2) {
                    failures.push(stderr(&output));
                }
            }
        }
        assert!(ingest.wait().unwrap().success());
    }
    assert!(searches > 0);
    assert_eq!(failures, Vec::<String>::new(), "{searches} searches");
}
