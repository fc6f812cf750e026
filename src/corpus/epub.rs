//! EPUB books: a zip archive whose package document (found through
//! `META-INF/container.xml`) lists the chapters in reading order (the spine). Each chapter's
//! XHTML is read by the HTML reader (its main content, headings giving sections); a paragraph's
//! `section` is its chapter's title from the book's table of contents (EPUB 3 navigation
//! document, or EPUB 2 NCX) followed by its headings. The book's `dc:title` is the title.
//! Chapters marked non-linear (`linear="no"`: notes, pop-ups) are left out, and so are spine
//! items that are not XHTML (an image) and chapters encrypted by DRM (named in
//! `META-INF/encryption.xml`; fonts obfuscated as EPUB allows are no matter): the book is read
//! in part, or reported as encrypted when no chapter can be read.

use std::collections::{HashMap, HashSet};

use super::archive::Archive;
use super::sections::nested;
use super::xml::{self, attribute, name, Step};
use super::{html, ParseOptions, Parsed};

/// A book's package document: its title, manifest and spine.
#[derive(Default)]
struct Package {
    title: Option<String>,
    /// Manifest item id → (path in the archive, properties).
    items: HashMap<String, (String, String)>,
    /// Manifest item ids whose media type says they are not XHTML (images, fonts, audio).
    not_xhtml: HashSet<String>,
    /// Item ids of the linear spine, in reading order.
    spine: Vec<String>,
    /// The NCX table of contents' item id (EPUB 2).
    ncx: Option<String>,
}

/// Reads an EPUB file's paragraphs and title, and what was left out when chapters are
/// encrypted.
pub fn epub(bytes: &[u8], options: ParseOptions) -> Result<(Parsed, Option<String>), String> {
    let mut archive = Archive::open(bytes, "EPUB")?;
    archive.expect_type("application/epub+zip", "an EPUB book")?;
    let container = archive
        .text("META-INF/container.xml")?
        .ok_or("not an EPUB book (no META-INF/container.xml)")?;
    let opf_path = rootfile(&container).ok_or("damaged EPUB file (no package document named)")?;
    let opf = archive
        .text(&opf_path)?
        .ok_or_else(|| format!("damaged EPUB file (no package document {opf_path})"))?;
    let package = package(&opf, parent(&opf_path))?;
    let titles = chapter_titles(&mut archive, &package)?;
    let encrypted = match archive.text("META-INF/encryption.xml")? {
        Some(xml) => encrypted_files(&xml),
        None => HashSet::new(),
    };
    let (mut chapters, mut locked) = (0, 0);
    let mut left_out = Vec::new();
    let mut paragraphs = Vec::new();
    // A chapter is read once, however often the spine names it, and the chapters together
    // stay within the limit one member has: a small book naming a large chapter hundreds of
    // times must not make ingest hold gigabytes.
    let (mut read, mut total) = (HashSet::new(), 0u64);
    let mut missing: Vec<&str> = Vec::new();
    for id in &package.spine {
        let Some((path, _)) = package.items.get(id) else {
            continue;
        };
        if package.not_xhtml.contains(id) || !read.insert(path.as_str()) {
            continue;
        }
        chapters += 1;
        if encrypted.contains(path.as_str()) {
            locked += 1;
            continue;
        }
        let Some(chapter) = archive.text(path)? else {
            // Named by the book but not in it (a damaged archive, or a name outside it).
            missing.push(path.as_str());
            continue;
        };
        total += chapter.len() as u64;
        if total > super::MAX_EXTRACTED_BYTES {
            return Err(format!(
                "its chapters decompress to more than {} MiB",
                super::MAX_EXTRACTED_BYTES >> 20
            ));
        }
        if let Some(reason) = super::too_many_tags(&chapter) {
            left_out.push(format!("its chapter {path} was left out: {reason}"));
            continue;
        }
        let chapter_title = titles.files.get(path.as_str()).map(String::as_str);
        let anchored = anchor_starts(&chapter, titles.anchors.get(path.as_str()));
        let (_, found) = html::parse(&chapter, options.whole_html);
        paragraphs.extend(found.into_iter().map(|mut p| {
            // The title of the last contents entry whose anchor the paragraph is at or after,
            // unless its own headings already give it (a subsection's entry, `Tides`, over
            // `Results > Tides`; a chapter's, `Chapter 2`, over its heading `Chapter 2`).
            let in_path = |title: &str| {
                (p.section.as_deref())
                    .is_some_and(|path| path.split(" > ").any(|part| part == title))
            };
            // (Anchors are in order: a binary search, not a walk, for each paragraph.)
            let before = anchored.partition_point(|(at, _)| *at <= p.start);
            let nearest = before.checked_sub(1).map(|at| anchored[at].1.as_str());
            let title = match nearest {
                Some(title) if in_path(title) => None,
                Some(title) => Some(title),
                None => chapter_title,
            };
            p.section = nested(title, p.section.take());
            p.line = 0;
            p.start = 0;
            p
        }));
        if paragraphs.len() > super::MAX_DOCUMENT_PARAGRAPHS {
            paragraphs.truncate(super::MAX_DOCUMENT_PARAGRAPHS);
            left_out.push(super::too_many_paragraphs());
            break;
        }
    }
    // Said in one line however many are missing (a damaged book may list hundreds).
    match missing.as_slice() {
        [] => {}
        [path] => left_out.push(format!(
            "its chapter {path} was left out: the archive does not hold it"
        )),
        [first, ..] => left_out.push(format!(
            "{} of its chapters were left out: the archive does not hold them (the first: \
             {first})",
            missing.len()
        )),
    }
    if locked > 0 && locked == chapters {
        return Err("EPUB is encrypted (DRM): its chapters cannot be read".into());
    }
    for (i, p) in paragraphs.iter_mut().enumerate() {
        p.number = i as u64 + 1;
    }
    if locked > 0 {
        let (verb, left) = if locked == 1 {
            ("is", "was")
        } else {
            ("are", "were")
        };
        let note = format!(
            "{locked} of its {chapters} chapters {verb} encrypted (DRM) and {left} left out"
        );
        left_out.insert(0, note);
    }
    left_out.extend(archive.replaced_note());
    let damaged = (!left_out.is_empty()).then(|| left_out.join("; "));
    let parsed = Parsed {
        title: package.title,
        paragraphs,
    };
    Ok((parsed, damaged))
}

/// Encryption methods that only obfuscate fonts (IDPF's and Adobe's): the text is not locked.
const FONT_OBFUSCATION: [&str; 2] = [
    "http://www.idpf.org/2008/embedding",
    "http://ns.adobe.com/pdf/enc#RC",
];

/// The archive paths `META-INF/encryption.xml` says are encrypted, fonts obfuscated by
/// [`FONT_OBFUSCATION`] aside.
fn encrypted_files(encryption: &str) -> HashSet<String> {
    let mut files = HashSet::new();
    let mut obfuscation = false;
    let _ = xml::walk(encryption, |step| {
        let Step::Open(e) = step else { return };
        match name(e) {
            b"EncryptedData" => obfuscation = false,
            b"EncryptionMethod" => {
                let algorithm = attribute(e, b"Algorithm").unwrap_or_default();
                obfuscation = FONT_OBFUSCATION.contains(&algorithm.as_str());
            }
            b"CipherReference" if !obfuscation => {
                files.extend(attribute(e, b"URI").map(|uri| resolve("", &uri)));
            }
            _ => {}
        }
    });
    files
}

/// The package document's path, from `container.xml`.
fn rootfile(container: &str) -> Option<String> {
    let mut path = None;
    let _ = xml::walk(container, |step| {
        if let Step::Open(e) = step {
            if name(e) == b"rootfile" && path.is_none() {
                path = attribute(e, b"full-path");
            }
        }
    });
    path
}

/// Reads the package document at directory `dir` of the archive.
fn package(opf: &str, dir: &str) -> Result<Package, String> {
    let mut package = Package {
        title: xml::first_text(opf, b"title"),
        ..Package::default()
    };
    xml::walk(opf, |step| {
        let Step::Open(e) = step else { return };
        match name(e) {
            b"item" => {
                if let (Some(id), Some(href)) = (attribute(e, b"id"), attribute(e, b"href")) {
                    let properties = attribute(e, b"properties").unwrap_or_default();
                    let media_type = attribute(e, b"media-type").unwrap_or_default();
                    if !media_type.is_empty() && !is_xhtml(&media_type) {
                        package.not_xhtml.insert(id.clone());
                    }
                    package.items.insert(id, (resolve(dir, &href), properties));
                }
            }
            b"itemref" if attribute(e, b"linear").as_deref() != Some("no") => {
                package.spine.extend(attribute(e, b"idref"));
            }
            b"spine" => package.ncx = attribute(e, b"toc"),
            _ => {}
        }
    })
    .map_err(|e| format!("damaged EPUB package document ({e})"))?;
    Ok(package)
}

/// Whether a manifest media type is one the HTML reader reads (XHTML, or HTML in sloppy books).
fn is_xhtml(media_type: &str) -> bool {
    let media_type = media_type.trim().to_ascii_lowercase();
    media_type.starts_with("application/xhtml+xml") || media_type.starts_with("text/html")
}

/// Each chapter file's title (the first table-of-contents entry pointing into it): from the
/// EPUB 3 navigation document, else the EPUB 2 NCX.
fn chapter_titles(archive: &mut Archive<'_>, package: &Package) -> Result<Toc, String> {
    let nav = package
        .items
        .values()
        .find(|(_, properties)| properties.split_whitespace().any(|p| p == "nav"));
    if let Some((path, _)) = nav {
        if let Some(text) = archive.text(path)? {
            return Ok(toc_entries(&text, parent(path), b"a", b"href"));
        }
    }
    let ncx = package.ncx.as_ref().and_then(|id| package.items.get(id));
    if let Some((path, _)) = ncx {
        if let Some(text) = archive.text(path)? {
            return Ok(toc_entries(&text, parent(path), b"navPoint", b"src"));
        }
    }
    Ok(Toc::default())
}

/// A book's table of contents: the title of each file (its first entry), and the entries that
/// point into a file at an anchor (`all.xhtml#ch2`: chapters sharing a file), by file, in the
/// contents' order.
#[derive(Debug, Default)]
struct Toc {
    files: HashMap<String, String>,
    anchors: HashMap<String, Vec<(String, String)>>,
}

/// Where in `chapter` each of its `anchors` (fragment, title) is: the start of the element
/// whose `id` it names, with the title, in the order they stand; anchors not found are left
/// out.
fn anchor_starts(chapter: &str, anchors: Option<&Vec<(String, String)>>) -> Vec<(usize, String)> {
    let Some(anchors) = anchors.filter(|anchors| !anchors.is_empty()) else {
        return Vec::new();
    };
    let ids = element_ids(chapter);
    let mut found: Vec<(usize, String)> = (anchors.iter())
        .filter_map(|(fragment, title)| {
            let at = ids.get(percent_decode(fragment).as_str())?;
            Some((*at, title.clone()))
        })
        .collect();
    found.sort_by_key(|(at, _)| *at);
    found
}

/// Where each `id` of `chapter` is: the start of the element whose attribute (` id="…"` or
/// ` id='…'`) it is, the first such element for an id written twice. One pass over the text.
fn element_ids(chapter: &str) -> HashMap<&str, usize> {
    let mut ids = HashMap::new();
    for (at, _) in chapter.match_indices("id=") {
        let attribute = chapter[..at].ends_with(|c: char| c.is_ascii_whitespace());
        let rest = &chapter[at + 3..];
        let Some(quote) = rest.chars().next().filter(|q| matches!(q, '"' | '\'')) else {
            continue;
        };
        let Some(end) = rest[1..].find(quote) else {
            continue;
        };
        if attribute {
            let element = chapter[..at].rfind('<').unwrap_or(at);
            ids.entry(&rest[1..1 + end]).or_insert(element);
        }
    }
    ids
}

/// Table-of-contents entries: the text of each `entry` element (a nav document's `<a href>`, an
/// NCX `navPoint`, whose `content src` names the target), by target file. The first entry for
/// a file titles it; an NCX entry's text is its own label's, not its children's. Entries with
/// an anchor are also listed by file, in order (see [`Toc`]).
fn toc_entries(toc: &str, dir: &str, entry: &[u8], target: &[u8]) -> Toc {
    // Each title with the number of its entry in document order: an entry nested in another
    // closes first (an NCX `navPoint` holds its children), but the outer one comes first.
    let mut titles: HashMap<String, (usize, String)> = HashMap::new();
    // Entries with an anchor, by file: number, fragment, title.
    let mut anchors: HashMap<String, Vec<(usize, String, String)>> = HashMap::new();
    let mut open: Vec<(Option<String>, String, usize)> = Vec::new();
    let mut opened = 0;
    let in_label = |open: &[(Option<String>, String, usize)]| !open.is_empty();
    let mut label_depth = 0usize;
    let _ = xml::walk(toc, |step| match step {
        Step::Open(e) if name(e) == entry => {
            opened += 1;
            open.push((attribute(e, target), String::new(), opened));
        }
        Step::Open(e) if name(e) == b"content" => {
            if let (Some(last), Some(src)) = (open.last_mut(), attribute(e, b"src")) {
                last.0.get_or_insert(src);
            }
        }
        Step::Open(e) if name(e) == b"navLabel" => label_depth += 1,
        Step::Close(n) if n == b"navLabel" => label_depth = label_depth.saturating_sub(1),
        Step::Text(t) if in_label(&open) && (entry == b"a" || label_depth > 0) => {
            if let Some((_, text, _)) = open.last_mut() {
                text.push_str(&t);
            }
        }
        Step::Close(n) if n == entry => {
            if let Some((Some(href), text, number)) = open.pop() {
                let (file, fragment) = href.split_once('#').unwrap_or((&href, ""));
                let text = xml::collapse(&text);
                if !file.is_empty() && !text.is_empty() {
                    let path = resolve(dir, file);
                    if !fragment.is_empty() {
                        let listed = anchors.entry(path.clone()).or_default();
                        listed.push((number, fragment.to_string(), text.clone()));
                    }
                    let title = titles.entry(path).or_insert((number, text.clone()));
                    if number < title.0 {
                        *title = (number, text);
                    }
                }
            }
        }
        _ => {}
    });
    let files = titles
        .into_iter()
        .map(|(file, (_, title))| (file, title))
        .collect();
    let anchors = anchors
        .into_iter()
        .map(|(file, mut entries)| {
            entries.sort_by_key(|(number, _, _)| *number);
            let entries = (entries.into_iter()).map(|(_, fragment, title)| (fragment, title));
            (file, entries.collect())
        })
        .collect();
    Toc { files, anchors }
}

/// The directory part of an archive path (`OEBPS/content.opf` → `OEBPS`).
fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |slash| &path[..slash])
}

/// The archive path of `href` (percent-encoded, relative) seen from directory `dir`.
fn resolve(dir: &str, href: &str) -> String {
    let href = percent_decode(href);
    let mut parts: Vec<&str> = if href.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for part in href.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

/// `%20` and the like decoded (invalid escapes kept as written).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::corpus::archive::stored_zip as book;

    #[test]
    fn chapters_in_one_file_take_the_titles_of_their_anchors() {
        let container =
            r#"<container><rootfiles><rootfile full-path="book.opf"/></rootfiles></container>"#;
        let opf = r#"<package><manifest><item id="a" href="all.xhtml"/>
            <item id="ncx" href="toc.ncx"/></manifest>
            <spine toc="ncx"><itemref idref="a"/></spine></package>"#;
        let ncx = r#"<ncx><navMap>
            <navPoint><navLabel><text>Chapter I. Loomings</text></navLabel>
            <content src="all.xhtml#ch1"/></navPoint>
            <navPoint><navLabel><text>Chapter II. The Carpet-Bag</text></navLabel>
            <content src="all.xhtml#ch%202"/></navPoint></navMap></ncx>"#;
        let chapters = "<html><body><p>A preface.</p><h2 id=\"ch1\">CHAPTER I</h2>\
            <p>Call me Ishmael.</p><h2 class='x' id='ch 2'>CHAPTER II</h2>\
            <p>I stuffed a shirt or two.</p></body></html>";
        let bytes = book(&[
            ("mimetype", "application/epub+zip"),
            ("META-INF/container.xml", container),
            ("book.opf", opf),
            ("toc.ncx", ncx),
            ("all.xhtml", chapters),
        ]);
        // The chapters' entries nested in a part's, which names the file itself: the same, but
        // for the text before the first chapter, the part's.
        let nested_ncx = ncx
            .replace("<navMap>", "<navMap><navPoint><navLabel><text>Part One</text></navLabel><content src=\"all.xhtml\"/>")
            .replace("</navMap>", "</navPoint></navMap>");
        let nested = book(&[
            ("mimetype", "application/epub+zip"),
            ("META-INF/container.xml", container),
            ("book.opf", opf),
            ("toc.ncx", &nested_ncx),
            ("all.xhtml", chapters),
        ]);
        let (parsed, _) = epub(&bytes, ParseOptions::default()).unwrap();
        let (in_part, _) = epub(&nested, ParseOptions::default()).unwrap();
        assert_eq!(in_part.paragraphs[1..], parsed.paragraphs[1..]);
        assert_eq!(in_part.paragraphs[0].section.as_deref(), Some("Part One"));
        let sections: Vec<(&str, Option<&str>)> = (parsed.paragraphs.iter())
            .map(|p| (p.text.as_str(), p.section.as_deref()))
            .collect();
        assert_eq!(
            sections,
            [
                ("A preface.", Some("Chapter I. Loomings")),
                ("CHAPTER I", Some("Chapter I. Loomings")),
                ("Call me Ishmael.", Some("Chapter I. Loomings > CHAPTER I")),
                ("CHAPTER II", Some("Chapter II. The Carpet-Bag")),
                (
                    "I stuffed a shirt or two.",
                    Some("Chapter II. The Carpet-Bag > CHAPTER II")
                ),
            ]
        );
    }

    #[test]
    fn a_chapter_of_too_many_tags_is_left_out_and_said_so() {
        let container =
            r#"<container><rootfiles><rootfile full-path="book.opf"/></rootfiles></container>"#;
        let opf = r#"<package><manifest><item id="c1" href="one.xhtml"/>
            <item id="c2" href="two.xhtml"/></manifest>
            <spine><itemref idref="c1"/><itemref idref="c2"/></spine></package>"#;
        let huge = "<b>".repeat(crate::corpus::MAX_HTML_TAGS + 1);
        let bytes = book(&[
            ("mimetype", "application/epub+zip"),
            ("META-INF/container.xml", container),
            ("book.opf", opf),
            ("one.xhtml", &huge),
            ("two.xhtml", "<html><body><p>kept words</p></body></html>"),
        ]);
        let (parsed, damaged) = epub(&bytes, ParseOptions::default()).unwrap();
        assert_eq!(parsed.paragraphs.len(), 1);
        assert_eq!(parsed.paragraphs[0].text, "kept words");
        let damaged = damaged.unwrap_or_default();
        assert!(
            damaged.starts_with("its chapter one.xhtml was left out: it has over 1,000,000 tags"),
            "{damaged}"
        );
    }

    #[test]
    fn a_chapter_the_spine_names_again_is_read_once() {
        let container =
            r#"<container><rootfiles><rootfile full-path="book.opf"/></rootfiles></container>"#;
        let spine = r#"<itemref idref="c1"/>"#.repeat(50);
        let opf = format!(
            r#"<package><metadata><dc:title>Loop</dc:title></metadata><manifest>
            <item id="c1" href="one.xhtml"/></manifest><spine>{spine}</spine></package>"#
        );
        let chapter = "<html><body><p>loopword here</p><p>and more</p></body></html>";
        let bytes = book(&[
            ("mimetype", "application/epub+zip"),
            ("META-INF/container.xml", container),
            ("book.opf", &opf),
            ("one.xhtml", chapter),
        ]);
        let (parsed, damaged) = epub(&bytes, ParseOptions::default()).unwrap();
        let texts: Vec<&str> = parsed.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["loopword here", "and more"]);
        assert!(damaged.is_none());
    }

    #[test]
    fn images_in_the_spine_and_chapters_locked_by_drm_are_left_out() {
        let container = r#"<container><rootfiles><rootfile full-path="OEBPS/book.opf"/></rootfiles></container>"#;
        let opf = r#"<package><manifest>
            <item id="c1" href="one.xhtml" media-type="application/xhtml+xml"/>
            <item id="img" href="cover.png" media-type="image/png"/>
            <item id="c2" href="two.xhtml" media-type="application/xhtml+xml"/>
            <item id="font" href="f.otf" media-type="font/otf"/>
            </manifest><spine><itemref idref="c1"/><itemref idref="img"/><itemref idref="c2"/>
            </spine></package>"#;
        let encryption = |locked: &[&str]| {
            let locked: String = locked
                .iter()
                .map(|uri| {
                    format!(
                        r#"<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
                        <enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData></enc:EncryptedData>"#
                    )
                })
                .collect();
            format!(
                r#"<encryption><enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>
                <enc:CipherData><enc:CipherReference URI="OEBPS/f.otf"/></enc:CipherData></enc:EncryptedData>{locked}</encryption>"#
            )
        };
        let read = |locked: &[&str]| {
            let encryption = encryption(locked);
            let bytes = book(&[
                ("mimetype", "application/epub+zip"),
                ("META-INF/container.xml", container),
                ("META-INF/encryption.xml", &encryption),
                ("OEBPS/book.opf", opf),
                (
                    "OEBPS/one.xhtml",
                    "<html><body><p>first chapter</p></body></html>",
                ),
                ("OEBPS/cover.png", "\u{89}PNG\r\n\u{1a}\n binary"),
                ("OEBPS/two.xhtml", "\u{3}\u{99}ciphertext"),
                ("OEBPS/f.otf", "font"),
            ]);
            epub(&bytes, ParseOptions::default())
        };
        // Only the obfuscated font: the image is skipped, every chapter read.
        let (parsed, damaged) = read(&[]).unwrap();
        let texts: Vec<&str> = parsed.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["first chapter", "\u{3}\u{99}ciphertext"]);
        assert!(damaged.is_none());
        // One chapter locked: left out, and said so.
        let (parsed, damaged) = read(&["OEBPS/two.xhtml"]).unwrap();
        let texts: Vec<&str> = parsed.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["first chapter"]);
        assert_eq!(
            damaged.as_deref(),
            Some("1 of its 2 chapters is encrypted (DRM) and was left out")
        );
        // A chapter the spine names that the archive lacks: left out, and said so.
        let missing = book(&[
            ("mimetype", "application/epub+zip"),
            ("META-INF/container.xml", container),
            ("OEBPS/book.opf", opf),
            (
                "OEBPS/one.xhtml",
                "<html><body><p>first chapter</p></body></html>",
            ),
            ("OEBPS/cover.png", "\u{89}PNG\r\n\u{1a}\n binary"),
        ]);
        let (parsed, damaged) = epub(&missing, ParseOptions::default()).unwrap();
        assert_eq!(parsed.paragraphs.len(), 1);
        assert_eq!(
            damaged.as_deref(),
            Some("its chapter OEBPS/two.xhtml was left out: the archive does not hold it")
        );
        // Many missing: one line, counted, naming the first.
        let spine: String = (0..300)
            .map(|n| {
                format!(r#"<item id="m{n}" href="m{n}.xhtml" media-type="application/xhtml+xml"/>"#)
            })
            .collect();
        let refs: String = (0..300)
            .map(|n| format!(r#"<itemref idref="m{n}"/>"#))
            .collect();
        let many = format!(
            r#"<package><manifest><item id="c1" href="one.xhtml" media-type="application/xhtml+xml"/>{spine}</manifest><spine><itemref idref="c1"/>{refs}</spine></package>"#
        );
        let lacking = book(&[
            ("mimetype", "application/epub+zip"),
            ("META-INF/container.xml", container),
            ("OEBPS/book.opf", &many),
            (
                "OEBPS/one.xhtml",
                "<html><body><p>first chapter</p></body></html>",
            ),
        ]);
        let (_, damaged) = epub(&lacking, ParseOptions::default()).unwrap();
        assert_eq!(
            damaged.as_deref(),
            Some(
                "300 of its chapters were left out: the archive does not hold them (the first: \
                 OEBPS/m0.xhtml)"
            )
        );
        // Every chapter locked: the book cannot be read.
        let locked = read(&["OEBPS/one.xhtml", "OEBPS/two.xhtml"]).unwrap_err();
        assert_eq!(
            locked,
            "EPUB is encrypted (DRM): its chapters cannot be read"
        );
    }

    #[test]
    fn hrefs_resolve_against_their_directory() {
        assert_eq!(
            resolve("OEBPS", "text/ch%201.xhtml"),
            "OEBPS/text/ch 1.xhtml"
        );
        assert_eq!(resolve("OEBPS/text", "../img/a.png"), "OEBPS/img/a.png");
        assert_eq!(resolve("", "./ch1.xhtml"), "ch1.xhtml");
        assert_eq!(percent_decode("a%zz%41"), "a%zzA");
    }

    #[test]
    fn the_spine_keeps_linear_chapters_in_order() {
        let opf = r#"<package><metadata><dc:title>Book</dc:title></metadata><manifest>
            <item id="c2" href="text/two.xhtml"/><item id="c1" href="text/one.xhtml"/>
            <item id="notes" href="text/notes.xhtml"/><item id="toc" href="toc.ncx"/>
            </manifest><spine toc="toc"><itemref idref="c1"/><itemref idref="notes" linear="no"/>
            <itemref idref="c2"/></spine></package>"#;
        let package = package(opf, "OEBPS").unwrap();
        assert_eq!(package.title.as_deref(), Some("Book"));
        assert_eq!(package.spine, ["c1", "c2"]);
        assert_eq!(package.items["c2"].0, "OEBPS/text/two.xhtml");
        assert_eq!(package.ncx.as_deref(), Some("toc"));
    }

    #[test]
    fn nav_and_ncx_entries_title_their_files() {
        let nav = r##"<html><body><nav epub:type="toc"><ol>
            <li><a href="ch1.xhtml">One</a><ol><li><a href="ch1.xhtml#s">Sub</a></li></ol></li>
            <li><a href="ch2.xhtml#top"><span>Two</span> too</a></li></ol></nav></body></html>"##;
        let titles = toc_entries(nav, "EPUB/text", b"a", b"href");
        assert_eq!(
            titles.files.get("EPUB/text/ch1.xhtml").map(String::as_str),
            Some("One")
        );
        assert_eq!(
            titles.files.get("EPUB/text/ch2.xhtml").map(String::as_str),
            Some("Two too")
        );
        // Entries with anchors, by file.
        let sub = vec![("s".to_string(), "Sub".to_string())];
        assert_eq!(titles.anchors.get("EPUB/text/ch1.xhtml"), Some(&sub));
        let top = vec![("top".to_string(), "Two too".to_string())];
        assert_eq!(titles.anchors.get("EPUB/text/ch2.xhtml"), Some(&top));
        let ncx = r#"<ncx><navMap><navPoint id="a"><navLabel>
            <text>First</text></navLabel>
            <content src="c1.html"/><navPoint id="b"><navLabel><text>Inner</text></navLabel>
            <content src="c2.html"/></navPoint></navPoint></navMap></ncx>"#;
        let titles = toc_entries(ncx, "", b"navPoint", b"src");
        assert_eq!(
            titles.files.get("c1.html").map(String::as_str),
            Some("First")
        );
        assert_eq!(
            titles.files.get("c2.html").map(String::as_str),
            Some("Inner")
        );
        // A nested entry into the same file as its parent (a subsection's anchor) does not
        // take the file's title: the outer entry comes first.
        let nested = r#"<ncx><navMap><navPoint id="a"><navLabel><text>Part One</text></navLabel>
            <content src="p1.html"/><navPoint id="b"><navLabel><text>Chapter</text></navLabel>
            <content src="p1.html#c"/><navPoint id="c"><navLabel><text>Subsection</text>
            </navLabel><content src="p1.html#s"/></navPoint></navPoint></navPoint></navMap></ncx>"#;
        let titles = toc_entries(nested, "", b"navPoint", b"src");
        assert_eq!(
            titles.files.get("p1.html").map(String::as_str),
            Some("Part One")
        );
    }
}
