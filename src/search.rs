//! Searching: compiling a query [`Plan`] into a tantivy query, ranking paragraphs by BM25 (ties
//! broken by path, then paragraph number, so results are deterministic) and turning the top
//! documents into [`Hit`]s with their highlight ranges. Nothing here formats output.

use std::ops::Bound;

use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue, SortByString};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, FuzzyTermQuery, Occur, PhraseQuery, Query as TantivyQuery, RangeQuery,
    RegexQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

use crate::analysis::Analysis;
use crate::error::{Error, Result};
use crate::highlight::{self, Highlight};
use crate::index::{schema, Fields, ParaIndex};
use crate::query::{self, AnalyzeOptions, MatchKind, Matcher, Plan, QueryError};

/// What to search for.
#[derive(Debug, Clone)]
pub struct SearchConfig {
    /// The query, in parafind's syntax (see [`crate::query`]).
    pub query: String,
    /// How many hits to return at most (0 returns none, but still counts matches).
    pub limit: usize,
    /// Match exact word forms instead of English stems.
    pub exact: bool,
    /// Neighbouring paragraphs to return before each hit.
    pub context_before: usize,
    /// Neighbouring paragraphs to return after each hit.
    pub context_after: usize,
}

impl SearchConfig {
    /// A configuration with default options: stemmed words, no context.
    pub fn new(query: impl Into<String>, limit: usize) -> SearchConfig {
        SearchConfig {
            query: query.into(),
            limit,
            exact: false,
            context_before: 0,
            context_after: 0,
        }
    }
}

/// A paragraph shown around a hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// 1-based paragraph number in the file.
    pub paragraph: u64,
    /// 1-based line where the paragraph starts.
    pub line: u64,
    /// Byte offset of the paragraph's start in the file.
    pub byte_offset: u64,
    /// The whole paragraph.
    pub text: String,
}

/// One matching paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// 1-based rank in the results.
    pub rank: usize,
    /// BM25 score.
    pub score: f32,
    /// Canonical absolute path of the file, as stored in the index.
    pub path: String,
    /// 1-based paragraph number in the file.
    pub paragraph: u64,
    /// 1-based line where the paragraph starts.
    pub line: u64,
    /// Byte offset of the paragraph's start in the file.
    pub byte_offset: u64,
    /// The whole paragraph.
    pub text: String,
    /// Matched spans of `text`: sorted, non-overlapping, on character boundaries.
    pub highlights: Vec<Highlight>,
    /// Paragraphs just before this one in the file (when context was asked for), in order.
    pub before: Vec<Context>,
    /// Paragraphs just after this one in the file, in order.
    pub after: Vec<Context>,
}

/// The answer to a query.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// The best hits, best first.
    pub hits: Vec<Hit>,
    /// How many paragraphs match in all.
    pub total: u64,
    /// Query words that held no searchable term and were ignored.
    pub dropped: Vec<String>,
}

/// Runs a query against an open index.
pub fn search(index: &ParaIndex, config: &SearchConfig) -> Result<SearchResults> {
    let parsed = query::parse(&config.query)?;
    let mut analysis = Analysis::new();
    let options = AnalyzeOptions {
        exact: config.exact,
    };
    let analyzed = query::analyze(&config.query, &parsed, &mut analysis, options)?;
    let Some(plan) = analyzed.plan else {
        return Err(Error::Query(QueryError {
            query: config.query.clone(),
            column: 0,
            message: "it has no searchable words".into(),
        }));
    };
    let compiled = compile(&plan, index.fields)?;
    let reader = index.index.reader()?;
    let searcher = reader.searcher();
    let (total, top) = if config.limit == 0 {
        (searcher.search(&*compiled, &Count)?, Vec::new())
    } else {
        let ranked = TopDocs::with_limit(config.limit).order_by((
            (SortBySimilarityScore, Order::Desc),
            (SortByString::for_field(schema::PATH), Order::Asc),
            (
                SortByStaticFastValue::<u64>::for_field(schema::PARAGRAPH),
                Order::Asc,
            ),
        ));
        let (total, top) = searcher.search(&*compiled, &(Count, ranked))?;
        let top = top
            .into_iter()
            .map(|((score, _, _), address)| (score, address))
            .collect();
        (total, top)
    };
    let mut hits = Vec::with_capacity(top.len());
    for (i, (score, address)) in top.into_iter().enumerate() {
        let mut hit = load_hit(&searcher, index.fields, address)?;
        hit.rank = i + 1;
        hit.score = score;
        hit.highlights = highlight::highlights(&mut analysis, &plan, &hit.text);
        if config.context_before > 0 || config.context_after > 0 {
            (hit.before, hit.after) = neighbours(&searcher, index.fields, &hit, config)?;
        }
        hits.push(hit);
    }
    Ok(SearchResults {
        hits,
        total: total as u64,
        dropped: analyzed.dropped,
    })
}

/// A stored paragraph: its path and where it sits in the file.
fn load_paragraph(
    searcher: &Searcher,
    fields: Fields,
    address: DocAddress,
) -> Result<(String, Context)> {
    let doc: TantivyDocument = searcher.doc(address)?;
    let text_of = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let number_of = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
    let paragraph = Context {
        paragraph: number_of(fields.paragraph),
        line: number_of(fields.line),
        byte_offset: number_of(fields.byte_offset),
        text: text_of(fields.text),
    };
    Ok((text_of(fields.path), paragraph))
}

/// Reads a hit's stored fields (rank, score, highlights and context are left for the caller).
fn load_hit(searcher: &Searcher, fields: Fields, address: DocAddress) -> Result<Hit> {
    let (path, p) = load_paragraph(searcher, fields, address)?;
    Ok(Hit {
        rank: 0,
        score: 0.0,
        path,
        paragraph: p.paragraph,
        line: p.line,
        byte_offset: p.byte_offset,
        text: p.text,
        highlights: Vec::new(),
        before: Vec::new(),
        after: Vec::new(),
    })
}

/// The paragraphs of the hit's file just before and just after it.
fn neighbours(
    searcher: &Searcher,
    fields: Fields,
    hit: &Hit,
    config: &SearchConfig,
) -> Result<(Vec<Context>, Vec<Context>)> {
    let first = hit
        .paragraph
        .saturating_sub(config.context_before as u64)
        .max(1);
    let last = hit.paragraph.saturating_add(config.context_after as u64);
    let in_file = TermQuery::new(
        Term::from_field_text(fields.path, &hit.path),
        IndexRecordOption::Basic,
    );
    let in_range = RangeQuery::new(
        Bound::Included(Term::from_field_u64(fields.paragraph, first)),
        Bound::Included(Term::from_field_u64(fields.paragraph, last)),
    );
    let query = BooleanQuery::new(vec![
        (Occur::Must, Box::new(in_file) as Box<dyn TantivyQuery>),
        (Occur::Must, Box::new(in_range)),
    ]);
    let wanted = usize::try_from(last - first + 1).unwrap_or(usize::MAX);
    let by_number = TopDocs::with_limit(wanted.max(1))
        .order_by_fast_field::<u64>(schema::PARAGRAPH, Order::Asc);
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for (_, address) in searcher.search(&query, &by_number)? {
        let (_, paragraph) = load_paragraph(searcher, fields, address)?;
        match paragraph.paragraph.cmp(&hit.paragraph) {
            std::cmp::Ordering::Less => before.push(paragraph),
            std::cmp::Ordering::Greater => after.push(paragraph),
            std::cmp::Ordering::Equal => {}
        }
    }
    Ok((before, after))
}

/// Compiles a plan into a tantivy query over the text fields.
fn compile(plan: &Plan, fields: Fields) -> Result<Box<dyn TantivyQuery>> {
    Ok(match plan {
        Plan::Match(matcher) => compile_matcher(matcher, fields)?,
        Plan::And(parts) => {
            let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::with_capacity(parts.len());
            for part in parts {
                clauses.push(match part {
                    Plan::Not(inner) => (Occur::MustNot, compile(inner, fields)?),
                    other => (Occur::Must, compile(other, fields)?),
                });
            }
            if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                clauses.push((Occur::Must, Box::new(AllQuery)));
            }
            Box::new(BooleanQuery::new(clauses))
        }
        Plan::Or(parts) => {
            let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::with_capacity(parts.len());
            for part in parts {
                clauses.push((Occur::Should, compile(part, fields)?));
            }
            Box::new(BooleanQuery::new(clauses))
        }
        Plan::Not(inner) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(AllQuery)),
            (Occur::MustNot, compile(inner, fields)?),
        ])),
    })
}

fn compile_matcher(matcher: &Matcher, fields: Fields) -> Result<Box<dyn TantivyQuery>> {
    let field = match matcher.kind {
        MatchKind::Stemmed => fields.text,
        MatchKind::Exact | MatchKind::Prefix | MatchKind::Fuzzy(_) => fields.text_exact,
    };
    let single = matcher.terms.first().map_or("", |(_, t)| t.as_str());
    match matcher.kind {
        MatchKind::Prefix => {
            let pattern = format!("{}.*", regex_escape(single));
            return Ok(Box::new(RegexQuery::from_pattern(&pattern, field)?));
        }
        MatchKind::Fuzzy(distance) => {
            let term = Term::from_field_text(field, single);
            return Ok(Box::new(FuzzyTermQuery::new(term, distance, true)));
        }
        MatchKind::Stemmed | MatchKind::Exact => {}
    }
    let mut terms: Vec<(usize, Term)> = matcher
        .terms
        .iter()
        .map(|(offset, text)| (*offset, Term::from_field_text(field, text)))
        .collect();
    if terms.len() == 1 {
        let (_, term) = terms.remove(0);
        return Ok(Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)));
    }
    Ok(Box::new(PhraseQuery::new_with_offset_and_slop(
        terms,
        matcher.slop,
    )))
}

/// Escapes `text` for tantivy's regular-expression syntax.
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~\"<>@".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_escape_neutralises_metacharacters() {
        assert_eq!(regex_escape("3.14"), "3\\.14");
        assert_eq!(regex_escape("don't"), "don't");
        assert_eq!(regex_escape("a(b)*"), "a\\(b\\)\\*");
    }
}
