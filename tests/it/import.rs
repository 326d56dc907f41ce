//! `skillbridge import`: one fixture per failure, each asserting what the
//! operator reads; all-or-nothing, --skip-invalid and re-imports.

use crate::common;

use skillbridge::domain::Kind;
use skillbridge::domain::*;
use skillbridge::io::import;
use skillbridge::store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// After this process drops a Store, sled's IO pool thread holds the file
/// lock for a moment (see Store::reopen on the crash branch); a command
/// that fails only because of that lock is run again (it changed nothing).
const LOCK_WAIT: Duration = Duration::from_secs(5);

fn run(args: &[&str], file: &Path, db: &Path, extra: &[&str]) -> Output {
    let start = Instant::now();
    loop {
        let out = Command::new(env!("CARGO_BIN_EXE_skillbridge"))
            .args(args)
            .arg(file)
            .arg("--db")
            .arg(db)
            .args(extra)
            .env_remove("SKILLBRIDGE_DB")
            .output()
            .unwrap();
        let locked = String::from_utf8_lossy(&out.stderr).contains("is already open in another process");
        if !locked || start.elapsed() > LOCK_WAIT {
            return out;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Open a database this process may have just closed (same lock as above).
fn open(db: &Path) -> Store {
    let start = Instant::now();
    loop {
        match Store::open(db) {
            Err(StoreError::Locked { .. }) if start.elapsed() < LOCK_WAIT => {
                std::thread::sleep(Duration::from_millis(20))
            }
            other => return other.unwrap(),
        }
    }
}

fn import_cli(kind: &str, file: &Path, db: &Path, extra: &[&str]) -> (bool, String, String) {
    let out = run(&["import", kind], file, db, extra);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A database holding the tests' small city (one institution, one
/// enterprise, one demand, one class), closed so the binary can open it.
fn city_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let store = open(&db);
    common::city(&store, 30, 5);
    drop(store);
    (dir, db)
}

fn empty_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    (dir, db)
}

fn trainees(db: &Path) -> Vec<Trainee> {
    open(db).all::<Trainee>().unwrap()
}

#[test]
fn an_unknown_column_is_reported_with_a_suggestion_and_the_rows_import() {
    let (_d, db) = empty_db();
    let f = fixture("trainees_wrong_column.csv");
    let (ok, out, err) = import_cli("trainees", &f, &db, &[]);
    assert!(ok, "{err}");
    assert!(
        err.contains(&format!(
            "{}:1: unknown column '手机好' (column C) is not imported; did you mean '手机号'?",
            f.display()
        )),
        "{err}"
    );
    assert!(
        err.contains("unknown column '备注' (column D) is not imported"),
        "{err}"
    );
    assert!(
        out.contains("2 rows of trainees: 2 added, 0 updated, 0 unchanged, 0 rejected"),
        "{out}"
    );
    let t = trainees(&db);
    assert_eq!(t.len(), 2);
    assert!(
        t.iter().all(|t| t.mobile.is_none()),
        "the misnamed column is not read as mobile"
    );
}

#[test]
fn a_missing_required_column_refuses_the_file() {
    let (_d, db) = empty_db();
    let f = fixture("trainees_missing_column.csv");
    let (ok, _, err) = import_cli("trainees", &f, &db, &[]);
    assert!(!ok);
    assert!(
        err.contains(&format!(
            "{}:1: the file lacks required column '身份证号' (id_number; also 身份证号码, 身份证",
            f.display()
        )),
        "{err}"
    );
    assert!(
        err.contains("nothing was imported. The header row has: '姓名', '手机号', '区域'"),
        "{err}"
    );
    assert!(trainees(&db).is_empty());
}

#[test]
fn a_bad_id_number_refuses_the_file_unless_skipped_and_the_rejects_reimport() {
    let (dir, db) = empty_db();
    let f = fixture("trainees_bad_id.csv");
    let (ok, _, err) = import_cli("trainees", &f, &db, &[]);
    assert!(!ok);
    assert!(
        err.contains(&format!(
            "{}:3: column '身份证号' = '110105194912310021': ID number '110105194912310021' has check digit '1' but its first 17 digits give 'X'",
            f.display()
        )),
        "{err}"
    );
    assert!(
        err.contains("1 of 3 rows are invalid, so nothing was written") && err.contains("--skip-invalid"),
        "{err}"
    );
    assert!(
        trainees(&db).is_empty(),
        "all or nothing: the two good rows were not written"
    );

    // --skip-invalid writes the good rows and sets the bad one aside.
    let rejects = dir.path().join("rejects.csv");
    let (ok, out, err) = import_cli("trainees", &f, &db, &["--skip-invalid", rejects.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(
        out.contains("3 rows of trainees: 2 added, 0 updated, 0 unchanged, 1 rejected"),
        "{out}"
    );
    assert!(
        out.contains(&format!("rejected rows are in {}", rejects.display())),
        "{out}"
    );
    let text = std::fs::read_to_string(&rejects).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.lines().collect();
    // The row each bad row had in the file read, as a spreadsheet shows it (#20 item 9).
    assert_eq!(lines[0], "姓名,身份证号,手机号,区域,错误原因,行号");
    assert!(lines[1].ends_with(",3"), "{text}");
    assert!(
        lines[1].starts_with("王芳,110105194912310021,13712345678,润州区,"),
        "{text}"
    );
    assert!(lines[1].contains("check digit '1'"), "{text}");
    assert_eq!(lines.len(), 2);
    assert_eq!(trainees(&db).len(), 2);

    // Fixed (the check character corrected), the rejects file imports as it is.
    std::fs::write(&rejects, text.replace("110105194912310021,", "11010519491231002X,")).unwrap();
    let (ok, out, err) = import_cli("trainees", &rejects, &db, &[]);
    assert!(ok, "{err}");
    assert!(out.contains("1 added, 0 updated, 0 unchanged, 0 rejected"), "{out}");
    assert!(!err.contains("unknown column"), "the reason column is expected: {err}");
    let all = trainees(&db);
    assert_eq!(all.len(), 3);
    assert!(all.iter().any(|t| t.name == "王芳" && t.region == RegionId(1)));
}

#[test]
fn a_bad_date_names_the_row_column_and_value() {
    let (_d, db) = city_db();
    let f = fixture("classes_bad_date.csv");
    let (ok, _, err) = import_cli("classes", &f, &db, &[]);
    assert!(!ok);
    assert!(
        err.contains(&format!(
            "{}:3: column '开班时间' = '2025-02-30': 2025-02-30 is not a real date",
            f.display()
        )),
        "{err}"
    );
    assert_eq!(open(&db).count::<TrainingClass>(), 1, "only the city's own class");
}

#[test]
fn an_unknown_region_suggests_the_nearest() {
    let (_d, db) = empty_db();
    let f = fixture("institutions_unknown_region.csv");
    let (ok, _, err) = import_cli("institutions", &f, &db, &[]);
    assert!(!ok);
    assert!(
        err.contains(&format!(
            "{}:3: column '区域' = '润洲区': no region is called that; did you mean '润州区'? Accepted: 京口区, 润州区,",
            f.display()
        )),
        "{err}"
    );
}

#[test]
fn duplicate_rows_are_refused_naming_the_first() {
    let (_d, db) = empty_db();
    let f = fixture("trainees_duplicate_rows.csv");
    let (ok, _, err) = import_cli("trainees", &f, &db, &[]);
    assert!(!ok);
    assert!(
        err.contains(&format!("{}:4: column '身份证号' = '", f.display()))
            && err.contains("': repeats row 2 (the same ID number); keep one of the two rows"),
        "{err}"
    );
    assert!(trainees(&db).is_empty());
}

#[test]
fn an_empty_file_says_what_it_should_hold() {
    let (_d, db) = empty_db();
    let f = fixture("empty.csv");
    let (ok, _, err) = import_cli("trainees", &f, &db, &[]);
    assert!(!ok);
    assert!(
        err.contains(&format!(
            "{}: the file is empty: expected a header row naming the columns (姓名,身份证号) and a row per trainee",
            f.display()
        )),
        "{err}"
    );
}

#[test]
fn a_utf8_bom_is_dropped_and_every_column_is_read() {
    let (_d, db) = empty_db();
    let f = fixture("trainees_bom.csv");
    let (ok, out, err) = import_cli("trainees", &f, &db, &[]);
    assert!(ok, "{err}");
    assert!(err.contains("read as UTF-8 with BOM"), "{err}");
    assert!(out.contains("1 row of trainees: 1 added"), "{out}");
    let t = &trainees(&db)[0];
    assert_eq!(t.name, "赵磊");
    assert_eq!(t.mobile.as_ref().unwrap().as_str(), "13900001111");
    assert_eq!(t.region, RegionId(3));
    assert_eq!(t.key_group.as_deref(), Some("农村转移劳动者"));
    assert_eq!(t.wanted.as_slice(), [OccupationId(7), OccupationId(10)]);

    // The same file again changes nothing.
    let (ok, out, _) = import_cli("trainees", &f, &db, &[]);
    assert!(ok);
    assert!(out.contains("0 added, 0 updated, 1 unchanged, 0 rejected"), "{out}");
}

#[test]
fn a_gbk_file_from_chinese_excel_is_decoded() {
    let (_d, db) = empty_db();
    let f = fixture("trainees_gbk.csv");
    assert!(
        std::str::from_utf8(&std::fs::read(&f).unwrap()).is_err(),
        "the fixture is GBK"
    );
    let (ok, out, err) = import_cli("trainees", &f, &db, &[]);
    assert!(ok, "{err}");
    assert!(err.contains(&format!("{}: read as GB18030/GBK", f.display())), "{err}");
    assert!(!err.contains("序号"), "the row counter column is expected: {err}");
    assert!(out.contains("2 rows of trainees: 2 added"), "{out}");
    let all = trainees(&db);
    let a = all.iter().find(|t| t.name == "欧阳娜娜").expect("name decoded");
    assert_eq!(a.key_group.as_deref(), Some("登记失业人员"));
    assert_eq!(a.region, RegionId(5));
    let b = all.iter().find(|t| t.name == "钱学森").expect("name decoded");
    assert_eq!(
        b.id_number.as_str(),
        "11010519491231002X",
        "the 15-digit form is upgraded"
    );
    assert_eq!(b.wanted.as_slice(), [OccupationId(3)], "电焊工 is an alias of 焊工");
}

#[test]
fn an_xlsx_with_a_title_row_and_merged_header_cells() {
    let (_d, db) = city_db();
    let f = fixture("demands_merged_header.xlsx");
    let (ok, out, err) = import_cli("demands", &f, &db, &[]);
    assert!(ok, "{err}");
    assert!(err.contains("row 1 above the header skipped (a title)"), "{err}");
    assert!(err.contains("the header spans rows 2 to 3 (merged cells)"), "{err}");
    assert!(out.contains("3 rows of demands: 3 added"), "{out}");
    let store = open(&db);
    let all = store.all::<JobDemand>().unwrap();
    let by = |ext: &str| {
        all.iter()
            .find(|d| d.external_id.as_deref() == Some(ext))
            .unwrap()
            .clone()
    };
    let ent = store.enterprise_by_name("京口测试机械有限公司").unwrap().unwrap();
    let a = by("ZJ-2025-001");
    assert_eq!(
        (a.occupation, a.headcount, a.wage_min, a.wage_max),
        (OccupationId(3), 5, 6000, 9000)
    );
    assert_eq!(a.min_level, Some(SkillLevel::L4));
    assert_eq!(a.posted, common::day(8, 1), "an Excel date cell");
    let b = by("ZJ-2025-002");
    assert_eq!(b.enterprise, ent.id, "the merged enterprise cell fills the row below");
    assert_eq!(b.occupation, OccupationId(2), "数控车工 is an alias of 车工");
    assert_eq!((b.wage_min, b.wage_max, b.min_level), (6500, 8500, None));
    assert_eq!(b.region, ent.region, "region defaults to the enterprise's");
    drop(store);
    let (ok, out, _) = import_cli("demands", &f, &db, &[]);
    assert!(ok);
    assert!(out.contains("0 added, 0 updated, 3 unchanged"), "{out}");
}

#[test]
fn an_id_number_excel_rounded_into_a_number_is_refused() {
    let (_d, db) = empty_db();
    let f = fixture("trainees_excel_numbers.xlsx");
    let (ok, _, err) = import_cli("trainees", &f, &db, &[]);
    assert!(!ok);
    assert!(
        err.contains(&format!("{}:2: column '身份证号' = '3.2110219900101", f.display()))
            && err.contains("Excel stored this number as a number and kept only 15 digits")
            && err.contains("format the column as Text"),
        "{err}"
    );
}

#[test]
fn names_resolve_exactly_or_suggest_and_changed_rows_update() {
    let (dir, db) = city_db();
    let f = dir.path().join("classes.csv");
    std::fs::write(
        &f,
        "班级名称,培训机构,职业（工种）,开班时间,结业时间,计划人数,专项\n\
         焊工班,京口测试职业培训学,焊工,2025-09-01,2025-10-31,30,技能强企\n\
         护理班,京口测试职业培训学校,养老护理,2025-09-01,2025-10-31,30,技能强企\n\
         电工班,京口测试职业培训学校,维修电工,2025/9/1,2025年10月31日,30,Skill-strong enterprises\n",
    )
    .unwrap();
    let (ok, _, err) = import_cli("classes", &f, &db, &["--dry-run"]);
    assert!(!ok);
    assert!(
        err.contains(":2: column '培训机构' = '京口测试职业培训学': no institution is called that; did you mean '京口测试职业培训学校'?"),
        "{err}"
    );
    assert!(
        err.contains(":3: column '职业（工种）' = '养老护理': no trade is called that (by its name, English name, code or alias); did you mean '养老护理员'?"),
        "{err}"
    );
    assert!(!err.contains(":4:"), "row 4 resolves: {err}");

    // Only the good row, then a change to it.
    std::fs::write(
        &f,
        "班级名称,培训机构,工种,开班时间,结业时间,计划人数\n电工班,京口测试职业培训学校,电工,2025-09-01,2025-10-31,30\n",
    )
    .unwrap();
    let (ok, out, err) = import_cli("classes", &f, &db, &[]);
    assert!(ok, "{err}");
    assert!(out.contains("1 added, 0 updated, 0 unchanged"), "{out}");
    std::fs::write(
        &f,
        "班级名称,培训机构,工种,开班时间,结业时间,计划人数\n电工班,京口测试职业培训学校,电工,2025-09-01,2025-11-15,40\n",
    )
    .unwrap();
    // A change to a stored record is written only when asked (#20 item 1).
    let (ok, out, _) = import_cli("classes", &f, &db, &["--update"]);
    assert!(ok);
    assert!(out.contains("0 added, 1 updated, 0 unchanged"), "{out}");
    let store = open(&db);
    let c = store
        .all::<TrainingClass>()
        .unwrap()
        .into_iter()
        .find(|c| c.name == "电工班")
        .unwrap();
    assert_eq!((c.capacity, c.end), (40, common::day(11, 15)));
    assert!(store.check().problems.is_empty());
}

/// The library API the TUI will call: plan writes nothing, apply writes in
/// batches and reports each.
#[test]
fn plan_then_apply_in_batches() {
    let (dir, db) = empty_db();
    let f = dir.path().join("t.csv");
    let mut text = String::from("姓名,身份证号,区域\n");
    for n in 1..=5u16 {
        text.push_str(&format!("学员{n},{},京口区\n", common::id_number(n)));
    }
    std::fs::write(&f, text).unwrap();
    let store = open(&db);
    let opts = import::Options {
        today: common::day(10, 15),
        batch: 2,
        ..Default::default()
    };
    let plan = import::plan(&store, Kind::Trainees, &f, &opts).unwrap();
    assert_eq!((plan.rows, plan.added, plan.rejects.len()), (5, 5, 0));
    assert_eq!(store.count::<Trainee>(), 0, "planning writes nothing");
    let mut calls = Vec::new();
    let report = import::apply(
        &store,
        plan,
        &import::ApplyOptions {
            skip_invalid: None,
            batch: 2,
            ..Default::default()
        },
        &mut |done, total| calls.push((done, total)),
    )
    .unwrap();
    assert_eq!(calls, vec![(2, 5), (4, 5), (5, 5)]);
    assert_eq!((report.added, report.written), (5, true));
    assert_eq!(store.count::<Trainee>(), 5);
    assert!(
        store
            .all::<Trainee>()
            .unwrap()
            .iter()
            .all(|t| t.created == common::day(10, 15))
    );
}

/// The README lists every column of every kind, in both languages, as the
/// importer knows them.
#[test]
fn readme_lists_every_column() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let table = skillbridge::io::columns::markdown();
    assert!(
        readme.contains(&table),
        "README.md lacks the current column table:\n{table}"
    );
}

#[test]
fn an_empty_required_cell_says_what_belongs_there() {
    let (dir, db) = empty_db();
    let f = dir.path().join("t.csv");
    std::fs::write(
        &f,
        format!("姓名,身份证号,手机号\n,{},1391234567\n", common::id_number(1)),
    )
    .unwrap();
    let (ok, _, err) = import_cli("trainees", &f, &db, &[]);
    assert!(!ok);
    assert!(
        err.contains(":2: column '姓名' = '': is empty; this column is required: the trainee's name"),
        "{err}"
    );
    std::fs::write(
        &f,
        format!("姓名,身份证号,手机号\n王五,{},1391234567\n", common::id_number(1)),
    )
    .unwrap();
    let (ok, _, err) = import_cli("trainees", &f, &db, &[]);
    assert!(!ok);
    assert!(
        err.contains(":2: column '手机号' = '1391234567': mobile number '1391234567' has 10 digits: expected 11"),
        "{err}"
    );
}

/// A running service imports through its own commands: the dry run writes
/// nothing, the import writes and its lists show the new rows at once, and
/// the picture stays the store's (the exit save persists it for the next
/// start). Its backup restores to the same records.
#[test]
fn a_service_imports_and_backs_up_through_its_gate() {
    use skillbridge::search::Query;
    use skillbridge::service::{Filters, SearchSpec, Service, Sort};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    {
        let store = open(&db);
        skillbridge::demo::build(&store, &skillbridge::demo::Options { trainees: 100, seed: 3 }).unwrap();
    }
    let csv = dir.path().join("inst.csv");
    std::fs::write(&csv, "机构名称,区域,信用星级\n京口服务导入培训学校,京口区,4\n").unwrap();
    let svc = Service::open(open(&db)).unwrap();
    let opts = import::Options {
        today: svc.today(),
        ..Default::default()
    };
    let listed = |q: &str| {
        let spec = SearchSpec {
            kind: Kind::Institutions,
            query: Query::parse(q),
            filters: Filters::default(),
            sort: Sort::Relevance,
            districts: None,
        };
        svc.read().search(&spec, None, &|| false).unwrap().ids.len()
    };
    let version = svc.version();
    let plan = svc.import_plan(Kind::Institutions, &csv, &opts).unwrap();
    assert_eq!((plan.added, plan.rejects.len()), (1, 0));
    assert_eq!(listed("京口服务导入"), 0, "a plan writes nothing");
    let report = svc
        .import_apply(plan, &import::ApplyOptions::default(), &mut |_, _| {})
        .unwrap();
    assert!(report.written && report.added == 1, "{report}");
    assert!(svc.version() > version, "sessions are told");
    assert_eq!(listed("京口服务导入"), 1);
    assert_eq!(listed("jkfwdr"), 1, "searchable by its initials at once");
    assert!(svc.check().problems.is_empty());
    // The same file again changes nothing.
    let again = svc.import_plan(Kind::Institutions, &csv, &opts).unwrap();
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 1));

    let file = dir.path().join("city.skb");
    let summary = svc.backup(&file).unwrap();
    assert_eq!(summary.counts["institution"], svc.read().data.institutions.len() as u64);
    svc.save_search_cache();
    svc.wait_for_search_cache();
    drop(svc);
    let svc = Service::open(open(&db)).unwrap();
    assert!(
        svc.startup().records_from_snapshot,
        "the picture after the import was the store's, so it was persisted"
    );
    assert!(
        svc.read()
            .data
            .institutions
            .values()
            .any(|i| i.name == "京口服务导入培训学校")
    );
}
