//! The binary's commands on a demo city.

use std::path::Path;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_skillbridge"))
}

fn run(args: &[&str], db: &Path) -> std::process::Output {
    bin()
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("SKILLBRIDGE_DB")
        .output()
        .unwrap()
}

#[test]
fn demo_city_has_the_articles_numbers_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city");
    let out = run(&["demo", "--build-only"], &db);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["stats", "--json"], &db);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["regions"], 8);
    assert_eq!(v["institutions"], 30);
    assert_eq!(v["demand_posts"]["skilled"], 1345);
    assert_eq!(v["demand_posts"]["technical_management"], 611);
    // The published menu and the spring cohort whose follow-ups are due (#18).
    assert_eq!(v["seats"]["regular"], 3607 + skillbridge::demo::SPRING_SEATS);
    assert_eq!(v["classes"]["project"], 3);
    assert_eq!(v["seats"]["project"], 102);
    assert_eq!(v["project_linked_posts"], 88);
    assert_eq!(v["project_enterprises"], 12);
    assert_eq!(v["trainees"], 3709);
    assert!(v["demo"].as_str().unwrap().contains("synthetic"));
    // Cases in every state of the machine.
    for (state, n) in v["cases_by_state"].as_object().unwrap() {
        assert!(n.as_u64().unwrap() > 0, "no case in state {state}");
    }
    assert_eq!(v["cases_by_state"].as_object().unwrap().len(), 9);

    let out = run(&["check"], &db);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));

    // Running demo again on the same path changes nothing.
    let out = run(&["demo", "--build-only"], &db);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("left as it is"));
    let again = run(&["stats", "--json"], &db);
    assert_eq!(again.stdout, run(&["stats", "--json"], &db).stdout);
    let v2: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(v, v2);
}

#[test]
fn the_same_seed_gives_the_same_city() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for db in [&a, &b] {
        assert!(
            run(&["demo", "--build-only", "--trainees", "300", "--seed", "7"], db)
                .status
                .success()
        );
    }
    assert_eq!(
        run(&["stats", "--json"], &a).stdout,
        run(&["stats", "--json"], &b).stdout
    );
}

#[test]
fn read_commands_do_not_create_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nothing-here");
    let out = run(&["stats"], &db);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no database at") && err.contains("skillbridge demo"),
        "{err}"
    );
    assert!(!db.exists());
}

#[test]
fn the_workspace_refuses_a_path_with_no_database_and_init_makes_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mistyped");
    // Before the terminal is asked for: the same refusal as every command.
    for args in [&[][..], &["tui"][..]] {
        let out = run(args, &db);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("no database at") && err.contains("skillbridge init"),
            "{err}"
        );
        assert!(!db.exists(), "nothing created at {}", db.display());
    }
    let out = run(&["init"], &db);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["stats", "--json"], &db);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let again = run(&["init"], &db);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds a database"));
    // The workspace now gets past the database and asks for a terminal.
    let out = run(&["tui"], &db);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a terminal"));
}

/// The layers below the UI never import the terminal crates.
#[test]
fn domain_store_and_search_know_no_terminal() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    for layer in ["domain", "store", "search", "service", "demo"] {
        let dir = root.join(layer);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut stack: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                stack.extend(std::fs::read_dir(&p).unwrap().flatten().map(|e| e.path()));
            } else if p.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                for word in ["ratatui", "crossterm"] {
                    if text.contains(word) {
                        offenders.push(format!("{} mentions {word}", p.display()));
                    }
                }
            }
        }
    }
    assert!(root.join("domain").is_dir() && root.join("store").is_dir());
    assert!(offenders.is_empty(), "{offenders:?}");
}
