//! A class's work in the real binary: a whole class started and another
//! sent to evaluation in the workspace (tmux), then the agency's results
//! sheet imported from the command line, and `stats` counts the new
//! certificates.

use crate::common;

use common::tmux::*;
use skillbridge::domain::*;
use std::process::Command;

fn certified(db: &std::path::Path) -> u64 {
    let out = Command::new(bin())
        .args(["stats", "--json", "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["cases_by_state"]["certified"].as_u64().unwrap_or(0)
}

#[test]
fn a_class_started_another_sent_to_evaluation_then_its_results_imported() {
    require_tmux();
    let dir = tempfile::tempdir().unwrap();
    let db = common::demo_city(dir.path(), 300);
    // Which classes: one started with people enrolled, one ended with people in training.
    let (start, evaluate, people) = {
        let svc = skillbridge::service::Service::open(skillbridge::store::Store::reopen(&db).unwrap()).unwrap();
        let today = svc.today();
        let r = svc.read();
        let data = &r.data;
        let with = |c: &TrainingClass, s: CaseState| data.class_cases(c.id).any(|k| k.state == s);
        let start = data
            .classes
            .values()
            .find(|c| c.start <= today && c.end > today && with(c, CaseState::Enrolled))
            .expect("a started class with people enrolled")
            .id;
        let evaluate = data
            .classes
            .values()
            .find(|c| c.end <= today && with(c, CaseState::InTraining))
            .expect("an ended class with people in training")
            .id;
        let people: Vec<Trainee> = data
            .class_cases(evaluate)
            .filter(|k| k.state == CaseState::InTraining)
            .map(|k| data.trainees[&k.trainee].clone())
            .collect();
        (start, evaluate, people)
    };
    let before = certified(&db);

    let cmd = format!("{} --db {} --operator e2e", bin(), shell_quote(&db));
    let t = Tmux::start("classwork", &cmd, 120, 40);
    t.wait_for("岗位需求");
    t.keys(&["M-2"]);
    t.text(&format!("'{start}"));
    t.wait_for(&format!("搜索> '{start}"));
    // The list follows the query a moment later: open only once the detail shows that class.
    t.wait_for(&format!("│{start} "));
    t.keys(&["Enter"]);
    t.wait_for("花名册");
    t.keys(&["S"]);
    t.wait_for("请确认");
    t.keys(&["y"]);
    t.wait_for("「开始培训」");
    // Esc alone (sent with the next key it would read as alt-ctrl-u).
    t.keys(&["Escape"]);
    std::thread::sleep(std::time::Duration::from_millis(400));
    t.keys(&["C-u"]);
    t.text(&format!("'{evaluate}"));
    t.wait_for(&format!("搜索> '{evaluate}"));
    // The list follows the query a moment later: open only once the detail shows that class.
    t.wait_for(&format!("│{evaluate} "));
    t.keys(&["Enter"]);
    t.wait_for("花名册");
    t.keys(&["V"]);
    t.wait_for("请确认");
    t.keys(&["y"]);
    let s = t.wait_for("「送评价」");
    assert!(s.contains(&format!("已为 {} 人", people.len())), "{s}");
    t.keys(&["C-c"]);
    t.wait_for("EXITED 0");
    drop(t);

    // The agency's sheet: everyone passes but the last, who fails.
    let mut sheet = String::from("身份证号,姓名,理论成绩,实操成绩,证书编号\r\n");
    for (i, p) in people.iter().enumerate() {
        let (score, cert) = if i + 1 == people.len() && people.len() > 1 {
            ("40", String::new())
        } else {
            ("88", format!("ZJ2025E2E{i:03}"))
        };
        sheet.push_str(&format!("{},{},{score},{score},{cert}\r\n", p.id_number, p.name));
    }
    let file = dir.path().join("results.csv");
    std::fs::write(&file, sheet).unwrap();
    let (ok, out) = common::run_cli(
        &[
            "import",
            "results",
            file.to_str().unwrap(),
            "--class",
            &evaluate.to_string(),
        ],
        &db,
    );
    assert!(ok, "{out}");
    let passes = if people.len() > 1 {
        people.len() - 1
    } else {
        people.len()
    };
    assert_eq!(certified(&db), before + passes as u64);
    let (ok, out) = common::run_cli(&["check"], &db);
    assert!(ok, "{out}");
}
