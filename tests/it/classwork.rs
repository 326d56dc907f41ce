//! Work by the class and by the list: institutions and enterprises as
//! lists, going to a record by its code, a class's roster, and a step for
//! a whole class in one transaction.

use crate::common;

use common::ui::*;
use skillbridge::app::Overlay;
use skillbridge::domain::*;
use skillbridge::i18n::Lang;

#[test]
fn an_institution_with_no_class_opens_from_its_list() {
    let (_dir, svc) = own_service(200);
    let lonely = svc
        .save(
            Institution {
                id: InstitutionId(0),
                name: "新开职业培训学校".into(),
                region: RegionId(2),
                stars: 3,
            },
            &skillbridge::service::Actor::admin("t"),
        )
        .unwrap();
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "alt-6");
    type_text(&mut a, "新开");
    assert_eq!(a.state.list().selected_id(), Some(lonely.id.0));
    press(&mut a, "enter");
    let screen = render(&a, 120, 40);
    assert!(
        screen.contains("新开职业培训学校") && screen.contains("0 个班"),
        "{screen}"
    );
    // Edit from its detail, a new one from its tab.
    press(&mut a, "f4");
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Intake(f)) if f.editing == Some(lonely.id.0)));
    press(&mut a, "esc esc ctrl-n");
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Intake(f)) if f.kind == Kind::Institutions));
    // Enterprises too: its demands in its detail.
    press(&mut a, "esc alt-7");
    let firm = svc.read().data.demands.values().next().unwrap().enterprise;
    type_text(&mut a, &format!("'{firm}"));
    press(&mut a, "enter");
    let demand = svc
        .read()
        .data
        .demands
        .values()
        .find(|d| d.enterprise == firm)
        .unwrap()
        .id;
    assert!(render(&a, 120, 40).contains(&demand.to_string()));
}

#[test]
fn a_code_typed_goes_to_its_record_from_any_tab() {
    let svc = demo_service();
    let t = *svc.read().data.trainees.keys().nth(3).unwrap();
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "ctrl-g");
    type_text(&mut a, &t.to_string().to_lowercase());
    press(&mut a, "enter");
    assert_eq!(a.state.tab, Kind::Trainees);
    match a.state.overlays.last() {
        Some(Overlay::Detail { record, .. }) => assert_eq!(*record, RecordRef::Trainee(t)),
        other => panic!("{other:?}"),
    }
    // A code that names nothing, and text that is no code, say so.
    press(&mut a, "esc ctrl-g");
    type_text(&mut a, "D999999");
    press(&mut a, "enter");
    assert!(a.state.status.as_ref().unwrap().text.contains("D999999"));
    press(&mut a, "ctrl-g");
    type_text(&mut a, "焊工");
    press(&mut a, "enter");
    assert!(a.state.status.as_ref().unwrap().error);
}

#[test]
fn a_class_shows_its_roster() {
    let svc = demo_service();
    let (class, names): (ClassId, Vec<String>) = {
        let inner = svc.read();
        let c = inner
            .data
            .classes
            .values()
            .find(|c| inner.data.class_cases(c.id).count() >= 3)
            .unwrap();
        (
            c.id,
            inner
                .data
                .class_cases(c.id)
                .map(|k| inner.data.trainees[&k.trainee].name.to_string())
                .collect(),
        )
    };
    let mut a = app(svc, Lang::Zh);
    press(&mut a, "alt-2");
    type_text(&mut a, &format!("'{class}"));
    press(&mut a, "enter");
    let v = a.view(ratatui::layout::Rect::new(0, 0, 120, 200));
    let Some(skillbridge::app::view::OverlayView::Detail(lines)) = v.overlays.last() else {
        panic!("no detail")
    };
    let text: Vec<String> = lines.iter().map(|l| format!("{l:?}")).collect();
    let text = text.join("\n");
    assert!(text.contains("花名册"));
    for n in names {
        assert!(text.contains(&n), "{n} on the roster");
    }
}

#[test]
fn a_whole_class_starts_training_in_one_step_naming_who_does_not() {
    let (_dir, svc) = own_service(300);
    let class = crate::workspace::class_ready_to_start(&svc);
    let (enrolled, others): (Vec<CaseId>, usize) = {
        let inner = svc.read();
        let all: Vec<&Case> = inner.data.class_cases(class).collect();
        (
            all.iter()
                .filter(|k| k.state == CaseState::Enrolled)
                .map(|k| k.id)
                .collect(),
            all.iter().filter(|k| k.state != CaseState::Enrolled).count(),
        )
    };
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "alt-2");
    type_text(&mut a, &format!("'{class}"));
    press(&mut a, "enter S");
    let Some(Overlay::Confirm(c)) = a.state.overlays.last() else {
        panic!("no question: {:?}", a.state.status)
    };
    assert!(c.text.contains(&format!("{} 人", enrolled.len())), "{}", c.text);
    if others > 0 {
        assert!(c.text.contains(&format!("不办理 {others} 人")), "{}", c.text);
    }
    press(&mut a, "y");
    let st = a.state.status.clone().unwrap();
    assert!(!st.error, "{}", st.text);
    for k in &enrolled {
        assert_eq!(svc.read().data.cases[k].state, CaseState::InTraining);
        let last = svc.events(*k).unwrap().pop().unwrap();
        assert_eq!(last.to, CaseState::InTraining, "one event per case");
    }
    assert!(svc.check().problems.is_empty());
    // Sending to evaluation before the class ends moves no one, and says why.
    press(&mut a, "V");
    let st = a.state.status.clone().unwrap();
    assert!(st.error, "{}", st.text);
}

/// A class with people awaiting evaluation, and one such person.
fn awaiting(svc: &skillbridge::service::Service) -> (ClassId, Vec<(CaseId, Trainee)>) {
    let inner = svc.read();
    let data = &inner.data;
    let class = data
        .classes
        .values()
        // A level a pass needs no panel review for (that rule has its own test).
        .filter(|c| !c.target_level.needs_panel())
        .filter(|c| {
            data.class_cases(c.id)
                .filter(|k| k.state == CaseState::AwaitingEvaluation)
                .count()
                >= 2
        })
        .map(|c| c.id)
        .next()
        .expect("a class awaiting evaluation");
    let people = data
        .class_cases(class)
        .filter(|k| k.state == CaseState::AwaitingEvaluation)
        .map(|k| (k.id, data.trainees[&k.trainee].clone()))
        .collect();
    (class, people)
}

#[test]
fn a_roster_goes_out_with_every_digit_inert_formulas_and_a_page_to_print() {
    let (dir, svc) = own_service(300);
    let admin = skillbridge::service::Actor::admin("t");
    let (class, people) = awaiting(&svc);
    // A name an attacker chose: it must come back as text, never a formula.
    let (k0, mut p0) = people[0].clone();
    p0.name = "=HYPERLINK(\"http://x\",\"点我\")".into();
    let p0 = svc.save(p0, &admin).unwrap();
    let ids: Vec<u64> = svc.read().data.class_cases(class).map(|k| k.id.0).collect();
    let people: Vec<Trainee> = {
        let r = svc.read();
        ids.iter()
            .map(|id| r.data.trainees[&r.data.cases[&CaseId(*id)].trainee].clone())
            .collect()
    };
    use skillbridge::io::export::{Format, Options};
    // XLSX: every ID number a text cell with all 18 characters.
    let (xlsx, n) = svc
        .export_list(&admin, Kind::Cases, &ids, &Options::new(Format::Xlsx), "roster.xlsx")
        .unwrap();
    assert_eq!(n, ids.len());
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(&xlsx).unwrap();
    let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
    let cells: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(cells[0][2], "身份证号");
    for p in &people {
        assert!(
            cells.iter().any(|r| r[2] == p.id_number.as_str()),
            "{} whole in the workbook",
            p.id_number
        );
    }
    assert!(cells.iter().any(|r| r[1] == p0.name.as_str()), "the name is text");
    // CSV: the ID as ="…" (Excel keeps it text), the formula behind a '.
    let (csv_path, _) = svc
        .export_list(&admin, Kind::Cases, &ids, &Options::new(Format::Csv), "roster.csv")
        .unwrap();
    let csv_out = std::fs::read(csv_path).unwrap();
    let mut r = csv::Reader::from_reader(&csv_out[3..]);
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    for p in &people {
        assert!(rows.iter().any(|x| x[2] == format!("=\"{}\"", p.id_number)));
    }
    let named = rows.iter().find(|x| x[0] == k0.to_string()).unwrap();
    assert!(named[1].starts_with("'="), "{:?}", &named[1]);
    // The page to print: the class, every trainee, nothing that runs.
    let mut opts = Options::new(Format::Html);
    opts.title = Some(format!("{class} 花名册"));
    let (html, _) = svc
        .export_list(&admin, Kind::Cases, &ids, &opts, "roster.html")
        .unwrap();
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("A4 landscape") && page.contains(&format!("{class} 花名册")));
    for p in &people {
        assert!(page.contains(p.id_number.as_str()));
    }
    assert!(page.contains("=HYPERLINK(&quot;http://x&quot;"));
    assert!(html.starts_with(dir.path()), "written beside the database");
    // An operator may not take personal data out.
    let e = svc
        .export_list(
            &skillbridge::service::Actor::operator("wang"),
            Kind::Cases,
            &ids,
            &Options::new(Format::Xlsx),
            "no.xlsx",
        )
        .unwrap_err();
    assert!(e.to_string().contains("admin"), "{e}");
}

#[test]
fn the_list_on_screen_and_a_classs_roster_go_out_from_the_workspace() {
    let (_dir, svc) = own_service(300);
    let (class, people) = awaiting(&svc);
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "alt-3");
    type_text(&mut a, "丹阳");
    let shown = a.state.list().ids.len();
    press(&mut a, "ctrl-s");
    let st = a.state.status.clone().unwrap();
    assert!(
        !st.error && st.text.contains(&format!("已导出 {shown} 条")),
        "{}",
        st.text
    );
    let path = st.text.rsplit('：').next().unwrap().trim().to_string();
    assert!(std::path::Path::new(&path).exists(), "{path}");
    // From a class's detail: its roster, a workbook and a page to print.
    press(&mut a, "alt-2 ctrl-u");
    type_text(&mut a, &format!("'{class}"));
    press(&mut a, "enter ctrl-s");
    let st = a.state.status.clone().unwrap();
    assert!(
        !st.error && st.text.contains("花名册") && st.text.contains(".html"),
        "{}",
        st.text
    );
    let page = st.text.rsplit('：').next().unwrap().trim().to_string();
    let page = std::fs::read_to_string(page).unwrap();
    for (_, p) in &people {
        assert!(page.contains(p.name.as_str()));
    }
}

/// A results sheet: `rows` as (ID number, name, theory, practical, certificate).
fn sheet(dir: &std::path::Path, rows: &[(&str, &str, &str, &str, &str)]) -> std::path::PathBuf {
    let mut text = String::from("身份证号,姓名,理论成绩,实操成绩,证书编号,评价日期\r\n");
    for (id, name, t, p, c) in rows {
        text.push_str(&format!("{id},{name},{t},{p},{c},2025-10-10\r\n"));
    }
    let path = dir.join("results.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_results_sheet_moves_exactly_its_good_rows_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::demo_city(dir.path(), 300);
    let svc = skillbridge::service::Service::open(skillbridge::store::Store::reopen(&db).unwrap()).unwrap();
    let (_, people) = awaiting(&svc);
    let (k_pass, pass) = people[0].clone();
    let (k_fail, fail) = people[1].clone();
    let busy = {
        let r = svc.read();
        let c = r
            .data
            .cases
            .values()
            .find(|c| c.state == CaseState::InTraining)
            .unwrap()
            .clone();
        r.data.trainees[&c.trainee].clone()
    };
    // Two more people, for a name that disagrees and a score out of range.
    let more: Vec<Trainee> = {
        let r = svc.read();
        r.data
            .trainees
            .values()
            .filter(|t| t.id != pass.id && t.id != fail.id && t.id != busy.id)
            .take(2)
            .cloned()
            .collect()
    };
    let stranger = "321102198801010015";
    drop(svc);
    let path = sheet(
        dir.path(),
        &[
            (pass.id_number.as_str(), pass.name.as_str(), "85", "90", "ZJ2025R001"),
            (fail.id_number.as_str(), fail.name.as_str(), "50", "70", ""),
            (stranger, "无名", "80", "80", "ZJ2025R002"),
            (busy.id_number.as_str(), busy.name.as_str(), "80", "80", "ZJ2025R003"),
            (more[0].id_number.as_str(), "别人", "80", "80", "ZJ2025R004"),
            (more[1].id_number.as_str(), more[1].name.as_str(), "101", "70", ""),
        ],
    );
    let p = path.to_str().unwrap();
    let state = |k: CaseId| {
        let svc = skillbridge::service::Service::open(skillbridge::store::Store::reopen(&db).unwrap()).unwrap();
        svc.read().data.cases[&k].state.clone()
    };
    // The dry run and a run without --skip-invalid change nothing, and say every bad row.
    for args in [vec!["import", "results", p, "--dry-run"], vec!["import", "results", p]] {
        let (ok, out) = common::run_cli(&args, &db);
        assert!(!ok, "{out}");
        assert!(
            out.contains("results.csv:4: column '身份证号'") && out.contains("no trainee"),
            "{out}"
        );
        assert!(
            out.contains("results.csv:5:") && out.contains("no case awaiting evaluation"),
            "{out}"
        );
        assert!(out.contains("results.csv:6: column '姓名' = '别人'"), "{out}");
        assert!(out.contains("results.csv:7: column '理论成绩' = '101'"), "{out}");
        assert_eq!(state(k_pass), CaseState::AwaitingEvaluation);
        assert_eq!(state(k_fail), CaseState::AwaitingEvaluation);
    }
    // With --skip-invalid: exactly the two good rows move; the rest are set aside.
    let rejects = dir.path().join("rejects.csv");
    let (ok, out) = common::run_cli(
        &["import", "results", p, "--skip-invalid", rejects.to_str().unwrap()],
        &db,
    );
    assert!(ok, "{out}");
    assert!(out.contains("1 pass, 1 fail, 4 rejected; 2 cases moved"), "{out}");
    assert!(matches!(state(k_pass), CaseState::Certified(_)));
    assert_eq!(state(k_fail), CaseState::NotCertified);
    let set_aside = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(set_aside.lines().count(), 5, "{set_aside}");
    let (ok, out) = common::run_cli(&["check"], &db);
    assert!(ok, "{out}");
    let (ok, out) = common::run_cli(&["stats"], &db);
    assert!(ok, "{out}");
}

#[test]
fn f6_on_the_cases_tab_reads_a_results_sheet_checks_it_then_writes_it() {
    let (dir, svc) = own_service(300);
    let (_, people) = awaiting(&svc);
    let (k_pass, pass) = people[0].clone();
    let (k_fail, fail) = people[1].clone();
    let good = sheet(
        dir.path(),
        &[
            (pass.id_number.as_str(), pass.name.as_str(), "85", "90", "ZJ2025F6001"),
            (fail.id_number.as_str(), fail.name.as_str(), "30", "70", ""),
        ],
    );
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "alt-4 f6");
    type_text(&mut a, good.to_str().unwrap());
    press(&mut a, "enter");
    let screen = render(&a, 120, 40);
    assert!(
        screen.contains("评价结果") && screen.contains("通过 1 · 未通过 1 · 有误 0"),
        "{screen}"
    );
    assert_eq!(
        svc.read().data.cases[&k_pass].state,
        CaseState::AwaitingEvaluation,
        "checked, not written"
    );
    press(&mut a, "enter");
    let st = a.state.status.clone().unwrap();
    assert!(!st.error && st.text.contains("通过 1，未通过 1"), "{}", st.text);
    assert!(matches!(svc.read().data.cases[&k_pass].state, CaseState::Certified(_)));
    assert_eq!(svc.read().data.cases[&k_fail].state, CaseState::NotCertified);
    // A sheet with a bad row is shown with its problems and never written.
    let other = awaiting(&svc).1;
    let (k_other, p) = other[0].clone();
    let bad = sheet(
        dir.path(),
        &[
            (p.id_number.as_str(), p.name.as_str(), "85", "90", "ZJ2025F6002"),
            (pass.id_number.as_str(), pass.name.as_str(), "85", "90", "ZJ2025F6003"),
        ],
    );
    press(&mut a, "f6");
    type_text(&mut a, bad.to_str().unwrap());
    press(&mut a, "enter enter enter");
    let screen = render(&a, 120, 40);
    assert!(
        screen.contains("有误 1") && screen.contains("results.csv:3"),
        "{screen}"
    );
    assert_eq!(svc.read().data.cases[&k_other].state, CaseState::AwaitingEvaluation);
}
