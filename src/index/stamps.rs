//! Files ingest need not read again while their size and modification time stay as they were,
//! remembered with them in the index directory: files skipped as binary
//! (`.parafind-skipped.json`), and files whose racy stamp (`corpus::is_racy`) a later ingest
//! compared by content once it could be trusted (`.parafind-verified.json`). Each is a cache
//! beside the commit, not part of it: lost, damaged or stale, it only costs reading those
//! files once more.

use std::collections::HashMap;
use std::path::Path;

/// The binary files' cache, in the index directory.
pub(super) const BINARY: &str = ".parafind-skipped.json";
/// The verified racy files' cache, in the index directory.
pub(super) const VERIFIED: &str = ".parafind-verified.json";

/// Files by key, with the size and time they had when found so.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Stamps {
    files: HashMap<String, (u64, u64)>,
}

impl Stamps {
    /// The cache `name` of the index in `dir` (empty when there is none or it cannot be read).
    pub(super) fn load(dir: &Path, name: &str) -> Stamps {
        let files = std::fs::read(dir.join(name))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Stamps { files }
    }

    /// True when the file with key `key` was found so with this size and time.
    pub(super) fn unchanged(&self, key: &str, stamp: (u64, u64)) -> bool {
        self.files.get(key) == Some(&stamp)
    }

    /// Remembers that the file with key `key` and this size and time was found so.
    pub(super) fn record(&mut self, key: &str, stamp: (u64, u64)) {
        self.files.insert(key.to_string(), stamp);
    }

    /// Forgets the files of `seen` that were not found so this time (`now`).
    pub(super) fn keep_only(&mut self, seen: &std::collections::HashSet<String>, now: &Stamps) {
        self.files
            .retain(|key, _| !seen.contains(key) || now.files.contains_key(key));
        for (key, stamp) in &now.files {
            self.files.insert(key.clone(), *stamp);
        }
    }

    /// Forgets the files whose key `keep` refuses.
    pub(super) fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.files.retain(|key, _| keep(key));
    }

    /// Writes the cache `name` into `dir` (through a temporary file, so a reader never sees
    /// half of it); failing to is not an error, the files are read again next time. An empty
    /// cache is a missing file.
    pub(super) fn save(&self, dir: &Path, name: &str) {
        if self.files.is_empty() {
            let _ = std::fs::remove_file(dir.join(name));
            return;
        }
        let Ok(json) = serde_json::to_vec(&self.files) else {
            return;
        };
        let temporary = dir.join(format!("{name}.tmp"));
        if std::fs::write(&temporary, json).is_ok() {
            let _ = std::fs::rename(&temporary, dir.join(name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_file_is_remembered_until_it_changes_or_turns_text() {
        let dir = assert_fs::TempDir::new().expect("temp dir");
        let mut cache = Stamps::default();
        cache.record("/a.bin", (10, 1));
        cache.record("/b.bin", (20, 2));
        cache.save(dir.path(), BINARY);
        let mut loaded = Stamps::load(dir.path(), BINARY);
        assert!(loaded.unchanged("/a.bin", (10, 1)));
        assert!(!loaded.unchanged("/a.bin", (10, 5)));
        assert!(Stamps::load(dir.path(), VERIFIED).files.is_empty());
        // This run saw both; only /a.bin was binary again.
        let seen = ["/a.bin".to_string(), "/b.bin".to_string()].into();
        let mut binary = Stamps::default();
        binary.record("/a.bin", (10, 5));
        loaded.keep_only(&seen, &binary);
        assert!(loaded.unchanged("/a.bin", (10, 5)));
        assert!(!loaded.unchanged("/b.bin", (20, 2)));
        loaded.retain(|key| key != "/a.bin");
        assert!(!loaded.unchanged("/a.bin", (10, 5)));
        // Emptied, the cache's file goes.
        loaded.keep_only(&seen, &Stamps::default());
        loaded.save(dir.path(), BINARY);
        assert!(!dir.path().join(BINARY).exists());
    }
}
