//! The in-memory picture of the database a service keeps current.

use super::idmap::IdMap;
use crate::domain::*;
use crate::store::{DemandUsage, Result, Store};
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug, Default, Clone)]
pub struct Data {
    pub institutions: BTreeMap<InstitutionId, Institution>,
    pub enterprises: BTreeMap<EnterpriseId, Enterprise>,
    pub demands: BTreeMap<DemandId, JobDemand>,
    pub classes: BTreeMap<ClassId, TrainingClass>,
    pub trainees: super::idmap::IdMap<Trainee>,
    pub cases: super::idmap::IdMap<Case>,
    pub seats_used: HashMap<ClassId, u32>,
    pub demand_usage: HashMap<DemandId, DemandUsage>,
    /// Employed cases' follow-ups, read from their events at a load (not
    /// in the snapshot).
    pub aftercare: BTreeMap<CaseId, crate::domain::aftercare::Aftercare>,
    /// Referrals that ended without a hire, with their reasons, of every
    /// case that has one standing: read with the follow-ups (#18).
    pub not_hired: BTreeMap<CaseId, Vec<crate::domain::aftercare::NotHiredStep>>,
    /// Training wishes with their states, read from their own trees at a
    /// load (not in the snapshot; #25).
    pub wishes: crate::domain::wish::Wishes,
    /// Training-subsidy claims (#21), read at a load (not in the snapshot).
    pub claims: BTreeMap<crate::domain::subsidy::ClaimId, crate::domain::subsidy::Claim>,
    /// Every case's notes (#18), read from the notes tree at a load (not
    /// in the snapshot); searched with a note prefix on the Cases tab.
    pub notes: BTreeMap<CaseId, super::notes::CaseNotes>,
    /// (trainee, case) pairs, so a trainee's cases are a range: 16 bytes a
    /// case, where a map of lists cost about 70.
    cases_by_trainee: BTreeSet<(TraineeId, CaseId)>,
    cases_by_class: BTreeSet<(ClassId, CaseId)>,
}

impl Data {
    pub fn load(store: &Store) -> Result<Data> {
        let mut d = Data::default();
        for r in store.all::<Institution>()? {
            d.institutions.insert(r.id, r);
        }
        for r in store.all::<Enterprise>()? {
            d.enterprises.insert(r.id, r);
        }
        for r in store.all::<JobDemand>()? {
            let u = store.demand_usage(r.id)?;
            if u != DemandUsage::default() {
                d.demand_usage.insert(r.id, u);
            }
            d.demands.insert(r.id, r);
        }
        for r in store.all::<TrainingClass>()? {
            d.seats_used.insert(r.id, store.seats_used(r.id)?);
            d.classes.insert(r.id, r);
        }
        // The two big trees decode on their own threads.
        let (trainees, cases) = std::thread::scope(|sc| {
            let t = sc.spawn(|| store.all::<Trainee>());
            let c = sc.spawn(|| store.all::<Case>());
            (t.join(), c.join())
        });
        let gone = || crate::store::StoreError::Corrupt {
            path: store.path().to_path_buf(),
            detail: "a thread reading the records stopped".into(),
        };
        // Collected, not inserted one by one: a map built from a sorted
        // run fills its nodes, where inserting in order leaves them about
        // half empty (measured: some 80 MB at a million records).
        d.trainees = IdMap::from_records(trainees.map_err(|_| gone())??);
        d.cases = IdMap::from_records(cases.map_err(|_| gone())??);
        d.link_cases();
        d.load_aftercare(store)?;
        d.load_wishes(store)?;
        d.load_claims(store)?;
        d.load_notes(store)?;
        Ok(d)
    }

    /// Build the trainee → cases and class → cases links from the cases
    /// (once, after a load: collected, so their nodes are full).
    pub(crate) fn link_cases(&mut self) {
        self.cases_by_trainee = self.cases.values().map(|c| (c.trainee, c.id)).collect();
        self.cases_by_class = self.cases.values().map(|c| (c.class, c.id)).collect();
    }

    pub(crate) fn add_case_links(&mut self, c: &Case) {
        self.cases_by_trainee.insert((c.trainee, c.id));
        self.cases_by_class.insert((c.class, c.id));
    }

    pub fn seats_left(&self, class: &TrainingClass) -> u32 {
        class
            .capacity
            .saturating_sub(self.seats_used.get(&class.id).copied().unwrap_or(0))
    }

    pub fn usage(&self, demand: DemandId) -> DemandUsage {
        self.demand_usage.get(&demand).copied().unwrap_or_default()
    }

    /// Posts of a demand still free for a referral.
    pub fn posts_open(&self, d: &JobDemand) -> u32 {
        d.headcount.saturating_sub(self.usage(d.id).taken())
    }

    pub fn enterprise_name(&self, id: EnterpriseId) -> &str {
        self.enterprises.get(&id).map(|e| e.name.as_str()).unwrap_or("?")
    }

    pub fn institution(&self, id: InstitutionId) -> Option<&Institution> {
        self.institutions.get(&id)
    }

    /// A trainee's cases, oldest first.
    pub fn trainee_cases(&self, t: TraineeId) -> impl Iterator<Item = &Case> {
        self.cases_by_trainee
            .range((t, CaseId(0))..=(t, CaseId(u64::MAX)))
            .filter_map(|(_, id)| self.cases.get(id))
    }

    /// A class's cases, oldest first.
    pub fn class_cases(&self, c: ClassId) -> impl Iterator<Item = &Case> {
        self.cases_by_class
            .range((c, CaseId(0))..=(c, CaseId(u64::MAX)))
            .filter_map(|(_, id)| self.cases.get(id))
    }

    /// The case of a trainee that can be referred (certified or not hired), newest first.
    pub fn referable_case(&self, t: TraineeId) -> Option<&Case> {
        self.trainee_cases(t)
            .filter(|c| matches!(c.state, CaseState::Certified(_) | CaseState::NotHired(_)))
            .max_by_key(|c| c.id)
    }
}
