//! Using parafind as a library: build an index from a folder, run a query, and read the same
//! `Hit` values the `parafind` command prints.
//!
//! Run with `cargo run --example search_library -- [FOLDER] [QUERY]` (defaults: `corpus` and
//! `"nuclear deterrence"`); the index is built in a temporary directory.

use std::path::PathBuf;

use parafind::index::{self, IngestOptions};
use parafind::search::{SearchConfig, Session};

fn main() -> parafind::Result<()> {
    let mut args = std::env::args().skip(1);
    let folder = PathBuf::from(args.next().unwrap_or_else(|| "corpus".into()));
    let query = args.next().unwrap_or_else(|| "nuclear deterrence".into());

    // # Ingest: one tantivy document per paragraph, committed at the end.
    let index_dir = std::env::temp_dir().join(format!("parafind-example-{}", std::process::id()));
    let index = index::open_or_create(&index_dir)?;
    let report = index::ingest(&index, &IngestOptions::new(vec![folder]))?;
    println!(
        "indexed {} paragraphs from {} files",
        report.paragraphs, report.added
    );

    // # Search: a session keeps the index open for any number of queries.
    let mut session = Session::new(&index)?;
    let mut config = SearchConfig::new(query, 5);
    config.context_after = 1;
    let results = session.search(&config)?;
    println!("{} matching paragraphs", results.total);
    for hit in &results.hits {
        let marked: Vec<&str> = hit
            .highlights
            .iter()
            .map(|h| &hit.text[h.range.clone()])
            .collect();
        println!(
            "#{} {:.2} ¶{} (line {}) of {}: {:?}",
            hit.rank,
            hit.score,
            hit.paragraph,
            hit.line,
            hit.display_path(),
            marked
        );
    }
    let _ = std::fs::remove_dir_all(&index_dir);
    Ok(())
}
