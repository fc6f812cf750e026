//! Prints the paragraphs parafind reads from one file, as its ingest reads them (the same
//! `corpus::read`), one per line; a PDF's pages end with a form feed, as `pdftotext` ends
//! them. `bench/documents.sh` compares this text with pdftotext's and pandoc's.
//!
//! `cargo run --release --example extract -- FILE`

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use parafind::corpus::{self, Content, ParseOptions};

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: extract FILE");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            return ExitCode::from(2);
        }
    };
    let parsed = match corpus::read(&path, bytes, ParseOptions::default()) {
        Content::Document { parsed, damaged } => {
            if let Some(reason) = damaged {
                eprintln!("{}: {reason}", path.display());
            }
            parsed
        }
        Content::Text { format, text, .. } => corpus::parse(format, &text),
        Content::Binary => {
            eprintln!("{}: binary", path.display());
            return ExitCode::from(1);
        }
        Content::Unreadable(reason) => {
            eprintln!("{}: {reason}", path.display());
            return ExitCode::from(1);
        }
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let mut page = 1;
    for paragraph in &parsed.paragraphs {
        if let Some(place) = paragraph.page {
            while page < place.page {
                let _ = out.write_all(b"\x0c");
                page += 1;
            }
        }
        if writeln!(out, "{}", paragraph.text).is_err() {
            return ExitCode::from(1);
        }
    }
    let _ = out.write_all(b"\x0c");
    let _ = out.flush();
    ExitCode::SUCCESS
}
