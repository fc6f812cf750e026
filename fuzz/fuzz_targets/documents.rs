//! The document readers (PDF, DOCX, ODT, EPUB, `.gz`) on any bytes: cargo fuzz builds with
//! `panic=abort`, so a reader's panic, which `corpus::read` would catch and report as the
//! file's warning, is a crash here; and what they give is paragraphs numbered from 1, none
//! blank, with their pages in order.
#![no_main]
use libfuzzer_sys::fuzz_target;
use parafind::corpus::{read, Content, ParseOptions};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let name = ["a.pdf", "a.docx", "a.odt", "a.epub", "a.md.gz"][usize::from(which) % 5];
    if let Content::Document { parsed, .. } =
        read(Path::new(name), bytes.to_vec(), ParseOptions::default())
    {
        let mut last_page = 0;
        for (i, paragraph) in parsed.paragraphs.iter().enumerate() {
            assert_eq!(paragraph.number, i as u64 + 1);
            assert!(!paragraph.text.trim().is_empty());
            if let Some(place) = paragraph.page {
                assert!(place.page >= last_page && place.paragraph >= 1);
                last_page = place.page;
            }
        }
    }
});
