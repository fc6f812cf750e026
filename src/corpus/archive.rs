//! The zip archives that DOCX, ODT and EPUB files are: members read by name as UTF-8 text, each
//! no bigger than [`MAX_EXTRACTED_BYTES`] once inflated, so a small hostile file cannot make
//! ingest hold gigabytes. Errors are one line naming the format and what is wrong.

use std::io::{Cursor, Read};

use zip::result::ZipError;
use zip::ZipArchive;

use super::MAX_EXTRACTED_BYTES;

/// An open archive of a document in format `format` (`"DOCX"`, for messages).
pub struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    format: &'static str,
    /// The members read so far whose bytes were not valid in their encoding.
    replaced: Vec<String>,
}

/// The signature of an OLE compound file (Office's binary formats and encrypted documents).
const OLE_COMPOUND_FILE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

impl<'a> Archive<'a> {
    /// Opens `bytes` as a zip archive.
    pub fn open(bytes: &'a [u8], format: &'static str) -> Result<Archive<'a>, String> {
        if bytes.starts_with(&OLE_COMPOUND_FILE) {
            // Office keeps a password-protected DOCX (or ODT saved by it) encrypted inside an
            // OLE compound file; an old binary .doc is one too.
            return Err(format!(
                "{format} is encrypted (it needs a password to be read), or is an old binary \
                 Office file (.doc) named .{}",
                format.to_ascii_lowercase()
            ));
        }
        if !bytes.starts_with(b"PK\x03\x04") {
            return Err(format!(
                "not {} {format} file (not a zip archive)",
                article(format)
            ));
        }
        let zip = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| format!("damaged {format} file (its zip archive: {e})"))?;
        Ok(Archive {
            zip,
            format,
            replaced: Vec::new(),
        })
    }

    /// Checks the `mimetype` member, when there is one, starts with `expected`; else the file
    /// is not `what` (`an EPUB book`).
    pub fn expect_type(&mut self, expected: &str, what: &str) -> Result<(), String> {
        match self.text("mimetype")? {
            Some(found) if !found.trim().starts_with(expected) => {
                Err(format!("not {what} (its type is {})", found.trim()))
            }
            _ => Ok(()),
        }
    }

    /// The member `name` as text (invalid UTF-8 replaced), `None` when the archive has no such
    /// member.
    pub fn text(&mut self, name: &str) -> Result<Option<String>, String> {
        let format = self.format;
        let member = match self.zip.by_name(name) {
            Ok(member) => member,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(ZipError::UnsupportedArchive(what)) => {
                return Err(format!(
                    "{format} file is encrypted or uses an unsupported zip feature ({what})"
                ))
            }
            Err(e) => return Err(format!("damaged {format} file ({name}: {e})")),
        };
        if member.encrypted() {
            return Err(format!("{format} file is encrypted"));
        }
        let mut bytes = Vec::new();
        member
            .take(MAX_EXTRACTED_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("damaged {format} file ({name}: {e})"))?;
        if bytes.len() as u64 > MAX_EXTRACTED_BYTES {
            return Err(format!(
                "{format} member {name} inflates to more than {} MiB",
                MAX_EXTRACTED_BYTES >> 20
            ));
        }
        let (text, lossy) = xml_text(bytes);
        if lossy {
            self.replaced.push(name.to_string());
        }
        Ok(Some(text))
    }

    /// What to say of the members read whose bytes were not valid in their encoding (read
    /// with U+FFFD for them), if any.
    pub fn replaced_note(&self) -> Option<String> {
        let first = self.replaced.first()?;
        Some(match self.replaced.len() {
            1 => format!("its part {first} is not valid in its encoding: its invalid bytes were read as U+FFFD"),
            n => format!("{n} of its parts are not valid in their encodings (the first: {first}): their invalid bytes were read as U+FFFD"),
        })
    }
}

/// `note` and `more` (what was wrong besides) as one note, `; ` between them.
pub fn with_note(note: Option<String>, more: Option<String>) -> Option<String> {
    match (note, more) {
        (Some(note), Some(more)) => Some(format!("{note}; {more}")),
        (note, more) => note.or(more),
    }
}

/// `an` before a format name read with a vowel sound first (`an EPUB`, `an ODT`), else `a`.
fn article(format: &str) -> &'static str {
    match format.as_bytes().first() {
        Some(b'A' | b'E' | b'I' | b'O' | b'U') => "an",
        _ => "a",
    }
}

/// The text of an XML member: UTF-8 (a byte-order mark dropped), UTF-16 with its byte-order
/// mark (which XML allows, and Word can write), or the encoding its declaration names when it
/// is not UTF-8 (`windows-1251`, `ISO-8859-15`); otherwise invalid bytes read as U+FFFD.
fn xml_text(bytes: Vec<u8>) -> (String, bool) {
    if matches!(bytes.as_slice(), [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..]) {
        if let super::Decoded::Text { text, lossy, .. } = super::decode(bytes) {
            return (text, lossy);
        }
        return (String::new(), true);
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(body) {
        Ok(text) => (text.to_string(), false),
        Err(_) => match super::legacy::xml_declared_encoding(body) {
            // (Only an encoding `<?xml` can be read in as ASCII: a part declaring UTF-16 but
            // read so far as bytes is not UTF-16; REPLACEMENT would make it one U+FFFD.)
            Some(encoding)
                if encoding != encoding_rs::UTF_8
                    && encoding != encoding_rs::REPLACEMENT
                    && encoding.is_ascii_compatible() =>
            {
                let (text, lossy) = encoding.decode_without_bom_handling(body);
                (text.into_owned(), lossy)
            }
            _ => (String::from_utf8_lossy(body).into_owned(), true),
        },
    }
}

/// A zip archive of `files` (name, text), stored uncompressed (for tests).
#[cfg(test)]
pub(crate) fn stored_zip(files: &[(&str, &str)]) -> Vec<u8> {
    let members: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    stored_zip_of_bytes(&members)
}

/// [`stored_zip`] of members given as bytes (not all of them text).
#[cfg(test)]
pub(crate) fn stored_zip_of_bytes(files: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in files {
        zip.start_file(*name, stored).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_members_in_utf16_or_latin1_are_read_as_their_text() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><p>grüße – ok</p>";
        for big_endian in [false, true] {
            let mut bytes = if big_endian {
                vec![0xFE, 0xFF]
            } else {
                vec![0xFF, 0xFE]
            };
            for unit in xml.encode_utf16() {
                bytes.extend(if big_endian {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                });
            }
            assert_eq!(xml_text(bytes), (xml.to_string(), false), "{big_endian}");
        }
        let latin1 = b"<?xml version='1.0' encoding='windows-1252'?><p>caf\xe9 \x93x\x94</p>";
        assert_eq!(
            xml_text(latin1.to_vec()).0,
            "<?xml version='1.0' encoding='windows-1252'?><p>café “x”</p>"
        );
        // Any encoding the declaration names: Cyrillic, Latin-9 (not read as Windows-1252).
        let cyrillic =
            b"<?xml version=\"1.0\" encoding = \"windows-1251\" ?><p>\xcc\xee\xf1\xea\xe2\xe0</p>";
        assert!(xml_text(cyrillic.to_vec()).0.ends_with("<p>Москва</p>"));
        let latin9 = b"<?xml version='1.0' encoding='ISO-8859-15'?><p>\xa4</p>";
        assert!(xml_text(latin9.to_vec()).0.ends_with("<p>€</p>"));
        let unknown = b"<?xml version='1.0' encoding='x-unknown'?><p>\xa4</p>";
        // Bytes not valid in the encoding, or one not known: replaced, and said.
        let (text, lossy) = xml_text(unknown.to_vec());
        assert!(text.ends_with("<p>\u{FFFD}</p>") && lossy);
        assert!(!xml_text(latin9.to_vec()).1);
        assert_eq!(xml_text(b"\xEF\xBB\xBF<p>ok</p>".to_vec()).0, "<p>ok</p>");
        let invalid = xml_text(b"<p>caf\xe9</p>".to_vec());
        assert_eq!(invalid, ("<p>caf\u{FFFD}</p>".to_string(), true));
    }

    #[test]
    fn non_zip_bytes_are_reported_by_format() {
        let err = Archive::open(b"hello", "DOCX").err();
        assert_eq!(err.as_deref(), Some("not a DOCX file (not a zip archive)"));
        let err = Archive::open(b"PK\x03\x04garbage", "ODT")
            .err()
            .unwrap_or_default();
        assert!(err.starts_with("damaged ODT file"), "{err}");
        let mut ole = OLE_COMPOUND_FILE.to_vec();
        ole.extend_from_slice(&[0; 504]);
        let err = Archive::open(&ole, "DOCX").err().unwrap_or_default();
        assert!(
            err.starts_with("DOCX is encrypted (it needs a password"),
            "{err}"
        );
    }
}
