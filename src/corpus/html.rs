//! HTML documents: only visible text is indexed. Block elements (paragraphs, headings, list
//! items, table rows, quotes, preformatted text, and divisions holding text directly) are
//! passages; `<script>`, `<style>` and other invisible elements are dropped; entities are decoded
//! by the parser (html5ever, through `scraper`); `<title>` becomes the document title.
//!
//! A passage's `text` is its visible text. Its `start` points at the passage's first word in the
//! source (found by searching forward from the previous passage), so lines and offsets lead to
//! the right place in the file.

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

/// A document's title and passages.
pub fn parse(source: &str) -> (Option<String>, Vec<Passage>) {
    let document = Html::parse_document(source);
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
    fn deeply_nested_html_does_not_overflow() {
        let source = format!("{}deep{}", "<div>".repeat(3_000), "</div>".repeat(3_000));
        let (_, passages) = parse(&source);
        assert_eq!(passages.len(), 1);
        assert_eq!(passages[0].text, "deep");
    }
}
