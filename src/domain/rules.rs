//! The program's rules that need more than the state machine: class dates,
//! results that agree with their scores, ages, one active class at a time,
//! and the last day a class takes enrollments. Pure functions over the
//! records, used alike by the store (inside its transactions), the service,
//! intake, import, pairing and the kiosk, each with its refusal or warning.
//!
//! Where a rule is a policy choice it is a field of [`Policy`] with the
//! default the README states.

use super::case::{CaseState, Move, PASS_MARK};
use super::catalog::OccupationId;
use super::entities::{CaseId, ClassId, ClassStatus, TrainingClass};
use super::idno::{IdNumber, Sex};
use chrono::{Datelike, NaiveDate};
use thiserror::Error;

/// Settings of the rules (the defaults are the program's).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    /// How far into a class enrollment stays open, as a share of its days:
    /// 0.0 closes it on the start date, 0.2 a fifth of the way in.
    pub enroll_share: f32,
    /// Nobody younger is enrolled in employment training (Labour Law art. 15).
    pub min_age: u32,
    /// Special operations (welding, electrical work…) need this age.
    pub special_min_age: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            enroll_share: 0.0,
            min_age: 16,
            special_min_age: 18,
        }
    }
}

/// A refusal by a rule of the program.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RuleError {
    #[error("class {class} starts on {start}: training cannot start before that")]
    BeforeStart { class: ClassId, start: NaiveDate },
    #[error(
        "class {class} ends on {end}: evaluation follows the end of training (an early completion needs its reason in the note)"
    )]
    BeforeEnd { class: ClassId, end: NaiveDate },
    #[error("theory {theory} and practical {practical} both pass (at least {PASS_MARK}): that is a pass, not a fail")]
    FailWithPassingScores { theory: u8, practical: u8 },
    #[error(
        "a pass needs theory and practical scores of at least {PASS_MARK}; got theory {theory}, practical {practical}"
    )]
    PassBelowMark { theory: u8, practical: u8 },
    #[error("{age} years old on {on} (the class's start): enrollment needs at least {min}")]
    TooYoung { age: u32, min: u32, on: NaiveDate },
    #[error("{age} years old on {on} (the class's start): {trade} is a special operation and needs at least {min}")]
    TooYoungForSpecial {
        age: u32,
        min: u32,
        on: NaiveDate,
        trade: &'static str,
    },
    #[error("class {class} took its last enrollment on {last} ({status})")]
    EnrollmentClosed {
        class: ClassId,
        last: NaiveDate,
        status: Closed,
    },
    #[error("already in class {class} (case {case}, still open): a second class needs a reason")]
    AlreadyActive { case: CaseId, class: ClassId },
}

/// Why a class takes no more enrollments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum Closed {
    #[error("cancelled")]
    Cancelled,
    #[error("finished")]
    Finished,
    #[error("past its enrollment window")]
    PastWindow,
    #[error("not open")]
    NotOpen,
}

/// Something the operator must confirm before a step goes ahead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// Past the statutory retirement age on the class's start date.
    PastRetirement {
        age: u32,
        on: NaiveDate,
        /// The retirement age (years, months) that applies, for the message.
        retires_at: (u32, u32),
    },
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::PastRetirement { age, on, retires_at } => write!(
                f,
                "{age} years old on {on}: past the statutory retirement age ({} years {} months)",
                retires_at.0, retires_at.1
            ),
        }
    }
}

/// The last day a class takes enrollments.
pub fn last_enroll_day(class: &TrainingClass, policy: &Policy) -> NaiveDate {
    let days = (class.end - class.start).num_days().max(0) as f64;
    let extra = (days * f64::from(policy.enroll_share.clamp(0.0, 1.0))).floor() as i64;
    class.start + chrono::Duration::days(extra)
}

/// Does a class take enrollments today (its status, its dates)? Seats are
/// the store's to count.
pub fn enrollable(class: &TrainingClass, today: NaiveDate, policy: &Policy) -> Result<(), RuleError> {
    let last = last_enroll_day(class, policy);
    if !class.status.accepts_enrollment() || today > last {
        let status = match class.status {
            ClassStatus::Cancelled => Closed::Cancelled,
            ClassStatus::Finished => Closed::Finished,
            _ if today > last => Closed::PastWindow,
            _ => Closed::NotOpen,
        };
        return Err(RuleError::EnrollmentClosed {
            class: class.id,
            last,
            status,
        });
    }
    Ok(())
}

/// Special operations (特种作业): the trades that need an operation
/// certificate and an adult.
pub fn is_special_operation(o: OccupationId) -> bool {
    matches!(o.zh(), "焊工" | "电工")
}

/// Whole years from `birth` to `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

/// The statutory retirement age (years, months) of someone born in
/// `birth`, under the gradual raise from 2025-01-01: men 60 → 63 (a month
/// later for every 4 months of birth from 1965-01), women in staff posts
/// 55 → 58 (from 1970-01, every 4 months) and women workers 50 → 55 (from
/// 1975-01, every 2 months). A woman's post is not recorded: the earlier,
/// workers' age is used, so the warning comes early, never late.
pub fn retirement_age(birth: NaiveDate, sex: Sex) -> (u32, u32) {
    let (base, from_year, every, cap) = match sex {
        Sex::Male => (60, 1965, 4, 36),
        Sex::Female => (50, 1975, 2, 60),
    };
    let months_since = (birth.year() - from_year) * 12 + birth.month0() as i32;
    let delay = if months_since < 0 {
        0
    } else {
        (months_since / every + 1).min(cap)
    } as u32;
    (base + delay / 12, delay % 12)
}

/// May this person enroll in this class? Refusals for age; a warning the
/// operator confirms past retirement age.
pub fn check_age(id: &IdNumber, class: &TrainingClass, policy: &Policy) -> Result<Option<Warning>, RuleError> {
    let on = class.start;
    let birth = id.birth_date();
    let age = age_on(birth, on);
    if age < policy.min_age {
        return Err(RuleError::TooYoung {
            age,
            min: policy.min_age,
            on,
        });
    }
    if is_special_operation(class.occupation) && age < policy.special_min_age {
        return Err(RuleError::TooYoungForSpecial {
            age,
            min: policy.special_min_age,
            on,
            trade: class.occupation.zh(),
        });
    }
    let (y, m) = retirement_age(birth, id.sex());
    let retires = add_months(birth, y * 12 + m);
    Ok((on >= retires).then_some(Warning::PastRetirement {
        age,
        on,
        retires_at: (y, m),
    }))
}

fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(chrono::Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// The cases that keep a trainee busy in a class: enrolled, in training,
/// awaiting evaluation or retaking it.
pub fn is_active(state: &CaseState) -> bool {
    matches!(
        state,
        CaseState::Enrolled | CaseState::InTraining | CaseState::AwaitingEvaluation | CaseState::NotCertified
    )
}

/// One active class at a time, unless a reason for a second is given.
pub fn check_second_class(active: Option<(CaseId, ClassId)>, reason: &str) -> Result<(), RuleError> {
    match active {
        Some((case, class)) if reason.trim().is_empty() => Err(RuleError::AlreadyActive { case, class }),
        _ => Ok(()),
    }
}

/// What a case step is checked against besides its state.
#[derive(Debug, Clone, Copy)]
pub struct StepContext<'a> {
    pub class: &'a TrainingClass,
    pub today: NaiveDate,
    /// The step's note: for an evaluation before the class ends, the
    /// documented reason for the early completion.
    pub note: &'a str,
}

/// The rules of a case step beyond the state machine's: class dates, and a
/// result that agrees with its scores (a fail with both scores passing is a
/// fail only where the level needs a panel review and it failed).
/// Whether an evaluation passes at `level`: both scores at the mark, and a
/// passed panel review where the level needs one. A pass and a fail are
/// both checked against it, and a results sheet's rows are sorted by it.
pub fn passes(evaluation: &crate::domain::Evaluation, level: crate::domain::SkillLevel) -> bool {
    evaluation.theory >= PASS_MARK && evaluation.practical >= PASS_MARK && (!level.needs_panel() || evaluation.panel)
}

pub fn check_step(mv: &Move, cx: &StepContext<'_>) -> Result<(), RuleError> {
    let class = cx.class;
    match mv {
        Move::StartTraining if cx.today < class.start => Err(RuleError::BeforeStart {
            class: class.id,
            start: class.start,
        }),
        Move::SendToEvaluation if cx.today < class.end && cx.note.trim().is_empty() => Err(RuleError::BeforeEnd {
            class: class.id,
            end: class.end,
        }),
        Move::Fail { evaluation } => {
            if passes(evaluation, class.target_level) {
                return Err(RuleError::FailWithPassingScores {
                    theory: evaluation.theory,
                    practical: evaluation.practical,
                });
            }
            Ok(())
        }
        Move::Certify { evaluation, .. } if evaluation.theory < PASS_MARK || evaluation.practical < PASS_MARK => {
            Err(RuleError::PassBelowMark {
                theory: evaluation.theory,
                practical: evaluation.practical,
            })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
