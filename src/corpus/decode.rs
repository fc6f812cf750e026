//! Decoding a file's bytes into text: UTF-8 (with or without a byte-order mark), UTF-16 with a
//! byte-order mark, NUL bytes meaning binary. Text that is not UTF-8 is read as Windows-1252
//! (Latin-1) when its invalid sequences outnumber its valid multi-byte characters (a legacy
//! 8-bit file, where a valid pair such as `ß“` is chance) and its bytes suggest no other legacy
//! encoding (Shift_JIS, GBK, windows-1251 …: see [`super::legacy`], which also reads the
//! encoding an HTML file declares), else as UTF-8 with each invalid sequence replaced by U+FFFD
//! (and flagged). Every text offset maps back to the exact byte of the file ([`OffsetMap`]).

use super::legacy::{self, Legacy, Runs};

/// How the text was encoded in the file, to map text offsets back to file offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8; `bom` when the file starts with a byte-order mark (3 bytes).
    Utf8 {
        /// The file starts with EF BB BF.
        bom: bool,
    },
    /// UTF-8 with invalid sequences, each replaced in the text by one U+FFFD.
    Utf8Replaced {
        /// The file starts with EF BB BF.
        bom: bool,
        /// Each replacement: its offset in the text and how many bytes of the file it stands
        /// for (1 to 3), in text order.
        replaced: Vec<(usize, u8)>,
    },
    /// One byte a character, Windows-1252 (Latin-1 but for 0x80–0x9F, which hold `€`, `‘`,
    /// `–` and other marks): see [`reads_as_windows_1252`].
    Windows1252,
    /// UTF-16 with a byte-order mark (2 bytes), little- or big-endian.
    Utf16 {
        /// Big-endian (FE FF) rather than little-endian (FF FE).
        big_endian: bool,
    },
    /// Another legacy encoding, declared by the file or guessed from its bytes (Windows-1252
    /// too when declared), with where each character came from.
    Legacy {
        /// The encoding, and whether it was guessed.
        read_as: Legacy,
        /// Each character's bytes in the file.
        runs: Runs,
    },
}

/// A decoded file.
#[derive(Debug, PartialEq, Eq)]
pub enum Decoded {
    /// Text.
    Text {
        /// The decoded text (without the byte-order mark).
        text: String,
        /// The encoding, for offset mapping.
        encoding: Encoding,
        /// True when invalid sequences were replaced by U+FFFD (UTF-8 with invalid sequences,
        /// UTF-16 with unpaired surrogates or an odd last byte).
        lossy: bool,
    },
    /// The file holds NUL bytes (and no UTF-16 byte-order mark): it is not text.
    Binary,
}

/// How many leading bytes are checked for NUL to detect a binary file.
const BINARY_SNIFF_BYTES: usize = 8192;

/// Reads the file at `path` for [`decode`]: whole, or only its first bytes when they already
/// tell it is binary (a disk image is not read into memory to be skipped).
pub fn read_for_decoding(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    (&mut file)
        .take(BINARY_SNIFF_BYTES as u64)
        .read_to_end(&mut bytes)?;
    if !is_binary(&bytes) {
        file.read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// Whether bytes starting a file say it is binary: NUL among its first bytes, and no UTF-16
/// byte-order mark.
fn is_binary(bytes: &[u8]) -> bool {
    utf16_bom(bytes).is_none() && bytes[..bytes.len().min(BINARY_SNIFF_BYTES)].contains(&0)
}

/// Decodes a file's bytes.
pub fn decode(bytes: Vec<u8>) -> Decoded {
    decode_declared(bytes, None)
}

/// Decodes a file's bytes, which may declare their encoding (`declared`: see
/// [`legacy::html_declared_encoding`]). A byte-order mark outranks the declaration, as in a
/// browser; text that is valid UTF-8 is read as UTF-8 whatever it declares (but for
/// ISO-2022-JP, whose bytes are all 7-bit).
pub fn decode_declared(
    bytes: Vec<u8>,
    declared: Option<&'static encoding_rs::Encoding>,
) -> Decoded {
    if let Some(big_endian) = utf16_bom(&bytes) {
        return decode_utf16(&bytes[2..], big_endian);
    }
    if is_binary(&bytes) {
        return Decoded::Binary;
    }
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    if !bom && legacy::read_before_utf8(&bytes, declared) {
        return decode_legacy(&bytes, declared);
    }
    let body = if bom { bytes[3..].to_vec() } else { bytes };
    match String::from_utf8(body) {
        Ok(text) => Decoded::Text {
            text,
            encoding: Encoding::Utf8 { bom },
            lossy: false,
        },
        Err(err) if !bom => decode_legacy(err.as_bytes(), declared),
        Err(err) => {
            let (text, replaced) = utf8_replaced(err.as_bytes());
            Decoded::Text {
                text,
                encoding: Encoding::Utf8Replaced { bom, replaced },
                lossy: true,
            }
        }
    }
}

/// The legacy encoding [`decode_declared`] reads a file's `bytes` in (Windows-1252 too), or
/// `None` when it reads them as UTF-8 or UTF-16.
pub fn legacy_encoding_read_in(
    bytes: &[u8],
    declared: Option<&'static encoding_rs::Encoding>,
) -> Option<&'static encoding_rs::Encoding> {
    if utf16_bom(bytes).is_some() || bytes.starts_with(b"\xEF\xBB\xBF") {
        return None;
    }
    if !legacy::read_before_utf8(bytes, declared) && std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    legacy::legacy_encoding(bytes, declared).map(|read_as| read_as.encoding)
}

/// `bytes`, not UTF-8 and with no byte-order mark, read in the encoding they declare or suggest
/// ([`legacy::legacy_encoding`]): Windows-1252 when guessed, one character a byte; else as
/// UTF-8 with each invalid sequence replaced.
fn decode_legacy(bytes: &[u8], declared: Option<&'static encoding_rs::Encoding>) -> Decoded {
    match legacy::legacy_encoding(bytes, declared) {
        Some(read_as) if read_as.guessed && read_as.encoding == encoding_rs::WINDOWS_1252 => {
            Decoded::Text {
                text: bytes.iter().map(|&b| windows_1252(b)).collect(),
                encoding: Encoding::Windows1252,
                lossy: false,
            }
        }
        Some(read_as) => {
            let (text, runs, lossy) = legacy::decode_with_runs(bytes, read_as.encoding);
            Decoded::Text {
                text,
                encoding: Encoding::Legacy { read_as, runs },
                lossy,
            }
        }
        None => {
            let (text, replaced) = utf8_replaced(bytes);
            Decoded::Text {
                text,
                encoding: Encoding::Utf8Replaced {
                    bom: false,
                    replaced,
                },
                lossy: true,
            }
        }
    }
}

/// Whether text that is not UTF-8 (and has no UTF-8 byte-order mark) is read as Windows-1252:
/// when its invalid sequences outnumber its valid multi-byte characters. In Latin-1 text almost
/// every accented letter is invalid UTF-8, and the few valid pairs are chance (`ß“`, `é` and a
/// no-break space before `»`); in UTF-8 with a few damaged bytes the valid ones are most.
pub fn reads_as_windows_1252(bytes: &[u8]) -> bool {
    let (mut invalid, mut multibyte) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        // A character of several bytes starts with a byte of 0xC0 or more.
        multibyte += chunk.valid().bytes().filter(|&b| b >= 0xC0).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    invalid > multibyte
}

/// `bytes` as UTF-8, each invalid sequence replaced by U+FFFD (as `String::from_utf8_lossy`
/// does), with where each replacement is in the text and how many bytes it stands for.
fn utf8_replaced(bytes: &[u8]) -> (String, Vec<(usize, u8)>) {
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut replaced = Vec::new();
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            replaced.push((text.len(), chunk.invalid().len() as u8));
            text.push(char::REPLACEMENT_CHARACTER);
        }
    }
    (text, replaced)
}

/// Bytes of one line read back from a file (not UTF-16) as decoding read the file (`legacy`:
/// the legacy encoding it was read in, see [`legacy::legacy_encoding`]), with their length as
/// an editor counts a line's bytes: the file's own bytes for UTF-8 (an invalid one read as
/// U+FFFD), but the text's UTF-8 bytes for a line in a legacy encoding, which an editor holds
/// as UTF-8 (and which are then the text's offsets, as in a UTF-16 file).
pub fn line_read_back(
    bytes: &[u8],
    legacy: Option<&'static encoding_rs::Encoding>,
) -> (String, u64) {
    if let Some(encoding) = legacy {
        let text = encoding.decode_without_bom_handling(bytes).0.into_owned();
        let length = text.len() as u64;
        return (text, length);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => utf8_replaced(bytes).0,
    };
    (text, bytes.len() as u64)
}

/// The character a Windows-1252 byte stands for (the five bytes it leaves undefined stand for
/// the C1 controls of the same number, as in the WHATWG Encoding Standard).
pub(crate) fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

fn utf16_bom(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(false),
        [0xFE, 0xFF, ..] => Some(true),
        _ => None,
    }
}

fn decode_utf16(body: &[u8], big_endian: bool) -> Decoded {
    let units = body.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let mut lossy = body.len() % 2 == 1;
    let text: String = char::decode_utf16(units)
        .map(|unit| {
            unit.unwrap_or_else(|_| {
                lossy = true;
                char::REPLACEMENT_CHARACTER
            })
        })
        .collect();
    Decoded::Text {
        text,
        encoding: Encoding::Utf16 { big_endian },
        lossy,
    }
}

/// Maps offsets in decoded text back to the file, walking forward through increasing offsets.
pub struct OffsetMap<'a> {
    text: &'a str,
    encoding: Encoding,
    at: usize,
    chars: u64,
    units: u64,
    /// In UTF-8 with replacements: how many replacements are before `at`, and how many more
    /// bytes the file holds than the text up to there (negative: fewer).
    replacements_before: usize,
    shift: i64,
    /// In a legacy encoding of several bytes a character: the run holding `at`.
    run_at: usize,
}

impl<'a> OffsetMap<'a> {
    /// A map over `text` decoded with `encoding`.
    pub fn new(text: &'a str, encoding: Encoding) -> OffsetMap<'a> {
        let bom_chars = match encoding {
            Encoding::Utf8 { bom } | Encoding::Utf8Replaced { bom, .. } => u64::from(bom),
            Encoding::Utf16 { .. } => 1,
            Encoding::Windows1252 | Encoding::Legacy { .. } => 0,
        };
        OffsetMap {
            text,
            encoding,
            at: 0,
            chars: bom_chars,
            units: 0,
            replacements_before: 0,
            shift: 0,
            run_at: 0,
        }
    }

    /// The file byte offset and character offset of text offset `offset` (not less than any
    /// offset asked before).
    pub fn file_offsets(&mut self, offset: usize) -> (u64, u64) {
        let offset = offset.clamp(self.at, self.text.len());
        if let Some(skipped) = self.text.get(self.at..offset) {
            // Counted by bytes (a loop the compiler vectorises): a character starts at every
            // byte that is not a continuation byte, and takes two UTF-16 units when its first
            // byte starts a four-byte sequence.
            // Most text is ASCII, one byte a character: checked a word at a time.
            let bytes = skipped.as_bytes();
            let ascii = bytes.is_ascii();
            let chars = match ascii {
                true => bytes.len() as u64,
                false => bytes.iter().filter(|&&b| (b as i8) >= -0x40).count() as u64,
            };
            self.chars += chars;
            if let Encoding::Utf16 { .. } = self.encoding {
                let long = match ascii {
                    true => 0,
                    false => bytes.iter().filter(|&&b| b >= 0xf0).count() as u64,
                };
                self.units += chars + long;
            }
            self.at = offset;
        }
        let bytes = match &self.encoding {
            Encoding::Utf8 { bom } => offset as u64 + if *bom { 3 } else { 0 },
            Encoding::Utf8Replaced { bom, replaced } => {
                for &(_, stands_for) in replaced[self.replacements_before..]
                    .iter()
                    .take_while(|&&(at, _)| at < offset)
                {
                    self.shift += i64::from(stands_for) - '\u{FFFD}'.len_utf8() as i64;
                    self.replacements_before += 1;
                }
                let bom = if *bom { 3 } else { 0 };
                (offset as i64 + bom + self.shift) as u64
            }
            Encoding::Utf16 { .. } => 2 + 2 * self.units,
            Encoding::Windows1252 => self.chars,
            Encoding::Legacy { runs, .. } if runs.one_byte_each() => self.chars,
            Encoding::Legacy { runs, .. } => runs.file_offset(offset, &mut self.run_at),
        };
        (bytes, self.chars)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_file_is_read_only_as_far_as_it_takes_to_tell() {
        use assert_fs::prelude::*;
        let dir = assert_fs::TempDir::new().unwrap();
        let mut image = vec![b'x'; 100_000];
        image[10] = 0;
        dir.child("disk.img").write_binary(&image).unwrap();
        let read = read_for_decoding(&dir.child("disk.img")).unwrap();
        assert_eq!(read.len(), BINARY_SNIFF_BYTES);
        assert!(matches!(decode(read), Decoded::Binary));
        // Text, and UTF-16 (whose NULs are half its units), are read whole.
        dir.child("a.txt")
            .write_binary(&vec![b'x'; 100_000])
            .unwrap();
        assert_eq!(
            read_for_decoding(&dir.child("a.txt")).unwrap().len(),
            100_000
        );
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(
            "words "
                .repeat(2000)
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        dir.child("u.txt").write_binary(&utf16).unwrap();
        assert_eq!(read_for_decoding(&dir.child("u.txt")).unwrap(), utf16);
    }

    fn text(decoded: Decoded) -> (String, bool) {
        match decoded {
            Decoded::Text { text, lossy, .. } => (text, lossy),
            Decoded::Binary => panic!("binary"),
        }
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            text(decode(b"\xEF\xBB\xBFhi".to_vec())),
            ("hi".into(), false)
        );
        assert_eq!(
            text(decode("Grüße".as_bytes().to_vec())),
            ("Grüße".into(), false)
        );
    }

    #[test]
    fn utf16_with_bom_both_ways() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("hé 한".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("hé 한".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(text(decode(le)), ("hé 한".into(), false));
        assert_eq!(text(decode(be)), ("hé 한".into(), false));
    }

    #[test]
    fn nul_bytes_mean_binary_and_invalid_utf8_is_flagged() {
        assert_eq!(decode(b"ab\0cd".to_vec()), Decoded::Binary);
        assert_eq!(
            text(decode(b"\xc3\xa9 \xFF b".to_vec())),
            ("é \u{FFFD} b".into(), true)
        );
    }

    #[test]
    fn text_with_no_multibyte_utf8_is_read_as_windows_1252() {
        let latin1 = b"R\xe9sum\xe9 \x93quoted\x94 \x80 na\xefve\x81".to_vec();
        let decoded = decode(latin1);
        let Decoded::Text {
            text,
            encoding,
            lossy,
        } = decoded
        else {
            panic!("binary")
        };
        assert_eq!(text, "Résumé “quoted” € naïve\u{81}");
        assert_eq!((encoding, lossy), (Encoding::Windows1252, false));
        // One character a byte: offsets map back by counting characters.
        let mut offsets = OffsetMap::new(&text, Encoding::Windows1252);
        let quoted = text.find('“').unwrap_or(0);
        assert_eq!(offsets.file_offsets(quoted), (7, 7));
        assert_eq!(offsets.file_offsets(text.len()), (24, 24));
        // A byte-order mark says UTF-8: its invalid bytes are replaced.
        let marked = text_of(decode(b"\xEF\xBB\xBFR\xe9sum\xe9".to_vec()));
        assert_eq!(marked, "R\u{FFFD}sum\u{FFFD}");
    }

    fn text_of(decoded: Decoded) -> String {
        text(decoded).0
    }

    #[test]
    fn chance_utf8_pairs_in_latin1_text_do_not_make_it_utf8() {
        // `é`, a no-break space and `»` are 頻 as UTF-8; `ß“` is a letter of N'Ko.
        let french = b"Il dit \xab\xa0v\xe9rit\xe9\xa0\xbb au caf\xe9.".to_vec();
        assert_eq!(
            text_of(decode(french)),
            "Il dit «\u{a0}vérité\u{a0}» au café."
        );
        let german = b"\x84Das ist gro\xdf\x93 \x85 M\xfcllerin".to_vec();
        assert_eq!(text_of(decode(german)), "„Das ist groß“ … Müllerin");
        // UTF-8 with more valid characters than damaged ones stays UTF-8.
        let damaged = "é à ü \u{FFFD}".replace('\u{FFFD}', "");
        let mut bytes = damaged.into_bytes();
        bytes.push(0xE9);
        assert_eq!(text_of(decode(bytes)), "é à ü \u{FFFD}");
    }

    #[test]
    fn offsets_after_replaced_bytes_are_the_files() {
        // UTF-8 (`é` three times) with damaged bytes: one, then a cut three-byte sequence.
        let file = b"\xc3\xa9\xc3\xa9\xc3\xa9 \xff\n\nab \xe2\x82 needle\n".to_vec();
        let Decoded::Text { text, encoding, .. } = decode(file.clone()) else {
            panic!("binary")
        };
        assert_eq!(text, "ééé \u{FFFD}\n\nab \u{FFFD} needle\n");
        let mut offsets = OffsetMap::new(&text, encoding);
        let second = text.find("ab").unwrap_or(0);
        let needle = text.find("needle").unwrap_or(0);
        let in_file = |word: &[u8]| file.windows(word.len()).position(|w| w == word);
        assert_eq!(
            offsets.file_offsets(second).0 as usize,
            in_file(b"ab").unwrap_or(0)
        );
        assert_eq!(
            offsets.file_offsets(needle).0 as usize,
            in_file(b"needle").unwrap_or(0)
        );
    }

    #[test]
    fn offsets_map_back_to_the_file() {
        let mut utf8 = OffsetMap::new("ab\ncd", Encoding::Utf8 { bom: true });
        assert_eq!(utf8.file_offsets(3), (6, 4));
        let mut utf16 = OffsetMap::new("é\n한x", Encoding::Utf16 { big_endian: false });
        assert_eq!(utf16.file_offsets(3), (2 + 4, 3));
        assert_eq!(utf16.file_offsets(6), (2 + 6, 4));
    }

    proptest::proptest! {
        #[test]
        fn byte_counting_equals_counting_characters(
            text in "(a|é|한|😀|\n| ){0,40}",
            cuts in proptest::collection::vec(0usize..200, 0..6),
        ) {
            let mut cuts: Vec<usize> = cuts
                .into_iter()
                .map(|c| c.min(text.len()))
                .filter(|&c| text.is_char_boundary(c))
                .collect();
            cuts.sort_unstable();
            let mut utf8 = OffsetMap::new(&text, Encoding::Utf8 { bom: false });
            let mut utf16 = OffsetMap::new(&text, Encoding::Utf16 { big_endian: true });
            for cut in cuts {
                let before = &text[..cut];
                let chars = before.chars().count() as u64;
                let units = before.encode_utf16().count() as u64;
                proptest::prop_assert_eq!(utf8.file_offsets(cut), (cut as u64, chars));
                // The byte order mark is a character of the file too.
                proptest::prop_assert_eq!(utf16.file_offsets(cut), (2 + 2 * units, 1 + chars));
            }
        }
    }
}
