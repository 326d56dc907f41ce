//! The spring cohort (#18): two regular classes of spring 2025 whose
//! trainees were hired in June and July, so that on the demo's date
//! (2025-10-15) their 3-month follow-ups are done, due or overdue, with
//! notes, not-hired reasons and corrections on the way. The published
//! Aug–Dec menu stays as it is; the cohort's trainees come out of the
//! waiting list (the city keeps its number of trainees), and it draws
//! from its own generator so the rest of the city does not move.
//!
//! Every chain is read with `aftercare::apply` as it is written, so the
//! cohort is legal by construction and `check` stays clean.

use super::OPERATOR;
use super::city::{Gen, date, unix};
use super::tables::CLASS_TRADES;
use crate::domain::aftercare::{self as ac, Chain, FollowUpOutcome, LeaveReason, NotHiredReason};
use crate::domain::*;
use crate::rng::Rng;
use crate::store::{Result, StoreError};
use chrono::{Datelike, Duration, NaiveDate};

/// Trainees of the cohort in a city that has room for them on its
/// waiting list.
pub const COHORT: usize = 24;
/// The seats of its two classes (beyond the published menu).
pub const SEATS: u32 = COHORT as u32;
/// The operator who records the follow-ups.
const VISITOR: &str = "demo";

/// How many trainees the cohort takes from a waiting list of `waiting`.
pub(super) fn reserve(waiting: usize) -> usize {
    if waiting >= COHORT + COHORT / 2 { COHORT } else { 0 }
}

/// What happens to the cohort's case `i` after the hire (on 2025-10-15).
#[derive(Clone, Copy)]
enum Story {
    Retained,
    Changed,
    Left,
    Unreached,
    /// 在岗 recorded by mistake, corrected, then 换工作.
    CorrectedVisit,
    /// One attempt that did not reach them: still open.
    OneAttempt,
    /// A hire recorded for a referral that did not end in one: corrected,
    /// then 企业未录用, then referred and hired elsewhere.
    CorrectedHire,
    /// Referred, 待遇不符, referred again and hired.
    NotHiredThenHired,
    /// Nothing recorded yet (due, overdue or not due).
    Open,
}

fn story(i: usize) -> Story {
    match i {
        0 => Story::Retained,
        // 1: the oldest open one, weeks overdue on the demo's date.
        2 => Story::Changed,
        3 => Story::Left,
        4 => Story::Unreached,
        5 => Story::CorrectedVisit,
        6 => Story::OneAttempt,
        7 => Story::CorrectedHire,
        8 => Story::Retained,
        9 => Story::NotHiredThenHired,
        _ => Story::Open,
    }
}

/// A case's chain, written event by event and read as it goes.
struct Writer {
    case: CaseId,
    events: Vec<Event>,
    chain: Chain,
    minute: u32,
}

impl Writer {
    fn push(&mut self, day: NaiveDate, to: CaseState, mv: Option<Move>, note: &str) -> Result<()> {
        self.minute += 7;
        let ev = Event {
            case: self.case,
            seq: self.events.len() as u32,
            at: unix(day, self.minute),
            operator: if matches!(mv, Some(Move::FollowUp { .. })) {
                VISITOR
            } else {
                OPERATOR
            }
            .into(),
            from: self.chain.state.clone(),
            to,
            action: mv,
            note: note.into(),
        };
        ac::apply(&mut self.chain, &self.events, &ev).map_err(|e| match e {
            ac::ChainError::Aftercare { source, .. } => StoreError::Aftercare {
                case: self.case,
                source,
            },
            other => StoreError::Corrupt {
                path: "demo".into(),
                detail: format!("case {}: {other}", self.case),
            },
        })?;
        self.events.push(ev);
        Ok(())
    }

    fn state(&self) -> CaseState {
        self.chain.state.clone().unwrap_or(CaseState::Enrolled)
    }

    fn step(&mut self, day: NaiveDate, mv: Move, note: &str) -> Result<()> {
        let to = next_state(&self.state(), &mv).map_err(|source| StoreError::Transition {
            case: self.case,
            source,
        })?;
        self.push(day, to, Some(mv), note)
    }

    fn stay(&mut self, day: NaiveDate, mv: Move, note: &str) -> Result<()> {
        let s = self.state();
        self.push(day, s, Some(mv), note)
    }

    fn follow(&mut self, day: NaiveDate, outcome: FollowUpOutcome, wage: Option<u32>, note: &str) -> Result<()> {
        let mv = Move::FollowUp {
            months: 3,
            outcome,
            wage,
        };
        self.stay(day, mv, note)
    }

    fn correct(&mut self, day: NaiveDate, reason: &str) -> Result<()> {
        let (undoes, back) =
            ac::correction_target(&self.chain, &self.events).map_err(|source| StoreError::Aftercare {
                case: self.case,
                source,
            })?;
        let mv = Move::Correct {
            undoes,
            reason: reason.into(),
        };
        self.push(day, back, Some(mv), "")
    }
}

/// Add the cohort: `n` trainees (0 or [`COHORT`]) in two classes of
/// spring 2025, written through the generator's writer; their classes
/// join `classes`, their referrals and hires the demands' usage.
pub(super) fn spring_cohort(
    g: &mut Gen<'_>,
    seed: u64,
    institutions: &[Institution],
    classes: &mut Vec<TrainingClass>,
    n: usize,
) -> Result<()> {
    if n == 0 || institutions.is_empty() {
        return Ok(());
    }
    let main = std::mem::replace(&mut g.rng, Rng(seed ^ 0xAF7E_2025_0615));
    let out = write_cohort(g, institutions, classes, n);
    g.rng = main;
    out
}

fn write_cohort(
    g: &mut Gen<'_>,
    institutions: &[Institution],
    classes: &mut Vec<TrainingClass>,
    n: usize,
) -> Result<()> {
    // The two trades with the most skilled posts open to a 四级 certificate
    // and posted by mid-June, in the menu's order on a tie.
    let open_by = date(2025, 6, 20);
    let room = |g: &Gen<'_>, occ: OccupationId| -> u32 {
        g.demands
            .iter()
            .filter(|d| {
                d.kind == PostKind::Skilled
                    && d.posted <= open_by
                    && occ.relation_to(d.occupation).is_some()
                    && d.min_level.is_none_or(|m| SkillLevel::L4.meets(m))
            })
            .map(|d| {
                let u = g.usage.get(&d.id).copied().unwrap_or_default();
                d.headcount.saturating_sub(u.taken())
            })
            .sum()
    };
    let mut trades: Vec<(u32, usize, OccupationId)> = CLASS_TRADES
        .iter()
        .enumerate()
        .map(|(i, (occ, _))| (room(g, OccupationId(*occ)), i, OccupationId(*occ)))
        .collect();
    trades.sort_by_key(|(r, i, _)| (std::cmp::Reverse(*r), *i));
    let spans = [
        (date(2025, 3, 3), date(2025, 4, 25)),
        (date(2025, 4, 7), date(2025, 5, 23)),
    ];
    let per_class = n.div_ceil(2);
    let mut made = 0usize;
    for (k, (start, end)) in spans.into_iter().enumerate() {
        let occ = trades.get(k).map(|t| t.2).unwrap_or(OccupationId(CLASS_TRADES[0].0));
        let inst = &institutions[(g.rng.below(institutions.len() as u64)) as usize];
        let count = per_class.min(n - made);
        let class = TrainingClass {
            id: ClassId(g.id()?),
            name: TrainingClass::default_name(
                occ,
                ClassKind::Subsidized,
                inst.region.get().map(|r| r.short_zh).unwrap_or(""),
                start,
            ),
            institution: inst.id,
            occupation: occ,
            region: inst.region,
            kind: ClassKind::Subsidized,
            program: super::tables::program_for(&mut g.rng, occ.0),
            quarter: Quarter::of(start),
            start,
            end,
            capacity: count as u32,
            target_level: SkillLevel::L4,
            linked_demands: vec![],
            status: ClassStatus::Finished,
        };
        for _ in 0..count {
            let region = if g.rng.chance(0.7) {
                class.region
            } else {
                RegionId(g.rng.below(8) as u8)
            };
            let created = start - Duration::days(g.rng.range(12, 30) as i64);
            let t = g.person(region, vec![occ], created)?;
            g.put_trainee(&t)?;
            cohort_case(g, &t, &class, made)?;
            made += 1;
        }
        classes.push(class);
    }
    Ok(())
}

/// A demand of the class's trade that takes a referral on `day`, other
/// than `not`.
fn demand_on(g: &Gen<'_>, class: &TrainingClass, day: NaiveDate, not: Option<DemandId>) -> Option<DemandId> {
    g.demands
        .iter()
        .filter(|d| {
            d.kind == PostKind::Skilled
                && d.status == DemandStatus::Open
                && d.posted <= day
                && Some(d.id) != not
                && class.occupation.relation_to(d.occupation).is_some()
                && d.min_level.is_none_or(|m| class.target_level.meets(m))
                && g.usage.get(&d.id).copied().unwrap_or_default().taken() < d.headcount
        })
        .min_by_key(|d| (d.posted, d.id))
        .map(|d| d.id)
}

/// One trainee's case: enrolled, trained, certified, referred and hired
/// (the `i`-th hire two days after the one before, from 2025-06-16), then
/// what its [`Story`] says.
fn cohort_case(g: &mut Gen<'_>, trainee: &Trainee, class: &TrainingClass, i: usize) -> Result<()> {
    let case = CaseId(g.id()?);
    let mut w = Writer {
        case,
        events: Vec::new(),
        chain: Chain::default(),
        minute: g.rng.range(0, 60),
    };
    let enrolled = class.start - Duration::days(g.rng.range(3, 10) as i64);
    w.push(enrolled, CaseState::Enrolled, None, "")?;
    w.step(class.start, Move::StartTraining, "")?;
    w.step(class.end, Move::SendToEvaluation, "")?;
    let eval = class.end + Duration::days(g.rng.range(3, 7) as i64);
    g.cert_seq += 1;
    let certificate = format!("ZJ{}{:02}{:06}", class.end.year(), class.occupation.0, g.cert_seq);
    let evaluation = g.scores(true, class.target_level);
    w.step(
        eval,
        Move::Certify {
            level: class.target_level,
            certificate: certificate.clone(),
            evaluation: evaluation.clone(),
        },
        "",
    )?;
    let hired = date(2025, 6, 16) + Duration::days(2 * i as i64);
    let refer = hired - Duration::days(8);
    let story = story(i);
    // A referral that ended without a hire first, for two of them.
    let mut first = None;
    if matches!(story, Story::CorrectedHire | Story::NotHiredThenHired) {
        let Some(d) = demand_on(g, class, refer - Duration::days(12), None) else {
            return finish(g, w, trainee, class, enrolled, eval, certificate, evaluation);
        };
        first = Some(d);
        w.step(refer - Duration::days(12), Move::Refer(d), "")?;
        let no = refer - Duration::days(3);
        if matches!(story, Story::CorrectedHire) {
            w.step(no, Move::Hire, "")?;
            w.correct(no, "误录为已就业：企业当天电话告知未录用")?;
            w.step(no, Move::NotHireFor(NotHiredReason::EmployerDeclined), "")?;
            w.stay(no, Move::Note, "企业反馈：实操面试未通过，建议加强实操训练后再推荐")?;
        } else {
            w.step(no, Move::NotHireFor(NotHiredReason::PayMismatch), "")?;
            w.stay(no, Move::Note, "本人期望月薪 6000 元以上，企业只给 4500 元")?;
        }
    }
    let Some(d) = demand_on(g, class, refer, first) else {
        return finish(g, w, trainee, class, enrolled, eval, certificate, evaluation);
    };
    w.step(refer, Move::Refer(d), "")?;
    w.step(hired, Move::Hire, "")?;
    let due = ac::due_date(hired, 3);
    match story {
        Story::Retained if i == 0 => {
            w.follow(due + Duration::days(2), FollowUpOutcome::Retained, Some(5200), "")?;
            w.stay(
                due + Duration::days(2),
                Move::Note,
                "电话回访：本人对岗位满意，企业人事确认在岗",
            )?;
        }
        Story::Retained => w.follow(due + Duration::days(1), FollowUpOutcome::Retained, None, "")?,
        Story::Changed => w.follow(
            due + Duration::days(4),
            FollowUpOutcome::ChangedJob {
                employer: Some("丹阳某精密机械厂".into()),
                occupation: Some(class.occupation),
            },
            Some(6100),
            "同工种，离家更近",
        )?,
        Story::Left => w.follow(
            due + Duration::days(3),
            FollowUpOutcome::Left(LeaveReason::Quit),
            None,
            "本人称夜班太多，已辞职，愿意再参加培训",
        )?,
        Story::Unreached => {
            for k in 0..ac::ATTEMPTS_TO_CLOSE {
                w.follow(
                    due + Duration::days(1 + 3 * i64::from(k)),
                    FollowUpOutcome::NotReached,
                    None,
                    "电话无人接听",
                )?;
            }
        }
        Story::CorrectedVisit => {
            let on = due + Duration::days(1);
            w.follow(on, FollowUpOutcome::Retained, Some(4800), "")?;
            w.correct(on, "录错了：本人已换到另一家企业")?;
            w.follow(
                on,
                FollowUpOutcome::ChangedJob {
                    employer: None,
                    occupation: None,
                },
                Some(5000),
                "",
            )?;
            w.stay(on, Move::Note, "本人说明8月已换到同行业另一家企业，月薪5000元")?;
        }
        Story::OneAttempt => w.follow(due + Duration::days(2), FollowUpOutcome::NotReached, None, "关机")?,
        Story::CorrectedHire | Story::NotHiredThenHired | Story::Open => {}
    }
    if i == 11 {
        w.stay(
            hired + Duration::days(30),
            Move::Note,
            "本人来电咨询社保缴纳，已转企业人事",
        )?;
    }
    finish(g, w, trainee, class, enrolled, eval, certificate, evaluation)
}

#[allow(clippy::too_many_arguments)]
fn finish(
    g: &mut Gen<'_>,
    w: Writer,
    trainee: &Trainee,
    class: &TrainingClass,
    enrolled: NaiveDate,
    eval: NaiveDate,
    certificate: String,
    evaluation: Evaluation,
) -> Result<()> {
    let state = w.state();
    if let Some(d) = state.referral() {
        g.usage.entry(d).or_default().referred += 1;
    }
    if let Some(d) = state.hired() {
        g.usage.entry(d).or_default().hired += 1;
    }
    for ev in &w.events {
        g.w.put_event(ev)?;
    }
    g.put_case(&Case {
        id: w.case,
        trainee: trainee.id,
        class: class.id,
        state,
        certification: w.chain.certified.then(|| Certification {
            level: class.target_level,
            certificate: certificate.into(),
            evaluation,
            date: eval,
        }),
        events: w.events.len() as u32,
        opened: enrolled,
    })
}
