//! `--vimgrep`: one line per hit, `path:line:column:text`, the format editors' quickfix lists
//! read (vim's `grepformat`, Emacs' grep mode, VS Code's problem matchers), as ripgrep prints
//! it. The place is the hit's first highlight (its paragraph's start when nothing is
//! highlighted): its 1-based line in the file and 1-based byte column in that line; the text is
//! that line of the paragraph. A paragraph extracted from a document (PDF, DOCX, ODT, EPUB) is
//! at line 1, column 1 (with its page, for `--open`); a `.gz` file's column counts its
//! decompressed line. [`location`] is that place, for any front-end that jumps to hits;
//! [`Places`] puts a JSON Lines record's hit in its collection, at the record's line.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::Printer;
use super::{one_line, sanitize_inline, Answer, BatchSummary, Head, Outcome, PathDisplay};
use crate::corpus::jsonl::record_lines;
use crate::corpus::{format_of, Format};
use crate::index::key_path;
use crate::search::Hit;

/// Where a hit is in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Location {
    /// 1-based line.
    pub line: u64,
    /// 1-based column in that line, counted each way an editor may count it.
    pub column: Column,
    /// The 1-based page, in a PDF (whose line and column are then 1: a document whose text
    /// was extracted has no lines a text editor can go to).
    pub page: Option<u64>,
    /// Byte range of that line within the hit's paragraph text.
    text: (usize, usize),
}

/// A 1-based column, as editors count it: in UTF-8 bytes (`rg --vimgrep`, Vim, Kakoune), in
/// characters (Sublime Text, Zed, micro), in grapheme clusters (Helix: `é` written with a
/// combining accent, a family emoji, one each), in UTF-16 code units (VS Code), and on screen
/// (Emacs, nano: a tab to the next multiple of 8, a wide CJK character two cells, a combining
/// mark none). In a file that is not valid UTF-8 each invalid sequence counts as the U+FFFD
/// that stands for it in the paragraph's text, so columns after one on its line are
/// approximate (ingest warns); a line read as Windows-1252 counts as its text, in UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// In UTF-8 bytes.
    pub bytes: u64,
    /// In Unicode scalar values.
    pub chars: u64,
    /// In extended grapheme clusters.
    pub graphemes: u64,
    /// In UTF-16 code units.
    pub utf16: u64,
    /// In terminal cells.
    pub screen: u64,
}

impl Default for Column {
    fn default() -> Column {
        Column::after("", 0)
    }
}

impl Column {
    /// The column just after `before`, the line's text before the place, which is `bytes` long
    /// as its file holds it (`before` decoded as ingest read the file).
    fn after(before: &str, bytes: u64) -> Column {
        let screen = before.chars().fold(0, |screen, c| match c {
            '\t' => screen / 8 * 8 + 8,
            c => screen + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) as u64,
        });
        if before.is_ascii() {
            // One character, one UTF-16 unit and one grapheme per byte (the text before a
            // place on its line holds no `\r\n`), with no segmentation to run.
            let count = before.len() as u64 + 1;
            return Column {
                bytes: bytes + 1,
                chars: count,
                graphemes: count,
                utf16: count,
                screen: screen + 1,
            };
        }
        Column {
            bytes: bytes + 1,
            chars: before.chars().count() as u64 + 1,
            graphemes: unicode_segmentation::UnicodeSegmentation::graphemes(before, true).count()
                as u64
                + 1,
            utf16: before.encode_utf16().count() as u64 + 1,
            screen: screen + 1,
        }
    }
}

/// Where an editor opens hits: a hit's file at its [`location`], but a JSON Lines record's
/// collection at the record's line (which the index does not keep: each collection's lines are
/// read when a hit of it is first placed, and again only when the collection's size or time
/// has changed: an interactive search keeps one `Places` while its user edits the files).
#[derive(Debug, Default)]
pub struct Places {
    /// The line of each record, by collection key and id, with the collection's size and time
    /// when its lines were read.
    records: HashMap<String, RecordLines>,
}

/// A collection's size and time when its lines were read, and the line of each record by id.
type RecordLines = ((u64, u64), HashMap<String, u64>);

impl Places {
    /// The key of the file to open for `hit`, and the place in it.
    pub fn of<'h>(&mut self, hit: &'h Hit) -> (&'h str, Location) {
        self.place(&hit.key, hit.collection.as_deref(), location(hit))
    }

    /// [`Places::of`], and the text before the paragraph on the place's line (see
    /// [`located`]).
    fn of_with_lead<'h>(&mut self, hit: &'h Hit) -> (&'h str, Location, String) {
        let (place, lead) = located(hit);
        let (file, place) = self.place(&hit.key, hit.collection.as_deref(), place);
        (file, place, lead)
    }

    /// The key of the file to open for the hit of key `key` (a record of the JSON Lines
    /// `collection`, if given) at `place` (its [`location`]), and the place in it.
    pub fn place<'k>(
        &mut self,
        key: &'k str,
        collection: Option<&'k str>,
        mut place: Location,
    ) -> (&'k str, Location) {
        let Some((collection, id)) = collection.and_then(|c| Some((c, record_id(key, c)?))) else {
            return (key, place);
        };
        let path = key_path(collection);
        let stamp = std::fs::metadata(&path).map_or((0, 0), |m| crate::corpus::stamp(&m));
        let (read, lines) = self
            .records
            .entry(collection.to_string())
            .or_insert_with(|| ((0, 0), HashMap::new()));
        if *read != stamp || stamp == (0, 0) {
            *read = stamp;
            *lines = record_lines(&path).unwrap_or_default();
        }
        place.line = lines.get(id).copied().unwrap_or(1);
        place.column = Column::default();
        (collection, place)
    }
}

/// The id of the record of key `key` in `collection` (`key` is `COLLECTION#ID`).
fn record_id<'k>(key: &'k str, collection: &str) -> Option<&'k str> {
    key.strip_prefix(collection)?.strip_prefix('#')
}

/// How many bytes before a paragraph's start are read at a time to find its line's start.
const LINE_LOOKBACK_STEP: u64 = 16 * 1024;

/// The place of `hit`'s first highlight in its file (see the module docs). The column of a
/// paragraph's first line is read from the file, where the paragraph may not start its line
/// (a nested list item, an HTML element); a file that cannot be read counts from column 1. An
/// HTML paragraph's place is its element's start tag; a JSON Lines record's, its start.
pub fn location(hit: &Hit) -> Location {
    located(hit).0
}

/// [`location`], and what stands on the place's line before the paragraph starts when the
/// place is on the paragraph's first line (a Markdown quote's `> `, a list item's `- `, a
/// footnote's `[^1]: `), read from the file with the column, so that `--vimgrep` prints the
/// whole line as rg does; empty where the paragraph starts its line, for a record, an HTML
/// element or extracted text, and where it is over [`LEAD_SHOWN`] bytes. Nothing is read from
/// a file that changed since the paragraph was read from it (nor for a document from standard
/// input named as a file): the column is counted in the paragraph as if it started its line,
/// as the line is the one the index holds.
fn located(hit: &Hit) -> (Location, String) {
    let path = &crate::index::key_path(&hit.key);
    let start = hit.highlights.first().map_or(0, |h| h.range.start);
    let record = hit.collection.is_some();
    let extracted = hit.line == 0;
    if record || extracted || format_of(path) == Format::Html {
        let end = hit.text.find('\n').unwrap_or(hit.text.len());
        let column = if record || extracted || !hit.file_as_indexed {
            Column::default()
        } else {
            let (before, bytes) = line_before(path, hit.byte_offset);
            Column::after(&before, bytes)
        };
        let place = Location {
            line: hit.line.max(1),
            column,
            page: hit.page.map(|p| p.page),
            text: (0, end),
        };
        return (place, String::new());
    }
    let before = &hit.text[..start];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_end = hit.text[start..]
        .find('\n')
        .map_or(hit.text.len(), |i| start + i);
    let newlines = before.matches('\n').count() as u64;
    let (column, lead) = match newlines {
        0 if !hit.file_as_indexed => (Column::after(before, start as u64), String::new()),
        0 => {
            // The line's start and the paragraph's text before the place, in one string that
            // gives the lead back after (a long line's start is not copied).
            let (mut line, bytes) = line_before(path, hit.byte_offset);
            let lead = line.len();
            line.push_str(before);
            let column = Column::after(&line, bytes + before.len() as u64);
            line.truncate(lead);
            (column, line)
        }
        _ => (
            Column::after(&before[line_start..], (start - line_start) as u64),
            String::new(),
        ),
    };
    let place = Location {
        line: hit.line + newlines,
        column,
        page: None,
        text: (line_start, line_end),
    };
    match lead.len() <= LEAD_SHOWN {
        true => (place, lead),
        false => (place, String::new()),
    }
}

/// The most of a line before its paragraph's start that `--vimgrep` prints with the paragraph's
/// line: markup such as `> ` or `[^1]: ` is short, while a long line's later chunk starts
/// kilobytes into its line (and prints as its own part).
const LEAD_SHOWN: usize = 1024;

/// The text of the file at `path` from the start of the line holding byte `offset` up to it
/// (read as ingest read the file: see [`crate::corpus::line_read_back`]), and its length in
/// bytes as an editor counts them; empty when the file cannot be read. The bytes before `offset` are read
/// back, a step at a time, to the line's start, however long the line (a chunk of a long
/// one-line paragraph, minified HTML). As an editor counts it: the text after a byte-order mark,
/// and a UTF-16 file's line decoded (its bytes counted as UTF-8, as `rg --vimgrep` counts them).
fn line_before(path: &Path, offset: u64) -> (String, u64) {
    let read_back = || -> io::Result<(String, u64)> {
        let mut file = File::open(path)?;
        let mut head = Vec::with_capacity(3);
        (&mut file).take(3).read_to_end(&mut head)?;
        let (text_start, utf16) = match head.as_slice() {
            [0x1F, 0x8B, ..] => return line_before_decompressed(path, offset),
            [0xEF, 0xBB, 0xBF, ..] => (3, None),
            [0xFF, 0xFE, ..] => (2, Some(false)),
            [0xFE, 0xFF, ..] => (2, Some(true)),
            _ => (0, None),
        };
        let offset = offset.max(text_start);
        let line_start = line_start(&mut file, offset, text_start, utf16)?;
        let mut bytes = Vec::new();
        file.seek(SeekFrom::Start(line_start))?;
        (&mut file)
            .take(offset - line_start)
            .read_to_end(&mut bytes)?;
        let Some(big_endian) = utf16 else {
            // Read as ingest read the file: looked up when the line is not UTF-8, or holds the
            // escapes of 7-bit ISO-2022-JP (a line of UTF-8 is one of a UTF-8 file but by
            // chance, and the file is not read again for it).
            let maybe_legacy =
                std::str::from_utf8(&bytes).is_err() || memchr::memchr(0x1B, &bytes).is_some();
            let legacy = match text_start == 0 && maybe_legacy {
                true => file_legacy_encoding(path),
                false => None,
            };
            return Ok(crate::corpus::line_read_back(&bytes, legacy));
        };
        let units = bytes.chunks_exact(2).map(|pair| match big_endian {
            true => u16::from_be_bytes([pair[0], pair[1]]),
            false => u16::from_le_bytes([pair[0], pair[1]]),
        });
        let text: String = char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        let bytes = text.len() as u64;
        Ok((text, bytes))
    };
    read_back().unwrap_or_default()
}

/// The legacy encoding ingest read the file at `path` in (Windows-1252, Shift_JIS …), or `None`
/// for UTF-8: read whole to tell, once per file and version while the process runs (the hits
/// of one file may be many).
fn file_legacy_encoding(path: &Path) -> Option<&'static encoding_rs::Encoding> {
    use std::cell::RefCell;
    type Told = HashMap<std::path::PathBuf, ((u64, u64), Option<&'static encoding_rs::Encoding>)>;
    thread_local!(static TOLD: RefCell<Told> = RefCell::new(HashMap::new()));
    let stamp = std::fs::metadata(path).map_or((0, 0), |m| crate::corpus::stamp(&m));
    if let Some(told) = TOLD.with(|told| told.borrow().get(path).copied()) {
        if told.0 == stamp {
            return told.1;
        }
    }
    let legacy = crate::corpus::read_for_decoding(path)
        .ok()
        .and_then(|bytes| {
            let declared = crate::corpus::declared_encoding(crate::corpus::format_of(path), &bytes);
            crate::corpus::legacy_encoding_read_in(&bytes, declared)
        });
    TOLD.with(|told| {
        let mut told = told.borrow_mut();
        if told.len() >= 64 {
            told.clear();
        }
        told.insert(path.to_path_buf(), (stamp, legacy));
    });
    legacy
}

/// Where the line holding byte `offset` of `file` starts: after the last line feed before it
/// (a UTF-16 one, two bytes on a unit's boundary, when `utf16` gives the byte order), or at
/// `text_start`.
fn line_start(
    file: &mut File,
    offset: u64,
    text_start: u64,
    utf16: Option<bool>,
) -> io::Result<u64> {
    let unit = if utf16.is_some() { 2 } else { 1 };
    let newline: &[u8] = match utf16 {
        None => b"\n",
        Some(false) => b"\n\0",
        Some(true) => b"\0\n",
    };
    let mut end = offset - (offset - text_start) % unit;
    let mut bytes = Vec::new();
    while end > text_start {
        let from = end.saturating_sub(LINE_LOOKBACK_STEP).max(text_start);
        file.seek(SeekFrom::Start(from))?;
        bytes.clear();
        (&mut *file).take(end - from).read_to_end(&mut bytes)?;
        if bytes.len() as u64 != end - from {
            break; // the file is shorter than it was: count from its start
        }
        let found = (0..bytes.len() / unit as usize)
            .rev()
            .map(|i| i * unit as usize)
            .find(|&at| bytes[at..].starts_with(newline));
        if let Some(at) = found {
            return Ok(from + at as u64 + unit);
        }
        end = from;
    }
    Ok(text_start)
}

/// [`line_before`] in a gzip-compressed file, whose offsets count its decompressed text:
/// decompressed from its start up to `offset`, keeping the text after the last line break
/// (UTF-8; a UTF-16 text inside gzip is counted as its bytes).
fn line_before_decompressed(path: &Path, offset: u64) -> io::Result<(String, u64)> {
    let file = io::BufReader::new(File::open(path)?);
    let mut text = crate::corpus::gunzip(file).take(offset);
    let mut line = Vec::new();
    let mut first_line = true;
    let mut buffer = vec![0u8; 64 << 10];
    loop {
        let n = text.read(&mut buffer)?;
        let Some(read) = buffer.get(..n).filter(|read| !read.is_empty()) else {
            break;
        };
        match read.iter().rposition(|&b| b == b'\n') {
            Some(at) => {
                line.clear();
                line.extend_from_slice(&read[at + 1..]);
                first_line = false;
            }
            None => line.extend_from_slice(read),
        }
    }
    // An editor counts the first line's columns after a byte-order mark.
    if first_line && line.starts_with(b"\xEF\xBB\xBF") {
        line.drain(..3);
    }
    // Told from the line alone: the decompressed text before it is not kept.
    let legacy = std::str::from_utf8(&line).is_err() && crate::corpus::reads_as_windows_1252(&line);
    let legacy = legacy.then_some(encoding_rs::WINDOWS_1252);
    Ok(crate::corpus::line_read_back(&line, legacy))
}

/// The `--vimgrep` printer.
pub struct Vimgrep<W: Write> {
    out: W,
    paths: PathDisplay,
    places: Places,
    /// Whether paths, places and matches are coloured (as `rg --vimgrep --color always`).
    colored: bool,
}

impl<W: Write> Vimgrep<W> {
    /// A printer writing to `out`, showing paths by `paths`, without colour.
    pub fn new(out: W, paths: PathDisplay) -> Vimgrep<W> {
        Vimgrep {
            out,
            paths,
            places: Places::default(),
            colored: false,
        }
    }

    /// The same, its paths, places and matches coloured as text output colours them.
    pub fn colored(self) -> Vimgrep<W> {
        Vimgrep {
            colored: true,
            ..self
        }
    }

    /// `style` when colour is on, else no style at all.
    fn styled(&self, style: anstyle::Style) -> anstyle::Style {
        super::styles::when(self.colored, style)
    }

    /// The line `from..to` of `hit`'s text, terminal-safe on one line, its matches in the
    /// match colour when colour is on.
    fn line_text(&self, hit: &Hit, from: usize, to: usize) -> String {
        let clean = |text: &str| one_line(&sanitize_inline(text));
        if !self.colored {
            return clean(&hit.text[from..to]);
        }
        let matched = self.styled(super::styles::MATCH);
        let mut out = String::new();
        let mut at = from;
        for highlight in &hit.highlights {
            let start = highlight.range.start.clamp(at, to);
            let end = highlight.range.end.clamp(start, to);
            if start == end {
                continue;
            }
            out.push_str(&clean(&hit.text[at..start]));
            out.push_str(&format!(
                "{matched}{}{matched:#}",
                clean(&hit.text[start..end])
            ));
            at = end;
        }
        out.push_str(&clean(&hit.text[at..to]));
        out
    }
}

impl<W: Write> Printer for Vimgrep<W> {
    fn begin(&mut self, _head: &Head<'_>) -> io::Result<()> {
        Ok(())
    }

    fn hit(&mut self, _head: &Head<'_>, hit: &Hit) -> io::Result<()> {
        let (file, place, lead) = self.places.of_with_lead(hit);
        let (from, to) = place.text;
        // A CRLF file's line ends in `\r`: the line's end, not a character to show; nor is
        // the white space before it.
        let to = from + hit.text[from..to].trim_end().len();
        // The lead's line breaks (a file whose lines end in CR alone is one line) are spaces.
        let text = one_line(&lead) + &self.line_text(hit, from, to);
        let (path_style, place_style) = (
            self.styled(super::styles::PATH),
            self.styled(super::styles::LOCATION),
        );
        write!(self.out, "{path_style}")?;
        self.out.write_all(&self.paths.name(file))?;
        writeln!(
            self.out,
            "{path_style:#}:{place_style}{}{place_style:#}:{place_style}{}{place_style:#}:{text}",
            place.line, place.column.bytes,
        )
    }

    fn answer(&mut self, answer: &Answer<'_>) -> io::Result<()> {
        // A count (`-c`) and a file list (`-l`) have no quickfix form: they print as in text
        // output (as `rg --vimgrep -c` does), a batch's counts beside their queries. Warnings
        // and errors go to stderr, as for every format.
        match answer.outcome {
            Outcome::Count { total, .. } if answer.id.is_some() => writeln!(
                self.out,
                "{total}\t{}",
                one_line(&sanitize_inline(answer.query))
            )?,
            Outcome::Count { total, .. } => writeln!(self.out, "{total}")?,
            Outcome::Files { files, .. } => {
                // A batch's lists are told apart as text output does: a heading, a blank line.
                let in_batch = answer.id.is_some();
                if in_batch {
                    writeln!(self.out, "=== {}", one_line(&sanitize_inline(answer.query)))?;
                }
                for file in files {
                    self.out.write_all(&self.paths.name(&file.path))?;
                    writeln!(self.out)?;
                }
                if in_batch {
                    writeln!(self.out)?;
                }
            }
            Outcome::Hits { .. } | Outcome::Error(_) => {}
        }
        self.out.flush()
    }

    fn finish(&mut self, _batch: Option<&BatchSummary>) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::highlight::Highlight;

    /// The head of a query's answer, with no warnings.
    fn head(query: &str) -> Head<'_> {
        Head {
            id: None,
            query,
            warnings: &[],
        }
    }

    /// What the printer (`colored` or not) writes of a hit on `treaty` in paragraph `text` at
    /// line 2 of a file that is not there.
    fn printed(colored: bool, text: &str) -> String {
        let mut out = Vec::new();
        let printer = Vimgrep::new(&mut out, PathDisplay::default());
        let mut printer = if colored { printer.colored() } else { printer };
        let hit = hit("/nonexistent/a.txt", text, 2, 0, "treaty");
        printer.hit(&head("treaty"), &hit).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn hit(path: &str, text: &str, line: u64, byte_offset: u64, word: &str) -> Hit {
        let start = text.find(word).unwrap_or(0);
        Hit {
            rank: 1,
            score: 1.0,
            key: path.into(),
            paragraph: 1,
            line,
            byte_offset,
            char_offset: byte_offset,
            page: None,
            text: text.into(),
            section: None,
            title: None,
            collection: None,
            highlights: vec![Highlight {
                range: start..start + word.len(),
                term: word.into(),
            }],
            title_highlights: Vec::new(),
            before: Vec::new(),
            after: Vec::new(),
            explanation: None,
            file_as_indexed: true,
            stale: None,
        }
    }

    #[test]
    fn a_line_with_a_damaged_byte_counts_as_its_file_was_read() {
        let dir = assert_fs::TempDir::new().unwrap();
        // The place of `<p>needle` in an HTML file of `bytes`, on `line`, and its offset.
        let place_in = |name: &str, bytes: &[u8], line: u64| {
            let file = dir.join(name);
            std::fs::write(&file, bytes).unwrap();
            let at = (bytes.windows(9).position(|w| w == b"<p>needle")).unwrap_or(0);
            let path = file.to_str().unwrap_or_default();
            (
                location(&hit(path, "needle", line, at as u64, "needle")),
                at as u64,
            )
        };
        // UTF-8 (`é`) with a cut sequence on the second line: its bytes are the file's.
        let bytes = b"caf\xc3\xa9\n<p>\xe2\x82 x</p><p>needle</p>\n";
        let (place, at) = place_in("damaged.html", bytes, 2);
        assert_eq!((place.line, place.column.bytes), (2, at - 6 + 1));
        // Latin-1 (read as Windows-1252): the line's text in UTF-8, `é` two bytes.
        let (place, at) = place_in("latin1.html", b"<p>caf\xe9</p><p>needle</p>\n", 1);
        assert_eq!(place.column.bytes, at + 2);
    }

    #[test]
    fn the_place_is_the_first_highlights_line_and_byte_column() {
        let dir = assert_fs::TempDir::new().unwrap();
        let file = dir.join("notes.md");
        let source = "# Title\n\n  - nested item with\n    a second treaty line\n";
        std::fs::write(&file, source).unwrap();
        let paragraph = &source[source.find("- nested").unwrap()..source.len() - 1];
        let offset = source.find("- nested").unwrap() as u64;
        let path = file.to_str().unwrap();
        let first = location(&hit(path, paragraph, 3, offset, "nested"));
        assert_eq!((first.line, first.column.bytes), (3, 5));
        let second = location(&hit(path, paragraph, 3, offset, "treaty"));
        assert_eq!((second.line, second.column.bytes), (4, 14));
        let (from, to) = second.text;
        assert_eq!(&paragraph[from..to], "    a second treaty line");
        // A file that cannot be read counts the paragraph from column 1.
        let gone = location(&hit("/nonexistent/x.txt", "ab treaty", 7, 100, "treaty"));
        assert_eq!((gone.line, gone.column.bytes), (7, 4));
    }

    #[test]
    fn the_column_of_a_paragraph_far_into_a_long_line_is_counted_from_the_lines_start() {
        let dir = assert_fs::TempDir::new().unwrap();
        let file = dir.join("long.txt");
        // A chunk of a one-line paragraph starting 40,000 bytes into its line (more than two
        // read-back steps), on the file's second line; and one on the first line.
        let filler = "filler ".repeat(40_000 / 7);
        let source = format!("top\n{filler}zebra end\n");
        std::fs::write(&file, &source).unwrap();
        let path = file.to_str().unwrap();
        let offset = source.find("zebra").unwrap() as u64;
        let place = location(&hit(path, "zebra end", 2, offset, "zebra"));
        assert_eq!((place.line, place.column.bytes), (2, offset - 4 + 1));
        let first_line = dir.join("first.txt");
        std::fs::write(&first_line, &source[4..]).unwrap();
        let path = first_line.to_str().unwrap();
        let place = location(&hit(path, "zebra end", 1, offset - 4, "zebra"));
        assert_eq!((place.line, place.column.bytes), (1, offset - 4 + 1));
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_read_for_the_line() {
        let dir = assert_fs::TempDir::new().unwrap();
        let file = dir.join("a.txt");
        // Indexed as `- second has target word` on line 3, at byte 17; a longer first line
        // was inserted since.
        let indexed = "first line here\n\n- second has target word\n";
        let offset = indexed.find("second").unwrap() as u64;
        std::fs::write(
            &file,
            format!("a new, longer first line at the top\n{indexed}"),
        )
        .unwrap();
        let path = file.to_str().unwrap();
        let mut changed = hit(path, "second has target word", 3, offset, "target");
        changed.file_as_indexed = false;
        let (place, lead) = located(&changed);
        assert_eq!((place.line, place.column.bytes, lead.as_str()), (3, 12, ""));
        let mut out = Vec::new();
        let mut printer = Vimgrep::new(&mut out, PathDisplay::default());
        printer.hit(&head("target"), &changed).unwrap();
        let printed = String::from_utf8(out).unwrap();
        assert_eq!(printed, format!("{path}:3:12:second has target word\n"));
        // As indexed, the line's start is read from the file (here, what is there now).
        let (_, lead) = located(&hit(path, "second has target word", 3, offset, "target"));
        assert!(!lead.is_empty());
    }

    #[test]
    fn columns_count_after_a_byte_order_mark_and_in_utf8_for_utf16_files() {
        let dir = assert_fs::TempDir::new().unwrap();
        let text = "\u{FEFF}xx golf\r\nnext é india\n";
        let at = |encoded: &[u8], units: usize| {
            let file = dir.join(format!("f{}", encoded.len()));
            std::fs::write(&file, encoded).unwrap();
            line_before(&file, units as u64).1 + 1
        };
        // UTF-8 with its mark: `golf` is at column 4 of line 1, `india` at 9 of line 2.
        let golf = text.find("golf").unwrap();
        let india = text.find("india").unwrap();
        assert_eq!(at(text.as_bytes(), golf), 4);
        assert_eq!(at(text.as_bytes(), india), 9);
        // UTF-16, both byte orders: the same columns, counted in UTF-8 bytes.
        let units = |s: &str| s.encode_utf16().count() * 2;
        for big_endian in [false, true] {
            let encoded: Vec<u8> = text
                .encode_utf16()
                .flat_map(|u| match big_endian {
                    true => u.to_be_bytes(),
                    false => u.to_le_bytes(),
                })
                .collect();
            assert_eq!(at(&encoded, units(&text[..golf])), 4, "{big_endian}");
            assert_eq!(at(&encoded, units(&text[..india])), 9, "{big_endian}");
        }
    }

    #[test]
    fn colour_marks_the_path_place_and_matches_and_never_a_documents_escapes() {
        let written = printed(true, "the treaty\u{1b}[31m red  \r\nnext line");
        let (path, place, matched) = (
            super::super::styles::PATH,
            super::super::styles::LOCATION,
            super::super::styles::MATCH,
        );
        let expected = format!(
            "{path}/nonexistent/a.txt{path:#}:{place}2{place:#}:{place}5{place:#}:the \
             {matched}treaty{matched:#}\\u{{1b}}[31m red\n"
        );
        assert_eq!(written, expected);
    }

    #[test]
    fn one_line_per_hit_with_control_characters_neutralised() {
        let written = printed(false, "the treaty\u{1b}[31m red\nnext line");
        assert_eq!(written.lines().count(), 1, "{written}");
        assert!(
            written.starts_with("/nonexistent/a.txt:2:5:the treaty"),
            "{written}"
        );
        assert!(!written.contains('\u{1b}'), "{written}");
    }

    #[test]
    fn an_ascii_line_counts_every_unit_as_the_general_count_does() {
        for before in ["", "plain words ", "\tx\ty", "a\u{7}b\rc"] {
            let general = {
                let with_mark = format!("{before}é");
                let mut column = Column::after(&with_mark, with_mark.len() as u64);
                // The same text less the mark's one character, two bytes, one cell.
                column.bytes -= 2;
                column.chars -= 1;
                column.graphemes -= 1;
                column.utf16 -= 1;
                column.screen -= 1;
                column
            };
            assert_eq!(
                Column::after(before, before.len() as u64),
                general,
                "{before:?}"
            );
        }
    }

    #[test]
    fn a_crlf_lines_carriage_return_is_its_end_not_text() {
        let mut out = Vec::new();
        let mut printer = Vimgrep::new(&mut out, PathDisplay::default());
        let head = head("alpha");
        let text = "First alpha\r\nnext\r";
        printer
            .hit(&head, &hit("/nonexistent/a.txt", text, 1, 0, "alpha"))
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "/nonexistent/a.txt:1:7:First alpha\n"
        );
    }

    #[test]
    fn a_records_place_follows_its_collection_when_the_collection_changes() {
        let dir = assert_fs::TempDir::new().unwrap();
        let path = dir.path().join("c.jsonl");
        let record = |id: &str| format!("{{\"id\": \"{id}\", \"text\": \"words\"}}\n");
        std::fs::write(&path, format!("{}{}", record("a"), record("b"))).unwrap();
        let collection = path.to_string_lossy().into_owned();
        let key = format!("{collection}#b");
        let mut places = Places::default();
        let line = |places: &mut Places| {
            let (opened, place) = places.place(&key, Some(&collection), Location::default());
            assert_eq!(opened, collection);
            place.line
        };
        assert_eq!(line(&mut places), 2);
        // Edited while the same `Places` is kept (an interactive search): read again.
        std::fs::write(
            &path,
            format!("{}{}{}", record("x"), record("a"), record("b")),
        )
        .unwrap();
        assert_eq!(line(&mut places), 3);
    }

    #[test]
    fn counts_and_file_lists_print_as_in_text_output() {
        let mut out = Vec::new();
        let mut printer = Vimgrep::new(&mut out, PathDisplay::default());
        let answer = |id, outcome| Answer {
            id,
            line: None,
            query: "treaty",
            elapsed_ms: 1.0,
            outcome,
            suggestion: None,
        };
        let count = Outcome::Count {
            total: 7,
            warnings: &[],
        };
        printer.answer(&answer(None, count)).unwrap();
        let id = serde_json::Value::from(1);
        printer.answer(&answer(Some(&id), count)).unwrap();
        let files = [crate::search::FileMatch {
            path: "/a/b\nc.txt".into(),
            matches: 2,
            best_score: 1.0,
            paragraph: tantivy::DocAddress::new(0, 0),
        }];
        let listed = Outcome::Files {
            files: &files,
            total: 2,
            warnings: &[],
            about_query: 0,
        };
        printer.answer(&answer(None, listed)).unwrap();
        printer.answer(&answer(Some(&id), listed)).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "7\n7\ttreaty\n/a/b\\u{a}c.txt\n=== treaty\n/a/b\\u{a}c.txt\n\n"
        );
    }
}
