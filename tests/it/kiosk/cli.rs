//! The `kiosk` command's settings, checked before the terminal changes.

use std::process::Command;

fn kiosk(args: &[&str], db: &std::path::Path) -> (bool, String) {
    let all: Vec<&str> = std::iter::once("kiosk").chain(args.iter().copied()).collect();
    let out = crate::common::run_bin(&all, db);
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn the_kiosk_command_checks_its_settings_and_refuses_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city");
    // No database: never created by the kiosk.
    let (ok, err) = kiosk(&[], &db);
    assert!(!ok && err.contains("no database at"), "{err}");
    assert!(!db.exists());
    let built = Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args(["demo", "--build-only", "--trainees", "200", "--db"])
        .arg(&db)
        .status()
        .unwrap();
    assert!(built.success());
    let cases: &[(&[&str], &str)] = &[
        (&[], "not a terminal"),
        (&["--no-exit", "--idle-secs", "30", "--lang", "en"], "not a terminal"),
        (&["--exit-key", "q"], "types into the search"),
        (&["--exit-key", "esc"], "is a kiosk key"),
        (&["--exit-key", "ctrl-entr"], "unknown key name 'entr'"),
        (&["--exit-key", "ctrl-c", "--no-exit"], "cannot be used with"),
        (&["--idle-secs", "0"], "0 is not in 1.."),
        (&["--lang", "fr"], "unknown language 'fr'"),
        (&["--keymap", "/nonexistent.toml"], "does not apply to the kiosk"),
    ];
    for (args, phrase) in cases {
        let (ok, err) = kiosk(args, &db);
        assert!(!ok, "{args:?} succeeded");
        assert!(err.contains(phrase), "{args:?}: expected '{phrase}' in: {err}");
    }
}
