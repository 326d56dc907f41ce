//! One fixture per kind of bad keymap file, each asserting what the user
//! reads; a bad file stops the app before the terminal changes.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keymap")
        .join(name)
}

fn check(name: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args(["keymap", "check"])
        .arg(fixture(name))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_problem(name: &str, at: &str, phrases: &[&str]) {
    let (code, err) = check(name);
    assert_eq!(code, 2, "{name}: {err}");
    let first = err.lines().next().unwrap_or("");
    assert!(
        first.contains(&format!("{name}:{at}: ")),
        "{name}: expected place {at} in: {err}"
    );
    for p in phrases {
        assert!(err.contains(p), "{name}: expected '{p}' in: {err}");
    }
}

#[test]
fn unknown_action() {
    assert_problem(
        "unknown_action.toml",
        "2:12",
        &["[list] unknown action 'pari'", "did you mean 'pair'?", "valid actions:"],
    );
}

#[test]
fn unknown_key_name() {
    assert_problem(
        "unknown_key_name.toml",
        "2:1",
        &["unknown key name 'entr'", "did you mean 'enter'?"],
    );
}

#[test]
fn unknown_context() {
    assert_problem(
        "unknown_context.toml",
        "1:2",
        &["unknown context 'lsit'", "did you mean 'list'?", "valid contexts:"],
    );
}

#[test]
fn one_key_bound_twice() {
    assert_problem(
        "bound_twice.toml",
        "3:1",
        &["[list] key 'C-p' is bound twice", "'ctrl-p' at 2:1"],
    );
}

#[test]
fn unknown_modifier() {
    assert_problem(
        "unknown_modifier.toml",
        "2:1",
        &["unknown key modifier 'crtl'", "did you mean 'ctrl'?"],
    );
}

#[test]
fn action_not_a_string() {
    assert_problem("not_a_string.toml", "2:12", &["must be a quoted action name"]);
}

#[test]
fn not_toml() {
    assert_problem("not_toml.toml", "1:6", &["not valid TOML", "expected `]`"]);
}

#[test]
fn every_problem_is_listed() {
    let (code, err) = check("several.toml");
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 3, "{err}");
}

#[test]
fn a_good_file_passes_and_overrides_key_by_key() {
    let (code, err) = check("good.toml");
    assert_eq!(code, 0, "{err}");
    let out = Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args(["keymap", "print", "--keymap"])
        .arg(fixture("good.toml"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"ctrl-g\"") && text.contains("= \"pair\""), "{text}");
    assert!(!text.contains("\"ctrl-p\""), "{text}");
    assert!(text.contains("\"ctrl-c\""), "shipped bindings stay: {text}");
}

#[test]
fn a_bad_keymap_stops_the_app_before_the_terminal_changes() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args(["demo", "--keymap"])
        .arg(fixture("unknown_action.toml"))
        .arg("--db")
        .arg(dir.path().join("db"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown action 'pari'"), "{err}");
    // Nothing was drawn: no escape sequences, and no database was built.
    assert!(
        !out.stdout.contains(&0x1b),
        "stdout: {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!dir.path().join("db").exists());
}

#[test]
fn not_a_terminal_says_so_instead_of_drawing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let out = Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args(["demo", "--trainees", "50", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a terminal"), "{err}");
    assert!(!out.stdout.contains(&0x1b));
}
