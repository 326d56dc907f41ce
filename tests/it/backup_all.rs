//! A backup carries the city pack, the training wishes and the subsidy
//! claims and standards as well as the records, and a restore puts them
//! back whole: backing the restored database up again gives the same
//! lines. A format 1 backup (before them) still restores.

use crate::common::run_cli;
use std::path::Path;

/// The lines of a backup without its header (which holds the time).
fn body(file: &Path) -> Vec<String> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("header ") && !l.starts_with("end "))
        .map(str::to_string)
        .collect()
}

fn lines_of<'a>(body: &'a [String], kind: &str) -> Vec<&'a String> {
    let p = format!("{kind} ");
    body.iter().filter(|l| l.starts_with(&p)).collect()
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

fn demo(dir: &Path, pack: Option<&str>) -> std::path::PathBuf {
    let db = dir.join("city");
    let mut args = vec!["demo", "--build-only", "--trainees", "120"];
    if let Some(p) = pack {
        args.extend(["--pack", p]);
    }
    let (ok, text) = run_cli(&args, &db);
    assert!(ok, "demo: {text}");
    db
}

fn check_clean(db: &Path) {
    let (ok, text) = run_cli(&["check"], db);
    assert!(ok, "check of {}: {text}", db.display());
}

#[test]
fn a_restore_holds_the_wishes_claims_standards_and_pack_of_a_city() {
    // Zhenjiang's demo has wishes and claims; Yangzhou's has its own pack.
    for pack in [None, Some("packs/sample-yangzhou")] {
        let dir = tempfile::tempdir().unwrap();
        let db = demo(dir.path(), pack);
        let file = dir.path().join("city.sbk");
        let (ok, said) = run_cli(&["backup", file.to_str().unwrap()], &db);
        assert!(ok, "{said}");
        let first = body(&file);
        assert_eq!(first[0], "SKILLBRIDGE-BACKUP 2");
        let mut carried = vec!["pack", "pack_region", "pack_occupation"];
        if pack.is_none() {
            carried.extend(["standards", "wish", "wish_event", "claim", "claim_event"]);
        }
        for kind in carried {
            assert!(
                !lines_of(&first, kind).is_empty(),
                "{pack:?}: the backup holds no {kind} line"
            );
        }
        let city = lines_of(&first, "pack");
        let name = if pack.is_some() { "扬州" } else { "镇江" };
        assert!(city[0].contains(&hex(name)), "{}", city[0]);
        // The summary counts them.
        let wishes = lines_of(&first, "wish").len();
        let claims = lines_of(&first, "claim").len();
        assert!(said.contains(&format!("{wishes} wish,")), "{said}");
        assert!(said.contains(&format!("{claims} claim,")), "{said}");

        let restored = dir.path().join("restored");
        let (ok, said) = run_cli(&["restore", file.to_str().unwrap()], &restored);
        assert!(ok, "{said}");
        assert!(said.contains(&format!("{wishes} wish,")), "{said}");
        assert!(said.contains(&format!("{claims} claim,")), "{said}");
        check_clean(&restored);
        let again = dir.path().join("again.sbk");
        let (ok, said) = run_cli(&["backup", again.to_str().unwrap()], &restored);
        assert!(ok, "{said}");
        // Every wish, wish outcome, claim (with its state), claim event,
        // standard, index entry and pack row, byte for byte.
        let second = body(&again);
        assert_eq!(first.len(), second.len());
        for (a, b) in first.iter().zip(&second) {
            assert_eq!(a, b);
        }
    }
}

/// Rewrite a backup as format 1: only the record kinds, counts and
/// checksum to match.
fn as_format_1(from: &Path, to: &Path) {
    let text = std::fs::read_to_string(from).unwrap();
    let records = [
        "meta",
        "institution",
        "enterprise",
        "demand",
        "class",
        "trainee",
        "case",
        "event",
    ];
    let mut out = String::new();
    let mut n = 0u64;
    for line in text.lines() {
        let kind = line.split(' ').next().unwrap();
        if line.starts_with("SKILLBRIDGE-BACKUP") {
            out.push_str("SKILLBRIDGE-BACKUP 1\n");
        } else if kind == "header" {
            let mut h: serde_json::Value = serde_json::from_str(&line["header ".len()..]).unwrap();
            let counts = h["counts"].as_object_mut().unwrap();
            counts.retain(|k, _| records.contains(&k.as_str()));
            out.push_str(&format!("header {h}\n"));
        } else if records.contains(&kind) {
            n += 1;
            out.push_str(line);
            out.push('\n');
        }
    }
    let crc = crc32fast::hash(out.as_bytes());
    out.push_str(&format!("end 1 {{\"records\":{n},\"crc32\":\"{crc:08x}\"}}\n"));
    std::fs::write(to, out).unwrap();
}

#[test]
fn a_format_1_backup_restores_with_no_wishes_or_claims_and_zhenjiangs_pack() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path(), None);
    let file = dir.path().join("new.sbk");
    let (ok, said) = run_cli(&["backup", file.to_str().unwrap()], &db);
    assert!(ok, "{said}");
    let old = dir.path().join("old.sbk");
    as_format_1(&file, &old);

    let restored = dir.path().join("restored");
    let (ok, said) = run_cli(&["restore", old.to_str().unwrap()], &restored);
    assert!(ok, "{said}");
    check_clean(&restored);
    let again = dir.path().join("again.sbk");
    let (ok, said) = run_cli(&["backup", again.to_str().unwrap()], &restored);
    assert!(ok, "{said}");
    assert!(
        said.contains("0 wish, 0 wish_event, 0 standards, 0 claim, 0 claim_event, 1 pack"),
        "{said}"
    );
    let (new, back) = (body(&file), body(&again));
    // The records all came back; the pack is the one a migration gives.
    for kind in [
        "institution",
        "enterprise",
        "demand",
        "class",
        "trainee",
        "case",
        "event",
    ] {
        assert_eq!(lines_of(&new, kind), lines_of(&back, kind), "{kind}");
    }
    for kind in [
        "pack",
        "pack_region",
        "pack_occupation",
        "pack_program",
        "pack_alliance",
    ] {
        assert_eq!(lines_of(&new, kind), lines_of(&back, kind), "{kind}");
    }
    assert!(lines_of(&back, "pack")[0].contains(&hex("镇江")));

    // A format 1 file holds no carried kind: one that does is damaged.
    let text = std::fs::read_to_string(&old).unwrap();
    let bad = dir.path().join("bad.sbk");
    let wish = lines_of(&new, "wish")
        .first()
        .map(|l| l.to_string())
        .unwrap_or_else(|| "wish 1 {\"key\":\"00\",\"value\":\"00\"}".into());
    let with = text.replacen("\nend 1", &format!("\n{wish}\nend 1"), 1);
    std::fs::write(&bad, with).unwrap();
    let (ok, said) = run_cli(&["restore", bad.to_str().unwrap()], &dir.path().join("bad"));
    assert!(!ok, "{said}");
    assert!(!dir.path().join("bad").join("db").exists());
}
