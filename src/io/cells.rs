//! A record as the cells of its kind's columns (`columns::columns(kind)`),
//! references by name: what export writes, and what an import's per-field
//! diff compares (so a diff speaks of exactly what the file holds).

use crate::domain::*;
use crate::store::{Store, StoreError};
use std::collections::HashMap;

/// The names records refer to each other by.
#[derive(Debug, Default, Clone)]
pub struct Names {
    pub institutions: HashMap<InstitutionId, String>,
    pub enterprises: HashMap<EnterpriseId, String>,
    /// A demand's 编号: its source id, else `D<n>`.
    pub demands: HashMap<DemandId, String>,
}

impl Names {
    pub fn load(store: &Store) -> Result<Names, StoreError> {
        Ok(Names {
            institutions: store
                .all::<Institution>()?
                .into_iter()
                .map(|i| (i.id, i.name))
                .collect(),
            enterprises: store.all::<Enterprise>()?.into_iter().map(|e| (e.id, e.name)).collect(),
            demands: store
                .all::<JobDemand>()?
                .iter()
                .map(|d| (d.id, demand_ref(d)))
                .collect(),
        })
    }
}

/// The 编号 export writes for a demand: its source id, else `D<n>`.
pub fn demand_ref(d: &JobDemand) -> String {
    d.external_id.clone().unwrap_or_else(|| d.id.to_string())
}

fn joined(items: impl IntoIterator<Item = String>) -> String {
    items.into_iter().collect::<Vec<_>>().join("、")
}

/// A record's cells, in the order of its kind's columns.
pub trait Cells {
    fn cells(&self, names: &Names) -> Vec<String>;
}

impl Cells for Institution {
    fn cells(&self, _: &Names) -> Vec<String> {
        vec![self.name.clone(), self.region.zh().into(), self.stars.to_string()]
    }
}

impl Cells for Enterprise {
    fn cells(&self, _: &Names) -> Vec<String> {
        vec![
            self.name.clone(),
            self.region.zh().into(),
            self.industry.clone(),
            self.alliance.map(|a| a.zh().to_string()).unwrap_or_default(),
        ]
    }
}

impl Cells for JobDemand {
    fn cells(&self, names: &Names) -> Vec<String> {
        vec![
            demand_ref(self),
            names
                .enterprises
                .get(&self.enterprise)
                .cloned()
                .unwrap_or_else(|| self.enterprise.to_string()),
            self.occupation.zh().into(),
            self.region.zh().into(),
            self.kind.zh().into(),
            self.headcount.to_string(),
            self.wage_min.to_string(),
            self.wage_max.to_string(),
            self.min_level.map(|l| l.zh().to_string()).unwrap_or_default(),
            self.posted.to_string(),
            // Filled follows the hires; only "closed" is an operator's word.
            if self.status == DemandStatus::Closed {
                DemandStatus::Closed.zh().into()
            } else {
                DemandStatus::Open.zh().into()
            },
        ]
    }
}

impl Cells for TrainingClass {
    fn cells(&self, names: &Names) -> Vec<String> {
        vec![
            self.name.clone(),
            names
                .institutions
                .get(&self.institution)
                .cloned()
                .unwrap_or_else(|| self.institution.to_string()),
            self.occupation.zh().into(),
            self.region.zh().into(),
            self.kind.zh().into(),
            self.program.zh().into(),
            self.start.to_string(),
            self.end.to_string(),
            self.capacity.to_string(),
            self.target_level.zh().into(),
            joined(
                self.linked_demands
                    .iter()
                    .map(|d| names.demands.get(d).cloned().unwrap_or_else(|| d.to_string())),
            ),
            self.status.zh().into(),
        ]
    }
}

impl Cells for Trainee {
    fn cells(&self, _: &Names) -> Vec<String> {
        vec![
            self.name.to_string(),
            self.id_number.as_str().to_string(),
            self.mobile.map(|m| m.as_str().to_string()).unwrap_or_default(),
            self.region.zh().into(),
            self.key_group.as_ref().map(|g| g.to_string()).unwrap_or_default(),
            joined(self.wanted.iter().map(|o| o.zh().to_string())),
            self.created.to_string(),
        ]
    }
}

/// A case's cells, in the order of `columns::CASE_COLUMNS`: the person,
/// the class, where the case stands, the scores and certificate once
/// evaluated, the demand once referred.
pub fn case_cells(c: &Case, t: Option<&Trainee>, k: Option<&TrainingClass>, names: &Names) -> Vec<String> {
    let cert = c.certification.as_ref();
    let demand = c.state.referral().or(c.state.hired()).or(match c.state {
        CaseState::NotHired(d) => Some(d),
        _ => None,
    });
    vec![
        c.id.to_string(),
        t.map(|t| t.name.to_string()).unwrap_or_default(),
        t.map(|t| t.id_number.as_str().to_string()).unwrap_or_default(),
        t.and_then(|t| t.mobile.map(|m| m.as_str().to_string()))
            .unwrap_or_default(),
        c.trainee.to_string(),
        k.map(|k| k.name.clone()).unwrap_or_default(),
        c.class.to_string(),
        c.state.kind().zh().to_string(),
        cert.map(|x| x.evaluation.theory.to_string()).unwrap_or_default(),
        cert.map(|x| x.evaluation.practical.to_string()).unwrap_or_default(),
        cert.map(|x| x.level.zh().to_string()).unwrap_or_default(),
        cert.map(|x| x.certificate.to_string()).unwrap_or_default(),
        demand
            .map(|d| names.demands.get(&d).cloned().unwrap_or_else(|| d.to_string()))
            .unwrap_or_default(),
    ]
}
