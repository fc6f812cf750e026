//! Making document text safe for a terminal: control characters, escape sequences, bidi
//! overrides and other invisible format characters are shown as visible `\u{..}` escapes, so a
//! document can never move the cursor, change colours or reorder what the user sees.

use std::borrow::Cow;
use std::ops::Range;

/// True for characters that must not reach a terminal as they are (a line break and a tab may,
/// in text of several lines).
pub(crate) fn is_unsafe(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        c if c.is_control() => true, // C0, DEL, C1
        _ => is_invisible_format(c),
    }
}

/// Characters a terminal does not show as themselves: they reorder text, break lines, or take
/// no room (or a width the terminal and the UI disagree on). The invisible format characters
/// are the analyzer's own list (those it drops from words); line and paragraph separators and
/// the Hangul fillers are letters or spaces to Unicode, but just as invisible.
fn is_invisible_format(c: char) -> bool {
    crate::analysis::is_format(c)
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}'
        )
}

/// A JSON formatter (compact, as serde_json's own) that writes every character [`sanitize`]
/// escapes as a `\uXXXX` escape too: the same strings to a JSON reader, but DEL, a C1 control
/// (U+009B starts terminal escape sequences; U+0085 ends lines for some readers), a bidi
/// override or a line separator in a document cannot act on a terminal showing JSON lines, or
/// break them (serde_json escapes the C0 controls itself).
#[derive(Debug, Clone, Copy, Default)]
pub struct SafeJson;

impl serde_json::ser::Formatter for SafeJson {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        if fragment.bytes().all(|b| b.is_ascii() && b != 0x7F) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            if is_unsafe(c) {
                writer.write_all(&fragment.as_bytes()[start..at])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                start = at + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

/// Returns `text` with every unsafe character replaced by a visible escape such as `\u{1b}`.
/// A `\r` that ends a line (`\r\n`) is dropped instead, so CRLF paragraphs print cleanly, and
/// one alone is a line break (a classic Mac OS text's lines), never a return to the line's start
/// that would print over it.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    clean(text, 0..text.len(), false)
}

/// Like [`sanitize`], and line breaks become spaces (for one-line snippets).
pub fn sanitize_inline(text: &str) -> Cow<'_, str> {
    clean(text, 0..text.len(), true)
}

/// [`sanitize`] (or with `inline`, [`sanitize_inline`]) of the part `range` of `text` (a byte
/// range on character boundaries), as it shows within the whole: the characters around it tell
/// whether a `\r` at its end ends a line (`\r\n`) or breaks one (`a\rb` cut before `b`, where
/// a highlight starts), and whether a joiner at its edge stands inside a word.
pub fn sanitize_part(text: &str, range: Range<usize>, inline: bool) -> Cow<'_, str> {
    clean(text, range, inline)
}

/// A name (a path, a record id) as terminal-safe text on one line: every control character,
/// line breaks and tabs included, becomes a visible escape, so a file named `a\nb.txt` cannot
/// print as two lines and forge a second entry.
pub fn sanitize_name(name: &str) -> Cow<'_, str> {
    sanitize_name_at(name, name.len()).0
}

/// [`sanitize_name`] of `name`, and where its byte offset `at` (a character boundary) is in
/// what it gives: for a cursor in a line being edited.
pub fn sanitize_name_at(name: &str, at: usize) -> (Cow<'_, str>, usize) {
    if !name.chars().any(|c| c.is_control() || is_unsafe(c)) {
        return (Cow::Borrowed(name), at);
    }
    let mut out = String::with_capacity(name.len() + 16);
    let mut out_at = None;
    let mut before = None;
    let tags = emoji_tags(name);
    let mut chars = name.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        if offset >= at && out_at.is_none() {
            out_at = Some(out.len());
        }
        let after = chars.peek().map(|&(_, c)| c);
        let in_emoji = tags.iter().any(|tags| tags.contains(&offset));
        if c.is_control() || (unsafe_between(before, c, after) && !in_emoji) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
        before = Some(c);
    }
    let out_at = out_at.unwrap_or(out.len());
    (Cow::Owned(out), out_at)
}

/// A name (a path) as printed for programs (output that is not a terminal): as it is, but for
/// what would act on a terminal reading it anyway (`list | head`): a control character (an
/// escape sequence, a line break; a tab may stay) or a bidi embedding, override or isolate,
/// which reorders what follows, as a visible escape. Invisible characters (a soft hyphen, a
/// joiner, a directional mark) stay, so the name names its file.
pub fn sanitize_name_for_programs(name: &str) -> Cow<'_, str> {
    let acts = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !name.chars().any(acts) {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        match acts(c) {
            true => push_escaped(&mut out, c),
            false => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Appends `c` as its visible escape, `\u{1b}`.
fn push_escaped(out: &mut String, c: char) {
    out.push_str(&format!("\\u{{{:x}}}", c as u32));
}

/// Whether `c`, between `before` and `after`, must not reach a terminal as it is: as
/// [`is_unsafe`] says, but for a zero-width non-joiner or joiner between two letters, which is
/// part of how the word is written (Persian `می‌خواهم`, the conjuncts of Indic scripts) and
/// cannot move or reorder anything. Between emoji (a family, a flag) it stays escaped: a
/// terminal and the UI disagree on how wide such a sequence is.
fn unsafe_between(before: Option<char>, c: char, after: Option<char>) -> bool {
    is_unsafe(c) && !crate::analysis::is_joiner_in_word(before, c, after)
}

/// The byte ranges of `text` that are the tags of an emoji tag sequence (the flags of England,
/// Scotland and Wales: U+1F3F4, tag letters, U+E007F): invisible format characters that there
/// make one emoji a terminal shows as such, and that take no cell either way (a terminal
/// without the flag shows the black flag alone). Anywhere else, tags are escaped.
fn emoji_tags(text: &str) -> Vec<std::ops::Range<usize>> {
    const CANCEL: char = '\u{E007F}';
    let is_tag = |c: char| ('\u{E0020}'..='\u{E007E}').contains(&c);
    if !text.contains(CANCEL) {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (at, _) in text.match_indices('\u{1F3F4}') {
        let start = at + '\u{1F3F4}'.len_utf8();
        let tags = text[start..].len() - text[start..].trim_start_matches(is_tag).len();
        if tags > 0 && text[start + tags..].starts_with(CANCEL) {
            found.push(start..start + tags + CANCEL.len_utf8());
        }
    }
    found
}

/// A message as one line of terminal-safe text: every line break (`\n`, `\r`) becomes a space,
/// then it is [`sanitize`]d. For messages on stderr, which may quote paths and document text.
pub fn one_line(message: &str) -> String {
    sanitize(&message.replace(['\n', '\r'], " ")).into_owned()
}

/// The part `range` of `text`, cleaned as [`sanitize_part`] says.
fn clean(text: &str, range: Range<usize>, inline: bool) -> Cow<'_, str> {
    let part = &text[range.clone()];
    if !part.chars().any(|c| is_unsafe(c) || (inline && c == '\n')) {
        return Cow::Borrowed(part);
    }
    let mut out = String::with_capacity(part.len() + 16);
    let line_break = |c: char| if c == '\r' { '\n' } else { c };
    let mut before = text[..range.start].chars().next_back().map(line_break);
    let tags = emoji_tags(text);
    for (at, c) in part.char_indices().map(|(at, c)| (range.start + at, c)) {
        // `\r` before a line's end (`\r\n`, or `\r\r\n` from a CRLF text converted twice), or
        // at the text's end, is part of that end.
        if c == '\r' {
            let rest = text[at..].trim_start_matches('\r');
            if rest.is_empty() || rest.starts_with('\n') {
                continue;
            }
        }
        let c = line_break(c);
        let after = text[at + c.len_utf8()..].chars().next();
        if c == '\n' && inline {
            out.push(' ');
        } else if unsafe_between(before, c, after) && !tags.iter().any(|tags| tags.contains(&at)) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
        before = Some(c);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_is_cleaned_as_it_shows_within_the_whole_text() {
        // A lone `\r` at the end of a part, where a highlight starts after it, breaks a line
        // (it was taken for a `\r\n`'s and dropped: `onebeta`); before `\n` it is dropped.
        let text = "alpha one\rbeta two\r\ngamma";
        assert_eq!(sanitize_part(text, 0..10, true), "alpha one ");
        assert_eq!(sanitize_part(text, 0..10, false), "alpha one\n");
        assert_eq!(sanitize_part(text, 10..19, false), "beta two");
        assert_eq!(sanitize_part(text, 10..20, false), "beta two\n");
        // A joiner at the edge of a part, inside a word, is the word's.
        let persian = "می\u{200C}خواهم";
        let joiner = "می".len();
        assert_eq!(sanitize_part(persian, 0..joiner + 3, false), "می\u{200C}");
        assert_eq!(
            sanitize_part(persian, joiner..persian.len(), false),
            "\u{200C}خواهم"
        );
        assert_eq!(sanitize_part("a \u{200C}", 2..5, false), "\\u{200c}");
    }

    #[test]
    fn escapes_become_visible() {
        assert_eq!(sanitize("a\x1b[31mred"), "a\\u{1b}[31mred");
        assert_eq!(sanitize("x\u{202E}y\u{9b}"), "x\\u{202e}y\\u{9b}");
    }

    #[test]
    fn a_joiner_inside_a_word_is_shown_as_itself_and_elsewhere_escaped() {
        let persian = "می\u{200C}خواهم";
        assert_eq!(sanitize(persian), persian);
        assert_eq!(sanitize_name(persian), persian);
        // A cursor after the joiner is placed in the line as shown (the joiner unescaped).
        let (shown, at) = sanitize_name_at(persian, "می\u{200C}".len());
        assert_eq!((shown.as_ref(), at), (persian, "می\u{200C}".len()));
        let (shown, at) = sanitize_name_at("a\u{1b}b", 2);
        assert_eq!((shown.as_ref(), at), ("a\\u{1b}b", 7));
        let hindi = "क्\u{200D}ष";
        assert_eq!(sanitize(hindi), hindi);
        assert_eq!(
            sanitize("👨\u{200D}👩 a\u{200C} \u{200D}b"),
            "👨\\u{200d}👩 a\\u{200c} \\u{200d}b"
        );
    }

    #[test]
    fn an_emoji_tag_sequence_is_shown_as_itself_and_stray_tags_escaped() {
        let scotland = "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}";
        assert_eq!(
            sanitize(&format!("Flag {scotland} of")),
            format!("Flag {scotland} of")
        );
        assert_eq!(sanitize_name(scotland), scotland);
        // Tags without the flag before them, or without their end, are escaped.
        assert_eq!(sanitize("a\u{E0067}\u{E007F}"), "a\\u{e0067}\\u{e007f}");
        assert_eq!(sanitize("🏴\u{E0067}x"), "🏴\\u{e0067}x");
    }

    #[test]
    fn line_separators_and_invisible_fillers_become_visible() {
        assert_eq!(
            sanitize("a\u{2028}b\u{FFF9}c\u{115F}"),
            "a\\u{2028}b\\u{fff9}c\\u{115f}"
        );
        assert_eq!(sanitize_inline("x\u{2029}y"), "x\\u{2029}y");
        // Every format character folding drops is escaped too (tag characters, the joiner).
        assert_eq!(sanitize("a\u{E0041}b\u{2060}c"), "a\\u{e0041}b\\u{2060}c");
    }

    #[test]
    fn json_strings_escape_controls_and_invisible_format_characters_and_decode_the_same() {
        let text = "abc \u{202E}gnp.exe\u{2028}end \u{110BD} ü \u{1b} \u{9b}31m \u{85} \u{7f}";
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::with_formatter(&mut out, SafeJson);
        serde::Serialize::serialize(&text, &mut serializer).unwrap();
        let json = String::from_utf8(out).unwrap();
        assert_eq!(
            json,
            "\"abc \\u202egnp.exe\\u2028end \\ud804\\udcbd ü \\u001b \\u009b31m \\u0085 \\u007f\""
        );
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), text);
    }

    #[test]
    fn plain_text_newlines_and_tabs_pass_unchanged() {
        assert!(matches!(sanitize("a\tb\nc – ü"), Cow::Borrowed(_)));
        assert_eq!(sanitize("a\r\nb\rc"), "a\nb\nc");
        // A CRLF text converted twice: still one line break; none at the end.
        assert_eq!(sanitize("a\r\r\nb\r"), "a\nb");
        assert_eq!(sanitize_inline("a\rb"), "a b");
        assert_eq!(sanitize_inline("a\r\nb\nc\x07"), "a b c\\u{7}");
        assert_eq!(
            sanitize_name("evil\nFAKE\t.txt"),
            "evil\\u{a}FAKE\\u{9}.txt"
        );
        assert!(matches!(sanitize_name("plain – ü.txt"), Cow::Borrowed(_)));
        assert_eq!(one_line("a\r\nb\rc\x1b"), "a  b c\\u{1b}");
    }
}
