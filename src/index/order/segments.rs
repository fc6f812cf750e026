//! Which segments hold their documents in path order (their path ordinals, then paragraph
//! numbers, never decrease with the document number), checked after an ingest's commit and
//! named in the payload of a second commit (see [`super`] for why), and checked again after
//! the ingest's merges (only the segments they made); and an ordered segment's range of files,
//! by which ingest picks merges that keep the order. Segments named by an earlier commit are
//! trusted, not checked again: deletions never reorder a segment, so one named once stays
//! named. (Earlier builds wrote their names under another key, `path_ordered`, which is not
//! read: those before session 13 checked path ordinals only. Their segments are checked again
//! at the next ingest.)

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
/// are the caller's to wait for. Returns the segments the index now names in path order, and
/// the warning when the second commit failed.
pub fn commit_recording_order(
    index: &ParaIndex,
    writer: &mut IndexWriter<ParagraphDoc>,
    roots: &[Root],
) -> Result<(Vec<String>, Option<FileWarning>)> {
    let known = index.path_ordered();
    commit_with_payload(index, writer, known.to_vec(), roots)?;
    match record_order(index, writer, roots, known) {
        Ok(ordered) => Ok((ordered, None)),
        Err(err) => Ok((
            known.to_vec(),
            Some(FileWarning {
                path: index.dir.clone(),
                problem: FileProblem::OrderNotRecorded {
                    reason: err.to_string(),
                },
            }),
        )),
    }
}

/// Records, in a commit of its own, which segments are in path order now: those in `known`
/// that are still there, and the others checked (after merges, the segments they made).
/// Returns them; a failure to record loses nothing (they count as unordered) and is the
/// caller's to report.
pub fn record_order(
    index: &ParaIndex,
    writer: &mut IndexWriter<ParagraphDoc>,
    roots: &[Root],
    known: &[String],
) -> Result<Vec<String>> {
    let searcher = index.searcher()?;
    let ordered = path_ordered_segments(&searcher, known).map_err(|e| damaged(&index.dir, e))?;
    // What a rebuild must name besides the roots, as this commit holds it.
    if let Ok(by_name) = crate::index::ByName::of(&searcher, index.fields, roots) {
        by_name.save(&index.dir);
    }
    drop(searcher);
    commit_with_payload(index, writer, ordered.clone(), roots)?;
    Ok(ordered)
}

/// The first and last keys of the files in the segment of `reader` (none when it has no
/// path): for a segment in path order, the range its files cover. Segments whose ranges follow
/// one another merge into a segment in path order, since tantivy stacks the segments it
/// merges.
pub fn file_range(reader: &SegmentReader) -> tantivy::Result<Option<(String, String)>> {
    let Some(paths) = reader.fast_fields().str(schema::PATH)? else {
        return Ok(None);
    };
    let Some(last) = paths.num_terms().checked_sub(1) else {
        return Ok(None);
    };
    let (mut first_key, mut last_key) = (String::new(), String::new());
    if paths.ord_to_str(0, &mut first_key)? && paths.ord_to_str(last as u64, &mut last_key)? {
        Ok(Some((first_key, last_key)))
    } else {
        Ok(None)
    }
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

/// True when every document of `reader` has one path and one paragraph number, and (path
/// ordinal, paragraph number) never decreases with the document number. Checking paragraph
/// numbers too matters for merged segments: a file's batches written by two threads can end
/// one segment and start the next, in either order.
fn in_path_order(reader: &SegmentReader) -> tantivy::Result<bool> {
    let Some(paths) = reader.fast_fields().str(schema::PATH)? else {
        return Ok(false);
    };
    let ords = paths.ords();
    let paragraphs = reader.fast_fields().u64(schema::PARAGRAPH)?;
    if ords.get_cardinality() != Cardinality::Full
        || paragraphs.get_cardinality() != Cardinality::Full
    {
        return Ok(false);
    }
    let mut previous = (0, 0);
    for key in ords.values.iter().zip(paragraphs.values.iter()) {
        if key < previous {
            return Ok(false);
        }
        previous = key;
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

    #[test]
    fn an_unchanged_ingest_records_anew_what_an_earlier_build_recorded() {
        let temp = assert_fs::TempDir::new().unwrap();
        crate::index::ingested_for_test(temp.path(), &[("a.txt", "alpha\n\nbeta\n")]);
        let dir = temp.path().join("index");
        assert_eq!(ordered_flags(&dir), [true]);
        // The record as an earlier build wrote it (the payload is a JSON string in meta.json).
        let meta = dir.join("meta.json");
        let text = std::fs::read_to_string(&meta).unwrap();
        let key = r#"\"path_and_paragraph_ordered\""#;
        assert!(text.contains(key), "{text}");
        std::fs::write(&meta, text.replace(key, r#"\"path_ordered\""#)).unwrap();
        let index = open(&dir).unwrap();
        let searcher = index.searcher().unwrap();
        assert!(!index.in_path_order(searcher.segment_reader(0).segment_id()));
        assert!(index.order_recorded_by_older_build());
        let report = ingest(&index, &IngestOptions::new(vec![temp.path().join("docs")])).unwrap();
        assert!(report.committed && report.added == 0, "{report:?}");
        assert_eq!(ordered_flags(&dir), [true]);
        assert!(!open(&dir).unwrap().order_recorded_by_older_build());
    }

    /// Whether one segment holding documents with these (path, paragraph) pairs, in this
    /// order, counts as in path order.
    fn ordered(docs: &[(&str, u64)]) -> bool {
        let index = tantivy::Index::create_in_ram(schema::schema());
        crate::analysis::register(&index);
        let (path, paragraph) = (
            index.schema().get_field(schema::PATH).unwrap(),
            index.schema().get_field(schema::PARAGRAPH).unwrap(),
        );
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for &(key, number) in docs {
            let mut doc = tantivy::TantivyDocument::new();
            doc.add_text(path, key);
            doc.add_u64(paragraph, number);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        in_path_order(searcher.segment_reader(0)).unwrap()
    }

    #[test]
    fn a_segment_is_in_path_order_only_with_its_paragraphs_in_order() {
        assert!(ordered(&[("a", 0), ("a", 1), ("b", 0), ("c", 4)]));
        assert!(!ordered(&[("b", 0), ("a", 0)]));
        // A file whose later paragraphs come first (its batches from two segments, merged in
        // the wrong order) is not in order, though its path ordinals never decrease.
        assert!(!ordered(&[
            ("a", 0),
            ("b", 5),
            ("b", 6),
            ("b", 0),
            ("c", 0)
        ]));
    }
}
