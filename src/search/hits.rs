//! Handing ranked hits over one at a time: a query's best documents are ranked first (their
//! addresses and scores only), then each becomes a [`Hit`] (stored fields, highlights, context
//! paragraphs) only when it is taken. However many hits and context paragraphs a query asks
//! for, one hit's text is in memory at a time, and a reader that stops early (a closed pipe)
//! stops the loading too.
//!
//! Hits come in rank order, or with each file's hits together (files in the order of their
//! best hit, hits by rank within a file) for printers that show a file's hits under one heading.

use std::collections::{HashMap, HashSet};

use tantivy::DocAddress;

use super::stored::{self, Stored};
use super::{Hit, SearchConfig, Session};
use crate::error::Result;
use crate::query::Plan;
use crate::warning::QueryWarning;

/// One ranked document: its rank (1-based, counting skipped hits when paging), score and address.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ranked {
    rank: usize,
    score: f32,
    address: DocAddress,
}

/// The hits of one query, loaded as they are taken (an iterator of `Result<Hit>`).
///
/// [`Hits::total`] is known from the start; [`Hits::warnings`] grows as hits are loaded (a
/// file changed since it was ingested is found when its first hit is read), so read it after
/// the last hit.
pub struct Hits<'s, 'i> {
    session: &'s mut Session<'i>,
    plan: Option<Plan>,
    /// The compiled query's weight, when each hit's score is to be explained.
    explain: Option<Box<dyn tantivy::query::Weight>>,
    ranked: std::vec::IntoIter<Ranked>,
    /// Context paragraphs wanted before and after each hit.
    context: (usize, usize),
    /// Only words written with the query's case are marked.
    case_sensitive: bool,
    base: Option<std::path::PathBuf>,
    /// Source files already checked for changes.
    checked: HashSet<String>,
    total: u64,
    warnings: Vec<QueryWarning>,
}

impl<'s, 'i> Hits<'s, 'i> {
    /// The hits of `ranked` documents (in the order given), for a query that matched `total`
    /// paragraphs, with `plan` placing highlights, `explain` (the compiled query's weight) explaining
    /// scores when asked for, and `warnings` about the query so far.
    pub(super) fn new(
        session: &'s mut Session<'i>,
        config: &SearchConfig,
        (plan, explain): (Option<Plan>, Option<Box<dyn tantivy::query::Weight>>),
        ranked: Vec<Ranked>,
        (total, warnings): (u64, Vec<QueryWarning>),
    ) -> Hits<'s, 'i> {
        Hits {
            session,
            plan,
            explain,
            ranked: ranked.into_iter(),
            context: (config.context_before, config.context_after),
            case_sensitive: config.case_sensitive,
            base: config.base.clone(),
            checked: HashSet::new(),
            total,
            warnings,
        }
    }

    /// How many paragraphs match in all.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Hits not taken yet.
    pub fn remaining(&self) -> usize {
        self.ranked.len()
    }

    /// Things the user should know: ignored query words, and files changed since ingest among
    /// the hits taken so far.
    pub fn warnings(&self) -> &[QueryWarning] {
        &self.warnings
    }

    /// The warnings, once no more hits are wanted.
    pub fn into_warnings(self) -> Vec<QueryWarning> {
        self.warnings
    }

    /// Loads one ranked document as a hit, with its highlights and context.
    fn load(&mut self, ranked: Ranked) -> Result<Hit> {
        let session = &mut *self.session;
        let fields = session.index.fields;
        let stored = Stored::load(&session.searcher, fields, ranked.address)?;
        // (Looked at once a session, said once a query.)
        let stale = session.stale.warning(&stored, self.base.as_deref());
        if self.checked.insert(stored.source.clone()) {
            self.warnings.extend(stale.clone());
        }
        let highlights = match &self.plan {
            Some(plan) => stored.highlights(&mut session.analysis, plan, self.case_sensitive),
            None => stored::Marked::default(),
        };
        // (As indexed: a file, and nothing to warn of.)
        let as_indexed = stored.has_file() && stale.is_none();
        let mut hit = stored.into_hit(ranked.rank, ranked.score, highlights, (as_indexed, stale));
        if let Some(weight) = &self.explain {
            let explained = super::explain::explain(&**weight, &session.searcher, ranked.address)?;
            hit.explanation = Some(explained);
        }
        if self.context != (0, 0) {
            (hit.before, hit.after) = stored::neighbours(
                &session.searcher,
                fields,
                &hit.key,
                hit.paragraph,
                self.context,
            )?;
        }
        Ok(hit)
    }
}

impl Iterator for Hits<'_, '_> {
    type Item = Result<Hit>;

    fn next(&mut self) -> Option<Result<Hit>> {
        let ranked = self.ranked.next()?;
        Some(self.load(ranked))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ranked.size_hint()
    }
}

/// The documents `top` (best first) numbered from `offset + 1`.
pub(super) fn numbered(top: Vec<(f32, DocAddress)>, offset: usize) -> Vec<Ranked> {
    top.into_iter()
        .enumerate()
        .map(|(i, (score, address))| Ranked {
            rank: offset + i + 1,
            score,
            address,
        })
        .collect()
}

/// Reorders `ranked` so that each file's documents come together: files in the order of their
/// first document, documents in their order within a file. `file_of` names a document's file.
pub(super) fn files_together(
    ranked: Vec<Ranked>,
    mut file_of: impl FnMut(DocAddress) -> Result<String>,
) -> Result<Vec<Ranked>> {
    let mut groups: Vec<Vec<Ranked>> = Vec::new();
    let mut group_of: HashMap<String, usize> = HashMap::new();
    for entry in ranked {
        let file = file_of(entry.address)?;
        let next = groups.len();
        let group = *group_of.entry(file).or_insert(next);
        if group == next {
            groups.push(Vec::new());
        }
        groups[group].push(entry);
    }
    Ok(groups.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(docs: &[u32]) -> Vec<Ranked> {
        let top = docs
            .iter()
            .map(|&doc| (1.0, DocAddress::new(0, doc)))
            .collect();
        numbered(top, 10)
    }

    #[test]
    fn each_hit_says_what_its_file_is_now_and_the_query_warns_once_a_file() {
        use crate::search::{SearchConfig, Session};
        let dir = assert_fs::TempDir::new().expect("temp dir");
        let index = crate::index::ingested_for_test(
            dir.path(),
            &[
                ("kept.txt", "walrus one"),
                ("changed.txt", "walrus two\n\nwalrus three"),
                ("gone.txt", "walrus four"),
            ],
        );
        let docs = dir.path().join("docs");
        std::fs::write(docs.join("changed.txt"), "a longer text than before").unwrap();
        std::fs::remove_file(docs.join("gone.txt")).unwrap();
        let mut session = Session::new(&index).expect("session");
        let mut config = SearchConfig::new("walrus", 10);
        config.sort = crate::search::SortOrder::Path;
        let results = session.search(&config).expect("search");
        let states: Vec<(String, Option<&str>)> = results
            .hits
            .iter()
            .map(|hit| {
                let name = hit.key.rsplit('/').next().unwrap_or_default().to_string();
                (name, hit.stale.as_ref().and_then(QueryWarning::file_state))
            })
            .collect();
        let changed = Some("changed since indexed");
        assert_eq!(
            states,
            [
                ("changed.txt".into(), changed),
                ("changed.txt".into(), changed),
                ("gone.txt".into(), Some("gone")),
                ("kept.txt".into(), None),
            ]
        );
        let files = |w: &&QueryWarning| w.file_state().is_some();
        assert_eq!(results.warnings.iter().filter(files).count(), 2);
    }

    #[test]
    fn ranks_count_from_the_offset() {
        let ranks: Vec<usize> = ranked(&[5, 6, 7]).iter().map(|r| r.rank).collect();
        assert_eq!(ranks, [11, 12, 13]);
    }

    #[test]
    fn each_files_documents_come_together_in_order_of_the_best() {
        // Documents 1 and 3 are in file "a", 2 and 5 in "b", 4 in "c".
        let file = |address: DocAddress| {
            Ok(match address.doc_id {
                1 | 3 => "a",
                2 | 5 => "b",
                _ => "c",
            }
            .to_string())
        };
        let grouped = files_together(ranked(&[2, 1, 5, 4, 3]), file).unwrap();
        let order: Vec<(u32, usize)> = grouped.iter().map(|r| (r.address.doc_id, r.rank)).collect();
        assert_eq!(order, [(2, 11), (5, 13), (1, 12), (3, 15), (4, 14)]);
    }
}
