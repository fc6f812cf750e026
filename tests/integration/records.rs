//! Strict decoding of every JSON Lines record type documented in docs/json.md: a missing field,
//! a field of the wrong type, or an undocumented field fails the test. Fields are declared to be
//! checked by decoding, not all of them are read afterwards.
#![allow(dead_code)]

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Highlight {
    pub start: usize,
    pub end: usize,
    pub char_start: usize,
    pub char_end: usize,
    pub term: String,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Record {
    Hit {
        query_id: Option<Value>,
        rank: usize,
        score: f64,
        path: String,
        path_bytes: Option<String>,
        doc_id: String,
        paragraph: u64,
        line: u64,
        byte_offset: u64,
        char_offset: u64,
        text: String,
        section: Option<String>,
        title: Option<String>,
        highlights: Vec<Highlight>,
    },
    Context {
        query_id: Option<Value>,
        rank: usize,
        path: String,
        path_bytes: Option<String>,
        doc_id: String,
        paragraph: u64,
        line: u64,
        byte_offset: u64,
        char_offset: u64,
        text: String,
    },
    File {
        query_id: Option<Value>,
        path: String,
        path_bytes: Option<String>,
        doc_id: String,
        matches: u64,
        score: f64,
    },
    Warning {
        query_id: Option<Value>,
        message: String,
    },
    Error {
        query_id: Option<Value>,
        query: String,
        message: String,
    },
    Summary {
        query_id: Option<Value>,
        schema: u32,
        query: Option<String>,
        hits: Option<usize>,
        files: Option<usize>,
        total: Option<u64>,
        queries: Option<u64>,
        matched: Option<u64>,
        failed: Option<u64>,
        elapsed_ms: f64,
    },
    Stats {
        schema: u32,
        index: String,
        files: u64,
        paragraphs: u64,
        terms: u64,
        index_bytes: u64,
        segments: u64,
        analyzer_version: u32,
        schema_version: u32,
        last_ingest: Option<u64>,
    },
    IndexedFile {
        path: String,
        path_bytes: Option<String>,
        doc_id: String,
        paragraphs: u64,
        size: u64,
        modified_ns: u64,
    },
    Paragraph {
        path: String,
        path_bytes: Option<String>,
        doc_id: String,
        paragraph: u64,
        line: u64,
        byte_offset: u64,
        char_offset: u64,
        text: String,
    },
}

/// Decodes every line of JSON Lines output strictly. A summary is either a query's (with
/// `query`, `hits`, `total`) or a batch's (with `queries`, `matched`, `failed`), never a mix.
pub fn decode(stdout: &[u8]) -> Vec<Record> {
    let text = std::str::from_utf8(stdout).expect("UTF-8 output");
    text.lines()
        .map(|line| {
            let record: Record = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("undocumented record {line}: {e}"));
            if let Record::Summary {
                query,
                hits,
                total,
                queries,
                matched,
                failed,
                ..
            } = &record
            {
                let of_query = query.is_some() && hits.is_some() && total.is_some();
                let of_batch = queries.is_some() && matched.is_some() && failed.is_some();
                assert!(of_query != of_batch, "malformed summary: {line}");
                assert!(
                    of_query || (query.is_none() && hits.is_none() && total.is_none()),
                    "{line}"
                );
                assert!(
                    of_batch || (queries.is_none() && matched.is_none() && failed.is_none()),
                    "{line}"
                );
            }
            record
        })
        .collect()
}

/// The query id of a record, if it has one.
pub fn query_id(record: &Record) -> Option<&Value> {
    match record {
        Record::Hit { query_id, .. }
        | Record::Context { query_id, .. }
        | Record::File { query_id, .. }
        | Record::Warning { query_id, .. }
        | Record::Error { query_id, .. }
        | Record::Summary { query_id, .. } => query_id.as_ref(),
        _ => None,
    }
}
