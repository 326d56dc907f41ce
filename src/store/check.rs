//! The integrity check: what `repair` would change (see `derived`), and
//! what it cannot: records that do not decode, unique keys two records
//! claim, references to missing records, classes over capacity, demands
//! over headcount, event chains that break the case state machine.

use super::derived::{Derived, Finding};
use super::record::{DemandUsage, Record, u32_from, u64_from};
use super::{Store, TreeName, codec};
use crate::domain::*;
use std::collections::{BTreeSet, HashMap};

/// One thing `check` found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub tree: &'static str,
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.tree, self.key, self.message)
    }
}

/// What `check` saw.
#[derive(Debug, Default)]
pub struct Report {
    pub problems: Vec<Problem>,
    pub records: usize,
    pub events: usize,
}

/// Every record of every kind that decodes (check, repair and migrations
/// start from this).
pub(super) struct Records {
    pub(super) institutions: Vec<Institution>,
    pub(super) enterprises: Vec<Enterprise>,
    pub(super) demands: Vec<JobDemand>,
    pub(super) classes: Vec<TrainingClass>,
    pub(super) trainees: Vec<Trainee>,
    pub(super) cases: Vec<Case>,
}

impl Records {
    fn len(&self) -> usize {
        self.institutions.len()
            + self.enterprises.len()
            + self.demands.len()
            + self.classes.len()
            + self.trainees.len()
            + self.cases.len()
    }
}

/// Read every record; one that does not decode is a problem, not an error.
pub(super) fn load_records(store: &Store, problems: &mut Vec<Problem>) -> Records {
    Records {
        institutions: load(store, problems),
        enterprises: load(store, problems),
        demands: load(store, problems),
        classes: load(store, problems),
        trainees: load(store, problems),
        cases: load(store, problems),
    }
}

fn load<R: Record>(store: &Store, problems: &mut Vec<Problem>) -> Vec<R> {
    let mut items = Vec::new();
    for item in store.tree(R::TREE).iter() {
        super::progress::tick();
        match item {
            // sled's iterator gives the same error again and again: one is
            // the answer (check once filled memory with them until it died).
            Err(e) => {
                problems.push(Problem {
                    tree: R::TREE.name(),
                    key: "-".into(),
                    message: format!(
                        "read failed after {} records: {e}; the rest of this tree is not checked. Restore a backup, or run `skillbridge salvage FILE` to save every record that still reads",
                        items.len()
                    ),
                });
                break;
            }
            Ok((k, v)) => {
                let key = u64_from(&k);
                match codec::decode::<R>(&v, R::VERSION) {
                    Ok((_, r)) if key == Some(r.key()) => items.push(r),
                    Ok((_, r)) => problems.push(Problem {
                        tree: R::TREE.name(),
                        key: format!("{k:?}"),
                        message: format!("key does not match the record's id {}", r.key()),
                    }),
                    Err(e) => problems.push(Problem {
                        tree: R::TREE.name(),
                        key: key.map(|k| k.to_string()).unwrap_or_else(|| format!("{k:?}")),
                        message: format!("{e}"),
                    }),
                }
            }
        }
    }
    items
}

impl Store {
    /// Check everything; never writes.
    pub fn check(&self) -> Report {
        let mut p = Vec::new();
        let r = load_records(self, &mut p);
        let records = r.len();
        let d = match self.derive(&r) {
            Ok(d) => d,
            Err(e) => {
                p.push(problem("-", "-", e.to_string()));
                return Report {
                    problems: p,
                    records,
                    events: 0,
                };
            }
        };
        p.extend(d.contested.iter().cloned());
        for f in &d.findings {
            match f {
                Finding::Index { tree, key, stored, .. } => p.push(Problem {
                    tree: tree.name(),
                    key: show_key(key),
                    message: match stored {
                        None => "index entry missing",
                        Some(_) => "index entry points at the wrong record",
                    }
                    .into(),
                }),
                Finding::StrayIndex { tree, key } => p.push(Problem {
                    tree: tree.name(),
                    key: show_key(key),
                    message: "index entry with no record behind it".into(),
                }),
                _ => {}
            }
        }
        references(&r, &mut p);
        let trainees: BTreeSet<TraineeId> = r.trainees.iter().map(|t| t.id).collect();
        let classes: BTreeSet<ClassId> = r.classes.iter().map(|c| c.id).collect();
        let demands: BTreeSet<DemandId> = r.demands.iter().map(|d| d.id).collect();
        let mut events = 0;
        for c in &r.cases {
            if !trainees.contains(&c.trainee) {
                p.push(problem("cases", c.id, format!("trainee {} does not exist", c.trainee)));
            }
            if !classes.contains(&c.class) {
                p.push(problem("cases", c.id, format!("class {} does not exist", c.class)));
            }
            for dm in c.state.referral().into_iter().chain(c.state.hired()) {
                if !demands.contains(&dm) {
                    p.push(problem("cases", c.id, format!("demand {dm} does not exist")));
                }
            }
            events += self.check_events(c, &mut p);
        }
        counters(&r, &d, &mut p);
        super::wish::check_into(self, &mut p);
        p.extend(self.check_subsidies(&r.classes, &r.cases));
        p.extend(self.check_case_notes());
        Report {
            problems: p,
            records,
            events,
        }
    }

    fn check_events(&self, c: &Case, p: &mut Vec<Problem>) -> usize {
        let evs = match self.events_of(c.id) {
            Ok(e) => e,
            Err(e) => {
                // Damage is said as such (the store's advice on what to run
                // next is `check`'s own report); a failed read as it came.
                let why = match e {
                    super::StoreError::Corrupt { detail, .. } => format!("the events do not decode: {detail}"),
                    other => other.to_string(),
                };
                p.push(problem("events", c.id, why));
                return 0;
            }
        };
        if evs.len() != c.events as usize {
            p.push(problem(
                "events",
                c.id,
                format!("case says {} events, {} stored", c.events, evs.len()),
            ));
        }
        // The chain read as `domain::aftercare` reads it: the state
        // machine, follow-ups, notes and corrections.
        let mut chain = crate::domain::aftercare::Chain::default();
        for (i, ev) in evs.iter().enumerate() {
            let at = format!("{}/{}", c.id, ev.seq);
            if ev.seq as usize != i || ev.case != c.id {
                p.push(problem("events", &at, format!("out of sequence (expected {i})")));
            }
            if let Err(e) = crate::domain::aftercare::apply(&mut chain, &evs[..i], ev) {
                p.push(problem("events", &at, chain_break(&e)));
                // Read on from what the event says, to report each break once.
                chain.state = Some(ev.to.clone());
            }
        }
        let state = chain.state.clone();
        if c.certification.is_some() && !chain.certified {
            p.push(problem(
                "cases",
                c.id,
                "holds a certification its events undid or never recorded".to_string(),
            ));
        }
        if state.as_ref() != Some(&c.state) {
            p.push(problem(
                "cases",
                c.id,
                format!("state {:?} differs from its last event {:?}", c.state, state),
            ));
        }
        evs.len()
    }
}

/// Demands name an enterprise, classes an institution and linked demands.
fn references(r: &Records, p: &mut Vec<Problem>) {
    let institutions: BTreeSet<InstitutionId> = r.institutions.iter().map(|i| i.id).collect();
    let enterprises: BTreeSet<EnterpriseId> = r.enterprises.iter().map(|e| e.id).collect();
    let demands: BTreeSet<DemandId> = r.demands.iter().map(|d| d.id).collect();
    for d in &r.demands {
        if !enterprises.contains(&d.enterprise) {
            p.push(problem(
                "demands",
                d.id,
                format!("enterprise {} does not exist", d.enterprise),
            ));
        }
    }
    for c in &r.classes {
        if !institutions.contains(&c.institution) {
            p.push(problem(
                "classes",
                c.id,
                format!("institution {} does not exist", c.institution),
            ));
        }
        for d in &c.linked_demands {
            if !demands.contains(d) {
                p.push(problem("classes", c.id, format!("linked demand {d} does not exist")));
            }
        }
    }
}

/// The counters' findings, with capacity and headcount, class by class and
/// demand by demand; malformed and stray counters first, in key order.
fn counters(r: &Records, d: &Derived, p: &mut Vec<Problem>) {
    let mut seats = HashMap::new();
    let mut posts = HashMap::new();
    let mut status = HashMap::new();
    let mut odd: [Vec<(Vec<u8>, Problem)>; 2] = Default::default();
    let tree_of = |t: TreeName| usize::from(t == TreeName::DemandUsage);
    for f in &d.findings {
        match f {
            Finding::Seats { class, stored, .. } => {
                seats.insert(*class, f);
                if stored.as_deref().is_some_and(|b| u32_from(b).is_none()) {
                    odd[0].push((
                        class.0.to_be_bytes().to_vec(),
                        malformed(TreeName::ClassUsage, &class.0.to_be_bytes()),
                    ));
                }
            }
            Finding::Posts { demand, stored, .. } => {
                posts.insert(*demand, f);
                if stored.as_deref().is_some_and(|b| DemandUsage::from_bytes(b).is_none()) {
                    let key = demand.0.to_be_bytes();
                    odd[1].push((key.to_vec(), malformed(TreeName::DemandUsage, &key)));
                }
            }
            Finding::Status { demand, .. } => {
                status.insert(demand.id, f);
            }
            Finding::StrayCounter { tree, key, stored } => {
                let (what, well_formed) = if *tree == TreeName::ClassUsage {
                    ("class", u32_from(stored).is_some())
                } else {
                    ("demand", DemandUsage::from_bytes(stored).is_some())
                };
                let message = if key.len() == 8 && well_formed {
                    format!("counter for a {what} that does not exist")
                } else {
                    "malformed counter".into()
                };
                odd[tree_of(*tree)].push((key.clone(), problem(tree.name(), show_key(key), message)));
            }
            _ => {}
        }
    }
    for list in &mut odd {
        list.sort_by(|a, b| a.0.cmp(&b.0));
    }
    let [odd_seats, odd_posts] = odd;
    p.extend(odd_seats.into_iter().map(|(_, x)| x));
    for c in &r.classes {
        let want = d.seats.get(&c.id).copied().unwrap_or(0);
        if let Some(Finding::Seats { stored, .. }) = seats.get(&c.id) {
            let have = stored.as_deref().and_then(u32_from).unwrap_or(0);
            if have != want {
                p.push(problem(
                    "class_usage",
                    c.id,
                    format!("counter says {have} seats used, cases say {want}"),
                ));
            }
        }
        if want > c.capacity {
            p.push(problem(
                "classes",
                c.id,
                format!("{want} active enrollments exceed capacity {}", c.capacity),
            ));
        }
    }
    p.extend(odd_posts.into_iter().map(|(_, x)| x));
    for dm in &r.demands {
        let want = d.usage.get(&dm.id).copied().unwrap_or_default();
        if let Some(Finding::Posts { stored, .. }) = posts.get(&dm.id) {
            let have = stored.as_deref().and_then(DemandUsage::from_bytes).unwrap_or_default();
            if have != want {
                p.push(problem(
                    "demand_usage",
                    dm.id,
                    format!(
                        "counter says {}/{} referred/hired, cases say {}/{}",
                        have.referred, have.hired, want.referred, want.hired
                    ),
                ));
            }
        }
        if want.taken() > dm.headcount {
            p.push(problem(
                "demands",
                dm.id,
                format!("{} referred or hired exceed headcount {}", want.taken(), dm.headcount),
            ));
        }
        if let Some(Finding::Status { hired, .. }) = status.get(&dm.id) {
            p.push(problem(
                "demands",
                dm.id,
                format!(
                    "status is {} but {hired} of {} posts are hired",
                    dm.status.name(),
                    dm.headcount
                ),
            ));
        }
    }
}

/// A break in a case's chain as `check` words it: states by their names
/// (the error's own words print them as Rust values), in templates the
/// Chinese report knows.
pub(crate) fn chain_break(e: &crate::domain::aftercare::ChainError) -> String {
    use crate::domain::aftercare::{AftercareError, ChainError};
    let name = |s: &Option<crate::domain::CaseState>| s.as_ref().map_or(NO_STATE, |s| s.kind().en());
    match e {
        ChainError::Start { from, was, .. } => fill2(CASE_STARTS_FROM, name(from), name(was)),
        ChainError::Illegal { from, to, .. } => fill2(CASE_CANNOT_STEP, name(from), to.kind().en()),
        ChainError::Aftercare {
            source: AftercareError::NotEmployed(s),
            ..
        } => FOLLOW_UP_NOT_EMPLOYED.replacen("{}", s.kind().en(), 1),
        // Numbers only: the Chinese report has a template for each.
        ChainError::Aftercare { source, .. } => source.to_string(),
    }
}

fn fill2(template: &str, a: &str, b: &str) -> String {
    template.replacen("{}", a, 1).replacen("{}", b, 1)
}

/// How `check` words a case's event that starts from another state than
/// the case was in, and a step the state machine has no arrow for; the
/// Chinese report translates both (a state in either slot).
pub const CASE_STARTS_FROM: &str = "starts from {} but the case was {}";
pub const CASE_CANNOT_STEP: &str = "a case cannot step from {} to {}";
/// A chain's state before its first event.
pub const NO_STATE: &str = "no state";
/// A follow-up recorded on a case that was not employed (its state).
pub const FOLLOW_UP_NOT_EMPLOYED: &str = "a follow-up needs an employed case; this one was {}";

fn malformed(tree: TreeName, key: &[u8]) -> Problem {
    problem(tree.name(), show_key(key), "malformed counter".into())
}

fn problem(tree: &'static str, key: impl std::fmt::Display, message: String) -> Problem {
    Problem {
        tree,
        key: key.to_string(),
        message,
    }
}

pub(super) fn show_key(k: &[u8]) -> String {
    match std::str::from_utf8(k) {
        Ok(s) if s.chars().all(|c| !c.is_control()) => s.to_string(),
        _ => k.iter().map(|b| format!("{b:02x}")).collect(),
    }
}
