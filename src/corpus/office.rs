//! Word-processor documents: DOCX (Office Open XML, `word/document.xml`) and ODT (OpenDocument,
//! `content.xml`), both zip archives. One paragraph per document paragraph, list item or table
//! row (cells separated by tabs, as HTML rows are); headings, by their style's outline level,
//! give the paragraphs under them their `section`. Footnotes, endnotes, comments, deleted text
//! of tracked changes and generated tables of contents (ODT's index elements; DOCX's table of
//! contents block and entry styles) are not body text and are left out; a
//! text box's paragraphs are paragraphs of their own. The title is the document properties'
//! `dc:title`.

use std::collections::HashMap;

use super::archive::Archive;
use super::sections::Headings;
use super::xml::{self, attribute, collapse, name, Ending, Step};
use super::{Paragraph, Parsed};

/// Reads a DOCX file's paragraphs and title.
pub fn docx(bytes: &[u8]) -> Result<(Parsed, Option<String>), String> {
    let mut archive = Archive::open(bytes, "DOCX")?;
    let body = archive
        .text("word/document.xml")?
        .ok_or("not a DOCX file (no word/document.xml in the archive)")?;
    let styles = match archive.text("word/styles.xml")? {
        Some(styles) => docx_styles(&styles),
        None => Styles::default(),
    };
    let title = archive
        .text("docProps/core.xml")?
        .and_then(|core| xml::first_text(&core, b"title"));
    let (paragraphs, ending) = docx_body(&body, &styles)?;
    let (parsed, note) = read_in_part(title, paragraphs, ending);
    Ok((
        parsed,
        super::archive::with_note(note, archive.replaced_note()),
    ))
}

/// The paragraphs of a DOCX body (`word/document.xml`). A generated table of contents is left
/// out: the content of a `w:sdt` block whose gallery is a table of contents, and paragraphs in
/// the table of contents' styles (`TOC1`, or a style named `toc 1`).
fn docx_body(body: &str, styles: &Styles) -> Result<(Vec<Paragraph>, Ending), String> {
    let mut blocks = Blocks::default();
    let (mut in_text, mut skipping) = (false, 0usize);
    // The runs (`w:r`) open, innermost last (a ruby's reading and base are runs in a run):
    // whether each one's properties hide it (`w:vanish`: hidden text).
    let mut runs: Vec<bool> = Vec::new();
    // A ruby's reading (`w:rt`), written before its base: said after it, as a reader sees it;
    // and whether the text being read is it.
    let (mut reading, mut in_reading): (Option<String>, bool) = (None, false);
    // Open `w:sdt` blocks, innermost last: whether each is a table of contents.
    let mut sdt: Vec<bool> = Vec::new();
    // For each paragraph open (innermost last), whether it is a table of contents entry.
    let mut toc_entries: Vec<bool> = Vec::new();
    let ending = xml::walk(body, |step| match step {
        Step::Open(_) if skipping > 0 => skipping += 1,
        Step::Close(_) if skipping > 0 => skipping -= 1,
        Step::Open(e) => match name(e) {
            // Deleted and moved-away text, the fallback copy of drawn content, and the
            // formatting a tracked change replaced (its old style is not the paragraph's).
            b"del" | b"moveFrom" | b"Fallback" | b"pPrChange" | b"rPrChange" => skipping = 1,
            b"sdt" => sdt.push(false),
            b"docPartGallery" => {
                let toc = attribute(e, b"val").is_some_and(|v| v.starts_with("Table of Contents"));
                if let Some(top) = sdt.last_mut() {
                    *top |= toc;
                }
            }
            b"sdtContent" if sdt.last() == Some(&true) => skipping = 1,
            b"p" => {
                blocks.open_paragraph();
                toc_entries.push(false);
            }
            b"pStyle" => {
                let Some(id) = attribute(e, b"val") else {
                    return;
                };
                if let Some(entry) = toc_entries.last_mut() {
                    *entry = styles.toc.contains(&id) || is_toc_style(&id);
                }
                // A style id `Heading2` is a heading too when there is no styles part.
                let level = styles
                    .headings
                    .get(&id)
                    .copied()
                    .or_else(|| named_heading(&id));
                blocks.set_heading(level);
            }
            b"outlineLvl" => blocks.set_heading(outline_level(e)),
            b"t" => in_text = true,
            b"r" => runs.push(false),
            b"vanish" => {
                if let Some(hidden) = runs.last_mut() {
                    *hidden =
                        attribute(e, b"val").is_none_or(|v| !matches!(v.as_str(), "0" | "false"));
                }
            }
            b"rt" => (reading, in_reading) = (Some(String::new()), true),
            // A tab, a positioned tab, a break; an equation's denominator after its numerator.
            b"tab" | b"ptab" | b"br" | b"cr" | b"den" => blocks.text(" "),
            b"noBreakHyphen" => blocks.text("-"),
            b"tr" => blocks.open_row(),
            b"tc" => blocks.open_cell(),
            _ => {}
        },
        Step::Close(n) => match n {
            b"p" => match toc_entries.pop() {
                Some(true) => blocks.drop_paragraph(),
                _ => blocks.close_paragraph(),
            },
            b"sdt" => {
                sdt.pop();
            }
            b"t" => in_text = false,
            b"r" => {
                runs.pop();
            }
            b"rt" => in_reading = false,
            b"ruby" => {
                if let Some(reading) = reading.take() {
                    blocks.text(&reading);
                }
            }
            b"tc" => blocks.close_cell(),
            b"tr" => blocks.close_row(),
            _ => {}
        },
        Step::Text(t) if in_text && skipping == 0 && !runs.contains(&true) => {
            match reading.as_mut() {
                Some(reading) if in_reading => reading.push_str(&t),
                _ => blocks.text(&t),
            }
        }
        Step::Text(_) => {}
    })?;
    if ending == Ending::CutShort {
        blocks.close_all();
    }
    Ok((blocks.finish(), ending))
}

/// What a DOCX file's paragraph styles say: the heading level of each heading style, and the
/// styles of table of contents entries.
#[derive(Default)]
struct Styles {
    headings: HashMap<String, u8>,
    toc: std::collections::HashSet<String>,
}

/// Whether a style's id or name is a table of contents entry's or heading's (`TOC1`, `toc 1`,
/// `TOCHeading`, Word's built-in names).
fn is_toc_style(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower
        .strip_prefix("toc")
        .map(str::trim)
        .is_some_and(|rest| {
            rest == "heading" || (rest.len() == 1 && rest.as_bytes()[0].is_ascii_digit())
        })
}

/// The paragraph styles of `styles.xml`, in one reading: the heading level (1 outermost) of
/// each heading style (named `heading N`, or given an outline level), and the styles of table
/// of contents entries.
fn docx_styles(styles: &str) -> Styles {
    let mut found = Styles::default();
    let mut current: Option<(String, Option<u8>)> = None;
    let _ = xml::walk(styles, |step| match step {
        Step::Open(e) if name(e) == b"style" => {
            current = attribute(e, b"styleId").map(|id| (id, None));
        }
        Step::Open(e) if name(e) == b"name" => {
            if let (Some((id, level)), Some(style_name)) = (&mut current, attribute(e, b"val")) {
                *level = level.or_else(|| named_heading(&style_name));
                if is_toc_style(&style_name) {
                    found.toc.insert(id.clone());
                }
            }
        }
        Step::Open(e) if name(e) == b"outlineLvl" => {
            if let Some((_, level)) = &mut current {
                *level = level.or(outline_level(e));
            }
        }
        Step::Close(b"style") => {
            if let Some((id, Some(level))) = current.take() {
                found.headings.insert(id, level);
            }
        }
        _ => {}
    });
    found
}

/// `heading 2` (Word's built-in name, any case) is level 2.
fn named_heading(name: &str) -> Option<u8> {
    let lower = name.to_ascii_lowercase();
    let level: u8 = lower.strip_prefix("heading")?.trim().parse().ok()?;
    (1..=9).contains(&level).then_some(level)
}

/// `<w:outlineLvl w:val="0"/>` is level 1; 9 means body text.
fn outline_level(e: &quick_xml::events::BytesStart<'_>) -> Option<u8> {
    let level: u8 = attribute(e, b"val")?.parse().ok()?;
    (level < 9).then_some(level + 1)
}

/// Reads an ODT file's paragraphs and title.
pub fn odt(bytes: &[u8]) -> Result<(Parsed, Option<String>), String> {
    let mut archive = Archive::open(bytes, "ODT")?;
    archive.expect_type(
        "application/vnd.oasis.opendocument.text",
        "an ODT text document",
    )?;
    // A password-protected document keeps its parts encrypted, as the manifest says.
    let manifest = archive.text("META-INF/manifest.xml")?.unwrap_or_default();
    if manifest.contains("encryption-data") {
        return Err("ODT is encrypted (it needs a password to be read)".into());
    }
    let content = archive
        .text("content.xml")?
        .ok_or("not an ODT file (no content.xml in the archive)")?;
    let title = archive
        .text("meta.xml")?
        .and_then(|meta| xml::first_text(&meta, b"title"));
    let (paragraphs, ending) = odt_body(&content)?;
    let (parsed, note) = read_in_part(title, paragraphs, ending);
    Ok((
        parsed,
        super::archive::with_note(note, archive.replaced_note()),
    ))
}

/// A document of `paragraphs` under `title`, and why it was read only in part: its XML
/// `ending` inside an element (the file cut short: the paragraph being read then is lost), or
/// past [`super::MAX_DOCUMENT_PARAGRAPHS`] (those after were left out).
fn read_in_part(
    title: Option<String>,
    mut paragraphs: Vec<Paragraph>,
    ending: Ending,
) -> (Parsed, Option<String>) {
    let cut = match ending {
        Ending::CutShort => {
            Some("its text ends inside an element (the file is cut short or damaged)".to_string())
        }
        Ending::Whole => {
            (paragraphs.len() > super::MAX_DOCUMENT_PARAGRAPHS).then(super::too_many_paragraphs)
        }
    };
    paragraphs.truncate(super::MAX_DOCUMENT_PARAGRAPHS);
    (Parsed { title, paragraphs }, cut)
}

/// The paragraphs of an ODT body (`content.xml`).
fn odt_body(content: &str) -> Result<(Vec<Paragraph>, Ending), String> {
    let mut blocks = Blocks::default();
    let mut skipping = 0usize;
    let ending = xml::walk(content, |step| match step {
        Step::Open(_) if skipping > 0 => skipping += 1,
        Step::Close(_) if skipping > 0 => skipping -= 1,
        Step::Open(e) => match name(e) {
            // Footnotes and endnotes, comments, tracked deletions, generated indexes.
            b"note"
            | b"annotation"
            | b"tracked-changes"
            | b"table-of-content"
            | b"alphabetical-index"
            | b"illustration-index"
            | b"covered-table-cell" => skipping = 1,
            // A drawing's or image's title and description (its alt text, as a DOCX image's is
            // not read either), which would run on into the paragraph holding it.
            b"title" | b"desc" if e.name().as_ref().starts_with(b"svg:") => skipping = 1,
            // A section hidden from the reader.
            b"section" if attribute(e, b"display").as_deref() == Some("none") => skipping = 1,
            b"p" => blocks.open_paragraph(),
            b"h" => {
                blocks.open_paragraph();
                let level = attribute(e, b"outline-level").and_then(|l| l.parse().ok());
                blocks.set_heading(Some(level.unwrap_or(1).clamp(1, 10)));
            }
            b"s" => {
                let count: usize = attribute(e, b"c").and_then(|c| c.parse().ok()).unwrap_or(1);
                blocks.text(&" ".repeat(count.min(64)));
            }
            b"tab" | b"line-break" => blocks.text(" "),
            b"table-row" => blocks.open_row(),
            b"table-cell" => blocks.open_cell(),
            _ => {}
        },
        Step::Close(n) => match n {
            b"p" | b"h" => blocks.close_paragraph(),
            b"table-cell" => blocks.close_cell(),
            b"table-row" => blocks.close_row(),
            _ => {}
        },
        Step::Text(t) if skipping == 0 => blocks.text(&t),
        Step::Text(_) => {}
    })?;
    if ending == Ending::CutShort {
        blocks.close_all();
    }
    Ok((blocks.finish(), ending))
}

/// Table rows kept open inside one another at most: a nested table's text is copied into its
/// outer cell, so depth upon depth would copy the text once per level (a 107 KB document of
/// 500,000 nested tables took a minute).
const MAX_NESTED_ROWS: usize = 64;

/// Paragraphs gathered from a word-processor document's elements: paragraphs (nested ones, in
/// text boxes, are their own), table rows of cells, and headings.
#[derive(Default)]
struct Blocks {
    /// Paragraphs open, innermost last: text and heading level.
    open: Vec<(String, Option<u8>)>,
    /// Table rows open, innermost last: cells done and the cell being read.
    rows: Vec<(Vec<String>, String)>,
    /// Rows open inside tables nested past [`MAX_NESTED_ROWS`]: their text joins the deepest
    /// cell kept, as the text of a nested table does.
    rows_past_depth: usize,
    /// Paragraphs found: text and heading level.
    found: Vec<(String, Option<u8>)>,
}

impl Blocks {
    fn open_paragraph(&mut self) {
        self.open.push((String::new(), None));
    }

    fn set_heading(&mut self, level: Option<u8>) {
        if let (Some((_, heading)), Some(level)) = (self.open.last_mut(), level) {
            *heading = Some(level);
        }
    }

    fn text(&mut self, text: &str) {
        if let Some((paragraph, _)) = self.open.last_mut() {
            paragraph.push_str(text);
        }
    }

    /// Ends a paragraph that is left out (a table of contents entry).
    fn drop_paragraph(&mut self) {
        self.open.pop();
    }

    /// Ends a paragraph: in a table cell it joins the cell's text, otherwise it is found.
    fn close_paragraph(&mut self) {
        let Some((text, heading)) = self.open.pop() else {
            return;
        };
        let text = collapse(&text);
        if text.is_empty() {
            return;
        }
        match self.rows.last_mut() {
            Some((_, cell)) if self.open.is_empty() => {
                if !cell.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(&text);
            }
            _ => self.found_paragraph(text, heading),
        }
    }

    /// Ends what is open when the document is cut short: what was read of its last paragraph
    /// (and table row) is found too.
    fn close_all(&mut self) {
        while !self.open.is_empty() {
            self.close_paragraph();
        }
        self.rows_past_depth = 0;
        while !self.rows.is_empty() {
            self.close_cell();
            self.close_row();
        }
    }

    /// Keeps a paragraph found, up to one past [`super::MAX_DOCUMENT_PARAGRAPHS`] (which
    /// tells that there were more).
    fn found_paragraph(&mut self, text: String, heading: Option<u8>) {
        if self.found.len() <= super::MAX_DOCUMENT_PARAGRAPHS {
            self.found.push((text, heading));
        }
    }

    fn open_row(&mut self) {
        match self.rows.len() < MAX_NESTED_ROWS {
            true => self.rows.push((Vec::new(), String::new())),
            false => self.rows_past_depth += 1,
        }
    }

    fn open_cell(&mut self) {
        if self.rows_past_depth > 0 {
            return;
        }
        if let Some((_, cell)) = self.rows.last_mut() {
            cell.clear();
        }
    }

    fn close_cell(&mut self) {
        if self.rows_past_depth > 0 {
            return;
        }
        if let Some((cells, cell)) = self.rows.last_mut() {
            cells.push(std::mem::take(cell));
        }
    }

    /// Ends a row: one paragraph of its cells, tab-separated (in a nested table, the text of
    /// the outer cell).
    fn close_row(&mut self) {
        if self.rows_past_depth > 0 {
            self.rows_past_depth -= 1;
            return;
        }
        let Some((cells, _)) = self.rows.pop() else {
            return;
        };
        if cells.iter().all(|c| c.is_empty()) {
            return;
        }
        let row = cells.join("\t");
        match self.rows.last_mut() {
            Some((_, cell)) => {
                if !cell.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(&row.replace('\t', " "));
            }
            None => self.found_paragraph(row, None),
        }
    }

    /// The paragraphs found, numbered, with their heading paths.
    fn finish(self) -> Vec<Paragraph> {
        let mut headings = Headings::new();
        self.found
            .into_iter()
            .enumerate()
            .map(|(i, (text, heading))| Paragraph {
                number: i as u64 + 1,
                line: 0,
                start: 0,
                section: match heading {
                    Some(level) => headings.heading(level, &text),
                    None => headings.path(),
                },
                text,
                index_text: None,
                page: None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts of a DOCX body's paragraphs.
    fn docx_texts(body: &str, styles: &Styles) -> Vec<String> {
        let paragraphs = docx_body(body, styles).map_or_else(|_| Vec::new(), |(p, _)| p);
        paragraphs.into_iter().map(|p| p.text).collect()
    }

    /// The texts of an ODT content part's paragraphs.
    fn odt_texts(content: &str) -> Vec<String> {
        let paragraphs = odt_body(content).map_or_else(|_| Vec::new(), |(p, _)| p);
        paragraphs.into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn paragraphs_past_the_limit_are_left_out_and_said_so() {
        let limit = crate::corpus::MAX_DOCUMENT_PARAGRAPHS;
        let mut blocks = Blocks::default();
        for _ in 0..limit + 3 {
            blocks.found_paragraph("w".into(), None);
        }
        let (parsed, cut) = read_in_part(None, blocks.finish(), Ending::Whole);
        assert_eq!((parsed.paragraphs.len(), cut.is_some()), (limit, true));
        let mut blocks = Blocks::default();
        blocks.found_paragraph("w".into(), None);
        assert_eq!(read_in_part(None, blocks.finish(), Ending::Whole).1, None);
    }

    #[test]
    fn a_part_not_valid_in_its_encoding_is_read_with_replacements_and_said_so() {
        let body: &[u8] = b"<w:document><w:body><w:p><w:r><w:t>caf\xe9 bison</w:t></w:r></w:p>\
                    </w:body></w:document>";
        let (parsed, note) = docx(&crate::corpus::archive::stored_zip_of_bytes(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", body),
        ]))
        .expect("read");
        assert_eq!(parsed.paragraphs[0].text, "caf\u{FFFD} bison");
        assert_eq!(
            note.as_deref(),
            Some("its part word/document.xml is not valid in its encoding: its invalid bytes were read as U+FFFD")
        );
    }

    #[test]
    fn a_document_cut_short_is_read_in_part_and_said_so() {
        let body = "<w:document><w:body><w:p><w:r><w:t>complete para eland</w:t></w:r></w:p>\
                    <w:p><w:r><w:t>unclosed gnu";
        let (parsed, cut) = docx(&crate::corpus::archive::stored_zip(&[
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", body),
        ]))
        .expect("read");
        let texts: Vec<&str> = parsed.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["complete para eland", "unclosed gnu"]);
        assert_eq!(
            cut.as_deref(),
            Some("its text ends inside an element (the file is cut short or damaged)")
        );
        let content = "<office:document-content><office:body><office:text>\
                       <text:p>whole okapi</text:p><text:p>cut";
        let (paragraphs, ending) = odt_body(content).expect("read");
        assert_eq!(ending, Ending::CutShort);
        assert_eq!(paragraphs[0].text, "whole okapi");
        // Cut inside a tag: what came before is read.
        let (paragraphs, ending) =
            odt_body("<office:text><text:p>whole okapi</text:p><text:p tex").expect("read");
        assert_eq!((paragraphs.len(), ending), (1, Ending::CutShort));
    }

    #[test]
    fn a_password_protected_odt_is_reported_as_encrypted() {
        let manifest = |entry: &str| {
            format!(
                r#"<manifest:manifest><manifest:file-entry manifest:full-path="content.xml">{entry}</manifest:file-entry></manifest:manifest>"#
            )
        };
        let odt_of = |manifest: &str, content: &str| {
            odt(&crate::corpus::archive::stored_zip(&[
                ("mimetype", "application/vnd.oasis.opendocument.text"),
                ("META-INF/manifest.xml", manifest),
                ("content.xml", content),
            ]))
        };
        let locked = manifest(r#"<manifest:encryption-data manifest:checksum="x"/>"#);
        assert_eq!(
            odt_of(&locked, "\u{7}\u{3}binary").err().as_deref(),
            Some("ODT is encrypted (it needs a password to be read)")
        );
        let (open, _) = odt_of(
            &manifest(""),
            "<office:text><text:p>plain words</text:p></office:text>",
        )
        .unwrap();
        assert_eq!(open.paragraphs[0].text, "plain words");
    }

    #[test]
    fn heading_names_and_outline_levels_give_levels() {
        assert_eq!(named_heading("heading 2"), Some(2));
        assert_eq!(named_heading("Heading1"), Some(1));
        assert_eq!(named_heading("Body Text"), None);
        let styles = r#"<w:styles>
            <w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style>
            <w:style w:type="paragraph" w:styleId="Chapter"><w:name w:val="Chapter"/>
              <w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
        </w:styles>"#;
        let levels = docx_styles(styles).headings;
        assert_eq!(levels.get("berschrift1"), Some(&1));
        assert_eq!(levels.get("Chapter"), Some(&2));
        assert_eq!(levels.get("Normal"), None);
    }

    #[test]
    fn a_word_table_of_contents_is_left_out() {
        let styles = docx_styles(
            r#"<w:styles><w:style w:styleId="Verzeichnis1"><w:name w:val="toc 1"/></w:style>
            </w:styles>"#,
        );
        let body = r#"<w:document><w:body>
            <w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>
            </w:docPartObj></w:sdtPr><w:sdtContent>
              <w:p><w:r><w:t>Contents</w:t></w:r></w:p>
              <w:p><w:r><w:t>Introduction 1</w:t></w:r></w:p>
            </w:sdtContent></w:sdt>
            <w:p><w:pPr><w:pStyle w:val="Verzeichnis1"/></w:pPr><w:r><w:t>Methods 2</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="TOC2"/></w:pPr><w:r><w:t>Results 3</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr><w:r><w:t>Contents</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="BodyText"/><w:pPrChange><w:pPr>
              <w:pStyle w:val="TOC1"/></w:pPr></w:pPrChange></w:pPr>
              <w:r><w:t>Restyled body.</w:t></w:r></w:p>
            <w:sdt><w:sdtPr><w:alias w:val="Author"/></w:sdtPr><w:sdtContent>
              <w:p><w:r><w:t>Ada Lovelace</w:t></w:r></w:p>
            </w:sdtContent></w:sdt>
            <w:p><w:r><w:t>Introduction to the body.</w:t></w:r></w:p>
        </w:body></w:document>"#;
        let got = docx_texts(body, &styles);
        assert_eq!(
            got,
            [
                "Restyled body.",
                "Ada Lovelace",
                "Introduction to the body."
            ]
        );
    }

    #[test]
    fn hidden_runs_ruby_readings_positioned_tabs_and_fractions_read_as_shown() {
        let body = r#"<w:document xmlns:m="m"><w:body>
            <w:p><w:r><w:t>Shown</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>secret</w:t>
              </w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t> words</w:t></w:r></w:p>
            <w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr><w:r><w:t>Its mark hidden</w:t></w:r></w:p>
            <w:p><w:ruby><w:rt><w:r><w:t>かんじ</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>漢字</w:t>
              </w:r></w:rubyBase></w:ruby></w:p>
            <w:p><w:r><w:rPr><w:vanish/></w:rPr><w:ruby><w:rt><w:r><w:t>ひみつ</w:t></w:r></w:rt>
              <w:rubyBase><w:r><w:t>秘密</w:t></w:r></w:rubyBase></w:ruby></w:r></w:p>
            <w:p><w:r><w:t>Left</w:t><w:ptab/><w:t>Right</w:t></w:r></w:p>
            <w:p><m:oMath><m:r><m:t>speed=</m:t></m:r><m:f><m:num><m:r><m:t>distance</m:t></m:r>
              </m:num><m:den><m:r><m:t>time</m:t></m:r></m:den></m:f></m:oMath></w:p>
        </w:body></w:document>"#;
        let got = docx_texts(body, &Styles::default());
        let expected = [
            "Shown words",
            "Its mark hidden",
            "漢字かんじ",
            "Left Right",
            "speed=distance time",
        ];
        assert_eq!(got, expected);
        // ODT: a section hidden from the reader.
        let content = r#"<office:document-content><office:body><office:text>
            <text:section text:name="S" text:display="none"><text:p>hidden</text:p></text:section>
            <text:section text:name="T"><text:p>shown</text:p></text:section>
        </office:text></office:body></office:document-content>"#;
        let got = odt_texts(content);
        assert_eq!(got, ["shown"]);
    }

    #[test]
    fn an_odt_images_title_and_description_stay_out_of_its_paragraph() {
        let content = r#"<office:document-content><office:body><office:text>
            <text:p>Words before<draw:frame draw:name="img1"><draw:image xlink:href="a.png"/>
            <svg:title>Quokka</svg:title><svg:desc>A small marsupial</svg:desc></draw:frame>
            and after, in <text:title>The Report</text:title>.</text:p>
        </office:text></office:body></office:document-content>"#;
        let got = odt_texts(content);
        assert_eq!(got, ["Words before and after, in The Report."]);
    }

    /// Tables nested past the depth kept give their text to the deepest cell kept, in order;
    /// the outer rows are as they would be.
    #[test]
    fn tables_nested_past_the_depth_kept_join_the_deepest_cell() {
        let depth = MAX_NESTED_ROWS + 10;
        let mut b = Blocks::default();
        for level in 0..depth {
            b.open_row();
            b.open_cell();
            b.open_paragraph();
            b.text(&format!("w{level}"));
            b.close_paragraph();
        }
        for _ in 0..depth {
            b.close_cell();
            b.close_row();
        }
        let got: Vec<String> = b.finish().into_iter().map(|p| p.text).collect();
        let words: Vec<String> = (0..depth).map(|level| format!("w{level}")).collect();
        assert_eq!(got, [words.join(" ")]);
    }

    #[test]
    fn rows_are_tab_separated_and_nested_paragraphs_are_their_own() {
        let mut b = Blocks::default();
        b.open_row();
        for cell in ["a", "b c"] {
            b.open_cell();
            b.open_paragraph();
            b.text(cell);
            b.close_paragraph();
            b.close_cell();
        }
        b.close_row();
        b.open_paragraph();
        b.set_heading(Some(1));
        b.text("Title  ");
        b.open_paragraph();
        b.text("boxed");
        b.close_paragraph();
        b.close_paragraph();
        b.open_paragraph();
        b.text("body");
        b.close_paragraph();
        let got: Vec<(String, Option<String>)> = b
            .finish()
            .into_iter()
            .map(|p| (p.text, p.section))
            .collect();
        assert_eq!(
            got,
            [
                ("a\tb c".to_string(), None),
                ("boxed".to_string(), None),
                ("Title".to_string(), None),
                ("body".to_string(), Some("Title".to_string())),
            ]
        );
    }
}
