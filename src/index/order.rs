//! Which segments hold their documents in path order: path ordinals that never decrease with
//! the document number. In such a segment, documents of equal score rank by document number
//! exactly as they would by path and paragraph, so search need not read their paths.
//!
//! Ingest hands files to the writer in key order, so each segment it writes is in path order;
//! it checks every segment it does not know yet after committing, and records the ordered ones
//! in the commit payload. A segment that is not checked (merged, or from an older build) simply
//! counts as unordered.

use tantivy::columnar::Cardinality;
use tantivy::{Searcher, SegmentReader};

use super::schema;

/// The ids (`SegmentId::uuid_string`) of the segments of `searcher` that are in path order:
/// those in `known` (deletions never reorder a segment), and the others checked now.
pub fn path_ordered_segments(
    searcher: &Searcher,
    known: &[String],
) -> tantivy::Result<Vec<String>> {
    let mut ordered = Vec::new();
    for reader in searcher.segment_readers() {
        let id = reader.segment_id().uuid_string();
        if known.contains(&id) || in_path_order(reader)? {
            ordered.push(id);
        }
    }
    Ok(ordered)
}

/// True when every document of `reader` has one path and their ordinals never decrease.
fn in_path_order(reader: &SegmentReader) -> tantivy::Result<bool> {
    let Some(paths) = reader.fast_fields().str(schema::PATH)? else {
        return Ok(false);
    };
    let ords = paths.ords();
    if ords.get_cardinality() != Cardinality::Full {
        return Ok(false);
    }
    let mut previous = 0;
    for ord in ords.values.iter() {
        if ord < previous {
            return Ok(false);
        }
        previous = ord;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{ingest, open, open_or_create, IngestOptions};

    fn ordered_flags(dir: &std::path::Path) -> Vec<bool> {
        let index = open(dir).unwrap();
        let searcher = index.searcher().unwrap();
        let flags = searcher
            .segment_readers()
            .iter()
            .map(|r| index.in_path_order(r.segment_id()))
            .collect();
        // What is recorded is what a fresh check finds.
        let checked = path_ordered_segments(&searcher, &[]).unwrap();
        let fresh: Vec<bool> = searcher
            .segment_readers()
            .iter()
            .map(|r| checked.contains(&r.segment_id().uuid_string()))
            .collect();
        assert_eq!(flags, fresh);
        flags
    }

    #[test]
    fn ingest_records_segments_in_path_order_and_only_those() {
        let temp = assert_fs::TempDir::new().unwrap();
        let docs = temp.path().join("docs");
        // Walked as a/x.txt, a-b.txt, a.txt; their keys sort as a-b.txt, a.txt, a/x.txt.
        std::fs::create_dir_all(docs.join("a")).unwrap();
        for name in ["a/x.txt", "a-b.txt", "a.txt", "b.txt", "a/y.txt"] {
            std::fs::write(docs.join(name), "alpha beta\n\ngamma\n").unwrap();
        }
        let dir = temp.path().join("index");
        let mut options = IngestOptions::new(vec![docs.clone()]);
        options.threads = 1; // One segment, in the order the files are handed over.
        ingest(&open_or_create(&dir).unwrap(), &options).unwrap();
        let flags = ordered_flags(&dir);
        assert!(!flags.is_empty() && flags.iter().all(|&f| f), "{flags:?}");

        // A collection's records keep their own order (here against their keys): not ordered.
        let records = temp.path().join("c.jsonl");
        std::fs::write(
            &records,
            "{\"id\":\"z\",\"text\":\"alpha\"}\n{\"id\":\"m\",\"text\":\"alpha\"}\n",
        )
        .unwrap();
        let mut options = IngestOptions::new(Vec::new());
        options.jsonl = vec![records];
        options.threads = 1; // Both records in one segment.
        ingest(&open(&dir).unwrap(), &options).unwrap();
        let flags = ordered_flags(&dir);
        assert_eq!(flags.iter().filter(|&&f| !f).count(), 1, "{flags:?}");
        assert!(flags.iter().filter(|&&f| f).count() >= 1, "{flags:?}");
    }
}
