//! Ranking levers (#22): stop words left out of `--any` queries, titles weighted, and
//! pseudo-relevance feedback (`--expand`).

use crate::util::*;

#[test]
fn any_queries_leave_out_stop_words_unless_asked_to_keep_them() {
    let env = Env::essay();
    let (hits, summary, status) = env.search_json("the Pyongyang of and to", &["-F", "--any"]);
    assert_eq!(status, 0);
    assert_eq!(
        sorted_paragraphs(&hits),
        [1, 3],
        "only Pyongyang's paragraphs"
    );
    assert_eq!(summary.total, 2);
    for hit in &hits {
        assert!(
            hit.marked().iter().all(|m| m.starts_with("Pyongyang")),
            "{:?}",
            hit.marked()
        );
    }
    let (_, kept, _) = env.search_json(
        "the Pyongyang of and to",
        &["-F", "--any", "--keep-stop-words"],
    );
    assert!(
        kept.total > 10,
        "stop words kept match most paragraphs: {}",
        kept.total
    );
    // A query of stop words alone is searched as it is; phrases keep them.
    let (_, only, status) = env.search_json("to be or not to be", &["-F", "--any"]);
    assert_eq!(status, 0);
    assert!(only.total > 0);
    let (phrase, _, _) = env.search_json("\"the alliance\"", &["--any"]);
    assert!(phrase
        .iter()
        .all(|h| h.marked().iter().all(|m| m.contains(' '))));
}

#[test]
fn a_documents_title_weighs_more_than_a_word_of_its_text() {
    let env = Env::new();
    let records = [
        r#"{"_id": "titled", "title": "Vitamin D", "text": "Calcium keeps bones strong in old age."}"#,
        r#"{"_id": "mention", "title": "Calcium", "text": "Vitamin intake keeps bones strong in age."}"#,
    ];
    env.write("c.jsonl", records.join("\n") + "\n");
    assert!(env.run(&["ingest", "--jsonl", "c.jsonl"]).status.success());
    let (hits, _, _) = env.search_json("vitamin", &[]);
    let order: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(order, ["c.jsonl#titled", "c.jsonl#mention"]);
    assert!(
        hits[0].score > hits[1].score,
        "{} {}",
        hits[0].score,
        hits[1].score
    );
    // Only the text is highlighted: the title is not part of it.
    assert!(hits[0].marked().is_empty());
    assert_eq!(hits[1].marked(), ["Vitamin"]);
    // A Markdown file's leading level-1 heading is its title.
    env.write(
        "notes/sun.md",
        "# Vitamin D\n\nSunlight on skin.\n\n## Food\n\nFish.\n",
    );
    assert!(env.run(&["ingest", "notes"]).status.success());
    let (hits, _, _) = env.search_json("fish", &[]);
    assert_eq!(hits[0].title.as_deref(), Some("Vitamin D"));
}

#[test]
fn expansion_finds_paragraphs_through_the_words_of_the_best_ones() {
    let env = Env::new();
    let mut text = String::from(
        "Nuclear deterrence rests on the extended umbrella of the alliance.\n\n\
         Nuclear deterrence and the extended umbrella reassure allies.\n\n\
         The extended umbrella reassures allies across the region.\n\n",
    );
    for n in 0..60 {
        text.push_str(&format!("Gardens, rivers and bread, note {n}.\n\n"));
    }
    env.write("corpus/notes.txt", text);
    env.ingest_corpus();
    let plain = |extra: &[&str]| {
        let mut args = vec!["--any", "-n", "100"];
        args.extend_from_slice(extra);
        let (hits, _, _) = env.search_json("nuclear deterrence", &args);
        hits
    };
    let without = plain(&[]);
    assert!(
        !paragraphs(&without).contains(&3),
        "{:?}",
        paragraphs(&without)
    );
    let with = plain(&["--expand", "--expand-paragraphs", "2"]);
    assert!(paragraphs(&with).contains(&3), "{:?}", paragraphs(&with));
    // What the query excludes stays out, also where feedback words alone would match, and
    // also when the exclusion is nested in a conjunction.
    let expanded = |query: &str| {
        let args = ["--any", "-n", "100", "--expand", "--expand-paragraphs", "2"];
        paragraphs(&env.search_json(query, &args).0)
    };
    let excluding = expanded("nuclear deterrence -region");
    assert!(
        !excluding.contains(&3) && excluding.contains(&1),
        "{excluding:?}"
    );
    let nested = expanded("(nuclear -region) AND umbrella");
    assert!(!nested.contains(&3), "{nested:?}");
    let mut first_two = paragraphs(&with)[..2].to_vec();
    first_two.sort_unstable();
    assert_eq!(first_two, [1, 2], "the query's own paragraphs stay first");
    // Batches expand each query.
    let batch = env
        .cmd(&[
            "search",
            "--batch",
            "--json",
            "--any",
            "--expand",
            "--expand-paragraphs",
            "2",
        ])
        .write_stdin("nuclear deterrence\nnuclear deterrence\n")
        .output()
        .expect("run parafind");
    let hits = hits_of(&decode(&batch.stdout))
        .into_iter()
        .filter(|h| h.paragraph == 3)
        .count();
    assert_eq!(hits, 2, "{}", stderr(&batch));
    // A weight outside 0..1 is refused, naming the flag.
    let bad = env.run(&["search", "--expand", "--expand-weight", "2", "nuclear"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--expand-weight"), "{}", stderr(&bad));
}
