//! The demo city's training-subsidy claims (#21): the shipped sample
//! standard, and a claim for each finished class of the menu's first
//! subsidized classes, walked to every state (草稿, 已申报, 初审通过,
//! 复核通过, 已拨付, and one returned to draft with its reason), plus a
//! claim mistakenly built for a certification class (every line "not a
//! subsidized class"). People not certified in their class are on the
//! rosters as not eligible. Deterministic: classes in (end, id) order.

use super::city::unix;
use crate::domain::subsidy::{Candidate, ClassFacts, Standards, Step};
use crate::domain::*;
use crate::store::subsidy::Roster;
use crate::store::{Result, Stamp, Store};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Who files and who reviews in the demo.
pub const FILER: &str = "机构经办员";
pub const FIRST: &str = "初审员";
pub const SECOND: &str = "复核员";

fn roster(c: &TrainingClass, cases: &[&Case], trainees: &BTreeMap<TraineeId, Trainee>) -> Roster {
    Roster {
        class: c.id,
        institution: c.institution,
        program: c.program,
        facts: ClassFacts {
            kind: c.kind,
            occupation: c.occupation,
            end: c.end,
        },
        status: c.status,
        people: cases
            .iter()
            .map(|k| Candidate {
                case: k.id,
                trainee: k.trainee,
                certified: k.certification.as_ref().map(|x| x.level),
                key_group: trainees
                    .get(&k.trainee)
                    .and_then(|t| t.key_group.as_ref().map(|g| g.to_string())),
            })
            .collect(),
    }
}

/// Put the sample standard in and build the demo's claims.
pub(super) fn build(store: &Store, today: NaiveDate) -> Result<()> {
    let stamp = |op: &str, minute: u32| Stamp {
        operator: op.to_string(),
        at: unix(today, minute),
        today,
    };
    store.set_subsidy_standards(&Standards::sample(), &stamp(super::OPERATOR, 0))?;
    let mut classes: Vec<TrainingClass> = store
        .all::<TrainingClass>()?
        .into_iter()
        .filter(|c| c.status == ClassStatus::Finished)
        .collect();
    classes.sort_by_key(|c| (c.end, c.id));
    let cases = store.all::<Case>()?;
    let trainees: BTreeMap<TraineeId, Trainee> = store.all::<Trainee>()?.into_iter().map(|t| (t.id, t)).collect();
    let of = |c: ClassId| -> Vec<&Case> { cases.iter().filter(|k| k.class == c).collect() };
    let subsidized: Vec<&TrainingClass> = classes.iter().filter(|c| c.kind == ClassKind::Subsidized).collect();
    // The walk of the i-th claim: how far it goes.
    let plan = [4usize, 3, 2, 1, 0, 6];
    let mut minute = 1;
    for (i, class) in subsidized.iter().take(14).enumerate() {
        let people = of(class.id);
        if !people.iter().any(|k| k.certification.is_some()) {
            continue;
        }
        let claim = store.build_claim(&roster(class, &people, &trainees), &stamp(FILER, minute))?;
        minute += 1;
        let mut step = |s: Step, who: &str| -> Result<()> {
            minute += 1;
            store.claim_step(claim.id, &s, None, &stamp(who, minute)).map(|_| ())
        };
        // A claim with nobody eligible (no standard for its trade) stays a draft.
        let reach = if claim.eligible() == 0 { 0 } else { plan[i % plan.len()] };
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
        store.build_claim(&roster(c, &of(c.id), &trainees), &stamp(FILER, minute))?;
    }
    Ok(())
}
