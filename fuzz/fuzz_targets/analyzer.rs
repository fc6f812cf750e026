//! The analyzer: offsets on character boundaries, in order, within the text; exact words
//! played back from the stemmed analyzer's tape equal the words tokenized afresh, and so do
//! the exact-form field's (played back skipping the words it drops).
#![no_main]
use libfuzzer_sys::fuzz_target;
use parafind::analysis;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for mut analyzer in [analysis::analyzer(), analysis::exact_analyzer()] {
        let mut last = 0;
        for token in analysis::tokens(&mut analyzer, &text) {
            assert!(
                text.is_char_boundary(token.offset_from) && text.is_char_boundary(token.offset_to)
            );
            assert!(token.offset_from < token.offset_to && token.offset_to <= text.len());
            assert!(token.offset_from >= last || token.offset_to > last);
            assert!(token.text.len() <= analysis::MAX_TOKEN_BYTES);
            last = token.offset_from;
        }
    }
    // Played back from the stemmed analyzer's tape, or tokenized afresh (the tape then holds
    // another text): the same tokens, for the exact analyzer and the exact-form field's.
    for mut analyzer in [analysis::exact_analyzer(), analysis::inflected_analyzer()] {
        let mut seen = |text: &str| -> Vec<(String, usize, usize, usize)> {
            analysis::tokens(&mut analyzer, text)
                .into_iter()
                .map(|t| (t.text, t.offset_from, t.offset_to, t.position))
                .collect()
        };
        analysis::tokens(&mut analysis::analyzer(), &text);
        let played = seen(&text);
        analysis::tokens(&mut analysis::analyzer(), "another text");
        let fresh = seen(&text);
        assert_eq!(played, fresh);
    }
    let words = analysis::Analysis::new().words(&text);
    assert!(words.windows(2).all(|w| w[0].position < w[1].position));
});
