//! PDF documents, read with `pdf_oxide` (pure Rust): each page's positioned characters
//! (mended where pdf_oxide splits one glyph's text into pieces: UTF-8 read a byte at a time,
//! an Arabic ligature's letters) put in reading order and made into lines by [`order`] (right-
//! to-left ones by [`bidi`]), and into paragraphs by [`layout`],
//! paragraphs never running across a page break, each with its page and its number on the
//! page. The title is the document information's
//! `/Title`. Encrypted files that need a password, damaged files and files without text
//! (scanned or image-only pages) are refused with the reason, as are objects nested too deep
//! for the parser's recursion ([`nesting`]).

mod bidi;
mod layout;
mod nesting;
mod order;

use std::collections::HashMap;

use pdf_oxide::object::Object;
use pdf_oxide::PdfDocument;

use super::{PagePlace, Paragraph, Parsed};
use layout::Line;
use order::Piece;

/// How far into the file the `%PDF-` header is looked for (readers accept junk before it).
const HEADER_WINDOW: usize = 1024;

/// Reads a PDF file's paragraphs and title, and what was wrong when only part of it could be
/// read (a page that could not be read, or a file cut short).
pub fn pdf(bytes: &[u8]) -> Result<(Parsed, Option<String>), String> {
    let head = &bytes[..bytes.len().min(HEADER_WINDOW)];
    if memchr::memmem::find(head, b"%PDF-").is_none() {
        return Err("not a PDF file (no %PDF- header)".into());
    }
    if nesting::too_deep(bytes) {
        return Err(format!(
            "damaged PDF file (arrays or dictionaries nested more than {} deep)",
            nesting::MAX_DEPTH
        ));
    }
    let document =
        PdfDocument::from_bytes(bytes.to_vec()).map_err(|e| format!("damaged PDF file ({e})"))?;
    if document.is_encrypted() && !document.authenticate(b"").unwrap_or(false) {
        return Err("PDF is encrypted (it needs a password to be read)".into());
    }
    let pages = document
        .page_count()
        .map_err(|e| format!("damaged PDF file ({e})"))?;
    let mut page_lines: Vec<Vec<Line>> = Vec::with_capacity(pages);
    let mut failed = None;
    for page in 0..pages {
        match document.extract_chars(page) {
            Ok(chars) if chars.is_empty() => {
                // pdf_oxide reads a page whose content it cannot decode (over its inflate limit,
                // or damaged) as a page without text: ask again, to say which it was.
                if let Err(e) = document.get_page_content_data(page) {
                    failed.get_or_insert(format!("page {}: {e}", page + 1));
                }
                page_lines.push(Vec::new());
            }
            Ok(chars) => page_lines.push(order::lines(pieces(&chars))),
            Err(e) => {
                failed.get_or_insert(format!("page {}: {e}", page + 1));
                page_lines.push(Vec::new());
            }
        }
    }
    let dictionary = layout::words_within_lines(page_lines.iter().flatten());
    let mut pages: Vec<Vec<Vec<Line>>> = (page_lines.into_iter())
        .map(|lines| {
            let mut on_page = layout::paragraphs(lines);
            drop_page_numbers(&mut on_page);
            on_page
        })
        .collect();
    drop_running_heads(&mut pages);
    let mut paragraphs = Vec::new();
    for (page, on_page) in pages.into_iter().enumerate() {
        for (on_page, lines) in on_page.iter().enumerate() {
            paragraphs.push(Paragraph {
                number: paragraphs.len() as u64 + 1,
                line: 0,
                start: 0,
                text: layout::join(lines, &dictionary),
                index_text: None,
                section: None,
                page: Some(PagePlace {
                    page: page as u64 + 1,
                    paragraph: on_page as u64 + 1,
                }),
            });
        }
    }
    if paragraphs.is_empty() {
        return Err(match failed {
            Some(reason) => format!("damaged PDF file ({reason})"),
            None if cut_short(bytes) => CUT_SHORT.into(),
            None => "PDF has no text (image-only or scanned pages?)".into(),
        });
    }
    let damage = match failed {
        Some(reason) => Some(format!("damaged PDF file ({reason})")),
        None if cut_short(bytes) => Some(CUT_SHORT.to_string()),
        None => None,
    };
    let parsed = Parsed {
        title: title(&document),
        paragraphs,
    };
    Ok((parsed, damage))
}

/// What is said of a file without its end.
const CUT_SHORT: &str = "damaged PDF file (cut short: no %%EOF at its end)";

/// Whether the file lacks the `%%EOF` marker near its end, as a file cut short does.
fn cut_short(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(HEADER_WINDOW)..];
    memchr::memmem::find(tail, b"%%EOF").is_none()
}

/// Drops a page's running page number: a first or last paragraph of one line that is only a
/// number (`12`, `-2-`, `– 7 –`, `Page 3`, `3 of 10`, `xii`), unless it is set well larger
/// (by 30%) than both the page's usual type and the paragraph beside it (a chapter's `IV` or a
/// year heading `2019` over body text is kept).
fn drop_page_numbers(paragraphs: &mut Vec<Vec<Line>>) {
    // The lower median: on a page of a few lines, the body's size rather than a heading's.
    let mut sizes: Vec<f32> = paragraphs.iter().flatten().map(|line| line.size).collect();
    sizes.sort_unstable_by(f32::total_cmp);
    let usual = sizes
        .get(sizes.len().saturating_sub(1) / 2)
        .copied()
        .unwrap_or(0.0);
    let is_number = |p: &Vec<Line>, beside: Option<&Vec<Line>>| {
        let larger_than = |size: f32| p[0].size > size * 1.3;
        let heading = larger_than(usual)
            && beside
                .and_then(|b| b.first())
                .is_none_or(|b| larger_than(b.size));
        p.len() == 1 && !heading && is_page_number(&p[0].text)
    };
    let count = paragraphs.len();
    if count > 0
        && is_number(
            &paragraphs[count - 1],
            count.checked_sub(2).map(|i| &paragraphs[i]),
        )
    {
        paragraphs.pop();
    }
    if !paragraphs.is_empty() && is_number(&paragraphs[0], paragraphs.get(1)) {
        paragraphs.remove(0);
    }
}

/// Drops running heads and feet: a page's first or last paragraph, of one line, that is the
/// first (or last) paragraph of other pages too: the same text on three pages or more, or, its
/// numbers aside, on two or more with a number that counts the pages (`Annual Survey -2-
/// Draft`, `-3-` on the next page; not `Chapter 3` and `Chapter 4` at the tops of pages).
/// Told apart at the top and at the foot; the first page that has one keeps it.
fn drop_running_heads(pages: &mut [Vec<Vec<Line>>]) {
    // The text's shape (each run of digits as `#`) and its digits.
    let shape = |text: &str| -> (String, String) {
        let mut shape = String::with_capacity(text.len());
        let mut digits = String::new();
        for c in text.chars() {
            if c.is_ascii_digit() {
                if !shape.ends_with('#') {
                    shape.push('#');
                }
                digits.push(c);
            } else {
                shape.push(c);
                if !digits.is_empty() && !digits.ends_with(' ') {
                    digits.push(' ');
                }
            }
        }
        (shape, digits)
    };
    let ends = |page: &Vec<Vec<Line>>| -> [(bool, Option<String>); 2] {
        let one_line =
            |p: &Vec<Line>| (p.len() == 1 && p[0].text.len() <= 200).then(|| p[0].text.clone());
        [
            (true, page.first().and_then(one_line)),
            (
                false,
                page.last().filter(|_| page.len() > 1).and_then(one_line),
            ),
        ]
    };
    // By place and shape: each page it stands on, with its numbers.
    let mut seen: HashMap<(bool, String), Vec<Occurrence>> = HashMap::new();
    for (at, page) in pages.iter().enumerate() {
        for (top, text) in ends(page) {
            if let Some(text) = text {
                let (shape, digits) = shape(&text);
                let numbers = digits.split(' ').filter_map(|n| n.parse().ok()).collect();
                seen.entry((top, shape)).or_default().push((at, numbers));
            }
        }
    }
    let running = |key: &(bool, String)| {
        let Some(found) = seen.get(key) else {
            return false;
        };
        let same = found.windows(2).all(|pair| pair[0].1 == pair[1].1);
        // A number that goes up with the page (`-2-` on page 2, `-3-` on page 3): a page
        // count, not a chapter's number (`Chapter 3`, then `Chapter 4` pages later).
        let counts_pages = (0..found[0].1.len()).any(|n| {
            let offset = |(page, numbers): &Occurrence| {
                numbers.get(n).map(|&number| number as i64 - *page as i64)
            };
            let first = offset(&found[0]);
            first.is_some() && found.iter().all(|occurrence| offset(occurrence) == first)
        });
        match same {
            true => found.len() >= 3,
            false => found.len() >= 2 && counts_pages,
        }
    };
    // The first page that has one keeps it: a running head is found once (a title it repeats,
    // a slide's title over its continuations), not once a page.
    let mut kept: std::collections::HashSet<(bool, String)> = std::collections::HashSet::new();
    let mut repeated = |top: bool, text: &str| {
        let key = (top, shape(text).0);
        running(&key) && !kept.insert(key)
    };
    for page in pages.iter_mut() {
        let [(_, first), (_, last)] = ends(page);
        if last.is_some_and(|text| repeated(false, &text)) {
            page.pop();
        }
        if first.is_some_and(|text| repeated(true, &text)) {
            page.remove(0);
        }
    }
}

/// Where a page's first or last line stands (the page's number in the document) and the
/// numbers written in it.
type Occurrence = (usize, Vec<u64>);

/// Whether `text` is a page number as running heads and feet print it.
fn is_page_number(text: &str) -> bool {
    let text = text.trim_matches(|c: char| c == '-' || c == '–' || c == '—' || c.is_whitespace());
    let lower = text.to_lowercase();
    let text = lower
        .strip_prefix("page")
        .map_or(lower.as_str(), str::trim_start);
    let number = match text.split_once(" of ") {
        Some((number, total)) if total.trim().chars().all(|c| c.is_ascii_digit()) => number.trim(),
        _ => text,
    };
    let arabic =
        !number.is_empty() && number.len() <= 5 && number.chars().all(|c| c.is_ascii_digit());
    arabic || is_roman_numeral(number)
}

/// Whether `text` is a lowercase Roman numeral in its canonical form, up to 399 (`xii`, not
/// `civil`).
fn is_roman_numeral(text: &str) -> bool {
    const DIGITS: [(&str, u32); 9] = [
        ("c", 100),
        ("xc", 90),
        ("l", 50),
        ("xl", 40),
        ("x", 10),
        ("ix", 9),
        ("v", 5),
        ("iv", 4),
        ("i", 1),
    ];
    let value = |mut rest: &str| {
        let mut total = 0;
        while !rest.is_empty() {
            let (digit, worth) = DIGITS.iter().find(|(d, _)| rest.starts_with(d))?;
            total += worth;
            rest = &rest[digit.len()..];
        }
        Some(total)
    };
    let canonical = |mut n: u32| {
        let mut out = String::new();
        for (digit, worth) in DIGITS {
            while n >= worth {
                out.push_str(digit);
                n -= worth;
            }
        }
        out
    };
    matches!(value(text), Some(n) if n > 0 && n < 400 && canonical(n) == text)
}

/// A page's characters as pieces placed top-down (PDF space has `y` growing up the page).
/// Characters rather than pdf_oxide's spans: its spans run some fonts' words together
/// (`3AProblem:DVIPS`), where the gaps between characters show the spaces (word recall 0.976
/// with spans, 0.982 with characters, and 2.9 times faster: BENCHMARKS.md).
fn pieces(chars: &[pdf_oxide::layout::TextChar]) -> Vec<Piece> {
    // The last font asked about, and whether it is fixed-pitch: runs of characters share one.
    let mut last_font: Option<(&str, bool)> = None;
    let mut pieces: Vec<Piece> = chars
        .iter()
        .map(|c| {
            let monospace = match last_font {
                Some((font, answer)) if font == c.font_name => answer,
                _ => {
                    let answer = is_monospace_font(&c.font_name);
                    last_font = Some((&c.font_name, answer));
                    answer
                }
            };
            let height = if c.bbox.height > 0.0 {
                c.bbox.height
            } else {
                c.font_size
            };
            Piece {
                text: c.char,
                x: c.bbox.x,
                y: -(c.bbox.y + height),
                width: c.bbox.width,
                height,
                sideways: is_sideways(c.rotation_degrees),
                // pdf_oxide gives 90 for text turned counter-clockwise, read up the page.
                upward: (60.0..=120.0).contains(&c.rotation_degrees.rem_euclid(360.0)),
                monospace: c.is_monospace || monospace,
            }
        })
        .collect();
    utf8_read_byte_by_byte(&mut pieces);
    ligatures_set_right_to_left(&mut pieces);
    pieces
}

/// Text pdf_oxide decodes as its UTF-8 bytes read one by one: a glyph whose text the document
/// gives as an `ActualText` string (LibreOffice does so for a no-break space or a joiner)
/// comes out as one character a byte, read as Latin-1 or Windows-1252 (`Â` and a no-break
/// space for U+00A0, `Ã©` for `é`, `æ–‡` for `文`), each byte a glyph of its own placed after
/// the one before, the later ones inside the next glyphs (`articleÂL .` for `article L.`).
/// Such a group is told by its shape (a UTF-8 lead byte, then its continuation bytes, each on
/// the baseline of the first, about as wide, just where the one before ends) and made the one
/// character it encodes, where the first stood, as wide as its bytes; the characters of one
/// string follow one another from where it starts. A lead byte whose continuations are lost (bytes no font
/// glyph shows), drawn with no width before a letter, was an invisible character (`lychee‍s`
/// drawn `lycheeâs`): it goes.
fn utf8_read_byte_by_byte(pieces: &mut Vec<Piece>) {
    let mut stray = vec![false; pieces.len()];
    // The last character decoded, and where the bytes it was decoded from ended.
    let mut last_decoded: Option<(usize, f32)> = None;
    for at in 0..pieces.len() {
        let Some(lead) = latin_byte(pieces[at].text) else {
            continue;
        };
        let continuations = match lead {
            0xC2..=0xDF => 1,
            0xE0..=0xEF => 2,
            0xF0..=0xF4 => 3,
            _ => continue,
        };
        // In a fixed-pitch font every glyph is as wide as the next and just beside it.
        if stray[at] || pieces[at].monospace {
            continue;
        }
        let mut bytes = vec![lead];
        let mut parts = Vec::new();
        let mut last = &pieces[at];
        let near = pieces.iter().enumerate().skip(at + 1);
        for (n, part) in near.take(4 * continuations) {
            let byte = latin_byte(part.text).filter(|b| (0x80..=0xBF).contains(b));
            if let Some(byte) = byte.filter(|_| !stray[n] && parts_of_one_glyph(last, part)) {
                bytes.push(byte);
                parts.push(n);
                last = part;
                if parts.len() == continuations {
                    break;
                }
            }
        }
        let bytes_end = last.x + last.width;
        let decoded = std::str::from_utf8(&bytes)
            .ok()
            .and_then(|s| s.chars().next())
            .filter(|_| parts.len() == continuations);
        let Some(decoded) = decoded else {
            if lost_continuations(pieces, at) {
                stray[at] = true;
            }
            continue;
        };
        // The character spans its bytes; the next one of the string the one before was
        // decoded from starts just after that one's start (its bytes may lie over the next
        // glyphs), its end kept (a glyph that is each of its own is as wide as it was).
        let chained = last_decoded.is_some_and(|(before, end)| {
            (pieces[at].x - end).abs() < 0.01 && pieces[at].y == pieces[before].y
        });
        if let (true, Some((before, _))) = (chained, last_decoded) {
            pieces[at].x = pieces[before].x + 0.01;
        }
        pieces[at].text = decoded;
        pieces[at].width = match decoded.is_whitespace() {
            true => 0.0,
            false => bytes_end - pieces[at].x,
        };
        last_decoded = Some((at, bytes_end));
        for n in parts {
            stray[n] = true;
        }
    }
    let mut index = 0;
    pieces.retain(|_| {
        index += 1;
        !stray[index - 1]
    });
}

/// The byte a character stands for when a byte was read as Latin-1 (U+0080–U+00FF, the C1
/// controls included) or as Windows-1252 (`€`, `‚`, `–`, `‡`, … for 0x80–0x9F); `None` for
/// any other character.
fn latin_byte(c: char) -> Option<u8> {
    const WINDOWS_1252: [(char, u8); 27] = [
        ('€', 0x80),
        ('‚', 0x82),
        ('ƒ', 0x83),
        ('„', 0x84),
        ('…', 0x85),
        ('†', 0x86),
        ('‡', 0x87),
        ('ˆ', 0x88),
        ('‰', 0x89),
        ('Š', 0x8A),
        ('‹', 0x8B),
        ('Œ', 0x8C),
        ('Ž', 0x8E),
        ('‘', 0x91),
        ('’', 0x92),
        ('“', 0x93),
        ('”', 0x94),
        ('•', 0x95),
        ('–', 0x96),
        ('—', 0x97),
        ('˜', 0x98),
        ('™', 0x99),
        ('š', 0x9A),
        ('›', 0x9B),
        ('œ', 0x9C),
        ('ž', 0x9E),
        ('Ÿ', 0x9F),
    ];
    match u32::from(c) {
        // (Most of a page is ASCII: told at once, as every glyph is asked about.)
        0..=0x7F => None,
        0x80..=0xFF => u8::try_from(u32::from(c)).ok(),
        _ => WINDOWS_1252
            .iter()
            .find(|(windows, _)| *windows == c)
            .map(|(_, byte)| *byte),
    }
}

/// Whether the lead byte at `at` stands alone, its continuation bytes lost: the next
/// character is a letter on its baseline, drawn where it is (no width between them).
fn lost_continuations(pieces: &[Piece], at: usize) -> bool {
    let lead = &pieces[at];
    pieces.get(at + 1).is_some_and(|next| {
        next.y == lead.y && (next.x - lead.x).abs() < 0.01 && next.text.is_alphanumeric()
    })
}

/// Whether `b` is the part of a glyph after `a`, as pdf_oxide splits a glyph that stands for
/// several characters: on one baseline, of about one width (within 2%: the width of a byte's
/// glyph in the font may stand in for the share), `b` just where `a` ends.
fn parts_of_one_glyph(a: &Piece, b: &Piece) -> bool {
    let widths = (a.width - b.width).abs() <= 0.02 * a.width.max(b.width) + 0.01;
    widths && (b.x - (a.x + a.width)).abs() < 0.01 && a.y == b.y
}

/// The letters of one Arabic ligature glyph (lam-alef, the word Allah) placed right to left
/// across the glyph: pdf_oxide splits a glyph that stands for several characters into equal
/// parts in the order the characters are written, left to right, which reading the line from
/// the right (`order`) would turn round (`ال` for `لا`).
fn ligatures_set_right_to_left(pieces: &mut [Piece]) {
    const LIGATURES: [&str; 5] = ["الله", "لا", "لأ", "لإ", "لآ"];
    let mut at = 0;
    while at < pieces.len() {
        // In a fixed-pitch font every glyph is as wide as the next and just beside it.
        if !matches!(pieces[at].text, 'ل' | 'ا') || pieces[at].monospace {
            at += 1;
            continue;
        }
        let found = LIGATURES.iter().find(|ligature| {
            let n = ligature.chars().count();
            let group = &pieces[at..pieces.len().min(at + n)];
            group.len() == n
                && group.iter().map(|p| p.text).eq(ligature.chars())
                && group
                    .windows(2)
                    .all(|pair| parts_of_one_glyph(&pair[0], &pair[1]))
        });
        let Some(n) = found.map(|ligature| ligature.chars().count()) else {
            at += 1;
            continue;
        };
        let xs: Vec<f32> = pieces[at..at + n].iter().map(|p| p.x).collect();
        for (piece, x) in pieces[at..at + n].iter_mut().zip(xs.into_iter().rev()) {
            piece.x = x;
        }
        at += n;
    }
}

/// Whether a font is fixed-pitch by its name (pdf_oxide does not read the font descriptor's
/// flag for characters): Courier, TeX's typewriter fonts (Computer Modern's and CM-Super's,
/// Latin Modern's, TX fonts', EC), DejaVu/Liberation Mono, Consolas.
fn is_monospace_font(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "mono",
        "courier",
        "consol",
        "typewriter",
        "cmtt",
        "cmitt",
        "cmsltt",
        "sftt",
        "ectt",
        "xtt",
        "txbtt",
        "lmtt",
        "menlo",
        "monaco",
        "fixed",
    ]
    .iter()
    .any(|family| name.contains(family))
}

/// Whether a character turned by `degrees` runs down or up the page (within 30 degrees of it).
fn is_sideways(degrees: f32) -> bool {
    let turn = degrees.rem_euclid(180.0);
    (60.0..=120.0).contains(&turn)
}

/// The document information dictionary's `/Title`, when it has a non-blank one.
fn title(document: &PdfDocument) -> Option<String> {
    let resolve = |object: &Object| match object.as_reference() {
        Some(reference) => document.load_object(reference).ok(),
        None => Some(object.clone()),
    };
    let info = resolve(document.trailer().as_dict()?.get("Info")?)?;
    let title = resolve(info.as_dict()?.get("Title")?)?;
    let text = text_string(title.as_string()?);
    let text = layout::fold(text.trim());
    let text = text.trim_end_matches('\u{ad}');
    (!text.is_empty()).then(|| text.to_string())
}

/// A PDF text string: UTF-16BE after a byte-order mark, UTF-8 after one, else PDFDocEncoding
/// (read as Latin-1, which it matches for letters).
fn text_string(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = utf16
            .chunks_exact(2)
            .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(utf8) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(utf8).into_owned();
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pieces drawn at `(character, x, width)`, as [`piece`] draws each.
    fn glyphs_at(drawn: &[(char, f32, f32)]) -> Vec<Piece> {
        drawn
            .iter()
            .map(|&(c, x, width)| piece(c, x, width))
            .collect()
    }

    /// A character `width` wide at `x` on one baseline, in 12-point type.
    fn piece(text: char, x: f32, width: f32) -> Piece {
        Piece {
            text,
            x,
            y: 0.0,
            width,
            height: 12.0,
            sideways: false,
            upward: false,
            monospace: false,
        }
    }

    /// The pieces' text after [`utf8_read_byte_by_byte`], in their order.
    fn read_back(pieces: &mut Vec<Piece>) -> String {
        utf8_read_byte_by_byte(pieces);
        pieces.iter().map(|p| p.text).collect()
    }

    #[test]
    fn text_strings_decode_by_their_mark() {
        assert_eq!(text_string(b"\xFE\xFF\x00A\x00\xe9"), "Aé");
        assert_eq!(text_string(b"Caf\xe9"), "Café");
        assert_eq!(text_string(b"\xEF\xBB\xBFna\xc3\xafve"), "naïve");
    }

    #[test]
    fn running_page_numbers_are_recognised() {
        for number in [
            "12",
            "-2-",
            "– 7 –",
            "Page 3",
            "page 3 of 10",
            "xii",
            "3 of 10",
        ] {
            assert!(is_page_number(number), "{number}");
        }
        for text in ["12 monkeys", "Chapter 2", "", "-", "civil", "2024-2025"] {
            assert!(!is_page_number(text), "{text}");
        }
    }

    #[test]
    fn text_decoded_a_byte_at_a_time_is_read_as_utf8() {
        // `café` whose `é` came out as `Ã©`, two halves of its glyph; and a real `Ã` beside
        // a `©` of another width, left alone.
        let mut pieces = glyphs_at(&[
            ('c', 0.0, 5.0),
            ('a', 5.0, 5.0),
            ('f', 10.0, 5.0),
            ('Ã', 15.0, 4.0),
            ('©', 19.0, 4.0),
            ('Ã', 40.0, 7.0),
            ('©', 47.0, 9.0),
        ]);
        assert_eq!(read_back(&mut pieces), "caféÃ©");
        // Three bytes (`€`), and a lead drawn twice over one continuation (taken once).
        let mut pieces = glyphs_at(&[
            ('â', 0.0, 3.0),
            ('\u{82}', 3.0, 3.0),
            ('¬', 6.0, 3.0),
            ('Ã', 20.0, 4.0),
            ('Ã', 20.0, 4.0),
            ('©', 24.0, 4.0),
        ]);
        assert_eq!(read_back(&mut pieces), "€éÃ");
        // In a fixed-pitch font, letters that only look like the parts of one glyph.
        let mut pieces = vec![
            Piece {
                monospace: true,
                ..piece('é', 0.0, 6.0)
            },
            Piece {
                monospace: true,
                ..piece('\u{a0}', 6.0, 6.0)
            },
            Piece {
                monospace: true,
                ..piece('»', 12.0, 6.0)
            },
        ];
        assert_eq!(read_back(&mut pieces), "é\u{a0}»");
    }

    #[test]
    fn a_string_of_several_characters_read_a_byte_at_a_time_is_read_as_utf8() {
        // `Alpha 中文 beta` where `中文` is the text of one glyph at 110: its six bytes come
        // out as Latin-1 and Windows-1252 characters (`ä¸­æ–‡`) placed one after the other
        // over `beta`, between its letters (pdf_oxide gives them in x order); the byte glyphs'
        // widths differ a little.
        let at = |text: &str, from: f32, width: f32| -> Vec<Piece> {
            let step = |(i, c): (usize, char)| piece(c, from + width * i as f32, width);
            text.chars().enumerate().map(step).collect()
        };
        let mut pieces = at("Alpha ", 72.0, 6.0);
        pieces.extend([
            piece('ä', 110.0, 6.6),
            piece('¸', 116.6, 6.6),
            piece(' ', 120.0, 3.3),
            piece('\u{AD}', 123.2, 6.6),
            piece('b', 123.3, 6.7),
            piece('æ', 129.8, 6.6),
            piece('e', 130.0, 6.7),
            piece('–', 136.4, 6.67),
            piece('t', 136.7, 3.3),
            piece('a', 140.0, 6.7),
            piece('‡', 143.07, 6.6),
            piece(' ', 146.7, 3.3),
        ]);
        utf8_read_byte_by_byte(&mut pieces);
        pieces.sort_by(|a, b| a.x.total_cmp(&b.x));
        let text: String = pieces.iter().map(|p| p.text).collect();
        assert_eq!(text, "Alpha 中文 beta ");
        // A joiner whose continuation bytes no glyph shows: its lead alone, where the next
        // letter is drawn; a real `â` is drawn beside the next letter.
        let mut pieces = glyphs_at(&[
            ('e', 0.0, 5.0),
            ('â', 5.0, 6.0),
            ('s', 5.0, 4.0),
            ('p', 20.0, 5.0),
            ('â', 25.0, 5.0),
            ('t', 30.0, 3.0),
        ]);
        assert_eq!(read_back(&mut pieces), "espât");
        // Glyphs that are each a string of their own (`éé` then `x`): each as wide as it was
        // drawn, no gap before the next glyph.
        let mut pieces = glyphs_at(&[
            ('Ã', 0.0, 3.0),
            ('©', 3.0, 3.0),
            ('Ã', 6.0, 3.0),
            ('©', 9.0, 3.0),
            ('x', 12.0, 5.0),
        ]);
        assert_eq!(read_back(&mut pieces), "ééx");
        let right = |p: &Piece| p.x + p.width;
        assert!((right(&pieces[1]) - 12.0).abs() < 0.01, "{pieces:?}");
        assert!(pieces[0].x < pieces[1].x && right(&pieces[0]) > pieces[1].x);
        assert_eq!(order::lines(pieces)[0].text, "ééx");
    }

    #[test]
    fn a_lam_alef_ligature_is_read_lam_then_alef() {
        // `سلام` drawn right to left: meem, the lam-alef glyph (pdf_oxide splits it into a lam
        // and an alef of equal widths, left to right), seen.
        let drawn = |alef_width: f32| {
            vec![
                piece('م', 0.0, 6.0),
                piece('ل', 6.0, 4.0),
                piece('ا', 10.0, alef_width),
                piece('س', 10.0 + alef_width, 6.0),
            ]
        };
        let mut pieces = drawn(4.0);
        ligatures_set_right_to_left(&mut pieces);
        let lines = order::lines(pieces);
        assert_eq!(lines[0].text, "سلام");
        // A lam and an alef of their own (the article `ال`, drawn left to right as `لا`): as
        // they stand.
        let mut pieces = drawn(3.0);
        ligatures_set_right_to_left(&mut pieces);
        assert_eq!(order::lines(pieces)[0].text, "سالم");
    }

    #[test]
    fn page_numbers_go_and_numbered_headings_stay() {
        let line = |text: &str, size: f32| Line {
            text: text.into(),
            x: 0.0,
            right: 100.0,
            top: 0.0,
            bottom: size,
            size,
            rtl: false,
            monospace: false,
        };
        let page = |first: Line, last: Line| {
            vec![
                vec![first],
                vec![line("body text", 10.0), line("more body", 10.0)],
                vec![last],
            ]
        };
        let mut numbered = page(line("12", 10.0), line("- 13 -", 9.0));
        drop_page_numbers(&mut numbered);
        assert_eq!(numbered.len(), 1);
        let mut headed = page(line("IV", 18.0), line("2019", 14.0));
        drop_page_numbers(&mut headed);
        let texts: Vec<&str> = headed.iter().map(|p| p[0].text.as_str()).collect();
        assert_eq!(texts, ["IV", "body text", "2019"]);
        // A number in 12 points over a 10-point body is a page number.
        let mut larger = page(line("7", 12.0), line("8", 12.0));
        drop_page_numbers(&mut larger);
        assert_eq!(larger.len(), 1);
        // A page mostly of small-type footnotes: its 10-point number over 10-point body text.
        let mut notes = vec![
            vec![line("- 2 -", 10.0)],
            vec![line("body text", 10.0), line("more body", 10.0)],
            (0..6).map(|_| line("a footnote", 8.0)).collect(),
        ];
        drop_page_numbers(&mut notes);
        assert_eq!(notes[0][0].text, "body text");
    }

    #[test]
    fn running_heads_and_feet_are_kept_once() {
        let line = |text: &str| Line {
            text: text.into(),
            x: 0.0,
            right: 100.0,
            top: 0.0,
            bottom: 10.0,
            size: 10.0,
            rtl: false,
            monospace: false,
        };
        let page = |first: &str, body: &str, last: &str| {
            vec![
                vec![line(first)],
                vec![line(body), line(body)],
                vec![line(last)],
            ]
        };
        let texts = |pages: &[Vec<Vec<Line>>]| -> Vec<Vec<String>> {
            (pages.iter())
                .map(|page| page.iter().map(|p| p[0].text.clone()).collect())
                .collect()
        };
        // A head numbered apart on two pages; a foot alike on three; a first line that only
        // two pages share, with no number, stays (two pages may open alike).
        let mut pages = vec![
            page("Survey", "one", "Draft only"),
            page("Survey -2- Draft", "two", "Draft only"),
            page("Survey -3- Draft", "three", "Draft only"),
            page("Survey -4- Draft", "four", "Draft only"),
        ];
        drop_running_heads(&mut pages);
        assert_eq!(
            texts(&pages),
            [
                vec!["Survey", "one", "Draft only"],
                vec!["Survey -2- Draft", "two"],
                vec!["three"],
                vec!["four"]
            ]
        );
        let mut alike = vec![page("Name Age", "one", "x"), page("Name Age", "two", "y")];
        drop_running_heads(&mut alike);
        assert_eq!(texts(&alike)[1], ["Name Age", "two", "y"]);
        // Chapters opening pages: their numbers do not count the pages.
        let mut chapters = vec![
            page("Chapter 1", "one", "a"),
            page("Chapter 2", "two", "b"),
            page("text", "three", "c"),
            page("Chapter 3", "four", "d"),
        ];
        drop_running_heads(&mut chapters);
        let firsts: Vec<String> = texts(&chapters).iter().map(|p| p[0].clone()).collect();
        assert_eq!(firsts, ["Chapter 1", "Chapter 2", "text", "Chapter 3"]);
    }

    #[test]
    fn fixed_pitch_fonts_are_known_by_name() {
        for font in [
            "Courier",
            "ABCDEF+CMTT10",
            "NAZDGG+SFTT1200",
            "t1xtt",
            "LiberationMono",
            "DejaVuSansMono-Bold",
        ] {
            assert!(is_monospace_font(font), "{font}");
        }
        for font in ["Times-Roman", "BAAAAA+LiberationSerif", "CMR10"] {
            assert!(!is_monospace_font(font), "{font}");
        }
    }

    #[test]
    fn what_is_not_a_pdf_is_said_so() {
        assert_eq!(
            pdf(b"hello").unwrap_err(),
            "not a PDF file (no %PDF- header)"
        );
        let damaged = pdf(b"%PDF-1.4\n garbage").unwrap_err();
        assert!(damaged.starts_with("damaged PDF file"), "{damaged}");
    }
}
