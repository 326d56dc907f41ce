//! Export → import → export gives the same files; backup → restore gives a
//! database that `check` accepts with the same figures.

use crate::common;

use skillbridge::domain::*;
use skillbridge::store::Store;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

const KINDS: [&str; 5] = ["institutions", "enterprises", "demands", "classes", "trainees"];

/// sled's IO pool thread holds a database's file lock for a moment after
/// the last handle is dropped (see Store::reopen on the crash branch): a
/// `demo` that reopens what it just built, or a command right after this
/// test closed the database, can meet it. Such a command fails before it
/// changes anything (a demo city is already in place), so it is run again.
fn sb(args: &[&str], db: &Path) -> Output {
    let start = Instant::now();
    loop {
        let out = common::run_bin(args, db);
        let locked = String::from_utf8_lossy(&out.stderr).contains("is already open in another process");
        if !locked || start.elapsed() > Duration::from_secs(5) {
            return out;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn demo(db: &Path) {
    ok(sb(&["demo", "--build-only", "--trainees", "300"], db));
}

fn export_all(db: &Path, dir: &Path, format: &str) {
    ok(sb(
        &["export", "all", "--format", format, "--out", dir.to_str().unwrap()],
        db,
    ));
}

fn import_all(db: &Path, dir: &Path, ext: &str) -> Vec<String> {
    KINDS
        .iter()
        .map(|k| {
            let file = dir.join(format!("{k}.{ext}"));
            let out = ok(sb(&["import", k, file.to_str().unwrap()], db));
            String::from_utf8_lossy(&out.stdout).into_owned()
        })
        .collect()
}

fn same_files(a: &Path, b: &Path, ext: &str) {
    for k in KINDS {
        let (fa, fb) = (a.join(format!("{k}.{ext}")), b.join(format!("{k}.{ext}")));
        let (ta, tb) = (std::fs::read(&fa).unwrap(), std::fs::read(&fb).unwrap());
        assert!(ta.len() > 100, "{} is nearly empty", fa.display());
        assert!(ta == tb, "{} and {} differ", fa.display(), fb.display());
    }
}

#[test]
fn export_import_export_gives_identical_files() {
    let dir = tempfile::tempdir().unwrap();
    let p = |s: &str| dir.path().join(s);
    demo(&p("a"));
    export_all(&p("a"), &p("csv1"), "csv");
    export_all(&p("a"), &p("json1"), "json");

    // CSV into an empty database and out again.
    let reports = import_all(&p("b"), &p("csv1"), "csv");
    assert!(reports[4].contains("300 rows of trainees: 300 added"), "{reports:?}");
    export_all(&p("b"), &p("csv2"), "csv");
    same_files(&p("csv1"), &p("csv2"), "csv");
    ok(sb(&["check"], &p("b")));

    // JSON the same way; its data exported as CSV is the first CSV.
    import_all(&p("c"), &p("json1"), "json");
    export_all(&p("c"), &p("json2"), "json");
    same_files(&p("json1"), &p("json2"), "json");
    export_all(&p("c"), &p("csv3"), "csv");
    same_files(&p("csv1"), &p("csv3"), "csv");

    // Every record came across: the figures import can carry match.
    let stats = |db: &str| -> serde_json::Value {
        serde_json::from_slice(&ok(sb(&["stats", "--json"], &p(db))).stdout).unwrap()
    };
    let (a, b) = (stats("a"), stats("b"));
    for key in [
        "institutions",
        "enterprises",
        "demands",
        "demand_posts",
        "classes",
        "seats",
        "trainees",
    ] {
        assert_eq!(a[key], b[key], "{key}");
    }
    assert_eq!(a["project_linked_posts"], b["project_linked_posts"]);

    // Importing the export into the database it came from changes nothing.
    for r in import_all(&p("a"), &p("csv1"), "csv") {
        assert!(r.contains(" 0 added, 0 updated,") && r.contains(" 0 rejected"), "{r}");
    }
    ok(sb(&["check"], &p("a")));

    // A single kind to standard output is the same as the file.
    let out = ok(sb(&["export", "institutions"], &p("a")));
    assert_eq!(out.stdout, std::fs::read(p("csv1").join("institutions.csv")).unwrap());
}

#[test]
fn backup_then_restore_gives_a_checked_database_with_identical_stats() {
    let dir = tempfile::tempdir().unwrap();
    let p = |s: &str| dir.path().join(s);
    demo(&p("a"));
    let file = p("city.skb");
    let out = ok(sb(&["backup", file.to_str().unwrap()], &p("a")));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("300 trainee") && text.contains(" event"), "{text}");
    let backup = std::fs::read_to_string(&file).unwrap();
    assert!(
        backup.starts_with("SKILLBRIDGE-BACKUP 2\nheader {\"schema\":1,"),
        "{}",
        &backup[..80]
    );
    assert!(backup.lines().last().unwrap().starts_with("end 1 {\"records\":"));

    let out = ok(sb(&["restore", file.to_str().unwrap()], &p("r")));
    assert!(String::from_utf8_lossy(&out.stdout).contains("check found no problems"));
    ok(sb(&["check"], &p("r")));
    assert_eq!(
        ok(sb(&["stats", "--json"], &p("a"))).stdout,
        ok(sb(&["stats", "--json"], &p("r"))).stdout
    );
    {
        // Same records with the same ids, cases and events included.
        let (a, r) = (Store::open(&p("a")).unwrap(), Store::open(&p("r")).unwrap());
        assert_eq!(a.all::<Trainee>().unwrap(), r.all::<Trainee>().unwrap());
        let cases = a.all::<Case>().unwrap();
        assert_eq!(cases, r.all::<Case>().unwrap());
        for c in cases.iter().take(50) {
            assert_eq!(a.events_of(c.id).unwrap(), r.events_of(c.id).unwrap());
        }
        // New records after a restore never reuse a restored id.
        let before = r.all::<Institution>().unwrap();
        let new = r
            .save(Institution {
                id: InstitutionId(0),
                name: "恢复后新增培训学校".into(),
                region: RegionId(2),
                stars: 3,
            })
            .unwrap();
        let max = r.all::<Case>().unwrap().iter().map(|c| c.id.0).max().unwrap();
        assert!(
            new.id.0 > max,
            "new id {} collides with restored ids (max {max})",
            new.id
        );
        assert_eq!(r.count::<Institution>(), before.len() + 1);
        assert!(r.check().problems.is_empty());
    }

    // Restore never overwrites a database.
    let out = sb(&["restore", file.to_str().unwrap()], &p("r"));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("already holds a database") && err.contains("records)"),
        "{err}"
    );

    // A damaged, a cut-short and a foreign file are refused, and leave nothing behind.
    let damaged = p("damaged.skb");
    std::fs::write(&damaged, backup.replacen("\"stars\":5", "\"stars\":4", 1)).unwrap();
    let cut = p("cut.skb");
    let half: Vec<&str> = backup.lines().take(backup.lines().count() / 2).collect();
    std::fs::write(&cut, half.join("\n") + "\n").unwrap();
    let newer = p("newer.skb");
    std::fs::write(
        &newer,
        backup.replacen("SKILLBRIDGE-BACKUP 2", "SKILLBRIDGE-BACKUP 7", 1),
    )
    .unwrap();
    let csv = p("x.csv");
    std::fs::write(&csv, "姓名,身份证号\n").unwrap();
    for (f, want) in [
        (&damaged, "checksum mismatch"),
        (&cut, "is cut short"),
        (&newer, "backup format 7, newer than this skillbridge reads (up to 2)"),
        (&csv, "is not a skillbridge backup: its first line is '姓名,身份证号'"),
    ] {
        let target = p("r2");
        let out = sb(&["restore", f.to_str().unwrap()], &target);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{}: {err}", f.display());
        assert!(!target.exists(), "{}", f.display());
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("restoring"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A backup never overwrites a file.
    let out = sb(&["backup", file.to_str().unwrap()], &p("a"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
}
