//! Stored-field loading: turning the document addresses a search found into [`Hit`]s (the
//! paragraph as stored, its highlights placed in its text), reading a file's paragraphs by number
//! (context around hits, `show`), and warning when a hit's file changed since it was ingested.

use std::collections::HashMap;
use std::ops::Bound;
use std::path::Path;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query as TantivyQuery, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

use super::{Hit, PagePlace, StoredParagraph};
use crate::analysis::Analysis;
use crate::error::Result;
use crate::highlight::{self, Highlight};
use crate::index::{file_may_exist, file_stamp, key_path, schema, Fields};
use crate::query::Plan;
use crate::warning::{FileNow, IndexFlag, QueryWarning};

/// A hit's matched spans: in its paragraph's text, and in its title when the title was indexed
/// with it.
#[derive(Debug, Default)]
pub(super) struct Marked {
    /// Spans of the paragraph's text.
    pub(super) text: Vec<Highlight>,
    /// Spans of its title.
    pub(super) title: Vec<Highlight>,
}

/// What is stored of a paragraph.
pub(super) struct Stored {
    /// The paragraph's key (its file's, or a collection record's).
    pub(super) path: String,
    /// The key of the file it came from.
    pub(super) source: String,
    /// Size and modification time of the source file at ingest (time 0: no file to check).
    stamp: (u64, u64),
    paragraph: StoredParagraph,
    /// What was indexed, when it differs from `text` (markup blanked, title in front).
    index_text: Option<String>,
    /// Where `text` starts in `index_text`.
    index_prefix: usize,
}

impl Stored {
    /// Whether the paragraph came from a file (not standard input, whose stamp is 0).
    pub(super) fn has_file(&self) -> bool {
        self.stamp.1 != 0
    }

    /// The text that was indexed: `index_text` when it differs from the paragraph's text.
    pub(super) fn indexed(&self) -> &str {
        self.index_text.as_deref().unwrap_or(&self.paragraph.text)
    }

    /// Reads the stored fields of the paragraph at `address`.
    pub(super) fn load(searcher: &Searcher, fields: Fields, address: DocAddress) -> Result<Stored> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let optional = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let numbers = fields.stored_numbers(&doc)?;
        let path = optional(fields.path).unwrap_or_default();
        Ok(Stored {
            source: fields.stored_source(&doc, &path),
            path,
            stamp: (numbers.file_size, numbers.file_mtime),
            paragraph: StoredParagraph {
                paragraph: doc
                    .get_first(fields.paragraph)
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0),
                line: numbers.line,
                byte_offset: numbers.byte_offset,
                char_offset: numbers.char_offset,
                page: (numbers.page > 0).then_some(PagePlace {
                    page: numbers.page,
                    paragraph: numbers.page_paragraph,
                }),
                text: optional(fields.text).unwrap_or_default(),
                section: optional(fields.section),
                title: optional(fields.title),
            },
            index_text: optional(fields.index_text),
            index_prefix: usize::try_from(numbers.index_prefix).unwrap_or(usize::MAX),
        })
    }

    /// The spans of the paragraph that match `plan`, and those of its title when the title was
    /// indexed in front of it (a document's first paragraph): found in what was indexed (markup
    /// blanked, title in front), which has the paragraph's offsets after the title and the
    /// title's first copy at its start. With `case_sensitive`, only the words written with the
    /// query's case are marked.
    pub(super) fn highlights(
        &self,
        analysis: &mut Analysis,
        plan: &Plan,
        case_sensitive: bool,
    ) -> Marked {
        let text = &self.paragraph.text;
        let mut marked = |text: &str| {
            highlight::highlights_with(analysis, plan, text, case_sensitive).unwrap_or_default()
        };
        let mut found = match &self.index_text {
            None => Marked {
                text: marked(text),
                title: Vec::new(),
            },
            Some(indexed) => {
                let prefix = self.index_prefix;
                let spans = marked(indexed);
                let title = self.title_in_front(indexed);
                Marked {
                    // (Spans within the title's first copy, on its characters' boundaries.)
                    title: spans
                        .iter()
                        .filter(|h| title.get(h.range.clone()).is_some())
                        .cloned()
                        .collect(),
                    text: spans
                        .into_iter()
                        .filter(|h| h.range.start >= prefix && h.range.end <= prefix + text.len())
                        .map(|h| Highlight {
                            range: h.range.start - prefix..h.range.end - prefix,
                            term: h.term,
                        })
                        .filter(|h| {
                            text.is_char_boundary(h.range.start)
                                && text.is_char_boundary(h.range.end)
                        })
                        .collect(),
                }
            }
        };
        // In the text shown: an indexed text's invisible fillers are inside its spans' source.
        highlight::without_format_ends(text, &mut found.text);
        if let Some(title) = &self.paragraph.title {
            highlight::without_format_ends(title, &mut found.title);
        }
        found
    }

    /// The part of the stored title that starts `indexed`, where the title was indexed in
    /// front of the paragraph (all of it, or all but the `…` that ends a title stored cut);
    /// empty for a paragraph indexed without its title.
    fn title_in_front<'a>(&'a self, indexed: &str) -> &'a str {
        let Some(title) = self.paragraph.title.as_deref() else {
            return "";
        };
        if self.index_prefix == 0 {
            return "";
        }
        [title, title.strip_suffix('…').unwrap_or_default()]
            .into_iter()
            .find(|t| !t.is_empty() && indexed.starts_with(t) && t.len() < self.index_prefix)
            .unwrap_or_default()
    }

    /// The hit this paragraph makes at `rank` (without context paragraphs).
    pub(super) fn into_hit(
        self,
        rank: usize,
        score: f32,
        highlights: Marked,
        (file_as_indexed, stale): (bool, Option<QueryWarning>),
    ) -> Hit {
        let p = self.paragraph;
        let collection = (self.source != self.path).then_some(self.source);
        Hit {
            rank,
            score,
            key: self.path,
            paragraph: p.paragraph,
            line: p.line,
            byte_offset: p.byte_offset,
            char_offset: p.char_offset,
            page: p.page,
            text: p.text,
            section: p.section,
            title: p.title,
            collection,
            highlights: highlights.text,
            title_highlights: highlights.title,
            before: Vec::new(),
            after: Vec::new(),
            explanation: None,
            file_as_indexed,
            stale,
        }
    }
}

/// Paragraphs `first..=last` of the file with key `key`.
pub(super) fn in_file_range(fields: Fields, key: &str, first: u64, last: u64) -> BooleanQuery {
    let in_file = TermQuery::new(
        Term::from_field_text(fields.path, key),
        IndexRecordOption::Basic,
    );
    let in_range = RangeQuery::new(
        Bound::Included(Term::from_field_u64(fields.paragraph, first)),
        Bound::Included(Term::from_field_u64(fields.paragraph, last)),
    );
    BooleanQuery::new(vec![
        (Occur::Must, Box::new(in_file) as Box<dyn TantivyQuery>),
        (Occur::Must, Box::new(in_range)),
    ])
}

/// The stored paragraphs `first..=last` of the file with key `key`, in order.
pub(super) fn paragraphs_in(
    searcher: &Searcher,
    fields: Fields,
    key: &str,
    first: u64,
    last: u64,
) -> Result<Vec<StoredParagraph>> {
    addresses_in(searcher, fields, key, first, last)?
        .into_iter()
        .map(|address| paragraph_at(searcher, fields, address))
        .collect()
}

/// The stored paragraph at `address`.
pub(super) fn paragraph_at(
    searcher: &Searcher,
    fields: Fields,
    address: DocAddress,
) -> Result<StoredParagraph> {
    Ok(Stored::load(searcher, fields, address)?.paragraph)
}

/// Where the paragraphs `first..=last` of the file with key `key` are, in their order.
pub(super) fn addresses_in(
    searcher: &Searcher,
    fields: Fields,
    key: &str,
    first: u64,
    last: u64,
) -> Result<Vec<DocAddress>> {
    let query = in_file_range(fields, key, first, last);
    let wanted = searcher.search(&query, &Count)?;
    if wanted == 0 {
        return Ok(Vec::new());
    }
    let by_number =
        TopDocs::with_limit(wanted).order_by_fast_field::<u64>(schema::PARAGRAPH, Order::Asc);
    let found = searcher.search(&query, &by_number)?;
    Ok(found.into_iter().map(|(_, address)| address).collect())
}

/// The first stored paragraph of the file with key `key`, when it is indexed.
pub(super) fn first_of(searcher: &Searcher, fields: Fields, key: &str) -> Result<Option<Stored>> {
    let query = in_file_range(fields, key, 1, u64::MAX);
    let by_number =
        TopDocs::with_limit(1).order_by_fast_field::<u64>(schema::PARAGRAPH, Order::Asc);
    match searcher.search(&query, &by_number)?.first() {
        Some((_, address)) => Ok(Some(Stored::load(searcher, fields, *address)?)),
        None => Ok(None),
    }
}

/// The paragraphs just before and just after paragraph `around` of the file with key `key`:
/// up to `before` and `after` of them, in order.
pub(super) fn neighbours(
    searcher: &Searcher,
    fields: Fields,
    key: &str,
    around: u64,
    (before, after): (usize, usize),
) -> Result<(Vec<StoredParagraph>, Vec<StoredParagraph>)> {
    let first = around.saturating_sub(before as u64).max(1);
    let last = around.saturating_add(after as u64);
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for paragraph in paragraphs_in(searcher, fields, key, first, last)? {
        match paragraph.paragraph.cmp(&around) {
            std::cmp::Ordering::Less => before.push(paragraph),
            std::cmp::Ordering::Greater => after.push(paragraph),
            std::cmp::Ordering::Equal => {}
        }
    }
    Ok((before, after))
}

/// The stamps of the files behind hits, read once per file per session.
#[derive(Default)]
pub(super) struct StaleCheck {
    /// What was found of each file during this session, by source key.
    stamps: HashMap<String, Found>,
    /// How the warnings' fix-it commands name the index.
    pub(super) index: IndexFlag,
}

/// What a file's stamp said when it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    /// Its size and modification time.
    Stamp((u64, u64)),
    /// Nothing is there.
    Gone,
    /// Something that is not a file is there (a directory, a link, a pipe).
    NotAFile,
    /// It could not be looked at (a directory the user can no longer read).
    Unreadable,
}

/// What the file with key `source` is now, against the size and modification time it had when
/// it was indexed (`stamp`); `None` when it is as it was, or has no file (time 0: standard
/// input).
pub fn file_now(source: &str, stamp: (u64, u64)) -> Option<FileNow> {
    if stamp.1 == 0 {
        return None;
    }
    against(found(&key_path(source)), stamp)
}

/// What was `found` at a file's path, against the `stamp` it had when it was indexed: `None`
/// when it is as it was.
fn against(found: Found, stamp: (u64, u64)) -> Option<FileNow> {
    match found {
        Found::Gone => Some(FileNow::Gone),
        Found::NotAFile => Some(FileNow::Replaced),
        Found::Unreadable => Some(FileNow::Unreadable),
        Found::Stamp(now) if now != stamp => Some(FileNow::Changed),
        Found::Stamp(_) => None,
    }
}

/// [`file_now`] of each of `files` (in order), each source file looked at once (the records of
/// a collection share theirs).
pub fn files_now(files: &[crate::index::FileEntry]) -> Vec<Option<FileNow>> {
    let mut told: HashMap<&str, Option<FileNow>> = HashMap::new();
    (files.iter())
        .map(|f| {
            *told
                .entry(&f.source)
                .or_insert_with(|| file_now(&f.source, (f.size, f.mtime_ns)))
        })
        .collect()
}

/// What is at `path` now.
fn found(path: &Path) -> Found {
    if std::fs::symlink_metadata(path).is_ok_and(|meta| !meta.is_file()) {
        return Found::NotAFile;
    }
    match file_stamp(path) {
        Some(stamp) => Found::Stamp(stamp),
        None if file_may_exist(path) => Found::Unreadable,
        None => Found::Gone,
    }
}

impl StaleCheck {
    /// Forgets the stamps read so far.
    pub(super) fn forget(&mut self) {
        self.stamps.clear();
    }

    /// A warning when the source file of a paragraph changed or vanished since it was ingested
    /// (documents without a file behind them, such as standard input, are not checked). The
    /// path is shown relative to `base` when under it.
    pub(super) fn warning(&mut self, stored: &Stored, base: Option<&Path>) -> Option<QueryWarning> {
        if stored.stamp.1 == 0 {
            return None;
        }
        let collection = stored.source != stored.path;
        self.compared(&stored.source, stored.stamp, collection, base)
    }

    /// What is at `source`'s path now, looked at once a session.
    fn now(&mut self, source: &str) -> Found {
        if let Some(now) = self.stamps.get(source) {
            return *now;
        }
        let now = found(&key_path(source));
        self.stamps.insert(source.to_string(), now);
        now
    }

    /// What is at `source`'s path now, against the `stamp` it had when it was indexed.
    fn compared(
        &mut self,
        source: &str,
        stamp: (u64, u64),
        collection: bool,
        base: Option<&Path>,
    ) -> Option<QueryWarning> {
        let state = against(self.now(source), stamp)?;
        let path = key_path(source);
        let shown = match base.and_then(|b| path.strip_prefix(b).ok()) {
            Some(relative) => relative.to_path_buf(),
            None => path,
        };
        let index = self.index.clone();
        Some(match state {
            FileNow::Gone => QueryWarning::FileGone { path: shown, index },
            FileNow::Replaced => QueryWarning::FileReplaced { path: shown, index },
            FileNow::Unreadable => QueryWarning::FileUnreadable { path: shown },
            FileNow::Changed => QueryWarning::FileChanged {
                path: shown,
                collection,
                index,
            },
        })
    }
}
