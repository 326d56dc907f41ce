//! After the job, through the service: notes, follow-ups, corrections and
//! not-hired reasons, each checked against the one asking (role and
//! district) and written as one store transaction; the follow-ups due.

use super::data::Data;
use super::{Actor, Result, Service, access};
use crate::domain::aftercare::{self as ac, Aftercare, CorrectionRight, FollowUpOutcome, NotHiredReason, Schedule};
use crate::domain::*;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;

/// A follow-up that is due: the earliest open one of an employed case
/// whose due date has come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueFollowUp {
    pub case: CaseId,
    pub trainee: TraineeId,
    pub demand: DemandId,
    pub hired: NaiveDate,
    pub months: u8,
    pub due: NaiveDate,
    /// Attempts so far that did not reach the person.
    pub attempts: u8,
    /// Days past the due date (0 on the day).
    pub overdue_days: i64,
}

impl Data {
    /// Read the follow-ups of every employed case, and the not-hired steps
    /// of every case that may have one, from their events.
    ///
    /// Rebuilt at every start rather than kept in a tree of its own: the
    /// events stay the one record. Measured on the demo city of 100,000
    /// trainees (5,575 cases read, a debug build on a shared 2-core
    /// machine): 0.8–1.9 s, against 7–12 s for reading the records of the
    /// same start. `benches/aftercare.rs` measures it in release;
    /// `SKILLBRIDGE_TIMING=1` prints it at every start.
    pub fn load_aftercare(&mut self, store: &Store) -> Result<()> {
        let t0 = std::time::Instant::now();
        let read: Vec<CaseId> = self
            .cases
            .values()
            .filter(|c| may_have_aftercare(&c.state))
            .map(|c| c.id)
            .collect();
        self.aftercare.clear();
        self.not_hired.clear();
        let n = read.len();
        for id in read {
            let chain = read_chain(store, id)?;
            self.keep_chain(id, chain);
        }
        if std::env::var_os("SKILLBRIDGE_TIMING").is_some() {
            eprintln!(
                "follow-ups and not-hired steps of {n} cases read from their events in {:?}",
                t0.elapsed()
            );
        }
        Ok(())
    }

    /// Keep what a case's chain says after the job.
    fn keep_chain(&mut self, id: CaseId, chain: Option<ac::Chain>) {
        let (care, not_hired) = chain.map(|c| (c.aftercare, c.not_hired)).unwrap_or_default();
        match care {
            Some(a) => self.aftercare.insert(id, a),
            None => self.aftercare.remove(&id),
        };
        if not_hired.is_empty() {
            self.not_hired.remove(&id);
        } else {
            self.not_hired.insert(id, not_hired);
        }
    }

    /// The follow-ups due on `today` for the cases `keep` lets through,
    /// oldest due date first.
    pub fn follow_ups_due(
        &self,
        schedule: &Schedule,
        today: NaiveDate,
        keep: impl Fn(&Case) -> bool,
    ) -> Vec<DueFollowUp> {
        let mut out: Vec<DueFollowUp> = self
            .aftercare
            .iter()
            .filter_map(|(id, a)| {
                let case = self.cases.get(id).filter(|c| keep(c))?;
                let (months, due, attempts) = a.next_open(schedule)?;
                (due <= today).then(|| DueFollowUp {
                    case: *id,
                    trainee: case.trainee,
                    demand: a.demand,
                    hired: a.hired,
                    months,
                    due,
                    attempts,
                    overdue_days: (today - due).num_days(),
                })
            })
            .collect();
        out.sort_by_key(|d| (d.due, d.case));
        out
    }
}

/// Whether a case in `state` can have follow-ups or a standing not-hired
/// step: a referral came before it (a correction only undoes the latest
/// step, so a standing not-hired step leaves the case referred, not hired,
/// employed or withdrawn).
fn may_have_aftercare(state: &CaseState) -> bool {
    matches!(
        state.kind(),
        StateKind::Referred | StateKind::NotHired | StateKind::Employed | StateKind::Withdrawn
    )
}

/// One case's chain as its events read (`None` when it cannot have
/// anything after the job).
fn read_chain(store: &Store, case: CaseId) -> Result<Option<ac::Chain>> {
    let events = store.events_of(case)?;
    ac::replay(&events).map(Some).map_err(|e| StoreError::Corrupt {
        path: store.path().to_path_buf(),
        detail: format!("case {case}: {e}"),
    })
}

impl Service {
    /// The follow-up schedule (months after a hire) this database sets.
    pub fn schedule(&self) -> Schedule {
        self.store.schedule()
    }

    /// The follow-ups due today for the cases `by` may see, oldest first.
    pub fn follow_ups_due(&self, by: &Actor) -> Vec<DueFollowUp> {
        let schedule = self.schedule();
        let r = self.read();
        let data = &r.data;
        data.follow_ups_due(&schedule, self.today(), |c| {
            data.trainees.get(&c.trainee).is_some_and(|t| by.covers(t.region))
        })
    }

    /// An employed case's follow-ups (`None` for any other case).
    pub fn aftercare(&self, case: CaseId) -> Option<Aftercare> {
        self.read().data.aftercare.get(&case).cloned()
    }

    /// Add a note to a case, signed by `by`.
    pub fn add_note(&self, case: CaseId, by: &Actor, text: &str) -> Result<Case> {
        self.guard_case(by, access::Action::CaseStep, case)?;
        self.after_write(case, || self.store.add_note(case, &self.stamp(&by.name), text))
    }

    /// Record the follow-up `months` after the hire.
    pub fn follow_up(
        &self,
        case: CaseId,
        by: &Actor,
        months: u8,
        outcome: FollowUpOutcome,
        wage: Option<u32>,
        note: &str,
    ) -> Result<Case> {
        self.guard_case(by, access::Action::CaseStep, case)?;
        self.after_write(case, || {
            self.store
                .follow_up(case, months, outcome, wage, &self.stamp(&by.name), note)
        })
    }

    /// A referral that did not end in a hire, with its reason (`Other`
    /// needs a few words in `note`).
    pub fn not_hired(&self, case: CaseId, by: &Actor, reason: NotHiredReason, note: &str) -> Result<Case> {
        self.transition(case, Move::NotHireFor(reason), by, note)
    }

    /// Undo the case's latest step or follow-up (event `undoes`): a
    /// supervisor or an admin may undo any; an operator only their own,
    /// on the day they recorded it.
    pub fn correct(&self, case: CaseId, by: &Actor, undoes: u32, reason: &str) -> Result<Case> {
        self.guard_case(by, access::Action::CaseStep, case)?;
        let today = self.today();
        let right = if by.may(access::Action::Correct).is_ok() {
            CorrectionRight::Any
        } else {
            CorrectionRight::OwnToday { name: &by.name, today }
        };
        self.after_write(case, || {
            self.store.correct(case, undoes, reason, right, &self.stamp(&by.name))
        })
    }

    /// Write one case's change through the gate, then bring the picture up
    /// to date: the case, its class's seats, the posts of the demands it
    /// held or holds and their status, its follow-ups.
    fn after_write(&self, case: CaseId, write: impl FnOnce() -> Result<Case>) -> Result<Case> {
        self.gated(|| {
            let before = self.read().data.cases.get(&case).cloned();
            let after = write()?;
            self.refresh_cases(before.as_slice(), std::slice::from_ref(&after))?;
            Ok(after)
        })
    }

    /// Bring the picture up to date after cases moved from `before` to
    /// `after` (one store transaction): seats, posts and demand status,
    /// the cases and their index, the follow-ups of employed ones.
    pub(super) fn refresh_cases(&self, before: &[Case], after: &[Case]) -> Result<()> {
        let mut demands: Vec<DemandId> = Vec::new();
        for s in before.iter().chain(after).map(|c| &c.state) {
            demands.extend(s.referral());
            demands.extend(s.hired());
            if let CaseState::NotHired(d) = s {
                demands.push(*d);
            }
        }
        demands.sort_unstable();
        demands.dedup();
        let mut classes: Vec<ClassId> = after.iter().map(|c| c.class).collect();
        classes.sort_unstable();
        classes.dedup();
        let mut used = Vec::new();
        for c in classes {
            used.push((c, self.store.seats_used(c)?));
        }
        let mut fresh = Vec::new();
        for d in demands {
            fresh.push((d, self.store.demand_usage(d)?, self.store.get::<JobDemand>(d.0)?));
        }
        let mut care = Vec::new();
        for c in after {
            let a = match may_have_aftercare(&c.state) {
                true => read_chain(&self.store, c.id)?,
                false => None,
            };
            care.push((c.id, a));
        }
        let mut notes = Vec::new();
        for c in after {
            notes.push((c.id, self.store.case_notes_of(c.id)?));
        }
        {
            let mut w = self.write();
            for (c, n) in used {
                w.data.seats_used.insert(c, n);
            }
            for (d, u, rec) in fresh {
                w.data.demand_usage.insert(d, u);
                if let Some(rec) = rec {
                    w.data.demands.insert(d, rec);
                }
            }
            for c in after {
                w.data.cases.insert(c.id, c.clone());
                w.reindex(Kind::Cases, c.id.0);
            }
            for (id, a) in care {
                w.data.keep_chain(id, a);
            }
            for (id, n) in notes {
                w.data.keep_notes(id, n);
            }
        }
        self.bump();
        Ok(())
    }
}
