//! Taking files out of the index on request (`parafind remove`): named files, JSON Lines
//! collections, or everything under a directory, whether or not they still exist on disk. It
//! is all or nothing: a path that names nothing in the index fails the whole request before
//! anything is written, and the rest goes in one commit.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use tantivy::IndexWriter;

use super::document::ParagraphDoc;
use super::ingest::{delete_source, remove_orphans, MIN_MEMORY_PER_THREAD};
use super::key::lookup_keys;
use super::order::commit_recording_order;
use super::{damaged, files, key_path, lookup_key, roots, ParaIndex};
use crate::corpus;
use crate::error::{Error, Result};
use crate::warning::FileWarning;

/// What a removal did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RemoveReport {
    /// Files (and JSON Lines collections) taken out of the index.
    pub removed: u64,
    /// Paragraphs (and records) they held.
    pub paragraphs: u64,
    /// Seconds the removal took.
    pub seconds: f64,
    /// What went wrong without losing anything: the index's record of which segments are in
    /// path order could not be written (they then count as unordered).
    pub warnings: Vec<FileWarning>,
    /// The paths removed (as named) that are still on disk under a directory the index
    /// remembers: `refresh` and `watch` leave them out until they are ingested by name.
    pub left_out: Vec<PathBuf>,
}

/// Takes out of `index` every file at or under each of `paths` (resolved like [`lookup_key`]:
/// a path that no longer exists is resolved by name; a link, where the index holds a file at
/// its own place, is that file: see [`lookup_keys`]), and commits once.
pub fn remove(index: &ParaIndex, paths: &[PathBuf]) -> Result<RemoveReport> {
    let started = Instant::now();
    let held = files(index)?;
    // Documents (a file, or one record of a collection) by key.
    let mut documents = BTreeMap::new();
    let mut targets = Vec::with_capacity(paths.len());
    for path in paths {
        // The first of the keys the path may name that covers files the index holds.
        let found = (lookup_keys(path).iter()).find_map(|key| {
            let target = key_path(key);
            let matched: Vec<_> = (held.iter())
                .filter(|file| covers(&target, &key_path(&file.source)))
                .collect();
            (!matched.is_empty()).then_some((target, matched))
        });
        let Some((target, matched)) = found else {
            // A remembered directory the index holds nothing of now (gone, and its files
            // taken out by a refresh, which says to remove it): forgotten, nothing removed.
            let remembered = index.roots();
            let root = (lookup_keys(path).iter().map(|key| key_path(key)))
                .find(|target| remembered.iter().any(|root| covers(target, &root.dir())));
            match root {
                Some(target) => {
                    targets.push(target);
                    continue;
                }
                None => return Err(nothing_to_remove(&held, path)),
            }
        };
        for file in matched {
            documents.insert(&file.key, (&file.source, file.paragraphs));
        }
        targets.push(target);
    }
    let sources: BTreeSet<&String> = documents.values().map(|(source, _)| *source).collect();
    let paragraphs = documents.values().map(|(_, count)| count).sum();
    let mut writer: IndexWriter<ParagraphDoc> = index
        .index
        .writer_with_num_threads(1, MIN_MEMORY_PER_THREAD)
        .map_err(|e| damaged(&index.dir, e))?;
    remove_orphans(index, &writer)?;
    for source in &sources {
        delete_source(index, &writer, source)?;
    }
    let kept = roots::without(&index.roots_now()?, &targets);
    // What is still there under a remembered directory would come back with its next walk.
    let (left_out, named): (Vec<PathBuf>, Vec<PathBuf>) = targets
        .iter()
        .zip(paths)
        .filter(|(target, _)| std::fs::symlink_metadata(target).is_ok())
        .filter(|(target, _)| kept.iter().any(|r| corpus::is_under(target, &r.dir())))
        .map(|(target, named)| (target.clone(), named.clone()))
        .unzip();
    // A path named twice (however spelled) is said once, as first named.
    let mut said = std::collections::HashSet::new();
    let named: Vec<PathBuf> = (left_out.iter().zip(named))
        .filter(|(target, _)| said.insert(*target))
        .map(|(_, named)| named)
        .collect();
    let (_, warning) =
        commit_recording_order(index, &mut writer, &roots::leaving_out(&kept, &left_out))?;
    writer
        .wait_merging_threads()
        .map_err(|e| damaged(&index.dir, e))?;
    Ok(RemoveReport {
        removed: sources.len() as u64,
        paragraphs,
        seconds: started.elapsed().as_secs_f64(),
        warnings: warning.into_iter().collect(),
        left_out: named,
    })
}

/// Why `path` names nothing `remove` can take out of the index holding `held`: it is one record
/// of a collection (which goes with its collection), a record a collection held does not have,
/// or nothing held at all.
fn nothing_to_remove(held: &[super::FileEntry], path: &Path) -> Error {
    let key = lookup_key(path);
    // The collection held whose record the key would be (the longest, as ids may hold `#`),
    // as the user named it (`notes.jsonl` of `notes.jsonl#a`), else by its key; and the id.
    let collection_of = |key: &str| {
        let (collection, id) = (held.iter())
            .filter(|file| file.source != file.key)
            .filter_map(|file| {
                let id = key.strip_prefix(file.source.as_str())?.strip_prefix('#')?;
                Some((file.source.as_str(), id))
            })
            .max_by_key(|(collection, _)| collection.len())?;
        Some((
            super::collection_as_named(path, collection, id),
            id.to_string(),
        ))
    };
    let path = path.to_path_buf();
    match collection_of(&key) {
        Some((collection, _)) if held.iter().any(|file| file.key == key) => {
            Error::RecordNotRemovable { path, collection }
        }
        Some((collection, id)) => Error::NoSuchRecord {
            path,
            collection,
            id,
        },
        None => Error::NothingToRemove { path },
    }
}

/// Whether removing `target` takes out the file at `source`: it is that file, or lies under it.
fn covers(target: &Path, source: &Path) -> bool {
    source == target || corpus::is_under(source, target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_covers_itself_and_what_lies_under_it_only() {
        let dir = Path::new("/notes/a");
        assert!(covers(dir, Path::new("/notes/a")));
        assert!(covers(dir, Path::new("/notes/a/b.txt")));
        assert!(!covers(dir, Path::new("/notes/ab.txt")));
        assert!(!covers(dir, Path::new("/notes")));
    }
}
