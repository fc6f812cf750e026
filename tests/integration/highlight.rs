//! Highlighting that follows the query: phrases, exclusions, slop, fuzzy terms, term names and
//! character offsets, snippets, context paragraphs, and what a real terminal receives.

use std::process::Command;

use crate::util::*;

fn hit_for(hits: &[HitRecord], paragraph: u64) -> &HitRecord {
    hits.iter()
        .find(|h| h.paragraph == paragraph)
        .unwrap_or_else(|| panic!("no hit for paragraph {paragraph}"))
}

#[test]
fn a_phrase_is_marked_once_as_a_whole_and_its_words_elsewhere_are_not() {
    let env = Env::essay();
    let (hits, _, _) = env.search_json("\"strategic flexibility\"", &[]);
    assert_eq!(paragraphs(&hits), [5]);
    assert_eq!(hits[0].marked(), ["strategic flexibility"]);
    assert_eq!(hits[0].highlights[0].term, "\"strategic flexibility\"");
    assert!(hits[0].text.contains("shared strategic goal"));
}

#[test]
fn excluded_words_are_never_marked() {
    let env = Env::essay();
    let (hits, _, _) = env.search_json("korea -China", &["-n", "20"]);
    assert!(!hits.is_empty());
    for hit in &hits {
        assert!(
            !hit.text.contains("China"),
            "¶{} contains China",
            hit.paragraph
        );
        assert!(
            hit.marked().iter().all(|m| m.starts_with("Korea")),
            "{:?}",
            hit.marked()
        );
    }
    // A branch that excludes a word does not mark its other words when another branch matched.
    env.write("both.txt", "nuclear talks with China\n");
    env.cmd(&["ingest", "both.txt"]).assert().success();
    let (hits, _, _) = env.search_json("nuclear OR (China -nuclear)", &["--path", "both.txt"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].marked(), ["nuclear"]);
}

#[test]
fn sloppy_phrases_mark_their_words_not_the_gap() {
    let env = Env::essay();
    let (hits, _, status) = env.search_json("\"alliance modern\"~3", &[]);
    assert_eq!(status, 0);
    // ¶2 has "a modernized military alliance": stems match, three moves apart.
    assert_eq!(sorted_paragraphs(&hits), [2, 3, 4, 8]);
    assert_eq!(hit_for(&hits, 2).marked(), ["modernized", "alliance"]);
    assert!(hit_for(&hits, 2).text.contains("forward-looking alliance"));
    for hit in &hits {
        let marked = hit.marked();
        assert_eq!(marked.len(), 2, "¶{}: {marked:?}", hit.paragraph);
        assert!(marked[0].starts_with("modern") && marked[1] == "alliance");
        assert!(hit
            .highlights
            .iter()
            .all(|h| h.term == "\"alliance modern\"~3"));
    }
    let (exact, _, status) = env.search_json("\"alliance modern\"", &[]);
    assert_eq!((exact.len(), status), (0, 1));
}

#[test]
fn fuzzy_terms_find_and_mark_the_real_spelling() {
    let env = Env::essay();
    let (hits, _, _) = env.search_json("Pyongyng~1", &[]);
    assert_eq!(sorted_paragraphs(&hits), [1, 3]);
    assert_eq!(hit_for(&hits, 1).marked(), ["Pyongyang’s"]);
    assert_eq!(hit_for(&hits, 3).marked(), ["Pyongyang"]);
    let (none, _, _) = env.search_json("Pyonyng~1", &[]);
    assert!(none.is_empty());
}

#[test]
fn highlights_carry_character_offsets_and_the_query_part() {
    let env = Env::essay();
    let (hits, _, _) = env.search_json("Pyongyang OR \"South Korea\"", &["-n", "20"]);
    for hit in &hits {
        for span in &hit.highlights {
            let chars: Vec<char> = hit.text.chars().collect();
            let by_chars: String = chars[span.char_start..span.char_end].iter().collect();
            assert_eq!(by_chars, &hit.text[span.start..span.end]);
            assert!(
                ["Pyongyang", "\"South Korea\""].contains(&span.term.as_str()),
                "{}",
                span.term
            );
        }
    }
    let first = hit_for(&hits, 1);
    let span = first
        .highlights
        .iter()
        .find(|s| s.term == "Pyongyang")
        .unwrap();
    // "–" (3 bytes, 1 char) comes before it in paragraph 1.
    assert_eq!(span.start - span.char_start, 2);
}

#[test]
fn snippets_are_sized_by_max_chars_and_full_shows_everything() {
    let env = Env::essay();
    let line_for = |args: &[&str]| -> String {
        let mut all = vec!["search", "--color", "never"];
        all.extend_from_slice(args);
        let out = stdout(&env.run(&all));
        out.lines()
            .find(|l| l.starts_with("¶3,"))
            .unwrap_or_default()
            .to_string()
    };
    let short = line_for(&["--max-chars", "80", "Pyongyang"]);
    let body = short.trim_start_matches("¶3, line 3: ");
    assert!(body.starts_with('…') && body.ends_with('…'), "{short}");
    assert!(body.contains("Pyongyang"));
    assert!(body.trim_matches('…').chars().count() <= 80, "{short}");
    let full = line_for(&["--full", "Pyongyang"]);
    let essay_text = std::fs::read_to_string(essay_path()).unwrap();
    let paragraph3 = essay_text.lines().nth(2).unwrap();
    assert_eq!(full, format!("¶3, line 3: {paragraph3}"));
    // Matches far apart in one paragraph get a window each.
    let two = line_for(&["--max-chars", "120", "Pyongyang Beijing"]);
    assert!(two.matches('…').count() >= 3, "{two}");
    assert!(
        two.contains("Pyongyang") && two.contains("Beijing"),
        "{two}"
    );
}

#[test]
fn context_paragraphs_come_around_each_hit() {
    let env = Env::essay();
    let out = stdout(&env.run(&[
        "search",
        "--color",
        "never",
        "-C",
        "1",
        "\"nuclear sharing\"",
    ]));
    let heads: Vec<String> = out
        .lines()
        .filter(|l| l.starts_with('¶'))
        .map(|l| l.split(' ').take(3).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(heads, ["¶5, line 5-", "¶6, line 6:", "¶7, line 7-"]);
    let colored = stdout(&env.run(&[
        "search",
        "--color",
        "always",
        "-B",
        "1",
        "\"nuclear sharing\"",
    ]));
    assert!(colored.contains("\x1b[2m¶5, line 5-"), "{colored:?}");
    let (records, _) = env.records(&["search", "--json", "-A", "2", "\"nuclear sharing\""]);
    let kinds: Vec<(&str, u64)> = records[..3]
        .iter()
        .map(|r| match r {
            Record::Hit(hit) => ("hit", hit.paragraph),
            Record::Context(Context::OfHit(context)) => ("context", context.paragraph),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(kinds, [("hit", 6), ("context", 7), ("context", 8)]);
    assert!(
        matches!(&records[1], Record::Context(Context::OfHit(c)) if c.rank == 1),
        "{records:?}"
    );
    assert!(
        matches!(&records[3], Record::Summary(Summary::Query(s)) if s.hits == 1),
        "{records:?}"
    );
}

#[test]
fn markers_and_html_mark_matches_without_escape_codes() {
    let env = Env::essay();
    let md = stdout(&env.run(&[
        "search",
        "--highlight",
        "markers",
        "--full",
        "\"nuclear sharing\"",
    ]));
    assert!(md.contains("adaptation of “**nuclear sharing**.”"), "{md}");
    let custom = stdout(&env.run(&[
        "search",
        "--color",
        "always",
        "--highlight",
        "markers",
        "--marker-open",
        "[[",
        "--marker-close",
        "]]",
        "semicond*",
    ]));
    assert!(custom.contains("[[semiconductors]]"), "{custom:?}");
    let none = stdout(&env.run(&[
        "search",
        "--color",
        "always",
        "--highlight",
        "none",
        "semicond*",
    ]));
    assert!(!none.contains("\x1b[1m\x1b[31m"));
    let html = stdout(&env.run(&["search", "--format", "html", "\"nuclear sharing\""]));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("<mark data-term=\"&quot;nuclear sharing&quot;\">nuclear sharing</mark>"),
        "{html}"
    );
    assert!(!html.contains('\x1b'));
}

/// Runs parafind with its stdout on a pseudo-terminal (via `script`), as a user's shell would.
fn on_terminal(env: &Env, args: &[&str], no_color: bool) -> String {
    let binary = assert_cmd::cargo::cargo_bin!("parafind");
    let mut command_line = binary.display().to_string();
    for arg in args {
        command_line.push_str(&format!(" '{arg}'"));
    }
    let mut script = Command::new("script");
    script
        .args(["-q", "-e", "-c", &command_line, "/dev/null"])
        .current_dir(env.dir.path())
        .env("TERM", "xterm-256color")
        .env_remove("PARAFIND_INDEX")
        .env_remove("CLICOLOR_FORCE");
    if no_color {
        script.env("NO_COLOR", "1");
    } else {
        script.env_remove("NO_COLOR");
    }
    let output = script
        .output()
        .expect("`script` (util-linux) runs parafind on a pty");
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn a_terminal_sees_highlight_codes_only_around_matched_words() {
    let env = Env::essay();
    let screen = on_terminal(&env, &["search", "--full", "nuclear -China"], false);
    const OPEN: &str = "\x1b[1m\x1b[31m";
    const CLOSE: &str = "\x1b[0m";
    let mut marked = Vec::new();
    for piece in screen.split(OPEN).skip(1) {
        let end = piece.find(CLOSE).expect("every highlight is closed");
        marked.push(&piece[..end]);
    }
    assert_eq!(marked.len(), 5, "{screen:?}");
    assert!(
        marked.iter().all(|m| m.eq_ignore_ascii_case("nuclear")),
        "{marked:?}"
    );
    // Outside highlights, only the path and location styles appear.
    let mut rest = screen.replace(OPEN, "").replace(CLOSE, "");
    for style in ["\x1b[1m\x1b[35m", "\x1b[32m"] {
        rest = rest.replace(style, "");
    }
    assert!(!rest.contains('\x1b'), "stray escape codes: {rest:?}");
    let plain = on_terminal(&env, &["search", "nuclear"], true);
    assert!(!plain.contains('\x1b'), "NO_COLOR was ignored: {plain:?}");
    assert!(plain.contains("¶6, line 6:"));
}

#[test]
fn snippets_never_cut_a_word_or_a_match_and_show_one_ellipsis_per_gap() {
    let env = Env::new();
    let filler = |word: &str| format!("{word} ").repeat(40);
    let text = format!(
        "{}Seoul and Washington signed {} a treaty of mutual defense {} Seoul again.\n",
        filler("opening"),
        filler("middle"),
        filler("closing")
    );
    env.write("long.txt", &text);
    env.cmd(&["ingest", "long.txt"]).assert().success();
    for (max, query) in [
        ("20", "\"treaty of mutual defense\""),
        ("40", "Seoul treaty"),
        ("70", "Seoul treaty"),
        ("120", "\"treaty of mutual defense\" Seoul"),
    ] {
        let output = env.run(&["search", "--color", "never", "--max-chars", max, query]);
        let line = stdout(&output);
        let body = line
            .lines()
            .find(|l| l.starts_with("¶1,"))
            .unwrap_or_default();
        let body = body.trim_start_matches("¶1, line 1: ");
        assert!(body.contains("treaty"), "{max}: {body}");
        assert!(
            !body.contains("… …") && !body.contains("……"),
            "{max}: {body}"
        );
        if query.starts_with('"') {
            // The phrase is shown whole, even past a budget smaller than it.
            assert!(body.contains("treaty of mutual defense"), "{max}: {body}");
        }
        for piece in body.split('…').map(str::trim).filter(|p| !p.is_empty()) {
            assert!(
                text.contains(piece),
                "{max}: {piece:?} is not a run of the text"
            );
            let words: Vec<&str> = piece.split(' ').collect();
            for word in [words[0], words[words.len() - 1]] {
                let word = word.trim_matches(|c: char| !c.is_alphanumeric());
                assert!(
                    text.split(|c: char| !c.is_alphanumeric())
                        .any(|w| w == word),
                    "{max}: {word:?} is cut"
                );
            }
        }
    }
}

#[test]
fn a_highlight_leaves_out_the_invisible_marks_around_its_word() {
    let env = Env::new();
    env.write(
        "fmt.txt",
        "Bidi \u{202E}left\u{202C} right \u{2066}iso\u{2069} done.\n",
    );
    env.cmd(&["ingest", "fmt.txt"]).assert().success();
    let (hits, _, _) = env.search_json("left iso", &[]);
    assert_eq!(hits[0].marked(), ["left", "iso"]);
}
