//! Markdown documents: each block (paragraph, heading, list item, code block, table row, quote
//! paragraph) is a paragraph. A paragraph's `text` is its exact source, so offsets and lines point
//! into the file; its `index_text` is the same bytes with the markup blanked out (`**`, link
//! targets, code fences, list markers become spaces), so markup never becomes a search word while
//! every word keeps its offset. Each paragraph also carries its heading path (`Setup > Linux`).
//!
//! An HTML block's visible text is indexed too (`<details><summary>`, a centred `<div>`, an
//! HTML table): a paragraph for each run of text between block-level tags, its tags, comments,
//! scripts and entities blanked.
//!
//! Paragraphs are in source order and start where their block does: a list item's first block
//! at the item's marker. A list item's own words come before its sub-list's items, as a
//! paragraph of their own; words after the sub-list start a new one.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::sections::Headings;
use super::{LineIndex, Paragraph};

/// A block being collected: where it starts (`None`: at its first text, for the words of a
/// list item after a nested block) and the text events attributed to it.
struct Open {
    start: Option<usize>,
    pieces: Vec<(Range<usize>, String)>,
}

impl Open {
    /// The words collected so far, as a block of their own; this block goes on from its next
    /// words.
    fn take_words(&mut self) -> Open {
        Open {
            start: self.start.take(),
            pieces: std::mem::take(&mut self.pieces),
        }
    }
}

/// Splits Markdown source into its title and paragraphs: the title is the front matter's
/// `title` (Hugo, Jekyll, Docusaurus pages name themselves there), else the text of a level-1
/// heading that is the document's first block but for HTML blocks (`# Title`, or `Title`
/// underlined with `===`, perhaps under a centred logo).
/// Stops at [`super::MAX_DOCUMENT_PARAGRAPHS`], saying so.
pub fn parse(source: &str) -> (Option<String>, Vec<Paragraph>, Option<String>) {
    let mut title = None;
    let mut paragraphs = blocks(source, &mut title);
    if let Some(named) = front_matter(source).and_then(|block| front_matter_title(&source[block])) {
        title = Some(named);
    }
    let cut = (paragraphs.len() > super::MAX_DOCUMENT_PARAGRAPHS).then(super::too_many_paragraphs);
    paragraphs.truncate(super::MAX_DOCUMENT_PARAGRAPHS);
    (title, paragraphs, cut)
}

/// Splits Markdown source into paragraphs.
#[cfg(test)]
pub fn paragraphs(source: &str) -> Vec<Paragraph> {
    blocks(source, &mut None)
}

/// `source` with its front matter blanked (a YAML `---` or TOML `+++` metadata block that opens
/// the document: no text of it is read), its line breaks kept so that every offset and line
/// stays. A `---` line further down is Markdown (a thematic break, a setext heading's
/// underline), as CommonMark and GitHub read it: a slide deck's slides are text.
fn without_front_matter(source: &str) -> Cow<'_, str> {
    let Some(block) = front_matter(source) else {
        return Cow::Borrowed(source);
    };
    // Byte for byte: a character of several bytes becomes as many spaces.
    let mut out = String::with_capacity(source.len());
    for c in source[block.clone()].chars() {
        match c {
            '\n' => out.push('\n'),
            c => out.extend(std::iter::repeat_n(' ', c.len_utf8())),
        }
    }
    out.push_str(&source[block.end..]);
    Cow::Owned(out)
}

/// Where the front matter block `source` opens with is, delimiters and all, if it has one.
fn front_matter(source: &str) -> Option<std::ops::Range<usize>> {
    let prefix = front_matter_candidate(source)?;
    // Only the candidate is parsed, to see whether pulldown-cmark reads it as metadata.
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut events = Parser::new_ext(&source[..prefix], options).into_offset_iter();
    match events.next() {
        Some((Event::Start(Tag::MetadataBlock(_)), range)) if range.start == 0 => Some(range),
        _ => None,
    }
}

/// The `title` a front matter block gives at its top level: YAML's `title: The Name` or TOML's
/// `title = "The Name"`, a quoted value unquoted (`\"` and `''` as in their quotes); none for
/// an empty one or a YAML block scalar (`title: >`).
fn front_matter_title(block: &str) -> Option<String> {
    // TOML's top level ends at its first table (`[params]`: a `title` there is no page's).
    let top_level = block.lines().take_while(|line| !line.starts_with('['));
    let value = top_level.into_iter().find_map(|line| {
        let rest = line.strip_prefix("title")?.trim_start();
        let value = rest.strip_prefix(':').or_else(|| rest.strip_prefix('='))?;
        Some(value.trim())
    })?;
    let unquoted = match value.chars().next() {
        Some(quote @ ('"' | '\'')) => quoted(&value[1..], quote),
        Some('|' | '>' | '[' | '{') => return None,
        // A YAML comment after the value.
        _ => value
            .split(" #")
            .next()
            .unwrap_or(value)
            .trim_end()
            .to_string(),
    };
    Some(unquoted.trim().to_string()).filter(|title| !title.is_empty())
}

/// The text of a quoted value up to its closing `quote` (what follows, a comment, left out):
/// in double quotes, `\"` and `\\` are a quote and a backslash; in single quotes, `''` is one.
fn quoted(rest: &str, quote: char) -> String {
    let mut text = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quote == '"' => match chars.next() {
                Some('n' | 't' | 'r') => text.push(' '),
                Some(kind @ ('u' | 'U' | 'x')) => {
                    let digits = match kind {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex: String = chars.by_ref().take(digits).collect();
                    let decoded = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                    text.push(decoded.unwrap_or(char::REPLACEMENT_CHARACTER));
                }
                Some(next) => text.push(next),
                None => {}
            },
            '\'' if quote == '\'' && chars.peek() == Some(&'\'') => {
                chars.next();
                text.push('\'');
            }
            c if c == quote => break,
            c => text.push(c),
        }
    }
    text
}

/// Where a front matter block that `source` opens with would end: after the first line that
/// closes it (`---` or `...` after `---`, `+++` after `+++`), if any.
fn front_matter_candidate(source: &str) -> Option<usize> {
    let closers: &[&str] = match source.get(..3)? {
        "---" => &["---", "..."],
        "+++" => &["+++"],
        _ => return None,
    };
    let mut at = source.find('\n')? + 1;
    while at < source.len() {
        let end = source[at..].find('\n').map_or(source.len(), |i| at + i + 1);
        if closers.contains(&source[at..end].trim_end()) {
            return Some(end);
        }
        at = end;
    }
    None
}

/// The paragraphs of `source`, and in `title` the document's title.
fn blocks(source: &str, title: &mut Option<String>) -> Vec<Paragraph> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let source = &*without_front_matter(source);
    let lines = LineIndex::new(source);
    // Where hard line breaks start (`  ` or `\` before a line's end, `<br>`), in order.
    let mut hard_breaks: Vec<usize> = Vec::new();
    let mut out: Vec<Paragraph> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut headings = Headings::new();
    let mut html_state = HtmlState::default();
    // Whether a paragraph other than an HTML block's came before.
    let mut prose_before = false;
    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        if out.len() > super::MAX_DOCUMENT_PARAGRAPHS {
            break; // one past the limit tells that there were more
        }
        match event {
            Event::Start(tag) if is_block(&tag) => {
                // An HTML block's paragraphs start at their text, not at its first tag; a
                // list item at its marker (its range can start at the line break and the
                // indentation or quote marks before it).
                let mut start = match tag {
                    Tag::HtmlBlock => None,
                    Tag::Item => Some(marker_at(source, range.clone())),
                    _ => Some(range.start),
                };
                html_state = HtmlState::default();
                if let Some(parent) = open.last_mut() {
                    if parent.pieces.is_empty() {
                        // A list item's first block starts at the item's marker.
                        start = parent.start.take().or(start);
                    } else {
                        // The item's words so far come before this block.
                        let words = parent.take_words();
                        let (path, upto) = (headings.path(), range.start);
                        let at = (path, upto, hard_breaks.as_slice());
                        if let Some(paragraph) = finish(source, &lines, words, at) {
                            prose_before = true;
                            out.push(paragraph);
                        }
                    }
                }
                open.push(Open {
                    start,
                    pieces: Vec::new(),
                });
            }
            Event::End(tag) if is_block_end(&tag) => {
                let Some(block) = open.pop() else { continue };
                // A heading belongs to the section above it, and opens its own.
                let section = match tag {
                    TagEnd::Heading(level) => {
                        let heading: String =
                            block.pieces.iter().map(|(_, t)| t.as_str()).collect();
                        if !prose_before && level == pulldown_cmark::HeadingLevel::H1 {
                            *title = Some(heading.trim().to_string()).filter(|t| !t.is_empty());
                        }
                        headings.heading(level as u8, &heading)
                    }
                    _ => headings.path(),
                };
                let html = tag == TagEnd::HtmlBlock;
                // An HTML block's paragraphs end at their text; others take in the markup that
                // closes them on their last line (`*`, `](url)`, a table row's last `|`).
                let upto = if html { 0 } else { range.end };
                let at = (section, upto, hard_breaks.as_slice());
                if let Some(paragraph) = finish(source, &lines, block, at) {
                    // An HTML block before the first heading (a centred logo and tagline)
                    // does not keep that heading from being the title.
                    prose_before |= !html;
                    out.push(paragraph);
                }
            }
            Event::Html(html) => {
                for piece in html_text(source, &html, range, &mut html_state) {
                    let Some(block) = open.last_mut() else { break };
                    match piece {
                        HtmlPiece::Text(range, text) => block.pieces.push((range, text)),
                        HtmlPiece::Break if !block.pieces.is_empty() => {
                            let words = block.take_words();
                            let at = (headings.path(), 0, hard_breaks.as_slice());
                            out.extend(finish(source, &lines, words, at));
                        }
                        HtmlPiece::Break => {}
                    }
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(block) = open.last_mut() {
                    block.pieces.push((range, text.into_string()));
                }
            }
            Event::HardBreak => hard_breaks.push(range.start),
            Event::InlineHtml(html) if is_br(&html) => hard_breaks.push(range.start),
            Event::SoftBreak => {}
            _ => {}
        }
    }
    for (i, paragraph) in out.iter_mut().enumerate() {
        paragraph.number = i as u64 + 1;
    }
    out
}

/// Where a list item's marker is in its range: past the line breaks, white space and block
/// quote marks in front of it.
fn marker_at(source: &str, range: std::ops::Range<usize>) -> usize {
    let item = source.get(range.clone()).unwrap_or("");
    let lead = item.len() - item.trim_start_matches([' ', '\t', '\r', '\n', '>']).len();
    range.start + lead
}

fn is_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::CodeBlock(_)
            | Tag::Item
            | Tag::TableHead
            | Tag::TableRow
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::HtmlBlock
    )
}

fn is_block_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::CodeBlock
            | TagEnd::Item
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::HtmlBlock
    )
}

/// Turns a collected block into a paragraph: the source from its start to the end of its last
/// text, and on to the end of that text's line as far as `upto` (the block's end, so the markup
/// closing it is its own: `*emph*`, `[link](url)`), and that source with everything but its text
/// blanked; a hard line break's first byte blanked as a form feed, so that no Chinese or
/// Japanese run goes on over it as over a wrapped line (see `analysis::wraps_without_space`).
/// `(section, upto, hard_breaks)`: the paragraph's heading path, how far it may take in the
/// markup after its text, and where the document's hard line breaks start.
fn finish(
    source: &str,
    lines: &LineIndex,
    block: Open,
    (section, upto, hard_breaks): (Option<String>, usize, &[usize]),
) -> Option<Paragraph> {
    let text_end = block.pieces.iter().map(|(r, _)| r.end).max()?;
    let first_text = block.pieces.iter().map(|(r, _)| r.start).min()?;
    let start = block.start.unwrap_or(first_text).min(text_end);
    let line_end = source[text_end..]
        .find('\n')
        .map_or(source.len(), |i| text_end + i);
    let closing = source.get(text_end..upto.min(line_end)).unwrap_or("");
    let end = text_end + closing.trim_end().len();
    let raw = &source[start..end];
    let raw = raw.trim_end_matches(['\n', '\r']);
    let end = start + raw.len();
    if raw.trim().is_empty() {
        return None;
    }
    let mut masked: Vec<u8> = raw
        .bytes()
        .map(|b| if b == b'\n' || b == b'\r' { b } else { b' ' })
        .collect();
    for (range, text) in &block.pieces {
        let (from, to) = (range.start.max(start), range.end.min(end));
        if from >= to {
            continue;
        }
        let slice = &source[from..to];
        let offset = from - start;
        match placed(slice, text) {
            Placed::Verbatim(at) => {
                masked[offset + at..offset + at + text.len()].copy_from_slice(text.as_bytes());
            }
            Placed::Apart(parts) => {
                for (at, part) in parts {
                    masked[offset + at..offset + at + part.len()].copy_from_slice(part.as_bytes());
                }
            }
            Placed::Decoded => {
                // A reference decoded shorter than its source (`Fran&ccedil;ais`): written at
                // its start, the rest of its source filled with invisible format characters,
                // which a word takes in and its term leaves out, so the word is still one word.
                let written = truncate_to(text, to - from);
                masked[offset..offset + written.len()].copy_from_slice(written.as_bytes());
                fill_invisibly(&mut masked[offset + written.len()..to - start]);
            }
        }
    }
    // (Before words are joined across markup: a `<br>` between letters parts them.)
    let first = hard_breaks.partition_point(|&at| at < start);
    for &at in hard_breaks[first..].iter().take_while(|&&at| at < end) {
        if masked[at - start] == b' ' {
            masked[at - start] = 0x0C;
        }
    }
    raise_tagged_digits(raw.as_bytes(), &mut masked);
    join_words_across_markup(raw.as_bytes(), &mut masked);
    let index_text = String::from_utf8(masked).ok()?;
    Some(Paragraph {
        number: 0,
        line: lines.line_of(start),
        start,
        text: raw.to_string(),
        index_text: (index_text != raw).then_some(index_text),
        section,
        page: None,
    })
}

/// Whether inline HTML is a line break tag (`<br>`, `<br/>`, `<BR />`).
fn is_br(html: &str) -> bool {
    let tag = html.as_bytes();
    tag.len() >= 3
        && tag[..3].eq_ignore_ascii_case(b"<br")
        && tag
            .get(3)
            .is_none_or(|&b| matches!(b, b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r'))
}

/// Writes the digits of inline `<sup>1</sup>` and `<sub>2</sub>` as the superscript and
/// subscript digits a browser shows (see `html::raised_digits`: `claim<sup>1</sup>` reads
/// `claim¹`, found by `claim` and `claim1`), at the end of the markup, right before what
/// follows it (`H<sub>2</sub>O` is one word), the rest of it filled with invisible characters
/// (the source is longer: each tag is five or six bytes).
fn raise_tagged_digits(raw: &[u8], masked: &mut [u8]) {
    let mut from = 0;
    while let Some(found) = raw[from..].iter().position(|&b| b == b'<') {
        let start = from + found;
        from = start + 1;
        let Some((name, digits, end)) = tagged_digits(raw, start) else {
            continue;
        };
        // The tags are markup (blanked), the digits text (not inside a code span).
        let blanked = |range: std::ops::Range<usize>| masked[range].iter().all(|&b| b == b' ');
        let kept = masked[digits.clone()] == raw[digits.clone()];
        if !(blanked(start..digits.start) && kept && blanked(digits.end..end)) {
            continue;
        }
        let text = std::str::from_utf8(&raw[digits]).unwrap_or_default();
        let Some(raised) = super::html::raised_digits(name, text) else {
            continue;
        };
        // Too many digits for the markup's bytes (each raised digit is two or three bytes):
        // kept apart from the word before (as a hard break is), which is then found alone.
        if !matches!((end - start).checked_sub(raised.len()), Some(rest) if rest != 1) {
            masked[start] = 0x0C;
            continue;
        }
        let digits_at = end - raised.len();
        fill_invisibly(&mut masked[start..digits_at]);
        masked[digits_at..end].copy_from_slice(raised.as_bytes());
        from = end;
    }
}

/// At byte `at` of `raw`, `<sup>` or `<sub>` (any case, no attributes), ASCII digits and its
/// end tag: the element's name, the digits' range and where the end tag ends.
fn tagged_digits(raw: &[u8], at: usize) -> Option<(&'static str, std::ops::Range<usize>, usize)> {
    let open = raw.get(at..at + 5)?;
    let name = ["sup", "sub"]
        .into_iter()
        .find(|name| open[1..4].eq_ignore_ascii_case(name.as_bytes()))?;
    if open[0] != b'<' || open[4] != b'>' {
        return None;
    }
    let first = at + 5;
    let count = raw[first..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let close = raw.get(first + count..first + count + 6)?;
    let closes = close.starts_with(b"</")
        && close[2..5].eq_ignore_ascii_case(name.as_bytes())
        && close[5] == b'>';
    (count > 0 && closes).then_some((name, first..first + count, first + count + 6))
}

/// Fills with invisible characters the blanked markup that a word runs through, so that the
/// word stays one as it reads (`un**believ**able`, `wo<b>rd</b>s`, `[ex](url)ample`): a run of
/// emphasis, strike or code marks, of inline HTML tags, or a link's end, with a letter or digit
/// on both sides. A run of one
/// byte (`*em*phasis`) stays a space: no invisible character is one byte long.
fn join_words_across_markup(raw: &[u8], masked: &mut [u8]) {
    let mut at = 0;
    while at < raw.len() {
        let blanked = |i: usize| masked[i] == b' ' && !raw[i].is_ascii_whitespace();
        if !blanked(at) {
            at += 1;
            continue;
        }
        let start = at;
        // Inside a tag or a link's destination, a space is markup too (`<span class="x">`,
        // `](url "title")`); outside, it parts words as it shows.
        let mut closing: Option<u8> = None;
        while at < raw.len() {
            let inner_space = closing.is_some() && matches!(raw[at], b' ' | b'\t');
            if !blanked(at) && !inner_space {
                break;
            }
            closing = match closing {
                None if raw[at] == b'<' => Some(b'>'),
                None if raw[at..].starts_with(b"](") => Some(b')'),
                Some(close) if raw[at] == close => None,
                other => other,
            };
            at += 1;
        }
        let run = &raw[start..at];
        let marks = run.iter().all(|b| b"*_~`".contains(b));
        let tags = inline_tags_only(run) || (run.starts_with(b"<!--") && run.ends_with(b"-->"));
        // A link's end with its destination (`[ex](url)ample`), or a reference's (`[in][r]side`).
        let link = (run.starts_with(b"](") && run.ends_with(b")"))
            || (run.starts_with(b"][") && run.ends_with(b"]"));
        let word_before = char_before(masked, start).is_some_and(char::is_alphanumeric);
        let word_after = char_at(masked, at).is_some_and(char::is_alphanumeric);
        if run.len() >= 2 && (marks || tags || link) && word_before && word_after {
            fill_invisibly(&mut masked[start..at]);
        }
    }
}

/// The character of `bytes` (UTF-8) that ends just before byte `at`.
fn char_before(bytes: &[u8], at: usize) -> Option<char> {
    let from = (at.saturating_sub(4)..at)
        .find(|&i| bytes[i] & 0b1100_0000 != 0b1000_0000)
        .unwrap_or(at);
    std::str::from_utf8(&bytes[from..at])
        .ok()?
        .chars()
        .next_back()
}

/// The character of `bytes` (UTF-8) that starts at byte `at`.
fn char_at(bytes: &[u8], at: usize) -> Option<char> {
    let rest = bytes.get(at..at.saturating_add(4).min(bytes.len()))?;
    let valid = match std::str::from_utf8(rest) {
        Ok(text) => text,
        Err(err) => std::str::from_utf8(&rest[..err.valid_up_to()]).ok()?,
    };
    valid.chars().next()
}

/// Whether `run` is one or more HTML tags (`<b>`, `</em>`) of elements that sit inside a line
/// of text, which a browser shows a word through; a block's (`</td><td>`, `<br>`) parts words.
fn inline_tags_only(run: &[u8]) -> bool {
    const INLINE: &[&str] = &[
        "a", "abbr", "b", "big", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "mark",
        "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "tt", "u", "var",
    ];
    let Some(inner) = run.strip_prefix(b"<").and_then(|r| r.strip_suffix(b">")) else {
        return false;
    };
    // `</i><b>` is `/i><b` inside its outer brackets: one tag each side of each `>`.
    inner.split(|&b| b == b'>').all(|tag| {
        let tag = tag.strip_prefix(b"<").unwrap_or(tag);
        let name = tag.strip_prefix(b"/").unwrap_or(tag);
        let name_end = (name.iter())
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(name.len());
        let (name, attributes) = name.split_at(name_end);
        !attributes.contains(&b'<')
            && INLINE
                .iter()
                .any(|inline| name.eq_ignore_ascii_case(inline.as_bytes()))
    })
}

/// Where a piece of a block's text goes in its source.
enum Placed<'t> {
    /// As it is, at this byte of the source (`code` in `` `code` ``, `_` in `\_`).
    Verbatim(usize),
    /// In parts, each where the source has it: the words of a code span over lines
    /// (`` `a b⏎c` `` is the text `a b c`), the characters of one holding an escape
    /// (`` `a\|b` `` in a table is `a|b`); what lies between them stays blank.
    Apart(Vec<(usize, &'t str)>),
    /// Decoded from a character reference (`&eacute;`, `&#x30;`), or found nowhere: written
    /// at the start of its source.
    Decoded,
}

/// Where the piece `text` of a block goes in its `source` (see [`Placed`]).
fn placed<'t>(source: &str, text: &'t str) -> Placed<'t> {
    // A reference's text may also be in its source (`0` in `&#x30;`): it is decoded all the same.
    if source.starts_with('&') && source.ends_with(';') {
        return Placed::Decoded;
    }
    if let Some(at) = source.find(text) {
        return Placed::Verbatim(at);
    }
    // A code span over lines (`a b` of `` `a b⏎c` ``) by its words, one holding an escape
    // (`a|b` of `` `a\|b` ``) by its characters.
    let chars = text
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .map(|(i, c)| &text[i..i + c.len_utf8()]);
    in_order(source, text.split_whitespace())
        .or_else(|| in_order(source, chars))
        .map_or(Placed::Decoded, Placed::Apart)
}

/// Where each of `pieces` is in `source`, each after the one before; `None` when one is not
/// there as written (an entity or an escape made the text differ from its source).
fn in_order<'t>(
    source: &str,
    pieces: impl Iterator<Item = &'t str>,
) -> Option<Vec<(usize, &'t str)>> {
    let mut at = 0;
    let mut found = Vec::new();
    for piece in pieces {
        let start = at + source.get(at..)?.find(piece)?;
        found.push((start, piece));
        at = start + piece.len();
    }
    Some(found)
}

/// Fills `bytes` (blanked source) with invisible format characters, a soft hyphen (2 bytes)
/// or a word joiner (3) each; a single byte stays a space.
fn fill_invisibly(bytes: &mut [u8]) {
    const SOFT_HYPHEN: &[u8] = "\u{AD}".as_bytes();
    const WORD_JOINER: &[u8] = "\u{2060}".as_bytes();
    let mut rest = bytes;
    if rest.len() % 2 == 1 && rest.len() >= 3 {
        rest[..3].copy_from_slice(WORD_JOINER);
        rest = &mut rest[3..];
    }
    for pair in rest.chunks_exact_mut(2) {
        pair.copy_from_slice(SOFT_HYPHEN);
    }
}

/// What a line of an HTML block holds for the index: a run of visible text (its range in the
/// source, and the text with entities blanked), or a block-level tag that ends a paragraph.
#[derive(Debug, PartialEq)]
enum HtmlPiece {
    Text(Range<usize>, String),
    Break,
}

/// Where reading an HTML block stands at the end of a line.
#[derive(Debug, Default, Clone, PartialEq)]
enum HtmlState {
    #[default]
    Text,
    /// Inside a tag (its name, whether it closes an element, and the quote of an attribute
    /// value it is inside, which may run over lines).
    Tag {
        name: String,
        closing: bool,
        quote: Option<u8>,
    },
    /// Inside `<!-- -->`.
    Comment,
    /// Inside `<script>` or `<style>`, whose content is not text.
    Raw(String),
}

/// Whether a tag ends the paragraph before it: a block element as the HTML reader has them
/// ([`super::html::BLOCKS`]) but a table's cells, which their row keeps together; and a line
/// break, a rule, a figure or a dialog.
fn ends_paragraph(name: &str) -> bool {
    (super::html::BLOCKS.contains(&name) && !matches!(name, "td" | "th"))
        || matches!(name, "br" | "hr" | "figure" | "dialog")
}

/// The pieces of one line of an HTML block (`html`, the event's text, at `range` of `source`),
/// carrying `state` from line to line. A line that is not found as it stands in the source (in
/// a block quote, whose `>` markers the event leaves out) gives nothing.
fn html_text(
    source: &str,
    html: &str,
    range: Range<usize>,
    state: &mut HtmlState,
) -> Vec<HtmlPiece> {
    let Some(at) = source.get(range.clone()).and_then(|slice| slice.find(html)) else {
        return Vec::new();
    };
    let base = range.start + at;
    let bytes = html.as_bytes();
    let mut pieces = Vec::new();
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        match state {
            HtmlState::Text => {
                if bytes[i] == b'<' {
                    if let Some(next) = tag_opening(html, i, state) {
                        push_html_text(&mut pieces, html, base, text_start..i);
                        i = next;
                        continue;
                    }
                }
                i += 1;
                continue;
            }
            HtmlState::Comment => match html[i..].find("-->") {
                Some(end) => {
                    i += end + 3;
                    *state = HtmlState::Text;
                }
                None => i = bytes.len(),
            },
            HtmlState::Raw(name) => match closing_tag(&bytes[i..], name.as_bytes()) {
                Some(end) => {
                    i += end;
                    *state = HtmlState::Tag {
                        name: name.clone(),
                        closing: true,
                        quote: None,
                    };
                }
                None => i = bytes.len(),
            },
            HtmlState::Tag {
                name,
                closing,
                quote,
            } => match tag_end(&bytes[i..], quote) {
                Some(end) => {
                    i += end + 1;
                    let name = std::mem::take(name);
                    let closing = *closing;
                    *state = HtmlState::Text;
                    if ends_paragraph(&name) {
                        pieces.push(HtmlPiece::Break);
                    } else if !closing && (name == "script" || name == "style") {
                        *state = HtmlState::Raw(name);
                    }
                }
                None => i = bytes.len(),
            },
        }
        text_start = i;
    }
    if *state == HtmlState::Text {
        push_html_text(&mut pieces, html, base, text_start..bytes.len());
    }
    pieces
}

/// At a `<` at `at` of `html`: the position after `<!--` or after the tag's name, with `state`
/// set to the comment or the tag, when it starts one (`a < b` and `<3` are text).
fn tag_opening(html: &str, at: usize, state: &mut HtmlState) -> Option<usize> {
    let rest = &html[at + 1..];
    if rest.starts_with("!--") {
        *state = HtmlState::Comment;
        return Some(at + 4);
    }
    let closing = rest.starts_with('/');
    let name_from = usize::from(closing);
    let name_len = rest[name_from..]
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .unwrap_or(rest.len() - name_from);
    let name = &rest[name_from..name_from + name_len];
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) && !rest.starts_with('!') {
        return None;
    }
    *state = HtmlState::Tag {
        name: name.to_ascii_lowercase(),
        closing,
        quote: None,
    };
    Some(at + 1 + name_from + name_len)
}

/// Where the closing tag `</name` (any case) ends in `bytes`, when it is there.
fn closing_tag(bytes: &[u8], name: &[u8]) -> Option<usize> {
    memchr::memmem::find_iter(bytes, b"</").find_map(|at| {
        let after = at + 2;
        let found = bytes.get(after..after + name.len())?;
        found
            .eq_ignore_ascii_case(name)
            .then_some(after + name.len())
    })
}

/// Where a tag's `>` is in `bytes`, outside quoted attribute values; `quote` is the quote
/// open at the start and, when the tag goes on past `bytes`, at the end.
fn tag_end(bytes: &[u8], quote: &mut Option<u8>) -> Option<usize> {
    for (i, &b) in bytes.iter().enumerate() {
        match (*quote, b) {
            (None, b'"' | b'\'') => *quote = Some(b),
            (Some(q), _) if b == q => *quote = None,
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Adds the text of `html[span]` (at `base` in the source), when it has any: its runs of plain
/// text as they are, and each character reference (`&eacute;`, `&#169;`) decoded, as a piece of
/// its own that [`finish`] writes at the reference's start (`Caf&eacute;` stays one word).
fn push_html_text(pieces: &mut Vec<HtmlPiece>, html: &str, base: usize, span: Range<usize>) {
    let text = &html[span.clone()];
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return;
    }
    let start = base + span.start + (text.len() - text.trim_start().len());
    let mut plain_from = 0;
    let mut at = 0;
    while let Some(amp) = trimmed[at..].find('&').map(|i| at + i) {
        let Some((length, decoded)) = reference_at(&trimmed[amp..]) else {
            at = amp + 1;
            continue;
        };
        if plain_from < amp {
            let run = start + plain_from..start + amp;
            pieces.push(HtmlPiece::Text(run, trimmed[plain_from..amp].to_string()));
        }
        pieces.push(HtmlPiece::Text(start + amp..start + amp + length, decoded));
        at = amp + length;
        plain_from = at;
    }
    if plain_from < trimmed.len() {
        let run = start + plain_from..start + trimmed.len();
        pieces.push(HtmlPiece::Text(run, trimmed[plain_from..].to_string()));
    }
}

/// The length and the text of the character reference `text` starts with (`&eacute;`,
/// `&#233;`, `&#xE9;`, with its `;`), when it is one that stands for text.
fn reference_at(text: &str) -> Option<(usize, String)> {
    let body = text.strip_prefix('&')?;
    let end = body.find(';')?;
    let name = &body[..end];
    let decoded: String = match name.strip_prefix('#') {
        Some(number) => {
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
                .filter(|c| !c.is_control())?
                .to_string()
        }
        None if name.chars().all(|c| c.is_ascii_alphanumeric()) => {
            let &(first, second) = html5ever::data::NAMED_ENTITIES.get(&body[..=end])?;
            [first, second]
                .into_iter()
                .filter(|&c| c != 0)
                .filter_map(char::from_u32)
                .collect()
        }
        None => return None,
    };
    Some((end + 2, decoded))
}

/// The longest prefix of `text` of at most `max` bytes, on a character boundary.
fn truncate_to(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_level_one_heading_is_the_title() {
        assert_eq!(
            parse("# Install *guide*\n\nRun it.\n").0.as_deref(),
            Some("Install guide")
        );
        assert_eq!(
            parse("Install\n=======\n\nRun it.\n").0.as_deref(),
            Some("Install")
        );
        assert_eq!(parse("Intro.\n\n# Later\n").0, None, "not the first block");
        assert_eq!(parse("## Section\n\ntext\n").0, None, "not level 1");
        assert_eq!(
            parse("<p align=\"center\">\n  A tagline\n</p>\n\n# Tool\n\nBody.\n")
                .0
                .as_deref(),
            Some("Tool"),
            "after a centred HTML block"
        );
        assert_eq!(
            parse("- intro\n\n  # Heading\n").0,
            None,
            "after a list item"
        );
    }

    #[test]
    fn a_front_matter_title_is_the_documents_title() {
        let title = |source: &str| parse(source).0;
        assert_eq!(
            title("---\ntitle: Front Matter Title Ocelot\ndate: 2024-01-01\n---\n\nBody.\n")
                .as_deref(),
            Some("Front Matter Title Ocelot")
        );
        assert_eq!(
            title("+++\ntitle = \"Hugo \\\"Page\\\"\"\n+++\n\n# Heading\n").as_deref(),
            Some("Hugo \"Page\"")
        );
        assert_eq!(
            title("---\ntitle: 'It''s here' # comment\n---\nx\n").as_deref(),
            Some("It's here")
        );
        assert_eq!(
            title("---\ntitle: Plain # note\n---\nx\n").as_deref(),
            Some("Plain")
        );
        // None, or not at the top level: the first heading, as before.
        assert_eq!(
            title("---\nmeta:\n  title: Nested\n---\n\n# Heading\n").as_deref(),
            Some("Heading")
        );
        assert_eq!(title("---\ntitle: >\n  folded\n---\nx\n"), None);
        assert_eq!(
            title("---\ntitle: \"Caf\\u00e9 \\x41\\tB\"\n---\nx\n").as_deref(),
            Some("Café A B")
        );
        // A table's `title` is not the page's.
        assert_eq!(title("+++\n[params]\ntitle = \"Nested\"\n+++\n\nx\n"), None);
        assert_eq!(title("---\ntitle:\n---\n# H\n").as_deref(), Some("H"));
        assert_eq!(title("title: not front matter\n").as_deref(), None);
    }

    #[test]
    fn front_matter_in_yaml_or_toml_is_no_paragraph() {
        for source in [
            "---\ntitle: frontword\n---\n\n# Real Title\n\nbody\n",
            "+++\ntitle = \"frontword\"\n+++\n\n# Real Title\n\nbody\n",
        ] {
            let (title, found, _) = parse(source);
            // The front matter names the document; its text is no paragraph.
            assert_eq!(title.as_deref(), Some("frontword"), "{source:?}");
            let texts: Vec<&str> = found.iter().map(|p| p.text.as_str()).collect();
            assert_eq!(texts, ["# Real Title", "body"], "{source:?}");
            assert_eq!((found[0].line, found[1].line), (5, 7));
            assert_eq!(found[1].start, source.find("body").unwrap_or(0));
        }
    }

    #[test]
    fn paragraphs_after_front_matter_of_any_script_start_where_the_file_has_them() {
        for source in [
            "---\ntitle: Café über 東京\nauthor: Zoë\n---\n\nbody needle\n",
            "---\r\ntitle: Zoë\r\n...\r\n\r\nbody needle\r\n",
            "+++\ntitle = \"Ünïcode\"\n+++\nbody needle\n",
        ] {
            let found = paragraphs(source);
            assert_eq!(found.len(), 1, "{source:?}");
            assert_eq!(
                found[0].start,
                source.find("body").unwrap_or(0),
                "{source:?}"
            );
            assert_eq!(found[0].text, "body needle");
        }
    }

    #[test]
    fn a_metadata_block_after_the_start_is_markdown() {
        // A slide deck: `---` parts slides; what is between them is no front matter.
        let source =
            "# Deck\n\nFirst slide.\n\n---\n## Second slide\nSome content\n\n---\n## Third\n";
        let texts: Vec<String> = paragraphs(source).into_iter().map(|p| p.text).collect();
        let expected = [
            "# Deck",
            "First slide.",
            "## Second slide",
            "Some content",
            "## Third",
        ];
        assert_eq!(texts, expected);
        // Front matter, then a deck.
        let front = format!("---\ntitle: x\n---\n{source}");
        let texts: Vec<String> = paragraphs(&front).into_iter().map(|p| p.text).collect();
        assert_eq!(texts, expected);
    }
    use proptest::prelude::*;

    fn summary(source: &str) -> Vec<(u64, u64, String, String, Option<String>)> {
        paragraphs(source)
            .into_iter()
            .map(|p| {
                let indexed = p.index_text.clone().unwrap_or_else(|| p.text.clone());
                (p.number, p.line, p.text, indexed, p.section)
            })
            .collect()
    }

    #[test]
    fn blocks_keep_their_source_and_blank_their_markup() {
        let source = "# Setup\n\nRun **cargo** and see [the docs](https://example.com/x).\n";
        let got = summary(source);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].2, "# Setup");
        assert_eq!(got[0].3, "  Setup");
        assert_eq!(got[1].1, 3);
        assert_eq!(
            got[1].2,
            "Run **cargo** and see [the docs](https://example.com/x)."
        );
        assert_eq!(
            got[1].3,
            "Run   cargo   and see  the docs                        ."
        );
        assert_eq!(got[1].4.as_deref(), Some("Setup"));
        for (_, _, text, indexed, _) in &got {
            assert_eq!(text.len(), indexed.len());
        }
    }

    #[test]
    fn markup_closing_a_block_on_its_last_line_is_part_of_its_text() {
        let source =
            "Final *emph word*\n\n| col word | b |\n|---|---|\n\nimg ![word alt](i.png)  \n\n\
                      - item **bold**\n  - sub *one*\n\nTitle *x*\n=====\n\n# Hello <b>world</b>\n";
        let texts: Vec<String> = summary(source).into_iter().map(|p| p.2).collect();
        assert_eq!(
            texts,
            [
                "Final *emph word*",
                "| col word | b |",
                "img ![word alt](i.png)",
                "- item **bold**",
                "- sub *one*",
                "Title *x*",
                "# Hello <b>world</b>",
            ]
        );
        // Offsets stay exact: each text is the source at its start.
        for p in paragraphs(source) {
            assert_eq!(&source[p.start..p.start + p.text.len()], p.text);
        }
    }

    #[test]
    fn a_code_span_over_lines_keeps_each_word_where_it_is() {
        let source = "Keep `alpha bravo\ncharlie delta` and echo.\n\n> quoted `one\n> two` end\n";
        let found = paragraphs(source);
        assert_eq!(found.len(), 2);
        let words = [&["alpha", "bravo", "charlie", "delta"][..], &["one", "two"]];
        for (p, words) in found.iter().zip(words) {
            let indexed = p.index_text.clone().unwrap_or_else(|| p.text.clone());
            assert_eq!(indexed.len(), p.text.len());
            for word in words {
                let at = indexed
                    .find(word)
                    .unwrap_or_else(|| panic!("{word} in {indexed:?}"));
                assert_eq!(&p.text[at..at + word.len()], *word, "{:?}", p.text);
            }
        }
        let indexed: Vec<String> = summary(source).into_iter().map(|p| p.3).collect();
        assert_eq!(indexed[0], "Keep  alpha bravo\ncharlie delta  and echo.");
    }

    #[test]
    fn a_word_runs_through_markup_of_two_bytes_or_more() {
        let source = "An un**believ**able wo<b>rd</b>s and *em*phasis, `foo``bar`, **x** y, \
                      [ex](u)ample, cell</td><td>left.\n";
        let got = paragraphs(source);
        let indexed = got[0].index_text.clone().unwrap_or_default();
        assert_eq!(indexed.len(), source.trim_end().len());
        let words: Vec<String> = indexed
            .split(|c: char| !c.is_alphanumeric() && c != '\u{AD}' && c != '\u{2060}')
            .filter(|w| !w.is_empty())
            .map(|w| w.replace(['\u{AD}', '\u{2060}'], ""))
            .collect();
        assert_eq!(
            words,
            [
                "An",
                "unbelievable",
                "words",
                "and",
                "em",
                "phasis",
                "foo",
                "bar",
                "x",
                "y",
                "example",
                "cell",
                "left"
            ]
        );
    }

    #[test]
    fn tagged_digits_read_as_superscript_and_subscript_digits() {
        let source = "A claim<sup>1</sup> here, H<SUB>2</SUB>O, 10<sup>23</sup>, \
                      2<sup>nd</sup>, x<sup class=\"a\">2</sup>, `e<sup>2</sup>`, \
                      n<sup>123456789012</sup>.\n";
        let got = paragraphs(source);
        let indexed = got[0].index_text.clone().unwrap_or_default();
        assert_eq!(indexed.len(), source.trim_end().len());
        let visible = indexed.replace(['\u{AD}', '\u{2060}'], "");
        let words: Vec<&str> = visible
            .split([' ', ',', '.', '\x0C'])
            .filter(|w| !w.is_empty())
            .collect();
        assert_eq!(
            words,
            [
                "A",
                "claim¹",
                "here",
                "H₂O",
                "10²³",
                "2nd",
                "x2",
                "e<sup>2</sup>",
                "n",
                "123456789012"
            ]
        );
        // The digits end where the markup does, before what follows.
        let at = source.find("</SUB>O").unwrap() + "</SUB>".len();
        assert!(indexed[..at].ends_with("₂") && indexed[at..].starts_with('O'));
    }

    #[test]
    fn code_spans_and_references_keep_their_words_where_the_source_has_them() {
        // (source, a word, where the source has it)
        let cases = [
            ("| a | b |\n|---|---|\n| `foo\\|bar` | x |\n", "foo", "foo"),
            ("| a | b |\n|---|---|\n| `foo\\|bar` | x |\n", "bar", "bar"),
            ("Run ``make install`` now.\n", "install", "install"),
            ("Run `` make test `` now.\n", "test", "test"),
        ];
        for (source, word, at) in cases {
            let found = paragraphs(source);
            let p = found.iter().find(|p| p.text.contains(at)).expect(source);
            let indexed = p.index_text.clone().unwrap_or_else(|| p.text.clone());
            let spot = indexed
                .find(word)
                .unwrap_or_else(|| panic!("{word} in {indexed:?}"));
            assert_eq!(&p.text[spot..spot + word.len()], at, "{source:?}");
            // The word ends where it does: no closing mark joined to it.
            let after = indexed[spot + word.len()..].chars().next();
            assert!(after.is_none_or(|c| c == ' '), "{source:?}: {indexed:?}");
        }
        // In an HTML block too: a word holding a reference is one word, and a word that is also
        // in a reference's name (`trade` in `&trade;`) is where the text has it.
        let source = "<p>\nCaf&eacute; menu, Acme&trade; trade fair\n</p>\n";
        let p = &paragraphs(source)[0];
        let indexed = p.index_text.clone().unwrap_or_default();
        let shown: String = indexed.replace(['\u{AD}', '\u{2060}'], "");
        assert!(
            shown.starts_with("Café menu, Acme™ trade fair"),
            "{indexed:?}"
        );
        let trade = indexed.rfind("trade").unwrap_or_default();
        assert_eq!(&p.text[trade..trade + 5], "trade");
        assert_eq!(trade, p.text.rfind("trade").unwrap_or_default());
        // A numeric reference whose digit is in its own source is decoded in place.
        let indexed: String = paragraphs("Released in 2&#x30;24.\n")[0]
            .index_text
            .clone()
            .unwrap_or_default()
            .replace(['\u{AD}', '\u{2060}'], "");
        assert!(indexed.contains("2024"), "{indexed:?}");
    }

    #[test]
    fn a_word_runs_through_tags_with_attributes_titled_and_reference_links_and_comments() {
        let source = "wo<span class=\"x y\">rd</span>s, [ex](https://u \"a title\")ample, \
                      [in][r]side, wo<!-- c -->rd, **x** **y**.\n\n[r]: https://u\n";
        let indexed = paragraphs(source)[0].index_text.clone().unwrap_or_default();
        let words: Vec<String> = indexed
            .split(|c: char| !c.is_alphanumeric() && c != '\u{AD}' && c != '\u{2060}')
            .filter(|w| !w.is_empty())
            .map(|w| w.replace(['\u{AD}', '\u{2060}'], ""))
            .collect();
        assert_eq!(words, ["words", "example", "inside", "word", "x", "y"]);
    }

    #[test]
    fn a_list_item_starts_at_its_marker_however_it_is_indented() {
        let source = "* one alpha\n\t* two bravo\n\t\t* three charlie\n\t* four delta\n\n\
                      - a\n    - b\n\n>\t- quoted\n";
        let got = paragraphs(source);
        let texts: Vec<(u64, &str)> = got.iter().map(|p| (p.line, p.text.as_str())).collect();
        assert_eq!(
            texts,
            [
                (1, "* one alpha"),
                (2, "* two bravo"),
                (3, "* three charlie"),
                (4, "* four delta"),
                (6, "- a"),
                (7, "- b"),
                (9, "- quoted"),
            ]
        );
        for p in &got {
            assert_eq!(&source[p.start..p.start + p.text.len()], p.text);
        }
    }

    #[test]
    fn heading_paths_nest_and_reset() {
        let source = "# Setup\n\n## Linux\n\napt install\n\n## Mac\n\nbrew\n\n# Usage\n\nrun it\n";
        let sections: Vec<Option<String>> =
            paragraphs(source).into_iter().map(|p| p.section).collect();
        assert_eq!(
            sections,
            [
                None,
                Some("Setup".into()),
                Some("Setup > Linux".into()),
                Some("Setup".into()),
                Some("Setup > Mac".into()),
                None,
                Some("Usage".into()),
            ]
        );
    }

    #[test]
    fn html_blocks_give_their_visible_text() {
        let source = "<div align=\"center\">\n<h1>Project Name</h1>\n\
            <p>A fast tool for <b>searching</b> AT&amp;T notes.</p>\n</div>\n\n\
            <details>\n<summary>Click for the build steps</summary>\n\nBuild with cargo.\n\
            </details>\n\n<!-- hidden\ncomment words -->\n\
            <script>var secretcode = 1;</SCRIPT> after the script\n\n\
            <table><tr><td>left cell</td><td>right\ncell</td></tr></table>\n\n\
            <p align=\"center\">\n<img src=\"a.png\" alt=\"Screenshot of the main\n\
            window > here\" width=\"600\"> Caption after the image.\n</p>\n";
        let got = paragraphs(source);
        let texts: Vec<(&str, &str)> = got
            .iter()
            .map(|p| (p.text.as_str(), p.index_text.as_deref().unwrap_or(&p.text)))
            .collect();
        assert_eq!(
            texts,
            [
                ("Project Name", "Project Name"),
                (
                    "A fast tool for <b>searching</b> AT&amp;T notes.",
                    "A fast tool for    searching     AT&\u{AD}\u{AD}T notes."
                ),
                ("Click for the build steps", "Click for the build steps"),
                ("Build with cargo.", "Build with cargo."),
                ("after the script", "after the script"),
                (
                    "left cell</td><td>right\ncell",
                    "left cell         right\ncell"
                ),
                ("Caption after the image.", "Caption after the image."),
            ]
        );
        // Each paragraph is its exact source, where its line says.
        for p in &got {
            let at = p.start;
            assert_eq!(&source[at..at + p.text.len()], p.text);
            assert_eq!(source[..at].matches('\n').count() as u64 + 1, p.line);
        }
    }

    #[test]
    fn code_fences_lists_and_entities() {
        let source = "- first item\n- second *item*\n\n```rust\nlet x = 1;\n```\n\nA &amp; B\n";
        let got = summary(source);
        let texts: Vec<&str> = got.iter().map(|g| g.3.as_str()).collect();
        assert_eq!(
            texts,
            [
                "  first item",
                "  second  item ",
                "       \nlet x = 1;\n   ",
                "A &\u{AD}\u{AD} B"
            ]
        );
        assert_eq!(got[2].2, "```rust\nlet x = 1;\n```");
        assert_eq!(got[3].2, "A &amp; B");
    }

    #[test]
    fn a_word_holding_an_entity_is_indexed_as_one_word() {
        let source = "Fran&ccedil;ais, &eacute;t&eacute; and na&#239;ve\n";
        let got = summary(source);
        assert_eq!(got[0].2, source.trim_end());
        assert_eq!(got[0].3.len(), got[0].2.len(), "offsets kept");
        let mut analyzer = crate::analysis::exact_analyzer();
        let words: Vec<String> = crate::analysis::tokens(&mut analyzer, &got[0].3)
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(words, ["francais", "ete", "and", "naive"]);
    }
    #[test]
    fn nested_list_items_come_parent_first_from_their_markers() {
        let source = "* parent\n  * child one\n  * child two\n* next\n\n1. loose\n\n   more\n";
        let got: Vec<(u64, String)> = paragraphs(source)
            .into_iter()
            .map(|p| (p.line, p.text))
            .collect();
        let want = [
            (1, "* parent"),
            (2, "* child one"),
            (3, "* child two"),
            (4, "* next"),
            (6, "1. loose"),
            (8, "more"),
        ];
        let want: Vec<(u64, String)> = want.iter().map(|(l, t)| (*l, t.to_string())).collect();
        assert_eq!(got, want);
    }

    /// A generated Markdown line: a list item (its depth and words), a heading or a paragraph.
    fn line() -> impl Strategy<Value = String> {
        let words = "[a-z]{1,6}( [a-z*_`]{1,6}){0,3}";
        prop_oneof![
            (
                0..3usize,
                prop_oneof![Just("* "), Just("- "), Just("1. ")],
                words
            )
                .prop_map(|(depth, marker, w)| format!("{}{marker}{w}", "   ".repeat(depth))),
            words.prop_map(|w| format!("## {w}")),
            words.prop_map(|w| w.to_string()),
            Just(String::new()),
            Just("```\ncode here\n```".to_string()),
            Just("| a | b |\n|---|---|\n| c | d |".to_string()),
            words.prop_map(|w| format!("<div>{w}<p>{w}</p>\n<!-- {w} --></div>")),
            words.prop_map(|w| format!("<details><summary>{w}</summary>\n\n{w}\n</details>")),
            words.prop_map(|w| format!("> <p>{w} &amp; {w}</p>")),
        ]
    }

    proptest! {
        #[test]
        fn paragraphs_are_ordered_exact_slices(lines in proptest::collection::vec(line(), 0..14)) {
            let source = lines.join("\n");
            let got = paragraphs(&source);
            let mut previous_end = 0;
            for p in &got {
                prop_assert!(p.start >= previous_end, "{:?} in {:?}", p, source);
                prop_assert_eq!(&source[p.start..p.start + p.text.len()], p.text.as_str());
                prop_assert_eq!(p.line, source[..p.start].matches('\n').count() as u64 + 1);
                previous_end = p.start + p.text.len();
            }
        }
    }
}
