//! Case notes searched in the real binary (#18): a note added in the
//! workspace, the program closed and started again (the notes then come
//! from the database's notes tree, beside the records snapshot), and
//! `注:` and a word of the note on the Cases tab find the case, the pane
//! showing the note.

use crate::common;

use common::tmux::*;
use skillbridge::domain::*;
use std::time::Duration;

fn escape_then(t: &Tmux, keys: &[&str]) {
    // Esc alone (sent with the next key it would read as an alt- key).
    t.keys(&["Escape"]);
    std::thread::sleep(Duration::from_millis(400));
    t.keys(keys);
}

#[test]
fn a_note_written_in_one_session_is_found_by_a_note_search_in_the_next() {
    require_tmux();
    let dir = tempfile::tempdir().unwrap();
    let db = common::demo_city(dir.path(), 300);
    let case = {
        let svc = skillbridge::service::Service::open(skillbridge::store::Store::reopen(&db).unwrap()).unwrap();
        let r = svc.read();
        r.data
            .cases
            .values()
            .find(|c| c.state == CaseState::InTraining)
            .map(|c| c.id)
            .expect("a case in training in the demo")
    };
    let cmd = format!("{} --db {} --operator e2e", bin(), shell_quote(&db));

    // 1. The note, in the workspace.
    let t = Tmux::start("notes-write", &cmd, 120, 40);
    t.wait_for("岗位需求");
    t.keys(&["M-4"]);
    t.text(&format!("'{case}"));
    t.wait_for(&format!("搜索> '{case}"));
    // The search runs off the input path: wait for its result (the case
    // in the detail pane) before Enter, or Enter opens the old first row.
    t.wait_for(&format!("│{case} "));
    t.keys(&["Enter"]);
    t.wait_for("经办记录");
    t.keys(&["m"]);
    t.wait_for("备注");
    t.text("本人要求调到周末班");
    std::thread::sleep(Duration::from_millis(300));
    t.keys(&["Enter"]);
    t.wait_for("已记录");
    escape_then(&t, &["C-c"]);
    t.wait_for("EXITED 0");
    drop(t);

    // 2. Next session: the note search finds it.
    let t = Tmux::start("notes-search", &cmd, 120, 40);
    t.wait_for("岗位需求");
    t.keys(&["M-4"]);
    t.text("注:周末班");
    let s = t.wait_for("匹配的备注");
    assert!(s.contains(&case.to_string()) && s.contains("1 / "), "{s}");
    t.wait_for("本人要求调到周末班");
    escape_then(&t, &["C-c"]);
    t.wait_for("EXITED 0");
    drop(t);
    let (ok, out) = common::run_cli(&["check"], &db);
    assert!(ok, "{out}");
}
