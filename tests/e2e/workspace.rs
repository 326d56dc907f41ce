//! The real binary in a real terminal (tmux): search, pair, enroll, quit,
//! reopen, and the database checks clean.

use crate::common;

use common::tmux::*;
use std::process::Command;

fn stats(db: &std::path::Path) -> serde_json::Value {
    let out = Command::new(bin())
        .args(["stats", "--json", "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn search_pair_enroll_quit_reopen_check() {
    require_tmux();
    let dir = tempfile::tempdir().unwrap();
    let db = common::demo_city(dir.path(), 800);
    let before = stats(&db)["cases"].as_u64().unwrap();

    let cmd = format!("{} demo --db {} --operator e2e", bin(), shell_quote(&db));
    let t = Tmux::start("enroll", &cmd, 120, 40);
    t.wait_for("岗位需求");
    t.text("hg");
    t.wait_for("搜索> hg");
    let s = t.wait_for("焊工");
    assert!(s.contains("▶焊工"), "the first row is a welder demand:\n{s}");
    t.keys(&["C-p"]);
    t.wait_for("为岗位匹配培训班");
    t.wait_for("同工种");
    t.keys(&["Enter"]);
    t.wait_for("选择学员报名");
    t.keys(&["Enter"]);
    t.wait_for("请确认");
    t.keys(&["y"]);
    let s = t.wait_for("已报名：");
    let line = s.lines().find(|l| l.contains("已报名：")).unwrap().to_string();
    // "已报名：NAME → CLASS（服务记录 Kxxx）"
    let case = line
        .split("服务记录 ")
        .nth(1)
        .and_then(|r| r.split('）').next())
        .unwrap()
        .trim()
        .to_string();
    let name = line
        .split("已报名：")
        .nth(1)
        .unwrap()
        .split(" → ")
        .next()
        .unwrap()
        .trim()
        .to_string();
    t.keys(&["C-c"]);
    t.wait_for("EXITED 0");
    drop(t);

    // Quit after a write: the caches were saved and the database recorded
    // at rest (unless sled was still tidying its log as it closed: then no
    // record is made, never a wrong one). Either way a one-shot search of
    // cases finds the new case, never a picture from before it.
    let out = Command::new(bin())
        .args(["search", "cases", &case, "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains(&case), "{out:?}");

    assert_eq!(stats(&db)["cases"].as_u64().unwrap(), before + 1);
    let check = Command::new(bin()).args(["check", "--db"]).arg(&db).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));

    // Reopen: the enrollment is there, with its operator in the timeline.
    let t = Tmux::start("reopen", &cmd, 120, 40);
    t.wait_for("岗位需求");
    t.keys(&["M-4"]);
    t.wait_for("服务记录");
    t.text(&format!("'{case}"));
    t.wait_for(&name);
    t.keys(&["Enter"]);
    let s = t.wait_for("经办记录");
    assert!(s.contains("e2e") && s.contains("已报名"), "{s}");
    t.keys(&["C-c"]);
    t.wait_for("EXITED 0");
}

/// Three trainees entered keyboard-only in one batch session, one of them
/// enrolled at intake; the CLI confirms them.
#[test]
fn batch_intake_of_three_trainees() {
    require_tmux();
    let dir = tempfile::tempdir().unwrap();
    let db = common::demo_city(dir.path(), 300);
    let before = stats(&db);
    let cmd = format!("{} demo --db {} --operator intake", bin(), shell_quote(&db));
    let t = Tmux::start("intake", &cmd, 120, 40);
    t.wait_for("岗位需求");
    t.keys(&["M-3"]);
    t.wait_for("身份证号");
    t.keys(&["C-n"]);
    t.wait_for("新学员登记");
    let people = [
        // Enrolled at intake: of working age (past retirement age asks first).
        ("测试甲", "110105198503010024", "13912345678", true),
        ("测试乙", "440524188001010014", "", false),
        ("测试丙", "110105198001010016", "15800001111", false),
    ];
    for (i, (name, id, mobile, enroll)) in people.iter().enumerate() {
        t.text(name);
        t.keys(&["Tab"]);
        t.text(id);
        t.keys(&["Tab"]);
        t.text(mobile);
        t.keys(&["Tab"]);
        if i == 0 {
            // District: typed once, kept for the rest of the batch.
            t.text("dy");
            t.wait_for("丹阳市 Danyang");
            t.keys(&["Enter"]);
        } else {
            t.keys(&["Tab"]);
        }
        t.keys(&["Tab"]); // no key group
        t.text("hg");
        t.wait_for("焊工 welder");
        t.keys(&["Enter"]);
        if *enroll {
            t.keys(&["Enter"]);
            t.wait_for("余");
            t.keys(&["Down", "Enter"]);
        } else {
            // The batch keeps the last class: clear it for this one.
            t.keys(&["BSpace"]);
        }
        t.keys(&["C-n"]);
        t.wait_for(&format!("本次已录入 {} 条", i + 1));
    }
    t.keys(&["Escape"]);
    t.wait_for("学员");
    t.keys(&["C-c"]);
    t.wait_for("EXITED 0");
    drop(t);
    let after = stats(&db);
    assert_eq!(
        after["trainees"].as_u64().unwrap(),
        before["trainees"].as_u64().unwrap() + 3
    );
    assert_eq!(after["cases"].as_u64().unwrap(), before["cases"].as_u64().unwrap() + 1);
    assert_eq!(
        after["cases_by_state"]["enrolled"].as_u64().unwrap(),
        before["cases_by_state"]["enrolled"].as_u64().unwrap() + 1
    );
    let check = Command::new(bin()).args(["check", "--db"]).arg(&db).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
}

/// The case typed is the case opened: its code without a quote, on the
/// Cases tab, after another case was selected (operator safety).
#[test]
fn a_case_code_typed_opens_that_case() {
    require_tmux();
    let dir = tempfile::tempdir().unwrap();
    let db = common::demo_city(dir.path(), 300);
    // Two cases: one to select first, one to look for.
    let out = Command::new(bin())
        .args(["search", "cases", "K", "--json", "--limit", "200", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let ids: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["id"].as_u64())
        .map(|id| format!("K{id}"))
        .collect();
    assert!(ids.len() >= 2, "{ids:?}");
    let (first, wanted) = (&ids[1], &ids[0]);
    let cmd = format!("{} --db {} --operator e2e", bin(), shell_quote(&db));
    let t = Tmux::start("case-code", &cmd, 120, 40);
    t.wait_for("岗位需求");
    t.keys(&["M-4"]);
    t.wait_for("服务记录");
    t.text(&format!("'{first}"));
    t.wait_for(&format!("│{first} "));
    t.keys(&["C-u"]);
    t.text(wanted);
    t.wait_for(&format!("搜索> {wanted}"));
    std::thread::sleep(std::time::Duration::from_millis(300));
    t.keys(&["Enter"]);
    let s = t.wait_for("经办记录");
    assert!(s.contains(&format!("│{wanted} ")), "Enter opened {wanted}:\n{s}");
    assert!(!s.contains(&format!("{first} ")), "not {first}:\n{s}");
    t.keys(&["C-c"]);
    t.wait_for("EXITED 0");
}
