//! The program's rules hold on every path: class dates, results that agree
//! with their scores, ages, one active class, and classes past their last
//! day to enroll offered nowhere (issue: operator safety, items 3 to 7).

use crate::common;

use common::ui::*;
use skillbridge::app::{Overlay, PairRows};
use skillbridge::domain::rules::{self, RuleError};
use skillbridge::domain::*;
use skillbridge::i18n::Lang;
use skillbridge::service::Service;
use skillbridge::service::public::PublicView;
use skillbridge::store::StoreError;

fn case_where(svc: &Service, ok: impl Fn(&Case, &TrainingClass) -> bool) -> CaseId {
    let inner = svc.read();
    inner
        .data
        .cases
        .values()
        .find(|c| ok(c, &inner.data.classes[&c.class]))
        .map(|c| c.id)
        .expect("the demo city has such a case")
}

fn open_class(svc: &Service, ok: impl Fn(&TrainingClass) -> bool) -> ClassId {
    let policy = svc.policy();
    let inner = svc.read();
    inner
        .data
        .classes
        .values()
        .find(|c| rules::enrollable(c, svc.today(), &policy).is_ok() && inner.data.seats_left(c) > 0 && ok(c))
        .map(|c| c.id)
        .expect("an open class")
}

/// The operator of these tests (an admin: the rules are under test, not the roles).
fn by() -> skillbridge::service::Actor {
    skillbridge::service::Actor::admin("t")
}

fn person(svc: &Service, name: &str, id: &str) -> TraineeId {
    svc.save(
        Trainee {
            id: TraineeId(0),
            name: name.into(),
            id_number: IdNumber::parse(id).unwrap(),
            mobile: None,
            key_group: None,
            region: RegionId(0),
            wanted: vec![OccupationId(3)].into(),
            created: svc.today(),
        },
        &by(),
    )
    .unwrap()
    .id
}

#[test]
fn training_starts_with_the_class_and_evaluation_follows_its_end() {
    let (_dir, svc) = own_service(300);
    let today = svc.today();
    let early = case_where(&svc, |c, k| c.state == CaseState::Enrolled && k.start > today);
    let r = svc.transition(early, Move::StartTraining, &by(), "");
    assert!(
        matches!(r, Err(StoreError::Rule(RuleError::BeforeStart { .. }))),
        "{r:?}"
    );
    let running = case_where(&svc, |c, k| c.state == CaseState::InTraining && k.end > today);
    let r = svc.transition(running, Move::SendToEvaluation, &by(), "");
    assert!(matches!(r, Err(StoreError::Rule(RuleError::BeforeEnd { .. }))), "{r:?}");
    // An early completion with its reason goes ahead, and the event keeps it.
    svc.transition(running, Move::SendToEvaluation, &by(), "completed early: hired")
        .unwrap();
    let last = svc.events(running).unwrap().pop().unwrap();
    assert_eq!(last.note, "completed early: hired");
}

#[test]
fn a_fail_with_passing_scores_is_refused_from_the_form_too() {
    let (_dir, svc) = own_service(300);
    let case = case_where(&svc, |c, k| {
        c.state == CaseState::AwaitingEvaluation && !k.target_level.needs_panel()
    });
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "alt-4");
    type_text(&mut a, &format!("'{case}"));
    press(&mut a, "enter f");
    type_text(&mut a, "90");
    press(&mut a, "tab");
    type_text(&mut a, "95");
    press(&mut a, "enter");
    // The form says so on the field, and asks nothing.
    let Some(Overlay::Form(f)) = a.state.overlays.last() else {
        panic!("the form closed: {:?}", a.state.status)
    };
    assert_eq!(
        f.fields[0].error.as_deref(),
        Some("两项成绩均已及格（≥60），应记为评价通过")
    );
    // The store refuses it too, whatever the path.
    let fail = Move::Fail {
        evaluation: Evaluation {
            theory: 90,
            practical: 95,
            panel: false,
        },
    };
    let r = svc.transition(case, fail, &by(), "");
    assert!(
        matches!(r, Err(StoreError::Rule(RuleError::FailWithPassingScores { .. }))),
        "{r:?}"
    );
    assert_eq!(svc.read().data.cases[&case].state, CaseState::AwaitingEvaluation);
}

#[test]
fn a_fifteen_year_old_is_refused_and_a_welder_must_be_an_adult() {
    let (_dir, svc) = own_service(200);
    let child = person(&svc, "少年", "321102201001011233");
    let class = open_class(&svc, |_| true);
    let r = svc.enroll(child, class, &by(), "");
    assert!(
        matches!(r, Err(StoreError::Rule(RuleError::TooYoung { age: 15, .. }))),
        "{r:?}"
    );
    // Seventeen: an elder-care class yes, a welding class no.
    let start = |c: ClassId| svc.read().data.classes[&c].start;
    let weld = open_class(&svc, |c| c.occupation.zh() == "焊工");
    let birth = start(weld) - chrono::Duration::days(17 * 365 + 30);
    let id = IdNumber::from_parts("321102", birth, 77).unwrap();
    let teen = person(&svc, "十七岁", id.as_str());
    let r = svc.enroll(teen, weld, &by(), "");
    assert!(
        matches!(r, Err(StoreError::Rule(RuleError::TooYoungForSpecial { age: 17, .. }))),
        "{r:?}"
    );
}

#[test]
fn past_retirement_age_the_operator_is_asked_and_the_event_says_so() {
    let (_dir, svc) = own_service(200);
    let old = person(
        &svc,
        "老张",
        IdNumber::from_parts("321102", chrono::NaiveDate::from_ymd_opt(1950, 3, 1).unwrap(), 11)
            .unwrap()
            .as_str(),
    );
    let class = open_class(&svc, |c| c.occupation.zh() != "焊工" && c.occupation.zh() != "电工");
    let mut a = app(svc.clone(), Lang::En);
    press(&mut a, "alt-2");
    type_text(&mut a, &format!("'{class}"));
    press(&mut a, "enter e");
    type_text(&mut a, "老张");
    press(&mut a, "enter");
    let Some(Overlay::Confirm(c)) = a.state.overlays.last() else {
        panic!("no question: {:?}", a.state.status)
    };
    assert!(c.text.contains("past the statutory retirement age"), "{}", c.text);
    press(&mut a, "y");
    let case = svc.read().data.trainee_cases(old).next().unwrap().id;
    let first = &svc.events(case).unwrap()[0];
    assert!(first.note.starts_with("confirmed: 75 years old"), "{}", first.note);
}

#[test]
fn a_second_open_class_needs_a_reason_kept_in_the_event() {
    let (_dir, svc) = own_service(300);
    let busy = {
        let inner = svc.read();
        inner
            .data
            .cases
            .values()
            .find(|c| c.state == CaseState::InTraining)
            .map(|c| c.trainee)
            .unwrap()
    };
    let class = {
        let inner = svc.read();
        let mine: Vec<ClassId> = inner.data.trainee_cases(busy).map(|c| c.class).collect();
        drop(inner);
        open_class(&svc, |c| {
            !mine.contains(&c.id) && c.occupation.zh() != "焊工" && c.occupation.zh() != "电工"
        })
    };
    let r = svc.enroll(busy, class, &by(), "");
    assert!(
        matches!(r, Err(StoreError::Rule(RuleError::AlreadyActive { .. }))),
        "{r:?}"
    );
    // Through the workspace: the reason is asked, then the enrollment.
    let name = svc.read().data.trainees[&busy].id_number.to_string();
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "alt-2");
    type_text(&mut a, &format!("'{class}"));
    press(&mut a, "enter e");
    type_text(&mut a, &name);
    press(&mut a, "enter");
    assert!(
        matches!(a.state.overlays.last(), Some(Overlay::Form(_))),
        "a reason is asked"
    );
    press(&mut a, "enter");
    assert!(
        matches!(a.state.overlays.last(), Some(Overlay::Form(_))),
        "an empty reason is refused"
    );
    type_text(&mut a, "晚班进修");
    press(&mut a, "enter");
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Confirm(_))));
    press(&mut a, "y");
    let case = svc
        .read()
        .data
        .trainee_cases(busy)
        .find(|c| c.class == class)
        .map(|c| c.id)
        .expect("enrolled");
    assert_eq!(svc.events(case).unwrap()[0].note, "second class: 晚班进修");
}

#[test]
fn classes_past_their_last_day_to_enroll_are_offered_nowhere() {
    let svc = demo_service();
    let (today, policy) = (svc.today(), svc.policy());
    let closed: Vec<ClassId> = svc
        .read()
        .data
        .classes
        .values()
        .filter(|c| c.status.accepts_enrollment() && rules::enrollable(c, today, &policy).is_err())
        .map(|c| c.id)
        .collect();
    assert!(!closed.is_empty(), "the demo has running classes");
    // Pairing, for every demand.
    let mut a = app(svc.clone(), Lang::En);
    let demands: Vec<DemandId> = svc.read().data.demands.keys().copied().collect();
    for d in demands.iter().take(60) {
        press(&mut a, "esc esc esc alt-1 ctrl-u");
        type_text(&mut a, &format!("'{d}"));
        press(&mut a, "ctrl-p");
        if let Some(Overlay::Pairing(p)) = a.state.overlays.last()
            && let PairRows::Classes(_, rows) = &p.rows
        {
            for m in rows {
                assert!(!closed.contains(&m.class), "{d} offers {}", m.class);
            }
        }
    }
    // The intake's class picker.
    let t = Lang::Zh.t();
    let items = skillbridge::app::intake::ranked_classes(&[], None, &svc.read().data, t, today, &policy);
    for (_, pick) in items {
        if let skillbridge::app::intake::Pick::Class(Some(c)) = pick {
            assert!(!closed.contains(&c), "intake offers {c}");
        }
    }
    // The kiosk.
    let view = PublicView::new(svc.clone());
    for c in view.open_classes() {
        assert!(!closed.contains(&c.id), "the kiosk offers {}", c.id);
    }
}

#[test]
fn intake_asks_once_past_retirement_age_and_enrolls_on_the_second_save() {
    let (_dir, svc) = own_service(200);
    let mut a = app(svc.clone(), Lang::En);
    press(&mut a, "alt-3 ctrl-n");
    type_text(&mut a, "老李");
    press(&mut a, "tab");
    let id = IdNumber::from_parts("321102", chrono::NaiveDate::from_ymd_opt(1948, 6, 1).unwrap(), 31).unwrap();
    type_text(&mut a, id.as_str());
    press(&mut a, "tab tab");
    type_text(&mut a, "jk");
    press(&mut a, "enter tab");
    type_text(&mut a, "ylhly");
    press(&mut a, "enter");
    // The class: the first offered.
    press(&mut a, "enter down enter");
    press(&mut a, "ctrl-s");
    let st = a.state.status.clone().unwrap();
    assert!(st.error && st.text.contains("retirement"), "{}", st.text);
    let person = svc
        .read()
        .data
        .trainees
        .values()
        .find(|t| t.id_number == id)
        .map(|t| t.id)
        .expect("the person is saved");
    assert_eq!(svc.read().data.trainee_cases(person).count(), 0, "not enrolled yet");
    press(&mut a, "ctrl-s");
    assert!(a.state.overlays.is_empty(), "{:?}", a.state.status);
    let case = svc
        .read()
        .data
        .trainee_cases(person)
        .next()
        .map(|c| c.id)
        .expect("enrolled");
    assert!(svc.events(case).unwrap()[0].note.contains("confirmed: 77 years old"));
}
