//! Bulk loading for a database that is being built (the demo city, a
//! restore): records, their index entries, events and counters go in through
//! per-tree batches, without a transaction per record. Only for a database
//! no one else has open; callers build it in a scratch directory and move it
//! into place when complete.

use super::record::{DemandUsage, EVENT_VERSION, Record, event_key};
use super::{Result, Store, TreeName, codec};
use crate::domain::*;
use std::collections::HashMap;

pub struct BulkWriter<'a> {
    store: &'a Store,
    batches: HashMap<TreeName, sled::Batch>,
    pending: usize,
}

/// Records per batch before the batches are applied. sled's memory while
/// applying a batch grows faster than the batch: building the 100k demo city
/// peaked at 2.5 GB with 20,000, 570 MB with 5,000 and 196 MB with 500 (and
/// was fastest with 500: 3.6 s against 6.1 s).
const BATCH: usize = 500;

impl<'a> BulkWriter<'a> {
    pub fn new(store: &'a Store) -> Self {
        BulkWriter {
            store,
            batches: HashMap::new(),
            pending: 0,
        }
    }

    fn insert(&mut self, tree: TreeName, key: &[u8], value: &[u8]) {
        self.batches.entry(tree).or_default().insert(key, value);
    }

    /// A new id for a record about to be written.
    pub fn new_id(&self) -> Result<u64> {
        self.store.new_id()
    }

    pub fn put<R: Record>(&mut self, rec: &R) -> Result<()> {
        for e in rec.index_entries() {
            self.insert(e.tree, &e.key, &rec.key().to_be_bytes());
        }
        let bytes = codec::encode(R::VERSION, rec)
            .map_err(|e| self.store.corrupt(format!("{} {}: {e}", R::NAME, rec.key())))?;
        self.insert(R::TREE, &rec.key().to_be_bytes(), &bytes);
        self.tick()
    }

    pub fn put_event(&mut self, ev: &Event) -> Result<()> {
        let bytes = codec::encode(EVENT_VERSION, ev)
            .map_err(|e| self.store.corrupt(format!("event {}/{}: {e}", ev.case, ev.seq)))?;
        self.insert(TreeName::Events, &event_key(ev.case, ev.seq), &bytes);
        // A note's entry goes with its event (`store::notes`).
        if let Some((k, v)) = super::notes::bulk_entry(self.store, ev)? {
            self.insert(TreeName::CaseNotes, &k, &v);
        }
        self.tick()
    }

    pub fn set_seats_used(&mut self, class: ClassId, n: u32) -> Result<()> {
        self.insert(TreeName::ClassUsage, &class.0.to_be_bytes(), &n.to_be_bytes());
        self.tick()
    }

    pub fn set_demand_usage(&mut self, demand: DemandId, u: DemandUsage) -> Result<()> {
        self.insert(TreeName::DemandUsage, &demand.0.to_be_bytes(), &u.to_bytes());
        self.tick()
    }

    fn tick(&mut self) -> Result<()> {
        self.pending += 1;
        if self.pending >= BATCH {
            self.apply()?;
        }
        Ok(())
    }

    fn apply(&mut self) -> Result<()> {
        for (tree, batch) in self.batches.drain() {
            self.store
                .tree(tree)
                .apply_batch(batch)
                .map_err(|e| self.store.write_err(e))?;
        }
        self.pending = 0;
        Ok(())
    }

    /// Apply what is left and flush.
    pub fn finish(mut self) -> Result<()> {
        self.apply()?;
        self.store.bump_generation()?;
        self.store.flush()
    }
}
