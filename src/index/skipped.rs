//! Files an ingest skipped as binary, remembered with their size and modification time in
//! `.parafind-skipped.json` in the index directory, so that later ingests do not read them again while
//! they are unchanged. It is a cache beside the commit, not part of it: lost, damaged or
//! stale, it only costs reading those files once more.

use std::collections::HashMap;
use std::path::Path;

/// The file's name in the index directory.
const FILE: &str = ".parafind-skipped.json";

/// Binary files by key, with the size and time they had when found binary.
#[derive(Debug, Default)]
pub(super) struct Skipped {
    files: HashMap<String, (u64, u64)>,
}

impl Skipped {
    /// The cache of the index in `dir` (empty when there is none or it cannot be read).
    pub(super) fn load(dir: &Path) -> Skipped {
        let files = std::fs::read(dir.join(FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Skipped { files }
    }

    /// True when the file with key `key` was found binary with this size and time.
    pub(super) fn unchanged(&self, key: &str, stamp: (u64, u64)) -> bool {
        self.files.get(key) == Some(&stamp)
    }

    /// Remembers that the file with key `key` and this size and time is binary.
    pub(super) fn record(&mut self, key: &str, stamp: (u64, u64)) {
        self.files.insert(key.to_string(), stamp);
    }

    /// Forgets the files of `seen` that were not binary this time.
    pub(super) fn keep_only_binary(
        &mut self,
        seen: &std::collections::HashSet<String>,
        binary: &Skipped,
    ) {
        self.files
            .retain(|key, _| !seen.contains(key) || binary.files.contains_key(key));
        for (key, stamp) in &binary.files {
            self.files.insert(key.clone(), *stamp);
        }
    }

    /// Writes the cache into `dir` (through a temporary file, so a reader never sees half of
    /// it); failing to is not an error, the files are read again next time.
    pub(super) fn save(&self, dir: &Path) {
        let Ok(json) = serde_json::to_vec(&self.files) else {
            return;
        };
        let temporary = dir.join(format!("{FILE}.tmp"));
        if std::fs::write(&temporary, json).is_ok() {
            let _ = std::fs::rename(&temporary, dir.join(FILE));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_file_is_remembered_until_it_changes_or_turns_text() {
        let dir = assert_fs::TempDir::new().expect("temp dir");
        let mut cache = Skipped::default();
        cache.record("/a.bin", (10, 1));
        cache.record("/b.bin", (20, 2));
        cache.save(dir.path());
        let mut loaded = Skipped::load(dir.path());
        assert!(loaded.unchanged("/a.bin", (10, 1)));
        assert!(!loaded.unchanged("/a.bin", (10, 5)));
        // This run saw both; only /a.bin was binary again.
        let seen = ["/a.bin".to_string(), "/b.bin".to_string()].into();
        let mut binary = Skipped::default();
        binary.record("/a.bin", (10, 5));
        loaded.keep_only_binary(&seen, &binary);
        assert!(loaded.unchanged("/a.bin", (10, 5)));
        assert!(!loaded.unchanged("/b.bin", (20, 2)));
    }
}
