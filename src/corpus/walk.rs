//! Finding files: the `ignore` crate walks directories recursively in file-name order, respects
//! `.gitignore`/`.ignore` rules (inside a git repository or not), skips hidden files unless asked,
//! follows no symbolic links inside directories (so no loops), and applies `--glob` and `--type`
//! filters. Files named explicitly are always read, even through a symbolic link.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::error::{Error, Result};
use crate::warning::{Failure, FileProblem, FileWarning};

/// What to walk and what to leave out.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Also walk hidden files and directories.
    pub hidden: bool,
    /// Glob filters in ripgrep's form (`*.md`, `!drafts/**`), relative to the current directory.
    pub globs: Vec<String>,
    /// File types to keep (`md`, `html`, `txt`, ...: ripgrep's type names).
    pub types: Vec<String>,
    /// Directories never walked into (the index itself).
    pub exclude: Vec<PathBuf>,
    /// Files and directories left out, by canonical path (those taken out of the index with
    /// `remove` from under a directory it remembers).
    pub omit: Vec<PathBuf>,
    /// The directory `globs` are relative to (default: the current directory).
    pub base: Option<PathBuf>,
    /// How deep to walk below each root (1: its own entries only; default: all the way).
    pub max_depth: Option<usize>,
    /// When any, walk only the directories on the way from the roots to these (paths under a
    /// root, as the root is written), and what is below each, as deep as its depth says (1:
    /// its own entries; `None`: all the way): what a whole walk would find there, the ignore
    /// rules, globs and hidden names of the directories on the way applied (an ignored
    /// directory's files are not found by walking it alone).
    pub within: Vec<(PathBuf, Option<usize>)>,
}

/// A file found by the walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFile {
    /// The path as walked.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// Its modification time, in nanoseconds since the epoch (0 when unknown).
    pub mtime_ns: u64,
    /// Its canonical path, when the walk knows it without resolving the file itself: for a
    /// regular file (not a symbolic link) found in a directory, its directory's canonical path
    /// (resolved once per directory) joined with its name.
    pub canonical: Option<PathBuf>,
    /// Named by itself as a root, rather than found in a directory.
    pub named: bool,
    /// Its content is compared with what the index holds even when its size and time are
    /// what the index holds (a file named to ingest, or one `watch` was told changed): a write
    /// that keeps both (a copy keeping times, a build with fixed times) is not missed.
    pub compare: bool,
}

/// The files found under a set of roots.
#[derive(Debug, Default)]
pub struct Walk {
    /// Regular files, in walk order.
    pub files: Vec<FoundFile>,
    /// Entries that could not be walked for another reason than the file system's (a loop of
    /// links).
    pub warnings: Vec<FileWarning>,
    /// Files and directories the file system would not let the walk look at (permission
    /// denied, a name too long): what they hold cannot be read, so the ingest fails (exit 2),
    /// and what the index holds of them stays.
    pub failures: Vec<Failure>,
}

/// Checks that every root exists and can be read, before any work starts.
pub fn check_roots(roots: &[PathBuf]) -> Result<()> {
    for root in roots {
        match fs::metadata(root) {
            Ok(metadata) if metadata.is_file() || metadata.is_dir() => {}
            Ok(metadata) => {
                return Err(Error::NotAFile {
                    path: root.clone(),
                    kind: special_kind(&metadata),
                })
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::MissingPath { path: root.clone() })
            }
            Err(error) => {
                return Err(Error::Read {
                    path: root.clone(),
                    error,
                })
            }
        }
    }
    Ok(())
}

/// What a path that is neither a regular file nor a directory is.
fn special_kind(metadata: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_fifo() {
            return "a pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    let _ = metadata;
    "not a regular file"
}

/// Refuses a root that is the index directory or lies inside it (in `exclude`): the index
/// would ingest its own files.
pub fn check_outside(roots: &[PathBuf], exclude: &[PathBuf]) -> Result<()> {
    for root in roots {
        let Ok(canonical) = fs::canonicalize(root) else {
            continue;
        };
        if let Some(index) = exclude.iter().find(|dir| canonical.starts_with(dir)) {
            return Err(Error::InsideIndex {
                path: root.clone(),
                index: index.clone(),
            });
        }
    }
    Ok(())
}

/// A file's size and modification time (nanoseconds since the epoch). A time at or before
/// the epoch (or none) is 1 ns: 0 marks a document read from standard input, which has no file.
pub fn stamp(metadata: &fs::Metadata) -> (u64, u64) {
    let mtime = metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
    (metadata.len(), mtime.max(1))
}

/// How long after a write another write may leave a file's time as it is, on a file system
/// keeping whole seconds (FAT keeps even seconds: two).
const COARSE_TICK_NS: u64 = 2_000_000_000;
/// The same where times keep fractions of a second: they still move with the kernel's clock
/// tick (4 to 10 ms on Linux), with room to spare.
const FINE_TICK_NS: u64 = 100_000_000;

/// Whether a file whose modification time is `mtime_ns` (as [`stamp`] gives it), read from
/// `read_at_ns` on, may be written again without its time moving: a later write within the
/// same tick of the file system's clock keeps the time, and at the same size, the stamp could
/// not tell (git's "racily clean" entries). A time in the future is racy too. Such a file's
/// content is compared at the next ingest.
pub fn is_racy(mtime_ns: u64, read_at_ns: u64) -> bool {
    let tick = match mtime_ns % 1_000_000_000 {
        0 => COARSE_TICK_NS,
        _ => FINE_TICK_NS,
    };
    read_at_ns < mtime_ns.saturating_add(tick)
}

/// The time now, in nanoseconds since the epoch (as [`stamp`] gives times).
pub fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

fn overrides(globs: &[String], base: Option<&Path>) -> Result<ignore::overrides::Override> {
    let base = match base {
        Some(base) => base.to_path_buf(),
        None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
    };
    let mut builder = ignore::overrides::OverrideBuilder::new(&base);
    for glob in globs {
        let invalid = |e: ignore::Error| Error::InvalidGlob {
            glob: glob.clone(),
            // What is wrong, without `ignore`'s "error parsing glob" and the glob again.
            message: match e {
                ignore::Error::Glob { err, .. } => err,
                other => other.to_string(),
            },
        };
        builder.add(glob).map_err(invalid)?;
        // A leading `/` anchors a glob at the base, as in rg; one that is an absolute path under
        // the base (`-g "$PWD/docs/*.md"`) is also that path's glob, as search takes it.
        if let Some(under) = under_base(glob, &base) {
            builder.add(&under).map_err(invalid)?;
        }
    }
    builder.build().map_err(|e| Error::InvalidGlob {
        glob: globs.join(" "),
        message: e.to_string(),
    })
}

/// A glob's `!` (an exclusion's mark, or nothing) and the glob after it.
pub(crate) fn negation(glob: &str) -> (&'static str, &str) {
    match glob.strip_prefix('!') {
        Some(body) => ("!", body),
        None => ("", glob),
    }
}

/// The glob `glob` (`!` and all) anchored at `base` when it is an absolute path's under `base`
/// (`/home/me/docs/*.md` under `/home/me` is `/docs/*.md`); `None` for any other glob.
fn under_base(glob: &str, base: &Path) -> Option<String> {
    let (bang, body) = negation(glob);
    let rest = Path::new(body).strip_prefix(base).ok()?;
    // A directory's trailing `/`, which a path loses, is kept.
    let slash = if body.ends_with('/') { "/" } else { "" };
    (body.starts_with('/') && base.is_absolute())
        .then(|| format!("{bang}/{}{slash}", rest.to_string_lossy()))
}

/// The file types named (ripgrep's names: `md`, `html`, `rust` ...), for walks and filters.
pub(crate) fn file_types(names: &[String]) -> Result<ignore::types::Types> {
    let mut builder = ignore::types::TypesBuilder::new();
    builder.add_defaults();
    // The document formats parafind reads that ripgrep's list lacks (it has `pdf`).
    for (name, glob) in [("docx", "*.docx"), ("odt", "*.odt"), ("epub", "*.epub")] {
        builder.add(name, glob).map_err(|e| Error::InvalidType {
            message: e.to_string(),
        })?;
    }
    for name in names {
        builder.select(name);
    }
    builder.build().map_err(|e| Error::InvalidType {
        message: e.to_string(),
    })
}

/// The file that marks a directory as a parafind index (`index::MARKER`): a walk never enters
/// one, whichever index it is (its files are segments, not documents).
pub const INDEX_MARKER: &str = ".parafind-index";

/// Lists the regular files under `roots` with their sizes and modification times, leaving out
/// parafind indexes (directories holding [`INDEX_MARKER`]) and the directories in `exclude`.
pub fn walk(roots: &[PathBuf], options: &WalkOptions) -> Result<Walk> {
    check_roots(roots)?;
    let mut out = Walk::default();
    let (roots, omitted) = omitted_as_walked(roots, &options.omit);
    let Some((first, rest)) = roots.split_first() else {
        return Ok(out);
    };
    let mut builder = ignore::WalkBuilder::new(first);
    for root in rest {
        builder.add(root);
    }
    builder
        .sort_by_file_name(|a, b| a.cmp(b))
        .require_git(false)
        .max_depth(options.max_depth)
        .hidden(!options.hidden)
        .overrides(overrides(&options.globs, options.base.as_deref())?)
        .types(file_types(&options.types)?);
    let exclude: Vec<PathBuf> = options
        .exclude
        .iter()
        .filter_map(|d| fs::canonicalize(d).ok())
        .collect();
    check_outside(&roots, &exclude)?;
    // Another index named itself (the run's own is refused above, as the index).
    if let Some(index) = roots.iter().find(|r| r.join(INDEX_MARKER).is_file()) {
        return Err(Error::IsIndex {
            path: index.clone(),
        });
    }
    // Told apart by file identity (one `stat` per directory), not by canonical path, which
    // resolves every step of the path again: that cost grew with the cube of a tree's depth.
    let excluded: Vec<FileIdentity> = exclude.iter().filter_map(|d| identity(d)).collect();
    let within = Within::new(&options.within);
    builder.filter_entry(move |entry| {
        if !omitted.is_empty() && omitted.contains(entry.path()) {
            return false;
        }
        if !within.is_empty() && !within.on_the_way(entry.path()) {
            return false;
        }
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        !(is_dir
            && (entry.path().join(INDEX_MARKER).is_file()
                || identity(entry.path()).is_some_and(|id| excluded.contains(&id))))
    });
    let mut directories = CanonicalDirectories::default();
    for entry in builder.build() {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                let named_file = entry.depth() == 0 && entry.path().is_file();
                if !(is_file || named_file) {
                    continue;
                }
                let canonical = if is_file && entry.depth() > 0 {
                    directories.canonical(entry.path())
                } else {
                    None
                };
                let metadata = if named_file {
                    fs::metadata(entry.path())
                } else {
                    entry.metadata().map_err(|err| match err.io_error() {
                        Some(io) => in_own_words(io),
                        None => std::io::Error::other(err.to_string()),
                    })
                };
                match metadata {
                    Ok(metadata) => {
                        let (size, mtime_ns) = stamp(&metadata);
                        out.files.push(FoundFile {
                            path: entry.into_path(),
                            size,
                            mtime_ns,
                            canonical,
                            named: named_file,
                            compare: named_file,
                        });
                    }
                    // Gone since its directory was listed: not there to index.
                    Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                        out.warnings.push(FileWarning {
                            path: entry.into_path(),
                            problem: FileProblem::Unreadable {
                                reason: err.to_string(),
                            },
                        })
                    }
                    // A file the walk cannot look at (in a directory that can be listed but
                    // not entered) fails the run, as one that cannot be read does.
                    Err(err) => out.failures.push(Failure {
                        path: entry.into_path(),
                        error: err,
                    }),
                }
            }
            Err(err) => {
                let path = walk_error_path(&err).unwrap_or_default();
                match err.io_error() {
                    // The path is the report's to print, once: the error's own words only.
                    Some(io) => out.failures.push(Failure {
                        path,
                        error: in_own_words(io),
                    }),
                    None => out.warnings.push(FileWarning {
                        path,
                        problem: FileProblem::Unreadable {
                            reason: err.to_string(),
                        },
                    }),
                }
            }
        }
    }
    Ok(out)
}

/// What tells a file apart from every other on the machine.
#[cfg(unix)]
type FileIdentity = (u64, u64);
#[cfg(not(unix))]
type FileIdentity = PathBuf;

/// The directories a walk is limited to ([`WalkOptions::within`]), looked up by path: each
/// entry is told in as many lookups as it has ancestors, however many directories there are.
struct Within {
    /// The directories and every directory on the way to them.
    on_the_way: HashSet<PathBuf>,
    /// The directories, with how deep below each to walk (`None`: all the way).
    depths: HashMap<PathBuf, Option<usize>>,
}

impl Within {
    fn new(dirs: &[(PathBuf, Option<usize>)]) -> Within {
        let mut depths: HashMap<PathBuf, Option<usize>> = HashMap::new();
        for (dir, depth) in dirs {
            let kept = depths.entry(dir.clone()).or_insert(*depth);
            // The deeper of two walks of one directory.
            *kept = kept.zip(*depth).map(|(a, b)| a.max(b));
        }
        let on_the_way = dirs
            .iter()
            .flat_map(|(dir, _)| dir.ancestors().map(Path::to_path_buf))
            .collect();
        Within { on_the_way, depths }
    }

    fn is_empty(&self) -> bool {
        self.depths.is_empty()
    }

    /// Whether `path` is on the way to one of the directories, or under one no deeper than
    /// its depth.
    fn on_the_way(&self, path: &Path) -> bool {
        self.on_the_way.contains(path)
            || (path.ancestors().skip(1).enumerate()).any(|(above, dir)| {
                self.depths
                    .get(dir)
                    .is_some_and(|depth| depth.is_none_or(|depth| above < depth))
            })
    }
}

/// The identity of the file at `path` (links not followed): its device and inode on Unix, its
/// canonical path elsewhere.
fn identity(path: &Path) -> Option<FileIdentity> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        fs::symlink_metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        fs::canonicalize(path).ok()
    }
}

/// The canonical path of the directory last asked about (files come directory by directory).
#[derive(Default)]
struct CanonicalDirectories {
    last: Option<(PathBuf, Option<PathBuf>)>,
}

impl CanonicalDirectories {
    /// The canonical path of `file`, a regular file (not a symbolic link): its directory's
    /// canonical path joined with its name, since only a directory can be a link on the way.
    fn canonical(&mut self, file: &Path) -> Option<PathBuf> {
        let (parent, name) = (file.parent()?, file.file_name()?);
        let cached = self.last.as_ref().filter(|(dir, _)| dir == parent);
        let directory = match cached {
            Some((_, canonical)) => canonical.clone(),
            None => {
                let canonical = fs::canonicalize(parent).ok();
                self.last = Some((parent.to_path_buf(), canonical.clone()));
                canonical
            }
        };
        Some(directory?.join(name))
    }
}

/// An I/O error the walk met, in parafind's words ([`crate::error::io_words`]) and without a
/// path (the report prints the path, once): the walk's errors carry the path in their message,
/// so one of a known kind is told by its kind alone.
fn in_own_words(io: &std::io::Error) -> std::io::Error {
    match (io.raw_os_error(), io.kind()) {
        (None, std::io::ErrorKind::Other) => std::io::Error::other(io.to_string()),
        // What the walk says of a path past the system's limit (over 4,096 bytes on Linux).
        (None, kind @ std::io::ErrorKind::InvalidFilename) => std::io::Error::new(
            kind,
            "path too long for the system to open (over 4,096 bytes), or a name it does not allow",
        ),
        (None, kind) => std::io::Error::from(kind),
        (Some(_), kind) => std::io::Error::new(kind, crate::error::io_words(io)),
    }
}

fn walk_error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        _ => None,
    }
}

/// Of `roots`, those not at or under a path of `omit` (canonical paths), and the paths of
/// `omit` under them as the walk meets them (each root as given, joined with the rest).
fn omitted_as_walked(
    roots: &[PathBuf],
    omit: &[PathBuf],
) -> (Vec<PathBuf>, std::collections::HashSet<PathBuf>) {
    let mut as_walked = std::collections::HashSet::new();
    if omit.is_empty() {
        return (roots.to_vec(), as_walked);
    }
    let mut kept = Vec::new();
    for root in roots {
        let Ok(canonical) = fs::canonicalize(root) else {
            kept.push(root.clone());
            continue;
        };
        if omit.iter().any(|o| canonical.starts_with(o)) {
            continue;
        }
        for path in omit {
            if let Ok(rest) = path.strip_prefix(&canonical) {
                as_walked.insert(root.join(rest));
            }
        }
        kept.push(root.clone());
    }
    (kept, as_walked)
}

/// True when `path` lies under the directory `root` (both canonical).
pub fn is_under(path: &Path, root: &Path) -> bool {
    path != root && path.starts_with(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_past_the_systems_limit_is_said_so() {
        let said = in_own_words(&std::io::Error::from(std::io::ErrorKind::InvalidFilename));
        assert!(said.to_string().starts_with("path too long"), "{said}");
    }

    #[test]
    fn a_stamp_is_racy_within_a_tick_of_its_file_systems_clock() {
        const S: u64 = 1_000_000_000;
        // Whole seconds: a coarse clock, two seconds of doubt (FAT keeps even seconds).
        assert!(is_racy(100 * S, 100 * S));
        assert!(is_racy(100 * S, 101 * S + 999_999_999));
        assert!(!is_racy(100 * S, 102 * S));
        // Fractions of a second: a tenth of a second.
        let fine = 100 * S + 123_456_789;
        assert!(is_racy(fine, fine + 99_999_999));
        assert!(!is_racy(fine, fine + 100_000_000));
        // A time in the future is never trusted.
        assert!(is_racy(200 * S, 100 * S));
        assert!(is_racy(u64::MAX, 100 * S));
    }

    #[test]
    fn missing_root_is_an_error_naming_it() {
        let err = walk(
            &[PathBuf::from("definitely/not/here")],
            &WalkOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "definitely/not/here: no such file or directory"
        );
    }

    #[test]
    fn canonical_paths_from_directories_equal_the_files_own() {
        let dir = assert_fs::TempDir::new().expect("temp dir");
        let real = dir.path().join("real");
        fs::create_dir_all(real.join("sub/deeper")).expect("dirs");
        for file in ["a.txt", "sub/b.txt", "sub/deeper/c.txt", "sub/deeper/d.md"] {
            fs::write(real.join(file), "text").expect("write");
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(&real, dir.path().join("link")).expect("symlink");
        let root = if cfg!(unix) { "link" } else { "real" };
        let found = walk(&[dir.path().join(root)], &WalkOptions::default()).expect("walk");
        assert_eq!(found.files.len(), 4);
        for file in &found.files {
            let expected = fs::canonicalize(&file.path).expect("canonical");
            assert_eq!(
                file.canonical.as_ref(),
                Some(&expected),
                "{}",
                file.path.display()
            );
            assert!(expected.starts_with(fs::canonicalize(&real).expect("real")));
        }
    }

    #[test]
    fn a_parafind_index_under_a_root_is_not_walked() {
        let dir = assert_fs::TempDir::new().expect("temp dir");
        let notes = dir.path().join("notes");
        fs::create_dir_all(notes.join("index")).expect("dirs");
        fs::write(notes.join("a.txt"), "text").expect("write");
        fs::write(notes.join("index").join(INDEX_MARKER), "marker").expect("marker");
        fs::write(notes.join("index/meta.json"), "{}").expect("meta");
        let found = walk(std::slice::from_ref(&notes), &WalkOptions::default()).expect("walk");
        let names: Vec<_> = found.files.iter().map(|f| f.path.file_name()).collect();
        assert_eq!(names, [Some(std::ffi::OsStr::new("a.txt"))]);
        // Named itself, an index is refused.
        let err = walk(&[notes.join("index")], &WalkOptions::default()).unwrap_err();
        assert!(err.to_string().contains("is a parafind index"), "{err}");
    }

    #[test]
    fn omitted_paths_are_left_out_of_a_walk_as_it_meets_them() {
        let dir = assert_fs::TempDir::new().expect("temp dir");
        let notes = dir.path().join("notes");
        for file in [
            "a.txt",
            "old.txt",
            "drafts/x.txt",
            "keep/y.txt",
            "keep/old.txt",
        ] {
            let path = notes.join(file);
            fs::create_dir_all(path.parent().expect("parent")).expect("dir");
            fs::write(&path, "words\n").expect("write");
        }
        let canonical = fs::canonicalize(&notes).expect("canonical");
        let options = WalkOptions {
            omit: vec![canonical.join("drafts"), canonical.join("old.txt")],
            ..WalkOptions::default()
        };
        let walked = |root: &Path| -> Vec<PathBuf> {
            let found = walk(&[root.to_path_buf()], &options).expect("walk").files;
            let relative = |f: FoundFile| f.path.strip_prefix(root).expect("under").to_path_buf();
            found.into_iter().map(relative).collect()
        };
        let expected = [
            PathBuf::from("a.txt"),
            PathBuf::from("keep/old.txt"),
            PathBuf::from("keep/y.txt"),
        ];
        // Walked by its canonical path, or as named (a path relative to the current directory
        // is joined the same way).
        assert_eq!(walked(&canonical), expected);
        assert_eq!(walked(&notes.join("keep/..")), expected);
        // A root that is left out itself gives nothing.
        assert!(walked(&notes.join("drafts")).is_empty());
    }

    #[test]
    fn a_walk_within_directories_goes_on_the_way_to_them_and_as_deep_as_asked() {
        let within = Within::new(&[
            (PathBuf::from("/r/a/b"), Some(1)),
            (PathBuf::from("/r/c"), None),
            (PathBuf::from("/r/a/b"), Some(2)),
        ]);
        for (path, walked) in [
            ("/r", true),
            ("/r/a", true),
            ("/r/a/x.txt", false),
            ("/r/a/b", true),
            ("/r/a/b/x.txt", true),
            ("/r/a/b/d/x.txt", true),
            ("/r/a/b/d/e/x.txt", false),
            ("/r/c/d/e/f/x.txt", true),
            ("/r/other", false),
        ] {
            assert_eq!(within.on_the_way(Path::new(path)), walked, "{path}");
        }
    }

    #[test]
    fn an_absolute_glob_under_the_base_is_that_paths_glob() {
        let base = Path::new("/home/me");
        assert_eq!(
            under_base("/home/me/docs/*.md", base).as_deref(),
            Some("/docs/*.md")
        );
        assert_eq!(under_base("!/home/me/old", base).as_deref(), Some("!/old"));
        assert_eq!(
            under_base("!/home/me/a/old/", base).as_deref(),
            Some("!/a/old/")
        );
        assert_eq!(under_base("/docs/*.md", base), None);
        assert_eq!(under_base("home/me/docs/*.md", base), None);
        assert_eq!(under_base("/home/men/*.md", base), None);
        let dir = assert_fs::TempDir::new().expect("temp dir");
        let root = dir.path().canonicalize().expect("canonical");
        fs::create_dir_all(root.join("docs/old")).expect("dirs");
        for name in ["docs/a.md", "docs/old/b.md", "c.md"] {
            fs::write(root.join(name), "text").expect("write");
        }
        let options = WalkOptions {
            globs: vec![
                format!("{}/docs/**", root.display()),
                format!("!{}/docs/old", root.display()),
            ],
            base: Some(root.clone()),
            ..WalkOptions::default()
        };
        let found = walk(std::slice::from_ref(&root), &options).expect("walk");
        let names: Vec<_> = found
            .files
            .iter()
            .map(|f| f.path.strip_prefix(&root).unwrap())
            .collect();
        assert_eq!(names, [Path::new("docs/a.md")]);
    }

    #[test]
    fn unknown_types_and_bad_globs_are_errors() {
        let options = WalkOptions {
            types: vec!["nosuchtype".into()],
            ..WalkOptions::default()
        };
        assert!(walk(&[PathBuf::from(".")], &options).is_err());
        let options = WalkOptions {
            globs: vec!["a[".into()],
            ..WalkOptions::default()
        };
        let err = walk(&[PathBuf::from(".")], &options).unwrap_err();
        // Said once: the glob, and what is wrong with it.
        assert_eq!(
            err.to_string(),
            "invalid path glob \"a[\": unclosed character class; missing ']'"
        );
    }
}
