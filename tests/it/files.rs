//! Every file the program creates is private to its account from the
//! start: directories 0700, files 0600 — the database and its caches, the
//! host key, logs, backups, repair copies, exports, rejects and reports —
//! and `--out` never writes through a link, onto a device or over a file
//! without `--force`.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn sb(home: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args(args)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("SKILLBRIDGE_DB")
        .env_remove("SKILLBRIDGE_ACCESS")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn ok(home: &Path, args: &[&str]) -> String {
    let out = sb(home, args);
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn refused(home: &Path, args: &[&str]) -> String {
    let out = sb(home, args);
    assert!(!out.status.success(), "{args:?} was not refused");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
}

/// Every path under `dir` and its mode.
fn walk(dir: &Path, out: &mut Vec<(PathBuf, u32, bool)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let m = std::fs::symlink_metadata(&p).unwrap();
        if m.file_type().is_symlink() {
            continue;
        }
        out.push((p.clone(), mode(&p), m.is_dir()));
        if m.is_dir() {
            walk(&p, out);
        }
    }
}

#[test]
fn every_file_the_program_creates_is_private_from_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    // What the test itself writes is kept apart and not judged.
    let mine = home.join("mine");
    std::fs::create_dir(&mine).unwrap();
    let made = home.join("made");
    std::fs::create_dir(&made).unwrap();
    let db = made.join("city");
    let db_s = db.to_str().unwrap();
    let out = |name: &str| made.join(name).to_str().unwrap().to_string();

    ok(home, &["demo", "--build-only", "--trainees", "50", "--db", db_s]);
    ok(home, &["search", "trainees", "wang", "--db", db_s]);
    ok(home, &["backup", &out("city.backup"), "--db", db_s]);
    ok(
        home,
        &["export", "trainees", "--out", &out("trainees.csv"), "--db", db_s],
    );
    ok(home, &["export", "all", "--out", &out("all"), "--db", db_s]);
    ok(home, &["report", "--out", &out("report.md"), "--db", db_s]);
    let bad = mine.join("bad.csv");
    std::fs::write(&bad, "姓名,身份证号\n坏,123\n好,321102198801010015\n").unwrap();
    ok(
        home,
        &[
            "import",
            "trainees",
            bad.to_str().unwrap(),
            "--skip-invalid",
            &out("rejects.csv"),
            "--db",
            db_s,
        ],
    );
    ok(home, &["check", "--repair", "--db", db_s]);
    ok(home, &["restore", &out("city.backup"), "--db", &out("restored")]);

    // serve: the host key, the logs, the import directory, the address note.
    let key = russh::keys::PrivateKey::random(&mut rand::rng(), russh::keys::Algorithm::Ed25519).unwrap();
    let keys = mine.join("authorized_keys");
    std::fs::write(&keys, format!("{} wang\n", key.public_key().to_openssh().unwrap())).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args(["serve", "--listen", "127.0.0.1:0", "--db", db_s, "--authorized-keys"])
        .arg(&keys)
        .arg("--host-key")
        .arg(made.join("keys/host_key"))
        .env("XDG_DATA_HOME", made.join("data"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    assert!(
        lines.by_ref().map_while(Result::ok).any(|l| l.starts_with("connect:")),
        "serve did not start"
    );
    assert_eq!(mode(&db.join("server.addr")), 0o600);
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();

    let mut all = Vec::new();
    walk(&made, &mut all);
    let names: Vec<String> = all
        .iter()
        .map(|(p, _, _)| p.strip_prefix(&made).unwrap().display().to_string())
        .collect();
    for want in [
        "city/db",
        "city/conf",
        "city/search-cache/trainees.idx",
        "city.backup",
        "trainees.csv",
        "all/trainees.csv",
        "report.md",
        "rejects.csv",
        "restored/db",
        "keys/host_key",
        "data/skillbridge/imports",
        "data/skillbridge/logs",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} was not made: {names:?}");
    }
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("data/skillbridge/logs/skillbridge.")),
        "a log file: {names:?}"
    );
    let wide: Vec<String> = all
        .iter()
        .filter(|(_, m, is_dir)| *m != if *is_dir { 0o700 } else { 0o600 })
        .map(|(p, m, _)| format!("{} {m:04o}", p.display()))
        .collect();
    assert!(wide.is_empty(), "created wider than 0600/0700: {wide:#?}");
}

#[test]
fn out_is_never_a_link_a_device_or_an_existing_file_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let db = home.join("city");
    let db_s = db.to_str().unwrap();
    ok(home, &["demo", "--build-only", "--trainees", "20", "--db", db_s]);

    let existing = home.join("existing.csv");
    std::fs::write(&existing, "keep").unwrap();
    std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o600)).unwrap();
    let e = refused(
        home,
        &["export", "trainees", "--out", existing.to_str().unwrap(), "--db", db_s],
    );
    assert!(e.contains("already exists") && e.contains("--force"), "{e}");
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "keep");
    ok(
        home,
        &[
            "export",
            "trainees",
            "--out",
            existing.to_str().unwrap(),
            "--force",
            "--db",
            db_s,
        ],
    );
    assert_eq!(mode(&existing), 0o600, "an export over a 0600 file keeps it 0600");

    let target = home.join("target");
    std::fs::write(&target, "keep").unwrap();
    let link = home.join("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for args in [
        vec!["export", "trainees", "--out", link.to_str().unwrap(), "--force"],
        vec!["report", "--out", link.to_str().unwrap(), "--force"],
        vec!["backup", link.to_str().unwrap()],
    ] {
        let mut args = args.clone();
        args.extend(["--db", db_s]);
        let e = refused(home, &args);
        assert!(
            e.contains("symbolic link") || e.contains("already exists"),
            "{args:?}: {e}"
        );
    }
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");

    let e = refused(home, &["report", "--out", "/dev/null", "--force", "--db", db_s]);
    assert!(e.contains("not a regular file"), "{e}");
    let e = refused(
        home,
        &["export", "institutions", "--out", "/dev/null", "--force", "--db", db_s],
    );
    assert!(e.contains("not a regular file"), "{e}");
}
