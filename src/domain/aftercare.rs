//! After the job: follow-up visits (就业跟踪回访), case notes, not-hired
//! reasons and corrections, all kept as events of the case's one chain.
//!
//! A hire schedules follow-ups at whole months after the hire date (3 and
//! 6 by default, a database setting). A follow-up records one outcome: 在岗
//! (still with the employer), 换工作 (another job), 已离职 (left, with a
//! reason code) or 联系不上 (not reached: an attempt; three attempts close
//! the follow-up as unknown). A note changes nothing. A correction undoes
//! the latest step or follow-up not yet undone, as a new event: the state
//! goes back to where the step started and the history keeps both.
//!
//! [`replay`] is the one reading of a chain: the store checks a new event
//! with it, `check` validates every chain with it, and the service builds
//! each employed case's follow-ups with it.

use super::case::{CaseState, Move, next_state};
use super::catalog::OccupationId;
use super::entities::{DemandId, Event};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The longest note (characters); a longer one is refused, never cut.
pub const MAX_NOTE_CHARS: usize = 500;
/// Attempts that did not reach the person before a follow-up closes as unknown.
pub const ATTEMPTS_TO_CLOSE: u8 = 3;
/// The follow-ups a hire schedules, in months after the hire date.
pub const DEFAULT_OFFSETS: [u8; 2] = [3, 6];
/// The highest monthly wage a follow-up takes (yuan).
pub const MAX_WAGE: u32 = 1_000_000;

/// Why someone left the job (已离职).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LeaveReason {
    Dismissed,
    Quit,
    Health,
    Family,
    Moved,
    Other,
}

impl LeaveReason {
    pub const ALL: [LeaveReason; 6] = [
        LeaveReason::Dismissed,
        LeaveReason::Quit,
        LeaveReason::Health,
        LeaveReason::Family,
        LeaveReason::Moved,
        LeaveReason::Other,
    ];
    pub fn name(self) -> &'static str {
        match self {
            LeaveReason::Dismissed => "dismissed",
            LeaveReason::Quit => "quit",
            LeaveReason::Health => "health",
            LeaveReason::Family => "family",
            LeaveReason::Moved => "moved",
            LeaveReason::Other => "other",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            LeaveReason::Dismissed => "被辞退",
            LeaveReason::Quit => "主动辞职",
            LeaveReason::Health => "健康原因",
            LeaveReason::Family => "家庭原因",
            LeaveReason::Moved => "迁居外地",
            LeaveReason::Other => "其他",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            LeaveReason::Dismissed => "dismissed",
            LeaveReason::Quit => "quit",
            LeaveReason::Health => "health",
            LeaveReason::Family => "family",
            LeaveReason::Moved => "moved away",
            LeaveReason::Other => "other",
        }
    }
}

/// Why a referral did not end in a hire (未录用).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum NotHiredReason {
    EmployerDeclined,
    SelfDeclined,
    PayMismatch,
    TooFar,
    /// 其他: the event's note says what.
    Other,
}

impl NotHiredReason {
    pub const ALL: [NotHiredReason; 5] = [
        NotHiredReason::EmployerDeclined,
        NotHiredReason::SelfDeclined,
        NotHiredReason::PayMismatch,
        NotHiredReason::TooFar,
        NotHiredReason::Other,
    ];
    pub fn name(self) -> &'static str {
        match self {
            NotHiredReason::EmployerDeclined => "employer_declined",
            NotHiredReason::SelfDeclined => "self_declined",
            NotHiredReason::PayMismatch => "pay_mismatch",
            NotHiredReason::TooFar => "too_far",
            NotHiredReason::Other => "other",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            NotHiredReason::EmployerDeclined => "企业未录用",
            NotHiredReason::SelfDeclined => "本人放弃",
            NotHiredReason::PayMismatch => "待遇不符",
            NotHiredReason::TooFar => "距离远",
            NotHiredReason::Other => "其他",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            NotHiredReason::EmployerDeclined => "employer declined",
            NotHiredReason::SelfDeclined => "declined by the person",
            NotHiredReason::PayMismatch => "pay and conditions",
            NotHiredReason::TooFar => "too far",
            NotHiredReason::Other => "other",
        }
    }
}

/// What a follow-up found.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FollowUpOutcome {
    /// 在岗: with the employer of the hire.
    Retained,
    /// 换工作: employed elsewhere (the employer and trade when known).
    ChangedJob {
        employer: Option<String>,
        occupation: Option<OccupationId>,
    },
    /// 已离职: not employed, and why.
    Left(LeaveReason),
    /// 联系不上: an attempt that did not reach the person.
    NotReached,
}

impl FollowUpOutcome {
    /// Employed at the follow-up (either job), not employed, or not known.
    pub fn employed(&self) -> Option<bool> {
        match self {
            FollowUpOutcome::Retained | FollowUpOutcome::ChangedJob { .. } => Some(true),
            FollowUpOutcome::Left(_) => Some(false),
            FollowUpOutcome::NotReached => None,
        }
    }
    pub fn zh(&self) -> &'static str {
        match self {
            FollowUpOutcome::Retained => "在岗",
            FollowUpOutcome::ChangedJob { .. } => "换工作",
            FollowUpOutcome::Left(_) => "已离职",
            FollowUpOutcome::NotReached => "联系不上",
        }
    }
    pub fn en(&self) -> &'static str {
        match self {
            FollowUpOutcome::Retained => "with the employer",
            FollowUpOutcome::ChangedJob { .. } => "changed job",
            FollowUpOutcome::Left(_) => "left the job",
            FollowUpOutcome::NotReached => "not reached",
        }
    }
}

/// The follow-ups a hire schedules: months after the hire date, ascending,
/// each 1 to 36.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    months: Vec<u8>,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            months: DEFAULT_OFFSETS.to_vec(),
        }
    }
}

impl Schedule {
    /// Read a setting such as `3,6` or `3, 6, 12`; `None` for anything
    /// else (empty, out of range, not ascending).
    pub fn parse(s: &str) -> Option<Schedule> {
        let months: Vec<u8> = s
            .split(',')
            .map(|p| p.trim().parse::<u8>().ok().filter(|m| (1..=36).contains(m)))
            .collect::<Option<_>>()?;
        if months.is_empty() || months.len() > 6 || months.windows(2).any(|w| w[0] >= w[1]) {
            return None;
        }
        Some(Schedule { months })
    }
    pub fn months(&self) -> &[u8] {
        &self.months
    }
    /// The setting's text (`3,6`).
    pub fn text(&self) -> String {
        self.months.iter().map(|m| m.to_string()).collect::<Vec<_>>().join(",")
    }
}

/// The date `months` whole months after `hired` (the month's last day when
/// it has fewer days: hired 08-31, 3 months is 11-30).
pub fn due_date(hired: NaiveDate, months: u8) -> NaiveDate {
    hired
        .checked_add_months(Months::new(u32::from(months)))
        .unwrap_or(NaiveDate::MAX)
}

/// One recorded follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub months: u8,
    /// The business date it was recorded.
    pub on: NaiveDate,
    pub outcome: FollowUpOutcome,
    pub wage: Option<u32>,
    /// The event that recorded it.
    pub seq: u32,
}

/// Where one scheduled follow-up stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot<'a> {
    /// Not due yet, or due and not recorded (`attempts` that did not reach).
    Open { due: NaiveDate, attempts: u8 },
    /// Recorded: the person was reached.
    Done { due: NaiveDate, visit: &'a Visit },
    /// Closed as unknown after [`ATTEMPTS_TO_CLOSE`] attempts.
    Unknown { due: NaiveDate },
}

/// An employed case's follow-ups, read from its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aftercare {
    pub hired: NaiveDate,
    pub demand: DemandId,
    pub visits: Vec<Visit>,
}

impl Aftercare {
    /// The follow-up at `months`: open, done or closed as unknown.
    pub fn slot(&self, months: u8) -> Slot<'_> {
        let due = due_date(self.hired, months);
        let mut attempts = 0u8;
        for v in self.visits.iter().filter(|v| v.months == months) {
            if v.outcome == FollowUpOutcome::NotReached {
                attempts = attempts.saturating_add(1);
                if attempts >= ATTEMPTS_TO_CLOSE {
                    return Slot::Unknown { due };
                }
            } else {
                return Slot::Done { due, visit: v };
            }
        }
        Slot::Open { due, attempts }
    }

    /// The earliest open follow-up of the schedule: its months and due date.
    pub fn next_open(&self, schedule: &Schedule) -> Option<(u8, NaiveDate, u8)> {
        schedule.months().iter().find_map(|m| match self.slot(*m) {
            Slot::Open { due, attempts } => Some((*m, due, attempts)),
            _ => None,
        })
    }
}

/// Why a follow-up, a note or a correction was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AftercareError {
    #[error("a follow-up needs an employed case; this one is {0}")]
    NotEmployed(CaseState),
    #[error("no follow-up is scheduled {months} months after the hire (the schedule is {schedule} months)")]
    NotScheduled { months: u8, schedule: String },
    #[error("the {months}-month follow-up is not due until {due}")]
    NotDue { months: u8, due: NaiveDate },
    #[error("the {months}-month follow-up is already closed")]
    Closed { months: u8 },
    #[error("a monthly wage of {0} yuan is out of range (1 to {MAX_WAGE})")]
    Wage(u32),
    #[error("a note cannot be empty")]
    EmptyNote,
    #[error("a note is at most {MAX_NOTE_CHARS} characters; this one has {0}")]
    NoteTooLong(usize),
    #[error("a correction needs a reason")]
    ReasonMissing,
    #[error("the reason 其他 (other) needs a few words in the note")]
    OtherNeedsText,
    #[error("nothing to correct: the case has no step since its enrollment that is not already undone")]
    NothingToCorrect,
    #[error("only the latest step can be corrected: event {latest}, not {asked}")]
    NotLatest { latest: u32, asked: u32 },
    #[error(
        "{who} may correct only their own steps of the same day; event {seq} was recorded by {by} on {on}: a supervisor may correct it"
    )]
    NotYours {
        who: String,
        seq: u32,
        by: String,
        on: NaiveDate,
    },
}

/// A note's text as kept: trimmed, not empty, bounded.
pub fn check_note(text: &str) -> Result<String, AftercareError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(AftercareError::EmptyNote);
    }
    let n = t.chars().count();
    if n > MAX_NOTE_CHARS {
        return Err(AftercareError::NoteTooLong(n));
    }
    Ok(t.to_string())
}

/// The business date of an event (China Standard Time).
pub fn event_day(ev: &Event) -> NaiveDate {
    chrono::DateTime::from_timestamp(ev.at, 0)
        .map(|t| t.with_timezone(&super::china_time()).date_naive())
        .unwrap_or(NaiveDate::MIN)
}

/// Who asks for a correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrectionRight<'a> {
    /// A supervisor or an admin: any step.
    Any,
    /// An operator: their own step, on the day it was recorded.
    OwnToday { name: &'a str, today: NaiveDate },
}

/// Whether `right` may undo `ev`.
pub fn may_correct(right: CorrectionRight<'_>, ev: &Event) -> Result<(), AftercareError> {
    match right {
        CorrectionRight::Any => Ok(()),
        CorrectionRight::OwnToday { name, today } => {
            let on = event_day(ev);
            if ev.operator == name && on == today {
                Ok(())
            } else {
                Err(AftercareError::NotYours {
                    who: name.to_string(),
                    seq: ev.seq,
                    by: ev.operator.clone(),
                    on,
                })
            }
        }
    }
}

/// A case's chain read from its events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chain {
    /// The state after the last event (`None` before the enrollment).
    pub state: Option<CaseState>,
    /// The follow-ups of the current hire.
    pub aftercare: Option<Aftercare>,
    /// Whether the certification still stands (a correction of the pass
    /// removes it).
    pub certified: bool,
    /// Steps and follow-ups not undone, oldest first: what a correction
    /// may undo next (the last one).
    live: Vec<u32>,
    /// Referrals that ended without a hire and were not undone, oldest
    /// first: the demand and the reason (`None` for a step recorded
    /// before reasons were asked).
    pub not_hired: Vec<NotHiredStep>,
}

/// A referral that ended without a hire, as the chain keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotHiredStep {
    pub seq: u32,
    pub demand: DemandId,
    pub reason: Option<NotHiredReason>,
}

impl Chain {
    /// The event a correction would undo now.
    pub fn undoable(&self) -> Option<u32> {
        self.live.last().copied()
    }
}

/// Why a chain does not read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChainError {
    #[error("event {seq} starts from {from:?} but the case was {was:?}")]
    Start {
        seq: u32,
        from: Option<CaseState>,
        was: Option<CaseState>,
    },
    #[error("event {seq}: illegal step {from:?} → {to:?}")]
    Illegal {
        seq: u32,
        from: Option<CaseState>,
        to: CaseState,
    },
    #[error("event {seq}: {source}")]
    Aftercare { seq: u32, source: AftercareError },
}

/// Read one more event onto `chain`; `past` are the events before it.
/// Checks what can be checked from the chain alone: the state machine,
/// the follow-up's slot, a correction's target. (Whether a follow-up was
/// due, and who may correct, depend on the date and the person, checked
/// when the event is written.)
pub fn apply(chain: &mut Chain, past: &[Event], ev: &Event) -> Result<(), ChainError> {
    if ev.from != chain.state {
        return Err(ChainError::Start {
            seq: ev.seq,
            from: ev.from.clone(),
            was: chain.state.clone(),
        });
    }
    let illegal = || ChainError::Illegal {
        seq: ev.seq,
        from: ev.from.clone(),
        to: ev.to.clone(),
    };
    let fail = |source| ChainError::Aftercare { seq: ev.seq, source };
    match (&ev.from, &ev.action) {
        (None, None) if ev.to == CaseState::Enrolled => {}
        (Some(from), Some(Move::Note)) => {
            if &ev.to != from {
                return Err(illegal());
            }
            check_note(&ev.note).map_err(fail)?;
        }
        (Some(from), Some(Move::FollowUp { months, outcome, wage })) => {
            if &ev.to != from {
                return Err(illegal());
            }
            let Some(care) = chain.aftercare.as_mut() else {
                return Err(fail(AftercareError::NotEmployed(from.clone())));
            };
            if let Some(w) = wage
                && !(1..=MAX_WAGE).contains(w)
            {
                return Err(fail(AftercareError::Wage(*w)));
            }
            if !matches!(care.slot(*months), Slot::Open { .. }) {
                return Err(fail(AftercareError::Closed { months: *months }));
            }
            care.visits.push(Visit {
                months: *months,
                on: event_day(ev),
                outcome: outcome.clone(),
                wage: *wage,
                seq: ev.seq,
            });
            chain.live.push(ev.seq);
        }
        (Some(_), Some(Move::Correct { undoes, reason })) => {
            if reason.trim().is_empty() {
                return Err(fail(AftercareError::ReasonMissing));
            }
            let latest = chain.undoable().ok_or(fail(AftercareError::NothingToCorrect))?;
            if latest != *undoes {
                return Err(fail(AftercareError::NotLatest { latest, asked: *undoes }));
            }
            let Some(target) = past.get(*undoes as usize).filter(|t| t.seq == *undoes) else {
                return Err(illegal());
            };
            let back = match &target.action {
                Some(Move::FollowUp { .. }) => {
                    if let Some(care) = chain.aftercare.as_mut() {
                        care.visits.retain(|v| v.seq != *undoes);
                    }
                    target.to.clone()
                }
                _ => match &target.from {
                    Some(s) => s.clone(),
                    None => return Err(illegal()),
                },
            };
            if ev.to != back {
                return Err(illegal());
            }
            if matches!(target.action, Some(Move::Certify { .. })) {
                chain.certified = false;
            }
            if matches!(target.to, CaseState::Employed(_)) && !matches!(target.action, Some(Move::FollowUp { .. })) {
                chain.aftercare = None;
            }
            chain.not_hired.retain(|n| n.seq != *undoes);
            chain.live.pop();
        }
        (Some(from), Some(mv)) => {
            if next_state(from, mv).as_ref() != Ok(&ev.to) {
                return Err(illegal());
            }
            if matches!(mv, Move::Certify { .. }) {
                chain.certified = true;
            }
            if let (CaseState::NotHired(d), Move::NotHire | Move::NotHireFor(_)) = (&ev.to, mv) {
                chain.not_hired.push(NotHiredStep {
                    seq: ev.seq,
                    demand: *d,
                    reason: match mv {
                        Move::NotHireFor(r) => Some(*r),
                        _ => None,
                    },
                });
            }
            if let CaseState::Employed(d) = ev.to {
                chain.aftercare = Some(Aftercare {
                    hired: event_day(ev),
                    demand: d,
                    visits: Vec::new(),
                });
            }
            chain.live.push(ev.seq);
        }
        _ => return Err(illegal()),
    }
    chain.state = Some(ev.to.clone());
    Ok(())
}

/// Read a whole chain (events in sequence order).
pub fn replay(events: &[Event]) -> Result<Chain, ChainError> {
    let mut chain = Chain::default();
    for (i, ev) in events.iter().enumerate() {
        apply(&mut chain, &events[..i], ev)?;
    }
    Ok(chain)
}

/// The state a correction of the chain's latest live event returns to, and
/// that event's sequence number.
pub fn correction_target(chain: &Chain, past: &[Event]) -> Result<(u32, CaseState), AftercareError> {
    let seq = chain.undoable().ok_or(AftercareError::NothingToCorrect)?;
    let target = past.get(seq as usize).ok_or(AftercareError::NothingToCorrect)?;
    let back = match (&target.action, &target.from) {
        (Some(Move::FollowUp { .. }), _) => target.to.clone(),
        (_, Some(s)) => s.clone(),
        (_, None) => return Err(AftercareError::NothingToCorrect),
    };
    Ok((seq, back))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::SkillLevel;
    use crate::domain::entities::CaseId;
    use crate::domain::{Evaluation, china_time};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(d: NaiveDate) -> i64 {
        d.and_hms_opt(10, 0, 0)
            .unwrap()
            .and_local_timezone(china_time())
            .unwrap()
            .timestamp()
    }

    /// A chain builder: each step appended as the store would write it.
    struct Build {
        events: Vec<Event>,
        chain: Chain,
    }

    impl Build {
        fn new(on: NaiveDate) -> Build {
            let mut b = Build {
                events: Vec::new(),
                chain: Chain::default(),
            };
            b.push(None, CaseState::Enrolled, None, on, "wang")
                .expect("an enrollment reads");
            b
        }
        fn push(
            &mut self,
            from: Option<CaseState>,
            to: CaseState,
            mv: Option<Move>,
            on: NaiveDate,
            who: &str,
        ) -> Result<(), ChainError> {
            let ev = Event {
                case: CaseId(1),
                seq: self.events.len() as u32,
                at: at(on),
                operator: who.into(),
                from,
                to,
                action: mv,
                note: "备注".into(),
            };
            apply(&mut self.chain, &self.events, &ev)?;
            self.events.push(ev);
            Ok(())
        }
        fn state(&self) -> CaseState {
            self.chain.state.clone().unwrap()
        }
        fn step(&mut self, mv: Move, on: NaiveDate) {
            let to = next_state(&self.state(), &mv).unwrap();
            self.push(Some(self.state()), to, Some(mv), on, "wang").unwrap();
        }
        fn follow(&mut self, months: u8, outcome: FollowUpOutcome, on: NaiveDate) -> Result<(), ChainError> {
            let s = self.state();
            let mv = Move::FollowUp {
                months,
                outcome,
                wage: Some(5200),
            };
            self.push(Some(s.clone()), s, Some(mv), on, "wang")
        }
        /// Correct the latest live step, as the store does.
        fn correct(&mut self, on: NaiveDate) -> Result<CaseState, AftercareError> {
            let (seq, back) = correction_target(&self.chain, &self.events)?;
            let mv = Move::Correct {
                undoes: seq,
                reason: "录错了".into(),
            };
            self.push(Some(self.state()), back.clone(), Some(mv), on, "li")
                .expect("a correction the chain offers reads back");
            Ok(back)
        }
    }

    fn pass() -> Move {
        Move::Certify {
            level: SkillLevel::L4,
            certificate: "C-1".into(),
            evaluation: Evaluation {
                theory: 80,
                practical: 70,
                panel: false,
            },
        }
    }

    fn fail() -> Move {
        Move::Fail {
            evaluation: Evaluation {
                theory: 40,
                practical: 70,
                panel: false,
            },
        }
    }

    /// Every path of the diagram, move by move.
    fn paths() -> Vec<Vec<Move>> {
        let d = DemandId(5);
        let w = Move::Withdraw {
            reason: "搬家".into()
        };
        vec![
            vec![
                Move::StartTraining,
                Move::SendToEvaluation,
                pass(),
                Move::Refer(d),
                Move::Hire,
            ],
            vec![
                Move::StartTraining,
                Move::SendToEvaluation,
                fail(),
                Move::Retake,
                pass(),
                Move::Refer(d),
                Move::NotHireFor(NotHiredReason::TooFar),
                Move::Refer(DemandId(6)),
                w.clone(),
            ],
            vec![w.clone()],
            vec![Move::StartTraining, Move::SendToEvaluation, fail(), w],
        ]
    }

    #[test]
    fn the_schedule_reads_its_setting_and_counts_whole_months() {
        assert_eq!(Schedule::default().months(), &[3, 6]);
        assert_eq!(Schedule::parse(" 3, 6 ,12").unwrap().text(), "3,6,12");
        for bad in ["", "0", "6,3", "3,3", "3,x", "37", "1,2,3,4,5,6,7"] {
            assert_eq!(Schedule::parse(bad), None, "{bad:?}");
        }
        assert_eq!(due_date(day(2025, 7, 10), 3), day(2025, 10, 10));
        // The month's last day when it is shorter.
        assert_eq!(due_date(day(2025, 8, 31), 3), day(2025, 11, 30));
        assert_eq!(due_date(day(2023, 11, 30), 3), day(2024, 2, 29));
        assert_eq!(due_date(day(2025, 12, 15), 6), day(2026, 6, 15));
    }

    #[test]
    fn outcomes_fill_their_slot_and_three_misses_close_it() {
        let mut b = Build::new(day(2025, 3, 1));
        for mv in &paths()[0] {
            b.step(mv.clone(), day(2025, 4, 1));
        }
        let care = b.chain.aftercare.clone().expect("a hire schedules follow-ups");
        assert_eq!((care.hired, care.demand), (day(2025, 4, 1), DemandId(5)));
        let s = Schedule::default();
        assert_eq!(care.next_open(&s), Some((3, day(2025, 7, 1), 0)));
        // Two misses keep it open, the third closes it as unknown.
        b.follow(3, FollowUpOutcome::NotReached, day(2025, 7, 2)).unwrap();
        b.follow(3, FollowUpOutcome::NotReached, day(2025, 7, 3)).unwrap();
        let care = b.chain.aftercare.clone().unwrap();
        assert_eq!(
            care.slot(3),
            Slot::Open {
                due: day(2025, 7, 1),
                attempts: 2
            }
        );
        b.follow(3, FollowUpOutcome::NotReached, day(2025, 7, 4)).unwrap();
        assert_eq!(
            b.chain.aftercare.as_ref().unwrap().slot(3),
            Slot::Unknown { due: day(2025, 7, 1) }
        );
        // A closed slot takes nothing more; the next one is open.
        let e = b.follow(3, FollowUpOutcome::Retained, day(2025, 7, 5)).unwrap_err();
        assert!(
            matches!(
                e,
                ChainError::Aftercare {
                    source: AftercareError::Closed { months: 3 },
                    ..
                }
            ),
            "{e}"
        );
        assert_eq!(
            b.chain.aftercare.as_ref().unwrap().next_open(&s),
            Some((6, day(2025, 10, 1), 0))
        );
        b.follow(6, FollowUpOutcome::Left(LeaveReason::Health), day(2025, 10, 2))
            .unwrap();
        let care = b.chain.aftercare.clone().unwrap();
        assert!(matches!(care.slot(6), Slot::Done { visit, .. } if visit.outcome.employed() == Some(false)));
        assert_eq!(care.next_open(&s), None);
        // Each outcome's meaning for retention.
        assert_eq!(FollowUpOutcome::Retained.employed(), Some(true));
        let changed = FollowUpOutcome::ChangedJob {
            employer: None,
            occupation: None,
        };
        assert_eq!(changed.employed(), Some(true));
        assert_eq!(FollowUpOutcome::NotReached.employed(), None);
    }

    #[test]
    fn a_follow_up_needs_a_hire_and_a_wage_in_range() {
        let mut b = Build::new(day(2025, 3, 1));
        let e = b.follow(3, FollowUpOutcome::Retained, day(2025, 7, 1)).unwrap_err();
        assert!(
            matches!(
                e,
                ChainError::Aftercare {
                    source: AftercareError::NotEmployed(_),
                    ..
                }
            ),
            "{e}"
        );
        for mv in &paths()[0] {
            b.step(mv.clone(), day(2025, 4, 1));
        }
        let s = b.state();
        let mv = Move::FollowUp {
            months: 3,
            outcome: FollowUpOutcome::Retained,
            wage: Some(0),
        };
        let e = b
            .push(Some(s.clone()), s, Some(mv), day(2025, 7, 1), "wang")
            .unwrap_err();
        assert!(
            matches!(
                e,
                ChainError::Aftercare {
                    source: AftercareError::Wage(0),
                    ..
                }
            ),
            "{e}"
        );
    }

    /// Every state reached on every path, corrected: the state goes back
    /// one step each time, down to the enrollment, which is not undone.
    #[test]
    fn every_state_corrects_back_to_where_its_step_started() {
        let mut corrected = std::collections::BTreeSet::new();
        for path in paths() {
            for n in 0..=path.len() {
                let mut b = Build::new(day(2025, 3, 1));
                let mut states = vec![b.state()];
                for mv in &path[..n] {
                    b.step(mv.clone(), day(2025, 4, 1));
                    states.push(b.state());
                }
                corrected.insert(b.state().kind());
                // Undo back to the enrollment, one step at a time.
                for want in states.iter().rev().skip(1) {
                    assert_eq!(&b.correct(day(2025, 4, 2)).unwrap(), want, "path {path:?} at {n}");
                    assert_eq!(&b.state(), want);
                }
                assert_eq!(b.correct(day(2025, 4, 2)), Err(AftercareError::NothingToCorrect));
                assert_eq!(b.chain.aftercare, None);
                assert!(!b.chain.certified);
                // The whole chain, read again, agrees.
                assert_eq!(replay(&b.events).unwrap(), b.chain);
            }
        }
        assert_eq!(corrected.len(), crate::domain::StateKind::ALL.len(), "{corrected:?}");
    }

    #[test]
    fn a_correction_undoes_a_follow_up_before_the_hire_and_only_the_latest() {
        let mut b = Build::new(day(2025, 3, 1));
        for mv in &paths()[0] {
            b.step(mv.clone(), day(2025, 4, 1));
        }
        b.follow(3, FollowUpOutcome::Retained, day(2025, 7, 1)).unwrap();
        let hire = 5;
        // Asking to undo the hire while a follow-up stands is refused.
        let s = b.state();
        let mv = Move::Correct {
            undoes: hire,
            reason: "错岗".into(),
        };
        let e = b.push(
            Some(s.clone()),
            CaseState::Referred(DemandId(5)),
            Some(mv),
            day(2025, 7, 1),
            "li",
        );
        assert!(
            matches!(
                &e,
                Err(ChainError::Aftercare {
                    source: AftercareError::NotLatest { latest: 6, asked: 5 },
                    ..
                })
            ),
            "{e:?}"
        );
        // The follow-up first: the state stays, the visit goes.
        assert_eq!(b.correct(day(2025, 7, 1)).unwrap(), CaseState::Employed(DemandId(5)));
        assert!(b.chain.aftercare.as_ref().unwrap().visits.is_empty());
        assert_eq!(b.correct(day(2025, 7, 1)).unwrap(), CaseState::Referred(DemandId(5)));
        assert_eq!(b.chain.aftercare, None);
        // Notes are never undone and change nothing.
        let s = b.state();
        b.push(Some(s.clone()), s, Some(Move::Note), day(2025, 7, 1), "wang")
            .unwrap();
        assert_eq!(
            b.correct(day(2025, 7, 1)).unwrap(),
            CaseState::Certified(SkillLevel::L4)
        );
        // A correction without a reason does not read.
        let s = b.state();
        let mv = Move::Correct {
            undoes: 3,
            reason: " ".into(),
        };
        let e = b.push(
            Some(s.clone()),
            CaseState::AwaitingEvaluation,
            Some(mv),
            day(2025, 7, 1),
            "li",
        );
        assert!(
            matches!(
                &e,
                Err(ChainError::Aftercare {
                    source: AftercareError::ReasonMissing,
                    ..
                })
            ),
            "{e:?}"
        );
    }

    #[test]
    fn who_may_correct_a_step() {
        let mut b = Build::new(day(2025, 3, 1));
        b.step(Move::StartTraining, day(2025, 4, 1));
        let ev = b.events.last().unwrap();
        let own = |name, today| CorrectionRight::OwnToday { name, today };
        assert_eq!(may_correct(own("wang", day(2025, 4, 1)), ev), Ok(()));
        assert!(matches!(
            may_correct(own("wang", day(2025, 4, 2)), ev),
            Err(AftercareError::NotYours { .. })
        ));
        let e = may_correct(own("zhao", day(2025, 4, 1)), ev).unwrap_err();
        assert!(e.to_string().contains("supervisor"), "{e}");
        assert_eq!(may_correct(CorrectionRight::Any, ev), Ok(()));
    }

    #[test]
    fn notes_are_trimmed_bounded_and_never_empty() {
        assert_eq!(check_note("  已电话联系 "), Ok("已电话联系".to_string()));
        assert_eq!(check_note(" \n"), Err(AftercareError::EmptyNote));
        let long = "字".repeat(MAX_NOTE_CHARS + 1);
        assert_eq!(check_note(&long), Err(AftercareError::NoteTooLong(MAX_NOTE_CHARS + 1)));
        assert!(check_note(&"字".repeat(MAX_NOTE_CHARS)).is_ok());
        for r in NotHiredReason::ALL {
            assert!(!r.zh().is_empty() && !r.en().is_empty() && !r.name().contains(' '));
        }
        assert_eq!(
            NotHiredReason::ALL.map(|r| r.zh()),
            ["企业未录用", "本人放弃", "待遇不符", "距离远", "其他"]
        );
        for r in LeaveReason::ALL {
            assert!(!r.zh().is_empty() && !r.en().is_empty() && !r.name().contains(' '));
        }
    }
}
