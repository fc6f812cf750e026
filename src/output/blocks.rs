//! One file's hits with their neighbouring paragraphs (`-A/-B/-C`), laid out as the human and
//! HTML printers show them: hits whose neighbourhoods overlap or touch make one block, read in
//! file order (as grep and ripgrep join overlapping context), so that no paragraph is shown
//! twice and a hit is never shown as another hit's context. Blocks come in the order of their
//! best hit.

use std::collections::BTreeMap;
use std::io;

use crate::search::{Hit, StoredParagraph};

/// One paragraph of a block.
#[derive(Debug, Clone, Copy)]
pub enum Row<'a> {
    /// A hit, with its highlights.
    Hit(&'a Hit),
    /// A neighbouring paragraph of a hit.
    Context(&'a StoredParagraph),
}

impl Row<'_> {
    fn paragraph(&self) -> u64 {
        match self {
            Row::Hit(hit) => hit.paragraph,
            Row::Context(context) => context.paragraph,
        }
    }
}

/// Hits held by a printer that shows blocks: a file's hits, until its last has come (the hits
/// of a file come together when context is asked for).
#[derive(Debug, Default)]
pub struct Held {
    hits: Vec<Hit>,
}

impl Held {
    /// Holds `hit`; gives back the hits held of the file before it, to be shown now.
    pub fn hold(&mut self, hit: &Hit) -> Vec<Hit> {
        let earlier = match self.hits.first() {
            Some(held) if held.key != hit.key => std::mem::take(&mut self.hits),
            _ => Vec::new(),
        };
        self.hits.push(hit.clone());
        earlier
    }

    /// The hits held, to be shown now (at the end of an answer).
    pub fn take(&mut self) -> Vec<Hit> {
        std::mem::take(&mut self.hits)
    }
}

/// A printer that shows blocks: how it opens and closes one, and shows its rows.
pub trait ShowsBlocks {
    /// Starts a block of the file with key `key`.
    fn open_block(&mut self, key: &str) -> io::Result<()>;
    /// Ends the block begun last.
    fn close_block(&mut self) -> io::Result<()>;
    /// Shows a hit of a block, with its highlights.
    fn hit_row(&mut self, hit: &Hit) -> io::Result<()>;
    /// Shows a neighbouring paragraph of a block.
    fn context_row(&mut self, context: &StoredParagraph) -> io::Result<()>;
}

/// Shows `hits`, all of one file, in blocks (see the module docs) through `printer`.
pub fn show(printer: &mut impl ShowsBlocks, hits: &[Hit]) -> io::Result<()> {
    let Some(key) = hits.first().map(|hit| hit.key.as_str()) else {
        return Ok(());
    };
    for block in blocks(hits) {
        printer.open_block(key)?;
        for row in block {
            match row {
                Row::Hit(hit) => printer.hit_row(hit)?,
                Row::Context(context) => printer.context_row(context)?,
            }
        }
        printer.close_block()?;
    }
    Ok(())
}

/// The paragraphs a hit is shown with: its own number, and its first and last neighbours'.
fn reach(hit: &Hit) -> (u64, u64) {
    let first = hit.before.first().map_or(hit.paragraph, |p| p.paragraph);
    let last = hit.after.last().map_or(hit.paragraph, |p| p.paragraph);
    (first.min(hit.paragraph), last.max(hit.paragraph))
}

/// The blocks of `hits`, all of one file and in rank order (see the module docs).
pub fn blocks(hits: &[Hit]) -> Vec<Vec<Row<'_>>> {
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_by_key(|&i| (hits[i].paragraph, i));
    // Runs of hits, in file order, whose reaches overlap or touch; each with its best rank.
    let mut runs: Vec<(usize, Vec<&Hit>)> = Vec::new();
    let mut end = 0u64;
    for i in order {
        let hit = &hits[i];
        let (first, last) = reach(hit);
        match runs.last_mut() {
            Some((best, run)) if first <= end.saturating_add(1) => {
                *best = (*best).min(i);
                run.push(hit);
                end = end.max(last);
            }
            _ => {
                runs.push((i, vec![hit]));
                end = last;
            }
        }
    }
    runs.sort_by_key(|(best, _)| *best);
    runs.into_iter().map(|(_, run)| rows(&run)).collect()
}

/// A run's paragraphs in file order: its hits, and their neighbours that are no hit.
fn rows<'a>(run: &[&'a Hit]) -> Vec<Row<'a>> {
    let mut rows: BTreeMap<u64, Row<'a>> = run
        .iter()
        .map(|hit| (hit.paragraph, Row::Hit(hit)))
        .collect();
    for hit in run {
        for context in hit.before.iter().chain(&hit.after) {
            rows.entry(context.paragraph)
                .or_insert(Row::Context(context));
        }
    }
    debug_assert!(rows.iter().all(|(n, row)| *n == row.paragraph()));
    rows.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neighbour(paragraph: u64) -> StoredParagraph {
        StoredParagraph {
            paragraph,
            line: paragraph,
            byte_offset: 0,
            char_offset: 0,
            page: None,
            text: format!("p{paragraph}"),
            section: None,
            title: None,
        }
    }

    /// A hit at `paragraph` with `around` neighbours each side (none before paragraph 1).
    fn hit(rank: usize, paragraph: u64, around: u64) -> Hit {
        Hit {
            rank,
            score: 1.0,
            key: "/a".into(),
            paragraph,
            line: paragraph,
            byte_offset: 0,
            char_offset: 0,
            page: None,
            text: format!("p{paragraph}"),
            section: None,
            title: None,
            collection: None,
            highlights: Vec::new(),
            title_highlights: Vec::new(),
            before: (paragraph.saturating_sub(around).max(1)..paragraph)
                .map(neighbour)
                .collect(),
            after: (paragraph + 1..=paragraph + around)
                .map(neighbour)
                .collect(),
            explanation: None,
            file_as_indexed: true,
            stale: None,
        }
    }

    /// Each block as text: `5` for a hit, `(4)` for context.
    fn shown(hits: &[Hit]) -> Vec<String> {
        blocks(hits)
            .iter()
            .map(|block| {
                block
                    .iter()
                    .map(|row| match row {
                        Row::Hit(hit) => hit.paragraph.to_string(),
                        Row::Context(context) => format!("({})", context.paragraph),
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn overlapping_neighbourhoods_make_one_block_in_file_order() {
        let hits = [hit(1, 6, 1), hit(2, 5, 1)];
        assert_eq!(shown(&hits), ["(4) 5 6 (7)"]);
    }

    #[test]
    fn touching_neighbourhoods_join_and_distant_ones_stay_apart_in_rank_order() {
        // 5 reaches 4..6, 8 reaches 7..9: they touch. 20 is far off, but ranks first.
        let hits = [hit(1, 20, 1), hit(2, 8, 1), hit(3, 5, 1)];
        assert_eq!(shown(&hits), ["(19) 20 (21)", "(4) 5 (6) (7) 8 (9)"]);
    }

    #[test]
    fn a_hit_is_never_context_and_no_paragraph_shows_twice() {
        let hits = [hit(1, 3, 2), hit(2, 4, 2), hit(3, 1, 2)];
        assert_eq!(shown(&hits), ["1 (2) 3 4 (5) (6)"]);
    }

    #[test]
    fn a_hit_inside_a_long_reach_joins_it() {
        // 10 reaches 7..13; 12 lies inside it; 14 touches 13.
        let hits = [hit(1, 10, 3), hit(2, 12, 0), hit(3, 14, 0)];
        assert_eq!(shown(&hits), ["(7) (8) (9) 10 (11) 12 (13) 14"]);
    }

    #[test]
    fn hits_without_neighbours_that_do_not_touch_stay_apart() {
        let hits = [hit(1, 5, 0), hit(2, 9, 0)];
        assert_eq!(shown(&hits), ["5", "9"]);
    }
}
