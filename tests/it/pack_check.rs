//! `skillbridge pack check`: the shipped packs pass; one fixture per kind
//! of bad pack (tests/fixtures/packs/, see its README), each with the
//! exact lines the user reads, in English and in Chinese.

use std::path::Path;
use std::process::Command;

fn check(dir: &str, lang: &str) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--lang", lang, "pack", "check", dir])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_shipped_packs_are_valid() {
    let (code, out, err) = check("packs/zhenjiang", "en");
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.trim(),
        "ok: packs/zhenjiang is a valid city pack (Zhenjiang: 8 regions, 20 occupations, 8 programs, 8 alliances)"
    );
    let (code, out, err) = check("packs/sample-yangzhou", "zh");
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.trim(),
        "正确：packs/sample-yangzhou 是有效的城市包（扬州市（示例）：6 个区域、9 个职业、3 个专项、2 个培训联盟）"
    );
}

#[test]
fn every_bad_pack_fixture_says_what_and_where() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs");
    let mut seen = 0;
    for entry in std::fs::read_dir(&root).unwrap().flatten() {
        if !entry.file_type().unwrap().is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let dir = format!("tests/fixtures/packs/{name}");
        for lang in ["en", "zh"] {
            let (code, out, err) = check(&dir, lang);
            assert_eq!(code, 2, "{name} {lang}: {out}{err}");
            let expected = std::fs::read_to_string(entry.path().join(format!("expected.{lang}.txt"))).unwrap();
            assert_eq!(err, expected, "{name} ({lang})");
            assert!(
                err.starts_with(&format!("{dir}/")),
                "{name}: FILE:LINE:COL first: {err}"
            );
        }
        seen += 1;
    }
    assert_eq!(seen, 8, "a fixture per kind of bad pack");
}

#[test]
fn init_refuses_a_bad_pack_before_making_anything() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    let out = Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "--lang",
            "en",
            "init",
            "--pack",
            "tests/fixtures/packs/missing_position",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("nothing was changed"), "{err}");
    assert!(err.contains("regions.toml:37:1: region '宝应县' has no lat"), "{err}");
    assert!(!db.exists(), "no database made");
}
