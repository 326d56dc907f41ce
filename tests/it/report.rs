//! `skillbridge report` on the demo city: the same numbers as `stats`, in
//! three formats, and exact messages for what it refuses.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str], db: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("SKILLBRIDGE_DB")
        .output()
        .unwrap()
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn demo(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("city");
    ok(run(&["demo", "--build-only"], &db));
    db
}

fn sum(v: &Value, list: &str, field: &str) -> u64 {
    v[list]
        .as_array()
        .unwrap_or_else(|| panic!("no list '{list}'"))
        .iter()
        .map(|r| {
            r[field]
                .as_u64()
                .unwrap_or_else(|| panic!("{list}.{field} missing in {r}"))
        })
        .sum()
}

#[test]
fn report_json_agrees_with_stats_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let stats: Value = serde_json::from_str(&ok(run(&["stats", "--json"], &db))).unwrap();
    let report: Value = serde_json::from_str(&ok(run(&["report", "--format", "json"], &db))).unwrap();
    let totals = &report["totals"];
    for key in [
        "institutions",
        "enterprises",
        "demands",
        "demand_posts",
        "classes",
        "seats",
        "seats_used",
        "trainees",
        "cases",
        "cases_by_state",
    ] {
        assert!(!stats[key].is_null(), "stats has no '{key}'");
        assert_eq!(totals[key], stats[key], "'{key}' differs between report and stats");
    }
    assert_eq!(report["demo"], stats["demo"]);

    // The breakdowns add up to the same whole.
    let by = &stats["cases_by_state"];
    let n = |k: &str| by[k].as_u64().unwrap();
    for list in ["districts", "programs"] {
        assert_eq!(
            sum(&report, list, "enrolled"),
            stats["seats_used"].as_u64().unwrap(),
            "{list}"
        );
        assert_eq!(
            sum(&report, list, "in_training"),
            n("enrolled") + n("in_training") + n("awaiting_evaluation"),
            "{list}"
        );
        assert_eq!(sum(&report, list, "waiting"), n("certified") + n("not_hired"), "{list}");
        assert_eq!(sum(&report, list, "employed"), n("employed"), "{list}");
        let classes = stats["classes"]["regular"].as_u64().unwrap() + stats["classes"]["project"].as_u64().unwrap();
        assert_eq!(sum(&report, list, "classes"), classes, "{list}");
        let seats = stats["seats"]["regular"].as_u64().unwrap() + stats["seats"]["project"].as_u64().unwrap();
        assert_eq!(sum(&report, list, "seats"), seats, "{list}");
    }
    // Every class trains a skilled trade: the trade rows hold every case too.
    assert_eq!(sum(&report, "trades", "employed"), n("employed"));
    assert_eq!(
        sum(&report, "institutions", "classes"),
        sum(&report, "districts", "classes")
    );
    // Every demand post is open, referred, hired or in a closed/filled demand:
    // the open ones cannot exceed the posts stats counts.
    let open = sum(&report, "districts", "posts_open") + sum(&report, "districts", "tm_posts_open");
    let posts = stats["demand_posts"]["skilled"].as_u64().unwrap()
        + stats["demand_posts"]["technical_management"].as_u64().unwrap();
    assert!(open > 0 && open <= posts, "{open} of {posts}");
    assert_eq!(
        sum(&report, "districts", "tm_posts_open"),
        totals["technical_management_posts_open"].as_u64().unwrap()
    );

    // The targets: goal, actual and share for each of the four.
    let t = &report["targets"];
    for (key, goal) in [
        ("subsidized_trainings", 80_000.0),
        ("skilled_talents", 60_000.0),
        ("high_skill_talents", 15_000.0),
        ("high_skill_per_10k", 1_200.0),
    ] {
        assert_eq!(t[key]["goal"].as_f64(), Some(goal), "{key}");
        let actual = t[key]["actual"].as_f64().unwrap();
        let share = t[key]["share"].as_f64().unwrap();
        let baseline = t[key]["baseline"].as_f64().unwrap();
        assert!(
            (share - (actual - baseline) / (goal - baseline)).abs() < 1e-12,
            "{key}: {}",
            t[key]
        );
    }
    // Skilled talents are people certified in the period: no more than the
    // certified cases, and at least the currently certified ones count.
    let skilled = t["skilled_talents"]["actual"].as_f64().unwrap() as u64;
    assert!(skilled > 0 && skilled <= sum(&report, "districts", "certified"));
    assert_eq!(report["as_of"], "2025-10-15");
    assert_eq!(report["basis"]["labor_force"], 2_000_000);
}

#[test]
fn markdown_csv_and_out_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let md = ok(run(&["report"], &db));
    assert!(md.starts_with("# 技能照亮前程：目标与数据\n"), "{md}");
    for heading in [
        "## 目标",
        "## 本季度 2025Q4",
        "## 工种供需",
        "## 区域",
        "## 专项",
        "## 联盟",
        "## 机构",
    ] {
        assert!(md.contains(heading), "no '{heading}' in:\n{md}");
    }
    assert!(md.contains("| 补贴性培训 | 80,000人次 |"), "{md}");
    let en = ok(run(&["report", "--lang", "en"], &db));
    assert!(en.contains("| Subsidized trainings | 80,000 |"), "{en}");
    assert!(
        en.contains("## Districts") && en.contains("| Jingkou District |"),
        "{en}"
    );

    let csv = ok(run(&["report", "--format", "csv"], &db));
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("section,id,name_zh,name_en,metric,value"));
    assert!(csv.contains("\ntotals,,,,trainees,3709\n"), "{csv}");
    assert!(csv.contains("\ntargets,subsidized_trainings,补贴性培训,Subsidized trainings,goal,80000\n"));
    assert!(csv.contains(
        "\ntargets,high_skill_per_10k,每万名劳动力中高技能人才,\"High-skill per 10,000 workers\",goal,1200\n"
    ));
    // Six fields on every line (quoted commas aside).
    for line in csv.lines() {
        let mut fields = 1;
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => fields += 1,
                _ => {}
            }
        }
        assert_eq!(fields, 6, "{line}");
    }

    let file = dir.path().join("report.json");
    let printed = ok(run(&["report", "--format", "json"], &db));
    let written = ok(run(
        &["report", "--format", "json", "--out", file.to_str().unwrap()],
        &db,
    ));
    assert_eq!(written, "");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), printed);
}

#[test]
fn the_labor_force_is_a_setting_and_bad_values_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let shown = ok(run(&["labor-force"], &db));
    assert!(shown.contains("labor force 2000000 (the default"), "{shown}");
    let set = ok(run(&["labor-force", "2,263,000"], &db));
    assert!(set.contains("labor force set to 2263000"), "{set}");
    assert!(set.contains("at the 2024 baseline: 1,000.0"), "{set}");
    let v: Value = serde_json::from_str(&ok(run(&["report", "--format", "json"], &db))).unwrap();
    assert_eq!(v["basis"]["labor_force"], 2_263_000);
    assert_eq!(v["targets"]["high_skill_per_10k"]["baseline"].as_f64(), Some(1_000.0));
    // A one-off override leaves the setting alone.
    let v: Value = serde_json::from_str(&ok(run(
        &["report", "--format", "json", "--labor-force", "2000000"],
        &db,
    )))
    .unwrap();
    assert_eq!(v["basis"]["labor_force"], 2_000_000);
    assert!(ok(run(&["labor-force"], &db)).contains("2263000 (set in this database)"));

    let out = run(&["report", "--labor-force", "many"], &db);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("labor force 'many' (--labor-force) is not accepted") && err.contains("from 657000 to 100000000"),
        "{err}"
    );
    let out = run(&["labor-force", "12"], &db);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("labor force '12'"));

    let out = run(&["report", "--format", "xml"], &db);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("'xml'") && err.contains("--format") && err.contains("md, csv, json"),
        "{err}"
    );
    let out = run(&["report", "--lang", "fr"], &db);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown language 'fr' for --lang: expected zh or en"),
        "{err}"
    );
    let out = run(
        &["report", "--out", dir.path().join("no/such/dir/r.md").to_str().unwrap()],
        &db,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot write the report to") && err.contains("no/such/dir/r.md"),
        "{err}"
    );
}

#[test]
fn report_refuses_a_missing_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["report"], &dir.path().join("nothing"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no database at"));
}
