//! Query planning: analysing a [`Query`]'s words with the one analyzer into a [`Plan`] of
//! [`Matcher`]s, which search compiles and the highlighter walks. A word that the analyzer
//! splits into several terms (`72-year-old`, `U.S.`) matches as a phrase; a word that holds no
//! term at all (`—`) is dropped.

use std::ops::Range;

use unicode_normalization::char::is_combining_mark;

use super::stop_words::is_stop_word;
use super::syntax::{error, Query, QueryError, MAX_TERMS};
use crate::analysis::{Analysis, Word};

/// How a matcher's terms are compared with a paragraph's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchKind {
    /// English stems (the default): `treaties` matches `Treaty`.
    Stemmed,
    /// Exact normalised words: `treaties` matches only `treaties`.
    Exact,
    /// Exact normalised words starting with the (single) term.
    Prefix,
    /// Exact normalised words within this many edits of the (single) term (a transposition
    /// counts as one edit).
    Fuzzy(u8),
    /// Chinese, Japanese or Korean text containing the (single-character) term: a lone CJK
    /// character matches inside the two-character pieces such text is indexed as.
    InCjk,
}

impl MatchKind {
    /// The term a word is looked up by: its stem for stemmed matching, else its exact form.
    fn term_of(self, word: crate::analysis::Word) -> String {
        if self == MatchKind::Stemmed {
            word.stem
        } else {
            word.exact
        }
    }
}

/// One thing to look for in a paragraph: a single term, or terms at fixed relative positions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Matcher {
    /// The word or phrase as the user wrote it (for messages and JSON).
    pub label: String,
    /// How the terms compare with words.
    pub kind: MatchKind,
    /// Analysed terms with their positions relative to the first (0 for the first).
    pub terms: Vec<(usize, String)>,
    /// How many position moves a phrase may make (0: the words exactly in order).
    pub slop: u32,
    /// For an exact-form phrase: its terms' stems. Exact forms are indexed without positions,
    /// so such a phrase is found among the stems, with each of its exact words required.
    pub phrase_stems: Vec<String>,
    /// Each term's word as the query writes it (its case, for case-sensitive matching).
    pub surfaces: Vec<String>,
}

/// A query after analysis: what search compiles and the highlighter evaluates.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Plan {
    /// Match one term or phrase.
    Match(Matcher),
    /// Every part must match.
    And(Vec<Plan>),
    /// At least one part must match.
    Or(Vec<Plan>),
    /// The part must not match.
    Not(Box<Plan>),
    /// The part may match, adding to the score when it does; within a conjunction, beside what
    /// must. (Planning never leaves one alone or beside exclusions only: see
    /// [`Plan::required_alone`].)
    Optional(Box<Plan>),
}

impl Matcher {
    /// Whether this is a phrase with slop that names one term twice (`"walla walla"~1`): the
    /// index lets one word serve both, so such a phrase is checked against the text, where each
    /// term takes a word of its own.
    pub fn sloppy_with_repeats(&self) -> bool {
        let terms: Vec<&String> = match self.phrase_stems.is_empty() {
            true => self.terms.iter().map(|(_, term)| term).collect(),
            false => self.phrase_stems.iter().collect(),
        };
        self.slop > 0 && (1..terms.len()).any(|i| terms[..i].contains(&terms[i]))
    }

    /// A matcher of one term (`term`, of `kind`) written as `surface`, named `label`.
    fn single(label: String, kind: MatchKind, term: String, surface: String) -> Matcher {
        Matcher {
            label,
            kind,
            terms: vec![(0, term)],
            slop: 0,
            phrase_stems: Vec::new(),
            surfaces: vec![surface],
        }
    }
}

/// None, one plan as it is, or more joined by `build`.
fn joined(mut plans: Vec<Plan>, build: fn(Vec<Plan>) -> Plan) -> Option<Plan> {
    match plans.len() {
        0 => None,
        1 => plans.pop(),
        _ => Some(build(plans)),
    }
}

impl Plan {
    /// The plan, but an optional part is its part: what may match, with nothing beside it that
    /// must (a `+` word left out, `+the nuclear`), must.
    fn required_alone(self) -> Plan {
        match self {
            Plan::Optional(part) => *part,
            other => other,
        }
    }
}

/// The outcome of analysing a query.
#[derive(Debug, Clone)]
pub struct Analyzed {
    /// The plan; `None` when no word of the query holds a searchable term.
    pub plan: Option<Plan>,
    /// Words and phrases that held no term and were dropped.
    pub dropped: Vec<String>,
    /// Words longer than [`crate::analysis::MAX_TOKEN_BYTES`], which no index holds: left out
    /// of their word or phrase (shortened for showing).
    pub too_long: Vec<String>,
    /// Words written with a symbol that looks like an operator but is not one, or that names a
    /// thing but is not indexed (`!treaty`, `C++`): each word with its symbol.
    pub symbols: Vec<SymbolNote>,
    /// The query requires something a `+` marks (with `--any`), outside any OR, that holds a
    /// term (a `+` stop word left out requires nothing): however the query is extended
    /// (`--expand`), what matches must match it.
    pub requires: bool,
}

/// A word written with a symbol that is not searched (see [`Analyzed::symbols`]): the word,
/// the symbol, and whether it stands where a negation would (`!treaty`) rather than ending a
/// name (`C++`).
pub type SymbolNote = (String, String, bool);

/// How query words are analysed.
#[derive(Debug, Clone, Copy, Default)]
pub struct AnalyzeOptions {
    /// Match exact word forms instead of English stems.
    pub exact: bool,
    /// A word the analyzer splits (`0-dimensional`) matches any of its pieces, instead of the
    /// phrase they make (for `--any` queries: bags of words).
    pub split_words: bool,
    /// With `split_words`, stemmed words that are English stop words are left out (but all
    /// are kept when nothing else would be left).
    pub drop_stop_words: bool,
}

/// Analyses the words of a parsed query (`source` is the query text, for error messages).
pub fn analyze(
    source: &str,
    query: &Query,
    analysis: &mut Analysis,
    options: AnalyzeOptions,
) -> Result<Analyzed, QueryError> {
    let mut planner = Planner {
        source,
        analysis,
        options,
        dropped: Vec::new(),
        too_long: Vec::new(),
        symbols: Vec::new(),
        stopped: 0,
        in_or: 0,
        requires: false,
    };
    let mut plan = planner.plan(query)?;
    if !plan.as_ref().is_some_and(wants_a_word) && planner.stopped > 0 {
        // Only stop words ("to be or not to be"), or stop words and exclusions ("the -orbit"):
        // they are the query after all.
        planner.options.drop_stop_words = false;
        planner.dropped.clear();
        planner.too_long.clear();
        planner.symbols.clear();
        planner.requires = false;
        plan = planner.plan(query)?;
    }
    if !planner.too_long.is_empty() && !plan.as_ref().is_some_and(wants_a_word) {
        // What it asks for no index holds (`zzz… -orbit`): it matches nothing, and says why.
        plan = None;
    }
    let terms = plan.as_ref().map_or(0, distinct_terms);
    if terms > MAX_TERMS {
        let message = format!(
            "{terms} different terms to look for, more than the {MAX_TERMS} one query searches \
             for (each word is one, a phrase or an identifier one per part); search for fewer \
             words"
        );
        return Err(super::syntax::error(source, 0, message));
    }
    let looked_up = plan.as_ref().map_or(0, lookups);
    if looked_up > super::syntax::MAX_EXPANDING {
        let message = format!(
            "{looked_up} prefix or fuzzy words and lone CJK characters, more than the {} one \
             query looks up (each is looked for through the whole dictionary)",
            super::syntax::MAX_EXPANDING
        );
        return Err(super::syntax::error(source, 0, message));
    }
    Ok(Analyzed {
        // What may match, alone (what was required beside it held no term), must.
        plan: plan.map(Plan::required_alone),
        dropped: planner.dropped,
        too_long: planner.too_long,
        symbols: planner.symbols,
        requires: planner.requires,
    })
}

/// How many of a plan's matchers are looked up through the whole dictionary: prefixes,
/// fuzzy words and lone CJK characters (found inside two-character pieces), repeats counted.
fn lookups(plan: &Plan) -> usize {
    match plan {
        Plan::Match(matcher) => usize::from(matches!(
            matcher.kind,
            MatchKind::Prefix | MatchKind::Fuzzy(_) | MatchKind::InCjk
        )),
        Plan::Not(inner) | Plan::Optional(inner) => lookups(inner),
        Plan::And(parts) | Plan::Or(parts) => parts.iter().map(lookups).sum(),
    }
}

/// How many different terms a plan looks for: each holds a cursor into the index (a repeated
/// word is searched for once, weighted by its count).
fn distinct_terms(plan: &Plan) -> usize {
    fn gather<'a>(plan: &'a Plan, terms: &mut std::collections::HashSet<&'a str>) {
        match plan {
            Plan::Match(matcher) => terms.extend(matcher.terms.iter().map(|(_, t)| t.as_str())),
            Plan::Not(inner) | Plan::Optional(inner) => gather(inner, terms),
            Plan::And(parts) | Plan::Or(parts) => parts.iter().for_each(|p| gather(p, terms)),
        }
    }
    let mut terms = std::collections::HashSet::new();
    gather(plan, &mut terms);
    terms.len()
}

/// Whether a plan asks for some word, rather than only excluding.
fn wants_a_word(plan: &Plan) -> bool {
    match plan {
        Plan::Match(_) => true,
        Plan::Not(_) => false,
        Plan::Optional(inner) => wants_a_word(inner),
        Plan::And(parts) | Plan::Or(parts) => parts.iter().any(wants_a_word),
    }
}

struct Planner<'a> {
    source: &'a str,
    analysis: &'a mut Analysis,
    options: AnalyzeOptions,
    dropped: Vec<String>,
    too_long: Vec<String>,
    symbols: Vec<SymbolNote>,
    /// Stop words left out.
    stopped: usize,
    /// How many OR groups are being planned around the current part.
    in_or: usize,
    /// A part a `+` marks, outside any OR group, held a term (see [`Analyzed::requires`]).
    requires: bool,
}

/// The pieces of a hyphenated word (`pro-inflammatory.` → `pro`, `inflammatory`) and where
/// the word stands in `text`: the word without the punctuation around it (`(e-mail)`) or a
/// possessive ending (`e-mail's`), split at its hyphens (also U+2010 and U+2011); `None`
/// unless there are two pieces or more, each letters or digits, not all numbers (`5-6`).
pub(crate) fn hyphen_pieces(text: &str) -> Option<(Range<usize>, Vec<&str>)> {
    let is_letter = |c: char| c.is_alphanumeric() || is_combining_mark(c);
    let core = text.trim_start_matches(|c: char| !is_letter(c));
    let start = text.len() - core.len();
    let core = core.trim_end_matches(|c: char| !is_letter(c));
    let core = ["'s", "’s"]
        .iter()
        .find_map(|ending| core.strip_suffix(ending))
        .unwrap_or(core);
    let pieces: Vec<&str> = core.split(['-', '\u{2010}', '\u{2011}']).collect();
    let hyphenated = pieces.len() > 1
        && pieces
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(is_letter))
        && !pieces.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()));
    hyphenated.then(|| (start..start + core.len(), pieces))
}

/// Whether `piece` is one grapheme cluster (a letter with its marks).
fn one_grapheme(piece: &str) -> bool {
    let mut letters = unicode_segmentation::UnicodeSegmentation::graphemes(piece, true);
    letters.next().is_some() && letters.next().is_none()
}

/// Whether `c` is a symbol or an emoji (`❤`, `★`, `€`, `→`, `±`, `👍`, a flag's letters), which
/// a reader may take for part of a phrase though the index holds no term for it; punctuation
/// (dashes, quotes, `&`, `,`) and ASCII are not.
fn is_symbol_or_emoji(c: char) -> bool {
    !c.is_alphanumeric()
        && matches!(c,
            '\u{A2}'..='\u{A5}' | '\u{A9}' | '\u{AE}' | '\u{B0}' | '\u{B1}' | '\u{D7}' | '\u{F7}'
            | '\u{09F3}' | '\u{0E3F}' | '\u{FDFC}'
            | '\u{20A0}'..='\u{20CF}'
            | '\u{20E3}'
            | '\u{2100}'..='\u{214F}'
            | '\u{2190}'..='\u{2BFF}'
            | '\u{3030}' | '\u{303D}'
            | '\u{FFE0}'..='\u{FFE6}'
            | '\u{1F000}'..='\u{1FBFF}')
}

/// Whether `text` is all in scripts written without spaces between words, which the analyzer
/// indexes in pieces (Chinese, Japanese, Korean syllables; Thai, Lao, Khmer, Myanmar).
fn written_without_spaces(text: &str) -> bool {
    text.chars().all(|c| {
        crate::analysis::is_cjk(c) || matches!(c, '\u{0E00}'..='\u{0EFF}' | '\u{1000}'..='\u{109F}' | '\u{1780}'..='\u{17FF}')
    })
}

impl Planner<'_> {
    fn plan(&mut self, query: &Query) -> Result<Option<Plan>, QueryError> {
        let kind = if self.options.exact {
            MatchKind::Exact
        } else {
            MatchKind::Stemmed
        };
        Ok(match query {
            Query::Word(text) if self.options.split_words => {
                self.note_symbol(text);
                let pieces = self.pieces(text, kind);
                self.or_joined(pieces, text, kind)
            }
            Query::Word(text) => {
                self.note_symbol(text);
                let phrase = self.matcher(text.clone(), text, kind, 0);
                self.or_joined(phrase, text, kind)
            }
            Query::Phrase(text, 0) => self.matcher(format!("\"{text}\""), text, kind, 0),
            Query::Phrase(text, slop) => {
                self.matcher(format!("\"{text}\"~{slop}"), text, kind, *slop)
            }
            Query::Prefix(text) => {
                self.single_or_hyphenated(format!("{text}*"), text, MatchKind::Prefix, kind)?
            }
            Query::Fuzzy(text, distance) => self.single_or_hyphenated(
                format!("{text}~{distance}"),
                text,
                MatchKind::Fuzzy(*distance),
                kind,
            )?,
            Query::And(parts) => self.group(parts, Plan::And)?,
            Query::Or(parts) => {
                self.in_or += 1;
                let planned = self.group(parts, Plan::Or);
                self.in_or -= 1;
                planned?
            }
            Query::Required(inner) => {
                let planned = self.plan(inner)?;
                self.requires |= planned.is_some() && self.in_or == 0;
                planned
            }
            Query::Not(inner) => self.plan(inner)?.map(|p| Plan::Not(Box::new(p))),
            Query::Optional(inner) => self.plan(inner)?.map(|p| Plan::Optional(Box::new(p))),
            Query::Path(glob) => {
                return Err(error(
                    self.source,
                    0,
                    format!("`path:{glob}` must be at the top level of the query"),
                ))
            }
        })
    }

    /// A word as the OR of its analysed pieces (each piece its own matcher, named after it),
    /// stop words left out when asked.
    fn pieces(&mut self, text: &str, kind: MatchKind) -> Option<Plan> {
        let long = crate::analysis::too_long_tokens(text);
        if let Some(parts) = self.long_identifier(text, kind, &long) {
            return Some(parts);
        }
        let (mut words, too_long) = self.words_of(text, &long);
        if words.is_empty() && too_long {
            return None;
        }
        let analysed = words.len();
        if self.options.drop_stop_words && kind == MatchKind::Stemmed {
            words.retain(|w| !is_stop_word(&w.exact));
            self.stopped += analysed - words.len();
            if words.is_empty() && analysed > 0 {
                return None;
            }
        }
        // A word the analyzer took a letter at a time (Thai, Lao, Khmer, Myanmar: scripts
        // written without spaces, which word boundaries cut into single letters) is no bag of
        // its letters: any one of them would match nearly every paragraph. It is matched whole,
        // as a phrase of its letters. (A Latin word's pieces, apart in the text, are words.)
        let letter_by_letter = words.len() > 1
            && words.iter().all(|w| one_grapheme(&text[w.start..w.end]))
            && words.windows(2).all(|pair| pair[0].end == pair[1].start);
        if analysed <= 1 || letter_by_letter {
            return self.matcher(text.to_string(), text, kind, 0);
        }
        let plans: Vec<Plan> = words
            .into_iter()
            .map(|w| {
                let surface = text[w.start..w.end].to_string();
                let term = kind.term_of(w);
                Plan::Match(Matcher::single(text.to_string(), kind, term, surface))
            })
            .collect();
        joined(plans, Plan::Or)
    }

    /// `planned` for the word `text`, or, when `text` is hyphenated (`pro-inflammatory`,
    /// `e-mail`, `PD-1`), `planned` or the word written joined (`proinflammatory`, `email`,
    /// `PD1`), as many texts spell it. Not for numbers (`5-6` is no `56`).
    fn or_joined(&mut self, planned: Option<Plan>, text: &str, kind: MatchKind) -> Option<Plan> {
        let planned = planned?;
        let Some((_, pieces)) = hyphen_pieces(text) else {
            return Some(planned);
        };
        let joined_text = pieces.concat();
        let mut words = self.analysis.words(&joined_text);
        let (Some(word), true) = (words.pop(), words.is_empty()) else {
            return Some(planned);
        };
        let term = kind.term_of(word);
        let alternative = Plan::Match(Matcher::single(text.to_string(), kind, term, joined_text));
        Some(Plan::Or(vec![planned, alternative]))
    }

    /// A group of `parts`; when leaving out its stop words leaves it only exclusions
    /// (`(the -orbit)`), it is planned again with them: they are what it asks for.
    fn group(
        &mut self,
        parts: &[Query],
        build: fn(Vec<Plan>) -> Plan,
    ) -> Result<Option<Plan>, QueryError> {
        let (stopped, dropped) = (self.stopped, self.dropped.len());
        let plan = self.combine(parts, build)?;
        if self.stopped == stopped || plan.as_ref().is_some_and(wants_a_word) {
            return Ok(plan);
        }
        let drop_stop_words = std::mem::replace(&mut self.options.drop_stop_words, false);
        self.dropped.truncate(dropped);
        let kept = self.combine(parts, build);
        self.options.drop_stop_words = drop_stop_words;
        kept
    }

    fn combine(
        &mut self,
        parts: &[Query],
        build: fn(Vec<Plan>) -> Plan,
    ) -> Result<Option<Plan>, QueryError> {
        let mut plans = Vec::with_capacity(parts.len());
        for part in parts {
            plans.extend(self.plan(part)?);
        }
        if !plans
            .iter()
            .any(|p| !matches!(p, Plan::Optional(_) | Plan::Not(_)))
        {
            plans = plans.into_iter().map(Plan::required_alone).collect();
        }
        Ok(joined(plans, build))
    }

    /// The analysed words of `text`, but those of a word too long to be indexed, which is
    /// left out whole (its identifier parts too: `aaa…_bbb…` is not its first part), and
    /// noted (each once, however often the query repeats it); and whether there was one.
    /// (`long`: the over-long tokens of `text`, as `analysis::too_long_tokens` gives them.)
    fn words_of(&mut self, text: &str, long: &[Range<usize>]) -> (Vec<Word>, bool) {
        let mut words = self.analysis.words(text);
        let long = crate::analysis::outermost(long);
        for range in &long {
            let shown: String = text[range.clone()].chars().take(24).collect();
            let shown = format!("{shown}…");
            if !self.too_long.contains(&shown) {
                self.too_long.push(shown);
            }
            words.retain(|w| w.end <= range.start || w.start >= range.end);
        }
        (words, !long.is_empty())
    }

    /// A word (bare, or quoted alone) too long to be indexed whole whose identifier parts are
    /// all indexed (`aaa…_bbb…` pasted from a document): the conjunction of its parts, as the
    /// index holds such a word. `None` for any other text (a part too long as well: `q…_b…` is too long).
    fn long_identifier(
        &mut self,
        text: &str,
        kind: MatchKind,
        long: &[Range<usize>],
    ) -> Option<Plan> {
        if !matches!(long, [whole] if *whole == (0..text.len())) {
            return None;
        }
        // Its parts are tokens at its position, which `words` gives as forms of one word.
        let tokens = crate::analysis::tokens(&mut crate::analysis::exact_analyzer(), text);
        let mut parts: Vec<Plan> = Vec::new();
        for token in tokens {
            let term = match kind {
                MatchKind::Stemmed => self.analysis.stem(&token.text),
                _ => token.text,
            };
            let surface = text[token.offset_from..token.offset_to].to_string();
            let part = Plan::Match(Matcher::single(surface.clone(), kind, term, surface));
            if !parts.contains(&part) {
                parts.push(part);
            }
        }
        joined(parts, Plan::And)
    }

    /// Notes a word whose symbol the user may take for more than it is (once): a negation that
    /// is not the query's (`!treaty`, `－treaty`, a minus sign, a dash or a hyphen of another
    /// kind, `¬`), or `+` and `#` ending a name (`C++`, `C#`, `C♯`), which are not indexed.
    fn note_symbol(&mut self, word: &str) {
        const NEGATIONS: [char; 9] = ['!', '！', '－', '−', '–', '—', '‐', '﹣', '¬'];
        let rest = word.trim_start_matches(NEGATIONS);
        let leading = (rest.len() < word.len()
            && rest.chars().next().is_some_and(char::is_alphabetic))
        .then(|| word[..word.len() - rest.len()].to_string());
        let name = word.trim_end_matches(['+', '#', '＋', '＃', '♯']);
        let trailing = (name.len() < word.len()
            && name.chars().next_back().is_some_and(char::is_alphanumeric))
        .then(|| word[name.len()..].to_string());
        let note = match (leading, trailing) {
            (Some(symbol), _) => Some((symbol, true)),
            (None, Some(symbol)) => Some((symbol, false)),
            (None, None) => None,
        };
        if let Some((symbol, negation)) = note {
            let note = (word.to_string(), symbol, negation);
            if !self.symbols.contains(&note) {
                self.symbols.push(note);
            }
        }
    }

    /// Notes each piece of the phrase `text` (between its spaces) that holds no word of
    /// `words` but a symbol or an emoji (`❤` of `"I ❤ NY"`): the phrase is matched without
    /// it, which the user may not expect (punctuation, as `&` in `"rock & roll"`, goes unsaid).
    fn note_phrase_symbols(&mut self, text: &str, words: &[Word]) {
        for piece in text.split_whitespace() {
            let start = piece.as_ptr() as usize - text.as_ptr() as usize;
            let end = start + piece.len();
            let holds_a_word = words.iter().any(|w| w.start < end && start < w.end);
            if !holds_a_word && piece.chars().any(is_symbol_or_emoji) {
                self.note_dropped(piece.to_string());
            }
        }
    }

    /// Notes a word or phrase that holds no term (once, however often the query repeats it).
    fn note_dropped(&mut self, label: String) {
        if !self.dropped.contains(&label) {
            self.dropped.push(label);
        }
    }

    fn matcher(&mut self, label: String, text: &str, kind: MatchKind, slop: u32) -> Option<Plan> {
        // (Also quoted: a phrase of that one word is the word.)
        let long = crate::analysis::too_long_tokens(text);
        if let Some(parts) = self.long_identifier(text, kind, &long) {
            return Some(parts);
        }
        let (words, too_long) = self.words_of(text, &long);
        let Some(first) = words.first().map(|w| w.position) else {
            if !too_long {
                self.note_dropped(label);
            }
            return None;
        };
        if text.trim().contains(char::is_whitespace) {
            self.note_phrase_symbols(text, &words);
        }
        if let [word] = words.as_slice() {
            let mut chars = word.exact.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                if crate::analysis::is_cjk(c) {
                    let surface = text[word.start..word.end].to_string();
                    let term = word.exact.clone();
                    let matcher = Matcher::single(label, MatchKind::InCjk, term, surface);
                    return Some(Plan::Match(matcher));
                }
            }
        }
        let phrase_stems = if kind == MatchKind::Exact && words.len() > 1 {
            words.iter().map(|w| w.stem.clone()).collect()
        } else {
            Vec::new()
        };
        let surfaces = words
            .iter()
            .map(|w| text[w.start..w.end].to_string())
            .collect();
        let terms = words
            .into_iter()
            .map(|w| (w.position - first, kind.term_of(w)))
            .collect();
        Some(Plan::Match(Matcher {
            label,
            kind,
            terms,
            slop,
            phrase_stems,
            surfaces,
        }))
    }

    /// A prefix or fuzzy word (`mark`: [`MatchKind::Prefix`] or [`MatchKind::Fuzzy`]); a
    /// hyphenated one (`e-mail*`) is the word written joined with the mark (`email*`) or its
    /// pieces as a phrase matched as `kind` says (`e-mail`, `e-mails`), as a hyphenated word
    /// is the word joined or its pieces (see [`Planner::or_joined`]).
    fn single_or_hyphenated(
        &mut self,
        label: String,
        text: &str,
        mark: MatchKind,
        kind: MatchKind,
    ) -> Result<Option<Plan>, QueryError> {
        let Some((_, pieces)) = hyphen_pieces(text) else {
            return self.single_word(label, text, mark);
        };
        let Some(joined) = self.single_word(label.clone(), &pieces.concat(), mark)? else {
            return Ok(None);
        };
        Ok(Some(match self.matcher(label, text, kind, 0) {
            Some(phrase) => Plan::Or(vec![phrase, joined]),
            None => joined,
        }))
    }

    /// A prefix or fuzzy word: matched against exact forms, and only ever one word.
    fn single_word(
        &mut self,
        label: String,
        text: &str,
        kind: MatchKind,
    ) -> Result<Option<Plan>, QueryError> {
        let long = crate::analysis::too_long_tokens(text);
        let (mut words, too_long) = self.words_of(text, &long);
        // A Chinese, Japanese, Korean or Thai run is indexed in pieces, found wherever it
        // occurs (inside longer runs too; a lone character inside the pieces that hold it): as
        // a prefix, the run itself. A fuzzy run of more than one piece is none.
        let unspaced = !words.is_empty() && written_without_spaces(text);
        if unspaced && kind == MatchKind::Prefix {
            return Ok(self.matcher(label, text, MatchKind::Stemmed, 0));
        }
        if unspaced {
            return Err(error(
                self.source,
                0,
                format!(
                    "`{label}`: Chinese, Japanese, Korean and Thai text is indexed in pieces of \
                     a character or two, which a fuzzy word is not matched against; search \
                     {text}, found wherever it occurs"
                ),
            ));
        }
        if words.len() > 1 {
            return Err(error(
                self.source,
                0,
                format!("`{label}` must be a single word"),
            ));
        }
        let Some(word) = words.pop() else {
            if !too_long {
                self.note_dropped(label);
            }
            return Ok(None);
        };
        let surface = text[word.start..word.end].to_string();
        let matcher = Matcher::single(label, kind, word.exact, surface);
        Ok(Some(Plan::Match(matcher)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;

    fn plan_of(query: &str, exact: bool) -> Result<Analyzed, QueryError> {
        let options = AnalyzeOptions {
            exact,
            ..AnalyzeOptions::default()
        };
        analyze(query, &parse(query)?, &mut Analysis::new(), options)
    }

    #[test]
    fn at_most_4096_different_terms_are_looked_for_however_a_word_is_indexed() {
        // A Chinese run is indexed as its two-character pieces: one word, many terms.
        let run: String = ('\u{4E00}'..).take(MAX_TERMS + 2).collect();
        let refused = plan_of(&run, false).unwrap_err();
        assert!(
            refused
                .message
                .starts_with("4097 different terms to look for, more than the 4096"),
            "{}",
            refused.message
        );
        let fits: String = ('\u{4E00}'..).take(MAX_TERMS + 1).collect();
        let planned = plan_of(&fits, false).unwrap();
        assert_eq!(distinct_terms(planned.plan.as_ref().unwrap()), MAX_TERMS);
        // Repeats are one term: a word pasted 2,000 times is looked for once.
        assert!(plan_of(&vec!["okapi"; 2000].join(" "), false).is_ok());
    }

    #[test]
    fn a_hundred_lookups_at_most_however_the_query_writes_them() {
        // Lone CJK characters quoted, or followed by their punctuation: each is looked up.
        let quoted: Vec<String> = ('\u{4E00}'..)
            .take(101)
            .map(|c| format!("\"{c}\""))
            .collect();
        let refused = plan_of(&quoted.join(" "), false).unwrap_err();
        assert!(
            refused
                .message
                .starts_with("101 prefix or fuzzy words and lone CJK"),
            "{}",
            refused.message
        );
        let punctuated: Vec<String> = ('\u{4E00}'..).take(101).map(|c| format!("{c}、")).collect();
        assert!(plan_of(&punctuated.join(" "), false).is_err());
        let hundred: Vec<String> = ('\u{4E00}'..)
            .take(100)
            .map(|c| format!("\"{c}\""))
            .collect();
        assert!(plan_of(&hundred.join(" "), false).is_ok());
        // Two-character words are bigrams, not lookups.
        assert!(plan_of(&["中国"; 300].join(" "), false).is_ok());
    }

    fn any_plan(query: &str, drop_stop_words: bool) -> Option<Plan> {
        let options = AnalyzeOptions {
            exact: false,
            split_words: true,
            drop_stop_words,
        };
        let parsed = crate::query::parse_literal(query, true).unwrap();
        analyze(query, &parsed, &mut Analysis::new(), options)
            .unwrap()
            .plan
    }

    fn labels(plan: &Plan) -> Vec<String> {
        match plan {
            Plan::Match(m) => m.terms.iter().map(|(_, t)| t.clone()).collect(),
            Plan::Or(parts) | Plan::And(parts) => parts.iter().flat_map(labels).collect(),
            Plan::Not(inner) | Plan::Optional(inner) => labels(inner),
        }
    }

    /// How `query` plans with `--any` (stop words left out), and whether it requires words.
    fn any_requiring(query: &str) -> (Option<Plan>, bool) {
        let options = AnalyzeOptions {
            exact: false,
            split_words: true,
            drop_stop_words: true,
        };
        let parsed = crate::query::parse_with(query, true).unwrap();
        let (rest, _) = crate::query::split_path_filters(query, parsed).unwrap();
        let rest = rest.unwrap();
        let analyzed = analyze(query, &rest, &mut Analysis::new(), options).unwrap();
        (analyzed.plan, analyzed.requires)
    }

    #[test]
    fn a_plus_word_outside_any_or_that_holds_a_term_is_required() {
        for query in [
            "+alliance nuclear",
            "+alliance",
            "(+alliance)",
            "(+alliance -patrol)",
            "+(alliance OR patrol)",
            "+alliance +nuclear",
            "path:x +alliance nuclear",
        ] {
            assert!(any_requiring(query).1, "{query}");
        }
        for query in [
            "alliance nuclear",
            "+alliance OR patrol",
            "(+alliance nuclear) OR patrol",
            "+the alliance nuclear",
            "+path:x alliance nuclear",
        ] {
            assert!(!any_requiring(query).1, "{query}");
        }
        // What may match, with nothing left beside it that must, must: it is no optional part.
        let (plan, _) = any_requiring("+the alliance nuclear");
        assert!(matches!(plan, Some(Plan::Or(_))), "{plan:?}");
        let (plan, _) = any_requiring("alliance AND (+the nuclear)");
        let Some(Plan::And(parts)) = plan else {
            panic!("{plan:?}")
        };
        assert!(
            parts.iter().all(|p| matches!(p, Plan::Match(_))),
            "{parts:?}"
        );
    }

    #[test]
    fn any_queries_leave_out_stop_words_unless_nothing_else_is_left() {
        let plan = any_plan("the effect of vitamin-D on the bones", true).unwrap();
        assert_eq!(
            labels(&plan),
            ["effect", "vitamin", "d", "vitamind", "bone"]
        );
        let kept = any_plan("the effect of vitamin-D on the bones", false).unwrap();
        assert_eq!(labels(&kept).len(), 9);
        let only = any_plan("to be or not to be", true).unwrap();
        assert_eq!(labels(&only), ["to", "be", "or", "not", "to", "be"]);
        // Stop words and an exclusion: the stop words are the words asked for.
        let options = AnalyzeOptions {
            exact: false,
            split_words: true,
            drop_stop_words: true,
        };
        let parsed = crate::query::parse_with("the -orbit", true).unwrap();
        let analyzed = analyze("the -orbit", &parsed, &mut Analysis::new(), options).unwrap();
        assert_eq!(labels(&analyzed.plan.unwrap()), ["the", "orbit"]);
        // In a group as at the top.
        let query = "(the -orbit) OR launch";
        let parsed = crate::query::parse_with(query, true).unwrap();
        let analyzed = analyze(query, &parsed, &mut Analysis::new(), options).unwrap();
        assert_eq!(labels(&analyzed.plan.unwrap()), ["the", "orbit", "launch"]);
    }

    fn single_matcher(query: &str, exact: bool) -> Matcher {
        match plan_of(query, exact).unwrap().plan {
            Some(Plan::Match(m)) => m,
            other => panic!("expected a single matcher, got {other:?}"),
        }
    }

    #[test]
    fn analysis_turns_split_words_into_phrases_and_drops_empty_ones() {
        let analyzed = plan_of("72-year-old —", false).unwrap();
        assert_eq!(analyzed.dropped, ["—"]);
        // (Or written joined: see below.)
        let Some(Plan::Or(either)) = analyzed.plan else {
            panic!("{:?}", analyzed.plan);
        };
        let Plan::Match(m) = &either[0] else {
            panic!("{either:?}");
        };
        assert_eq!(
            m.terms,
            [(0, "72".into()), (1, "year".into()), (2, "old".into())]
        );
    }

    #[test]
    fn a_hyphenated_word_also_matches_its_joined_spelling_but_not_a_number_range() {
        // The phrase of its pieces, or the word written joined.
        let Some(Plan::Or(either)) = plan_of("e-mail", false).unwrap().plan else {
            panic!("no alternative");
        };
        assert_eq!(labels(&either[0]), ["e", "mail"]);
        assert!(matches!(&either[0], Plan::Match(m) if m.terms.len() == 2));
        assert_eq!(labels(&either[1]), ["email"]);
        // With --any, its pieces or the joined word; exact forms joined too.
        let any = any_plan("pro-inflammatory", true).unwrap();
        assert_eq!(labels(&any), ["pro", "inflammatori", "proinflammatori"]);
        let exact = plan_of("PD-1", true).unwrap().plan.unwrap();
        assert_eq!(labels(&exact), ["pd", "1", "pd1"]);
        // Punctuation around it, a possessive ending, a Unicode hyphen: the same word.
        for query in [
            "pro-inflammatory.",
            "(e-mail),",
            "e-mail's",
            "e\u{2010}mail",
        ] {
            let plan = any_plan(query, true).unwrap();
            let last = labels(&plan).pop().unwrap_or_default();
            assert!(
                ["proinflammatori", "email"].contains(&last.as_str()),
                "{query}: {plan:?}"
            );
        }
        // A range of numbers is no number, and other words are as they were.
        for query in ["5-6", "kimchi", "\"e-mail\"", "-orbit"] {
            let plan = plan_of(query, false).unwrap().plan.unwrap();
            assert!(!matches!(plan, Plan::Or(_)), "{query}: {plan:?}");
        }
    }

    #[test]
    fn words_too_long_to_be_indexed_are_said_to_be_left_out() {
        let long = "x".repeat(crate::analysis::MAX_TOKEN_BYTES + 1);
        let phrase = plan_of(&format!("\"{long} alpha\""), false).unwrap();
        assert_eq!(phrase.too_long, [format!("{}…", &long[..24])]);
        assert!(phrase.dropped.is_empty());
        let twice = plan_of(&format!("\"{long} alpha {long}\" {long} → beta →"), false).unwrap();
        assert_eq!(twice.too_long, [format!("{}…", &long[..24])]);
        assert_eq!(twice.dropped, ["→"]);
        // An over-long identifier is searched as the index holds it: all its parts, not its
        // first part alone; in a phrase it is left out.
        let identifier = format!("{}_{}", "a".repeat(60), "b".repeat(60));
        let parts = plan_of(&identifier, false).unwrap();
        assert!(parts.too_long.is_empty() && parts.dropped.is_empty());
        assert!(
            matches!(parts.plan, Some(Plan::And(ref p)) if p.len() == 2),
            "{:?}",
            parts.plan
        );
        let with_long_part = format!("{}_{}", "q".repeat(120), "b".repeat(60));
        let refused = plan_of(&with_long_part, false).unwrap();
        assert!(refused.plan.is_none() && refused.too_long.len() == 1);
        let quoted = plan_of(&format!("\"{identifier}\""), false).unwrap();
        assert_eq!(quoted.plan, parts.plan);
        let phrase = plan_of(&format!("\"{identifier} alpha\""), false).unwrap();
        assert_eq!(labels(&phrase.plan.unwrap()), ["alpha"]);
        assert_eq!(phrase.too_long.len(), 1);
        let alone = plan_of(&long, false).unwrap();
        assert!(alone.plan.is_none() && alone.dropped.is_empty());
        assert_eq!(alone.too_long.len(), 1);
        let beside_exclusion = plan_of(&format!("{long} -orbit"), false).unwrap();
        assert!(beside_exclusion.plan.is_none());
        let fits = "y".repeat(crate::analysis::MAX_TOKEN_BYTES);
        assert!(plan_of(&fits, false).unwrap().too_long.is_empty());
        // Measured as indexed: folded accents fit, a word joined over subscripts does not.
        let folded = plan_of(&"é".repeat(60), false).unwrap();
        assert!(folded.too_long.is_empty() && folded.plan.is_some());
        let joined = plan_of(&"H₂".repeat(60), false).unwrap();
        assert!(joined.plan.is_none() && joined.dropped.is_empty());
        assert_eq!(joined.too_long, [format!("{}…", "H₂".repeat(12))]);
    }

    #[test]
    fn words_are_stemmed_unless_exact_forms_are_asked_for() {
        let stemmed = single_matcher("treaties", false);
        assert_eq!(
            (stemmed.kind, stemmed.terms),
            (MatchKind::Stemmed, vec![(0, "treati".into())])
        );
        let exact = single_matcher("treaties", true);
        assert_eq!(
            (exact.kind, exact.terms),
            (MatchKind::Exact, vec![(0, "treaties".into())])
        );
    }

    #[test]
    fn a_lone_cjk_character_matches_inside_pieces() {
        let m = single_matcher("国", false);
        assert_eq!(
            (m.kind, m.terms),
            (MatchKind::InCjk, vec![(0, "国".into())])
        );
        assert_eq!(single_matcher("中国", false).kind, MatchKind::Stemmed);
    }

    #[test]
    fn a_prefix_of_text_written_without_spaces_is_the_text_found_anywhere() {
        for text in ["テキスト", "한국은", "经济发", "ภาษา", "京", "ト"] {
            let query = format!("{text}*");
            let Some(Plan::Match(m)) = plan_of(&query, false).unwrap().plan else {
                panic!("{query}: one matcher");
            };
            let phrase = plan_of(&format!("\"{text}\""), false).unwrap().plan;
            let Some(Plan::Match(p)) = phrase else {
                panic!("{text}: a phrase");
            };
            assert_eq!((m.kind, &m.terms), (p.kind, &p.terms), "{query}");
        }
        for fuzzy in ["テキスト~1", "京~1", "한국은~1"] {
            let err = plan_of(fuzzy, false).unwrap_err();
            assert!(
                err.message.contains("is not matched against; search"),
                "{}",
                err.message
            );
        }
        // Mixed with letters of spaced scripts, it is still more than one word.
        assert!(plan_of("テキストabc*", false).is_err());
    }

    #[test]
    fn symbols_taken_for_operators_or_names_are_noted() {
        let noted = |query: &str| plan_of(query, false).unwrap().symbols;
        let note = |word: &str, symbol: &str| {
            let negation = word.starts_with(symbol);
            vec![(word.to_string(), symbol.to_string(), negation)]
        };
        assert_eq!(noted("nuclear !treaty"), note("!treaty", "!"));
        assert_eq!(noted("－treaty a"), note("－treaty", "－"));
        assert_eq!(noted("a −treaty"), note("−treaty", "−"));
        assert_eq!(noted("C++ code"), note("C++", "++"));
        assert_eq!(noted("F# C#"), [note("F#", "#"), note("C#", "#")].concat());
        assert_eq!(noted("a –treaty"), note("–treaty", "–"));
        assert_eq!(noted("!!treaty"), note("!!treaty", "!!"));
        assert_eq!(
            noted("C＋＋ C♯"),
            [note("C＋＋", "＋＋"), note("C♯", "♯")].concat()
        );
        for plain in ["why!", "a ! b", "a+b", "x -treaty", "\"C++\"", "−5"] {
            assert_eq!(noted(plain), vec![], "{plain}");
        }
    }

    #[test]
    fn symbols_and_emoji_a_phrase_leaves_out_are_noted() {
        let dropped = |query: &str| plan_of(query, false).unwrap().dropped;
        assert_eq!(dropped("\"I ❤ NY\""), ["❤"]);
        assert_eq!(
            dropped("\"I ❤️ NY\" \"5 € fee\" \"up → down\""),
            ["❤️", "€", "→"]
        );
        assert_eq!(dropped("\"thumbs 👍🏽 up 👍🏽\""), ["👍🏽"]);
        assert_eq!(dropped("\"5 ￥ or 3 ฿ or #️⃣ key\""), ["￥", "฿", "#️⃣"]);
        // Punctuation, a symbol inside a word, and a word with its symbol say nothing.
        for plain in [
            "\"rock & roll\"",
            "\"Washington, D.C.\"",
            "\"I❤NY\"",
            "\"5€ fee\"",
            "\"1953 – 2023\"",
        ] {
            assert_eq!(dropped(plain), Vec::<String>::new(), "{plain}");
        }
    }

    #[test]
    fn a_prefix_is_one_exact_word() {
        let m = single_matcher("Semicond*", false);
        assert_eq!(
            (m.kind, m.terms),
            (MatchKind::Prefix, vec![(0, "semicond".into())])
        );
        let err = plan_of("docs/read*", false).unwrap_err();
        assert_eq!(err.message, "`docs/read*` must be a single word");
        // A hyphenated word: written joined, or its pieces as a phrase.
        let Some(Plan::Or(parts)) = plan_of("e-mail*", false).unwrap().plan else {
            panic!("an OR");
        };
        let matchers: Vec<(MatchKind, Vec<(usize, String)>)> = parts
            .iter()
            .map(|part| match part {
                Plan::Match(m) => (m.kind, m.terms.clone()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            matchers,
            [
                (
                    MatchKind::Stemmed,
                    vec![(0, "e".into()), (1, "mail".into())]
                ),
                (MatchKind::Prefix, vec![(0, "email".into())]),
            ]
        );
        let Some(Plan::Or(parts)) = plan_of("e-mal~1", true).unwrap().plan else {
            panic!("an OR");
        };
        assert!(matches!(&parts[1], Plan::Match(m) if m.kind == MatchKind::Fuzzy(1)));
        assert!(matches!(&parts[0], Plan::Match(m) if m.kind == MatchKind::Exact));
    }

    #[test]
    fn fuzzy_words_and_sloppy_phrases_keep_their_labels() {
        let m = single_matcher("Pyongyng~1", false);
        assert_eq!(
            (m.kind, m.terms),
            (MatchKind::Fuzzy(1), vec![(0, "pyongyng".into())])
        );
        let m = single_matcher("\"alliance modern\"~3", false);
        assert_eq!((m.slop, m.label.as_str()), (3, "\"alliance modern\"~3"));
    }
}
