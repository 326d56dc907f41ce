//! Whole-database figures for `skillbridge stats`.

use crate::domain::*;
use crate::store::{Result, Store};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Posts {
    pub skilled: u64,
    pub technical_management: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Split {
    pub regular: u64,
    pub project: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Stats {
    pub regions: usize,
    pub institutions: usize,
    pub enterprises: usize,
    pub demands: usize,
    pub demand_posts: Posts,
    pub classes: Split,
    pub seats: Split,
    pub seats_used: u64,
    pub project_linked_posts: u64,
    pub project_enterprises: usize,
    pub trainees: usize,
    pub cases: usize,
    pub cases_by_state: BTreeMap<&'static str, u64>,
    /// Set on a demo database: says the data is synthetic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demo: Option<String>,
}

pub fn compute(store: &Store) -> Result<Stats> {
    let demands = store.all::<JobDemand>()?;
    let classes = store.all::<TrainingClass>()?;
    let cases = store.all::<Case>()?;
    let mut posts = Posts {
        skilled: 0,
        technical_management: 0,
    };
    for d in &demands {
        match d.kind {
            PostKind::Skilled => posts.skilled += u64::from(d.headcount),
            PostKind::TechnicalManagement => posts.technical_management += u64::from(d.headcount),
        }
    }
    let mut n = Split { regular: 0, project: 0 };
    let mut seats = Split { regular: 0, project: 0 };
    let mut linked: BTreeSet<DemandId> = BTreeSet::new();
    let mut seats_used = 0u64;
    for c in &classes {
        if c.kind.is_regular() {
            n.regular += 1;
            seats.regular += u64::from(c.capacity);
        } else {
            n.project += 1;
            seats.project += u64::from(c.capacity);
            linked.extend(c.linked_demands.iter().copied());
        }
        seats_used += u64::from(store.seats_used(c.id)?);
    }
    let mut project_linked_posts = 0;
    let mut project_firms = BTreeSet::new();
    for d in demands.iter().filter(|d| linked.contains(&d.id)) {
        project_linked_posts += u64::from(d.headcount);
        project_firms.insert(d.enterprise);
    }
    let mut by_state: BTreeMap<&'static str, u64> = StateKind::ALL.iter().map(|k| (k.name(), 0)).collect();
    for c in &cases {
        *by_state.entry(c.state.kind().name()).or_default() += 1;
    }
    Ok(Stats {
        regions: REGIONS.len(),
        institutions: store.count::<Institution>(),
        enterprises: store.count::<Enterprise>(),
        demands: demands.len(),
        demand_posts: posts,
        classes: n,
        seats,
        seats_used,
        project_linked_posts,
        project_enterprises: project_firms.len(),
        trainees: store.count::<Trainee>(),
        cases: cases.len(),
        cases_by_state: by_state,
        demo: store.meta(crate::demo::META_DEMO)?,
    })
}

impl Stats {
    /// A short human-readable summary.
    pub fn text(&self) -> String {
        let mut s = String::new();
        if let Some(d) = &self.demo {
            s.push_str(&format!("{d}\n"));
        }
        s.push_str(&format!(
            "regions {}  institutions {}  enterprises {}\n\
             demands {} ({} skilled posts, {} technical-management posts)\n\
             classes {} regular ({} seats) + {} project-based ({} seats, linked to {} posts of {} enterprises)\n\
             trainees {}  cases {}  seats used {}\n",
            self.regions,
            self.institutions,
            self.enterprises,
            self.demands,
            self.demand_posts.skilled,
            self.demand_posts.technical_management,
            self.classes.regular,
            self.seats.regular,
            self.classes.project,
            self.seats.project,
            self.project_linked_posts,
            self.project_enterprises,
            self.trainees,
            self.cases,
            self.seats_used,
        ));
        let states: Vec<String> = self.cases_by_state.iter().map(|(k, v)| format!("{k} {v}")).collect();
        s.push_str(&format!("cases by state: {}\n", states.join(", ")));
        s
    }
}
