//! Printing what the inspection commands return: `stats`, `list` and `show`, as text for people
//! or as JSON Lines (records `stats`, `indexed_file` and `paragraph`, see `docs/json.md`).

use std::io::{self, Write};
use std::path::Path;

use anstyle::Style;
use serde_json::{json, Value};

use super::json::{file_fields, paragraph_record, write_record, SCHEMA_VERSION};
use super::{sanitize, utc_time, PathDisplay};
use crate::index::{FileEntry, IndexStats, IngestReport};
use crate::search::Context;

use super::styles::{CONTEXT, LOCATION, PATH};

/// Prints index statistics.
pub fn stats(out: &mut impl Write, dir: &Path, stats: &IndexStats, json: bool) -> io::Result<()> {
    let last_ingest = stats
        .last_ingest
        .map(|s| utc_time(s.saturating_mul(1_000_000_000)));
    if json {
        return write_record(
            out,
            &json!({
                "type": "stats",
                "schema": SCHEMA_VERSION,
                "index": dir.display().to_string(),
                "files": stats.files,
                "paragraphs": stats.paragraphs,
                "terms": stats.terms,
                "index_bytes": stats.index_bytes,
                "segments": stats.segments,
                "analyzer_version": stats.analyzer_version,
                "schema_version": stats.schema_version,
                "last_ingest": stats.last_ingest,
            }),
        );
    }
    let shown = sanitize(&dir.display().to_string()).into_owned();
    writeln!(out, "index:            {shown}")?;
    writeln!(out, "files:            {}", stats.files)?;
    writeln!(out, "paragraphs:       {}", stats.paragraphs)?;
    writeln!(out, "terms:            {}", stats.terms)?;
    writeln!(out, "index bytes:      {}", stats.index_bytes)?;
    writeln!(out, "segments:         {}", stats.segments)?;
    writeln!(out, "analyzer version: {}", stats.analyzer_version)?;
    writeln!(out, "schema version:   {}", stats.schema_version)?;
    writeln!(
        out,
        "last ingest:      {}",
        last_ingest.map_or_else(|| "unknown".to_string(), |t| format!("{t} UTC"))
    )
}

/// Prints the indexed files.
pub fn files(
    out: &mut impl Write,
    files: &[FileEntry],
    paths: &PathDisplay,
    json: bool,
) -> io::Result<()> {
    for file in files {
        if json {
            let mut record = serde_json::Map::new();
            record.insert("type".into(), "indexed_file".into());
            record.extend(file_fields(paths, &file.key));
            record.insert("paragraphs".into(), file.paragraphs.into());
            record.insert("size".into(), file.size.into());
            record.insert("modified_ns".into(), file.mtime_ns.into());
            write_record(out, &Value::Object(record))?;
        } else {
            let shown = sanitize(paths.show(&file.key)).into_owned();
            writeln!(
                out,
                "{:>8}  {}  {PATH}{shown}{PATH:#}",
                file.paragraphs,
                utc_time(file.mtime_ns)
            )?;
        }
    }
    Ok(())
}

/// Prints stored paragraphs of one file; `focus` is the paragraph asked for (others are context).
pub fn paragraphs(
    out: &mut impl Write,
    key: &str,
    paragraphs: &[Context],
    focus: Option<u64>,
    paths: &PathDisplay,
    json: bool,
) -> io::Result<()> {
    if json {
        for paragraph in paragraphs {
            let mut record = paragraph_record(paths, key, paragraph);
            if focus.is_some_and(|f| f != paragraph.paragraph) {
                record["type"] = "context".into();
            }
            write_record(out, &record)?;
        }
        return Ok(());
    }
    let shown = sanitize(paths.show(key)).into_owned();
    writeln!(out, "{PATH}{shown}{PATH:#}")?;
    for paragraph in paragraphs {
        let is_context = focus.is_some_and(|f| f != paragraph.paragraph);
        let (style, separator) = if is_context {
            (CONTEXT, '-')
        } else {
            (LOCATION, ':')
        };
        let text_style = if is_context { CONTEXT } else { Style::new() };
        writeln!(
            out,
            "{style}¶{}, line {}{separator}{style:#} {text_style}{}{text_style:#}",
            paragraph.paragraph,
            paragraph.line,
            sanitize(&paragraph.text)
        )?;
    }
    Ok(())
}

/// Prints an ingest report as JSON Lines: a `warning` or `failure` record per file concerned,
/// then an `ingest` summary.
pub fn ingest_report(out: &mut impl Write, dir: &Path, report: &IngestReport) -> io::Result<()> {
    for warning in &report.warnings {
        write_record(
            out,
            &json!({
                "type": "warning",
                "path": warning.path.to_string_lossy(),
                "message": warning.problem.to_string(),
            }),
        )?;
    }
    for failure in &report.failures {
        write_record(
            out,
            &json!({
                "type": "failure",
                "path": failure.path.to_string_lossy(),
                "message": failure.error.to_string(),
            }),
        )?;
    }
    write_record(
        out,
        &json!({
            "type": "ingest",
            "schema": SCHEMA_VERSION,
            "index": dir.display().to_string(),
            "added": report.added,
            "updated": report.updated,
            "removed": report.removed,
            "unchanged": report.unchanged,
            "skipped": report.skipped,
            "paragraphs": report.paragraphs,
            "bytes": report.bytes,
            "seconds": super::round_ms(report.seconds * 1000.0) / 1000.0,
            "committed": report.committed,
            "warnings": report.warnings.len(),
            "failures": report.failures.len(),
        }),
    )
}
