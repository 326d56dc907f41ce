//! Upgrades on a real database: each fixture under `tests/fixtures/` was
//! written by an earlier skillbridge (see its README). A copy must open with
//! today's program, migrate to `SCHEMA_VERSION` (after a backup when there
//! is anything to migrate), keep every figure and check clean.

use crate::common;

use common::raw_open;
use skillbridge::store::migrate;
use skillbridge::store::{SCHEMA_VERSION, Store};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A copy of a fixture: sled rewrites files when it opens a database, so
/// the committed one is never opened in place.
fn copy_of(name: &str) -> (tempfile::TempDir, PathBuf) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    copy(&fixtures().join(name), &path);
    (dir, path)
}

fn schema_version(path: &Path) -> u32 {
    let raw = raw_open(path);
    let v = raw.open_tree("meta").unwrap().get("schema_version").unwrap().unwrap();
    u32::from_be_bytes(v.as_ref().try_into().unwrap())
}

#[test]
fn the_schema_1_demo_city_opens_migrates_and_checks_clean() {
    let (dir, path) = copy_of("v1-demo");
    assert_eq!(schema_version(&path), 1, "the fixture is a schema-1 database");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("v1-demo.stats.json")).unwrap()).unwrap();

    let store = Store::reopen(&path).unwrap();
    let report = store.check();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!((report.records, report.events), (841, 334), "{report:?}");
    let stats = serde_json::to_value(skillbridge::stats::compute(&store).unwrap()).unwrap();
    assert_eq!(stats, expected, "the figures changed in the upgrade");
    drop(store);
    assert_eq!(schema_version(&path), SCHEMA_VERSION);
    // Schema 2 dropped the index trees nothing read.
    let trees: Vec<String> = raw_open(&path)
        .tree_names()
        .iter()
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    for gone in [
        "idx_demand_occupation",
        "idx_class_region",
        "idx_case_class",
        "idx_case_trainee",
    ] {
        assert!(!trees.iter().any(|t| t == gone), "{gone} is still there: {trees:?}");
    }

    // A backup exactly when there was something to migrate.
    let steps = migrate::plan(migrate::STEPS, 1, SCHEMA_VERSION).expect("a step from every older version");
    let backups = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("db.bak-"))
        .count();
    assert_eq!(backups, usize::from(!steps.is_empty()));
}

/// Run the program on `db` (a separate process: the catalog it installs is its own).
fn run(db: &Path, args: &[&str]) -> std::process::Output {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args(["--lang", "en", "--operator", "fixture", "--db"])
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A database made by the program before city packs (schema 2, no pack
/// trees) gets the compiled-in Zhenjiang catalog as its pack: check clean,
/// the same figures, and an export of every kind identical, name by name,
/// to the one that program made.
#[test]
fn the_schema_2_demo_city_gets_zhenjiangs_pack_and_keeps_its_meaning() {
    let (dir, path) = copy_of("v2-demo");
    assert_eq!(schema_version(&path), 2, "the fixture is a schema-2 database");
    assert!(
        !raw_open(&path).tree_names().iter().any(|n| n.starts_with(b"pack_")),
        "the fixture has no pack trees"
    );
    let store = Store::reopen(&path).unwrap();
    let report = store.check();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(store.pack().unwrap(), Some(skillbridge::pack::Pack::zhenjiang()));
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("v2-demo.stats.json")).unwrap()).unwrap();
    let stats = serde_json::to_value(skillbridge::stats::compute(&store).unwrap()).unwrap();
    assert_eq!(stats, expected, "the figures changed in the upgrade");
    drop(store);
    assert_eq!(schema_version(&path), SCHEMA_VERSION);
    let out = dir.path().join("export");
    run(
        &path,
        &["export", "all", "--format", "json", "--out", out.to_str().unwrap()],
    );
    for kind in ["institutions", "enterprises", "demands", "classes", "trainees"] {
        let before = std::fs::read_to_string(fixtures().join("v2-demo.export").join(format!("{kind}.json"))).unwrap();
        let after = std::fs::read_to_string(out.join(format!("{kind}.json"))).unwrap();
        assert_eq!(after, before, "{kind}: the export changed in the upgrade");
    }
    let check = run(&path, &["check"]);
    assert!(check.status.success());
    // Written once: opening again changes nothing.
    let again = Store::reopen(&path).unwrap();
    assert_eq!(again.pack().unwrap(), Some(skillbridge::pack::Pack::zhenjiang()));
}

/// A database of schema 4 (each event its own item) needs nothing
/// converted for schema 5 (a case's events may be one run): it is backed
/// up, its version moves, it checks clean with the same figures and every
/// event, and a note appended lands after the case's events.
#[test]
fn the_schema_4_demo_city_keeps_its_single_events_and_takes_new_ones() {
    let (dir, path) = copy_of("v4-demo");
    assert_eq!(schema_version(&path), 4, "the fixture is a schema-4 database");
    let items = raw_open(&path).open_tree("events").unwrap().len();
    let store = Store::reopen(&path).unwrap();
    let report = store.check();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.events, items, "every event of schema 4 is an item of its own");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("v4-demo.stats.json")).unwrap()).unwrap();
    let stats = serde_json::to_value(skillbridge::stats::compute(&store).unwrap()).unwrap();
    assert_eq!(stats, expected, "the figures changed in the upgrade");
    let cases: Vec<skillbridge::domain::Case> = store.all().unwrap();
    let noted = cases
        .iter()
        .find(|c| c.events > 0 && store.add_note(c.id, &common::stamp(), "升级后补记").is_ok())
        .expect("a case that takes a note");
    let evs = store.events_of(noted.id).unwrap();
    assert_eq!(evs.len(), noted.events as usize + 1);
    assert_eq!(evs.last().map(|e| e.note.as_str()), Some("升级后补记"));
    assert!(store.check().problems.is_empty());
    drop(store);
    assert_eq!(schema_version(&path), SCHEMA_VERSION);
    let backups = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("db.bak-"))
        .count();
    assert_eq!(backups, 1, "the upgrade backs the database up first");
}
