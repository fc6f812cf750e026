//! The corpus: finding the files under the roots the user names, reading and decoding them, and
//! splitting their text into [`Paragraph`]s.
//!
//! Walking uses the `ignore` crate (as ripgrep and fd do): directories are walked recursively in
//! file-name order, `.gitignore`/`.ignore` rules are respected and hidden files are skipped. Files
//! named explicitly are always read.

mod paragraph;

use std::fs;
use std::path::{Path, PathBuf};

pub use paragraph::{split, Paragraph};

use crate::error::{Error, Result};

/// Something worth telling the user that did not stop the work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file concerned.
    pub path: PathBuf,
    /// What happened, as one line.
    pub message: String,
}

/// The files found under a set of roots.
#[derive(Debug, Default)]
pub struct Walk {
    /// Regular files, in walk order.
    pub files: Vec<PathBuf>,
    /// Entries that could not be walked.
    pub warnings: Vec<Warning>,
}

/// Checks that every root exists and can be read, before any work starts.
pub fn check_roots(roots: &[PathBuf]) -> Result<()> {
    for root in roots {
        match fs::metadata(root) {
            Ok(_) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::MissingPath { path: root.clone() })
            }
            Err(source) => {
                return Err(Error::Read {
                    path: root.clone(),
                    source,
                })
            }
        }
    }
    Ok(())
}

/// Lists the regular files under `roots` (files among the roots are listed as they are, even
/// through a symbolic link), leaving out anything under the `exclude` directories (the index).
pub fn walk(roots: &[PathBuf], exclude: &[PathBuf]) -> Result<Walk> {
    check_roots(roots)?;
    let mut out = Walk::default();
    let Some((first, rest)) = roots.split_first() else {
        return Ok(out);
    };
    let mut builder = ignore::WalkBuilder::new(first);
    for root in rest {
        builder.add(root);
    }
    builder.sort_by_file_name(|a, b| a.cmp(b));
    // .gitignore rules apply whether or not the folder is a git repository.
    builder.require_git(false);
    let exclude: Vec<PathBuf> = exclude
        .iter()
        .filter_map(|d| fs::canonicalize(d).ok())
        .collect();
    if !exclude.is_empty() {
        builder.filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            !(is_dir && fs::canonicalize(entry.path()).is_ok_and(|p| exclude.contains(&p)))
        });
    }
    for entry in builder.build() {
        match entry {
            Ok(entry)
                if entry.file_type().is_some_and(|t| t.is_file())
                    || (entry.depth() == 0 && entry.path().is_file()) =>
            {
                out.files.push(entry.into_path());
            }
            Ok(_) => {}
            Err(err) => out.warnings.push(Warning {
                path: walk_error_path(&err).unwrap_or_default(),
                message: err.to_string(),
            }),
        }
    }
    Ok(out)
}

fn walk_error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        _ => None,
    }
}

/// A file's text after decoding.
#[derive(Debug, PartialEq, Eq)]
pub enum Decoded {
    /// Text, and the number of bytes before it in the file (a byte-order mark).
    Text {
        /// The decoded text.
        text: String,
        /// Bytes skipped at the start of the file (3 for a UTF-8 byte-order mark).
        skipped: usize,
        /// True when invalid UTF-8 was replaced by U+FFFD.
        lossy: bool,
    },
    /// The file holds NUL bytes: it is not text.
    Binary,
}

/// How many leading bytes are checked for NUL to detect a binary file.
const BINARY_SNIFF_BYTES: usize = 8192;

/// Decodes a file's bytes: UTF-8 (a byte-order mark is skipped), invalid sequences replaced.
pub fn decode(bytes: Vec<u8>) -> Decoded {
    let sniff = &bytes[..bytes.len().min(BINARY_SNIFF_BYTES)];
    if sniff.contains(&0) {
        return Decoded::Binary;
    }
    let skipped = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let body = if skipped == 0 {
        bytes
    } else {
        bytes[skipped..].to_vec()
    };
    match String::from_utf8(body) {
        Ok(text) => Decoded::Text {
            text,
            skipped,
            lossy: false,
        },
        Err(err) => Decoded::Text {
            text: String::from_utf8_lossy(err.as_bytes()).into_owned(),
            skipped,
            lossy: true,
        },
    }
}

/// Reads and decodes one file.
pub fn read(path: &Path) -> Result<Decoded> {
    let bytes = fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(decode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_skipped_and_counted() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFhi".to_vec()),
            Decoded::Text {
                text: "hi".into(),
                skipped: 3,
                lossy: false
            }
        );
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert_eq!(decode(b"ab\0cd".to_vec()), Decoded::Binary);
    }

    #[test]
    fn invalid_utf8_is_replaced_and_flagged() {
        assert_eq!(
            decode(b"a\xFFb".to_vec()),
            Decoded::Text {
                text: "a\u{FFFD}b".into(),
                skipped: 0,
                lossy: true
            }
        );
    }

    #[test]
    fn missing_root_is_an_error_naming_it() {
        let err = walk(&[PathBuf::from("definitely/not/here")], &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "definitely/not/here: no such file or directory"
        );
    }
}
