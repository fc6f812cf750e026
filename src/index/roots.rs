//! The roots an index remembers: each directory ingested, with the walk filters it was
//! ingested with, kept in the commit payload so that `refresh` can walk them again and find
//! new files the way the user first asked for them.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{key_path, path_key, ParaIndex};
use crate::corpus::{self, ParseOptions, WalkOptions};

/// A directory that was ingested, and how.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Root {
    /// The key of the directory's canonical path.
    pub path: String,
    /// Hidden files were walked too.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
    /// Glob filters, relative to `base`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub globs: Vec<String>,
    /// File types kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<String>,
    /// The key of the directory the globs were relative to (when there are globs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// HTML pages were read whole (`--whole-html`), not only their main content.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub whole_html: bool,
    /// The keys of files and directories under it taken out of the index with `remove`,
    /// which its walks leave out until they are ingested by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
}

impl Root {
    /// The roots an ingest of `roots` with `walk` and `parse` records: its directories,
    /// canonical.
    pub fn recorded(roots: &[PathBuf], walk: &WalkOptions, parse: ParseOptions) -> Vec<Root> {
        let base = match walk.globs.is_empty() {
            true => None,
            false => walk
                .base
                .clone()
                .or_else(|| std::env::current_dir().ok())
                .map(|dir| path_key(&dir)),
        };
        roots
            .iter()
            .filter(|root| root.is_dir())
            .filter_map(|root| std::fs::canonicalize(root).ok())
            .map(|dir| Root {
                path: path_key(&dir),
                hidden: walk.hidden,
                globs: walk.globs.clone(),
                types: walk.types.clone(),
                base: base.clone(),
                whole_html: parse.whole_html,
                removed: Vec::new(),
            })
            .collect()
    }

    /// Whether `other` walks the same directory with the same filters (what it leaves out
    /// aside) and reads its documents the same way.
    pub fn same_walk(&self, other: &Root) -> bool {
        self.same_files(other) && self.whole_html == other.whole_html
    }

    /// Whether `other` walks the same directory with the same filters (what it leaves out
    /// aside), however it reads them.
    fn same_files(&self, other: &Root) -> bool {
        // Every field named, so that a new one is weighed here.
        let Root {
            path,
            hidden,
            globs,
            types,
            base,
            whole_html: _,
            removed: _,
        } = self;
        (path, hidden, globs, types, base)
            == (
                &other.path,
                &other.hidden,
                &other.globs,
                &other.types,
                &other.base,
            )
    }

    /// The directory.
    pub fn dir(&self) -> PathBuf {
        key_path(&self.path)
    }

    /// How to walk it again.
    pub fn walk_options(&self) -> WalkOptions {
        WalkOptions {
            hidden: self.hidden,
            globs: self.globs.clone(),
            types: self.types.clone(),
            base: self.base.as_deref().map(key_path),
            omit: self.removed.iter().map(|key| key_path(key)).collect(),
            ..WalkOptions::default()
        }
    }
}

/// `old` and then those of `new` not already in it (the same walk: see [`Root::same_walk`]).
/// A directory and filters ingested again the other way (`--whole-html` or not) are read the
/// newer way from then on (what `remove` left out of it stays out).
pub fn merged(old: &[Root], new: Vec<Root>) -> Vec<Root> {
    let mut roots = old.to_vec();
    for root in new {
        if roots.iter().any(|r| r.same_walk(&root)) {
            continue;
        }
        match roots.iter_mut().find(|r| r.same_files(&root)) {
            Some(other_way) => other_way.whole_html = root.whole_html,
            None => roots.push(root),
        }
    }
    roots
}

/// `old` without the roots at or under any of `removed` (canonical or resolved paths).
pub fn without(old: &[Root], removed: &[PathBuf]) -> Vec<Root> {
    old.iter()
        .filter(|root| {
            let dir = root.dir();
            !removed
                .iter()
                .any(|gone| dir == *gone || corpus::is_under(&dir, gone))
        })
        .cloned()
        .collect()
}

/// `old` with each of `left_out` (canonical paths) remembered as removed from the roots it
/// lies under (strictly), so that their walks leave it out (see [`Root::removed`]).
pub fn leaving_out(old: &[Root], left_out: &[PathBuf]) -> Vec<Root> {
    let mut roots = old.to_vec();
    for root in &mut roots {
        let dir = root.dir();
        for path in left_out.iter().filter(|path| corpus::is_under(path, &dir)) {
            // One key for a path and what lies under it.
            if root
                .removed
                .iter()
                .any(|key| path.starts_with(key_path(key)))
            {
                continue;
            }
            root.removed.retain(|key| !key_path(key).starts_with(path));
            root.removed.push(path_key(path));
        }
    }
    roots
}

/// `old` with what was removed at or under `ingested` (canonical paths) no longer left out:
/// ingesting a path by name takes it back.
pub fn taking_back(old: &[Root], ingested: &[PathBuf]) -> Vec<Root> {
    let mut roots = old.to_vec();
    for root in &mut roots {
        root.removed
            .retain(|key| !ingested.iter().any(|path| key_path(key).starts_with(path)));
    }
    roots
}

/// The roots a run records: what it planned from the roots it `opened` the index with
/// (`planned`: roots added, roots taken away) applied to the roots its last commit has `now`,
/// read with the writer held. Another run may have committed in between (an `ingest` while
/// `watch` runs, two ingests started together), and its roots must not be forgotten.
pub fn rebased(opened: &[Root], planned: &[Root], now: &[Root]) -> Vec<Root> {
    let find = |roots: &[Root], root: &Root| roots.iter().find(|r| r.same_walk(root)).cloned();
    let kept: Vec<Root> = now
        .iter()
        .filter(|root| find(planned, root).is_some() || find(opened, root).is_none())
        .cloned()
        .collect();
    let added = planned
        .iter()
        .filter(|root| find(opened, root).is_none())
        .cloned();
    let mut roots = merged(&kept, added.collect());
    // What the run took back and left out of a root, applied to what it leaves out now.
    for root in &mut roots {
        if let (Some(was), Some(will)) = (find(opened, root), find(planned, root)) {
            root.removed
                .retain(|key| will.removed.contains(key) || !was.removed.contains(key));
            for key in will.removed.iter().filter(|key| !was.removed.contains(key)) {
                if !root.removed.contains(key) {
                    root.removed.push(key.clone());
                }
            }
        }
    }
    roots
}

/// How a refresh reads documents: HTML whole when any root was ingested so.
pub fn refresh_parse(roots: &[Root]) -> ParseOptions {
    ParseOptions {
        whole_html: roots.iter().any(|r| r.whole_html),
    }
}

impl ParaIndex {
    /// The directories ingested into this index, with their filters (as of its last commit).
    pub fn roots(&self) -> &[Root] {
        self.payload.as_ref().map_or(&[], |p| &p.roots)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(path: &str, globs: &[&str]) -> Root {
        Root {
            path: path.into(),
            hidden: false,
            globs: globs.iter().map(|g| g.to_string()).collect(),
            types: Vec::new(),
            base: None,
            whole_html: false,
            removed: Vec::new(),
        }
    }

    #[test]
    fn a_path_removed_under_a_root_is_left_out_until_ingested_by_name() {
        let (a, ab) = (root("/a", &[]), root("/ab", &[]));
        let paths = |list: &[&str]| -> Vec<PathBuf> { list.iter().map(PathBuf::from).collect() };
        let removed = |roots: &[Root]| -> Vec<Vec<String>> {
            roots.iter().map(|r| r.removed.clone()).collect()
        };
        // Under /a only (not /ab, not /a itself); a path under one already left out is in it.
        let roots = leaving_out(
            &[a.clone(), ab.clone()],
            &paths(&["/a/x", "/a/y/z.txt", "/a", "/ab2"]),
        );
        assert_eq!(removed(&roots), [vec!["/a/x", "/a/y/z.txt"], vec![]]);
        let roots = leaving_out(&roots, &paths(&["/a/x/deeper", "/a/y"]));
        assert_eq!(removed(&roots), [vec!["/a/x", "/a/y"], vec![]]);
        // Walks leave them out.
        assert_eq!(roots[0].walk_options().omit, paths(&["/a/x", "/a/y"]));
        // Ingesting a path takes back what was removed at or under it.
        assert_eq!(
            removed(&taking_back(&roots, &paths(&["/a/x"]))),
            [vec!["/a/y"], vec![]]
        );
        assert_eq!(
            removed(&taking_back(&roots, &paths(&["/a/x/deeper"])))[0].len(),
            2
        );
        assert_eq!(taking_back(&roots, &paths(&["/a"])), [a, ab]);
    }

    #[test]
    fn merging_keeps_each_root_and_filter_set_once() {
        let old = [root("/a", &[]), root("/b", &["*.md"])];
        let new = vec![root("/b", &["*.md"]), root("/b", &["*.txt"])];
        assert_eq!(
            merged(&old, new),
            [
                root("/a", &[]),
                root("/b", &["*.md"]),
                root("/b", &["*.txt"])
            ]
        );
    }

    #[test]
    fn a_directory_ingested_again_the_other_way_is_read_the_newer_way() {
        let whole = |whole_html: bool, removed: &[&str]| Root {
            whole_html,
            removed: removed.iter().map(|r| r.to_string()).collect(),
            ..root("/a", &[])
        };
        let other = root("/b", &[]);
        assert_eq!(
            merged(
                &[whole(true, &["/a/x"]), other.clone()],
                vec![whole(false, &[])]
            ),
            [whole(false, &["/a/x"]), other.clone()]
        );
        assert_eq!(
            merged(&[whole(false, &[])], vec![whole(true, &[])]),
            [whole(true, &[])]
        );
        // Other filters are another walk, kept beside it.
        let markdown = Root {
            whole_html: true,
            ..root("/a", &["*.md"])
        };
        assert_eq!(
            merged(&[whole(false, &[])], vec![markdown.clone()]),
            [whole(false, &[]), markdown]
        );
        // A run that read it the other way records the newer way over the newest roots.
        assert_eq!(
            rebased(
                &[whole(true, &[])],
                &[whole(false, &[])],
                &[whole(true, &[]), other.clone()]
            ),
            [other, whole(false, &[])]
        );
    }

    #[test]
    fn a_run_records_its_own_changes_over_the_newest_roots() {
        let (a, b, c, d) = (
            root("/a", &[]),
            root("/b", &[]),
            root("/c", &[]),
            root("/d", &[]),
        );
        // Opened with a and b; planned to add d and take b away; meanwhile c was committed.
        let opened = [a.clone(), b.clone()];
        let planned = [a.clone(), d.clone()];
        let now = [a.clone(), b.clone(), c.clone()];
        assert_eq!(rebased(&opened, &planned, &now), [a.clone(), c.clone(), d]);
        // Nothing changed in between: the plan as it is.
        assert_eq!(rebased(&opened, &opened, &opened), opened);
        // A root another run took away stays away, unless this run adds it.
        let only_a = std::slice::from_ref(&a);
        assert_eq!(rebased(&opened, &opened, only_a), only_a);
        assert_eq!(rebased(only_a, &[a.clone(), b.clone()], &[]), [b]);
    }

    #[test]
    fn a_run_records_what_it_took_back_and_left_out_over_another_runs_removal() {
        let with = |removed: &[&str]| Root {
            removed: removed.iter().map(|r| r.to_string()).collect(),
            ..root("/a", &[])
        };
        // Opened with /a/x left out; this run takes /a/x back (an ingest) while another run
        // left /a/y out: one root, leaving out /a/y only.
        let got = rebased(&[with(&["/a/x"])], &[with(&[])], &[with(&["/a/x", "/a/y"])]);
        assert_eq!(got, [with(&["/a/y"])]);
        // This run leaves /a/z out (a removal) while another left /a/y out: both.
        let got = rebased(&[with(&[])], &[with(&["/a/z"])], &[with(&["/a/y"])]);
        assert_eq!(got, [with(&["/a/y", "/a/z"])]);
        // A root another run added with the same walk is not added twice.
        assert_eq!(
            merged(&[with(&["/a/y"])], vec![with(&[])]),
            [with(&["/a/y"])]
        );
    }

    #[test]
    fn removing_a_directory_forgets_the_roots_under_it() {
        let old = [root("/a/x", &[]), root("/a", &[]), root("/ab", &[])];
        assert_eq!(without(&old, &[PathBuf::from("/a")]), [root("/ab", &[])]);
    }
}
