//! Printers: turning search results into output for people ([`human`]), programs ([`json`]) or
//! web pages ([`html`]). Printers write to any `io::Write` and never query; the binary decides
//! where output goes and whether it is coloured. Byte offsets become character offsets, paths
//! become display paths, and document text is made safe here, at the edge.

pub mod html;
pub mod human;
pub mod json;
mod sanitize;
pub mod snippet;

use std::io;
use std::path::{Path, PathBuf};

pub use html::Html;
pub use human::{Human, HumanOptions, Marking};
pub use json::Json;
pub use sanitize::{sanitize, sanitize_inline};

use crate::search::SearchResults;

/// Facts about a finished search, for the summary line.
#[derive(Debug, Clone)]
pub struct Summary<'a> {
    /// The query as given.
    pub query: &'a str,
    /// Milliseconds spent opening the index and searching.
    pub elapsed_ms: f64,
}

/// Something that prints search results.
pub trait Printer {
    /// Prints the results of one query.
    fn print(&mut self, results: &SearchResults, summary: &Summary<'_>) -> io::Result<()>;
}

/// How stored (absolute) paths are shown: relative to `base` when they lie under it.
#[derive(Debug, Clone, Default)]
pub struct PathDisplay {
    /// Usually the current directory.
    pub base: Option<PathBuf>,
}

impl PathDisplay {
    /// The path to show for a stored path.
    pub fn show<'a>(&self, stored: &'a str) -> &'a str {
        let Some(base) = &self.base else {
            return stored;
        };
        match Path::new(stored).strip_prefix(base) {
            Ok(relative) if !relative.as_os_str().is_empty() => {
                // `relative` is a suffix of `stored`, so this slice is on a char boundary.
                let len = relative.as_os_str().len();
                &stored[stored.len() - len..]
            }
            _ => stored,
        }
    }
}

/// Hits' indices grouped by file: files in the order of their best hit, hits by rank.
pub fn group_by_path(results: &SearchResults) -> Vec<(&str, Vec<usize>)> {
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    for (i, hit) in results.hits.iter().enumerate() {
        match groups.iter_mut().find(|(path, _)| *path == hit.path) {
            Some((_, group)) => group.push(i),
            None => groups.push((&hit.path, vec![i])),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_the_base_are_shown_relative() {
        let display = PathDisplay {
            base: Some(PathBuf::from("/home/u/notes")),
        };
        assert_eq!(display.show("/home/u/notes/a/b.txt"), "a/b.txt");
        assert_eq!(display.show("/home/u/notesx/b.txt"), "/home/u/notesx/b.txt");
        assert_eq!(display.show("/etc/x"), "/etc/x");
        assert_eq!(PathDisplay::default().show("/etc/x"), "/etc/x");
    }
}
