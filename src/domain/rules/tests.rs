use super::*;
use crate::domain::case::Evaluation;
use crate::domain::catalog::{OCCUPATIONS, ProgramId, RegionId, SkillLevel};
use crate::domain::entities::{ClassKind, InstitutionId, Quarter};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn trade(zh: &str) -> OccupationId {
    OCCUPATIONS.iter().find(|o| o.zh == zh).map(|o| o.id).unwrap()
}

fn class(trade_zh: &str, start: NaiveDate, end: NaiveDate, level: SkillLevel) -> TrainingClass {
    TrainingClass {
        id: ClassId(451),
        name: "测试班".into(),
        institution: InstitutionId(1),
        occupation: trade(trade_zh),
        region: RegionId(0),
        kind: ClassKind::Subsidized,
        program: ProgramId(0),
        quarter: Quarter::of(start),
        start,
        end,
        capacity: 30,
        target_level: level,
        linked_demands: Vec::new(),
        status: ClassStatus::Open,
    }
}

fn eval(theory: u8, practical: u8, panel: bool) -> Evaluation {
    Evaluation {
        theory,
        practical,
        panel,
    }
}

fn person(birth: NaiveDate, seq: u16) -> IdNumber {
    IdNumber::from_parts("321102", birth, seq).unwrap()
}

#[test]
fn training_starts_on_or_after_the_class_start_and_evaluation_follows_its_end() {
    let c = class("焊工", d(2025, 10, 24), d(2025, 12, 15), SkillLevel::L4);
    let at = |today, note| StepContext { class: &c, today, note };
    assert_eq!(
        check_step(&Move::StartTraining, &at(d(2025, 10, 15), "")),
        Err(RuleError::BeforeStart {
            class: c.id,
            start: c.start
        })
    );
    assert_eq!(check_step(&Move::StartTraining, &at(d(2025, 10, 24), "")), Ok(()));
    assert!(matches!(
        check_step(&Move::SendToEvaluation, &at(d(2025, 11, 1), "")),
        Err(RuleError::BeforeEnd { .. })
    ));
    // An early completion with its documented reason.
    assert_eq!(
        check_step(
            &Move::SendToEvaluation,
            &at(d(2025, 11, 1), "completed early: hired by the firm")
        ),
        Ok(())
    );
    assert_eq!(check_step(&Move::SendToEvaluation, &at(d(2025, 12, 15), "")), Ok(()));
}

#[test]
fn a_result_agrees_with_its_scores() {
    let l4 = class("焊工", d(2025, 9, 1), d(2025, 10, 1), SkillLevel::L4);
    let l2 = class("焊工", d(2025, 9, 1), d(2025, 10, 1), SkillLevel::L2);
    let at = |c| StepContext {
        class: c,
        today: d(2025, 10, 15),
        note: "",
    };
    let fail = |t, p, panel| Move::Fail {
        evaluation: eval(t, p, panel),
    };
    // 90/95 is a pass at level 4 whatever the panel says.
    assert!(matches!(
        check_step(&fail(90, 95, false), &at(&l4)),
        Err(RuleError::FailWithPassingScores { .. })
    ));
    assert_eq!(check_step(&fail(59, 95, false), &at(&l4)), Ok(()));
    // At level 2 a failed panel review fails passing scores.
    assert_eq!(check_step(&fail(90, 95, false), &at(&l2)), Ok(()));
    assert!(check_step(&fail(90, 95, true), &at(&l2)).is_err());
    let pass = |t, p| Move::Certify {
        level: SkillLevel::L4,
        certificate: "C-1".into(),
        evaluation: eval(t, p, false),
    };
    assert!(matches!(
        check_step(&pass(59, 90), &at(&l4)),
        Err(RuleError::PassBelowMark { .. })
    ));
    assert_eq!(check_step(&pass(60, 60), &at(&l4)), Ok(()));
}

#[test]
fn ages_at_the_class_start() {
    let weld = class("焊工", d(2025, 10, 24), d(2025, 12, 15), SkillLevel::L4);
    let care = class("养老护理员", d(2025, 10, 24), d(2025, 12, 15), SkillLevel::L4);
    let p = Policy::default();
    // 15: refused everywhere.
    let fifteen = person(d(2010, 1, 1), 123);
    assert!(matches!(
        check_age(&fifteen, &care, &p),
        Err(RuleError::TooYoung { age: 15, .. })
    ));
    // 17: an elder-care class yes, welding no.
    let seventeen = person(d(2008, 5, 1), 123);
    assert_eq!(check_age(&seventeen, &care, &p), Ok(None));
    assert!(matches!(
        check_age(&seventeen, &weld, &p),
        Err(RuleError::TooYoungForSpecial { age: 17, .. })
    ));
    // Turning 16 on the start date counts.
    let birthday = person(d(2009, 10, 24), 123);
    assert_eq!(check_age(&birthday, &care, &p), Ok(None));
    // 75: a warning to confirm, not a refusal.
    let old = person(d(1950, 3, 1), 123);
    assert!(matches!(
        check_age(&old, &care, &p),
        Ok(Some(Warning::PastRetirement { age: 75, .. }))
    ));
    // 45: nothing.
    assert_eq!(check_age(&person(d(1980, 3, 1), 123), &care, &p), Ok(None));
}

#[test]
fn the_retirement_age_rises_gradually() {
    // Men: 60 before 1965, a month later per 4 months of birth, 63 at most.
    assert_eq!(retirement_age(d(1964, 12, 31), Sex::Male), (60, 0));
    assert_eq!(retirement_age(d(1965, 1, 1), Sex::Male), (60, 1));
    assert_eq!(retirement_age(d(1965, 5, 1), Sex::Male), (60, 2));
    assert_eq!(retirement_age(d(1976, 9, 1), Sex::Male), (63, 0));
    assert_eq!(retirement_age(d(1990, 1, 1), Sex::Male), (63, 0));
    // Women workers: 50 before 1975, a month later per 2 months, 55 at most.
    assert_eq!(retirement_age(d(1974, 12, 1), Sex::Female), (50, 0));
    assert_eq!(retirement_age(d(1975, 3, 1), Sex::Female), (50, 2));
    assert_eq!(retirement_age(d(1990, 1, 1), Sex::Female), (55, 0));
}

#[test]
fn one_active_class_unless_a_reason_is_given() {
    let busy = Some((CaseId(20001), ClassId(451)));
    assert!(matches!(
        check_second_class(busy, "  "),
        Err(RuleError::AlreadyActive { .. })
    ));
    assert_eq!(check_second_class(busy, "evening class beside the day job"), Ok(()));
    assert_eq!(check_second_class(None, ""), Ok(()));
    assert!(is_active(&CaseState::InTraining) && !is_active(&CaseState::Withdrawn));
}

#[test]
fn a_class_closes_its_enrollment_on_its_last_day() {
    let c = class("焊工", d(2025, 10, 1), d(2025, 10, 31), SkillLevel::L4);
    let p = Policy::default();
    assert_eq!(last_enroll_day(&c, &p), d(2025, 10, 1));
    assert_eq!(enrollable(&c, d(2025, 10, 1), &p), Ok(()));
    assert!(enrollable(&c, d(2025, 10, 2), &p).is_err());
    let fifth = Policy { enroll_share: 0.2, ..p };
    assert_eq!(last_enroll_day(&c, &fifth), d(2025, 10, 7));
    let mut cancelled = c.clone();
    cancelled.status = ClassStatus::Cancelled;
    assert!(enrollable(&cancelled, d(2025, 9, 1), &p).is_err());
}
