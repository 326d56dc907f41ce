//! After the job, from the keys (#18): a note, a correction of the last
//! step, a not-hired reason, a follow-up, driven through the real keymap.

use crate::common::ui::{app, own_service, press, render, type_text};
use skillbridge::app::state::Overlay;
use skillbridge::domain::aftercare::{FollowUpOutcome, NotHiredReason, Slot};
use skillbridge::domain::*;
use skillbridge::i18n::Lang;
use skillbridge::service::{Actor, Service};

fn case_in(svc: &Service, kind: StateKind) -> CaseId {
    svc.read()
        .data
        .cases
        .values()
        .find(|c| c.state.kind() == kind)
        .map(|c| c.id)
        .unwrap_or_else(|| panic!("no case in {kind:?}"))
}

fn open_case(a: &mut skillbridge::app::App, id: CaseId) {
    press(a, "alt-4 esc");
    type_text(a, &format!("'{id}"));
    assert_eq!(a.state.list().selected_id(), Some(id.0));
    press(a, "enter");
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Detail { .. })));
}

fn field_error(a: &skillbridge::app::App, i: usize) -> bool {
    match a.state.overlays.last() {
        Some(Overlay::Form(f)) => f.fields[i].error.is_some(),
        other => panic!("expected the form, got {other:?}"),
    }
}

fn last_action(svc: &Service, id: CaseId) -> Option<Move> {
    svc.events(id).unwrap().last().and_then(|e| e.action.clone())
}

#[test]
fn a_note_needs_words_and_shows_in_the_timeline() {
    let (_dir, svc) = own_service(300);
    let mut a = app(svc.clone(), Lang::Zh);
    let id = case_in(&svc, StateKind::Employed);
    let state = svc.read().data.cases[&id].state.clone();
    open_case(&mut a, id);
    press(&mut a, "m enter");
    assert!(field_error(&a, 0));
    type_text(&mut a, "雇主反映表现良好");
    press(&mut a, "enter");
    assert!(
        matches!(a.state.overlays.last(), Some(Overlay::Detail { .. })),
        "{:?}",
        a.state.status
    );
    assert!(matches!(last_action(&svc, id), Some(Move::Note)));
    assert_eq!(svc.read().data.cases[&id].state, state);
    let screen = render(&a, 120, 40);
    assert!(screen.contains("雇主反映表现良好"), "{screen}");
}

#[test]
fn a_correction_asks_why_then_confirms_and_the_state_goes_back() {
    let (_dir, svc) = own_service(300);
    let mut a = app(svc.clone(), Lang::Zh);
    let id = case_in(&svc, StateKind::Referred);
    open_case(&mut a, id);
    press(&mut a, "u enter");
    assert!(field_error(&a, 0));
    type_text(&mut a, "推荐错了");
    press(&mut a, "enter");
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Confirm(_))));
    // No: back to the form as typed, nothing written.
    press(&mut a, "n");
    assert_eq!(svc.read().data.cases[&id].state.kind(), StateKind::Referred);
    press(&mut a, "enter y");
    let st = a.state.status.clone().unwrap();
    assert!(!st.error, "{}", st.text);
    assert_eq!(svc.read().data.cases[&id].state.kind(), StateKind::Certified);
    assert!(matches!(last_action(&svc, id), Some(Move::Correct { .. })));
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Detail { .. })));
    assert!(svc.check().problems.is_empty());
}

fn form_value(a: &skillbridge::app::App, i: usize) -> String {
    match a.state.overlays.iter().rev().find(|o| matches!(o, Overlay::Form(_))) {
        Some(Overlay::Form(f)) => f.fields[i].input.value().to_string(),
        other => panic!("expected the form, got {other:?}"),
    }
}

#[test]
fn not_hired_picks_its_reason_by_name() {
    let (_dir, svc) = own_service(300);
    let mut a = app(svc.clone(), Lang::En);
    let id = case_in(&svc, StateKind::Referred);
    open_case(&mut a, id);
    // The reasons' picker opens at once, every reason by name.
    press(&mut a, "n");
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Picker(_))));
    let screen = render(&a, 120, 40);
    for r in NotHiredReason::ALL {
        assert!(screen.contains(r.en()), "{} missing:\n{screen}", r.en());
    }
    // Esc leaves the form; a number typed there that is no code is refused.
    press(&mut a, "esc");
    type_text(&mut a, "9");
    press(&mut a, "ctrl-s");
    assert!(field_error(&a, 0));
    // Enter on the field opens the picker again; typing narrows it.
    press(&mut a, "ctrl-u enter");
    type_text(&mut a, "2");
    press(&mut a, "enter");
    assert_eq!(form_value(&a, 0), "declined by the person");
    press(&mut a, "enter y");
    assert_eq!(svc.read().data.cases[&id].state.kind(), StateKind::NotHired);
    assert!(matches!(
        last_action(&svc, id),
        Some(Move::NotHireFor(NotHiredReason::SelfDeclined))
    ));
    // "Other" needs a few words: the service refuses, the form stays.
    let other = case_in(&svc, StateKind::Referred);
    press(&mut a, "esc");
    open_case(&mut a, other);
    press(&mut a, "n");
    type_text(&mut a, "5");
    press(&mut a, "enter enter y");
    let st = a.state.status.clone().unwrap();
    assert!(st.error, "{}", st.text);
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Form(_))));
    assert_eq!(svc.read().data.cases[&other].state.kind(), StateKind::Referred);
}

/// The demo city half a year on: follow-ups of its hires are due.
fn later_service() -> (tempfile::TempDir, std::sync::Arc<Service>) {
    let dir = tempfile::tempdir().unwrap();
    let store = skillbridge::store::Store::open(&dir.path().join("db")).unwrap();
    skillbridge::demo::build(&store, &skillbridge::demo::Options { trainees: 300, seed: 7 }).unwrap();
    let as_of: chrono::NaiveDate = store
        .meta(skillbridge::store::META_AS_OF)
        .unwrap()
        .and_then(|d| d.parse().ok())
        .expect("the demo sets its date");
    let later = as_of + chrono::Days::new(200);
    store
        .set_meta(skillbridge::store::META_AS_OF, &later.to_string())
        .unwrap();
    (dir, Service::open(store).unwrap())
}

#[test]
fn a_due_follow_up_is_recorded_with_its_wage() {
    let (_dir, svc) = later_service();
    let due = svc.follow_ups_due(&Actor::admin("t"));
    let d = due.first().expect("the demo has follow-ups due").clone();
    let mut a = app(svc.clone(), Lang::Zh);
    open_case(&mut a, d.case);
    // The outcome by name; 已离职 asks why at once.
    press(&mut a, "a");
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Picker(_))));
    type_text(&mut a, "3");
    press(&mut a, "enter");
    assert_eq!(form_value(&a, 0), "已离职");
    let screen = render(&a, 120, 40);
    assert!(screen.contains("主动辞职") && screen.contains("迁居外地"), "{screen}");
    // Left without its reason, and a wage that is no number, are refused.
    press(&mut a, "esc tab");
    type_text(&mut a, "abc");
    press(&mut a, "ctrl-s");
    assert!(field_error(&a, 1) && field_error(&a, 2));
    press(&mut a, "shift-tab enter");
    type_text(&mut a, "1");
    press(&mut a, "enter");
    assert_eq!(form_value(&a, 0), "在岗");
    press(&mut a, "ctrl-u");
    type_text(&mut a, "6500");
    press(&mut a, "enter");
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Confirm(_))));
    press(&mut a, "y");
    let st = a.state.status.clone().unwrap();
    assert!(!st.error, "{}", st.text);
    let care = svc.aftercare(d.case).unwrap();
    match care.slot(d.months) {
        Slot::Done { visit, .. } => {
            assert_eq!(visit.outcome, FollowUpOutcome::Retained);
            assert_eq!(visit.wage, Some(6500));
        }
        other => panic!("not recorded: {other:?}"),
    }
    // A case not employed has no follow-up.
    press(&mut a, "esc");
    open_case(&mut a, case_in(&svc, StateKind::Enrolled));
    press(&mut a, "a");
    assert!(a.state.status.clone().unwrap().error);
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Detail { .. })));
}

#[test]
fn f5_lists_the_follow_ups_due_oldest_first_and_opens_the_case() {
    let (_dir, svc) = later_service();
    let due = svc.follow_ups_due(&Actor::admin("t"));
    assert!(!due.is_empty(), "the demo has follow-ups due");
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "f5");
    let Some(Overlay::Picker(p)) = a.state.overlays.last() else {
        panic!("expected the picker, got {:?}", a.state.overlays.last())
    };
    assert_eq!(p.len(), due.len());
    let screen = render(&a, 120, 40);
    assert!(screen.contains("待回访"), "{screen}");
    assert!(screen.contains(&due[0].case.to_string()), "{screen}");
    press(&mut a, "enter");
    match a.state.overlays.last() {
        Some(Overlay::Detail { record, .. }) => assert_eq!(*record, RecordRef::Case(due[0].case)),
        other => panic!("expected the case, got {other:?}"),
    }
    // Recorded there, it leaves the list.
    press(&mut a, "a");
    type_text(&mut a, "1");
    press(&mut a, "enter enter y");
    let st = a.state.status.clone().unwrap();
    assert!(!st.error, "{}", st.text);
    press(&mut a, "esc f5");
    let after = svc.follow_ups_due(&Actor::admin("t"));
    assert!(after.iter().all(|d| (d.case, d.months) != (due[0].case, due[0].months)));
}

#[test]
fn f5_with_nothing_due_says_so() {
    let (_dir, svc) = own_service(200);
    let mut a = app(svc.clone(), Lang::En);
    if svc.follow_ups_due(&Actor::admin("t")).is_empty() {
        press(&mut a, "f5");
        assert!(a.state.overlays.is_empty());
        let st = a.state.status.clone().unwrap();
        assert!(!st.error && st.text.contains("No follow-up is due"), "{}", st.text);
    }
}

// Snapshots (#18): the due list, a follow-up dialog, a timeline with notes
// and a correction, and the retention figures, in Chinese and English, on
// the shared demo city (its spring cohort's follow-ups are due on its date).

fn tag(lang: Lang) -> &'static str {
    if lang == Lang::Zh { "zh" } else { "en" }
}

/// The demo's case whose timeline holds a follow-up, a correction and a
/// note.
fn corrected_case(svc: &Service) -> CaseId {
    let ids: Vec<CaseId> = svc.read().data.aftercare.keys().copied().collect();
    ids.into_iter()
        .find(|id| {
            let ev = svc.events(*id).unwrap();
            let has = |f: fn(&Move) -> bool| ev.iter().any(|e| e.action.as_ref().is_some_and(f));
            has(|m| matches!(m, Move::Correct { .. }))
                && has(|m| matches!(m, Move::Note))
                && has(|m| matches!(m, Move::FollowUp { .. }))
        })
        .expect("the demo has a corrected follow-up with a note")
}

fn snap_due_list(lang: Lang) {
    let svc = crate::common::ui::demo_service();
    let due = svc.follow_ups_due(&Actor::admin("t"));
    assert!(due.len() >= 5, "the demo has follow-ups due: {due:?}");
    // Due on the demo's date and long overdue, oldest first.
    assert!(due[0].overdue_days >= 20, "{due:?}");
    assert!(due.iter().any(|d| d.overdue_days <= 3), "{due:?}");
    let mut a = app(svc, lang);
    press(&mut a, "f5");
    insta::assert_snapshot!(format!("aftercare_due_list_{}_120x40", tag(lang)), render(&a, 120, 40));
}

fn snap_follow_up_dialog(lang: Lang) {
    let svc = crate::common::ui::demo_service();
    let due = svc.follow_ups_due(&Actor::admin("t"));
    let mut a = app(svc, lang);
    open_case(&mut a, due[0].case);
    // The outcome chosen by name, then the wage typed.
    press(&mut a, "a");
    type_text(&mut a, "1");
    press(&mut a, "enter");
    type_text(&mut a, "5200");
    insta::assert_snapshot!(
        format!("aftercare_follow_up_dialog_{}_120x40", tag(lang)),
        render(&a, 120, 40)
    );
    // 已离职: the reasons for leaving by name, over the form.
    press(&mut a, "shift-tab shift-tab enter");
    type_text(&mut a, "3");
    press(&mut a, "enter");
    insta::assert_snapshot!(
        format!("aftercare_follow_up_left_{}_120x40", tag(lang)),
        render(&a, 120, 40)
    );
}

fn snap_timeline(lang: Lang) {
    let svc = crate::common::ui::demo_service();
    let id = corrected_case(&svc);
    let mut a = app(svc, lang);
    open_case(&mut a, id);
    let screen = render(&a, 120, 40);
    insta::assert_snapshot!(format!("aftercare_timeline_{}_120x40", tag(lang)), screen);
}

fn snap_retention(lang: Lang, w: u16, h: u16) {
    let mut a = app(crate::common::ui::demo_service(), lang);
    press(&mut a, "f3 9");
    let screen = render(&a, w, h);
    // Retention where follow-ups are closed, "—" where none is, never 0 %.
    assert!(screen.contains("% (") && screen.contains('—'), "{screen}");
    assert!(!screen.contains("0% (0/"), "{screen}");
    insta::assert_snapshot!(format!("aftercare_retention_{}_{w}x{h}", tag(lang)), screen);
    press(&mut a, "7");
    insta::assert_snapshot!(format!("aftercare_scorecard_{}_{w}x{h}", tag(lang)), render(&a, w, h));
}

#[test]
fn snapshot_due_list_zh() {
    snap_due_list(Lang::Zh)
}
#[test]
fn snapshot_due_list_en() {
    snap_due_list(Lang::En)
}
#[test]
fn snapshot_follow_up_dialog_zh() {
    snap_follow_up_dialog(Lang::Zh)
}
#[test]
fn snapshot_follow_up_dialog_en() {
    snap_follow_up_dialog(Lang::En)
}
#[test]
fn snapshot_timeline_zh() {
    snap_timeline(Lang::Zh)
}
#[test]
fn snapshot_timeline_en() {
    snap_timeline(Lang::En)
}
#[test]
fn snapshot_retention_zh() {
    snap_retention(Lang::Zh, 120, 40);
    snap_retention(Lang::Zh, 80, 24);
}
#[test]
fn snapshot_retention_en() {
    snap_retention(Lang::En, 120, 40);
    snap_retention(Lang::En, 80, 24);
}
