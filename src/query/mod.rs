//! The query language: parsing what the user typed into a [`Query`] tree, and analysing its words
//! with the one analyzer into a [`Plan`] that search compiles and the highlighter walks.
//!
//! Syntax, loosest binding first:
//! - `a OR b`: either side matches;
//! - `a b`, `a AND b`: both match (words are joined by AND unless `OR` says otherwise), so
//!   `a b OR c` means `(a b) OR c`;
//! - `NOT a`, `-a`: `a` must not match; `+a`: `a` must match (as it does anyway);
//! - `( ... )`: grouping; `"a b c"`: the exact phrase; `"a b"~3`: the words within 3 moves of
//!   the phrase (other words between them, or their order swapped);
//! - `semicond*`: words starting with `semicond`; `Pyongyng~1`: words within 1 edit
//!   (`~` alone allows 2);
//! - `path:GLOB`: only paragraphs of files whose path matches the glob (at the top level only).
//!
//! [`parse_literal`] reads a query as plain words instead, with no operators at all.
//!
//! `AND`, `OR` and `NOT` are operators only in capitals; `and` is a word. A word that the
//! analyzer splits into several terms (`72-year-old`, `U.S.`) matches as a phrase; a word that
//! holds no term at all (`—`) is dropped.

mod plan;
mod stop_words;
pub(crate) mod syntax;

pub(crate) use plan::hyphen_pieces;
pub use plan::{analyze, AnalyzeOptions, MatchKind, Matcher, Plan};
pub use stop_words::is_stop_word;
pub(crate) use syntax::path_glob_bytes;
pub use syntax::{parse_literal, parse_with, split_path_filters, QueryError};
// Used within the crate through their modules; public with the `internals` feature.
#[cfg(feature = "internals")]
pub use plan::Analyzed;
#[cfg(any(test, feature = "internals"))]
pub use syntax::parse;
#[cfg(feature = "internals")]
pub use syntax::{Query, MAX_DEPTH, MAX_FUZZY_DISTANCE, MAX_SLOP, MAX_TERMS, MAX_WORDS};
