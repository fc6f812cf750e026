//! Splitting plain text, Markdown and HTML into passages: offsets and chunks stay valid.
#![no_main]
use libfuzzer_sys::fuzz_target;
use parafind::corpus::{self, Format, MAX_PASSAGE_BYTES};

fuzz_target!(|data: &[u8]| {
    let corpus::Decoded::Text { text, .. } = corpus::decode(data.to_vec()) else {
        return;
    };
    for format in [Format::Plain, Format::Markdown, Format::Html] {
        let parsed = corpus::parse(format, &text);
        for (i, passage) in parsed.passages.iter().enumerate() {
            assert_eq!(passage.number, i as u64 + 1);
            assert!(passage.text.len() <= MAX_PASSAGE_BYTES);
            if format != Format::Html {
                assert_eq!(
                    &text[passage.start..passage.start + passage.text.len()],
                    passage.text
                );
            }
            if let Some(indexed) = &passage.index_text {
                assert_eq!(indexed.len(), passage.text.len());
            }
        }
    }
});
