//! What a list asks for (query, filters, order) and what a search found.

use super::{Data, rows};
use crate::domain::*;
use crate::search::{Hit, Positions, Query};
use std::sync::Arc;
use std::time::Duration;

/// List filters; each applies to the kinds that have the field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub region: Option<RegionId>,
    pub occupation: Option<OccupationId>,
    pub program: Option<ProgramId>,
    pub demand_status: Option<DemandStatus>,
    pub class_status: Option<ClassStatus>,
    pub case_state: Option<StateKind>,
    pub post_kind: Option<PostKind>,
    pub class_kind: Option<ClassKind>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    pub(super) fn keep(&self, data: &Data, kind: Kind, id: u64) -> bool {
        if self.is_empty() {
            return true;
        }
        let region_occ_prog: Option<(RegionId, Vec<OccupationId>, Option<ProgramId>)> = match kind {
            Kind::Demands => data
                .demands
                .get(&DemandId(id))
                .map(|d| (d.region, vec![d.occupation], None)),
            Kind::Classes => data
                .classes
                .get(&ClassId(id))
                .map(|c| (c.region, vec![c.occupation], Some(c.program))),
            Kind::Trainees => data
                .trainees
                .get(&TraineeId(id))
                .map(|t| (t.region, t.wanted.to_vec(), None)),
            Kind::Cases => data
                .cases
                .get(&CaseId(id))
                .and_then(|c| data.classes.get(&c.class))
                .map(|c| (c.region, vec![c.occupation], Some(c.program))),
            Kind::Institutions => data
                .institutions
                .get(&InstitutionId(id))
                .map(|i| (i.region, vec![], None)),
            Kind::Enterprises => data
                .enterprises
                .get(&EnterpriseId(id))
                .map(|e| (e.region, vec![], None)),
        };
        let Some((region, occs, program)) = region_occ_prog else {
            return false;
        };
        if self.region.is_some_and(|r| r != region) {
            return false;
        }
        if self.occupation.is_some_and(|o| !occs.contains(&o)) {
            return false;
        }
        if let Some(p) = self.program
            && program.is_some_and(|x| x != p)
        {
            return false;
        }
        match kind {
            Kind::Demands => {
                let Some(d) = data.demands.get(&DemandId(id)) else {
                    return false;
                };
                self.demand_status.is_none_or(|s| s == d.status) && self.post_kind.is_none_or(|k| k == d.kind)
            }
            Kind::Classes => {
                let Some(c) = data.classes.get(&ClassId(id)) else {
                    return false;
                };
                self.class_status.is_none_or(|s| s == c.status) && self.class_kind.is_none_or(|k| k == c.kind)
            }
            Kind::Cases => {
                let Some(c) = data.cases.get(&CaseId(id)) else {
                    return false;
                };
                self.case_state.is_none_or(|s| s == c.state.kind())
            }
            _ => true,
        }
    }
}

/// Orders a list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sort {
    /// Best match first (newest first for an empty query).
    Relevance,
    Newest,
    OpenPosts,
    Wage,
    StartDate,
    SeatsLeft,
    Stars,
    Name,
    State,
}

impl Sort {
    /// The orders offered for a kind, the first being the default.
    pub fn choices(kind: Kind) -> &'static [Sort] {
        match kind {
            Kind::Demands => &[Sort::Relevance, Sort::Newest, Sort::OpenPosts, Sort::Wage],
            Kind::Classes => &[Sort::Relevance, Sort::StartDate, Sort::SeatsLeft, Sort::Stars],
            Kind::Trainees => &[Sort::Relevance, Sort::Newest, Sort::Name],
            Kind::Cases => &[Sort::Relevance, Sort::Newest, Sort::State],
            Kind::Institutions | Kind::Enterprises => &[Sort::Relevance, Sort::Name],
        }
    }
}

/// What a list asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchSpec {
    pub kind: Kind,
    pub query: Query,
    pub filters: Filters,
    pub sort: Sort,
    /// The districts of the one asking (an operator's scope,
    /// `Actor::districts`): trainees and cases of other districts are
    /// never found. `None`: every district.
    pub districts: Option<Vec<RegionId>>,
}

impl SearchSpec {
    /// True when `id` (of the spec's kind) is within the asker's districts.
    pub(super) fn in_scope(&self, data: &Data, id: u64) -> bool {
        let Some(d) = &self.districts else { return true };
        let trainee = match self.kind {
            Kind::Trainees => Some(TraineeId(id)),
            Kind::Cases => data.cases.get(&CaseId(id)).map(|c| c.trainee),
            _ => return true,
        };
        trainee
            .and_then(|t| data.trainees.get(&t))
            .is_some_and(|t| d.contains(&t.region))
    }

    /// True when the scope removes records from this kind's results.
    pub(super) fn scoped(&self) -> bool {
        self.districts.is_some() && matches!(self.kind, Kind::Trainees | Kind::Cases)
    }
}

/// What a search found. The lists are shared, not copied: with no filter
/// the matches and the ids shown are one list, and every session showing
/// a whole list (no query, no filter) shares one copy of its ids. At a
/// million records that list is 8 MB a session otherwise.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// Ids of the matches before filters (what a narrowing search may
    /// start from); empty for an empty query.
    pub hits: Arc<[u64]>,
    /// Filtered and sorted ids to show.
    pub ids: Arc<[u64]>,
    /// Where the matches are in the index, when a search ranked them
    /// straight from it and they are few (what narrowing reads first).
    pub at: Option<Positions>,
    pub elapsed: Duration,
}

/// Earlier matches a search narrows from: their ids, and their places in
/// the index when that search kept them ([`Found::at`]).
#[derive(Debug, Clone, Copy)]
pub struct Earlier<'a> {
    pub ids: &'a [u64],
    pub at: Option<&'a Positions>,
}

pub(super) fn sort_hits(data: &Data, spec: &SearchSpec, hits: &mut [Hit]) {
    let kind = spec.kind;
    let by_score = !spec.query.is_empty();
    match spec.sort {
        Sort::Relevance if by_score => crate::search::sort_best_first(hits),
        Sort::Relevance | Sort::Newest => {
            // A full scan answers in id order: newest first is its reverse.
            if hits.is_sorted_by_key(|h| h.id) {
                hits.reverse();
            } else {
                hits.sort_unstable_by_key(|h| std::cmp::Reverse(h.id));
            }
        }
        Sort::OpenPosts => hits.sort_by_key(|h| {
            std::cmp::Reverse(
                data.demands
                    .get(&DemandId(h.id))
                    .map(|d| data.posts_open(d))
                    .unwrap_or(0),
            )
        }),
        Sort::Wage => hits.sort_by_key(|h| std::cmp::Reverse(data.demands.get(&DemandId(h.id)).map(|d| d.wage_max))),
        Sort::StartDate => hits.sort_by_key(|h| data.classes.get(&ClassId(h.id)).map(|c| c.start)),
        Sort::SeatsLeft => {
            hits.sort_by_key(|h| std::cmp::Reverse(data.classes.get(&ClassId(h.id)).map(|c| data.seats_left(c))))
        }
        Sort::Stars => hits.sort_by_key(|h| {
            std::cmp::Reverse(
                data.classes
                    .get(&ClassId(h.id))
                    .and_then(|c| data.institution(c.institution))
                    .map(|i| i.stars),
            )
        }),
        Sort::Name => hits.sort_by_cached_key(|h| {
            rows::cells(data, kind, h.id)
                .and_then(|c| c.into_iter().next())
                .unwrap_or_default()
        }),
        Sort::State => hits.sort_by_key(|h| data.cases.get(&CaseId(h.id)).map(|c| c.state.kind())),
    }
}
