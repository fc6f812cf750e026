//! The commands that keep the index in step with the files: ingest, refresh, remove and
//! watch, each a library call with its progress bar and report.

use std::io;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use parafind::index::{self, IngestOptions, IngestReport, Progress, Stage};
use parafind::output::{self, report::ReportFormat};
use parafind::watch::{self, WatchOptions};

use crate::cli::{IngestArgs, RefreshArgs, RemoveArgs, WatchArgs};
use crate::report::{progress_bar, FAILURE};

pub fn refresh(index_dir: &Path, args: &RefreshArgs) -> Result<ExitCode> {
    let index = index::open_for_update(index_dir)?;
    let bar = progress_bar(!args.json);
    let report = index::refresh_with_progress(&index, &args.options(), &|p: &Progress| {
        show_progress(&bar, p)
    })?;
    bar.finish_and_clear();
    print_ingest_report(index_dir, &report, text_or_json(args.json, false))?;
    Ok(exit_status(&report))
}

/// The report format for `--json` and `--verbose`.
fn text_or_json(json: bool, verbose: bool) -> ReportFormat {
    match json {
        true => ReportFormat::Json,
        false => ReportFormat::Text { verbose },
    }
}

pub fn remove(index_dir: &Path, args: &RemoveArgs) -> Result<ExitCode> {
    let index = index::open_for_update(index_dir)?;
    let report = index::remove(&index, &args.paths)?;
    if args.json {
        output::report::removal(&mut io::stdout().lock(), index_dir, &report, true)?;
    } else {
        output::report::removal(&mut io::stderr().lock(), index_dir, &report, false)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn ingest(index_dir: &Path, args: IngestArgs) -> Result<ExitCode> {
    let format = text_or_json(args.json, args.verbose);
    let report = run_ingest(index_dir, &args.options()?, format)?;
    Ok(exit_status(&report))
}

/// Success, or 2 when a file could not be read (the others were committed).
fn exit_status(report: &IngestReport) -> ExitCode {
    if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(FAILURE)
    }
}

/// Ingests into the index at `index_dir` and reports on stderr (or as JSON on stdout).
pub fn run_ingest(
    index_dir: &Path,
    options: &IngestOptions,
    format: ReportFormat,
) -> Result<IngestReport> {
    let index = index::open_or_create(index_dir)?;
    let bar = progress_bar(format != ReportFormat::Json);
    let report =
        index::ingest_with_progress(&index, options, &|p: &Progress| show_progress(&bar, p))?;
    bar.finish_and_clear();
    print_ingest_report(index_dir, &report, format)?;
    Ok(report)
}

fn show_progress(bar: &indicatif::ProgressBar, p: &Progress) {
    bar.set_length(p.bytes_total);
    bar.set_position(p.bytes_done);
    bar.set_message(match p.stage {
        Stage::Reading => format!("{}/{} files", p.files_done, p.files_total),
        Stage::Committing => "committing".to_string(),
        Stage::Merging(1) => "committed; merging segments (1 merge)".to_string(),
        Stage::Merging(n) => format!("committed; merging segments ({n} merges)"),
    });
}

/// The report on stderr, or as JSON Lines on stdout.
fn print_ingest_report(
    index_dir: &Path,
    report: &IngestReport,
    format: ReportFormat,
) -> io::Result<()> {
    match format {
        ReportFormat::Json => {
            output::report::ingest(&mut io::stdout().lock(), index_dir, report, format)
        }
        ReportFormat::Text { .. } => {
            output::report::ingest(&mut io::stderr().lock(), index_dir, report, format)
        }
    }
}

/// Ingests the paths given (when any), then refreshes the index as its directories change,
/// one stderr line per commit, until interrupted.
pub fn watch(index_dir: &Path, args: &WatchArgs) -> Result<ExitCode> {
    let options = args.options();
    // Only directories are watched: a file named is refused before anything is ingested.
    if let Some(named) = args.paths.iter().find(|p| p.exists() && !p.is_dir()) {
        let shown = named.display();
        let advice = match named.is_file() {
            true => format!(" (a file is ingested with `parafind ingest {shown}`)"),
            false => String::new(),
        };
        anyhow::bail!("watch {shown}: not a directory; watch keeps directories in step{advice}");
    }
    if !args.paths.is_empty() {
        let mut first = options.clone();
        first.roots = args.paths.clone();
        run_ingest(index_dir, &first, ReportFormat::Text { verbose: false })?;
    }
    let options = WatchOptions {
        ingest: options,
        ..WatchOptions::default()
    };
    let ready = |watched: usize| {
        eprintln!(
            "parafind: watching {watched} director{} of the index at {} (Ctrl-C stops)",
            if watched == 1 { "y" } else { "ies" },
            index_dir.display()
        )
    };
    watch::watch(index_dir, &options, ready, |batch| {
        // A document that cannot be read is said as ingest says it, committed or not.
        let _ = output::report::file_problems(&mut io::stderr().lock(), &batch.report, false);
        report_batch(batch);
        true
    })?;
    Ok(ExitCode::SUCCESS)
}

/// One line per commit of `watch`, and per batch that found no room on the disk.
pub(crate) fn report_batch(batch: &watch::Batch) {
    if let Some(parafind::Error::NoSpace { path }) = &batch.no_room {
        eprintln!(
            "parafind: warning: no space left on the device holding the index at {}: the \
             index keeps its last commit; watching goes on, and looks at every file again \
             once there is room (free some space)",
            output::one_line(&path.display().to_string())
        );
    }
    if !batch.report.committed {
        return;
    }
    let r = &batch.report;
    // A batch of no notified path is a rescan (at the start, or after lost notifications).
    let what = match batch.changed {
        0 => "rescanned the watched directories".to_string(),
        1 => "1 change indexed".to_string(),
        n => format!("{n} changes indexed"),
    };
    eprintln!(
        "parafind: {what} in {:.2} s ({} added, {} updated, {} removed, {} unchanged)",
        r.seconds, r.added, r.updated, r.removed, r.unchanged
    );
}
