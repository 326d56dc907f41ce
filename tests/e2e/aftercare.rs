//! After the job in the real binary (#18): a hire in the workspace, the
//! demo's simulated clock moved three months on (`skillbridge today`), the
//! follow-up then in the 待回访 list (F5), 在岗 recorded there, and the
//! report's retention at 3 months moves.

use crate::common;

use common::tmux::*;
use skillbridge::domain::*;
use std::time::Duration;

/// The program's retention at 3 months in `report --format json`: due,
/// closed, employed.
fn retention_3m(db: &std::path::Path, program: ProgramId) -> (u64, u64, u64) {
    let out = common::run_bin(&["report", "--format", "json"], db);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = v["programs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"].as_u64() == Some(u64::from(program.0)))
        .cloned()
        .unwrap();
    let r = &row["retention_3m"];
    let n = |k: &str| r[k].as_u64().unwrap();
    (n("due"), n("closed"), n("count"))
}

fn escape_then(t: &Tmux, keys: &[&str]) {
    // Esc alone (sent with the next key it would read as an alt- key).
    t.keys(&["Escape"]);
    std::thread::sleep(Duration::from_millis(400));
    t.keys(keys);
}

#[test]
fn a_hire_falls_due_when_the_clock_moves_and_its_follow_up_moves_retention() {
    require_tmux();
    let dir = tempfile::tempdir().unwrap();
    let db = common::demo_city(dir.path(), 300);
    // A referred case of the demo.
    let (case, program, today) = {
        let svc = skillbridge::service::Service::open(skillbridge::store::Store::reopen(&db).unwrap()).unwrap();
        let r = svc.read();
        let c = r
            .data
            .cases
            .values()
            .find(|c| matches!(c.state, CaseState::Referred(_)))
            .expect("a referred case in the demo")
            .clone();
        (c.id, r.data.classes[&c.class].program, svc.today())
    };
    let before = retention_3m(&db, program);
    let cmd = format!("{} --db {} --operator e2e", bin(), shell_quote(&db));

    // 1. The hire, in the workspace.
    let t = Tmux::start("aftercare-hire", &cmd, 120, 40);
    t.wait_for("岗位需求");
    t.keys(&["M-4"]);
    t.text(&format!("'{case}"));
    t.wait_for(&format!("搜索> '{case}"));
    t.keys(&["Enter"]);
    t.wait_for("经办记录");
    t.keys(&["h"]);
    t.wait_for("请确认");
    t.keys(&["y"]);
    t.wait_for("状态：已就业");
    escape_then(&t, &["C-c"]);
    t.wait_for("EXITED 0");
    drop(t);

    // 2. Nothing due yet; the clock moves three months and a day on.
    let later = today + chrono::Months::new(3) + chrono::Days::new(1);
    let (ok, out) = common::run_cli(&["today", &later.to_string()], &db);
    assert!(ok && out.contains(&later.to_string()), "{out}");
    let (ok, out) = common::run_cli(&["today", &today.to_string()], &db);
    assert!(!ok && out.contains("only forward"), "the clock never goes back: {out}");
    // The hire's 3-month follow-up is due now (others of the program may be too).
    let due = retention_3m(&db, program);
    assert!(due.0 > before.0, "the hire fell due: {before:?} → {due:?}");

    // 3. The follow-up is in the 待回访 list; 在岗 recorded from there.
    let t = Tmux::start("aftercare-visit", &cmd, 120, 40);
    t.wait_for(&format!("模拟日期 {later}"));
    t.keys(&["F5"]);
    t.wait_for("待回访");
    let s = t.wait_for(&case.to_string());
    assert!(s.contains("第 3 个月回访"), "{s}");
    t.text(&case.to_string());
    std::thread::sleep(Duration::from_millis(300));
    t.keys(&["Enter"]);
    t.wait_for("经办记录");
    t.keys(&["a"]);
    t.wait_for("回访结果");
    t.text("1");
    std::thread::sleep(Duration::from_millis(300));
    t.keys(&["Enter"]);
    t.wait_for("在岗");
    t.keys(&["Enter"]);
    t.wait_for("请确认");
    t.keys(&["y"]);
    t.wait_for("已记录：就业回访");
    escape_then(&t, &["C-c"]);
    t.wait_for("EXITED 0");
    drop(t);

    // 4. The report's retention at 3 months counts it: one more closed,
    // one more employed, the same due.
    let after = retention_3m(&db, program);
    assert_eq!(after, (due.0, due.1 + 1, due.2 + 1), "{due:?} → {after:?}");
    let (ok, out) = common::run_cli(&["check"], &db);
    assert!(ok, "{out}");
}
