//! Keeping an index in step with its files as they change (`parafind watch`): file-system
//! notifications on every directory the index remembers, gathered until they settle, then one
//! targeted refresh ([`index::refresh_paths`]) and at most one commit per batch. A burst (a
//! `git checkout` touching thousands of files) becomes a few batches, not thousands of
//! commits; a notification queue that overflowed is answered with a full refresh. Stopping
//! at any moment leaves the last commit intact, as an interrupted ingest does. While another
//! parafind writes to the index (an ingest, a refresh from cron), a batch waits for it and is
//! tried again. A remembered directory that no longer exists is not watched (the first
//! refresh takes its files out), but the nearest directory above it is: a directory deleted
//! and made again (`rm -rf out && mkdir out`, or with its parents) is watched again and walked
//! whole as soon as it is back.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::error::{Error, Result};
use crate::index::{self, IngestOptions, IngestReport};

/// How `watch` gathers changes and indexes them.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// A batch ends when no change came for this long.
    pub settle: Duration,
    /// ... or when its first change is this old, however busy the files are.
    pub longest: Duration,
    /// Threads and memory of each refresh.
    pub ingest: IngestOptions,
    /// After a batch found no room on the disk, how long before a full rescan tries again
    /// (sooner when a change comes).
    pub no_room_retry: Duration,
}

impl Default for WatchOptions {
    fn default() -> WatchOptions {
        WatchOptions {
            settle: Duration::from_millis(200),
            longest: Duration::from_secs(2),
            ingest: IngestOptions::new(Vec::new()),
            no_room_retry: Duration::from_secs(10),
        }
    }
}

/// What one batch of changes did.
#[derive(Debug)]
pub struct Batch {
    /// Paths that changed (as notified; a rescan counts none).
    pub changed: usize,
    /// The refresh's report (empty when it found no room).
    pub report: IngestReport,
    /// The batch found no room on the disk holding the index ([`Error::NoSpace`]): nothing
    /// was committed, the index keeps its last commit, and a full rescan tries again (see
    /// [`WatchOptions::no_room_retry`]).
    pub no_room: Option<Error>,
}

/// A batch of notified changes: the paths, or a full rescan.
enum Changes {
    Paths(Vec<PathBuf>),
    Rescan,
}

/// Watches the directories the index at `index_dir` remembers and refreshes it as they change,
/// handing each batch to `each`; stops when `each` returns false, or at the first error but a
/// full disk (the batch is handed over with [`Batch::no_room`], and watching goes on). Once
/// the notifications are set up, a full refresh catches what changed before (its batch counts
/// no changed path), then `ready` is told how many directories are watched.
pub fn watch(
    index_dir: &Path,
    options: &WatchOptions,
    ready: impl FnOnce(usize),
    each: impl FnMut(&Batch) -> bool,
) -> Result<()> {
    watch_with(index_dir, options, ready, each, refresh)
}

/// [`watch`], each batch refreshed by `refresh`.
fn watch_with(
    index_dir: &Path,
    options: &WatchOptions,
    ready: impl FnOnce(usize),
    mut each: impl FnMut(&Batch) -> bool,
    mut refresh: impl FnMut(&Path, &Changes, &WatchOptions) -> Result<IngestReport>,
) -> Result<()> {
    let mut commit = Commit::of(index_dir);
    let mut remembered = remembered_dirs(index_dir)?;
    if remembered.is_empty() {
        return Err(Error::NothingToWatch {
            path: index_dir.to_path_buf(),
        });
    }
    let (send, events) = mpsc::channel();
    // Links are not followed, as a walk does not follow them: a link to a directory elsewhere
    // must not bring its files in.
    let config = notify::Config::default().with_follow_symlinks(false);
    let mut watcher = notify::RecommendedWatcher::new(
        move |event| {
            let _ = send.send(event);
        },
        config,
    )
    .map_err(|e| watch_error(index_dir, e))?;
    let mut watches = Watches::default();
    watches.update(&mut watcher, &remembered, &[])?;
    let inside_index = std::fs::canonicalize(index_dir).unwrap_or_else(|_| index_dir.into());
    // When a batch found no room: when a full rescan tries again.
    let mut retry_at: Option<Instant> = None;
    let refreshed = when_free(|| refresh(index_dir, &Changes::Rescan, options));
    let first = batch_of(refreshed, 0, &mut retry_at, options)?;
    if (first.report.committed || first.no_room.is_some()) && !each(&first) {
        return Ok(());
    }
    if watches.roots.is_empty() {
        // Every remembered directory is gone (the refresh took their files out).
        return Err(Error::NothingToWatch {
            path: index_dir.to_path_buf(),
        });
    }
    ready(watches.roots.len());
    loop {
        let Some(mut changes) = next_batch(&events, options, &inside_index, &remembered) else {
            return Ok(());
        };
        // (Taken before a retry makes the batch a rescan: a remembered directory among them is
        // watched anew.)
        let notified = match &changes {
            Changes::Paths(paths) => paths.clone(),
            Changes::Rescan => Vec::new(),
        };
        if let Some(at) = retry_at {
            let rescan = matches!(changes, Changes::Rescan);
            if rescan || !notified.is_empty() || Instant::now() >= at {
                // The batch that found no room is lost with its notices: all is looked at.
                changes = Changes::Rescan;
                retry_at = None;
            }
        }
        // Another ingest (or a removal) may have changed which directories are remembered.
        let now = Commit::of(index_dir);
        if now != commit {
            commit = now;
            remembered = remembered_dirs(index_dir)?;
            if remembered.is_empty() {
                // `remove` took out the last of them.
                return Err(Error::NothingToWatch {
                    path: index_dir.to_path_buf(),
                });
            }
        }
        let back = watches.update(&mut watcher, &remembered, &notified)?;
        if let Changes::Paths(paths) = &mut changes {
            // Walked whole by the refresh (a path that is a remembered directory is).
            paths.extend(back.into_iter().filter(|root| !notified.contains(root)));
        }
        let changed = match &changes {
            Changes::Paths(paths) if paths.is_empty() => continue,
            Changes::Paths(paths) => paths.len(),
            Changes::Rescan => 0,
        };
        let refreshed = when_free(|| refresh(index_dir, &changes, options));
        let batch = batch_of(refreshed, changed, &mut retry_at, options)?;
        if !each(&batch) {
            return Ok(());
        }
    }
}

/// The batch a refresh of `changed` paths makes: its report, or, when it found the disk full,
/// that, with a full rescan due after [`WatchOptions::no_room_retry`] (`retry_at`); any other
/// failure is the watch's.
fn batch_of(
    refreshed: Result<IngestReport>,
    changed: usize,
    retry_at: &mut Option<Instant>,
    options: &WatchOptions,
) -> Result<Batch> {
    let (report, no_room) = match refreshed {
        Ok(report) => (report, None),
        Err(full @ Error::NoSpace { .. }) => {
            *retry_at = Some(Instant::now() + options.no_room_retry);
            (IngestReport::default(), Some(full))
        }
        Err(err) => return Err(err),
    };
    Ok(Batch {
        changed,
        report,
        no_room,
    })
}

/// The directories the index at `index_dir` remembers.
fn remembered_dirs(index_dir: &Path) -> Result<Vec<PathBuf>> {
    let index = index::open(index_dir)?;
    Ok(index.roots().iter().map(|root| root.dir()).collect())
}

/// Which commit an index is at, told by its `meta.json`'s size and time (read again only when
/// they change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Commit(Option<(u64, std::time::SystemTime)>);

impl Commit {
    fn of(index_dir: &Path) -> Commit {
        let meta = std::fs::metadata(index_dir.join("meta.json")).ok();
        Commit(meta.and_then(|meta| Some((meta.len(), meta.modified().ok()?))))
    }
}

/// How often `watch` looks, while no change comes, for directories another run made the index
/// remember (or forget).
const REMEMBERED_CHECK: Duration = Duration::from_secs(2);

/// How long a batch waits before it tries again while another parafind writes to the index.
const LOCKED_RETRY: Duration = Duration::from_millis(500);

/// Runs `work` until it does not find the index locked by another parafind, waiting
/// [`LOCKED_RETRY`] between tries.
fn when_free<T>(mut work: impl FnMut() -> Result<T>) -> Result<T> {
    loop {
        match work() {
            Err(Error::IndexLocked { .. }) => std::thread::sleep(LOCKED_RETRY),
            done => return done,
        }
    }
}

/// One batch's refresh of the index at `index_dir`: of the paths that changed, or of everything.
fn refresh(index_dir: &Path, changes: &Changes, options: &WatchOptions) -> Result<IngestReport> {
    let index = index::open_for_update(index_dir)?;
    match changes {
        Changes::Paths(paths) => index::refresh_paths(&index, paths, &options.ingest),
        Changes::Rescan => index::refresh_with_progress(&index, &options.ingest, &|_| {}),
    }
}

/// What `watch` watches: each remembered directory that is there, with everything under it,
/// and, alone, the nearest directory above each remembered one that is not inside a watched
/// one (its parent, or further up when that is missing too), where the directory's own coming
/// and going is told (a recursive watch ends with its directory).
#[derive(Default)]
struct Watches {
    roots: HashSet<PathBuf>,
    above: HashSet<PathBuf>,
}

impl Watches {
    /// Brings the watches in step with the disk, given the paths just `notified`: a remembered
    /// directory among them is watched anew (it may have gone and come back), one that is
    /// gone is forgotten, and one that is there and was not watched is watched and returned
    /// (to be walked whole: files made before its watch are in no notice). A directory above
    /// that cannot be watched only loses that.
    fn update(
        &mut self,
        watcher: &mut impl Watcher,
        remembered: &[PathBuf],
        notified: &[PathBuf],
    ) -> Result<Vec<PathBuf>> {
        let mut back = Vec::new();
        // A directory no longer remembered (removed from the index) is no longer watched.
        self.roots.retain(|root| {
            let keep = remembered.contains(root);
            if !keep {
                let _ = watcher.unwatch(root);
            }
            keep
        });
        for root in remembered {
            let there = root.is_dir();
            if (notified.contains(root) || !there) && self.roots.remove(root) {
                let _ = watcher.unwatch(root);
            }
            if there && !self.roots.contains(root) {
                watcher
                    .watch(root, RecursiveMode::Recursive)
                    .map_err(|e| watch_error(root, e))?;
                self.roots.insert(root.clone());
                back.push(root.clone());
            }
        }
        // Watching a path again replaces its watch: a directory above one inside a watched
        // directory would cost that directory's recursive watch.
        let above: HashSet<PathBuf> = (remembered.iter())
            .filter_map(|root| root.ancestors().skip(1).find(|dir| dir.is_dir()))
            .filter(|dir| !self.roots.iter().any(|root| dir.starts_with(root)))
            .map(Path::to_path_buf)
            .collect();
        for dir in self.above.difference(&above) {
            let _ = watcher.unwatch(dir);
        }
        for dir in above.difference(&self.above) {
            let _ = watcher.watch(dir, RecursiveMode::NonRecursive);
        }
        self.above = above;
        Ok(back)
    }
}

/// Waits for a change, then gathers changes until they settle; `None` when the watcher is
/// gone. Reads, anything inside the index itself, and anything neither in nor above the
/// `remembered` directories (the other entries of a directory above) are not changes.
fn next_batch(
    events: &Receiver<notify::Result<notify::Event>>,
    options: &WatchOptions,
    index_dir: &Path,
    remembered: &[PathBuf],
) -> Option<Changes> {
    // Nothing for a while: an empty batch, for a look at what the index remembers.
    let first = match events.recv_timeout(REMEMBERED_CHECK) {
        Ok(event) => event,
        Err(RecvTimeoutError::Timeout) => return Some(Changes::Paths(Vec::new())),
        Err(RecvTimeoutError::Disconnected) => return None,
    };
    let started = Instant::now();
    let mut paths = Vec::new();
    let mut rescan = false;
    let mut take = |event: notify::Result<notify::Event>| match event {
        Ok(event) if event.need_rescan() => rescan = true,
        Ok(event) if matches!(event.kind, EventKind::Access(_)) => {}
        Ok(event) => paths.extend(
            event
                .paths
                .into_iter()
                .filter(|p| !p.starts_with(index_dir))
                // A remembered directory's, or one above it (made, or gone, on its way).
                .filter(|p| (remembered.iter()).any(|r| p.starts_with(r) || r.starts_with(p))),
        ),
        Err(_) => rescan = true,
    };
    take(first);
    while started.elapsed() < options.longest {
        match events.recv_timeout(options.settle) {
            Ok(event) => take(event),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    if rescan {
        return Some(Changes::Rescan);
    }
    paths.sort();
    paths.dedup();
    Some(Changes::Paths(paths))
}

fn watch_error(path: &Path, err: notify::Error) -> Error {
    let reason = match err.kind {
        // (notify's own words add the paths in debug form.)
        notify::ErrorKind::MaxFilesWatch => "the system's limit on watched directories is \
             reached; raise it (sysctl fs.inotify.max_user_watches=524288) or watch fewer \
             directories"
            .to_string(),
        _ => err.to_string(),
    };
    Error::Watch {
        path: path.to_path_buf(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watch_limit_is_said_with_what_to_do() {
        let limit =
            notify::Error::new(notify::ErrorKind::MaxFilesWatch).add_path(PathBuf::from("/d/sub"));
        let said = watch_error(Path::new("/d"), limit).to_string();
        assert!(said.contains("fs.inotify.max_user_watches"), "{said}");
        assert!(!said.contains("[\""), "{said}");
    }

    /// A directory `docs` holding `a.txt`, ingested into `index` beside it: the temporary
    /// directory, `docs` and the index's directory.
    fn docs_ingested() -> (assert_fs::TempDir, PathBuf, PathBuf) {
        let dir = assert_fs::TempDir::new().expect("temp dir");
        let docs = dir.path().join("docs");
        std::fs::create_dir_all(&docs).expect("docs");
        std::fs::write(docs.join("a.txt"), "alpha\n").expect("write");
        let index_dir = dir.path().join("index");
        let index = index::open_or_create(&index_dir).expect("index");
        index::ingest(&index, &IngestOptions::new(vec![docs.clone()])).expect("ingest");
        (dir, docs, index_dir)
    }

    #[test]
    fn an_edit_is_indexed_in_one_batch() {
        let (_dir, docs, index_dir) = docs_ingested();
        let mut seen = Vec::new();
        let ready = |_| std::fs::write(docs.join("b.txt"), "beta\n").expect("write b");
        watch(&index_dir, &WatchOptions::default(), ready, |batch| {
            seen.push((batch.report.added, batch.report.committed));
            false
        })
        .expect("watch");
        assert_eq!(seen, [(1, true)]);
    }

    #[test]
    fn removing_the_last_remembered_directory_ends_the_watch() {
        let (dir, docs, index_dir) = docs_ingested();
        let (send, ended) = mpsc::channel();
        std::thread::spawn(move || {
            let ready = |_| {
                let index = index::open_for_update(&index_dir).expect("index");
                index::remove(&index, std::slice::from_ref(&docs)).expect("remove");
            };
            let _ = send.send(watch(&index_dir, &WatchOptions::default(), ready, |_| true));
        });
        // (It is looked for every 2 s while nothing changes.)
        let ended = ended.recv_timeout(Duration::from_secs(30));
        let ended = ended.expect("the watch ends");
        assert!(
            matches!(ended, Err(Error::NothingToWatch { .. })),
            "{ended:?}"
        );
        drop(dir);
    }

    #[test]
    fn an_edit_that_keeps_the_files_size_and_time_is_indexed() {
        // A copy keeping times (`cp -p`, `rsync -t`), a build with fixed times: the same size
        // and time, other content. Told of it, watch compares the content.
        let dir = assert_fs::TempDir::new().expect("temp dir");
        let docs = dir.path().join("docs");
        std::fs::create_dir_all(&docs).expect("docs");
        let file = docs.join("VERSION.txt");
        let fixed = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1);
        let write_keeping_time = |text: &str| {
            std::fs::write(&file, text).expect("write");
            let opened = std::fs::File::options().write(true).open(&file);
            opened.and_then(|f| f.set_modified(fixed)).expect("time");
        };
        write_keeping_time("version 1.2.3\n");
        let index_dir = dir.path().join("index");
        let index = index::open_or_create(&index_dir).expect("index");
        index::ingest(&index, &IngestOptions::new(vec![docs.clone()])).expect("ingest");
        let mut seen = Vec::new();
        watch(
            &index_dir,
            &WatchOptions::default(),
            |_| write_keeping_time("version 1.2.4\n"),
            |batch| {
                seen.push((batch.report.updated, batch.report.committed));
                false
            },
        )
        .expect("watch");
        assert_eq!(seen, [(1, true)]);
    }

    #[test]
    fn a_batch_that_finds_no_room_is_told_and_a_rescan_tries_again() {
        // The start's full refresh (1), or the first batch after it (2), finds the disk full.
        for full_at in [1, 2] {
            let watched = Watched::new(&["docs/a.txt"], &["docs"]);
            let (docs, index_dir) = (watched.path("docs"), watched.index());
            let mut refreshes = 0;
            let full_once = |dir: &Path, changes: &Changes, options: &WatchOptions| {
                refreshes += 1;
                match refreshes == full_at {
                    true => Err(Error::NoSpace { path: dir.into() }),
                    false => refresh(dir, changes, options),
                }
            };
            let options = WatchOptions {
                no_room_retry: Duration::from_millis(100),
                ..WatchOptions::default()
            };
            let later = docs.join("c.txt");
            let ready = |_| {
                std::fs::write(docs.join("b.txt"), "beta\n").expect("write b");
                // A change long after, should no rescan come: its batch ends the watch.
                std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_secs(6));
                    std::fs::write(later, "gamma\n").ok();
                });
            };
            let mut seen = Vec::new();
            watch_with(
                &index_dir,
                &options,
                ready,
                |batch| {
                    let full = matches!(batch.no_room, Some(Error::NoSpace { .. }));
                    seen.push((full, batch.changed, batch.report.added));
                    full
                },
                full_once,
            )
            .expect("watch");
            // Told, then every file looked at again (a rescan: no changed path), `b.txt` added.
            assert_eq!(seen.len(), 2, "{full_at}: {seen:?}");
            assert!(seen[0].0 && seen[0].2 == 0, "{full_at}: {seen:?}");
            assert_eq!(seen[1], (false, 0, 1), "{full_at}");
            let index = index::open(&index_dir).expect("open");
            assert_eq!(index::files(&index).expect("files").len(), 2);
        }
    }

    /// A directory with `files` (each holding `alpha`) whose `roots` are ingested into its
    /// `index`.
    struct Watched {
        dir: assert_fs::TempDir,
    }

    impl Watched {
        fn new(files: &[&str], roots: &[&str]) -> Watched {
            let watched = Watched {
                dir: assert_fs::TempDir::new().expect("temp dir"),
            };
            for file in files {
                let path = watched.path(file);
                std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
                std::fs::write(path, "alpha\n").expect("write");
            }
            let index = index::open_or_create(&watched.index()).expect("index");
            let roots = roots.iter().map(|root| watched.path(root)).collect();
            index::ingest(&index, &IngestOptions::new(roots)).expect("ingest");
            watched
        }

        fn path(&self, name: &str) -> PathBuf {
            self.dir.path().join(name)
        }

        fn index(&self) -> PathBuf {
            self.path("index")
        }

        /// The key of `name` (which exists).
        fn key(&self, name: &str) -> String {
            index::path_key(&std::fs::canonicalize(self.path(name)).expect("canonical"))
        }

        /// Watches while `changes` runs on a thread of its own, then writes `end` (a new
        /// file in a watched directory) a moment after; stops at the batch that adds it.
        /// What each batch added. The steps of `changes` do not panic (a step that fails is
        /// left to the assertions), so that the batch that ends the watch always comes.
        fn watch_until(&self, end: &str, changes: impl FnOnce() + Send + 'static) -> Vec<u64> {
            let end = self.path(end);
            let end_file = end.clone();
            let mut added = Vec::new();
            let ready = move |_| {
                std::thread::spawn(move || {
                    changes();
                    pause(1500);
                    std::fs::write(end_file, "end\n").ok();
                });
            };
            watch(&self.index(), &WatchOptions::default(), ready, |batch| {
                added.push(batch.report.added);
                batch.report.added == 0 || !end.exists()
            })
            .expect("watch");
            added
        }

        /// The files held under the key `under`, by the rest of their keys, sorted.
        fn held_under(&self, under: &str) -> Vec<String> {
            let index = index::open(&self.index()).expect("open");
            let mut held: Vec<String> = index::files(&index)
                .expect("files")
                .into_iter()
                .filter_map(|f| Some(f.key.strip_prefix(under)?.to_string()))
                .collect();
            held.sort();
            held
        }
    }

    /// Waits a little (the changes are seen in batches of their own).
    fn pause(millis: u64) {
        std::thread::sleep(Duration::from_millis(millis));
    }

    #[test]
    fn a_directory_deleted_and_made_again_is_watched_again() {
        let watched = Watched::new(&["docs/a.txt", "other/a.txt"], &["docs", "other"]);
        let docs_key = watched.key("docs");
        let docs = watched.path("docs");
        watched.watch_until("other/end.txt", move || {
            std::fs::remove_dir_all(&docs).ok();
            pause(600);
            std::fs::create_dir(&docs).ok();
            std::fs::write(docs.join("b.txt"), "beta\n").ok();
            pause(600);
            std::fs::write(docs.join("c.txt"), "gamma\n").ok();
        });
        assert_eq!(watched.held_under(&docs_key), ["/b.txt", "/c.txt"]);
    }

    #[test]
    fn a_directory_made_inside_a_watched_one_is_watched_beside_a_nested_root() {
        // `a` and `a/b` both remembered: `a`'s recursive watch must not be replaced by a
        // watch for `a/b`'s coming and going.
        let watched = Watched::new(&["a/b/x.txt"], &["a", "a/b"]);
        let a = watched.path("a");
        watched.watch_until("a/end.txt", move || {
            std::fs::create_dir(a.join("new")).ok();
            pause(600);
            std::fs::write(a.join("new/z.txt"), "zebra\n").ok();
        });
        assert_eq!(
            watched.held_under(&watched.key("a")),
            ["/b/x.txt", "/end.txt", "/new/z.txt"]
        );
    }

    #[test]
    fn a_file_held_where_no_walk_goes_is_followed_and_a_directory_gone_is_taken_out() {
        let files = [
            "docs/sub/a.txt",
            "docs/sub/b.txt",
            "gone/g.txt",
            "f/f.txt",
            "end/e.txt",
        ];
        let watched = Watched::new(&files, &["docs", "gone", "f", "end"]);
        // `docs/sub` taken out, then one file of it ingested by name.
        let index = index::open_or_create(&watched.index()).expect("index");
        index::remove(&index, &[watched.path("docs/sub")]).expect("remove");
        let by_name = IngestOptions::new(vec![watched.path("docs/sub/a.txt")]);
        index::ingest(&index, &by_name).expect("ingest by name");
        drop(index);
        let (a_key, gone_key, f_key) = (
            watched.key("docs/sub/a.txt"),
            watched.key("gone"),
            watched.key("f"),
        );
        let edited = "zebra\n";
        let (a, gone, away) = (
            watched.path("docs/sub/a.txt"),
            watched.path("gone"),
            watched.path("away"),
        );
        let f = watched.path("f");
        watched.watch_until("end/end.txt", move || {
            std::fs::write(&a, edited).ok();
            pause(600);
            std::fs::rename(&gone, &away).ok();
            // A file in a directory's place, in one go (one batch).
            std::fs::remove_dir_all(&f).ok();
            std::fs::write(&f, "mike\n").ok();
        });
        let index = index::open(&watched.index()).expect("open");
        let files = index::files(&index).expect("files");
        let a_held = files.iter().find(|f| f.key == a_key).expect("a held");
        assert_eq!(a_held.hash, crate::corpus::content_hash(edited.as_bytes()));
        for gone in [&gone_key, &f_key] {
            assert!(!files.iter().any(|f| f.key.starts_with(gone)), "{files:?}");
        }
        // The rest of the directory left out stays out.
        let b_held = files.iter().any(|f| f.key.ends_with("/sub/b.txt"));
        assert!(!b_held, "{files:?}");
    }

    #[test]
    fn a_directory_deleted_with_its_parent_and_made_again_is_watched_again() {
        // (`x` holds nothing else remembered: only a watch on it sees `p` come back.)
        let watched = Watched::new(&["x/p/c/f.txt", "end/e.txt"], &["x/p/c", "end"]);
        let key = watched.key("x/p/c");
        let (p, c) = (watched.path("x/p"), watched.path("x/p/c"));
        let added = watched.watch_until("end/end.txt", move || {
            std::fs::remove_dir_all(&p).ok();
            pause(600);
            std::fs::create_dir_all(&c).ok();
            std::fs::write(c.join("r.txt"), "romeo\n").ok();
            pause(600);
            std::fs::write(c.join("s.txt"), "sierra\n").ok();
        });
        // `r.txt` came in as it was made, not with the last batch's look round (which
        // watches a remembered directory it finds back).
        let before_last: u64 = added[..added.len() - 1].iter().sum();
        assert!(before_last >= 1, "{added:?}");
        assert_eq!(added.iter().sum::<u64>(), 3, "{added:?}");
        assert_eq!(watched.held_under(&key), ["/r.txt", "/s.txt"]);
    }

    #[test]
    fn files_an_edited_gitignore_no_longer_ignores_are_indexed() {
        let watched = Watched::new(&["u/a.txt"], &[]);
        let u = watched.path("u");
        std::fs::write(u.join(".gitignore"), "secret.txt\nbuild/\n").expect("write");
        std::fs::create_dir_all(u.join("build")).expect("dir");
        for file in ["secret.txt", "build/b.txt"] {
            std::fs::write(u.join(file), "gamma\n").expect("write");
        }
        let index = index::open_or_create(&watched.index()).expect("index");
        index::ingest(&index, &IngestOptions::new(vec![u.clone()])).expect("ingest");
        drop(index);
        assert_eq!(watched.held_under(&watched.key("u")), ["/a.txt"]);
        watched.watch_until("u/end.txt", move || {
            std::fs::write(u.join(".gitignore"), "").ok();
        });
        assert_eq!(
            watched.held_under(&watched.key("u")),
            ["/a.txt", "/build/b.txt", "/end.txt", "/secret.txt"]
        );
    }

    #[test]
    fn a_directory_another_ingest_adds_is_watched_too() {
        let watched = Watched::new(&["a/a.txt"], &["a"]);
        let (b, index_dir) = (watched.path("b"), watched.index());
        watched.watch_until("a/end.txt", move || {
            std::fs::create_dir(&b).ok();
            std::fs::write(b.join("x.txt"), "xray\n").ok();
            // Another run makes the index remember `b`, while `watch` runs.
            if let Ok(index) = index::open_or_create(&index_dir) {
                let _ = when_free(|| index::ingest(&index, &IngestOptions::new(vec![b.clone()])));
            }
            pause(3000);
            std::fs::write(b.join("new.txt"), "november\n").ok();
        });
        assert_eq!(
            watched.held_under(&watched.key("b")),
            ["/new.txt", "/x.txt"]
        );
    }

    #[test]
    fn a_batch_waits_while_another_parafind_writes_and_a_missing_directory_is_not_watched() {
        let dir = assert_fs::TempDir::new().expect("temp dir");
        let (docs, gone) = (dir.path().join("docs"), dir.path().join("gone"));
        for (d, file) in [(&docs, "a.txt"), (&gone, "g.txt")] {
            std::fs::create_dir_all(d).expect("dir");
            std::fs::write(d.join(file), "alpha\n").expect("write");
        }
        let index_dir = dir.path().join("index");
        let index = index::open_or_create(&index_dir).expect("index");
        index::ingest(
            &index,
            &IngestOptions::new(vec![docs.clone(), gone.clone()]),
        )
        .expect("ingest");
        drop(index);
        std::fs::remove_dir_all(&gone).expect("remove");
        // Another writer holds the index for a while.
        let other = tantivy::Index::open_in_dir(&index_dir)
            .expect("open")
            .writer_with_num_threads::<tantivy::TantivyDocument>(1, 15_000_000)
            .expect("lock");
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(1200));
            drop(other);
        });
        let mut seen = Vec::new();
        let mut watched = 0;
        let ready = |n| {
            watched = n;
            std::fs::write(docs.join("b.txt"), "beta\n").expect("write b");
        };
        watch(&index_dir, &WatchOptions::default(), ready, |batch| {
            seen.push((batch.changed, batch.report.added, batch.report.removed));
            batch.changed == 0
        })
        .expect("watch");
        release.join().expect("release");
        // The first refresh waited, then took out the missing directory's file; then the
        // new file's batch.
        assert_eq!(watched, 1);
        assert_eq!(seen, [(0, 0, 1), (1, 1, 0)]);
    }
}
