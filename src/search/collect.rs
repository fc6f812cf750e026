//! Collecting the files that hold matches (`--files-with-matches`): per file, how many
//! paragraphs match and the best score, without loading any stored document.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentReader};

use crate::index::schema;

/// A file with matching paragraphs.
#[derive(Debug, Clone, PartialEq)]
pub struct FileMatch {
    /// The file's key.
    pub path: String,
    /// How many of its paragraphs match.
    pub matches: u64,
    /// The best score among them.
    pub best_score: f32,
}

/// Collects [`FileMatch`]es, best file first (ties by path).
pub struct FilesCollector;

/// Per segment: path ordinal → (matches, best score).
pub struct FilesSegmentCollector {
    paths: Option<StrColumn>,
    seen: HashMap<u64, (u64, Score)>,
}

impl Collector for FilesCollector {
    type Fruit = Vec<FileMatch>;
    type Child = FilesSegmentCollector;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(FilesSegmentCollector {
            paths: segment.fast_fields().str(schema::PATH)?,
            seen: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<Vec<FileMatch>>) -> tantivy::Result<Vec<FileMatch>> {
        let mut by_path: HashMap<String, FileMatch> = HashMap::new();
        for file in segments.into_iter().flatten() {
            match by_path.get_mut(&file.path) {
                Some(existing) => {
                    existing.matches += file.matches;
                    existing.best_score = existing.best_score.max(file.best_score);
                }
                None => {
                    by_path.insert(file.path.clone(), file);
                }
            }
        }
        let mut files: Vec<FileMatch> = by_path.into_values().collect();
        files.sort_by(|a, b| {
            b.best_score
                .total_cmp(&a.best_score)
                .then_with(|| a.path.cmp(&b.path))
        });
        Ok(files)
    }
}

impl SegmentCollector for FilesSegmentCollector {
    type Fruit = Vec<FileMatch>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let Some(ord) = self.paths.as_ref().and_then(|p| p.ords().first(doc)) else {
            return;
        };
        let entry = self.seen.entry(ord).or_insert((0, Score::MIN));
        entry.0 += 1;
        entry.1 = entry.1.max(score);
    }

    fn harvest(self) -> Vec<FileMatch> {
        let Some(paths) = self.paths else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(self.seen.len());
        let mut name = String::new();
        for (ord, (matches, best_score)) in self.seen {
            name.clear();
            if paths.ord_to_str(ord, &mut name).unwrap_or(false) {
                out.push(FileMatch {
                    path: name.clone(),
                    matches,
                    best_score,
                });
            }
        }
        out
    }
}
