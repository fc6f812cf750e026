//! Queries on the essay: the right paragraphs, exact highlights, deterministic order.

use crate::util::*;

#[test]
fn fresh_clone_search_ingests_the_corpus_then_finds_pyongyang() {
    let env = Env::with_corpus();
    let output = env.run(&["search", "Pyongyang"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stderr(&output).contains("ingesting ./corpus first"),
        "{}",
        stderr(&output)
    );
    let out = stdout(&output);
    assert!(out.starts_with("corpus/us-korea-alliance.txt\n"), "{out}");
    // (Before that, a search that could only fail ingested nothing: a bad query, glob or batch
    // file is said first.)
    let fresh = Env::with_corpus();
    for args in [
        &["search", "Pyongyang AND"][..],
        &["search", "-g", "[", "Pyongyang"],
        &["search", "-t", "nosuchtype", "Pyongyang"],
        &["search", "--batch", "no-such-file.jsonl"],
        &["search", "--", "path:[ Pyongyang"],
        &["tui", "-g", "[", "Pyongyang"],
        &["tui"],
        &["serve", "--port", "0", "--cors", "https://A.example"],
    ] {
        let failed = fresh.run(args);
        assert_eq!(failed.status.code(), Some(2), "{args:?}");
        assert!(
            !stderr(&failed).contains("ingesting"),
            "{args:?}: {}",
            stderr(&failed)
        );
        assert!(!fresh.path("index").exists(), "{args:?}");
    }
    assert!(
        out.contains("¶1, line 1: The U.S.–South Korea alliance"),
        "{out}"
    );
    // Paragraph 3 is long: its snippet starts at the sentence that mentions Pyongyang.
    assert!(
        out.contains("¶3, line 3: …The allies generally know how to deter Pyongyang, though"),
        "{out}"
    );
    assert_eq!(out.matches('¶').count(), 2, "{out}");
    // The second search uses the index the first one built.
    let again = env.run(&["search", "Pyongyang"]);
    assert!(!stderr(&again).contains("ingesting"));
    assert_eq!(stdout(&again), out);
}

#[test]
fn exact_phrase_returns_only_paragraph_six() {
    let env = Env::essay();
    let (hits, summary, status) = env.search_json("\"nuclear sharing\"", &[]);
    assert_eq!(status, 0);
    assert_eq!(paragraphs(&hits), [6]);
    assert_eq!(hits[0].marked(), ["nuclear sharing"]);
    assert_eq!((summary.hits, summary.total), (1, 1));
}

#[test]
fn no_match_exits_one_and_json_still_has_the_summary() {
    let env = Env::essay();
    let (hits, summary, status) = env.search_json("kimchi", &[]);
    assert_eq!(status, 1);
    assert!(hits.is_empty());
    assert_eq!((summary.hits, summary.total), (0, 0));
    assert_eq!(summary.query, "kimchi");
    let human = env.run(&["search", "kimchi"]);
    assert_eq!(human.status.code(), Some(1));
    assert!(human.stdout.is_empty());
}

#[test]
fn every_highlight_is_a_word_the_query_matched() {
    let env = Env::essay();
    let cases: [(&str, &[&str]); 4] = [
        ("nuclear deterrence", &["nuclear", "deterrence"]),
        ("Pyongyang", &["pyongyang"]),
        ("shipbuilding OR tariff", &["shipbuilding", "tariff"]),
        ("\"South Korea\" alliance", &["south korea", "alliance"]),
    ];
    for (query, words) in cases {
        let (hits, _, status) = env.search_json(query, &[]);
        assert_eq!(status, 0, "{query}");
        for hit in &hits {
            assert!(
                !hit.highlights.is_empty(),
                "{query}: ¶{} unmarked",
                hit.paragraph
            );
            for slice in hit.marked() {
                // A possessive is the word itself (`Pyongyang’s` is `Pyongyang`).
                let lower = slice.to_lowercase();
                let word = lower.strip_suffix("’s").unwrap_or(&lower);
                assert!(words.contains(&word), "{query}: marked {slice:?}");
            }
        }
    }
}

#[test]
fn highlights_are_sorted_disjoint_and_cover_every_occurrence() {
    let env = Env::essay();
    let (hits, _, _) = env.search_json("nuclear", &[]);
    assert_eq!(sorted_paragraphs(&hits), [1, 6, 9]);
    for hit in &hits {
        let expected = hit.text.to_lowercase().matches("nuclear").count();
        assert_eq!(hit.highlights.len(), expected, "¶{}", hit.paragraph);
        for pair in hit.highlights.windows(2) {
            assert!(pair[0].end <= pair[1].start);
        }
    }
}

#[test]
fn boolean_operators_select_the_right_paragraphs() {
    let env = Env::essay();
    for query in [
        "nuclear AND NOT China",
        "nuclear -China",
        "nuclear NOT china",
    ] {
        let (hits, _, status) = env.search_json(query, &[]);
        assert_eq!(status, 0);
        assert_eq!(sorted_paragraphs(&hits), [1, 6, 9], "{query}");
        for hit in &hits {
            assert!(hit.marked().iter().all(|m| m.to_lowercase() == "nuclear"));
        }
    }
    let (hits, _, _) = env.search_json("China", &[]);
    assert_eq!(sorted_paragraphs(&hits), [3, 10]);
    let (hits, _, _) = env.search_json("(Pyongyang OR shipbuilding) +alliance", &[]);
    assert_eq!(sorted_paragraphs(&hits), [1, 3, 8, 11]);
    let (hits, _, _) = env.search_json("Pyongyang AND (tariff OR Beijing)", &[]);
    assert_eq!(paragraphs(&hits), [3]);
}

#[test]
fn limit_caps_hits_but_total_counts_all_matches() {
    let env = Env::essay();
    let (all, summary, _) = env.search_json("alliance", &[]);
    assert!(summary.total >= 4, "{summary:?}");
    let (two, summary2, _) = env.search_json("alliance", &["-n", "2"]);
    assert_eq!(two.len(), 2);
    assert_eq!((summary2.hits, summary2.total), (2, summary.total));
    assert_eq!(paragraphs(&two), paragraphs(&all)[..2]);
    let ranks: Vec<usize> = all.iter().map(|h| h.rank).collect();
    assert_eq!(ranks, (1..=all.len()).collect::<Vec<_>>());
    assert!(all.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn equal_scores_are_ordered_by_path_then_paragraph() {
    let env = Env::new();
    env.write("docs/b.txt", "alpha beta\n");
    env.write("docs/c.txt", "alpha gamma\nalpha delta\n");
    env.write("docs/a.txt", "alpha omega\n");
    env.cmd(&["ingest", "docs"]).assert().success();
    let (hits, _, _) = env.search_json("alpha", &[]);
    let order: Vec<(String, u64)> = hits.iter().map(|h| (h.path.clone(), h.paragraph)).collect();
    assert_eq!(
        order,
        [
            ("docs/a.txt".to_string(), 1),
            ("docs/b.txt".to_string(), 1),
            ("docs/c.txt".to_string(), 1),
            ("docs/c.txt".to_string(), 2),
        ]
    );
    assert!(hits.windows(2).all(|w| w[0].score == w[1].score));
}

#[test]
fn hits_carry_exact_file_offsets_and_lines() {
    let env = Env::essay();
    let essay = std::fs::read(essay_path()).unwrap();
    let (hits, _, _) = env.search_json("the", &["-n", "100"]);
    assert!(hits.len() >= 10);
    for hit in &hits {
        let start = hit.byte_offset as usize;
        assert_eq!(&essay[start..start + hit.text.len()], hit.text.as_bytes());
        let line = essay[..start].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        assert_eq!(hit.line, line);
    }
}

#[test]
fn excluded_phrases_subtract_exactly() {
    let env = Env::essay();
    let count = |q: &str| -> u64 {
        let output = env.run(&["search", "--count", "--", q]);
        assert_ne!(output.status.code(), Some(2), "{q}: {}", stderr(&output));
        stdout(&output).trim().parse().unwrap()
    };
    let all = count("alliance");
    let both = count("alliance \"South Korea\"");
    assert!(both > 0 && both < all);
    assert_eq!(count("alliance -\"South Korea\""), all - both);
    assert_eq!(count("NOT \"South Korea\"") + count("\"South Korea\""), 14);
    assert_eq!(
        count("alliance -\"alliance modern\"~3"),
        all - count("\"alliance modern\"~3")
    );
}

#[test]
fn a_negation_matches_but_adds_nothing_to_a_score() {
    let env = Env::new();
    env.write(
        "t.txt",
        "banana apple cherry\n\napple banana\n\nnuclear deterrence\n\ncherry cherry\n",
    );
    env.cmd(&["ingest", "t.txt"]).assert().success();
    for extra in [&[][..], &["-s"]] {
        let (hits, _, _) = env.search_json("cherry OR NOT apple", extra);
        // The paragraphs with `cherry` first; the one that only lacks `apple` after them.
        assert_eq!(paragraphs(&hits), [4, 1, 3], "{extra:?}");
        assert_eq!(hits[2].score, 0.0, "{extra:?}");
        let (alone, _, _) = env.search_json("cherry", extra);
        assert_eq!(hits[0].score, alone[0].score, "{extra:?}");
    }
}

#[test]
fn any_mode_matches_a_thai_word_whole_not_by_its_letters() {
    let env = Env::new();
    env.write(
        "th.txt",
        "กรุงเทพมหานครเป็นเมืองหลวง\n\nฉันชอบกินข้าวผัด\n\nแมวนอนบนเตียง\n",
    );
    env.cmd(&["ingest", "th.txt"]).assert().success();
    // Thai is indexed a letter at a time: the word is its letters in order, not any of them.
    let (one, _, _) = env.search_json("กรุงเทพ", &["--any"]);
    assert_eq!(paragraphs(&one), [1]);
    assert_eq!(one[0].marked(), ["กรุงเทพ"]);
    let (two, _, _) = env.search_json("กรุงเทพ ข้าว", &["--any"]);
    assert_eq!(sorted_paragraphs(&two), [1, 2]);
    // A Latin word the analyzer splits still counts as its pieces.
    env.write("x.txt", "alpha\n\nbeta\n");
    env.cmd(&["ingest", "x.txt"]).assert().success();
    let (latin, _, _) = env.search_json("alpha-beta", &["--any"]);
    assert_eq!(latin.len(), 2);
}

#[test]
fn any_mode_ranks_paragraphs_with_any_of_the_words() {
    let env = Env::essay();
    let query = "how do allies deter Pyongyang kimchi";
    let (all, _, status) = env.search_json(query, &["-F"]);
    assert_eq!((all.len(), status), (0, 1));
    let (any, summary, status) = env.search_json(query, &["-F", "--any", "-n", "2"]);
    assert_eq!(status, 0);
    assert!(summary.total >= 3 && any.len() == 2, "{summary:?}");
    // ¶3 has "allies", "deter" and "Pyongyang": the most matching words, so it comes first.
    assert_eq!(any[0].paragraph, 3);
    let mut marked: Vec<String> = any[0].marked().iter().map(|m| m.to_lowercase()).collect();
    marked.sort();
    marked.dedup();
    assert!(
        marked.contains(&"pyongyang".to_string()) && marked.contains(&"deter".to_string()),
        "{marked:?}"
    );
    // Exclusions still exclude everything they name.
    let (excluded, _, _) = env.search_json("deter Pyongyang -China", &["--any", "-n", "20"]);
    assert!(excluded.iter().all(|h| !h.text.contains("China")));
    assert!(!excluded.is_empty());
}

/// With `--any`, a `+word` must match, and the other words rank what has it (as Lucene reads
/// `+`): the same scores as without the `+`, over fewer paragraphs; also expanded by feedback.
#[test]
fn any_mode_requires_plus_words_and_ranks_by_the_others() {
    let env = Env::new();
    env.write(
        "notes.txt",
        "alliance nuclear deterrence\n\nalliance trade\n\nnuclear deterrence deterrence\n\nweather report\n",
    );
    env.cmd(&["ingest", "notes.txt"]).assert().success();
    let found = |query: &str, extra: &[&str]| {
        let mut args = vec!["--any"];
        args.extend_from_slice(extra);
        env.search_json(query, &args).0
    };
    let order = |hits: &[HitRecord]| hits.iter().map(|h| h.paragraph).collect::<Vec<_>>();
    let all = found("alliance nuclear deterrence", &[]);
    assert_eq!(order(&all), [1, 3, 2]);
    let required = found("+alliance nuclear deterrence", &[]);
    assert_eq!(order(&required), [1, 2]);
    for (with, without) in required.iter().zip([&all[0], &all[2]]) {
        assert!(
            (with.score - without.score).abs() < 1e-5,
            "{with:?} {without:?}"
        );
    }
    assert_eq!(required[0].marked(), ["alliance", "nuclear", "deterrence"]);
    assert_eq!(required[1].marked(), ["alliance"]);
    assert_eq!(order(&found("+alliance +trade nuclear", &[])), [2]);
    assert_eq!(order(&found("+alliance nuclear -trade", &[])), [1]);
    // A group whose `+` word is a stop word (left out) still requires the rest of it.
    assert_eq!(order(&found("alliance AND (+the nuclear)", &[])), [1]);
    // Without `--any`, side by side is AND, with or without `+`.
    let (and, _, _) = env.search_json("+alliance nuclear", &[]);
    assert_eq!(order(&and), [1]);
}

/// Feedback's added words never stand in for a `+word`: the paragraph they alone find (here
/// `submarine fleet`, whose `submarine` the best paragraphs share) is found only without it.
#[test]
fn expanded_any_queries_keep_plus_words_required() {
    let env = Env::new();
    let mut text = String::from(
        "alliance nuclear submarine\n\nalliance nuclear submarine patrol\n\nsubmarine fleet\n",
    );
    for i in 0..40 {
        text.push_str(&format!("\nfiller{i} words{i}\n"));
    }
    env.write("notes.txt", &text);
    env.cmd(&["ingest", "notes.txt"]).assert().success();
    let paragraphs = |query: &str| {
        let hits = env.search_json(query, &["--any", "--expand"]).0;
        sorted_paragraphs(&hits)
    };
    assert_eq!(paragraphs("alliance nuclear"), [1, 2, 3]);
    for required in [
        "+alliance nuclear",
        "+alliance +nuclear",
        "+alliance AND nuclear",
        "+alliance",
    ] {
        assert_eq!(paragraphs(required), [1, 2], "{required}");
    }
    assert_eq!(paragraphs("+alliance -patrol"), [1]);
    // In parentheses, or on a group, as at the top.
    for required in [
        "(+alliance)",
        "(+alliance nuclear)",
        "+(alliance OR patrol)",
    ] {
        assert_eq!(paragraphs(required), [1, 2], "{required}");
    }
    // A `+` on a path filter or on a stop word (left out) requires no word.
    for free in ["+path:notes.txt alliance nuclear", "+the alliance nuclear"] {
        assert_eq!(paragraphs(free), [1, 2, 3], "{free}");
    }
}

/// With case compared (`-s`), a `+word` query's paragraphs score the words that match in the
/// query's case, as without the `+`: a word in another case adds nothing.
#[test]
fn case_sensitive_plus_queries_score_only_words_matching_in_case() {
    let env = Env::new();
    env.write(
        "notes.txt",
        "alliance nuclear\n\nalliance Nuclear Nuclear\n\nweather report\n",
    );
    env.cmd(&["ingest", "notes.txt"]).assert().success();
    let scored = |query: &str| -> Vec<(u64, f64)> {
        let hits = env.search_json(query, &["-s", "--any"]).0;
        hits.iter().map(|h| (h.paragraph, h.score)).collect()
    };
    let plain = scored("alliance nuclear");
    let required = scored("+alliance nuclear");
    assert_eq!(
        required.iter().map(|h| h.0).collect::<Vec<_>>(),
        [1, 2],
        "{required:?}"
    );
    for ((p, with), (q, without)) in required.iter().zip(&plain) {
        assert_eq!(p, q);
        assert!((with - without).abs() < 1e-5, "{required:?} {plain:?}");
    }
}

#[test]
fn equal_scores_keep_path_and_paragraph_order_across_segments_with_and_without_pruning() {
    let env = Env::new();
    let file = |i: usize| {
        let mut text = "alpha beta\n\n".repeat(40);
        if i == 7 {
            text.push_str("alpha alpha\n");
        }
        env.write(&format!("docs/f{i:02}.txt"), &text);
    };
    (0..30).for_each(file);
    env.cmd(&["ingest", "-j", "2", "docs"]).assert().success();
    // A second ingest puts the new files in another segment.
    (30..40).for_each(file);
    env.cmd(&["ingest", "-j", "2", "docs"]).assert().success();

    let mut expected = vec![("docs/f07.txt".to_string(), 41)];
    for i in 0..40 {
        for p in 1..=40 {
            expected.push((format!("docs/f{i:02}.txt"), p));
        }
    }
    let order = |hits: &[HitRecord]| -> Vec<(String, u64)> {
        hits.iter().map(|h| (h.path.clone(), h.paragraph)).collect()
    };
    // `alpha` alone is ranked with pruning; with an exclusion every match is scored.
    let (pruned, summary, _) = env.search_json("alpha", &["-n", "100"]);
    assert_eq!(order(&pruned), expected[..100]);
    assert_eq!(summary.total, 1601);
    let (scored, summary, _) = env.search_json("alpha -zzz", &["-n", "100"]);
    assert_eq!(order(&scored), expected[..100]);
    assert_eq!(summary.total, 1601);
    let (page, _, _) = env.search_json("alpha", &["-n", "10", "--offset", "1195"]);
    assert_eq!(order(&page), expected[1195..1205]);
    let (page, _, _) = env.search_json("alpha beta", &["-n", "5", "--offset", "40"]);
    assert_eq!(order(&page), expected[41..46]);
}

#[test]
fn every_way_of_ordering_equal_scores_gives_path_then_paragraph() {
    // 3 files of 12 equal paragraphs, from two ingests (two or more segments): 36 ties.
    // Small pages order a few ties by their stored paths, larger runs by path columns, and
    // long lists rank by path while collecting; all must agree.
    let env = Env::new();
    let write = |name: &str| env.write(&format!("docs/{name}"), "gamma delta\n\n".repeat(12));
    write("b.txt");
    write("c.txt");
    env.cmd(&["ingest", "-j", "2", "docs"]).assert().success();
    write("a.txt");
    env.cmd(&["ingest", "-j", "2", "docs"]).assert().success();
    let mut expected = Vec::new();
    for name in ["a", "b", "c"] {
        for p in 1..=12u64 {
            expected.push((format!("docs/{name}.txt"), p));
        }
    }
    let order = |hits: &[HitRecord]| -> Vec<(String, u64)> {
        hits.iter().map(|h| (h.path.clone(), h.paragraph)).collect()
    };
    for (n, offset) in [(1, 0), (5, 0), (3, 11), (5, 30), (20, 10), (50, 0)] {
        let args = ["-n", &n.to_string(), "--offset", &offset.to_string()].map(String::from);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (hits, summary, _) = env.search_json("gamma", &args);
        let end = (offset + n).min(expected.len());
        assert_eq!(
            order(&hits),
            expected[offset..end],
            "-n {n} --offset {offset}"
        );
        assert_eq!(summary.total, 36);
    }
}

#[test]
fn prefix_matches_come_in_path_then_paragraph_order_with_deletions_and_paging() {
    // Every match of a prefix scores the same. Two ingests (two segments or more), then a
    // file of the first rewritten: its old paragraphs are deleted in place.
    let env = Env::new();
    let write = |name: &str, paragraphs: usize| {
        let text = (1..=paragraphs)
            .map(|i| format!("gamma{i} word"))
            .collect::<Vec<_>>()
            .join("\n\n");
        env.write(&format!("docs/{name}"), text);
    };
    write("d.txt", 9);
    write("b.txt", 7);
    // One segment, which keeps d.txt when b.txt's paragraphs are deleted.
    env.cmd(&["ingest", "-j", "1", "docs"]).assert().success();
    write("a.txt", 6);
    write("c.txt", 5);
    env.cmd(&["ingest", "-j", "2", "docs"]).assert().success();
    write("b.txt", 4);
    env.cmd(&["ingest", "-j", "2", "docs"]).assert().success();
    let mut expected = Vec::new();
    for (name, paragraphs) in [("a", 6), ("b", 4), ("c", 5), ("d", 9)] {
        for p in 1..=paragraphs {
            expected.push((format!("docs/{name}.txt"), p));
        }
    }
    for (n, offset) in [(1, 0), (3, 0), (4, 5), (10, 12), (50, 0)] {
        let args = ["-n", &n.to_string(), "--offset", &offset.to_string()].map(String::from);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (hits, summary, _) = env.search_json("gamma*", &args);
        let order: Vec<(String, u64)> =
            hits.iter().map(|h| (h.path.clone(), h.paragraph)).collect();
        let end = (offset + n).min(expected.len());
        assert_eq!(order, expected[offset..end], "-n {n} --offset {offset}");
        assert_eq!(summary.total, 24, "-n {n} --offset {offset}");
    }
}

#[test]
fn a_file_sent_in_several_batches_keeps_equal_scores_in_paragraph_order() {
    // 260 equal paragraphs of 16 KB: more than one writer batch (4 MB), so the file's
    // paragraphs may sit in two segments.
    let env = Env::new();
    let paragraph = "alpha ".repeat(2_700);
    let text: Vec<&str> = std::iter::repeat_n(paragraph.trim_end(), 260).collect();
    env.write("docs/big.txt", text.join("\n\n"));
    env.write("docs/small.txt", "alpha\n");
    env.cmd(&["ingest", "-j", "2", "docs"]).assert().success();
    let (hits, summary, _) = env.search_json("alpha", &["-n", "6", "--offset", "255"]);
    assert_eq!(summary.total, 261);
    // Every paragraph of docs/big.txt scores the same, above docs/small.txt (one `alpha`).
    let order: Vec<(String, u64)> = hits.iter().map(|h| (h.path.clone(), h.paragraph)).collect();
    let mut expected: Vec<(String, u64)> = (256..=260)
        .map(|p| ("docs/big.txt".to_string(), p))
        .collect();
    expected.push(("docs/small.txt".to_string(), 1));
    assert_eq!(order, expected);
    let (first, _, _) = env.search_json("alpha", &["-n", "3"]);
    let first: Vec<u64> = first.iter().map(|h| h.paragraph).collect();
    assert_eq!(first, [1, 2, 3]);
}

#[test]
fn equal_scores_in_records_listed_against_key_order_come_in_key_order() {
    // A collection's records are indexed in the order they are listed, here against their
    // keys, so their segment is not in path order and equal scores must be ordered by path.
    let env = Env::new();
    let ids = ["q", "z", "c", "m", "a", "x", "b"];
    let records: Vec<String> = ids
        .iter()
        .map(|id| format!("{{\"id\":\"{id}\",\"text\":\"theta iota\"}}"))
        .collect();
    env.write("c.jsonl", records.join("\n") + "\n");
    env.write("docs/f.txt", "theta kappa\n");
    env.cmd(&["ingest", "-j", "1", "docs"]).assert().success();
    env.cmd(&["ingest", "-j", "1", "--jsonl", "c.jsonl"])
        .assert()
        .success();
    let mut sorted = ids;
    sorted.sort();
    let expected: Vec<String> = sorted.iter().map(|id| format!("c.jsonl#{id}")).collect();
    for (n, offset) in [(7, 0), (3, 2), (2, 5)] {
        let args = ["-n", &n.to_string(), "--offset", &offset.to_string()].map(String::from);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (hits, _, _) = env.search_json("iota", &args);
        let paths: Vec<String> = hits.iter().map(|h| h.path.clone()).collect();
        assert_eq!(
            paths,
            expected[offset..offset + n],
            "-n {n} --offset {offset}"
        );
    }
}

#[test]
fn a_few_equal_scores_across_segments_come_in_path_then_paragraph_order() {
    // 12 ties (few enough to be ordered from the stored documents), from two ingests.
    let env = Env::new();
    let write = |name: &str| env.write(&format!("docs/{name}"), "zeta eta\n\n".repeat(4));
    write("b.txt");
    env.cmd(&["ingest", "docs"]).assert().success();
    write("a.txt");
    write("c.txt");
    env.cmd(&["ingest", "docs"]).assert().success();
    let mut expected = Vec::new();
    for name in ["a", "b", "c"] {
        for p in 1..=4u64 {
            expected.push((format!("docs/{name}.txt"), p));
        }
    }
    for (n, offset) in [(12, 0), (3, 2), (5, 7)] {
        let args = ["-n", &n.to_string(), "--offset", &offset.to_string()].map(String::from);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (hits, _, _) = env.search_json("zeta", &args);
        let order: Vec<(String, u64)> =
            hits.iter().map(|h| (h.path.clone(), h.paragraph)).collect();
        assert_eq!(
            order,
            expected[offset..offset + n],
            "-n {n} --offset {offset}"
        );
    }
}

/// 800 paragraphs of filler, with `special` ones in place of some.
fn large_file(special: &[(u64, &str)]) -> String {
    let mut text = String::new();
    for p in 1..=800u64 {
        match special.iter().find(|(n, _)| *n == p) {
            Some((_, line)) => text.push_str(line),
            None => text.push_str(&format!("filler line {p} about queues")),
        }
        text.push_str("\n\n");
    }
    text
}

#[test]
fn a_rare_prefix_in_a_large_segment_finds_every_match_alone_and_with_other_terms() {
    // 800 paragraphs, 3 starting with `semaph`: few enough that the prefix's matches are
    // gathered as a sorted list rather than a bit set of the segment.
    let text = large_file(&[
        (100, "a semaphore guards the queue"),
        (400, "semaphores wait on the kernel"),
        (401, "wait for the kernel"),
        (799, "the SEMAPH flag"),
    ]);
    let env = Env::new();
    env.write("docs/big.txt", text);
    env.cmd(&["ingest", "docs"]).assert().success();
    let cases: [(&str, &[u64]); 4] = [
        ("semaph*", &[100, 400, 799]),
        ("semaph* wait", &[400]),
        ("semaph* -wait", &[100, 799]),
        ("semaph* OR wait", &[100, 400, 401, 799]),
    ];
    for (query, expected) in cases {
        let (hits, summary, status) = env.search_json(query, &["-n", "50"]);
        assert_eq!(status, 0, "{query}");
        assert_eq!(sorted_paragraphs(&hits), expected, "{query}");
        assert_eq!(summary.total, expected.len() as u64, "{query}");
    }
}

#[test]
fn a_rare_prefix_skips_the_replaced_paragraphs_of_a_changed_file() {
    // The first ingest's segment keeps its three `semaph` paragraphs as deleted documents.
    let env = Env::new();
    let before = [
        (100, "a semaphore guards the queue"),
        (400, "semaphores wait"),
        (799, "the SEMAPH flag"),
    ];
    env.write("docs/big.txt", large_file(&before));
    env.cmd(&["ingest", "docs"]).assert().success();
    env.write("docs/big.txt", large_file(&[(250, "one semaphore left")]));
    env.cmd(&["ingest", "docs"]).assert().success();
    let (hits, summary, status) = env.search_json("semaph*", &["-n", "50"]);
    assert_eq!(status, 0);
    assert_eq!(paragraphs(&hits), [250]);
    assert_eq!(summary.total, 1);
    assert_eq!(hits[0].marked(), ["semaphore"]);
}

#[test]
fn a_word_repeated_in_a_query_scores_as_often_as_it_is_written() {
    let env = Env::essay();
    let scores = |query: &str, extra: &[&str]| -> Vec<(u64, f64)> {
        let (hits, _, _) = env.search_json(query, extra);
        hits.iter().map(|h| (h.paragraph, h.score)).collect()
    };
    for extra in [&[][..], &["--any"][..]] {
        let once = scores("nuclear deterr*", extra);
        let thrice = scores("nuclear deterr* nuclear deterr* nuclear deterr*", extra);
        assert!(!once.is_empty());
        assert_eq!(once.len(), thrice.len(), "{extra:?}");
        for ((p1, s1), (p3, s3)) in once.iter().zip(&thrice) {
            assert_eq!(p1, p3, "{extra:?}");
            assert!((s3 - 3.0 * s1).abs() < 1e-3 * s3, "{extra:?}: {s1} {s3}");
        }
    }
}

#[test]
fn a_query_with_no_hits_gets_a_suggestion_from_the_index() {
    let env = Env::essay();
    let output = env.run(&["search", "Pyongyng"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert_eq!(stderr(&output), "parafind: did you mean: Pyongyang\n");
    // Words the index holds and path filters stay as they are; JSON carries it in the summary.
    let (records, code) = env.records(&["search", "--json", "nuclear allaince path:corpus/*"]);
    assert_eq!(code, 1);
    let summary = records.iter().find_map(|r| match r {
        Record::Summary(Summary::Query(s)) => Some(s),
        _ => None,
    });
    assert_eq!(
        summary.and_then(|s| s.suggestion.as_deref()),
        Some("nuclear alliance path:corpus/*")
    );
    // Nothing close: no suggestion; a query with hits: none either; -q: silent.
    assert_eq!(stderr(&env.run(&["search", "kimchi"])), "");
    assert_eq!(stderr(&env.run(&["search", "Pyongyang"])), "");
    assert_eq!(stderr(&env.run(&["search", "-q", "Pyongyng"])), "");
    // A word repeated is corrected everywhere it is; past 16 different missing words, the
    // rest are left as written.
    assert_eq!(
        stderr(&env.run(&["search", "Pyongyng OR Pyongyng"])),
        "parafind: did you mean: Pyongyang OR Pyongyang\n"
    );
    let many: Vec<String> = (0..17).map(|n| format!("qqq{n}zz")).collect();
    let query = format!("{} Pyongyng", many.join(" "));
    assert_eq!(stderr(&env.run(&["search", &query])), "");
    // A misspelt inflected word is compared with the index's words, not only its stems
    // (`allocatoin`'s stem is far from `alloc`, the word is one swap from `allocation`).
    env.write("notes.txt", "Memory allocation happens in the allocator.\n");
    env.cmd(&["ingest", "notes.txt"]).assert().success();
    let output = env.run(&["search", "memroy allocatoin"]);
    assert_eq!(
        stderr(&output),
        "parafind: did you mean: Memory allocation\n"
    );
    // A hyphenated word whose pieces are too short or near nothing is corrected joined; one
    // whose piece is misspelt, piece by piece.
    env.write(
        "mail.txt",
        "An email arrived about pro-inflammatory signals.\n",
    );
    env.cmd(&["ingest", "mail.txt"]).assert().success();
    for (query, suggested) in [("e-mial", "email"), ("pro-inflamatory", "pro-inflammatory")] {
        let output = env.run(&["search", query]);
        assert_eq!(
            stderr(&output),
            format!("parafind: did you mean: {suggested}\n"),
            "{query}"
        );
    }
    // With --exact, a word the index holds only as another word's stem is missing: `allianc`
    // (the stem of `alliance`) matches nothing exactly, and is corrected.
    env.write(
        "pact.txt",
        "The alliances were signed; the alliance holds.\n",
    );
    env.cmd(&["ingest", "pact.txt"]).assert().success();
    let exact = env.run(&["search", "-x", "allianc"]);
    assert_eq!(exact.status.code(), Some(1));
    assert_eq!(stderr(&exact), "parafind: did you mean: alliance\n");
    let stemmed = env.run(&["search", "allianc"]);
    assert_eq!(
        (stemmed.status.code(), stderr(&stemmed)),
        (Some(0), String::new())
    );
    let held = env.run(&["search", "-x", "alliances"]);
    assert_eq!(
        (held.status.code(), stderr(&held)),
        (Some(0), String::new())
    );
    // The closest word as written, not a word whose stem is near the misspelling's stem.
    env.write(
        "run.txt",
        "We run daily.\n\nThey run fast.\n\nShe was running.\n",
    );
    env.cmd(&["ingest", "run.txt"]).assert().success();
    let output = env.run(&["search", "-x", "runnning"]);
    assert_eq!(stderr(&output), "parafind: did you mean: running\n");
    // Nor a word only the stems are near: `treaties` (stem `treati`) is not `threat`, but the
    // word the text writes for its own stem.
    env.write("threat.txt", "A threat. The Treaty holds.\n");
    env.cmd(&["ingest", "threat.txt"]).assert().success();
    let output = env.run(&["search", "-x", "treaties"]);
    assert_eq!(
        (output.status.code(), stderr(&output)),
        (Some(1), "parafind: did you mean: Treaty\n".to_string())
    );
    // An inflection the text does not hold: the word it holds.
    env.write("walrus.txt", "A walrus sleeps.\n");
    env.cmd(&["ingest", "walrus.txt"]).assert().success();
    let output = env.run(&["search", "-x", "walruses"]);
    assert_eq!(stderr(&output), "parafind: did you mean: walrus\n");
    // A word only removed files held is no suggestion (the term dictionary counts it until
    // its segment is merged); the closest word still held is.
    env.write("more/x1.txt", "zorblax\n");
    env.write("more/x2.txt", "zorblat\n\nzorblat again\n");
    env.write("more/x3.txt", "other words\n");
    env.cmd(&["ingest", "more"]).assert().success();
    assert_eq!(
        stderr(&env.run(&["search", "zorblaxx"])),
        "parafind: did you mean: zorblax\n"
    );
    env.cmd(&["remove", "more/x1.txt"]).assert().success();
    assert_eq!(
        stderr(&env.run(&["search", "zorblaxx"])),
        "parafind: did you mean: zorblat\n"
    );
    env.cmd(&["remove", "more/x2.txt"]).assert().success();
    assert_eq!(stderr(&env.run(&["search", "zorblaxx"])), "");
}

#[test]
fn search_filters_files_by_ripgreps_glob_and_type_rules() {
    let env = Env::new();
    for path in [
        "docs/a.md",
        "docs/b.txt",
        "notes/c.md",
        "x/y/notes.txt",
        "docs/draft.md",
    ] {
        env.write(path, "the common word\n");
    }
    env.cmd(&["ingest", "."]).assert().success();
    let files = |filters: &[&str]| -> Vec<String> {
        let mut args = vec!["search", "-l", "--color", "never"];
        args.extend_from_slice(filters);
        args.push("common");
        let mut listed: Vec<String> = stdout(&env.run(&args)).lines().map(String::from).collect();
        listed.sort();
        listed
    };
    assert_eq!(files(&["-g", "!*.md"]), ["docs/b.txt", "x/y/notes.txt"]);
    assert_eq!(files(&["-g", "notes.txt"]), ["x/y/notes.txt"]);
    // A trailing `/` names a directory, as in rg and ingest.
    assert_eq!(files(&["-g", "!docs/"]), ["notes/c.md", "x/y/notes.txt"]);
    assert_eq!(files(&["-g", "y/"]), ["x/y/notes.txt"]);
    assert_eq!(
        files(&["-t", "md"]),
        ["docs/a.md", "docs/draft.md", "notes/c.md"]
    );
    assert_eq!(
        files(&["-g", "docs/**", "-g", "!draft*", "-t", "md"]),
        ["docs/a.md"]
    );
    assert_eq!(files(&["--path", "docs/*.txt"]), ["docs/b.txt"]);
    let unknown = env.run(&["search", "-t", "nosuchtype", "common"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(stderr(&unknown).lines().count(), 1, "{}", stderr(&unknown));
    assert!(
        stderr(&unknown).contains("nosuchtype"),
        "{}",
        stderr(&unknown)
    );
}

/// Searched from outside the directory ingested, a glob is matched below that directory, as
/// `rg -g` run on it would match it: `!old` leaves out its `old/` (not the whole tree when the
/// directory ingested is itself named `old`), and an absolute `!/…/old` leaves it out too.
#[test]
fn globs_searched_from_outside_the_tree_are_matched_below_the_directory_ingested() {
    let env = Env::new();
    for path in [
        "old/a.txt",
        "old/old/b.txt",
        "old/docs/c.txt",
        "elsewhere/.keep",
    ] {
        env.write(path, "the common word\n");
    }
    env.cmd(&["--index", "idx", "ingest", "old"])
        .assert()
        .success();
    let files = |filters: &[&str]| -> Vec<String> {
        let index = env.path("idx");
        let mut args = vec!["--index", index.to_str().unwrap(), "search", "-l"];
        args.extend_from_slice(filters);
        args.push("common");
        let mut cmd = env.cmd(&args);
        let output = cmd.current_dir(env.path("elsewhere")).output().unwrap();
        // Shown as absolute paths (outside the current directory).
        let root = format!("{}/", env.path("").canonicalize().unwrap().display());
        let mut listed: Vec<String> = stdout(&output)
            .lines()
            .map(|line| line.strip_prefix(&root).unwrap_or(line).to_string())
            .collect();
        listed.sort();
        listed
    };
    assert_eq!(files(&["-g", "!old"]), ["old/a.txt", "old/docs/c.txt"]);
    assert_eq!(files(&["-g", "docs/*.txt"]), ["old/docs/c.txt"]);
    let inner = env.path("old/old");
    let absolute = format!("!{}", inner.canonicalize().unwrap().display());
    assert_eq!(files(&["-g", &absolute]), ["old/a.txt", "old/docs/c.txt"]);
    assert_eq!(
        files(&["-g", "!../old/docs"]),
        ["old/a.txt", "old/old/b.txt"]
    );
}

#[test]
fn explain_breaks_each_score_down_and_score_shows_it() {
    let env = Env::essay();
    let (records, code) = env.records(&[
        "search",
        "--json",
        "--explain",
        "-n",
        "3",
        "nuclear OR deterrence",
    ]);
    assert_eq!(code, 0);
    let hits: Vec<&serde_json::Value> = records
        .iter()
        .filter_map(|r| match r {
            Record::Hit(hit) => hit.explanation.as_ref(),
            _ => None,
        })
        .collect();
    assert_eq!(hits.len(), 3);
    for (explanation, hit) in hits.iter().zip(hits_of(&records)) {
        let value = explanation["value"].as_f64().unwrap();
        assert!((value - hit.score).abs() < 1e-3, "{value} vs {}", hit.score);
        let text = explanation.to_string();
        for part in ["idf", "freq", "dl, length of field"] {
            assert!(text.contains(part), "{part} missing: {text}");
        }
    }
    // The best hit holds both words: each has its part, named by its term.
    let best = hits[0].to_string();
    assert!(
        best.contains(r#"term \"nuclear\""#) && best.contains(r#"term \"deterr\""#),
        "{best}"
    );
    // Without --explain, no explanation; --score puts the score in the heading.
    let (plain, _) = env.records(&["search", "--json", "-n", "1", "nuclear"]);
    assert!(hits_of(&plain).iter().all(|h| h.explanation.is_none()));
    let scored = stdout(&env.run(&[
        "search", "--score", "--color", "never", "-n", "1", "nuclear",
    ]));
    assert!(
        scored
            .lines()
            .nth(1)
            .unwrap_or_default()
            .contains(" · score "),
        "{scored}"
    );
    let explained = stdout(&env.run(&[
        "search",
        "--explain",
        "--color",
        "never",
        "-n",
        "1",
        "nuclear",
    ]));
    assert!(explained.contains("  idf, computed as"), "{explained}");
    // An exact form's part is BM25's too, with its counts, named as the exact word.
    let (exact, _) = env.records(&["search", "--json", "--explain", "-x", "-n", "1", "treaty"]);
    let hit = &hits_of(&exact)[0];
    let text = hit
        .explanation
        .as_ref()
        .expect("an explanation")
        .to_string();
    for part in [
        r#"exact word \"treaty\""#,
        "n, number of docs",
        "dl, length of field",
    ] {
        assert!(text.contains(part), "{part} missing: {text}");
    }
}

#[test]
fn case_sensitive_or_scores_only_the_parts_that_match_with_case_compared() {
    let env = Env::new();
    env.write(
        "fruit.txt",
        "Apple banana cherry.\n\napple banana.\n\nApple pie and tart.\n",
    );
    env.cmd(&["ingest", "fruit.txt"]).assert().success();
    let scores = |query: &str| -> Vec<(u64, f64)> {
        let (hits, _, _) = env.search_json(query, &["-s", "--sort", "path"]);
        hits.iter().map(|h| (h.paragraph, h.score)).collect()
    };
    let either = scores("Apple OR (banana -cherry)");
    assert_eq!(
        either.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    let alone = |query: &str, paragraph: u64| {
        let found = scores(query);
        found.iter().find(|(p, _)| *p == paragraph).unwrap().1
    };
    // Paragraph 1: its `banana` part is excluded by `cherry`; only `Apple` scores.
    assert_eq!(either[0].1, alone("Apple", 1));
    // Paragraph 2: its `apple` is not `Apple`; only the `banana` part scores.
    assert_eq!(either[1].1, alone("banana", 2));
    // The same with relevance order (the scores the ranking uses, not only those shown), and
    // the count agrees.
    let (ranked, summary, _) = env.search_json("Apple OR (banana -cherry)", &["-s"]);
    let first = ranked.iter().find(|h| h.paragraph == 1).unwrap();
    assert_eq!(first.score, alone("Apple", 1));
    assert_eq!(summary.total, 3);
    let count = stdout(&env.run(&["search", "-s", "-c", "Apple OR (banana -cherry)"]));
    assert_eq!(count.trim(), "3");
    // `--any` with a word excluded: paragraph 2's `apple` still adds nothing.
    let (any, _, _) = env.search_json("Apple banana -tart", &["-s", "--any"]);
    let second = any.iter().find(|h| h.paragraph == 2).unwrap();
    assert_eq!(second.score, alone("banana", 2));
    assert!(any.iter().all(|h| h.paragraph != 3));
    // `--explain` shows the parts that scored.
    let explained = stdout(&env.run(&["search", "-s", "--explain", "Apple OR (banana -cherry)"]));
    assert!(
        explained.contains("sum of the parts that match with case compared"),
        "{explained}"
    );
}

#[test]
fn case_sensitive_search_matches_the_querys_case() {
    let env = Env::new();
    env.write(
        "case.txt",
        "The US army is here.\n\nTell us more about it.\n\nTreaties were signed.\n\nThe treaty holds.\n",
    );
    env.cmd(&["ingest", "case.txt"]).assert().success();
    let found = |query: &str, extra: &[&str]| -> Vec<(u64, Vec<String>)> {
        let (hits, summary, _) = env.search_json(query, extra);
        assert_eq!(
            summary.total as usize,
            hits.len(),
            "{query}: totals count what is shown"
        );
        marked_by_paragraph(&hits)
    };
    assert_eq!(found("US", &["-s"]), [(1, vec!["US".to_string()])]);
    assert_eq!(found("us", &["-s"]), [(2, vec!["us".to_string()])]);
    assert_eq!(found("us", &[]).len(), 2, "case-insensitive by default");
    // Stems still apply, letter by letter as far as both go: Treaty finds Treaties, not treaty.
    assert_eq!(
        found("Treaty", &["--case-sensitive"]),
        [(3, vec!["Treaties".to_string()])]
    );
    // A phrase compares each word; counts agree.
    assert_eq!(
        found("\"The US\"", &["-s"]),
        [(1, vec!["The US".to_string()])]
    );
    assert!(found("\"the US\"", &["-s"]).is_empty());
    let count = stdout(&env.run(&["search", "-s", "-c", "us"]));
    assert_eq!(count.trim(), "1");
    // A negated word is compared with its case too: `-us` does not exclude `US`.
    let paragraphs = |query: &str| -> Vec<u64> {
        let mut found: Vec<u64> = found(query, &["-s"]).iter().map(|(p, _)| *p).collect();
        found.sort_unstable();
        found
    };
    assert_eq!(paragraphs("army -us"), [1]);
    assert!(paragraphs("army -US").is_empty());
    assert_eq!(paragraphs("NOT us"), [1, 3, 4]);
    assert_eq!(paragraphs("more AND NOT US"), [2]);
}

#[test]
fn a_hyphenated_word_finds_the_word_written_joined_and_marks_it() {
    let env = Env::new();
    env.write(
        "h.txt",
        "send an email now\n\nan e-mail was sent\n\npages 5-6 and 56 pages\n",
    );
    env.cmd(&["ingest", "h.txt"]).assert().success();
    for extra in [&[][..], &["--any"], &["-x"]] {
        let (hits, _, status) = env.search_json("e-mail", extra);
        assert_eq!(status, 0, "{extra:?}");
        let marked: Vec<String> = hits
            .iter()
            .flat_map(|h| {
                h.highlights
                    .iter()
                    .map(|m| h.text[m.start..m.end].to_string())
            })
            .collect();
        assert!(
            marked.contains(&"email".to_string()),
            "{extra:?}: {marked:?}"
        );
    }
    // With a prefix or fuzzy mark: the word joined with the mark, or its pieces as a phrase.
    env.write(
        "m.txt",
        "emailing lists\n\ntwo e-mails came\n\nmail alone\n",
    );
    env.cmd(&["ingest", "m.txt"]).assert().success();
    for (query, extra) in [("e-mail*", &[][..]), ("e-mail*", &["-x"]), ("e-mial~", &[])] {
        let (hits, _, status) = env.search_json(query, extra);
        assert_eq!(status, 0, "{query} {extra:?}");
        let mut marked: Vec<String> = hits
            .iter()
            .flat_map(|h| {
                h.highlights
                    .iter()
                    .map(|m| h.text[m.start..m.end].to_string())
            })
            .collect();
        marked.sort();
        match query {
            "e-mail*" if extra.is_empty() => {
                assert_eq!(marked, ["e-mail", "e-mails", "email", "emailing"])
            }
            "e-mail*" => assert_eq!(marked, ["e-mail", "email", "emailing"]),
            // `emial~` is one edit from `email`, and from `mail` too.
            _ => assert!(marked.contains(&"email".to_string()), "{marked:?}"),
        }
    }
    // A range of numbers is not joined.
    let (hits, _, _) = env.search_json("5-6", &[]);
    assert_eq!(hits.len(), 1);
    assert!(hits[0]
        .highlights
        .iter()
        .all(|m| &hits[0].text[m.start..m.end] != "56"));
}

#[test]
fn a_sloppy_phrase_that_names_a_word_twice_needs_it_twice() {
    let env = Env::new();
    env.write("r.txt", "bora once here\n\nbora bora twice\n\nwalla only\n");
    env.cmd(&["ingest", "r.txt"]).assert().success();
    for (query, count) in [
        ("\"bora bora\"", "1"),
        ("\"bora bora\"~1", "1"),
        ("\"walla walla\"~1", "0"),
        ("\"walla walla walla\"~4", "0"),
        ("\"bora once bora\"~2", "0"),
        ("\"once bora\"~2", "1"),
    ] {
        let counted = stdout(&env.run(&["search", "-c", "--", query]));
        assert_eq!(counted.trim(), count, "{query}");
    }
    let found = stdout(&env.run(&["search", "--full", "--", "\"bora bora\"~1"]));
    assert!(found.contains("bora bora twice"), "{found}");
    assert!(!found.contains("bora once"), "{found}");
}

#[test]
fn a_phrase_pasted_with_typographic_quotes_is_a_phrase() {
    let env = Env::new();
    env.write(
        "n.txt",
        "Nuclear deterrence is the cornerstone. Nuclear sharing was debated.\n",
    );
    env.cmd(&["ingest", "n.txt"]).assert().success();
    for (query, count) in [
        ("\"nuclear sharing deterrence\"", "0"),
        ("“nuclear sharing deterrence”", "0"),
        ("“nuclear sharing”", "1"),
        ("„nuclear sharing“", "1"),
    ] {
        let counted = stdout(&env.run(&["search", "-c", "--", query]));
        assert_eq!(counted.trim(), count, "{query}");
    }
}

#[test]
fn a_phrase_never_runs_from_a_title_into_the_first_paragraph() {
    // The title is indexed in front of the first paragraph (three times, for its weight):
    // a phrase may match within it, or within the paragraph, never across.
    let env = Env::new();
    env.write(
        "fm.md",
        "---\ntitle: Treaties of Rome\n---\n\nbody paragraph about europe.\n",
    );
    env.write(
        "p.html",
        "<html><head><title>NASA Budget</title></head><body><p>spending plans here</p></body></html>",
    );
    env.cmd(&["ingest", "fm.md", "p.html"]).assert().success();
    for (query, count) in [
        ("\"rome body\"", "0"),
        ("\"rome treaties\"", "0"),
        ("\"budget spending\"", "0"),
        ("\"rome body\"~5", "0"),
        ("\"treaties of rome\"", "1"),
        ("\"body paragraph\"", "1"),
        ("\"nasa budget\"", "1"),
        ("rome body", "1"),
    ] {
        let counted = stdout(&env.run(&["search", "-c", "--", query]));
        assert_eq!(counted.trim(), count, "{query}");
    }
}

/// Symbols a user may take for operators or for part of a name are said not to be: `!word`
/// is not a negation, `C++` is searched as `C`; a boost on a phrase, or a prefix inside one,
/// is refused rather than matching nothing; a prefix of Japanese text finds it.
#[test]
fn look_alike_syntax_is_told_or_refused() {
    let env = Env::new();
    env.write(
        "s.txt",
        "I write C++ daily.\n\nPlain C is fine.\n\nThe treaty on nuclear sharing.\n\nテキストです\n",
    );
    env.cmd(&["ingest", "s.txt"]).assert().success();
    let output = env.run(&["search", "-c", "nuclear !treaty"]);
    assert_eq!(stdout(&output), "1\n");
    assert!(
        stderr(&output).contains(
            "warning: `!treaty`: `!` is no operator, so `treaty` is searched for; write -treaty"
        ),
        "{}",
        stderr(&output)
    );
    let json = stdout(&env.run(&["search", "--json", "-F", "C++"]));
    assert!(
        json.contains(
            r#"{"type":"warning","message":"`C++`: `++` is not indexed, so `C` was searched for"}"#
        ),
        "{json}"
    );
    for query in ["\"nuclear sharing\"^2", "\"nuclear shar*\""] {
        let output = env.run(&["search", query]);
        assert_eq!(output.status.code(), Some(2), "{query}");
        assert_eq!(stderr(&output).lines().count(), 1, "{query}");
    }
    let (hits, _, _) = env.search_json("テキスト*", &[]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].marked(), ["テキスト"]);
}
