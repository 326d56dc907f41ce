//! Training subsidies in the real binary (#21): a class that has ended →
//! B builds its claim → 申报 → 初审 → 复核 → 拨付, each by its own
//! operator (the four-eyes rule), and the dashboard's subsidized-training
//! figure moves from 0 to the four certified people of the approved claim.

use crate::common;

use common::tmux::*;

fn session(db: &std::path::Path, who: &str, tag: &str) -> Tmux {
    let cmd = format!("{} --db {} --operator {who}", bin(), shell_quote(db));
    let t = Tmux::start(tag, &cmd, 140, 40);
    t.wait_for("岗位需求");
    t
}

fn quit(t: &Tmux) {
    t.keys(&["C-c"]);
    t.wait_for("EXITED 0");
}

/// The dashboard's line for the subsidized trainings, read on the targets view.
fn dashboard_line(t: &Tmux) -> String {
    t.keys(&["F3"]);
    let s = t.wait_for("补贴性培训（已审核申报）");
    let line = s
        .lines()
        .find(|l| l.contains("补贴性培训（已审核申报）"))
        .unwrap_or_default()
        .to_string();
    t.keys(&["Escape"]);
    std::thread::sleep(std::time::Duration::from_millis(200));
    line
}

#[test]
fn a_finished_class_is_claimed_reviewed_paid_and_counted() {
    require_tmux();
    let dir = tempfile::tempdir().unwrap();
    let town = common::subsidy::make(dir.path());
    let db = dir.path().join("db");

    // The institution's clerk: the class has ended; B builds its claim, a files it.
    let t = session(&db, "clerk", "subsidy-1");
    t.keys(&["M-2"]);
    t.wait_for("培训班");
    t.text(&format!("'{}", town.class));
    std::thread::sleep(std::time::Duration::from_millis(300));
    t.keys(&["Enter"]);
    // Ended on 2025-11-30; the business date is 2025-12-10.
    t.wait_for("~ 2025-11-30");
    t.keys(&["B"]);
    t.wait_for("按花名册生成补贴申报草稿");
    t.keys(&["y"]);
    let s = t.wait_for("现为“草稿”");
    assert!(s.contains("示例标准"), "the sample standard is labelled:\n{s}");
    assert!(s.contains("不符合：未在本班取证"), "{s}");
    t.keys(&["a"]);
    t.wait_for("办理“申报”");
    t.keys(&["y"]);
    t.wait_for("现为“已申报”");
    // Out of the claim, the claims, the class's detail.
    for _ in 0..3 {
        t.keys(&["Escape"]);
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    let before = dashboard_line(&t);
    assert!(before.contains("：0 / 80,000"), "{before}");
    quit(&t);

    // 初审 by a reviewer; the same reviewer may not do 复核.
    let t = session(&db, "reviewer1", "subsidy-2");
    t.keys(&["F8"]);
    t.wait_for("补贴申报");
    t.keys(&["Enter"]);
    t.wait_for("可办理");
    t.keys(&["1"]);
    t.wait_for("办理“初审通过”");
    t.keys(&["y"]);
    t.wait_for("现为“初审通过”");
    t.keys(&["2"]);
    t.wait_for("办理“复核通过”");
    t.keys(&["y"]);
    t.wait_for("要求两人审核");
    quit(&t);

    // 复核 and 拨付 by a second reviewer; the dashboard counts the claim.
    let t = session(&db, "reviewer2", "subsidy-3");
    t.keys(&["F8"]);
    t.wait_for("补贴申报");
    t.keys(&["Enter"]);
    t.wait_for("可办理");
    t.keys(&["2"]);
    t.wait_for("办理“复核通过”");
    t.keys(&["y"]);
    t.wait_for("现为“复核通过”");
    t.keys(&["p"]);
    t.wait_for("办理“拨付”");
    t.keys(&["y"]);
    t.wait_for("现为“已拨付”");
    t.keys(&["Escape"]);
    std::thread::sleep(std::time::Duration::from_millis(200));
    t.keys(&["Escape"]);
    std::thread::sleep(std::time::Duration::from_millis(200));
    let after = dashboard_line(&t);
    // The four certified people of the class (nobody's earlier claim was filed).
    assert!(after.contains("：4 / 80,000"), "{after}");
    assert_ne!(before, after);
    quit(&t);
}
