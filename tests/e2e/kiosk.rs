//! The real `skillbridge kiosk` in a real terminal (tmux): search, ctrl-c
//! refused with --no-exit, the idle reset on the wall clock, and the
//! default exit key leaving a clean exit code.

use crate::common;

use common::tmux::*;
use std::process::Command;
use std::time::Duration;

fn demo_db(dir: &std::path::Path) -> std::path::PathBuf {
    let db = dir.join("city");
    let built = Command::new(bin())
        .args(["demo", "--build-only", "--trainees", "300", "--db"])
        .arg(&db)
        .status()
        .unwrap();
    assert!(built.success());
    db
}

#[test]
fn with_no_exit_ctrl_c_is_ignored_and_idle_returns_home() {
    require_tmux();
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let cmd = format!("{} kiosk --no-exit --idle-secs 3 --db {}", bin(), shell_quote(&db));
    let t = Tmux::start("kiosk-noexit", &cmd, 80, 24);
    t.wait_for("找培训、找工作");
    t.keys(&["2"]);
    t.wait_for("返回首页");
    t.text("焊工");
    t.wait_for("┃ 焊工");
    // The first job shown is a welder's.
    t.wait_for("▶ 焊工");
    for k in ["C-c", "C-d", "C-z", "C-\\", "C-q"] {
        t.keys(&[k]);
    }
    std::thread::sleep(Duration::from_millis(500));
    let s = t.screen();
    assert!(!s.contains("EXITED"), "a key ended a kiosk with no exit key:\n{s}");
    // Nobody touches it: back home with the search cleared.
    t.wait_for("找培训、找工作");
    t.keys(&["2"]);
    let s = t.wait_for("返回首页");
    assert!(s.contains("直接输入"), "the search was cleared:\n{s}");
    assert!(!t.screen().contains("EXITED"));
}

#[test]
fn the_default_exit_key_ends_it_cleanly_in_english() {
    require_tmux();
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let cmd = format!("{} kiosk --lang en --db {}", bin(), shell_quote(&db));
    let t = Tmux::start("kiosk-exit", &cmd, 80, 24);
    t.wait_for("Find a training class or a job");
    t.keys(&["Enter"]);
    // Enter right after typing, before the results are in: it opens the
    // first of them when they come.
    t.text("welder");
    t.keys(&["Enter"]);
    t.wait_for("To sign up, please ask at the service counter");
    t.keys(&["C-c"]);
    t.wait_for("EXITED 0");
}
