//! Reads: one record, every record of a kind, a case's events, the unique
//! lookups and the counters.

use super::record::{DemandUsage, Record, name_key, u32_from, u64_from};
use super::{Result, Store, TreeName, codec};
use crate::domain::*;

impl Store {
    pub fn get<R: Record>(&self, key: u64) -> Result<Option<R>> {
        match self
            .tree(R::TREE)
            .get(key.to_be_bytes())
            .map_err(|e| self.read_err(e))?
        {
            None => Ok(None),
            Some(v) => codec::decode::<R>(&v, R::VERSION)
                .map(|(_, r)| Some(r))
                .map_err(|e| self.corrupt(format!("{} {key}: {e}", R::TREE.name()))),
        }
    }

    /// Every record of a kind, in key order.
    pub fn all<R: Record>(&self) -> Result<Vec<R>> {
        let tree = self.tree(R::TREE);
        let mut out = Vec::with_capacity(tree.len());
        for item in tree.iter() {
            super::progress::tick();
            let (k, v) = item.map_err(|e| self.read_err(e))?;
            let key = u64_from(&k).unwrap_or(0);
            let (_, r) = codec::decode::<R>(&v, R::VERSION)
                .map_err(|e| self.corrupt(format!("{} {key}: {e}", R::TREE.name())))?;
            out.push(r);
        }
        Ok(out)
    }

    pub fn count<R: Record>(&self) -> usize {
        self.items_in(R::TREE)
    }

    /// How many items a tree holds (a walk of the tree).
    pub fn items_in(&self, tree: TreeName) -> usize {
        self.tree(tree).len()
    }

    pub fn events_of(&self, case: CaseId) -> Result<Vec<Event>> {
        let mut out = Vec::new();
        super::progress::tick();
        // The case's run (its 8-byte key sorts first), then single events.
        for item in self.tree(TreeName::Events).scan_prefix(super::run::run_key(case)) {
            let (k, v) = item.map_err(|e| self.read_err(e))?;
            let evs =
                super::run::decode_item(&k, &v).map_err(|e| self.corrupt(format!("events of case {case}: {e}")))?;
            out.extend(evs);
        }
        Ok(out)
    }

    /// Every event of every case, in case and sequence order.
    pub fn all_events(&self) -> Result<Vec<Event>> {
        let mut out = Vec::new();
        for item in self.tree(TreeName::Events).iter() {
            super::progress::tick();
            let (k, v) = item.map_err(|e| self.read_err(e))?;
            let evs = super::run::decode_item(&k, &v).map_err(|e| self.corrupt(format!("events: {e}")))?;
            out.extend(evs);
        }
        Ok(out)
    }

    pub fn trainee_by_id_number(&self, id_number: &IdNumber) -> Result<Option<Trainee>> {
        self.unique_lookup(TreeName::IdxTraineeIdNumber, id_number.as_str().as_bytes())
    }

    pub fn institution_by_name(&self, name: &str) -> Result<Option<Institution>> {
        self.unique_lookup(TreeName::IdxInstitutionName, &name_key(name))
    }

    pub fn enterprise_by_name(&self, name: &str) -> Result<Option<Enterprise>> {
        self.unique_lookup(TreeName::IdxEnterpriseName, &name_key(name))
    }

    fn unique_lookup<R: Record>(&self, tree: TreeName, key: &[u8]) -> Result<Option<R>> {
        match self.tree(tree).get(key).map_err(|e| self.read_err(e))? {
            None => Ok(None),
            Some(v) => match u64_from(&v) {
                Some(id) => self.get::<R>(id),
                None => Err(self.corrupt(format!("{} holds a malformed id", tree.name()))),
            },
        }
    }

    pub fn seats_used(&self, class: ClassId) -> Result<u32> {
        Ok(self
            .tree(TreeName::ClassUsage)
            .get(class.0.to_be_bytes())
            .map_err(|e| self.read_err(e))?
            .and_then(|v| u32_from(&v))
            .unwrap_or(0))
    }

    pub fn demand_usage(&self, demand: DemandId) -> Result<DemandUsage> {
        Ok(self
            .tree(TreeName::DemandUsage)
            .get(demand.0.to_be_bytes())
            .map_err(|e| self.read_err(e))?
            .and_then(|v| DemandUsage::from_bytes(&v))
            .unwrap_or_default())
    }

    /// Every (key, value) of a tree, in key order.
    pub(crate) fn read_tree(&self, t: TreeName) -> Result<std::collections::BTreeMap<Vec<u8>, Vec<u8>>> {
        let mut out = std::collections::BTreeMap::new();
        for item in self.tree(t).iter() {
            let (k, v) = item.map_err(|e| self.read_err(e))?;
            out.insert(k.to_vec(), v.to_vec());
        }
        Ok(out)
    }
}
