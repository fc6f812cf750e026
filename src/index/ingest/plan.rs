//! What one run of ingest handles: the files a walk found (or, for `refresh`, the walks of
//! every root the index remembers and every file it holds), collections and standard input,
//! which files it removes when they are gone, and the roots the index remembers afterwards.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{IngestOptions, Known};
use crate::corpus::{self, FoundFile};
use crate::error::Result;
use crate::index::{key_path, roots, ParaIndex, Root};
use crate::warning::FileWarning;

/// Which files the index holds and a run did not meet are removed, when they no longer exist.
pub(super) enum Vanished {
    /// Those under these directories (canonical): the ones ingest walked.
    Under(Vec<PathBuf>),
    /// Any (refresh): every file and collection the index holds was checked.
    Anywhere,
}

/// One run's work.
pub(super) struct Plan {
    pub(super) files: Vec<FoundFile>,
    pub(super) warnings: Vec<FileWarning>,
    pub(super) collections: Vec<PathBuf>,
    pub(super) stdin: Option<(String, Vec<u8>)>,
    pub(super) vanished: Vanished,
    /// Also check every file and collection the index holds (refresh).
    pub(super) every_known: bool,
    /// The roots the index remembers after the run.
    pub(super) roots: Vec<Root>,
}

impl Plan {
    /// An ingest of `options`: its walk, collections and standard input; files gone from the
    /// directories walked are removed, and those directories are remembered with the filters.
    pub(super) fn ingest(index: &ParaIndex, options: &IngestOptions) -> Result<Plan> {
        corpus::check_roots(&options.jsonl)?;
        let mut walk_options = options.walk.clone();
        walk_options.exclude.push(index.dir.clone());
        let walk = corpus::walk(&options.roots, &walk_options)?;
        let directories = options
            .roots
            .iter()
            .filter(|r| r.is_dir())
            .filter_map(|r| std::fs::canonicalize(r).ok())
            .collect();
        Ok(Plan {
            files: walk.files,
            warnings: walk.warnings,
            collections: options.jsonl.clone(),
            stdin: options.stdin.clone(),
            vanished: Vanished::Under(directories),
            every_known: false,
            roots: roots::merged(index.roots(), Root::recorded(&options.roots, &options.walk)),
        })
    }

    /// A refresh: every remembered root walked again with its filters, and (once the writer
    /// is held, by [`Plan::add_known`]) every file and collection the index holds.
    pub(super) fn refresh(index: &ParaIndex) -> Result<Plan> {
        let mut plan = Plan {
            files: Vec::new(),
            warnings: Vec::new(),
            collections: Vec::new(),
            stdin: None,
            vanished: Vanished::Anywhere,
            every_known: true,
            roots: index.roots().to_vec(),
        };
        for root in index.roots() {
            let dir = root.dir();
            if !dir.is_dir() {
                continue;
            }
            let mut options = root.walk_options();
            options.exclude.push(index.dir.clone());
            let walk = corpus::walk(&[dir], &options)?;
            plan.files.extend(walk.files);
            plan.warnings.extend(walk.warnings);
        }
        Ok(plan)
    }

    /// Adds the files and collections of `known` that still exist (files met twice are
    /// handled once). Documents from standard input have no file and are left as they are.
    pub(super) fn add_known(&mut self, known: &HashMap<String, Known>) {
        let mut sources: Vec<(&String, &Known)> = known.iter().collect();
        sources.sort_by(|a, b| a.0.cmp(b.0));
        for (source, known) in sources {
            if known.mtime_ns == 0 {
                continue;
            }
            let path = key_path(source);
            let Ok(metadata) = std::fs::metadata(&path) else {
                continue;
            };
            if !metadata.is_file() {
                continue;
            }
            if known.collection {
                self.collections.push(path);
            } else {
                let (size, mtime_ns) = corpus::stamp(&metadata);
                self.files.push(FoundFile {
                    path,
                    size,
                    mtime_ns,
                    canonical: None,
                });
            }
        }
    }
}
