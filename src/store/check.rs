//! The integrity check: every index against the primary data, every usage
//! counter against the cases, every invariant, every event chain.

use super::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

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

pub(super) struct Loaded<R> {
    pub(super) items: Vec<R>,
}

/// Every record of every kind, read with `load` (check and repair both
/// start from this).
pub(super) struct Records {
    pub(super) institutions: Vec<Institution>,
    pub(super) enterprises: Vec<Enterprise>,
    pub(super) demands: Vec<JobDemand>,
    pub(super) classes: Vec<TrainingClass>,
    pub(super) trainees: Vec<Trainee>,
    pub(super) cases: Vec<Case>,
}

pub(super) fn load_records(store: &Store, problems: &mut Vec<Problem>) -> Records {
    Records {
        institutions: load(store, problems).items,
        enterprises: load(store, problems).items,
        demands: load(store, problems).items,
        classes: load(store, problems).items,
        trainees: load(store, problems).items,
        cases: load(store, problems).items,
    }
}

pub(super) fn load<R: Record>(store: &Store, problems: &mut Vec<Problem>) -> Loaded<R> {
    let mut items = Vec::new();
    for item in store.tree(R::TREE).iter() {
        match item {
            Err(e) => problems.push(Problem {
                tree: R::TREE.name(),
                key: "-".into(),
                message: format!("read failed: {e}"),
            }),
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
    Loaded { items }
}

/// Index trees' expected contents: key → value.
type Expected = BTreeMap<TreeName, BTreeMap<Vec<u8>, Vec<u8>>>;

fn expect<R: Record>(exp: &mut Expected, items: &[R], problems: &mut Vec<Problem>) {
    for r in items {
        for e in r.index_entries() {
            let value = if e.unique {
                r.key().to_be_bytes().to_vec()
            } else {
                Vec::new()
            };
            let slot = exp.entry(e.tree).or_default();
            if let Some(prev) = slot.insert(e.key.clone(), value.clone())
                && prev != value
            {
                problems.push(Problem {
                    tree: e.tree.name(),
                    key: String::from_utf8_lossy(&e.key).into_owned(),
                    message: format!(
                        "two {} records claim this unique key ({} and {})",
                        R::KIND,
                        u64_from(&prev).unwrap_or(0),
                        r.key()
                    ),
                });
            }
        }
    }
}

impl Store {
    /// Check everything; never writes.
    pub fn check(&self) -> Report {
        let mut p = Vec::new();
        let Records {
            institutions,
            enterprises,
            demands,
            classes,
            trainees,
            cases,
        } = load_records(self, &mut p);
        let records =
            institutions.len() + enterprises.len() + demands.len() + classes.len() + trainees.len() + cases.len();

        // Indexes.
        let mut exp: Expected = BTreeMap::new();
        expect(&mut exp, &institutions, &mut p);
        expect(&mut exp, &enterprises, &mut p);
        expect(&mut exp, &demands, &mut p);
        expect(&mut exp, &classes, &mut p);
        expect(&mut exp, &trainees, &mut p);
        expect(&mut exp, &cases, &mut p);
        for t in TreeName::ALL.iter().filter(|t| t.is_index()) {
            let want = exp.remove(t).unwrap_or_default();
            let mut have = BTreeMap::new();
            for item in self.tree(*t).iter().flatten() {
                have.insert(item.0.to_vec(), item.1.to_vec());
            }
            for (k, v) in &want {
                match have.get(k) {
                    None => p.push(Problem {
                        tree: t.name(),
                        key: show_key(k),
                        message: "index entry missing".into(),
                    }),
                    Some(hv) if hv != v => p.push(Problem {
                        tree: t.name(),
                        key: show_key(k),
                        message: "index entry points at the wrong record".into(),
                    }),
                    _ => {}
                }
            }
            for k in have.keys().filter(|k| !want.contains_key(*k)) {
                p.push(Problem {
                    tree: t.name(),
                    key: show_key(k),
                    message: "index entry with no record behind it".into(),
                });
            }
        }

        // References.
        let inst_ids: BTreeSet<u64> = institutions.iter().map(|r| r.id.0).collect();
        let ent_ids: BTreeSet<u64> = enterprises.iter().map(|r| r.id.0).collect();
        let demand_by_id: HashMap<u64, &JobDemand> = demands.iter().map(|d| (d.id.0, d)).collect();
        let class_by_id: HashMap<u64, &TrainingClass> = classes.iter().map(|c| (c.id.0, c)).collect();
        let trainee_ids: BTreeSet<u64> = trainees.iter().map(|r| r.id.0).collect();
        for d in &demands {
            if !ent_ids.contains(&d.enterprise.0) {
                p.push(problem(
                    "demands",
                    d.id,
                    format!("enterprise {} does not exist", d.enterprise),
                ));
            }
        }
        for c in &classes {
            if !inst_ids.contains(&c.institution.0) {
                p.push(problem(
                    "classes",
                    c.id,
                    format!("institution {} does not exist", c.institution),
                ));
            }
            for d in &c.linked_demands {
                if !demand_by_id.contains_key(&d.0) {
                    p.push(problem("classes", c.id, format!("linked demand {d} does not exist")));
                }
            }
        }

        // Counters and invariants.
        let mut seats: HashMap<u64, u32> = HashMap::new();
        let mut usage: HashMap<u64, DemandUsage> = HashMap::new();
        let mut events = 0;
        for c in &cases {
            if !trainee_ids.contains(&c.trainee.0) {
                p.push(problem("cases", c.id, format!("trainee {} does not exist", c.trainee)));
            }
            if !class_by_id.contains_key(&c.class.0) {
                p.push(problem("cases", c.id, format!("class {} does not exist", c.class)));
            }
            if c.state.holds_seat() {
                *seats.entry(c.class.0).or_default() += 1;
            }
            if let Some(d) = c.state.referral() {
                usage.entry(d.0).or_default().referred += 1;
            }
            if let Some(d) = c.state.hired() {
                usage.entry(d.0).or_default().hired += 1;
            }
            for d in c.state.referral().into_iter().chain(c.state.hired()) {
                if !demand_by_id.contains_key(&d.0) {
                    p.push(problem("cases", c.id, format!("demand {d} does not exist")));
                }
            }
            events += self.check_events(c, &mut p);
        }
        let mut stored_seats: HashMap<u64, u32> = HashMap::new();
        for (k, v) in self.tree(TreeName::ClassUsage).iter().flatten() {
            match (u64_from(&k), u32_from(&v)) {
                (Some(k), Some(v)) => {
                    stored_seats.insert(k, v);
                }
                _ => p.push(Problem {
                    tree: "class_usage",
                    key: show_key(&k),
                    message: "malformed counter".into(),
                }),
            }
        }
        for c in &classes {
            let want = seats.get(&c.id.0).copied().unwrap_or(0);
            let have = stored_seats.get(&c.id.0).copied().unwrap_or(0);
            if want != have {
                p.push(problem(
                    "class_usage",
                    c.id,
                    format!("counter says {have} seats used, cases say {want}"),
                ));
            }
            if want > c.capacity {
                p.push(problem(
                    "classes",
                    c.id,
                    format!("{want} active enrollments exceed capacity {}", c.capacity),
                ));
            }
        }
        let mut stored_usage: HashMap<u64, DemandUsage> = HashMap::new();
        for (k, v) in self.tree(TreeName::DemandUsage).iter().flatten() {
            match (u64_from(&k), DemandUsage::from_bytes(&v)) {
                (Some(k), Some(v)) => {
                    stored_usage.insert(k, v);
                }
                _ => p.push(Problem {
                    tree: "demand_usage",
                    key: show_key(&k),
                    message: "malformed counter".into(),
                }),
            }
        }
        for d in &demands {
            let want = usage.get(&d.id.0).copied().unwrap_or_default();
            let have = stored_usage.get(&d.id.0).copied().unwrap_or_default();
            if want != have {
                p.push(problem(
                    "demand_usage",
                    d.id,
                    format!(
                        "counter says {}/{} referred/hired, cases say {}/{}",
                        have.referred, have.hired, want.referred, want.hired
                    ),
                ));
            }
            if want.taken() > d.headcount {
                p.push(problem(
                    "demands",
                    d.id,
                    format!("{} referred or hired exceed headcount {}", want.taken(), d.headcount),
                ));
            }
            let filled = want.hired >= d.headcount;
            if (d.status == DemandStatus::Filled) != filled && d.status != DemandStatus::Closed {
                p.push(problem(
                    "demands",
                    d.id,
                    format!(
                        "status is {} but {} of {} posts are hired",
                        d.status.name(),
                        want.hired,
                        d.headcount
                    ),
                ));
            }
        }
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
                p.push(problem("events", c.id, e.to_string()));
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
        let mut state: Option<CaseState> = None;
        for (i, ev) in evs.iter().enumerate() {
            let at = format!("{}/{}", c.id, ev.seq);
            if ev.seq as usize != i || ev.case != c.id {
                p.push(Problem {
                    tree: "events",
                    key: at.clone(),
                    message: format!("out of sequence (expected {i})"),
                });
            }
            if ev.from != state {
                p.push(Problem {
                    tree: "events",
                    key: at.clone(),
                    message: format!("starts from {:?} but the case was {:?}", ev.from, state),
                });
            }
            let legal = match (&ev.from, &ev.action) {
                (None, None) => ev.to == CaseState::Enrolled,
                (Some(from), Some(mv)) => next_state(from, mv).as_ref() == Ok(&ev.to),
                _ => false,
            };
            if !legal {
                p.push(Problem {
                    tree: "events",
                    key: at,
                    message: format!("illegal step {:?} → {:?}", ev.from, ev.to),
                });
            }
            state = Some(ev.to.clone());
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
