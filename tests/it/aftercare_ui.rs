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

#[test]
fn not_hired_asks_a_reason_code() {
    let (_dir, svc) = own_service(300);
    let mut a = app(svc.clone(), Lang::En);
    let id = case_in(&svc, StateKind::Referred);
    open_case(&mut a, id);
    press(&mut a, "n");
    type_text(&mut a, "9");
    press(&mut a, "enter");
    assert!(field_error(&a, 0));
    press(&mut a, "ctrl-u");
    type_text(&mut a, "2");
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
    press(&mut a, "enter y");
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
    // Left needs its reason; a wage must be a number.
    press(&mut a, "a");
    type_text(&mut a, "3");
    press(&mut a, "tab tab");
    type_text(&mut a, "abc");
    press(&mut a, "enter");
    assert!(field_error(&a, 1) && field_error(&a, 2));
    press(&mut a, "shift-tab ctrl-u");
    type_text(&mut a, "1");
    press(&mut a, "tab tab ctrl-u");
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
    press(&mut a, "enter y");
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
