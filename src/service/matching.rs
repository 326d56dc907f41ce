//! Explainable pairing: every result carries the reasons it ranks where it does.

use super::data::Data;
use crate::domain::catalog::Relation;
use crate::domain::rules::{self, Policy};
use crate::domain::*;
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClassReason {
    /// A project-based class built on this very demand.
    BuiltOnDemand,
    SameTrade,
    RelatedTrade(OccupationId),
    SameDistrict,
    OtherDistrict(RegionId),
    StartsIn(i64),
    /// Already running for this many days.
    Running(i64),
    Stars(u8),
    SeatsLeft(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassMatch {
    pub class: ClassId,
    pub score: i64,
    pub reasons: Vec<ClassReason>,
}

/// Open classes for a demand: same or related trade, seats left, still
/// taking enrollments; ranked by project link, trade, district, start, stars.
pub fn classes_for_demand(data: &Data, demand: DemandId, today: NaiveDate, policy: &Policy) -> Vec<ClassMatch> {
    let Some(d) = data.demands.get(&demand) else {
        return Vec::new();
    };
    let mut out: Vec<ClassMatch> = data
        .classes
        .values()
        .filter(|c| rules::enrollable(c, today, policy).is_ok() && data.seats_left(c) > 0)
        .filter_map(|c| {
            let rel = c.occupation.relation_to(d.occupation)?;
            let mut score = 0i64;
            let mut reasons = Vec::new();
            if c.linked_demands.contains(&demand) {
                score += 1000;
                reasons.push(ClassReason::BuiltOnDemand);
            }
            match rel {
                Relation::Same => {
                    score += 300;
                    reasons.push(ClassReason::SameTrade);
                }
                Relation::Related => {
                    // Below a same-trade class in another district.
                    score += 50;
                    reasons.push(ClassReason::RelatedTrade(c.occupation));
                }
            }
            if c.region == d.region {
                score += 200;
                reasons.push(ClassReason::SameDistrict);
            } else {
                reasons.push(ClassReason::OtherDistrict(c.region));
            }
            let days = (c.start - today).num_days();
            if days >= 0 {
                score += (120 - days).max(0);
                reasons.push(ClassReason::StartsIn(days));
            } else {
                score += 20;
                reasons.push(ClassReason::Running(-days));
            }
            let stars = data.institution(c.institution).map(|i| i.stars).unwrap_or(0);
            score += i64::from(stars) * 20;
            reasons.push(ClassReason::Stars(stars));
            let left = data.seats_left(c);
            score += i64::from(left.min(20));
            reasons.push(ClassReason::SeatsLeft(left));
            Some(ClassMatch {
                class: c.id,
                score,
                reasons,
            })
        })
        .collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then(a.class.cmp(&b.class)));
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemandReason {
    SameTrade,
    RelatedTrade(OccupationId),
    /// The trainee's level against the demand's minimum (if any).
    Level(SkillLevel, Option<SkillLevel>),
    SameDistrict,
    OtherDistrict(RegionId),
    Wage(u32, u32),
    PostsOpen(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemandMatch {
    pub demand: DemandId,
    pub score: i64,
    pub reasons: Vec<DemandReason>,
}

/// Open demands for a certified (or not-hired) case: same or related trade,
/// level at least the demand's minimum, a free post; ranked by trade,
/// district and wage.
pub fn demands_for_case(data: &Data, case: CaseId) -> Vec<DemandMatch> {
    let Some(c) = data.cases.get(&case) else {
        return Vec::new();
    };
    let (Some(class), Some(cert)) = (data.classes.get(&c.class), c.certification.as_ref()) else {
        return Vec::new();
    };
    let home = data.trainees.get(&c.trainee).map(|t| t.region).unwrap_or(class.region);
    let previous = match c.state {
        CaseState::NotHired(d) => Some(d),
        _ => None,
    };
    let mut out: Vec<DemandMatch> = data
        .demands
        .values()
        .filter(|d| d.status == DemandStatus::Open && data.posts_open(d) > 0 && Some(d.id) != previous)
        .filter(|d| d.min_level.is_none_or(|m| cert.level.meets(m)))
        .filter_map(|d| {
            let rel = class.occupation.relation_to(d.occupation)?;
            let mut score = 0i64;
            let mut reasons = Vec::new();
            match rel {
                Relation::Same => {
                    score += 300;
                    reasons.push(DemandReason::SameTrade);
                }
                Relation::Related => {
                    score += 100;
                    reasons.push(DemandReason::RelatedTrade(d.occupation));
                }
            }
            reasons.push(DemandReason::Level(cert.level, d.min_level));
            if d.region == home {
                score += 200;
                reasons.push(DemandReason::SameDistrict);
            } else {
                reasons.push(DemandReason::OtherDistrict(d.region));
            }
            score += i64::from(d.wage_max / 100);
            reasons.push(DemandReason::Wage(d.wage_min, d.wage_max));
            reasons.push(DemandReason::PostsOpen(data.posts_open(d)));
            Some(DemandMatch {
                demand: d.id,
                score,
                reasons,
            })
        })
        .collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then(a.demand.cmp(&b.demand)));
    out
}
