//! Printing what the inspection commands return: `stats`, `list` and `show`, as text for people
//! or as JSON Lines (records `stats`, `indexed_file`, `paragraph` and `context`, see
//! `docs/json.md`).

use std::io::{self, Write};
use std::path::Path;

use anstyle::Style;
use serde::Serialize;

use super::json::{display, file_ref, location, write_record, FileRef, Location, SCHEMA_VERSION};
use super::{sanitize, sanitize_name, utc_time, PathDisplay};
use crate::index::{FileEntry, IndexStats};
use crate::search::StoredParagraph;
use crate::warning::FileNow;

use super::styles::{CONTEXT, LOCATION, PATH, STATE};

/// The JSON Lines records of the inspection commands.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Record<'a> {
    /// The index's statistics (`stats`).
    Stats {
        schema: u32,
        #[serde(serialize_with = "display")]
        index: std::path::Display<'a>,
        files: u64,
        paragraphs: u64,
        terms: u64,
        index_bytes: u64,
        segments: u64,
        analyzer_version: u32,
        schema_version: u32,
        last_ingest: Option<u64>,
    },
    /// One indexed file (`list`).
    IndexedFile {
        #[serde(flatten)]
        file: FileRef<'a>,
        paragraphs: u64,
        size: u64,
        modified_ns: u64,
        /// When the file is not as indexed: what it is now.
        #[serde(skip_serializing_if = "Option::is_none")]
        now: Option<&'static str>,
    },
    /// A paragraph `show` was asked for.
    Paragraph {
        #[serde(flatten)]
        file: FileRef<'a>,
        #[serde(flatten)]
        location: Location<'a>,
    },
    /// A neighbour of the paragraph asked for (`show FILE:N -C K`).
    Context {
        #[serde(flatten)]
        file: FileRef<'a>,
        #[serde(flatten)]
        location: Location<'a>,
    },
    /// What to know of the file shown (changed since it was indexed), as `search` words it.
    Warning {
        #[serde(serialize_with = "display")]
        message: &'a crate::warning::QueryWarning,
    },
}

/// Prints a warning about the file `show` prints, as a JSON record (as `search --json` writes
/// its warnings), before its paragraphs: a reader slicing the file by their offsets knows first.
pub fn warning(out: &mut impl Write, message: &crate::warning::QueryWarning) -> io::Result<()> {
    write_record(out, &Record::Warning { message })
}

/// Prints index statistics.
pub fn stats(out: &mut impl Write, dir: &Path, stats: &IndexStats, json: bool) -> io::Result<()> {
    let last_ingest = stats
        .last_ingest
        .map(|s| utc_time(s.saturating_mul(1_000_000_000)));
    if json {
        let record = Record::Stats {
            schema: SCHEMA_VERSION,
            index: dir.display(),
            files: stats.files,
            paragraphs: stats.paragraphs,
            terms: stats.terms,
            index_bytes: stats.index_bytes,
            segments: stats.segments,
            analyzer_version: stats.analyzer_version,
            schema_version: stats.schema_version,
            last_ingest: stats.last_ingest,
        };
        return write_record(out, &record);
    }
    let shown = sanitize_name(&dir.display().to_string()).into_owned();
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

/// Prints the indexed files (`colored`: with styles), each with what it is now when it is not
/// as indexed (`now`, in the same order: see [`crate::search::file_now`]).
pub fn files(
    out: &mut impl Write,
    files: &[FileEntry],
    now: &[Option<FileNow>],
    paths: &PathDisplay,
    (json, colored): (bool, bool),
) -> io::Result<()> {
    let path_style = styled(PATH, colored);
    let state_style = styled(STATE, colored);
    for (i, file) in files.iter().enumerate() {
        let state = now.get(i).copied().flatten().map(FileNow::words);
        if json {
            let record = Record::IndexedFile {
                file: file_ref(paths, &file.key),
                paragraphs: file.paragraphs,
                size: file.size,
                modified_ns: file.mtime_ns,
                now: state,
            };
            write_record(out, &record)?;
        } else {
            // A document read from standard input has no file, so no time (stored as 0).
            let modified = match file.mtime_ns {
                0 => format!("{:<19}", "(standard input)"),
                ns => utc_time(ns),
            };
            write!(out, "{:>8}  {modified}  {path_style}", file.paragraphs)?;
            out.write_all(&paths.name(&file.key))?;
            write!(out, "{path_style:#}")?;
            match state {
                Some(state) => writeln!(out, "  {state_style}({state}){state_style:#}")?,
                None => writeln!(out)?,
            }
        }
    }
    Ok(())
}

/// Prints stored paragraphs of one file; `focus` is the paragraph asked for (others are
/// context); `colored`: with styles.
pub fn paragraphs(
    out: &mut impl Write,
    key: &str,
    paragraphs: impl IntoIterator<Item = StoredParagraph>,
    focus: Option<u64>,
    paths: &PathDisplay,
    json: bool,
    colored: bool,
) -> io::Result<()> {
    if json {
        for paragraph in paragraphs {
            let (file, location) = (file_ref(paths, key), location(&paragraph));
            let record = if focus.is_some_and(|f| f != paragraph.paragraph) {
                Record::Context { file, location }
            } else {
                Record::Paragraph { file, location }
            };
            write_record(out, &record)?;
        }
        return Ok(());
    }
    let path_style = styled(PATH, colored);
    write!(out, "{path_style}")?;
    out.write_all(&paths.name(key))?;
    writeln!(out, "{path_style:#}")?;
    for paragraph in paragraphs {
        let is_context = focus.is_some_and(|f| f != paragraph.paragraph);
        let (style, separator) = if is_context {
            (styled(CONTEXT, colored), '-')
        } else {
            (styled(LOCATION, colored), ':')
        };
        let text_style = styled(if is_context { CONTEXT } else { Style::new() }, colored);
        let place = super::place(paragraph.paragraph, paragraph.line, paragraph.page);
        // The paragraph asked for (`show FILE:N`) is headed by its section, as a hit is.
        let section = match (&paragraph.section, focus) {
            (Some(section), Some(n)) if n == paragraph.paragraph => {
                format!(" · {}", super::sanitize_inline(section))
            }
            _ => String::new(),
        };
        writeln!(
            out,
            "{style}{place}{section}{separator}{style:#} {text_style}{}{text_style:#}",
            sanitize(&paragraph.text)
        )?;
    }
    Ok(())
}

/// `style` when `colored`, else no style (nothing written).
fn styled(style: Style, colored: bool) -> Style {
    match colored {
        true => style,
        false => Style::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(print: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        print(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn stats_record_has_every_field_in_order() {
        let stats = IndexStats {
            files: 1,
            paragraphs: 14,
            terms: 396,
            index_bytes: 25438,
            segments: 2,
            analyzer_version: 3,
            schema_version: 3,
            last_ingest: Some(1795812126),
        };
        let line = printed(|out| super::stats(out, Path::new("index"), &stats, true));
        assert_eq!(
            line,
            "{\"type\":\"stats\",\"schema\":3,\"index\":\"index\",\"files\":1,\"paragraphs\":14,\
             \"terms\":396,\"index_bytes\":25438,\"segments\":2,\"analyzer_version\":3,\
             \"schema_version\":3,\"last_ingest\":1795812126}\n"
        );
        let unknown = IndexStats {
            last_ingest: None,
            ..stats
        };
        let line = printed(|out| super::stats(out, Path::new("index"), &unknown, true));
        assert!(line.ends_with(",\"last_ingest\":null}\n"), "{line}");
    }

    #[test]
    fn indexed_file_records_name_the_file_then_its_numbers() {
        let file = FileEntry {
            key: "/c/corpus/a\"b.txt".into(),
            source: "/c/corpus/a\"b.txt".into(),
            hash: 7,
            paragraphs: 14,
            size: 5317,
            mtime_ns: 1795812126256196069,
            whole_html: false,
            racy: false,
        };
        let paths = PathDisplay::under(Some("/c".into()));
        let files_of = |now| {
            printed(|out| {
                files(
                    out,
                    std::slice::from_ref(&file),
                    &[now],
                    &paths,
                    (true, false),
                )
            })
        };
        assert_eq!(
            files_of(None),
            format!(
                "{{\"type\":\"indexed_file\",\"path\":\"corpus/a\\\"b.txt\",\"doc_id\":\"{}\",\
                 \"paragraphs\":14,\"size\":5317,\"modified_ns\":1795812126256196069}}\n",
                crate::index::doc_id("/c/corpus/a\"b.txt")
            )
        );
        // A file not as indexed says what it is now, last.
        let gone = files_of(Some(FileNow::Gone));
        assert!(
            gone.ends_with(",\"modified_ns\":1795812126256196069,\"now\":\"gone\"}\n"),
            "{gone}"
        );
        let text = printed(|out| {
            files(
                out,
                std::slice::from_ref(&file),
                &[Some(FileNow::Changed)],
                &paths,
                (false, false),
            )
        });
        assert!(
            text.ends_with("  corpus/a\"b.txt  (changed since indexed)\n"),
            "{text}"
        );
    }

    #[test]
    fn shown_paragraphs_are_paragraph_records_and_their_neighbours_context() {
        let paragraph = |n: u64, text: &str| StoredParagraph {
            paragraph: n,
            line: n * 2 - 1,
            byte_offset: n * 10,
            char_offset: n * 9,
            page: None,
            text: text.into(),
            section: None,
            title: None,
        };
        let shown = [paragraph(1, "One."), paragraph(2, "Two ü.")];
        let key = "/c/a.txt";
        let line = printed(|out| {
            paragraphs(
                out,
                key,
                shown,
                Some(2),
                &PathDisplay::default(),
                true,
                false,
            )
        });
        let doc_id = crate::index::doc_id(key);
        assert_eq!(
            line,
            format!(
                "{{\"type\":\"context\",\"path\":\"/c/a.txt\",\"doc_id\":\"{doc_id}\",\
                 \"paragraph\":1,\"line\":1,\"byte_offset\":10,\"char_offset\":9,\
                 \"text\":\"One.\"}}\n\
                 {{\"type\":\"paragraph\",\"path\":\"/c/a.txt\",\"doc_id\":\"{doc_id}\",\
                 \"paragraph\":2,\"line\":3,\"byte_offset\":20,\"char_offset\":18,\
                 \"text\":\"Two ü.\"}}\n"
            )
        );
    }
}
