//! Arguments of `parafind show`: a file, or one of its paragraphs, with its neighbours.

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;

use super::ContextArgs;

/// Arguments of `parafind show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A file (all its paragraphs) or FILE:N (paragraph N); a JSON Lines record is
    /// COLLECTION#ID (COLLECTION#ID:N for its paragraph N)
    #[arg(value_name = "PATH[:N]")]
    pub target: PathBuf,

    /// Print JSON Lines instead of text
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub context: ContextArgs,
}

impl ShowArgs {
    /// Splits `PATH[:N]`: a target that names an existing file is a path even if it has a colon.
    /// The path is taken as given, also when it is not UTF-8.
    pub fn target(&self) -> Result<(PathBuf, Option<u64>)> {
        let target = self.target.as_path();
        let shown = target.display();
        anyhow::ensure!(
            !target.as_os_str().is_empty(),
            "show needs a file: PATH or PATH:N"
        );
        // (A link to a directory may stand where the index holds a file: looked up there.)
        let is_link = target
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink());
        if !is_link && target.is_dir() {
            return Err(a_directory(target));
        }
        if target.exists() {
            return Ok((target.to_path_buf(), None));
        }
        if let Some((path, number)) = split_paragraph_number(target) {
            if let Ok(number) = number.parse::<u64>() {
                anyhow::ensure!(
                    !path.as_os_str().is_empty(),
                    "{shown}: a file is missing before `:{number}`"
                );
                anyhow::ensure!(number >= 1, "{shown}: paragraphs are numbered from 1");
                return Ok((path, Some(number)));
            }
            // `notes.txt:2x`, `notes.txt:-1`: a file, then no paragraph number.
            anyhow::ensure!(
                !path.is_file(),
                "{shown}: `:{number}` is not a paragraph number; write PATH:N with N from 1"
            );
        }
        // A file that no longer exists may still be in the index.
        Ok((target.to_path_buf(), None))
    }
}

/// The error of `show` given the directory `path` (or a link to one that the index does not
/// hold a file at).
pub fn a_directory(path: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "{}: is a directory; show takes a file, PATH or PATH:N (`parafind list` names the \
         indexed files)",
        path.display()
    )
}

/// `PATH` and `N` of `PATH:N`, split at the last colon, with `PATH` kept byte for byte.
fn split_paragraph_number(target: &Path) -> Option<(PathBuf, String)> {
    let bytes = target.as_os_str().as_encoded_bytes();
    let colon = bytes.iter().rposition(|&b| b == b':')?;
    let number = std::str::from_utf8(&bytes[colon + 1..]).ok()?.to_string();
    #[cfg(unix)]
    let path = {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(&bytes[..colon]))
    };
    #[cfg(not(unix))]
    let path = PathBuf::from(String::from_utf8_lossy(&bytes[..colon]).into_owned());
    Some((path, number))
}
