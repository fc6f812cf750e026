//! Splitting plain text, Markdown and HTML into paragraphs: offsets and chunks stay valid.
#![no_main]
use libfuzzer_sys::fuzz_target;
use parafind::corpus::{self, Format, MAX_PARAGRAPH_BYTES};

fuzz_target!(|data: &[u8]| {
    let corpus::Decoded::Text { text, .. } = corpus::decode(data.to_vec()) else {
        return;
    };
    for format in [Format::Plain, Format::Markdown, Format::Html] {
        let parsed = corpus::parse(format, &text);
        for (i, paragraph) in parsed.paragraphs.iter().enumerate() {
            assert_eq!(paragraph.number, i as u64 + 1);
            assert!(paragraph.text.len() <= MAX_PARAGRAPH_BYTES);
            if format != Format::Html {
                assert_eq!(
                    &text[paragraph.start..paragraph.start + paragraph.text.len()],
                    paragraph.text
                );
            }
            if let Some(indexed) = &paragraph.index_text {
                assert_eq!(indexed.len(), paragraph.text.len());
            }
        }
    }
});
