//! Real document collections: Markdown, HTML, JSON Lines records, encodings, standard input,
//! walking filters, incremental re-ingest, huge paragraphs, interrupted and concurrent ingests.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::*;

/// The records parafind prints (decoded strictly), whatever its exit status.
fn json_records(env: &Env, args: &[&str]) -> Vec<Record> {
    env.records(args).0
}

#[test]
fn markdown_blocks_carry_sections_and_markup_is_not_indexed() {
    let env = Env::new();
    let source = "# Setup\n\n## Linux\n\nRun **cargo build** and read [the guide](https://example.org/guide).\n\n```sh\nsudo apt install ripgrep\n```\n\n## Mac\n\n- use *brew*\n";
    env.write("docs/install.md", source);
    env.cmd(&["ingest", "docs"]).assert().success();
    let records = json_records(&env, &["search", "--json", "cargo"]);
    let hits = hits_of(&records);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].section.as_deref(), Some("Setup > Linux"));
    assert_eq!(hits[0].line, 5);
    let text = hits[0].text.as_str();
    let offset = hits[0].byte_offset as usize;
    assert_eq!(&source[offset..offset + text.len()], text);
    let (start, end) = (hits[0].highlights[0].start, hits[0].highlights[0].end);
    assert_eq!(&text[start..end], "cargo");
    // Link targets and fence info strings are markup: not searchable.
    assert_eq!(env.run(&["search", "example.org"]).status.code(), Some(1));
    assert_eq!(env.run(&["search", "guide"]).status.code(), Some(0));
    let brew = json_records(&env, &["search", "--json", "brew"]);
    assert_eq!(hits_of(&brew)[0].section.as_deref(), Some("Setup > Mac"));
    let human = stdout(&env.run(&["search", "--color", "never", "ripgrep"]));
    assert!(human.contains("· Setup > Linux:"), "{human}");
}

/// A page named only in its front matter (Hugo, Jekyll, Docusaurus): that is its title, and
/// its words find it, as a first heading's would.
#[test]
fn a_markdown_front_matter_title_names_the_document() {
    let env = Env::new();
    env.write(
        "site/fm.md",
        "---\ntitle: \"Front Matter Title Ocelot\"\ndate: 2024-01-01\n---\n\nBody about the ocelot.\n",
    );
    env.cmd(&["ingest", "site"]).assert().success();
    let records = json_records(&env, &["search", "--json", "front matter title"]);
    let hits = hits_of(&records);
    assert_eq!(hits.len(), 1, "{records:?}");
    assert_eq!(hits[0].title.as_deref(), Some("Front Matter Title Ocelot"));
    assert_eq!(
        (hits[0].text.as_str(), hits[0].line),
        ("Body about the ocelot.", 6)
    );
}

#[test]
fn html_visible_text_title_and_entities() {
    let env = Env::new();
    env.write(
        "site/page.html",
        "<html><head><title>Alliance Notes</title><style>.x{color:red}</style></head>\n<body>\n<h1>Deterrence</h1>\n<p>Tom &amp; Jerry discuss <b>deterrence</b>.</p>\n<script>var secretword = 1;</script>\n</body></html>\n",
    );
    env.cmd(&["ingest", "site"]).assert().success();
    let records = json_records(&env, &["search", "--json", "Jerry"]);
    let hits = hits_of(&records);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].text, "Tom & Jerry discuss deterrence.");
    assert_eq!(hits[0].title.as_deref(), Some("Alliance Notes"));
    assert_eq!(hits[0].line, 4);
    assert_eq!(env.run(&["search", "secretword"]).status.code(), Some(1));
    assert_eq!(env.run(&["search", "color"]).status.code(), Some(1));
    // The title is searchable with the document's first paragraph.
    let titled = json_records(&env, &["search", "--json", "notes"]);
    assert_eq!(hits_of(&titled)[0].paragraph, 1);
}

#[test]
fn json_lines_records_are_documents_and_reingest_incrementally() {
    let env = Env::new();
    env.write(
        "corpus.jsonl",
        "{\"_id\": \"d1\", \"title\": \"Treaty history\", \"text\": \"The 1953 treaty endures.\"}\n{\"_id\": \"d2\", \"title\": \"Shipbuilding\", \"text\": \"Yards and hulls.\\n\\nSecond paragraph on steel.\"}\n",
    );
    let output = env.run(&["ingest", "--jsonl", "corpus.jsonl"]);
    assert!(
        stderr(&output).contains("ingested 2 records, 3 paragraphs"),
        "{}",
        stderr(&output)
    );
    let records = json_records(&env, &["search", "--json", "steel"]);
    let hits = hits_of(&records);
    assert_eq!(hits[0].path, "corpus.jsonl#d2");
    assert_eq!(hits[0].title.as_deref(), Some("Shipbuilding"));
    assert_eq!(hits[0].paragraph, 2);
    // Titles are indexed with their record's first paragraph.
    assert_eq!(
        hits_of(&json_records(&env, &["search", "--json", "history"]))[0].path,
        "corpus.jsonl#d1"
    );
    let again = env.run(&["ingest", "--jsonl", "corpus.jsonl"]);
    assert!(stderr(&again).contains("1 unchanged"), "{}", stderr(&again));
    env.write(
        "corpus.jsonl",
        "{\"_id\": \"d1\", \"text\": \"Rewritten entirely.\"}\nnot a record\n",
    );
    let changed = env.run(&["ingest", "--jsonl", "corpus.jsonl"]);
    assert!(
        stderr(&changed).contains("line 2: not a"),
        "{}",
        stderr(&changed)
    );
    assert!(
        stderr(&changed).contains("ingested 1 record, 1 paragraph"),
        "{}",
        stderr(&changed)
    );
    assert_eq!(env.run(&["search", "steel"]).status.code(), Some(1));
    assert_eq!(env.run(&["search", "rewritten"]).status.code(), Some(0));
    // A record of a title alone is its title's document; one with neither is said.
    env.write(
        "titles.jsonl",
        "{\"_id\": \"t1\", \"title\": \"Spike glycoprotein\", \"text\": \"\"}\n\
         {\"_id\": \"t2\", \"title\": \"Missing text glycoprotein\"}\n{\"_id\": \"t3\", \"text\": \" \"}\n",
    );
    let titles = env.run(&["ingest", "--jsonl", "titles.jsonl"]);
    assert!(
        stderr(&titles).contains(
            "titles.jsonl: line 3: record id \"t3\" has no text and no title to index; skipped"
        ),
        "{}",
        stderr(&titles)
    );
    let (found, _, _) = env.search_json("glycoprotein", &[]);
    let mut paths: Vec<&str> = found.iter().map(|h| h.path.as_str()).collect();
    paths.sort();
    assert_eq!(paths, ["titles.jsonl#t1", "titles.jsonl#t2"]);
    // Its title is its text, shown once and indexed once.
    assert!(found
        .iter()
        .any(|h| h.text == "Spike glycoprotein" && h.title.is_none()));
    // Files and records ingested together are counted apart.
    env.write("notes/a.txt", "A note.\n");
    env.write("more.jsonl", "{\"id\": \"m1\", \"text\": \"More.\"}\n");
    let both = env.run(&["ingest", "notes", "--jsonl", "more.jsonl"]);
    assert!(
        stderr(&both).contains("ingested 1 file and 1 record, 2 paragraphs"),
        "{}",
        stderr(&both)
    );
}

#[test]
fn a_file_named_like_a_record_is_replaced_without_touching_the_record() {
    // `c.jsonl#r1` is both a record's key and a file's path: re-ingesting the file must
    // replace the file's paragraphs only, and re-ingesting the collection its records only.
    let env = Env::new();
    env.write(
        "c.jsonl",
        "{\"_id\": \"r1\", \"text\": \"Recorded hydrofoil notes.\"}\n",
    );
    env.write("c.jsonl#r1", "A plain file about zeppelins.\n");
    assert!(env.run(&["ingest", "--jsonl", "c.jsonl"]).status.success());
    assert!(env.run(&["ingest", "c.jsonl#r1"]).status.success());
    let paths = |query: &str| -> Vec<String> {
        hits_of(&json_records(&env, &["search", "--json", query]))
            .iter()
            .map(|h| h.path.clone())
            .collect()
    };
    assert_eq!(paths("hydrofoil"), ["c.jsonl#r1"]);
    assert_eq!(paths("zeppelins"), ["c.jsonl#r1"]);
    env.write("c.jsonl#r1", "A plain file about blimps now.\n");
    assert!(env.run(&["ingest", "c.jsonl#r1"]).status.success());
    assert_eq!(paths("hydrofoil").len(), 1, "the record must survive");
    assert_eq!(env.run(&["search", "zeppelins"]).status.code(), Some(1));
    assert_eq!(paths("blimps").len(), 1);
    env.write(
        "c.jsonl",
        "{\"_id\": \"r1\", \"text\": \"Recorded catamaran notes.\"}\n",
    );
    assert!(env.run(&["ingest", "--jsonl", "c.jsonl"]).status.success());
    assert_eq!(env.run(&["search", "hydrofoil"]).status.code(), Some(1));
    assert_eq!(paths("catamaran").len(), 1);
    assert_eq!(paths("blimps").len(), 1, "the file must survive");
}

#[test]
fn a_file_ingested_as_a_collection_then_as_text_keeps_one_version() {
    let env = Env::new();
    env.write(
        "notes.jsonl",
        "{\"_id\": \"a\", \"text\": \"Quokka sightings.\"}\n",
    );
    assert!(env
        .run(&["ingest", "--jsonl", "notes.jsonl"])
        .status
        .success());
    env.write("notes.jsonl", "Wombat sightings, as plain text.\n");
    assert!(env.run(&["ingest", "notes.jsonl"]).status.success());
    assert_eq!(env.run(&["search", "quokka"]).status.code(), Some(1));
    assert_eq!(env.run(&["search", "wombat"]).status.code(), Some(0));
    env.write(
        "notes.jsonl",
        "{\"_id\": \"b\", \"text\": \"Numbat sightings.\"}\n",
    );
    assert!(env
        .run(&["ingest", "--jsonl", "notes.jsonl"])
        .status
        .success());
    assert_eq!(env.run(&["search", "wombat"]).status.code(), Some(1));
    assert_eq!(env.run(&["search", "numbat"]).status.code(), Some(0));
}

#[test]
fn a_collection_stays_one_when_touched_walked_over_or_first_read_as_text() {
    let env = Env::new();
    env.write("docs/c.jsonl", "{\"id\": \"a\", \"text\": \"alpha\"}\n");
    env.cmd(&["ingest", "--jsonl", "docs/c.jsonl"])
        .assert()
        .success();
    // Touched: its records take the new time, and no search calls it changed.
    let file = std::fs::File::options()
        .write(true)
        .open(env.path("docs/c.jsonl"))
        .unwrap();
    file.set_modified(
        std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000),
    )
    .unwrap();
    env.cmd(&["ingest", "--jsonl", "docs/c.jsonl"])
        .assert()
        .success();
    let output = env.run(&["search", "alpha"]);
    assert!(
        !stderr(&output).contains("changed since"),
        "{}",
        stderr(&output)
    );
    // A walk over its directory keeps it a collection, its new record included.
    env.write(
        "docs/c.jsonl",
        "{\"id\": \"a\", \"text\": \"alpha\"}\n{\"id\": \"b\", \"text\": \"beta\"}\n",
    );
    env.write("docs/w.jsonl", "{\"id\": \"x\", \"text\": \"omega\"}\n");
    env.cmd(&["ingest", "docs"]).assert().success();
    let listed = stdout(&env.run(&["list"]));
    assert!(
        listed.contains("c.jsonl#a") && listed.contains("c.jsonl#b"),
        "{listed}"
    );
    // A file first read as text becomes a collection when asked.
    assert!(
        listed.lines().any(|l| l.ends_with("docs/w.jsonl")),
        "{listed}"
    );
    env.cmd(&["ingest", "--jsonl", "docs/w.jsonl"])
        .assert()
        .success();
    let listed = stdout(&env.run(&["list"]));
    assert!(listed.contains("w.jsonl#x"), "{listed}");
    assert!(
        !listed.lines().any(|l| l.ends_with("docs/w.jsonl")),
        "{listed}"
    );
    // A new collection named with --jsonl beside its directory is one collection.
    env.write("docs/n.jsonl", "{\"id\": \"y\", \"text\": \"gamma\"}\n");
    env.cmd(&["ingest", "--jsonl", "docs/n.jsonl", "docs"])
        .assert()
        .success();
    let listed = stdout(&env.run(&["list"]));
    assert!(listed.contains("n.jsonl#y"), "{listed}");
    // A record whose id looks like a path (a URL) is shown by it, the id kept as written.
    env.write(
        "docs/u.jsonl",
        "{\"id\": \"https://example.com/x\", \"text\": \"bilby\"}\n",
    );
    env.cmd(&["ingest", "--jsonl", "docs/u.jsonl"])
        .assert()
        .success();
    let shown = env.run(&["show", "docs/u.jsonl#https://example.com/x"]);
    assert_eq!(shown.status.code(), Some(0), "{}", stderr(&shown));
    assert!(stdout(&shown).contains("bilby"), "{}", stdout(&shown));
    assert!(
        !listed.lines().any(|l| l.ends_with("docs/n.jsonl")),
        "{listed}"
    );
}

#[test]
fn utf16_and_utf8_bom_files_have_file_offsets() {
    let env = Env::new();
    let text = "first line\r\n\r\nsecond para with café\r\n";
    for (name, big_endian) in [("le.txt", false), ("be.txt", true)] {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        env.write(name, bytes);
    }
    env.write("bom.txt", [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat());
    env.cmd(&["ingest", "le.txt", "be.txt", "bom.txt"])
        .assert()
        .success();
    let records = json_records(&env, &["search", "--json", "café"]);
    let mut found: Vec<(String, u64, u64, u64)> = hits_of(&records)
        .iter()
        .map(|h| (h.path.clone(), h.line, h.byte_offset, h.char_offset))
        .collect();
    found.sort();
    // "first line\r\n\r\n" is 14 characters: 28 bytes in UTF-16 after the 2-byte mark.
    assert_eq!(
        found,
        [
            ("be.txt".to_string(), 3, 30, 15),
            ("bom.txt".to_string(), 3, 17, 15),
            ("le.txt".to_string(), 3, 30, 15),
        ]
    );
}

#[test]
fn text_that_is_not_utf8_is_read_with_a_warning_and_exact_offsets() {
    let env = Env::new();
    // Latin-1: no multi-byte UTF-8 sequence, so read as Windows-1252.
    let latin1 = b"R\xe9sum\xe9 \x93caf\xe9\x94\n\nplain line with needle here\n";
    env.write("latin1.txt", latin1);
    // UTF-8 (more valid accented letters than damaged sequences) with three damaged sequences.
    let damaged =
        b"caf\xc3\xa9 na\xc3\xafve cr\xc3\xa8me \xff\xfe \xe2\x82\n\nplain line with needle here\n";
    env.write("damaged.txt", damaged);
    let output = env.run(&["ingest", "latin1.txt", "damaged.txt"]);
    assert_eq!(output.status.code(), Some(0));
    let errors = stderr(&output);
    assert!(
        errors.contains("warning: latin1.txt: not UTF-8; read as Windows-1252"),
        "{errors}"
    );
    assert!(
        errors.contains("warning: damaged.txt: not valid UTF-8"),
        "{errors}"
    );
    let records = json_records(&env, &["search", "--json", "resume"]);
    let texts: Vec<&str> = hits_of(&records).iter().map(|h| h.text.as_str()).collect();
    assert_eq!(texts, ["Résumé “café”"]);
    // The paragraph after the replaced bytes starts where the file has it, in bytes.
    let records = json_records(&env, &["search", "--json", "needle"]);
    let mut starts: Vec<(String, u64)> = hits_of(&records)
        .iter()
        .map(|h| (h.path.clone(), h.byte_offset))
        .collect();
    starts.sort();
    let at = |file: &[u8]| file.windows(5).position(|w| w == b"plain").unwrap_or(0) as u64;
    assert_eq!(
        starts,
        [
            ("damaged.txt".to_string(), at(damaged)),
            ("latin1.txt".to_string(), at(latin1))
        ]
    );
    // Byte columns count the line as its text holds it, in UTF-8 (as in a UTF-16 file).
    let vimgrep = stdout(&env.run(&["search", "--vimgrep", "cafe"]));
    let mut lines: Vec<&str> = vimgrep.lines().collect();
    lines.sort();
    let expected = [
        "damaged.txt:1:1:café naïve crème \u{FFFD}\u{FFFD} \u{FFFD}",
        "latin1.txt:1:13:Résumé “café”",
    ];
    assert_eq!(lines, expected);
}

#[test]
fn legacy_encodings_declared_or_guessed_are_read_with_exact_offsets() {
    let env = Env::new();
    // An HTML page declaring windows-1251: read in it, with no warning.
    let page = "<html><head><meta charset=\"windows-1251\"><title>Столица</title></head>\n\
                <body><p>Москва - столица России.</p>\n<p>Второй абзац: needle.</p></body></html>\n";
    let (page, _, _) = encoding_rs::WINDOWS_1251.encode(page);
    env.write("ru.html", &page);
    // A text file in Shift_JIS, declaring nothing: read in the encoding its bytes suggest.
    let novel = "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。\n\n\
                 何でも薄暗いじめじめした所で needle と泣いていた事だけは記憶している。\n";
    let (novel, _, _) = encoding_rs::SHIFT_JIS.encode(novel);
    env.write("novel.txt", &novel);
    // One line of over 16 KB: its second chunk starts mid-line, after Shift_JIS text.
    let long_line = format!("{} needle\n", "猫".repeat(9000));
    let (long_line, _, _) = encoding_rs::SHIFT_JIS.encode(&long_line);
    env.write("long.txt", &long_line);
    let output = env.run(&["ingest", "ru.html", "novel.txt"]);
    assert_eq!(output.status.code(), Some(0));
    let errors = stderr(&output);
    assert_eq!(
        errors
            .lines()
            .filter(|line| line.contains("warning"))
            .collect::<Vec<_>>(),
        ["parafind: warning: novel.txt: not UTF-8; read as Shift_JIS, the encoding its bytes suggest"],
        "{errors}"
    );
    let records = json_records(&env, &["search", "--json", "Москва"]);
    let hits = hits_of(&records);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].text, "Москва - столица России.");
    assert_eq!(hits[0].title.as_deref(), Some("Столица"));
    let records = json_records(&env, &["search", "--json", "猫"]);
    assert_eq!(
        hits_of(&records)[0].text.split('。').next(),
        Some("吾輩は猫である")
    );
    // Paragraphs start where the file has them, in its own bytes.
    let records = json_records(&env, &["search", "--json", "needle", "--sort", "path"]);
    let starts: Vec<(String, u64)> = hits_of(&records)
        .iter()
        .map(|h| (h.path.clone(), h.byte_offset))
        .collect();
    let find = |file: &[u8], what: &[u8]| {
        file.windows(what.len())
            .rposition(|w| w == what)
            .unwrap_or(0) as u64
    };
    let (second_line, _, _) = encoding_rs::SHIFT_JIS.encode("何でも");
    assert_eq!(
        starts,
        [
            ("novel.txt".to_string(), find(&novel, &second_line)),
            ("ru.html".to_string(), find(&page, b"<p>")),
        ]
    );
    // Columns count the line as its text holds it, in UTF-8, as in a Windows-1252 file.
    let vimgrep = stdout(&env.run(&["search", "--vimgrep", "needle", "--sort", "path"]));
    let before = "何でも薄暗いじめじめした所で ".len() + 1;
    let lines: Vec<&str> = vimgrep.lines().collect();
    assert_eq!(lines.len(), 2, "{vimgrep}");
    assert!(
        lines[0].starts_with(&format!("novel.txt:3:{before}:何でも")),
        "{vimgrep}"
    );
    // (An HTML hit's place is its paragraph's start tag.)
    assert_eq!(lines[1], "ru.html:3:1:Второй абзац: needle.");
    // A UTF-16 file with an odd last byte is said to be damaged UTF-16.
    let mut odd: Vec<u8> = vec![0xFF, 0xFE];
    odd.extend("Тула\n".encode_utf16().flat_map(u16::to_le_bytes));
    odd.push(b'A');
    env.write("odd.txt", &odd);
    let errors = stderr(&env.run(&["ingest", "odd.txt"]));
    assert!(
        errors.contains("odd.txt: not valid UTF-16; a lone surrogate read as U+FFFD"),
        "{errors}"
    );
    // A chunk's column counts the line before it as the text holds it.
    env.run(&["ingest", "long.txt"]);
    let vimgrep = stdout(&env.run(&["search", "--vimgrep", "needle", "-g", "long.txt"]));
    let column = "猫".repeat(9000).len() + 2;
    assert!(
        vimgrep.starts_with(&format!("long.txt:1:{column}:")),
        "{}",
        vimgrep.chars().take(40).collect::<String>()
    );
}

#[test]
fn standard_input_is_a_named_document() {
    let env = Env::new();
    env.cmd(&["ingest", "-", "--name", "notes/today.md"])
        .write_stdin("# Plans\n\nBuy more walrus food.\n")
        .assert()
        .success();
    let records = json_records(&env, &["search", "--json", "walrus"]);
    let hits = hits_of(&records);
    assert_eq!(hits[0].path, "notes/today.md");
    assert_eq!(hits[0].section.as_deref(), Some("Plans"));
    // No file behind it, so no "changed since indexed" warning, and no time in the list.
    assert!(!records.iter().any(|r| matches!(r, Record::Warning(_))));
    let listed = stdout(&env.run(&["list"]));
    assert!(
        listed.contains("(standard input)     notes/today.md") && !listed.contains("1970"),
        "{listed}"
    );
    // A file dated at the epoch is a file all the same: listed with its time, and taken out
    // when it is gone (0 marks standard input, whose documents no refresh removes).
    env.write("old/epoch.txt", "walrus of old\n");
    std::fs::File::options()
        .write(true)
        .open(env.path("old/epoch.txt"))
        .unwrap()
        .set_modified(std::time::SystemTime::UNIX_EPOCH)
        .unwrap();
    env.cmd(&["ingest", "old"]).assert().success();
    let listed = stdout(&env.run(&["list"]));
    assert!(
        listed.contains("1970-01-01 00:00:00  old/epoch.txt"),
        "{listed}"
    );
    std::fs::remove_file(env.path("old/epoch.txt")).unwrap();
    env.cmd(&["refresh"]).assert().success();
    assert!(!stdout(&env.run(&["list"])).contains("epoch.txt"));
    let output = env.run(&["ingest", "--name", "x", "notes"]);
    assert_eq!(output.status.code(), Some(2));
    // A name that names no document is refused, and nothing is added.
    env.write("somedir/a.txt", "x\n");
    for (name, says) in [
        ("", "needs a document's name"),
        ("/", "is a directory"),
        ("somedir", "is a directory"),
        ("other/../somedir", "is a directory"),
        ("later/", "is a directory"),
        ("index/x.txt", "is inside the index"),
    ] {
        let output = env
            .cmd(&["ingest", "-", "--name", name])
            .write_stdin("walrus again\n")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{name:?}");
        assert!(
            stderr(&output).contains(says),
            "{name:?}: {}",
            stderr(&output)
        );
    }
    let count = stdout(&env.run(&["search", "-c", "walrus"]));
    assert_eq!(count.trim(), "1");
    // The same text again changes nothing (no commit); an empty document is skipped, not added.
    let again = |name: &str, text: &str| {
        let output = env
            .cmd(&["ingest", "--json", "-", "--name", name])
            .write_stdin(text)
            .output()
            .unwrap();
        match &decode(&output.stdout)[..] {
            [Record::Ingest(report)] => (
                report.added,
                report.unchanged,
                report.skipped,
                report.committed,
            ),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(
        again("notes/today.md", "# Plans\n\nBuy more walrus food.\n"),
        (0, 1, 0, false)
    );
    assert_eq!(again("empty.txt", ""), (0, 0, 1, false));
    assert!(!stdout(&env.run(&["list"])).contains("empty.txt"));
}

#[test]
fn walking_filters_hidden_glob_and_type() {
    let env = Env::new();
    env.write("tree/a.md", "zebra one\n");
    env.write("tree/b.txt", "zebra two\n");
    env.write("tree/.hidden/c.txt", "zebra three\n");
    let count = |args: &[&str]| -> String {
        let index = format!("idx-{}", args.join("-").replace(['*', '.', '!'], "_"));
        let mut all = vec!["--index", index.as_str(), "ingest", "tree"];
        all.extend_from_slice(args);
        env.cmd(&all).assert().success();
        stdout(&env.run(&["--index", &index, "search", "--count", "zebra"]))
    };
    assert_eq!(count(&[]), "2\n");
    assert_eq!(count(&["--hidden"]), "3\n");
    assert_eq!(count(&["--type", "md"]), "1\n");
    assert_eq!(count(&["--glob", "*.txt"]), "1\n");
    assert_eq!(count(&["--glob", "!*.txt"]), "1\n");
    let bad = env.run(&["ingest", "tree", "--type", "nosuchtype"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("nosuchtype"), "{}", stderr(&bad));
}

#[test]
fn reingest_reports_added_updated_removed_and_unchanged() {
    let env = Env::new();
    env.write("notes/keep.txt", "stable words\n");
    env.write("notes/edit.txt", "old walrus\n");
    env.write("notes/drop.txt", "doomed walrus\n");
    env.cmd(&["ingest", "notes"]).assert().success();
    std::thread::sleep(Duration::from_millis(20));
    env.write("notes/edit.txt", "new narwhal\n");
    std::fs::remove_file(env.path("notes/drop.txt")).unwrap();
    env.write("notes/sub/add.txt", "fresh narwhal\n");
    let records = json_records(&env, &["ingest", "--json", "notes"]);
    let Some(Record::Ingest(report)) = records.last() else {
        panic!("{records:?}");
    };
    assert_eq!(
        (
            report.added,
            report.updated,
            report.removed,
            report.unchanged
        ),
        (1, 1, 1, 1)
    );
    assert_eq!(env.run(&["search", "walrus"]).status.code(), Some(1));
    assert_eq!(stdout(&env.run(&["search", "--count", "narwhal"])), "2\n");
    // Touching a file without changing it re-reads it but keeps it.
    std::thread::sleep(Duration::from_millis(20));
    env.write("notes/keep.txt", "stable words\n");
    let output = env.run(&["ingest", "notes"]);
    assert!(
        stderr(&output).contains("(0 added, 0 updated, 0 removed, 3 unchanged)"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_huge_paragraph_becomes_chunks_with_exact_offsets() {
    let env = Env::new();
    let line = format!("{}needle {}", "hay ".repeat(20_000), "hay ".repeat(20_000));
    let file = format!("intro\n\n{line}\n");
    env.write("big.txt", &file);
    env.cmd(&["ingest", "big.txt"]).assert().success();
    let records = json_records(&env, &["search", "--json", "needle"]);
    let hits = hits_of(&records);
    assert_eq!(hits.len(), 1);
    let text = hits[0].text.as_str();
    assert!(text.len() <= 16 * 1024);
    let offset = hits[0].byte_offset as usize;
    assert_eq!(&file[offset..offset + text.len()], text);
    let total = stdout(&env.run(&["search", "--count", "hay"]));
    assert!(total.trim().parse::<u64>().unwrap() >= 10, "{total}");
}

#[test]
fn a_killed_ingest_leaves_the_last_commit_searchable() {
    let env = Env::essay();
    for i in 0..4000 {
        env.write(
            &format!("bulk/d{i:04}.txt"),
            format!("bulkword number {i}\n\n{}\n", "filler text ".repeat(60)),
        );
    }
    let binary = assert_cmd::cargo::cargo_bin!("parafind");
    let mut child = Command::new(binary)
        .args(["ingest", "bulk"])
        .current_dir(env.dir.path())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(150));
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    let (hits, _, status) = env.search_json("Pyongyang", &[]);
    assert_eq!(status, 0);
    assert_eq!(sorted_paragraphs(&hits), [1, 3]);
    // The index takes a new ingest afterwards.
    env.cmd(&["ingest", "bulk"]).assert().success();
    assert_eq!(
        stdout(&env.run(&["search", "--count", "bulkword"])),
        "4000\n"
    );
}

#[test]
fn a_second_writer_fails_fast_and_searches_still_answer() {
    let env = Env::essay();
    let index = parafind::index::open(&env.path("index")).unwrap();
    let writer: tantivy::IndexWriter = index.index.writer(50_000_000).unwrap();
    let started = Instant::now();
    let output = env.run(&["ingest"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("another parafind is writing to the index at /"),
        "{}",
        stderr(&output)
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(env.search_json("Pyongyang", &[]).2, 0);
    drop(writer);
}

/// A JSON Lines id given three times makes one document, of the last record, with a warning
/// for each repeat.
#[test]
fn a_repeated_json_lines_id_keeps_the_last_record() {
    let env = Env::new();
    env.write(
        "c.jsonl",
        "{\"id\": \"x\", \"text\": \"walrus one\"}\n{\"id\": \"x\", \"text\": \"walrus two\"}\n{\"id\": \"x\", \"text\": \"walrus three\"}\n",
    );
    let output = env.run(&["ingest", "--jsonl", "c.jsonl"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(
        err.contains("line 3: record id \"x\" is also on line 2"),
        "{err}"
    );
    assert!(err.contains("ingested 1 record, 1 paragraph"), "{err}");
    let records = json_records(&env, &["search", "--json", "walrus"]);
    let hits = hits_of(&records);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].text, "walrus three");
}

/// `ingest - --name` naming an indexed file replaces it, relative name or absolute (the last
/// document under a path wins); it added a second document under the same path before.
#[test]
fn standard_input_named_like_an_indexed_file_replaces_it() {
    let env = Env::new();
    env.write("notes/a.txt", "original gnu text\n");
    env.cmd(&["ingest", "notes"]).assert().success();
    let absolute = env.path("notes/a.txt").display().to_string();
    for (name, text) in [
        ("notes/a.txt", "first piped gnu"),
        (absolute.as_str(), "second piped gnu"),
    ] {
        let output = env
            .cmd(&["ingest", "-", "--name", name])
            .write_stdin(text)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let listed = stdout(&env.run(&["list"]));
        assert_eq!(listed.matches("a.txt").count(), 1, "{listed}");
        let records = json_records(&env, &["search", "--json", "gnu"]);
        let hits = hits_of(&records);
        assert_eq!(hits.len(), 1, "{records:?}");
        assert_eq!(hits[0].text, text);
    }
}

#[test]
fn globs_and_types_select_a_collections_records_by_its_file() {
    let env = Env::new();
    env.write("r.jsonl", "{\"id\":\"a\",\"text\":\"zebra in a record\"}\n");
    env.write("notes/z.txt", "zebra in a file\n");
    env.cmd(&["ingest", "--jsonl", "r.jsonl"])
        .assert()
        .success();
    env.cmd(&["ingest", "notes"]).assert().success();
    let files = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["search", "-l", "--color", "never"];
        args.extend_from_slice(extra);
        args.push("zebra");
        let mut listed: Vec<String> = stdout(&env.run(&args)).lines().map(String::from).collect();
        listed.sort();
        listed
    };
    assert_eq!(files(&["-g", "*.jsonl"]), ["r.jsonl#a"]);
    assert_eq!(files(&["-g", "r.jsonl"]), ["r.jsonl#a"]);
    assert_eq!(files(&["-g", "r.jsonl#*"]), ["r.jsonl#a"]);
    assert_eq!(files(&["-g", "!*.jsonl"]), ["notes/z.txt"]);
    assert_eq!(files(&["-t", "jsonl"]), ["r.jsonl#a"]);
    assert_eq!(files(&["-t", "txt"]), ["notes/z.txt"]);
}

#[test]
fn a_compressed_collection_is_read_decompressed_and_the_index_is_no_collection() {
    use std::io::Write;
    let env = Env::new();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b"{\"id\":\"a\",\"text\":\"gzipped zebra record\"}\n")
        .unwrap();
    env.write("c.jsonl.gz", gz.finish().unwrap());
    env.cmd(&["ingest", "--jsonl", "c.jsonl.gz"])
        .assert()
        .success();
    let (hits, _, _) = env.search_json("zebra", &[]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].path, "c.jsonl.gz#a");
    // Damaged later, it is a damaged document as any `.gz` file is: its records are removed,
    // counted and said.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for id in ["a", "b", "c"] {
        writeln!(gz, "{{\"id\":\"{id}\",\"text\":\"zebra {id}\"}}").unwrap();
    }
    let whole = gz.finish().unwrap();
    env.write("c.jsonl.gz", &whole);
    env.cmd(&["ingest", "--jsonl", "c.jsonl.gz"])
        .assert()
        .success();
    env.write("c.jsonl.gz", &whole[..whole.len() - 12]);
    let (records, status) = env.records(&["ingest", "--json", "--jsonl", "c.jsonl.gz"]);
    assert_eq!(status, 0);
    let said = records.iter().any(|r| {
        matches!(r, Record::Warning(Warning::File(w)) if w.message.starts_with("damaged gzip data")
            && w.message.ends_with("; skipped; its old paragraphs were removed"))
    });
    assert!(said, "{records:?}");
    let removed = records.iter().find_map(|r| match r {
        Record::Ingest(s) => Some(s.removed),
        _ => None,
    });
    assert_eq!(removed, Some(3));
    assert_eq!(env.run(&["search", "-c", "zebra"]).status.code(), Some(1));
    // Damaged in the middle, it says only that: not the garbled records read before the
    // damage was found, which it does not keep.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for id in 0..200 {
        writeln!(gz, "{{\"id\":\"r{id}\",\"text\":\"record {id} zebra\"}}").unwrap();
    }
    let mut whole = gz.finish().unwrap();
    env.write("c.jsonl.gz", &whole);
    env.cmd(&["ingest", "--jsonl", "c.jsonl.gz"])
        .assert()
        .success();
    let middle = whole.len() / 2;
    whole[middle] ^= 0xff;
    env.write("c.jsonl.gz", &whole);
    let (records, _) = env.records(&["ingest", "--json", "--jsonl", "c.jsonl.gz"]);
    let warnings: Vec<&str> = records
        .iter()
        .filter_map(|r| match r {
            Record::Warning(Warning::File(w)) => Some(w.message.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        warnings.len() == 1 && warnings[0].starts_with("damaged gzip data"),
        "{warnings:?}"
    );
    let inside = env.run(&["ingest", "--jsonl", "index/meta.json"]);
    assert_eq!(inside.status.code(), Some(2));
    assert!(
        stderr(&inside).contains("is inside the index"),
        "{}",
        stderr(&inside)
    );
}

#[test]
fn a_markdown_word_reads_through_its_markup() {
    let env = Env::new();
    env.write(
        "e.md",
        "Split wo<b>rd</b>s here.\n\nAnd un**believ**able x.\n\nLink [ex](u)ample z.\n",
    );
    env.cmd(&["ingest", "e.md"]).assert().success();
    for (word, marked) in [
        ("words", "wo<b>rd</b>s"),
        ("unbelievable", "un**believ**able"),
        ("example", "ex](u)ample"),
    ] {
        let (hits, _, status) = env.search_json(word, &[]);
        assert_eq!(status, 0, "{word}");
        assert_eq!(hits[0].marked(), [marked], "{word}");
    }
}
