//! A PDF page's lines (in reading order, from [`super::order`]) made into paragraphs, as a
//! reader sees them: a paragraph ends where the vertical gap to the next line is wider
//! than the page's usual line spacing, the type size changes, the next line is indented
//! (a first-line indent, not a list item's lines hanging under its text), or the text jumps
//! back up (a new column), unless the last column left its sentence unfinished; and, on a page
//! that sets no space or indent between its paragraphs, where a line of wrapped text ends early
//! (the next line's first word would have fitted after it). Right-to-left lines are indented on the right. Lines of a paragraph are
//! joined with a space, but a word hyphenated at a line end is joined whole, unless the
//! document writes the hyphenated compound elsewhere within a line. Ligatures and other
//! compatibility characters are folded (NFKC), soft hyphens dropped.

use std::collections::{HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

/// A line of a page: its text, left and right edges, top, bottom and type size; whether it
/// is set right to left (Hebrew, Arabic: see `bidi::reads_right_to_left`), where a first-line
/// indent is on the right and the next column on the left; and whether it is set mostly in a
/// fixed-pitch font (code, or a text file printed).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    pub x: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
    pub size: f32,
    pub rtl: bool,
    pub monospace: bool,
}

impl Line {
    /// Whether this line stands where a reader of `previous` goes on to across the page: right
    /// of it, or left of it when both are set right to left (within a type size).
    pub fn reads_on_from(&self, previous: &Line) -> bool {
        match previous.rtl && self.rtl {
            true => self.right <= previous.x + self.size,
            false => self.x >= previous.right - self.size,
        }
    }
}

/// Folds ligatures and other compatibility characters (`ﬁ` → `fi`, no-break spaces) and drops
/// soft hyphens, but one that ends the text (a line): where a word processor broke a word
/// (`endan\u{ad}`), which [`join`] joins whole with the next line (`endangered`, and
/// `PowerPoint`, `555-1234` as written: a hard hyphen there may be the word's own); all-ASCII
/// text is returned as it is.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let breaks_word = text.trim_end().ends_with(SOFT_HYPHEN);
    let mut folded: String = text.nfkc().filter(|&c| c != SOFT_HYPHEN).collect();
    if breaks_word {
        folded.truncate(folded.trim_end().len());
        folded.push(SOFT_HYPHEN);
    }
    folded
}

/// The soft hyphen: where a word may break, shown only where it does.
const SOFT_HYPHEN: char = '\u{ad}';

/// A page's lines grouped into paragraphs (each a list of lines, in order).
pub fn paragraphs(lines: Vec<Line>) -> Vec<Vec<Line>> {
    let spacing = usual_spacing(&lines);
    let mut breaks: Vec<bool> = (0..lines.len())
        .map(|at| {
            at == 0 || starts_paragraph(&lines[at - 1], &lines[at], lines.get(at + 1), &spacing)
        })
        .collect();
    if !sets_paragraphs_apart(&lines, &breaks) {
        for (at, edge) in wrapping_edges(&lines, &breaks).into_iter().enumerate() {
            if edge.is_some_and(|edge| ended_early(&lines[at - 1], &lines[at], edge)) {
                breaks[at] = true;
            }
        }
    }
    // A list's items start paragraphs too; they are no sign of how the page sets its prose
    // apart, so they come after that is told.
    let mut opened = 0;
    for at in 1..lines.len() {
        let in_item = has_item_mark(&lines[opened].text);
        breaks[at] |= starts_list_item(&lines[at], &lines[at - 1], in_item);
        if breaks[at] {
            opened = at;
        }
    }
    let mut out: Vec<Vec<Line>> = Vec::new();
    for (line, breaks) in lines.into_iter().zip(breaks) {
        match out.last_mut() {
            Some(paragraph) if !breaks => paragraph.push(line),
            _ => out.push(vec![line]),
        }
    }
    out
}

/// The page's usual line spacing for each type size: the most common distance between the tops
/// of consecutive lines of that size going down the page (rounded to half points); a size
/// with no two lines following each other has none. A distance found more than twice as often
/// after a line that ends a sentence as after one whose sentence goes on is a gap between
/// paragraphs, not a line spacing, and is left out (on a page of short paragraphs spaced
/// apart, the gaps are the most common; a double-spaced text beside a quotation set single
/// keeps its own spacing, found after lines that go on as well); when every distance is such
/// a gap (one-line paragraphs, nothing wrapped), none, and the type size tells the spacing.
/// Told per size: a code listing in small type, longer than the page's prose, does not set
/// the prose's spacing.
fn usual_spacing(lines: &[Line]) -> Spacing {
    // Per size and distance, in half points: how often after a line that goes on, and after
    // one that ends a sentence.
    let mut counts: HashMap<(i32, i32), (usize, usize)> = HashMap::new();
    for pair in lines.windows(2) {
        let step = pair[1].top - pair[0].top;
        let same_size = (pair[1].size - pair[0].size).abs() < 0.5;
        if step > 0.0 && same_size && step < pair[0].size * 3.0 {
            let key = (half_points(pair[0].size), half_points(step));
            let count = counts.entry(key).or_default();
            match ends_sentence(&pair[0].text) {
                true => count.1 += 1,
                false => count.0 += 1,
            }
        }
    }
    let mut best: HashMap<i32, (usize, i32)> = HashMap::new();
    for (&(size, step), &(going_on, ended)) in &counts {
        if ended > 2 * going_on {
            continue;
        }
        let seen = going_on + ended;
        let kept = best.entry(size).or_insert((seen, step));
        if (seen, -step) > (kept.0, -kept.1) {
            *kept = (seen, step);
        }
    }
    Spacing(
        best.into_iter()
            .map(|(size, (_, step))| (size, step))
            .collect(),
    )
}

/// A length in half points.
fn half_points(length: f32) -> i32 {
    (length * 2.0).round() as i32
}

/// A page's usual line spacing for each type size (see [`usual_spacing`]).
#[derive(Debug, Default)]
struct Spacing(HashMap<i32, i32>);

impl Spacing {
    /// The usual spacing of lines of type size `size`, if the page tells one: of that size, else
    /// of the nearest size within the 15% that is one type (a line's size is its largest
    /// glyph's).
    fn of(&self, size: f32) -> Option<f32> {
        let wanted = half_points(size);
        let near = |&(&other, _): &(&i32, &i32)| (other - wanted).abs() as f32 <= size * 0.3;
        (self.0.iter())
            .filter(near)
            .min_by_key(|&(&other, &step)| ((other - wanted).abs(), step))
            .map(|(_, &step)| step as f32 / 2.0)
    }
}

/// How many times the usual line spacing a step down the page must be to set paragraphs apart
/// (half a point more): groff's default gap between paragraphs (`-ms`: 0.3 of a line) makes
/// 1.3; word processors leave more (a half line or a line). Up to [`CLEAR_GAP`], a step is a
/// gap only after a sentence's end or before a capital (a heading, then its text): a tall
/// formula inside a sentence pushes its lines apart as much.
const PARAGRAPH_GAP: f32 = 1.2;

/// A step down the page that sets paragraphs apart whatever the text says.
const CLEAR_GAP: f32 = 1.3;

/// Whether `line` starts a new paragraph after `previous` (`next` is the line after it).
fn starts_paragraph(previous: &Line, line: &Line, next: Option<&Line>, spacing: &Spacing) -> bool {
    let step = line.top - previous.top;
    if (line.size - previous.size).abs() > line.size.min(previous.size) * 0.15 {
        // Another type size (a heading, and the text after it).
        return true;
    }
    if step <= 0.0 {
        // Back up the page: the next column, where a paragraph left unfinished at the foot of
        // the last one runs on, unless this line is indented as a paragraph's first; or a
        // float.
        return !runs_on_in_next_column(previous, line, next);
    }
    let usual = spacing.of(previous.size).unwrap_or(previous.size * 1.2);
    if step > usual * CLEAR_GAP + 0.5 {
        return true;
    }
    let opens = line.text.chars().next().is_some_and(char::is_uppercase);
    if step > usual * PARAGRAPH_GAP + 0.5 && (ends_sentence(&previous.text) || opens) {
        return true;
    }
    is_indented(line, previous) && !hangs_under_item(line, previous)
}

/// Whether `line`, indented against `previous`, is the next line of a list item that
/// `previous` starts, set with a hanging indent (under the item's text, not its bullet or
/// number): `previous` begins with a bullet or an item's number and reaches as far across as
/// `line` does (it wrapped; a short heading such as `1. Introduction` before an indented first
/// line does not).
fn hangs_under_item(line: &Line, previous: &Line) -> bool {
    let wrapped = match line.rtl && previous.rtl {
        true => previous.x <= line.x + line.size,
        false => previous.right >= line.right - line.size,
    };
    // An item of one line that ends its sentence, then an indented paragraph: apart.
    has_item_mark(&previous.text) && wrapped && !ends_sentence(&previous.text)
}

/// Whether `text` begins with a list item's mark: a bullet or an item's number (as
/// [`starts_list_item`] reads them), a dash, star or plus used as a bullet, a label in
/// brackets (`(a)`, `[1]`, `(iv)`), or a tag word (`Note:`), then a space. (Only beside a hanging indent: a line of
/// prose may begin with a dash.)
fn has_item_mark(text: &str) -> bool {
    if is_bulleted(text) || is_enumerated(text) {
        return true;
    }
    let Some((mark, _)) = text.split_once(' ') else {
        return false;
    };
    let dash = matches!(mark, "-" | "*" | "+" | "–" | "—" | "−");
    // A tag word: `Note:`, `Warning:`.
    let tag = (mark.strip_suffix(':')).is_some_and(|word| {
        (2..=12).contains(&word.chars().count()) && word.chars().all(char::is_alphabetic)
    });
    let bracketed = (mark.strip_prefix('(').and_then(|m| m.strip_suffix(')')))
        .or_else(|| mark.strip_prefix('[').and_then(|m| m.strip_suffix(']')))
        .is_some_and(|label| {
            (1..=4).contains(&label.chars().count()) && label.chars().all(char::is_alphanumeric)
        });
    dash || bracketed || tag
}

/// Whether `line` starts an item of a list: it begins with a bullet (`•`, `◦`, `▪`, …), or
/// with a number or letter and `.` or `)` (`2.`, `b)`) after a line that ends a sentence or is
/// a list item itself (a wrapped sentence's line may begin with a number), or with another
/// item mark (a label in brackets, a dash, a tag word: [`has_item_mark`]) inside a list, the
/// paragraph before it an item (`in_item`): prose may cite `[3]` after a sentence. A list's items are
/// its paragraphs, however tightly they are set.
fn starts_list_item(line: &Line, previous: &Line, in_item: bool) -> bool {
    if is_bulleted(&line.text) {
        return true;
    }
    let after_item_or_sentence = ends_sentence(&previous.text)
        || is_bulleted(&previous.text)
        || is_enumerated(&previous.text);
    if is_enumerated(&line.text) {
        return after_item_or_sentence;
    }
    // Other marks (`[3]`, `- `, `Note:`) begin sentences of prose too: an item only after one.
    has_item_mark(&line.text) && in_item
}

/// Whether `text` begins with a bullet and a space.
fn is_bulleted(text: &str) -> bool {
    let mut chars = text.chars();
    let bullet = chars.next().is_some_and(|c| {
        matches!(
            c,
            '•' | '◦'
                | '▪'
                | '▫'
                | '‣'
                | '⁃'
                | '●'
                | '○'
                | '■'
                | '□'
                | '◆'
                | '◇'
                | '➢'
                | '►'
                | '▸'
                | '✓'
                | '✔'
        )
    });
    bullet && chars.next() == Some(' ')
}

/// Whether `text` begins with an item's number or letter: one to three digits, or one small
/// letter, then `.` or `)`, then a space (`12. `, `b) `).
fn is_enumerated(text: &str) -> bool {
    let Some((marker, _)) = text.split_once(' ') else {
        return false;
    };
    let Some(label) = marker.strip_suffix(['.', ')']) else {
        return false;
    };
    let digits = (1..=3).contains(&label.len()) && label.chars().all(|c| c.is_ascii_digit());
    let letter = label.len() == 1 && label.chars().all(|c| c.is_ascii_lowercase());
    digits || letter
}

/// Whether a page sets its paragraphs apart itself, with a space between them or a first-line
/// indent (`breaks`: where [`starts_paragraph`] found paragraphs start): at least one such
/// break for every ten lines. Its lines that end early are then a poem's, an address's or
/// a text file's that broke at a sentence, not paragraph ends.
fn sets_paragraphs_apart(lines: &[Line], breaks: &[bool]) -> bool {
    let set_apart = (1..lines.len())
        .filter(|&at| breaks[at] && same_block(&lines[at - 1], &lines[at]))
        .count();
    set_apart * 10 >= lines.len()
}

/// How many lines before a line are looked at (and one fewer after it) to tell whether it
/// stands in wrapped text.
const WRAP_WINDOW: usize = 3;

/// Where a line stops in a column: the far edge of its text (the right one, or the left one
/// for text set right to left).
#[derive(Debug, Clone, Copy)]
struct Edge {
    at: f32,
    rtl: bool,
}

/// For each line, the edge the line before it would have wrapped at, when both stand in wrapped
/// text: in a run of consecutive lines of one size going down a column, between two paragraph
/// starts already found (`breaks`), three lines or more, of which the lines near it (from
/// [`WRAP_WINDOW`] before it to one fewer after it, the paragraph's last left out) reach within a tenth of the
/// run's width of the run's far edge, half of them or more. The edge is the farthest of those
/// near lines. `None` elsewhere: a poem's, an address's, a list's or a table's short lines
/// are not wrapped text.
fn wrapping_edges(lines: &[Line], breaks: &[bool]) -> Vec<Option<Edge>> {
    let mut edges = vec![None; lines.len()];
    let mut start = 0;
    while start < lines.len() {
        let mut end = start + 1;
        while end < lines.len() && same_block(&lines[end - 1], &lines[end]) {
            end += 1;
        }
        mark_wrapped(
            &lines[start..end],
            &breaks[start..end],
            &mut edges[start..end],
        );
        start = end;
    }
    edges
}

/// [`wrapping_edges`] for one run of lines.
fn mark_wrapped(run: &[Line], breaks: &[bool], edges: &mut [Option<Edge>]) {
    let rtl = run.iter().filter(|l| l.rtl).count() * 2 > run.len();
    let far = |l: &Line| if rtl { -l.x } else { l.right };
    let near = |l: &Line| if rtl { -l.right } else { l.x };
    let run_far = run.iter().map(far).fold(f32::MIN, f32::max);
    let run_near = run.iter().map(near).fold(f32::MAX, f32::min);
    let width = run_far - run_near;
    if !(width.is_finite() && width > 0.0) {
        return;
    }
    let reaches = |l: &Line| far(l) >= run_far - 0.1 * width;
    let mut start = 0;
    while start < run.len() {
        let mut end = start + 1;
        while end < run.len() && !breaks[end] {
            end += 1;
        }
        let paragraph = &run[start..end];
        // The paragraph's last line is short by nature: left out of the count.
        let counted = &paragraph[..paragraph.len() - 1];
        for at in 1..paragraph.len() {
            let window =
                &counted[at.saturating_sub(WRAP_WINDOW)..(at + WRAP_WINDOW).min(counted.len())];
            let full = window.iter().filter(|l| reaches(l)).count();
            if paragraph.len() >= 3 && !window.is_empty() && full * 2 >= window.len() {
                let edge = window.iter().map(far).fold(f32::MIN, f32::max);
                edges[start + at] = Some(Edge {
                    at: if rtl { -edge } else { edge },
                    rtl,
                });
            }
        }
        start = end;
    }
}

/// Whether `line` follows `previous` down the same column, in the same type.
fn same_block(previous: &Line, line: &Line) -> bool {
    let step = line.top - previous.top;
    step > 0.0 && step < previous.size * 3.0 && (line.size - previous.size).abs() < 0.5
}

/// Whether `previous`, a line of wrapped text that wraps at `edge`, ended before it had to:
/// the first word of `line` and a space (two words after an abbreviation, which a tie may keep
/// with the next: `Mr. Smith`, `Fig. 3`; as wide as their letters take on average in `line`,
/// capitals half as wide again) would have fitted after it, with room to spare. Such a line
/// ends its paragraph (a paragraph set with no space or indent after it, or a line the writer
/// broke). In a fixed-pitch font, where code's lines end early everywhere, only a line that
/// ends a sentence and is followed by one that does not start with a small letter ends a
/// paragraph (a text file printed).
fn ended_early(previous: &Line, line: &Line, edge: Edge) -> bool {
    if previous.text.ends_with(['-', SOFT_HYPHEN]) {
        return false;
    }
    let code_like = previous.monospace || line.monospace;
    if code_like && (!ends_sentence(&previous.text) || line.text.starts_with(char::is_lowercase)) {
        return false;
    }
    let mut words = line.text.split(' ');
    let Some(first) = words.next() else {
        return false;
    };
    let abbreviation = first.chars().count() <= 4 && first.ends_with('.');
    let second = words.next().filter(|_| abbreviation).unwrap_or("");
    let letters = line.text.chars().count().max(1) as f32;
    let per_letter = ((line.right - line.x) / letters).max(0.25 * line.size);
    let width = |word: &str| -> f32 {
        word.chars()
            .map(|c| if c.is_uppercase() { 1.5 } else { 1.0 })
            .sum::<f32>()
    };
    let spaces = if second.is_empty() { 1.0 } else { 2.0 };
    let needed = (width(first) + width(second) + spaces) * per_letter * 1.2 + 0.5 * line.size;
    let room = match edge.rtl {
        true => previous.x - edge.at,
        false => edge.at - previous.right,
    };
    room > needed
}

/// Whether `line` starts well inside `before` (by most of a type size, less than six): a
/// first-line indent, on the left, or on the right of right-to-left lines.
fn is_indented(line: &Line, before: &Line) -> bool {
    let inset = match line.rtl && before.rtl {
        true => before.right - line.right,
        false => line.x - before.x,
    };
    inset > line.size * 0.8 && inset < line.size * 6.0
}

/// Whether `line`, back up the page and right of `previous` (left of it, in right-to-left
/// lines), carries on `previous`'s sentence:
/// `previous` does not end one (see [`ends_sentence`]), `line` is in the same type (within 5%:
/// not a caption or a float) and starts with a small letter or one of a script without case
/// (Hebrew, Arabic, Chinese: told by the sentence end alone), and it is not indented against
/// the line after it.
fn runs_on_in_next_column(previous: &Line, line: &Line, next: Option<&Line>) -> bool {
    let beside = line.reads_on_from(previous);
    let same_type = (line.size - previous.size).abs() <= previous.size * 0.05;
    let goes_on = line.text.chars().next().is_some_and(|first| {
        first.is_lowercase() || (first.is_alphabetic() && !first.is_uppercase())
    });
    let indented = next.is_some_and(|next| next.top > line.top && is_indented(line, next));
    beside && same_type && goes_on && !ends_sentence(&previous.text) && !indented
}

/// Whether a line ends a sentence: `.`, `!`, `?` or `:` (or their Arabic, Urdu, CJK and
/// Devanagari forms), and what may close them.
fn ends_sentence(text: &str) -> bool {
    text.trim_end_matches(['"', '\'', ')', ']', '”', '’', '»', '」', '』'])
        .ends_with(['.', '!', '?', ':', '؟', '۔', '。', '！', '？', '：', '।'])
}

/// The words of a document written within its lines (not split at a line end): the dictionary
/// that says whether a hyphen at a line end is a compound's.
pub fn words_within_lines<'a>(lines: impl Iterator<Item = &'a Line>) -> HashSet<String> {
    let mut words = HashSet::new();
    for line in lines {
        let text = line.text.strip_suffix('-').unwrap_or(&line.text);
        for word in text.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
            let word = word.trim_matches('-');
            if !word.is_empty() {
                words.insert(word.to_lowercase());
            }
        }
    }
    words
}

/// A paragraph's lines joined: with a space, or whole across a hyphen at a line end that
/// breaks a word (`transcon-` + `tinental`; the hyphen stays where `dictionary` holds the
/// hyphenated compound and not the joined word), or with nothing between Han or kana
/// characters (Chinese and Japanese put no space between words).
pub fn join(lines: &[Line], dictionary: &HashSet<String>) -> String {
    let mut text = String::new();
    for line in lines {
        let next = line.text.as_str();
        if text.is_empty() {
            text.push_str(next);
            continue;
        }
        // A word broken at a soft hyphen is joined whole, whatever follows.
        if text.ends_with(SOFT_HYPHEN) {
            text.pop();
            text.push_str(next);
            continue;
        }
        match hyphenated(&text, next) {
            Some((head, tail)) => {
                let joined = format!("{head}{tail}").to_lowercase();
                let compound = format!("{head}-{tail}").to_lowercase();
                let keep = dictionary.contains(&compound) && !dictionary.contains(&joined);
                if !keep {
                    text.pop();
                }
            }
            // A hyphen between a word or number and a capital or digit (`North-` `South`,
            // `12-` `14`) is kept, and nothing comes between.
            None if ends_in_hyphen_after_alphanumeric(&text)
                && next.starts_with(char::is_alphanumeric) => {}
            // Chinese and Japanese lines close up: no space between their words.
            None if wraps_across(&text, next) => {}
            None => text.push(' '),
        }
        text.push_str(next);
    }
    // A soft hyphen at the paragraph's end breaks nothing.
    text.truncate(text.trim_end_matches(SOFT_HYPHEN).len());
    text
}

/// Whether the line break between `text` and `next` is no space: Han or kana on both sides.
fn wraps_across(text: &str, next: &str) -> bool {
    (next.chars().next()).is_some_and(|after| crate::analysis::wraps_without_space(text, after))
}

/// Whether `text` ends with a letter or digit and a hyphen.
fn ends_in_hyphen_after_alphanumeric(text: &str) -> bool {
    text.strip_suffix('-')
        .and_then(|before| before.chars().last())
        .is_some_and(char::is_alphanumeric)
}

/// The word broken at the end of `text` by a hyphen and its continuation at the start of
/// `next`, when `text` ends in a letter and a hyphen and `next` starts with a lowercase letter.
fn hyphenated<'a>(text: &'a str, next: &'a str) -> Option<(&'a str, &'a str)> {
    let before = text.strip_suffix('-')?;
    let head_start = before.rfind(|c: char| !c.is_alphanumeric()).map_or(0, |i| {
        i + before[i..].chars().next().map_or(1, char::len_utf8)
    });
    let head = &before[head_start..];
    let first = next.chars().next()?;
    if head.is_empty() || !head.chars().last()?.is_alphabetic() || !first.is_lowercase() {
        return None;
    }
    let tail_end = next
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(next.len());
    Some((head, &next[..tail_end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, x: f32, top: f32) -> Line {
        Line {
            text: text.into(),
            x,
            right: x + 100.0,
            top,
            bottom: top + 10.0,
            size: 10.0,
            rtl: false,
            monospace: false,
        }
    }

    /// [`line`] in type size `size`.
    fn sized(text: &str, x: f32, top: f32, size: f32) -> Line {
        Line {
            size,
            ..line(text, x, top)
        }
    }

    /// A line of `text` from x = 0, five points a letter (type size 10), `n` lines down.
    fn set(text: &str, n: usize) -> Line {
        Line {
            right: text.chars().count() as f32 * 5.0,
            ..line(text, 0.0, n as f32 * 12.0)
        }
    }

    #[test]
    fn a_line_that_ends_where_the_next_word_would_have_fitted_ends_its_paragraph() {
        // Ragged right at 200 points (40 letters), no space or indent between paragraphs.
        let page: Vec<Line> = lines_from(
            &[
                "the first paragraph runs over two lines",
                "and ends here.",
                "The second one starts at once with words",
                "that go on, and a line that",
                "internationalization did not fit on: the",
                "word did not fit. A third paragraph in",
                "one line",
            ],
            0,
        );
        assert_eq!(lengths(page), [2, 5]);
    }

    #[test]
    fn a_tight_list_leaves_the_prose_around_it_told_apart_by_its_short_lines() {
        // The same prose (no space or indent between paragraphs), then a list of items set
        // as tightly: the items are paragraphs, and the prose still parts where a line ended
        // early (the items do not make the page one that sets its paragraphs apart).
        let page: Vec<Line> = lines_from(
            &[
                "the first paragraph runs over two lines",
                "and ends here.",
                "The second one starts at once with words",
                "that go on to the end of this last line",
                "and stop.",
                "• one",
                "• two",
                "• three",
            ],
            0,
        );
        assert_eq!(lengths(page), [2, 3, 1, 1, 1]);
    }

    #[test]
    fn a_list_item_set_with_a_hanging_indent_is_one_paragraph() {
        // Prose, then items whose wrapped lines hang under the item's text (20 points in),
        // then an item that is a heading before an indented first line.
        let indented = |text: &str, n: usize| Line {
            x: 20.0,
            ..set(text, n)
        };
        let page = vec![
            set("Prose that runs on over a line and a", 0),
            set("half of the page.", 1),
            set("1. The first item runs long enough to", 2),
            indented("wrap onto a second line under", 3),
            indented("its text.", 4),
            set("• A bullet item that wraps onto a line", 5),
            indented("under it too.", 6),
            set("2. Heading", 7),
            indented("An indented first line of prose that", 8),
            set("goes on.", 9),
        ];
        assert_eq!(lengths(page), [2, 3, 2, 1, 2]);
        // Other marks: a label in brackets, a dash; and an item of one line that ends its
        // sentence, then an indented paragraph.
        let page = vec![
            set("(a) The first item runs long enough to", 0),
            indented("wrap under its text.", 1),
            set("- A dashed item that wraps onto a line", 2),
            indented("under it too.", 3),
            set("3. A last item of one line, all of it.", 4),
            indented("An indented first line of prose that", 5),
            set("goes on.", 6),
        ];
        assert_eq!(lengths(page), [2, 2, 1, 2]);
        // Prose citing `[3]` after a sentence, set tight: no list, one paragraph.
        let page = vec![
            set("As shown before in much of the prior work.", 0),
            set("[3] showed that the method carries over to", 1),
            set("other fields - and more.", 2),
        ];
        assert_eq!(lengths(page), [3]);
        // Right to left, the item's wrapped line hangs on the right.
        let rtl = |text: &str, n: usize, right: f32| {
            let line = set(text, n);
            let width = line.right;
            Line {
                rtl: true,
                x: right - width,
                right,
                ..line
            }
        };
        let page = vec![
            rtl("1. בפריט הראשון יש די מילים כדי", 0, 200.0),
            rtl("לעבור לשורה שנייה.", 1, 180.0),
        ];
        assert_eq!(lengths(page), [2]);
    }

    /// Lines of `texts` from x = 0, five points a letter, 12 points apart, from line `first` on.
    fn lines_from(texts: &[&str], first: usize) -> Vec<Line> {
        let lines = texts.iter().enumerate();
        lines.map(|(n, text)| set(text, first + n)).collect()
    }

    /// `lines` set in a fixed-pitch font.
    fn fixed_pitch(lines: Vec<Line>) -> Vec<Line> {
        let fixed = |line| Line {
            monospace: true,
            ..line
        };
        lines.into_iter().map(fixed).collect()
    }

    /// How many lines each of `page`'s paragraphs has.
    fn lengths(page: Vec<Line>) -> Vec<usize> {
        paragraphs(page).iter().map(Vec::len).collect()
    }

    #[test]
    fn a_poem_in_a_document_that_spaces_its_paragraphs_keeps_its_lines_together() {
        let mut page = lines_from(
            &[
                "a paragraph of prose that runs over lines",
                "and goes on to the margin of the column at",
                "its right edge, then ends.",
            ],
            0,
        );
        // A gap, then a stanza of short lines, each with room for the next one's first word.
        page.extend(lines_from(
            &[
                "whose woods these are",
                "I think I know.",
                "His house is in",
                "the village though",
            ],
            5,
        ));
        page.extend(lines_from(
            &[
                "and a closing paragraph of prose to the",
                "margin again, as the first one was set.",
            ],
            11,
        ));
        assert_eq!(lengths(page), [3, 4, 2]);
    }

    #[test]
    fn wrapped_text_is_told_near_each_line_not_over_the_whole_page() {
        // A letter's address block, then paragraphs with no space between them.
        let mut page = lines_from(
            &["Jane Doe", "12 High Street", "Springfield", "", "Dear Sir,"]
                .into_iter()
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>(),
            0,
        );
        page.extend(lines_from(
            &[
                "thank you for the letter that you sent me",
                "last week about the house.",
                "The roof was mended on Monday and the men",
                "will come back for the gutters on Friday,",
                "if the rain stops by then.",
                "Yours faithfully, and with many thanks to",
                "you and your family.",
            ],
            4,
        ));
        let got: Vec<usize> = lengths(page);
        // The body's paragraphs come apart though the address's short lines are more than half
        // of the page's; the address, no wrapped text, stays with the paragraph after it.
        assert_eq!(got, [6, 3, 2]);
    }

    #[test]
    fn a_word_tied_to_the_next_or_wide_capitals_that_did_not_fit_end_no_paragraph() {
        // `Mr.` alone would fit after the first line; `Mr. Worthington` did not. `MAXIMUM`
        // in capitals is wider than its letters' average.
        for (first, second) in [
            (
                "the licence was signed by",
                "Mr. Worthington and by the other parties",
            ),
            (
                "the warranty is void to the",
                "MAXIMUM extent the law allows, and it",
            ),
        ] {
            let page = lines_from(
                &[
                    "the text runs over several lines up to",
                    first,
                    second,
                    "the end.",
                ],
                0,
            );
            let mut page = page;
            page[1].right = 125.0;
            assert_eq!(paragraphs(page).len(), 1, "{first} | {second}");
        }
    }

    #[test]
    fn short_lines_of_a_poem_or_code_stay_together() {
        let poem: Vec<Line> = lines_from(
            &[
                "roses are red",
                "violets are blue",
                "sugar is sweet",
                "so are you",
            ],
            0,
        );
        assert_eq!(paragraphs(poem).len(), 1);
        // Code in a fixed-pitch font: lines end early everywhere, and no sentence ends.
        let code: Vec<Line> = fixed_pitch(lines_from(
            &[
                "fn main() {",
                "    let words = read_the_words_from(input, options);",
                "    println!(\"{words:?} and the rest of this line\");",
                "    let more = words.iter().map(|word| word.len()).sum();",
                "}",
            ],
            0,
        ));
        assert_eq!(paragraphs(code).len(), 1);
        // A text file printed in a fixed-pitch font: a sentence ending early ends a paragraph.
        let printed: Vec<Line> = fixed_pitch(lines_from(
            &[
                "the first paragraph runs over two lines",
                "and ends here.",
                "The second one starts at once with words",
                "and goes on to its end.",
            ],
            0,
        ));
        assert_eq!(paragraphs(printed).len(), 2);
    }

    #[test]
    fn a_quotation_in_the_other_direction_is_no_paragraph_of_its_own() {
        let rtl = |text: &str, n: usize| Line {
            rtl: true,
            right: 200.0,
            x: 200.0 - text.chars().count() as f32 * 5.0,
            ..set(text, n)
        };
        let page = vec![
            set("an English paragraph that quotes a line of", 0),
            // A quoted line set within the English paragraph, from its left margin.
            Line {
                rtl: true,
                ..set("שורה ארוכה בעברית שממשיכה עד סוף השורה", 1)
            },
            set("Hebrew and then goes on in English to the", 2),
            set("end of the paragraph.", 3),
            // Its last line ended early: the Hebrew paragraph after it starts a new one.
            rtl("פסקה חדשה בעברית שממשיכה עד סוף השורה", 4),
            rtl("ונגמרת כאן.", 5),
        ];
        assert_eq!(lengths(page), [4, 2]);
    }

    #[test]
    fn a_sentence_in_a_script_without_case_runs_on_in_the_next_column() {
        // Two right-to-left columns: the right one read first, its foot left unfinished or not.
        let rtl = |text: &str, x: f32, top: f32| Line {
            rtl: true,
            ..line(text, x, top)
        };
        for (foot, together) in [("משפט שלא נגמר בסוף", true), ("משפט שנגמר כאן.", false)]
        {
            let page = vec![
                rtl("פסקה בטור הימני", 300.0, 0.0),
                rtl(foot, 300.0, 12.0),
                rtl("וממשיך בטור השמאלי", 0.0, 0.0),
                rtl("עד סופו.", 0.0, 12.0),
            ];
            let got: Vec<usize> = lengths(page);
            let want: &[usize] = if together { &[4] } else { &[2, 2] };
            assert_eq!(got, want, "{foot}");
        }
    }

    #[test]
    fn right_to_left_lines_are_indented_on_the_right() {
        let rtl = |x: f32, right: f32, top: f32| Line {
            right,
            rtl: true,
            ..line("שורה", x, top)
        };
        let page = vec![
            rtl(0.0, 200.0, 0.0),
            // Shorter on the left: the paragraph's last line, not an indent.
            rtl(80.0, 200.0, 12.0),
            // Set in from the right: a new paragraph's first line.
            rtl(0.0, 188.0, 24.0),
            rtl(0.0, 200.0, 36.0),
        ];
        assert_eq!(lengths(page), [2, 2]);
    }

    #[test]
    fn list_items_are_paragraphs_however_tightly_set() {
        let lines = vec![
            line("Intro paragraph text here.", 0.0, 0.0),
            line("• First item of the list", 0.0, 12.0),
            line("• Second item of the list", 0.0, 24.0),
            line("1. Numbered one", 0.0, 36.0),
            line("2. Numbered two, a long item that wraps", 0.0, 48.0),
            line("onto a second line.", 0.0, 60.0),
            line("b) lettered", 0.0, 72.0),
            line("as in the year", 0.0, 84.0),
            line(
                "12. a number that starts no item (its line is no sentence's end)",
                0.0,
                96.0,
            ),
        ];
        let texts: Vec<Vec<String>> = paragraphs(lines)
            .into_iter()
            .map(|p| p.into_iter().map(|l| l.text).collect())
            .collect();
        assert_eq!(
            texts,
            [
                vec!["Intro paragraph text here."],
                vec!["• First item of the list"],
                vec!["• Second item of the list"],
                vec!["1. Numbered one"],
                vec![
                    "2. Numbered two, a long item that wraps",
                    "onto a second line."
                ],
                vec![
                    "b) lettered",
                    "as in the year",
                    "12. a number that starts no item (its line is no sentence's end)"
                ],
            ]
        );
    }

    #[test]
    fn short_paragraphs_spaced_apart_and_the_text_after_a_heading_are_told_apart() {
        // 10-point text on a 14-point pitch, paragraphs 23 points apart: the gaps outnumber
        // the lines within a paragraph.
        let mut lines = vec![
            line("Alpha apples are red and the harbour is", 72.0, 0.0),
            line("calm today.", 72.0, 14.0),
            line("Bravo bananas are yellow.", 72.0, 37.0),
            line("Charlie cherries are dark.", 72.0, 60.0),
        ];
        // A heading a sixth larger, and the text on the usual pitch after it.
        let mut heading = line("Weather Notes", 72.0, 83.0);
        heading.size = 11.6;
        lines.push(heading);
        lines.push(line("Delta dates are sweet.", 72.0, 97.0));
        let texts: Vec<String> = paragraphs(lines)
            .into_iter()
            .map(|p| {
                p.iter()
                    .map(|l| l.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let expected = [
            "Alpha apples are red and the harbour is calm today.",
            "Bravo bananas are yellow.",
            "Charlie cherries are dark.",
            "Weather Notes",
            "Delta dates are sweet.",
        ];
        assert_eq!(texts, expected);
    }

    #[test]
    fn one_line_paragraphs_spaced_apart_are_each_a_paragraph() {
        // Nothing wraps: every distance follows a sentence's end, so none is a line spacing.
        let texts = [
            "Alpha apples are red.",
            "Bravo bananas are yellow.",
            "Charlie is dark.",
        ];
        let lines: Vec<Line> = (texts.iter().enumerate())
            .map(|(n, text)| line(text, 72.0, 23.0 * n as f32))
            .collect();
        assert_eq!(paragraphs(lines).len(), 3);
        // Lines set close, as a poem's or a list's are, stay together.
        let lines: Vec<Line> = (texts.iter().enumerate())
            .map(|(n, text)| line(text, 72.0, 12.0 * n as f32))
            .collect();
        assert_eq!(paragraphs(lines).len(), 1);
    }

    #[test]
    fn a_double_spaced_text_beside_a_quotation_set_single_keeps_its_paragraphs() {
        // A thesis page: short paragraphs double-spaced (a 20-point pitch, first lines
        // indented), then a quotation set single (12), then a last paragraph.
        let body = [
            ("The ledgers were kept by the harbour clerks, who", 90.0),
            ("wrote them in the evening.", 72.0),
            ("Nobody asked who paid them. The reading offered", 90.0),
            ("here begins with the question of who kept the", 72.0),
            ("ledgers.", 72.0),
        ];
        let mut lines: Vec<Line> = (body.iter().enumerate())
            .map(|(n, &(text, x))| line(text, x, 20.0 * n as f32))
            .collect();
        let quote = [
            "and so the clerks wrote on",
            "through the night while the",
            "lamps burned low over the",
            "tables of the counting house",
        ];
        for (n, text) in quote.into_iter().enumerate() {
            lines.push(line(text, 100.0, 110.0 + 12.0 * n as f32));
        }
        lines.push(line("The last paragraph closes the page.", 90.0, 176.0));
        let sizes: Vec<usize> = paragraphs(lines).iter().map(Vec::len).collect();
        assert_eq!(sizes, [2, 3, 4, 1]);
    }

    #[test]
    fn a_gap_of_three_tenths_of_a_line_ends_a_paragraph() {
        // groff's `-ms` defaults: 10-point type on 12-point lines, 0.3 of a line between
        // paragraphs; one-line paragraphs (nothing tells the line spacing), then wrapped ones.
        let tops = [0.0, 15.6, 31.2, 43.2, 58.8, 70.8];
        let texts = ["One.", "Two.", "Three runs", "on.", "Four runs", "on."];
        let page = (texts.iter().zip(tops))
            .map(|(text, top)| line(text, 0.0, top))
            .collect();
        assert_eq!(lengths(page), [1, 1, 2, 2]);
    }

    #[test]
    fn a_listing_in_small_type_does_not_set_the_prose_spacing() {
        // Prose in 10-point type on 12-point lines (each line opening with a name), around a
        // longer listing in 8-point type on 9.5-point lines: the prose keeps its lines
        // together.
        let prose = |text: &str, top: f32| line(text, 0.0, top);
        let code = |n: usize| sized("let x = y;", 0.0, 40.0 + n as f32 * 9.5, 8.0);
        let mut page = vec![
            prose("The cities Seoul,", 0.0),
            prose("Busan, Incheon and", 12.0),
            prose("Daegu are listed:", 24.0),
        ];
        page.extend((0..18).map(code));
        let after = 40.0 + 18.0 * 9.5 + 6.0;
        page.extend([
            prose("And after it", after),
            prose("Gwangju, Ulsan and", after + 12.0),
            prose("Suwon are too.", after + 24.0),
        ]);
        assert_eq!(lengths(page), [3, 18, 3]);
    }

    #[test]
    fn a_line_with_a_larger_glyph_keeps_its_sizes_spacing() {
        // Double-spaced 12-point text; one line's largest glyph is 13 points.
        let at = |text: &str, top: f32, size: f32| sized(text, 0.0, top, size);
        let page = vec![
            at("a paragraph that", 0.0, 12.0),
            at("runs on with a big", 24.0, 13.0),
            at("glyph and goes on", 48.0, 12.0),
            at("to its end here.", 72.0, 12.0),
        ];
        assert_eq!(lengths(page), [4]);
    }

    #[test]
    fn a_small_gap_inside_a_sentence_is_no_paragraph_end() {
        // A tall formula pushes its line a quarter line down: the sentence goes on.
        let page = vec![
            line("a sentence about", 0.0, 0.0),
            line("the fraction that", 0.0, 12.0),
            line("grows taller here", 0.0, 27.0),
            line("and ends.", 0.0, 39.0),
            line("Then another starts", 0.0, 54.0),
        ];
        assert_eq!(lengths(page), [4, 1]);
    }

    #[test]
    fn gaps_indents_sizes_and_columns_end_paragraphs() {
        let page = vec![
            line("one a", 0.0, 0.0),
            line("one b", 0.0, 12.0),
            line("two after a gap", 0.0, 30.0),
            line("two b", 0.0, 42.0),
            line("three indented", 12.0, 54.0),
            line("three b.", 0.0, 66.0),
            line("four, next column", 300.0, 0.0),
        ];
        assert_eq!(lengths(page), [2, 2, 2, 1]);
    }

    #[test]
    fn a_sentence_left_unfinished_at_a_columns_foot_runs_on_in_the_next() {
        let caption = sized("figure two shows", 300.0, 0.0, 9.0);
        let cases = [
            // Runs on: no full stop at the foot, the next column's first line not indented.
            (
                vec![
                    line("a sentence that", 0.0, 0.0),
                    line("goes on", 0.0, 12.0),
                    line("at the top of", 300.0, 0.0),
                    line("the next column.", 300.0, 12.0),
                ],
                1,
            ),
            // The next column starts with an indented first line: a new paragraph.
            (
                vec![
                    line("a list of words", 0.0, 0.0),
                    line("without a stop", 0.0, 12.0),
                    line("A new paragraph", 312.0, 0.0),
                    line("in the next column.", 300.0, 12.0),
                ],
                2,
            ),
            // A caption in smaller type at the top of the next column is not run on.
            (vec![line("a list of words", 0.0, 0.0), caption], 2),
            // A float back up the page in the same column is not run on.
            (
                vec![line("no stop here", 0.0, 40.0), line("a float", 0.0, 0.0)],
                2,
            ),
        ];
        for (page, want) in cases {
            let first = page[0].text.clone();
            assert_eq!(paragraphs(page).len(), want, "the page starting {first:?}");
        }
    }

    #[test]
    fn hyphens_at_line_ends_join_words_unless_the_document_writes_the_compound() {
        let dictionary = words_within_lines([line("a well-known fact", 0.0, 0.0)].iter());
        let join2 = |a: &str, b: &str| join(&[line(a, 0.0, 0.0), line(b, 0.0, 12.0)], &dictionary);
        assert_eq!(
            join2("the transcon-", "tinental railway"),
            "the transcontinental railway"
        );
        assert_eq!(join2("a well-", "known fact"), "a well-known fact");
        assert_eq!(join2("see page 12-", "14 here"), "see page 12-14 here");
        assert_eq!(
            join2("the North-", "South divide"),
            "the North-South divide"
        );
        assert_eq!(join2("ends here", "and goes on"), "ends here and goes on");
    }

    #[test]
    fn chinese_and_japanese_lines_close_up_and_korean_ones_are_spaced() {
        let dictionary = HashSet::new();
        let join2 = |a: &str, b: &str| join(&[line(a, 0.0, 0.0), line(b, 0.0, 12.0)], &dictionary);
        assert_eq!(join2("中国的经济", "发展很快。"), "中国的经济发展很快。");
        assert_eq!(join2("東京に", "行きます"), "東京に行きます");
        assert_eq!(join2("한국의", "경제"), "한국의 경제");
        assert_eq!(join2("经济。", "The"), "经济。 The");
    }

    #[test]
    fn ligatures_fold_and_soft_hyphens_go() {
        assert_eq!(fold("ﬁne ﬂow ﬃx e\u{ad}ffect"), "fine flow ffix effect");
        // A soft hyphen that ends a line is where a word broke: joined whole, before a capital
        // or a digit too (where a hard hyphen is kept: `North-` `South`).
        assert_eq!(fold("the endan\u{ad}"), "the endan\u{ad}");
        for (first, second, joined) in [
            (
                "The endan\u{ad} ",
                "gered flamingo",
                "The endangered flamingo",
            ),
            ("Power\u{ad}", "Point slides", "PowerPoint slides"),
            ("call 555\u{ad}", "1234 now", "call 5551234 now"),
            ("ends\u{ad}", "", "ends"),
        ] {
            let lines: Vec<Line> = [fold(first), fold(second)]
                .iter()
                .filter(|t| !t.is_empty())
                .map(|text| set(text, 0))
                .collect();
            assert_eq!(join(&lines, &HashSet::new()), joined);
        }
        assert_eq!(fold("plain"), "plain");
    }
}
