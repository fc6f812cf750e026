//! The document ingest hands to tantivy for one paragraph: its fields borrowed from one struct,
//! so the paragraph text is held once (tantivy's own document would copy it for the stored text
//! and again for each of the two analysed fields) and the file's key, source and title are
//! shared by all its paragraphs.
//!
//! A batch's paragraph texts (shown, indexed and heading paths) are held in one buffer
//! ([`BatchText`]). tantivy's indexing thread
//! frees the documents, and glibc frees a block under the lock of the thread that made it: one
//! block per paragraph kept the reading threads and the indexing threads queued on each
//! other's locks (three quarters of an ingest's context switches; BENCHMARKS.md, session 14).
//! One block per batch is freed instead.

use std::ops::Range;
use std::sync::Arc;

use tantivy::schema::document::{Document, ReferenceValue, ReferenceValueLeaf, Value};
use tantivy::schema::Field;

use super::queue::Ticket;
use super::schema::{Fields, PACKED_NUMBERS};

/// What a paragraph's fields hold, in schema terms; see [`super::schema`] for each field.
#[derive(Debug)]
pub struct ParagraphDoc {
    /// The schema's fields.
    pub fields: Fields,
    /// The document key (`path`).
    pub key: Arc<str>,
    /// The source file's key (stored and indexed only when it differs from `key`).
    pub source: Arc<str>,
    /// 1-based paragraph number within the document.
    pub paragraph: u64,
    /// The paragraph's other numbers, packed ([`Numbers::pack`]).
    pub numbers: ([u8; PACKED_NUMBERS], u8),
    /// The paragraph as shown, and what is indexed when it differs: ranges of `texts`.
    pub text: Range<usize>,
    /// What is indexed, when it differs from `text`.
    pub indexed: Option<Range<usize>>,
    /// The text of the batch the document is handed over in ([`BatchText::share`]).
    pub texts: Option<Arc<str>>,
    /// Heading path (Markdown, HTML): a range of `texts`.
    pub section: Option<Range<usize>>,
    /// Document title.
    pub title: Option<Arc<str>>,
    /// Returned to the ingest gate when tantivy has taken the document.
    pub ticket: Option<Ticket>,
}

/// What a paragraph document costs in memory besides its text, in bytes, until tantivy has
/// indexed it: the struct itself (twice: in the batch and in tantivy's operation), its
/// allocations, and tantivy's per-document records (opstamps, field norms, store offsets).
pub const DOC_OVERHEAD: u64 = 512;

/// The memory a paragraph document holds until tantivy has indexed it (about), in bytes: its
/// text, what is indexed and its section, plus [`DOC_OVERHEAD`].
pub fn cost(text: &str, indexed: Option<&str>, section: Option<&str>) -> u64 {
    let owned = text.len() + indexed.map_or(0, str::len) + section.map_or(0, str::len);
    owned as u64 + DOC_OVERHEAD
}

impl ParagraphDoc {
    /// The paragraph as shown.
    pub fn text(&self) -> &str {
        self.slice(&self.text)
    }

    /// What is indexed, when it differs from the text.
    pub fn indexed(&self) -> Option<&str> {
        self.indexed.as_ref().map(|range| self.slice(range))
    }

    /// The heading path, if any.
    pub fn section(&self) -> Option<&str> {
        self.section.as_ref().map(|range| self.slice(range))
    }

    fn slice(&self, range: &Range<usize>) -> &str {
        let texts = self.texts.as_deref().unwrap_or_default();
        texts.get(range.clone()).unwrap_or_default()
    }
}

/// The texts of a batch of documents as they are gathered, in one buffer.
#[derive(Debug, Default)]
pub struct BatchText {
    buffer: String,
}

impl BatchText {
    /// Appends `text`, returning its range for a document of the batch.
    pub fn add(&mut self, text: &str) -> Range<usize> {
        let start = self.buffer.len();
        self.buffer.push_str(text);
        start..self.buffer.len()
    }

    /// Gives `documents`, whose ranges were made by [`BatchText::add`], the buffer, and starts
    /// the next batch's.
    pub fn share(&mut self, documents: &mut [ParagraphDoc]) {
        let texts: Arc<str> = Arc::from(std::mem::take(&mut self.buffer));
        for document in documents {
            document.texts = Some(texts.clone());
        }
    }
}

/// A field value of a [`ParagraphDoc`].
#[derive(Debug, Clone, Copy)]
pub enum Leaf<'a> {
    /// Text.
    Str(&'a str),
    /// An unsigned number.
    U64(u64),
    /// Bytes.
    Bytes(&'a [u8]),
}

impl<'a> Value<'a> for Leaf<'a> {
    type ArrayIter = std::iter::Empty<Leaf<'a>>;
    type ObjectIter = std::iter::Empty<(&'a str, Leaf<'a>)>;

    fn as_value(&self) -> ReferenceValue<'a, Self> {
        ReferenceValue::Leaf(match *self {
            Leaf::Str(text) => ReferenceValueLeaf::Str(text),
            Leaf::U64(n) => ReferenceValueLeaf::U64(n),
            Leaf::Bytes(bytes) => ReferenceValueLeaf::Bytes(bytes),
        })
    }
}

/// How many fields a paragraph can have.
const MAX_FIELDS: usize = 10;

impl Document for ParagraphDoc {
    type Value<'a> = Leaf<'a>;
    type FieldsValuesIter<'a> =
        std::iter::Flatten<std::array::IntoIter<Option<(Field, Leaf<'a>)>, MAX_FIELDS>>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        let f = &self.fields;
        fn text(field: Field, value: &str) -> Option<(Field, Leaf<'_>)> {
            Some((field, Leaf::Str(value)))
        }
        fn number<'a>(field: Field, value: u64) -> Option<(Field, Leaf<'a>)> {
            Some((field, Leaf::U64(value)))
        }
        let (shown, indexed) = (self.text(), self.indexed());
        let body = indexed.unwrap_or(shown);
        let record = self.source != self.key;
        let (numbers, len) = &self.numbers;
        [
            text(f.path, &self.key),
            text(f.source, &self.source).filter(|_| record),
            number(f.paragraph, self.paragraph),
            Some((f.numbers, Leaf::Bytes(&numbers[..usize::from(*len)]))),
            text(f.text, shown),
            indexed.map(|t| (f.index_text, Leaf::Str(t))),
            text(f.body, body),
            text(f.body_exact, body),
            self.section().map(|s| (f.section, Leaf::Str(s))),
            self.title.as_deref().map(|t| (f.title, Leaf::Str(t))),
        ]
        .into_iter()
        .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::{self, Numbers};
    use tantivy::schema::document::TantivyDocument;

    /// What tantivy's own document would hold for the same paragraph.
    fn expected(doc: &ParagraphDoc) -> TantivyDocument {
        let f = doc.fields;
        let mut out = TantivyDocument::new();
        out.add_text(f.path, &doc.key);
        if doc.source != doc.key {
            out.add_text(f.source, &doc.source);
        }
        out.add_u64(f.paragraph, doc.paragraph);
        out.add_bytes(f.numbers, &doc.numbers.0[..usize::from(doc.numbers.1)]);
        out.add_text(f.text, doc.text());
        if let Some(indexed) = doc.indexed() {
            out.add_text(f.index_text, indexed);
        }
        let body = doc.indexed().unwrap_or(doc.text());
        out.add_text(f.body, body);
        out.add_text(f.body_exact, body);
        if let Some(section) = doc.section() {
            out.add_text(f.section, section);
        }
        if let Some(title) = &doc.title {
            out.add_text(f.title, &**title);
        }
        out
    }

    fn as_owned(doc: &impl Document) -> Vec<(Field, String)> {
        doc.iter_fields_and_values()
            .map(|(field, value)| {
                let shown = match value.as_value() {
                    ReferenceValue::Leaf(ReferenceValueLeaf::Str(s)) => format!("str:{s}"),
                    ReferenceValue::Leaf(ReferenceValueLeaf::U64(n)) => format!("u64:{n}"),
                    ReferenceValue::Leaf(ReferenceValueLeaf::Bytes(b)) => format!("bytes:{b:?}"),
                    _ => "other".to_string(),
                };
                (field, shown)
            })
            .collect()
    }

    #[test]
    fn holds_the_same_fields_and_values_as_tantivys_document() {
        let fields = Fields::resolve(&schema::schema()).expect("schema");
        let numbers = Numbers {
            line: 7,
            byte_offset: 120,
            char_offset: 118,
            file_size: 4096,
            file_mtime: 1_700_000_000_000_000_000,
            index_prefix: 0,
            page: 0,
            page_paragraph: 0,
            first: None,
            whole_html: false,
            racy: false,
        };
        let mut batch = BatchText::default();
        let plain_text = batch.add("Seoul and Washington");
        let rich_text = batch.add("Seoul and Washington, again");
        let rich_indexed = batch.add("Title\n\nSeoul and Washington, again");
        let rich_section = batch.add("Setup > Linux");
        let plain = ParagraphDoc {
            fields,
            key: "/a/b.txt".into(),
            source: "/a/b.txt".into(),
            paragraph: 3,
            numbers: numbers.pack(),
            text: plain_text,
            indexed: None,
            texts: None,
            section: None,
            title: None,
            ticket: None,
        };
        let rich = ParagraphDoc {
            fields,
            key: "/a/c.jsonl#7".into(),
            source: "/a/c.jsonl".into(),
            paragraph: 1,
            numbers: Numbers {
                index_prefix: 7,
                first: Some((0xfeed, 9)),
                ..numbers
            }
            .pack(),
            text: rich_text,
            indexed: Some(rich_indexed),
            texts: None,
            section: Some(rich_section),
            title: Some("Title".into()),
            ticket: None,
        };
        let mut documents = [plain, rich];
        batch.share(&mut documents);
        let [plain, rich] = documents;
        // Both hold the one buffer of their batch, each its own part of it.
        assert!(Arc::ptr_eq(
            plain.texts.as_ref().unwrap(),
            rich.texts.as_ref().unwrap()
        ));
        assert_eq!(plain.text(), "Seoul and Washington");
        assert_eq!(rich.text(), "Seoul and Washington, again");
        assert_eq!(rich.indexed(), Some("Title\n\nSeoul and Washington, again"));
        assert_eq!(rich.section(), Some("Setup > Linux"));
        let owned = as_owned(&plain);
        assert_eq!(owned, as_owned(&expected(&plain)));
        assert!(owned.iter().all(|(field, _)| *field != fields.source));
        let owned = as_owned(&rich);
        assert_eq!(owned, as_owned(&expected(&rich)));
        assert_eq!(owned.len(), MAX_FIELDS);
        assert!(owned.contains(&(fields.source, "str:/a/c.jsonl".into())));
    }
}
