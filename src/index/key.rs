//! A file's identity in the index: its canonical absolute path, as one exact string.
//!
//! A UTF-8 path is its own key. A path that is not UTF-8 (possible on Unix) is keyed as its lossy
//! text, a NUL (which no path contains) and the hex of its bytes, so the key stays exact and
//! unique, sorts near its readable form, and the original bytes can be recovered.

use std::path::Path;

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

/// The readable text of a key (lossy for a path that is not UTF-8).
pub fn key_text(key: &str) -> &str {
    key.split_once('\0').map_or(key, |(text, _)| text)
}

/// The exact bytes of a key's path when it is not UTF-8, else `None`.
pub fn key_raw_bytes(key: &str) -> Option<Vec<u8>> {
    let (_, hex) = key.split_once('\0')?;
    (0..hex.len())
        .step_by(2)
        .map(|i| {
            hex.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect()
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
    }

    #[test]
    fn doc_ids_are_stable_and_distinct() {
        assert_eq!(doc_id("/a"), doc_id("/a"));
        assert_ne!(doc_id("/a"), doc_id("/b"));
        assert_eq!(doc_id("").len(), 16);
        assert_eq!(doc_id(""), "cbf29ce484222325");
    }
}
