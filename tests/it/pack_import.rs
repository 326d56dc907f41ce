//! `skillbridge import occupations|regions FILE` through the real binary,
//! in English and in Chinese: a good file is merged into the database's
//! pack, audited, and its occupations (new ones and new aliases) are found
//! by `skillbridge search` by their pinyin initials; a bad file exits 2
//! with FILE:LINE:COL and changes nothing.

use crate::common::{demo_city, run_bin};
use std::path::Path;

/// (exit code, stdout, stderr) of `--lang LANG ARGS --db db`.
fn run(lang: &str, args: &[&str], db: &Path) -> (i32, String, String) {
    let mut all = vec!["--lang", lang];
    all.extend_from_slice(args);
    let out = run_bin(&all, db);
    let (o, e) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(!e.contains("panicked"), "the binary panicked: {e}");
    (out.status.code().unwrap_or(-1), o, e)
}

/// A new occupation (id 20, after Zhenjiang's 20) and a new alias for
/// occupation 0, in the pack's format.
const OCCUPATIONS: &str = r#"[[occupation]]
id = 0
zh = "一线技能操作工"
en = "frontline skilled operator"
aliases = ["普工", "操作工", "流水线工"]
kind = "skilled"
related = []

[[occupation]]
id = 20
zh = "叉车司机"
en = "forklift driver"
aliases = ["铲车"]
kind = "skilled"
related = [0]
"#;

/// A new development zone (id 8, after Zhenjiang's 8).
const REGIONS: &str = r#"[[region]]
id = 8
code = "ZJGX02"
code_kind = "local"
zh = "镇江综合保税区"
short_zh = "综保区"
en = "Zhenjiang Comprehensive Bonded Zone"
industries = "logistics"
lon = 119.55
lat = 32.2
"#;

/// An occupation related to one that does not exist (line 7, column 12).
const BAD_OCCUPATIONS: &str = r#"[[occupation]]
id = 20
zh = "吊车司机"
en = "crane driver"
aliases = []
kind = "skilled"
related = [99]
"#;

/// A region whose code kind is not one of the three (line 4, column 13).
const BAD_REGIONS: &str = r#"[[region]]
id = 8
code = "ZJGX02"
code_kind = "national"
zh = "镇江综合保税区"
short_zh = "综保区"
en = "Zhenjiang Comprehensive Bonded Zone"
industries = "logistics"
lon = 119.55
lat = 32.2
"#;

/// The database's pack as `pack write` writes it, file by file.
fn pack_of(db: &Path, out: &Path) -> Vec<(String, String)> {
    let (code, o, e) = run("en", &["pack", "write", &out.display().to_string()], db);
    assert_eq!(code, 0, "{o}{e}");
    let mut files: Vec<(String, String)> = std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .map(|f| {
            (
                f.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(f.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// The catalog changes `audit --what catalog` lists.
fn catalog_audit(lang: &str, db: &Path) -> String {
    let (code, o, e) = run(lang, &["audit", "--what", "catalog"], db);
    assert_eq!(code, 0, "{o}{e}");
    o
}

/// The searchable lines `search demands QUERY` prints.
fn found(db: &Path, query: &str) -> Vec<String> {
    let (code, o, e) = run("en", &["search", "demands", query, "--limit", "1000"], db);
    assert_eq!(code, 0, "{o}{e}");
    o.lines().filter(|l| l.contains("  D")).map(str::to_string).collect()
}

fn imports_in(lang: &str) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = demo_city(d, 50);
    let zh = lang == "zh";
    let write = |name: &str, text: &str| {
        let p = d.join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let (occ, reg) = (write("occ.toml", OCCUPATIONS), write("reg.toml", REGIONS));
    let (bad_occ, bad_reg) = (
        write("bad_occ.toml", BAD_OCCUPATIONS),
        write("bad_reg.toml", BAD_REGIONS),
    );
    assert!(found(&db, "ccsj").is_empty(), "叉车司机 before its import");
    assert!(found(&db, "lsxg").is_empty(), "流水线工 before its import");

    // A bad file: exit 2, the place first, nothing changed or recorded.
    let pack_before = pack_of(&db, &d.join("before"));
    let audit_before = catalog_audit(lang, &db);
    for (what, file, place, said) in [
        (
            "occupations",
            &bad_occ,
            ":7:12: ",
            if zh {
                "相关职业 99 不存在"
            } else {
                "related occupation 99 does not exist"
            },
        ),
        (
            "regions",
            &bad_reg,
            ":4:13: ",
            if zh {
                "code_kind“national”不是 official、statistical、local 之一"
            } else {
                "national"
            },
        ),
    ] {
        let (code, o, e) = run(lang, &["import", what, file], &db);
        assert_eq!(code, 2, "{what}: {o}{e}");
        assert!(
            e.starts_with(&format!("{file}{place}")),
            "{what}: FILE:LINE:COL first: {e}"
        );
        assert!(e.contains(said), "{what}: {e}");
        assert!(o.is_empty(), "{what}: nothing said as done: {o}");
    }
    assert_eq!(
        pack_of(&db, &d.join("after-bad")),
        pack_before,
        "a bad file changed the pack"
    );
    assert_eq!(catalog_audit(lang, &db), audit_before, "a bad file was recorded");

    // Good files: merged, said in the command line's language, audited.
    let (code, o, e) = run(lang, &["import", "occupations", &occ], &db);
    assert_eq!(code, 0, "{o}{e}");
    let expected = if zh {
        format!("已从 {occ} 导入职业：新增 1 个，修改 1 个")
    } else {
        format!("occupations imported: 1 added, 1 changed from {occ}")
    };
    assert_eq!(o.trim(), expected);
    let (code, o, e) = run(lang, &["import", "regions", &reg], &db);
    assert_eq!(code, 0, "{o}{e}");
    let expected = if zh {
        format!("已从 {reg} 导入区域：新增 1 个，修改 0 个")
    } else {
        format!("regions imported: 1 added, 0 changed from {reg}")
    };
    assert_eq!(o.trim(), expected);
    let audit = catalog_audit(lang, &db);
    let recorded = if zh {
        [
            format!("参考数据变更  0 人  从 {occ} 导入职业：新增 1 个，修改 1 个"),
            format!("参考数据变更  0 人  从 {reg} 导入区域：新增 1 个，修改 0 个"),
        ]
    } else {
        [
            format!("catalog  0 people  occupations imported: 1 added, 1 changed from {occ}"),
            format!("catalog  0 people  regions imported: 1 added, 0 changed from {reg}"),
        ]
    };
    for r in &recorded {
        assert!(audit.contains(r.as_str()), "'{r}' not in the audit:\n{audit}");
    }
    let pack = pack_of(&db, &d.join("after"));
    let file = |name: &str| &pack.iter().find(|(n, _)| n == name).unwrap().1;
    assert!(
        file("occupations.toml").contains("叉车司机"),
        "{}",
        file("occupations.toml")
    );
    assert!(
        file("regions.toml").contains("镇江综合保税区"),
        "{}",
        file("regions.toml")
    );

    // A demand for the new trade, found by the trade's pinyin initials;
    // the new alias finds the demands of occupation 0 at once.
    let demand = write(
        "demand.csv",
        "编号,企业名称,工种,区域,岗位类别,需求人数,最低月薪,最高月薪,最低技能等级,发布日期,状态\n\
         ,新区恒联电气有限公司,叉车司机,镇江新区,技能岗,3,5000,6000,五级/初级工,2025-07-21,招聘中\n",
    );
    let (code, o, e) = run(lang, &["import", "demands", &demand], &db);
    assert_eq!(code, 0, "{o}{e}");
    let hits = found(&db, "ccsj");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0].starts_with("叉车司机  新区恒联电气有限公司"), "{hits:?}");
    let hits = found(&db, "lsxg");
    assert!(!hits.is_empty(), "the imported alias finds nothing");
    assert!(hits.iter().all(|h| h.starts_with("一线技能操作工")), "{hits:?}");

    let (code, o, e) = run(lang, &["check"], &db);
    assert_eq!(code, 0, "check after the imports: {o}{e}");
}

#[test]
fn importing_occupations_and_regions_in_english() {
    imports_in("en");
}

#[test]
fn importing_occupations_and_regions_in_chinese() {
    imports_in("zh");
}

/// The smallest labor force accepted is the pack's baseline of skilled
/// talents: 657,000 in Zhenjiang, 500,000 in the sample city.
#[test]
fn the_labor_force_floor_comes_from_the_pack() {
    let dir = tempfile::tempdir().unwrap();
    let sample = dir.path().join("sample");
    let (code, o, e) = run(
        "en",
        &[
            "init",
            "--pack",
            concat!(env!("CARGO_MANIFEST_DIR"), "/packs/sample-yangzhou"),
        ],
        &sample,
    );
    assert_eq!(code, 0, "{o}{e}");
    let (code, o, e) = run("en", &["labor-force", "550000"], &sample);
    assert_eq!(code, 0, "550,000 workers hold the sample's 500,000 skilled: {o}{e}");
    let (code, o, e) = run("en", &["labor-force", "400000"], &sample);
    assert_ne!(code, 0, "{o}");
    assert!(
        e.contains("from 500000 to 100000000, e.g. 1600000 (the city's baseline labor force)"),
        "{e}"
    );
    let (code, _, e) = run("zh", &["labor-force", "400000"], &sample);
    assert_ne!(code, 0);
    assert!(e.contains("应为 500000 到 100000000 之间的整数，例如 1600000"), "{e}");

    let zhenjiang = dir.path().join("zhenjiang");
    let (code, o, e) = run("en", &["init"], &zhenjiang);
    assert_eq!(code, 0, "{o}{e}");
    let (code, o, e) = run("en", &["labor-force", "550000"], &zhenjiang);
    assert_ne!(code, 0, "{o}");
    assert!(e.contains("from 657000 to 100000000, e.g. 2000000"), "{e}");
}
