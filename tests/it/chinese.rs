//! The Chinese interface reads like a Chinese office tool: the office's
//! words (退训, 机构名称), levels by name, and no English where a Chinese
//! operator reads.

use crate::common;

use common::ui::*;
use skillbridge::app::Overlay;
use skillbridge::domain::*;
use skillbridge::i18n::Lang;

#[test]
fn a_pass_chooses_its_level_by_name() {
    let (_dir, svc) = own_service(200);
    let case = svc
        .read()
        .data
        .cases
        .values()
        .find(|c| c.state == CaseState::AwaitingEvaluation)
        .map(|c| c.id)
        .unwrap();
    let mut a = app(svc, Lang::Zh);
    press(&mut a, "alt-4");
    type_text(&mut a, &format!("'{case}"));
    press(&mut a, "enter c enter");
    let Some(Overlay::Picker(p)) = a.state.overlays.last() else {
        panic!("no level picker: {:?}", a.state.overlays.last().map(|_| ()))
    };
    assert_eq!(p.title, "证书等级");
    let screen = render(&a, 100, 30);
    for name in [
        "五级/初级工",
        "四级/中级工",
        "三级/高级工",
        "二级/技师",
        "一级/高级技师",
    ] {
        assert!(screen.contains(name), "{name} offered:\n{screen}");
    }
    type_text(&mut a, "高级工");
    press(&mut a, "enter");
    let Some(Overlay::Form(f)) = a.state.overlays.last() else {
        panic!("back to the form")
    };
    assert_eq!(f.fields[0].input.value(), "3");
    let screen = render(&a, 100, 30);
    assert!(screen.contains("[3] 三级/高级工"), "{screen}");
    assert!(screen.contains("二级/技师、一级/高级技师须通过"), "{screen}");
}

#[test]
fn withdrawal_is_tuixun_and_names_are_the_records_own() {
    let mut a = app(small_service(), Lang::Zh);
    press(&mut a, "alt-i");
    assert!(render(&a, 100, 30).contains("机构名称"));
    press(&mut a, "esc alt-e");
    assert!(render(&a, 100, 30).contains("企业名称"));
    assert_eq!(StateKind::Withdrawn.zh(), "已退训");
    assert_eq!(MoveKind::Withdraw.zh(), "退训");
    // A new class without a name is named as the menu names them.
    let name = TrainingClass::default_name(
        OccupationId(3),
        ClassKind::Subsidized,
        "丹徒",
        chrono::NaiveDate::from_ymd_opt(2025, 9, 1).unwrap(),
    );
    assert_eq!(name, "焊工补贴培训班（丹徒·9月）");
}

/// English words in `text`: runs of ASCII letters that are not a code
/// (a token with a digit: K20001, C451, T6693, 2025-09-01, an ID number),
/// a file path (a chunk with '/'), a single letter, or an allowed name
/// (the product, key names, file formats, command-line words shown on
/// purpose).
fn english_words(text: &str) -> Vec<String> {
    const ALLOWED: &[&str] = &[
        "skillbridge",
        "Esc",
        "Enter",
        "Tab",
        "esc",
        "enter",
        "tab",
        "ctrl",
        "alt",
        "shift",
        "CSV",
        "UTF",
        "GBK",
        "GB",
        "csv",
        "xlsx",
        "xls",
        "json",
        "Excel",
        "WPS",
        "skip",
        "invalid",
        "update",
        "MB",
    ];
    let mut out = Vec::new();
    for chunk in text.split_whitespace().filter(|c| !c.contains('/')) {
        for w in chunk.split(|c: char| !c.is_ascii_alphanumeric()) {
            let code = w.chars().any(|c| c.is_ascii_digit());
            if w.len() >= 2 && !code && !ALLOWED.contains(&w) {
                out.push(w.to_string());
            }
        }
    }
    out
}

/// Everything an operator reads of a refusal: the status line, every
/// field error of an open form, and the import dialog as drawn.
fn refusal_text(a: &skillbridge::app::App) -> String {
    let mut text = String::new();
    if let Some(s) = &a.state.status {
        text.push_str(&s.text);
        text.push('\n');
    }
    match a.state.overlays.last() {
        Some(Overlay::Form(f)) => {
            for fl in &f.fields {
                text.extend(fl.error.as_deref().map(|e| format!("{e}\n")));
            }
        }
        Some(Overlay::Intake(f)) => {
            for fl in &f.fields {
                text.extend(fl.error.as_deref().map(|e| format!("{e}\n")));
            }
        }
        Some(Overlay::Import(_)) => text.push_str(&screen(a, 160, 50)),
        _ => {}
    }
    text
}

/// The screen's text, row by row (wide characters once each).
fn screen(a: &skillbridge::app::App, w: u16, h: u16) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        skillbridge::ui::draw(f, a);
    })
    .unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut x = 0;
        while x < w {
            let sym = buf[(x, y)].symbol();
            out.push_str(sym);
            // A wide character covers the next cell too.
            x += skillbridge::ui::unicode_width(sym).max(1) as u16;
        }
        out.push('\n');
    }
    out
}

#[track_caller]
fn no_english(what: &str, a: &skillbridge::app::App, expect: &str) {
    let text = refusal_text(a);
    assert!(text.contains(expect), "{what}: expected '{expect}' in:\n{text}");
    let words = english_words(&text);
    assert!(
        words.is_empty(),
        "{what}: English {words:?} reaches the Chinese screen:\n{text}"
    );
}

#[test]
fn the_allowed_token_rule_sees_english() {
    assert!(english_words("未办理：K20001 2025-09-01 /tmp/a.csv ctrl-s 32110219900101123X").is_empty());
    assert_eq!(
        english_words("未办理：trainee T6693 is already enrolled in class C451"),
        ["trainee", "is", "already", "enrolled", "in", "class"]
    );
}

/// The refusals that come from below the screen (the store, the rules, an
/// import) read Chinese in the Chinese workspace: the ASCII-leak walk.
#[test]
fn refusals_from_the_store_and_rules_read_chinese() {
    let (dir, svc) = own_service(300);
    let today = svc.today();
    let (early, running, finished_class, enrolled, taken_name) = {
        let inner = svc.read();
        let d = &inner.data;
        let case_in = |ok: &dyn Fn(&Case, &TrainingClass) -> bool| {
            d.cases
                .values()
                .find(|c| ok(c, &d.classes[&c.class]))
                .map(|c| c.id)
                .expect("the demo city has such a case")
        };
        let early = case_in(&|c, k| c.state == CaseState::Enrolled && k.start > today);
        let running = case_in(&|c, k| c.state == CaseState::InTraining && k.end > today);
        let enrolled = case_in(&|c, k| c.state == CaseState::Enrolled && k.status.accepts_enrollment());
        let finished = d
            .classes
            .values()
            .find(|k| k.status == ClassStatus::Finished)
            .map(|k| k.id)
            .expect("a finished class");
        let taken = d
            .institutions
            .values()
            .next()
            .map(|i| i.name.clone())
            .expect("an institution");
        (early, running, finished, d.cases[&enrolled].clone(), taken)
    };
    let id_of = |t: TraineeId| svc.read().data.trainees[&t].id_number.to_string();
    let mut a = app(svc.clone(), Lang::Zh);

    // Training cannot start before the class does (the store's rule).
    press(&mut a, "alt-4");
    type_text(&mut a, &format!("'{early}"));
    press(&mut a, "enter s y");
    no_english("start before the class", &a, "开班");
    press(&mut a, "esc esc");

    // Evaluation follows the end of training.
    press(&mut a, "alt-4 ctrl-u");
    type_text(&mut a, &format!("'{running}"));
    press(&mut a, "enter v y");
    no_english("evaluation before the end", &a, "结业");
    press(&mut a, "esc esc");

    // A finished class takes no enrollment.
    press(&mut a, "alt-2 ctrl-u");
    type_text(&mut a, &format!("'{finished_class}"));
    press(&mut a, "enter e");
    type_text(&mut a, &id_of(enrolled.trainee));
    press(&mut a, "enter");
    no_english("a finished class", &a, &finished_class.to_string());
    press(&mut a, "esc esc esc");

    // A trainee already in the class is not enrolled twice.
    press(&mut a, "alt-2 ctrl-u");
    type_text(&mut a, &format!("'{}", enrolled.class));
    press(&mut a, "enter e");
    type_text(&mut a, &id_of(enrolled.trainee));
    press(&mut a, "enter y");
    no_english("already enrolled", &a, &enrolled.class.to_string());
    press(&mut a, "esc esc esc");

    // An institution's name is taken.
    press(&mut a, "alt-i");
    type_text(&mut a, &taken_name);
    press(&mut a, "tab");
    type_text(&mut a, "jk");
    press(&mut a, "enter ctrl-s");
    no_english("a duplicate institution", &a, &taken_name);
    press(&mut a, "esc y");

    // A spreadsheet with bad rows: the F6 report, row by row.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "学员名单\n\
         姓名,身份证号,手机号,区域,备注x\n\
         张三,321102199001011235,13912345678,京口区,\n\
         李四,321102199001011234,1391234,京口区,\n\
         ,32110219900101123X,,京口区,\n\
         王五,320102199003077890,13912345678,润洲区,\n",
    )
    .unwrap();
    press(&mut a, "f6");
    while !matches!(a.state.overlays.last(), Some(Overlay::Import(d)) if d.kind == Kind::Trainees) {
        press(&mut a, "tab");
    }
    type_text(&mut a, &bad.display().to_string());
    press(&mut a, "enter");
    no_english("an import with bad rows", &a, "校验码");
    no_english("an import with an unknown district", &a, "没有叫这个名称的区域");
    no_english("a title row and a column not imported", &a, "未知的列“备注x”");
    press(&mut a, "esc");

    // A file that cannot be read at all.
    press(&mut a, "f6");
    type_text(&mut a, &dir.path().join("nothing.txt").display().to_string());
    press(&mut a, "enter");
    no_english("an unreadable file", &a, "nothing.txt");
}

/// `skillbridge --lang zh import … --dry-run` reports in Chinese, and the
/// rejects file's 错误原因 column is Chinese; without `--lang` the command
/// line keeps its English.
#[test]
fn the_command_line_import_report_follows_lang_zh() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "学员名单\n姓名,身份证号,手机号,区域,备注x\n\
         张三,321102199001011235,13912345678,京口区,\n\
         王五,320102199003077890,1391234,润洲区,\n",
    )
    .unwrap();
    let file = bad.display().to_string();
    let (ok, text) = common::run_cli(&["--lang", "zh", "import", "trainees", &file, "--dry-run"], &db);
    assert!(!ok, "{text}");
    assert!(text.contains("有误 2") && text.contains("校验码"), "{text}");
    let words = english_words(&text);
    assert!(words.is_empty(), "English {words:?} in:\n{text}");
    let rejects = dir.path().join("rejects.csv");
    let (_, text) = common::run_cli(
        &[
            "--lang",
            "zh",
            "import",
            "trainees",
            &file,
            "--skip-invalid",
            &rejects.display().to_string(),
        ],
        &db,
    );
    let written = std::fs::read_to_string(&rejects).unwrap_or_else(|e| panic!("{e}: {text}"));
    let words = english_words(&written);
    assert!(
        words.is_empty() && written.contains("没有叫这个名称的区域"),
        "English {words:?} in:\n{written}"
    );
    let (_, text) = common::run_cli(&["import", "trainees", &file, "--dry-run"], &db);
    assert!(text.contains("2 rejected"), "English by default: {text}");
}

/// Every Chinese screen of the snapshot suites (each one is what its test
/// renders, through the real keymap): no run of English letters but the
/// allowed ones — key names, the product's name, the name of the other
/// language, file formats, what the operator typed into the search line,
/// and data (an operator's login name, codes with digits).
#[test]
fn no_chinese_snapshot_shows_english_words() {
    const ALLOWED: &[&str] = &[
        "skillbridge",
        "enter",
        "Enter",
        "esc",
        "Esc",
        "tab",
        "Tab",
        "up",
        "down",
        "pageup",
        "pagedown",
        "keymap",
        "toml",
        "English",
        "Excel",
        "demo",
        "y",
        "n",
    ];
    let key = |w: &str| w.starts_with("ctrl-") || w.starts_with("alt-") || w.starts_with("shift-");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/snapshots");
    let mut leaks = Vec::new();
    let mut screens = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.contains("_zh") || !name.ends_with(".snap") {
            continue;
        }
        screens += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines().filter(|l| l.starts_with('"')) {
            // The row as drawn, without insta's note on wide characters.
            let drawn = line.split("\" Hidden by multi-width symbols").next().unwrap_or(line);
            let row = drawn.trim_start_matches('"').trim_end_matches('"');
            if row.starts_with("搜索>") {
                continue; // what the operator typed
            }
            let mut word = String::new();
            for c in row.chars().chain([' ']) {
                if c.is_ascii_alphanumeric() || c == '-' {
                    word.push(c);
                    continue;
                }
                let letters = word.chars().filter(|c| c.is_ascii_alphabetic()).count();
                let has_digit = word.chars().any(|c| c.is_ascii_digit());
                if letters >= 2 && !has_digit && !key(&word) && !ALLOWED.contains(&word.as_str()) {
                    leaks.push(format!("{name}: '{word}' in {row}"));
                }
                word.clear();
            }
        }
    }
    assert!(screens > 50, "only {screens} Chinese screens found");
    assert!(leaks.is_empty(), "English on Chinese screens:\n{}", leaks.join("\n"));
}
