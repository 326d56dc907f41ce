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
    /// Which cases are a trainee's and a class's (see [`Links`]): made from
    /// the cases when first asked for, then kept with them.
    links: std::sync::OnceLock<Links>,
}

/// (trainee, case) and (class, case) pairs, so a trainee's or a class's
/// cases are a range: 16 bytes a case, where a map of lists cost about 70.
/// A start does not make them (a tenth of a second at a million cases,
/// which a start spent before it could search): the service makes them
/// once it is ready, or whatever asks first does.
#[derive(Debug, Default, Clone)]
struct Links {
    by_trainee: BTreeSet<(TraineeId, CaseId)>,
    by_class: BTreeSet<(ClassId, CaseId)>,
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

    /// Let the trainee → cases and class → cases links be made from the
    /// cases as they are now (after a load), when first asked for.
    pub(crate) fn link_cases(&mut self) {
        self.links = std::sync::OnceLock::new();
    }

    /// The links, made now from the cases if they are not yet (collected,
    /// so their nodes are full).
    fn links(&self) -> &Links {
        self.links.get_or_init(|| Links {
            by_trainee: self.cases.values().map(|c| (c.trainee, c.id)).collect(),
            by_class: self.cases.values().map(|c| (c.class, c.id)).collect(),
        })
    }

    /// Make the links now if they are not yet (off a start's path).
    pub(crate) fn make_links(&self) {
        self.links();
    }

    pub(crate) fn add_case_links(&mut self, c: &Case) {
        // Links not made yet are made from the cases, this one included.
        if let Some(l) = self.links.get_mut() {
            l.by_trainee.insert((c.trainee, c.id));
            l.by_class.insert((c.class, c.id));
        }
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
        self.links()
            .by_trainee
            .range((t, CaseId(0))..=(t, CaseId(u64::MAX)))
            .filter_map(|(_, id)| self.cases.get(id))
    }

    /// A class's cases, oldest first.
    pub fn class_cases(&self, c: ClassId) -> impl Iterator<Item = &Case> {
        self.links()
            .by_class
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

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: u64, trainee: u64, class: u64) -> Case {
        Case {
            id: CaseId(id),
            trainee: TraineeId(trainee),
            class: ClassId(class),
            state: CaseState::Enrolled,
            certification: None,
            events: 1,
            opened: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"),
        }
    }

    fn ids<'a>(cases: impl Iterator<Item = &'a Case>) -> Vec<u64> {
        cases.map(|c| c.id.0).collect()
    }

    #[test]
    fn a_trainees_and_a_classs_cases_are_found_whenever_the_links_are_made() {
        let mut d = Data {
            cases: IdMap::from_records(vec![case(1, 7, 10), case(2, 8, 10), case(3, 7, 11)]),
            ..Data::default()
        };
        d.link_cases();
        // A case added before anything asked: the links are made with it.
        let added = case(4, 7, 10);
        d.cases.insert(added.id, added.clone());
        d.add_case_links(&added);
        assert_eq!(ids(d.trainee_cases(TraineeId(7))), [1, 3, 4]);
        assert_eq!(ids(d.class_cases(ClassId(10))), [1, 2, 4]);
        // One added after they were made is kept in them.
        let later = case(5, 8, 11);
        d.cases.insert(later.id, later.clone());
        d.add_case_links(&later);
        assert_eq!(ids(d.trainee_cases(TraineeId(8))), [2, 5]);
        assert_eq!(ids(d.class_cases(ClassId(11))), [3, 5]);
        // Made ahead (as a service does once it is ready), then kept too.
        let mut e = Data {
            cases: IdMap::from_records(vec![case(1, 7, 10)]),
            ..Data::default()
        };
        e.link_cases();
        e.make_links();
        let more = case(2, 7, 12);
        e.cases.insert(more.id, more.clone());
        e.add_case_links(&more);
        assert_eq!(ids(e.trainee_cases(TraineeId(7))), [1, 2]);
        assert_eq!(ids(e.class_cases(ClassId(12))), [2]);
        assert_eq!(ids(e.class_cases(ClassId(99))), Vec::<u64>::new());
    }
}
