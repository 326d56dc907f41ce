//! Issue #20, item by item: spreadsheets and files never silently change,
//! lose or leak data, nor take the process down. Each test makes its own
//! fixture (files written here, damage done here) and asserts what the
//! operator reads.

use crate::common;

use skillbridge::domain::*;
use skillbridge::io::{backup, export, import, table};
use skillbridge::store::Store;
use std::path::{Path, PathBuf};

fn run(args: &[&str], db: &Path) -> (bool, String) {
    common::run_cli(args, db)
}

fn sb(args: &[&str], db: &Path) -> (bool, String) {
    let start = std::time::Instant::now();
    loop {
        let (ok, text) = run(args, db);
        if !text.contains("is already open in another process") || start.elapsed().as_secs() > 5 {
            return (ok, text);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The test city with one trainee 李静 (mobile, wanted trades) and an active case.
fn city_with_li(dir: &Path) -> (PathBuf, Trainee) {
    let db = dir.join("db");
    let store = Store::open(&db).unwrap();
    let c = common::city(&store, 30, 5);
    let li = store
        .save(Trainee {
            id: TraineeId(0),
            name: "李静".into(),
            id_number: IdNumber::parse_on("321102199610182687", common::day(10, 15)).unwrap(),
            mobile: Mobile::parse("13912345678").ok(),
            key_group: None,
            region: RegionId(0),
            wanted: vec![OccupationId(3)].into(),
            created: common::day(8, 1),
        })
        .unwrap();
    store.enroll(li.id, c.class.id, &common::stamp(), "").unwrap();
    drop(store);
    (db, li)
}

fn trainee(db: &Path, id: TraineeId) -> Trainee {
    Store::reopen(db).unwrap().get::<Trainee>(id.0).unwrap().unwrap()
}

/// Item 1: a row for an existing person is shown field by field and changes
/// nothing without --update; an empty cell clears only with --clear-empty.
#[test]
fn item_01_an_existing_person_changes_only_when_asked_and_field_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let (db, li) = city_with_li(dir.path());
    let f = dir.path().join("t.csv");
    std::fs::write(
        &f,
        "姓名,身份证号,手机号,区域,重点群体,意向工种\n李晶,321102199610182687,,,,\n",
    )
    .unwrap();
    let (ok, text) = sb(&["import", "trainees", f.to_str().unwrap(), "--dry-run"], &db);
    assert!(ok, "{text}");
    assert!(
        text.contains(&format!(":2: trainee {} '李静' differs: 姓名 '李静' → '李晶'", li.id.0)),
        "{text}"
    );
    assert!(text.contains("renames the person"), "{text}");
    assert!(
        !text.contains("手机号 '13912345678' → ''"),
        "an empty cell is not a change: {text}"
    );
    assert!(
        text.contains("0 added, 0 updated, 0 unchanged, 0 rejected; 1 stored record"),
        "{text}"
    );
    assert!(text.contains("pass --update"), "{text}");
    let (ok, text) = sb(&["import", "trainees", f.to_str().unwrap()], &db);
    assert!(ok, "{text}");
    assert_eq!(trainee(&db, li.id), li, "nothing changed without --update");
    let (ok, text) = sb(&["import", "trainees", f.to_str().unwrap(), "--update"], &db);
    assert!(ok && text.contains("0 added, 1 updated"), "{text}");
    let now = trainee(&db, li.id);
    assert_eq!(now.name, "李晶");
    assert_eq!(
        (now.mobile, now.wanted.clone()),
        (li.mobile, li.wanted.clone()),
        "empty cells keep"
    );
    let (ok, text) = sb(
        &["import", "trainees", f.to_str().unwrap(), "--update", "--clear-empty"],
        &db,
    );
    assert!(ok, "{text}");
    let now = trainee(&db, li.id);
    assert_eq!((now.mobile, now.wanted.len()), (None, 0), "cleared when asked");
}

/// Item 2: a rejects file that is the input is refused; the input is untouched.
#[test]
fn item_02_the_rejects_file_may_not_be_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let f = dir.path().join("t.csv");
    let text = "姓名,身份证号\n王五,110105194912310021\n";
    std::fs::write(&f, text).unwrap();
    let same = dir.path().join(".").join("t.csv");
    let (ok, out) = sb(
        &[
            "import",
            "trainees",
            f.to_str().unwrap(),
            "--skip-invalid",
            same.to_str().unwrap(),
        ],
        &db,
    );
    assert!(!ok);
    assert!(
        out.contains("names the file being imported") && out.contains("give the rejects another file name"),
        "{out}"
    );
    assert_eq!(std::fs::read_to_string(&f).unwrap(), text);
}

/// Item 3: uniqueness against the records: with the ID index entry gone,
/// importing the person again finds them instead of adding a second.
#[test]
fn item_03_a_missing_index_entry_does_not_make_a_second_person() {
    let dir = tempfile::tempdir().unwrap();
    let (db, li) = city_with_li(dir.path());
    {
        let raw = common::raw_open(&db);
        raw.open_tree("idx_trainee_id_number").unwrap().clear().unwrap();
        raw.flush().unwrap();
    }
    let f = dir.path().join("t.csv");
    std::fs::write(&f, "姓名,身份证号\n李静,321102199610182687\n").unwrap();
    let (ok, text) = sb(&["import", "trainees", f.to_str().unwrap()], &db);
    assert!(ok && text.contains("0 added, 0 updated, 1 unchanged"), "{text}");
    let all = Store::reopen(&db).unwrap().all::<Trainee>().unwrap();
    assert_eq!(all.iter().filter(|t| t.id_number == li.id_number).count(), 1);
}

/// Item 4: names normalised; full-width digits, 0086 and Excel serial dates
/// read; every problem of a row reported.
#[test]
fn item_04_names_digits_and_every_problem_of_a_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let f = dir.path().join("t.csv");
    std::fs::write(
        &f,
        "姓名,身份证号,手机号,登记日期,区域\n陈  静,１１０１０５１９４９１２３１００２Ｘ,0086 139 1234 5678,45870,京口区\n陈\u{a0}\u{3000}明,110105194912310021,1391234567X,2025-02-30,京口区\n",
    )
    .unwrap();
    let store = Store::open(&db).unwrap();
    let opts = import::Options {
        today: common::day(10, 15),
        ..Default::default()
    };
    let plan = import::plan(&store, Kind::Trainees, &f, &opts).unwrap();
    assert_eq!(plan.added, 1);
    let msgs = plan.reject_messages();
    assert_eq!(msgs.len(), 3, "all three problems of row 3: {msgs:?}");
    assert!(msgs.iter().all(|m| m.contains(":3: ")), "{msgs:?}");
    import::apply(&store, plan, &Default::default(), &mut |_, _| {}).unwrap_err();
    let plan = import::plan(&store, Kind::Trainees, &f, &opts).unwrap();
    let rejects = dir.path().join("r.csv");
    import::apply(
        &store,
        plan,
        &import::ApplyOptions {
            skip_invalid: Some(rejects),
            batch: 0,
            ..Default::default()
        },
        &mut |_, _| {},
    )
    .unwrap();
    let t = &store.all::<Trainee>().unwrap()[0];
    assert_eq!(t.name, "陈静");
    assert_eq!(t.id_number.as_str(), "11010519491231002X");
    assert_eq!(t.mobile.unwrap().as_str(), "13912345678");
    assert_eq!(t.created, common::day(8, 1), "Excel's serial 45870");
}

/// Item 5: CSV safe in Excel (OWASP escaping, IDs as text), GBK, XLSX with
/// text cells, templates; and what was escaped imports back as it was.
#[test]
fn item_05_exports_are_safe_in_excel_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let names = [
        "=HYPERLINK(\"http://x\",\"点我\")",
        "+1+cmd|' /C calc'!A0",
        "@SUM(1+1)",
        "-2+3",
    ];
    {
        let store = Store::open(&db).unwrap();
        for (i, n) in names.iter().enumerate() {
            store
                .save(Institution {
                    id: InstitutionId(0),
                    name: n.to_string(),
                    region: RegionId(0),
                    stars: 3,
                })
                .unwrap();
            common::trainee(&store, i as u16 + 1);
        }
    }
    let csv = dir.path().join("i.csv");
    let (ok, text) = sb(&["export", "institutions", "--out", csv.to_str().unwrap()], &db);
    assert!(ok, "{text}");
    let out = std::fs::read_to_string(&csv).unwrap();
    for n in names {
        assert!(
            out.contains(&format!("'{}", n.replace('"', "\"\""))),
            "{n} not escaped: {out}"
        );
    }
    let t = dir.path().join("t.csv");
    sb(&["export", "trainees", "--out", t.to_str().unwrap()], &db);
    let out = std::fs::read_to_string(&t).unwrap();
    assert!(out.contains(&format!("\"=\"\"{}\"\"\"", common::id_number(1))), "{out}");
    // Imported into an empty database, the names are the names.
    let db2 = dir.path().join("db2");
    let (ok, text) = sb(&["import", "institutions", csv.to_str().unwrap()], &db2);
    assert!(ok, "{text}");
    let back: Vec<String> = Store::reopen(&db2)
        .unwrap()
        .all::<Institution>()
        .unwrap()
        .into_iter()
        .map(|i| i.name)
        .collect();
    for n in names {
        assert!(back.contains(&n.to_string()), "{n}: {back:?}");
    }
    // GBK: decodes as Chinese Excel reads it.
    let g = dir.path().join("g.csv");
    let (ok, text) = sb(
        &["export", "trainees", "--encoding", "gbk", "--out", g.to_str().unwrap()],
        &db,
    );
    assert!(ok, "{text}");
    let bytes = std::fs::read(&g).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err());
    assert!(encoding_rs::GBK.decode(&bytes).0.starts_with("姓名,身份证号"));
    // XLSX: ID numbers are string cells with the text format.
    let x = dir.path().join("t.xlsx");
    let (ok, text) = sb(
        &["export", "trainees", "--format", "xlsx", "--out", x.to_str().unwrap()],
        &db,
    );
    assert!(ok, "{text}");
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&x).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(
        range.get((1, 1)),
        Some(&calamine::Data::String(common::id_number(1).as_str().into()))
    );
    // A template: the header only.
    let tpl = dir.path().join("tpl.xlsx");
    let (ok, text) = sb(
        &[
            "export",
            "trainees",
            "--template",
            "--format",
            "xlsx",
            "--out",
            tpl.to_str().unwrap(),
        ],
        &dir.path().join("none"),
    );
    assert!(ok, "{text}");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&tpl).unwrap();
    assert_eq!(wb.worksheet_range_at(0).unwrap().unwrap().height(), 1);
}

/// Item 6: a damaged search cache is never believed and `check` says so;
/// another database's cache at the same generation is never taken.
#[test]
fn item_06_caches_are_checksummed_and_bound_to_their_database() {
    use skillbridge::service::Service;
    let dir = tempfile::tempdir().unwrap();
    let (db, li) = city_with_li(dir.path());
    let svc = Service::open(Store::reopen(&db).unwrap()).unwrap();
    svc.wait_for_search_cache();
    drop(svc);
    let idx = db.join("search-cache/trainees.idx");
    let bytes = std::fs::read(&idx).unwrap();
    let wrong = li.id_number.as_str().replacen("2687", "2688", 1);
    let forged = |b: &[u8]| -> Vec<u8> {
        let (from, to) = (li.id_number.as_str().as_bytes(), wrong.as_bytes());
        let at = b
            .windows(from.len())
            .position(|w| w == from)
            .expect("the number is in the index");
        [&b[..at], to, &b[at + from.len()..]].concat()
    };
    std::fs::write(&idx, forged(&bytes)).unwrap();
    let (ok, out) = sb(&["search", "trainees", "李静", "--json", "--reveal"], &db);
    assert!(ok, "{out}");
    assert!(out.contains(li.id_number.as_str()) && !out.contains(&wrong), "{out}");
    std::fs::write(&idx, forged(&bytes)).unwrap();
    let (ok, out) = sb(&["check"], &db);
    assert!(!ok && out.contains("trainees.idx: damaged (checksum mismatch"), "{out}");
    let (_, out) = sb(&["check", "--repair"], &db);
    assert!(out.contains("removed"), "{out}");
    // A second database at the same generation does not take the first's files.
    let (db2, _) = city_with_li(&dir.path().join("b"));
    let a = Store::reopen(&db).unwrap();
    let b = Store::reopen(&db2).unwrap();
    assert_ne!(a.database_id().unwrap(), b.database_id().unwrap());
    drop((a, b));
    let svc = Service::open(Store::reopen(&db).unwrap()).unwrap();
    svc.wait_for_search_cache();
    drop(svc);
    std::fs::create_dir_all(db2.join("search-cache")).unwrap();
    for f in std::fs::read_dir(db.join("search-cache")).unwrap().flatten() {
        std::fs::copy(f.path(), db2.join("search-cache").join(f.file_name())).unwrap();
    }
    let (ok, out) = sb(&["check"], &db2);
    assert!(!ok && out.contains("made from another database"), "{out}");
}

/// A workbook with one value far away, made here.
fn far_cell(path: &Path, row: u32, col: u16) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let s = wb.add_worksheet();
    s.write_string(0, 0, "姓名").unwrap();
    s.write_string(0, 1, "身份证号").unwrap();
    s.write_string(1, 0, "王五").unwrap();
    s.write_string(1, 1, common::id_number(1).as_str()).unwrap();
    s.write_string(row, col, "x").unwrap();
    wb.save(path).unwrap();
}

/// Item 7: a far cell is refused (XFD1048576) or read cell by cell
/// (AZ200000), never as the rectangle it spans; a workbook that unpacks to
/// far more than it weighs is refused before it is unpacked.
#[test]
fn item_07_far_cells_and_bombs_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let far = dir.path().join("far.xlsx");
    far_cell(&far, 1_048_575, 16_383);
    assert!(std::fs::metadata(&far).unwrap().len() < 10_000);
    let (ok, out) = sb(&["import", "trainees", far.to_str().unwrap(), "--dry-run"], &db);
    assert!(!ok);
    assert!(out.contains("cell XFD1048576 lies outside"), "{out}");
    let az = dir.path().join("az.xlsx");
    far_cell(&az, 199_999, 51);
    let (ok, out) = sb(&["import", "trainees", az.to_str().unwrap(), "--dry-run"], &db);
    assert!(ok, "{out}");
    assert!(
        out.contains("column AZ has values but no header") && out.contains("1 row of trainees"),
        "{out}"
    );
    // A bomb: a sheet of 64 MB of spaces compressed to a few hundred KB.
    let bomb = dir.path().join("bomb.xlsx");
    {
        use std::io::Write;
        let f = std::fs::File::create(&bomb).unwrap();
        let mut z = zip::ZipWriter::new(f);
        let opt = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        z.start_file("xl/worksheets/sheet1.xml", opt).unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..80 {
            z.write_all(&chunk).unwrap();
        }
        z.finish().unwrap();
    }
    let store = Store::open(&db).unwrap();
    let opts = import::Options {
        limits: table::Limits::SERVICE,
        ..Default::default()
    };
    let e = import::plan(&store, Kind::Trainees, &bomb, &opts).unwrap_err();
    assert!(e.to_string().contains("the workbook unpacks to more than"), "{e}");
}

/// Item 8's service side: the far-cell workbook through the service (what
/// F6 calls, in the server too) is refused with the process's memory bounded,
/// and the service answers after. Run in a process of its own so that its
/// peak memory is its own.
#[test]
fn item_08_the_service_reads_a_far_cell_workbook_within_bounds() {
    const ME: &str = "exchange::item_08_the_service_reads_a_far_cell_workbook_within_bounds";
    if std::env::var("SKILLBRIDGE_ISOLATED").as_deref() != Ok(ME) {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([ME, "--exact", "--test-threads", "1", "--nocapture"])
            .env("SKILLBRIDGE_ISOLATED", ME)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success() && text.contains("1 passed"), "{text}");
        return;
    }
    use skillbridge::service::Service;
    let dir = tempfile::tempdir().unwrap();
    let (db, li) = city_with_li(dir.path());
    let svc = Service::open(Store::reopen(&db).unwrap()).unwrap();
    let hwm = || -> u64 {
        let s = std::fs::read_to_string("/proc/self/status").unwrap();
        let l = s.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
        l.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() * 1024
    };
    let before = hwm();
    for (name, row, col) in [("far.xlsx", 1_048_575u32, 16_383u16), ("az.xlsx", 199_999, 51)] {
        let f = dir.path().join(name);
        far_cell(&f, row, col);
        let opts = import::Options {
            today: svc.today(),
            ..Default::default()
        };
        let result = svc.import_plan(Kind::Trainees, &f, &opts);
        if name == "far.xlsx" {
            assert!(result.unwrap_err().to_string().contains("lies outside"));
        } else {
            assert_eq!(result.unwrap().rows, 1);
        }
    }
    let grew = hwm().saturating_sub(before);
    eprintln!("peak memory grew by {} MB", grew / 1_000_000);
    assert!(grew < 100_000_000, "the service's peak memory grew by {grew} bytes");
    // Still answering.
    let spec = skillbridge::service::SearchSpec {
        kind: Kind::Trainees,
        query: skillbridge::search::Query::parse("李静"),
        filters: Default::default(),
        sort: skillbridge::service::Sort::Relevance,
        districts: None,
    };
    let found = svc.read().search(&spec, None, &|| false).unwrap();
    assert_eq!(found.ids.as_ref(), &[li.id.0]);
}

/// Item 9: the row a spreadsheet shows, in the report and the rejects file:
/// a GBK file with CRLF and a title row, a quoted cell over two lines.
#[test]
fn item_09_rows_are_numbered_as_the_spreadsheet_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let mut text = String::from("2025年学员名单\r\n姓名,身份证号,意向工种\r\n");
    for n in 1..=4u16 {
        text.push_str(&format!("学员{n},{},焊工\r\n", common::id_number(n)));
    }
    text.push_str("坏一,123,焊工\r\n坏二,\"12\r\n3\",焊工\r\n坏三,456,焊工\r\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let f = dir.path().join("t.csv");
    std::fs::write(&f, &gbk).unwrap();
    let rejects = dir.path().join("r.csv");
    let (ok, out) = sb(
        &[
            "import",
            "trainees",
            f.to_str().unwrap(),
            "--skip-invalid",
            rejects.to_str().unwrap(),
        ],
        &db,
    );
    assert!(ok, "{out}");
    for row in [7, 8, 9] {
        assert!(
            out.contains(&format!("t.csv:{row}: column '身份证号'")),
            "row {row}: {out}"
        );
    }
    let r = std::fs::read_to_string(&rejects).unwrap();
    let rows: Vec<&str> = r.lines().filter_map(|l| l.rsplit(',').next()).collect();
    assert!(rows.contains(&"7") && rows.contains(&"9"), "{r}");
}

/// Item 10: what a message says: a workbook named .csv is read as one; an
/// OS error is said once; a backup cut mid-line is "cut short".
#[test]
fn item_10_messages_name_the_real_problem() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let x = dir.path().join("renamed.csv");
    far_cell(&x, 4, 5);
    let (ok, out) = sb(&["import", "trainees", x.to_str().unwrap(), "--dry-run"], &db);
    assert!(
        ok && out.contains("read as an Excel workbook, although the file is named .csv"),
        "{out}"
    );
    let missing = dir.path().join("missing.csv");
    let (ok, out) = sb(&["import", "trainees", missing.to_str().unwrap()], &db);
    assert!(!ok);
    assert_eq!(out.matches("No such file or directory").count(), 1, "{out}");
    // A backup cut in the middle of a line.
    let (ok, _) = sb(&["backup", dir.path().join("b.skb").to_str().unwrap()], &db);
    assert!(ok);
    let full = std::fs::read_to_string(dir.path().join("b.skb")).unwrap();
    let cut = dir.path().join("cut.skb");
    std::fs::write(&cut, &full[..full.len() - 20]).unwrap();
    let (ok, out) = sb(&["restore", cut.to_str().unwrap()], &dir.path().join("r"));
    assert!(!ok && out.contains("cut short"), "{out}");
}

/// Item 11: restore and export leave nothing behind when they fail.
#[test]
fn item_11_no_debris_on_failure() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = city_with_li(dir.path());
    let b = dir.path().join("b.skb");
    assert!(sb(&["backup", b.to_str().unwrap()], &db).0);
    let listing = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let before = listing(dir.path());
    let (ok, out) = sb(&["restore", b.to_str().unwrap()], &file);
    assert!(!ok && out.contains("is a file"), "{out}");
    assert_eq!(listing(dir.path()), before);
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("notes.txt"), "mine").unwrap();
    let (ok, out) = sb(&["restore", b.to_str().unwrap()], &docs);
    assert!(!ok && out.contains("holds other files"), "{out}");
    assert_eq!(listing(&docs), vec!["notes.txt".to_string()]);
    let before = listing(dir.path());
    let (ok, out) = sb(&["export", "trainees", "--out", docs.to_str().unwrap()], &db);
    assert!(!ok && out.contains("directory"), "{out}");
    assert_eq!(listing(dir.path()), before);
    assert_eq!(listing(&docs), vec!["notes.txt".to_string()]);
}

/// A backup whose one line is replaced, with the checksum made to match.
fn edited_backup(full: &str, from: &str, to: &str) -> String {
    let body_end = full.rfind("end 1 ").unwrap();
    let body = full[..body_end].replacen(from, to, 1);
    let lines = body.lines().count() - 2;
    format!(
        "{body}end 1 {{\"records\":{lines},\"crc32\":\"{:08x}\"}}\n",
        crc32fast::hash(body.as_bytes())
    )
}

/// Item 12: a backup with a good checksum and bad fields is refused, field
/// by field.
#[test]
fn item_12_restore_checks_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let (db, li) = city_with_li(dir.path());
    let b = dir.path().join("b.skb");
    assert!(sb(&["backup", b.to_str().unwrap()], &db).0);
    let full = std::fs::read_to_string(&b).unwrap();
    for (from, to, want) in [
        ("\"region\":0", "\"region\":99", "no such region"),
        (li.id_number.as_str(), "321102199610182686", "check digit"),
        ("13912345678", "1391234567X", "mobile"),
    ] {
        let f = dir.path().join("edited.skb");
        std::fs::write(&f, edited_backup(&full, from, to)).unwrap();
        let target = dir.path().join("r");
        let (ok, out) = sb(&["restore", f.to_str().unwrap()], &target);
        assert!(
            !ok && out.contains(want) && out.contains("nothing was restored"),
            "{from}: {out}"
        );
        assert!(!target.exists());
    }
}

/// Item 13: --skip-invalid exits 1 when every row was set aside.
#[test]
fn item_13_skip_invalid_that_wrote_nothing_fails() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let f = dir.path().join("t.csv");
    std::fs::write(&f, "姓名,身份证号\n王五,123\n赵六,456\n").unwrap();
    let r = dir.path().join("r.csv");
    let (ok, out) = sb(
        &[
            "import",
            "trainees",
            f.to_str().unwrap(),
            "--skip-invalid",
            r.to_str().unwrap(),
        ],
        &db,
    );
    assert!(
        !ok && out.contains("nothing was written: 2 of 2 rows were rejected"),
        "{out}"
    );
}

/// Round trip: export XLSX → import → export is identical; an export
/// re-saved the way Excel saves CSV (GBK, CRLF, ID numbers as plain text)
/// imports back to the same data.
#[test]
fn round_trip_xlsx_and_an_excel_resaved_csv() {
    let dir = tempfile::tempdir().unwrap();
    let p = |s: &str| dir.path().join(s);
    let a = common::demo_city(dir.path(), 120);
    let kinds = ["institutions", "enterprises", "demands", "classes", "trainees"];
    let export_all = |db: &Path, out: &str, format: &str| {
        let (ok, text) = sb(
            &["export", "all", "--format", format, "--out", p(out).to_str().unwrap()],
            db,
        );
        assert!(ok, "{text}");
    };
    export_all(&a, "x1", "xlsx");
    for k in kinds {
        let (ok, text) = sb(
            &["import", k, p("x1").join(format!("{k}.xlsx")).to_str().unwrap()],
            &p("b"),
        );
        assert!(ok, "{k}: {text}");
    }
    export_all(&p("b"), "x2", "xlsx");
    for k in kinds {
        let (x, y) = (
            std::fs::read(p("x1").join(format!("{k}.xlsx"))).unwrap(),
            std::fs::read(p("x2").join(format!("{k}.xlsx"))).unwrap(),
        );
        assert!(x == y, "{k}.xlsx differs after a round trip");
    }
    // As Excel re-saves a CSV export: GBK, CRLF, the ="…" wrappers gone.
    export_all(&a, "c1", "csv");
    std::fs::create_dir_all(p("c2")).unwrap();
    for k in kinds {
        let text = std::fs::read_to_string(p("c1").join(format!("{k}.csv"))).unwrap();
        let resaved = text
            .trim_start_matches('\u{feff}')
            .replace("\"=\"\"", "")
            .replace("\"\"\"", "")
            .replace('\n', "\r\n");
        let (gbk, _, bad) = encoding_rs::GBK.encode(&resaved);
        assert!(!bad);
        std::fs::write(p("c2").join(format!("{k}.csv")), &gbk).unwrap();
        let (ok, text) = sb(
            &["import", k, p("c2").join(format!("{k}.csv")).to_str().unwrap()],
            &p("c"),
        );
        assert!(ok, "{k}: {text}");
    }
    export_all(&p("c"), "c3", "csv");
    for k in kinds {
        let (x, y) = (
            std::fs::read(p("c1").join(format!("{k}.csv"))).unwrap(),
            std::fs::read(p("c3").join(format!("{k}.csv"))).unwrap(),
        );
        assert!(x == y, "{k}.csv differs after Excel's re-save");
    }
    let _ = (export::Format::Xlsx, backup::FORMAT_VERSION);
}
