//! The index schema, defined here and nowhere else: one tantivy document per paragraph.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
};

use tantivy::schema::Value;
use tantivy::{IndexSettings, TantivyDocument, TantivyError};

use crate::analysis;

/// The document's key: the canonical absolute path of its file (a path that is not UTF-8 is
/// stored by [`crate::index::path_key`] as its lossy text, a NUL, and the hex of its bytes), or
/// `FILE#ID` for a record of a JSON Lines collection. Stored, fast for sorting.
pub const PATH: &str = "path";
/// The key of the file a collection record came from, on records only (a file's own paragraphs
/// leave it out: their source is their [`PATH`]). Ingest replaces and removes a file's
/// paragraphs by their path and its records by this.
pub const SOURCE: &str = "source";
/// 1-based paragraph number within the document.
pub const PARAGRAPH: &str = "paragraph";
/// The paragraph's other numbers, packed in one stored value (see [`Numbers`]): one stored
/// field instead of eight costs less to write at every paragraph and takes less room.
pub const NUMBERS: &str = "numbers";
/// The paragraph as shown (stored only).
pub const TEXT: &str = "text";
/// What was indexed, when it differs from [`TEXT`] (stored only): markup blanked out, and the
/// document title in front of the first paragraph.
pub const INDEX_TEXT: &str = "index_text";
/// The paragraph's heading path (`Setup > Linux`), for Markdown (stored only).
pub const SECTION: &str = "section";
/// The document's title (HTML `<title>`, a record's `title`) (stored only).
pub const TITLE: &str = "title";
/// The indexed text as English stems, with positions (the default search).
pub const BODY: &str = "body";
/// The indexed words that are not their own English stem, exact (normalised), with frequencies
/// and no positions or norms; an irregular key (its stem behind a marker) for each irregular
/// inflection. With [`BODY`] it answers `--exact`, prefix and fuzzy words; its format and
/// lookup are `analysis::exact_forms`'.
pub const BODY_EXACT: &str = "body_exact";

/// Version of this schema; stored in the index beside the analyzer version. Version 6: keys
/// have no field norms, and a file's paragraphs are added as one batch (one segment, in order).
/// Version 7: [`SOURCE`] only on records, and a paragraph's numbers packed in [`NUMBERS`], the
/// file's hash and paragraph count on its first paragraph only. Version 8: [`BODY_EXACT`] holds
/// inflected words only. Version 9: HTML paragraphs are the main content's, placed at their
/// elements' start tags, Markdown list items in order (an index of version 8 holds the old
/// paragraphs of every file it would call unchanged), and [`Numbers`] records an HTML file read
/// whole. Version 10: [`Numbers`] has a PDF paragraph's page and its number on the page; a
/// paragraph extracted from a document (PDF, DOCX, ODT, EPUB) has line 0 (no place in the
/// file's bytes); HTML paragraphs have sections. Version 11: a first paragraph's [`Numbers`]
/// may mark its file's stamp racy.
pub const VERSION: u32 = 11;

/// Builds the schema.
pub fn schema() -> Schema {
    let indexed = |analyzer, record| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(record),
        )
    };
    // Keys are matched whole and never scored: no field norms.
    let key = || {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        )
    };
    let mut builder = Schema::builder();
    builder.add_text_field(PATH, key() | STORED | FAST);
    builder.add_text_field(SOURCE, key() | STORED);
    builder.add_u64_field(PARAGRAPH, STORED | FAST);
    builder.add_bytes_field(NUMBERS, STORED);
    builder.add_text_field(TEXT, STORED);
    builder.add_text_field(INDEX_TEXT, STORED);
    builder.add_text_field(SECTION, STORED);
    builder.add_text_field(TITLE, STORED);
    // Phrases are matched on stems; exact forms need no positions (see `query::Matcher`).
    let positions = IndexRecordOption::WithFreqsAndPositions;
    builder.add_text_field(BODY, indexed(analysis::ANALYZER, positions));
    // Exact forms are scored with the stemmed field's norms (the same token counts).
    builder.add_text_field(
        BODY_EXACT,
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analysis::INFLECTED_ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqs)
                .set_fieldnorms(false),
        ),
    );
    builder.build()
}

/// The index settings: tantivy's defaults (LZ4 blocks of 16 KB for stored text), except that
/// each indexing thread compresses its own stored blocks: a dedicated compressor thread per
/// segment only handed blocks back and forth (a third of ingest's context switches) on
/// cores the indexing threads already keep busy.
///
/// Smaller stored blocks make each hit shown cheaper to read (4 KB: a keyword query's
/// instructions -12%), but ingest compresses more blocks (+1.1% of its instructions) and the
/// index grows (1.19 to 1.29 times the corpus); ingest is the tighter of the two.
pub fn settings() -> IndexSettings {
    IndexSettings {
        docstore_compress_dedicated_thread: false,
        ..IndexSettings::default()
    }
}

/// The schema's fields, resolved once.
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs)] // each field is documented by its name constant above
pub struct Fields {
    pub path: Field,
    pub source: Field,
    pub paragraph: Field,
    pub numbers: Field,
    pub text: Field,
    pub index_text: Field,
    pub section: Field,
    pub title: Field,
    pub body: Field,
    pub body_exact: Field,
}

impl Fields {
    /// The packed numbers of a stored paragraph (an error when they are missing or damaged).
    pub fn stored_numbers(&self, doc: &TantivyDocument) -> tantivy::Result<Numbers> {
        doc.get_first(self.numbers)
            .and_then(|v| v.as_bytes())
            .and_then(Numbers::unpack)
            .ok_or_else(|| {
                TantivyError::InternalError("the stored numbers of a paragraph are damaged".into())
            })
    }

    /// The key of the file a stored paragraph came from: a collection record's stored source,
    /// else the paragraph's own path (`path`).
    pub fn stored_source(&self, doc: &TantivyDocument, path: &str) -> String {
        doc.get_first(self.source)
            .and_then(|v| v.as_str())
            .map_or_else(|| path.to_string(), str::to_string)
    }

    /// Resolves the fields in `schema`; `None` when one is missing (a foreign index).
    pub fn resolve(schema: &Schema) -> Option<Fields> {
        let field = |name| schema.get_field(name).ok();
        Some(Fields {
            path: field(PATH)?,
            source: field(SOURCE)?,
            paragraph: field(PARAGRAPH)?,
            numbers: field(NUMBERS)?,
            text: field(TEXT)?,
            index_text: field(INDEX_TEXT)?,
            section: field(SECTION)?,
            title: field(TITLE)?,
            body: field(BODY)?,
            body_exact: field(BODY_EXACT)?,
        })
    }
}

/// A paragraph's numbers as [`NUMBERS`] packs them: LEB128 varints, in this order (page and
/// page paragraph after the index prefix), with the
/// hash and count only on a document's first paragraph, followed there by its flags when any
/// is set (1: read whole; 2: a racy stamp).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Numbers {
    /// 1-based line where the paragraph starts.
    pub line: u64,
    /// Byte offset of the paragraph's start in the file.
    pub byte_offset: u64,
    /// Character (Unicode scalar value) offset of the paragraph's start in the file.
    pub char_offset: u64,
    /// Size in bytes of the source file when it was ingested.
    pub file_size: u64,
    /// Modification time of the source file when it was ingested (nanoseconds since the epoch;
    /// 0 for standard input).
    pub file_mtime: u64,
    /// Bytes at the start of [`INDEX_TEXT`] that come before the paragraph (the title).
    pub index_prefix: u64,
    /// For a paged document (PDF): the 1-based page, and the paragraph's 1-based number on it;
    /// 0 for other documents.
    pub page: u64,
    /// The paragraph's number on [`Numbers::page`] (0 when there is no page).
    pub page_paragraph: u64,
    /// On a document's first paragraph: the source file's content hash (XXH3-64) when it was
    /// ingested, and the document's number of paragraphs.
    pub first: Option<(u64, u64)>,
    /// On a document's first paragraph: it is an HTML file read whole (every region of the
    /// page, `ParseOptions::whole_html`), so an ingest with the other setting reads it again.
    pub whole_html: bool,
    /// On a document's first paragraph: its file's stamp was too recent to be trusted when it
    /// was read (`corpus::is_racy`), so the next ingest compares its content even when its size
    /// and time are the same.
    pub racy: bool,
}

/// The flags packed after a first paragraph's hash and count.
const WHOLE_HTML: u64 = 1;
const RACY: u64 = 2;

/// The most bytes [`Numbers::pack`] writes: ten varints of at most ten bytes, and a flag.
pub const PACKED_NUMBERS: usize = 101;

impl Numbers {
    /// Packs the numbers; returns the buffer and how many of its bytes are used.
    pub fn pack(&self) -> ([u8; PACKED_NUMBERS], u8) {
        let mut out = [0u8; PACKED_NUMBERS];
        let mut len = 0;
        let mut put = |mut n: u64| {
            while n >= 0x80 {
                out[len] = (n as u8) | 0x80;
                n >>= 7;
                len += 1;
            }
            out[len] = n as u8;
            len += 1;
        };
        put(self.line);
        put(self.byte_offset);
        put(self.char_offset);
        put(self.file_size);
        put(self.file_mtime);
        put(self.index_prefix);
        put(self.page);
        put(self.page_paragraph);
        if let Some((hash, paragraphs)) = self.first {
            put(hash);
            put(paragraphs);
            let whole_html = if self.whole_html { WHOLE_HTML } else { 0 };
            let flags = whole_html | if self.racy { RACY } else { 0 };
            if flags != 0 {
                put(flags);
            }
        }
        (out, len as u8)
    }

    /// Reads packed numbers; `None` when the bytes are not what [`Numbers::pack`] writes.
    pub fn unpack(bytes: &[u8]) -> Option<Numbers> {
        let mut rest = bytes;
        let mut numbers = Numbers {
            line: varint(&mut rest)?,
            byte_offset: varint(&mut rest)?,
            char_offset: varint(&mut rest)?,
            file_size: varint(&mut rest)?,
            file_mtime: varint(&mut rest)?,
            index_prefix: varint(&mut rest)?,
            page: varint(&mut rest)?,
            page_paragraph: varint(&mut rest)?,
            first: None,
            whole_html: false,
            racy: false,
        };
        if !rest.is_empty() {
            numbers.first = Some((varint(&mut rest)?, varint(&mut rest)?));
        }
        if !rest.is_empty() {
            let flags = varint(&mut rest)?;
            if flags == 0 || flags & !(WHOLE_HTML | RACY) != 0 {
                return None;
            }
            numbers.whole_html = flags & WHOLE_HTML != 0;
            numbers.racy = flags & RACY != 0;
        }
        rest.is_empty().then_some(numbers)
    }
}

/// Reads one LEB128 varint off the front of `rest`; `None` when it is cut short or holds more
/// than 64 bits.
fn varint(rest: &mut &[u8]) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, tail) = rest.split_first()?;
        *rest = tail;
        if shift == 63 && byte > 1 {
            return None;
        }
        n |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(n);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn packs_small_numbers_in_a_byte_each() {
        let numbers = Numbers {
            line: 3,
            byte_offset: 127,
            char_offset: 128,
            ..Numbers::default()
        };
        let (buf, len) = numbers.pack();
        assert_eq!(
            &buf[..usize::from(len)],
            &[3, 127, 0x80, 0x01, 0, 0, 0, 0, 0]
        );
        assert_eq!(Numbers::unpack(&buf[..usize::from(len)]), Some(numbers));
    }

    #[test]
    fn rejects_truncated_or_trailing_bytes() {
        let numbers = Numbers {
            first: Some((u64::MAX, 2)),
            whole_html: true,
            racy: true,
            ..Numbers::default()
        };
        let (buf, len) = numbers.pack();
        let packed = &buf[..usize::from(len)];
        assert_eq!(Numbers::unpack(packed), Some(numbers));
        for cut in 0..packed.len() {
            assert_ne!(
                Numbers::unpack(&packed[..cut]),
                Some(numbers),
                "cut at {cut}"
            );
        }
        assert_eq!(Numbers::unpack(&[0, 0, 0, 0, 0, 0, 0]), None, "one of two");
        assert_eq!(Numbers::unpack(&[0xff; 11]), None, "a varint too long");
        assert_eq!(Numbers::unpack(&[]), None);
        // Flags are packed only when one is set, and only the known ones.
        assert_eq!(Numbers::unpack(&[0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0]), None);
        assert_eq!(Numbers::unpack(&[0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 4]), None);
        let racy = Numbers::unpack(&[0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2]);
        assert_eq!(racy.map(|n| (n.racy, n.whole_html)), Some((true, false)));
    }

    proptest! {
        #[test]
        fn unpack_inverts_pack(
            n in proptest::array::uniform8(any::<u64>()),
            first in proptest::option::of((any::<u64>(), any::<u64>())),
            whole_html in any::<bool>(),
            racy in any::<bool>(),
        ) {
            let numbers = Numbers {
                line: n[0],
                byte_offset: n[1],
                char_offset: n[2],
                file_size: n[3],
                file_mtime: n[4],
                index_prefix: n[5],
                page: n[6],
                page_paragraph: n[7],
                first,
                // Recorded on first paragraphs only.
                whole_html: whole_html && first.is_some(),
                racy: racy && first.is_some(),
            };
            let (buf, len) = numbers.pack();
            prop_assert_eq!(Numbers::unpack(&buf[..usize::from(len)]), Some(numbers));
        }

        #[test]
        fn unpack_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..100)) {
            let _ = Numbers::unpack(&bytes);
        }
    }
}
