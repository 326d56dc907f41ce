//! Intake forms driven through the shipped keymap: every form empty,
//! filled and with errors, in both languages; saving, batch sessions,
//! refusals that keep what was typed.

use crate::common;

use common::ui::*;
use skillbridge::app::intake::{F, Pick};
use skillbridge::app::{App, Overlay};
use skillbridge::domain::*;
use skillbridge::i18n::Lang;

/// An institution of that name is among the service's records.
fn has_institution(svc: &skillbridge::service::Service, name: &str) -> bool {
    svc.read().data.institutions.values().any(|i| i.name == name)
}

fn form(a: &App) -> &skillbridge::app::intake::Intake {
    match a.state.overlays.last() {
        Some(Overlay::Intake(f)) => f,
        other => panic!("no form open: {other:?}"),
    }
}

fn snap(name: &str, a: &App) {
    let lang = if a.state.lang == Lang::Zh { "zh" } else { "en" };
    insta::assert_snapshot!(format!("{name}_{lang}"), render(a, 100, 30));
}

/// Open a form with its key from the lists.
fn open(a: &mut App, keys: &str) {
    press(a, "esc");
    press(a, keys);
    assert!(
        matches!(a.state.overlays.last(), Some(Overlay::Intake(_))),
        "{keys} opened no form"
    );
}

fn fill_trainee(a: &mut App, name: &str, id: &str) {
    type_text(a, name);
    press(a, "tab");
    type_text(a, id);
    press(a, "tab");
    type_text(a, "13912345678");
    press(a, "tab");
    type_text(a, "dy");
    press(a, "enter");
    type_text(a, "nc");
    press(a, "enter");
    type_text(a, "hg");
    press(a, "enter");
}

/// A demand: the first enterprise the search finds, welders, 5 posts at 6000-9000.
fn fill_demand(a: &mut App) {
    type_text(a, "有限公司");
    press(a, "enter");
    type_text(a, "hg");
    press(a, "enter tab tab");
    type_text(a, "5");
    press(a, "tab");
    type_text(a, "6000");
    press(a, "tab");
    type_text(a, "9000");
}

/// A class: the first school found, welders, traditional industries, Nov–Dec, 30 seats.
fn fill_class(a: &mut App) {
    type_text(a, "学校");
    press(a, "enter");
    type_text(a, "hg");
    press(a, "enter tab tab");
    type_text(a, "ctcy");
    press(a, "enter");
    type_text(a, "2025-11-01");
    press(a, "tab");
    type_text(a, "2025-12-15");
    press(a, "tab");
    type_text(a, "30");
}

/// The forms walked, empty, filled and with errors, up to `step`.
fn at(lang: Lang, step: &str) -> App {
    let mut a = app(small_service(), lang);
    macro_rules! stop {
        ($name:literal) => {
            if step == $name {
                return a;
            }
        };
    }
    // Trainee.
    press(&mut a, "alt-3");
    open(&mut a, "ctrl-n");
    stop!("trainee_empty");
    fill_trainee(&mut a, "李雷", "11010519491231002X");
    stop!("trainee_filled");
    press(&mut a, "esc y");
    open(&mut a, "ctrl-n");
    type_text(&mut a, "韩梅梅");
    press(&mut a, "tab");
    type_text(&mut a, "110105194912310021");
    press(&mut a, "tab");
    type_text(&mut a, "123");
    press(&mut a, "ctrl-s");
    stop!("trainee_errors");
    press(&mut a, "esc y");
    // Demand.
    press(&mut a, "alt-1");
    open(&mut a, "ctrl-n");
    stop!("demand_empty");
    fill_demand(&mut a);
    stop!("demand_filled");
    press(&mut a, "esc y");
    open(&mut a, "ctrl-n");
    press(&mut a, "tab tab tab tab");
    type_text(&mut a, "0");
    press(&mut a, "tab");
    type_text(&mut a, "9000");
    press(&mut a, "tab");
    type_text(&mut a, "6000");
    press(&mut a, "ctrl-s");
    stop!("demand_errors");
    press(&mut a, "esc y");
    // Class.
    press(&mut a, "alt-2");
    open(&mut a, "ctrl-n");
    stop!("class_empty");
    fill_class(&mut a);
    stop!("class_filled");
    press(&mut a, "esc y");
    open(&mut a, "ctrl-n");
    press(&mut a, "tab tab tab");
    press(&mut a, "enter down down enter");
    press(&mut a, "tab");
    type_text(&mut a, "2025-12-01");
    press(&mut a, "tab");
    type_text(&mut a, "2025-11-01");
    press(&mut a, "ctrl-s");
    stop!("class_errors");
    press(&mut a, "esc y");
    // Institution.
    open(&mut a, "alt-i");
    stop!("institution_empty");
    type_text(&mut a, "测试职业培训学校");
    press(&mut a, "tab");
    type_text(&mut a, "jk");
    press(&mut a, "enter");
    stop!("institution_filled");
    press(&mut a, "esc y");
    open(&mut a, "alt-i");
    press(&mut a, "ctrl-s");
    stop!("institution_errors");
    press(&mut a, "esc");
    // Enterprise.
    open(&mut a, "alt-e");
    stop!("enterprise_empty");
    type_text(&mut a, "测试机械有限公司");
    press(&mut a, "tab");
    type_text(&mut a, "jk");
    press(&mut a, "enter");
    type_text(&mut a, "机械制造");
    stop!("enterprise_filled");
    press(&mut a, "esc y");
    open(&mut a, "alt-e");
    press(&mut a, "ctrl-s");
    stop!("enterprise_errors");
    press(&mut a, "esc");
    panic!("no step '{step}' on the key path")
}

fn shot(step: &str, lang: Lang) {
    let a = at(lang, step);
    snap(step, &a);
}

/// One test per snapshot: every form empty, filled and with errors, in both languages.
macro_rules! forms {
    ($($step:ident),* $(,)?) => {$(
        mod $step {
            use super::*;
            #[test]
            fn zh() {
                shot(stringify!($step), Lang::Zh)
            }
            #[test]
            fn en() {
                shot(stringify!($step), Lang::En)
            }
        }
    )*};
}

forms!(
    trainee_empty,
    trainee_filled,
    trainee_errors,
    demand_empty,
    demand_filled,
    demand_errors,
    class_empty,
    class_filled,
    class_errors,
    institution_empty,
    institution_filled,
    institution_errors,
    enterprise_empty,
    enterprise_filled,
    enterprise_errors
);

#[test]
fn each_form_saves_a_record() {
    let (_dir, svc) = own_service(200);
    let mut a = app(svc.clone(), Lang::Zh);
    let before = (
        svc.read().data.trainees.len(),
        svc.read().data.demands.len(),
        svc.read().data.classes.len(),
    );
    press(&mut a, "alt-3");
    open(&mut a, "ctrl-n");
    fill_trainee(&mut a, "李雷", "11010519491231002X");
    press(&mut a, "ctrl-s");
    assert!(a.state.overlays.is_empty(), "{:?}", a.state.status);
    let t = svc
        .read()
        .data
        .trainees
        .values()
        .find(|t| t.name == "李雷")
        .cloned()
        .unwrap();
    assert_eq!(t.region.zh(), "丹阳市");
    assert_eq!(t.wanted.as_slice(), [OccupationId(3)]);
    assert_eq!(t.key_group.as_deref(), Some("农村转移劳动者"));

    press(&mut a, "alt-1");
    open(&mut a, "ctrl-n");
    fill_demand(&mut a);
    press(&mut a, "ctrl-s");
    assert!(a.state.overlays.is_empty(), "{:?}", a.state.status);

    press(&mut a, "alt-2");
    open(&mut a, "ctrl-n");
    fill_class(&mut a);
    press(&mut a, "ctrl-s");
    assert!(a.state.overlays.is_empty(), "{:?}", a.state.status);
    let after = (
        svc.read().data.trainees.len(),
        svc.read().data.demands.len(),
        svc.read().data.classes.len(),
    );
    assert_eq!(after, (before.0 + 1, before.1 + 1, before.2 + 1));
    assert_eq!(a.state.saved, 3);

    open(&mut a, "alt-i");
    type_text(&mut a, "测试职业培训学校");
    press(&mut a, "tab");
    type_text(&mut a, "jk");
    press(&mut a, "enter ctrl-s");
    assert!(has_institution(&svc, "测试职业培训学校"));
    // The same name again is refused on the name field, text kept.
    open(&mut a, "alt-i");
    type_text(&mut a, "测试职业培训学校");
    press(&mut a, "tab");
    type_text(&mut a, "jk");
    press(&mut a, "enter ctrl-s");
    let f = form(&a);
    assert!(f.fields[0].error.is_some(), "{:?}", f.fields[0]);
    assert_eq!(f.fields[0].input.value(), "测试职业培训学校");
    assert!(svc.check().problems.is_empty());
}

#[test]
fn a_known_id_number_offers_the_existing_person() {
    let (_dir, svc) = own_service(200);
    let existing = svc.read().data.trainees.values().next().cloned().unwrap();
    let mut a = app(svc.clone(), Lang::Zh);
    let count = svc.read().data.trainees.len();
    press(&mut a, "alt-3");
    open(&mut a, "ctrl-n");
    type_text(&mut a, "另一个人");
    press(&mut a, "tab");
    type_text(&mut a, existing.id_number.as_str());
    let f = form(&a);
    assert_eq!(f.existing, Some(existing.id));
    let e = f.fields[1].error.clone().unwrap();
    assert!(e.contains(existing.name.as_str()) && e.contains("ctrl-o"), "{e}");
    press(&mut a, "ctrl-s");
    assert_eq!(svc.read().data.trainees.len(), count, "no second person");
    press(&mut a, "ctrl-o");
    match a.state.overlays.last() {
        Some(Overlay::Detail { record, .. }) => assert_eq!(*record, RecordRef::Trainee(existing.id)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn batch_session_keeps_region_and_class_and_counts() {
    let (_dir, svc) = own_service(200);
    let mut a = app(svc.clone(), Lang::Zh);
    let cases = svc.read().data.cases.len();
    press(&mut a, "alt-3");
    open(&mut a, "ctrl-n");
    // Of working age: enrolled at intake without a question.
    fill_trainee(&mut a, "甲一", "110105198503010024");
    // Enroll at intake into the top-ranked class.
    press(&mut a, "enter down enter");
    press(&mut a, "ctrl-n");
    let st = a.state.status.clone().unwrap();
    assert!(
        !st.error && st.text.contains("已保存并报名") && st.text.contains("1 条"),
        "{}",
        st.text
    );
    assert_eq!(svc.read().data.cases.len(), cases + 1);
    let f = form(&a);
    assert_eq!(f.fields[0].input.value(), "");
    let kept_region = f.fields.iter().find(|x| x.f == F::Region).unwrap().picks.clone();
    let kept_class = f.fields.iter().find(|x| x.f == F::EnrollClass).unwrap().picks.clone();
    assert_eq!(kept_region, vec![Pick::Region(RegionId(3))]);
    assert_eq!(kept_class.len(), 1);
    type_text(&mut a, "乙二");
    press(&mut a, "tab");
    type_text(&mut a, "440524198001010013");
    press(&mut a, "tab tab tab tab");
    type_text(&mut a, "hg");
    press(&mut a, "enter ctrl-n");
    let st = a.state.status.clone().unwrap();
    assert!(st.text.contains("2 条"), "{}", st.text);
    // Leaving with typed input asks first; "n" keeps the form and the text.
    type_text(&mut a, "丙");
    press(&mut a, "esc");
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Confirm(_))));
    press(&mut a, "n");
    assert_eq!(form(&a).fields[0].input.value(), "丙");
    press(&mut a, "esc y");
    assert!(a.state.overlays.is_empty());
    assert!(svc.check().problems.is_empty());
}

#[test]
fn editing_changes_the_record_and_refuses_capacity_below_enrolled() {
    let (_dir, svc) = own_service(200);
    let class = svc
        .read()
        .data
        .classes
        .values()
        .find(|c| svc.read().data.seats_used.get(&c.id).copied().unwrap_or(0) > 3)
        .cloned()
        .unwrap();
    let mut a = app(svc.clone(), Lang::En);
    press(&mut a, "alt-2");
    type_text(&mut a, &format!("'{}", class.id));
    press(&mut a, "f4");
    assert_eq!(form(&a).editing, Some(class.id.0));
    let cap = form(&a).fields.iter().position(|x| x.f == F::Capacity).unwrap();
    for _ in 0..cap {
        press(&mut a, "tab");
    }
    press(&mut a, "ctrl-u");
    type_text(&mut a, "1");
    press(&mut a, "ctrl-s");
    let f = form(&a);
    assert_eq!(f.fields[f.focus].f, F::Capacity);
    assert!(
        f.fields[f.focus]
            .error
            .as_deref()
            .unwrap_or("")
            .contains("seats already taken")
    );
    press(&mut a, "ctrl-u");
    type_text(&mut a, "99");
    press(&mut a, "ctrl-s");
    assert!(a.state.overlays.is_empty(), "{:?}", a.state.status);
    assert_eq!(svc.read().data.classes[&class.id].capacity, 99);
}

#[test]
fn import_from_the_workspace_checks_first_then_writes() {
    let (dir, svc) = own_service(100);
    let good = dir.path().join("good.csv");
    std::fs::write(&good, "机构名称,区域,信用星级\n京口导入测试培训学校,京口区,4\n").unwrap();
    let bad =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/institutions_unknown_region.csv");
    let mut a = app(svc.clone(), Lang::Zh);
    // A file with a bad row: the check lists it and nothing is written.
    press(&mut a, "f6");
    // Demands → enterprises → … : cycle the kind to institutions.
    while !matches!(a.state.overlays.last(), Some(Overlay::Import(d)) if d.kind == skillbridge::domain::Kind::Institutions)
    {
        press(&mut a, "tab");
    }
    type_text(&mut a, &bad.display().to_string());
    press(&mut a, "enter");
    let screen = render(&a, 120, 40);
    assert!(screen.contains("有误 1") && screen.contains("润洲区"), "{screen}");
    press(&mut a, "enter");
    assert!(!has_institution(&svc, "京口新技职业培训学校"));
    press(&mut a, "esc");
    // A clean file: checked, then written on the second Enter.
    press(&mut a, "f6");
    while !matches!(a.state.overlays.last(), Some(Overlay::Import(d)) if d.kind == skillbridge::domain::Kind::Institutions)
    {
        press(&mut a, "tab");
    }
    type_text(&mut a, &good.display().to_string());
    press(&mut a, "enter");
    assert!(render(&a, 120, 40).contains("新增 1"));
    assert!(!has_institution(&svc, "京口导入测试培训学校"), "a check writes nothing");
    press(&mut a, "enter");
    assert!(a.state.overlays.is_empty(), "{:?}", a.state.status);
    assert!(has_institution(&svc, "京口导入测试培训学校"));
    assert!(
        svc.read()
            .data
            .institutions
            .values()
            .any(|i| i.name == "京口导入测试培训学校")
    );
    assert!(a.state.status.as_ref().unwrap().text.starts_with("已导入"));
}
