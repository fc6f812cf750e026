//! The corpus: finding files ([`walk`]), decoding them ([`decode`]), and turning their text into
//! [`Paragraph`]s, the units parafind indexes and returns: plain text is split at blank lines
//! (`plain.rs`), Markdown into blocks, HTML into the visible blocks of its main content (or of
//! the whole page, by [`ParseOptions`]); JSON Lines records (`jsonl.rs`) are documents of their
//! own. PDF (`pdf.rs`), DOCX and ODT (`office.rs`) and EPUB (`epub.rs`) files are documents
//! whose paragraphs are extracted from their bytes, and `.gz` files are read decompressed
//! ([`read`], in `extract.rs`). Over-long paragraphs are cut into bounded chunks.

mod archive;
mod bounded;
mod decode;
mod epub;
mod extract;
mod html;
mod html_regions;
mod html_source;
pub(crate) mod jsonl;
mod legacy;
mod markdown;
mod office;
mod paragraphs;
mod pdf;
mod plain;
mod sections;
mod walk;
mod xml;

use std::path::Path;

pub(crate) use bounded::{hash_reader, read_line_bounded};
pub use decode::{
    decode, decode_declared, legacy_encoding_read_in, line_read_back, read_for_decoding,
    reads_as_windows_1252, Decoded, Encoding, OffsetMap,
};
pub use extract::{read, reading_document, Content};
pub use legacy::{declared_encoding, Legacy, Runs};
pub(crate) use paragraphs::{paragraphs, Paragraphs};
pub use walk::{
    check_outside, check_roots, is_racy, is_under, now_ns, stamp, walk, FoundFile, Walk,
    WalkOptions, INDEX_MARKER,
};
pub(crate) use walk::{file_types, negation};

/// Paragraphs longer than this many bytes are cut into chunks of at most this size.
pub const MAX_PARAGRAPH_BYTES: usize = 16 * 1024;

/// The largest document read from standard input: ingest holds a document whole (its bytes,
/// its text and its paragraphs), so an endless stream must stop somewhere.
pub const MAX_STDIN_BYTES: u64 = 256 << 20;

/// The most bytes a compressed file, or one member of a document's zip archive, may inflate
/// to: a small hostile file must not make ingest hold gigabytes.
pub const MAX_EXTRACTED_BYTES: u64 = 256 << 20;

/// The most paragraphs one document read whole (Markdown, HTML, DOCX, ODT, EPUB) gives: all of
/// them are held until it has been read, some hundreds of bytes each, so a small hostile file
/// of millions of empty paragraphs must not make ingest hold gigabytes. Plain text, read as it
/// is split, has no such limit.
pub const MAX_DOCUMENT_PARAGRAPHS: usize = 500_000;

/// What is said of a document cut at [`MAX_DOCUMENT_PARAGRAPHS`].
pub fn too_many_paragraphs() -> String {
    "it has over 500,000 paragraphs, the most one document gives; those after were left out".into()
}

/// The most tags an HTML text (a file, an EPUB chapter) may have to be read: its tree is built
/// whole, a few hundred bytes per element.
pub const MAX_HTML_TAGS: usize = 1_000_000;

/// Why an HTML text is not read, when it has over [`MAX_HTML_TAGS`] start tags (`<` and a
/// letter: an element of the tree).
pub fn too_many_tags(html: &str) -> Option<String> {
    let bytes = html.as_bytes();
    let tags = memchr::memchr_iter(b'<', bytes)
        .filter(|&at| bytes.get(at + 1).is_some_and(u8::is_ascii_alphabetic))
        .count();
    (tags > MAX_HTML_TAGS).then(|| {
        "it has over 1,000,000 tags, the most an HTML text may have to be read".to_string()
    })
}

/// One unit of a document to index and return as a hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// 1-based number in the document.
    pub number: u64,
    /// 1-based line where it starts in the decoded text.
    pub line: u64,
    /// Byte offset of its start in the decoded text.
    pub start: usize,
    /// What is shown: the exact source for plain text and Markdown, the visible text for HTML.
    pub text: String,
    /// What is indexed when it differs from `text`: the same bytes with markup blanked, so that
    /// offsets into it are offsets into `text`.
    pub index_text: Option<String>,
    /// The heading path of the paragraph (`Setup > Linux`), for Markdown, HTML, DOCX, ODT and
    /// EPUB.
    pub section: Option<String>,
    /// Where it is on the pages of a paged document (PDF).
    pub page: Option<PagePlace>,
}

/// Where a paragraph of a paged document (PDF) is: what a reader with the document open follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PagePlace {
    /// The 1-based page number (the page's position in the file, not its printed label).
    pub page: u64,
    /// The paragraph's 1-based number on its page.
    pub paragraph: u64,
}

/// How a file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Paragraphs are runs of non-blank lines.
    Plain,
    /// Markdown blocks.
    Markdown,
    /// Visible HTML blocks.
    Html,
    /// PDF: text in reading order, page by page.
    Pdf,
    /// Office Open XML word-processing document.
    Docx,
    /// OpenDocument text.
    Odt,
    /// EPUB book.
    Epub,
}

impl Format {
    /// A document whose paragraphs are extracted from its bytes (PDF, DOCX, ODT, EPUB), rather
    /// than text whose lines and offsets a reader can follow in the file.
    pub fn is_extracted(self) -> bool {
        matches!(
            self,
            Format::Pdf | Format::Docx | Format::Odt | Format::Epub
        )
    }
}

/// The format of a file, from its extension (a `.gz` file's from the name under it; see
/// [`is_compressed`]).
pub fn format_of(path: &Path) -> Format {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase());
    let name = name.as_deref().unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(name);
    let extension = name.rsplit_once('.').map(|(_, e)| e);
    match extension {
        Some("md" | "markdown" | "mdown" | "mkd" | "mdx") => Format::Markdown,
        Some("html" | "htm" | "xhtml") => Format::Html,
        Some("pdf") => Format::Pdf,
        Some("docx") => Format::Docx,
        Some("odt") => Format::Odt,
        Some("epub") => Format::Epub,
        _ => Format::Plain,
    }
}

/// gzip data read as `gzip -d` reads it: every member, one after another, and zero bytes after
/// the last one ignored (tape and block padding: `gzip -d` ignores them, and a decoder that
/// took them for another member's header refused the whole file).
pub fn gunzip<R: std::io::BufRead>(input: R) -> Gunzip<R> {
    Gunzip {
        member: Some(flate2::bufread::GzDecoder::new(input)),
    }
}

/// The reader [`gunzip`] gives.
pub struct Gunzip<R: std::io::BufRead> {
    /// The member being read; none after the last.
    member: Option<flate2::bufread::GzDecoder<R>>,
}

impl<R: std::io::BufRead> std::io::Read for Gunzip<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let Some(member) = self.member.as_mut() else {
                return Ok(0);
            };
            let n = member.read(buf)?;
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            // The member ended: another follows, or nothing but padding.
            let Some(ended) = self.member.take() else {
                return Ok(0);
            };
            let mut input = ended.into_inner();
            if only_zeros_follow(&mut input)? {
                return Ok(0);
            }
            self.member = Some(flate2::bufread::GzDecoder::new(input));
        }
    }
}

/// Whether `input` holds nothing more, or only zero bytes (read through); false, with nothing
/// consumed, when another member follows. Zeros followed by anything else are damage.
fn only_zeros_follow(input: &mut impl std::io::BufRead) -> std::io::Result<bool> {
    let mut zeros = 0u64;
    loop {
        let buffered = input.fill_buf()?;
        if buffered.is_empty() {
            return Ok(true);
        }
        let run = buffered.iter().take_while(|&&b| b == 0).count();
        if run < buffered.len() {
            if zeros == 0 && run == 0 {
                return Ok(false);
            }
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "data after the zero bytes that follow the last gzip member",
            ));
        }
        zeros += run as u64;
        input.consume(run);
    }
}

/// Whether a file is read decompressed: its name ends in `.gz`.
pub fn is_compressed(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// A parsed document: its title (HTML `<title>`) and paragraphs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The document's title, if it has one.
    pub title: Option<String>,
    /// Its paragraphs, in order, numbered from 1.
    pub paragraphs: Vec<Paragraph>,
}

/// How documents are read, beyond their format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Read every region of an HTML page: navigation, page headers and footers, sidebars and
    /// related links too, not only its main content.
    pub whole_html: bool,
}

/// Parses decoded text in the given format with the default options, cutting over-long
/// paragraphs into chunks.
pub fn parse(format: Format, text: &str) -> Parsed {
    parse_with(format, text, ParseOptions::default())
}

/// Parses decoded text in the given format, cutting over-long paragraphs into chunks (all of
/// the paragraph stream at once).
pub fn parse_with(format: Format, text: &str, options: ParseOptions) -> Parsed {
    let mut stream = paragraphs(format, text, options);
    Parsed {
        title: stream.title.take(),
        paragraphs: stream.collect(),
    }
}

/// Line numbers of byte offsets, by binary search over the line starts.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// Indexes the line starts of `text` as an HTML tokenizer counts lines: after `\n`, and
    /// after a `\r` alone (a classic Mac OS file's line end, which html5ever reads as one).
    pub fn with_lone_returns(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let ends = memchr::memchr2_iter(b'\n', b'\r', bytes)
            .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'));
        let starts = std::iter::once(0).chain(ends.map(|i| i + 1)).collect();
        LineIndex { starts }
    }

    /// The byte offset where 1-based line `line` starts, if the text has that line.
    pub fn start_of(&self, line: u64) -> Option<usize> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        self.starts.get(index).copied()
    }

    /// The 1-based line of byte offset `offset`.
    pub fn line_of(&self, offset: usize) -> u64 {
        self.starts.partition_point(|&s| s <= offset) as u64
    }
}

/// A 64-bit hash (XXH3) of a file's content, to tell real changes from touched files.
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn gz(text: &str) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(text.as_bytes()).unwrap();
        encoder.finish().unwrap()
    }

    fn read(bytes: &[u8]) -> std::io::Result<String> {
        let mut text = String::new();
        gunzip(bytes).read_to_string(&mut text)?;
        Ok(text)
    }

    #[test]
    fn members_are_read_in_turn_and_zero_padding_is_ignored() {
        let mut two = gz("one\n");
        two.extend(gz("two\n"));
        assert_eq!(read(&two).unwrap(), "one\ntwo\n");
        let mut padded = two.clone();
        padded.extend([0u8; 512]);
        assert_eq!(read(&padded).unwrap(), "one\ntwo\n");
        // Zeros, then something else: damage.
        let mut garbage = padded.clone();
        garbage.push(7);
        assert!(read(&garbage).is_err());
        // Damage inside a member is an error as before.
        let mut cut = gz("a longer text that is compressed\n");
        cut.truncate(cut.len() - 4);
        assert!(read(&cut).is_err());
    }

    #[test]
    fn documents_stop_at_the_paragraph_limit_and_html_at_the_tag_limit() {
        let limit = super::MAX_DOCUMENT_PARAGRAPHS;
        let (_, paragraphs, cut) = super::markdown::parse(&"w\n\n".repeat(limit + 7));
        assert_eq!((paragraphs.len(), cut.is_some()), (limit, true));
        assert_eq!(paragraphs.last().map(|p| p.number), Some(limit as u64));
        let (_, paragraphs, cut) = super::markdown::parse(&"w\n\n".repeat(limit));
        assert_eq!((paragraphs.len(), cut), (limit, None));
        let tags = super::MAX_HTML_TAGS;
        assert!(super::too_many_tags(&"<p>".repeat(tags)).is_none());
        // End tags and stray `<` are no elements.
        assert!(super::too_many_tags(&"</p> a < b".repeat(tags + 1)).is_none());
        let over = "<p>".repeat(tags + 1);
        assert!(super::too_many_tags(&over).is_some_and(|r| r.contains("1,000,000 tags")));
        assert_eq!(super::html::parse(&over, true).1, []);
    }

    #[test]
    fn formats_follow_extensions() {
        assert_eq!(format_of(Path::new("a/README.md")), Format::Markdown);
        assert_eq!(format_of(Path::new("x.HTML")), Format::Html);
        assert_eq!(format_of(Path::new("notes.txt")), Format::Plain);
        assert_eq!(format_of(Path::new("Makefile")), Format::Plain);
        assert_eq!(format_of(Path::new("paper.PDF")), Format::Pdf);
        assert_eq!(format_of(Path::new("r.docx")), Format::Docx);
        assert_eq!(format_of(Path::new("r.odt")), Format::Odt);
        assert_eq!(format_of(Path::new("b.epub")), Format::Epub);
        assert_eq!(format_of(Path::new("notes.md.gz")), Format::Markdown);
        assert_eq!(format_of(Path::new("log.gz")), Format::Plain);
        assert_eq!(format_of(Path::new(".gz")), Format::Plain);
        assert!(is_compressed(Path::new("a/notes.md.GZ")));
        assert!(!is_compressed(Path::new("a/gz")));
    }

    #[test]
    fn line_index_counts_from_one() {
        let returns = LineIndex::with_lone_returns("a\rbc\r\nd\re");
        let starts: Vec<_> = (1..=5).map(|n| returns.start_of(n)).collect();
        assert_eq!(starts, [Some(0), Some(2), Some(6), Some(8), None]);
        let lines = LineIndex::new("a\nbc\n\nd");
        let got: Vec<u64> = [0, 1, 2, 4, 5, 6]
            .iter()
            .map(|&o| lines.line_of(o))
            .collect();
        assert_eq!(got, [1, 1, 2, 2, 3, 4]);
    }

    #[test]
    fn over_long_paragraphs_become_chunks_with_their_own_offsets() {
        let word = "lorem ";
        let long = word.repeat(MAX_PARAGRAPH_BYTES / word.len() * 3);
        let text = format!("intro\n\n{long}\n\nend\n");
        let parsed = parse(Format::Plain, &text);
        assert!(parsed.paragraphs.len() >= 5, "{}", parsed.paragraphs.len());
        for (i, p) in parsed.paragraphs.iter().enumerate() {
            assert_eq!(p.number, i as u64 + 1);
            assert!(p.text.len() <= MAX_PARAGRAPH_BYTES);
            assert_eq!(&text[p.start..p.start + p.text.len()], p.text);
        }
        let joined: String = parsed.paragraphs[1..parsed.paragraphs.len() - 1]
            .iter()
            .map(|p| p.text.as_str())
            .collect();
        assert!(
            joined == long,
            "the chunks do not join back into the paragraph"
        );
    }

    #[test]
    fn a_huge_line_without_spaces_is_cut_on_char_boundaries() {
        let text = "é".repeat(MAX_PARAGRAPH_BYTES);
        let parsed = parse(Format::Plain, &text);
        assert_eq!(parsed.paragraphs.len(), 2);
        assert!(parsed
            .paragraphs
            .iter()
            .all(|p| p.text.chars().all(|c| c == 'é')));
    }
}
