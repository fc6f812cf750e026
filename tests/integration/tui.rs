//! The terminal UI in a real terminal: tmux (installed by `.ci/test`) runs `parafind tui` on
//! the essay's index in an 80×24 pane; keys are typed with `send-keys`, the screen read with
//! `capture-pane` (with `-e`, its colours and attributes too). Each test has its own tmux
//! server, killed when the test ends.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::util::*;

/// A tmux server of its own with one 80×24 pane running a shell command.
struct Tmux {
    socket: String,
}

/// How long a screen may take to show what a test waits for (a loaded CI machine).
const PATIENCE: Duration = Duration::from_secs(30);

/// `text` quoted for `sh`.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

impl Tmux {
    fn start(name: &str, command: &str) -> Tmux {
        let socket = format!("parafind-{name}-{}", std::process::id());
        let tmux = Tmux { socket };
        let status = tmux
            .command()
            .args([
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                "80",
                "-y",
                "24",
            ])
            .arg(command)
            .status()
            .unwrap_or_else(|e| panic!("tmux is needed for this test (.ci/test installs it): {e}"));
        assert!(status.success(), "tmux did not start");
        tmux
    }

    /// The process id of the program the pane runs (its shell, or what it `exec`ed).
    fn pane_pid(&self) -> String {
        let output = self
            .command()
            .args(["display-message", "-p", "#{pane_pid}"])
            .output()
            .expect("tmux display-message");
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    fn command(&self) -> Command {
        let mut command = Command::new("tmux");
        command.args(["-L", &self.socket]);
        command
    }

    /// Types `keys` (tmux key names: `Enter`, `Down`, `Escape`, `C-c`).
    fn keys(&self, keys: &[&str]) {
        let status = self.command().arg("send-keys").args(keys).status();
        assert!(status.expect("tmux send-keys").success());
    }

    /// Types `text` as it is.
    fn type_text(&self, text: &str) {
        let status = self.command().args(["send-keys", "-l", text]).status();
        assert!(status.expect("tmux send-keys").success());
    }

    /// The screen as text; with `attributes`, with its escape sequences (colours, bold).
    fn screen(&self, attributes: bool) -> String {
        let mut command = self.command();
        command.args(["capture-pane", "-p"]);
        if attributes {
            command.arg("-e");
        }
        let output = command.output().expect("tmux capture-pane");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Waits until the screen shows `text`, and returns it.
    fn wait_for(&self, text: &str) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen(false);
            if screen.contains(text) {
                return screen;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "the screen never showed {text:?}; it shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// An executable `editor.sh` in `env` running `body` (shell commands), for `$EDITOR`.
fn editor_script(env: &Env, body: &str) -> PathBuf {
    env.write("editor.sh", format!("#!/bin/sh\n{body}\n"));
    let editor = env.path("editor.sh");
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    editor
}

/// Waits until every process of `processes` (its id, and what it is) has ended; fails after
/// [`PATIENCE`], naming those still running `when`.
fn wait_until_ended(processes: &[(&str, &str)], when: &str) {
    let started = Instant::now();
    loop {
        let running: Vec<String> = processes
            .iter()
            .filter(|(pid, _)| !has_ended(pid))
            .map(|(pid, what)| format!("{what} (pid {pid})"))
            .collect();
        if running.is_empty() {
            return;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "{} still running {when}",
            running.join(" and ")
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The process id of a child of process `parent` whose command is `name`.
fn child_named(parent: &str, name: &str) -> Option<String> {
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            let (head, rest) = stat.rsplit_once(") ")?;
            let command = head.split_once(" (")?.1;
            let ppid = rest.split_whitespace().nth(1)?;
            (ppid == parent && command == name).then(|| entry.file_name().to_string_lossy().into())
        })
}

/// Whether process `pid` has ended (gone, or a zombie no one has reaped yet).
fn has_ended(pid: &str) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command name, which is in parentheses.
        Ok(stat) => stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| rest.starts_with('Z') || rest.starts_with('X')),
        Err(_) => true,
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // A test may have killed it already (tmux then says so on stderr).
        let _ = self
            .command()
            .arg("kill-server")
            .stderr(std::process::Stdio::null())
            .status();
    }
}

/// Waits until `path` exists with something in it, and returns it.
fn wait_for_file(path: &Path) -> String {
    let started = Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            if !text.is_empty() {
                return text;
            }
        }
        assert!(
            started.elapsed() < PATIENCE,
            "{} never written",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The shell command that prints a marker, runs parafind with `environment` and `arguments`
/// in the test's directory, then records the terminal's settings and says it ended, with its
/// exit status.
fn session_command(env: &Env, environment: &[(&str, &str)], arguments: &str) -> String {
    let binary = assert_cmd::cargo::cargo_bin!("parafind");
    let settings: String = environment
        .iter()
        .map(|(name, value)| format!("{name}={} ", quoted(value)))
        .collect();
    format!(
        "cd {dir} && echo before-parafind && env -u NO_COLOR -u PARAFIND_INDEX {settings}{bin} {arguments}; \
         status=$?; stty -a > stty-after; echo parafind-ended status=$status; sleep 600",
        dir = quoted(&env.dir.path().display().to_string()),
        bin = quoted(&binary.display().to_string()),
    )
}

/// The lines of `screen` holding `text`.
fn lines_with<'s>(screen: &'s str, text: &str) -> Vec<&'s str> {
    screen.lines().filter(|l| l.contains(text)).collect()
}

/// The terminal's settings after parafind ended are a shell's: echo and line editing on.
fn assert_terminal_restored(env: &Env) {
    let settings = wait_for_file(&env.path("stty-after"));
    for flag in ["icanon", "echo", "isig"] {
        let words: Vec<&str> = settings.split_whitespace().collect();
        assert!(
            words.contains(&flag),
            "{flag} is off after parafind: {settings}"
        );
    }
}

fn canonical(path: PathBuf) -> String {
    path.canonicalize()
        .expect("canonical path")
        .display()
        .to_string()
}

#[test]
fn typing_shows_the_paragraphs_highlighted_and_enter_opens_the_editor_at_the_line() {
    let env = Env::essay();
    let editor = editor_script(&env, "printf '%s\\n' \"$@\" > editor-arguments");
    let history = env.path("state/history");
    let command = session_command(
        &env,
        &[
            ("EDITOR", &editor.display().to_string()),
            ("PARAFIND_HISTORY", &history.display().to_string()),
        ],
        "tui",
    );
    let tmux = Tmux::start("typing", &command);
    tmux.wait_for("Type to search");
    tmux.type_text("Pyongyang");
    let screen = tmux.wait_for("2 paragraphs");
    let listed = lines_with(&screen, "us-korea-alliance.txt  ¶");
    assert!(
        listed.len() == 2 && listed[0].contains("¶1, line 1") && listed[1].contains("¶3, line 3"),
        "the list should show ¶1 then ¶3:\n{screen}"
    );
    // Every snippet line shows the word marked bold and red.
    let coloured = tmux.screen(true);
    let snippets = lines_with(&coloured, "Pyongyang");
    let marked = snippets
        .iter()
        .filter(|l| l.contains("\u{1b}[1m\u{1b}[38;5;1mPyongyang"))
        .count();
    assert!(marked >= 2, "Pyongyang is not highlighted:\n{coloured}");

    // The second hit, in the editor at its line.
    tmux.keys(&["Down"]);
    tmux.wait_for("▌ corpus/us-korea-alliance.txt  ¶3");
    tmux.keys(&["Enter"]);
    let arguments = wait_for_file(&env.path("editor-arguments"));
    let essay = canonical(env.path("corpus/us-korea-alliance.txt"));
    assert_eq!(arguments, format!("+3\n{essay}\n"));
    // Back in the UI afterwards, then Esc gives the terminal back as it was.
    tmux.wait_for("2 paragraphs");
    tmux.keys(&["Escape"]);
    let screen = tmux.wait_for("parafind-ended status=0");
    assert!(
        screen.contains("before-parafind"),
        "the shell's screen is lost:\n{screen}"
    );
    assert!(
        !screen.contains("paragraphs"),
        "the UI is left on screen:\n{screen}"
    );
    assert_terminal_restored(&env);
    assert_eq!(
        std::fs::read_to_string(history).expect("history"),
        "Pyongyang\n"
    );
}

#[test]
fn a_pasted_line_break_is_a_space_not_enter() {
    let env = Env::essay();
    let editor = editor_script(&env, "printf '%s\\n' \"$@\" > editor-arguments");
    let command = session_command(&env, &[("EDITOR", &editor.display().to_string())], "tui");
    let tmux = Tmux::start("paste", &command);
    tmux.wait_for("Type to search");
    tmux.type_text("Pyongyang");
    tmux.wait_for("2 paragraphs");
    // tmux pastes with the terminal's bracketed-paste marks when the program asked for them.
    let buffer = env.path("pasted");
    std::fs::write(&buffer, " deter\nambitions").expect("write the paste");
    let loaded = tmux.command().arg("load-buffer").arg(&buffer).status();
    assert!(loaded.expect("tmux load-buffer").success());
    let pasted = tmux.command().args(["paste-buffer", "-p"]).status();
    assert!(pasted.expect("tmux paste-buffer").success());
    tmux.wait_for("> Pyongyang deter ambitions");
    let screen = tmux.wait_for("1 paragraph ");
    assert!(screen.contains("¶3, line 3"), "{screen}");
    assert!(
        !env.path("editor-arguments").exists(),
        "the paste opened the editor"
    );
    tmux.keys(&["Escape"]);
    tmux.wait_for("parafind-ended status=0");
    assert_terminal_restored(&env);
}

#[test]
fn a_ui_whose_terminal_goes_away_ends_instead_of_spinning() {
    let env = Env::essay();
    let binary = assert_cmd::cargo::cargo_bin!("parafind");
    let command = format!(
        "cd {dir} && exec env -u NO_COLOR -u PARAFIND_INDEX {bin} tui",
        dir = quoted(&env.dir.path().display().to_string()),
        bin = quoted(&binary.display().to_string()),
    );
    let tmux = Tmux::start("hangup", &command);
    tmux.wait_for("Type to search");
    let pid = tmux.pane_pid();
    assert!(
        !pid.is_empty() && !has_ended(&pid),
        "no UI process: {pid:?}"
    );
    // Closing the terminal: its reads see end-of-file and SIGHUP arrives.
    let status = tmux.command().arg("kill-server").status();
    assert!(status.expect("tmux kill-server").success());
    wait_until_ended(&[(&pid, "parafind tui")], "after its terminal went away");
}

#[test]
fn a_ui_told_to_end_while_its_editor_runs_ends_the_editor_too() {
    let env = Env::essay();
    // The editor says who it is, then waits a minute.
    let editor = editor_script(
        &env,
        "echo $$ > editor-pid.part && mv editor-pid.part editor-pid\nexec sleep 60",
    );
    // Started from a shell that stays, as a user starts it: the terminal outlives the UI.
    let command = session_command(
        &env,
        &[("EDITOR", &editor.display().to_string())],
        "tui Pyongyang",
    );
    let tmux = Tmux::start("editor-term", &command);
    tmux.wait_for("2 paragraphs");
    let shell = tmux.pane_pid();
    let ui = child_named(&shell, "parafind").expect("the UI under the pane's shell");
    tmux.keys(&["Enter"]);
    let editor_pid = wait_for_file(&env.path("editor-pid")).trim().to_string();
    assert!(!has_ended(&editor_pid), "the editor did not start");
    let status = std::process::Command::new("kill")
        .args(["-TERM", &ui])
        .status()
        .expect("kill");
    assert!(status.success());
    wait_until_ended(
        &[(&ui, "the UI"), (&editor_pid, "its editor")],
        "after SIGTERM",
    );
    // The UI ended by its own path, with the status a shell gives SIGTERM (128 + 15): the
    // terminal is the shell's again.
    tmux.wait_for("parafind-ended status=143");
    assert_terminal_restored(&env);
}

#[test]
fn a_ui_interrupted_from_outside_gives_the_terminal_back() {
    let env = Env::essay();
    let command = session_command(&env, &[], "tui Pyongyang");
    let tmux = Tmux::start("sigint", &command);
    tmux.wait_for("2 paragraphs");
    let ui = child_named(&tmux.pane_pid(), "parafind").expect("the UI under the pane's shell");
    let status = std::process::Command::new("kill")
        .args(["-INT", &ui])
        .status()
        .expect("kill");
    assert!(status.success());
    // Ended by its own path, with the status a shell gives SIGINT (128 + 2).
    tmux.wait_for("parafind-ended status=130");
    assert_terminal_restored(&env);
}

#[test]
fn search_i_starts_with_its_query_and_without_colour_marks_matches_by_attributes() {
    let env = Env::essay();
    let command = session_command(&env, &[("NO_COLOR", "1")], "search -i Pyongyang");
    let tmux = Tmux::start("nocolor", &command);
    tmux.wait_for("2 paragraphs");
    let screen = tmux.screen(true);
    assert!(
        screen.contains("\u{1b}[1;4mPyongyang"),
        "matches should be bold and underlined:\n{screen}"
    );
    for colour in ["[38;", "[48;", "[31m", "[32m", "[35m", "[36m"] {
        assert!(
            !screen.contains(colour),
            "a colour ({colour}) with NO_COLOR:\n{screen}"
        );
    }
    // A query being typed that fails keeps the list, with the error above it.
    tmux.type_text(" \"nuclear");
    let screen = tmux.wait_for("unclosed quote");
    assert_eq!(
        lines_with(&screen, "us-korea-alliance.txt  ¶").len(),
        2,
        "{screen}"
    );
    // An unfinished word is completed as a prefix.
    tmux.keys(&["C-u"]);
    tmux.type_text("Pyongy");
    tmux.wait_for("2 paragraphs for Pyongy*");
    // An ingest while the UI runs is seen by the next query.
    env.write("corpus/extra.txt", "Pyongyang once more.\n");
    env.cmd(&["ingest"]).assert().success();
    tmux.keys(&["C-u"]);
    tmux.type_text("Pyongyang");
    tmux.wait_for("3 paragraphs");
    tmux.keys(&["C-c"]);
    tmux.wait_for("parafind-ended");
    assert_terminal_restored(&env);
}
