//! The query language's syntax: lexing and parsing what the user typed into a [`Query`] tree
//! (or, with [`parse_literal`], plain words), with [`QueryError`]s that say what is wrong and
//! where, and taking the top-level `path:` filters out of a tree.

use std::fmt;

/// Parentheses nested deeper than this are refused.
pub const MAX_DEPTH: usize = 100;
/// The largest phrase slop accepted.
pub const MAX_SLOP: u32 = 100;
/// The most prefix and fuzzy words (`word*`, `word~`) one query may hold: each is looked up
/// as every word of the index it matches, which takes milliseconds apiece.
pub const MAX_EXPANDING: usize = 100;
/// The most different terms one query searches for: its words, and the pieces a phrase, an
/// identifier or a Chinese or Japanese run is indexed as, each counted once however often it
/// is repeated. Each holds a cursor into the index (kilobytes of buffers) while the query
/// runs.
pub const MAX_TERMS: usize = 4096;
/// The most words one query may be written with, repeats counted (a pasted page of 150 KB of
/// English holds about 25,000): each takes memory while the query is read and analysed.
pub const MAX_WORDS: usize = 32_768;
/// The largest edit distance of a fuzzy word.
pub const MAX_FUZZY_DISTANCE: u8 = 2;

/// A parse error: what is wrong and where (1-based column, in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// The query as given.
    pub query: String,
    /// 1-based character column of the problem (0 when it concerns the whole query).
    pub column: usize,
    /// What is wrong, as a phrase.
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 80;
        let shown: String = self.query.chars().take(SHOWN).collect();
        let ellipsis = if self.query.chars().nth(SHOWN).is_some() {
            "…"
        } else {
            ""
        };
        write!(f, "invalid query {:?}{ellipsis}: {}", shown, self.message)
    }
}

impl std::error::Error for QueryError {}

/// A parsed query, before analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// A bare word, as typed.
    Word(String),
    /// A quoted phrase, without its quotes, and how far its words may move (`"a b"~3`).
    Phrase(String, u32),
    /// A word prefix (`semicond*`), without its star.
    Prefix(String),
    /// A word matched with up to this many edits (`Pyongyng~1`; a bare `~` gives 0 edits up
    /// to two characters, 1 up to five, then 2).
    Fuzzy(String, u8),
    /// A path filter (`path:docs/*.md`), without its `path:`.
    Path(String),
    /// Every part must match.
    And(Vec<Query>),
    /// At least one part must match.
    Or(Vec<Query>),
    /// The part must not match.
    Not(Box<Query>),
    /// The part may match, adding to the score when it does, inside a conjunction of what
    /// must: `--any`'s words beside a `+word` (`+alliance nuclear deterrence`).
    Optional(Box<Query>),
    /// The part must match, a `+` says so with `--any` (`+alliance`): as the part itself, and
    /// kept required when the query is extended (`--expand`).
    Required(Box<Query>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    LParen,
    RParen,
    And,
    Or,
    Not,
    Minus,
    Plus,
    Word(String),
    Phrase(String, u32),
    Prefix(String),
    Fuzzy(String, u8),
    Path(String),
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::LParen => "`(`".into(),
            Tok::RParen => "`)`".into(),
            Tok::And => "AND".into(),
            Tok::Or => "OR".into(),
            Tok::Not => "NOT".into(),
            Tok::Minus => "`-`".into(),
            Tok::Plus => "`+`".into(),
            Tok::Word(w) => format!("`{w}`"),
            Tok::Phrase(p, 0) => format!("\"{p}\""),
            Tok::Phrase(p, slop) => format!("\"{p}\"~{slop}"),
            Tok::Prefix(p) => format!("`{p}*`"),
            Tok::Fuzzy(w, d) => format!("`{w}~{d}`"),
            Tok::Path(glob) => format!("`path:{glob}`"),
        }
    }
}

/// A token and its 1-based character column.
type Lexed = (Tok, usize);

fn is_word_char(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, '(' | ')' | '"')
}

/// A query's character with a typographic double quote (`“` `”` `„` `«` `»`, as word
/// processors, web pages and phones write them) read as the straight quote of a phrase: a
/// pasted `“nuclear sharing”` is the phrase, not the words with marks on them.
fn straight_quote(c: char) -> char {
    match c {
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '«' | '»' => '"',
        c => c,
    }
}

fn lex(query: &str) -> Result<Vec<Lexed>, QueryError> {
    // Typographic quotes are a phrase's only when they can pair up (with each other or with
    // straight ones): a lone `”` is an inch mark (`12” pipe`), or the rest of a partial paste.
    let quotes = query.chars().filter(|&c| straight_quote(c) == '"').count();
    let chars: Vec<char> = match quotes % 2 {
        0 => query.chars().map(straight_quote).collect(),
        _ => query.chars().collect(),
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '(' | ')' => {
                out.push((if c == '(' { Tok::LParen } else { Tok::RParen }, column));
                i += 1;
                if c == ')' {
                    refuse_boost(query, &chars, i)?;
                }
            }
            '"' => {
                let Some(len) = chars[i + 1..].iter().position(|&c| c == '"') else {
                    return Err(error(
                        query,
                        column,
                        format!("unclosed quote at column {column}"),
                    ));
                };
                let phrase: String = chars[i + 1..i + 1 + len].iter().collect();
                if let Some(problem) = unsupported_in_phrase(&phrase) {
                    return Err(error(query, column, problem));
                }
                i += len + 2;
                let slop = if chars.get(i) == Some(&'~') {
                    let digits: String = chars[i + 1..]
                        .iter()
                        .take_while(|c| c.is_ascii_digit())
                        .collect();
                    i += 1 + digits.len();
                    // `"a b"~1.5`, `"a b"~2x`: not a slop, and not words to search for either
                    // (`"a b"~2-word` and `"a b"~2.` are the phrase and what follows it).
                    let number_goes_on = match chars.get(i) {
                        Some(&c) if c.is_alphanumeric() || c == '_' || c == '~' => true,
                        Some('.' | ',') => chars.get(i + 1).is_some_and(char::is_ascii_digit),
                        _ => false,
                    };
                    if number_goes_on {
                        return Err(error(
                            query,
                            column,
                            format!(
                                "the slop of the phrase at column {column} must be a whole \
                                 number, like \"a b\"~3"
                            ),
                        ));
                    }
                    parse_slop(query, column, &digits)?
                } else {
                    0
                };
                refuse_boost(query, &chars, i)?;
                out.push((Tok::Phrase(phrase, slop), column));
            }
            '-' | '+'
                if chars
                    .get(i + 1)
                    .is_some_and(|&n| is_word_char(n) || n == '"' || n == '(') =>
            {
                out.push((if c == '-' { Tok::Minus } else { Tok::Plus }, column));
                i += 1;
            }
            _ if chars[i..].starts_with(&PATH_FIELD) => {
                let (glob, len) = path_glob(query, &chars[i + PATH_FIELD.len()..], column)?;
                out.push((word_token(query, column, format!("path:{glob}"))?, column));
                i += PATH_FIELD.len() + len;
            }
            _ => {
                let len = chars[i..].iter().take_while(|&&c| is_word_char(c)).count();
                let word: String = chars[i..i + len].iter().collect();
                let tok = match word.as_str() {
                    "AND" => Tok::And,
                    "OR" => Tok::Or,
                    "NOT" => Tok::Not,
                    _ => word_token(query, column, word)?,
                };
                out.push((tok, column));
                i += len;
            }
        }
    }
    Ok(out)
}

/// A boost after a phrase or a group (`"a b"^2`, `(a b)^2`, the character at `at` a `^` and a
/// number after it), refused as a word's is: it would be read as the word `2`, which matches
/// nothing.
fn refuse_boost(query: &str, chars: &[char], at: usize) -> Result<(), QueryError> {
    let number = chars
        .get(at + 1)
        .is_some_and(|c| c.is_ascii_digit() || *c == '.');
    match chars.get(at) == Some(&'^') && number {
        true => Err(error(
            query,
            at + 1,
            format!(
                "boosts (`^` at column {}) are not supported; every word counts by BM25",
                at + 1
            ),
        )),
        false => Ok(()),
    }
}

/// What is wrong with a phrase's words, if anything: a prefix (`"nuclear shar*"`) or a fuzzy
/// word (`"nuclear sharing~1"`) inside its quotes, which would be searched as the plain word.
fn unsupported_in_phrase(phrase: &str) -> Option<String> {
    let letter_before = |word: &str, at: usize| {
        word[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
    };
    for word in phrase.split_whitespace() {
        let stem = word.trim_end_matches('*');
        if stem.len() < word.len() && letter_before(word, stem.len()) {
            return Some(format!(
                "a prefix (`{word}`) inside a phrase is not supported; quoted words \
                 are searched as written: leave the `*` out, or search the words unquoted \
                 (\"{phrase}\" → {phrase})"
            ));
        }
        if let Some((base, digits)) = word.rsplit_once('~') {
            if digits.chars().all(|c| c.is_ascii_digit()) && letter_before(base, base.len()) {
                return Some(format!(
                    "a fuzzy word (`{word}`) inside a phrase is not supported; a phrase's \
                     slop follows its closing quote (\"a b\"~2)"
                ));
            }
        }
    }
    None
}

/// The field that filters by path.
const PATH_FIELD: [char; 5] = ['p', 'a', 't', 'h', ':'];

/// The glob after a `path:` at `column` (`rest`: the query after the `path:`), and how many
/// characters it takes: quoted (`path:"my notes/*.md"`), or up to white space, a parenthesis
/// or a quote, a space after a `\` kept (`path:my\ notes/*.md`, the glob's own escape).
fn path_glob(query: &str, rest: &[char], column: usize) -> Result<(String, usize), QueryError> {
    if rest.first() == Some(&'"') {
        let Some(len) = rest[1..].iter().position(|&c| c == '"') else {
            let message = format!("unclosed quote in the `path:` glob at column {column}");
            return Err(error(query, column, message));
        };
        return Ok((rest[1..=len].iter().collect(), len + 2));
    }
    let mut len = 0;
    while let Some(&c) = rest.get(len) {
        match c {
            '\\' if rest.get(len + 1).is_some_and(|n| n.is_whitespace()) => len += 2,
            c if is_word_char(c) => len += 1,
            _ => break,
        }
    }
    Ok((rest[..len].iter().collect(), len))
}

/// How many bytes of `rest` (the query after a `path:`) its glob takes, as the parser reads it
/// (to the query's end when its quote is not closed).
pub(crate) fn path_glob_bytes(rest: &str) -> usize {
    let chars: Vec<char> = rest.chars().collect();
    let taken = path_glob(rest, &chars, 0).map_or(chars.len(), |(_, len)| len);
    chars[..taken].iter().map(|c| c.len_utf8()).sum()
}

/// A bare word: plain, a path filter (`path:GLOB`), a prefix (`word*`) or fuzzy (`word~N`).
/// Syntax parafind does not support (leading or inner wildcards, `?`, boosts, fields other
/// than `path:`, a prefix made fuzzy) is refused with what to write instead, rather than read
/// as words that match nothing.
fn word_token(query: &str, column: usize, word: String) -> Result<Tok, QueryError> {
    let fail = |message: String| Err(error(query, column, message));
    if let Some(glob) = word.strip_prefix("path:") {
        if glob.is_empty() {
            return fail(format!(
                "`path:` at column {column} needs a glob after it, like path:docs/*.md (quoted \
                 when it holds a space: path:\"my notes/*.md\")"
            ));
        }
        return Ok(Tok::Path(glob.to_string()));
    }
    if let Some(problem) = unsupported(&word) {
        return fail(format!("`{word}` at column {column}: {problem}"));
    }
    let stem = word.trim_end_matches('*');
    if stem.len() < word.len() && !stem.is_empty() {
        return Ok(Tok::Prefix(stem.to_string()));
    }
    if let Some((base, digits)) = word.rsplit_once('~') {
        if !base.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            let distance = match digits {
                "" => auto_distance(base),
                _ => at_most(digits, MAX_FUZZY_DISTANCE).ok_or_else(|| {
                    error(
                        query,
                        column,
                        format!(
                            "the edit distance in `{word}` at column {column} must be 0, 1 or 2"
                        ),
                    )
                })?,
            };
            return Ok(Tok::Fuzzy(base.to_string(), distance));
        }
        // `nuclear~x`, `nuclear~-1`, `nuclear~1.5`: a fuzzy word with a distance that is not one.
        if base.chars().last().is_some_and(char::is_alphanumeric) && !digits.is_empty() {
            return fail(format!(
                "the edit distance in `{word}` at column {column} must be 0, 1 or 2 (or none, \
                 for one chosen by the word's length: {base}~)"
            ));
        }
    }
    Ok(Tok::Word(word))
}

/// What is wrong with a word written in syntax parafind does not support, if anything.
fn unsupported(word: &str) -> Option<String> {
    let letters = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let chars: Vec<char> = word.chars().collect();
    let inner = |i: usize| {
        letters(i.checked_sub(1).and_then(|j| chars.get(j).copied()))
            && letters(chars.get(i + 1).copied())
    };
    // A field first: `Path:docs/*.md` is a field misspelt, not a wildcard misplaced.
    if let Some((field, rest)) = word.split_once(':') {
        let named = !field.is_empty() && field.chars().all(|c| c.is_ascii_alphabetic());
        if named && field.eq_ignore_ascii_case("path") {
            return Some(format!(
                "`{field}:` is not a field; fields are lowercase: path:{rest}"
            ));
        }
        if named && letters(rest.chars().next()) {
            return Some(format!(
                "`{field}:` is not a field; the only field is path: (path:docs/*.md); to \
                 search for the text, quote it: \"{word}\""
            ));
        }
    }
    // `Pyongyng ~1`: a distance parted from its word would be searched as the number.
    if let Some(digits) = word.strip_prefix('~') {
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            return Some(format!(
                "a fuzzy word's distance follows it without a space (nuclear~1), a phrase's \
                     slop its closing quote (\"a b\"~3); to search for the number, quote it: \
                     \"{word}\""
            ));
        }
    }
    if word.contains('*') && word.contains('~') {
        return Some("a word is either a prefix (nuc*) or fuzzy (nuclear~1), not both".into());
    }
    // `rocket~1~`, `rocket~~`: a fuzzy word (a word, `~`, digits) with another `~` after it.
    // Other words with `~` are no fuzzy words: `~/notes/~draft`, `~~struck~~`, a URL's `/~user/`.
    let base = word.split('~').next().unwrap_or_default();
    let after_distance = word
        .get(base.len() + 1..)
        .map(|rest| rest.trim_start_matches(|c: char| c.is_ascii_digit()));
    let fuzzy_twice = base.chars().last().is_some_and(char::is_alphanumeric)
        && after_distance.is_some_and(|rest| rest.starts_with('~'));
    if fuzzy_twice && !word.contains("://") {
        return Some(format!(
            "a fuzzy word has one `~` and at most one distance: {base}~1, {base}~2, or {base}~ \
             for one chosen by its length"
        ));
    }
    // A word of stars alone is no wildcard: it is dropped as a symbol.
    let stars = word.trim_end_matches('*');
    if !stars.is_empty() && (word.starts_with('*') || stars.contains('*')) {
        return Some(
            "a `*` may only end a word (a prefix, like allian*); leading and inner wildcards \
             are not supported"
                .into(),
        );
    }
    // A URL's query string (`https://example.com/a?b=c`) is no wildcard.
    let url = word.contains("://");
    if !url && (0..chars.len()).any(|i| chars[i] == '?' && inner(i)) {
        return Some(
            "`?` wildcards are not supported; use a prefix (allian*) or a fuzzy word \
             (alliance~1)"
                .into(),
        );
    }
    if let Some((base, boost)) = word.rsplit_once('^') {
        let number = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.');
        if letters(base.chars().last()) && number(boost) {
            return Some("boosts (`^2`) are not supported; every word counts by BM25".into());
        }
    }
    None
}

/// The edit distance of a fuzzy word written with a bare `~`, as Lucene's AUTO: none up to
/// two characters, one up to five, then two.
fn auto_distance(word: &str) -> u8 {
    match word.chars().count() {
        0..=2 => 0,
        3..=5 => 1,
        _ => MAX_FUZZY_DISTANCE,
    }
}

/// The slop after a phrase's `~` (the digits that follow it).
fn parse_slop(query: &str, column: usize, digits: &str) -> Result<u32, QueryError> {
    if digits.is_empty() {
        return Err(error(
            query,
            column,
            format!("the `~` after the phrase at column {column} needs a number, like \"a b\"~3"),
        ));
    }
    at_most(digits, MAX_SLOP).ok_or_else(|| {
        error(
            query,
            column,
            format!("the slop of the phrase at column {column} must be at most {MAX_SLOP}"),
        )
    })
}

/// The number written in `digits`, when it is at most `max`.
fn at_most<T: std::str::FromStr + PartialOrd>(digits: &str, max: T) -> Option<T> {
    digits.parse::<T>().ok().filter(|n| *n <= max)
}

/// A [`QueryError`] about `query` at `column`.
pub(super) fn error(query: &str, column: usize, message: String) -> QueryError {
    QueryError {
        query: query.to_string(),
        column,
        message,
    }
}

struct Parser<'q> {
    query: &'q str,
    tokens: Vec<Lexed>,
    pos: usize,
    depth: usize,
    /// Words side by side are joined by OR rather than AND (`--any`).
    any: bool,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|(t, _)| t)
    }

    fn next(&mut self) -> Option<Lexed> {
        let item = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        item
    }

    fn fail<T>(&self, column: usize, message: String) -> Result<T, QueryError> {
        Err(error(self.query, column, message))
    }

    /// After an operator at `column`, something that can start an operand must follow.
    fn expect_operand_after(&self, op: &Tok, column: usize) -> Result<(), QueryError> {
        match self.tokens.get(self.pos) {
            None | Some((Tok::RParen, _)) => self.fail(
                column,
                format!("{} at column {column} has nothing after it", op.describe()),
            ),
            Some((next @ (Tok::And | Tok::Or), at)) => self.fail(
                column,
                format!(
                    "{} at column {column} is followed by {} at column {at}: two operators in \
                     a row; remove one",
                    op.describe(),
                    next.describe()
                ),
            ),
            _ => Ok(()),
        }
    }

    fn parse_or(&mut self) -> Result<Query, QueryError> {
        let mut parts = vec![self.parse_run()?];
        while let Some(Tok::Or) = self.peek() {
            let (op, column) = self.next().unwrap_or((Tok::Or, 0));
            self.expect_operand_after(&op, column)?;
            parts.push(self.parse_run()?);
        }
        Ok(joined(parts, Query::Or))
    }

    /// Operands side by side. Without `any`, [`Parser::parse_and`] joins them; with it, any of
    /// them may match, and what they exclude or the paths they name apply to all of them
    /// (`a b -c` is `(a OR b) AND NOT c`, as Lucene reads it), in a group as at the top. A
    /// `+word` among them must match, and the others then only add to its score (`+a b c` is
    /// `a`, ranked higher with `b` or `c`, as Lucene reads it).
    fn parse_run(&mut self) -> Result<Query, QueryError> {
        if !self.any {
            return Ok(self.parse_and()?.0);
        }
        let (mut required, mut optional) = (Vec::new(), Vec::new());
        loop {
            match self.parse_and()? {
                // (A `+` before a path filter changes nothing: it filters all the same.)
                (part, true) if !matches!(part, Query::Path(_)) => {
                    required.push(Query::Required(Box::new(part)));
                }
                (part, _) => optional.push(part),
            }
            if matches!(self.peek(), None | Some(Tok::RParen | Tok::Or)) {
                break;
            }
        }
        if required.is_empty() {
            return Ok(joined(optional, |parts| {
                exclusions_outside(Query::Or(parts))
            }));
        }
        let (outside, wanted): (Vec<Query>, Vec<Query>) = optional
            .into_iter()
            .partition(|p| matches!(p, Query::Not(_) | Query::Path(_)));
        let mut all = required;
        if !wanted.is_empty() {
            all.push(Query::Optional(Box::new(joined(wanted, Query::Or))));
        }
        all.extend(outside);
        Ok(joined(all, Query::And))
    }

    /// Operands joined by `AND` (or, without `any`, side by side); with whether one of them
    /// is marked required (`+word`, `+a AND b`: the conjunction is).
    fn parse_and(&mut self) -> Result<(Query, bool), QueryError> {
        let (first, mut required) = self.parse_unary()?;
        let mut parts = vec![first];
        loop {
            match self.peek() {
                None | Some(Tok::RParen | Tok::Or) => break,
                Some(Tok::And) => {
                    let (op, column) = self.next().unwrap_or((Tok::And, 0));
                    self.expect_operand_after(&op, column)?;
                }
                Some(_) if self.any => break,
                Some(_) => {}
            }
            let (part, plus) = self.parse_unary()?;
            required |= plus;
            parts.push(part);
        }
        Ok((joined(parts, Query::And), required))
    }

    /// Any run of `NOT`, `-` and `+` before an operand (handled in a loop: no recursion); with
    /// whether a `+` marked it required (and no negation undid it).
    fn parse_unary(&mut self) -> Result<(Query, bool), QueryError> {
        let mut negations = 0usize;
        let mut plus = false;
        while let Some(Tok::Not | Tok::Minus | Tok::Plus) = self.peek() {
            let (op, column) = self.next().unwrap_or((Tok::Not, 0));
            self.expect_operand_after(&op, column)?;
            match op {
                Tok::Plus => plus = true,
                _ => negations += 1,
            }
        }
        let operand = self.parse_primary()?;
        Ok(if negations % 2 == 1 {
            (Query::Not(Box::new(operand)), false)
        } else {
            (operand, plus)
        })
    }

    fn parse_primary(&mut self) -> Result<Query, QueryError> {
        let Some((tok, column)) = self.next() else {
            return self.fail(0, "the query is empty".into());
        };
        match tok {
            Tok::Word(word) => Ok(Query::Word(word)),
            Tok::Phrase(phrase, slop) => Ok(Query::Phrase(phrase, slop)),
            Tok::Prefix(prefix) => Ok(Query::Prefix(prefix)),
            Tok::Fuzzy(word, distance) => Ok(Query::Fuzzy(word, distance)),
            Tok::Path(glob) => Ok(Query::Path(glob)),
            Tok::LParen => self.parse_group(column),
            Tok::RParen => self.fail(column, format!("unmatched `)` at column {column}")),
            op @ (Tok::And | Tok::Or) => self.fail(
                column,
                format!("{} at column {column} has nothing before it", op.describe()),
            ),
            op => self.fail(
                column,
                format!("unexpected {} at column {column}", op.describe()),
            ),
        }
    }

    fn parse_group(&mut self, open_column: usize) -> Result<Query, QueryError> {
        if self.depth >= MAX_DEPTH {
            return self.fail(
                open_column,
                format!("parentheses nest deeper than {MAX_DEPTH} levels at column {open_column}"),
            );
        }
        if let Some(Tok::RParen) = self.peek() {
            return self.fail(
                open_column,
                format!("empty parentheses at column {open_column}"),
            );
        }
        if self.peek().is_none() {
            return self.fail(open_column, format!("unclosed `(` at column {open_column}"));
        }
        self.depth += 1;
        let inner = self.parse_or()?;
        self.depth -= 1;
        match self.next() {
            Some((Tok::RParen, _)) => Ok(inner),
            _ => self.fail(open_column, format!("unclosed `(` at column {open_column}")),
        }
    }
}

/// One part as it is, more joined by `join`.
fn joined(mut parts: Vec<Query>, join: impl FnOnce(Vec<Query>) -> Query) -> Query {
    match parts.len() {
        1 => parts.remove(0),
        _ => join(parts),
    }
}

/// Parses a query string (words side by side must all match).
#[cfg(any(test, feature = "internals"))]
pub fn parse(query: &str) -> Result<Query, QueryError> {
    parse_with(query, false)
}

/// Whether `word` is one Chinese, Japanese or Korean character.
fn is_lone_cjk(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if crate::analysis::is_cjk(c))
}

/// Refuses a query holding more than [`MAX_EXPANDING`] prefix and fuzzy words, repeats
/// counted (one in each of many groups is looked up in each), at the first one past the limit.
fn check_expanding(query: &str, tokens: &[Lexed]) -> Result<(), QueryError> {
    let expanding = tokens.iter().filter(|(tok, _)| match tok {
        Tok::Prefix(_) | Tok::Fuzzy(..) => true,
        // A lone Chinese, Japanese or Korean character is looked for inside the two-character
        // pieces such text is indexed as: a walk of the whole dictionary, as a prefix is.
        Tok::Word(word) => is_lone_cjk(word),
        _ => false,
    });
    if let Some((_, column)) = expanding.clone().nth(MAX_EXPANDING) {
        let message = format!(
            "more than {MAX_EXPANDING} prefix or fuzzy words (`word*`, `word~`) or lone CJK \
             characters, the most one query looks up, at column {column}"
        );
        return Err(error(query, *column, message));
    }
    Ok(())
}

/// Refuses a query of more than [`MAX_WORDS`] words (a phrase's each counted), at the
/// token where they pass it: before any is analysed, as a batch line of a megabyte can hold
/// half a million.
fn check_words(query: &str, words: impl Iterator<Item = (usize, usize)>) -> Result<(), QueryError> {
    let mut seen = 0;
    for (count, column) in words {
        seen += count;
        if seen > MAX_WORDS {
            let message = format!(
                "more than {MAX_WORDS} words, the most one query may hold, at column \
                 {column}; search for fewer words"
            );
            return Err(error(query, column, message));
        }
    }
    Ok(())
}

/// How many words each of the lexed `tokens` is, with its column.
fn lexed_words(tokens: &[Lexed]) -> impl Iterator<Item = (usize, usize)> + '_ {
    tokens.iter().map(|(tok, column)| match tok {
        Tok::Word(_) | Tok::Prefix(_) | Tok::Fuzzy(..) => (1, *column),
        Tok::Phrase(text, _) => (text.split_whitespace().count(), *column),
        _ => (0, *column),
    })
}

/// Parses a query string; with `any`, words side by side are joined by OR (any may match, more
/// matching words rank higher), while `AND`, `NOT` and `-word` keep their meaning.
pub fn parse_with(query: &str, any: bool) -> Result<Query, QueryError> {
    let tokens = lex(query)?;
    if tokens.is_empty() {
        return Err(error(query, 0, "the query is empty".into()));
    }
    check_words(query, lexed_words(&tokens))?;
    check_expanding(query, &tokens)?;
    let mut parser = Parser {
        query,
        tokens,
        pos: 0,
        depth: 0,
        any,
    };
    let tree = parser.parse_or()?;
    if let Some((tok, column)) = parser.next() {
        let message = match tok {
            Tok::RParen => format!("unmatched `)` at column {column}"),
            other => format!("unexpected {} at column {column}", other.describe()),
        };
        return Err(error(query, column, message));
    }
    Ok(tree)
}

/// In a disjunction of words side by side, `-word` excludes from the whole of it (as in
/// Lucene), rather than adding "everything without the word" as one more alternative: `a b -c`
/// is `(a OR b) AND NOT c`; and a `path:` filter narrows all of it.
fn exclusions_outside(query: Query) -> Query {
    let Query::Or(parts) = query else {
        return query;
    };
    let (outside, wanted): (Vec<Query>, Vec<Query>) = parts
        .into_iter()
        .partition(|p| matches!(p, Query::Not(_) | Query::Path(_)));
    if outside.is_empty() {
        return Query::Or(wanted);
    }
    let mut all = match wanted.len() {
        0 => Vec::new(),
        1 => wanted,
        _ => vec![Query::Or(wanted)],
    };
    all.extend(outside);
    Query::And(all)
}

/// Reads `query` as plain words: no operators, quotes, prefixes or filters, so any user input
/// (`C++`, `ADR-016`, a URL, a sentence) is a valid query. The words must all match, or with
/// `any`, any of them.
pub fn parse_literal(query: &str, any: bool) -> Result<Query, QueryError> {
    // Each word's first character, with its column.
    let (mut column, mut after_space) = (0, true);
    let starts = query.chars().filter_map(|c| {
        column += 1;
        let starts = after_space && !c.is_whitespace();
        after_space = c.is_whitespace();
        starts.then_some((1, column))
    });
    check_words(query, starts)?;
    let mut words: Vec<Query> = query
        .split_whitespace()
        .map(|w| Query::Word(w.to_string()))
        .collect();
    match words.len() {
        0 => Err(error(query, 0, "the query is empty".into())),
        1 => Ok(words.remove(0)),
        _ if any => Ok(Query::Or(words)),
        _ => Ok(Query::And(words)),
    }
}

/// The column of the first `path:` filter of `source` inside parentheses, or beside an OR, a
/// NOT or a `-`.
fn nested_path_column(source: &str) -> Option<usize> {
    let tokens = lex(source).ok()?;
    let mut depth = 0usize;
    for (at, (token, column)) in tokens.iter().enumerate() {
        match token {
            Tok::LParen => depth += 1,
            Tok::RParen => depth = depth.saturating_sub(1),
            Tok::Path(_) => {
                let before = at.checked_sub(1).map(|b| &tokens[b].0);
                let after = tokens.get(at + 1).map(|(t, _)| t);
                let joined = matches!(before, Some(Tok::Or | Tok::Not | Tok::Minus))
                    || matches!(after, Some(Tok::Or));
                if depth > 0 || joined {
                    return Some(*column);
                }
            }
            _ => {}
        }
    }
    None
}

/// Takes the `path:` filters out of a parsed query. They are allowed only at its top level
/// (alone, or joined to the rest by AND); what remains is returned, `None` if nothing does.
pub fn split_path_filters(
    source: &str,
    query: Query,
) -> Result<(Option<Query>, Vec<String>), QueryError> {
    let parts = match query {
        Query::And(parts) => parts,
        other => vec![other],
    };
    let mut globs = Vec::new();
    let mut rest = Vec::new();
    for part in parts {
        match part {
            Query::Path(glob) => globs.push(glob),
            other if contains_path(&other) => {
                let column = nested_path_column(source).unwrap_or(0);
                let at = match column {
                    0 => String::new(),
                    column => format!(" (the one at column {column})"),
                };
                return Err(error(
                    source,
                    column,
                    format!(
                        "`path:` filters apply to the whole query; use them outside \
                         parentheses, OR and NOT{at}"
                    ),
                ));
            }
            other => rest.push(other),
        }
    }
    let remaining = match rest.len() {
        0 => None,
        1 => rest.pop(),
        _ => Some(Query::And(rest)),
    };
    Ok((remaining, globs))
}

fn contains_path(query: &Query) -> bool {
    match query {
        Query::Path(_) => true,
        Query::And(parts) | Query::Or(parts) => parts.iter().any(contains_path),
        Query::Not(inner) | Query::Optional(inner) | Query::Required(inner) => contains_path(inner),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Query {
        Query::Word(w.into())
    }

    fn message(query: &str) -> String {
        parse(query).unwrap_err().message
    }

    #[test]
    fn at_most_32768_words_are_read_a_phrase_s_each_counted() {
        let words = |n: usize| vec!["okapi"; n].join(" ");
        assert!(parse(&words(MAX_WORDS)).is_ok());
        assert!(parse_literal(&words(MAX_WORDS), true).is_ok());
        // The 32,769th word, at column 1 + 32,768 × 6, is where the query passes the limit.
        let refused = message(&words(MAX_WORDS + 1));
        assert!(
            refused.starts_with(
                "more than 32768 words, the most one query may hold, at column 196609"
            ),
            "{refused}"
        );
        let literal = parse_literal(&format!("  {}", words(MAX_WORDS + 1)), true).unwrap_err();
        assert!(
            literal.message.contains("at column 196611"),
            "{}",
            literal.message
        );
        let phrase = format!("a \"{}\"", words(MAX_WORDS));
        assert!(message(&phrase).contains("at column 3"), "{phrase}");
        assert!(parse(&format!("\"{}\"", words(MAX_WORDS))).is_ok());
    }

    #[test]
    fn words_are_joined_by_and_and_or_binds_loosest() {
        assert_eq!(
            parse("a b OR c").unwrap(),
            Query::Or(vec![Query::And(vec![word("a"), word("b")]), word("c")])
        );
        assert_eq!(
            parse("a AND b").unwrap(),
            Query::And(vec![word("a"), word("b")])
        );
    }

    #[test]
    fn negation_forms_and_required_words() {
        let expected = Query::And(vec![word("nuclear"), Query::Not(Box::new(word("China")))]);
        assert_eq!(parse("nuclear AND NOT China").unwrap(), expected);
        assert_eq!(parse("nuclear -China").unwrap(), expected);
        assert_eq!(
            parse("+nuclear China").unwrap(),
            Query::And(vec![word("nuclear"), word("China")])
        );
    }

    #[test]
    fn phrases_groups_and_inner_hyphens() {
        assert_eq!(
            parse("(\"nuclear sharing\" OR deterrence) 72-year-old").unwrap(),
            Query::And(vec![
                Query::Or(vec![
                    Query::Phrase("nuclear sharing".into(), 0),
                    word("deterrence")
                ]),
                word("72-year-old"),
            ])
        );
        assert_eq!(
            parse("and or not").unwrap(),
            Query::And(vec![word("and"), word("or"), word("not")])
        );
    }

    #[test]
    fn at_most_a_hundred_prefix_or_fuzzy_words_are_looked_up() {
        let words = |n: usize| -> Vec<String> { (0..n).map(|i| format!("w{i}*")).collect() };
        assert!(parse(&words(MAX_EXPANDING).join(" ")).is_ok());
        let many = words(MAX_EXPANDING + 1).join(" ");
        let refused = message(&many);
        let column = many.rfind("w100*").unwrap() + 1;
        assert!(
            refused.starts_with("more than 100 prefix or fuzzy words"),
            "{refused}"
        );
        assert!(
            refused.contains(&format!("at column {column}")),
            "{refused}"
        );
        // Repeats count: one in each of many groups is looked up in each.
        let grouped: Vec<String> = (0..=MAX_EXPANDING).map(|i| format!("(a* w{i})")).collect();
        assert!(message(&grouped.join(" OR ")).starts_with("more than 100"));
        assert!(parse(&["Pyongyng~1"; 100].join(" ")).is_ok());
        assert!(parse(&["Pyongyng~1"; 101].join(" ")).is_err());
        // A lone CJK character is looked up as a prefix is; a longer word is not.
        assert!(parse(&["中"; 101].join(" ")).is_err());
        assert!(parse(&["中国"; 101].join(" ")).is_ok());
    }

    #[test]
    fn syntax_errors_say_what_and_where() {
        assert_eq!(message("nuclear \"sharing"), "unclosed quote at column 9");
        assert_eq!(
            message("nuclear AND"),
            "AND at column 9 has nothing after it"
        );
        assert_eq!(
            message("OR nuclear"),
            "OR at column 1 has nothing before it"
        );
        assert_eq!(message("(nuclear"), "unclosed `(` at column 1");
        assert_eq!(message("nuclear)"), "unmatched `)` at column 8");
        assert_eq!(message("a ()"), "empty parentheses at column 3");
        assert_eq!(message("a NOT"), "NOT at column 3 has nothing after it");
        assert_eq!(
            message("alpha AND AND beta"),
            "AND at column 7 is followed by AND at column 11: two operators in a row; remove one"
        );
        assert_eq!(
            message("alpha OR OR beta"),
            "OR at column 7 is followed by OR at column 10: two operators in a row; remove one"
        );
        assert_eq!(
            message("Path:docs/*.txt alpha"),
            "`Path:docs/*.txt` at column 1: `Path:` is not a field; fields are lowercase: \
             path:docs/*.txt"
        );
        assert_eq!(message("   "), "the query is empty");
        for twice in ["rocket~1~", "rocket~~", "rocket~1~2"] {
            assert_eq!(
                message(twice),
                format!(
                    "`{twice}` at column 1: a fuzzy word has one `~` and at most one distance: \
                     rocket~1, rocket~2, or rocket~ for one chosen by its length"
                )
            );
        }
        // A URL's `~` is no fuzzy mark, nor is a leading one, nor a path's or strikethrough's.
        assert!(parse("https://example.com/~a/~b").is_ok());
        assert!(parse("~rocket").is_ok());
        assert!(parse("~/notes/~draft").is_ok());
        assert!(parse("~~deleted~~").is_ok());
    }

    #[test]
    fn error_display_is_one_line_and_names_the_query() {
        let err = parse("nuclear AND").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid query \"nuclear AND\": AND at column 9 has nothing after it"
        );
        let err = parse("a\nAND").unwrap_err();
        assert!(!err.to_string().contains('\n'));
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(message(&deep).starts_with("parentheses nest deeper than 100"));
        let ok = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(parse(&ok).unwrap(), word("a"));
        let negations = format!("{}a", "NOT ".repeat(10_001));
        assert_eq!(parse(&negations).unwrap(), Query::Not(Box::new(word("a"))));
    }

    #[test]
    fn path_filters_come_out_of_the_top_level_only() {
        let (rest, globs) =
            split_path_filters("q", parse("path:docs/*.md nuclear").unwrap()).unwrap();
        assert_eq!(
            (rest, globs),
            (Some(word("nuclear")), vec!["docs/*.md".to_string()])
        );
        let (rest, globs) = split_path_filters("q", parse("path:a.txt").unwrap()).unwrap();
        assert_eq!((rest, globs), (None, vec!["a.txt".to_string()]));
        let err = split_path_filters("q", parse("x OR path:a").unwrap()).unwrap_err();
        assert!(err
            .message
            .starts_with("`path:` filters apply to the whole query"));
        assert!(parse("path:").is_err());
        // A glob with a space: quoted, or the space escaped as the glob escapes it.
        for (query, glob) in [
            ("path:\"my notes/*.md\" nuclear", "my notes/*.md"),
            ("nuclear path:my\\ notes/*.md", "my\\ notes/*.md"),
        ] {
            let (rest, globs) = split_path_filters(query, parse(query).unwrap()).unwrap();
            assert_eq!(
                (rest, globs),
                (Some(word("nuclear")), vec![glob.to_string()])
            );
        }
        let err = parse("a path:\"open").unwrap_err();
        assert!(err
            .message
            .contains("unclosed quote in the `path:` glob at column 3"));
        // Where a filter is not at the top level is said.
        let query = "nuclear (path:*.md OR path:c1/*)";
        let err = split_path_filters(query, parse(query).unwrap()).unwrap_err();
        assert!(
            err.message.ends_with("(the one at column 10)"),
            "{}",
            err.message
        );
    }

    #[test]
    fn literal_queries_take_any_input_as_words() {
        assert_eq!(
            parse_literal("C++ (ADR-016 \"AND", false).unwrap(),
            Query::And(vec![word("C++"), word("(ADR-016"), word("\"AND")])
        );
        assert_eq!(parse_literal(" x ", false).unwrap(), word("x"));
        assert!(parse_literal("  ", true).is_err());
        assert_eq!(
            parse_literal("a b", true).unwrap(),
            Query::Or(vec![word("a"), word("b")])
        );
    }

    #[test]
    fn any_mode_joins_side_by_side_words_by_or_and_keeps_exclusions_outside() {
        assert_eq!(
            parse_with("a b AND c", true).unwrap(),
            Query::Or(vec![word("a"), Query::And(vec![word("b"), word("c")])])
        );
        assert_eq!(
            parse_with("a b -c", true).unwrap(),
            Query::And(vec![
                Query::Or(vec![word("a"), word("b")]),
                Query::Not(Box::new(word("c")))
            ])
        );
        assert_eq!(
            parse_with("(a b) c", false).unwrap(),
            Query::And(vec![Query::And(vec![word("a"), word("b")]), word("c")])
        );
        // In a group as at the top; an explicit `OR NOT` keeps its meaning; a path filter
        // narrows the words beside it.
        let not = |w| Query::Not(Box::new(word(w)));
        assert_eq!(
            parse_with("(a -b) OR c", true).unwrap(),
            Query::Or(vec![Query::And(vec![word("a"), not("b")]), word("c")])
        );
        assert_eq!(
            parse_with("a OR NOT b", true).unwrap(),
            Query::Or(vec![word("a"), not("b")])
        );
        assert_eq!(
            parse_with("path:x a b", true).unwrap(),
            Query::And(vec![
                Query::Or(vec![word("a"), word("b")]),
                Query::Path("x".into())
            ])
        );
    }

    #[test]
    fn any_mode_requires_a_plus_word_and_ranks_by_the_others() {
        let optional = |q: Query| Query::Optional(Box::new(q));
        let required = |q: Query| Query::Required(Box::new(q));
        let not = |w| Query::Not(Box::new(word(w)));
        assert_eq!(
            parse_with("+a b c", true).unwrap(),
            Query::And(vec![
                required(word("a")),
                optional(Query::Or(vec![word("b"), word("c")]))
            ])
        );
        assert_eq!(
            parse_with("b +a -d +c", true).unwrap(),
            Query::And(vec![
                required(word("a")),
                required(word("c")),
                optional(word("b")),
                not("d")
            ])
        );
        // Alone, the word is required; `+` on a conjunction's word requires the conjunction;
        // `+-a` excludes; `+path:` filters as a path does; in a group as at the top.
        assert_eq!(parse_with("+a", true).unwrap(), required(word("a")));
        assert_eq!(
            parse_with("+a AND b c", true).unwrap(),
            Query::And(vec![
                required(Query::And(vec![word("a"), word("b")])),
                optional(word("c"))
            ])
        );
        assert_eq!(
            parse_with("+-a b", true).unwrap(),
            Query::And(vec![word("b"), not("a")])
        );
        assert_eq!(
            parse_with("+path:x a b", true).unwrap(),
            parse_with("path:x a b", true).unwrap()
        );
        assert_eq!(
            parse_with("(+a b) OR c", true).unwrap(),
            Query::Or(vec![
                Query::And(vec![required(word("a")), optional(word("b"))]),
                word("c")
            ])
        );
        // Without `any`, side by side is AND already.
        assert_eq!(
            parse_with("+a b", false).unwrap(),
            Query::And(vec![word("a"), word("b")])
        );
    }

    #[test]
    fn trailing_star_makes_a_prefix() {
        assert_eq!(
            parse("semicond*").unwrap(),
            Query::Prefix("semicond".into())
        );
        assert_eq!(parse("*").unwrap(), word("*"));
    }

    #[test]
    fn unsupported_syntax_is_refused_with_what_to_write() {
        for (query, says) in [
            (
                "*ance",
                "`*ance` at column 1: a `*` may only end a word (a prefix, like allian*)",
            ),
            ("nu*ear", "`nu*ear` at column 1: a `*` may only end a word"),
            (
                "a allian?e",
                "`allian?e` at column 3: `?` wildcards are not supported",
            ),
            (
                "nuclear^2",
                "`nuclear^2` at column 1: boosts (`^2`) are not supported",
            ),
            ("foo:bar", "`foo:` is not a field; the only field is path:"),
            (
                "nuc*~",
                "`nuc*~` at column 1: a word is either a prefix (nuc*) or fuzzy",
            ),
            ("nuc~*", "a word is either a prefix (nuc*) or fuzzy"),
            ("path:", "`path:` at column 1 needs a glob after it"),
            (
                "nuclear~x",
                "the edit distance in `nuclear~x` at column 1 must be 0, 1 or 2",
            ),
            (
                "a nuclear~-1",
                "the edit distance in `nuclear~-1` at column 3",
            ),
            (
                "nuclear~1.5",
                "the edit distance in `nuclear~1.5` at column 1",
            ),
            (
                "Pyongyng ~1",
                "`~1` at column 10: a fuzzy word's distance follows it without a space",
            ),
            (
                "\"nuclear sharing\"~1~2",
                "the slop of the phrase at column 1 must be a whole number",
            ),
            (
                "\"nuclear sharing\"^2",
                "boosts (`^` at column 18) are not supported",
            ),
            ("(a b)^1.5", "boosts (`^` at column 6) are not supported"),
            ("\"a b\"~1^2", "boosts (`^` at column 8)"),
            (
                "\"nuclear shar*\"",
                "a prefix (`shar*`) inside a phrase is not supported; quoted words are searched \
                 as written: leave the `*` out, or search the words unquoted (\"nuclear shar*\" \
                 → nuclear shar*)",
            ),
            (
                "\"nuclear sharing~1\"",
                "a fuzzy word (`sharing~1`) inside a phrase is not supported",
            ),
        ] {
            let message = message(query);
            assert!(message.contains(says), "{query}: {message}");
        }
        // Punctuation that is not syntax stays words.
        for query in [
            "why?",
            "std::vec",
            "10:30",
            "http://example.org",
            "https://example.com/a?b=c",
            "~/notes",
            "~",
            "\"~1\"",
            "x^y",
            "C++",
            "\"2*3 is 6\"",
            "\"a b\"^",
            "(x)^y",
            "\"~/notes\"",
        ] {
            assert!(parse(query).is_ok(), "{query}");
        }
    }

    #[test]
    fn a_bare_tilde_picks_the_distance_by_length() {
        let fuzzy = |q: &str| match parse(q).unwrap() {
            Query::Fuzzy(_, distance) => distance,
            other => panic!("{other:?}"),
        };
        assert_eq!(fuzzy("ab~"), 0);
        assert_eq!(fuzzy("nuc~"), 1);
        assert_eq!(fuzzy("alpha~"), 1);
        assert_eq!(fuzzy("Pyongyng~"), 2);
        assert_eq!(fuzzy("Pyongyng~1"), 1);
    }

    #[test]
    fn typographic_quotes_make_phrases() {
        let phrase = || Query::Phrase("nuclear sharing".into(), 0);
        for query in [
            "“nuclear sharing”",
            "„nuclear sharing“",
            "«nuclear sharing»",
            "\"nuclear sharing”",
        ] {
            assert_eq!(parse(query).unwrap(), phrase(), "{query}");
        }
        assert_eq!(
            parse("-“nuclear sharing”~2 x").unwrap(),
            Query::And(vec![
                Query::Not(Box::new(Query::Phrase("nuclear sharing".into(), 2))),
                Query::Word("x".into()),
            ])
        );
        // A lone one is a character of a word (an inch mark, a partial paste), not a phrase.
        assert_eq!(
            parse("12” pipe").unwrap(),
            Query::And(vec![Query::Word("12”".into()), Query::Word("pipe".into())])
        );
        assert!(parse("“nuclear sharing").is_ok());
        assert_eq!(message("\"nuclear sharing"), "unclosed quote at column 1");
    }

    #[test]
    fn phrase_slop_and_fuzzy_words() {
        assert_eq!(
            parse("\"alliance modern\"~3 Pyongyng~1 word~").unwrap(),
            Query::And(vec![
                Query::Phrase("alliance modern".into(), 3),
                Query::Fuzzy("Pyongyng".into(), 1),
                Query::Fuzzy("word".into(), 1),
            ])
        );
        assert_eq!(
            message("\"a b\"~"),
            "the `~` after the phrase at column 1 needs a number, like \"a b\"~3"
        );
        assert_eq!(
            message("\"a b\"~101"),
            "the slop of the phrase at column 1 must be at most 100"
        );
        for (sloppy, column) in [("\"a b\"~1.5", 1), ("x \"a b\"~2x", 3), ("\"a b\"~2,5", 1)] {
            assert_eq!(
                message(sloppy),
                format!(
                    "the slop of the phrase at column {column} must be a whole number, \
                     like \"a b\"~3"
                ),
                "{sloppy}"
            );
        }
        for fine in [
            "(\"a b\"~2)",
            "\"a b\"~2-word",
            "\"a b\"~2 word",
            "\"a b\"~2+word",
        ] {
            assert!(parse(fine).is_ok(), "{fine}");
        }
        assert_eq!(
            message("x y~3"),
            "the edit distance in `y~3` at column 3 must be 0, 1 or 2"
        );
    }
}
