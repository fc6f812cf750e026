//! What the analyzer makes findable, end to end: stems, possessives, acronyms, prefixes,
//! diacritics, CJK, exact forms, elided articles, terminal colours, and the analyzer version
//! check.

use crate::util::*;

#[test]
fn essay_queries_find_what_a_reader_means() {
    let env = Env::essay();
    let cases: [(&str, &[u64]); 7] = [
        ("Beijing", &[3]),
        ("PYONGYANG", &[1, 3]),
        ("treaties", &[2, 3]),
        ("\"Beijing's use\"", &[3]),
        ("semicond*", &[10]),
        ("\"man on the scene\"", &[4]),
        ("korea", &[1, 3, 4, 6, 7, 8, 11, 14]),
    ];
    for (query, expected) in cases {
        let (hits, _, status) = env.search_json(query, &[]);
        assert_eq!(status, 0, "{query}");
        assert_eq!(sorted_paragraphs(&hits), expected, "{query}");
    }
}

#[test]
fn highlights_show_the_surface_form_that_matched() {
    let env = Env::essay();
    let (hits, _, _) = env.search_json("treaties", &[]);
    let mut marked: Vec<(u64, Vec<&str>)> =
        hits.iter().map(|h| (h.paragraph, h.marked())).collect();
    marked.sort();
    assert_eq!(marked, [(2, vec!["Treaty"]), (3, vec!["treaty"])]);
    let (hits, _, _) = env.search_json("semicond*", &[]);
    assert_eq!(hits[0].marked(), ["semiconductors"]);
    let (hits, _, _) = env.search_json("korea", &["-n", "20"]);
    let p11 = hits.iter().find(|h| h.paragraph == 11).unwrap();
    assert_eq!(p11.marked(), ["Korea"]);
    assert!(p11.text[p11.highlights[0].end..].starts_with("-backed"));
}

#[test]
fn exact_mode_matches_word_forms_without_reindexing() {
    let env = Env::essay();
    let (hits, _, status) = env.search_json("treaties", &["--exact"]);
    assert_eq!((hits.len(), status), (0, 1));
    let (hits, _, _) = env.search_json("Treaty", &["-x"]);
    assert_eq!(sorted_paragraphs(&hits), [2, 3]);
    let (stemmed, _, _) = env.search_json("deterred", &[]);
    let (exact, _, _) = env.search_json("deterred", &["--exact"]);
    assert!(
        stemmed.len() > exact.len(),
        "stemming should widen `deterred`"
    );
    assert_eq!(paragraphs(&exact), [1]);
}

#[test]
fn acronyms_numbers_and_hyphenated_words() {
    let env = Env::new();
    env.write(
        "doc.txt",
        "Talks in Washington, D.C. went well.\n\nThe US view.\n\nA 72-year-old pact from 1953 at 3.14 percent.\n",
    );
    env.cmd(&["ingest", "doc.txt"]).assert().success();
    let find = |q: &str| sorted_paragraphs(&env.search_json(q, &[]).0);
    assert_eq!(find("DC"), [1]);
    assert_eq!(find("D.C."), [1]);
    assert_eq!(find("U.S."), [2]);
    assert_eq!(find("U.S"), [2]);
    for q in [
        "72",
        "year",
        "old",
        "\"72-year-old\"",
        "72-year-old",
        "1953",
        "3.14",
    ] {
        assert_eq!(find(q), [3], "{q}");
    }
}

#[test]
fn other_languages_are_searchable_by_word() {
    let env = Env::new();
    env.write(
        "world.txt",
        "한국은 동맹국이다.\n\n한국의 경제는 크다.\n\n中国的经济发展很快。\n\n東京に行きます。\n\n\
         Die Brücke in Malmö ist schön.\n\nUn café crème à Paris.\n\nＦｕｌｌ－ｗｉｄｔｈ ﬁnance １９５３\n",
    );
    env.cmd(&["ingest", "world.txt"]).assert().success();
    let find = |q: &str| sorted_paragraphs(&env.search_json(q, &[]).0);
    assert_eq!(find("한국"), [1, 2]);
    assert_eq!(find("\"한국의 경제\""), [2]);
    assert_eq!(find("中国"), [3]);
    assert_eq!(find("国"), [3]);
    assert_eq!(find("\"经济发展\""), [3]);
    assert_eq!(find("東京"), [4]);
    assert_eq!(find("malmo"), [5]);
    assert_eq!(find("Brucke"), [5]);
    assert_eq!(find("cafe creme"), [6]);
    assert_eq!(find("finance 1953"), [7]);
    assert_eq!(find("FULL"), [7]);
    let (hits, _, _) = env.search_json("中国", &[]);
    assert_eq!(hits[0].marked(), ["中国"]);
}

#[test]
fn chinese_and_japanese_wrapped_in_their_source_are_found_across_the_line_break() {
    let env = Env::new();
    env.write(
        "wrapped.md",
        "中国的经济\n发展很快。\n\n東京に\r\n  行きます。\n\n> 经济\n> 发展\n\n한국의\n경제\n",
    );
    env.cmd(&["ingest", "wrapped.md"]).assert().success();
    let find = |q: &str| sorted_paragraphs(&env.search_json(q, &[]).0);
    assert_eq!(find("\"经济发展\""), [1, 3]);
    assert_eq!(find("\"東京に行きます\""), [2]);
    // Korean puts spaces between words: a line break parts them as a space does.
    assert_eq!(find("\"한국의 경제\""), [4]);
    assert_eq!(find("의경"), Vec::<u64>::new());
    // A Markdown hard line break (`<br>`, two trailing spaces, a backslash) is no wrap.
    env.write(
        "breaks.md",
        "甲乙<br/>\n丙丁\n\n戊己  \n庚辛\n\n子丑\\\n寅卯\n\n乙\n丙，己\n庚，丑\n寅\n",
    );
    env.cmd(&["ingest", "breaks.md"]).assert().success();
    let found = |q: &str| {
        let hits = env.search_json(q, &["-g", "breaks.md"]).0;
        sorted_paragraphs(&hits)
    };
    for apart in ["\"乙丙\"", "\"己庚\"", "\"丑寅\""] {
        assert_eq!(found(apart), [4], "{apart}");
    }
    // The phrase is highlighted from its first character to its last, over the break.
    let (hits, _, _) = env.search_json("\"经济发展\"", &[]);
    let marked: Vec<Vec<&str>> = hits.iter().map(|h| h.marked()).collect();
    assert!(marked.contains(&vec!["经济\n发展"]), "{marked:?}");
}

#[test]
fn quoted_words_and_possessives_in_s_are_found_both_ways() {
    let env = Env::new();
    env.write(
        "q.txt",
        "The ‘progress’ report.\n\nJames’ car.\n\nBeijings' plans.\n\nThe 'class' attribute.\n",
    );
    env.cmd(&["ingest", "q.txt"]).assert().success();
    let find = |q: &str| sorted_paragraphs(&env.search_json(q, &[]).0);
    assert_eq!(find("progress"), [1]);
    assert_eq!(find("James"), [2]);
    assert_eq!(find("Beijing"), [3]);
    assert_eq!(find("class"), [4]);
    let (hits, _, _) = env.search_json("Beijing", &[]);
    assert_eq!(hits[0].marked(), ["Beijings"]);
}

#[test]
fn an_index_from_another_analyzer_version_is_refused() {
    let env = Env::essay();
    let meta_path = env.path("index/meta.json");
    let meta = std::fs::read_to_string(&meta_path).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&meta).unwrap();
    let mut payload: serde_json::Value =
        serde_json::from_str(value["payload"].as_str().unwrap()).unwrap();
    payload["analyzer_version"] = 999.into();
    value["payload"] = payload.to_string().into();
    std::fs::write(&meta_path, value.to_string()).unwrap();
    let output = env.run(&["search", "korea"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("built by analyzer version 999"), "{err}");
    // The command that builds it again names what it was built from.
    assert!(err.contains("run `parafind ingest corpus` again"), "{err}");
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn exact_mode_phrases_need_the_exact_words_in_order() {
    let env = Env::essay();
    let (hits, _, _) = env.search_json("\"Mutual Defense Treaty\"", &["--exact"]);
    assert_eq!(paragraphs(&hits), [2]);
    assert_eq!(hits[0].marked(), ["Mutual Defense Treaty"]);
    let (none, _, status) = env.search_json("\"mutual defense treaties\"", &["--exact"]);
    assert_eq!((none.len(), status), (0, 1));
    let (stemmed, _, _) = env.search_json("\"mutual defense treaties\"", &[]);
    assert_eq!(paragraphs(&stemmed), [2]);
}

#[test]
fn exact_mode_phrases_never_match_by_their_stems_alone() {
    // Exact forms are indexed without positions: the phrase is found among the stems, and a
    // paragraph with the stems in order but the exact words apart is no match.
    let env = Env::new();
    env.write(
        "x.txt",
        "The treaties signed today were read; the treaty stands.\n\n\
         He read the e-mail and deleted old mails.\n\nThe treaty signed in 1953.\n",
    );
    env.cmd(&["ingest", "x.txt"]).assert().success();
    let count = |query: &str| stdout(&env.run(&["search", "-x", "-c", "--", query]));
    assert_eq!(count("\"treaty signed\""), "1\n");
    assert_eq!(count("e-mails"), "0\n");
    assert_eq!(count("\"old mail\"~3"), "0\n");
    assert_eq!(count("\"old mails\"~3"), "1\n");
    // Excluding the phrase excludes only the paragraph that holds it.
    assert_eq!(count("-\"treaty signed\""), "2\n");
    let (hits, _, _) = env.search_json("\"treaty signed\"", &["--exact"]);
    assert_eq!(paragraphs(&hits), [3]);
    assert_eq!(hits[0].marked(), ["treaty signed"]);
    // In a disjunction, a phrase that matches only by its stems adds nothing to the score.
    let (either, _, _) = env.search_json("read OR \"treaty signed\"", &["--exact"]);
    let (alone, _, _) = env.search_json("read", &["--exact"]);
    assert_eq!(sorted_paragraphs(&either), [1, 2, 3]);
    let score = |hits: &[HitRecord], paragraph| {
        hits.iter()
            .find(|h| h.paragraph == paragraph)
            .map(|h| h.score)
    };
    assert_eq!(score(&either, 1), score(&alone, 1));
}

#[test]
fn vocalised_arabic_and_hebrew_are_found_by_their_plain_spelling() {
    let env = Env::new();
    env.write("t.txt", "كَتَبَ الطالبُ الدرسَ\n\nשָׁלוֹם עוֹלָם\n\nكتب بلا حركات\n");
    env.cmd(&["ingest", "t.txt"]).assert().success();
    let (arabic, _, _) = env.search_json("كتب", &[]);
    assert_eq!(sorted_paragraphs(&arabic), [1, 3]);
    // The vocalised word is marked whole, marks and all.
    let first = arabic.iter().find(|h| h.paragraph == 1).unwrap();
    assert_eq!(first.marked(), ["كَتَبَ"]);
    let (hebrew, _, _) = env.search_json("שלום", &[]);
    assert_eq!(paragraphs(&hebrew), [2]);
    let (vocalised, _, _) = env.search_json("\"שָׁלוֹם עוֹלָם\"", &[]);
    assert_eq!(paragraphs(&vocalised), [2]);
}

#[test]
fn a_word_after_an_elided_article_is_found_alone_and_whole() {
    let env = Env::new();
    env.write(
        "fr.txt",
        "Au début, l’église de l'Arc.\n\nLa voce dell'anima.\n\nUne église neuve.\n",
    );
    env.cmd(&["ingest", "fr.txt"]).assert().success();
    let (hits, _, _) = env.search_json("église", &[]);
    assert_eq!(sorted_paragraphs(&hits), [1, 3]);
    let first = hits.iter().find(|h| h.paragraph == 1).unwrap();
    assert_eq!(first.marked(), ["église"]);
    let find = |q: &str, flags: &[&str]| sorted_paragraphs(&env.search_json(q, flags).0);
    assert_eq!(find("anima", &[]), [2]);
    assert_eq!(find("arc", &["--exact"]), [1]);
    // The whole word, alone and in a phrase, is the elided form only.
    assert_eq!(find("l'église", &[]), [1]);
    assert_eq!(find("\"de l'Arc\"", &[]), [1]);
    let (whole, _, _) = env.search_json("\"l'église\"", &[]);
    assert_eq!(whole[0].marked(), ["l’église"]);
    // A title in markup after the article, a footnote mark after the word.
    env.write(
        "titres.md",
        "Lire l'**Odyssée** et d'<i>Hamlet</i>.\n\nDans l'Église³.\n",
    );
    env.cmd(&["ingest", "titres.md"]).assert().success();
    let (odyssey, _, _) = env.search_json("odyssée hamlet", &[]);
    assert_eq!(odyssey[0].marked(), ["Odyssée", "Hamlet"]);
    let (church, _, _) = env.search_json("église", &["--exact"]);
    assert_eq!(church.len(), 3, "{church:?}");
}

#[test]
fn stretched_arabic_and_coloured_terminal_output_are_found_as_they_read() {
    let env = Env::new();
    env.write(
        "log.txt",
        "\x1b[31mError\x1b[0m: disk \x1b[1mfull\x1b[0m\n\nكتــــاب عــربي\n",
    );
    env.cmd(&["ingest", "log.txt"]).assert().success();
    let (hits, _, _) = env.search_json("\"error disk full\"", &[]);
    assert_eq!(paragraphs(&hits), [1]);
    let (hits, _, _) = env.search_json("error full", &[]);
    assert_eq!(hits[0].marked(), ["Error", "full"]);
    let (arabic, _, _) = env.search_json("كتاب", &[]);
    assert_eq!(paragraphs(&arabic), [2]);
    assert_eq!(arabic[0].marked(), ["كتــــاب"]);
}

#[test]
fn identifiers_are_found_by_their_parts_and_whole() {
    let env = Env::new();
    env.write(
        "code.md",
        "Use os.path.join to build paths.\n\nCall fs.readFile with a callback.\n\n\
         The subprocess.TimeoutExpired exception comes after the timeout.\n\n\
         A plain join of tables, in the U.S. at 3.14 a.m.\n",
    );
    env.cmd(&["ingest", "code.md"]).assert().success();
    let marked = |query: &str, extra: &[&str]| -> Vec<(u64, Vec<String>)> {
        let (hits, _, _) = env.search_json(query, extra);
        marked_by_paragraph(&hits)
    };
    // A part finds the identifier, and only the part is marked.
    assert_eq!(
        marked("join", &[]),
        [(1, vec!["join".to_string()]), (4, vec!["join".to_string()])]
    );
    assert_eq!(marked("readFile", &[]), [(2, vec!["readFile".to_string()])]);
    assert_eq!(marked("read", &[]), [(2, vec!["read".to_string()])]);
    assert_eq!(
        marked("expired", &["--exact"]),
        [(3, vec!["Expired".to_string()])]
    );
    let both = marked("subprocess timeout", &[]);
    assert_eq!(both.len(), 1);
    assert_eq!(both[0].1, ["subprocess", "Timeout", "timeout"]);
    // The whole, as a word or a phrase, is exact.
    assert_eq!(
        marked("os.path.join", &[]),
        [(1, vec!["os.path.join".to_string()])]
    );
    assert_eq!(
        marked("\"os.path.join\"", &[]),
        [(1, vec!["os.path.join".to_string()])]
    );
    // Acronyms and numbers are not split.
    assert!(marked("s", &[]).is_empty());
    assert!(marked("14", &[]).is_empty());
}

#[test]
fn formulas_and_footnote_marks_with_raised_or_lowered_digits_are_found() {
    let env = Env::new();
    env.write(
        "notes.txt",
        "Water is H₂O and the gas is CO₂.\n\nThe treaty, as Smith argued³, held.\n\nSome 10³ units.\n",
    );
    env.cmd(&["ingest", "notes.txt"]).assert().success();
    let marked = |query: &str| -> Vec<(u64, Vec<String>)> {
        let (hits, _, _) = env.search_json(query, &[]);
        marked_by_paragraph(&hits)
    };
    let one = |paragraph: u64, words: &[&str]| {
        vec![(
            paragraph,
            words.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
        )]
    };
    assert_eq!(marked("H2O"), one(1, &["H₂O"]));
    assert_eq!(marked("H₂O"), one(1, &["H₂O"]));
    assert_eq!(marked("co2"), one(1, &["CO₂"]));
    assert_eq!(marked("argued"), one(2, &["argued"]));
    assert_eq!(marked("\"Smith argued\""), one(2, &["Smith argued"]));
    // An exponent after a number is not a bigger number.
    assert!(marked("103").is_empty());
}

#[test]
fn superscript_and_subscript_digits_written_with_tags_are_read_as_shown() {
    let env = Env::new();
    let text = "A claim<sup>1</sup> here; water is H<sub>2</sub>O. Then <sup>7</sup>Bravo, \
                and long<sup>12345678</sup> marks.";
    env.write("page.html", format!("<p>{text}</p>\n"));
    env.write("notes.md", format!("{text}\n"));
    env.cmd(&["ingest", "page.html", "notes.md"])
        .assert()
        .success();
    let marked = |query: &str| -> Vec<(String, Vec<String>)> {
        let (mut hits, _, _) = env.search_json(query, &[]);
        hits.sort_by(|a, b| a.path.cmp(&b.path));
        hits.iter()
            .map(|h| {
                let marked = h.marked().iter().map(|m| m.to_string()).collect();
                (h.path.clone(), marked)
            })
            .collect()
    };
    let both = |html: &str, markdown: &str| {
        vec![
            ("notes.md".to_string(), vec![markdown.to_string()]),
            ("page.html".to_string(), vec![html.to_string()]),
        ]
    };
    // The footnote mark's word is found without it, and the formula as one word.
    assert_eq!(marked("claim"), both("claim", "claim"));
    assert_eq!(marked("claim1"), both("claim¹", "claim<sup>1</sup>"));
    assert_eq!(marked("h2o"), both("H₂O", "H<sub>2</sub>O"));
    // A word that starts with the digits is highlighted from the markup's start.
    assert_eq!(marked("7bravo"), both("⁷Bravo", "<sup>7</sup>Bravo"));
    // Too many digits for Markdown to write raised: the word before them is still one.
    assert_eq!(marked("long"), both("long", "long"));
}

#[test]
fn names_with_leading_or_trailing_underscores_are_found_without_them() {
    let env = Env::new();
    env.write(
        "api.html",
        "<p>Override <code>__init__</code> and keep <code>_private</code> helpers.</p>\n",
    );
    env.write("notes.md", "Prefer snake\\_case names.\n");
    env.write(
        "code.txt",
        "value = self._cache.get(key)\n\nCall fs.readFile² and _read_file here.\n",
    );
    env.cmd(&["ingest", "api.html", "notes.md", "code.txt"])
        .assert()
        .success();
    let marked = |query: &str| -> Vec<(String, Vec<String>)> {
        let (hits, _, _) = env.search_json(query, &[]);
        hits.iter()
            .map(|h| {
                (
                    h.path.clone(),
                    h.marked().iter().map(|m| m.to_string()).collect(),
                )
            })
            .collect()
    };
    let one = |path: &str, word: &str| vec![(path.to_string(), vec![word.to_string()])];
    assert_eq!(marked("init"), one("api.html", "init"));
    assert_eq!(marked("private"), one("api.html", "private"));
    assert_eq!(marked("case"), one("notes.md", "case"));
    // Also inside a dotted name.
    assert_eq!(marked("cache"), one("code.txt", "cache"));
    // A name with underscores around it, or a footnote mark after it, is found by itself.
    assert_eq!(marked("read_file"), one("code.txt", "read_file"));
    assert_eq!(marked("fs.readFile"), one("code.txt", "fs.readFile"));
    // The whole name is still itself.
    assert_eq!(marked("__init__"), one("api.html", "__init__"));
}

#[test]
fn a_word_with_invisible_format_characters_inside_is_found_as_it_reads() {
    let env = Env::new();
    env.write(
        "docs/a.txt",
        "inter\u{AD}national law\n\n\u{200E}international\u{200E} law\n\nplain international law\n\nx \u{202E}override\u{202C} y\n",
    );
    env.write("docs/b.html", "<p>inter&shy;national soft</p>\n");
    env.cmd(&["ingest", "docs"]).assert().success();
    let (hits, summary, _) = env.search_json("international", &["-n", "10"]);
    assert_eq!(summary.total, 4, "{hits:?}");
    for hit in &hits {
        let marked = hit.marked();
        assert_eq!(marked.len(), 1, "{hit:?}");
        let word: String = marked[0].chars().filter(|c| c.is_alphabetic()).collect();
        assert_eq!(word, "international", "{hit:?}");
    }
    let (hits, _, _) = env.search_json("\"international law\"", &[]);
    assert_eq!(hits.len(), 3);
    let (hits, _, _) = env.search_json("override", &[]);
    assert_eq!(hits.len(), 1);
    // The closing mark the word takes in is no part of the highlight.
    assert_eq!(hits[0].marked(), ["override"]);
}
