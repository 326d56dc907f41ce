//! What the derived trees must hold, computed once from the records: the
//! index entries, the seat and post counters, and each demand's filled /
//! open status. Its differences from what is stored are the findings:
//! `repair` writes them, `check` reports them (beside what repair cannot
//! fix). One computation, so `check` is clean exactly when repair has
//! nothing to do.

use super::check::{Problem, Records, show_key};
use super::record::{DemandUsage, Record, demand_status, u32_from, u64_from};
use super::repair::Change;
use super::tx::Edit;
use super::{Result, Store, TreeName, codec};
use crate::domain::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One stored thing that disagrees with the records.
#[derive(Debug, Clone)]
pub(super) enum Finding {
    /// An index entry the records imply is absent, or names another record.
    Index {
        tree: TreeName,
        key: Vec<u8>,
        want: Vec<u8>,
        stored: Option<Vec<u8>>,
    },
    /// An index entry no record implies.
    StrayIndex { tree: TreeName, key: Vec<u8> },
    /// A class's seat counter differs from the cases holding a seat.
    Seats {
        class: ClassId,
        want: u32,
        stored: Option<Vec<u8>>,
    },
    /// A demand's counter differs from the cases referred to or hired into it.
    Posts {
        demand: DemandId,
        want: DemandUsage,
        stored: Option<Vec<u8>>,
    },
    /// A counter of a class or demand that does not exist (or a malformed key).
    StrayCounter {
        tree: TreeName,
        key: Vec<u8>,
        stored: Vec<u8>,
    },
    /// A demand whose status does not follow its hires.
    Status {
        demand: Box<JobDemand>,
        hired: u32,
        want: DemandStatus,
    },
}

/// The expected state and how the store differs from it.
pub(super) struct Derived {
    pub(super) findings: Vec<Finding>,
    /// Unique keys two records claim: left alone by repair, reported by check.
    pub(super) contested: Vec<Problem>,
    /// Seats the cases hold, per class.
    pub(super) seats: HashMap<ClassId, u32>,
    /// Posts the cases take, per demand.
    pub(super) usage: HashMap<DemandId, DemandUsage>,
}

type Trees = BTreeMap<TreeName, BTreeMap<Vec<u8>, Vec<u8>>>;

fn expect<R: Record>(
    want: &mut Trees,
    contested: &mut Vec<Problem>,
    seen: &mut BTreeSet<(TreeName, Vec<u8>)>,
    items: &[R],
) {
    for r in items {
        for e in r.index_entries() {
            let value = r.key().to_be_bytes().to_vec();
            if let Some(prev) = want.entry(e.tree).or_default().insert(e.key.clone(), value.clone())
                && prev != value
            {
                contested.push(Problem {
                    tree: e.tree.name(),
                    key: String::from_utf8_lossy(&e.key).into_owned(),
                    message: format!(
                        "two {} records claim this unique key ({} and {})",
                        R::NAME,
                        u64_from(&prev).unwrap_or(0),
                        r.key()
                    ),
                });
                seen.insert((e.tree, e.key));
            }
        }
    }
}

impl Store {
    /// Compare what the records imply with what is stored; never writes.
    pub(super) fn derive(&self, r: &Records) -> Result<Derived> {
        let mut findings = Vec::new();

        // Indexes.
        let mut want: Trees = BTreeMap::new();
        let mut contested = Vec::new();
        let mut claimed_twice = BTreeSet::new();
        expect(&mut want, &mut contested, &mut claimed_twice, &r.institutions);
        expect(&mut want, &mut contested, &mut claimed_twice, &r.enterprises);
        expect(&mut want, &mut contested, &mut claimed_twice, &r.demands);
        expect(&mut want, &mut contested, &mut claimed_twice, &r.classes);
        expect(&mut want, &mut contested, &mut claimed_twice, &r.trainees);
        expect(&mut want, &mut contested, &mut claimed_twice, &r.cases);
        for tree in TreeName::ALL.into_iter().filter(|t| t.is_index()) {
            let want_t = want.remove(&tree).unwrap_or_default();
            let have = self.read_tree(tree)?;
            for (key, v) in &want_t {
                if claimed_twice.contains(&(tree, key.clone())) {
                    continue;
                }
                let stored = have.get(key);
                if stored != Some(v) {
                    findings.push(Finding::Index {
                        tree,
                        key: key.clone(),
                        want: v.clone(),
                        stored: stored.cloned(),
                    });
                }
            }
            for key in have.keys().filter(|k| !want_t.contains_key(*k)) {
                findings.push(Finding::StrayIndex { tree, key: key.clone() });
            }
        }

        // Counters, from the cases.
        let mut seats: HashMap<ClassId, u32> = HashMap::new();
        let mut usage: HashMap<DemandId, DemandUsage> = HashMap::new();
        for c in &r.cases {
            if c.state.holds_seat() {
                *seats.entry(c.class).or_default() += 1;
            }
            if let Some(d) = c.state.referral() {
                usage.entry(d).or_default().referred += 1;
            }
            if let Some(d) = c.state.hired() {
                usage.entry(d).or_default().hired += 1;
            }
        }
        let mut have = self.read_tree(TreeName::ClassUsage)?;
        for c in &r.classes {
            let want = seats.get(&c.id).copied().unwrap_or(0);
            let stored = have.remove(c.id.0.to_be_bytes().as_slice());
            let ok = match stored.as_deref() {
                None => want == 0,
                Some(b) => u32_from(b) == Some(want),
            };
            if !ok {
                findings.push(Finding::Seats {
                    class: c.id,
                    want,
                    stored,
                });
            }
        }
        for (key, stored) in have {
            findings.push(Finding::StrayCounter {
                tree: TreeName::ClassUsage,
                key,
                stored,
            });
        }
        let mut have = self.read_tree(TreeName::DemandUsage)?;
        for d in &r.demands {
            let want = usage.get(&d.id).copied().unwrap_or_default();
            let stored = have.remove(d.id.0.to_be_bytes().as_slice());
            let ok = match stored.as_deref() {
                None => want == DemandUsage::default(),
                Some(b) => DemandUsage::from_bytes(b) == Some(want),
            };
            if !ok {
                findings.push(Finding::Posts {
                    demand: d.id,
                    want,
                    stored,
                });
            }
            let status = demand_status(d.status, want.hired, d.headcount);
            if status != d.status {
                findings.push(Finding::Status {
                    demand: Box::new(d.clone()),
                    hired: want.hired,
                    want: status,
                });
            }
        }
        for (key, stored) in have {
            findings.push(Finding::StrayCounter {
                tree: TreeName::DemandUsage,
                key,
                stored,
            });
        }
        Ok(Derived {
            findings,
            contested,
            seats,
            usage,
        })
    }
}

fn describe_seats(stored: Option<&[u8]>) -> String {
    match stored {
        None => "nothing".into(),
        Some(b) => u32_from(b).map_or_else(|| "malformed bytes".into(), |n| n.to_string()),
    }
}

fn describe_posts(stored: Option<&[u8]>) -> String {
    match stored.map(DemandUsage::from_bytes) {
        None => "nothing".to_string(),
        Some(None) => "malformed bytes".to_string(),
        Some(Some(u)) => format!("{} referred / {} hired", u.referred, u.hired),
    }
}

impl Finding {
    /// The write that makes the store agree with the records.
    pub(super) fn edit(&self) -> std::result::Result<Edit, codec::CodecError> {
        Ok(match self {
            Finding::Index { tree, key, want, .. } => Edit::Put(*tree, key.clone(), want.clone()),
            Finding::StrayIndex { tree, key } | Finding::StrayCounter { tree, key, .. } => {
                Edit::Remove(*tree, key.clone())
            }
            Finding::Seats { class, want, .. } => Edit::Put(
                TreeName::ClassUsage,
                class.0.to_be_bytes().to_vec(),
                want.to_be_bytes().to_vec(),
            ),
            Finding::Posts { demand, want, .. } => Edit::Put(
                TreeName::DemandUsage,
                demand.0.to_be_bytes().to_vec(),
                want.to_bytes().to_vec(),
            ),
            Finding::Status { demand, want, .. } => {
                let mut fixed = (**demand).clone();
                fixed.status = *want;
                Edit::Put(
                    JobDemand::TREE,
                    demand.id.0.to_be_bytes().to_vec(),
                    codec::encode(JobDemand::VERSION, &fixed)?,
                )
            }
        })
    }

    /// What repair says it changed.
    pub(super) fn change(&self) -> Change {
        let (tree, key, what) = match self {
            Finding::Index { tree, key, stored, .. } => (
                *tree,
                show_key(key),
                match stored {
                    Some(_) => "pointed at the wrong record; now points at the one that holds the key",
                    None => "was missing; added",
                }
                .to_string(),
            ),
            Finding::StrayIndex { tree, key } => (*tree, show_key(key), "named no record; removed".into()),
            Finding::Seats { class, want, stored } => (
                TreeName::ClassUsage,
                class.to_string(),
                format!(
                    "seats used: the counter said {}, the cases hold {want}; set to {want}",
                    describe_seats(stored.as_deref())
                ),
            ),
            Finding::Posts { demand, want, stored } => (
                TreeName::DemandUsage,
                demand.to_string(),
                format!(
                    "posts taken: the counter said {}, the cases hold {} referred / {} hired; set to that",
                    describe_posts(stored.as_deref()),
                    want.referred,
                    want.hired
                ),
            ),
            Finding::StrayCounter { tree, key, .. } => (
                *tree,
                show_key(key),
                format!(
                    "counter for a {} that does not exist; removed",
                    if *tree == TreeName::ClassUsage {
                        "class"
                    } else {
                        "demand"
                    }
                ),
            ),
            Finding::Status { demand, hired, want } => (
                JobDemand::TREE,
                demand.id.to_string(),
                format!(
                    "status was {} with {hired} of {} posts hired; now {}",
                    demand.status.name(),
                    demand.headcount,
                    want.name()
                ),
            ),
        };
        Change {
            tree: tree.name(),
            key,
            what,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_is_clean_exactly_when_repair_has_nothing_to_do() {
        let dir = tempfile::tempdir().expect("tmp");
        let store = Store::open(&dir.path().join("db")).expect("open");
        let inst = store
            .save(Institution {
                id: InstitutionId(0),
                name: "京口示例职业培训学校".into(),
                region: RegionId(0),
                stars: 3,
            })
            .expect("save");
        assert!(store.check().problems.is_empty());
        assert!(store.plan_repair().expect("plan").edits.is_empty());
        // A counter of no class and a name index entry of no institution:
        // repair removes both, so check reports both.
        store
            .tree(TreeName::ClassUsage)
            .insert(4242u64.to_be_bytes(), &1u32.to_be_bytes())
            .expect("insert");
        store
            .tree(TreeName::IdxInstitutionName)
            .insert("无此机构".as_bytes(), &77u64.to_be_bytes())
            .expect("insert");
        let problems: Vec<String> = store.check().problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            problems,
            [
                "idx_institution_name 无此机构: index entry with no record behind it",
                "class_usage 0000000000001092: counter for a class that does not exist",
            ]
        );
        let plan = store.plan_repair().expect("plan");
        assert_eq!(plan.edits.len(), problems.len());
        store.apply_repair(&plan.edits).expect("repair");
        assert!(store.check().problems.is_empty());
        assert!(store.plan_repair().expect("plan").edits.is_empty());
        assert_eq!(store.institution_by_name(&inst.name).expect("read"), Some(inst));
    }
}
