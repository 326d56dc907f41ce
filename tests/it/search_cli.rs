//! `skillbridge search`: the workspace's search for scripts, on the
//! persisted index, which follows every write.

use crate::common;

use common::{demo_city, run_cli};
use skillbridge::domain::IdNumber;

fn lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.is_empty()).collect()
}

#[test]
fn lines_json_digit_runs_and_a_cache_that_follows_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_city(dir.path(), 3000);

    // Every record's line, once, with what it is found by beyond its cells.
    let (ok, all) = run_cli(&["search", "trainees", "--lines", "--reveal"], &db);
    assert!(ok, "{all}");
    let all = lines(&all);
    assert_eq!(all.len(), 3000);
    // Own cells (name, ID number, mobile) first, then the shared ones
    // (district, trades) with the hidden names.
    assert!(all.iter().all(|l| l.split("  ").count() >= 3), "{}", all[0]);
    assert!(
        all.iter()
            .all(|l| skillbridge::domain::REGIONS.iter().any(|r| l.contains(r.zh))),
        "{}",
        all[0]
    );
    assert!(
        all.iter().any(|l| l.contains("welder")),
        "English trade names are searchable text"
    );
    let cache = db.join("search-cache").join("trainees.idx");
    assert!(cache.exists(), "the index is kept for the next lookup");

    // A name finds its record, with the highlight on the name.
    let first: Vec<&str> = all[0].split("  ").collect();
    let (name, id_number) = (first[0], first[1]);
    let (ok, out) = run_cli(
        &["search", "trainees", name, "--json", "--limit", "1000", "--reveal"],
        &db,
    );
    assert!(ok, "{out}");
    let hits: Vec<serde_json::Value> = lines(&out).iter().map(|l| serde_json::from_str(l).unwrap()).collect();
    let me = hits
        .iter()
        .find(|h| h["line"].as_str().unwrap().contains(id_number))
        .expect("the record named is found");
    let want: Vec<u64> = (0..name.chars().count() as u64).collect();
    assert_eq!(
        me["highlight"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect::<Vec<_>>(),
        want
    );

    // Digits match as a run: every result holds them in that order, together.
    let prefix = &id_number[..10];
    let (ok, out) = run_cli(&["search", "trainees", prefix, "--limit", "100000", "--reveal"], &db);
    assert!(ok, "{out}");
    let found = lines(&out);
    assert!(!found.is_empty());
    assert!(found.iter().all(|l| l.contains(prefix)), "{prefix}: {}", found[0]);
    assert_eq!(found.len(), all.iter().filter(|l| l.contains(prefix)).count());

    // A write moves the generation: the next lookup rebuilds and finds the new record.
    let id = IdNumber::from_parts("321102", chrono::NaiveDate::from_ymd_opt(1990, 3, 4).unwrap(), 777).unwrap();
    let csv = dir.path().join("new.csv");
    std::fs::write(&csv, format!("姓名,身份证号\n钱学森试,{id}\n")).unwrap();
    let (ok, out) = run_cli(&["import", "trainees", csv.to_str().unwrap()], &db);
    assert!(ok, "{out}");
    let (ok, out) = run_cli(&["search", "trainees", "qxss"], &db);
    assert!(ok, "{out}");
    assert!(out.contains("钱学森试"), "{out}");

    // A damaged cache is not trusted: rebuilt, with the same answers.
    let bytes = std::fs::read(&cache).unwrap();
    std::fs::write(&cache, &bytes[..bytes.len() / 2]).unwrap();
    let (ok, again) = run_cli(&["search", "trainees", "--lines"], &db);
    assert!(ok, "{again}");
    assert_eq!(lines(&again).len(), 3001);
    assert_eq!(std::fs::read(&cache).unwrap().len(), {
        let (_, out) = run_cli(&["search", "trainees", "--lines"], &db);
        assert_eq!(lines(&out).len(), 3001);
        std::fs::read(&cache).unwrap().len()
    });

    // A wrong kind names the ones accepted.
    let (ok, out) = run_cli(&["search", "people", "x"], &db);
    assert!(!ok);
    assert!(
        out.contains("unknown kind 'people'") && out.contains("trainees"),
        "{out}"
    );
}

#[test]
fn numbers_are_masked_unless_revealed_and_a_reveal_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_city(dir.path(), 300);
    let (ok, whole) = run_cli(&["search", "trainees", "--lines", "--reveal"], &db);
    assert!(ok, "{whole}");
    let (ok, masked) = run_cli(&["search", "trainees", "--lines"], &db);
    assert!(ok, "{masked}");
    let (whole, masked) = (lines(&whole), lines(&masked));
    assert_eq!(whole.len(), masked.len());
    let first: Vec<&str> = whole[0].split("  ").collect();
    let (id_number, mobile) = (first[1], first[2]);
    let shown: Vec<&str> = masked[0].split("  ").collect();
    assert_eq!(shown[1], format!("{}**********{}", &id_number[..4], &id_number[14..]));
    if mobile.len() == 11 {
        assert_eq!(shown[2], format!("{}****{}", &mobile[..3], &mobile[7..]));
    }
    assert!(!masked.iter().any(|l| l.contains(id_number)), "no whole ID number");
    // A search by a partial number still finds the person, shown masked.
    let (ok, out) = run_cli(&["search", "trainees", &id_number[6..14], "--json"], &db);
    assert!(ok, "{out}");
    assert!(out.contains(shown[1]) && !out.contains(id_number), "{out}");
    // Only the reveal was recorded: 300 people, by this account, as an admin.
    let (ok, audit) = run_cli(&["audit", "--json"], &db);
    assert!(ok, "{audit}");
    let records: Vec<serde_json::Value> = lines(&audit).iter().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(records.len(), 1, "{audit}");
    assert_eq!(records[0]["what"], "reveal");
    assert_eq!(records[0]["people"], 300);
    assert_eq!(records[0]["role"], "admin");
}

/// `search` with `SKILLBRIDGE_TIMING`, which says which way it read the
/// index; (succeeded, stdout, stderr).
fn timed_search(db: &std::path::Path, query: &str) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args(["search", "trainees", query, "--limit", "100000"])
        .arg("--db")
        .arg(db)
        .env_remove("SKILLBRIDGE_DB")
        .env("LC_ALL", "C")
        .env("SKILLBRIDGE_TIMING", "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        err,
    )
}

#[test]
fn a_database_at_rest_is_searched_unopened_and_never_from_a_stale_picture() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_city(dir.path(), 400);
    const AT_REST: &str = "database at rest";

    // The first search opens the database and records it at rest; the
    // next reads the mapped index without opening it, and finds the same.
    let (ok, first, err) = timed_search(&db, "wang");
    assert!(ok, "{err}");
    assert!(!err.contains(AT_REST), "{err}");
    assert!(lines(&first).len() > 3, "{first}");
    let (ok, again, err) = timed_search(&db, "wang");
    assert!(ok && err.contains(AT_REST), "{err}");
    assert_eq!(again, first);

    // Open in another process (here: this one): never taken to be at
    // rest; the search says the database is in use, as before.
    {
        let held = skillbridge::store::Store::reopen(&db).unwrap();
        let (ok, out, err) = timed_search(&db, "wang");
        assert!(!ok, "searched a database another process has open: {out}");
        assert!(!err.contains(AT_REST), "{err}");
        drop(held);
    }

    // A write (by a command that does not record the database at rest):
    // the next search opens the database and finds the new record.
    let id = IdNumber::from_parts("321102", chrono::NaiveDate::from_ymd_opt(1990, 3, 4).unwrap(), 777).unwrap();
    let csv = dir.path().join("new.csv");
    std::fs::write(&csv, format!("姓名,身份证号\n王钱学试,{id}\n")).unwrap();
    let (ok, out) = run_cli(&["import", "trainees", csv.to_str().unwrap()], &db);
    assert!(ok, "{out}");
    let (ok, after, err) = timed_search(&db, "wang");
    assert!(ok, "{err}");
    assert!(!err.contains(AT_REST), "a stale picture was searched: {err}");
    assert!(after.contains("王钱学试"), "{after}");
    assert_eq!(lines(&after).len(), lines(&first).len() + 1);
    let (ok, again, err) = timed_search(&db, "wang");
    assert!(ok && err.contains(AT_REST), "{err}");
    assert_eq!(again, after);

    // A damaged cache file is refused on the way in, and rebuilt.
    let idx = db.join("search-cache").join("trainees.idx");
    let mut bytes = std::fs::read(&idx).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&idx, bytes).unwrap();
    let (ok, out, err) = timed_search(&db, "wang");
    assert!(ok && !err.contains(AT_REST), "{err}");
    assert_eq!(out, after);
}

/// A server stopped by SIGTERM records the database at rest as it closes
/// (`Service::close_at_rest` after `serve` returns), so the next one-shot
/// search does not open sled. sled may still tidy its log as it closes,
/// which leaves no record (the safe outcome): a few starts are allowed
/// for that, and at least one must leave the record.
#[test]
fn a_stopped_server_leaves_the_database_at_rest_for_the_next_search() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_city(dir.path(), 300);
    let mut recorded = false;
    let mut said = String::new();
    for _ in 0..3 {
        let _ = std::fs::remove_file(db.join("at-rest"));
        let status = serve_and_stop_at_once(dir.path(), &db);
        assert!(status.is_some_and(|s| s.success()), "serve ended with {status:?}");
        let (ok, out, err) = timed_search(&db, "wang");
        assert!(ok, "{err}");
        assert!(!lines(&out).is_empty(), "{out}");
        said = err;
        if said.contains("database at rest") {
            recorded = true;
            break;
        }
    }
    assert!(recorded, "no stop of the server left the database at rest: {said}");
}

/// A server stopped the moment it says where it listens ends cleanly,
/// every time: its stop signals are caught, and its accept loop hears the
/// stop, from before either could miss it.
#[test]
fn a_server_stopped_as_soon_as_it_listens_always_ends_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_city(dir.path(), 50);
    for round in 0..30 {
        let status = serve_and_stop_at_once(dir.path(), &db);
        assert!(
            status.is_some_and(|s| s.success()),
            "round {round}: serve ended with {status:?}"
        );
    }
}

/// Start `serve` on `db`, send it SIGTERM as soon as it prints how to
/// connect, and wait for it to end (`None`: still running after 20 s, then
/// killed).
fn serve_and_stop_at_once(dir: &std::path::Path, db: &std::path::Path) -> Option<std::process::ExitStatus> {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let keys = dir.join("authorized_keys");
    if !keys.exists() {
        let key = russh::keys::PrivateKey::random(&mut rand::rng(), russh::keys::Algorithm::Ed25519).unwrap();
        std::fs::write(&keys, format!("{} wang\n", key.public_key().to_openssh().unwrap())).unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args(["serve", "--listen", "127.0.0.1:0", "--authorized-keys"])
        .arg(&keys)
        .arg("--host-key")
        .arg(dir.join("host_key"))
        .arg("--db")
        .arg(db)
        .env_remove("SKILLBRIDGE_DB")
        .env("XDG_DATA_HOME", dir.join("data"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut said_by_serve = BufReader::new(child.stderr.take().unwrap()).lines();
    assert!(
        said_by_serve
            .by_ref()
            .map_while(Result::ok)
            .any(|l| l.starts_with("connect:")),
        "serve did not start"
    );
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    // Read on, so a server that says more is never held by a full pipe.
    std::thread::spawn(move || said_by_serve.for_each(drop));
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(20) {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}
