//! JSON Lines collections (`ingest --jsonl`): each line is a record `{"id", "title", "text"}`
//! (BEIR's `_id` is accepted for `id`), and each record is a document of its own whose paragraphs
//! are found in `text`. Offsets of its passages are offsets into that `text`.

use serde::Deserialize;

use super::{parse, Format, Parsed};
use crate::warning::FileProblem;

/// One record of a JSON Lines file.
#[derive(Debug, Deserialize)]
struct Record {
    #[serde(alias = "_id")]
    id: serde_json::Value,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: String,
}

/// A record, parsed.
#[derive(Debug)]
pub struct Document {
    /// The record's id, as text.
    pub id: String,
    /// Its passages and title.
    pub parsed: Parsed,
}

/// Reads the records of a JSON Lines text; a line that is not a record gives a
/// [`FileProblem::BadRecord`] naming its line, and the others are still read. Ids are unique:
/// when an id comes again, the later record replaces the earlier one (last wins, as a
/// re-ingest would), with a [`FileProblem::RepeatedRecord`] naming both lines.
pub fn documents(text: &str) -> (Vec<Document>, Vec<FileProblem>) {
    let mut documents: Vec<Option<Document>> = Vec::new();
    let mut first_seen: std::collections::HashMap<String, (usize, usize)> = Default::default();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Record>(line) {
            Ok(record) => {
                let id = match record.id {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                if let Some((slot, line_number)) = first_seen.get(&id).copied() {
                    documents[slot] = None;
                    errors.push(FileProblem::RepeatedRecord {
                        line: i + 1,
                        id: id.clone(),
                        earlier: line_number,
                    });
                }
                first_seen.insert(id.clone(), (documents.len(), i + 1));
                let mut parsed = parse(Format::Plain, &record.text);
                parsed.title = record.title.filter(|t| !t.trim().is_empty());
                documents.push(Some(Document { id, parsed }));
            }
            Err(err) => errors.push(FileProblem::BadRecord {
                line: i + 1,
                reason: err.to_string(),
            }),
        }
    }
    (documents.into_iter().flatten().collect(), errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_become_documents() {
        let text = "{\"_id\": \"4983\", \"title\": \"Microstructural development\", \"text\": \"Alterations of the architecture.\\n\\nSecond part.\"}\n\n{\"id\": 7, \"text\": \"x\"}\nnot json\n";
        let (docs, errors) = documents(text);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "4983");
        assert_eq!(
            docs[0].parsed.title.as_deref(),
            Some("Microstructural development")
        );
        assert_eq!(docs[0].parsed.passages.len(), 2);
        assert_eq!(docs[1].id, "7");
        assert_eq!(errors.len(), 1);
        assert!(matches!(errors[0], FileProblem::BadRecord { line: 4, .. }));
    }

    #[test]
    fn a_repeated_id_keeps_the_last_record() {
        let text = "{\"id\": \"a\", \"text\": \"first\"}\n{\"id\": \"b\", \"text\": \"other\"}\n{\"id\": \"a\", \"text\": \"second\"}\n{\"id\": \"a\", \"text\": \"third\"}\n";
        let (docs, errors) = documents(text);
        let kept: Vec<(&str, &str)> = docs
            .iter()
            .map(|d| (d.id.as_str(), d.parsed.passages[0].text.as_str()))
            .collect();
        assert_eq!(kept, [("b", "other"), ("a", "third")]);
        let messages: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            messages,
            [
                "line 3: record id \"a\" is also on line 1; the later record replaces the earlier",
                "line 4: record id \"a\" is also on line 3; the later record replaces the earlier",
            ]
        );
    }
}
