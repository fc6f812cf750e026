//! Where an HTML document's elements and text are in its source. The HTML5 parser (html5ever,
//! through scraper) builds the tree but keeps no source positions, so [`parse`] wraps scraper's
//! tree sink in one that records the line each element and text node was made on (the
//! tokenizer's line: for a start tag, the line of its `>`), and lists the source's start tags by
//! name and the line they end on: the n-th `p` element made on line 12 is the n-th `<p` tag
//! ending on line 12. An error (an element the parser implied, a tag it ignored) stays on its
//! line. Text is placed by its first word on its line, after the text before it there (every
//! text node is placed at parse time, in document order).
//!
//! Before parsing, nesting deeper than [`MAX_DEPTH`] is flattened in place
//! ([`flatten_deep_nesting`]), which bounds the parser's time.

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};
use std::collections::{HashMap, VecDeque};

use ego_tree::NodeId;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::{Html, HtmlTreeSink, Node};

use super::LineIndex;

/// How deeply elements may nest before their tags are ignored. The HTML5 parser checks its
/// open elements at each tag, so its time grows with the square of the depth: 80,000 nested
/// `<div>`s took 10 s. Real pages nest a few dozen levels.
pub(super) const MAX_DEPTH: usize = 256;

/// Elements that never have an end tag, so they do not nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose content the tokenizer reads as text up to their end tag (with scripting on,
/// as the parser runs), so no tag inside them makes an element.
const RAW_TEXT: &[&[u8]] = &[
    b"script",
    b"style",
    b"title",
    b"textarea",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
    b"noscript",
];

/// A parsed document and where its elements and text are in the source.
pub(super) struct Located {
    /// The document tree.
    pub html: Html,
    /// The byte offset of the start tag of each element whose name was asked for and found.
    elements: HashMap<NodeId, usize>,
    /// The line each text node holding more than whitespace started on.
    texts: HashMap<NodeId, u64>,
    /// The source's line starts, as editors count lines (after `\n`): a paragraph's line.
    pub lines: LineIndex,
    /// The source's line starts as the tokenizer counts them (a `\r` alone ends one too): where
    /// the lines it recorded start.
    token_lines: LineIndex,
    /// Where each text node was placed.
    placed: RefCell<HashMap<NodeId, usize>>,
    /// On each line, where the text placed last on it ends: text nodes are placed in document
    /// order, so a later one is looked for after it (a word of a minified page's later
    /// paragraph is not placed on an earlier one's).
    floors: RefCell<HashMap<u64, usize>>,
}

/// Parses `source`, locating the start tags of the elements `wanted` names.
pub(super) fn parse(source: &str, wanted: impl Fn(&str) -> bool) -> Located {
    let flat = flatten_deep_nesting(source);
    let sink = LineSink {
        inner: HtmlTreeSink::new(Html::new_document()),
        line: Cell::new(1),
        elements: RefCell::new(Vec::new()),
        texts: RefCell::new(HashMap::new()),
    };
    let recorded = html5ever::driver::parse_document(sink, Default::default()).one(flat.as_ref());
    let token_lines = LineIndex::with_lone_returns(source);
    let mut tags = start_tags(flat.as_bytes(), &token_lines, &wanted);
    let mut elements = HashMap::new();
    for (id, line) in recorded.elements {
        let Some(name) = recorded.html.tree.get(id).and_then(|n| match n.value() {
            Node::Element(e) if wanted(e.name()) => Some(e.name()),
            _ => None,
        }) else {
            continue;
        };
        let found = tags
            .get_mut(&(name.as_bytes().to_vec(), line))
            .and_then(VecDeque::pop_front);
        if let Some(offset) = found {
            elements.insert(id, offset);
        }
    }
    let located = Located {
        html: recorded.html,
        elements,
        texts: recorded.texts,
        lines: LineIndex::new(source),
        token_lines,
        placed: RefCell::new(HashMap::new()),
        floors: RefCell::new(HashMap::new()),
    };
    // Every text in document order, so that each is looked for after the one before it.
    for node in located.html.tree.root().descendants() {
        if let Node::Text(text) = node.value() {
            located.text_start(source, node.id(), text);
        }
    }
    located
}

impl Located {
    /// Where the start tag of element `id` is, when its name was asked for and the tag found.
    pub fn element_start(&self, id: NodeId) -> Option<usize> {
        self.elements.get(&id).copied()
    }

    /// Where the text node `id`, holding `text`, starts: its first word on its line (outside
    /// tags), after the text placed before it on that line; else (a word written with a
    /// character reference, `caf&eacute;`) the first byte of text there; `None` when its line
    /// is not known.
    pub fn text_start(&self, source: &str, id: NodeId, text: &str) -> Option<usize> {
        if let Some(&at) = self.placed.borrow().get(&id) {
            return Some(at);
        }
        let line = *self.texts.get(&id)?;
        let start = self.token_lines.start_of(line)?;
        // The line's end: the next line's start less its `\n` (not a scan of a long line).
        let end = (self.token_lines.start_of(line + 1))
            .map_or(source.len(), |next| next - 1)
            .clamp(start, source.len());
        let on_line = &source[start..end];
        let floor = self.floors.borrow().get(&line).map_or(0, |f| f - start);
        let word = text.split_whitespace().next().unwrap_or_default();
        let outside_tags = |at: &usize| {
            let before = &on_line[..*at];
            before
                .rfind('<')
                .is_none_or(|open| before.rfind('>') > Some(open))
        };
        let found = (!word.is_empty())
            .then(|| {
                on_line
                    .get(floor..)?
                    .match_indices(word)
                    .map(|(i, _)| floor + i)
                    .find(outside_tags)
            })
            .flatten();
        let at = found.unwrap_or_else(|| first_text_byte(on_line, floor));
        let placed = start + at;
        let first_char = source[placed..].chars().next().map_or(1, char::len_utf8);
        let after = placed + found.map_or(first_char, |_| word.len());
        self.floors.borrow_mut().insert(line, after.min(end));
        self.placed.borrow_mut().insert(id, placed);
        Some(placed)
    }
}

/// The first byte of `line` from `from` on that is text: neither blank nor in a tag; the
/// line's first non-blank byte when there is none.
fn first_text_byte(line: &str, from: usize) -> usize {
    let bytes = line.as_bytes();
    let mut at = from.min(bytes.len());
    while at < bytes.len() {
        match bytes[at] {
            b'<' => match memchr::memchr(b'>', &bytes[at..]) {
                Some(close) => at += close + 1,
                None => break,
            },
            b if b.is_ascii_whitespace() => at += 1,
            _ => return at,
        }
    }
    line.len() - line.trim_start().len()
}

/// The start tags of `wanted` elements in `bytes`, by lower-cased name and the line their `>`
/// is on, in source order. Comments, doctype and the content of raw-text elements are skipped.
fn start_tags(
    bytes: &[u8],
    lines: &LineIndex,
    wanted: &impl Fn(&str) -> bool,
) -> HashMap<(Vec<u8>, u64), VecDeque<usize>> {
    let mut tags: HashMap<(Vec<u8>, u64), VecDeque<usize>> = HashMap::new();
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + found;
        let Some(tag) = Tag::read(bytes, start) else {
            at = start + 1;
            continue;
        };
        at = tag.end;
        let is_start = !tag.closing && !tag.name.is_empty();
        if is_start && wanted(std::str::from_utf8(&tag.name).unwrap_or("")) {
            let line = lines.line_of(tag.end - 1);
            tags.entry((tag.name.clone(), line))
                .or_default()
                .push_back(start);
        }
        if let Some(raw_end) = tag.raw_text_end(bytes) {
            at = raw_end;
        }
    }
    tags
}

/// scraper's tree sink, recording the line each element and text node is made on.
struct LineSink {
    inner: HtmlTreeSink,
    /// The tokenizer's line of the token being processed.
    line: Cell<u64>,
    /// Every element made, in order, with its line.
    elements: RefCell<Vec<(NodeId, u64)>>,
    /// The line of each text node's first chunk holding more than whitespace.
    texts: RefCell<HashMap<NodeId, u64>>,
}

/// What [`LineSink`] hands back: the tree and the lines it recorded.
struct Recorded {
    html: Html,
    elements: Vec<(NodeId, u64)>,
    texts: HashMap<NodeId, u64>,
}

impl LineSink {
    /// Records that the text node `id` (when there is one) got words, `lines_after` lines
    /// before the current line (the tokenizer counts the lines of a chunk of text before it
    /// hands it over), unless it had words before.
    fn note_text(&self, id: Option<NodeId>, lines_after: u64) {
        if let Some(id) = id {
            let line = self.line.get().saturating_sub(lines_after).max(1);
            self.texts.borrow_mut().entry(id).or_insert(line);
        }
    }

    fn last_child(&self, parent: NodeId) -> Option<NodeId> {
        let html = self.inner.0.borrow();
        let child = html.tree.get(parent)?.last_child()?;
        child.value().is_text().then(|| child.id())
    }

    fn previous_sibling(&self, sibling: NodeId) -> Option<NodeId> {
        let html = self.inner.0.borrow();
        let node = html.tree.get(sibling)?.prev_sibling()?;
        node.value().is_text().then(|| node.id())
    }
}

/// For text holding words, how many line breaks follow its first word.
fn lines_after_words<H>(child: &NodeOrText<H>) -> Option<u64> {
    let NodeOrText::AppendText(text) = child else {
        return None;
    };
    let words = text.find(|c: char| !c.is_whitespace())?;
    Some(text[words..].matches('\n').count() as u64)
}

impl TreeSink for LineSink {
    type Output = Recorded;
    type Handle = NodeId;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Recorded {
        Recorded {
            html: self.inner.finish(),
            elements: self.elements.into_inner(),
            texts: self.texts.into_inner(),
        }
    }

    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg);
    }

    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Ref<'a, QualName> {
        self.inner.elem_name(target)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let id = self.inner.create_element(name, attrs, flags);
        self.elements.borrow_mut().push((id, self.line.get()));
        id
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        let words = lines_after_words(&child);
        self.inner.append(parent, child);
        if let Some(lines_after) = words {
            self.note_text(self.last_child(*parent), lines_after);
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let has_parent = self
            .inner
            .0
            .borrow()
            .tree
            .get(*element)
            .is_some_and(|n| n.parent().is_some());
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, name: StrTendril, public: StrTendril, system: StrTendril) {
        self.inner.append_doctype_to_document(name, public, system);
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode);
    }

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        let words = lines_after_words(&new_node);
        self.inner.append_before_sibling(sibling, new_node);
        if let Some(lines_after) = words {
            self.note_text(self.previous_sibling(*sibling), lines_after);
        }
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs);
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent);
    }

    fn set_current_line(&self, line_number: u64) {
        self.line.set(line_number);
    }
}

/// `source` with the tags that would nest elements deeper than [`MAX_DEPTH`] blanked to spaces
/// (byte for byte, so offsets into it are offsets into `source`; an inline element's to a
/// comment of its length), and their end tags with them; their text stays, in the innermost
/// element kept. Borrowed when nothing nests that
/// deep. Nesting is counted on the tags as written (start tags of non-void elements open,
/// end tags close); comments, doctype and the content of raw-text elements are skipped.
pub(super) fn flatten_deep_nesting(source: &str) -> Cow<'_, str> {
    let bytes = source.as_bytes();
    let mut blanks: Vec<(usize, usize, bool)> = Vec::new();
    let (mut depth, mut blanked_open) = (0usize, 0usize);
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + found;
        let Some(tag) = Tag::read(bytes, start) else {
            at = start + 1;
            continue;
        };
        at = tag.end;
        let inline = !super::html::BLOCKS.contains(&std::str::from_utf8(&tag.name).unwrap_or(""));
        match tag.kind {
            TagKind::Open if depth >= MAX_DEPTH => {
                blanks.push((start, tag.end, inline));
                blanked_open += 1;
            }
            TagKind::Open => depth += 1,
            TagKind::Close if blanked_open > 0 => {
                blanks.push((start, tag.end, inline));
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
    for (from, to, inline) in blanks {
        flat[from..to].fill(b' ');
        // An inline element's tag parts no word (`al<span>pha`): it becomes a comment of its
        // length, `<!   >` (the parser's bogus comment: no element, no text, in any context;
        // every tag is three bytes or more); a block's tag stays spaces, which part words.
        if inline {
            flat[from..from + 2].copy_from_slice(b"<!");
            flat[to - 1] = b'>';
        }
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
    /// An end tag (`</p>`).
    closing: bool,
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
                closing: false,
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
        Some(Tag {
            kind,
            closing,
            name,
            end,
        })
    }

    /// For the start tag of a raw-text element (`<script>`, `<style>`, ...), where its content
    /// ends (its end tag).
    fn raw_text_end(&self, bytes: &[u8]) -> Option<usize> {
        if self.kind != TagKind::Open || !RAW_TEXT.contains(&self.name.as_slice()) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn p_starts(source: &str) -> Vec<usize> {
        let located = parse(source, |name| name == "p");
        let mut starts: Vec<usize> = located
            .html
            .tree
            .nodes()
            .filter(|n| n.value().as_element().is_some_and(|e| e.name() == "p"))
            .filter_map(|n| located.element_start(n.id()))
            .collect();
        starts.sort_unstable();
        starts
    }

    #[test]
    fn elements_are_found_at_their_start_tags() {
        let source = "<p>one</p><p>two</p>\n<div\n  class=x><p\n id=y>three</p></div>\n";
        let want: Vec<usize> = source.match_indices("<p").map(|(i, _)| i).collect();
        assert_eq!(p_starts(source), want);
    }

    #[test]
    fn tags_in_comments_and_raw_text_are_not_elements() {
        let source = "<!-- <p> --><title><p></title><script>'<p>'</script><p>real</p>";
        assert_eq!(p_starts(source), [source.rfind("<p>").unwrap_or(0)]);
    }

    #[test]
    fn text_is_placed_by_its_first_word_on_its_line() {
        let source = "<div>\n  <b title=\"alpha\">x</b> alpha beta\n\n  gamma\n</div>";
        let located = parse(source, |_| false);
        let text = located
            .html
            .tree
            .nodes()
            .find(|n| n.value().as_text().is_some_and(|t| t.contains("alpha")))
            .map(|n| n.id());
        let start = text.and_then(|id| located.text_start(source, id, "alpha beta"));
        assert_eq!(start, source.rfind("alpha"));
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
    }

    #[test]
    fn ordinary_pages_are_not_copied() {
        let source = "<html><body><div><p>one<br/>two</p><img src=x></div></body></html>";
        assert!(matches!(flatten_deep_nesting(source), Cow::Borrowed(_)));
    }
}
