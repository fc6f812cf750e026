//! The order of equal scores: **hits of equal score are ordered by path, then paragraph
//! number** (paths in byte order, as the index's path column sorts them), whatever the query,
//! the page or the segments. This module states that policy and holds its pieces; ingest and
//! search reach them only through it.
//!
//! Ingest writes segments in path order, so that search rarely reads a path:
//! - Key order ([`in_key_order`]): an ingest lists its files by key, each once, and then the
//!   collections and standard input in the order given.
//! - Turns ([`Turns`]): workers read and parse items in parallel, but an item's paragraphs go to
//!   the writer only once every item listed before it is in, as one batch in paragraph order
//!   (several for a file over 4 MB of text). So each segment an ingest writes holds files in
//!   path order, and a file's paragraphs in paragraph order.
//! - The record ([`commit_recording_order`]): after committing, ingest checks each segment it
//!   does not know yet (path ordinals never decrease with the document number) and names the
//!   ordered ones in the commit payload (`path_ordered`), in a second commit;
//!   [`ParaIndex::in_path_order`] reads it back. A segment not named (holding a collection's
//!   records out of key order, or written just before an interrupted commit) counts as
//!   unordered: slower to rank, never wrong. The check covers paragraph numbers too.
//! - Merges ([`file_range`], [`record_order`]): tantivy stacks the segments it
//!   merges, so ingest merges chains of segments whose files follow one another, in that
//!   order (two indexing threads interleave files, but each thread's segments follow one
//!   another), and records the order again after merging: merged segments stay in path
//!   order.
//!
//! Search (`search::collect`) orders equal scores with three strategies ([`ties`]):
//! 1. In a segment in path order, the document number is the path-then-paragraph order: equal
//!    scores rank by document number and no path is read. A run of equal scores spread over
//!    several such segments is merged, reading the stored paths of the hits it compares only.
//! 2. Elsewhere a segment keeps its best hits by score alone and sets aside those tied with its
//!    lowest kept score; paths are read only for ties: a few from the stored documents, more
//!    from the segments' path columns (ordinals within a segment, the text across segments,
//!    paragraph numbers for a path found in several). Past a bound of ties, the segment ranks by
//!    path ordinal as it goes.
//! 3. A query whose every match scores the same (a word set) takes a path-ordered segment's
//!    first matches as its best, and only counts the rest.
//!
//! Within a segment a path's paragraphs are in paragraph order (a batch, or batches added in
//! order), so strategy 2 within one segment needs only the path ordinal and document number.
//! One known exception: a file over one writer batch can have batches in two segments that
//! are not in path order, and a merge of those may stack its later paragraphs first; strategy
//! 2 then orders that file's tied paragraphs by document number. (A merged chain of segments
//! in path order is named only if the check finds its paragraphs in order too.)
//! `remove` commits with tantivy's own merging; a segment it merges counts as unordered until
//! the next ingest checks it.

mod segments;
mod turns;

pub(crate) mod ties;

use super::{path_key, ParaIndex};
use crate::corpus::FoundFile;

pub use segments::{commit_recording_order, file_range, record_order};
pub use turns::Turns;

/// `files` sorted by their keys (byte order, as the index's path column sorts them), each once
/// (roots that overlap find a file twice), each with its canonical path resolved where the
/// walk did not know it (a file that cannot be resolved keeps none, and fails when it is
/// read). Handed to the writer in this order, a segment's documents are in path order.
pub fn in_key_order(mut files: Vec<FoundFile>) -> Vec<FoundFile> {
    for file in files.iter_mut().filter(|f| f.canonical.is_none()) {
        file.canonical = std::fs::canonicalize(&file.path).ok();
    }
    files.sort_by_cached_key(|f| f.canonical.as_deref().map(path_key));
    files.dedup_by(|a, b| a.canonical.is_some() && a.canonical == b.canonical);
    files
}

impl ParaIndex {
    /// True when the segment `id` is known to hold its documents in path order.
    pub fn in_path_order(&self, id: tantivy::index::SegmentId) -> bool {
        self.path_ordered().contains(&id.uuid_string())
    }

    /// True when the last commit's record of ordered segments came from an earlier build
    /// (under a key that is not read): an ingest then records it anew.
    pub(crate) fn order_recorded_by_older_build(&self) -> bool {
        self.payload
            .as_ref()
            .is_some_and(|p| !p.older_order_record.is_empty())
    }

    /// The ids of the segments the last commit names as in path order.
    fn path_ordered(&self) -> &[String] {
        self.payload.as_ref().map_or(&[], |p| &p.path_ordered)
    }
}
