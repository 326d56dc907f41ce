//! Why referrals did not end in a hire (#18): every not-hired step that
//! stands (not undone by a correction), counted by its reason code, per
//! demand and per enterprise. A case referred twice and not hired twice
//! counts twice, once at each demand. Steps recorded before reasons were
//! asked count as `unstated`.

use crate::domain::aftercare::NotHiredReason;
use crate::domain::{DemandId, EnterpriseId};
use crate::service::Data;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use std::collections::{BTreeMap, HashMap};

/// Counts of not-hired steps by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reasons {
    /// In the order of [`NotHiredReason::ALL`].
    pub by_reason: [u64; 5],
    /// Recorded without a reason (before reasons were asked).
    pub unstated: u64,
}

impl Reasons {
    pub fn add(&mut self, reason: Option<NotHiredReason>) {
        match reason.and_then(|r| NotHiredReason::ALL.iter().position(|x| *x == r)) {
            Some(i) => self.by_reason[i] += 1,
            None => self.unstated += 1,
        }
    }
    pub fn total(&self) -> u64 {
        self.by_reason.iter().sum::<u64>() + self.unstated
    }
    /// The count of one reason.
    pub fn of(&self, r: NotHiredReason) -> u64 {
        NotHiredReason::ALL
            .iter()
            .position(|x| *x == r)
            .map(|i| self.by_reason[i])
            .unwrap_or(0)
    }
}

/// `{"employer_declined": 3, …, "unstated": 0, "total": 7}`: each reason
/// under its code name.
impl Serialize for Reasons {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Reasons", 7)?;
        for (r, n) in NotHiredReason::ALL.iter().zip(self.by_reason) {
            st.serialize_field(r.name(), &n)?;
        }
        st.serialize_field("unstated", &self.unstated)?;
        st.serialize_field("total", &self.total())?;
        st.end()
    }
}

/// One enterprise's not-hired steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnterpriseNotHired {
    pub id: u64,
    pub name: String,
    pub reasons: Reasons,
}

/// One demand's not-hired steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemandNotHired {
    pub id: u64,
    pub enterprise: u64,
    pub enterprise_name: String,
    pub occupation_zh: &'static str,
    pub occupation_en: &'static str,
    pub reasons: Reasons,
}

/// Not-hired reasons across the city, per enterprise and per demand (most
/// steps first, then by number), only those with any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NotHired {
    pub total: Reasons,
    pub enterprises: Vec<EnterpriseNotHired>,
    pub demands: Vec<DemandNotHired>,
}

/// Count the standing not-hired steps the data holds.
pub fn count(data: &Data) -> NotHired {
    let mut total = Reasons::default();
    let mut by_demand: BTreeMap<DemandId, Reasons> = BTreeMap::new();
    for list in data.not_hired.values() {
        for s in list {
            total.add(s.reason);
            by_demand.entry(s.demand).or_default().add(s.reason);
        }
    }
    let mut by_ent: HashMap<EnterpriseId, Reasons> = HashMap::new();
    let mut demands = Vec::new();
    for (d, r) in &by_demand {
        let Some(dm) = data.demands.get(d) else { continue };
        let e = by_ent.entry(dm.enterprise).or_default();
        for (i, n) in r.by_reason.iter().enumerate() {
            e.by_reason[i] += n;
        }
        e.unstated += r.unstated;
        demands.push(DemandNotHired {
            id: d.0,
            enterprise: dm.enterprise.0,
            enterprise_name: data
                .enterprises
                .get(&dm.enterprise)
                .map(|e| e.name.to_string())
                .unwrap_or_default(),
            occupation_zh: dm.occupation.zh(),
            occupation_en: dm.occupation.en(),
            reasons: *r,
        });
    }
    let mut enterprises: Vec<EnterpriseNotHired> = by_ent
        .into_iter()
        .map(|(id, reasons)| EnterpriseNotHired {
            id: id.0,
            name: data
                .enterprises
                .get(&id)
                .map(|e| e.name.to_string())
                .unwrap_or_default(),
            reasons,
        })
        .collect();
    enterprises.sort_by_key(|e| (std::cmp::Reverse(e.reasons.total()), e.id));
    demands.sort_by_key(|d| (std::cmp::Reverse(d.reasons.total()), d.id));
    NotHired {
        total,
        enterprises,
        demands,
    }
}

/// The counts of a row as cells: each reason, unstated, total.
fn reason_cells(r: &Reasons) -> impl Iterator<Item = String> + '_ {
    r.by_reason
        .iter()
        .chain([&r.unstated])
        .map(|n| super::format::int(*n))
        .chain([super::format::int(r.total())])
}

/// An enterprise's row: its name and the counts.
pub fn enterprise_cells(e: &EnterpriseNotHired) -> Vec<String> {
    std::iter::once(e.name.clone())
        .chain(reason_cells(&e.reasons))
        .collect()
}

/// A demand's row: its number, enterprise and trade, and the counts.
pub fn demand_cells(lang: crate::i18n::Lang, d: &DemandNotHired) -> Vec<String> {
    let trade = match lang {
        crate::i18n::Lang::Zh => d.occupation_zh,
        crate::i18n::Lang::En => d.occupation_en,
    };
    [DemandId(d.id).to_string(), d.enterprise_name.clone(), trade.to_string()]
        .into_iter()
        .chain(reason_cells(&d.reasons))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_count_by_code_and_serialize_by_name() {
        let mut r = Reasons::default();
        r.add(Some(NotHiredReason::TooFar));
        r.add(Some(NotHiredReason::TooFar));
        r.add(Some(NotHiredReason::Other));
        r.add(None);
        assert_eq!(r.of(NotHiredReason::TooFar), 2);
        assert_eq!(r.total(), 4);
        let v = serde_json::to_value(r).unwrap();
        assert_eq!(v["too_far"], 2);
        assert_eq!(v["other"], 1);
        assert_eq!(v["unstated"], 1);
        assert_eq!(v["employer_declined"], 0);
        assert_eq!(v["total"], 4);
    }
}
