//! EPUB books: a zip archive whose package document (found through
//! `META-INF/container.xml`) lists the chapters in reading order (the spine). Each chapter's
//! XHTML is read by the HTML reader (its main content, headings giving sections); a paragraph's
//! `section` is its chapter's title from the book's table of contents (EPUB 3 navigation
//! document, or EPUB 2 NCX) followed by its headings. The book's `dc:title` is the title.
//! Chapters marked non-linear (`linear="no"`: notes, pop-ups) are left out.

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
    /// Item ids of the linear spine, in reading order.
    spine: Vec<String>,
    /// The NCX table of contents' item id (EPUB 2).
    ncx: Option<String>,
}

/// Reads an EPUB file's paragraphs and title.
pub fn epub(bytes: &[u8], options: ParseOptions) -> Result<Parsed, String> {
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
    let mut paragraphs = Vec::new();
    // A chapter is read once, however often the spine names it, and the chapters together
    // stay within the limit one member has: a small book naming a large chapter hundreds of
    // times must not make ingest hold gigabytes.
    let (mut read, mut total) = (HashSet::new(), 0u64);
    for id in &package.spine {
        let Some((path, _)) = package.items.get(id) else {
            continue;
        };
        if !read.insert(path.as_str()) {
            continue;
        }
        let Some(chapter) = archive.text(path)? else {
            continue;
        };
        total += chapter.len() as u64;
        if total > super::MAX_EXTRACTED_BYTES {
            return Err(format!(
                "its chapters decompress to more than {} MiB",
                super::MAX_EXTRACTED_BYTES >> 20
            ));
        }
        let chapter_title = titles.get(path.as_str()).map(String::as_str);
        let (_, found) = html::parse(&chapter, options.whole_html);
        paragraphs.extend(found.into_iter().map(|mut p| {
            p.section = nested(chapter_title, p.section.take());
            p.line = 0;
            p.start = 0;
            p
        }));
    }
    for (i, p) in paragraphs.iter_mut().enumerate() {
        p.number = i as u64 + 1;
    }
    Ok(Parsed {
        title: package.title,
        paragraphs,
    })
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

/// Each chapter file's title (the first table-of-contents entry pointing into it): from the
/// EPUB 3 navigation document, else the EPUB 2 NCX.
fn chapter_titles(
    archive: &mut Archive<'_>,
    package: &Package,
) -> Result<HashMap<String, String>, String> {
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
    Ok(HashMap::new())
}

/// Table-of-contents entries: the text of each `entry` element (a nav document's `<a href>`, an
/// NCX `navPoint`, whose `content src` names the target), by target file. The first entry for
/// a file wins; an NCX entry's text is its own label's, not its children's.
fn toc_entries(toc: &str, dir: &str, entry: &[u8], target: &[u8]) -> HashMap<String, String> {
    let mut titles = HashMap::new();
    let mut open: Vec<(Option<String>, String)> = Vec::new();
    let in_label = |open: &[(Option<String>, String)]| !open.is_empty();
    let mut label_depth = 0usize;
    let _ = xml::walk(toc, |step| match step {
        Step::Open(e) if name(e) == entry => {
            open.push((attribute(e, target), String::new()));
        }
        Step::Open(e) if name(e) == b"content" => {
            if let (Some(last), Some(src)) = (open.last_mut(), attribute(e, b"src")) {
                last.0.get_or_insert(src);
            }
        }
        Step::Open(e) if name(e) == b"navLabel" => label_depth += 1,
        Step::Close(n) if n == b"navLabel" => label_depth = label_depth.saturating_sub(1),
        Step::Text(t) if in_label(&open) && (entry == b"a" || label_depth > 0) => {
            if let Some((_, text)) = open.last_mut() {
                text.push_str(&t);
            }
        }
        Step::Close(n) if n == entry => {
            if let Some((Some(href), text)) = open.pop() {
                let file = href.split('#').next().unwrap_or_default();
                let text = xml::collapse(&text);
                if !file.is_empty() && !text.is_empty() {
                    titles.entry(resolve(dir, file)).or_insert(text);
                }
            }
        }
        _ => {}
    });
    titles
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

    /// An EPUB of `files` (name, text), stored uncompressed.
    fn book(files: &[(&str, &str)]) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, text) in files {
            zip.start_file(*name, stored).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
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
        let parsed = epub(&bytes, ParseOptions::default()).unwrap();
        let texts: Vec<&str> = parsed.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["loopword here", "and more"]);
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
            titles.get("EPUB/text/ch1.xhtml").map(String::as_str),
            Some("One")
        );
        assert_eq!(
            titles.get("EPUB/text/ch2.xhtml").map(String::as_str),
            Some("Two too")
        );
        let ncx = r#"<ncx><navMap><navPoint id="a"><navLabel>
            <text>First</text></navLabel>
            <content src="c1.html"/><navPoint id="b"><navLabel><text>Inner</text></navLabel>
            <content src="c2.html"/></navPoint></navPoint></navMap></ncx>"#;
        let titles = toc_entries(ncx, "", b"navPoint", b"src");
        assert_eq!(titles.get("c1.html").map(String::as_str), Some("First"));
        assert_eq!(titles.get("c2.html").map(String::as_str), Some("Inner"));
    }
}
