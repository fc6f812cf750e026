//! A file's identity in the index: its canonical absolute path, as one exact string.
//!
//! A UTF-8 path is its own key. A path that is not UTF-8 (possible on Unix) is keyed as its lossy
//! text, a NUL (which no path contains) and the hex of its bytes, so the key stays exact and
//! unique, sorts near its readable form, and the original bytes can be recovered.
//!
//! Also here: the way back from a key to its file, and the key to look a user's path up by,
//! which for a file that is gone comes from its path made absolute by name alone.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

/// The key of a canonical path.
pub fn path_key(path: &Path) -> String {
    match path.to_str() {
        Some(text) => text.to_string(),
        None => {
            let bytes = path.as_os_str().as_encoded_bytes();
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            format!("{}\0{hex}", path.to_string_lossy())
        }
    }
}

/// The readable text of a key (lossy for a path that is not UTF-8), with what follows the
/// path (a record's `#id`, whose collection's path is not UTF-8).
pub fn key_text(key: &str) -> Cow<'_, str> {
    match key.split_once('\0') {
        None => Cow::Borrowed(key),
        Some((text, rest)) => match after_hex(rest) {
            "" => Cow::Borrowed(text),
            suffix => Cow::Owned(format!("{text}{suffix}")),
        },
    }
}

/// What follows the hex of a path's bytes in a key (`#id` of a record; else nothing).
fn after_hex(rest: &str) -> &str {
    rest.trim_start_matches(|c: char| c.is_ascii_hexdigit())
}

/// The exact bytes of a key's path (and a record's `#id` after it) when the path is not
/// UTF-8, else `None`.
pub fn key_raw_bytes(key: &str) -> Option<Vec<u8>> {
    let (_, rest) = key.split_once('\0')?;
    let suffix = after_hex(rest);
    let hex = &rest[..rest.len() - suffix.len()];
    let mut bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| {
            hex.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect::<Option<_>>()?;
    bytes.extend_from_slice(suffix.as_bytes());
    Some(bytes)
}

/// The file system path of a key (exact, also for paths that are not UTF-8).
pub fn key_path(key: &str) -> PathBuf {
    #[cfg(unix)]
    if let Some(bytes) = key_raw_bytes(key) {
        use std::os::unix::ffi::OsStrExt;
        return PathBuf::from(std::ffi::OsStr::from_bytes(&bytes));
    }
    PathBuf::from(key_text(key).as_ref())
}

/// The collection of a record the user named `path` (`notes.jsonl#a`), as the user named it
/// (`notes.jsonl`) when `path` ends in `#id`, else by its key `collection`, for messages.
pub fn collection_as_named(path: &Path, collection: &str, id: &str) -> PathBuf {
    let given = path
        .to_str()
        .and_then(|p| p.strip_suffix(&format!("#{id}")));
    PathBuf::from(given.unwrap_or(&key_text(collection)))
}

/// `path` made absolute under `base` (an absolute `path` stays as it is), with its `.` and `..`
/// steps resolved by name alone: nothing is read from the file system, so no link is followed,
/// and `..` at the root stays at the root.
pub fn resolve_steps(base: &Path, path: &Path) -> PathBuf {
    let mut resolved = PathBuf::new();
    for component in base.join(path).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            other => resolved.push(other),
        }
    }
    resolved
}

/// The key to look a user's path up by: the key of its canonical path, or, when it cannot be
/// resolved (a file deleted since it was ingested), of the path made absolute under the current
/// directory by `resolve_steps`.
pub fn lookup_key(path: &Path) -> String {
    if let Ok(canonical) = std::fs::canonicalize(path) {
        return path_key(&canonical);
    }
    // A collection's record (`notes.jsonl#ID`): the file resolved, the id kept as written (an
    // id such as `https://example.com/x` is no path to resolve). Split on the path's bytes: a
    // collection's name need not be UTF-8.
    if let Some(key) = record_key(path) {
        return key;
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    path_key(&resolve_steps(&cwd, path))
}

/// The key of the record `path` names (`notes.jsonl#ID`, its collection a file), if any.
#[cfg(unix)]
fn record_key(path: &Path) -> Option<String> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    (0..bytes.len())
        .filter(|&at| bytes[at] == b'#')
        .find_map(|at| {
            let id = std::str::from_utf8(&bytes[at + 1..]).ok()?;
            let file = Path::new(std::ffi::OsStr::from_bytes(&bytes[..at]));
            file.is_file().then(|| format!("{}#{id}", lookup_key(file)))
        })
}

/// The key of the record `path` names (`notes.jsonl#ID`, its collection a file), if any.
#[cfg(not(unix))]
fn record_key(path: &Path) -> Option<String> {
    let text = path.to_str()?;
    text.match_indices('#').find_map(|(at, _)| {
        let (file, id) = (&text[..at], &text[at + 1..]);
        Path::new(file)
            .is_file()
            .then(|| format!("{}#{id}", lookup_key(Path::new(file))))
    })
}

/// The keys a user's path may name in the index, the likeliest first: where a step of the path
/// is a symbolic link now, the key of the path with the steps up to the last such link
/// resolved but not the link itself (a file or directory the index holds there may have been
/// replaced by a link since), then [`lookup_key`]'s (what the links lead to).
pub fn lookup_keys(path: &Path) -> Vec<String> {
    let resolved = lookup_key(path);
    let own = own_place(path).map(|own| path_key(&own));
    match own {
        Some(own) if own != resolved => vec![own, resolved],
        _ => vec![resolved],
    }
}

/// `path` made absolute by name, its last step that is a symbolic link kept as it is, the
/// directory holding that link resolved; `None` when no step is a link.
fn own_place(path: &Path) -> Option<PathBuf> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let absolute = resolve_steps(&cwd, path);
    let mut at = PathBuf::new();
    let mut last_link = None;
    for component in absolute.components() {
        at.push(component);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            last_link = Some(at.clone());
        }
    }
    let link = last_link?;
    let holder = link.parent()?;
    let rest = absolute.strip_prefix(holder).ok()?;
    Some(std::fs::canonicalize(holder).ok()?.join(rest))
}

/// A stable identifier of a file: 16 hex digits of the 64-bit FNV-1a hash of its key.
pub fn doc_id(key: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_link_is_looked_up_at_its_own_place_first() {
        let dir = assert_fs::TempDir::new().unwrap();
        let dir = dir.path().canonicalize().unwrap();
        std::fs::write(dir.join("k.txt"), "k").unwrap();
        std::os::unix::fs::symlink("k.txt", dir.join("s.txt")).unwrap();
        let keys = |name: &str| lookup_keys(&dir.join(name));
        assert_eq!(
            keys("s.txt"),
            [path_key(&dir.join("s.txt")), path_key(&dir.join("k.txt"))]
        );
        assert_eq!(keys("k.txt"), [path_key(&dir.join("k.txt"))]);
        // A directory on the way replaced by a link: the path where it was, then the target.
        std::fs::create_dir_all(dir.join("d2")).unwrap();
        std::fs::write(dir.join("d2/w.txt"), "w").unwrap();
        std::os::unix::fs::symlink("d2", dir.join("sub")).unwrap();
        assert_eq!(
            keys("sub/w.txt"),
            [
                path_key(&dir.join("sub/w.txt")),
                path_key(&dir.join("d2/w.txt"))
            ]
        );
    }

    #[test]
    fn utf8_paths_are_their_own_key() {
        let key = path_key(Path::new("/notes/ü.txt"));
        assert_eq!(key, "/notes/ü.txt");
        assert_eq!(key_text(&key), "/notes/ü.txt");
        assert_eq!(key_raw_bytes(&key), None);
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_paths_keep_their_exact_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let raw = b"/notes/caf\xe9.txt";
        let key = path_key(Path::new(std::ffi::OsStr::from_bytes(raw)));
        assert_eq!(key_text(&key), "/notes/caf\u{FFFD}.txt");
        assert_eq!(key_raw_bytes(&key).as_deref(), Some(&raw[..]));
        let other = path_key(Path::new(std::ffi::OsStr::from_bytes(
            b"/notes/caf\xe8.txt",
        )));
        assert_ne!(key, other);
        // A record of a collection so named keeps its id, in text and in bytes.
        let record = format!("{key}#a/b1");
        assert_eq!(key_text(&record), "/notes/caf\u{FFFD}.txt#a/b1");
        assert_eq!(
            key_raw_bytes(&record).as_deref(),
            Some(&b"/notes/caf\xe9.txt#a/b1"[..])
        );
        assert_eq!(
            key_path(&record),
            Path::new(std::ffi::OsStr::from_bytes(b"/notes/caf\xe9.txt#a/b1"))
        );
    }

    #[test]
    fn steps_are_resolved_by_name() {
        let base = Path::new("/home/me");
        assert_eq!(
            resolve_steps(base, Path::new("a/./b")),
            Path::new("/home/me/a/b")
        );
        assert_eq!(
            resolve_steps(base, Path::new("../x/")),
            Path::new("/home/x")
        );
        assert_eq!(
            resolve_steps(base, Path::new("../../../x")),
            Path::new("/x")
        );
        assert_eq!(resolve_steps(base, Path::new("/a/../b")), Path::new("/b"));
        assert_eq!(
            resolve_steps(base, Path::new("docs/**/../*.md")),
            Path::new("/home/me/docs/*.md")
        );
    }

    #[test]
    fn gone_files_are_looked_up_by_their_resolved_path() {
        let cwd = std::env::current_dir().unwrap();
        let expected = path_key(&cwd.parent().unwrap().join("parafind-gone.txt"));
        assert_eq!(
            lookup_key(Path::new("./src/../../parafind-gone.txt")),
            expected
        );
    }

    #[test]
    fn doc_ids_are_stable_and_distinct() {
        assert_eq!(doc_id("/a"), doc_id("/a"));
        assert_ne!(doc_id("/a"), doc_id("/b"));
        assert_eq!(doc_id("").len(), 16);
        assert_eq!(doc_id(""), "cbf29ce484222325");
    }
}
