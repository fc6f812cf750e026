//! The server's (and the terminal UI's) view of the index: the last commit opened once (one
//! searcher, which every session shares, so all see the same state), and search sessions over
//! it kept for the next request. Before each request the commit file (`meta.json`, replaced
//! whole by every commit) is looked at; when it changed, the index is opened again and the
//! sessions of the old commit are let go, so searches see an ingest's commit without a
//! restart. A commit that cannot be opened (another version's index, say) leaves the server
//! answering from the last one it could, with one warning on stderr.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use parafind::index::{self, ParaIndex};
use parafind::search::Session;
use parafind::Error;
use tantivy::Searcher;

self_cell::self_cell!(
    /// A search session together with the open index it reads.
    struct OpenSession {
        owner: Arc<ParaIndex>,
        #[not_covariant]
        dependent: Session,
    }
);

/// Idle sessions kept per commit: one per request that can run at once on a small machine,
/// and a few more.
const MAX_IDLE: usize = 16;

/// What tells one commit file from the next: it is replaced (a new inode) at every commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    inode: u64,
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    /// The stamp of `dir`'s commit file; none when it cannot be read.
    fn of(dir: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(dir.join("meta.json")).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            inode,
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// The open commit and its idle sessions.
struct Current {
    stamp: Option<Stamp>,
    index: Arc<ParaIndex>,
    searcher: Searcher,
    idle: Vec<Pooled>,
}

/// An idle session, and when it last read the stamps of its hits' files.
struct Pooled {
    session: OpenSession,
    stamps_read: Instant,
}

/// How long a session trusts the file stamps it read (for stale-file warnings): a file
/// changed after a request is warned about within this long.
const STAMPS_KEPT: Duration = Duration::from_secs(1);

/// The index in `dir` and a searcher on its last commit.
fn open_commit(dir: &Path) -> parafind::Result<(Arc<ParaIndex>, Searcher)> {
    let index = index::open(dir)?;
    let searcher = index.searcher()?;
    Ok((Arc::new(index), searcher))
}

/// The index a server answers from, reopened at each new commit.
pub struct Sessions {
    dir: PathBuf,
    current: Mutex<Current>,
}

impl Sessions {
    /// Opens the index in `dir`.
    pub fn open(dir: &Path) -> parafind::Result<Sessions> {
        let stamp = Stamp::of(dir);
        let (index, searcher) = open_commit(dir)?;
        Ok(Sessions {
            dir: dir.to_path_buf(),
            current: Mutex::new(Current {
                stamp,
                index,
                searcher,
                idle: Vec::new(),
            }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Current> {
        // Nothing panics while holding the lock; a poisoned one still holds a whole state.
        self.current.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The index at its last commit (opened again when a commit came since the last request).
    pub fn index(&self) -> Arc<ParaIndex> {
        let mut current = self.lock();
        self.reload_if_committed(&mut current);
        current.index.clone()
    }

    /// The index and a searcher at the last commit this server could open (which a damaged
    /// new commit does not replace).
    pub fn at_last_commit(&self) -> (Arc<ParaIndex>, Searcher) {
        let mut current = self.lock();
        self.reload_if_committed(&mut current);
        (current.index.clone(), current.searcher.clone())
    }

    /// Runs `work` with a session on the last commit, then keeps the session for another
    /// request.
    pub fn with<T>(&self, work: impl FnOnce(&mut Session<'_>) -> T) -> T {
        let mut pooled = self.take();
        let forget = pooled.stamps_read.elapsed() >= STAMPS_KEPT;
        if forget {
            pooled.stamps_read = Instant::now();
        }
        let answer = pooled.session.with_dependent_mut(|_, session| {
            if forget {
                // Files may have changed since the session read their stamps.
                session.forget_file_stamps();
            }
            work(session)
        });
        self.give_back(pooled);
        answer
    }

    /// Whether the index's commit file is gone (the index deleted under the server), so that
    /// searches see the last commit opened.
    pub fn index_gone(&self) -> bool {
        let mut current = self.lock();
        self.reload_if_committed(&mut current);
        current.stamp.is_none()
    }

    fn take(&self) -> Pooled {
        let mut current = self.lock();
        self.reload_if_committed(&mut current);
        if let Some(pooled) = current.idle.pop() {
            return pooled;
        }
        let (index, searcher) = (current.index.clone(), current.searcher.clone());
        drop(current);
        Pooled {
            session: OpenSession::new(index, |index| {
                let mut session = Session::on(index, searcher);
                session.name_index_as(crate::report::index_flag());
                session
            }),
            stamps_read: Instant::now(),
        }
    }

    fn give_back(&self, pooled: Pooled) {
        let mut current = self.lock();
        let same_commit = Arc::ptr_eq(pooled.session.borrow_owner(), &current.index);
        if same_commit && current.idle.len() < MAX_IDLE {
            current.idle.push(pooled);
        }
    }

    /// Opens the index again when its commit file changed since it was opened.
    fn reload_if_committed(&self, current: &mut Current) {
        let stamp = Stamp::of(&self.dir);
        if stamp == current.stamp {
            return;
        }
        // The stamp is taken before opening: a commit landing meanwhile is seen next time.
        current.stamp = stamp;
        if stamp.is_none() {
            // Said once: until a commit file is back (a new ingest), the stamp stays none.
            warn_gone(&self.dir);
            return;
        }
        match open_commit(&self.dir) {
            Ok((index, searcher)) => {
                current.index = index;
                current.searcher = searcher;
                current.idle.clear();
            }
            Err(err) => warn_not_reloaded(&err),
        }
    }
}

fn warn_gone(dir: &Path) {
    eprintln!(
        "parafind: warning: the index at {} is gone (its commit file cannot be read), so \
         searches still see its last commit; ingest into it again to serve a new one",
        parafind::output::one_line(&dir.display().to_string())
    );
}

fn warn_not_reloaded(err: &Error) {
    eprintln!(
        "parafind: warning: the index's new commit cannot be opened, so searches still see \
         the previous one: {}",
        parafind::output::one_line(&err.to_string())
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use parafind::index::IngestOptions;
    use parafind::search::SearchConfig;

    fn ingest(dir: &Path, name: &str, text: &str) {
        let docs = dir.join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join(name), text).unwrap();
        let index = index::open_or_create(&dir.join("index")).unwrap();
        index::ingest(&index, &IngestOptions::new(vec![docs])).unwrap();
    }

    fn total(sessions: &Sessions, query: &str) -> u64 {
        let config = SearchConfig::new(query, 10);
        sessions.with(|session| session.count(&config).unwrap().0)
    }

    #[test]
    fn a_new_commit_is_seen_by_the_next_request_and_old_sessions_are_dropped() {
        let dir = assert_fs::TempDir::new().unwrap();
        ingest(dir.path(), "a.txt", "The treaty was signed.\n");
        let sessions = Sessions::open(&dir.path().join("index")).unwrap();
        assert_eq!(total(&sessions, "treaty"), 1);
        assert_eq!(total(&sessions, "treaty"), 1);
        assert_eq!(sessions.lock().idle.len(), 1, "the session is kept");
        ingest(dir.path(), "b.txt", "Another treaty.\n");
        assert_eq!(total(&sessions, "treaty"), 2);
        assert_eq!(
            sessions.lock().idle.len(),
            1,
            "only the new commit's session"
        );
    }

    #[test]
    fn a_commit_that_cannot_be_opened_leaves_the_last_good_one() {
        let dir = assert_fs::TempDir::new().unwrap();
        ingest(dir.path(), "a.txt", "The treaty was signed.\n");
        let index_dir = dir.path().join("index");
        let sessions = Sessions::open(&index_dir).unwrap();
        let (index, searcher) = sessions.at_last_commit();
        let before = index::stats_at(&index, &searcher).unwrap();
        std::fs::write(index_dir.join("meta.json"), "{ not json").unwrap();
        assert_eq!(total(&sessions, "treaty"), 1);
        // Statistics and the list of files come from that commit too.
        let (index, searcher) = sessions.at_last_commit();
        let stats = index::stats_at(&index, &searcher).unwrap();
        assert_eq!((stats.files, stats.paragraphs, stats.segments), (1, 1, 1));
        assert_eq!(stats.terms, before.terms);
        assert!(stats.index_bytes > 0);
        assert_eq!(index::files_at(&index, &searcher).unwrap().len(), 1);
    }

    #[test]
    fn an_index_deleted_under_the_server_is_served_at_its_last_commit_until_it_is_back() {
        let dir = assert_fs::TempDir::new().unwrap();
        ingest(dir.path(), "a.txt", "The treaty was signed.\n");
        let index_dir = dir.path().join("index");
        let sessions = Sessions::open(&index_dir).unwrap();
        assert_eq!(total(&sessions, "treaty"), 1);
        std::fs::remove_dir_all(&index_dir).unwrap();
        assert_eq!(total(&sessions, "treaty"), 1);
        assert_eq!(sessions.lock().stamp, None, "seen gone (and said so once)");
        ingest(dir.path(), "b.txt", "Another treaty.\n");
        assert_eq!(total(&sessions, "treaty"), 2);
    }
}
