//! The index schema, defined here and nowhere else: one tantivy document per passage.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
};

use tantivy::IndexSettings;

use crate::analysis;

/// The document's key: the canonical absolute path of its file (a path that is not UTF-8 is
/// stored by [`crate::index::path_key`] as its lossy text, a NUL, and the hex of its bytes), or
/// `FILE#ID` for a record of a JSON Lines collection. Stored, fast for sorting.
pub const PATH: &str = "path";
/// The key of the file a collection record came from, on records only (a file's own passages
/// leave it out: their source is their [`PATH`]). Ingest replaces and removes a file's
/// passages by their path and its records by this.
pub const SOURCE: &str = "source";
/// 1-based passage number within the document.
pub const PARAGRAPH: &str = "paragraph";
/// 1-based line where the passage starts.
pub const LINE: &str = "line";
/// Byte offset of the passage's start in the file.
pub const BYTE_OFFSET: &str = "byte_offset";
/// Character (Unicode scalar value) offset of the passage's start in the file.
pub const CHAR_OFFSET: &str = "char_offset";
/// Size in bytes of the source file when it was ingested.
pub const FILE_SIZE: &str = "file_size";
/// Modification time of the source file when it was ingested (nanoseconds since the epoch; 0 for
/// standard input).
pub const FILE_MTIME: &str = "file_mtime";
/// Content hash (XXH3-64) of the source file when it was ingested; on a document's first
/// passage only.
pub const FILE_HASH: &str = "file_hash";
/// Number of passages of the document; on its first passage only.
pub const FILE_PARAGRAPHS: &str = "file_paragraphs";
/// The passage as shown (stored only).
pub const TEXT: &str = "text";
/// What was indexed, when it differs from [`TEXT`] (stored only): markup blanked out, and the
/// document title in front of the first passage.
pub const INDEX_TEXT: &str = "index_text";
/// Bytes at the start of [`INDEX_TEXT`] that come before the passage (the title).
pub const INDEX_PREFIX: &str = "index_prefix";
/// The passage's heading path (`Setup > Linux`), for Markdown (stored only).
pub const SECTION: &str = "section";
/// The document's title (HTML `<title>`, a record's `title`) (stored only).
pub const TITLE: &str = "title";
/// The indexed text as English stems, with positions (the default search).
pub const BODY: &str = "body";
/// The indexed text as exact normalised words, without positions (`--exact`, prefixes, fuzzy).
pub const BODY_EXACT: &str = "body_exact";

/// Version of this schema; stored in the index beside the analyzer version. Version 6: keys
/// have no field norms, and a file's passages are added as one batch (one segment, in order).
/// Version 7: [`SOURCE`] only on records, [`FILE_HASH`] and [`FILE_PARAGRAPHS`] only on first
/// passages (a sixth less stored per passage, and no second key term to index).
pub const VERSION: u32 = 7;

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
    builder.add_u64_field(LINE, STORED);
    builder.add_u64_field(BYTE_OFFSET, STORED);
    builder.add_u64_field(CHAR_OFFSET, STORED);
    builder.add_u64_field(FILE_SIZE, STORED);
    builder.add_u64_field(FILE_MTIME, STORED);
    builder.add_u64_field(FILE_HASH, STORED);
    builder.add_u64_field(FILE_PARAGRAPHS, STORED);
    builder.add_text_field(TEXT, STORED);
    builder.add_text_field(INDEX_TEXT, STORED);
    builder.add_u64_field(INDEX_PREFIX, STORED);
    builder.add_text_field(SECTION, STORED);
    builder.add_text_field(TITLE, STORED);
    // Phrases are matched on stems; exact forms need no positions (see `query::Matcher`).
    let positions = IndexRecordOption::WithFreqsAndPositions;
    builder.add_text_field(BODY, indexed(analysis::ANALYZER, positions));
    builder.add_text_field(
        BODY_EXACT,
        indexed(analysis::EXACT_ANALYZER, IndexRecordOption::WithFreqs),
    );
    builder.build()
}

/// The index settings: tantivy's defaults (LZ4 blocks of 16 KB for stored text), except that
/// each indexing thread compresses its own stored blocks: a dedicated compressor thread per
/// segment only handed blocks back and forth (a third of ingest's context switches) on
/// cores the indexing threads already keep busy.
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
    pub line: Field,
    pub byte_offset: Field,
    pub char_offset: Field,
    pub file_size: Field,
    pub file_mtime: Field,
    pub file_hash: Field,
    pub file_paragraphs: Field,
    pub text: Field,
    pub index_text: Field,
    pub index_prefix: Field,
    pub section: Field,
    pub title: Field,
    pub body: Field,
    pub body_exact: Field,
}

impl Fields {
    /// Resolves the fields in `schema`; `None` when one is missing (a foreign index).
    pub fn resolve(schema: &Schema) -> Option<Fields> {
        let field = |name| schema.get_field(name).ok();
        Some(Fields {
            path: field(PATH)?,
            source: field(SOURCE)?,
            paragraph: field(PARAGRAPH)?,
            line: field(LINE)?,
            byte_offset: field(BYTE_OFFSET)?,
            char_offset: field(CHAR_OFFSET)?,
            file_size: field(FILE_SIZE)?,
            file_mtime: field(FILE_MTIME)?,
            file_hash: field(FILE_HASH)?,
            file_paragraphs: field(FILE_PARAGRAPHS)?,
            text: field(TEXT)?,
            index_text: field(INDEX_TEXT)?,
            index_prefix: field(INDEX_PREFIX)?,
            section: field(SECTION)?,
            title: field(TITLE)?,
            body: field(BODY)?,
            body_exact: field(BODY_EXACT)?,
        })
    }
}
