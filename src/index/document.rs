//! The document ingest hands to tantivy for one passage: its fields borrowed from one struct,
//! so the passage text is held once (tantivy's own document would copy it for the stored text
//! and again for each of the two analysed fields) and the file's key, source and title are
//! shared by all its passages.

use std::sync::Arc;

use tantivy::schema::document::{Document, ReferenceValue, ReferenceValueLeaf, Value};
use tantivy::schema::Field;

use super::queue::Ticket;
use super::schema::Fields;

/// What a passage's fields hold, in schema terms; see [`super::schema`] for each field.
#[derive(Debug)]
pub struct PassageDoc {
    /// The schema's fields.
    pub fields: Fields,
    /// The document key (`path`).
    pub key: Arc<str>,
    /// The source file's key (stored and indexed only when it differs from `key`).
    pub source: Arc<str>,
    /// 1-based passage number within the document.
    pub paragraph: u64,
    /// 1-based line of the passage's start.
    pub line: u64,
    /// Byte offset of the passage in the file.
    pub byte_offset: u64,
    /// Character offset of the passage in the file.
    pub char_offset: u64,
    /// The file's size, modification time (ns) and content hash when ingested (the hash is
    /// kept on the first passage only).
    pub stamp: [u64; 3],
    /// Passages of the document (kept on the first passage only).
    pub paragraphs: u64,
    /// The passage as shown.
    pub text: String,
    /// What is indexed, when it differs from `text`, and how many bytes of it come before the
    /// passage.
    pub indexed: Option<(String, usize)>,
    /// Heading path (Markdown).
    pub section: Option<String>,
    /// Document title.
    pub title: Option<Arc<str>>,
    /// Returned to the ingest gate when tantivy has taken the document.
    pub ticket: Option<Ticket>,
}

/// A field value of a [`PassageDoc`].
#[derive(Debug, Clone, Copy)]
pub enum Leaf<'a> {
    /// Text.
    Str(&'a str),
    /// An unsigned number.
    U64(u64),
}

impl<'a> Value<'a> for Leaf<'a> {
    type ArrayIter = std::iter::Empty<Leaf<'a>>;
    type ObjectIter = std::iter::Empty<(&'a str, Leaf<'a>)>;

    fn as_value(&self) -> ReferenceValue<'a, Self> {
        ReferenceValue::Leaf(match *self {
            Leaf::Str(text) => ReferenceValueLeaf::Str(text),
            Leaf::U64(n) => ReferenceValueLeaf::U64(n),
        })
    }
}

/// How many fields a passage can have.
const MAX_FIELDS: usize = 17;

impl Document for PassageDoc {
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
        let body = self.indexed.as_ref().map_or(self.text.as_str(), |(t, _)| t);
        let record = self.source != self.key;
        let first = self.paragraph == 1;
        [
            text(f.path, &self.key),
            text(f.source, &self.source).filter(|_| record),
            number(f.paragraph, self.paragraph),
            number(f.line, self.line),
            number(f.byte_offset, self.byte_offset),
            number(f.char_offset, self.char_offset),
            number(f.file_size, self.stamp[0]),
            number(f.file_mtime, self.stamp[1]),
            number(f.file_hash, self.stamp[2]).filter(|_| first),
            number(f.file_paragraphs, self.paragraphs).filter(|_| first),
            text(f.text, &self.text),
            self.indexed
                .as_ref()
                .map(|(t, _)| (f.index_text, Leaf::Str(t))),
            self.indexed
                .as_ref()
                .filter(|(_, prefix)| *prefix > 0)
                .map(|(_, prefix)| (f.index_prefix, Leaf::U64(*prefix as u64))),
            text(f.body, body),
            text(f.body_exact, body),
            self.section.as_deref().map(|s| (f.section, Leaf::Str(s))),
            self.title.as_deref().map(|t| (f.title, Leaf::Str(t))),
        ]
        .into_iter()
        .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema;
    use tantivy::schema::document::TantivyDocument;

    /// What tantivy's own document would hold for the same passage (as ingest built it before).
    fn expected(doc: &PassageDoc) -> TantivyDocument {
        let f = doc.fields;
        let mut out = TantivyDocument::new();
        out.add_text(f.path, &doc.key);
        if doc.source != doc.key {
            out.add_text(f.source, &doc.source);
        }
        for (field, n) in [
            (f.paragraph, doc.paragraph),
            (f.line, doc.line),
            (f.byte_offset, doc.byte_offset),
            (f.char_offset, doc.char_offset),
            (f.file_size, doc.stamp[0]),
            (f.file_mtime, doc.stamp[1]),
        ] {
            out.add_u64(field, n);
        }
        if doc.paragraph == 1 {
            out.add_u64(f.file_hash, doc.stamp[2]);
            out.add_u64(f.file_paragraphs, doc.paragraphs);
        }
        out.add_text(f.text, &doc.text);
        if let Some((indexed, prefix)) = &doc.indexed {
            out.add_text(f.index_text, indexed);
            if *prefix > 0 {
                out.add_u64(f.index_prefix, *prefix as u64);
            }
        }
        let body = doc.indexed.as_ref().map_or(doc.text.as_str(), |(t, _)| t);
        out.add_text(f.body, body);
        out.add_text(f.body_exact, body);
        if let Some(section) = &doc.section {
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
                    _ => "other".to_string(),
                };
                (field, shown)
            })
            .collect()
    }

    #[test]
    fn holds_the_same_fields_and_values_as_tantivys_document() {
        let fields = Fields::resolve(&schema::schema()).expect("schema");
        let plain = PassageDoc {
            fields,
            key: "/a/b.txt".into(),
            source: "/a/b.txt".into(),
            paragraph: 3,
            line: 7,
            byte_offset: 120,
            char_offset: 118,
            stamp: [4096, 1_700_000_000_000_000_000, 0xfeed],
            paragraphs: 9,
            text: "Seoul and Washington".into(),
            indexed: None,
            section: None,
            title: None,
            ticket: None,
        };
        assert_eq!(as_owned(&plain), as_owned(&expected(&plain)));
        let rich = PassageDoc {
            indexed: Some(("Title\n\nSeoul and Washington".into(), 7)),
            section: Some("Setup > Linux".into()),
            title: Some("Title".into()),
            key: "/a/c.jsonl#7".into(),
            source: "/a/c.jsonl".into(),
            ..plain
        };
        assert_eq!(as_owned(&rich), as_owned(&expected(&rich)));
        let first = PassageDoc {
            paragraph: 1,
            ..rich
        };
        assert_eq!(as_owned(&first), as_owned(&expected(&first)));
        assert_eq!(as_owned(&first).len(), MAX_FIELDS);
    }
}
