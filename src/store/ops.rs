//! The two writes that must never race: enrolling into a class (seat check)
//! and moving a case (referral headcount check). Each runs in one
//! transaction over every tree it touches and is flushed before it returns.

use super::tx::{Tx, TxResult, abort};
use super::{Result, Store, StoreError, Unavailable};
use crate::domain::rules::{self, Policy};
use crate::domain::*;

/// Who did it and when; kept in the event.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub operator: String,
    /// Unix seconds.
    pub at: i64,
    /// The business date (the simulated date on a demo database).
    pub today: NaiveDate,
}

use chrono::NaiveDate;

impl Tx<'_> {
    /// Move usage counters from `old` to `new` (either may hold a seat, a
    /// referral or a hire).
    pub(crate) fn shift_counters(&self, old: Option<&Case>, new: &Case) -> TxResult<()> {
        let old_seat = old.is_some_and(|c| c.state.holds_seat());
        if old_seat != new.state.holds_seat() {
            let used = self.seats_used(new.class)?;
            let used = if new.state.holds_seat() {
                used + 1
            } else {
                used.saturating_sub(1)
            };
            self.set_seats_used(new.class, used)?;
        }
        let old_ref = old.and_then(|c| c.state.referral());
        let old_hire = old.and_then(|c| c.state.hired());
        let (new_ref, new_hire) = (new.state.referral(), new.state.hired());
        let mut touched: Vec<DemandId> = Vec::new();
        for d in [old_ref, old_hire, new_ref, new_hire].into_iter().flatten() {
            if !touched.contains(&d) {
                touched.push(d);
            }
        }
        for d in touched {
            let mut u = self.demand_usage(d)?;
            if old_ref == Some(d) {
                u.referred = u.referred.saturating_sub(1);
            }
            if old_hire == Some(d) {
                u.hired = u.hired.saturating_sub(1);
            }
            if new_ref == Some(d) {
                u.referred += 1;
            }
            if new_hire == Some(d) {
                u.hired += 1;
            }
            self.set_demand_usage(d, u)?;
        }
        Ok(())
    }
}

/// The database setting of how far into a class enrollment stays open
/// (a share of its days, 0 to 1; see `rules::Policy`).
pub const META_ENROLL_SHARE: &str = "policy.enroll_share";

impl Store {
    /// The program's rules as this database sets them.
    pub fn policy(&self) -> Policy {
        let mut p = Policy::default();
        if let Ok(Some(v)) = self.meta(META_ENROLL_SHARE)
            && let Ok(share) = v.trim().parse::<f32>()
            && (0.0..=1.0).contains(&share)
        {
            p.enroll_share = share;
        }
        p
    }

    /// Enroll a trainee into a class: checks the class takes enrollments and
    /// has a seat left, opens the case and writes its first event, all in one
    /// transaction.
    pub fn enroll(&self, trainee: TraineeId, class: ClassId, stamp: &Stamp, note: &str) -> Result<Case> {
        let case_id = CaseId(self.new_id()?);
        let policy = self.policy();
        self.transact(|tx| {
            let person = tx.need::<Trainee>(trainee.0, trainee.to_string())?;
            let cls = tx.need::<TrainingClass>(class.0, class.to_string())?;
            if !cls.status.accepts_enrollment() {
                return abort(StoreError::ClassClosed {
                    class,
                    status: cls.status,
                });
            }
            // The class's dates and the person's age, by the program's rules
            // (a warning past retirement age is the caller's to confirm).
            if let Err(e) = rules::enrollable(&cls, stamp.today, &policy) {
                return abort(e.into());
            }
            if let Err(e) = rules::check_age(&person.id_number, &cls, &policy) {
                return abort(e.into());
            }
            let used = tx.seats_used(class)?;
            if used >= cls.capacity {
                return abort(StoreError::ClassFull {
                    class,
                    used,
                    capacity: cls.capacity,
                });
            }
            let case = Case {
                id: case_id,
                trainee,
                class,
                state: CaseState::Enrolled,
                certification: None,
                events: 1,
                opened: stamp.today,
            };
            if let Err((_, holder)) = tx.put(None, &case)? {
                return abort(StoreError::AlreadyEnrolled {
                    trainee,
                    class,
                    case: CaseId(holder),
                });
            }
            tx.shift_counters(None, &case)?;
            tx.put_event(&Event {
                case: case_id,
                seq: 0,
                at: stamp.at,
                operator: stamp.operator.clone(),
                from: None,
                to: CaseState::Enrolled,
                action: None,
                note: note.to_string(),
            })?;
            Ok(case)
        })
    }

    /// Move a case one step. Refusals name the rule; a referral checks the
    /// demand is open, has a free post and that the certified level meets it.
    pub fn transition(&self, case: CaseId, mv: Move, stamp: &Stamp, note: &str) -> Result<Case> {
        self.transact(|tx| tx.step(case, &mv, stamp, note))
    }

    /// Move many cases the same step (a whole class), in one transaction:
    /// every case moves, or none does.
    pub fn transition_many(&self, cases: &[CaseId], mv: Move, stamp: &Stamp, note: &str) -> Result<Vec<Case>> {
        self.transact(|tx| cases.iter().map(|c| tx.step(*c, &mv, stamp, note)).collect())
    }

    /// Move each case its own step with its own note (a results sheet), in
    /// one transaction: every case moves, or none does.
    pub fn transition_each(&self, steps: &[(CaseId, Move, String)], stamp: &Stamp) -> Result<Vec<Case>> {
        self.transact(|tx| steps.iter().map(|(c, mv, note)| tx.step(*c, mv, stamp, note)).collect())
    }
}

impl Tx<'_> {
    /// One case's step, inside a transaction: the state machine, the class's
    /// dates and the scores, the referral's headcount and level, the
    /// counters, the demand's status and the event.
    fn step(&self, case: CaseId, mv: &Move, stamp: &Stamp, note: &str) -> TxResult<Case> {
        let tx = self;
        let mv = mv.clone();
        let old = tx.need::<Case>(case.0, case.to_string())?;
        let state = match next_state(&old.state, &mv) {
            Ok(s) => s,
            Err(source) => return abort(StoreError::Transition { case, source }),
        };
        // Class dates, and a result that agrees with its scores.
        let cls = tx.need::<TrainingClass>(old.class.0, old.class.to_string())?;
        let cx = rules::StepContext {
            class: &cls,
            today: stamp.today,
            note,
        };
        if let Err(e) = rules::check_step(&mv, &cx) {
            return abort(e.into());
        }
        if mv == Move::NotHireFor(crate::domain::aftercare::NotHiredReason::Other) && note.trim().is_empty() {
            return abort(StoreError::Aftercare {
                case,
                source: crate::domain::aftercare::AftercareError::OtherNeedsText,
            });
        }
        let mut new = old.clone();
        new.state = state;
        match &mv {
            Move::Certify {
                level,
                certificate,
                evaluation,
            } => {
                new.certification = Some(Certification {
                    level: *level,
                    certificate: certificate.trim().into(),
                    evaluation: evaluation.clone(),
                    date: stamp.today,
                });
            }
            Move::Refer(d) => {
                let demand = tx.need::<JobDemand>(d.0, d.to_string())?;
                if demand.status != DemandStatus::Open {
                    return abort(StoreError::DemandUnavailable {
                        demand: *d,
                        why: Unavailable::Status(demand.status),
                    });
                }
                let u = tx.demand_usage(*d)?;
                if u.taken() >= demand.headcount {
                    return abort(StoreError::DemandUnavailable {
                        demand: *d,
                        why: Unavailable::Taken {
                            headcount: demand.headcount,
                            referred: u.referred,
                            hired: u.hired,
                        },
                    });
                }
                if let (Some(required), Some(cert)) = (demand.min_level, &old.certification)
                    && !cert.level.meets(required)
                {
                    return abort(StoreError::LevelTooLow {
                        demand: *d,
                        required,
                        has: cert.level,
                    });
                }
            }
            _ => {}
        }
        new.events = old.events + 1;
        if let Err((tree, holder)) = tx.put(Some(&old), &new)? {
            return abort(StoreError::Corrupt {
                path: tx.path.to_path_buf(),
                detail: format!("{} is held by {holder} while moving case {case}", tree.name()),
            });
        }
        tx.shift_counters(Some(&old), &new)?;
        if let CaseState::Employed(d) = new.state {
            let mut demand = tx.need::<JobDemand>(d.0, d.to_string())?;
            let u = tx.demand_usage(d)?;
            if u.hired >= demand.headcount && demand.status == DemandStatus::Open {
                let before = demand.clone();
                demand.status = DemandStatus::Filled;
                let _ = tx.put(Some(&before), &demand)?;
            }
        }
        tx.put_event(&Event {
            case,
            seq: old.events,
            at: stamp.at,
            operator: stamp.operator.clone(),
            from: Some(old.state.clone()),
            to: new.state.clone(),
            action: Some(mv.clone()),
            note: note.to_string(),
        })?;
        Ok(new)
    }
}
