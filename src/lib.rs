//! parafind: full-text search over paragraphs.
//!
//! Documents are split into paragraphs ([`corpus`]), each paragraph is analysed by the one
//! analyzer (`analysis`) and stored as one tantivy document ([`index`]). A query is parsed into
//! our own syntax tree (`query`), compiled and run against the index ([`search`]), and every hit
//! gets the byte ranges of the words that made it match (`highlight`). Printers ([`output`])
//! turn hits into text for people, JSON Lines or a standalone HTML page; they never query. The
//! batch protocol ([`batch`]) answers queries read one line at a time, for the binary and any
//! program that embeds parafind.
//!
//! ```text
//! corpus (walk, read, split) -> analysis -> index (schema, ingest)
//!     -> query (parse) -> search (Hit) -> highlight (ranges) -> output (human / JSON / HTML)
//! ```
//!
//! All offsets inside the library are UTF-8 byte offsets into the paragraph text.
//!
//! # Example
//!
//! ```
//! use parafind::index::{self, IngestOptions};
//! use parafind::search::{SearchConfig, Session};
//!
//! # fn main() -> parafind::Result<()> {
//! let dir = std::env::temp_dir().join(format!("parafind-doc-{}", std::process::id()));
//! # let _ = std::fs::remove_dir_all(&dir);
//! std::fs::create_dir_all(dir.join("docs"))?;
//! std::fs::write(dir.join("docs/a.txt"), "The treaty was signed.\n\nNothing else.\n")?;
//!
//! let index = index::open_or_create(&dir.join("index"))?;
//! index::ingest(&index, &IngestOptions::new(vec![dir.join("docs")]))?;
//!
//! let mut session = Session::new(&index)?;
//! let results = session.search(&SearchConfig::new("treaties", 10))?;
//! let hit = &results.hits[0];
//! assert_eq!((hit.paragraph, hit.line), (1, 1));
//! assert_eq!(&hit.text[hit.highlights[0].range.clone()], "treaty");
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(())
//! # }
//! ```
//! The analyzer, query parser, highlighter and snippet windows are internal; the `internals`
//! feature makes them public for the fuzz targets and the analyzer benchmark (no stability
//! promise).
#![warn(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]
// Nothing reachable from user input may panic: no unwrap/expect outside tests.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

#[cfg(feature = "internals")]
pub mod analysis;
#[cfg(not(feature = "internals"))]
mod analysis;
pub mod batch;
pub mod corpus;
pub mod error;
#[cfg(feature = "internals")]
pub mod highlight;
#[cfg(not(feature = "internals"))]
mod highlight;
pub mod index;
pub mod output;
#[cfg(feature = "internals")]
pub mod query;
#[cfg(not(feature = "internals"))]
mod query;
pub mod search;
pub mod warning;
pub mod watch;

pub use error::{Error, Result};
pub use highlight::Highlight;
pub use search::{Hit, SearchConfig, SearchResults, StoredParagraph};
