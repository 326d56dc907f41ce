//! The command line in Chinese: every command's human output under
//! `--lang zh` (and a `zh_*` locale), good input and bad, walked for
//! English words. Allowed are what the operator types or reads as a code:
//! record codes and numbers (a token with a digit), file paths (a chunk
//! with '/'), flag names (`--db`), settings (`role=operator`), commands and
//! literals in quotes (`…`, '…', “…”), the command-line words of kinds,
//! orders and access kinds, the product's name, file formats and units.

use crate::common;
use std::path::{Path, PathBuf};

/// Run the binary with `args` then `--db db`, in a neutral locale, with
/// `envs` set; (succeeded, stdout, stderr).
fn run(args: &[&str], db: &Path, envs: &[(&str, &str)]) -> (bool, String, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_skillbridge"));
    cmd.args(args)
        .arg("--db")
        .arg(db)
        .env_remove("SKILLBRIDGE_DB")
        .env_remove("LANG")
        .env_remove("LC_MESSAGES")
        .env("LC_ALL", "C")
        .env("SKILLBRIDGE_ACCESS", db.with_extension("no-access-file"));
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let (o, e) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(!e.contains("panicked"), "the binary panicked: {e}");
    (out.status.success(), o, e)
}

/// `--lang zh` first, then `args`.
fn zh(args: &[&str], db: &Path) -> (bool, String, String) {
    let mut all = vec!["--lang", "zh"];
    all.extend_from_slice(args);
    run(&all, db, &[])
}

/// The words a command line shows on purpose: the kinds, orders and
/// access kinds it takes as arguments, the product, formats and units.
const ALLOWED: &[&str] = &[
    "skillbridge",
    "README",
    "institutions",
    "enterprises",
    "demands",
    "classes",
    "trainees",
    "cases",
    "all",
    "results",
    "reveal",
    "export",
    "import",
    "backup",
    "restore",
    "relevance",
    "newest",
    "name",
    "open-posts",
    "wage",
    "start",
    "seats",
    "stars",
    "state",
    "status",
    "region",
    "trade",
    "program",
    "zh",
    "en",
    "CSV",
    "csv",
    "UTF",
    "GBK",
    "xlsx",
    "json",
    "TOML",
    "Excel",
    "MB",
    "KiB",
    "root",
    "kiosk",
    "operator",
    "supervisor",
    "admin",
    "ctrl",
    "alt",
    "shift",
    "lon",
    "lat",
];

/// Drop what sits between a pair of quotes that mark a literal: `…`,
/// '…', "…", “…” and a keymap file's `[section]`.
fn without_literals(text: &str) -> String {
    let mut out = String::new();
    let mut closing: Option<char> = None;
    for c in text.chars() {
        match closing {
            Some(end) if c == end => closing = None,
            Some(_) => {}
            None => match c {
                '`' => closing = Some('`'),
                '\'' => closing = Some('\''),
                '"' => closing = Some('"'),
                '[' => closing = Some(']'),
                '“' => closing = Some('”'),
                _ => out.push(c),
            },
        }
    }
    out
}

/// The English words of `text` (see the module's note for what is allowed).
fn english_words(text: &str) -> Vec<String> {
    let text = without_literals(text);
    let mut out = Vec::new();
    for chunk in text.split(|c: char| c.is_whitespace() || "，。；：（）、！？【】".contains(c)) {
        if chunk.contains('/') || chunk.starts_with("--") || chunk.contains('=') {
            continue;
        }
        let mut word = String::new();
        for c in chunk.chars().chain([' ']) {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                word.push(c);
                continue;
            }
            let w = word.trim_matches('-');
            let letters = w.chars().filter(|c| c.is_ascii_alphabetic()).count();
            let code = w.chars().any(|c| c.is_ascii_digit());
            if letters >= 2 && !code && !ALLOWED.contains(&w) {
                out.push(w.to_string());
            }
            word.clear();
        }
    }
    out
}

/// Every English word of one run's output, named by what ran.
struct Walk {
    leaks: Vec<String>,
    runs: usize,
}

impl Walk {
    fn new() -> Walk {
        Walk {
            leaks: Vec::new(),
            runs: 0,
        }
    }

    /// Walk `text` (what `what` printed) and check it says `expect`.
    fn text(&mut self, what: &str, text: &str, expect: &str) {
        self.runs += 1;
        assert!(text.contains(expect), "{what}: expected '{expect}' in:\n{text}");
        for w in english_words(text) {
            self.leaks.push(format!("{what}: '{w}' in:\n{text}"));
        }
    }

    /// Run `--lang zh ARGS --db db`, expecting success or failure, and walk
    /// both streams.
    fn zh(&mut self, args: &[&str], db: &Path, ok: bool, expect: &str) -> String {
        let (done, out, err) = zh(args, db);
        let both = format!("{out}{err}");
        assert_eq!(done, ok, "{args:?}: exit status, output:\n{both}");
        self.text(&args.join(" "), &both, expect);
        both
    }

    /// Fail on any English word seen, or when fewer than `runs` were walked.
    fn done(self, runs: usize) {
        assert!(self.runs >= runs, "only {} runs walked", self.runs);
        assert!(
            self.leaks.is_empty(),
            "{} English words in Chinese command-line output:\n{}",
            self.leaks.len(),
            self.leaks.join("\n---\n")
        );
    }
}

#[test]
fn the_walk_sees_english_and_lets_codes_and_literals_pass() {
    assert_eq!(english_words("已把 12 条学员写入 /tmp/x.csv"), Vec::<String>::new());
    assert_eq!(
        english_words("用 `skillbridge restore FILE` 恢复，--db 指定"),
        Vec::<String>::new()
    );
    assert_eq!(english_words("按键“ctrl-q”的动作“quitt”不存在"), Vec::<String>::new());
    assert_eq!(english_words("学员 T6693 已报名 C451，K20001"), Vec::<String>::new());
    assert_eq!(english_words("数据库 is damaged"), vec!["is", "damaged"]);
    assert_eq!(
        english_words("（原始信息：「No such file」）"),
        vec!["No", "such", "file"]
    );
}

/// A keymap file with an unknown context, a bad key, an unknown action and
/// a key bound twice.
const BAD_KEYMAP: &str = "[lisst]\n\"j\" = \"down\"\n\n[list]\n\"ctrl-qq\" = \"quit\"\n\"j\" = \"quitt\"\n\"x\" = 3\n\"ctrl-p\" = \"down\"\n\"C-p\" = \"up\"\n";

#[test]
fn every_command_speaks_chinese_under_lang_zh() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut walk = Walk::new();
    // A city built by the Chinese command line.
    let city = d.join("city");
    walk.zh(&["demo", "--build-only", "--trainees", "150"], &city, true, "演示城市");
    walk.zh(&["demo", "--build-only", "--trainees", "150"], &city, true, "未做改动");
    walk.zh(&["check"], &city, true, "检查通过");
    walk.zh(&["check", "--repair"], &city, true, "检查未发现问题");
    walk.zh(&["stats"], &city, true, "演示城市");
    // The same by the locale alone.
    let (ok, out, err) = run(&["check"], &city, &[("LC_ALL", "zh_CN.UTF-8")]);
    assert!(ok, "{out}{err}");
    walk.text("check under LC_ALL=zh_CN.UTF-8", &format!("{out}{err}"), "检查通过");

    // Backup and restore, and their refusals.
    let bak = d.join("city.bak");
    let b = bak.display().to_string();
    walk.zh(&["backup", &b], &city, true, "已把数据库");
    walk.zh(&["backup", &b], &city, false, "已存在");
    let restored = d.join("restored");
    walk.zh(&["restore", &b], &restored, true, "检查未发现问题");
    walk.zh(&["restore", &b], &restored, false, "已有数据库");
    let notbak = d.join("not-a-backup.txt");
    std::fs::write(&notbak, "hello\n").unwrap();
    walk.zh(
        &["restore", &notbak.display().to_string()],
        &d.join("r2"),
        false,
        "不是 skillbridge 的备份文件",
    );
    walk.zh(
        &["salvage", &d.join("salvaged.bak").display().to_string()],
        &city,
        true,
        "没有丢失任何记录",
    );

    // Export, its files and its refusals.
    let out = d.join("trainees.csv");
    walk.zh(
        &["export", "trainees", "--out", &out.display().to_string()],
        &city,
        true,
        "条学员写入",
    );
    walk.zh(
        &["export", "trainees", "--out", &out.display().to_string()],
        &city,
        false,
        "--force",
    );
    walk.zh(&["export", "all"], &city, false, "--out");
    walk.zh(&["export", "people"], &city, false, "不认识的类别");
    walk.zh(&["export", "cases", "--template"], &city, false, "由报名产生");
    walk.zh(
        &["export", "cases", "--class", "C99999"],
        &city,
        false,
        "没有这个培训班",
    );
    walk.zh(&["export", "cases", "--class", "X1"], &city, false, "培训班编号");
    walk.zh(&["export", "trainees", "--sort", "stars"], &city, false, "不能按");
    walk.zh(&["export", "trainees", "--filter", "region"], &city, false, "键=值");
    walk.zh(
        &["export", "trainees", "--filter", "region=火星"],
        &city,
        false,
        "--filter",
    );
    walk.zh(
        &[
            "export",
            "demands",
            "--template",
            "--out",
            &d.join("t.csv").display().to_string(),
        ],
        &city,
        true,
        "空白",
    );
    let all = d.join("all");
    walk.zh(
        &["export", "all", "--out", &all.display().to_string()],
        &city,
        true,
        "写入",
    );

    // The report and the labor force.
    let md = d.join("report.md");
    walk.zh(
        &["report", "--format", "md", "--out", &md.display().to_string()],
        &city,
        true,
        "",
    );
    let report = std::fs::read_to_string(&md).unwrap();
    assert!(report.contains("虚构的演示城市"), "{report}");
    let notice: String = report
        .lines()
        .filter(|l| l.starts_with('>'))
        .collect::<Vec<_>>()
        .join("\n");
    walk.text("report.md's demo notice", &notice, "所有人员、企业和学校均为虚构");
    walk.zh(&["labor-force"], &city, true, "劳动力人数");
    walk.zh(&["labor-force", "lots"], &city, false, "不被接受");
    walk.zh(&["report", "--labor-force", "12"], &city, false, "不被接受");

    // The access records.
    walk.zh(&["audit"], &city, true, "条访问记录");
    walk.zh(&["audit", "--since", "yesterday"], &city, false, "--since");
    walk.zh(&["audit", "--what", "peek"], &city, false, "--what");

    // Search's own refusals.
    walk.zh(&["search", "people", "王"], &city, false, "不认识的类别");

    // Keymaps.
    let keymap = d.join("keymap.toml");
    std::fs::write(&keymap, BAD_KEYMAP).unwrap();
    let text = walk.zh(
        &["keymap", "check", &keymap.display().to_string()],
        &city,
        false,
        "上下文",
    );
    assert!(text.contains("绑定了两次") && text.contains("动作"), "{text}");
    let good = d.join("good.toml");
    std::fs::write(&good, "[list]\n\"j\" = \"down\"\n").unwrap();
    walk.zh(
        &["keymap", "check", &good.display().to_string()],
        &city,
        true,
        "有效的按键配置文件",
    );
    walk.zh(
        &["keymap", "check", &d.join("missing.toml").display().to_string()],
        &city,
        false,
        "无法读取",
    );
    walk.zh(
        &["--keymap", &keymap.display().to_string(), "keymap", "print"],
        &city,
        false,
        "上下文",
    );

    // Reference data: `pack check` on every bad fixture and on a good
    // pack; `import occupations|regions`, good files and bad; their records.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut fixtures = 0;
    for entry in std::fs::read_dir(root.join("tests/fixtures/packs")).unwrap().flatten() {
        if entry.file_type().unwrap().is_dir() {
            let dir = entry.path().display().to_string();
            walk.zh(&["pack", "check", &dir], &city, false, ".toml:");
            fixtures += 1;
        }
    }
    assert_eq!(fixtures, 8, "every bad pack fixture walked");
    walk.zh(
        &[
            "pack",
            "check",
            &root.join("packs/sample-yangzhou").display().to_string(),
        ],
        &city,
        true,
        "是有效的城市包",
    );
    let pack_file = |name: &str, text: &str| {
        let p = d.join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let occ = pack_file(
        "occ.toml",
        "[[occupation]]\nid = 20\nzh = \"叉车司机\"\nen = \"forklift driver\"\naliases = [\"铲车\"]\nkind = \"skilled\"\nrelated = []\n",
    );
    walk.zh(
        &["import", "occupations", &occ],
        &city,
        true,
        "导入职业：新增 1 个，修改 0 个",
    );
    let bad_occ = pack_file(
        "bad_occ.toml",
        "[[occupation]]\nid = 21\nzh = \"吊车司机\"\nen = \"crane driver\"\naliases = []\nkind = \"skilled\"\nrelated = [99]\n",
    );
    walk.zh(
        &["import", "occupations", &bad_occ],
        &city,
        false,
        ":7:12: 相关职业 99 不存在",
    );
    let reg = pack_file(
        "reg.toml",
        "[[region]]\nid = 8\ncode = \"ZJGX02\"\ncode_kind = \"local\"\nzh = \"综合保税区\"\nshort_zh = \"综保区\"\nen = \"Bonded Zone\"\nindustries = \"logistics\"\nlon = 119.55\nlat = 32.2\n",
    );
    walk.zh(
        &["import", "regions", &reg],
        &city,
        true,
        "导入区域：新增 1 个，修改 0 个",
    );
    let bad_reg = pack_file(
        "bad_reg.toml",
        "[[region]]\nid = 9\ncode = \"ZJGX03\"\ncode_kind = \"local\"\nzh = \"物流园\"\nshort_zh = \"物流园\"\nen = \"Logistics Park\"\nindustries = \"logistics\"\nlon = 119.5\n",
    );
    walk.zh(&["import", "regions", &bad_reg], &city, false, "缺少纬度");
    walk.zh(&["audit", "--what", "catalog"], &city, true, "导入区域：新增 1 个");

    // A database that is not there, and one that is.
    let nowhere = d.join("nowhere");
    walk.zh(&["check"], &nowhere, false, "没有数据库");
    walk.zh(&["stats"], &nowhere, false, "没有数据库");
    let fresh = d.join("fresh");
    walk.zh(&["init"], &fresh, true, "新建空数据库");
    walk.zh(&["init"], &fresh, false, "已有数据库");
    walk.zh(
        &["import", "results", "x.csv", "--class", "nope"],
        &city,
        false,
        "培训班编号",
    );
    walk.zh(
        &["import", "trainees", "x.csv", "--class", "C1"],
        &city,
        false,
        "--class",
    );
    let (ok, out, err) = run(&["--lang", "xx", "check"], &city, &[("LC_ALL", "zh_CN.UTF-8")]);
    assert!(!ok, "{out}{err}");
    walk.text("--lang xx under a zh locale", &format!("{out}{err}"), "不认识的语言");

    // A local access file that narrows the role, or is wrong.
    let access = d.join("access");
    for (line, expect) in [
        ("role=operator districts=321181", "不能"),
        ("role=boss", "不认识的角色"),
        ("role=kiosk", "自助终端"),
        ("role=operator\nrole=admin", "多了一行"),
        ("# nothing", "没有任何设置"),
    ] {
        std::fs::write(&access, line).unwrap();
        let a = access.display().to_string();
        let (ok, out, err) = run(
            &["--lang", "zh", "backup", &d.join("x.bak").display().to_string()],
            &city,
            &[("SKILLBRIDGE_ACCESS", &a)],
        );
        assert!(!ok, "{line}: {out}{err}");
        walk.text(
            &format!("backup with access file '{line}'"),
            &format!("{out}{err}"),
            expect,
        );
    }
    walk.done(59);
}

/// A trainees sheet with a title row, an unknown column and two bad rows.
fn bad_sheet(dir: &Path) -> PathBuf {
    let bad = dir.join("BAD.csv");
    std::fs::write(
        &bad,
        "学员名单\n姓名,身份证号,手机号,区域,备注x\n\
         张三,321102199001011233,13912345678,京口区,\n\
         王五,320102199003077890,1391234,润洲区,\n\
         李四,321102199001021234,13912345679,火星,\n",
    )
    .unwrap();
    bad
}

/// The acceptance: `skillbridge --lang zh import trainees BAD.csv
/// --dry-run` reports in Chinese, and so does the import that sets the bad
/// rows aside: its status, its report and the rejects file's 错误原因.
#[test]
fn the_import_report_and_the_rejects_file_read_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("db");
    let bad = bad_sheet(d);
    let file = bad.display().to_string();
    let mut walk = Walk::new();
    walk.zh(&["import", "trainees", &file, "--dry-run"], &db, false, "有误");
    walk.zh(&["import", "trainees", &file], &db, false, "未写入任何记录");
    let rejects = d.join("rejects.csv");
    let r = rejects.display().to_string();
    walk.zh(&["import", "trainees", &file, "--skip-invalid", &r], &db, true, "");
    let written = std::fs::read_to_string(&rejects).unwrap();
    assert!(written.contains("错误原因"), "{written}");
    // The reasons column, row by row (the rest is the sheet's own data).
    let mut lines = written.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = header.iter().position(|h| h.contains("错误原因")).unwrap();
    for l in lines {
        let reason = l.split(',').nth(at).unwrap_or("");
        walk.text("the rejects file's 错误原因", reason, "");
    }
    // The same sheet imported again: every row is there or bad.
    walk.zh(&["import", "trainees", &file, "--dry-run"], &db, false, "有误");
    walk.zh(
        &[
            "import",
            "trainees",
            &d.join("missing.csv").display().to_string(),
            "--dry-run",
        ],
        &db,
        false,
        "",
    );
    walk.zh(&["import", "trainees", &file, "--skip-invalid", &file], &db, false, "");
    let results = d.join("results.csv");
    std::fs::write(
        &results,
        "姓名,身份证号,理论成绩,实操成绩\n张三,321102199001011233,abc,70\n",
    )
    .unwrap();
    walk.zh(
        &["import", "results", &results.display().to_string(), "--dry-run"],
        &db,
        false,
        "",
    );
    walk.done(8);
}

/// Without `--lang` and in a neutral locale the command line keeps its
/// English, and `--json` keeps its keys under `--lang zh`.
#[test]
fn english_and_machine_output_stay_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh");
    let (ok, out, _) = run(&["init"], &db, &[]);
    assert!(ok && out.contains("created an empty database"), "{out}");
    let (ok, out, _) = zh(&["stats", "--json"], &db);
    assert!(ok && out.contains("\"regions\""), "{out}");
    let (_, _, err) = run(&["check"], &dir.path().join("none"), &[]);
    assert!(err.contains("no database at"), "{err}");
    let (_, text) = common::run_cli(&["--lang", "zh", "check"], &dir.path().join("none"));
    assert!(text.contains("没有数据库"), "{text}");
}

/// Every one of `said` is in `text`.
fn holds_all(text: &str, said: &[&str]) {
    for s in said {
        assert!(text.contains(s), "{s}: {text}");
    }
}

/// `check` in Chinese says what is wrong with a record that does not
/// decode, that has no envelope, or that a newer program wrote, and with
/// an event that does not decode, in Chinese: nothing quoted in English.
#[test]
fn check_says_damaged_records_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::demo_city(dir.path(), 30);
    {
        let raw = common::raw_open(&db);
        let trainees = raw.open_tree("trainees").unwrap();
        let first: Vec<(sled::IVec, sled::IVec)> = trainees.iter().take(3).map(|x| x.unwrap()).collect();
        assert_eq!(first.len(), 3, "three trainees to damage");
        trainees.insert(&first[0].0, b"not a record".to_vec()).unwrap();
        let mut cut = first[1].1.to_vec();
        cut.truncate(6);
        trainees.insert(&first[1].0, cut).unwrap();
        let mut newer = first[2].1.to_vec();
        newer[1] = 0x7f;
        trainees.insert(&first[2].0, newer).unwrap();
        let events = raw.open_tree("events").unwrap();
        let (k, _) = events.iter().next().unwrap().unwrap();
        events.insert(&k, vec![0xB1u8, 0, 1, 0xff, 0xff]).unwrap();
        raw.flush().unwrap();
    }
    let (ok, en) = common::run_cli(&["check"], &db);
    assert!(!ok, "{en}");
    holds_all(
        &en,
        &[
            "no envelope",
            "record does not decode",
            "is newer than this program reads",
            "the events do not decode",
        ],
    );
    let (ok, zh) = common::run_cli(&["--lang", "zh", "check"], &db);
    assert!(!ok, "{zh}");
    holds_all(
        &zh,
        &[
            "不是 skillbridge 写入的记录",
            "：记录无法解码",
            "比本程序能读的版本更新",
            "经办记录无法解码",
        ],
    );
    assert_eq!(english_words(&zh), Vec::<String>::new(), "{zh}");
    assert!(!zh.contains("原始信息"), "{zh}");
}

/// `check` names the states of a case's broken chain (an event that starts
/// from another state than the case was in, a step with no arrow in the
/// state machine) by their names, and in Chinese by their Chinese names.
#[test]
fn check_says_a_broken_case_chain_in_chinese() {
    use skillbridge::domain::{CaseState, Event};
    use skillbridge::store::{EVENT_VERSION, Store, codec, run};
    let dir = tempfile::tempdir().unwrap();
    let db = common::demo_city(dir.path(), 30);
    let (case, mut evs): (_, Vec<Event>) = {
        let store = Store::open(&db).unwrap();
        let all = store.all_events().unwrap();
        let case = all
            .iter()
            .map(|e| e.case)
            .find(|c| all.iter().filter(|e| e.case == *c).count() >= 3)
            .expect("a case with three events");
        (case, all.into_iter().filter(|e| e.case == case).collect())
    };
    // The second event starts from nothing; the third steps back to enrolled.
    evs[1].from = None;
    evs[2].to = CaseState::Enrolled;
    {
        let raw = common::raw_open(&db);
        let events = raw.open_tree("events").unwrap();
        for k in events.scan_prefix(run::run_key(case)).keys() {
            events.remove(k.unwrap()).unwrap();
        }
        let mut r = run::Run::new(case);
        for ev in &evs {
            r.push(&codec::encode(EVENT_VERSION, ev).unwrap());
        }
        events.insert(run::run_key(case), r.bytes()).unwrap();
        raw.flush().unwrap();
    }
    let (ok, en) = common::run_cli(&["check"], &db);
    assert!(!ok, "{en}");
    assert!(en.contains("starts from no state but the case was"), "{en}");
    assert!(en.contains("a case cannot step from"), "{en}");
    assert!(!en.contains("Some("), "states by name, not as Rust values: {en}");
    let (ok, zh) = common::run_cli(&["--lang", "zh", "check"], &db);
    assert!(!ok, "{zh}");
    assert!(zh.contains("起始状态为「（无）」，但服务记录当时是「"), "{zh}");
    assert!(zh.contains("」转到「已报名」"), "{zh}");
    assert_eq!(english_words(&zh), Vec::<String>::new(), "{zh}");
    assert!(!zh.contains("原始信息"), "{zh}");
}
