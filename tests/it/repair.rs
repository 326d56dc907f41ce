//! `skillbridge check --repair` rebuilds indexes, counters and demand
//! status from the records, after backing the database directory up, and
//! says what it changed; what it cannot fix it leaves and reports.

use crate::common;

use common::*;
use skillbridge::domain::*;
use skillbridge::store::{Store, codec};
use std::path::{Path, PathBuf};

fn backups(path: &Path) -> Vec<PathBuf> {
    let name = format!("{}.bak-", path.file_name().unwrap().to_string_lossy());
    let mut v: Vec<PathBuf> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(&name))
        .collect();
    v.sort();
    v
}

struct Built {
    city: City,
    trainees: Vec<Trainee>,
    hired_case: CaseId,
}

/// A city with cases enrolled, certified, referred and one hired (which
/// fills the one-post demand).
fn build(path: &Path) -> Built {
    let store = Store::open(path).unwrap();
    let city = city(&store, 6, 1);
    let trainees: Vec<Trainee> = (1..=4).map(|n| trainee(&store, n)).collect();
    let cases: Vec<Case> = trainees
        .iter()
        .map(|t| store.enroll(t.id, city.class.id, &stamp(), "").unwrap())
        .collect();
    certify(&store, cases[0].id, SkillLevel::L4);
    certify(&store, cases[1].id, SkillLevel::L4);
    store
        .transition(cases[0].id, Move::Refer(city.demand.id), &stamp(), "")
        .unwrap();
    store.transition(cases[0].id, Move::Hire, &stamp(), "").unwrap();
    store
        .transition(cases[3].id, Move::Withdraw { reason: "moved".into() }, &stamp(), "")
        .unwrap();
    assert!(store.check().problems.is_empty());
    Built {
        city,
        trainees,
        hired_case: cases[0].id,
    }
}

/// Every primary record's bytes, to show repair leaves them alone.
fn records(path: &Path) -> Vec<(String, Vec<u8>, Vec<u8>)> {
    let raw = raw_open(path);
    let mut out = Vec::new();
    for tree in ["institutions", "enterprises", "classes", "trainees", "cases", "events"] {
        for item in raw.open_tree(tree).unwrap().iter() {
            let (k, v) = item.unwrap();
            out.push((tree.to_string(), k.to_vec(), v.to_vec()));
        }
    }
    out
}

#[test]
fn repair_rebuilds_indexes_and_counters_after_a_backup_and_says_what_it_did() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let built = build(&path);
    let class = built.city.class.id;
    let demand = built.city.demand.id;
    // Damage everything derived, with raw sled.
    {
        let raw = raw_open(&path);
        raw.open_tree("idx_trainee_id_number").unwrap().clear().unwrap();
        let mut stray = 777u64.to_be_bytes().to_vec();
        stray.extend_from_slice(&888u64.to_be_bytes());
        raw.open_tree("idx_enrollment")
            .unwrap()
            .insert(stray, &999u64.to_be_bytes())
            .unwrap();
        let usage = raw.open_tree("class_usage").unwrap();
        usage.insert(class.0.to_be_bytes(), &7u32.to_be_bytes()).unwrap();
        usage.insert(424_242u64.to_be_bytes(), &1u32.to_be_bytes()).unwrap();
        raw.open_tree("demand_usage").unwrap().clear().unwrap();
        // The demand was filled by the hire; say it is open.
        let demands = raw.open_tree("demands").unwrap();
        let mut d: JobDemand = codec::decode(&demands.get(demand.0.to_be_bytes()).unwrap().unwrap(), 1)
            .unwrap()
            .1;
        assert_eq!(d.status, DemandStatus::Filled);
        d.status = DemandStatus::Open;
        demands
            .insert(demand.0.to_be_bytes(), codec::encode(1, &d).unwrap())
            .unwrap();
        raw.flush().unwrap();
    }
    let before = records(&path);
    let generation_before = Store::reopen(&path).unwrap().generation().unwrap();
    let (ok, text) = common::run_cli(&["check"], &path);
    assert!(!ok, "{text}");
    // The database was built by this test process (no private umask): the
    // first check made its files private and said so; the report proper is
    // what the backup must repeat.
    let damaged_report: String = text
        .lines()
        .filter(|l| !l.starts_with("made "))
        .map(|l| format!("{l}\n"))
        .collect();

    let (ok, text) = common::run_cli(&["check", "--repair"], &path);
    assert!(ok, "{text}");
    let backup = backups(&path);
    assert_eq!(backup.len(), 1, "{backup:?}");
    let backup = &backup[0];
    assert!(
        text.contains(&format!("backed up {} to {}", path.display(), backup.display())),
        "{text}"
    );
    for t in &built.trainees {
        assert!(
            text.contains(&format!("idx_trainee_id_number {}: was missing; added", t.id_number)),
            "{text}"
        );
    }
    for expected in [
        "idx_enrollment 00000000000003090000000000000378: named no record; removed".to_string(),
        format!("class_usage {class}: seats used: the counter said 7, the cases hold 3; set to 3"),
        "class_usage 0000000000067932: counter for a class that does not exist; removed".to_string(),
        format!("demand_usage {demand}: posts taken: the counter said nothing, the cases hold 0 referred / 1 hired"),
        format!("demands {demand}: status was open with 1 of 1 posts hired; now filled"),
        "check finds no problems".to_string(),
    ] {
        assert!(text.contains(&expected), "missing {expected:?} in:\n{text}");
    }

    // The database checks clean and answers by its indexes again.
    let store = Store::reopen(&path).unwrap();
    // Counters changed under any cached picture of the records: the
    // generation moved, so none is trusted at the next start.
    assert!(store.generation().unwrap() > generation_before);
    assert!(store.check().problems.is_empty(), "{:?}", store.check().problems);
    for t in &built.trainees {
        assert_eq!(store.trainee_by_id_number(&t.id_number).unwrap().as_ref(), Some(t));
    }
    assert_eq!(store.seats_used(class).unwrap(), 3);
    assert_eq!(store.demand_usage(demand).unwrap().hired, 1);
    assert_eq!(
        store.get::<Case>(built.hired_case.0).unwrap().unwrap().state,
        CaseState::Employed(demand)
    );
    drop(store);
    // No primary record but the demand's status was touched.
    assert_eq!(records(&path), before);
    // The backup is the database as it was before the repair.
    let (ok, text) = common::run_cli(&["check"], backup);
    assert!(!ok);
    assert_eq!(
        text.replace(&backup.display().to_string(), "PATH"),
        damaged_report.replace(&path.display().to_string(), "PATH")
    );

    // A second repair finds nothing and takes no backup.
    let (ok, text) = common::run_cli(&["check", "--repair"], &path);
    assert!(ok, "{text}");
    assert!(text.contains("nothing to repair"), "{text}");
    assert_eq!(backups(&path).len(), 1);
}

#[test]
fn what_repair_cannot_fix_is_left_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let built = build(&path);
    {
        let raw = raw_open(&path);
        // Three seats are taken; squeeze the class to two behind the store's
        // back, and lose a counter so there is also something to repair.
        let classes = raw.open_tree("classes").unwrap();
        let key = built.city.class.id.0.to_be_bytes();
        let mut c: TrainingClass = codec::decode(&classes.get(key).unwrap().unwrap(), 1).unwrap().1;
        c.capacity = 2;
        classes.insert(key, codec::encode(1, &c).unwrap()).unwrap();
        raw.open_tree("class_usage").unwrap().clear().unwrap();
        raw.flush().unwrap();
    }
    let (ok, text) = common::run_cli(&["check", "--repair"], &path);
    assert!(!ok, "{text}");
    assert!(
        text.contains("seats used: the counter said nothing, the cases hold 3"),
        "{text}"
    );
    assert!(text.contains("1 problems remain that repair cannot fix"), "{text}");
    assert!(text.contains("3 active enrollments exceed capacity 2"), "{text}");
    assert_eq!(backups(&path).len(), 1);
    // The record is as it was: repair does not invent a capacity.
    let store = Store::reopen(&path).unwrap();
    assert_eq!(
        store
            .get::<TrainingClass>(built.city.class.id.0)
            .unwrap()
            .unwrap()
            .capacity,
        2
    );
}

#[test]
fn repair_refuses_a_database_another_process_holds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    build(&path);
    let _held = Store::reopen(&path).unwrap();
    let (ok, text) = common::run_cli(&["check", "--repair"], &path);
    assert!(!ok);
    assert!(text.contains("already open in another process"), "{text}");
    assert!(text.contains(&path.display().to_string()), "{text}");
    assert!(backups(&path).is_empty());
}
