//! Searching: parsing and analysing a query, compiling it (`compile`), ranking paragraphs by
//! BM25 (ties broken by path, then paragraph number, so results are deterministic) and turning
//! the top documents into [`Hit`]s with their highlights and context. Nothing here formats output.
//!
//! A [`Session`] opens the index's reader once and can answer many queries (batch mode).

mod collect;
mod compile;
mod exact;
mod prefix;
mod safe_seek;

use std::collections::{HashMap, HashSet};
use std::ops::Bound;
use std::path::{Path, PathBuf};

use tantivy::collector::sort_key::{SortByStaticFastValue, SortByString};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EnableScoring, Occur, Query as TantivyQuery, RangeQuery,
    TermQuery, TermSetQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::termdict::TermMerger;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

pub use collect::FileMatch;

use crate::analysis::Analysis;
use crate::error::{Error, Result};
use crate::highlight::{self, Highlight};
use crate::index::{key_raw_bytes, key_text, schema, Fields, ParaIndex};
use crate::query::{self, AnalyzeOptions, MatchKind, Plan, QueryError};
use crate::warning::QueryWarning;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Best score first (ties by path, then paragraph).
    #[default]
    Score,
    /// By path, then paragraph number.
    Path,
}

/// Which files a search is limited to: those whose path matches one of the globs, either as an
/// absolute path or relative to `base`.
#[derive(Debug, Clone)]
pub struct PathFilter {
    globs: globset::GlobSet,
    base: Option<PathBuf>,
    patterns: Vec<String>,
}

impl PathFilter {
    /// A filter from glob patterns (`docs/*.md`, `**/notes/**`); `base` is usually the current
    /// directory. An invalid pattern is an error naming it.
    pub fn new(patterns: &[String], base: Option<PathBuf>) -> Result<PathFilter> {
        let mut builder = globset::GlobSetBuilder::new();
        let patterns: Vec<String> = patterns
            .iter()
            .map(|p| anchor(p, base.as_deref()))
            .collect();
        for pattern in &patterns {
            let glob = globset::GlobBuilder::new(pattern)
                .literal_separator(false)
                .build()
                .map_err(|e| Error::InvalidGlob {
                    glob: pattern.clone(),
                    message: e.kind().to_string(),
                })?;
            builder.add(glob);
        }
        let globs = builder.build().map_err(|e| Error::InvalidGlob {
            glob: patterns.join(" "),
            message: e.to_string(),
        })?;
        Ok(PathFilter {
            globs,
            base,
            patterns,
        })
    }

    /// Identifies the filter (its patterns and base) for caching.
    fn cache_key(&self) -> String {
        format!("{:?}\0{}", self.base, self.patterns.join("\0"))
    }

    /// True when the file with this key passes the filter.
    pub fn matches(&self, key: &str) -> bool {
        let path = Path::new(key_text(key));
        if self.globs.is_match(path) {
            return true;
        }
        let relative = self.base.as_deref().and_then(|b| path.strip_prefix(b).ok());
        relative.is_some_and(|r| self.globs.is_match(r))
    }
}

/// A glob as matched: `./x` is `x`, and `../x` (or any `.`/`..` step) becomes an absolute
/// pattern under `base`, with the steps resolved.
fn anchor(pattern: &str, base: Option<&Path>) -> String {
    let stripped = pattern.trim_start_matches("./");
    let has_steps = stripped.split('/').any(|part| part == "." || part == "..");
    match base {
        Some(base) if has_steps => {
            let mut parts: Vec<String> = base
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            for part in stripped.split('/') {
                match part {
                    "." | "" => {}
                    ".." => {
                        if parts.len() > 1 {
                            parts.pop();
                        }
                    }
                    other => parts.push(other.to_string()),
                }
            }
            let joined = parts.join("/");
            joined
                .strip_prefix("//")
                .map_or(joined.clone(), |j| format!("/{j}"))
        }
        _ => stripped.to_string(),
    }
}

/// What to search for, and how.
#[derive(Debug, Clone)]
pub struct SearchConfig {
    /// The query, in parafind's syntax (see [`crate::query`]), or plain words when `literal`.
    pub query: String,
    /// How many hits to return at most (0 returns none, but still counts matches).
    pub limit: usize,
    /// How many of the best hits to skip first (for paging).
    pub offset: usize,
    /// Match exact word forms instead of English stems.
    pub exact: bool,
    /// Read the query as plain words: no operators, quotes or filters.
    pub literal: bool,
    /// Words side by side match if any of them does (ranked by BM25), not only if all do; for
    /// natural-language queries.
    pub any: bool,
    /// How hits are ordered.
    pub sort: SortOrder,
    /// Only files that pass this filter (besides any `path:` in the query).
    pub paths: Option<PathFilter>,
    /// Base directory for relative `path:` globs in the query (usually the current directory).
    pub base: Option<PathBuf>,
    /// Neighbouring paragraphs to return before each hit.
    pub context_before: usize,
    /// Neighbouring paragraphs to return after each hit.
    pub context_after: usize,
}

impl SearchConfig {
    /// A configuration with default options: stemmed words, best first, no filter, no context.
    pub fn new(query: impl Into<String>, limit: usize) -> SearchConfig {
        SearchConfig {
            query: query.into(),
            limit,
            offset: 0,
            exact: false,
            literal: false,
            any: false,
            sort: SortOrder::Score,
            paths: None,
            base: None,
            context_before: 0,
            context_after: 0,
        }
    }
}

/// A paragraph of a file, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// 1-based paragraph number in the file.
    pub paragraph: u64,
    /// 1-based line where the paragraph starts.
    pub line: u64,
    /// Byte offset of the paragraph's start in the file.
    pub byte_offset: u64,
    /// Character offset of the paragraph's start in the file.
    pub char_offset: u64,
    /// The whole paragraph.
    pub text: String,
}

/// One matching paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// 1-based rank in the results (counting skipped hits when paging).
    pub rank: usize,
    /// BM25 score.
    pub score: f32,
    /// The file's key: its canonical absolute path (see [`crate::index::path_key`]).
    pub path: String,
    /// 1-based paragraph number in the file.
    pub paragraph: u64,
    /// 1-based line where the paragraph starts.
    pub line: u64,
    /// Byte offset of the paragraph's start in the file.
    pub byte_offset: u64,
    /// Character (Unicode scalar value) offset of the paragraph's start in the file.
    pub char_offset: u64,
    /// The whole paragraph.
    pub text: String,
    /// Its heading path (`Setup > Linux`), for Markdown.
    pub section: Option<String>,
    /// Its document's title (HTML `<title>`, a record's `title`).
    pub title: Option<String>,
    /// Matched spans of `text`: sorted, non-overlapping, on character boundaries.
    pub highlights: Vec<Highlight>,
    /// Paragraphs just before this one in the file (when context was asked for), in order.
    pub before: Vec<Context>,
    /// Paragraphs just after this one in the file, in order.
    pub after: Vec<Context>,
}

/// The answer to a query.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    /// The hits asked for, in order.
    pub hits: Vec<Hit>,
    /// How many paragraphs match in all.
    pub total: u64,
    /// Things the user should know: ignored query words, files changed since ingest.
    pub warnings: Vec<QueryWarning>,
}

/// A query ready to run: compiled, with its plan for highlighting.
struct Prepared {
    query: Box<dyn TantivyQuery>,
    plan: Option<Plan>,
    /// Whether the query may be ranked with pruning (see [`prunable`]).
    prune: bool,
    /// Whether every match scores the same (see [`constant_score`]).
    constant: bool,
    warnings: Vec<QueryWarning>,
}

/// An open view of an index that answers queries.
pub struct Session<'i> {
    index: &'i ParaIndex,
    searcher: Searcher,
    analysis: Analysis,
    keys: Option<Vec<String>>,
    filters: HashMap<String, Vec<Term>>,
    /// File stamps read during this session, by source key.
    stamps: HashMap<String, Option<(u64, u64)>>,
    /// Each segment's path column, opened when equal scores need it.
    path_columns: collect::PathColumns,
}

impl<'i> Session<'i> {
    /// Opens a reader on `index`.
    pub fn new(index: &'i ParaIndex) -> Result<Session<'i>> {
        let searcher = index.searcher()?;
        let path_columns = collect::PathColumns::new(&searcher, |id| index.in_path_order(id));
        Ok(Session {
            index,
            searcher,
            analysis: Analysis::new(),
            keys: None,
            filters: HashMap::new(),
            stamps: HashMap::new(),
            path_columns,
        })
    }

    /// Runs a query and returns its hits.
    pub fn search(&mut self, config: &SearchConfig) -> Result<SearchResults> {
        let prepared = self.prepare(config)?;
        let fields = self.index.fields;
        let (total, top) = self.top_docs(&prepared, config)?;
        let mut hits = Vec::with_capacity(top.len());
        let mut warnings = prepared.warnings;
        let mut checked: HashSet<String> = HashSet::new();
        for (i, (score, address)) in top.into_iter().enumerate() {
            let stored = load_stored(&self.searcher, fields, address)?;
            if checked.insert(stored.source.clone()) {
                warnings.extend(self.stale(&stored, config.base.as_deref()));
            }
            let highlights = match &prepared.plan {
                Some(plan) => self.highlights(plan, &stored),
                None => Vec::new(),
            };
            let p = stored.paragraph;
            let mut hit = Hit {
                rank: config.offset + i + 1,
                score,
                path: stored.path,
                paragraph: p.paragraph,
                line: p.line,
                byte_offset: p.byte_offset,
                char_offset: p.char_offset,
                text: p.text,
                section: stored.section,
                title: stored.title,
                highlights,
                before: Vec::new(),
                after: Vec::new(),
            };
            if config.context_before > 0 || config.context_after > 0 {
                (hit.before, hit.after) = self.neighbours(&hit, config)?;
            }
            hits.push(hit);
        }
        Ok(SearchResults {
            hits,
            total: total as u64,
            warnings,
        })
    }

    /// The spans of a stored passage that match `plan`: found in what was indexed (markup
    /// blanked, title in front), which has the passage's offsets after the title.
    fn highlights(&mut self, plan: &Plan, stored: &Stored) -> Vec<Highlight> {
        let Some(indexed) = &stored.index_text else {
            return highlight::highlights(&mut self.analysis, plan, &stored.paragraph.text);
        };
        let prefix = stored.index_prefix;
        let len = stored.paragraph.text.len();
        highlight::highlights(&mut self.analysis, plan, indexed)
            .into_iter()
            .filter(|h| h.range.start >= prefix && h.range.end <= prefix + len)
            .map(|h| Highlight {
                range: h.range.start - prefix..h.range.end - prefix,
                term: h.term,
            })
            .filter(|h| {
                let text = &stored.paragraph.text;
                text.is_char_boundary(h.range.start) && text.is_char_boundary(h.range.end)
            })
            .collect()
    }

    /// Counts the paragraphs matching a query.
    pub fn count(&mut self, config: &SearchConfig) -> Result<(u64, Vec<QueryWarning>)> {
        let prepared = self.prepare(config)?;
        let total = self.searcher.search(&*prepared.query, &Count)?;
        Ok((total as u64, prepared.warnings))
    }

    /// The files with matching paragraphs, best first (by their best paragraph's score).
    pub fn files_with_matches(
        &mut self,
        config: &SearchConfig,
    ) -> Result<(Vec<FileMatch>, Vec<QueryWarning>)> {
        let prepared = self.prepare(config)?;
        let mut files = self.searcher.search(
            &*prepared.query,
            &collect::FilesCollector {
                paths: &self.path_columns,
            },
        )?;
        if config.sort == SortOrder::Path {
            files.sort_by(|a, b| a.path.cmp(&b.path));
        }
        let files = files
            .into_iter()
            .skip(config.offset)
            .take(config.limit)
            .collect();
        Ok((files, prepared.warnings))
    }

    /// How many paragraphs the file with key `key` has in the index (0 when it is not indexed).
    pub fn paragraph_count(&self, key: &str) -> Result<u64> {
        let query = in_file_range(self.index.fields, key, 1, u64::MAX);
        Ok(self.searcher.search(&query, &Count)? as u64)
    }

    /// The paragraphs `first..=last` of the file with key `key`, in order.
    pub fn paragraphs(&self, key: &str, first: u64, last: u64) -> Result<Vec<Context>> {
        paragraphs_in(&self.searcher, self.index.fields, key, first, last)
    }

    /// Parses, analyses and compiles a query, with its path filters applied.
    fn prepare(&mut self, config: &SearchConfig) -> Result<Prepared> {
        let parsed = if config.literal {
            query::parse_literal(&config.query, config.any)?
        } else {
            query::parse_with(&config.query, config.any)?
        };
        let (rest, globs) = query::split_path_filters(&config.query, parsed)?;
        let options = AnalyzeOptions {
            exact: config.exact,
            split_words: config.any,
        };
        let mut warnings = Vec::new();
        let plan = match &rest {
            Some(rest) => {
                let analyzed = query::analyze(&config.query, rest, &mut self.analysis, options)?;
                for word in analyzed.dropped {
                    warnings.push(QueryWarning::IgnoredWord { word });
                }
                match analyzed.plan {
                    Some(plan) => Some(plan),
                    None => return Err(no_words(&config.query)),
                }
            }
            None if globs.is_empty() => return Err(no_words(&config.query)),
            None => None,
        };
        let mut compiled: Box<dyn TantivyQuery> = match &plan {
            Some(plan) => compile::compile(plan, self.index.fields)?,
            None => Box::new(AllQuery),
        };
        let filters = [
            config.paths.clone(),
            (!globs.is_empty())
                .then(|| PathFilter::new(&globs, config.base.clone()))
                .transpose()?,
        ];
        let mut prune = plan.as_ref().is_some_and(prunable);
        let mut constant = plan.as_ref().is_some_and(constant_score);
        for filter in filters.into_iter().flatten() {
            compiled = self.filtered(compiled, &filter)?;
            (prune, constant) = (false, false);
        }
        Ok(Prepared {
            query: compiled,
            plan,
            prune,
            constant,
            warnings,
        })
    }

    /// Restricts `query` to the files passing `filter`. The filter adds nothing to a score (a
    /// query that only excludes, whose paragraphs all score 1, scores 0 when filtered). The set
    /// of files is worked out once per session for each filter.
    fn filtered(
        &mut self,
        query: Box<dyn TantivyQuery>,
        filter: &PathFilter,
    ) -> Result<Box<dyn TantivyQuery>> {
        let cache_key = filter.cache_key();
        if !self.filters.contains_key(&cache_key) {
            let path_field = self.index.fields.path;
            let keys: Vec<Term> = self
                .all_keys()?
                .iter()
                .filter(|key| filter.matches(key))
                .map(|key| Term::from_field_text(path_field, key))
                .collect();
            self.filters.insert(cache_key.clone(), keys);
        }
        let keys = self.filters.get(&cache_key).cloned().unwrap_or_default();
        let only_those = BoostQuery::new(Box::new(TermSetQuery::new(keys)), 0.0);
        Ok(Box::new(BooleanQuery::new(vec![
            (Occur::Must, query),
            (Occur::Must, Box::new(only_those)),
        ])))
    }

    /// Every file key in the index (read once per session).
    fn all_keys(&mut self) -> Result<&[String]> {
        if self.keys.is_none() {
            let readers = self
                .searcher
                .segment_readers()
                .iter()
                .map(|segment| segment.inverted_index(self.index.fields.path))
                .collect::<tantivy::Result<Vec<_>>>()?;
            let mut streams = Vec::with_capacity(readers.len());
            for reader in &readers {
                streams.push(reader.terms().stream()?);
            }
            let mut merger = TermMerger::new(streams);
            let mut keys = Vec::new();
            while merger.advance() {
                keys.push(String::from_utf8_lossy(merger.key()).into_owned());
            }
            self.keys = Some(keys);
        }
        Ok(self.keys.as_deref().unwrap_or_default())
    }

    /// The best documents for the config's order, and the number of matches. With `prune`,
    /// matches are counted on their own (a term's count is its document frequency) and the
    /// ranking skips documents that cannot reach the list.
    fn top_docs(
        &self,
        prepared: &Prepared,
        config: &SearchConfig,
    ) -> Result<(usize, Vec<(f32, DocAddress)>)> {
        let (query, prune) = (&*prepared.query, prepared.prune);
        if config.limit == 0 {
            return Ok((self.searcher.search(query, &Count)?, Vec::new()));
        }
        let top = TopDocs::with_limit(config.limit).and_offset(config.offset);
        let by_paragraph = || {
            (
                SortByStaticFastValue::<u64>::for_field(schema::PARAGRAPH),
                Order::Asc,
            )
        };
        let path_order = || (SortByString::for_field(schema::PATH), Order::Asc);
        match config.sort {
            SortOrder::Score => {
                let ranked = collect::TopCollector {
                    searcher: &self.searcher,
                    paths: &self.path_columns,
                    fields: self.index.fields,
                    wanted: config.limit,
                    offset: config.offset,
                    prune,
                    constant_score: prepared.constant,
                };
                // Unpruned, the collector sees every match and counts them itself.
                let (total, docs) = if prune {
                    let total = self.searcher.search(query, &Count)?;
                    (total, self.searcher.search(query, &ranked)?.1)
                } else {
                    let (total, docs) = self.searcher.search(query, &ranked)?;
                    (total as usize, docs)
                };
                let docs = docs
                    .into_iter()
                    .map(|hit| (hit.score, hit.address))
                    .collect();
                Ok((total, docs))
            }
            SortOrder::Path => {
                let ordered = top.order_by((path_order(), by_paragraph()));
                let (total, docs) = self.searcher.search(query, &(Count, ordered))?;
                // Scores of the hits shown, from one weight built for all of them.
                let weight = query.weight(EnableScoring::enabled_from_searcher(&self.searcher))?;
                let mut scored = Vec::with_capacity(docs.len());
                for (_, address) in docs {
                    let segment = self.searcher.segment_reader(address.segment_ord);
                    let score = weight.explain(segment, address.doc_id)?.value();
                    scored.push((score, address));
                }
                Ok((total, scored))
            }
        }
    }

    /// The paragraphs of the hit's file just before and just after it.
    fn neighbours(&self, hit: &Hit, config: &SearchConfig) -> Result<(Vec<Context>, Vec<Context>)> {
        let first = hit
            .paragraph
            .saturating_sub(config.context_before as u64)
            .max(1);
        let last = hit.paragraph.saturating_add(config.context_after as u64);
        let (mut before, mut after) = (Vec::new(), Vec::new());
        for paragraph in self.paragraphs(&hit.path, first, last)? {
            match paragraph.paragraph.cmp(&hit.paragraph) {
                std::cmp::Ordering::Less => before.push(paragraph),
                std::cmp::Ordering::Greater => after.push(paragraph),
                std::cmp::Ordering::Equal => {}
            }
        }
        Ok((before, after))
    }

    /// A warning when the source file of a passage changed or vanished since it was ingested
    /// (checked once per file per session; documents without a file behind them, such as
    /// standard input, are not checked). The path is shown relative to `base` when under it.
    fn stale(&mut self, stored: &Stored, base: Option<&Path>) -> Option<QueryWarning> {
        if stored.stamp.1 == 0 {
            return None;
        }
        let path = key_path(&stored.source);
        let now = match self.stamps.get(&stored.source) {
            Some(now) => *now,
            None => {
                let now = crate::index::file_stamp(&path);
                self.stamps.insert(stored.source.clone(), now);
                now
            }
        };
        let shown = match base.and_then(|b| path.strip_prefix(b).ok()) {
            Some(relative) => relative.to_path_buf(),
            None => path,
        };
        match now {
            None => Some(QueryWarning::FileGone { path: shown }),
            Some(now) if now != stored.stamp => Some(QueryWarning::FileChanged { path: shown }),
            Some(_) => None,
        }
    }
}

/// The file system path of a key (exact, also for paths that are not UTF-8).
pub fn key_path(key: &str) -> PathBuf {
    #[cfg(unix)]
    if let Some(bytes) = key_raw_bytes(key) {
        use std::os::unix::ffi::OsStrExt;
        return PathBuf::from(std::ffi::OsStr::from_bytes(&bytes));
    }
    PathBuf::from(key_text(key))
}

/// Whether a plan is terms joined by AND or by OR, which tantivy can rank with block-max WAND
/// and count cheaply; anything else (phrases, prefixes, exclusions, nesting) is ranked and
/// counted in one pass over its matches.
fn prunable(plan: &Plan) -> bool {
    let term = |plan: &Plan| match plan {
        Plan::Match(m) => {
            // An exact word's weight prunes when it is its stem's postings (`search::exact`)
            // and otherwise offers every match.
            matches!(m.kind, MatchKind::Stemmed | MatchKind::Exact)
                && m.terms.len() == 1
                && m.phrase_stems.is_empty()
        }
        _ => false,
    };
    match plan {
        Plan::And(parts) | Plan::Or(parts) => parts.iter().all(term),
        other => term(other),
    }
}

/// Whether every match of a plan scores the same: a single word set (a prefix, a fuzzy word, a
/// CJK character), which `search::exact`'s word-set query scores as a constant.
fn constant_score(plan: &Plan) -> bool {
    matches!(
        plan,
        Plan::Match(m) if matches!(m.kind, MatchKind::Prefix | MatchKind::Fuzzy(_) | MatchKind::InCjk)
    )
}

/// Runs one query against an open index (a [`Session`] for a single query).
pub fn search(index: &ParaIndex, config: &SearchConfig) -> Result<SearchResults> {
    Session::new(index)?.search(config)
}

fn no_words(query: &str) -> Error {
    Error::Query(QueryError {
        query: query.to_string(),
        column: 0,
        message: "it has no searchable words".into(),
    })
}

/// Paragraphs `first..=last` of the file with key `key`.
fn in_file_range(fields: Fields, key: &str, first: u64, last: u64) -> BooleanQuery {
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

fn paragraphs_in(
    searcher: &Searcher,
    fields: Fields,
    key: &str,
    first: u64,
    last: u64,
) -> Result<Vec<Context>> {
    let query = in_file_range(fields, key, first, last);
    let wanted = searcher.search(&query, &Count)?;
    if wanted == 0 {
        return Ok(Vec::new());
    }
    let by_number =
        TopDocs::with_limit(wanted).order_by_fast_field::<u64>(schema::PARAGRAPH, Order::Asc);
    let mut out = Vec::with_capacity(wanted);
    for (_, address) in searcher.search(&query, &by_number)? {
        out.push(load_paragraph(searcher, fields, address)?.1);
    }
    Ok(out)
}

/// What is stored of a passage.
struct Stored {
    path: String,
    source: String,
    /// Size and modification time of the source file at ingest (time 0: no file to check).
    stamp: (u64, u64),
    paragraph: Context,
    index_text: Option<String>,
    index_prefix: usize,
    section: Option<String>,
    title: Option<String>,
}

fn load_stored(searcher: &Searcher, fields: Fields, address: DocAddress) -> Result<Stored> {
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
        paragraph: Context {
            paragraph: doc
                .get_first(fields.paragraph)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            line: numbers.line,
            byte_offset: numbers.byte_offset,
            char_offset: numbers.char_offset,
            text: optional(fields.text).unwrap_or_default(),
        },
        index_text: optional(fields.index_text),
        index_prefix: usize::try_from(numbers.index_prefix).unwrap_or(usize::MAX),
        section: optional(fields.section),
        title: optional(fields.title),
    })
}

/// A stored paragraph: its file's key and the paragraph.
fn load_paragraph(
    searcher: &Searcher,
    fields: Fields,
    address: DocAddress,
) -> Result<(String, Context)> {
    let stored = load_stored(searcher, fields, address)?;
    Ok((stored.path, stored.paragraph))
}
