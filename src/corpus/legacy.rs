//! Text in a legacy encoding (Shift_JIS, GBK, EUC-KR, Big5, windows-1251, KOI8-R …): which one
//! a file that is not UTF-8 is read in, the one it declares (an HTML `<meta charset>`, an XML
//! declaration) or else the one its bytes suggest (chardetng, the detector Firefox uses), and
//! the text decoded by `encoding_rs` with a map from every character back to its bytes in the
//! file ([`Runs`]), so that offsets stay exact. (Where one step of the decoder gives several
//! characters, the first takes all the bytes read: Big5's pairs of characters, and a few
//! malformed sequences of GB18030 and ISO-2022-JP, where the characters after the damage
//! may be placed a byte or two early.)

use encoding_rs::{DecoderResult, Encoding};

/// How many leading bytes of an HTML file are searched for `<meta charset>` (the HTML
/// standard's prescan reads 1,024; pages with long heads put it later, and browsers follow it
/// there too).
const HTML_PRESCAN_BYTES: usize = 4096;

/// How many bytes of a file the detector reads to guess its encoding (a megabyte tells as well
/// as fifty, at a fiftieth of the time).
const GUESS_BYTES: usize = 1 << 20;

/// The multi-byte encodings a damaged file is tried in again (see [`guess`]).
const MULTI_BYTE: [&Encoding; 5] = [
    encoding_rs::SHIFT_JIS,
    encoding_rs::EUC_JP,
    encoding_rs::GBK,
    encoding_rs::BIG5,
    encoding_rs::EUC_KR,
];

/// How a file that is not UTF-8 is read: in `encoding`, which it declared or which was
/// `guessed` from its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Legacy {
    /// The encoding.
    pub encoding: &'static Encoding,
    /// True when guessed from the bytes, false when the file declared it.
    pub guessed: bool,
}

/// The legacy encoding `bytes` (a file's, with no byte-order mark, not all UTF-8 unless
/// [`read_before_utf8`] says so) are read in: the `declared` one when it can be read as bytes
/// (not UTF-8, UTF-16 or the replacement encoding); ISO-2022-JP for 7-bit text in its escape
/// sequences; else, when its invalid UTF-8 sequences outnumber its valid multi-byte characters
/// (a legacy file, not UTF-8 with a few damaged bytes: see
/// [`reads_as_windows_1252`](super::reads_as_windows_1252)), the one its bytes suggest
/// ([`guess`]). `None`: read as UTF-8, each invalid sequence replaced.
pub fn legacy_encoding(bytes: &[u8], declared: Option<&'static Encoding>) -> Option<Legacy> {
    if let Some(encoding) = declared.filter(|&e| readable_as_bytes(e)) {
        return Some(Legacy {
            encoding,
            guessed: false,
        });
    }
    let encoding = match looks_like_iso_2022_jp(bytes) {
        true => encoding_rs::ISO_2022_JP,
        false if super::reads_as_windows_1252(bytes) => guess(bytes),
        false => return None,
    };
    Some(Legacy {
        encoding,
        guessed: true,
    })
}

/// Whether `bytes`, which may be valid UTF-8, are read in a legacy encoding all the same:
/// ISO-2022-JP, whose bytes are all 7-bit, declared or in its escape sequences. Any other
/// encoding declared for a file that is valid UTF-8 is taken for a stale declaration (a page
/// saved as UTF-8 under an old `<meta charset>`), and the file is read as UTF-8.
pub fn read_before_utf8(bytes: &[u8], declared: Option<&'static Encoding>) -> bool {
    declared == Some(encoding_rs::ISO_2022_JP) || looks_like_iso_2022_jp(bytes)
}

/// Whether `bytes` are ISO-2022-JP text (Japanese mail's encoding): 7-bit, with the escape
/// sequences that switch to JIS X 0208 (`ESC $ B`, `ESC $ @`).
fn looks_like_iso_2022_jp(bytes: &[u8]) -> bool {
    memchr::memchr(0x1B, bytes).is_some()
        && (memchr::memmem::find(bytes, b"\x1B$B").is_some()
            || memchr::memmem::find(bytes, b"\x1B$@").is_some())
        && bytes.is_ascii()
}

/// The encoding the bytes of a legacy file suggest, by chardetng read over [`GUESS_BYTES`] from
/// the line of its first byte that is not ASCII. chardetng rules an encoding out at its first
/// invalid sequence, so a Shift_JIS file with one damaged line, or cut inside its last
/// character, would be read as windows-1250, and an EUC-JP one as GBK (which reads the damage
/// as a character): each multi-byte encoding that reads all but a few lines is tried again on
/// those lines, and taken when the detector then guesses it.
fn guess(bytes: &[u8]) -> &'static Encoding {
    let from = bytes.iter().position(|b| !b.is_ascii()).map_or(0, |at| {
        memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |line| line + 1)
    });
    let rest = &bytes[from..];
    let sample = match rest.len() > GUESS_BYTES {
        true => {
            let cut = &rest[..GUESS_BYTES];
            &cut[..memchr::memrchr(b'\n', cut).map_or(GUESS_BYTES, |at| at + 1)]
        }
        false => rest,
    };
    let first = detect(sample);
    MULTI_BYTE
        .into_iter()
        .filter(|&candidate| candidate != first)
        .find(|&candidate| {
            lines_read_in(sample, candidate).is_some_and(|lines| detect(&lines) == candidate)
        })
        .unwrap_or(first)
}

/// chardetng's guess for `bytes`, not told they end the file: a character cut at their end (a
/// truncated file, or the sample's end) is no error.
fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, false);
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

/// The lines of `bytes` that `encoding` reads without error, when some do not but no more than
/// one in ten of those that are not ASCII (which every such encoding reads alike), and those
/// read hold more than one not ASCII. (A line is decoded only to tell whether it can be, and
/// one of ASCII not at all.)
fn lines_read_in(bytes: &[u8], encoding: &'static Encoding) -> Option<Vec<u8>> {
    let mut read = Vec::with_capacity(bytes.len());
    let (mut legacy, mut damaged) = (0usize, 0usize);
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        if line.is_ascii() {
            read.extend_from_slice(line);
            continue;
        }
        legacy += 1;
        match encoding
            .decode_without_bom_handling_and_without_replacement(line)
            .is_some()
        {
            true => read.extend_from_slice(line),
            false => damaged += 1,
        }
    }
    let enough = damaged > 0 && damaged * 10 <= legacy.max(10) && legacy - damaged > 1;
    enough.then_some(read)
}

/// Whether text in `encoding` is read here byte by byte (UTF-8 and UTF-16 have readers of their
/// own; the replacement encoding would make a whole file one U+FFFD).
fn readable_as_bytes(encoding: &'static Encoding) -> bool {
    encoding != encoding_rs::UTF_8
        && encoding != encoding_rs::UTF_16LE
        && encoding != encoding_rs::UTF_16BE
        && encoding != encoding_rs::REPLACEMENT
}

/// The encoding a file in `format` declares in its first `bytes` (an HTML page's: see
/// [`html_declared_encoding`]; other text formats declare none).
pub fn declared_encoding(format: super::Format, bytes: &[u8]) -> Option<&'static Encoding> {
    match format {
        super::Format::Html => html_declared_encoding(bytes),
        _ => None,
    }
}

/// The encoding an HTML file declares in its first bytes: in an XML declaration (XHTML), or
/// a `<meta charset="…">` or `<meta http-equiv="Content-Type" content="…; charset=…">`, by the
/// labels browsers know (as they do, `x-user-defined` read as windows-1252 and UTF-16 as
/// UTF-8).
pub fn html_declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(HTML_PRESCAN_BYTES)];
    let declared = xml_declared_encoding(head).or_else(|| meta_charset(head))?;
    Some(match declared {
        e if e == encoding_rs::X_USER_DEFINED => encoding_rs::WINDOWS_1252,
        e if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => encoding_rs::UTF_8,
        e => e,
    })
}

/// The charset of the first `<meta>` tag in `head` that names one, found as a browser's prescan
/// finds it (the HTML standard's "prescan a byte stream"): comments (`<!-- … -->`, also
/// `<!-->`), other tags with their attributes (a quoted `<meta` inside one is no tag), and
/// `<!…>`, `</…>` and `<?…>` are stepped over.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let at_tag_name_end = |at: usize| {
        lower
            .get(at)
            .is_none_or(|&b| b.is_ascii_whitespace() || b == b'/')
    };
    let mut at = 0;
    while at < lower.len() {
        let rest = &lower[at..];
        if rest.starts_with(b"<!--") {
            // To the `>` of the first `-->` after the `<` (its dashes may be the comment's own).
            at += 2 + memchr::memmem::find(&rest[2..], b"-->")? + 3;
            continue;
        }
        if rest.starts_with(b"<meta") && at_tag_name_end(at + b"<meta".len()) {
            let (attributes, end) = attributes(&lower, at + b"<meta".len());
            if let Some(encoding) = charset_in(&attributes) {
                return Some(encoding);
            }
            at = end;
            continue;
        }
        let tag = match rest {
            [b'<', letter, ..] if letter.is_ascii_alphabetic() => Some(1),
            [b'<', b'/', letter, ..] if letter.is_ascii_alphabetic() => Some(2),
            _ => None,
        };
        if let Some(name_start) = tag {
            let name_end = (at + name_start..lower.len())
                .find(|&i| lower[i].is_ascii_whitespace() || lower[i] == b'>')
                .unwrap_or(lower.len());
            at = attributes(&lower, name_end).1;
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"</") || rest.starts_with(b"<?") {
            at += memchr::memchr(b'>', rest)? + 1;
            continue;
        }
        at += 1;
    }
    None
}

/// The encoding a `<meta>` tag's attributes (lower-cased) name, as a browser's prescan reads
/// them: its `charset`, or the `charset=` in the `content` of an `http-equiv="content-type"`
/// tag.
fn charset_in(attributes: &[Attribute<'_>]) -> Option<&'static Encoding> {
    let value = |name: &[u8]| {
        attributes
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.trim_ascii())
    };
    if let Some(charset) = value(b"charset") {
        return Encoding::for_label(charset);
    }
    if value(b"http-equiv") != Some(b"content-type".as_slice()) {
        return None;
    }
    let content = value(b"content")?;
    let at = memchr::memmem::find(content, b"charset")?;
    let label = content[at + b"charset".len()..].trim_ascii_start();
    let label = label.strip_prefix(b"=")?.trim_ascii_start();
    let label = match label.first() {
        Some(&quote) if quote == b'"' || quote == b'\'' => {
            let label = &label[1..];
            &label[..memchr::memchr(quote, label).unwrap_or(label.len())]
        }
        _ => {
            let end = label
                .iter()
                .position(|&b| b.is_ascii_whitespace() || b == b';')
                .unwrap_or(label.len());
            &label[..end]
        }
    };
    Encoding::for_label(label)
}

/// An attribute of a tag: its name and value (lower-cased).
type Attribute<'a> = (&'a [u8], &'a [u8]);

/// The attributes of the tag whose name ends at `at` in `html`, as (name, value) pairs
/// (values quoted or not, or empty), and where the tag ends (after its `>`, or at the end).
fn attributes(html: &[u8], mut at: usize) -> (Vec<Attribute<'_>>, usize) {
    let skip_spaces = |mut at: usize| {
        while html
            .get(at)
            .is_some_and(|&b| b.is_ascii_whitespace() || b == b'/')
        {
            at += 1;
        }
        at
    };
    let mut found = Vec::new();
    loop {
        at = skip_spaces(at);
        match html.get(at) {
            None => return (found, at),
            Some(b'>') => return (found, at + 1),
            Some(_) => {}
        }
        let name_end = (at + 1..html.len())
            .find(|&i| html[i].is_ascii_whitespace() || matches!(html[i], b'=' | b'/' | b'>'))
            .unwrap_or(html.len());
        let name = &html[at..name_end];
        at = name_end;
        while html.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        let mut value: &[u8] = b"";
        if html.get(at) == Some(&b'=') {
            at += 1;
            while html.get(at).is_some_and(u8::is_ascii_whitespace) {
                at += 1;
            }
            match html.get(at) {
                Some(&quote) if quote == b'"' || quote == b'\'' => {
                    let rest = &html[at + 1..];
                    let end = memchr::memchr(quote, rest).unwrap_or(rest.len());
                    value = &rest[..end];
                    at += 1 + end + 1;
                }
                _ => {
                    let end = (at..html.len())
                        .find(|&i| html[i].is_ascii_whitespace() || html[i] == b'>')
                        .unwrap_or(html.len());
                    value = &html[at..end];
                    at = end;
                }
            }
        }
        found.push((name, value));
    }
}

/// The encoding an XML declaration names (`<?xml version="1.0" encoding="windows-1251"?>`), by
/// the labels browsers know (ISO-8859-1 read as Windows-1252, as they read it).
pub fn xml_declared_encoding(xml: &[u8]) -> Option<&'static Encoding> {
    let head = &xml[..xml.len().min(200)];
    let declaration = head.strip_prefix(b"<?xml")?;
    let declaration = &declaration[..memchr::memmem::find(declaration, b"?>")?];
    let at = memchr::memmem::find(declaration, b"encoding")? + b"encoding".len();
    let rest = declaration[at..].trim_ascii_start().strip_prefix(b"=")?;
    let rest = rest.trim_ascii_start();
    let quote = *rest.first().filter(|&&q| q == b'"' || q == b'\'')?;
    let label = &rest[1..];
    let label = &label[..memchr::memchr(quote, label)?];
    Encoding::for_label(label)
}

/// A stretch of decoded text whose characters each take `text_width` bytes in the text and
/// `file_width` bytes in the file, starting at `text` in the text and `file` in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    text: usize,
    file: u64,
    text_width: u32,
    file_width: u32,
}

/// Where each character of text decoded from a legacy encoding came from in the file: runs of
/// characters of one width in each (a word of kanji is one run: three bytes a character in
/// the text, two in a Shift_JIS file).
/// A single-byte encoding needs none: a character is a byte ([`Runs::one_byte_each`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Runs {
    one_byte_each: bool,
    runs: Vec<Run>,
}

impl Runs {
    /// Whether each character of the text took one byte of the file (a single-byte encoding):
    /// a text offset's file offset is then the count of characters before it.
    pub fn one_byte_each(&self) -> bool {
        self.one_byte_each
    }

    /// Records a character of `text_width` bytes at text offset `text` that took `file_width`
    /// bytes at file offset `file` (each character recorded in turn).
    fn push(&mut self, text: usize, file: u64, text_width: u32, file_width: u32) {
        let continues = self
            .runs
            .last()
            .is_some_and(|run| run.text_width == text_width && run.file_width == file_width);
        if !continues {
            self.runs.push(Run {
                text,
                file,
                text_width,
                file_width,
            });
        }
    }

    /// The file offset of text offset `offset` (a character boundary), looked up from run
    /// `*from` on, which is left at the run holding it (offsets are asked in increasing order).
    pub fn file_offset(&self, offset: usize, from: &mut usize) -> u64 {
        while self
            .runs
            .get(*from + 1)
            .is_some_and(|next| next.text <= offset)
        {
            *from += 1;
        }
        match self.runs.get(*from) {
            Some(run) if run.text <= offset => {
                let chars = (offset - run.text) as u64 / u64::from(run.text_width.max(1));
                run.file + chars * u64::from(run.file_width)
            }
            _ => offset as u64,
        }
    }
}

/// `bytes` decoded from `encoding`, each invalid sequence replaced by U+FFFD, with where each
/// character came from in the file, and whether any was replaced.
pub fn decode_with_runs(bytes: &[u8], encoding: &'static Encoding) -> (String, Runs, bool) {
    if encoding.is_single_byte() {
        // One character a byte (an unmapped byte is one U+FFFD): no runs to keep.
        let (text, lossy) = encoding.decode_without_bom_handling(bytes);
        let runs = Runs {
            one_byte_each: true,
            runs: Vec::new(),
        };
        return (text.into_owned(), runs, lossy);
    }
    let mut reading = Reading {
        text: String::with_capacity(bytes.len() + bytes.len() / 2),
        runs: Runs::default(),
        start: 0,
    };
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut lossy = false;
    let mut out = [0u8; 64];
    let mut at = 0;
    // A byte at a time, so that each character's bytes are known.
    while at < bytes.len() {
        let last = at + 1 == bytes.len();
        let (result, read, written) =
            decoder.decode_to_utf8_without_replacement(&bytes[at..at + 1], &mut out, last);
        at += read;
        let decoded = std::str::from_utf8(&out[..written]).unwrap_or_default();
        match result {
            DecoderResult::InputEmpty | DecoderResult::OutputFull => {
                if !decoded.is_empty() {
                    reading.took(decoded, at);
                }
            }
            DecoderResult::Malformed(bad, after) => {
                lossy = true;
                let bad_end = at - usize::from(after);
                let bad_start = bad_end.saturating_sub(usize::from(bad)).max(reading.start);
                if !decoded.is_empty() {
                    reading.took(decoded, bad_start);
                }
                reading.took("\u{FFFD}", bad_end);
            }
        }
        if read == 0 && matches!(result, DecoderResult::InputEmpty) {
            break; // (never: one byte in, nothing read)
        }
    }
    (reading.text, reading.runs, lossy)
}

/// Text being decoded, with its runs, and where the next character's bytes start in the file.
struct Reading {
    text: String,
    runs: Runs,
    start: usize,
}

impl Reading {
    /// `decoded` came from the file's bytes from `self.start` up to `end`: its first character
    /// takes them all, any others none (Big5 writes a few characters as two).
    fn took(&mut self, decoded: &str, end: usize) {
        let mut bytes = end.saturating_sub(self.start) as u32;
        for c in decoded.chars() {
            self.runs.push(
                self.text.len(),
                self.start as u64,
                c.len_utf8() as u32,
                bytes,
            );
            self.text.push(c);
            self.start += bytes as usize;
            bytes = 0;
        }
        self.start = self.start.max(end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each character's offset in the text mapped back (as ingest maps them), against where
    /// its bytes are in `file`.
    fn check_every_offset(file: &[u8], encoding: &'static Encoding) -> String {
        let (text, runs, _) = decode_with_runs(file, encoding);
        let read_as = Legacy {
            encoding,
            guessed: false,
        };
        let encoded_as = super::super::Encoding::Legacy { read_as, runs };
        let mut offsets = super::super::OffsetMap::new(&text, encoded_as);
        let mut file_at = 0u64;
        for (offset, c) in text.char_indices() {
            assert_eq!(offsets.file_offsets(offset).0, file_at, "at {offset} {c:?}");
            let (encoded, _, _) = encoding.encode(&text[offset..offset + c.len_utf8()]);
            file_at += encoded.len() as u64;
        }
        assert_eq!(offsets.file_offsets(text.len()).0, file.len() as u64);
        text
    }

    #[test]
    fn every_character_maps_back_to_its_bytes() {
        let text = "東京 is Tokyo, 日本の首都。\nまた、ｶﾀｶﾅ half-width.";
        let (shift_jis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        assert_eq!(check_every_offset(&shift_jis, encoding_rs::SHIFT_JIS), text);
        let chinese = "北京是中国的首都 Beijing, 2024年。";
        for encoding in [encoding_rs::GBK, encoding_rs::GB18030, encoding_rs::BIG5] {
            let (bytes, _, _) = encoding.encode(chinese);
            let read = check_every_offset(&bytes, encoding);
            assert!(read.contains("Beijing, 2024"), "{}", encoding.name());
        }
        let korean = "서울은 한국의 수도이다 (Seoul).";
        let (euc_kr, _, _) = encoding_rs::EUC_KR.encode(korean);
        assert_eq!(check_every_offset(&euc_kr, encoding_rs::EUC_KR), korean);
        let russian = "Москва - столица России.";
        for encoding in [encoding_rs::WINDOWS_1251, encoding_rs::KOI8_R] {
            let (bytes, _, _) = encoding.encode(russian);
            assert_eq!(check_every_offset(&bytes, encoding), russian);
        }
    }

    #[test]
    fn invalid_sequences_are_replaced_where_they_are() {
        // A Shift_JIS lead byte before an ASCII letter, and one cut at the end of the file.
        let file = b"\x93\x8c a\x81 b \x8b\x9e\x81";
        let (text, runs, lossy) = decode_with_runs(file, encoding_rs::SHIFT_JIS);
        assert!(lossy);
        assert_eq!(text, "東 a\u{FFFD} b 京\u{FFFD}");
        let mut from = 0;
        let at =
            |needle: &str, from: &mut usize| runs.file_offset(text.find(needle).unwrap_or(0), from);
        assert_eq!(at("a", &mut from), 3);
        assert_eq!(at("b", &mut from), 6);
        assert_eq!(at("京", &mut from), 8);
        assert_eq!(runs.file_offset(text.len(), &mut from), file.len() as u64);
    }

    #[test]
    fn declared_encodings_are_found_in_meta_tags_and_xml_declarations() {
        let found = |html: &str| html_declared_encoding(html.as_bytes()).map(|e| e.name());
        assert_eq!(
            found("<html><head><meta charset=\"Shift_JIS\">"),
            Some("Shift_JIS")
        );
        assert_eq!(found("<META CHARSET=euc-kr>"), Some("EUC-KR"));
        assert_eq!(
            found(r#"<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">"#),
            Some("windows-1251")
        );
        assert_eq!(
            found("<?xml version='1.0' encoding='gb2312'?><html>"),
            Some("GBK")
        );
        // As browsers read them: UTF-16 as UTF-8, x-user-defined as windows-1252.
        assert_eq!(found("<meta charset=utf-16>"), Some("UTF-8"));
        assert_eq!(found("<meta charset=x-user-defined>"), Some("windows-1252"));
        // Tags in comments are none, nor is a `content` without `http-equiv`.
        let commented = "<!-- <meta charset=iso-8859-1> --><meta charset=windows-1251>";
        assert_eq!(found(commented), Some("windows-1251"));
        let conditional = "<!--[if IE]><meta charset=koi8-r><![endif]--><meta charset=big5>";
        assert_eq!(found(conditional), Some("Big5"));
        let bare = r#"<meta content="text/html; charset=koi8-r"><meta charset="windows-1251">"#;
        assert_eq!(found(bare), Some("windows-1251"));
        assert_eq!(found("<!-- <meta charset=koi8-r>"), None);
        // As browsers step over them: `<!-->` closes its comment; a `<meta` quoted in another
        // tag's attribute, or inside `<?…>`, is no tag.
        assert_eq!(
            found("<!--><meta charset=iso-8859-15>"),
            Some("ISO-8859-15")
        );
        let quoted = r#"<div title='<meta charset="windows-1252">'><meta charset=koi8-r>"#;
        assert_eq!(found(quoted), Some("KOI8-R"));
        assert_eq!(
            found("<?x <meta charset=big5> ?><meta charset=gbk>"),
            Some("GBK")
        );
        assert_eq!(
            found("<metadata charset=big5><meta/charset=gbk>"),
            Some("GBK")
        );
        // Not a declaration: a description mentioning a charset, an unknown label, none.
        assert_eq!(found(r#"<meta name="d" content="charset=koi8-r">"#), None);
        assert_eq!(found("<meta charset=klingon>"), None);
        assert_eq!(found("<p>charset=koi8-r</p>"), None);
        let late = format!("{}<meta charset=big5>", " ".repeat(HTML_PRESCAN_BYTES));
        assert_eq!(found(&late), None);
    }

    #[test]
    fn a_declared_encoding_is_read_and_a_guess_is_made_only_for_legacy_text() {
        let declared = Some(encoding_rs::SHIFT_JIS);
        let damaged_utf8 = "é à ü \u{FFFD}".replace('\u{FFFD}', "\u{FF}");
        let mut damaged = damaged_utf8.into_bytes();
        damaged.push(0xE9);
        assert_eq!(legacy_encoding(&damaged, None), None);
        assert_eq!(
            legacy_encoding(&damaged, declared),
            Some(Legacy {
                encoding: encoding_rs::SHIFT_JIS,
                guessed: false
            })
        );
        // UTF-8 and UTF-16 declared for bytes that are not UTF-8: not readable as declared.
        assert_eq!(legacy_encoding(&damaged, Some(encoding_rs::UTF_8)), None);
        // The guess reads the text back as it was written (KOI8-R is guessed as KOI8-U, which
        // reads Russian alike).
        let guess = |text: &str, encoding: &'static Encoding| {
            let (bytes, _, _) = encoding.encode(text);
            let guessed = legacy_encoding(&bytes, None)?;
            assert!(guessed.guessed);
            assert_eq!(decode_with_runs(&bytes, guessed.encoding).0, text);
            Some(guessed.encoding.name())
        };
        let japanese = "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。";
        assert_eq!(guess(japanese, encoding_rs::SHIFT_JIS), Some("Shift_JIS"));
        assert_eq!(guess(japanese, encoding_rs::EUC_JP), Some("EUC-JP"));
        let chinese = "北京是中华人民共和国的首都，也是全国的政治和文化中心。";
        assert_eq!(guess(chinese, encoding_rs::GBK), Some("GBK"));
        let russian = "Москва - столица России, крупнейший по численности населения город страны.";
        assert_eq!(
            guess(russian, encoding_rs::WINDOWS_1251),
            Some("windows-1251")
        );
        assert_eq!(guess(russian, encoding_rs::KOI8_R), Some("KOI8-U"));
        let french = "Il dit « vérité » au café, à côté de l'église.";
        assert_eq!(
            guess(french, encoding_rs::WINDOWS_1252),
            Some("windows-1252")
        );
    }

    #[test]
    fn a_damaged_or_cut_multi_byte_file_is_still_guessed_in_its_encoding() {
        let guessed = |bytes: &[u8]| legacy_encoding(bytes, None).map(|l| l.encoding.name());
        let japanese = "日本語の文章です。東京と大阪は大きな都市です。\n".repeat(50);
        let chinese = "这是一个中文文本文件。北京是中国的首都。\n".repeat(50);
        let (shift_jis, _, _) = encoding_rs::SHIFT_JIS.encode(&japanese);
        let (euc_jp, _, _) = encoding_rs::EUC_JP.encode(&japanese);
        let (gbk, _, _) = encoding_rs::GBK.encode(&chinese);
        // Cut inside its last character.
        let mut cut = shift_jis.to_vec();
        cut.push(0x93);
        assert_eq!(guessed(&cut), Some("Shift_JIS"));
        // A lead byte alone before a line's end, mid-file.
        let mut damaged = gbk.to_vec();
        damaged.splice(100..100, *b"\xb1\n");
        assert_eq!(guessed(&damaged), Some("GBK"));
        // A byte no EUC-JP character has, on a line of its own.
        let mut damaged = euc_jp.to_vec();
        damaged.extend(b"\n\xff\n");
        assert_eq!(guessed(&damaged), Some("EUC-JP"));
        // One line of damage that GBK reads as a character: EUC-JP all the same.
        let mut damaged = euc_jp.to_vec();
        damaged.splice(0..0, *b"\x80\n");
        assert_eq!(guessed(&damaged), Some("EUC-JP"));
        // Damaged on more than a line in ten: not read as Shift_JIS.
        let mut worse = Vec::new();
        for line in shift_jis.split_inclusive(|&b| b == b'\n') {
            worse.extend(line);
            worse.extend(b"\xa0\x80\n");
        }
        assert_ne!(guessed(&worse), Some("Shift_JIS"));
    }

    #[test]
    fn mostly_ascii_latin1_text_stays_windows_1252() {
        // Accented letters before a letter are valid Shift_JIS or Big5 pairs (`é` + `s`): the
        // lines that read in those are not enough to take them.
        let french = "Le résumé des réunions est prêt.\nNous avons étudié les données.\n\
                      The index is built nightly.\nLes cafés ferment à minuit.\n"
            .repeat(30);
        let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(&french);
        let guessed = legacy_encoding(&latin1, None).map(|l| l.encoding.name());
        assert_eq!(guessed, Some("windows-1252"));
    }

    #[test]
    fn the_guess_reads_from_the_first_line_that_is_not_ascii() {
        let mut file = "plain ascii line\n".repeat(70_000).into_bytes();
        assert!(file.len() > GUESS_BYTES);
        let japanese = "日本語の文章です。東京と大阪は大きな都市です。\n".repeat(20);
        file.extend(encoding_rs::SHIFT_JIS.encode(&japanese).0.iter());
        let guessed = legacy_encoding(&file, None).map(|l| l.encoding.name());
        assert_eq!(guessed, Some("Shift_JIS"));
    }

    #[test]
    fn seven_bit_iso_2022_jp_text_is_read_as_such() {
        let text = "日本語のメールです。東京で会いましょう。\n";
        let (mail, _, _) = encoding_rs::ISO_2022_JP.encode(text);
        assert!(mail.is_ascii() && read_before_utf8(&mail, None));
        let read = legacy_encoding(&mail, None);
        assert_eq!(
            read.map(|l| (l.encoding.name(), l.guessed)),
            Some(("ISO-2022-JP", true))
        );
        assert_eq!(decode_with_runs(&mail, encoding_rs::ISO_2022_JP).0, text);
        // An escape character alone is no ISO-2022-JP.
        assert!(!read_before_utf8(b"red \x1b[31m text", None));
    }
}
