//! HTML documents: only visible text is indexed. Block elements (paragraphs, headings, list
//! items, definition terms and descriptions, quotes, and divisions holding text directly) are
//! paragraphs, their whitespace collapsed; a `<pre>` is one paragraph keeping its line breaks; a
//! table row is one paragraph, its cells separated by tabs (but a layout table's blocks are
//! paragraphs of their own: a table in a cell, or cells holding only lists or `<pre>` in a table
//! without header cells). `<script>`, `<style>` and other
//! invisible elements are dropped, and so are headings' permalink marks (`¶`); entities are
//! decoded by the parser (html5ever, through `scraper`); `<title>` becomes the document title.
//!
//! By default only the page's main content is read ([`html_regions`]: `<main>`, or the whole
//! body less navigation, page headers and footers, sidebars); [`ParseOptions::whole_html`]
//! reads every region.
//!
//! A paragraph's `start` is the start tag of its element (`<p>`, `<li>`, `<dt>`, `<pre>`,
//! `<tr>`), found by [`html_source`]; text that follows a nested block inside its parent (a
//! list item's words after its sub-list) starts at its first word. Paragraphs are in source
//! order.
//!
//! [`ParseOptions::whole_html`]: super::ParseOptions::whole_html

use std::collections::HashMap;

use ego_tree::{NodeId, NodeRef};
use scraper::node::Element;
use scraper::Node;

use super::html_regions::{is_furniture, is_permalink, main_content};
use super::html_source::{self, Located};
use super::sections::Headings;
use super::Paragraph;
use crate::analysis;

/// Elements whose text is never shown.
const INVISIBLE: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "svg", "iframe", "object",
];

/// Whether an element is MathML no reader sees: a formula's annotations (its TeX source), an
/// operator of invisible characters (function application, invisible times), or the copy of
/// a formula that KaTeX and MathJax keep beside the one they draw, for screen readers.
fn is_hidden_math(node: NodeRef<'_, Node>, element: &Element) -> bool {
    match element.name() {
        "annotation" | "annotation-xml" => is_mathml(element),
        "mo" => {
            is_mathml(element)
                && (text_of(node).chars()).all(|c| analysis::is_format(c) || c.is_whitespace())
        }
        "mjx-assistive-mml" => true,
        _ => element
            .classes()
            .any(|class| class == "katex-mathml" || class == "MJX_Assistive_MathML"),
    }
}

/// Whether an element is MathML (the parser puts what is inside `<math>` in its namespace).
fn is_mathml(element: &Element) -> bool {
    element.name.ns == html5ever::ns!(mathml)
}

/// MathML's token elements (identifiers, numbers, operators, text), set apart from the next
/// as a formula shows them (`<mi>speed</mi><mo>=</mo>` is no word `speed=`).
const MATH_TOKENS: &[&str] = &["mi", "mn", "mo", "ms", "mtext"];

/// Whether an element's text is set apart from the words around it: a footnote mark, or a
/// MathML piece ([`is_math_piece`]).
fn sets_apart(node: NodeRef<'_, Node>, element: &Element) -> bool {
    is_math_piece(node, element) || is_note_ref(node, element)
}

/// MathML elements whose parts a formula shows apart (a fraction's numerator and denominator,
/// a root's radicand and index, a limit's base and its scripts, a table's cells).
const MATH_APART: &[&str] = &[
    "mfrac",
    "mroot",
    "munder",
    "mover",
    "munderover",
    "mtr",
    "mtd",
];

/// Whether a MathML element is read apart from what is beside it: a token (see [`MATH_TOKENS`])
/// but for a single letter or digit, which runs on into its neighbours as the formula shows it
/// (`distance` written a letter at a time, `H` and its subscript `2`), or a part of an element
/// that shows its parts apart ([`MATH_APART`]).
fn is_math_piece(node: NodeRef<'_, Node>, element: &Element) -> bool {
    if !is_mathml(element) {
        return false;
    }
    let name = element.name();
    let one_character = || {
        let text = text_of(node);
        let mut chars = text.trim().chars();
        chars.next().is_some() && chars.next().is_none()
    };
    let token = MATH_TOKENS.contains(&name) && !(matches!(name, "mi" | "mn") && one_character());
    let part = (node.parent().and_then(|p| p.value().as_element()))
        .is_some_and(|parent| MATH_APART.contains(&parent.name()));
    token || part
}

/// Elements that make a paragraph of their own (Markdown's HTML blocks break at them too).
pub(super) const BLOCKS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "tr",
    "blockquote",
    "pre",
    "figcaption",
    "caption",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "td",
    "th",
    "address",
    "summary",
    "details",
    "legend",
    "body",
    "table",
    "ul",
    "ol",
    "dl",
    "form",
    "fieldset",
    // A rule parts what is on either side of it, as a block edge does.
    "hr",
];

/// A document's title and paragraphs; `whole` reads every region of the page, not only its main
/// content.
pub fn parse(source: &str, whole: bool) -> (Option<String>, Vec<Paragraph>) {
    if super::too_many_tags(source).is_some() {
        return (None, Vec::new());
    }
    let source = &*without_internal_subset(source);
    let located = html_source::parse(source, |name| BLOCKS.contains(&name));
    let root = located.html.tree.root();
    // The page's `<title>`, not an SVG or MathML one (an icon's accessible name).
    let foreign = |n: ego_tree::NodeRef<'_, scraper::Node>| {
        n.ancestors().any(|a| {
            a.value()
                .as_element()
                .is_some_and(|e| matches!(e.name(), "svg" | "math"))
        })
    };
    let title = root
        .descendants()
        .find(|&n| n.value().as_element().is_some_and(|e| e.name() == "title") && !foreign(n))
        .map(|n| collapse(&text_of(n)))
        .filter(|t| !t.is_empty());
    let content = if whole { None } else { main_content(root) };
    let mut walker = Walker {
        source,
        located: &located,
        whole,
        found: Vec::new(),
        text: String::new(),
        start: None,
        heading: None,
        last_br: None,
        last_start: 0,
        header_tables: HashMap::new(),
    };
    walker.walk(content.unwrap_or(root));
    walker.flush();
    let mut found = walker.found;
    // Tree order is source order but where the parser moved content (out of a table).
    found.sort_by_key(|found| found.start);
    let mut headings = Headings::new();
    let paragraphs = found
        .into_iter()
        .enumerate()
        .map(|(i, found)| Paragraph {
            number: i as u64 + 1,
            line: located.lines.line_of(found.start),
            start: found.start,
            section: match found.heading {
                Some(level) => headings.heading(level, &found.text),
                None => headings.path(),
            },
            text: found.text,
            index_text: None,
            page: None,
        })
        .collect();
    (title, paragraphs)
}

/// A paragraph found: where it starts, its text, and its level when it is a heading.
struct Found {
    start: usize,
    text: String,
    heading: Option<u8>,
}

/// `source` with the internal subset of its document type declaration blanked
/// (`<!DOCTYPE html [<!ENTITY c "x">]>`, which XHTML allows): an HTML parser ends the
/// declaration at its first `>` and would read the rest as text. Blanking keeps every offset.
fn without_internal_subset(source: &str) -> std::borrow::Cow<'_, str> {
    let head = &source.as_bytes()[..source.len().min(4096)];
    let Some(doctype) = head
        .windows(9)
        .position(|w| w.eq_ignore_ascii_case(b"<!doctype"))
    else {
        return source.into();
    };
    let rest = &source.as_bytes()[doctype..];
    let (Some(open), Some(close)) = (
        rest.iter().position(|&b| b == b'['),
        rest.iter().position(|&b| b == b'>'),
    ) else {
        return source.into();
    };
    if open > close {
        return source.into();
    }
    let Some(end) = memchr::memmem::find(&rest[open..], b"]>") else {
        return source.into();
    };
    let (from, to) = (doctype + open, doctype + open + end + 1);
    let mut bytes = source.as_bytes().to_vec();
    for b in &mut bytes[from..to] {
        if *b != b'\n' {
            *b = b' ';
        }
    }
    // Every byte of the range, whole characters among them, became ASCII.
    String::from_utf8(bytes).map_or(source.into(), Into::into)
}

/// Whether an element is a footnote reference: a link marked as one (`role="doc-noteref"`,
/// `epub:type="noteref"`, a class such as pandoc's `footnote-ref` or docutils'
/// `footnote-reference`), or a superscript holding nothing but a link within the page
/// (`<sup><a href="#fn1">1</a></sup>`). A superscript of text (`1<sup>st</sup>`) is not.
fn is_note_ref(node: NodeRef<'_, Node>, element: &Element) -> bool {
    let marked = element.attr("role") == Some("doc-noteref")
        || element.attr("epub:type") == Some("noteref")
        || element
            .classes()
            .any(|class| class.starts_with("footnote-ref") || class == "noteref");
    if marked {
        return true;
    }
    if element.name() != "sup" {
        return false;
    }
    let mut elements = node.children().filter(|child| match child.value() {
        Node::Text(text) => !text.trim().is_empty(),
        _ => true,
    });
    match (elements.next(), elements.next()) {
        (Some(only), None) => only.value().as_element().is_some_and(|link| {
            link.name() == "a" && link.attr("href").is_some_and(|href| href.starts_with('#'))
        }),
        _ => false,
    }
}

/// The text of a `<sup>` or `<sub>` holding nothing but ASCII digits, in superscript or
/// subscript digits (`claim<sup>1</sup>` reads `claim¹`, `H<sub>2</sub>O` reads `H₂O`), as a
/// browser shows it: the analyzer reads such digits in a word as it does a footnote mark or a
/// formula (`claim¹` is found by `claim` and `claim1`, `H₂O` by `h2o`). `None` for any other.
pub(super) fn raised_digits(name: &str, text: &str) -> Option<String> {
    let digits: &[char; 10] = match name {
        "sup" => &['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'],
        "sub" => &['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'],
        _ => return None,
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(
        text.bytes()
            .map(|b| digits[usize::from(b - b'0')])
            .collect(),
    )
}

/// The superscript or subscript digits an element shows (see [`raised_digits`]).
fn raised_element(node: NodeRef<'_, Node>, element: &Element) -> Option<String> {
    // Asked of every element: its text gathered only for a `<sup>` or `<sub>` of text alone.
    let name = element.name();
    let candidate =
        matches!(name, "sup" | "sub") && node.children().all(|child| child.value().is_text());
    candidate
        .then(|| raised_digits(name, &text_of(node)))
        .flatten()
}

/// The level of a heading element (`h1` is 1), `None` for any other.
fn heading_level(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', level @ b'1'..=b'6'] => Some(level - b'0'),
        _ => None,
    }
}

/// Walks the tree, cutting paragraphs at block boundaries and placing each in the source.
struct Walker<'a> {
    source: &'a str,
    located: &'a Located,
    whole: bool,
    /// The paragraphs so far.
    found: Vec<Found>,
    /// The text of the paragraph being gathered.
    text: String,
    /// Where it starts, once known.
    start: Option<usize>,
    /// Its heading level, when it is a heading (`<h1>` is 1).
    heading: Option<u8>,
    /// The length of `text` just after its last `<br>`: another one with only white space
    /// between them is a blank line.
    last_br: Option<usize>,
    /// Where the last paragraph started: the start of one that cannot be placed.
    last_start: usize,
    /// Whether each table met has header cells of its own.
    header_tables: HashMap<NodeId, bool>,
}

impl Walker<'_> {
    /// Walks the tree under `root` in document order (iteratively, so deep nesting cannot
    /// overflow the stack).
    fn walk(&mut self, root: NodeRef<'_, Node>) {
        enum Step<'a> {
            Enter(NodeRef<'a, Node>),
            /// Leaving an element: whether it is a block, and a footnote reference.
            Leave(bool, bool),
        }
        let mut stack = vec![Step::Enter(root)];
        while let Some(step) = stack.pop() {
            let node = match step {
                Step::Leave(is_block, note) => {
                    if is_block {
                        self.flush();
                    } else if note {
                        self.text.push(BREAK);
                    }
                    continue;
                }
                Step::Enter(node) => node,
            };
            match node.value() {
                Node::Text(text) => {
                    if self.start.is_none() && !text.trim().is_empty() {
                        self.start = self.located.text_start(self.source, node.id(), text);
                    }
                    self.text.push_str(text);
                }
                Node::Element(element) => {
                    let name = element.name();
                    if self.skipped(node, element) {
                        continue;
                    }
                    if name == "br" {
                        self.line_break();
                        continue;
                    }
                    if name == "pre" || (name == "tr" && !self.is_layout_row(node)) {
                        self.flush();
                        self.atomic(node, name == "pre");
                        continue;
                    }
                    let note = sets_apart(node, element);
                    if let Some(raised) = (!note).then(|| raised_element(node, element)).flatten() {
                        if self.start.is_none() {
                            self.start = self.first_text_start(node);
                        }
                        self.text.push_str(&raised);
                        continue;
                    }
                    if note {
                        // `word<sup>1</sup>word`: the mark is no part of either word.
                        self.text.push(BREAK);
                    }
                    let is_block = BLOCKS.contains(&name);
                    if is_block {
                        self.flush();
                        self.start = self.located.element_start(node.id());
                        self.heading = heading_level(name);
                    }
                    stack.push(Step::Leave(is_block, note));
                    stack.extend(node.children().rev().map(Step::Enter));
                }
                Node::Document | Node::Fragment => {
                    stack.extend(node.children().rev().map(Step::Enter));
                }
                _ => {}
            }
        }
    }

    /// True when the element and what it holds are not read: never shown, `hidden` (but for
    /// `hidden="until-found"`, which a browser's find in page reveals), or page furniture.
    fn skipped(&self, node: NodeRef<'_, Node>, element: &Element) -> bool {
        INVISIBLE.contains(&element.name())
            || is_hidden_math(node, element)
            || element
                .attr("hidden")
                .is_some_and(|value| !value.trim().eq_ignore_ascii_case("until-found"))
            || is_permalink(node, element)
            || (!self.whole && is_furniture(node, element))
    }

    /// A `<br>`: a line break in the paragraph; the second of two with only white space between
    /// them (`<br><br>`, as older and generated pages set paragraphs apart, shown as a blank
    /// line) ends it, but in a heading.
    fn line_break(&mut self) {
        let blank_line = self.last_br.is_some_and(|at| {
            self.text
                .get(at..)
                .is_some_and(|since| since.trim().is_empty())
        });
        match (blank_line, self.last_br) {
            (true, Some(at)) if self.heading.is_none() => {
                self.text.truncate(at - BREAK.len_utf8());
                self.flush();
            }
            _ => {
                self.text.push(BREAK);
                self.last_br = Some(self.text.len());
            }
        }
    }

    /// Ends the paragraph being gathered, if it holds any words.
    fn flush(&mut self) {
        let text = collapse(&self.text);
        let start = self.start.take();
        let heading = self.heading.take();
        self.last_br = None;
        self.text.clear();
        if !text.is_empty() {
            self.emit(start, text, heading);
        }
    }

    fn emit(&mut self, start: Option<usize>, text: String, heading: Option<u8>) {
        let start = start.unwrap_or(self.last_start);
        self.last_start = start;
        self.found.push(Found {
            start,
            text,
            heading,
        });
    }

    /// A `<pre>` (`keep_lines`) or a table row, read whole as one paragraph.
    fn atomic(&mut self, node: NodeRef<'_, Node>, keep_lines: bool) {
        let text = if keep_lines {
            preformatted(&self.visible_text(node, true))
        } else {
            self.row_text(node)
        };
        if text.trim().is_empty() {
            return;
        }
        let start = self
            .located
            .element_start(node.id())
            .or_else(|| self.first_text_start(node));
        self.emit(start, text, None);
    }

    /// A table row's cells, each with its whitespace collapsed, separated by tabs.
    fn row_text(&self, row: NodeRef<'_, Node>) -> String {
        let cells: Vec<String> = row
            .children()
            .filter(|cell| {
                cell.value()
                    .as_element()
                    .is_some_and(|e| matches!(e.name(), "td" | "th") && !self.skipped(*cell, e))
            })
            .map(|cell| collapse(&self.visible_text(cell, false)))
            .collect();
        cells.join("\t")
    }

    /// The visible text under `root`: line breaks kept (`<br>` one too) when `keep_lines`,
    /// else blocks, footnote marks and `<br>` set apart by [`BREAK`]s (which [`collapse`] makes
    /// spaces).
    fn visible_text(&self, root: NodeRef<'_, Node>, keep_lines: bool) -> String {
        let mut out = String::new();
        // `None`: the end of a block, set apart as its start is (`<p>a</p>b` is `a b`).
        let mut stack = vec![Some(root)];
        while let Some(step) = stack.pop() {
            let Some(node) = step else {
                out.push(BREAK);
                continue;
            };
            match node.value() {
                Node::Text(text) => out.push_str(text),
                Node::Element(element) if !self.skipped(node, element) => {
                    let note = sets_apart(node, element);
                    if let Some(raised) = (!note).then(|| raised_element(node, element)).flatten() {
                        out.push_str(&raised);
                        continue;
                    }
                    if element.name() == "br" {
                        out.push(if keep_lines { '\n' } else { BREAK });
                    } else if !keep_lines && (BLOCKS.contains(&element.name()) || note) {
                        // A footnote mark is no part of the words around it, as in `walk`.
                        out.push(BREAK);
                        stack.push(None);
                    }
                    stack.extend(node.children().rev().map(Some));
                }
                _ => {}
            }
        }
        out
    }

    /// [`is_layout_row`], with whether each table has header cells found once.
    fn is_layout_row(&mut self, row: NodeRef<'_, Node>) -> bool {
        is_layout_row(row, || {
            table_of(row).is_some_and(|table| {
                *(self.header_tables)
                    .entry(table.id())
                    .or_insert_with(|| has_header_cell(table))
            })
        })
    }

    /// Where the first placed text under `root` starts.
    fn first_text_start(&self, root: NodeRef<'_, Node>) -> Option<usize> {
        root.descendants().find_map(|n| {
            let text = n.value().as_text()?;
            self.located.text_start(self.source, n.id(), text)
        })
    }
}

/// True when a table row is page layout rather than data, so that its blocks are paragraphs of
/// their own: a cell holds a table, or the row's table has no header cell and every cell with
/// text holds all of it in lists or preformatted blocks (Sphinx's general index: columns of
/// lists). A row of a table with header cells, or with a cell of words beside a cell's list
/// (`<td>alpha</td><td>one of: <ul>…</ul></td>`), is data: one paragraph.
fn is_layout_row(row: NodeRef<'_, Node>, has_header_cell: impl FnOnce() -> bool) -> bool {
    let mut blocks = false;
    let elements = row
        .descendants()
        .skip(1)
        .filter_map(|n| n.value().as_element());
    for element in elements {
        match element.name() {
            "table" => return true,
            "ul" | "ol" | "dl" | "pre" => blocks = true,
            _ => {}
        }
    }
    if !blocks {
        return false;
    }
    if has_header_cell() {
        return false;
    }
    row.children()
        .filter(|cell| is_element(*cell, "td") || is_element(*cell, "th"))
        .all(|cell| !has_text_outside_blocks(cell))
}

fn is_element(node: NodeRef<'_, Node>, name: &str) -> bool {
    node.value().as_element().is_some_and(|e| e.name() == name)
}

/// The table a row is in.
fn table_of(row: NodeRef<'_, Node>) -> Option<NodeRef<'_, Node>> {
    row.ancestors().find(|n| is_element(*n, "table"))
}

/// Whether a table has a header cell of its own (not one of a table nested in it).
fn has_header_cell(table: NodeRef<'_, Node>) -> bool {
    table
        .descendants()
        .filter(|n| is_element(*n, "th"))
        .any(|th| table_of(th).is_some_and(|t| t.id() == table.id()))
}

/// Whether a cell has words that are in no list or preformatted block of it.
fn has_text_outside_blocks(cell: NodeRef<'_, Node>) -> bool {
    cell.descendants().any(|n| {
        n.value().as_text().is_some_and(|t| !t.trim().is_empty())
            && !n.ancestors().take_while(|a| a.id() != cell.id()).any(|a| {
                ["ul", "ol", "dl", "pre"]
                    .iter()
                    .any(|name| is_element(a, name))
            })
    })
}

/// A `<pre>`'s text without its leading blank lines and trailing whitespace.
fn preformatted(text: &str) -> String {
    let text = text.trim_end();
    let first_word = text.len() - text.trim_start().len();
    let line_start = text[..first_word].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..].to_string()
}

fn text_of(node: NodeRef<'_, Node>) -> String {
    node.descendants()
        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
        .collect()
}

/// What a `<br>`, a note mark or (in a cell's text) a block's edge leaves in the gathered text
/// until it is collapsed: a space that is never a line wrapped in the source. (The HTML parser
/// gives no NUL in text, and a file holding one is not read as text.)
const BREAK: char = '\0';

/// Whitespace runs (and [`BREAK`]s) become one space, as a browser shows them, and the ends are
/// trimmed; a run of plain (ASCII) whitespace holding a line break between two Han or kana
/// characters goes away (Chinese and Japanese wrapped in the source: CSS Text's rule for
/// segment breaks). A `<br>`, a no-break or ideographic space in the run keeps it a space.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Whitespace since the last character kept: whether it holds a line break, and whether it
    // holds something that is no wrap.
    let mut gap: Option<(bool, bool)> = None;
    for c in text.chars() {
        if c.is_whitespace() || c == BREAK {
            if !out.is_empty() {
                let (line_break, hard) = gap.unwrap_or_default();
                let line_break = line_break || matches!(c, '\n' | '\r');
                gap = Some((line_break, hard || !c.is_ascii_whitespace()));
            }
            continue;
        }
        if let Some((line_break, hard)) = gap.take() {
            let wrapped = line_break && !hard && analysis::wraps_without_space(&out, c);
            if !wrapped {
                out.push(' ');
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(paragraphs: &[Paragraph]) -> Vec<&str> {
        paragraphs.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn visible_text_of_blocks_becomes_paragraphs() {
        let source = "<!doctype html>\n<html><head><title>The Title</title>\n<style>p{color:red}</style></head>\n<body>\n<h1>Setup</h1>\n<p>Run <b>cargo</b> &amp; <a href=\"https://cargo.example\">read</a>.</p>\n<script>var hidden = 1;</script>\n<ul><li>one</li><li>two</li></ul>\n</body></html>\n";
        let (title, paragraphs) = parse(source, false);
        assert_eq!(title.as_deref(), Some("The Title"));
        // An icon's SVG title is not the page's.
        let icon = "<body><svg><title>Copy icon</title><path d='M0'/></svg><p>Text.</p></body>";
        assert_eq!(parse(icon, false).0, None);
        let both = format!("{icon}<title>Page</title>");
        assert_eq!(parse(&both, false).0.as_deref(), Some("Page"));
        assert_eq!(
            texts(&paragraphs),
            ["Setup", "Run cargo & read.", "one", "two"]
        );
        assert_eq!(paragraphs[1].line, 6);
        assert!(source[paragraphs[1].start..].starts_with("<p>Run "));
        // Classic Mac OS line ends (`\r` alone): each paragraph at its tag, all on line 1 (as
        // editors and rg count a file without `\n`), as plain text's are.
        let returns = source.replace('\n', "\r");
        let (_, on_returns) = parse(&returns, false);
        assert_eq!(texts(&on_returns), texts(&paragraphs));
        for (mac, unix) in on_returns.iter().zip(&paragraphs) {
            assert_eq!((mac.start, mac.line), (unix.start, 1), "{mac:?}");
        }
        let crlf = source.replace('\n', "\r\n");
        let (_, on_crlf) = parse(&crlf, false);
        assert_eq!(on_crlf[1].line, 6);
        assert!(crlf[on_crlf[1].start..].starts_with("<p>Run "));
        assert_eq!(
            paragraphs.iter().map(|p| p.number).collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
    }

    #[test]
    fn two_line_breaks_in_a_row_end_a_paragraph_and_buttons_are_no_text() {
        let source = "<html><body><div>First text about the heron.\n<br><br>\nSecond text \
                      about the bittern.<br>\nstill the bittern.<br> <br/><br>Third.</div>\n\
                      <h1>Module <span>vec</span>&nbsp;<button id=\"copy-path\">Copy item \
                      path</button></h1><details open><summary class=\"hideme\"><span>Expand \
                      description</span></summary><p>A growable array.</p></details></body></html>";
        let (_, paragraphs) = parse(source, false);
        assert_eq!(
            texts(&paragraphs),
            [
                "First text about the heron.",
                "Second text about the bittern. still the bittern.",
                "Third.",
                "Module vec",
                "A growable array."
            ]
        );
        let second = source.find("Second").unwrap();
        assert_eq!(paragraphs[1].start, second);
        assert_eq!(paragraphs[1].line, 3);
        // A footnote mark before one `<br>` is no blank line; nor are two in a heading.
        let (_, paragraphs) = parse(
            "<p>claim<sup><a href='#n1'>1</a></sup><br>next line</p><h2>A<br><br>B</h2><p>x</p>",
            false,
        );
        assert_eq!(texts(&paragraphs), ["claim 1 next line", "A B", "x"]);
        assert_eq!(paragraphs[2].section.as_deref(), Some("A B"));
        // A button that is no copy control holds the page's words (an accordion's question).
        let (_, paragraphs) = parse(
            "<h3><button aria-expanded='false'>Is it free?</button></h3><p>Yes.</p>\
             <pre>code<button class='md-clipboard' title='Copy to clipboard'></button></pre>",
            false,
        );
        assert_eq!(texts(&paragraphs), ["Is it free?", "Yes.", "code"]);
    }

    #[test]
    fn whitespace_collapses_as_a_browser_shows_it() {
        assert_eq!(collapse("  Run \n\t cargo  "), "Run cargo");
        // Chinese and Japanese wrapped in the source close up; spaced words, Korean and
        // punctuation before the break keep one space.
        assert_eq!(collapse("中国的经济\n  发展"), "中国的经济发展");
        assert_eq!(collapse("東京に\r\n行きます"), "東京に行きます");
        assert_eq!(collapse("经济 发展"), "经济 发展");
        assert_eq!(collapse("한국의\n경제"), "한국의 경제");
        assert_eq!(collapse("经济。\nThe"), "经济。 The");
        // A line break beside a `<br>`, a no-break, ideographic or em space is no wrap.
        for hard in ["\0", "\u{a0}", "\u{3000}", "\u{2003}"] {
            assert_eq!(
                collapse(&format!("中国{hard}\n日本")),
                "中国 日本",
                "{hard:?}"
            );
        }
        // A rule parts paragraphs.
        assert_eq!(
            texts(&parse("<div>alpha<hr>omega</div>", false).1),
            ["alpha", "omega"]
        );
        // A block's end in a table cell sets words apart as its start does.
        let cells = "<table><tr><td><p>economic</p>growth</td><td>A<div>B</div>C</td>\
                     <td>word<sup><a href=\"#fn1\" class=\"footnote-ref\">1</a></sup>next</td>\
                     <td>x<hr>y</td></tr></table>";
        assert_eq!(
            texts(&parse(cells, false).1),
            ["economic growth\tA B C\tword 1 next\tx y"]
        );
        let (_, paragraphs) = parse(
            "<p>中国<br>\n日本</p><p>一行目<br />\r\n　二行目</p>",
            false,
        );
        assert_eq!(texts(&paragraphs), ["中国 日本", "一行目 二行目"]);
        let (_, paragraphs) = parse("<p>中国的经济\n发展很快。</p>", false);
        assert_eq!(texts(&paragraphs), ["中国的经济发展很快。"]);
    }

    #[test]
    fn an_internal_subset_of_the_doctype_is_no_text() {
        let source = "<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.1//EN\" \"x\" [\n\
                      <!ENTITY custom \"é\">\n]>\n<html><body><p>first words</p></body></html>";
        let (_, paragraphs) = parse(source, true);
        assert_eq!(texts(&paragraphs), ["first words"]);
        assert!(source[paragraphs[0].start..].starts_with("<p>first"));
    }

    #[test]
    fn footnote_marks_are_no_part_of_the_word_before_them() {
        let source = "<body><p>Footnote<sup><a href=\"#fn1\">1</a></sup>word, \
                      pandoc<a href=\"#fn2\" class=\"footnote-ref\" role=\"doc-noteref\"><sup>2</sup></a> \
                      and the 1<sup>st</sup> of x<sup>2</sup>.</p></body>";
        let (_, paragraphs) = parse(source, true);
        assert_eq!(
            texts(&paragraphs),
            ["Footnote 1 word, pandoc ² and the 1st of x²."]
        );
    }

    #[test]
    fn superscript_and_subscript_digits_read_as_shown() {
        let source = "<body><p>A claim<sup>1</sup> here, H<sub>2</sub>O, 10<sup>23</sup>, \
                      the 2<sup>nd</sup>, x<sup> 2</sup>, <sup><b>3</b></sup>.</p>\
                      <table><tr><td>CO<sub>2</sub></td><td>m<sup>3</sup></td></tr></table>\
                      <pre>e<sup>2</sup></pre></body>";
        let (_, paragraphs) = parse(source, true);
        assert_eq!(
            texts(&paragraphs),
            [
                "A claim¹ here, H₂O, 10²³, the 2nd, x 2, 3.",
                "CO₂\tm³",
                "e²"
            ]
        );
        assert_eq!(raised_digits("sup", "0456789").as_deref(), Some("⁰⁴⁵⁶⁷⁸⁹"));
        assert_eq!(raised_digits("sub", "0189").as_deref(), Some("₀₁₈₉"));
        assert_eq!(raised_digits("sup", "-1"), None);
        assert_eq!(raised_digits("b", "1"), None);
    }

    #[test]
    fn a_variation_selector_before_a_wrapped_line_break_closes_up_as_its_ideograph() {
        let (_, paragraphs) = parse("<p>名古\u{FE00}\n屋に住む</p>", true);
        assert_eq!(texts(&paragraphs), ["名古\u{FE00}屋に住む"]);
    }

    #[test]
    fn a_formulas_copy_for_screen_readers_and_its_invisible_operators_are_not_read() {
        // KaTeX: the MathML copy beside the drawn formula.
        let katex = "<p>Einstein wrote <span class=\"katex\"><span class=\"katex-mathml\"><math>\
            <mi>E</mi><mo>=</mo><mi>m</mi></math></span><span class=\"katex-html\" \
            aria-hidden=\"true\">E=m</span></span> in 1905.</p>";
        assert_eq!(
            texts(&parse(katex, true).1),
            ["Einstein wrote E=m in 1905."]
        );
        let invisible = "<p>Area <math><mi>π</mi><mo>\u{2062}</mo><mi>r</mi></math> and \
            <annotation>a custom tag</annotation>.</p>";
        assert_eq!(
            texts(&parse(invisible, true).1),
            ["Area πr and a custom tag."]
        );
    }

    #[test]
    fn a_mathml_formula_spelt_a_letter_at_a_time_reads_as_shown() {
        // As pandoc writes `\\frac{distance}{time}` and `H_2O`.
        let letters =
            |word: &str| -> String { word.chars().map(|c| format!("<mi>{c}</mi>")).collect() };
        let fraction = format!(
            "<p>Speed <math><mfrac><mrow>{}</mrow><mrow>{}</mrow></mfrac></math> and \
             <math><msub><mi>H</mi><mn>2</mn></msub><mi>O</mi></math> boils.</p>",
            letters("distance"),
            letters("time")
        );
        assert_eq!(
            texts(&parse(&fraction, true).1),
            ["Speed distance time and H2O boils."]
        );
    }

    #[test]
    fn a_mathml_formula_is_read_token_by_token_without_its_tex_source() {
        let source = "<p>The formula <math><mi>speed</mi><mo>=</mo><mfrac><mi>distance</mi>\
                      <mi>time</mi></mfrac><annotation encoding=\"application/x-tex\">\\frac{d}{t}\
                      </annotation></math> is shown.</p>";
        let (_, paragraphs) = parse(source, true);
        assert_eq!(
            texts(&paragraphs),
            ["The formula speed = distance time is shown."]
        );
    }

    #[test]
    fn hidden_elements_are_not_read_unless_find_in_page_reveals_them() {
        let source = "<body><p hidden>secret words</p><div hidden=\"\"><p>also hidden</p></div>\
                      <p hidden=\"until-found\">found by search</p><p>shown</p></body>";
        let (_, paragraphs) = parse(source, true);
        assert_eq!(texts(&paragraphs), ["found by search", "shown"]);
    }

    const SPHINX_PAGE: &str = "<html><head><title>os</title></head><body>\n\
        <div class=\"related\" role=\"navigation\"><ul><li>index</li></ul></div>\n\
        <div class=\"document\"><div class=\"body\" role=\"main\">\n\
        <h1>Files<a class=\"headerlink\" href=\"#files\">¶</a></h1>\n\
        <dl><dt class=\"sig\" id=\"os.open\">\n<span>os.</span><span>open</span>(<em>path</em>)\
        <a class=\"headerlink\" href=\"#os.open\">¶</a></dt>\n<dd><p>Open the file.</p></dd></dl>\n\
        <pre>line one\n    line two\n</pre>\n\
        <table><tr><th>Name</th><th>Use</th></tr>\n<tr><td><p>path</p></td><td>a file</td></tr></table>\n\
        </div></div>\n\
        <div class=\"sphinxsidebar\" role=\"navigation\"><h3>This page</h3><p>Report a Bug</p></div>\n\
        <div class=\"footer\">© Copyright</div>\n</body></html>\n";

    #[test]
    fn main_content_drops_furniture_and_keeps_structure() {
        let (_, paragraphs) = parse(SPHINX_PAGE, false);
        assert_eq!(
            texts(&paragraphs),
            [
                "Files",
                "os.open(path)",
                "Open the file.",
                "line one\n    line two",
                "Name\tUse",
                "path\ta file"
            ]
        );
        let tags = ["<h1>", "<dt ", "<p>", "<pre>", "<tr>", "<tr>"];
        let mut from = 0;
        for (paragraph, tag) in paragraphs.iter().zip(tags) {
            let at = from + SPHINX_PAGE[from..].find(tag).unwrap_or(usize::MAX - from);
            assert_eq!(paragraph.start, at, "{paragraph:?}");
            let line = SPHINX_PAGE[..at].matches('\n').count() as u64 + 1;
            assert_eq!(paragraph.line, line, "{paragraph:?}");
            from = at + 1;
        }
    }

    #[test]
    fn the_whole_page_keeps_every_region_but_not_permalinks() {
        let (_, paragraphs) = parse(SPHINX_PAGE, true);
        let all = texts(&paragraphs).join("\n");
        for kept in ["index", "This page", "Report a Bug", "© Copyright", "Files"] {
            assert!(all.contains(kept), "{kept} in {all}");
        }
        assert!(!all.contains('¶'));
        assert!(paragraphs.windows(2).all(|w| w[0].start < w[1].start));
    }

    #[test]
    fn a_layout_table_of_lists_gives_its_items() {
        let source = "<table><tr><td><ul><li>one</li><li>two</li></ul></td>\
            <td><ul><li>three</li></ul></td></tr><tr><td>a</td><td>b</td></tr></table>";
        let (_, paragraphs) = parse(source, false);
        assert_eq!(texts(&paragraphs), ["one", "two", "three", "a\tb"]);
    }

    #[test]
    fn a_data_row_holding_lists_or_code_is_one_paragraph() {
        let head = "<table><tr><th>Name</th><th>Meaning</th></tr>";
        let rows = "<tr><td>alpha</td><td><ul><li>red</li><li>green</li></ul></td></tr>\
            <tr><td>beta</td><td><pre>code\nhere</pre></td></tr>\
            <tr><td>gamma</td><td><dl><dt>term</dt><dd>definition</dd></dl></td></tr>\
            <tr><td><ul><li>x</li></ul></td><td><ul><li>y</li></ul></td></tr></table>";
        let source = format!("{head}{rows}");
        let (_, paragraphs) = parse(&source, false);
        let expected = [
            "Name\tMeaning",
            "alpha\tred green",
            "beta\tcode here",
            "gamma\tterm definition",
            "x\ty",
        ];
        assert_eq!(texts(&paragraphs), expected);
        let row_starts: Vec<usize> = source.match_indices("<tr>").map(|(at, _)| at).collect();
        let starts: Vec<usize> = paragraphs.iter().map(|p| p.start).collect();
        assert_eq!(starts, row_starts);
        // Without header cells, a cell of words beside a list still makes the row data.
        let plain = "<table><tr><td>alpha</td><td>one of:<ul><li>red</li></ul></td></tr></table>";
        assert_eq!(texts(&parse(plain, false).1), ["alpha\tone of: red"]);
        // A header cell of a table nested in a cell does not make the outer table data.
        let nested = "<table><tr><td><table><tr><th>in</th></tr></table></td></tr>\
            <tr><td><ul><li>one</li></ul></td><td><ul><li>two</li></ul></td></tr></table>";
        assert_eq!(texts(&parse(nested, false).1), ["in", "one", "two"]);
    }

    #[test]
    fn text_on_one_line_is_placed_after_the_text_before_it() {
        // Minified: a word met before on the line, and a first word written with a reference.
        let source = "<ul><li><p>Note: read this first.</p> Note: then run it.</li></ul>\
                      <ul><li>first<ul><li>sub</li></ul>caf&eacute; bravo</li></ul>";
        let (_, paragraphs) = parse(source, false);
        assert_eq!(
            texts(&paragraphs),
            [
                "Note: read this first.",
                "Note: then run it.",
                "first",
                "sub",
                "café bravo"
            ]
        );
        let starts: Vec<usize> = paragraphs.iter().map(|p| p.start).collect();
        let second = source.find("</p> Note").map(|at| at + 5);
        let want = [
            source.find("<p>"),
            second,
            source.find("<li>first"),
            source.find("<li>sub"),
            source.find("caf&"),
        ];
        assert_eq!(starts.into_iter().map(Some).collect::<Vec<_>>(), want);
    }

    #[test]
    fn text_after_a_sub_list_starts_at_its_own_word() {
        let source = "<ul>\n<li>parent\n<ul><li>child</li></ul>\ntail words</li>\n</ul>";
        let (_, paragraphs) = parse(source, false);
        assert_eq!(texts(&paragraphs), ["parent", "child", "tail words"]);
        let starts: Vec<usize> = paragraphs.iter().map(|p| p.start).collect();
        let want = [
            source.find("<li>parent"),
            source.find("<li>child"),
            source.find("tail"),
        ];
        assert_eq!(starts.into_iter().map(Some).collect::<Vec<_>>(), want);
    }

    #[test]
    fn nesting_past_the_limit_keeps_its_text() {
        let depth = html_source::MAX_DEPTH + 10;
        let source = format!(
            "{}<p class='x>y'>deep <br> text</p>{}<i>after</i>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let (_, paragraphs) = parse(&source, false);
        assert_eq!(texts(&paragraphs), ["deep text", "after"]);
    }

    #[test]
    fn inline_tags_past_the_limit_part_no_word_and_block_tags_still_do() {
        let depth = html_source::MAX_DEPTH + 40;
        let source = format!(
            "<p>alpha{}beta{}gamma</p><div>{}one{}<div>two</div>{}</div>",
            "<span>".repeat(depth),
            "</span>".repeat(depth),
            "<div>".repeat(depth),
            "<b>x</b>",
            "</div>".repeat(depth),
        );
        let (_, paragraphs) = parse(&source, false);
        let texts = texts(&paragraphs);
        assert_eq!(texts[0], "alphabetagamma");
        assert!(texts[1..].iter().any(|t| t.contains("onex")), "{texts:?}");
        assert!(!texts.iter().any(|t| t.contains("xtwo")), "{texts:?}");
    }

    #[test]
    fn deeply_nested_html_does_not_overflow() {
        let source = format!("{}deep{}", "<div>".repeat(3_000), "</div>".repeat(3_000));
        let (_, paragraphs) = parse(&source, false);
        assert_eq!(texts(&paragraphs), ["deep"]);
    }

    /// A block of a generated page.
    #[derive(Debug, Clone)]
    enum Block {
        Paragraph(Vec<String>),
        List(Vec<(Vec<String>, Vec<Vec<String>>)>),
        Pre(Vec<String>),
        Table(Vec<Vec<String>>),
        Definition(Vec<String>, Vec<String>),
    }

    fn words() -> impl Strategy<Value = Vec<String>> {
        let word = prop_oneof![
            Just("alpha"),
            Just("beta"),
            Just("déjà"),
            Just("x&amp;y"),
            Just("<b>bold</b>"),
            Just("<a href='#p'>link</a>")
        ];
        proptest::collection::vec(word.prop_map(str::to_string), 1..4)
    }

    fn block() -> impl Strategy<Value = Block> {
        let list_item = (words(), proptest::collection::vec(words(), 0..3));
        prop_oneof![
            words().prop_map(Block::Paragraph),
            proptest::collection::vec(list_item, 1..3).prop_map(Block::List),
            proptest::collection::vec("[a-z]{1,5}( +[a-z]{1,5})?", 1..3).prop_map(Block::Pre),
            proptest::collection::vec(words().prop_map(|w| w.join(" ")), 1..3)
                .prop_map(|cells| Block::Table(vec![cells])),
            (words(), words()).prop_map(|(t, d)| Block::Definition(t, d)),
        ]
    }

    /// What a generated fragment of inline HTML reads as.
    fn visible(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        collapse(&out.replace("&amp;", "&"))
    }

    /// Renders `blocks`, with `gap` between tags, and the paragraphs it must give: start, text.
    fn render(blocks: &[Block], gap: &str) -> (String, Vec<(usize, String)>) {
        let mut html = String::from("<!doctype html><html><body>\n<nav><p>menu</p></nav>\n");
        let mut want = Vec::new();
        let open = |html: &mut String, want: &mut Vec<(usize, String)>, tag: &str, inner: &str| {
            want.push((html.len(), visible(inner)));
            html.push_str(&format!("<{tag}>{inner}</{tag}>{gap}"));
        };
        for block in blocks {
            match block {
                Block::Paragraph(words) => open(&mut html, &mut want, "p", &words.join(gap)),
                Block::Definition(term, text) => {
                    html.push_str("<dl>");
                    open(&mut html, &mut want, "dt", &term.join(" "));
                    open(&mut html, &mut want, "dd", &text.join(" "));
                    html.push_str("</dl>");
                }
                Block::List(items) => {
                    html.push_str(&format!("<ul>{gap}"));
                    for (words, children) in items {
                        want.push((html.len(), visible(&words.join(" "))));
                        html.push_str(&format!("<li>{}{gap}<ul>", words.join(" ")));
                        for child in children {
                            open(&mut html, &mut want, "li", &child.join(" "));
                        }
                        html.push_str(&format!("</ul></li>{gap}"));
                    }
                    html.push_str("</ul>");
                }
                Block::Pre(lines) => {
                    want.push((html.len(), lines.join("\n")));
                    html.push_str(&format!("<pre>{}</pre>{gap}", lines.join("\n")));
                }
                Block::Table(rows) => {
                    html.push_str("<table>");
                    for cells in rows {
                        let text: Vec<String> = cells.iter().map(|c| visible(c)).collect();
                        want.push((html.len(), text.join("\t")));
                        let cells: String =
                            cells.iter().map(|c| format!("<td>{c}</td>{gap}")).collect();
                        html.push_str(&format!("<tr>{cells}</tr>"));
                    }
                    html.push_str("</table>");
                }
            }
        }
        html.push_str("<footer>page footer</footer></body></html>");
        (html, want)
    }

    proptest! {
        #[test]
        fn every_paragraph_starts_at_its_element_in_order(
            blocks in proptest::collection::vec(block(), 0..8),
            gap in prop_oneof![Just(""), Just(" "), Just("\n"), Just("\n\n  ")],
        ) {
            let (html, want) = render(&blocks, gap);
            let (_, paragraphs) = parse(&html, false);
            let got: Vec<(usize, String)> =
                paragraphs.iter().map(|p| (p.start, p.text.clone())).collect();
            prop_assert_eq!(&got, &want, "{}", html);
            for p in &paragraphs {
                prop_assert_eq!(p.line, html[..p.start].matches('\n').count() as u64 + 1);
            }
        }
    }
}
