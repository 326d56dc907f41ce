//! Follow-ups, notes and corrections: events of the case's one chain,
//! each written in one transaction that reads the chain, checks the new
//! event with `domain::aftercare`, moves the counters a correction moves
//! and is flushed before it returns.

use super::ops::Stamp;
use super::record::{demand_status, event_key};
use super::run::run_key;
use super::tx::{Tx, TxResult, abort};
use super::{Result, Store, StoreError, TreeName};
use crate::domain::aftercare::{self as ac, AftercareError, Chain, CorrectionRight, FollowUpOutcome, Schedule, Slot};
use crate::domain::*;

/// The database setting of the follow-ups a hire schedules, in months
/// after the hire date (`3,6` by default; see `aftercare::Schedule`).
pub const META_FOLLOWUP_MONTHS: &str = "policy.followup_months";

impl Store {
    /// The follow-up schedule as this database sets it.
    pub fn schedule(&self) -> Schedule {
        self.meta(META_FOLLOWUP_MONTHS)
            .ok()
            .flatten()
            .and_then(|v| Schedule::parse(&v))
            .unwrap_or_default()
    }

    /// Add a note to a case: its text trimmed, at most
    /// `aftercare::MAX_NOTE_CHARS`; the state does not change.
    pub fn add_note(&self, case: CaseId, stamp: &Stamp, text: &str) -> Result<Case> {
        let text = ac::check_note(text).map_err(|source| StoreError::Aftercare { case, source })?;
        self.transact(|tx| {
            let old = tx.need::<Case>(case.0, case.to_string())?;
            tx.append(&old, &old, Move::Note, stamp, &text)
        })
    }

    /// Record the follow-up `months` after the hire: it must be in the
    /// schedule, due (the business date on or after its due date) and
    /// still open.
    pub fn follow_up(
        &self,
        case: CaseId,
        months: u8,
        outcome: FollowUpOutcome,
        wage: Option<u32>,
        stamp: &Stamp,
        note: &str,
    ) -> Result<Case> {
        let schedule = self.schedule();
        let fail = |source| StoreError::Aftercare { case, source };
        if !schedule.months().contains(&months) {
            return Err(fail(AftercareError::NotScheduled {
                months,
                schedule: schedule.text(),
            }));
        }
        if let Some(w) = wage
            && !(1..=ac::MAX_WAGE).contains(&w)
        {
            return Err(fail(AftercareError::Wage(w)));
        }
        self.transact(|tx| {
            let old = tx.need::<Case>(case.0, case.to_string())?;
            let (chain, _) = tx.chain(&old)?;
            let Some(care) = chain.aftercare.as_ref() else {
                return abort(fail(AftercareError::NotEmployed(old.state.clone())));
            };
            match care.slot(months) {
                Slot::Open { due, .. } if due > stamp.today => {
                    return abort(fail(AftercareError::NotDue { months, due }));
                }
                Slot::Open { .. } => {}
                _ => return abort(fail(AftercareError::Closed { months })),
            }
            let mv = Move::FollowUp {
                months,
                outcome: outcome.clone(),
                wage,
            };
            tx.append(&old, &old, mv, stamp, note)
        })
    }

    /// Undo the case's latest step or follow-up (event `undoes`) with a
    /// compensating event: the state goes back to where that step started,
    /// the seat and post counters and the demand's status follow, and a
    /// state that takes a seat or a post again checks there is one.
    pub fn correct(
        &self,
        case: CaseId,
        undoes: u32,
        reason: &str,
        right: CorrectionRight<'_>,
        stamp: &Stamp,
    ) -> Result<Case> {
        let fail = |source| StoreError::Aftercare { case, source };
        if reason.trim().is_empty() {
            return Err(fail(AftercareError::ReasonMissing));
        }
        self.transact(|tx| {
            let old = tx.need::<Case>(case.0, case.to_string())?;
            let (chain, events) = tx.chain(&old)?;
            let (latest, back) = match ac::correction_target(&chain, &events) {
                Ok(t) => t,
                Err(e) => return abort(fail(e)),
            };
            if latest != undoes {
                return abort(fail(AftercareError::NotLatest { latest, asked: undoes }));
            }
            let target = &events[latest as usize];
            if let Err(e) = ac::may_correct(right, target) {
                return abort(fail(e));
            }
            let mut new = old.clone();
            new.state = back;
            if matches!(target.action, Some(Move::Certify { .. })) {
                new.certification = None;
            }
            tx.room_for(&old, &new)?;
            let mv = Move::Correct {
                undoes,
                reason: reason.trim().to_string(),
            };
            tx.append(&old, &new, mv, stamp, "")
        })
    }
}

impl Tx<'_> {
    /// A case's events, read one by one (a transaction has no range scan).
    pub(crate) fn events_of(&self, case: &Case) -> TxResult<Vec<Event>> {
        let corrupt = |detail: String| {
            abort(StoreError::Corrupt {
                path: self.path.to_path_buf(),
                detail,
            })
        };
        // The case's run of events (a bulk load's), then single events.
        let run = run_key(case.id);
        let mut out = match self.tree(TreeName::Events).get(run)? {
            Some(v) => match super::run::decode_item(&run, &v) {
                Ok(evs) => evs,
                Err(e) => return corrupt(format!("events of case {}: {e}", case.id)),
            },
            None => Vec::with_capacity(case.events as usize),
        };
        let from = u32::try_from(out.len()).unwrap_or(u32::MAX);
        for seq in from..case.events {
            let key = event_key(case.id, seq);
            let Some(v) = self.tree(TreeName::Events).get(key)? else {
                return corrupt(format!("case {} lacks its event {seq}", case.id));
            };
            match super::run::decode_item(&key, &v) {
                Ok(evs) => out.extend(evs),
                Err(e) => return corrupt(format!("event {}/{seq}: {e}", case.id)),
            }
        }
        Ok(out)
    }

    /// A case's chain as its events read, with the events.
    fn chain(&self, case: &Case) -> TxResult<(Chain, Vec<Event>)> {
        let events = self.events_of(case)?;
        match ac::replay(&events) {
            Ok(chain) => Ok((chain, events)),
            Err(e) => abort(StoreError::Corrupt {
                path: self.path.to_path_buf(),
                detail: format!("case {}: {e}", case.id),
            }),
        }
    }

    /// A state a correction returns to must find its seat and its post
    /// still free.
    fn room_for(&self, old: &Case, new: &Case) -> TxResult<()> {
        if new.state.holds_seat() && !old.state.holds_seat() {
            let cls = self.need::<TrainingClass>(new.class.0, new.class.to_string())?;
            let used = self.seats_used(new.class)?;
            if used >= cls.capacity {
                return abort(StoreError::ClassFull {
                    class: new.class,
                    used,
                    capacity: cls.capacity,
                });
            }
        }
        if let Some(d) = new.state.referral()
            && old.state.referral() != Some(d)
            && old.state.hired() != Some(d)
        {
            let demand = self.need::<JobDemand>(d.0, d.to_string())?;
            let u = self.demand_usage(d)?;
            if demand.status == DemandStatus::Closed {
                return abort(StoreError::DemandUnavailable {
                    demand: d,
                    why: crate::store::error::Unavailable::Status(demand.status),
                });
            }
            if u.taken() >= demand.headcount {
                return abort(StoreError::DemandUnavailable {
                    demand: d,
                    why: crate::store::error::Unavailable::Taken {
                        headcount: demand.headcount,
                        referred: u.referred,
                        hired: u.hired,
                    },
                });
            }
        }
        Ok(())
    }

    /// Write `new` over `old` and its event: indexes, counters, the status
    /// of a demand whose hires moved.
    fn append(&self, old: &Case, new: &Case, mv: Move, stamp: &Stamp, note: &str) -> TxResult<Case> {
        let mut new = new.clone();
        new.events = old.events + 1;
        if let Err((_, holder)) = self.put(Some(old), &new)? {
            return abort(StoreError::AlreadyEnrolled {
                trainee: new.trainee,
                class: new.class,
                case: CaseId(holder),
            });
        }
        self.shift_counters(Some(old), &new)?;
        for d in old.state.hired().into_iter().chain(new.state.hired()) {
            let mut demand = self.need::<JobDemand>(d.0, d.to_string())?;
            let want = demand_status(demand.status, self.demand_usage(d)?.hired, demand.headcount);
            if want != demand.status {
                let before = demand.clone();
                demand.status = want;
                let _ = self.put(Some(&before), &demand)?;
            }
        }
        self.put_event(&Event {
            case: new.id,
            seq: old.events,
            at: stamp.at,
            operator: stamp.operator.clone(),
            from: Some(old.state.clone()),
            to: new.state.clone(),
            action: Some(mv),
            note: note.to_string(),
        })?;
        Ok(new)
    }
}
