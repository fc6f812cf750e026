//! Highlighting a query over a paragraph, and cutting snippets: spans and windows are sorted,
//! disjoint, on character boundaries, and within budget (but for a single highlight longer
//! than it, shown whole). Input: query, a NUL, then the text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use parafind::analysis::Analysis;
use parafind::highlight;
use parafind::output::snippet;
use parafind::query::{self, AnalyzeOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let Some((query_text, text)) = input.split_once('\0') else {
        return;
    };
    let Ok(parsed) = query::parse(query_text) else {
        return;
    };
    let mut analysis = Analysis::new();
    let Ok(analyzed) = query::analyze(
        query_text,
        &parsed,
        &mut analysis,
        AnalyzeOptions::default(),
    ) else {
        return;
    };
    let Some(plan) = analyzed.plan else { return };
    let spans = highlight::highlights(&mut analysis, &plan, text);
    let mut end = 0;
    for span in &spans {
        assert!(span.range.start >= end && span.range.start < span.range.end);
        assert!(text.is_char_boundary(span.range.start) && text.is_char_boundary(span.range.end));
        end = span.range.end;
    }
    // Within budget, but for a single highlight longer than it, which is shown whole.
    let longest = spans
        .iter()
        .map(|s| text[s.range.clone()].chars().count())
        .max()
        .unwrap_or(0);
    for budget in [1, 40, 300] {
        let windows = snippet::windows(text, &spans, budget);
        let total: usize = windows
            .iter()
            .map(|w| text[w.range.clone()].chars().count())
            .sum();
        assert!(total <= budget.max(longest), "{total} > {budget}");
    }
});
