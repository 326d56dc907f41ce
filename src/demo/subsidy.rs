//! The demo city's training-subsidy claims (#21): the shipped sample
//! standard, and a claim for each finished class of the menu's first
//! subsidized classes, walked to every state (草稿, 已申报, 初审通过,
//! 复核通过, 已拨付, and one returned to draft with its reason), plus a
//! claim mistakenly built for a certification class (every line "not a
//! subsidized class"). People not certified in their class are on the
//! rosters as not eligible. Deterministic: classes in (end, id) order.

use super::city::{Book, Brief, unix};
use crate::domain::subsidy::{Candidate, ClassFacts, Standards, Step};
use crate::domain::*;
use crate::store::bulk::BulkWriter;
use crate::store::subsidy::Roster;
use crate::store::{Result, Stamp, Store, StoreError};
use chrono::{Datelike, Duration, NaiveDate};
use std::collections::BTreeMap;

/// The walk of the i-th claim: how far it goes (6: returned to draft).
const PLAN: [usize; 6] = [4, 3, 2, 1, 0, 6];
/// Claims built: for the first finished subsidized classes.
const CLAIMS: usize = 14;

/// Who files and who reviews in the demo.
pub const FILER: &str = "机构经办员";
pub const FIRST: &str = "初审员";
pub const SECOND: &str = "复核员";

fn roster(store: &Store, c: &TrainingClass, cases: &[&Brief]) -> Result<Roster> {
    let mut people = Vec::with_capacity(cases.len());
    for k in cases {
        people.push(Candidate {
            case: k.id,
            trainee: k.trainee,
            certified: k.certified,
            key_group: store
                .get::<Trainee>(k.trainee.0)?
                .and_then(|t| t.key_group.as_ref().map(|g| g.to_string())),
        });
    }
    Ok(Roster {
        class: c.id,
        institution: c.institution,
        program: c.program,
        facts: ClassFacts {
            kind: c.kind,
            occupation: c.occupation,
            end: c.end,
        },
        status: c.status,
        people,
    })
}

/// Put the sample standard in and build the demo's claims. `all` is every
/// class and `book` every case the generator wrote: only the trainees on
/// the rosters are read back.
pub(super) fn build(store: &Store, today: NaiveDate, all: &[TrainingClass], book: &Book) -> Result<()> {
    let stamp = |op: &str, minute: u32| Stamp {
        operator: op.to_string(),
        at: unix(today, minute),
        today,
    };
    store.set_subsidy_standards(&Standards::sample(), &stamp(super::OPERATOR, 0))?;
    let mut classes: Vec<TrainingClass> = all
        .iter()
        .filter(|c| c.status == ClassStatus::Finished)
        .cloned()
        .collect();
    classes.sort_by_key(|c| (c.end, c.id));
    // Every case in id order, as the tree holds them.
    let mut cases = book.cases.clone();
    cases.sort_by_key(|k| k.id);
    let extra = histories(store, today, &classes, &cases)?;
    // The cases histories added come after (their ids are newer).
    cases.extend(extra);
    // Each class's cases, gathered once (a scan per class is slow at 1M).
    let mut by_class: BTreeMap<ClassId, Vec<&Brief>> = BTreeMap::new();
    for k in &cases {
        by_class.entry(k.class).or_default().push(k);
    }
    let of = |c: ClassId| -> Vec<&Brief> { by_class.get(&c).cloned().unwrap_or_default() };
    let subsidized: Vec<&TrainingClass> = classes.iter().filter(|c| c.kind == ClassKind::Subsidized).collect();
    let mut minute = 1;
    for (i, class) in subsidized.iter().take(CLAIMS).enumerate() {
        let people = of(class.id);
        if !people.iter().any(|k| k.certified.is_some()) {
            continue;
        }
        let claim = store.build_claim(&roster(store, class, &people)?, &stamp(FILER, minute))?;
        minute += 1;
        let mut step = |s: Step, who: &str| -> Result<()> {
            minute += 1;
            store.claim_step(claim.id, &s, None, &stamp(who, minute)).map(|_| ())
        };
        // A claim with nobody eligible (no standard for its trade) stays a draft.
        let reach = if claim.eligible() == 0 { 0 } else { PLAN[i % PLAN.len()] };
        if reach == 6 {
            // Returned at 初审 for a missing document: a draft again.
            step(Step::File, FILER)?;
            step(
                Step::Return {
                    reason: "缺少培训签到表，请补齐后重新申报".into(),
                },
                FIRST,
            )?;
            continue;
        }
        let walk = [
            (Step::File, FILER),
            (Step::FirstApprove, FIRST),
            (Step::SecondApprove, SECOND),
            (Step::Pay, FIRST),
        ];
        for (s, who) in walk.into_iter().take(reach.min(4)) {
            step(s, who)?;
        }
    }
    // A claim built for a certification class: nobody is eligible.
    if let Some(c) = classes.iter().find(|c| c.kind == ClassKind::Certification) {
        store.build_claim(&roster(store, c, &of(c.id))?, &stamp(FILER, minute))?;
    }
    Ok(())
}

/// Earlier subsidized trainings for a few people (#21), so that the
/// rosters show the two rules that need more than one training of a
/// person: one certified in a later class is given a certified case in an
/// earlier class of the same occupation and level whose claim is filed
/// (同工种同等级已享受补贴); another is given certified cases in three
/// earlier classes of other occupations or levels whose claims are filed,
/// so the fourth is over the yearly limit (3 a year). The spring cohort's
/// classes, which ended long before the demo's date, give the claims filed
/// outside the window. No random draw: the first fitting class and person
/// in (end, id) order, so the rest of the city does not move; a city too
/// small to have such classes gets none.
///
/// `cases` is every case in id order; the cases written are returned.
fn histories(store: &Store, today: NaiveDate, classes: &[TrainingClass], cases: &[Brief]) -> Result<Vec<Brief>> {
    let standards = Standards::sample();
    let subsidized: Vec<&TrainingClass> = classes
        .iter()
        .filter(|c| c.kind == ClassKind::Subsidized)
        .take(CLAIMS)
        .collect();
    let in_time = |c: &TrainingClass| (today - c.end).num_days() <= i64::from(standards.window_days);
    let mut by_class: BTreeMap<ClassId, Vec<&Brief>> = BTreeMap::new();
    for k in cases.iter().filter(|k| k.certified.is_some()) {
        by_class.entry(k.class).or_default().push(k);
    }
    let certified = |c: ClassId| -> Vec<&Brief> {
        let mut v: Vec<&Brief> = by_class.get(&c).cloned().unwrap_or_default();
        v.sort_by_key(|k| k.id);
        v
    };
    let mut used: BTreeMap<ClassId, u32> = BTreeMap::new();
    for k in cases.iter().filter(|k| k.holds_seat) {
        *used.entry(k.class).or_default() += 1;
    }
    // Classes whose claim is filed, with room for one more.
    let counted = |i: usize, c: &TrainingClass| {
        (1..=4).contains(&PLAN[i % PLAN.len()])
            && in_time(c)
            && standards.base(c.occupation, c.target_level).is_some()
            && !certified(c.id).is_empty()
    };
    let room = |used: &BTreeMap<ClassId, u32>, c: &TrainingClass| used.get(&c.id).copied().unwrap_or(0) < c.capacity;
    let mut extra: Vec<(TraineeId, &TrainingClass)> = Vec::new();
    let mut taken: Vec<TraineeId> = Vec::new();
    // Same occupation and level: the first later class with an earlier counted twin.
    'pair: for (j, b) in subsidized.iter().enumerate().filter(|(_, b)| in_time(b)) {
        for (i, a) in subsidized.iter().enumerate().take(j) {
            if a.occupation != b.occupation || a.target_level != b.target_level || !counted(i, a) || !room(&used, a) {
                continue;
            }
            if let Some(k) = certified(b.id).first() {
                extra.push((k.trainee, *a));
                taken.push(k.trainee);
                *used.entry(a.id).or_default() += 1;
                break 'pair;
            }
        }
    }
    // The yearly limit: three counted classes before a later one, all of
    // different occupation or level, in one calendar year.
    'year: for (j, d) in subsidized.iter().enumerate().filter(|(_, d)| in_time(d)) {
        let mut trades = vec![(d.occupation, d.target_level)];
        let mut before: Vec<&TrainingClass> = Vec::new();
        for (i, a) in subsidized.iter().enumerate().take(j) {
            if before.len() < 3
                && a.end.year() == d.end.year()
                && counted(i, a)
                && room(&used, a)
                && !trades.contains(&(a.occupation, a.target_level))
            {
                trades.push((a.occupation, a.target_level));
                before.push(*a);
            }
        }
        if before.len() < 3 {
            continue;
        }
        if let Some(k) = certified(d.id).into_iter().find(|k| !taken.contains(&k.trainee)) {
            for a in before {
                extra.push((k.trainee, a));
                *used.entry(a.id).or_default() += 1;
            }
            break 'year;
        }
    }
    if extra.is_empty() {
        return Ok(Vec::new());
    }
    let mut w = BulkWriter::new(store);
    let mut written = Vec::with_capacity(extra.len());
    for (n, (trainee, class)) in extra.iter().enumerate() {
        written.push(certified_case(&mut w, *trainee, class, n as u32, today)?);
    }
    for (class, n) in used.into_iter().filter(|(c, _)| extra.iter().any(|(_, x)| x.id == *c)) {
        w.set_seats_used(class, n)?;
    }
    w.finish()?;
    Ok(written)
}

/// A case enrolled, trained and certified at the class's level, its chain
/// written event by event through the case state machine.
fn certified_case(
    w: &mut BulkWriter<'_>,
    trainee: TraineeId,
    class: &TrainingClass,
    n: u32,
    today: NaiveDate,
) -> Result<Brief> {
    let id = CaseId(w.new_id()?);
    let enrolled = class.start - Duration::days(7);
    let certified_on = (class.end + Duration::days(4)).min(today);
    let level = class.target_level;
    let certification = Certification {
        level,
        certificate: format!("ZJ{}{:02}{:06}", class.end.year(), class.occupation.0, 900_000 + n).into(),
        evaluation: Evaluation {
            theory: 78,
            practical: 81,
            panel: level.needs_panel(),
        },
        date: certified_on,
    };
    let steps = [
        (class.start, Move::StartTraining),
        (class.end, Move::SendToEvaluation),
        (
            certified_on,
            Move::Certify {
                level,
                certificate: certification.certificate.to_string(),
                evaluation: certification.evaluation.clone(),
            },
        ),
    ];
    w.put_event(&Event {
        case: id,
        seq: 0,
        at: unix(enrolled, 10),
        operator: super::OPERATOR.into(),
        from: None,
        to: CaseState::Enrolled,
        action: None,
        note: String::new(),
    })?;
    let mut state = CaseState::Enrolled;
    for (i, (day, mv)) in steps.iter().enumerate() {
        let next = next_state(&state, mv).map_err(|source| StoreError::Transition { case: id, source })?;
        w.put_event(&Event {
            case: id,
            seq: i as u32 + 1,
            at: unix(*day, 20 + i as u32),
            operator: super::OPERATOR.into(),
            from: Some(state.clone()),
            to: next.clone(),
            action: Some(mv.clone()),
            note: String::new(),
        })?;
        state = next;
    }
    let case = Case {
        id,
        trainee,
        class: class.id,
        state,
        certification: Some(certification),
        events: steps.len() as u32 + 1,
        opened: enrolled,
    };
    w.put(&case)?;
    Ok(Brief::of(&case))
}
