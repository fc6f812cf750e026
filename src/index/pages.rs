//! The index's files as memory maps whose pages an ingest can give back.
//!
//! tantivy reads segment files through memory maps, and every page read stays in the process's
//! resident memory while the file is open (unless the machine runs short of memory and the
//! kernel takes it back). A merge reads whole segments, so at ten
//! times the large bench corpus ingest's peak resident memory grew by the size of the segments
//! being merged (1.3 GB). An index opened to be changed maps its files here ([`Mappings`]),
//! one mapping per opening (tantivy's `MmapDirectory` shares one per file), and keeps a list
//! of the mappings in use;
//! [`Mappings::release`] tells the kernel the process no longer needs the pages read so far
//! (`MADV_DONTNEED`). They stay in the page cache, and a later read maps them again from
//! there. [`given_back_while`] does that as an ingest runs, and gives back the heap's free
//! pages too.
//!
//! Index files are written once and never changed (tantivy writes a new file for every change),
//! so a page given back is mapped again with the same bytes: no reader sees a difference.

use std::fs::File;
use std::io;
use std::ops::Deref;
use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use memmap2::Mmap;
use stable_deref_trait::StableDeref;
use tantivy::directory::error::OpenReadError;
use tantivy::directory::{FileHandle, OwnedBytes};

/// The mappings of index files handed to tantivy that are still in use.
#[derive(Debug, Clone, Default)]
pub struct Mappings {
    live: Arc<Mutex<Vec<Weak<Mmap>>>>,
}

impl Mappings {
    /// Gives back the resident pages of every mapping in use (they stay in the page cache), and
    /// forgets the mappings no longer in use. Returns how many mappings were released.
    pub fn release(&self) -> usize {
        // The list is copied out, so that tantivy opening a file meanwhile does not wait for
        // the kernel to drop every mapping's pages.
        let in_use: Vec<Arc<Mmap>> = match self.live.lock() {
            Ok(mut live) => {
                live.retain(|mapping| mapping.strong_count() > 0);
                live.iter().filter_map(Weak::upgrade).collect()
            }
            Err(_) => return 0,
        };
        in_use.iter().filter(|m| give_back(m).is_ok()).count()
    }

    /// Opens the index file at `path` (a full path) for tantivy, through a mapping listed here.
    pub(super) fn file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let bytes = match map(path)? {
            None => OwnedBytes::empty(),
            Some(mapping) => {
                let mapping = Arc::new(mapping);
                self.add(&mapping);
                OwnedBytes::new(MappedBytes(mapping))
            }
        };
        Ok(Arc::new(bytes))
    }

    fn add(&self, mapping: &Arc<Mmap>) {
        if let Ok(mut live) = self.live.lock() {
            // Forgets the mappings no longer in use now and then, so that the list stays as long
            // as the mappings in use, however many files are opened between two releases.
            if live.len() >= 64 && live.len().is_power_of_two() {
                live.retain(|mapping| mapping.strong_count() > 0);
            }
            live.push(Arc::downgrade(mapping));
        }
    }
}

/// Runs `work`, giving back every `period` while it runs the pages of the mappings in
/// `mappings` and the heap's free pages.
pub fn given_back_while<R>(mappings: &Mappings, period: Duration, work: impl FnOnce() -> R) -> R {
    let (done, stop) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            while let Err(RecvTimeoutError::Timeout) = stop.recv_timeout(period) {
                mappings.release();
                trim_heap();
            }
        });
        let result = work();
        drop(done);
        result
    })
}

/// Returns the heap's free pages to the system. glibc's allocator keeps memory freed by a
/// thread in that thread's arena; after a segment is written or merged, hundreds of MB of
/// it would otherwise stay in the process (measured at ten times the large bench corpus).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim_heap() {
    // SAFETY: malloc_trim only hands free pages back to the kernel; it takes the allocator's
    // locks and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim_heap() {}

/// Drops `mapping`'s pages from this process's memory.
#[cfg(unix)]
fn give_back(mapping: &Mmap) -> io::Result<()> {
    // SAFETY: the mapping is a shared, read-only map of an index file. Dropping its pages does
    // nothing the kernel does not do by itself when memory is short: the next read maps them
    // again from the page cache or the file. Index files are never changed once written
    // (tantivy creates every file new and replaces meta files by renaming), so every byte a
    // borrower reads keeps its value: no borrow sees memory change.
    unsafe { mapping.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) }
}

#[cfg(not(unix))]
fn give_back(_mapping: &Mmap) -> io::Result<()> {
    Ok(())
}

/// One mapping's bytes, shared by the file slices tantivy cuts from it.
struct MappedBytes(Arc<Mmap>);

impl Deref for MappedBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

// SAFETY: the bytes live in the mapping, which the `Arc` keeps at one address until the last
// clone is dropped; moving a `MappedBytes` never moves them.
unsafe impl StableDeref for MappedBytes {}

/// Maps the file at `path`; `None` for an empty file, which cannot be mapped. (What tantivy's
/// `MmapDirectory` does, whose function for it is private.)
fn map(path: &Path) -> Result<Option<Mmap>, OpenReadError> {
    let wrap = |error: io::Error| {
        if error.kind() == io::ErrorKind::NotFound {
            OpenReadError::FileDoesNotExist(path.to_path_buf())
        } else {
            OpenReadError::wrap_io_error(error, path.to_path_buf())
        }
    };
    let file = File::open(path).map_err(wrap)?;
    if file.metadata().map_err(wrap)?.len() == 0 {
        return Ok(None);
    }
    // SAFETY: index files are never changed or truncated once written, as for tantivy's own
    // memory-mapped directory.
    unsafe { Mmap::map(&file) }.map(Some).map_err(wrap)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Resident pages of the mapping that holds `bytes`, from the kernel's own count.
    #[cfg(target_os = "linux")]
    fn resident_kb(bytes: &[u8]) -> u64 {
        let start = bytes.as_ptr() as usize;
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let mut in_mapping = false;
        for line in smaps.lines() {
            if let Some((range, _)) = line.split_once(' ') {
                if let Some((from, to)) = range.split_once('-') {
                    if let (Ok(from), Ok(to)) = (
                        usize::from_str_radix(from, 16),
                        usize::from_str_radix(to, 16),
                    ) {
                        in_mapping = (from..to).contains(&start);
                        continue;
                    }
                }
            }
            if in_mapping {
                if let Some(kb) = line.strip_prefix("Rss:") {
                    return kb.trim().trim_end_matches(" kB").parse().unwrap();
                }
            }
        }
        panic!("no mapping holds {start:#x}");
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn released_pages_leave_memory_and_read_back_the_same() {
        let temp = assert_fs::TempDir::new().unwrap();
        let content: Vec<u8> = (0..4 << 20).map(|i: u32| (i % 251) as u8).collect();
        std::fs::write(temp.path().join("data"), &content).unwrap();
        let pages = Mappings::default();
        let handle = pages.file_handle(&temp.path().join("data")).unwrap();
        let bytes = handle.read_bytes(0..content.len()).unwrap();
        assert_eq!(bytes.as_slice(), &content[..]);
        assert!(resident_kb(&bytes) > 0, "pages were read");

        assert_eq!(pages.release(), 1);
        assert_eq!(resident_kb(&bytes), 0);
        assert_eq!(bytes.as_slice(), &content[..], "read again from the file");
        assert!(resident_kb(&bytes) > 0, "the pages read again are back");

        drop((bytes, handle));
        assert_eq!(pages.release(), 0, "a mapping no longer used is forgotten");
    }

    #[test]
    fn missing_and_empty_files_open_as_tantivy_expects() {
        let temp = assert_fs::TempDir::new().unwrap();
        std::fs::write(temp.path().join("empty"), b"").unwrap();
        let pages = Mappings::default();
        assert!(matches!(
            pages.file_handle(&temp.path().join("missing")),
            Err(OpenReadError::FileDoesNotExist(_))
        ));
        let empty = pages.file_handle(&temp.path().join("empty")).unwrap();
        assert_eq!(empty.len(), 0);
        assert_eq!(pages.release(), 0);
    }
}
