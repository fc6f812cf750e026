//! Printers: turning search results into output for people ([`human`]) or programs ([`json`]).
//! Printers write to any `io::Write` and never query; the binary decides where output goes and
//! whether it is coloured.

pub mod human;
pub mod json;
mod sanitize;

use std::io;
use std::path::{Path, PathBuf};

pub use human::Human;
pub use json::Json;
pub use sanitize::sanitize;

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
