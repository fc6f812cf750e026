//! Integration tests: they drive the real `parafind` binary in a temporary directory
//! (`util::Env`) and decode its JSON Lines output strictly (`util::Record`).

mod analysis;
mod browser;
mod cli;
mod documents;
mod errors;
mod formats;
mod highlight;
mod ingest;
mod interrupted;
mod locations;
mod output;
mod ranking;
mod records;
mod robustness;
mod scripting;
mod search;
mod serve;
mod snapshots;
mod tui;
mod upkeep;
mod util;
