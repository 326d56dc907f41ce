//! The operator workspace, driven by key strings through the shipped keymap
//! and rendered on ratatui's TestBackend.

use crate::common;

use common::ui::*;
use skillbridge::app::{Overlay, PairRows};
use skillbridge::domain::Kind;
use skillbridge::domain::rules;
use skillbridge::domain::*;
use skillbridge::i18n::Lang;

/// The workspace after walking the screens' key path up to `step`.
fn at(lang: Lang, step: &str) -> skillbridge::app::App {
    let mut a = app(demo_service(), lang);
    macro_rules! stop {
        ($name:literal) => {
            if step == $name {
                return a;
            }
        };
    }
    type_text(&mut a, "hg");
    stop!("demands_hg");
    press(&mut a, "ctrl-p");
    stop!("pairing");
    press(&mut a, "enter");
    stop!("enroll_picker");
    press(&mut a, "enter");
    stop!("confirm");
    press(&mut a, "esc esc esc");
    press(&mut a, "tab");
    stop!("classes");
    press(&mut a, "tab");
    stop!("trainees");
    press(&mut a, "tab");
    stop!("cases");
    // A case with a long history: an employed one.
    type_text(&mut a, "employed");
    press(&mut a, "enter");
    stop!("case_timeline");
    press(&mut a, "esc");
    press(&mut a, "f1");
    stop!("help");
    // Institutions and enterprises as lists of their own.
    press(&mut a, "esc alt-6");
    stop!("institutions");
    press(&mut a, "alt-7");
    stop!("enterprises");
    // A class that has started, with people enrolled: its roster, and
    // starting training for the whole class.
    let class = class_ready_to_start(&demo_service());
    press(&mut a, "alt-2");
    type_text(&mut a, &format!("'{class}"));
    press(&mut a, "enter");
    stop!("roster");
    press(&mut a, "S");
    stop!("class_start");
    panic!("no step '{step}' on the key path")
}

fn shot(step: &str, lang: Lang, w: u16, h: u16) {
    let l = if lang == Lang::Zh { "zh" } else { "en" };
    insta::assert_snapshot!(format!("{step}_{l}_{w}x{h}"), render(&at(lang, step), w, h));
}

/// A class that has started and still has people enrolled (not yet training).
pub(crate) fn class_ready_to_start(svc: &skillbridge::service::Service) -> ClassId {
    let today = svc.today();
    let inner = svc.read();
    inner
        .data
        .classes
        .values()
        .filter(|c| c.start <= today && c.end > today)
        .find(|c| inner.data.class_cases(c.id).any(|k| k.state == CaseState::Enrolled))
        .map(|c| c.id)
        .expect("the demo has a started class with people enrolled")
}

/// One test per snapshot: every screen in both languages at 80×24 and 120×40.
macro_rules! screens {
    ($($step:ident),* $(,)?) => {$(
        mod $step {
            use super::*;
            #[test]
            fn zh_80x24() {
                shot(stringify!($step), Lang::Zh, 80, 24)
            }
            #[test]
            fn zh_120x40() {
                shot(stringify!($step), Lang::Zh, 120, 40)
            }
            #[test]
            fn en_80x24() {
                shot(stringify!($step), Lang::En, 80, 24)
            }
            #[test]
            fn en_120x40() {
                shot(stringify!($step), Lang::En, 120, 40)
            }
        }
    )*};
}

/// The confirmation of a recorded pass, in its own city (the walk writes).
fn confirm_pass(w: u16, h: u16) {
    let (_dir, svc) = own_service(300);
    let mut a = app(svc.clone(), Lang::En);
    pass_to_confirm(&mut a, case_in(&svc, StateKind::AwaitingEvaluation));
    insta::assert_snapshot!(format!("confirm_pass_en_{w}x{h}"), render(&a, w, h));
}

mod confirm_pass {
    #[test]
    fn en_80x24() {
        super::confirm_pass(80, 24)
    }
    #[test]
    fn en_120x40() {
        super::confirm_pass(120, 40)
    }
}

screens!(
    demands_hg,
    pairing,
    enroll_picker,
    confirm,
    classes,
    trainees,
    cases,
    case_timeline,
    help,
    institutions,
    enterprises,
    roster,
    class_start
);

#[test]
fn hg_finds_welders_first_and_highlights_them() {
    let mut a = app(demo_service(), Lang::Zh);
    type_text(&mut a, "hg");
    let l = a.state.list();
    assert!(!l.ids.is_empty());
    let inner = a.svc.read();
    let first = inner.data.demands.get(&DemandId(l.ids[0])).unwrap();
    assert_eq!(first.occupation.zh(), "焊工");
    drop(inner);
    let screen = render(&a, 120, 40);
    assert!(screen.contains("焊工"), "{screen}");
    // Narrowing: 'hgx' is a subset of 'hg'.
    type_text(&mut a, " 丹阳");
    let inner = a.svc.read();
    for id in a.state.list().ids.iter() {
        let d = inner.data.demands.get(&DemandId(*id)).unwrap();
        assert!(
            d.region.zh().contains("丹阳") || inner.data.enterprise_name(d.enterprise).contains("丹阳"),
            "{d:?}"
        );
    }
}

#[test]
fn pinyin_initials_and_english_find_the_same_trade() {
    let mut counts = Vec::new();
    for q in ["养老护理员", "ylhly", "yanglaohuliyuan", "elder-care"] {
        let mut a = app(demo_service(), Lang::Zh);
        type_text(&mut a, q);
        counts.push((q, a.state.list().ids.len()));
    }
    let n = counts[0].1;
    assert!(n > 0);
    for (q, c) in &counts {
        assert_eq!(*c, n, "{q}: {counts:?}");
    }
}

#[test]
fn pairing_shows_reasons_and_enrolls_through_the_keymap() {
    let (_dir, svc) = own_service(300);
    let mut a = app(svc.clone(), Lang::Zh);
    let cases_before = svc.read().data.cases.len();
    type_text(&mut a, "hg");
    press(&mut a, "ctrl-p");
    let Some(Overlay::Pairing(p)) = a.state.overlays.last() else {
        panic!("no pairing")
    };
    let PairRows::Classes(_, rows) = &p.rows else {
        panic!("not classes")
    };
    assert!(!rows.is_empty());
    let class = rows[0].class;
    let seats_before = svc.read().data.seats_left(svc.read().data.classes.get(&class).unwrap());
    let screen = render(&a, 120, 40);
    assert!(screen.contains("同工种") && screen.contains("余"), "{screen}");
    press(&mut a, "enter");
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Picker(_))));
    press(&mut a, "enter");
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Confirm(_))));
    press(&mut a, "y");
    let st = a.state.status.clone().unwrap();
    assert!(!st.error, "{}", st.text);
    assert!(st.text.starts_with("已报名"), "{}", st.text);
    assert_eq!(svc.read().data.cases.len(), cases_before + 1);
    let data = &svc.read().data;
    assert_eq!(data.seats_left(data.classes.get(&class).unwrap()), seats_before - 1);
    // Every tab sees it at once: the cases list grew without a key.
    assert_eq!(a.state.lists[Kind::Cases.tab_index()].ids.len(), cases_before + 1);
    assert!(svc.check().problems.is_empty());
}

#[test]
fn another_session_sees_a_change_without_a_key() {
    let (_dir, svc) = own_service(300);
    let mut one = app(svc.clone(), Lang::Zh);
    let mut two = app(svc.clone(), Lang::En);
    let before = two.state.lists[Kind::Cases.tab_index()].ids.len();
    // Two sessions showing a whole list share one copy of its ids.
    let shared = |a: &skillbridge::app::App, b: &skillbridge::app::App, t: Kind| {
        std::sync::Arc::ptr_eq(&a.state.lists[t.tab_index()].ids, &b.state.lists[t.tab_index()].ids)
    };
    assert!(shared(&one, &two, Kind::Cases) && shared(&one, &two, Kind::Trainees));
    type_text(&mut one, "hg");
    press(&mut one, "ctrl-p enter enter y");
    two.tick();
    assert_eq!(two.state.lists[Kind::Cases.tab_index()].ids.len(), before + 1);
    // The change made a new shared list; a third session gets the same one.
    let three = app(svc.clone(), Lang::Zh);
    assert!(shared(&two, &three, Kind::Cases));
    assert_eq!(three.state.lists[Kind::Cases.tab_index()].ids.len(), before + 1);
}

fn case_in(svc: &skillbridge::service::Service, kind: StateKind) -> CaseId {
    svc.read()
        .data
        .cases
        .values()
        .find(|c| c.state.kind() == kind)
        .map(|c| c.id)
        .unwrap_or_else(|| panic!("no case in {kind:?}"))
}

fn open_case(a: &mut skillbridge::app::App, id: CaseId) {
    press(a, "alt-4");
    type_text(a, &format!("'{id}"));
    let l = a.state.list();
    assert_eq!(l.selected_id(), Some(id.0), "search for {id} found {:?}", l.ids);
    press(a, "enter");
}

/// Open a case awaiting evaluation: a hire is refused naming the legal
/// moves; a pass with a bad score is refused keeping the text; with a good
/// one it asks to confirm.
fn pass_to_confirm(a: &mut skillbridge::app::App, id: CaseId) {
    open_case(a, id);
    // Illegal here: hired. Refused naming the legal moves, nothing asked.
    press(a, "h");
    let st = a.state.status.clone().unwrap();
    assert!(
        st.error && st.text.contains("legal moves: record a pass, record a fail, withdraw"),
        "{}",
        st.text
    );
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Detail { .. })));
    // Record a pass: the form refuses a bad score and keeps the text.
    press(a, "c");
    press(a, "tab");
    type_text(a, "ZJ-E2E-1");
    press(a, "tab");
    type_text(a, "abc");
    press(a, "tab");
    type_text(a, "88");
    press(a, "enter");
    let Some(Overlay::Form(f)) = a.state.overlays.last() else {
        panic!("form closed")
    };
    assert_eq!(f.fields[2].input.value(), "abc");
    assert!(f.fields[2].error.is_some());
    assert_eq!(f.focus, 2);
    press(a, "ctrl-u");
    type_text(a, "75");
    press(a, "enter");
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Confirm(_))));
}

#[test]
fn case_walk_offers_only_legal_moves_and_records_the_operator() {
    let (_dir, svc) = own_service(300);
    let mut a = app(svc.clone(), Lang::En);
    let id = case_in(&svc, StateKind::AwaitingEvaluation);
    pass_to_confirm(&mut a, id);
    press(&mut a, "y");
    let case = svc.read().data.cases.get(&id).cloned().unwrap();
    assert!(matches!(case.state, CaseState::Certified(_)), "{:?}", a.state.status);
    let events = svc.events(id).unwrap();
    assert_eq!(events.last().unwrap().operator, "demo");
    // The timeline shows the new step.
    let screen = render(&a, 120, 40);
    assert!(screen.contains("awaiting evaluation → certified"), "{screen}");
    // Refer it: pairing of demands, then confirm.
    press(&mut a, "r");
    match a.state.overlays.last() {
        Some(Overlay::Pairing(p)) if !p.is_empty() => {
            press(&mut a, "enter y");
            let case = svc.read().data.cases.get(&id).cloned().unwrap();
            assert!(matches!(case.state, CaseState::Referred(_)), "{:?}", a.state.status);
        }
        Some(Overlay::Pairing(_)) => {}
        other => panic!("expected demand pairing, got {other:?}"),
    }
    assert!(svc.check().problems.is_empty());
}

#[test]
fn withdraw_requires_a_reason_and_frees_the_seat() {
    let (_dir, svc) = own_service(300);
    let mut a = app(svc.clone(), Lang::Zh);
    let id = case_in(&svc, StateKind::Enrolled);
    let class = svc.read().data.cases.get(&id).unwrap().class;
    let used = svc.read().data.seats_used[&class];
    open_case(&mut a, id);
    press(&mut a, "w enter");
    let Some(Overlay::Form(f)) = a.state.overlays.last() else {
        panic!("form closed")
    };
    assert!(f.fields[0].error.is_some());
    type_text(&mut a, "搬家");
    press(&mut a, "enter y");
    assert_eq!(svc.read().data.cases[&id].state, CaseState::Withdrawn);
    assert_eq!(svc.read().data.seats_used[&class], used - 1);
    // Cancel returns without a change.
    let id2 = case_in(&svc, StateKind::Enrolled);
    press(&mut a, "esc esc");
    open_case(&mut a, id2);
    press(&mut a, "s n");
    assert_eq!(svc.read().data.cases[&id2].state, CaseState::Enrolled);
}

#[test]
fn filters_and_sort_apply_and_clear() {
    let mut a = app(demo_service(), Lang::Zh);
    let all = a.state.list().ids.len();
    press(&mut a, "ctrl-f");
    type_text(&mut a, "区域");
    press(&mut a, "enter");
    type_text(&mut a, "丹阳");
    press(&mut a, "enter");
    let inner = a.svc.read();
    let ids = a.state.list().ids.clone();
    assert!(!ids.is_empty() && ids.len() < all);
    for id in ids.iter() {
        assert_eq!(inner.data.demands[&DemandId(*id)].region.zh(), "丹阳市");
    }
    drop(inner);
    assert!(render(&a, 120, 40).contains("筛选:区域=丹阳市"));
    press(&mut a, "ctrl-o");
    let ids = a.state.list().ids.clone();
    let mut sorted = ids.to_vec();
    sorted.sort_by_key(|x| std::cmp::Reverse(*x));
    assert_eq!(ids.to_vec(), sorted, "newest first");
    press(&mut a, "ctrl-x");
    assert_eq!(a.state.list().ids.len(), all);
}

#[test]
fn every_screen_survives_every_size() {
    let svc = demo_service();
    let mut a = app(svc.clone(), Lang::Zh);
    let screens: &[&str] = &["", "ctrl-p", "enter", "enter", "esc esc esc tab enter", "esc f1"];
    for keys in screens {
        press(&mut a, keys);
        for w in [1u16, 2, 5, 10, 19, 20, 21, 40, 79, 80, 81, 109, 110, 150, 200] {
            for h in [1u16, 2, 3, 5, 6, 7, 10, 15, 16, 24, 40, 60] {
                let _ = render(&a, w, h);
            }
        }
    }
}

/// A class that takes enrollments.
fn enrollable_class(svc: &skillbridge::service::Service) -> ClassId {
    let policy = svc.policy();
    let inner = svc.read();
    inner
        .data
        .classes
        .values()
        .find(|c| rules::enrollable(c, svc.today(), &policy).is_ok() && inner.data.seats_left(c) > 0)
        .unwrap()
        .id
}

#[test]
fn the_picker_finds_a_trainee_by_pinyin() {
    let svc = demo_service();
    let name = svc.read().data.trainees.values().next().unwrap().name.clone();
    let mut a = app(svc.clone(), Lang::Zh);
    let class = enrollable_class(&svc);
    press(&mut a, "alt-2");
    type_text(&mut a, &format!("'{class}"));
    press(&mut a, "ctrl-p");
    let initials: String = name
        .chars()
        .map(|c| {
            use pinyin::ToPinyin;
            c.to_pinyin().map(|p| p.first_letter().to_string()).unwrap_or_default()
        })
        .collect();
    type_text(&mut a, &initials);
    let Some(Overlay::Picker(p)) = a.state.overlays.last() else {
        panic!("no picker")
    };
    let skillbridge::app::PickItems::Search { kind, ids } = &p.items else {
        panic!()
    };
    assert_eq!(*kind, Kind::Trainees);
    let inner = svc.read();
    assert!(
        ids.iter().any(|id| inner.data.trainees[&TraineeId(*id)].name == name),
        "{initials}"
    );
}

#[test]
fn enter_typed_before_the_picker_answers_chooses_its_first_row_unless_edited_after() {
    let svc = demo_service();
    let class = enrollable_class(&svc);
    // Keys that arrive together: no tick (no answer taken in) between them.
    let raw = |a: &mut skillbridge::app::App, keys: &str| {
        for k in keys.split_whitespace() {
            a.key(k.parse::<skillbridge::keymap::Key>().unwrap());
        }
    };
    let open = || {
        let mut a = app(svc.clone(), Lang::Zh);
        press(&mut a, "alt-2");
        type_text(&mut a, &format!("'{class}"));
        a
    };

    // Enter before the answer: the answer's first row is chosen.
    let mut a = open();
    raw(&mut a, "ctrl-p enter");
    assert!(
        matches!(a.state.overlays.last(), Some(Overlay::Picker(_))),
        "still waiting"
    );
    a.tick();
    let Some(Overlay::Confirm(c)) = a.state.overlays.last() else {
        panic!(
            "the typed-ahead Enter chose nothing: {:?}",
            a.state.overlays.last().map(|_| ())
        )
    };
    let newest = *svc.read().data.trainees.keys().next_back().unwrap();
    let name = svc.read().data.trainees[&newest].name.to_string();
    assert!(c.text.contains(&name), "{} / {name}", c.text);

    // Enter, then an edit: the Enter was for the old query; nothing is chosen.
    let mut a = open();
    raw(&mut a, "ctrl-p enter");
    a.key(skillbridge::keymap::Key::ch('z'));
    a.tick();
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Picker(_))));
}
