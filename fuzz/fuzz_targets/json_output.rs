//! The JSON Lines printer: any hit text, path and highlights give valid JSON, one object a line,
//! whose text decodes to the hit's own, with no invisible format character written raw.
#![no_main]
use libfuzzer_sys::fuzz_target;
use parafind::highlight::Highlight;
use parafind::output::{print_results, Json, PathDisplay, Printer};
use parafind::warning::QueryWarning;
use parafind::{Hit, SearchResults};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let mut highlights = Vec::new();
    let mut at = 0;
    for (i, _) in text.char_indices().step_by(3) {
        if i > at {
            highlights.push(Highlight {
                range: at..i,
                term: text[at..i].to_string(),
            });
        }
        at = i;
    }
    let hit = Hit {
        rank: 1,
        score: 1.0,
        key: format!("/x/{text}"),
        paragraph: 1,
        line: 1,
        byte_offset: 0,
        char_offset: 0,
        page: None,
        text: text.clone(),
        section: Some(text.clone()),
        title: None,
        collection: None,
        highlights,
        before: Vec::new(),
        after: Vec::new(),
        explanation: None,
        file_as_indexed: true,
    };
    let results = SearchResults {
        hits: vec![hit],
        total: 1,
        warnings: vec![QueryWarning::IgnoredWord { word: text.clone() }],
    };
    let mut out = Vec::new();
    let mut printer = Json::new(&mut out, PathDisplay::default());
    print_results(&mut printer, (None, &text), 0.0, &results).unwrap();
    printer.finish(None).unwrap();
    let written = String::from_utf8(out).unwrap();
    // Bidi overrides and line separators are escaped, never written raw.
    assert!(!written.contains(['\u{202E}', '\u{2028}', '\u{2029}', '\u{FEFF}']));
    let mut texts = Vec::new();
    for line in written.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        if record["type"] == "hit" {
            texts.push(record["text"].as_str().unwrap().to_string());
        }
    }
    // The hit's text decodes to the text itself.
    assert_eq!(texts, [text]);
});
