//! HTML documents: only visible text is indexed. Block elements (paragraphs, headings, list
//! items, table rows, quotes, preformatted text, and divisions holding text directly) are
//! passages; `<script>`, `<style>` and other invisible elements are dropped; entities are decoded
//! by the parser (html5ever, through `scraper`); `<title>` becomes the document title.
//!
//! A passage's `text` is its visible text. Its `start` points at the passage's first word in the
//! source (found by searching forward from the previous passage), so lines and offsets lead to
//! the right place in the file.

use std::borrow::Cow;

use ego_tree::NodeRef;
use scraper::{Html, Node};

use super::{LineIndex, Passage};

/// Elements whose text is never shown.
const INVISIBLE: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "svg", "math", "iframe", "object",
];

/// Elements that make a passage of their own.
const BLOCKS: &[&str] = &[
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
];

/// How deeply elements may nest before their tags are ignored. The HTML5 parser checks its
/// open elements at each tag, so its time grows with the square of the depth: 80,000 nested
/// `<div>`s took 10 s. Real pages nest a few dozen levels.
const MAX_DEPTH: usize = 256;

/// Elements that never have an end tag, so they do not nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// A document's title and passages.
pub fn parse(source: &str) -> (Option<String>, Vec<Passage>) {
    let document = Html::parse_document(&flatten_deep_nesting(source));
    let title = document
        .root_element()
        .descendants()
        .find(|n| n.value().as_element().is_some_and(|e| e.name() == "title"))
        .map(|n| collapse(&text_of(n)))
        .filter(|t| !t.is_empty());
    let mut texts: Vec<String> = Vec::new();
    let mut current = String::new();
    collect(document.tree.root(), &mut texts, &mut current);
    flush(&mut texts, &mut current);
    let lines = LineIndex::new(source);
    let mut passages = Vec::new();
    let mut search_from = 0;
    for text in texts {
        let start = locate(source, &text, search_from);
        search_from = start;
        passages.push(Passage {
            number: passages.len() as u64 + 1,
            line: lines.line_of(start),
            start,
            text,
            index_text: None,
            section: None,
        });
    }
    (title, passages)
}

/// `source` with the tags that would nest elements deeper than [`MAX_DEPTH`] blanked to spaces
/// (byte for byte, so offsets into it are offsets into `source`), and their end tags with
/// them; their text stays, in the innermost element kept. Borrowed when nothing nests that
/// deep. Nesting is counted on the tags as written (start tags of non-void elements open,
/// end tags close); comments, doctype and the content of `<script>` and `<style>` are skipped.
fn flatten_deep_nesting(source: &str) -> Cow<'_, str> {
    let bytes = source.as_bytes();
    let mut blanks: Vec<(usize, usize)> = Vec::new();
    let (mut depth, mut blanked_open) = (0usize, 0usize);
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + found;
        let Some(tag) = Tag::read(bytes, start) else {
            at = start + 1;
            continue;
        };
        at = tag.end;
        match tag.kind {
            TagKind::Open if depth >= MAX_DEPTH => {
                blanks.push((start, tag.end));
                blanked_open += 1;
            }
            TagKind::Open => depth += 1,
            TagKind::Close if blanked_open > 0 => {
                blanks.push((start, tag.end));
                blanked_open -= 1;
            }
            TagKind::Close => depth = depth.saturating_sub(1),
            TagKind::Other => {}
        }
        if let Some(raw_end) = tag.raw_text_end(bytes) {
            at = raw_end;
        }
    }
    if blanks.is_empty() {
        return Cow::Borrowed(source);
    }
    let mut flat = bytes.to_vec();
    for (from, to) in blanks {
        flat[from..to].fill(b' ');
    }
    // Only whole tags (ASCII from `<` to `>`) were replaced, so the text is still UTF-8.
    Cow::Owned(String::from_utf8(flat).unwrap_or_else(|_| source.to_string()))
}

/// What a tag does to the nesting depth.
#[derive(Debug, PartialEq, Eq)]
enum TagKind {
    Open,
    Close,
    /// Comments, doctype, processing instructions, void and self-closing elements.
    Other,
}

/// A tag found in the source: its kind, its lower-cased name and where it ends.
struct Tag {
    kind: TagKind,
    name: Vec<u8>,
    end: usize,
}

impl Tag {
    /// The tag starting at `bytes[start] == b'<'`, or `None` when it is not a tag.
    fn read(bytes: &[u8], start: usize) -> Option<Tag> {
        let rest = &bytes[start + 1..];
        if rest.starts_with(b"!--") {
            let end =
                memchr::memmem::find(&rest[3..], b"-->").map_or(bytes.len(), |i| start + 4 + i + 3);
            return Some(Tag {
                kind: TagKind::Other,
                name: Vec::new(),
                end,
            });
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = usize::from(closing);
        let name: Vec<u8> = rest[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .map(u8::to_ascii_lowercase)
            .collect();
        let first = rest.get(name_start)?;
        if !(first.is_ascii_alphabetic() || (!closing && matches!(first, b'!' | b'?'))) {
            return None;
        }
        let end = start + 1 + tag_end(&rest[name_start..])? + name_start;
        let self_closing = bytes[..end].ends_with(b"/>");
        let kind = if name.is_empty() || VOID.contains(&std::str::from_utf8(&name).unwrap_or("")) {
            TagKind::Other
        } else if closing {
            TagKind::Close
        } else if self_closing {
            TagKind::Other
        } else {
            TagKind::Open
        };
        Some(Tag { kind, name, end })
    }

    /// For the start tag of `<script>` or `<style>`, where its content ends (its end tag).
    fn raw_text_end(&self, bytes: &[u8]) -> Option<usize> {
        if self.kind != TagKind::Open || !matches!(self.name.as_slice(), b"script" | b"style") {
            return None;
        }
        let mut close = b"</".to_vec();
        close.extend_from_slice(&self.name);
        let rest = &bytes[self.end..];
        let found = (0..rest.len().saturating_sub(close.len() - 1))
            .find(|&i| rest[i..i + close.len()].eq_ignore_ascii_case(&close));
        Some(found.map_or(bytes.len(), |i| self.end + i))
    }
}

/// The length up to and including the `>` that ends a tag whose text is `tag`, skipping quoted
/// attribute values; `None` when it never ends.
fn tag_end(tag: &[u8]) -> Option<usize> {
    let mut quote = None;
    for (i, &b) in tag.iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

fn text_of(node: NodeRef<'_, Node>) -> String {
    node.descendants()
        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
        .collect()
}

/// Whitespace runs become one space; the ends are trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn flush(texts: &mut Vec<String>, current: &mut String) {
    let text = collapse(current);
    if !text.is_empty() {
        texts.push(text);
    }
    current.clear();
}

/// Walks the tree in document order (iteratively, so deep nesting cannot overflow the stack),
/// cutting passages at block boundaries.
fn collect(root: NodeRef<'_, Node>, texts: &mut Vec<String>, current: &mut String) {
    enum Step<'a> {
        Enter(NodeRef<'a, Node>),
        Leave(bool),
    }
    let mut stack = vec![Step::Enter(root)];
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::Leave(is_block) => {
                if is_block {
                    flush(texts, current);
                }
                continue;
            }
            Step::Enter(node) => node,
        };
        match node.value() {
            Node::Text(text) => current.push_str(text),
            Node::Element(element) => {
                let name = element.name();
                if INVISIBLE.contains(&name) {
                    continue;
                }
                if name == "br" {
                    current.push(' ');
                    continue;
                }
                let is_block = BLOCKS.contains(&name);
                if is_block {
                    flush(texts, current);
                }
                stack.push(Step::Leave(is_block));
                let children: Vec<_> = node.children().collect();
                for child in children.into_iter().rev() {
                    stack.push(Step::Enter(child));
                }
            }
            Node::Document | Node::Fragment => {
                let children: Vec<_> = node.children().collect();
                for child in children.into_iter().rev() {
                    stack.push(Step::Enter(child));
                }
            }
            _ => {}
        }
    }
}

/// Where a passage starts in the source: its first word, searched from `from` on (or `from` if
/// the word is not there verbatim, as with an entity).
fn locate(source: &str, text: &str, from: usize) -> usize {
    let first_word = text.split_whitespace().next().unwrap_or_default();
    if first_word.is_empty() {
        return from;
    }
    let mut at = from;
    while let Some(found) = source[at..].find(first_word) {
        let position = at + found;
        // Skip matches inside tags, such as attribute values.
        let last_open = source[..position].rfind('<');
        let last_close = source[..position].rfind('>');
        if last_open.is_none() || last_close >= last_open {
            return position;
        }
        at = position + first_word.len();
    }
    from
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_of_blocks_becomes_passages() {
        let source = "<!doctype html>\n<html><head><title>The Title</title>\n<style>p{color:red}</style></head>\n<body>\n<h1>Setup</h1>\n<p>Run <b>cargo</b> &amp; <a href=\"https://cargo.example\">read</a>.</p>\n<script>var hidden = 1;</script>\n<ul><li>one</li><li>two</li></ul>\n</body></html>\n";
        let (title, passages) = parse(source);
        assert_eq!(title.as_deref(), Some("The Title"));
        let texts: Vec<&str> = passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["Setup", "Run cargo & read.", "one", "two"]);
        assert_eq!(passages[1].line, 6);
        assert!(source[passages[1].start..].starts_with("Run "));
        assert_eq!(
            passages.iter().map(|p| p.number).collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
    }

    #[test]
    fn nesting_past_the_limit_is_flattened_in_place() {
        let depth = MAX_DEPTH + 10;
        let source = format!(
            "<!-- <div> --><script>if (a<b) {{}}</script>{}<p class='x>y'>deep <br> text</p>{}<i>after</i>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let flat = flatten_deep_nesting(&source);
        assert_eq!(flat.len(), source.len());
        // The limit's worth of `<div>`s, and the one in the comment, which is not a tag.
        assert_eq!(flat.matches("<div>").count(), MAX_DEPTH + 1);
        assert_eq!(flat.matches("</div>").count(), MAX_DEPTH);
        // The paragraph opened past the limit is blanked with its end tag; the text stays.
        assert!(!flat.contains("<p") && !flat.contains("</p>"), "{flat}");
        assert!(flat.contains("deep <br> text") && flat.contains("<i>after</i>"));
        let (_, passages) = parse(&source);
        let texts: Vec<&str> = passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["deep text", "after"]);
    }

    #[test]
    fn ordinary_pages_are_not_copied() {
        let source = "<html><body><div><p>one<br/>two</p><img src=x></div></body></html>";
        assert!(matches!(flatten_deep_nesting(source), Cow::Borrowed(_)));
    }

    #[test]
    fn deeply_nested_html_does_not_overflow() {
        let source = format!("{}deep{}", "<div>".repeat(3_000), "</div>".repeat(3_000));
        let (_, passages) = parse(&source);
        assert_eq!(passages.len(), 1);
        assert_eq!(passages[0].text, "deep");
    }
}
