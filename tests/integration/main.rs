//! Integration tests: each drives the real `parafind` binary in a temporary directory.

mod analysis;
mod errors;
mod formats;
mod highlight;
mod ingest;
mod interrupted;
mod output;
mod records;
mod robustness;
mod scripting;
mod search;
mod snapshots;
mod util;
