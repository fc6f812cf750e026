//! Arguments of `parafind tui` (and of `search -i`, which starts the same UI).

use std::path::PathBuf;

use clap::Args;

use super::search::ContextArgs;
use crate::tui::TuiOptions;

pub(super) const TUI_HELP: &str = "\
Keys:
  typing                 the query, searched as you type (search's syntax; a last word
                         still being typed that matches nothing is tried as a prefix)
  ↑ ↓  Ctrl-N Ctrl-P     move through the hits (↓ moves into the list)
  j k  g G  /            in the list: move, first, last; / back to the query
  PageUp PageDown        a page of hits
  Enter                  open the hit in $VISUAL/$EDITOR at its line (a PDF at its page)
  Tab                    show or hide the preview (the paragraph between its neighbours)
  Ctrl-E  Ctrl-A         exact word forms, any of the words: on or off
  Ctrl-G                 narrow by path globs (`*.md !drafts/*`)
  Alt-↑ Alt-↓            earlier and later queries (kept in ~/.local/state/parafind/history,
                         or $PARAFIND_HISTORY)
  F1, ? on an empty line this help;  Ctrl-Z suspends;  Esc or Ctrl-C quits

Examples:
  parafind tui
  parafind tui Pyongyang
  parafind search -i --exact -g '*.md' treaty";

/// Arguments of `parafind tui`.
#[derive(Debug, Args)]
pub struct TuiArgs {
    /// The query to start with
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,

    /// Start with exact word forms on (Ctrl-E toggles)
    #[arg(short = 'x', long)]
    pub exact: bool,

    /// Start with any-word mode on (Ctrl-A toggles)
    #[arg(long)]
    pub any: bool,

    /// Read the query as plain words: no operators, quotes, prefixes or filters
    #[arg(short = 'F', long)]
    pub literal: bool,

    /// Match words only where they are written with the query's case
    #[arg(short = 's', long)]
    pub case_sensitive: bool,

    /// Only search files whose path matches GLOB (Ctrl-G edits them); repeatable
    #[arg(
        short = 'g',
        long = "glob",
        visible_alias = "path",
        value_name = "GLOB"
    )]
    pub paths: Vec<String>,

    /// Only search files of TYPE (ripgrep's type names); repeatable
    #[arg(short = 't', long = "type", value_name = "TYPE")]
    pub types: Vec<String>,

    #[command(flatten)]
    pub context: PreviewArgs,

    /// Type each query of FILE a character at a time and print each keystroke's search and
    /// drawing time as JSON Lines, instead of starting the UI (for bench/tui.sh)
    #[arg(long, value_name = "FILE", hide = true)]
    pub replay: Option<PathBuf>,

    /// The screen size of --replay, COLUMNSxROWS
    #[arg(long, value_name = "SIZE", default_value = "80x24", hide = true,
          value_parser = screen_size)]
    pub replay_size: (u16, u16),
}

/// `COLUMNSxROWS`, each 20 to 1000.
fn screen_size(text: &str) -> Result<(u16, u16), String> {
    let parse = |part: &str| {
        part.trim()
            .parse::<u16>()
            .ok()
            .filter(|n| (20..=1000).contains(n))
    };
    match text.split_once('x') {
        Some((columns, rows)) => match (parse(columns), parse(rows)) {
            (Some(c), Some(r)) => Ok((c, r)),
            _ => Err(format!(
                "`{text}`: columns and rows must each be 20 to 1000"
            )),
        },
        None => Err(format!("`{text}` is not COLUMNSxROWS (e.g. 80x24)")),
    }
}

impl TuiArgs {
    /// The UI's options (`color`: whether colours are wanted).
    pub fn options(&self, color: bool) -> TuiOptions {
        TuiOptions {
            query: self.query.join(" "),
            exact: self.exact,
            any: self.any,
            literal: self.literal,
            case_sensitive: self.case_sensitive,
            globs: self.paths.clone(),
            types: self.types.clone(),
            context: preview_context(&self.context.as_context()),
            color,
            replay: self.replay.clone(),
            replay_size: self.replay_size,
        }
    }
}

/// Paragraphs shown around the selected one in the preview, as grep's -A, -B and -C (the
/// same flags as `search`'s context, told in the preview's terms).
#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// Show N paragraphs after the selected hit in the preview [default: 2]
    #[arg(short = 'A', long, value_name = "N")]
    pub after_context: Option<u16>,

    /// Show N paragraphs before the selected hit in the preview [default: 2]
    #[arg(short = 'B', long, value_name = "N")]
    pub before_context: Option<u16>,

    /// Show N paragraphs before and after the selected hit in the preview
    #[arg(short = 'C', long, value_name = "N")]
    pub context: Option<u16>,
}

impl PreviewArgs {
    /// The same counts as `search`'s context arguments.
    pub fn as_context(&self) -> ContextArgs {
        ContextArgs {
            after_context: self.after_context,
            before_context: self.before_context,
            context: self.context,
        }
    }
}

/// Paragraphs around the selected one in the preview: as -A/-B/-C say, else 2 each side.
pub fn preview_context(context: &ContextArgs) -> (usize, usize) {
    let given = context.context.is_some()
        || context.before_context.is_some()
        || context.after_context.is_some();
    if given {
        context.counts()
    } else {
        (2, 2)
    }
}
