//! Path-glob filtering: which files a search is limited to ([`PathFilter`], from `--path` and
//! the query's `path:` globs), and restricting a compiled query to those files' paragraphs,
//! with the index's file keys and each filter's files worked out once per session.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query as TantivyQuery, TermSetQuery};
use tantivy::termdict::TermMerger;
use tantivy::{Searcher, Term};

use crate::error::{Error, Result};
use crate::index::{key_text, resolve_steps, Fields};

/// Which files a search is limited to, by ripgrep's rules for `-g`: a file passes when it
/// matches one of the globs (if any glob is not a `!` exclusion), matches none of the `!`
/// exclusions, and is of one of the types (if any were given). A glob matches a path either as
/// an absolute path or relative to `base` (a file outside it: relative to the directory it was
/// ingested from, see [`PathFilter::passes_within`]); one without a `/` matches a file name at
/// any depth; `*` does not match a `/` (`docs/*.md` is not `docs/old/a.md`), but in a record's
/// id. A file under a directory an exclusion names is left out (`!old`, `!/srv/old`).
#[derive(Debug, Clone)]
pub struct PathFilter {
    include: Option<Globs>,
    exclude: Globs,
    types: Option<ignore::types::Types>,
    base: Option<PathBuf>,
    patterns: Vec<String>,
}

impl PathFilter {
    /// A filter from glob patterns (`docs/*.md`, `**/notes/**`, `!*.html`); `base` is usually
    /// the current directory. An invalid pattern is an error naming it.
    pub fn new(patterns: &[String], base: Option<PathBuf>) -> Result<PathFilter> {
        PathFilter::with_types(patterns, &[], base)
    }

    /// Like [`PathFilter::new`], keeping only files of the `types` too (ripgrep's type names:
    /// `md`, `html`, `rust` ...). An unknown type is an error naming it.
    pub fn with_types(
        patterns: &[String],
        types: &[String],
        base: Option<PathBuf>,
    ) -> Result<PathFilter> {
        let (excluded, included): (Vec<&String>, Vec<&String>) =
            patterns.iter().partition(|p| p.starts_with('!'));
        let excluded: Vec<&str> = excluded.iter().map(|p| &p[1..]).collect();
        let included: Vec<&str> = included.iter().map(|p| p.as_str()).collect();
        let include = match included.is_empty() {
            true => None,
            false => Some(Globs::new(&included, base.as_deref())?),
        };
        let file_types = match types.is_empty() {
            true => None,
            false => Some(crate::corpus::file_types(types)?),
        };
        // Types join the patterns in the cache key, marked so no glob can be mistaken for one.
        let named_types = types.iter().map(|t| format!("\u{1}type:{t}"));
        Ok(PathFilter {
            include,
            exclude: Globs::new(&excluded, base.as_deref())?,
            types: file_types,
            patterns: patterns.iter().cloned().chain(named_types).collect(),
            base,
        })
    }

    /// Identifies the filter (its patterns, types and base) for caching.
    fn cache_key(&self) -> String {
        format!("{:?}\0{}", self.base, self.patterns.join("\0"))
    }

    /// True when the file with this key passes the filter.
    pub fn matches(&self, key: &str) -> bool {
        self.passes(key, None)
    }

    /// True when the document with this key passes the filter: a file by its path, a record
    /// of a JSON Lines collection (`source` is its file's key) by its file's path or its own
    /// key (`r.jsonl#a`), the file's type deciding `-t`.
    pub fn passes(&self, key: &str, source: Option<&str>) -> bool {
        self.passes_within(key, source, &[])
    }

    /// Like [`PathFilter::passes`], in an index built from the directories `roots`: a file
    /// outside the base is matched relative to the deepest of them that holds it, as a walk
    /// of that directory (and `rg -g` there) matches it (`-g '!old'` leaves out
    /// `/srv/notes/old/a.md`, but not all of `/srv/old/`'s files when it is the one ingested).
    pub fn passes_within(&self, key: &str, source: Option<&str>, roots: &[PathBuf]) -> bool {
        let (own_text, source_text) = (key_text(key), source.map(key_text));
        let own = Path::new(own_text.as_ref());
        let file = source_text.as_deref().map_or(own, Path::new);
        // A record's id: what follows its collection's path and `#` in its key.
        let id = (source_text.as_deref())
            .and_then(|source| own_text.strip_prefix(source)?.strip_prefix('#'));
        let matched = |globs: &Globs| {
            let record = id.is_some_and(|id| {
                (globs.records.iter()).any(|(collection, ids)| {
                    self.in_set(collection, file, roots) && ids.is_match(id)
                })
            });
            record
                || self.in_set(&globs.files, own, roots)
                || (source.is_some() && self.in_set(&globs.files, file, roots))
                || self.in_named_dir(&globs.dirs, &globs.absolute_dirs, file, roots)
        };
        let of_type = self
            .types
            .as_ref()
            .is_none_or(|types| types.matched(file, false).is_whitelist());
        let excluded = matched(&self.exclude)
            || self.in_named_dir(&self.exclude.files, &self.exclude.absolute, file, roots);
        of_type && self.include.as_ref().is_none_or(matched) && !excluded
    }

    /// Whether `path` lies in a directory that `set` names (an exclusion's `!old`, `!drafts/*`,
    /// `!/srv/old`; a glob's `docs/`), as rg leaves out what is under a directory it excludes.
    /// Directories are named relative to the base (or the root holding the file, see
    /// [`PathFilter::relative`]); the directories above those, which a walk there never meets,
    /// by the `absolute` globs only.
    fn in_named_dir(
        &self,
        set: &globset::GlobSet,
        absolute: &globset::GlobSet,
        path: &Path,
        roots: &[PathBuf],
    ) -> bool {
        // Looked at for every file of the index: nothing is allocated.
        fn directories(path: &Path) -> impl Iterator<Item = &Path> {
            (path.ancestors().skip(1))
                .filter(|dir| !dir.as_os_str().is_empty() && dir.parent().is_some())
        }
        let named_below = !set.is_empty()
            && (self.relative(path, roots))
                .is_some_and(|relative| directories(relative).any(|d| set.is_match(d)));
        named_below || (!absolute.is_empty() && directories(path).any(|d| absolute.is_match(d)))
    }

    /// `path` relative to the base, or, when it is not under the base, to the deepest of
    /// `roots` that holds it.
    fn relative<'p>(&self, path: &'p Path, roots: &[PathBuf]) -> Option<&'p Path> {
        if let Some(relative) = (self.base.as_deref()).and_then(|b| path.strip_prefix(b).ok()) {
            return Some(relative);
        }
        (roots.iter())
            .filter_map(|root| path.strip_prefix(root).ok())
            .min_by_key(|relative| relative.components().count())
    }

    /// True when `path`, as it is or relative to the base (or its root), is in `set`.
    fn in_set(&self, set: &globset::GlobSet, path: &Path, roots: &[PathBuf]) -> bool {
        set.is_match(path) || self.relative(path, roots).is_some_and(|r| set.is_match(r))
    }
}

/// A filter's globs: for paths, where `*` stops at a `/` as in ripgrep (and `ingest -g`), and,
/// for those naming records (`notes.jsonl#*`), the collection's part as a path's and the id's
/// part, where `*` does not stop: an id may hold a `/` (`notes.jsonl#guides/setup`).
#[derive(Debug, Clone)]
struct Globs {
    /// The globs of files, and of directories (`old`: what is under a directory named so).
    files: globset::GlobSet,
    /// Those of directories only, written with a trailing `/` (`old/`, `node_modules/`), as
    /// in rg and gitignore: what is under such a directory, never a file of that name.
    dirs: globset::GlobSet,
    /// Those of `files` and `dirs` written as absolute paths (`/srv/old`, `../old` resolved),
    /// alone: an exclusion's directories named absolutely.
    absolute: globset::GlobSet,
    /// Those of `dirs` alone written as absolute paths (a glob's own directories: a file glob
    /// such as `/srv/docs/*` names no directory whose files it keeps).
    absolute_dirs: globset::GlobSet,
    records: Vec<(globset::GlobSet, globset::GlobMatcher)>,
}

impl Globs {
    fn new(patterns: &[&str], base: Option<&Path>) -> Result<Globs> {
        let mut records = Vec::new();
        for pattern in patterns {
            // At a `#` outside a class or braces (`*[#]1.txt` names no record); a pattern
            // whose parts are no globs is a path's only.
            let Some(at) = record_mark(pattern) else {
                continue;
            };
            let (collection, id) = (&pattern[..at], &pattern[at + 1..]);
            let ids = globset::GlobBuilder::new(id)
                .literal_separator(false)
                .build();
            if let (Ok(ids), Ok(collections)) = (ids, glob_set(&[collection], base)) {
                records.push((collections, ids.compile_matcher()));
            }
        }
        let (dirs, files): (Vec<&str>, Vec<&str>) =
            patterns.iter().partition(|pattern| pattern.ends_with('/'));
        let dirs: Vec<&str> = (dirs.iter())
            .map(|dir| dir.trim_end_matches('/'))
            .filter(|dir| !dir.is_empty())
            .collect();
        let absolute = absolute_set(files.iter().chain(&dirs), base)?;
        let absolute_dirs = absolute_set(dirs.iter(), base)?;
        Ok(Globs {
            files: glob_set(&files, base)?,
            dirs: glob_set(&dirs, base)?,
            absolute,
            absolute_dirs,
            records,
        })
    }
}

/// The globs of `patterns` that are absolute paths' (`/srv/old`, or `../old` resolved under
/// `base`), as one set.
fn absolute_set<'p>(
    patterns: impl Iterator<Item = &'p &'p str>,
    base: Option<&Path>,
) -> Result<globset::GlobSet> {
    let absolute: Vec<String> = patterns
        .map(|pattern| anchor(pattern, base))
        .filter(|anchored| anchored.starts_with('/'))
        .collect();
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in &absolute {
        builder.add(path_glob(pattern, pattern)?);
    }
    built(builder, &absolute.join(" "))
}

/// The glob `glob` of a path, where `*` does not match a `/`; an error names `written`, the
/// glob as the user wrote it.
fn path_glob(glob: &str, written: &str) -> Result<globset::Glob> {
    globset::GlobBuilder::new(glob)
        .literal_separator(true)
        .build()
        .map_err(|e| Error::InvalidGlob {
            glob: written.to_string(),
            message: e.kind().to_string(),
        })
}

/// The set `builder` holds; an error names `written`, the globs as the user wrote them.
fn built(builder: globset::GlobSetBuilder, written: &str) -> Result<globset::GlobSet> {
    builder.build().map_err(|e| Error::InvalidGlob {
        glob: written.to_string(),
        message: e.to_string(),
    })
}

/// Where a glob's `#` between a collection and a record id stands: the first outside a
/// character class (`[...]`) and braces (`{...}`), a `\\`-escaped one left out.
fn record_mark(pattern: &str) -> Option<usize> {
    let (mut class, mut braces, mut escaped) = (false, 0usize, false);
    for (at, c) in pattern.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' if !class => class = true,
            ']' if class => class = false,
            '{' if !class => braces += 1,
            '}' if !class => braces = braces.saturating_sub(1),
            '#' if !class && braces == 0 => return Some(at),
            _ => {}
        }
    }
    None
}

/// The globs `patterns` as one set: anchored under `base` when they step up (`../x`), and
/// matching at any depth when they name no directory (`*.md`, `notes.txt`); `*` does not
/// match a `/`.
fn glob_set(patterns: &[&str], base: Option<&Path>) -> Result<globset::GlobSet> {
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in patterns {
        let anchored = anchor(pattern, base);
        let anchored = match anchored.contains('/') {
            true => anchored,
            false => format!("**/{anchored}"),
        };
        // A leading `/` anchors a glob at the base, as in rg (`/docs/*.md`), or is an absolute
        // path's (`/srv/**/*.md`): both are tried.
        let at_base = anchored.strip_prefix('/').map(str::to_string);
        for glob in std::iter::once(anchored).chain(at_base) {
            builder.add(path_glob(&glob, pattern)?);
        }
    }
    built(builder, &patterns.join(" "))
}

/// A glob as matched: `./x` is `x`, and `../x` (or any `.`/`..` step) becomes an absolute
/// pattern under `base`, with the steps resolved.
fn anchor(pattern: &str, base: Option<&Path>) -> String {
    let stripped = pattern.trim_start_matches("./");
    let has_steps = stripped.split('/').any(|part| part == "." || part == "..");
    match base {
        Some(base) if has_steps => resolve_steps(base, Path::new(stripped))
            .to_string_lossy()
            .into_owned(),
        _ => stripped.to_string(),
    }
}

/// Filters whose files a session remembers at most.
const MAX_CACHED_FILTERS: usize = 64;

/// The files that pass each filter a session has seen, as terms of the path field.
#[derive(Default)]
pub(super) struct FilterCache {
    /// Every file key in the index (read once, when a filter first needs it).
    keys: Option<Vec<String>>,
    /// The keys of the JSON Lines collections whose records the index holds (read with
    /// `keys`).
    sources: HashSet<String>,
    /// The path terms of the files passing each filter, by [`PathFilter::cache_key`].
    filters: HashMap<String, Vec<Term>>,
}

impl FilterCache {
    /// Restricts `query` to the files passing `filter` in an index built from the directories
    /// `roots` (see [`PathFilter::passes_within`]). The filter adds nothing to a score. The set
    /// of files is worked out once per session for each filter.
    pub(super) fn restrict(
        &mut self,
        searcher: &Searcher,
        fields: Fields,
        query: Box<dyn TantivyQuery>,
        filter: &PathFilter,
        roots: &[PathBuf],
    ) -> Result<Box<dyn TantivyQuery>> {
        let cache_key = filter.cache_key();
        if !self.filters.contains_key(&cache_key) {
            // A long-lived session (a server's) meets filters without end: keep a few.
            if self.filters.len() >= MAX_CACHED_FILTERS {
                self.filters.clear();
            }
            self.all_keys(searcher, fields)?;
            let all = self.keys.as_deref().unwrap_or_default();
            let keys: Vec<Term> = all
                .iter()
                .filter(|key| filter.passes_within(key, record_source(key, &self.sources), roots))
                .map(|key| Term::from_field_text(fields.path, key))
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

    /// Every file key in the index, from the path field's terms, and the collections' keys,
    /// from the source field's (read once per session).
    fn all_keys(&mut self, searcher: &Searcher, fields: Fields) -> Result<()> {
        if self.keys.is_none() {
            self.keys = Some(terms_of(searcher, fields.path)?);
            self.sources = terms_of(searcher, fields.source)?.into_iter().collect();
        }
        Ok(())
    }
}

/// The terms of `field` in every segment of `searcher`, in order, once each.
fn terms_of(searcher: &Searcher, field: tantivy::schema::Field) -> Result<Vec<String>> {
    let readers = searcher
        .segment_readers()
        .iter()
        .map(|segment| segment.inverted_index(field))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let mut streams = Vec::with_capacity(readers.len());
    for reader in &readers {
        streams.push(reader.terms().stream()?);
    }
    let mut merger = TermMerger::new(streams);
    let mut terms = Vec::new();
    while merger.advance() {
        terms.push(String::from_utf8_lossy(merger.key()).into_owned());
    }
    Ok(terms)
}

/// The key of the collection a record's `key` (`FILE#ID`) belongs to, if it is one of
/// `sources` (a file's own path may hold a `#` too: the longest such prefix that is a
/// collection's key).
fn record_source<'k>(key: &'k str, sources: &HashSet<String>) -> Option<&'k str> {
    if sources.is_empty() {
        return None;
    }
    key.match_indices('#')
        .map(|(at, _)| &key[..at])
        .rev()
        .find(|prefix| sources.contains(*prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_absolute_paths_and_paths_under_the_base() {
        let base = Some(PathBuf::from("/home/me"));
        let filter = PathFilter::new(&["docs/*.md".into()], base).unwrap();
        assert!(filter.matches("/home/me/docs/a.md"));
        assert!(!filter.matches("/home/me/notes/a.md"));
        let absolute = PathFilter::new(&["/srv/**/*.txt".into()], None).unwrap();
        assert!(absolute.matches("/srv/a/b.txt"));
    }

    #[test]
    fn globs_follow_ripgreps_rules() {
        let base = Some(PathBuf::from("/home/me"));
        let filter = |globs: &[&str], types: &[&str]| {
            let globs: Vec<String> = globs.iter().map(|g| g.to_string()).collect();
            let types: Vec<String> = types.iter().map(|t| t.to_string()).collect();
            PathFilter::with_types(&globs, &types, base.clone()).unwrap()
        };
        // An exclusion alone keeps everything else.
        let no_markdown = filter(&["!*.md"], &[]);
        assert!(!no_markdown.matches("/home/me/docs/a.md"));
        assert!(no_markdown.matches("/home/me/docs/a.txt"));
        // An excluded directory leaves out what is under it, however deep.
        let no_old = filter(&["!old"], &[]);
        assert!(
            !no_old.matches("/home/me/a/old/b/x.md") && no_old.matches("/home/me/a/older/x.md")
        );
        assert!(
            filter(&["!old"], &[]).matches("/old/x.md"),
            "above the base: not excluded"
        );
        // A trailing `/` names directories only, as in rg and gitignore.
        let no_old_dirs = filter(&["!old/"], &[]);
        assert!(!no_old_dirs.matches("/home/me/a/old/b/x.md"));
        assert!(no_old_dirs.matches("/home/me/a/old") && no_old_dirs.matches("/home/me/a/x.md"));
        let only_docs = filter(&["docs/"], &[]);
        assert!(
            only_docs.matches("/home/me/docs/a.md") && only_docs.matches("/home/me/x/docs/b/c.md")
        );
        assert!(!only_docs.matches("/home/me/docs") && !only_docs.matches("/home/me/a.md"));
        assert!(!filter(&["!/home/me/a/"], &[]).matches("/home/me/a/x.md"));
        // An absolute file glob keeps files, not what is under the directories it names.
        let absolute_files = filter(&["/home/me/docs/*"], &[]);
        assert!(absolute_files.matches("/home/me/docs/a.md"));
        assert!(!absolute_files.matches("/home/me/docs/old/a.md"));
        // A bare name matches at any depth.
        let named = filter(&["notes.txt"], &[]);
        assert!(named.matches("/home/me/notes.txt") && named.matches("/home/me/a/b/notes.txt"));
        assert!(!named.matches("/home/me/a/other.txt"));
        // Whitelists and exclusions together; types on top.
        // `*` stops at a `/`; `**` does not.
        let top = filter(&["docs/*.md"], &[]);
        assert!(top.matches("/home/me/docs/a.md") && !top.matches("/home/me/docs/old/a.md"));
        // A leading `/` anchors at the base (or is an absolute path's).
        let anchored = filter(&["/docs/*.md"], &[]);
        assert!(
            anchored.matches("/home/me/docs/a.md") && !anchored.matches("/home/me/x/docs/a.md")
        );
        assert!(filter(&["/home/me/docs/*.md"], &[]).matches("/home/me/docs/a.md"));
        let deep = filter(&["docs/**/*.md"], &[]);
        assert!(deep.matches("/home/me/docs/a.md") && deep.matches("/home/me/docs/old/a.md"));
        let docs = filter(&["docs/**", "!**/draft*"], &["md"]);
        assert!(docs.matches("/home/me/docs/a.md"));
        assert!(!docs.matches("/home/me/docs/draft-a.md"));
        assert!(!docs.matches("/home/me/docs/a.txt"));
        assert!(!docs.matches("/home/me/src/a.md"));
        let unknown = PathFilter::with_types(&[], &["nosuchtype".into()], None);
        assert!(unknown.is_err());
    }

    #[test]
    fn outside_the_base_globs_are_matched_under_the_root_holding_the_file_or_as_absolute() {
        let base = Some(PathBuf::from("/home/me"));
        let filter = |globs: &[&str]| {
            let globs: Vec<String> = globs.iter().map(|g| g.to_string()).collect();
            PathFilter::new(&globs, base.clone()).unwrap()
        };
        let roots = [PathBuf::from("/srv/notes"), PathBuf::from("/srv/old")];
        let no_old = filter(&["!old"]);
        assert!(!no_old.passes_within("/srv/notes/old/a.md", None, &roots));
        assert!(!no_old.passes_within("/srv/notes/a/old/b/a.md", None, &roots));
        assert!(no_old.passes_within("/srv/notes/a.md", None, &roots));
        // A root named `old` is not a directory under it; nor is one above a root.
        assert!(no_old.passes_within("/srv/old/a.md", None, &roots));
        assert!(no_old.passes_within("/old/x.md", None, &roots));
        // A directory named by its absolute path, wherever the base is.
        let absolute = filter(&["!/srv/notes/old"]);
        assert!(!absolute.matches("/srv/notes/old/b/a.md"));
        assert!(!absolute.passes_within("/srv/notes/old/a.md", None, &roots));
        assert!(absolute.matches("/srv/notes/older/a.md") && absolute.matches("/srv/notes/a.md"));
        let up = PathFilter::new(&["!../notes/old".into()], Some("/srv/work".into())).unwrap();
        assert!(!up.matches("/srv/notes/old/a.md") && up.matches("/srv/notes/a.md"));
        // A glob with a `/` is anchored at the root, as at the base.
        let docs = filter(&["docs/*.md"]);
        assert!(docs.passes_within("/srv/notes/docs/a.md", None, &roots));
        assert!(!docs.passes_within("/srv/notes/x/docs/a.md", None, &roots));
        assert!(!docs.matches("/srv/notes/docs/a.md"), "no root known");
        // Under the base, the base decides (a root inside it does not re-anchor).
        let nested = [PathBuf::from("/home/me/proj")];
        assert!(!docs.passes_within("/home/me/proj/docs/a.md", None, &nested));
        assert!(docs.passes_within("/home/me/docs/a.md", None, &nested));
    }

    #[test]
    fn a_record_is_filtered_by_its_collections_path_and_type_or_its_own_key() {
        let base = Some(PathBuf::from("/home/me"));
        let filter = |globs: &[&str], types: &[&str]| {
            let globs: Vec<String> = globs.iter().map(|g| g.to_string()).collect();
            let types: Vec<String> = types.iter().map(|t| t.to_string()).collect();
            PathFilter::with_types(&globs, &types, base.clone()).unwrap()
        };
        let (key, source) = ("/home/me/r.jsonl#a", Some("/home/me/r.jsonl"));
        assert!(filter(&["*.jsonl"], &[]).passes(key, source));
        assert!(filter(&["r.jsonl"], &[]).passes(key, source));
        assert!(filter(&["r.jsonl#*"], &[]).passes(key, source));
        // An id may hold a `/`: `*` goes over it in a record's key.
        let (deep_key, deep_source) = (
            "/home/me/d/r.jsonl#guides/setup",
            Some("/home/me/d/r.jsonl"),
        );
        assert!(filter(&["d/r.jsonl#*"], &[]).passes(deep_key, deep_source));
        let deeper = ("/home/me/d/e/r.jsonl#a", Some("/home/me/d/e/r.jsonl"));
        assert!(!filter(&["d/*.jsonl"], &[]).passes(deeper.0, deeper.1));
        assert!(!filter(&["d/*"], &[]).passes(deeper.0, deeper.1));
        // The collection's part is a path's (`*` stops at `/`), the id's part goes over it,
        // and a `/` in the id does not anchor the collection's name.
        assert!(!filter(&["d/*.jsonl#*"], &[]).passes(deeper.0, deeper.1));
        assert!(filter(&["r.jsonl#guides/*"], &[]).passes(deep_key, deep_source));
        assert!(!filter(&["r.jsonl#other/*"], &[]).passes(deep_key, deep_source));
        // A `#` inside a class or braces is the name's: no record, and no error.
        assert_eq!(record_mark("*[#]1.txt"), None);
        assert_eq!(record_mark("{a#b,c}.jsonl#x"), Some(13));
        assert!(filter(&["*[#]1.txt"], &[]).matches("/home/me/a#1.txt"));
        assert!(!filter(&["!*.jsonl"], &[]).passes(key, source));
        assert!(!filter(&["*.md"], &[]).passes(key, source));
        assert!(filter(&[], &["jsonl"]).passes(key, source));
        assert!(!filter(&[], &["md"]).passes(key, source));
        // Without its source, the key is a file's path.
        assert!(!filter(&["*.jsonl"], &[]).passes(key, None));
        let sources: HashSet<String> = ["/d/a#b.jsonl".to_string()].into_iter().collect();
        assert_eq!(
            record_source("/d/a#b.jsonl#x#y", &sources),
            Some("/d/a#b.jsonl")
        );
        assert_eq!(record_source("/d/a#b.txt", &sources), None);
    }

    #[test]
    fn steps_in_a_glob_are_resolved_under_the_base() {
        let base = Path::new("/home/me/work");
        assert_eq!(anchor("./docs/*.md", Some(base)), "docs/*.md");
        assert_eq!(anchor("../notes/*.md", Some(base)), "/home/me/notes/*.md");
        assert_eq!(anchor("a/./b/../*", Some(base)), "/home/me/work/a/*");
        assert_eq!(anchor("../x", None), "../x");
    }
}
