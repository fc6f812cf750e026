//! Documents whose text is extracted (DOCX, ODT, EPUB, PDF) and compressed text (`.gz`). The
//! fixtures are made at test time by the programs people make such files with: pandoc for
//! DOCX, ODT and EPUB, groff for PDF, qpdf to encrypt one (`.ci/test` installs them).

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::util::*;

/// Runs `program` with `args` in the environment's directory, feeding it `input`; panics with
/// its error output when it fails.
fn make(env: &Env, program: &str, args: &[&str], input: &str) {
    let mut child = Command::new(program)
        .args(args)
        .current_dir(env.path(""))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("{program} is needed for this test (.ci/test installs it): {e}")
        });
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write input");
    let output = child.wait_with_output().expect("wait");
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Ingests `in/`, which must succeed, warning with each of `expected` on standard error.
fn ingest_warns(env: &Env, expected: &[&str]) {
    let output = env.run(&["ingest", "in"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    for expected in expected {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
}

/// A report with a title, two chapters, a nested heading, a list, a table and a footnote.
const REPORT: &str = "---
title: Field Report
---

# Results

Opening words about the survey.

## Tides

The tides rose twice daily near the harbour.[^1]

- first item about lighthouses
- second item about buoys

| Station | Height |
|---------|--------|
| North   | 3.2 m  |

# Methods

We measured carefully with gauges.

[^1]: A footnote about moonlight.
";

/// The raw JSON hit records of `search --json QUERY`.
fn raw_hits(env: &Env, query: &str) -> Vec<Value> {
    raw_hits_with(env, &[query])
}

/// The raw JSON hit records of `search --json ARGS`.
fn raw_hits_with(env: &Env, args: &[&str]) -> Vec<Value> {
    let output = env.run(&[&["search", "--json"], args].concat());
    stdout(&output)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|r| r["type"] == "hit")
        .collect()
}

#[test]
fn docx_and_odt_give_paragraphs_with_sections_and_no_footnotes() {
    let env = Env::new();
    env.write("report.md", REPORT);
    // With a generated table of contents, which is not body text.
    make(
        &env,
        "pandoc",
        &["--toc", "report.md", "-o", "report.docx"],
        "",
    );
    make(
        &env,
        "pandoc",
        &["--toc", "report.md", "-o", "report.odt"],
        "",
    );
    env.cmd(&["ingest", "report.docx", "report.odt"])
        .assert()
        .success();
    for ext in ["docx", "odt"] {
        let only = format!("path:*.{ext}");
        let search = |query: &str| raw_hits(&env, &format!("{query} {only}"));
        let tides = search("harbour");
        assert_eq!(tides.len(), 1, "{ext}: {tides:?}");
        let hit = &tides[0];
        assert_eq!(
            hit["text"], "The tides rose twice daily near the harbour.",
            "{ext}"
        );
        assert_eq!(hit["section"], "Results > Tides", "{ext}");
        assert_eq!(hit["title"], "Field Report", "{ext}");
        // No place in the file's bytes means anything to a reader of a word-processor file.
        for absent in ["line", "byte_offset", "char_offset", "page"] {
            assert!(hit.get(absent).is_none(), "{ext}: {absent} in {hit}");
        }
        // The heading is a paragraph of the section above it.
        assert_eq!(search("tides")[0]["section"], "Results", "{ext}");
        // List items and table rows are paragraphs; cells are tab-separated.
        assert_eq!(
            search("lighthouses")[0]["text"],
            "first item about lighthouses"
        );
        assert_eq!(search("buoys")[0]["text"], "second item about buoys");
        assert_eq!(search("station")[0]["text"], "Station\tHeight");
        assert_eq!(search("gauges")[0]["section"], "Methods");
        // The footnote is not body text, nor is the table of contents.
        assert!(search("moonlight").is_empty(), "{ext}: footnote indexed");
        assert!(
            search("contents").is_empty(),
            "{ext}: table of contents indexed"
        );
    }
    let human = stdout(&env.run(&["search", "--color", "never", "harbour path:*.docx"]));
    assert!(human.contains("¶5 · Results > Tides: "), "{human}");
    // The formats are file types for -t, as ripgrep's are.
    let odt = raw_hits_with(&env, &["-t", "odt", "harbour"]);
    assert_eq!(odt.len(), 1, "{odt:?}");
    assert!(odt[0]["path"].as_str().unwrap().ends_with(".odt"));
}

#[test]
fn epub_chapters_are_read_in_spine_order_with_chapter_sections() {
    let env = Env::new();
    env.write("book.md", REPORT);
    make(&env, "pandoc", &["book.md", "-o", "book.epub"], "");
    env.cmd(&["ingest", "book.epub"]).assert().success();
    let hits = raw_hits(&env, "harbour OR gauges OR survey");
    let mut found: Vec<(u64, String)> = hits
        .iter()
        .map(|h| {
            (
                h["paragraph"].as_u64().unwrap(),
                h["section"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    found.sort();
    let sections: Vec<&str> = found.iter().map(|(_, s)| s.as_str()).collect();
    // Chapter order is the spine's: Results (with its Tides section) before Methods.
    assert_eq!(
        sections,
        ["Results", "Results > Tides", "Methods"],
        "{hits:?}"
    );
    assert!(hits.iter().all(|h| h["title"] == "Field Report"));
    assert!(hits.iter().all(|h| h.get("line").is_none()));
}

#[test]
fn gz_files_are_read_decompressed_and_named_by_their_path() {
    let env = Env::new();
    env.write("notes/a.md", REPORT);
    make(&env, "gzip", &["notes/a.md"], "");
    assert!(env.path("notes/a.md.gz").exists());
    env.cmd(&["ingest", "notes"]).assert().success();
    let hits = raw_hits(&env, "harbour");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0]["path"].as_str().unwrap().ends_with("notes/a.md.gz"));
    // Read as Markdown, with its lines and offsets in the decompressed text.
    assert_eq!(hits[0]["section"], "Results > Tides");
    let offset = hits[0]["byte_offset"].as_u64().unwrap() as usize;
    let text = hits[0]["text"].as_str().unwrap();
    assert_eq!(&REPORT[offset..offset + text.len()], text);
    assert_eq!(hits[0]["line"], 11);
}

#[test]
fn a_file_that_is_not_its_format_is_reported_and_the_rest_is_ingested() {
    let env = Env::new();
    env.write("in/fake.docx", "plain words, not a zip archive\n");
    env.write("in/fake.pdf", "plain words, not a PDF\n");
    env.write("in/fake.epub", "PK\u{3}\u{4} broken archive\n");
    env.write("in/fake.txt.gz", "not compressed\n");
    env.write("in/real.txt", "plain words that count\n");
    ingest_warns(
        &env,
        &[
            "fake.docx: not a DOCX file (not a zip archive); skipped",
            "fake.pdf: not a PDF file",
            "fake.epub: damaged EPUB file",
            "fake.txt.gz: not gzip-compressed (no gzip header); skipped",
        ],
    );
    let hits = raw_hits(&env, "plain");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0]["path"].as_str().unwrap().ends_with("real.txt"));
}

/// A two-page paper typeset by groff: a title, indented paragraphs with words hyphenated at
/// line ends, a compound the text also writes within a line, a ligature (`\[fi]`), and a
/// paragraph that runs across the page break (`'bp` breaks the page, not the line), with the
/// page number groff puts on top of page 2.
const PAPER: &str = r".nr LL 2.6i
.TL
Railways of the Plains
.PP
A well-known story: the transcontinental railway crossed the plains and the mountains,
extraordinarily incomprehensible bureaucracies notwithstanding, and the builders were
ef\[fi]cient.
.PP
The next paragraph, about sleepers, runs across the page break, because
it keeps on talking about rails, ballast, bridges, tunnels, stations and timetables
'bp
until the rest of its words go onto the second page with the closing word zeppelin.
.PP
Engineers called the route well-known and counted on nuclear deterrence of delays.
";

/// Makes `paper.pdf` from [`PAPER`] with groff.
fn paper(env: &Env) {
    env.write("paper.ms", PAPER);
    make(
        env,
        "sh",
        &["-c", "groff -ms -Tpdf paper.ms > paper.pdf"],
        "",
    );
}

#[test]
fn pdf_paragraphs_carry_pages_and_never_cross_a_page_break() {
    let env = Env::new();
    paper(&env);
    env.cmd(&["ingest", "paper.pdf"]).assert().success();
    let story = raw_hits(&env, "transcontinental");
    assert_eq!(story.len(), 1, "{story:?}");
    let hit = &story[0];
    assert_eq!(hit["page"], 1);
    assert_eq!(hit["page_paragraph"], 2, "the title is paragraph 1: {hit}");
    for absent in ["line", "byte_offset", "char_offset"] {
        assert!(hit.get(absent).is_none(), "{absent} in {hit}");
    }
    // Paragraphs are rebuilt from the layout: the whole paragraph, its lines joined.
    let text = hit["text"].as_str().unwrap();
    assert!(
        text.starts_with("A well-known story: the transcontinental"),
        "{text}"
    );
    assert!(text.ends_with("builders were efficient."), "{text}");
    // The paragraph that runs over the page break is two paragraphs, one on each page.
    let rails = raw_hits(&env, "sleepers");
    let zeppelin = raw_hits(&env, "zeppelin");
    assert_eq!((rails.len(), zeppelin.len()), (1, 1));
    assert_eq!(
        (&rails[0]["page"], &rails[0]["page_paragraph"]),
        (&1.into(), &3.into())
    );
    // The page number on top of page 2 is not a paragraph.
    assert_eq!(zeppelin[0]["page"], 2);
    assert_eq!(zeppelin[0]["page_paragraph"], 1);
    let rest = zeppelin[0]["text"].as_str().unwrap();
    assert!(rest.starts_with("stations and timetables until"), "{rest}");
    let human = stdout(&env.run(&["search", "--color", "never", "zeppelin"]));
    assert!(human.contains("p. 2, ¶1: "), "{human}");
}

#[test]
fn pdf_words_hyphenated_at_line_ends_ligatures_and_phrases_across_lines_match() {
    let env = Env::new();
    paper(&env);
    env.cmd(&["ingest", "paper.pdf"]).assert().success();
    // Every long word is found whole, wherever groff hyphenated it.
    for word in [
        "transcontinental",
        "extraordinarily",
        "incomprehensible",
        "bureaucracies",
        "notwithstanding",
        "efficient",
    ] {
        let hits = raw_hits_with(&env, &["--exact", word]);
        assert_eq!(hits.len(), 1, "{word}: {hits:?}");
        let marked: Vec<&str> = hits[0]["highlights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                let text = hits[0]["text"].as_str().unwrap();
                &text[h["start"].as_u64().unwrap() as usize..h["end"].as_u64().unwrap() as usize]
            })
            .collect();
        assert_eq!(marked, [word], "{word}");
    }
    // The compound the document writes within a line keeps its hyphen.
    let compound = raw_hits(&env, "\"well-known\"");
    assert_eq!(compound.len(), 2, "{compound:?}");
    assert!(raw_hits_with(&env, &["--exact", "wellknown"]).is_empty());
    // A phrase matches across a line break.
    assert_eq!(raw_hits(&env, "\"nuclear deterrence of delays\"").len(), 1);
    let title = raw_hits(&env, "plains");
    assert!(title
        .iter()
        .all(|h| h["path"].as_str().unwrap().ends_with("paper.pdf")));
}

#[test]
fn a_pdf_nesting_objects_thousands_deep_is_skipped_and_the_rest_is_indexed() {
    // pdf_oxide parses nested objects by recursion: 5,000 levels overflowed the reading
    // thread's stack and aborted the whole ingest. 200 levels are read.
    let env = Env::new();
    let nested = |depth: usize| {
        let junk = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let font = format!("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Junk {junk} >>");
        let content = b"BT /F1 12 Tf 72 720 Td (nested page of herons) Tj ET";
        let mut contents = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        contents.extend_from_slice(content);
        contents.extend_from_slice(b"\nendstream");
        one_page_pdf(contents, font.as_bytes(), &[])
    };
    std::fs::create_dir(env.path("docs")).unwrap();
    std::fs::write(env.path("docs/deep.pdf"), nested(5_000)).unwrap();
    std::fs::write(env.path("docs/shallow.pdf"), nested(200)).unwrap();
    env.write("docs/note.txt", "a plain note about egrets\n");
    let output = env.run(&["ingest", "docs"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("deep.pdf: damaged PDF file (arrays or dictionaries nested more than 256 deep); skipped"),
        "{}",
        stderr(&output)
    );
    assert_eq!(raw_hits(&env, "egrets").len(), 1);
    let herons = raw_hits(&env, "herons");
    assert_eq!(herons.len(), 1, "{herons:?}");
    assert!(herons[0]["path"].as_str().unwrap().ends_with("shallow.pdf"));
}

/// A one-page PDF in Helvetica (no font file) whose page content, Flate-compressed, inflates
/// to `content_bytes` bytes or a little more.
fn pdf_with_content_of(content_bytes: usize) -> Vec<u8> {
    use std::io::Write as _;
    let mut content = b"BT /F1 12 Tf 72 720 Td (big content stream) Tj ET\n".to_vec();
    while content.len() < content_bytes {
        content.extend_from_slice(b"% a comment line that compresses very well\n");
    }
    let mut deflate = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    deflate.write_all(&content).unwrap();
    let stream = deflate.finish().unwrap();
    let mut contents = format!(
        "<< /Length {} /Filter /FlateDecode >>\nstream\n",
        stream.len()
    )
    .into_bytes();
    contents.extend_from_slice(&stream);
    contents.extend_from_slice(b"\nendstream");
    one_page_pdf(
        contents,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        &[],
    )
}

/// A one-page PDF: its content stream object (objects 4), its font `F1` (object 5) and the
/// objects the font refers to (6 on).
fn one_page_pdf(contents: Vec<u8>, font: &[u8], font_objects: &[Vec<u8>]) -> Vec<u8> {
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] \
          /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_vec(),
        contents,
        font.to_vec(),
    ];
    objects.extend_from_slice(font_objects);
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (number, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", number + 1).as_bytes());
        pdf.extend_from_slice(object);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    let size = objects.len() + 1;
    pdf.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f \n").as_bytes());
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    pdf
}

/// A one-page PDF of Hebrew text as a right-to-left typesetter writes it: each line's glyphs
/// in the order they stand on the page, left to right (a line's last letter first), with a
/// font whose `ToUnicode` map gives each code its Hebrew letter (Helvetica's Latin letters
/// are drawn: only the map matters to a reader). `lines` are in reading order, one a
/// paragraph.
fn hebrew_pdf(lines: &[&str]) -> Vec<u8> {
    const LETTERS: &str = "אבגדהוזחטיךכלםמןנסעףפץצקרשת";
    let code = |c: char| -> u8 {
        match LETTERS.chars().position(|l| l == c) {
            Some(n) => b'A' + n as u8,
            None => c as u8, // digits and spaces as they are
        }
    };
    let mut content = String::from("BT /F1 12 Tf 72 720 Td\n");
    for line in lines {
        // As drawn: right to left, but a number (left to right) stays as it is.
        let mut drawn: Vec<String> = line.split(' ').map(|w| w.chars().rev().collect()).collect();
        drawn.reverse();
        let drawn = drawn.join(" ");
        let drawn: String = drawn.chars().map(|c| code(c) as char).collect();
        let drawn = drawn.replace("4202", "2024");
        content.push_str(&format!("({drawn}) Tj 0 -40 Td\n"));
    }
    content.push_str("ET\n");
    let mut contents = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
    contents.extend_from_slice(content.as_bytes());
    contents.extend_from_slice(b"\nendstream");
    let mut map = String::from(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
         /CMapName /Hebrew def 1 begincodespacerange <00> <FF> endcodespacerange\n",
    );
    map.push_str(&format!("{} beginbfchar\n", LETTERS.chars().count()));
    for (n, letter) in LETTERS.chars().enumerate() {
        map.push_str(&format!(
            "<{:02X}> <{:04X}>\n",
            b'A' + n as u8,
            letter as u32
        ));
    }
    map.push_str("endbfchar endcmap CMapName currentdict /CMap defineresource pop end end\n");
    let mut to_unicode = format!("<< /Length {} >>\nstream\n", map.len()).into_bytes();
    to_unicode.extend_from_slice(map.as_bytes());
    to_unicode.extend_from_slice(b"\nendstream");
    one_page_pdf(
        contents,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        &[to_unicode],
    )
}

#[test]
fn a_no_break_space_given_as_actual_text_is_a_space_not_mojibake() {
    // As LibreOffice writes a no-break space: the space glyph in a marked span whose
    // `ActualText` is U+00A0 (UTF-16 with its byte-order mark).
    let content = "BT /F1 12 Tf 72 720 Td (Selon M.) Tj ET\n\
                   /Span <</ActualText <feff00a0>>> BDC BT /F1 12 Tf 119.35 720 Td ( ) Tj ET EMC\n\
                   BT /F1 12 Tf 122.69 720 Td (Dupont, page 12.) Tj ET\n";
    let mut contents = format!("<< /Length {} >>\nstream\n{content}", content.len()).into_bytes();
    contents.extend_from_slice(b"\nendstream");
    let font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";
    let env = Env::new();
    env.write("letter.pdf", one_page_pdf(contents, font, &[]));
    env.cmd(&["ingest", "letter.pdf"]).assert().success();
    let hits = raw_hits(&env, "Dupont");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["text"], "Selon M. Dupont, page 12.");
}

#[test]
fn hebrew_in_a_pdf_is_read_right_to_left_and_found_by_its_words() {
    let env = Env::new();
    let lines = ["שלום עולם משנת 2024", "ספר תהלים ומשלי"];
    env.write("hebrew.pdf", hebrew_pdf(&lines));
    env.cmd(&["ingest", "hebrew.pdf"]).assert().success();
    let hits = raw_hits(&env, "עולם");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["text"], "שלום עולם משנת 2024");
    // A phrase in reading order, and a word of the second paragraph.
    assert_eq!(raw_hits(&env, "\"שלום עולם\"").len(), 1);
    let second = raw_hits(&env, "תהלים");
    assert_eq!(second.len(), 1);
    assert_eq!(second[0]["text"], "ספר תהלים ומשלי");
    // Drawn backwards, the words are not in the index.
    assert!(raw_hits(&env, "םלוע").is_empty());
}

#[test]
fn a_pdf_page_over_the_inflate_limit_is_reported_as_such_not_as_textless() {
    let env = Env::new();
    env.write("big.pdf", pdf_with_content_of(1_500_000));
    // Within the limit, its words are found.
    env.cmd(&["ingest", "big.pdf"]).assert().success();
    assert_eq!(raw_hits(&env, "\"big content stream\"").len(), 1);
    // Over it (pdf_oxide's limit set to 1 MB), the reason is the limit.
    let over = env
        .cmd(&["ingest", "big.pdf", "--index", "over"])
        .env("PDF_OXIDE_MAX_DECOMPRESS_MB", "1")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&over.stderr);
    assert!(
        said.contains("big.pdf: damaged PDF file (page 1:") && said.contains("1 MB"),
        "{said}"
    );
    assert!(!said.contains("no text"), "{said}");
}

/// Four paragraphs, each with words of its own, set by groff in two columns on short pages:
/// the first runs from the foot of the left column of page 1 into the right one, the second
/// over the page break, the third and fourth fill page 2's columns, under its page number
/// (centred over the gutter).
const VOCABULARIES: [(&str, &str); 4] = [
    (
        "rivers",
        "river brook stream creek delta estuary rapids tributary waterfall lagoon",
    ),
    (
        "fruits",
        "apple pear plum cherry apricot quince mango papaya lychee guava",
    ),
    (
        "metals",
        "iron copper zinc nickel cobalt tungsten bismuth gallium indium cadmium",
    ),
    (
        "birds",
        "heron egret osprey kestrel plover curlew bittern grebe warbler finch",
    ),
];

/// Makes `NAME.pdf` with groff (`-ms`): `prelude`, then one paragraph per vocabulary, each
/// opened by `paragraph` (`.LP`, `.PP`): `Start<name>`, `count` of its words (every `stride`th
/// in turn), `end<name>.`.
fn vocabulary_pdf(
    env: &Env,
    name: &str,
    prelude: &str,
    paragraph: &str,
    count: usize,
    stride: usize,
) {
    let mut source = String::from(prelude);
    for (topic, words) in VOCABULARIES {
        let words: Vec<&str> = words.split(' ').collect();
        let body: Vec<&str> = (0..count)
            .map(|i| words[(i * stride) % words.len()])
            .collect();
        source.push_str(&format!(
            "{paragraph}\nStart{topic} {} end{topic}.\n",
            body.join(" ")
        ));
    }
    env.write(&format!("{name}.ms"), &source);
    let command = format!("groff -ms -Tpdf {name}.ms > {name}.pdf");
    make(env, "sh", &["-c", &command], "");
}

#[test]
fn pdf_paragraphs_set_with_no_space_or_indent_between_them_stay_apart() {
    let env = Env::new();
    // No space between paragraphs, no first-line indent: each ends where its last line ends.
    vocabulary_pdf(&env, "plain", ".nr PD 0\n.nr PI 0\n", ".LP", 14, 1);
    env.cmd(&["ingest", "plain.pdf"]).assert().success();
    for (name, _) in VOCABULARIES {
        let hits = raw_hits(&env, &format!("start{name}"));
        assert_eq!(hits.len(), 1, "{name}: {hits:?}");
        let text = hits[0]["text"].as_str().unwrap();
        assert!(text.starts_with(&format!("Start{name} ")), "{text}");
        assert!(text.ends_with(&format!(" end{name}.")), "{text}");
    }
}

#[test]
fn pdf_paragraphs_set_apart_by_groffs_default_gap_stay_apart() {
    // groff's default: 0.3 of a line between paragraphs; one-line paragraphs (indented alike)
    // and wrapped ones (not indented).
    let env = Env::new();
    vocabulary_pdf(&env, "short", "", ".PP", 3, 1);
    vocabulary_pdf(&env, "long", "", ".LP", 14, 1);
    env.cmd(&["ingest", "short.pdf", "long.pdf"])
        .assert()
        .success();
    for (name, _) in VOCABULARIES {
        let hits = raw_hits(&env, &format!("start{name}"));
        assert_eq!(hits.len(), 2, "{name}: {hits:?}");
        for hit in hits {
            let text = hit["text"].as_str().unwrap();
            assert!(text.starts_with(&format!("Start{name} ")), "{text}");
            assert!(text.ends_with(&format!(" end{name}.")), "{text}");
        }
    }
}

#[test]
fn a_pdf_list_set_without_space_between_its_items_is_a_paragraph_per_item() {
    let env = Env::new();
    env.write(
        "l.ms",
        ".nr PD 0\n.LP\nIntro paragraph text here.\n.IP \\(bu 2\nFirst bullet aardvark item\n\
         .IP \\(bu 2\nSecond bullet bison item\n.IP 1. 3\nNumbered capybara one.\n\
         .IP 2. 3\nNumbered dingo two.\n",
    );
    make(&env, "sh", &["-c", "groff -ms -Tpdf l.ms > l.pdf"], "");
    env.cmd(&["ingest", "l.pdf"]).assert().success();
    for (word, paragraph, text) in [
        ("intro", 1, "Intro paragraph text here."),
        ("aardvark", 2, "• First bullet aardvark item"),
        ("bison", 3, "• Second bullet bison item"),
        ("capybara", 4, "1. Numbered capybara one."),
        ("dingo", 5, "2. Numbered dingo two."),
    ] {
        let hits = raw_hits(&env, word);
        assert_eq!(hits.len(), 1, "{word}: {hits:?}");
        assert_eq!(hits[0]["page_paragraph"], paragraph, "{word}: {}", hits[0]);
        assert_eq!(hits[0]["text"], text, "{word}");
    }
}

#[test]
fn a_pdf_list_item_that_wraps_under_its_text_is_one_paragraph() {
    // groff's `.IP` hangs an item's wrapped lines under its text; a word hyphenated at the
    // item's line end is joined whole.
    let env = Env::new();
    let long = "continues with enough words to wrap onto lines hanging under its text";
    env.write(
        "l.ms",
        format!(
            ".LP\nIntro paragraph with some prose.\n.IP 1.\nThe first aardvark item {long} \
             indentedness.\n.IP \\(bu\nThe bullet bison item {long} too.\n.LP\nClosing prose.\n"
        ),
    );
    make(&env, "sh", &["-c", "groff -ms -Tpdf l.ms > l.pdf"], "");
    env.cmd(&["ingest", "l.pdf"]).assert().success();
    for (word, paragraph, text) in [
        (
            "aardvark",
            2,
            format!("1. The first aardvark item {long} indentedness."),
        ),
        ("bison", 3, format!("• The bullet bison item {long} too.")),
        ("closing", 4, "Closing prose.".to_string()),
    ] {
        let hits = raw_hits(&env, word);
        assert_eq!(hits.len(), 1, "{word}: {hits:?}");
        assert_eq!(hits[0]["page_paragraph"], paragraph, "{word}: {}", hits[0]);
        assert_eq!(hits[0]["text"], text, "{word}");
    }
}

#[test]
fn a_pdf_paragraph_after_a_list_set_tight_stays_apart_from_its_last_item() {
    // No space between paragraphs (`.nr PD 0`): items' lines hang under their text (the last
    // item is one line that ends its sentence), the paragraph after the list opens with its
    // own indent.
    let env = Env::new();
    env.write(
        "l.ms",
        ".nr PD 0\n.PP\nSome prose first that runs long enough to wrap across more than one line \
         of the page so that the layout has a usual spacing to learn from and it does.\n.IP (a)\n\
         Alpha item first of the list is long enough that it wraps onto a second line in the \
         printed page, and even onto a third line of the printed page because it keeps going \
         and going on.\n.IP Note: 8\nBeta item is also long enough to wrap onto a second line of \
         the page, hanging under its own first word.\n.IP 3.\nDelta item long enough that it \
         wraps onto a second line of the printed page as well, hanging indented.\n.PP\nClosing \
         prose paragraph that ends the document and is long enough to wrap onto another line of \
         the page too.\n",
    );
    make(&env, "sh", &["-c", "groff -ms -Tpdf l.ms > l.pdf"], "");
    env.cmd(&["ingest", "l.pdf"]).assert().success();
    let shown = stdout(&env.run(&["show", "l.pdf"]));
    let starts: Vec<&str> = (shown.lines().skip(1))
        .map(|l| l.split_once(": ").map_or("", |(_, t)| t))
        .map(|t| t.split(' ').take(2).last().unwrap_or(""))
        .collect();
    assert_eq!(
        starts,
        ["prose", "Alpha", "Beta", "Delta", "prose"],
        "{shown}"
    );
    assert!(shown.contains("keeps going and going on.\n"), "{shown}");
}

#[test]
fn a_pdfs_running_head_is_indexed_once_not_once_a_page() {
    // groff's `-ms` running head (left and right strings, the page number between them) on
    // every page after the first.
    let env = Env::new();
    let mut ms =
        String::from(".ds LH Annual Wildlife Survey\n.ds RH Confidential Draft\n.TL\nReport\n");
    for n in 0..24 {
        ms.push_str(&format!(
            ".PP\nParagraph {n} {}.\n",
            "river stone water meadow ".repeat(18)
        ));
    }
    env.write("h.ms", ms);
    make(&env, "sh", &["-c", "groff -ms -Tpdf h.ms > h.pdf"], "");
    env.cmd(&["ingest", "h.pdf"]).assert().success();
    let heads = raw_hits(&env, "wildlife");
    assert_eq!(heads.len(), 1, "{heads:?}");
    assert!(heads[0]["text"]
        .as_str()
        .unwrap()
        .starts_with("Annual Wildlife Survey -2-"));
    let pages: Vec<u64> = raw_hits_with(&env, &["-n", "100", "paragraph"])
        .iter()
        .map(|h| h["page"].as_u64().unwrap())
        .collect();
    assert!(pages.iter().any(|&p| p >= 3), "{pages:?}");
}

#[test]
fn pdf_columns_are_read_one_after_the_other_not_line_by_line_across() {
    let env = Env::new();
    vocabulary_pdf(
        &env,
        "columns",
        ".pl 4i\n.TL\nTwo Columns\n.2C\n",
        ".PP",
        40,
        7,
    );
    env.cmd(&["ingest", "columns.pdf"]).assert().success();
    for (name, words) in VOCABULARIES {
        let own: Vec<&str> = words.split(' ').collect();
        let start = format!("Start{name}");
        let end = format!("end{name}.");
        for query in [start.to_lowercase(), format!("end{name}")] {
            let hits = raw_hits(&env, &query);
            assert_eq!(hits.len(), 1, "{query}: {hits:?}");
            let text = hits[0]["text"].as_str().unwrap();
            let stray: Vec<&str> = text
                .split(' ')
                .filter(|word| !own.contains(word) && *word != start && *word != end)
                .collect();
            assert!(stray.is_empty(), "{name} paragraph holds {stray:?}: {text}");
        }
        let whole = raw_hits(&env, &start.to_lowercase());
        let text = whole[0]["text"].as_str().unwrap();
        assert!(text.starts_with(&format!("{start} ")), "{text}");
        if name == "fruits" {
            // Two paragraphs, one on each side of the page break.
            assert!(!text.ends_with(&end), "{text}");
            let rest = raw_hits(&env, &format!("end{name}"));
            assert_eq!(
                (&rest[0]["page"], &rest[0]["page_paragraph"]),
                (&2.into(), &1.into())
            );
        } else {
            // Whole, across the column break for the rivers.
            assert!(text.ends_with(&end), "{text}");
        }
    }
    // Page 2's number, over the gutter, is no paragraph: the birds come third there.
    let birds = raw_hits(&env, "startbirds");
    assert_eq!(birds[0]["page_paragraph"], 3, "{birds:?}");
    // A phrase runs on from one line of a column to the next, and into the next column.
    for phrase in [
        "\"lychee quince plum guava mango cherry apple\"",
        "\"river tributary delta brook waterfall\"",
    ] {
        assert!(!raw_hits(&env, phrase).is_empty(), "{phrase}");
    }
}

#[test]
fn encrypted_damaged_and_textless_pdfs_are_skipped_with_their_reason() {
    let env = Env::new();
    paper(&env);
    let whole = std::fs::read(env.path("paper.pdf")).unwrap();
    env.write("in/cut.pdf", &whole[..whole.len() / 3]);
    make(
        &env,
        "qpdf",
        &[
            "--encrypt",
            "secret",
            "owner",
            "256",
            "--",
            "paper.pdf",
            "in/locked.pdf",
        ],
        "",
    );
    env.write("drawing.ms", ".LP\n\\D'l 2i 0'\n");
    make(
        &env,
        "sh",
        &["-c", "groff -ms -Tpdf drawing.ms > in/drawing.pdf"],
        "",
    );
    std::fs::copy(env.path("paper.pdf"), env.path("in/readable.pdf")).unwrap();
    ingest_warns(
        &env,
        &[
            "locked.pdf: PDF is encrypted (it needs a password to be read); skipped",
            "cut.pdf: damaged PDF file (cut short: no %%EOF at its end); what could be read is indexed",
            "drawing.pdf: PDF has no text (image-only or scanned pages?); skipped",
        ],
    );
    let hits = raw_hits(&env, "zeppelin");
    assert!(hits
        .iter()
        .any(|h| h["path"].as_str().unwrap().ends_with("readable.pdf")));
    // Nothing of the skipped files is indexed.
    let railway = raw_hits(&env, "railway");
    let paths: Vec<&str> = railway
        .iter()
        .map(|h| h["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.iter().any(|p| p.ends_with("readable.pdf")),
        "{paths:?}"
    );
    assert!(!paths
        .iter()
        .any(|p| p.ends_with("locked.pdf") || p.ends_with("drawing.pdf")));
}

#[test]
fn open_sends_a_pdf_hit_to_the_viewer_at_its_page() {
    let env = Env::new();
    paper(&env);
    env.cmd(&["ingest", "paper.pdf"]).assert().success();
    // A stand-in viewer named zathura that writes down its arguments.
    env.write(
        "bin/zathura",
        "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/../args.txt\"\n",
    );
    let viewer = env.path("bin/zathura");
    let mut permissions = std::fs::metadata(&viewer).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&viewer, permissions).unwrap();
    let mut cmd = env.cmd(&["search", "--open", "1", "zeppelin"]);
    cmd.env("PARAFIND_VIEWER", &viewer).env("EDITOR", "false");
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written = std::fs::read_to_string(env.path("args.txt")).unwrap();
    let path = std::fs::canonicalize(env.path("paper.pdf")).unwrap();
    assert_eq!(written, format!("--page=2\n{}\n", path.display()));
}
