//! A file's bytes read by its format ([`read`]): text formats decoded (a `.gz` file first
//! decompressed), PDF, DOCX, ODT and EPUB documents extracted into paragraphs. The format comes
//! from the name and is confirmed by the content: a `.pdf` that does not start like a PDF, or a
//! `.docx` that is not a zip archive, is reported, never indexed as text. Nothing here panics on
//! a damaged file; a reader that would is stopped and the file reported.

use std::io::Read;
use std::path::Path;

use super::{
    declared_encoding, decode_declared, epub, format_of, is_compressed, office, pdf, Decoded,
    Encoding, Format, ParseOptions, Parsed, MAX_EXTRACTED_BYTES,
};

thread_local! {
    /// This thread is inside a document reader, whose panics are caught and reported as the
    /// file's warning.
    static READING_DOCUMENT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether this thread is reading a document (PDF, DOCX, ODT, EPUB) with a reader whose panic
/// [`read`] catches and reports as the file's warning: a panic hook should stay quiet then.
pub fn reading_document() -> bool {
    READING_DOCUMENT.with(|reading| reading.get())
}

/// What a file holds, read by its format.
#[derive(Debug)]
pub enum Content {
    /// Text to split into paragraphs in `format` (a `.gz` file's decompressed text; offsets
    /// into it are offsets into the decompressed bytes).
    Text {
        /// The text format.
        format: Format,
        /// The decoded text.
        text: String,
        /// How it was encoded.
        encoding: Encoding,
        /// Invalid sequences were replaced.
        lossy: bool,
    },
    /// A document's paragraphs and title, extracted (PDF, DOCX, ODT, EPUB): their lines and
    /// starts are 0, since no place in the file's bytes means anything to a reader.
    Document {
        /// The paragraphs and title.
        parsed: Parsed,
        /// When only part of the document could be read: what was wrong (`damaged PDF file
        /// (page 3: …)`).
        damaged: Option<String>,
    },
    /// Text with NUL bytes: not text.
    Binary,
    /// Not readable as its format: why, in one line (`PDF is encrypted`).
    Unreadable(String),
}

/// Reads `bytes`, the content of the file named `path`, by the format its name gives.
pub fn read(path: &Path, bytes: Vec<u8>, options: ParseOptions) -> Content {
    let bytes = if is_compressed(path) {
        match gunzip(&bytes, MAX_EXTRACTED_BYTES) {
            Ok(inflated) => inflated,
            Err(reason) => return Content::Unreadable(reason),
        }
    } else {
        bytes
    };
    let format = format_of(path);
    if !format.is_extracted() {
        let declared = declared_encoding(format, &bytes);
        return match decode_declared(bytes, declared) {
            Decoded::Binary => Content::Binary,
            Decoded::Text {
                text,
                encoding,
                lossy,
            } => Content::Text {
                format,
                text,
                encoding,
                lossy,
            },
        };
    }
    let extracted = match format {
        Format::Pdf => on_large_stack(|| extract(format, &bytes, options)),
        _ => reading_caught(|| extract(format, &bytes, options)),
    };
    match extracted {
        Ok(Ok((parsed, damaged))) => Content::Document { parsed, damaged },
        Ok(Err(reason)) => Content::Unreadable(reason),
        Err(_) => Content::Unreadable(format!("damaged {} file (its reader failed)", name(format))),
    }
}

/// A document's paragraphs, and what was wrong when only part of it could be read.
type Extracted = (Parsed, Option<String>);

/// The stack of the thread a PDF is read on: `pdf_oxide` parses nested objects by recursion,
/// about a kilobyte a level. The file's own bytes are checked for deep nesting first
/// (`pdf::nesting`), but objects packed in a compressed object stream are only seen as they
/// are parsed: this much stack (reserved, and used only as deep as a file goes) takes nesting
/// far beyond any document's.
const PDF_READER_STACK: usize = 256 << 20;

/// `read` run on a thread of its own with [`PDF_READER_STACK`] of stack (here, when no thread
/// can be made), its panic caught.
fn on_large_stack<T: Send>(read: impl Fn() -> T + Sync) -> std::thread::Result<T> {
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .name("PDF reader".into())
            .stack_size(PDF_READER_STACK);
        match reader.spawn_scoped(scope, || reading_caught(&read)) {
            Ok(thread) => thread.join().and_then(|read| read),
            Err(_) => reading_caught(&read),
        }
    })
}

/// `read`, with this thread marked as reading a document (its panic hook stays quiet) and its
/// panic caught.
fn reading_caught<T>(read: impl FnOnce() -> T) -> std::thread::Result<T> {
    READING_DOCUMENT.with(|reading| reading.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    READING_DOCUMENT.with(|reading| reading.set(false));
    result
}

fn extract(format: Format, bytes: &[u8], options: ParseOptions) -> Result<Extracted, String> {
    match format {
        Format::Pdf => pdf::pdf(bytes),
        Format::Docx => office::docx(bytes),
        Format::Odt => office::odt(bytes),
        Format::Epub => epub::epub(bytes, options),
        Format::Plain | Format::Markdown | Format::Html => Err("not a document format".into()),
    }
}

/// The format's name, for messages.
fn name(format: Format) -> &'static str {
    match format {
        Format::Pdf => "PDF",
        Format::Docx => "DOCX",
        Format::Odt => "ODT",
        Format::Epub => "EPUB",
        Format::Plain => "text",
        Format::Markdown => "Markdown",
        Format::Html => "HTML",
    }
}

/// The decompressed content of gzip data (every member, as `gzip -d` gives), at most `limit`
/// bytes.
fn gunzip(bytes: &[u8], limit: u64) -> Result<Vec<u8>, String> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Err("not gzip-compressed (no gzip header)".into());
    }
    let mut out = Vec::new();
    super::gunzip(bytes)
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("damaged gzip data ({e})"))?;
    if out.len() as u64 > limit {
        return Err(format!("decompresses to more than {} MiB", limit >> 20));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    #[test]
    fn a_pdf_is_read_on_a_stack_deep_enough_for_deep_recursion() {
        // About 60 MB of stack: far more than a test thread's (2 MB) or a main thread's.
        fn deep(levels: usize) -> usize {
            let frame = std::hint::black_box([levels as u8; 600]);
            match levels {
                0 => frame[0] as usize,
                _ => deep(levels - 1) + std::hint::black_box(frame[1]) as usize,
            }
        }
        let expected = (1..=100_000_usize).map(|l| l as u8 as usize).sum::<usize>();
        assert_eq!(on_large_stack(|| deep(100_000)).ok(), Some(expected));
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn gz_files_are_read_decompressed_in_the_inner_format() {
        let content = read(
            Path::new("a/notes.md.gz"),
            gzip(b"# Hi\n\ntext\n"),
            ParseOptions::default(),
        );
        match content {
            Content::Text { format, text, .. } => {
                assert_eq!(format, Format::Markdown);
                assert_eq!(text, "# Hi\n\ntext\n");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_misnamed_or_damaged_file_is_unreadable_with_its_reason() {
        let reason = |path: &str, bytes: &[u8]| match read(
            Path::new(path),
            bytes.to_vec(),
            ParseOptions::default(),
        ) {
            Content::Unreadable(reason) => reason,
            other => panic!("{path}: {other:?}"),
        };
        assert_eq!(
            reason("r.docx", b"plain words"),
            "not a DOCX file (not a zip archive)"
        );
        assert_eq!(
            reason("b.epub", b"plain words"),
            "not an EPUB file (not a zip archive)"
        );
        assert_eq!(
            reason("x.gz", b"plain"),
            "not gzip-compressed (no gzip header)"
        );
        let mut cut = gzip(&[b'a'; 5000]);
        cut.truncate(cut.len() / 2);
        assert!(reason("x.txt.gz", &cut).starts_with("damaged gzip data"));
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_limit() {
        let bomb = gzip(&vec![b'a'; (3 << 20) + 1]);
        assert!(bomb.len() < 1 << 20);
        assert_eq!(
            gunzip(&bomb, 3 << 20).unwrap_err(),
            "decompresses to more than 3 MiB"
        );
        assert_eq!(gunzip(&bomb, 4 << 20).map(|b| b.len()), Ok((3 << 20) + 1));
    }
}
