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
            })
            .collect()
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
            ..WalkOptions::default()
        }
    }
}

/// `old` and then those of `new` not already in it.
pub fn merged(old: &[Root], new: Vec<Root>) -> Vec<Root> {
    let mut roots = old.to_vec();
    for root in new {
        if !roots.contains(&root) {
            roots.push(root);
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

/// The roots a run records: what it planned from the roots it `opened` the index with
/// (`planned`: roots added, roots taken away) applied to the roots its last commit has `now`,
/// read with the writer held. Another run may have committed in between (an `ingest` while
/// `watch` runs, two ingests started together), and its roots must not be forgotten.
pub fn rebased(opened: &[Root], planned: &[Root], now: &[Root]) -> Vec<Root> {
    let kept: Vec<Root> = now
        .iter()
        .filter(|root| planned.contains(root) || !opened.contains(root))
        .cloned()
        .collect();
    let added = planned
        .iter()
        .filter(|root| !opened.contains(root))
        .cloned();
    merged(&kept, added.collect())
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
        }
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
    fn removing_a_directory_forgets_the_roots_under_it() {
        let old = [root("/a/x", &[]), root("/a", &[]), root("/ab", &[])];
        assert_eq!(without(&old, &[PathBuf::from("/a")]), [root("/ab", &[])]);
    }
}
