//! What one run of ingest handles: the files a walk found (or, for `refresh`, the walks of
//! every root the index remembers and every file it holds), collections and standard input,
//! which files it removes when they are gone, and the roots the index remembers afterwards.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{IngestOptions, Known};
use crate::corpus::{self, FoundFile};
use crate::error::Result;
use crate::index::{key_path, path_key, roots, ParaIndex, Root};
use crate::warning::{Failure, FileWarning};

/// The canonical paths at or under which an ingest takes back what was removed (see
/// [`roots::taking_back`]): the paths it names (directories, files and collections); with
/// filters (`-g`, `-t`), which may leave out what was removed, only the files it `found` and
/// the collections it names.
fn taken_back(roots: &[Root], options: &IngestOptions, found: &[FoundFile]) -> Vec<PathBuf> {
    if roots.iter().all(|root| root.removed.is_empty()) {
        return Vec::new();
    }
    let canonical = |path: &PathBuf| std::fs::canonicalize(path).ok();
    let filtered = !options.walk.globs.is_empty() || !options.walk.types.is_empty();
    let named = options.jsonl.iter().filter_map(canonical);
    match filtered {
        false => options
            .roots
            .iter()
            .filter_map(canonical)
            .chain(named)
            .collect(),
        true => (found.iter())
            .filter_map(|file| file.canonical.clone().or_else(|| canonical(&file.path)))
            .chain(named)
            .collect(),
    }
}

/// Which files the index holds and a run did not meet are removed, when they no longer exist.
pub(super) enum Vanished {
    /// Those under these directories (canonical): the ones ingest walked.
    Under(Vec<PathBuf>),
    /// Any (refresh): every file and collection the index holds was checked.
    Anywhere,
}

impl Vanished {
    /// True when the file with key `key`, not met by this run, is gone: it was where the run
    /// looked (see [`Vanished`]) and is no longer there (see `file_may_exist`).
    pub(super) fn gone(&self, key: &str) -> bool {
        let path = key_path(key);
        let looked = match self {
            // A file where a walked directory now is (replaced by it) is gone too.
            Vanished::Under(directories) => directories
                .iter()
                .any(|d| path == *d || corpus::is_under(&path, d)),
            Vanished::Anywhere => true,
        };
        looked && !super::file_may_exist(&path)
    }
}

/// Which of the files and collections the index holds a run checks besides what it walks.
pub(super) enum Checked {
    /// None (an ingest: what it names and walks).
    None,
    /// All of them (a refresh).
    All,
    /// Those with these keys (the changes notified to `watch`: a file ingested by name where
    /// no walk goes, such as inside a path `remove` left out).
    At(std::collections::HashSet<String>),
}

/// One run's work.
pub(super) struct Plan {
    pub(super) files: Vec<FoundFile>,
    pub(super) warnings: Vec<FileWarning>,
    /// What the walk could not look at (see [`corpus::Walk::failures`]).
    pub(super) failures: Vec<Failure>,
    /// Collections to read, each with whether it is compared by content whatever its stamp
    /// (named to ingest, or held where `watch` was told of a change).
    pub(super) collections: Vec<(PathBuf, bool)>,
    pub(super) stdin: Option<(String, Vec<u8>)>,
    pub(super) vanished: Vanished,
    /// Which of the files and collections the index holds are also checked.
    pub(super) known: Checked,
    /// The roots the index remembers after the run.
    pub(super) roots: Vec<Root>,
    /// How documents are read, when not as the run's options say (refresh: as the roots were).
    pub(super) parse: Option<corpus::ParseOptions>,
}

impl Plan {
    /// An ingest of `options`: its walk, collections and standard input; files gone from the
    /// directories walked are removed, and those directories are remembered with the filters.
    pub(super) fn ingest(index: &ParaIndex, options: &IngestOptions) -> Result<Plan> {
        corpus::check_roots(&options.jsonl)?;
        // The index named first (it is a directory too, but to ingest without --jsonl is no
        // way out for it).
        corpus::check_outside(&options.jsonl, std::slice::from_ref(&index.dir))?;
        if let Some(dir) = options.jsonl.iter().find(|path| path.is_dir()) {
            return Err(crate::error::Error::CollectionIsDirectory { path: dir.clone() });
        }
        if let Some((name, _)) = &options.stdin {
            // The document's key is its name resolved as a path: none inside the index.
            if Path::new(name).starts_with(&index.dir) {
                return Err(crate::error::Error::InsideIndex {
                    path: PathBuf::from(name),
                    index: index.dir.clone(),
                });
            }
        }
        let mut walk_options = options.walk.clone();
        walk_options.exclude.push(index.dir.clone());
        let mut walk = corpus::walk(&options.roots, &walk_options)?;
        if let Some((name, _)) = &options.stdin {
            // Its text is taken for the file's: said, as nothing later tells them apart.
            if Path::new(name).is_file() {
                walk.warnings.push(FileWarning {
                    path: PathBuf::from(name),
                    problem: crate::warning::FileProblem::NamesAFile,
                });
            }
        }
        // A file named where a directory the index remembers was (the directory deleted and
        // a file made in its place): the directory is forgotten, and what the index held in it
        // taken out, as for a directory walked again.
        let replaced: Vec<PathBuf> = options
            .roots
            .iter()
            .filter(|r| r.is_file())
            .filter_map(|r| std::fs::canonicalize(r).ok())
            .filter(|file| index.roots().iter().any(|root| root.dir() == *file))
            .collect();
        let directories = options
            .roots
            .iter()
            .filter(|r| r.is_dir())
            .filter_map(|r| std::fs::canonicalize(r).ok())
            .chain(replaced.iter().cloned())
            .collect();
        let roots = roots::merged(
            &roots::taking_back(
                index.roots(),
                &taken_back(index.roots(), options, &walk.files),
            ),
            Root::recorded(&options.roots, &options.walk, options.parse),
        );
        let roots = roots::without(&roots, &replaced);
        Ok(Plan {
            files: walk.files,
            warnings: walk.warnings,
            failures: walk.failures,
            collections: options
                .jsonl
                .iter()
                .map(|path| (path.clone(), true))
                .collect(),
            stdin: options.stdin.clone(),
            vanished: Vanished::Under(directories),
            known: Checked::None,
            roots,
            parse: None,
        })
    }

    /// A refresh: every remembered root walked again with its filters, and (once the writer
    /// is held, by [`Plan::add_known`]) every file and collection the index holds.
    pub(super) fn refresh(index: &ParaIndex) -> Result<Plan> {
        let mut plan = Plan {
            files: Vec::new(),
            warnings: Vec::new(),
            failures: Vec::new(),
            collections: Vec::new(),
            stdin: None,
            vanished: Vanished::Anywhere,
            known: Checked::All,
            roots: index.roots().to_vec(),
            parse: Some(roots::refresh_parse(index.roots())),
        };
        for root in index.roots() {
            let dir = root.dir();
            if !dir.is_dir() {
                // Said when it is surely gone (a directory the user cannot look at keeps its
                // files, as `Vanished::gone` keeps them).
                if !super::file_may_exist(&dir) || dir.is_file() {
                    plan.warnings.push(FileWarning {
                        path: dir,
                        problem: crate::warning::FileProblem::DirectoryGone,
                    });
                }
                continue;
            }
            let mut options = root.walk_options();
            options.exclude.push(index.dir.clone());
            // An empty directory where files were (a mount point whose disk is not mounted):
            // said, as a directory that is gone is.
            if std::fs::read_dir(&dir).is_ok_and(|mut entries| entries.next().is_none()) {
                plan.warnings.push(FileWarning {
                    path: dir.clone(),
                    problem: crate::warning::FileProblem::DirectoryEmpty,
                });
            }
            let walk = corpus::walk(&[dir], &options)?;
            plan.files.extend(walk.files);
            plan.warnings.extend(walk.warnings);
            plan.failures.extend(walk.failures);
        }
        Ok(plan)
    }

    /// A refresh of what changed at `paths` (reported by file notifications): each path's
    /// directory walked again, one level deep, with the filters of every remembered root that
    /// holds it (a path that is a directory is walked all the way down), and whatever is gone
    /// from those directories removed. Paths in no root, or hidden inside a root that leaves
    /// hidden files out, are ignored, as a walk of the root would ignore them.
    pub(super) fn refresh_paths(index: &ParaIndex, paths: &[PathBuf]) -> Result<Plan> {
        let mut plan = Plan {
            files: Vec::new(),
            warnings: Vec::new(),
            failures: Vec::new(),
            collections: Vec::new(),
            stdin: None,
            vanished: Vanished::Under(Vec::new()),
            known: Checked::At(paths.iter().map(|path| path_key(path)).collect()),
            roots: index.roots().to_vec(),
            parse: Some(roots::refresh_parse(index.roots())),
        };
        let notified: std::collections::HashSet<&Path> =
            paths.iter().map(PathBuf::as_path).collect();
        let roots: Vec<(&Root, PathBuf, bool)> = (index.roots().iter())
            .map(|root| (root, root.dir(), root.dir().is_dir()))
            .collect();
        // What to walk under each root: the directories of the changes, gathered, then one walk
        // of the root for them all.
        let mut targets: Vec<Vec<(PathBuf, Option<usize>)>> = vec![Vec::new(); roots.len()];
        let mut gathered = std::collections::HashSet::new();
        for path in paths {
            for (at, ((root, root_dir, there), targets)) in
                roots.iter().zip(&mut targets).enumerate()
            {
                if !there {
                    // The directory went (deleted, moved away, a file in its place): its files
                    // go, and nothing is walked in its place, whatever was notified in it.
                    if let (true, Vanished::Under(dirs)) =
                        (path.starts_with(root_dir), &mut plan.vanished)
                    {
                        // Once, however many changes were notified in it.
                        if !dirs.contains(root_dir) {
                            dirs.push(root_dir.clone());
                        }
                    }
                    continue;
                }
                let Some(target) = to_walk(root_dir, path, root.hidden) else {
                    continue;
                };
                if gathered.insert((at, target.clone())) {
                    targets.push(target);
                }
            }
        }
        for ((root, root_dir, _), targets) in roots.iter().zip(targets) {
            if targets.is_empty() {
                continue;
            }
            // Walked from the root, only on the way to the changes' directories and below
            // them: the ignore rules and globs of the directories on the way apply (a change
            // inside an ignored `node_modules` or a `-g '!drafts'` directory is not indexed).
            let mut options = root.walk_options();
            options.exclude.push(index.dir.clone());
            options.within = targets.clone();
            if let Ok(walk) = corpus::walk(std::slice::from_ref(root_dir), &options) {
                // What was told changed is compared by content, whatever its stamp.
                plan.files
                    .extend(walk.files.into_iter().map(|file| corpus::FoundFile {
                        compare: file.compare || notified.contains(file.path.as_path()),
                        ..file
                    }));
                plan.warnings.extend(walk.warnings);
                plan.failures.extend(walk.failures);
            }
            if let Vanished::Under(dirs) = &mut plan.vanished {
                dirs.extend(targets.into_iter().map(|(dir, _)| dir));
            }
        }
        Ok(plan)
    }

    /// Adds the files and collections of `known` that still exist (files met twice are
    /// handled once), as [`Plan::known`] says.
    /// Documents from standard input have no file and are left as they are.
    pub(super) fn add_known(&mut self, known: &HashMap<String, Known>) {
        let checked = std::mem::replace(&mut self.known, Checked::None);
        // Files held at paths `watch` was told changed are compared by content too.
        let compare = matches!(checked, Checked::At(_));
        let mut sources: Vec<(&String, &Known)> = (known.iter())
            .filter(|(source, _)| match &checked {
                Checked::None => false,
                Checked::All => true,
                Checked::At(keys) => keys.contains(*source),
            })
            .collect();
        sources.sort_by(|a, b| a.0.cmp(b.0));
        for (source, known) in sources {
            if known.mtime_ns == 0 {
                continue;
            }
            let path = key_path(source);
            // Not followed: a key is a canonical path, so a link there now is another file's
            // (which no walk would index), and the file indexed is gone.
            let Ok(metadata) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if !metadata.is_file() {
                continue;
            }
            if known.collection {
                self.collections.push((path, compare));
            } else {
                let (size, mtime_ns) = corpus::stamp(&metadata);
                self.files.push(FoundFile {
                    path,
                    size,
                    mtime_ns,
                    canonical: None,
                    named: false,
                    compare,
                });
            }
        }
    }
}

/// What to walk for a change at `path` under the root `root`: the path itself all the way down
/// when it is a directory, else its directory one level deep; nothing when the path is not
/// under the root, or is hidden below it and `hidden` files are left out.
fn to_walk(root: &Path, path: &Path, hidden: bool) -> Option<(PathBuf, Option<usize>)> {
    let relative = path.strip_prefix(root).ok()?;
    let is_hidden = |c: std::path::Component<'_>| c.as_os_str().to_string_lossy().starts_with('.');
    // A file of ignore rules changed: which files a walk takes changed under its directory,
    // walked again all the way down (files it no longer ignores are added).
    if let Some(dir) = repository_of_exclude(path).filter(|dir| dir.starts_with(root)) {
        // `.git/info/exclude`: the repository's rules, for all of it.
        return Some((dir.to_path_buf(), None));
    }
    if is_ignore_file(path) {
        let dir = path.parent().filter(|d| d.starts_with(root))?;
        let inside = dir.strip_prefix(root).ok()?;
        if (!hidden && inside.components().any(is_hidden)) || through_a_link(root, relative) {
            return None;
        }
        return Some((dir.to_path_buf(), None));
    }
    if !hidden && relative.components().any(is_hidden) {
        return None;
    }
    // Nothing is walked through a link (as a walk does not follow links): a change reported
    // inside a linked directory (`root/link/x.txt`) is not the root's, and a link to a
    // directory is left out by walking its own directory. The root itself may be a link.
    if through_a_link(root, relative) {
        return None;
    }
    let is_dir = match relative.as_os_str().is_empty() {
        true => path.is_dir(),
        false => std::fs::symlink_metadata(path).is_ok_and(|meta| meta.is_dir()),
    };
    if is_dir {
        return Some((path.to_path_buf(), None));
    }
    let dir = path.parent().filter(|d| d.starts_with(root))?;
    Some((dir.to_path_buf(), Some(1)))
}

/// Whether `path` is a file of ignore rules a walk reads (`.gitignore`, `.ignore`,
/// `.rgignore`).
fn is_ignore_file(path: &Path) -> bool {
    matches!(
        path.file_name().and_then(|name| name.to_str()),
        Some(".gitignore" | ".ignore" | ".rgignore")
    )
}

/// The repository whose `.git/info/exclude` `path` is, if it is one.
fn repository_of_exclude(path: &Path) -> Option<&Path> {
    let info = path
        .parent()
        .filter(|_| path.file_name() == Some("exclude".as_ref()))?;
    let git = info
        .parent()
        .filter(|_| info.file_name() == Some("info".as_ref()))?;
    git.parent()
        .filter(|_| git.file_name() == Some(".git".as_ref()))
}

/// Whether a directory on the way from `root` to `relative` (its last step left out) is a
/// link.
fn through_a_link(root: &Path, relative: &Path) -> bool {
    let mut at = root.to_path_buf();
    let mut steps = relative.components().peekable();
    while let Some(step) = steps.next() {
        if steps.peek().is_none() {
            return false;
        }
        at.push(step);
        if std::fs::symlink_metadata(&at).is_ok_and(|meta| meta.file_type().is_symlink()) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_walks_its_directory_in_its_root_unless_hidden() {
        let root = Path::new("/r");
        assert_eq!(
            to_walk(root, Path::new("/r/a/b.txt"), false),
            Some((PathBuf::from("/r/a"), Some(1)))
        );
        assert_eq!(to_walk(root, Path::new("/other/b.txt"), false), None);
        assert_eq!(to_walk(root, Path::new("/r/.git/index"), false), None);
        assert_eq!(
            to_walk(root, Path::new("/r/.notes/b.txt"), true),
            Some((PathBuf::from("/r/.notes"), Some(1)))
        );
        // A file of ignore rules: its directory all the way down, hidden as it is.
        assert_eq!(
            to_walk(root, Path::new("/r/a/.gitignore"), false),
            Some((PathBuf::from("/r/a"), None))
        );
        assert_eq!(
            to_walk(root, Path::new("/r/.ignore"), false),
            Some((PathBuf::from("/r"), None))
        );
        assert_eq!(to_walk(root, Path::new("/r/.h/.gitignore"), false), None);
        assert_eq!(
            to_walk(root, Path::new("/r/a/.git/info/exclude"), false),
            Some((PathBuf::from("/r/a"), None))
        );
        assert_eq!(
            to_walk(root, Path::new("/r/a/.git/info/other"), false),
            None,
            "hidden"
        );
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_walked_through_a_link() {
        let dir = assert_fs::TempDir::new().unwrap();
        let root = dir.path().join("r");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::create_dir_all(dir.path().join("outside")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside"), root.join("link")).unwrap();
        // A change inside the linked directory is not the root's.
        assert_eq!(to_walk(&root, &root.join("link/x.txt"), false), None);
        assert_eq!(to_walk(&root, &root.join("link/deeper/x.txt"), false), None);
        // The link itself: its directory is walked one level (which leaves the link out).
        assert_eq!(
            to_walk(&root, &root.join("link"), false),
            Some((root.clone(), Some(1)))
        );
        assert_eq!(
            to_walk(&root, &root.join("sub"), false),
            Some((root.join("sub"), None))
        );
    }
}
