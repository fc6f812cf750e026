//! Searching: parsing and analysing a query, compiling it (`compile`), restricting it to files
//! (`path_filter`), ranking paragraphs by BM25 (ties broken by path, then paragraph number, so
//! results are deterministic) and turning the top documents into [`Hit`]s with their highlights
//! and context (`stored`). Nothing here formats output.
//!
//! A [`Session`] opens the index's reader once and can answer many queries (batch mode).

mod checked;
mod collect;
mod compile;
mod exact;
mod explain;
mod feedback;
mod hits;
mod path_filter;
mod prefix;
mod safe_seek;
mod stored;
mod suggest;

use std::path::{Path, PathBuf};

use tantivy::collector::sort_key::{SortByStaticFastValue, SortByString};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{EnableScoring, Query as TantivyQuery, Scorer, TermQuery};
use tantivy::schema::{IndexRecordOption, Term};
use tantivy::{DocAddress, DocSet, Order, Score, Searcher};

pub use collect::FileMatch;
pub use explain::Explanation;
pub use feedback::Expansion;
pub use hits::Hits;
pub use path_filter::PathFilter;
pub use stored::{file_now, files_now};

use crate::analysis::Analysis;
pub use crate::corpus::PagePlace;

/// A page of the files with matches ([`Session::files_with_matches`]).
#[derive(Debug, Clone, PartialEq)]
pub struct FilesFound {
    /// The files of the page asked for, best first.
    pub files: Vec<FileMatch>,
    /// How many paragraphs match, in all files (every page).
    pub total: u64,
    /// How many of the warnings given with it are about the query (the others, after them,
    /// about files listed that changed or are gone).
    pub about_query: usize,
}
use std::collections::HashSet;

use crate::error::{Error, Result};
use crate::highlight::Highlight;
use crate::index::{schema, ParaIndex};
use crate::query::{self, AnalyzeOptions, MatchKind, Plan, QueryError};
use crate::warning::{IndexFlag, QueryWarning};
use path_filter::FilterCache;
use stored::StaleCheck;

/// The largest number of hits a query may ask for (`-n`, a batch line's `limit`).
pub const MAX_LIMIT: u64 = 1_000_000;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Best score first (ties by path, then paragraph).
    #[default]
    Score,
    /// By path, then paragraph number.
    Path,
}

/// What to search for, and how.
#[derive(Debug, Clone)]
pub struct SearchConfig {
    /// The query, in parafind's syntax (see `parafind --help` and the README), or plain words when `literal`.
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
    /// Hand each file's hits over together (files in the order of their best hit, hits by
    /// rank within a file), for output that shows a file's hits under one heading. Ranks stay
    /// those of the order.
    pub files_together: bool,
    /// Give each hit its score's breakdown ([`Hit::explanation`]).
    pub explain: bool,
    /// Match words only where they are written with the query's case (`-s`).
    pub case_sensitive: bool,
    /// Work out "did you mean" for a query that matches nothing (off when no one will read it).
    pub suggest: bool,
    /// With `any`, keep English stop words among the query's words (they are left out by
    /// default; see `query::STOP_WORDS`).
    pub keep_stop_words: bool,
    /// Expand the query by pseudo-relevance feedback (`--expand`).
    pub expand: Option<Expansion>,
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
            files_together: false,
            explain: false,
            case_sensitive: false,
            suggest: true,
            keep_stop_words: false,
            expand: None,
        }
    }
}

/// A paragraph of a file, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredParagraph {
    /// 1-based paragraph number in the file.
    pub paragraph: u64,
    /// 1-based line where the paragraph starts; 0 for a paragraph extracted from a document
    /// (PDF, DOCX, ODT, EPUB), which has no place in the file's bytes (nor offsets).
    pub line: u64,
    /// Byte offset of the paragraph's start in the file.
    pub byte_offset: u64,
    /// Character offset of the paragraph's start in the file.
    pub char_offset: u64,
    /// Its page, for a paged document (PDF).
    pub page: Option<PagePlace>,
    /// The whole paragraph.
    pub text: String,
    /// Its heading path (Markdown, HTML, DOCX, ODT, EPUB), as a hit's.
    pub section: Option<String>,
    /// Its document's title, as a hit's.
    pub title: Option<String>,
}

/// The paragraphs `parafind show` prints ([`Session::excerpt`]), in order, each read from the
/// index when it is taken: a file of a million paragraphs is never held whole, and a reader
/// that stops early (`| head`) stops the reading.
pub struct Excerpt<'s> {
    searcher: &'s Searcher,
    fields: crate::index::schema::Fields,
    addresses: std::vec::IntoIter<DocAddress>,
}

impl Iterator for Excerpt<'_> {
    type Item = Result<StoredParagraph>;

    fn next(&mut self) -> Option<Self::Item> {
        let address = self.addresses.next()?;
        Some(stored::paragraph_at(self.searcher, self.fields, address))
    }
}

/// One matching paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// 1-based rank in the results (counting skipped hits when paging).
    pub rank: usize,
    /// BM25 score.
    pub score: f32,
    /// The file's key: its canonical absolute path (see [`crate::index::path_key`]); a path
    /// that is not UTF-8 is stored escaped, so show [`Hit::display_path`] instead.
    pub key: String,
    /// 1-based paragraph number in the file.
    pub paragraph: u64,
    /// 1-based line where the paragraph starts; 0 for a paragraph extracted from a document
    /// (PDF, DOCX, ODT, EPUB), which has no place in the file's bytes (nor offsets).
    pub line: u64,
    /// Byte offset of the paragraph's start in the file (in a `.gz` file's decompressed text).
    pub byte_offset: u64,
    /// Character (Unicode scalar value) offset of the paragraph's start in the file.
    pub char_offset: u64,
    /// Its page, for a paged document (PDF).
    pub page: Option<PagePlace>,
    /// The whole paragraph.
    pub text: String,
    /// Its heading path (`Setup > Linux`), for Markdown, HTML, DOCX, ODT and EPUB.
    pub section: Option<String>,
    /// Its document's title (HTML `<title>`, Markdown's leading `# Title`, a record's `title`,
    /// a document format's title).
    pub title: Option<String>,
    /// For a record of a JSON Lines collection (`key` is `COLLECTION#ID`), the collection's key.
    pub collection: Option<String>,
    /// Matched spans of `text`: sorted, non-overlapping, on character boundaries.
    pub highlights: Vec<Highlight>,
    /// Matched spans of `title`, when the title was indexed with this paragraph (its document's
    /// first) and holds words of the query: what made a hit whose text holds none of them.
    pub title_highlights: Vec<Highlight>,
    /// Paragraphs just before this one in the file (when context was asked for), in order.
    pub before: Vec<StoredParagraph>,
    /// Paragraphs just after this one in the file, in order.
    pub after: Vec<StoredParagraph>,
    /// Why it scores what it does, when asked for ([`SearchConfig::explain`]).
    pub explanation: Option<Explanation>,
    /// Whether the file at `key` is as it was when this paragraph was read from it (its size
    /// and time unchanged): places read from the file (a `--vimgrep` column, the text before
    /// the paragraph on its line) are read only then. False for a document read from standard
    /// input, which has no file of its own.
    pub file_as_indexed: bool,
    /// What the file is now when it is not as indexed (changed, gone, replaced, or not to be
    /// looked at), as the query's warnings say it; `None` when it is as indexed or has no file
    /// (standard input).
    pub stale: Option<QueryWarning>,
}

impl Hit {
    /// The file's path as text to show: its key, or for a path that is not UTF-8 the key's
    /// readable form (see [`crate::index::key_text`]).
    pub fn display_path(&self) -> std::borrow::Cow<'_, str> {
        crate::index::key_text(&self.key)
    }

    /// Whether the heading path starts with the document's title (a Markdown file's paragraph
    /// under its title heading): the title is shown as the section's first part, not again.
    pub fn title_starts_section(&self) -> bool {
        match (self.title.as_deref(), self.section.as_deref()) {
            (Some(title), Some(section)) => {
                section == title || section.starts_with(&format!("{title} > "))
            }
            _ => false,
        }
    }

    /// Whether the title matched a query word that the paragraph's text did not (see
    /// [`Hit::title_highlights`]): then the title is part of why this paragraph is a hit, and
    /// printers show it with its words marked.
    pub fn title_tells_more(&self) -> bool {
        self.title_highlights
            .iter()
            .any(|in_title| !self.highlights.iter().any(|h| h.term == in_title.term))
    }
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
    /// The files passing each path filter used so far.
    filters: FilterCache,
    /// The stamps of the files behind hits, for stale-file warnings.
    stale: StaleCheck,
    /// Each segment's path column, opened when equal scores need it.
    path_columns: collect::PathColumns,
    /// The index's files that do not match their checksums, read once the engine first
    /// failed (see [`Session::damage_told`]).
    damaged: Option<Vec<std::path::PathBuf>>,
}

impl<'i> Session<'i> {
    /// Opens a reader on `index`.
    pub fn new(index: &'i ParaIndex) -> Result<Session<'i>> {
        Ok(Session::on(index, index.searcher()?))
    }

    /// A session reading `searcher`, a view of `index` at its last commit when it was opened
    /// ([`ParaIndex::searcher`]): sessions sharing one searcher see the same state, however
    /// many commits come after it (a server's sessions, say).
    pub fn on(index: &'i ParaIndex, searcher: Searcher) -> Session<'i> {
        let path_columns = collect::PathColumns::new(&searcher, |id| index.in_path_order(id));
        Session {
            index,
            searcher,
            analysis: Analysis::new(),
            filters: FilterCache::default(),
            stale: StaleCheck::default(),
            path_columns,
            damaged: None,
        }
    }

    /// `err`, or, when it is the engine's own failure and files of the index do not match
    /// their checksums (read once a session), that damage named instead: what the engine says
    /// of a damaged file is its own debugging text.
    pub fn damage_told(&mut self, err: Error) -> Error {
        if !matches!(err, Error::Tantivy(_) | Error::IndexDamaged { .. }) {
            return err;
        }
        let dir = &self.index.dir;
        let damaged = self
            .damaged
            .get_or_insert_with(|| crate::index::damaged_files(dir).unwrap_or_default());
        match damaged.is_empty() {
            true => err,
            false => Error::ChecksumMismatch {
                path: dir.clone(),
                files: damaged.clone(),
                rebuild: self.index.rebuild_command(),
            },
        }
    }

    /// Forgets the files' stamps read for stale-file warnings, so the next hits' files are
    /// looked at again: for a session that outlives changes to the files (a server's).
    pub fn forget_file_stamps(&mut self) {
        self.stale.forget();
    }

    /// Has the fix-it commands of this session's warnings name the index as `index` says
    /// (`parafind --index DIR remove a.txt`); by default they do not name it.
    pub fn name_index_as(&mut self, index: IndexFlag) {
        self.stale.index = index;
    }

    /// `message` with the commands it quotes naming the index as [`Session::name_index_as`]
    /// asked (`parafind --index DIR ingest notes`).
    pub fn index_named(&self, message: &str) -> String {
        self.stale.index.in_commands(message)
    }

    /// Runs a query and returns its hits, all loaded.
    pub fn search(&mut self, config: &SearchConfig) -> Result<SearchResults> {
        let mut hits = self.hits(config)?;
        let loaded = hits.by_ref().collect::<Result<Vec<Hit>>>()?;
        Ok(SearchResults {
            hits: loaded,
            total: hits.total(),
            warnings: hits.into_warnings(),
        })
    }

    /// Runs a query and ranks its hits, which are loaded (stored text, highlights, context)
    /// one at a time as the returned [`Hits`] is iterated, so output can start at once and
    /// memory holds one hit however many are asked for.
    pub fn hits(&mut self, config: &SearchConfig) -> Result<Hits<'_, 'i>> {
        let prepared = self.prepare(config)?;
        let (total, top) = self.top_docs(&prepared, config)?;
        let mut ranked = hits::numbered(top, config.offset);
        if config.files_together {
            let (searcher, paths) = (&self.searcher, &self.path_columns);
            let fields = self.index.fields;
            ranked = hits::files_together(ranked, |address| {
                collect::path_of(searcher, paths, fields, address)
            })?;
        }
        let found = (total as u64, prepared.warnings);
        // One weight explains every hit (a prefix or fuzzy word is looked up once).
        let explain = match config.explain {
            true => {
                let scoring = EnableScoring::enabled_from_searcher(&self.searcher);
                Some(prepared.query.weight(scoring)?)
            }
            false => None,
        };
        Ok(Hits::new(
            self,
            config,
            (prepared.plan, explain),
            ranked,
            found,
        ))
    }

    /// Counts the paragraphs matching a query.
    pub fn count(&mut self, config: &SearchConfig) -> Result<(u64, Vec<QueryWarning>)> {
        let prepared = self.prepare(config)?;
        let total = self.searcher.search(&*prepared.query, &Count)?;
        Ok((total as u64, prepared.warnings))
    }

    /// The files with matching paragraphs, best first (by their best paragraph's score): the
    /// page the config asks for, and how many paragraphs match in all files.
    pub fn files_with_matches(
        &mut self,
        config: &SearchConfig,
    ) -> Result<(FilesFound, Vec<QueryWarning>)> {
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
        let total = files.iter().map(|file| file.matches).sum();
        let files: Vec<FileMatch> = files
            .into_iter()
            .skip(config.offset)
            .take(config.limit)
            .collect();
        // A file listed that changed, is gone, or was replaced by a directory or a link, is
        // said to be.
        let about_query = prepared.warnings.len();
        let warnings = self.presence_warnings(&files, prepared.warnings, config.base.as_deref())?;
        let found = FilesFound {
            files,
            total,
            about_query,
        };
        Ok((found, warnings))
    }

    /// `warnings`, and one for each file of `files` that changed since it was indexed, is gone
    /// or is no longer a file, as a search warns of its hits' files: told by the stamp stored
    /// with the file's listed paragraph, read once per source (a collection's records share
    /// theirs), in document order (neighbouring paragraphs share a stored block).
    fn presence_warnings(
        &mut self,
        files: &[FileMatch],
        mut warnings: Vec<QueryWarning>,
        base: Option<&Path>,
    ) -> Result<Vec<QueryWarning>> {
        let (mut checked, mut collections) = (HashSet::new(), HashSet::new());
        let mut in_store_order: Vec<(usize, &FileMatch)> = files.iter().enumerate().collect();
        in_store_order.sort_by_key(|(_, file)| file.paragraph);
        // Each warning with the place of its file in the list, to be given in list order.
        let mut found = Vec::new();
        for (listed, file) in in_store_order {
            let key = file.path.as_str();
            let record_of_checked = key
                .match_indices('#')
                .any(|(at, _)| collections.contains(&key[..at]));
            if record_of_checked || checked.contains(key) {
                continue;
            }
            let stored = stored::Stored::load(&self.searcher, self.index.fields, file.paragraph)?;
            found.extend(self.stale.warning(&stored, base).map(|w| (listed, w)));
            if stored.source != key {
                collections.insert(stored.source.clone());
            }
            checked.insert(stored.source);
        }
        found.sort_by_key(|(listed, _)| *listed);
        warnings.extend(found.into_iter().map(|(_, warning)| warning));
        Ok(warnings)
    }

    /// How many paragraphs the file with key `key` has in the index (0 when it is not indexed).
    pub fn paragraph_count(&self, key: &str) -> Result<u64> {
        let query = stored::in_file_range(self.index.fields, key, 1, u64::MAX);
        Ok(self.searcher.search(&query, &Count)? as u64)
    }

    /// The paragraphs `first..=last` of the file with key `key`, in order.
    pub fn paragraphs(&self, key: &str, first: u64, last: u64) -> Result<Vec<StoredParagraph>> {
        stored::paragraphs_in(&self.searcher, self.index.fields, key, first, last)
    }

    /// A warning when the file with key `key` changed, vanished or was replaced since it was
    /// indexed (for `parafind show`, which prints what was indexed); paths shown relative to
    /// `base` when under it.
    pub fn file_warning(&mut self, key: &str, base: Option<&Path>) -> Result<Option<QueryWarning>> {
        let first = stored::first_of(&self.searcher, self.index.fields, key)?;
        Ok(first.and_then(|stored| self.stale.warning(&stored, base)))
    }

    /// What `parafind show` prints of the file with key `key` (named `path` by the user): all
    /// its paragraphs, or paragraph `number` with up to `before` and `after` neighbours, read
    /// one at a time as they are taken. A file that is not indexed, or has no paragraph
    /// `number`, is an error naming `path`.
    pub fn excerpt(
        &self,
        key: &str,
        path: &Path,
        number: Option<u64>,
        (before, after): (usize, usize),
    ) -> Result<Excerpt<'_>> {
        let (first, last) = match number {
            None => (1, u64::MAX),
            Some(n) => (
                n.saturating_sub(before as u64).max(1),
                n.saturating_add(after as u64),
            ),
        };
        let fields = self.index.fields;
        let addresses = stored::addresses_in(&self.searcher, fields, key, first, last)?;
        let found = match number {
            None => !addresses.is_empty(),
            Some(n) => {
                let query = stored::in_file_range(fields, key, n, n);
                self.searcher.search(&query, &Count)? > 0
            }
        };
        if found {
            return Ok(Excerpt {
                searcher: &self.searcher,
                fields,
                addresses: addresses.into_iter(),
            });
        }
        let paragraphs = self.paragraph_count(key)?;
        if paragraphs == 0 {
            return Err(self.not_shown(key, path)?);
        }
        let path = path.to_path_buf();
        Err(match (paragraphs, number) {
            (0, _) | (_, None) => Error::NotIndexed { path },
            (paragraphs, Some(paragraph)) => Error::NoSuchParagraph {
                path,
                paragraph,
                paragraphs,
            },
        })
    }

    /// Why nothing of `key` (named `path`) is shown: it is a collection (shown by its records),
    /// a record its collection does not have, or nothing the index holds.
    fn not_shown(&self, key: &str, path: &Path) -> Result<Error> {
        let records_of = |source: &str| -> Result<usize> {
            let query = TermQuery::new(
                Term::from_field_text(self.index.fields.source, source),
                IndexRecordOption::Basic,
            );
            Ok(self.searcher.search(&query, &Count)?)
        };
        let path_buf = path.to_path_buf();
        if records_of(key)? > 0 {
            return Ok(Error::IsCollection { path: path_buf });
        }
        // The longest collection the key would be a record of (ids may hold `#`).
        for (at, _) in key.rmatch_indices('#') {
            let (collection, id) = (&key[..at], &key[at + 1..]);
            if records_of(collection)? > 0 {
                return Ok(Error::NoSuchRecord {
                    collection: crate::index::collection_as_named(path, collection, id),
                    path: path_buf,
                    id: id.to_string(),
                });
            }
        }
        Ok(Error::NotIndexed { path: path_buf })
    }

    /// Parses, analyses and compiles a query, with its path filters applied.
    fn prepare(&mut self, config: &SearchConfig) -> Result<Prepared> {
        let (rest, globs) = parsed(config)?;
        // Whether it requires words a `+` marks (see `Analyzed::requires`).
        let mut required = false;
        let options = AnalyzeOptions {
            exact: config.exact,
            split_words: config.any,
            drop_stop_words: config.any && !config.keep_stop_words,
        };
        let mut warnings = Vec::new();
        let plan = match &rest {
            Some(rest) => {
                let analyzed = query::analyze(&config.query, rest, &mut self.analysis, options)?;
                required = analyzed.requires;
                for word in analyzed.dropped {
                    warnings.push(QueryWarning::IgnoredWord { word });
                }
                for (word, symbol, negation) in analyzed.symbols {
                    warnings.push(QueryWarning::UnsearchedSymbol {
                        word,
                        symbol,
                        negation,
                    });
                }
                let too_long = !analyzed.too_long.is_empty();
                for word in analyzed.too_long {
                    warnings.push(QueryWarning::LongWord { word });
                }
                match analyzed.plan {
                    Some(plan) => Some(plan),
                    None if too_long => return Err(only_long_words(&config.query)),
                    None => return Err(no_words(&config.query)),
                }
            }
            None if globs.is_empty() => return Err(no_words(&config.query)),
            None => None,
        };
        // A checked plan leaves its negations to the check (see `checked::candidates`).
        let candidates = plan
            .as_ref()
            .filter(|plan| needs_check(plan, config))
            .map(checked::candidates);
        let asked = candidates.as_ref().map_or(plan.as_ref(), Option::as_ref);
        let compiled: Box<dyn TantivyQuery> = match asked {
            Some(asked) => compile::compile(asked, self.index.fields)?,
            // No words to ask for (a path filter alone, or negations alone under a check,
            // `-s -Apple`): every paragraph, adding nothing to a score.
            None => compile::every_paragraph(),
        };
        let filters: Vec<PathFilter> = [
            config.paths.clone(),
            (!globs.is_empty())
                .then(|| PathFilter::new(&globs, config.base.clone()))
                .transpose()?,
        ]
        .into_iter()
        .flatten()
        .collect();
        // Only an expanded query needs the plain one again after its first pass: no copy of
        // the query tree otherwise.
        let expansion = config.expand.zip(plan.clone());
        let (first, original) = match expansion {
            Some(_) => (compiled.box_clone(), Some(compiled)),
            None => (compiled, None),
        };
        let mut prepared = self.restricted(first, plan, config, &filters, false)?;
        if let (Some((expansion, plan)), Some(compiled)) = (expansion, original) {
            let expanded =
                self.expand(compiled, &plan, &prepared, config, (expansion, required))?;
            prepared = self.restricted(expanded, Some(plan), config, &filters, true)?;
            (prepared.prune, prepared.constant) = (false, false);
        }
        prepared.warnings = warnings;
        Ok(prepared)
    }

    /// `compiled` (the plan's query, `expanded` or not) as it is run: with case compared when
    /// asked, and within the path filters.
    fn restricted(
        &mut self,
        mut compiled: Box<dyn TantivyQuery>,
        plan: Option<Plan>,
        config: &SearchConfig,
        filters: &[PathFilter],
        expanded: bool,
    ) -> Result<Prepared> {
        let mut prune = plan.as_ref().is_some_and(prunable);
        let mut constant = plan.as_ref().is_some_and(constant_score);
        if let Some(plan) = plan.as_ref().filter(|plan| needs_check(plan, config)) {
            // An expanded query's added words belong to no part of the plan: it is scored whole.
            let branches = match expanded {
                true => Vec::new(),
                false => checked::branches(plan, self.index.fields)?,
            };
            compiled = Box::new(checked::CheckedQuery::new(
                compiled,
                plan.clone(),
                branches,
                config.case_sensitive,
                self.index.fields,
            ));
            prune = false;
        }
        let roots: Vec<PathBuf> = match filters.is_empty() {
            true => Vec::new(),
            false => self.index.roots().iter().map(|root| root.dir()).collect(),
        };
        for filter in filters {
            compiled = self.filters.restrict(
                &self.searcher,
                self.index.fields,
                compiled,
                filter,
                &roots,
            )?;
            (prune, constant) = (false, false);
        }
        Ok(Prepared {
            query: compiled,
            plan,
            prune,
            constant,
            warnings: Vec::new(),
        })
    }

    /// The query expanded by pseudo-relevance feedback from the best paragraphs `first` finds
    /// (see [`feedback`]).
    fn expand(
        &mut self,
        compiled: Box<dyn TantivyQuery>,
        plan: &Plan,
        first: &Prepared,
        config: &SearchConfig,
        (expansion, required): (Expansion, bool),
    ) -> Result<Box<dyn TantivyQuery>> {
        let mut first_config = config.clone();
        (first_config.limit, first_config.offset) = (expansion.paragraphs, 0);
        first_config.sort = SortOrder::Score;
        let (_, top) = self.top_docs(first, &first_config)?;
        let fields = self.index.fields;
        let terms = feedback::feedback_terms(
            &self.searcher,
            fields,
            &mut self.analysis,
            &top,
            expansion.terms,
        )?;
        let words = feedback::query_stems(plan).len();
        // What the query excludes stays excluded, also where feedback terms alone match.
        let exclusions = required_exclusions(plan)
            .into_iter()
            .map(|inner| compile::excluded(inner, fields))
            .collect::<Result<_>>()?;
        Ok(feedback::expanded(
            compiled,
            words,
            &terms,
            (expansion, config.any && !required),
            exclusions,
            fields,
        ))
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
                let addresses: Vec<DocAddress> = docs.into_iter().map(|(_, a)| a).collect();
                Ok((total, self.scores_of(query, &addresses)?))
            }
        }
    }
}

impl Session<'_> {
    /// The scores of the paragraphs at `addresses` for `query`, in their order: one weight
    /// for all of them and one scorer per segment, moved forward through its paragraphs in
    /// order (a prefix or fuzzy word is looked up once, not once per paragraph).
    fn scores_of(
        &self,
        query: &dyn TantivyQuery,
        addresses: &[DocAddress],
    ) -> Result<Vec<(Score, DocAddress)>> {
        let weight = query.weight(EnableScoring::enabled_from_searcher(&self.searcher))?;
        let mut in_order: Vec<usize> = (0..addresses.len()).collect();
        in_order.sort_by_key(|&i| (addresses[i].segment_ord, addresses[i].doc_id));
        let mut scores = vec![0.0; addresses.len()];
        let mut current: Option<(u32, Box<dyn Scorer>)> = None;
        for i in in_order {
            let address = addresses[i];
            let segment = self.searcher.segment_reader(address.segment_ord);
            if current.as_ref().map(|(ord, _)| *ord) != Some(address.segment_ord) {
                current = Some((address.segment_ord, weight.scorer(segment, 1.0)?));
            }
            let Some((_, scorer)) = current.as_mut() else {
                continue;
            };
            let at = match scorer.doc() {
                doc if doc < address.doc_id => scorer.seek(address.doc_id),
                doc => doc,
            };
            scores[i] = match at == address.doc_id {
                true => scorer.score(),
                // Not where the collector found it (never expected): as explained.
                false => weight.explain(segment, address.doc_id)?.value(),
            };
        }
        Ok(scores.into_iter().zip(addresses.iter().copied()).collect())
    }
}

/// The query of `config` parsed, and its path filters taken out (`path:GLOB`).
fn parsed(config: &SearchConfig) -> Result<(Option<query::syntax::Query>, Vec<String>)> {
    let parsed = if config.literal {
        query::parse_literal(&config.query, config.any)?
    } else {
        query::parse_with(&config.query, config.any)?
    };
    Ok(query::split_path_filters(&config.query, parsed)?)
}

/// Checks the query of `config` as a search would read it, without an index: a query whose
/// syntax is wrong is refused before any other work (an ingest a search would start first).
pub fn check_query(config: &SearchConfig) -> Result<()> {
    let (_, globs) = parsed(config)?;
    if !globs.is_empty() {
        PathFilter::new(&globs, config.base.clone())?;
    }
    Ok(())
}

/// Whether each paragraph the index finds for `plan` must be checked against its text (see
/// `checked`): with case compared, or for a phrase of exact forms.
fn needs_check(plan: &Plan, config: &SearchConfig) -> bool {
    config.case_sensitive || checked::approximate(plan)
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

/// The parts every match of `plan` must not match: its exclusions, and those of the
/// conjunctions it requires (`(rocket -orbit) AND launch` excludes `orbit`), not those inside a
/// disjunction (which exclude from one branch only).
fn required_exclusions(plan: &Plan) -> Vec<&Plan> {
    match plan {
        Plan::Not(inner) => vec![inner],
        Plan::And(parts) => parts.iter().flat_map(required_exclusions).collect(),
        Plan::Match(_) | Plan::Or(_) | Plan::Optional(_) => Vec::new(),
    }
}

/// A query whose only words are longer than any word indexed.
fn only_long_words(query: &str) -> Error {
    Error::Query(QueryError {
        query: query.to_string(),
        column: 0,
        message: format!(
            "its words are longer than {} bytes, the longest word parafind indexes",
            crate::analysis::MAX_TOKEN_BYTES
        ),
    })
}

fn no_words(query: &str) -> Error {
    Error::Query(QueryError {
        query: query.to_string(),
        column: 0,
        message: "it has no searchable words".into(),
    })
}
