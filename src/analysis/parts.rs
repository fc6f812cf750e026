//! The parts of code identifiers: a dotted name (`os.path.join`), a snake-case name
//! (`read_file`, `_private`, `__init__`) or a camel-case one (`readFile`, `XMLHttpRequest`, `HTTPServer`) is indexed whole and, at
//! the same position, as each of its parts (`os`, `path`, `join`; `read`, `file`), so a search
//! for a part finds the identifier while a search for the whole (or a phrase of it) stays
//! exact. Dotted acronyms (`U.S.`) and numbers (`3.14`, `v1.2`) are not identifiers. A word
//! after an elided French, Italian or Catalan article (`l'église`, `dell'anima`) is a part of
//! the word the same way ([`elided_word`]).

use std::ops::Range;

use unicode_normalization::char::is_combining_mark;

use super::normalize::is_format;
use super::tokenizer::is_raised_or_lowered_digit;

/// The byte ranges (in `word`) of its parts, each at least two characters and not all digits;
/// empty when `word` is not an identifier. A dotted name gives each dotted piece, and each
/// piece its snake- and camel-case parts (`fs.readFile`: `fs`, `readFile`, `read`, `File`).
pub(super) fn identifier_parts(word: &str) -> Vec<Range<usize>> {
    if !may_be_identifier(word) {
        return Vec::new();
    }
    // A name with underscores around it, or raised digits after it (`_read_file`,
    // `fs.readFile²`, a footnote mark): the name itself, then its own parts. Invisible
    // characters before the digits (markup filled in, as Markdown's `claim<sup>1</sup>`) are
    // no part of the name, whose range a highlight shows.
    let marked = unmarked_end(word);
    let (start, end) = match marked < word.len() {
        true => (0, marked),
        false => (
            word.len() - word.trim_start_matches('_').len(),
            word.trim_end_matches('_').len(),
        ),
    };
    if start < end && (start, end) != (0, word.len()) {
        let name = start..end;
        let mut parts: Vec<Range<usize>> = std::iter::once(name.clone())
            .chain(
                identifier_parts(&word[name])
                    .into_iter()
                    .map(|p| p.start + start..p.end + start),
            )
            .collect();
        parts.retain(|part| is_part(&word[part.clone()]));
        parts.dedup();
        return parts;
    }
    // One piece that `camel_parts` would not split (a dotted acronym such as `U.S.`, a word
    // with a typographic apostrophe): no parts, told without the allocations of splitting.
    if !dotted_names(word) && !word.contains(is_snake_break) && !camel_splits(word) {
        return Vec::new();
    }
    let mut parts = Vec::new();
    for piece in dotted_pieces(word) {
        if piece != (0..word.len()) {
            parts.push(piece.clone());
        }
        let mut inner = Vec::new();
        for snake in split_at(word, piece.clone(), is_snake_break) {
            camel_parts(&word[snake.clone()], snake.start, &mut inner);
        }
        // More than one part, or one without the piece's leading or trailing underscores
        // (`_private`, `__init__`: `private`, `init`).
        if inner.len() > 1 || inner.first().is_some_and(|only| *only != piece) {
            parts.extend(inner);
        }
    }
    parts.retain(|part: &Range<usize>| is_part(&word[part.clone()]));
    parts.dedup();
    parts
}

/// The articles and pronouns that French, Italian and Catalan elide before a vowel (`l'`,
/// `qu'`, `dell'`): the lists of Lucene's analyzers for those languages, together, and
/// Italian's `quell'`.
const ELIDED: [&str; 29] = [
    "c", "d", "j", "l", "m", "n", "s", "t", "v", "qu", "gl", "un", "agl", "all", "coll", "dagl",
    "dall", "degl", "dell", "negl", "nell", "pell", "sugl", "sull", "jusqu", "lorsqu", "puisqu",
    "quoiqu", "quell",
];

/// The length of the longest of [`ELIDED`] (`quoiqu`).
const LONGEST_ELIDED: usize = 6;

/// The byte range (in `word`) of the word an elided article or pronoun stands before
/// (`l'église`, `L’Arc`, `qu'il`, `dell'anima`: `église`, `Arc`, `il`, `anima`), so that a
/// search for the word finds it; `None` when `word` does not start with one of [`ELIDED`] and
/// an apostrophe, or what follows is not a word of two characters or more starting with a
/// letter.
pub(super) fn elided_word(word: &str) -> Option<Range<usize>> {
    // Most words have no apostrophe after their first few bytes (`'` or the first byte of a
    // typographic one: `’`, `ʼ`, `＇`): told without reading them as characters.
    let near_start = &word.as_bytes()[..word.len().min(LONGEST_ELIDED + 1)];
    if !near_start
        .iter()
        .any(|&b| matches!(b, b'\'' | 0xE2 | 0xCA | 0xEF))
    {
        return None;
    }
    let apostrophe = word.find(super::normalize::is_apostrophe)?;
    let article = &word[..apostrophe];
    if !ELIDED
        .iter()
        .any(|elided| elided.eq_ignore_ascii_case(article))
    {
        return None;
    }
    let after = apostrophe + word[apostrophe..].chars().next()?.len_utf8();
    // Without the invisible characters of markup filled in around it (`l'**Odyssée**`), nor
    // a footnote's raised digits after it (`l'Église³`), as an identifier's name is.
    let rest = &word[after..];
    let start = after + rest.len() - rest.trim_start_matches(is_format).len();
    let end = unmarked_end(word);
    let mut chars = word.get(start..end)?.chars();
    let starts_with_letter = chars.next().is_some_and(char::is_alphabetic);
    (starts_with_letter && chars.next().is_some()).then_some(start..end)
}

/// Where `word` ends without the raised or lowered digits (a footnote mark) and invisible
/// characters (markup filled in) after it.
fn unmarked_end(word: &str) -> usize {
    word.trim_end_matches(|c| is_raised_or_lowered_digit(c) || is_format(c))
        .len()
}

/// Whether `text` may be a part: two characters or more, not all digits.
fn is_part(text: &str) -> bool {
    text.chars().nth(1).is_some() && !text.chars().all(|c| c.is_ascii_digit())
}

/// Whether `word` is dotted names: more than one dotted piece, every one starting with a letter
/// or `_` (`self._cache.get`) and one of two characters or more (otherwise it is an acronym or
/// a number).
fn dotted_names(word: &str) -> bool {
    word.contains('.')
        && word.split('.').all(|p| {
            p.chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
        })
        && word.split('.').any(|p| p.chars().nth(1).is_some())
}

/// `word` split at `.` when it is dotted names (see [`dotted_names`]); otherwise one piece,
/// the whole.
fn dotted_pieces(word: &str) -> Vec<Range<usize>> {
    match dotted_names(word) {
        true => split_at(word, 0..word.len(), |c| c == '.'),
        false => std::iter::once(0..word.len()).collect(),
    }
}

/// What parts a name as `_` does: `_`, and a superscript or subscript digit (`argued³`,
/// `CO₂`: the tokenizer joins them into the word).
fn is_snake_break(c: char) -> bool {
    c == '_' || is_raised_or_lowered_digit(c)
}

/// The non-empty pieces of `word[range]` between separators, as ranges of `word`.
fn split_at(
    word: &str,
    range: Range<usize>,
    separator: impl Fn(char) -> bool,
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    for (i, c) in word[range.clone()].char_indices() {
        if separator(c) {
            out.push(start..range.start + i);
            start = range.start + i + c.len_utf8();
        }
    }
    out.push(start..range.end);
    out.retain(|r| !r.is_empty());
    out
}

/// Whether `word` has a `.` or `_`, or a camel-case hump: one pass over the bytes of an
/// ASCII word (most words, and the analyzer asks of every one).
fn may_be_identifier(word: &str) -> bool {
    if !word.is_ascii() {
        // One pass for the separators (`.`, `_`, a raised digit), then the humps.
        return word.contains(|c| c == '.' || is_snake_break(c)) || has_camel_hump(word);
    }
    let bytes = word.as_bytes();
    let mut previous_lower = false;
    for &b in bytes {
        if b == b'.' || b == b'_' || previous_lower && b.is_ascii_uppercase() {
            return true;
        }
        previous_lower = b.is_ascii_lowercase();
    }
    capitals_then_word(bytes, u8::is_ascii_uppercase, u8::is_ascii_lowercase)
}

/// True when a lower-case letter is followed by an upper-case one somewhere in `word`, or the
/// word starts with a run of capitals and then a capitalised word (`HTTPServer`).
fn has_camel_hump(word: &str) -> bool {
    let mut previous_lower = false;
    for (_, c) in letters(word) {
        if previous_lower && c.is_uppercase() {
            return true;
        }
        previous_lower = c.is_lowercase();
    }
    // Only a word starting with two capitals is collected to be looked at further.
    let mut first = letters(word).map(|(_, c)| c);
    if !(first.next().is_some_and(char::is_uppercase)
        && first.next().is_some_and(char::is_uppercase))
    {
        return false;
    }
    let chars: Vec<char> = letters(word).map(|(_, c)| c).collect();
    capitals_then_word(&chars, |c| c.is_uppercase(), |c| c.is_lowercase())
}

/// The characters of `text` that are not combining marks, with their offsets: a mark is part
/// of the letter before it (`résumé` decomposed, `e\u{301}`), for telling case changes apart.
fn letters(text: &str) -> impl Iterator<Item = (usize, char)> + Clone + '_ {
    text.char_indices().filter(|&(_, c)| !is_combining_mark(c))
}

/// Whether `word` starts with a run of capitals (two or more) whose last begins a word of two
/// lower-case letters or more: its first lower-case letter follows two capitals and a second
/// one follows it (`HTTPServer`, `IOError`; not `NATOs`, `USA`, `A1Bcd`). Only a word whose first
/// two letters are capitals is looked at further (rare in prose: the analyzer's fast path asks
/// this of every plain word).
pub(super) fn capitals_then_word<T>(
    word: &[T],
    upper: impl Fn(&T) -> bool,
    lower: impl Fn(&T) -> bool,
) -> bool {
    if !matches!(word, [a, b, ..] if upper(a) && upper(b)) {
        return false;
    }
    let Some(first_lower) = word.iter().position(&lower) else {
        return false;
    };
    matches!(&word[first_lower - 2..], [a, b, _, d, ..] if upper(a) && upper(b) && lower(d))
}

/// Whether `from` starts with two capitals and then two lower-case letters: the last capital
/// of a run begins a word (`PSer` in `HTTPServer`).
fn run_then_word<T>(from: &[T], upper: impl Fn(&T) -> bool, lower: impl Fn(&T) -> bool) -> bool {
    matches!(from, [a, b, c, d, ..] if upper(a) && upper(b) && lower(c) && lower(d))
}

/// Splits `piece` (starting at `offset` in its word) at its camel-case humps: before an
/// upper-case letter that follows a lower-case one (`read|File`), and before the last
/// upper-case letter of a run that two lower-case ones follow (`XML|Http|Request`,
/// `HTTP|Server`; not `NATOs`).
/// Whether [`camel_parts`] splits `piece`: an upper-case letter after a lower-case one, or
/// one that follows a capital and begins a word of two lower-case letters.
fn camel_splits(piece: &str) -> bool {
    let mut previous: Option<char> = None;
    let mut rest = letters(piece).map(|(_, c)| c);
    while let Some(c) = rest.next() {
        if let Some(before) = previous.filter(|_| c.is_uppercase()) {
            let mut ahead = rest.clone();
            if before.is_lowercase()
                || before.is_uppercase()
                    && ahead.next().is_some_and(char::is_lowercase)
                    && ahead.next().is_some_and(char::is_lowercase)
            {
                return true;
            }
        }
        previous = Some(c);
    }
    false
}

fn camel_parts(piece: &str, offset: usize, out: &mut Vec<Range<usize>>) {
    let chars: Vec<(usize, char)> = letters(piece).collect();
    let letters: Vec<char> = chars.iter().map(|&(_, c)| c).collect();
    let mut start = 0;
    for i in 1..chars.len() {
        let (at, c) = chars[i];
        let before = chars[i - 1].1;
        let hump = c.is_uppercase()
            && (before.is_lowercase()
                || run_then_word(
                    &letters[i - 1..],
                    |c| c.is_uppercase(),
                    |c| c.is_lowercase(),
                ));
        if hump {
            out.push(offset + start..offset + at);
            start = at;
        }
    }
    out.push(offset + start..offset + piece.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// `camel_splits` tells exactly when `camel_parts` gives more than one part.
        #[test]
        fn camel_splits_is_what_camel_parts_does(piece in "[aAbBΩωé._’0-9\u{301}]{0,8}") {
            let mut parts = Vec::new();
            camel_parts(&piece, 0, &mut parts);
            proptest::prop_assert_eq!(camel_splits(&piece), parts.len() > 1, "{}", piece);
        }
    }

    fn parts(word: &str) -> Vec<&str> {
        identifier_parts(word)
            .into_iter()
            .map(|r| &word[r])
            .collect()
    }

    #[test]
    fn identifiers_split_into_their_parts() {
        assert_eq!(parts("os.path.join"), ["os", "path", "join"]);
        assert_eq!(parts("readFile"), ["read", "File"]);
        assert_eq!(parts("fs.readFile"), ["fs", "readFile", "read", "File"]);
        assert_eq!(parts("XMLHttpRequest"), ["XML", "Http", "Request"]);
        assert_eq!(parts("read_file_v2"), ["read", "file", "v2"]);
        assert_eq!(
            parts("subprocess.TimeoutExpired"),
            ["subprocess", "TimeoutExpired", "Timeout", "Expired"]
        );
        assert_eq!(parts("iPhone"), ["Phone"]);
        // A run of capitals, then a capitalised word.
        assert_eq!(parts("HTTPServer"), ["HTTP", "Server"]);
        assert_eq!(parts("IOError"), ["IO", "Error"]);
        assert_eq!(parts("JSONParser"), ["JSON", "Parser"]);
        assert_eq!(parts("APIKey"), ["API", "Key"]);
        assert_eq!(parts("XMLHTTPRequest"), ["XMLHTTP", "Request"]);
        // Leading and trailing underscores (Python's private and special names).
        assert_eq!(parts("_private"), ["private"]);
        assert_eq!(parts("__init__"), ["init"]);
        assert_eq!(parts("MAX_SIZE_"), ["MAX_SIZE", "MAX", "SIZE"]);
        assert_eq!(parts("_read_file"), ["read_file", "read", "file"]);
        assert_eq!(parts("__my_func__"), ["my_func", "my", "func"]);
        assert_eq!(parts("_fetchData"), ["fetchData", "fetch", "Data"]);
        assert_eq!(parts("_case"), ["case"]);
        assert_eq!(parts("self._cache.get"), ["self", "_cache", "cache", "get"]);
        // Raised and lowered digits, which the tokenizer joins into a word.
        assert_eq!(parts("argued³"), ["argued"]);
        assert_eq!(parts("claim\u{AD}\u{2060}¹"), ["claim"]);
        // A footnote mark after a name: the name, and its parts.
        assert_eq!(
            parts("fs.readFile²"),
            ["fs.readFile", "fs", "readFile", "read", "File"]
        );
        assert_eq!(parts("_private¹"), ["_private", "private"]);
        assert_eq!(parts("CO₂"), ["CO"]);
        assert!(parts("H₂O").is_empty());
    }

    fn elided(word: &str) -> Option<&str> {
        elided_word(word).map(|range| &word[range])
    }

    #[test]
    fn a_word_after_an_elided_article_is_a_part() {
        assert_eq!(ELIDED.iter().map(|a| a.len()).max(), Some(LONGEST_ELIDED));
        assert_eq!(elided("quoiqu’elle"), Some("elle"));
        assert_eq!(elided("Dell＇Anima"), Some("Anima"));
        assert_eq!(elided("l'église"), Some("église"));
        assert_eq!(elided("L’Église"), Some("Église"));
        assert_eq!(elided("qu'il"), Some("il"));
        assert_eq!(elided("Jusqu‘ici"), Some("ici"));
        assert_eq!(elided("dell'anima"), Some("anima"));
        assert_eq!(elided("d'Alembert"), Some("Alembert"));
        assert_eq!(elided("l'Église³"), Some("Église"));
        assert_eq!(elided("l'\u{AD}\u{2060}Odyssée\u{AD}"), Some("Odyssée"));
        // Not an elided article: an English contraction, an Irish name, a word after it.
        for word in [
            "don't",
            "O'Brien",
            "aujourd'hui",
            "l'a",
            "l'",
            "l'1953",
            "rock'n'roll",
            "can't",
        ] {
            assert_eq!(elided(word), None, "{word}");
        }
    }

    #[test]
    fn words_acronyms_and_numbers_are_not_identifiers() {
        for word in [
            "alliance", "U.S", "e.g", "3.14", "v1.2", "NATO", "Seoul", "ROK", "URLs", "NATOs",
            "PDFs",
        ] {
            assert!(parts(word).is_empty(), "{word}: {:?}", parts(word));
        }
    }

    proptest::proptest! {
        #[test]
        fn the_ascii_pass_finds_what_the_general_checks_find(word in "[a-zA-Z0-9._é]{0,12}") {
            let general = word.contains(['.', '_']) || has_camel_hump(&word);
            proptest::prop_assert_eq!(may_be_identifier(&word), general);
        }
    }
}
