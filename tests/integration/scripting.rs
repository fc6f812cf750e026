//! The scripting interface: JSON records (decoded strictly), batch mode, the output modes scripts ask for,
//! the inspection commands, literal queries, completions and the man page.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::util::*;

fn hit_paragraphs<'a>(records: impl IntoIterator<Item = &'a Record>) -> Vec<u64> {
    records
        .into_iter()
        .filter_map(|r| match r {
            Record::Hit(hit) => Some(hit.paragraph),
            _ => None,
        })
        .collect()
}

#[test]
fn hits_carry_doc_ids_and_paragraph_character_offsets() {
    let env = Env::essay();
    let essay_text = std::fs::read_to_string(essay_path()).unwrap();
    let (records, _) = env.records(&["search", "--json", "-n", "20", "the"]);
    let mut ids = Vec::new();
    for hit in hits_of(&records) {
        let chars_before = essay_text[..hit.byte_offset as usize].chars().count() as u64;
        assert_eq!(hit.char_offset, chars_before);
        let from_chars: String = essay_text
            .chars()
            .skip(hit.char_offset as usize)
            .take(hit.text.chars().count())
            .collect();
        assert_eq!(from_chars, hit.text);
        ids.push(hit.doc_id.clone());
    }
    assert!(ids.len() > 5);
    assert!(ids.iter().all(|id| id == &ids[0] && id.len() == 16));
}

#[test]
fn character_offsets_are_right_on_multibyte_text() {
    let env = Env::new();
    let text = "Café — l’été\n\nLe café coûte 3 €.\n\n한국의 café, 한국은 좋다\n";
    env.write("multi.txt", text);
    env.cmd(&["ingest", "multi.txt"]).assert().success();
    let (records, _) = env.records(&["search", "--json", "-n", "5", "café OR 한국"]);
    let mut checked = 0;
    for hit in hits_of(&records) {
        assert_eq!(
            hit.char_offset,
            text[..hit.byte_offset as usize].chars().count() as u64
        );
        let paragraph = &hit.text;
        let chars: Vec<char> = paragraph.chars().collect();
        for h in &hit.highlights {
            let by_chars: String = chars[h.char_start..h.char_end].iter().collect();
            assert_eq!(by_chars, &paragraph[h.start..h.end]);
            assert!(
                ["café", "Café", "한국"].contains(&by_chars.as_str()),
                "{by_chars}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 5, "{records:?}");
}

/// The essay's words and phrases as a batch of 1,000 queries, every 20th one malformed.
fn thousand_queries() -> (Vec<String>, Vec<usize>) {
    let essay_text = std::fs::read_to_string(essay_path()).unwrap();
    let words: Vec<&str> = essay_text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.len() > 2 && w.chars().all(|c| c.is_ascii_alphabetic()))
        .collect();
    let malformed = [
        "\"unclosed",
        "dangling AND",
        "(open",
        "close)",
        "OR nothing",
    ];
    let mut queries = Vec::new();
    let mut bad = Vec::new();
    for i in 0..1000 {
        let query = if i % 20 == 19 {
            bad.push(i + 1);
            malformed[(i / 20) % malformed.len()].to_string()
        } else if i % 3 == 0 {
            format!(
                "\"{} {}\"",
                words[i % (words.len() - 1)],
                words[i % (words.len() - 1) + 1]
            )
        } else {
            words[i % words.len()].to_string()
        };
        queries.push(query);
    }
    (queries, bad)
}

#[test]
fn a_batch_of_a_thousand_queries_answers_each_and_reports_the_malformed() {
    let env = Env::essay();
    let (queries, bad) = thousand_queries();
    let output = env
        .cmd(&["search", "--batch", "-", "--json", "-n", "3"])
        .write_stdin(queries.join("\n"))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "malformed queries make the batch exit 2"
    );
    let records = decode(&output.stdout);
    let mut by_id: BTreeMap<u64, Vec<&Record>> = BTreeMap::new();
    for record in &records {
        if let Some(id) = record.query_id() {
            by_id.entry(id.as_u64().unwrap()).or_default().push(record);
        }
    }
    assert_eq!(by_id.len(), 1000);
    let errors: Vec<u64> = by_id
        .iter()
        .filter(|(_, rs)| rs.iter().any(|r| matches!(r, Record::Error(_))))
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(errors, bad.iter().map(|&i| i as u64).collect::<Vec<_>>());
    assert!(
        matches!(
            records.last(),
            Some(Record::Summary(Summary::Batch(BatchSummaryRecord {
                queries: 1000,
                failed: 50,
                ..
            })))
        ),
        "no batch summary: {:?}",
        records.last()
    );
    // Every single word of the essay matches (phrases of words that are not adjacent may not).
    for (id, records) in &by_id {
        let query = &queries[*id as usize - 1];
        if bad.contains(&(*id as usize)) || query.starts_with('"') {
            continue;
        }
        let matched = records
            .iter()
            .any(|r| matches!(r, Record::Summary(Summary::Query(s)) if s.total > 0));
        assert!(matched, "query {id} ({query}) found nothing");
    }
    // The batch answers exactly as single queries do.
    for id in [1u64, 2, 4, 100, 333, 999] {
        let query = &queries[id as usize - 1];
        let (single, _) = env.records(&["search", "--json", "-n", "3", "--", query]);
        let in_batch = hit_paragraphs(by_id[&id].iter().copied());
        assert_eq!(in_batch, hit_paragraphs(&single), "query {id}: {query}");
    }
}

#[test]
fn batch_limits_are_bounded_and_answers_stream() {
    let env = Env::essay();
    let input = "{\"query\": \"nuclear\", \"limit\": 18446744073709551615}\n{\"query\": \"nuclear\", \"limit\": 0}\nnuclear\n";
    let output = env
        .cmd(&["search", "--batch", "-", "--json"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let records = decode(&output.stdout);
    let errors = records.iter().filter(|r| matches!(r, Record::Error(e) if e.message.contains("\"limit\" must be between 1 and 1000000"))).count();
    assert_eq!(errors, 2);
    assert!(hits_of(&records)
        .iter()
        .any(|h| matches!(&h.query_id, Some(id) if id == 3)));
    // Answers come out as each query is read, before the input ends.
    use std::io::{BufRead, BufReader, Write};
    let binary = assert_cmd::cargo::cargo_bin!("parafind");
    let mut child = std::process::Command::new(binary)
        .args(["search", "--batch", "--json", "-n", "1"])
        .current_dir(env.dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    writeln!(input, "Pyongyang").unwrap();
    input.flush().unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    assert!(first.contains("\"type\":\"hit\""), "{first}");
    drop(input);
    child.wait().unwrap();
}

#[test]
fn batch_lines_can_be_json_with_ids_and_limits_and_exit_status_follows_matches() {
    let env = Env::essay();
    env.write("queries.jsonl", "{\"id\": \"a\", \"query\": \"alliance\", \"limit\": 2}\n\n{\"id\": 7, \"query\": \"kimchi\"}\n");
    let (records, status) = env.records(&["search", "--batch", "queries.jsonl", "--json"]);
    assert_eq!(status, 0);
    let hits_a = hits_of(&records)
        .iter()
        .filter(|h| matches!(&h.query_id, Some(Value::String(s)) if s == "a"))
        .count();
    assert_eq!(hits_a, 2);
    assert!(records.iter().any(|r| matches!(
        r,
        Record::Summary(Summary::Query(s)) if s.total == 0 && matches!(&s.query_id, Some(id) if id == 7)
    )));
    env.write("none.txt", "kimchi\nbibimbap\n");
    let output = env.run(&["search", "--batch", "none.txt"]);
    assert_eq!(output.status.code(), Some(1));
    env.write("broken.jsonl", "{\"query\": 5}\nalliance\n");
    let (records, status) = env.records(&["search", "--batch", "broken.jsonl", "--json"]);
    assert_eq!(status, 2);
    assert!(
        matches!(&records[0], Record::Error(e) if e.message.starts_with("line 1: invalid JSON query"))
    );
    assert!(hits_of(&records)
        .iter()
        .any(|h| matches!(&h.query_id, Some(id) if id == 2)));
}

#[test]
fn count_mode_in_text_and_json() {
    let env = Env::essay();
    assert_eq!(stdout(&env.run(&["search", "--count", "nuclear"])), "3\n");
    let (records, status) = env.records(&["search", "--count", "--json", "nuclear"]);
    assert_eq!(status, 0);
    assert!(
        matches!(
            records[..],
            [Record::Summary(Summary::Query(SummaryRecord {
                hits: 0,
                total: 3,
                ..
            }))]
        ),
        "{records:?}"
    );
    let output = env.run(&["search", "-c", "kimchi"]);
    assert_eq!(
        (stdout(&output).as_str(), output.status.code()),
        ("0\n", Some(1))
    );
}

#[test]
fn files_with_matches_in_text_and_json() {
    let env = Env::essay();
    env.write("more/a.txt", "nuclear here\n");
    env.write("more/b.txt", "nothing relevant\n");
    env.cmd(&["ingest", "more"]).assert().success();
    // Best first: the essay has three nuclear paragraphs, but a.txt's one is shorter and scores
    // higher; -n, --offset and --sort apply to files as to hits.
    let out = stdout(&env.run(&["search", "-l", "--color", "never", "nuclear"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines, ["more/a.txt", "corpus/us-korea-alliance.txt"]);
    let first = stdout(&env.run(&["search", "-l", "-n", "1", "--color", "never", "nuclear"]));
    assert_eq!(first, "more/a.txt\n");
    let second = stdout(&env.run(&[
        "search", "-l", "--offset", "1", "--color", "never", "nuclear",
    ]));
    assert_eq!(second, "corpus/us-korea-alliance.txt\n");
    let by_path = stdout(&env.run(&[
        "search", "-l", "--sort", "path", "--color", "never", "nuclear",
    ]));
    assert_eq!(by_path, "corpus/us-korea-alliance.txt\nmore/a.txt\n");
    let (records, _) = env.records(&["search", "-l", "--json", "nuclear"]);
    let files: Vec<(String, u64)> = records
        .iter()
        .filter_map(|r| match r {
            Record::File(file) => Some((file.path.clone(), file.matches)),
            _ => None,
        })
        .collect();
    assert_eq!(files.len(), 2);
    assert!(files.contains(&("corpus/us-korea-alliance.txt".into(), 3)));
    assert!(files.contains(&("more/a.txt".into(), 1)));
    assert!(matches!(
        records.last(),
        Some(Record::Summary(Summary::Query(SummaryRecord {
            files: Some(2),
            total: 4,
            ..
        })))
    ));
    // A page of files still counts every matching paragraph, and a page past the last file
    // still exits 0: the query matched.
    let (records, _) = env.records(&["search", "-l", "--json", "-n", "1", "nuclear"]);
    assert!(
        matches!(
            records.last(),
            Some(Record::Summary(Summary::Query(SummaryRecord {
                files: Some(1),
                total: 4,
                ..
            })))
        ),
        "{records:?}"
    );
    let past = env.run(&["search", "-l", "--offset", "5", "nuclear"]);
    assert_eq!((stdout(&past).as_str(), past.status.code()), ("", Some(0)));
}

#[test]
fn files_with_matches_lists_every_file_unless_n_is_given() {
    let env = Env::new();
    for i in 0..15 {
        env.write(&format!("many/f{i:02}.txt"), "tieword\n");
    }
    env.cmd(&["ingest", "many"]).assert().success();
    // As `grep -l`: every matching file, not the ten hits a search shows by default.
    let all = stdout(&env.run(&["search", "-l", "tieword"]));
    assert_eq!(all.lines().count(), 15, "{all}");
    let three = stdout(&env.run(&["search", "-l", "-n", "3", "tieword"]));
    assert_eq!(three.lines().count(), 3, "{three}");
    let hits = stdout(&env.run(&["search", "--vimgrep", "tieword"]));
    assert_eq!(hits.lines().count(), 10, "{hits}");
    // --vimgrep has no form for a count or a file list: they print as in text output.
    let count = env.run(&["search", "--vimgrep", "-c", "tieword"]);
    assert_eq!(
        (stdout(&count).as_str(), count.status.code()),
        ("15\n", Some(0))
    );
    let files = stdout(&env.run(&["search", "--vimgrep", "-l", "tieword"]));
    assert_eq!(files, all);
}

#[test]
fn offset_pages_through_the_same_ranking() {
    let env = Env::essay();
    let (all, _, _) = env.search_json("alliance", &["-n", "6"]);
    let (page2, _, _) = env.search_json("alliance", &["-n", "3", "--offset", "3"]);
    assert_eq!(paragraphs(&page2), paragraphs(&all)[3..6]);
    assert_eq!(page2.iter().map(|h| h.rank).collect::<Vec<_>>(), [4, 5, 6]);
    let human = stdout(&env.run(&[
        "search", "--color", "never", "-n", "1", "--offset", "1", "alliance",
    ]));
    assert!(
        human.contains(&format!("¶{},", all[1].paragraph)),
        "{human}"
    );
    assert_eq!(human.matches('¶').count(), 1);
}

#[test]
fn sort_by_path_orders_by_file_then_paragraph() {
    let env = Env::essay();
    env.write("a-first.txt", "alliance alliance alliance\n");
    env.cmd(&["ingest", "a-first.txt"]).assert().success();
    let (hits, _, _) = env.search_json("alliance", &["--sort", "path", "-n", "50"]);
    let order: Vec<(String, u64)> = hits.iter().map(|h| (h.path.clone(), h.paragraph)).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    assert_eq!(order[0].0, "a-first.txt");
    assert!(hits.iter().all(|h| h.score > 0.0));
    let human = stdout(&env.run(&["search", "--color", "never", "--sort", "path", "alliance"]));
    assert!(human.starts_with("a-first.txt\n"), "{human}");
    // Each hit's score is the one it has in score order, whatever the query.
    for query in [
        "alliance",
        "allian*",
        "\"nuclear weapons\" OR allied",
        "nuclear -China",
    ] {
        let keyed = |extra: &[&str]| -> Vec<(String, u64, String)> {
            let args: Vec<&str> = ["-n", "100"].iter().chain(extra).copied().collect();
            let (hits, _, _) = env.search_json(query, &args);
            let mut keyed: Vec<(String, u64, String)> = hits
                .iter()
                .map(|h| (h.path.clone(), h.paragraph, format!("{:.4}", h.score)))
                .collect();
            keyed.sort();
            keyed
        };
        let by_score = keyed(&[]);
        assert!(!by_score.is_empty(), "{query}");
        assert_eq!(keyed(&["--sort", "path"]), by_score, "{query}");
    }
}

#[test]
fn path_filters_by_flag_or_in_the_query() {
    let env = Env::essay();
    env.write("notes/x.md", "nuclear notes\n");
    env.cmd(&["ingest", "notes"]).assert().success();
    let only = |extra: &[&str], query: &str| -> Vec<String> {
        let (hits, _, _) = env.search_json(query, extra);
        let mut paths: Vec<String> = hits.into_iter().map(|h| h.path).collect();
        paths.dedup();
        paths
    };
    assert_eq!(only(&["--path", "notes/*.md"], "nuclear"), ["notes/x.md"]);
    assert_eq!(only(&[], "path:notes/*.md nuclear"), ["notes/x.md"]);
    assert_eq!(
        only(&["--path", "corpus/**"], "nuclear"),
        ["corpus/us-korea-alliance.txt"]
    );
    let human = stdout(&env.run(&["search", "--color", "never", "--path", "*.md", "nuclear"]));
    assert!(
        human.starts_with("notes/x.md\n") && !human.contains("corpus/"),
        "{human}"
    );
    let output = env.run(&["search", "(path:a OR x)"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`path:` filters apply to the whole query"));
    let output = env.run(&["search", "--path", "a[", "x"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("invalid path glob \"a[\""),
        "{}",
        stderr(&output)
    );
}

#[test]
fn quiet_prints_nothing_and_answers_by_exit_status() {
    let env = Env::essay();
    for args in [
        &["search", "-q", "nuclear"][..],
        &["search", "-q", "--json", "nuclear"][..],
    ] {
        let output = env.run(args);
        assert_eq!(output.status.code(), Some(0));
        assert!(output.stdout.is_empty());
    }
    let output = env.run(&["search", "-q", "--json", "kimchi"]);
    assert_eq!((output.status.code(), output.stdout.len()), (Some(1), 0));
    assert_eq!(env.run(&["search", "-q", "bad AND"]).status.code(), Some(2));
}

#[test]
fn literal_queries_never_fail_on_punctuation() {
    let env = Env::new();
    env.write(
        "adr.md",
        "ADR-016 covers C++ and https://example.com/a?b=1 for the U.S.-South talks.\n",
    );
    env.cmd(&["ingest", "adr.md"]).assert().success();
    for query in [
        "ADR-016",
        "C++",
        "https://example.com/a?b=1",
        "U.S.-South",
        "\"C++",
        "(ADR",
        "AND",
    ] {
        let output = env.run(&["search", "-F", "--json", "--", query]);
        assert_ne!(
            output.status.code(),
            Some(2),
            "{query}: {}",
            stderr(&output)
        );
    }
    let output = env.run(&["search", "--json", "-F", "--", "ADR-016 C++"]);
    let records = decode(&output.stdout);
    assert_eq!(
        (output.status.code(), hits_of(&records).len()),
        (Some(0), 1)
    );
    // (`C++` is searched as `C`, which a warning says.)
    assert!(records.iter().any(|r| matches!(r, Record::Warning(_))));
    assert_eq!(env.run(&["search", "--", "\"C++"]).status.code(), Some(2));
}

#[test]
fn stats_list_and_show_in_text() {
    let env = Env::essay();
    let stats = stdout(&env.run(&["stats"]));
    for needle in [
        "files:            1",
        "paragraphs:       14",
        "analyzer version: ",
        "last ingest:      20",
    ] {
        assert!(stats.contains(needle), "{needle} missing in {stats}");
    }
    let list = stdout(&env.run(&["list"]));
    assert!(list.trim_start().starts_with("14  "), "{list}");
    assert!(
        list.trim_end().ends_with("corpus/us-korea-alliance.txt"),
        "{list}"
    );
    let show = stdout(&env.run(&[
        "show",
        "--color",
        "never",
        "corpus/us-korea-alliance.txt:6",
        "-C",
        "1",
    ]));
    let heads: Vec<&str> = show
        .lines()
        .skip(1)
        .map(|l| l.split(' ').take(3).last().unwrap_or(""))
        .collect();
    assert_eq!(heads, ["5-", "6:", "7-"], "{show}");
    let whole = stdout(&env.run(&["show", "corpus/us-korea-alliance.txt"]));
    assert_eq!(whole.matches('¶').count(), 14);
    let output = env.run(&["show", "corpus/us-korea-alliance.txt:99"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("has 14 paragraph(s); there is no paragraph 99"));
    env.write("other.txt", "x\n");
    let output = env.run(&["show", "other.txt"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("other.txt is not in the index"));
    // A file deleted since it was indexed can still be shown, however it is spelled.
    env.write("gone.txt", "ghost words\n");
    env.cmd(&["ingest", "gone.txt"]).assert().success();
    std::fs::remove_file(env.path("gone.txt")).unwrap();
    for target in ["gone.txt", "./gone.txt:1", "corpus/../gone.txt:1"] {
        let output = env.run(&["show", "--color", "never", target]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{target}: {}",
            stderr(&output)
        );
        assert!(stdout(&output).contains("ghost words"));
    }
    assert_eq!(env.run(&["show", ":3"]).status.code(), Some(2));
}

#[test]
fn warnings_name_ignored_words_and_changed_files() {
    let env = Env::new();
    env.write("n.txt", "alpha beta\n");
    env.cmd(&["ingest", "n.txt"]).assert().success();
    let output = env.run(&["search", "alpha —"]);
    assert!(
        stderr(&output).contains("warning: `—` holds no searchable word"),
        "{}",
        stderr(&output)
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    env.write("n.txt", "alpha beta gamma, changed\n");
    let (records, _) = env.records(&["search", "--json", "alpha"]);
    assert!(records.iter().any(|r| matches!(r, Record::Warning(Warning::Query(w)) if w.message.contains("n.txt changed since it was indexed"))), "{records:?}");
    // Hits are printed as they are read: the query's warnings come first, a hit's changed
    // file is warned about after the hits, before the summary.
    let (records, _) = env.records(&["search", "--json", "alpha —"]);
    let kinds: Vec<&str> = records
        .iter()
        .map(|r| match r {
            Record::Warning(Warning::Query(w)) if w.message.contains("changed") => "changed",
            Record::Warning(_) => "ignored",
            Record::Hit(_) => "hit",
            Record::Summary(_) => "summary",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        ["ignored", "hit", "changed", "summary"],
        "{records:?}"
    );
    std::fs::remove_file(env.path("n.txt")).unwrap();
    let output = env.run(&["search", "alpha"]);
    assert!(
        stderr(&output).contains("n.txt no longer exists"),
        "{}",
        stderr(&output)
    );
}

#[cfg(unix)]
#[test]
fn paths_that_are_not_utf8_are_reported_exactly() {
    use base64::Engine;
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(env.dir.path().join(name), "espresso here\n").unwrap();
    env.cmd(&["ingest", "."]).assert().success();
    let (records, status) = env.records(&["search", "--json", "espresso"]);
    assert_eq!(status, 0);
    let Some(Record::Hit(HitRecord {
        path,
        path_bytes: Some(bytes),
        ..
    })) = records.first()
    else {
        panic!("{records:?}");
    };
    assert_eq!(path, "caf\u{FFFD}.txt");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(bytes)
        .unwrap();
    assert!(decoded.ends_with(b"/caf\xe9.txt"), "{decoded:?}");
    // Output read by a program names the file by its own bytes, as `rg` does, so a file list
    // or a quickfix line opens it (a terminal shows U+FFFD instead).
    for (args, expected) in [
        (&["search", "-l", "espresso"][..], &b"caf\xe9.txt\n"[..]),
        (
            &["search", "--vimgrep", "espresso"],
            b"caf\xe9.txt:1:1:espresso here\n",
        ),
        (
            &["search", "--color", "always", "-l", "espresso"],
            b"\x1b[1m\x1b[35mcaf\xe9.txt\x1b[0m\n",
        ),
    ] {
        let out = env.cmd(args).output().unwrap();
        assert_eq!(
            out.stdout,
            expected,
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    let listed = env.cmd(&["list"]).output().unwrap();
    assert!(
        listed.stdout.ends_with(b"  caf\xe9.txt\n"),
        "{}",
        stdout(&listed)
    );
    let shown = env.cmd(&["show"]).arg(name).output().unwrap();
    assert!(
        shown.stdout.starts_with(b"caf\xe9.txt\n"),
        "{}",
        stdout(&shown)
    );
    // Bytes a terminal would take for control codes (0x80-0x9F) or that never open a
    // character (0xFF) are the name's too.
    let other = std::ffi::OsStr::from_bytes(b"b\x80\x9b31m\xff.txt");
    std::fs::write(env.dir.path().join(other), "ristretto\n").unwrap();
    env.cmd(&["ingest", "."]).assert().success();
    let listed = env.cmd(&["list"]).output().unwrap();
    let line = b"  b\x80\x9b31m\xff.txt\n";
    let found = listed.stdout.windows(line.len()).any(|w| w == line);
    assert!(found, "{:?}", listed.stdout);
    let shown = env.cmd(&["show"]).arg(other).output().unwrap();
    assert!(
        shown.stdout.starts_with(b"b\x80\x9b31m\xff.txt\n"),
        "{:?}",
        shown.stdout
    );
    // A JSON Lines collection so named: each record keeps its `#id` after the name's bytes.
    let collection = std::ffi::OsStr::from_bytes(b"c\xe9.jsonl");
    std::fs::write(
        env.dir.path().join(collection),
        "{\"id\":\"r1\",\"text\":\"lungo one\"}\n",
    )
    .unwrap();
    let mut cmd = env.cmd(&["ingest", "--jsonl"]);
    cmd.arg(collection).assert().success();
    let listed = env.cmd(&["search", "-l", "lungo"]).output().unwrap();
    assert_eq!(listed.stdout, b"c\xe9.jsonl#r1\n", "{}", stdout(&listed));
    let (records, _) = env.records(&["search", "--json", "lungo"]);
    let Some(Record::Hit(HitRecord { path, .. })) = records.first() else {
        panic!("{records:?}");
    };
    assert_eq!(path, "c\u{FFFD}.jsonl#r1");
    // And shown by the name printed.
    let shown = env
        .cmd(&["show"])
        .arg(std::ffi::OsStr::from_bytes(b"c\xe9.jsonl#r1"))
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&shown.stdout).contains("lungo one"),
        "{}",
        stderr(&shown)
    );
    // --open hands the editor the file's own bytes.
    env.write(
        "bin/vim",
        "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$(dirname \"$0\")/../args.txt\"\n",
    );
    let script = env.path("bin/vim");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let mut cmd = env.cmd(&["search", "--open", "1", "espresso"]);
    cmd.env_remove("VISUAL").env("EDITOR", &script);
    assert_eq!(cmd.output().unwrap().status.code(), Some(0));
    let written = std::fs::read(env.path("args.txt")).unwrap();
    assert!(
        written.starts_with(b"+call cursor(1,1)\n") && written.ends_with(b"/caf\xe9.txt\n"),
        "{}",
        String::from_utf8_lossy(&written)
    );
}

#[test]
fn completions_and_man_page_are_generated() {
    let env = Env::new();
    for (shell, needle) in [
        ("bash", "_parafind()"),
        ("zsh", "#compdef parafind"),
        ("fish", "complete -c parafind"),
    ] {
        let output = env.run(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = stdout(&output);
        assert!(script.contains(needle), "{shell}: {needle} missing");
        assert!(
            script.contains("files-with-matches"),
            "{shell} lacks search flags"
        );
    }
    let man = stdout(&env.run(&["man"]));
    assert!(
        man.starts_with(".ie") || man.contains(".TH parafind"),
        "{}",
        &man[..200.min(man.len())]
    );
    assert!(man.contains("search") && man.contains("ingest"));
}

/// A batch line past the limit (1 MiB) fails alone, naming the limit, without being held in
/// memory; the lines after it are answered. (`--batch /dev/zero` grew past 3 GB.)
#[test]
fn an_over_long_batch_line_fails_alone_and_the_batch_goes_on() {
    let env = Env::with_corpus();
    env.ingest_corpus();
    let mut input = vec![b'x'; 48 << 20];
    input.extend_from_slice(b"\nPyongyang\n");
    let output = env
        .cmd(&["search", "--batch", "-", "--json"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let out = stdout(&output);
    assert!(
        out.contains("line 1: longer than 1 MiB, the limit for one line of a batch"),
        "{}",
        &out[..out.len().min(500)]
    );
    assert!(out.contains("\"query\":\"Pyongyang\""), "{out}");
}

/// `show` takes a file name that is not UTF-8 as it is (it was refused as invalid UTF-8), with
/// or without a paragraph number.
#[cfg(target_os = "linux")]
#[test]
fn show_names_a_file_whose_name_is_not_utf8() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    let name = OsStr::from_bytes(b"docs/caf\xe9.txt");
    std::fs::create_dir_all(env.path("docs")).unwrap();
    std::fs::write(env.dir.path().join(name), "first okapi\n\nsecond okapi\n").unwrap();
    env.cmd(&["ingest", "docs"]).assert().success();
    let all = env.cmd(&["show", "--json"]).arg(name).output().unwrap();
    assert_eq!(all.status.code(), Some(0), "{}", stderr(&all));
    assert_eq!(stdout(&all).lines().count(), 2, "{}", stdout(&all));
    let mut numbered = name.as_bytes().to_vec();
    numbered.extend_from_slice(b":2");
    let second = env
        .cmd(&["show"])
        .arg(OsStr::from_bytes(&numbered))
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert!(
        stdout(&second).contains("second okapi"),
        "{}",
        stdout(&second)
    );
}

/// A batch's messages on stderr name each query by its line, and by its id when the line gave
/// one: two queries numbered 7 (an id, a line) cannot be told apart otherwise.
#[test]
fn batch_messages_name_the_line_and_the_id() {
    let env = Env::essay();
    env.write(
        "b.jsonl",
        "Pyongyang\n{\"id\":7,\"query\":\"\\\"a b\\\"^2\"}\nnuclear\nnot json {\n{\"query\":\"x\n{\"id\":\"q\",\"query\":\"a\",\"bogus\":1}\n",
    );
    let output = env.run(&["search", "--batch", "b.jsonl", "-c"]);
    let lines: Vec<String> = stderr(&output).lines().map(String::from).collect();
    for said in [
        "parafind: line 2, query 7: invalid query",
        "parafind: warning: line 4: `{` holds no searchable word",
        "parafind: line 5: invalid JSON query:",
        "parafind: line 6, query \"q\": unknown field `bogus`",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(said)),
            "{said}: {lines:#?}"
        );
    }
}
