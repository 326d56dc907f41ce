//! The generator: invented people, firms and schools, and the cases they
//! walk, written through the bulk writer.

use super::tables::program_for;
use super::{OPERATOR, names};
use crate::domain::*;
use crate::rng::Rng;
use crate::store::bulk::BulkWriter;
use crate::store::{DemandUsage, Result};
use chrono::{Datelike, Duration, NaiveDate};
use std::collections::{HashMap, HashSet};

pub(super) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

pub(super) fn status_on(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> ClassStatus {
    if end < today {
        ClassStatus::Finished
    } else if start <= today {
        ClassStatus::Running
    } else if (start - today).num_days() <= 30 {
        ClassStatus::Open
    } else {
        ClassStatus::Planned
    }
}

pub(super) fn unix(d: NaiveDate, minute: u32) -> i64 {
    d.and_hms_opt(9 + minute / 60 % 8, minute % 60, 0)
        .map(|t| t.and_utc().timestamp() - 8 * 3600)
        .unwrap_or(0)
}

pub(super) struct Gen<'a> {
    pub(super) rng: Rng,
    pub(super) w: BulkWriter<'a>,
    pub(super) today: NaiveDate,
    pub(super) ids: HashSet<String>,
    pub(super) mobiles: HashSet<String>,
    pub(super) demands: Vec<JobDemand>,
    pub(super) usage: HashMap<DemandId, DemandUsage>,
    pub(super) cert_seq: u32,
    /// What was written of people and cases (see [`Book`]).
    pub(super) book: Book,
}

/// What the generator keeps of the people and cases it writes, so that the
/// steps after it (seat counters, wishes, claims) need not read every
/// trainee and case back and decode it: at a million trainees those reads
/// were seconds each and most of the build's peak memory.
#[derive(Default)]
pub(super) struct Book {
    /// Every trainee written, and whether they have a mobile, in the order
    /// written (which is id order).
    pub(super) people: Vec<(TraineeId, bool)>,
    /// Every case written, in the order written (which is id order).
    pub(super) cases: Vec<Brief>,
}

/// The facts of a case the steps after the generator read.
#[derive(Debug, Clone, Copy)]
pub(super) struct Brief {
    pub(super) id: CaseId,
    pub(super) trainee: TraineeId,
    pub(super) class: ClassId,
    pub(super) holds_seat: bool,
    /// The level of its certificate, if it has one.
    pub(super) certified: Option<SkillLevel>,
}

impl Brief {
    pub(super) fn of(c: &Case) -> Brief {
        Brief {
            id: c.id,
            trainee: c.trainee,
            class: c.class,
            holds_seat: c.state.holds_seat(),
            certified: c.certification.as_ref().map(|x| x.level),
        }
    }
}

impl Book {
    /// Seat-holding cases per class (the classes' seat counters).
    pub(super) fn seats(&self) -> HashMap<ClassId, u32> {
        let mut seats: HashMap<ClassId, u32> = HashMap::new();
        for c in self.cases.iter().filter(|c| c.holds_seat) {
            *seats.entry(c.class).or_default() += 1;
        }
        seats
    }
}

impl Gen<'_> {
    pub(super) fn id(&self) -> Result<u64> {
        self.w.new_id()
    }

    /// Write a trainee, noted in the book.
    pub(super) fn put_trainee(&mut self, t: &Trainee) -> Result<()> {
        self.book.people.push((t.id, t.mobile.is_some()));
        self.w.put(t)
    }

    /// Write a case, noted in the book.
    pub(super) fn put_case(&mut self, c: &Case) -> Result<()> {
        self.book.cases.push(Brief::of(c));
        self.w.put(c)
    }

    pub(super) fn person(
        &mut self,
        region: RegionId,
        wanted: Vec<OccupationId>,
        created: NaiveDate,
    ) -> Result<Trainee> {
        let male = self.rng.chance(0.55);
        let surname = *self.rng.pick(names::SURNAMES);
        let given = if male {
            *self.rng.pick(names::GIVEN_MALE)
        } else {
            *self.rng.pick(names::GIVEN_FEMALE)
        };
        let age = self.rng.range(18, 58) as i32;
        let key_group = match self.rng.below(10) {
            0..=3 => None,
            4 if age <= 25 => Some(0),
            4..=6 => Some(1),
            7 => Some(2),
            8 => Some(3),
            _ => Some(self.rng.range(4, 5) as usize),
        };
        let address = match self.rng.below(10) {
            // Locals: the district's own code (the two zones use a parent district's).
            0..=5 => {
                let r = region.get().map(|r| r.code).unwrap_or("321102");
                // A zone without an administrative code of its own.
                if r.starts_with("ZJ") || r == "321171" || r.len() != 6 || !r.bytes().all(|b| b.is_ascii_digit()) {
                    "321102"
                } else {
                    r
                }
            }
            // An abolished code (丹徒县) still on old cards.
            6 => "321121",
            // Rural migrants from elsewhere in Jiangsu and from Anhui.
            7 => *self.rng.pick(&["320830", "321324", "320722", "321283"]),
            _ => *self.rng.pick(&["341221", "341125", "342422", "411527"]),
        };
        let id_number = loop {
            let birth = date(self.today.year() - age, 1, 1) + Duration::days(self.rng.below(365) as i64);
            let mut seq = self.rng.range(0, 999) as u16;
            // 17th digit: odd for men, even for women.
            if (seq % 2 == 1) != male {
                seq = if seq == 999 { 998 } else { seq + 1 };
            }
            if let Some(n) = IdNumber::from_parts(address, birth, seq)
                && self.ids.insert(n.as_str().to_string())
            {
                break n;
            }
        };
        let mobile = if self.rng.chance(0.92) {
            loop {
                let prefix = *self.rng.pick(&[
                    "139", "138", "137", "136", "135", "158", "159", "187", "188", "151", "152", "177", "180", "189",
                    "199",
                ]);
                let m = format!("{prefix}{:08}", self.rng.below(100_000_000));
                if self.mobiles.insert(m.clone()) {
                    break Mobile::parse(&m).ok();
                }
            }
        } else {
            None
        };
        Ok(Trainee {
            id: TraineeId(self.id()?),
            name: format!("{surname}{given}").into(),
            id_number,
            mobile,
            key_group: key_group
                .and_then(|i| catalog::DEFAULT_KEY_GROUPS.get(i))
                .map(|g| g.0.into()),
            region,
            wanted: wanted.into(),
            created,
        })
    }

    /// Pick a demand that can take a referral for this case.
    pub(super) fn demand_for(&mut self, class: &TrainingClass, level: SkillLevel) -> Option<DemandId> {
        let fits = |d: &JobDemand, usage: &HashMap<DemandId, DemandUsage>| {
            d.status == DemandStatus::Open
                && class.occupation.relation_to(d.occupation).is_some()
                && d.min_level.is_none_or(|m| level.meets(m))
                && usage.get(&d.id).copied().unwrap_or_default().taken() < d.headcount
        };
        if let Some(d) = class
            .linked_demands
            .iter()
            .filter_map(|id| self.demands.iter().find(|d| d.id == *id))
            .find(|d| fits(d, &self.usage))
        {
            return Some(d.id);
        }
        // Each candidate with its district, gathered in one pass (looking
        // each one's district up again was a scan of every demand per
        // candidate).
        let fitting: Vec<(DemandId, RegionId)> = self
            .demands
            .iter()
            .filter(|d| fits(d, &self.usage))
            .map(|d| (d.id, d.region))
            .collect();
        if fitting.is_empty() {
            return None;
        }
        let candidates: Vec<DemandId> = fitting.iter().map(|(id, _)| *id).collect();
        // Same district first, as an operator would.
        let local: Vec<DemandId> = fitting
            .iter()
            .filter(|(_, region)| *region == class.region)
            .map(|(id, _)| *id)
            .collect();
        let pool = if local.is_empty() || self.rng.chance(0.3) {
            &candidates
        } else {
            &local
        };
        Some(*self.rng.pick(pool))
    }

    /// Write one case with a legal event chain ending where the class's
    /// status and chance put it.
    pub(super) fn case(&mut self, trainee: &Trainee, class: &TrainingClass) -> Result<()> {
        let case_id = CaseId(self.id()?);
        let enrolled_on = (class.start - Duration::days(self.rng.range(3, 25) as i64)).min(self.today);
        let mut steps: Vec<(NaiveDate, Move)> = Vec::new();
        let clamp = |d: NaiveDate, today: NaiveDate| d.min(today);
        match class.status {
            ClassStatus::Planned | ClassStatus::Open => {
                if self.rng.chance(0.05) {
                    steps.push((
                        clamp(enrolled_on + Duration::days(5), self.today),
                        withdraw("found a job on their own"),
                    ));
                }
            }
            ClassStatus::Running => {
                let r = self.rng.below(100);
                if r >= 7 {
                    steps.push((class.start, Move::StartTraining));
                }
                if r >= 95 {
                    steps.push((
                        clamp(class.start + Duration::days(7), self.today),
                        withdraw("family reasons"),
                    ));
                }
            }
            ClassStatus::Finished | ClassStatus::Cancelled => {
                steps.push((class.start, Move::StartTraining));
                let r = self.rng.below(100);
                if r < 5 {
                    steps.push((class.start + Duration::days(10), withdraw("left the city")));
                } else {
                    steps.push((class.end, Move::SendToEvaluation));
                    let eval_day = clamp(class.end + Duration::days(self.rng.range(3, 10) as i64), self.today);
                    if r < 20 {
                        // awaiting evaluation
                    } else if r < 30 {
                        steps.push((
                            eval_day,
                            Move::Fail {
                                evaluation: self.scores(false, class.target_level),
                            },
                        ));
                        if self.rng.chance(0.3) {
                            steps.push((clamp(eval_day + Duration::days(7), self.today), Move::Retake));
                        }
                    } else {
                        let level = class.target_level;
                        self.cert_seq += 1;
                        let certificate =
                            format!("ZJ{}{:02}{:06}", class.end.year(), class.occupation.0, self.cert_seq);
                        steps.push((
                            eval_day,
                            Move::Certify {
                                level,
                                certificate,
                                evaluation: self.scores(true, level),
                            },
                        ));
                        let r2 = self.rng.below(100);
                        if r2 >= 35
                            && let Some(d) = self.demand_for(class, level)
                        {
                            let refer_day = clamp(eval_day + Duration::days(self.rng.range(2, 12) as i64), self.today);
                            let u = self.usage.entry(d).or_default();
                            steps.push((refer_day, Move::Refer(d)));
                            let outcome_day =
                                clamp(refer_day + Duration::days(self.rng.range(5, 15) as i64), self.today);
                            if r2 < 60 {
                                u.referred += 1;
                            } else if r2 < 68 {
                                // The reason from the case's number: the generator's
                                // stream stays as it was (#18).
                                steps.push((outcome_day, Move::NotHireFor(not_hired_reason(case_id))));
                            } else {
                                u.hired += 1;
                                steps.push((outcome_day, Move::Hire));
                            }
                        }
                    }
                }
            }
        }
        let mut state = CaseState::Enrolled;
        let mut cert = None;
        self.w.put_event(&Event {
            case: case_id,
            seq: 0,
            at: unix(enrolled_on, self.rng.range(0, 400)),
            operator: OPERATOR.into(),
            from: None,
            to: CaseState::Enrolled,
            action: None,
            note: String::new(),
        })?;
        for (i, (day, mv)) in steps.iter().enumerate() {
            let next = next_state(&state, mv).map_err(|e| crate::store::StoreError::Transition {
                case: case_id,
                source: e,
            })?;
            if let Move::Certify {
                level,
                certificate,
                evaluation,
            } = mv
            {
                cert = Some(Certification {
                    level: *level,
                    certificate: certificate.clone().into(),
                    evaluation: evaluation.clone(),
                    date: *day,
                });
            }
            self.w.put_event(&Event {
                case: case_id,
                seq: i as u32 + 1,
                at: unix(*day, self.rng.range(0, 400)),
                operator: OPERATOR.into(),
                from: Some(state.clone()),
                to: next.clone(),
                action: Some(mv.clone()),
                note: String::new(),
            })?;
            state = next;
        }
        self.put_case(&Case {
            id: case_id,
            trainee: trainee.id,
            class: class.id,
            state,
            certification: cert,
            events: steps.len() as u32 + 1,
            opened: enrolled_on,
        })
    }

    pub(super) fn scores(&mut self, pass: bool, level: SkillLevel) -> Evaluation {
        if pass {
            Evaluation {
                theory: self.rng.range(60, 98) as u8,
                practical: self.rng.range(60, 98) as u8,
                panel: level.needs_panel(),
            }
        } else {
            Evaluation {
                theory: self.rng.range(30, 75) as u8,
                practical: self.rng.range(25, 59) as u8,
                panel: false,
            }
        }
    }
}

pub(super) fn withdraw(reason: &str) -> Move {
    Move::Withdraw { reason: reason.into() }
}

pub(super) fn regular_class(
    g: &mut Gen<'_>,
    institutions: &[Institution],
    occ: OccupationId,
    start: NaiveDate,
    end: NaiveDate,
    capacity: u32,
) -> Result<TrainingClass> {
    let inst = &institutions[g.rng.below(institutions.len() as u64) as usize];
    let kind = if g.rng.chance(0.6) {
        ClassKind::Subsidized
    } else {
        ClassKind::Certification
    };
    let roll = g.rng.below(10);
    let target_level = if kind == ClassKind::Subsidized {
        if roll <= 5 { SkillLevel::L5 } else { SkillLevel::L4 }
    } else {
        match roll {
            0..=4 => SkillLevel::L4,
            5..=8 => SkillLevel::L3,
            _ => SkillLevel::L2,
        }
    };
    Ok(TrainingClass {
        id: ClassId(g.id()?),
        name: TrainingClass::default_name(occ, kind, inst.region.get().map(|r| r.short_zh).unwrap_or(""), start),
        institution: inst.id,
        occupation: occ,
        region: inst.region,
        kind,
        program: program_for(&mut g.rng, occ.0),
        quarter: Quarter::of(start),
        start,
        end,
        capacity,
        target_level,
        linked_demands: vec![],
        status: status_on(start, end, g.today),
    })
}

/// A not-hired reason for a demo case, read from its number (not drawn,
/// so the rest of the city stays as it was): 其他 needs words the demo
/// does not invent, so it is left out.
pub(super) fn not_hired_reason(case: CaseId) -> crate::domain::aftercare::NotHiredReason {
    crate::domain::aftercare::NotHiredReason::ALL[(Rng(case.0).next_u64() % 4) as usize]
}
