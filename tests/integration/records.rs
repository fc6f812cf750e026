//! The JSON Lines contract (`docs/json.md`) against the strict decoder in `util`: every record
//! type the binary writes decodes, the documented examples decode, and a record with an
//! undocumented or a missing field does not.

use crate::util::*;

#[test]
fn every_record_type_decodes_strictly() {
    let env = Env::essay();
    let (records, _) = env.records(&["search", "--json", "-C", "1", "Pyongyang — nuclear"]);
    assert!(records.iter().any(|r| matches!(r, Record::Hit(_))));
    assert!(records
        .iter()
        .any(|r| matches!(r, Record::Context(Context::OfHit(_)))));
    assert!(records
        .iter()
        .any(|r| matches!(r, Record::Warning(Warning::Query(w)) if w.message.contains("`—`"))));
    assert!(matches!(
        records.last(),
        Some(Record::Summary(Summary::Query(SummaryRecord {
            schema: 3,
            ..
        })))
    ));
    let (records, _) = env.records(&["search", "--json", "-l", "alliance"]);
    let alliance = stdout(&env.run(&["search", "--count", "alliance"]));
    let expected: u64 = alliance.trim().parse().unwrap();
    assert!(
        matches!(&records[0], Record::File(file) if file.matches == expected),
        "{records:?}"
    );
    let (records, status) = env.records(&["search", "--json", "nuclear AND"]);
    assert_eq!(status, 2);
    assert!(matches!(&records[..], [Record::Error(e)] if e.message.contains("AND at column 9")));
    let (records, _) = env.records(&["stats", "--json"]);
    assert!(
        matches!(
            records[..],
            [Record::Stats(StatsRecord {
                files: 1,
                paragraphs: 14,
                ..
            })]
        ),
        "{records:?}"
    );
    let (records, _) = env.records(&["list", "--json"]);
    assert!(
        matches!(
            records[..],
            [Record::IndexedFile(IndexedFileRecord {
                paragraphs: 14,
                ..
            })]
        ),
        "{records:?}"
    );
    let (records, _) = env.records(&["show", "--json", "corpus/us-korea-alliance.txt:6"]);
    assert!(
        matches!(
            records[..],
            [Record::Paragraph(ParagraphRecord { paragraph: 6, .. })]
        ),
        "{records:?}"
    );
    let (records, _) = env.records(&[
        "show",
        "--json",
        "-C",
        "1",
        "corpus/us-korea-alliance.txt:6",
    ]);
    let shown: Vec<(&str, u64)> = records
        .iter()
        .map(|r| match r {
            Record::Context(Context::Shown(p)) => ("context", p.paragraph),
            Record::Paragraph(p) => ("paragraph", p.paragraph),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(shown, [("context", 5), ("paragraph", 6), ("context", 7)]);
}

/// `ingest --json`: a `warning` for a file skipped, a `failure` for a file that could not be
/// read, then the `ingest` summary. The unreadable file needs permissions to apply, so the
/// ingest runs as user `nobody` when the tests run as root (see `unprivileged`).
#[cfg(unix)]
#[test]
fn ingest_records_decode_strictly() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.write("docs/a.txt", "readable words\n");
    env.write("docs/b.bin", b"binary\0bytes");
    env.write("docs/c.txt", "unreadable words\n");
    let binary = env.path("parafind");
    std::fs::copy(assert_cmd::cargo::cargo_bin!("parafind"), &binary).unwrap();
    let mode = |path: &std::path::Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    for dir in [env.dir.path(), &env.path("docs")] {
        mode(dir, 0o777);
    }
    mode(&env.path("docs/c.txt"), 0o000);
    let output = output_of_copy(
        unprivileged(&binary)
            .args(["ingest", "--json", "docs"])
            .current_dir(env.dir.path())
            .env_remove("PARAFIND_INDEX"),
    );
    mode(&env.path("docs/c.txt"), 0o644);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let records = decode(&output.stdout);
    let [Record::Warning(Warning::File(warning)), Record::Failure(failure), Record::Ingest(report)] =
        &records[..]
    else {
        panic!("{records:?}");
    };
    assert_eq!(warning.path, "docs/b.bin");
    assert!(warning.message.contains("binary file"), "{warning:?}");
    assert_eq!(failure.path, "docs/c.txt");
    assert!(
        failure.message.to_lowercase().contains("permission denied"),
        "{failure:?}"
    );
    assert_eq!(
        (report.added, report.warnings, report.failures),
        (1, 1, 1),
        "{report:?}"
    );
    assert!(report.committed);
    // Named as every record names a file, however the walk was given the path: relative to
    // the current directory under it, the same `doc_id` as `list` gives.
    let absolute = env.path("docs");
    let from_inside = env
        .cmd(&["ingest", "--json", "--index", "../index"])
        .arg(&absolute)
        .current_dir(env.path("docs"))
        .output()
        .unwrap();
    let records = decode(&from_inside.stdout);
    let warned: Vec<(&str, &str)> = records
        .iter()
        .filter_map(|r| match r {
            Record::Warning(Warning::File(w)) => Some((w.path.as_str(), w.doc_id.as_deref()?)),
            _ => None,
        })
        .collect();
    assert_eq!(warned.len(), 1, "{records:?}");
    assert_eq!(warned[0].0, "b.bin");
    assert_eq!(Some(warned[0].1), warning.doc_id.as_deref());
}

/// Every example record in `docs/json.md` decodes strictly.
#[test]
fn the_documented_examples_decode() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json.md")).unwrap();
    let mut in_json = false;
    let mut examples = 0;
    for line in doc.lines() {
        match line {
            "```json" => in_json = true,
            "```" => in_json = false,
            _ if in_json => {
                parse_record(line).unwrap_or_else(|e| panic!("{line}: {e}"));
                examples += 1;
            }
            _ => {}
        }
    }
    assert!(examples >= 10, "only {examples} examples found");
}

#[test]
fn a_record_with_an_undocumented_or_a_missing_field_is_refused() {
    let hit = r#"{"type":"hit","rank":1,"score":3.17,"path":"a.txt","doc_id":"dec5c65091ddbdb1","paragraph":6,"line":6,"byte_offset":2385,"char_offset":2359,"text":"nuclear","highlights":[{"start":0,"end":7,"char_start":0,"char_end":7,"term":"nuclear"}]}"#;
    assert!(parse_record(hit).is_ok());
    let refused = [
        hit.replace(r#""rank":1,"#, r#""rank":1,"extra":0,"#),
        hit.replace(r#""paragraph":6,"#, ""),
        hit.replace(r#""term":"nuclear""#, r#""term":"nuclear","weight":1"#),
        hit.replace(r#""type":"hit""#, r#""type":"match""#),
        // A summary is a query's or a batch's, never a mix.
        r#"{"type":"summary","schema":2,"query":"x","hits":0,"total":0,"queries":1,"matched":0,"failed":0,"elapsed_ms":1.0}"#.into(),
        // `last_ingest` is always there, `null` when unknown.
        r#"{"type":"stats","schema":2,"index":"index","files":1,"paragraphs":14,"terms":396,"index_bytes":25438,"segments":2,"analyzer_version":3,"schema_version":3}"#.into(),
        // An ingest's warning names the file; a query's has a query id, never a path.
        r#"{"type":"warning","query_id":1,"path":"a.txt","message":"m"}"#.into(),
    ];
    for line in refused {
        assert!(parse_record(&line).is_err(), "accepted: {line}");
    }
}

/// `show --json` gives the paragraph's `section` and `title` as a search's hit does; `-l`
/// warns of a listed file that changed, after the `file` records, as a search does after hits.
#[test]
fn shown_paragraphs_carry_their_section_and_file_lists_warn_of_changes() {
    let env = Env::new();
    env.write(
        "docs/md.md",
        "# Title Here\n\n## Sec\n\nmarkdown alpha content\n",
    );
    env.write("docs/z.txt", "alpha zulu\n");
    env.cmd(&["ingest", "docs"]).assert().success();
    let (records, _) = env.records(&["show", "--json", "docs/md.md:3"]);
    let [Record::Paragraph(paragraph)] = &records[..] else {
        panic!("{records:?}");
    };
    assert_eq!(paragraph.section.as_deref(), Some("Title Here > Sec"));
    assert_eq!(paragraph.title.as_deref(), Some("Title Here"));
    env.write("docs/z.txt", "alpha zulu, changed\n");
    let (records, _) = env.records(&["search", "--json", "-l", "alpha"]);
    let kinds: Vec<&str> = records
        .iter()
        .map(|r| match r {
            Record::File(_) => "file",
            Record::Warning(Warning::Query(w)) if w.message.contains("z.txt changed") => "changed",
            Record::Summary(_) => "summary",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["file", "file", "changed", "summary"], "{records:?}");
}

/// A title or heading of megabytes is kept to its first kilobyte (it is stored with every
/// paragraph), cut at a character and marked `…`; its first words still find the document.
#[test]
fn an_overlong_title_or_section_is_cut_to_a_kilobyte() {
    let env = Env::new();
    let long = format!("quokka {} zebratitle", "é".repeat(3000));
    let record = serde_json::json!({"id": "r1", "title": long, "text": "body one\n\nbody two"});
    let flags = serde_json::json!({"id": "r2", "title": "🇯🇵".repeat(200), "text": "flag text"});
    env.write("c.jsonl", format!("{record}\n{flags}\n"));
    env.write(
        "m.md",
        format!("# Doc\n\n## wombat {}\n\nunder it\n", "ü".repeat(3000)),
    );
    env.cmd(&["ingest", "--jsonl", "c.jsonl", "m.md"])
        .assert()
        .success();
    let (hits, _, _) = env.search_json("body", &[]);
    assert_eq!(hits.len(), 2);
    for hit in &hits {
        let title = hit.title.as_deref().expect("a title");
        assert!(
            title.len() <= 1024 && title.starts_with("quokka é"),
            "{}",
            title.len()
        );
        assert!(title.ends_with("é…"), "{title}");
    }
    let (found, _, _) = env.search_json("quokka", &[]);
    assert_eq!(found.len(), 1);
    let marked = found[0].title_highlights.as_deref().unwrap_or_default();
    assert_eq!(
        marked.iter().map(|s| (s.start, s.end)).collect::<Vec<_>>(),
        [(0, 6)]
    );
    // The whole title is indexed: a word past the cut still finds its document, though the
    // title shown (cut) cannot mark it.
    let (past, _, _) = env.search_json("zebratitle", &[]);
    assert_eq!(past.len(), 1);
    assert_eq!(past[0].title_highlights.as_ref().map(Vec::len), Some(0));
    // The cut is between grapheme clusters: whole flags, then `…`.
    let (flag, _, _) = env.search_json("flag", &[]);
    let title = flag[0].title.as_deref().expect("a title");
    let kept = title.strip_suffix('…').expect("cut");
    assert!(
        kept.len() % "🇯🇵".len() == 0
            && kept
                .chars()
                .all(|c| ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)),
        "{title}"
    );
    let (under, _, _) = env.search_json("under", &[]);
    let section = under[0].section.as_deref().expect("a section");
    assert!(
        section.len() <= 1024 && section.starts_with("Doc > wombat ü"),
        "{section}"
    );
    assert!(section.ends_with('…'), "{section}");
}

/// `show FILE#ID:N`: a record whose id ends in `:N` is shown whole when the index holds it;
/// otherwise `:N` is the paragraph number.
#[test]
fn show_tells_a_record_id_with_a_colon_from_a_paragraph_number() {
    let env = Env::new();
    env.write(
        "c.jsonl",
        "{\"id\":\"a:1\",\"text\":\"colon one\"}\n{\"id\":\"b\",\"text\":\"bee\\n\\nsecond\"}\n",
    );
    env.cmd(&["ingest", "--jsonl", "c.jsonl"])
        .assert()
        .success();
    let shown = |target: &str| {
        let (records, status) = env.records(&["show", "--json", target]);
        assert_eq!(status, 0, "{target}");
        records
            .iter()
            .map(|r| match r {
                Record::Paragraph(p) => p.text.clone(),
                other => panic!("{other:?}"),
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(shown("c.jsonl#a:1"), ["colon one"]);
    assert_eq!(shown("c.jsonl#b:2"), ["second"]);
}

/// `show` of a collection says what it is; a collection with bytes that are not UTF-8 is
/// warned about once, as a text file is.
#[test]
fn a_collection_is_shown_by_its_records_and_its_bad_bytes_are_said() {
    let env = Env::new();
    env.write(
        "c.jsonl",
        b"{\"id\":\"a\",\"text\":\"caf\xe9 one\"}\n{\"id\":\"b\",\"text\":\"caf\xe9 two\"}\n"
            .as_slice(),
    );
    let output = env.run(&["ingest", "--jsonl", "c.jsonl"]);
    assert_eq!(output.status.code(), Some(0));
    let err = stderr(&output);
    assert_eq!(err.matches("not valid UTF-8").count(), 1, "{err}");
    let output = env.run(&["show", "c.jsonl#zz"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(
            "c.jsonl#zz is not in the index: the collection c.jsonl has no record \"zz\""
        ),
        "{}",
        stderr(&output)
    );
    let output = env.run(&["show", "c.jsonl"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(
            "c.jsonl is a JSON Lines collection: show one of its records, `parafind show c.jsonl#ID`"
        ),
        "{}",
        stderr(&output)
    );
}
