//! The index schema, defined here and nowhere else: one tantivy document per paragraph.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};

use crate::analysis;

/// Canonical absolute path of the source file (its identity; stored, fast for sorting). A path
/// that is not UTF-8 is stored by [`crate::index::path_key`] as its lossy text, a NUL, and the
/// hex of its bytes, which keeps it exact and unique.
pub const PATH: &str = "path";
/// 1-based paragraph number within the file.
pub const PARAGRAPH: &str = "paragraph";
/// 1-based line where the paragraph starts.
pub const LINE: &str = "line";
/// Byte offset of the paragraph's start in the file.
pub const BYTE_OFFSET: &str = "byte_offset";
/// Character (Unicode scalar value) offset of the paragraph's start in the file.
pub const CHAR_OFFSET: &str = "char_offset";
/// Size in bytes of the source file when it was ingested.
pub const FILE_SIZE: &str = "file_size";
/// Modification time of the source file when it was ingested (nanoseconds since the epoch).
pub const FILE_MTIME: &str = "file_mtime";
/// Number of paragraphs of the source file.
pub const FILE_PARAGRAPHS: &str = "file_paragraphs";
/// The paragraph text: stored, and indexed as English stems with positions (phrases).
pub const TEXT: &str = "text";
/// The paragraph text indexed as exact normalised words with positions (not stored).
pub const TEXT_EXACT: &str = "text_exact";

/// Version of this schema; stored in the index beside the analyzer version.
pub const VERSION: u32 = 3;

/// Builds the schema.
pub fn schema() -> Schema {
    let indexing = |analyzer| {
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions)
    };
    let text = TextOptions::default()
        .set_indexing_options(indexing(analysis::ANALYZER))
        .set_stored();
    let text_exact =
        TextOptions::default().set_indexing_options(indexing(analysis::EXACT_ANALYZER));
    let mut builder = Schema::builder();
    builder.add_text_field(PATH, STRING | STORED | FAST);
    builder.add_u64_field(PARAGRAPH, STORED | FAST);
    builder.add_u64_field(LINE, STORED);
    builder.add_u64_field(BYTE_OFFSET, STORED);
    builder.add_u64_field(CHAR_OFFSET, STORED);
    builder.add_u64_field(FILE_SIZE, STORED);
    builder.add_u64_field(FILE_MTIME, STORED);
    builder.add_u64_field(FILE_PARAGRAPHS, STORED);
    builder.add_text_field(TEXT, text);
    builder.add_text_field(TEXT_EXACT, text_exact);
    builder.build()
}

/// The schema's fields, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// See [`PATH`].
    pub path: Field,
    /// See [`PARAGRAPH`].
    pub paragraph: Field,
    /// See [`LINE`].
    pub line: Field,
    /// See [`BYTE_OFFSET`].
    pub byte_offset: Field,
    /// See [`CHAR_OFFSET`].
    pub char_offset: Field,
    /// See [`FILE_SIZE`].
    pub file_size: Field,
    /// See [`FILE_MTIME`].
    pub file_mtime: Field,
    /// See [`FILE_PARAGRAPHS`].
    pub file_paragraphs: Field,
    /// See [`TEXT`].
    pub text: Field,
    /// See [`TEXT_EXACT`].
    pub text_exact: Field,
}

impl Fields {
    /// Resolves the fields in `schema`; `None` when one is missing (a foreign index).
    pub fn resolve(schema: &Schema) -> Option<Fields> {
        Some(Fields {
            path: schema.get_field(PATH).ok()?,
            paragraph: schema.get_field(PARAGRAPH).ok()?,
            line: schema.get_field(LINE).ok()?,
            byte_offset: schema.get_field(BYTE_OFFSET).ok()?,
            char_offset: schema.get_field(CHAR_OFFSET).ok()?,
            file_size: schema.get_field(FILE_SIZE).ok()?,
            file_mtime: schema.get_field(FILE_MTIME).ok()?,
            file_paragraphs: schema.get_field(FILE_PARAGRAPHS).ok()?,
            text: schema.get_field(TEXT).ok()?,
            text_exact: schema.get_field(TEXT_EXACT).ok()?,
        })
    }
}
