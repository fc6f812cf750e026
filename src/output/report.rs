//! Printing an ingest's report: for people, a line per file warned about or not read and one
//! closing sentence (the binary sends them to stderr); for programs, JSON Lines records
//! `warning` and `failure`, one per file concerned, then an `ingest` summary (see
//! `docs/json.md`).

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::json::{display, file_ref, write_record, FileRef, SCHEMA_VERSION};
use super::{one_line, sanitize_name, PathDisplay};
use crate::index::{lookup_key, IngestReport, RemoveReport};
use crate::warning::{FileProblem, FileWarning};

/// The JSON Lines records of an ingest.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Record<'a> {
    /// A file skipped or read only in part.
    Warning {
        #[serde(flatten)]
        file: FileRef<'a>,
        #[serde(serialize_with = "display")]
        message: &'a FileProblem,
    },
    /// Something wrong with the index itself (its path order not recorded, its segments not
    /// merged): named by the index directory, which is no file of the index's.
    #[serde(rename = "warning")]
    IndexWarning {
        #[serde(serialize_with = "display")]
        path: std::path::Display<'a>,
        #[serde(serialize_with = "display")]
        message: &'a FileProblem,
    },
    /// A file that could not be read.
    Failure {
        #[serde(flatten)]
        file: FileRef<'a>,
        message: String,
    },
    /// What the ingest did, last.
    Ingest {
        schema: u32,
        #[serde(serialize_with = "display")]
        index: std::path::Display<'a>,
        added: u64,
        updated: u64,
        removed: u64,
        unchanged: u64,
        skipped: u64,
        paragraphs: u64,
        bytes: u64,
        seconds: f64,
        committed: bool,
        warnings: usize,
        failures: usize,
    },
    /// What a removal did.
    Remove {
        schema: u32,
        #[serde(serialize_with = "display")]
        index: std::path::Display<'a>,
        removed: u64,
        paragraphs: u64,
        seconds: f64,
        warnings: usize,
        /// The paths (as named) that `refresh` and `watch` now leave out.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        left_out: Vec<String>,
    },
}

/// How an ingest's report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// Lines for people; binary files skipped are counted, and listed only when `verbose`.
    Text {
        /// List every binary file skipped too.
        verbose: bool,
    },
    /// JSON Lines records, every file concerned included.
    Json,
}

/// Prints the report of an ingest into the index at `dir`: as JSON Lines, or as lines for people
/// (`parafind: warning: PATH: ...`, `parafind: PATH: ...` for a file not read, then
/// `parafind: ingested ...`), each one line of terminal-safe text.
pub fn ingest(
    out: &mut impl Write,
    dir: &Path,
    report: &IngestReport,
    format: ReportFormat,
) -> io::Result<()> {
    let verbose = match format {
        ReportFormat::Json => return ingest_records(out, dir, report),
        ReportFormat::Text { verbose } => verbose,
    };
    file_problems(out, report, verbose)?;
    let documents = report.added + report.updated;
    let skipped = match report.skipped {
        0 => String::new(),
        n if verbose => format!(", {n} skipped"),
        n => format!(", {n} skipped: empty, binary or unreadable, --verbose lists them"),
    };
    // Files and records are counted apart (`2 files and 3 records`).
    let files = documents.saturating_sub(report.records);
    let ingested = match (files, report.records) {
        (_, 0) => format!("{files} file{}", plural(files)),
        (0, records) => format!("{records} record{}", plural(records)),
        (files, records) => format!(
            "{files} file{} and {records} record{}",
            plural(files),
            plural(records)
        ),
    };
    writeln!(
        out,
        "parafind: ingested {ingested}, {} paragraph{}, {} read in {:.2} s into {} \
         ({} added, {} updated, {} removed, {} unchanged{skipped})",
        report.paragraphs,
        plural(report.paragraphs),
        human_bytes(report.bytes),
        report.seconds,
        one_line(&dir.display().to_string()),
        report.added,
        report.updated,
        report.removed,
        report.unchanged,
    )
}

/// The files an ingest skipped, read in part or could not read, one line each for people
/// (`parafind: warning: PATH: ...`, `parafind: PATH: ...`; binary files only when `verbose`):
/// what `ingest` prints before its sentence, and `watch` before each commit's line.
pub fn file_problems(out: &mut impl Write, report: &IngestReport, verbose: bool) -> io::Result<()> {
    let listed = |w: &&FileWarning| verbose || w.problem != FileProblem::BinaryFile;
    warning_lines(out, report.warnings.iter().filter(listed))?;
    let paths = current_dir_paths();
    for failure in &report.failures {
        file_line(
            out,
            "",
            &file_name(&paths, &failure.path),
            &failure.message(),
        )?;
    }
    Ok(())
}

/// One `parafind: warning: PATH: PROBLEM` line per warning, terminal-safe; a file named as
/// JSON records name it (relative to the current directory under it, else absolute), however
/// the run met it (`refresh` meets remembered directories' files by absolute paths).
fn warning_lines<'a>(
    out: &mut impl Write,
    warnings: impl Iterator<Item = &'a FileWarning>,
) -> io::Result<()> {
    let paths = current_dir_paths();
    for warning in warnings {
        if warning.problem.is_about_the_index() {
            let index = warning.path.display().to_string();
            file_line(out, "warning: ", &index, &warning.problem)?;
            continue;
        }
        file_line(
            out,
            "warning: ",
            &file_name(&paths, &warning.path),
            &warning.problem,
        )?;
    }
    Ok(())
}

/// A file's name on a line, as JSON records give it; none for a problem that named no file (a
/// walk error without a path), which would otherwise read as the current directory.
fn file_name(paths: &PathDisplay, path: &Path) -> String {
    if path.as_os_str().is_empty() {
        return String::new();
    }
    paths.show(&lookup_key(path)).to_string()
}

/// `parafind: KIND PATH: WHAT` as one line of terminal-safe text.
fn file_line(
    out: &mut impl Write,
    kind: &str,
    path: &str,
    what: &dyn std::fmt::Display,
) -> io::Result<()> {
    let line = format!("{}: {what}", sanitize_name(path));
    writeln!(out, "parafind: {kind}{}", one_line(&line))
}

/// Paths shown relative to the current directory, as the search printers show them: a
/// `warning` or `failure` record names its file by its key (`lookup_key` of the path as the
/// walk met it) as every record about a file does, so that a script can match it with `list`
/// and hits.
fn current_dir_paths() -> PathDisplay {
    PathDisplay::under(std::env::current_dir().ok())
}

/// One `warning` record per warning.
fn warning_records(out: &mut impl Write, warnings: &[FileWarning]) -> io::Result<()> {
    let paths = current_dir_paths();
    for warning in warnings {
        if warning.problem.is_about_the_index() {
            let record = Record::IndexWarning {
                path: warning.path.display(),
                message: &warning.problem,
            };
            write_record(out, &record)?;
            continue;
        }
        let key = lookup_key(&warning.path);
        let record = Record::Warning {
            file: file_ref(&paths, &key),
            message: &warning.problem,
        };
        write_record(out, &record)?;
    }
    Ok(())
}

fn ingest_records(out: &mut impl Write, dir: &Path, report: &IngestReport) -> io::Result<()> {
    warning_records(out, &report.warnings)?;
    let paths = current_dir_paths();
    for failure in &report.failures {
        let key = lookup_key(&failure.path);
        let record = Record::Failure {
            file: file_ref(&paths, &key),
            message: failure.message(),
        };
        write_record(out, &record)?;
    }
    let summary = Record::Ingest {
        schema: SCHEMA_VERSION,
        index: dir.display(),
        added: report.added,
        updated: report.updated,
        removed: report.removed,
        unchanged: report.unchanged,
        skipped: report.skipped,
        paragraphs: report.paragraphs,
        bytes: report.bytes,
        seconds: round_seconds(report.seconds),
        committed: report.committed,
        warnings: report.warnings.len(),
        failures: report.failures.len(),
    };
    write_record(out, &summary)
}

/// Seconds to the microsecond, as the decimal JSON shows (`0.043985`): divided once, so that
/// the number is the one nearest that decimal (rounding the milliseconds and dividing again
/// printed `0.043984999999999996`).
fn round_seconds(seconds: f64) -> f64 {
    (seconds * 1e6).round() / 1e6
}

/// Prints the report of a removal from the index at `dir`: one `remove` record, or one line.
pub fn removal(
    out: &mut impl Write,
    dir: &Path,
    report: &RemoveReport,
    json: bool,
) -> io::Result<()> {
    let seconds = round_seconds(report.seconds);
    if json {
        warning_records(out, &report.warnings)?;
        let record = Record::Remove {
            schema: SCHEMA_VERSION,
            index: dir.display(),
            removed: report.removed,
            paragraphs: report.paragraphs,
            seconds,
            warnings: report.warnings.len(),
            left_out: (report.left_out.iter())
                .map(|path| path.display().to_string())
                .collect(),
        };
        return write_record(out, &record);
    }
    warning_lines(out, report.warnings.iter())?;
    writeln!(
        out,
        "parafind: removed {} file{} ({} paragraph{}) from {} in {:.2} s",
        report.removed,
        plural(report.removed),
        report.paragraphs,
        plural(report.paragraphs),
        one_line(&dir.display().to_string()),
        report.seconds,
    )?;
    if report.left_out.is_empty() {
        return Ok(());
    }
    let named: Vec<String> = (report.left_out.iter())
        .map(|path| one_line(&path.display().to_string()))
        .collect();
    writeln!(
        out,
        "parafind: refresh and watch now leave out {} (removed from under a directory the \
         index remembers); ingest a path by name to take it back",
        named.join(", "),
    )
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Bytes in decimal units, one decimal place above 1000 bytes (`5.3 KB`).
fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_print_as_their_decimal() {
        for (seconds, shown) in [
            (0.043984999999999996, "0.043985"),
            (1.5, "1.5"),
            (0.0000004, "0.0"),
        ] {
            assert_eq!(
                serde_json::to_string(&round_seconds(seconds)).unwrap(),
                shown
            );
        }
    }
    use crate::warning::{Failure, FileWarning};

    fn report() -> IngestReport {
        IngestReport {
            added: 1,
            updated: 2,
            removed: 3,
            records: 0,
            unchanged: 4,
            restamped: 0,
            skipped: 5,
            paragraphs: 14,
            bytes: 5317,
            seconds: 0.031_250_4,
            committed: true,
            warnings: vec![FileWarning {
                path: "docs/b.bin".into(),
                problem: FileProblem::BinaryFile,
            }],
            failures: vec![Failure {
                path: "docs/c\nd.txt".into(),
                error: io::Error::from(io::ErrorKind::PermissionDenied),
            }],
        }
    }

    /// The `doc_id` of the file at `path` (relative to the tests' working directory).
    fn id_of(path: &str) -> String {
        crate::index::doc_id(&lookup_key(Path::new(path)))
    }

    fn printed(format: ReportFormat) -> String {
        let mut out = Vec::new();
        ingest(&mut out, Path::new("index"), &report(), format).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn json_reports_each_file_concerned_then_the_totals() {
        assert_eq!(
            printed(ReportFormat::Json),
            format!(
                "{{\"type\":\"warning\",\"path\":\"docs/b.bin\",\"doc_id\":\"{}\",\
                 \"message\":\"binary file (contains NUL bytes), skipped\"}}\n\
                 {{\"type\":\"failure\",\"path\":\"docs/c\\nd.txt\",\"doc_id\":\"{}\",\
                 \"message\":\"permission denied\"}}\n\
                 {{\"type\":\"ingest\",\"schema\":3,\"index\":\"index\",\"added\":1,\"updated\":2,\
                 \"removed\":3,\"unchanged\":4,\"skipped\":5,\"paragraphs\":14,\"bytes\":5317,\
                 \"seconds\":0.03125,\"committed\":true,\"warnings\":1,\"failures\":1}}\n",
                id_of("docs/b.bin"),
                id_of("docs/c\nd.txt")
            )
        );
    }

    #[test]
    fn people_get_one_line_per_file_and_a_sentence() {
        assert_eq!(
            printed(ReportFormat::Text { verbose: true }),
            "parafind: warning: docs/b.bin: binary file (contains NUL bytes), skipped\n\
             parafind: docs/c\\u{a}d.txt: permission denied\n\
             parafind: ingested 3 files, 14 paragraphs, 5.3 KB read in 0.03 s into index \
             (1 added, 2 updated, 3 removed, 4 unchanged, 5 skipped)\n"
        );
    }

    #[test]
    fn binary_files_are_only_counted_unless_verbose() {
        assert_eq!(
            printed(ReportFormat::Text { verbose: false }),
            "parafind: docs/c\\u{a}d.txt: permission denied\n\
             parafind: ingested 3 files, 14 paragraphs, 5.3 KB read in 0.03 s into index \
             (1 added, 2 updated, 3 removed, 4 unchanged, 5 skipped: empty, binary or unreadable, \
             --verbose lists them)\n"
        );
    }

    #[test]
    fn a_removal_reports_its_warnings_before_its_summary() {
        let report = RemoveReport {
            removed: 2,
            paragraphs: 31,
            seconds: 0.041,
            warnings: vec![FileWarning {
                path: "index".into(),
                problem: FileProblem::OrderNotRecorded {
                    reason: "disk full".into(),
                },
            }],
            left_out: Vec::new(),
        };
        let printed = |json| {
            let mut out = Vec::new();
            removal(&mut out, Path::new("index"), &report, json).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            printed(true),
            "{\"type\":\"warning\",\"path\":\"index\",\"message\":\"the change was committed, \
             but which segments hold files in path order was not recorded (disk full); searches \
             read paths instead\"}\n\
             {\"type\":\"remove\",\"schema\":3,\"index\":\"index\",\"removed\":2,\
             \"paragraphs\":31,\"seconds\":0.041,\"warnings\":1}\n"
        );
        assert_eq!(
            printed(false),
            "parafind: warning: index: the change was committed, but which segments hold files \
             in path order was not recorded (disk full); searches read paths instead\n\
             parafind: removed 2 files (31 paragraphs) from index in 0.04 s\n"
        );
    }
}
