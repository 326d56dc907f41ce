//! Whole-database counts: records, demand posts by kind, classes and seats
//! (regular and project-based), cases by state. One computation serves the
//! dashboard's and the report's totals and `skillbridge stats`, from
//! wherever the records are held: the service's picture
//! ([`Tally::of_data`]) or the store itself (`stats`, which decodes only
//! what it counts).

use crate::domain::*;
use crate::service::Data;
use crate::store::DemandUsage;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Demand headcount by kind of post.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Posts {
    pub skilled: u64,
    pub technical_management: u64,
}

/// Classes or seats, regular (subsidized and certification) and project-based.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Split {
    pub regular: u64,
    pub project: u64,
}

/// Whole-database counts, named as `skillbridge stats` names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub institutions: usize,
    pub enterprises: usize,
    pub demands: usize,
    pub demand_posts: Posts,
    pub classes: Split,
    pub seats: Split,
    pub seats_used: u64,
    /// Headcount of the demands project-based classes are built on (shown
    /// by `stats`; not one of the report's totals).
    #[serde(skip)]
    pub project_linked_posts: u64,
    /// The enterprises of those demands (as above).
    #[serde(skip)]
    pub project_enterprises: usize,
    pub trainees: usize,
    pub cases: usize,
    pub cases_by_state: BTreeMap<&'static str, u64>,
    /// Open technical-management posts (not a training trade: left out of `trades`).
    pub technical_management_posts_open: u64,
}

/// Kinds of record whose number is all the totals need.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Census {
    pub institutions: usize,
    pub enterprises: usize,
    pub trainees: usize,
}

/// Totals being counted: the records, classes and demands at once, the
/// cases one by one, so a caller that walks the cases anyway (the figures)
/// counts them on the way instead of in a second pass.
pub struct Tally {
    /// Everything but the cases.
    totals: Totals,
    by_state: [u64; StateKind::ALL.len()],
}

impl Tally {
    /// Count every class with its seats used and every demand with what
    /// referrals and hires have taken of it.
    pub fn new<'a>(
        census: Census,
        classes: impl IntoIterator<Item = (&'a TrainingClass, u32)>,
        demands: impl IntoIterator<Item = (&'a JobDemand, DemandUsage)>,
    ) -> Tally {
        let mut n_classes = Split { regular: 0, project: 0 };
        let mut seats = Split { regular: 0, project: 0 };
        let mut seats_used = 0u64;
        let mut linked: BTreeSet<DemandId> = BTreeSet::new();
        for (c, used) in classes {
            let cap = u64::from(c.capacity);
            if c.kind.is_regular() {
                n_classes.regular += 1;
                seats.regular += cap;
            } else {
                n_classes.project += 1;
                seats.project += cap;
                linked.extend(c.linked_demands.iter().copied());
            }
            seats_used += u64::from(used);
        }
        let mut posts = Posts {
            skilled: 0,
            technical_management: 0,
        };
        let (mut n_demands, mut tm_open, mut project_linked_posts) = (0usize, 0u64, 0u64);
        let mut project_firms = BTreeSet::new();
        for (d, usage) in demands {
            n_demands += 1;
            let headcount = u64::from(d.headcount);
            match d.kind {
                PostKind::Skilled => posts.skilled += headcount,
                PostKind::TechnicalManagement => {
                    posts.technical_management += headcount;
                    if d.status == DemandStatus::Open {
                        tm_open += u64::from(d.headcount.saturating_sub(usage.taken()));
                    }
                }
            }
            if linked.contains(&d.id) {
                project_linked_posts += headcount;
                project_firms.insert(d.enterprise);
            }
        }
        let totals = Totals {
            institutions: census.institutions,
            enterprises: census.enterprises,
            demands: n_demands,
            demand_posts: posts,
            classes: n_classes,
            seats,
            seats_used,
            project_linked_posts,
            project_enterprises: project_firms.len(),
            trainees: census.trainees,
            cases: 0,
            cases_by_state: BTreeMap::new(),
            technical_management_posts_open: tm_open,
        };
        Tally {
            totals,
            by_state: [0; StateKind::ALL.len()],
        }
    }

    /// The records, classes and demands of the service's in-memory picture.
    pub fn of_data(data: &Data) -> Tally {
        Tally::new(
            Census {
                institutions: data.institutions.len(),
                enterprises: data.enterprises.len(),
                trainees: data.trainees.len(),
            },
            data.classes
                .values()
                .map(|c| (c, data.seats_used.get(&c.id).copied().unwrap_or(0))),
            data.demands.values().map(|d| (d, data.usage(d.id))),
        )
    }

    /// Count one case.
    pub fn case(&mut self, case: &Case) {
        self.by_state[case.state.kind() as usize] += 1;
    }

    pub fn finish(self) -> Totals {
        let by_state = self.by_state;
        Totals {
            cases: by_state.iter().sum::<u64>() as usize,
            cases_by_state: StateKind::ALL
                .iter()
                .map(|k| (k.name(), by_state[*k as usize]))
                .collect(),
            ..self.totals
        }
    }
}

/// Count the totals of these records in one go.
pub fn count<'a>(
    census: Census,
    classes: impl IntoIterator<Item = (&'a TrainingClass, u32)>,
    demands: impl IntoIterator<Item = (&'a JobDemand, DemandUsage)>,
    cases: impl IntoIterator<Item = &'a Case>,
) -> Totals {
    let mut tally = Tally::new(census, classes, demands);
    for case in cases {
        tally.case(case);
    }
    tally.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_kinds_index_their_own_counter() {
        for (i, k) in StateKind::ALL.iter().enumerate() {
            assert_eq!(*k as usize, i, "{k:?}");
        }
    }
}
