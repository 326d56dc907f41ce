//! The subsidy standard table edited in the workspace (#21), driven
//! through the real keymap on the hand-made town: F8 → `s` → the table →
//! `e` on a row → a refused amount, then a good one → confirmed. The new
//! amount is what a claim built afterwards uses; a claim filed before
//! keeps its amounts; a draft is recomputed when reassessed. The label is
//! no longer 示例标准. An operator sees the table but cannot change it.

use crate::common::ui::{app, press, render, type_text};
use skillbridge::app::{App, Overlay};
use skillbridge::domain::access::Role;
use skillbridge::domain::subsidy::{ClaimState, StandardEdit, Step, Target, Verdict};
use skillbridge::domain::*;
use skillbridge::i18n::Lang;
use skillbridge::service::Actor;
use skillbridge::store::StoreError;
use std::sync::Arc;

fn welder() -> Target {
    skillbridge::domain::subsidy::edit::parse_target("焊工").unwrap()
}

/// The status line and every field error of the form on top.
fn said(a: &App) -> String {
    let mut text = a.state.status.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    if let Some(Overlay::Form(f)) = a.state.overlays.last() {
        for fl in &f.fields {
            text.extend(fl.error.as_deref().map(|e| format!("\n{e}")));
        }
    }
    text
}

fn edit_an_amount(lang: Lang, tag: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (svc, t) = crate::subsidy::open(dir.path());
    let filer = Actor::operator("机构.李");
    // Filed before the change: keeps its amounts.
    let early = svc.build_claim(t.earlier, &filer).unwrap();
    let early = svc.claim_step(early.id, Step::File, &filer).unwrap();
    assert_eq!(early.total(), 1200);

    let mut a = app(svc.clone(), lang);
    press(&mut a, "f8 s");
    let screen = render(&a, 120, 36);
    assert!(
        screen.contains(if lang == Lang::Zh {
            "示例标准"
        } else {
            "sample standard"
        }),
        "{screen}"
    );
    insta::assert_snapshot!(format!("standards_table_{tag}"), screen);

    // The first row is 焊工 at level 5, 1200 yuan.
    press(&mut a, "e");
    let Some(Overlay::Form(f)) = a.state.overlays.last() else {
        panic!("the amount form is open")
    };
    assert_eq!(f.fields[0].input.value(), "1200");
    insta::assert_snapshot!(format!("standards_edit_form_{tag}"), render(&a, 120, 36));

    // A bad amount is refused on its field, naming what is accepted.
    press(&mut a, "ctrl-u");
    type_text(&mut a, "0");
    press(&mut a, "ctrl-s");
    assert!(
        matches!(a.state.overlays.last(), Some(Overlay::Form(_))),
        "still the form"
    );
    let text = said(&a);
    let expect = if lang == Lang::Zh {
        "金额：“0”不可用：请写 1 到 100000 之间的整数（元）"
    } else {
        "amount: '0' is not accepted: write a whole number of yuan from 1 to 100000"
    };
    assert!(text.contains(expect), "{text}");
    insta::assert_snapshot!(format!("standards_edit_refused_{tag}"), render(&a, 120, 36));

    press(&mut a, "ctrl-u");
    type_text(&mut a, "1500");
    press(&mut a, "ctrl-s");
    assert!(
        matches!(a.state.overlays.last(), Some(Overlay::Confirm(_))),
        "asked first"
    );
    press(&mut a, "y");
    assert!(
        matches!(a.state.overlays.last(), Some(Overlay::Subsidy(_))),
        "the form closed once saved: {}",
        said(&a)
    );
    let table = svc.subsidy_standards().unwrap();
    assert_eq!(table.row(&welder(), SkillLevel::L5).unwrap().amount, 1500);
    assert!(!table.sample, "an edited table is no longer the sample");

    // The label: no longer 示例标准, but who changed it and when.
    let screen = render(&a, 120, 36);
    if lang == Lang::Zh {
        assert!(
            !screen.contains("非本市实际补贴标准"),
            "the sample's label is gone:\n{screen}"
        );
        assert!(screen.contains("本地标准（demo 于 2025-12-10 在工作台修改"), "{screen}");
    } else {
        assert!(
            !screen.contains("not the city's real subsidy standard"),
            "the sample's label is gone:\n{screen}"
        );
        assert!(
            screen.contains("local standard (changed in the workspace by demo on 2025-12-10"),
            "{screen}"
        );
    }
    insta::assert_snapshot!(format!("standards_table_edited_{tag}"), screen);

    // The change is recorded with the operator and the time.
    let edits = svc.standards_edits().unwrap();
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0].operator, "demo");
    assert_eq!(edits[0].before, Some(1200));
    let log = svc.standards_log().unwrap();
    assert_eq!(log.last().map(|c| c.operator.as_str()), Some("demo"));

    // A claim built now uses the new amount (with the key group's uplift);
    // the claim filed before keeps its amounts.
    let c = svc.build_claim(t.class, &filer).unwrap();
    let base = |p: usize| {
        c.lines
            .iter()
            .find(|l| l.trainee == t.people[p])
            .map(|l| l.verdict.clone())
            .unwrap()
    };
    assert_eq!(base(0), Verdict::Eligible { base: 1500, uplift: 0 });
    assert_eq!(
        base(1),
        Verdict::Eligible {
            base: 1500,
            uplift: 300
        }
    );
    assert!(!c.sample);
    assert_eq!(svc.claim(early.id).unwrap().total(), 1200);
    assert_eq!(svc.claim(early.id).unwrap().state, ClaimState::Filed);
    let report = svc.check_as(&Actor::admin("t")).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn an_amount_edited_in_chinese_is_what_a_new_claim_uses() {
    edit_an_amount(Lang::Zh, "zh");
}

#[test]
fn an_amount_edited_in_english_is_what_a_new_claim_uses() {
    edit_an_amount(Lang::En, "en");
}

/// A session as `actor` (the test helper's sessions are admins).
fn session(svc: Arc<skillbridge::service::Service>, actor: Actor, lang: Lang) -> App {
    let keymap = Arc::new(skillbridge::keymap::KeyMap::shipped().unwrap());
    let mut a = App::new(
        svc.clone(),
        keymap,
        Box::new(skillbridge::app::searcher::SyncSearcher::new(svc)),
        actor,
        lang,
    );
    a.tick();
    a
}

#[test]
fn an_operator_sees_the_table_but_cannot_change_it() {
    let dir = tempfile::tempdir().unwrap();
    let (svc, _t) = crate::subsidy::open(dir.path());
    let mut a = session(svc.clone(), Actor::operator("窗口.周"), Lang::Zh);
    press(&mut a, "f8 s");
    assert!(render(&a, 120, 36).contains("焊工"), "the table is shown");
    for key in ["e", "n", "d", "u", "enter"] {
        press(&mut a, key);
        assert!(
            matches!(a.state.overlays.last(), Some(Overlay::Subsidy(_))),
            "{key}: no form for an operator"
        );
        let text = said(&a);
        assert!(text.contains("修改补贴标准"), "{key}: {text}");
        assert!(text.contains("主管"), "{key}: the role it needs is named: {text}");
    }
    assert!(svc.subsidy_standards().unwrap().sample, "unchanged");
    // The service refuses every path for an operator and a kiosk.
    let edit = StandardEdit::Amount {
        target: welder(),
        level: SkillLevel::L5,
        amount: 1500,
    };
    for who in [Actor::operator("窗口.周"), Actor::new("kiosk", Role::Kiosk)] {
        assert!(matches!(svc.edit_standards(&edit, &who), Err(StoreError::Denied(_))));
    }
    assert!(
        svc.edit_standards(&edit, &Actor::new("主管.钱", Role::Supervisor))
            .is_ok()
    );
}

#[test]
fn a_row_is_added_and_removed_and_an_uplift_set_through_the_keys() {
    let dir = tempfile::tempdir().unwrap();
    let (svc, _t) = crate::subsidy::open(dir.path());
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "f8 s n");
    // Every field wrong: each says so on its own line.
    type_text(&mut a, "飞行员");
    press(&mut a, "tab");
    type_text(&mut a, "9");
    press(&mut a, "tab");
    type_text(&mut a, "abc");
    press(&mut a, "ctrl-s");
    let Some(Overlay::Form(f)) = a.state.overlays.last() else {
        panic!("the add form stays")
    };
    let errors: Vec<&str> = f.fields.iter().filter_map(|x| x.error.as_deref()).collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors[0].starts_with("工种或类别："), "{errors:?}");
    assert!(errors[1].starts_with("等级："), "{errors:?}");
    assert!(errors[2].starts_with("金额："), "{errors:?}");
    // A row already in the table is refused.
    press(&mut a, "esc n");
    type_text(&mut a, "焊工");
    press(&mut a, "tab");
    type_text(&mut a, "4");
    press(&mut a, "tab");
    type_text(&mut a, "2000");
    press(&mut a, "ctrl-s");
    assert!(said(&a).contains("已在标准表中（1600 元）"), "{}", said(&a));
    // A new level for welders.
    press(&mut a, "esc n");
    type_text(&mut a, "welder");
    press(&mut a, "tab");
    type_text(&mut a, "2");
    press(&mut a, "tab");
    type_text(&mut a, "3000元");
    press(&mut a, "ctrl-s y");
    let table = svc.subsidy_standards().unwrap();
    assert_eq!(table.row(&welder(), SkillLevel::L2).map(|r| r.amount), Some(3000));
    // Removed again: the last row is the new one (the three uplifts follow it).
    press(&mut a, "end up up up d y");
    assert_eq!(svc.subsidy_standards().unwrap().row(&welder(), SkillLevel::L2), None);
    // An uplift for veterans (from a row: the form opens empty), then 0 removes it.
    press(&mut a, "home u");
    type_text(&mut a, "退役军人");
    press(&mut a, "tab");
    type_text(&mut a, "15");
    press(&mut a, "ctrl-s y");
    assert_eq!(svc.subsidy_standards().unwrap().uplift(Some("退役军人")), 15);
    press(&mut a, "home u");
    type_text(&mut a, "退役军人");
    press(&mut a, "tab");
    type_text(&mut a, "0");
    press(&mut a, "ctrl-s y");
    assert_eq!(svc.subsidy_standards().unwrap().uplift(Some("退役军人")), 0);
    assert_eq!(svc.standards_edits().unwrap().len(), 4);
}

#[test]
fn a_draft_is_recomputed_when_reassessed_and_a_filed_claim_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let (svc, t) = crate::subsidy::open(dir.path());
    let filer = Actor::operator("机构.李");
    let boss = Actor::new("主管.钱", Role::Supervisor);
    let filed = svc.build_claim(t.earlier, &filer).unwrap();
    svc.claim_step(filed.id, Step::File, &filer).unwrap();
    let draft = svc.build_claim(t.class, &filer).unwrap();
    assert_eq!(draft.total(), 1200 + 1440 + 1200);
    svc.edit_standards(
        &StandardEdit::Amount {
            target: welder(),
            level: SkillLevel::L5,
            amount: 1000,
        },
        &boss,
    )
    .unwrap();
    // Nothing moves until the draft is reassessed.
    assert_eq!(svc.claim(draft.id).unwrap().total(), 3840);
    assert_eq!(svc.claim(filed.id).unwrap().total(), 1200);
    let again = svc.claim_step(draft.id, Step::Rebuild, &filer).unwrap();
    assert_eq!(again.total(), 1000 + 1200 + 1000);
    assert_eq!(svc.claim(filed.id).unwrap().total(), 1200);
    // The draft's detail says it follows the table.
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "f8");
    // Newest first: the draft is the first row.
    press(&mut a, "enter");
    assert!(
        render(&a, 120, 36).contains("草稿：重新核对或申报时按当前补贴标准重算金额"),
        "{}",
        render(&a, 120, 36)
    );
}

#[test]
fn a_city_table_edited_marks_no_row_as_sample() {
    let dir = tempfile::tempdir().unwrap();
    let (svc, _t) = crate::subsidy::open(dir.path());
    let boss = Actor::new("主管.钱", Role::Supervisor);
    // The city's own table (by chance the sample's amounts), then one edit.
    let mut city = skillbridge::domain::subsidy::Standards::sample();
    city.sample = false;
    city.source = "本市补贴标准.toml".into();
    svc.save_standards(city, &boss).unwrap();
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "f8 s");
    let screen = render(&a, 120, 36);
    assert!(screen.contains("补贴标准：本市补贴标准.toml"), "{screen}");
    svc.edit_standards(
        &StandardEdit::Amount {
            target: welder(),
            level: SkillLevel::L4,
            amount: 1700,
        },
        &boss,
    )
    .unwrap();
    a.tick();
    let screen = render(&a, 120, 36);
    assert!(
        screen.contains("本地标准（主管.钱 于 2025-12-10 在工作台修改）"),
        "{screen}"
    );
    assert!(!screen.contains("示例"), "nothing is the sample's:\n{screen}");
}
