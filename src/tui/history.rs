//! Queries kept between runs of the terminal UI: one a line, oldest first, at most
//! [`MAX_ENTRIES`], none twice, in `$PARAFIND_HISTORY`, else `$XDG_STATE_HOME/parafind/history`,
//! else `~/.local/state/parafind/history`. Stepping through them (Alt-↑/↓) starts from the newest.

use std::io;
use std::path::{Path, PathBuf};

/// The most queries kept.
pub const MAX_ENTRIES: usize = 1000;

/// The queries of earlier runs, and where the user is in them.
#[derive(Debug, Default)]
pub struct History {
    path: Option<PathBuf>,
    entries: Vec<String>,
    /// The entry shown, counted from the newest (None: the user's own line).
    position: Option<usize>,
}

/// Where the history is kept, from the environment (none when no directory can be named).
pub fn default_path() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(path) = var("PARAFIND_HISTORY") {
        return Some(PathBuf::from(path));
    }
    let state = var("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| var("HOME").map(|home| Path::new(&home).join(".local/state")))?;
    Some(state.join("parafind/history"))
}

impl History {
    /// The history kept at `path` (empty when there is none yet, or it cannot be read).
    pub fn load(path: Option<PathBuf>) -> History {
        let entries = path
            .as_deref()
            .and_then(|p| std::fs::read(p).ok())
            .map(|bytes| {
                String::from_utf8_lossy(&bytes)
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        History {
            path,
            entries,
            position: None,
        }
    }

    /// The queries, oldest first.
    #[cfg(test)]
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// Keeps `query` as the newest entry (an earlier copy is dropped) and writes the file
    /// (whole, to a temporary file renamed over it, so a crash never leaves half a history).
    pub fn record(&mut self, query: &str) -> io::Result<()> {
        self.position = None;
        let query = query.replace(['\n', '\r'], " ");
        let query = query.trim();
        if query.is_empty() || self.entries.last().is_some_and(|last| last == query) {
            return Ok(());
        }
        self.entries.retain(|e| e != query);
        self.entries.push(query.to_string());
        let excess = self.entries.len().saturating_sub(MAX_ENTRIES);
        self.entries.drain(..excess);
        self.save()
    }

    fn save(&self) -> io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        // Said with the file, and where it is set.
        self.write(path).map_err(|err| {
            let message = format!(
                "{}: {err} (set PARAFIND_HISTORY to a file that can be written)",
                path.display()
            );
            io::Error::new(err.kind(), message)
        })
    }

    fn write(&self, path: &Path) -> io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut text = self.entries.join("\n");
        text.push('\n');
        let temporary = path.with_extension("tmp");
        std::fs::write(&temporary, text)?;
        std::fs::rename(&temporary, path)
    }

    /// The query before the one shown (Alt-↑), if any.
    pub fn older(&mut self) -> Option<&str> {
        let next = self.position.map_or(0, |p| p + 1);
        if next >= self.entries.len() {
            return None;
        }
        self.position = Some(next);
        self.shown()
    }

    /// The query after the one shown (Alt-↓); `Some("")` past the newest, back to an empty line.
    pub fn newer(&mut self) -> Option<&str> {
        match self.position? {
            0 => {
                self.position = None;
                Some("")
            }
            p => {
                self.position = Some(p - 1);
                self.shown()
            }
        }
    }

    fn shown(&self) -> Option<&str> {
        let from_newest = self.position?;
        let index = self.entries.len().checked_sub(from_newest + 1)?;
        self.entries.get(index).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_kept_between_runs_newest_last_without_repeats() {
        let dir = assert_fs::TempDir::new().unwrap();
        let path = dir.join("state/parafind/history");
        let mut history = History::load(Some(path.clone()));
        history.record("nuclear").unwrap();
        history.record("Pyongyang").unwrap();
        history.record("  nuclear ").unwrap();
        history.record("").unwrap();
        let mut again = History::load(Some(path.clone()));
        assert_eq!(again.entries(), ["Pyongyang", "nuclear"]);
        assert_eq!(again.older(), Some("nuclear"));
        assert_eq!(again.older(), Some("Pyongyang"));
        assert_eq!(again.older(), None);
        assert_eq!(again.newer(), Some("nuclear"));
        assert_eq!(again.newer(), Some(""));
        assert_eq!(again.newer(), None);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "Pyongyang\nnuclear\n"
        );
    }

    #[test]
    fn a_history_that_cannot_be_written_is_said_with_its_file() {
        let dir = assert_fs::TempDir::new().unwrap();
        std::fs::write(dir.join("file"), "").unwrap();
        let path = dir.join("file/history");
        let err = History::load(Some(path.clone())).record("q").unwrap_err();
        let said = err.to_string();
        assert!(said.starts_with(&format!("{}: ", path.display())), "{said}");
        assert!(said.ends_with("(set PARAFIND_HISTORY to a file that can be written)"));
    }

    #[test]
    fn the_oldest_queries_go_past_the_limit() {
        let mut history = History::load(None);
        for n in 0..MAX_ENTRIES + 5 {
            history.record(&format!("q{n}")).unwrap();
        }
        assert_eq!(history.entries().len(), MAX_ENTRIES);
        assert_eq!(history.entries()[0], "q5");
    }
}
