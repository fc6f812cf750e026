//! Which segments hold their documents in path order (their path ordinals never decrease with
//! the document number), checked after an ingest's commit and named in the payload of a second
//! commit (see [`super`] for why). A segment not checked (merged, or from an older build) counts
//! as unordered. Deletions never reorder a segment, so one named once stays named.

use tantivy::columnar::Cardinality;
use tantivy::{IndexWriter, Searcher, SegmentReader};

use crate::error::Result;
use crate::index::document::ParagraphDoc;
use crate::index::{damaged, payload_json, schema, ParaIndex, Root};
use crate::warning::{FileProblem, FileWarning};

/// Commits what `writer` holds, then records in a second commit which segments are in path
/// order. The first commit names the segments known to be before, so an interruption between
/// the two loses only the news about the segments just written, which then count as unordered.
/// Failing to record that news loses nothing either: it is a warning, not an error. Both
/// commits record `roots`, the directories the index now remembers. Merges the commits start
/// are the caller's to wait for.
pub fn commit_recording_order(
    index: &ParaIndex,
    writer: &mut IndexWriter<ParagraphDoc>,
    roots: &[Root],
) -> Result<Option<FileWarning>> {
    let known = index.path_ordered();
    commit_with_payload(index, writer, known.to_vec(), roots)?;
    let recorded = index.searcher().and_then(|searcher| {
        let ordered =
            path_ordered_segments(&searcher, known).map_err(|e| damaged(&index.dir, e))?;
        commit_with_payload(index, writer, ordered, roots)
    });
    Ok(recorded.err().map(|err| FileWarning {
        path: index.dir.clone(),
        problem: FileProblem::OrderNotRecorded {
            reason: err.to_string(),
        },
    }))
}

/// Commits what `writer` holds with a payload naming the segments `path_ordered` and `roots`.
fn commit_with_payload(
    index: &ParaIndex,
    writer: &mut IndexWriter<ParagraphDoc>,
    path_ordered: Vec<String>,
    roots: &[Root],
) -> Result<()> {
    let mut commit = writer
        .prepare_commit()
        .map_err(|e| damaged(&index.dir, e))?;
    commit.set_payload(&payload_json(path_ordered, roots));
    commit.commit().map_err(|e| damaged(&index.dir, e))?;
    Ok(())
}

/// The ids (`SegmentId::uuid_string`) of the segments of `searcher` that are in path order:
/// those in `known` (deletions never reorder a segment), and the others checked now.
fn path_ordered_segments(searcher: &Searcher, known: &[String]) -> tantivy::Result<Vec<String>> {
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
