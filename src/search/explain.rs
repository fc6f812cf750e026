//! Why a hit ranks where it does (`--explain`): the score's breakdown as tantivy computes it,
//! BM25 per query word (the word's frequency in the paragraph, how many paragraphs hold it,
//! the paragraph's length against the average), summed over the query's parts.

use serde::{Deserialize, Serialize};
use tantivy::query::Weight;
use tantivy::{DocAddress, Searcher};

use crate::error::Result;

/// One node of a score's breakdown: a value, what it is, and the values it is made of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The value of this part of the score.
    pub value: f32,
    /// What it is (`TermQuery`, `idf, computed as ...`, `freq, occurrences of term within
    /// document` ...).
    pub description: String,
    /// The values it is computed from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<Explanation>,
    /// Context tantivy adds (the term explained).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<String>,
}

/// The breakdown of the score of the document at `address` for the query of `weight`.
pub(super) fn explain(
    weight: &dyn Weight,
    searcher: &Searcher,
    address: DocAddress,
) -> Result<Explanation> {
    let segment = searcher.segment_reader(address.segment_ord);
    let explained = weight.explain(segment, address.doc_id)?;
    // tantivy's explanation has no accessors but is serialisable: it is read back as ours.
    let unreadable = |e: serde_json::Error| {
        tantivy::TantivyError::InternalError(format!("score explanation: {e}"))
    };
    let value = serde_json::to_value(&explained).map_err(unreadable)?;
    let mut explanation: Explanation = serde_json::from_value(value).map_err(unreadable)?;
    explanation.name_terms();
    Ok(explanation)
}

impl Explanation {
    /// Context naming a term as tantivy debugs it (`Term=Term(field=8, type=Str, "nuclear")`)
    /// reads `term "nuclear"` (field numbers mean nothing to a user), all the way down.
    fn name_terms(&mut self) {
        for context in &mut self.context {
            let quoted = context
                .strip_prefix("Term=Term(")
                .and_then(|rest| rest.find('"').map(|at| &rest[at..]))
                .map(|text| text.trim_end_matches(')'));
            if let Some(text) = quoted {
                *context = format!("term {text}");
            }
        }
        for detail in &mut self.details {
            detail.name_terms();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_named_by_their_text() {
        let mut explanation = Explanation {
            value: 1.0,
            description: "sum".into(),
            details: vec![Explanation {
                value: 1.0,
                description: "TermQuery".into(),
                details: Vec::new(),
                context: vec!["Term=Term(field=8, type=Str, \"nuclear\")".into()],
            }],
            context: Vec::new(),
        };
        explanation.name_terms();
        assert_eq!(explanation.details[0].context, ["term \"nuclear\""]);
    }
}
